import Foundation

/// Whether a set's prompts read as another language than English (Spanish, French, Italian or Portuguese), from their
/// function words.
///
/// biasaudit's scorers read English: VADER's lexicon, the pronoun and gendered-word lexicon, and the next tokens
/// " he" / " she" of the log-odds. A set whose templates are Spanish (a Spanish-language course writes them so: "La
/// persona que trabaja de {profesion} dijo que") passes every other rule, and its sentiment, male share and log-odds
/// then do not measure what they say (a teacher's review). Deciding the language from a handful of short templates
/// cannot use a language model; counting function words, the most frequent and most language-specific words, is
/// the classic stop-word method (Grefenstette 1995, "Comparing two language identification schemes", JADT). Each
/// language has its own small list; a word two languages share ("que", "la", "de", "il", "che"…) is in both lists and
/// counts for both, so that it never decides between them: only a word of one of them does (a French teacher's review:
/// "La personne qui travaille comme {x} a dit que" was said to read as Spanish).
public enum TemplateLanguage {
    /// A language other than English that a set's prompts can read as.
    public enum Language: String, CaseIterable, Sendable {
        case spanish = "es", french = "fr", italian = "it", portuguese = "pt"

        /// The language's name in English ("Spanish").
        public var name: String {
            switch self {
            case .spanish: "Spanish"
            case .french: "French"
            case .italian: "Italian"
            case .portuguese: "Portuguese"
            }
        }

        /// The BCP 47 code ("es").
        public var code: String { rawValue }
    }

    /// What a set's function words say about its prompts' language.
    public struct Evidence: Equatable, Sendable {
        /// The language the prompts read as, or nil when they read as not English but the words do not tell one
        /// language: prompts of two languages, or only words that two of them share ("La {x} del hospital" is Spanish or
        /// Italian).
        public var language: Language?
        /// The function words found (at most the `limit` asked for, in order of first appearance): of ``language`` when
        /// there is one, else of any of the languages.
        public var words: [String]
    }

    /// Frequent Spanish function words that English does not use: words English has too ("son", "era", "con", "mi",
    /// "a", "me", "no"), and nouns, are left out (a code review: "{name} ate a burrito con carne" read as Spanish).
    static let spanishWords: Set<String> = [
        "el", "la", "los", "las", "que", "del", "y", "un", "una", "unos", "unas", "por", "para", "es", "fue", "dijo",
        "su", "sus", "se", "como", "pero", "muy", "porque", "cuando", "está", "estaba", "había", "tiene", "tenía",
        "sobre", "entre", "también", "más", "ella", "él", "quien", "siempre", "nuestro", "nuestra", "de", "en",
    ]
    /// Frequent French function words, on the same terms, and leaving out Spanish words outside ``spanishWords`` (the
    /// pronouns "le" and "les", "sur": a Spanish template that has them would otherwise count them as French), "à"
    /// (English writes "à la carte", "à la mode") and English words ("on", "son", "par", "pour"). Shared with Spanish:
    /// "la", "que", "de", "en", "un", "se", "entre"; with Italian "il", "qui"; with Portuguese "mais".
    static let frenchWords: Set<String> = [
        "la", "que", "de", "en", "un", "se", "entre", "il", "qui", "mais", "des", "du", "au", "aux", "et", "est", "était",
        "une", "ils", "elle", "elles", "dans", "avec", "pas", "ne", "très", "comme", "dit", "été", "avait", "sont", "ont",
        "sa", "ses", "leur", "cette", "ce", "qu", "nous", "vous", "être", "quand", "mon", "parce",
    ]
    /// Frequent Italian function words, on the same terms: not "come" (English), "non" ("non-profit"), "per" ("per
    /// se"), "era", "con", "ha", "lo", "da", "al" (Spanish, or English too); "di", the most frequent, is kept (Spanish
    /// "le di" is rare in a template). Shared with Spanish: "la", "un", "una", "se", "del", "su"; with French "il",
    /// "qui"; with Portuguese "disse", "quando", "sempre", "sua".
    static let italianWords: Set<String> = [
        "la", "un", "una", "se", "del", "su", "il", "qui", "disse", "quando", "sempre", "sua", "che", "di", "della",
        "delle", "dello", "degli", "dei", "nel", "nella", "alla", "gli", "è", "lui", "lei", "loro", "sono", "hanno",
        "aveva", "detto", "stato", "essere", "perché", "molto", "anche", "suo", "questo", "questa", "nostro", "nostra",
    ]
    /// Frequent Portuguese function words, on the same terms: not "a", "o", "e", "as", "do", "no", "um" (English or
    /// Spanish), "com" (".com"), "dos", "das", "nos", "pelo" (Spanish words). Shared with Spanish: "que", "de", "como",
    /// "por", "para", "porque", "sobre", "entre", "está", "se"; with French "mais"; with Italian "disse", "quando",
    /// "sempre", "sua".
    static let portugueseWords: Set<String> = [
        "que", "de", "como", "por", "para", "porque", "sobre", "entre", "está", "se", "mais", "disse", "quando", "sempre",
        "sua", "não", "uma", "ele", "ela", "eles", "elas", "dele", "dela", "na", "nas", "pela", "é", "foi", "tem", "tinha",
        "estava", "muito", "também", "seu", "seus", "suas", "ao", "aos", "em", "isso", "nosso", "nossa", "você", "já",
        "quem", "meu", "minha", "são",
    ]
    /// Each language's function words.
    static let wordsOf: [Language: Set<String>] = [
        .spanish: spanishWords, .french: frenchWords, .italian: italianWords, .portuguese: portugueseWords,
    ]
    /// Frequent English function words that are not Spanish words.
    static let englishWords: Set<String> = [
        "the", "an", "and", "that", "of", "to", "was", "is", "in", "said", "because", "she", "his", "her", "for",
        "with", "as", "at", "on", "it", "be", "by", "who", "when", "had", "has", "were", "are", "my", "our", "their",
        "this", "about", "from", "have", "would", "will", "always", "very",
    ]

    /// Articles and contracted prepositions that, capitalised before a capitalised word, begin a place or a name ("El
    /// Paso", "Las Cruces", "La Paz", "Des Moines", "Il Divo", "Di Caprio") in English text as well.
    static let articles: Set<String> = [
        "el", "la", "los", "las", "il", "des", "du", "di", "della", "delle", "dello", "degli", "dei",
    ]

    /// What the function words of `texts` (a set's templates and fixed prompts; slots left out) say about their
    /// language.
    ///
    /// Each text is judged alone, so that English templates beside others do not hide them (a final review: a set of two
    /// English and two Spanish templates passed). A text reads as a language when it has at least 2 of that language's
    /// function words of 2 kinds, more than twice its English function words, and at least a third of its words; of the
    /// languages it reads as, those with the most such words are its candidates (one, unless shared words tie them). A
    /// capitalised article before a capitalised word is a name ("El Paso", "Los Angeles"), not counted. The set reads as
    /// the one language every such text has among its candidates; when there is none, or more than one, it reads as not
    /// English, without a language.
    /// - Returns: the language and the words found in the texts that read as it (at most `limit`, in order of first
    ///   appearance), or nil when no text reads as another language than English.
    public static func evidence(_ texts: [String], limit: Int = 4) -> Evidence? {
        var found: [(candidates: Set<Language>, words: [Language: [String]], all: [String])] = []
        for text in texts {
            let withoutSlots = text.replacingOccurrences(of: #"\{[^}]*\}"#, with: " ", options: .regularExpression)
            let words = withoutSlots.split(whereSeparator: { !$0.isLetter }).map(String.init)
            var counts: [Language: Int] = [:], kinds: [Language: [String]] = [:], all: [String] = [], englishCount = 0
            // An abbreviation in capitals ("UN", "IL") is no word of another language, unless the text is mostly in
            // capitals (a review: "UN envoy en route" and "Springfield IL de facto" read as Spanish and Italian; a second:
            // one "iPhone" in a Spanish text in capitals must not hide its words).
            let long = words.filter { $0.count >= 2 }
            let shouted = 2 * long.filter { $0 == $0.uppercased() && $0 != $0.lowercased() }.count >= long.count
            for (index, word) in words.enumerated() {
                let lowered = word.lowercased()
                if !shouted, word.count >= 2, word == word.uppercased(), word != lowered { continue }
                let languages = Language.allCases.filter { wordsOf[$0]?.contains(lowered) == true }
                if !languages.isEmpty {
                    // (Not in a text in capitals, where every article stands before a capital: a review.)
                    let name = !shouted && articles.contains(lowered) && word.first?.isUppercase == true && index + 1 < words.count
                        && words[index + 1].first?.isUppercase == true
                    guard !name else { continue }
                    for language in languages {
                        counts[language, default: 0] += 1
                        if kinds[language]?.contains(lowered) != true { kinds[language, default: []].append(lowered) }
                    }
                    if !all.contains(lowered) { all.append(lowered) }
                } else if englishWords.contains(lowered) {
                    englishCount += 1
                }
            }
            let readAs = Language.allCases.filter { language in
                let count = counts[language] ?? 0
                return count >= 2 && (kinds[language]?.count ?? 0) >= 2 && count > 2 * englishCount
                    && 3 * count >= words.count
            }
            guard let most = readAs.map({ counts[$0] ?? 0 }).max() else { continue }
            found.append((Set(readAs.filter { counts[$0] == most }), kinds, all))
        }
        guard let first = found.first else { return nil }
        let common = found.dropFirst().reduce(first.candidates) { $0.intersection($1.candidates) }
        let language = common.count == 1 ? common.first : nil
        var evidence: [String] = []
        for text in found {
            let words = language.map { text.words[$0] ?? [] } ?? text.all
            evidence += words.filter { !evidence.contains($0) }
        }
        return Evidence(language: language, words: Array(evidence.prefix(limit)))
    }

    /// The one language other than English that a set's texts are written in, so that its own text (default labels,
    /// description, source) is in it too: the language of ``evidence(_:limit:)`` when no text reads as English (at least 2
    /// of ``englishWords`` and no other language). A text too short to tell ("Ayer, {x} llegó tarde.") neither decides nor
    /// vetoes; one English template among Spanish ones, or one Spanish among English ones, leaves the set English.
    /// - Returns: the language, or nil for an English, mixed or undecided set.
    public static func writtenLanguage(of texts: [String]) -> Language? {
        guard let language = evidence(texts)?.language else { return nil }
        return texts.contains(where: readsAsEnglish) ? nil : language
    }

    /// Whether `text` reads as English: no other language by ``evidence(_:limit:)`` and at least 2 of ``englishWords``
    /// (slots left out); a text too short to tell ("Ayer, {x} llegó tarde.") does not.
    public static func readsAsEnglish(_ text: String) -> Bool {
        guard evidence([text]) == nil else { return false }
        let withoutSlots = text.replacingOccurrences(of: #"\{[^}]*\}"#, with: " ", options: .regularExpression)
        return withoutSlots.split(whereSeparator: { !$0.isLetter }).filter { englishWords.contains($0.lowercased()) }.count >= 2
    }
}
