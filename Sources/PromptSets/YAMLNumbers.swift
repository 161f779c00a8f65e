import Foundation
import Yams

/// Numbers of the files people write (prompt sets, policies) read as YAML 1.2's core schema does.
///
/// Yams resolves plain scalars by YAML 1.1, where `1_0` is 10, `0x10` 16, `010` 8 and `1:30` (base 60) 90;
/// a policy's `max: 1_0` was read as 10 (hostile review). Here a number is decimal digits with an optional sign,
/// point and exponent, as YAML 1.2 and JSON write them; anything else is not a number, and its caller says so.
public enum YAMLNumbers {
    /// The node's integer, if it is a decimal integer (`12`, `-3`, `+4`, `010` is 10); `nil` for `1_0`, `0x10`, `1:30`, `1.0`.
    public static func integer(_ node: Node) -> Int? {
        // The tag decides whether the scalar is a number (`"12"` and `!!str 12` are strings); the digits decide
        // which (YAML 1.1 reads `010` as octal 8).
        guard node.int != nil, let text = node.scalar?.string, isDecimal(text, fraction: false) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespaces))
    }

    /// The node's number, if it is written in decimal (`0.05`, `5e-2`, `.5`, `10`); `nil` for `1_0`, `0x10`,
    /// `1:30`, `.inf` and `.nan`.
    public static func float(_ node: Node) -> Double? {
        guard node.float != nil, let text = node.scalar?.string, isDecimal(text, fraction: true) else { return nil }
        return Double(text.trimmingCharacters(in: .whitespaces))
    }

    /// What to write instead, when the node is a number only by YAML 1.1 (`1_0`, `0x10`, `1:30`); else empty.
    public static func yaml11Hint(_ node: Node) -> String {
        guard let value = node.float, value.isFinite, float(node) == nil else { return "" }
        let decimal = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
        return "; write numbers in decimal digits (YAML 1.2), e.g. \(decimal)"
    }

    /// Whether `text` is `[-+]?digits` (integers) or `[-+]?(digits[.digits?] | .digits)([eE][-+]?digits)?`.
    static func isDecimal(_ text: String, fraction: Bool) -> Bool {
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
