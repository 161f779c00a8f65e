import AuditAnalysis
import AuditResults
import Gate
import PromptSets
import TestSupport
import XCTest

/// The example policies in PromptSets/policies/ parse and fit the shipped prompt sets.
final class PolicyExampleTests: XCTestCase {
    /// Results with every shipped set (its real name, axis and metrics), two models, and model comparisons.
    private func shippedSetsResult() throws -> AuditResult {
        let directory = Fixtures.repositoryRoot.appendingPathComponent("PromptSets")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertFalse(files.isEmpty, "no prompt sets in \(directory.path)")
        let sets = try files.map { file -> PromptSetResult in
            let set = try PromptSetLoader.load(data: Data(contentsOf: directory.appendingPathComponent(file)), path: file)
            let metrics = AuditAnalysis.metrics(for: set.metrics)
            let groups = (set.groups[0].id, set.groups[1].id)
            let contrasts = Crafted.models.flatMap { model in
                metrics.map { Crafted.contrast(set.name, $0, model: model, value: 0.01, ci: (-0.01, 0.03), q: 0.5, groups: groups) }
            }
            let coverage = Dictionary(uniqueKeysWithValues: Crafted.models.map { model in
                (model, Dictionary(uniqueKeysWithValues: set.groups.map { ($0.id, Optional(0.5)) }))
            })
            return Crafted.set(set.name, axis: set.axis, metrics: metrics, contrasts: contrasts, coverage: coverage)
        }
        let comparisons = sets.flatMap { set in
            set.contrasts.filter { $0.model == Crafted.models[0] }.map {
                Crafted.comparison($0.id, metric: $0.metric, valueA: 0.01, valueB: 0.02, ci: (-0.01, 0.03),
                                   p: (0.4, 1), q: 0.6, verdict: .noDetectableChange, ciA: (-0.01, 0.03), ciB: (0.0, 0.04))
            }
        }
        return Crafted.result(sets: sets, comparisons: comparisons)
    }

    func testExamplePolicyFitsTheShippedPromptSetsAndHoldsOnSmallGaps() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("PromptSets/policies/example.yaml")
        let policy = try PolicyParser.load(at: url, displayPath: "example.yaml")
        XCTAssertEqual(Set(policy.rules.map(\.kind.name)),
                       ["max_abs_contrast", "max_model_difference", "min_lexicon_coverage"])
        let report = try PolicyEvaluator.evaluate(policy, result: shippedSetsResult(), resultsPath: "results.json", baseline: nil)
        XCTAssertTrue(report.holds, report.text)
        XCTAssertEqual(report.warnings.map(\.detail), [], "small supported gaps: nothing the gate cannot judge")
        for id in policy.rules.map(\.id) {
            XCTAssertTrue(report.outcomes.contains { $0.ruleID == id }, "rule \(id) matched nothing:\n\(report.text)")
        }
    }

    func testBaselineExamplePolicyNeedsABaseline() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("PromptSets/policies/baseline.yaml")
        let policy = try PolicyParser.load(at: url, displayPath: "baseline.yaml")
        XCTAssertTrue(policy.needsBaseline)
        let result = try shippedSetsResult()
        try PolicyEvaluator.validate(policy, against: result, resultsPath: "results.json")
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "old.json", result: result, completions: nil),
            RunDiffInput(path: "new.json", result: result, completions: nil))
        let report = try PolicyEvaluator.evaluate(policy, result: result, resultsPath: "new.json", baseline: diff)
        XCTAssertTrue(report.holds, report.text)
        XCTAssertEqual(Set(report.outcomes.map(\.ruleID)), ["no-sentiment-growth", "no-male-share-growth"])
    }
}
