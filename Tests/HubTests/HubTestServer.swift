import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import OpenAITestSupport

/// A small Hugging Face Hub look-alike on 127.0.0.1 (ephemeral port), serving fixture repositories with
/// the headers and redirects the real Hub sent in 2025–2026:
///
/// - `HEAD|GET /{repo}/resolve/{revision}/{file}`: small files answer `307` with a relative `Location`
///   to `/api/resolve-cache/models/{repo}/{commit}/{file}?…&etag=…` (a text body, a `RateLimit` header
///   with requests left), which answers `200` with `X-Repo-Commit`, `ETag` and the bytes; LFS files answer
///   `302` to `/cdn/{sha256}?Expires=…&Signature=N` (relative, or absolute on `cdnHost`) with
///   `X-Repo-Commit`, `X-Linked-Etag` and `X-Linked-Size`; renamed repositories answer `307` with a relative
///   `Location`; errors carry `X-Error-Code` and `X-Error-Message` (401 `RepoNotFound` without a token, 404
///   with one; 401/403 `GatedRepo`; 404 `RevisionNotFound`, `EntryNotFound`).
/// - `GET /cdn/{sha256}`: the LFS bytes, honouring `Range: bytes=N-` (or, with `bounceHost`, a redirect
///   to `/cdn-final/{sha256}` on that host name).
///
/// Behaviours (connection cut, corrupt body, 5xx, 429, expiring signed URLs, a mirror's absolute 308,
/// a compressing proxy, token) are switched on per test; every request is recorded.
final class HubTestServer: @unchecked Sendable {
    struct FixtureFile {
        let content: Data
        let etag: String
        let isLFS: Bool
        /// Send the ETag in the weak form `W/"…"` (tests normalisation).
        var weakETag = false
    }

    struct FixtureRepo {
        let commit: String
        var files: [String: FixtureFile]
        /// When set, resolve requests need `Authorization: Bearer {token}` (else 401).
        var token: String?
        /// Gated: only a request with this token (an account granted access) is served; another token gets
        /// 403 `GatedRepo`, none 401 `GatedRepo`.
        var gatedFor: String?
    }

    struct RecordedRequest {
        let method: String
        let path: String
        /// The query string (after `?`), empty when none.
        let query: String
        let headers: [String: String]
    }

    /// A 429 (or other) answer to send instead of the real one.
    struct Throttle {
        var status: HTTPResponseStatus = .tooManyRequests
        var retryAfter: String?
        var rateLimit: String?
        var times: Int
    }

    private let lock = NSLock()
    private var repos: [String: FixtureRepo]
    private var renamed: [String: String]
    private var recorded: [RecordedRequest] = []
    private var cutOnce: Set<String> = []
    private var corrupt: Set<String> = []
    private var failures: [String: Int] = [:]
    private var throttles: [String: Throttle] = [:]
    private var signature = 0
    private var usedSignatures: Set<String> = []
    private let listener = LoopbackHTTPListener()
    /// The bound port (valid after `start`).
    private(set) var port = 0
    /// When set, LFS redirects are absolute URLs on this host name instead of relative `/cdn/…` paths.
    var cdnHost: String?
    /// When set, LFS redirects are absolute URLs on this origin (`https://127.0.0.1:8443`), another server.
    var cdnOrigin: String?
    /// When set, `GET /cdn/{sha}` answers 302 to `http://{bounceHost}:{port}/cdn-final/{sha}`, which has the bytes.
    var bounceHost: String?
    /// When true, a signed CDN URL serves one GET; later GETs of it answer 403 `Request has expired`, as an
    /// S3/CloudFront URL does once its `Expires` has passed.
    var signedURLsExpireAfterOneUse = false
    /// When set, resolve requests whose `Host` is not this name answer `308` to the same path on
    /// `http://{mirrorHost}:{port}`, without any Hub header (a mirror that moved).
    var mirrorHost: String?
    /// When true, small files are sent as a compressing proxy sends them: `Content-Encoding: gzip`, no
    /// `Content-Length` (HEAD and GET), the body gzip-framed.
    var gzipSmallFiles = false

    init(repos: [String: FixtureRepo], renamed: [String: String] = [:]) {
        self.repos = repos
        self.renamed = renamed
    }

    /// When set before `start`, connections speak TLS with this server certificate and key (`Tests/Fixtures/tls`).
    var tls: NIOSSLContext?

    /// `http://127.0.0.1:{port}`, or `https://…` with ``tls``.
    var endpoint: URL { URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)")! }

    func start() async throws {
        let server = self
        let context = tls
        let first: (@Sendable (Channel) throws -> Void)? = context.map { context in
            { channel in try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
        }
        try await listener.start(first: first) { HubTestHandler(server: server) }
        port = listener.port
    }

    func stop() async throws {
        try await listener.stop()
    }

    /// Every request so far.
    var requests: [RecordedRequest] { lock.withLock { recorded } }
    /// The GET requests so far.
    var gets: [RecordedRequest] { requests.filter { $0.method == "GET" } }
    /// The HEAD requests so far.
    var heads: [RecordedRequest] { requests.filter { $0.method == "HEAD" } }

    /// The next GET of this LFS blob sends half of the remaining bytes, then closes the connection.
    func cutOnceHalfway(sha: String) { lock.withLock { _ = cutOnce.insert(sha) } }
    /// GETs of this LFS blob send the right number of wrong bytes.
    func corruptBody(sha: String) { lock.withLock { _ = corrupt.insert(sha) } }
    /// The next `count` requests whose path ends with `suffix` answer 500.
    func fail(pathSuffix suffix: String, times count: Int) { lock.withLock { failures[suffix] = count } }
    /// The next `throttle.times` requests whose path ends with `suffix` answer `throttle`.
    func throttle(pathSuffix suffix: String, _ throttle: Throttle) { lock.withLock { throttles[suffix] = throttle } }

    fileprivate struct Reply {
        var status: HTTPResponseStatus
        var headers: [(String, String)] = []
        var body = Data()
        /// Send only this many body bytes, then close (the head still announces the full length).
        var cutAfter: Int?
        /// Announce no `Content-Length` (the body ends when the connection closes).
        var omitLength = false
    }

    fileprivate func reply(to head: HTTPRequestHead) -> Reply {
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let path = parts[0]
        let query = parts.count > 1 ? parts[1] : ""
        return lock.withLock {
            recorded.append(RecordedRequest(method: head.method.rawValue, path: path, query: query, headers: headers))
            if let (suffix, left) = failures.first(where: { path.hasSuffix($0.key) && $0.value > 0 }) {
                failures[suffix] = left - 1
                return Reply(status: .internalServerError)
            }
            if let (suffix, throttle) = throttles.first(where: { path.hasSuffix($0.key) && $0.value.times > 0 }) {
                throttles[suffix]?.times -= 1
                var reply = Reply(status: throttle.status, body: Data("Too Many Requests".utf8))
                if let value = throttle.retryAfter { reply.headers.append(("Retry-After", value)) }
                if let value = throttle.rateLimit {
                    reply.headers += [("RateLimit", value), ("RateLimit-Policy", "\"fixed window\";\"api\";q=500;w=300")]
                }
                return reply
            }
            if path.hasPrefix("/cdn/") || path.hasPrefix("/cdn-final/"), signedURLsExpireAfterOneUse {
                guard usedSignatures.insert(query).inserted else {
                    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                        + "<Message>Request has expired</Message></Error>"
                    return Reply(status: .forbidden, headers: [("Content-Type", "application/xml")], body: Data(body.utf8))
                }
            }
            if path.hasPrefix("/cdn/"), let bounceHost {
                let sha = path.dropFirst(5)
                return Reply(status: .found, headers: [("Location", "http://\(bounceHost):\(port)/cdn-final/\(sha)?\(query)")])
            }
            if path.hasPrefix("/cdn/") { return cdnReply(sha: String(path.dropFirst(5)), headers: headers) }
            if path.hasPrefix("/cdn-final/") { return cdnReply(sha: String(path.dropFirst(11)), headers: headers) }
            if path.hasPrefix("/api/resolve-cache/models/") { return resolveCacheReply(path: path, headers: headers) }
            if let mirrorHost, path.contains("/resolve/"), headers["host"]?.split(separator: ":").first.map(String.init) != mirrorHost {
                return Reply(status: .permanentRedirect, headers: [("Location", "http://\(mirrorHost):\(port)\(head.uri)")])
            }
            return resolveReply(path: path, headers: headers)
        }
    }

    /// `/api/resolve-cache/models/{repo}/{commit}/{file}`: a small file's bytes, as the Hub serves them.
    private func resolveCacheReply(path: String, headers: [String: String]) -> Reply {
        let rest = path.dropFirst("/api/resolve-cache/models/".count)
        guard let (repoID, repo) = repos.first(where: { rest.hasPrefix("\($0.key)/\($0.value.commit)/") }) else {
            return Reply(status: .notFound, headers: [("X-Error-Code", "EntryNotFound")])
        }
        let fileName = String(rest.dropFirst("\(repoID)/\(repo.commit)/".count))
        guard let file = repo.files[fileName.removingPercentEncoding ?? fileName], !file.isLFS else {
            return Reply(status: .notFound, headers: [("X-Error-Code", "EntryNotFound")])
        }
        let etag = file.weakETag ? "W/\"\(file.etag)\"" : "\"\(file.etag)\""
        let common = [("X-Repo-Commit", repo.commit), ("ETag", etag)]
        if gzipSmallFiles {
            return Reply(
                status: .ok, headers: common + [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")],
                body: Gzip.stored(file.content), omitLength: true)
        }
        return Reply(status: .ok, headers: common, body: file.content)
    }

    private func resolveReply(path: String, headers: [String: String]) -> Reply {
        guard let marker = path.range(of: "/resolve/") else { return Reply(status: .notFound) }
        let repoID = String(path[path.index(after: path.startIndex)..<marker.lowerBound])
        let rest = path[marker.upperBound...].split(separator: "/", maxSplits: 1).map(String.init)
        guard rest.count == 2 else { return Reply(status: .notFound) }
        if let target = renamed[repoID] {
            return Reply(status: .temporaryRedirect, headers: [("Location", "/\(target)/resolve/\(rest[0])/\(rest[1])")])
        }
        let authorization = headers["authorization"]
        // The Hub does not tell an anonymous caller whether a private repository exists: 401 either way.
        let notFound = Reply(
            status: authorization == nil ? .unauthorized : .notFound,
            headers: [("X-Error-Code", "RepoNotFound"), ("X-Error-Message", "Repository not found")])
        guard let repo = repos[repoID] else { return notFound }
        if let token = repo.token, authorization != "Bearer \(token)" { return notFound }
        if let granted = repo.gatedFor, authorization != "Bearer \(granted)" {
            let message = authorization == nil
                ? "Access to model \(repoID) is restricted. You must have access to it and be authenticated to access it. Please log in."
                : "Access to model \(repoID) is restricted and you are not in the authorized list. Visit https://huggingface.co/\(repoID) to ask for access."
            return Reply(
                status: authorization == nil ? .unauthorized : .forbidden,
                headers: [("X-Error-Code", "GatedRepo"), ("X-Error-Message", message)])
        }
        let revision = rest[0].removingPercentEncoding ?? rest[0]
        guard revision == "main" || revision == repo.commit else {
            return Reply(
                status: .notFound,
                headers: [("X-Error-Code", "RevisionNotFound"), ("X-Error-Message", "Invalid rev id: \(revision)")])
        }
        let fileName = rest[1].removingPercentEncoding ?? rest[1]
        let common = [("X-Repo-Commit", repo.commit)]
        guard let file = repo.files[fileName] else {
            return Reply(
                status: .notFound,
                headers: common + [("X-Error-Code", "EntryNotFound"), ("X-Error-Message", "Entry not found")])
        }
        if file.isLFS {
            signature += 1
            let signed = "/cdn/\(file.etag)?Expires=1781098782&Signature=\(signature)"
            let location = cdnOrigin.map { $0 + signed } ?? cdnHost.map { "http://\($0):\(port)\(signed)" } ?? signed
            return Reply(status: .found, headers: common + [
                ("Location", location), ("ETag", "\"0123456789abcdef0123456789abcdef01234567\""),
                ("X-Linked-Etag", "\"\(file.etag)\""), ("X-Linked-Size", "\(file.content.count)"),
            ])
        }
        let cached = "/api/resolve-cache/models/\(repoID)/\(repo.commit)/\(rest[1])"
            + "?%2F\(repoID.replacingOccurrences(of: "/", with: "%2F"))%2Fresolve%2F\(rest[0])%2F\(rest[1])=&etag=%22\(file.etag)%22"
        return Reply(
            status: .temporaryRedirect,
            headers: [("Location", cached), ("Content-Type", "text/plain; charset=utf-8"),
                      ("RateLimit", "\"resolvers\";r=2998;t=172")],
            body: Data("Temporary Redirect. Redirecting to \(cached)".utf8))
    }

    private func cdnReply(sha: String, headers: [String: String]) -> Reply {
        let files = repos.values.flatMap { $0.files.values }
        guard var content = files.first(where: { $0.isLFS && $0.etag == sha })?.content else {
            return Reply(status: .notFound)
        }
        if corrupt.contains(sha) { content = Data(content.map { $0 ^ 0x5A }) }
        var reply = Reply(status: .ok, body: content)
        if let range = headers["range"], range.hasPrefix("bytes="), range.hasSuffix("-"),
            let start = Int(range.dropFirst(6).dropLast()), start < content.count
        {
            reply = Reply(
                status: .partialContent,
                headers: [("Content-Range", "bytes \(start)-\(content.count - 1)/\(content.count)")],
                body: content.subdata(in: start..<content.count))
        }
        if cutOnce.remove(sha) != nil { reply.cutAfter = reply.body.count / 2 }
        return reply
    }
}

/// Reads one request, writes the fixture server's reply, closes the connection.
private final class HubTestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: HubTestServer
    private var head: HTTPRequestHead?

    init(server: HubTestServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            respond(context: context, head: head)
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let reply = server.reply(to: head)
        var headers = HTTPHeaders(reply.headers)
        if !reply.omitLength { headers.add(name: "Content-Length", value: "\(reply.body.count)") }
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: reply.status, headers: headers))), promise: nil)
        let channel = context.channel
        if head.method != .HEAD, !reply.body.isEmpty {
            let bytes = reply.cutAfter.map { reply.body.prefix($0) } ?? reply.body
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            if reply.cutAfter != nil {
                context.flush()
                context.close(promise: nil)
                return
            }
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// gzip framing (RFC 1952) around deflate "stored" blocks (RFC 1951 §3.2.4): a valid gzip stream without a
/// compression library, which is all a compressing proxy's framing needs to be here.
enum Gzip {
    static func stored(_ data: Data) -> Data {
        var out = Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])
        let bytes = [UInt8](data)
        var start = 0
        repeat {
            let end = min(start + 65_535, bytes.count)
            let length = UInt16(end - start)
            out.append(end == bytes.count ? 1 : 0)
            out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)])
            out.append(contentsOf: bytes[start..<end])
            start = end
        } while start < bytes.count
        let crc = crc32(bytes)
        let size = UInt32(truncatingIfNeeded: bytes.count)
        for value in [crc, size] { out.append(contentsOf: (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }) }
        return out
    }

    /// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}
