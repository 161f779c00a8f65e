/// Spearman's rank correlation of paired values: Pearson's correlation of their ranks, ties given
/// their average rank.
///
/// Estimand: the association of the two orderings (descriptive, with `spearmanPValue` saying how often chance
/// alone gives one as strong: the pairs here are a handful of occupations chosen for being gender-typed). Unit: one pair per
/// item (an occupation). Follows `scipy.stats.spearmanr` (average ranks for ties).
/// - Parameters:
///   - x: the first values.
///   - y: the second values, paired with `x` by position.
/// - Returns: ρ in [−1, 1]; nil when undefined: fewer than 2 pairs, lengths differ, a non-finite value,
///   or one side without variation (all ranks equal).
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double? {
    guard x.count == y.count, x.count >= 2, (x + y).allSatisfy(\.isFinite) else { return nil }
    let rankX = averageRanks(x)
    let rankY = averageRanks(y)
    let meanX = rankX.reduce(0, +) / Double(rankX.count)
    let meanY = rankY.reduce(0, +) / Double(rankY.count)
    var covariance = 0.0
    var varianceX = 0.0
    var varianceY = 0.0
    for (rx, ry) in zip(rankX, rankY) {
        covariance += (rx - meanX) * (ry - meanY)
        varianceX += (rx - meanX) * (rx - meanX)
        varianceY += (ry - meanY) * (ry - meanY)
    }
    guard varianceX > 0, varianceY > 0 else { return nil }
    return max(-1, min(1, covariance / (varianceX * varianceY).squareRoot()))
}

/// The two-sided p-value of Spearman's ρ against no association: exact over every ordering of `y` for n ≤
/// ``spearmanExactLimit`` pairs (the share of the n! orderings whose |ρ| is at least the observed one, within
/// 1e-12; `scipy.stats.permutation_test` with `permutation_type="pairings"`), and for more pairs the t
/// approximation t = ρ·√((n − 2)/(1 − ρ²)) on n − 2 df (`scipy.stats.spearmanr`'s p-value). With 4 occupations a
/// ρ of ±1 comes out in 2 of 24 orderings (p = 0.083) and a ρ of 0.6 has p ≈ 0.42 (statistician's review: such a ρ
/// was printed bare). Nil where ρ is undefined.
public func spearmanPValue(_ x: [Double], _ y: [Double]) -> Double? {
    guard let rho = spearmanCorrelation(x, y) else { return nil }
    let n = x.count
    if n <= spearmanExactLimit {
        var permuted = y
        var atLeast = 0
        var total = 0
        func visit(_ k: Int) {
            if k == n {
                total += 1
                if let r = spearmanCorrelation(x, permuted), abs(r) >= abs(rho) - 1e-12 { atLeast += 1 }
                return
            }
            for i in k..<n {
                permuted.swapAt(k, i)
                visit(k + 1)
                permuted.swapAt(k, i)
            }
        }
        visit(0)
        return Double(atLeast) / Double(total)
    }
    guard abs(rho) < 1 else { return 0 }
    let t = rho * (Double(n - 2) / (1 - rho * rho)).squareRoot()
    return Distributions.studentTTwoSidedP(t, df: Double(n - 2))
}

/// The most pairs for which `spearmanPValue` enumerates every ordering (8! = 40,320).
public let spearmanExactLimit = 8

/// Ranks 1…n of `values`, ties sharing the mean of the ranks they span (`scipy.stats.rankdata`'s
/// "average" method).
func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start
        while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
        let rank = Double(start + end) / 2 + 1
        for position in start...end { ranks[order[position]] = rank }
        start = end + 1
    }
    return ranks
}
