import Foundation
import Hub
import TestSupport
import XCTest

/// The token file written by `hf auth login`, read as huggingface_hub's `get_token` reads it.
final class HubTokenFileTests: XCTestCase {
    private var home: URL!

    override func setUpWithError() throws {
        home = try Fixtures.temporaryDirectory("hub-token-home")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: home)
    }

    private func write(_ text: String, to relative: String) throws -> URL {
        let url = home.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    private func token(_ env: [String: String]) throws -> String? {
        try HubConfiguration.fromEnvironment(["HOME": home.path].merging(env) { $1 }).token
    }

    func testTokenFilePathFollowsHuggingFaceHubPrecedence() {
        func path(_ env: [String: String]) -> String { HubConfiguration.tokenFile(env).path }
        XCTAssertEqual(path(["HOME": "/home/u"]), "/home/u/.cache/huggingface/token")
        XCTAssertEqual(path(["HOME": "/home/u", "XDG_CACHE_HOME": "/xdg"]), "/xdg/huggingface/token")
        XCTAssertEqual(path(["HOME": "/home/u", "HF_HOME": "~/hf"]), "/home/u/hf/token")
        XCTAssertEqual(path(["HOME": "/home/u", "HF_HOME": "/hf", "HF_TOKEN_PATH": "/secrets/hf"]), "/secrets/hf")
        XCTAssertEqual(path(["HOME": "/home/u", "HF_TOKEN_PATH": "~/t"]), "/home/u/t")
        XCTAssertEqual(path(["HOME": "/home/u", "HF_TOKEN_PATH": ""]), "/home/u/.cache/huggingface/token", "empty is unset")
    }

    func testTokenFileIsUsedWhenNoVariableIsSetAndTrimmed() throws {
        _ = try write("  hf_from_login_file \r\n", to: ".cache/huggingface/token")
        XCTAssertEqual(try token([:]), "hf_from_login_file")

        let hfHome = try write("hf_in_hf_home\n", to: "hfhome/token")
        XCTAssertEqual(try token(["HF_HOME": hfHome.deletingLastPathComponent().path]), "hf_in_hf_home")

        let custom = try write("hf_custom_path", to: "elsewhere/tok")
        XCTAssertEqual(try token(["HF_TOKEN_PATH": custom.path]), "hf_custom_path")

        XCTAssertEqual(try token(["HF_TOKEN": " hf_env \n"]), "hf_env", "HF_TOKEN wins, cleaned the same way")
        XCTAssertEqual(try token(["HUGGING_FACE_HUB_TOKEN": "hf_legacy"]), "hf_legacy")
        XCTAssertEqual(try token(["HF_TOKEN": " \n"]), "hf_from_login_file", "a blank HF_TOKEN is no token")
    }

    func testUnusableTokenFilesAreIgnoredWithoutBlockingOrEchoing() throws {
        XCTAssertNil(try token(["HF_TOKEN_PATH": home.appendingPathComponent("absent").path]), "absent")
        XCTAssertNil(try token(["HF_TOKEN_PATH": home.path]), "a directory")
        let fifo = home.appendingPathComponent("fifo")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertNil(try token(["HF_TOKEN_PATH": fifo.path]), "a FIFO without writer: ignored at once, no hang")
        XCTAssertNil(try token(["HF_TOKEN_PATH": "/proc/self/environ"]), "a /proc file (reported as empty)")
        XCTAssertNil(try token(["HF_TOKEN_PATH": "/dev/zero"]), "a device")
        let binary = home.appendingPathComponent("binary")
        try Data([0x68, 0x66, 0x5F, 0x00, 0x1B, 0x5B]).write(to: binary)
        XCTAssertNil(try token(["HF_TOKEN_PATH": binary.path]), "control bytes never reach a header")
        let twoWords = try write("hf_a hf_b\n", to: "two")
        XCTAssertNil(try token(["HF_TOKEN_PATH": twoWords.path]), "not one token")
        let huge = try write(String(repeating: "a", count: 5000), to: "huge")
        XCTAssertNil(try token(["HF_TOKEN_PATH": huge.path]), "larger than any token")
        XCTAssertNil(try token(["HF_TOKEN_PATH": try write(" \n", to: "blank").path]), "blank")
    }
}

extension HubTokenFileTests {
    /// Review after issue 15: a token file that exists but cannot be read was treated as absent, so requests
    /// went out anonymously. It is now an error naming the file and the reason (exit 74). A symbolic-link loop
    /// stands for the unreadable file here because it cannot be read even as root; `chmod 000` is checked too
    /// when the tests do not run as root (HostileEnvironmentTests checks it as an unprivileged user).
    func testATokenFileThatExistsButCannotBeReadIsAnErrorNotAnAnonymousRequest() throws {
        let loop = home.appendingPathComponent("loop")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: loop.path)
        var unreadable = [(loop, "Too many levels of symbolic links")]
        if getuid() != 0 {
            let locked = try write("hf_locked\n", to: "locked")
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
            unreadable.append((locked, "permission denied"))
        }
        for (file, reason) in unreadable {
            let configuration = try HubConfiguration.fromEnvironment(["HOME": home.path, "HF_TOKEN_PATH": file.path])
            XCTAssertNil(configuration.token)
            XCTAssertEqual(configuration.tokenFileError, .unreadableTokenFile(path: file.path, reason: reason))
            XCTAssertEqual(configuration.tokenFileError?.exitCode, 74)
            let message = configuration.tokenFileError?.description ?? ""
            for needle in ["cannot read the Hub token file \(file.path) (\(reason))", "HF_TOKEN_PATH", "set HF_TOKEN",
                           "Nothing was sent to the Hub"] {
                XCTAssertTrue(message.contains(needle), "message lacks '\(needle)': \(message)")
            }
            // HF_TOKEN wins: the file is not needed, so it is not an error.
            let withVariable = try HubConfiguration.fromEnvironment(
                ["HOME": home.path, "HF_TOKEN_PATH": file.path, "HF_TOKEN": "hf_env"])
            XCTAssertEqual(withVariable.token, "hf_env")
            XCTAssertNil(withVariable.tokenFileError)
        }
        // The default path (no HF_TOKEN_PATH) is read the same way.
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".cache/huggingface"),
                                                withIntermediateDirectories: true)
        let defaultPath = home.appendingPathComponent(".cache/huggingface/token")
        try FileManager.default.createSymbolicLink(atPath: defaultPath.path, withDestinationPath: defaultPath.path)
        XCTAssertEqual(try HubConfiguration.fromEnvironment(["HOME": home.path]).tokenFileError,
                       .unreadableTokenFile(path: defaultPath.path, reason: "Too many levels of symbolic links"))
    }
}

/// The token file's token reaches the Hub, and only the Hub.
final class HubTokenFileServerTests: HubServerTestCase {
    /// An unreadable token file stops the client before any request; offline, the cache is still used.
    func testAnUnreadableTokenFileSendsNoRequestAndOfflineStillWorks() async throws {
        _ = try await locator().resolve("openai-community/gpt2-tiny")
        let before = server.requests.count
        let problem = HubError.unreadableTokenFile(path: "/secrets/token", reason: "permission denied")
        var configuration = configuration()
        configuration.tokenFileError = problem
        let online = ModelLocator(client: HubClient(configuration: configuration, warning: { _ in }))
        let error = await expectHubError { _ = try await online.resolve("openai-community/gpt2-tiny") }
        XCTAssertEqual(error, problem)
        let exists = await expectHubError {
            _ = try await HubClient(configuration: configuration).fileExists(
                repoID: try HubRepoID("openai-community/gpt2-tiny"), file: "config.json")
        }
        XCTAssertEqual(exists, problem)
        XCTAssertEqual(server.requests.count, before, "a request was made without the token")

        configuration.offline = true
        let offline = try await ModelLocator(client: HubClient(configuration: configuration)).resolve("openai-community/gpt2-tiny")
        XCTAssertEqual(offline.commit, HubFixtureRepos.gpt2Commit)
    }

    /// A Hub variable the requests cannot use (a timeout of "nan", a token with a control character) stops the client
    /// before any request, as an unreadable token file does; offline, the cache is still used (a code review: the error
    /// had stopped local and --offline commands that never ask the Hub).
    func testAnUnusableHubVariableSendsNoRequestAndOfflineStillWorks() async throws {
        _ = try await locator().resolve("openai-community/gpt2-tiny")
        let before = server.requests.count
        var configuration = configuration()
        let problem = try XCTUnwrap(try HubConfiguration.fromEnvironment(["HF_HUB_ETAG_TIMEOUT": "nan"]).environmentError)
        configuration.environmentError = problem
        let online = ModelLocator(client: HubClient(configuration: configuration, warning: { _ in }))
        let error = await expectHubError { _ = try await online.resolve("openai-community/gpt2-tiny") }
        XCTAssertEqual(error, problem)
        XCTAssertEqual(server.requests.count, before, "a request was made")
        configuration.offline = true
        let offline = try await ModelLocator(client: HubClient(configuration: configuration)).resolve("openai-community/gpt2-tiny")
        XCTAssertEqual(offline.commit, HubFixtureRepos.gpt2Commit)
    }

    func testTokenFromTheLoginFileOpensAPrivateRepository() async throws {
        let file = cacheRoot.appendingPathComponent("login-token")
        try Data("\(HubFixtureRepos.token)\n".utf8).write(to: file)
        var configuration = try HubConfiguration.fromEnvironment(["HOME": "/nonexistent", "HF_TOKEN_PATH": file.path])
        configuration.endpoint = server.endpoint
        configuration.cacheDirectory = cacheRoot.appendingPathComponent("hub")

        let resolved = try await ModelLocator(configuration: configuration, warning: { _ in }).resolve("private/tiny")

        XCTAssertEqual(resolved.commit, HubFixtureRepos.privateCommit)
        XCTAssertTrue(server.heads.allSatisfy { $0.headers["authorization"] == "Bearer \(HubFixtureRepos.token)" })
    }
}
