import AuditResults
import Reporting
import TestSupport
import XCTest

/// A review: a user's template copied before `noTerms` existed (Tests/Fixtures/reporting/older-templates: the group
/// table of biasaudit's templates before it, which prints `someTerms` and `terms` only) rendered an empty cell for a group
/// whose completions covered none of its terms. `terms` now carries the `noTerms` sentence too, so such a template says
/// "none of its 3 terms"; the bundled templates print it once.
final class OlderTemplateTests: XCTestCase {
    private func resultWithAnEmptyGroup() throws -> AuditResult {
        var result = try ReportFixture.result()
        // Muslim: 3 terms, 9 prompts, none with completions.
        result.promptSets[0].groups[1].termsWithData = []
        result.promptSets[0].groups[1].promptsWithData = 0
        return result
    }

    func testATemplateWithoutNoTermsSaysNoneOfItsTerms() throws {
        let result = try resultWithAnEmptyGroup()
        let older = try ReportRenderer(templates: Fixtures.url("reporting/older-templates"))
        let html = try older.render(result, format: .html)
        XCTAssertTrue(
            html.contains("<tr><th scope=\"row\">Muslim</th><td>none of its 3 terms</td><td class=\"num\">0 of 9</td></tr>"),
            "the older HTML template's row of the empty group: "
                + (html.components(separatedBy: "\n").first { $0.contains(">Muslim</th>") } ?? "none"))
        XCTAssertFalse(html.contains("<td></td>"), "an empty cell in the older HTML template's group table")
        let markdown = try older.render(result, format: .md)
        XCTAssertTrue(
            markdown.contains("| Muslim | none of its 3 terms | 0 of 9 |"),
            "the older Markdown template's row of the empty group: "
                + (markdown.components(separatedBy: "\n").first { $0.hasPrefix("| Muslim |") } ?? "none"))
        // The bundled templates print the sentence once.
        for format in [ReportFormat.md, .html] {
            let bundled = try ReportRenderer().render(result, format: format)
            XCTAssertEqual(bundled.components(separatedBy: "none of its 3 terms").count - 1, 1, "\(format): printed more than once")
        }
    }
}
