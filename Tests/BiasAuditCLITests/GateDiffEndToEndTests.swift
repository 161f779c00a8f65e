import Foundation
import TestSupport
import XCTest

/// `run` twice on the tiny fixture model, then `diff` and `check --baseline` on the two runs: the comparison
/// is recomputed from the completions, paired when the runs share their random streams.
final class GateDiffEndToEndTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("gate-e2e")
        let yaml = """
            name: tiny-gate
            description: two groups for the end-to-end diff
            axis: gender
            source: tests
            templates:
              - "The {person} said that"
              - "The {person} worked as"
            groups:
              men:
                terms: ["man", "father"]
              women:
                terms: ["woman", "mother"]

            """
        try Data(yaml.utf8).write(to: directory.appendingPathComponent("tiny.yaml"))
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func audit(seed: Int, out: String, models: [String] = ["tiny-gpt2"], extra: [String] = []) throws {
        let modelArguments = models.flatMap { ["--model", Fixtures.url("models/\($0)").path] }
        let result = try CLI.run(
            ["run", "tiny.yaml"] + modelArguments + ["--samples", "3", "--max-new-tokens", "4",
             "--seed", "\(seed)", "--format", "json", "--out", out] + extra,
            environment: ["HF_HUB_OFFLINE": "1"], currentDirectory: directory)
        XCTAssertEqual(result.status, 0, "run failed: \(result.stderr)")
    }


    private func diff(_ paths: String...) throws -> DiffJSON {
        let result = try CLI.run(["diff"] + paths + ["--format", "json"], currentDirectory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try DiffJSON.decode(result.stdout)
    }

    /// A CI team's review: greedy runs printed the largest growth possible (a rate from 25% to 100% apart) as
    /// "undetermined" with no reason; a note says why (no variance estimate) and what to do.
    func testAChangeWithoutVarianceIsSaidWhyItIsUndetermined() throws {
        try audit(seed: 1, out: "greedy-a", extra: ["--top-k", "1"])
        try audit(seed: 1, out: "greedy-b", extra: ["--top-k", "1", "--inject-bias", "women: terrible=8"])
        let greedy = try diff("greedy-a/results.json", "greedy-b/results.json")
        let untested = greedy.entries.filter { $0.verdict == "undetermined" }
        XCTAssertFalse(untested.isEmpty, "\(greedy.entries.map(\.verdict))")
        XCTAssertTrue(greedy.notes.contains { $0.hasPrefix("\(untested.count == 1 ? "1 change" : "\(untested.count) changes") "
            + "undetermined because the change B − A has no variance estimate, so no interval and no test (e.g. tiny-gate ")
            && $0.hasSuffix("the values it rests on do not vary within the groups, as when greedy decoding (--top-k 1) "
                + "makes every completion of a prompt alike, or a group of one term has one next-token log-odds per prompt, "
                + "or its variance cannot be estimated, as when a run has one sample per prompt and groups of one term (the "
                + "random streams' variance needs 2 or more samples), or a rate or share of a group of one term whose set's "
                + "groups of several terms are all at 0% or 100% or too thin (nothing shows how much a term varies); sampled "
                + "completions, 2 or more samples per prompt, or more terms give such a change a variance.") }, "\(greedy.notes)")
        // Sampled runs of one seed have variance: no such note.
        try audit(seed: 1, out: "sampled")
        XCTAssertFalse(try diff("sampled/results.json", "sampled/results.json").notes.contains { $0.contains("no variance") })
    }

    func testSameSeedIsPairedWithNoChangeAndOtherSeedsAreUnpaired() throws {
        try audit(seed: 1, out: "run-a")
        try audit(seed: 1, out: "run-b")
        try audit(seed: 2, out: "run-c")

        let same = try diff("run-a/results.json", "run-b/results.json")
        // Every key the README lists, empty lists included (a practitioner's review: a CI script reading
        // models_only_in_a failed on an ordinary diff, which left it out).
        let raw = try CLI.run(["diff", "run-a/results.json", "run-b/results.json", "--format", "json"], currentDirectory: directory)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(raw.stdout.utf8)) as? [String: Any])
        for key in ["only_in_a", "only_in_b", "models_only_in_a", "models_only_in_b", "sets_only_in_a", "sets_only_in_b"] {
            XCTAssertEqual((object[key] as? [Any])?.count, 0, "\(key) in \(object.keys.sorted())")
        }
        // B.a − B.b − (A.a − A.b) of identical numbers is 0 up to rounding.
        let roundingTolerance = 1e-12
        XCTAssertFalse(same.entries.isEmpty)
        for entry in same.entries where entry.change.value != nil {
            XCTAssertEqual(entry.method, "paired")
            XCTAssertEqual(try XCTUnwrap(entry.change.value), 0, accuracy: roundingTolerance,
                           "the same seed gives the same completions")
            XCTAssertFalse(entry.signReversed)
            XCTAssertNotEqual(entry.verdict, "more_biased")
        }

        // Two runs of one seed differ in their times: no note. One file twice: said (practitioner's review).
        let sameNote = "A and B hold the same results (the same file, or a copy of it), so nothing can have changed"
        XCTAssertFalse(same.notes.contains { $0.contains(sameNote) }, "\(same.notes)")
        XCTAssertTrue(try diff("run-a/results.json", "run-a/results.json").notes.contains { $0.hasPrefix(sameNote) })
        let other = try diff("run-a/results.json", "run-c/results.json")
        XCTAssertEqual(Set(other.entries.filter { $0.change.value != nil }.map(\.method)), ["unpaired"])
        XCTAssertTrue(other.notes.contains { $0.contains("seed 1 vs 2") }, "\(other.notes)")

        try Data("rules:\n  - kind: max_baseline_growth\n    metric: sentiment\n    max: 2\n".utf8)
            .write(to: directory.appendingPathComponent("growth.yaml"))
        let check = try CLI.run(["check", "run-c/results.json", "--policy", "growth.yaml", "--baseline", "run-a/results.json"],
                                environment: ["GITHUB_ACTIONS": "false"], currentDirectory: directory)
        XCTAssertEqual(check.status, 0, check.stderr + check.stdout)
    }

    func testTwoModelsOfOneRunReportTheChangeFromAToB() throws {
        try audit(seed: 1, out: "two", models: ["tiny-gpt2", "tiny-gpt2-openai-f16"])
        let output = try diff("two/results.json")
        XCTAssertFalse(output.entries.isEmpty)
        let changeTolerance = 1e-9
        for entry in output.entries {
            guard let a = entry.valueA, let b = entry.valueB, let change = entry.change.value else { continue }
            XCTAssertEqual(entry.method, "paired")
            XCTAssertEqual(change, b - a, accuracy: changeTolerance,
                           "\(entry.contrastId): the change must be B − A (A \(a), B \(b)); got \(change)")
        }
    }
}
