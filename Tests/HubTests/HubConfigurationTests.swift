import Foundation
import HTTPClient
import Hub
import XCTest

/// Environment variables, id parsing, retry delays, hashing: no server needed.
final class HubConfigurationTests: XCTestCase {
    func testCacheDirectoryFollowsHuggingFaceHubPrecedence() {
        func cache(_ env: [String: String]) -> String { HubConfiguration.defaultCacheDirectory(env).path }
        XCTAssertEqual(cache(["HOME": "/home/u"]), "/home/u/.cache/huggingface/hub")
        XCTAssertEqual(cache(["HOME": "/home/u", "XDG_CACHE_HOME": "/xdg"]), "/xdg/huggingface/hub")
        XCTAssertEqual(cache(["HOME": "/home/u", "HF_HOME": "~/hf"]), "/home/u/hf/hub")
        XCTAssertEqual(cache(["HOME": "/home/u", "HF_HOME": "/hf", "HUGGINGFACE_HUB_CACHE": "/legacy"]), "/legacy")
        XCTAssertEqual(cache(["HOME": "/home/u", "HF_HOME": "/hf", "HF_HUB_CACHE": "/c", "HUGGINGFACE_HUB_CACHE": "/l"]), "/c")
        XCTAssertEqual(cache(["HOME": "/home/u", "HF_HUB_CACHE": ""]), "/home/u/.cache/huggingface/hub", "empty is unset")
    }

    /// A hostile review: HF_HUB_ETAG_TIMEOUT=nan (or -inf, -1e300) crashed the client converting it to nanoseconds,
    /// and -1 retried six times in 4 s; a token with a control character failed every request as "not valid HTTP" and
    /// was blamed on the network after 23 s. Each is a usage error (64) naming the variable, never the token, thrown
    /// before the first request, so that commands that never ask the Hub are not stopped (a code review). What
    /// huggingface_hub reads (`int(value) or 10`) is read alike: spaces and line breaks around it, 0 for the default.
    func testTimeoutsAndTokensTheHeadersCannotTakeStopTheFirstRequest() throws {
        for variable in ["HF_HUB_ETAG_TIMEOUT", "HF_HUB_DOWNLOAD_TIMEOUT"] {
            for value in ["nan", "-inf", "inf", "-1e300", "-1", "abc", "1\u{1b}[31m", "0x10", "1e-300", "1_0"] {
                let configuration = try HubConfiguration.fromEnvironment([variable: value])
                let error = try XCTUnwrap(configuration.requestError, "\(variable)=\(value)")
                XCTAssertEqual(error.exitCode, 64, "\(error)")
                XCTAssertTrue("\(error)".hasPrefix("\(variable) is '"), "\(error)")
                XCTAssertTrue("\(error)".contains("expected a number of seconds, 0 or at least 0.001 (0 or unset: 10)"), "\(error)")
                XCTAssertFalse("\(error)".contains("\u{1b}"), "\(error)")
            }
        }
        let read = try HubConfiguration.fromEnvironment(["HF_HUB_ETAG_TIMEOUT": " 2.5\r\n", "HF_HUB_DOWNLOAD_TIMEOUT": "0"])
        XCTAssertNil(read.requestError)
        XCTAssertEqual([read.metadataTimeout, read.downloadTimeout], [2.5, 10])
        XCTAssertEqual(try HubConfiguration.fromEnvironment(["HF_HUB_ETAG_TIMEOUT": "1e300"]).metadataTimeout,
                       HubConfiguration.maximumTimeout)
        for (variable, token) in [("HF_TOKEN", "hf_se\u{01}cret"), ("HF_TOKEN", "hf_secret\u{7f}"),
                                  ("HUGGING_FACE_HUB_TOKEN", "hf_se\tcret"), ("HF_TOKEN", "hf_se\u{85}cret")] {
            let configuration = try HubConfiguration.fromEnvironment([variable: token])
            XCTAssertNil(configuration.token)
            let error = try XCTUnwrap(configuration.requestError, variable)
            XCTAssertEqual(error.exitCode, 64, "\(error)")
            XCTAssertTrue("\(error)".hasPrefix("\(variable) holds a character no HTTP header can carry (U+"), "\(error)")
            XCTAssertFalse("\(error)".contains("cret"), "\(error)")
        }
        XCTAssertEqual(try HubConfiguration.fromEnvironment(["HF_TOKEN": "hf_ab\r\ncd\n"]).token, "hf_abcd",
                       "line breaks removed anywhere, as huggingface_hub does")
    }

    func testEnvironmentSetsEndpointTokenAndOffline() throws {
        let defaults = try HubConfiguration.fromEnvironment(["HOME": "/h"])
        XCTAssertEqual(defaults.endpoint.absoluteString, "https://huggingface.co")
        XCTAssertNil(defaults.token)
        XCTAssertFalse(defaults.offline)

        let custom = try HubConfiguration.fromEnvironment([
            "HOME": "/h", "HF_ENDPOINT": "http://mirror.example:8080/", "HF_TOKEN": "hf_abc", "HF_HUB_OFFLINE": "true",
        ])
        XCTAssertEqual(custom.endpoint.absoluteString, "http://mirror.example:8080")
        XCTAssertEqual(custom.token, "hf_abc")
        XCTAssertTrue(custom.offline)

        for value in ["1", "ON", "yes", "True"] {
            XCTAssertTrue(try HubConfiguration.fromEnvironment(["HF_HUB_OFFLINE": value]).offline, value)
        }
        for value in ["0", "false", "", "off"] {
            XCTAssertFalse(try HubConfiguration.fromEnvironment(["HF_HUB_OFFLINE": value]).offline, value)
        }
        XCTAssertTrue(try HubConfiguration.fromEnvironment(["TRANSFORMERS_OFFLINE": "1"]).offline)
        XCTAssertEqual(try HubConfiguration.fromEnvironment(["HUGGING_FACE_HUB_TOKEN": "hf_old"]).token, "hf_old")
        XCTAssertThrowsError(try HubConfiguration.fromEnvironment(["HF_ENDPOINT": "ftp://x"])) { error in
            XCTAssertEqual((error as? HubError)?.exitCode, 64)
        }
    }

    func testModelSpecsParseIDsAndRevisions() throws {
        XCTAssertEqual(try ModelSpec.parse("distilgpt2-no-such-dir"), .hub(try HubRepoID("distilgpt2-no-such-dir"), revision: "main"))
        XCTAssertEqual(try ModelSpec.parse("openai-community/gpt2@v1.0"),
                       .hub(try HubRepoID("openai-community/gpt2"), revision: "v1.0"))
        XCTAssertEqual(try ModelSpec.parse("org/name@refs/pr/1"), .hub(try HubRepoID("org/name"), revision: "refs/pr/1"))
        XCTAssertEqual(try HubRepoID("openai-community/gpt2").cacheFolderName, "models--openai-community--gpt2")
        XCTAssertEqual(try HubRepoID("gpt2").cacheFolderName, "models--gpt2")
        XCTAssertThrowsError(try ModelSpec.parse("gpt2@")) { error in
            guard case .invalidRevision? = error as? HubError else { return XCTFail("got \(error)") }
        }
    }

    /// Reviewer's report: a misspelt relative path (`Tests/…/tiny-gtp2`) and a space after `LABEL=` were both told
    /// they are bad Hub ids ("it has more than one '/'"), not what is wrong with them.
    func testSpecsThatCanBeNoHubIDAreToldWhatIsWrong() throws {
        func reason(_ spec: String) -> String? {
            do {
                _ = try ModelSpec.parse(spec)
                return nil
            } catch HubError.invalidModelSpec(_, let reason) {
                return reason
            } catch {
                return "\(error)"
            }
        }
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertEqual(reason("Tests/Fixtures/models/tiny-gtp2"), "there is no directory at \(cwd)/Tests/Fixtures/models/"
            + "tiny-gtp2 (and it is not a Hub id: it has more than one '/')")
        XCTAssertEqual(reason("models/tiny gpt2"), "there is no directory at \(cwd)/models/tiny gpt2 (and it is not a "
            + "Hub id: 'tiny gpt2' holds a character other than letters, digits, '-', '_', '.')")
        XCTAssertEqual(reason(" /no/such/model"), "it starts with a space; remove it (a space after 'LABEL=' is part "
            + "of the value)")
        XCTAssertEqual(reason("gpt2 "), "it ends with a space; remove it (a space after 'LABEL=' is part of the value)")
        XCTAssertEqual(reason(" gpt2 "), "it starts and ends with a space; remove it (a space after 'LABEL=' is "
            + "part of the value)")
        let error = HubError.invalidModelSpec(" gpt2", reason: "it starts with a space")
        XCTAssertEqual(error.exitCode, 64)
        // A file of a model (the weights) is told to give its folder (a hostile review: "no directory at" a file).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let weights = folder.appendingPathComponent("model.safetensors")
        try Data("x".utf8).write(to: weights)
        XCTAssertEqual(reason(weights.path), "\(weights.path) is a file, not a model directory; give the folder that holds it "
            + "(\(folder.path))")
        XCTAssertEqual(reason(weights.path + "/"), reason(weights.path), "with a '/' after it")
        // A device or a FIFO is said to be one, without its folder as advice (a hostile review: `--model /dev/zero` was
        // told to give /dev).
        XCTAssertEqual(reason("/dev/zero"), "/dev/zero is a character device, not a model directory; give the folder of the "
            + "model's files (config.json, model.safetensors, vocab.json, merges.txt)")
        let fifo = folder.appendingPathComponent("pipe.safetensors")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertEqual(reason(fifo.path), "\(fifo.path) is a FIFO (named pipe), not a model directory; give the folder of the "
            + "model's files (config.json, model.safetensors, vocab.json, merges.txt)")
        // Named without a '/', from inside the model folder (a code review: it went to the Hub).
        let here = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder.path))
        defer { FileManager.default.changeCurrentDirectoryPath(here) }
        XCTAssertEqual(reason("model.safetensors"), "\(weights.path) is a file, not a model directory; give the folder that "
            + "holds it (\(folder.path))")
        // A bare name of any other file here is that file too, not a Hub id to fetch (a hostile review: `--model weights`
        // failed offline with "cannot reach the Hub"); with '@' it is the Hub id.
        try Data("x".utf8).write(to: folder.appendingPathComponent("weights"))
        XCTAssertEqual(reason("weights"), "\(folder.path)/weights is a file, not a model directory; give the folder that "
            + "holds it (\(folder.path)); for the Hub repository of that name, write 'weights@main' (as "
            + "'weights=weights@main' it keeps the name 'weights')")
        XCTAssertEqual(try ModelSpec.parse("weights@main"), .hub(try HubRepoID("weights"), revision: "main"))
        // One '/' may still be a Hub id, and a revision may hold '/'.
        XCTAssertEqual(try ModelSpec.parse("no-such-org/no-such-model"), .hub(try HubRepoID("no-such-org/no-such-model"), revision: "main"))
        XCTAssertEqual(try ModelSpec.parse("org/name@refs/pr/1"), .hub(try HubRepoID("org/name"), revision: "refs/pr/1"))
    }

    func testRetryDelaysGrowExponentiallyAndAreBounded() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: 1, maxDelay: 8)
        XCTAssertEqual((1...6).map(policy.delay(beforeRetry:)), [1, 2, 4, 8, 8, 8])
        XCTAssertEqual(RetryPolicy(maxAttempts: 0, baseDelay: 1, maxDelay: 1).maxAttempts, 1)
    }

    func testSHA256MatchesTheKnownVector() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hub-abc-\(UUID().uuidString)")
        try Data("abc".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertEqual(try sha256Hex(of: url), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testErrorExitCodesFollowDesign() {
        let cases: [(HubError, Int32)] = [
            (.invalidRepoID("x", reason: "r"), 64),
            (.hashMismatch(repoID: "a", file: "f", expected: "e", actual: "b"), 65),
            (.pickleOnly(repoID: "a", revision: "main"), 65),
            (.notCached(repoID: "a", revision: "main", cachePath: "/c", missing: []), 69),
            (.unauthorized(repoID: "a", status: 401, tokenSent: true, url: "u", hubMessage: nil), 69),
            (.repositoryNotFound(repoID: "a", url: "u", tokenSent: false, hubMessage: "Repository not found"), 69),
            (.gatedRepository(repoID: "a", url: "u", pageURL: "https://huggingface.co/a", tokenSent: true, hubMessage: nil), 69),
            (.revisionNotFound(repoID: "a", revision: "v9", url: "u", hubMessage: nil), 69),
            (.fileNotFound(repoID: "a", revision: "main", file: "f", url: "u", hubMessage: "Entry not found"), 69),
            (.rateLimited(repoID: "a", url: "u", retryAfter: 3600), 69),
            (.io(path: "/c", operation: "write", detail: "d"), 74),
        ]
        for (error, code) in cases { XCTAssertEqual(error.exitCode, code, "\(error)") }
    }
}
