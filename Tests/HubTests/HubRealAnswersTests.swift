import Foundation
import HTTPClient
import Hub
import XCTest

/// The Hub as it really answers (2025–2026): rate limits, error headers, expiring signed URLs, mirrors'
/// absolute redirects, compressing proxies. Waits are recorded, never slept.
final class HubRealAnswersTests: HubServerTestCase {
    private let configPath = "/resolve/main/config.json"

    // MARK: 429 and the waits it announces

    func testRetryAfterSecondsIsWaitedPlusOneSecondThenSucceeds() async throws {
        server.throttle(pathSuffix: configPath, .init(retryAfter: "3", times: 1))

        let resolved = try await locator().resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(resolved.commit, HubFixtureRepos.gpt2Commit)
        XCTAssertEqual(delays.all, [4], "Retry-After: 3 → wait 3 s + 1 s, as huggingface_hub's http_backoff")
        XCTAssertTrue(warnings.all.contains { $0.contains("HTTP 429") && $0.contains("waiting 4 s") }, "\(warnings.all)")
    }

    func testRateLimitHeaderWithNoRequestLeftIsWaitedOverRetryAfter() async throws {
        server.throttle(pathSuffix: configPath, .init(retryAfter: "30", rateLimit: "\"api\";r=0;t=7", times: 2))

        _ = try await locator().resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(delays.all, [8, 8], "RateLimit t=7 (r=0) wins over Retry-After, twice")
    }

    func testRetryAfterAsAnHTTPDateIsWaitedUntilThatTime() async throws {
        server.throttle(pathSuffix: configPath, .init(retryAfter: "Sun, 29 Nov 2026 09:00:05 GMT", times: 1))
        let now = Date(timeIntervalSince1970: 1_795_942_800)  // Sun, 29 Nov 2026 09:00:00 GMT

        _ = try await ModelLocator(client: client(now: { now })).resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(delays.all, [6], "5 s until the date, + 1 s")
    }

    func testAnnouncedWaitBeyondTheBoundFailsAtOnceSayingWhenToRetry() async throws {
        server.throttle(pathSuffix: configPath, .init(retryAfter: "3600", times: 10))

        let error = await expectHubError { _ = try await self.locator().resolve("openai-community/gpt2-tiny") }

        XCTAssertEqual(error, .rateLimited(
            repoID: "openai-community/gpt2-tiny",
            url: "\(server.endpoint.absoluteString)/openai-community/gpt2-tiny\(configPath)", retryAfter: 3600))
        XCTAssertEqual(error?.exitCode, 69)
        XCTAssertTrue(error?.description.contains("again in 3600 s") ?? false, error?.description ?? "")
        XCTAssertTrue(delays.all.isEmpty, "no wait of an hour, no pointless retries")
    }

    func testAnnouncedWaitsOfOneRequestAreBoundedInTotal() async throws {
        server.throttle(pathSuffix: configPath, .init(retryAfter: "59", times: 10))

        let delays = self.delays
        let client = HubClient(
            configuration: configuration(),
            retryPolicy: RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 1, sleep: { delays.append($0) }),
            warning: { _ in })

        let error = await expectHubError { _ = try await ModelLocator(client: client).resolve("openai-community/gpt2-tiny") }

        XCTAssertEqual(delays.all, [60, 60, 60], "three 60 s waits fill the 180 s budget; the fourth is refused")
        guard case .rateLimited(_, _, 59)? = error else { return XCTFail("got \(String(describing: error))") }
    }

    func testRateLimitedDownloadWaitsAsAskedAndResumes() async throws {
        let lfs = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        server.throttle(pathSuffix: "/cdn/\(lfs.etag)", .init(status: .serviceUnavailable, retryAfter: "2", times: 1))

        let resolved = try await locator().resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(try Data(contentsOf: resolved.directory.appendingPathComponent("model.safetensors")), lfs.content)
        XCTAssertEqual(delays.all, [3], "503 with Retry-After: 2 → 3 s, instead of the 0.5 s backoff")
    }

    // MARK: X-Error-Code / X-Error-Message

    func testMisspelledIDSaysWhatTheHubSaidAndToCheckTheSpelling() async throws {
        let error = await expectHubError { _ = try await self.locator().resolve("openai-community/gtp2-tiny") }

        guard case .repositoryNotFound("openai-community/gtp2-tiny", _, false, "Repository not found")? = error else {
            return XCTFail("got \(String(describing: error))")
        }
        XCTAssertEqual(error?.exitCode, 69)
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("Check the spelling of 'openai-community/gtp2-tiny'"), message)
        XCTAssertFalse(message.contains("refused"), "a typo is not a refused token: \(message)")
    }

    func testGatedRepositoryWithATokenSaysToRequestAccessOnTheModelPage() async throws {
        let error = await expectHubError {
            _ = try await self.locator(token: HubFixtureRepos.token).resolve("gated/tiny")
        }

        let page = "\(server.endpoint.absoluteString)/gated/tiny"
        guard case .gatedRepository("gated/tiny", _, page, true, let said?)? = error else {
            return XCTFail("got \(String(describing: error))")
        }
        XCTAssertTrue(said.hasPrefix("Access to model gated/tiny is restricted and you are not in the authorized list"))
        XCTAssertEqual(error?.exitCode, 69)
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("Request access on \(page)"), message)
        XCTAssertFalse(message.contains("was refused"), message)
    }

    func testGatedRepositoryWithoutATokenSaysToRequestAccessAndLogIn() async throws {
        let error = await expectHubError { _ = try await self.locator().resolve("gated/tiny") }

        guard case .gatedRepository(_, _, _, false, _)? = error else { return XCTFail("got \(String(describing: error))") }
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("Request access on") && message.contains("hf auth login"), message)

        let granted = try await locator(token: HubFixtureRepos.grantedToken).resolve("gated/tiny")
        XCTAssertEqual(granted.commit, HubFixtureRepos.gatedCommit, "the granted account gets the files")
    }

    func testUnknownRevisionAndMissingFileQuoteTheHub() async throws {
        let revision = await expectHubError { _ = try await self.locator().resolve("openai-community/gpt2-tiny@v9") }
        XCTAssertTrue(revision?.description.contains("the Hub says \"Invalid rev id: v9\"") ?? false,
                      revision?.description ?? "")
        XCTAssertEqual(revision?.exitCode, 69)

        let repo = try HubRepoID("openai-community/gpt2-tiny")
        let missing = await expectHubError { _ = try await self.client().snapshot(repoID: repo, files: ["nope.json"]) }
        guard case .fileNotFound(_, "main", "nope.json", _, "Entry not found")? = missing else {
            return XCTFail("got \(String(describing: missing))")
        }
    }

    // MARK: Expired signed CDN URLs

    func testExpiredSignedCDNURLIsRenewedWithAFreshHEADAndTheDownloadContinues() async throws {
        let lfs = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        server.cdnHost = "localhost"
        server.signedURLsExpireAfterOneUse = true
        server.cutOnceHalfway(sha: lfs.etag)

        let resolved = try await locator().resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(try Data(contentsOf: resolved.directory.appendingPathComponent("model.safetensors")), lfs.content)
        let cdn = server.gets.filter { $0.path == "/cdn/\(lfs.etag)" }
        XCTAssertEqual(cdn.map { $0.headers["range"] ?? "none" },
                       ["none", "bytes=\(lfs.content.count / 2)-", "bytes=\(lfs.content.count / 2)-"],
                       "cut, refused (expired), resumed with a fresh URL")
        XCTAssertEqual(cdn.map { $0.query.components(separatedBy: "&").last }, ["Signature=1", "Signature=1", "Signature=2"])
        XCTAssertEqual(server.heads.filter { $0.path.hasSuffix("/model.safetensors") }.count, 2, "one fresh HEAD")
        XCTAssertTrue(warnings.all.contains { $0.contains("expire") && $0.contains("model.safetensors") }, "\(warnings.all)")
    }

    func testRefusalFromTheHubsOwnHostIsNotTakenForAnExpiredLink() async throws {
        let lfs = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        server.signedURLsExpireAfterOneUse = true
        server.cutOnceHalfway(sha: lfs.etag)

        let error = await expectHubError { _ = try await self.locator().resolve("openai-community/gpt2-tiny") }

        guard case .unauthorized(_, 403, false, _, _)? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertEqual(server.heads.filter { $0.path.hasSuffix("/model.safetensors") }.count, 1, "no renewal")
    }

    // MARK: Mirrors and proxies

    func testAbsolute308ToAMirrorIsFollowedAndTheTokenStaysWithTheEndpoint() async throws {
        server.mirrorHost = "localhost"

        let resolved = try await locator(token: HubFixtureRepos.token).resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(resolved.commit, HubFixtureRepos.gpt2Commit)
        let fixture = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"])
        for (name, file) in fixture.files {
            XCTAssertEqual(try Data(contentsOf: resolved.directory.appendingPathComponent(name)), file.content, name)
        }
        let toEndpoint = server.requests.filter { $0.headers["host"]?.hasPrefix("127.0.0.1") == true }
        let toMirror = server.requests.filter { $0.headers["host"]?.hasPrefix("localhost") == true }
        XCTAssertEqual(toEndpoint.count, fixture.files.count, "one HEAD per file, each answered 308")
        XCTAssertTrue(toEndpoint.allSatisfy { $0.headers["authorization"] == "Bearer \(HubFixtureRepos.token)" })
        XCTAssertFalse(toMirror.isEmpty)
        XCTAssertTrue(toMirror.allSatisfy { $0.headers["authorization"] == nil }, "another host never sees the token")
    }

    func testHEADWithoutContentLengthBehindACompressingProxyIsAcceptedWithAnUnknownSize() async throws {
        server.gzipSmallFiles = true
        let lines = Recorder<String>()
        let progress = TerminalProgress(mode: .plain, write: { lines.append($0) })

        let resolved = try await ModelLocator(client: client(progress: progress)).resolve("openai-community/gpt2-tiny")

        let fixture = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"])
        for (name, file) in fixture.files {
            XCTAssertEqual(try Data(contentsOf: resolved.directory.appendingPathComponent(name)), file.content, name)
        }
        let text = lines.all.joined()
        XCTAssertTrue(text.contains("Downloading config.json (size unknown)\n"), text)
        let configSize = try XCTUnwrap(fixture.files["config.json"]).content.count
        XCTAssertTrue(text.contains("Downloaded config.json (\(configSize) B in "), text)
        XCTAssertTrue(text.contains("Downloading model.safetensors (300.0 kB)\n"), "X-Linked-Size still gives LFS sizes")
    }
}
