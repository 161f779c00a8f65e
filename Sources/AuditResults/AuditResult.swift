import Foundation
import Statistics

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
    /// `run --sweep`: the primary metrics at every sampling setting (absent without a sweep). An added
    /// optional field, so the schema version stays: older readers ignore it.
    public var sweep: SweepResult?
    /// `run --inject-bias`: how often each injected token appears in the completions, per model and prompt set with
    /// the bias's group (absent without an injected bias). An added optional field.
    public var injectedBiasDraws: [InjectedBiasDraws]?

    /// The schema version this build writes and the newest it reads.
    public static let currentSchemaVersion = 2

    /// Creates a result value.
    public init(
        schemaVersion: Int = AuditResult.currentSchemaVersion, manifest: AuditManifest, timing: AuditTiming,
        promptSets: [PromptSetResult], modelComparisons: [ModelComparison], sweep: SweepResult? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.manifest = manifest
        self.timing = timing
        self.promptSets = promptSets
        self.modelComparisons = modelComparisons
        self.sweep = sweep
    }

    /// Whether the numbers may follow earlier statistical rules than this build applies: no recorded
    /// ``AnalysisParameters/statisticsRevision`` (files written before it was) or an older one. Reports say so;
    /// `biasaudit analyze RUN_DIR` recomputes them.
    public var followsEarlierRules: Bool {
        (statisticsRevision ?? 0) < AnalysisParameters.currentStatisticsRevision
    }

    /// Whether the numbers follow a later revision of the statistical rules than this build knows (a file of a newer
    /// biasaudit): reports and `diff`/`check` show them as written, and say that this build's Methods may not
    /// describe them (final review: a newer revision was accepted silently).
    public var followsLaterRules: Bool {
        (statisticsRevision ?? 0) > AnalysisParameters.currentStatisticsRevision
    }

    /// The revision of the statistical rules the file records (``AnalysisParameters/statisticsRevision``); nil in
    /// files written before revisions were recorded.
    public var statisticsRevision: Int? { manifest.parameters.analysis?.statisticsRevision }
}

extension AuditResult {
    /// Whether some estimate was computed from copies of one completion per prompt (``MetricEstimate/copiesMethod``:
    /// every sample of a prompt the same text, as greedy decoding writes them), as the statistics found them, not as the
    /// settings say (a served model that refused top_k 1 sampled), in the main sections (a sweep's other settings:
    /// ``sweepSettingsWithCopiesOfOneDraw``).
    public var holdsCopiesOfOneDraw: Bool { !modelsWithCopiesOfOneDraw.isEmpty }

    /// Whether every model's completions were copies of one draw per prompt, in the main sections and at every setting
    /// of a sweep: no random stream enters the statistics, so how completions were paired on them changes nothing (a
    /// teacher's review: `analyze --top-k 1` of a notebook file advised `--unpaired`, whose results were the same).
    public var holdsOnlyCopiesOfOneDraw: Bool {
        let models = manifest.models.map(\.id)
        guard !models.isEmpty, Set(models).isSubset(of: Set(modelsWithCopiesOfOneDraw)) else { return false }
        guard let sweep else { return true }
        return sweepSettingsWithCopiesOfOneDraw.count == sweep.settings.count
    }

    /// The sweep's settings (in ``SweepResult/settings`` order) some level or contrast of which was computed from copies
    /// of one completion per prompt; empty without a sweep. A review: a `--sweep top_k=50,1` report said in its header
    /// that every sample of a prompt came out as one text, above main tables sampled at top-k 50.
    public var sweepSettingsWithCopiesOfOneDraw: [SweepSetting] {
        guard let sweep else { return [] }
        let copies = MetricEstimate.copiesMethod
        let found = Set(sweep.levels.filter { $0.estimate.method == copies }.map(\.setting)
            + sweep.contrasts.filter { $0.difference.method == copies }.map(\.setting))
        return sweep.settings.filter(found.contains)
    }

    /// For each group with completions of every prompt set, whether it is one of fixed prompts
    /// (``GroupInfo/isFixedPrompts(templates:)``): what the notes name as the units a group varies between (terms,
    /// prompts, or both).
    public var analysedGroupsAreFixedPrompts: [Bool] {
        promptSets.flatMap { set in
            set.groups.filter { !$0.analysedTerms.isEmpty }.map { $0.isFixedPrompts(templates: set.templates.count) }
        }
    }

    /// The models (ids, in manifest order, then any other in order of appearance) some estimate of which was computed
    /// from copies of one completion per prompt (``holdsCopiesOfOneDraw``): a note that says so names them where the
    /// run's other models sampled (a teacher's review: the note read as if every model had been decoded greedily).
    public var modelsWithCopiesOfOneDraw: [String] {
        let copies = MetricEstimate.copiesMethod
        var models: [String] = []
        for set in promptSets {
            models += set.contrasts.filter { $0.difference.method == copies }.map(\.model)
            models += set.groupEstimates.filter { $0.estimates.contains { $0.estimate.method == copies } }.map(\.model)
        }
        let found = Set(models)
        let ordered = manifest.models.map(\.id).filter(found.contains)
        var seen = Set(ordered)
        return ordered + models.filter { seen.insert($0).inserted }
    }
}

/// What is needed to reproduce a run exactly.
public struct AuditManifest: Codable, Sendable, Equatable {
    /// The fewest samples per prompt of the designs the statistics are validated on (docs/statistics-validation.md: 6,
    /// 10 and 16); the report and `run` say when a set was sampled with fewer.
    public static let fewestValidatedSamples = 6

    /// The prompt sets sampled with fewer than ``fewestValidatedSamples`` samples per prompt (by `--samples` or their own
    /// defaults), in manifest order; none under greedy decoding (`top_k` 1), whose samples are copies of one draw and
    /// say so in their own note (a teacher's review: "sample more" stood under "more samples add nothing").
    public var setsBelowValidatedSamples: [PromptSetManifest] {
        guard parameters.topK != 1 else { return [] }
        return promptSets.filter { $0.samples < Self.fewestValidatedSamples }
    }

    /// ``setsBelowValidatedSamples`` grouped by their samples per prompt, fewest first, each group in manifest order.
    public var setsBelowValidatedSamplesBySamples: [(samples: Int, sets: [PromptSetManifest])] {
        Dictionary(grouping: setsBelowValidatedSamples, by: \.samples).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// What `run`, `merge`, `analyze`, `check` and `diff` say of ``setsBelowValidatedSamples`` (a student's 2-sample run
    /// had a rate "finding" whose variance rested on 6 random streams; a teacher's review: `diff` and `check` said nothing
    /// of it): each set with its own samples per prompt, and for sets sampled once (not greedily: `top_k` 1 has no stream)
    /// that their group levels have no interval. `run` names the results it is about (`"A"`, a path), nil for the
    /// command's own run. Set names are escaped to one short line each. Nil when every set was sampled as the validated
    /// designs are.
    public func fewSamplesNote(run: String? = nil) -> String? {
        let groups = setsBelowValidatedSamplesBySamples
        guard !groups.isEmpty else { return nil }
        func names(_ sets: [PromptSetManifest]) -> String { sets.map { AuditJSON.shortExcerpt($0.name) }.joined(separator: ", ") }
        // "a, b sampled 2 samples per prompt and c 1 sample per prompt"
        let parts = groups.enumerated().map { index, group in
            names(group.sets) + (index == 0 ? " sampled " : " ") + "\(group.samples) \(group.samples == 1 ? "sample" : "samples") per prompt"
        }
        // Not of an analysis declared `--unpaired` (a statistician's review: "group levels have no interval" stood above
        // levels with theirs): its streams are not shared, and its one-sample levels keep their intervals. One made
        // unpaired by mismatched indices may still share them, and its levels have none (a second review).
        let once = groups.first { $0.samples == 1 && parameters.topK != 1 && source?.declaredUnpaired != true }
        return (run.map { "\($0): " } ?? "") + parts.joined(separator: " and ")
            + ", fewer than the \(Self.fewestValidatedSamples) to 16 the statistics are validated with "
            + "(docs/statistics-validation.md): intervals, of rates above all, can come out too narrow; read findings as "
            + "tentative, or sample more"
            + (once.map { group in
                "; with one sample per prompt (\(names(group.sets))) the shared random streams' variance cannot be "
                    + "estimated: group levels have no interval, nor have contrasts between one-term groups, and the "
                    + "other contrasts are too narrow wherever the streams move groups unalike (sample at least 2"
                    + (undeclaredGreedyHint ? "; completions decoded greedily, top-k 1, are each their prompt's one "
                        + "draw: analyse them with --top-k 1" : "") + ")"
            } ?? "")
    }

    /// Whether the one-sample clause of ``fewSamplesNote(run:)`` says how to declare greedy completions: completions
    /// `analyze` read from a file, not a run's folder, whose sampling parameters are what its command line declared
    /// (a review: a greedy run's one-sample completions analysed without `--top-k 1` were taken as sampled, with no
    /// hint that the option exists), and whose command line gave no `--top-k` (a review: `--top-k 50` got the hint too).
    /// The clause stands only where `top_k` is not 1.
    public var undeclaredGreedyHint: Bool {
        guard let source, source.reanalysedRun == nil else { return false }
        return !commandLine.contains { $0 == "--top-k" || $0.hasPrefix("--top-k=") }
    }

    /// The models of `models` that are one model in several folders, in groups of two or more (ids in the order
    /// given): every file that decides their completions (`model.safetensors`, `config.json`, `vocab.json`,
    /// `merges.txt`) has the same SHA-256. Run in one process from the same random streams they write the same
    /// completions, and every comparison between them is an exact 0. Models whose files are not all recorded (served
    /// models, completions read by `analyze`, files written before the companions were hashed) are in no group.
    public static func identicalModels(_ models: [ModelManifest]) -> [[String]] {
        var groups: [(files: [String], ids: [String])] = []
        for model in models {
            guard let weights = model.weightsSHA256, let config = model.configSHA256, let vocab = model.vocabSHA256,
                let merges = model.mergesSHA256
            else { continue }
            let files = [weights, config, vocab, merges]
            if let index = groups.firstIndex(where: { $0.files == files }) {
                groups[index].ids.append(model.id)
            } else {
                groups.append((files, [model.id]))
            }
        }
        return groups.map(\.ids).filter { $0.count > 1 }
    }

    /// The note on models of this run that are one model (``identicalModels(_:)``), in English; nil when there are none.
    /// Model ids are short escaped excerpts. (A student compared two copies of a model and read "no detectable change"
    /// everywhere without a word on why.)
    public static func identicalModelsNote(_ models: [ModelManifest]) -> String? {
        let groups = identicalModels(models)
        guard !groups.isEmpty else { return nil }
        let digest = Dictionary(models.map { ($0.id, $0.weightsSHA256 ?? "") }, uniquingKeysWith: { first, _ in first })
        let said = groups.map { ids in
            let names = ids.map { "'\(AuditJSON.shortExcerpt($0))'" }
            return names.dropLast().joined(separator: ", ") + " and " + names.last!
                + " are one model (weights sha256 \(ReportNumbers.shortDigest(digest[ids[0]] ?? "")))"
        }
        return said.joined(separator: "; ") + ": their weights, config and tokenizer files are identical, so they write "
            + "the same completions and the change of every comparison between them is an exact 0; to compare two "
            + "models, pass two different ones"
    }

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
    /// Where the completions came from when they were not generated by this invocation (`analyze`);
    /// absent for `run`.
    public var source: CompletionsSource?
    /// The arithmetic of the matrix products of the models run in process (`run --precision`): "f32" or "bf16". Absent
    /// in files written before the option existed, which were all F32 (read it through ``effectivePrecision``), and
    /// where every model was served by another program (``precisionApplies`` is false): a server computes at its own
    /// precision, which `--precision` does not change (review: a served-only run at `--precision bf16` was recorded
    /// as bf16).
    public var precision: String?
    /// SHA-256 of the `completions.jsonl` written beside this results file (`completions_sha256`), so that a re-analysis,
    /// `diff` and `check` can tell a completions file that is not this audit's own (replaced, edited, or another run's
    /// copied in). Absent in files written before it was recorded, and where no completions file was written with them.
    public var completionsSHA256: String?

    /// ``precision``, "f32" when absent.
    public var effectivePrecision: String { precision ?? "f32" }

    /// Whether ``precision`` describes any model of the run: false when every model was served by another program
    /// (``ModelManifest/servedSource``), whose arithmetic biasaudit neither chooses nor knows.
    public var precisionApplies: Bool { Self.precisionApplies(to: models) }

    /// Whether a run of `models` has a precision of biasaudit's: some model runs in process (``precisionApplies``).
    public static func precisionApplies(to models: [ModelManifest]) -> Bool {
        models.contains { $0.source != ModelManifest.servedSource }
    }

    /// The values of ``precision`` (`run --precision`).
    public static let precisions = ["f32", "bf16"]

    /// The ids of the models whose random streams could not be enforced (served by a remote server:
    /// ``ModelManifest/commonRandomNumbers`` false). Comparisons with them are not paired.
    public var modelsWithoutCommonRandomNumbers: Set<String> {
        Set(models.filter { $0.commonRandomNumbers == false }.map(\.id))
    }

    /// The ids of the served models whose server did not take `top_k` (``ModelManifest/acceptedParameters`` recorded
    /// without it): they sampled whatever `top_k` the run asked for, so `top_k` 1 did not make them greedy.
    public var modelsWithoutTopK: Set<String> {
        Set(models.filter { $0.commonRandomNumbers == false && $0.acceptedParameters.map { !$0.contains("top_k") } == true }
            .map(\.id))
    }

    /// Creates a manifest.
    public init(
        toolVersion: String, commandLine: [String], models: [ModelManifest], promptSets: [PromptSetManifest],
        lexicons: [FileDigest], parameters: RunParameters, source: CompletionsSource? = nil, precision: String? = nil
    ) {
        self.toolVersion = toolVersion
        self.commandLine = commandLine
        self.models = models
        self.promptSets = promptSets
        self.lexicons = lexicons
        self.parameters = parameters
        self.source = source
        self.precision = precision
    }

    // Explicit keys: the snake_case coders would write `completions_sha256` and read back `completionsSha256`.
    private enum CodingKeys: String, CodingKey {
        case toolVersion, commandLine, models, promptSets, lexicons, parameters, source, precision
        case completionsSHA256 = "completionsSha256"
    }
}

/// The provenance of completions that `analyze` read from a file instead of generating them.
public struct CompletionsSource: Codable, Sendable, Equatable {
    /// The completions file, as given.
    public var completionsFile: String
    /// SHA-256 of the completions file's bytes.
    public var sha256: String
    /// The run directory re-analysed (`analyze RUN_DIR`), whose manifest supplied the models, parameters
    /// and prompt-set digests; absent for a completions file from elsewhere.
    public var reanalysedRun: String?
    /// Whether sample i of the counterfactual prompts of a template shares its random stream (common
    /// random numbers), so groups are compared paired by stream (each completion on the stream of its sample index).
    /// False when `--unpaired` said the completions were sampled independently: then every group has its own streams
    /// and the contrasts are unpaired. (Before statistics revision 9 it was also false when the file's sample indices
    /// differed between the prompts of a template.)
    public var pairedStreams: Bool
    /// Why the groups are unpaired: `--unpaired` (or, in results of statistics revision 8 and earlier, the first
    /// template whose prompts' sample indices differed); nil when paired.
    public var unpairedReason: String?
    /// The ``unpairedReason`` of an analysis declared `--unpaired`.
    public static let declaredUnpairedReason = "--unpaired"
    /// Whether the analysis was declared `--unpaired`: its streams are independent. One made unpaired by mismatched
    /// sample indices (statistics revision 8 and earlier) may still share them.
    public var declaredUnpaired: Bool { unpairedReason == Self.declaredUnpairedReason }
    /// True when the sampling parameters in ``AuditManifest/parameters`` were declared on the command line
    /// (they cannot be read from a completions file); false when they come from the re-analysed run.
    public var declaredParameters: Bool
    /// What the completions leave out, one English sentence each (prompts without completions per set and
    /// model, groups and templates left out whole, prompts without `next_token_log_odds`); nil when nothing is
    /// (and in files written before it existed). Shown in the report's header and printed by `analyze`.
    public var coverageNotes: [String]? = nil
    /// ``coverageNotes`` in Spanish, one sentence each in the same order, for the Spanish reports; nil in files
    /// written before it existed (those reports show the English sentences).
    public var coverageNotesEs: [String]? = nil

    /// Creates a source record.
    public init(
        completionsFile: String, sha256: String, reanalysedRun: String?, pairedStreams: Bool, unpairedReason: String?,
        declaredParameters: Bool
    ) {
        self.completionsFile = completionsFile
        self.sha256 = sha256
        self.reanalysedRun = reanalysedRun
        self.pairedStreams = pairedStreams
        self.unpairedReason = unpairedReason
        self.declaredParameters = declaredParameters
    }

    /// Whether the completions were made outside biasaudit (a notebook, an API): a completions file analysed with its
    /// prompt sets, or a re-analysis of such an analysis's folder (its parameters stay declared). Their common random
    /// numbers are assumed, not known; a re-analysed `run` folder's were sampled by biasaudit (review: the re-analysis
    /// of an analysis folder was described as sampled).
    public var completionsMadeElsewhere: Bool { reanalysedRun == nil || declaredParameters }
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
    /// `local` (a directory) or `hub` (the Hugging Face Hub cache), or ``servedSource`` for a model served by another
    /// program; nil in older files.
    public var source: String?
    /// The ``source`` of a model served by an OpenAI-compatible server.
    public static let servedSource = "openai-compatible"
    /// The Hub repository, when the model came from the Hub.
    public var repoID: String?
    /// The requested revision (branch, tag or commit), when the model came from the Hub.
    public var revision: String?
    /// The resolved commit, when known.
    public var commit: String?
    /// SHA-256 of `model.safetensors`; nil when the completions were read by `analyze` from a file and
    /// the weights are unknown.
    public var weightsSHA256: String?
    /// SHA-256 of `config.json`, `vocab.json` and `merges.txt` (`config_sha256`, `vocab_sha256`, `merges_sha256`), which
    /// decide the completions as much as the weights do; nil where ``weightsSHA256`` is, and in files written before
    /// they were recorded.
    public var configSHA256: String?
    /// SHA-256 of `vocab.json` (see ``configSHA256``).
    public var vocabSHA256: String?
    /// SHA-256 of `merges.txt` (see ``configSHA256``).
    public var mergesSHA256: String?
    /// Layer count, embedding width and head count, for the report (nil when unknown, as ``weightsSHA256``).
    public var layers: Int?
    /// Embedding width.
    public var embeddingSize: Int?
    /// Attention heads.
    public var heads: Int?
    /// For a model served by an OpenAI-compatible server (`source` `openai-compatible`): the endpoint's base
    /// URL(s), comma-separated (never a key).
    public var endpoint: String?
    /// The served model name sent as `model`.
    public var servedName: String?
    /// What the server reported about itself and the model (`GET /v1/models` fields, `Server` header,
    /// the answering model and `system_fingerprint`), as escaped text.
    public var serverReported: [String: String]?
    /// The optional request parameters the server took (`top_k`, `seed`, `logprobs`).
    public var acceptedParameters: [String]?
    /// False when the completions' random streams could not be enforced (a remote server): counterfactual
    /// prompts and models then do not share random numbers, the paired design may not hold and the
    /// intervals are those of independent samples at best. Nil for in-process models, where they are shared.
    public var commonRandomNumbers: Bool?
    /// Where the he/she next-token log-odds come from for a served model: `top_logprobs` or `unavailable`.
    public var nextTokenLogOdds: String?

    /// Creates a model manifest entry.
    public init(
        id: String, spec: String? = nil, source: String? = nil, repoID: String?, revision: String?, commit: String?,
        weightsSHA256: String?, layers: Int?, embeddingSize: Int?, heads: Int?
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
        case configSHA256 = "configSha256", vocabSHA256 = "vocabSha256", mergesSHA256 = "mergesSha256"
        case endpoint, servedName, serverReported, acceptedParameters, commonRandomNumbers, nextTokenLogOdds
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
    /// The set's own default samples per prompt (its `defaults.samples`, else ``RunParameters/defaultSamples``),
    /// which `--samples` overrode or not: reports list `--samples` as a changed setting only where it differs
    /// from this. Nil for `analyze` (no run defaults apply) and in files written before it existed.
    public var defaultSamples: Int? = nil
    /// The set's own default new-token limit (its `defaults.max_new_tokens`, else `run`'s default): reports list
    /// `--max-new-tokens` as a changed setting only where a set used another limit than this. Nil for `analyze` and
    /// in files written before it existed.
    public var defaultMaxNewTokens: Int? = nil

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
    /// Maximum new tokens per completion: `--max-new-tokens` when given (it overrides every set), else
    /// the default (``RunParameters/defaults``); ``PromptSetManifest/maxNewTokens`` says what each set used.
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
    /// The false discovery rate below which a q-value makes a finding or a verdict: the analysis's
    /// ``AnalysisParameters/falseDiscoveryRate`` (1 − the confidence level since `--confidence` sets both; 0.05 in
    /// files written before, whatever their level), 0.05 without analysis settings.
    public var findingThreshold: Double { analysis?.falseDiscoveryRate ?? Findings.threshold }
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
    /// The completions with a gendered word a group needs besides: half of ``minimumGenderedWords``, rounded up
    /// (`InferenceSettings.minimumWeightedObservations`, which the statistics apply).
    public var minimumGenderedCompletions: Int { (minimumGenderedWords + 1) / 2 }
    /// Minimum events and non-events in the two groups of a rate contrast (% negative …) for it to get an
    /// interval, a test or a finding (`--min-events`, default 0: no rule); nil in files written before it
    /// existed (read as 0: those runs applied no rule).
    public var minimumEvents: Int?
    /// The false-discovery-rate level of findings and verdicts: 1 − ``confidenceLevel`` (0.05 by default; files
    /// written before `--confidence` set it hold 0.05 at every level).
    public var falseDiscoveryRate: Double
    /// The multiple-comparison family, in words.
    public var family: String
    /// The revision of biasaudit's statistical rules the file's numbers follow (``currentStatisticsRevision`` when
    /// written); nil in files written before it was recorded, whose numbers may follow earlier rules than the ones a
    /// report's Methods describe. The README's "Statistics revisions" lists what each revision changed (1: a male
    /// share needs 10 completions with a gendered word, verdict q-values are adjusted within each prompt set × model
    /// pair, the false discovery rate is 1 − the confidence level; 2: rate contrasts at the bounds take the set's
    /// design effect, model comparisons on different templates or without a variance are undetermined, stored SE and
    /// df of rate levels are the interval's; 3: rates and shares of copies — every sample of a prompt the same text,
    /// greedy decoding — take the design's variance as means do, without binomial trials). `biasaudit analyze RUN_DIR`
    /// recomputes them.
    public var statisticsRevision: Int?

    /// The revision of the statistical rules this build applies. Raise it with every change of the rules that
    /// changes a stored number (an interval, a q-value, a support rule), and say what changed in the README's
    /// "Statistics revisions" (the reports' note on earlier results, `ReportSectionWords.earlierRules`, points there).
    /// A correction of floating-point accuracy alone does not raise it (December 2026: one-sided p-values below 1e-16,
    /// which had cancelled to 0, and Student's t beyond 10⁵ df, with t² past df·2⁵³, or past |t| ≈ 1.3e154: the
    /// validation of the shipped designs reproduces to the digit; numbers that were 0 or NaN become right).
    public static let currentStatisticsRevision = 18

    /// The defaults, those of `InferenceSettings.standard`: 95% intervals, MDE at 80% power, 20 gendered words, no
    /// minimum of events; FDR 1 − the confidence level (0.05), one family per prompt set and model over its primary
    /// metrics.
    public init(
        confidenceLevel: Double = InferenceSettings.standard.confidence, power: Double = InferenceSettings.standard.power,
        minimumGenderedWords: Int = Int(InferenceSettings.standard.minimumWeight),
        minimumEvents: Int? = Int(InferenceSettings.standard.minimumEvents), falseDiscoveryRate: Double? = nil,
        family: String = "each prompt set × model, over its primary metrics' group contrasts",
        statisticsRevision: Int? = AnalysisParameters.currentStatisticsRevision
    ) {
        self.confidenceLevel = confidenceLevel
        self.power = power
        self.minimumGenderedWords = minimumGenderedWords
        self.minimumEvents = minimumEvents
        self.falseDiscoveryRate = falseDiscoveryRate ?? Self.falseDiscoveryRate(confidenceLevel: confidenceLevel)
        self.family = family
        self.statisticsRevision = statisticsRevision
    }

    /// The false discovery rate that goes with a confidence level: 1 − `confidenceLevel`, rounded to 12 decimals
    /// (0.05, not 0.050000000000000044, at 95%).
    public static func falseDiscoveryRate(confidenceLevel: Double) -> Double {
        ((1 - confidenceLevel) * 1e12).rounded() / 1e12
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
