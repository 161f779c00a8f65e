import AuditResults
import CommandSupport
import Foundation
import Gate
import PromptSets
import Reporting
import TestSupport
import XCTest

final class CIOutputTests: XCTestCase {
    private let github = ["GITHUB_ACTIONS": "true"]

    func testNothingIsProducedOutsideGitHubActions() throws {
        let directory = try Fixtures.temporaryDirectory("gate-ci")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("summary.md")
        for environment in [[:], ["GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": summary.path],
                            ["CI": "true", "GITHUB_STEP_SUMMARY": summary.path]] {
            let output = CIOutput(environment: environment)
            XCTAssertFalse(output.isGitHubActions)
            XCTAssertEqual(output.annotationLines(CIOutput.annotations(for: GateSamples.report)), [], "\(environment)")
            XCTAssertFalse(try output.appendStepSummary("## summary"), "\(environment)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: summary.path))
    }

    func testCheckFailuresBecomeErrorAnnotationsAtTheRule() {
        let lines = CIOutput(environment: github).annotationLines(CIOutput.annotations(for: GateSamples.report))
        XCTAssertEqual(lines, [
            "::error file=policy.yaml,line=3,col=5,title=biasaudit check%3A race::regard-race/sentiment/black-vs-white [gpt2]: "
                + "|A − B| = 0.2500 > 0.2000 (q = 0.0010)",
        ])
    }

    func testWorkflowCommandEscaping() {
        let annotation = CIAnnotation(
            level: .warning, title: "a: b, c", message: "100% sure\r\nsecond line", file: "dir/a,b:c.yaml", line: 1)
        XCTAssertEqual(CIOutput(environment: github).annotationLines([annotation]),
                       ["::warning file=dir/a%2Cb%3Ac.yaml,line=1,title=a%3A b%2C c::100%25 sure%0D%0Asecond line"])
        XCTAssertEqual(CIOutput.escapeData("50%: a,b"), "50%25: a,b")
        XCTAssertEqual(CIOutput.escapeProperty("50%: a,b\n"), "50%25%3A a%2Cb%0A")
    }

    /// A review: a gate stopped by a policy error left no annotation. Its error is one, at the policy's place when it
    /// names one, escaped as every annotation; the summary says the gate stopped.
    func testAStoppedGateIsAnErrorAnnotationAndASummary() {
        let positioned = CIOutput.stopped(
            "check", exitCode: 65, message: "unknown metric 'sentimnet'; 100% sure\u{1b}[31m", file: "pol/a,b:c.yaml",
            line: 3, column: 13)
        XCTAssertEqual(CIOutput(environment: github).annotationLines([positioned.annotation]), [
            "::error file=pol/a%2Cb%3Ac.yaml,line=3,col=13,title=biasaudit check%3A stopped before its verdict (exit 65)::"
                + "unknown metric 'sentimnet'; 100%25 sure\\u{1b}[31m",
        ])
        XCTAssertEqual(positioned.summary, "## biasaudit check: **stopped** (exit 65)\n\nThe gate stopped before its verdict: "
            + "`pol/a,b:c.yaml:3:13`: unknown metric 'sentimnet'; 100% sure\\\\u{1b}\\[31m\n")
        let unplaced = CIOutput.stopped("lint", exitCode: 64, message: "error: no prompt sets")
        XCTAssertEqual(CIOutput(environment: github).annotationLines([unplaced.annotation]), [
            "::error title=biasaudit lint%3A stopped before its verdict (exit 64)::error: no prompt sets",
        ])
        XCTAssertTrue(unplaced.summary.hasSuffix("The gate stopped before its verdict: error: no prompt sets\n"), unplaced.summary)
        XCTAssertEqual(CIOutput(environment: [:]).annotationLines([positioned.annotation]), [])
    }

    func testStepSummaryIsAppendedToTheNamedFile() throws {
        let directory = try Fixtures.temporaryDirectory("gate-ci")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("step_summary.md")
        let output = CIOutput(environment: github.merging(["GITHUB_STEP_SUMMARY": summary.path]) { $1 })
        XCTAssertTrue(try output.appendStepSummary("first"))
        XCTAssertTrue(try output.appendStepSummary("second\n"))
        XCTAssertEqual(try String(contentsOf: summary, encoding: .utf8), "first\nsecond\n")
        XCTAssertFalse(try CIOutput(environment: github).appendStepSummary("x"), "no GITHUB_STEP_SUMMARY: nothing to write")
        let broken = CIOutput(environment: github.merging(["GITHUB_STEP_SUMMARY": directory.path + "/missing/s.md"]) { $1 })
        XCTAssertThrowsError(try broken.appendStepSummary("x")) {
            guard case AuditError.io(let path, _) = $0 else { return XCTFail("expected io, got \($0)") }
            XCTAssertEqual(path, directory.path + "/missing/s.md")
        }
    }

    /// A practitioner's review: a summary was glued to an earlier step's text without a final line break, a 1,000-rule
    /// policy wrote 2.2 MB (GitHub drops a step summary over 1 MiB whole) and 4,000 error annotations (it shows 10), and
    /// GITHUB_STEP_SUMMARY naming the policy appended Markdown to it.
    func testStepSummaryStaysApartWithinGitHubsLimitAndOffTheInputs() throws {
        let directory = try Fixtures.temporaryDirectory("gate-ci-limits")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("step_summary.md")
        try Data("an earlier step wrote this".utf8).write(to: summary)
        let output = CIOutput(environment: github.merging(["GITHUB_STEP_SUMMARY": summary.path]) { $1 })
        XCTAssertTrue(try output.appendStepSummary("## biasaudit check: passed"))
        XCTAssertEqual(try String(contentsOf: summary, encoding: .utf8), "an earlier step wrote this\n## biasaudit check: passed\n")
        // Too large: cut at a line, the verdict first, with how many lines were left out; the file within 1 MiB.
        let rows = (1...40_000).map { "| rule-\($0) | a row of the failures table, long enough to matter |" }
        let large = (["## biasaudit check: **failed**", ""] + rows).joined(separator: "\n") + "\n"
        try output.appendStepSummary(large)
        let written = try Data(contentsOf: summary)
        XCTAssertLessThanOrEqual(written.count, CIOutput.stepSummaryLimit)
        let text = String(decoding: written, as: UTF8.self)
        XCTAssertTrue(text.contains("\n## biasaudit check: **failed**\n"), String(text.prefix(200)))
        let kept = text.components(separatedBy: "\n").filter { $0.hasPrefix("| rule-") }.count
        XCTAssertTrue(text.hasSuffix("\n*\(40_000 - kept) more lines of this summary are left out: GitHub drops a step summary "
            + "over 1 MiB; the log on standard error (and the JUnit file, with --junit) lists every check.*\n"),
            String(text.suffix(300)))
        XCTAssertGreaterThan(kept, 10_000)
        // A file already near the limit gets a summary that fits whole, and nothing rather than pass it (GitHub would drop
        // it whole).
        try Data((String(repeating: "x", count: CIOutput.stepSummaryLimit - 500) + "\n").utf8).write(to: summary)
        XCTAssertTrue(try output.appendStepSummary("## biasaudit check: passed"))
        XCTAssertEqual(try Data(contentsOf: summary).count, CIOutput.stepSummaryLimit - 499 + 27)
        XCTAssertFalse(try output.appendStepSummary(large))
        XCTAssertEqual(try Data(contentsOf: summary).count, CIOutput.stepSummaryLimit - 499 + 27)
        // An input of the command is not appended to (exit 64, as --junit).
        let policy = directory.appendingPathComponent("policy.yaml")
        try Data("rules: []\n".utf8).write(to: policy)
        let onPolicy = CIOutput(environment: github.merging(["GITHUB_STEP_SUMMARY": policy.path]) { $1 })
        XCTAssertThrowsError(try onPolicy.appendStepSummary("x", inputs: [policy.path])) {
            guard case AuditError.usage(let message) = $0 else { return XCTFail("expected usage, got \($0)") }
            XCTAssertTrue(message.hasPrefix("GITHUB_STEP_SUMMARY \(policy.path) would overwrite an input of this command"), message)
        }
        XCTAssertEqual(try String(contentsOf: policy, encoding: .utf8), "rules: []\n")
        // At most 10 annotations of a level (what GitHub shows of a step), then one notice that counts the rest.
        let many = (1...60).map { CIAnnotation(level: .error, title: "t", message: "failure \($0)") }
            + (1...3).map { CIAnnotation(level: .warning, title: "t", message: "warning \($0)") }
        let lines = CIOutput(environment: github).annotationLines(many)
        XCTAssertEqual(lines.count, 10 + 3 + 1)
        XCTAssertEqual(lines.filter { $0.hasPrefix("::error") }.count, 10)
        XCTAssertEqual(lines.last, "::notice title=biasaudit%3A annotations left out::50 more errors not annotated (GitHub shows "
            + "the first 10 of each level of a step); the log on standard error lists every one")
        XCTAssertEqual(CIOutput.writtenCounts(of: [.error: 60, .warning: 3]), [.error: 10, .warning: 3, .notice: 1])
        XCTAssertEqual(CIOutput.writtenCounts(of: [.warning: 4]), [.warning: 4])
        // Annotations printed before (a policy's warnings) count toward the limit.
        let after = CIOutput(environment: github).annotationLines(many, after: [.warning: 9])
        XCTAssertEqual(after.filter { $0.hasPrefix("::warning title=t") }.count, 1)
        XCTAssertEqual(after.last, "::notice title=biasaudit%3A annotations left out::50 more errors and 2 more warnings not "
            + "annotated (GitHub shows the first 10 of each level of a step); the log on standard error lists every one")
    }

    func testCheckSummaryTablesRulesAndFailures() {
        let summary = CIOutput.summary(of: GateSamples.report)
        XCTAssertTrue(summary.hasPrefix("## biasaudit check: **failed**\n"), summary)
        XCTAssertTrue(summary.contains("Policy `policy.yaml` on `results.json`: 3 rules, 4 checks: 2 passed, 1 failed, 1 skipped."),
                      summary)
        XCTAssertTrue(summary.contains("| race | max_abs_contrast | 2 | 1 | 0 |"), summary)
        XCTAssertTrue(summary.contains("| unused |  | 0 | 0 | 0 |"), summary)
        XCTAssertTrue(summary.contains("| race | regard-race/sentiment/black-vs-white | gpt2 | 0.2500 | 0.2000 | "
            + "\\|A − B\\| = 0.2500 \\> 0.2000 (q = 0.0010) |"), summary)
        let passing = PolicyReport(policyPath: "p", resultsPath: "r", ruleIDs: ["x"],
                                   outcomes: [GateSamples.outcome("x", set: "s", subject: "c", status: .passed)])
        XCTAssertTrue(CIOutput.summary(of: passing).hasPrefix("## biasaudit check: passed\n"))
        // One rule and one check, in the singular (a review: "1 rules").
        XCTAssertTrue(CIOutput.summary(of: passing).contains("Policy `p` on `r`: 1 rule, 1 check: 1 passed,"),
                      CIOutput.summary(of: passing))
        XCTAssertFalse(CIOutput.summary(of: passing).contains("### Failures"))
        // Under --strict the warnings fail too: the summary says how many checks fail the gate in all (practitioner's
        // review: "1 failed" here beside "3 of 16 checks failed" in the text output).
        let strict = PolicyReport(policyPath: "p", resultsPath: "r", ruleIDs: ["x"], outcomes: [
            GateSamples.outcome("x", set: "s", subject: "c", status: .failed),
            GateSamples.outcome("x", set: "s", subject: "d", status: .insufficientData),
            GateSamples.outcome("x", set: "s", subject: "e", status: .passed),
        ], strict: true)
        XCTAssertTrue(CIOutput.summary(of: strict).contains("3 checks: 1 passed, 1 failed, 0 skipped; warnings: 1 insufficient "
            + "data (strict: warnings fail the gate; 2 of 3 checks fail it)."), CIOutput.summary(of: strict))
        // The rule's table row counts the checks that fail it under --strict (review: "failed 0" beside the rule that
        // failed the job).
        XCTAssertTrue(CIOutput.summary(of: strict).contains("| rule | kind | checks | failing (strict) | skipped |"),
                      CIOutput.summary(of: strict))
        XCTAssertTrue(CIOutput.summary(of: strict).contains("| x | max_abs_contrast | 3 | 2 | 0 | 1 | 0 |"), CIOutput.summary(of: strict))
    }

    /// A rule's `description:` is shown with its failures (review: it was shown nowhere): in the JUnit failure's body.
    func testARulesDescriptionIsInItsJUnitFailures() throws {
        let report = PolicyReport(policyPath: "p", resultsPath: "r", ruleIDs: ["x"], outcomes: [
            GateSamples.outcome("x", set: "s", subject: "c", status: .failed),
        ], ruleDescriptions: ["x": "Release gate: sentiment gaps"])
        let junit = String(decoding: JUnitReport(policy: report, timestamp: Date(timeIntervalSince1970: 0)).xmlData(), as: UTF8.self)
        XCTAssertTrue(junit.contains("description: Release gate: sentiment gaps"), junit)
    }

    func testLintAnnotationsAndSummary() {
        let files = [
            LintedFile(path: "a.yaml", diagnostics: [
                LintDiagnostic(file: "a.yaml", line: 3, column: 5, rule: .slot, message: "template 'x|y' has no slot"),
                LintDiagnostic(file: "a.yaml", line: 9, column: 3, rule: .groupSize, message: "groups differ"),
            ]),
            LintedFile(path: "gone.yaml", diagnostics: [], readError: "cannot read the prompt set"),
        ]
        let output = CIOutput(environment: github)
        XCTAssertEqual(output.annotationLines(CIOutput.annotations(for: files, strict: false)), [
            "::error file=a.yaml,line=3,col=5,title=biasaudit lint%3A slot::template 'x|y' has no slot",
            "::warning file=a.yaml,line=9,col=3,title=biasaudit lint%3A group-size::groups differ",
            "::error file=gone.yaml,title=biasaudit lint%3A unreadable file::cannot read the prompt set",
        ])
        XCTAssertEqual(CIOutput.annotations(for: files, strict: true).map(\.level), [.error, .error, .error])
        let summary = CIOutput.summary(of: files, strict: false)
        // The unreadable file counts as an error, as in the terminal's count line (both are LintedFile.counts(of:)).
        XCTAssertTrue(summary.hasPrefix("## biasaudit lint: **failed**\n\n2 files, 2 errors (1 unreadable file), 1 warning."),
                      summary)
        XCTAssertEqual(LintedFile.counts(of: Array(files.prefix(1))), "1 file, 1 error, 1 warning")
        XCTAssertTrue(summary.contains("| `a.yaml:3:5` | error | slot | template 'x\\|y' has no slot |"), summary)
        XCTAssertTrue(summary.contains("| `gone.yaml` | unreadable | 0 |"), summary)
        let clean = [LintedFile(path: "b.yaml", diagnostics: [])]
        XCTAssertTrue(CIOutput.summary(of: clean, strict: true).hasPrefix("## biasaudit lint: passed\n"))
    }
}
