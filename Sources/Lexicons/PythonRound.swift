import Foundation

/// Python's `round(x, ndigits)` for floats.
///
/// CPython rounds the exact binary value of `x` to `ndigits` decimals (half to even on exact
/// ties, such as 0.0625 → 0.062) and parses that decimal string back into the nearest double.
/// C's `%.*f` conversion does the same correctly rounded, ties-to-even conversion (glibc and
/// Apple's libc both format the exact binary value), and `Double(String)` parses correctly rounded.
enum PythonRound {
    /// The double nearest to `value` rounded to `digits` decimal places, exactly as `round(value, digits)`.
    static func round(_ value: Double, digits: Int) -> Double {
        guard value.isFinite else { return value }
        let text = String(format: "%.*f", digits, value)
        guard let rounded = Double(text) else {
            preconditionFailure("%.\(digits)f produced the unparsable text \(text) for \(value)")
        }
        return rounded
    }
}
