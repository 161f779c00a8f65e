import Foundation
/// How two models' (or two runs') data are related in `modelDifference`.
public enum Pairing: String, Sendable, Codable, CaseIterable {
    /// Same terms and the same random streams in both (common random numbers): the term and stream
    /// clusters are shared, so the noise the models share cancels in the difference.
    case paired
    /// Runs whose random streams are not shared (different seeds or sample counts, a served model): the
    /// streams are independent clusters, the terms are still shared (clusters keyed by group and term; the
    /// callers compare the same prompt sets, and a term the other side lacks is simply its own cluster).
    /// Treating the terms as independent too counted a term's effect under both models as two draws: the
    /// sum of two single terms' contrasts rejected 7.5–11% at 5% with the term effects correlated 0.5–0.9
    /// across models (statistician's review).
    case unpaired
}

/// The comparison of one contrast between two models: contrast(second) − contrast(first), with the
/// joint tests behind the "more / less biased" verdicts.
public struct ModelDifference: Sendable, Equatable, Codable {
    /// The first model's contrast A − B (its own interval).
    public var first: Estimate
    /// The second model's contrast A − B.
    public var second: Estimate
    /// The change second − first with its interval (paired or unpaired as `pairing` says).
    public var change: Estimate
    /// second + first with its interval (the other half of the test of |second| vs |first|).
    public var sum: Estimate
    /// |second| − |first| at the point estimates (no interval: |·| is not smooth at 0; the verdicts
    /// use `pLarger` / `pSmaller`).
    public var growth: Double
    /// The p-value of "|second| > |first|" (intersection–union test, see `modelDifference`); nil when undefined.
    public var pLarger: Double?
    /// The p-value of "|second| < |first|".
    public var pSmaller: Double?
    /// Whether the two models' own intervals exclude 0 on opposite sides (uncorrected for the comparisons made).
    public var signReversed: Bool
    /// How the intervals were computed.
    public var pairing: Pairing
    /// True when the change is undetermined because the two contrasts rest on different terms of a group
    /// (``ContrastData/restsOnTheSameTerms(as:)``, statistics revision 11); nil otherwise.
    public var onDifferentTerms: Bool? = nil

    /// Creates a result.
    public init(
        first: Estimate, second: Estimate, change: Estimate, sum: Estimate, growth: Double, pLarger: Double?,
        pSmaller: Double?, signReversed: Bool, pairing: Pairing
    ) {
        self.first = first
        self.second = second
        self.change = change
        self.sum = sum
        self.growth = growth
        self.pLarger = pLarger
        self.pSmaller = pSmaller
        self.signReversed = signReversed
        self.pairing = pairing
    }

    /// Equality that treats a NaN growth as equal to another.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.first == rhs.first && lhs.second == rhs.second && lhs.change == rhs.change && lhs.sum == rhs.sum
            && (lhs.growth == rhs.growth || (lhs.growth.isNaN && rhs.growth.isNaN)) && lhs.pLarger == rhs.pLarger
            && lhs.pSmaller == rhs.pSmaller && lhs.signReversed == rhs.signReversed && lhs.pairing == rhs.pairing
            && lhs.onDifferentTerms == rhs.onDifferentTerms
    }

    private enum CodingKeys: String, CodingKey {
        case first, second, change, sum, growth, pLarger, pSmaller, signReversed, pairing, onDifferentTerms
    }

    /// Decodes a result; a `null` growth decodes as NaN.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        first = try container.decode(Estimate.self, forKey: .first)
        second = try container.decode(Estimate.self, forKey: .second)
        change = try container.decode(Estimate.self, forKey: .change)
        sum = try container.decode(Estimate.self, forKey: .sum)
        growth = try container.decodeIfPresent(Double.self, forKey: .growth) ?? .nan
        pLarger = try container.decodeIfPresent(Double.self, forKey: .pLarger)
        pSmaller = try container.decodeIfPresent(Double.self, forKey: .pSmaller)
        signReversed = try container.decode(Bool.self, forKey: .signReversed)
        pairing = try container.decode(Pairing.self, forKey: .pairing)
        onDifferentTerms = try container.decodeIfPresent(Bool.self, forKey: .onDifferentTerms)
    }

    /// Encodes a result; a NaN growth is written as `null`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(first, forKey: .first)
        try container.encode(second, forKey: .second)
        try container.encode(change, forKey: .change)
        try container.encode(sum, forKey: .sum)
        try container.encode(growth.isFinite ? growth : nil, forKey: .growth)
        try container.encodeIfPresent(pLarger, forKey: .pLarger)
        try container.encodeIfPresent(pSmaller, forKey: .pSmaller)
        try container.encode(signReversed, forKey: .signReversed)
        try container.encode(pairing, forKey: .pairing)
        try container.encodeIfPresent(onDifferentTerms, forKey: .onDifferentTerms)
    }
}

/// Compares one contrast between two models (or two runs): is the second model's gap larger in
/// absolute value than the first's, beyond the uncertainty of both?
///
/// With D₁, D₂ the two contrasts, |D₂| > |D₁| holds exactly when D₂ − D₁ and D₂ + D₁ are both
/// positive or both negative; |D₂| < |D₁| when they have opposite signs. Each of the four quadrants
/// is an intersection–union test (Berger 1982, Technometrics 24(4)): its p-value is the larger of
/// the two one-sided t p-values, and the two quadrants of a claim are combined with a Bonferroni
/// factor 2. Both sums are linear estimands of the two models' data, so their variances come from
/// the same crossed term × stream clusters (`CrossedClusterVariance`): the term clusters are shared across
/// the models, the stream clusters when `.paired` (same random streams) and not when `.unpaired`. Unlike mapping the
/// change's interval through |D₁ + δ| − |D₁| with D₁ fixed, this accounts for the first model's own
/// uncertainty: a gap that flips sign at the same size, or one that vanishes, is not called larger.
///
/// - Parameters:
///   - first: the first model's data of the contrast (A and B groups).
///   - second: the second model's data of the same contrast.
///   - pairing: whether the two share random streams (the terms are shared either way).
///   - scale: the metric's scale.
///   - settings: confidence level, power, minimum support.
///   - others: the set's other groups, each as (its data under the first model, under the second), nil where a
///     model has no data for it. The two contrasts (``ModelDifference/first``, ``ModelDifference/second``) of two
///     single-term groups borrow the variance of a term mean from each model's, as `contrast` does; the change and
///     the sum of such a contrast borrow the per-term variance of the change (of the sum) from the groups with data
///     under both models and several terms (``DonorTermVariance``): the contrasts are about the groups' population
///     levels, and a change conditional on the two terms called 20% of comparisons "more" or "less biased" when
///     the groups' levels were equal under both models and only the two terms' effects differed between them
///     (docs/statistics-validation.md, "verdicts with single-term groups"). When the contrasts borrow but no
///     group lends to the change and the sum (no multi-term group with data and support under both models), the
///     comparison has no test (undetermined): conditional on the two terms it called 26–37% of equal levels "more"
///     or "less biased" (statistician's review). A single term's rate or share beside a multi-term group borrows
///     that group's per-term variance of the change relative to Σ p(1 − p) (the others' where it is at 0 or 1 under
///     both models; undetermined when none lends), as its contrasts borrow relative to p(1 − p); a mean's borrows it in
///     the mean's scale, scaled up where the single term's completions vary more than the lender's (``MeanSpreads``,
///     statistics revision 5).
///
/// Two contrasts on different templates, or on different terms of a group (a term with data under one model only,
/// ``ContrastData/restsOnTheSameTerms(as:)``; ``ModelDifference/onDifferentTerms``), keep their change's value with
/// no interval and no test: undetermined.
/// - Throws: `StatisticsError.invalidObservation` or `.invalidParameter`.
public func modelDifference(
    first: ContrastData, second: ContrastData, pairing: Pairing, scale: MetricScale,
    settings: InferenceSettings = .standard, borrowingFrom others: [(first: GroupData?, second: GroupData?)] = []
) throws -> ModelDifference {
    // Each model's contrast on the templates both its groups have, as `contrast` takes it.
    let matchedFirst = first.matchedOnTemplates, matchedSecond = second.matchedOnTemplates
    let contrastOne = try contrast(
        matchedFirst.a, matchedFirst.b, scale: scale, settings: settings, borrowingFrom: others.compactMap(\.first))
    let contrastTwo = try contrast(
        matchedSecond.a, matchedSecond.b, scale: scale, settings: settings, borrowingFrom: others.compactMap(\.second))
    let (one, two) = (contrastOne.estimate, contrastTwo.estimate)
    // Copies under both models (greedy decoding): the change and the sum as the contrasts take them, one draw per
    // prompt and as means (`GroupData.holdCopies`).
    // Over the set's groups under both models, as the contrasts and levels decide it.
    let setGroups = others.flatMap { [$0.first, $0.second].compactMap { $0 } }
    let copies = CopiesRule([matchedFirst.a, matchedFirst.b, matchedSecond.a, matchedSecond.b] + setGroups, scale: scale)
    let first = ContrastData(a: copies.data(matchedFirst.a), b: copies.data(matchedFirst.b))
    let second = ContrastData(a: copies.data(matchedSecond.a), b: copies.data(matchedSecond.b))
    let others = others.map { (first: $0.first.map(copies.data), second: $0.second.map(copies.data)) }
    let metricScale = scale
    let scale = copies.inferenceScale
    // The term clusters are shared across the models (group keys "a", "b"); the stream clusters only when paired.
    let (firstDomain, secondDomain) = pairing == .paired ? ("run", "run") : ("first", "second")
    // Two single terms (both groups one term, under both models): the case the set's other groups lend to.
    let singleTerms = [first.a, first.b, second.a, second.b].allSatisfy { $0.units.count == 1 }
    let setDonors = others.compactMap { pair in pair.first.flatMap { f in pair.second.map { (f, $0) } } }
    // A mean's single terms: their completions' spread under the two models, against which the lenders' is weighed.
    let spreads = scale == .mean && !copies.applies ? MeanSpreads(first, second) : nil
    let donors = !singleTerms ? nil : DonorTermVariance(
        levels: (contrastOne, contrastTwo), donors: setDonors, domains: (firstDomain, secondDomain), scale: scale,
        metricScale: metricScale, settings: settings, spreads: spreads)
    // A single term beside a multi-term group: the change and the sum borrow that group's per-term variance of the same
    // combination, for rates and shares relative to its Σ p(1 − p), taken back at the single term's, as the contrasts
    // borrow it relative to p(1 − p); where that group is at 0 or 1 under both models and lends nothing, the set's other
    // groups lend, as the contrasts borrow the set's (statistics revision 4). For means in the mean's scale, scaled up
    // by the single term's spread (``MeanSpreads``, statistics revision 5; before, the combined fit's, unscaled). In
    // absolute terms a group at 2% lent a single term at 30% a fraction of its variance: 10–26% of comparisons of equal
    // populations were called more or less biased (statistician's review).
    let besideSeveral = singleTermBesideSeveral(first, second, scale: scale, copies: copies.applies)
    func arms(_ sign: Double) -> [Arm] {
        [
            Arm(data: second.a, coefficient: 1, group: "a", streams: secondDomain),
            Arm(data: second.b, coefficient: -1, group: "b", streams: secondDomain),
            Arm(data: first.a, coefficient: sign, group: "a", streams: firstDomain),
            Arm(data: first.b, coefficient: -sign, group: "b", streams: firstDomain),
        ]
    }
    var lent = (change: try donors?.borrowed(sign: -1), sum: try donors?.borrowed(sign: 1))
    if let (key, partner) = besideSeveral {
        func lend(_ sign: Double) throws -> [String: VarianceComponents.PerTerm]? {
            for lenders in [[partner], setDonors] {
                let variance = DonorTermVariance(
                    levels: (contrastOne, contrastTwo), donors: lenders, domains: (firstDomain, secondDomain), scale: scale,
                    metricScale: metricScale, settings: settings, spreads: spreads)
                if let part = try variance?.borrowed(sign: sign)?[key] { return [key: part] }
            }
            return nil
        }
        lent = (try lend(-1), try lend(1))
    }
    // The same values as the two contrasts' difference and sum, exactly (identical models give 0, not 1e-18),
    // in the estimates and in their tests: a test centred on rounding noise, with an SE that is rounding
    // noise too, called identical runs "more biased" with p ≈ 0.
    let boundary = scale == .mean ? nil : boundaryVariance(one, two, settings: settings)
    let change = recentred(
        try linearEstimate(
            arms(-1), scale: scale, poolEqualSizes: metricScale == .mean, settings: settings, groupTermVariances: lent.change),
        on: two.value - one.value, scale: scale, settings: settings, boundary: boundary, contrasts: (one, two))
    let sum = recentred(
        try linearEstimate(
            arms(1), scale: scale, poolEqualSizes: metricScale == .mean, settings: settings, groupTermVariances: lent.sum),
        on: two.value + one.value, scale: scale, settings: settings, boundary: boundary, contrasts: (one, two))
    let insufficient = one.insufficient ?? two.insufficient
    var result = ModelDifference(
        first: one, second: two, change: change.estimate, sum: sum.estimate,
        growth: abs(two.value) - abs(one.value), pLarger: nil, pSmaller: nil,
        signReversed: signReversed(one, two),
        pairing: pairing)
    // Recorded as the contrasts record it (review: a greedy run's comparisons said term_clusters).
    (result.change.method, result.sum.method) = (copies.method(result.change.method), copies.method(result.sum.method))
    if let insufficient {
        // Too thin in either run: the change keeps its value but no interval, as the contrasts themselves.
        result.change = result.change.insufficient(insufficient)
        result.sum = result.sum.insufficient(insufficient)
        return result
    }
    if first.templates != second.templates {
        // The two contrasts rest on different templates (a group missing from a template under one model): their
        // change would mix the templates' effects with the models' (review: "less biased", q = 0.019, from one model's
        // gap). No interval and no test: undetermined, before any other rule (the results-file path, which knows only
        // whether the templates agree, decides the same way).
        result.dropInference()
        return result
    }
    if !first.restsOnTheSameTerms(as: second) {
        // The same templates, but a term with data under one model only (a completions file without any prompt of it on
        // one side): the change would mix which terms are there with the models' difference, as different templates
        // would mix the templates' effects. No interval and no test: undetermined (statistics revision 11).
        result.onDifferentTerms = true
        result.dropInference()
        return result
    }
    if [one, two].contains(where: \.isUntestable) {
        // A contrast with neither an interval nor a standard error (a mean whose completions all scored alike: its
        // variance is unknown, not 0) leaves the change without a variance to test against, as `diff` from the
        // results alone finds (statistician's review: from the completions it was tested, q = 0.81, and from the
        // results "undetermined"). No interval and no test: undetermined; two such contrasts of the same value
        // show no change (`untestableChange`).
        result.dropInference()
        // A rate's or share's single term beside multi-term groups at 0 or 1 with nothing to lend (`CrossedClusterVariance`),
        // or two single terms so (`contrast`): their contrasts are conditional on the terms, and so is what their change
        // rests on. Undetermined, also where the two values are equal (a review: two contrasts of −100 pp without a test
        // read "no detectable change" at q = 1 beside the docs' "undetermined").
        if metricScale != .mean, !copies.applies, besideSeveral != nil || singleTerms,
            [one, two].contains(where: { $0.method == .conditionalOnTerms })
        {
            (result.change.method, result.sum.method) = (.conditionalOnTerms, .conditionalOnTerms)
            return result
        }
        if let tests = untestableChange(one, two, proportion: metricScale != .mean, resolution: settings.absoluteResolution) {
            (result.pLarger, result.pSmaller) = tests
        }
        return result
    }
    if singleTerms && [one, two].contains(where: { $0.method == .pooledTermVariance }) || besideSeveral != nil,
        lent.change == nil || lent.sum == nil
    {
        // Two single terms whose contrasts borrow the set's term variance (under either model) while no group lends
        // to the change and the sum (no multi-term group with data and support under both models): conditional on the two
        // terms the change would test these two words, not the groups the contrasts are about. Undetermined. So is a
        // single term beside a multi-term group at 0 or 1 under both models with no other group to lend: conditional on
        // the term, its change would leave out the term × model variation the verdict is about.
        result.dropInference()
        if besideSeveral != nil {
            // What it rests on, said: the streams alone, the single term taken as fixed.
            (result.change.method, result.sum.method) = (.conditionalOnTerms, .conditionalOnTerms)
        }
        return result
    }
    guard let c = change.test else { return result }
    guard let s = sum.test else {
        // The sum untested (means without variation, `recentred`) beside a change of exactly 0: |second| = |first|,
        // no evidence of either claim, whatever the sum.
        if change.estimate.value == 0 { (result.pLarger, result.pSmaller) = (1, 1) }
        return result
    }
    (result.pLarger, result.pSmaller) = magnitudeTests(change: c, sum: s)
    return result
}

/// What a rate or share contrast without any variation adds to the variance of the change and the sum.
///
/// A contrast whose groups show no variation at all (0% against 0%, say) has SE 0 but an interval of nonzero
/// width: the MOVER combination of its two levels' printed limits, each on its own df (`noVariationReferences`;
/// Newcombe's with the normal quantile until statistics revision 13). The change and the sum rested on the SEs
/// alone: two models at 0 vs 0 got a change of "0.0 [0.0, 0.0]", and a model at 0 vs 0 against one
/// at 6 vs 0, whose own interval held 0, was "more biased" (q = 0.04). Such a contrast adds the variance
/// its interval implies (``noVariationStandardError(_:settings:)`` squared, as an independent term); when neither contrast
/// has variation the change and the sum take the normal reference. Contrasts with variance keep their SEs: scaling every
/// SE up to its MOVER interval's implied one was tried and cost power (a bias appearing at a 5% rate was
/// found in 22% of 1000 replications instead of 31%) while the verdicts' wrong claims were already at
/// most 1.9% (docs/statistics-validation.md, "verdicts on rates").
struct BoundaryVariance {
    /// Σ ``noVariationStandardError(_:settings:)``² over the contrasts without variation.
    let added: Double
    /// Whether neither contrast has any variation (the normal reference).
    let noVariation: Bool
}

/// The ``BoundaryVariance`` of two rate or share contrasts, or nil when either has no interval.
func boundaryVariance(_ one: Estimate, _ two: Estimate, settings: InferenceSettings) -> BoundaryVariance? {
    var added = 0.0, fitted = 0.0
    for estimate in [one, two] {
        guard estimate.insufficient == nil, let se = estimate.standardError, estimate.lower != nil, estimate.upper != nil
        else { return nil }
        if se <= 0 { added += pow(noVariationStandardError(estimate, settings: settings), 2) }
        fitted += se * se
    }
    return BoundaryVariance(added: added, noVariation: fitted <= 0)
}

/// The standard error a rate or share contrast without variation (standard error 0) counts with in a model comparison:
/// its interval's longer side over z₁₋α/₂, the SE of a symmetric normal interval that holds it (0 without an interval).
/// Its width over 2z (statistics revision 13 and before) halved it where the interval is cut at ±1: 100% against 0% of
/// 2 terms each, [−3.1, +100] pp, counted with SE 0.26 where its lower side says 0.53, and against a model at 0% vs 0%
/// ([−72.9, +72.9]) the change was "more biased" (q = 0.028) while the second contrast was itself no finding (q = 0.053;
/// helper 320). A symmetric interval (0% against 0%) gives its width over 2z, as before.
func noVariationStandardError(_ estimate: Estimate, settings: InferenceSettings) -> Double {
    guard let lower = estimate.lower, let upper = estimate.upper, upper >= lower else { return 0 }
    let value = estimate.value.isFinite ? min(max(estimate.value, lower), upper) : (lower + upper) / 2
    return max(upper - value, value - lower) / Distributions.normalQuantile(1 - settings.alpha / 2)
}

/// `fitted` with its value replaced by `value` (the same estimand computed exactly) and its interval and
/// test centred on it, with the same standard error and df, plus the variance a rate or share contrast without
/// variation adds (``BoundaryVariance``).
/// A value within rounding of 0 (at most 1e-9 of the contrasts' size, as `isNegligibleMeanVariance` judges a
/// variance) is 0: two contrasts equal but for the last bits of their log-odds (batch arithmetic, 6e-7 apart in a
/// level) left a change of 4.4e-16 that had no test ("undetermined", out of the comparison's q family) where an
/// exact 0 has p = 1 (practitioner's review). A variance at most 1e-18 of the contrasts' Σ SE² (an SE below 1e-9 of
/// theirs) is none: a rate change whose fitted SE was 3.1e-17 beside contrasts with SEs of 0.15 had a zero-width interval
/// and was certain. (At 1e-9 of Σ SE², an SE up to 3e-5 of the contrasts', a change of log-odds between two runs that
/// differ by batch arithmetic, ~1e-6, was undetermined and failed `check --strict`: code review.)
private func recentred(
    _ fitted: (estimate: Estimate, test: TTest?), on value: Double, scale: MetricScale, settings: InferenceSettings,
    boundary: BoundaryVariance?, contrasts: (Estimate, Estimate)
) -> (estimate: Estimate, test: TTest?) {
    var estimate = fitted.estimate
    let value = withinRounding(value, of: contrasts.0.value, contrasts.1.value, resolution: settings.absoluteResolution)
    estimate.value = value
    guard fitted.test != nil, value.isFinite, var se = estimate.standardError, var df = estimate.degreesOfFreedom else {
        return (estimate, fitted.test)
    }
    if let boundary, boundary.added > 0 {
        se = (se * se + boundary.added).squareRoot()
        if boundary.noVariation { df = .infinity }
        estimate.standardError = se
        estimate.degreesOfFreedom = df
    }
    let contrastVariance = [contrasts.0, contrasts.1].reduce(0) { $0 + pow($1.standardError ?? 0, 2) }
    if contrastVariance > 0, se * se <= 1e-18 * contrastVariance {
        se = 0
        estimate.standardError = 0
    }
    // Values of a limited precision (the single-precision log-odds): the change is known no better than their resolution
    // (a statistician's review: a change zeroed beside a rounding-width interval of ±1.4e-8 left B − A = −8e-6 outside
    // it, and a batching difference of 2e-5 had an interval excluding 0).
    if settings.absoluteResolution > 0, se > 0 || value == 0 {
        se = max(se, settings.absoluteResolution)
        estimate.standardError = se
    }
    // Without any variation in the change or sum (means: every completion of both models scored alike, e.g. greedy
    // decoding; rates and shares: none left beside contrasts that vary): a value of exactly 0 (identical contrasts) is no
    // evidence of a change (p = 1); any other value has no interval and no test, since the variance is unknown, not 0
    // (it was "more biased" with p = 0). A rate contrast without variation adds its own (``BoundaryVariance``) first.
    if se <= 0, value != 0 {
        estimate.lower = nil
        estimate.upper = nil
        estimate.standardError = nil
        estimate.degreesOfFreedom = nil
        return (estimate, nil)
    }
    let test = TTest(value: value, variance: se * se, df: df, settings: settings)
    estimate.lower = test.lower
    estimate.upper = test.upper
    return (estimate, test)
}

/// The p-values of |second| > |first| and |second| < |first| from the tests of the change and the
/// sum: larger in the quadrants where both have one sign, smaller where they differ; each quadrant an
/// intersection–union test (the larger one-sided p), the two quadrants of a claim Bonferroni-combined.
private func magnitudeTests(change c: TTest, sum s: TTest) -> (larger: Double, smaller: Double) {
    let larger = min(max(c.pGreater, s.pGreater), max(c.pLess, s.pLess))
    let smaller = min(max(c.pLess, s.pGreater), max(c.pGreater, s.pLess))
    return (min(1, 2 * larger), min(1, 2 * smaller))
}

/// Whether the two intervals exclude 0 on opposite sides.
private func signReversed(_ first: Estimate, _ second: Estimate) -> Bool {
    guard let a = excludesZero(first), let b = excludesZero(second) else { return false }
    return a != b
}

/// true / false when the estimate's interval lies above / below 0, nil when it contains 0 or is missing.
private func excludesZero(_ estimate: Estimate) -> Bool? {
    guard estimate.insufficient == nil, let lower = estimate.lower, let upper = estimate.upper else { return nil }
    if lower > 0 { return true }
    if upper < 0 { return false }
    return nil
}

/// A linear estimand over arms with its t interval and test.
/// For means a variance at the level of rounding is 0 (`isNegligibleMeanVariance`; see `recentred` for what
/// a change without variance is tested with). `groupTermVariances`: see `CrossedClusterVariance.init`. Means whose
/// groups have the same number of terms take Student's pooled df for the term part, as their group contrasts do
/// (statistician's review: the change of 8 vs 8 terms took Satterthwaite's 10.8 beside the contrasts' 14); copies of
/// rates and shares (`poolEqualSizes` false) keep Satterthwaite's, as their contrasts do.
func linearEstimate(
    _ arms: [Arm], scale: MetricScale, poolEqualSizes: Bool, settings: InferenceSettings,
    groupTermVariances: [String: VarianceComponents.PerTerm]? = nil
) throws -> (estimate: Estimate, test: TTest?) {
    try settings.validate()
    let fit = try CrossedClusterVariance(
        arms: arms, poolEqualSizes: poolEqualSizes && scale == .mean, groupTermVariances: groupTermVariances)
    var estimate = Estimate(
        value: fit.value, lower: nil, upper: nil, n: fit.units, observations: fit.observations, weight: fit.weight,
        method: fit.method)
    guard fit.value.isFinite, var variance = fit.variance, let df = fit.degreesOfFreedom else { return (estimate, nil) }
    if scale == .mean,
        isNegligibleMeanVariance(variance, levels: fit.levels,
                                 independent: arms.reduce(0) { $0 + $1.coefficient * $1.coefficient * $1.data.independentVariance })
    {
        variance = 0
    }
    let test = TTest(value: fit.value, variance: variance, df: df, settings: settings)
    estimate.standardError = variance.squareRoot()
    estimate.degreesOfFreedom = df
    estimate.lower = test.lower
    estimate.upper = test.upper
    return (estimate, test)
}

/// The group key of `modelDifference`'s arms ("a" or "b") whose group has a single term under both models while the
/// other has several under both, with that other group's data under the two models; nil for copies (greedy decoding)
/// and for every other design.
private func singleTermBesideSeveral(
    _ first: ContrastData, _ second: ContrastData, scale: MetricScale, copies: Bool
) -> (key: String, partner: (GroupData, GroupData))? {
    guard !copies else { return nil }
    let single = (a: first.a.units.count == 1 && second.a.units.count == 1, b: first.b.units.count == 1 && second.b.units.count == 1)
    let several = (a: first.a.units.count > 1 && second.a.units.count > 1, b: first.b.units.count > 1 && second.b.units.count > 1)
    if single.a, several.b { return ("a", (first.b, second.b)) }
    if single.b, several.a { return ("b", (first.a, second.a)) }
    return nil
}

/// The same comparison as `modelDifference(first:second:pairing:scale:settings:)` from the two
/// contrasts' summaries alone (no completions: two saved runs), whose covariance is unknown: two runs of one
/// prompt set audit the same terms (and, paired, the same streams), so it is 0 or positive. The change takes
/// SE₁² + SE₂² (its largest variance then) with Welch–Satterthwaite degrees of freedom, the sum (SE₁ + SE₂)² (its
/// largest, at correlation 1) with Satterthwaite's df of that expression, (SE₁ + SE₂)² / Σ SE_i²/df_i. With SE₁² + SE₂² for the sum as well, a same-size sign flip of paired
/// runs was called "more" or "less biased" in 4.5% and 4.9% (8 vs 8 means), twice the rate from their completions,
/// which docs/ci.md calls the more sensitive path (practitioner's review); now 1.6% and 1.4%, at the price of power
/// (a bias growing from −0.1 to −0.6 latent SD found in 32% instead of 42%; docs/statistics-validation.md, "verdicts
/// from the results alone"). When a
/// summary has no standard error (schema-1 results) it is taken from the interval as width / (2·z), and a rate's or
/// share's contrast without variation as its interval's longer side over z (``noVariationStandardError(_:settings:)``); such an SE has no df of its own,
/// and the change and the sum then take the other side's df (the smallest a Satterthwaite df of the two parts can be),
/// not Welch's with that part on infinite df: a statistician's review had 10.7 df and an interval excluding 0 where the
/// completions gave 7 and an interval including it.
/// - Parameters:
///   - first: the first run's contrast.
///   - second: the second run's contrast.
///   - sameTemplates: whether the two contrasts compare their groups on the same templates (results.json's
///     `templates_compared`) and terms (as far as the contrasts' counts of terms tell). When not, the change keeps its value but has
///     no interval and no test (undetermined), as in `modelDifference(first:second:pairing:scale:settings:)`: it would
///     mix the templates' (or the terms') effects with the models'.
///   - proportion: whether the contrasts are of a rate or share (two without a variance estimate are then
///     undetermined also where their values are equal, `untestableChange`).
///   - settings: confidence level and power.
public func modelDifference(
    first: Estimate, second: Estimate, sameTemplates: Bool = true, proportion: Bool = false,
    settings: InferenceSettings = .standard
) -> ModelDifference {
    // The SE and df of a side; df nil where the SE is implied by an interval (no df of its own).
    func se(_ estimate: Estimate) -> (se: Double, df: Double?)? {
        guard estimate.insufficient == nil, estimate.value.isFinite else { return nil }
        if let se = estimate.standardError {
            // A rate or share contrast without variation (SE 0) has an interval of nonzero width: it counts with the SE
            // that interval implies (``noVariationStandardError(_:settings:)``, as ``BoundaryVariance``), with no df of
            // its own.
            let implied = noVariationStandardError(estimate, settings: settings)
            if se <= 0, implied > 0 { return (implied, nil) }
            // A contrast without any variance and an interval of no width (a mean's, in files written before such
            // contrasts got no interval) has nothing to test with.
            if se <= 0 { return nil }
            return (se, estimate.degreesOfFreedom ?? .infinity)
        }
        guard let lower = estimate.lower, let upper = estimate.upper else { return nil }
        let z = Distributions.normalQuantile(1 - settings.alpha / 2)
        return ((upper - lower) / (2 * z), nil)
    }
    let value = withinRounding(second.value - first.value, of: first.value, second.value, resolution: settings.absoluteResolution)
    // Both runs audit the same terms (comparable runs share the prompt set's file): the change rests on those units,
    // as from the completions (review: 32 term units from the results alone where the completions give 16).
    let change = Estimate(
        value: value, lower: nil, upper: nil, n: max(first.n, second.n),
        // Saturating: a hand-edited results file's counts are bounded by its validator, but this is arithmetic on input.
        observations: first.observations.addingReportingOverflow(second.observations).overflow
            ? Int.max : first.observations + second.observations,
        weight: first.weight + second.weight, insufficient: first.insufficient ?? second.insufficient)
    var sum = change
    sum.value = withinRounding(second.value + first.value, of: first.value, second.value, resolution: settings.absoluteResolution)
    var result = ModelDifference(
        first: first, second: second, change: change, sum: sum, growth: abs(second.value) - abs(first.value),
        pLarger: nil, pSmaller: nil, signReversed: signReversed(first, second),
        pairing: .unpaired)
    if sameTemplates, [first, second].contains(where: \.isUntestable) {
        if let tests = untestableChange(first, second, proportion: proportion, resolution: settings.absoluteResolution) {
            (result.pLarger, result.pSmaller) = tests
        }
        return result
    }
    guard sameTemplates, let one = se(first), let two = se(second) else { return result }
    let variance = one.se * one.se + two.se * two.se
    let sumVariance = pow(one.se + two.se, 2)
    let df: Double, sumDF: Double
    if let dfOne = one.df, let dfTwo = two.df {
        let denominator = (dfOne.isFinite ? pow(one.se, 4) / dfOne : 0) + (dfTwo.isFinite ? pow(two.se, 4) / dfTwo : 0)
        df = denominator > 0 ? variance * variance / denominator : .infinity
        // Satterthwaite's df of (SE₁ + SE₂)² by the delta method, with Var(SE_i²) = 2 SE_i⁴ / df_i:
        // (SE₁ + SE₂)² / Σ SE_i² / df_i (statistician's review: the sum took the change's df, computed for SE₁² + SE₂²).
        let sumDenominator = (dfOne.isFinite ? one.se * one.se / dfOne : 0) + (dfTwo.isFinite ? two.se * two.se / dfTwo : 0)
        sumDF = sumDenominator > 0 ? sumVariance / sumDenominator : .infinity
    } else {
        // An SE implied by an interval: the known side's df (Satterthwaite's df is never below the smallest part's).
        df = [one.df, two.df].compactMap { $0 }.min() ?? .infinity
        sumDF = df
    }
    let c = TTest(value: change.value, variance: variance, df: df, settings: settings)
    let s = TTest(value: sum.value, variance: sumVariance, df: sumDF, settings: settings)
    for (estimate, test, variance, degrees) in [
        (\ModelDifference.change, c, variance, df), (\ModelDifference.sum, s, sumVariance, sumDF),
    ] {
        result[keyPath: estimate].lower = test.lower
        result[keyPath: estimate].upper = test.upper
        result[keyPath: estimate].standardError = variance.squareRoot()
        result[keyPath: estimate].degreesOfFreedom = degrees
    }
    (result.pLarger, result.pSmaller) = magnitudeTests(change: c, sum: s)
    return result
}

extension ModelDifference {
    /// Removes the change's and the sum's intervals, standard errors and df (and so the tests): the comparison keeps
    /// its values and is undetermined.
    mutating func dropInference() {
        for keyPath in [\ModelDifference.change, \ModelDifference.sum] {
            self[keyPath: keyPath].lower = nil
            self[keyPath: keyPath].upper = nil
            self[keyPath: keyPath].standardError = nil
            self[keyPath: keyPath].degreesOfFreedom = nil
        }
        (pLarger, pSmaller) = (nil, nil)
    }
}

/// What the change and the sum of two single-term groups' contrast between two models borrow from the set's other
/// groups: the per-term variance of the same combination of the two models' levels (second − first for the change,
/// second + first for the sum) over the terms of each group with several terms and data under both models, as a
/// single term against a multi-term group borrows that group's variance of a term mean (Student's pooled t with the
/// single term as one more draw). A donor's terms are the same under both models, so what it lends is the variance
/// of a term's change (its term × model interaction) or of its sum, on its K − 1 df, paired or not (unpaired, its
/// streams are separate clusters, as the contrast's). For rates and shares the variance is pooled relative to the
/// donor's Σ p(1 − p) over the two models' levels and taken back at the single term's (as `SetPerTermVariance` does
/// for one level); for means in the mean's scale, scaled up by each single term's ``MeanSpreads`` against the donors'
/// (`VarianceComponents.PerTerm.scaledBySpread`). Donors below the minimum support, or at 0 or 1 under both models,
/// lend nothing. Made for two single terms (the set's multi-term groups lend) and for a single term beside a multi-term
/// group (that group lends, or the set's where it lends nothing: `modelDifference`); nil when no donor has several
/// terms.
struct DonorTermVariance {
    private let levels: (first: ContrastResult, second: ContrastResult)
    private let donors: [(GroupData, GroupData)]
    private let domains: (first: String, second: String)
    private let scale: MetricScale
    /// The metric's own scale where `scale` is the mean's for copies: its minimum support, and donors at 0 or 1 under
    /// both models lend nothing for a rate's or share's copies either (a statistician's review: a 4-term group at 0%
    /// under both greedy models lent 3 df of zero variance, and a change's interval excluded 0).
    private let metricScale: MetricScale
    private let settings: InferenceSettings
    private let spreads: MeanSpreads?

    init?(
        levels: (ContrastResult, ContrastResult), donors: [(GroupData, GroupData)], domains: (first: String, second: String),
        scale: MetricScale, metricScale: MetricScale? = nil, settings: InferenceSettings, spreads: MeanSpreads? = nil
    ) {
        guard donors.contains(where: { $0.0.units.count > 1 && $0.1.units.count > 1 }) else { return nil }
        (self.levels, self.donors, self.domains, self.scale, self.settings) = (levels, donors, domains, scale, settings)
        self.metricScale = metricScale ?? scale
        self.spreads = spreads
    }

    /// The unit of a combination of levels: Σ p(1 − p) for rates and shares, 1 for means.
    private func unit(_ levels: [Double]) -> Double {
        scale == .mean ? 1 : levels.reduce(0) { $0 + ($1 > 0 && $1 < 1 ? $1 * (1 - $1) : 0) }
    }

    /// Per group key of `modelDifference`'s arms ("a", "b"), the per-term variance it borrows for the combination
    /// second + `sign` · first; nil when no donor lends.
    func borrowed(sign: Double) throws -> [String: VarianceComponents.PerTerm]? {
        var parts: [(VarianceComponents.PerTerm, unit: Double)] = []
        var lenderSpreads: [(spread: Double, df: Double)] = []
        for (donorFirst, donorSecond) in donors {
            let fit = try CrossedClusterVariance(arms: [
                Arm(data: donorSecond, coefficient: 1, group: "donor", streams: domains.second),
                Arm(data: donorFirst, coefficient: sign, group: "donor", streams: domains.first),
            ])
            guard let components = fit.components, fit.levels.allSatisfy(\.isFinite),
                support(weights: fit.armWeights, weighted: fit.armWeightedObservations, scale: metricScale, settings: settings) == nil,
                let perTerm = components.groups.first?.perTerm,
                !lendsNothingAtABound(fit.levels, metricScale: metricScale)
            else { continue }
            let unit = unit(fit.levels)
            if unit > 0 { parts.append((perTerm, unit)) }
            if spreads != nil, let spread = MeanSpreads.spread(donorFirst, donorSecond) { lenderSpreads.append((spread, perTerm.df)) }
        }
        guard let relative = VarianceComponents.PerTerm.pooled(parts) else { return nil }
        if let spreads {
            return ["a": spreads.scaled(relative, key: "a", lenders: lenderSpreads),
                    "b": spreads.scaled(relative, key: "b", lenders: lenderSpreads)]
        }
        return [
            "a": relative.scaled(by: unit([levels.second.levelA, levels.first.levelA])),
            "b": relative.scaled(by: unit([levels.second.levelB, levels.first.levelB])),
        ]
    }
}

/// The completions' spread of a mean contrast's two groups under two models (each group's
/// ``GroupData/withinPromptVariance`` summed over the models), by which what a single term borrows for its change and
/// sum is scaled up where its completions vary more than its lenders'
/// (`VarianceComponents.PerTerm.scaledBySpread`), as its contrasts and level scale it.
struct MeanSpreads {
    private let spreads: [String: Double]

    /// The spreads of `first` and `second`'s groups "a" and "b"; a group without one (no replicated prompt) is absent.
    init(_ first: ContrastData, _ second: ContrastData) {
        var spreads: [String: Double] = [:]
        spreads["a"] = Self.spread(first.a, second.a)
        spreads["b"] = Self.spread(first.b, second.b)
        self.spreads = spreads
    }

    /// A group's spread under two models: the sum of its within-prompt variances; nil without both.
    static func spread(_ first: GroupData, _ second: GroupData) -> Double? {
        guard let one = first.withinPromptVariance, let two = second.withinPromptVariance else { return nil }
        return one + two
    }

    /// What group `key` borrows of `perTerm`, lent by groups whose spreads (with their df) are `lenders`
    /// (`VarianceComponents.PerTerm.scaledBySpread`).
    func scaled(
        _ perTerm: VarianceComponents.PerTerm, key: String, lenders: [(spread: Double, df: Double)]
    ) -> VarianceComponents.PerTerm {
        perTerm.scaledBySpread(own: spreads[key], lenders: pooledSpread(lenders))
    }
}

extension Estimate {
    /// A contrast with a value but neither an interval nor a standard error (a mean whose completions all scored
    /// alike: its variance is unknown, not 0), and no shortfall of support: a model comparison has nothing to test
    /// its change against.
    var isUntestable: Bool {
        insufficient == nil && value.isFinite && lower == nil && upper == nil && standardError == nil
    }
}

/// The verdict p-values of a comparison one of whose contrasts ``Estimate/isUntestable``: (1, 1), no evidence of
/// either claim, when both are means and their values are equal (identical models whose completions all scored
/// alike); nil otherwise (undetermined). A rate's or share's (`proportion`) are counts over few prompts, equal by
/// chance as often as not: two models' greedy contrasts of one term each, +10 pp (1 of 10) under both, read "no
/// detectable change" at q = 1 and passed a gate's significance rule (a teacher's review; the README calls such a
/// comparison undetermined, as a rate's single term conditional on its term is also where equal). The same from the
/// completions and from the results alone.
func untestableChange(
    _ first: Estimate, _ second: Estimate, proportion: Bool, resolution: Double = 0
) -> (larger: Double, smaller: Double)? {
    // Equal to rounding (review: −0.07913999999999996 against −0.0791399999999999, the same greedy completions summed
    // in another order at 2 and 4 samples, were "undetermined").
    !proportion && first.isUntestable && second.isUntestable
        && withinRounding(second.value - first.value, of: first.value, second.value, resolution: resolution) == 0 ? (1, 1) : nil
}

/// `value` (a change or a sum of two contrasts), or 0 when it is within rounding of 0: at most 1e-9 of the two
/// contrasts' size (value² ≤ 1e-18 · (a² + b²)), as `isNegligibleMeanVariance` judges a variance, or at most
/// `resolution` (``InferenceSettings/absoluteResolution``: the values' own precision, 1e-5 for the single-precision
/// log-odds). Two contrasts equal but for the last bits (batch arithmetic, summation order) leave a change of 1e-16,
/// or of 1e-8 for log-odds computed in batches of other sizes, that is no change.
public func withinRounding(_ value: Double, of a: Double, _ b: Double, resolution: Double = 0) -> Double {
    let size = [a, b].reduce(0) { $0 + ($1.isFinite ? $1 * $1 : 0) }
    return value * value <= 1e-18 * size || abs(value) <= resolution ? 0 : value
}
