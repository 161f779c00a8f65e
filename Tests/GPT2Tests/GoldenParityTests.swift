import GPT2
import TestSupport
import XCTest

/// Parity with transformers 5.24.0 on the two committed tiny models (F32 Hugging Face layout,
/// F16 OpenAI layout): logits at every position, and the greedy continuation.
final class GoldenParityTests: XCTestCase {
    /// Logits are of magnitude ~10; F32 reaches this against PyTorch (see Tests/Fixtures/README.md).
    let logitTolerance: Float = 1e-4
    /// Tokens `generate(do_sample=False, max_new_tokens=24)` produced.
    let greedyTokenCount = 24

    func testLastPositionLogitsMatchGolden() throws {
        for directory in GoldenFixture.all {
            let fixture = try GoldenFixture(directory)
            var worst: Float = 0
            for (index, prompt) in fixture.golden.prompts.enumerated() {
                let expected = try fixture.lastLogits(prompt: index)
                let actual = try XCTUnwrap(fixture.model.logits(tokens: prompt.ids).last)
                assertClose(actual, expected, tolerance: logitTolerance, "\(directory) prompt \(index) last logits")
                worst = max(worst, maxAbsoluteDifference(actual, expected).value)
            }
            print("\(directory): last-position logits max |diff| \(worst) (tolerance \(logitTolerance))")
        }
    }

    func testTop50AtEveryPositionMatchesGolden() throws {
        for directory in GoldenFixture.all {
            let fixture = try GoldenFixture(directory)
            var worst: Float = 0
            for (index, prompt) in fixture.golden.prompts.enumerated() {
                let logits = try fixture.model.logits(tokens: prompt.ids)
                XCTAssertEqual(logits.count, prompt.top50PerPosition.count, "\(directory) prompt \(index) positions")
                for (position, top) in zip(logits, prompt.top50PerPosition).map({ $0 }).enumerated() {
                    let (row, golden) = top
                    let label = "\(directory) prompt \(index) position \(position)"
                    assertSameRanking(
                        topIndices(row, count: golden.ids.count), row: row, golden: golden,
                        tolerance: logitTolerance, "\(label): top-50 ids")
                    let mine = golden.ids.map { row[$0] }
                    assertClose(mine, golden.logits, tolerance: logitTolerance, "\(label): top-50 logits")
                    worst = max(worst, maxAbsoluteDifference(mine, golden.logits).value)
                }
            }
            print("\(directory): top-50 logits at every position, max |diff| \(worst) (tolerance \(logitTolerance))")
        }
    }

    /// My top ids must equal the golden's in order, except that ids whose golden logits tie (within
    /// `tolerance`; the goldens hold exact ties, which `torch.topk` orders arbitrarily) may swap.
    private func assertSameRanking(
        _ mine: [Int], row: [Float], golden: GoldenFixture.Golden.Prompt.TopTokens, tolerance: Float,
        _ label: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let goldenLogit = Dictionary(uniqueKeysWithValues: zip(golden.ids, golden.logits))
        let boundary = golden.logits.last ?? 0
        for (k, (id, expectedID)) in zip(mine, golden.ids).enumerated() where id != expectedID {
            let reference = goldenLogit[id] ?? row[id]
            let tiedInGolden = goldenLogit[id] != nil || abs(row[id] - boundary) <= tolerance
            guard tiedInGolden, abs(reference - golden.logits[k]) <= tolerance else {
                XCTFail(
                    "\(label): rank \(k) holds id \(id) (logit \(row[id])) where the golden has id \(expectedID) "
                        + "(logit \(golden.logits[k])); mine \(mine), golden \(golden.ids)", file: file, line: line)
                return
            }
        }
    }

    /// Greedy decoding through prefill + decode with the KV cache. The goldens hold no end-of-text
    /// token (checked below), so running to 24 tokens is exactly what `generate` did.
    func testGreedyContinuationMatchesGolden() throws {
        for directory in GoldenFixture.all {
            let fixture = try GoldenFixture(directory)
            let vocabulary = fixture.configuration.vocabularySize
            for (index, prompt) in fixture.golden.prompts.enumerated() {
                XCTAssertFalse(prompt.greedyNewIDs.contains(50256), "golden continuation holds end-of-text")
                let cache = KVCache(
                    configuration: fixture.configuration, rows: 1, capacity: prompt.ids.count + greedyTokenCount)
                var logits = [Float](repeating: 0, count: vocabulary)
                var generated: [Int] = []
                try logits.withUnsafeMutableBufferPointer { buffer in
                    try fixture.model.prefill(tokens: prompt.ids, row: 0, cache: cache, logitsOut: buffer)
                    while generated.count < greedyTokenCount {
                        let next = argmax(UnsafeBufferPointer(buffer))
                        generated.append(next)
                        if generated.count < greedyTokenCount {
                            try fixture.model.decode(tokens: [next], rows: [0], cache: cache, logitsOut: buffer)
                        }
                    }
                }
                XCTAssertEqual(generated, prompt.greedyNewIDs, "\(directory) prompt \(index) greedy continuation")
            }
        }
    }
}
