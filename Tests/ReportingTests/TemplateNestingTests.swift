import AuditResults
import Foundation
@testable import Reporting
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

    /// Review: `X{{` rendered as `X` with exit 0 (the parser drops an unclosed tag at the end of the text).
    func testATagThatIsNeverClosedIsRefusedNamingItsLine() throws {
        for (text, expected) in [
            ("X{{", "line 1: a tag opened with {{ is never closed with }}; close it, or write the braces as text"),
            ("# title\n\nhello {{ world", "line 3: a tag opened with {{ is never closed with }}"),
            // The delimiters in force are named (second review: it named {{ and }} there too).
            ("{{=<% %>=}}\nfine {{ braces }}\n<% name", "line 3: a tag opened with <% is never closed with %>; close it"),
        ] {
            let (templates, result) = try load(["report.md.mustache": text])
            defer { try? FileManager.default.removeItem(at: templates) }
            XCTAssertThrowsError(try result.get(), text) { error in
                guard case AuditError.badInput(_, let reason) = error else { return XCTFail("unexpected \(error)") }
                XCTAssertTrue(reason.hasPrefix(expected), reason)
            }
        }
        let (templates, closed) = try load(["report.md.mustache": "{{=<% %>=}}\nbraces {{ as text }} <% toolVersion %>"])
        defer { try? FileManager.default.removeItem(at: templates) }
        XCTAssertNoThrow(try closed.get(), "changed delimiters: {{ is text")
    }

    /// A hostile review: an unclosed section was "not a valid Mustache template (expectedSectionEnd); fix the tag near ``"
    /// (an enum case's name, an empty excerpt). Said in words, naming the open section and its line.
    func testAParserFaultIsSaidInWords() throws {
        for (text, expected) in [
            ("# x\n{{#a}}\n{{#b}}\ntext\n", "line 5, column 1: the section {{#b}} opened at line 3 is never closed; close it "
                + "with {{/…}} of the same name"),
            ("# x\n{{#a}}\n{{/b}}\n", "line 3, column 4 (near `{{/b}}`): a section is closed with another name than it was "
                + "opened with; close the innermost open section first, with its own name"),
        ] {
            let (templates, result) = try load(["report.md.mustache": text])
            defer { try? FileManager.default.removeItem(at: templates) }
            XCTAssertThrowsError(try result.get(), text) { error in
                guard case AuditError.badInput(_, let reason) = error else { return XCTFail("unexpected \(error)") }
                XCTAssertEqual(reason, expected)
            }
        }
    }

    /// A hostile review: a user's HTML template that printed a completion with `{{{continuation}}}` (the Markdown
    /// templates' habit) put its `<script>` live in report.html. HTML templates may print unescaped only the charts
    /// biasaudit draws; Markdown templates keep `{{{…}}}`, and the bundled HTML set partial copied as it is loads.
    func testAnHTMLTemplatePrintingAValueUnescapedIsRefused() throws {
        let cases: [([String: String], String, String)] = [
            (["partials/html-set.mustache": "<p>\n{{#examples}}{{{continuation}}}{{/examples}}</p>"], "partials/html-set.mustache",
             "line 2: {{{continuation}}} prints its value without HTML escaping"),
            (["report.html.mustache": "<h1>{{& toolVersion}}</h1>"], "report.html.mustache",
             "line 1: {{{toolVersion}}} prints its value without HTML escaping"),
            (["es/partials/html-methods.mustache": "{{=<% %>=}}\n<%{ toolVersion }%>"], "es/partials/html-methods.mustache",
             "line 2: {{{toolVersion}}}"),
            // A second review's bypasses: `.` on a string section, a partial of another name, and a pragma that turns the
            // escaping of `{{…}}` off.
            (["partials/html-set.mustache": "{{#label}}{{{.}}}{{/label}}"], "partials/html-set.mustache", "line 1: {{{.}}}"),
            (["partials/html-set.mustache": "{{> partials/cell}}", "partials/cell.mustache": "x\n{{{label}}}"],
             "partials/cell.mustache", "line 2: {{{label}}}"),
            (["partials/html-set.mustache": "{{% CONTENT_TYPE: TEXT}}\n{{label}}"], "partials/html-set.mustache",
             "line 1: a pragma ({{% …}}) in a template of an HTML report"),
            // A third review's: an inverted section or a block named svg leaves `.` the enclosing string, and delimiters
            // changed across a line break or a no-break space hid every later tag from the checks.
            (["partials/html-set.mustache": "{{#description}}{{^svg}}{{{.}}}{{/svg}}{{/description}}"], "partials/html-set.mustache",
             "line 1: {{{.}}}"),
            (["partials/html-set.mustache": "{{#description}}{{$svg}}{{{.}}}{{/svg}}{{/description}}"], "partials/html-set.mustache",
             "line 1: {{{.}}}"),
            (["partials/html-set.mustache": "{{=<%\n%>=}}<%&.%><%={{ }}=%>"], "partials/html-set.mustache", "line 2: {{{.}}}"),
            (["partials/html-set.mustache": "{{=<%\u{A0}%>=}}<%&label%>"], "partials/html-set.mustache", "line 1: {{{label}}}"),
            // A fourth review's: a bundled Markdown partial included from the user's HTML template printed a completion's
            // <script> live.
            (["report.html.mustache": "<html>{{#sets}}{{> partials/md-set}}{{/sets}}</html>"], "partials/md-set.mustache",
             "line 1 (a bundled Markdown template, which a template of yours includes in the HTML report"),
        ]
        for (files, file, expected) in cases {
            let (templates, result) = try load(files)
            defer { try? FileManager.default.removeItem(at: templates) }
            XCTAssertThrowsError(try result.get(), file) { error in
                guard case AuditError.badInput(let path, let reason) = error else { return XCTFail("unexpected \(error)") }
                XCTAssertTrue(path.hasSuffix(file), path)
                XCTAssertTrue(reason.hasPrefix(expected), reason)
            }
        }
        // The bundled HTML set and sweep partials copied as they are load ({{{svg}}}, {{{.}}} inside {{#svg}}), and so do
        // Markdown templates and a partial only they include.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Templates")
        var copies: [String: String] = [:]
        for name in ["partials/html-set.mustache", "partials/html-sweep.mustache", "es/partials/html-sweep.mustache"] {
            copies[name] = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
        }
        XCTAssertTrue(copies["partials/html-set.mustache"]!.contains("{{{svg}}}"))
        XCTAssertTrue(copies["partials/html-sweep.mustache"]!.contains("{{{.}}}"))
        for files in [copies, ["report.md.mustache": "# {{{toolVersion}}}\n{{> partials/row}}", "partials/row.mustache": "{{{label}}}"]] {
            let (templates, result) = try load(files)
            defer { try? FileManager.default.removeItem(at: templates) }
            XCTAssertNoThrow(try result.get(), "\(files.keys.sorted())")
        }
    }

    /// Review: `{{.}}` at a user template's top level printed the view model's Swift debug dump (every field,
    /// model outputs included); a view printed whole renders as nothing, its fields as before.
    func testAViewPrintedWholeRendersAsNothing() throws {
        let text = "[{{.}}][{{{.}}}]{{#sets}}<{{.}}|{{name}}>{{/sets}}{{#models}}({{.}}){{/models}}"
        let (templates, loaded) = try load(["report.md.mustache": text])
        defer { try? FileManager.default.removeItem(at: templates) }
        let result = try ReportFixture.result()
        let markdown = try loaded.get().render(result, format: .md)
        let names = ReportViewModel(result, escaping: .markdown).sets.map(\.name)
        XCTAssertFalse(names.isEmpty)
        let expected = "[][]" + names.map { "<|\($0)>" }.joined()
        XCTAssertTrue(markdown.hasPrefix(expected), String(markdown.prefix(300)))
        for leak in ["ReportViewModel", "SetView", "Optional(", "escaping"] {
            XCTAssertFalse(markdown.contains(leak), "\(leak) in: \(markdown.prefix(300))")
        }
    }

    func testTheBundledTemplatesAreWithinTheLimit() throws {
        XCTAssertNoThrow(try ReportRenderer())
    }

    /// Writes `files` (relative path → text) into a fresh template folder and loads it.
    private func load(_ files: [String: String]) throws -> (URL, Result<ReportRenderer, Error>) {
        let templates = try Fixtures.temporaryDirectory("template-partials")
        for (name, text) in files {
            let url = templates.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return (templates, Result { try ReportRenderer(templates: templates) })
    }

    private func assertRefused(
        _ files: [String: String], path suffix: String, _ fragments: [String], file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let (templates, result) = try load(files)
        defer { try? FileManager.default.removeItem(at: templates) }
        guard case .failure(let error) = result, case AuditError.badInput(let path, let reason) = error else {
            return XCTFail("expected AuditError.badInput, got \(result)", file: file, line: line)
        }
        XCTAssertEqual((error as? AuditError)?.exitCode, 65, file: file, line: line)
        XCTAssertTrue(path.hasSuffix(suffix), "\(path) does not end in \(suffix)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(reason.contains(fragment), "'\(fragment)' not in: \(reason)", file: file, line: line)
        }
    }

    func testAPartialThatIncludesItselfIsRefusedNamingTheChain() throws {
        try assertRefused(["partials/md-set.mustache": "{{#sets}}{{> partials/md-set}}{{/sets}}\n"],
                          path: "partials/md-set.mustache:1",
                          ["the partial 'partials/md-set' includes itself (partials/md-set → partials/md-set)",
                           "remove the {{> partials/md-set}} that closes the loop"])
        // A → B → A, reached from the report template.
        try assertRefused(["report.md.mustache": "# r\n{{> partials/a}}\n", "partials/a.mustache": "a {{> partials/b}}",
                           "partials/b.mustache": "b\n\n{{>partials/a}}"],
                          path: "partials/b.mustache:3",
                          ["includes itself (partials/a → partials/b → partials/a)"])
    }

    /// A hostile review: a misspelt partial rendered as nothing (every set's section gone, exit 0).
    func testAPartialThatDoesNotExistIsRefused() throws {
        try assertRefused(["report.md.mustache": "# r\n{{#sets}}{{> partials/md-sets}}{{/sets}}\n"], path: "report.md.mustache:2",
                          ["the partial 'partials/md-sets' does not exist", "include one of partials/html-methods,",
                           "partials/md-set,"])
    }

    func testChangedDelimitersCannotHideAPartialOrASection() throws {
        try assertRefused(["partials/a.mustache": "{{=<% %>=}}<%> partials/a %>"], path: "partials/a.mustache:1",
                          ["includes itself (partials/a → partials/a)"])
        let deep = "{{=<% %>=}}\n" + String(repeating: "<%#sets%>", count: 500) + String(repeating: "<%/sets%>", count: 500)
        try assertRefused(["report.md.mustache": deep], path: "report.md.mustache",
                          ["line 2: sections are nested more than 100 deep"])
    }

    func testPartialNamesTakenFromTheDataAreRefused() throws {
        try assertRefused(["report.md.mustache": "{{#sets}}{{>*name}}{{/sets}}"], path: "report.md.mustache:1",
                          ["the partial name '*name' is taken from the report's data", "{{> partials/NAME}}"])
    }

    func testNestingIsCountedAcrossPartials() throws {
        // 60 sections in A, around a partial of 60 sections: 121 levels, though each file has only 60.
        let sections = String(repeating: "{{#sets}}", count: 60)
        let closings = String(repeating: "{{/sets}}", count: 60)
        try assertRefused(["partials/a.mustache": sections + "{{> partials/b}}" + closings,
                           "partials/b.mustache": sections + "x" + closings],
                          path: "partials/a.mustache", ["nested more than 100 deep along partials/a"])
        // A chain of 150 distinct partials: refused (without following it to the end).
        var chain: [String: String] = [:]
        for index in 0..<150 { chain["partials/p\(index).mustache"] = "{{> partials/p\(index + 1)}}" }
        try assertRefused(chain, path: ".mustache", ["more than 100 deep"])
        // The same partial used twice, side by side, is not a cycle.
        let (templates, result) = try load(["report.md.mustache": "{{> partials/x}}{{> partials/x}}\n",
                                            "partials/x.mustache": "{{#sets}}x{{/sets}}"])
        defer { try? FileManager.default.removeItem(at: templates) }
        XCTAssertNoThrow(try result.get())
    }
}

/// Custom templates whose work multiplies (sections nested over lists, partials included twice at every level)
/// are refused instead of rendering for minutes; the shipped templates stay far inside both bounds.
final class TemplateWorkLimitTests: XCTestCase {
    private func folder(_ files: [String: String]) throws -> URL {
        let templates = try Fixtures.temporaryDirectory("template-work")
        for (name, text) in files {
            let url = templates.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return templates
    }

    /// 30 nested `{{#sets}}` over the fixture's 2 sets would look up about 2^30 values: the rendering runs out of
    /// its lookups and is refused (65).
    func testSectionsNestedOverListsRunOutOfLookups() throws {
        let depth = 30
        let templates = try folder([
            "report.md.mustache": String(repeating: "{{#sets}}", count: depth) + "x" + String(repeating: "{{/sets}}", count: depth)
        ])
        defer { try? FileManager.default.removeItem(at: templates) }
        let renderer = try ReportRenderer(templates: templates)
        // A smaller budget than the default keeps the test short; the public path spends the default one.
        let view = ReportViewModel(try ReportFixture.result(), escaping: .markdown, language: .en)
        XCTAssertThrowsError(try renderer.render(view, template: "report.md", budget: RenderBudget(lookups: 200_000))) { error in
            guard case AuditError.badInput(let path, let reason) = error else { return XCTFail("unexpected \(error)") }
            // The user's file with its folder (a hostile review: "report.md.mustache" alone).
            XCTAssertTrue(path.hasSuffix(templates.lastPathComponent + "/report.md.mustache"), path)
            XCTAssertTrue(reason.hasPrefix("rendering looks up more than 200000 values"), reason)
            XCTAssertEqual((error as? AuditError)?.exitCode, 65)
        }
        // The public path gives the user's templates their budget (the fixture's rows are few: the least one), whose
        // bound on the text (each level repeats its body for each of the 2 sets) is passed first here.
        XCTAssertThrowsError(try renderer.render(try ReportFixture.result(), format: .md)) { error in
            XCTAssertTrue("\(error)".contains("the report could be larger than 1000 MB"), "\(error)")
        }
    }

    /// A chain of 28 partials, each including the next twice, is 2^28 copies of the last: refused before parsing.
    func testPartialsThatDoubleAtEveryLevelAreRefused() throws {
        var files = ["report.md.mustache": "{{> partials/p0}}"]
        for level in 0..<28 { files["partials/p\(level).mustache"] = "{{> partials/p\(level + 1)}}{{> partials/p\(level + 1)}}" }
        files["partials/p28.mustache"] = "text"
        let templates = try folder(files)
        defer { try? FileManager.default.removeItem(at: templates) }
        XCTAssertThrowsError(try ReportRenderer(templates: templates)) { error in
            guard case AuditError.badInput(_, let reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(reason.hasPrefix("with its partials written out the template is larger than 16 MB"), reason)
        }
    }

    /// 16 sections nested over the 2 models, each with 4,000 characters of text, wrote a 524 MB report with 200,000
    /// lookups (review; 22 would write 32 GB): the text is bounded too, and such a template is refused (65).
    func testSectionsNestedOverListsWithLongTextRunOutOfBytes() throws {
        let depth = 16, text = String(repeating: "x", count: 4_000)
        let templates = try folder([
            "report.md.mustache": String(repeating: "{{#glance.models}}" + text, count: depth)
                + String(repeating: "{{/glance.models}}", count: depth)
        ])
        defer { try? FileManager.default.removeItem(at: templates) }
        let renderer = try ReportRenderer(templates: templates)
        XCTAssertThrowsError(try renderer.render(try ReportFixture.result(), format: .md)) { error in
            guard case AuditError.badInput(let path, let reason) = error else { return XCTFail("unexpected \(error)") }
            // The user's file with its folder (a hostile review: "report.md.mustache" alone).
            XCTAssertTrue(path.hasSuffix(templates.lastPathComponent + "/report.md.mustache"), path)
            XCTAssertTrue(reason.hasPrefix("the report could be larger than 1000 MB"), reason)
            XCTAssertEqual((error as? AuditError)?.exitCode, 65)
        }
    }

    /// Copies of the shipped templates given as the user's: what the byte bound charges is at least the text they
    /// write (4.1–7.8 times it) and far inside the bound (1.4 MB on the default audit's results), on the default
    /// audit's results and on the reporting fixture, in every format and language.
    func testTheShippedTemplatesStayFarInsideTheByteBound() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let renderer = try ReportRenderer(templates: root.appendingPathComponent("Templates"))
        for result in [try DefaultAuditFixture.result(), try ReportFixture.result()] {
            var largest = 0
            for format in [ReportFormat.html, .md] {
                for language in [ReportLanguage.en, .es] {
                    let view = ReportViewModel(result, escaping: format == .html ? .html : .markdown, language: language)
                    let budget = RenderBudget(lookups: .max, sectionBytes: renderer.sectionBytes)
                    let name = try XCTUnwrap(format.templateName(language))
                    let text = try renderer.render(view, template: name, budget: budget)
                    let charged = budget.byteLimit - budget.bytesRemaining
                    XCTAssertGreaterThanOrEqual(charged, text.utf8.count, "\(name): an upper bound")
                    largest = max(largest, charged)
                    print("shipped \(name): \(charged) bytes charged for \(text.utf8.count) written")
                }
            }
            XCTAssertLessThan(largest, RenderBudget.maximumBytes / 100, "\(largest) bytes charged")
        }
    }

    /// The shipped templates make under a tenth of the lookups per row that the user's templates are allowed, on
    /// the default audit's results and on the reporting fixture, in every format and language: a copy of them with
    /// edits stays inside its budget however large the audit.
    func testTheShippedTemplatesStayFarInsideTheBudget() throws {
        let renderer = try ReportRenderer()
        for result in [try DefaultAuditFixture.result(), try ReportFixture.result()] {
            let rows = RenderBudget.rows(of: result)
            var largest = 0
            for format in [ReportFormat.html, .md] {
                for language in [ReportLanguage.en, .es] {
                    let view = ReportViewModel(result, escaping: format == .html ? .html : .markdown, language: language)
                    let budget = RenderBudget(lookups: .max)
                    _ = try renderer.render(view, template: try XCTUnwrap(format.templateName(language)), budget: budget)
                    largest = max(largest, budget.spent)
                }
            }
            XCTAssertGreaterThan(largest, 0, "the budget counts lookups")
            XCTAssertLessThan(largest, RenderBudget.lookupsPerRow * rows / 10, "\(largest) lookups for \(rows) rows")
            print("shipped templates: \(largest) lookups for \(rows) rows")
        }
    }
}
