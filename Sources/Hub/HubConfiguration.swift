import Foundation

/// Where the Hub is, who we are to it, where the cache lives, and whether the network may be used.
///
/// `fromEnvironment` reads the same variables as Python's `huggingface_hub`, so both share one cache.
public struct HubConfiguration: Sendable, Equatable {
    /// The Hub's base URL, without a trailing slash (`HF_ENDPOINT`, default `https://huggingface.co`).
    public var endpoint: URL
    /// A user access token sent as `Authorization: Bearer …` to the endpoint's host only (`HF_TOKEN`).
    public var token: String?
    /// The cache root holding `models--…` folders.
    public var cacheDirectory: URL
    /// When true, no request is made: models resolve from `refs/` and `snapshots/` only (`HF_HUB_OFFLINE`).
    public var offline: Bool
    /// Seconds to wait for the Hub's answer to a metadata request (`HF_HUB_ETAG_TIMEOUT`, default 10).
    public var metadataTimeout: TimeInterval
    /// Seconds without receiving a byte before a download is treated as stalled (`HF_HUB_DOWNLOAD_TIMEOUT`, 10).
    public var downloadTimeout: TimeInterval

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
    /// - token: `HF_TOKEN`, else the legacy `HUGGING_FACE_HUB_TOKEN`; empty means none;
    /// - cache: `HF_HUB_CACHE`, else legacy `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else
    ///   `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub` (a leading `~` is expanded);
    /// - offline: `HF_HUB_OFFLINE` or `TRANSFORMERS_OFFLINE` set to `1`, `ON`, `YES` or `TRUE` (any case).
    /// - Throws: `HubError.invalidEndpoint` when `HF_ENDPOINT` is not an http(s) URL.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> HubConfiguration {
        func value(_ name: String) -> String? {
            guard let raw = env[name], !raw.isEmpty else { return nil }
            return raw
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
        return HubConfiguration(
            endpoint: endpoint,
            token: value("HF_TOKEN") ?? value("HUGGING_FACE_HUB_TOKEN"),
            cacheDirectory: defaultCacheDirectory(env),
            offline: offline,
            metadataTimeout: value("HF_HUB_ETAG_TIMEOUT").flatMap(TimeInterval.init) ?? 10,
            downloadTimeout: value("HF_HUB_DOWNLOAD_TIMEOUT").flatMap(TimeInterval.init) ?? 10
        )
    }

    /// The cache root `huggingface_hub` would use with this environment.
    public static func defaultCacheDirectory(_ env: [String: String]) -> URL {
        func value(_ name: String) -> String? {
            guard let raw = env[name], !raw.isEmpty else { return nil }
            return raw
        }
        let home = value("HOME") ?? NSHomeDirectory()
        func expand(_ path: String) -> URL {
            if path == "~" { return URL(fileURLWithPath: home, isDirectory: true) }
            if path.hasPrefix("~/") {
                return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(String(path.dropFirst(2)))
            }
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        if let hub = value("HF_HUB_CACHE") ?? value("HUGGINGFACE_HUB_CACHE") { return expand(hub) }
        let hfHome = value("HF_HOME").map(expand)
            ?? expand(value("XDG_CACHE_HOME") ?? "~/.cache").appendingPathComponent("huggingface", isDirectory: true)
        return hfHome.appendingPathComponent("hub", isDirectory: true)
    }
}
