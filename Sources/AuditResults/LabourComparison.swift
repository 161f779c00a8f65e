import Foundation

/// One model's male share per occupation beside the labour statistics' share of men, and how well the
/// two rank the occupations alike.
public struct LabourComparison: Codable, Sendable, Equatable {
    /// The model id.
    public var model: String
    /// One row per occupation term with a `women_share`, in the set's group and term order.
    public var occupations: [OccupationShare]
    /// Spearman's rank correlation between the model's male share and the men's share over the
    /// occupations with enough gendered words; nil when it is undefined (see ``insufficient``).
    public var spearman: Double?
    /// Its two-sided p-value against no association (exact over the orderings for up to 8 occupations; absent in
    /// results written before it existed, nil where ρ is undefined).
    public var spearmanPValue: Double?
    /// How many occupations have enough gendered words to enter the correlation.
    public var supported: Int
    /// Why there is no correlation ("fewer than 4 occupations with enough gendered words (2)"), or nil.
    public var insufficient: String?

    /// The fewest supported occupations a rank correlation is reported for.
    public static let minimumOccupations = 4

    /// Creates a comparison.
    public init(
        model: String, occupations: [OccupationShare], spearman: Double?, supported: Int, insufficient: String?
    ) {
        self.model = model
        self.occupations = occupations
        self.spearman = spearman
        self.supported = supported
        self.insufficient = insufficient
    }
}

/// One occupation under one model.
public struct OccupationShare: Codable, Sendable, Equatable {
    /// The occupation term.
    public var term: String
    /// The group it belongs to.
    public var group: String
    /// The labour statistics' share of women employed in it (the term's `women_share`).
    public var womenShare: Double
    /// The labour statistics' share of men, 1 − ``womenShare``.
    public var menShare: Double
    /// The model's male share among gendered words of the term's completions, with its interval (or
    /// the reason it has none: too few gendered words).
    public var maleShare: MetricEstimate

    /// Creates a row.
    public init(term: String, group: String, womenShare: Double, maleShare: MetricEstimate) {
        self.term = term
        self.group = group
        self.womenShare = womenShare
        // In decimal: 1 − 0.92 is 0.07999999999999996 in binary (a newcomer's review of results.json).
        self.menShare = Self.complement(womenShare)
        self.maleShare = maleShare
    }

    /// 1 − `share`, subtracted in decimal from the shortest decimal that reads back as `share` (what the prompt set wrote)
    /// and taken to the nearest double: 0.08 for 0.92, without the binary noise of 1 − 0.92. Never farther from the exact
    /// complement than binary subtraction, so shares that differ keep their order (a code review: rounding to 12
    /// decimals merged 0.1234567890123 and 0.1234567890124).
    static func complement(_ share: Double) -> Double {
        guard share.isFinite, let decimal = Decimal(string: "\(share)", locale: Locale(identifier: "en_US_POSIX")) else {
            return 1 - share
        }
        // Through its decimal text: NSDecimalNumber's doubleValue is not the nearest double (0.98 came out 0.9800000000000001).
        return Double((1 - decimal).description) ?? 1 - share
    }

    /// Whether the model's male share has a value with enough gendered words: the occupations Spearman's ρ is
    /// computed over (``LabourComparison/supported`` counts them).
    public var isSupported: Bool { maleShare.value != nil && maleShare.insufficient == nil }
}
