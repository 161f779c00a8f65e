import Foundation

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
