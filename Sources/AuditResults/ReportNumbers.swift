import Foundation

/// Number formatting shared by every output: the reports (fixed decimals, a true minus sign (−), explicit
/// signs on differences, the same text in HTML and Markdown), and the plain-text outputs (terminal
/// summary, `diff`, `check` messages, ASCII signs). Locale-independent.
public enum ReportNumbers {
    /// The minus sign used in reports (U+2212), wider and clearer than a hyphen.
    public static let minus = "−"
    /// What a missing or undefined number prints as.
    public static let missing = "—"

    /// `value` with `decimals` decimals; `signed` adds `+` to positive values. Never prints "−0.00".
    public static func fixed(_ value: Double, decimals: Int, signed: Bool = false) -> String {
        guard value.isFinite else { return missing }
        let text = String(format: "%.\(decimals)f", abs(value))
        let isZero = text.allSatisfy { $0 == "0" || $0 == "." }
        if isZero { return text }
        if value < 0 { return minus + text }
        return signed ? "+" + text : text
    }

    /// A share as a percentage with one decimal, e.g. `23.4%` (`signed`: percentage points, `+12.0 pp`).
    public static func percent(_ share: Double, signed: Bool = false) -> String {
        signed ? fixed(share * 100, decimals: 1, signed: true) + " pp" : fixed(share * 100, decimals: 1) + "%"
    }

    /// A p- or q-value: three decimals, or `< 0.001`.
    public static func probability(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return value < 0.001 ? "< 0.001" : String(format: "%.3f", value)
    }

    /// `q = 0.012` or `q < 0.001`, for sentences.
    public static func labelled(_ label: String, _ value: Double?) -> String {
        let text = probability(value)
        return text.hasPrefix("<") ? "\(label) \(text)" : "\(label) = \(text)"
    }

    /// An integer with thousands separators: `12,000`.
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? minus : "") + groups.joined(separator: ",")
    }

    /// A confidence level as a percentage label: `95%`.
    public static func level(_ confidence: Double) -> String {
        let percent = confidence * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : fixed(percent, decimals: 1) + "%"
    }

    /// A duration: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return missing }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return fixed(seconds, decimals: 1) + " s" }
        let total = Int(seconds.rounded())
        if total < 3600 { return String(format: "%d min %02d s", total / 60, total % 60) }
        return String(format: "%d h %02d min", total / 3600, (total % 3600) / 60)
    }

    /// An ISO 8601 timestamp as `2025-06-01 14:03 UTC`; the input unchanged when it does not parse.
    public static func timestamp(_ iso: String) -> String {
        guard let date = parseDate(iso) else { return iso }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// Parses ISO 8601 with or without fractional seconds.
    public static func parseDate(_ iso: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: iso) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: iso)
    }

    /// The first 12 hexadecimal digits of a digest, for tables (the full value goes in a tooltip).
    public static func shortDigest(_ digest: String) -> String {
        String(digest.prefix(12))
    }
}

extension ReportNumbers {
    /// A parameter value with up to four decimals and no trailing zeros: `0.7`, `50`, `−0.05`.
    public static func plain(_ value: Double) -> String {
        guard value.isFinite else { return missing }
        var text = String(format: "%.4f", abs(value))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return (value < 0 && text != "0" ? minus : "") + text
    }
}

extension ReportNumbers {
    /// A number for the plain-text outputs: ASCII minus, `decimals` decimals, `+` on positive values when
    /// `signed` (`%+.3f`).
    public static func plain(_ value: Double, decimals: Int, signed: Bool = false) -> String {
        String(format: signed ? "%+.\(decimals)f" : "%.\(decimals)f", value)
    }

    /// A signed number for the plain-text outputs (terminal summary, `diff`): ASCII sign and `decimals`
    /// decimals; a value that rounds to zero prints as `+0.000`, never `-0.000`.
    public static func signedPlain(_ value: Double, decimals: Int = 3) -> String {
        let scale = pow(10, Double(decimals))
        let rounded = (value * scale).rounded() / scale
        return plain(rounded == 0 ? 0 : rounded, decimals: decimals, signed: true)
    }

    /// `+0.123 [-0.010, +0.250]` with ``signedPlain(_:decimals:)``; `nil` when a bound is missing.
    public static func signedPlainInterval(_ value: Double, lower: Double?, upper: Double?) -> String? {
        guard let lower, let upper else { return nil }
        return "\(signedPlain(value)) [\(signedPlain(lower)), \(signedPlain(upper))]"
    }

    /// `digits` significant digits (`%g`): `0.0123`, `1.2e-05`, `95`.
    public static func significant(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)g", value)
    }

    /// A measured value or limit in `check` messages: four decimals, or scientific (`1.20e-05`) for
    /// non-zero values below 10⁻⁴ in magnitude.
    public static func policy(_ value: Double) -> String {
        value != 0 && abs(value) < 1e-4 ? String(format: "%.2e", value) : plain(value, decimals: 4)
    }
}
