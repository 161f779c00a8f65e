import Foundation
import Hashing
import TestSupport
import XCTest

/// A seeded fuzz test over the four kinds of input a user hands biasaudit (prompt sets, policies, results
/// files, model configurations): every mutated file must end in a documented exit code (README, "Exit
/// codes") with a short message, within a generous timeout — never a trap, a signal or a hang.
///
/// Bounded: a fixed number of mutations per kind from a fixed seed, so a failure is reproducible (the
/// failing input is kept in the message's directory).
final class HostileFuzzTests: XCTestCase {
    private static let seed: UInt64 = 0x15_2026
    private static let iterationsPerKind = 8
    private static let documentedExitCodes: Set<Int32> = [0, 1, 64, 65, 69, 74]
    /// Snippets that have broken parsers before: YAML aliases and nesting, huge and negative numbers, NUL,
    /// quotes, line breaks, JSON specials.
    private static let snippets = [
        "*a", "&a ", "[[[[[[[[", "{", "}", "? *a\n: x\n", "-1", "9223372036854775807", "1e309", "-0", "NaN",
        "\u{0}", "\"", "'", "\n", "\r\n", ": ", "- ", "!!binary ", "%YAML 1.1\n", "\u{202E}", "\u{1B}[31m", "null",
        "true", "[]", "{}", ",", "0.5", "18446744073709551616",
    ]

    private var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("hostile-fuzz")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func mutate(_ data: Data, _ random: inout SplitMix64) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                let snippet = Self.snippets.randomElement(using: &random)!
                bytes.insert(contentsOf: Array(snippet.utf8), at: position)
            case 1 where !bytes.isEmpty:
                bytes[position] = UInt8.random(in: 0...255, using: &random)
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...40, using: &random)))
            default:
                let end = min(bytes.count, position + Int.random(in: 1...200, using: &random))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            }
        }
        return Data(bytes)
    }

    /// Runs the binary under `timeout` (exit 124 when it hangs) and checks the outcome.
    private func assertDocumentedOutcome(
        _ arguments: [String], input: URL, kind: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let result = try CLI.run(
            ["120", CLI.executable.path] + arguments, currentDirectory: directory,
            executable: URL(fileURLWithPath: "/usr/bin/timeout"))
        let context = "\(kind) \(input.path) (kept for reproduction): exit \(result.status)\n\(result.stderr.prefix(2000))"
        XCTAssertTrue(Self.documentedExitCodes.contains(result.status), context, file: file, line: line)
        XCTAssertLessThan(result.stderr.count, 20_000, context, file: file, line: line)
        if Self.documentedExitCodes.contains(result.status), result.stderr.count < 20_000 {
            try? FileManager.default.removeItem(at: input)
        }
    }

    func testMutatedPromptSetsLintWithDocumentedExitCodes() throws {
        var random = SplitMix64(seed: Self.seed)
        let original = try Fixtures.data("audit/small-set.yaml")
        for index in 0..<Self.iterationsPerKind {
            let url = directory.appendingPathComponent("set-\(index).yaml")
            try mutate(original, &random).write(to: url)
            try assertDocumentedOutcome(["lint", url.lastPathComponent], input: url, kind: "prompt set")
        }
    }

    func testMutatedPoliciesCheckWithDocumentedExitCodes() throws {
        var random = SplitMix64(seed: Self.seed &+ 1)
        let original = try Fixtures.data("gate/policies/fail.yaml")
        let results = Fixtures.url("gate/current/results.json").path
        for index in 0..<Self.iterationsPerKind {
            let url = directory.appendingPathComponent("policy-\(index).yaml")
            try mutate(original, &random).write(to: url)
            try assertDocumentedOutcome(["check", results, "--policy", url.lastPathComponent], input: url, kind: "policy")
        }
    }

    func testMutatedResultsReportAndCheckWithDocumentedExitCodes() throws {
        var random = SplitMix64(seed: Self.seed &+ 2)
        let original = try Fixtures.data("gate/current/results.json")
        let policy = Fixtures.url("gate/policies/pass.yaml").path
        for index in 0..<Self.iterationsPerKind {
            let url = directory.appendingPathComponent("results-\(index).json")
            try mutate(original, &random).write(to: url)
            let arguments = index % 2 == 0
                ? ["report", url.lastPathComponent, "--out", "out-\(index)"]
                : ["check", url.lastPathComponent, "--policy", policy]
            try assertDocumentedOutcome(arguments, input: url, kind: "results")
        }
    }

    func testMutatedModelConfigurationsWithDocumentedExitCodes() throws {
        var random = SplitMix64(seed: Self.seed &+ 3)
        let fixture = Fixtures.url("models/tiny-gpt2")
        let original = try Data(contentsOf: fixture.appendingPathComponent("config.json"))
        for index in 0..<Self.iterationsPerKind {
            let model = directory.appendingPathComponent("model-\(index)")
            try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
            for name in ["model.safetensors", "vocab.json", "merges.txt"] {
                try FileManager.default.createSymbolicLink(
                    at: model.appendingPathComponent(name),
                    withDestinationURL: fixture.appendingPathComponent(name).resolvingSymlinksInPath())
            }
            let config = model.appendingPathComponent("config.json")
            try mutate(original, &random).write(to: config)
            try assertDocumentedOutcome(["next-token", "--model", model.path, "hello"], input: config, kind: "config")
        }
    }
}
