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
    private var generating = true

    /// Creates a flag that is not set.
    public init() {}

    /// Asks the run to stop; false when generation has already ended (``endGeneration()``), after which nothing reads
    /// the flag: the caller should stop the process itself (a hostile review: a Ctrl-C during the statistics said
    /// "stopping after the current batch", then the run wrote every file and exited 0).
    @discardableResult
    public func cancel() -> Bool {
        lock.withLock {
            cancelled = true
            return generating
        }
    }

    /// Marks the generation as over and says whether a stop was asked for before: one step, so a stop asked for at the
    /// same moment is either seen here or answered false by ``cancel()``.
    public func endGeneration() -> Bool {
        lock.withLock {
            generating = false
            return cancelled
        }
    }

    /// Whether the run was asked to stop.
    public var isCancelled: Bool {
        lock.withLock { cancelled }
    }
}
