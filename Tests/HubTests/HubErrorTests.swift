import Foundation
import Hub
import TestSupport
import XCTest

/// HTTP errors, retries, tokens, pickle-only repositories, hostile names, local directories.
final class HubErrorTests: HubServerTestCase {
    func testPrivateRepositoryWithoutATokenHintsAtHFTokenAndLogin() async throws {
        let error = await expectHubError { _ = try await self.locator().resolve("private/tiny") }

        XCTAssertEqual(error, .repositoryNotFound(
            repoID: "private/tiny", url: "\(server.endpoint.absoluteString)/private/tiny/resolve/main/config.json",
            tokenSent: false, hubMessage: "Repository not found"))
        XCTAssertEqual(error?.exitCode, 69)
        let message = error?.description ?? ""
        for needle in ["HF_TOKEN", "hf auth login", "Check the spelling of 'private/tiny'", "\"Repository not found\""] {
            XCTAssertTrue(message.contains(needle), "lacks \(needle): \(message)")
        }
        XCTAssertTrue(delays.all.isEmpty, "a refusal is not retried")
    }

    func testTokenGoesToTheHubButNotToAnotherHostAfterARedirect() async throws {
        server.cdnHost = "localhost"

        let resolved = try await locator(token: HubFixtureRepos.token).resolve("private/tiny")

        XCTAssertEqual(resolved.commit, HubFixtureRepos.privateCommit)
        let bearer = "Bearer \(HubFixtureRepos.token)"
        let hub = server.requests.filter { !$0.path.hasPrefix("/cdn/") }
        let cdn = server.requests.filter { $0.path.hasPrefix("/cdn/") }
        XCTAssertEqual(cdn.count, 1)
        XCTAssertTrue(hub.allSatisfy { $0.headers["authorization"] == bearer }, "every Hub request carries the token")
        XCTAssertEqual(cdn.first?.headers["host"]?.hasPrefix("localhost"), true)
        XCTAssertNil(cdn.first?.headers["authorization"], "the CDN on another host never sees the token")
    }

    func testDownloadRedirectToAnotherHostDropsTheToken() async throws {
        server.bounceHost = "localhost"

        _ = try await locator(token: HubFixtureRepos.token).resolve("private/tiny")

        let bearer = "Bearer \(HubFixtureRepos.token)"
        let first = server.gets.filter { $0.path.hasPrefix("/cdn/") }
        let final = server.gets.filter { $0.path.hasPrefix("/cdn-final/") }
        XCTAssertEqual(first.count, 1)
        XCTAssertEqual(final.count, 1)
        XCTAssertEqual(first.first?.headers["authorization"], bearer, "same host as the Hub: the token is sent")
        XCTAssertNil(final.first?.headers["authorization"], "redirected to another host: the token is dropped")
    }

    func testUnknownRepositoryIsRepoNotFoundWithExitCode69() async throws {
        let error = await expectHubError { _ = try await self.locator().resolve("nobody/nothing") }

        guard case .repositoryNotFound(let id, _, _, _)? = error else {
            return XCTFail("expected repositoryNotFound, got \(String(describing: error))")
        }
        XCTAssertEqual(id, "nobody/nothing")
        XCTAssertEqual(error?.exitCode, 69)
    }

    func testUnknownRevisionIsReported() async throws {
        let error = await expectHubError { _ = try await self.locator().resolve("openai-community/gpt2-tiny@v9") }

        guard case .revisionNotFound(_, let revision, _, _)? = error else {
            return XCTFail("expected revisionNotFound, got \(String(describing: error))")
        }
        XCTAssertEqual(revision, "v9")
    }

    func testServerErrorsAreRetriedWithBackoffThenSucceed() async throws {
        server.fail(pathSuffix: "/resolve/main/config.json", times: 2)
        let lfs = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        server.fail(pathSuffix: "/cdn/\(lfs.etag)", times: 1)

        let resolved = try await locator().resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(resolved.commit, HubFixtureRepos.gpt2Commit)
        XCTAssertEqual(server.heads.filter { $0.path.hasSuffix("/resolve/main/config.json") }.count, 3, "two 500s, then 307")
        XCTAssertEqual(server.gets.filter { $0.path.hasPrefix("/cdn/") }.count, 2, "one 500, then the bytes")
        XCTAssertEqual(delays.all, [0.5, 1, 0.5], "HEAD: 0.5 s then 1 s; GET: 0.5 s")
        // Each retry of the metadata is said (a hostile review: a Hub that did not answer gave a minute of silence).
        let retries = warnings.all.filter { $0.hasPrefix("asking the Hub failed (") }
        XCTAssertEqual(retries.count, 2, "\(warnings.all)")
        XCTAssertTrue(retries.first?.hasSuffix("; trying again in 0.5 s (attempt 2 of 4).") == true, "\(retries)")
        XCTAssertTrue(retries.last?.hasSuffix("; trying again in 1 s (attempt 3 of 4).") == true, "\(retries)")
    }

    func testPickleOnlyRepositoryIsRefusedWithExitCode65() async throws {
        let error = await expectHubError { _ = try await self.locator().resolve("legacy/pickle-only") }

        XCTAssertEqual(error, .pickleOnly(repoID: "legacy/pickle-only", revision: "main"))
        XCTAssertEqual(error?.exitCode, 65)
        XCTAssertTrue(error?.description.contains("safetensors") ?? false)
        XCTAssertFalse(server.gets.contains { $0.path.contains("pytorch_model.bin") }, "pickle is never downloaded")
    }

    func testHostileIDsRevisionsAndFileNamesAreRefusedWithoutARequest() async throws {
        let ids = ["../etc", "a/../b", "org//name", "org/", "/abs", "a\\b", "a\u{0}b", "a\nb", "a/b/c", "", "org/na--me",
                   "..", ".", "-org/name", "org/name.", "o rg/name", String(repeating: "a", count: 97)]
        for id in ids {
            let error = await expectHubError { _ = try HubRepoID(id) }
            guard case .invalidRepoID? = error else {
                XCTFail("id \(id.debugDescription): expected invalidRepoID, got \(String(describing: error))")
                continue
            }
            XCTAssertEqual(error?.exitCode, 64)
        }
        let viaLocator = await expectHubError { _ = try await self.locator().resolve("org/../../etc") }
        // Shaped like a path, it is told it names no directory and why it is no Hub id either (still exit 64).
        guard case .invalidModelSpec(_, let reason)? = viaLocator else { return XCTFail("got \(String(describing: viaLocator))") }
        XCTAssertTrue(reason.hasSuffix("(and it is not a Hub id: it has more than one '/')"), reason)
        XCTAssertEqual(viaLocator?.exitCode, 64)
        let revisions = ["../../x", "/abs", "a\\b", "a//b", "..", "main\n", "", "refs/../../x", "x/."]
        for revision in revisions {
            let error = await expectHubError { _ = try await self.locator().resolve("gpt2@\(revision)") }
            guard case .invalidRevision? = error else {
                XCTFail("revision \(revision.debugDescription): expected invalidRevision, got \(String(describing: error))")
                continue
            }
            XCTAssertEqual(error?.exitCode, 64)
        }
        let repo = try HubRepoID("openai-community/gpt2-tiny")
        for name in ["../x", "/etc/passwd", "a\\b", "a//b", "", "sub/../../x", "tab\tname"] {
            let error = await expectHubError { _ = try await self.client().snapshot(repoID: repo, files: [name]) }
            guard case .invalidFileName? = error else {
                XCTFail("file \(name.debugDescription): expected invalidFileName, got \(String(describing: error))")
                continue
            }
            XCTAssertEqual(error?.exitCode, 64)
        }
        XCTAssertTrue(server.requests.isEmpty, "nothing hostile reaches the network")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cacheRoot.path), [], "nor the disk")
    }

    func testLocalDirectoriesAreUsedAsTheyAre() async throws {
        let directory = Fixtures.url("models/tiny-gpt2")
        let resolved = try await locator().resolve(directory.path)
        XCTAssertEqual(resolved, ResolvedModel(
            directory: directory.standardizedFileURL, repoID: nil, revision: nil, commit: nil))

        let incomplete = try Fixtures.temporaryDirectory("hub-incomplete-model")
        defer { try? FileManager.default.removeItem(at: incomplete) }
        try Data("{}".utf8).write(to: incomplete.appendingPathComponent("config.json"))
        let error = await expectHubError { _ = try await self.locator().resolve(incomplete.path) }
        XCTAssertEqual(error, .localModelIncomplete(
            directory: incomplete.standardizedFileURL.path, missing: ["model.safetensors", "vocab.json", "merges.txt"]))
        XCTAssertEqual(error?.exitCode, 65)

        let missing = await expectHubError { _ = try await self.locator().resolve("./no-such-model-dir") }
        guard case .invalidModelSpec? = missing else { return XCTFail("got \(String(describing: missing))") }
        XCTAssertEqual(missing?.exitCode, 64)
        // Practitioner's review: a relative link in a loop (`m/loop`, shaped like a Hub id) went to the Hub.
        let loopFolder = try Fixtures.temporaryDirectory("hub-loop-model")
        defer { try? FileManager.default.removeItem(at: loopFolder) }
        let loop = loopFolder.appendingPathComponent("loop")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: "loop")
        let looped = await expectHubError { _ = try await self.locator().resolve(loop.path) }
        guard case .invalidModelSpec(_, let reason)? = looped else { return XCTFail("got \(String(describing: looped))") }
        XCTAssertTrue(reason.contains("goes through a symbolic link that leads in a loop"), reason)
        // A loop on the way (review: `loopa/x` went to the Hub).
        let onTheWay = await expectHubError { _ = try await self.locator().resolve(loop.path + "/x") }
        guard case .invalidModelSpec(_, let wayReason)? = onTheWay else { return XCTFail("got \(String(describing: onTheWay))") }
        XCTAssertTrue(wayReason.contains("goes through a symbolic link that leads in a loop"), wayReason)
        XCTAssertTrue(server.requests.isEmpty)
    }
}
