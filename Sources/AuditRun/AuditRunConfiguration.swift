import AuditAnalysis
import AuditResults
import Foundation
import GPT2
import Generation

/// Everything `biasaudit run` was asked to do.
public struct AuditRunConfiguration: Sendable {
    /// Completions per prompt when neither `--samples` nor the prompt set says otherwise.
    public static let defaultSamples = 16
    /// New tokens per completion when neither `--max-new-tokens` nor the prompt set says otherwise.
    public static let defaultMaxNewTokens = 20
    /// The models audited by default: the two the seed notebook compares.
    public static let defaultModels = ["distilgpt2", "gpt2"]
    /// The sampling settings of the seed notebook: temperature 0.7, top-k 50, top-p 0.9, seed 0.
    public static let defaultSampling = SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 0)
    /// 95% intervals, the MDE at 80% power, at least 20 gendered words per group for the male share.
    public static let defaultAnalysis = AuditAnalysis.Settings()
    /// The VADER compound at or above which a completion counts as positive (VADER's own convention).
    public static let defaultPositiveThreshold = 0.05
    /// The VADER compound at or below which a completion counts as negative.
    public static let defaultNegativeThreshold = -0.05

    /// Prompt-set files, in order.
    public var promptSetFiles: [URL]
    /// `--model [LABEL=]SPEC` values, in order (the first is "model A" of comparisons); see ``ModelArgument``.
    public var models: [String]
    /// `--samples`, overriding every set's default.
    public var samples: Int?
    /// `--max-new-tokens`, overriding every set's default.
    public var maxNewTokens: Int?
    /// Temperature, top-k, top-p and the run seed of every completion (injected biases are added per group).
    public var sampling: SamplingParameters
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
    /// The arithmetic of the models' matrix products (`--precision`); recorded in the manifest.
    public var precision: GPT2Precision = .f32

    /// Creates a configuration with the documented defaults.
    public init(
        promptSetFiles: [URL], models: [String] = AuditRunConfiguration.defaultModels, samples: Int? = nil,
        maxNewTokens: Int? = nil, sampling: SamplingParameters = AuditRunConfiguration.defaultSampling,
        analysis: AuditAnalysis.Settings = AuditRunConfiguration.defaultAnalysis, outputDirectory: URL,
        positiveThreshold: Double = AuditRunConfiguration.defaultPositiveThreshold,
        negativeThreshold: Double = AuditRunConfiguration.defaultNegativeThreshold, commandLine: [String] = [],
        injectedBiases: [InjectedBias] = []
    ) {
        self.promptSetFiles = promptSetFiles
        self.models = models
        self.samples = samples
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
        self.outputDirectory = outputDirectory
        self.analysis = analysis
        self.positiveThreshold = positiveThreshold
        self.negativeThreshold = negativeThreshold
        self.commandLine = commandLine
        self.injectedBiases = injectedBiases
    }
}
