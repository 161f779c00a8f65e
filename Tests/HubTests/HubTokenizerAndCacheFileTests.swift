import Foundation
import Hub
import TestSupport
import XCTest

/// `tokenize`/`decode` with a Hub id fetch the tokenizer files only (issue 14), and the cache's own files
/// (refs, blobs) are read through the bounded reader: a FIFO, device or oversized file planted in the cache
/// is refused, never read (issue 15).
final class HubTokenizerAndCacheFileTests: HubServerTestCase {
    static let bertCommit = "6666666666666666666666666666666666666666"
    static let bertRepo = "google-bert/bert-tiny"

    override func setUp() async throws {
        try await super.setUp()
        try await server.stop()
        var repos = fixtures
        repos[Self.bertRepo] = HubTestServer.FixtureRepo(commit: Self.bertCommit, files: [
            "config.json": try HubFixtureRepos.small("{\"model_type\": \"bert\"}\n"),
            "vocab.txt": try HubFixtureRepos.small("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n##s\n"),
            "tokenizer_config.json": try HubFixtureRepos.small("{\"do_lower_case\": true}\n"),
            "model.safetensors": try HubFixtureRepos.lfs(count: 50_000, seed: 9),
        ])
        fixtures = repos
        server = HubTestServer(repos: repos)
        try await server.start()
    }

    /// The files a request asked for, from the `/{repo}/resolve/{revision}/{file}` paths.
    private func requestedFiles(_ repo: String) -> Set<String> {
        Set(server.requests.compactMap { request -> String? in
            guard request.path.hasPrefix("/\(repo)/resolve/") else { return nil }
            return request.path.split(separator: "/").last.map(String.init)
        })
    }

    func testABertTokenizerFetchesOnlyTheTokenizerFilesNeverTheWeights() async throws {
        let repo = try HubRepoID(Self.bertRepo)
        let snapshot = try await client().tokenizerSnapshot(repoID: repo)

        XCTAssertEqual(snapshot.commit, Self.bertCommit)
        XCTAssertEqual(Set(snapshot.files), ["config.json", "vocab.txt", "tokenizer_config.json"])
        // Asked: config.json and the four tokenizer names (vocab.json and merges.txt answer 404 here).
        XCTAssertEqual(requestedFiles(Self.bertRepo), ["config.json", "vocab.json", "merges.txt", "vocab.txt",
                                                       "tokenizer_config.json"])
        XCTAssertFalse(server.requests.contains { $0.path.contains("model.safetensors") || $0.path.hasPrefix("/cdn") },
                       "the weights were requested: \(server.requests.map(\.path))")
        let directory = snapshot.directory
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("tokenizer_config.json"), encoding: .utf8),
                       "{\"do_lower_case\": true}\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path))

        // Offline afterwards: the cached tokenizer is enough, without a request (the missing GPT-2 names
        // were recorded in .no_exist).
        let before = server.requests.count
        let offline = try await client(offline: true).tokenizerSnapshot(repoID: repo)
        XCTAssertEqual(offline.commit, Self.bertCommit)
        XCTAssertEqual(server.requests.count, before)
    }

    func testAnUncachedTokenizerOfflineSaysHowToFetchTheTokenizerAlone() async throws {
        let error = await expectHubError {
            _ = try await self.client(offline: true).tokenizerSnapshot(repoID: try HubRepoID(Self.bertRepo))
        }
        XCTAssertEqual(error, .tokenizerNotCached(
            repoID: Self.bertRepo, revision: "main", cachePath: repoDirectory("models--google-bert--bert-tiny").path))
        XCTAssertEqual(error?.exitCode, 69)
        let message = error?.description ?? ""
        for needle in ["the tokenizer of model 'google-bert/bert-tiny'", "offline mode is on", "HF_HUB_OFFLINE",
                       "run the same command once online", "only the tokenizer files", "never the weights",
                       "pass --model a local folder"] {
            XCTAssertTrue(message.contains(needle), "message lacks '\(needle)': \(message)")
        }
        XCTAssertFalse(message.contains("models pull"), "models pull fetches the weights: \(message)")
        XCTAssertTrue(server.requests.isEmpty)
    }

    /// Review after issue 15: online with the Hub unreachable, the message suggested `models pull` (which fetches
    /// the weights); it now says how to fetch the tokenizer alone, as the offline message does.
    func testAnUncachedTokenizerWithTheHubUnreachableSaysHowToFetchTheTokenizerAlone() async throws {
        try await server.stop()
        let error = await expectHubError {
            _ = try await self.client().tokenizerSnapshot(repoID: try HubRepoID(Self.bertRepo))
        }
        guard case .tokenizerUnreachable(let repoID, _, _, let cachePath)? = error else {
            return XCTFail("expected tokenizerUnreachable, got \(String(describing: error))")
        }
        XCTAssertEqual(repoID, Self.bertRepo)
        XCTAssertEqual(cachePath, repoDirectory("models--google-bert--bert-tiny").path)
        XCTAssertEqual(error?.exitCode, 69)
        let message = error?.description ?? ""
        for needle in ["cannot reach the Hub for the tokenizer of model 'google-bert/bert-tiny'", server.endpoint.host ?? "",
                       "Check the network or HF_ENDPOINT", "run the same command again", "only the tokenizer files",
                       "never the weights", "pass --model a local folder"] {
            XCTAssertTrue(message.contains(needle), "message lacks '\(needle)': \(message)")
        }
        XCTAssertFalse(message.contains("models pull"), "models pull fetches the weights: \(message)")
        XCTAssertEqual(delays.all, [0.5, 1, 1], "retried with bounded backoff before giving up")
    }

    func testSpecialFilesInTheCacheAreRefusedNotRead() async throws {
        let repo = try HubRepoID("openai-community/gpt2-tiny")
        let refs = repoDirectory("models--openai-community--gpt2-tiny").appendingPathComponent("refs")
        try FileManager.default.createDirectory(at: refs, withIntermediateDirectories: true)
        let cache = HubCache(root: cacheRoot)

        // A FIFO as refs/main: refused at once (reading it would wait for a writer forever).
        XCTAssertEqual(mkfifo(refs.appendingPathComponent("main").path, 0o600), 0)
        XCTAssertThrowsError(try cache.commit(for: repo, revision: "main")) { error in
            guard case .malformedCache(let path, let detail)? = error as? HubError else {
                return XCTFail("expected malformedCache, got \(error)")
            }
            XCTAssertEqual(path, refs.appendingPathComponent("main").path)
            XCTAssertTrue(detail.contains("the ref main is a FIFO (named pipe), not a regular file"), detail)
            XCTAssertEqual((error as? HubError)?.exitCode, 65)
            // The folder to delete is named, not the ref file (a hostile review: "Delete that directory" after refs/main).
            let folder = self.repoDirectory("models--openai-community--gpt2-tiny").path
            XCTAssertTrue("\(error)".contains("Delete the folder \(folder) and pull the model again"), "\(error)")
        }

        // A symlink to /proc/self/environ: refused without quoting it.
        try FileManager.default.createSymbolicLink(atPath: refs.appendingPathComponent("leak").path,
                                                   withDestinationPath: "/proc/self/environ")
        XCTAssertThrowsError(try cache.commit(for: repo, revision: "leak")) { error in
            XCTAssertTrue("\(error)".contains("kernel pseudo-file"), "\(error)")
            XCTAssertFalse("\(error)".contains("PATH="), "the environment leaked: \(error)")
        }

        // An oversized ref.
        try Data(repeating: 0x61, count: 5000).write(to: refs.appendingPathComponent("huge"))
        XCTAssertThrowsError(try cache.commit(for: repo, revision: "huge")) { error in
            XCTAssertTrue("\(error)".contains("5000 bytes, more than the limit of 4096 bytes"), "\(error)")
        }

        // A device where a blob belongs is never hashed.
        XCTAssertThrowsError(try sha256Hex(of: URL(fileURLWithPath: "/dev/zero"))) { error in
            guard case .malformedCache(_, let detail)? = error as? HubError else {
                return XCTFail("expected malformedCache, got \(error)")
            }
            XCTAssertTrue(detail.contains("a character device, not a regular file"), detail)
        }

        // The listing skips such refs rather than hanging on them.
        let listed = try cache.listModels()
        XCTAssertEqual(listed.flatMap { $0.revisions.flatMap(\.refs) }, [], "\(listed)")
    }

    func testAFIFOWhereAPartialDownloadBelongsIsRefusedWithoutHanging() async throws {
        let fixture = try XCTUnwrap(fixtures["openai-community/gpt2-tiny"]?.files["model.safetensors"])
        let blobs = repoDirectory("models--openai-community--gpt2-tiny").appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(blobs.appendingPathComponent("\(fixture.etag).incomplete").path, 0o600), 0)

        let error = await expectHubError { _ = try await self.locator().resolve("openai-community/gpt2-tiny") }
        guard case .malformedCache(let path, let detail)? = error else {
            return XCTFail("expected malformedCache, got \(String(describing: error))")
        }
        XCTAssertTrue(path.hasSuffix("\(fixture.etag).incomplete"), path)
        XCTAssertEqual(detail, "a partial download is not a regular file")
        // The folder to delete is the repository's, named (a hostile review: "Delete that directory" after a file).
        let folder = repoDirectory("models--openai-community--gpt2-tiny").path
        XCTAssertTrue(error?.description.contains("Delete the folder \(folder) and pull the model again") == true,
                      error?.description ?? "")
    }
}
