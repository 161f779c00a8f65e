internal import AsyncHTTPClient
import Foundation
internal import NIOCore
internal import NIOHTTP1
#if canImport(FoundationNetworking)
import FoundationNetworking  // URLError
#endif

/// The status, headers and final URL of an HTTP answer. Header names are lower-cased.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public let status: Int
    /// The header fields, names lower-cased.
    public let headers: [String: String]
    /// The URL that answered (after redirects).
    public let url: URL

    /// Creates a value (for tests and for callers that build answers themselves).
    public init(status: Int, headers: [String: String], url: URL) {
        self.status = status
        var lowered: [String: String] = [:]
        for (key, value) in headers { lowered[key.lowercased()] = value }
        self.headers = lowered
        self.url = url
    }

    /// A header value by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Receives the body of a GET: decides from the response head whether to keep the bytes, then gets them.
public protocol HTTPBodySink: AnyObject {
    /// Called once with the final response head; returns false to discard the body.
    func accept(_ response: HTTPResponse) throws -> Bool
    /// Called with each chunk of an accepted body.
    func write(_ data: Data) throws
}

/// Keeps a whole body in memory, up to a bound (a larger body fails with ``HTTPBodyTooLarge``).
public final class HTTPBufferSink: HTTPBodySink, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    /// The largest body kept, in bytes.
    public let limit: Int

    /// Creates a sink that keeps at most `limit` bytes.
    public init(limit: Int) { self.limit = limit }

    /// The bytes received so far.
    public var data: Data { lock.withLock { buffer } }

    private var head: HTTPResponse?

    public func accept(_ response: HTTPResponse) throws -> Bool {
        lock.withLock { head = response }
        return true
    }

    public func write(_ data: Data) throws {
        try lock.withLock {
            guard buffer.count + data.count <= limit else {
                var start = Data(buffer.prefix(HTTPBodyTooLarge.startLength))
                start.append(data.prefix(HTTPBodyTooLarge.startLength - start.count))
                throw HTTPBodyTooLarge(limit: limit, response: head, start: start)
            }
            buffer.append(data)
        }
    }
}

/// A body longer than the caller allows.
public struct HTTPBodyTooLarge: Error, CustomStringConvertible {
    /// The bound, in bytes.
    public let limit: Int
    /// The answer's head, when it came before the body (its status: a 429 with a long page is still a rate limit).
    public var response: HTTPResponse? = nil
    /// The body's first bytes (at most ``startLength``), for an excerpt.
    public var start = Data()
    /// How many of the body's first bytes ``start`` keeps.
    public static let startLength = 4096
    public var description: String { "the answer is longer than \(limit) bytes" }
}

/// HTTP through AsyncHTTPClient (SwiftNIO), with redirects under our control.
///
/// Metadata requests never follow redirects (the caller follows relative ones, as `huggingface_hub` does).
/// Downloads follow redirects (at most ``maximumRedirects``), dropping `Authorization` whenever a redirect leads to
/// another host. Every request asks for `Accept-Encoding: identity`; the caller's headers replace any default.
/// Requests go through the proxy the environment names (``ProxySettings``); https requests trust the system's
/// certificate authorities or the bundle the environment names (``TrustSettings``). Failures are `URLError`s
/// (``TransportFailure``), a cancelled caller's task included (`URLError.cancelled`).
///
/// FoundationNetworking's URLSession did this before; on Linux it kept a busy CPU core for the whole of a slow
/// download (a `models pull` at 50 KB/s: 144 s of CPU over 163 s). Shared by the Hub client and the
/// OpenAI-compatible backend of `AuditRun`.
public struct HTTPTransport: Sendable {
    /// Seconds without an answer or a byte before the request fails with a timeout.
    public let timeout: TimeInterval

    /// The most redirects a GET follows; one more fails with `URLError.httpTooManyRedirects`.
    static let maximumRedirects = 10

    /// The certificate authorities https requests trust; nil: the environment's (``TrustSettings/environment``), read
    /// at the first https request.
    private let trustGiven: TrustSettings?

    /// The certificate authorities https requests trust.
    var trust: TrustSettings { trustGiven ?? .environment }

    /// Creates a transport whose requests time out after `timeout` seconds without an answer or a byte, trusting the
    /// authorities the environment names (``TrustSettings/environment``).
    public init(timeout: TimeInterval) {
        self.timeout = timeout
        trustGiven = nil
    }

    /// Creates a transport trusting the authorities of `trust` (tests name a bundle without changing the environment).
    init(timeout: TimeInterval, trust: TrustSettings) {
        self.timeout = timeout
        trustGiven = trust
    }

    /// Sends a HEAD request and returns the first answer, redirects included.
    public func head(_ url: URL, headers: [String: String]) async throws -> HTTPResponse {
        try await exchange(method: .HEAD, url: url, headers: headers, followRedirects: false, sink: nil)
    }

    /// Sends a GET request, following redirects, and streams an accepted body into `sink`.
    public func get(_ url: URL, headers: [String: String], sink: HTTPBodySink) async throws -> HTTPResponse {
        try await exchange(method: .GET, url: url, headers: headers, followRedirects: true, sink: sink)
    }

    /// Sends a request with an optional body and keeps the answer's body (at most `limit` bytes). Redirects
    /// are not followed: an API answers where it is asked. The whole exchange takes at most `timeout` seconds
    /// (the per-read timeout counts only the silence between bytes: a server that sent one byte every 0.5 s
    /// kept a request with a 5 s timeout open for minutes; review), then fails as a timeout (`URLError.timedOut`).
    /// - Returns: the answer's head and body.
    /// - Throws: `URLError` for network failures and timeouts, ``HTTPBodyTooLarge`` past `limit`.
    public func send(
        method: String, url: URL, headers: [String: String], body: Data? = nil, limit: Int
    ) async throws -> (response: HTTPResponse, body: Data) {
        let sink = HTTPBufferSink(limit: limit)
        let transport = self
        let response = try await Self.within(timeout) {
            try await transport.exchange(
                method: HTTPMethod(rawValue: method), url: url, headers: headers, followRedirects: false, sink: sink,
                body: body)
        }
        return (response, sink.data)
    }

    /// Runs `operation`, failing with `URLError.timedOut` once `seconds` have passed (the operation is cancelled).
    private static func within<T: Sendable>(
        _ seconds: TimeInterval, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                do {
                    try await Task.sleep(nanoseconds: UInt64(min(max(seconds, 0), 1e9) * 1e9))
                } catch {
                    throw URLError(.cancelled)
                }
                throw TransportFailure.error(.timedOut)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// One request and the redirects it follows. Errors from the network are `URLError`s; an error the sink throws is
    /// thrown as it is.
    private func exchange(
        method: HTTPMethod, url: URL, headers: [String: String], followRedirects: Bool, sink: HTTPBodySink?,
        body: Data? = nil
    ) async throws -> HTTPResponse {
        var current = url
        var redirects = 0
        var sendsAuthorization = true
        while true {
            if Task.isCancelled { throw URLError(.cancelled) }
            let scheme = current.scheme?.lowercased()
            guard scheme == "http" || scheme == "https", current.host?.isEmpty == false else {
                throw TransportFailure.error(.unsupportedURL)
            }
            // Only a request that uses TLS reads the environment's bundle (a review: every run read it, https or not).
            let trust = scheme == "https" ? self.trust : TrustSettings.system
            if let failure = trust.failure { throw failure }
            var fields = HTTPHeaders()
            fields.add(name: "User-Agent", value: "biasaudit")
            // The real size of a file is only known when the body is not compressed (as huggingface_hub asks).
            fields.add(name: "Accept-Encoding", value: "identity")
            for (name, value) in headers { fields.replaceOrAdd(name: name, value: value) }
            // A token is for the Hub only: a redirect to another host (a CDN with a signed URL) never carries it, nor
            // any later hop.
            if !sendsAuthorization { fields.remove(name: "Authorization") }
            let request: AsyncHTTPClient.HTTPClient.Request
            do {
                request = try AsyncHTTPClient.HTTPClient.Request(
                    url: current, method: method, headers: fields, body: body.map { .bytes($0) })
            } catch {
                throw TransportFailure.urlError(for: error)
            }

            let proxy = ProxySettings.environment.proxy(for: current)
            let client = SharedClients.client(timeout: timeout, proxy: proxy, trust: trust)
            let requestURL = current
            let delegate = BodyDelegate { head in
                let answer = HTTPResponse(status: Int(head.status.code), headers: Self.joined(head.headers), url: requestURL)
                if followRedirects, Self.redirectTarget(answer, from: requestURL) != nil { return nil }
                guard let sink, try sink.accept(answer) else { return nil }
                return sink
            }
            let head: HTTPResponseHead
            do {
                head = try await Self.run(client.execute(request: request, delegate: delegate, deadline: nil))
            } catch let failure as BodyDelegate.SinkFailure {
                throw failure.error
            } catch let error as URLError where error.code != .cancelled && delegate.unwantedBodyHead != nil {
                // The answer came and its body was not wanted (a HEAD, a redirect, a refused body): a failure reading
                // that body is not the request's (a HEAD answered `Content-Encoding: gzip` fails NIO's decompressor).
                head = delegate.unwantedBodyHead!
            } catch let error as URLError where proxy != nil && [.cannotConnectToHost, .cannotFindHost].contains(error.code) {
                // The proxy is what could not be reached: say so (the message names the URL asked for).
                throw URLError(
                    error.code,
                    userInfo: [
                        NSLocalizedDescriptionKey: "\(error.localizedDescription.dropLast(".".count)) through the proxy "
                            + "\(proxy!.host):\(proxy!.port) (set by https_proxy, http_proxy or all_proxy; no_proxy lists hosts that go direct).",
                        NSUnderlyingErrorKey: error,
                    ])
            } catch let error as URLError where error.code == .serverCertificateUntrusted {
                throw trust.naming(error)
            }
            if Task.isCancelled { throw URLError(.cancelled) }
            let answer = HTTPResponse(status: Int(head.status.code), headers: Self.joined(head.headers), url: current)

            if followRedirects, let target = Self.redirectTarget(answer, from: current) {
                redirects += 1
                guard redirects <= Self.maximumRedirects else { throw TransportFailure.error(.httpTooManyRedirects) }
                if target.host?.lowercased() != url.host?.lowercased() { sendsAuthorization = false }
                current = target
                continue
            }
            return answer
        }
    }

    /// Where a redirect leads (relative `Location`s resolved against `url`); nil when `answer` is not one.
    private static func redirectTarget(_ answer: HTTPResponse, from url: URL) -> URL? {
        guard [301, 302, 303, 307, 308].contains(answer.status), let location = answer.header("Location") else { return nil }
        return URL(string: location, relativeTo: url)?.absoluteURL
    }

    /// Waits for `task`, cancelling it when the calling task is cancelled; AsyncHTTPClient's and NIO's errors thrown as
    /// `URLError`s, a sink's error as ``BodyDelegate/SinkFailure``.
    private static func run<T>(_ task: AsyncHTTPClient.HTTPClient.Task<T>) async throws -> T {
        do {
            return try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch let failure as BodyDelegate.SinkFailure {
            throw failure
        } catch {
            throw TransportFailure.urlError(for: error)
        }
    }

    /// Header fields by lower-cased name; a repeated field's values joined with ", " (as URLSession did).
    private static func joined(_ headers: HTTPHeaders) -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if let earlier = fields[key] { fields[key] = earlier + ", " + value } else { fields[key] = value }
        }
        return fields
    }
}

/// Receives one answer on its connection's event loop and hands an accepted body to the sink part by part as it
/// comes: the next bytes are read once the sink took these (backpressure), and every byte read reaches the sink, also
/// when the server then closes the connection. (AsyncHTTPClient's async body sequence drops the parts it holds when
/// the connection ends before the consumer asked for them: a download cut by the server lost its last bytes read.)
private final class BodyDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = HTTPResponseHead

    /// An error the sink threw (accepting the head or taking a part): the call throws it as it is.
    struct SinkFailure: Error {
        let error: Error
    }

    /// Given the head, returns the sink that takes the body (nil: the body is read and dropped).
    private let decide: (HTTPResponseHead) throws -> HTTPBodySink?
    // Touched on the connection's event loop only, one call at a time.
    private var head: HTTPResponseHead?
    private var sink: HTTPBodySink?

    init(decide: @escaping (HTTPResponseHead) throws -> HTTPBodySink?) { self.decide = decide }

    /// The head of an answer whose body is not wanted (nil: no head yet, or the body goes to a sink). Read after the
    /// request ended.
    var unwantedBodyHead: HTTPResponseHead? { sink == nil ? head : nil }

    func didReceiveHead(task: AsyncHTTPClient.HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        do {
            sink = try decide(head)
        } catch {
            return task.eventLoop.makeFailedFuture(SinkFailure(error: error))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: AsyncHTTPClient.HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        guard let sink else { return task.eventLoop.makeSucceededVoidFuture() }
        do {
            try sink.write(Data(buffer.readableBytesView))
        } catch {
            return task.eventLoop.makeFailedFuture(SinkFailure(error: error))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: AsyncHTTPClient.HTTPClient.Task<Response>) throws -> HTTPResponseHead {
        guard let head else { throw TransportFailure.error(.badServerResponse) }
        return head
    }
}
