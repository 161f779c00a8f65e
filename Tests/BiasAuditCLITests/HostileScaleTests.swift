import Foundation
import TestSupport
import XCTest

/// Inputs that hung the trial by their size or shape. No timed assertions (STYLE.md): each command runs
/// under `timeout`, and the test holds the right outcome; a quadratic or exponential path would end in 124.
final class HostileScaleTests: XCTestCase {
    private var directory: URL!
    private let gate = Fixtures.url("gate")

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("hostile-scale")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func run(_ arguments: [String]) throws -> CommandResult {
        try CLI.run(["300", CLI.executable.path] + arguments, currentDirectory: directory,
                    executable: URL(fileURLWithPath: "/usr/bin/timeout"))
    }

    /// A policy of the maximum 1,000 rules is checked; 20,000 rules (which took 51 s and 2 GB to evaluate)
    /// are refused before any is evaluated (exit 65), with the count and the limit, and a JUnit file that says so (a
    /// gate that stops before its verdict replaces an earlier run's file with its error).
    func testAPolicyOfAThousandRulesIsCheckedAndTwentyThousandAreRefused() throws {
        for (count, status) in [(1_000, Int32(0)), (20_000, Int32(65))] {
            var policy = "version: 1\nrules:\n"
            for index in 0..<count {
                // Each its own limit: the same rule twice is refused.
                policy += "  - id: r\(index)\n    kind: max_abs_contrast\n    metric: sentiment\n    max: \(0.5 + Double(index) / 100_000)\n"
            }
            try Data(policy.utf8).write(to: directory.appendingPathComponent("policy.yaml"))
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("junit.xml"))
            let result = try run(["check", gate.appendingPathComponent("current/results.json").path, "--policy", "policy.yaml",
                                  "--junit", "junit.xml"])
            XCTAssertEqual(result.status, status, "\(count) rules: " + String(result.stderr.prefix(2000)))
            if status == 0 {
                XCTAssertTrue(result.stdout.contains("r999"), String(result.stdout.suffix(500)))
            } else {
                XCTAssertTrue(result.stderr.contains("the policy has 20000 rules; a policy holds at most 1000"), result.stderr)
                let junit = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
                XCTAssertTrue(junit.contains("type=\"exit 65\"") && junit.contains("the policy has 20000 rules"), junit)
            }
        }
    }

    /// The 561-byte policy of the trial: a key that is an alias of a nested anchor chain.
    func testAnAliasBombPolicyIsRefused() throws {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for depth in 1...7 {
            lines.append("a\(depth): &a\(depth) [" + Array(repeating: "*a\(depth - 1)", count: 9).joined(separator: ", ") + "]")
        }
        lines.append("rules:\n  ? *a7\n  : x")
        try Data(lines.joined(separator: "\n").utf8).write(to: directory.appendingPathComponent("policy.yaml"))
        let result = try run(["check", gate.appendingPathComponent("current/results.json").path, "--policy", "policy.yaml"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("policy.yaml:6:10: error: aliases expand to more than 100000 nodes"), result.stderr)
    }

    /// 3000 one-term groups lint clean in the trial and then hang the statistics of `run`: both refuse them.
    func testThreeThousandGroupsAreRefusedByLintAndRun() throws {
        var set = "name: many\ndescription: d\naxis: gender\nsource: s\ntemplates: ['The {x} is']\ngroups:\n"
        for index in 0..<3000 { set += "  g\(index): {terms: [t\(index)]}\n" }
        try Data(set.utf8).write(to: directory.appendingPathComponent("many.yaml"))
        let lint = try run(["lint", "many.yaml"])
        XCTAssertEqual(lint.status, 1, lint.stderr)
        XCTAssertTrue(lint.stderr.contains("many.yaml:7:3: error: the set has 3000 groups, more than the limit of 50"), lint.stderr)
        let audit = try run(["run", "many.yaml", "--model", Fixtures.url("models/tiny-gpt2").path, "--out", "out"])
        XCTAssertEqual(audit.status, 65, audit.stderr)
        XCTAssertTrue(audit.stderr.contains("the set has 3000 groups"), audit.stderr)
    }
}
