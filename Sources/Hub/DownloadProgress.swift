import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Receives download progress. Calls for one file arrive in order: started, advanced…, finished.
/// `totalBytes` is nil while the size is unknown (a proxy that compresses answers hides it).
public protocol DownloadProgress: Sendable {
    /// A download begins (or resumes: `resumedFrom` bytes were already on disk).
    func downloadStarted(file: String, totalBytes: Int64?, resumedFrom: Int64)
    /// A download begins, saying what becomes of its partial file if the process stops before it ends: `resumable`
    /// (an LFS file, whose SHA-256 etag proves the result) is continued from the bytes on disk by the next download,
    /// any other file is started over (its partial file discarded then). Either way a partial file is never used as
    /// the file. The default calls ``downloadStarted(file:totalBytes:resumedFrom:)``.
    func downloadStarted(file: String, totalBytes: Int64?, resumedFrom: Int64, resumable: Bool)
    /// `completedBytes` of `totalBytes` are on disk.
    func downloadAdvanced(file: String, completedBytes: Int64, totalBytes: Int64?)
    /// The file is complete and verified; `totalBytes` is its size on disk.
    func downloadFinished(file: String, totalBytes: Int64)
    /// ``ModelLocator/resolve(_:)`` begins (`true`) or ends (`false`, whatever its outcome) asking the Hub about a model
    /// and fetching its files: the requests between downloads (a file's `HEAD`, retries' waits) are part of it. The
    /// default does nothing.
    func modelFetching(_ fetching: Bool)
}

extension DownloadProgress {
    public func modelFetching(_ fetching: Bool) {}

    public func downloadStarted(file: String, totalBytes: Int64?, resumedFrom: Int64, resumable: Bool) {
        downloadStarted(file: file, totalBytes: totalBytes, resumedFrom: resumedFrom)
    }
}

/// The default progress reporter, writing to standard error.
///
/// - `interactive` (a terminal): one line per file, redrawn in place at most ten times a second, showing
///   bytes done / total, rate and time left;
/// - `plain` (a pipe or a log): one line when a file starts and one when it ends;
/// - `quiet` (`--quiet`): nothing.
public final class TerminalProgress: DownloadProgress, @unchecked Sendable {
    /// How progress is drawn.
    public enum Mode: Sendable, Equatable {
        /// Redraw one line per file with `\r` (for a TTY).
        case interactive
        /// Start and end lines only.
        case plain
        /// No output.
        case quiet
    }

    /// The mode in use.
    public let mode: Mode
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> TimeInterval
    private let lock = NSLock()
    private var startTime: TimeInterval = 0
    private var startBytes: Int64 = 0
    private var lastDraw: TimeInterval = -.infinity

    /// Creates a reporter.
    /// - Parameters:
    ///   - mode: how to draw.
    ///   - write: where text goes (default: standard error).
    ///   - now: the clock in seconds (injectable for tests).
    public init(
        mode: Mode,
        write: @escaping @Sendable (String) -> Void = TerminalProgress.standardError,
        now: @escaping @Sendable () -> TimeInterval = { ProcessInfo.processInfo.systemUptime }
    ) {
        self.mode = mode
        self.write = write
        self.now = now
    }

    /// `quiet` when asked, else `interactive` when standard error is a terminal, else `plain`.
    public static func forStandardError(quiet: Bool) -> TerminalProgress {
        TerminalProgress(mode: quiet ? .quiet : (supportsEscapes ? .interactive : .plain))
    }

    /// Whether standard error is a terminal that takes escape sequences (not `TERM=dumb`, no `NO_COLOR`).
    private static var supportsEscapes: Bool {
        let environment = ProcessInfo.processInfo.environment
        let term = environment["TERM"] ?? ""
        return isatty(STDERR_FILENO) == 1 && !term.isEmpty && term != "dumb" && environment["NO_COLOR"] == nil
    }

    /// Writes text to standard error.
    public static let standardError: @Sendable (String) -> Void = { text in
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))  // progress that cannot be shown is no failure
    }

    /// Plain: writes the start line. Interactive: draws the first status line.
    public func downloadStarted(file: String, totalBytes: Int64?, resumedFrom: Int64) {
        lock.lock()
        startTime = now()
        startBytes = resumedFrom
        lastDraw = -.infinity
        lock.unlock()
        switch mode {
        case .quiet: return
        case .plain:
            let resumed = resumedFrom > 0 ? ", resuming at \(Self.formatBytes(resumedFrom))" : ""
            let size = totalBytes.map(Self.formatBytes) ?? "size unknown"
            write("Downloading \(file) (\(size)\(resumed))\n")
        case .interactive:
            downloadAdvanced(file: file, completedBytes: resumedFrom, totalBytes: totalBytes)
        }
    }

    /// Interactive: redraws the status line (at most every 0.1 s, and always at 100 %).
    public func downloadAdvanced(file: String, completedBytes: Int64, totalBytes: Int64?) {
        guard mode == .interactive else { return }
        lock.lock()
        let time = now()
        guard time - lastDraw >= 0.1 || totalBytes.map({ completedBytes >= $0 }) == true else {
            lock.unlock()
            return
        }
        lastDraw = time
        let elapsed = time - startTime
        let rate = elapsed > 0 ? Double(completedBytes - startBytes) / elapsed : 0
        lock.unlock()
        write("\r\u{1B}[K" + Self.statusLine(file: file, completed: completedBytes, total: totalBytes, rate: rate))
    }

    /// Plain: writes the end line with the time taken. Interactive: draws the final line and a newline.
    public func downloadFinished(file: String, totalBytes: Int64) {
        lock.lock()
        let elapsed = max(0, now() - startTime)
        lock.unlock()
        switch mode {
        case .quiet: return
        case .plain:
            write("Downloaded \(file) (\(Self.formatBytes(totalBytes)) in \(String(format: "%.1f", elapsed)) s)\n")
        case .interactive:
            let rate = elapsed > 0 ? Double(totalBytes) / elapsed : 0
            write("\r\u{1B}[K" + Self.statusLine(file: file, completed: totalBytes, total: totalBytes, rate: rate) + "\n")
        }
    }

    /// `name  12.3 MB / 548.1 MB  4.1 MB/s  ETA 2:10`; `name  12.3 MB  4.1 MB/s` when the size is unknown.
    static func statusLine(file: String, completed: Int64, total: Int64?, rate: Double) -> String {
        var line = "\(file)  \(formatBytes(completed))"
        if let total { line += " / \(formatBytes(total))" }
        if rate > 0 {
            line += "  \(formatBytes(Int64(rate)))/s"
            if let total, completed < total { line += "  ETA \(formatDuration(Double(total - completed) / rate))" }
        }
        return line
    }

    /// Decimal units as the Hub shows sizes: `999 B`, `1.5 kB`, `548.1 MB`, `1.2 GB`.
    public static func formatBytes(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    /// `m:ss`, or `h:mm:ss` past an hour.
    static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, (total % 3600) / 60, total % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
