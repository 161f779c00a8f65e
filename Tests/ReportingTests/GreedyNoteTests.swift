import AuditResults
import Reporting
import XCTest

/// Results whose statistics found copies of one completion per prompt (greedy decoding) say in their header what that
/// leaves to measure; the note follows the data, not the settings (review: a served model that refused top_k 1
/// sampled, and the note was printed).
final class GreedyNoteTests: XCTestCase {
    func testResultsOfCopiesSayEachPromptCountsOnce() throws {
        var result = try ReportFixture.result()
        result.manifest.parameters.topK = 1
        for language in ReportLanguage.allCases {
            let sampled = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertFalse(sampled.contains("top-k 1)"), "\(language): top-k 1 alone (no copies found) has no note")
        }
        result.promptSets[0].contrasts[0].difference.method = MetricEstimate.copiesMethod
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("Every sample of a prompt is the same text (greedy decoding, top-k 1): one draw"), english)
        let spanish = try ReportRenderer().render(result, format: .html, language: .es)
        XCTAssertTrue(spanish.contains("Todas las muestras de un prompt son el mismo texto (decodificación voraz, top-k 1)"))
    }
}
