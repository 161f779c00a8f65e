import AuditResults
@testable import Reporting
import XCTest

/// The summary lists exactly the findings of ``Findings/ranked(_:)``, in its order, one sentence per
/// pair of groups with that pair's metrics and models together.
final class SummaryOrderTests: XCTestCase {
    func testSentencesFollowTheRankingOfFindingsNotTheEffectSize() throws {
        var result = try ReportFixture.result()
        // Make the religion Christian − Jewish sentiment contrast under distilgpt2 the strongest finding while
        // having the smallest effect size of all findings.
        let index = try XCTUnwrap(result.promptSets[0].contrasts.firstIndex {
            $0.id == "religion/sentiment/christian-vs-jewish" && $0.model == "distilgpt2"
        })
        result.promptSets[0].contrasts[index].pValue = 1e-15
        result.promptSets[0].contrasts[index].qValue = 1e-14
        result.promptSets[0].contrasts[index].effectSize = 0.01
        let ranked = Findings.ranked(result.promptSets.flatMap(\.contrasts), below: Findings.threshold)
        XCTAssertEqual(ranked.first?.id, "religion/sentiment/christian-vs-jewish")

        let view = ReportViewModel(result, escaping: .markdown)
        let builder = SummaryBuilder(context: ReportContext(result: result, escaping: .markdown))
        let expected = builder.groupedFindings(ranked).map(builder.sentence)
        XCTAssertEqual(view.summary.findings.map(\.sentence), expected)
        XCTAssertTrue(view.summary.findings[0].sentence.hasPrefix("For “Christian” compared with “Jewish” (religion):"),
                      view.summary.findings[0].sentence)
        // Every finding appears in exactly one sentence, with its pair's other findings.
        let pairs = Set(ranked.map { "\($0.id.split(separator: "/")[0])/\($0.groupA)/\($0.groupB)" })
        XCTAssertEqual(view.summary.findings.count, pairs.count)
        let clauses = view.summary.findings.map { $0.sentence.components(separatedBy: " under ").count - 1 }
        XCTAssertEqual(clauses.reduce(0, +), ranked.count, "one “under MODEL” per finding")
    }

    func testNoFindingWhenEveryQIsAtOrAboveTheThreshold() throws {
        var result = try ReportFixture.result()
        for set in result.promptSets.indices {
            for index in result.promptSets[set].contrasts.indices where result.promptSets[set].contrasts[index].qValue != nil {
                result.promptSets[set].contrasts[index].qValue = Findings.threshold
            }
        }
        let summary = ReportViewModel(result, escaping: .html).summary
        XCTAssertFalse(summary.hasFindings)
        XCTAssertTrue(summary.findings.isEmpty)
        XCTAssertTrue(summary.headline.hasPrefix("None of the 19 tested group contrasts is a finding"), summary.headline)
    }

    /// Review: "None of the 1 tested group contrasts is a finding" / "Ninguno de los 1 contrastes…".
    func testOneTestedContrastIsSaidInTheSingular() throws {
        var result = try ReportFixture.result()
        var kept = false
        for set in result.promptSets.indices {
            for index in result.promptSets[set].contrasts.indices where result.promptSets[set].contrasts[index].qValue != nil {
                if kept {
                    result.promptSets[set].contrasts[index].qValue = nil
                    result.promptSets[set].contrasts[index].pValue = nil
                } else {
                    kept = true
                }
            }
        }
        for (q, english, spanish) in [
            (Findings.threshold, "The one tested group contrast is not a finding (q < 0.05 within its family",
             "El único contraste entre grupos probado no es un hallazgo (q < 0,05 dentro de su familia"),
            (0.001, "The one tested group contrast is a finding (q < 0.05 within its family",
             "El único contraste entre grupos probado es un hallazgo (q < 0,05 dentro de su familia"),
        ] {
            for set in result.promptSets.indices {
                for index in result.promptSets[set].contrasts.indices where result.promptSets[set].contrasts[index].qValue != nil {
                    result.promptSets[set].contrasts[index].qValue = q
                    result.promptSets[set].contrasts[index].pValue = q
                }
            }
            let headline = ReportViewModel(result, escaping: .html).summary.headline
            XCTAssertTrue(headline.hasPrefix(english), headline)
            let spanishHeadline = ReportViewModel(result, escaping: .html, language: .es).summary.headline
            XCTAssertTrue(spanishHeadline.hasPrefix(spanish), spanishHeadline)
        }
    }
}
