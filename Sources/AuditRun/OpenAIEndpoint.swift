import AuditResults
import Foundation
import HTTPClient
import InputFiles
import PromptSets

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A client of one OpenAI-compatible completions API (vLLM, llama.cpp's server, TGI, SGLang, Ollama):
/// `GET {base}/models` and `POST {base}/completions`, as the OpenAI legacy completions API defines them.
///
/// Requests go round-robin over the replicas of ``EndpointSpec/baseURLs``. Transient failures (connection
/// errors, timeouts, HTTP 408/429/5xx) are retried with exponential backoff, or after the wait the server
/// announces in `Retry-After` / `RateLimit`, bounded as ``HTTPClient/RetryPolicy`` says. The API key
/// (`BIASAUDIT_API_KEY`, else `OPENAI_API_KEY`) is sent as `Authorization: Bearer …` to the endpoint's hosts
/// only (redirects are not followed) and appears in no message, log or file.
public final class OpenAIEndpoint: @unchecked Sendable {
    /// The largest answer read, in bytes (a completions answer of a few hundred choices is far smaller).
    public static let answerLimit = 64 << 20
    /// Of a completions answer's bound (``answerLimit(for:)``), the bytes around its choices: `id`, `usage`, and what
    /// servers add (llama.cpp's `timings` and settings).
    static let answerEnvelope = 1 << 20
    /// Of a completions answer's bound, the bytes of a choice besides its tokens.
    static let choiceBytes = 4 << 10
    /// Of a completions answer's bound, the bytes of one token of a choice, or of one of its `logprobs` alternatives: its
    /// text written with escapes (6 bytes a character) and the JSON around it.
    static let tokenBytes = 2 << 10
    /// Seconds without an answer before a request times out, when not given.
    public static let defaultTimeout: TimeInterval = 300

    /// The largest answer this client reads, in bytes (``answerLimit`` unless a test sets a smaller one); a completions
    /// answer is bounded by what was asked too (``answerLimit(for:)``).
    public let maximumAnswer: Int
    /// The endpoint.
    public let spec: EndpointSpec
    private let transport: HTTPTransport
    private let retry: RetryPolicy
    private let apiKey: String?
    private let lock = NSLock()
    private var nextReplica = 0

    /// Creates a client.
    /// - Parameters:
    ///   - spec: the endpoint.
    ///   - timeout: seconds without an answer before a request fails (and is retried).
    ///   - retry: the retry policy (tests inject one that does not sleep).
    ///   - environment: where the API key is read from.
    ///   - maximumAnswer: the largest answer read, in bytes.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when the API key (`BIASAUDIT_API_KEY`, else `OPENAI_API_KEY`) holds
    ///   another character than printable ASCII, which no HTTP header carries.
    public init(
        spec: EndpointSpec, timeout: TimeInterval = OpenAIEndpoint.defaultTimeout, retry: RetryPolicy = .standard,
        environment: [String: String] = ProcessInfo.processInfo.environment, maximumAnswer: Int = OpenAIEndpoint.answerLimit
    ) throws {
        self.spec = spec
        self.maximumAnswer = maximumAnswer
        transport = HTTPTransport(timeout: timeout)
        self.retry = retry
        // An empty variable is unset (a practitioner's review: an empty BIASAUDIT_API_KEY hid OPENAI_API_KEY, and no key
        // was sent), and line breaks and spaces around a key are dropped, as huggingface_hub does with HF_TOKEN.
        func key(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let name = key("BIASAUDIT_API_KEY") == nil ? "OPENAI_API_KEY" : "BIASAUDIT_API_KEY"
        apiKey = key(name)
        // The key goes in a header, printable ASCII only: a control character made every request fail as "not valid
        // HTTP", retried for 23 s and blamed on the server, and U+0085 went out as raw bytes (hostile reviews). Said at
        // once, without the key.
        if let apiKey, let bad = HTTPHeaderValue.firstUnsendable(apiKey) {
            throw AuditError.usage("\(name) holds a character no HTTP header can carry (U+\(String(format: "%04X", bad.value)); "
                + "the key is not shown); set it to the key alone, or unset it for a server that needs none")
        }
    }

    /// A server's answer as messages quote it: its first 4,096 bytes as text, the API key replaced by `***` wherever the
    /// server echoes it (a hostile review: "Incorrect API key provided: Bearer sk-…" printed the key, which the README
    /// says is never printed), cut to 200 characters and escaped. `collapsingSpace`: runs of white space as one space
    /// (a pretty-printed JSON body spent the excerpt on its layout).
    /// A key cut by those 4,096 bytes (or by the start of a page past the answer limit) is dropped with the part of it
    /// that is there (a code review: 29 of a key's 51 characters were printed from a page that had it at byte 4,060).
    public func quoted(_ body: Data, collapsingSpace: Bool = false) -> String {
        var text = String(decoding: body.prefix(4096), as: UTF8.self)
        if let apiKey, !apiKey.isEmpty {
            text = text.replacingOccurrences(of: apiKey, with: "***")
            if let cut = (1..<apiKey.count).reversed().first(where: { text.hasSuffix(apiKey.prefix($0)) }) {
                text = String(text.dropLast(cut))
            }
        }
        if collapsingSpace { text = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        return TextEscaping.excerpt(text, limit: 200)
    }

    /// The largest model list read (`GET /v1/models`), in bytes.
    public static let maximumModelList = 8 << 20

    /// The models the server lists (`GET {base}/models` of the first replica): each entry's `id` and its
    /// other scalar fields as text (what the server says about itself), plus the `Server` header.
    /// - Parameter required: whether the list is needed (no served name after `#`): then a missing route
    ///   (HTTP 404/405) is an error, most often a wrong URL, rather than nil.
    /// - Returns: nil when the server has no such route (HTTP 404/405), or a list longer than ``maximumModelList``,
    ///   and the list is not required.
    /// - Throws: ``AuditError/modelUnavailable(_:rerun:)`` (exit 69) when the server cannot be reached, or when the
    ///   list is required and the route is missing (naming the URL and the `/v1` path to check).
    public func models(required: Bool = false) async throws -> (models: [ServedModel], server: String?)? {
        let url = spec.baseURLs[0].appendingPathComponent("models")
        // 8 MiB: a model list takes a few KB, and a gateway's of hundreds of models with descriptions about 1 MB (a
        // hostile review: 61 MB of 1.9 million entries read at the 64 MiB cap took 40 s and 672 MB).
        // With `#NAME` the list only adds what the server says of the model: one past the limit is passed over (a review:
        // a gateway's 10 MB list stopped a command that did not need it).
        let response: HTTPResponse, body: Data
        do {
            (response, body) = try await send(
                method: "GET", url: url, body: nil, retryingConnections: false, retryingTimeouts: false, quietLimit: !required,
                limit: Self.maximumModelList,
                tooLarge: "a model list takes a few KB: check that --model's URL is the API's base URL (e.g. http://HOST:PORT/v1)")
        } catch is ProbeFailure {
            return nil
        }
        if response.status == 404 || response.status == 405 {
            guard required else { return nil }
            throw AuditError.modelUnavailable(
                "the server at \(url.absoluteString) answered HTTP \(response.status) to GET (no model list there); "
                    + "check the URL (it ends in the API version path, e.g. http://HOST:PORT/v1), or name the served "
                    + "model after '#'", rerun: true)
        }
        try Self.check(response, excerpt: quoted(body), url: url)
        let list: ModelList
        do {
            list = try JSONDecoder().decode(ModelList.self, from: body)
        } catch {
            // What is wrong where, as for a completions answer (a review: an HTML page, a list without "data" and ids
            // that are numbers all got "the answer is not an OpenAI model list" and the answer's first 80 characters).
            let shown = EndpointSpec.redactingCredentials(url.absoluteString)
            throw AuditError.badInput(
                path: shown,
                reason: "the answer to GET \(shown) (the served models, asked before any completion) is not an OpenAI model "
                    + "list ({\"data\": [{\"id\": \"…\"}, …]}): \(OpenAIAnswerProblem.describe(body, decodingError: error)); "
                    + "check that --model's URL is the API's base URL (e.g. http://HOST:PORT/v1) and that an OpenAI-compatible "
                    + "server answers there (its log, its version)")
        }
        return (list.data, response.header("Server").map { TextEscaping.excerpt($0, limit: 80) })
    }

    /// Sends one completions request and decodes the answer.
    /// - Parameters:
    ///   - request: the body (`model`, `prompt`, sampling parameters).
    ///   - retryingConnections: whether a refused connection is retried (false for the first contact, so a
    ///     server that is down fails at once).
    /// - Throws: ``AuditError/modelUnavailable(_:rerun:)`` (69) when the server cannot be reached or refuses access,
    ///   ``AuditError/badInput(path:reason:)`` (65) when it refuses the request or answers something else,
    ///   ``CompletionRefused`` when it answers 400/422 (the caller may retry without a parameter).
    ///   - attempts: attempts in all (nil: the retry policy's).
    ///   - probing: a server error (HTTP 5xx) on the last attempt is a ``CompletionRefused`` too (some servers
    ///     answer a parameter they do not take with 500).
    ///   - failingQuietly: for a probe whose failure only changes how later requests are made (the prompt-list probe):
    ///     a connection error or timeout is not retried, and every failure but a ``CompletionRefused`` is a
    ///     ``ProbeFailure`` with a short detail (a review: 4 × `--request-timeout` against a server stalling on lists,
    ///     and a note quoting a whole error with its "run the same command again").
    public func complete(
        _ request: CompletionRequest, retryingConnections: Bool = true, attempts: Int? = nil, probing: Bool = false,
        failingQuietly: Bool = false
    ) async throws -> CompletionResponse {
        guard failingQuietly else {
            return try await complete(
                request, retryingConnections: retryingConnections, attempts: attempts, probing: probing, quiet: false)
        }
        do {
            return try await complete(
                request, retryingConnections: retryingConnections, attempts: attempts, probing: probing, quiet: true)
        } catch let error as AuditError {
            // Refused access, a redirect, an answer not in the OpenAI format: said in a few words.
            throw ProbeFailure(detail: TextEscaping.excerpt(error.reason, limit: 160))
        }
    }

    /// The request sent to the replica at `index` of ``EndpointSpec/baseURLs`` (not the next one round-robin), as the
    /// probe sends it: four attempts, a refusal returned as ``CompletionRefused``. For ``RemoteModel``'s check that every
    /// replica answers the probe (a hostile review: a replica that was down was blamed on prompt lists, and found 23 s
    /// into the run).
    public func complete(_ request: CompletionRequest, atReplica index: Int) async throws -> CompletionResponse {
        try await complete(
            request, retryingConnections: false, attempts: 4, probing: true, quiet: false, at: spec.baseURLs[index])
    }

    private func complete(
        _ request: CompletionRequest, retryingConnections: Bool, attempts: Int?, probing: Bool, quiet: Bool, at base: URL? = nil
    ) async throws -> CompletionResponse {
        let url = (base ?? replica()).appendingPathComponent("completions")
        let body = try JSONEncoder().encode(request)
        // What was asked, for an answer past the size limit (a hostile review: "ask for fewer prompts per request"
        // named no option, and none sets that).
        let asked = "\(request.prompts.count) prompt\(request.prompts.count == 1 ? "" : "s") × n = \(request.n) of at most "
            + "\(request.maxTokens) token\(request.maxTokens == 1 ? "" : "s")" + (request.logprobs.map { " with logprobs=\($0)" } ?? "")
        // Past the bound of what was asked, an answer is the server's fault; only at the overall cap do smaller requests help.
        let limit = answerLimit(for: request)
        let (response, answer) = try await send(
            method: "POST", url: url, body: body, retryingConnections: retryingConnections, attempts: attempts,
            returningLastFailure: probing, retryingTimeouts: !probing, quiet: quiet, limit: limit,
            tooLarge: "far more than the \(asked) asked for take"
                + (limit < maximumAnswer ? " (biasaudit reads 1 MiB, plus 4 KiB a choice and 2 KiB a token and each of its alternatives)" : "")
                + "; the server is not answering as a completions API (check its log and that --model's URL is its API's base URL)"
                + (limit < maximumAnswer
                    ? "" : "; lowering --max-new-tokens (generate: --samples) makes answers smaller, but an answer this large is the "
                        + "server's fault"))
        if response.status == 400 || response.status == 422 || (probing && response.status >= 500) {
            throw CompletionRefused(
                url: url.absoluteString, status: response.status,
                message: quoted(answer))
        }
        try Self.check(response, excerpt: quoted(answer), url: url)
        // A key twice in one object ("text" twice in a choice): JSONDecoder keeps the first, Python's json the last, so
        // the text audited would depend on the reader (a review). Refused, as results and config files refuse it.
        if let repeated = JSONRepeatedKeys.first(in: answer) {
            throw AuditError.badInput(
                path: url.absoluteString,
                reason: "the answer gives key \"\(TextEscaping.excerpt(repeated.spelling, limit: 60))\" twice in one object "
                    + "(bytes \(repeated.firstOffset) and \(repeated.offset)); JSON readers disagree on which counts: it does not "
                    + "answer as a completions API")
        }
        do {
            return try JSONDecoder().decode(CompletionResponse.self, from: answer)
        } catch {
            // Where and what, not only that (a hostile review: a null text and a NaN log-probability got the same words).
            throw AuditError.badInput(
                path: url.absoluteString,
                reason: "the answer is not an OpenAI completions response ({\"choices\": [{\"text\": \"…\", …}]}): "
                    + "\(OpenAIAnswerProblem.describe(answer, decodingError: error)); check the server (its log, its version)")
        }
    }

    /// The largest answer read for `request`: ``answerEnvelope`` plus, per choice asked for (prompts × `n`),
    /// ``choiceBytes`` and ``tokenBytes`` for each of `max_tokens` tokens, its entries in `tokens` and `token_logprobs`
    /// and each of its `logprobs` alternatives, at most ``maximumAnswer``. An answer past it is refused as it arrives, not
    /// read whole and decoded: decoding takes up to 24 times an answer's size in memory (measured: a peak of 1.6 GB for an
    /// answer of 64 MiB to a one-prompt `generate`, which asked for a few KB).
    func answerLimit(for request: CompletionRequest) -> Int {
        let perToken = (2 + max(0, request.logprobs ?? 0)).multipliedReportingOverflow(by: Self.tokenBytes)
        let tokens = max(1, request.maxTokens).multipliedReportingOverflow(by: perToken.partialValue)
        let choice = tokens.partialValue.addingReportingOverflow(Self.choiceBytes)
        let choices = max(1, request.prompts.count).multipliedReportingOverflow(by: max(1, request.n))
        let all = choices.partialValue.multipliedReportingOverflow(by: choice.partialValue)
        let total = all.partialValue.addingReportingOverflow(Self.answerEnvelope)
        let overflow = perToken.overflow || tokens.overflow || choice.overflow || choices.overflow || all.overflow || total.overflow
        return overflow ? maximumAnswer : min(maximumAnswer, total.partialValue)
    }

    /// The next replica, round-robin.
    private func replica() -> URL {
        lock.withLock {
            let url = spec.baseURLs[nextReplica % spec.baseURLs.count]
            nextReplica += 1
            return url
        }
    }

    /// A request with retries on transient failures.
    /// - Parameters:
    ///   - returningLastFailure: when the attempts run out on a failing status, return that answer instead of throwing.
    ///   - quiet: a connection error or timeout ends at once, and a failure is a ``ProbeFailure`` with a short detail
    ///     (``complete(_:retryingConnections:attempts:probing:failingQuietly:)``).
    ///   - retryingTimeouts: a request that timed out is sent again; false for the probe (a hostile review: a server
    ///     that took connections and never answered held the start for 4 × `--request-timeout`, 20 minutes by default,
    ///     before the first word: a server that does not answer one short request in that time will not answer the next).
    ///   - quietLimit: an answer past `limit` is a ``ProbeFailure`` (a list that is not needed: `models(required:)`).
    ///   - limit: the largest answer read (nil: ``maximumAnswer``).
    ///   - tooLarge: what to say after "the answer is longer than 64 MiB, " (what was asked, what to check).
    private func send(
        method: String, url: URL, body: Data?, retryingConnections: Bool, attempts: Int? = nil,
        returningLastFailure: Bool = false, retryingTimeouts: Bool = true, quiet: Bool = false, quietLimit: Bool = false,
        limit: Int? = nil,
        tooLarge: String
    ) async throws -> (HTTPResponse, Data) {
        let limit = limit ?? maximumAnswer
        let maxAttempts = max(1, attempts ?? retry.maxAttempts)
        var headers = ["Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        if let apiKey { headers["Authorization"] = "Bearer \(apiKey)" }
        var announcedSoFar: TimeInterval = 0
        var attempt = 0
        while true {
            attempt += 1
            let detail: String
            var rateLimit: String?
            var announced: AnnouncedWait?
            do {
                let response: HTTPResponse, answer: Data
                do {
                    (response, answer) = try await transport.send(
                        method: method, url: url, headers: headers, body: body, limit: limit)
                } catch let tooLarge as HTTPBodyTooLarge {
                    // A 429 or 503 with a long page is still a rate limit or an overloaded server: retried like one, its
                    // excerpt from the page's start (a hostile review: a 429 with a 5 MB page was exit 65 at once).
                    guard let head = tooLarge.response, RetryPolicy.isTransient(status: head.status) else { throw tooLarge }
                    (response, answer) = (head, tooLarge.start)
                }
                guard RetryPolicy.isTransient(status: response.status) else { return (response, answer) }
                // A last 5xx goes back to the prober (a parameter some servers fail on); 429 and 408 stay
                // transient: they end in exit 69 like any request's (review: two 429s were exit 65).
                if returningLastFailure, attempt >= maxAttempts, response.status >= 500 { return (response, answer) }
                // A rate limit is said as one, with what the server says (often its quota; a practitioner's review:
                // "kept failing (HTTP 429) … check the server's log" where the README promised what to do).
                detail = "HTTP \(response.status)"
                if response.status == 429 {
                    // Its words, not its JSON layout (a code review: a pretty-printed body spent the excerpt on "\n    ").
                    rateLimit = quoted(answer, collapsingSpace: true)
                }
                announced = RetryHeaders.announcedWait(response)
            } catch let error as URLError where error.code != .cancelled {
                let refused = [.cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet]
                    .contains(error.code)
                detail = error.localizedDescription
                if error.isCertificateFailure {
                    // A certificate no trusted authority vouches for stays so: said at once, not after the retries, and
                    // its sentence says what to do (the trusted authorities), not "start the server".
                    throw AuditError.modelUnavailable(
                        "cannot connect securely to the OpenAI-compatible server at \(url.absoluteString): "
                            + TextEscaping.excerpt(detail.hasSuffix(".") ? String(detail.dropLast()) : detail, limit: 800),
                        rerun: true)
                }
                // No TLS spoken back (an https URL at a plain-http port): said at once, with the likely fix, not after
                // six attempts as "no whole HTTP answer" (a review).
                if error.code == .secureConnectionFailed, url.scheme?.lowercased() == "https" {
                    throw AuditError.modelUnavailable(
                        "cannot make a TLS connection to the server at \(url.absoluteString) "
                            + "(\(TextEscaping.excerpt(detail, limit: 120))): if it serves plain HTTP, write http:// in --model; "
                            + "else check its TLS setup", rerun: true)
                }
                if quiet {
                    throw ProbeFailure(detail: error.code == .timedOut
                        ? "no answer within \(Int(transport.timeout.rounded())) s" : TextEscaping.excerpt(detail, limit: 120))
                }
                if refused && !retryingConnections || attempt >= maxAttempts || (error.code == .timedOut && !retryingTimeouts) {
                    if error.code == .timedOut {
                        throw AuditError.modelUnavailable(
                            "the server at \(url.absoluteString) did not answer within \(Int(transport.timeout.rounded())) s "
                                + "(--request-timeout), \(attempt) attempt\(attempt == 1 ? "" : "s"): it is slow, or nothing "
                                + "answers at that address; check that the server is up and the URL, or raise --request-timeout",
                            rerun: true)
                    }
                    // A connection that was made but gave no whole HTTP answer (cut short, closed before its head, a
                    // header with a control byte) is the server's failure, not one to start it (a hostile review:
                    // "start the server" after 23 s of retries against a server that answered).
                    guard refused else {
                        throw AuditError.modelUnavailable(
                            "the server at \(url.absoluteString) gave no whole HTTP answer "
                                + "(\(TextEscaping.excerpt(detail, limit: 120))) after \(attempt) attempt\(attempt == 1 ? "" : "s"); "
                                + "check that the server has finished starting, its log, and that --model's URL is its API's "
                                + "base URL", rerun: true)
                    }
                    throw Self.unreachable(url, detail: detail)
                }
            } catch is HTTPBodyTooLarge {
                let size = limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
                if quiet || quietLimit { throw ProbeFailure(detail: "an answer longer than \(size)") }
                throw AuditError.badInput(path: url.absoluteString, reason: "the answer is longer than \(size), \(tooLarge)")
            }
            if Task.isCancelled { throw CancellationError() }
            guard attempt < maxAttempts else {
                if quiet { throw ProbeFailure(detail: "\(detail), \(attempt) attempts") }
                throw AuditError.modelUnavailable(
                    rateLimit.map { body in
                        "the server at \(url.absoluteString) is rate-limiting these requests (HTTP 429: '\(body)') after "
                            + "\(attempt) attempts: wait, and send it fewer requests at once (run's --concurrency, other "
                            + "runs against it; a quota the server names may need raising)"
                    } ?? "the server at \(url.absoluteString) kept failing (\(detail)) after \(attempt) attempts; check the "
                        + "server's log",
                    rerun: true)
            }
            switch retry.decision(beforeRetry: attempt, announced: announced, announcedSoFar: &announcedSoFar) {
            case .wait(let seconds, _):
                try await retry.sleep(seconds)
            case .giveUp(let retryAfter):
                if quiet { throw ProbeFailure(detail: "\(detail), asked to wait \(RetryPolicy.spokenWait(retryAfter))") }
                // A wait within the cap, refused because this request has waited its total already, is said so (a code
                // review: a server answering every request 429 with Retry-After: 50 was told 50 s was "longer than
                // biasaudit waits").
                let spoken = RetryPolicy.spokenWait(retryAfter)
                guard announcedSoFar == 0 || TimeInterval(retryAfter) > retry.maxAnnouncedDelay else {
                    throw AuditError.modelUnavailable(
                        "the server at \(url.absoluteString) asks to wait \(spoken) more before the next request (\(detail)), "
                            + "after \(RetryPolicy.spokenWait(RetryPolicy.wholeSeconds(announcedSoFar))) of such waits for this "
                            + "request, the most biasaudit waits for one being "
                            + "\(RetryPolicy.spokenWait(RetryPolicy.wholeSeconds(retry.maxTotalAnnouncedDelay))): the server is "
                            + "overloaded; lower --concurrency, or wait", rerun: true)
                }
                throw AuditError.modelUnavailable(
                    "the server at \(url.absoluteString) asks to wait \(spoken) before the next request (\(detail)), "
                        + "longer than biasaudit waits; wait that long", rerun: true)
            }
        }
    }

    private static func unreachable(_ url: URL, detail: String) -> AuditError {
        .modelUnavailable(
            "cannot reach the OpenAI-compatible server at \(url.absoluteString) (\(TextEscaping.excerpt(detail, limit: 120))); "
                + "start the server or correct --model's URL", rerun: true)
    }

    /// Refusals that waiting will not fix: 401/403 (the key), 404 (the route or the served name), 3xx
    /// redirects (not followed; the message shows the escaped, shortened `Location`), others.
    /// - Parameter excerpt: the answer's body as messages quote it (``quoted(_:collapsingSpace:)``), made only for a
    ///   refusal.
    private static func check(_ response: HTTPResponse, excerpt makeExcerpt: @autoclosure () -> String, url: URL) throws {
        guard !(200..<300).contains(response.status) else { return }
        let excerpt = makeExcerpt()
        switch response.status {
        case 401, 403:
            throw AuditError.modelUnavailable(
                "the server at \(url.absoluteString) refused access (HTTP \(response.status): '\(excerpt)'); set "
                    + "BIASAUDIT_API_KEY (or OPENAI_API_KEY) to a key it accepts", rerun: true)
        case 404:
            throw AuditError.modelUnavailable(
                "the server at \(url.absoluteString) answered 404 ('\(excerpt)'); check the URL (it ends in the API "
                    + "version, e.g. /v1) and the served name after '#' (GET /v1/models lists them)", rerun: true)
        case 300..<400:
            // Its credentials and query hidden as in every URL shown (a hostile review: a signed token in it was printed).
            // A relative one ("/sso?sig=…", "//host/…?sig=…") has its query hidden too (a code review).
            let location = response.header("Location").map { value -> String in
                var shown = EndpointSpec.redactingCredentials(value)
                if !shown.contains("://"), let question = shown.firstIndex(of: "?") { shown = shown[..<question] + "?***" }
                return "'\(TextEscaping.excerpt(shown, limit: 120))'"
            } ?? "no Location"
            throw AuditError.badInput(
                path: url.absoluteString,
                reason: "the server answered HTTP \(response.status), a redirect to \(location); redirects are not "
                    + "followed (the API key would go along): give the final URL in --model")
        default:
            throw AuditError.badInput(
                path: url.absoluteString, reason: "the server answered HTTP \(response.status): '\(excerpt)'")
        }
    }
}

/// A probe's request failed in a way that only changes how later requests are made (the prompt-list probe): what
/// failed, in a few words ("HTTP 429, 4 attempts", "no answer within 300 s").
public struct ProbeFailure: Error, Equatable {
    /// What failed.
    public let detail: String
}

/// A 400 or 422 answer to a completions request: the server does not take one of its parameters.
public struct CompletionRefused: Error, CustomStringConvertible {
    /// The URL asked.
    public let url: String
    /// 400 or 422.
    public let status: Int
    /// The server's text, escaped and cut.
    public let message: String
    public var description: String { "\(url): error: the server refused the request (HTTP \(status): '\(message)')" }
}

/// One entry of `GET /v1/models`.
public struct ServedModel: Decodable, Sendable, Equatable {
    /// The served name.
    public var id: String
    /// Every other scalar field, as text (`owned_by`, `max_model_len`, `created`, …).
    public var fields: [String: String]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        id = try container.decode(String.self, forKey: Key(stringValue: "id"))
        var fields: [String: String] = [:]
        for key in container.allKeys.prefix(40) where key.stringValue != "id" {
            let value: String? =
                (try? container.decode(String.self, forKey: key))
                ?? (try? container.decode(Int.self, forKey: key)).map(String.init)
                ?? (try? container.decode(Double.self, forKey: key)).map { "\($0)" }
                ?? (try? container.decode(Bool.self, forKey: key)).map { "\($0)" }
            if let value { fields[TextEscaping.excerpt(key.stringValue, limit: 40)] = TextEscaping.excerpt(value, limit: 120) }
        }
        self.fields = fields
    }
}

private struct ModelList: Decodable {
    var data: [ServedModel]
}

/// The body of `POST /v1/completions` (fields left nil are not sent).
public struct CompletionRequest: Encodable, Sendable {
    /// The served model name.
    public var model: String
    /// The prompts (sent as a string when ``promptsAsList`` is false and there is one).
    public var prompts: [String]
    /// Send `prompt` as a list.
    public var promptsAsList = true
    /// `max_tokens`.
    public var maxTokens: Int
    /// `n`: completions per prompt.
    public var n: Int = 1
    /// `temperature`.
    public var temperature: Double?
    /// `top_p`.
    public var topP: Double?
    /// `top_k` (not in OpenAI's API; vLLM, llama.cpp, TGI and SGLang take it).
    public var topK: Int?
    /// `seed`.
    public var seed: Int?
    /// `logprobs`: how many most probable alternatives to return per generated token.
    public var logprobs: Int?

    /// Creates a request.
    public init(model: String, prompts: [String], maxTokens: Int) {
        self.model = model
        self.prompts = prompts
        self.maxTokens = maxTokens
    }

    private enum CodingKeys: String, CodingKey {
        case model, prompt, maxTokens = "max_tokens", n, temperature, topP = "top_p", topK = "top_k", seed, logprobs
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        if promptsAsList || prompts.count != 1 {
            try container.encode(prompts, forKey: .prompt)
        } else {
            try container.encode(prompts[0], forKey: .prompt)
        }
        try container.encode(maxTokens, forKey: .maxTokens)
        try container.encode(n, forKey: .n)
        try container.encodeIfPresent(temperature, forKey: .temperature)
        try container.encodeIfPresent(topP, forKey: .topP)
        try container.encodeIfPresent(topK, forKey: .topK)
        try container.encodeIfPresent(seed, forKey: .seed)
        try container.encodeIfPresent(logprobs, forKey: .logprobs)
    }
}

/// The answer of `POST /v1/completions`.
public struct CompletionResponse: Decodable, Sendable {
    /// One completion.
    public struct Choice: Decodable, Sendable {
        /// The continuation.
        public var text: String
        /// `prompt index × n + sample`.
        public var index: Int?
        /// `stop`, `length`, …
        public var finishReason: String?
        /// The log probabilities, when asked for and given.
        public var logprobs: Logprobs?

        private enum CodingKeys: String, CodingKey {
            case text, index, finishReason = "finish_reason", logprobs
        }
    }

    /// The choices in the order of their `index` (`prompt index × n + sample`; servers may send them in any order), or
    /// in the order sent when no choice has one.
    /// - Returns: nil unless the indices are exactly 0…count − 1, each once, or all absent (a hostile review: choices
    ///   numbered 0, 0, 1, 1, 2, 2 in reverse were zipped with the prompts, and one group's texts became the other's).
    public var choicesInOrder: [Choice]? {
        let indices = choices.map(\.index)
        if indices.allSatisfy({ $0 == nil }) { return choices }
        var ordered = [Choice?](repeating: nil, count: choices.count)
        for choice in choices {
            guard let index = choice.index, ordered.indices.contains(index), ordered[index] == nil else { return nil }
            ordered[index] = choice
        }
        return ordered.compactMap { $0 }
    }

    /// `logprobs` of a choice, in the legacy form (`tokens`, `top_logprobs: [{token: logprob}]`) or the chat
    /// form some servers also use (`content: [{token, logprob, top_logprobs: [{token, logprob}]}]`).
    public struct Logprobs: Decodable, Sendable {
        /// The generated tokens' text.
        public var tokens: [String]?
        /// Per generated token, the most probable alternatives and their natural-log probabilities.
        public var topLogprobs: [[String: Double]?]?
        /// The chat form.
        public var content: [ContentToken]?

        /// One token of the chat form.
        public struct ContentToken: Decodable, Sendable {
            /// An alternative.
            public struct Alternative: Decodable, Sendable {
                public var token: String
                public var logprob: Double
            }
            public var token: String?
            public var logprob: Double?
            public var topLogprobs: [Alternative]?

            private enum CodingKeys: String, CodingKey {
                case token, logprob, topLogprobs = "top_logprobs"
            }
        }

        private enum CodingKeys: String, CodingKey {
            case tokens, topLogprobs = "top_logprobs", content
        }

        /// The alternatives of the first generated token, whichever form the server used.
        public var firstTokenAlternatives: [String: Double]? {
            if let first = topLogprobs?.first, let first { return first }
            if let first = content?.first?.topLogprobs {
                var alternatives: [String: Double] = [:]
                for alternative in first { alternatives[alternative.token] = alternative.logprob }
                return alternatives
            }
            return nil
        }
    }

    /// Token counts.
    public struct Usage: Decodable, Sendable {
        /// Nil when absent or not a whole number an Int holds (a count beyond Int, a string): `usage` is optional
        /// and only informs the speed figures, so a broken count makes the tokens unknown, not the answer unreadable
        /// (review: 18446744073709551615 refused the whole answer).
        public var completionTokens: Int?

        private enum CodingKeys: String, CodingKey {
            case completionTokens = "completion_tokens"
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            completionTokens = try? container.decodeIfPresent(Int.self, forKey: .completionTokens)
        }
    }

    /// The choices.
    public var choices: [Choice]
    /// The model that answered, as the server names it.
    public var model: String?
    /// Token counts.
    public var usage: Usage?
    /// The server's configuration fingerprint (OpenAI, vLLM).
    public var systemFingerprint: String?

    private enum CodingKeys: String, CodingKey {
        case choices, model, usage, systemFingerprint = "system_fingerprint"
    }
}
