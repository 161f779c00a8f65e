/// VADER sentiment: a Swift port of vaderSentiment 3.3.2's `SentimentIntensityAnalyzer`.
///
/// Matches `polarity_scores` of the Python release rule for rule, including its quirks (the
/// first-equal-value indexing of the "but" rule, "so"/"this" three words back amplifying
/// regardless of "never", booster bigrams only seen by the idiom check), and reproduces
/// CPython's string semantics on code points and its `round`. Scores of the 2119 texts of
/// `Tests/Fixtures/vader-golden.jsonl` equal the Python ones exactly.
///
/// The analyzer holds only immutable tables, so one instance may score texts from many
/// threads at once.
public final class SentimentAnalyzer: Sendable {
    let tables: VaderTables

    /// Builds an analyzer from the text of a VADER lexicon and emoji table.
    /// - Parameters:
    ///   - lexicon: lines `TOKEN<TAB>MEAN-VALENCE[<TAB>…]`, as in `vader_lexicon.txt`.
    ///   - emojiLexicon: lines `EMOJI<TAB>DESCRIPTION`, as in `emoji_utf8_lexicon.txt`.
    /// - Throws: `SentimentLexiconError` naming the first malformed line.
    public init(lexicon: String, emojiLexicon: String) throws {
        tables = try VaderTables(lexicon: lexicon, emojiLexicon: emojiLexicon)
    }

    /// The analyzer over the vendored vaderSentiment 3.3.2 lexicon and emoji table.
    /// - Throws: `LexiconResourceError` if the bundled files are missing, or
    ///   `SentimentLexiconError` if they were edited into an unreadable state.
    public static func bundled() throws -> SentimentAnalyzer {
        try SentimentAnalyzer(
            lexicon: LexiconResources.text(named: LexiconResources.vaderLexiconFileName),
            emojiLexicon: LexiconResources.text(named: LexiconResources.emojiLexiconFileName)
        )
    }

    /// The VADER scores of a text (`polarity_scores(text)`).
    public func scores(of text: String) -> SentimentScores {
        let senti = VaderText(text, emojiDescriptions: tables.emojiDescriptions, smallestEmoji: tables.smallestEmoji)
        var sentiments: [Double] = []
        sentiments.reserveCapacity(senti.words.count)
        for index in senti.words.indices {
            let item = senti.words[index].lower
            if VaderConstants.boosters[item] != nil {
                sentiments.append(0)
            } else if index < senti.words.count - 1, item == Self.kind, senti.words[index + 1].lower == Self.of {
                sentiments.append(0)
            } else {
                sentiments.append(valence(at: index, in: senti))
            }
        }
        Self.applyButRule(to: &sentiments, words: senti.words)
        return Self.scores(of: sentiments, in: senti)
    }

    /// `score_valence`: sums, punctuation emphasis, normalisation and the neg/neu/pos split.
    static func scores(of sentiments: [Double], in text: VaderText) -> SentimentScores {
        guard !sentiments.isEmpty else { return SentimentScores(negative: 0, neutral: 0, positive: 0, compound: 0) }
        // Plain left-to-right addition, as CPython 3.11's `sum()` does for floats. CPython 3.12
        // switched to compensated summation, whose last bits can differ and so, rarely, a rounded score.
        var sum = 0.0
        for sentiment in sentiments { sum += sentiment }
        let emphasis = punctuationEmphasis(of: text)
        if sum > 0 {
            sum += emphasis
        } else if sum < 0 {
            sum -= emphasis
        }
        let compound = normalize(sum)

        var positiveSum = 0.0
        var negativeSum = 0.0
        var neutralCount = 0
        for sentiment in sentiments {
            if sentiment > 0 { positiveSum += sentiment + 1 }
            if sentiment < 0 { negativeSum += sentiment - 1 }
            if sentiment == 0 { neutralCount += 1 }
        }
        if positiveSum > abs(negativeSum) {
            positiveSum += emphasis
        } else if positiveSum < abs(negativeSum) {
            negativeSum -= emphasis
        }
        let total = positiveSum + abs(negativeSum) + Double(neutralCount)
        return SentimentScores(
            negative: PythonRound.round(abs(negativeSum / total), digits: 3),
            neutral: PythonRound.round(abs(Double(neutralCount) / total), digits: 3),
            positive: PythonRound.round(abs(positiveSum / total), digits: 3),
            compound: PythonRound.round(compound, digits: 4)
        )
    }

    /// `_punctuation_emphasis`: up to four "!" at 0.292 each, plus 0.18 per "?" when there are
    /// two or three of them, or 0.96 when there are more.
    static func punctuationEmphasis(of text: VaderText) -> Double {
        let exclamations = min(text.count(of: "!"), VaderConstants.maxExclamationMarks)
        let exclamationEmphasis = Double(exclamations) * VaderConstants.exclamationIncrement
        let questions = text.count(of: "?")
        var questionEmphasis = 0.0
        if questions > 1 {
            questionEmphasis = questions <= 3
                ? Double(questions) * VaderConstants.questionIncrement
                : VaderConstants.manyQuestionsIncrement
        }
        return exclamationEmphasis + questionEmphasis
    }

    /// `normalize(score, alpha=15)`: `score / sqrt(score² + alpha)`, clamped to [-1, 1].
    static func normalize(_ score: Double) -> Double {
        let normalized = score / (score * score + VaderConstants.normalizationAlpha).squareRoot()
        return min(max(normalized, -1.0), 1.0)
    }

    static let kind = ExactText("kind")
    static let of = ExactText("of")
}
