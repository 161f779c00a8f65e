import AuditResults
import Foundation
import Reporting

extension CIOutput {
    /// Appends Markdown to the GitHub step summary; does nothing outside GitHub Actions or without
    /// `GITHUB_STEP_SUMMARY`.
    /// - Returns: whether a summary was written.
    /// - Throws: `AuditError.io` when the summary file cannot be written.
    @discardableResult
    public func appendStepSummary(_ markdown: String) throws -> Bool {
        guard isGitHubActions, let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return false }
        let data = Data((markdown.hasSuffix("\n") ? markdown : markdown + "\n").utf8)
        do {
            if !FileManager.default.fileExists(atPath: path) {
                try Data().write(to: URL(fileURLWithPath: path))
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw AuditError.io(path: path, reason: "cannot append to the GitHub step summary (GITHUB_STEP_SUMMARY): "
                + error.localizedDescription)
        }
        return true
    }
}
