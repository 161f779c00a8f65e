import Foundation
import Hub
import XCTest
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Offline mode, the unreachable-Hub fallback, and a cache written the way Python's huggingface_hub writes it.
final class HubOfflineTests: HubServerTestCase {
    func testOfflineResolvesFromTheCacheWithTheServerStopped() async throws {
        let online = try await locator().resolve("openai-community/gpt2-tiny")
        try await server.stop()

        let offline = try await locator(offline: true).resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(offline, online)
        XCTAssertTrue(warnings.all.isEmpty, "offline by request is not worth a warning: \(warnings.all)")
    }

    func testOfflineFromTheEnvironmentVariable() async throws {
        _ = try await locator().resolve("openai-community/gpt2-tiny")
        let requestsBefore = server.requests.count
        var configuration = try HubConfiguration.fromEnvironment(["HF_HUB_OFFLINE": "1", "HOME": "/nonexistent"])
        XCTAssertTrue(configuration.offline)
        configuration.cacheDirectory = cacheRoot
        configuration.endpoint = server.endpoint

        let resolved = try await ModelLocator(configuration: configuration, warning: { _ in }).resolve(
            "openai-community/gpt2-tiny")

        XCTAssertEqual(resolved.commit, HubFixtureRepos.gpt2Commit)
        XCTAssertEqual(server.requests.count, requestsBefore, "offline makes no request")
    }

    func testUnreachableHubFallsBackToACompleteSnapshotWithAWarning() async throws {
        let online = try await locator().resolve("openai-community/gpt2-tiny")
        try await server.stop()

        let fallback = try await locator().resolve("openai-community/gpt2-tiny")

        XCTAssertEqual(fallback, online)
        XCTAssertEqual(warnings.all.count, 1)
        let warning = warnings.all.first ?? ""
        XCTAssertTrue(warning.contains("cannot reach the Hub"), warning)
        XCTAssertTrue(warning.contains(HubFixtureRepos.gpt2Commit), warning)
        XCTAssertTrue(delays.all.isEmpty, "a usable cache is used at once, without retries")
    }

    func testUnreachableAndNotCachedFailsWithExitCode69() async throws {
        try await server.stop()

        let error = await expectHubError { _ = try await self.locator().resolve("openai-community/gpt2-tiny") }

        guard case .unreachable? = error else { return XCTFail("expected unreachable, got \(String(describing: error))") }
        XCTAssertEqual(error?.exitCode, 69)
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("openai-community/gpt2-tiny"), message)
        XCTAssertTrue(message.contains(repoDirectory("models--openai-community--gpt2-tiny").path), message)
        XCTAssertTrue(message.contains("biasaudit models pull openai-community/gpt2-tiny"), message)
        XCTAssertEqual(delays.all, [0.5, 1, 1], "bounded exponential backoff before giving up")
    }

    func testUnknownModelOfflineNamesTheIDTheCacheAndTheFix() async throws {
        let error = await expectHubError { _ = try await self.locator(offline: true).resolve("nobody/nothing") }

        guard case .notCached(_, _, _, let missing, _)? = error else {
            return XCTFail("expected notCached, got \(String(describing: error))")
        }
        XCTAssertEqual(missing, ModelLocator.requiredFiles)
        XCTAssertEqual(error?.exitCode, 69)
        let message = error?.description ?? ""
        for needle in ["nobody/nothing", repoDirectory("models--nobody--nothing").path,
                       "biasaudit models pull nobody/nothing", "HF_HUB_OFFLINE"] {
            XCTAssertTrue(message.contains(needle), "message lacks '\(needle)': \(message)")
        }
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testCacheWrittenByPythonIsUsedOfflineAndOnlineWithoutDownloading() async throws {
        let commit = HubFixtureRepos.gpt2Commit
        let fixture = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"])
        let repo = repoDirectory("models--openai-community--gpt2-tiny")
        let manager = FileManager.default
        let snapshot = repo.appendingPathComponent("snapshots/\(commit)", isDirectory: true)
        try manager.createDirectory(at: repo.appendingPathComponent("blobs"), withIntermediateDirectories: true)
        try manager.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try manager.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try manager.createDirectory(at: repo.appendingPathComponent(".no_exist/\(commit)"), withIntermediateDirectories: true)
        for name in ModelLocator.requiredFiles {
            let file = try XCTUnwrap(fixture.files[name])
            try file.content.write(to: repo.appendingPathComponent("blobs/\(file.etag)"))
            try manager.createSymbolicLink(
                atPath: snapshot.appendingPathComponent(name).path, withDestinationPath: "../../blobs/\(file.etag)")
        }
        try Data(commit.utf8).write(to: repo.appendingPathComponent("refs/main"))
        try Data().write(to: repo.appendingPathComponent(".no_exist/\(commit)/generation_config.json"))

        let offline = try await locator(offline: true).resolve("openai-community/gpt2-tiny")
        XCTAssertEqual(offline.directory.standardizedFileURL, snapshot.standardizedFileURL)
        XCTAssertEqual(offline.commit, commit)
        XCTAssertTrue(server.requests.isEmpty)

        let online = try await locator().resolve("openai-community/gpt2-tiny")
        XCTAssertEqual(online, offline)
        XCTAssertTrue(server.gets.isEmpty, "nothing downloaded: \(server.gets.map(\.path))")
        XCTAssertEqual(server.heads.count, 2, "one HEAD and its resolve-cache hop")
    }

    /// A short commit hash never used online has no ref offline: the message says so, without calling cached files
    /// missing, and its pull advice keeps the revision (review: it advised pulling main).
    func testAShortHashNeverUsedOnlineSaysWhatToPull() async throws {
        _ = try await locator().resolve("openai-community/gpt2-tiny")
        let short = String(HubFixtureRepos.gpt2Commit.prefix(7))
        let error = await expectHubError {
            _ = try await self.locator(offline: true).resolve("openai-community/gpt2-tiny@\(short)")
        }
        guard case .notCached(_, _, _, let missing, _)? = error else {
            return XCTFail("expected notCached, got \(String(describing: error))")
        }
        XCTAssertEqual(missing, [], "the files are cached, under the full commit's snapshot")
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("no snapshot is recorded for this revision"), message)
        XCTAssertTrue(message.contains("biasaudit models pull openai-community/gpt2-tiny@\(short)"), message)
        XCTAssertFalse(message.contains("offline mode is on"), message)
    }

    func testIncompleteCachedSnapshotOfflineListsTheMissingFiles() async throws {
        _ = try await locator().resolve("openai-community/gpt2-tiny")
        let link = repoDirectory("models--openai-community--gpt2-tiny")
            .appendingPathComponent("snapshots/\(HubFixtureRepos.gpt2Commit)/merges.txt")
        try FileManager.default.removeItem(at: link)

        let error = await expectHubError { _ = try await self.locator(offline: true).resolve("openai-community/gpt2-tiny") }

        let snapshot = repoDirectory("models--openai-community--gpt2-tiny")
            .appendingPathComponent("snapshots/\(HubFixtureRepos.gpt2Commit)")
        XCTAssertEqual(error, .notCached(
            repoID: "openai-community/gpt2-tiny", revision: "main",
            cachePath: repoDirectory("models--openai-community--gpt2-tiny").path, missing: ["merges.txt"],
            snapshot: snapshot.path))

        // A loop of links in its place is named as one (a review: it was reported as "missing" alone).
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "loop")
        try FileManager.default.createSymbolicLink(atPath: snapshot.appendingPathComponent("loop").path,
                                                   withDestinationPath: "merges.txt")
        let looped = await expectHubError { _ = try await self.locator(offline: true).resolve("openai-community/gpt2-tiny") }
        let message = looped.map { "\($0)" } ?? ""
        XCTAssertTrue(message.contains("(missing: merges.txt; merges.txt is a symbolic link to 'loop', which leads to no file "
            + "(a loop or a chain of links))"), message)

        // A link to a folder is one (a code review: it was said not to exist).
        try FileManager.default.removeItem(at: link)
        try FileManager.default.createDirectory(at: snapshot.appendingPathComponent("adir"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "adir")
        let folder = await expectHubError { _ = try await self.locator(offline: true).resolve("openai-community/gpt2-tiny") }
        let folderMessage = folder.map { "\($0)" } ?? ""
        XCTAssertTrue(folderMessage.contains("(missing: merges.txt; merges.txt is a symbolic link to 'adir', which is a folder, "
            + "not a file)"), folderMessage)
    }

    /// A hostile review: a snapshot file linked to /dev/zero, or to a blob that is a FIFO, was "in the cache" (`models
    /// path` printed the folder, exit 0) though `models list` flagged it and loading refused it; and the loader's "name a
    /// regular file" spoke of a file the user never named. Such a snapshot is not cached (exit 69), with the reason and
    /// the cache folder to delete.
    func testASnapshotFileThatIsAFIFOOrADeviceIsNotCachedAndTheFolderToDeleteIsNamed() async throws {
        _ = try await locator().resolve("openai-community/gpt2-tiny")
        let repo = repoDirectory("models--openai-community--gpt2-tiny")
        let snapshot = repo.appendingPathComponent("snapshots/\(HubFixtureRepos.gpt2Commit)")
        let config = snapshot.appendingPathComponent("config.json"), vocab = snapshot.appendingPathComponent("vocab.json")
        try FileManager.default.removeItem(at: config)
        try FileManager.default.createSymbolicLink(atPath: config.path, withDestinationPath: "/dev/zero")
        try FileManager.default.removeItem(at: vocab)
        XCTAssertEqual(mkfifo(repo.appendingPathComponent("blobs/fifo").path, 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: vocab.path, withDestinationPath: "../../blobs/fifo")

        let error = await expectHubError { _ = try await self.locator(offline: true).resolve("openai-community/gpt2-tiny") }
        XCTAssertEqual(error, .notCached(
            repoID: "openai-community/gpt2-tiny", revision: "main", cachePath: repo.path,
            missing: ["config.json", "vocab.json"], snapshot: snapshot.path))
        XCTAssertEqual(error?.exitCode, 69)
        let message = error.map { "\($0)" } ?? ""
        XCTAssertTrue(message.contains("(missing: config.json, vocab.json; config.json is a device or socket, not a file; "
            + "vocab.json is a FIFO, not a file). Delete the cache folder \(repo.path), then run `biasaudit models pull "
            + "openai-community/gpt2-tiny`"), message)
    }
}

/// Caches written by huggingface_hub with Xet storage (or assembled by other tools): blob names need not be
/// content hashes and blobs may be links; sizes are the content's.
final class HubForeignCacheTests: HubServerTestCase {
    func testSizesAreRealSizesThroughLinksAndBlobNamesAreNotTrusted() async throws {
        let commit = HubFixtureRepos.gpt2Commit
        let fixture = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"])
        let repo = repoDirectory("models--openai-community--gpt2-tiny")
        let manager = FileManager.default
        let snapshot = repo.appendingPathComponent("snapshots/\(commit)", isDirectory: true)
        let store = cacheRoot.appendingPathComponent("xet-store", isDirectory: true)
        for directory in [repo.appendingPathComponent("blobs"), snapshot, repo.appendingPathComponent("refs"), store] {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        // A 64-hex name that is not the content's SHA-256 (a Xet hash), the blob itself a link into a store.
        let weights = try XCTUnwrap(fixture.files["model.safetensors"])
        let xetName = String(repeating: "ab", count: 32)
        try weights.content.write(to: store.appendingPathComponent("chunked-weights"))
        try manager.createSymbolicLink(
            atPath: repo.appendingPathComponent("blobs/\(xetName)").path, withDestinationPath: "../../xet-store/chunked-weights")
        try manager.createSymbolicLink(
            atPath: snapshot.appendingPathComponent("model.safetensors").path, withDestinationPath: "../../blobs/\(xetName)")
        // Small files: one linked as usual, the others copied into the snapshot (no symlink support).
        let config = try XCTUnwrap(fixture.files["config.json"])
        try config.content.write(to: repo.appendingPathComponent("blobs/\(config.etag)"))
        try manager.createSymbolicLink(
            atPath: snapshot.appendingPathComponent("config.json").path, withDestinationPath: "../../blobs/\(config.etag)")
        for name in ["vocab.json", "merges.txt"] {
            try XCTUnwrap(fixture.files[name]).content.write(to: snapshot.appendingPathComponent(name))
        }
        try Data(commit.utf8).write(to: repo.appendingPathComponent("refs/main"))

        let model = try XCTUnwrap(try HubCache(root: cacheRoot).listModels().first)

        let expected = ["model.safetensors", "config.json", "vocab.json", "merges.txt"]
            .reduce(0) { $0 + (fixture.files[$1]?.content.count ?? 0) }
        XCTAssertEqual(model.sizeOnDisk, Int64(expected), "content bytes, each file once, links followed")
        let resolved = try await locator(offline: true).resolve("openai-community/gpt2-tiny")
        let digest = try sha256Hex(of: resolved.directory.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(digest, weights.etag, "the content's SHA-256 …")
        XCTAssertNotEqual(digest, xetName, "… is not the blob's name")
    }
}
