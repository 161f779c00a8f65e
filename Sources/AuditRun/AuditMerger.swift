import AuditAnalysis
import AuditResults
import Foundation
import Hub
import PromptSets

/// `biasaudit merge DIR… --out DIR`: combines the run stores of `run --shard I/N` runs into one run store
/// and computes the statistics once, as `run` would have on one machine.
///
/// The shards must be of one audit (equal fingerprints apart from the shard), cover 1…N exactly once each
/// (disjoint by construction: a prompt belongs to one shard), and be complete (every sample and next-token
/// record of every prompt of the shard, for every model). The merged store has the unsharded run's
/// fingerprint, so `run` with the same settings and `--out` finds everything done.
public enum AuditMerger {
    /// Merges the shard stores in `directories` into `outputDirectory`.
    /// - Parameters:
    ///   - directories: the `--out` folders of the shard runs.
    ///   - outputDirectory: where the merged `run.sqlite` goes (the caller writes results and reports).
    ///   - locator: unused for loading (nothing is generated); the runner that scores the completions needs one.
    ///   - scorer: the lexicon scorer.
    ///   - commandLine: the merge command line, for the manifest.
    /// - Returns: the merged outcome, as ``AuditRunner/run()`` returns it.
    /// The shards' stores are opened read-only (``RunStore/init(existing:)``) and never changed.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (65) naming the directory whose store is missing, not a
    ///   run store, of a `run --sweep`, of another audit, a repeated shard, incomplete or holding records outside
    ///   its shard; ``AuditError/io(path:reason:)`` (74) when a store cannot be read, a shard folder is still
    ///   being written (a `run --shard` in progress) or the output folder is in use;
    ///   ``AuditError/usage(_:)`` (64) for no directories or an output folder among them.
    public static func merge(
        directories: [URL], outputDirectory: URL, locator: ModelLocator, scorer: TextScorer, commandLine: [String],
        progress: AuditProgress? = nil
    ) async throws -> AuditOutcome {
        let startedAt = Date()
        guard !directories.isEmpty else {
            throw AuditError.usage("give the --out folders of the shard runs to merge, e.g. biasaudit merge shard-1 shard-2 --out merged")
        }
        let output = outputDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        for directory in directories where directory.standardizedFileURL.resolvingSymlinksInPath().path == output {
            throw AuditError.usage("--out \(outputDirectory.path) is one of the shards to merge; choose another --out folder")
        }
        // Open every store; each must describe its run and be a shard of the first one's audit.
        var shards: [(directory: URL, store: RunStore, shard: RunShard)] = []
        var reference: (directory: URL, fingerprint: [String: String])?
        var manifestJSON = Data()
        var firstManifest: AuditManifest?
        var timings: [AuditTiming] = []
        var sources: [RunStore.StoredPromptSet] = []
        // Shared locks on the shard folders until the merge is done: a shard still being generated is refused.
        var shardLocks: [OutputFolderLock] = []
        var shardsWithoutModelFiles: [String] = []
        // The folders of runs not split (no `--shard`), whose own command finishes them.
        var notSplit: Set<String> = []
        defer { shardLocks.forEach { $0.release() } }
        for directory in directories {
            if let lock = try OutputFolderLock.acquireForReading(directory) { shardLocks.append(lock) }
            let store = try RunStore(existing: directory.appendingPathComponent(AuditRunner.FileName.store))
            var fingerprint = try store.fingerprint()
            if try fingerprint["sweep"] != nil || store.holdsSweepSettings() {
                throw AuditError.badInput(
                    path: directory.path,
                    reason: "is a --sweep run; merge does not combine sweeps (run --sweep cannot be sharded), and its "
                        + "results.json and reports are already the whole sweep's")
            }
            let shardText = fingerprint.removeValue(forKey: "shard")
            if shardText == nil { notSplit.insert(directory.path) }
            let shard = try shardText.map { text in
                do {
                    return try RunShard(parsing: text)
                } catch {
                    throw AuditError.badInput(path: directory.path, reason: "the run store names shard '\(TextEscaping.excerpt(text, limit: 20))', which is not I/N")
                }
            } ?? RunShard(index: 1, count: 1)
            // Every shard's recorded description and timing, read and range-checked before anything else is
            // (hostile review: negative or huge samples crashed or hung the merge, an overflowing count trapped, and an
            // out-of-range setting made a results.json that `report` refuses).
            let description = try store.description()
            let recorded = try description.manifestJSON.map {
                try RunStore.decodeRecorded(AuditManifest.self, from: $0, key: "manifest", what: "description", in: store)
            }
            let timing = try store.recordedTiming()
            if let recorded { try checkRecorded(recorded, timing: timing, of: store, since: startedAt) }
            // A shard whose models were all served: an earlier biasaudit recorded the --precision it was given, which
            // describes none of its completions (a server computes at its own precision).
            if let recorded, !recorded.precisionApplies { fingerprint.removeValue(forKey: RunStore.precisionKey) }
            if let recorded { try checkAgreesWithFingerprint(recorded, fingerprint, of: store) }
            // Shards of earlier builds recorded the biases in the order given (a code review).
            if let biases = fingerprint["injected_bias"] { fingerprint["injected_bias"] = AuditRunner.canonicalInjectedBias(biases) }
            // A shard of an earlier biasaudit recorded only the models' weights, not their configuration and tokenizer
            // files: it is compared without them (and said so below); a shard that records them gives them to the merge.
            let recordsModelFiles = fingerprint.keys.contains(where: AuditRunner.isModelFilesKey)
            // (Served models have no files: a shard of those alone records none.)
            let hasLocalModels = recorded?.models.contains { $0.weightsSHA256 != nil } ?? true
            if !recordsModelFiles, hasLocalModels { shardsWithoutModelFiles.append(directory.path) }
            if let reference {
                let referenceRecords = reference.fingerprint.keys.contains(where: AuditRunner.isModelFilesKey)
                let keys = Set(reference.fingerprint.keys).union(fingerprint.keys).sorted().filter {
                    (recordsModelFiles && referenceRecords) || !AuditRunner.isModelFilesKey($0)
                }
                if let key = keys.first(where: { reference.fingerprint[$0] != fingerprint[$0] }) {
                    if let here = fingerprint[key], let there = reference.fingerprint[key],
                        let files = AuditRunner.modelFilesDifference(key: key, here, there, first: "here", second: "there")
                    {
                        throw AuditError.badInput(
                            path: directory.path,
                            reason: "is not a shard of the same audit as \(reference.directory.path): \(files) differs; "
                                + "its completions were made with another configuration or tokenizer; merge only the "
                                + "shards of one audit (same prompt sets, models and settings)")
                    }
                    if key == RunStore.precisionKey {
                        // Absent is f32 (review: "precision is bf16 here but (absent) there").
                        throw AuditError.badInput(
                            path: directory.path,
                            reason: "is not a shard of the same audit as \(reference.directory.path): its completions were "
                                + "generated at --precision \(RunStore.shownPrecision(fingerprint[key])) but those of the shard "
                                + "there at --precision \(RunStore.shownPrecision(reference.fingerprint[key])), which makes the same "
                                + "model's completions differ; run the shards that differ again at one precision (their "
                                + "`run --shard I/N` command with that --precision, into new --out folders), then merge")
                    }
                    throw AuditError.badInput(
                        path: directory.path,
                        reason: "is not a shard of the same audit as \(reference.directory.path): "
                            + "\(TextEscaping.excerpt(key, limit: 60)) is "
                            + "\(TextEscaping.excerpt(RunStore.shownValue(key, fingerprint[key] ?? "(absent)"), limit: 400)) "
                            + "here but \(TextEscaping.excerpt(RunStore.shownValue(key, reference.fingerprint[key] ?? "(absent)"), limit: 400)) there; "
                            + "merge only the shards of one audit (same prompt sets, models and settings)")
                }
                // Every shard records its description, not the first only (a review: a later shard without one merged, and its
                // timing was left out of the sums, while given first it was refused).
                guard recorded != nil else {
                    throw AuditError.badInput(
                        path: directory.path,
                        reason: noDescription)
                }
                try checkSameFiles(description.promptSets, in: directory, as: sources, in: reference.directory)
                try checkSameAnalysis(description.manifestJSON, in: directory, as: manifestJSON, in: reference.directory)
                if let recorded, let firstManifest {
                    try checkSameAcceptedParameters(recorded, in: directory, as: firstManifest, in: reference.directory)
                }
            } else {
                reference = (directory, fingerprint)
                guard let json = description.manifestJSON, let recorded else {
                    throw AuditError.badInput(
                        path: directory.path,
                        reason: noDescription)
                }
                manifestJSON = json
                firstManifest = recorded
                sources = description.promptSets
            }
            if recordsModelFiles, let current = reference, !current.fingerprint.keys.contains(where: AuditRunner.isModelFilesKey) {
                for (key, value) in fingerprint where AuditRunner.isModelFilesKey(key) { reference?.fingerprint[key] = value }
            }
            if let timing { timings.append(timing) }
            if let twin = shards.first(where: { $0.shard == shard }) {
                // The same folder named twice is said as such (practitioner's review: "holds shard 2/3, as …/s2 does").
                let same = twin.directory.standardizedFileURL.resolvingSymlinksInPath().path
                    == directory.standardizedFileURL.resolvingSymlinksInPath().path
                throw AuditError.badInput(
                    path: directory.path,
                    reason: same ? "is given twice; give each shard folder once"
                        : "holds shard \(shard), as \(twin.directory.path) does; give each shard once")
            }
            if let other = shards.first(where: { $0.shard.count != shard.count }) {
                throw AuditError.badInput(
                    path: directory.path,
                    reason: "is shard \(shard) but \(other.directory.path) is shard \(other.shard); merge the shards of one split")
            }
            shards.append((directory, store, shard))
        }
        let count = shards[0].shard.count
        if let missing = (1...count).first(where: { index in !shards.contains { $0.shard.index == index } }) {
            // Named by what was given, not by the first folder (a review: "sh1: error: shard 2/2 is missing" read as
            // if sh1 were at fault).
            let given = shards.sorted { $0.shard.index < $1.shard.index }
                .map { "\($0.shard.index)/\(count) in \(TextEscaping.excerpt($0.directory.path, limit: 120))" }
            throw AuditError.badInput(
                path: "merge",
                reason: "shard \(missing)/\(count) is missing (given: \(TextEscaping.excerpt(given.joined(separator: ", "), limit: 600))); "
                    + "give the --out folder of every shard 1/\(count) … \(count)/\(count)")
        }
        guard let manifest = firstManifest else {
            throw AuditError.badInput(path: shards[0].store.url.path, reason: "the run store records no run description; "
                + RunStore.rerunShardAdvice)  // unreachable: the first shard's was required above
        }

        // The prompt sets, from the bytes the shards read.
        var files: [PromptSetFile] = []
        var plans: [SetPlan] = []
        for recorded in manifest.promptSets {
            guard let source = sources.first(where: { $0.name == recorded.name }),
                FileDigests.sha256(of: source.data) == recorded.sha256
            else {
                throw AuditError.badInput(
                    path: shards[0].store.url.path,
                    reason: "the recorded prompt set '\(recorded.name)' is missing or does not match its SHA-256; run the shard again")
            }
            let file = PromptSetFile(
                set: try PromptSetLoader.load(data: source.data, path: source.path), path: source.path, sha256: recorded.sha256)
            files.append(file)
            plans.append(SetPlan(file: file, samples: recorded.samples, maxNewTokens: recorded.maxNewTokens))
        }
        let labels = manifest.models.map(\.id)

        // Every shard complete, and holding nothing outside its part.
        var completions: [RunStore.StoredCompletion] = []
        var nextTokens: [RunStore.StoredNextToken] = []
        for (directory, store, shard) in shards {
            let stored = try store.allCompletions()
            let storedNextTokens = try store.allNextTokens()
            let outside = stored.first { !shard.contains(promptID: $0.promptID) }
                ?? storedNextTokens.first { !shard.contains(promptID: $0.promptID) }.map {
                    RunStore.StoredCompletion(model: $0.model, promptID: $0.promptID, sampleIndex: 0, tokenIDs: [], text: "", stopReason: "")
                }
            if let outside {
                throw AuditError.badInput(
                    path: directory.path,
                    reason: "holds prompt \(TextEscaping.excerpt(outside.promptID, limit: 60)), which belongs to shard "
                        + "\(RunShard.shard(ofPromptID: outside.promptID, count: count))/\(count), not \(shard); the store was not made by `run --shard \(shard)`")
            }
            // Nothing outside the audit the description plans: a model it does not name, a sample index beyond its set's
            // samples, a prompt of no set (a hostile review: such rows were copied into the merged store, exit 0).
            var planned: [String: Int] = [:]
            for plan in plans {
                for prompt in plan.file.set.prompts where shard.contains(promptID: prompt.id) { planned[prompt.id] = plan.samples }
            }
            let modelsPlanned = Set(labels)
            if let stray = stored.first(where: {
                !modelsPlanned.contains($0.model) || !(0..<(planned[$0.promptID] ?? 0)).contains($0.sampleIndex)
            }) {
                throw AuditError.badInput(
                    path: store.url.path,
                    reason: "holds a completion outside the audit it describes (model \(TextEscaping.excerpt(stray.model, limit: 40)), "
                        + "prompt \(TextEscaping.excerpt(stray.promptID, limit: 60)), sample index \(stray.sampleIndex) of "
                        + "\(planned[stray.promptID] ?? 0)); " + RunStore.rerunShardAdvice)
            }
            if let stray = storedNextTokens.first(where: { !modelsPlanned.contains($0.model) || planned[$0.promptID] == nil }) {
                throw AuditError.badInput(
                    path: store.url.path,
                    reason: "holds a next-token record outside the audit it describes (model "
                        + "\(TextEscaping.excerpt(stray.model, limit: 40)), prompt \(TextEscaping.excerpt(stray.promptID, limit: 60))); "
                        + RunStore.rerunShardAdvice)
            }
            var have: [String: Set<String>] = [:]
            for completion in stored
            where !have[completion.model, default: []].insert("\(completion.promptID)#\(completion.sampleIndex)").inserted {
                // A sample stored twice (a store rebuilt without its unique key): the merged store would keep whichever
                // came last (a review: an edited copy merged with exit 0).
                throw AuditError.badInput(
                    path: store.url.path,
                    reason: "holds sample \(completion.sampleIndex) of prompt \(TextEscaping.excerpt(completion.promptID, limit: 60)) "
                        + "under model \(TextEscaping.excerpt(completion.model, limit: 40)) more than once; " + RunStore.rerunShardAdvice)
            }
            var haveNext: [String: Set<String>] = [:]
            for record in storedNextTokens { haveNext[record.model, default: []].insert(record.promptID) }
            for label in labels {
                var lacking = 0
                var expected = 0
                var lackingNext = 0
                for plan in plans {
                    for prompt in plan.file.set.prompts where shard.contains(promptID: prompt.id) {
                        expected += plan.samples
                        lacking += (0..<plan.samples).filter { !(have[label]?.contains("\(prompt.id)#\($0)") ?? false) }.count
                        if !(haveNext[label]?.contains(prompt.id) ?? false) { lackingNext += 1 }
                    }
                }
                if lacking > 0 || lackingNext > 0 {
                    throw AuditError.badInput(
                        path: directory.path,
                        // A run not split: its own command, not `--shard 1/1`, which its folder refuses (a hostile
                        // review); one run with `--shard 1/1` keeps it (a second review).
                        reason: (notSplit.contains(directory.path) ? "the run is incomplete" : "shard \(shard) is incomplete")
                            + ": \(label) lacks \(lacking) of \(expected) completions and \(lackingNext) next-token records; "
                            + (notSplit.contains(directory.path)
                                ? "run its `run` command again to finish it" : "run its `run --shard \(shard)` command again to finish it")
                            + ", then merge")
                }
            }
            completions += stored
            nextTokens += storedNextTokens
        }

        // The shards' timings added up (checked: each count is at most 2^53 but their sum is not), and checked as the
        // merged results will be, before anything is written.
        let speeds = labels.map { label in
            let parts = timings.compactMap { $0.models?.first { $0.model == label } }
            return ModelSpeed(
                model: label, completions: parts.map(\.completions).saturatingSum(),
                // Unknown when any shard's is.
                generatedTokens: parts.contains { $0.generatedTokens == nil }
                    ? nil : parts.compactMap(\.generatedTokens).saturatingSum(),
                seconds: parts.reduce(0) { $0 + $1.seconds },
                peakResidentBytes: parts.compactMap(\.peakResidentBytes).max(), storedBefore: parts.map(\.storedBefore).saturatingSum())
        }
        let shardsStartedAt = timings.map(\.startedAt).min {
            // The earliest by time, not by text: shards written before timestamps had milliseconds sort apart.
            (ReportNumbers.parseDate($0) ?? .distantFuture) < (ReportNumbers.parseDate($1) ?? .distantFuture)
        } ?? AuditRunner.timestamp(startedAt)
        let generationSeconds = timings.reduce(0) { $0 + $1.generationSeconds }
        let addedUp = AuditTiming(
            startedAt: shardsStartedAt, finishedAt: AuditRunner.timestamp(Date()), generationSeconds: generationSeconds,
            statisticsSeconds: 0, models: speeds)
        if let (key, reason) = AuditResult(manifest: manifest, timing: addedUp, promptSets: [], modelComparisons: []).firstOutOfRange() {
            throw AuditError.badInput(
                path: directories[0].path,
                reason: "the shards' recorded timings add up to a merged \(key) that \(reason); the shards' run stores were "
                    + "edited or damaged: run the shards again, each with its `run --shard I/N` command into a new --out "
                    + "folder, then merge")
        }

        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw AuditError.io(path: outputDirectory.path, reason: "cannot create the output directory: \(FileWriteFailure.reason(error, creating: outputDirectory))")
        }
        let folderLock = try OutputFolderLock.acquire(outputDirectory, option: "--out")
        let storeURL = outputDirectory.appendingPathComponent(AuditRunner.FileName.store)
        if let note = olderShardsNote(shardsWithoutModelFiles, of: directories.count) {
            // Said even under --quiet, as `run` says it of a store it resumes.
            FileHandle.standardError.write(Data(("biasaudit: note: " + TextEscaping.line(note) + "\n").utf8))
        }
        let merged = try RunStore(
            url: storeURL, fingerprint: reference?.fingerprint ?? [:], introduced: AuditRunner.isModelFilesKey)
        try merged.insert(completions)
        try merged.insert(nextTokens)
        var mergedManifest = manifest
        mergedManifest.commandLine = commandLine
        if !manifest.precisionApplies { mergedManifest.precision = nil }
        try merged.recordDescription(manifestJSON: try JSONEncoder().encode(mergedManifest), promptSets: sources)

        let parameters = manifest.parameters
        var configuration = AuditRunConfiguration(
            promptSetFiles: files.map { URL(fileURLWithPath: $0.path) }, models: labels, samples: parameters.samples,
            maxNewTokens: parameters.maxNewTokens, analysis: AuditAnalysis.Settings(recordedIn: mergedManifest),
            outputDirectory: outputDirectory, positiveThreshold: parameters.positiveThreshold,
            negativeThreshold: parameters.negativeThreshold, commandLine: commandLine,
            injectedBiases: parameters.injectedBiases ?? [])
        configuration.sampling.seed = parameters.seed
        let runner = AuditRunner(configuration: configuration, locator: locator, scorer: scorer, progress: progress)
        let statisticsStart = Date()
        let records = try runner.scoredRecords(store: merged, plans: plans, models: labels)
        progress?.note("computing statistics…")
        let analysis = try AuditAnalysis.results(
            sets: files.map(\.set), models: labels, records: records, settings: configuration.analysis,
            unpairedModels: mergedManifest.modelsWithoutCommonRandomNumbers)
        // The statistics are this build's whatever biasaudit ran the shards: the results say so (a shard from before
        // `statistics_revision` would otherwise make the merged report call its numbers older).
        mergedManifest.parameters.analysis = configuration.analysis.parameters
        let result = AuditResult(
            manifest: mergedManifest,
            timing: AuditTiming(
                startedAt: shardsStartedAt, finishedAt: AuditRunner.timestamp(Date()), generationSeconds: generationSeconds,
                statisticsSeconds: AuditRunner.elapsed(since: statisticsStart), models: speeds),
            promptSets: analysis.sets, modelComparisons: analysis.comparisons)
        // The checks `report` applies to a results.json, before the caller writes one (a merge never writes results its
        // own `report` refuses). Only run.sqlite has been written by then, which a `run` with the same settings resumes.
        if let (key, reason) = result.firstOutOfRange() ?? result.firstInconsistency(
            rewrite: "the shards' run stores were edited or damaged: run the shards again, then merge")
        {
            throw AuditError.badInput(
                path: outputDirectory.path,
                reason: "the merged results would not be valid (\(key) \(reason)); no results.json or report was written")
        }
        return AuditOutcome(
            result: result, completions: records, directory: outputDirectory, storeURL: storeURL, folderLock: folderLock)
    }
}

extension AuditMerger {
    /// Refuses a shard whose recorded run description or timing lies outside what a results file may hold
    /// (``AuditResult/firstOutOfRange()``, ``AuditResult/firstInconsistency(rewrite:)``: the rules `report` applies, one
    /// rule set, which hold samples and new tokens to what `run` accepts, ``RunSizeLimits``): the merge would otherwise
    /// crash on a negative sample count, hang on two billion, or write a results.json that `report` refuses (hostile
    /// review).
    /// - Parameter since: the merge's start, as the timing of a shard that recorded none.
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the shard's run.sqlite, the key and what to do.
    static func checkRecorded(_ manifest: AuditManifest, timing: AuditTiming?, of store: RunStore, since start: Date) throws {
        let stamp = AuditRunner.timestamp(start)
        let placeholder = AuditTiming(startedAt: stamp, finishedAt: stamp, generationSeconds: 0, statisticsSeconds: 0)
        let recorded = AuditResult(manifest: manifest, timing: timing ?? placeholder, promptSets: [], modelComparisons: [])
        let found = recorded.firstOutOfRange() ?? recorded.firstInconsistency(rewrite: RunStore.rerunShardAdvice)
        guard let (key, reason) = found else { return }
        // The inconsistency rules end with the advice given to them; the range rules' reasons end with none.
        let advice = reason.hasSuffix(RunStore.rerunShardAdvice) ? "" : "; " + RunStore.rerunShardAdvice
        throw AuditError.badInput(
            path: store.url.path, reason: "its recorded run description or timing (table run_description) is not what "
                + "`run --shard` records: \(key) \(reason)\(advice)")
    }

    /// Refuses a shard analysed with other settings than the first shard (confidence, power, the minimum
    /// supports): the merged results take one set of settings, and which one would depend on the order of
    /// the folders. These settings do not enter the fingerprint (they change no completion), so a shard can
    /// be run again with the others' flags and resumes without generating.
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the shard and the settings that differ.
    /// The note for shards of an earlier biasaudit, whose run stores record only the models' weights (`paths`), among
    /// `count` shards; nil when there are none, or only one shard.
    static func olderShardsNote(_ paths: [String], of count: Int) -> String? {
        guard !paths.isEmpty, count > 1 else { return nil }
        let all = paths.count == count
        return "\(paths.joined(separator: ", ")) " + (paths.count == 1 ? "was" : "were")
            + " written by an earlier biasaudit, which recorded only the models' weights: whether "
            + (all ? "the shards" : paths.count == 1 ? "that shard was" : "those shards were")
            + (all ? " were" : "") + " made with the same config.json, vocab.json and merges.txt as "
            + (all ? "each other" : "the others") + " cannot be checked"
    }

    private static func checkSameAnalysis(_ json: Data?, in directory: URL, as referenceJSON: Data?, in referenceDirectory: URL)
        throws
    {
        guard let json, let referenceJSON,
            let here = try? JSONDecoder().decode(AuditManifest.self, from: json).parameters,
            let there = try? JSONDecoder().decode(AuditManifest.self, from: referenceJSON).parameters
        else { return }  // an unreadable description is refused where the first shard's is decoded
        // A file written before a setting existed counts as its default (no `minimum_events`: no rule, 0).
        let defaults = AnalysisParameters()
        var (mine, theirs) = (here.analysis ?? defaults, there.analysis ?? defaults)
        mine.minimumEvents = mine.minimumEvents ?? defaults.minimumEvents
        theirs.minimumEvents = theirs.minimumEvents ?? defaults.minimumEvents
        // The revision of the rules is not a setting: the merge applies this build's statistics to every shard.
        (mine.statisticsRevision, theirs.statisticsRevision) = (nil, nil)
        // Without an analysis block the run-wide confidence level is the one it used.
        if here.analysis == nil { mine.confidenceLevel = here.confidenceLevel }
        if there.analysis == nil { theirs.confidenceLevel = there.confidenceLevel }
        var differences: [String] = []
        if mine.confidenceLevel != theirs.confidenceLevel {
            differences.append("--confidence \(mine.confidenceLevel) here, \(theirs.confidenceLevel) there")
        } else if here.confidenceLevel != there.confidenceLevel {
            differences.append("--confidence \(here.confidenceLevel) here, \(there.confidenceLevel) there")
        }
        if mine.minimumGenderedWords != theirs.minimumGenderedWords {
            differences.append("--min-gendered-words \(mine.minimumGenderedWords) here, \(theirs.minimumGenderedWords) there")
        }
        if mine.minimumEvents != theirs.minimumEvents {
            differences.append("--min-events \(mine.minimumEvents ?? 0) here, \(theirs.minimumEvents ?? 0) there")
        }
        if differences.isEmpty, mine != theirs { differences.append("the analysis settings in results.json differ") }
        guard !differences.isEmpty else { return }
        throw AuditError.badInput(
            path: directory.path,
            reason: "was analysed with other settings than \(referenceDirectory.path) (\(differences.joined(separator: "; "))); "
                + "merge shards run with the same settings: run this shard again with the others' flags (it resumes "
                + "without generating), then merge")
    }

    /// Refuses a shard whose records of a served model were requested with other parameters than the first shard's
    /// (``ModelManifest/acceptedParameters``: its server refused, or took, `top_k`, `seed` or `logprobs` for one and not
    /// the other): the merged manifest names one set, and would describe only some of the completions. Shards of
    /// earlier builds, which did not record them, are not compared.
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the shard, the model, both sets and what to do.
    static func checkSameAcceptedParameters(
        _ manifest: AuditManifest, in directory: URL, as reference: AuditManifest, in referenceDirectory: URL
    ) throws {
        for model in manifest.models {
            // Answered by another model (a hostile review: a server given another model between two runs of one audit).
            if let here = model.serverReported?[RunStore.answeringModelKey],
                let there = reference.models.first(where: { $0.id == model.id })?.serverReported?[RunStore.answeringModelKey],
                here != there
            {
                throw AuditError.badInput(
                    path: directory.path,
                    reason: "holds completions of served model '\(TextEscaping.excerpt(model.id, limit: 60))' answered by the "
                        + "model '\(here)' (as its server reported it), but \(referenceDirectory.path) by '\(there)': the merged "
                        + "results would mix two models' completions under one label. Run again, each with its `run --shard "
                        + "I/N` command into a new --out folder, the shards that were answered by the other model; then merge")
            }
            guard let here = model.acceptedParameters,
                let there = reference.models.first(where: { $0.id == model.id })?.acceptedParameters,
                Set(here) != Set(there)
            else { continue }
            throw AuditError.badInput(
                path: directory.path,
                reason: "requested the completions of served model '\(TextEscaping.excerpt(model.id, limit: 60))' with "
                    + "\(RunStore.parameterList(here)), but \(referenceDirectory.path) with \(RunStore.parameterList(there)) "
                    + "(its server took other parameters for one shard than for the other): the merged results would mix "
                    + "completions sampled with and without them under one accepted_parameters. Run again, each with its "
                    + "`run --shard I/N` command into a new --out folder, either the shards that lack a parameter once the "
                    + "server takes it, or every shard, to request all with what the server takes now; then merge")
        }
    }

    /// Refuses a shard whose recorded prompt-set files differ from the first shard's. Equal fingerprints
    /// mean equal prompts, but a file edited only where generation does not look (labels, description)
    /// still changes what the results say, and the merged results can hold one file per set: taking the
    /// first shard's would make them depend on the order of the folders.
    /// - Parameters:
    ///   - recorded: the prompt-set files the shard at `directory` recorded.
    ///   - reference: the first shard's, recorded in `referenceDirectory`.
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the first set whose bytes differ.
    static func checkSameFiles(
        _ recorded: [RunStore.StoredPromptSet], in directory: URL, as reference: [RunStore.StoredPromptSet],
        in referenceDirectory: URL
    ) throws {
        let theirs = Dictionary(reference.map { ($0.name, $0.data) }, uniquingKeysWith: { first, _ in first })
        for set in recorded {
            guard let other = theirs[set.name], other != set.data else { continue }
            throw AuditError.badInput(
                path: directory.path,
                reason: "read prompt set '\(TextEscaping.excerpt(set.name, limit: 60))' from another file than "
                    + "\(referenceDirectory.path) (SHA-256 \(FileDigests.sha256(of: set.data).prefix(12))… here, "
                    + "\(FileDigests.sha256(of: other).prefix(12))… there): its prompts are the same, but its labels or "
                    + "other text the reports show differ, and the merged results can hold one file. Run again, with "
                    + "the file the report should show, the shards that read the other one (their `run --shard I/N` "
                    + "command with the same --out resumes without generating anything), then merge")
        }
    }
}

extension SetPlan {
    /// A plan with the samples and token budget a run recorded.
    init(file: PromptSetFile, samples: Int, maxNewTokens: Int) {
        self.file = file
        self.samples = samples
        self.maxNewTokens = maxNewTokens
    }
}

extension AuditMerger {
    /// Why a shard whose run store records no run description is refused (any shard, the first or a later one).
    static let noDescription =
        "the run store does not record its run's description (made by an older biasaudit); run the shard again with this version"

    /// Refuses a shard whose recorded description disagrees with its own fingerprint on what the merge takes from the
    /// description: its prompt sets (the same names as the fingerprint's `set …` entries, each with the samples and
    /// new tokens its entry says), `--samples` when given (every set's), the sampling parameters (temperature, top-k,
    /// top-p, seed), the models (labels and weights' SHA-256 or served names), the injected biases and the precision.
    /// The fingerprint decides which completions belong to the audit, and the merged results take the plan and the
    /// settings from the description: a hostile review edited only the description (samples 1 of 2) and the merge
    /// wrote half the completions with exit 0; an empty list of sets made an audit of nothing; a seed or temperature
    /// edited in one shard was the merged one or not by the order of the folders; a zero weights digest was recorded.
    static func checkAgreesWithFingerprint(_ manifest: AuditManifest, _ fingerprint: [String: String], of store: RunStore) throws {
        if let disagreement = fingerprintDisagreement(manifest, fingerprint) {
            throw AuditError.badInput(
                path: store.url.path, reason: "the run's recorded description does not match its fingerprint: \(disagreement); "
                    + RunStore.rerunShardAdvice)
        }
    }

    /// What `manifest` says that `fingerprint` contradicts, in words with short escaped excerpts; nil when they agree.
    static func fingerprintDisagreement(_ manifest: AuditManifest, _ fingerprint: [String: String]) -> String? {
        func shown(_ text: String, _ limit: Int = 200) -> String { TextEscaping.excerpt(text, limit: limit) }
        let recordedSets = Set(manifest.promptSets.map { "set \($0.name)" })
        let fingerprintSets = Set(fingerprint.keys.filter { $0.hasPrefix("set ") })
        if recordedSets != fingerprintSets {
            func names(_ keys: Set<String>) -> String { shown(keys.sorted().map { String($0.dropFirst(4)) }.joined(separator: ", ")) }
            return (recordedSets.isEmpty ? "it describes no prompt set" : "it describes the prompt sets \(names(recordedSets))")
                + ", but its completions were generated for " + (fingerprintSets.isEmpty ? "none" : names(fingerprintSets))
        }
        if let set = manifest.promptSets.first(where: {
            !(fingerprint["set \($0.name)"] ?? "").hasSuffix(" samples=\($0.samples) max_new_tokens=\($0.maxNewTokens)")
        }) {
            return "it describes prompt set '\(shown(set.name, 60))' with samples=\(set.samples) max_new_tokens=\(set.maxNewTokens), "
                + "but its completions were generated with "
                + shown(fingerprint["set \(set.name)"]?.split(separator: " ").dropFirst().joined(separator: " ") ?? "", 80)
        }
        let parameters = manifest.parameters
        if let samples = parameters.samples, let set = manifest.promptSets.first(where: { $0.samples != samples }) {
            return "it describes --samples \(samples), but its completions of prompt set '\(shown(set.name, 60))' were generated "
                + "with samples=\(set.samples)"
        }
        if let sampling = fingerprint["sampling"] {
            // `temperature=0.7 top_k=50 top_p=0.9 seed=5`: the run sampled with single-precision values, which the
            // description holds rounded to decimals (`AuditRunner.decimal`; older builds wrote 0.699999988079071):
            // compared as the Float each names (a review: a relative 1e-6 let 1e-30 become 9e-7), top-k as a whole number.
            var stored: [String: String] = [:]
            for part in sampling.split(separator: " ") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { stored[String(pair[0])] = String(pair[1]) }
            }
            if let seed = stored["seed"], seed != String(parameters.seed) {
                return "it describes seed \(parameters.seed), but its completions were generated with seed=\(shown(seed, 40))"
            }
            for (name, option, described) in [
                ("temperature", "--temperature", parameters.temperature), ("top_k", "--top-k", Double(parameters.topK)),
                ("top_p", "--top-p", parameters.topP),
            ] {
                guard let text = stored[name] else { continue }
                let differs = name == "top_k" ? Int(text) != parameters.topK : Float(text).map { $0 != Float(described) } ?? false
                if differs {
                    return "it describes \(option) \(name == "top_k" ? String(parameters.topK) : "\(described)"), but its "
                        + "completions were generated with \(name)=\(shown(text, 40))"
                }
            }
        }
        if let models = fingerprint["models"], models != AuditRunner.modelsEntry(manifest.models) {
            return "it describes the models \(shown(AuditRunner.modelsEntry(manifest.models), 400)), but its completions were "
                + "generated by \(shown(models, 400))"
        }
        let described = parameters.injectedBiases.flatMap { $0.isEmpty ? nil : $0 }
            .map { AuditRunner.canonicalInjectedBias($0.map(\.description).joined(separator: ", ")) }
        let injected = fingerprint["injected_bias"].map(AuditRunner.canonicalInjectedBias)
        if described != injected {
            let typed = { (value: String) in shown(RunStore.shownValue("injected_bias", value)) }
            return "it describes the injected biases \(described.map(typed) ?? "none"), but its completions were generated "
                + "with \(injected.map(typed) ?? "none")"
        }
        if manifest.precisionApplies, RunStore.shownPrecision(fingerprint[RunStore.precisionKey]) != (manifest.precision ?? "f32") {
            return "it describes --precision \(shown(manifest.precision ?? "f32", 20)), but its completions were generated at "
                + "--precision \(RunStore.shownPrecision(fingerprint[RunStore.precisionKey]))"
        }
        return nil
    }
}
