/// A point estimate with its confidence interval, standard error and degrees of freedom: the one
/// interval type of the statistics.
///
/// Meaning of the undefined cases (never a crash, never a silent number):
/// - `value` is NaN when the estimate does not exist: no observations, or Σw = 0 (for example a male
///   share of a group whose completions contain no gendered word). In JSON it is written as `null`.
/// - `insufficient` is set (and `value` may still be finite) when the data are too thin to mean
///   anything: fewer gendered words than the minimum support. No interval, test or finding is then
///   reported; reports print the reason instead of a number.
/// - `lower`/`upper` are nil when no interval is reported: the value is NaN or insufficient, or the
///   design gives no replication to estimate a variance from.
public struct Estimate: Sendable, Equatable, Codable {
    /// The point estimate; NaN when undefined.
    public var value: Double
    /// The lower end of the interval, or nil (see the type's documentation).
    public var lower: Double?
    /// The upper end of the interval, or nil.
    public var upper: Double?
    /// The number of independent term units behind the estimate (distinct terms over all groups).
    public var n: Int
    /// The number of observations (completions, or prompts for exact next-token quantities).
    public var observations: Int
    /// The total weight Σw behind the estimate (for a male share: the number of gendered words).
    public var weight: Double
    /// The standard error, when estimated.
    public var standardError: Double?
    /// The degrees of freedom of the t reference distribution, when estimated.
    public var degreesOfFreedom: Double?
    /// How the variance was estimated.
    public var method: VarianceMethod?
    /// Why the estimate is too thin to report an interval or test (the support it had and the minimum
    /// it needed), or nil.
    public var insufficient: SupportShortfall?

    /// Creates an estimate.
    public init(
        value: Double, lower: Double?, upper: Double?, n: Int, observations: Int, weight: Double,
        standardError: Double? = nil, degreesOfFreedom: Double? = nil, method: VarianceMethod? = nil,
        insufficient: SupportShortfall? = nil
    ) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.n = n
        self.observations = observations
        self.weight = weight
        self.standardError = standardError
        self.degreesOfFreedom = degreesOfFreedom
        self.method = method
        self.insufficient = insufficient
    }

    /// Whether a confidence interval is reported.
    public var hasInterval: Bool { lower != nil && upper != nil }

    /// This estimate marked too thin (`reason`): the value stays, the interval, standard error and
    /// degrees of freedom go, so no reader can print an interval beside "insufficient data".
    public func insufficient(_ reason: SupportShortfall) -> Estimate {
        Estimate(value: value, lower: nil, upper: nil, n: n, observations: observations, weight: weight,
                 method: method, insufficient: reason)
    }

    private enum CodingKeys: String, CodingKey {
        case value, lower, upper, n, observations, weight, standardError, degreesOfFreedom, method, insufficient
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
        standardError = try container.decodeIfPresent(Double.self, forKey: .standardError)
        degreesOfFreedom = try container.decodeIfPresent(Double.self, forKey: .degreesOfFreedom)
        method = try container.decodeIfPresent(VarianceMethod.self, forKey: .method)
        insufficient = try container.decodeIfPresent(SupportShortfall.self, forKey: .insufficient)
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
        try container.encodeIfPresent(standardError, forKey: .standardError)
        try container.encodeIfPresent(degreesOfFreedom, forKey: .degreesOfFreedom)
        try container.encodeIfPresent(method, forKey: .method)
        try container.encodeIfPresent(insufficient, forKey: .insufficient)
    }

    /// Equality that treats two NaN values as equal (both mean "undefined").
    public static func == (lhs: Estimate, rhs: Estimate) -> Bool {
        let sameValue = lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)
        return sameValue && lhs.lower == rhs.lower && lhs.upper == rhs.upper && lhs.n == rhs.n
            && lhs.observations == rhs.observations && lhs.weight == rhs.weight
            && lhs.standardError == rhs.standardError && lhs.degreesOfFreedom == rhs.degreesOfFreedom
            && lhs.method == rhs.method && lhs.insufficient == rhs.insufficient
    }
}

/// Why an estimate lacks support, both counts rounded to whole units: for a male share the thinnest
/// group's gendered words and `InferenceSettings.minimumWeight`; for a contrast of two rates the events
/// (or non-events, whichever are fewer) in the two groups together and `InferenceSettings.minimumEvents`.
public struct SupportShortfall: Sendable, Equatable, Codable, CustomStringConvertible {
    /// What was counted.
    public enum Kind: String, Sendable, Codable {
        /// Weight Σw of the thinnest group (gendered words of a male share).
        case weight
        /// Events (outcomes 1) in the two groups of a rate contrast.
        case events
        /// Non-events (outcomes 0) in the two groups of a rate contrast.
        case nonEvents = "non_events"
        /// Observations with weight of the thinnest group (completions with a gendered word, for a male share).
        case weightedObservations = "weighted_observations"
    }

    /// The support: of the thinnest group (`.weight`), or of the two groups together (`.events`, `.nonEvents`).
    public var observed: Int
    /// The minimum support.
    public var minimum: Int
    /// What `observed` counts.
    public var kind: Kind
    /// For `.weight` and `.weightedObservations`: the index, among the estimand's arms (a contrast's A = 0, B = 1;
    /// a level's one group = 0), of the thinnest one, whose count `observed` is (the first of equals); nil for the
    /// event counts of two groups together, and in values written before it existed.
    public var arm: Int?

    /// Creates a shortfall.
    public init(observed: Int, minimum: Int, kind: Kind = .weight, arm: Int? = nil) {
        self.observed = observed
        self.minimum = minimum
        self.kind = kind
        self.arm = arm
    }

    private enum CodingKeys: String, CodingKey { case observed, minimum, kind, arm }

    /// Decodes a shortfall; `kind`, absent from values written before it existed, is `.weight`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        observed = try container.decode(Int.self, forKey: .observed)
        minimum = try container.decode(Int.self, forKey: .minimum)
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .weight
        arm = try container.decodeIfPresent(Int.self, forKey: .arm)
    }

    /// `12 in a group, below the minimum of 20`; `7 events in the two groups, below the minimum of 10`.
    public var description: String {
        switch kind {
        case .weight: "\(observed) in a group, below the minimum of \(minimum)"
        case .events: "\(observed) events in the two groups, below the minimum of \(minimum)"
        case .nonEvents: "\(observed) non-events in the two groups, below the minimum of \(minimum)"
        case .weightedObservations: "\(observed) completions with weight in a group, below the minimum of \(minimum)"
        }
    }
}
