import ArgumentParser
import AuditResults
import AuditRun
import Foundation
import Generation
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
                """)

        @Option(
            name: .long, parsing: .singleValue,
            help: ArgumentHelp(
                "A Hub id (distilgpt2, gpt2, org/name, optionally @revision) or a local directory with config.json, model.safetensors, vocab.json and merges.txt; repeat to compare models.",
                valueName: "model"))
        var model: [String] = []

        @OptionGroup var hub: HubOptions
        @OptionGroup var sampling: SamplingOptions
        @OptionGroup var precision: PrecisionOptions

        @Argument(help: "The prompt.")
        var prompt: String

        @Flag(name: .long, help: "Pick the most probable token at every step (no sampling).")
        var greedy = false

        @Option(name: .long, help: "How many continuations to generate (per model and setting).")
        var samples: Int = 1

        @Option(name: .customLong("max-new-tokens"), help: "Maximum tokens per continuation.")
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
                throw ValidationError("--model \(model[twice]) is given twice; name each model once")
            }
            try validateSizes(samples: samples, maxNewTokens: maxNewTokens)
            guard !prompt.isEmpty else { throw ValidationError("the prompt is empty; give at least one character") }
            let sweeps: [SamplingSweep]
            do {
                sweeps = try sweep.map(SamplingSweep.init(parsing:))
            } catch let error as SamplingSweep.ParseError {
                throw ValidationError(error.description)
            }
            if !sweeps.isEmpty && greedy {
                throw ValidationError("--greedy ignores temperature, top-k and top-p, so --sweep would change nothing; drop one")
            }
            let given = Set(CommandLine.arguments.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") })
            for parameter in sweeps.map(\.parameter) {
                if sweeps.filter({ $0.parameter == parameter }).count > 1 {
                    throw ValidationError("--sweep \(parameter.rawValue)=… is given twice; list all its values in one --sweep")
                }
                if given.contains(parameter.flag) {
                    throw ValidationError(
                        "\(parameter.flag) and --sweep \(parameter.rawValue)=… both set the \(parameter.rawValue); give one")
                }
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
            for setting in SamplingSweep.grid(sweeps, base: sampling.parameters(greedy: greedy)) {
                do {
                    try setting.validate()
                } catch {
                    throw ValidationError("--sweep: \(error)")
                }
            }
        }

        func run() async throws {
            try await reportingErrors {
                let sweeps = try sweep.map(SamplingSweep.init(parsing:))
                let settings = SamplingSweep.grid(sweeps, base: sampling.parameters(greedy: greedy))
                let locator = try hub.locator()
                var results: [ModelSamples] = []
                // One model in memory at a time.
                for argument in try ModelArgument.namedBySpec(model) {
                    let loaded = try await ModelLoader.load(argument, locator: locator, precision: precision.precision)
                    let ids = try loaded.promptIDs(prompt)
                    let request = GenerationRequest(promptIDs: ids, streamIDs: (0..<samples).map(UInt64.init))
                    let grid = try settings.map { parameters in
                        let generator = try Generator(
                            model: loaded.model, parameters: parameters, maxNewTokens: maxNewTokens,
                            endOfTextID: loaded.tokenizer.endOfTextID, stopAtEndOfText: !ignoreEOS)
                        let outputs = try generator.generate([request])[0].map {
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

        /// Setting by setting (when sweeping), model by model, each sample as prompt → continuation.
        private func text(_ results: [ModelSamples], settings: [SamplingParameters], swept: Bool) -> String {
            var sections: [String] = []
            for (index, parameters) in settings.enumerated() {
                var parts: [String] = []
                if swept { parts.append(LabText.heading(SamplingSweep.describe(parameters))) }
                for result in results {
                    let samples = TerminalText.samples(
                        prompt: prompt, continuations: result.grid[index].samples.map { ($0.text, $0.stopReason) })
                    parts.append(results.count > 1 ? "model \(result.model)\n" + samples : samples)
                }
                sections.append(parts.joined(separator: "\n\n"))
            }
            return sections.joined(separator: "\n\n")
        }
    }
}

/// One parameter of `--sweep PARAM=V1,V2,…` and its values.
struct SamplingSweep: Equatable {
    /// A parameter that can be swept.
    enum Parameter: String, CaseIterable {
        case temperature
        case topK = "top_k"
        case topP = "top_p"

        /// The flag that sets the parameter alone.
        var flag: String {
            switch self {
            case .temperature: return "--temperature"
            case .topK: return "--top-k"
            case .topP: return "--top-p"
            }
        }
    }

    /// A `--sweep` value that cannot be read.
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    let parameter: Parameter
    /// The values as numbers (top_k's are whole).
    let values: [Double]

    /// Reads `PARAM=V1,V2,…`; `top-k` and `top-p` are accepted for `top_k` and `top_p`.
    init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let names = Parameter.allCases.map(\.rawValue).joined(separator: ", ")
        guard parts.count == 2,
            let parameter = Parameter(rawValue: parts[0].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_"))
        else {
            throw ParseError(description: "--sweep '\(text)' is not PARAM=V1,V2,… with PARAM one of \(names)")
        }
        let words = parts[1].split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var values: [Double] = []
        for word in words {
            if parameter == .topK {
                guard let value = Int(word) else {
                    throw ParseError(description: "--sweep \(parameter.rawValue): '\(word)' is not a whole number")
                }
                values.append(Double(value))
            } else {
                guard let value = Float(word), value.isFinite else {
                    throw ParseError(description: "--sweep \(parameter.rawValue): '\(word)' is not a number")
                }
                values.append(Double(value))
            }
        }
        if let repeated = values.first(where: { value in values.filter { $0 == value }.count > 1 }) {
            throw ParseError(description: "--sweep \(parameter.rawValue) lists \(Self.format(repeated, parameter)) twice")
        }
        self.parameter = parameter
        self.values = values
    }

    /// Every combination of the sweeps' values applied to `base`, the first sweep varying slowest;
    /// `[base]` without sweeps.
    static func grid(_ sweeps: [SamplingSweep], base: SamplingParameters) -> [SamplingParameters] {
        sweeps.reduce([base]) { settings, sweep in
            settings.flatMap { setting in
                sweep.values.map { value in
                    var next = setting
                    switch sweep.parameter {
                    case .temperature: next.temperature = Float(value)
                    case .topK: next.topK = Int(value)
                    case .topP: next.topP = Float(value)
                    }
                    return next
                }
            }
        }
    }

    /// "temperature 0.7 · top-k 50 · top-p 0.9 · seed 0".
    static func describe(_ parameters: SamplingParameters) -> String {
        let topK = parameters.topK == 0 ? "off" : String(parameters.topK)
        let topP = parameters.topP == 1 ? "off" : "\(parameters.topP)"
        return "temperature \(parameters.temperature) · top-k \(topK) · top-p \(topP) · seed \(parameters.seed)"
    }

    private static func format(_ value: Double, _ parameter: Parameter) -> String {
        parameter == .topK ? String(Int(value)) : "\(Float(value))"
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
