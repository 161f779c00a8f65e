import Foundation
import HTTPClient
import Hub
import TestSupport
import XCTest

/// Generated fixture repositories for the Hub tests, and a base test case that runs the fixture server
/// with an empty temporary cache.
enum HubFixtureRepos {
    static let gpt2Commit = "1111111111111111111111111111111111111111"
    static let distilCommit = "2222222222222222222222222222222222222222"
    static let pickleCommit = "3333333333333333333333333333333333333333"
    static let privateCommit = "4444444444444444444444444444444444444444"
    static let gatedCommit = "5555555555555555555555555555555555555555"
    static let emptyCommit = "6666666666666666666666666666666666666666"
    static let token = "hf_fixture_token"
    /// A token whose account was granted access to `gated/tiny`.
    static let grantedToken = "hf_granted_token"

    /// Deterministic pseudo-random bytes (a 64-bit LCG), so the LFS file spans several network reads.
    static func bytes(count: Int, seed: UInt64) -> Data {
        var state = seed
        return Data((0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }

    /// The SHA-256 of `data`, through a temporary file (the Hub module hashes files).
    static func sha256(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hub-sha-\(UUID().uuidString)")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try sha256Hex(of: url)
    }

    /// A git-style 40-hex etag for a small (non-LFS) file; any stable 40-hex value serves here.
    static func smallETag(_ data: Data) throws -> String {
        String(try sha256(data).prefix(40))
    }

    static func small(_ text: String, weak: Bool = false) throws -> HubTestServer.FixtureFile {
        let data = Data(text.utf8)
        return HubTestServer.FixtureFile(content: data, etag: try smallETag(data), isLFS: false, weakETag: weak)
    }

    static func lfs(count: Int, seed: UInt64) throws -> HubTestServer.FixtureFile {
        let data = bytes(count: count, seed: seed)
        return HubTestServer.FixtureFile(content: data, etag: try sha256(data), isLFS: true)
    }

    /// `openai-community/gpt2-tiny` (all five files), `distilbert/distilgpt2-tiny` (renamed from
    /// `distilgpt2-tiny`, no generation_config.json), `legacy/pickle-only`, `private/tiny` (needs a token),
    /// `gated/tiny` (served to `grantedToken` only).
    static func make() throws -> (repos: [String: HubTestServer.FixtureRepo], renamed: [String: String]) {
        let config = try small("{\"model_type\": \"gpt2\", \"n_embd\": 32}\n")
        let vocab = try small("{\"!\": 0, \"\\\"\": 1}\n", weak: true)
        let merges = try small("#version: 0.2\nĠ t\n")
        let gpt2 = HubTestServer.FixtureRepo(commit: gpt2Commit, files: [
            "config.json": config, "vocab.json": vocab, "merges.txt": merges,
            "model.safetensors": try lfs(count: 300_000, seed: 1),
            "generation_config.json": try small("{\"bos_token_id\": 50256}\n"),
        ])
        let distil = HubTestServer.FixtureRepo(commit: distilCommit, files: [
            "config.json": try small("{\"model_type\": \"gpt2\", \"n_layer\": 6}\n"), "vocab.json": vocab,
            "merges.txt": merges, "model.safetensors": try lfs(count: 120_000, seed: 2),
        ])
        let pickle = HubTestServer.FixtureRepo(commit: pickleCommit, files: [
            "config.json": config, "vocab.json": vocab, "merges.txt": merges,
            "pytorch_model.bin": try lfs(count: 5_000, seed: 3),
        ])
        // A hostile review: a 0-byte file was never created, and its rename into place failed (exit 74).
        var emptyFiles = gpt2.files
        emptyFiles["generation_config.json"] = try small("")
        let empty = HubTestServer.FixtureRepo(commit: emptyCommit, files: emptyFiles)
        var privateRepo = HubTestServer.FixtureRepo(commit: privateCommit, files: gpt2.files)
        privateRepo.token = token
        var gated = HubTestServer.FixtureRepo(commit: gatedCommit, files: gpt2.files)
        gated.gatedFor = grantedToken
        return (
            ["openai-community/gpt2-tiny": gpt2, "distilbert/distilgpt2-tiny": distil, "legacy/pickle-only": pickle,
             "private/tiny": privateRepo, "gated/tiny": gated, "empty/tiny": empty],
            ["distilgpt2-tiny": "distilbert/distilgpt2-tiny"]
        )
    }
}

/// Starts a fixture server and an empty cache for each test; records warnings and retry delays.
class HubServerTestCase: XCTestCase {
    var server: HubTestServer!
    var cacheRoot: URL!
    var fixtures: [String: HubTestServer.FixtureRepo] = [:]
    let warnings = Recorder<String>()
    let delays = Recorder<TimeInterval>()

    override func setUp() async throws {
        let made = try HubFixtureRepos.make()
        fixtures = made.repos
        server = HubTestServer(repos: made.repos, renamed: made.renamed)
        try await server.start()
        cacheRoot = try Fixtures.temporaryDirectory("hub-cache")
    }

    override func tearDown() async throws {
        try await server.stop()
        try? FileManager.default.removeItem(at: cacheRoot)
    }

    func configuration(offline: Bool = false, token: String? = nil) -> HubConfiguration {
        HubConfiguration(
            endpoint: server.endpoint, token: token, cacheDirectory: cacheRoot, offline: offline,
            metadataTimeout: 5, downloadTimeout: 5)
    }

    /// A client whose retries record their delay instead of sleeping (the clock, for `Retry-After` dates,
    /// is `now`).
    func client(
        offline: Bool = false, token: String? = nil, progress: (any DownloadProgress)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> HubClient {
        let delays = self.delays
        let warnings = self.warnings
        return HubClient(
            configuration: configuration(offline: offline, token: token),
            retryPolicy: RetryPolicy(
                maxAttempts: 4, baseDelay: 0.5, maxDelay: 1, sleep: { delays.append($0) }, now: now),
            progress: progress, warning: { warnings.append($0) })
    }

    func locator(offline: Bool = false, token: String? = nil) -> ModelLocator {
        ModelLocator(client: client(offline: offline, token: token))
    }

    func repoDirectory(_ folder: String) -> URL { cacheRoot.appendingPathComponent(folder, isDirectory: true) }

    /// Runs `body`, expecting a `HubError`; returns it.
    func expectHubError(
        _ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line
    ) async -> HubError? {
        do {
            try await body()
            XCTFail("expected a HubError, got success", file: file, line: line)
        } catch let error as HubError {
            return error
        } catch {
            XCTFail("expected a HubError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

/// A thread-safe list that callbacks append to.
final class Recorder<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []
    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}
