import AuditAnalysis
import AuditResults
import Foundation
import Generation
import InputFiles
import PromptSets

/// Everything `biasaudit analyze` was asked to do.
public struct CompletionsAnalysisConfiguration: Sendable {
    /// Where the completions come from.
    public enum Input: Sendable {
        /// A completions file made anywhere, matched against prompt-set files.
        case file(URL, promptSetFiles: [URL])
        /// A previous run's directory: its `completions.jsonl`, with the prompt sets, models and
        /// parameters of its `results.json`.
        case run(URL)
    }

    /// The input.
    public var input: Input
    /// The output directory.
    public var outputDirectory: URL
    /// `--confidence`: nil for the re-analysed run's own (or the default).
    public var confidence: Double?
    /// `--min-gendered-words`: nil for the re-analysed run's own (or the default).
    public var minimumGenderedWords: Int?
    /// `--min-events`: nil for the re-analysed run's own (or the default).
    public var minimumEvents: Int?
    /// How a completions file was sampled, as the user declares it (recorded in the manifest; unused
    /// for a run directory, whose manifest knows).
    public var sampling: SamplingParameters
    /// The declared maximum new tokens of a completions file.
    public var maxNewTokens: Int
    /// Analyse without pairing by random stream even when the sample indices line up (the completions
    /// were sampled independently, e.g. by Hugging Face `generate` without common random numbers).
    public var unpaired: Bool
    /// The command line, for the manifest.
    public var commandLine: [String]

    /// Creates a configuration.
    public init(
        input: Input, outputDirectory: URL, confidence: Double? = nil, minimumGenderedWords: Int? = nil,
        minimumEvents: Int? = nil,
        sampling: SamplingParameters = AuditRunConfiguration.defaultSampling,
        maxNewTokens: Int = AuditRunConfiguration.defaultMaxNewTokens, unpaired: Bool = false, commandLine: [String] = []
    ) {
        self.input = input
        self.outputDirectory = outputDirectory
        self.confidence = confidence
        self.minimumGenderedWords = minimumGenderedWords
        self.minimumEvents = minimumEvents
        self.sampling = sampling
        self.maxNewTokens = maxNewTokens
        self.unpaired = unpaired
        self.commandLine = commandLine
    }
}

/// Scores completions made elsewhere and computes the same statistics `run` computes, so a completions
/// file from the course notebook or an API, or an old run, gets the current analysis.
public enum CompletionsAnalyzer {
    /// The most models one analysis compares: every pair of models gets a comparison of every contrast, so
    /// the work and the report grow with the square of their number.
    public static let maximumModels = 32

    /// The most group contrasts and model comparisons one analysis holds (pairs of groups × metrics × (models + pairs of
    /// models), summed over the sets): 250,000 rows took about 12 s in a debug build and a results.json of about
    /// 200 MB. The default audit with 32 models holds 35,376 (67 contrasts × 528).
    public static let maximumResultRows = 250_000

    /// Reads, matches, scores and analyses the completions.
    /// - Parameters:
    ///   - configuration: what to analyse.
    ///   - scorer: the lexicon scorer (the bundled one, as `run` uses).
    ///   - progress: told of each phase once the file is read (scoring N completions, computing statistics), for a file
    ///     that takes a while (a hostile review: 31,200 lines were analysed in silence for 13 s; 1,000,000 take minutes).
    /// - Returns: the outcome to write (no run store).
    /// - Throws: ``AuditError`` — `badInput` at `file:line` for a line that is malformed or matches no
    ///   prompt, `badResults` for a broken run directory, `io` for unreadable files; `PromptSetError`.
    public static func analyze(
        _ configuration: CompletionsAnalysisConfiguration, scorer: TextScorer, progress: AuditProgress? = nil
    ) throws -> AuditOutcome {
        let startedAt = Date()
        let completionsURL: URL
        let previous: AuditResult?
        switch configuration.input {
        case .file(let url, _):
            completionsURL = url
            previous = nil
        case .run(let directory):
            completionsURL = directory.appendingPathComponent(RunDiffInput.completionsFileName)
            previous = try AuditJSON.loadResult(at: directory.appendingPathComponent("results.json"))
        }
        let path = completionsURL.relativePath
        let data = try InputFile.read(completionsURL, path: path, what: "the completions file", limit: InputFile.Limit.results)
        if let previous {
            try CompletionsDigest.verify(
                data, path: path, against: previous,
                remedy: "put the run's own \(RunDiffInput.completionsFileName) back, or analyse this file as a completions "
                    + "file with its prompt sets (biasaudit analyze \(TextEscaping.path(path)) PROMPTSET… --out DIR)")
        }
        let lines = try SuppliedCompletion.parse(data, path: path)
        guard !lines.isEmpty else {
            throw AuditError.badInput(path: path, reason: "no completions in the file; write one JSON object per line")
        }

        let sets: [PromptSet]
        let setFiles: [PromptSetFile]
        switch configuration.input {
        case .file(_, let promptSetFiles):
            setFiles = try PromptSetFiles.load(promptSetFiles)
            sets = setFiles.map(\.set)
        case .run:
            setFiles = []
            sets = try previous!.promptSets.map { try PromptSet(reconstructing: $0, lines: lines, path: path) }
        }
        let positive = previous?.manifest.parameters.positiveThreshold ?? AuditRunConfiguration.defaultPositiveThreshold
        let negative = previous?.manifest.parameters.negativeThreshold ?? AuditRunConfiguration.defaultNegativeThreshold
        var settings = (previous.map { AuditAnalysis.Settings(recordedIn: $0.manifest) }
            ?? AuditRunConfiguration.defaultAnalysis)
            .overriding(
                confidence: configuration.confidence, minimumGenderedWords: configuration.minimumGenderedWords,
                minimumEvents: configuration.minimumEvents)
        // A file of one's own declared greedy (`--top-k 1`), as a run's manifest says it.
        if previous == nil { settings.greedy = configuration.sampling.topK == 1 }

        // A run's completions name the run's models: a model of unknown origin would be compared paired with them
        // as if it had shared their random streams.
        if let previous {
            let known = Set(previous.manifest.models.map(\.id))
            if let line = lines.first(where: { !known.contains($0.model) }) {
                throw AuditError.badInput(
                    path: "\(path):\(line.line)",
                    reason: "model '\(TextEscaping.excerpt(line.model))' is not a model of the run (\(known.sorted().joined(separator: ", "))); "
                        + "analyse completions of other models as a completions file with their prompt sets (--unpaired "
                        + "unless they were sampled with the run's random streams)")
            }
        }
        let matcher = CompletionMatcher(sets: sets, path: path)
        progress?.note("matching and scoring \(ReportNumbers.counted(lines.count, "completion"))…")
        let matches = try matcher.match(lines)
        // Unpaired only when declared (here, or in the analysis re-analysed): prompts with different sample indices
        // (a line missing, one model's samples 0–4 beside another's 5–9) are paired on the indices they share, each
        // observation on the stream of its own sample index (`Statistics.Cell.sampleIndices`). Before statistics
        // revision 9 such a file was analysed unpaired as a whole (a statistician's review: one missing line took the
        // power of a 0.5 SD contrast from 57% to 32%).
        let declared = configuration.unpaired || previous?.manifest.source?.declaredUnpaired == true
        // The completions.jsonl of an analysis declared --unpaired, analysed as a file, stays unpaired as that analysis
        // was: its template_id values name each line's group and model (a hostile review: it was paired without a word).
        let marked = declared ? 0 : lines.lazy.filter { $0.templateId?.contains(CompletionMatcher.unpairedMarker) == true }.count
        let unpairedReason = declared || marked > 0 ? CompletionsSource.declaredUnpairedReason : nil
        let markedNote = marked > 0 ? CompletionMatcher.unpairedMarkerNote(lines: marked, of: lines.count) : nil
        // Indices that count across prompts (0…863 over the file) would pair nothing and read as missing lines.
        if unpairedReason == nil { try matcher.checkSampleIndicesRestartPerPrompt(matches) }
        // A file decoded with its prompts is refused before anything is scored; a run's own completions are the model's.
        let echoes = CompletionMatcher.promptEchoes(matches)
        if previous == nil, let cell = CompletionMatcher.echoedCell(matches, echoes: echoes) {
            throw AuditError.badInput(
                path: "\(path):\(cell.first.line.line)",
                reason: "the text begins with its own prompt in \(cell.echoed) of the \(cell.lines) lines of group "
                    + "'\(TextEscaping.excerpt(cell.group))'" + (cell.template.map { " in template \($0 + 1)" } ?? "")
                    + " of '\(TextEscaping.excerpt(cell.set))' under model "
                    + "'\(TextEscaping.excerpt(cell.model))' (first here: '\(TextEscaping.excerpt(cell.first.prompt.text))'): "
                    + "the prompt's words would be scored as the model's, and where "
                    + "groups have such lines in different shares that makes differences that are not the model's; 'text' "
                    + "must be the continuation only: keep only the new tokens (e.g. text = full[len(prompt):], or decode "
                    + "output[0][len(input_ids[0]):]) and analyse again")
        }
        let records = matcher.records(matches, pairedStreams: unpairedReason == nil) {
            CompletionScores(scorer.score($0), positiveThreshold: positive, negativeThreshold: negative)
        }
        let recordModels: [String] = records.map(\.model).uniqued()  // typed: swift-algorithms (under AsyncHTTPClient) has a lazy uniqued() too
        guard recordModels.count <= maximumModels else {
            throw AuditError.badInput(
                path: path, reason: "\(recordModels.count) models in the file; at most \(maximumModels) are analysed together "
                    + "(every pair of models is compared: \(maximumModels) make \(maximumModels * (maximumModels - 1) / 2) "
                    + "pairs); analyse the models in smaller groups, one file each")
        }
        let models: [String] = ((previous?.manifest.models.map(\.id).filter(recordModels.contains) ?? []) + recordModels).uniqued()
        let audited = sets.filter { set in records.contains { $0.set == set.name } }
        // The rows of results.json grow with the pairs of groups, the metrics and the square of the models, whatever
        // the lines (second review: 16 lines of 8 models on a 50-group set made a 241 MB results.json; 32 models ran
        // out of time). Refused before any statistics.
        let modelRows = models.count + models.count * (models.count - 1) / 2
        let rows = audited.reduce(0) { sum, set in
            sum + set.groups.count * (set.groups.count - 1) / 2 * AuditAnalysis.metrics(for: set.metrics).count * modelRows
        }
        guard rows <= maximumResultRows else {
            throw AuditError.badInput(
                path: path, reason: "this analysis would hold \(rows) group contrasts and model comparisons (every pair of "
                    + "groups of \(ReportNumbers.counted(audited.count, "prompt set")), for each of \(models.count) models and \(modelRows - models.count) "
                    + "pairs of models); at most \(maximumResultRows) are analysed together: analyse fewer models or prompt "
                    + "sets at once, one file each")
        }

        // The samples per prompt recorded are held to what `run` takes, as every reader of results.json holds them (a
        // review: 10,001 completions per prompt were analysed into a results.json that `report` then refused).
        let samples = Dictionary(uniqueKeysWithValues: audited.map { ($0.name, samplesPerPrompt(records, set: $0.name)) })
        if let (set, count) = audited.lazy.map({ ($0.name, samples[$0.name] ?? 0) }).first(where: { $0.1 > RunSizeLimits.maximumSamples }) {
            throw AuditError.badInput(
                path: path, reason: "prompt set '\(TextEscaping.excerpt(set))' has \(count) completions per prompt (the "
                    + "median of its least-sampled model), more than the \(RunSizeLimits.maximumSamples) a run samples "
                    + "(--samples); analyse at most \(RunSizeLimits.maximumSamples) per prompt, e.g. the lines whose "
                    + "sample_index is below \(RunSizeLimits.maximumSamples)")
        }

        let statisticsStart = Date()
        progress?.note("computing statistics…")
        let analysis = try AuditAnalysis.results(
            sets: audited, models: models, records: records, settings: settings, pairedStreams: unpairedReason == nil,
            unpairedModels: previous?.manifest.modelsWithoutCommonRandomNumbers ?? [],
            // A set rebuilt from the run's lines has only the prompts with a completion: its groups' terms and prompt
            // counts are the run's (what the completions cover is counted against them).
            recordedGroups: Dictionary((previous?.promptSets ?? []).map { ($0.name, $0.groups) }) { first, _ in first })
        let statisticsSeconds = AuditRunner.elapsed(since: statisticsStart)

        var source = CompletionsSource(
            completionsFile: path, sha256: FileDigests.sha256(of: data),
            reanalysedRun: previous == nil ? nil : PathText.folder(of: path),
            pairedStreams: unpairedReason == nil, unpairedReason: unpairedReason,
            declaredParameters: previous.map { $0.manifest.source?.declaredParameters ?? false } ?? true)
        // A sweep run's other settings are in its run.sqlite only: the re-analysis has no sweep section, and says so
        // (final review: it was dropped silently, and the advice to re-analyse lost the run's charts).
        // The run's own command, shell-quoted so that it pastes back (review: `--inject-bias female_dominated: terrible=8`
        // unquoted was refused): the re-analysis records `analyze` as its command line.
        let sweep = previous.flatMap { run in
            run.sweep.map { (settings: $0.settings.count, command: TextEscaping.excerpt(ShellQuoting.commandLine(run.manifest.commandLine), limit: 4000)) }
        }
        // Which prompts' sample indices differ, where the completions are paired on them (computed once, both languages).
        let indexNotes = unpairedReason == nil
            ? CompletionMatcher.differentIndicesNotes(matches, sets: audited) : (english: [], spanish: [])
        let echoNotes = CompletionMatcher.promptEchoNotes(matches, echoes: echoes)
        // A set rebuilt from the run's lines has only the prompts with a completion: what is left out is counted against
        // the prompts the run's set had, so that the notes say what the analysis re-analysed said (review 86: "completions
        // for 27 of its 72 prompts" was dropped, the 27 being all the rebuilt set had).
        let recordedSets = Dictionary((previous?.promptSets ?? []).map { ($0.name, $0) }) { first, _ in first }
        let layouts = Dictionary(audited.compactMap { set in
            recordedSets[set.name].map { (set.name, CompletionMatcher.PromptLayout(recorded: $0, rebuilt: set)) }
        }) { first, _ in first }
        let coverage = [markedNote?.english].compactMap { $0 }
            + CompletionMatcher.coverageNotes(matches, sets: audited, layouts: layouts)
            + indexNotes.english
            + [echoNotes.english, sweep.map { CompletionMatcher.sweepNotRecomputedNote(settings: $0.settings, command: $0.command) }]
                .compactMap { $0 }
        source.coverageNotes = coverage.isEmpty ? nil : coverage
        // The same sentences for the Spanish report (review: English inside a Spanish class report).
        let spanish = [markedNote?.spanish].compactMap { $0 } + CompletionMatcher.coverageNotes(matches, sets: audited, layouts: layouts, spanish: true)
            + indexNotes.spanish
            + [echoNotes.spanish,
               sweep.map { CompletionMatcher.sweepNotRecomputedNote(settings: $0.settings, command: $0.command, spanish: true) }].compactMap { $0 }
        source.coverageNotesEs = spanish.isEmpty ? nil : spanish
        var manifest: AuditManifest
        if let previous {
            manifest = previous.manifest
            // The run's models that have completions in the file (every model of the file is the run's, see above),
            // as the prompt sets are those with completions.
            manifest.models = previous.manifest.models.filter { models.contains($0.id) }
            manifest.parameters.confidenceLevel = settings.confidenceLevel
            manifest.parameters.analysis = settings.parameters
        } else {
            let sampling = configuration.sampling
            manifest = AuditManifest(
                toolVersion: BiasAuditVersion.current, commandLine: [],
                models: models.map {
                    ModelManifest(
                        id: $0, repoID: nil, revision: nil, commit: nil, weightsSHA256: nil, layers: nil,
                        embeddingSize: nil, heads: nil)
                },
                promptSets: setFiles.filter { file in audited.contains { $0.name == file.set.name } }.map { file in
                    PromptSetManifest(
                        name: file.set.name, path: file.path, sha256: file.sha256, promptCount: file.set.prompts.count,
                        samples: samples[file.set.name] ?? 0, maxNewTokens: configuration.maxNewTokens)
                },
                lexicons: [],
                parameters: RunParameters(
                    samples: nil, maxNewTokens: configuration.maxNewTokens,
                    temperature: AuditRunner.decimal(sampling.temperature), topK: sampling.topK,
                    topP: AuditRunner.decimal(sampling.topP), seed: sampling.seed, positiveThreshold: positive,
                    negativeThreshold: negative, confidenceLevel: settings.confidenceLevel,
                    analysis: settings.parameters))
        }
        manifest.toolVersion = BiasAuditVersion.current
        manifest.commandLine = configuration.commandLine
        manifest.lexicons = try AuditRunner.lexiconDigests()
        manifest.source = source

        // Each model's run carries tokens_per_second (DESIGN.md; a review: an analysis had no timing.models): nothing was
        // generated in this invocation, as in a run resumed with every completion stored, so it is null.
        let speeds = manifest.models.map {
            ModelSpeed(model: $0.id, completions: 0, generatedTokens: 0, seconds: 0, peakResidentBytes: nil, storedBefore: 0)
        }
        let result = AuditResult(
            manifest: manifest,
            timing: AuditTiming(
                startedAt: AuditRunner.timestamp(startedAt), finishedAt: AuditRunner.timestamp(Date()),
                generationSeconds: 0, statisticsSeconds: statisticsSeconds, models: speeds),
            promptSets: analysis.sets, modelComparisons: analysis.comparisons)
        return AuditOutcome(
            result: result, completions: records, directory: configuration.outputDirectory, storeURL: nil)
    }

    /// The samples per prompt of `set` as its least-sampled model has them: per model the median of its prompts'
    /// completions (the lower one of an even count), the smallest over the models. One prompt or one model with more
    /// lines does not hide that the others have too few (a practitioner's review: the most of any prompt, 8 where 107 of
    /// 108 prompts had 2, was recorded and the fewer-samples note was not printed; so was a second model's 6 beside 2).
    static func samplesPerPrompt(_ records: [CompletionRecord], set: String) -> Int {
        let byModel = Dictionary(grouping: records.filter { $0.set == set }, by: \.model)
        return byModel.values.map { completions in
            let sorted = Dictionary(grouping: completions, by: \.promptId).values.map(\.count).sorted()
            return sorted[(sorted.count - 1) / 2]
        }.min() ?? 0
    }
}
