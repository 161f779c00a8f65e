import Audit
import Foundation

/// Plain-text renderings for the terminal commands (`tokenize`, `next-token`, `generate`, `score`).
///
/// Model output is printed as-is on a terminal, except control characters, which are shown escaped
/// so that a completion cannot move the cursor or change the terminal's colours.
public enum TerminalText {
    /// A table of token index, id and vocabulary string (Ġ marks a leading space).
    public static func tokenTable(ids: [Int], tokens: [String]) -> String {
        var lines = ["\(ids.count) tokens", "  #  id      token"]
        for (index, (id, token)) in zip(ids, tokens).enumerated() {
            lines.append("\(pad(String(index), 3)) \(pad(String(id), 7, left: false)) \(visible(token))")
        }
        return lines.joined(separator: "\n")
    }

    /// The most probable next tokens with logits and probabilities.
    public static func nextTokenTable(prompt: String, entries: [(id: Int, token: String, logit: Float, prob: Float)]) -> String {
        var lines = ["next token after \(quoted(prompt)):", "rank  id      token             logit      prob"]
        for (rank, entry) in entries.enumerated() {
            lines.append(
                "\(pad(String(rank + 1), 4))  \(pad(String(entry.id), 7, left: false)) \(pad(quoted(entry.token), 16, left: false)) "
                    + "\(pad(String(format: "%.3f", entry.logit), 9)) \(pad(String(format: "%.4f", entry.prob), 9))")
        }
        return lines.joined(separator: "\n")
    }

    /// Each sample as prompt + continuation; on a terminal the continuation is highlighted.
    public static func samples(prompt: String, continuations: [(text: String, stopReason: String)]) -> String {
        let highlight = isatty(STDOUT_FILENO) == 1
        return continuations.enumerated().map { index, sample in
            let continuation = visible(sample.text)
            let body = highlight ? "\(visible(prompt))\u{1B}[1;36m\(continuation)\u{1B}[0m" : "\(visible(prompt))\(continuation)"
            return "[\(index + 1)] (\(sample.stopReason.replacingOccurrences(of: "_", with: " ")))\n\(body)"
        }.joined(separator: "\n\n")
    }

    /// Sentiment and gendered-word counts of one text.
    public static func scores(_ scores: TextScores) -> String {
        let s = scores.sentiment
        let p = scores.pronouns
        return """
            sentiment  compound \(String(format: "%+.4f", s.compound))  neg \(String(format: "%.3f", s.negative))  \
            neu \(String(format: "%.3f", s.neutral))  pos \(String(format: "%.3f", s.positive))
            pronouns   male \(p.male)  female \(p.female)  neutral \(p.neutral)
            nouns      male \(p.maleTerms)  female \(p.femaleTerms)  → \(p.label.rawValue)
            """
    }

    /// `text` with control characters (other than none) shown as escapes, so output cannot drive the terminal.
    public static func visible(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\n"
            case "\t": result += "\t"
            case _ where scalar.properties.generalCategory == .control:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func quoted(_ text: String) -> String {
        "\"" + visible(text).replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    private static func pad(_ text: String, _ width: Int, left: Bool = true) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? padding + text : text + padding
    }
}
