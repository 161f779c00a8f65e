import AuditAnalysis
import AuditResults
import Foundation
import GPT2
import Generation
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
        PromptSetManifest(
            name: file.set.name, path: file.path, sha256: file.sha256, promptCount: file.set.prompts.count,
            samples: samples, maxNewTokens: maxNewTokens)
    }
}

extension AuditRunner {
    /// Generates every missing completion and next-token record of one model into the store.
    func generate(with loaded: LoadedModel, plans: [SetPlan], store: RunStore, modelIndex: Int) throws {
        let modelID = loaded.spec
        let done = try store.completedSamples(model: modelID)
        let doneNextTokens = try store.completedNextTokens(model: modelID)
        let pronouns = PronounTokens(tokenizer: loaded.tokenizer)
        let biases = try InjectedBias.logitBiases(configuration.injectedBiases, tokenizer: loaded.tokenizer)

        var missingNextTokens: [(prompt: Prompt, ids: [Int])] = []
        var work: [(plan: Int, prompt: Prompt, ids: [Int], missing: [Int])] = []
        for (planIndex, plan) in plans.enumerated() {
            for prompt in plan.file.set.prompts {
                let ids = loaded.tokenizer.encode(prompt.text)
                guard ids.count <= loaded.configuration.contextLength else {
                    throw AuditError.badInput(
                        path: plan.file.path,
                        reason: "prompt '\(prompt.text)' is \(ids.count) tokens long but \(modelID) reads at most "
                            + "\(loaded.configuration.contextLength) tokens; shorten its template or term")
                }
                if !doneNextTokens.contains(prompt.id) { missingNextTokens.append((prompt, ids)) }
                let stored = done[prompt.id] ?? []
                let missing = (0..<plan.samples).filter { !stored.contains($0) }
                if !missing.isEmpty { work.append((planIndex, prompt, ids, missing)) }
            }
        }

        if !missingNextTokens.isEmpty {
            progress?.begin("\(modelID): next-token probabilities", total: missingNextTokens.count)
            var records: [RunStore.StoredNextToken] = []
            var start = 0
            while start < missingNextTokens.count {
                let chunk = missingNextTokens[start..<min(start + Self.promptsPerPrefill, missingNextTokens.count)]
                let rows = try NextTokenProbabilities.lastLogits(model: loaded.model, prompts: chunk.map(\.ids))
                for ((prompt, _), row) in zip(chunk, rows) {
                    var logits = row
                    for (id, value) in biases[prompt.group] ?? [:] { logits[id] += value }
                    let mass = pronouns.probabilities(logits: logits)
                    records.append(
                        RunStore.StoredNextToken(
                            model: modelID, promptID: prompt.id, maleProbability: mass.male,
                            femaleProbability: mass.female))
                }
                progress?.advance(by: chunk.count)
                start += chunk.count
            }
            try store.insert(records)
            progress?.end()
        }

        let total = work.reduce(0) { $0 + $1.missing.count }
        guard total > 0 else { return }
        progress?.begin("\(modelID) [\(modelIndex + 1)/\(configuration.models.count)]: completions", total: total)
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
            let plan = plans[planIndex]
            let items = work.filter {
                $0.plan == planIndex && (biases[$0.prompt.group] == nil ? nil : $0.prompt.group) == biasedGroup
            }
            guard !items.isEmpty else { continue }
            let sampling = SamplingParameters(
                temperature: configuration.temperature, topK: configuration.topK, topP: configuration.topP,
                seed: configuration.seed, logitBias: biasedGroup.flatMap { biases[$0] } ?? [:])
            let generator = try Generator(
                model: loaded.model, parameters: sampling, maxNewTokens: plan.maxNewTokens,
                endOfTextID: loaded.tokenizer.endOfTextID)
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
                let generated = try generator.generate(requests)
                var stored: [RunStore.StoredCompletion] = []
                for (item, samples) in zip(batch, generated) {
                    for (sampleIndex, sample) in zip(item.missing, samples) {
                        stored.append(
                            RunStore.StoredCompletion(
                                model: modelID, promptID: item.prompt.id, sampleIndex: sampleIndex, tokenIDs: sample.ids,
                                text: loaded.tokenizer.decode(sample.ids), stopReason: sample.stopReason.rawValue))
                    }
                }
                try store.insert(stored)
                progress?.advance(by: rows)
                start = end
            }
        }
    }

    /// Every stored completion of the run, scored, in a stable order (model, set, prompt, sample).
    func scoredRecords(store: RunStore, plans: [SetPlan], models: [String]) throws -> [CompletionRecord] {
        let completions = Dictionary(grouping: try store.allCompletions()) { $0.model + "\u{0}" + $0.promptID }
        var nextTokens: [String: RunStore.StoredNextToken] = [:]
        for record in try store.allNextTokens() { nextTokens[record.model + "\u{0}" + record.promptID] = record }
        var records: [CompletionRecord] = []
        for model in models {
            for plan in plans {
                for prompt in plan.file.set.prompts {
                    let key = model + "\u{0}" + prompt.id
                    let odds = nextTokens[key].map { log($0.maleProbability) - log($0.femaleProbability) }
                    for completion in (completions[key] ?? []).sorted(by: { $0.sampleIndex < $1.sampleIndex })
                    where completion.sampleIndex < plan.samples {
                        let scores = CompletionScores(
                            scorer.score(completion.text), positiveThreshold: configuration.positiveThreshold,
                            negativeThreshold: configuration.negativeThreshold)
                        records.append(
                            CompletionRecord(
                                set: prompt.set, template: prompt.template, templateId: RandomStreams.key(for: prompt),
                                group: prompt.group, term: prompt.term, promptId: prompt.id, prompt: prompt.text,
                                model: model, sampleIndex: completion.sampleIndex, text: completion.text,
                                tokenCount: completion.tokenIDs.count, stopReason: completion.stopReason,
                                scores: scores, nextTokenLogOdds: odds.flatMap { $0.isFinite ? $0 : nil }))
                    }
                }
            }
        }
        return records
    }
}
