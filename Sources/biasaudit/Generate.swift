import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import Generation
import OptionWording
import PromptSets
import Reporting

extension BiasAudit {
    /// `biasaudit generate`: text generation, as in the seed notebook; several models and a grid of
    /// sampling settings side by side.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate continuations of a prompt, from one or more models, at one or more settings.",
            discussion: """
                Samples with temperature, then top-k, then top-p (Hugging Face's order), or picks the most \
                probable token with --greedy. Sample i uses random stream i of --seed, so the same command \
                prints the same text, and sample i is the same whether generated alone or with others.

                Repeat --model to compare models side by side: every model gets the same seed and the same \
                random streams. Repeat --sweep PARAM=V1,V2,… (PARAM: temperature, top_k, top_p) to \
                generate at every combination of the values (the seed notebook's grid), again with the \
                same seed and streams; the first --sweep varies slowest. A swept parameter cannot also be \
                given as its own flag.

                Plain output prints each sample as the prompt, an arrow exactly where the continuation \
                starts (no space added), then the continuation. --json prints {"prompt_ids", "samples"} \
                for one model at one setting; with a sweep, "grid": [{"temperature", "top_k", "top_p", \
                "seed", "samples"}] replaces "samples"; with several models, {"models": [{"model", \
                "prompt_ids", "samples" or "grid"}]}.

                A model served through an OpenAI-compatible API gets one request per setting with n = \
                --samples (one per sample where the server ignores n or refuses it above 1, as llama-server does) \
                and a seed derived from --seed (servers that honour seeds repeat their text); the server returns \
                no token ids, so its "prompt_ids" and "ids" are empty.
                """)

        @Option(
            name: .long, parsing: .singleValue,
            help: ArgumentHelp(
                "[LABEL=]SPEC: a Hub id (distilgpt2, gpt2, org/name, optionally @revision), a local directory with config.json, model.safetensors, vocab.json and merges.txt, or an OpenAI-compatible server http(s)://HOST[:PORT]/v1#SERVED_NAME; LABEL names the model in the output; repeat to compare models.",
                valueName: "model"))
        var model: [String] = []

        @OptionGroup var hub: HubOptions
        @OptionGroup var sampling: SamplingOptions
        @OptionGroup var precision: PrecisionOptions
        @OptionGroup var timeout: RequestTimeoutOption

        @Argument(help: "The prompt.")
        var prompt: String

        @Flag(name: .long, help: "Pick the most probable token at every step (no sampling).")
        var greedy = false

        @Option(
            name: .long,
            help: "How many continuations to generate (per model and setting), \(AcceptedRange.between(OptionRange.samples)).",
            wholeNumbers: OptionRange.samples)
        var samples: Int = 1

        @Option(
            name: .customLong("max-new-tokens"),
            help: "Maximum tokens per continuation, \(AcceptedRange.between(OptionRange.maxNewTokens)) "
                + "(\(OptionRange.maxNewTokensMeaning)).",
            wholeNumbers: OptionRange.maxNewTokens)
        var maxNewTokens: Int = 40

        @Flag(name: .customLong("ignore-eos"), help: "Keep generating after <|endoftext|> until --max-new-tokens.")
        var ignoreEOS = false

        @Option(
            name: .long, parsing: .singleValue,
            help: ArgumentHelp(
                "Generate at each value of a sampling parameter (repeatable; every combination): temperature, top_k or top_p, e.g. --sweep temperature=0.5,0.7,1.0.",
                valueName: "param=v1,v2,…"))
        var sweep: [String] = []

        @Flag(name: .long, help: "Print the samples as JSON (see the discussion for the shapes).")
        var json = false

        func validate() throws {
            guard !model.isEmpty else {
                throw ValidationError("give a model with --model (a Hub id such as distilgpt2, or a model directory)")
            }
            if let twice = model.firstIndex(where: { spec in model.filter { $0 == spec }.count > 1 }) {
                throw ValidationError("--model \(TextEscaping.excerpt(model[twice], limit: 120)) is given twice; name each model once")
            }
            _ = try ModelArgument.namedBySpec(model)
            try validateSizes(samples: samples, maxNewTokens: maxNewTokens)
            guard !prompt.isEmpty else { throw ValidationError("the prompt is empty; give at least one character") }
            try sampling.check(command: "generate", hasGreedy: true, greedy: greedy)
            let sweeps = try validatedSweeps(
                sweep, sampling: sampling, command: "generate", hasGreedy: true)
            if !sweeps.isEmpty && greedy {
                throw ValidationError("--greedy ignores temperature, top-k and top-p, so --sweep would change nothing; drop one")
            }
            // Bounded before anything is generated: every setting × sample is a row of output.
            let settings = sweeps.reduce(1) { $0 * $1.values.count }
            let rowLimit = 100_000
            guard settings.multipliedReportingOverflow(by: samples * max(model.count, 1)).partialValue <= rowLimit,
                settings <= rowLimit
            else {
                throw ValidationError(
                    "--sweep gives \(settings) settings × \(samples) samples × \(max(model.count, 1)) model(s); at most "
                        + "\(rowLimit) continuations per command: sweep fewer values or lower --samples")
            }
        }

        func run() async throws {
            try await reportingErrors {
                if let note = decimalCommaNote(sweep) { StandardStreams.writeError(note) }
                let sweeps = try sweep.map(SamplingSweep.init(parsing:))
                let settings = SamplingSweep.grid(sweeps, base: sampling.parameters(greedy: greedy))
                let locator = try hub.locatorSayingStoppedDownloads()
                var results: [ModelSamples] = []
                // A bar on a terminal only (`--quiet` hides it): `generate --samples 3000` printed nothing until it
                // ended (a review); piped or logged, standard error stays as it was for scripts.
                let bar = !hub.quiet && TerminalCapabilities.supportsEscapes(STDERR_FILENO)
                    ? TerminalProgressBar.standardError() : nil
                // One model in memory at a time.
                for argument in try ModelArgument.namedBySpec(model) {
                    if EndpointSpec.isEndpoint(argument.spec) {
                        results.append(try await servedSamples(argument, settings: settings))
                        continue
                    }
                    // With --ignore-eos no sample ends at an end-of-text token: its id is not checked.
                    let loaded = try await ModelLoader.load(
                        argument, locator: locator, precision: precision.precision, samples: !ignoreEOS)
                    if let note = loaded.paddedVocabularyNote { printError(note) }
                    let ids = try loaded.promptIDs(prompt)
                    let request = GenerationRequest(promptIDs: ids, streamIDs: (0..<samples).map(UInt64.init))
                    let grid = try settings.enumerated().map { index, parameters in
                        let generator = try Generator(
                            model: loaded.model, parameters: parameters, maxNewTokens: maxNewTokens,
                            endOfTextID: loaded.tokenizer.endOfTextID, stopAtEndOfText: !ignoreEOS)
                        // Counted in tokens, step by step: the samples mostly finish together on the last step, and a
                        // bar of finished samples sat at 0 until then (a review). Samples that end early (end of text)
                        // leave their remaining tokens, added when the setting is done. A sample draws at most one token
                        // more than the context leaves after the prompt (a review: 4,800 for samples that stopped at 2,032).
                        let perSample = min(maxNewTokens, max(1, loaded.model.configuration.contextLength - ids.count + 1))
                        let budget = samples * perSample
                        bar?.begin(
                            "generating with \(TextEscaping.line(argument.label))"
                                + (settings.count > 1 ? " (setting \(index + 1) of \(settings.count))" : "")
                                + ", tokens",
                            total: budget)
                        let drawn = DrawnTokens(bar, budget: budget)
                        defer { bar?.end() }
                        let generated = try generator.generate([request], steps: bar == nil ? nil : drawn.add)
                        drawn.complete()
                        let outputs = generated[0].map {
                            GeneratedOutput(ids: $0.ids, text: loaded.tokenizer.decode($0.ids), stopReason: $0.stopReason.rawValue)
                        }
                        return SettingSamples(parameters: parameters, samples: outputs)
                    }
                    results.append(ModelSamples(model: argument.label, promptIds: ids, grid: grid))
                }
                if json {
                    let encoder = AuditJSON.encoder(pretty: false)
                    let swept = !sweeps.isEmpty
                    let data = results.count == 1
                        ? try encoder.encode(results[0].output(swept: swept, named: false))
                        : try encoder.encode(MultiModelOutput(models: results.map { $0.output(swept: swept, named: true) }))
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    print(text(results, settings: settings, swept: !sweeps.isEmpty))
                }
            }
        }

        /// A served model's samples at every setting: one request per setting with `n` = --samples (one per sample
        /// where the server ignores or refuses `n`: ``RemoteModel/generate(prompt:samples:maxTokens:sampling:)``). The server
        /// returns no token ids, so `prompt_ids` and each sample's `ids` are empty.
        private func servedSamples(_ argument: ModelArgument, settings: [SamplingParameters]) async throws -> ModelSamples {
            guard !ignoreEOS else {
                throw AuditError.usage(
                    "--ignore-eos works on in-process models; --model \(EndpointSpec.redactingCredentials(argument.spec)) is served by another program")
            }
            let remote = try await RemoteModel.connect(argument, sampling: settings[0], timeout: timeout.requestTimeout)
            var grid: [SettingSamples] = []
            for parameters in settings {
                let outputs = try await remote.generate(
                    prompt: prompt, samples: samples, maxTokens: maxNewTokens, sampling: parameters)
                grid.append(
                    SettingSamples(
                        parameters: parameters,
                        samples: outputs.map { GeneratedOutput(ids: [], text: $0.text, stopReason: $0.stopReason) }))
            }
            return ModelSamples(model: argument.label, promptIds: [], grid: grid)
        }

        /// Setting by setting (when sweeping), model by model, each sample as prompt → continuation.
        private func text(_ results: [ModelSamples], settings: [SamplingParameters], swept: Bool) -> String {
            var sections: [String] = []
            for (index, parameters) in settings.enumerated() {
                var parts: [String] = []
                if swept { parts.append(LabText.heading(SamplingSweep.describe(parameters))) }
                for result in results {
                    let samples = TerminalText.samples(
                        prompt: prompt, continuations: result.grid[index].samples.map { ($0.text, $0.stopReason) })
                    parts.append(results.count > 1 ? "model \(TextEscaping.line(result.model))\n" + samples : samples)
                }
                sections.append(parts.joined(separator: "\n\n"))
            }
            return sections.joined(separator: "\n\n")
        }
    }
}

/// The tokens one setting's generation drew, passed on to a progress bar whose total is the most it can draw
/// (`budget`: samples × `--max-new-tokens`).
private final class DrawnTokens {
    private let bar: TerminalProgressBar?
    private let budget: Int
    private var drawn = 0

    init(_ bar: TerminalProgressBar?, budget: Int) {
        self.bar = bar
        self.budget = budget
    }

    /// `count`: the tokens of one sampling step (``Generation/Generator/generate(_:steps:progress:)``'s `steps`).
    func add(_ count: Int) {
        drawn += count
        bar?.advance(by: count)
    }

    /// Counts what samples that ended early left of the budget, once every sample is done.
    func complete() {
        if drawn < budget { bar?.advance(by: budget - drawn) }
        drawn = budget
    }
}

private struct GeneratedOutput: Encodable {
    var ids: [Int]
    var text: String
    var stopReason: String
}

/// The samples of one model at one setting.
private struct SettingSamples: Encodable {
    var temperature: Float
    var topK: Int
    var topP: Float
    var seed: UInt64
    var greedy: Bool
    var samples: [GeneratedOutput]

    init(parameters: SamplingParameters, samples: [GeneratedOutput]) {
        temperature = parameters.temperature
        topK = parameters.topK
        topP = parameters.topP
        seed = parameters.seed
        greedy = parameters.greedy
        self.samples = samples
    }
}

/// Everything one model generated.
private struct ModelSamples {
    var model: String
    var promptIds: [Int]
    var grid: [SettingSamples]

    /// `{"prompt_ids", "samples"}` (the documented single-model shape), or `"grid"` when sweeping;
    /// `"model"` is added only where several models share the output.
    func output(swept: Bool, named: Bool) -> GenerateOutput {
        GenerateOutput(
            model: named ? model : nil, promptIds: promptIds, samples: swept ? nil : grid[0].samples, grid: swept ? grid : nil)
    }
}

private struct GenerateOutput: Encodable {
    var model: String?
    var promptIds: [Int]
    var samples: [GeneratedOutput]?
    var grid: [SettingSamples]?
}

private struct MultiModelOutput: Encodable {
    var models: [GenerateOutput]
}
