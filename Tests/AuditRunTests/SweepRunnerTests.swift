import AuditAnalysis
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import GRDB
import Generation
import Hub
import TestSupport
import XCTest

/// `run --sweep` in the runner: a sweep interrupted between settings resumes without generating any
/// stored completion again, to the files of an uninterrupted sweep; the store keeps each setting's
/// completions apart and shares the next-token records.
final class SweepRunnerTests: XCTestCase {
    private static let models = [Fixtures.url("models/tiny-gpt2").path, Fixtures.url("models/tiny-gpt2-openai-f16").path]
    private static let samples = 3
    /// 2 templates × 2 groups × 3 terms.
    private static let prompts = 12
    private static let settings = 2
    /// One model's completions at one setting.
    private static let perSetting = prompts * samples

    private static var scratch: URL?

    override class func tearDown() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
        scratch = nil
        super.tearDown()
    }

    private static func scratchDirectory() throws -> URL {
        if let scratch { return scratch }
        let directory = try Fixtures.temporaryDirectory("sweep-runner")
        scratch = directory
        return directory
    }

    private static func runner(
        out: URL, progress: AuditProgress? = nil, cancellation: CancellationFlag = CancellationFlag()
    ) throws -> AuditRunner {
        let configuration = AuditRunConfiguration(
            promptSetFiles: [Fixtures.url("audit/small-set.yaml")], models: models, samples: samples, maxNewTokens: 5,
            sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 11), outputDirectory: out,
            commandLine: ["biasaudit", "run"], sweeps: [try SamplingSweep(parsing: "top_p=0.5,1")])
        let hub = HubConfiguration(cacheDirectory: try scratchDirectory().appendingPathComponent("hub"), offline: true)
        return AuditRunner(
            configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled(),
            progress: progress, cancellation: cancellation)
    }

    /// Every stored completion row, keyed by its model column, prompt and sample index.
    private func storedRows(in directory: URL) throws -> [String: String] {
        let url = directory.appendingPathComponent(AuditRunner.FileName.store)
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: url.path, configuration: configuration).read { db in
            var rows: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT model, prompt_id, sample_index, token_ids FROM completion") {
                let model: String = row["model"]
                let prompt: String = row["prompt_id"]
                let sample: Int = row["sample_index"]
                rows["\(model)|\(prompt)|\(sample)"] = row["token_ids"]
            }
            return rows
        }
    }

    func testInterruptedSweepResumesWithoutRegeneratingStoredCompletions() async throws {
        let reference = try Self.scratchDirectory().appendingPathComponent("reference")
        let referenceOutcome = try await Self.runner(out: reference).run()
        try ReportWriter.write(referenceOutcome, formats: [.json], templates: nil)
        let referenceRows = try storedRows(in: reference)
        XCTAssertEqual(referenceRows.count, Self.models.count * Self.settings * Self.perSetting, "every setting's completions are stored")
        XCTAssertEqual(
            Set(referenceRows.keys.map { $0.split(separator: "|")[0] }).count, Self.models.count * Self.settings,
            "each model × setting has its own key in the store")

        // Stop when the first model's second setting begins: its first setting is stored.
        let out = try Self.scratchDirectory().appendingPathComponent("interrupted")
        let cancellation = CancellationFlag()
        let progress = RecordingProgress(onBegin: { phase in
            if phase.hasPrefix("temperature 0.7 · top-k 50 · top-p off — ") { cancellation.cancel() }
        })
        if let error = await thrownError(AuditError.self, "the sweep should have stopped", from: {
            _ = try await Self.runner(out: out, progress: progress, cancellation: cancellation).run()
        }) {
            XCTAssertEqual(error, .interrupted(directory: out.path))
        }
        let stored = try storedRows(in: out)
        XCTAssertEqual(stored.count, Self.perSetting, "the first model's first setting is stored: \(progress.phases)")
        XCTAssertTrue(
            progress.phases.contains { $0.phase == "temperature 0.7 · top-k 50 · top-p 0.5 — tiny-gpt2 [1/2]: completions" },
            "progress names the setting: \(progress.phases)")

        let resumeProgress = RecordingProgress()
        let outcome = try await Self.runner(out: out, progress: resumeProgress).run()
        try ReportWriter.write(outcome, formats: [.json], templates: nil)
        let completionPhases = resumeProgress.phases.filter { $0.phase.hasSuffix("completions") }
        XCTAssertEqual(
            completionPhases.map(\.total), [Self.perSetting, Self.perSetting, Self.perSetting],
            "only the three missing model × setting blocks are generated: \(resumeProgress.phases)")
        XCTAssertFalse(
            completionPhases.contains { $0.phase.hasPrefix("temperature 0.7 · top-k 50 · top-p 0.5 — tiny-gpt2 [1/2]") },
            "the stored setting is not generated again")
        XCTAssertEqual(
            resumeProgress.phases.filter { $0.phase.hasSuffix("next-token probabilities") }.map(\.total), [Self.prompts],
            "next-token records are shared by the settings: only the second model's are computed")
        // The resumed setting says what was stored, with its setting (a code review: the line was alike for every one).
        XCTAssertTrue(resumeProgress.notes.contains(
            "temperature 0.7 · top-k 50 · top-p 0.5 — tiny-gpt2 [1/2]: \(Self.perSetting) of \(Self.perSetting) completions were "
                + "stored by an earlier run of this command; none left to generate"), "\(resumeProgress.notes)")
        let resumedRows = try storedRows(in: out)
        for (key, tokens) in stored {
            XCTAssertEqual(resumedRows[key], tokens, "a stored completion changed on resume: \(key)")
        }
        XCTAssertEqual(resumedRows, referenceRows, "the resumed store equals an uninterrupted sweep's")

        let resumed = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
        let uninterrupted = try AuditJSON.loadResult(at: reference.appendingPathComponent("results.json"))
        XCTAssertEqual(resumed.sweep, uninterrupted.sweep, "the sweep sections agree")
        XCTAssertEqual(resumed.promptSets, uninterrupted.promptSets)
        XCTAssertEqual(outcome.completions.count, Self.models.count * Self.perSetting, "completions.jsonl holds the base setting")
    }
}

/// Records the phases a run announces, optionally acting when one begins.
private final class RecordingProgress: AuditProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(phase: String, total: Int)] = []
    private let onBegin: (String) -> Void

    init(onBegin: @escaping (String) -> Void = { _ in }) {
        self.onBegin = onBegin
    }

    var phases: [(phase: String, total: Int)] { lock.withLock { recorded } }
    private var recordedNotes: [String] = []
    var notes: [String] { lock.withLock { recordedNotes } }

    func begin(_ phase: String, total: Int) {
        lock.withLock { recorded.append((phase, total)) }
        onBegin(phase)
    }

    func advance(by count: Int) {}
    func end() {}
    func note(_ message: String) { lock.withLock { recordedNotes.append(message) } }
}
