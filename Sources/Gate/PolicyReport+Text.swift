import AuditResults
import Foundation
import PromptSets

extension PolicyReport {
    /// The terminal summary of a check: one line per rule (PASS / FAIL / WARN when it holds only because
    /// some subjects could not be judged, or it found nothing to check), the failures and warnings
    /// indented under their rule, and a closing verdict line. Strings from the results and the policy
    /// (model ids, set and group names, rule descriptions) are shown through ``TextEscaping/line(_:)``: they cannot break
    /// a line or reach the terminal as control characters; nor can they issue a CI workflow command
    /// (``TextEscaping/defusingWorkflowCommands(_:lineStarts:)``).
    public var text: String {
        var lines = ["policy \(policyPath) on \(resultsPath)" + (strict ? " (strict: warnings fail)" : "")]
        let byRule = outcomesByRule
        for id in ruleIDs {
            let outcomes = byRule[id] ?? []
            let failing = outcomes.filter(isFailing)
            let warned = outcomes.filter { $0.status.isWarning && !isFailing($0) }
            let status = !failing.isEmpty ? "FAIL" : !warned.isEmpty ? "WARN" : "PASS"
            let kind = outcomes.first.map { " (\($0.ruleKind))" } ?? ""
            var counts = "\(ReportNumbers.counted(outcomes.count, "check")), \(outcomes.filter { $0.status == .failed }.count) failed"
            for other in [PolicyOutcome.Status.insufficientData, .cannotFail, .skipped] {
                let count = outcomes.filter { $0.status == other }.count
                // Under --strict a warning fails the rule: say so beside its count (review: "FAIL … 0 failed").
                if count > 0 { counts += ", \(count) \(other.words)" + (strict && other.isWarning ? " (failing under --strict)" : "") }
            }
            lines.append("  \(status)  \(id)\(kind): \(counts)")
            // The rule's own words, where it did not simply pass (review: descriptions were shown nowhere).
            // A folded or literal YAML block (`>`, `|`) ends in a newline and may hold several lines: one line of words here
            // (review: "rule: Sentiment gaps must stay small.\n" with the newline escaped).
            if status != "PASS", let description = ruleDescriptions[id] {
                let words = description.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }.joined(separator: " ")
                lines.append("        rule: \(words)")
            }
            for outcome in failing + warned {
                let mark = isFailing(outcome) ? "" : "warning: "
                lines.append("        \(mark)\(outcome.subject) [\(outcome.model)]: \(outcome.detail)")
            }
        }
        let failedRules = failedRuleIDs.count
        // The rule lines count a warning apart from "failed" (with "failing under --strict"): the total says how many of
        // its failures are such warnings (practitioner's review: three rules of "0 failed" above "6 of 7 checks failed").
        let strictFailures = failures.filter { $0.status.isWarning }.count
        let strictWarningsText = strictFailures == 0 ? ""
            : failures.count == strictFailures
                ? ", every one a warning failing under --strict"
                : ", \(strictFailures) of them warnings failing under --strict"
        let warningsText = warnings.isEmpty ? "" : ", " + ReportNumbers.counted(warnings.count, "warning")
        lines.append(holds
            ? "gate: passed (\(ReportNumbers.counted(outcomes.count, "check")) in "
                + "\(ReportNumbers.counted(ruleIDs.count, "rule"))\(warningsText))"
            : "gate: failed (\(failures.count) of \(ReportNumbers.counted(outcomes.count, "check")) failed in \(failedRules) of "
                + "\(ReportNumbers.counted(ruleIDs.count, "rule"))\(strictWarningsText))")
        // Nor a CI workflow command from a rule's description, a set's or model's name (`##[error]` mid-line: a review).
        return lines.map { TextEscaping.defusingWorkflowCommands(TextEscaping.line($0)) }.joined(separator: "\n")
    }
}
