import HeapModule

/// The word-level rules of vaderSentiment 3.3.2: `sentiment_valence`, `scalar_inc_dec`,
/// `_negation_check`, `_special_idioms_check`, `_least_check` and `_but_check`.
extension SentimentAnalyzer {
    /// `sentiment_valence`: the valence of the word at `index` after the "no", ALL-CAPS,
    /// booster, negation, idiom and "least" rules; 0 for words outside the lexicon.
    func valence(at index: Int, in text: VaderText) -> Double {
        let words = text.words
        let item = words[index]
        guard let base = tables.valences[item.lower] else { return 0 }
        var valence = base
        if item.lower == Words.no, index != words.count - 1, isInLexicon(words[index + 1]) {
            valence = 0.0
        }
        if (index > 0 && words[index - 1].lower == Words.no)
            || (index > 1 && words[index - 2].lower == Words.no)
            || (index > 2 && words[index - 3].lower == Words.no
                && (words[index - 1].lower == Words.or || words[index - 1].lower == Words.nor)) {
            valence = base * VaderConstants.negationScalar
        }
        if item.isUpper && text.isCapDifferential {
            valence += valence > 0 ? VaderConstants.capsIncrement : -VaderConstants.capsIncrement
        }
        for distance in 0..<3 where index > distance && !isInLexicon(words[index - (distance + 1)]) {
            var scalar = Self.boosterScalar(of: words[index - (distance + 1)], valence: valence,
                                            isCapDifferential: text.isCapDifferential)
            if distance == 1 && scalar != 0 { scalar = scalar * 0.95 }
            if distance == 2 && scalar != 0 { scalar = scalar * 0.9 }
            valence = valence + scalar
            valence = Self.negationCheck(valence, words: words, distance: distance, index: index)
            if distance == 2 {
                valence = Self.specialIdiomsCheck(valence, words: words, index: index)
            }
        }
        return leastCheck(valence, words: words, index: index)
    }

    private func isInLexicon(_ word: VaderWord) -> Bool {
        tables.valences[word.lower] != nil
    }

    /// `scalar_inc_dec`: the booster or dampener effect of a preceding word, signed like the
    /// valence, with the ALL-CAPS increment when the text mixes case.
    static func boosterScalar(of word: VaderWord, valence: Double, isCapDifferential: Bool) -> Double {
        guard var scalar = VaderConstants.boosters[word.lower] else { return 0.0 }
        if valence < 0 { scalar *= -1 }
        if word.isUpper && isCapDifferential {
            scalar += valence > 0 ? VaderConstants.capsIncrement : -VaderConstants.capsIncrement
        }
        return scalar
    }

    /// `negated([word])`: a negation word, or any word containing "n't".
    static func isNegation(_ word: ExactText) -> Bool {
        VaderConstants.negations.contains(word) || word.contains("n't")
    }

    /// `_negation_check` for the word `distance + 1` places before `index`. As in Python, at
    /// distance 2 a "so"/"this" right before the item amplifies by 1.25 whatever precedes it.
    static func negationCheck(_ valence: Double, words: [VaderWord], distance: Int, index: Int) -> Double {
        let one = words[index - 1].lower
        switch distance {
        case 0:
            return isNegation(one) ? valence * VaderConstants.negationScalar : valence
        case 1:
            let two = words[index - 2].lower
            if two == Words.never && (one == Words.so || one == Words.this) { return valence * 1.25 }
            if two == Words.without && one == Words.doubt { return valence }
            return isNegation(two) ? valence * VaderConstants.negationScalar : valence
        default:
            let two = words[index - 2].lower
            let three = words[index - 3].lower
            if (three == Words.never && (two == Words.so || two == Words.this)) || (one == Words.so || one == Words.this) {
                return valence * 1.25
            }
            if three == Words.without && (two == Words.doubt || one == Words.doubt) { return valence }
            return isNegation(three) ? valence * VaderConstants.negationScalar : valence
        }
    }

    /// `_special_idioms_check` (called only with `index >= 3`): the first `SPECIAL_CASES` idiom
    /// ending at or just before the item replaces the valence, idioms starting at the item
    /// override that, then booster bigrams/trigrams before the item ("kind of") add their value.
    ///
    /// A phrase is only joined and looked up when each of its words is a word of some idiom or booster n-gram
    /// (``VaderConstants/phraseWords``): any other phrase is in neither table, and joining up to seven phrases for
    /// every scored word took 5% of `analyze`'s time. A test holds this equal to joining every phrase.
    static func specialIdiomsCheck(_ valence: Double, words: [VaderWord], index: Int) -> Double {
        // Which words of the window index − 3 … index + 2 may be part of a phrase: bit k for the word at index − 3 + k.
        var mayJoin: UInt8 = 0
        for position in (index - 3)...min(index + 2, words.count - 1)
        where VaderConstants.phraseWords.contains(words[position].lower) {
            mayJoin |= 1 << (position - (index - 3))
        }
        func phrase(_ range: ClosedRange<Int>) -> ExactText? {
            guard range.allSatisfy({ mayJoin & (1 << ($0 - (index - 3))) != 0 }) else { return nil }
            return ExactText(words[range].map(\.lower.string).joined(separator: " "))
        }
        var valence = valence
        let oneZero = phrase(index - 1...index)
        let twoOneZero = phrase(index - 2...index)
        let twoOne = phrase(index - 2...index - 1)
        let threeTwoOne = phrase(index - 3...index - 1)
        let threeTwo = phrase(index - 3...index - 2)
        for sequence in [oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo] {
            if let sequence, let idiom = VaderConstants.specialCases[sequence] {
                valence = idiom
                break
            }
        }
        if words.count - 1 > index, let after = phrase(index...index + 1), let idiom = VaderConstants.specialCases[after] {
            valence = idiom
        }
        if words.count - 1 > index + 1, let after = phrase(index...index + 2), let idiom = VaderConstants.specialCases[after] {
            valence = idiom
        }
        for nGram in [threeTwoOne, threeTwo, twoOne] {
            if let nGram, let booster = VaderConstants.boosters[nGram] { valence = valence + booster }
        }
        return valence
    }

    /// `_least_check`: "least" right before the item negates it, except in "at least" and "very least".
    func leastCheck(_ valence: Double, words: [VaderWord], index: Int) -> Double {
        if index > 1, !isInLexicon(words[index - 1]), words[index - 1].lower == Words.least {
            let two = words[index - 2].lower
            return two != Words.at && two != Words.very ? valence * VaderConstants.negationScalar : valence
        }
        if index > 0, !isInLexicon(words[index - 1]), words[index - 1].lower == Words.least {
            return valence * VaderConstants.negationScalar
        }
        return valence
    }

    /// `_but_check`: sentiments before the first "but" are halved and those after it multiplied by
    /// 1.5. Python rewrites `sentiments[sentiments.index(value)]`, the FIRST slot holding an equal
    /// value, not the slot being visited; that quirk is reproduced. The first slot of each value is kept
    /// per value in a min-heap of positions, whose entries no longer holding it are dropped when met:
    /// O(n log n) where a scan per word took O(n²) (review: one text of 60,000 "good but" took 105 s).
    static func applyButRule(to sentiments: inout [Double], words: [VaderWord]) {
        guard let butIndex = words.firstIndex(where: { $0.lower == Words.but }) else { return }
        var slots: [Double: Heap<Int>] = [:]
        for (position, sentiment) in sentiments.enumerated() { slots[sentiment, default: []].insert(position) }
        for position in sentiments.indices {
            let sentiment = sentiments[position]
            // `sentiments.firstIndex(of: sentiment)`: the smallest position still holding the value.
            while let first = slots[sentiment]?.min, sentiments[first] != sentiment { slots[sentiment]!.removeMin() }
            guard let slot = slots[sentiment]?.min else { continue }
            let factor = slot < butIndex ? 0.5 : slot > butIndex ? 1.5 : 1
            let changed = sentiment * factor
            guard changed != sentiment else { continue }
            sentiments[slot] = changed
            slots[changed, default: []].insert(slot)
        }
    }
}

/// The literal words the VADER rules compare against.
private enum Words {
    static let no = ExactText("no")
    static let or = ExactText("or")
    static let nor = ExactText("nor")
    static let never = ExactText("never")
    static let so = ExactText("so")
    static let this = ExactText("this")
    static let without = ExactText("without")
    static let doubt = ExactText("doubt")
    static let least = ExactText("least")
    static let at = ExactText("at")
    static let very = ExactText("very")
    static let but = ExactText("but")
}
