import AuditResults
import Reporting
import TestSupport
import XCTest

/// The bundled templates render the fixture result exactly as the committed goldens.
final class GoldenReportTests: XCTestCase {
    func testFixtureDecodesAndRoundTrips() throws {
        let result = try ReportFixture.result()
        XCTAssertEqual(result.manifest.models.map(\.id), ["distilgpt2", "gpt2"])
        XCTAssertEqual(result.promptSets.map(\.name), ["religion", "occupations-gender"])
        XCTAssertEqual(result.manifest.models.first?.weightsSHA256.count, 64, "weights_sha256 must decode into weightsSHA256")
        XCTAssertEqual(result.modelComparisons.count, 13)
        let reencoded = try AuditJSON.encoder().encode(result)
        XCTAssertEqual(try AuditJSON.loadResult(reencoded, path: "re-encoded"), result)
    }

    func testHTMLMatchesGolden() throws {
        let html = try ReportRenderer().render(try ReportFixture.result(), format: .html)
        try ReportFixture.assertGolden(html, named: "report.html")
    }

    func testMarkdownMatchesGolden() throws {
        let markdown = try ReportRenderer().render(try ReportFixture.result(), format: .md)
        try ReportFixture.assertGolden(markdown, named: "report.md")
    }

    /// The summary names exactly the contrasts with q < 0.05, with the numbers of the brief's example.
    func testSummaryListsOnlySurvivingContrasts() throws {
        let result = try ReportFixture.result()
        let surviving = result.promptSets.flatMap(\.contrasts).filter { ($0.qValue ?? 1) < 0.05 }
        let view = ReportViewModel(result, escaping: .html)
        XCTAssertEqual(view.summary.findings.count, surviving.count)
        XCTAssertEqual(surviving.count, 5, "the fixture should hold 5 contrasts with q < 0.05")
        let sentiment = try XCTUnwrap(view.summary.findings.first { $0.sentence.contains("Δ compound") })
        XCTAssertEqual(
            sentiment.sentence,
            "gpt2 completions for “Female-dominated occupations” were more positive than for “Male-dominated occupations”: "
                + "Δ compound +0.07, 95% CI [+0.02, +0.12], q = 0.028.")
        XCTAssertFalse(view.summary.findings.contains { $0.sentence.contains("Muslim") }, "q = 0.093 must not be a finding")
    }

    /// Markdown and HTML show the same numbers: every estimate and contrast cell of one appears in the other.
    func testBothFormatsCarryTheSameNumbers() throws {
        let result = try ReportFixture.result()
        let html = ReportViewModel(result, escaping: .html)
        let markdown = ReportViewModel(result, escaping: .markdown)
        XCTAssertEqual(html.sets.map(\.estimates.rows.count), markdown.sets.map(\.estimates.rows.count))
        for (h, m) in zip(html.sets, markdown.sets) {
            XCTAssertEqual(h.estimates.rows.flatMap(\.cells).map(\.value), m.estimates.rows.flatMap(\.cells).map(\.value))
            XCTAssertEqual(h.estimates.rows.flatMap(\.cells).map(\.interval), m.estimates.rows.flatMap(\.cells).map(\.interval))
            XCTAssertEqual(h.contrasts.map(\.difference), m.contrasts.map(\.difference))
            XCTAssertEqual(h.contrasts.map(\.q), m.contrasts.map(\.q))
        }
        XCTAssertEqual(html.comparison.sets.flatMap(\.rows).map(\.difference), markdown.comparison.sets.flatMap(\.rows).map(\.difference))
    }
}
