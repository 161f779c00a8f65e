import AuditResults
import Foundation
import Reporting

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
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AuditError.io(path: directory.path, reason: "cannot create the output folder: \(FileWriteFailure.reason(error, creating: directory))")
        }
        // Every file is rendered before any is written, and they are written as one set (`OutputFiles.writeAll`).
        let files = try formats.sorted().map { format in
            OutputFiles.Pending(
                Data(try renderer.render(result, format: format, language: language).utf8),
                to: directory.appendingPathComponent(format.fileName), what: "the report")
        }
        // `--format …,json` replaces the folder's results.json: reports of another audit beside it go (review).
        let replacesOtherResults = formats.contains(.json)
            && holdsOtherAudit(directory.appendingPathComponent(ReportFormat.json.fileName), than: result)
        try OutputFiles.writeAll(files)
        if replacesOtherResults { removeStaleReports(in: directory, keeping: formats) }
        return files.map(\.url)
    }
}
