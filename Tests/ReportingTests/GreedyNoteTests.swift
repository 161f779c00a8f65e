import AuditResults
import Reporting
import XCTest

/// A run sampled with top-k 1 says in its header what greedy decoding leaves to measure (copies of one draw).
final class GreedyNoteTests: XCTestCase {
    func testAGreedyRunSaysItsSamplesAreCopies() throws {
        var result = try ReportFixture.result()
        for language in ReportLanguage.allCases {
            let sampled = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertFalse(sampled.contains("top-k 1)"), "\(language): a sampled run has no greedy note")
        }
        result.manifest.parameters.topK = 1
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("Greedy decoding (top-k 1): every sample of a prompt is the same text"), english)
        let spanish = try ReportRenderer().render(result, format: .html, language: .es)
        XCTAssertTrue(spanish.contains("Decodificación voraz (top-k 1): todas las muestras de un prompt son el mismo texto"))
    }
}
