import AuditResults
import Foundation
import Reporting
import TestSupport
import XCTest

/// A user template of thousands of nested sections is refused before the recursive parser and renderer
/// see it (a stack overflow in the trial).
final class TemplateNestingTests: XCTestCase {
    func testDeeplyNestedSectionsAreRefusedNamingTheLine() throws {
        let templates = try Fixtures.temporaryDirectory("template-nesting")
        defer { try? FileManager.default.removeItem(at: templates) }
        let text = "# title\n" + String(repeating: "{{#sets}}", count: 20_000) + String(repeating: "{{/sets}}", count: 20_000)
        try Data(text.utf8).write(to: templates.appendingPathComponent("report.md.mustache"))
        XCTAssertThrowsError(try ReportRenderer(templates: templates)) { error in
            guard case AuditError.badInput(let path, let reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(path.hasSuffix("report.md.mustache"), path)
            XCTAssertTrue(reason.hasPrefix("line 2: sections are nested more than 100 deep"), reason)
        }
    }

    func testTheBundledTemplatesAreWithinTheLimit() throws {
        XCTAssertNoThrow(try ReportRenderer())
    }
}
