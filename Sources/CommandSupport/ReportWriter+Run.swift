import AuditAnalysis
import AuditResults
import AuditRun
import Foundation
import Reporting

extension ReportWriter {
    /// Writes everything a finished run leaves in its output folder, in one place: `results.json` (always),
    /// `completions.jsonl`, and the requested reports.
    /// - Parameters:
    ///   - outcome: what the runner produced, with its output folder.
    ///   - formats: the reports to write; `json` (the results file) is written whether asked for or not.
    ///   - templates: a folder of the user's templates laid over the bundled ones, or `nil`.
    ///   - language: the language of report.html and report.md (English by default).
    /// - Returns: the files written: `results.json`, `completions.jsonl`, then the reports in the order html, md.
    /// - Throws: what ``write(_:formats:to:templates:)`` and ``OutputFiles/write(_:to:)`` throw.
    @discardableResult
    public static func write(
        _ outcome: AuditOutcome, formats: Set<ReportFormat>, templates: URL?, language: ReportLanguage = .en
    ) throws -> [URL] {
        let written = try write(
            outcome.result, formats: formats.union([.json]), to: outcome.directory, templates: templates, language: language)
        let completionsURL = outcome.directory.appendingPathComponent(AuditRunner.FileName.completions)
        try OutputFiles.write(try completionLines(outcome.completions), to: completionsURL)
        let results = written.filter { $0.lastPathComponent == ReportFormat.json.fileName }
        let reports = written.filter { $0.lastPathComponent != ReportFormat.json.fileName }
        return results + [completionsURL] + reports
    }

    /// `completions.jsonl`: one compact JSON object per completion, each line ending in a newline.
    static func completionLines(_ records: [CompletionRecord]) throws -> Data {
        let encoder = AuditJSON.encoder(pretty: false)
        var lines = Data()
        for record in records {
            lines.append(try encoder.encode(record))
            lines.append(0x0A)
        }
        return lines
    }
}
