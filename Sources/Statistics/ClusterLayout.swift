/// A group's cells arranged for resampling: units and strata sorted by name, each unit's cells as
/// spans into flat observation arrays (structure here, values in `PreparedGroup`).
///
/// Two groups with equal layouts have the same units, the same cells and the same number of samples
/// in every cell, which is what the paired (common random numbers) bootstrap needs.
struct ClusterLayout: Equatable {
    /// One cell: its stratum index and its observations' range in the flat arrays.
    struct Span: Equatable {
        let stratum: Int
        let start: Int
        let count: Int
    }

    /// Stratum labels; stratum index `t` is `strata[t]`.
    let strata: [String]
    /// Unit labels, sorted; unit index `u` is `units[u]`.
    let units: [String]
    /// All cells, unit by unit; unit `u` owns `spans[spanStart[u]..<spanStart[u + 1]]`.
    let spans: [Span]
    /// Offsets into `spans`, `units.count + 1` of them.
    let spanStart: [Int]
    /// The number of observations.
    let observationCount: Int
}

/// A group's observations, validated and laid out for resampling.
struct PreparedGroup {
    let layout: ClusterLayout
    let x: [Double]
    let w: [Double]

    /// Prepares `group`, keeping only its cells whose stratum is in `strata` (whose order gives the
    /// stratum indices). Cells sharing `(stratum, unit)` are merged in input order; cells without
    /// observations are dropped, and so are units left without any (they carry no information).
    /// - Throws: `StatisticsError.invalidObservation` for a non-finite x or a negative / non-finite w.
    init(_ group: GroupData, strata: [String]) throws {
        var stratumIndex: [String: Int] = [:]
        for (index, label) in strata.enumerated() {
            stratumIndex[label] = index
        }
        var merged: [String: [Int: [Observation]]] = [:]
        for cell in group.cells {
            guard let stratum = stratumIndex[cell.stratum] else { continue }
            for (index, observation) in cell.observations.enumerated() {
                guard observation.x.isFinite, observation.w.isFinite, observation.w >= 0 else {
                    throw StatisticsError.invalidObservation(
                        stratum: cell.stratum, unit: cell.unit, index: index, x: observation.x, w: observation.w)
                }
            }
            merged[cell.unit, default: [:]][stratum, default: []].append(contentsOf: cell.observations)
        }
        var units: [String] = []
        var spans: [ClusterLayout.Span] = []
        var spanStart: [Int] = [0]
        var x: [Double] = []
        var w: [Double] = []
        for unit in merged.keys.sorted() {
            let cells = merged[unit] ?? [:]
            for stratum in cells.keys.sorted() {
                let observations = cells[stratum] ?? []
                guard !observations.isEmpty else { continue }
                spans.append(.init(stratum: stratum, start: x.count, count: observations.count))
                x.append(contentsOf: observations.map(\.x))
                w.append(contentsOf: observations.map(\.w))
            }
            guard spans.count > spanStart[spanStart.count - 1] else { continue }
            units.append(unit)
            spanStart.append(spans.count)
        }
        layout = ClusterLayout(
            strata: strata, units: units, spans: spans, spanStart: spanStart, observationCount: x.count)
        self.x = x
        self.w = w
    }

    /// The total weight Σw.
    var totalWeight: Double { w.reduce(0, +) }

    /// The unit-by-stratum sums: `x[u * strata + t]`, `w[u * strata + t]` (zero where the unit has no
    /// cell in stratum t). These are the unit-level values the permutation test relabels.
    func unitStratumSums() -> (x: [Double], w: [Double]) {
        let strataCount = layout.strata.count
        var sumX = [Double](repeating: 0, count: layout.units.count * strataCount)
        var sumW = sumX
        for unit in layout.units.indices {
            for span in layout.spans[layout.spanStart[unit]..<layout.spanStart[unit + 1]] {
                let slot = unit * strataCount + span.stratum
                for i in span.start..<(span.start + span.count) {
                    sumX[slot] += x[i]
                    sumW[slot] += w[i]
                }
            }
        }
        return (sumX, sumW)
    }
}
