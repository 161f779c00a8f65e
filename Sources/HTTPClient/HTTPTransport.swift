import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
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

    init(_ response: HTTPURLResponse, requestURL: URL) {
        status = response.statusCode
        var lowered: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { lowered[key.lowercased()] = value }
        }
        headers = lowered
        url = response.url ?? requestURL
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

    public func accept(_ response: HTTPResponse) throws -> Bool { true }

    public func write(_ data: Data) throws {
        try lock.withLock {
            guard buffer.count + data.count <= limit else { throw HTTPBodyTooLarge(limit: limit) }
            buffer.append(data)
        }
    }
}

/// A body longer than the caller allows.
public struct HTTPBodyTooLarge: Error, CustomStringConvertible {
    /// The bound, in bytes.
    public let limit: Int
    public var description: String { "the answer is longer than \(limit) bytes" }
}

/// HTTP through FoundationNetworking's URLSession, with redirects under our control.
///
/// Metadata requests never follow redirects (the caller follows relative ones, as `huggingface_hub` does).
/// Downloads follow redirects, dropping `Authorization` whenever a redirect leads to another host.
/// Shared by the Hub client and the OpenAI-compatible backend of `AuditRun`.
public struct HTTPTransport: Sendable {
    /// Seconds without an answer or a byte before the request fails with a timeout.
    public let timeout: TimeInterval

    /// Creates a transport whose requests time out after `timeout` seconds without an answer or a byte.
    public init(timeout: TimeInterval) { self.timeout = timeout }

    /// Sends a HEAD request and returns the first answer, redirects included.
    public func head(_ url: URL, headers: [String: String]) async throws -> HTTPResponse {
        try await perform(method: "HEAD", url: url, headers: headers, followRedirects: false, sink: nil)
    }

    /// Sends a GET request, following redirects, and streams an accepted body into `sink`.
    public func get(_ url: URL, headers: [String: String], sink: HTTPBodySink) async throws -> HTTPResponse {
        try await perform(method: "GET", url: url, headers: headers, followRedirects: true, sink: sink)
    }

    /// Sends a request with an optional body and keeps the answer's body (at most `limit` bytes). Redirects
    /// are not followed: an API answers where it is asked. The whole exchange takes at most `timeout` seconds
    /// (URLSession's own timeout counts only the silence between bytes: a server that sent one byte every 0.5 s
    /// kept a request with a 5 s timeout open for minutes; review), then fails as a timeout (`URLError.timedOut`).
    /// - Returns: the answer's head and body.
    /// - Throws: `URLError` for network failures and timeouts, ``HTTPBodyTooLarge`` past `limit`.
    public func send(
        method: String, url: URL, headers: [String: String], body: Data? = nil, limit: Int
    ) async throws -> (response: HTTPResponse, body: Data) {
        let sink = HTTPBufferSink(limit: limit)
        let response = try await perform(
            method: method, url: url, headers: headers, followRedirects: false, sink: sink, body: body, deadline: timeout)
        return (response, sink.data)
    }

    /// `deadline`: seconds for the whole exchange, after which the task is cancelled and fails with
    /// `URLError.timedOut`; nil: none (a download may take long while bytes keep coming).
    private func perform(
        method: String, url: URL, headers: [String: String], followRedirects: Bool, sink: HTTPBodySink?,
        body: Data? = nil, deadline: TimeInterval? = nil
    ) async throws -> HTTPResponse {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        // The real size of a file is only known when the body is not compressed (as huggingface_hub asks).
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpShouldSetCookies = false
        let delegate = TransportDelegate(requestURL: url, followRedirects: followRedirects, sink: sink)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        let expiry = deadline.map { seconds in
            Task {
                try await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1e9))
                delegate.expire(task)
            }
        }
        defer { expiry?.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.start(task, continuation: continuation)
            }
        } onCancel: {
            delegate.cancel(task)
        }
    }
}

/// One request's delegate: controls redirects, streams the body, resumes the caller once.
private final class TransportDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let requestURL: URL
    private let followRedirects: Bool
    private let sink: HTTPBodySink?
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, Error>?
    private var response: HTTPResponse?
    private var keepBody = false
    private var sinkError: Error?
    private var cancellation = TaskCancellationGate()

    init(requestURL: URL, followRedirects: Bool, sink: HTTPBodySink?) {
        self.requestURL = requestURL
        self.followRedirects = followRedirects
        self.sink = sink
    }

    /// Ends the exchange as a timeout: the whole-request deadline passed (unless the answer is already complete).
    func expire(_ task: URLSessionTask) {
        cancel(task, because: URLError(.timedOut))
    }

    /// Cancels the task, at most once, never between a redirect and the answer to it (``TaskCancellationGate``).
    /// Called under no lock; `task.cancel()` is called under `lock`, so the order the gate decided is the order in
    /// which FoundationNetworking's task queue sees the cancel and the redirect's answer.
    /// - Parameter reason: the error the exchange ends with (nil: the task's own, `URLError.cancelled`).
    func cancel(_ task: URLSessionTask, because reason: Error? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard cancellation.cancel() else { return }
        if sinkError == nil, let reason { sinkError = reason }
        task.cancel()
    }

    func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<HTTPResponse, Error>) {
        lock.lock()
        guard !cancellation.isCancelled else {
            // Cancelled before it started (the caller's task was cancelled first): it never starts.
            let error = sinkError ?? URLError(.cancelled)
            lock.unlock()
            continuation.resume(throwing: error)
            return
        }
        self.continuation = continuation
        lock.unlock()
        task.resume()
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        var next: URLRequest? = nil
        if followRedirects {
            var followed = request
            // A token is for the Hub only: a redirect to another host (a CDN with a signed URL) never carries it.
            if followed.url?.host?.lowercased() != requestURL.host?.lowercased() {
                followed.setValue(nil, forHTTPHeaderField: "Authorization")
            }
            next = followed
        }
        // Answered exactly once, under the lock that orders it against a cancel; not at all after a cancel (which
        // ends the task). nil: the 3xx is the answer.
        lock.lock()
        defer { lock.unlock() }
        guard cancellation.redirect(follow: next != nil) else { return }
        completionHandler(next)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            completionHandler(.allow)
            return
        }
        let head = HTTPResponse(http, requestURL: requestURL)
        lock.lock()
        self.response = head
        lock.unlock()
        do {
            let keep = try sink?.accept(head) ?? false
            lock.lock()
            keepBody = keep
            lock.unlock()
            completionHandler(.allow)
        } catch {
            lock.lock()
            sinkError = error
            lock.unlock()
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        let keep = keepBody && sinkError == nil
        lock.unlock()
        guard keep, let sink else { return }
        do {
            try sink.write(data)
        } catch {
            lock.lock()
            sinkError = error
            lock.unlock()
            cancel(dataTask)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        let sinkError = self.sinkError
        var response = self.response
        lock.unlock()
        if response == nil, error == nil, let http = task.response as? HTTPURLResponse {
            response = HTTPResponse(http, requestURL: requestURL)
        }
        if let sinkError {
            continuation?.resume(throwing: sinkError)
        } else if let error {
            continuation?.resume(throwing: error)
        } else if let response {
            continuation?.resume(returning: response)
        } else {
            continuation?.resume(throwing: URLError(.badServerResponse))
        }
    }
}
