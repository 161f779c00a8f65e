/// How the values a numeric command-line option takes are written: "between 1 and 10000". One phrase for an option's
/// help, for the refusal of a value outside it ("--samples must be between 1 and 10000, found 0") and for the refusal of
/// a value that is no number ("give a whole number between 1 and 10000"), built here from the range the check applies,
/// so that the three cannot drift apart. A review found "between X and Y", "at least X and at most Y", "from X to Y",
/// "(X to Y)", "(X–Y)" and "must lie between X and Y" side by side, one wording per option.
///
/// In a target of its own, with no dependencies, rather than in the executable because `Generation`'s `SamplingError`
/// words the sampling options' refusals (a review: it sat in `InputFiles`, file reading, and gave `Generation` a
/// dependency on it for this alone).
public enum AcceptedRange {
    /// "between 1 and 10000". `bound` writes each end; by default as Swift prints it, digits ungrouped, so that it can be
    /// typed back.
    public static func between<T: BinaryInteger>(_ range: ClosedRange<T>, bound: (T) -> String = { "\($0)" }) -> String {
        "between \(bound(range.lowerBound)) and \(bound(range.upperBound))"
    }

    /// "between 0.5 and 0.999", each bound as ``written(_:)`` writes it ("between 0 and 1", not "0.0 and 1.0").
    public static func between(_ range: ClosedRange<Double>) -> String {
        "between \(written(range.lowerBound)) and \(written(range.upperBound))"
    }

    /// A bound as the help writes it: a whole number without ".0" (1, not 1.0), any other as Swift prints it.
    public static func written(_ bound: Double) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : "\(bound)"
    }
}
