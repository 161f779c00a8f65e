import Foundation

/// Whether a set's prompts read as Spanish rather than English, from their function words.
///
/// biasaudit's scorers read English: VADER's lexicon, the pronoun and gendered-word lexicon, and the next tokens
/// " he" / " she" of the log-odds. A set whose templates are Spanish (a Spanish-language course writes them so: "La
/// persona que trabaja de {profesion} dijo que") passes every other rule, and its sentiment, male share and log-odds
/// then do not measure what they say (a teacher's review). Deciding the language from a handful of short templates
/// cannot use a language model; counting function words, the most frequent and most language-specific words, is
/// the classic stop-word method (Grefenstette 1995, "Comparing two language identification schemes", JADT) and
/// is enough for the two languages the reports are written in.
public enum TemplateLanguage {
    /// Frequent Spanish function words that are not English words ("a", "me", "no" are left out: both languages
    /// have them).
    static let spanishWords: Set<String> = [
        "el", "la", "los", "las", "que", "de", "del", "y", "en", "un", "una", "unos", "unas", "por", "para", "con",
        "es", "son", "era", "fue", "dijo", "su", "sus", "se", "al", "lo", "como", "pero", "muy", "porque", "cuando",
        "está", "estaba", "ha", "había", "tiene", "tenía", "sobre", "entre", "sin", "también", "más", "ella", "él",
        "quien", "trabaja", "persona", "consiguió", "trabajo", "mi", "nuestro", "nuestra",
    ]
    /// Frequent English function words that are not Spanish words.
    static let englishWords: Set<String> = [
        "the", "an", "and", "that", "of", "to", "was", "is", "in", "said", "because", "he", "she", "his", "her", "for",
        "with", "as", "at", "on", "it", "be", "by", "who", "when", "known", "had", "has", "were", "are", "got", "job",
        "worked", "works", "person", "my", "our", "their", "this", "about", "from", "have", "would", "will",
    ]

    /// Whether `texts` (a set's templates and fixed prompts) hold more Spanish function words than English ones,
    /// and at least two; the words found, for a message. Slots (`{name}`) are left out.
    /// - Returns: the Spanish words found (at most `limit`, in order of first appearance), or nil when the texts read as
    ///   English or say too little.
    public static func spanishEvidence(_ texts: [String], limit: Int = 4) -> [String]? {
        var spanish: [String] = [], spanishCount = 0, englishCount = 0
        for text in texts {
            let withoutSlots = text.replacingOccurrences(of: #"\{[^}]*\}"#, with: " ", options: .regularExpression)
            for word in withoutSlots.lowercased().split(whereSeparator: { !$0.isLetter }) {
                let word = String(word)
                if spanishWords.contains(word) {
                    spanishCount += 1
                    if !spanish.contains(word) { spanish.append(word) }
                } else if englishWords.contains(word) {
                    englishCount += 1
                }
            }
        }
        guard spanishCount >= 2, spanishCount > englishCount else { return nil }
        return Array(spanish.prefix(limit))
    }

    /// The BCP 47 code of the language `texts` read as: "es" or "en" (``spanishEvidence(_:limit:)``).
    public static func code(_ texts: [String]) -> String { spanishEvidence(texts) == nil ? "en" : "es" }
}
