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
    /// - Throws: what ``write(_:formats:to:templates:)`` and ``OutputFiles/write(_:to:)`` throw; a bad
    ///   templates folder is found after `results.json` and `completions.jsonl` are written.
    @discardableResult
    public static func write(
        _ outcome: AuditOutcome, formats: Set<ReportFormat>, templates: URL?, language: ReportLanguage = .en
    ) throws -> [URL] {
        // The results first, so that a broken --templates folder costs only the reports.
        let results = try write(outcome.result, formats: [.json], to: outcome.directory, templates: nil)
        let completionsURL = outcome.directory.appendingPathComponent(RunDiffInput.completionsFileName)
        try OutputFiles.write(try completionLines(outcome.completions), to: completionsURL)
        let reports = formats.subtracting([.json])
        let written = reports.isEmpty
            ? [] : try write(outcome.result, formats: reports, to: outcome.directory, templates: templates, language: language)
        return results + [completionsURL] + written
    }

    /// Refuses, before any work, an output folder in which `results.json`, `completions.jsonl` or a requested
    /// report exists as something other than a regular file (a symbolic link, a folder, a FIFO, a device),
    /// so that `run` does not generate for an hour and then fail to write (``OutputFiles/checkTarget(_:)``).
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) naming the path and what it is.
    public static func checkTargets(in directory: URL, formats: Set<ReportFormat>) throws {
        let names = [ReportFormat.json.fileName, RunDiffInput.completionsFileName]
            + formats.subtracting([.json]).sorted().map(\.fileName)
        for name in names { try OutputFiles.checkTarget(directory.appendingPathComponent(name)) }
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
