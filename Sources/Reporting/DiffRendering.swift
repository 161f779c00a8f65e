import AuditAnalysis
import AuditResults
import Foundation
import PromptSets

/// The output formats of `biasaudit diff`.
public enum DiffFormat: String, Sendable, CaseIterable {
    /// An aligned table for the terminal (the default on standard output).
    case text
    /// A Markdown document.
    case md
    /// The ``Audit/RunDiff`` value as JSON (snake_case keys).
    case json
    /// A standalone HTML page.
    case html
}

/// Renders a ``Audit/RunDiff`` in every ``DiffFormat``. Pure functions of the value.
public enum DiffRendering {
    /// The diff in `format`, as bytes to print or write.
    /// - Parameters:
    ///   - diff: the diff.
    ///   - format: the format.
    ///   - color: whether the text table may use ANSI colours (only for ``DiffFormat/text``).
    public static func render(_ diff: RunDiff, as format: DiffFormat, color: Bool = false) throws -> Data {
        switch format {
        case .text: Data(text(diff, color: color).utf8)
        case .md: Data(markdown(diff).utf8)
        case .json: try AuditJSON.encoder().encode(diff) + Data("\n".utf8)
        case .html: Data(html(diff).utf8)
        }
    }

    /// An aligned table per prompt set, verdict counts first and notes last. Strings from the results (paths,
    /// model ids, set and group names) are shown through ``Audit/TextEscaping/line(_:)``.
    public static func text(_ diff: RunDiff, color: Bool) -> String {
        var lines = [TextEscaping.line(title(diff)), summary(diff), ""]
        let showModels = Set(diff.entries.map { "\($0.modelA)→\($0.modelB)" }).count > 1
        for set in sets(diff) {
            let entries = diff.entries.filter { $0.set == set }
            lines.append(TextEscaping.line("\(set) (\(entries.first?.axis ?? ""))"))
            var rows = [["contrast"] + (showModels ? ["models"] : [])
                + ["A [\(level(diff)) CI]", "B [\(level(diff)) CI]", "B − A [\(level(diff)) CI]", "|B| − |A|", "q",
                   "verdict", "interval"]]
            for entry in entries {
                rows.append(([contrastLabel(entry)] + (showModels ? ["\(entry.modelA) → \(entry.modelB)"] : [])
                    + [side(entry.contrastA, entry.valueA), side(entry.contrastB, entry.valueB), interval(entry.change),
                       number(entry.growth),
                       probability(entry.qValue), verdictLabel(entry), entry.method.label]).map(TextEscaping.line))
            }
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for (index, row) in rows.enumerated() {
                let cells = row.enumerated().map { column, text in
                    let padded = text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    guard color, index > 0, column == row.count - 2 else { return padded }
                    return colored(padded, entries[index - 1].verdict)
                }
                lines.append("  " + cells.joined(separator: "  ").trimmingTrailingSpaces())
            }
            lines.append("")
        }
        lines += notes(diff).map { "note: \(TextEscaping.line($0))" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown document: one table per prompt set, then the notes. Strings from the results are escaped as
    /// in the report's Markdown (``ReportEscaping/markdownInline(_:)``), since the document may be posted to
    /// a pull request or a GitHub step summary.
    public static func markdown(_ diff: RunDiff) -> String {
        var lines = ["# \(mdEscape(title(diff)))", "", mdEscape(summary(diff)), ""]
        for set in sets(diff) {
            let entries = diff.entries.filter { $0.set == set }
            lines += ["## \(mdEscape(set)) (\(mdEscape(entries.first?.axis ?? "")))", "",
                      "| contrast | models | A [\(level(diff)) CI] | B [\(level(diff)) CI] | B − A [\(level(diff)) CI] | "
                          + "\\|B\\| − \\|A\\| | q | verdict | interval |",
                      "|---|---|---:|---:|---|---:|---:|---|---|"]
            for entry in entries {
                lines.append("| \(mdEscape(contrastLabel(entry))) | \(mdEscape("\(entry.modelA) → \(entry.modelB)")) | "
                    + "\(side(entry.contrastA, entry.valueA)) | \(side(entry.contrastB, entry.valueB)) | \(interval(entry.change)) | "
                    + "\(number(entry.growth)) | \(probability(entry.qValue)) | \(verdictLabel(entry)) | \(entry.method.label) |")
            }
            lines.append("")
        }
        let allNotes = notes(diff)
        if !allNotes.isEmpty {
            lines += ["## Notes", ""] + allNotes.map { "- \(mdEscape($0))" } + [""]
        }
        return lines.joined(separator: "\n")
    }

    /// A standalone HTML page with the same tables as ``markdown(_:)``; every text is escaped
    /// (``ReportEscaping/xml(_:)``).
    public static func html(_ diff: RunDiff) -> String {
        var body = ["<h1>\(htmlEscape(title(diff)))</h1>", "<p>\(htmlEscape(summary(diff)))</p>"]
        for set in sets(diff) {
            let entries = diff.entries.filter { $0.set == set }
            body.append("<h2>\(htmlEscape(set)) <small>(\(htmlEscape(entries.first?.axis ?? "")))</small></h2>")
            body.append("<table><thead><tr><th>contrast</th><th>models</th><th>A [\(level(diff)) CI]</th>"
                + "<th>B [\(level(diff)) CI]</th>"
                + "<th>B − A [\(level(diff)) CI]</th><th>|B| − |A|</th><th>q</th><th>verdict</th><th>interval</th></tr></thead><tbody>")
            for entry in entries {
                let cells = [contrastLabel(entry), "\(entry.modelA) → \(entry.modelB)", side(entry.contrastA, entry.valueA),
                             side(entry.contrastB, entry.valueB), interval(entry.change), number(entry.growth),
                             probability(entry.qValue)]
                body.append("<tr>" + cells.map { "<td>\(htmlEscape($0))</td>" }.joined()
                    + "<td class=\"\(entry.verdict.rawValue)\">\(htmlEscape(verdictLabel(entry)))</td>"
                    + "<td>\(htmlEscape(entry.method.label))</td></tr>")
            }
            body.append("</tbody></table>")
        }
        let allNotes = notes(diff)
        if !allNotes.isEmpty {
            body.append("<h2>Notes</h2><ul>" + allNotes.map { "<li>\(htmlEscape($0))</li>" }.joined() + "</ul>")
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(htmlEscape(title(diff)))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin-bottom: 1.5em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; font-variant-numeric: tabular-nums; }
            .more_biased { color: #b00020; font-weight: bold; } .less_biased { color: #1b7a1b; }
            </style></head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }

    // MARK: - Pieces

    private static func title(_ diff: RunDiff) -> String {
        "biasaudit diff: A = \(diff.a.path) (\(unique(diff.a.models))), B = \(diff.b.path) (\(unique(diff.b.models)))"
    }

    private static func summary(_ diff: RunDiff) -> String {
        "\(diff.entries.count) contrasts compared at \(level(diff)) confidence: "
            + ComparisonVerdict.allCases.map { "\(diff.count($0)) \($0.words)" }.joined(separator: ", ")
            + "; \(diff.entries.filter(\.signReversed).count) with the direction reversed."
    }

    private static func notes(_ diff: RunDiff) -> [String] {
        var notes = diff.notes
        notes.append("Verdicts: more (less) biased when |B| > |A| (|B| < |A|) holds in a joint test of B − A and B + A "
            + "that counts both sides' uncertainty, with Benjamini–Hochberg q < \(ReportNumbers.plain(Findings.threshold)) "
            + "over the compared contrasts; direction reversed when A's and B's intervals exclude 0 on opposite sides.")
        if !diff.onlyInA.isEmpty { notes.append("Only in A (not compared): \(diff.onlyInA.joined(separator: ", ")).") }
        if !diff.onlyInB.isEmpty { notes.append("Only in B (not compared): \(diff.onlyInB.joined(separator: ", ")).") }
        return notes
    }

    private static func sets(_ diff: RunDiff) -> [String] {
        diff.entries.map(\.set).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    private static func unique(_ models: [String]) -> String {
        models.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: ", ")
    }

    private static func level(_ diff: RunDiff) -> String {
        "\(String(format: "%g", diff.confidenceLevel * 100))%"
    }

    private static func contrastLabel(_ entry: RunDiffEntry) -> String {
        "\(entry.metric.rawValue) \(entry.groupA)-vs-\(entry.groupB)"
    }

    private static func verdictLabel(_ entry: RunDiffEntry) -> String {
        entry.verdict.words + (entry.signReversed ? ", direction reversed" : "")
    }

    /// Three decimals with a sign; values that round to zero print as +0.000 (never −0.000).
    private static func number(_ value: Double?) -> String {
        guard let value else { return "–" }
        let rounded = (value * 1000).rounded() / 1000
        return String(format: "%+.3f", rounded == 0 ? 0 : rounded)
    }

    /// A q-value with three decimals, "<0.001" below that, "–" when untested.
    private static func probability(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value < 0.001 ? "<0.001" : String(format: "%.3f", value)
    }

    /// One side's contrast with its own interval (what "direction reversed" is read from), or its value alone
    /// when the results hold no interval for it; an insufficient side says so instead of printing a number.
    private static func side(_ estimate: MetricEstimate?, _ value: Double?) -> String {
        guard let estimate else { return number(value) }
        if estimate.insufficient != nil { return "insufficient data" }
        return interval(estimate)
    }

    private static func interval(_ interval: MetricEstimate) -> String {
        guard let value = interval.value else { return "–" }
        guard let lower = interval.lower, let upper = interval.upper else { return "\(number(value)) (no CI)" }
        return "\(number(value)) [\(number(lower)), \(number(upper))]"
    }

    private static func colored(_ text: String, _ verdict: ComparisonVerdict) -> String {
        switch verdict {
        case .moreBiased: "\u{1B}[1;31m\(text)\u{1B}[0m"
        case .lessBiased: "\u{1B}[32m\(text)\u{1B}[0m"
        case .noDetectableChange, .undetermined, .insufficientData: text
        }
    }

    /// Untrusted text as inert Markdown inline text: the report's escaping (``ReportEscaping/markdownInline(_:)``).
    private static func mdEscape(_ text: String) -> String {
        ReportEscaping.markdownInline(text)
    }

    /// Untrusted text as HTML character data: the report's escaping (``ReportEscaping/xml(_:)``).
    private static func htmlEscape(_ text: String) -> String {
        ReportEscaping.xml(text)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
