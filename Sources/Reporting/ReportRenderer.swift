import AuditResults
import Foundation
import InputFiles
import Mustache
import PromptSets
import ReportTemplates

/// Renders an ``AuditResult`` as HTML or Markdown with the Mustache templates.
///
/// The bundled templates (Templates/ in the repository) are loaded first; a user's template folder
/// is laid over them, so a file there replaces the bundled file of the same relative path and a
/// folder holding only `report.md.mustache` or one partial is enough. Each language has its own
/// templates: English at the top level, Spanish under `es/` (`es/report.html.mustache`,
/// `es/partials/…`), overridden the same way.
public struct ReportRenderer {
    private let library: MustacheLibrary
    /// Whether the user's templates are laid over the bundled ones (their renderings get a ``RenderBudget``).
    private let customTemplates: Bool
    /// The names of the user's templates (`report.md`, `es/partials/md-set`), empty without `--templates`.
    private let customNames: Set<String>
    /// The partials each template includes by name (`report.html` → `partials/html-style`, …).
    private let includes: [String: [String]]
    /// Each template's file, by name: a rendering's fault names the user's file with its folder (a hostile review: only
    /// "report.md.mustache").
    private let paths: [String: String]
    /// With the user's templates, the most text one rendering of a section's body writes, by section name
    /// (`sectionBodySizes`), which their ``RenderBudget`` charges per item of a list.
    let sectionBytes: [String: Int]

    /// Loads the templates.
    /// - Parameter templates: a folder of the user's own templates, or `nil` for the bundled ones.
    /// - Throws: ``AuditError/io(path:reason:)`` when a folder cannot be read,
    ///   ``AuditError/badInput(path:reason:)`` when a template does not parse (with line and column).
    public init(templates: URL? = nil) throws {
        guard let bundled = ReportTemplates.directory else {
            throw AuditError.io(
                path: "ReportTemplates bundle",
                reason: "the bundled report templates are missing from this build; reinstall biasaudit or pass --templates DIR")
        }
        var sources = try Self.templateFiles(in: bundled)
        var custom: [String: URL] = [:]
        if let templates {
            custom = try Self.templateFiles(in: templates)
            guard !custom.isEmpty else {
                throw AuditError.badInput(
                    path: templates.path,
                    reason: "no *.mustache templates in this folder; copy the Templates folder of biasaudit and edit it")
            }
            sources.merge(custom) { _, user in user }
        }
        var texts: [String: String] = [:]
        for (name, file) in sources.sorted(by: { $0.key < $1.key }) {
            let data = try InputFile.read(file, what: "the template", limit: InputFile.Limit.text)
            // A NUL byte was copied into report.md (a hostile review); a byte that is not UTF-8 is placed, as in every
            // other text input.
            if let fault = TextBytes.firstFault(in: data, nul: true) {
                throw AuditError.badInput(
                    path: file.path,
                    reason: "line \(fault.line), column \(fault.scalarColumn): "
                        + (fault.isNUL ? "a NUL byte, which no report may hold; remove it"
                            : "the template is not UTF-8 text (byte \(fault.hexByte)); save it as UTF-8"))
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw AuditError.badInput(path: file.path, reason: "the template is not UTF-8 text; save it as UTF-8")
            }
            // Before parsing: the parser and the renderer both recurse once per level.
            if let line = Self.lineBeyondNestingLimit(text) {
                throw AuditError.badInput(
                    path: file.path,
                    reason: "line \(line): sections are nested more than \(Self.maximumSectionDepth) deep (README, "
                        + "\"Limits\"); flatten the template")
            }
            if let (line, open, close) = Self.unclosedTag(text) {
                // The delimiters in force (review: a template that had changed them was told about {{ and }}).
                let advice = open == "{{"
                    ? "close it, or write the braces as text with a set-delimiter tag ({{=<% %>=}})" : "close it"
                throw AuditError.badInput(
                    path: file.path,
                    reason: "line \(line): a tag opened with \(TextEscaping.excerpt(open)) is never closed with "
                        + "\(TextEscaping.excerpt(close)); \(advice)")
            }
            texts[name] = text
        }
        // Partials that include themselves, and chains of partials nested too deep, across all the templates.
        try Self.checkPartials(texts, files: sources.mapValues(\.path))
        try Self.checkUnescapedHTML(texts, custom: Set(custom.keys), files: sources.mapValues(\.path))
        var library = MustacheLibrary()
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            let file = sources[name]!
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw AuditError.badInput(path: file.path, reason: Self.parserFault(error, text: text))
            }
        }
        self.library = library
        customTemplates = templates != nil
        customNames = Set(custom.keys)
        paths = sources.mapValues(\.path)
        sectionBytes = customTemplates ? Self.sectionBodySizes(texts) : [:]
        includes = texts.mapValues { text in
            Self.nestingTags(text).compactMap { tag in
                if case .partial(let name, false, _) = tag { return name }
                return nil
            }
        }
    }

    /// The user's templates (`--templates`) that the reports of `formats` in `language` render: the report template
    /// of each format and every partial it includes, through any chain. Empty without `--templates`, and when the
    /// folder holds only templates of the other language (a folder of English files under `--lang es`), which the
    /// commands note instead of ignoring the folder silently (review).
    /// - Parameters:
    ///   - formats: the report formats to be written (JSON uses no template).
    ///   - language: the report language.
    /// - Returns: the names of the user's templates in use (`es/report.md`, `partials/html-style`).
    public func customTemplatesUsed(by formats: Set<ReportFormat>, language: ReportLanguage) -> Set<String> {
        var reached = Set<String>()
        var pending = formats.compactMap { $0.templateName(language) }
        while let name = pending.popLast() {
            guard reached.insert(name).inserted else { continue }
            pending += includes[name] ?? []
        }
        return reached.intersection(customNames)
    }

    /// The note the commands print on standard error when `--templates` holds templates but none of them is used by
    /// the reports of `formats` in `language` (``customTemplatesUsed(by:language:)`` is empty), saying where that
    /// language's templates go; `nil` when one is used, without `--templates`, or when only JSON is written.
    /// - Parameters:
    ///   - folder: the `--templates` folder as the user named it.
    ///   - formats: the report formats to be written.
    ///   - language: the report language.
    public func unusedTemplatesNote(folder: String, formats: Set<ReportFormat>, language: ReportLanguage) -> String? {
        guard !customNames.isEmpty, formats.contains(where: { $0 != .json }),
            customTemplatesUsed(by: formats, language: language).isEmpty
        else { return nil }
        let shown = TextEscaping.line(folder.hasSuffix("/") ? String(folder.dropLast()) : folder)
        let written = formats.filter { $0 != .json }.sorted().map(\.fileName).joined(separator: " and ")
        // Where that language's files go; the stylesheet serves report.html only (review: a stylesheet-only folder
        // under --format md was told its file was "the English reports'").
        let place = switch language {
        case .en:
            "English reports are rendered from \(shown)/report.html.mustache, \(shown)/report.md.mustache and "
                + "\(shown)/partials/; files under \(shown)/es/ are the Spanish reports' (--lang es)"
        case .es:
            "Spanish reports (--lang es) are rendered from \(shown)/es/report.html.mustache, \(shown)/es/report.md.mustache "
                + "and \(shown)/es/partials/; files at the top of the folder are the English reports'"
        }
        return "none of the templates in \(shown) is used by the \(written) written: \(place); the stylesheet "
            + "\(shown)/partials/html-style.mustache serves report.html in both languages (\(shown)/es/partials/html-style.mustache "
            + "replaces it for Spanish), and report.md uses none"
    }

    /// The report of `result` in `format` (JSON is the results file itself).
    /// - Parameters:
    ///   - result: the audit.
    ///   - format: HTML, Markdown or JSON.
    ///   - language: the language of the fixed text and numbers (JSON is the same in every language).
    /// - Throws: ``AuditError/badInput(path:reason:)`` when the template of `format` is missing.
    public func render(_ result: AuditResult, format: ReportFormat, language: ReportLanguage = .en) throws -> String {
        guard let name = format.templateName(language) else { return try Self.resultsJSON(result) }
        let view = ReportViewModel(result, escaping: format == .html ? .html : .markdown, language: language)
        let budget = customTemplates
            ? RenderBudget(lookups: RenderBudget.lookups(for: result), sectionBytes: sectionBytes) : nil
        return try render(view, template: name, budget: budget)
    }

    /// `results.json`: the result as JSON, ending in a newline (no template is involved).
    /// - Throws: what `JSONEncoder` throws.
    public static func resultsJSON(_ result: AuditResult) throws -> String {
        String(decoding: try AuditJSON.encoder().encode(result), as: UTF8.self) + "\n"
    }

    /// `view` through the template `name` (`report.md`, `diff.html`, …), within `budget` when one is given.
    /// - Parameter budget: the lookups the rendering may make (nil: no bound, for the bundled templates).
    /// - Throws: ``AuditError/badInput(path:reason:)`` when the template is missing, or when it needs more lookups
    ///   than the budget (sections nested over lists).
    func render(_ view: Any, template name: String, budget: RenderBudget? = nil) throws -> String {
        let text = budget.map { budget in RenderBudget.$current.withValue(budget) { library.render(view, withTemplate: name) } }
            ?? library.render(view, withTemplate: name)
        let path = paths[name] ?? "\(name).mustache"
        guard let text else {
            throw AuditError.badInput(path: path, reason: "the template is missing; restore it from biasaudit's Templates folder")
        }
        if let budget, budget.outOfBytes {
            throw AuditError.badInput(
                path: path,
                reason: "the report could be larger than \(budget.byteLimit / 1_000_000) MB (sections nested over lists "
                    + "repeat their text once per item; README, \"Limits\"); flatten the templates")
        }
        if let budget, budget.exhausted {
            throw AuditError.badInput(
                path: path,
                reason: "rendering looks up more than \(budget.limit) values in the report's data (sections nested over "
                    + "lists multiply the work; README, \"Limits\"); flatten the templates")
        }
        return text
    }

    /// The most files and folders a template folder may hold: biasaudit's Templates has a few dozen, and `--templates /`
    /// walked the whole file system for 18 s before failing on an unrelated file (a hostile review).
    static let maximumTemplateEntries = 10_000

    /// Every `*.mustache` file below `directory`, keyed by its relative path without the extension
    /// (`report.html`, `partials/html-style`): the names partials are included by. Links are followed, to files and to
    /// folders (a `partials` linked to a shared folder: skipped, its templates gave way to the bundled ones without a
    /// word; a review), and a folder is listed under each of its names, except inside itself: a link to one of its own
    /// ancestors (a loop) is not entered. (Listing each real folder once, a link that sorted first took the name of the
    /// folder it linked to, whose own name was then not read: a second review.)
    /// - Throws: ``AuditResults/AuditError/io(path:reason:)`` for a folder that does not exist or cannot be listed
    ///   (permissions: FileManager's enumerator skipped such a folder without a word, and the bundled partials stood in
    ///   for the user's; a hostile review), ``AuditResults/AuditError/badInput(path:reason:)`` for a file given as the
    ///   folder, or one holding more than ``maximumTemplateEntries`` entries.
    static func templateFiles(in directory: URL) throws -> [String: URL] {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw AuditError.io(path: directory.path, reason: "no such template folder; pass --templates an existing directory")
        }
        guard isDirectory.boolValue else {
            // A file is not missing (review: "no such template folder" for /etc/hostname).
            throw AuditError.badInput(
                path: directory.path, reason: "not a folder; pass --templates a folder of templates (a copy of biasaudit's Templates)")
        }
        var files: [String: URL] = [:]
        // Folders to list, relative to root, each with the real paths of itself and its ancestors.
        var pending: [(folder: String, ancestors: Set<String>)] = [("", [root.path])]
        var entries = 0
        while let (folder, ancestors) = pending.popLast() {
            let url = folder.isEmpty ? root : root.appendingPathComponent(folder)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            } catch {
                throw AuditError.io(
                    path: url.path, reason: "cannot list this template folder (permission denied?); make it readable "
                        + "(chmod -R u+rX), or pass --templates a folder you can read")
            }
            for name in names.sorted() {
                entries += 1
                guard entries <= Self.maximumTemplateEntries else {
                    throw AuditError.badInput(
                        path: directory.path, reason: "holds more than \(Self.maximumTemplateEntries) files and folders; "
                            + "pass --templates a copy of biasaudit's Templates folder (a few dozen files)")
                }
                let relative = folder.isEmpty ? name : folder + "/" + name
                let entry = root.appendingPathComponent(relative)
                var isFolder: ObjCBool = false  // stat: through links
                if FileManager.default.fileExists(atPath: entry.path, isDirectory: &isFolder), isFolder.boolValue {
                    let real = entry.resolvingSymlinksInPath().path
                    if !ancestors.contains(real) { pending.append((relative, ancestors.union([real]))) }
                } else if name.hasSuffix(".mustache") {
                    // A link must lead to a template too: a folder from a pull request whose partial linked to
                    // /etc/passwd copied it into the report (a hostile review), as it could a key or a token.
                    let target = entry.resolvingSymlinksInPath()
                    guard target.lastPathComponent.hasSuffix(".mustache") else {
                        throw AuditError.badInput(
                            path: entry.path, reason: "is a link to '\(TextEscaping.path(target.path))', which is no template "
                                + "(a .mustache file); a template folder's links must lead to templates, so that no other "
                                + "file (a key, a token) is copied into a report: copy the template into the folder, or "
                                + "link it to a .mustache file")
                    }
                    files[String(relative.dropLast(".mustache".count))] = entry
                }
            }
        }
        return files
    }
}
