import Foundation

/// How one report language writes numbers: `0.05` and `12,000` in English, `0,05` and `12 000` in
/// Spanish (RAE: decimal comma, a space between groups of three digits), and the separator between
/// an interval's bounds (`[0.05, 0.19]`, `[0,05; 0,19]`: a comma would be ambiguous after a decimal comma).
public struct NumberStyle: Sendable, Equatable {
    /// Between the integer and the fractional digits.
    public var decimalSeparator: String
    /// Between groups of three integer digits.
    public var groupingSeparator: String
    /// Between the two bounds of an interval.
    public var boundsSeparator: String
    /// After a percentage: `%` in English, a no-break space and `%` in Spanish (RAE).
    public var percentSign: String
    /// After a difference of percentages: ` pp` (percentage points), ` p. p.` (puntos porcentuales).
    public var percentagePoints: String

    /// `0.05`, `12,000`, `[0.05, 0.19]`.
    public static let english = NumberStyle(decimalSeparator: ".", groupingSeparator: ",", boundsSeparator: ", ", percentSign: "%", percentagePoints: " pp")
    /// `0,05`, `12 000` (no-break space), `[0,05; 0,19]`.
    public static let spanish = NumberStyle(decimalSeparator: ",", groupingSeparator: "\u{00A0}", boundsSeparator: "; ", percentSign: "\u{00A0}%",
        percentagePoints: "\u{00A0}p.\u{00A0}p.")
}

/// Number formatting shared by every output: the reports (fixed decimals, a true minus sign (−), explicit
/// signs on differences, the same text in HTML and Markdown, in the language's ``NumberStyle``, English
/// when omitted), and the plain-text outputs (terminal summary, `diff`, `check` messages, ASCII signs).
public enum ReportNumbers {
    /// The minus sign used in reports (U+2212), wider and clearer than a hyphen.
    public static let minus = "−"
    /// What a missing or undefined number prints as.
    public static let missing = "—"

    /// The magnitude of `value` as ``fixed(_:decimals:signed:style:)`` prints it (0.495 at 2 decimals is 0.49: the
    /// binary value lies below the half), for labels that must agree with the printed number.
    public static func printedMagnitude(_ value: Double, decimals: Int) -> Double {
        Double(digits(abs(value), decimals: decimals)) ?? abs(value)
    }

    private static func digits(_ value: Double, decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    /// `value` with `decimals` decimals; `signed` adds `+` to positive values. Never prints "−0.00".
    public static func fixed(_ value: Double, decimals: Int, signed: Bool = false, style: NumberStyle = .english) -> String {
        guard value.isFinite else { return missing }
        let digits = digits(abs(value), decimals: decimals)
        let text = style.decimalSeparator == "." ? digits : digits.replacingOccurrences(of: ".", with: style.decimalSeparator)
        let isZero = digits.allSatisfy { $0 == "0" || $0 == "." }
        if isZero { return text }
        if value < 0 { return minus + text }
        return signed ? "+" + text : text
    }

    /// `value` with `decimals` decimals and its whole part grouped as ``count(_:style:)`` groups a count: `9,205.3`,
    /// Spanish `11 245,9` and `9205,3` (a teacher's review: tokens per second printed `11245,9` beside `24 000`).
    public static func groupedFixed(_ value: Double, decimals: Int, style: NumberStyle = .english) -> String {
        let plain = fixed(value, decimals: decimals, style: style)
        let negative = plain.hasPrefix(minus)
        let parts = plain.dropFirst(negative ? minus.count : 0).components(separatedBy: style.decimalSeparator)
        guard abs(value) < 1e15, let whole = Int(parts[0]) else { return plain }
        return (negative ? minus : "") + ([count(whole, style: style)] + parts.dropFirst()).joined(separator: style.decimalSeparator)
    }

    /// A share as a percentage with one decimal, e.g. `23.4%` (`signed`: percentage points, `+12.0 pp`).
    public static func percent(_ share: Double, signed: Bool = false, style: NumberStyle = .english) -> String {
        signed
            ? fixed(share * 100, decimals: 1, signed: true, style: style) + style.percentagePoints
            : fixed(share * 100, decimals: 1, style: style) + style.percentSign
    }

    /// The levels a p- or q-value is commonly compared with: 1 − the usual confidence levels (0.95, 0.99, 0.9, …).
    /// ``probability(_:style:decidedAt:)`` adds the run's own level.
    public static let significanceLevels: [Double] = [0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2]

    /// A p- or q-value: three decimals, or `< 0.001`; with more decimals (up to 8) where three would put it on the other
    /// side of one of ``significanceLevels`` or of `threshold`, the level its finding or verdict was decided at
    /// (0.049522 prints 0.0495, 0.049996 0.049996; at `--confidence 0.97`, 0.0297 prints 0.0297; one within 10⁻⁸ below a
    /// level `< 0.050`): a finding printed "q = 0.050" under "a finding has q < 0.05" read as a contradiction (a class's
    /// review).
    /// - Parameter threshold: the run's false discovery rate (``RunParameters/findingThreshold``), nil where the value
    ///   decides nothing.
    public static func probability(_ value: Double?, style: NumberStyle = .english, decidedAt threshold: Double? = nil) -> String {
        guard let value, value.isFinite else { return missing }
        if value < 0.001 { return "< " + fixed(0.001, decimals: 3, style: style) }
        // The run's level as it was meant: 1 − 0.97 is 0.030000000000000027 in binary.
        let levels = significanceLevels + (threshold.map { [($0 * 1e12).rounded() / 1e12] } ?? [])
        for decimals in 3...8 {
            let printed = Double(digits(value, decimals: decimals)) ?? value
            if levels.allSatisfy({ (value < $0) == (printed < $0) }) { return fixed(value, decimals: decimals, style: style) }
        }
        // Within 10⁻⁸ of a level that 8 decimals still cross: said as below (or at least) it, with its own decimals.
        let printed = Double(digits(value, decimals: 8)) ?? value
        guard let level = levels.first(where: { (value < $0) != (printed < $0) }) else { return fixed(value, decimals: 8, style: style) }
        let decimals = (3...8).first { Double(digits(level, decimals: $0)) == level } ?? 8
        return (value < level ? "< " : "≥ ") + fixed(level, decimals: decimals, style: style)
    }

    /// `q = 0.012` or `q < 0.001`, for sentences.
    public static func labelled(
        _ label: String, _ value: Double?, style: NumberStyle = .english, decidedAt threshold: Double? = nil
    ) -> String {
        let text = probability(value, style: style, decidedAt: threshold)
        return text.hasPrefix("<") || text.hasPrefix("≥") ? "\(label) \(text)" : "\(label) = \(text)"
    }

    /// An integer with thousands separators: `12,000`.
    public static func count(_ value: Int, style: NumberStyle = .english) -> String {
        let digits = String(abs(value))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        // Spanish groups only numbers of five or more digits (RAE): 1000 but 12 000.
        let separator = style != .english && digits.count <= 4 ? "" : style.groupingSeparator
        return (value < 0 ? minus : "") + groups.joined(separator: separator)
    }

    /// A count and its English noun, plural unless the count is 1: "1 rule", "3 rules" (the gates' outputs, which are
    /// English only; a review: "1 rules" in the step summary).
    public static func counted(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }

    /// A confidence level as a percentage label: `95%`.
    public static func level(_ confidence: Double, style: NumberStyle = .english) -> String {
        let percent = confidence * 100
        let sign = style.percentSign
        return percent == percent.rounded() ? "\(Int(percent))" + sign : fixed(percent, decimals: 1, style: style) + sign
    }

    /// A duration: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`; "—" when negative, not finite or beyond 10^12 s
    /// (no run lasts that long, and whole seconds must fit an Int).
    public static func duration(_ seconds: Double, style: NumberStyle = .english) -> String {
        guard seconds.isFinite, seconds >= 0, seconds <= 1e12 else { return missing }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return fixed(seconds, decimals: 1, style: style) + " s" }
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
    public static func plain(_ value: Double, style: NumberStyle = .english) -> String {
        guard value.isFinite else { return missing }
        var text = String(format: "%.4f", abs(value))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        if style.decimalSeparator != "." { text = text.replacingOccurrences(of: ".", with: style.decimalSeparator) }
        return (value < 0 && text != "0" ? minus : "") + text
    }

    /// A number for the plain-text outputs: ASCII minus, `decimals` decimals, `+` on positive values when
    /// `signed` (`%+.3f`).
    public static func plain(_ value: Double, decimals: Int, signed: Bool = false) -> String {
        String(format: signed ? "%+.\(decimals)f" : "%.\(decimals)f", value)
    }

    /// A signed number for the plain-text outputs (terminal summary, `diff`): ASCII sign and `decimals`
    /// decimals, rounded as ``fixed(_:decimals:signed:style:)`` rounds the reports' numbers (printf's, on the exact
    /// binary value: 0.0625 is `+0.062`, as the report's 6.2 pp; rounding halves away from zero printed `+0.063`,
    /// practitioner's review); with `percentagePoints` (a rate or share, `decimals` 3) the digits are those of its
    /// percentage points with one decimal, as the report prints them (0.0425: `+0.042`, the report's 4.2 pp). A value
    /// that rounds to zero prints as `+0.000`, never `-0.000`.
    public static func signedPlain(_ value: Double, decimals: Int = 3, percentagePoints: Bool = false) -> String {
        guard value.isFinite else { return plain(value, decimals: decimals, signed: true) }
        let magnitude = percentagePoints && decimals == 3
            ? (Double(String(format: "%.1f", abs(value) * 100)) ?? abs(value) * 100) / 100 : abs(value)
        let digits = String(format: "%.\(decimals)f", magnitude)
        return (value < 0 && !digits.allSatisfy { $0 == "0" || $0 == "." } ? "-" : "+") + digits
    }

    /// `+0.123 [-0.010, +0.250]` with ``signedPlain(_:decimals:percentagePoints:)``; `nil` when a bound is missing.
    public static func signedPlainInterval(
        _ value: Double, lower: Double?, upper: Double?, percentagePoints: Bool = false
    ) -> String? {
        guard let lower, let upper else { return nil }
        let text = { (x: Double) in signedPlain(x, percentagePoints: percentagePoints) }
        return "\(text(value)) [\(text(lower)), \(text(upper))]"
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
