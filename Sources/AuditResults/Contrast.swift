import Foundation

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
    /// Two-sided p-value of A − B = 0 (means: t over term and stream clusters; rates and shares: the inversion
    /// of the MOVER interval); nil for descriptive metrics and when undefined or insufficient.
    public var pValue: Double?
    /// Benjamini–Hochberg q-value within the contrast's family (`family`); nil outside any family.
    public var qValue: Double?
    /// Cohen's d on completion-level scores (means) or Cohen's h (rates and shares).
    public var effectSize: Double?
    /// `"cohens_d"` or `"cohens_h"`.
    public var effectSizeKind: String
    /// The multiple-comparison family: `<set>/<model>` for the set's primary metrics, on every such contrast (one
    /// below its minimum support too: it is tested only with a `pValue`, and only tested ones count in the family's
    /// Benjamini–Hochberg m); nil for descriptive metrics, which are never findings.
    public var family: String?
    /// The smallest |A − B| the design detects with about 80% power at α = 0.05 (two-sided; (t₀.₉₇₅ + t₀.₈) × SE on
    /// the contrast's df, 73–79% exact power with 1–4 df), in the metric's units; nil when it cannot be computed.
    public var minimumDetectableEffect: Double?
    /// The templates the contrast compares its two groups on, as 1-based positions in the set's `templates`,
    /// ascending; written only when that is not every template of the set (a completions file missing a group ×
    /// template cell: the contrast is taken over the templates both groups have). Absent: every template (and in
    /// results of builds before 2026-11-30, whose contrasts were not matched on templates). Empty: the groups share
    /// no template, and the contrast has no data. `diff` and `check` compare contrasts from results alone only on
    /// the same templates (else the comparison is undetermined).
    public var templatesCompared: [Int]?

    /// Creates a contrast.
    public init(
        id: String, model: String, metric: AuditMetric, groupA: String, groupB: String, difference: MetricEstimate,
        pValue: Double?, qValue: Double?, effectSize: Double?, effectSizeKind: String, family: String? = nil,
        minimumDetectableEffect: Double? = nil, templatesCompared: [Int]? = nil
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
        self.templatesCompared = templatesCompared
    }

    private enum CodingKeys: String, CodingKey {
        case id, model, metric, groupA, groupB, difference, pValue, qValue, effectSize, effectSizeKind, family
        case minimumDetectableEffect, templatesCompared
    }

    /// Encodes every key; `p_value` and `q_value` are written as null when there is none rather than left out
    /// (practitioner's review: DESIGN promises each contrast's `q_value`, and `c["q_value"]` failed on the
    /// descriptive and too-thin ones). ``templatesCompared`` is left out when it is every template (its meaning),
    /// the other optional numbers when undefined, as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(model, forKey: .model)
        try container.encode(metric, forKey: .metric)
        try container.encode(groupA, forKey: .groupA)
        try container.encode(groupB, forKey: .groupB)
        try container.encode(difference, forKey: .difference)
        try container.encode(pValue, forKey: .pValue)
        try container.encode(qValue, forKey: .qValue)
        try container.encodeIfPresent(effectSize, forKey: .effectSize)
        try container.encode(effectSizeKind, forKey: .effectSizeKind)
        try container.encodeIfPresent(family, forKey: .family)
        try container.encodeIfPresent(minimumDetectableEffect, forKey: .minimumDetectableEffect)
        try container.encodeIfPresent(templatesCompared, forKey: .templatesCompared)
    }

    /// Whether the contrast's two groups share no template (``templatesCompared`` empty: they were completed on
    /// disjoint templates), so it has no data: `check`, the reports and the terminal summary say so rather than
    /// "too few".
    public var sharesNoTemplate: Bool { templatesCompared == [] }

    /// Whether the contrast rests on every term (or fixed prompt) of its two groups, as `groups` (its set's) list them:
    /// its ``MetricEstimate/terms`` against the groups' ``GroupInfo/terms``; nil where either count is unknown. Results
    /// say how many terms a contrast rests on, not which, so two contrasts can be matched term by term from results
    /// alone only where both rest on all of them (statistics revision 11: `diff` from results alone, and the reading
    /// check of `on_different_terms`).
    public func restsOnAllTerms(of groups: [GroupInfo]) -> Bool? {
        let counts = [groupA, groupB].map { id in groups.first { $0.id == id }?.terms.count }
        guard let terms = difference.terms, let a = counts[0], let b = counts[1] else { return nil }
        return terms == a + b
    }

    /// Whether two contrasts of one set (two models, or two runs of the same set) compare their groups on the same
    /// templates (``templatesCompared``; absent means every template).
    public func comparesTheSameTemplates(as other: Contrast) -> Bool {
        templatesCompared == other.templatesCompared
    }

    /// Whether the contrast is a finding: in a family, supported, and q below `threshold`, the run's false discovery
    /// rate (``RunParameters/findingThreshold``: 1 − its confidence level). The one place that decides it; reports,
    /// `diff`, `check` and the terminal summary ask here.
    public func isFinding(below threshold: Double) -> Bool {
        guard family != nil, difference.insufficient == nil, let qValue else { return false }
        return qValue < threshold
    }

    /// Whether the contrast has a value but no variance estimate, so no MDE: a rate or share whose groups do not vary
    /// within themselves (standard error 0 beside the interval of its two levels' limits: 0% against 0%, or 100% against 0%), or a mean
    /// without interval and standard error (completions that all scored alike; a variance that cannot be estimated).
    /// False when supported data are missing, or when an MDE was stated, or when only the MDE is absent (results of
    /// builds before MDEs, whose contrasts have a positive standard error).
    public var hasNoVarianceEstimate: Bool {
        guard minimumDetectableEffect == nil, difference.insufficient == nil, let value = difference.value,
              value.isFinite else { return false }
        return difference.standardError == 0
            || (difference.standardError == nil && difference.lower == nil && difference.upper == nil)
    }
}

/// What counts as a finding, decided once for every output.
public enum Findings {
    /// The standard false-discovery-rate level, 1 − the default 95% confidence: a contrast is a finding when its
    /// Benjamini–Hochberg q-value within its family is below the run's level (``RunParameters/findingThreshold``),
    /// which is this for a 95% run and for results written before `--confidence` set it.
    public static let threshold = 0.05

    /// The findings of `contrasts`, ranked: strongest evidence first (ascending q, then p), then the
    /// larger standardized effect |d| or |h|, then the id. Effect sizes of different kinds are only
    /// tie-breakers, never compared as one scale.
    public static func ranked(_ contrasts: [Contrast], below threshold: Double) -> [Contrast] {
        contrasts.filter { $0.isFinding(below: threshold) }.sorted {
            ($0.qValue ?? 1, $0.pValue ?? 1, -abs($0.effectSize ?? 0), $0.id, $0.model)
                < ($1.qValue ?? 1, $1.pValue ?? 1, -abs($1.effectSize ?? 0), $1.id, $1.model)
        }
    }
}

/// The verdict on one contrast between two models or runs.
public enum ComparisonVerdict: String, Codable, Sendable, CaseIterable {
    /// |B| > |A| with q below the run's false discovery rate (joint test of both sides' uncertainty).
    case moreBiased = "more_biased"
    /// |B| < |A| with q below the run's false discovery rate.
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

extension ComparisonVerdict {
    /// Whether a row with this verdict is marked "contrast moved": no detectable change of the bias's size, no
    /// reversal marked (`reversed`), and a change B − A whose interval excludes 0, so that the gap between the groups
    /// moved (its level, or from one side of 0 to the other) while |B| against |A| did not detectably (a CI team's
    /// review: "no detectable change" beside B − A = +0.396 [+0.210, +0.582] read as a bug). `diff`, `check` and the
    /// report's model comparison mark it alike.
    public func marksContrastMoved(reversed: Bool, change: MetricEstimate) -> Bool {
        guard self == .noDetectableChange, !reversed, let lower = change.lower, let upper = change.upper else { return false }
        return lower > 0 || upper < 0
    }
}

/// One contrast compared between two models of the same run (paired) or two runs.
public struct ModelComparison: Codable, Sendable, Equatable {
    /// The verdict its numbers give: the one rule for reports, `diff` and `check` (and for checking a results
    /// file's stored verdict). Insufficient data when a side is below its minimum support; undetermined without
    /// a test; "more biased" or "less biased" when q < `threshold`, the run's false discovery rate
    /// (``RunParameters/findingThreshold``; whichever claim has the smaller p-value); otherwise no detectable change.
    public func computedVerdict(below threshold: Double) -> ComparisonVerdict {
        if difference.insufficient != nil || contrastA?.insufficient != nil || contrastB?.insufficient != nil {
            return .insufficientData
        }
        guard let q = qValue, let more = pMoreBiased, let less = pLessBiased else { return .undetermined }
        guard q < threshold else { return .noDetectableChange }
        return more <= less ? .moreBiased : .lessBiased
    }

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
    /// Whether the two share terms and random streams (common random numbers). False for completions
    /// `analyze` read unpaired (``CompletionsSource/pairedStreams`` false): the two models share the
    /// terms but not the streams, and the interval of B − A counts each model's stream noise separately.
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
    /// Benjamini–Hochberg q-value of min(pMoreBiased, pLessBiased) within its family: the comparison's contrasts of
    /// one prompt set (one set under one model pair).
    public var qValue: Double?
    /// The verdict.
    public var verdict: ComparisonVerdict?
    /// Whether A's and B's intervals exclude 0 on opposite sides (uncorrected for the comparisons made; the reports
    /// mark a reversal only where the contrast is a finding under both models).
    public var signReversed: Bool?
    /// True when the comparison is undetermined because its two contrasts rest on different terms of a group (a term
    /// with data under one model only: no completions of it, or for he_she_log_odds no next-token log-odds;
    /// `on_different_terms`, written only when true, since statistics revision 11); nil otherwise. Such a comparison has
    /// no interval and no test, as one on different templates.
    public var onDifferentTerms: Bool?

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
            contrastB, growth, pMoreBiased, pLessBiased, qValue, verdict, signReversed, onDifferentTerms
    }
}
