import Foundation
import Yams

/// Numbers of the files people write (prompt sets, policies): decimal only.
///
/// Yams resolves plain scalars by YAML 1.1, where `1_0` is 10, `0x10` 16, `010` 8 and `1:30` (base 60) 90;
/// a policy's `max: 1_0` was read as 10 (hostile review). Here a number is decimal digits with an optional sign,
/// point and exponent, as JSON writes them (YAML 1.2's decimal forms; its `0x…` and `0o…` are refused too); anything
/// else is not a number, and its caller says so.
public enum YAMLNumbers {
    /// The node's integer, if it is a decimal integer (`12`, `-3`, `+4`, `010` and `09` are 10 and 9); `nil` for
    /// `1_0`, `0x10`, `1:30`, `1.0`, strings (`"12"`, `!!str 12`) and other tags (`!!bool 12`, `!foo 12`).
    public static func integer(_ node: Node) -> Int? {
        guard let text = numericText(node), isDecimal(text, fraction: false) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespaces))
    }

    /// The node's number, if it is written in decimal (`0.05`, `5e-2`, `.5`, `10`); `nil` for `1_0`, `0x10`,
    /// `1:30`, `.inf`, `.nan`, strings (`"0.5"`, `!!str 0.5`), other tags (`!!bool 0.5`, `!foo 0.5`) and a `!!int`
    /// that is not a whole number (`!!int 0.5`).
    public static func float(_ node: Node) -> Double? {
        guard let text = numericText(node), isDecimal(text, fraction: YAMLTags.written(on: node) != "!!int") else {
            return nil
        }
        return Double(text.trimmingCharacters(in: .whitespaces))
    }

    /// For a decimal too small for a 64-bit float (`1e-400`), which `float` reads as 0 though no one wrote 0: what to
    /// say ("too small for a 64-bit float, which reads it as 0; write 0, or a larger number"); else `nil`. A hostile
    /// review: a policy's `max: 1e-400` made every check fail; a term's `women_share: 1e-400` was read as 0.
    public static func underflow(_ node: Node) -> String? {
        guard let value = float(node), value == 0, let text = numericText(node) else { return nil }
        let mantissa = text.split { $0 == "e" || $0 == "E" }.first ?? ""
        guard mantissa.contains(where: { $0 >= "1" && $0 <= "9" }) else { return nil }
        return "too small for a 64-bit float, which reads it as 0; write 0, or a larger number"
    }

    /// The scalar's text when YAML makes it a number candidate: a plain scalar without a tag, or one tagged `!!int` or
    /// `!!float`, quoted or not (`!!int "10"`, a hostile review: refused). The digits then decide, not Yams' YAML 1.1
    /// resolution (`010` is ten, not octal eight; `09` nine); `!!str 10` is a string (a hostile review: it was read as ten
    /// samples), and any other tag (`!!bool`, `!!timestamp`, `!foo`, YAML's `!`) no number either (they were read by
    /// their digits).
    private static func numericText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        switch YAMLTags.written(on: node) {
        case nil: return scalar.style == .plain ? scalar.string : nil
        case "!!int", "!!float": return scalar.string
        default: return nil
        }
    }

    /// What to write instead: for a number in another notation (`1_0`, `0x10`, `1:30`), its decimal; for a quoted
    /// decimal (`"10"`), the same without quotes; else empty.
    public static func hint(_ node: Node) -> String {
        guard case .scalar(let scalar) = node else { return "" }
        // A tag first: `"10"` tagged `!foo` was told to drop its quotes, and then its tag.
        if let problem = YAMLTags.problem(node, expected: .number) { return problem }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        if YAMLTags.written(on: node) == "!!int", isDecimal(text, fraction: true), !isDecimal(text, fraction: false) {
            return ", which is tagged !!int but is no whole number; remove the tag or write a whole number"
        }
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            // Only a number a double holds: unquoted, `1e400` would be out of range (a code review).
            return isDecimal(text, fraction: true) && (Double(text)?.isFinite ?? false)
                ? "; write it without quotes (\(TextEscaping.excerpt(text)))" : ""
        }
        // YAML's `.inf` and `.nan` are numbers to YAML, but no limit or count: say so (a review: "must be a number,
        // found '.inf'" read as if `.inf` were no number at all).
        if scalar.tag.rawValue != Tag.Name.str.rawValue, let value = node.float, !value.isFinite, float(node) == nil {
            return "; give a finite number in decimal digits"
        }
        // YAML 1.2's octal `0o17`, which Yams does not read as a number (a practitioner's review: no hint, where `0x1`
        // had one).
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.dropFirst()) : text
        if scalar.tag.rawValue != Tag.Name.str.rawValue, unsigned.hasPrefix("0o"), let octal = Int(unsigned.dropFirst(2), radix: 8),
            octal < 1 << 50 {
            return "; write numbers in decimal digits, e.g. \(text.hasPrefix("-") ? "-" : "")\(octal)"
        }
        // A string by its tag (`!!str 10`) is not a notation to correct.
        guard scalar.tag.rawValue != Tag.Name.str.rawValue, let value = node.float, value.isFinite, float(node) == nil
        else { return "" }
        // No example for a value no field takes (a hostile review: "e.g. 9.223372036854776e+18").
        guard value.magnitude < 1e15 else { return "; write numbers in decimal digits" }
        let decimal = value == value.rounded() ? String(Int(value)) : "\(value)"
        return "; write numbers in decimal digits, e.g. \(decimal)"
    }

    /// Whether `text` is `[-+]?digits` (integers) or `[-+]?(digits[.digits?] | .digits)([eE][-+]?digits)?`.
    public static func isDecimal(_ text: String, fraction: Bool) -> Bool {
        var bytes = Substring(text.trimmingCharacters(in: .whitespaces)).utf8[...]
        func digits() -> Int {
            let count = bytes.prefix(while: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }).count
            bytes = bytes.dropFirst(count)
            return count
        }
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var mantissa = digits()
        if fraction, bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if fraction, let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
