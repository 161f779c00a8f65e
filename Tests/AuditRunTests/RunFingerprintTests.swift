import AuditAnalysis
import AuditResults
import AuditRun
import Foundation
import GRDB
import Generation
import Hub
import PromptSets
import TestSupport
import XCTest

/// Review after issues 15 and 17: the run store's fingerprint covers what generation depends on, not the
/// prompt-set file's bytes, so a label-only edit resumes (with the new labels in the results) while an edit
/// that changes the prompts is still refused; stores written with the file's SHA-256 still resume.
final class RunFingerprintTests: XCTestCase {
    private static let model = Fixtures.url("models/tiny-gpt2").path
    private static let samples = 2
    /// 2 templates × 2 groups × 3 terms × 2 samples.
    private static let total = 12 * samples

    private var scratch: URL!
    private var set: URL { scratch.appendingPathComponent("set.yaml") }

    override func setUpWithError() throws {
        scratch = try Fixtures.temporaryDirectory("run-fingerprint")
        try FileManager.default.copyItem(at: Fixtures.url("audit/small-set.yaml").resolvingSymlinksInPath(), to: set)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func run(_ out: String, shard: RunShard? = nil) async throws -> AuditOutcome {
        try await runSmallAudit(set: set, model: Self.model, scratch: scratch, out: out, samples: Self.samples, shard: shard)
    }

    /// Replaces `old` with `new` in the set file (exactly once).
    private func edit(_ old: String, _ new: String) throws {
        let text = try String(contentsOf: set, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: old).count, 2, "'\(old)' occurs once in the set")
        try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: set)
    }

    private func editLabels() throws {
        try edit("    label: Female-dominated occupations\n",
                 "    label: Women-dominated occupations\n    labels: {es: Ocupaciones feminizadas}\n")
    }

    private func storedFingerprint(_ out: String) throws -> String? {
        let queue = try DatabaseQueue(path: scratch.appendingPathComponent("\(out)/run.sqlite").path)
        return try queue.read { try String.fetchOne($0, sql: "SELECT value FROM fingerprint WHERE key = 'set small-occupations'") }
    }

    /// Runs into `out` and checks the run is refused (65) with a reason that starts with `expected`.
    private func assertRefused(
        _ out: String, _ expected: String = "set small-occupations", file: StaticString = #filePath, line: UInt = #line
    ) async {
        if let error = await thrownError(AuditError.self, "an edit of the prompts resumed", file: file, line: line, from: {
            _ = try await run(out)
        }) {
            guard case .runMismatch(_, let reason) = error else {
                return XCTFail("expected runMismatch, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(reason.hasPrefix(expected), "expected '\(expected)…', got '\(reason)'", file: file, line: line)
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
        }
    }

    func testALabelOnlyEditResumesWithTheNewLabelsAndAPromptEditIsRefused() async throws {
        let first = try await run("out")
        try editLabels()
        let resumed = try await run("out")
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, Self.total, "every completion was reused")
        XCTAssertEqual(resumed.result.timing.models?.first?.completions, 0, "nothing was generated again")
        XCTAssertEqual(resumed.completions.map(\.text), first.completions.map(\.text))
        let group = try XCTUnwrap(resumed.result.promptSets.first?.groups.first { $0.id == "female_dominated" })
        XCTAssertEqual(group.label, "Women-dominated occupations")
        XCTAssertEqual(group.labels, ["es": "Ocupaciones feminizadas"])
        XCTAssertNotEqual(resumed.result.manifest.promptSets.first?.sha256, first.result.manifest.promptSets.first?.sha256,
                          "the manifest records the edited file")

        // Generation-relevant edits stay refused: a term, a template, a group id, the order of the groups. The
        // reason names the first prompt of the run store that the file no longer has (review of the integrate
        // branch: it gave two SHA-256 digests of the prompts, which say nothing about what changed).
        let path = set.path
        let groups = ("  female_dominated:\n    label: Women-dominated occupations\n    labels: {es: Ocupaciones feminizadas}\n"
                        + "    terms: [nurse, secretary, receptionist]\n",
                      "  male_dominated:\n    label: Male-dominated occupations\n    terms: [carpenter, electrician, plumber]\n")
        for (old, new, expected) in [
            ("[nurse, secretary, receptionist]", "[nurse, secretary, librarian]",
             "set small-occupations: prompt 'The receptionist said that' (group female_dominated) of the run store is not in "
                + "\(path) now (a template, term or group changed)"),
            ("\"The {occupation} said that\"", "\"The {occupation} said\"",
             "set small-occupations: prompt 'The nurse said that' (group female_dominated) of the run store is not in \(path) now"),
            ("  male_dominated:\n", "  men_dominated:\n",
             "set small-occupations: prompt 'The carpenter said that' (group male_dominated) of the run store is not in \(path) now"),
            (groups.0 + groups.1, groups.1 + groups.0, "set small-occupations: the same prompts in another order"),
        ] {
            try edit(old, new)
            await assertRefused("out", expected)
            try edit(new, old)
        }
        let extra = "  extra:\n    label: Extra\n    terms: [a, b, c]\n"
        try edit("[carpenter, electrician, plumber]\n", "[carpenter, electrician, plumber]\n" + extra)
        await assertRefused("out", "set small-occupations: prompt 'The a said that' (group extra) of \(path) is not in the run store")
        try edit(extra, "")
        _ = try await run("out")
    }

    /// A store written before this change holds `sha256=<file bytes> samples=… max_new_tokens=…`: it resumes with
    /// the unchanged file and after a label-only edit (compared through the bytes the store recorded), and its
    /// entry is rewritten in the current form; an edit of the prompts is still refused.
    func testAStoreWithTheFileDigestFingerprintStillResumes() async throws {
        _ = try await run("legacy")
        let current = try XCTUnwrap(try storedFingerprint("legacy"))
        XCTAssertTrue(current.hasPrefix("prompts="), current)
        let store = scratch.appendingPathComponent("legacy/run.sqlite").path
        /// The entry an older biasaudit wrote for the set file as it is now.
        func writeLegacy() throws {
            let digest = FileDigests.sha256(of: try Data(contentsOf: set))
            let legacy = "sha256=\(digest) samples=\(Self.samples) max_new_tokens=3"
            try DatabaseQueue(path: store).write {
                try $0.execute(sql: "UPDATE fingerprint SET value = ? WHERE key = 'set small-occupations'", arguments: [legacy])
            }
        }
        try writeLegacy()
        let same = try await run("legacy")
        XCTAssertEqual(same.result.timing.models?.first?.storedBefore, Self.total)
        XCTAssertEqual(try storedFingerprint("legacy"), current, "the entry is rewritten in the current form")

        try writeLegacy()
        try editLabels()
        let relabelled = try await run("legacy")
        XCTAssertEqual(relabelled.result.timing.models?.first?.storedBefore, Self.total)
        XCTAssertEqual(relabelled.result.promptSets.first?.groups.first?.labels, ["es": "Ocupaciones feminizadas"])
        XCTAssertEqual(try storedFingerprint("legacy"), current)

        // The legacy entry names the bytes the store recorded (the relabelled file); a changed term makes a set
        // whose prompts differ from those bytes': refused.
        try writeLegacy()
        try edit("[nurse, secretary, receptionist]", "[nurse, secretary, librarian]")
        await assertRefused("legacy")
    }

    private func merge(_ shards: [String], into out: String) async throws -> AuditOutcome {
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        return try await AuditMerger.merge(
            directories: shards.map { scratch.appendingPathComponent($0) }, outputDirectory: scratch.appendingPathComponent(out),
            locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled(), commandLine: ["biasaudit", "merge"])
    }

    /// Review of the integrate branch: shards whose files differ only in labels have equal fingerprints, and
    /// merge took the first folder's file, so the merged labels depended on the order of the folders. Such
    /// shards are refused (65, naming the shard and the set); run again with the edited file, the shard resumes
    /// without generating and the merge has the edited labels in either order.
    func testShardsThatReadDifferentLabelsAreRefusedUntilTheyReadOneFile() async throws {
        let original = try Data(contentsOf: set)
        _ = try await run("s1", shard: try RunShard(index: 1, count: 2))
        try editLabels()
        _ = try await run("s2", shard: try RunShard(index: 2, count: 2))
        for order in [["s1", "s2"], ["s2", "s1"]] {
            if let error = await thrownError(AuditError.self, "shards of two files were merged (\(order))", from: {
                _ = try await merge(order, into: "merged-\(order[0])")
            }) {
                guard case .badInput(let path, let reason) = error else { return XCTFail("expected badInput, got \(error)") }
                XCTAssertEqual(path, scratch.appendingPathComponent(order[1]).path)
                XCTAssertTrue(reason.hasPrefix("read prompt set 'small-occupations' from another file than "
                                               + scratch.appendingPathComponent(order[0]).path), reason)
                XCTAssertEqual(error.exitCode, 65)
            }
        }
        let again = try await run("s1", shard: try RunShard(index: 1, count: 2))
        XCTAssertEqual(again.result.timing.models?.first?.completions, 0, "the label-only edit resumed shard 1")
        for order in [["s1", "s2"], ["s2", "s1"]] {
            let merged = try await merge(order, into: "merged-\(order[0])-again")
            XCTAssertEqual(merged.result.promptSets.first?.groups.first?.label, "Women-dominated occupations", "\(order)")
            XCTAssertEqual(merged.completions.count, Self.total)
        }
        XCTAssertNotEqual(try Data(contentsOf: set), original)
    }

    /// `merge` takes a shared lock on each shard folder: a shard that a `run --shard` is still writing (which
    /// holds the folder's exclusive lock) is refused, not read half-made; two merges of the same shards share
    /// the folders; and a shard run is refused while a merge reads its folder.
    func testAShardStillBeingWrittenIsNotMerged() async throws {
        let shard = try RunShard(index: 1, count: 2)
        _ = try await run("w1", shard: shard)
        _ = try await run("w2", shard: try RunShard(index: 2, count: 2))
        let writing = try XCTUnwrap(try OutputFolderLock.acquire(scratch.appendingPathComponent("w1"), option: "--out"))
        if let error = await thrownError(AuditError.self, "a shard that is being written was merged", from: {
            _ = try await merge(["w1", "w2"], into: "merged-while-writing")
        }) {
            guard case .io(let path, let reason) = error else { return XCTFail("expected io, got \(error)") }
            XCTAssertEqual(path, scratch.appendingPathComponent("w1").path)
            XCTAssertTrue(reason.hasPrefix("another biasaudit command is writing to this folder (a `run --shard` still "
                                           + "generating it?)"), reason)
            XCTAssertEqual(error.exitCode, 74)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("merged-while-writing").path),
                       "nothing is made before the shards are read")
        writing.release()
        let reading = try XCTUnwrap(try OutputFolderLock.acquireForReading(scratch.appendingPathComponent("w1")))
        let merged = try await merge(["w1", "w2"], into: "merged-beside-a-reader")
        merged.folderLock?.release()
        XCTAssertEqual(merged.completions.count, Self.total, "a second reader shares the shard folders")
        if let error = await thrownError(AuditError.self, "a shard run started while a merge read its folder", from: {
            _ = try await run("w1", shard: shard)
        }) {
            XCTAssertEqual(error.exitCode, 74, "\(error)")
        }
        reading.release()
    }

    /// Review of the integrate branch: a prompt's text may hold any character (a quoted YAML term "\\x1F"
    /// loads), so separating the fields with U+001F and the prompts with U+001E let one fixed prompt read as
    /// two: these sets would share a digest, and a run of one would resume with the completions of the other.
    func testTextHoldingTheOldSeparatorsCannotImitateAnotherSet() {
        func prompt(_ id: String, _ text: String) -> Prompt {
            Prompt(id: id, set: "s", templateID: id, templateIndex: nil, template: nil, group: "g", term: nil,
                   womenShare: nil, text: text)
        }
        func set(_ prompts: [Prompt]) -> PromptSet {
            PromptSet(name: "s", description: "", axis: "gender", source: "", templates: [],
                      groups: [PromptGroup(id: "g", label: "g", terms: nil, prompts: prompts.map(\.text))], defaults: nil,
                      metrics: [], prompts: prompts)
        }
        let one = set([prompt("s/1/g", "a\u{1F}g\u{1F}s/fixed-prompts\u{1E}s/2/g\u{1F}b")])
        let two = set([prompt("s/1/g", "a"), prompt("s/2/g", "b")])
        XCTAssertNotEqual(PromptSetFile.generationDigest(of: one), PromptSetFile.generationDigest(of: two))
        XCTAssertEqual(PromptSetFile.generationDigest(of: two), PromptSetFile.generationDigest(of: set(two.prompts)))
    }
}
