import AuditResults
import Foundation
import PromptSets

/// The short summary `biasaudit run` prints when it finishes: per prompt set, each group's mean
/// sentiment and male share per model, then its findings (``Findings/ranked(_:)``).
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
                        "\(metric.label) \(format(estimates.estimate(metric)))"
                    }
                    cells.append("\(model): \(parts.joined(separator: ", "))")
                }
                lines.append("  \(group.label): \(cells.joined(separator: " | "))")
            }
            let findings = Findings.ranked(set.contrasts)
            if findings.isEmpty {
                lines.append("  no finding (no contrast has q < \(Findings.threshold) within its model's family of this set)")
            }
            for contrast in findings.prefix(5) {
                lines.append(
                    "  * \(contrast.model): \(contrast.groupA) − \(contrast.groupB), \(contrast.metric.label): "
                        + "\(format(contrast.difference)), q = \(ReportNumbers.significant(contrast.qValue ?? 1))")
            }
        }
        // Set names, axes, group labels and model ids come from outside: one line each, nothing that drives a terminal.
        return lines.map(TextEscaping.line).joined(separator: "\n")
    }

    private static func format(_ estimate: MetricEstimate?) -> String {
        guard let estimate, let value = estimate.value else { return "n/a" }
        if let reason = estimate.insufficient { return reason }
        return ReportNumbers.signedPlainInterval(value, lower: estimate.lower, upper: estimate.upper)
            ?? ReportNumbers.signedPlain(value)
    }
}
