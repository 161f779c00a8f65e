import AuditAnalysis
import AuditResults
import Foundation
import GPT2
import Generation
import Tokenizers
import PromptSets

/// One prompt set as the run will sample it: its file, its prompts, and its effective settings.
struct SetPlan {
    let file: PromptSetFile
    let samples: Int
    let maxNewTokens: Int

    init(file: PromptSetFile, configuration: AuditRunConfiguration) {
        self.file = file
        samples =
            configuration.samples ?? file.set.defaults?.samples ?? AuditRunConfiguration.defaultSamples
        maxNewTokens =
            configuration.maxNewTokens ?? file.set.defaults?.maxNewTokens ?? AuditRunConfiguration.defaultMaxNewTokens
    }

    var manifest: PromptSetManifest {
        var manifest = PromptSetManifest(
            name: file.set.name, path: file.path, sha256: file.sha256, promptCount: file.set.prompts.count,
            samples: samples, maxNewTokens: maxNewTokens)
        manifest.defaultSamples = file.set.defaults?.samples ?? AuditRunConfiguration.defaultSamples
        manifest.defaultMaxNewTokens = file.set.defaults?.maxNewTokens ?? AuditRunConfiguration.defaultMaxNewTokens
        return manifest
    }
}

/// One prompt with samples still to generate.
struct PendingPrompt {
    /// The index of the prompt's set in the plans.
    let plan: Int
    let prompt: Prompt
    /// The prompt's token ids.
    let ids: [Int]
    /// The sample indices not yet in the store, ascending.
    let missing: [Int]
}

/// What one model generated in this invocation (for ``AuditResults/ModelSpeed``).
struct GenerationWork {
    /// Completions generated.
    var completions = 0
    /// New tokens generated.
    var tokens = 0
    /// Whether ``tokens`` is unknown: a served model answered without `usage`.
    var tokensUnknown = false
    /// Seconds spent sampling them.
    var seconds = 0.0
    /// Completions that were already in the store.
    var storedBefore = 0
}

extension AuditRunner {
    /// Generates every missing completion and next-token record of one model into the store.
    /// - Returns: what was generated and how long sampling took.
    func generate(with loaded: LoadedModel, plans: [SetPlan], store: RunStore, modelIndex: Int) throws
        -> GenerationWork
    {
        do {
            return try generateUnchecked(with: loaded, plans: plans, store: store, modelIndex: modelIndex)
        } catch GenerationError.nonFiniteLogits {
            // A hostile review found such a model's NaN probabilities reaching the run store, whose NOT NULL
            // constraint then blamed "another program" and advised starting over, which failed the same way.
            throw AuditError.badInput(
                path: loaded.directory.path, reason: "cannot run \(loaded.label): \(GenerationError.nonFiniteLogits)")
        }
    }

    private func generateUnchecked(with loaded: LoadedModel, plans: [SetPlan], store: RunStore, modelIndex: Int) throws
        -> GenerationWork
    {
        // A stop while the model loaded ends the run before its first phase is announced (a review).
        if cancellation.isCancelled { throw AuditError.interrupted(directory: configuration.outputDirectory.path) }
        let biases = try InjectedBias.logitBiases(configuration.injectedBiases, tokenizer: loaded.tokenizer)
        let (missingNextTokens, work) = try pendingWork(of: loaded, plans: plans, store: store)
        if !missingNextTokens.isEmpty {
            try storeNextTokens(of: missingNextTokens, model: loaded, biases: biases, store: store, modelIndex: modelIndex)
        }
        // A stop during the next-token phase ends the run before the completions phase is announced.
        if cancellation.isCancelled { throw AuditError.interrupted(directory: configuration.outputDirectory.path) }
        let total = work.reduce(0) { $0 + $1.missing.count }
        let planned = plans.reduce(0) { total, plan in
            total + plan.samples * plan.file.set.prompts.filter { configuration.shard?.contains(promptID: $0.id) ?? true }.count
        }
        var measured = GenerationWork(storedBefore: planned - total)
        noteStored(planned - total, of: planned, tag: phaseTag(loaded.label, modelIndex: modelIndex))
        guard total > 0 else { return measured }
        progress?.begin("\(phaseTag(loaded.label, modelIndex: modelIndex)): completions", total: total)
        defer { progress?.end() }
        // One batch sequence per (set, injected bias): a generator's sampling parameters are fixed, and
        // only groups with an injected bias get a different one.
        var batchKeys: [(plan: Int, biasedGroup: String?)] = []
        for plan in plans.indices {
            batchKeys.append((plan, nil))
            for group in biases.keys.sorted() where work.contains(where: { $0.plan == plan && $0.prompt.group == group }) {
                batchKeys.append((plan, group))
            }
        }
        for (planIndex, biasedGroup) in batchKeys {
            let items = work.filter {
                $0.plan == planIndex && (biases[$0.prompt.group] == nil ? nil : $0.prompt.group) == biasedGroup
            }
            guard !items.isEmpty else { continue }
            var sampling = configuration.sampling
            sampling.logitBias = biasedGroup.flatMap { biases[$0] } ?? [:]
            let generator = try Generator(
                model: loaded.model, parameters: sampling, maxNewTokens: plans[planIndex].maxNewTokens,
                endOfTextID: loaded.tokenizer.endOfTextID)
            try generateCompletions(of: items, with: generator, model: loaded, store: store, measured: &measured)
        }
        return measured
    }

    /// The prompts whose next-token record is missing, and the prompts with missing samples.
    /// - Throws: ``AuditError/badInput(path:reason:)`` when a prompt is longer than the model's context.
    private func pendingWork(of loaded: LoadedModel, plans: [SetPlan], store: RunStore) throws
        -> (nextTokens: [(prompt: Prompt, ids: [Int])], completions: [PendingPrompt])
    {
        let modelID = loaded.label
        let done = try store.completedSamples(model: modelID)
        let doneNextTokens = try store.completedNextTokens(model: modelID)
        var missingNextTokens: [(prompt: Prompt, ids: [Int])] = []
        var work: [PendingPrompt] = []
        for (planIndex, plan) in plans.enumerated() {
            for prompt in plan.file.set.prompts where configuration.shard?.contains(promptID: prompt.id) ?? true {
                let ids = loaded.tokenizer.encode(prompt.text)
                guard ids.count <= loaded.configuration.contextLength else {
                    throw AuditError.badInput(
                        path: plan.file.path,
                        // Quoted by its start (a student's review: a 2,000-word prompt was quoted for 1,900 characters).
                        reason: "prompt '\(TextEscaping.excerpt(prompt.text, limit: 80))' is \(ids.count) tokens long but "
                            + "\(modelID) reads at most "
                            + "\(loaded.configuration.contextLength) tokens; shorten its template or term")
                }
                if !doneNextTokens.contains(prompt.id) { missingNextTokens.append((prompt, ids)) }
                let stored = done[prompt.id] ?? []
                let missing = (0..<plan.samples).filter { !stored.contains($0) }
                if !missing.isEmpty { work.append(PendingPrompt(plan: planIndex, prompt: prompt, ids: ids, missing: missing)) }
            }
        }
        return (missingNextTokens, work)
    }

    /// Says, when a run resumes, how many of a model's completions an earlier run of the same command stored
    /// (practitioner's review: a resumed run started its progress at 0 without a word).
    func noteStored(_ stored: Int, of planned: Int, tag: String) {
        guard stored > 0 else { return }
        progress?.note("\(tag): \(stored) of \(planned) completions were stored by an earlier run of this command"
            + (stored == planned ? "; none left to generate" : "; generating the other \(planned - stored)"))
    }

    /// A progress line's model: `gpt2 [2/2]`, the same in both of a model's phases.
    func phaseTag(_ label: String, modelIndex: Int) -> String {
        "\(label) [\(modelIndex + 1)/\(configuration.models.count)]"
    }

    /// Computes the exact next-token pronoun probabilities of `prompts` in batched prefills and stores them; on a stop
    /// (``CancellationFlag``) between two prefills, stores those computed so far and returns.
    private func storeNextTokens(
        of prompts: [(prompt: Prompt, ids: [Int])], model loaded: LoadedModel, biases: [String: [Int: Float]],
        store: RunStore, modelIndex: Int
    ) throws {
        let pronouns = PronounTokens(tokenizer: loaded.tokenizer)
        progress?.begin("\(phaseTag(loaded.label, modelIndex: modelIndex)): next-token probabilities", total: prompts.count)
        var records: [RunStore.StoredNextToken] = []
        var start = 0
        // Checked between prefills, as completions are between batches: the records computed so far are stored, and a
        // resumed run computes the rest (a review: a Ctrl-C waited for the whole phase).
        while start < prompts.count, !cancellation.isCancelled {
            let chunk = prompts[start..<min(start + Self.promptsPerPrefill, prompts.count)]
            let rows = try NextTokenProbabilities.lastLogits(model: loaded.model, prompts: chunk.map(\.ids))
            for ((prompt, _), row) in zip(chunk, rows) {
                var logits = row
                for (id, value) in biases[prompt.group] ?? [:] { logits[id] += value }
                let mass = pronouns.probabilities(logits: logits)
                // The logits are finite (``NextTokenProbabilities/lastLogits``), but an injected bias may not be.
                guard mass.male.isFinite, mass.female.isFinite else { throw GenerationError.nonFiniteLogits }
                records.append(
                    RunStore.StoredNextToken(
                        model: loaded.label, promptID: prompt.id, maleProbability: mass.male,
                        femaleProbability: mass.female))
            }
            progress?.advance(by: chunk.count)
            start += chunk.count
        }
        try store.insert(records)
        progress?.end()
    }

    /// Generates the missing samples of `items` in batches of at most ``rowsPerBatch`` rows (a prompt's
    /// samples stay in one batch), storing each batch before the next; checks for cancellation between batches.
    /// Adds the completions, tokens and sampling seconds to `measured` (storing is not timed).
    private func generateCompletions(
        of items: [PendingPrompt], with generator: Generator, model loaded: LoadedModel, store: RunStore,
        measured: inout GenerationWork
    ) throws {
        var start = 0
        while start < items.count {
            if cancellation.isCancelled {
                throw AuditError.interrupted(directory: configuration.outputDirectory.path)
            }
            var end = start
            var rows = 0
            while end < items.count, rows == 0 || rows + items[end].missing.count <= Self.rowsPerBatch {
                rows += items[end].missing.count
                end += 1
            }
            let batch = items[start..<end]
            let requests = batch.map { item in
                GenerationRequest(
                    promptIDs: item.ids,
                    streamIDs: item.missing.map {
                        RandomStreams.streamID(key: RandomStreams.key(for: item.prompt), sampleIndex: $0)
                    })
            }
            let started = Date()
            let generated = try generator.generate(requests)
            measured.seconds += AuditRunner.elapsed(since: started)
            var stored: [RunStore.StoredCompletion] = []
            for (item, samples) in zip(batch, generated) {
                for (sampleIndex, sample) in zip(item.missing, samples) {
                    measured.completions += 1
                    measured.tokens += sample.ids.count
                    stored.append(
                        RunStore.StoredCompletion(
                            model: loaded.label, promptID: item.prompt.id, sampleIndex: sampleIndex, tokenIDs: sample.ids,
                            text: try Self.completionText(
                                decoding: sample.ids, tokenizer: loaded.tokenizer, model: loaded.label,
                                promptID: item.prompt.id, sampleIndex: sampleIndex,
                                vocabulary: loaded.directory.appendingPathComponent("vocab.json")),
                            stopReason: sample.stopReason.rawValue))
                }
            }
            try store.insert(stored)
            progress?.advance(by: rows)
            start = end
        }
    }

    /// Every stored completion of the run, scored, in a stable order (model, set, prompt, sample).
    /// - Parameter noting: whether to say which prompts' next-token log-odds are undefined (``undefinedLogOddsNote``);
    ///   a sweep says it for its first setting only, as every setting reads the same next-token probabilities.
    func scoredRecords(store: RunStore, plans: [SetPlan], models: [String], noting: Bool = true) throws -> [CompletionRecord] {
        let completions = Dictionary(grouping: try store.allCompletions()) {
            ModelPrompt(model: $0.model, promptID: $0.promptID)
        }
        var nextTokens: [ModelPrompt: RunStore.StoredNextToken] = [:]
        for record in try store.allNextTokens() { nextTokens[ModelPrompt(model: record.model, promptID: record.promptID)] = record }
        var records: [CompletionRecord] = []
        var undefined: [String: [String]] = [:]
        for model in models {
            for plan in plans {
                for prompt in plan.file.set.prompts {
                    let key = ModelPrompt(model: model, promptID: prompt.id)
                    let odds = nextTokens[key].map { log($0.maleProbability) - log($0.femaleProbability) }
                    if let odds, !odds.isFinite { undefined[model, default: []].append(prompt.text) }
                    // Every sample 0 to samples − 1 once, and none beyond (a row past them was ignored, where `merge`
                    // refuses it: a review).
                    let planned = (completions[key] ?? []).sorted(by: { $0.sampleIndex < $1.sampleIndex })
                    try Self.checkEverySample(planned.map(\.sampleIndex), of: plan.samples, prompt: prompt.id, model: model, store: store)
                    for completion in planned {
                        let scores = CompletionScores(
                            scorer.score(completion.text), positiveThreshold: configuration.positiveThreshold,
                            negativeThreshold: configuration.negativeThreshold)
                        records.append(
                            CompletionRecord(
                                set: prompt.set, template: prompt.template, templateId: RandomStreams.key(for: prompt),
                                group: prompt.group, term: prompt.term, promptId: prompt.id, prompt: prompt.text,
                                model: model, sampleIndex: completion.sampleIndex, text: completion.text,
                                tokenCount: completion.tokenCount, stopReason: completion.stopReason,
                                scores: scores, nextTokenLogOdds: odds.flatMap { $0.isFinite ? $0 : nil }))
                    }
                }
            }
        }
        if noting {
            for model in models { if let prompts = undefined[model] { progress?.note(Self.undefinedLogOddsNote(model: model, prompts: prompts)) } }
        }
        return records
    }

    /// The note on prompts whose next-token P(he) or P(she) is 0 in double precision (below about 10⁻³⁰⁸: a logit gap
    /// of more than 708 to the most probable token), whose log P(he)/P(she) is undefined and left out of that metric (a
    /// hostile review: a model with `ln_f.weight` × 100 lost 2 of 12 prompts' log-odds without a word, and with × 10⁵
    /// the metric vanished from the results).
    static func undefinedLogOddsNote(model: String, prompts: [String]) -> String {
        let example = prompts.prefix(2).map { "'\(TextEscaping.excerpt($0))'" }.joined(separator: ", ")
        return "biasaudit: note: \(TextEscaping.excerpt(model)): the next-token P(he) or P(she) of \(prompts.count) "
            + "prompt\(prompts.count == 1 ? "" : "s") (\(example)\(prompts.count > 2 ? ", …" : "")) is 0 in double precision "
            + "(below 1e-308: a logit gap over 708 nats to the most probable token, far beyond any trained GPT-2's), so "
            + "\(prompts.count == 1 ? "its" : "their") log P(he)/P(she) is undefined and left out of that metric; check "
            + "the model's weights"
    }
}

extension AuditRunner {
    /// Refuses the stored sample indices of one prompt under one model (sorted) unless they are 0 to `samples` − 1, each
    /// once: the run generated every one, so a gap or a repeat is a store edited or damaged (a hostile review: bytes
    /// flipped in run.sqlite left a row outside its index, and the resumed run wrote an audit one completion short with
    /// exit 0).
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65) naming the store, the model, the prompt and the sample.
    static func checkEverySample(_ indices: [Int], of samples: Int, prompt: String, model: String, store: RunStore) throws {
        guard indices != Array(0..<samples) else { return }
        let missing = (0..<samples).first { !indices.contains($0) }
        let repeated = zip(indices, indices.dropFirst()).first { $0 == $1 }?.0
        let beyond = indices.first { $0 >= samples }
        let what = missing.map { "no sample \($0) of prompt '\(TextEscaping.excerpt(prompt))' under model "
            + "'\(TextEscaping.excerpt(model))', which the run generated" }
            ?? repeated.map { "sample \($0) of prompt '\(TextEscaping.excerpt(prompt))' under model '\(TextEscaping.excerpt(model))' "
                + "more than once" }
            ?? "sample \(beyond ?? samples) of prompt '\(TextEscaping.excerpt(prompt))' under model "
                + "'\(TextEscaping.excerpt(model))', beyond the \(samples) samples the run generated"
        throw AuditError.badInput(
            path: store.url.path,
            reason: "holds \(what): the run store was edited or damaged, so its completions cannot be trusted; "
                + RunStore.startOver(store.url.deletingLastPathComponent().path))
    }
}

/// One prompt under one model: the key of the stored completions and next-token records.
private struct ModelPrompt: Hashable {
    let model: String
    let promptID: String
}

extension AuditRunner {
    /// A generated completion's text, refused (before its batch is stored) beyond the 100,000 characters
    /// (``PromptSets/PromptSetLimits/maximumCompletionLength``) that reading a run store back, `merge` and `analyze`
    /// allow, as a served model's is: a hostile review's vocab.json with a token of 100,000 characters made a run
    /// store that the same command then refused forever, blaming "another program". GPT-2's tokens decode to at
    /// most 128 characters, so only a vocabulary that is not GPT-2's meets this.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65) naming `vocabulary`, the prompt and the longest token.
    static func completionText(
        decoding ids: [Int], tokenizer: GPT2Tokenizer, model: String, promptID: String, sampleIndex: Int, vocabulary: URL
    ) throws -> String {
        let text = tokenizer.decode(ids)
        guard let problem = PromptSetLimits.completionLengthProblem(text) else { return text }
        var longest = (id: ids.first ?? 0, length: 0)
        for id in Set(ids).sorted() {
            let length = tokenizer.decode([id]).unicodeScalars.count
            if length > longest.length { longest = (id, length) }
        }
        throw AuditError.badInput(
            path: vocabulary.path,
            reason: "model \(model)'s completion of prompt '\(TextEscaping.excerpt(promptID))' (sample \(sampleIndex)) "
                + "\(problem): its token \(longest.id) alone decodes to \(longest.length) characters (GPT-2's tokens "
                + "decode to at most 128). A run stores no completion beyond that limit, which `merge`, `analyze` and a resumed "
                + "run refuse; nothing of this batch was stored. Fix the model's vocab.json, or audit another model")
    }
}
