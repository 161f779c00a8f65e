/// The stratified contrast of two groups from their per-stratum sums.
///
/// Estimand: the mean over shared templates of (A's template estimate − B's template estimate),
/// each template estimate being Σx / Σw of that group's cells in that template. Why this choice:
/// - differences are taken *within* a template, so a template that makes every name sound negative
///   cancels out instead of leaking into the contrast when the groups' cell counts differ;
/// - templates are weighted equally, so the estimand is a property of the prompt set's design (each
///   template is one probe) and does not shift with how many terms or samples each group has;
/// - a template enters only when both groups have weight there (Σw > 0 on both sides); in a
///   resample or a relabelling where one side has lost all its weight, that template is skipped.
/// For one shared stratum (fixed-prompt groups) this is simply the difference of the pooled ratios.
enum StratifiedContrast {
    /// The result for one set of sums: the contrast and the two stratified levels (means over the
    /// used templates of each group's template estimates); all NaN when no template has weight on both sides.
    struct Value {
        var difference: Double
        var levelA: Double
        var levelB: Double
    }

    /// Evaluates the contrast from sums laid out as `x[offset + t]`, `w[offset + t]` for `strata` strata.
    static func evaluate(
        strata: Int, aX: [Double], aW: [Double], aOffset: Int = 0, bX: [Double], bW: [Double], bOffset: Int = 0
    ) -> Value {
        var used = 0
        var totalA = 0.0
        var totalB = 0.0
        for t in 0..<strata {
            let weightA = aW[aOffset + t]
            let weightB = bW[bOffset + t]
            guard weightA > 0, weightB > 0 else { continue }
            totalA += aX[aOffset + t] / weightA
            totalB += bX[bOffset + t] / weightB
            used += 1
        }
        guard used > 0 else { return Value(difference: .nan, levelA: .nan, levelB: .nan) }
        let levelA = totalA / Double(used)
        let levelB = totalB / Double(used)
        return Value(difference: levelA - levelB, levelA: levelA, levelB: levelB)
    }

    /// Evaluates the contrast of one layer of two resamplers over the same strata.
    static func evaluate(_ a: ClusterResampler, _ b: ClusterResampler, layer: Int = 0) -> Value {
        let strata = a.layout.strata.count
        return evaluate(
            strata: strata, aX: a.sumX, aW: a.sumW, aOffset: layer * strata,
            bX: b.sumX, bW: b.sumW, bOffset: layer * strata)
    }

    /// The templates both groups have cells in, sorted.
    static func sharedStrata(_ a: GroupData, _ b: GroupData) -> [String] {
        Array(Set(a.strata).intersection(b.strata)).sorted()
    }
}
