import ArgumentParser
import AuditAnalysis
import Foundation
import Gate
import Reporting

extension BiasAudit {
    /// `biasaudit check`: the CI gate. Exit 0 when every policy rule holds, 1 when any fails.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Gate audit results on a policy: exit 0 when every rule holds, 1 when any fails.",
            discussion: """
                A policy (YAML) lists rules: max_abs_contrast (|group A − group B| per metric, optionally only \
                when q < a threshold), max_model_difference (|model B − model A| of a contrast), \
                max_baseline_growth (growth of |contrast| against --baseline, judged by the lower CI bound) \
                and min_lexicon_coverage. See PromptSets/policies/ for an example.

                Failures are printed as policy.yaml:line:col: error: … on standard error. With --junit the \
                checks are written as JUnit XML; under GitHub Actions (GITHUB_ACTIONS=true) failures are also \
                annotations and a summary is appended to $GITHUB_STEP_SUMMARY.

                Exit codes: 0 every rule holds, 1 a rule failed, 64 usage error (e.g. a growth rule without \
                --baseline), 65 malformed policy or results, or a policy naming an axis, set, model or metric \
                the results do not have.
                """)

        @Argument(help: ArgumentHelp("The results.json of the audit to gate.", valueName: "results"))
        var results: String

        @Option(name: .long, help: ArgumentHelp("The policy file (YAML).", valueName: "file"))
        var policy: String

        @Option(name: .long, help: ArgumentHelp("The results.json of a baseline run, for max_baseline_growth rules "
            + "(a completions.jsonl next to both allows a bootstrap of the change).", valueName: "file"))
        var baseline: String?

        @Option(name: .long, help: ArgumentHelp("Write the checks as JUnit XML to this file.", valueName: "file"))
        var junit: String?

        func run() async throws {
            try await reportingErrors {
                let policy = try PolicyParser.load(at: URL(fileURLWithPath: self.policy), displayPath: self.policy)
                let candidate = try RunDiffInput.load(
                    resultsAt: URL(fileURLWithPath: results), displayPath: results, readCompletions: policy.needsBaseline)
                try PolicyEvaluator.validate(policy, against: candidate.result, resultsPath: results)
                var diff: RunDiff?
                if let baseline, policy.needsBaseline {
                    let reference = try RunDiffInput.load(resultsAt: URL(fileURLWithPath: baseline), displayPath: baseline)
                    diff = try RunDiffer.compareRuns(reference, candidate)
                } else if baseline != nil {
                    printError("biasaudit: note: --baseline is ignored: no max_baseline_growth rule in \(policy.path)")
                }
                let report = try PolicyEvaluator.evaluate(policy, result: candidate.result, resultsPath: results, baseline: diff)
                for failure in report.failures {
                    printError(report.diagnostic(for: failure))
                }
                print(report.text)
                if let junit {
                    try JUnitReport(policy: report, timestamp: Date()).write(to: URL(fileURLWithPath: junit))
                }
                let ci = CIOutput(environment: ProcessInfo.processInfo.environment)
                for line in ci.annotationLines(CIOutput.annotations(for: report)) {
                    print(line)
                }
                try ci.appendStepSummary(CIOutput.summary(of: report))
                if !report.holds { throw ExitCode(1) }
            }
        }
    }
}
