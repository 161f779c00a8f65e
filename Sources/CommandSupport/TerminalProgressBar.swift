import AuditResults
import AuditRun
import Foundation
import Glibc

#if canImport(Glibc)
#endif

/// Progress of a long run on standard error: a bar with count, rate and time left on a terminal
/// (redrawn at most ten times a second), a line every ten seconds when standard error is a pipe or log.
public final class TerminalProgressBar: AuditProgress, @unchecked Sendable {
    private let interactive: Bool
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> TimeInterval
    private let lock = NSLock()
    private var phase = ""
    private var total = 0
    private var done = 0
    private var started: TimeInterval = 0
    private var lastDraw: TimeInterval = -.infinity
    /// The count the last line showed, so that `end` does not write a line again that a periodic one wrote already.
    private var lastDrawnCount: Int?

    /// Creates a bar writing through `write`; `clock` gives seconds (the system's uptime unless a test gives one).
    public init(interactive: Bool, clock: @escaping @Sendable () -> TimeInterval = { ProcessInfo.processInfo.systemUptime },
                write: @escaping @Sendable (String) -> Void) {
        self.interactive = interactive
        self.clock = clock
        self.write = write
    }

    /// A bar on standard error, interactive when it is a terminal.
    public static func standardError() -> TerminalProgressBar {
        TerminalProgressBar(interactive: TerminalCapabilities.supportsEscapes(STDERR_FILENO)) {
            StandardStreams.writeError($0)  // progress that cannot be shown is no failure of the command
        }
    }

    public func begin(_ phase: String, total: Int) {
        lock.withLock {
            self.phase = phase
            self.total = total
            done = 0
            started = clock()
            lastDraw = -.infinity
            lastDrawnCount = nil
            draw(force: true)
        }
    }

    public func advance(by count: Int) {
        lock.withLock {
            done += count
            draw(force: false)
        }
    }

    public func end() {
        lock.withLock {
            // On a log, a line every ten seconds: the last one may already show the final count.
            if interactive || lastDrawnCount != done { draw(force: true) }
            if interactive { write("\n") }
        }
    }

    public func note(_ message: String) {
        lock.withLock { write((interactive ? "\r\u{1B}[K" : "") + message + "\n") }
    }

    private func draw(force: Bool) {
        let now = clock()
        guard force || now - lastDraw >= (interactive ? 0.1 : 10) else { return }
        lastDraw = now
        lastDrawnCount = done
        let elapsed = max(now - started, 1e-9)
        let rate = Double(done) / elapsed
        let remaining = rate > 0 ? Double(total - done) / rate : .infinity
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let status =
            "\(phase): \(done)/\(total) (\(String(format: "%.1f", rate))/s, \(Self.duration(elapsed)) elapsed, "
            + "\(remaining.isFinite ? Self.duration(remaining) : "?") left)"
        if interactive {
            let width = 24
            let filled = min(width, Int(fraction * Double(width)))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            write("\r\u{1B}[K\(bar) \(status)")
        } else {
            write(status + "\n")
        }
    }

    private static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600
            ? String(format: "%dh%02dm", whole / 3600, whole / 60 % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
