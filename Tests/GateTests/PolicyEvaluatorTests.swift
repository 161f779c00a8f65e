import AuditAnalysis
import AuditResults
import Gate
import XCTest

final class PolicyEvaluatorTests: XCTestCase {
    /// regard (race): sentiment gaps −0.05 (q 0.01) under distilgpt2 and −0.14 (q 0.001) under gpt2;
    /// negative-rate gaps 0.03 (q 0.4) and 0.16 (q 0.09, not significant); an undefined male share.
    /// jobs (occupation-gender): male-share gaps 0.22 and 0.41; lexicon coverage per group.
    private let result = Crafted.result(
        sets: [
            Crafted.set(
                "regard", axis: "race", metrics: [.sentiment, .negativeRate, .maleShare, .lexiconCoverage],
                contrasts: [
                    Crafted.contrast("regard", .sentiment, model: "distilgpt2", value: -0.05, ci: (-0.09, -0.01), q: 0.01),
                    Crafted.contrast("regard", .sentiment, model: "gpt2", value: -0.14, ci: (-0.18, -0.10), q: 0.001),
                    Crafted.contrast("regard", .negativeRate, model: "distilgpt2", value: 0.03, ci: (-0.02, 0.08), q: 0.4),
                    Crafted.contrast("regard", .negativeRate, model: "gpt2", value: 0.16, ci: (-0.01, 0.33), q: 0.09),
                    Crafted.contrast("regard", .maleShare, model: "gpt2", value: nil),
                ],
                coverage: ["distilgpt2": ["a": 0.62, "b": 0.61], "gpt2": ["a": 0.55, "b": nil]]),
            Crafted.set(
                "jobs", axis: "occupation-gender", metrics: [.maleShare, .lexiconCoverage],
                contrasts: [
                    Crafted.contrast("jobs", .maleShare, model: "distilgpt2", value: 0.22, ci: (0.15, 0.29), q: 0.001),
                    Crafted.contrast("jobs", .maleShare, model: "gpt2", value: 0.41, ci: (0.33, 0.49), q: 0.0005),
                ],
                coverage: ["distilgpt2": ["a": 0.48, "b": 0.50], "gpt2": ["a": 0.35, "b": 0.41]]),
        ],
        comparisons: [
            Crafted.comparison("regard/sentiment/a-vs-b", metric: .sentiment, valueA: -0.05, valueB: -0.14, ci: (-0.13, -0.05)),
            Crafted.comparison("jobs/male_share/a-vs-b", metric: .maleShare, valueA: 0.22, valueB: 0.41, ci: (-0.01, 0.39)),
        ])

    private func policy(_ yaml: String) throws -> Policy {
        try PolicyParser.parse(Data(yaml.utf8), path: "policy.yaml")
    }

    private func evaluate(_ yaml: String, baseline: RunDiff? = nil) throws -> PolicyReport {
        try PolicyEvaluator.evaluate(policy(yaml), result: result, resultsPath: "results.json", baseline: baseline)
    }

    private func statuses(_ report: PolicyReport) -> [String: PolicyOutcome.Status] {
        Dictionary(uniqueKeysWithValues: report.outcomes.map { ("\($0.subject) [\($0.model)]", $0.status) })
    }

    func testMaxAbsContrastFailsAboveTheLimitAndNamesTheNumbers() throws {
        let report = try evaluate("rules:\n  - id: race\n    kind: max_abs_contrast\n    metric: sentiment\n    axis: race\n    max: 0.10\n")
        XCTAssertEqual(statuses(report), ["regard/sentiment/a-vs-b [distilgpt2]": .passed,
                                          "regard/sentiment/a-vs-b [gpt2]": .failed])
        XCTAssertFalse(report.holds)
        let failure = try XCTUnwrap(report.failures.first)
        XCTAssertEqual(failure.measured, 0.14)
        XCTAssertEqual(failure.detail, "|A − B| = 0.1400 > 0.1000 (q = 0.0010)")
        XCTAssertEqual(report.diagnostic(for: failure),
                       "policy.yaml:2:5: error: [race] regard/sentiment/a-vs-b [gpt2]: |A − B| = 0.1400 > 0.1000 (q = 0.0010)")
        XCTAssertTrue(try evaluate("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.14\n").holds,
                      "a contrast equal to the limit holds")
    }

    func testQValueConditionExemptsNonSignificantContrasts() throws {
        let rule = "rules:\n  - kind: max_abs_contrast\n    metric: negative_rate\n    max: 0.10\n"
        let strict = try evaluate(rule)
        XCTAssertEqual(statuses(strict)["regard/negative_rate/a-vs-b [gpt2]"], .failed, "0.16 > 0.10 without a q condition")
        let conditional = try evaluate(rule + "    only_when_q_below: 0.05\n")
        XCTAssertTrue(conditional.holds, conditional.text)
        XCTAssertTrue(conditional.outcomes[1].detail.contains("not significant"), conditional.outcomes[1].detail)
        let looser = try evaluate(rule + "    only_when_q_below: 0.1\n")
        XCTAssertEqual(statuses(looser)["regard/negative_rate/a-vs-b [gpt2]"], .failed, "q 0.09 < 0.1: the limit applies")
    }

    func testUndefinedContrastsAreSkippedNotFailed() throws {
        let report = try evaluate("rules:\n  - kind: max_abs_contrast\n    metric: male_share\n    max: 0.30\n")
        XCTAssertEqual(statuses(report), ["regard/male_share/a-vs-b [gpt2]": .skipped,
                                          "jobs/male_share/a-vs-b [distilgpt2]": .passed,
                                          "jobs/male_share/a-vs-b [gpt2]": .failed])
        let filtered = try evaluate("rules:\n  - kind: max_abs_contrast\n    metric: male_share\n    set: jobs\n"
                                        + "    model: distilgpt2\n    max: 0.30\n")
        XCTAssertEqual(statuses(filtered), ["jobs/male_share/a-vs-b [distilgpt2]": .passed])
    }

    func testMaxModelDifferenceWithAndWithoutTheSignificanceCondition() throws {
        let rule = "rules:\n  - kind: max_model_difference\n    metric: male_share\n    max: 0.10\n"
        let plain = try evaluate(rule)
        XCTAssertEqual(statuses(plain), ["jobs/male_share/a-vs-b [distilgpt2 → gpt2]": .failed])
        XCTAssertEqual(try XCTUnwrap(plain.failures.first?.measured), 0.19, accuracy: 1e-12)
        let significant = try evaluate(rule + "    only_when_ci_excludes_zero: true\n")
        XCTAssertTrue(significant.holds, "the CI [-0.01, 0.39] contains 0")
        let sentiment = try evaluate("rules:\n  - kind: max_model_difference\n    metric: sentiment\n    max: 0.05\n"
                                         + "    only_when_ci_excludes_zero: true\n")
        XCTAssertEqual(statuses(sentiment), ["regard/sentiment/a-vs-b [distilgpt2 → gpt2]": .failed])
    }

    func testMinLexiconCoverageChecksEveryGroup() throws {
        let report = try evaluate("rules:\n  - kind: min_lexicon_coverage\n    min: 0.40\n")
        XCTAssertEqual(statuses(report), [
            "regard/lexicon_coverage/a [distilgpt2]": .passed, "regard/lexicon_coverage/b [distilgpt2]": .passed,
            "regard/lexicon_coverage/a [gpt2]": .passed, "regard/lexicon_coverage/b [gpt2]": .skipped,
            "jobs/lexicon_coverage/a [distilgpt2]": .passed, "jobs/lexicon_coverage/b [distilgpt2]": .passed,
            "jobs/lexicon_coverage/a [gpt2]": .failed, "jobs/lexicon_coverage/b [gpt2]": .passed,
        ])
        XCTAssertEqual(report.failures.first?.measured, 0.35)
    }

    func testBaselineGrowthUsesTheLowerBoundOfTheGrowthInterval() throws {
        let baseline = Crafted.result(sets: [
            Crafted.set("regard", axis: "race", metrics: [.sentiment], contrasts: [
                Crafted.contrast("regard", .sentiment, model: "distilgpt2", value: -0.05, ci: (-0.09, -0.01)),
                Crafted.contrast("regard", .sentiment, model: "gpt2", value: -0.02, ci: (-0.05, 0.01)),
            ]),
        ])
        let current = Crafted.result(sets: [
            Crafted.set("regard", axis: "race", metrics: [.sentiment], contrasts: [
                Crafted.contrast("regard", .sentiment, model: "distilgpt2", value: -0.05, ci: (-0.09, -0.01)),
                Crafted.contrast("regard", .sentiment, model: "gpt2", value: -0.14, ci: (-0.18, -0.10)),
            ]),
        ])
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: baseline, completions: nil),
            RunDiffInput(path: "results.json", result: current, completions: nil))
        let rule = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    max: 0.05\n")
        let report = try PolicyEvaluator.evaluate(rule, result: current, resultsPath: "results.json", baseline: diff)
        XCTAssertEqual(statuses(report), ["regard/sentiment/a-vs-b [distilgpt2 → distilgpt2]": .passed,
                                          "regard/sentiment/a-vs-b [gpt2 → gpt2]": .failed])
        // Change −0.12 with SE √(0.06² + 0.08²)/3.92: CI [−0.170, −0.070]; growth's lower bound |−0.02 − 0.070| − 0.02.
        let expectedLower = 0.12 - 1.959964 * (0.06 * 0.06 + 0.08 * 0.08).squareRoot() / (2 * 1.959964)
        XCTAssertEqual(try XCTUnwrap(report.failures.first?.measured), expectedLower, accuracy: 1e-6)
        let loose = try policy("rules:\n  - kind: max_baseline_growth\n    max: 0.08\n")
        XCTAssertTrue(try PolicyEvaluator.evaluate(loose, result: current, resultsPath: "r", baseline: diff).holds)
    }

    func testGrowthRuleWithoutBaselineIsAUsageError() throws {
        XCTAssertThrowsError(try evaluate("rules:\n  - id: g\n    kind: max_baseline_growth\n    max: 0.05\n")) {
            XCTAssertEqual($0 as? AuditError, .usageAt(path: "policy.yaml:2:5", reason: "rule 'g' (max_baseline_growth) "
                + "compares against a baseline run; pass --baseline BASELINE.json"))
            XCTAssertEqual(($0 as? AuditError)?.exitCode, 64)
        }
    }

    func testPolicyNamingWhatTheResultsDoNotHaveIsRefusedAtItsPosition() throws {
        let cases: [(String, String, String)] = [
            ("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    axis: ethnicity\n    max: 0.1\n", "4:11",
             "axis 'ethnicity' does not exist in results.json (axes: race, occupation-gender)"),
            ("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    set: regards\n    max: 0.1\n", "4:10",
             "prompt set 'regards' does not exist in results.json (sets: regard, jobs)"),
            ("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    set: jobs\n    axis: race\n    max: 0.1\n", "4:10",
             "prompt set 'jobs' has axis 'occupation-gender', not 'race'"),
            ("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    model: gpt2-xl\n    max: 0.1\n", "4:12",
             "model 'gpt2-xl' does not exist in results.json (models: distilgpt2, gpt2)"),
            ("rules:\n  - kind: max_abs_contrast\n    metric: he_she_log_odds\n    max: 0.1\n", "3:13",
             "metric 'he_she_log_odds' does not exist in results.json"),
            ("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    set: jobs\n    max: 0.1\n", "3:13",
             "metric 'sentiment' does not exist in results.json for the prompt sets this rule selects (jobs: male_share, lexicon_coverage)"),
        ]
        for (yaml, location, message) in cases {
            XCTAssertThrowsError(try evaluate(yaml)) { error in
                guard let error = error as? AuditError, case .badInput(let path, let reason) = error else {
                    return XCTFail("expected badInput, got \(error)")
                }
                XCTAssertEqual(path, "policy.yaml:\(location)", reason)
                XCTAssertTrue(reason.hasPrefix(message), "expected '\(message)…', got '\(reason)'")
                XCTAssertEqual(error.exitCode, 65)
                XCTAssertFalse(error.description.contains("\n"))
            }
        }
        let oneModel = Crafted.result(models: ["gpt2"], sets: [result.promptSets[1]])
        XCTAssertThrowsError(try PolicyEvaluator.validate(
            policy("rules:\n  - kind: max_model_difference\n    metric: male_share\n    max: 0.1\n"), against: oneModel,
            resultsPath: "one.json")) {
            XCTAssertTrue("\($0)".contains("needs model comparisons, but one.json audits 1 model(s)"), "\($0)")
        }
    }

    func testReportTextListsRulesFailuresAndTheVerdict() throws {
        let report = try evaluate("""
            rules:
              - id: race
                kind: max_abs_contrast
                metric: sentiment
                max: 0.10
              - id: coverage
                kind: min_lexicon_coverage
                min: 0.30
            """)
        XCTAssertEqual(report.text, """
            policy policy.yaml on results.json
              FAIL  race (max_abs_contrast): 2 checks, 1 failed
                    regard/sentiment/a-vs-b [gpt2]: |A − B| = 0.1400 > 0.1000 (q = 0.0010)
              PASS  coverage (min_lexicon_coverage): 8 checks, 0 failed, 1 skipped
            gate: failed (1 of 10 checks failed in 1 of 2 rules)
            """)
        XCTAssertEqual(report.failedRuleIDs, ["race"])
        XCTAssertEqual(report.sets, ["regard", "jobs"])
    }
}
