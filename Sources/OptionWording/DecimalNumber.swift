/// How a numeric option's value is read: decimal notation only (`0.7`, `.5`, `7e-1`, `-1`), as the help and the
/// refusals write numbers, plus the words Swift reads as infinity and NaN, which the options' range checks refuse in
/// their own words. Swift's `Double(_:)` also reads hexadecimal floating point (`0x1p-3`), which a hostile review
/// passed as `--temperature` and `--confidence` (recorded as 0.125 and 0.9375, numbers never typed); the prompt sets and
/// policies refuse it already.
public enum DecimalNumber {
    /// The value of `text` in decimal notation, or nil for any other form (hexadecimal, `1_0`, empty, words other than
    /// `inf`, `infinity` and `nan` with an optional sign).
    public static func read(_ text: String) -> Double? {
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        if ["inf", "infinity", "nan"].contains(unsigned.lowercased()) { return Double(text) }
        var digits = 0, seenPoint = false, seenExponent = false, exponentDigits = 0, previous: Character?
        for character in unsigned {
            switch character {
            case "0"..."9":
                if seenExponent { exponentDigits += 1 } else { digits += 1 }
            case "." where !seenPoint && !seenExponent:
                seenPoint = true
            case "e", "E":
                guard !seenExponent, digits > 0 else { return nil }
                seenExponent = true
            case "+" where previous == "e" || previous == "E", "-" where previous == "e" || previous == "E":
                break
            default:
                return nil
            }
            previous = character
        }
        guard digits > 0, !seenExponent || exponentDigits > 0 else { return nil }
        return Double(text)
    }

    /// Whether `text`, read as `value`, is a number other than 0 too small for a Double (`1e-400` reads as 0): a refusal
    /// then quotes what was typed, not the 0 it became (a hostile review: "--temperature 1e-400" was refused as "found 0").
    public static func underflows(_ text: String, to value: Double) -> Bool {
        guard value == 0 else { return false }
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        return mantissa.contains { ("1"..."9").contains($0) }
    }
}
