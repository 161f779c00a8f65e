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
    private var phase = Phase.generating

    /// Where a run is: what a stop asked for now does.
    private enum Phase { case generating, computing, writing }

    /// What becomes of a stop asked for (``cancel()``).
    public enum Stop: Equatable, Sendable {
        /// Generating: the runner stops after the batch in flight, which is stored.
        case afterTheBatch
        /// Computing the statistics and the reports, after generation (``endGeneration()``): nothing reads the flag
        /// and no output file is being written, so the caller stops the process itself (a hostile review: a Ctrl-C
        /// there said "stopping after the current batch", then the run wrote every file and exited 0).
        case now
        /// Writing the output files (``beginWriting()``): they are written as one set, temporaries first and then
        /// renamed, and a stop between two renames would mix a new results.json with old reports and leave hidden
        /// temporaries (a review): the caller lets the writing end.
        case afterTheFiles
    }

    /// Creates a flag that is not set.
    public init() {}

    /// Asks the run to stop, and says what becomes of the request in the run's present phase.
    @discardableResult
    public func cancel() -> Stop {
        lock.withLock {
            cancelled = true
            switch phase {
            case .generating: return .afterTheBatch
            case .computing: return .now
            case .writing: return .afterTheFiles
            }
        }
    }

    /// Marks the generation as over and says whether a stop was asked for before: one step, so a stop asked for at the
    /// same moment is either seen here or answered ``Stop/now`` by ``cancel()``.
    public func endGeneration() -> Bool {
        lock.withLock {
            phase = .computing
            return cancelled
        }
    }

    /// Marks the start of the output files' writing, after which a stop waits for it (``Stop/afterTheFiles``); says
    /// whether a stop was asked for before (the caller's own handler has quit then, so this is for callers without one).
    @discardableResult
    public func beginWriting() -> Bool {
        lock.withLock {
            phase = .writing
            return cancelled
        }
    }

    /// Whether the run was asked to stop.
    public var isCancelled: Bool {
        lock.withLock { cancelled }
    }
}
