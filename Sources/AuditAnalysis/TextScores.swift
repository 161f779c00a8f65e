import Foundation
import Lexicons

/// The lexicon scores of one text: VADER sentiment and gendered-word counts.
public struct TextScores: Codable, Sendable, Equatable {
    /// The scored text.
    public var text: String
    /// VADER's `neg`, `neu`, `pos`, `compound`.
    public var sentiment: SentimentScores
    /// Pronoun and gendered-noun counts with a gender label.
    public var pronouns: GenderCounts

    /// Creates a score record.
    public init(text: String, sentiment: SentimentScores, pronouns: GenderCounts) {
        self.text = text
        self.sentiment = sentiment
        self.pronouns = pronouns
    }
}
