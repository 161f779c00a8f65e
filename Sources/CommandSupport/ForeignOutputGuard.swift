import AuditAnalysis
import AuditResults
import AuditRun
import Foundation
import PromptSets

/// Refuses an output folder that holds another command's audit, which the command would replace without a
/// word: `run --out` or `merge --out` into the output of `analyze` or `report` (results.json or completions.jsonl
/// without a run store), `analyze --out` into a run's folder (its run.sqlite, finished or not), and `report --out`
/// into a run's folder with another audit's results. A run's (or merge's) own folder is where `run` and `merge`
/// write over results: they resume or redo it there, and the run store checks that the folder belongs to the same
/// run (``AuditError/runMismatch(path:reason:)``).
public enum ForeignOutputGuard {
    /// The files of an audit that `run`, `merge` and `analyze` write into their output folder.
    static let auditFiles = ["results.json", RunDiffInput.completionsFileName]

    /// `run --out DIR` and `merge --out DIR`: DIR may be missing, hold no audit, or be a run's folder (its store).
    /// - Parameter command: `run` or `merge`, for the message.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65) when DIR holds results.json or completions.jsonl
    ///   without run.sqlite.
    public static func checkRunOutput(_ folder: URL, command: String) throws {
        guard !holdsStore(folder) else { return }
        for name in auditFiles where exists(folder.appendingPathComponent(name)) {
            throw AuditError.badInput(
                path: TextEscaping.line(folder.path),
                reason: "this folder holds \(name) but no \(AuditRunner.FileName.store): another command's output "
                    + "(`analyze`, `report`) or files put there by hand, which this \(command) would replace; give another "
                    + "folder with --out")
        }
    }

    /// `analyze --out DIR`: DIR must not be a run's folder, finished, unfinished or a shard.
    /// - Parameter option: how the user named the folder (`--out`, `the default output folder`).
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when DIR holds run.sqlite.
    public static func checkAnalysisOutput(_ folder: URL, option: String) throws {
        guard holdsStore(folder) else { return }
        // A sibling, not RUN/reanalysis: `analyze RUN` writes there and would replace this analysis (review).
        let sibling = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + "-analysis")
        throw AuditError.usage(
            "\(option) \(TextEscaping.line(folder.path)) is the folder of a `biasaudit run` or `merge` (it holds "
                + "\(AuditRunner.FileName.store)): analyze would write its audit beside that run's; give another folder "
                + "with --out, e.g. --out \(TextEscaping.line(sibling.path))")
    }

    /// `report RESULTS --out DIR`: a run's folder takes only its own results' reports.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when DIR holds run.sqlite and RESULTS is not DIR/results.json.
    public static func checkReportOutput(_ folder: URL, results: URL, option: String) throws {
        guard holdsStore(folder),
            !InputOverwriteGuard.sameFile(results.path, folder.appendingPathComponent("results.json").path)
        else { return }
        throw AuditError.usage(
            "\(option) \(TextEscaping.line(folder.path)) is the folder of a `biasaudit run` or `merge` (it holds "
                + "\(AuditRunner.FileName.store)) whose results are not \(TextEscaping.line(results.path)): its reports "
                + "would no longer match its results; give another folder with --out")
    }

    private static func holdsStore(_ folder: URL) -> Bool { exists(folder.appendingPathComponent(AuditRunner.FileName.store)) }

    private static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

}
