import AuditResults
import Foundation
import Lexicons

/// One line of `completions.jsonl`: a completion with where it came from and its scores.
public struct CompletionRecord: Codable, Sendable, Equatable {
    /// The largest |log P(he) − log P(she)| a completion may carry: a difference of two log-probabilities is at most
    /// a few hundred (float32 probabilities reach e^−104); larger values are not log-odds, and near 1e307 they
    /// overflowed the statistics' sums of squares. The results files' limit on a log-odds level, the one rule.
    public static let maximumLogOdds = AuditResult.maximumLogOdds

    /// The prompt set.
    public var set: String
    /// The template (nil for a fixed prompt).
    public var template: String?
    /// The stream key shared by counterfactual prompts (the template id; one key per set for fixed
    /// prompts): the stratum of the statistics and the key of the random stream.
    public var templateId: String
    /// The group id.
    public var group: String
    /// The term in the slot (nil for a fixed prompt).
    public var term: String?
    /// The prompt's stable id.
    public var promptId: String
    /// The prompt text.
    public var prompt: String
    /// The model id.
    public var model: String
    /// The sample index (selects the random stream).
    public var sampleIndex: Int
    /// The continuation (model output: untrusted).
    public var text: String
    /// Generated tokens (nil when `analyze` read a completion without `token_count`).
    public var tokenCount: Int?
    /// `end_of_text`, `max_new_tokens` or `context_full` (nil when `analyze` read a completion without
    /// `stop_reason`).
    public var stopReason: String?

    /// The longest stop reason biasaudit writes (``identifierStopReason(_:)``).
    public static let maximumStopReasonLength = 30

    /// Whether `scalar` may be part of a stop reason as biasaudit writes them: an ASCII letter, a digit, `_` or `-`.
    public static func isStopReasonCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
    }

    /// A stop reason from outside (a served model's `finish_reason`, an `analyze` file's `stop_reason`) as biasaudit
    /// writes it: an identifier of at most ``maximumStopReasonLength`` ASCII letters, digits, `_` and `-`, every other
    /// character `_`, and "unknown" for an empty one. A value of the JSON outputs, not terminal text (hostile reviews:
    /// "\u{1b}[31mstop" was stored escaped for a terminal; 150,000 ESC characters were copied into completions.jsonl).
    public static func identifierStopReason(_ reason: String) -> String {
        guard !reason.isEmpty else { return "unknown" }
        return String(String.UnicodeScalarView(reason.unicodeScalars.prefix(maximumStopReasonLength).map { scalar in
            isStopReasonCharacter(scalar) ? scalar : "_"
        }))
    }
    /// Lexicon scores of the continuation.
    public var scores: CompletionScores
    /// Exact next-token log P(male pronoun) − log P(female pronoun) after this prompt under this model
    /// (the same for every sample of the prompt).
    public var nextTokenLogOdds: Double?

    /// Creates a record.
    public init(
        set: String, template: String?, templateId: String, group: String, term: String?, promptId: String,
        prompt: String, model: String, sampleIndex: Int, text: String, tokenCount: Int?, stopReason: String?,
        scores: CompletionScores, nextTokenLogOdds: Double?
    ) {
        self.set = set
        self.template = template
        self.templateId = templateId
        self.group = group
        self.term = term
        self.promptId = promptId
        self.prompt = prompt
        self.model = model
        self.sampleIndex = sampleIndex
        self.text = text
        self.tokenCount = tokenCount
        self.stopReason = stopReason
        self.scores = scores
        self.nextTokenLogOdds = nextTokenLogOdds
    }
}

/// The scores of one continuation, as written to `completions.jsonl`.
public struct CompletionScores: Codable, Sendable, Equatable {
    /// VADER compound.
    public var compound: Double
    /// VADER neg, neu, pos.
    public var negative: Double
    /// See ``negative``.
    public var neutral: Double
    /// See ``negative``.
    public var positive: Double
    /// `positive`, `negative` or `neutral` by the run's thresholds.
    public var sentimentLabel: SentimentLabel
    /// Male, female and neutral pronouns.
    public var malePronouns: Int
    /// See ``malePronouns``.
    public var femalePronouns: Int
    /// See ``malePronouns``.
    public var neutralPronouns: Int
    /// Male and female gendered nouns.
    public var maleTerms: Int
    /// See ``maleTerms``.
    public var femaleTerms: Int
    /// `male`, `female`, `both` or `none`.
    public var genderLabel: GenderLabel

    /// Scores a continuation with the run's thresholds.
    public init(_ scores: TextScores, positiveThreshold: Double, negativeThreshold: Double) {
        let sentiment = scores.sentiment
        compound = sentiment.compound
        negative = sentiment.negative
        neutral = sentiment.neutral
        positive = sentiment.positive
        sentimentLabel = SentimentLabel(
            compound: sentiment.compound, positiveThreshold: positiveThreshold, negativeThreshold: negativeThreshold)
        malePronouns = scores.pronouns.male
        femalePronouns = scores.pronouns.female
        neutralPronouns = scores.pronouns.neutral
        maleTerms = scores.pronouns.maleTerms
        femaleTerms = scores.pronouns.femaleTerms
        genderLabel = scores.pronouns.label
    }

    /// Male words (pronouns and nouns).
    public var maleWords: Int { malePronouns + maleTerms }
    /// Female words (pronouns and nouns).
    public var femaleWords: Int { femalePronouns + femaleTerms }
}

/// A continuation's sentiment class by the run's VADER compound thresholds.
public enum SentimentLabel: String, Codable, Sendable, CaseIterable {
    /// Compound at or above the positive threshold.
    case positive
    /// Strictly between the thresholds.
    case neutral
    /// Compound at or below the negative threshold.
    case negative

    /// The class of `compound`: positive when `compound >= positiveThreshold`, else negative when
    /// `compound <= negativeThreshold`, else neutral.
    public init(compound: Double, positiveThreshold: Double, negativeThreshold: Double) {
        self = compound >= positiveThreshold ? .positive : compound <= negativeThreshold ? .negative : .neutral
    }
}
