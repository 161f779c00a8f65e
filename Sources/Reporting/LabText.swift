import Foundation
import PromptSets

/// Plain-text renderings of the seed notebook's lab steps: named-token probabilities, what the
/// sampling warpers keep (`next-token`), and headings for models or settings side by side (`generate`).
///
/// Model output is escaped as in ``TerminalText`` (control characters and bidirectional overrides
/// shown, never executed).
public enum LabText {
    /// One row of the warped next-token table.
    public struct WarpedRow {
        public var id: Int
        public var token: String
        public var logit: Float
        public var prob: Float
        public var temperatureProb: Float
        public var afterTopKProb: Float
        public var samplingProb: Float
        /// `top_k` or `top_p` when that warper removed the token.
        public var removedBy: String?

        /// Creates a row.
        public init(
            id: Int, token: String, logit: Float, prob: Float, temperatureProb: Float, afterTopKProb: Float,
            samplingProb: Float, removedBy: String?
        ) {
            self.id = id
            self.token = token
            self.logit = logit
            self.prob = prob
            self.temperatureProb = temperatureProb
            self.afterTopKProb = afterTopKProb
            self.samplingProb = samplingProb
            self.removedBy = removedBy
        }
    }

    /// One `--token` of `next-token`.
    public struct NamedRow {
        public var text: String
        public var ids: [Int]
        public var id: Int
        public var token: String
        public var logit: Float
        public var prob: Float
        public var rank: Int
        /// P(the whole text follows), for a text of several tokens.
        public var textProb: Double?
        /// The sampling probability after the warpers, when they were asked for.
        public var samplingProb: Float?
        /// `top_k` or `top_p` when that warper removed the token.
        public var removedBy: String?

        /// Creates a row.
        public init(
            text: String, ids: [Int], id: Int, token: String, logit: Float, prob: Float, rank: Int, textProb: Double?,
            samplingProb: Float?, removedBy: String?
        ) {
            self.text = text
            self.ids = ids
            self.id = id
            self.token = token
            self.logit = logit
            self.prob = prob
            self.rank = rank
            self.textProb = textProb
            self.samplingProb = samplingProb
            self.removedBy = removedBy
        }
    }

    /// The most probable next tokens with, for each, its probability at the temperature, after top-k,
    /// the running sum top-p compares with, and the probability it is sampled with (or what removed it).
    ///
    /// The running sum is printed with 4 decimals, or more where 4 would put it on the wrong side of `topP`
    /// (0.89996 is not 0.9000 when top-p is 0.9: the next token is kept), so that the printed sum never
    /// contradicts what top-p kept or cut.
    /// - Parameter topP: top-p when it is on (below 1), else nil.
    public static func warpedTable(prompt: String, summary: String, topP: Float? = nil, rows: [WarpedRow]) -> String {
        var lines = [
            "next token after \(TextEscaping.quoted(prompt)):", summary,
            "rank  id      token             logit      prob    p(temp)  p(top-k)  cumulative  sampled",
        ]
        // top-p as the flag's decimal (0.9, not 0.899999976), as the warper compares it.
        let threshold = topP.map { Double(String(describing: $0)) ?? Double($0) }
        // Per row, whether the next row that top-k kept was cut by top-p (nil when no such row is shown): the
        // decision the row's running sum must agree with.
        var nextCutByTopP = [Bool?](repeating: nil, count: rows.count)
        var following: Bool?
        for index in rows.indices.reversed() {
            nextCutByTopP[index] = following
            if rows[index].removedBy != "top_k" { following = rows[index].removedBy == "top_p" }
        }
        var cumulative = 0.0
        for (rank, row) in rows.enumerated() {
            cumulative += Double(row.afterTopKProb)
            let shownCumulative: String
            if let threshold {
                // Top-p has been reached when the next token top-k kept is cut; without one in the table,
                // when the sum reaches top-p.
                let reached = nextCutByTopP[rank] ?? (cumulative >= threshold)
                shownCumulative = runningSum(cumulative, reached: reached, topP: threshold)
            } else {
                shownCumulative = number(cumulative, 4)
            }
            let sampled = row.removedBy.map { "cut by " + $0.replacingOccurrences(of: "_", with: "-") }
                ?? number(Double(row.samplingProb), 4)
            lines.append(
                "\(pad(String(rank + 1), 4))  \(pad(String(row.id), 7, left: false)) \(pad(TextEscaping.quoted(row.token), 16, left: false)) "
                    + "\(pad(number(Double(row.logit), 3), 9)) \(pad(number(Double(row.prob), 4), 9)) "
                    + "\(pad(number(Double(row.temperatureProb), 4), 8)) \(pad(number(Double(row.afterTopKProb), 4), 9)) "
                    + "\(pad(shownCumulative, 11))  \(sampled)")
        }
        return lines.joined(separator: "\n")
    }

    /// The `--token` texts: id, logit, probability and rank of each (of its first token when it is
    /// several tokens, which the row says).
    public static func namedTokenTable(_ rows: [NamedRow]) -> String {
        let warped = rows.contains { $0.samplingProb != nil }
        let textWidth = max(16, rows.map { TextEscaping.quoted($0.text).count }.max() ?? 0)
        let tokenWidth = max(16, rows.map { TextEscaping.quoted($0.token).count }.max() ?? 0)
        var lines = [
            "named tokens:",
            pad("text", textWidth, left: false) + "  id      " + pad("token", tokenWidth, left: false)
                + "      logit         prob      rank" + (warped ? "  sampled" : ""),
        ]
        for row in rows {
            var line = "\(pad(TextEscaping.quoted(row.text), textWidth, left: false))  \(pad(String(row.id), 7, left: false)) "
                + "\(pad(TextEscaping.quoted(row.token), tokenWidth, left: false)) \(pad(number(Double(row.logit), 3), 10)) "
                + "\(pad(probability(Double(row.prob)), 12)) \(pad(String(row.rank), 9))"
            if warped {
                line += "  " + (row.removedBy.map { "cut by " + $0.replacingOccurrences(of: "_", with: "-") }
                    ?? probability(Double(row.samplingProb ?? 0)))
            }
            lines.append(line)
            if row.ids.count > 1 {
                lines.append(
                    "    \(TextEscaping.quoted(row.text)) is \(row.ids.count) tokens (\(row.ids.map(String.init).joined(separator: " "))): "
                        + "the row shows its first; P(the whole text next) = \(probability(row.textProb ?? 0))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A heading that names a model or a setting, underlined.
    public static func heading(_ text: String) -> String {
        let line = TextEscaping.line(text)
        return line + "\n" + String(repeating: "─", count: line.count)
    }


    /// `value` with 4 decimals, or with up to 9 when fewer would print it on the other side of `topP` than
    /// `reached` says it is; at 9, rounded toward the side it is on.
    private static func runningSum(_ value: Double, reached: Bool, topP: Double) -> String {
        for decimals in 4...9 {
            let shown = number(value, decimals)
            if let printed = Double(shown), (printed >= topP) == reached { return shown }
        }
        let scale = 1e9
        let rounded = reached ? (value * scale).rounded(.up) / scale : (value * scale).rounded(.down) / scale
        return number(rounded, 9)
    }

    private static func number(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// Six decimals, or three significant digits in scientific notation below 0.001 (P(" she") may be 1e-7).
    private static func probability(_ value: Double) -> String {
        value >= 0.001 || value == 0 ? String(format: "%.6f", value) : String(format: "%.3e", value)
    }

    /// ``TerminalText/pad(_:_:left:)``: padded, never cut.
    private static func pad(_ text: String, _ width: Int, left: Bool = true) -> String {
        TerminalText.pad(text, width, left: left)
    }
}
