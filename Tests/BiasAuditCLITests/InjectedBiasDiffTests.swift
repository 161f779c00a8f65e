import Foundation
import TestSupport
import XCTest

/// `diff` finds a deliberately skewed model: the same tiny model, once as it is and once with a logit bias
/// toward " terrible" injected for one group's prompts (`run --inject-bias`).
final class InjectedBiasDiffTests: XCTestCase {
    private var directory: URL!
    private let sentimentContrast = "small-occupations/sentiment/female_dominated-vs-male_dominated"

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("inject-bias")
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func audit(out: String, extra: [String] = []) throws -> CommandResult {
        try CLI.run(
            ["run", Fixtures.url("audit/small-set.yaml").path, "--model", Fixtures.url("models/tiny-gpt2").path,
             "--samples", "6", "--max-new-tokens", "8",
             "--format", "json", "--quiet", "--out", out] + extra,
            environment: ["HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": directory.appendingPathComponent("hub").path],
            currentDirectory: directory)
    }


    func testDiffFindsTheInjectedBiasAndNothingWithoutIt() throws {
        XCTAssertEqual(try audit(out: "plain").status, 0)
        XCTAssertEqual(try audit(out: "plain-again").status, 0)
        let skewed = try audit(out: "skewed", extra: ["--inject-bias", "female_dominated: terrible=12"])
        XCTAssertEqual(skewed.status, 0, skewed.stderr)

        let results = try String(contentsOf: directory.appendingPathComponent("skewed/results.json"), encoding: .utf8)
        XCTAssertTrue(results.contains("\"injected_biases\""), "the manifest records the simulated bias")

        func diff(_ a: String, _ b: String) throws -> DiffJSON.Entry {
            let result = try CLI.run(["diff", a, b, "--format", "json"], currentDirectory: directory)
            XCTAssertEqual(result.status, 0, result.stderr)
            let output = try DiffJSON.decode(result.stdout)
            return try XCTUnwrap(output.entries.first { $0.contrastId == sentimentContrast })
        }

        let found = try diff("plain/results.json", "skewed/results.json")
        XCTAssertEqual(found.method, "paired")
        XCTAssertEqual(found.verdict, "more_biased", "a bias toward ' terrible' for one group must widen the sentiment gap")
        XCTAssertLessThan(try XCTUnwrap(found.change.upper), 0, "the whole CI of the change is negative")

        let unchanged = try diff("plain/results.json", "plain-again/results.json")
        XCTAssertEqual(unchanged.verdict, "no_detectable_change")
        XCTAssertEqual(unchanged.change.value, 0)
    }

    func testAnInjectedBiasIsPartOfTheRunsIdentityAndIsValidated() throws {
        XCTAssertEqual(try audit(out: "run").status, 0)
        let mixed = try audit(out: "run", extra: ["--inject-bias", "female_dominated: terrible=12"])
        XCTAssertEqual(mixed.status, 65, "a biased run is never mixed into an unbiased run's directory")
        XCTAssertTrue(mixed.stderr.contains("injected_bias"), mixed.stderr)

        let unknownGroup = try audit(out: "other", extra: ["--inject-bias", "pilots: terrible=3"])
        XCTAssertEqual(unknownGroup.status, 64)
        XCTAssertTrue(unknownGroup.stderr.contains("no audited prompt set has a group 'pilots'"), unknownGroup.stderr)

        let twoTokens = try audit(out: "other", extra: ["--inject-bias", "female_dominated: terribleness=3"])
        XCTAssertEqual(twoTokens.status, 64)
        XCTAssertTrue(twoTokens.stderr.contains("give a single token"), twoTokens.stderr)

        let malformed = try audit(out: "other", extra: ["--inject-bias", "terrible"])
        XCTAssertEqual(malformed.status, 64)
        XCTAssertTrue(malformed.stderr.contains("GROUP:TOKEN=LOGIT"), malformed.stderr)
    }
}
