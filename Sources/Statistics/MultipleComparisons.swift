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

/// Benjamini–Hochberg q-values within families of tests: each family is adjusted on its own, with m the number of its
/// tests, by ``benjaminiHochberg(_:)``. The contrasts of an audit (one family per prompt set and model) and its model
/// comparisons (one per prompt set and model pair) are both adjusted through this, by the analysis and by readers of a
/// results file alike.
///
/// Source: Benjamini, Y. & Hochberg, Y. (1995), "Controlling the false discovery rate: a practical and powerful
/// approach to multiple testing", JRSS B 57(1), 289–300; per family as `scipy.stats.false_discovery_control(p,
/// method='bh')` applied to each family's p-values.
/// - Parameter tests: one entry per position of the caller's list: its family (any `Hashable` key) and p-value, or nil
///   for a position that is not tested (it belongs to no family and does not count in any family's m).
/// - Returns: one entry per family, in the order of its first tested position: the family, its tested positions
///   (ascending) and the q-value of each, in that order. A family has at least one position; there is none for an
///   empty list or one of nils.
/// - Throws: `StatisticsError.invalidPValue` for a NaN or out-of-range p-value, its index counted within its family.
public func benjaminiHochbergWithinFamilies<Family: Hashable>(_ tests: [(family: Family, pValue: Double)?]) throws
    -> [(family: Family, tested: [Int], qValues: [Double])]
{
    var positions: [Family: [Int]] = [:]
    var order: [Family] = []
    for (index, test) in tests.enumerated() {
        guard let test else { continue }
        if positions[test.family] == nil { order.append(test.family) }
        positions[test.family, default: []].append(index)
    }
    return try order.map { family in
        let tested = positions[family]!
        return (family, tested, try benjaminiHochberg(tested.map { tests[$0]!.pValue }))
    }
}
