import AuditAnalysis
import AuditResults
@testable import AuditRun
import Foundation
import GRDB
import Generation
import Hub
import TestSupport
import XCTest

/// Hostile review: the run store's fingerprint held only each model's weights SHA-256, so a run resumed (and shards
/// merged) after `merges.txt` or `config.json` changed, mixing two tokenizers' or configurations' completions without
/// a word. The SHA-256 of config.json, vocab.json and merges.txt now enter the fingerprint and the manifest; a store
/// written before (weights only) still resumes on the weights, with a note, and records the files from then on.
final class ModelFilesFingerprintTests: XCTestCase {
    private static let samples = 2
    /// 2 templates × 2 groups × 3 terms × 2 samples.
    private static let total = 12 * samples

    private var scratch: URL!
    private var model: URL { scratch.appendingPathComponent("tiny") }
    private var set: URL { scratch.appendingPathComponent("set.yaml") }

    override func setUpWithError() throws {
        scratch = try Fixtures.temporaryDirectory("model-files-fingerprint")
        try FileManager.default.copyItem(at: Fixtures.url("audit/small-set.yaml").resolvingSymlinksInPath(), to: set)
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        for file in ModelLoader.requiredFiles {
            try FileManager.default.copyItem(
                at: Fixtures.url("models/tiny-gpt2/\(file)").resolvingSymlinksInPath(), to: model.appendingPathComponent(file))
        }
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func run(_ out: String, shard: RunShard? = nil) async throws -> AuditOutcome {
        try await runSmallAudit(set: set, model: model.path, scratch: scratch, out: out, samples: Self.samples, shard: shard)
    }

    private func merge(_ shards: [String], into out: String) async throws -> AuditOutcome {
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        let outcome = try await AuditMerger.merge(
            directories: shards.map { scratch.appendingPathComponent($0) }, outputDirectory: scratch.appendingPathComponent(out),
            locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled(), commandLine: ["biasaudit", "merge"])
        outcome.folderLock?.release()
        return outcome
    }

    private func sha256(_ file: String) throws -> String {
        FileDigests.sha256(of: try Data(contentsOf: model.appendingPathComponent(file)))
    }

    /// Replaces the model's `file` with `data`, returning what it held.
    @discardableResult
    private func replace(_ file: String, with data: Data) throws -> Data {
        let url = model.appendingPathComponent(file)
        let old = try Data(contentsOf: url)
        try data.write(to: url)
        return old
    }

    private func modelFilesKeys(_ out: String) throws -> [String: String] {
        let queue = try DatabaseQueue(path: scratch.appendingPathComponent("\(out)/run.sqlite").path)
        return try queue.read { db in
            var entries: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM fingerprint WHERE key LIKE 'tokenizer and config of %'") {
                entries[row["key"]] = row["value"]
            }
            return entries
        }
    }

    /// Makes the store of `out` one an earlier biasaudit wrote: its fingerprint without the model files.
    private func forgetModelFiles(_ out: String) throws {
        let queue = try DatabaseQueue(path: scratch.appendingPathComponent("\(out)/run.sqlite").path)
        try queue.inDatabase { try $0.execute(sql: "DELETE FROM fingerprint WHERE key LIKE 'tokenizer and config of %'") }
    }

    private func assertRefused(_ out: String, reason expected: String, file: StaticString = #filePath, line: UInt = #line) async {
        if let error = await thrownError(AuditError.self, "resumed with another model file", file: file, line: line, from: {
            _ = try await run(out)
        }) {
            guard case .runMismatch(let path, let reason) = error else {
                return XCTFail("expected runMismatch, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(path, scratch.appendingPathComponent("\(out)/run.sqlite").path, file: file, line: line)
            XCTAssertEqual(reason, expected, file: file, line: line)
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
            XCTAssertTrue(error.description.contains("this run directory belongs to a different run"), file: file, line: line)
        }
    }

    private static let mixed = ": the stored completions were made with another configuration or tokenizer, and would be "
        + "mixed with new ones"

    func testAChangedTokenizerOrConfigurationFileIsRefusedNamingIt() async throws {
        let first = try await run("out")
        let (config, vocab, merges) = (try sha256("config.json"), try sha256("vocab.json"), try sha256("merges.txt"))
        let manifest = try XCTUnwrap(first.result.manifest.models.first)
        XCTAssertEqual(manifest.configSHA256, config)
        XCTAssertEqual(manifest.vocabSHA256, vocab)
        XCTAssertEqual(manifest.mergesSHA256, merges)
        XCTAssertEqual(
            try modelFilesKeys("out"),
            ["tokenizer and config of tiny": "config.json=\(config) merges.txt=\(merges) vocab.json=\(vocab)"])
        // results.json's keys, beside weights_sha256.
        let json = String(decoding: try AuditJSON.encoder().encode(first.result), as: UTF8.self)
        for key in ["\"config_sha256\"", "\"vocab_sha256\"", "\"merges_sha256\"", "\"weights_sha256\""] {
            XCTAssertTrue(json.contains(key), key)
        }

        // The reviewer's edits: merges.txt emptied; config.json's layer_norm_epsilon changed.
        let oldMerges = try replace("merges.txt", with: Data())
        let emptied = FileDigests.sha256(of: Data())
        await assertRefused("out", reason: "model tiny's merges.txt (SHA-256 was \(merges), now \(emptied)) changed" + Self.mixed)
        try replace("merges.txt", with: oldMerges)

        let oldConfig = try Data(contentsOf: model.appendingPathComponent("config.json"))
        let text = String(decoding: oldConfig, as: UTF8.self)
        XCTAssertTrue(text.contains("\"layer_norm_epsilon\": 1e-05"), text)
        try replace("config.json", with: Data(text.replacingOccurrences(of: "\"layer_norm_epsilon\": 1e-05", with: "\"layer_norm_epsilon\": 1e-03").utf8))
        let edited = try sha256("config.json")
        try replace("vocab.json", with: try Data(contentsOf: model.appendingPathComponent("vocab.json")) + Data("\n".utf8))
        let vocabEdited = try sha256("vocab.json")
        await assertRefused(
            "out",
            reason: "model tiny's config.json (SHA-256 was \(config), now \(edited)) and vocab.json (SHA-256 was \(vocab), now "
                + "\(vocabEdited)) changed" + Self.mixed)
        try replace("config.json", with: oldConfig)
        try replace("vocab.json", with: try Data(contentsOf: model.appendingPathComponent("vocab.json")).dropLast())

        let resumed = try await run("out")
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, Self.total, "the same files resume")
        XCTAssertEqual(resumed.result.timing.models?.first?.completions, 0)

        // A results.json of an earlier build (no file digests) describes the same audit, so its reports are kept when
        // the resumed run replaces it; digests that differ do not.
        var older = first.result
        older.manifest.models[0].configSHA256 = nil
        older.manifest.models[0].vocabSHA256 = nil
        older.manifest.models[0].mergesSHA256 = nil
        XCTAssertTrue(older.describesSameAudit(as: resumed.result))
        XCTAssertTrue(resumed.result.describesSameAudit(as: older))
        var other = first.result
        other.manifest.models[0].mergesSHA256 = emptied
        XCTAssertFalse(other.describesSameAudit(as: resumed.result))
    }

    /// A store of an earlier biasaudit has no `tokenizer and config of …` entry: it resumes on the weights alone (it
    /// cannot tell which files made its completions), takes this run's entries, and refuses a later change. Another
    /// difference (the weights) is still refused.
    func testAStoreWrittenBeforeTheFilesWereRecordedResumesOnTheWeightsAndRecordsThem() async throws {
        _ = try await run("legacy")
        let entries = try modelFilesKeys("legacy")
        XCTAssertEqual(entries.count, 1)
        try forgetModelFiles("legacy")
        // Older stores cannot tell: the files changed since are taken as they are now (the note says so).
        let vocab = try sha256("vocab.json")
        let oldVocab = try replace("vocab.json", with: try Data(contentsOf: model.appendingPathComponent("vocab.json")) + Data("\n".utf8))
        let resumed = try await run("legacy")
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, Self.total)
        XCTAssertEqual(try modelFilesKeys("legacy").count, 1, "the store now records the files")
        let now = try sha256("vocab.json")
        try replace("vocab.json", with: oldVocab)
        await assertRefused("legacy", reason: "model tiny's vocab.json (SHA-256 was \(now), now \(vocab)) changed" + Self.mixed)

        // A legacy store whose weights differ is refused as before.
        try forgetModelFiles("legacy")
        var weights = try Data(contentsOf: model.appendingPathComponent("model.safetensors"))
        let oldWeights = try sha256("model.safetensors")
        weights[weights.count - 1] ^= 1
        try replace("model.safetensors", with: weights)
        await assertRefused("legacy", reason: "models was tiny=\(oldWeights), now tiny=\(try sha256("model.safetensors"))")
    }

    /// The store's rule: a key of the new kind is taken only by a store holding none of that kind, and only when
    /// everything else matches; the note names the store and the models.
    func testTheRunStoreTakesNewKindsOfKeysOnlyWhereItHasNone() throws {
        let url = scratch.appendingPathComponent("unit.sqlite")
        let legacy = ["models": "a=1"]
        let store = try RunStore(url: url, fingerprint: legacy)
        try store.insert([RunStore.StoredCompletion(
            model: "a", promptID: "p", sampleIndex: 0, tokenIDs: [1], text: "t", stopReason: "max_new_tokens")])
        let key = AuditRunner.modelFilesKeyPrefix + "a"
        let introduced = AuditRunner.isModelFilesKey
        // Without the rule (merge's inputs, older callers), the new key is a difference.
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: ["models": "a=1", key: "x"]))
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: ["models": "a=2", key: "x"], introduced: introduced)) { error in
            XCTAssertEqual((error as? AuditError)?.exitCode, 65)
            XCTAssertTrue("\(error)".contains("(models was a=1, now a=2)"), "\(error)")
        }
        let adopted = try RunStore(url: url, fingerprint: ["models": "a=1", key: "x"], introduced: introduced)
        XCTAssertEqual(adopted.adoptedKeys, [key])
        let again = try RunStore(url: url, fingerprint: ["models": "a=1", key: "x"], introduced: introduced)
        XCTAssertEqual(again.adoptedKeys, [], "said once")
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: ["models": "a=1", key: "y"], introduced: introduced))
        XCTAssertEqual(
            AuditRunner.adoptionNote([key], store: url.path),
            "\(url.path) was written by an earlier biasaudit, which recorded only the models' weights: whether its stored "
                + "completions were made with the same config.json, vocab.json and merges.txt as now (model a) cannot be "
                + "checked; it resumes on the weights alone, and now records these files, so a later change is refused")
        XCTAssertNil(AuditRunner.adoptionNote([], store: url.path))
    }

    /// `merge` compares the same entries: shards made with different vocab.json are refused naming the file; a shard
    /// of an earlier biasaudit (weights only) merges with one that records them, and the merged store records them.
    func testMergeRefusesShardsOfDifferentTokenizersAndTakesOlderShards() async throws {
        _ = try await run("s1", shard: try RunShard(index: 1, count: 2))
        let vocab = try sha256("vocab.json")
        let oldVocab = try replace("vocab.json", with: try Data(contentsOf: model.appendingPathComponent("vocab.json")) + Data("\n".utf8))
        let other = try sha256("vocab.json")
        _ = try await run("s2", shard: try RunShard(index: 2, count: 2))
        if let error = await thrownError(AuditError.self, "shards of two tokenizers were merged", from: {
            _ = try await merge(["s1", "s2"], into: "merged")
        }) {
            guard case .badInput(let path, let reason) = error else { return XCTFail("expected badInput, got \(error)") }
            XCTAssertEqual(path, scratch.appendingPathComponent("s2").path)
            XCTAssertEqual(
                reason,
                "is not a shard of the same audit as \(scratch.appendingPathComponent("s1").path): model tiny's vocab.json "
                    + "(SHA-256 here \(other), there \(vocab)) differs; its completions were made with another configuration "
                    + "or tokenizer; merge only the shards of one audit (same prompt sets, models and settings)")
        }
        try replace("vocab.json", with: oldVocab)
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("s2"))
        _ = try await run("s2", shard: try RunShard(index: 2, count: 2))
        // Shard 1 as an earlier biasaudit wrote it.
        try forgetModelFiles("s1")
        for order in [["s1", "s2"], ["s2", "s1"]] {
            let merged = try await merge(order, into: "merged-\(order[0])")
            XCTAssertEqual(merged.completions.count, Self.total)
            XCTAssertEqual(try modelFilesKeys("merged-\(order[0])"), try modelFilesKeys("s2"), "\(order)")
        }
        XCTAssertEqual(
            AuditMerger.olderShardsNote(["s1"], of: 2),
            "s1 was written by an earlier biasaudit, which recorded only the models' weights: whether that shard was made "
                + "with the same config.json, vocab.json and merges.txt as the others cannot be checked")
        XCTAssertEqual(
            AuditMerger.olderShardsNote(["s1", "s2"], of: 2),
            "s1, s2 were written by an earlier biasaudit, which recorded only the models' weights: whether the shards were "
                + "made with the same config.json, vocab.json and merges.txt as each other cannot be checked")
        XCTAssertNil(AuditMerger.olderShardsNote(["s1"], of: 1))
        XCTAssertNil(AuditMerger.olderShardsNote([], of: 2))
    }

    /// A practitioner's review: the injected biases' logits read `8.0` in this message only (the fingerprint keeps Swift's
    /// form so that stores resume); they read as typed, and an entry that is no bias as stored.
    func testInjectedBiasesInAFingerprintDifferenceReadAsTyped() {
        XCTAssertEqual(RunStore.plainMismatch("injected_bias", was: "female_dominated: terrible=8.0, muslim: bad=2.5",
                                              now: "(absent)"),
                       "injected_bias was female_dominated: terrible=8, muslim: bad=2.5, now (absent)")
        XCTAssertEqual(RunStore.shownValue("injected_bias", "not a bias"), "not a bias")
        XCTAssertEqual(RunStore.shownValue("sampling", "temperature=1.0"), "temperature=1.0")
    }

    /// A hostile review: a fingerprint value edited to 100,000 characters behind a terminal escape was quoted whole in
    /// "this run directory belongs to a different run" (about 1,800 characters once escaped). Both values are short
    /// escaped excerpts.
    func testAFingerprintDifferenceQuotesShortEscapedExcerpts() throws {
        let stored = "\u{1b}]0;pwned\u{07}" + String(repeating: "x", count: 100_000)
        let words = RunStore.plainMismatch("sampling", was: stored, now: "temperature=1.0 top_k=0 top_p=1.0 seed=0")
        XCTAssertLessThan(words.count, 500, words)
        XCTAssertFalse(words.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 }, words)
        XCTAssertTrue(words.hasPrefix("sampling was \\u{1b}]0;pwned\\u{7}xxx"), words)
        XCTAssertTrue(words.hasSuffix("…, now temperature=1.0 top_k=0 top_p=1.0 seed=0"), words)
        // So does a model's configuration digest (a code review: the explained form quoted it whole).
        let files = try XCTUnwrap(AuditRunner.modelFilesDifference(
            key: AuditRunner.modelFilesKeyPrefix + "m", "config.json=" + stored + " merges.txt=a vocab.json=b",
            "config.json=c merges.txt=a vocab.json=b", first: "was", second: "now"))
        XCTAssertLessThan(files.count, 200, files)
        XCTAssertFalse(files.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 }, files)
        XCTAssertTrue(files.hasSuffix("…, now c)"), files)
    }
}
