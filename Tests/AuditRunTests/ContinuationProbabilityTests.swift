import AuditRun
import Foundation
import GPT2
import SafeTensors
import TestSupport
import XCTest

/// P(a multi-token `--token` text | prompt) from one forward pass over the prompt and the text: a hostile review found
/// `next-token` building one prompt per prefix of the text (quadratic: 9.8 GB for 100,000 characters) before refusing it.
final class ContinuationProbabilityTests: XCTestCase {
    /// One pass and a pass per prefix sum the same products in a different grouping.
    private let tolerance = 1e-3

    private func tinyModel() throws -> GPT2Model {
        let directory = "models/tiny-gpt2"
        let configuration = try GPT2Configuration(jsonData: Fixtures.data("\(directory)/config.json"))
        return try GPT2Model(
            configuration: configuration, tensors: SafeTensorsFile(contentsOf: Fixtures.url("\(directory)/model.safetensors")))
    }

    /// Σ log P(text[i] | prompt + text[..<i]) for i ≥ 1, one forward pass per prefix (what next-token did).
    private func perPrefix(_ model: GPT2Model, prompt: [Int], text: [Int]) throws -> Double {
        try (1..<text.count).reduce(0.0) { total, i in
            let row = try NextTokenProbabilities.lastLogits(model: model, promptIDs: prompt + text[..<i])
            return total + row.withUnsafeBufferPointer { NextTokenProbabilities.logSoftmax($0, text[i]) }
        }
    }

    func testOnePassGivesWhatAPassPerPrefixGives() throws {
        let model = try tinyModel()
        let prompt = [464, 18457, 6807]
        // 41 tokens: more than one 32-row chunk of the LM head.
        let text = (0..<41).map { ($0 * 7919 + 13) % 50_000 }
        for length in [2, 3, 33, 34, 41] {
            let expected = try perPrefix(model, prompt: prompt, text: Array(text.prefix(length)))
            let actual = try NextTokenProbabilities.continuationLogProbability(
                model: model, promptIDs: prompt, continuation: Array(text.prefix(length)))
            XCTAssertEqual(actual, expected, accuracy: tolerance, "\(length) tokens: |diff| \(abs(actual - expected))")
        }
        XCTAssertEqual(try NextTokenProbabilities.continuationLogProbability(model: model, promptIDs: prompt, continuation: [5]), 0)
    }

    func testATextThatCannotFitIsRefusedBeforeAnyForwardPass() throws {
        let model = try tinyModel()
        let context = model.configuration.contextLength
        let prompt = [464, 18457, 6807]
        // The prompt and all but the text's last token fill the context exactly: scored.
        let fitting = Array(repeating: 89, count: context - prompt.count + 1)
        XCTAssertTrue(NextTokenProbabilities.continuationFits(promptCount: prompt.count, textCount: fitting.count, contextLength: context))
        XCTAssertNoThrow(try NextTokenProbabilities.continuationLogProbability(model: model, promptIDs: prompt, continuation: fitting))
        // One token more, or a text many times the context: refused as contextFull, whatever its length.
        for count in [fitting.count + 1, 50 * context] {
            XCTAssertFalse(NextTokenProbabilities.continuationFits(promptCount: prompt.count, textCount: count, contextLength: context))
            XCTAssertThrowsError(
                try NextTokenProbabilities.continuationLogProbability(
                    model: model, promptIDs: prompt, continuation: Array(repeating: 89, count: count))
            ) { error in
                guard case GPT2Error.contextFull = error else { return XCTFail("\(count) tokens: \(error)") }
            }
        }
    }
}
