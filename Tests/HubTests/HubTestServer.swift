import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small Hugging Face Hub look-alike on 127.0.0.1 (ephemeral port), serving fixture repositories with
/// the Hub's headers and redirects:
///
/// - `HEAD|GET /{repo}/resolve/{revision}/{file}`: `X-Repo-Commit`, `ETag`; LFS files answer `302` to
///   `/cdn/{sha256}` (relative, or absolute on `cdnHost`) with `X-Linked-Etag` and `X-Linked-Size`;
///   renamed repositories answer `307` with a relative `Location`; errors carry `X-Error-Code`.
/// - `GET /cdn/{sha256}`: the LFS bytes, honouring `Range: bytes=N-` (or, with `bounceHost`, a redirect
///   to `/cdn-final/{sha256}` on that host name).
///
/// Behaviours (connection cut, corrupt body, 5xx, token) are switched on per test; every request is recorded.
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
    }

    struct RecordedRequest {
        let method: String
        let path: String
        let headers: [String: String]
    }

    private let lock = NSLock()
    private var repos: [String: FixtureRepo]
    private var renamed: [String: String]
    private var recorded: [RecordedRequest] = []
    private var cutOnce: Set<String> = []
    private var corrupt: Set<String> = []
    private var failures: [String: Int] = [:]
    private var group: MultiThreadedEventLoopGroup?
    private var channel: Channel?
    /// The bound port (valid after `start`).
    private(set) var port = 0
    /// When set, LFS redirects are absolute URLs on this host name instead of relative `/cdn/…` paths.
    var cdnHost: String?
    /// When set, `GET /cdn/{sha}` answers 302 to `http://{bounceHost}:{port}/cdn-final/{sha}`, which has the bytes.
    var bounceHost: String?

    init(repos: [String: FixtureRepo], renamed: [String: String] = [:]) {
        self.repos = repos
        self.renamed = renamed
    }

    /// `http://127.0.0.1:{port}`.
    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    func start() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = self
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(HubTestHandler(server: server))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        self.group = group
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    func stop() async throws {
        try await channel?.close().get()
        try await group?.shutdownGracefully()
        channel = nil
        group = nil
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

    fileprivate struct Reply {
        var status: HTTPResponseStatus
        var headers: [(String, String)] = []
        var body = Data()
        /// Send only this many body bytes, then close (the head still announces the full length).
        var cutAfter: Int?
    }

    fileprivate func reply(to head: HTTPRequestHead) -> Reply {
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
        return lock.withLock {
            recorded.append(RecordedRequest(method: head.method.rawValue, path: path, headers: headers))
            if let (suffix, left) = failures.first(where: { path.hasSuffix($0.key) && $0.value > 0 }) {
                failures[suffix] = left - 1
                return Reply(status: .internalServerError)
            }
            if path.hasPrefix("/cdn/"), let bounceHost {
                let sha = path.dropFirst(5)
                return Reply(status: .found, headers: [("Location", "http://\(bounceHost):\(port)/cdn-final/\(sha)")])
            }
            if path.hasPrefix("/cdn/") { return cdnReply(sha: String(path.dropFirst(5)), headers: headers) }
            if path.hasPrefix("/cdn-final/") { return cdnReply(sha: String(path.dropFirst(11)), headers: headers) }
            return resolveReply(path: path, headers: headers)
        }
    }

    private func resolveReply(path: String, headers: [String: String]) -> Reply {
        guard let marker = path.range(of: "/resolve/") else { return Reply(status: .notFound) }
        let repoID = String(path[path.index(after: path.startIndex)..<marker.lowerBound])
        let rest = path[marker.upperBound...].split(separator: "/", maxSplits: 1).map(String.init)
        guard rest.count == 2 else { return Reply(status: .notFound) }
        if let target = renamed[repoID] {
            return Reply(status: .temporaryRedirect, headers: [("Location", "/\(target)/resolve/\(rest[0])/\(rest[1])")])
        }
        guard let repo = repos[repoID] else {
            return Reply(status: .notFound, headers: [("X-Error-Code", "RepoNotFound")])
        }
        if let token = repo.token, headers["authorization"] != "Bearer \(token)" {
            return Reply(status: .unauthorized, headers: [("X-Error-Code", "RepoNotFound")])
        }
        let revision = rest[0].removingPercentEncoding ?? rest[0]
        guard revision == "main" || revision == repo.commit else {
            return Reply(status: .notFound, headers: [("X-Error-Code", "RevisionNotFound")])
        }
        let fileName = rest[1].removingPercentEncoding ?? rest[1]
        let common = [("X-Repo-Commit", repo.commit)]
        guard let file = repo.files[fileName] else {
            return Reply(status: .notFound, headers: common + [("X-Error-Code", "EntryNotFound")])
        }
        if file.isLFS {
            let location = cdnHost.map { "http://\($0):\(port)/cdn/\(file.etag)" } ?? "/cdn/\(file.etag)"
            return Reply(status: .found, headers: common + [
                ("Location", location), ("ETag", "\"0123456789abcdef0123456789abcdef01234567\""),
                ("X-Linked-Etag", "\"\(file.etag)\""), ("X-Linked-Size", "\(file.content.count)"),
            ])
        }
        let etag = file.weakETag ? "W/\"\(file.etag)\"" : "\"\(file.etag)\""
        return Reply(status: .ok, headers: common + [("ETag", etag)], body: file.content)
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
        headers.add(name: "Content-Length", value: "\(reply.body.count)")
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
