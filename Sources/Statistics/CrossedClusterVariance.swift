/// One arm of a linear estimand θ = Σ coefficient · (Σx / Σw of the arm): the data of one group under
/// one model (or one run).
///
/// Arms that share `group` share their term clusters (the same terms, e.g. the same names seen by two
/// models); arms that share `streams` share their stream clusters: sample index i of template t was
/// drawn with the same random numbers in all of them (common random numbers).
public struct Arm: Sendable {
    /// The arm's cells: (template stratum, term unit) with observations in sample-index order (each observation's stream
    /// is its `Cell.sampleIndices` entry, or its position).
    public var data: GroupData
    /// The arm's coefficient in the linear estimand (+1 / −1 for a contrast).
    public var coefficient: Double
    /// The group identity that keys term clusters.
    public var group: String
    /// The random-stream domain that keys stream clusters (one per run seed).
    public var streams: String

    /// Creates an arm.
    public init(data: GroupData, coefficient: Double, group: String, streams: String) {
        self.data = data
        self.coefficient = coefficient
        self.group = group
        self.streams = streams
    }
}

/// How a variance was estimated (recorded with every interval).
public enum VarianceMethod: String, Sendable, Codable, Equatable {
    /// Terms and random streams both random: crossed two-way moment estimator.
    case crossedClusters = "crossed_clusters"
    /// Terms random, no replication within a template (one value per prompt): term clusters only.
    case termClusters = "term_clusters"
    /// A single term per group: the interval is conditional on the terms; streams are the replications.
    case conditionalOnTerms = "conditional_on_terms"
    /// Single-term groups with the variance of a term mean pooled from the multi-term groups (Student's
    /// pooled t with the single term as one more draw).
    case pooledTermVariance = "pooled_term_variance"
    /// Copies of one completion per prompt (greedy decoding, `GroupData.holdCopies`): one observation per prompt,
    /// the variance from the variation between terms as a mean's; none with one term per group.
    case copies = "copies_of_one_draw"
}

/// The variance of a linear estimand over crossed random terms and random streams, with its
/// Satterthwaite degrees of freedom.
///
/// Estimand and units. Each arm's level is the ratio Σx/Σw over its completions (a mean when w = 1);
/// templates are fixed (the estimand is for the audited templates), terms are a sample of possible
/// terms, and the random stream of (template, sample index) is shared by every term and group of a
/// template (and by models of the same run seed). Ratios are linearised: z = (x − R̂w)/w̄ (Taylor
/// linearisation as in R's `survey::svyratio`).
///
/// Variance. With r the template-centred linearised values, the method-of-moments estimator for a
/// two-way crossed random design, written with cluster sums (Cameron, Gelbach & Miller 2011,
/// "Robust Inference With Multiway Clustering", JBES 29(2)):
///
///     V = Σ_groups K/(K−1)·Σ_terms S_k²  +  max(0, J/(J−T)·Σ_streams S_s² − Σ_groups V_∩)
///
/// where S are sums of (coefficient/N)·r over a term's or a stream's observations and V_∩ is the
/// within-cell (interaction) mean square, from doubly centred residuals. In a balanced design this is
/// (MS_term + max(0, MS_stream − MS_residual))/N of the two-way ANOVA: within-term noise is counted
/// once (the two-stage bootstrap counted it twice), and noise shared through common random numbers is
/// counted (resampling terms alone misses it); the stream component is truncated at 0 like any
/// variance component.
///
/// Degrees of freedom. Satterthwaite (1946) over the components: K − 1 per group with random terms,
/// J − T for the streams (for the level of a rate with two or more terms, at most max(2, 2(m − 1)):
/// see `init`'s `eventStreams`). Groups with a single term have no term variance of their own: in a
/// contrast with multi-term groups a single term is one more draw of a term mean, with the
/// multi-term groups' variance of a term mean σ²_term + σ²_e/J (Student's pooled t, `PerTerm`);
/// when every group has one term, the interval is conditional on those terms.
///
/// The interaction mean square V_∩ is the term × stream interaction within templates: residuals of
/// r after removing each prompt's (term, template) mean and each stream's mean, (K − 1)(J − T) df.
struct CrossedClusterVariance {
    /// The point estimate Σ c·R̂; NaN when an arm has no weight.
    let value: Double
    /// The estimated variance of `value`; nil when it cannot be estimated.
    let variance: Double?
    /// Satterthwaite degrees of freedom; nil with `variance`.
    let degreesOfFreedom: Double?
    /// How the variance was estimated.
    let method: VarianceMethod
    /// Distinct term units over all arms.
    let units: Int
    /// Observations (completions) over all arms.
    let observations: Int
    /// Σw over all arms.
    let weight: Double
    /// Per arm: its level R̂ = Σx/Σw (NaN without weight).
    let levels: [Double]
    /// Per arm: the number of observations and Σw.
    let armObservations: [Int]
    let armWeights: [Double]
    /// Per arm: the observations with w > 0 (for a male share, the completions with a gendered word).
    let armWeightedObservations: [Int]

    /// - Parameters:
    ///   - arms: the arms of the linear estimand.
    ///   - poolEqualSizes: give the term part Student's pooled df Σ(K − 1) when every group has the same
    ///     number K ≥ 2 of terms (see `VarianceComponents.combine`); used for contrasts of means.
    ///   - scale: the metric's scale. For rates and shares, when each group has one arm (a contrast), a
    ///     single-term group borrows the multi-term groups' per-term variance relative to p(1 − p) and takes
    ///     it back at its own p(1 − p) (`relativeScale`), as the group table's levels pool it: a rate's
    ///     variance scales with p(1 − p), and borrowed as it is a single term whose rate came out high got
    ///     the lower variance of the other group's rate (docs/statistics.md, "Mixed designs of rates").
    ///     Where either p is 0 or 1, or for means, it is borrowed as it is.
    ///   - eventStreams: the observations are 0/1 outcomes (a rate's level): with two or more terms, the
    ///     stream component's df is at most max(2, 2(m − 1)), m the smaller of the number of streams with at
    ///     least one event and the number with at least one non-event. With a 5% rate and 80% of the noise
    ///     shared through the streams, the events of 30 streams fall in a few of them, and J − T df gave
    ///     level coverage 92.8–93.2%. It is an effective number of clusters in the spirit of Carter,
    ///     Schnepel & Steigerwald (2017), "Asymptotic behavior of a t-test robust to cluster
    ///     heterogeneity", Review of Economics and Statistics 99(4); its factor 2 is chosen by simulation of
    ///     the shipped designs (docs/statistics-validation.md, docs/statistics.md): m − 1 made the levels
    ///     of 1% rates with shared streams more conservative than 2(m − 1) does. A single term has one
    ///     completion per stream, so its streams are not clusters of events and keep J − T.
    ///   - setTermVariance: the per-term variance of the set's groups with several terms (``SetPerTermVariance``),
    ///     for an estimand with a single-term group: when every group has a single term (two single terms of a set
    ///     that also has multi-term groups), each is one more draw of a term mean with that variance (taken back at
    ///     its own p(1 − p) for rates and shares), as against a multi-term group, instead of the interval being
    ///     conditional on the two terms; beside a multi-term group, only where that group's rate or share is at 0
    ///     or 1 and lends nothing. Ignored when there is not one arm per group.
    ///   - groupTermVariances: per group (`Arm.group`), the per-term variance of that group's combination of arms
    ///     (its arms' coefficients, each arm a model's level) lent to it (``DonorTermVariance``): for the change or the
    ///     sum of a contrast between two models (`modelDifference`) whose groups all have a single term (every group
    ///     has an entry, from the set's multi-term groups), or whose single-term group stands beside a multi-term group
    ///     (only the single term's key: lent by that group relative to Σ p(1 − p), or by the set's other groups where
    ///     it is at 0 or 1 under both models).
    /// - Throws: `StatisticsError.invalidObservation` for a non-finite x or a negative / non-finite w.
    init(
        arms: [Arm], poolEqualSizes: Bool = false, eventStreams: Bool = false, scale: MetricScale = .mean,
        setTermVariance: SetPerTermVariance? = nil, groupTermVariances: [String: VarianceComponents.PerTerm]? = nil
    ) throws {
        var flat = FlatObservations()
        var levels: [Double] = []
        var armObservations: [Int] = []
        var armWeights: [Double] = []
        var armWeightedObservations: [Int] = []
        var allDefined = true
        var value = 0.0
        for arm in arms {
            let summary = try flat.append(arm)
            levels.append(summary.level)
            armObservations.append(summary.count)
            armWeights.append(summary.weight)
            armWeightedObservations.append(summary.weighted)
            if summary.level.isFinite { value += arm.coefficient * summary.level } else { allDefined = false }
        }
        self.levels = levels
        self.armObservations = armObservations
        self.armWeights = armWeights
        self.armWeightedObservations = armWeightedObservations
        self.value = allDefined && !arms.isEmpty ? value : .nan
        // Over every arm, also one without weight (a group with no gendered word), whose observations `flat` does not
        // keep: an insufficient male-share contrast stated half its completions and terms (review: 96 and 8 of 192 and 16).
        self.observations = armObservations.reduce(0, +)
        self.weight = armWeights.reduce(0, +)
        self.units = Set(arms.flatMap { arm in arm.data.cells.map { [arm.group, $0.unit] } }).count
        guard allDefined, !arms.isEmpty else {
            components = nil
            variance = nil
            degreesOfFreedom = nil
            method = .termClusters
            return
        }
        let components = flat.components(eventStreams: eventStreams)
        self.components = components
        // One arm per group: each group's level is its arm's, the unit of its relative variance.
        let units = scale != .mean && arms.count == components.groups.count
            ? levels.map { relativeScale($0, scale: scale) } : nil
        // Means, one arm per group, a single-term group among them: each group's within-prompt variance, by which a
        // single term scales up what it borrows (`scaledBySpread`).
        let spreads = scale == .mean && arms.count == components.groups.count
            && components.groups.contains(where: { $0.term == nil }) ? arms.map(\.data.withinPromptVariance) : nil
        var borrowed: [VarianceComponents.PerTerm?]? = setTermVariance.flatMap { set in
            arms.count == components.groups.count
                ? levels.indices.map { set.borrowed(at: levels[$0], spread: spreads?[$0] ?? nil) } : nil
        }
        if let groupTermVariances {
            // The groups in the order `FlatObservations` numbers them: by their first arm.
            var order: [String] = []
            for arm in arms where !order.contains(arm.group) { order.append(arm.group) }
            borrowed = order.count == components.groups.count ? order.map { groupTermVariances[$0] } : nil
        }
        var combined = components.combine(
            poolEqualSizes: poolEqualSizes, units: units, singleTermVariances: borrowed,
            floorKeepsBorrowedDF: groupTermVariances != nil, spreads: spreads)
        if spreads != nil || borrowed?.contains(where: { $0?.asLent != nil }) == true {
            // A mean's single term scaled what it borrows by its spread: never a narrower interval than unscaled (the
            // larger variance, the smaller df). Scaled, the single term's own noise moved from the stream part (on its
            // streams' df) into the lent part (on the lenders' df): a statistician's review found a contrast at
            // p = 0.0012 on 10 df where unscaled it had p = 0.0081 on 4.4 df (2 samples per prompt), and a level
            // interval 28% narrower.
            let plain = components.combine(
                poolEqualSizes: poolEqualSizes, units: units, singleTermVariances: borrowed?.map { $0?.unscaled },
                floorKeepsBorrowedDF: groupTermVariances != nil)
            combined = VarianceComponents.wider(combined, plain)
        }
        (variance, degreesOfFreedom, method) = combined
    }

    /// The variance components behind `variance` (nil when the value is undefined).
    let components: VarianceComponents?
}

/// The per-observation quantities of the estimator, flattened over arms, with integer cluster keys.
private struct FlatObservations {
    /// (coefficient / N_arm) · r, template-centred linearised value.
    var weighted: [Double] = []
    /// (coefficient / N_arm) · doubly centred residual (for the interaction mean square).
    var weightedResidual: [Double] = []
    var groupOf: [Int] = []
    var termOf: [Int] = []
    var streamOf: [Int] = []
    var cellOf: [Int] = []
    /// Per stream cluster: Σx and Σ(w − x) (events and non-events when x is 0/1).
    var streamEvents: [Double] = []
    var streamNonEvents: [Double] = []

    private var groupKeys: [String: Int] = [:]
    private var termKeys: [TermKey: Int] = [:]
    private var streamKeys: [StreamKey: Int] = [:]
    private var cellKeys: [CellKey: Int] = [:]
    /// Each stratum's number, looked up once per cell: the keys of the streams and prompts of its observations are
    /// integers (hashing its two strings for every observation took a fifth of `analyze`'s time).
    private var strataKeys: [StratumKey: Int] = [:]
    /// Per group: the set of stream clusters and strata it touches (for its interaction df).
    private(set) var groupStreams: [Set<Int>] = []
    private(set) var groupStrata: [Set<Int>] = []

    var count: Int { weighted.count }

    struct TermKey: Hashable { let group: Int; let unit: String }
    struct StreamKey: Hashable { let stratum: Int; let index: Int }
    struct CellKey: Hashable { let term: Int; let stream: Int }
    struct StratumKey: Hashable { let domain: String; let stratum: String }

    struct ArmSummary {
        let level: Double
        let count: Int
        let weight: Double
        /// Observations with w > 0.
        let weighted: Int
    }

    /// Adds one arm's observations; returns its level and size.
    mutating func append(_ arm: Arm) throws -> ArmSummary {
        var sumX = 0.0
        var sumW = 0.0
        var count = 0
        var withWeight = 0
        for cell in arm.data.cells {
            for (index, observation) in cell.observations.enumerated() {
                guard observation.x.isFinite, observation.w.isFinite, observation.w >= 0 else {
                    throw StatisticsError.invalidObservation(
                        stratum: cell.stratum, unit: cell.unit, index: index, x: observation.x, w: observation.w)
                }
                sumX += observation.x
                sumW += observation.w
                count += 1
                if observation.w > 0 { withWeight += 1 }
            }
        }
        guard count > 0, sumW > 0 else { return ArmSummary(level: .nan, count: count, weight: sumW, weighted: withWeight) }
        let level = sumX / sumW
        let meanW = sumW / Double(count)
        let scale = arm.coefficient / Double(count)
        let group = groupKeys[arm.group] ?? {
            let id = groupKeys.count
            groupKeys[arm.group] = id
            groupStreams.append([])
            groupStrata.append([])
            return id
        }()

        // Linearised values z and their template-centred form r, per cell.
        struct Entry { let term: Int; let stream: Int; let stratum: Int; var r: Double }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var stratumSum: [Int: (sum: Double, count: Int)] = [:]
        for cell in arm.data.cells {
            let termKey = TermKey(group: group, unit: cell.unit)
            let term = termKeys[termKey] ?? { let id = termKeys.count; termKeys[termKey] = id; return id }()
            let stratumKey = StratumKey(domain: arm.streams, stratum: cell.stratum)
            let stratum = strataKeys[stratumKey] ?? { let id = strataKeys.count; strataKeys[stratumKey] = id; return id }()
            groupStrata[group].insert(stratum)
            for (position, observation) in cell.observations.enumerated() {
                let streamKey = StreamKey(stratum: stratum, index: cell.streamIndex(at: position))
                let stream = streamKeys[streamKey] ?? {
                    let id = streamKeys.count
                    streamKeys[streamKey] = id
                    streamEvents.append(0)
                    streamNonEvents.append(0)
                    return id
                }()
                groupStreams[group].insert(stream)
                streamEvents[stream] += observation.x
                streamNonEvents[stream] += observation.w - observation.x
                let z = (observation.x - level * observation.w) / meanW
                entries.append(Entry(term: term, stream: stream, stratum: stratum, r: z))
                stratumSum[stratum, default: (0, 0)].sum += z
                stratumSum[stratum, default: (0, 0)].count += 1
            }
        }
        for i in entries.indices {
            let s = stratumSum[entries[i].stratum]!
            entries[i].r -= s.sum / Double(s.count)
        }
        // Residuals of the term × stream interaction within templates: remove the means of r of the
        // (term, template) prompt and of the stream within the arm (r is template-centred, so the
        // template mean is 0). Removing the term's mean alone would leave the term × template effects
        // and (T − 1)(K − 1) more degrees of freedom in the residual than its (K − 1)(J − T) divisor
        // counts, overstating the within-cell noise by (T − 1)/(J − T) · (σ²_e + S·σ²_term×template).
        struct PromptKey: Hashable { let term: Int; let stratum: Int }
        var promptMean: [PromptKey: (sum: Double, count: Int)] = [:]
        var streamMean: [Int: (sum: Double, count: Int)] = [:]
        for entry in entries {
            let prompt = PromptKey(term: entry.term, stratum: entry.stratum)
            promptMean[prompt, default: (0, 0)].sum += entry.r
            promptMean[prompt, default: (0, 0)].count += 1
            streamMean[entry.stream, default: (0, 0)].sum += entry.r
            streamMean[entry.stream, default: (0, 0)].count += 1
        }
        for entry in entries {
            let p = promptMean[PromptKey(term: entry.term, stratum: entry.stratum)]!
            let s = streamMean[entry.stream]!
            let residual = entry.r - p.sum / Double(p.count) - s.sum / Double(s.count)
            let cellKey = CellKey(term: entry.term, stream: entry.stream)
            let cell = cellKeys[cellKey] ?? { let id = cellKeys.count; cellKeys[cellKey] = id; return id }()
            weighted.append(scale * entry.r)
            weightedResidual.append(scale * residual)
            groupOf.append(group)
            termOf.append(entry.term)
            streamOf.append(entry.stream)
            cellOf.append(cell)
        }
        return ArmSummary(level: level, count: count, weight: sumW, weighted: withWeight)
    }

    /// The variance components from the cluster sums.
    func components(eventStreams: Bool = false) -> VarianceComponents {
        let groups = groupKeys.count
        var termSums = [Double](repeating: 0, count: termKeys.count)
        var streamSums = [Double](repeating: 0, count: streamKeys.count)
        var cellSums = [Double](repeating: 0, count: cellKeys.count)
        var termGroup = [Int](repeating: 0, count: termKeys.count)
        var cellGroup = [Int](repeating: 0, count: cellKeys.count)
        for i in weighted.indices {
            termSums[termOf[i]] += weighted[i]
            streamSums[streamOf[i]] += weighted[i]
            cellSums[cellOf[i]] += weightedResidual[i]
            termGroup[termOf[i]] = groupOf[i]
            cellGroup[cellOf[i]] = groupOf[i]
        }
        var termsPerGroup = [Int](repeating: 0, count: groups)
        var termSquares = [Double](repeating: 0, count: groups)
        for (term, sum) in termSums.enumerated() {
            termsPerGroup[termGroup[term]] += 1
            termSquares[termGroup[term]] += sum * sum
        }
        var cellSquares = [Double](repeating: 0, count: groups)
        for (cell, sum) in cellSums.enumerated() {
            cellSquares[cellGroup[cell]] += sum * sum
        }
        var perGroup: [VarianceComponents.Group] = []
        for g in 0..<groups {
            let k = termsPerGroup[g]
            let j = groupStreams[g].count
            let t = groupStrata[g].count
            let interactionDF = (k - 1) * (j - t)
            let term = k >= 2 ? Double(k) / Double(k - 1) * termSquares[g] : nil
            let interaction = interactionDF > 0
                ? Double(k * j) / Double(interactionDF) * cellSquares[g] : nil
            perGroup.append(.init(terms: k, streams: j, term: term, interaction: interaction))
        }
        let j = streamKeys.count
        let t = strataKeys.count
        let streams = j - t > 0 ? Double(j) / Double(j - t) * streamSums.reduce(0) { $0 + $1 * $1 } : nil
        var streamDF = Double(max(j - t, 0))
        // 0/1 outcomes of several terms: with rare events and shared noise a handful of streams hold every
        // event, and J − T overstates how well the stream component is known (see `eventStreams` in `init`).
        // A single term has one completion per stream: no stream is a cluster of events, so no cap.
        if eventStreams, j - t > 0, termKeys.count >= 2 {
            // m: the smaller of the number of streams with at least one event and the number with at least
            // one non-event. At least 2 df: a component on 1 df would set the whole level's df to 1
            // (`finish`), which is meant for a group of two terms.
            let carrying = min(streamEvents.filter { $0 > 0 }.count, streamNonEvents.filter { $0 > 0 }.count)
            streamDF = min(streamDF, max(2, 2 * Double(carrying - 1)))
        }
        return VarianceComponents(groups: perGroup, streams: streams, streamDF: streamDF)
    }
}

/// The estimated variance components of a linear estimand and how they combine.
struct VarianceComponents {
    struct Group {
        /// The number of distinct terms.
        let terms: Int
        /// The number of distinct streams (template × sample index) the group's completions use.
        let streams: Int
        /// K/(K−1)·Σ S_k² (nil for a single term).
        let term: Double?
        /// The interaction (within-cell) mean square over N (nil without replication).
        let interaction: Double?

        /// This group's own per-term variance on its K − 1 df (see `PerTerm`); nil for a single term.
        var perTerm: PerTerm? {
            guard let term else { return nil }
            let k = Double(terms)
            let within = interaction ?? 0
            return PerTerm(between: k * (term - within), noise: k * Double(streams) * within, df: k - 1)
        }
    }

    let groups: [Group]
    /// J/(J−T)·Σ S_s² (nil without replication within a template).
    let streams: Double?
    let streamDF: Double

    /// The per-term variance of the multi-term groups, pooled with their K − 1 degrees of freedom and
    /// split into its two parts, in the estimand's scale: `between` = K·(V_term − V_∩) estimates the
    /// variance σ²_term of a term's true level, `noise` = K·J·V_∩ the completion-level noise σ²_e that
    /// a term's mean over J streams adds (σ²_e / J). Without replication `noise` is 0 and `between`
    /// holds the whole per-term variance. Nil when no group has two terms.
    struct PerTerm {
        let between: Double
        let noise: Double
        let df: Double
        /// The two parts as lent, where a mean's single term scaled them by its spread (`scaledBySpread`); nil
        /// otherwise.
        var asLent: (between: Double, noise: Double)? = nil

        /// As lent, before a mean's single term scaled it by its spread (itself where it was not scaled).
        var unscaled: PerTerm { asLent.map { PerTerm(between: $0.between, noise: $0.noise, df: df) } ?? self }

        /// The per-term variances `parts`, each divided by its unit (1 in the estimand's scale, p(1 − p) for a
        /// rate or share pooled relative to it), pooled with their df as weights (as a one-way ANOVA pools its
        /// within-group variance); nil when no part has df.
        static func pooled(_ parts: [(PerTerm, unit: Double)]) -> PerTerm? {
            var between = 0.0, noise = 0.0, df = 0.0
            for (part, unit) in parts {
                between += part.df * part.between / unit
                noise += part.df * part.noise / unit
                df += part.df
            }
            return df > 0 ? PerTerm(between: between / df, noise: noise / df, df: df) : nil
        }

        /// Both parts multiplied by `factor` (a relative per-term variance taken back to a group's scale), same df.
        func scaled(by factor: Double) -> PerTerm {
            PerTerm(between: between * factor, noise: noise * factor, df: df)
        }

        /// The variance of the mean of one term observed over `streams` streams: σ²_term + σ²_e / J,
        /// at least 0. With the multi-term groups' J this is exactly their K·V_term (no truncation of
        /// the between-term part, so the statistic is Student's pooled t with a single-term group
        /// as one more draw of a term mean).
        func variance(streams: Int) -> Double {
            max(between + noise / Double(max(streams, 1)), 0)
        }
    }

    /// Of two (variance, df, method) for one estimand, the larger variance and the smaller df (the method of the
    /// first): an interval at least as wide as either's. Nil parts are unknown and win.
    static func wider(
        _ one: (Double?, Double?, VarianceMethod), _ two: (Double?, Double?, VarianceMethod)
    ) -> (Double?, Double?, VarianceMethod) {
        guard let v1 = one.0, let v2 = two.0, let d1 = one.1, let d2 = two.1 else { return one.0 == nil ? one : two }
        return (max(v1, v2), min(d1, d2), one.2)
    }

    /// The pooled per-term variance of the groups with several terms (see `PerTerm`).
    var perTerm: PerTerm? { PerTerm.pooled(groups.compactMap { $0.perTerm.map { ($0, 1) } }) }

    /// The per-term variance of the groups with several terms, each divided by its unit before pooling
    /// (`units[g]`, p(1 − p) of group g's rate or share; a group whose unit is nil, at 0 or 1, adds nothing);
    /// without `units`, in the estimand's scale (`perTerm`). Nil when no group adds anything.
    func pooledPerTerm(units: [Double?]?) -> PerTerm? {
        guard let units else { return perTerm }
        return PerTerm.pooled(zip(groups, units).compactMap { group, unit in
            unit.flatMap { unit in group.perTerm.map { ($0, unit) } }
        })
    }

    /// Combines the components into (variance, df, method).
    ///
    /// With `poolEqualSizes` and groups that all have the same number K ≥ 2 of terms, the term part is one
    /// component on Student's pooled Σ(K − 1) degrees of freedom instead of one per group combined by
    /// Satterthwaite: with equal sizes the variance is the same as Welch's, and the pooled t keeps its
    /// level when the groups' variances differ (Box 1954, "Some theorems on quadratic forms applied in the
    /// study of analysis of variance problems, I", Annals of Mathematical Statistics 25(2)), while
    /// Satterthwaite's df from estimated parts is biased low with 2–3 df per group (contrasts of means
    /// with 3–4 terms rejected 2.7–2.9% under the null instead of 5%).
    /// With `units` (one per group, see `pooledPerTerm`) a single-term group borrows the per-term variance
    /// relative to the units and takes it back at its own; where its own unit is undefined (its level at 0 or 1),
    /// in absolute terms; where the pooled relative variance is undefined (the multi-term groups at 0 or 1), the
    /// set's (`singleTermVariances`), or none (conditional on the term) without it.
    /// With `singleTermVariances` (one per group) and every group a single term, each term is one more draw of a term
    /// mean with that variance. Beside multi-term groups a single term takes its entry where `units` is given (a
    /// contrast of rates or shares) only when those groups are at 0 or 1 and lend nothing; without `units` (a model
    /// comparison, whose arms are the two models' levels) whenever it has one (`groupTermVariances`). What is lent
    /// relative to p(1 − p) never leaves less than the conditional variance. With `spreads` (a contrast of means, one
    /// within-prompt variance per group, ``GroupData/withinPromptVariance``) a single term beside multi-term groups
    /// borrows their per-term variance scaled up by its spread over theirs (`VarianceComponents.PerTerm.scaledBySpread`),
    /// without that floor.
    func combine(
        poolEqualSizes: Bool = false, units: [Double?]? = nil, singleTermVariances: [PerTerm?]? = nil,
        floorKeepsBorrowedDF: Bool = false, spreads: [Double?]? = nil
    ) -> (Double?, Double?, VarianceMethod) {
        let random = groups.filter { $0.term != nil }
        let singletons = groups.filter { $0.term == nil }
        var parts: [(value: Double, df: Double)] = []
        var method: VarianceMethod
        if random.isEmpty, let borrowed = singleTermVariances, borrowed.count == groups.count,
            borrowed.allSatisfy({ $0 != nil })
        {
            // Single terms of a set whose other groups have several terms: each is one more draw of a term mean
            // (Student's pooled t with both as samples of one), as a single term against a multi-term group is.
            // Conditional on the two terms, the interval left out their term variance while their levels in the
            // group table took it (review: contrast SE 0.09 beside level SEs 0.23).
            var termTotal = 0.0, noise = 0.0
            for (group, part) in zip(groups, borrowed.map { $0! }) {
                termTotal += part.variance(streams: group.streams)
                noise += part.noise / Double(max(group.streams, 1))
            }
            let termDF = borrowed.map { $0!.df }.min()!
            parts.append((termTotal, termDF))
            guard let streams, streamDF > 0 else { return finish(total: termTotal, parts: parts, method: .pooledTermVariance) }
            // The stream sums carry each term's own noise, counted in its term part.
            let streamPart = max(streams - noise, 0)
            if streamPart > 0 { parts.append((streamPart, streamDF)) }
            // Borrowing adds the terms' variance: it never leaves less than the conditional variance. Where the
            // donors' noise exceeds the single terms' (donors on fewer templates, fixed prompts), the truncations
            // above could leave 0 and no interval (statistician's review); the conditional variance is the floor.
            // The change and the sum of two models (`floorKeepsBorrowedDF`) keep the borrowed df there: the floor is
            // reached when the donors' variance came out low, and the streams' df made the interval of a change too
            // narrow (size 9.5–12.8% with 2-term donors, 5.5–6.1% with 4; 0–3.5% with the donors' df: statistician's
            // review). A contrast keeps the streams' df: with the donors' it covered 97.8–98.1% at a 30% rate,
            // against 95.2–95.5% in the validation table.
            let conditional = max(streams, 0)
            if termTotal + streamPart < conditional {
                let df = floorKeepsBorrowedDF ? min(termDF, streamDF) : streamDF
                return finish(total: conditional, parts: [(conditional, df)], method: .pooledTermVariance)
            }
            return finish(total: termTotal + streamPart, parts: parts, method: .pooledTermVariance)
        }
        if random.isEmpty {
            // Every group has one term: conditional on the terms; the streams are the replications.
            guard let streams, streamDF > 0 else { return (nil, nil, .conditionalOnTerms) }
            return (max(streams, 0), streamDF, .conditionalOnTerms)
        }
        let replicated = streams != nil && random.allSatisfy { $0.interaction != nil }
        method = replicated ? .crossedClusters : .termClusters
        var termTotal = random.reduce(0) { $0 + $1.term! }
        // The completion-level noise of single-term groups, which their stream sums carry.
        var singletonNoise = 0.0
        // Whether a single term's rate or share borrowed relative to p(1 − p) (from its partner, or the set's where the
        // partner is at 0 or 1): then the conditional variance is a floor. And on which df.
        var relativeLending = false
        var termDF = perTerm?.df ?? 0
        if !singletons.isEmpty, let perTerm {
            // A single term is one more draw of a term mean: its variance σ²_term + σ²_e/J comes from the
            // multi-term groups (as Student's pooled t takes it from the other sample). Every term part
            // then rests on the same terms: one component with the pooled df.
            let relative = pooledPerTerm(units: units)
            method = .pooledTermVariance
            for (index, group) in groups.enumerated() where group.term == nil {
                let own = units?[index] ?? nil
                // A rate's or share's single term, whatever its own level, beside multi-term groups that are all at 0 or
                // 1 (no relative variance to lend) in a set that lends nothing either: nothing tells how much a term of
                // this group varies. No variance, said conditional on the single term (statistics revision 12; its model
                // comparison is undetermined). Conditional on it, the streams alone made findings (a statistician's
                // review: SE 0.105, q = 0.025, reported as over terms and streams; such contrasts covered 85–88% in the
                // validation's 4 vs 1 terms at 5%, statistics-validation.md "Mixed designs of rates"), and a single
                // term at 0 or 1 took Newcombe's interval on the counts (a review: an all-female single term beside an
                // all-male 3-term group, +100 pp [+87.9, +100], q = 4e-29).
                if units != nil, relative == nil, singleTermVariances?[index] == nil {
                    return (nil, nil, .conditionalOnTerms)
                }
                let borrowed: PerTerm
                if let own, let relative {
                    borrowed = relative.scaled(by: own)
                    relativeLending = true
                } else if units == nil, let lent = singleTermVariances?[index] {
                    // A model comparison of a single term beside a multi-term group (rates, shares): what that group, or
                    // the set's other groups where it is at 0 or 1 under both models, lends this single term's
                    // combination of levels (`modelDifference`, `DonorTermVariance`).
                    borrowed = lent
                    termDF = lent.df
                    relativeLending = true
                } else if own != nil, units != nil, let set = singleTermVariances?[index] {
                    // The multi-term groups are at 0 or 1 (a rate without events, a share of one gender) and lend
                    // nothing: the set's per-term variance at this term's level, as its level in the group table
                    // borrows it. The lender's absolute per-term variance, 0 there, made such a contrast narrower than
                    // the single term's own level (statistician's review: −38.9 pp, SE 0.119, beside a level SE of
                    // 0.141, a finding at q = 0.009). Without a set to borrow from, no variance (above).
                    borrowed = set
                    termDF = set.df
                    relativeLending = true
                } else if let spreads {
                    // A contrast of a mean: the lenders' per-term variance, scaled up where this term's completions vary
                    // more than theirs (`scaledBySpread`; `init` keeps the wider of this and the unscaled fit). No
                    // conditional floor (as before the scaling): with one, 2 vs 1 terms covered 99.5–100% with size
                    // 0.1–0.5% (statistics-validation, 1000 replications), as a between-term part on 1 df often comes out
                    // negative and the floor then replaced the whole.
                    let lenders = pooledSpread(zip(groups, spreads).compactMap { group, spread in
                        spread.flatMap { spread in group.perTerm.map { (spread, $0.df) } }
                    })
                    borrowed = perTerm.scaledBySpread(own: spreads[index], lenders: lenders)
                } else {
                    // Its own level at 0 or 1 (a rate or share), or a mean with nothing lent to it (a model comparison
                    // whose partner lends nothing of its own): the lender's per-term variance as it is.
                    borrowed = perTerm
                }
                termTotal += borrowed.variance(streams: group.streams)
                if replicated { singletonNoise += borrowed.noise / Double(max(group.streams, 1)) }
            }
            parts.append((termTotal, termDF))
        } else if poolEqualSizes, random.count > 1, Set(random.map(\.terms)).count == 1 {
            // Groups of equal size: Student's pooled df for the term part (see above).
            parts.append((termTotal, random.reduce(0) { $0 + Double($1.terms - 1) }))
        } else {
            for group in random {
                parts.append((group.term!, Double(group.terms - 1)))
            }
        }
        guard replicated, let streams else {
            return finish(total: termTotal, parts: parts, method: method)
        }
        // The stream component σ²_stream/J = (MS_stream − MS_residual)/N, truncated at 0 as variance
        // components are (without shared noise it is 0 and its estimate is as often negative). The
        // stream sums also carry each single term's own noise, counted above in its term part.
        let interaction = random.reduce(0) { $0 + ($1.interaction ?? 0) } + singletonNoise
        let streamPart = max(streams - interaction, 0)
        if streamPart > 0 {
            parts.append((streamPart, streamDF))
        }
        if relativeLending {
            // As for two single terms: what is lent adds the term's variance and never leaves less than the conditional
            // variance (a lender whose noise came out smaller than the single term's, relative to p(1 − p), took more
            // out of the streams than it lent: a statistician found contrasts with SE 0 and a normal interval beside the
            // single term's level SE of 0.084, where its partner had one event per term).
            let ownTerms = random.reduce(0) { $0 + $1.term! }
            let streamsAlone = max(streams - random.reduce(0) { $0 + ($1.interaction ?? 0) }, 0)
            let conditional = ownTerms + streamsAlone
            if termTotal + streamPart < conditional {
                if floorKeepsBorrowedDF {
                    return finish(total: conditional, parts: [(conditional, min(termDF, streamDF))], method: method)
                }
                // A contrast: the conditional variance on its own parts' df, the multi-term groups' term parts on K − 1
                // and the streams on theirs (code review: the streams' df for the whole overstated it where a partner's
                // terms vary). Parts of 0 (a partner at 0 or 1) carry no df.
                var conditionalParts = random.compactMap { $0.term! > 0 ? ($0.term!, Double($0.terms - 1)) : nil }
                if streamsAlone > 0 { conditionalParts.append((streamsAlone, streamDF)) }
                return finish(total: conditional, parts: conditionalParts, method: method)
            }
        }
        return finish(total: termTotal + streamPart, parts: parts, method: method)
    }

    /// The variance of one group's level when its per-term variance is pooled over several groups of
    /// the same set (`pooled`, from `perTerm` of each group's own fit, combined with their df): the
    /// variance of a term mean over this group's streams divided by its number of terms, plus its own
    /// stream component. Pooling makes the term component rest on Σ(K − 1) degrees of freedom instead
    /// of K − 1, which keeps Satterthwaite's df honest with few terms (simulated level coverage 92% with
    /// 3 terms unpooled). A single-term group's stream sums carry its own completion noise, which its
    /// term part already counts, so it is taken out of the stream component. `minimumStream` is a floor
    /// for the stream component (the set's, see `groupLevels`); the component keeps its own df.
    func pooledLevel(_ pooled: PerTerm, minimumStream: Double = 0) -> (Double?, Double?, VarianceMethod) {
        guard let group = groups.first, groups.count == 1 else { return combine() }
        var parts: [(value: Double, df: Double)] = []
        let termPart = pooled.variance(streams: group.streams) / Double(group.terms)
        parts.append((termPart, pooled.df))
        var total = termPart
        if let own = streamPart(pooled) {
            let streamPart = max(own, minimumStream)
            if streamPart > 0 { parts.append((streamPart, streamDF)) }
            total += streamPart
        }
        let method: VarianceMethod = group.term == nil
            ? .pooledTermVariance : (streams != nil && group.interaction != nil ? .crossedClusters : .termClusters)
        return finish(total: total, parts: parts, method: method)
    }

    /// The stream component σ²_stream/J of a single group's level, beside the per-term variance `pooled`:
    /// its stream sums less the completion noise its term part counts, at least 0; nil without
    /// replication within a template.
    func streamPart(_ pooled: PerTerm) -> Double? {
        guard let group = groups.first, groups.count == 1, let streams, streamDF > 0 else { return nil }
        let within = group.term == nil ? pooled.noise / Double(max(group.streams, 1)) : (group.interaction ?? 0)
        return max(streams - within, 0)
    }

    private func finish(total: Double, parts: [(value: Double, df: Double)], method: VarianceMethod)
        -> (Double?, Double?, VarianceMethod)
    {
        guard total.isFinite, total >= 0 else { return (nil, nil, method) }
        let denominator = parts.reduce(0) { $0 + ($1.df > 0 ? $1.value * $1.value / $1.df : 0) }
        let minimumDF = parts.map(\.df).filter { $0 > 0 }.min() ?? 1
        // A component on a single degree of freedom (two terms) is too unstable for Satterthwaite's
        // weights, which then overstate the df (simulated size 16-20% for 2 vs 1 terms); use its df.
        let df = denominator > 0 && minimumDF > 1 ? max(total * total / denominator, minimumDF) : minimumDF
        return (total, df, method)
    }
}
