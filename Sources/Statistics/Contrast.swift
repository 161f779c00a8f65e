import Foundation

/// A contrast between two groups of one axis (A − B), with its interval, test, effect size and
/// minimum detectable effect.
public struct ContrastResult: Sendable, Equatable, Codable {
    /// A − B with its interval (t for means, MOVER for rates and shares; see `contrast`).
    public var estimate: Estimate
    /// A's level (the same estimand as A's row in the group table).
    public var levelA: Double
    /// B's level; `levelA − levelB == estimate.value`.
    public var levelB: Double
    /// The two-sided p-value of A − B = 0; nil when the contrast is undefined or insufficient.
    public var pValue: Double?
    /// The standardized effect size; nil when undefined.
    public var effectSize: Double?
    /// Which effect size `effectSize` is.
    public var effectSizeKind: EffectSizeKind
    /// The smallest |A − B| this design detects with the settings' power at level α (two-sided),
    /// in the metric's units: (t_{1−α/2} + t_{power}) · SE.
    public var minimumDetectableEffect: Double?

    /// Creates a result.
    public init(
        estimate: Estimate, levelA: Double, levelB: Double, pValue: Double?, effectSize: Double?,
        effectSizeKind: EffectSizeKind, minimumDetectableEffect: Double?
    ) {
        self.estimate = estimate
        self.levelA = levelA
        self.levelB = levelB
        self.pValue = pValue
        self.effectSize = effectSize
        self.effectSizeKind = effectSizeKind
        self.minimumDetectableEffect = minimumDetectableEffect
    }

    /// Equality that treats NaN levels as equal.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return lhs.estimate == rhs.estimate && same(lhs.levelA, rhs.levelA) && same(lhs.levelB, rhs.levelB)
            && lhs.pValue == rhs.pValue && lhs.effectSize == rhs.effectSize
            && lhs.effectSizeKind == rhs.effectSizeKind && lhs.minimumDetectableEffect == rhs.minimumDetectableEffect
    }
}

/// Compares two groups of one axis (A − B).
///
/// Question answered: "do completions about group A score differently from completions about group B
/// on the same templates, and by how much?"
/// - Estimand: A's level − B's level, each the group's Σx/Σw as in `groupLevel` (one estimand for the
///   table and the contrast), over the templates both groups have (`ContrastData.matchedOnTemplates`: with a
///   group missing from a template, that template drops out of the contrast, not out of the table).
/// - Interval and test: Welch-type t with Satterthwaite degrees of freedom over the crossed term and
///   stream clusters of both groups (`CrossedClusterVariance`): A's and B's terms are independent
///   clusters, while sample i of a template shares its random stream across the groups, so the noise
///   the groups share through common random numbers cancels in the difference and is estimated, not
///   assumed away. The test has no floor: p goes to 0 as the gap grows, whatever the number of terms.
///   A single-term group against multi-term groups is one more draw of a term mean: its variance is
///   the multi-term groups' variance of a term mean (Student's pooled t, exact under normality with
///   K − 1 df; for rates and shares relative to p(1 − p), taken back at the single term's own); when
///   both have one term the inference is conditional on the terms (a paired t over the shared streams), unless
///   `others` holds the set's other groups and some have several terms: then both single terms borrow their
///   per-term variance (`SetPerTermVariance`), as their levels in the group table do. A single term beside a
///   multi-term group whose rate or share is at 0 or 1 (which lends nothing) borrows the set's likewise, or is
///   conditional on the term without one.
///   Means use this t interval and test; when both groups have the same number of terms the term part
///   gets Student's pooled df 2(K − 1) (Box 1954: with equal sizes the pooled t keeps its level under
///   unequal variances; Satterthwaite's estimated df was biased low). Rates and shares use the MOVER
///   interval from the two levels' Wilson limits and the correlation of the two levels, and its test inversion
///   as the p-value (`ProportionDifference`), with the same df; with no variation at all in either group each
///   group's Wilson limits are its level's in the group table (its trials, over the set's design effect at 0 or 1, and
///   its level's quantile: t on the level's df at 0 or 1), the MOVER combination of the printed limits (Newcombe's
///   hybrid score interval with each level's quantile), with the p-value inverted on one α
///   (`noVariationReferences`; statistics revision 13). The minimum detectable effect is
///   the t-based (t_{1−α/2} + t_{power})·SE for every scale, except for rates and shares without any
///   variation (SE 0), which have none: the design's variance is unknown there, not 0.
/// - Minimum support: a male share needs `settings.minimumWeight` gendered words in each group; a
///   contrast of two rates needs `settings.minimumEvents` events and as many non-events in the two
///   groups together (`rateContrastSupport`, Cochran's rule). Below either, `estimate.insufficient` says
///   why and there is no interval, p-value, effect size or minimum detectable effect. Two groups without data on the
///   compared templates (disjoint templates) leave the contrast undefined (NaN) with no shortfall: nothing was too
///   thin, it is absent.
/// - Effect size: Cohen's d = (A − B) / completion-level pooled SD for means (independent of the
///   number of samples), Cohen's h on the two levels for rates and shares.
/// - Minimum detectable effect at `settings.power`.
/// - Parameter others: the set's other groups (same model and metric), from which two single-term groups (or a single
///   term beside a multi-term group at 0 or 1) borrow the variance of a term mean; empty (the default) keeps such a
///   contrast conditional on its terms.
/// - Throws: `StatisticsError.invalidObservation` or `.invalidParameter`.
public func contrast(
    _ a: GroupData, _ b: GroupData, scale: MetricScale, settings: InferenceSettings = .standard,
    borrowingFrom others: [GroupData] = []
) throws -> ContrastResult {
    try settings.validate()
    // The set as its levels see it (every template of each group), for the design effect of two groups that both
    // show no variation.
    let unmatched = [a, b] + others
    // On the templates both groups have (`ContrastData.matchedOnTemplates`).
    let matched = ContrastData(a: a, b: b).matchedOnTemplates
    // Copies (greedy decoding): one draw per prompt, compared as means are (a t interval and test on the design's
    // variance, none without it), with the metric's own minimum support and effect size (`GroupData.holdCopies`):
    // the MOVER interval's Wilson limits, and Newcombe's without variation, count completions as binomial trials.
    // Decided over the set's groups, as their levels decide it (a review: with copies needing half the cells, a
    // pair could hold copies while the set did not, and a level and its contrasts took different methods).
    let copies = CopiesRule([matched.a, matched.b] + others, scale: scale)
    let (a, b) = (copies.data(matched.a), copies.data(matched.b))
    let others = others.map(copies.data)
    let setGroups = unmatched.map(copies.data)
    let metricScale = scale
    let scale = copies.inferenceScale
    let setTermVariance = try singleTermsBorrow(
        a, b, others: others, scale: scale, metricScale: metricScale, settings: settings)
    // Means: Student's pooled df when the groups have equal numbers of terms (`VarianceComponents.combine`).
    // Rates and shares keep Satterthwaite's: their MOVER limits come from each group's own variance; and so do their
    // copies, whose variance follows p(1 − p) (a statistician's review: a greedy rate at 0% against 8.3% took 14 df
    // where every bit of variance came from the 8.3% group's 8 terms).
    let fit = try CrossedClusterVariance(
        arms: [
            Arm(data: a, coefficient: 1, group: "a", streams: "run"),
            Arm(data: b, coefficient: -1, group: "b", streams: "run"),
        ], poolEqualSizes: metricScale == .mean, scale: scale, setTermVariance: setTermVariance)
    let kind: EffectSizeKind = metricScale == .mean ? .cohensD : .cohensH
    var result = ContrastResult(
        estimate: Estimate(
            value: fit.value, lower: nil, upper: nil, n: fit.units, observations: fit.observations,
            weight: fit.weight, method: copies.method(fit.method)),
        levelA: fit.levels[0], levelB: fit.levels[1], pValue: nil, effectSize: nil, effectSizeKind: kind,
        minimumDetectableEffect: nil)
    // Two groups without data here (on disjoint templates, so that matching on templates emptied both; or a model
    // without completions of either) leave the contrast undefined with no shortfall of support: their "0 gendered
    // words" were the templates' doing, not the completions' (a review: results.json, the report and `check` blamed the
    // words). One group without completions keeps its shortfall, which names it ("0 in group b").
    if a.cells.isEmpty && b.cells.isEmpty { return result }
    if let reason = support(weights: fit.armWeights, weighted: fit.armWeightedObservations, scale: metricScale, settings: settings) {
        result.estimate.insufficient = reason
        return result
    }
    guard fit.value.isFinite else { return result }
    if metricScale == .proportion {
        // Σx of each group is its level times its completions (x is 0 or 1).
        let events = zip(fit.levels, fit.armWeights).reduce(0) { $0 + $1.0 * $1.1 }.rounded()
        if let reason = rateContrastSupport(
            events: events, observations: fit.armObservations.reduce(0, +), minimum: settings.minimumEvents)
        {
            result.estimate.insufficient = reason
            return result
        }
    }
    switch metricScale {
    case .mean:
        result.effectSize = cohensD(a.cells.flatMap { $0.observations.map(\.x) }, b.cells.flatMap { $0.observations.map(\.x) })
    case .proportion, .ratio:
        result.effectSize = cohensH(fit.levels[0], fit.levels[1])
    }
    // Two single terms of a set whose multi-term groups lend nothing (every one at 0 or 1, or below its support): as for
    // one single term beside them (`CrossedClusterVariance`), nothing tells how much a term varies. Conditional on the
    // two terms, the streams alone made a finding (a code review: +36.7 pp on 57 df, q < 0.001, beside a 3-term group at
    // 0%, while the same set's single term against that group had no test); their model comparisons are undetermined.
    if setTermVariance == nil, a.units.count == 1, b.units.count == 1, others.contains(where: { $0.units.count > 1 }) {
        return result
    }
    // Copies of a rate or share with a single-term group (statistics revision 18): no interval and no test. The single
    // term is one draw per template (3 in the shipped designs), whose Wilson level is wide and skewed; a t interval on a
    // borrowed variance came out narrower than that level in every version four statisticians' reviews tried (a single
    // term at 2 of 3 draws, SE 0.164 beside its level's 0.272, q = 0.028; one at 0 of 3, level [0%, 60.5%], +37.5 pp at
    // q = 0.048; one at 1 of 12 whose level reached the other group's 33.3%, q = 0.025; a share of 2 gendered words).
    // Tested, such contrasts had 0–3.3% power in the greedy validation table (8 vs 1 terms), so little is lost; their
    // levels keep their intervals, and their model comparisons are undetermined as for any untestable rate contrast.
    if copies.applies, metricScale != .mean, a.units.count == 1 || b.units.count == 1 {
        return result
    }
    guard var variance = fit.variance, var df = fit.degreesOfFreedom else { return result }
    // Copies: a multi-term group without variation of its own (a rate or share at 0 or 1, a mean whose completions all
    // scored alike) counts with the set's per-term variance, as its level does, never with its own 0 (a code review's
    // greedy case: contrast SE 0.059 beside level SEs of 0.073, p = 0.035; statistics revision 17 for means).
    // With Satterthwaite's df of its parts: the constant group's part is its level's variance on the level's df, which
    // can raise the df above the other group's own (Welch–Satterthwaite, as for any sum of independent parts). Comparing
    // half-widths instead was tried after a review and not kept: the fit's df counts the constant group's zero part
    // with its K − 1, so a 2-term constant group's 1 df kept an interval three times too wide, without that group's
    // level variance (a second review: −41.7 pp [−100, +64.2] where the parts give [−80.1, −3.2]).
    if copies.applies,
        let bounded = try copiesAtABound(a, b, levels: fit.levels, setGroups: setGroups, metricScale: metricScale,
                                         settings: settings),
        bounded.variance > variance
    {
        (variance, df) = bounded
    }
    // The trials behind each level: completions for a rate, Σw for a share.
    let trialCounts = scale == .ratio ? fit.armWeights : fit.armObservations.map(Double.init)
    if scale != .mean {
        // A variance at the level of floating-point rounding is none: 8 events of 240, one per term in distinct
        // streams, left 7.7e-18, which made a t interval of zero width on one side and an MDE of 2.5e-17.
        let binomial = zip(fit.levels, trialCounts).reduce(0) { $0 + ($1.1 > 0 ? $1.0 * (1 - $1.0) / $1.1 : 0) }
        if variance <= negligibleVarianceShare * binomial { variance = 0 }
    }
    // A mean's variance at the level of rounding is no estimate: groups whose completions all scored alike (greedy
    // decoding, or one text everywhere) left 1e-32 beside a gap of one ulp, which the test called certain
    // (p = 0, a "finding" between identical groups). No interval, test or MDE: the variance is unknown, not 0.
    if scale == .mean,
        isNegligibleMeanVariance(variance, levels: fit.levels, independent: a.independentVariance + b.independentVariance)
    {
        return result
    }
    let test = TTest(value: fit.value, variance: variance, df: df, settings: settings)
    result.estimate.standardError = variance.squareRoot()
    result.estimate.degreesOfFreedom = df
    guard scale != .mean else {
        result.estimate.lower = test.lower
        result.estimate.upper = test.upper
        result.pValue = test.pValue
        result.minimumDetectableEffect = test.minimumDetectableEffect
        return result
    }
    // Rates and shares: the MOVER interval from the two levels' Wilson limits, and its test inversion.
    var levelVariances = try separateLevelVariances(a, b, scale: scale, setTermVariance: setTermVariance)
    if isNegligible(levelVariances.a, p: fit.levels[0], trials: trialCounts[0]) { levelVariances.a = 0 }
    if isNegligible(levelVariances.b, p: fit.levels[1], trials: trialCounts[1]) { levelVariances.b = 0 }
    let variances = [levelVariances.a, levelVariances.b]
    // A level at 0 or 1 beside one that shows no design effect either (0% against 100%, or against a rate without
    // variation) takes the set's, as both levels in the group table do: with n = trials, two groups of 3 terms at
    // 100% and 0% negative, whose levels were 100% [72.2, 100] and 0% [0, 27.8] with the set's design effect of 3.6,
    // had the contrast +100 pp [+86.4, +100] at q = 1e-19 (statistician's review).
    // Neither group shows any variation (0% against 0%, 100% against 0%, or against a rate whose variance is rounding):
    // each group's limits are then its level's in the group table (`noVariationReferences`).
    let noVariation = variance <= 0 && variances.allSatisfy { $0 <= 0 }
    let needsTheSet = boundaryTrialsNeedTheSet(levels: fit.levels, variances: variances, trials: trialCounts)
    let table = needsTheSet || noVariation ? try SetLevelFits(setGroups, scale: scale, settings: settings) : nil
    let setEffect = needsTheSet ? table?.boundaryEffect ?? 1 : 1
    var trials = zip(
        boundaryTrials(levels: fit.levels, variances: variances, trials: trialCounts, setEffect: setEffect),
        fit.levels.indices)
        .map { adjusted, index in
            shareTrials(adjusted, words: trialCounts[index], weighted: fit.armWeightedObservations[index],
                        p: fit.levels[index], variance: variances[index], scale: scale)
        }
    // Without any variation nothing is estimated: each group's limits are its level's in the group table, the MOVER
    // combination of the printed limits, and the p-value its inversion on one α (`noVariationReferences`).
    var levelDF: (a: Double, b: Double)?
    if noVariation, let table {
        let references = noVariationReferences(table, levels: fit.levels, trials: trials, words: trialCounts)
        trials = references.trials
        levelDF = (references.degreesOfFreedom[0], references.degreesOfFreedom[1])
    }
    let difference = ProportionDifference(
        levelA: fit.levels[0], levelB: fit.levels[1], varianceA: levelVariances.a, varianceB: levelVariances.b,
        varianceOfDifference: variance, trialsA: trials[0], trialsB: trials[1])
    if let levelDF {
        let interval = difference.interval(alpha: settings.alpha, levelDegreesOfFreedom: levelDF)
        result.estimate.lower = interval.lower
        result.estimate.upper = interval.upper
        // No df: each limit has its own level's (results.json writes none; the report prints none).
        result.estimate.degreesOfFreedom = nil
        result.pValue = difference.pValue(levelDegreesOfFreedom: levelDF)
        return result
    }
    // A contrast whose own variance is 0 while its levels vary (their shared noise cancels exactly): the normal
    // reference and the levels' own variances.
    let referenceDF = variance > 0 ? df : .infinity
    // The df stored is the one the interval and p-value use (review: "2" beside a normal-reference interval).
    result.estimate.degreesOfFreedom = referenceDF
    let interval = difference.interval(quantile: Distributions.studentTQuantile(1 - settings.alpha / 2, df: referenceDF))
    result.estimate.lower = interval.lower
    result.estimate.upper = interval.upper
    result.pValue = difference.pValue(df: referenceDF)
    // Without variation the design's variance is unknown, not 0: an MDE of 0 beside Newcombe's interval
    // would claim that any gap is detectable. With few events the MOVER interval is wider than the t
    // interval of the same SE, so the MDE takes the larger of that SE and the one the interval implies
    // (its width over 2 t): with 1 event against 0 of 240, (t + t)·SE gave 1.36 pp, below any gap the
    // test can reject there (2.28 pp).
    if variance > 0 {
        let implied = moverStandardError(lower: interval.lower, upper: interval.upper, df: referenceDF, settings: settings)
        result.minimumDetectableEffect = test.minimumDetectableEffect * max(1, implied / variance.squareRoot())
    }
    return result
}

/// The trials and df of each group's Wilson limits in a rate or share contrast whose groups show no variation at all:
/// those of its level in the group table (`groupLevels`), so that the contrast's interval is the MOVER combination of the
/// limits printed beside it. A level at 0 or 1 keeps `trials` (its trials over the set's design effect, as in the table)
/// and takes t on the larger of its level's df and its terms − 1 (`levelQuantile(alpha:degreesOfFreedom:)`); a level
/// strictly between 0 and 1 whose own variance is none takes the design effect of its level in the table, where the
/// set's pooled per-term variance and stream floor may give it one: its trials (a share's words, as the table's level
/// counts them, not its completions with a word) over that design effect with t on the level's df where it exceeds 1,
/// else `trials` with the normal quantile (`levelQuantile`). Infinite df: the normal quantile. The table fits each
/// group on all its templates, the contrast on the templates both groups have: where they differ, the table's df and
/// design effect are taken as the group's (and its trials are the compared templates'). A level the report prints
/// without an interval (one sample per prompt, `too_few_samples`, decided after these statistics) has the limits its
/// terms give.
/// - Parameters: `table`: the set's groups as the table fits them, A and B first; `levels`, `trials`: A's and B's in the
///   contrast, the trials as the contrast adjusted them (`boundaryTrials`, `shareTrials`); `words`: their trials before
///   that adjustment (completions for a rate, Σw for a share).
func noVariationReferences(
    _ table: SetLevelFits, levels: [Double], trials: [Double], words: [Double]
) -> (trials: [Double], degreesOfFreedom: [Double]) {
    var adjusted = trials
    var degreesOfFreedom = [Double](repeating: .infinity, count: trials.count)
    for index in levels.indices {
        let fit = table.fits[index]
        let fitted = table.variances[index]
        let levelDF = fitted?.1 ?? nil
        if levels[index] <= 0 || levels[index] >= 1 {
            let df = max(levelDF ?? 0, Double(fit.units - 1))
            degreesOfFreedom[index] = df > 0 ? df : .infinity
            continue
        }
        guard let variance = fitted?.0 ?? nil, let df = levelDF, table.shortfalls[index] == nil,
            let effect = designEffect(p: fit.value, variance: variance, trials: table.trials(fit)), effect > 1
        else { continue }
        adjusted[index] = max(1, words[index] / effect)
        degreesOfFreedom[index] = df
    }
    return (adjusted, degreesOfFreedom)
}

/// The variance and Satterthwaite df of a copies contrast in which a multi-term group shows no variation of its own: a
/// rate's or share's (analysed as means) level at 0 or 1, or a mean whose every completion scored the same (statistics
/// revision 17: two religions whose greedy completions all scored 0, each printed 0.00 [−0.42, 0.42] from the set's
/// pooled variance, had a contrast without an interval while their % negative, both 0%, had one: a practitioner's
/// review). That group's part is its level's variance in the group table (the set's per-term variance pooled over its
/// groups, for rates and shares those strictly between 0 and 1, `SetLevelFits`), the other's its own (a single term's:
/// its level's, the per-term variance it borrows); nil where neither
/// group is such, or a part has no variance. Copies have one draw per prompt and no shared streams, so the two parts
/// add. `setGroups`: the set's groups as the table fits them, `a` and `b` first.
func copiesAtABound(
    _ a: GroupData, _ b: GroupData, levels: [Double], setGroups: [GroupData], metricScale: MetricScale,
    settings: InferenceSettings
) throws -> (variance: Double, df: Double)? {
    let groups = [a, b]
    let bounded = groups.indices.map { index in
        groups[index].units.count > 1
            && (metricScale == .mean ? scoredAlike(groups[index])
                : lendsNothingAtABound([levels[index]], metricScale: metricScale))
    }
    guard bounded.contains(true) else { return nil }
    let set = try SetLevelFits(setGroups, scale: .mean, supportScale: metricScale, settings: settings)
    var parts: [(variance: Double, df: Double)] = []
    for (index, group) in groups.enumerated() {
        let fitted: (Double?, Double?)
        // A single term beside it counts with its level's variance too, the per-term variance its level borrows: its
        // own copies have none (a review: a constant 4-term group against one term, levels 0.00 [−0.15, 0.15] and
        // −0.21 [−0.51, 0.09], had a contrast without an interval).
        if bounded[index] || group.units.count == 1 {
            fitted = set.variances[index].map { ($0.0, $0.1) } ?? (nil, nil)
        } else {
            let own = try CrossedClusterVariance(arms: [Arm(data: group, coefficient: 1, group: "group", streams: "run")])
            fitted = (own.variance, own.degreesOfFreedom)
        }
        guard let variance = fitted.0, let df = fitted.1, variance.isFinite, df > 0 else { return nil }
        parts.append((variance, df))
    }
    let total = parts.reduce(0) { $0 + $1.variance }
    let denominator = parts.reduce(0) { $0 + ($1.df.isFinite ? $1.variance * $1.variance / $1.df : 0) }
    return (total, denominator > 0 ? total * total / denominator : .infinity)
}

/// Whether every completion of `group` has the same value (copies of texts that all scored alike): a mean without
/// variation of its own.
func scoredAlike(_ group: GroupData) -> Bool {
    guard let first = group.cells.lazy.flatMap(\.observations).first?.x else { return false }
    return group.cells.allSatisfy { $0.observations.allSatisfy { $0.x == first } }
}

/// Whether a mean's (or a linear combination of means') variance is floating-point rounding rather than an
/// estimate: at most 1e-18 times the sum of its levels' squares (a standard error below 1e-9 of their size;
/// 0 when every level is 0), or at most ``negligibleVarianceShare`` of `independent`, the variance it would have if its
/// completions were independent (Σ s²/N over its groups, ``GroupData/independentVariance``), as a rate's variance is
/// judged against its binomial one. Completions that all scored alike leave such a variance (1e-32 beside levels of
/// 0.44); no real audit's SE is a billionth of its levels. Levels near 0 make the first rule too strict: one negative
/// completion per term in distinct streams against a group of neutral ones left 4·10⁻¹⁹ (levels −0.05 and 0, whose
/// squares allow 2.5·10⁻²¹) and a "finding" −0.05 [−0.05, −0.05] at p = 10⁻⁸⁹ (helper 320); the data's own spread,
/// s²/N ≈ 8·10⁻⁴, says it is rounding. A real clustered variance is never a billionth of s²/N.
func isNegligibleMeanVariance(_ variance: Double, levels: [Double], independent: Double = 0) -> Bool {
    variance <= max(1e-18 * levels.reduce(0) { $0 + ($1.isFinite ? $1 * $1 : 0) },
                    negligibleVarianceShare * (independent.isFinite ? independent : 0))
}

/// A rate's or share's variance at most this share of its binomial variance Σ p(1 − p)/n is floating-point
/// rounding, not an estimate: it is taken as none (no variation).
let negligibleVarianceShare = 1e-9

/// The standard error a MOVER interval implies: its width over 2·t_{1−α/2, df} (df infinite for the normal
/// reference of a contrast without variation).
func moverStandardError(lower: Double?, upper: Double?, df: Double, settings: InferenceSettings) -> Double {
    guard let lower, let upper, upper >= lower else { return 0 }
    return (upper - lower) / (2 * Distributions.studentTQuantile(1 - settings.alpha / 2, df: df))
}

/// The trials behind the two levels' Wilson limits in a contrast: a level at 0 or 1 cannot show its design
/// effect, so its trials are divided by the other group's, V/(p(1 − p)/n), or, when the other is at 0 or 1 too or
/// has no variance, by `setEffect`, the set's (`SetLevelFits.boundaryEffect`, which the group table's level at 0 or
/// 1 takes), at least 1.
/// - Parameters: `levels`, `variances`, `trials`: A's and B's, in that order (two each).
func boundaryTrials(levels: [Double], variances: [Double], trials: [Double], setEffect: Double = 1) -> [Double] {
    var adjusted = trials
    for (index, other) in [(0, 1), (1, 0)] where levels[index] <= 0 || levels[index] >= 1 {
        let effect = designEffect(p: levels[other], variance: variances[other], trials: trials[other]) ?? setEffect
        adjusted[index] /= max(1, effect)
    }
    return adjusted
}

/// Whether ``boundaryTrials(levels:variances:trials:setEffect:)`` needs the set's design effect: a level at 0 or 1
/// whose partner shows none (at 0 or 1 too, or without variance).
func boundaryTrialsNeedTheSet(levels: [Double], variances: [Double], trials: [Double]) -> Bool {
    [(0, 1), (1, 0)].contains { index, other in
        (levels[index] <= 0 || levels[index] >= 1)
            && designEffect(p: levels[other], variance: variances[other], trials: trials[other]) == nil
    }
}

/// The variances of A's and B's levels, each from its own terms and streams (not pooled across the two
/// groups, as the table's levels are). A single-term group against a multi-term group borrows the other's
/// variance of a term mean, for rates and shares relative to p(1 − p) (taken back at its own p(1 − p)),
/// in absolute terms for means or where its own level is 0 or 1, and the set's (`setTermVariance`) where the other's
/// is 0 or 1 and lends nothing: as the contrast's variance V_{A−B}, with
/// which these enter the MOVER correlation, borrows it (`CrossedClusterVariance`'s `scale`). 0 where none
/// can be estimated.
private func separateLevelVariances(
    _ a: GroupData, _ b: GroupData, scale: MetricScale, setTermVariance: SetPerTermVariance?
) throws -> (a: Double, b: Double) {
    let fits = try [a, b].map {
        try CrossedClusterVariance(arms: [Arm(data: $0, coefficient: 1, group: "group", streams: "run")])
    }
    let perTerm = fits.map { $0.components?.perTerm }
    let variances = fits.indices.map { i -> Double in
        // Two single terms borrowing the set's per-term variance (`singleTermsBorrow`).
        if perTerm[i] == nil, perTerm[1 - i] == nil, let components = fits[i].components,
            let borrowed = setTermVariance?.borrowed(at: fits[i].value)
        {
            return components.pooledLevel(borrowed).0 ?? 0
        }
        if perTerm[i] == nil, let other = perTerm[1 - i], let components = fits[i].components {
            let own = relativeScale(fits[i].value, scale: scale)
            let lender = relativeScale(fits[1 - i].value, scale: scale)
            // A lender at 0 or 1 lends nothing: the set's per-term variance, as in the contrast's own variance
            // (`VarianceComponents.combine`).
            let fromSet = own != nil && lender == nil ? setTermVariance?.borrowed(at: fits[i].value) : nil
            let borrowed = fromSet ?? own.flatMap { own in lender.map { other.scaled(by: own / $0) } } ?? other
            let pooled = components.pooledLevel(borrowed).0 ?? 0
            // What is lent relative to p(1 − p) never leaves less than the term's own (conditional) variance, as in the
            // contrast's (statistician's review: set donors with little noise left the single term's Wilson limits on
            // n_eff 189 of its 30 completions).
            return own == nil || fromSet == nil && lender == nil ? pooled : max(pooled, fits[i].variance ?? 0)
        }
        return fits[i].variance ?? 0
    }
    return (variances[0], variances[1])
}

/// The set's per-term variance (`SetPerTermVariance`, from the own fits of the set's multi-term groups: `a`, `b` and
/// `others`) when `a` or `b` has a single term; nil when neither has, or no group of the set has several terms (the
/// contrast is then conditional on its terms). Two single terms borrow it; a single term beside a multi-term group
/// borrows that group's own variance, and this one only where that group's rate or share is at 0 or 1.
/// `metricScale`: the metric's own scale where `scale` is the mean's for copies (its minimum support, and which
/// groups at 0 or 1 lend nothing); nil: `scale`.
func singleTermsBorrow(
    _ a: GroupData, _ b: GroupData, others: [GroupData], scale: MetricScale, metricScale: MetricScale? = nil,
    settings: InferenceSettings
) throws -> SetPerTermVariance? {
    // Means beside a multi-term group borrow that group's own variance, always defined.
    guard a.units.count == 1 && b.units.count == 1 || scale != .mean && (a.units.count == 1 || b.units.count == 1) else {
        return nil
    }
    let donors = ([a, b] + others).filter { $0.units.count > 1 }
    guard !donors.isEmpty else { return nil }
    let fits = try donors.map { try CrossedClusterVariance(arms: [Arm(data: $0, coefficient: 1, group: "group", streams: "run")]) }
    return SetPerTermVariance(
        fits, scale: scale, supportScale: metricScale, settings: settings,
        spreads: scale == .mean ? donors.map(\.withinPromptVariance) : nil)
}

/// A t test and interval of a linear estimate against 0.
struct TTest {
    let lower: Double
    let upper: Double
    /// Two-sided p-value.
    let pValue: Double
    /// P(T ≥ t): the one-sided p-value for "greater than 0".
    let pGreater: Double
    /// P(T ≤ t): the one-sided p-value for "less than 0".
    let pLess: Double
    let minimumDetectableEffect: Double

    init(value: Double, variance: Double, df: Double, settings: InferenceSettings) {
        let se = variance.squareRoot()
        let quantile = Distributions.studentTQuantile(1 - settings.alpha / 2, df: df)
        lower = value - quantile * se
        upper = value + quantile * se
        minimumDetectableEffect = (quantile + Distributions.studentTQuantile(settings.power, df: df)) * se
        if se > 0 {
            let t = value / se
            pValue = Distributions.studentTTwoSidedP(t, df: df)
            // Each tail from the side it is small on: 1 − CDF(t) cancels to 0 below about 1e-16 (a CI team's review: a
            // one-sided p of 1.35e-21 was 0 in `diff`'s JSON, and its q too).
            pGreater = Distributions.studentTCDF(-t, df: df)
            pLess = Distributions.studentTCDF(t, df: df)
        } else {
            // No variation at all (rates and shares without variation; a mean's such variance has no test, see
            // `isNegligibleMeanVariance`): a zero gap is no evidence; any other gap is certain.
            pValue = value == 0 ? 1 : 0
            pGreater = value > 0 ? 0 : 1
            pLess = value < 0 ? 0 : 1
        }
    }
}
