import AuditAnalysis
import AuditResults
@testable import Gate
import XCTest

final class PolicyEvaluatorTests: XCTestCase {
    /// regard (race): sentiment gaps −0.05 (q 0.01) under distilgpt2 and −0.14 (q 0.001) under gpt2;
    /// negative-rate gaps 0.03 (q 0.4) and 0.16 (q 0.09, not significant); a male share from too few
    /// gendered words under distilgpt2 and an undefined one under gpt2; a descriptive lexicon-coverage gap.
    /// jobs (occupation-gender): male-share gaps 0.22 and 0.41; lexicon coverage per group.
    /// Model comparisons: regard's sentiment gap is more biased under gpt2 (q 0.002); jobs' male share
    /// changes by 0.19 with no detectable change (q 0.12).
    private let result = Crafted.result(
        sets: [
            Crafted.set(
                "regard", axis: "race", metrics: [.sentiment, .negativeRate, .maleShare, .lexiconCoverage],
                contrasts: [
                    Crafted.contrast("regard", .sentiment, model: "distilgpt2", value: -0.05, ci: (-0.09, -0.01), q: 0.01),
                    Crafted.contrast("regard", .sentiment, model: "gpt2", value: -0.14, ci: (-0.18, -0.10), q: 0.001),
                    Crafted.contrast("regard", .negativeRate, model: "distilgpt2", value: 0.03, ci: (-0.02, 0.08), q: 0.4),
                    Crafted.contrast("regard", .negativeRate, model: "gpt2", value: 0.16, ci: (-0.01, 0.33), q: 0.09),
                    Crafted.contrast("regard", .maleShare, model: "distilgpt2", value: 0.5,
                                     insufficient: "too few gendered words (4 in a group, below the minimum of 20)"),
                    Crafted.contrast("regard", .maleShare, model: "gpt2", value: nil),
                    Crafted.contrast("regard", .lexiconCoverage, model: "gpt2", value: 0.2, ci: (0.1, 0.3)),
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
            Crafted.comparison("regard/sentiment/a-vs-b", metric: .sentiment, valueA: -0.05, valueB: -0.14, ci: (-0.13, -0.05),
                               p: (0.001, 1), q: 0.002, verdict: .moreBiased, ciA: (-0.09, -0.01), ciB: (-0.18, -0.10)),
            Crafted.comparison("jobs/male_share/a-vs-b", metric: .maleShare, valueA: 0.22, valueB: 0.41, ci: (-0.01, 0.39),
                               p: (0.06, 1), q: 0.12, verdict: .noDetectableChange, ciA: (0.15, 0.29), ciB: (0.33, 0.49)),
        ])

    /// Every `value [lower, upper]` printed in `text`, as numbers.
    private func printedIntervals(_ text: String) throws -> [(value: Double, lower: Double, upper: Double)] {
        let number = "(-?[0-9]+\\.[0-9]+(?:e-?[0-9]+)?)"
        let pattern = try NSRegularExpression(pattern: "\(number) \\[\(number), \(number)\\]")
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).map { match in
            let values = (1...3).map { Double(text[Range(match.range(at: $0), in: text)!])! }
            return (values[0], values[1], values[2])
        }
    }

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
        XCTAssertEqual(failure.detail, "a − b = -0.1400 [-0.1800, -0.1000] (q = 0.001); |a − b| = 0.1400 > 0.1000")
        XCTAssertEqual(report.diagnostic(for: failure),
                       "policy.yaml:2:5: error: [race] regard/sentiment/a-vs-b [gpt2]: "
                           + "a − b = -0.1400 [-0.1800, -0.1000] (q = 0.001); |a − b| = 0.1400 > 0.1000")
        XCTAssertTrue(try evaluate("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.14\n").holds,
                      "a contrast equal to the limit holds")
        // Rounding is not a violation (review: B − A = 2.78e-17 of two contrasts printed alike failed `max: 0`); a
        // difference beyond rounding is.
        XCTAssertFalse(PolicyEvaluator.exceeds(2.78e-17, 0))
        XCTAssertFalse(PolicyEvaluator.exceeds(0.14 + 1e-15, 0.14))
        XCTAssertTrue(PolicyEvaluator.exceeds(1e-9, 0))
        XCTAssertTrue(PolicyEvaluator.exceeds(0.1400001, 0.14))
    }

    /// The report carries the completions digest the results record (for the JUnit file), and none when they have none.
    func testTheReportCarriesTheCompletionsDigestOfTheResults() throws {
        let rule = "rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.10\n"
        XCTAssertNil(try evaluate(rule).completionsSHA256)
        var recorded = result
        recorded.manifest.completionsSHA256 = String(repeating: "ab", count: 32)
        let report = try PolicyEvaluator.evaluate(policy(rule), result: recorded, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(report.completionsSHA256, String(repeating: "ab", count: 32))
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
        // A q within rounding of the limit is not below it, as a value within rounding of `max` does not exceed it (a CI
        // team's review: "q = 0.36050677 < 0.36050677" failed a rule).
        let rounding = try evaluate(rule + "    only_when_q_below: 0.09000000000001\n")
        let atLimit = try XCTUnwrap(rounding.outcomes.first { $0.subject == "regard/negative_rate/a-vs-b" && $0.model == "gpt2" })
        XCTAssertEqual(atLimit.status, .passed, atLimit.detail)
        XCTAssertTrue(atLimit.detail.contains("(q = 0.09000000000001 ≥ 0.09000000000001)"), atLimit.detail)
        XCTAssertTrue(PolicyEvaluator.below(0.05 - 1e-9, 0.05))
        XCTAssertFalse(PolicyEvaluator.below(0.05 - 1e-15, 0.05))
    }

    func testThinAndUndefinedMaleSharesAreInsufficientData() throws {
        let rule = "rules:\n  - kind: max_abs_contrast\n    metric: male_share\n    max: 0.30\n"
        let report = try evaluate(rule)
        XCTAssertEqual(statuses(report), ["regard/male_share/a-vs-b [distilgpt2]": .insufficientData,
                                          "regard/male_share/a-vs-b [gpt2]": .insufficientData,
                                          "jobs/male_share/a-vs-b [distilgpt2]": .passed,
                                          "jobs/male_share/a-vs-b [gpt2]": .failed])
        let thin = try XCTUnwrap(report.outcomes.first { $0.status == .insufficientData })
        XCTAssertEqual(thin.detail, "insufficient data: too few gendered words (4 in a group, below the minimum of 20); "
            + "the contrast has no interval or test, so the limit is not applied")
        XCTAssertNil(thin.measured, "a gap from 4 gendered words is no measurement")
        XCTAssertEqual(report.failures.map(\.subject), ["jobs/male_share/a-vs-b"], "|0.50| from 4 words does not fail")
        XCTAssertEqual(report.warnings.map(\.status), [.insufficientData, .insufficientData])
        XCTAssertEqual(report.outcomes[1].detail,
                       "insufficient data: a group has no gendered word at all, so there is no male share to compare")
        XCTAssertTrue(report.diagnostic(for: thin).hasPrefix("policy.yaml:2:5: warning: [max_abs_contrast-1]"),
                      report.diagnostic(for: thin))
        // An undefined share that records its reason gives that reason, naming the thinner group, as the report and
        // `diff` do (a newcomer's review: "a group has no gendered word at all (1 gendered words …)" beside their
        // "0 in group a"); one without a reason keeps the count, in the singular for one word.
        var named = result
        let set = try XCTUnwrap(named.promptSets.firstIndex { $0.name == "regard" })
        let index = try XCTUnwrap(named.promptSets[set].contrasts.firstIndex { $0.metric == .maleShare && $0.model == "gpt2" })
        let detail = InsufficientSupport(reason: .tooFewGenderedWords, observed: 0, minimum: 20, group: "a")
        named.promptSets[set].contrasts[index].difference.insufficientDetail = detail
        named.promptSets[set].contrasts[index].difference.insufficient = detail.englishText
        let withReason = try PolicyEvaluator.evaluate(policy(rule), result: named, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(withReason.outcomes[1].detail, "insufficient data: too few gendered words (0 in group a, below the "
            + "minimum of 20); the contrast has no value, so nothing is measured against the limit")
        // Groups that share no template say so, whatever the reason their empty arms record (a review).
        named.promptSets[set].contrasts[index].templatesCompared = []
        let noCommon = try PolicyEvaluator.evaluate(policy(rule), result: named, resultsPath: "results.json", baseline: nil)
        XCTAssertTrue(noCommon.outcomes[1].detail.contains("its two groups share no template"), noCommon.outcomes[1].detail)
        named.promptSets[set].contrasts[index].templatesCompared = nil
        named.promptSets[set].contrasts[index].difference.insufficientDetail = nil
        named.promptSets[set].contrasts[index].difference.insufficient = nil
        named.promptSets[set].contrasts[index].difference.weight = 1
        let oneWord = try PolicyEvaluator.evaluate(policy(rule), result: named, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(oneWord.outcomes[1].detail, "insufficient data: a group has no gendered word at all (1 gendered "
            + "word in both groups together), so there is no male share to compare")
        let strict = try PolicyEvaluator.evaluate(
            policy(rule), result: result, resultsPath: "results.json", baseline: nil, strict: true)
        XCTAssertEqual(strict.failures.map(\.status), [.insufficientData, .insufficientData, .failed],
                       "--strict fails on insufficient data")
        XCTAssertTrue(strict.diagnostic(for: thin).hasPrefix("policy.yaml:2:5: error: "), strict.diagnostic(for: thin))
        // The rule line says which counts fail it under --strict (review: "FAIL … 0 failed, 1 insufficient data").
        let onlyThin = try PolicyEvaluator.evaluate(
            policy("rules:\n  - kind: max_abs_contrast\n    description: Gendered words in regard\n    metric: male_share\n"
                   + "    set: regard\n    max: 0.30\n"),
            result: result, resultsPath: "results.json", baseline: nil, strict: true)
        XCTAssertTrue(onlyThin.text.contains(
            "  FAIL  max_abs_contrast-1 (max_abs_contrast): 2 checks, 0 failed, 2 insufficient data (failing under --strict)\n"
                + "        rule: Gendered words in regard\n"), onlyThin.text)
        // A folded (`>`) or literal (`|`) description is one line of words (review: a trailing "\\n" was shown).
        for block in [">", "|"] {
            let folded = try PolicyEvaluator.evaluate(
                policy("rules:\n  - kind: max_abs_contrast\n    description: \(block)\n      Gendered words\n      in regard\n"
                       + "    metric: male_share\n    set: regard\n    max: 0.30\n"),
                result: result, resultsPath: "results.json", baseline: nil, strict: true)
            XCTAssertTrue(folded.text.contains("        rule: Gendered words in regard\n"), "\(block): \(folded.text)")
        }
        let filtered = try evaluate("rules:\n  - kind: max_abs_contrast\n    metric: male_share\n    set: jobs\n"
                                        + "    model: distilgpt2\n    max: 0.30\n")
        XCTAssertEqual(statuses(filtered), ["jobs/male_share/a-vs-b [distilgpt2]": .passed])
    }

    func testMaxModelDifferenceWithAndWithoutTheSignificanceCondition() throws {
        let rule = "rules:\n  - kind: max_model_difference\n    metric: male_share\n    max: 0.10\n"
        let plain = try evaluate(rule)
        XCTAssertEqual(statuses(plain), ["jobs/male_share/a-vs-b [distilgpt2 → gpt2]": .failed])
        XCTAssertEqual(try XCTUnwrap(plain.failures.first?.measured), 0.19, accuracy: 1e-12)
        XCTAssertEqual(plain.failures.first?.detail, "contrast 0.2200 [0.1500, 0.2900] → 0.4100 [0.3300, 0.4900]; "
            + "B − A = 0.1900 [-0.0100, 0.3900]; no detectable change (q = 0.120); |B − A| = 0.1900 > 0.1000")
        for key in ["only_when_significant", "only_when_ci_excludes_zero"] {
            let significant = try evaluate(rule + "    \(key): true\n")
            XCTAssertTrue(significant.holds, "\(key): the verdict is no detectable change\n\(significant.text)")
            XCTAssertTrue(significant.outcomes[0].detail.hasSuffix("no detectable change (q = 0.120), so the limit does not apply"),
                          significant.outcomes[0].detail)
        }
        // A comparison without a value whose side records why gives that side's reason and model (a newcomer's review:
        // `check` wrote its own "no gendered word at all" beside the report's "0 in group …"); without one, the fallback.
        var undefined = result
        let thin = InsufficientSupport(reason: .tooFewGenderedWords, observed: 0, minimum: 20, group: "b")
        let comparison = try XCTUnwrap(undefined.modelComparisons.firstIndex { $0.metric == .maleShare })
        undefined.modelComparisons[comparison].valueB = nil
        undefined.modelComparisons[comparison].difference.value = nil
        undefined.modelComparisons[comparison].contrastB = MetricEstimate(
            value: nil, lower: nil, upper: nil, n: 10, insufficient: thin.englishText, insufficientDetail: thin)
        let named = try PolicyEvaluator.evaluate(policy(rule), result: undefined, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(named.outcomes.map(\.detail), ["insufficient data: under gpt2, too few gendered words (0 in group b, "
            + "below the minimum of 20); the difference has no value, so nothing is measured against the limit"])
        // A reason on the side that has a value is not the undefined side's (a review: "under distilgpt2, …" was said
        // while distilgpt2's contrast had a value and gpt2's had none).
        let thinA = InsufficientSupport(reason: .tooFewGenderedWords, observed: 4, minimum: 20, group: "a")
        undefined.modelComparisons[comparison].contrastA = MetricEstimate(
            value: 0.22, lower: nil, upper: nil, n: 10, insufficient: thinA.englishText, insufficientDetail: thinA)
        let otherSide = try PolicyEvaluator.evaluate(policy(rule), result: undefined, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(otherSide.outcomes.map(\.detail), ["insufficient data: under gpt2, too few gendered words (0 in group "
            + "b, below the minimum of 20); the difference has no value, so nothing is measured against the limit"])
        // Under a model whose two groups share no template, that is said, not the "0 gendered words" of its empty arms.
        let jobs = try XCTUnwrap(undefined.promptSets.firstIndex { $0.name == "jobs" })
        let gpt2 = try XCTUnwrap(undefined.promptSets[jobs].contrasts.firstIndex { $0.model == "gpt2" })
        undefined.promptSets[jobs].contrasts[gpt2].templatesCompared = []
        let noCommon = try PolicyEvaluator.evaluate(policy(rule), result: undefined, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(noCommon.outcomes.map(\.detail), ["insufficient data: under gpt2, the contrast is undefined: its two "
            + "groups share no template; nothing to measure against the limit"])
        undefined.promptSets[jobs].contrasts[gpt2].templatesCompared = nil
        undefined.modelComparisons[comparison].contrastB = nil
        let unnamed = try PolicyEvaluator.evaluate(policy(rule), result: undefined, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(unnamed.outcomes.map(\.detail), ["insufficient data: a group has no gendered word at all under one "
            + "of the models, so there is no male share to compare"])
        let sentiment = try evaluate("rules:\n  - kind: max_model_difference\n    metric: sentiment\n    max: 0.05\n"
                                         + "    only_when_significant: true\n")
        XCTAssertEqual(statuses(sentiment), ["regard/sentiment/a-vs-b [distilgpt2 → gpt2]": .failed])
        XCTAssertTrue(try XCTUnwrap(sentiment.failures.first).detail.contains("more biased (q = 0.002)"))
    }

    /// Review 83: a `max_model_difference` failure where B is the less biased read as a regression; the line says that
    /// the rule limits a change in either direction.
    func testAFailureWhereBIsLessBiasedSaysTheRuleLimitsEitherDirection() throws {
        var smaller = result
        smaller.modelComparisons = [
            Crafted.comparison("regard/sentiment/a-vs-b", metric: .sentiment, valueA: -0.90, valueB: -0.10, ci: (0.62, 0.98),
                               p: (1, 0.001), q: 0.002, verdict: .lessBiased, ciA: (-1.0, -0.8), ciB: (-0.14, -0.06)),
        ]
        let report = try PolicyEvaluator.evaluate(
            policy("rules:\n  - id: gap\n    kind: max_model_difference\n    metric: sentiment\n    max: 0.50\n"),
            result: smaller, resultsPath: "results.json", baseline: nil)
        XCTAssertFalse(report.holds, report.text)
        XCTAssertEqual(report.failures.first?.detail,
                       "contrast -0.9000 [-1.0000, -0.8000] → -0.1000 [-0.1400, -0.0600]; B − A = 0.8000 [0.6200, 0.9800]; "
                           + "less biased (q = 0.002); |B − A| = 0.8000 > 0.5000; the rule limits a change in either "
                           + "direction, and here B's gap is the smaller (|B| − |A| = -0.8000)")
    }

    func testASameSizeFlipWithAClearChangeIsNotSignificantAndSaysReversed() throws {
        // −0.10 → +0.10: B − A = 0.20 [0.14, 0.26] excludes 0, but |B| = |A|: the joint test finds no change.
        var flipped = result
        flipped.modelComparisons = [
            Crafted.comparison("regard/sentiment/a-vs-b", metric: .sentiment, valueA: -0.10, valueB: 0.10, ci: (0.14, 0.26),
                               p: (1, 1), q: 1, verdict: .noDetectableChange, ciA: (-0.14, -0.06), ciB: (0.06, 0.14)),
        ]
        let report = try PolicyEvaluator.evaluate(
            policy("rules:\n  - id: gap\n    kind: max_model_difference\n    metric: sentiment\n    max: 0.10\n"
                       + "    only_when_significant: true\n"),
            result: flipped, resultsPath: "results.json", baseline: nil)
        XCTAssertTrue(report.holds, report.text)
        XCTAssertEqual(report.outcomes.first?.detail,
                       "contrast -0.1000 [-0.1400, -0.0600] → 0.1000 [0.0600, 0.1400]; B − A = 0.2000 [0.1400, 0.2600]; "
                           + "no detectable change (q = 1.000), direction reversed, so the limit does not apply")
    }

    func testQGatedRulesWithoutAQValueCannotFailWithThisDesign() throws {
        let rule = "rules:\n  - kind: max_abs_contrast\n    metric: lexicon_coverage\n    max: 0.05\n    only_when_q_below: 0.05\n"
        let report = try evaluate(rule)
        XCTAssertEqual(statuses(report), ["regard/lexicon_coverage/a-vs-b [gpt2]": .cannotFail])
        XCTAssertTrue(report.holds, "a warning, not a failure")
        XCTAssertEqual(report.outcomes[0].detail, "cannot fail with this design: a − b = 0.2000 [0.1000, 0.3000]; "
            + "only_when_q_below needs a q-value, and lexicon_coverage is descriptive: it is never tested and has no q-value")
        XCTAssertTrue(report.text.contains("WARN  max_abs_contrast-1 (max_abs_contrast): 1 check, 0 failed, "
            + "1 cannot fail with this design"), report.text)
        let strict = try PolicyEvaluator.evaluate(policy(rule), result: result, resultsPath: "r", baseline: nil, strict: true)
        XCTAssertFalse(strict.holds, "--strict fails a rule that cannot fail")

        // A primary contrast without a test (no variance estimate): the same warning, with that reason.
        var untested = result
        untested.promptSets[0].contrasts = [Crafted.contrast("regard", .sentiment, model: "gpt2", value: -0.3)]
        let noTest = try PolicyEvaluator.evaluate(
            policy("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.1\n    only_when_q_below: 0.05\n"),
            result: untested, resultsPath: "r", baseline: nil)
        XCTAssertEqual(noTest.outcomes.map(\.status), [.cannotFail])
        XCTAssertTrue(noTest.outcomes[0].detail.hasSuffix("the design gives this contrast no variance estimate, so it has "
            + "no test and no q-value"), noTest.outcomes[0].detail)

        // A verdict-gated model difference without a test.
        var noVerdict = result
        noVerdict.modelComparisons = [
            Crafted.comparison("regard/sentiment/a-vs-b", metric: .sentiment, valueA: -0.05, valueB: -0.14, ci: nil),
        ]
        let undetermined = try PolicyEvaluator.evaluate(
            policy("rules:\n  - kind: max_model_difference\n    metric: sentiment\n    max: 0.05\n    only_when_significant: true\n"),
            result: noVerdict, resultsPath: "r", baseline: nil)
        XCTAssertEqual(undetermined.outcomes.map(\.status), [.cannotFail], undetermined.text)
    }

    func testEveryPrintedEstimateLiesInsideItsPrintedInterval() throws {
        let report = try evaluate("""
            rules:
              - kind: max_abs_contrast
                metric: sentiment
                max: 0.01
              - kind: max_abs_contrast
                metric: negative_rate
                max: 0.01
              - kind: max_model_difference
                metric: sentiment
                max: 0.01
              - kind: max_model_difference
                metric: male_share
                max: 0.01
            """)
        let intervals = try report.outcomes.flatMap { try printedIntervals($0.detail) }
        XCTAssertGreaterThanOrEqual(intervals.count, 8, report.text)
        for interval in intervals {
            XCTAssertTrue(interval.lower <= interval.value && interval.value <= interval.upper,
                          "\(interval.value) printed outside [\(interval.lower), \(interval.upper)]\n\(report.text)")
        }
    }

    func testMinLexiconCoverageChecksEveryGroup() throws {
        let report = try evaluate("rules:\n  - kind: min_lexicon_coverage\n    min: 0.40\n")
        XCTAssertEqual(statuses(report), [
            "regard/lexicon_coverage/a [distilgpt2]": .passed, "regard/lexicon_coverage/b [distilgpt2]": .passed,
            "regard/lexicon_coverage/a [gpt2]": .passed, "regard/lexicon_coverage/b [gpt2]": .insufficientData,
            "jobs/lexicon_coverage/a [distilgpt2]": .passed, "jobs/lexicon_coverage/b [distilgpt2]": .passed,
            "jobs/lexicon_coverage/a [gpt2]": .failed, "jobs/lexicon_coverage/b [gpt2]": .passed,
        ])
        XCTAssertEqual(report.failures.first?.measured, 0.35)
    }

    /// A practitioner's review: the lexicon coverage estimates below a `min_lexicon_coverage` deleted from results.json
    /// turned the failing checks into "insufficient data … (the group has no completions)", warnings that pass the gate.
    /// A group with completions and no coverage estimate fails, as a dropped model does; one without completions stays a
    /// warning.
    func testADeletedCoverageEstimateFailsTheRule() throws {
        var edited = result
        let jobs = try XCTUnwrap(edited.promptSets.firstIndex { $0.name == "jobs" })
        let row = try XCTUnwrap(edited.promptSets[jobs].groupEstimates.firstIndex { $0.model == "gpt2" && $0.group == "a" })
        edited.promptSets[jobs].groupEstimates[row].estimates = []
        let rules = try policy("rules:\n  - id: coverage\n    kind: min_lexicon_coverage\n    min: 0.40\n")
        let report = try PolicyEvaluator.evaluate(rules, result: edited, resultsPath: "results.json", baseline: nil)
        XCTAssertFalse(report.holds, report.text)
        let failure = try XCTUnwrap(report.failures.first { $0.subject == "jobs/lexicon_coverage/a" && $0.model == "gpt2" })
        XCTAssertNil(failure.measured)
        XCTAssertTrue(failure.detail.contains("the results hold no lexicon coverage of this group, which has 50 completions "
            + "under this model: a candidate does not pass by dropping an estimate"), failure.detail)
        // Kept without a value, it is thin data (completions without a word: all empty texts), said so.
        edited.promptSets[jobs].groupEstimates[row].estimates = [
            MetricValue(metric: .lexiconCoverage, estimate: MetricEstimate(value: nil, lower: nil, upper: nil, n: 50))]
        let emptied = try PolicyEvaluator.evaluate(rules, result: edited, resultsPath: "results.json", baseline: nil)
        let thin = try XCTUnwrap(emptied.outcomes.first { $0.subject == "jobs/lexicon_coverage/a" && $0.model == "gpt2" })
        XCTAssertEqual(thin.status, .insufficientData)
        XCTAssertTrue(thin.detail.contains("has no word in its completions under this model"), thin.detail)
        edited.promptSets[jobs].groupEstimates[row].completions = 0
        let empty = try PolicyEvaluator.evaluate(rules, result: edited, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(empty.outcomes.first { $0.subject == "jobs/lexicon_coverage/a" && $0.model == "gpt2" }?.status, .insufficientData)
    }

    /// Review: a rule that found nothing to check (a results file whose group estimates were emptied) passed the
    /// gate as "0 checks", even under --strict. It is one insufficient-data warning, failing under --strict.
    func testARuleWithNothingToCheckIsInsufficientDataAndFailsUnderStrict() throws {
        var emptied = result
        for index in emptied.promptSets.indices { emptied.promptSets[index].groupEstimates = [] }
        let rules = try policy("rules:\n  - id: coverage\n    kind: min_lexicon_coverage\n    min: 0.40\n")
        let lenient = try PolicyEvaluator.evaluate(rules, result: emptied, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(lenient.outcomes.map(\.status), [.insufficientData])
        XCTAssertTrue(lenient.holds)
        XCTAssertEqual(lenient.warnings.count, 1)
        XCTAssertTrue(lenient.text.contains("  WARN  coverage (min_lexicon_coverage): 1 check, 0 failed, 1 insufficient data"),
                      lenient.text)
        let strict = try PolicyEvaluator.evaluate(rules, result: emptied, resultsPath: "results.json", baseline: nil, strict: true)
        XCTAssertFalse(strict.holds)
        XCTAssertTrue(strict.failures[0].detail.contains("the results hold nothing this rule checks"), strict.failures[0].detail)
    }

    func testBaselineGrowthFailsOnlyWhenMoreBiasedAndGrownBeyondTheLimit() throws {
        let baseline = Crafted.result(sets: [
            Crafted.set("regard", axis: "race", metrics: [.sentiment, .negativeRate], contrasts: [
                Crafted.contrast("regard", .sentiment, model: "distilgpt2", value: -0.05, ci: (-0.09, -0.01)),
                Crafted.contrast("regard", .sentiment, model: "gpt2", value: -0.02, ci: (-0.05, 0.01)),
                Crafted.contrast("regard", .negativeRate, model: "distilgpt2", value: -0.10, ci: (-0.14, -0.06)),
                Crafted.contrast("regard", .negativeRate, model: "gpt2", value: 0.10, ci: (0.0, 0.2)),
            ]),
        ])
        let current = Crafted.result(sets: [
            Crafted.set("regard", axis: "race", metrics: [.sentiment, .negativeRate], contrasts: [
                Crafted.contrast("regard", .sentiment, model: "distilgpt2", value: -0.05, ci: (-0.09, -0.01)),
                Crafted.contrast("regard", .sentiment, model: "gpt2", value: -0.14, ci: (-0.18, -0.10)),
                // The favoured group swaps at the same size: a large change, no growth.
                Crafted.contrast("regard", .negativeRate, model: "distilgpt2", value: 0.10, ci: (0.06, 0.14)),
                // Grows by 0.2 within noise.
                Crafted.contrast("regard", .negativeRate, model: "gpt2", value: 0.30, ci: (-0.1, 0.7)),
            ]),
        ])
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: baseline, completions: nil),
            RunDiffInput(path: "results.json", result: current, completions: nil))
        let rule = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    max: 0.05\n")
        let report = try PolicyEvaluator.evaluate(rule, result: current, resultsPath: "results.json", baseline: diff)
        XCTAssertEqual(statuses(report), ["regard/sentiment/a-vs-b [distilgpt2 → distilgpt2]": .passed,
                                          "regard/sentiment/a-vs-b [gpt2 → gpt2]": .failed,
                                          "regard/negative_rate/a-vs-b [distilgpt2 → distilgpt2]": .passed,
                                          "regard/negative_rate/a-vs-b [gpt2 → gpt2]": .passed], report.text)
        let failure = try XCTUnwrap(report.failures.first)
        XCTAssertEqual(try XCTUnwrap(failure.measured), 0.12, accuracy: 1e-12, "the growth |−0.14| − |−0.02|")
        XCTAssertTrue(failure.detail.hasPrefix("baseline → results: contrast -0.0200 [-0.0500, 0.0100] → "
            + "-0.1400 [-0.1800, -0.1000]; B − A = -0.1200 [-0.1700, -0.0700]; more biased (q "), failure.detail)
        XCTAssertTrue(failure.detail.hasSuffix("; growth |B| − |A| = 0.1200 > 0.0500"), failure.detail)
        XCTAssertEqual(failure.detail.components(separatedBy: "|B| − |A|").count - 1, 1, "the growth is printed once: \(failure.detail)")
        let flip = try XCTUnwrap(report.outcomes.first { $0.subject == "regard/negative_rate/a-vs-b" && $0.model.hasPrefix("distil") })
        XCTAssertTrue(flip.detail.contains("no detectable change") && flip.detail.contains("direction reversed"), flip.detail)
        let loose = try policy("rules:\n  - kind: max_baseline_growth\n    max: 0.13\n")
        XCTAssertTrue(try PolicyEvaluator.evaluate(loose, result: current, resultsPath: "r", baseline: diff).holds,
                      "growth 0.12 ≤ 0.13")
    }

    /// Practitioner's review: a growth rule on a comparison too thin in one run quoted that run's count without saying
    /// which run it was.
    func testAThinGrowthComparisonNamesTheRunThatIsThin() throws {
        func run(_ value: Double, insufficient: String?) -> AuditResult {
            Crafted.result(sets: [Crafted.set("regard", axis: "race", metrics: [.sentiment], contrasts: [
                Crafted.contrast("regard", .sentiment, model: "gpt2", value: value, ci: insufficient == nil ? (-0.2, 0.2) : nil,
                                 insufficient: insufficient),
            ])])
        }
        let thin = run(0.1, insufficient: "too few gendered words (1 in a group, below the minimum of 20)")
        let rule = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    max: 0.05\n")
        for (baseline, current, side) in [(thin, run(0.2, insufficient: nil), "baseline"), (run(0.2, insufficient: nil), thin, "results")] {
            let diff = try RunDiffer.compareRuns(
                RunDiffInput(path: "base.json", result: baseline, completions: nil),
                RunDiffInput(path: "results.json", result: current, completions: nil))
            let report = try PolicyEvaluator.evaluate(rule, result: current, resultsPath: "results.json", baseline: diff)
            let outcome = try XCTUnwrap(report.outcomes.first)
            XCTAssertEqual(outcome.status, .insufficientData)
            XCTAssertTrue(outcome.detail.hasPrefix("insufficient data: in the \(side), too few gendered words (1 in a group"),
                          outcome.detail)
            // The other run's supported contrast is quoted (review: a jump to −1.000 passed without its number).
            let other = side == "baseline" ? "the results' contrast" : "the baseline's contrast"
            XCTAssertTrue(outcome.detail.contains("(\(other): 0.2000 [-0.2000, 0.2000])"), outcome.detail)
        }
        // Thin in both runs: both are named (review: only the baseline was).
        let both = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: thin, completions: nil),
            RunDiffInput(path: "results.json", result: thin, completions: nil))
        let report = try PolicyEvaluator.evaluate(rule, result: thin, resultsPath: "results.json", baseline: both)
        let detail = try XCTUnwrap(report.outcomes.first).detail
        XCTAssertTrue(detail.hasPrefix("insufficient data: in the baseline, too few gendered words (1 in a group, below the "
            + "minimum of 20); in the results, too few"), detail)
    }

    /// A male share without a value in one run (0 gendered words in a group) gives that run's recorded reason, as the
    /// report and `diff` do, not "a group has no gendered word at all" (a newcomer's review of `check`).
    func testAnUndefinedGrowthComparisonGivesItsRunsReason() throws {
        func run(_ value: Double?, insufficient: String?) -> AuditResult {
            Crafted.result(sets: [Crafted.set("jobs", axis: "occupation-gender", metrics: [.maleShare], contrasts: [
                Crafted.contrast("jobs", .maleShare, model: "gpt2", value: value, ci: value == nil ? nil : (0.1, 0.3),
                                 insufficient: insufficient),
            ])])
        }
        let reason = "too few gendered words (0 in group a, below the minimum of 20)"
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: run(nil, insufficient: reason), completions: nil),
            RunDiffInput(path: "results.json", result: run(0.2, insufficient: nil), completions: nil))
        let rule = try policy("rules:\n  - kind: max_baseline_growth\n    metric: male_share\n    max: 0.05\n")
        let report = try PolicyEvaluator.evaluate(rule, result: run(0.2, insufficient: nil), resultsPath: "r", baseline: diff)
        let detail = try XCTUnwrap(report.outcomes.first).detail
        XCTAssertTrue(detail.hasPrefix("insufficient data: in the baseline, \(reason)"), detail)
    }

    /// Code review: a set of one run only was judged by its contrasts' `family`, which results files of earlier builds
    /// lack; `PromptSetResult.isTested` reads those as testing every primary metric, as for the sets both runs have.
    func testASetOfOneRunOnlyIsSaidForResultsWithoutFamilies() throws {
        func run(_ sets: [String]) -> AuditResult {
            var result = Crafted.result(sets: sets.map { name in
                Crafted.set(name, axis: "race", metrics: [.sentiment], contrasts: [
                    Crafted.contrast(name, .sentiment, model: "gpt2", value: 0.1, ci: (-0.1, 0.3)),
                ])
            })
            for s in result.promptSets.indices {
                for c in result.promptSets[s].contrasts.indices { result.promptSets[s].contrasts[c].family = nil }
            }
            return result
        }
        let (baseline, current) = (run(["regard"]), run(["regard", "regard-new"]))
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: baseline, completions: nil),
            RunDiffInput(path: "results.json", result: current, completions: nil))
        XCTAssertEqual(diff.setsOnlyInB?.first?.metrics, [.sentiment])
        let rule = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    max: 0.05\n")
        let report = try PolicyEvaluator.evaluate(rule, result: current, resultsPath: "results.json", baseline: diff, strict: true)
        XCTAssertTrue(report.failures.contains { $0.set == "regard-new" && $0.status == .insufficientData }, report.text)
    }

    /// A hostile review: a results file whose group was renamed (black → black_people) passed a growth rule under
    /// --strict, the baseline's failing contrast gone without a word. A tested contrast of the baseline missing from the
    /// results fails the rule; one new in the results is a warning; with the rule's filters applied.
    func testAContrastOfTheBaselineMissingFromTheResultsFailsAGrowthRule() throws {
        func run(_ groups: [(String, String)]) -> AuditResult {
            Crafted.result(models: ["gpt2"], sets: [
                Crafted.set("regard", axis: "race", metrics: [.sentiment, .negativeRate], contrasts: groups.flatMap { pair in
                    [AuditMetric.sentiment, .negativeRate].map { metric in
                        Crafted.contrast("regard", metric, model: "gpt2", value: 0.1, ci: (-0.1, 0.3), q: 0.5, groups: pair)
                    }
                })
            ])
        }
        let baseline = run([("black", "white"), ("asian", "white")])
        let edited = run([("black_people", "white"), ("asian", "white")])
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: baseline, completions: nil),
            RunDiffInput(path: "results.json", result: edited, completions: nil))
        let rule = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    metric: sentiment\n    max: 0.05\n")
        let report = try PolicyEvaluator.evaluate(rule, result: edited, resultsPath: "results.json", baseline: diff,
                                                  baselineResult: baseline)
        XCTAssertFalse(report.holds, report.text)
        XCTAssertEqual(report.outcomes.filter { $0.status == .failed }.map(\.subject), ["regard/sentiment/black-vs-white"],
                       report.text)
        XCTAssertEqual(report.outcomes.filter { $0.status == .insufficientData }.map(\.subject),
                       ["regard/sentiment/black_people-vs-white"], report.text)
        XCTAssertTrue(report.outcomes.contains { $0.detail.hasPrefix("contrast 'regard/sentiment/black-vs-white' of the "
            + "baseline run is not in the results: a candidate does not pass by dropping it") }, report.text)
        // The unedited pair: every contrast compared, nothing left out.
        let same = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: baseline, completions: nil),
            RunDiffInput(path: "results.json", result: baseline, completions: nil))
        let clean = try PolicyEvaluator.evaluate(rule, result: baseline, resultsPath: "results.json", baseline: same,
                                                 baselineResult: baseline)
        XCTAssertEqual(Set(clean.outcomes.map(\.subject)), ["regard/sentiment/asian-vs-white", "regard/sentiment/black-vs-white"],
                       clean.text)
        XCTAssertTrue(clean.holds, clean.text)
        // The rule's metric filter applies: a rule on % negative fails on that metric's contrast only.
        let other = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    metric: negative_rate\n    max: 0.05\n")
        let negative = try PolicyEvaluator.evaluate(other, result: edited, resultsPath: "results.json", baseline: diff,
                                                    baselineResult: baseline)
        XCTAssertEqual(negative.outcomes.filter { $0.status == .failed }.map(\.subject),
                       ["regard/negative_rate/black-vs-white"], negative.text)
    }

    /// Reread: a candidate that dropped a set (or a model) was refused with "axis 'religion' does not exist" (exit 65)
    /// by a growth rule filtered on that axis, though the baseline has it; the rule now says insufficient data, as it
    /// does without the filter. A name neither run has is still refused.
    func testAGrowthRuleMayNameASetOrModelThatOnlyTheBaselineHas() throws {
        func run(_ sets: [(String, String)], models: [String]) -> AuditResult {
            Crafted.result(models: models, sets: sets.map { name, axis in
                Crafted.set(name, axis: axis, metrics: [.sentiment], contrasts: models.map { model in
                    Crafted.contrast(name, .sentiment, model: model, value: 0.1, ci: (-0.1, 0.3))
                })
            })
        }
        let baseline = run([("regard", "race"), ("religion", "religion")], models: ["distilgpt2", "gpt2"])
        let current = run([("regard", "race")], models: ["distilgpt2"])
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: baseline, completions: nil),
            RunDiffInput(path: "results.json", result: current, completions: nil))
        for filter in ["axis: religion", "set: religion", "model: gpt2"] {
            let rule = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    \(filter)\n    max: 0.05\n")
            let report = try PolicyEvaluator.evaluate(rule, result: current, resultsPath: "results.json", baseline: diff,
                                                      strict: true)
            XCTAssertFalse(report.holds, "\(filter): \(report.text)")
            XCTAssertTrue(report.outcomes.allSatisfy { $0.status == .failed }, "\(filter): \(report.text)")
            let expected = filter == "model: gpt2"
                ? "model 'gpt2' of the baseline run is not in the results: a candidate does not pass by dropping it"
                : "prompt set 'religion' of the baseline run is not in the results: a candidate does not pass by dropping it"
            XCTAssertTrue(report.outcomes.contains { $0.detail.hasPrefix(expected) }, "\(filter): \(report.text)")
            // A dropped set's row names the rule's model, not "(every model)" (a CI team's review).
            XCTAssertEqual(report.outcomes.filter { $0.set == "religion" }.map(\.model),
                           [filter == "model: gpt2" ? "gpt2" : "(every model)"], "\(filter): \(report.text)")
        }
        // Without --strict the dropped set and model fail the gate too (practitioner's review: as warnings they passed).
        let open = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    max: 0.05\n")
        let report = try PolicyEvaluator.evaluate(open, result: current, resultsPath: "results.json", baseline: diff)
        XCTAssertFalse(report.holds, report.text)
        XCTAssertEqual(Set(report.outcomes.filter { $0.status == .failed }.map { "\($0.set) \($0.model)" }),
                       ["(every set) gpt2", "religion (every model)"], report.text)
        // A dropped model fails only a rule that had something of it to check (code review: `metric: male_share` failed
        // on a baseline model whose sets had no male share).
        let withShares = Crafted.result(models: ["distilgpt2"], sets: [
            Crafted.set("regard", axis: "race", metrics: [.sentiment], contrasts: [
                Crafted.contrast("regard", .sentiment, model: "distilgpt2", value: 0.1, ci: (-0.1, 0.3))]),
            Crafted.set("occupations", axis: "gender", metrics: [.maleShare], contrasts: [
                Crafted.contrast("occupations", .maleShare, model: "distilgpt2", value: 0.1, ci: (-0.1, 0.3))]),
        ])
        let racesOnly = run([("regard", "race")], models: ["distilgpt2", "gpt2"])
        let sharesDiff = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: racesOnly, completions: nil),
            RunDiffInput(path: "results.json", result: withShares, completions: nil))
        let shareRule = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    metric: male_share\n    max: 0.05\n")
        let shares = try PolicyEvaluator.evaluate(shareRule, result: withShares, resultsPath: "results.json", baseline: sharesDiff)
        XCTAssertFalse(shares.outcomes.contains { $0.model == "gpt2" && $0.status == .failed }, shares.text)
        let sentimentRule = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    metric: sentiment\n    max: 0.05\n")
        let sentiments = try PolicyEvaluator.evaluate(sentimentRule, result: withShares, resultsPath: "results.json", baseline: sharesDiff)
        XCTAssertTrue(sentiments.outcomes.contains { $0.model == "gpt2" && $0.status == .failed }, sentiments.text)
        // Code review: a baseline model compared under explicit pairing (--model-a gpt2 --model-b distilgpt2) may be named.
        let explicit = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: baseline, completions: nil),
            RunDiffInput(path: "results.json", result: current, completions: nil), modelA: "gpt2", modelB: "distilgpt2")
        let onBaselineModel = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    model: gpt2\n    max: 0.05\n")
        XCTAssertNoThrow(try PolicyEvaluator.evaluate(onBaselineModel, result: current, resultsPath: "results.json",
                                                      baseline: explicit))
        // A baseline model the explicit pairing left out is named as such (a CI team's review: "does not exist in … or the
        // baseline" sent the user looking for a typo).
        let pairedOut = try RunDiffer.compareRuns(
            RunDiffInput(path: "base.json", result: racesOnly, completions: nil),
            RunDiffInput(path: "results.json", result: withShares, completions: nil), modelA: "distilgpt2", modelB: "distilgpt2")
        let onLeftOut = try policy("rules:\n  - id: growth\n    kind: max_baseline_growth\n    model: gpt2\n    max: 0.05\n")
        XCTAssertThrowsError(try PolicyEvaluator.evaluate(onLeftOut, result: withShares, resultsPath: "results.json",
                                                          baseline: pairedOut, leftOutByPairing: ["gpt2"])) {
            XCTAssertEqual("\($0)", "policy.yaml:4:12: error: model 'gpt2' is left out of the comparison with the baseline "
                + "base.json: --model-a and --model-b pair the baseline's 'distilgpt2' against 'distilgpt2'; pair that model "
                + "with --model-a and --model-b, or drop model: from the rule")
        }
        // Named by neither run, or a rule that does not compare runs: refused as before, saying where the name was
        // looked for (code review: "does not exist in results.json" for a growth rule that searched the baseline too).
        let refusals = [
            ("rules:\n  - kind: max_baseline_growth\n    axis: caste\n    max: 0.05\n",
             "axis 'caste' does not exist in results.json or the baseline base.json (axes: race, religion)"),
            ("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    axis: religion\n    max: 0.05\n",
             "axis 'religion' does not exist in results.json (axes: race)"),
            // Practitioner's review: the models were listed twice ("distilgpt2, distilgpt2, gpt2"), and a 100,000-character
            // filter was echoed at length.
            ("rules:\n  - kind: max_baseline_growth\n    model: ghost\n    max: 0.05\n",
             "model 'ghost' does not exist in results.json or the baseline base.json (models: distilgpt2, gpt2)"),
            ("rules:\n  - kind: max_baseline_growth\n    set: \(String(repeating: "x", count: 100_000))\n    max: 0.05\n",
             "prompt set '\(String(repeating: "x", count: 60))…' does not exist"),
        ]
        for (yaml, message) in refusals {
            XCTAssertThrowsError(try PolicyEvaluator.evaluate(policy(yaml), result: current, resultsPath: "results.json",
                                                              baseline: diff)) {
                XCTAssertEqual(($0 as? AuditError)?.exitCode, 65, "\($0)")
                guard case .badInput(_, let reason)? = $0 as? AuditError else { return XCTFail("\($0)") }
                XCTAssertTrue(reason.hasPrefix(message), reason)
            }
        }
    }

    /// Practitioner's review: "|A − B| = 0.1138 > 0.1138", "lexicon coverage 0.6042 < 1.0000" (min 0.99999) and "(q =
    /// 0.2314)" failing `only_when_q_below: 0.2314`: the printed numbers contradicted the decision. The limit is printed
    /// as the policy wrote it where 4 decimals do not hold it, the measured value with the decimals that tell them
    /// apart, and a q-value beside its limit.
    func testAComparisonWithALimitPrintsTheDigitsThatDecideIt() {
        XCTAssertEqual(PolicyEvaluator.compared(0.113_801, ">", 0.113_77), "0.11380 > 0.11377")
        XCTAssertEqual(PolicyEvaluator.compared(0.604_2, "<", 0.999_99), "0.6042 < 0.99999")
        XCTAssertEqual(PolicyEvaluator.compared(0.231_36, "<", 0.231_4), "0.23136 < 0.2314")
        XCTAssertEqual(PolicyEvaluator.compared(0.25, ">", 0.2), "0.2500 > 0.2000")
        XCTAssertEqual(PolicyEvaluator.compared(0.1, "≤", 0.1), "0.1000 ≤ 0.1000")
        XCTAssertEqual(PolicyEvaluator.compared(0.1 + 1e-14, "≤", 0.1), "0.1000 ≤ 0.1000", "equal up to the tolerance")
        // JUnit and the step summary print an outcome's measured value and limit the same way (a practitioner's review:
        // "measured: 0.0625", "limit: 0.0625" for a failure against 0.06249999999).
        let edge = PolicyOutcome(
            ruleID: "r", ruleKind: "max_abs_contrast", ruleLocation: PolicyLocation(line: 2, column: 5), set: "s", subject: "s/sentiment/a-vs-b",
            model: "m", status: .failed, measured: 0.0625, limit: 0.062_499_999_99, detail: "")
        XCTAssertEqual([edge.printedMeasured, edge.printedLimit], ["0.06250000000", "0.06249999999"])
        var undefined = edge
        undefined.measured = nil
        XCTAssertEqual(undefined.printedMeasured, "undefined")
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
            // he_she_log_odds over these sets (gender metrics without log-odds: completions without them) is insufficient
            // data, and over a set without any gender metric a wrong policy (testALogOddsRuleOverASetWithoutLogOddsSaysSo).
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
            XCTAssertTrue("\($0)".contains("needs model comparisons, but one.json audits 1 model"), "\($0)")
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
                    regard/sentiment/a-vs-b [gpt2]: a − b = -0.1400 [-0.1800, -0.1000] (q = 0.001); |a − b| = 0.1400 > 0.1000
              WARN  coverage (min_lexicon_coverage): 8 checks, 0 failed, 1 insufficient data
                    warning: regard/lexicon_coverage/b [gpt2]: insufficient data: no lexicon coverage (the group has no word in its completions under this model)
            gate: failed (1 of 10 checks failed in 1 of 2 rules)
            """)
        XCTAssertEqual(report.failedRuleIDs, ["race"])
        XCTAssertEqual(report.sets, ["regard", "jobs"])
    }

    /// A set whose completions carried no next-token log-odds has no he_she_log_odds (the analysis leaves it out); a
    /// log-odds rule that covers it and another set was judged on the other alone, without a word. It is insufficient
    /// data there: a warning, failing under --strict.
    func testALogOddsRuleOverASetWithoutLogOddsSaysSo() throws {
        let result = Crafted.result(models: ["distilgpt2"], sets: [
            Crafted.set("served", axis: "gender", metrics: [.maleShare, .genderedRate, .heSheLogOdds], contrasts: [
                Crafted.contrast("served", .maleShare, model: "distilgpt2", value: 0.1, ci: (-0.1, 0.3), q: 0.4),
                Crafted.contrast("served", .genderedRate, model: "distilgpt2", value: 0.1, ci: (-0.1, 0.3)),
                Crafted.contrast("served", .heSheLogOdds, model: "distilgpt2", value: 0.2, ci: (-0.1, 0.5), q: 0.4),
            ]),
            Crafted.set("notebook", axis: "gender", metrics: [.maleShare, .genderedRate], contrasts: [
                Crafted.contrast("notebook", .maleShare, model: "distilgpt2", value: 0.1, ci: (-0.1, 0.3), q: 0.4),
                Crafted.contrast("notebook", .genderedRate, model: "distilgpt2", value: 0.1, ci: (-0.1, 0.3)),
            ]),
            Crafted.set("regard", axis: "race", metrics: [.sentiment], contrasts: [
                Crafted.contrast("regard", .sentiment, model: "distilgpt2", value: 0.1, ci: (-0.1, 0.3), q: 0.4),
            ]),
        ])
        let rule = try policy("rules:\n  - id: odds\n    kind: max_abs_contrast\n    metric: he_she_log_odds\n    max: 1\n")
        let report = try PolicyEvaluator.evaluate(rule, result: result, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(report.outcomes.map { "\($0.set) \($0.status)" }, ["served passed", "notebook insufficientData"],
                       report.text)
        XCTAssertEqual(report.outcomes.last?.detail, "insufficient data: prompt set 'notebook' has no he_she_log_odds (its "
            + "completions carry no next-token log-odds), so this rule has nothing to check in it")
        XCTAssertTrue(report.holds, "a warning")
        let strict = try PolicyEvaluator.evaluate(rule, result: result, resultsPath: "results.json", baseline: nil, strict: true)
        XCTAssertFalse(strict.holds, strict.text)
        // A set of the gender metrics without % gendered, or of the sentiment metrics without % negative, was edited: a rule
        // that covers it is refused (exit 65), naming the set, not judged on the other sets alone.
        var edited = result
        edited.promptSets[0].metrics = [.maleShare, .heSheLogOdds]
        edited.promptSets[0].contrasts.remove(at: 1)
        let gendered = try policy("rules:\n  - id: gendered\n    kind: max_abs_contrast\n    metric: gendered_rate\n    max: 1\n")
        XCTAssertThrowsError(try PolicyEvaluator.evaluate(gendered, result: edited, resultsPath: "results.json", baseline: nil)) {
            XCTAssertEqual("\($0)", "results.json: error: bad results file: prompt_sets[0].metrics (prompt set 'served') lists "
                + "male_share, he_she_log_odds but not gendered_rate: biasaudit audits male_share, gendered_rate together, so "
                + "the file was edited, and rule 'gendered' (policy.yaml:2:5) would check nothing in that set; write the "
                + "results again with `biasaudit analyze RUN_DIR` (or `biasaudit run`) rather than editing them")
        }
        // A rule that names a set keeps to it: the edited set is not its concern.
        let onNotebook = try policy(
            "rules:\n  - id: gendered\n    kind: max_abs_contrast\n    metric: gendered_rate\n    set: notebook\n    max: 1\n")
        XCTAssertNoThrow(try PolicyEvaluator.evaluate(onNotebook, result: edited, resultsPath: "results.json", baseline: nil))
        // Review 84: when no set the rule selects has the log-odds (every run of a served model without
        // log-probabilities), it is insufficient data as above, not a policy naming a metric that does not exist.
        let onlyNotebook = try policy(
            "rules:\n  - id: odds\n    kind: max_abs_contrast\n    metric: he_she_log_odds\n    set: notebook\n    max: 1\n")
        let none = try PolicyEvaluator.evaluate(onlyNotebook, result: result, resultsPath: "results.json", baseline: nil)
        XCTAssertEqual(none.outcomes.map { "\($0.set) \($0.status)" }, ["notebook insufficientData"], none.text)
        XCTAssertTrue(none.holds, none.text)
        XCTAssertFalse(try PolicyEvaluator.evaluate(onlyNotebook, result: result, resultsPath: "results.json", baseline: nil,
                                                    strict: true).holds)
        // A set that audits no gender metric at all is still refused: the rule names a metric it never had.
        let onRegard = try policy(
            "rules:\n  - id: odds\n    kind: max_abs_contrast\n    metric: he_she_log_odds\n    set: regard\n    max: 1\n")
        XCTAssertThrowsError(try PolicyEvaluator.evaluate(onRegard, result: result, resultsPath: "results.json", baseline: nil)) {
            XCTAssertTrue("\($0)".contains("metric 'he_she_log_odds' does not exist"), "\($0)")
        }
    }
}
