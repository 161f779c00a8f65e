internal import AsyncHTTPClient
import Foundation
internal import NIOCore
internal import NIOSSL

/// The AsyncHTTPClient clients every transport shares, one per timeout, proxy and trusted authorities (a client's
/// timeouts, proxy and TLS settings are its configuration, not a request's): created on first use on the singleton
/// event loop group, never shut down.
enum SharedClients {
    private struct Key: Hashable {
        let timeout: Int64
        let proxy: AsyncHTTPClient.HTTPClient.Configuration.Proxy?
        let trust: String?
    }

    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var clients: [Key: AsyncHTTPClient.HTTPClient] = [:]
    }

    private static let cache = Cache()

    /// The client whose connect and read timeouts are `timeout` seconds, whose requests go through `proxy` and whose
    /// https requests trust the authorities of `trust` (usable ones: ``TrustSettings/problem`` nil).
    static func client(
        timeout: TimeInterval, proxy: AsyncHTTPClient.HTTPClient.Configuration.Proxy?, trust: TrustSettings
    ) -> AsyncHTTPClient.HTTPClient {
        // NaN passes min and max through, and would trap in the conversion (a hostile review).
        let nanoseconds = Int64((timeout.isNaN ? 10 : min(max(timeout, 0.001), 1e9)) * 1e9)
        let key = Key(timeout: nanoseconds, proxy: proxy, trust: trust.key)
        return cache.lock.withLock {
            if let client = cache.clients[key] { return client }
            var configuration = AsyncHTTPClient.HTTPClient.Configuration(
                tlsConfiguration: trust.tlsConfiguration,
                redirectConfiguration: .disallow,
                timeout: .init(connect: .nanoseconds(nanoseconds), read: .nanoseconds(nanoseconds)),
                proxy: proxy,
                // Identity is asked for, but a compressing proxy may answer gzip anyway: decoded, as URLSession
                // (libcurl) decoded it. No bound here: the callers' sinks bound what they keep.
                decompression: .enabled(limit: .none))
            // A refused connection is the request's answer (the callers retry as they see fit), not retried until the
            // connect timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            // --concurrency allows up to 256 requests in flight to one server: none waits for a connection (a request
            // waiting past the connect timeout would fail).
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 512
            let client = AsyncHTTPClient.HTTPClient(
                eventLoopGroup: AsyncHTTPClient.HTTPClient.defaultEventLoopGroup, configuration: configuration)
            cache.clients[key] = client
            return client
        }
    }
}

/// The proxies the environment names, as libcurl (and so URLSession on Linux) honoured them: `http_proxy` (or
/// `HTTP_PROXY`) for http URLs, `https_proxy` (or `HTTPS_PROXY`) for https URLs, `all_proxy` (or `ALL_PROXY`) for
/// either when those are unset; `no_proxy` (or `NO_PROXY`) lists host names that go direct, comma-separated, each
/// matching itself and its subdomains (`.example.com` and `example.com` alike), or `*` for every host. A proxy is
/// written `[http://][USER:PASSWORD@]HOST[:PORT]` (port 1080 when not given, as curl) or `socks5://HOST[:PORT]`;
/// another scheme (an `https://` proxy) is not supported and is ignored.
struct ProxySettings: Sendable {
    typealias Proxy = AsyncHTTPClient.HTTPClient.Configuration.Proxy

    let http: Proxy?
    let https: Proxy?
    let exclusions: [String]

    /// The settings of this process's environment, read once.
    static let environment = ProxySettings(environment: ProcessInfo.processInfo.environment)

    init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            for key in [name.lowercased(), name.uppercased()] {
                if let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
            }
            return nil
        }
        let all = value("all_proxy")
        http = (value("http_proxy") ?? all).flatMap(Self.parse)
        https = (value("https_proxy") ?? all).flatMap(Self.parse)
        exclusions = (value("no_proxy") ?? "").split(separator: ",").map {
            var entry = $0.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.hasPrefix("*.") { entry.removeFirst(2) }
            while entry.hasPrefix(".") { entry.removeFirst() }
            if entry.hasPrefix("["), entry.hasSuffix("]") { entry = String(entry.dropFirst().dropLast()) }
            return entry
        }.filter { !$0.isEmpty }
    }

    /// The proxy for a request to `url`; nil: direct.
    func proxy(for url: URL) -> Proxy? {
        guard let host = url.host?.lowercased(), !excludes(host) else { return nil }
        return url.scheme?.lowercased() == "https" ? https : http
    }

    /// Whether `no_proxy` sends requests to `host` direct.
    func excludes(_ host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return exclusions.contains { $0 == "*" || host == $0 || host.hasSuffix("." + $0) }
    }

    /// A proxy from its URL (a bare `HOST:PORT` is an HTTP proxy); nil when it names no usable one.
    static func parse(_ text: String) -> Proxy? {
        let written = text.contains("://") ? text : "http://" + text
        guard let components = URLComponents(string: written), let host = components.host, !host.isEmpty else { return nil }
        let port = components.port ?? 1080
        switch components.scheme?.lowercased() {
        case "http":
            let authorization = components.user.map {
                AsyncHTTPClient.HTTPClient.Authorization.basic(
                    username: $0.removingPercentEncoding ?? $0,
                    password: components.password.map { $0.removingPercentEncoding ?? $0 } ?? "")
            }
            return .server(host: host, port: port, authorization: authorization)
        case "socks5", "socks5h":
            return .socksServer(host: host, port: port)
        default:
            return nil
        }
    }
}
