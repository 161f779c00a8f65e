/// Spearman's rank correlation of paired values: Pearson's correlation of their ranks, ties given
/// their average rank.
///
/// Estimand: the association of the two orderings (descriptive: no interval or test is attached,
/// the pairs here are a handful of occupations chosen for being gender-typed). Unit: one pair per
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
