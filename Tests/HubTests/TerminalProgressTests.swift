import Foundation
import Hub
import XCTest

/// The three output modes of the default progress reporter, with an injected clock.
final class TerminalProgressTests: XCTestCase {
    private final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time: TimeInterval = 100
        func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
        var now: TimeInterval { lock.withLock { time } }
    }

    func testInteractiveModeRedrawsOneLineWithRateAndETA() {
        let clock = Clock()
        let output = Recorder<String>()
        let progress = TerminalProgress(mode: .interactive, write: { output.append($0) }, now: { clock.now })

        progress.downloadStarted(file: "model.safetensors", totalBytes: 10_000_000, resumedFrom: 0)
        clock.advance(2)
        progress.downloadAdvanced(file: "model.safetensors", completedBytes: 4_000_000, totalBytes: 10_000_000)
        progress.downloadAdvanced(file: "model.safetensors", completedBytes: 4_100_000, totalBytes: 10_000_000)
        clock.advance(3)
        progress.downloadFinished(file: "model.safetensors", totalBytes: 10_000_000)

        let lines = output.all
        XCTAssertEqual(lines.count, 3, "the update 0 s after the previous one is skipped: \(lines)")
        XCTAssertEqual(lines[1], "\r\u{1B}[Kmodel.safetensors  4.0 MB / 10.0 MB  2.0 MB/s  ETA 0:03")
        XCTAssertEqual(lines[2], "\r\u{1B}[Kmodel.safetensors  10.0 MB / 10.0 MB  2.0 MB/s\n")
    }

    func testInteractiveModeWithAnUnknownSizeShowsBytesAndRateWithoutTotalOrETA() {
        let clock = Clock()
        let output = Recorder<String>()
        let progress = TerminalProgress(mode: .interactive, write: { output.append($0) }, now: { clock.now })

        progress.downloadStarted(file: "config.json", totalBytes: nil, resumedFrom: 0)
        clock.advance(2)
        progress.downloadAdvanced(file: "config.json", completedBytes: 4_000_000, totalBytes: nil)
        clock.advance(2)
        progress.downloadFinished(file: "config.json", totalBytes: 8_000_000)

        let lines = output.all
        XCTAssertEqual(lines, [
            "\r\u{1B}[Kconfig.json  0 B", "\r\u{1B}[Kconfig.json  4.0 MB  2.0 MB/s",
            "\r\u{1B}[Kconfig.json  8.0 MB / 8.0 MB  2.0 MB/s\n",
        ])
    }

    func testPlainModeWritesStartAndEndLines() {
        let clock = Clock()
        let output = Recorder<String>()
        let progress = TerminalProgress(mode: .plain, write: { output.append($0) }, now: { clock.now })

        progress.downloadStarted(file: "vocab.json", totalBytes: 1_042_301, resumedFrom: 500_000)
        progress.downloadAdvanced(file: "vocab.json", completedBytes: 800_000, totalBytes: 1_042_301)
        clock.advance(1.25)
        progress.downloadFinished(file: "vocab.json", totalBytes: 1_042_301)

        XCTAssertEqual(output.all, [
            "Downloading vocab.json (1.0 MB, resuming at 500.0 kB)\n",
            "Downloaded vocab.json (1.0 MB in 1.2 s)\n",
        ])
    }

    func testQuietModeWritesNothing() {
        let output = Recorder<String>()
        let progress = TerminalProgress(mode: .quiet, write: { output.append($0) })
        progress.downloadStarted(file: "a", totalBytes: 10, resumedFrom: 0)
        progress.downloadAdvanced(file: "a", completedBytes: 5, totalBytes: 10)
        progress.downloadFinished(file: "a", totalBytes: 10)
        XCTAssertTrue(output.all.isEmpty)
        XCTAssertEqual(TerminalProgress.forStandardError(quiet: true).mode, .quiet)
    }
}
