import AuditResults
import AuditRun
import Foundation
import TestSupport
import XCTest

/// The run store: fingerprint checks, and the bookkeeping a resumed run relies on.
final class RunStoreTests: XCTestCase {
    private var directory: URL!
    private var url: URL { directory.appendingPathComponent("run.sqlite") }
    private let fingerprint = [
        "sampling": "temperature=0.7 top_k=50 top_p=0.9 seed=0",
        "models": "a=1111, b=2222",
        "set jobs": "sha256=abcd samples=4 max_new_tokens=6",
    ]

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("run-store")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func completion(_ model: String, _ prompt: String, _ sample: Int, ids: [Int] = [1, 2]) -> RunStore.StoredCompletion {
        RunStore.StoredCompletion(
            model: model, promptID: prompt, sampleIndex: sample, tokenIDs: ids, text: "text \(prompt) \(sample)",
            stopReason: "max_new_tokens")
    }

    /// Opening a store at `url` with `fingerprint` is refused as another run; `check` reads the reason.
    private func assertMismatch(
        _ url: URL, _ fingerprint: [String: String], file: StaticString = #filePath, line: UInt = #line,
        _ check: (String) -> Void
    ) {
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint), file: file, line: line) { error in
            guard case .runMismatch(_, let reason)? = error as? AuditError else {
                return XCTFail("expected runMismatch, got \(error)", file: file, line: line)
            }
            check(reason)
        }
    }

    func testReopeningWithTheSameFingerprintKeepsTheCompletions() throws {
        do {
            let store = try RunStore(url: url, fingerprint: fingerprint)
            try store.insert([completion("a", "jobs/t/f/nurse", 1, ids: [50256]), completion("a", "jobs/t/f/nurse", 0)])
            try store.insert([RunStore.StoredNextToken(model: "a", promptID: "jobs/t/f/nurse", maleProbability: 0.25, femaleProbability: 0.5)])
        }
        let reopened = try RunStore(url: url, fingerprint: fingerprint)
        XCTAssertEqual(
            try reopened.allCompletions(),
            [completion("a", "jobs/t/f/nurse", 0), completion("a", "jobs/t/f/nurse", 1, ids: [50256])])
        XCTAssertEqual(try reopened.completedNextTokens(model: "a"), ["jobs/t/f/nurse"])
        XCTAssertEqual(
            try reopened.allNextTokens(),
            [RunStore.StoredNextToken(model: "a", promptID: "jobs/t/f/nurse", maleProbability: 0.25, femaleProbability: 0.5)])
    }

    /// A hostile review found a completion's text cut at its first NUL when stored (GPT-2's token 188 decodes to
    /// U+0000): `run` then scored less than `analyze`. The text now reads back byte for byte, NUL or not.
    func testACompletionHoldingNULCharactersReadsBackWhole() throws {
        let texts = ["he said\u{0} that she", "\u{0}", "\u{0}\u{0}é\u{0}", "plain text", ""]
        let stored = texts.enumerated().map { index, text in
            RunStore.StoredCompletion(
                model: "a", promptID: "p", sampleIndex: index, tokenIDs: [188], text: text, stopReason: "max_new_tokens")
        }
        try RunStore(url: url, fingerprint: fingerprint).insert(stored)
        let reopened = try RunStore(url: url, fingerprint: fingerprint)
        XCTAssertEqual(try reopened.allCompletions().map(\.text), texts)
        XCTAssertEqual(try reopened.allCompletions(), stored)
    }

    func testChangedParameterIsAMismatchNamingTheKey() throws {
        // A store that holds a completion is protected (one that holds none is taken over: see below).
        try RunStore(url: url, fingerprint: fingerprint).insert([completion("a", "p1", 0)])
        var changed = fingerprint
        changed["sampling"] = "temperature=0.9 top_k=50 top_p=0.9 seed=0"
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: changed)) { error in
            XCTAssertEqual(
                error as? AuditError,
                .runMismatch(
                    path: url.path,
                    reason: "sampling was temperature=0.7 top_k=50 top_p=0.9 seed=0, now temperature=0.9 top_k=50 top_p=0.9 seed=0"))
            XCTAssertEqual((error as? AuditError)?.exitCode, 65)
        }
    }

    /// Review: a folder made with `--precision bf16` resumed at f32 said "precision was bf16, now (absent)" (the store
    /// records the precision only when it is not f32). Both precisions are named, either way round.
    func testAPrecisionMismatchNamesBothPrecisions() throws {
        var bf16 = fingerprint
        bf16["precision"] = "bf16"
        try RunStore(url: url, fingerprint: bf16).insert([completion("a", "p1", 0)])
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint)) { error in
            XCTAssertEqual((error as? AuditError)?.exitCode, 65)
            guard case .runMismatch(_, let reason)? = error as? AuditError else { return XCTFail("expected runMismatch, got \(error)") }
            XCTAssertEqual(
                reason, "the folder's completions were generated at --precision bf16 and this command asks for --precision "
                    + "f32, which makes the same model's completions differ; give --precision bf16 to resume it")
        }
        let other = directory.appendingPathComponent("f32.sqlite")
        try RunStore(url: other, fingerprint: fingerprint).insert([completion("a", "p1", 0)])
        assertMismatch(other, bf16) { reason in
            XCTAssertTrue(reason.hasPrefix("the folder's completions were generated at --precision f32 and this command asks "
                + "for --precision bf16"), reason)
            XCTAssertFalse(reason.contains("absent"), reason)
        }
    }

    func testAddedAndChangedKeysAreCounted() throws {
        try RunStore(url: url, fingerprint: fingerprint).insert([completion("a", "p1", 0)])
        var changed = fingerprint
        changed["models"] = "a=1111"
        changed["set names"] = "sha256=ef01 samples=4 max_new_tokens=6"
        assertMismatch(url, changed) { reason in
            // The other keys are named, not counted ("and 1 more" read as one more model: practitioner's review).
            // A key on one side only says so (a student's review: a model's files "differed" where the model was left
            // out of the command).
            XCTAssertEqual(reason, "models was a=1111, b=2222, now a=1111; also differs: set names (only in this run)")
        }
        var dropped = fingerprint
        dropped["models"] = "a=1111"
        dropped["sampling"] = nil
        assertMismatch(url, dropped) { reason in
            XCTAssertEqual(reason, "models was a=1111, b=2222, now a=1111; also differs: sampling (only in the stored run)")
        }
        // Two sets whose samples changed alike: the second says "the same way" (a teacher's review: "also differs: set
        // religion" read as some other, unsaid difference); a set whose prompts changed too does not.
        let twoSets = fingerprint.merging(["set jobs": "prompts=abcd samples=4 max_new_tokens=6",
                                           "set pets": "prompts=ef01 samples=4 max_new_tokens=6"]) { $1 }
        let sets = directory.appendingPathComponent("sets.sqlite")
        try RunStore(url: sets, fingerprint: twoSets).insert([completion("a", "p1", 0)])
        var moreSamples = twoSets
        moreSamples["set jobs"] = "prompts=abcd samples=6 max_new_tokens=6"
        moreSamples["set pets"] = "prompts=ef01 samples=6 max_new_tokens=6"
        assertMismatch(sets, moreSamples) { reason in
            XCTAssertTrue(reason.hasSuffix("; also differs: set pets (the same way)"), reason)
        }
        moreSamples["set pets"] = "prompts=9999 samples=6 max_new_tokens=6"
        assertMismatch(sets, moreSamples) { reason in
            XCTAssertTrue(reason.hasSuffix("; also differs: set pets (its prompts changed; samples=4 max_new_tokens=6, now "
                + "samples=6 max_new_tokens=6)"), reason)
        }
        // The first difference another kind (sampling): each set says how it differs (a code review: listed bare).
        var sampling = twoSets
        sampling["sampling"] = "temperature=0.9 top_k=50 top_p=0.9 seed=0"
        sampling["set jobs"] = "prompts=abcd samples=6 max_new_tokens=6"
        assertMismatch(sets, sampling) { reason in
            XCTAssertTrue(reason.hasSuffix("; also differs: set jobs (samples=4 max_new_tokens=6, now samples=6 "
                + "max_new_tokens=6)"), reason)
        }
        var fewer = fingerprint
        fewer["set jobs"] = nil
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fewer)) { error in
            XCTAssertEqual(
                error as? AuditError,
                .runMismatch(path: url.path, reason: "the folder's run audited prompt set 'jobs', which this command does not"))
        }
    }

    /// Review: a run that failed while loading a damaged model had already made its store and fingerprinted the broken
    /// weights; with the file repaired, the same command was refused as "a different run". A store that holds no
    /// completion and no next-token record takes the new run's fingerprint (and says how the old one differed); one
    /// that holds a single result of either kind is refused as before.
    func testAStoreWithoutResultsTakesTheNewFingerprint() throws {
        let first = try RunStore(url: url, fingerprint: fingerprint)
        XCTAssertNil(first.replacedFingerprint, "a new store replaces nothing")
        var repaired = fingerprint
        repaired["models"] = "a=1111, b=3333"
        let taken = try RunStore(url: url, fingerprint: repaired)
        XCTAssertEqual(taken.replacedFingerprint, "models was a=1111, b=2222, now a=1111, b=3333")
        XCTAssertNil(try RunStore(url: url, fingerprint: repaired).replacedFingerprint, "it now records the new run")
        // Once it holds a completion, the old fingerprint is protected again.
        try taken.insert([completion("a", "p1", 0)])
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint)) { error in
            XCTAssertEqual(
                error as? AuditError, .runMismatch(path: url.path, reason: "models was a=1111, b=3333, now a=1111, b=2222"))
        }
        // A next-token record alone protects it too.
        let other = directory.appendingPathComponent("next-token.sqlite")
        try RunStore(url: other, fingerprint: fingerprint).insert(
            [RunStore.StoredNextToken(model: "a", promptID: "p1", maleProbability: 0.25, femaleProbability: 0.5)])
        XCTAssertThrowsError(try RunStore(url: other, fingerprint: repaired)) { error in
            guard case .runMismatch? = error as? AuditError else { return XCTFail("expected runMismatch, got \(error)") }
        }
    }

    func testBookkeepingOfCompletedSamples() throws {
        let store = try RunStore(url: url, fingerprint: fingerprint)
        try store.insert([completion("a", "p1", 0), completion("a", "p1", 2), completion("a", "p2", 1), completion("b", "p1", 3)])
        XCTAssertEqual(try store.completedSamples(model: "a"), ["p1": [0, 2], "p2": [1]])
        XCTAssertEqual(try store.completedSamples(model: "b"), ["p1": [3]])
        XCTAssertEqual(try store.completedSamples(model: "c"), [:])

        // A batch re-generated after a crash between generation and commit replaces, never duplicates.
        try store.insert([completion("a", "p1", 0, ids: [7, 8, 9])])
        let stored = try store.allCompletions()
        XCTAssertEqual(stored.count, 4)
        XCTAssertEqual(stored.first, completion("a", "p1", 0, ids: [7, 8, 9]))
        XCTAssertEqual(stored.map { "\($0.model) \($0.promptID) \($0.sampleIndex)" }, ["a p1 0", "a p1 2", "a p2 1", "b p1 3"])
    }

    /// Not a database: bad input (65) naming the file, with the fix; never the advice to delete a run store,
    /// which may hold a resumable run.
    func testDamagedStoreIsBadInputNamingTheFile() throws {
        try Data(repeating: 0x41, count: 4096).write(to: url)
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint)) { error in
            guard case .badInput(let path, let reason)? = error as? AuditError else {
                return XCTFail("expected bad input, got \(error)")
            }
            XCTAssertEqual(path, url.path)
            XCTAssertTrue(reason.contains("not an intact run store"), reason)
            // Moving the store alone led to a second refusal (a folder of results without one: a hostile review).
            XCTAssertTrue(reason.contains("run again with another --out (or move the whole folder away)"), reason)
            XCTAssertFalse(reason.contains("delete"), reason)
            XCTAssertFalse(reason.contains("biasaudit analyze"), "no completions.jsonl beside it: \(reason)")
        }
        // With the folder's completions.jsonl beside it, `analyze DIR` is named: it still reads them.
        try Data("{}\n".utf8).write(to: url.deletingLastPathComponent().appendingPathComponent("completions.jsonl"))
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint)) { error in
            guard case .badInput(_, let reason)? = error as? AuditError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("completions.jsonl is still read by `biasaudit analyze "), reason)
        }
    }
}
