import AuditResults
@testable import AuditRun
import Foundation
import GRDB
import Generation
import Hub
import Lexicons
import TestSupport
import XCTest

/// A hostile review: a model whose `ln_f.weight` was scaled by 100 (logits spanning 840 nats) had P(he) of 0 in double
/// precision after 2 of 12 prompts; their log P(he)/P(she) was left out of the metric without a word (and with a scale
/// of 10⁵, the metric left the results). The run now says which prompts, under which model.
final class UndefinedLogOddsTests: XCTestCase {
    private final class Notes: AuditProgress, @unchecked Sendable {
        var lines: [String] = []
        func begin(_ phase: String, total: Int) {}
        func advance(by count: Int) {}
        func end() {}
        func note(_ message: String) { lines.append(message) }
    }

    private static func zeroMaleProbability(in store: URL, prompt: String) throws {
        let queue = try DatabaseQueue(path: store.path)
        try queue.writeWithoutTransaction {
            try $0.execute(sql: "UPDATE next_token SET male_probability = 0 WHERE prompt_id = ?", arguments: [prompt])
        }
        try queue.close()
    }

    func testAPromptWhosePronounProbabilityUnderflowsIsNamedAndLeftOut() async throws {
        let scratch = try Fixtures.temporaryDirectory("undefined-log-odds")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let set = scratch.appendingPathComponent("set.yaml")
        try FileManager.default.copyItem(at: Fixtures.url("audit/small-set.yaml").resolvingSymlinksInPath(), to: set)
        let model = Fixtures.url("models/tiny-gpt2").path
        let first = try await runSmallAudit(set: set, model: model, scratch: scratch, out: "out", samples: 2)
        let prompt = try XCTUnwrap(first.completions.first { $0.nextTokenLogOdds != nil })
        XCTAssertNil(first.completions.first { $0.nextTokenLogOdds == nil }, "every prompt has its log-odds")
        // As a model whose P(he) underflows would have stored it.
        let store = try XCTUnwrap(first.storeURL)
        try Self.zeroMaleProbability(in: store, prompt: prompt.promptId)

        let notes = Notes()
        var configuration = AuditRunConfiguration(
            promptSetFiles: [set], models: [model], samples: 2, maxNewTokens: 3,
            sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 5),
            outputDirectory: scratch.appendingPathComponent("out"), commandLine: ["biasaudit", "run"])
        configuration.shard = nil
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        let resumed = try await AuditRunner(
            configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled(),
            progress: notes
        ).run()
        resumed.folderLock?.release()
        let left = resumed.completions.filter { $0.promptId == prompt.promptId }
        XCTAssertFalse(left.isEmpty)
        XCTAssertTrue(left.allSatisfy { $0.nextTokenLogOdds == nil }, "the undefined log-odds is left out")
        XCTAssertEqual(resumed.completions.filter { $0.nextTokenLogOdds == nil }.count, left.count, "only that prompt's")
        let note = try XCTUnwrap(notes.lines.first { $0.contains("P(he) or P(she)") }, "\(notes.lines)")
        XCTAssertTrue(note.contains("tiny-gpt2: the next-token P(he) or P(she) of 1 prompt ('\(prompt.prompt)') is 0 in "
            + "double precision"), note)
        XCTAssertTrue(note.contains("its log P(he)/P(she) is undefined and left out of that metric"), note)
    }
}
