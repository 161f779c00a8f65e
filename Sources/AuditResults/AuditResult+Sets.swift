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

    /// Orders metrics as declared.
    public static func < (lhs: AuditMetric, rhs: AuditMetric) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A point estimate with its confidence interval.
public struct MetricEstimate: Codable, Sendable, Equatable {
    /// The estimate; `nil` when undefined (for example a male share with no gendered word at all).
    public var value: Double?
    /// Lower bound of the confidence interval, `nil` when it cannot be computed.
    public var lower: Double?
    /// Upper bound of the confidence interval.
    public var upper: Double?
    /// Observations behind the estimate (completions, or prompts for next-token metrics).
    public var n: Int

    /// Creates an estimate.
    public init(value: Double?, lower: Double?, upper: Double?, n: Int) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.n = n
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

/// Group A minus group B on one metric under one model, stratified by template.
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
    /// A − B with its bootstrap CI.
    public var difference: MetricEstimate
    /// Two-sided permutation p-value (labels permuted among terms within templates).
    public var pValue: Double?
    /// Benjamini–Hochberg q-value across every contrast of the run.
    public var qValue: Double?
    /// Cohen's d (means) or Cohen's h (rates).
    public var effectSize: Double?
    /// `"cohens_d"` or `"cohens_h"`.
    public var effectSizeKind: String
    /// Relabellings behind the p-value.
    public var permutations: Int
    /// Whether the p-value enumerated every relabelling.
    public var exact: Bool

    /// Creates a contrast.
    public init(
        id: String, model: String, metric: AuditMetric, groupA: String, groupB: String, difference: MetricEstimate,
        pValue: Double?, qValue: Double?, effectSize: Double?, effectSizeKind: String, permutations: Int, exact: Bool
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
        self.permutations = permutations
        self.exact = exact
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
    /// B's contrast minus A's, with a 95% CI.
    public var difference: MetricEstimate
    /// Whether the CI resampled terms and random streams jointly (common random numbers).
    public var paired: Bool

    /// Creates a comparison.
    public init(
        contrastID: String, set: String, metric: AuditMetric, modelA: String, modelB: String, valueA: Double?,
        valueB: Double?, difference: MetricEstimate, paired: Bool
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
    }

    // Explicit keys: the snake_case coders would write `contrast_id` and read back `contrastId`.
    private enum CodingKeys: String, CodingKey {
        case contrastID = "contrastId", set, metric, modelA, modelB, valueA, valueB, difference, paired
    }
}
