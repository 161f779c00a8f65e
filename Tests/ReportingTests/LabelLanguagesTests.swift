import AuditResults
import PromptSets
@testable import Reporting
import XCTest

/// The languages a group label may be given in are the report languages, in all three places that
/// list them: the prompt-set format (`lint`), the results file's consistency check (`report`, `check`,
/// `diff`, `analyze`) and `report --lang`.
final class LabelLanguagesTests: XCTestCase {
    func testPromptSetsResultsAndReportsKnowTheSameLanguages() {
        let reports = ReportLanguage.allCases.map(\.rawValue).sorted()
        XCTAssertEqual(GroupInfo.labelLanguages.sorted(), reports, "results files and report --lang")
        XCTAssertEqual(PromptGroup.labelLanguages.sorted(), reports, "prompt sets and report --lang")
    }

    /// A label a results file carries in a report language is shown in that report; others are refused
    /// when the file is read (HostileResultsFileTests), so a report never meets one.
    func testEachLanguagesLabelIsAcceptedByTheConsistencyCheck() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].groups[0].labels = Dictionary(uniqueKeysWithValues: GroupInfo.labelLanguages.map { ($0, "L-\($0)") })
        XCTAssertNil(result.firstInconsistency().map { "\($0.key) \($0.reason)" })
        result.promptSets[0].groups[0].labels = ["de": "Gruppe"]
        XCTAssertEqual(result.firstInconsistency()?.key, "prompt_sets[0].groups[0].labels")
        result.promptSets[0].groups[0].labels = ["es": ""]
        XCTAssertEqual(result.firstInconsistency()?.key, "prompt_sets[0].groups[0].labels.es")
    }
}
