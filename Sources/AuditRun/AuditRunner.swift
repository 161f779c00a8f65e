import AuditAnalysis
import AuditResults
import Foundation
import GPT2
import Generation
import Hub
import Lexicons
import PromptSets

/// What a finished run produced; the executable writes it out (`results.json`, `completions.jsonl`, reports).
public struct AuditOutcome: Sendable {
    /// The result value (written to `results.json`).
    public var result: AuditResult
    /// The scored completions, in store order (written to `completions.jsonl`).
    public var completions: [CompletionRecord]
    /// The output directory.
    public var directory: URL
    /// The run store (nil for `analyze`, which generates nothing).
    public var storeURL: URL?
    /// The shard this run generated (`run --shard I/N`): then only the store was filled, ``result`` holds
    /// the manifest and timing but no statistics, and ``completions`` is empty (`merge` computes them).
    public var shard: RunShard? = nil
    /// The lock on ``directory`` that `run` and `merge` hold while they write into it (nil for `analyze`, for a
    /// shard, whose run writes nothing after its store, or where the folder's file system does not lock
    /// folders): release it once the last file is written (it is released too when the last copy of the
    /// outcome goes away).
    public var folderLock: OutputFolderLock? = nil

    /// Creates an outcome; a result of a run with an injected bias gets its ``AuditResults/InjectedBiasDraws``, counted
    /// in `completions` (`run`, `merge` and `analyze` of a run all end here).
    public init(
        result: AuditResult, completions: [CompletionRecord], directory: URL, storeURL: URL?, shard: RunShard? = nil,
        folderLock: OutputFolderLock? = nil
    ) {
        var result = result
        if !completions.isEmpty {
            result.injectedBiasDraws = InjectedBiasDraws.counted(
                result.manifest.parameters.injectedBiases,
                in: completions.lazy.map { (set: $0.set, group: $0.group, model: $0.model, text: $0.text) })
        }
        self.result = result
        self.completions = completions
        self.directory = directory
        self.storeURL = storeURL
        self.shard = shard
        self.folderLock = folderLock
    }
}

/// Runs an audit: samples every prompt of every set from every model into the run store, scores the
/// completions and computes the statistics; the caller writes the outcome out.
///
/// Re-running with the same configuration resumes: completions already in the store are not
/// generated again, and because each completion's random stream depends only on (seed, template,
/// sample index), the resumed run's files equal an uninterrupted run's.
public final class AuditRunner {
    /// The file names the runner writes into the output directory (`results.json` and `completions.jsonl`
    /// are written by the caller, `ReportWriter` in CommandSupport).
    public enum FileName {
        /// The SQLite run store.
        public static let store = AuditJSON.runStoreFileName
    }

    /// Rows (samples) per generation batch: enough to keep the matrix products busy, few enough that
    /// an interruption loses little.
    public static let rowsPerBatch = 192

    /// Prompts whose exact next-token distributions are computed in one batched prefill.
    static let promptsPerPrefill = 32

    let configuration: AuditRunConfiguration
    let locator: ModelLocator
    let progress: AuditProgress?
    let cancellation: CancellationFlag
    let scorer: TextScorer

    /// Creates a runner.
    /// - Parameters:
    ///   - configuration: what to audit and how.
    ///   - locator: resolves `--model` values (Hub ids are downloaded into the shared cache).
    ///   - scorer: the lexicon scorer.
    ///   - progress: receives progress (nil for none).
    ///   - cancellation: checked between batches; when set, the run stops after storing the batch in flight.
    public init(
        configuration: AuditRunConfiguration, locator: ModelLocator, scorer: TextScorer,
        progress: AuditProgress? = nil, cancellation: CancellationFlag = CancellationFlag()
    ) {
        self.configuration = configuration
        self.locator = locator
        self.scorer = scorer
        self.progress = progress
        self.cancellation = cancellation
    }

    /// Runs the audit.
    /// - Throws: ``AuditError`` (bad prompt set, mismatching run directory, interruption, I/O), the
    ///   Hub's errors (model unavailable), model-file errors.
    public func run() async throws -> AuditOutcome {
        let startedAt = Date()
        let sets = try PromptSetFiles.load(configuration.promptSetFiles)
        guard !sets.isEmpty else {
            throw AuditError.usage("no prompt sets to audit; give PROMPTSET files or add some to PromptSets/")
        }
        let groups = Set(sets.flatMap { $0.set.groups.map(\.id) })
        for bias in configuration.injectedBiases where !groups.contains(bias.group) {
            throw AuditError.usage(
                "--inject-bias \(bias.asTyped): no audited prompt set has a group '\(bias.group)' (groups: \(groups.sorted().joined(separator: ", ")))")
        }
        let arguments = try ModelArgument.labelled(configuration.models)
        // A folder that exists is locked before the models are resolved and their weights hashed (seconds for
        // large weights), so that a second run on a folder in use stops at once; a new folder is locked once made.
        let earlyLock = try OutputFolderLock.acquire(configuration.outputDirectory, option: "--out")
        // `run` refuses this in its validate(); checked here too, before any connection, for library callers.
        try Self.checkSweepModels(arguments.map(\.spec), sweeps: configuration.sweeps)
        var resolved: [(argument: ModelArgument, model: ResolvedModel)] = []
        var remotes: [String: RemoteModel] = [:]
        for argument in arguments {
            if EndpointSpec.isEndpoint(argument.spec) {
                remotes[argument.label] = try await connect(argument)
                continue
            }
            let model = try await locator.resolve(argument.spec)
            let directory = model.directory.standardizedFileURL.resolvingSymlinksInPath()
            if let twin = resolved.first(where: { $0.model.directory.standardizedFileURL.resolvingSymlinksInPath() == directory }) {
                // As given, labels included (a practitioner's review: "--model …/tiny-gpt2 and --model …/tiny-gpt2" for
                // ckpt1= and ckpt2=).
                func given(_ argument: ModelArgument) -> String {
                    TextEscaping.modelName(
                        (argument.hasExplicitLabel ? argument.label + "=" : "") + EndpointSpec.redactingCredentials(argument.spec))
                }
                throw AuditError.usage(
                    "--model \(given(twin.argument)) and --model \(given(argument)) are the same model folder "
                        + "(\(TextEscaping.path(directory.path))), which would give the same completions twice; audit each "
                        + "model once")
            }
            resolved.append((argument, model))
        }
        var manifests: [ModelManifest] = []
        for argument in arguments {
            if let remote = remotes[argument.label] {
                manifests.append(remote.manifest)
                continue
            }
            guard let model = resolved.first(where: { $0.argument == argument })?.model else { continue }
            let config = try ModelLoader.configuration(in: model.directory, precision: configuration.precision)
            var manifest = ModelManifest(
                id: argument.label, spec: argument.spec, source: model.repoID == nil ? "local" : "hub",
                repoID: model.repoID, revision: model.revision, commit: model.commit,
                weightsSHA256: try ModelLoader.weightsSHA256(in: model.directory), layers: config.layerCount,
                embeddingSize: config.embeddingSize, heads: config.headCount)
            let companions = try ModelLoader.companionSHA256(in: model.directory)
            manifest.configSHA256 = companions["config.json"]
            manifest.vocabSHA256 = companions["vocab.json"]
            manifest.mergesSHA256 = companions["merges.txt"]
            manifests.append(manifest)
        }
        let labels = arguments.map(\.label)
        let precisionApplies = AuditManifest.precisionApplies(to: manifests)
        if !precisionApplies, configuration.precision != .f32 {
            // Said even under --quiet, as the other notes on what the run records.
            FileHandle.standardError.write(Data(("biasaudit: note: --precision \(configuration.precision.rawValue) applies to "
                + "models run in process; every model of this run is served, and a server computes at its own precision, "
                + "so no precision is recorded\n").utf8))
        }
        // Said before the completions are made, which takes as long for the copy as for the model (a student's review:
        // two copies of one model compared as "no detectable change" everywhere, without a word on why); the summary
        // says it again at the end, in the language of --lang.
        if let note = AuditManifest.identicalModelsNote(manifests) {
            FileHandle.standardError.write(Data(("biasaudit: note: " + TextEscaping.line(note) + "\n").utf8))
        }
        // Each injected token is checked against each model's tokenizer before the run store is made (newcomer's
        // review: a token of two GPT-2 tokens was refused after run.sqlite existed, and the next run "took it over").
        if !configuration.injectedBiases.isEmpty {
            for (_, model) in resolved {
                _ = try InjectedBias.logitBiases(configuration.injectedBiases, tokenizer: try ModelLoader.tokenizer(in: model.directory))
            }
        }

        let plans = sets.map { SetPlan(file: $0, configuration: configuration) }
        try checkSweepSize(plans: plans)
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: configuration.outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw AuditError.io(path: configuration.outputDirectory.path, reason: "cannot create the output directory: \(FileWriteFailure.reason(error, creating: configuration.outputDirectory))")
        }
        let folderLock = try earlyLock ?? OutputFolderLock.acquire(configuration.outputDirectory, option: "--out")
        let storeURL = configuration.outputDirectory.appendingPathComponent(FileName.store)
        let identity = fingerprint(plans: plans, models: manifests)
        let store = try RunStore(
            url: storeURL, fingerprint: identity,
            equivalent: Self.legacyEquivalence(
                plans: plans, injectedBias: identity["injected_bias"],
                precisionApplies: precisionApplies),
            explain: Self.mismatchExplanation(plans: plans, fingerprint: identity), introduced: Self.isModelFilesKey)
        if let replaced = store.replacedFingerprint {
            // Said even under --quiet (no progress): the folder's earlier run is given up.
            FileHandle.standardError.write(Data(
                ("biasaudit: note: " + TextEscaping.path("\(storeURL.path) held no completions of an earlier run that stopped "
                    + "before its first batch (\(replaced)); it now records this run") + "\n").utf8))
        }
        if let note = Self.adoptionNote(store.adoptedKeys, store: storeURL.path) {
            FileHandle.standardError.write(Data(("biasaudit: note: " + TextEscaping.line(note) + "\n").utf8))
        }
        // Before this run's description replaces the stored one: stored records of a served model must have been
        // requested with what its server takes now.
        try store.checkAcceptedParameters(remotes.mapValues(\.acceptedParameters))
        try store.checkAnsweringModels(remotes.mapValues { $0.manifest.serverReported?[RunStore.answeringModelKey] })
        let manifest = AuditManifest(
            toolVersion: BiasAuditVersion.current, commandLine: configuration.commandLine, models: manifests,
            promptSets: plans.map(\.manifest), lexicons: try Self.lexiconDigests(), parameters: parameters,
            precision: precisionApplies ? configuration.precision.rawValue : nil)
        try store.recordDescription(manifest: manifest, promptSets: sets)

        // From here a Ctrl-C waits for the batch in flight; before, it quits at once (``CancellationFlag/Stop``).
        cancellation.beginGeneration()
        let generationStart = Date()
        var speeds: [ModelSpeed] = []
        for (index, argument) in arguments.enumerated() {
            // A stop asked for during the last model's last batch is taken before the next model is loaded (a review:
            // Ctrl-C let the next model load and compute all its next-token probabilities first).
            if cancellation.isCancelled { throw AuditError.interrupted(directory: configuration.outputDirectory.path) }
            if let remote = remotes[argument.label] {
                let work = try await generate(with: remote, plans: plans, store: store, modelIndex: index)
                speeds.append(
                    ModelSpeed(
                        model: argument.label, completions: work.completions,
                        generatedTokens: work.tokensUnknown ? nil : work.tokens,
                        seconds: work.seconds, peakResidentBytes: nil, storedBefore: work.storedBefore))
                continue
            }
            guard let model = resolved.first(where: { $0.argument == argument })?.model else { continue }
            // The peak is the process's: reset it so that it covers this model only (else only the first
            // model's peak is its own).
            let peakIsThisModels = ResidentMemory.resetPeak() || index == 0
            let loaded = try ModelLoader.load(
                label: argument.label, spec: argument.spec, directory: model.directory, repoID: model.repoID,
                revision: model.revision, commit: model.commit, precision: configuration.precision)
            if let note = loaded.paddedVocabularyNote { progress?.note(note) }
            let work = try generateEverySetting(with: loaded, plans: plans, store: store, modelIndex: index)
            speeds.append(
                ModelSpeed(
                    model: argument.label, completions: work.completions,
                        generatedTokens: work.tokensUnknown ? nil : work.tokens,
                    seconds: work.seconds, peakResidentBytes: peakIsThisModels ? ResidentMemory.peakBytes() : nil,
                    storedBefore: work.storedBefore))
        }
        let generationSeconds = Self.elapsed(since: generationStart)
        // A Ctrl-C during the last batch stops here too: the user asked to stop, not for statistics. One after this is
        // answered by `run`'s handler as the phase allows (``CancellationFlag/Stop``).
        if cancellation.endGeneration() {
            throw AuditError.interrupted(directory: configuration.outputDirectory.path)
        }

        if let shard = configuration.shard {
            // A shard's statistics would describe an arbitrary part of the prompts: `merge` computes them once.
            let timing = AuditTiming(
                startedAt: Self.timestamp(startedAt), finishedAt: Self.timestamp(Date()),
                generationSeconds: generationSeconds, statisticsSeconds: 0, models: speeds)
            try store.recordTiming(timing)
            // A shard writes nothing more (no results or reports): its folder is free for `merge` at once.
            folderLock?.release()
            return AuditOutcome(
                result: AuditResult(manifest: manifest, timing: timing, promptSets: [], modelComparisons: []),
                completions: [], directory: configuration.outputDirectory, storeURL: storeURL, shard: shard)
        }

        let statisticsStart = Date()
        let analysis = try analyseEverySetting(
            store: store, plans: plans, sets: sets.map(\.set), models: labels,
            unpairedModels: manifest.modelsWithoutCommonRandomNumbers, sampledModels: manifest.modelsWithoutTopK)
        let statisticsSeconds = Self.elapsed(since: statisticsStart)

        let result = AuditResult(
            manifest: manifest,
            timing: AuditTiming(
                startedAt: Self.timestamp(startedAt), finishedAt: Self.timestamp(Date()),
                generationSeconds: generationSeconds, statisticsSeconds: statisticsSeconds, models: speeds),
            promptSets: analysis.sets, modelComparisons: analysis.comparisons, sweep: analysis.sweep)
        return AuditOutcome(
            result: result, completions: analysis.records, directory: configuration.outputDirectory, storeURL: storeURL,
            folderLock: folderLock)
    }

    private var parameters: RunParameters {
        let sampling = configuration.sampling
        let analysis = configuration.analysis
        return RunParameters(
            samples: configuration.samples,
            maxNewTokens: configuration.maxNewTokens ?? AuditRunConfiguration.defaultMaxNewTokens,
            temperature: Self.decimal(sampling.temperature), topK: sampling.topK, topP: Self.decimal(sampling.topP),
            seed: sampling.seed,
            positiveThreshold: configuration.positiveThreshold, negativeThreshold: configuration.negativeThreshold,
            confidenceLevel: analysis.confidenceLevel, analysis: analysis.parameters,
            injectedBiases: configuration.injectedBiases.isEmpty ? nil : configuration.injectedBiases)
    }

    /// Everything that determines the completions; a store made with anything else is refused. A prompt set
    /// enters as ``SetPlan/fingerprint`` (what generation reads from it), so an edit of its labels resumes.
    private func fingerprint(plans: [SetPlan], models: [ModelManifest]) -> [String: String] {
        let sampling = configuration.sampling
        var fingerprint = [
            "sampling": "temperature=\(sampling.temperature) top_k=\(sampling.topK) top_p=\(sampling.topP) seed=\(sampling.seed)",
            "models": Self.modelsEntry(models),
        ]
        fingerprint["sweep"] = sweepFingerprint
        if let shard = configuration.shard { fingerprint["shard"] = shard.description }
        // Of the models run in process only: a served model's arithmetic is its server's, whatever --precision says.
        if configuration.precision != .f32, AuditManifest.precisionApplies(to: models) {
            fingerprint[RunStore.precisionKey] = configuration.precision.rawValue
        }
        if !configuration.injectedBiases.isEmpty {
            // In a canonical order: the same biases given in another order are the same audit (a practitioner's review:
            // swapped --inject-bias flags refused to resume, and `merge` refused their shards).
            fingerprint["injected_bias"] = Self.canonicalInjectedBias(
                configuration.injectedBiases.map(\.description).joined(separator: ", "))
        }
        for plan in plans {
            fingerprint[Self.fingerprintKey(plan)] = plan.fingerprint
        }
        for model in models {
            if let entry = Self.modelFilesEntry(model) { fingerprint[Self.modelFilesKeyPrefix + model.id] = entry }
        }
        return fingerprint
    }

    /// A fingerprint's `models` entry: `label=weights SHA-256` (or `label=served:NAME`) per model, joined by ", ".
    static func modelsEntry(_ models: [ModelManifest]) -> String {
        models.map { "\($0.id)=\($0.weightsSHA256 ?? $0.servedName.map { "served:\($0)" } ?? "")" }.joined(separator: ", ")
    }

    /// The start of a model's fingerprint key for the SHA-256 of its configuration and tokenizer files
    /// (``ModelLoader/companionFiles``), followed by its label. It sorts after `models`, so a change of weights or labels
    /// is named first.
    static let modelFilesKeyPrefix = "tokenizer and config of "

    /// Whether `key` is a model's ``modelFilesKeyPrefix`` key: keys that run stores written before they existed lack
    /// (see ``RunStore/init(url:fingerprint:equivalent:explain:introduced:)``).
    static let isModelFilesKey: RunStore.Introduced = { $0.hasPrefix(modelFilesKeyPrefix) }

    /// `config.json=… merges.txt=… vocab.json=…` for an in-process model; nil for a served one (no files).
    static func modelFilesEntry(_ model: ModelManifest) -> String? {
        guard let config = model.configSHA256, let merges = model.mergesSHA256, let vocab = model.vocabSHA256 else {
            return nil
        }
        return "config.json=\(config) merges.txt=\(merges) vocab.json=\(vocab)"
    }

    /// Says which of a model's files changed, for a ``modelFilesKeyPrefix`` entry that differs: "model A's merges.txt
    /// changed (SHA-256 was …, now …): …"; nil for another key, or an entry this build cannot read.
    static func explainModelFiles(key: String, stored: String, now: String?) -> String? {
        guard let now, let files = modelFilesDifference(key: key, stored, now, first: "was", second: "now") else { return nil }
        return files + " changed: the stored completions were made with another configuration or tokenizer, and would be "
            + "mixed with new ones"
    }

    /// "model A's merges.txt (SHA-256 was X, now Y)" for two ``modelFilesKeyPrefix`` entries of `key` (`first` and
    /// `second` the words before each digest), naming each file whose digest differs; nil when none does or `key` is
    /// not such a key.
    static func modelFilesDifference(key: String, _ one: String, _ other: String, first: String, second: String) -> String? {
        guard isModelFilesKey(key) else { return nil }
        func digests(_ entry: String) -> [String: String] {
            var digests: [String: String] = [:]
            for part in entry.split(separator: " ") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { digests[String(pair[0])] = String(pair[1]) }
            }
            return digests
        }
        let (a, b) = (digests(one), digests(other))
        let changed = ModelLoader.companionFiles.map(\.name).filter { a[$0] != b[$0] }
        guard !changed.isEmpty else { return nil }
        let label = TextEscaping.excerpt(String(key.dropFirst(modelFilesKeyPrefix.count)), limit: 60)
        return "model \(label)'s " + changed.map {
            "\($0) (SHA-256 \(first) \(TextEscaping.excerpt(a[$0] ?? "(absent)", limit: 80)), "
                + "\(second) \(TextEscaping.excerpt(b[$0] ?? "(absent)", limit: 80)))"
        }.joined(separator: " and ")
    }

    /// The note for a run store that lacked the SHA-256 of the models' configuration and tokenizer files (written by an
    /// earlier biasaudit, which recorded only the weights) and now records them; nil when none was adopted.
    static func adoptionNote(_ keys: [String], store path: String) -> String? {
        guard !keys.isEmpty else { return nil }
        let labels = keys.map { String($0.dropFirst(modelFilesKeyPrefix.count)) }
        return "\(path) was written by an earlier biasaudit, which recorded only the models' weights: whether its stored "
            + "completions were made with the same config.json, vocab.json and merges.txt as now (model "
            + labels.map { TextEscaping.excerpt($0, limit: 60) }.joined(separator: ", ")
            + ") cannot be checked; it resumes on the weights alone, and now records these files, so a later change is refused"
    }

    private static func fingerprintKey(_ plan: SetPlan) -> String { "set \(plan.file.set.name)" }

    /// A store's `injected_bias` entry with its biases in sorted order: the same biases given in another order are the
    /// same audit (`run` resumes it, `merge` takes its shards), stores of earlier builds recorded them as given.
    static func canonicalInjectedBias(_ entry: String) -> String {
        entry.components(separatedBy: ", ").sorted().joined(separator: ", ")
    }

    /// Accepts a prompt set's entry as stores made before ``SetPlan/fingerprint`` wrote it (see
    /// ``SetPlan/matchesLegacy(_:recorded:)``); the store then rewrites it in the current form.
    /// `injectedBias`: this run's biases as the fingerprint writes them; a store made before they were sorted recorded
    /// them in the order given, and is the same audit when it holds the same biases.
    /// `precisionApplies`: false when every model is served; a store of such a run made before the precision was
    /// recorded for in-process models only holds the `--precision` it was given, which describes none of its completions.
    static func legacyEquivalence(plans: [SetPlan], injectedBias: String? = nil, precisionApplies: Bool = true)
        -> RunStore.Equivalence
    {
        { key, stored, recorded in
            if key == RunStore.precisionKey, !precisionApplies { return true }
            if key == "injected_bias", let injectedBias { return canonicalInjectedBias(stored) == injectedBias }
            return plans.first { fingerprintKey($0) == key }?.matchesLegacy(stored, recorded: recorded) ?? false
        }
    }

    /// Says how a prompt set's stored entry differs (``SetPlan/explainMismatch(_:recorded:)``).
    static func mismatchExplanation(plans: [SetPlan], fingerprint: [String: String]) -> RunStore.Explanation {
        { key, stored, recorded in
            if isModelFilesKey(key) { return explainModelFiles(key: key, stored: stored, now: fingerprint[key]) }
            return plans.first { fingerprintKey($0) == key }?.explainMismatch(stored, recorded: recorded)
        }
    }

    /// The SHA-256 of every bundled lexicon file, for the manifest.
    static func lexiconDigests() throws -> [FileDigest] {
        try LexiconResources.bundledFileNames.map { name in
            FileDigest(name: name, sha256: FileDigests.sha256(of: try LexiconResources.data(named: name)))
        }
    }

    /// A Float as the Double with the same shortest decimal (0.7, not 0.699999988079071), for the manifest.
    static func decimal(_ value: Float) -> Double {
        Double("\(value)") ?? Double(value)
    }

    /// Seconds since `start` on the wall clock, at least 0: the clock can step back during a run (NTP, a resumed
    /// virtual machine), and a results file with a negative duration is refused as one `run` never writes (review).
    static func elapsed(since start: Date) -> Double {
        max(0, Date().timeIntervalSince(start))
    }

    /// ISO 8601 in UTC with milliseconds (`2026-11-30T15:01:32.123Z`): whole seconds made a short run's wall time
    /// (1.0 s) shorter than its generation time (1.6 s) in the report.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
