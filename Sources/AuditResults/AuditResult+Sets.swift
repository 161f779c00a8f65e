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

/// A point estimate with its confidence interval: how results.json writes every estimate
/// (a group level, a contrast, a change between models).
public struct MetricEstimate: Codable, Sendable, Equatable {
    /// The estimate; `nil` when undefined (for example a male share with no gendered word at all).
    public var value: Double?
    /// Lower bound of the confidence interval, `nil` when there is none (see `insufficient`).
    public var lower: Double?
    /// Upper bound of the confidence interval.
    public var upper: Double?
    /// Observations behind the estimate: completions, or prompts for the exact next-token log-odds.
    public var n: Int
    /// Distinct terms behind the estimate (the units of inference).
    public var terms: Int?
    /// The total weight behind a ratio (for the male share: the number of gendered words).
    public var weight: Double?
    /// The standard error.
    public var standardError: Double?
    /// Degrees of freedom of the t reference distribution.
    public var degreesOfFreedom: Double?
    /// How the variance was estimated (`crossed_clusters`, `term_clusters`, `conditional_on_terms`,
    /// `pooled_term_variance`).
    public var method: String?
    /// Why no interval, test or finding is reported although a value exists (too little support).
    public var insufficient: String?

    /// Creates an estimate.
    public init(
        value: Double?, lower: Double?, upper: Double?, n: Int, terms: Int? = nil, weight: Double? = nil,
        standardError: Double? = nil, degreesOfFreedom: Double? = nil, method: String? = nil,
        insufficient: String? = nil
    ) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.n = n
        self.terms = terms
        self.weight = weight
        self.standardError = standardError
        self.degreesOfFreedom = degreesOfFreedom
        self.method = method
        self.insufficient = insufficient
    }

    /// Whether the value and its interval can be reported (defined, supported, with an interval).
    public var isReportable: Bool { value != nil && insufficient == nil && lower != nil && upper != nil }

    /// +1 when the interval lies above 0, −1 below, nil when it contains 0 or is not reportable.
    public var side: Int? {
        guard isReportable, let lower, let upper else { return nil }
        if lower > 0 { return 1 }
        if upper < 0 { return -1 }
        return nil
    }
}

/// The results of one prompt set.
public struct PromptSetResult: Codable, Sendable, Equatable {
    /// The set's `name`.
    public var name: String
    /// The audited axis (gender, ethnicity, …).
    public var axis: String
    /// The set's description.
    public var description: String
    /// Where the set's terms come from.
    public var source: String
    /// The templates, in file order.
    public var templates: [String]
    /// The groups, in file order.
    public var groups: [GroupInfo]
    /// The metrics audited for this set.
    public var metrics: [AuditMetric]
    /// One entry per (model, group).
    public var groupEstimates: [GroupEstimates]
    /// Group-vs-group contrasts, per model and metric.
    public var contrasts: [Contrast]
    /// The most negative and most positive completions per (model, group).
    public var examples: [Example]

    /// Creates a prompt-set result.
    public init(
        name: String, axis: String, description: String, source: String, templates: [String], groups: [GroupInfo],
        metrics: [AuditMetric], groupEstimates: [GroupEstimates], contrasts: [Contrast], examples: [Example]
    ) {
        self.name = name
        self.axis = axis
        self.description = description
        self.source = source
        self.templates = templates
        self.groups = groups
        self.metrics = metrics
        self.groupEstimates = groupEstimates
        self.contrasts = contrasts
        self.examples = examples
    }
}

/// One group of a prompt set.
public struct GroupInfo: Codable, Sendable, Equatable {
    /// The group id from the YAML file.
    public var id: String
    /// A readable label (defaults to the id).
    public var label: String
    /// The terms that fill the slot, or the fixed prompts.
    public var terms: [String]
    /// How many prompts the group expands to.
    public var promptCount: Int

    /// Creates a group description.
    public init(id: String, label: String, terms: [String], promptCount: Int) {
        self.id = id
        self.label = label
        self.terms = terms
        self.promptCount = promptCount
    }
}

/// The estimates of one group under one model.
public struct GroupEstimates: Codable, Sendable, Equatable {
    /// The model id (as in the manifest).
    public var model: String
    /// The group id.
    public var group: String
    /// Completions scored.
    public var completions: Int
    /// One estimate per audited metric.
    public var estimates: [MetricValue]

    /// Creates a group's estimates.
    public init(model: String, group: String, completions: Int, estimates: [MetricValue]) {
        self.model = model
        self.group = group
        self.completions = completions
        self.estimates = estimates
    }

    /// The estimate of `metric`, if audited.
    public func estimate(_ metric: AuditMetric) -> MetricEstimate? {
        estimates.first { $0.metric == metric }?.estimate
    }
}

/// A metric and its estimate.
public struct MetricValue: Codable, Sendable, Equatable {
    /// Which metric.
    public var metric: AuditMetric
    /// Its estimate with CI.
    public var estimate: MetricEstimate

    /// Creates a metric value.
    public init(metric: AuditMetric, estimate: MetricEstimate) {
        self.metric = metric
        self.estimate = estimate
    }
}

/// Group A minus group B on one metric under one model.
public struct Contrast: Codable, Sendable, Equatable {
    /// Stable id: `<set>/<metric>/<groupA>-vs-<groupB>`; the same across models and runs.
    public var id: String
    /// The model id.
    public var model: String
    /// The metric.
    public var metric: AuditMetric
    /// The first group (minuend).
    public var groupA: String
    /// The second group (subtrahend).
    public var groupB: String
    /// A − B (the same estimand as the groups' rows) with its t interval.
    public var difference: MetricEstimate
    /// Two-sided p-value of A − B = 0 (Welch-type t over term and stream clusters); nil for
    /// descriptive metrics and when undefined or insufficient.
    public var pValue: Double?
    /// Benjamini–Hochberg q-value within the contrast's family (`family`); nil outside any family.
    public var qValue: Double?
    /// Cohen's d on completion-level scores (means) or Cohen's h (rates and shares).
    public var effectSize: Double?
    /// `"cohens_d"` or `"cohens_h"`.
    public var effectSizeKind: String
    /// The multiple-comparison family: `<set>/<model>` for the set's primary metrics; nil for
    /// descriptive metrics, which are never findings.
    public var family: String?
    /// The smallest |A − B| the design detects with 80% power at α = 0.05 (two-sided), in the metric's
    /// units; nil when it cannot be computed.
    public var minimumDetectableEffect: Double?

    /// Creates a contrast.
    public init(
        id: String, model: String, metric: AuditMetric, groupA: String, groupB: String, difference: MetricEstimate,
        pValue: Double?, qValue: Double?, effectSize: Double?, effectSizeKind: String, family: String? = nil,
        minimumDetectableEffect: Double? = nil
    ) {
        self.id = id
        self.model = model
        self.metric = metric
        self.groupA = groupA
        self.groupB = groupB
        self.difference = difference
        self.pValue = pValue
        self.qValue = qValue
        self.effectSize = effectSize
        self.effectSizeKind = effectSizeKind
        self.family = family
        self.minimumDetectableEffect = minimumDetectableEffect
    }

    /// Whether the contrast is a finding: in a family, supported, and q below `Findings.threshold`.
    /// The one place that decides it; reports, `diff`, `check` and the terminal summary ask here.
    public var isFinding: Bool {
        guard family != nil, difference.insufficient == nil, let qValue else { return false }
        return qValue < Findings.threshold
    }
}

/// What counts as a finding, decided once for every output.
public enum Findings {
    /// The false-discovery-rate level: a contrast is a finding when its Benjamini–Hochberg q-value
    /// within its family is below this.
    public static let threshold = 0.05

    /// The findings of `contrasts`, ranked: strongest evidence first (ascending q, then p), then the
    /// larger standardized effect |d| or |h|, then the id. Effect sizes of different kinds are only
    /// tie-breakers, never compared as one scale.
    public static func ranked(_ contrasts: [Contrast]) -> [Contrast] {
        contrasts.filter(\.isFinding).sorted {
            ($0.qValue ?? 1, $0.pValue ?? 1, -abs($0.effectSize ?? 0), $0.id, $0.model)
                < ($1.qValue ?? 1, $1.pValue ?? 1, -abs($1.effectSize ?? 0), $1.id, $1.model)
        }
    }
}

/// One example completion shown in reports.
public struct Example: Codable, Sendable, Equatable {
    /// The model id.
    public var model: String
    /// The group id.
    public var group: String
    /// `"most_negative"` or `"most_positive"`.
    public var kind: String
    /// The prompt text (untrusted when rendered: escape it).
    public var prompt: String
    /// The continuation (model output: untrusted, escape it everywhere).
    public var continuation: String
    /// Its VADER compound.
    public var compound: Double

    /// Creates an example.
    public init(model: String, group: String, kind: String, prompt: String, continuation: String, compound: Double) {
        self.model = model
        self.group = group
        self.kind = kind
        self.prompt = prompt
        self.continuation = continuation
        self.compound = compound
    }
}

/// The verdict on one contrast between two models or runs.
public enum ComparisonVerdict: String, Codable, Sendable, CaseIterable {
    /// |B| > |A| with q < `Findings.threshold` (joint test of both sides' uncertainty).
    case moreBiased = "more_biased"
    /// |B| < |A| with q < `Findings.threshold`.
    case lessBiased = "less_biased"
    /// Neither claim is supported.
    case noDetectableChange = "no_detectable_change"
    /// A contrast is undefined on one side or has no interval.
    case undetermined
    /// A side is below the metric's minimum support (e.g. too few gendered words).
    case insufficientData = "insufficient_data"

    /// Plain words for reports and terminals.
    public var words: String {
        switch self {
        case .moreBiased: "more biased"
        case .lessBiased: "less biased"
        case .noDetectableChange: "no detectable change"
        case .undetermined: "undetermined"
        case .insufficientData: "insufficient data"
        }
    }
}

/// One contrast compared between two models of the same run (paired) or two runs.
public struct ModelComparison: Codable, Sendable, Equatable {
    /// The contrast id (see ``Contrast/id``).
    public var contrastID: String
    /// The prompt set.
    public var set: String
    /// The metric.
    public var metric: AuditMetric
    /// Model A's id.
    public var modelA: String
    /// Model B's id.
    public var modelB: String
    /// The contrast under A.
    public var valueA: Double?
    /// The contrast under B.
    public var valueB: Double?
    /// B's contrast minus A's, with its 95% CI.
    public var difference: MetricEstimate
    /// Whether the two share terms and random streams (common random numbers).
    public var paired: Bool
    /// A's contrast with its own interval.
    public var contrastA: MetricEstimate?
    /// B's contrast with its own interval.
    public var contrastB: MetricEstimate?
    /// |B| − |A| at the point estimates (no interval: |·| is not smooth at 0).
    public var growth: Double?
    /// p-value of |B| > |A| (intersection–union test on B − A and B + A).
    public var pMoreBiased: Double?
    /// p-value of |B| < |A|.
    public var pLessBiased: Double?
    /// Benjamini–Hochberg q-value of min(pMoreBiased, pLessBiased) over the comparison's contrasts.
    public var qValue: Double?
    /// The verdict.
    public var verdict: ComparisonVerdict?
    /// Whether A's and B's intervals exclude 0 on opposite sides: the favoured group swapped.
    public var signReversed: Bool?

    /// Creates a comparison.
    public init(
        contrastID: String, set: String, metric: AuditMetric, modelA: String, modelB: String, valueA: Double?,
        valueB: Double?, difference: MetricEstimate, paired: Bool, contrastA: MetricEstimate? = nil,
        contrastB: MetricEstimate? = nil, growth: Double? = nil, pMoreBiased: Double? = nil,
        pLessBiased: Double? = nil, qValue: Double? = nil, verdict: ComparisonVerdict? = nil,
        signReversed: Bool? = nil
    ) {
        self.contrastID = contrastID
        self.set = set
        self.metric = metric
        self.modelA = modelA
        self.modelB = modelB
        self.valueA = valueA
        self.valueB = valueB
        self.difference = difference
        self.paired = paired
        self.contrastA = contrastA
        self.contrastB = contrastB
        self.growth = growth
        self.pMoreBiased = pMoreBiased
        self.pLessBiased = pLessBiased
        self.qValue = qValue
        self.verdict = verdict
        self.signReversed = signReversed
    }

    // Explicit keys: the snake_case coders would write `contrast_id` and read back `contrastId`.
    private enum CodingKeys: String, CodingKey {
        case contrastID = "contrastId", set, metric, modelA, modelB, valueA, valueB, difference, paired, contrastA,
            contrastB, growth, pMoreBiased, pLessBiased, qValue, verdict, signReversed
    }
}
