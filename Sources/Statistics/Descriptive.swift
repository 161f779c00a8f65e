/// Descriptive statistics of plain samples.
///
/// Undefined results are NaN (as in numpy): the mean of an empty sample. A NaN anywhere in the input
/// gives NaN.
public enum Descriptive {
    /// The arithmetic mean; NaN for an empty sample.
    public static func mean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        return values.reduce(0, +) / Double(values.count)
    }
}
