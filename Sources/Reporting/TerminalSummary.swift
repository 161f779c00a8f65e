import AuditResults
import Foundation
import PromptSets

/// The short summary `biasaudit run` prints when it finishes: per prompt set, each group's mean
/// sentiment and male share per model, then its findings (``Findings/ranked(_:)``; the first
/// ``shownFindings``, and how many more).
public enum TerminalSummary {
    /// Renders the summary as plain text.
    public static func render(_ result: AuditResult) -> String {
        var lines: [String] = []
        let models = result.manifest.models.map(\.id)
        for set in result.promptSets {
            lines.append("")
            lines.append("\(set.name) (\(set.axis))")
            let columns = [AuditMetric.sentiment, .maleShare].filter(set.metrics.contains)
            for group in set.groups {
                var cells: [String] = []
                for model in models {
                    guard let estimates = set.groupEstimates.first(where: { $0.model == model && $0.group == group.id })
                    else { continue }
                    let parts = columns.map { metric in
                        "\(metric.label) \(format(estimates.estimate(metric), metric: metric, difference: false))"
                    }
                    cells.append("\(model): \(parts.joined(separator: ", "))")
                }
                lines.append("  \(group.label): \(cells.joined(separator: " | "))")
            }
            let findings = Findings.ranked(set.contrasts)
            if findings.isEmpty {
                lines.append("  no finding (no contrast has q < \(Findings.threshold) within its model's family of this set)")
            }
            func label(_ group: String) -> String { set.groups.first { $0.id == group }?.label ?? group }
            for contrast in findings.prefix(shownFindings) {
                lines.append(
                    "  * \(contrast.model): \(label(contrast.groupA)) − \(label(contrast.groupB)), \(contrast.metric.label): "
                        + "\(format(contrast.difference, metric: contrast.metric, difference: true)), "
                        + "q = \(ReportNumbers.significant(contrast.qValue ?? 1))")
            }
            if findings.count > shownFindings {
                lines.append("  … and \(findings.count - shownFindings) more (\(findings.count) findings in all; results.json lists every one)")
            }
        }
        // Set names, axes, group labels and model ids come from outside: one line each, nothing that drives a terminal.
        return lines.map(TextEscaping.line).joined(separator: "\n")
    }

    /// The findings listed per set; the rest are counted.
    public static let shownFindings = 5

    /// A level or difference with its interval in the reports' units (`23.4% [18.0, 29.1]`, `−12.0 pp [−20.1, −3.9]`),
    /// or the reason it has none (an estimate below its minimum support).
    private static func format(_ estimate: MetricEstimate?, metric: AuditMetric, difference: Bool) -> String {
        guard let estimate else { return "n/a" }
        if let reason = estimate.insufficient { return reason }
        guard let value = estimate.value else { return "n/a" }
        let presentation = MetricPresentation(metric, words: .english)
        let number = difference ? presentation.difference(value) : presentation.level(value)
        return number + " " + presentation.interval(estimate, signed: difference || metric == .heSheLogOdds)
    }
}
