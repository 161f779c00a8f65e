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
        for arguments in [["generate", "--model", served, "The nurse said", "--max-new-tokens", "1"],
                          ["next-token", "--model", served, "The nurse said"]] {
            // Each attempt gives up after 1 s (with the default 300 s, this test would wait minutes per attempt).
            let result = try CLI.run(arguments + ["--request-timeout", "1"])
            XCTAssertEqual(result.status, 69, "\(arguments[0]): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("127.0.0.1:\(port)"), result.stderr)
        }
        let refused = try CLI.run(["generate", "--model", served, "Hi", "--request-timeout", "0"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--request-timeout must be between 1 and 3600 seconds"), refused.stderr)
    }
}
