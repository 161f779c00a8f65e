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
    /// Frequent Spanish function words that English does not use: words English has too ("son", "era", "con", "mi",
    /// "a", "me", "no"), and nouns, are left out (a code review: "{name} ate a burrito con carne" read as Spanish).
    static let spanishWords: Set<String> = [
        "el", "la", "los", "las", "que", "del", "y", "un", "una", "unos", "unas", "por", "para", "es", "fue", "dijo",
        "su", "sus", "se", "como", "pero", "muy", "porque", "cuando", "está", "estaba", "había", "tiene", "tenía",
        "sobre", "entre", "también", "más", "ella", "él", "quien", "siempre", "nuestro", "nuestra", "de", "en",
    ]
    /// Frequent English function words that are not Spanish words.
    static let englishWords: Set<String> = [
        "the", "an", "and", "that", "of", "to", "was", "is", "in", "said", "because", "she", "his", "her", "for",
        "with", "as", "at", "on", "it", "be", "by", "who", "when", "had", "has", "were", "are", "my", "our", "their",
        "this", "about", "from", "have", "would", "will", "always", "very",
    ]

    /// The Spanish function words found in `texts` (a set's templates and fixed prompts; slots left out), when they
    /// read as Spanish: at least 3 such words, of at least 2 kinds, more than twice the English function words, and at
    /// least a fifth of all words (place names such as "La Paz" or "Los Angeles" in English templates stay English).
    /// - Returns: the Spanish words found (at most `limit`, in order of first appearance), or nil when the texts read as
    ///   English or say too little.
    public static func spanishEvidence(_ texts: [String], limit: Int = 4) -> [String]? {
        var spanish: [String] = [], spanishCount = 0, englishCount = 0, wordCount = 0
        for text in texts {
            let withoutSlots = text.replacingOccurrences(of: #"\{[^}]*\}"#, with: " ", options: .regularExpression)
            for word in withoutSlots.lowercased().split(whereSeparator: { !$0.isLetter }) {
                let word = String(word)
                wordCount += 1
                if spanishWords.contains(word) {
                    spanishCount += 1
                    if !spanish.contains(word) { spanish.append(word) }
                } else if englishWords.contains(word) {
                    englishCount += 1
                }
            }
        }
        guard spanishCount >= 3, spanish.count >= 2, spanishCount > 2 * englishCount, 5 * spanishCount >= wordCount
        else { return nil }
        return Array(spanish.prefix(limit))
    }
}
