/// Errors of the statistics functions: each says what was wrong, where, and what to do.
public enum StatisticsError: Error, Equatable, CustomStringConvertible {
    /// An observation has a non-finite `x`, or a `w` that is negative or non-finite.
    case invalidObservation(stratum: String, unit: String, index: Int, x: Double, w: Double)
    /// A p-value passed to a multiple-comparison correction is outside [0, 1] or NaN.
    case invalidPValue(index: Int, value: Double)
    /// A numeric parameter is out of its range.
    case invalidParameter(name: String, value: Double, requirement: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case let .invalidObservation(stratum, unit, index, x, w):
            return "observation \(index) of cell (template '\(stratum)', unit '\(unit)') is (x: \(x), w: \(w)): "
                + "x must be finite and w finite and ≥ 0; fix or drop the score before computing statistics"
        case let .invalidPValue(index, value):
            return "p-value \(index) is \(value): p-values must lie in [0, 1]; "
                + "leave undefined tests out of the list before correcting"
        case let .invalidParameter(name, value, requirement):
            return "parameter '\(name)' is \(value): it must be \(requirement)"
        }
    }
}
