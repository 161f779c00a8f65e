import CommandSupport
import Foundation
import Gate
import Reporting
import TestSupport
import XCTest

/// Opens the HTML report in headless Chromium from disk: it must render without script errors or
/// Content-Security-Policy violations and produce a screenshot.
///
/// Skipped when `chromium` is not on PATH, unless the environment variable `CI` is set: in CI the
/// browser check must run, so a missing browser fails. Set `BIASAUDIT_SCREENSHOT` to a file path
/// to keep the screenshot for a look.
final class BrowserRenderTests: XCTestCase {
    /// Console output that means the page misbehaved.
    static let failureMarkers = ["Uncaught", "Refused to", "Content Security Policy", "Content-Security-Policy"]
    /// How long the browser may take.
    static let timeoutSeconds = 120.0

    func testChromiumRendersReportWithoutErrors() throws {
        guard let chromium = Self.executable(named: "chromium") else {
            if let ci = ProcessInfo.processInfo.environment["CI"], !ci.isEmpty {
                XCTFail("CI is set but chromium is not on PATH; install it (make setup-browser) so the HTML report is checked in a real browser")
                return
            }
            throw XCTSkip("chromium is not on PATH")
        }
        let directory = try Fixtures.temporaryDirectory("biasaudit-browser")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try XCTUnwrap(try ReportWriter.write(try ReportFixture.result(), formats: [.html], to: directory, templates: nil).first)
        let screenshot = directory.appendingPathComponent("report.png")

        let process = Process()
        process.executableURL = chromium
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--enable-logging=stderr", "--v=0",
            "--screenshot=\(screenshot.path)", "--window-size=1280,2400", report.absoluteString,
        ]
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = Self.readAll(errorPipe, process: process, timeout: Self.timeoutSeconds)
        XCTAssertFalse(process.isRunning, "chromium did not finish within \(Self.timeoutSeconds) s")
        XCTAssertEqual(process.terminationStatus, 0, "chromium failed:\n\(stderr.suffix(2000))")

        let console = stderr.components(separatedBy: "\n").filter { line in Self.failureMarkers.contains { line.contains($0) } }
        XCTAssertTrue(console.isEmpty, "the page logged errors:\n\(console.joined(separator: "\n"))")

        let png = try Data(contentsOf: screenshot)
        XCTAssertGreaterThan(png.count, 10_000, "the screenshot is suspiciously small (\(png.count) bytes)")
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
        if let keep = ProcessInfo.processInfo.environment["BIASAUDIT_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: screenshot, to: URL(fileURLWithPath: keep))
        }
    }

    /// The first executable called `name` on PATH.
    static func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Reads a pipe to its end while the process runs, terminating the process after `timeout` seconds.
    private static func readAll(_ pipe: Pipe, process: Process, timeout: Double) -> String {
        let deadline = DispatchTime.now() + timeout
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: watchdog)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return String(decoding: data, as: UTF8.self)
    }
}
