import AuditAnalysis
import AuditResults
import XCTest

final class RunDiffTests: XCTestCase {
    private let tolerance = 1e-12

    private func assertInterval(
        _ actual: DiffInterval, _ expected: (Double, Double, Double), file: StaticString = #filePath, line: UInt = #line
    ) {
        let pairs = [(actual.value, expected.0), (actual.lower, expected.1), (actual.upper, expected.2)]
        let differences = pairs.map { abs(($0.0 ?? .nan) - $0.1) }
        XCTAssertTrue(differences.allSatisfy { $0 <= tolerance },
                      "got \(actual), expected \(expected); largest difference \(differences.max() ?? .nan)",
                      file: file, line: line)
    }

    func testGrowthMapsTheChangeIntervalThroughTheAbsoluteValue() {
        // Same sign, moving away from 0: growth = change.
        assertInterval(DiffInterval.growth(baseline: 0.10, change: .init(value: 0.05, lower: 0.02, upper: 0.08)),
                       (0.05, 0.02, 0.08))
        // Negative contrast growing more negative: growth = −change.
        assertInterval(DiffInterval.growth(baseline: -0.10, change: .init(value: -0.05, lower: -0.08, upper: -0.02)),
                       (0.05, 0.02, 0.08))
        // The CI reaches across −A (a sign flip is possible): the lower bound is −|A|.
        assertInterval(DiffInterval.growth(baseline: 0.10, change: .init(value: -0.15, lower: -0.25, upper: -0.05)),
                       (-0.05, -0.10, 0.05))
        // A flip to a larger opposite gap: every change in the CI grows |contrast|.
        assertInterval(DiffInterval.growth(baseline: 0.05, change: .init(value: -0.30, lower: -0.40, upper: -0.20)),
                       (0.20, 0.10, 0.30))
        // From 0, any non-zero change grows |contrast|.
        assertInterval(DiffInterval.growth(baseline: 0, change: .init(value: 0.03, lower: 0.01, upper: 0.05)),
                       (0.03, 0.01, 0.05))
        XCTAssertEqual(DiffInterval.growth(baseline: nil, change: .init(value: 0.1, lower: 0, upper: 0.2)),
                       DiffInterval(value: nil, lower: nil, upper: nil))
        let noCI = DiffInterval.growth(baseline: 0.1, change: .init(value: 0.1, lower: nil, upper: nil))
        XCTAssertEqual(noCI.value ?? .nan, 0.1, accuracy: tolerance)
        XCTAssertNil(noCI.lower)
    }

    func testVerdictsForGrownShrunkUnchangedAndUndefinedContrasts() {
        func verdict(_ a: Double?, _ change: DiffInterval) -> RunDiffEntry {
            RunDiffEntry(contrastID: "s/sentiment/x-vs-y", set: "s", axis: "race", metric: .sentiment, groupA: "x",
                         groupB: "y", modelA: "m", modelB: "m", valueA: a, valueB: a.flatMap { a in change.value.map { a + $0 } },
                         change: change, method: .paired)
        }
        XCTAssertEqual(verdict(-0.1, .init(value: -0.1, lower: -0.15, upper: -0.05)).verdict, .moreBiased)
        XCTAssertEqual(verdict(-0.1, .init(value: 0.06, lower: 0.02, upper: 0.08)).verdict, .lessBiased)
        XCTAssertEqual(verdict(-0.1, .init(value: 0.01, lower: -0.03, upper: 0.05)).verdict, .noDetectableChange)
        XCTAssertEqual(verdict(nil, .init(value: nil, lower: nil, upper: nil)).verdict, .undetermined)
        XCTAssertEqual(verdict(0.1, .init(value: 0.1, lower: nil, upper: nil)).verdict, .undetermined)
        // |B| > |A| and the change's CI excludes 0, yet B might be closer to 0: not "more biased".
        let flip = verdict(0.1, .init(value: -0.25, lower: -0.3, upper: -0.05))
        XCTAssertEqual(flip.verdict, .noDetectableChange)
        XCTAssertTrue(flip.signFlipped)
    }

    func testModelsOfOneRunUseTheRunsPairedComparisons() throws {
        let result = Crafted.result(
            models: ["distilgpt2", "gpt2", "gpt2-medium"],
            sets: [Crafted.set("s", axis: "race", metrics: [.sentiment], contrasts: [
                Crafted.contrast("s", .sentiment, model: "distilgpt2", value: -0.05, groups: ("x", "y")),
            ])],
            comparisons: [
                Crafted.comparison("s/sentiment/x-vs-y", metric: .sentiment, valueA: -0.05, valueB: -0.15, ci: (-0.14, -0.06)),
                Crafted.comparison("s/sentiment/x-vs-y", metric: .sentiment, valueA: -0.05, valueB: -0.06, ci: (-0.03, 0.01),
                                   models: ("distilgpt2", "gpt2-medium"), paired: false),
            ])
        let input = RunDiffInput(path: "r.json", result: result, completions: nil)
        let forward = try RunDiffer.compareModels(in: input, modelA: "distilgpt2", modelB: "gpt2")
        XCTAssertEqual(forward.entries.count, 1)
        let entry = forward.entries[0]
        XCTAssertEqual([entry.groupA, entry.groupB, entry.axis], ["x", "y", "race"])
        XCTAssertEqual(entry.method, .paired)
        XCTAssertEqual(entry.verdict, .moreBiased)
        assertInterval(entry.change, (-0.10, -0.14, -0.06))
        let backward = try RunDiffer.compareModels(in: input, modelA: "gpt2", modelB: "distilgpt2")
        assertInterval(backward.entries[0].change, (0.10, 0.06, 0.14))
        XCTAssertEqual(backward.entries[0].valueA, -0.15)
        XCTAssertEqual(backward.entries[0].verdict, .lessBiased)
        let medium = try RunDiffer.compareModels(in: input, modelA: "distilgpt2", modelB: "gpt2-medium")
        XCTAssertEqual(medium.entries[0].method, .unpaired)
        XCTAssertEqual(medium.entries[0].verdict, .noDetectableChange)

        XCTAssertThrowsError(try RunDiffer.compareModels(in: input, modelA: nil, modelB: nil)) {
            XCTAssertEqual(($0 as? AuditError)?.exitCode, 64, "\($0)")
        }
        XCTAssertThrowsError(try RunDiffer.compareModels(in: input, modelA: "gpt3", modelB: "gpt2")) {
            XCTAssertEqual($0 as? AuditError, .usage("model 'gpt3' is not in r.json (models: distilgpt2, gpt2, gpt2-medium)"))
        }
        XCTAssertThrowsError(try RunDiffer.compareModels(in: input, modelA: "gpt2", modelB: "gpt2-medium")) {
            XCTAssertEqual(($0 as? AuditError)?.exitCode, 65, "no comparison of gpt2 and gpt2-medium: \($0)")
        }
    }

    func testRunsWithoutCompletionsUseTheNormalApproximation() throws {
        let sets: (Double, (Double, Double)) -> [PromptSetResult] = { value, ci in
            [Crafted.set("s", axis: "race", metrics: [.sentiment, .negativeRate], contrasts: [
                Crafted.contrast("s", .sentiment, model: "m", value: value, ci: ci),
                Crafted.contrast("s", .negativeRate, model: "m", value: 0.10, ci: (0.05, 0.15)),
            ])]
        }
        let a = RunDiffInput(path: "a.json", result: Crafted.result(models: ["m"], sets: sets(0.10, (0.06, 0.14))), completions: nil)
        let b = RunDiffInput(path: "b.json", result: Crafted.result(models: ["m"], sets: sets(0.02, (-0.01, 0.05))), completions: nil)
        let diff = try RunDiffer.compareRuns(a, b)
        XCTAssertEqual(diff.entries.map(\.method), [.normalApproximation, .normalApproximation])
        // SE = √(0.08² + 0.06²) / 3.92 = 0.1 / 3.92; CI = −0.08 ± 0.1 / 2.
        assertInterval(diff.entries[0].change, (-0.08, -0.13, -0.03))
        XCTAssertEqual(diff.entries[0].verdict, .lessBiased)
        // Two CIs of width 0.1: half-width √(0.1² + 0.1²) / 2.
        assertInterval(diff.entries[1].change, (0, -0.05 * 2.0.squareRoot(), 0.05 * 2.0.squareRoot()))
        XCTAssertEqual(diff.entries[1].verdict, .noDetectableChange)
        XCTAssertTrue(diff.notes.contains { $0.contains("normal approximation") && $0.contains("no completions.jsonl next to a.json and b.json") },
                      "\(diff.notes)")
    }

    func testIncomparableRunsAreRefusedWithTheReason() throws {
        let set = Crafted.set("s", axis: "race", metrics: [.sentiment], contrasts: [
            Crafted.contrast("s", .sentiment, model: "m", value: 0.1, ci: (0, 0.2)),
        ])
        let base = Crafted.result(models: ["m"], sets: [set])
        var otherMetrics = set
        otherMetrics.metrics = [.sentiment, .negativeRate]
        let cases: [(AuditResult, String)] = [
            (Crafted.result(models: ["m"], sets: [set], sha: ["s": "changed"]),
             "prompt set 's' has different contents (sha256 sha-s… in A, changed… in B)"),
            (Crafted.result(models: ["m"], sets: [otherMetrics]), "prompt set 's' was audited with different metrics"),
            (Crafted.result(models: ["m"], sets: [set], lexicons: [FileDigest(name: "vader_lexicon.txt", sha256: "v2")]),
             "the runs scored with different lexicons"),
            (Crafted.result(models: ["m"], sets: [set], thresholds: (0.1, -0.1)), "the sentiment thresholds differ"),
            (Crafted.result(models: ["m"], sets: [Crafted.set("t", axis: "race", metrics: [.sentiment], contrasts: [])]),
             "the runs share no prompt set (A: s; B: t)"),
        ]
        for (other, reason) in cases {
            XCTAssertThrowsError(try RunDiffer.compareRuns(
                RunDiffInput(path: "a.json", result: base, completions: nil),
                RunDiffInput(path: "b.json", result: other, completions: nil))) { error in
                guard let error = error as? AuditError, case .badInput(let path, let message) = error else {
                    return XCTFail("expected badInput, got \(error)")
                }
                XCTAssertEqual(path, "b.json")
                XCTAssertEqual(error.exitCode, 65)
                XCTAssertTrue(message.hasPrefix("cannot compare with a.json: \(reason)"), message)
            }
        }
    }

    func testModelPairingBetweenRuns() throws {
        let set = { (models: [String]) in
            Crafted.set("s", axis: "race", metrics: [.sentiment], contrasts: models.map {
                Crafted.contrast("s", .sentiment, model: $0, value: 0.1, ci: (0, 0.2))
            })
        }
        let input = { (path: String, models: [String]) in
            RunDiffInput(path: path, result: Crafted.result(models: models, sets: [set(models)]), completions: nil)
        }
        let checkpoints = try RunDiffer.compareRuns(input("a", ["ckpt-1"]), input("b", ["ckpt-2"]))
        XCTAssertEqual(checkpoints.entries.map { "\($0.modelA)→\($0.modelB)" }, ["ckpt-1→ckpt-2"])
        let both = try RunDiffer.compareRuns(input("a", ["distilgpt2", "gpt2"]), input("b", ["gpt2", "distilgpt2"]))
        XCTAssertEqual(both.entries.map { "\($0.modelA)→\($0.modelB)" }, ["distilgpt2→distilgpt2", "gpt2→gpt2"])
        let chosen = try RunDiffer.compareRuns(input("a", ["distilgpt2", "gpt2"]), input("b", ["x", "y"]),
                                               modelA: "gpt2", modelB: "y")
        XCTAssertEqual(chosen.entries.map { "\($0.modelA)→\($0.modelB)" }, ["gpt2→y"])
        XCTAssertThrowsError(try RunDiffer.compareRuns(input("a", ["distilgpt2", "gpt2"]), input("b", ["x", "y"]))) {
            XCTAssertEqual(($0 as? AuditError)?.exitCode, 64)
            XCTAssertTrue("\($0)".contains("the runs share no model"), "\($0)")
        }
    }
}
