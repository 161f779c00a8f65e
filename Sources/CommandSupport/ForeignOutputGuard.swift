import AuditAnalysis
import AuditResults
import AuditRun
import Foundation
import PromptSets

/// Refuses an output folder that holds another command's audit, which the command would replace without a
/// word: `run --out` into the output of `analyze` (results.json and completions.jsonl without a run store), and
/// `analyze --out` into a run's folder (its results.json and completions.jsonl beside its run.sqlite). A run's
/// own folder is the one place `run` writes over results: it resumes there, and the run store checks that the
/// folder belongs to the same run (``AuditError/runMismatch(path:reason:)``).
public enum ForeignOutputGuard {
    /// The files of an audit that `run` and `analyze` write into their output folder.
    static let auditFiles = ["results.json", RunDiffInput.completionsFileName]

    /// `run --out DIR`: DIR may be missing, hold no audit, or be a run's folder (with its run store).
    /// - Throws: ``AuditError/runMismatch(path:reason:)`` (exit 65) when DIR holds results.json or
    ///   completions.jsonl without run.sqlite.
    public static func checkRunOutput(_ folder: URL) throws {
        guard !exists(folder.appendingPathComponent(AuditRunner.FileName.store)) else { return }
        for name in auditFiles where exists(folder.appendingPathComponent(name)) {
            throw AuditError.runMismatch(
                path: TextEscaping.line(folder.path),
                reason: "it holds \(name) but no \(AuditRunner.FileName.store): the output of `analyze` or `merge`, or a "
                    + "copy, which this run would replace")
        }
    }

    /// `analyze --out DIR`: DIR must not be a run's folder.
    /// - Parameter option: how the user named the folder (`--out`, `the default output folder`).
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when DIR holds run.sqlite and an audit's files.
    public static func checkAnalysisOutput(_ folder: URL, option: String) throws {
        guard exists(folder.appendingPathComponent(AuditRunner.FileName.store)),
            let name = auditFiles.first(where: { exists(folder.appendingPathComponent($0)) })
        else { return }
        throw AuditError.usage(
            "\(option) \(TextEscaping.line(folder.path)) is the folder of a `biasaudit run` (it holds "
                + "\(AuditRunner.FileName.store)): analyze would replace its \(name); give another folder, e.g. "
                + "\(TextEscaping.line(folder.appendingPathComponent("reanalysis").path))")
    }

    private static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }
}
