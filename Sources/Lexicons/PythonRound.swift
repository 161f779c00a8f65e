import Foundation

/// Python's `round(x, ndigits)` for floats.
///
/// CPython rounds the exact binary value of `x` to `ndigits` decimals (half to even on exact
/// ties, such as 0.0625 → 0.062) and parses that decimal string back into the nearest double.
/// C's `%.*f` conversion does the same correctly rounded, ties-to-even conversion (glibc and
/// Apple's libc both format the exact binary value), and `Double(String)` parses correctly rounded.
enum PythonRound {
    /// The double nearest to `value` rounded to `digits` decimal places, exactly as `round(value, digits)`.
    ///
    /// Formatted by `vsnprintf` into a stack buffer: `String(format:)`, which formats through Foundation, took 4% of
    /// `analyze`'s time (four roundings per completion). The text is the same (a test holds the two equal); a value
    /// whose text does not fit the buffer (beyond about 1e60) takes `String(format:)`.
    static func round(_ value: Double, digits: Int) -> Double {
        guard value.isFinite else { return value }
        let parsed = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 80) { buffer -> Double? in
            let length = withVaList([Int32(digits), value]) { vsnprintf(buffer.baseAddress!, buffer.count, "%.*f", $0) }
            guard length > 0, Int(length) < buffer.count else { return nil }
            return Double(String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(length)), as: UTF8.self))
        }
        return parsed ?? roundByFormat(value, digits: digits)
    }

    /// ``round(_:digits:)`` through `String(format:)`.
    static func roundByFormat(_ value: Double, digits: Int) -> Double {
        guard value.isFinite else { return value }
        let text = String(format: "%.*f", digits, value)
        guard let rounded = Double(text) else {
            preconditionFailure("%.\(digits)f produced the unparsable text \(text) for \(value)")
        }
        return rounded
    }
}
