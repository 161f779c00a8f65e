/// A point estimate with an optional percentile confidence interval.
///
/// Meaning of the undefined cases (never a crash, never a silent number):
/// - `value` is NaN when the estimate does not exist: no observations, or Σw = 0 (for example a
///   pronoun share of a group whose completions contain no gendered pronoun), or a contrast whose
///   groups share no template with weight in both. In JSON it is written as `null`.
/// - `lower`/`upper` are nil when no interval is reported: the value is NaN, the bootstrap was
///   skipped (`resamples == 0`), a group has fewer than two units (the unit-level variability that
///   the interval must reflect cannot be estimated from one unit), or fewer than half of the
///   bootstrap resamples had Σw > 0 (the data carry too little weight for an interval).
public struct Estimate: Sendable, Equatable, Codable {
    /// The point estimate (ratio of sums, or a contrast / difference of them); NaN when undefined.
    public var value: Double
    /// The lower end of the percentile interval, or nil (see the type's documentation).
    public var lower: Double?
    /// The upper end of the percentile interval, or nil.
    public var upper: Double?
    /// The number of independent units behind the estimate (terms or fixed prompts; for a contrast,
    /// the units of both groups in the shared templates).
    public var n: Int
    /// The number of observations (completions) behind the estimate.
    public var observations: Int
    /// The total weight Σw behind the estimate (for a pronoun share: the number of gendered pronouns).
    public var weight: Double

    /// Creates an estimate.
    public init(value: Double, lower: Double?, upper: Double?, n: Int, observations: Int, weight: Double) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.n = n
        self.observations = observations
        self.weight = weight
    }

    /// Whether a confidence interval is reported.
    public var hasInterval: Bool { lower != nil && upper != nil }

    private enum CodingKeys: String, CodingKey {
        case value, lower, upper, n, observations, weight
    }

    /// Decodes an estimate; a `null` value decodes as NaN.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decodeIfPresent(Double.self, forKey: .value) ?? .nan
        lower = try container.decodeIfPresent(Double.self, forKey: .lower)
        upper = try container.decodeIfPresent(Double.self, forKey: .upper)
        n = try container.decode(Int.self, forKey: .n)
        observations = try container.decode(Int.self, forKey: .observations)
        weight = try container.decode(Double.self, forKey: .weight)
    }

    /// Encodes an estimate; a NaN value is written as `null` so that plain JSON encoders accept it.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if value.isFinite {
            try container.encode(value, forKey: .value)
        } else {
            try container.encodeNil(forKey: .value)
        }
        try container.encodeIfPresent(lower, forKey: .lower)
        try container.encodeIfPresent(upper, forKey: .upper)
        try container.encode(n, forKey: .n)
        try container.encode(observations, forKey: .observations)
        try container.encode(weight, forKey: .weight)
    }

    /// Equality that treats two NaN values as equal (both mean "undefined").
    public static func == (lhs: Estimate, rhs: Estimate) -> Bool {
        let sameValue = lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)
        return sameValue && lhs.lower == rhs.lower && lhs.upper == rhs.upper && lhs.n == rhs.n
            && lhs.observations == rhs.observations && lhs.weight == rhs.weight
    }
}
