import AuditAnalysis
import AuditResults
import Foundation

/// Everything `biasaudit run` was asked to do.
public struct AuditRunConfiguration: Sendable {
    /// Completions per prompt when neither `--samples` nor the prompt set says otherwise.
    public static let defaultSamples = 16
    /// New tokens per completion when neither `--max-new-tokens` nor the prompt set says otherwise.
    public static let defaultMaxNewTokens = 20
    /// The models audited by default: the two the seed notebook compares.
    public static let defaultModels = ["distilgpt2", "gpt2"]

    /// Prompt-set files, in order.
    public var promptSetFiles: [URL]
    /// `--model` values, in order (the first is "model A" of comparisons).
    public var models: [String]
    /// `--samples`, overriding every set's default.
    public var samples: Int?
    /// `--max-new-tokens`, overriding every set's default.
    public var maxNewTokens: Int?
    /// Temperature, top-k, top-p.
    public var temperature: Float
    /// Top-k (0 = off).
    public var topK: Int
    /// Top-p (1 = off).
    public var topP: Float
    /// The run seed.
    public var seed: UInt64
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

    /// Creates a configuration with the documented defaults.
    public init(
        promptSetFiles: [URL], models: [String] = AuditRunConfiguration.defaultModels, samples: Int? = nil,
        maxNewTokens: Int? = nil, temperature: Float = 0.7, topK: Int = 50, topP: Float = 0.9, seed: UInt64 = 0,
        outputDirectory: URL, analysis: AuditAnalysis.Settings = AuditAnalysis.Settings(),
        positiveThreshold: Double = 0.05, negativeThreshold: Double = -0.05, commandLine: [String] = [],
        injectedBiases: [InjectedBias] = []
    ) {
        self.promptSetFiles = promptSetFiles
        self.models = models
        self.samples = samples
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
        self.outputDirectory = outputDirectory
        self.analysis = analysis
        self.positiveThreshold = positiveThreshold
        self.negativeThreshold = negativeThreshold
        self.commandLine = commandLine
        self.injectedBiases = injectedBiases
    }
}
