import AuditAnalysis
import AuditResults
import Foundation
import Generation
import PromptSets

/// One request to a served model: prompts of one stream key (the counterfactual prompts of a template) at
/// one sample index, sharing its seed; or prompts whose next-token alternatives are asked for.
private struct RemoteRequest: Sendable {
    enum Kind: Sendable {
        case completions(sampleIndex: Int, maxTokens: Int)
        case nextToken(logprobs: Int)
    }

    let kind: Kind
    let prompts: [Prompt]
    let seed: Int
}

extension AuditRunner {
    /// Refuses `--sweep` with a served model: a server's completions are requested at one setting, so a
    /// sweep would record the same setting under every label. Needs no network (`run` calls it from its
    /// argument validation).
    /// - Parameters:
    ///   - specs: the `--model` specs (without labels).
    ///   - sweeps: the parsed `--sweep` values.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) naming the first served model.
    public static func checkSweepModels(_ specs: [String], sweeps: [SamplingSweep]) throws {
        guard !sweeps.isEmpty, let served = specs.first(where: EndpointSpec.isEndpoint) else { return }
        throw AuditError.usage(
            "--sweep cannot be combined with a served model (--model \(TextEscaping.excerpt(EndpointSpec.redactingCredentials(served), limit: 80))): its "
                + "completions are requested at one setting. Sweep local models only, or make one run per setting "
                + "for the served model")
    }

    /// Connects to the server of an endpoint `--model` (see ``RemoteModel/connect(_:label:sampling:endpoint:)``).
    /// - Throws: ``AuditError/usage(_:)`` with `--inject-bias` (a served model's logits cannot be changed),
    ///   the connection's errors (exit 69 when the server cannot be reached).
    func connect(_ argument: ModelArgument) async throws -> RemoteModel {
        guard configuration.injectedBiases.isEmpty else {
            throw AuditError.usage(
                "--inject-bias changes an in-process model's logits; it cannot change --model \(EndpointSpec.redactingCredentials(argument.spec))'s (served by another program). Audit served models without --inject-bias")
        }
        // Waits between retries end at an interrupt: no further attempt starts (review: Ctrl-C during the probe of a
        // server answering 429 went through every attempt).
        var retry = configuration.retryPolicy
        let (sleep, flag) = (retry.sleep, cancellation)
        // A wait under way ends at the interrupt too, not when it is over (a hostile review: a 429 with `Retry-After: 50`
        // kept a Ctrl-C waiting 50 s): the wait races a watch of the flag, polled every 0.1 s.
        retry.sleep = { seconds in
            if flag.isCancelled { throw CancellationError() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await sleep(seconds) }
                group.addTask {
                    while !flag.isCancelled { try await Task.sleep(nanoseconds: 100_000_000) }
                    throw CancellationError()
                }
                try await group.next()
                group.cancelAll()
            }
            if flag.isCancelled { throw CancellationError() }
        }
        let endpoint = try OpenAIEndpoint(
            spec: try EndpointSpec(parsing: argument.spec), timeout: configuration.requestTimeout, retry: retry)
        progress?.note("connecting to \(endpoint.spec.endpoint) for \(argument.label)…")
        let remote: RemoteModel
        do {
            remote = try await RemoteModel.connect(
                argument.spec, label: argument.label, sampling: configuration.sampling, endpoint: endpoint)
        } catch {
            // An interrupt while the probe waited out a failing server is the interrupt, not the server's failure
            // (review: Ctrl-C during the probe of a server answering 429 ended in exit 69 after all its attempts).
            try stopIfInterrupted()
            throw error
        }
        try stopIfInterrupted()
        for dropped in remote.droppedParameters {
            // A refused logprobs=20 is asked again with 5 (vLLM's --max-logprobs 5): not "without it" where 5 was taken (a
            // practitioner's review).
            let fewer = dropped.hasPrefix("logprobs=20 ") ? remote.logprobsCount : nil
            progress?.note("biasaudit: note: \(argument.label): the server refused \(dropped); " + (fewer.map { count in
                "requests ask logprobs=\(count) instead, so P(he) and P(she) come from the first token's top \(count) "
                    + "(a pronoun outside them counts as absent)"
            } ?? "requests go without it (the manifest's accepted_parameters and the report's methods say so)"))
        }
        if let failure = remote.listProbeFailure {
            // Not "failed" alone: llama.cpp's llama-server answers a list of prompts with a list of answers, its own way
            // (a practitioner's review); a 429 or a dropped connection gets here too (a code review).
            progress?.note("biasaudit: note: \(argument.label): a request of two prompts got no usable answer "
                + "(\(failure)), so each "
                + "request holds one prompt (up to \(RemoteModel.promptsPerRequest) times as many requests; the completions are "
                + "the same); a later run of the same command asks again, and resumes this one")
        }
        // A gateway that falls back to another model answers in its name; the audit is then of that model (a
        // practitioner's review: recorded in server_reported alone, never said). Only where the server lists the name
        // asked for: llama-server and TGI answer in their own model's name whatever is asked (a code review). Some
        // servers name a version of the model asked for: a note, not an error.
        if remote.listsServedName, let answering = remote.reported[RunStore.answeringModelKey],
            answering != TextEscaping.excerpt(remote.servedName, limit: 120)
        {
            progress?.note("biasaudit: note: \(argument.label): the server answers as '\(answering)' where "
                + "'\(TextEscaping.excerpt(remote.servedName, limit: 120))' was asked; if it fell back to another model, the "
                + "audit is of '\(answering)' (results.json's server_reported.answering_model records it)")
        }
        if remote.logprobsIgnored {
            progress?.note("biasaudit: note: \(argument.label): the server took logprobs but answered without log-probabilities, so "
                + "\(argument.label)'s he/she log-odds are unavailable (next_token_log_odds: \"unavailable\" in the manifest; "
                + "the metric is left out without them); enable log-probabilities on the server to measure them")
        }
        return remote
    }

    /// Generates every missing completion and next-token record of a served model into the store, with at
    /// most ``AuditRunConfiguration/concurrentRequests`` requests in flight; each answer is committed as it
    /// arrives, so an interruption loses only the requests in flight.
    ///
    /// Completions: one request per (stream key, sample index) holding every prompt of that key still missing
    /// that sample (up to ``RemoteModel/promptsPerRequest``; one prompt per request when the server takes no
    /// lists), with `seed` derived from (run seed, stream key, sample index), so a server that honours seeds
    /// gives counterfactual prompts the same random numbers, and a rerun the same text.
    /// Next-token records: one-token requests with `logprobs`; without logprobs the record is stored as
    /// unavailable (both masses 0) without asking.
    /// - Returns: what was generated (tokens from the answers' `usage`) and how long it took.
    func generate(with remote: RemoteModel, plans: [SetPlan], store: RunStore, modelIndex: Int) async throws
        -> GenerationWork
    {
        let label = remote.label
        let done = try store.completedSamples(model: label)
        let doneNextTokens = try store.completedNextTokens(model: label)
        var requests: [RemoteRequest] = []
        var unavailable: [RunStore.StoredNextToken] = []
        var missingNextTokens: [Prompt] = []
        var planned = 0
        var total = 0
        let perRequest = remote.acceptsPromptLists ? RemoteModel.promptsPerRequest : 1
        for plan in plans {
            var byKey: [String: [Prompt]] = [:]
            var keys: [String] = []
            for prompt in plan.file.set.prompts where configuration.shard?.contains(promptID: prompt.id) ?? true {
                planned += plan.samples
                if !doneNextTokens.contains(prompt.id) {
                    if remote.logprobsCount == nil {
                        unavailable.append(
                            RunStore.StoredNextToken(model: label, promptID: prompt.id, maleProbability: 0, femaleProbability: 0))
                    } else {
                        missingNextTokens.append(prompt)
                    }
                }
                let key = RandomStreams.key(for: prompt)
                if byKey[key] == nil { keys.append(key) }
                byKey[key, default: []].append(prompt)
            }
            for key in keys {
                let prompts = byKey[key] ?? []
                for sampleIndex in 0..<plan.samples {
                    let missing = prompts.filter { !(done[$0.id]?.contains(sampleIndex) ?? false) }
                    total += missing.count
                    var start = 0
                    while start < missing.count {
                        let chunk = Array(missing[start..<min(start + perRequest, missing.count)])
                        requests.append(
                            RemoteRequest(
                                kind: .completions(sampleIndex: sampleIndex, maxTokens: plan.maxNewTokens), prompts: chunk,
                                seed: RemoteModel.seed(runSeed: configuration.sampling.seed, key: key, sampleIndex: sampleIndex)))
                        start += chunk.count
                    }
                }
            }
        }
        if !unavailable.isEmpty { try store.insert(unavailable) }
        var nextTokenRequests: [RemoteRequest] = []
        if let logprobs = remote.logprobsCount {
            var start = 0
            while start < missingNextTokens.count {
                let chunk = Array(missingNextTokens[start..<min(start + perRequest, missingNextTokens.count)])
                nextTokenRequests.append(
                    RemoteRequest(
                        kind: .nextToken(logprobs: logprobs), prompts: chunk,
                        seed: RemoteModel.seed(runSeed: configuration.sampling.seed, stream: 0)))
                start += chunk.count
            }
        }
        var measured = GenerationWork(storedBefore: planned - total)
        noteStored(planned - total, of: planned, tag: phaseTag(label, modelIndex: modelIndex))
        // An interrupt during the connection probe (or a phase before) starts no new phase (review: Ctrl-C against a
        // slow server went on to send the next-token requests).
        try stopIfInterrupted()
        if !nextTokenRequests.isEmpty {
            progress?.begin("\(phaseTag(label, modelIndex: modelIndex)): next-token probabilities", total: missingNextTokens.count)
            _ = try await send(nextTokenRequests, to: remote, store: store)
            progress?.end()
        }
        guard total > 0 else { return measured }
        try stopIfInterrupted()
        progress?.begin("\(phaseTag(label, modelIndex: modelIndex)): completions", total: total)
        defer { progress?.end() }
        let started = Date()
        let (completions, tokens) = try await send(requests, to: remote, store: store)
        measured.seconds = AuditRunner.elapsed(since: started)
        measured.completions = completions
        measured.tokens = tokens ?? 0
        measured.tokensUnknown = tokens == nil
        return measured
    }

    /// Throws ``AuditError/interrupted(directory:)`` once the run was interrupted (SIGINT): what is stored stays.
    func stopIfInterrupted() throws {
        if cancellation.isCancelled { throw AuditError.interrupted(directory: configuration.outputDirectory.path) }
    }

    /// Sends `requests` with bounded concurrency, storing each answer as it arrives.
    /// - Returns: completions stored and the tokens the server reported generating (nil when an answer of
    ///   completions carried no `usage`: unknown, not 0).
    private func send(_ requests: [RemoteRequest], to remote: RemoteModel, store: RunStore) async throws
        -> (completions: Int, tokens: Int?)
    {
        var stored: (completions: Int, tokens: Int?) = (0, 0)
        do {
            try await sendAll(requests, to: remote, store: store, stored: &stored)
        } catch let error as AuditError {
            // A server that fails mid-run (a malformed answer, a refusal) stops the run: what was stored stays, and the
            // same command resumes, as after an interrupt (a hostile review: the message did not say so).
            let hint = AuditError.resumeHint(
                directory: configuration.outputDirectory.path, once: "the server is fixed")
            switch error {
            case .badInput(let path, let reason):
                throw AuditError.badInput(path: path, reason: "\(reason); \(hint)")
            case .modelUnavailable(let message, _):
                // The server's own "then run the same command again" (its `rerun` flag) gives way to the resume hint,
                // which says it once and names the run store.
                throw AuditError.modelUnavailable("\(message); \(hint)")
            default:
                throw error
            }
        }
        if cancellation.isCancelled {
            throw AuditError.interrupted(directory: configuration.outputDirectory.path)
        }
        return stored
    }

    /// ``send(_:to:store:)``'s requests and answers.
    private func sendAll(
        _ requests: [RemoteRequest], to remote: RemoteModel, store: RunStore, stored: inout (completions: Int, tokens: Int?)
    ) async throws {
        let limit = max(1, configuration.concurrentRequests)
        let (sampling, interrupt) = (configuration.sampling, cancellation)
        try await withThrowingTaskGroup(of: (RemoteRequest, CompletionResponse?).self) { group in
            var next = 0
            func launch() {
                let request = requests[next]
                next += 1
                group.addTask {
                    let body: CompletionRequest
                    switch request.kind {
                    case .completions(_, let maxTokens):
                        body = remote.request(
                            prompts: request.prompts.map(\.text), maxTokens: maxTokens, sampling: sampling, seed: request.seed)
                    case .nextToken(let logprobs):
                        var plain = sampling
                        plain.temperature = 1
                        plain.topP = 1
                        plain.topK = 0
                        plain.greedy = false
                        var nextToken = remote.request(
                            prompts: request.prompts.map(\.text), maxTokens: 1, sampling: plain, seed: request.seed)
                        nextToken.logprobs = logprobs
                        body = nextToken
                    }
                    do {
                        return (request, try await remote.endpoint.complete(body))
                    } catch let refused as CompletionRefused {
                        throw AuditError.badInput(
                            path: refused.url,
                            reason: "the server refused a request it took when probed (HTTP \(refused.status): '\(refused.message)')")
                    } catch is CancellationError where interrupt.isCancelled {
                        // The interrupt ended this request's retries (the retry policy's sleep refuses to wait after
                        // it): no answer, and the others in flight are still stored (review: a request timing out
                        // after Ctrl-C ended the run with exit 70 and "biasaudit: CancellationError()").
                        return (request, nil)
                    } catch AuditError.modelUnavailable where interrupt.isCancelled {
                        // Its last attempt failed after the interrupt (timed out, refused, answered 5xx): the run was
                        // stopping anyway, so this is the interrupt's unanswered request, not the server's failure
                        // (review: a timeout of the last attempt after Ctrl-C ended the run with exit 69, not 130).
                        return (request, nil)
                    }
                }
            }
            while next < requests.count, next < limit { launch() }
            while let (request, answered) = try await group.next() {
                guard let answer = answered else { continue }
                let count = try storeAnswer(answer, of: request, remote: remote, store: store)
                if case .completions(_, let maxTokens) = request.kind {
                    stored.completions += count
                    // A total the request could not have produced (more than max_tokens per choice, or
                    // negative) is the server's error: the run's token count becomes unknown, not absurd.
                    let plausible = answer.usage?.completionTokens.flatMap { (0...count * maxTokens).contains($0) ? $0 : nil }
                    stored.tokens = stored.tokens.flatMap { sum in plausible.map { sum + $0 } }
                }
                progress?.advance(by: count)
                if cancellation.isCancelled {
                    // Let the requests in flight finish and be stored, send no more.
                    continue
                }
                if next < requests.count { launch() }
            }
        }
    }

    /// Checks an answer holds one choice per prompt and commits it.
    /// - Returns: the records stored.
    private func storeAnswer(
        _ answer: CompletionResponse, of request: RemoteRequest, remote: RemoteModel, store: RunStore
    ) throws -> Int {
        guard answer.choices.count == request.prompts.count else {
            throw AuditError.badInput(
                path: remote.endpoint.spec.endpoint,
                reason: "the server answered \(answer.choices.count) choice\(answer.choices.count == 1 ? "" : "s") for "
                    + "\(request.prompts.count) prompt\(request.prompts.count == 1 ? "" : "s"); it "
                    + "does not follow the OpenAI completions API (one choice per prompt and n)")
        }
        // Answered as the model the probe met (a hostile review: a server given another model mixes two models'
        // completions under one label; a resume and a merge are refused for that, and so is an answer mid-run).
        if let expected = remote.reported[RunStore.answeringModelKey], let model = answer.model,
            TextEscaping.excerpt(model, limit: 120) != expected
        {
            throw AuditError.badInput(
                path: remote.endpoint.spec.endpoint,
                reason: "the server answered as the model '\(TextEscaping.excerpt(model, limit: 120))', where it answered the "
                    + "probe as '\(expected)': another model is being served (or one replica serves another model), and its "
                    + "completions would be mixed with the first's under one label")
        }
        // Choices are numbered prompt × n + sample; servers may send them in any order, but each index once.
        let choices = try remote.orderedChoices(answer)
        // A text no continuation of max_tokens can be (review: 900,000 characters for max_tokens 4).
        for (choice, prompt) in zip(choices, request.prompts) {
            if let problem = PromptSetLimits.completionLengthProblem(choice.text) {
                throw AuditError.badInput(
                    path: remote.endpoint.spec.endpoint,
                    reason: "the server's completion of prompt '\(TextEscaping.excerpt(prompt.id))' \(problem); it does not "
                        + "answer as a completions API (check the server and max_tokens)")
            }
        }
        switch request.kind {
        case .completions(let sampleIndex, let maxTokens):
            let counts = RemoteModel.tokenCounts(
                completionTokens: answer.usage?.completionTokens, choices: choices.count, maxTokens: maxTokens)
            try store.insert(
                zip(zip(request.prompts, choices), counts).map { pair, count in
                    RunStore.StoredCompletion(
                        model: remote.label, promptID: pair.0.id, sampleIndex: sampleIndex, tokenIDs: [], text: pair.1.text,
                        stopReason: RemoteModel.stopReason(pair.1.finishReason), tokenCount: count)
                })
        case .nextToken:
            try store.insert(
                zip(request.prompts, choices).map { prompt, choice in
                    // A server that gave log-probabilities to the probe but not here: an answer that cannot serve, not
                    // a prompt without pronouns (review: stored as both masses 0, the log-odds rows vanished silently).
                    guard RemoteModel.hasLogprobs(choice) else {
                        throw AuditError.badInput(
                            path: remote.endpoint.spec.endpoint,
                            reason: "the server returned no log-probabilities for \(remote.label)'s first token after prompt "
                                + "'\(TextEscaping.excerpt(prompt.text, limit: 60))', though it returned them to the connection "
                                + "probe (logprobs=\(remote.logprobsCount ?? 0)); check the server's log-probability settings")
                    }
                    let mass: (male: Double, female: Double)
                    do {
                        mass = try RemoteModel.pronounProbabilities(choice.logprobs?.firstTokenAlternatives ?? [:])
                    } catch let problem as RemoteModel.ServedLogprobProblem {
                        throw AuditError.badInput(
                            path: remote.endpoint.spec.endpoint,
                            reason: "\(problem) (\(remote.label), the first token after prompt "
                                + "'\(TextEscaping.excerpt(prompt.text, limit: 60))')")
                    }
                    return RunStore.StoredNextToken(
                        model: remote.label, promptID: prompt.id, maleProbability: mass.male, femaleProbability: mass.female)
                })
        }
        return request.prompts.count
    }
}
