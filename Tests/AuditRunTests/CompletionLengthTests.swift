import AuditResults
@testable import AuditRun
import Foundation
import TestSupport
import XCTest

/// Hostile review: a vocab.json whose token decodes to 100,000 characters made `run` store a completion of 200,000,
/// which reading the store back refuses, so the same command failed forever blaming "another program". The limit is
/// applied where completions are made, before a batch is stored.
final class CompletionLengthTests: XCTestCase {
    func testACompletionBeyondTheLimitIsRefusedBeforeItIsStored() throws {
        let folder = try Fixtures.temporaryDirectory("completion-length")
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["vocab.json", "merges.txt", "config.json"] {
            try FileManager.default.copyItem(
                at: Fixtures.url("models/tiny-gpt2/\(file)").resolvingSymlinksInPath(),
                to: folder.appendingPathComponent(file))
        }
        // Token 50257 is 100,000 letters.
        let vocabularyURL = folder.appendingPathComponent("vocab.json")
        var vocabulary = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: vocabularyURL)) as? [String: Int])
        vocabulary[String(repeating: "a", count: 100_000)] = 50257
        try JSONSerialization.data(withJSONObject: vocabulary).write(to: vocabularyURL)
        let tokenizer = try ModelLoader.tokenizer(in: folder)

        // At the limit: kept as it is.
        XCTAssertEqual(
            try AuditRunner.completionText(
                decoding: [50257], tokenizer: tokenizer, model: "A", promptID: "religion/1", sampleIndex: 0,
                vocabulary: vocabularyURL).unicodeScalars.count,
            100_000)
        XCTAssertThrowsError(
            try AuditRunner.completionText(
                decoding: [50257, 64, 50257], tokenizer: tokenizer, model: "A", promptID: "religion/1", sampleIndex: 1,
                vocabulary: vocabularyURL)
        ) { error in
            guard let error = error as? AuditError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.exitCode, 65)
            XCTAssertEqual(
                error.description,
                "\(vocabularyURL.path): error: model A's completion of prompt 'religion/1' (sample 1) is 200001 characters long, "
                    + "more than the limit of 100000 (README, \"Limits\"): its token 50257 alone decodes to 100000 characters "
                    + "(GPT-2's tokens decode to at most 128). A run stores no completion beyond that limit, which `merge`, "
                    + "`analyze` and a resumed run refuse; nothing of this batch was stored. Fix the model's vocab.json, or "
                    + "audit another model")
        }
    }
}
