import Foundation
import HTTPClient
import InputFiles

/// Where the Hub is, who we are to it, where the cache lives, and whether the network may be used.
///
/// `fromEnvironment` reads the same variables as Python's `huggingface_hub`, so both share one cache.
public struct HubConfiguration: Sendable, Equatable {
    /// The Hub's base URL, without a trailing slash (`HF_ENDPOINT`, default `https://huggingface.co`).
    public var endpoint: URL
    /// A user access token sent as `Authorization: Bearer …` to the endpoint's host only (`HF_TOKEN`, else
    /// the token file written by `hf auth login`).
    public var token: String?
    /// The cache root holding `models--…` folders.
    public var cacheDirectory: URL
    /// When true, no request is made: models resolve from `refs/` and `snapshots/` only (`HF_HUB_OFFLINE`).
    public var offline: Bool
    /// Seconds to wait for the Hub's answer to a metadata request (`HF_HUB_ETAG_TIMEOUT`, default 10).
    public var metadataTimeout: TimeInterval
    /// Seconds without receiving a byte before a download is treated as stalled (`HF_HUB_DOWNLOAD_TIMEOUT`, 10).
    public var downloadTimeout: TimeInterval
    /// Why the token file exists but could not be read (``HubError/unreadableTokenFile(path:reason:)``), when
    /// no `HF_TOKEN` was set; nil otherwise. ``HubClient`` throws it before its first request, so a request is
    /// never made anonymously in place of the token the user meant to send, while offline use (which sends
    /// nothing) is not stopped by it.
    public var tokenFileError: HubError?
    /// A Hub environment variable the requests cannot use (``HubError/invalidEnvironment(variable:problem:expected:)``:
    /// a timeout that is not a decimal number of seconds, a token holding a character no header carries); thrown by ``HubClient`` before
    /// its first request, as ``tokenFileError``, so that commands that never ask the Hub are not stopped by it.
    public var environmentError: HubError?

    /// What stops the client's first request: ``environmentError``, else ``tokenFileError``.
    public var requestError: HubError? { environmentError ?? tokenFileError }

    /// The default Hub endpoint.
    public static let defaultEndpoint = URL(string: "https://huggingface.co")!

    /// Creates a configuration from explicit values.
    public init(
        endpoint: URL = HubConfiguration.defaultEndpoint,
        token: String? = nil,
        cacheDirectory: URL,
        offline: Bool = false,
        metadataTimeout: TimeInterval = 10,
        downloadTimeout: TimeInterval = 10
    ) {
        self.endpoint = endpoint
        self.token = token
        self.cacheDirectory = cacheDirectory
        self.offline = offline
        self.metadataTimeout = metadataTimeout
        self.downloadTimeout = downloadTimeout
    }

    /// Reads the configuration the way `huggingface_hub` does.
    ///
    /// - endpoint: `HF_ENDPOINT` (trailing `/` removed), else `https://huggingface.co`;
    /// - token: `HF_TOKEN`, else the legacy `HUGGING_FACE_HUB_TOKEN`, else the token file (see
    ///   `tokenFile(_:)`); line breaks removed and whitespace trimmed, empty means none (huggingface_hub's
    ///   `get_token` without its OIDC and Colab sources);
    /// - cache: `HF_HUB_CACHE`, else legacy `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else
    ///   `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub` (a leading `~` is expanded);
    /// - offline: `HF_HUB_OFFLINE` or `TRANSFORMERS_OFFLINE` set to `1`, `ON`, `YES` or `TRUE` (any case).
    ///
    /// A token file that exists but cannot be read is recorded in ``tokenFileError`` (thrown by the client
    /// before its first request), not treated as absent.
    /// A timeout that is not a decimal number of seconds (0, the default, or at least 0.001) and a token holding another
    /// character than printable ASCII are recorded in ``environmentError``, thrown by the client before its first request.
    /// - Throws: `HubError.invalidEndpoint` when `HF_ENDPOINT` is not an http(s) URL.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> HubConfiguration {
        func value(_ name: String) -> String? {
            guard let raw = env[name], !raw.isEmpty else { return nil }
            return raw
        }
        // What huggingface_hub reads (`int(value) or 10`: spaces and line breaks around it dropped, 0 the default), and
        // decimals too; a value it would refuse, or a negative or infinite one, is an error of the first request (a
        // hostile review: "nan" and "-inf" crashed the client, "-1" retried six times in 4 s), not of a command that
        // never asks the Hub (a local folder, --offline, merge).
        var problems: [HubError] = []
        func timeout(_ name: String) -> TimeInterval? {
            guard let raw = value(name) else { return nil }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            // Decimal only (Swift reads "0x10" as 16, Python's int() refuses it), and 0 or at least a millisecond (1e-300
            // timed every request out; a hostile review).
            let decimal = text.unicodeScalars.allSatisfy { "0123456789.+-eE".unicodeScalars.contains($0) }
            guard decimal, let seconds = TimeInterval(text), seconds.isFinite, seconds == 0 || seconds >= 0.001 else {
                problems.append(HubError.invalidEnvironment(
                    variable: name, problem: "is '\(HubServerHeaders.excerpt(raw, limit: 24))'", expected: "a number of seconds, 0 or at least 0.001 (0 or unset: 10)"))
                return nil
            }
            return seconds == 0 ? nil : min(seconds, maximumTimeout)
        }
        // A token is sent in a header: a control character in it (line breaks are removed anywhere, as
        // huggingface_hub removes them) made every request fail as "not valid HTTP", retried for 23 s and blamed on the
        // network (a hostile review). An error of the first request, without the token.
        func environmentToken() -> String? {
            let name = value("HF_TOKEN") == nil ? "HUGGING_FACE_HUB_TOKEN" : "HF_TOKEN"
            guard let token = cleanToken(value(name)) else { return nil }
            // Printable ASCII only, as the token file is read (a hostile review: U+0085 went out as raw bytes).
            if let bad = HTTPHeaderValue.firstUnsendable(token) {
                problems.append(HubError.invalidEnvironment(
                    variable: name,
                    problem: "holds a character no HTTP header can carry (U+\(String(format: "%04X", bad.value)); the "
                        + "token is not shown)",
                    expected: "the token as the Hub's settings page shows it"))
                return nil
            }
            return token
        }
        var endpoint = defaultEndpoint
        if let raw = value("HF_ENDPOINT") {
            var trimmed = raw
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host != nil
            else { throw HubError.invalidEndpoint(raw) }
            endpoint = url
        }
        let trueValues: Set<String> = ["1", "ON", "YES", "TRUE"]
        let offline = [value("HF_HUB_OFFLINE"), value("TRANSFORMERS_OFFLINE")].contains {
            $0.map { trueValues.contains($0.uppercased()) } ?? false
        }
        var configuration = HubConfiguration(
            endpoint: endpoint,
            token: environmentToken(),
            cacheDirectory: defaultCacheDirectory(env),
            offline: offline,
            metadataTimeout: timeout("HF_HUB_ETAG_TIMEOUT") ?? 10,
            downloadTimeout: timeout("HF_HUB_DOWNLOAD_TIMEOUT") ?? 10
        )
        configuration.environmentError = problems.first
        if configuration.token == nil, configuration.environmentError == nil {
            switch tokenFromFile(tokenFile(env)) {
            case .success(let token): configuration.token = token
            case .failure(let error): configuration.tokenFileError = error
            }
        }
        return configuration
    }

    /// The largest `HF_HUB_ETAG_TIMEOUT` and `HF_HUB_DOWNLOAD_TIMEOUT` used, in seconds (a larger value is taken as it):
    /// 10⁹, as the HTTP client's.
    public static let maximumTimeout: TimeInterval = 1e9

    /// The cache root `huggingface_hub` would use with this environment.
    public static func defaultCacheDirectory(_ env: [String: String]) -> URL {
        let paths = EnvironmentPaths(env)
        if let hub = paths.value("HF_HUB_CACHE") ?? paths.value("HUGGINGFACE_HUB_CACHE") { return paths.expand(hub) }
        return paths.hfHome.appendingPathComponent("hub", isDirectory: true)
    }

    /// Where `hf auth login` writes the token, as `huggingface_hub`'s `constants.HF_TOKEN_PATH`:
    /// `HF_TOKEN_PATH`, else `$HF_HOME/token` (`HF_HOME` defaulting to `$XDG_CACHE_HOME/huggingface`, else
    /// `~/.cache/huggingface`); a leading `~` is expanded.
    public static func tokenFile(_ env: [String: String]) -> URL {
        let paths = EnvironmentPaths(env)
        if let path = paths.value("HF_TOKEN_PATH") { return paths.expand(path, isDirectory: false) }
        return paths.hfHome.appendingPathComponent("token", isDirectory: false)
    }

    /// The token in the file at `url`, cleaned as `cleanToken` does (as `huggingface_hub`'s
    /// `_get_token_from_file`, which treats only a missing file as no token).
    /// - Returns: the token; nil when the file is absent, not a regular file (a FIFO, a device, a directory),
    ///   empty or reported as empty (as `/proc` files are), larger than 4 KiB, or not printable ASCII (a
    ///   token never is; a header must never carry control characters); a failure
    ///   ``HubError/unreadableTokenFile(path:reason:)`` when the file exists but cannot be read (permission
    ///   denied, a read error). Its content is never shown anywhere.
    static func tokenFromFile(_ url: URL) -> Result<String?, HubError> {
        // Through BoundedFile: a FIFO never hangs, a device or /proc file is never read.
        let bytes: Data
        do {
            bytes = try BoundedFile.read(url.path, limit: 4096)
        } catch let error as BoundedFileError {
            switch error {
            case .notFound, .notRegular, .kernelFile, .tooLarge:
                return .success(nil)
            case .symbolicLinkLoop:
                // A token file that exists but cannot be read: never an anonymous request instead.
                return .failure(.unreadableTokenFile(path: url.path, reason: String(cString: strerror(ELOOP))))
            case .permissionDenied, .searchDenied:
                // A folder on the way that may not be searched also makes opening the file fail with EACCES.
                let folder = BoundedFile.firstUnsearchableFolder(of: url.path)
                return .failure(.unreadableTokenFile(
                    path: url.path, reason: folder.map { "permission denied: the folder \($0) may not be searched" }
                        ?? "permission denied"))
            case .openFailed(let detail), .readFailed(let detail), .inspectFailed(let detail):
                return .failure(.unreadableTokenFile(path: url.path, reason: detail))
            }
        } catch {
            return .failure(.unreadableTokenFile(path: url.path, reason: "\(error)"))
        }
        guard !bytes.isEmpty, let text = String(data: bytes, encoding: .utf8),
            let token = cleanToken(text), HTTPHeaderValue.firstUnsendable(token) == nil
        else { return .success(nil) }
        return .success(token)
    }

    /// `huggingface_hub`'s `_clean_token`: line breaks removed, surrounding whitespace trimmed, empty → nil.
    static func cleanToken(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let cleaned = String(raw.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? nil : cleaned
    }
}

/// Environment lookups shared by the cache and token-file paths: empty values count as unset, `~` is `HOME`.
private struct EnvironmentPaths {
    let env: [String: String]

    init(_ env: [String: String]) { self.env = env }

    func value(_ name: String) -> String? {
        guard let raw = env[name], !raw.isEmpty else { return nil }
        return raw
    }

    func expand(_ path: String, isDirectory: Bool = true) -> URL {
        let home = value("HOME") ?? NSHomeDirectory()
        if path == "~" { return URL(fileURLWithPath: home, isDirectory: true) }
        if path.hasPrefix("~/") {
            return URL(fileURLWithPath: home, isDirectory: true)
                .appendingPathComponent(String(path.dropFirst(2)), isDirectory: isDirectory)
        }
        return URL(fileURLWithPath: path, isDirectory: isDirectory)
    }

    /// `HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`.
    var hfHome: URL {
        value("HF_HOME").map { expand($0) }
            ?? expand(value("XDG_CACHE_HOME") ?? "~/.cache").appendingPathComponent("huggingface", isDirectory: true)
    }
}
