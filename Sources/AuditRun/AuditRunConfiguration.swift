import AuditAnalysis
import AuditResults
import Foundation
import GPT2
import Generation
import HTTPClient

/// Everything `biasaudit run` was asked to do.
public struct AuditRunConfiguration: Sendable {
    /// Completions per prompt when neither `--samples` nor the prompt set says otherwise.
    public static let defaultSamples = RunParameters.defaultSamples
    /// New tokens per completion when neither `--max-new-tokens` nor the prompt set says otherwise.
    public static let defaultMaxNewTokens = RunParameters.defaults.maxNewTokens
    /// The models audited by default: the two the seed notebook compares.
    public static let defaultModels = ["distilgpt2", "gpt2"]
    /// The sampling settings of the seed notebook: temperature 0.7, top-k 50, top-p 0.9, seed 0
    /// (``AuditResults/RunParameters/defaults``, the one definition reports compare with).
    public static let defaultSampling = SamplingParameters(
        temperature: Float(RunParameters.defaults.temperature), topK: RunParameters.defaults.topK,
        topP: Float(RunParameters.defaults.topP), seed: RunParameters.defaults.seed)
    /// 95% intervals, the MDE at 80% power, at least 20 gendered words per group for the male share.
    public static let defaultAnalysis = AuditAnalysis.Settings()
    /// The VADER compound at or above which a completion counts as positive (VADER's own convention).
    public static let defaultPositiveThreshold = RunParameters.defaults.positiveThreshold
    /// The VADER compound at or below which a completion counts as negative.
    public static let defaultNegativeThreshold = RunParameters.defaults.negativeThreshold

    /// Prompt-set files, in order.
    public var promptSetFiles: [URL]
    /// `--model [LABEL=]SPEC` values, in order (the first is "model A" of comparisons); see ``ModelArgument``.
    public var models: [String]
    /// `--samples`, overriding every set's default.
    public var samples: Int?
    /// `--max-new-tokens`, overriding every set's default.
    public var maxNewTokens: Int?
    /// Temperature, top-k, top-p and the run seed of every completion (injected biases are added per group).
    /// With ``sweeps``, the base setting: the first of ``settings``, which the main sections of the results describe.
    public var sampling: SamplingParameters
    /// `--sweep PARAM=V1,V2,…`: audit at every combination of these values (see ``settings``); empty for one setting.
    public var sweeps: [SamplingSweep]
    /// Output directory.
    public var outputDirectory: URL
    /// Confidence level, power and minimum support of the statistics.
    public var analysis: AuditAnalysis.Settings
    /// VADER compound thresholds for the positive and negative labels.
    public var positiveThreshold: Double
    /// See ``positiveThreshold``.
    public var negativeThreshold: Double
    /// The command line, for the manifest.
    public var commandLine: [String]
    /// Simulated biases (`--inject-bias`), for checking that the audit detects a known skew.
    public var injectedBiases: [InjectedBias]
    /// Requests in flight at once to each OpenAI-compatible server (`--concurrency`).
    public var concurrentRequests = AuditRunConfiguration.defaultConcurrentRequests
    /// Seconds without an answer before a request to a server is retried (`--request-timeout`).
    public var requestTimeout: TimeInterval = OpenAIEndpoint.defaultTimeout
    /// How failed requests to a server are retried (tests inject one that records its waits).
    public var retryPolicy = RetryPolicy.standard
    /// The part of the prompts this run audits (`--shard I/N`); nil for all.
    public var shard: RunShard?
    /// Requests in flight at once to a server when not given: enough to keep a batching server busy.
    public static let defaultConcurrentRequests = 8
    /// The arithmetic of the models' matrix products (`--precision`); recorded in the manifest.
    public var precision: GPT2Precision = .f32

    /// Creates a configuration with the documented defaults.
    public init(
        promptSetFiles: [URL], models: [String] = AuditRunConfiguration.defaultModels, samples: Int? = nil,
        maxNewTokens: Int? = nil, sampling: SamplingParameters = AuditRunConfiguration.defaultSampling,
        analysis: AuditAnalysis.Settings = AuditRunConfiguration.defaultAnalysis, outputDirectory: URL,
        positiveThreshold: Double = AuditRunConfiguration.defaultPositiveThreshold,
        negativeThreshold: Double = AuditRunConfiguration.defaultNegativeThreshold, commandLine: [String] = [],
        injectedBiases: [InjectedBias] = [], sweeps: [SamplingSweep] = []
    ) {
        self.promptSetFiles = promptSetFiles
        self.models = models
        self.samples = samples
        self.maxNewTokens = maxNewTokens
        // The swept parameters take their first values, so that the base setting is the grid's first.
        self.sampling = SamplingSweep.grid(sweeps, base: sampling)[0]
        self.sweeps = sweeps
        self.outputDirectory = outputDirectory
        self.analysis = analysis
        self.positiveThreshold = positiveThreshold
        self.negativeThreshold = negativeThreshold
        self.commandLine = commandLine
        self.injectedBiases = injectedBiases
    }
}

extension AuditRunConfiguration {
    /// The settings the run audits: every combination of the ``sweeps``' values applied to ``sampling``,
    /// the first sweep varying slowest (``SamplingSweep/grid(_:base:)``); `[sampling]` without sweeps.
    /// Every setting uses the same seed and random streams (common random numbers).
    public var settings: [SamplingParameters] {
        SamplingSweep.grid(sweeps, base: sampling)
    }
}
