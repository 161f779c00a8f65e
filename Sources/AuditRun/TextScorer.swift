import AuditAnalysis
import AuditResults
import Foundation
import Lexicons
import PromptSets

/// Scores texts with the bundled (or user-supplied) lexicons. Thread-safe.
public struct TextScorer: Sendable {
    /// The VADER analyzer.
    public let sentiment: SentimentAnalyzer
    /// The gendered-word lexicon.
    public let gender: GenderLexicon

    /// Creates a scorer from loaded lexicons.
    public init(sentiment: SentimentAnalyzer, gender: GenderLexicon) {
        self.sentiment = sentiment
        self.gender = gender
    }

    /// A scorer with the lexicons shipped with biasaudit; `genderLexicon` replaces the gender word list.
    /// - Throws: ``AuditError/badInput(path:reason:)`` for an unreadable or malformed replacement file.
    public static func bundled(genderLexicon: URL? = nil) throws -> TextScorer {
        let gender: GenderLexicon
        if let genderLexicon {
            let data = try InputFile.read(genderLexicon, what: "the gender lexicon", limit: InputFile.Limit.vocabulary)
            guard let text = String(data: data, encoding: .utf8) else {
                throw AuditError.badInput(path: genderLexicon.path, reason: "the gender lexicon is not UTF-8 text; save it as UTF-8")
            }
            do {
                gender = try GenderLexicon(text: text)
            } catch {
                // The word or category it quotes is shown as `\u{…}` where it holds an invisible character (U+200B).
                throw AuditError.badInput(path: genderLexicon.path, reason: TextEscaping.message("\(error)"))
            }
        } else {
            gender = try GenderLexicon.bundled()
        }
        return TextScorer(sentiment: try SentimentAnalyzer.bundled(), gender: gender)
    }

    /// Scores one text (a continuation: never include the prompt).
    public func score(_ text: String) -> TextScores {
        TextScores(text: text, sentiment: sentiment.scores(of: text), pronouns: gender.counts(in: text))
    }
}
