import AuditResults
import Foundation

/// How the interval of a change between two runs (or two models) was obtained.
public enum DiffMethod: String, Codable, Sendable, CaseIterable {
    /// Paired: both runs share terms and random streams (common random numbers), so their term and
    /// stream clusters are shared in the variance of the change.
    case paired
    /// From both runs' completions, unpaired: each run's streams are separate clusters, the terms shared (different
    /// seeds or samples, runs analysed unpaired, served models).
    case unpaired
    /// No completions: the two contrasts' standard errors, the change with SE₁² + SE₂² and the sum of the verdict's test
    /// with (SE₁ + SE₂)² (their covariance unknown; Welch–Satterthwaite df).
    case normalApproximation = "normal_approximation"
    /// Nothing to compare: the contrast is undefined in a run (a group of it has no completions there), so the change is
    /// undetermined and was computed by no method (practitioner's review: such rows were counted as compared "from the
    /// two contrasts' standard errors alone").
    case notCompared = "not_compared"

    /// A short label for tables.
    public var label: String {
        switch self {
        case .paired: "paired"
        case .unpaired: "unpaired"
        case .normalApproximation: "from the two summaries"
        case .notCompared: "not compared: undefined"
        }
    }
}

/// One contrast compared between A and B.
///
/// The verdict is ``ModelComparison/computedVerdict`` of the same joint test the report uses: |B| vs |A|
/// from the change B − A and the sum B + A with both sides' uncertainty (see
/// `Statistics.modelDifference`), q-values over the diff's primary contrasts.
public struct RunDiffEntry: Codable, Sendable, Equatable {
    /// The contrast id `<set>/<metric>/<groupA>-vs-<groupB>`.
    public var contrastID: String
    /// The prompt set.
    public var set: String
    /// The set's axis.
    public var axis: String
    /// The metric.
    public var metric: AuditMetric
    /// The contrast's first group.
    public var groupA: String
    /// The contrast's second group.
    public var groupB: String
    /// The model on side A.
    public var modelA: String
    /// The model on side B.
    public var modelB: String
    /// The contrast under A.
    public var valueA: Double?
    /// The contrast under B.
    public var valueB: Double?
    /// A's contrast with its own interval.
    public var contrastA: MetricEstimate?
    /// B's contrast with its own interval.
    public var contrastB: MetricEstimate?
    /// B − A with its CI.
    public var change: MetricEstimate
    /// |B| − |A| at the point estimates (no interval: |·| is not smooth at 0; the verdict uses the
    /// joint test).
    public var growth: Double?
    /// p-value of |B| > |A|.
    public var pMoreBiased: Double?
    /// p-value of |B| < |A|.
    public var pLessBiased: Double?
    /// Benjamini–Hochberg q-value over the diff's primary contrasts.
    public var qValue: Double?
    /// How the CI was computed.
    public var method: DiffMethod
    /// The verdict.
    public var verdict: ComparisonVerdict
    /// Whether A's and B's intervals exclude 0 on opposite sides (uncorrected for the comparisons made).
    public var signReversed: Bool
    /// "contrast moved" (``AuditResults/ComparisonVerdict/marksContrastMoved(reversed:change:)``), as `diff --format json`
    /// writes it for every entry (`contrast_moved`); set with the verdict, nil only in a decoded file without the key.
    public var contrastMoved: Bool? = nil
    /// True when the verdict is undetermined because the two contrasts compare their groups on different templates
    /// (`templates_compared`, or the completions: a group × template cell without data on one side); nil otherwise.
    public var onDifferentTemplates: Bool? = nil
    /// True when the verdict is undetermined because the two contrasts rest on different terms of a group (a term with
    /// completions on one side only: ``AuditResults/ModelComparison/onDifferentTerms``, or from results alone the
    /// groups' `terms_with_data`); nil otherwise.
    public var onDifferentTerms: Bool? = nil

    /// Why a contrast is undefined where a change is not computed: a group without completions (a male share: without a
    /// gendered word, a practitioner's review), or two groups that share no template (a review: the note named the first
    /// only where the second was the cause).
    static let whyUndefined = "a group of it has no completions there (for a male share, none with a gendered word), or its "
        + "two groups share no template"

    /// The note of a diff with `count` entries undetermined for different templates (``onDifferentTemplates``), the
    /// first of them `example`.
    static func differentTemplatesNote(count: Int, example: String) -> String {
        "\(ReportNumbers.counted(count, "change")) undetermined because the two contrasts compare their groups on different templates (e.g. "
            + "\(example); templates_compared in results.json): a group × template cell has no data on one side (a "
            + "completions file missed it, or it has no next_token_log_odds), and the change would mix the templates' "
            + "effects with the models'. Complete the missing cells, or compare runs whose contrasts cover the same "
            + "templates."
    }

    /// The note of a diff with `count` entries undetermined for different terms (``onDifferentTerms``), the first of
    /// them `example`; `fromSummaries`: some were compared from the results alone, which say how many terms a contrast
    /// rests on, not which.
    static func differentTermsNote(count: Int, example: String, fromSummaries: Bool) -> String {
        "\(ReportNumbers.counted(count, "change")) undetermined because the two contrasts rest on different terms (e.g. "
            + "\(example)): a group has data of some term on one side only (a completions file missed every prompt of it, "
            + "or, for he_she_log_odds, its next_token_log_odds), and the change would mix which terms are there with the "
            + "difference between the two sides. Complete the missing prompts, or compare runs whose data cover the same "
            + "terms." + (fromSummaries
                ? " From results alone a contrast on fewer terms than its groups have cannot be matched term by term with "
                    + "the other, and counts as on different terms: keep each run's completions.jsonl beside its results.json "
                    + "to compare them exactly."
                : "")
    }

    /// Creates an entry from a comparison (its verdict and q-value as assigned; without a verdict, the one its q-value
    /// gives at the false discovery rate `threshold`).
    public init(
        _ comparison: ModelComparison, axis: String, groupA: String, groupB: String, method: DiffMethod, threshold: Double
    ) {
        contrastID = comparison.contrastID
        set = comparison.set
        self.axis = axis
        metric = comparison.metric
        self.groupA = groupA
        self.groupB = groupB
        modelA = comparison.modelA
        modelB = comparison.modelB
        valueA = comparison.valueA
        valueB = comparison.valueB
        contrastA = comparison.contrastA
        contrastB = comparison.contrastB
        change = comparison.difference
        growth = comparison.growth
        pMoreBiased = comparison.pMoreBiased
        pLessBiased = comparison.pLessBiased
        qValue = comparison.qValue
        self.method = method
        verdict = comparison.verdict ?? comparison.computedVerdict(below: threshold)
        signReversed = comparison.signReversed ?? false
        contrastMoved = verdict.marksContrastMoved(reversed: signReversed, change: change)
        onDifferentTerms = comparison.onDifferentTerms
    }
}

/// One side of a comparison: a results file and the model taken from it.
public struct RunDiffSide: Codable, Sendable, Equatable {
    /// The results file as the user named it.
    public var path: String
    /// The models compared on this side, in pair order.
    public var models: [String]

    /// Creates a side.
    public init(path: String, models: [String]) {
        self.path = path
        self.models = models
    }
}

/// A prompt set that only one side of a diff audited.
public struct SetOnOneSide: Codable, Sendable, Equatable {
    /// The set's name.
    public var name: String
    /// Its axis.
    public var axis: String
    /// Its tested (primary) metrics: the ones a growth rule can judge.
    public var metrics: [AuditMetric]

    /// Creates an entry.
    public init(name: String, axis: String, metrics: [AuditMetric]) {
        self.name = name
        self.axis = axis
        self.metrics = metrics
    }
}

/// The bias differences between two runs or two models of one run (`biasaudit diff`).
public struct RunDiff: Codable, Sendable, Equatable {
    /// Side A (the reference, e.g. the old checkpoint or the baseline).
    public var a: RunDiffSide
    /// Side B (the candidate).
    public var b: RunDiffSide
    /// The confidence level of every interval.
    public var confidenceLevel: Double
    /// The false discovery rate of the verdicts (the runs' ``AuditResults/RunParameters/findingThreshold``); nil in
    /// diffs built before it was recorded (0.05).
    public var falseDiscoveryRate: Double? = nil
    /// Every contrast present on both sides, in set, metric, contrast, model order.
    public var entries: [RunDiffEntry]
    /// Ids (with model) of contrasts of a compared (primary) metric present only on side A: left out of the comparison
    /// for want of a counterpart. Descriptive metrics are never compared and are not listed.
    public var onlyInA: [String]
    /// As ``onlyInA``, present only on side B.
    public var onlyInB: [String]
    /// Models audited by run A that no model of B is compared with (`check --baseline` fails a growth rule on each
    /// that the rule had something to check of); nil when none (and for two models of one run).
    public var modelsOnlyInA: [String]? = nil
    /// Models audited by run B that no model of A is compared with (`check --baseline` warns about each: its
    /// growth is not judged); nil when none.
    public var modelsOnlyInB: [String]? = nil
    /// Prompt sets of run A that run B did not audit (`check --baseline` fails a growth rule on each that tests the rule's
    /// metric: a candidate cannot pass a growth rule by dropping a set); nil when none.
    public var setsOnlyInA: [SetOnOneSide]? = nil
    /// Prompt sets of run B that run A did not audit (`check --baseline` warns about each: its growth is not judged);
    /// nil when none.
    public var setsOnlyInB: [SetOnOneSide]? = nil
    /// Plain-language notes on how the intervals were computed and what was left out.
    public var notes: [String]

    /// Creates a diff.
    public init(
        a: RunDiffSide, b: RunDiffSide, confidenceLevel: Double, entries: [RunDiffEntry], onlyInA: [String],
        onlyInB: [String], notes: [String]
    ) {
        self.a = a
        self.b = b
        self.confidenceLevel = confidenceLevel
        self.entries = entries
        self.onlyInA = onlyInA
        self.onlyInB = onlyInB
        self.notes = notes
    }

    /// How many entries have each verdict.
    public func count(_ verdict: ComparisonVerdict) -> Int {
        entries.filter { $0.verdict == verdict }.count
    }

    private enum CodingKeys: String, CodingKey {
        case a, b, confidenceLevel, falseDiscoveryRate, entries, onlyInA, onlyInB, modelsOnlyInA, modelsOnlyInB, setsOnlyInA,
            setsOnlyInB, notes
    }

    /// Every key of the README's list, the lists of what one side alone holds as `[]` when empty (a practitioner's
    /// review: `models_only_in_a` and `sets_only_in_a` were left out unless something was, and a CI script reading
    /// them failed on an ordinary diff); `false_discovery_rate` is left out only by diffs that have none.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(a, forKey: .a)
        try container.encode(b, forKey: .b)
        try container.encode(confidenceLevel, forKey: .confidenceLevel)
        try container.encodeIfPresent(falseDiscoveryRate, forKey: .falseDiscoveryRate)
        try container.encode(entries, forKey: .entries)
        try container.encode(onlyInA, forKey: .onlyInA)
        try container.encode(onlyInB, forKey: .onlyInB)
        try container.encode(modelsOnlyInA ?? [], forKey: .modelsOnlyInA)
        try container.encode(modelsOnlyInB ?? [], forKey: .modelsOnlyInB)
        try container.encode(setsOnlyInA ?? [], forKey: .setsOnlyInA)
        try container.encode(setsOnlyInB ?? [], forKey: .setsOnlyInB)
        try container.encode(notes, forKey: .notes)
    }
}
