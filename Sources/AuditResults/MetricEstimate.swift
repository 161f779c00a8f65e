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
    /// `pooled_term_variance`, or ``copiesMethod`` for copies of one completion per prompt).
    public var method: String?
    /// The `method` of an estimate from copies of one completion per prompt (greedy decoding): one draw per prompt,
    /// its variance from the variation between terms (Statistics' `VarianceMethod.copies`).
    public static let copiesMethod = "copies_of_one_draw"
    /// The ``method`` of an estimate conditional on its terms, the random streams its replications (one-term groups).
    public static let conditionalMethod = "conditional_on_terms"
    /// Why no interval, test or finding is reported although a value exists (too little support), in
    /// English words: `too few gendered words (12 in a group, below the minimum of 20)`.
    public var insufficient: String?
    /// The same reason as data (reports word it in their own language); nil when supported, and in files
    /// written before it existed, which have only ``insufficient``.
    public var insufficientDetail: InsufficientSupport?

    /// Why the estimate is too thin, in English words: ``InsufficientSupport/englishText`` of ``insufficientDetail``
    /// where there is one, so that `check`, `diff` and the reports give the same counts and name the same group
    /// (a review: a file whose text named one group and whose detail named the other was printed both ways), else the
    /// recorded ``insufficient`` (files written before the detail existed); nil when supported.
    public var reasonText: String? { insufficientDetail?.englishText ?? insufficient }

    /// Whether the estimate is undefined (a group without completions), not too thin: no value and no reason of
    /// minimum support. `diff` does not compare such a contrast (`not_compared`).
    public var isUndefined: Bool { value == nil && insufficient == nil && insufficientDetail == nil }

    /// Creates an estimate.
    public init(
        value: Double?, lower: Double?, upper: Double?, n: Int, terms: Int? = nil, weight: Double? = nil,
        standardError: Double? = nil, degreesOfFreedom: Double? = nil, method: String? = nil,
        insufficient: String? = nil, insufficientDetail: InsufficientSupport? = nil
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
        self.insufficientDetail = insufficientDetail
    }

    /// Whether this is a contrast conditional on its single terms with a value and no variance: of a rate or share, what
    /// statistics revision 12 leaves of a single term beside groups of several terms that lend nothing (a one-term
    /// set's rate contrasts keep their MOVER interval; copies have ``copiesMethod``); of a mean, one whose completions
    /// all scored alike. Callers check the metric.
    public var isUnlentSingleTerm: Bool {
        method == Self.conditionalMethod && value != nil && standardError == nil && lower == nil && upper == nil
            && insufficient == nil && insufficientDetail == nil
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

/// Why an estimate lacks support, as data: `{"reason": "too_few_gendered_words", "observed": 12,
/// "minimum": 20}` in results.json (key `insufficient_detail`, beside the worded `insufficient`); a
/// contrast of two rates: `{"reason": "too_few_events", "observed": 7, "minimum": 10, "metric":
/// "negative_rate"}`.
public struct InsufficientSupport: Codable, Sendable, Equatable {
    /// What was too thin.
    public enum Reason: String, Codable, Sendable {
        /// A male share whose thinnest group has fewer gendered words than `--min-gendered-words`.
        case tooFewGenderedWords = "too_few_gendered_words"
        /// A male share whose thinnest group has fewer completions with a gendered word than half of
        /// `--min-gendered-words` (the pronouns of one completion mostly refer to one person).
        case tooFewGenderedCompletions = "too_few_gendered_completions"
        /// A contrast of two rates whose two groups together have fewer events (e.g. negative
        /// completions) than `--min-events`.
        case tooFewEvents = "too_few_events"
        /// A contrast of two rates whose two groups together have fewer non-events (e.g. completions that
        /// are not negative) than `--min-events`.
        case tooFewNonEvents = "too_few_non_events"
        /// Any other metric below its minimum support.
        case tooLittleData = "too_little_data"
        /// A group's level from one sample per prompt where the prompts of a template share their random streams
        /// (biasaudit's runs; `analyze` without `--unpaired`): the variance the shared streams carry is confounded with
        /// the templates and cannot be estimated, and intervals without it covered 74–81% (a statistician's review).
        case tooFewSamples = "too_few_samples"
    }

    /// What was too thin.
    public var reason: Reason
    /// The support: of the thinnest group (gendered words for a male share), or of the two groups together
    /// (events or non-events of a rate contrast).
    public var observed: Int
    /// The minimum support.
    public var minimum: Int
    /// The rate whose events were counted (`too_few_events`, `too_few_non_events`); nil otherwise.
    public var metric: AuditMetric?
    /// The id of the thinnest group of a contrast (one of its two groups), whose count ``observed`` is: gendered
    /// words or completions with one. Nil for a group's own level (it is that group), for the events of two groups
    /// together, and in files written before it existed ("in a group").
    public var group: String?

    /// Creates a reason.
    public init(reason: Reason, observed: Int, minimum: Int, metric: AuditMetric? = nil, group: String? = nil) {
        self.reason = reason
        self.observed = observed
        self.minimum = minimum
        self.metric = metric
        self.group = group
    }

    /// The English words results.json keeps in ``MetricEstimate/insufficient``:
    /// `too few gendered words (12 in group male_dominated, below the minimum of 20)` (``group``; "in a group"
    /// without it), `too few negative completions to compare (7 in the two groups; at least 10)`.
    public var englishText: String { englishText(inThisGroup: false) }

    /// ``englishText``, or for one group's own level (`inThisGroup`) with its count "in this group" rather than "in
    /// group …" (the smaller of a contrast's two). `groupName` names ``group`` (reports give its label; results.json
    /// its id).
    public func englishText(inThisGroup: Bool, groupName: (String) -> String = { "group \($0)" }) -> String {
        englishText(place: inThisGroup ? "in this group" : group.map { "in \(groupName($0))" } ?? "in a group")
    }

    /// ``englishText`` with the count's place in its own words ("for this occupation": one term's male share in the
    /// labour-statistics table; a newcomer's review: results.json said "in a group" where the report said that).
    public func englishText(place: String) -> String {
        switch reason {
        case .tooFewGenderedWords:
            return "too few gendered words (\(observed) \(place), below the minimum of \(minimum))"
        case .tooFewGenderedCompletions:
            return "too few completions with a gendered word (\(observed) \(place), below the minimum of \(minimum))"
        case .tooLittleData:
            return "too little data (\(observed) \(place), below the minimum of \(minimum))"
        case .tooFewSamples:
            return "too few samples per prompt to estimate the variance of the shared random streams (\(observed), below "
                + "the minimum of \(minimum))"
        case .tooFewEvents, .tooFewNonEvents:
            let what = Self.englishOutcome(metric, event: reason == .tooFewEvents)
            return "too few \(what) to compare (\(observed) in the two groups; at least \(minimum))"
        }
    }

    /// The completions a rate counts (`event`) or does not count, in English: "negative completions",
    /// "completions that are not negative".
    static func englishOutcome(_ metric: AuditMetric?, event: Bool) -> String {
        switch metric {
        case .negativeRate: event ? "negative completions" : "completions that are not negative"
        case .positiveRate: event ? "positive completions" : "completions that are not positive"
        case .genderedRate: event ? "completions with a gendered word" : "completions without a gendered word"
        case .lexiconCoverage: event ? "completions with a sentiment word" : "completions without a sentiment word"
        default: event ? "events" : "non-events"
        }
    }
}
