import AuditResults
import XCTest

@testable import Reporting

/// The group table shows what was analysed (statistician's review 86): where the completions covered only some of a
/// group's terms or prompts (results.json's `terms_with_data`, `prompts_with_data`), the row lists those terms after
/// "3 of 8 terms:" and its prompts as "9 of 24", in English and Spanish, HTML and Markdown; it listed every term of the
/// set beside a header note saying 27 of its 72 prompts had completions.
final class GroupCoverageTableTests: XCTestCase {
    func testTheGroupTableListsTheTermsAndPromptsWithCompletions() throws {
        var result = try ReportFixture.result()
        // Christian: 4 terms, 12 prompts; the second term untrusted text, which stays escaped.
        result.promptSets[0].groups[0].terms[1] = "<b>Cath|olic</b>"
        let full = result
        result.promptSets[0].groups[0].termsWithData = ["Christian", "<b>Cath|olic</b>"]
        result.promptSets[0].groups[0].promptsWithData = 5
        // Muslim: every term, fewer prompts (a template missing).
        result.promptSets[0].groups[1].promptsWithData = 6
        let cases: [(ReportLanguage, ReportFormat, [String], [String])] = [
            (.en, .md,
             ["| Christian | 2 of 4 terms: Christian, \\<b\\>Cath\\|olic\\</b\\> | 5 of 12 |",
              "| Muslim | Muslim, Sunni, Shia | 6 of 9 |", "| Jewish | Jewish, Orthodox Jewish, Reform Jewish | 9 |"],
             ["Protestant, Evangelical"]),
            (.en, .html,
             ["<td>2 of 4 terms: <span>Christian, &lt;b&gt;Cath|olic&lt;/b&gt;</span></td><td class=\"num\">5 of 12</td>",
              "<td>Muslim, Sunni, Shia</td><td class=\"num\">6 of 9</td>"],
             ["Protestant, Evangelical"]),
            (.es, .md,
             ["| Cristianos | 2 de 4 términos: Christian, \\<b\\>Cath\\|olic\\</b\\> | 5 de 12 |",
              "| Musulmanes | Muslim, Sunni, Shia | 6 de 9 |", "| Judíos | Jewish, Orthodox Jewish, Reform Jewish | 9 |"],
             ["Protestant, Evangelical", "5 of 12", "terms:"]),
            (.es, .html,
             ["<td>2 de 4 términos: <span lang=\"en\">Christian, &lt;b&gt;Cath|olic&lt;/b&gt;</span></td><td class=\"num\">5 de 12</td>",
              "<td lang=\"en\">Muslim, Sunni, Shia</td><td class=\"num\">6 de 9</td>"],
             ["Protestant, Evangelical", "5 of 12", "terms:"]),
        ]
        for (language, format, present, absent) in cases {
            let rendered = try ReportRenderer().render(result, format: format, language: language)
            for text in present { XCTAssertTrue(rendered.contains(text), "\(language) \(format): missing \(text)") }
            for text in absent { XCTAssertFalse(rendered.contains(text), "\(language) \(format): has \(text)") }
            XCTAssertFalse(rendered.contains("<b>Cath"), "\(language) \(format): untrusted term unescaped")
            // Without recorded coverage every term and the prompt count are shown, as before.
            let whole = try ReportRenderer().render(full, format: format, language: language)
            XCTAssertTrue(whole.contains("Cath\\|olic\\</b\\>, Protestant, Evangelical | 12 |")
                || whole.contains("Cath|olic&lt;/b&gt;, Protestant, Evangelical</td><td class=\"num\">12</td>"),
                "\(language) \(format)")
            for text in ["4 terms:", "4 términos:", "5 of 12", "5 de 12", "6 of 9", "6 de 9"] {
                XCTAssertFalse(whole.contains(text), "\(language) \(format): \(text)")
            }
        }
    }
}
