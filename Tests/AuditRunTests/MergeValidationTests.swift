import AuditResults
import AuditRun
import Foundation
import GRDB
import Generation
import Hub
import TestSupport
import XCTest

/// Hostile review of `merge`: it trusted the run description and timing a shard's run.sqlite records. Negative samples
/// crashed it (a range with its bounds reversed), two billion hung it building every sample index, an Int.max count
/// trapped adding the shards' timings, a confidence level of 5 ended in an internal error (exit 70), and duplicated or
/// missing models, a repeated prompt set, negative new tokens or temperature, or a generation time of 1e308 made it
/// write a results.json its own `report` refuses. Each is now refused with exit 65 naming the shard's run.sqlite, the
/// key and what to do, before anything is written; the recorded description is checked with the rules of a results
/// file (one rule set) and with `run`'s limits on samples and new tokens.
final class MergeValidationTests: XCTestCase {
    private static let model = Fixtures.url("models/tiny-gpt2").path
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = try Fixtures.temporaryDirectory("merge-validation")
        try FileManager.default.copyItem(
            at: Fixtures.url("audit/small-set.yaml").resolvingSymlinksInPath(), to: scratch.appendingPathComponent("set.yaml"))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: scratch)
    }

    private var hub: HubConfiguration { HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true) }

    /// Runs shards 1/2 and 2/2 of the small set into `s1` and `s2`, with `biases` injected (shard 2 in reverse order).
    private func runShards(biases: [InjectedBias] = []) async throws {
        for index in 1...2 {
            var configuration = AuditRunConfiguration(
                promptSetFiles: [scratch.appendingPathComponent("set.yaml")], models: [Self.model], samples: 2, maxNewTokens: 3,
                sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 5),
                outputDirectory: scratch.appendingPathComponent("s\(index)"), commandLine: ["biasaudit", "run"])
            configuration.shard = try RunShard(index: index, count: 2)
            configuration.injectedBiases = index == 1 ? biases : biases.reversed()
            let outcome = try await AuditRunner(
                configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled()
            ).run()
            outcome.folderLock?.release()
        }
    }

    private func merge(into out: String) async throws -> AuditOutcome {
        try await AuditMerger.merge(
            directories: ["s1", "s2"].map { scratch.appendingPathComponent($0) }, outputDirectory: scratch.appendingPathComponent(out),
            locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled(), commandLine: ["biasaudit", "merge"])
    }

    private func storeURL(_ shard: String) -> URL { scratch.appendingPathComponent("\(shard)/run.sqlite") }

    /// The `injected_bias` entry of shard `shard`'s fingerprint.
    private func injectedBiasEntry(in shard: String) throws -> String? {
        let queue = try DatabaseQueue(path: storeURL(shard).path)
        defer { try? queue.close() }
        return try queue.read { try String.fetchOne($0, sql: "SELECT value FROM fingerprint WHERE key = 'injected_bias'") }
    }

    /// Replaces the `injected_bias` entry of shard `shard`'s fingerprint.
    private func setInjectedBiasEntry(_ value: String, in shard: String) throws {
        let queue = try DatabaseQueue(path: storeURL(shard).path)
        try queue.write { try $0.execute(sql: "UPDATE fingerprint SET value = ? WHERE key = 'injected_bias'", arguments: [value]) }
        try queue.close()
    }

    /// Replaces the text of the first completion shard `shard` stored.
    private func storeFirstText(_ text: String, in shard: String) throws {
        let queue = try DatabaseQueue(path: storeURL(shard).path)
        try queue.write {
            try $0.execute(sql: "UPDATE completion SET text = ? WHERE rowid = (SELECT min(rowid) FROM completion)", arguments: [text])
        }
        try queue.close()
    }

    /// Replaces what shard `shard` recorded under `key` (`manifest` or `timing`) with `bytes`.
    private func record(_ bytes: Data, key: String, in shard: String) throws {
        let queue = try DatabaseQueue(path: storeURL(shard).path)
        try queue.write { try $0.execute(sql: "UPDATE run_description SET value = ? WHERE key = ?", arguments: [bytes, key]) }
        try queue.close()
    }

    /// Edits the JSON shard `shard` recorded under `key` with `change`.
    private func edit(_ key: String, in shard: String, _ change: (inout [String: Any]) -> Void) throws {
        let queue = try DatabaseQueue(path: storeURL(shard).path)
        let data = try XCTUnwrap(try queue.read { try Data.fetchOne($0, sql: "SELECT value FROM run_description WHERE key = ?", arguments: [key]) })
        try queue.close()
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        change(&object)
        try record(try JSONSerialization.data(withJSONObject: object), key: key, in: shard)
    }

    /// The recorded manifest's `parameters`, edited.
    private func editParameters(in shards: [String] = ["s1", "s2"], _ change: @escaping (inout [String: Any]) -> Void) throws {
        for shard in shards {
            try edit("manifest", in: shard) { manifest in
                var parameters = manifest["parameters"] as! [String: Any]
                change(&parameters)
                manifest["parameters"] = parameters
            }
        }
    }

    /// Saves both shards' stores, to put them back between cases.
    private func saveStores() throws -> [String: Data] {
        try Dictionary(uniqueKeysWithValues: ["s1", "s2"].map { ($0, try Data(contentsOf: storeURL($0))) })
    }

    private func restore(_ saved: [String: Data]) throws {
        for (shard, data) in saved { try data.write(to: storeURL(shard)) }
    }

    /// Merges and checks the merge is refused (65) naming `shard`'s run.sqlite with a reason that starts with
    /// `expected`, holds `detail` when given and ends with what to do, and that nothing was written.
    private func assertRefused(
        _ expected: String, containing detail: String? = nil, shard: String = "s1", out: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async {
        if let error = await thrownError(AuditError.self, "merged: expected '\(expected)…'", file: file, line: line, from: {
            let outcome = try await merge(into: out)
            outcome.folderLock?.release()
        }) {
            guard case .badInput(let path, let reason) = error else {
                return XCTFail("expected badInput, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(path, storeURL(shard).path, file: file, line: line)
            XCTAssertTrue(reason.hasPrefix(expected), "expected '\(expected)…', got '\(reason)'", file: file, line: line)
            if let detail { XCTAssertTrue(reason.contains(detail), "expected '\(detail)' in '\(reason)'", file: file, line: line) }
            XCTAssertTrue(reason.hasSuffix("run this shard again with its `run --shard I/N` command into a new --out folder, "
                                           + "then merge"), reason, file: file, line: line)
            XCTAssertFalse(reason.contains("DecodingError"), reason, file: file, line: line)
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent(out).path),
                       "nothing is written for a refused merge", file: file, line: line)
    }

    private let described = "its recorded run description or timing (table run_description) is not what `run --shard` records: "

    /// Review: shards of different `--precision` were refused with "precision is bf16 here but (absent) there" (the
    /// store records the precision only when it is not f32). Both precisions are named.
    func testShardsOfDifferentPrecisionsNameBothPrecisions() async throws {
        try await runShards()
        let queue = try DatabaseQueue(path: storeURL("s2").path)
        try await queue.write { try $0.execute(sql: "INSERT INTO fingerprint (key, value) VALUES ('precision', 'bf16')") }
        try queue.close()
        // As a shard run at --precision bf16 records it in its description too.
        try edit("manifest", in: "s2") { $0["precision"] = "bf16" }
        if let error = await thrownError(AuditError.self, "shards of different precisions are refused", from: {
            _ = try await merge(into: "merged")
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("its completions were generated at --precision bf16 but those of the "
                + "shard there at --precision f32"), "\(error)")
            XCTAssertFalse(error.description.contains("absent"), "\(error)")
        }
    }

    /// A code review: a shard of an earlier build recorded its biases in the order given, and `merge` compared the
    /// entries byte for byte, so shards given the same biases in another order were "not a shard of the same audit".
    /// Shards of this build record them sorted; an entry in another order is the same audit.
    func testShardsWithTheSameBiasesInAnotherOrderMerge() async throws {
        let biases = [InjectedBias(group: "female_dominated", token: " terrible", logit: 8),
                      InjectedBias(group: "male_dominated", token: " awful", logit: 8)]
        try await runShards(biases: biases)
        XCTAssertEqual(try injectedBiasEntry(in: "s2"), biases.map(\.description).joined(separator: ", "),
                       "recorded sorted whatever the order given")
        // As an earlier build wrote it: in the order given, here the reverse.
        try setInjectedBiasEntry(biases.reversed().map(\.description).joined(separator: ", "), in: "s2")
        let outcome = try await merge(into: "merged")
        outcome.folderLock?.release()
        XCTAssertEqual(outcome.result.manifest.parameters.injectedBiases?.count, 2)
    }

    func testSampleCountsOutsideWhatRunTakesAreRefusedBeforeAnyWork() async throws {
        try await runShards()
        let saved = try saveStores()
        // Crashed: `(0..<plan.samples)` with samples -1.
        try editParameters { $0["samples"] = -1 }
        for shard in ["s1", "s2"] {
            try edit("manifest", in: shard) { manifest in
                var sets = manifest["promptSets"] as! [[String: Any]]
                sets[0]["samples"] = -1
                manifest["promptSets"] = sets
            }
        }
        await assertRefused(described + "manifest.parameters.samples is -1; `run` takes --samples from 1 to 10000; ", out: "negative")
        // Hung with 1.1 GB: every sample index of two billion.
        try restore(saved)
        try editParameters { $0["samples"] = 2_000_000_000 }
        await assertRefused(described + "manifest.parameters.samples is 2000000000; `run` takes --samples from 1 to 10000; ",
                            out: "huge")
        try restore(saved)
        for shard in ["s1", "s2"] {
            try edit("manifest", in: shard) { manifest in
                var sets = manifest["promptSets"] as! [[String: Any]]
                sets[0]["samples"] = 0
                manifest["promptSets"] = sets
            }
        }
        await assertRefused(described + "manifest.prompt_sets[0].samples is 0; `run` takes --samples from 1 to 10000; ", out: "zero")
        // What the shards did record merges.
        try restore(saved)
        let merged = try await merge(into: "merged")
        merged.folderLock?.release()
        XCTAssertEqual(merged.completions.count, 24)
    }

    /// A hostile review: a description edited within the ranges, its fingerprint left alone, was merged as it said.
    /// Samples 1 of the 2 generated wrote half the completions with exit 0, no prompt set an audit of nothing, a seed
    /// edited in shard 2 was the merged seed or not by the order of the folders, and bf16 was recorded for f32
    /// completions. Each is refused naming the shard and both values.
    func testADescriptionThatDisagreesWithItsFingerprintIsRefused() async throws {
        try await runShards()
        let saved = try saveStores()
        let mismatch = "the run's recorded description does not match its fingerprint: "
        try edit("manifest", in: "s1") { manifest in
            var sets = manifest["promptSets"] as! [[String: Any]]
            sets[0]["samples"] = 1
            manifest["promptSets"] = sets
        }
        await assertRefused(mismatch + "it describes prompt set 'small-occupations' with samples=1 max_new_tokens=3, but its "
                            + "completions were generated with samples=2 max_new_tokens=3; ", out: "samples")
        try restore(saved)
        try edit("manifest", in: "s1") { $0["promptSets"] = [[String: Any]]() }
        await assertRefused(mismatch + "it describes no prompt set, but its completions were generated for "
                            + "small-occupations; ", out: "none")
        try restore(saved)
        try editParameters(in: ["s2"]) { $0["samples"] = 3 }
        await assertRefused(mismatch + "it describes --samples 3, but its completions of prompt set 'small-occupations' were "
                            + "generated with samples=2; ", shard: "s2", out: "parameter")
        try restore(saved)
        try editParameters(in: ["s2"]) { $0["seed"] = 6 }
        await assertRefused(mismatch + "it describes seed 6, but its completions were generated with seed=5; ",
                            shard: "s2", out: "seed")
        try restore(saved)
        try edit("manifest", in: "s1") { $0["precision"] = "bf16" }
        await assertRefused(mismatch + "it describes --precision bf16, but its completions were generated at --precision f32; ",
                            out: "precision")
        try restore(saved)
        // A code review: the rest of the sampling, the models and the injected biases were taken unchecked (a temperature
        // edited in one shard was the merged one or not by the folders' order; a zero weights digest was recorded).
        try editParameters(in: ["s1"]) { $0["temperature"] = 1.3 }
        await assertRefused(mismatch + "it describes --temperature 1.3, but its completions were generated with "
                            + "temperature=0.7; ", out: "temperature")
        try restore(saved)
        // Compared as the single-precision value sampled with (a review: a relative 1e-6 let a 1e-30 become 9e-7).
        try editParameters(in: ["s1"]) { $0["topP"] = 0.9000001 }
        await assertRefused(mismatch + "it describes --top-p 0.9000001, but its completions were generated with top_p=0.9; ",
                            out: "top-p-float")
        try restore(saved)
        // Every shard must record its description, not only the first (a review: a later one without merged).
        let queue = try DatabaseQueue(path: storeURL("s2").path)
        try await queue.write { try $0.execute(sql: "DELETE FROM run_description") }
        try queue.close()
        if let error = await thrownError(AuditError.self, "merged a shard without a recorded description", from: {
            let outcome = try await merge(into: "undescribed")
            outcome.folderLock?.release()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("s2: error: the run store does not record its run's description"), "\(error)")
        }
        try restore(saved)
        try editParameters { $0["topP"] = 0.5 }
        await assertRefused(mismatch + "it describes --top-p 0.5, but its completions were generated with top_p=0.9; ",
                            out: "top-p")
        try restore(saved)
        let zeros = String(repeating: "0", count: 64)
        for shard in ["s1", "s2"] {
            try edit("manifest", in: shard) { manifest in
                var models = manifest["models"] as! [[String: Any]]
                models[0]["weightsSha256"] = zeros
                manifest["models"] = models
            }
        }
        await assertRefused(mismatch + "it describes the models tiny-gpt2=\(zeros), but its completions were generated by "
                            + "tiny-gpt2=", out: "models")
        try restore(saved)
        try editParameters { $0["injectedBiases"] = [["group": "female_dominated", "token": " terrible", "logit": 8.0]] }
        await assertRefused(mismatch + "it describes the injected biases female_dominated: terrible=8, but its completions "
                            + "were generated with none; ", out: "injected")
        try restore(saved)
        let merged = try await merge(into: "merged")
        merged.folderLock?.release()
        XCTAssertEqual(merged.completions.count, 24)
    }

    /// A hostile review: a completion of a model the audit does not name, or at a sample index beyond its set's
    /// samples, was copied into the merged store with exit 0. Refused, naming the row.
    /// A hostile review: the folder of a run not split, given to merge unfinished, was told to run its `run --shard 1/1`
    /// command again, which that folder refuses; it is told its own command.
    func testAnUnfinishedRunNotSplitIsToldItsOwnCommand() async throws {
        // Not split, and split in one with `--shard 1/1` (a second review: that one needs its `--shard`).
        for (folder, shard, advice) in [("whole", nil, "the run is incomplete: "), ("one", try RunShard(index: 1, count: 1), "shard 1/1 is incomplete: ")] {
            var configuration = AuditRunConfiguration(
                promptSetFiles: [scratch.appendingPathComponent("set.yaml")], models: [Self.model], samples: 2, maxNewTokens: 3,
                sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 5),
                outputDirectory: scratch.appendingPathComponent(folder), commandLine: ["biasaudit", "run"])
            configuration.shard = shard
            let outcome = try await AuditRunner(
                configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled()
            ).run()
            outcome.folderLock?.release()
            let queue = try DatabaseQueue(path: storeURL(folder).path)
            try await queue.write { try $0.execute(sql: "DELETE FROM completion WHERE rowid = (SELECT min(rowid) FROM completion)") }
            try queue.close()
            if let error = await thrownError(AuditError.self, "merged an unfinished run", from: {
                let merged = try await AuditMerger.merge(
                    directories: [scratch.appendingPathComponent(folder)], outputDirectory: scratch.appendingPathComponent("m-\(folder)"),
                    locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled(), commandLine: ["biasaudit", "merge"])
                merged.folderLock?.release()
            }) {
                guard case .badInput(_, let reason) = error else { return XCTFail("expected badInput, got \(error)") }
                XCTAssertTrue(reason.hasPrefix(advice), reason)
                XCTAssertTrue(reason.hasSuffix(shard == nil ? "; run its `run` command again to finish it, then merge"
                    : "; run its `run --shard 1/1` command again to finish it, then merge"), reason)
            }
        }
    }

    func testACompletionOutsideTheDescribedAuditIsRefused() async throws {
        try await runShards()
        let saved = try saveStores()
        for (column, value, words) in [
            ("model", "'ghost'", "holds a completion outside the audit it describes (model ghost, prompt "),
            ("sample_index", "99", "holds a completion outside the audit it describes (model "),
        ] {
            let queue = try DatabaseQueue(path: storeURL("s1").path)
            try await queue.write {
                try $0.execute(sql: "UPDATE completion SET \(column) = \(value) WHERE rowid = (SELECT min(rowid) FROM completion)")
            }
            try queue.close()
            await assertRefused(words, containing: column == "sample_index" ? "sample index 99 of 2)" : nil, out: "stray")
            try restore(saved)
        }
    }

    /// A review: a shard whose completion table was rebuilt without its unique key, holding one sample twice (the second
    /// an edited text), merged with exit 0 and the edited copy in completions.jsonl.
    func testASampleStoredTwiceIsRefused() async throws {
        try await runShards()
        let queue = try DatabaseQueue(path: storeURL("s1").path)
        try await queue.write {
            try $0.execute(sql: """
                CREATE TABLE copied AS SELECT * FROM completion; DROP TABLE completion; ALTER TABLE copied RENAME TO completion;
                INSERT INTO completion SELECT * FROM completion WHERE rowid = (SELECT min(rowid) FROM completion);
                UPDATE completion SET text = 'DUP' WHERE rowid = (SELECT max(rowid) FROM completion)
                """)
        }
        try queue.close()
        await assertRefused("holds sample ", containing: "more than once; the store was edited or damaged", out: "twice")
    }

    func testSettingsAndModelsAResultsFileMayNotHoldAreRefused() async throws {
        try await runShards()
        let saved = try saveStores()
        // Exit 70 before ("parameter 'confidence' is 5.0").
        try editParameters { parameters in
            var analysis = parameters["analysis"] as! [String: Any]
            analysis["confidenceLevel"] = 5
            parameters["analysis"] = analysis
        }
        await assertRefused(described + "manifest.parameters.analysis.confidence_level is 5.0; it lies strictly between 0 and 1",
                            out: "confidence")
        // These merged, into a results.json that `report` refused.
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("manifest.parameters.max_new_tokens is -5; `run` takes --max-new-tokens from 1 to 1024", {
                var parameters = $0["parameters"] as! [String: Any]
                parameters["maxNewTokens"] = -5
                $0["parameters"] = parameters
            }),
            ("manifest.parameters.temperature is -1.0; a temperature is 0 or more", {
                var parameters = $0["parameters"] as! [String: Any]
                parameters["temperature"] = -1
                $0["parameters"] = parameters
            }),
            ("manifest.models is empty: a results file describes at least one audited model; ", { $0["models"] = [] }),
            ("manifest.models[1].id 'tiny-gpt2' repeats the id of manifest.models[0]", {
                let models = $0["models"] as! [Any]
                $0["models"] = models + models
            }),
            ("manifest.prompt_sets[1].name 'small-occupations' repeats the name of manifest.prompt_sets[0]", {
                let sets = $0["promptSets"] as! [Any]
                $0["promptSets"] = sets + sets
            }),
        ]
        for (index, (expected, change)) in cases.enumerated() {
            try restore(saved)
            try edit("manifest", in: "s1", change)
            try edit("manifest", in: "s2", change)
            await assertRefused(described + expected, out: "case-\(index)")
        }
        // Only the second shard's description edited: it is checked as well.
        try restore(saved)
        try editParameters(in: ["s2"]) { $0["temperature"] = -1 }
        await assertRefused(described + "manifest.parameters.temperature is -1.0", shard: "s2", out: "second")
    }

    func testRecordedTimingsOutOfRangeOrOverflowingAreRefused() async throws {
        try await runShards()
        let saved = try saveStores()
        func setModelCount(_ value: Int, in shard: String) throws {
            try edit("timing", in: shard) { timing in
                var models = timing["models"] as! [[String: Any]]
                models[0]["completions"] = value
                timing["models"] = models
            }
        }
        // Trapped adding the shards' completions.
        try setModelCount(Int.max, in: "s2")
        await assertRefused(described + "timing.models[0].completions is 9223372036854775807; a count or index here is at most 2^53 "
            + "(9007199254740992)", shard: "s2", out: "overflow")
        try restore(saved)
        try edit("timing", in: "s1") { $0["generationSeconds"] = 1e308 }
        await assertRefused(described + "timing.generation_seconds is 1e+308; a duration in seconds lies between 0 and "
            + "315576000 (10 years)", out: "seconds")
        // Each shard's count within the limit, their sum beyond it: refused naming the first folder, nothing written.
        try restore(saved)
        try setModelCount(AuditResult.maximumCount, in: "s1")
        try setModelCount(AuditResult.maximumCount, in: "s2")
        if let error = await thrownError(AuditError.self, "merged timings beyond 2^53", from: {
            _ = try await merge(into: "sum")
        }) {
            guard case .badInput(let path, let reason) = error else { return XCTFail("expected badInput, got \(error)") }
            XCTAssertEqual(path, scratch.appendingPathComponent("s1").path)
            XCTAssertTrue(reason.hasPrefix("the shards' recorded timings add up to a merged timing.models[0].completions that "
                                           + "is 18014398509481984; a count or index here is at most 2^53"), reason)
            XCTAssertEqual(error.exitCode, 65)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("sum").path))
    }

    /// The nitpick: a damaged description said "is not readable (DecodingError.dataCorrupted: …)", and a negative seed
    /// was "not valid JSON". Both say what is wrong, where, and what to do.
    func testAnUnreadableDescriptionSaysWhatIsWrongAndWhatToDo() async throws {
        try await runShards()
        let saved = try saveStores()
        try editParameters(in: ["s1"]) { $0["seed"] = -1 }
        await assertRefused("the run's recorded description (table run_description, key 'manifest') does not read: "
            + "value out of range at parameters.seed: -1 does not fit; this key holds a whole number from 0 to "
            + "18446744073709551615; the store was edited or damaged", out: "seed")
        try restore(saved)
        try record(Data("{\"toolVersion\": ".utf8), key: "manifest", in: "s1")
        await assertRefused("the run's recorded description (table run_description, key 'manifest') does not read: ",
                            out: "corrupt")
        try restore(saved)
        try record(Data("{\"startedAt\": 3}".utf8), key: "timing", in: "s2")
        await assertRefused("the run's recorded timing (table run_description, key 'timing') does not read: wrong type at "
            + "started_at: expected a string", shard: "s2", out: "timing")
        // A hostile review: a key twice was read as its first value, where every other JSON input refuses it.
        try restore(saved)
        let queue = try DatabaseQueue(path: storeURL("s1").path)
        let stored = try await queue.read { try Data.fetchOne($0, sql: "SELECT value FROM run_description WHERE key = 'manifest'") }
        try queue.close()
        let manifest = try XCTUnwrap(stored)
        var text = try XCTUnwrap(String(data: manifest, encoding: .utf8))
        text.insert(contentsOf: "\"toolVersion\": \"0\", ", at: text.index(after: text.startIndex))
        try record(Data(text.utf8), key: "manifest", in: "s1")
        await assertRefused("the run's recorded description (table run_description, key 'manifest') does not read: key "
            + "\"toolVersion\" appears twice in one object", out: "twice")
    }

    /// Hostile tester: `merge` (and a resumed run) copied a stored text of 150,000 characters into a completions.jsonl
    /// that `analyze` then refused (its limit is 100,000). The store's reader refuses it, naming the column.
    func testAStoredTextLongerThanAnalyzeTakesIsRefused() async throws {
        try await runShards()
        try storeFirstText(String(repeating: "x", count: 150_000), in: "s1")
        if let error = await thrownError(AuditError.self, "merged a 150,000-character text", from: {
            let outcome = try await merge(into: "long")
            outcome.folderLock?.release()
        }) {
            guard case .badInput(let path, let reason) = error else { return XCTFail("expected badInput, got \(error)") }
            XCTAssertEqual(path, storeURL("s1").path)
            XCTAssertTrue(reason.contains("column text of table completion holds a text of 150000 characters (more than the "
                                          + "limit of 100000)"), reason)
            XCTAssertEqual(error.exitCode, 65)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("long").path))
    }
}
