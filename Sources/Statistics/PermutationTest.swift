/// The result of a stratified permutation test of a contrast A − B.
public struct PermutationTestResult: Sendable, Equatable, Codable {
    /// The observed statistic (the stratified contrast, see `StratifiedContrast`); NaN when undefined.
    public var statistic: Double
    /// The two-sided p-value; nil when the statistic is undefined (no shared template with weight on both sides).
    public var pValue: Double?
    /// The number of relabellings the p-value is based on (all of them when `exact`).
    public var permutations: Int
    /// Whether every distinct relabelling was enumerated (else Monte Carlo).
    public var exact: Bool

    /// Creates a result.
    public init(statistic: Double, pValue: Double?, permutations: Int, exact: Bool) {
        self.statistic = statistic
        self.pValue = pValue
        self.permutations = permutations
        self.exact = exact
    }

    /// Equality that treats two NaN statistics as equal.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        (lhs.statistic == rhs.statistic || (lhs.statistic.isNaN && rhs.statistic.isNaN))
            && lhs.pValue == rhs.pValue && lhs.permutations == rhs.permutations && lhs.exact == rhs.exact
    }
}

/// A two-sided permutation test of "the group label does not matter" for a contrast A − B.
///
/// Question answered: "could a gap this large arise if the units had been split between the groups
/// at random?" The exchangeable things are the **units** (terms, or fixed prompts), not the
/// completions: completions of one term share that term's effect, so shuffling them would treat
/// correlated samples as independent and give far too small p-values.
///
/// Each unit is reduced to its per-template sums (Σx, Σw), and the statistic on a labelling is the
/// same stratified contrast as the reported estimate: within each template, A's pooled ratio minus
/// B's, averaged over the templates with weight on both sides. Template effects cancel because the
/// statistic is computed within templates. Which relabellings are drawn follows the design, read
/// from which templates each unit has cells in (see `RelabellingBlocks` for the rule):
/// - units **crossed** with the templates (terms used in every template): the labels are permuted
///   across the whole design, keeping the group sizes, and a unit keeps one label in every template.
///   A term's cells in different templates are not independent (a name's effect persists across
///   templates), so drawing its label separately per template would understate the null variance;
/// - units **nested** in the templates (each unit, e.g. a fixed prompt "The man …", occurs in one
///   template): the labels are permuted among the units of each template independently, keeping
///   each template's group sizes, so every template keeps both groups. With one unit per group per
///   template this is the sign-flip test across templates: 2^T relabellings;
/// - **mixed** designs: units linked through a shared template are permuted jointly, as when crossed.
///
/// When the number of distinct relabellings (Π over blocks of C(n, n_A); C(n_A + n_B, n_A) when
/// crossed, Π over templates of C(n_t, n_A,t) when nested) is at most `exactLimit`, all of them are
/// enumerated and p = #{|T| ≥ |T_obs|} / #relabellings (the identity included). Otherwise
/// `permutations` random relabellings are drawn from the seed and p = (b + 1) / (B + 1), which never
/// reports an impossible 0. Ties are counted with a relative tolerance of 1e-10. Relabellings on
/// which the statistic is undefined (possible only in crossed or mixed designs, when a template is
/// left with one group only and no template with both remains) are left out of both counts.
///
/// - Throws: `StatisticsError.invalidObservation` or `.invalidParameter` (`permutations < 1`, `exactLimit < 0`).
public func permutationTest(
    _ a: GroupData, _ b: GroupData, permutations: Int = 10_000, exactLimit: Int = 20_000, seed: UInt64
) throws -> PermutationTestResult {
    let strata = StratifiedContrast.sharedStrata(a, b)
    return try permutationTest(
        PreparedGroup(a, strata: strata), PreparedGroup(b, strata: strata),
        permutations: permutations, exactLimit: exactLimit, seed: seed)
}

/// The permutation test on prepared groups over the same strata.
func permutationTest(
    _ a: PreparedGroup, _ b: PreparedGroup, permutations: Int, exactLimit: Int, seed: UInt64
) throws -> PermutationTestResult {
    guard permutations >= 1 else {
        throw StatisticsError.invalidParameter(name: "permutations", value: Double(permutations), requirement: "≥ 1")
    }
    guard exactLimit >= 0 else {
        throw StatisticsError.invalidParameter(name: "exactLimit", value: Double(exactLimit), requirement: "≥ 0")
    }
    var labelling = UnitLabelling(a, b)
    let blocks = RelabellingBlocks(a, b)
    var inA = (0..<blocks.unitCount).map { $0 < a.layout.units.count }
    let observed = labelling.statistic(inA)
    guard observed.isFinite else {
        return PermutationTestResult(statistic: observed, pValue: nil, permutations: 0, exact: false)
    }
    let tolerance = max(abs(observed) * 1e-10, 1e-14)
    let threshold = abs(observed) - tolerance
    var extreme = 0
    var defined = 0
    func record(_ value: Double) {
        guard !value.isNaN else { return }
        defined += 1
        if abs(value) >= threshold { extreme += 1 }
    }

    if blocks.relabellingCount(cap: exactLimit) != nil {
        blocks.forEachRelabelling { record(labelling.statistic($0)) }
        return PermutationTestResult(
            statistic: observed, pValue: Double(extreme) / Double(defined), permutations: defined, exact: true)
    }

    var rng = Xoshiro256StarStar(seed: seed, stream: BootstrapParameters.permutationStream)
    var order = blocks.initialOrder
    for _ in 0..<permutations {
        blocks.draw(into: &inA, order: &order, using: &rng)
        record(labelling.statistic(inA))
    }
    return PermutationTestResult(
        statistic: observed, pValue: Double(extreme + 1) / Double(defined + 1), permutations: defined, exact: false)
}

/// The units of both groups with their per-template sums, and the statistic of a relabelling of them.
private struct UnitLabelling {
    let unitCount: Int
    let strata: Int
    private let unitX: [Double]
    private let unitW: [Double]
    private var aX: [Double]
    private var aW: [Double]
    private var bX: [Double]
    private var bW: [Double]

    /// Units of `a` first (labelled A), then those of `b`.
    init(_ a: PreparedGroup, _ b: PreparedGroup) {
        let sumsA = a.unitStratumSums()
        let sumsB = b.unitStratumSums()
        unitCount = a.layout.units.count + b.layout.units.count
        strata = a.layout.strata.count
        unitX = sumsA.x + sumsB.x
        unitW = sumsA.w + sumsB.w
        aX = [Double](repeating: 0, count: strata)
        aW = aX
        bX = aX
        bW = aX
    }

    /// The stratified contrast when unit `u` is labelled A exactly when `inA[u]` (units of A first).
    mutating func statistic(_ inA: [Bool]) -> Double {
        let strata = strata
        let unitCount = unitCount
        unitX.withUnsafeBufferPointer { unitX in
            unitW.withUnsafeBufferPointer { unitW in
                inA.withUnsafeBufferPointer { inA in
                    aX.withUnsafeMutableBufferPointer { aX in
                        aW.withUnsafeMutableBufferPointer { aW in
                            bX.withUnsafeMutableBufferPointer { bX in
                                bW.withUnsafeMutableBufferPointer { bW in
                                    for t in 0..<strata {
                                        aX[t] = 0
                                        aW[t] = 0
                                        bX[t] = 0
                                        bW[t] = 0
                                    }
                                    for unit in 0..<unitCount {
                                        let base = unit * strata
                                        let (sumX, sumW) = inA[unit] ? (aX, aW) : (bX, bW)
                                        for t in 0..<strata {
                                            sumX[t] += unitX[base + t]
                                            sumW[t] += unitW[base + t]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return StratifiedContrast.evaluate(strata: strata, aX: aX, aW: aW, bX: bX, bW: bW).difference
    }
}
