import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A hostile review: `generate` and `next-token` against a served model that accepts a connection and never answers
/// waited 4 × 300 s in silence, with no option to shorten it (`--request-timeout` was `run`'s only). They take it now.
final class RequestTimeoutCLITests: XCTestCase {
    /// A loopback socket that listens and never accepts: the kernel completes the handshake, nothing ever answers.
    private var listener: Int32 = -1
    private var port: UInt16 = 0

    override func setUpWithError() throws {
        #if canImport(Glibc)
            listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            listener = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        XCTAssertGreaterThanOrEqual(listener, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(listener, 16), 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
    }

    override func tearDown() {
        if listener >= 0 { close(listener) }
    }

    func testGenerateAndNextTokenTakeARequestTimeout() throws {
        let served = "http://127.0.0.1:\(port)/v1#m"
        for arguments in [["generate", "--model", served, "The nurse said", "--max-new-tokens", "1"],
                          ["next-token", "--model", served, "The nurse said"]] {
            // Each attempt gives up after 1 s (with the default, this test would wait 4 × 300 s).
            let result = try CLI.run(arguments + ["--request-timeout", "1"])
            XCTAssertEqual(result.status, 69, "\(arguments[0]): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("127.0.0.1:\(port)"), result.stderr)
        }
        let refused = try CLI.run(["generate", "--model", served, "Hi", "--request-timeout", "0"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--request-timeout must be between 1 and 3600 seconds"), refused.stderr)
    }
}
