import AuditAnalysis
import AuditResults
import Foundation
import Generation
import Hashing
import PromptSets

/// A model served by an OpenAI-compatible server, connected: its served name, what the server reported,
/// and which request features it takes (found by ``connect(_:label:sampling:endpoint:)``).
public struct RemoteModel: Sendable {
    /// The model's label.
    public let label: String
    /// The `--model` spec as given.
    public let spec: String
    /// The client.
    public let endpoint: OpenAIEndpoint
    /// The served model name sent as `model`.
    public let servedName: String
    /// What the server said about itself and the model (`GET /v1/models` fields, `Server` header).
    public let reported: [String: String]
    /// Whether `prompt` may be a list (several prompts per request).
    public let acceptsPromptLists: Bool
    /// The optional parameters the server took without refusing (`top_k`, `seed`, `logprobs`).
    public let acceptedParameters: [String]
    /// The `logprobs` count the server takes (nil: none, so next-token log-odds are unavailable).
    public let logprobsCount: Int?
    /// The parameters the connection probe dropped because the server refused them, each with the server's answer
    /// (`top_k (HTTP 422: '…')`), for the run to say so: a dropped `top_k` samples differently from what the run's
    /// settings say (review: it was dropped without a word after two transient 503s).
    public let droppedParameters: [String]
    /// Whether the server took `logprobs` (20, then 5) but answered the probe without log-probabilities (`"logprobs":
    /// null`, or no alternatives): ``logprobsCount`` is then nil, as for a server that refuses the parameter (a hostile
    /// review: such a server was recorded as giving `top_logprobs`, and the log-odds rows vanished without a word).
    public let logprobsIgnored: Bool
    /// Why the list probe (two prompts in one request) found no lists, when the server failed it rather than refusing
    /// it or answering it with one choice (a 429 or 408, a dropped connection, a timeout): the run then sends one
    /// prompt per request, and says why (a hostile review: one 503 on the probe made a run send 38 requests instead of
    /// 7, without a word). nil when the server takes lists, refused them, or answered with a wrong number of choices.
    public var listProbeFailure: String? = nil
    /// Whether the server's model list (`GET /v1/models`) names ``servedName``: a server that lists the name asked for
    /// serves it by that name, so an answer in another model's name is a fallback; llama.cpp's llama-server and TGI
    /// answer in their own model's name whatever is asked (a code review), and list only it.
    public var listsServedName = false

    /// The most alternatives asked for per token (vLLM's default limit is 20; OpenAI's was 5).
    static let logprobCounts = [20, 5]

    /// Prompts sent in one request when the server takes lists.
    public static let promptsPerRequest = 32

    /// Connects: resolves the served name (the spec's `#NAME`, else the only model of `GET /v1/models`), finds
    /// which parameters the server takes with a one-token probe request, dropping what it refuses (`top_k`,
    /// `logprobs` 20 then 5, `seed`) until it answers, then whether it takes a list of prompts.
    /// - Parameters:
    ///   - sampling: the run's settings (`top_k` is probed only when it is on).
    ///   - probingLists: whether to probe prompt lists (`generate` and `next-token` send one prompt, and do not).
    /// - Throws: ``AuditError/modelUnavailable(_:rerun:)`` (69) when the server cannot be reached,
    ///   ``AuditError/usage(_:)`` when the served name is missing and the server serves several models.
    public static func connect(
        _ spec: String, label: String, sampling: SamplingParameters, endpoint: OpenAIEndpoint, probingLists: Bool = true
    ) async throws -> RemoteModel {
        let parsed = endpoint.spec
        var reported: [String: String] = [:]
        var servedName = parsed.servedName
        var listed: [String] = []
        if let (models, server) = try await endpoint.models(required: servedName == nil) {
            listed = models.map(\.id)
            if let server { reported["server"] = server }
            if servedName == nil, !models.isEmpty {
                guard models.count == 1 else {
                    let names = models.prefix(10).map { "'\(TextEscaping.excerpt($0.id, limit: 60))'" }.joined(separator: ", ")
                    throw AuditError.usage(
                        "--model \(EndpointSpec.redactingCredentials(spec)): the server serves \(models.count) models (\(names)); name one after '#', e.g. \(parsed.baseURLs[0].absoluteString)#NAME")
                }
                servedName = models[0].id
            }
            if let entry = models.first(where: { $0.id == servedName }) {
                for (key, value) in entry.fields { reported[key] = value }
            }
        }
        guard let servedName else {
            throw AuditError.usage(
                "--model \(EndpointSpec.redactingCredentials(spec)): the server lists no models (GET /v1/models); name the served model after '#', e.g. \(parsed.baseURLs[0].absoluteString)#NAME")
        }
        // Probe 1, the parameters: the richest one-prompt request first; drop a parameter each time the server
        // refuses (HTTP 400/422, or a 5xx on each of four attempts: some servers fail on a parameter they do not take),
        // the one its message names, else the first in this order.
        var features: [String] = []
        var dropped: [String] = []
        var logprobsIgnored = false
        if sampling.topK > 0 { features.append("top_k") }
        features += ["logprobs=20", "seed"]
        var taken: CompletionRequest?
        while true {
            var request = CompletionRequest(model: servedName, prompts: ["Hello"], maxTokens: 1)
            request.promptsAsList = false
            request.temperature = AuditRunner.decimal(sampling.temperature)
            request.topP = AuditRunner.decimal(sampling.topP)
            if features.contains("top_k") { request.topK = sampling.topK }
            if features.contains("seed") { request.seed = 1 }
            if let count = features.first(where: { $0.hasPrefix("logprobs=") }) { request.logprobs = Int(count.dropFirst(9)) }
            do {
                // Four attempts with the retry policy's backoff (1 + 2 + 4 s): a server warming up (503, 429) is waited
                // for, not taken to refuse a parameter (review: two 503s dropped top_k).
                let answer = try await endpoint.complete(request, retryingConnections: false, attempts: 4, probing: true)
                // One choice for its one prompt, else the answer is not the API's: said at once, not read as "no
                // log-probabilities" first (a hostile review: a server answering 0 choices got that note and 7 requests).
                guard answer.choices.count == 1 else {
                    throw AuditError.badInput(
                        path: endpoint.spec.endpoint,
                        reason: "the server answered \(answer.choices.count) choices for the probe's one prompt; it does not "
                            + "follow the OpenAI completions API (one choice per prompt and n): check that --model's URL is "
                            + "its API's base URL, and the server's log")
                }
                if let count = request.logprobs, !Self.hasLogprobs(answer.choices.first) {
                    // Taken but not honoured: 5 may be (a server that caps the count silently), else none.
                    features.removeAll { $0.hasPrefix("logprobs=") }
                    if count > 5 {
                        features.append("logprobs=5")
                        continue
                    }
                    logprobsIgnored = true
                }
                if let model = answer.model { reported[RunStore.answeringModelKey] = TextEscaping.excerpt(model, limit: 120) }
                if let fingerprint = answer.systemFingerprint {
                    reported["system_fingerprint"] = TextEscaping.excerpt(fingerprint, limit: 120)
                }
                taken = request
                break
            } catch let refused as CompletionRefused {
                let order = ["top_k", "logprobs=20", "logprobs=5", "seed"].filter(features.contains)
                let message = refused.message.lowercased()
                let named = order.first { message.contains(String($0.prefix { $0 != "=" })) }
                guard let drop = named ?? order.first else {
                    if refused.status >= 500 {
                        // A server that fails even the plain request is failing, not refusing a parameter.
                        throw AuditError.modelUnavailable(
                            "the server at \(refused.url) keeps failing (HTTP \(refused.status): '\(refused.message)') even on a "
                                + "plain one-token completions request; check the server's log", rerun: true)
                    }
                    throw AuditError.badInput(
                        path: refused.url,
                        reason: "the server refuses even a plain one-token completions request (HTTP \(refused.status): '\(refused.message)'); check the served name '\(TextEscaping.excerpt(servedName, limit: 60))'")
                }
                features.removeAll { $0 == drop }
                if drop == "logprobs=20" { features.append("logprobs=5") }
                dropped.append("\(drop) (HTTP \(refused.status): '\(refused.message)')")
            }
        }
        if let taken, parsed.baseURLs.count > 1 {
            try await checkReplicas(endpoint, taken)
        }
        // Probe 2, a list of prompts: a refusal, a failure or a wrong number of choices means one prompt per request
        // (llama-cpp-python's server, for one, answers a list with an error); a failure that is not a refusal is said.
        var lists = false
        var listProbeFailure: String?
        var listProbe = CompletionRequest(model: servedName, prompts: ["Hello", "Hi"], maxTokens: 1)
        listProbe.temperature = AuditRunner.decimal(sampling.temperature)
        do {
            // Four attempts on a failing status, as for the parameters (README, "What is sent"): a server busy for a
            // moment (a 503 with Retry-After: 1) is waited for (a hostile review: one 503 here made a run send 38
            // requests instead of 7); one that fails every list (llama-cpp-python's server answers 500) costs three
            // more requests and 7 s. A timeout or a dropped connection is not retried (a review: 4 × --request-timeout).
            if probingLists {
                lists = try await endpoint.complete(
                    listProbe, retryingConnections: false, attempts: 4, probing: true, failingQuietly: true).choices.count == 2
            }
        } catch is CompletionRefused {
            // A refusal (400, 422; a 5xx on every attempt): the server takes one prompt per request.
        } catch let failure as ProbeFailure {
            listProbeFailure = failure.detail
        } catch {
            // Cancelled (an interrupt while waiting): the run stops on it after the connection.
        }
        // Every replica must take lists, or a request of several prompts fails mid-run at the one that does not (a code
        // review: refused 400 mid-run); one that does not makes every request hold one prompt, said as the list probe's
        // failure is.
        if lists, parsed.baseURLs.count > 1 {
            for index in parsed.baseURLs.indices {
                let shown = EndpointSpec.redactingCredentials(parsed.baseURLs[index].absoluteString)
                do {
                    if try await endpoint.complete(listProbe, atReplica: index).choices.count != 2 {
                        (lists, listProbeFailure) = (false, "the replica at \(shown) answered a list of two prompts otherwise")
                    }
                } catch is CancellationError {
                    break
                } catch let refused as CompletionRefused {
                    (lists, listProbeFailure) = (false, "the replica at \(shown) refused it (HTTP \(refused.status))")
                } catch {
                    (lists, listProbeFailure) = (false, "the replica at \(shown): \(TextEscaping.excerpt("\(error)", limit: 120))")
                }
                if !lists { break }
            }
        }
        if lists { features.append("list") }
        let logprobs = features.first(where: { $0.hasPrefix("logprobs=") }).flatMap { Int($0.dropFirst(9)) }
        var accepted = features.filter { $0 == "top_k" || $0 == "seed" }
        if logprobs != nil { accepted.append("logprobs") }
        var model = RemoteModel(
            label: label, spec: spec, endpoint: endpoint, servedName: servedName, reported: reported,
            acceptsPromptLists: features.contains("list"), acceptedParameters: accepted.sorted(), logprobsCount: logprobs,
            droppedParameters: dropped, logprobsIgnored: logprobsIgnored)
        model.listProbeFailure = lists ? nil : listProbeFailure
        model.listsServedName = listed.contains(servedName)
        return model
    }

    /// Sends the request the probe found taken to every replica of `endpoint` (`URL1,URL2#NAME`): each must answer it
    /// with one choice, as the same model. A replica that cannot be reached ends the run now (exit 69, naming its URL),
    /// not 23 s into it after a note blaming prompt lists (a hostile review); one that refuses what another takes, or
    /// answers as another model, is refused (exit 65): its completions would be sampled otherwise under one label.
    static func checkReplicas(_ endpoint: OpenAIEndpoint, _ request: CompletionRequest) async throws {
        let urls = endpoint.spec.baseURLs
        var named: (url: String, model: String)?
        for index in urls.indices {
            let shown = EndpointSpec.redactingCredentials(urls[index].absoluteString)
            let answer: CompletionResponse
            do {
                answer = try await endpoint.complete(request, atReplica: index)
            } catch let refused as CompletionRefused {
                // A 5xx past the probe's four attempts is a failing replica (69), not a refusal (65).
                if refused.status >= 500 {
                    throw AuditError.modelUnavailable(
                        "the replica at \(shown) keeps failing (HTTP \(refused.status): '\(refused.message)') on the request the "
                            + "others take; check its log", rerun: true)
                }
                throw AuditError.badInput(
                    path: shown, reason: "this replica refuses the request the others take (HTTP \(refused.status): "
                        + "'\(refused.message)'); the replicas of one --model must run the same server with the same model")
            }
            guard answer.choices.count == 1 else {
                throw AuditError.badInput(
                    path: shown, reason: "this replica answered \(answer.choices.count) choices for the probe's one prompt; it "
                        + "does not follow the OpenAI completions API (one choice per prompt and n)")
            }
            // Compared with the first replica that named its model, not with the probe's answer (a code review: the
            // replica that answered as the requested name was blamed).
            guard let model = answer.model.map({ TextEscaping.excerpt($0, limit: 120) }) else { continue }
            if let (firstURL, firstModel) = named, firstModel != model {
                throw AuditError.badInput(
                    path: shown, reason: "this replica answers as the model '\(model)', the replica at \(firstURL) as "
                        + "'\(firstModel)': the replicas of one --model must serve the same model (give each model a --model "
                        + "of its own; llama.cpp's server names its model by its file path unless started with the same --alias)")
            }
            if named == nil { named = (shown, model) }
        }
    }

    /// Whether `choice` carries the first token's alternatives (a non-empty `top_logprobs[0]`, or the chat form's).
    static func hasLogprobs(_ choice: CompletionResponse.Choice?) -> Bool {
        !(choice?.logprobs?.firstTokenAlternatives?.isEmpty ?? true)
    }

    /// The manifest entry: endpoint, served name, what the server reported, which parameters it took, and
    /// that common random numbers are not enforced.
    public var manifest: ModelManifest {
        var manifest = ModelManifest(
            id: label, spec: spec, source: ModelManifest.servedSource, repoID: nil, revision: nil, commit: nil,
            weightsSHA256: nil, layers: nil, embeddingSize: nil, heads: nil)
        manifest.endpoint = endpoint.spec.endpoint
        manifest.servedName = servedName
        manifest.serverReported = reported.isEmpty ? nil : reported
        manifest.acceptedParameters = acceptedParameters
        manifest.commonRandomNumbers = false
        manifest.nextTokenLogOdds = logprobsCount == nil ? "unavailable" : "top_logprobs"
        return manifest
    }

    /// The `seed` sent for sample `sampleIndex` of prompts with stream key `key`: the completion's random
    /// stream id mixed with the run seed, in 0..<2³¹ (every engine's seed type holds it).
    public static func seed(runSeed: UInt64, key: String, sampleIndex: Int) -> Int {
        seed(runSeed: runSeed, stream: RandomStreams.streamID(key: key, sampleIndex: sampleIndex))
    }

    /// The `seed` of stream `stream` of the run seeded with `runSeed`, in 0..<2³¹.
    public static func seed(runSeed: UInt64, stream: UInt64) -> Int {
        Int(SplitMix64.finalize(SplitMix64.finalize(runSeed) ^ stream) >> 33)
    }

    /// The request for `prompts` with the run's sampling settings, as far as the server takes them.
    func request(prompts: [String], maxTokens: Int, sampling: SamplingParameters, seed: Int, n: Int = 1)
        -> CompletionRequest
    {
        var request = CompletionRequest(model: servedName, prompts: prompts, maxTokens: maxTokens)
        request.promptsAsList = acceptsPromptLists
        request.n = n
        if sampling.greedy {
            request.temperature = 0
        } else {
            request.temperature = AuditRunner.decimal(sampling.temperature)
            request.topP = AuditRunner.decimal(sampling.topP)
            if sampling.topK > 0, acceptedParameters.contains("top_k") { request.topK = sampling.topK }
        }
        if acceptedParameters.contains("seed") { request.seed = seed }
        return request
    }

    /// The male and female pronoun probability of the first token, summed over the pronoun forms among the
    /// server's top alternatives (the forms of ``PronounTokens``: "he", " he", "He", " He", …). A side none of
    /// whose forms is listed gets 0, which makes the log-odds undefined (reported as unavailable, never
    /// estimated). A log-probability of −∞ is a probability of 0.
    ///
    /// A hostile review found a server's log-probabilities stored unchecked: `{" he": 0.0, " him": -12}` made a
    /// male mass of 1.000006 and a logprob of 50 one of 5e21, which the run store then refused on reading, and a
    /// NaN failed its NOT NULL constraint, both blamed on "another program". So a log-probability above 0 (beyond
    /// ``logprobRounding``) or NaN is the server's error, and two masses that pass 1 only by rounding (at most
    /// ``totalRounding``) are scaled down to sum to 1, keeping their ratio (the log-odds).
    /// - Throws: ``ServedLogprobProblem`` naming the alternative or the total.
    public static func pronounProbabilities(_ alternatives: [String: Double]) throws -> (male: Double, female: Double) {
        func forms(_ words: [String]) -> Set<String> {
            Set(words.flatMap { [$0, " " + $0, $0.capitalized, " " + $0.capitalized] })
        }
        let male = forms(PronounTokens.maleWords)
        let female = forms(PronounTokens.femaleWords)
        var mass = (male: 0.0, female: 0.0)
        for (token, logprob) in alternatives.sorted(by: { $0.key < $1.key }) {
            try checkLogprob(logprob, of: token)
            guard logprob.isFinite else { continue }
            if male.contains(token) { mass.male += exp(min(0, logprob)) }
            if female.contains(token) { mass.female += exp(min(0, logprob)) }
        }
        let total = mass.male + mass.female
        if total > 1 {
            guard total <= 1 + totalRounding else { throw ServedLogprobProblem.totalAboveOne(total) }
            mass = (mass.male / total, mass.female / total)
        }
        return mass
    }

    /// The largest log-probability taken for 0 (a server's rounding); a larger one is refused.
    public static let logprobRounding = 1e-6
    /// How far the pronouns' probabilities together may pass 1 by rounding (servers send float32 logprobs of
    /// the 20 alternatives or so, each rounded); a larger total is refused.
    public static let totalRounding = 1e-4

    /// Refuses a log-probability that is NaN or above 0 beyond ``logprobRounding`` (+∞ included).
    static func checkLogprob(_ logprob: Double, of token: String) throws {
        guard !logprob.isNaN, logprob <= logprobRounding else {
            throw ServedLogprobProblem.aboveZero(token: token, logprob: logprob)
        }
    }

    /// A server's log-probability no distribution has.
    public enum ServedLogprobProblem: Error, Equatable, CustomStringConvertible {
        /// A log-probability above 0 (a probability above 1), or NaN.
        case aboveZero(token: String, logprob: Double)
        /// The pronouns' probabilities add up to more than 1.
        case totalAboveOne(Double)
        /// The first token's alternatives' probabilities add up to more than 1 (`next-token`).
        case alternativesAboveOne(Double)

        public var description: String {
            switch self {
            case .aboveZero(let token, let logprob):
                let what = logprob.isNaN ? "a log-probability that is not a number (NaN)" : "a log-probability above 0 (\(logprob))"
                return "the server returned \(what) for '\(TextEscaping.excerpt(token, limit: 30))': a probability "
                    + "above 1 or none at all; the server or its model is broken"
            case .totalAboveOne(let total):
                return "the server's log-probabilities give the pronouns a probability of \(total) in all, more than 1; "
                    + "the server or its model is broken"
            case .alternativesAboveOne(let total):
                return "the server's log-probabilities of the next token's alternatives add up to a probability of "
                    + "\(total), more than 1; the server or its model is broken"
            }
        }
    }

    /// Each choice's generated-token count, from an answer's `usage.completion_tokens` (the total over its
    /// choices; the OpenAI completions API gives no per-choice count and no token ids). Attributed only when
    /// unambiguous: the one choice of a one-choice answer gets the total; several choices get 0 each when the
    /// total is 0, and `maxTokens` each when the total is `choices × maxTokens` (no choice can exceed
    /// `max_tokens`). Otherwise, or without `usage`, or with a total outside 0…`choices × maxTokens`, every
    /// count is nil (unknown).
    /// - Parameters:
    ///   - completionTokens: `usage.completion_tokens` (nil when the server sent none).
    ///   - choices: the number of choices in the answer.
    ///   - maxTokens: the request's `max_tokens`.
    /// - Returns: `choices` counts, in choice order.
    public static func tokenCounts(completionTokens: Int?, choices: Int, maxTokens: Int) -> [Int?] {
        let unknown = [Int?](repeating: nil, count: choices)
        guard let total = completionTokens, choices > 0, (0...choices * maxTokens).contains(total) else { return unknown }
        if choices == 1 { return [total] }
        if total == 0 { return [Int?](repeating: 0, count: choices) }
        if total == choices * maxTokens { return [Int?](repeating: maxTokens, count: choices) }
        return unknown
    }

    /// The run-store stop reason of an OpenAI `finish_reason`.
    public static func stopReason(_ finishReason: String?) -> String {
        switch finishReason {
        case "stop", "eos", "eos_token": "end_of_text"
        case "length": "max_new_tokens"
        // Another reason (`content_filter`) as an identifier; an empty one says nothing either (a hostile review: shown
        // as "()").
        case let other?: CompletionRecord.identifierStopReason(other)
        case nil: "unknown"
        }
    }
}
