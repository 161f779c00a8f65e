import ArgumentParser
import Foundation
import GPT2
import Generation
import PromptSets

extension BiasAudit {
    /// `biasaudit bench`: generation throughput on random weights of the exact model shapes.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure generation speed on random weights of the real model shapes (no download).",
            discussion: """
                Runs the audit's own generation path (batched decode, temperature/top-k/top-p sampling) \
                on a model of the exact shape of --arch with seeded random weights, over the six prompts \
                of the seed notebook tokenized with the bundled GPT-2 vocabulary. End-of-text does not \
                stop a sample, so every sample yields exactly --max-new-tokens tokens. By default all \
                prompts' samples advance together (prompts × samples rows per decode step); \
                --per-prompt generates one prompt at a time. Also measures the matrix products alone of \
                a decode step at the same rows per step (the ceiling any implementation on them can reach).
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

        @Option(name: .long, help: "Model shape: distilgpt2 or gpt2.")
        var arch: String

        @Option(name: .long, help: "Samples per prompt.")
        var samples: Int = 50

        @Option(name: .customLong("max-new-tokens"), help: "New tokens per sample (all generated: EOS does not stop).")
        var maxNewTokens: Int = 32

        @Option(name: .long, help: "How many of the six notebook prompts to use.")
        var prompts: Int = 6

        @OptionGroup var sampling: SamplingOptions

        @Flag(name: .customLong("per-prompt"), help: "Generate one prompt at a time instead of batching all prompts.")
        var perPrompt = false

        @Option(
            name: .customLong("repeat"),
            help: "Timed runs, each followed by its matrix-product ceilings; the fastest run is reported, all are listed in --json.")
        var repeats: Int = 1

        @Flag(name: .customLong("check-agreement"), help: "Regenerate every sample alone and count identical samples.")
        var checkAgreement = false

        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func validate() throws {
            guard ["distilgpt2", "gpt2"].contains(arch) else {
                throw ValidationError("--arch must be distilgpt2 or gpt2 (got \(arch))")
            }
            try validateSizes(samples: samples, maxNewTokens: maxNewTokens)
            guard (1...Self.notebookPrompts.count).contains(prompts) else {
                throw ValidationError("--prompts must lie between 1 and \(Self.notebookPrompts.count) (got \(prompts))")
            }
            guard (1...1000).contains(repeats) else { throw ValidationError("--repeat must lie between 1 and 1000 (got \(repeats))") }
        }

        func run() async throws {
            try await reportingErrors {
                let configuration: GPT2Configuration = arch == "gpt2" ? .gpt2 : .distilgpt2
                let model = try GPT2Model.random(configuration: configuration, seed: 1)
                let tokenizer = try BundledTokenizer.gpt2()
                let benchmark = try GenerationBenchmark(
                    model: model, prompts: Self.notebookPrompts.prefix(prompts).map { tokenizer.encode($0) },
                    samples: samples, maxNewTokens: maxNewTokens, parameters: sampling.parameters(),
                    batchPrompts: !perPrompt)
                // Each run is followed by the ceilings at the same rows per step, so that a run and the
                // ceiling it is set against see the same load on a shared machine.
                let rows = perPrompt ? samples : samples * prompts
                var runs: [(measurement: GenerationBenchmarkMeasurement, oneDNN: Double, tiled: Double)] = []
                var generated: [[GeneratedSample]] = []
                for _ in 0..<repeats {
                    let (outputs, measurement) = try benchmark.run()
                    generated = outputs
                    runs.append((
                        measurement,
                        benchmark.matmulCeilingTokensPerSecond(rows: rows, threading: .oneDNN, repetitions: 3),
                        benchmark.matmulCeilingTokensPerSecond(rows: rows, threading: .pool, repetitions: 3)))
                }
                let best = runs.min { $0.measurement.seconds < $1.measurement.seconds }!
                let agreement = checkAgreement ? try benchmark.agreement(with: generated) : nil
                let report = BenchReport(
                    arch: arch, samples: samples, prompts: prompts, newTokens: maxNewTokens,
                    best: best.measurement, runs: runs.map(\.measurement), ceiling: best.oneDNN, tiledCeiling: best.tiled,
                    agreement: agreement)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    print(String(decoding: try encoder.encode(report), as: UTF8.self))
                } else {
                    print(report.text)
                }
            }
        }
    }
}

/// What `bench` prints; the first seven keys are the contract other tools rely on (`docs/performance.md`).
private struct BenchReport: Encodable {
    var arch: String
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
        case arch, samples, prompts, seconds, threads, agreement
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
        arch: String, samples: Int, prompts: Int, newTokens: Int, best: GenerationBenchmarkMeasurement,
        runs: [GenerationBenchmarkMeasurement], ceiling: Double, tiledCeiling: Double, agreement: GenerationAgreement?
    ) {
        self.arch = arch
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

    var text: String {
        func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        var lines = [
            "\(arch): \(prompts) prompts × \(samples) samples × \(newTokens) new tokens (EOS does not stop a sample)",
            "  generated \(generatedTokens) tokens in \(format(seconds, 2)) s: \(format(tokensPerSecond)) tokens/s",
            "  rows per decode step \(format(rowsPerStep)); prefill \(format(prefillSeconds, 3)) s, decode "
                + "\(format(decodeSeconds, 2)) s, sampling \(format(samplingSeconds, 2)) s",
            "  matrix products alone at \(format(rowsPerStep, 0)) rows: \(format(oneDNNMatmulTokensPerSecond)) tokens/s "
                + "(oneDNN threading), \(format(tiledMatmulTokensPerSecond)) tokens/s (biasaudit's tiles); "
                + "end to end reaches \(format(100 * fractionOfCeiling))% of the faster",
            "  peak memory \(peakMemoryBytes / 1_048_576) MiB",
        ]
        if let agreement {
            lines.append(
                "  batched vs alone: \(agreement.identicalSamples)/\(agreement.samples) samples identical "
                    + "(\(format(100 * agreement.rate))%)")
        }
        return lines.joined(separator: "\n")
    }
}
