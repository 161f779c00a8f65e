import AuditResults
import AuditRun
import Foundation
import Reporting
import PromptSets

/// Writes the reports of an audit into a folder: `report.html`, `report.md` and `results.json`.
public enum ReportWriter {
    /// Renders and writes every requested format.
    /// - Parameters:
    ///   - result: the audit.
    ///   - formats: which files to write.
    ///   - directory: the output folder (created when missing).
    ///   - templates: a folder of the user's templates laid over the bundled ones, or `nil`.
    ///   - language: the language of report.html and report.md (English by default).
    /// - Returns: the files written, in the order html, md, json.
    /// - Throws: ``AuditError/io(path:reason:)`` when the folder or a file cannot be written, and what
    ///   ``ReportRenderer/init(templates:)`` throws for bad templates.
    @discardableResult
    public static func write(
        _ result: AuditResult, formats: Set<ReportFormat>, to directory: URL, templates: URL?, language: ReportLanguage = .en
    ) throws -> [URL] {
        let renderer = try ReportRenderer(templates: templates)
        do {
            // The folders above it that it made go again when it fails (a review: a name too long left them).
            _ = try NewFolders.create(directory)
        } catch {
            throw AuditError.io(path: directory.path, reason: "cannot create the output folder: \(FileWriteFailure.reason(error, creating: directory))")
        }
        // Every file is rendered before any is written, and they are written as one set (`OutputFiles.writeAll`).
        let files = try formats.sorted().map { format in
            OutputFiles.Pending(
                Data(try renderer.render(result, format: format, language: language).utf8),
                // results.json is "the results", as `run` and `merge` say (a review: "cannot write the report").
                to: directory.appendingPathComponent(format.fileName), what: format == .json ? "the results" : "the report")
        }
        // `--format …,json` replaces the folder's results.json: reports of another audit beside it go (review).
        let replacesOtherResults = formats.contains(.json)
            && holdsOtherAudit(directory.appendingPathComponent(ReportFormat.json.fileName), than: result)
        let noteLanguages = languageNote(for: formats, in: directory, language: language)
        try OutputFiles.writeAll(files)
        if replacesOtherResults { removeStaleReports(in: directory, keeping: formats) }
        noteLanguages()
        return files.map(\.url)
    }

    /// Reads the languages of the folder's reports that `formats` will replace, and returns what prints, once they are
    /// written, the note on those of another language than `language` (a review: `report --lang es`, and then
    /// `run --lang es`, in a run's folder replaced its English reports without a word).
    static func languageNote(for formats: Set<ReportFormat>, in directory: URL, language: ReportLanguage) -> () -> Void {
        let reports = formats.filter { $0 != .json }.sorted()
        let before = reports.map { ReportLanguage.ofWrittenReport(at: directory.appendingPathComponent($0.fileName)) }
        return {
            let replaced = zip(reports, before).filter { $0.1 != nil && $0.1 != language }
            guard let earlier = replaced.first?.1 else { return }
            let names = replaced.map(\.0.fileName).joined(separator: " and ")
            StandardStreams.writeError("biasaudit: note: " + TextEscaping.line(
                "replaced the \(earlier.name) \(names) in \(directory.path) with "
                    + (replaced.count == 1 ? "\(language == .en ? "an" : "a") \(language.name) one" : "\(language.name) ones")
                    + "; give --out DIR to keep the reports of both languages") + "\n")
        }
    }
}
