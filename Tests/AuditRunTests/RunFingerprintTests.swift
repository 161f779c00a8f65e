import AuditResults
import AuditRun
import Foundation
import GRDB
import Generation
import Hub
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

    private func run(_ out: String) async throws -> AuditOutcome {
        let configuration = AuditRunConfiguration(
            promptSetFiles: [set], models: [Self.model], samples: Self.samples, maxNewTokens: 3,
            sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 5),
            outputDirectory: scratch.appendingPathComponent(out), commandLine: ["biasaudit", "run"])
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        return try await AuditRunner(
            configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled()
        ).run()
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

    private func assertRefused(_ out: String, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await run(out)
            XCTFail("an edit of the prompts resumed", file: file, line: line)
        } catch let error as AuditError {
            guard case .runMismatch(_, let reason) = error else {
                return XCTFail("expected runMismatch, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(reason.hasPrefix("set small-occupations was "), reason, file: file, line: line)
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
        } catch {
            XCTFail("expected runMismatch, got \(error)", file: file, line: line)
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

        // Generation-relevant edits stay refused: a term, a template, a group id.
        for (old, new) in [("[nurse, secretary, receptionist]", "[nurse, secretary, librarian]"),
                           ("\"The {occupation} said that\"", "\"The {occupation} said\""),
                           ("  male_dominated:\n", "  men_dominated:\n")] {
            try edit(old, new)
            await assertRefused("out")
            try edit(new, old)
        }
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
}
