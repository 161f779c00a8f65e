import Foundation
import Gate

extension JUnitReport {
    /// The JUnit report of `biasaudit check`: one suite per prompt set, one case per rule × subject
    /// (contrast, model difference or group). Violations are failures carrying the numbers; warnings
    /// ("insufficient data", "cannot fail with this design") are skipped cases whose message starts with
    /// those words, and failures under `--strict`; subjects a rule could not be applied to are skipped. Each suite's
    /// properties name the policy and results files and, where the results record it, the SHA-256 of the completions
    /// they were computed from (`completions_sha256`, as `results.json` names it), which tells which audit was gated.
    /// - Parameters:
    ///   - report: the evaluated policy.
    ///   - timestamp: when the check ran.
    public init(policy report: PolicyReport, timestamp: Date) {
        let suites = report.sets.map { set in
            Suite(
                name: set,
                cases: report.outcomes.filter { $0.set == set }.map { outcome in
                    TestCase(
                        name: outcome.name, className: "biasaudit.check.\(set)",
                        failure: report.isFailing(outcome)
                            ? Failure(
                                message: "\(outcome.subject) [\(outcome.model)]: \(outcome.detail)",
                                type: outcome.status == .failed ? outcome.ruleKind : outcome.status.rawValue,
                                body: Self.body(outcome, report: report))
                            : nil,
                        skipped: outcome.status != .passed && !report.isFailing(outcome) ? outcome.detail : nil)
                },
                properties: [("policy", report.policyPath), ("results", report.resultsPath)]
                    + (report.completionsSHA256.map { [("completions_sha256", $0)] } ?? [])
                    + report.notes.map { ("note", $0) } + report.policyWarnings.map { ("policy_warning", $0) })
        }
        self.init(name: "biasaudit check", suites: suites, timestamp: timestamp)
    }

    private static func body(_ outcome: PolicyOutcome, report: PolicyReport) -> String {
        // A warning is a failure only under --strict: say which it was.
        let status = outcome.status == .failed ? [] : ["status: \(outcome.status.words) (fails the gate under --strict)"]
        return ([
            "rule: \(outcome.ruleID) (\(outcome.ruleKind)) at \(report.policyPath):\(outcome.ruleLocation)",
        ] + (report.ruleDescriptions[outcome.ruleID].map { ["description: \($0)"] } ?? []) + [
            "subject: \(outcome.subject)",
            "model: \(outcome.model)",
            "measured: \(outcome.printedMeasured)",
            "limit: \(outcome.printedLimit)",
        ] + status + [outcome.detail]).joined(separator: "\n")
    }
}
