import Foundation
import PromptSets

extension PolicyReport {
    /// The terminal summary of a check: one line per rule (PASS / FAIL / NONE when it matched nothing), the
    /// failures indented under their rule, and a closing verdict line. Strings from the results and the
    /// policy (model ids, set and group names) are shown through ``TextEscaping/line(_:)``: they cannot
    /// break a line or reach the terminal as control characters.
    public var text: String {
        var lines = ["policy \(policyPath) on \(resultsPath)"]
        for id in ruleIDs {
            let outcomes = self.outcomes.filter { $0.ruleID == id }
            let failed = outcomes.filter { $0.status == .failed }
            let skipped = outcomes.filter { $0.status == .skipped }.count
            let status = outcomes.isEmpty ? "NONE" : failed.isEmpty ? "PASS" : "FAIL"
            let kind = outcomes.first.map { " (\($0.ruleKind))" } ?? ""
            var counts = "\(outcomes.count) checks, \(failed.count) failed"
            if skipped > 0 { counts += ", \(skipped) skipped" }
            lines.append("  \(status)  \(id)\(kind): \(counts)")
            for outcome in failed {
                lines.append("        \(outcome.subject) [\(outcome.model)]: \(outcome.detail)")
            }
        }
        let failedRules = failedRuleIDs.count
        lines.append(holds
            ? "gate: passed (\(outcomes.count) checks in \(ruleIDs.count) rules)"
            : "gate: failed (\(failures.count) of \(outcomes.count) checks failed in \(failedRules) of \(ruleIDs.count) rules)")
        return lines.map(TextEscaping.line).joined(separator: "\n")
    }
}
