import Foundation

/// Receives progress of a long run (the CLI draws a bar on a terminal, plain lines otherwise).
public protocol AuditProgress: AnyObject, Sendable {
    /// A new phase with `total` units of work (completions, prompts).
    func begin(_ phase: String, total: Int)
    /// `count` more units are done.
    func advance(by count: Int)
    /// The phase is over.
    func end()
    /// A one-line note (a warning, a skipped step).
    func note(_ message: String)
}

/// Set from a signal handler (Ctrl-C); the runner stops after the batch in flight, which is stored.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    /// Creates a flag that is not set.
    public init() {}

    /// Asks the run to stop.
    public func cancel() {
        lock.withLock { cancelled = true }
    }

    /// Whether the run was asked to stop.
    public var isCancelled: Bool {
        lock.withLock { cancelled }
    }
}
