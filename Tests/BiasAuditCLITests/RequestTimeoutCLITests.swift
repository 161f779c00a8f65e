import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A hostile review: `generate` and `next-token` against a served model that accepts a connection and never answers
/// waited 300 s per attempt in silence, with no option to shorten it (`--request-timeout` was `run`'s only). They take it now.
final class RequestTimeoutCLITests: XCTestCase {
    /// A loopback socket that listens and never accepts: the kernel completes the handshake, nothing ever answers.
    private var listener: Int32 = -1
    private var port = 0

    override func setUpWithError() throws {
        let opened = try LoopbackSocket.listening()
        (listener, port) = (opened.socket, opened.port)
    }

    override func tearDown() {
        if listener >= 0 { close(listener) }
    }

    func testGenerateAndNextTokenTakeARequestTimeout() throws {
        let served = "http://127.0.0.1:\(port)/v1#m"
        let commands = [["generate", "--model", served, "The nurse said", "--max-new-tokens", "1"],
                        ["next-token", "--model", served, "The nurse said"]]
        // Each attempt gives up after 1 s (with the default 300 s, this test would wait minutes per attempt); the six
        // attempts and their backoff take about 29 s, so the two commands run side by side.
        let results = Recorded<Result<CommandResult, Error>>(count: commands.count)
        DispatchQueue.concurrentPerform(iterations: commands.count) { index in
            results.set(index, Result { try CLI.run(commands[index] + ["--request-timeout", "1"]) })
        }
        for (arguments, outcome) in zip(commands, results.values) {
            let result = try XCTUnwrap(outcome).get()
            XCTAssertEqual(result.status, 69, "\(arguments[0]): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("127.0.0.1:\(port)"), result.stderr)
        }
        let refused = try CLI.run(["generate", "--model", served, "Hi", "--request-timeout", "0"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--request-timeout must be between 1 and 3600 seconds"), refused.stderr)
    }
}

/// Values written from concurrent work, one slot each.
private final class Recorded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }
    var values: [Value?] { lock.withLock { slots } }
}
