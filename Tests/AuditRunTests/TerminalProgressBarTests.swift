import CommandSupport
import Foundation
import XCTest

/// The progress of `run` and `merge` on standard error when it is a log (not a terminal): a line at the start, every
/// ten seconds, and at the end.
final class TerminalProgressBarTests: XCTestCase {
    private final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        private var time: TimeInterval = 0
        func write(_ text: String) { lock.withLock { lines.append(text) } }
        func now() -> TimeInterval { lock.withLock { time } }
        func set(_ seconds: TimeInterval) { lock.withLock { time = seconds } }
        var counts: [String] {
            lock.withLock { lines.map { line in String(line.split(separator: " ")[1]) } }
        }
    }

    /// A review saw the final line twice in a log: the periodic line fell on the last completion and `end` wrote it again.
    func testTheFinalLineIsWrittenOnceWhenAPeriodicLineShowedTheFinalCount() {
        let recorder = Recorder()
        let bar = TerminalProgressBar(interactive: false, clock: { recorder.now() }, write: { recorder.write($0) })
        bar.begin("completions", total: 4)
        recorder.set(3)
        bar.advance(by: 2)  // within ten seconds of the first line: not written
        recorder.set(11)
        bar.advance(by: 2)  // ten seconds on: written, and it is the final count
        bar.end()
        XCTAssertEqual(recorder.counts, ["0/4", "4/4"])

        // When the periodic line showed an earlier count, `end` writes the final one.
        bar.begin("completions", total: 4)
        recorder.set(22)
        bar.advance(by: 3)
        recorder.set(23)
        bar.advance(by: 1)
        bar.end()
        XCTAssertEqual(recorder.counts, ["0/4", "4/4", "0/4", "3/4", "4/4"])
    }
}
