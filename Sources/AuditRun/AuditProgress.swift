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

/// Set from a signal handler (Ctrl-C); the runner stops after the batch in flight, which is stored. After the
/// generation what a stop does depends on the run's phase (``Stop``); every phase change and every request is one step
/// under one lock, so a request is never lost between two phases.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var code: Int32 = 0
    private var phase = Phase.preparing

    /// Where a run is: what a stop asked for now does.
    private enum Phase { case preparing, generating, computing, writing, written, failed }

    /// What becomes of a stop asked for (``cancel(code:)``).
    public enum Stop: Equatable, Sendable {
        /// Before the generation (``beginGeneration()``): models loading, a served model's server probed, the run store
        /// opened. No batch is in flight and nothing is lost, so the caller stops the process itself (a code review: a
        /// server that never answered its probe kept the run waiting after "stopping after the current batch").
        case beforeGeneration
        /// Generating: the runner stops after the batch in flight, which is stored.
        case afterTheBatch
        /// Computing the statistics and the reports, after generation (``endGeneration()``): nothing reads the flag
        /// and no output file is being written, so the caller stops the process itself (a hostile review: a Ctrl-C
        /// there said "stopping after the current batch", then the run wrote every file and exited 0).
        case now
        /// Writing the output files (``beginWriting()``): they are written as one set, temporaries first and then
        /// renamed, and a stop between two renames would mix a new results.json with old reports and leave hidden
        /// temporaries (a review): the caller lets the writing end; ``endWriting()`` then returns the stop.
        case afterTheFiles
        /// The files are written (``endWriting()``): the caller stops the process itself, the files complete (a
        /// review: a Ctrl-C during the summary that follows was answered "finished first" and lost, exit 0).
        case nowWithTheFilesWritten
        /// The writing failed (``failWriting()``): its error (a full disk, exit 74) ends the command at once, the files
        /// as they were, and the caller answers nothing (a review: a stop then said they "are finished first" or "are
        /// written and complete", and exited 130).
        case afterAFailedWrite
    }

    /// Creates a flag that is not set.
    /// - Parameter generating: false for a command that generates nothing (`report`, `analyze`, `merge`): it starts
    ///   in the phase after the generation, where a stop is answered ``Stop/now`` until ``beginWriting()``.
    public init(generating: Bool = true) {
        phase = generating ? .preparing : .computing
    }

    /// Marks the start of the generation, after which a stop waits for the batch in flight (``Stop/afterTheBatch``).
    public func beginGeneration() {
        lock.withLock { if phase == .preparing { phase = .generating } }
    }

    /// Asks the run to stop, and says what becomes of the request in the run's present phase.
    /// - Parameter code: what asked (the caller's signal number), returned by ``endWriting()``; the first request's
    ///   is kept.
    @discardableResult
    public func cancel(code: Int32 = 0) -> Stop {
        lock.withLock {
            if !cancelled { self.code = code }
            cancelled = true
            switch phase {
            case .preparing: return .beforeGeneration
            case .generating: return .afterTheBatch
            case .computing: return .now
            case .writing: return .afterTheFiles
            case .written: return .nowWithTheFilesWritten
            case .failed: return .afterAFailedWrite
            }
        }
    }

    /// Marks the generation as over and says whether a stop was asked for before: one step, so a stop asked for at the
    /// same moment is either seen here or answered ``Stop/now`` by ``cancel(code:)``.
    public func endGeneration() -> Bool {
        lock.withLock {
            phase = .computing
            return cancelled
        }
    }

    /// Marks the start of the output files' writing, after which a stop waits for it (``Stop/afterTheFiles``). A stop
    /// asked for before was answered ``Stop/now`` (the caller's handler has quit).
    public func beginWriting() {
        lock.withLock { phase = .writing }
    }

    /// Marks the output files as written and returns the code of a stop asked for while they were (nil: none); a later
    /// stop is answered ``Stop/nowWithTheFilesWritten``.
    public func endWriting() -> Int32? {
        lock.withLock {
            phase = .written
            return cancelled ? code : nil
        }
    }

    /// Marks the output files' writing as failed: its error ends the command, and a stop asked for from now on is
    /// answered ``Stop/afterAFailedWrite``.
    public func failWriting() {
        lock.withLock { phase = .failed }
    }

    /// Whether the run was asked to stop.
    public var isCancelled: Bool {
        lock.withLock { cancelled }
    }
}
