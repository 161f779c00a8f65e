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
/// Question answered: "could a gap this large arise if the terms had been split between the groups
/// at random?" The exchangeable things are the **units** (terms, or fixed prompts), not the
/// completions: completions of one term share that term's effect, so shuffling them would treat
/// correlated samples as independent and give far too small p-values.
///
/// Each unit is reduced to its per-template sums (Σx, Σw), and the statistic on a labelling is the
/// same stratified contrast as the reported estimate: within each template, A's pooled ratio minus
/// B's, averaged over the templates with weight on both sides. Relabelling keeps the group sizes
/// and gives a unit the same label in every template: a term's cells in different templates are
/// not independent (a name's effect persists across templates), so drawing its label separately per
/// template would understate the null variance and make the test anti-conservative. In each
/// template the labels are therefore a permutation of the labels of the units present there, and
/// template effects cancel because the statistic is computed within templates.
///
/// When the number of distinct relabellings C(n_A + n_B, n_A) is at most `exactLimit`, all of them
/// are enumerated and p = #{|T| ≥ |T_obs|} / #relabellings (the identity included). Otherwise
/// `permutations` random relabellings are drawn from the seed and p = (b + 1) / (B + 1), which never
/// reports an impossible 0. Ties are counted with a relative tolerance of 1e-10. Relabellings on
/// which the statistic is undefined are left out of both counts.
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
    let observed = labelling.statistic()
    let unitCount = labelling.unitCount
    let sizeA = a.layout.units.count
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

    if let total = binomial(unitCount, sizeA, cap: exactLimit) {
        var chosen = Array(0..<sizeA)
        for _ in 0..<total {
            labelling.assign(groupA: chosen)
            record(labelling.statistic())
            advance(&chosen, n: unitCount)
        }
        return PermutationTestResult(
            statistic: observed, pValue: Double(extreme) / Double(defined), permutations: defined, exact: true)
    }

    var rng = Xoshiro256StarStar(seed: seed, stream: BootstrapParameters.permutationStream)
    var order = Array(0..<unitCount)
    for _ in 0..<permutations {
        for i in 0..<sizeA {
            order.swapAt(i, i + rng.below(unitCount - i))
        }
        labelling.assign(groupA: order[0..<sizeA])
        record(labelling.statistic())
    }
    return PermutationTestResult(
        statistic: observed, pValue: Double(extreme + 1) / Double(defined + 1), permutations: defined, exact: false)
}

/// C(n, k), or nil when it exceeds `cap`.
func binomial(_ n: Int, _ k: Int, cap: Int) -> Int? {
    guard k >= 0, k <= n else { return 0 }
    let k = min(k, n - k)
    var value = 1.0
    for i in 0..<k {
        value = value * Double(n - i) / Double(i + 1)
        if value > Double(cap) { return nil }
    }
    return Int(value.rounded())
}

/// Moves a sorted k-subset of 0..<n to the next one in lexicographic order (wraps after the last).
private func advance(_ chosen: inout [Int], n: Int) {
    let k = chosen.count
    var i = k - 1
    while i >= 0, chosen[i] == n - k + i { i -= 1 }
    guard i >= 0 else { return }
    chosen[i] += 1
    for j in (i + 1)..<k {
        chosen[j] = chosen[j - 1] + 1
    }
}

/// The units of both groups with their per-template sums, and a relabelling of them.
private struct UnitLabelling {
    let unitCount: Int
    let strata: Int
    private let unitX: [Double]
    private let unitW: [Double]
    private var inA: [Bool]
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
        inA = (0..<unitCount).map { $0 < a.layout.units.count }
        aX = [Double](repeating: 0, count: strata)
        aW = aX
        bX = aX
        bW = aX
    }

    /// Labels the given units A and all others B.
    mutating func assign<S: Sequence>(groupA: S) where S.Element == Int {
        for i in inA.indices { inA[i] = false }
        for unit in groupA { inA[unit] = true }
    }

    /// The stratified contrast under the current labelling.
    mutating func statistic() -> Double {
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
