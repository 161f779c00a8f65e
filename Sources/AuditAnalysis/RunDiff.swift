import AuditResults
import Foundation

/// How the interval of a change between two runs (or two models) was obtained.
public enum DiffMethod: String, Codable, Sendable, CaseIterable {
    /// Paired bootstrap: terms and random streams resampled jointly in both (common random numbers).
    case paired
    /// Independent bootstraps of the two contrasts, replicates subtracted.
    case unpaired
    /// No completions to resample: the two contrasts' CIs combined under a normal approximation
    /// (SE ≈ CI width / (2 z), SE of the change = √(SE_A² + SE_B²)).
    case normalApproximation = "normal_approximation"

    /// A short label for tables.
    public var label: String {
        switch self {
        case .paired: "paired"
        case .unpaired: "unpaired"
        case .normalApproximation: "normal approx."
        }
    }
}

/// Whether a contrast became more or less biased from A to B.
///
/// Definition (using the growth interval of ``RunDiffEntry/growth``, the CI of the change B − A mapped
/// through δ ↦ |A + δ| − |A|):
/// - ``moreBiased``: the whole growth interval is above 0: every change in the CI of B − A moves the
///   contrast further from 0. This implies the CI of the change excludes 0 *and* |B| > |A|, and is
///   stricter than that pair of conditions when the CI reaches across −2A (a possible sign flip).
/// - ``lessBiased``: the whole growth interval is below 0.
/// - ``noDetectableChange``: the growth interval contains 0.
/// - ``undetermined``: a contrast is undefined in either run or no interval could be computed.
public enum DiffVerdict: String, Codable, Sendable, CaseIterable {
    /// |contrast| grew beyond noise.
    case moreBiased = "more_biased"
    /// |contrast| shrank beyond noise.
    case lessBiased = "less_biased"
    /// The change is within noise.
    case noDetectableChange = "no_detectable_change"
    /// No value or no interval.
    case undetermined

    /// A short label for tables.
    public var label: String {
        switch self {
        case .moreBiased: "more biased"
        case .lessBiased: "less biased"
        case .noDetectableChange: "no detectable change"
        case .undetermined: "undetermined"
        }
    }

    /// The verdict of a growth interval.
    public init(growth: DiffInterval) {
        guard growth.value != nil, let lower = growth.lower, let upper = growth.upper else {
            self = .undetermined
            return
        }
        self = lower > 0 ? .moreBiased : upper < 0 ? .lessBiased : .noDetectableChange
    }
}

extension ModelComparison {
    /// Whether model B's contrast is further from 0 than model A's: the verdict `biasaudit diff` gives for
    /// these two models of the run (``DiffVerdict`` of the growth interval of ``difference`` with A's value
    /// as the baseline), so the report's model-vs-model section and the diff never disagree.
    public var verdict: DiffVerdict {
        DiffVerdict(growth: DiffInterval.growth(baseline: valueA, change: DiffInterval(difference)))
    }
}

/// A value with an optional confidence interval; `nil` parts are undefined.
public struct DiffInterval: Codable, Sendable, Equatable {
    /// The point estimate.
    public var value: Double?
    /// Lower CI bound.
    public var lower: Double?
    /// Upper CI bound.
    public var upper: Double?

    /// Creates an interval.
    public init(value: Double?, lower: Double?, upper: Double?) {
        self.value = value
        self.lower = lower
        self.upper = upper
    }

    /// The interval with its sign reversed (bounds swapped).
    public var negated: DiffInterval {
        DiffInterval(value: value.map { -$0 }, lower: upper.map { -$0 }, upper: lower.map { -$0 })
    }

    /// Whether the CI exists and excludes 0.
    public var excludesZero: Bool {
        guard let lower, let upper else { return false }
        return lower > 0 || upper < 0
    }

    /// The growth of |contrast| implied by a change B − A of a contrast whose value under A is `baseline`:
    /// the value is |A + change| − |A|; the interval is the image of the change's CI under
    /// δ ↦ |A + δ| − |A| with A held at its estimate. That map is V-shaped with its minimum −|A| at
    /// δ = −A, so the lower bound is −|A| when the CI contains −A and the smaller endpoint image otherwise.
    public static func growth(baseline: Double?, change: DiffInterval) -> DiffInterval {
        guard let a = baseline, let d = change.value else { return DiffInterval(value: nil, lower: nil, upper: nil) }
        func image(_ delta: Double) -> Double { abs(a + delta) - abs(a) }
        guard let low = change.lower, let high = change.upper else {
            return DiffInterval(value: image(d), lower: nil, upper: nil)
        }
        let lower = (low...high).contains(-a) ? -abs(a) : min(image(low), image(high))
        return DiffInterval(value: image(d), lower: lower, upper: max(image(low), image(high)))
    }
}

/// One contrast compared between A and B.
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
    /// B − A with its CI.
    public var change: DiffInterval
    /// |B| − |A| with its CI (see ``DiffInterval/growth(baseline:change:)``).
    public var growth: DiffInterval
    /// How the CI was computed.
    public var method: DiffMethod
    /// The verdict of ``growth``.
    public var verdict: DiffVerdict
    /// Whether A and B have opposite signs (the favoured group swapped).
    public var signFlipped: Bool

    /// Creates an entry; growth, verdict and sign flip follow from the values and the change.
    public init(
        contrastID: String, set: String, axis: String, metric: AuditMetric, groupA: String, groupB: String,
        modelA: String, modelB: String, valueA: Double?, valueB: Double?, change: DiffInterval, method: DiffMethod
    ) {
        self.contrastID = contrastID
        self.set = set
        self.axis = axis
        self.metric = metric
        self.groupA = groupA
        self.groupB = groupB
        self.modelA = modelA
        self.modelB = modelB
        self.valueA = valueA
        self.valueB = valueB
        self.change = change
        self.method = method
        growth = DiffInterval.growth(baseline: valueA, change: change)
        verdict = DiffVerdict(growth: growth)
        if let valueA, let valueB { signFlipped = valueA * valueB < 0 } else { signFlipped = false }
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

/// The bias differences between two runs or two models of one run (`biasaudit diff`).
public struct RunDiff: Codable, Sendable, Equatable {
    /// Side A (the reference, e.g. the old checkpoint or the baseline).
    public var a: RunDiffSide
    /// Side B (the candidate).
    public var b: RunDiffSide
    /// The confidence level of every interval.
    public var confidenceLevel: Double
    /// Every contrast present on both sides, in set, metric, contrast, model order.
    public var entries: [RunDiffEntry]
    /// Contrast ids (with model) present only on side A.
    public var onlyInA: [String]
    /// Contrast ids (with model) present only on side B.
    public var onlyInB: [String]
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
    public func count(_ verdict: DiffVerdict) -> Int {
        entries.filter { $0.verdict == verdict }.count
    }
}
