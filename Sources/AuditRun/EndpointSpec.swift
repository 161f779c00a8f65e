import AuditResults
import Foundation
import PromptSets

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
    ///   a port outside 1…65535, an empty served name, or replicas with different paths. The scheme is
    ///   matched case-insensitively (`HTTP://` is `http://`).
    public init(parsing given: String) throws {
        // Messages show the spec with any password (and query) hidden: `http://user:pass@host/v1` is refused, and its
        // refusal, like every other, must not print the password (a hostile review found it echoed on stderr).
        let spec = Self.redactingCredentials(given)
        var text = given
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
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (index, part) in parts.enumerated() {
            // A part is quoted unless the spec holds an '@': a password holding ',' splits into parts whose own
            // redaction would miss it.
            let shownPart = !given.contains("@") ? "'\(part)'" : parts.count == 1 ? "the URL" : "URL \(index + 1) of \(parts.count)"
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if let port = Self.writtenPort(trimmed), !(1...65535).contains(Int(port) ?? Int.max) {
                throw AuditError.usage(
                    "--model \(TextEscaping.excerpt(spec, limit: 120)): port \(TextEscaping.excerpt(port, limit: 20)) is out of range; a port is 1 to 65535, e.g. http://HOST:8000/v1")
            }
            guard Self.isEndpoint(trimmed), var components = URLComponents(string: trimmed),
                let host = components.host, !host.isEmpty
            else {
                throw AuditError.usage(
                    "--model \(spec): \(shownPart) is not an http(s) URL with a host; write http(s)://HOST[:PORT]/v1#SERVED_NAME")
            }
            guard components.user == nil, components.password == nil else {
                throw AuditError.usage(
                    "--model \(spec): credentials in the URL are not accepted (they would be recorded); remove 'USER:PASSWORD@' and "
                        + "set BIASAUDIT_API_KEY (sent as Authorization: Bearer) instead")
            }
            guard components.query == nil else {
                throw AuditError.usage("--model \(spec): the URL has a query ('?…'); give the API's base URL, e.g. http://HOST:PORT/v1")
            }
            // The scheme as recorded and shown: lower case ("HTTP://…" is "http://…").
            components.scheme = components.scheme?.lowercased()
            while components.path.hasSuffix("/") { components.path.removeLast() }
            guard let url = components.url else {
                throw AuditError.usage("--model \(spec): \(shownPart) is not a URL")
            }
            urls.append(url)
        }
        if Set(urls.map(\.path)).count > 1 {
            throw AuditError.usage("--model \(spec): the replicas' URLs have different paths; give each replica's base URL, e.g. http://HOST:PORT/v1")
        }
        baseURLs = urls
        servedName = served
    }

    /// `text` with the credentials of every URL in it hidden, for messages: the user info between `://` and the host
    /// becomes `USER:***` (`***` without a `:`, which may be a token), and a query `?***`, since a query may hold a
    /// key too. The user info ends at the last `@` before the URL's `?` or fragment `#` (the served name), or before
    /// the next `://` when no `/` precedes that `?` or `#` (then it cannot start a query or served name of a URL with a
    /// path, and is a password's: review 84, `user:s3#cr3t@host` was shown whole, `user:s3?cr3t@host` in part). So a
    /// password holding `/`, `,`, `@`, `#` or `?` is hidden whole; an `@` in a path hides the host too: better too
    /// much than a password. Text without `://` is returned as it is.
    public static func redactingCredentials(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            result += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // The user info first, before the URL is cut at "?" or "#", which a password may hold: a "?" or "#" with
            // no "/" before it cannot start the query or the served name of a URL with a path (/v1), so an "@" after
            // it still ends the user info; after a "/" it does start them, and an "@" there is the served name's.
            let span = rest[..<(rest.range(of: "://")?.lowerBound ?? rest.endIndex)]
            let cut = span.firstIndex { $0 == "?" || $0 == "#" } ?? span.endIndex
            let head = span[..<cut].contains("/") ? span[..<cut] : span
            if let at = head.lastIndex(of: "@") {
                let userInfo = rest[..<at]
                result += userInfo.firstIndex(of: ":").map { userInfo[..<$0] + ":***" } ?? "***"
                rest = rest[at...]
            }
            // This URL: up to the next "://" (the next replica), or the fragment (the served name), or the end.
            var end = rest.range(of: "://")?.lowerBound ?? rest.endIndex
            if let hash = rest[..<end].firstIndex(of: "#") { end = hash }
            var url = rest[..<end]
            let afterURL = rest[end...]
            var query: Substring = ""
            if let question = url.firstIndex(of: "?") {
                // The query is hidden up to the next replica's ",SCHEME", if one follows.
                var queryEnd = url.endIndex
                if afterURL.hasPrefix("://"), let comma = url[question...].lastIndex(of: ","),
                    url[url.index(after: comma)...].allSatisfy({ $0.isASCII && $0.isLetter })
                {
                    queryEnd = comma
                }
                query = "?***" + url[queryEnd...]
                url = url[..<question]
            }
            result += url
            result += query
            // The fragment (served name) is shown as it is; a later "://" starts another URL.
            if let hash = afterURL.first, hash == "#" {
                result += afterURL
                return result
            }
            rest = afterURL
        }
        result += rest
        return result
    }

    /// The port digits written after the host of `url` (`http://HOST:PORT/…`), or nil without a port; read
    /// from the text, since `URLComponents` rejects or wraps some out-of-range ports.
    static func writtenPort(_ url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@").last.map(String.init) ?? ""
        // An IPv6 host is bracketed: the port follows the closing bracket.
        let afterHost = hostAndPort.hasPrefix("[") ? String(hostAndPort.drop { $0 != "]" }.dropFirst()) : hostAndPort
        guard let colon = afterHost.lastIndex(of: ":") else { return nil }
        let digits = afterHost[afterHost.index(after: colon)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return String(digits)
    }

    /// A URL scheme other than http(s) at the start of `spec` (`ftp`, `file`, …), or nil: such a spec is
    /// neither an endpoint nor a Hub id.
    public static func foreignScheme(_ spec: String) -> String? {
        guard !isEndpoint(spec), let range = spec.range(of: "://") else { return nil }
        let scheme = spec[..<range.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return String(scheme)
    }

    /// The endpoint as written in the manifest: the base URLs joined by commas (no key, no query).
    public var endpoint: String { baseURLs.map(\.absoluteString).joined(separator: ",") }

    /// A short default label: the served name, else `HOST:PORT` of the first URL (an IPv6 host in brackets).
    public var defaultLabel: String {
        if let servedName { return servedName }
        let url = baseURLs[0]
        let host = url.host.map { $0.contains(":") && !$0.hasPrefix("[") ? "[\($0)]" : $0 }
        return url.port.map { "\(host ?? ""):\($0)" } ?? (host ?? url.absoluteString)
    }
}
