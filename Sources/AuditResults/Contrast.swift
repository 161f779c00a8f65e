import Foundation

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
