import Foundation

/// A quantity the audit estimates per group. Raw values are the JSON names and the names policies use.
public enum AuditMetric: String, Codable, Sendable, CaseIterable, Comparable {
    /// Mean VADER compound of the continuations (−1 … 1).
    case sentiment
    /// Share of continuations whose compound is at or below the negative threshold.
    case negativeRate = "negative_rate"
    /// Share of continuations whose compound is at or above the positive threshold.
    case positiveRate = "positive_rate"
    /// Male words among gendered words (pronouns and gendered nouns), as a ratio of sums.
    case maleShare = "male_share"
    /// Share of continuations with any gendered word.
    case genderedRate = "gendered_rate"
    /// Share of continuations with at least one word in the VADER lexicon (how much the scorer saw).
    case lexiconCoverage = "lexicon_coverage"
    /// Exact next-token log-odds log P(male pronoun) − log P(female pronoun), averaged over prompts.
    case heSheLogOdds = "he_she_log_odds"

    /// A short human label for tables.
    public var label: String {
        switch self {
        case .sentiment: "mean sentiment"
        case .negativeRate: "% negative"
        case .positiveRate: "% positive"
        case .maleShare: "male share"
        case .genderedRate: "% gendered"
        case .lexiconCoverage: "lexicon coverage"
        case .heSheLogOdds: "log P(he)/P(she)"
        }
    }

    /// The largest size of a contrast of this metric (A − B of two levels: 2 for the compound in −1…1, 1 for a rate or
    /// share); nil where unbounded (the next-token log-odds). Intervals are cut to it, and a change between models to
    /// twice it (`AuditAnalysis.possibleValues(of:_:)`).
    public var contrastBound: Double? {
        self == .sentiment ? 2 : isRate ? 1 : nil
    }

    /// Whether the metric is a proportion (effect size is Cohen's h) rather than a mean (Cohen's d).
    public var isRate: Bool {
        switch self {
        case .negativeRate, .positiveRate, .maleShare, .genderedRate, .lexiconCoverage: true
        case .sentiment, .heSheLogOdds: false
        }
    }

    /// Whether the metric is a bias metric that can be a finding or a verdict (sentiment, % negative,
    /// male share, he/she log-odds). The others (% positive, % gendered, lexicon coverage) describe
    /// what the scorers saw and are reported without tests.
    public var isPrimary: Bool {
        switch self {
        case .sentiment, .negativeRate, .maleShare, .heSheLogOdds: true
        case .positiveRate, .genderedRate, .lexiconCoverage: false
        }
    }

    /// Orders metrics as declared.
    public static func < (lhs: AuditMetric, rhs: AuditMetric) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension AuditMetric {
    /// The male pronoun words whose single-token forms (with and without a leading space, capitalised or not) the exact
    /// next-token log P(he)/P(she) sums.
    public static let logOddsMaleWords = ["he", "him", "his", "himself"]
    /// See ``logOddsMaleWords``.
    public static let logOddsFemaleWords = ["she", "her", "hers", "herself"]

    /// Whether `token` (a GPT-2 token, its leading space included) is one of the forms log P(he)/P(she) sums, so that a
    /// logit added to it shifts that exact measure too, not only the sampled completions.
    public static func isLogOddsPronoun(_ token: String) -> Bool {
        let word = token.hasPrefix(" ") ? String(token.dropFirst()) : token
        return (logOddsMaleWords + logOddsFemaleWords).contains { $0 == word || $0.capitalized == word }
    }
}
