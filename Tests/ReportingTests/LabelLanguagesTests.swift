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

    /// `--lang` reads a language tag as users type it (review 83: `--lang ES`, `--lang es-MX` were refused).
    func testLanguageTagsAreReadByTheirPrimarySubtag() {
        let cases: [(String, ReportLanguage?)] = [
            ("es", .es), ("ES", .es), ("es-MX", .es), ("es_AR", .es), ("en", .en), ("EN-gb", .en),
            ("fr", nil), ("fr-ES", nil), ("", nil), ("-es", nil), ("español", nil),
            // Subtags BCP 47 has no room for: a typo, not Spanish (a Spanish reviewer's finding).
            ("es-", nil), ("es_", nil), ("es-ñ", nil), ("es-🙂", nil), ("es-MX-", nil), ("es-abcdefghi", nil),
            ("es-419", .es), ("zh-Hant-TW", nil), ("es-Latn-MX", .es),
            // A POSIX locale, as `--lang "$LANG"` gives it (a code review: it was refused once subtags were checked).
            ("es_ES.UTF-8", .es), ("en_US.utf8", .en), ("es_ES@euro", .es), (".UTF-8", nil), ("es_.UTF-8", nil),
        ]
        for (tag, expected) in cases {
            XCTAssertEqual(ReportLanguage(tag: tag), expected, "'\(tag)'")
        }
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

    /// A set's description and source in a report language are printed in that language's report (review: Spanish
    /// reports printed them in English), the set's own elsewhere; other languages and empty texts are refused.
    func testDescriptionsAndSourcesFollowTheReportLanguage() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].descriptions = ["es": "Descripción <en español>"]
        result.promptSets[0].sources = ["es": "Fuente en español"]
        XCTAssertNil(result.firstInconsistency().map { "\($0.key) \($0.reason)" })
        let spanish = ReportViewModel(result, escaping: .html, language: .es).sets[0]
        XCTAssertEqual(spanish.description, ReportEscaping.html.text("Descripción <en español>"))
        XCTAssertEqual(spanish.source, "Fuente en español")
        let english = ReportViewModel(result, escaping: .html).sets[0]
        XCTAssertEqual(english.description, ReportEscaping.html.text(result.promptSets[0].description))
        result.promptSets[0].sources = ["de": "Quelle"]
        XCTAssertEqual(result.firstInconsistency()?.key, "prompt_sets[0].sources")
        result.promptSets[0].sources = nil
        result.promptSets[0].descriptions = ["es": " "]
        XCTAssertEqual(result.firstInconsistency()?.key, "prompt_sets[0].descriptions.es")
    }
}
