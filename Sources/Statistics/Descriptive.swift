/// Descriptive statistics of plain samples.
///
/// Undefined results are NaN (as in numpy): the mean or a quantile of an empty sample, the variance
/// of fewer than two values. A NaN anywhere in the input gives NaN.
public enum Descriptive {
    /// The arithmetic mean; NaN for an empty sample.
    public static func mean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The unbiased sample variance (divisor n − 1, numpy `ddof=1`), by the two-pass formula;
    /// NaN for fewer than two values.
    public static func variance(_ values: [Double]) -> Double {
        guard values.count > 1 else { return .nan }
        let center = mean(values)
        let squares = values.reduce(0) { $0 + ($1 - center) * ($1 - center) }
        return squares / Double(values.count - 1)
    }

    /// The sample standard deviation, `sqrt(variance)` with divisor n − 1; NaN for fewer than two values.
    public static func standardDeviation(_ values: [Double]) -> Double {
        variance(values).squareRoot()
    }

    /// The `probability`-quantile by Hyndman & Fan's type 7, numpy's default (`method="linear"`):
    /// the sorted values are interpolated linearly at the virtual index `(n − 1) · probability`.
    ///
    /// The interpolation follows numpy's `_lerp` (from the upper neighbour when the fraction is ≥ ½),
    /// so results agree with `numpy.quantile` to the last bits. NaN for an empty sample, a NaN value,
    /// or a probability outside [0, 1].
    public static func quantile(_ values: [Double], _ probability: Double) -> Double {
        guard !values.isEmpty, (0...1).contains(probability), !values.contains(where: \.isNaN) else { return .nan }
        return quantile(sorted: values.sorted(), probability)
    }

    /// Several quantiles of one sample, sorting it once (see `quantile(_:_:)`).
    public static func quantiles(_ values: [Double], _ probabilities: [Double]) -> [Double] {
        guard !values.isEmpty, !values.contains(where: \.isNaN) else {
            return probabilities.map { _ in .nan }
        }
        let sorted = values.sorted()
        return probabilities.map { (0...1).contains($0) ? quantile(sorted: sorted, $0) : .nan }
    }

    /// Type-7 quantile of an already sorted, non-empty, NaN-free sample.
    static func quantile(sorted: [Double], _ probability: Double) -> Double {
        let virtualIndex = Double(sorted.count - 1) * probability
        let below = virtualIndex.rounded(.down)
        let lowerIndex = Int(below)
        let upperIndex = min(lowerIndex + 1, sorted.count - 1)
        let fraction = virtualIndex - below
        let a = sorted[lowerIndex]
        let b = sorted[upperIndex]
        let difference = b - a
        return fraction >= 0.5 ? b - difference * (1 - fraction) : a + difference * fraction
    }

    /// The ratio of sums Σx / Σw, the estimator of every group in the audit (a mean when all w = 1,
    /// a share when x and w are counts). NaN when Σw = 0 (no weight: the ratio does not exist).
    public static func ratioOfSums(_ observations: [Observation]) -> Double {
        var sumX = 0.0
        var sumW = 0.0
        for observation in observations {
            sumX += observation.x
            sumW += observation.w
        }
        return sumW > 0 ? sumX / sumW : .nan
    }
}
