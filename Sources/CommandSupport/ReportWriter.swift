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
        var written: [URL] = []
        for format in formats.sorted() {
            let url = directory.appendingPathComponent(format.fileName)
            let text = try renderer.render(result, format: format, language: language)
            try OutputFiles.write(Data(text.utf8), to: url, what: "the report")
            written.append(url)
        }
        return written
    }
}
