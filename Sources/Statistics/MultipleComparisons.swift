/// Benjamini–Hochberg q-values (false-discovery-rate adjusted p-values) of a family of tests.
///
/// Question answered: "which of the many contrasts of an audit are discoveries, keeping the
/// expected share of false ones among them at most q?" An audit runs hundreds of contrasts, so
/// reading raw p-values against 0.05 would flag about one in twenty null contrasts; BH controls the
/// false discovery rate (for independent or positively dependent tests) and keeps far more power
/// than a family-wise (Bonferroni) correction.
///
/// Matches `scipy.stats.false_discovery_control(p, method='bh')` (SciPy 1.17): with p sorted
/// ascending, q_(i) = min over j ≥ i of p_(j) · m / j, clipped to [0, 1], returned in input order.
/// - Parameter pValues: the p-values, each in [0, 1].
/// - Returns: the q-values, in the order of `pValues`; empty for an empty list.
/// - Throws: `StatisticsError.invalidPValue` for a NaN or out-of-range p-value.
public func benjaminiHochberg(_ pValues: [Double]) throws -> [Double] {
    for (index, p) in pValues.enumerated() where !(0...1).contains(p) {
        throw StatisticsError.invalidPValue(index: index, value: p)
    }
    let m = pValues.count
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var adjusted = [Double](repeating: 0, count: m)
    var running = Double.infinity
    for rank in stride(from: m, through: 1, by: -1) {
        let index = order[rank - 1]
        running = min(running, pValues[index] * (Double(m) / Double(rank)))
        adjusted[index] = min(max(running, 0), 1)
    }
    return adjusted
}
