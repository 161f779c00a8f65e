import AuditAnalysis
import AuditResults
import AuditRun
import Foundation
import InputFiles
import PromptSets
import Reporting

/// Refuses an output folder that holds another command's audit, which the command would replace without a
/// word: `run --out` or `merge --out` into the output of `analyze` or `report` (results.json or completions.jsonl
/// without a run store), `analyze --out` into a run's folder (its run.sqlite, finished or not) or onto a
/// completions.jsonl of the user's own, and `report --out` into a folder with another audit's results. A run's (or
/// merge's) own folder is where `run` and `merge` write over results: they resume or redo it there, and the run store checks that the folder belongs to the same
/// run (``AuditError/runMismatch(path:reason:)``).
public enum ForeignOutputGuard {
    /// The files of an audit that `run`, `merge` and `analyze` write into their output folder.
    static let auditFiles = ["results.json", RunDiffInput.completionsFileName]
    /// The reports of an audit, which `report` writes without results.json (its default `--format html,md`).
    static let reportFiles = [ReportFormat.html, .md].map(\.fileName)

    /// `run --out DIR` and `merge --out DIR`: DIR may be missing, hold no audit, or be a run's folder (its store).
    /// - Parameter command: `run` or `merge`, for the message.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65) when DIR holds results.json or completions.jsonl
    ///   without run.sqlite.
    /// (and when it holds report.html or report.md without run.sqlite: `report`'s default output has no results.json,
    /// and a run replaced both reports with exit 0: review).
    public static func checkRunOutput(_ folder: URL, command: String) throws {
        guard !holdsStore(folder) else { return }
        let held = auditFiles.filter { exists(folder.appendingPathComponent($0)) } + heldReports(folder)
        guard !held.isEmpty else { return }
        throw AuditError.badInput(
            path: TextEscaping.path(folder.path),
            reason: "this folder holds \(list(held)) but no \(AuditRunner.FileName.store): another command's output "
                + "(`analyze`, `report`) or files put there by hand, which this \(command) would replace; give another "
                + "folder with --out, or move \(held.count == 1 ? "that file" : "those files") away (or delete "
                + "\(held.count == 1 ? "it" : "them"))")
    }

    /// `diff --out FILE`, `check --junit FILE`, `lint --junit FILE`: FILE must not be one of an audit's own files (its run
    /// store, results.json, completions.jsonl or reports) in a folder that holds an audit (a run store or results.json).
    /// A practitioner's review: `diff … --out RUN/run.sqlite` replaced the run's store with JSON (the next `run` there
    /// started over), and `--junit` wrote XML over another run's store.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) naming the file and the folder.
    public static func checkFileOutput(_ path: String, option: String) throws {
        let file = URL(fileURLWithPath: path)
        let name = file.lastPathComponent
        let folder = file.deletingLastPathComponent()
        guard ([AuditRunner.FileName.store] + auditFiles + reportFiles).contains(name),
            holdsStore(folder) || exists(folder.appendingPathComponent("results.json"))
        else { return }
        throw AuditError.usage(
            "\(option) \(TextEscaping.path(path)) is a file of the audit in \(TextEscaping.path(folder.path)) "
                + "(its \(TextEscaping.line(name))), which this command must not write; write to another file")
    }

    /// "a", "a and b", "a, b and c".
    private static func list(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }

    /// `analyze --out DIR`: DIR must not be a run's folder, finished, unfinished or a shard, nor hold a
    /// completions.jsonl that is not an audit's (no results.json beside it, or lines without biasaudit's scores: the
    /// user's own file, such as the one the README's notebook loop writes, which analyze's would replace).
    /// - Parameter option: how the user named the folder (`--out`, `the default output folder`).
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when DIR holds run.sqlite, or such a completions.jsonl.
    public static func checkAnalysisOutput(_ folder: URL, option: String) throws {
        let completions = RunDiffInput.completionsFileName
        let file = folder.appendingPathComponent(completions)
        // Without results.json beside it, or with lines that are not biasaudit's scored records (no "scores": review),
        // the file is the user's.
        if !holdsStore(folder), exists(file),
            !exists(folder.appendingPathComponent("results.json")) || !holdsScoredRecords(file)
        {
            throw AuditError.usage(
                "\(option) \(TextEscaping.path(folder.path)) holds a \(completions) that is not the output of "
                    + "`biasaudit analyze` (no results.json beside it, or no scored records): a file of yours, which analyze "
                    + "would replace with its own \(completions); "
                    + "give another folder with --out")
        }
        // Reports without results.json: `report`'s output (or the user's files), describing results nobody can tell,
        // which analyze would replace without a word (review: it did, with exit 0).
        let reports = heldReports(folder)
        if !holdsStore(folder), !reports.isEmpty, !exists(folder.appendingPathComponent("results.json")) {
            throw AuditError.usage(
                "\(option) \(TextEscaping.path(folder.path)) holds \(list(reports)) but no results.json: the output of "
                    + "`biasaudit report` or files of yours, describing other results, which analyze would replace; give "
                    + "another folder with --out, or move \(reports.count == 1 ? "that file" : "those files") away (or "
                    + "delete \(reports.count == 1 ? "it" : "them"))")
        }
        try refuseUnreadableResults(in: folder, option: option, command: "analyze", replaces: true)
        guard holdsStore(folder) else { return }
        // A sibling, not RUN/reanalysis: `analyze RUN` writes there and would replace this analysis (review).
        let sibling = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + "-analysis")
        throw AuditError.usage(
            "\(option) \(TextEscaping.path(folder.path)) is the folder of a `biasaudit run` or `merge` (it holds "
                + "\(AuditRunner.FileName.store)): analyze would write its audit beside that run's; give another folder "
                + "with --out, e.g. --out \(TextEscaping.path(sibling.path))")
    }

    /// `report RESULTS --out DIR`: a folder that holds an audit's results.json (a run's, an analysis's, an earlier
    /// `report --format json`) takes only reports of those results: RESULTS must be that file or a copy of the same
    /// results. Outside a run's folder, a report that writes results.json too (`--format …,json`) replaces the whole
    /// set, unless a completions.jsonl there (an analysis's, or one without results) would then belong to other results.
    /// - Parameters:
    ///   - result: RESULTS as read, compared with the folder's own once read (``ReportWriter/existingResults(_:)``).
    ///   - formats: what this command writes (`--format`); with json, results.json too.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when DIR holds run.sqlite or results.json and RESULTS is neither
    ///   DIR/results.json nor a copy of it, or when results.json would be written beside a completions.jsonl without one.
    ///
    /// Outside a run's folder, reports without results.json beside them (an earlier `report` output) describe results
    /// that cannot be told: a report that would leave one of them beside its own (`report B --format md` into a folder
    /// with report.html and report.md of A: review) is refused too, with exit 64; writing every one of them again
    /// (the same results re-rendered, as before) is not, nor is any report into the folder of RESULTS itself.
    public static func checkReportOutput(
        _ folder: URL, results: URL, result: AuditResult, formats: Set<ReportFormat>, option: String
    ) throws {
        let writesResults = formats.contains(.json)
        let own = folder.appendingPathComponent("results.json")
        let completions = folder.appendingPathComponent(RunDiffInput.completionsFileName)
        // Reports beside the very RESULTS file they render (`report rp/baseline.json`, then `--format md` again: code
        // review) are that file's: re-rendering one of them is fine.
        let resultsHere = results.deletingLastPathComponent().standardizedFileURL.resolvingSymlinksInPath().path
            == folder.standardizedFileURL.resolvingSymlinksInPath().path
        if !holdsStore(folder), !exists(own), !resultsHere {
            let written = Set(formats.map(\.fileName))
            let left = heldReports(folder).filter { !written.contains($0) }
            if !left.isEmpty {
                let these = left.count == 1 ? "it" : "them"
                throw AuditError.usage(
                    "\(option) \(TextEscaping.path(folder.path)) holds \(list(left)) but no results.json: "
                        + "\(left.count == 1 ? "a report" : "reports") of results that cannot be told (an earlier "
                        + "`biasaudit report`, or files of yours), which this command does not write again and would "
                        + "leave beside reports of \(TextEscaping.path(results.path)); give another folder with --out, "
                        + "add \(left.map { $0.replacingOccurrences(of: "report.", with: "") }.joined(separator: ",")) to "
                        + "--format to write \(these) again, or move \(these) away (or delete \(these))")
            }
        }
        // results.json written beside completions that belong to no results (review: they then read as this audit's).
        if writesResults, !holdsStore(folder), !exists(own), exists(completions) {
            throw AuditError.usage(
                "\(option) \(TextEscaping.path(folder.path)) holds a \(RunDiffInput.completionsFileName) without results.json: "
                    + "results.json written beside it would pair these results with completions of another audit; give "
                    + "another folder with --out")
        }
        if !InputOverwriteGuard.sameFile(results.path, own.path) {
            try refuseUnreadableResults(in: folder, option: option, command: "report", replaces: writesResults)
        }
        // A copy of the same results (also one `report --format json` encoded anew, `0.0` as `0`: review) is fine.
        guard holdsStore(folder) || exists(own), !InputOverwriteGuard.sameFile(results.path, own.path),
            ReportWriter.existingResults(own) != result
        else { return }
        if !holdsStore(folder), writesResults, !exists(folder.appendingPathComponent(RunDiffInput.completionsFileName)) {
            return
        }
        let whose = holdsStore(folder)
            ? "is the folder of a `biasaudit run` or `merge` (it holds \(AuditRunner.FileName.store)) whose results are not "
                + "\(TextEscaping.path(results.path))"
            : "holds another audit's results.json (not a copy of \(TextEscaping.path(results.path)))"
        throw AuditError.usage(
            "\(option) \(TextEscaping.path(folder.path)) \(whose): its reports would no longer match its results; give "
                + "another folder with --out")
    }

    /// Refuses a folder outside a run's whose results.json is a regular file biasaudit cannot read as results (a file of
    /// the user's, or results damaged or edited): `command` would replace it and remove the reports beside it as stale
    /// (a hostile review: `analyze --out DIR` over a user's results.json and report.html replaced the one and deleted the
    /// other, with exit 0 and the note that they "described the results this command replaced").
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) naming the folder.
    /// `replaces`: whether `command` writes results.json (else it would write reports beside a results.json they do not
    /// describe; a review: "would replace" of `report --format md`, which writes no results.json).
    private static func refuseUnreadableResults(in folder: URL, option: String, command: String, replaces: Bool) throws {
        let own = folder.appendingPathComponent("results.json")
        guard !holdsStore(folder), OutputFiles.isRegularFile(own), ReportWriter.existingResults(own) == nil else { return }
        let reports = heldReports(folder)
        throw AuditError.usage(
            "\(option) \(TextEscaping.path(folder.path)) holds a results.json that biasaudit cannot read as an audit's "
                + "results (a file of yours, results damaged or edited, or results of a newer biasaudit; `biasaudit report` "
                + "on it says why), "
                + (replaces
                    ? "which \(command) would replace" + (reports.isEmpty ? "" : ", with the \(list(reports)) beside it")
                    : "beside which \(command) would write reports of other results")
                + "; give another folder with --out, or move it away")
    }

    /// Whether the first line of a completions file is one of biasaudit's scored records (with `prompt_id` and
    /// `scores`), or the file is empty; false for a user's lines (no scores) or a file that is not regular.
    private static func holdsScoredRecords(_ file: URL) -> Bool {
        guard OutputFiles.isRegularFile(file), let (descriptor, _) = try? BoundedFile.openChecked(file.path) else { return false }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        guard let line = JSONLines.lines(in: head).first else { return head.isEmpty }
        guard let object = try? JSONSerialization.jsonObject(with: line.bytes) as? [String: Any] else { return false }
        return object["scores"] != nil && object["prompt_id"] != nil
    }

    /// The reports in `folder` that are regular files (a report path that is a folder, a link or a FIFO is refused
    /// as such by ``ReportWriter/checkTargets(in:formats:)`` and ``OutputFiles/checkTarget(_:)``, exit 64).
    private static func heldReports(_ folder: URL) -> [String] {
        reportFiles.filter { OutputFiles.isRegularFile(folder.appendingPathComponent($0)) }
    }

    /// Whether the folder has a run store, or a symbolic link by its name that leads nowhere (a hostile review: such a
    /// link was "no run.sqlite", where opening it says what it is).
    private static func holdsStore(_ folder: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(AuditRunner.FileName.store).path)) != nil
    }

    private static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

}
