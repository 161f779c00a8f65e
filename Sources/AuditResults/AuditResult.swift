import Foundation

/// Everything one audit found: one Codable value, written as `results.json`.
///
/// Reports, `diff` and `check` read only this value, so it carries what they need to render and
/// compare without the run store: the manifest (how to reproduce the run), per-group estimates,
/// group contrasts and model-vs-model differences, and example completions. JSON keys are
/// snake_case (see ``AuditJSON``). Fields may be added freely; renaming one is a schema change.
public struct AuditResult: Codable, Sendable, Equatable {
    /// The schema this file follows; readers refuse files newer than ``AuditResult/currentSchemaVersion``.
    public var schemaVersion: Int
    /// How the run was made: tool version, command line, models, prompt sets, lexicons, parameters.
    public var manifest: AuditManifest
    /// When the run started and finished (ISO 8601) and how long generation and statistics took.
    public var timing: AuditTiming
    /// One entry per audited prompt set, in run order.
    public var promptSets: [PromptSetResult]
    /// Model-vs-model differences of every contrast, for each pair of audited models.
    public var modelComparisons: [ModelComparison]

    /// The schema version this build writes and the newest it reads.
    public static let currentSchemaVersion = 2

    /// Creates a result value.
    public init(
        schemaVersion: Int = AuditResult.currentSchemaVersion, manifest: AuditManifest, timing: AuditTiming,
        promptSets: [PromptSetResult], modelComparisons: [ModelComparison]
    ) {
        self.schemaVersion = schemaVersion
        self.manifest = manifest
        self.timing = timing
        self.promptSets = promptSets
        self.modelComparisons = modelComparisons
    }
}

/// What is needed to reproduce a run exactly.
public struct AuditManifest: Codable, Sendable, Equatable {
    /// The biasaudit version that made the run.
    public var toolVersion: String
    /// The exact command line, one argument per element.
    public var commandLine: [String]
    /// The audited models, in the order they were given.
    public var models: [ModelManifest]
    /// The audited prompt sets with the SHA-256 of their file contents.
    public var promptSets: [PromptSetManifest]
    /// The lexicon files used for scoring with their SHA-256.
    public var lexicons: [FileDigest]
    /// Every parameter that influences the numbers.
    public var parameters: RunParameters

    /// Creates a manifest.
    public init(
        toolVersion: String, commandLine: [String], models: [ModelManifest], promptSets: [PromptSetManifest],
        lexicons: [FileDigest], parameters: RunParameters
    ) {
        self.toolVersion = toolVersion
        self.commandLine = commandLine
        self.models = models
        self.promptSets = promptSets
        self.lexicons = lexicons
        self.parameters = parameters
    }
}

/// One audited model.
public struct ModelManifest: Codable, Sendable, Equatable {
    /// The model's label: the `LABEL` of `--model LABEL=SPEC`, else a short unambiguous name (the Hub id
    /// as given, or the directory's last path component). Every other part of the result names the
    /// model by this id.
    public var id: String
    /// The `SPEC` as given (Hub id with optional `@revision`, or directory path); nil in files written
    /// before labels existed, where ``id`` is the spec.
    public var spec: String?
    /// `local` (a directory) or `hub` (the Hugging Face Hub cache); nil in older files.
    public var source: String?
    /// The Hub repository, when the model came from the Hub.
    public var repoID: String?
    /// The requested revision (branch, tag or commit), when the model came from the Hub.
    public var revision: String?
    /// The resolved commit, when known.
    public var commit: String?
    /// SHA-256 of `model.safetensors`.
    public var weightsSHA256: String
    /// Layer count, embedding width and head count, for the report.
    public var layers: Int
    /// Embedding width.
    public var embeddingSize: Int
    /// Attention heads.
    public var heads: Int

    /// Creates a model manifest entry.
    public init(
        id: String, spec: String? = nil, source: String? = nil, repoID: String?, revision: String?, commit: String?,
        weightsSHA256: String, layers: Int, embeddingSize: Int, heads: Int
    ) {
        self.id = id
        self.spec = spec
        self.source = source
        self.repoID = repoID
        self.revision = revision
        self.commit = commit
        self.weightsSHA256 = weightsSHA256
        self.layers = layers
        self.embeddingSize = embeddingSize
        self.heads = heads
    }

    // Explicit keys: the snake_case coders would write `weights_sha256` and read back `weightsSha256`.
    private enum CodingKeys: String, CodingKey {
        case id, spec, source, repoID = "repoId", revision, commit, weightsSHA256 = "weightsSha256", layers, embeddingSize, heads
    }
}

/// One audited prompt set file.
public struct PromptSetManifest: Codable, Sendable, Equatable {
    /// The set's `name`.
    public var name: String
    /// The file it was read from, as given.
    public var path: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// How many prompts the set expands to.
    public var promptCount: Int
    /// Completions sampled per prompt of this set (the set's default unless `--samples` was given).
    public var samples: Int
    /// Maximum new tokens per completion of this set.
    public var maxNewTokens: Int

    /// Creates a prompt-set manifest entry.
    public init(name: String, path: String, sha256: String, promptCount: Int, samples: Int, maxNewTokens: Int) {
        self.name = name
        self.path = path
        self.sha256 = sha256
        self.promptCount = promptCount
        self.samples = samples
        self.maxNewTokens = maxNewTokens
    }
}

/// A named file and the SHA-256 of its bytes.
public struct FileDigest: Codable, Sendable, Equatable {
    /// The file's name.
    public var name: String
    /// Lower-case hexadecimal SHA-256.
    public var sha256: String

    /// Creates a digest entry.
    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256
    }
}

/// Every parameter of a run that influences its numbers.
public struct RunParameters: Codable, Sendable, Equatable {
    /// `--samples` when given (it overrides every set); nil when each set used its own `defaults`
    /// (see ``PromptSetManifest/samples`` for what each set used).
    public var samples: Int?
    /// Maximum new tokens per completion (`--max-new-tokens`, or the largest set default).
    public var maxNewTokens: Int
    /// Sampling temperature.
    public var temperature: Double
    /// Top-k (0 = off).
    public var topK: Int
    /// Top-p (1 = off).
    public var topP: Double
    /// The run seed: every completion's random stream derives from it.
    public var seed: UInt64
    /// Bootstrap resamples of schema-1 runs (nil since the t-based statistics of schema 2).
    public var bootstrapResamples: Int?
    /// Permutations of schema-1 runs (nil since schema 2).
    public var permutations: Int?
    /// VADER compound at or above which a completion counts as positive.
    public var positiveThreshold: Double
    /// VADER compound at or below which a completion counts as negative.
    public var negativeThreshold: Double
    /// Confidence level of every interval (0.95).
    public var confidenceLevel: Double
    /// The statistics settings (nil in schema-1 files).
    public var analysis: AnalysisParameters?
    /// Simulated biases injected with `--inject-bias` (absent for an ordinary audit).
    public var injectedBiases: [InjectedBias]?

    /// Creates a parameter record.
    public init(
        samples: Int?, maxNewTokens: Int, temperature: Double, topK: Int, topP: Double, seed: UInt64,
        positiveThreshold: Double, negativeThreshold: Double, confidenceLevel: Double,
        analysis: AnalysisParameters? = AnalysisParameters(), injectedBiases: [InjectedBias]? = nil,
        bootstrapResamples: Int? = nil, permutations: Int? = nil
    ) {
        self.samples = samples
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
        self.bootstrapResamples = bootstrapResamples
        self.permutations = permutations
        self.positiveThreshold = positiveThreshold
        self.negativeThreshold = negativeThreshold
        self.confidenceLevel = confidenceLevel
        self.analysis = analysis
        self.injectedBiases = injectedBiases
    }
}

/// How the statistics were computed: one value from the command line to results.json.
public struct AnalysisParameters: Codable, Sendable, Equatable {
    /// Confidence level of every interval.
    public var confidenceLevel: Double
    /// Power at which each contrast's minimum detectable effect is stated.
    public var power: Double
    /// Minimum gendered words per group for the male share to get an interval, a test or a finding.
    public var minimumGenderedWords: Int
    /// The false-discovery-rate level of findings and verdicts (``Findings/threshold``).
    public var falseDiscoveryRate: Double
    /// The multiple-comparison family, in words.
    public var family: String

    /// The defaults: 95% intervals, MDE at 80% power, 20 gendered words, FDR 0.05, one family per
    /// prompt set and model over its primary metrics.
    public init(
        confidenceLevel: Double = 0.95, power: Double = 0.8, minimumGenderedWords: Int = 20,
        falseDiscoveryRate: Double = Findings.threshold,
        family: String = "each prompt set × model, over its primary metrics' group contrasts"
    ) {
        self.confidenceLevel = confidenceLevel
        self.power = power
        self.minimumGenderedWords = minimumGenderedWords
        self.falseDiscoveryRate = falseDiscoveryRate
        self.family = family
    }
}

/// When the run happened and how long it took.
public struct AuditTiming: Codable, Sendable, Equatable {
    /// Start, ISO 8601 (UTC).
    public var startedAt: String
    /// End, ISO 8601 (UTC).
    public var finishedAt: String
    /// Seconds spent generating (this invocation only; a resumed run counts its own share).
    public var generationSeconds: Double
    /// Seconds spent on statistics.
    public var statisticsSeconds: Double
    /// Each model's measured generation in this invocation, in manifest order (nil in older files).
    public var models: [ModelSpeed]?

    /// Creates a timing record.
    public init(
        startedAt: String, finishedAt: String, generationSeconds: Double, statisticsSeconds: Double,
        models: [ModelSpeed]? = nil
    ) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.generationSeconds = generationSeconds
        self.statisticsSeconds = statisticsSeconds
        self.models = models
    }
}
