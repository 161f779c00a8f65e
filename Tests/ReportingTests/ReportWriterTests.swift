import AuditResults
import CommandSupport
import Foundation
@testable import Reporting
import TestSupport
import XCTest

/// Writing reports, user templates laid over the bundled ones, and template errors.
final class ReportWriterTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("biasaudit-reporting")
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    func testWritesEveryFormatInOrder() throws {
        let result = try ReportFixture.result()
        let out = directory.appendingPathComponent("nested/out")
        let written = try ReportWriter.write(result, formats: [.json, .md, .html], to: out, templates: nil)
        XCTAssertEqual(written.map(\.lastPathComponent), ["report.html", "report.md", "results.json"])
        XCTAssertEqual(try AuditJSON.loadResult(at: out.appendingPathComponent("results.json")), result)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
    }

    func testUserTemplateReplacesOnlyItsOwnFile() throws {
        let templates = directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "Custom: {{{title}}} ({{#sets}}{{{name}}};{{/sets}})\n".write(
            to: templates.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        let renderer = try ReportRenderer(templates: templates)
        let result = try ReportFixture.result()
        XCTAssertEqual(try renderer.render(result, format: .md), "Custom: Bias audit: distilgpt2 vs gpt2 (religion;occupations-gender;)\n")
        XCTAssertTrue(try renderer.render(result, format: .html).hasPrefix("<!DOCTYPE html>"), "HTML must fall back to the bundled template")
    }

    func testUserPartialOverridesTheBundledPartial() throws {
        let partials = directory.appendingPathComponent("templates/partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        try "## Our own methods\n".write(to: partials.appendingPathComponent("md-methods.mustache"), atomically: true, encoding: .utf8)
        let markdown = try ReportRenderer(templates: directory.appendingPathComponent("templates")).render(try ReportFixture.result(), format: .md)
        XCTAssertTrue(markdown.hasSuffix("## Our own methods\n"))
        XCTAssertFalse(markdown.contains("two-stage cluster bootstrap"), "the bundled methods partial must be replaced")
    }

    /// Spanish templates live under `es/` and are overridden the same way; English stays bundled.
    func testUserSpanishTemplateReplacesOnlyTheSpanishReport() throws {
        let spanish = directory.appendingPathComponent("templates/es")
        try FileManager.default.createDirectory(at: spanish, withIntermediateDirectories: true)
        try "Propia: {{{title}}}\n".write(to: spanish.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        let renderer = try ReportRenderer(templates: directory.appendingPathComponent("templates"))
        let result = try ReportFixture.result()
        XCTAssertEqual(try renderer.render(result, format: .md, language: .es), "Propia: Auditoría de sesgo: distilgpt2 frente a gpt2\n")
        XCTAssertTrue(try renderer.render(result, format: .md).hasPrefix("# Bias audit: distilgpt2 vs gpt2\n"))
        XCTAssertTrue(try renderer.render(result, format: .html, language: .es).contains("<html lang=\"es\">"))
        let written = try ReportWriter.write(result, formats: [.md], to: directory.appendingPathComponent("out"), templates: nil, language: .es)
        XCTAssertTrue(try String(contentsOf: written[0], encoding: .utf8).hasPrefix("# Auditoría de sesgo"))
    }

    /// The stylesheet is shared: a top-level `partials/html-style` styles both languages, an `es/` one the Spanish page
    /// alone (review: it was ignored); a folder none of whose templates a report uses gets a note naming where that
    /// language's templates go.
    func testStylesheetIsSharedAndAnUnusedFolderIsNoted() throws {
        let result = try ReportFixture.result()
        let shared = directory.appendingPathComponent("shared/partials")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try "/* SHARED-STYLE */\n".write(to: shared.appendingPathComponent("html-style.mustache"), atomically: true, encoding: .utf8)
        let sharedRenderer = try ReportRenderer(templates: directory.appendingPathComponent("shared"))
        for language in ReportLanguage.allCases {
            XCTAssertTrue(try sharedRenderer.render(result, format: .html, language: language).contains("/* SHARED-STYLE */"), "\(language)")
            XCTAssertEqual(sharedRenderer.customTemplatesUsed(by: [.html, .md], language: language), ["partials/html-style"])
            XCTAssertNil(sharedRenderer.unusedTemplatesNote(folder: "shared", formats: [.html], language: language))
        }
        // Markdown alone uses no stylesheet: the folder is unused there.
        XCTAssertEqual(sharedRenderer.customTemplatesUsed(by: [.md, .json], language: .en), [])
        XCTAssertNotNil(sharedRenderer.unusedTemplatesNote(folder: "shared", formats: [.md], language: .en))
        XCTAssertNil(sharedRenderer.unusedTemplatesNote(folder: "shared", formats: [.json], language: .en), "JSON uses no template")

        let spanish = directory.appendingPathComponent("spanish/es/partials")
        try FileManager.default.createDirectory(at: spanish, withIntermediateDirectories: true)
        try "/* ES-STYLE */\n".write(to: spanish.appendingPathComponent("html-style.mustache"), atomically: true, encoding: .utf8)
        let spanishRenderer = try ReportRenderer(templates: directory.appendingPathComponent("spanish"))
        XCTAssertTrue(try spanishRenderer.render(result, format: .html, language: .es).contains("/* ES-STYLE */"))
        let english = try spanishRenderer.render(result, format: .html, language: .en)
        XCTAssertFalse(english.contains("/* ES-STYLE */"))
        XCTAssertEqual(english, try ReportRenderer().render(result, format: .html, language: .en))
        let note = try XCTUnwrap(spanishRenderer.unusedTemplatesNote(folder: "spanish/", formats: [.html, .md], language: .en))
        XCTAssertTrue(note.hasPrefix("none of the templates in spanish is used by the report.html and report.md written: "
            + "English reports are rendered from spanish/report.html.mustache"), note)
        XCTAssertTrue(note.contains("spanish/es/ are the Spanish reports'"), note)

        let mdOnly = directory.appendingPathComponent("md-only/partials")
        try FileManager.default.createDirectory(at: mdOnly, withIntermediateDirectories: true)
        try "## Ours\n".write(to: mdOnly.appendingPathComponent("md-methods.mustache"), atomically: true, encoding: .utf8)
        let spanishNote = try XCTUnwrap(try ReportRenderer(templates: directory.appendingPathComponent("md-only"))
            .unusedTemplatesNote(folder: "md-only", formats: [.html, .md], language: .es))
        XCTAssertTrue(spanishNote.contains("Spanish reports (--lang es) are rendered from md-only/es/report.html.mustache"), spanishNote)
        // A stylesheet alone under Markdown: the note says report.md uses none (review: it blamed the language).
        let styleOnly = try XCTUnwrap(sharedRenderer.unusedTemplatesNote(folder: "shared", formats: [.md], language: .es))
        XCTAssertTrue(styleOnly.hasPrefix("none of the templates in shared is used by the report.md written"), styleOnly)
        XCTAssertTrue(styleOnly.hasSuffix("and report.md uses none"), styleOnly)
    }

    func testBrokenTemplateNamesFileAndLine() throws {
        let templates = directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        let file = templates.appendingPathComponent("report.md.mustache")
        try "# {{{title}}}\n\n{{#sets}}\n{{{name}}}\n{{/models}}\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReportRenderer(templates: templates)) { error in
            guard case AuditError.badInput(let path, let reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(path.hasSuffix("report.md.mustache"), path)
            XCTAssertTrue(reason.hasPrefix("line 5,"), reason)
            XCTAssertEqual((error as? AuditError)?.exitCode, 65)
        }
    }

    func testMissingOrEmptyTemplateFolderIsAnError() throws {
        XCTAssertThrowsError(try ReportRenderer(templates: directory.appendingPathComponent("absent"))) { error in
            guard case AuditError.io(let path, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(path.hasSuffix("absent"))
        }
        XCTAssertThrowsError(try ReportRenderer(templates: directory)) { error in
            guard case AuditError.badInput(_, let reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(reason.contains("no *.mustache"), reason)
        }
        // A file is named as what it is, exit 65 (review: "no such template folder", 74).
        let file = directory.appendingPathComponent("hostname")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReportRenderer(templates: file)) { error in
            guard let error = error as? AuditError, case .badInput(_, let reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(error.exitCode, 65)
            XCTAssertTrue(reason.hasPrefix("not a folder; pass --templates a folder"), reason)
        }
    }

    /// A hostile review: FileManager's enumerator skipped a folder it could not list without a word (the bundled partials
    /// stood in for the user's), and `--templates /` walked the whole file system. A link loop ends, a linked folder is
    /// read once, a folder of more than ``ReportRenderer/maximumTemplateEntries`` entries is refused, and a folder
    /// that cannot be listed is an I/O error naming it (checked where permissions bind: not as root).
    func testTemplateFoldersAreWalkedWithinBoundsAndUnreadableOnesAreNamed() throws {
        let folder = directory.appendingPathComponent("walk")
        let partials = folder.appendingPathComponent("partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        try "x".write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        try "y".write(to: partials.appendingPathComponent("md-methods.mustache"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: partials.appendingPathComponent("loop"), withDestinationURL: folder)
        XCTAssertEqual(Set(try ReportRenderer.templateFiles(in: folder).keys), ["report.md", "partials/md-methods"])
        // A folder linked from elsewhere is read (a review: a `partials` linked to a shared folder was skipped, and the
        // bundled partials stood in without a word).
        let shared = directory.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try "z".write(to: shared.appendingPathComponent("html-set.mustache"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("es"), withDestinationURL: shared)
        XCTAssertEqual(Set(try ReportRenderer.templateFiles(in: folder).keys), ["report.md", "partials/md-methods", "es/html-set"])
        // A link that sorts before the folder it names leaves that folder read under its own name too (a second review:
        // `aaa -> partials` took partials' place, and the bundled partials stood in).
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("aaa").path, withDestinationPath: "partials")
        XCTAssertEqual(Set(try ReportRenderer.templateFiles(in: folder).keys),
                       ["report.md", "partials/md-methods", "es/html-set", "aaa/md-methods"])
        // A template linked to a template elsewhere is read; one linked to another file is refused, naming it (a
        // hostile review: a partial linked to /etc/passwd copied it into the report).
        try FileManager.default.createSymbolicLink(at: partials.appendingPathComponent("md-shared.mustache"),
                                                   withDestinationURL: shared.appendingPathComponent("html-set.mustache"))
        XCTAssertTrue(try ReportRenderer.templateFiles(in: folder).keys.contains("partials/md-shared"))
        let secret = directory.appendingPathComponent("token.txt")
        try "s3cret".write(to: secret, atomically: true, encoding: .utf8)
        let leak = partials.appendingPathComponent("md-leak.mustache")
        try FileManager.default.createSymbolicLink(at: leak, withDestinationURL: secret)
        XCTAssertThrowsError(try ReportRenderer.templateFiles(in: folder)) { error in
            guard let error = error as? AuditError, case .badInput(let path, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(error.exitCode, 65)
            XCTAssertTrue(path.hasSuffix("walk/partials/md-leak.mustache"), path)
            XCTAssertTrue(reason.hasPrefix("is a link to '\(secret.resolvingSymlinksInPath().path)', which is no template"), reason)
            XCTAssertFalse(reason.contains("s3cret"), reason)
        }
        try FileManager.default.removeItem(at: leak)
        if geteuid() != 0 {
            try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: partials.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: partials.path) }
            XCTAssertThrowsError(try ReportRenderer.templateFiles(in: folder)) { error in
                guard let error = error as? AuditError, case .io(let path, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(error.exitCode, 74)
                XCTAssertTrue(path.hasSuffix("walk/partials"), path)
                XCTAssertTrue(reason.hasPrefix("cannot list this template folder"), reason)
            }
        }
        let crowded = directory.appendingPathComponent("crowded")
        try FileManager.default.createDirectory(at: crowded, withIntermediateDirectories: true)
        for index in 0...ReportRenderer.maximumTemplateEntries {
            _ = FileManager.default.createFile(atPath: crowded.appendingPathComponent("\(index)").path, contents: nil)
        }
        XCTAssertThrowsError(try ReportRenderer.templateFiles(in: crowded)) { error in
            guard let error = error as? AuditError, case .badInput(_, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("holds more than 10000 files and folders"), reason)
        }
        try FileManager.default.removeItem(at: crowded.appendingPathComponent("0"))
        XCTAssertEqual(try ReportRenderer.templateFiles(in: crowded), [:], "10,000 entries are still read")
    }

    /// A hostile review: a NUL byte in a template was copied into report.md. Refused at its line and column, as a byte
    /// that is not UTF-8 is.
    func testATemplateWithANULOrAByteThatIsNotUTF8IsRefusedAtItsPlace() throws {
        for (bytes, expected) in [([UInt8]("A\n{{x}}".utf8) + [0] + [UInt8]("B\n".utf8), "line 2, column 6: a NUL byte"),
                                  ([UInt8]("caf".utf8) + [0xE9] + [UInt8]("\n".utf8), "line 1, column 4: the template is not UTF-8 text (byte 0xE9)")] {
            let folder = directory.appendingPathComponent("nul-\(expected.prefix(6))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: folder.appendingPathComponent("report.md.mustache"))
            XCTAssertThrowsError(try ReportRenderer(templates: folder)) { error in
                guard let error = error as? AuditError, case .badInput(let path, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(path.hasSuffix("report.md.mustache"), path)
                XCTAssertTrue(reason.hasPrefix(expected), reason)
            }
        }
    }

    func testFormatList() throws {
        XCTAssertEqual(try ReportFormat.parse("html, MD,json"), [.html, .md, .json])
        XCTAssertEqual(try ReportFormat.parse("markdown"), [.md])
        XCTAssertThrowsError(try ReportFormat.parse("html,pdf")) { error in
            XCTAssertEqual(error as? AuditError, .usage("unknown report format 'pdf' in --format html,pdf; use html, md or json, comma-separated"))
        }
        XCTAssertThrowsError(try ReportFormat.parse(" , "))
    }
}
