import Foundation
@testable import Hub
import NIOSSL
import TestSupport
import XCTest

@testable import HTTPClient

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The certificate authorities https requests trust (`TrustSettings`), against the https variant of the test Hub whose
/// certificate a test authority signed (`Tests/Fixtures/tls`): trusted through `SSL_CERT_FILE` and its kin, refused
/// at once without it, and a bundle that cannot be used said with the variable that named it.
final class TrustSettingsTests: XCTestCase {
    private let authority = Fixtures.url("tls/test-ca.pem").path
    private var server: HubTestServer!
    private var scratch: URL!

    override func setUp() async throws {
        server = try await Self.httpsHub(certificate: "tls/server.pem")
        scratch = try Fixtures.temporaryDirectory("trust")
    }

    override func tearDown() async throws {
        try await server.stop()
        try? FileManager.default.removeItem(at: scratch)
    }

    /// The test Hub over TLS with `certificate` (signed by the test authority) and the fixtures' key, started.
    private static func httpsHub(certificate: String) async throws -> HubTestServer {
        let server = HubTestServer(repos: try HubFixtureRepos.make().repos)
        let chain = try NIOSSLCertificate.fromPEMFile(Fixtures.url(certificate).path)
        let key = try NIOSSLPrivateKey(file: Fixtures.url("tls/server-key.pem").path, format: .pem)
        server.tls = try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        try await server.start()
        return server
    }

    /// A Hub client of `endpoint` whose retries record their delay instead of sleeping, and whose warnings are recorded.
    private func hubClient(
        endpoint: URL, cache: URL, delays: Recorder<TimeInterval>, warnings: Recorder<String>
    ) -> HubClient {
        HubClient(
            configuration: HubConfiguration(
                endpoint: endpoint, token: nil, cacheDirectory: cache, offline: false, metadataTimeout: 5, downloadTimeout: 5),
            retryPolicy: RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 1, sleep: { delays.append($0) }),
            progress: nil, warning: { warnings.append($0) })
    }

    /// Resolves the fixture model through the Hub at `endpoint` into a fresh cache, expecting a `HubError`.
    /// - Returns: the error (nil, after a failure, when it resolved or threw another error), the retries' delays, the warnings.
    private func resolvingRefused(
        through endpoint: URL
    ) async throws -> (error: HubError?, delays: [TimeInterval], warnings: [String]) {
        let cache = try Fixtures.temporaryDirectory("trust-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let delays = Recorder<TimeInterval>()
        let warnings = Recorder<String>()
        let client = hubClient(endpoint: endpoint, cache: cache, delays: delays, warnings: warnings)
        var refusal: HubError?
        do {
            _ = try await ModelLocator(client: client).resolve("openai-community/gpt2-tiny")
            XCTFail("expected the certificate to be refused")
        } catch let error as HubError {
            refusal = error
        } catch {
            XCTFail("expected a HubError, got \(error)")
        }
        return (refusal, delays.all, warnings.all)
    }

    private var resolveURL: URL {
        server.endpoint.appendingPathComponent("openai-community/gpt2-tiny/resolve/main/config.json")
    }

    /// The request's failure, expected to be a `URLError`.
    private func failure(of request: () async throws -> Void) async -> URLError? {
        do {
            try await request()
            XCTFail("expected a URLError, got an answer")
        } catch let error as URLError {
            return error
        } catch {
            XCTFail("expected a URLError, got \(error)")
        }
        return nil
    }

    func testTheFirstVariableSetNamesTheBundleAsHttpxAndRequestsReadThem() {
        let requests = TrustSettings(environment: ["SSL_CERT_FILE": "", "REQUESTS_CA_BUNDLE": authority, "CURL_CA_BUNDLE": "/x"])
        XCTAssertEqual(requests.bundle?.variable, "REQUESTS_CA_BUNDLE")
        XCTAssertEqual(requests.certificates.count, 1)
        XCTAssertNil(requests.problem)
        XCTAssertNotNil(requests.tlsConfiguration)

        let first = TrustSettings(environment: ["SSL_CERT_FILE": authority, "REQUESTS_CA_BUNDLE": "/nonexistent"])
        XCTAssertEqual(first.bundle?.variable, "SSL_CERT_FILE")
        XCTAssertNil(first.problem)

        let none = TrustSettings(environment: ["HOME": "/root"])
        XCTAssertNil(none.bundle)
        XCTAssertNil(none.problem)
        XCTAssertNil(none.tlsConfiguration, "the system's store: AsyncHTTPClient's default configuration")
    }

    func testAServerTheBundleVouchesForIsAnsweredAndOneWithoutItIsRefusedAsUntrusted() async throws {
        let trusted = HTTPTransport(timeout: 5, trust: TrustSettings(environment: ["SSL_CERT_FILE": authority]))
        let answer = try await trusted.head(resolveURL, headers: [:])
        XCTAssertEqual(answer.status, 307, "the test Hub's redirect of a small file")

        let system = HTTPTransport(timeout: 5, trust: TrustSettings(environment: [:]))
        let refused = await failure { _ = try await system.head(self.resolveURL, headers: [:]) }
        XCTAssertEqual(refused?.code, .serverCertificateUntrusted)
        XCTAssertEqual(refused?.isCertificateFailure, true)
        let text = refused?.localizedDescription ?? ""
        XCTAssertTrue(text.contains("could not be verified") && text.contains("SSL_CERT_FILE"), text)
    }

    func testACertificateForAnotherHostNameIsRefusedAsUntrusted() async throws {
        // Signed by the trusted authority, but for other-host.invalid, not 127.0.0.1 (NIOSSL checks the name after
        // BoringSSL accepted the chain: its own error, mapped to the same code).
        let other = try await Self.httpsHub(certificate: "tls/wrong-name.pem")
        let trusted = HTTPTransport(timeout: 5, trust: TrustSettings(environment: ["SSL_CERT_FILE": authority]))
        let url = other.endpoint.appendingPathComponent("openai-community/gpt2-tiny/resolve/main/config.json")
        let refused = await failure { _ = try await trusted.head(url, headers: [:]) }
        try await other.stop()
        XCTAssertEqual(refused?.code, .serverCertificateUntrusted, refused?.localizedDescription ?? "")
        // The bundle that was asked is named: the system's store is not the one to fix.
        let text = refused?.localizedDescription ?? ""
        XCTAssertTrue(text.contains("of the bundle SSL_CERT_FILE names (\"\(authority)\")"), text)
    }

    func testABundleThatCannotBeUsedIsSaidWithItsVariableAndFailsHTTPSOnly() async throws {
        let text = scratch.appendingPathComponent("notes.txt")
        try Data("secret-token-12345\n".utf8).write(to: text)
        let damaged = scratch.appendingPathComponent("damaged.pem")
        try Data("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n".utf8).write(to: damaged)
        let fifo = scratch.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)

        let cases: [(path: String, says: String)] = [
            (scratch.appendingPathComponent("missing.pem").path, "no such file"),
            (text.path, "without a PEM certificate"),
            (damaged.path, "cannot be read"),
            (fifo, "FIFO"),
            // A folder is read as one of certificates: this one holds only a damaged one, passed over.
            (scratch.path, "names a folder without a readable PEM certificate"),
        ]
        for (path, says) in cases {
            let settings = TrustSettings(environment: ["CURL_CA_BUNDLE": path])
            let problem = settings.problem ?? ""
            XCTAssertTrue(problem.contains(says), "\(path): \(problem)")
            XCTAssertTrue(problem.contains("CURL_CA_BUNDLE") && problem.contains("unset CURL_CA_BUNDLE"), problem)
            XCTAssertFalse(problem.contains("secret-token"), "never the file's contents: \(problem)")
            XCTAssertNil(settings.tlsConfiguration)
        }

        let broken = HTTPTransport(timeout: 5, trust: TrustSettings(environment: ["SSL_CERT_FILE": text.path]))
        let refused = await failure { _ = try await broken.head(self.resolveURL, headers: [:]) }
        XCTAssertEqual(refused?.code, .cannotOpenFile)
        XCTAssertEqual(refused?.isCertificateFailure, true)
        XCTAssertTrue(refused?.localizedDescription.contains("SSL_CERT_FILE") == true)
        XCTAssertTrue(server.requests.isEmpty, "nothing was sent")

        // A request without TLS does not use the bundle: answered as if none were named.
        let plain = HubTestServer(repos: try HubFixtureRepos.make().repos)
        try await plain.start()
        let answer = try await broken.head(
            plain.endpoint.appendingPathComponent("openai-community/gpt2-tiny/resolve/main/config.json"), headers: [:])
        try await plain.stop()
        XCTAssertEqual(answer.status, 307)
    }

    func testTheRefusalsOfABundleSayWhatIsWrongAndTheWayBack() throws {
        let good = try Data(contentsOf: Fixtures.url("tls/test-ca.pem"))
        func problem(_ name: String, _ bytes: Data) throws -> String? {
            let file = scratch.appendingPathComponent(name)
            try bytes.write(to: file)
            return TrustSettings(environment: ["SSL_CERT_FILE": file.path]).problem
        }
        // A byte-order mark before the PEM is not part of it.
        XCTAssertNil(try problem("bom.pem", Data([0xEF, 0xBB, 0xBF]) + good))
        // One good certificate does not save a bundle with a damaged one, in either order (OpenSSL and Python refuse it).
        let damaged = Data("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8)
        for (name, bytes) in [("good-first.pem", good + damaged), ("bad-first.pem", damaged + good)] {
            let said = try XCTUnwrap(try problem(name, bytes), name)
            XCTAssertTrue(said.contains("a certificate that cannot be read"), said)
        }
        let trusted = try XCTUnwrap(try problem(
            "trusted.pem", Data("-----BEGIN TRUSTED CERTIFICATE-----\nAAAA\n-----END TRUSTED CERTIFICATE-----\n".utf8)))
        XCTAssertTrue(trusted.contains("OpenSSL's \"TRUSTED CERTIFICATE\" blocks are not read"), trusted)
        // The way back is its own sentence, also after a question.
        let missing = try XCTUnwrap(TrustSettings(environment: ["SSL_CERT_FILE": "/nonexistent/ca.pem"]).problem)
        XCTAssertTrue(
            missing.hasSuffix("no such file; check the path. Or unset SSL_CERT_FILE to trust the system's certificate authorities"),
            missing)
        // A path that is not UTF-8 arrives with U+FFFD and is said as such, not as a missing file.
        let mangled = try XCTUnwrap(TrustSettings(environment: ["SSL_CERT_FILE": scratch.path + "/lat\u{FFFD}.pem"]).problem)
        XCTAssertTrue(mangled.contains("not valid UTF-8"), mangled)
    }

    /// A folder of PEM files as `openssl rehash` leaves one: the test authority under a hashed name and a named copy,
    /// beside a subfolder, a FIFO, a dangling link and a text file, none of which is read.
    private func certificateFolder() throws -> URL {
        let folder = scratch.appendingPathComponent("certs")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("java"), withIntermediateDirectories: true)
        let good = try Data(contentsOf: Fixtures.url("tls/test-ca.pem"))
        try good.write(to: folder.appendingPathComponent("test-ca.pem"))
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("5ad8a5d6.0").path, withDestinationPath: "test-ca.pem")
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("0000dead.0").path, withDestinationPath: "gone.pem")
        try Data("secret-token-12345\n".utf8).write(to: folder.appendingPathComponent("README"))
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe").path, 0o600), 0)
        return folder
    }

    func testAFolderOfCertificatesIsTrustedAsABundleOrBesideTheSystemsStore() async throws {
        let folder = try certificateFolder().path
        // Named as the bundle (as requests reads a folder in REQUESTS_CA_BUNDLE): its certificates alone, each once.
        let asBundle = TrustSettings(environment: ["REQUESTS_CA_BUNDLE": folder])
        XCTAssertNil(asBundle.problem)
        XCTAssertEqual(asBundle.certificates.count, 1, "the authority is in two files of the folder: read once")
        let answer = try await HTTPTransport(timeout: 5, trust: asBundle).head(resolveURL, headers: [:])
        XCTAssertEqual(answer.status, 307)

        // SSL_CERT_DIR: besides the system's store (as OpenSSL reads it), and besides a bundle named too.
        let besideSystem = TrustSettings(environment: ["SSL_CERT_DIR": folder])
        XCTAssertNil(besideSystem.bundle)
        XCTAssertEqual(besideSystem.added.count, 1)
        XCTAssertNil(besideSystem.problem)
        let again = try await HTTPTransport(timeout: 5, trust: besideSystem).head(resolveURL, headers: [:])
        XCTAssertEqual(again.status, 307)
        let unrelated = scratch.appendingPathComponent("other-ca.pem")
        try Data(contentsOf: Fixtures.url("tls/server.pem")).write(to: unrelated)
        let both = TrustSettings(environment: ["SSL_CERT_FILE": unrelated.path, "SSL_CERT_DIR": folder])
        XCTAssertEqual(both.bundle?.variable, "SSL_CERT_FILE")
        XCTAssertNil(both.problem)
        let third = try await HTTPTransport(timeout: 5, trust: both).head(resolveURL, headers: [:])
        XCTAssertEqual(third.status, 307, "the folder's authority is trusted beside the bundle's certificates")
        XCTAssertNotEqual(both.key, TrustSettings(environment: ["SSL_CERT_FILE": unrelated.path]).key)

        // A certificate for another name: the message names the system's store and the folder that were asked.
        let other = try await Self.httpsHub(certificate: "tls/wrong-name.pem")
        let url = other.endpoint.appendingPathComponent("openai-community/gpt2-tiny/resolve/main/config.json")
        let refused = await failure { _ = try await HTTPTransport(timeout: 5, trust: besideSystem).head(url, headers: [:]) }
        try await other.stop()
        let text = refused?.localizedDescription ?? ""
        XCTAssertEqual(refused?.code, .serverCertificateUntrusted, text)
        XCTAssertTrue(text.contains("of the system and of the folder SSL_CERT_DIR names (\"\(folder)\")"), text)
        XCTAssertTrue(text.contains("add the authority to that folder"), text)
    }

    func testAFolderThatCannotBeUsedIsSaidWithItsVariable() throws {
        let empty = scratch.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data("secret-token-12345\n".utf8).write(to: empty.appendingPathComponent("notes.txt"))
        let emptySaid = try XCTUnwrap(TrustSettings(environment: ["SSL_CERT_DIR": empty.path + ":/nonexistent"]).problem)
        XCTAssertTrue(emptySaid.contains("names no folder with a readable PEM certificate (\"\(empty.path)\" holds no readable "
            + "PEM certificate; \"/nonexistent\" is not a folder)"), emptySaid)
        XCTAssertTrue(emptySaid.hasSuffix("Or unset SSL_CERT_DIR to trust the bundle or the system's store alone"), emptySaid)
        XCTAssertFalse(emptySaid.contains("secret-token"), "never a file's contents: \(emptySaid)")

        let folder = try certificateFolder()
        try Data("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8)
            .write(to: folder.appendingPathComponent("b\u{1B}[31m.pem"))
        // A file whose certificate cannot be read is passed over, as OpenSSL never reads a stray file of a folder
        // (helper 227: a README quoting a BEGIN line made the whole folder unusable).
        let damaged = TrustSettings(environment: ["SSL_CERT_FILE": folder.path])
        XCTAssertNil(damaged.problem)
        XCTAssertEqual(damaged.certificates.count, 1)
        let none = try XCTUnwrap(TrustSettings(environment: ["SSL_CERT_DIR": ":"]).problem)
        XCTAssertTrue(none.contains("names no folder with a readable PEM certificate (it lists no folder)"), none)
        // SSL_CERT_DIR lists folders separated by ':', as OpenSSL reads it; one that is missing is passed over.
        let listed = TrustSettings(environment: ["SSL_CERT_DIR": "/nonexistent:" + folder.path + ":"])
        XCTAssertNil(listed.problem)
        XCTAssertEqual(listed.added.count, 1)
        let missing = try XCTUnwrap(TrustSettings(environment: ["SSL_CERT_FILE": scratch.appendingPathComponent("none").path]).problem)
        XCTAssertTrue(missing.hasSuffix("Or unset SSL_CERT_FILE to trust the system's certificate authorities"), missing)
        // The bundle's refusal is said first when both cannot be used; a folder's alone when only it cannot.
        let first = try XCTUnwrap(TrustSettings(environment: ["SSL_CERT_FILE": "/nonexistent/ca.pem", "SSL_CERT_DIR": empty.path]).problem)
        XCTAssertTrue(first.contains("SSL_CERT_FILE") && !first.contains("SSL_CERT_DIR"), first)
        let folderOnly = try XCTUnwrap(
            TrustSettings(environment: ["SSL_CERT_FILE": Fixtures.url("tls/test-ca.pem").path, "SSL_CERT_DIR": empty.path]).problem)
        XCTAssertTrue(folderOnly.contains("SSL_CERT_DIR"), folderOnly)
    }

    func testTheHubClientStopsAtOnceOnAnUntrustedCertificateInsteadOfRetrying() async throws {
        let (error, delays, warnings) = try await resolvingRefused(through: server.endpoint)
        // The test authority is in no store and no bundle the environment may name (or that bundle is unusable): either
        // way a certificate failure, said as one, not as a network to check.
        guard case .untrustedServer = error else { return XCTFail("expected untrustedServer, got \(String(describing: error))") }
        XCTAssertEqual(error?.exitCode, 69)
        let text = error?.description ?? ""
        XCTAssertTrue(text.hasPrefix("cannot connect securely to the Hub for model 'openai-community/gpt2-tiny'"), text)
        XCTAssertFalse(text.contains("Check the network"), text)
        XCTAssertTrue(delays.isEmpty, "no retry: waiting does not make a certificate trusted (\(delays))")
        XCTAssertTrue(warnings.isEmpty, "\(warnings)")
    }

    func testTokenizeSaysItFetchesTheTokenizerAloneAndAMisspeltPathIsStillNamed() async throws {
        let cache = try Fixtures.temporaryDirectory("trust-tokenizer-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let client = hubClient(endpoint: server.endpoint, cache: cache, delays: Recorder(), warnings: Recorder())
        do {
            _ = try await client.tokenizerSnapshot(repoID: try HubRepoID("openai-community/gpt2-tiny"))
            XCTFail("expected the certificate to be refused")
        } catch let error as HubError {
            guard case .untrustedServer(_, _, _, _, true) = error else { return XCTFail("expected the tokenizer's, got \(error)") }
            XCTAssertTrue(error.description.hasPrefix("cannot connect securely to the Hub for the tokenizer of model"), error.description)
            XCTAssertTrue(error.description.contains("it fetches only the tokenizer files, never the weights"), error.description)
        }
        // `models/tiny-gtp2` beside a folder `models`: the certificate failure keeps the word on the misspelt path, as a
        // network failure does (a review: it was lost).
        let here = FileManager.default.currentDirectoryPath
        defer { FileManager.default.changeCurrentDirectoryPath(here) }
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("models"), withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch.path))
        let untrusted = HubError.untrustedServer(repoID: "models/tiny-gtp2", url: "https://x", detail: "d", cachePath: "/c")
        guard case .besideLocalFolder = ModelLocator.besideLocalFolder(untrusted, spec: "models/tiny-gtp2") else {
            return XCTFail("the misspelt path is not named")
        }
    }

    func testADownloadFromAnUntrustedCDNStopsAtOnce() async throws {
        // The Hub answers over plain http; its LFS redirect leads to the https server, whose authority no one trusts.
        let hub = HubTestServer(repos: try HubFixtureRepos.make().repos)
        hub.cdnOrigin = "https://127.0.0.1:\(server.port)"
        try await hub.start()
        let (error, delays, warnings) = try await resolvingRefused(through: hub.endpoint)
        try await hub.stop()
        guard case .untrustedServer(_, let url, _, _, _) = error else {
            return XCTFail("expected untrustedServer, got \(String(describing: error))")
        }
        XCTAssertTrue(url.hasPrefix("https://127.0.0.1:\(server.port)/cdn/"), url)
        XCTAssertTrue(delays.isEmpty, "no retry of the download (\(delays))")
        XCTAssertFalse(warnings.contains { $0.contains("retrying") }, "\(warnings)")
    }
}
