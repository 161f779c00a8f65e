/// Resampling state of a contrast A − B: one `ClusterResampler` per group, each possibly carrying
/// several layers (models) that share its layout.
///
/// A's and B's units are different terms, so the two groups are resampled independently (one after
/// the other from the same generator); layers within a group are resampled jointly (paired).
struct ContrastBootstrap {
    private(set) var a: ClusterResampler
    private(set) var b: ClusterResampler
    /// The units of A plus those of B.
    let unitCount: Int
    /// The observations of one layer of A plus B.
    let observationCount: Int

    /// An engine over groups A and B; each array holds one prepared group per layer, all over the
    /// same strata, and the layers of a group must share its layout.
    init(a: [PreparedGroup], b: [PreparedGroup]) {
        self.a = ClusterResampler(layers: a)
        self.b = ClusterResampler(layers: b)
        unitCount = self.a.layout.units.count + self.b.layout.units.count
        observationCount = self.a.layout.observationCount + self.b.layout.observationCount
    }

    /// Whether an interval can be reported: each group needs at least two units, otherwise the
    /// unit-level variability (stage 1) cannot be estimated and an interval would be too narrow.
    var canResample: Bool {
        a.layout.units.count >= 2 && b.layout.units.count >= 2
    }

    /// Loads the observed sums.
    mutating func loadObserved() {
        a.loadObserved()
        b.loadObserved()
    }

    /// Replaces the sums with one two-stage resample of each group.
    mutating func resample(using rng: inout Xoshiro256StarStar) {
        a.resample(using: &rng)
        b.resample(using: &rng)
    }

    /// The stratified contrast of one layer under the current sums.
    func value(layer: Int = 0) -> StratifiedContrast.Value {
        StratifiedContrast.evaluate(a, b, layer: layer)
    }

    /// Runs `resamples` resamples and returns the percentile interval of `statistic` (nil when too
    /// few resamples were defined). Leaves the sums of the last resample loaded.
    mutating func interval(
        resamples: Int, confidence: Double, rng: inout Xoshiro256StarStar,
        statistic: (ContrastBootstrap) -> Double
    ) -> (lower: Double, upper: Double)? {
        var replicates = PercentileInterval(capacity: resamples)
        for _ in 0..<resamples {
            resample(using: &rng)
            replicates.append(statistic(self))
        }
        return replicates.interval(confidence: confidence)
    }
}
