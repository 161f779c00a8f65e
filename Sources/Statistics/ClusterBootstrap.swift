/// The two-stage cluster bootstrap interval of one group's estimate Σx / Σw.
///
/// Question answered: "how precisely do we know this group's level (mean sentiment, negative rate,
/// male share) given that its terms are a sample of possible terms and its completions a sample of
/// possible completions?" Units (terms) are resampled with replacement, then the completions inside
/// each template cell of each drawn unit (see `ClusterResampler`); Σx / Σw is recomputed on each
/// resample and the interval is the percentile interval: the type-7 quantiles (numpy's default) at
/// (1 − confidence) / 2 and (1 + confidence) / 2 of the resampled estimates. Resampling units, not
/// just completions, keeps the interval honest when one name pulls its completions one way.
///
/// - Parameters:
///   - group: the group's cells.
///   - resamples: the number of bootstrap resamples (default 2000; 0 skips the interval).
///   - confidence: the interval's coverage, in (0, 1) (default 0.95).
///   - seed: the seed; equal inputs and seed give identical results.
/// - Returns: the estimate over all the group's cells, with its interval when one exists (see
///   `Estimate` for when `value` is NaN and when the interval is nil). Resamples whose Σw is 0 are
///   left out of the interval.
/// - Throws: `StatisticsError.invalidObservation` or `.invalidParameter`.
public func bootstrapEstimate(
    _ group: GroupData, resamples: Int = 2000, confidence: Double = 0.95, seed: UInt64
) throws -> Estimate {
    try BootstrapParameters.validate(resamples: resamples, confidence: confidence)
    let prepared = try PreparedGroup(group, strata: group.strata)
    var resampler = ClusterResampler(layers: [prepared])
    resampler.loadObserved()
    let value = resampler.pooledRatio()
    var estimate = Estimate(
        value: value, lower: nil, upper: nil, n: prepared.layout.units.count,
        observations: prepared.layout.observationCount, weight: prepared.totalWeight)
    guard value.isFinite, prepared.layout.units.count >= 2, resamples > 0 else { return estimate }

    var rng = Xoshiro256StarStar(seed: seed, stream: BootstrapParameters.groupStream)
    var replicates = PercentileInterval(capacity: resamples)
    for _ in 0..<resamples {
        resampler.resample(using: &rng)
        replicates.append(resampler.pooledRatio())
    }
    if let interval = replicates.interval(confidence: confidence) {
        estimate.lower = interval.lower
        estimate.upper = interval.upper
    }
    return estimate
}

/// Shared parameter checks and random-stream numbers of the bootstrap functions.
enum BootstrapParameters {
    /// Stream of `bootstrapEstimate`.
    static let groupStream: UInt64 = 1
    /// Stream of the contrast interval.
    static let contrastStream: UInt64 = 2
    /// Stream of the permutation test.
    static let permutationStream: UInt64 = 3
    /// Stream of the model-difference interval.
    static let modelDifferenceStream: UInt64 = 4

    /// - Throws: `StatisticsError.invalidParameter` when `resamples < 0` or `confidence ∉ (0, 1)`.
    static func validate(resamples: Int, confidence: Double) throws {
        guard resamples >= 0 else {
            throw StatisticsError.invalidParameter(
                name: "resamples", value: Double(resamples), requirement: "≥ 0 (0 skips the interval)")
        }
        guard confidence > 0, confidence < 1 else {
            throw StatisticsError.invalidParameter(
                name: "confidence", value: confidence, requirement: "strictly between 0 and 1, e.g. 0.95")
        }
    }
}

/// Collects bootstrap replicates (reserving their storage once) and turns them into a percentile interval.
struct PercentileInterval {
    private var values: [Double]
    private var attempted = 0

    init(capacity: Int) {
        values = []
        values.reserveCapacity(capacity)
    }

    /// Records one replicate; NaN (an undefined resample, Σw = 0) is counted but not kept.
    mutating func append(_ value: Double) {
        attempted += 1
        if !value.isNaN {
            values.append(value)
        }
    }

    /// The type-7 percentile interval of the kept replicates, or nil when fewer than half of the
    /// attempted resamples were defined (too little weight for a meaningful interval).
    func interval(confidence: Double) -> (lower: Double, upper: Double)? {
        guard !values.isEmpty, 2 * values.count >= attempted else { return nil }
        let sorted = values.sorted()
        let tail = (1 - confidence) / 2
        return (Descriptive.quantile(sorted: sorted, tail), Descriptive.quantile(sorted: sorted, 1 - tail))
    }
}
