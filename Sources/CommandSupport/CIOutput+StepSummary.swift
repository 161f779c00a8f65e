import AuditResults
import Foundation
import Reporting

extension CIOutput {
    /// Appends Markdown to the GitHub step summary; does nothing outside GitHub Actions or without
    /// `GITHUB_STEP_SUMMARY`.
    /// - Returns: whether a summary was written.
    /// - Throws: `AuditError.usage` (64) when `GITHUB_STEP_SUMMARY` names a symbolic link, FIFO, device or
    ///   folder; `AuditError.io` (74) when the summary file cannot be written.
    ///
    /// What earlier steps' commands wrote stays apart: a file that does not end with a line break gets one first (a
    /// heading glued to an `echo -n` did not render). The summary is cut at a line so that the file stays within
    /// ``stepSummaryLimit`` (GitHub drops a larger step summary whole: a policy of 1,000 rules wrote 2.2 MB), with a
    /// line saying how many lines were left out; the verdict comes first, so it is always kept.
    /// - Parameter inputs: the command's input files, which the summary must not be appended to (exit 64, as `--junit`).
    @discardableResult
    public func appendStepSummary(_ markdown: String, inputs: [String] = []) throws -> Bool {
        guard isGitHubActions, let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return false }
        try InputOverwriteGuard.check(output: path, option: "GITHUB_STEP_SUMMARY", inputs: inputs)
        let url = URL(fileURLWithPath: path)
        let tail = OutputFiles.regularFileEnd(url)
        var text = markdown.hasSuffix("\n") ? markdown : markdown + "\n"
        if let tail, tail.size > 0, !tail.endsWithLineBreak { text = "\n" + text }
        // Room for the whole summary, or for at least its heading and the closing line (1 KiB), or nothing is appended:
        // more would make GitHub drop the whole file, earlier steps' summaries with it (a code review).
        let room = Self.stepSummaryLimit - (tail?.size ?? 0)
        guard room >= min(1024, text.utf8.count) else {
            StandardStreams.writeError("biasaudit: note: the GitHub step summary (GITHUB_STEP_SUMMARY) holds "
                + "\(tail?.size ?? 0) bytes, near the 1 MiB GitHub keeps; nothing was appended to it\n")
            return false
        }
        try OutputFiles.append(
            Data(Self.fitting(text, in: room).utf8), to: url, what: "the GitHub step summary (GITHUB_STEP_SUMMARY)")
        return true
    }

    /// The size GitHub takes a step summary file up to, in bytes (1 MiB; "supports content up to a size of 1024k").
    public static let stepSummaryLimit = 1 << 20

    /// `markdown` (lines ending in a line break) whole when it takes at most `bytes` bytes of UTF-8, else its first
    /// lines and one more that says how many were left out.
    static func fitting(_ markdown: String, in bytes: Int) -> String {
        guard markdown.utf8.count > bytes else { return markdown }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        var kept = "", size = 0, count = 0
        let closingRoom = 300
        for line in lines {
            let length = line.utf8.count + 1
            guard size + length <= bytes - closingRoom else { break }
            kept += line + "\n"
            size += length
            count += 1
        }
        return kept + "\n*\(lines.count - count) more lines of this summary are left out: GitHub drops a step summary over "
            + "1 MiB; the log on standard error (and the JUnit file, with --junit) lists every check.*\n"
    }
}
