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

    /// Spanish articles that, capitalised before a capitalised word, begin a place or a name ("El Paso", "Las Cruces",
    /// "La Paz") in English text as well.
    static let articles: Set<String> = ["el", "la", "los", "las"]

    /// The Spanish function words found in `texts` (a set's templates and fixed prompts; slots left out) when one of
    /// them reads as Spanish: at least 2 such words of 2 kinds, more than twice its English function words and at least
    /// a third of its words. A capitalised article before a capitalised word is a name ("El Paso", "Los Angeles"), not
    /// counted; each text is judged alone, so that English templates beside Spanish ones do not hide them (a final
    /// review: a set of two English and two Spanish templates passed).
    /// - Returns: the Spanish words found in the texts that read as Spanish (at most `limit`, in order of first
    ///   appearance), or nil when none does.
    public static func spanishEvidence(_ texts: [String], limit: Int = 4) -> [String]? {
        var evidence: [String] = []
        for text in texts {
            let withoutSlots = text.replacingOccurrences(of: #"\{[^}]*\}"#, with: " ", options: .regularExpression)
            let words = withoutSlots.split(whereSeparator: { !$0.isLetter }).map(String.init)
            var spanish: [String] = [], spanishCount = 0, englishCount = 0
            for (index, word) in words.enumerated() {
                let lowered = word.lowercased()
                if spanishWords.contains(lowered) {
                    let name = articles.contains(lowered) && word.first?.isUppercase == true && index + 1 < words.count
                        && words[index + 1].first?.isUppercase == true
                    guard !name else { continue }
                    spanishCount += 1
                    if !spanish.contains(lowered) { spanish.append(lowered) }
                } else if englishWords.contains(lowered) {
                    englishCount += 1
                }
            }
            guard spanishCount >= 2, spanish.count >= 2, spanishCount > 2 * englishCount, 3 * spanishCount >= words.count
            else { continue }
            evidence += spanish.filter { !evidence.contains($0) }
        }
        return evidence.isEmpty ? nil : Array(evidence.prefix(limit))
    }
}
