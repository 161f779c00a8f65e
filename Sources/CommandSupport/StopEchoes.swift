import Dispatch
import Foundation

/// When a command's first stop arrived, so that a copy of it that follows at once is not taken for a second stop
/// (which quits at once, losing the batch in flight): GNU `timeout -s INT` signals the command and then its whole
/// process group, two signals microseconds apart, which a review found taken as a double Ctrl-C in 5 of 13 runs.
/// A person's second Ctrl-C comes later than ``window``; another signal (a SIGTERM after a Ctrl-C) is never a copy.
public final class StopEchoes: @unchecked Sendable {
    /// How soon after the first a stop counts as its copy: 0.1 s, in nanoseconds.
    public static let window: UInt64 = 100_000_000
    private let lock = NSLock()
    private var first: (signal: Int32, at: UInt64)?

    /// Creates a record with no stop yet.
    public init() {}

    /// Records a stop by `signal`; whether it is the first one's signal again within ``window`` (a copy of it). The
    /// first is not.
    public func isEcho(_ signal: Int32, now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Bool {
        lock.withLock {
            guard let first else {
                first = (signal, now)
                return false
            }
            return signal == first.signal && now &- first.at < Self.window
        }
    }
}
