import Statistics

/// The operating characteristics of the audit's intervals and tests in one simulated design.
public struct CellResult: Sendable {
    /// Coverage of the group level (group 0) under the null.
    public var levelCoverage: Double
    /// Coverage of group 0's level under the effect, when its level differs from the other groups'.
    public var levelCoverageEffect: Double
    /// Coverage of group 1's level under the effect: its level is as under the null, but the other
    /// group's shift changes what a set-wide pooled variance borrows.
    public var levelCoverageOther: Double
    /// Coverage of the contrast group 0 − group 1 under the null.
    public var contrastCoverageNull: Double
    /// Coverage of the contrast under the effect.
    public var contrastCoverageEffect: Double
    /// Rejections at 0.05 under the null (the test's size).
    public var size: Double
    /// Rejections at 0.05 under the effect (power).
    public var power: Double
    /// Share of replications in which the contrast had support (an interval and a test) under the null.
    public var supported: Double
    /// Share of replications in which the contrast had support under the effect.
    public var supportedEffect: Double
    /// With `simulateCell(…, loneGroup: true)`: group 1's level coverage beside group 0 under the null, and
    /// with group 1's data alone (no other group to pool with) under the null and under the effect.
    public var loneGroup: LoneGroup?
    /// What group 1's level interval owes to the set's other group (see `loneGroup`).
    public struct LoneGroup: Sendable {
        /// Group 1 beside group 0, both under the null.
        public var besideNull: Double
        /// Group 1's data of the null draws alone.
        public var aloneNull: Double
        /// Group 1's data of the effect draws alone (its data are as under the null).
        public var aloneEffect: Double
    }
    /// How many replications each rate above rests on: level intervals, contrast intervals under the
    /// null and under the effect, tests under the null and under the effect.
    public var counts: Counts

    /// The number of replications behind each rate of a `CellResult`.
    public struct Counts: Sendable {
        /// Level intervals (every replication with a defined level).
        public var level: Int
        /// Level intervals under the effect.
        public var levelEffect: Int
        /// Level intervals of group 1 under the effect.
        public var levelOther: Int
        /// Contrast intervals under the null (supported replications).
        public var contrastNull: Int
        /// Contrast intervals under the effect.
        public var contrastEffect: Int
        /// Tests under the null.
        public var size: Int
        /// Tests under the effect.
        public var power: Int
    }
}

/// Verdict rates of the model comparison in one simulated case.
public struct VerdictRates: Sendable {
    /// Share called "more biased" (|second| > |first|) at 0.05.
    public var larger: Double
    /// Share called "less biased".
    public var smaller: Double
    /// Share flagged as a sign reversal.
    public var reversed: Double
}

/// Coverage, size and power of `groupLevel` and `contrast` in `design` over seeded replications.
/// Group 0 is shifted by `effect` (latent SD units) for the power column.
/// With `loneGroup`, also group 1's level beside group 0 and alone (`CellResult.loneGroup`); the draws, and
/// so every other rate, are the same.
public func simulateCell(
    _ design: Design, effect: Double, replications: Int, seed: UInt64, settings: InferenceSettings = .standard,
    loneGroup: Bool = false
) throws -> CellResult {
    var random = Normal(seed: seed)
    var level = Tally(), levelShifted = Tally(), levelOther = Tally(), null = Tally(), shifted = Tally()
    var besideNull = Tally(), aloneNull = Tally(), aloneEffect = Tally()
    var supported = 0, supportedEffect = 0
    let groups = design.terms.count
    for _ in 0..<replications {
        let plain = design.draw(shifts: [Array(repeating: 0, count: groups)], random: &random)
        let levels = try groupLevels(plain.data[0], scale: design.scale, settings: settings)
        level.add(levels[0], truth: plain.truth[0][0], p: nil)
        if loneGroup {
            besideNull.add(levels[1], truth: plain.truth[0][1], p: nil)
            aloneNull.add(
                try groupLevel(plain.data[0][1], scale: design.scale, settings: settings), truth: plain.truth[0][1], p: nil)
        }
        // The set's other groups lend two single terms the variance of a term mean (designs of 3+ groups).
        let c = try contrast(
            plain.data[0][0], plain.data[0][1], scale: design.scale, settings: settings,
            borrowingFrom: Array(plain.data[0].dropFirst(2)))
        null.add(c.estimate, truth: plain.truth[0][0] - plain.truth[0][1], p: c.pValue)
        if c.pValue != nil { supported += 1 }
        var shifts = Array(repeating: 0.0, count: groups)
        shifts[0] = effect
        let biased = design.draw(shifts: [shifts], random: &random)
        let shiftedLevels = try groupLevels(biased.data[0], scale: design.scale, settings: settings)
        levelShifted.add(shiftedLevels[0], truth: biased.truth[0][0], p: nil)
        levelOther.add(shiftedLevels[1], truth: biased.truth[0][1], p: nil)
        if loneGroup {
            aloneEffect.add(
                try groupLevel(biased.data[0][1], scale: design.scale, settings: settings), truth: biased.truth[0][1], p: nil)
        }
        let e = try contrast(
            biased.data[0][0], biased.data[0][1], scale: design.scale, settings: settings,
            borrowingFrom: Array(biased.data[0].dropFirst(2)))
        shifted.add(e.estimate, truth: biased.truth[0][0] - biased.truth[0][1], p: e.pValue)
        if e.pValue != nil { supportedEffect += 1 }
    }
    return CellResult(
        levelCoverage: level.coverage, levelCoverageEffect: levelShifted.coverage,
        levelCoverageOther: levelOther.coverage, contrastCoverageNull: null.coverage, contrastCoverageEffect: shifted.coverage,
        size: null.rate, power: shifted.rate, supported: Double(supported) / Double(replications),
        supportedEffect: Double(supportedEffect) / Double(replications),
        loneGroup: loneGroup
            ? .init(besideNull: besideNull.coverage, aloneNull: aloneNull.coverage, aloneEffect: aloneEffect.coverage)
            : nil,
        counts: .init(
            level: level.intervals, levelEffect: levelShifted.intervals,
            levelOther: levelOther.intervals, contrastNull: null.intervals, contrastEffect: shifted.intervals, size: null.tests,
            power: shifted.tests))
}

/// How often `modelDifference` calls a contrast larger, smaller or reversed when group 0's shift is
/// `first` under the first model and `second` under the second (same terms; the same streams when `pairing` is
/// `.paired`, each model its own when `.unpaired`). The set's other groups (from the third on) lend to two
/// single-term groups as in the audit. With `fromSummaries`, the comparison is made from the two contrasts'
/// estimates alone, as from two results files without completions.
public func simulateVerdicts(
    _ design: Design, first: Double, second: Double, replications: Int, seed: UInt64,
    settings: InferenceSettings = .standard, pairing: Pairing = .paired, fromSummaries: Bool = false,
    modelTermCorrelation: Double = 0.8
) throws -> VerdictRates {
    var random = Normal(seed: seed)
    var larger = 0, smaller = 0, reversed = 0
    let rest = Array(repeating: 0.0, count: design.terms.count - 1)
    for _ in 0..<replications {
        let draw = design.draw(
            shifts: [[first] + rest, [second] + rest], random: &random, modelTermCorrelation: modelTermCorrelation,
            sharedStreams: pairing == .paired)
        let comparison: ModelDifference
        if fromSummaries {
            // As `diff` and `check --baseline` compare two results files without their completions: from the two
            // contrasts alone.
            let contrasts = try (0..<2).map { m in
                try contrast(
                    draw.data[m][0], draw.data[m][1], scale: design.scale, settings: settings,
                    borrowingFrom: Array(draw.data[m].dropFirst(2))).estimate
            }
            comparison = modelDifference(
                first: contrasts[0], second: contrasts[1], proportion: design.scale != .mean, settings: settings)
        } else {
            comparison = try modelDifference(
                first: ContrastData(a: draw.data[0][0], b: draw.data[0][1]),
                second: ContrastData(a: draw.data[1][0], b: draw.data[1][1]), pairing: pairing, scale: design.scale,
                settings: settings, borrowingFrom: zip(draw.data[0], draw.data[1]).dropFirst(2).map { ($0, $1) })
        }
        if let p = comparison.pLarger, p < settings.alpha { larger += 1 }
        if let p = comparison.pSmaller, p < settings.alpha { smaller += 1 }
        if comparison.signReversed { reversed += 1 }
    }
    let n = Double(replications)
    return VerdictRates(larger: Double(larger) / n, smaller: Double(smaller) / n, reversed: Double(reversed) / n)
}

/// Counts of covered intervals and rejected tests.
private struct Tally {
    var covered = 0, intervals = 0, rejected = 0, tests = 0

    mutating func add(_ estimate: Estimate, truth: Double, p: Double?) {
        if let lower = estimate.lower, let upper = estimate.upper {
            intervals += 1
            if lower <= truth, truth <= upper { covered += 1 }
        }
        if let p {
            tests += 1
            if p < 0.05 { rejected += 1 }
        }
    }

    /// Fewer replications than this with an interval (or a test) are too thin to state a rate: NaN ("—").
    static let minimumCount = 50

    var coverage: Double { intervals >= Self.minimumCount ? Double(covered) / Double(intervals) : .nan }
    var rate: Double { tests >= Self.minimumCount ? Double(rejected) / Double(tests) : .nan }
}
