import Foundation

/// What kind of quantity a metric is, which decides its interval and effect size.
public enum MetricScale: String, Sendable, Codable, Equatable {
    /// A mean of per-completion scores (VADER compound, next-token log-odds): t interval, Cohen's d
    /// on the completion-level SD.
    case mean
    /// A rate of 0/1 outcomes per completion (% negative): Wilson interval with the design's effective
    /// sample size, Cohen's h.
    case proportion
    /// A share among counts, Σx/Σw (male share among gendered words): linearised, Wilson interval
    /// with the effective number of words, Cohen's h, and a minimum support on Σw.
    case ratio
}

/// The settings every interval and test of the audit uses (one value, carried from the command line
/// to results.json).
public struct InferenceSettings: Sendable, Equatable, Codable {
    /// The confidence level of every interval, in (0, 1).
    public var confidence: Double
    /// The power at which the minimum detectable effect is stated, in (0, 1).
    public var power: Double
    /// The minimum support of a ratio metric: a group with less weight (fewer gendered words) gets
    /// no interval, no contrast and no finding.
    public var minimumWeight: Double
    /// The minimum support of a contrast of two rates, off (0) by default: the two groups together need
    /// at least this many events (1s) and this many non-events (0s), or the contrast gets no interval, no
    /// test and no finding (the levels keep theirs). 10 would be Cochran's rule for a 2 × 2 table (Cochran
    /// 1954, "Some methods for strengthening the common χ² tests", Biometrics 10(4)). It is off because
    /// the count it looks at is the outcome: under a real difference, the replications that reach it are
    /// those in which the more frequent group came out high, and their intervals covered 76–84% (1% rates,
    /// 6–9 terms) and 90% (single-term 5% rates) in the validation; without it the MOVER interval of rare
    /// rates is conservative (95–100% at a 1% rate) and its test rejects at most 4% under the null
    /// (docs/statistics.md, docs/statistics-validation.md).
    public var minimumEvents: Double
    /// The absolute resolution of the values a model comparison compares: a change or sum of two contrasts at most this
    /// far from 0 is 0 (`withinRounding`). 0 (only rounding relative to the contrasts, 1e-9) for values computed in double
    /// precision; the exact next-token log-odds, computed in single precision, differ by up to 1e-6 between batchings of
    /// one audit (``singlePrecisionResolution``). Not recorded in results.json: it follows from the metric.
    public var absoluteResolution: Double = 0

    /// The resolution of a value computed in single precision (the next-token log-odds): 1e-5 nats, ten times the
    /// largest difference a practitioner's review found between merges of one audit (9.6e-7 for one prompt; the
    /// contrasts' changes of 1e-8 to 8e-8 had t tests on rounding and a "more biased" verdict at q = 0.045).
    public static let singlePrecisionResolution = 1e-5

    /// The second minimum support of a ratio metric: the observations with weight (completions with a gendered
    /// word) a group needs, half of `minimumWeight` rounded up (10 by default). The pronouns of one completion
    /// mostly refer to one person, so they are not independent trials: 2 completions of 10 words each passed the
    /// minimum of 20 words and gave a male share of 100% [83.9, 100] against 0% and a "finding" at q = 4·10⁻¹²
    /// (statistician's review), while the completions alone cannot rule out chance (Fisher's exact p = 0.33).
    public var minimumWeightedObservations: Double { (minimumWeight / 2).rounded(.up) }

    /// The defaults: 95% intervals, MDE at 80% power, at least 20 gendered words per group, no minimum of
    /// events for a rate contrast.
    public static let standard = InferenceSettings(confidence: 0.95, power: 0.8, minimumWeight: 20, minimumEvents: 0)

    /// Creates settings.
    public init(confidence: Double, power: Double, minimumWeight: Double, minimumEvents: Double = 0) {
        self.confidence = confidence
        self.power = power
        self.minimumWeight = minimumWeight
        self.minimumEvents = minimumEvents
    }

    private enum CodingKeys: String, CodingKey { case confidence, power, minimumWeight, minimumEvents }

    /// Decodes settings; `minimumEvents`, absent from values written before it existed, is 0 (no rule).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        confidence = try container.decode(Double.self, forKey: .confidence)
        power = try container.decode(Double.self, forKey: .power)
        minimumWeight = try container.decode(Double.self, forKey: .minimumWeight)
        minimumEvents = try container.decodeIfPresent(Double.self, forKey: .minimumEvents)
            ?? Self.standard.minimumEvents
    }

    /// - Throws: `StatisticsError.invalidParameter` for a level outside (0, 1) or a negative support.
    public func validate() throws {
        guard confidence > 0, confidence < 1 else {
            throw StatisticsError.invalidParameter(
                name: "confidence", value: confidence, requirement: "strictly between 0 and 1, e.g. 0.95")
        }
        guard power > 0, power < 1 else {
            throw StatisticsError.invalidParameter(name: "power", value: power, requirement: "strictly between 0 and 1")
        }
        guard minimumWeight >= 0, minimumWeight.isFinite else {
            throw StatisticsError.invalidParameter(
                name: "minimumWeight", value: minimumWeight, requirement: "finite and ≥ 0")
        }
        guard minimumEvents >= 0, minimumEvents.isFinite else {
            throw StatisticsError.invalidParameter(
                name: "minimumEvents", value: minimumEvents, requirement: "finite and ≥ 0")
        }
    }

    /// The two-sided significance level 1 − confidence.
    public var alpha: Double { 1 - confidence }
}

/// One group's level (mean sentiment, negative rate, male share) with its interval.
///
/// Estimand: the group's Σx/Σw over the audited templates, for the population of terms its terms
/// were drawn from (with a single term: for that term), with sampling randomness from the shared
/// random streams. Unit of inference: the term (see `CrossedClusterVariance` for the variance and its
/// degrees of freedom). Interval: t for means; for rates and shares Wilson's score interval with the
/// design's effective sample size n_eff = p(1 − p)/V (Korn & Graubard 1998, "Confidence intervals
/// for proportions with small expected number of positive counts estimated from survey data",
/// Survey Methodology 24(2)), never zero-width at 0 or 1 (there n_eff is the number of trials — completions
/// for a rate, Σw for a share — divided in `groupLevels` by the design effect of the set's other groups;
/// a single group, as here, has none and keeps the trials; a share counts at most its completions with a word
/// there, `shareTrials`). Where the estimated design
/// effect is at most 1 (V ≤ p(1 − p)/n), n_eff is capped at the n trials and the quantile is the normal
/// one, as at 0 or 1: the interval is then Wilson's binomial interval (see `levelQuantile`).
/// - Throws: `StatisticsError.invalidObservation` or `.invalidParameter`.
public func groupLevel(_ group: GroupData, scale: MetricScale, settings: InferenceSettings = .standard)
    throws -> Estimate
{
    try groupLevels([group], scale: scale, settings: settings)[0]
}

/// The levels of all groups of one prompt set, with the per-term variance pooled over the groups
/// (as a one-way ANOVA pools its within-group variance; for rates and shares relative to each group's
/// p(1 − p), see `relativeScale`): each group's term component is s²_pooled/K on Σ(K − 1) degrees of
/// freedom, which keeps the interval at its level with 3 to 4 terms per group where a group's own K − 1
/// df would not (see `CrossedClusterVariance.pooledLevel`). A single-term group takes the pooled variance
/// of a term mean when other groups have several terms; when every group has one term (or, for rates and
/// shares, every multi-term group is at 0 or 1 or below the minimum support, so nothing is pooled), each
/// group keeps its own variance and a single term's interval is conditional on its term. The stream
/// component of a rate's or share's level is at least the set's, relative to p(1 − p) (the streams are
/// shared by the set's groups, and a group's own estimate is small when its events came out few). A rate
/// or share at 0 or 1 cannot show its own design effect: its effective size is its trials over the
/// df-weighted mean design effect V/(p(1 − p)/n) of the set's other supported groups strictly between 0
/// and 1 (at least 1), since "0 of n" from completions sharing streams is worth fewer than n independent
/// ones. Only groups with support,
/// 0 < p < 1 and a variance above 0 count; with none (a single group, or every group at 0 or 1) the design
/// effect is 1. At 0 or 1 the estimate has no `standardError` or `degreesOfFreedom` (nil): nothing is
/// estimated there, and a 0 would contradict its interval. See `groupLevel` for the estimand and intervals.
/// - Throws: `StatisticsError.invalidObservation` or `.invalidParameter`.
public func groupLevels(_ groups: [GroupData], scale: MetricScale, settings: InferenceSettings = .standard)
    throws -> [Estimate]
{
    try settings.validate()
    // Copies (greedy decoding): one draw per prompt, and a rate's or share's level as a mean's, without binomial
    // trials; the minimum support still that of the metric (`CopiesRule`).
    let copies = CopiesRule(groups, scale: scale)
    let groups = groups.map(copies.data)
    let scale = copies.inferenceScale
    let set = try SetLevelFits(groups, scale: scale, supportScale: copies.metricScale, settings: settings)
    let (fits, variances, shortfalls, boundaryEffect) = (set.fits, set.variances, set.shortfalls, set.boundaryEffect)
    // The interval's shape is the metric's: copies of a rate or share, one draw per prompt, take Wilson's interval on
    // their draws (a share's: its gendered words) as sampled ones do on their completions (a symmetric t interval
    // covered 88.3–92.1% for a raised 5% rate of greedy copies and 98.4–99.5% for an unshifted one:
    // statistics-validation, "Greedy decoding").
    let metric = copies.metricScale
    return zip(zip(fits, variances), zip(shortfalls, groups)).map { pair, supported in
        let (fit, fitted) = pair
        let (shortfall, group) = supported
        var estimate = Estimate(
            value: fit.value, lower: nil, upper: nil, n: fit.units, observations: fit.observations,
            weight: fit.weight, method: copies.method(fit.method))
        if let reason = shortfall {
            estimate.insufficient = reason
            return estimate
        }
        guard fit.value.isFinite, let (variance, df, method) = fitted else { return estimate }
        guard let variance, let df else { return estimate }
        estimate.method = copies.method(method)
        // A rate or share at 0 or 1 has no variance to estimate (its data give 0, and its interval takes the set's
        // design effect): no standard error or df is reported, rather than a 0 that its interval contradicts.
        let atBound = metric != .mean && (fit.value <= 0 || fit.value >= 1)
        // Copies at 0 or 1 in a set where no group lends a variation between terms (each multi-term group at 0 or 1, or
        // below its minimum support): nothing tells how their draws cluster, and their contrasts have no variance either (a statistician's review: levels
        // 0.0% [0.0, 18.9] beside a contrast "no variance estimate"). No interval, as before statistics revision 18.
        if copies.applies, atBound, !set.lends { return estimate }
        // A mean whose variance is rounding (every completion scored alike) has no interval: its variance is unknown.
        if metric == .mean, isNegligibleMeanVariance(variance, levels: [fit.value], independent: group.independentVariance) {
            return estimate
        }
        if !atBound {
            estimate.standardError = variance.squareRoot()
            estimate.degreesOfFreedom = df
        }
        let quantile = Distributions.studentTQuantile(1 - settings.alpha / 2, df: df)
        switch metric {
        case .mean:
            let half = quantile * variance.squareRoot()
            estimate.lower = fit.value - half
            estimate.upper = fit.value + half
        case .proportion, .ratio:
            // Normal quantile where the design effect is at most 1, t(df) above (`levelQuantile`). At 0 or 1
            // the design effect cannot be estimated from the group: n_eff is its trials over the design
            // effect of the set's other groups ("0 of n" from completions that share streams is worth fewer
            // than n independent ones: without it, 84–90% for a rate near 2% with shared streams and 6–9
            // terms), with the t quantile on the level's df, at least its own terms − 1
            // (`levelQuantile(alpha:degreesOfFreedom:)`).
            let trials = set.trials(fit)
            let binomialVariance = fit.value * (1 - fit.value) / trials
            let effective = shareTrials(
                atBound ? trials / boundaryEffect : trials, words: trials, weighted: fit.armWeightedObservations[0],
                p: fit.value, variance: variance, scale: metric)
            let interval = wilsonInterval(
                p: fit.value, variance: variance, trials: effective,
                quantile: atBound
                    ? levelQuantile(alpha: settings.alpha, degreesOfFreedom: max(df, Double(fit.units - 1)))
                    : levelQuantile(variance: variance, binomialVariance: binomialVariance, df: df, alpha: settings.alpha))
            // Copies: one or two events among few draws take the Clopper–Pearson limit there (`smallCountLimits`).
            let limits = copies.applies && !atBound
                ? smallCountLimits(
                    p: fit.value, n: wilsonTrials(p: fit.value, variance: variance, trials: effective), limits: interval,
                    alpha: settings.alpha)
                : interval
            estimate.lower = limits.lower
            estimate.upper = limits.upper
            if !atBound, variance <= binomialVariance {
                // The interval is the binomial Wilson interval on the (effective) trials with the normal quantile:
                // the standard error and df stored are that interval's, √(p(1 − p)/n) on infinite df, not the
                // smaller design-based estimate on its few df (statistician's review: SE 0.03 on 2 df stored beside
                // an interval whose SE is 0.10).
                estimate.standardError = (fit.value * (1 - fit.value) / effective).squareRoot()
                estimate.degreesOfFreedom = .infinity
            }
        }
        return estimate
    }
}

/// A set's group fits as `groupLevels` pools them: each group's own fit, its minimum-support shortfall, its variance
/// with the per-term variance pooled over the set (relative to p(1 − p) for rates and shares) and the set's stream
/// floor, and the design effect a rate or share at 0 or 1 takes from the set (`boundaryEffect`). Contrasts of two
/// groups that both show no variation take the same design effect (`contrast`).
struct SetLevelFits {
    let scale: MetricScale
    /// The metric's own scale (`scale` is the mean's for copies): that of the trials and the design effect.
    let metricScale: MetricScale
    let fits: [CrossedClusterVariance]
    let shortfalls: [SupportShortfall?]
    let variances: [(Double?, Double?, VarianceMethod)?]
    /// The df-weighted mean design effect V / (p(1 − p)/n) of the set's supported groups strictly between 0 and 1,
    /// at least 1; 1 where no group has one.
    let boundaryEffect: Double
    /// Whether some group with several terms lends its per-term variance to the set (`SetPerTermVariance`).
    let lends: Bool

    /// - Parameter supportScale: the metric's own scale for its minimum support (a share's gendered words), where
    ///   `scale` is the mean's for copies (`GroupData.holdCopies`); nil: `scale`.
    init(_ groups: [GroupData], scale: MetricScale, supportScale: MetricScale? = nil, settings: InferenceSettings) throws {
        self.scale = scale
        let metricScale = supportScale ?? scale
        self.metricScale = metricScale
        let fits = try groups.map {
            try CrossedClusterVariance(
                arms: [Arm(data: $0, coefficient: 1, group: "group", streams: "run")],
                eventStreams: scale == .proportion)
        }
        // The per-term variance pooled over the groups with several terms (weights: their K − 1). A rate's or
        // share's variance scales with p(1 − p): what is pooled is the relative per-term variance, each group's
        // divided by its own p(1 − p), and each group takes it back at its own p(1 − p) (`relativeScale`).
        // A group below the minimum support gets no interval of its own and lends none: a share from 4 gendered
        // words made a supported neighbour's SE 0.22 instead of its own 0.014.
        let shortfalls = fits.map {
            support(weights: [$0.weight], weighted: $0.armWeightedObservations, scale: supportScale ?? scale, settings: settings)
        }
        // Each group's unit: 1 for means, p(1 − p) for a rate or share, nil at 0 or 1 (`relativeScale`). Copies of a
        // rate or share too: analysed as means, their variance still follows p(1 − p) (`SetPerTermVariance.unitScale`).
        let units = fits.map { relativeScale($0.value, scale: metricScale) }
        let supported = fits.indices.filter { shortfalls[$0] == nil }
        // Means with a single-term group: each group's within-prompt variance, by which a single term scales up what it
        // borrows (`scaledBySpread`).
        let spreads = scale == .mean && groups.contains(where: { $0.units.count == 1 })
            ? groups.map(\.withinPromptVariance) : nil
        let set = SetPerTermVariance(
            fits, scale: scale, supportScale: supportScale, unitScale: metricScale, settings: settings, spreads: spreads)
        let pooled = set?.relative
        // Rates and shares: the set's stream component relative to p(1 − p), averaged over the supported groups
        // strictly between 0 and 1 with their stream df as weights (a single term's part is its stream sums less
        // the completion noise it borrows with the pooled per-term variance). The streams are shared by every
        // group of the set, so this is a set-level quantity; a group's own estimate rests on the few streams
        // that hold its events, and comes out small exactly when its events came out few. Each group's stream
        // component is at least the set's at its own p(1 − p) (`streamFloor`). Single terms count: without
        // them an 8-term group beside a single term had no other group to lift its floor (level coverage 92.7%
        // at a 5% rate with ρ 0.5 in the validation table, 93.8% with them; docs/statistics.md, "Mixed designs of
        // rates").
        var streamSum = 0.0, streamWeight = 0.0
        if scale != .mean, let pooled {
            for g in supported {
                guard let components = fits[g].components, let unit = units[g],
                    let part = components.streamPart(pooled.scaled(by: unit))
                else { continue }
                streamSum += components.streamDF * part / unit
                streamWeight += components.streamDF
            }
        }
        let streamFloor = streamWeight > 0 ? streamSum / streamWeight : 0
        let variances = fits.indices.map { g in
            fits[g].components.map { components in
                pooled.map { pooled in
                    // At 0 or 1 the interval of a rate or share does not use the variance (n_eff comes from the design
                    // effect below); copies at 0 or 1 take the lenders' mean unit (`boundUnit`), the variance they count
                    // with in a contrast (`copiesAtABound`).
                    let unit = units[g] ?? (scale != metricScale ? set?.boundUnit ?? 0 : 0)
                    let single = components.groups.first?.term == nil
                    let lent = pooled.scaled(by: unit)
                    let borrowed = single ? lent.scaledBySpread(own: spreads?[g] ?? nil, lenders: set?.lenderSpread) : lent
                    let level = components.pooledLevel(borrowed, minimumStream: unit * streamFloor)
                    // Never a narrower interval than unscaled (`VarianceComponents.wider`; see `CrossedClusterVariance`).
                    guard borrowed.asLent != nil else { return level }
                    return VarianceComponents.wider(level, components.pooledLevel(lent, minimumStream: unit * streamFloor))
                } ?? (fits[g].variance, fits[g].degreesOfFreedom, fits[g].method)
            }
        }
        // The design effect of the set's rates (or shares) strictly between 0 and 1, V / (p(1 − p)/n), averaged
        // over those groups with their df as weights, at least 1: a rate at 0 or 1 cannot show its own, and
        // "0 of n" is far less informative than n independent completions when they share streams.
        var effectSum = 0.0, effectWeight = 0.0
        if metricScale != .mean {
            for ((fit, fitted), shortfall) in zip(zip(fits, variances), shortfalls) where shortfall == nil {
                // A variance of 0 says nothing is estimated (a design effect unknown, not 0): left out.
                guard let variance = fitted?.0, let df = fitted?.1, df > 0,
                    let effect = designEffect(p: fit.value, variance: variance, trials: Self.trials(fit, scale: metricScale))
                else { continue }
                effectSum += df * effect
                effectWeight += df
            }
        }
        self.fits = fits
        self.shortfalls = shortfalls
        self.variances = variances
        self.boundaryEffect = effectWeight > 0 ? max(1, effectSum / effectWeight) : 1
        self.lends = set != nil
    }

    /// The trials behind a level: completions for a rate, Σw (gendered words) for a share.
    func trials(_ fit: CrossedClusterVariance) -> Double { Self.trials(fit, scale: metricScale) }

    private static func trials(_ fit: CrossedClusterVariance, scale: MetricScale) -> Double {
        scale == .ratio ? fit.weight : Double(fit.observations)
    }
}

/// The per-term variance of a set's groups with several terms, pooled with their K − 1 df over the groups with
/// enough support (`support`) and strictly between 0 and 1 (rates and shares, copies of them too), relative to each group's unit
/// p(1 − p) (1 for means): what the group table's levels take back at their own p(1 − p). Nil when no group adds
/// anything (every multi-term group at 0 or 1, or below its support: then nothing is borrowed).
struct SetPerTermVariance {
    let relative: VarianceComponents.PerTerm
    /// Means: the lending groups' within-prompt variance (``GroupData/withinPromptVariance``), pooled with the df of
    /// their per-term variances (`pooledSpread`); nil for rates and shares, or where no lender has one.
    let lenderSpread: Double?
    /// The scale of the units relative to which the per-term variance is pooled (`relativeScale`): the analysis's, or for
    /// the group table's copies of a rate or share (analysed as means) the metric's own, whose variance follows
    /// p(1 − p) as a sampled rate's does.
    let unitScale: MetricScale
    /// The lenders' units averaged with their df as weights: the unit `SetLevelFits` gives a group whose own is undefined
    /// (copies of a rate or share at 0 or 1), so that it counts with about the lenders' per-term variance as it is.
    /// 0 without lenders.
    let boundUnit: Double

    /// From each group's own fit (one arm per group, as `groupLevels` fits them); nil when no group lends.
    /// `supportScale`: the metric's own scale for the minimum support, where `scale` is the mean's for copies.
    /// `unitScale`: see the property; nil: `scale`.
    /// `spreads`: for means, each fit's group's within-prompt variance (aligned with `fits`).
    init?(
        _ fits: [CrossedClusterVariance], scale: MetricScale, supportScale: MetricScale? = nil,
        unitScale: MetricScale? = nil, settings: InferenceSettings, spreads: [Double?]? = nil
    ) {
        let unitScale = unitScale ?? scale
        let supported = fits.indices.filter {
            support(
                weights: [fits[$0].weight], weighted: fits[$0].armWeightedObservations, scale: supportScale ?? scale,
                settings: settings) == nil
        }
        var lenders: [(spread: Double, df: Double)] = []
        var unitSum = 0.0, unitDF = 0.0
        guard let relative = VarianceComponents.PerTerm.pooled(supported.compactMap { index in
            let fit = fits[index]
            // Copies of a rate or share (analysed as means): a group at 0 or 1 lends nothing either; its 0 was 7 df of
            // zero variance in a statistician's greedy run, which shrank its neighbours' level SE from 0.070 to 0.058.
            return lendsNothingAtABound([fit.value], metricScale: supportScale ?? scale) ? nil : fit.components?.perTerm.flatMap { perTerm in
                relativeScale(fit.value, scale: unitScale).map { unit in
                    if scale == .mean, let spread = spreads?[index] ?? nil { lenders.append((spread, perTerm.df)) }
                    unitSum += perTerm.df * unit
                    unitDF += perTerm.df
                    return (perTerm, unit)
                }
            }
        }) else { return nil }
        self.relative = relative
        self.lenderSpread = pooledSpread(lenders)
        self.unitScale = unitScale
        self.boundUnit = unitDF > 0 ? unitSum / unitDF : 0
    }

    /// The variance of a single term's mean that a group at `level` borrows: the relative one taken back at its own
    /// p(1 − p); 0 (on the same df) for a rate or share at 0 or 1, as its own p(1 − p) gives. Borrowing the donors'
    /// absolute variance there made a single term at 0 of 30 reach 31% in a contrast while its level reached 16.5%
    /// (statistician's review), and was most of the over-coverage of 5% rates. A mean's single term whose `spread`
    /// exceeds the lenders' takes it scaled up (`scaledBySpread`).
    func borrowed(at level: Double, spread: Double? = nil) -> VarianceComponents.PerTerm {
        relative.scaled(by: relativeScale(level, scale: unitScale) ?? 0).scaledBySpread(own: spread, lenders: lenderSpread)
    }
}

/// The factor by which a mean's single term scales up the per-term variance it borrows (`scaledBySpread`): its
/// within-prompt variance (``GroupData/withinPromptVariance``) over the lenders' pooled one where its own is the larger,
/// else 1 (and 1 where either is undefined or the lenders' is 0).
///
/// A mean's per-term variance is borrowed in its own scale, a rate's relative to p(1 − p). Where a score's spread
/// follows its level (a sentiment tied to negative texts; a score of 1 or 0), a multi-term group near a bound lent a
/// single term far from it a fraction of its variation between terms: in a statistician's design (4 vs 1 terms × 3
/// templates × 10 samples, the multi-term group moved 2 latent SD towards 1, the single term at 30%, term effects
/// independent across the two models) equal populations were called "more" and "less biased" in 10.7% of comparisons
/// each, and beside a group moved 1 latent SD the single term's level covered 76.8% (docs/statistics.md, "Mixed
/// designs"). Scaled up only: a mean's spread says less about its variation between terms than p(1 − p) says about a
/// rate's, and where the single term's spread is the smaller, what is lent stays as it was validated.
func spreadFactor(_ own: Double?, lenders: Double?) -> Double {
    guard let own, let lenders, lenders > 0, own.isFinite, own > lenders else { return 1 }
    return own / lenders
}

extension VarianceComponents.PerTerm {
    /// What a mean's single term whose within-prompt variance is `own` borrows of this per-term variance, lent by groups
    /// whose pooled within-prompt variance is `lenders`: both parts multiplied by `spreadFactor` (the between-term part
    /// capped at the larger of `own` and the part as lent) where the between-term part is positive; as lent where it is
    /// 0 or negative. So what is borrowed is never less than without the factor, whatever the single term's streams;
    /// and where it was scaled (`asLent` keeps the parts as lent) the level or contrast takes the larger variance and the
    /// smaller df of the scaled and the unscaled fit (`VarianceComponents.wider`): never a narrower interval.
    ///
    /// Scaling both parts whatever their sign made the variance fall as the factor grew wherever the lent variance of
    /// a term mean came out negative (between-term part K·(V_term − V_∩) below −σ²_e/J, common when terms differ
    /// little): a code review found a single term's level SE 0.049 where the unscaled rule gave 0.127, and an
    /// interval of zero width. Scaling only the between-term part lost most of the gain (the single term's noise, taken
    /// out of its stream sums as the lender's, was then undercounted where the stream part is truncated: the two-valued
    /// verdicts of `SimulationTests` called 6.5% "more biased" instead of 4.8%). The cap: a lender whose completions
    /// hardly vary within a prompt (one differing completion of 120) gave a ratio of 452 (a statistician's review: a
    /// level SE of 8.85 on a score in [−1, 1]); in the rule's own terms no term mean varies more between terms than the
    /// single term's completions vary within a prompt (a score whose spread follows its level has between-term variance
    /// below it: at 30%, with term SD 0.5 on the latent scale, 0.033 against 0.21).
    /// - Returns: the per-term variance as borrowed; the same df.
    func scaledBySpread(own: Double?, lenders: Double?) -> Self {
        let factor = spreadFactor(own, lenders: lenders)
        guard factor > 1, between > 0, let own else { return self }
        return Self(
            between: max(between, min(between * factor, own)), noise: noise * factor, df: df, asLent: (between, noise))
    }
}

/// The mean of `parts`' spreads weighted by their df; nil without df.
func pooledSpread(_ parts: [(spread: Double, df: Double)]) -> Double? {
    let df = parts.reduce(0) { $0 + $1.df }
    return df > 0 ? parts.reduce(0) { $0 + $1.spread * $1.df } / df : nil
}

/// The unit in which a group's per-term variance is pooled over a set's groups: 1 for means, p(1 − p) for
/// a rate or share p (its binomial variance per trial), whose variance scales with it; nil at 0 or 1, where
/// the relative variance is undefined and the group adds nothing to the pool. Pooling absolute variances
/// gave a group whose rate was lowered the larger variance of the others (level coverage up to 98.1%) and
/// the others its smaller one (89.7–94.6% for a 5% rate beside a group lowered by 0.5 latent SD), and a
/// group at 0 with several terms shrank the others' term variance (docs/statistics.md, "Group levels").
func relativeScale(_ p: Double, scale: MetricScale) -> Double? {
    guard scale != .mean else { return 1 }
    return p > 0 && p < 1 ? p * (1 - p) : nil
}

/// Whether a lender whose levels are `levels` lends nothing because they are all at 0 or 1: a rate's or share's relative
/// variance is undefined there (`relativeScale`), and its copies (analysed as means, `metricScale` the rate's) add a
/// variance of 0 that is the bound, not an estimate (statistics revision 6). Used by the set's pooled per-term
/// variance (`SetPerTermVariance`) and the donors of model comparisons (`DonorTermVariance`).
func lendsNothingAtABound(_ levels: [Double], metricScale: MetricScale) -> Bool {
    metricScale != .mean && !levels.isEmpty && levels.allSatisfy { $0 <= 0 || $0 >= 1 }
}

/// The design effect V / (p(1 − p)/n) of a rate or share p estimated with variance V from n trials; nil
/// where it cannot be estimated: p at 0 or 1, no variance (unknown, not 0), or no trials.
func designEffect(p: Double, variance: Double, trials: Double) -> Double? {
    guard p > 0, p < 1, variance > 0, trials > 0 else { return nil }
    return variance / (p * (1 - p) / trials)
}

/// The two-sided quantile of a rate's or share's level interval: the normal quantile where the estimated
/// design effect is at most 1 (V ≤ p(1 − p)/n: Korn & Graubard cap n_eff at the trials, so the interval is
/// the binomial one, whose variance is not estimated from the few terms), t(df) above. The interval
/// therefore widens by up to t/z as the design effect crosses 1 (×2.2 with 2 df). Tried instead and not
/// kept: t(df) throughout (Korn & Graubard's df adjustment: 1% levels and a 3-term 30% level at
/// 97.0–98.4%), and a continuous t of Satterthwaite's df for "binomial (known) + excess" (levels of 5%
/// rates with ρ 0.8 at 91.2–92.9%, 3-term shares 91.8%, single-term 1% rates 91.0–92.2%: the binomial
/// part is estimated from the same clustered data, not known).
func levelQuantile(variance: Double, binomialVariance: Double, df: Double, alpha: Double) -> Double {
    variance <= binomialVariance
        ? Distributions.normalQuantile(1 - alpha / 2) : Distributions.studentTQuantile(1 - alpha / 2, df: df)
}

/// The two-sided quantile at level `alpha` of Student's t on `degreesOfFreedom`, the normal's where that is not a finite
/// positive number; from the lower tail (−t_{α/2}), so that it keeps its precision at the tiny α of a p-value's
/// inversion (``ProportionDifference/pValue(levelDegreesOfFreedom:)``).
///
/// It is the quantile of a rate's or share's level interval at 0 or 1: t on `degreesOfFreedom`, which its caller
/// makes the larger of the level's df and the group's own terms − 1 (the normal quantile where that is not a finite
/// positive number).
/// A group at 0 or 1 lends nothing to the set's pooled per-term variance, so its level's df is the lenders' alone: a
/// 6-term group at 0 beside a 2-term group had 1 df ("0 of 180" to 85%; a review), where its own terms give 5.
/// There the group shows no variance at all: its effective trials
/// take the set's design effect (or none), a variance that is assumed, not estimated, and the t quantile carries
/// that uncertainty as Korn & Graubard (1998) do for a design-based n_eff. With the normal quantile "0 of 180"
/// (6 terms × 3 templates × 10 samples) reached 2.09% and "1 of 180" 4.6%, and 1% rates with term SD 0.5 and
/// 6 terms covered 87.0–92.9% (every miss above the interval a replication with 0 events, the true level 2.11%);
/// with t on 5 df "0 of 180" reaches 3.5% and those cells cover 96.0–97.4%. It acts only on the limits of a level
/// at 0 or 1: 1% levels with term SD 0.3 are unchanged ("0 of 270" already covered), 5% levels of 3 terms rose from
/// 95.4–96.5% to 97.0–97.7% ("0 of 90" is [0%, 17%] on 2 df). A contrast takes the t quantile of its own df, and
/// one whose groups show no variation each level's own quantile (`noVariationReferences`; docs/statistics.md,
/// "Rates and shares at the boundary").
func levelQuantile(alpha: Double, degreesOfFreedom df: Double) -> Double {
    guard alpha < 1 else { return 0 }
    return df.isFinite && df > 0
        ? -Distributions.studentTQuantile(alpha / 2, df: df) : -Distributions.normalQuantile(alpha / 2)
}

/// Wilson's score interval (Wilson 1927) for a proportion p with effective sample size
/// n_eff = p(1 − p)/variance: capped at `trials` when `capAtTrials` (Korn & Graubard's rule for a
/// level: a design effect below 1 is taken as noise), and `trials` itself when p is 0 or 1 or the
/// variance is 0. At least 1. A quantile whose square overflows (t on less than 2 df at α near 1e-300, as a p-value's
/// inversion reaches, ``ProportionDifference/pValue(levelDegreesOfFreedom:)``) gives [0, 1], the limit of the interval
/// as the quantile grows (a review: the limits came out NaN and collapsed to [p, p], and a p-value to 0).
func wilsonInterval(p: Double, variance: Double, trials: Double, quantile: Double, capAtTrials: Bool = true)
    -> (lower: Double, upper: Double)
{
    let n = wilsonTrials(p: p, variance: variance, trials: trials, capAtTrials: capAtTrials)
    let q2 = quantile * quantile
    guard q2.isFinite else { return (0, 1) }
    let center = (p + q2 / (2 * n)) / (1 + q2 / n)
    let half = quantile / (1 + q2 / n) * (p * (1 - p) / n + q2 / (4 * n * n)).squareRoot()
    return (max(0, min(p, center - half)), min(1, max(p, center + half)))
}

/// The effective sample size of `wilsonInterval`: p(1 − p)/variance (capped at `trials` when `capAtTrials`), `trials`
/// at 0 or 1 or without a variance; at least 1.
func wilsonTrials(p: Double, variance: Double, trials: Double, capAtTrials: Bool = true) -> Double {
    var n = trials
    if p > 0, p < 1, !isNegligible(variance, p: p, trials: trials) {
        n = capAtTrials ? min(trials, p * (1 - p) / variance) : p * (1 - p) / variance
    }
    return max(n, 1)
}

/// Wilson's `limits` of a proportion `p` on `n` effective trials, widened where the events (or non-events) number at
/// most two: there Wilson's lower limit lies above the truth too often (Brown, Cai & DasGupta 2001, "Interval
/// estimation for a binomial proportion", Statistical Science 16(2), who replace it for x = 1, 2), and the limit
/// becomes the Clopper–Pearson one, the α/2 quantile of Beta(x, n − x + 1) with x = p·n (the mirror for the upper
/// limit). Used for copies of one draw per prompt (greedy decoding), whose 24 draws per group of the shipped designs
/// often hold 1–2 events: a 5% rate lowered to about 2% covered 91.6% with Wilson's limits (statistics-validation,
/// "Greedy decoding").
func smallCountLimits(p: Double, n: Double, limits: (lower: Double, upper: Double), alpha: Double)
    -> (lower: Double, upper: Double)
{
    var (lower, upper) = limits
    let events = p * n, nonEvents = (1 - p) * n
    if events > 0, events <= 2 {
        lower = min(lower, betaQuantile(alpha / 2, events, nonEvents + 1))
    }
    if nonEvents > 0, nonEvents <= 2 {
        upper = max(upper, 1 - betaQuantile(alpha / 2, nonEvents, events + 1))
    }
    return (lower, upper)
}

/// The `probability` quantile of Beta(a, b) (a, b > 0), by bisection of the regularized incomplete beta function
/// (`Distributions.regularizedIncompleteBeta`) to 1e-15.
func betaQuantile(_ probability: Double, _ a: Double, _ b: Double) -> Double {
    var (low, high) = (0.0, 1.0)
    for _ in 0..<60 {
        let middle = (low + high) / 2
        if Distributions.regularizedIncompleteBeta(middle, a, b) < probability { low = middle } else { high = middle }
        if high - low < 1e-15 { break }
    }
    return (low + high) / 2
}

/// Whether `variance` of a level `p` over `trials` is floating-point rounding rather than an estimate: at most
/// ``negligibleVarianceShare`` of the binomial p(1 − p)/trials (and so also 0 or below). Taken as no variance:
/// a level whose 8 events sat one per term in distinct streams had V = 7.7e-18, which made its Wilson
/// n_eff 10^16 and its interval of zero width.
func isNegligible(_ variance: Double, p: Double, trials: Double) -> Bool {
    variance <= negligibleVarianceShare * p * (1 - p) / max(trials, 1)
}

/// Why a metric lacks support, or nil: a ratio metric needs `minimumWeight` in every group (gendered words), and
/// `minimumWeightedObservations` observations with weight (completions with a gendered word).
func support(weights: [Double], weighted: [Int], scale: MetricScale, settings: InferenceSettings) -> SupportShortfall? {
    guard scale == .ratio else { return nil }
    if let arm = weights.indices.min(by: { weights[$0] < weights[$1] }), weights[arm] < settings.minimumWeight {
        return SupportShortfall(
            observed: Int(weights[arm].rounded()), minimum: Int(settings.minimumWeight.rounded()), arm: arm)
    }
    if let arm = weighted.indices.min(by: { weighted[$0] < weighted[$1] }),
        Double(weighted[arm]) < settings.minimumWeightedObservations
    {
        return SupportShortfall(
            observed: weighted[arm], minimum: Int(settings.minimumWeightedObservations), kind: .weightedObservations,
            arm: arm)
    }
    return nil
}

/// The trials behind a level's Wilson limits: `trials` (its words, for a share), except that a share whose own
/// variance says nothing (`p` at 0 or 1, or `variance` negligible: `isNegligible` over its `words`) counts at most its
/// completions with a word (`weighted`), since the words of one completion are not independent and nothing measures
/// how dependent they are there. Rates (and means) keep `trials`. One rule for group levels and contrasts.
func shareTrials(
    _ trials: Double, words: Double, weighted: Int, p: Double, variance: Double, scale: MetricScale
) -> Double {
    guard scale == .ratio, p <= 0 || p >= 1 || isNegligible(variance, p: p, trials: words) else { return trials }
    return min(trials, Double(weighted))
}

/// Why a contrast of two rates lacks support, or nil: the two groups together need at least
/// `minimum` events (Σx, outcomes 1) and `minimum` non-events (n − Σx).
///
/// With `minimum` 10 this is Cochran's rule for a 2 × 2 table (Cochran 1954, "Some methods for strengthening
/// the common χ² tests", Biometrics 10(4)): every expected count at least 5; under equal groups of equal size
/// the expected events of each group are half the pooled events, so 10 events and 10 non-events in the two
/// groups together. The audit's default is 0 (no rule, `InferenceSettings.minimumEvents` says why). The fewer
/// of the two counts is reported.
/// - Parameters:
///   - events: Σx over the two groups (x is 0 or 1 for a rate).
///   - observations: the number of completions in the two groups.
///   - minimum: the minimum count of each kind (`InferenceSettings.minimumEvents`).
public func rateContrastSupport(events: Double, observations: Int, minimum: Double) -> SupportShortfall? {
    let nonEvents = Double(observations) - events
    let (fewer, kind): (Double, SupportShortfall.Kind) = events <= nonEvents ? (events, .events) : (nonEvents, .nonEvents)
    guard fewer < minimum else { return nil }
    return SupportShortfall(observed: Int(fewer.rounded()), minimum: Int(minimum.rounded()), kind: kind)
}
