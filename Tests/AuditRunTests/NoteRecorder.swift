import AuditRun
import Foundation

/// Keeps the notes a run or an analysis writes to its progress (phases and counts are not kept), for tests of what is
/// said.
final class NoteRecorder: AuditProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var said: [String] = []
    /// The notes, in order.
    var notes: [String] { lock.withLock { said } }
    func begin(_ phase: String, total: Int) {}
    func advance(by count: Int) {}
    func end() {}
    func note(_ message: String) { lock.withLock { said.append(message) } }
}
