import Foundation
@testable import Hub
import XCTest

/// Downloads into an empty cache, re-use, renamed repositories, resume, corruption.
final class HubDownloadTests: HubServerTestCase {
    private let gpt2Files = ["config.json", "model.safetensors", "vocab.json", "merges.txt", "generation_config.json"]

    func testFirstDownloadLaysOutTheCacheLikeHuggingFaceHub() async throws {
        let resolved = try await locator().resolve("openai-community/gpt2-tiny")

        let repo = repoDirectory("models--openai-community--gpt2-tiny")
        let commit = HubFixtureRepos.gpt2Commit
        let snapshot = repo.appendingPathComponent("snapshots/\(commit)", isDirectory: true)
        XCTAssertEqual(resolved.directory.standardizedFileURL, snapshot.standardizedFileURL)
        XCTAssertEqual(resolved.repoID, "openai-community/gpt2-tiny")
        XCTAssertEqual(resolved.revision, "main")
        XCTAssertEqual(resolved.commit, commit)

        let manager = FileManager.default
        let fixture = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"])
        for name in gpt2Files {
            let file = try XCTUnwrap(fixture.files[name])
            let link = snapshot.appendingPathComponent(name)
            let target = try manager.destinationOfSymbolicLink(atPath: link.path)
            XCTAssertEqual(target, "../../blobs/\(file.etag)", "\(name) must be a relative link to its blob")
            let blob = repo.appendingPathComponent("blobs/\(file.etag)")
            XCTAssertEqual(try Data(contentsOf: blob), file.content, "blob of \(name)")
            XCTAssertEqual(try Data(contentsOf: link), file.content, "\(name) through the link")
        }
        let refData = try Data(contentsOf: repo.appendingPathComponent("refs/main"))
        XCTAssertEqual(refData, Data(commit.utf8), "refs/main holds the commit, no trailing newline")
        let blobs = try manager.contentsOfDirectory(atPath: repo.appendingPathComponent("blobs").path)
        XCTAssertEqual(Set(blobs), Set(fixture.files.filter { gpt2Files.contains($0.key) }.map(\.value.etag)))
        XCTAssertEqual(try manager.contentsOfDirectory(atPath: repo.appendingPathComponent("refs").path), ["main"])
        XCTAssertTrue(
            manager.fileExists(atPath: cacheRoot.appendingPathComponent(".locks/models--openai-community--gpt2-tiny").path))
        let tag = try String(contentsOf: cacheRoot.appendingPathComponent("CACHEDIR.TAG"), encoding: .utf8)
        XCTAssertTrue(tag.hasPrefix("Signature: 8a477f597d28d172789f06886806bc55\n"), tag)

        let lfsETag = try XCTUnwrap(fixture.files["model.safetensors"]).etag
        XCTAssertEqual(server.gets.filter { $0.path == "/cdn/\(lfsETag)" }.count, 1, "LFS bytes come from the CDN path")
        XCTAssertEqual(server.gets.count, gpt2Files.count)
        XCTAssertTrue(server.requests.allSatisfy { $0.headers["authorization"] == nil }, "no token configured")
    }

    func testSecondRunMakesNoGETAndAtMostOneHEAD() async throws {
        let first = try await locator().resolve("openai-community/gpt2-tiny")
        let getsAfterFirst = server.gets.count
        let headsAfterFirst = server.heads.count

        let second = try await locator().resolve("openai-community/gpt2-tiny")
        XCTAssertEqual(second, first)
        XCTAssertEqual(server.gets.count, getsAfterFirst, "a cached model is not downloaded again")
        XCTAssertEqual(
            server.heads.count - headsAfterFirst, 2,
            "one HEAD (and its resolve-cache hop) learns the commit; the snapshot has the rest")

        let pinned = try await locator().resolve("openai-community/gpt2-tiny@\(HubFixtureRepos.gpt2Commit)")
        XCTAssertEqual(pinned.directory, first.directory)
        XCTAssertEqual(server.requests.count, getsAfterFirst + headsAfterFirst + 2, "a cached commit needs no request")
    }

    func testRenamedRepositoryIsFollowedAndCachedUnderTheRequestedID() async throws {
        let resolved = try await locator().resolve("distilgpt2-tiny")

        let repo = repoDirectory("models--distilgpt2-tiny")
        XCTAssertEqual(resolved.commit, HubFixtureRepos.distilCommit)
        XCTAssertEqual(resolved.directory.standardizedFileURL,
                       repo.appendingPathComponent("snapshots/\(HubFixtureRepos.distilCommit)").standardizedFileURL)
        XCTAssertTrue(server.heads.contains { $0.path == "/distilgpt2-tiny/resolve/main/config.json" })
        XCTAssertTrue(server.heads.contains { $0.path == "/distilbert/distilgpt2-tiny/resolve/main/config.json" })
        let marker = repo.appendingPathComponent(".no_exist/\(HubFixtureRepos.distilCommit)/generation_config.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker.path), "a 404 on an optional file is remembered")
        XCTAssertFalse(FileManager.default.fileExists(
            atPath: resolved.directory.appendingPathComponent("generation_config.json").path))

        let requestsAfterFirst = server.requests.count
        _ = try await locator().resolve("distilgpt2-tiny")
        XCTAssertEqual(server.gets.count, 4)
        XCTAssertEqual(server.requests.count - requestsAfterFirst, 3, "one HEAD plus its rename and resolve-cache hops")
    }

    func testConnectionCutMidFileResumesWithARangeRequest() async throws {
        let lfs = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        server.cutOnceHalfway(sha: lfs.etag)

        let resolved = try await locator().resolve("openai-community/gpt2-tiny")

        let cdnGets = server.gets.filter { $0.path == "/cdn/\(lfs.etag)" }
        XCTAssertEqual(cdnGets.count, 2, "one cut download, one resumed")
        XCTAssertNil(cdnGets[0].headers["range"])
        XCTAssertEqual(cdnGets[1].headers["range"], "bytes=\(lfs.content.count / 2)-")
        XCTAssertEqual(try Data(contentsOf: resolved.directory.appendingPathComponent("model.safetensors")), lfs.content)
        XCTAssertEqual(delays.all, [0.5], "one retry after the cut, with the base delay")
        XCTAssertTrue(warnings.all.contains { $0.contains("model.safetensors") && $0.contains("interrupted") })
    }

    func testPartialFileLeftByAnEarlierProcessIsResumed() async throws {
        let lfs = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        let blobs = repoDirectory("models--openai-community--gpt2-tiny").appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        let kept = 123_457
        try lfs.content.prefix(kept).write(to: blobs.appendingPathComponent("\(lfs.etag).incomplete"))

        let resolved = try await locator().resolve("openai-community/gpt2-tiny")

        let cdnGets = server.gets.filter { $0.path == "/cdn/\(lfs.etag)" }
        XCTAssertEqual(cdnGets.map { $0.headers["range"] }, ["bytes=\(kept)-"])
        XCTAssertEqual(try Data(contentsOf: resolved.directory.appendingPathComponent("model.safetensors")), lfs.content)
        XCTAssertFalse(FileManager.default.fileExists(atPath: blobs.appendingPathComponent("\(lfs.etag).incomplete").path))
    }

    func testGarbledPartialFileIsDetectedAndDownloadedAgain() async throws {
        let lfs = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        let blobs = repoDirectory("models--openai-community--gpt2-tiny").appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try Data(repeating: 0xEE, count: 1000).write(to: blobs.appendingPathComponent("\(lfs.etag).incomplete"))

        let resolved = try await locator().resolve("openai-community/gpt2-tiny")

        let ranges = server.gets.filter { $0.path == "/cdn/\(lfs.etag)" }.map { $0.headers["range"] ?? "none" }
        XCTAssertEqual(ranges, ["bytes=1000-", "none"], "resumed, failed the SHA-256 check, started over")
        XCTAssertEqual(try Data(contentsOf: resolved.directory.appendingPathComponent("model.safetensors")), lfs.content)
        // What it found, and that it starts over, without the error's own "run the command again" (a review).
        let warning = try XCTUnwrap(warnings.all.first { $0.contains("failed verification") }, "\(warnings.all)")
        XCTAssertTrue(warning.hasPrefix("model.safetensors of 'openai-community/gpt2-tiny' failed verification after "
            + "resuming from byte 1000 (SHA-256 "), warning)
        XCTAssertTrue(warning.hasSuffix(", expected \(lfs.etag)); the kept part is deleted and the whole file downloaded "
            + "again."), warning)
        XCTAssertFalse(warning.contains("run the command again"), warning)
    }

    func testBodyWithTheWrongSHA256IsRejectedAndLeavesNothingBehind() async throws {
        let lfs = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        server.corruptBody(sha: lfs.etag)

        let error = await expectHubError { _ = try await self.locator().resolve("openai-community/gpt2-tiny") }

        guard case .hashMismatch(let id, let file, let expected, _)? = error else {
            return XCTFail("expected hashMismatch, got \(String(describing: error))")
        }
        XCTAssertEqual([id, file, expected], ["openai-community/gpt2-tiny", "model.safetensors", lfs.etag])
        XCTAssertEqual(error?.exitCode, 65)
        let repo = repoDirectory("models--openai-community--gpt2-tiny")
        let manager = FileManager.default
        XCTAssertFalse(manager.fileExists(atPath: repo.appendingPathComponent("snapshots").path), "no snapshot")
        XCTAssertFalse(manager.fileExists(atPath: repo.appendingPathComponent("refs").path), "no ref")
        let blobs = try manager.contentsOfDirectory(atPath: repo.appendingPathComponent("blobs").path)
        XCTAssertFalse(blobs.contains { $0.hasPrefix(lfs.etag) }, "neither blob nor partial file: \(blobs)")
    }

    /// A hostile review: a 0-byte file (Content-Length: 0) was never created, and the rename into place failed with
    /// exit 74. It is stored as it is (a model loader then judges its content).
    func testAnEmptyFileIsStored() async throws {
        let resolved = try await locator().resolve("empty/tiny")
        XCTAssertEqual(try Data(contentsOf: resolved.directory.appendingPathComponent("generation_config.json")), Data())
    }

    /// A hostile review: a mirror that announced no size and streamed without end wrote 4 GB of config.json in 20 s.
    /// The bytes written stop at the file's limit, with exit 65, and an announced size beyond it is refused.
    func testADownloadStopsAtTheFileLimit() throws {
        XCTAssertEqual(BlobDownloader.maximumBytes(of: "model.safetensors"), 16 << 30)
        XCTAssertEqual(BlobDownloader.maximumBytes(of: "config.json"), 64 << 20)
        let partial = cacheRoot.appendingPathComponent("limit.incomplete")
        try FileManager.default.createDirectory(at: cacheRoot, withIntermediateDirectories: true)
        let sink = try PartialFileSink(
            url: partial, offset: 0, expected: nil, limit: 10, repo: try HubRepoID("org/inf"), file: "config.json",
            progress: nil)
        try sink.write(Data(repeating: 65, count: 8))
        XCTAssertThrowsError(try sink.write(Data(repeating: 65, count: 3))) { error in
            guard case HubError.fileTooLarge(let id, let file, let limit, let size)? = error as? HubError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual([id, file], ["org/inf", "config.json"])
            XCTAssertEqual([limit, size], [10, 11])
            XCTAssertEqual((error as? HubError)?.exitCode, 65)
        }
        try sink.close()
        XCTAssertEqual(try Data(contentsOf: partial).count, 8, "nothing past the limit is written")
    }

    func testListingDescribesCachedModels() async throws {
        _ = try await locator().resolve("openai-community/gpt2-tiny")
        _ = try await locator().resolve("distilgpt2-tiny")

        let models = try HubCache(root: cacheRoot).listModels()

        XCTAssertEqual(models.map(\.repoID), ["distilgpt2-tiny", "openai-community/gpt2-tiny"])
        let gpt2 = models[1]
        let fixture = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"])
        XCTAssertEqual(gpt2.sizeOnDisk, Int64(fixture.files.values.reduce(0) { $0 + $1.content.count }))
        XCTAssertEqual(gpt2.path.standardizedFileURL, repoDirectory("models--openai-community--gpt2-tiny").standardizedFileURL)
        XCTAssertEqual(gpt2.revisions.map(\.commit), [HubFixtureRepos.gpt2Commit])
        XCTAssertEqual(gpt2.revisions.first?.refs, ["main"])
        XCTAssertEqual(gpt2.revisions.first?.files, gpt2Files.sorted())
        XCTAssertEqual(try HubCache(root: cacheRoot).snapshotDirectory(
            for: HubRepoID("distilgpt2-tiny"), revision: "main")?.lastPathComponent, HubFixtureRepos.distilCommit)
    }

    func testProgressIsReportedForEachDownloadedFile() async throws {
        let lines = Recorder<String>()
        let progress = TerminalProgress(mode: .plain, write: { lines.append($0) })
        _ = try await ModelLocator(client: client(progress: progress)).resolve("openai-community/gpt2-tiny")

        let text = lines.all.joined()
        XCTAssertTrue(text.contains("Downloading model.safetensors (300.0 kB)\n"), text)
        XCTAssertTrue(text.contains("Downloaded model.safetensors (300.0 kB in "), text)
        XCTAssertEqual(lines.all.count, 2 * gpt2Files.count, text)
    }
}
