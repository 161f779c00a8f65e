import AuditResults
import Foundation

/// A `--model` spec that names an OpenAI-compatible completions endpoint:
/// `http(s)://HOST[:PORT]/v1#SERVED_NAME`, or several replicas of one model `URL1,URL2#SERVED_NAME`
/// (requests go round-robin). Without `#SERVED_NAME` the served name is read from `GET /v1/models` when the
/// server serves exactly one model.
public struct EndpointSpec: Sendable, Equatable {
    /// The base URLs (ending in the API version path, e.g. `/v1`), without fragment, in the order given.
    public let baseURLs: [URL]
    /// The served model name from the fragment, if given.
    public let servedName: String?

    /// Whether `spec` is meant as an endpoint (starts with `http://` or `https://`).
    public static func isEndpoint(_ spec: String) -> Bool {
        let lowered = spec.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }

    /// Parses an endpoint spec.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) for a URL without a host, with a query or credentials,
    ///   an empty served name, or replicas with different paths.
    public init(parsing spec: String) throws {
        var text = spec
        var served: String?
        if let hash = text.firstIndex(of: "#") {
            let name = String(text[text.index(after: hash)...]).removingPercentEncoding ?? ""
            guard !name.isEmpty else {
                throw AuditError.usage(
                    "--model \(spec): nothing after '#'; write URL#SERVED_NAME (the name the server serves the model under) or drop the '#'")
            }
            served = name
            text = String(text[..<hash])
        }
        var urls: [URL] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard Self.isEndpoint(trimmed), var components = URLComponents(string: trimmed),
                let host = components.host, !host.isEmpty
            else {
                throw AuditError.usage(
                    "--model \(spec): '\(part)' is not an http(s) URL with a host; write http(s)://HOST[:PORT]/v1#SERVED_NAME")
            }
            guard components.user == nil, components.password == nil else {
                throw AuditError.usage(
                    "--model \(spec): credentials in the URL are not accepted (they would be recorded); set BIASAUDIT_API_KEY instead")
            }
            guard components.query == nil else {
                throw AuditError.usage("--model \(spec): the URL has a query ('?…'); give the API's base URL, e.g. http://HOST:PORT/v1")
            }
            while components.path.hasSuffix("/") { components.path.removeLast() }
            guard let url = components.url else {
                throw AuditError.usage("--model \(spec): '\(part)' is not a URL")
            }
            urls.append(url)
        }
        if Set(urls.map(\.path)).count > 1 {
            throw AuditError.usage("--model \(spec): the replicas' URLs have different paths; give each replica's base URL, e.g. http://HOST:PORT/v1")
        }
        baseURLs = urls
        servedName = served
    }

    /// The endpoint as written in the manifest: the base URLs joined by commas (no key, no query).
    public var endpoint: String { baseURLs.map(\.absoluteString).joined(separator: ",") }

    /// A short default label: the served name, else `HOST:PORT` of the first URL.
    public var defaultLabel: String {
        if let servedName { return servedName }
        let url = baseURLs[0]
        return url.port.map { "\(url.host ?? ""):\($0)" } ?? (url.host ?? url.absoluteString)
    }
}
