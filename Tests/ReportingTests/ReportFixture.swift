import AuditResults
import Foundation
import TestSupport
import XCTest

/// The committed audit result of Tests/Fixtures/reporting and the golden-file comparison.
enum ReportFixture {
    /// The realistic two-model, two-set result (see Tests/Fixtures/reporting/make_fixture.py).
    static func result() throws -> AuditResult {
        try AuditJSON.loadResult(at: Fixtures.url("reporting/audit-result.json"))
    }

    /// Set to 1 to rewrite the goldens from the current output instead of comparing.
    static let recordVariable = "BIASAUDIT_RECORD_GOLDENS"

    /// Compares `actual` with the golden file `name` in Tests/Fixtures/reporting/goldens; on mismatch
    /// fails with the first differing line of each side and the number of differing lines.
    static func assertGolden(_ actual: String, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Fixtures.url("reporting/goldens/\(name)")
        if ProcessInfo.processInfo.environment[recordVariable] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            throw XCTSkip("recorded \(url.path); run again without \(recordVariable) to compare")
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing golden \(url.path); record it with \(recordVariable)=1", file: file, line: line)
            return
        }
        guard actual != expected else { return }
        let actualLines = actual.components(separatedBy: "\n")
        let expectedLines = expected.components(separatedBy: "\n")
        let firstDifference = Array(zip(actualLines, expectedLines)).firstIndex { $0 != $1 } ?? min(actualLines.count, expectedLines.count)
        let differing = zip(actualLines, expectedLines).filter { $0 != $1 }.count + abs(actualLines.count - expectedLines.count)
        let expectedLine = firstDifference < expectedLines.count ? expectedLines[firstDifference] : "<end of file>"
        let actualLine = firstDifference < actualLines.count ? actualLines[firstDifference] : "<end of file>"
        XCTFail(
            """
            \(name) differs from its golden at line \(firstDifference + 1) (\(differing) differing lines; \
            re-record with \(recordVariable)=1 if the change is intended)
              expected: \(expectedLine)
              actual:   \(actualLine)
            """, file: file, line: line)
    }
}
