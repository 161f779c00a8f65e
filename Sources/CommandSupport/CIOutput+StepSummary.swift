import AuditResults
import Foundation
import Reporting

extension CIOutput {
    /// Appends Markdown to the GitHub step summary; does nothing outside GitHub Actions or without
    /// `GITHUB_STEP_SUMMARY`.
    /// - Returns: whether a summary was written.
    /// - Throws: `AuditError.usage` (64) when `GITHUB_STEP_SUMMARY` names a symbolic link, FIFO, device or
    ///   folder; `AuditError.io` (74) when the summary file cannot be written.
    @discardableResult
    public func appendStepSummary(_ markdown: String) throws -> Bool {
        guard isGitHubActions, let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return false }
        let data = Data((markdown.hasSuffix("\n") ? markdown : markdown + "\n").utf8)
        try OutputFiles.append(data, to: URL(fileURLWithPath: path), what: "the GitHub step summary (GITHUB_STEP_SUMMARY)")
        return true
    }
}
