import AuditResults
import Foundation
import FoundationXML
import Reporting
import XCTest
#if canImport(FoundationXML)
#endif

/// Model output is untrusted: markup, Mustache tags and Markdown syntax in a completion stay inert text.
final class HostileTextTests: XCTestCase {
    /// A continuation that tries every trick: script, a Mustache tag, closing table markup, table pipes,
    /// a heading, a code span, a link, emphasis, a mention, a bidi override and a terminal escape.
    static let hostile = " <script>alert(1)</script> {{x}} {{{y}}} </td></tr></table> | a | b |\n# heading `code` "
        + "[link](http://e.example) **bold** @someone \u{202E}rtl \u{1B}[31m &amp; 'q' \"dq\""
    static let hostileLabel = "Evil | <b>group</b> {{x}}"

    private func hostileResult() throws -> AuditResult {
        var result = try ReportFixture.result()
        result.promptSets[0].examples[0].continuation = Self.hostile
        result.promptSets[0].examples[0].prompt = "# <i>prompt</i> | {{x}}"
        result.promptSets[0].groups[0].label = Self.hostileLabel
        result.promptSets[0].description = "<img src=x onerror=alert(1)> | description"
        return result
    }

    func testHTMLKeepsHostileTextInert() throws {
        let html = try ReportRenderer().render(try hostileResult(), format: .html)
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        XCTAssertEqual(try document.nodes(forXPath: "//script").count, 0, "a <script> element was injected")
        XCTAssertEqual(try document.nodes(forXPath: "//img").count, 0, "an <img> element was injected")
        XCTAssertEqual(try document.nodes(forXPath: "//b | //i").count, 0, "markup from a label or prompt was injected")
        XCTAssertEqual(try document.nodes(forXPath: "//a[not(starts-with(@href, '#'))]").count, 0, "a link leaves the page")

        let marks = try document.nodes(forXPath: "//mark[@class='continuation']").compactMap(\.stringValue)
        XCTAssertTrue(marks.contains(ReportEscaping.visible(Self.hostile)), "the continuation's text must survive verbatim (controls made visible)")
        XCTAssertTrue(html.contains("{{x}}"), "a Mustache tag inside a value must stay literal")
        XCTAssertFalse(html.contains("\u{1B}") || html.contains("\u{202E}"), "control and bidi characters must be made visible")

        // The example table keeps its shape: every body row has one header cell and four data cells.
        for row in try document.nodes(forXPath: "//table[@class='examples']/tbody/tr") {
            let element = try XCTUnwrap(row as? XMLElement)
            XCTAssertEqual(element.elements(forName: "th").count, 1)
            XCTAssertEqual(element.elements(forName: "td").count, 4, "a value broke out of its cell: \(element.xmlString)")
        }
    }

    /// Review 81: a served model's name (`--model 'http://host/v1#<style>…'`) and the names in the unpaired-pairs
    /// sentence were printed raw by the Methods (`{{{…}}}`); a `<style>` name blanked the page.
    func testHTMLMethodsEscapeServedAndUnpairedModelNames() throws {
        var result = try ReportFixture.result()
        let hostileName = "<b>m</b><style>body{display:none}</style>"
        let renamed = Dictionary(uniqueKeysWithValues: result.manifest.models.map(\.id).enumerated().map {
            ($0.element, $0.offset == 0 ? hostileName : "<i>\($0.element)</i>")
        })
        result.manifest.models = result.manifest.models.enumerated().map { index, model in
            var model = model
            model.id = renamed[model.id] ?? model.id
            if index == 0 { model.commonRandomNumbers = false }
            return model
        }
        for index in result.promptSets.indices {
            for row in result.promptSets[index].groupEstimates.indices {
                let model = result.promptSets[index].groupEstimates[row].model
                result.promptSets[index].groupEstimates[row].model = renamed[model] ?? model
            }
            for row in result.promptSets[index].contrasts.indices {
                let model = result.promptSets[index].contrasts[row].model
                result.promptSets[index].contrasts[row].model = renamed[model] ?? model
            }
        }
        for row in result.modelComparisons.indices {
            result.modelComparisons[row].modelA = renamed[result.modelComparisons[row].modelA] ?? result.modelComparisons[row].modelA
            result.modelComparisons[row].modelB = renamed[result.modelComparisons[row].modelB] ?? result.modelComparisons[row].modelB
            result.modelComparisons[row].paired = false
        }
        for language in [ReportLanguage.en, .es] {
            let html = try ReportRenderer().render(result, format: .html, language: language)
            let document = try XMLDocument(data: Data(html.utf8), options: [])
            XCTAssertEqual(try document.nodes(forXPath: "//b | //i").count, 0, "a model name's markup was injected (\(language))")
            XCTAssertEqual(try document.nodes(forXPath: "//body//style").count, 0, "a <style> was injected (\(language))")
            XCTAssertTrue(html.contains("&lt;style&gt;body{display:none}&lt;/style&gt;"), "the served name is shown as text")
        }
    }

    func testMarkdownKeepsHostileTextInert() throws {
        let markdown = try ReportRenderer().render(try hostileResult(), format: .md)
        let lines = markdown.components(separatedBy: "\n")
        let row = try XCTUnwrap(lines.first { $0.contains("alert(1)") && $0.contains("most negative") }, "example row missing")
        XCTAssertEqual(MarkdownTableText.unescapedPipes(in: row), 6, "the example row must keep exactly 5 cells: \(row)")
        XCTAssertTrue(row.contains("{{x}}"), "a Mustache tag inside a value must stay literal")
        XCTAssertNil(row.range(of: #"(?<!\\)[<`\[\]#]"#, options: .regularExpression), "unescaped Markdown syntax in \(row)")
        XCTAssertNil(row.range(of: #"(?<!\\)\*\*bold"#, options: .regularExpression), "emphasis from the model output is live")
        XCTAssertTrue(row.contains("@\u{2060}someone"), "an @mention must be defused")
        XCTAssertTrue(row.contains(" ↵ \\# heading"), "a newline must not start a new line or heading")

        for line in lines where line.contains("Evil") && line.hasPrefix("|") {
            XCTAssertTrue(line.contains("Evil \\| \\<b\\>group\\</b\\>"), "a group label must be escaped in tables: \(line)")
        }
        let description = try XCTUnwrap(lines.first { $0.contains("onerror") })
        XCTAssertEqual(description, "\\<img src=x onerror=alert(1)\\> \\| description")
    }

    /// Model output never becomes a link, an image, a mention or an issue reference in report.md: bare
    /// URLs, `www.` addresses, e-mail addresses, `@names` and `#numbers` are defused with a word joiner,
    /// Markdown link and image syntax is escaped.
    func testMarkdownModelOutputBecomesNoLinkMentionOrImage() throws {
        var result = try ReportFixture.result()
        let output = " Visit https://evil.example/x?a=1, WWW.Evil.example or Http://x.example; mail bob@evil.example, "
            + "ping @octocat, see #12, ![img](http://e.example/i.png) [click](https://e.example) <https://e.example> "
            + "ftp://files.example mailto:bob@e.example"
        result.promptSets[0].examples[0].continuation = output
        result.promptSets[0].examples[0].prompt = "See www.prompt.example and @someone:"
        let markdown = try ReportRenderer().render(result, format: .md)
        let row = try XCTUnwrap(markdown.components(separatedBy: "\n").first { $0.contains("evil") }, "example row missing")
        let live: [(String, String)] = [
            (#"(?i)(https?|ftp)://"#, "a bare URL"), (#"(?i)www\."#, "a www. autolink"), (#"(?i)(mailto|xmpp):"#, "a scheme"),
            (#"@[A-Za-z0-9]"#, "a mention or e-mail address"), (#"#[0-9]"#, "an issue reference"),
            (#"(?<!\\)\["#, "link or image text"), (#"(?<!\\)\]\("#, "a link target"), (#"(?<!\\)<"#, "an angle autolink"),
        ]
        for (pattern, what) in live {
            XCTAssertNil(row.range(of: pattern, options: .regularExpression), "\(what) is live in report.md: \(row)")
        }
        XCTAssertTrue(row.contains("https\u{2060}://evil.example/x?a=1"), "the URL must stay readable: \(row)")
        XCTAssertTrue(row.contains("www\u{2060}.prompt.example"), "prompts are defused too: \(row)")
    }

    /// report.md folds its details as GitHub renders them: the header, the findings and the at-a-glance
    /// table stay open; every other section sits in a `<details>` block whose `<summary>` line holds only
    /// fixed text (an HTML block does not read Markdown escapes), with a blank line after it so that the
    /// escaped Markdown inside renders as Markdown. Hostile model output inside stays escaped.
    func testMarkdownFoldsTheDetailsWithFixedSummaries() throws {
        var result = try hostileResult()
        result.promptSets[0].name = "set_<img src=x>"
        for language in [ReportLanguage.en, .es] {
            let markdown = try ReportRenderer().render(result, format: .md, language: language)
            let lines = markdown.components(separatedBy: "\n")
            let opened = lines.indices.filter { lines[$0] == "<details>" }
            let closed = lines.indices.filter { lines[$0] == "</details>" }
            XCTAssertEqual(opened.count, closed.count, "\(language): unbalanced <details>")
            // What was audited, per set (2) a section and its examples and pairs, model comparison, methods (2).
            XCTAssertGreaterThanOrEqual(opened.count, 1 + 2 * 3 + 1 + 2, "\(language): sections are not folded")
            for index in opened {
                let summary = lines[index + 1]
                XCTAssertTrue(summary.hasPrefix("<summary>") && summary.hasSuffix("</summary>"), "\(language): \(summary)")
                XCTAssertEqual(lines[index + 2], "", "\(language): no blank line after the summary: Markdown inside would not render")
                for untrusted in ["set\\_", "img", "\\", "Evil", "{{"] {
                    XCTAssertFalse(summary.contains(untrusted), "\(language): untrusted text in a summary line: \(summary)")
                }
            }
            XCTAssertEqual(closed.map { lines[$0 - 1] }.filter { !$0.isEmpty }, [], "\(language): a blank line before </details>")
            // The first screen is before the first fold.
            let firstFold = try XCTUnwrap(opened.first)
            let glance = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("| Prompt set | Metric |") || $0.hasPrefix("| Conjunto | Métrica |") })
            let findings = try XCTUnwrap(lines.firstIndex { $0 == "## Findings" || $0 == "## Hallazgos" })
            XCTAssertLessThan(findings, firstFold)
            XCTAssertLessThan(glance, firstFold)
            // Inside the folds, hostile text is escaped as everywhere.
            let row = try XCTUnwrap(lines.first { $0.contains("alert(1)") && $0.hasPrefix("|") && $0.contains("script") })
            XCTAssertTrue(opened.first! < lines.firstIndex(of: row)!)
            XCTAssertTrue(row.contains("\\<script\\>"), row)
        }
    }

    /// Review of the integrate branch: a group label of a million characters (a hand-edited results file)
    /// is drawn in each forest plot as two lines, the second ending with "…", and the whole label is the
    /// tooltip. Wrapping used to cut every 28-character piece of the label from its start (quadratic: a
    /// 2 MB label kept `report` busy for many minutes); it now makes only the lines it draws.
    func testAMillionCharacterGroupLabelIsDrawnAsTwoLinesInTheCharts() throws {
        var result = try ReportFixture.result()
        let label = String(repeating: "word ", count: 150_000) + String(repeating: "x", count: 250_000)
        result.promptSets[0].groups[0].label = label
        let html = try ReportRenderer().render(result, format: .html)
        let title = "<title>" + label + "</title>"
        var charts = 0
        var rest = html[...]
        while let found = rest.range(of: title) {
            charts += 1
            let after = rest[found.upperBound...]
            let end = try XCTUnwrap(after.range(of: "</text>"), "the label's <text> element is not closed")
            let lines = after[..<end.lowerBound].components(separatedBy: "</tspan>").dropLast().map { piece in
                String(piece[(piece.range(of: ">")?.upperBound ?? piece.endIndex)...])
            }
            XCTAssertEqual(lines, ["word word word word word", "word word word word word…"])
            rest = after[end.upperBound...]
        }
        XCTAssertGreaterThan(charts, 0, "no forest plot drew the group's label")
    }

    /// Review: a hostile server's megabyte continuation reached the report's examples whole. Examples show
    /// their first 2,000 Unicode scalars and the full length (results.json keeps the text); one character of a
    /// million combining marks is cut as well.
    func testAMegabyteContinuationIsCutInTheExamples() throws {
        var result = try ReportFixture.result()
        let long = String(repeating: "spam ", count: 200_000)
        let marks = "a" + String(repeating: "\u{301}", count: 1_000_000)
        result.promptSets[0].examples[0].continuation = long
        result.promptSets[0].examples[1].continuation = marks
        let shownBound = 200_000
        for (format, language, note) in [(ReportFormat.md, ReportLanguage.en, "cut: 1,000,000 Unicode code points in all; results.json holds the whole text"),
                                         (.html, .en, "(cut: 1,000,000 Unicode code points in all"),
                                         (.html, .en, "(cut: 1,000,001 Unicode code points in all"),
                                         (.md, .es, "cortada: 1\u{00A0}000\u{00A0}000 puntos de código Unicode en total")] {
            let report = try ReportRenderer().render(result, format: format, language: language)
            let fixtureSize = try ReportRenderer().render(try ReportFixture.result(), format: format, language: language).utf8.count
            XCTAssertLessThan(report.utf8.count - fixtureSize, shownBound, "\(format) \(language): the long texts were not cut")
            let excerpt = report.range(of: "spam spam…").map { String(report[$0.lowerBound...].prefix(160)) } ?? ""
            XCTAssertTrue(report.contains(note), "\(format) \(language): no note '\(note)' of the cut: \(excerpt)")
            XCTAssertTrue(report.contains(String(repeating: "spam ", count: 399) + "spam"), "\(format) \(language): the start is shown")
        }
        // The note is not model output: in HTML it follows the highlighted continuation, outside its <mark>.
        let html = try ReportRenderer().render(result, format: .html)
        let around = html.range(of: "…</mark>").map { String(html[$0.lowerBound...].prefix(200)) } ?? ""
        XCTAssertTrue(html.contains("…</mark> <small>(cut: 1,000,000 Unicode code points in all"), "the note sits outside <mark>: \(around)")
    }
}
