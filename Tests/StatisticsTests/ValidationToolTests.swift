import Foundation
import TestSupport
import XCTest

/// The `statistics-validation` tool's command line (a statistician's review: `--help` started the whole validation,
/// about 15 minutes, as did any unknown option, and `--only` printed the preamble and every section's header around
/// the rows it selected).
final class ValidationToolTests: XCTestCase {
    /// The tool, built beside `biasaudit` by `swift build --build-tests`.
    private var tool: URL { CLI.executable.deletingLastPathComponent().appendingPathComponent("statistics-validation") }

    private func run(_ arguments: [String]) throws -> CommandResult {
        try CLI.run(arguments, executable: tool)
    }

    func testHelpListsTheOptionsAndSimulatesNothing() throws {
        for flag in ["--help", "-h"] {
            let help = try run(["--quick", flag])
            XCTAssertEqual(help.status, 0, help.stderr)
            for option in ["--quick", "--reps N", "--seed N", "--out FILE", "--only TEXT", "--min-events N", "--lone-group",
                           "--rate-term-sd S", "--help"] {
                XCTAssertTrue(help.stdout.contains("  " + option), "\(flag) lacks \(option):\n\(help.stdout)")
            }
            XCTAssertFalse(help.stdout.contains("# Statistics validation"), help.stdout)
            XCTAssertFalse(help.stdout.contains("| design"), help.stdout)
        }
    }

    func testAnUnknownArgumentOrAMissingValueIsRefusedWithUsage() throws {
        for (arguments, message) in [
            (["--quick", "--bogus"], "unknown argument '--bogus'; `statistics-validation --help` lists the options"),
            (["quick"], "unknown argument 'quick'"),
            (["--only"], "--only needs a value (--only TEXT)"),
            (["--quick", "--reps"], "--reps needs a value (--reps N)"),
        ] {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("statistics-validation: " + message), "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
        }
    }

    /// `--only` prints the selected rows, each section's heading and table header once above them, and nothing else.
    func testOnlyPrintsTheSelectedRowsUnderTheirHeader() throws {
        let result = try run(["--reps", "20", "--only", "Exact next-token log-odds"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let expectedRows = 4  // 3, 4, 6 and 9 terms
        XCTAssertEqual(lines.count, 3 + expectedRows + 1, result.stdout)
        XCTAssertEqual(lines.first, "## Exact next-token log-odds (one value per prompt)", result.stdout)
        XCTAssertTrue(lines.dropFirst().first?.hasPrefix("| design | term SD | level cov.") ?? false, result.stdout)
        XCTAssertEqual(lines.dropFirst(2).first?.hasPrefix("|---|"), true, result.stdout)
        for row in lines.dropFirst(3).prefix(expectedRows) {
            XCTAssertTrue(row.hasPrefix("| ") && row.contains(" vs ") && row.hasSuffix(" |"), "not a row: \(row)")
        }
        XCTAssertEqual(lines.last, "", "the output ends with its last row's line break")
        for text in ["# Statistics validation", "Written by", "## Means", "## Cells outside the target bands"] {
            XCTAssertFalse(result.stdout.contains(text), "--only printed \(text):\n\(result.stdout)")
        }
    }

    func testOnlyMatchingNoRowIsRefused() throws {
        let result = try run(["--quick", "--only", "no such row"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("no row's section title or label contains 'no such row'"), result.stderr)
    }
}
