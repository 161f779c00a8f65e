import AuditAnalysis
import AuditResults
import AuditRun
import Foundation
import PromptSets
import Reporting

extension ReportWriter {
    /// Writes everything a finished run leaves in its output folder, in one place: `results.json` (always),
    /// `completions.jsonl`, and the requested reports.
    /// - Parameters:
    ///   - outcome: what the runner produced, with its output folder.
    ///   - formats: the reports to write; `json` (the results file) is written whether asked for or not.
    ///   - templates: a folder of the user's templates laid over the bundled ones, or `nil`.
    ///   - language: the language of report.html and report.md (English by default).
    ///   - resumable: whether the outcome's run store (``AuditOutcome/storeURL``) lets the same command write the files
    ///     without generating again (`run`): a failed write then says so and does not advise another folder. `merge`
    ///     generates nothing and may write elsewhere.
    /// - Returns: the files written: `results.json`, `completions.jsonl`, then the reports in the order html, md.
    /// - Throws: what ``ReportRenderer`` and ``OutputFiles/writeAll(_:completionsKeptIn:)`` throw. The files are written as one set:
    ///   a failed write leaves the folder's earlier files as they were. A report that cannot be rendered (a bad
    ///   templates folder) costs only the reports: `results.json` and `completions.jsonl` are written, then its
    ///   error is thrown.
    @discardableResult
    public static func write(
        _ outcome: AuditOutcome, formats: Set<ReportFormat>, templates: URL?, language: ReportLanguage = .en,
        resumable: Bool = false
    ) throws -> [URL] {
        let directory = outcome.directory
        let store = resumable ? outcome.storeURL : nil
        let completions = CompletionRecord.jsonLines(outcome.completions)
        // The results name the completions written beside them, for `analyze RUN_DIR`, `diff` and `check` to verify.
        var result = outcome.result
        result.manifest.completionsSHA256 = FileDigests.sha256(of: completions)
        var files = [
            OutputFiles.Pending(
                Data(try ReportRenderer.resultsJSON(result).utf8),
                to: directory.appendingPathComponent(ReportFormat.json.fileName), what: "the results"),
            OutputFiles.Pending(
                completions, to: directory.appendingPathComponent(RunDiffInput.completionsFileName), what: "the completions file"),
        ]
        var renderingError: Error?
        do {
            let renderer = try ReportRenderer(templates: templates)
            for format in formats.subtracting([.json]).sorted() {
                files.append(
                    OutputFiles.Pending(
                        Data(try renderer.render(result, format: format, language: language).utf8),
                        to: directory.appendingPathComponent(format.fileName), what: "the report"))
            }
        } catch {
            renderingError = error
            files.removeSubrange(2...)
        }
        do {
            // The folders above it that it made go again when it fails (a review: a name too long left them).
            _ = try NewFolders.create(directory)
        } catch {
            throw AuditError.io(
                path: directory.path,
                reason: "cannot create the output folder: "
                    + FileWriteFailure.reason(error, creating: directory, completionsKeptIn: store))
        }
        let replacesOtherResults = holdsOtherAudit(files[0].url, than: result)
        let noteLanguages = languageNote(for: renderingError == nil ? formats : [], in: directory, language: language)
        try OutputFiles.writeAll(files, completionsKeptIn: store)
        // The reports written are kept; one that failed to render is stale too (review).
        if replacesOtherResults { removeStaleReports(in: directory, keeping: renderingError == nil ? formats : []) }
        noteLanguages()
        if let renderingError { throw renderingError }
        return files.map(\.url)
    }

    /// Whether `url` is a regular file holding results of another audit than `result` (``AuditResult/describesSameAudit(as:)``:
    /// a run resumed or re-run in its folder differs only in timing and command line, and keeps its reports: review),
    /// or results that cannot be read. False when there is none, or it is not a regular file (`OutputFiles.writeAll`
    /// refuses such a target, and reading a FIFO would block).
    static func holdsOtherAudit(_ url: URL, than result: AuditResult) -> Bool {
        guard OutputFiles.isRegularFile(url) else { return false }
        return existingResults(url).map { !$0.describesSameAudit(as: result) } ?? true
    }

    /// The results a regular file at `url` holds, or nil (none, not a regular file, or not a readable results file).
    static func existingResults(_ url: URL) -> AuditResult? {
        OutputFiles.isRegularFile(url) ? try? AuditJSON.loadResult(at: url) : nil
    }

    /// Removes the reports this command did not write again after it replaced the folder's results.json with another
    /// audit's (`analyze --out DIR --format html` over an earlier analysis left DIR/report.md describing the earlier
    /// audit beside the new results.json: review). Only regular files are removed, and each removal is said on
    /// standard error. Reports beside results of the same audit (``holdsOtherAudit(_:than:)``) are kept.
    static func removeStaleReports(in directory: URL, keeping formats: Set<ReportFormat>) {
        for format in [ReportFormat.html, .md] where !formats.contains(format) {
            let url = directory.appendingPathComponent(format.fileName)
            guard OutputFiles.isRegularFile(url), unlink(url.path) == 0 else { continue }
            StandardStreams.writeError(
                "biasaudit: note: removed \(TextEscaping.path(url.path)): it described the results this command replaced\n")
        }
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

}
