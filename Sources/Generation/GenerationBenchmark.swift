import Foundation
import GPT2

/// Generation throughput on a given model: the audit's own generation path (`Generator`, batched
/// decode, temperature/top-k/top-p sampling) with end-of-text stops disabled, so every sample yields
/// exactly `maxNewTokens` tokens, timed end to end and set against the matrix-product ceiling at the
/// same rows per decode step. One generator serves every run, as in an audit, so runs after the
/// first reuse its KV cache and logit rows (the first also pays for touching them).
public struct GenerationBenchmark {
    /// The model to run (for speed figures, `GPT2Model.random` of the real shapes).
    public let model: GPT2Model
    /// The prompts' token ids.
    public let prompts: [[Int]]
    /// Samples per prompt.
    public let samples: Int
    /// New tokens per sample (all of them generated: end-of-text does not stop a sample).
    public let maxNewTokens: Int
    /// Temperature, top-k, top-p and seed.
    public let parameters: SamplingParameters
    /// true: all prompts' samples advance together (prompts × samples rows per decode step);
    /// false: one `generate` call per prompt (samples rows per step), as a per-prompt loop would.
    public let batchPrompts: Bool
    private let generator: Generator

    /// Describes a benchmark run.
    /// - Parameters:
    ///   - model: the model.
    ///   - prompts: token ids of each prompt (each non-empty).
    ///   - samples: samples per prompt, at least 1.
    ///   - maxNewTokens: new tokens per sample, at least 1.
    ///   - parameters: sampling parameters.
    ///   - batchPrompts: whether all prompts share one batch.
    /// - Throws: what `Generator.init` throws for invalid parameters.
    public init(
        model: GPT2Model, prompts: [[Int]], samples: Int, maxNewTokens: Int, parameters: SamplingParameters,
        batchPrompts: Bool = true
    ) throws {
        self.model = model
        self.prompts = prompts
        self.samples = samples
        self.maxNewTokens = maxNewTokens
        self.parameters = parameters
        self.batchPrompts = batchPrompts
        generator = try Generator(
            model: model, parameters: parameters, maxNewTokens: maxNewTokens, stopAtEndOfText: false)
    }

    /// Sample i of every prompt uses random stream i, so prompts are comparable.
    private var requests: [GenerationRequest] {
        prompts.map { GenerationRequest(promptIDs: $0, streamIDs: (0..<samples).map(UInt64.init)) }
    }

    /// Generates every sample once, timing the whole.
    /// - Returns: the samples (per prompt, in stream order) and the measurements.
    /// - Throws: what `Generator` throws for an invalid prompt or parameter.
    public func run() throws -> (samples: [[GeneratedSample]], measurement: GenerationBenchmarkMeasurement) {
        let start = DispatchTime.now().uptimeNanoseconds
        var outputs: [[GeneratedSample]] = []
        var statistics = GenerationStatistics()
        if batchPrompts {
            outputs = try generator.generate(requests)
            statistics = generator.lastStatistics
        } else {
            for request in requests {
                outputs += try generator.generate([request])
                statistics = statistics + generator.lastStatistics
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let tokens = outputs.joined().reduce(0) { $0 + $1.ids.count }
        let measurement = GenerationBenchmarkMeasurement(
            generatedTokens: tokens, seconds: seconds, statistics: statistics)
        return (outputs, measurement)
    }

    /// Regenerates each sample with its prompt alone and its stream alone, one row per step, and
    /// compares the tokens with `batched` (the output of `run()`).
    /// - Returns: how many samples, and how many of their tokens, are identical.
    /// - Throws: what `Generator` throws.
    public func agreement(with batched: [[GeneratedSample]]) throws -> GenerationAgreement {
        let generator = try Generator(
            model: model, parameters: parameters, maxNewTokens: maxNewTokens, stopAtEndOfText: false)
        var result = GenerationAgreement()
        for (request, batchedSamples) in zip(requests, batched) {
            for (stream, batchedSample) in zip(request.streamIDs, batchedSamples) {
                let alone = try generator.generate([GenerationRequest(promptIDs: request.promptIDs, streamIDs: [stream])])
                let ids = alone[0][0].ids
                result.samples += 1
                result.tokens += ids.count
                if ids == batchedSample.ids { result.identicalSamples += 1 }
                let firstDifference = zip(ids, batchedSample.ids).prefix { $0 == $1 }.count
                result.tokensBeforeFirstDifference += firstDifference
            }
        }
        return result
    }

    /// The matrix-product ceiling at `rows` rows per decode step, in tokens per second.
    /// - Parameters:
    ///   - threading: oneDNN's own threading or biasaudit's tiled products.
    ///   - repetitions: timed decode steps; the fastest counts.
    public func matmulCeilingTokensPerSecond(rows: Int, threading: MatmulThreading, repetitions: Int = 5) -> Double {
        Double(rows) / model.decodeStepMatmulSeconds(rows: rows, repetitions: repetitions, threading: threading)
    }

    /// The process's peak resident memory so far, in bytes (`getrusage` maximum resident set size).
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

/// The timing of one `GenerationBenchmark.run()`.
public struct GenerationBenchmarkMeasurement: Sendable {
    /// Tokens generated over all samples.
    public let generatedTokens: Int
    /// Wall-clock seconds of the whole generation (prefill, decode steps and sampling).
    public let seconds: Double
    /// The generator's breakdown of that time.
    public let statistics: GenerationStatistics

    /// Generated tokens per wall-clock second.
    public var tokensPerSecond: Double {
        seconds > 0 ? Double(generatedTokens) / seconds : 0
    }
}

/// How far batched samples agree with the same samples generated alone.
public struct GenerationAgreement: Sendable, Equatable {
    /// Samples compared.
    public var samples = 0
    /// Samples whose tokens are all identical.
    public var identicalSamples = 0
    /// Tokens compared (of the samples generated alone).
    public var tokens = 0
    /// Tokens that precede each sample's first difference, summed (a flipped draw changes all that follow).
    public var tokensBeforeFirstDifference = 0

    /// The fraction of identical samples (1 when nothing was compared).
    public var sampleRate: Double {
        samples == 0 ? 1 : Double(identicalSamples) / Double(samples)
    }
}
