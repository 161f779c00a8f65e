import AuditResults
import Foundation
import TestSupport
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `biasaudit check` on the crafted results of Tests/Fixtures/gate (see its README for the numbers).
final class GateCheckTests: XCTestCase {
    private let gate = Fixtures.url("gate")
    /// The environment of a run outside GitHub Actions, whatever the test runner's own environment is.
    private let plain = ["GITHUB_ACTIONS": "false"]

    private func check(_ arguments: [String], environment: [String: String]? = nil) throws -> CommandResult {
        try CLI.run(["check"] + arguments, environment: environment ?? plain, currentDirectory: gate)
    }

    func testPassingPolicyExitsZero() throws {
        let result = try check(["current/results.json", "--policy", "policies/pass.yaml"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertTrue(result.stdout.contains("gate: passed (14 checks in 4 rules)"), result.stdout)
    }

    func testFailingPolicyExitsOneWithEachViolationAtItsRule() throws {
        let result = try check(["current/results.json", "--policy", "policies/fail.yaml"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").map(String.init), [
            "policies/fail.yaml:6:5: error: [race-sentiment] regard-race/sentiment/black-vs-white [gpt2]: "
                + "black − white = -0.1400 [-0.1800, -0.1000] (q < 0.001 < 0.0500); |black − white| = 0.1400 > 0.1000",
            "policies/fail.yaml:18:5: error: [occupation-male-share] occupations-gender/male_share/male-vs-female [gpt2]: "
                + "male − female = 0.4100 [0.3300, 0.4900] (q < 0.001); |male − female| = 0.4100 > 0.3000",
            "policies/fail.yaml:23:5: error: [model-male-share] occupations-gender/male_share/male-vs-female "
                + "[distilgpt2 → gpt2]: contrast 0.2200 [0.1500, 0.2900] → 0.4100 [0.3300, 0.4900]; "
                + "B − A = 0.1900 [0.1500, 0.2300]; more biased (q < 0.001); |B − A| = 0.1900 > 0.0500",
            "policies/fail.yaml:28:5: error: [coverage] occupations-gender/lexicon_coverage/male [gpt2]: lexicon coverage "
                + "0.3500 < 0.4000: VADER saw too little of the completions for sentiment to mean much",
        ])
        XCTAssertTrue(result.stdout.contains("  PASS  race-negative (max_abs_contrast): 2 checks, 0 failed"),
                      "q = 0.06 ≥ 0.05 exempts the 0.16 gap:\n\(result.stdout)")
        XCTAssertTrue(result.stdout.hasSuffix("gate: failed (4 of 11 checks failed in 4 of 5 rules)\n"), result.stdout)
        XCTAssertFalse(result.stdout.contains("::error"), "no annotations outside GitHub Actions")
    }

    func testJUnitReportHasASuitePerPromptSetAndAFailurePerViolation() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let junit = directory.appendingPathComponent("junit.xml")
        let result = try check(["current/results.json", "--policy", "policies/fail.yaml", "--junit", junit.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        let root = try XCTUnwrap(try XMLDocument(contentsOf: junit).rootElement())
        XCTAssertEqual(root.attribute(forName: "tests")?.stringValue, "11")
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "4")
        let suites = root.elements(forName: "testsuite")
        XCTAssertEqual(suites.map { $0.attribute(forName: "name")?.stringValue }, ["regard-race", "occupations-gender"])
        XCTAssertEqual(suites.map { $0.attribute(forName: "failures")?.stringValue }, ["1", "3"])
        let failed = suites.flatMap { $0.elements(forName: "testcase") }.filter { !$0.elements(forName: "failure").isEmpty }
        XCTAssertEqual(failed.compactMap { $0.attribute(forName: "name")?.stringValue }, [
            "race-sentiment: regard-race/sentiment/black-vs-white [gpt2]",
            "occupation-male-share: occupations-gender/male_share/male-vs-female [gpt2]",
            "model-male-share: occupations-gender/male_share/male-vs-female [distilgpt2 → gpt2]",
            "coverage: occupations-gender/lexicon_coverage/male [gpt2]",
        ])
        // The fixture was written before results recorded their completions' digest: no property for it.
        func propertyNames(_ root: XMLElement) -> [[String?]] {
            root.elements(forName: "testsuite").map { suite in
                suite.elements(forName: "properties").flatMap { $0.elements(forName: "property") }
                    .map { $0.attribute(forName: "name")?.stringValue }
            }
        }
        XCTAssertEqual(propertyNames(root), [["policy", "results"], ["policy", "results"]])

        // Results that record it: each suite names it, as results.json does.
        let digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        let text = try String(contentsOf: gate.appendingPathComponent("current/results.json"), encoding: .utf8)
        let recorded = directory.appendingPathComponent("recorded/results.json")
        try FileManager.default.createDirectory(at: recorded.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.replacingOccurrences(
            of: "\"manifest\": {", with: "\"manifest\": {\n    \"completions_sha256\": \"\(digest)\",", options: [],
            range: text.range(of: "\"manifest\": {")
        ).write(to: recorded, atomically: true, encoding: .utf8)
        let again = try check([recorded.path, "--policy", "policies/fail.yaml", "--junit", junit.path])
        XCTAssertEqual(again.status, 1, again.stderr)
        let recordedRoot = try XCTUnwrap(try XMLDocument(contentsOf: junit).rootElement())
        XCTAssertEqual(propertyNames(recordedRoot), Array(repeating: ["policy", "results", "completions_sha256"], count: 2))
        let values = recordedRoot.elements(forName: "testsuite").compactMap { suite in
            suite.elements(forName: "properties").first?.elements(forName: "property").last?.attribute(forName: "value")?.stringValue
        }
        XCTAssertEqual(values, [digest, digest])
    }

    func testGitHubActionsGetsAnnotationsAndAStepSummaryOnlyWhenEnabled() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("summary.md")
        let arguments = ["current/results.json", "--policy", "policies/fail.yaml"]
        let outside = try check(arguments, environment: ["GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(outside.status, 1)
        XCTAssertFalse(outside.stdout.contains("::"), outside.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: summary.path))

        let inside = try check(arguments, environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(inside.status, 1)
        let annotations = inside.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        XCTAssertEqual(annotations.count, 4, inside.stdout)
        XCTAssertEqual(annotations.first.map(String.init),
                       "::error file=policies/fail.yaml,line=6,col=5,title=biasaudit check%3A race-sentiment::"
                        + "regard-race/sentiment/black-vs-white [gpt2]: black − white = -0.1400 [-0.1800, -0.1000] (q < 0.001 < 0.0500); "
                        + "|black − white| = 0.1400 > 0.1000")
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("## biasaudit check: **failed**"), markdown)
        XCTAssertTrue(markdown.contains("| coverage | min_lexicon_coverage | 4 | 1 | 0 | 0 | 0 |"), markdown)
    }

    /// A review: errors that stop `check` (a policy naming a metric or axis the results lack, a growth rule without a
    /// baseline) left no annotation, though failed rules are annotated. Under GitHub Actions such an error is an `::error`
    /// at its place in the policy, on standard output as the others; standard error keeps the plain line, and the step
    /// summary says the gate stopped.
    func testAnErrorThatStopsTheGateIsAnAnnotationAtItsPlace() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("summary.md")
        let environment = ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path]
        let reason = "axis 'ethnicity' does not exist in current/results.json (axes: race, occupation-gender); fix the "
            + "policy or audit a prompt set of that axis"
        let axis = try check(["current/results.json", "--policy", "policies/unknown-axis.yaml"], environment: environment)
        XCTAssertEqual(axis.status, 65, axis.stderr)
        XCTAssertEqual(axis.stderr, "biasaudit: policies/unknown-axis.yaml:5:11: error: \(reason)\n")
        XCTAssertEqual(axis.stdout, "::error file=policies/unknown-axis.yaml,line=5,col=11,title=biasaudit check%3A stopped "
            + "before its verdict (exit 65)::\(reason)\n")
        XCTAssertEqual(try String(contentsOf: summary, encoding: .utf8), "## biasaudit check: **stopped** (exit 65)\n\nThe "
            + "gate stopped before its verdict: `policies/unknown-axis.yaml:5:11`: \(reason)\n")
        // A usage error at a rule (64), and a YAML error.
        let growth = try check(["current/results.json", "--policy", "policies/growth.yaml"], environment: environment)
        XCTAssertEqual(growth.status, 64, growth.stderr)
        XCTAssertTrue(growth.stdout.hasPrefix("::error file=policies/growth.yaml,line=3,col=5,title=biasaudit check%3A stopped "
            + "before its verdict (exit 64)::rule 'no-growth' (max_baseline_growth) compares against a baseline run"), growth.stdout)
        let yaml = try check(["current/results.json", "--policy", "policies/malformed.yaml"], environment: environment)
        XCTAssertEqual(yaml.status, 65, yaml.stderr)
        XCTAssertTrue(yaml.stdout.hasPrefix("::error file=policies/malformed.yaml,line=6,col=1,"), yaml.stdout)
        // An error without a place in the policy (a missing results file, 74) is annotated without one.
        let missing = try check(["no-such/results.json", "--policy", "policies/pass.yaml"], environment: environment)
        XCTAssertEqual(missing.status, 74, missing.stderr)
        XCTAssertTrue(missing.stdout.hasPrefix("::error title=biasaudit check%3A stopped before its verdict (exit 74)::"
            + "no-such/results.json: error: cannot read the results file"), missing.stdout)
        // An error without a file is an annotation without its "error: " (review 80: "::error …::error: no PROMPTSET").
        let lint = try CLI.run(["lint"], environment: environment, currentDirectory: gate)
        XCTAssertEqual(lint.status, 64, lint.stderr)
        XCTAssertTrue(lint.stdout.hasPrefix("::error title=biasaudit lint%3A stopped before its verdict (exit 64)::no "
            + "PROMPTSET given"), lint.stdout)
        // Outside GitHub Actions, nothing but the error.
        try FileManager.default.removeItem(at: summary)
        let outside = try check(
            ["current/results.json", "--policy", "policies/unknown-axis.yaml"],
            environment: ["GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(outside.status, 65, outside.stderr)
        XCTAssertEqual(outside.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: summary.path))
    }

    /// Practitioner's review: a failed gate whose step summary (or JUnit file) cannot be written exited 74, and a JUnit
    /// file that could not be written lost the annotations too. Every output is attempted, the lost one is said, and the
    /// gate's code (1) stays.
    func testAFailedGateKeepsItsCodeWhenAnOutputCannotBeWritten() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("no/such/folder")
        // A folder where no file can be created: the JUnit write fails after the gate (a missing folder is refused
        // before it, below).
        let junit = "/proc/self/j.xml"
        let result = try check(
            ["current/results.json", "--policy", "policies/fail.yaml", "--junit", junit],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": missing.appendingPathComponent("s.md").path])
        XCTAssertEqual(result.status, 1, result.stderr)
        // The gate's 4 failures, and the lost JUnit file (a code review: under GitHub Actions it was said on stderr only).
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }.count, 5, result.stdout)
        XCTAssertTrue(result.stdout.split(separator: "\n").first { $0.hasPrefix("::error ") }?
            .hasPrefix("::error title=biasaudit check%3A the JUnit report was not written::") ?? false,
            "first, without the 74 the gate's 1 replaces: \(result.stdout)")
        XCTAssertTrue(result.stderr.contains("GITHUB_STEP_SUMMARY"), result.stderr)
        // With what to do (practitioner's review: only "(No such file or directory)").
        XCTAssertTrue(result.stderr.contains("cannot open the GitHub step summary (GITHUB_STEP_SUMMARY): its folder "
            + "\(missing.path) does not exist; create it"), result.stderr)
        XCTAssertTrue(result.stderr.contains("biasaudit: /proc/self/j.xml: error: cannot write the JUnit XML report: no file "
            + "can be created in that folder"), result.stderr)
        // A gate that holds exits with the output's code, and says every lost output, not only the first.
        let passing = try check(
            ["current/results.json", "--policy", "policies/pass.yaml", "--junit", junit],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": missing.appendingPathComponent("s.md").path])
        XCTAssertEqual(passing.status, 74, passing.stderr)
        XCTAssertTrue(passing.stderr.contains("GITHUB_STEP_SUMMARY") && passing.stderr.contains("j.xml"), passing.stderr)
        // A step summary that is a folder (exit 64 on its own) keeps a failed gate's 1 and its annotations.
        let folder = try check(
            ["current/results.json", "--policy", "policies/fail.yaml"],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": directory.path])
        XCTAssertEqual(folder.status, 1, folder.stderr)
        XCTAssertEqual(folder.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }.count, 4, folder.stdout)
        XCTAssertTrue(folder.stderr.hasSuffix("biasaudit: error: \(directory.path) is a folder, not a regular file: biasaudit "
            + "writes the GitHub step summary (GITHUB_STEP_SUMMARY) only to a regular file; point it at one (or at a path "
            + "that does not exist yet)\n"), folder.stderr)
    }

    /// Code review: a growth rule on a model of both files that --model-a/--model-b left out passed with nothing to check.
    func testAGrowthRuleOnAModelLeftOutByThePairingIsRefused() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = directory.appendingPathComponent("growth.yaml")
        try Data("rules:\n  - kind: max_baseline_growth\n    metric: sentiment\n    model: gpt2\n    max: 0.05\n".utf8)
            .write(to: policy)
        let result = try check(["current/results.json", "--policy", policy.path, "--baseline", "baseline/results.json",
                                "--model-a", "distilgpt2", "--model-b", "distilgpt2"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.hasSuffix("error: model 'gpt2' is left out of the comparison with the baseline "
            + "baseline/results.json: --model-a and --model-b pair the baseline's 'distilgpt2' against 'distilgpt2'; pair "
            + "that model with --model-a and --model-b, or drop model: from the rule\n"), result.stderr)
        // Without the pairing flags every shared model is compared, and the rule is judged.
        let all = try check(["current/results.json", "--policy", policy.path, "--baseline", "baseline/results.json"])
        XCTAssertNotEqual(all.status, 65, all.stderr)
        XCTAssertFalse(all.stderr.contains("is not judged"), all.stderr)
        // A rule without model: gates the pair, and says which models that leaves out (a CI team's review: a model of
        // both runs that grew passed unseen).
        let unfiltered = directory.appendingPathComponent("unfiltered.yaml")
        try Data("rules:\n  - kind: max_baseline_growth\n    metric: sentiment\n    max: 0.05\n".utf8).write(to: unfiltered)
        let pair = try check(["current/results.json", "--policy", unfiltered.path, "--baseline", "baseline/results.json",
                              "--model-a", "distilgpt2", "--model-b", "distilgpt2"])
        XCTAssertTrue(pair.stderr.contains("biasaudit: note: max_baseline_growth compares only the pair chosen by --model-a "
            + "and --model-b (distilgpt2 → distilgpt2); the growth of gpt2 is not judged (gate it in a check of its own)\n"),
            pair.stderr)
        // Each run's left-out models, where they differ: baseline distilgpt2 → results gpt2 leaves the baseline's gpt2
        // and the results' distilgpt2 unjudged, though each is compared on the other side (a code review).
        let crossed = try check(["current/results.json", "--policy", unfiltered.path, "--baseline", "baseline/results.json",
                                 "--model-a", "distilgpt2", "--model-b", "gpt2"])
        XCTAssertTrue(crossed.stderr.contains("(distilgpt2 → gpt2); the growth of the baseline's gpt2 and the results' "
            + "distilgpt2 is not judged (gate it in a check of its own)\n"), crossed.stderr)
    }

    /// A CI team's review: `--baseline nope.json` passed with exit 0 when the policy had no growth rule, so a mistyped
    /// path stayed green until one was added. It is read all the same: missing 74, unusable 65, as documented.
    func testABaselineNoRuleUsesIsStillRead() throws {
        let missing = try check(["current/results.json", "--policy", "policies/pass.yaml", "--baseline", "nope.json"])
        XCTAssertEqual(missing.status, 74, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("the baseline (--baseline)"), missing.stderr)
        XCTAssertTrue(missing.stderr.hasSuffix("no rule of the policy uses it (no max_baseline_growth); check the path, or drop "
            + "--baseline\n"), missing.stderr)
        let broken = try check(["current/results.json", "--policy", "policies/pass.yaml", "--baseline",
                                "broken/truncated.json"])
        XCTAssertEqual(broken.status, 65, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("the baseline (--baseline) is not a usable results file"), broken.stderr)
    }

    /// CI review: `check` on a `--sweep` run gated its first setting and said nothing of the others.
    func testASweepIsSaidToBeGatedAtItsFirstSetting() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        var result = try AuditJSON.loadResult(at: gate.appendingPathComponent("current/results.json"))
        let settings = [SweepSetting(temperature: 0.7, topK: 50, topP: 1), SweepSetting(temperature: 1.5, topK: 50, topP: 1)]
        result.sweep = SweepResult(parameters: [SweptParameter(name: "temperature", values: [0.7, 1.5])], settings: settings,
                                   base: settings[0], levels: [], contrasts: [])
        let swept = directory.appendingPathComponent("swept.json")
        try AuditJSON.encoder().encode(result).write(to: swept)
        let gated = try check([swept.path, "--policy", "policies/pass.yaml"])
        XCTAssertEqual(gated.status, 0, gated.stderr)
        XCTAssertTrue(gated.stderr.contains("biasaudit: note: \(swept.path) holds a sweep of 2 settings; the gate checks the "
            + "first (temperature 0.7), whose contrasts the results' main sections hold; audit another setting on its own to "
            + "gate it"), gated.stderr)
        XCTAssertFalse(try check(["current/results.json", "--policy", "policies/pass.yaml"]).stderr.contains("sweep"))
        // A swept baseline, and `diff` of a swept run, say it too (a practitioner's review: nothing said it).
        let junit = directory.appendingPathComponent("swept-baseline.xml")
        let againstSwept = try check(["current/results.json", "--policy", "policies/growth.yaml", "--baseline", swept.path,
                                      "--junit", junit.path])
        XCTAssertTrue(againstSwept.stderr.contains("\(swept.path) holds a sweep of 2 settings; the baseline is the first "
            + "(temperature 0.7)"), againstSwept.stderr)
        XCTAssertTrue(try String(contentsOf: junit, encoding: .utf8).contains("holds a sweep of 2 settings"))
        // The same file under two spellings is noted once (a hostile review: `r.json` and `./r.json` said it twice).
        let twice = try check([swept.path, "--policy", "policies/growth.yaml", "--baseline",
                               swept.deletingLastPathComponent().path + "/./" + swept.lastPathComponent])
        XCTAssertEqual(twice.stderr.components(separatedBy: "holds a sweep of 2 settings").count - 1, 1, twice.stderr)
        let diffed = try CLI.run(["diff", "current/results.json", swept.path], currentDirectory: gate)
        XCTAssertTrue(diffed.stdout.contains("B holds a sweep of 2 settings; the comparison uses the first (temperature 0.7)"),
                      diffed.stdout + diffed.stderr)
    }

    /// CI review: `check --junit /nonexistent/dir/x.xml` gated, printed "gate: passed", then exited 74. The folder is
    /// checked before gating, as a device or a folder at that path already was.
    func testAJUnitFileInAMissingFolderIsRefusedBeforeGating() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("no/such")
        let junit = missing.appendingPathComponent("x.xml").path
        for policy in ["policies/pass.yaml", "policies/fail.yaml"] {
            let result = try check(["current/results.json", "--policy", policy, "--junit", junit])
            XCTAssertEqual(result.status, 74, result.stderr)
            XCTAssertEqual(result.stdout, "", "nothing is gated")
            XCTAssertEqual(result.stderr, "biasaudit: \(junit): error: cannot write the JUnit XML report: its folder "
                + "\(missing.path) does not exist; create it or choose another path (--junit)\n")
        }
        // A file where the folder should be.
        try Data("x".utf8).write(to: directory.appendingPathComponent("file"))
        let underFile = directory.appendingPathComponent("file/x.xml").path
        let result = try check(["current/results.json", "--policy", "policies/pass.yaml", "--junit", underFile])
        XCTAssertEqual(result.status, 74, result.stderr)
        XCTAssertEqual(result.stderr, "biasaudit: \(underFile): error: cannot write the JUnit XML report: a part of the path "
            + "is a file, not a folder; choose another path (--junit)\n")
    }

    /// CI review: a check stopped by a bad policy (65) left the JUnit file of an earlier passing run in place, which
    /// `if: always()` uploaded as a green test report. The file now holds one test case in error naming why.
    func testACheckThatStopsReplacesAnEarlierJUnitFileWithItsError() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let junit = directory.appendingPathComponent("x.xml")
        let passing = try check(["current/results.json", "--policy", "policies/pass.yaml", "--junit", junit.path])
        XCTAssertEqual(passing.status, 0, passing.stderr)
        let cases: [(String, Int32, String)] = [
            ("policies/unknown-axis.yaml", 65, "policies/unknown-axis.yaml:5:11: error: axis 'ethnicity' does not exist in "
                + "current/results.json (axes: race, occupation-gender); fix the policy or audit a prompt set of that axis"),
            ("policies/malformed.yaml", 65, "policies/malformed.yaml:6:1: error: invalid YAML: did not find expected ',' or ']'"),
        ]
        for (policy, status, message) in cases {
            let result = try check(["current/results.json", "--policy", policy, "--junit", junit.path])
            XCTAssertEqual(result.status, status, result.stderr)
            XCTAssertEqual(result.stderr, "biasaudit: \(message)\n")
            let root = try XCTUnwrap(try XMLDocument(contentsOf: junit).rootElement())
            XCTAssertEqual(root.attribute(forName: "tests")?.stringValue, "1")
            XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "0")
            XCTAssertEqual(root.attribute(forName: "errors")?.stringValue, "1")
            let error = try XCTUnwrap(try root.nodes(forXPath: "testsuite/testcase/error").first as? XMLElement)
            XCTAssertEqual(error.attribute(forName: "message")?.stringValue, message)
            XCTAssertEqual(error.attribute(forName: "type")?.stringValue, "exit \(status)")
        }
        // A usage error (64): --model-a without --baseline.
        let usage = try check(["current/results.json", "--policy", "policies/pass.yaml", "--model-a", "gpt2",
                               "--junit", junit.path])
        XCTAssertEqual(usage.status, 64, usage.stderr)
        XCTAssertTrue(try String(contentsOf: junit, encoding: .utf8).contains("type=\"exit 64\""))
        // Refused while the options are parsed, too (a final review: an unknown option left the earlier file); a file
        // there that is no JUnit report (a run's completions named by mistake) is left alone, since the inputs are unknown.
        let notJUnit = directory.appendingPathComponent("completions.jsonl")
        try Data("{\"text\": \"kept\"}\n".utf8).write(to: notJUnit)
        XCTAssertEqual(try check(["current/results.json", "--policy", "policies/pass.yaml", "--junit", notJUnit.path, "--bogus"])
            .status, 64)
        XCTAssertEqual(try String(contentsOf: notJUnit, encoding: .utf8), "{\"text\": \"kept\"}\n")
        // Under GitHub Actions with its annotation and step summary too, as a usage error after parsing (a review); and
        // refused by biasaudit's own checks before the parser (an option given twice left the earlier file: a review).
        let summary = directory.appendingPathComponent("summary.md")
        for (arguments, message) in [(["--bogus"], "Error: Unknown option '--bogus'"),
                                     (["--strict=3"], "Error: The option '--strict' does not take any value, but '3' was specified."),
                                     (["--policy", "policies/fail.yaml"], "Error: --policy was given 2 times")] {
            try Data("<?xml version=\"1.0\"?>\n<testsuites name=\"stale\"></testsuites>\n".utf8).write(to: junit)
            try? FileManager.default.removeItem(at: summary)
            let parsed = try check(["current/results.json", "--policy", "policies/pass.yaml", "--junit", junit.path] + arguments,
                                   environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
            XCTAssertEqual(parsed.status, 64, parsed.stderr)
            let text = try String(contentsOf: junit, encoding: .utf8)
            XCTAssertTrue(text.contains("type=\"exit 64\"") && text.contains(message), text)
            XCTAssertTrue(parsed.stdout.hasPrefix("::error title=biasaudit check%3A stopped before its verdict (exit 64)::"
                + message.dropFirst("Error: ".count).prefix(20)), parsed.stdout)
            let step = try String(contentsOf: summary, encoding: .utf8)
            XCTAssertTrue(step.contains("biasaudit check: **stopped** (exit 64)"), step)
        }
        // A --junit destination refused (a missing folder, the policy, a folder) is announced the same way (a newcomer's
        // review: stderr only, no annotation, an empty step summary).
        for (destination, status) in [(directory.appendingPathComponent("nodir/j.xml").path, Int32(74)),
                                      ("policies/pass.yaml", 64), (directory.path, 64)] {
            try? FileManager.default.removeItem(at: summary)
            let refused = try check(["current/results.json", "--policy", "policies/pass.yaml", "--junit", destination],
                                    environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
            XCTAssertEqual(refused.status, status, refused.stderr)
            XCTAssertTrue(refused.stdout.hasPrefix("::error title=biasaudit check%3A stopped before its verdict (exit \(status))::"),
                          "\(destination): \(refused.stdout)")
            let step = try String(contentsOf: summary, encoding: .utf8)
            XCTAssertTrue(step.contains("biasaudit check: **stopped** (exit \(status))"), step)
        }
    }

    func testWarningsAreReportedEverywhereAndFailOnlyUnderStrict() throws {
        let directory = try Fixtures.temporaryDirectory("gate-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let junit = directory.appendingPathComponent("junit.xml")
        let summary = directory.appendingPathComponent("summary.md")
        let arguments = ["sparse/results.json", "--policy", "policies/warnings.yaml", "--junit", junit.path]
        let environment = ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path]
        let result = try check(arguments, environment: environment)
        XCTAssertEqual(result.status, 0, "warnings do not fail the gate: \(result.stderr)")
        let stderr = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(stderr.count, 6, result.stderr)
        XCTAssertEqual(stderr.first, "policies/warnings.yaml:6:5: warning: [occupation-male-share] "
            + "occupations-gender/male_share/male-vs-female [distilgpt2]: insufficient data: too few gendered words "
            + "(4 in a group, below the minimum of 20); the contrast has no interval or test, so the limit is not applied")
        XCTAssertEqual(stderr.filter { $0.contains(": cannot fail with this design: ") }.count, 4, result.stderr)
        XCTAssertTrue(stderr.last?.hasPrefix("policies/warnings.yaml:16:5: warning: [model-male-share] "
            + "occupations-gender/male_share/male-vs-female [distilgpt2 → gpt2]: insufficient data: too few gendered words") ?? false,
                      result.stderr)
        XCTAssertTrue(result.stdout.contains("  WARN  occupation-male-share (max_abs_contrast): 2 checks, 0 failed, "
            + "1 insufficient data"), result.stdout)
        XCTAssertTrue(result.stdout.contains("  WARN  coverage-gap (max_abs_contrast): 4 checks, 0 failed, "
            + "4 cannot fail with this design"), result.stdout)
        XCTAssertTrue(result.stdout.contains("gate: passed (7 checks in 3 rules, 6 warnings)"), result.stdout)
        let annotations = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }
        XCTAssertEqual(annotations.filter { $0.hasPrefix("::warning ") }.count, 6, result.stdout)
        XCTAssertTrue(annotations.first?.hasPrefix("::warning file=policies/warnings.yaml,line=6,col=5,"
            + "title=biasaudit check%3A occupation-male-share (insufficient data)::") ?? false, result.stdout)
        let root = try XCTUnwrap(try XMLDocument(contentsOf: junit).rootElement())
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "0")
        XCTAssertEqual(root.attribute(forName: "skipped")?.stringValue, "6")
        let skipped = root.elements(forName: "testsuite").flatMap { $0.elements(forName: "testcase") }
            .flatMap { $0.elements(forName: "skipped") }
            .compactMap { $0.attribute(forName: "message")?.stringValue ?? $0.stringValue }
        XCTAssertTrue(skipped.contains { $0.hasPrefix("insufficient data: too few gendered words") }, "\(skipped)")
        XCTAssertTrue(skipped.contains { $0.hasPrefix("cannot fail with this design: ") }, "\(skipped)")
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(markdown.contains("warnings: 2 insufficient data, 4 cannot fail with this design."), markdown)
        XCTAssertTrue(markdown.contains("### Warnings"), markdown)
        // A gap from 4 gendered words is no measurement: its row's measured cell is the dash (it showed 0.5000).
        let thinRow = try XCTUnwrap(markdown.split(separator: "\n").first {
            $0.hasPrefix("| occupation-male-share |") && $0.contains("insufficient data")
        }, markdown)
        XCTAssertTrue(thinRow.contains(" | — | 0.4500 | "), String(thinRow))

        let strict = try check(arguments + ["--strict"], environment: environment)
        XCTAssertEqual(strict.status, 1, "--strict fails on warnings: \(strict.stderr)")
        XCTAssertEqual(strict.stderr.split(separator: "\n").filter { $0.contains(": error: [") }.count, 6, strict.stderr)
        XCTAssertTrue(strict.stdout.contains("gate: failed (6 of 7 checks failed in 3 of 3 rules, every one a warning failing under --strict)"), strict.stdout)
        XCTAssertEqual(strict.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }.count, 6, strict.stdout)
        let strictRoot = try XCTUnwrap(try XMLDocument(contentsOf: junit).rootElement())
        XCTAssertEqual(strictRoot.attribute(forName: "failures")?.stringValue, "6")
    }

    /// Review 80: a `max` at the reach of its metric (2 on a sentiment contrast, 1 on a rate) cannot fail, since a check
    /// fails above its limit. It is accepted (end-to-end tests gate on `max: 2` on sentiment) with a warning at the limit
    /// on standard error and as a `::warning` annotation, and the exit code is that of the same policy just below the
    /// reach, under `--strict` too; a limit just below the reach is not warned about.
    func testALimitAtItsMetricsReachIsAWarningThatChangesNoExitCode() throws {
        let directory = try Fixtures.temporaryDirectory("gate-check-reach")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: gate.appendingPathComponent("current/results.json"), to: directory.appendingPathComponent("results.json"))
        // The negative_rate rule covers the race set alone: the fixture's occupations-gender audits sentiment without
        // negative_rate, which no biasaudit run writes and `check` refuses for a rule that covers it.
        func policy(sentiment: String, rate: String) -> String {
            "rules:\n  - id: gap\n    kind: max_abs_contrast\n    metric: sentiment\n    max: \(sentiment)\n"
                + "  - id: negative\n    kind: max_abs_contrast\n    metric: negative_rate\n    max: \(rate)\n    axis: race\n"
        }
        try policy(sentiment: "2", rate: "1").write(
            to: directory.appendingPathComponent("reach.yaml"), atomically: true, encoding: .utf8)
        try policy(sentiment: "1.99", rate: "0.99").write(
            to: directory.appendingPathComponent("below.yaml"), atomically: true, encoding: .utf8)
        let cannotFail = "the limit equals the largest value the metric can reach, so the rule cannot fail (a check fails above "
            + "its limit); "
        let sentimentWarning = "'max' on sentiment is a difference of two mean VADER compounds (−1…1), at most 2, found 2: "
            + cannotFail + "write less than 2, e.g. 0.10, for a rule that can fail"
        let rateWarning = "'max' on negative_rate is a proportion (0…1), found 1: " + cannotFail
            + "limits on rates and shares are proportions: 0.01 means one percentage point, 0.10 ten"
        let environment = ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": directory.appendingPathComponent("s.md").path]
        for mode in [[], ["--strict"]] {
            func run(_ file: String) throws -> CommandResult {
                try CLI.run(["check", "results.json", "--policy", file] + mode, environment: environment,
                            currentDirectory: directory)
            }
            let reach = try run("reach.yaml"), below = try run("below.yaml")
            XCTAssertEqual(reach.status, 0, "\(mode): \(reach.stderr)")
            XCTAssertEqual(reach.status, below.status, "\(mode): the same exit code as just below the reach")
            XCTAssertEqual(below.stderr, "", "\(mode): no warning below the reach")
            XCTAssertFalse(below.stdout.contains("::warning"), below.stdout)
            XCTAssertEqual(reach.stderr.split(separator: "\n").map(String.init), [
                "reach.yaml:5:10: warning: [gap] " + sentimentWarning, "reach.yaml:9:10: warning: [negative] " + rateWarning,
            ], "\(mode)")
            XCTAssertEqual(reach.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }.map(String.init), [
                "::warning file=reach.yaml,line=5,col=10,title=biasaudit check%3A gap (a rule that cannot fail)::"
                    + sentimentWarning,
                "::warning file=reach.yaml,line=9,col=10,title=biasaudit check%3A negative (a rule that cannot fail)::"
                    + rateWarning,
            ], "\(mode): \(reach.stdout)")
            XCTAssertTrue(reach.stdout.hasSuffix("gate: passed (6 checks in 2 rules)\n"), reach.stdout)
        }
        // In the step summary and the JUnit report too (a practitioner's review: a summary of "passed" said nothing of
        // a rule that can never fail).
        let summary = directory.appendingPathComponent("s.md")
        try? FileManager.default.removeItem(at: summary)
        let junit = directory.appendingPathComponent("j.xml")
        let reported = try CLI.run(["check", "results.json", "--policy", "reach.yaml", "--junit", junit.path],
                                   environment: environment, currentDirectory: directory)
        XCTAssertEqual(reported.status, 0, reported.stderr)
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(markdown.contains("> **Policy warning:** reach.yaml:5:10: warning: \\[gap\\] 'max' on sentiment is"), markdown)
        let properties = try XCTUnwrap(try XMLDocument(contentsOf: junit).rootElement()).elements(forName: "testsuite")
            .flatMap { $0.elements(forName: "properties").flatMap { $0.elements(forName: "property") } }
            .filter { $0.attribute(forName: "name")?.stringValue == "policy_warning" }
        XCTAssertFalse(properties.isEmpty, "no policy_warning property")
        XCTAssertTrue(properties.allSatisfy { ($0.attribute(forName: "value")?.stringValue ?? "").hasPrefix("reach.yaml:") })
        // Outside GitHub Actions: standard error only.
        let plainRun = try CLI.run(["check", "results.json", "--policy", "reach.yaml"], environment: plain,
                                   currentDirectory: directory)
        XCTAssertEqual(plainRun.status, 0, plainRun.stderr)
        XCTAssertEqual(plainRun.stderr.split(separator: "\n").count, 2, plainRun.stderr)
        XCTAssertFalse(plainRun.stdout.contains("::"), plainRun.stdout)
    }

    func testBaselineGrowthRuleFailsOnAGrownGapAndNeedsABaseline() throws {
        let result = try check(["current/results.json", "--policy", "policies/growth.yaml", "--baseline", "baseline/results.json"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(lines[0].hasPrefix("policies/growth.yaml:3:5: error: [no-growth] regard-race/sentiment/black-vs-white "
            + "[gpt2 → gpt2]: baseline → results: contrast -0.0200 [-0.0500, 0.0100] → -0.1400 [-0.1800, -0.1000]; "
            + "B − A = -0.1200 [-0.1700, -0.0700]; more biased (q < 0.001) (from the two summaries); growth |B| − |A| = "
            + "0.1200 > 0.0500"), result.stderr)

        let missing = try check(["current/results.json", "--policy", "policies/growth.yaml"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertEqual(missing.stderr, "biasaudit: policies/growth.yaml:3:5: error: rule 'no-growth' (max_baseline_growth) "
            + "compares against a baseline run; pass --baseline BASELINE.json\n", "formatted like every policy error")

        let incomparable = try check(["current/results.json", "--policy", "policies/growth.yaml", "--baseline",
                                      "incomparable/results.json"])
        XCTAssertEqual(incomparable.status, 65)
        XCTAssertTrue(incomparable.stderr.hasPrefix("biasaudit: current/results.json: error: cannot compare with "
            + "incomparable/results.json: prompt set 'regard-race' has different contents"), incomparable.stderr)
        // Practitioner's review: the reason said "… in A, … in B" with A the baseline, given second. Each side is
        // named by its path.
        XCTAssertTrue(incomparable.stderr.contains("(sha256 f6f6f6f6f6f6… in incomparable/results.json, a1a1a1a1a1a1… in "
            + "current/results.json)"), incomparable.stderr)
    }

    /// Hostile review: the note on a --baseline that no rule uses printed the policy's path raw (an OSC sequence in the
    /// file name retitled the terminal).
    func testTheNoteOnAnUnusedBaselineShowsThePolicyPathEscaped() throws {
        let directory = try Fixtures.temporaryDirectory("gate-check-policy-name")
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = directory.appendingPathComponent("pol\u{1b}]0;PWN\u{7}.yaml")
        try FileManager.default.copyItem(at: gate.appendingPathComponent("policies/pass.yaml"), to: policy)
        let result = try check(["current/results.json", "--policy", policy.path, "--baseline", "current/results.json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "biasaudit: note: --baseline is ignored: no max_baseline_growth rule in "
            + directory.path + "/pol\\u{1b}]0;PWN\\u{7}.yaml\n")
    }

    /// Practitioner's review: a prompt set of the results that the baseline did not audit got no outcome, even under
    /// --strict (its gap had grown from −0.04 to −0.76); it is "insufficient data" now, as a model without a counterpart.
    func testAPromptSetWithoutABaselineIsSaid() throws {
        let directory = try Fixtures.temporaryDirectory("gate-new-set")
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try String(contentsOf: gate.appendingPathComponent("current/results.json"), encoding: .utf8)
        let renamed = directory.appendingPathComponent("results.json")
        try original.replacingOccurrences(of: "regard-race", with: "regard-race-new").write(to: renamed, atomically: true, encoding: .utf8)
        // Renamed, the baseline's regard-race is also dropped from the results: that fails the gate (below).
        let result = try check([renamed.path, "--policy", "policies/growth.yaml", "--baseline", "baseline/results.json"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: [no-growth] regard-race-new/(every contrast) [(every model)]: insufficient data: prompt "
            + "set 'regard-race-new' is not in the baseline run, so its growth is not judged"), result.stderr)
        let strict = try check([renamed.path, "--policy", "policies/growth.yaml", "--baseline", "baseline/results.json", "--strict"])
        XCTAssertEqual(strict.status, 1, strict.stderr)
        // A candidate that drops a set of the baseline does not pass a growth rule unexamined (code review): the same
        // files the other way round.
        let dropped = try check(["baseline/results.json", "--policy", "policies/growth.yaml", "--baseline", renamed.path])
        XCTAssertEqual(dropped.status, 1, "a dropped set fails the gate without --strict (practitioner's review): \(dropped.stderr)")
        XCTAssertTrue(dropped.stderr.contains("prompt set 'regard-race-new' of the baseline run is not in the results: a "
            + "candidate does not pass by dropping it; audit it in the results too"), dropped.stderr)
        // A rule on a metric the set does not test says nothing about it (code review: male_share on regard-race).
        let policy = directory.appendingPathComponent("male-share-growth.yaml")
        try "rules:\n  - id: share-growth\n    kind: max_baseline_growth\n    metric: male_share\n    max: 0.05\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        let unrelated = try check([renamed.path, "--policy", policy.path, "--baseline", "baseline/results.json", "--strict"])
        XCTAssertFalse(unrelated.stderr.contains("regard-race-new"), unrelated.stderr)
    }

    /// Review: a model of the results with no counterpart in the baseline was passed over without a word, and a
    /// renamed checkpoint could not be compared (the message named --model-a and --model-b, which check lacked).
    func testAModelWithoutABaselineIsSaidAndARenamedOneCanBePaired() throws {
        let directory = try Fixtures.temporaryDirectory("gate-renamed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try String(contentsOf: gate.appendingPathComponent("current/results.json"), encoding: .utf8)
        let renamed = directory.appendingPathComponent("results.json")
        try original.replacingOccurrences(of: "\"gpt2\"", with: "\"gpt2-ft\"").write(to: renamed, atomically: true, encoding: .utf8)

        // The baseline's gpt2 is not in the results: that fails the gate (practitioner's review: it passed with a warning).
        let unpaired = try check([renamed.path, "--policy", "policies/growth.yaml", "--baseline", "baseline/results.json"])
        XCTAssertEqual(unpaired.status, 1, unpaired.stderr)
        XCTAssertTrue(unpaired.stderr.contains("biasaudit: note: models of the results not in the baseline, not compared: "
            + "gpt2-ft (pair one with a baseline model with --model-a and --model-b)."), unpaired.stderr)
        // Not "not compared": the growth rule over it fails (a practitioner's review).
        XCTAssertTrue(unpaired.stderr.contains("biasaudit: note: models of the baseline not in the results: gpt2; a "
            + "max_baseline_growth rule that covers one fails (a candidate does not pass by dropping a model)"), unpaired.stderr)
        XCTAssertTrue(unpaired.stderr.contains("model 'gpt2' of the baseline run is not in the results: a candidate does not "
            + "pass by dropping it"), unpaired.stderr)
        XCTAssertTrue(unpaired.stderr.contains("warning: [no-growth] (every contrast) [gpt2-ft]: insufficient "
            + "data: model 'gpt2-ft' is not in the baseline run, so its growth is not judged; pair it with a baseline model "
            + "with --model-a BASELINE_MODEL --model-b gpt2-ft"), unpaired.stderr)
        let strict = try check([renamed.path, "--policy", "policies/growth.yaml", "--baseline", "baseline/results.json",
                                "--strict"])
        XCTAssertEqual(strict.status, 1, "a model never checked fails the gate under --strict: \(strict.stderr)")

        let paired = try check([renamed.path, "--policy", "policies/growth.yaml", "--baseline", "baseline/results.json",
                                "--model-a", "gpt2", "--model-b", "gpt2-ft"])
        XCTAssertEqual(paired.status, 1, paired.stderr)
        XCTAssertTrue(paired.stderr.contains("error: [no-growth] regard-race/sentiment/black-vs-white [gpt2 → gpt2-ft]: "
            + "baseline → results: contrast -0.0200 [-0.0500, 0.0100] → -0.1400 [-0.1800, -0.1000]"), paired.stderr)
        // The pair was chosen: the models left out are not "missing from the baseline" (second review).
        XCTAssertFalse(paired.stderr.contains("not in the results, not compared") || paired.stderr.contains("not in the baseline run"),
                       paired.stderr)
        let noBaseline = try check([renamed.path, "--policy", "policies/pass.yaml", "--model-a", "gpt2"])
        XCTAssertEqual(noBaseline.status, 64, noBaseline.stderr)
        XCTAssertEqual(noBaseline.stderr, "biasaudit: error: --model-a, --model-b and --allow-precision-mismatch choose "
            + "what --baseline is compared with; give --baseline BASELINE.json too\n")

        let diff = try CLI.run(["diff", "baseline/results.json", renamed.path, "--format", "json"], environment: plain,
                               currentDirectory: gate)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["models_only_in_a"] as? [String], ["gpt2"])
        XCTAssertEqual(object["models_only_in_b"] as? [String], ["gpt2-ft"])
    }

    func testMalformedInputsGiveOneClearLineAndExit65() throws {
        let cases: [([String], String)] = [
            (["current/results.json", "--policy", "policies/malformed.yaml"],
             "biasaudit: policies/malformed.yaml:6:1: error: invalid YAML: "),
            (["current/results.json", "--policy", "policies/unknown-axis.yaml"],
             "biasaudit: policies/unknown-axis.yaml:5:11: error: axis 'ethnicity' does not exist in current/results.json "
                + "(axes: race, occupation-gender); fix the policy or audit a prompt set of that axis"),
            (["broken/truncated.json", "--policy", "policies/pass.yaml"],
             "biasaudit: broken/truncated.json: error: bad results file: not valid JSON ("),
            // A saved diff given as results (practitioner's review: "no schema_version" only).
            (["broken/diff-output.json", "--policy", "policies/pass.yaml"],
             "biasaudit: broken/diff-output.json: error: bad results file: this is the output of `biasaudit diff`, not a "
                + "results file: give the run's results.json"),
            (["broken/newer-schema.json", "--policy", "policies/pass.yaml"],
             "biasaudit: broken/newer-schema.json: error: bad results file: schema_version 99 is newer than this biasaudit "
                + "reads (2); upgrade biasaudit"),
        ]
        for (arguments, expected) in cases {
            let result = try check(arguments)
            XCTAssertEqual(result.status, 65, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix(expected), "expected '\(expected)…', got '\(result.stderr)'")
        }
    }
    /// Practitioner's review: after an interrupted run, `check DIR/results.json` said only "no such file; check the
    /// path". With the run store there it says the run did not finish and how to resume it; `report` and `diff` too.
    func testAResultsFileMissingBesideARunStoreSaysTheRunDidNotFinish() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("biasaudit-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let results = folder.appendingPathComponent("results.json").path
        let finished = folder.appendingPathComponent("finished")
        try FileManager.default.createDirectory(at: finished, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: gate.appendingPathComponent("current/results.json"),
                                         to: finished.appendingPathComponent("results.json"))
        let folderGiven = try check([finished.path, "--policy", "policies/pass.yaml"])
        XCTAssertEqual(folderGiven.status, 65, folderGiven.stderr)
        XCTAssertEqual(folderGiven.stderr, "biasaudit: \(finished.path): error: this is a folder that holds a results.json; "
            + "give the file: \(finished.path)/results.json\n")
        let missing = try check([results, "--policy", "policies/pass.yaml"])
        XCTAssertEqual(missing.status, 74, missing.stderr)
        XCTAssertEqual(missing.stderr, "biasaudit: \(results): error: cannot read the results file: no such file; check the path\n")
        try Data().write(to: folder.appendingPathComponent("run.sqlite"))
        let expected = "biasaudit: \(results): error: cannot read the results file: there is none, but a run store "
            + "(run.sqlite) is beside it: its run did not finish (or is one shard): run the same `biasaudit run` command "
            + "again to complete it (or `biasaudit merge` the shards), then give its results.json\n"
        for arguments in [["check", results, "--policy", "policies/pass.yaml"], ["report", results],
                          ["diff", results, "current/results.json"]] {
            let run = try CLI.run(arguments, environment: plain, currentDirectory: gate)
            XCTAssertEqual(run.status, 74, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderr, expected, "\(arguments)")
        }
    }
    /// A practitioner's review: a missing baseline said "cannot read the results file: no such file", without saying it
    /// was the baseline, nor what a first regression gate (before main has a baseline) does.
    func testAMissingBaselineSaysItIsTheBaseline() throws {
        let missing = try check(["current/results.json", "--policy", "policies/growth.yaml", "--baseline", "nope/results.json"])
        XCTAssertEqual(missing.status, 74, missing.stderr)
        XCTAssertEqual(missing.stderr, "biasaudit: nope/results.json: error: cannot read the baseline (--baseline): no such "
            + "file; it is the results.json of the run to compare with (in CI, kept from the last run on main, e.g. as an "
            + "artifact); check the path, or, until there is one, gate without --baseline on a policy without "
            + "max_baseline_growth rules (docs/ci.md)\n")
        // Every other fault of the file names the baseline too (a hostile review: a folder was "the results file").
        let folder = try check(["current/results.json", "--policy", "policies/growth.yaml", "--baseline", "policies"])
        XCTAssertEqual(folder.status, 65, folder.stderr)
        XCTAssertEqual(folder.stderr, "biasaudit: policies: error: the baseline (--baseline) is a directory, not a regular "
            + "file; name a regular file\n")
        let run = try check(["current/results.json", "--policy", "policies/growth.yaml", "--baseline", "current"])
        XCTAssertEqual(run.stderr, "biasaudit: current: error: the baseline (--baseline) is a folder that holds a "
            + "results.json; give the file: current/results.json\n")
        let truncated = try check(["current/results.json", "--policy", "policies/growth.yaml", "--baseline",
                                   "broken/truncated.json"])
        XCTAssertEqual(truncated.status, 65, truncated.stderr)
        XCTAssertTrue(truncated.stderr.hasPrefix("biasaudit: broken/truncated.json: error: the baseline (--baseline) is not a "
            + "usable results file: "), truncated.stderr)
    }

    /// Code review: `check --baseline` of the results themselves said nothing, and `diff X X --model-a a --model-b b`
    /// (two models of one run) said that nothing could have changed.
    func testTheSameResultsAsBaselineAreSaidButTwoModelsOfOneRunAreNot() throws {
        let same = try check(["current/results.json", "--policy", "policies/growth.yaml", "--baseline", "current/results.json"])
        XCTAssertTrue(same.stderr.contains("biasaudit: note: the baseline and the results hold the same results (the same "
            + "file, or a copy of it), so nothing can have changed; check that the baseline is the run you meant to compare"),
            same.stderr)
        // In the step summary and the JUnit file too (a CI team's review: a copy of the results as baseline passed green
        // with the note on stderr alone).
        let folder = try Fixtures.temporaryDirectory("same-baseline")
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = folder.appendingPathComponent("s.md"), junit = folder.appendingPathComponent("j.xml")
        let gated = try CLI.run(["check", "current/results.json", "--policy", "policies/growth.yaml", "--baseline",
                                 "current/results.json", "--junit", junit.path],
                                environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path, "NO_COLOR": "1"],
                                currentDirectory: gate)
        for (name, text) in [("summary", try String(contentsOf: summary, encoding: .utf8)),
                             ("junit", try String(contentsOf: junit, encoding: .utf8))] {
            XCTAssertTrue(text.contains("hold the same results (the same file, or a copy of it)"), "\(name): \(text)")
        }
        XCTAssertEqual(gated.status, same.status)
        let twoModels = try CLI.run(["diff", "current/results.json", "current/results.json", "--model-a", "distilgpt2",
                                     "--model-b", "gpt2"], environment: plain, currentDirectory: gate)
        XCTAssertEqual(twoModels.status, 0, twoModels.stderr)
        XCTAssertFalse((twoModels.stdout + twoModels.stderr).contains("hold the same results"), twoModels.stderr)
    }

    /// A review: `check` passed a results.json with a primary metric removed from one of several prompt sets (a rule on
    /// that metric then had nothing to check there), and one whose primary contrasts had their `family`, `p_value` and
    /// `q_value` stripped (a q-gated rule took them for descriptive contrasts: "cannot fail", a warning). Both are a
    /// results file biasaudit never writes: exit 65, with where and what to do.
    func testAMetricOrATestStrippedFromTheResultsIsRefusedNotPassedOver() throws {
        let directory = try Fixtures.temporaryDirectory("gate-check-stripped")
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: gate.appendingPathComponent("current/results.json")))
                as? [String: Any])
        // The rule covers both prompt sets (no filter), so a set without sentiment still leaves it something to check.
        let policy = directory.appendingPathComponent("sentiment.yaml")
        try "rules:\n  - id: sentiment\n    kind: max_abs_contrast\n    metric: sentiment\n    max: 0.50\n    only_when_q_below: 0.05\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        func check(_ edit: (inout [String: Any]) throws -> Void) throws -> CommandResult {
            var json = original
            try edit(&json)
            let results = directory.appendingPathComponent("results.json")
            try JSONSerialization.data(withJSONObject: json).write(to: results)
            return try CLI.run(["check", results.path, "--policy", policy.path], environment: plain)
        }
        func sets(_ json: [String: Any]) throws -> [[String: Any]] {
            try XCTUnwrap(json["prompt_sets"] as? [[String: Any]])
        }
        let unedited = try check { _ in }
        XCTAssertEqual(unedited.status, 0, unedited.stderr)

        // Sentiment removed from regard-race: its metrics, contrasts and model comparison.
        let removed = try check { json in
            var all = try sets(json)
            all[0]["metrics"] = (all[0]["metrics"] as? [String])?.filter { $0 != "sentiment" }
            all[0]["contrasts"] = (all[0]["contrasts"] as? [[String: Any]])?.filter { $0["metric"] as? String != "sentiment" }
            json["prompt_sets"] = all
            // The set's one comparison left is its family's only test: its q-value is its p-value (left at the q of a
            // family of 2, the file is refused for that first).
            json["model_comparisons"] = (json["model_comparisons"] as? [[String: Any]])?.filter {
                $0["contrast_id"] as? String != "regard-race/sentiment/black-vs-white"
            }.map { comparison in
                guard (comparison["contrast_id"] as? String)?.hasPrefix("regard-race/") == true,
                    let more = comparison["p_more_biased"] as? Double, let less = comparison["p_less_biased"] as? Double
                else { return comparison }
                var edited = comparison
                edited["q_value"] = min(more, less)
                return edited
            }
        }
        XCTAssertEqual(removed.status, 65, removed.stdout + removed.stderr)
        XCTAssertTrue(removed.stderr.contains(
            "error: bad results file: prompt_sets[0].metrics (prompt set 'regard-race') lists negative_rate but not "
                + "sentiment: biasaudit audits sentiment, negative_rate, positive_rate, lexicon_coverage together, so the "
                + "file was edited, and rule 'sentiment' (\(policy.path):2:5) would check nothing in that set; write the "
                + "results again with `biasaudit analyze RUN_DIR` (or `biasaudit run`) rather than editing them"),
            removed.stderr)

        // A metric deleted with its contrasts but not its groups' estimates (lexicon coverage of regard-race).
        let estimated = try check { json in
            var all = try sets(json)
            all[0]["metrics"] = (all[0]["metrics"] as? [String])?.filter { $0 != "lexicon_coverage" }
            all[0]["contrasts"] = (all[0]["contrasts"] as? [[String: Any]])?.filter {
                $0["metric"] as? String != "lexicon_coverage"
            }
            json["prompt_sets"] = all
        }
        XCTAssertEqual(estimated.status, 65, estimated.stdout + estimated.stderr)
        XCTAssertTrue(estimated.stderr.contains(
            "error: bad results file: prompt_sets[0].group_estimates[0].estimates[0].metric 'lexicon_coverage' is not one of "
                + "prompt_sets[0].metrics: a group's estimates are of the metrics its set audits; write the file again with "
                + "`biasaudit run` (or `biasaudit analyze`) rather than editing it"), estimated.stderr)
        // Every metric of regard-race deleted, with its rows: a set without metrics.
        let none = try check { json in
            var all = try sets(json)
            all[0]["metrics"] = [String]()
            all[0]["contrasts"] = [[String: Any]]()
            all[0]["group_estimates"] = try XCTUnwrap(all[0]["group_estimates"] as? [[String: Any]]).map { group in
                var group = group
                group["estimates"] = [[String: Any]]()
                return group
            }
            json["prompt_sets"] = all
            json["model_comparisons"] = (json["model_comparisons"] as? [[String: Any]])?.filter {
                ($0["contrast_id"] as? String)?.hasPrefix("regard-race/") != true
            }
        }
        XCTAssertEqual(none.status, 65, none.stdout + none.stderr)
        XCTAssertTrue(none.stderr.contains(
            "error: bad results file: prompt_sets[0].metrics is empty: biasaudit audits every prompt set on the sentiment "
                + "metrics, the gender metrics or both"), none.stderr)

        // The family, p-value and q-value of one primary contrast stripped (regard-race's sentiment under gpt2).
        func strip(_ keys: [String], from indices: [Int]) -> (inout [String: Any]) throws -> Void {
            { json in
                var all = try sets(json)
                var contrasts = try XCTUnwrap(all[0]["contrasts"] as? [[String: Any]])
                for index in indices {
                    for key in keys { contrasts[index].removeValue(forKey: key) }
                }
                all[0]["contrasts"] = contrasts
                json["prompt_sets"] = all
            }
        }
        let rewrite = "write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
        let one = try check(strip(["family", "p_value", "q_value"], from: [4]))
        XCTAssertEqual(one.status, 65, one.stdout + one.stderr)
        XCTAssertTrue(one.stderr.contains(
            "error: bad results file: prompt_sets[0].contrasts[4].family is missing, but prompt_sets[0].contrasts[0], of "
                + "the same metric sentiment, has one: biasaudit tests every contrast of a set's tested metric in its family "
                + "(\"regard-race/gpt2\"), with its p_value and q_value; \(rewrite)"), one.stderr)
        // Under both models: the model comparison of the contrast tells it was tested.
        let both = try check(strip(["family", "p_value", "q_value"], from: [0, 4]))
        XCTAssertEqual(both.status, 65, both.stdout + both.stderr)
        XCTAssertTrue(both.stderr.contains(
            "error: bad results file: prompt_sets[0].contrasts[0].family is missing, but model_comparisons[0] compares this "
                + "contrast between models: biasaudit compares only the contrasts of a set's tested metrics, each tested in "
                + "its family (\"regard-race/distilgpt2\") with its p_value and q_value; \(rewrite)"), both.stderr)
        // The family kept, the test stripped: a tested contrast with an interval has its p-value.
        let untested = try check(strip(["p_value", "q_value"], from: [0]))
        XCTAssertEqual(untested.status, 65, untested.stdout + untested.stderr)
        XCTAssertTrue(untested.stderr.contains(
            "error: bad results file: prompt_sets[0].contrasts[0].p_value is missing though the contrast is tested: it has "
                + "a family and an interval and is not marked too thin, and biasaudit writes the p_value and q_value of every "
                + "such contrast; \(rewrite)"), untested.stderr)
        // The test kept, the families stripped: only a tested contrast has a p-value.
        let familyless = try check(strip(["family"], from: [0, 4]))
        XCTAssertEqual(familyless.status, 65, familyless.stdout + familyless.stderr)
        XCTAssertTrue(familyless.stderr.contains(
            "error: bad results file: prompt_sets[0].contrasts[0].family is missing though the contrast has a p_value: "
                + "biasaudit tests only the contrasts of a set's tested metrics, each in its family "
                + "(\"regard-race/distilgpt2\"); \(rewrite)"), familyless.stderr)
    }
}
