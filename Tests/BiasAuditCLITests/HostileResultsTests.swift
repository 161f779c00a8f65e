import Foundation
import TestSupport
import XCTest

/// `check` and `diff` on results whose model id and set name try to inject a GitHub workflow command,
/// terminal escapes, a bidi override and Markdown: every output shows them inert.
final class HostileResultsTests: XCTestCase {
    private let gate = Fixtures.url("gate")
    /// A model id (as JSON string content) that would start a `::error` workflow command and colour the terminal.
    private let hostileModel = #"gpt2\n::error file=x::pwn\u001b[31m"#
    /// A set name (as JSON string content) with a bidi override and Markdown that would format, link and mention.
    private let hostileSet = #"regard-race\u202e`*[x](y)@team|<b>"#

    /// The gate fixture's baseline and current results with the hostile strings in place of `gpt2` and `regard-race`.
    private func hostileRuns() throws -> URL {
        let directory = try Fixtures.temporaryDirectory("hostile-results")
        for run in ["baseline", "current"] {
            let text = try String(contentsOf: gate.appendingPathComponent("\(run)/results.json"), encoding: .utf8)
            let hostile = text.replacingOccurrences(of: #""gpt2""#, with: "\"\(hostileModel)\"")
                .replacingOccurrences(of: "\"regard-race", with: "\"\(hostileSet)")
            XCTAssertNotEqual(hostile, text)
            try Data(hostile.utf8).write(to: directory.appendingPathComponent("\(run).json"))
        }
        return directory
    }

    /// No output line may start a workflow command, and no ESC or bidi override may reach the terminal.
    private func assertInert(_ output: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(output.contains("\u{1B}"), "\(what): ESC reached the output:\n\(output)", file: file, line: line)
        XCTAssertFalse(output.contains("\u{202E}"), "\(what): a bidi override reached the output", file: file, line: line)
        let commands = output.split(separator: "\n").filter { $0.hasPrefix("::") }
        XCTAssertEqual(commands, [], "\(what): a line starts a workflow command", file: file, line: line)
    }

    func testCheckShowsHostileIdsVisiblyOnOneLine() throws {
        let directory = try hostileRuns()
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = directory.appendingPathComponent("current.json").path
        let result = try CLI.run(["check", results, "--policy", "policies/fail.yaml"],
                                 environment: ["GITHUB_ACTIONS": "false"], currentDirectory: gate)
        XCTAssertEqual(result.status, 1, result.stderr)
        assertInert(result.stdout, "check's summary")
        assertInert(result.stderr, "check's findings")
        let findings = result.stderr.split(separator: "\n")
        XCTAssertEqual(findings.count, 4, result.stderr)
        XCTAssertTrue(findings.allSatisfy { $0.hasPrefix("policies/fail.yaml:") }, result.stderr)
        XCTAssertTrue(result.stderr.contains(#"[gpt2\n::error file=x::pwn\u{1b}[31m]: black − white = -0.1400 [-0.1800, -0.1000]"#), result.stderr)
        XCTAssertTrue(result.stdout.contains(#"regard-race\u{202e}`*[x](y)@team|<b>/sentiment/black-vs-white"#),
                      result.stdout)
    }

    func testCheckUnderGitHubActionsAnnotatesOnlyTheRealFailures() throws {
        let directory = try hostileRuns()
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("summary.md")
        let result = try CLI.run(
            ["check", directory.appendingPathComponent("current.json").path, "--policy", "policies/fail.yaml"],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path], currentDirectory: gate)
        XCTAssertEqual(result.status, 1, result.stderr)
        let commands = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }
        XCTAssertEqual(commands.count, 4, result.stdout)
        XCTAssertTrue(commands.allSatisfy { $0.hasPrefix("::error file=policies/fail.yaml,") }, result.stdout)
        XCTAssertFalse(result.stdout.contains("\u{1B}"), result.stdout)
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        assertInert(markdown, "the step summary")
        XCTAssertTrue(markdown.contains(#"gpt2 ↵ ::error file=x::pwn\\u{1b}\[31m"#), markdown)
    }

    func testDiffShowsHostileIdsInertInTextAndMarkdown() throws {
        let directory = try hostileRuns()
        defer { try? FileManager.default.removeItem(at: directory) }
        let runs = ["baseline.json", "current.json"].map { directory.appendingPathComponent($0).path }
        let text = try CLI.run(["diff"] + runs, environment: [:], currentDirectory: gate)
        XCTAssertEqual(text.status, 0, text.stderr)
        assertInert(text.stdout, "diff's text")
        XCTAssertTrue(text.stdout.contains(#"gpt2\n::error file=x::pwn\u{1b}[31m"#), text.stdout)

        let markdown = try CLI.run(["diff"] + runs + ["--format", "md"], environment: [:], currentDirectory: gate)
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        assertInert(markdown.stdout, "diff's Markdown")
        // As in the report's Markdown: code, emphasis, links, mentions, table cells and HTML are neutralised.
        XCTAssertTrue(markdown.stdout.contains("## regard-race\\\\u{202e}\\`\\*\\[x\\](y)@\u{2060}team\\|\\<b\\> (race)"),
                      markdown.stdout)
        XCTAssertFalse(markdown.stdout.contains("@team"), "nobody may be mentioned")
    }
}
