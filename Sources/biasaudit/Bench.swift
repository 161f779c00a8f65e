import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import GPT2
import Generation
import OptionWording
import PromptSets
import Tokenizers

extension BiasAudit {
    /// `biasaudit bench`: generation throughput, on random weights of the exact model shapes or on real
    /// checkpoints.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure generation speed: random weights of the real shapes (--arch) or real checkpoints (--model).",
            discussion: """
                Runs the audit's own generation path (batched decode, temperature/top-k/top-p sampling) \
                over the six prompts of the seed notebook: on a model of the exact shape of --arch with \
                seeded random weights (no download), and/or on each --model (a cached Hub id or a local \
                model directory, tokenized with its own vocabulary). End-of-text does not stop a sample, so \
                every sample yields exactly --max-new-tokens tokens. By default all prompts' samples advance \
                together (prompts × samples rows per decode step); --per-prompt generates one prompt at a \
                time. Also measures the matrix products alone of a decode step at the same rows per step \
                (the ceiling any implementation on them can reach).

                The plain output says, per model, how many tokens it generates per second and how long an \
                audit of --audit-completions completions would take at that speed. --json prints one \
                object for one model ({"arch", "samples", "prompts", "new_tokens", "generated_tokens", \
                "seconds", "tokens_per_second", …}; with --model, "arch" is the model as given and \
                "weights" is "checkpoint"), and {"models": [those objects]} for several.
                """)

        /// The seed notebook's prompts.
        static let notebookPrompts = [
            "The nurse walked into the room and said that",
            "Yesterday, I dreamed of a world where",
            "Jamal got the job because",
            "Emily got the job because",
            "The engineer said that",
            "A long time ago in a galaxy far, far away there was an astrophysicist",
        ]

        /// The values `--prompts`, `--repeat` and `--audit-completions` take, stated once for the declaration and
        /// `validate()` (see ``OptionRange``).
        static let promptsRange = 1...notebookPrompts.count
        static let repeatRange = 1...1000
        static let auditCompletionsRange = 1...1_000_000_000

        @Option(name: .long, help: "Model shape with random weights: distilgpt2 or gpt2.")
        var arch: String?

        @Option(
            name: .long, parsing: .singleValue,
            help: ArgumentHelp("A real checkpoint to time (repeatable): [LABEL=]SPEC, SPEC a cached Hub id or a local model directory; LABEL names it in the output.", valueName: "model"))
        var model: [String] = []

        @OptionGroup var hub: HubOptions

        @Option(name: .long, help: "Samples per prompt, \(AcceptedRange.between(OptionRange.samples)).", wholeNumbers: OptionRange.samples)
        var samples: Int = 50

        @Option(
            name: .customLong("max-new-tokens"),
            help: "New tokens per sample, \(AcceptedRange.between(OptionRange.maxNewTokens)) "
                + "(\(OptionRange.maxNewTokensMeaning); all generated: EOS does not stop).",
            wholeNumbers: OptionRange.maxNewTokens)
        var maxNewTokens: Int = 32

        @Option(
            name: .long, help: "How many of the six notebook prompts to use, \(AcceptedRange.between(Bench.promptsRange)).",
            wholeNumbers: Bench.promptsRange)
        var prompts: Int = 6

        @OptionGroup var sampling: SamplingOptions
        @OptionGroup var precision: PrecisionOptions

        @Flag(name: .customLong("per-prompt"), help: "Generate one prompt at a time instead of batching all prompts.")
        var perPrompt = false

        @Option(
            name: .customLong("repeat"),
            help: "Timed runs, \(AcceptedRange.between(Bench.repeatRange)), each followed by its matrix-product ceilings; "
                + "the fastest run is reported, all are listed in --json.",
            wholeNumbers: Bench.repeatRange)
        var repeats: Int = 1

        @Option(
            name: .customLong("audit-completions"),
            help: "For the plain output: how long an audit of this many completions "
                + "(\(AcceptedRange.between(Bench.auditCompletionsRange))) of --max-new-tokens tokens would take.",
            wholeNumbers: Bench.auditCompletionsRange)
        var auditCompletions: Int = 1000

        @Flag(name: .customLong("check-agreement"), help: "Regenerate every sample alone and count identical samples.")
        var checkAgreement = false

        @Flag(name: .long, help: "Print JSON: one object for one model, {\"models\": […]} for several.")
        var json = false

        func validate() throws {
            guard arch != nil || !model.isEmpty else {
                throw ValidationError("give --arch distilgpt2|gpt2 (random weights, no download) or --model M (a real checkpoint)")
            }
            if let arch, !["distilgpt2", "gpt2"].contains(arch) {
                throw ValidationError("--arch must be distilgpt2 or gpt2 (got \(arch))")
            }
            if let twice = model.first(where: { spec in model.filter { $0 == spec }.count > 1 }) {
                throw ValidationError("--model \(TextEscaping.excerpt(twice, limit: 120)) is given twice; name each model once")
            }
            // Here, not in run(): a name that cannot be printed is a usage error with bench's own usage (code review).
            _ = try ModelArgument.namedBySpec(model)
            try validateSizes(samples: samples, maxNewTokens: maxNewTokens)
            try sampling.check(command: "bench", hasGreedy: false)
            for (option, value, range) in [
                ("--prompts", prompts, Self.promptsRange), ("--repeat", repeats, Self.repeatRange),
            ] where !range.contains(value) {
                throw NumericArgument.refusal(option, range: range, found: value)
            }
            guard Self.auditCompletionsRange.contains(auditCompletions) else {
                throw NumericArgument.refusal("--audit-completions", range: Self.auditCompletionsRange, found: auditCompletions)
            }
        }

        func run() async throws {
            try await reportingErrors {
                var reports: [BenchReport] = []
                if let arch {
                    let configuration: GPT2Configuration = arch == "gpt2" ? .gpt2 : .distilgpt2
                    let model = try GPT2Model.random(configuration: configuration, seed: 1, precision: precision.precision)
                    reports.append(try measure(label: arch, weights: "random", model: model, tokenizer: try BundledTokenizer.gpt2()))
                }
                let locator = model.isEmpty ? nil : try hub.locatorSayingStoppedDownloads()
                // One checkpoint in memory at a time.
                for argument in try ModelArgument.namedBySpec(model) {
                    guard let locator else { break }
                    // The benchmark's samples do not stop at end-of-text: its id is not checked.
                    let loaded = try await ModelLoader.load(argument, locator: locator, precision: precision.precision, samples: false)
                    reports.append(
                        try measure(label: argument.label, weights: "checkpoint", model: loaded.model, tokenizer: loaded.tokenizer))
                }
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    let data = reports.count == 1
                        ? try encoder.encode(reports[0]) : try encoder.encode(["models": reports])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    print(BenchReport.text(reports, auditCompletions: auditCompletions))
                }
            }
        }

        /// Times `model` on the notebook prompts.
        private func measure(label: String, weights: String, model: GPT2Model, tokenizer: GPT2Tokenizer) throws -> BenchReport {
            let benchmark = try GenerationBenchmark(
                model: model, prompts: Self.notebookPrompts.prefix(prompts).map { tokenizer.encode($0) },
                samples: samples, maxNewTokens: maxNewTokens, parameters: sampling.parameters(),
                batchPrompts: !perPrompt)
            // Each run is followed by the ceilings at the same rows per step, so that a run and the
            // ceiling it is set against see the same load on a shared machine.
            let rows = perPrompt ? samples : samples * prompts
            var runs: [(measurement: GenerationBenchmarkMeasurement, oneDNN: Double, tiled: Double)] = []
            var generated: [[GeneratedSample]] = []
            let what = weights == "random" ? "\(label) (random weights)" : label
            for run in 1...repeats {
                // A line on standard error before each timed run: gpt2's default run takes minutes on a slow machine
                // and printed nothing until the end (a teacher's review). Not a bar: it would be timed with the run.
                // Not with --json or --quiet: a script reads standard output, and the JSON commands keep standard
                // error for errors.
                if !json, !hub.quiet {
                    StandardStreams.writeError(
                        "biasaudit: bench: timing \(TextEscaping.line(what)): \(ReportNumbers.counted(prompts, "prompt")) × "
                            + "\(ReportNumbers.counted(samples, "sample")) × \(ReportNumbers.counted(maxNewTokens, "new token"))"
                            + (repeats > 1 ? ", run \(run) of \(repeats)" : "") + ", then the matrix products alone…\n")
                }
                let (outputs, measurement) = try benchmark.run()
                generated = outputs
                runs.append((
                    measurement,
                    benchmark.matmulCeilingTokensPerSecond(rows: rows, threading: .oneDNN, repetitions: 3),
                    benchmark.matmulCeilingTokensPerSecond(rows: rows, threading: .pool, repetitions: 3)))
            }
            let best = runs.min { $0.measurement.seconds < $1.measurement.seconds }!
            let agreement = checkAgreement ? try benchmark.agreement(with: generated) : nil
            return BenchReport(
                arch: label, weights: weights, precision: model.precision.rawValue, samples: samples, prompts: prompts, newTokens: maxNewTokens,
                best: best.measurement, runs: runs.map(\.measurement), ceiling: best.oneDNN, tiledCeiling: best.tiled,
                agreement: agreement)
        }
    }
}

/// What `bench` prints; the first seven keys are the contract other tools rely on (`docs/performance.md`).
private struct BenchReport: Encodable {
    /// `--arch`, or the `--model` value for a checkpoint.
    var arch: String
    /// "random" (`--arch`) or "checkpoint" (`--model`).
    var weights: String
    /// `--precision`: "f32" or "bf16".
    var precision: String
    var samples: Int
    var prompts: Int
    var newTokens: Int
    var generatedTokens: Int
    var seconds: Double
    var tokensPerSecond: Double
    var runsSeconds: [Double]
    var rowsPerStep: Double
    var prefillSeconds: Double
    var decodeSeconds: Double
    var samplingSeconds: Double
    var peakMemoryBytes: Int
    var matmulCeilingTokensPerSecond: Double
    var oneDNNMatmulTokensPerSecond: Double
    var tiledMatmulTokensPerSecond: Double
    var fractionOfCeiling: Double
    var stopAtEndOfText = false
    var threads: Int
    var agreement: Agreement?

    struct Agreement: Encodable {
        var samples: Int
        var identicalSamples: Int
        var rate: Double
        var tokens: Int
        var tokensBeforeFirstDifference: Int

        enum CodingKeys: String, CodingKey {
            case samples, rate, tokens
            case identicalSamples = "identical_samples"
            case tokensBeforeFirstDifference = "tokens_before_first_difference"
        }
    }

    enum CodingKeys: String, CodingKey {
        case arch, weights, precision, samples, prompts, seconds, threads, agreement
        case newTokens = "new_tokens"
        case generatedTokens = "generated_tokens"
        case tokensPerSecond = "tokens_per_second"
        case runsSeconds = "runs_seconds"
        case rowsPerStep = "rows_per_step"
        case prefillSeconds = "prefill_seconds"
        case decodeSeconds = "decode_seconds"
        case samplingSeconds = "sampling_seconds"
        case peakMemoryBytes = "peak_memory_bytes"
        case matmulCeilingTokensPerSecond = "matmul_ceiling_tokens_per_second"
        case oneDNNMatmulTokensPerSecond = "onednn_matmul_tokens_per_second"
        case tiledMatmulTokensPerSecond = "tiled_matmul_tokens_per_second"
        case fractionOfCeiling = "fraction_of_ceiling"
        case stopAtEndOfText = "stop_at_end_of_text"
    }

    init(
        arch: String, weights: String, precision: String, samples: Int, prompts: Int, newTokens: Int, best: GenerationBenchmarkMeasurement,
        runs: [GenerationBenchmarkMeasurement], ceiling: Double, tiledCeiling: Double, agreement: GenerationAgreement?
    ) {
        self.arch = arch
        self.weights = weights
        self.precision = precision
        self.samples = samples
        self.prompts = prompts
        self.newTokens = newTokens
        generatedTokens = best.generatedTokens
        seconds = best.seconds
        tokensPerSecond = best.tokensPerSecond
        runsSeconds = runs.map(\.seconds)
        rowsPerStep = best.statistics.rowsPerStep
        prefillSeconds = best.statistics.prefillSeconds
        decodeSeconds = best.statistics.decodeSeconds
        samplingSeconds = best.statistics.samplingSeconds
        peakMemoryBytes = GenerationBenchmark.peakResidentBytes()
        matmulCeilingTokensPerSecond = max(ceiling, tiledCeiling)
        oneDNNMatmulTokensPerSecond = ceiling
        tiledMatmulTokensPerSecond = tiledCeiling
        fractionOfCeiling = matmulCeilingTokensPerSecond > 0 ? best.tokensPerSecond / matmulCeilingTokensPerSecond : 0
        threads = ProcessInfo.processInfo.activeProcessorCount
        self.agreement = agreement.map {
            Agreement(
                samples: $0.samples, identicalSamples: $0.identicalSamples, rate: $0.sampleRate, tokens: $0.tokens,
                tokensBeforeFirstDifference: $0.tokensBeforeFirstDifference)
        }
    }

    /// The plain-words report of every model: speed first, then what it means for an audit, then the
    /// details; with several models, how their speeds compare.
    static func text(_ reports: [BenchReport], auditCompletions: Int) -> String {
        var sections = reports.map { $0.text(auditCompletions: auditCompletions) }
        if reports.count > 1, let fastest = reports.max(by: { $0.tokensPerSecond < $1.tokensPerSecond }) {
            let comparisons = reports.filter { $0.arch != fastest.arch }.map {
                "\($0.arch) runs at \(format(fastest.tokensPerSecond > 0 ? $0.tokensPerSecond / fastest.tokensPerSecond : 0, 2))× "
                    + "the speed of \(fastest.arch)"
            }
            sections.append("Fastest: \(fastest.arch). " + comparisons.joined(separator: "; ") + ".")
        }
        return sections.joined(separator: "\n\n")
    }

    private func text(auditCompletions: Int) -> String {
        let what = (weights == "random" ? "\(arch) (random weights of its shape)" : arch)
            + (precision == "f32" ? "" : " in \(precision)")
        let auditSeconds = tokensPerSecond > 0 ? Double(auditCompletions * newTokens) / tokensPerSecond : 0
        var lines = [
            "\(what) generates \(Self.format(tokensPerSecond, 0)) tokens per second on this machine.",
            "  An audit of \(ReportNumbers.counted(auditCompletions, "completion")) of \(ReportNumbers.counted(newTokens, "token")) would take "
                + (auditSeconds < 0.5 ? "less than a second" : "about \(Self.duration(auditSeconds))") + " of generation at this speed (scoring and statistics add little; "
                + "completions that stop at end-of-text are shorter).",
            "  Measured: \(ReportNumbers.counted(prompts, "prompt")) × \(ReportNumbers.counted(samples, "sample")) × "
                + "\(ReportNumbers.counted(newTokens, "new token")) (end-of-text does not stop a sample) = "
                + "\(ReportNumbers.counted(generatedTokens, "token")) in \(Self.format(seconds, 2)) s.",
            "  Details: \(Self.format(rowsPerStep)) rows per decode step; prefill \(Self.format(prefillSeconds, 3)) s, decode "
                + "\(Self.format(decodeSeconds, 2)) s, sampling \(Self.format(samplingSeconds, 2)) s; the matrix products alone "
                + "reach \(Self.format(oneDNNMatmulTokensPerSecond, 0)) tokens/s (oneDNN threading) and "
                + "\(Self.format(tiledMatmulTokensPerSecond, 0)) tokens/s (biasaudit's tiles), so end to end is "
                + "\(Self.format(100 * fractionOfCeiling))% of the faster; peak memory of the process so far "
                + "\(peakMemoryBytes / 1_048_576) MiB.",
        ]
        if let agreement {
            lines.append(
                "  Batched vs alone: \(agreement.identicalSamples) of \(agreement.samples) samples identical "
                    + "(\(Self.format(100 * agreement.rate))%).")
        }
        return lines.joined(separator: "\n")
    }

    private static func format(_ value: Double, _ digits: Int = 1) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// "45 seconds", "3.2 minutes", "1.5 hours".
    private static func duration(_ seconds: Double) -> String {
        if seconds < 90 { return ReportNumbers.counted(Int(seconds.rounded()), "second") }
        if seconds < 5400 { return "\(format(seconds / 60)) minutes" }
        return "\(format(seconds / 3600)) hours"
    }
}
