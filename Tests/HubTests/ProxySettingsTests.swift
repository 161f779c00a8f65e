import Foundation
import XCTest

@testable import HTTPClient

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The proxies taken from the environment, as libcurl (URLSession on Linux) took them.
final class ProxySettingsTests: XCTestCase {
    func testSchemesPickTheirProxyAndNoProxyExcludesHostsAndSubdomains() throws {
        let settings = ProxySettings(environment: [
            "http_proxy": "http://user:p%40ss@proxy.local:3128", "HTTPS_PROXY": "secure.proxy:8443",
            "no_proxy": " .internal.example, localhost,[::1]",
        ])
        let http = try XCTUnwrap(settings.proxy(for: URL(string: "http://huggingface.co/x")!))
        XCTAssertEqual(http.host, "proxy.local")
        XCTAssertEqual(http.port, 3128)
        XCTAssertNotNil(http.authorization)
        let https = try XCTUnwrap(settings.proxy(for: URL(string: "https://huggingface.co/x")!))
        XCTAssertEqual(https.host, "secure.proxy")
        XCTAssertEqual(https.port, 8443)
        XCTAssertNil(https.authorization)
        for direct in ["http://internal.example/", "https://a.b.internal.example/", "http://LOCALHOST:8000/", "http://[::1]:80/"] {
            XCTAssertNil(settings.proxy(for: URL(string: direct)!), direct)
        }
        XCTAssertNotNil(settings.proxy(for: URL(string: "http://notinternal.example/")!), "a suffix only at a dot")
    }

    func testLowerCaseWinsAllProxyIsTheFallbackAndStarExcludesAll() {
        let settings = ProxySettings(environment: ["http_proxy": "a:1", "HTTP_PROXY": "b:2", "ALL_PROXY": "socks5://c"])
        XCTAssertEqual(settings.proxy(for: URL(string: "http://x/")!)?.host, "a")
        XCTAssertEqual(settings.proxy(for: URL(string: "https://x/")!)?.host, "c")
        XCTAssertEqual(settings.proxy(for: URL(string: "https://x/")!)?.port, 1080)
        XCTAssertNil(ProxySettings(environment: ["http_proxy": "a:1", "no_proxy": "*"]).proxy(for: URL(string: "http://x/")!))
        XCTAssertNil(ProxySettings(environment: [:]).proxy(for: URL(string: "http://x/")!))
        XCTAssertNil(ProxySettings(environment: ["https_proxy": "https://tls.proxy:443"]).proxy(for: URL(string: "https://x/")!),
                     "a TLS proxy is not supported")
    }

    /// TLS failures from NIOSSL, told apart by BoringSSL's reason: an untrusted certificate says so (libcurl's
    /// "SSL certificate problem: unable to get local issuer certificate" had become a bare "TLS error").
    func testAnUntrustedCertificateIsSaidAsSuch() {
        struct FakeSSLError: Error, CustomStringConvertible {
            let description: String
        }
        let untrusted = TransportFailure.urlError(for: FakeSSLError(
            description: "handshakeFailed(sslError: [error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED])"))
        XCTAssertEqual(untrusted.code, .serverCertificateUntrusted)
        XCTAssertTrue(untrusted.localizedDescription.hasPrefix("The server's TLS certificate could not be verified"),
                      untrusted.localizedDescription)
        let other = TransportFailure.urlError(for: FakeSSLError(description: "handshakeFailed(sslError: [WRONG_VERSION_NUMBER])"))
        XCTAssertEqual(other.code, .secureConnectionFailed)
    }
}
