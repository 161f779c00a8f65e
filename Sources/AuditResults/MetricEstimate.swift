import Foundation

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
