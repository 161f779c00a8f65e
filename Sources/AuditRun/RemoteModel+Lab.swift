import AuditResults
import Foundation
import Generation
import PromptSets

/// `generate` and `next-token` against a served model.
extension RemoteModel {
    /// Connects to the server of an endpoint `--model` for a one-off command.
    /// - Throws: as ``connect(_:label:sampling:endpoint:)``.
    public static func connect(
        _ argument: ModelArgument, sampling: SamplingParameters, timeout: TimeInterval = OpenAIEndpoint.defaultTimeout
    ) async throws -> RemoteModel {
        let endpoint = try OpenAIEndpoint(spec: try EndpointSpec(parsing: argument.spec), timeout: timeout)
        // One prompt per request: no list probe (a review: 7 s more per command against llama-cpp-python's server).
        return try await connect(
            argument.spec, label: argument.label, sampling: sampling, endpoint: endpoint, probingLists: false)
    }

    /// `samples` continuations of `prompt` in one request (`n`), with `seed` derived from `sampling.seed`
    /// (stream 0) when the server takes seeds; greedy sends temperature 0. A server that ignores `n` (one
    /// choice back) is asked once more per further sample, sample i with the seed of stream i, and so is one that
    /// refuses a request with n > 1 (llama.cpp's llama-server: "Only one completion choice is allowed").
    /// - Returns: each continuation and its stop reason (`end_of_text`, `max_new_tokens`), in choice order.
    /// - Throws: the endpoint's errors; ``AuditError/badInput(path:reason:)`` when the server answers another
    ///   number of choices.
    public func generate(prompt: String, samples: Int, maxTokens: Int, sampling: SamplingParameters) async throws
        -> [(text: String, stopReason: String)]
    {
        let request = request(
            prompts: [prompt], maxTokens: maxTokens, sampling: sampling,
            seed: Self.seed(runSeed: sampling.seed, stream: 0), n: samples)
        var outputs: [(text: String, stopReason: String)] = []
        do {
            let answer = try await endpoint.complete(request)
            outputs = try orderedChoices(answer).map { (text: $0.text, stopReason: Self.stopReason($0.finishReason)) }
            if outputs.count == samples { return outputs }
            guard outputs.count == 1 else {
                throw AuditError.badInput(
                    path: endpoint.spec.endpoint, reason: "the server answered \(answer.choices.count) choices for n = \(samples)")
            }
        } catch let refused as CompletionRefused {
            // llama.cpp's llama-server refuses n > 1 ("Only one completion choice is allowed"; a practitioner's review:
            // `generate --samples 3` always failed against it): asked again one sample per request. A refusal of n = 1
            // is the server's answer to the request itself.
            guard samples > 1 else {
                throw AuditError.badInput(
                    path: refused.url, reason: "the server refused the request (HTTP \(refused.status): '\(refused.message)')")
            }
        }
        // The server ignores `n` (llama-cpp-python's does) or refuses it: one request per further sample, sample i with
        // the seed of stream i.
        for index in outputs.count..<samples {
            let single = self.request(
                prompts: [prompt], maxTokens: maxTokens, sampling: sampling,
                seed: Self.seed(runSeed: sampling.seed, stream: UInt64(index)))
            guard let choice = try await complete(single).choices.first else {
                throw AuditError.badInput(path: endpoint.spec.endpoint, reason: "the server answered no choice")
            }
            outputs.append((choice.text, Self.stopReason(choice.finishReason)))
        }
        return outputs
    }

    /// The most probable next tokens after `prompt` as the server lists them (`top_logprobs` of a one-token
    /// completion, asked for as many as the server takes), most probable first, at most `count`.
    /// - Returns: each token's text and natural-log probability.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65: the server answers, but with nothing this command can
    ///   show) when the server takes no `logprobs` or returns no log-probabilities.
    public func nextTokenAlternatives(prompt: String, count: Int) async throws -> [(token: String, logprob: Double)] {
        guard let limit = logprobsCount else {
            throw AuditError.badInput(
                path: endpoint.spec.endpoint,
                reason: "the server " + (logprobsIgnored ? "took the logprobs parameter but returned no log-probabilities" : "refuses the logprobs parameter")
                    + ", so it cannot show \(TextEscaping.line(label))'s next-token distribution; \(Self.logprobsAdvice)")
        }
        var plain = SamplingParameters(temperature: 1, topK: 0, topP: 1)
        plain.seed = 0
        var request = request(prompts: [prompt], maxTokens: 1, sampling: plain, seed: 0)
        request.logprobs = limit
        let answer = try await complete(request)
        guard let alternatives = answer.choices.first?.logprobs?.firstTokenAlternatives, !alternatives.isEmpty else {
            throw AuditError.badInput(
                path: endpoint.spec.endpoint,
                reason: "the server returned no top log-probabilities for the first token (logprobs=\(limit) was asked), so it "
                    + "cannot show \(TextEscaping.line(label))'s next-token distribution; \(Self.logprobsAdvice)")
        }
        for (token, logprob) in alternatives.sorted(by: { $0.key < $1.key }) {
            do {
                try Self.checkLogprob(logprob, of: token)
            } catch let problem as ServedLogprobProblem {
                throw AuditError.badInput(path: endpoint.spec.endpoint, reason: "\(problem)")
            }
        }
        // Alternatives of one token are a part of one distribution: together at most 1, as `run` holds the pronouns
        // to (a hostile review: " he" at −0.001 and " she" at −0.002 printed 0.9990 and 0.9980, exit 0).
        let total = alternatives.values.reduce(0) { $0 + exp($1) }
        if total > 1 + Self.totalRounding {
            throw AuditError.badInput(
                path: endpoint.spec.endpoint, reason: "\(ServedLogprobProblem.alternativesAboveOne(total))")
        }
        return alternatives.map { (token: $0.key, logprob: $0.value) }
            .sorted { $0.logprob != $1.logprob ? $0.logprob > $1.logprob : $0.token < $1.token }
            .prefix(count).map { $0 }
    }

    /// What to do about a server without log-probabilities.
    static let logprobsAdvice =
        "enable log-probabilities on the server (vLLM returns up to --max-logprobs, 20 by default; llama-cpp-python's "
        + "server needs logits_all), or give the model's directory or Hub id to run it in-process"

    private func complete(_ request: CompletionRequest) async throws -> CompletionResponse {
        do {
            return try await endpoint.complete(request)
        } catch let refused as CompletionRefused {
            throw AuditError.badInput(path: refused.url, reason: "the server refused the request (HTTP \(refused.status): '\(refused.message)')")
        }
    }

    /// The answer's choices in index order (``CompletionResponse/choicesInOrder``).
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the indices when they are not 0…count − 1, each once.
    func orderedChoices(_ answer: CompletionResponse) throws -> [CompletionResponse.Choice] {
        guard let choices = answer.choicesInOrder else {
            let indices = answer.choices.map { $0.index.map(String.init) ?? "none" }.joined(separator: ", ")
            throw AuditError.badInput(
                path: endpoint.spec.endpoint,
                reason: "the server numbered its \(answer.choices.count) choices \(TextEscaping.excerpt(indices, limit: 80)); it "
                    + "does not follow the OpenAI completions API (each index 0…\(answer.choices.count - 1) once)")
        }
        return choices
    }
}
