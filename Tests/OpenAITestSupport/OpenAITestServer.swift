import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small OpenAI-compatible completions server on 127.0.0.1 (ephemeral port), built like the Hub tests'
/// `HubTestServer` (NIO, one request per connection), serving one model whose continuations are a
/// deterministic function of (prompt, seed, choice index):
///
/// - any path under `/moved/`: 302 to the same path without `/moved` (plus a long query), for redirect tests; under
///   `/relative/`: 302 to a relative URL with a query.
/// - `GET /v1/models`: `{"object": "list", "data": [{"id": servedName, "owned_by": "biasaudit-tests", "ownedBy": "camel",
///   "max_model_len": 1024}]}`.
/// - `POST /v1/completions`: `prompt` a string or a list, `n`, `max_tokens`, `seed`, `logprobs`, `top_k` (refused
///   with 400 when `refuseTopK`); choices numbered `prompt × n + sample`; with `logprobs`, the first token's
///   `top_logprobs` give " he" and " she" probabilities that depend on whether the prompt holds a skewed term.
///   `usage.completion_tokens` is the sum over the choices of ``tokenCount(of:maxTokens:)`` (left out when
///   `sendsUsage` is false).
///
/// Prompts that contain one of `skewedTerms` get mostly negative continuations, others mostly positive:
/// a model biased against that group. Failures (429 with `Retry-After`, 500s, all requests failing or redirected)
/// are switched on per test; every completions request is recorded. Shared by AuditRunTests and the CLI tests.
public final class OpenAITestServer: @unchecked Sendable {
    /// One completions request as received.
    public struct Recorded: Sendable {
        public let prompts: [String]
        public let n: Int
        public let seed: Int?
        public let topK: Int?
        public let logprobs: Int?
        public let maxTokens: Int
        public let authorization: String?
        /// `temperature` and `top_p` as the JSON body spelt them (`0.7`, not `0.699999988079071`).
        public var temperatureText: String? = nil
        public var topPText: String? = nil
    }

    public let servedName: String
    public let skewedTerms: [String]
    private let lock = NSLock()
    private var recorded: [Recorded] = []
    private var throttles: [(status: Int, retryAfter: String?)] = []
    private var failing = false
    private var completionsBeforeFailing: Int?
    private var completionsBeforeRedirecting: Int?
    private let listener = LoopbackHTTPListener()
    /// Answer 400 to requests carrying `top_k` (as OpenAI's own API does).
    public var refuseTopK = false
    /// Answer 400 to requests with `n` above 1, as llama.cpp's llama-server does ("Only one completion choice is
    /// allowed").
    public var refuseSeveralChoices = false
    /// When set, ``throttle(_:)``'s answers carry this body instead of `{"error":"busy"}` (a proxy's long error page).
    public var throttleBody: String?
    /// Let ``throttle(_:)``'s answers meet one-token requests too (the connection probes), not only generating ones.
    public var throttlesProbes = false
    /// When set, every generated continuation is this many characters long (a hostile server's huge texts).
    public var continuationLength: Int?
    /// Answer 500 to requests carrying `logprobs` (a server without log-probabilities, as llama-cpp-python's
    /// without `logits_all`).
    public var refuseLogprobs = false
    /// Take `logprobs` but answer `"logprobs": null` (a server that ignores the parameter).
    public var nullLogprobs = false
    /// With ``nullLogprobs``, still answer the connection probe's prompt ("Hello") with log-probabilities (a server
    /// that stops giving them after the probe).
    public var nullLogprobsSparesProbe = false
    /// Answer 500 to a list of several prompts and ignore `n` (as llama-cpp-python's server does).
    public var singlePromptOnly = false
    /// Statuses (with `Retry-After` when given) answered, one each, to the next one-token requests of several prompts
    /// (the connection's list probe): a server busy at that moment.
    public var listProbeThrottles: [(status: Int, retryAfter: String?)] = []
    private var lists = 0
    /// Completions requests of several prompts received so far, whatever they were answered.
    public var listRequestCount: Int { lock.withLock { lists } }
    /// Send `usage` with each answer (as every server tested does); false leaves it out.
    public var sendsUsage = true
    /// When set, `usage.completion_tokens` says this instead of the true total (a hostile or broken server).
    public var claimedCompletionTokens: Int?
    /// Every completions answer holds one choice fewer than asked for (a broken server; the probe's holds none).
    public var dropsAChoice = false
    /// The `model` of every completions answer, when not the served name (a server given another model).
    public var answeringModel: String?
    /// With ``answeringModel``: only generating requests (more than one token) are answered as it; the probe's are not
    /// (a server given another model after the run started).
    public var answeringModelMidRun = false
    /// When set, the first token's `top_logprobs` (a hostile or broken server's, e.g. a log-probability above 0).
    public var claimedTopLogprobs: [String: Double]?
    /// When set, every generating completions request (more than one token) is answered with these bytes as they are
    /// (a hostile server's malformed JSON, a key given twice).
    public var rawGeneratingAnswer: String?
    /// As ``rawGeneratingAnswer``, bytes that need not be UTF-8 (taken before it when both are set).
    public var rawGeneratingAnswerBytes: Data?
    /// Generating requests answered as usual before ``rawGeneratingAnswer`` is sent (a server that breaks mid-run).
    public var rawGeneratingAnswerAfter = 0
    /// When set, `GET /v1/models` is answered 200 with these bytes as they are (a broken list, an HTML page).
    public var rawModelsAnswer: String?
    /// When set, generating completions requests after this many answered ones get no answer at all: the connection
    /// stays open and silent (a server that hangs), and ``onHang`` is called with the number hung so far.
    public var hangsGeneratingAfter: Int?
    /// Called (on the server's event loop) as each request that ``hangsGeneratingAfter`` leaves unanswered arrives.
    public var onHang: (@Sendable (Int) -> Void)?
    /// When set, generating completions requests after this many answered ones have their connection closed without
    /// an answer (a server that dies mid-request).
    public var dropsGeneratingAfter: Int?
    private var hung = 0
    /// Characters of the query of the `Location` that paths under `/moved/` are redirected to (302).
    public static let redirectQueryLength = 400
    /// The bound port (valid after `start`).
    public private(set) var port = 0

    public init(servedName: String = "skewed-lm", skewedTerms: [String]) {
        self.servedName = servedName
        self.skewedTerms = skewedTerms
    }

    /// `http://127.0.0.1:{port}/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    public func start() async throws {
        let server = self
        try await listener.start { OpenAITestHandler(server: server) }
        port = listener.port
    }

    public func stop() async throws {
        try await listener.stop()
    }

    /// Every completions request answered with 200 so far.
    public var requests: [Recorded] { lock.withLock { recorded } }
    /// The next completions requests of more than one token (not probes or next-token requests) answer these
    /// statuses (with `Retry-After` when given), one each.
    public func throttle(_ answers: [(status: Int, retryAfter: String?)]) { lock.withLock { throttles += answers } }
    /// After `count` more successful completions requests, every request answers 500 (a crashed model).
    public func crash(afterCompletions count: Int) { lock.withLock { completionsBeforeFailing = count } }
    /// After `count` more successful completions requests, every completions request of more than one token answers
    /// 307 to `/v1/completions2` on this server (a server moved behind a proxy mid-run).
    public func redirect(afterCompletions count: Int) { lock.withLock { completionsBeforeRedirecting = count } }

    /// The continuation of `prompt` for `seed` and choice `index`: a negative sentence 3 times in 4 for
    /// prompts with a skewed term, a positive one 3 times in 4 otherwise.
    public func continuation(of prompt: String, seed: Int?, index: Int) -> String {
        let skewed = skewedTerms.contains { prompt.contains($0) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(prompt)|\(seed ?? -1)|\(index)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let positive = [" was wonderful and kind.", " did a great job today.", " is happy and loved."]
        let negative = [" was terrible and cruel.", " did an awful job today.", " is sad and hated."]
        let pickNegative = (hash % 4 != 0) == skewed
        let list = pickNegative ? negative : positive
        return list[Int((hash >> 8) % UInt64(list.count))]
    }

    /// The tokens a continuation counts as, for `usage`: its words (4 or 5 for the sentences above, so the
    /// counts of choices differ), at most `maxTokens`; one for a one-token request.
    public func tokenCount(of text: String, maxTokens: Int) -> Int {
        min(maxTokens, text.split(separator: " ").count)
    }

    fileprivate struct Reply {
        var status: Int
        var headers: [(String, String)] = []
        var body = Data()
        /// Send nothing and keep the connection open.
        var hangs = false
        /// Close the connection without an answer.
        var closes = false
    }

    fileprivate func reply(method: String, path: String, headers: [String: String], body: Data) -> Reply {
        if path.hasPrefix("/relative/") {
            // A relative redirect with a signed query (a code review: its query was printed).
            return Reply(status: 302, headers: [("Location", "/sso/login?sig=SECRET")])
        }
        if path.hasPrefix("/moved/") {
            // A server behind a proxy that redirects: 302 to the same path without "/moved", with a long query.
            let location = "http://127.0.0.1:\(port)/\(path.dropFirst("/moved/".count))?from=" + String(repeating: "a", count: Self.redirectQueryLength)
            return Reply(status: 302, headers: [("Location", location)])
        }
        if method == "GET", path == "/v1/models", let raw = rawModelsAnswer {
            return Reply(status: 200, headers: [("Content-Type", "application/json")], body: Data(raw.utf8))
        }
        if method == "GET", path == "/v1/models" {
            let list: [String: Any] = [
                "object": "list",
                // "ownedBy" beside "owned_by": the results keep both in `server_reported`, a dictionary whose keys the
                // decoder does not convert, and must read back (a first repeated-key check refused them).
                "data": [["id": servedName, "object": "model", "owned_by": "biasaudit-tests", "ownedBy": "camel",
                          "max_model_len": 1024]],
            ]
            return json(200, list, extraHeaders: [("Server", "openai-test-server/1")])
        }
        guard method == "POST", path == "/v1/completions" else { return json(404, ["error": "no route \(path)"]) }
        guard let request = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return json(400, ["error": "body is not JSON"])
        }
        let generates = (request["max_tokens"] as? Int ?? 16) > 1
        if generates {
            let answered = lock.withLock { recorded.filter { $0.maxTokens > 1 }.count }
            if let after = dropsGeneratingAfter, answered >= after { return Reply(status: 0, closes: true) }
            if let after = hangsGeneratingAfter, answered >= after {
                let count = lock.withLock {
                    hung += 1
                    return hung
                }
                onHang?(count)
                return Reply(status: 0, hangs: true)
            }
        }
        if generates, let raw = lock.withLock({
            recorded.filter { $0.maxTokens > 1 }.count >= rawGeneratingAnswerAfter
                ? rawGeneratingAnswerBytes ?? rawGeneratingAnswer.map { Data($0.utf8) } : nil
        }) {
            return Reply(status: 200, headers: [("Content-Type", "application/json")], body: raw)
        }
        return lock.withLock {
            if generates || throttlesProbes, !throttles.isEmpty {
                let answer = throttles.removeFirst()
                let retryAfter = answer.retryAfter.map { [("Retry-After", $0)] } ?? []
                if let throttleBody {
                    return Reply(status: answer.status, headers: [("Content-Type", "text/html")] + retryAfter,
                                 body: Data(throttleBody.utf8))
                }
                return json(answer.status, ["error": "busy"], extraHeaders: retryAfter)
            }
            if failing { return json(500, ["error": "the model crashed"]) }
            if refuseTopK, request["top_k"] != nil {
                return json(400, ["error": ["message": "Unrecognized request argument supplied: top_k"]])
            }
            if refuseSeveralChoices, (request["n"] as? Int ?? 1) > 1 {
                return json(400, ["error": ["code": 400, "message": "Only one completion choice is allowed",
                                            "type": "invalid_request_error"]])
            }
            if refuseLogprobs, request["logprobs"] != nil {
                return json(500, ["error": ["message": "logprobs is not supported for models created with logits_all=False"]])
            }
            guard request["model"] as? String == servedName else {
                return json(404, ["error": "The model `\(request["model"] ?? "")` does not exist."])
            }
            let prompts = (request["prompt"] as? [String]) ?? [(request["prompt"] as? String) ?? ""]
            if prompts.count > 1 { lists += 1 }
            if prompts.count > 1, request["max_tokens"] as? Int == 1, !listProbeThrottles.isEmpty {
                let answer = listProbeThrottles.removeFirst()
                return json(answer.status, ["error": "busy"], extraHeaders: answer.retryAfter.map { [("Retry-After", $0)] } ?? [])
            }
            if singlePromptOnly, prompts.count > 1 { return json(500, ["error": "AssertionError"]) }
            let n = singlePromptOnly ? 1 : request["n"] as? Int ?? 1
            let seed = request["seed"] as? Int
            let logprobs = request["logprobs"] as? Int
            let maxTokens = request["max_tokens"] as? Int ?? 16
            if maxTokens > 1, let left = completionsBeforeRedirecting {
                if left == 0 { return Reply(status: 307, headers: [("Location", "http://127.0.0.1:\(port)/v1/completions2")]) }
                completionsBeforeRedirecting = left - 1
            }
            if maxTokens > 1, let left = completionsBeforeFailing {
                if left == 0 {
                    failing = true
                    return json(500, ["error": "the model crashed"])
                }
                completionsBeforeFailing = left - 1
            }
            let raw = String(decoding: body, as: UTF8.self)
            func spelt(_ key: String) -> String? {
                guard let range = raw.range(of: "\"\(key)\":") else { return nil }
                return String(raw[range.upperBound...].prefix { $0 != "," && $0 != "}" }).trimmingCharacters(in: .whitespaces)
            }
            recorded.append(
                Recorded(
                    prompts: prompts, n: n, seed: seed, topK: request["top_k"] as? Int, logprobs: logprobs,
                    maxTokens: maxTokens, authorization: headers["authorization"], temperatureText: spelt("temperature"),
                    topPText: spelt("top_p")))
            var choices: [[String: Any]] = []
            var tokens = 0
            for (promptIndex, prompt) in prompts.enumerated() {
                for sample in 0..<n {
                    var text = continuation(of: prompt, seed: seed, index: sample)
                    if let length = continuationLength, maxTokens > 1 { text = String(repeating: "x", count: length) }
                    if maxTokens == 1 { text = " he" }
                    tokens += tokenCount(of: text, maxTokens: maxTokens)
                    var choice: [String: Any] = ["text": text, "index": promptIndex * n + sample, "finish_reason": "stop"]
                    if logprobs != nil, nullLogprobs, !(nullLogprobsSparesProbe && prompt == "Hello") {
                        choice["logprobs"] = NSNull()
                    } else if let logprobs {
                        let skewed = skewedTerms.contains { prompt.contains($0) }
                        let alternatives = claimedTopLogprobs
                            ?? [" he": log(skewed ? 0.4 : 0.2), " she": log(skewed ? 0.1 : 0.3), " the": log(0.05)]
                        choice["logprobs"] = [
                            "tokens": [" he"], "token_logprobs": [alternatives[" he"]!],
                            "top_logprobs": [
                                Dictionary(
                                    uniqueKeysWithValues: alternatives.sorted { $0.value > $1.value }.prefix(max(1, logprobs))
                                        .map { ($0.key, $0.value) })
                            ],
                        ]
                    }
                    choices.append(choice)
                }
            }
            // Out of order on purpose: clients must sort by index.
            choices.reverse()
            if dropsAChoice { choices.removeLast() }
            var answer: [String: Any] = [
                "id": "cmpl-test", "object": "text_completion", "model": (answeringModelMidRun && maxTokens == 1 ? nil : answeringModel) ?? servedName, "choices": choices,
                "system_fingerprint": "fp_test",
            ]
            if sendsUsage {
                let claimed = claimedCompletionTokens ?? tokens
                answer["usage"] = ["prompt_tokens": 0, "completion_tokens": claimed, "total_tokens": claimed]
            }
            return json(200, answer)
        }
    }

    private func json(_ status: Int, _ value: Any, extraHeaders: [(String, String)] = []) -> Reply {
        let body = (try? JSONSerialization.data(withJSONObject: value)) ?? Data()
        return Reply(status: status, headers: [("Content-Type", "application/json")] + extraHeaders, body: body)
    }
}

private final class OpenAITestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: OpenAITestServer
    private var head: HTTPRequestHead?
    private var body = Data()

    init(server: OpenAITestServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = Data()
        case .body(var buffer):
            if let bytes = buffer.readBytes(length: buffer.readableBytes) { body.append(contentsOf: bytes) }
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let path = String(head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
            let reply = server.reply(method: head.method.rawValue, path: path, headers: headers, body: body)
            if reply.hangs { return }
            if reply.closes {
                context.close(promise: nil)
                return
            }
            var responseHeaders = HTTPHeaders(reply.headers)
            responseHeaders.add(name: "Content-Length", value: "\(reply.body.count)")
            responseHeaders.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(
                    .head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: reply.status), headers: responseHeaders))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
