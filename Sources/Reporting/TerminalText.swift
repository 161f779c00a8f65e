import AuditAnalysis
import AuditResults
import Foundation
import PromptSets

/// Plain-text renderings for the terminal commands (`tokenize`, `next-token`, `generate`, `score`).
///
/// Model output is printed as-is on a terminal, except control characters and bidirectional overrides,
/// which are shown escaped (``Audit/TextEscaping``) so that a completion cannot move the cursor, change the
/// terminal's colours or reorder the text; completions keep their line breaks.
public enum TerminalText {
    /// A table of token index, id and vocabulary string (Ġ marks a leading space).
    public static func tokenTable(ids: [Int], tokens: [String]) -> String {
        var lines = [ids.count == 1 ? "1 token" : "\(ids.count) tokens", "  #  id      token"]
        for (index, (id, token)) in zip(ids, tokens).enumerated() {
            lines.append("\(pad(String(index), 3)) \(pad(String(id), 7, left: false)) \(TextEscaping.line(token))")
        }
        // A vocabulary is a third party's text: a token `##[error]x` must not read as a CI command (a review).
        return TextEscaping.defusingWorkflowCommands(lines.joined(separator: "\n"))
    }

    /// The most probable next tokens with logits and probabilities.
    public static func nextTokenTable(prompt: String, entries: [(id: Int, token: String, logit: Float, prob: Float)]) -> String {
        var lines = ["next token after \(TextEscaping.quoted(prompt)):", "rank  id      token             logit      prob"]
        for (rank, entry) in entries.enumerated() {
            lines.append(
                "\(pad(String(rank + 1), 4))  \(pad(String(entry.id), 7, left: false)) \(pad(TextEscaping.quoted(entry.token), 16, left: false)) "
                    + "\(pad(ReportNumbers.plain(Double(entry.logit), decimals: 3), 9)) \(pad(ReportNumbers.plain(Double(entry.prob), decimals: 4), 9))")
        }
        return TextEscaping.defusingWorkflowCommands(lines.joined(separator: "\n"))
    }

    /// Each sample as prompt → continuation: the arrow stands exactly where the continuation starts (no
    /// space added, so a leading space of the continuation stays visible); on a terminal the
    /// continuation is also highlighted.
    public static func samples(prompt: String, continuations: [(text: String, stopReason: String)]) -> String {
        let highlight = TerminalCapabilities.supportsEscapes(STDOUT_FILENO)
        return continuations.enumerated().map { index, sample in
            let continuation = TextEscaping.visible(sample.text)
            let body = highlight ? "\(TextEscaping.visible(prompt))→\u{1B}[1;36m\(continuation)\u{1B}[0m" : "\(TextEscaping.visible(prompt))→\(continuation)"
            // Model output on standard output must not read as a CI workflow command (a hostile review).
            return "[\(index + 1)] (\(sample.stopReason.replacingOccurrences(of: "_", with: " ")))\n"
                + TextEscaping.defusingWorkflowCommands(body)
        }.joined(separator: "\n\n")
    }

    /// Sentiment and gendered-word counts of one text.
    public static func scores(_ scores: TextScores) -> String {
        let s = scores.sentiment
        let p = scores.pronouns
        return """
            sentiment  compound \(ReportNumbers.plain(s.compound, decimals: 4, signed: true))  neg \(ReportNumbers.plain(s.negative, decimals: 3))  \
            neu \(ReportNumbers.plain(s.neutral, decimals: 3))  pos \(ReportNumbers.plain(s.positive, decimals: 3))
            pronouns   male \(p.male)  female \(p.female)  neutral \(p.neutral)
            nouns      male \(p.maleTerms)  female \(p.femaleTerms)  → \(p.label.rawValue)
            """
    }


    /// `text` padded with spaces to `width` characters, on the left (numbers) or the right; never cut (Foundation's
    /// `padding(toLength:)` cuts a longer text: a served next-token table showed `-12345.67` for -12345.678 and lost a
    /// long token's closing quote, a hostile review).
    public static func pad(_ text: String, _ width: Int, left: Bool = true) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? padding + text : text + padding
    }
}
