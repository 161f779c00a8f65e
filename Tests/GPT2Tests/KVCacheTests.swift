import GPT2
import TestSupport
import XCTest

/// The KV-cache oracle (after llm.c): logits from incremental and batched decoding equal logits
/// from re-running the whole sequence.
final class KVCacheTests: XCTestCase {
    /// Cached and re-run passes sum the same products in a different grouping; this bounds the drift.
    let cacheTolerance: Float = 1e-4
    /// A row computed in a batch and the same row alone run the same arithmetic: `matmul` gives oneDNN a
    /// multiple of 24 rows per call whatever the batch (`matmulRowBlock`), so their logits are the same bits.
    let batchTolerance: Float = 0

    /// Prompt 0 followed by its golden greedy continuation: a sequence the model finds natural.
    private func sequence(_ fixture: GoldenFixture, prompt: Int = 0, extra: Int = 12) -> [Int] {
        let p = fixture.golden.prompts[prompt]
        return p.ids + p.greedyNewIDs.prefix(extra)
    }

    func testIncrementalDecodingMatchesFullRerunAtEveryStep() throws {
        for directory in GoldenFixture.all {
            let fixture = try GoldenFixture(directory)
            let model = fixture.model
            let tokens = sequence(fixture)
            let cache = KVCache(configuration: fixture.configuration, rows: 1, capacity: tokens.count)
            var logits = [Float](repeating: 0, count: fixture.configuration.vocabularySize)
            var worst: Float = 0
            for step in 1...tokens.count {
                try logits.withUnsafeMutableBufferPointer { out in
                    if step == 1 {
                        try model.prefill(tokens: [tokens[0]], row: 0, cache: cache, logitsOut: out)
                    } else {
                        try model.decode(tokens: [tokens[step - 1]], rows: [0], cache: cache, logitsOut: out)
                    }
                }
                XCTAssertEqual(cache.length(row: 0), step)
                let rerun = try XCTUnwrap(model.logits(tokens: Array(tokens.prefix(step))).last)
                assertClose(logits, rerun, tolerance: cacheTolerance, "\(directory) step \(step)")
                worst = max(worst, maxAbsoluteDifference(logits, rerun).value)
            }
            print("\(directory): incremental vs re-run over \(tokens.count) steps, max |diff| \(worst)")
        }
    }

    /// `forEachLogitsRow` hands over, chunk by chunk, exactly the rows `logits(tokens:)` computes from `start` on.
    func testLogitsRowsFromAPositionMatchTheWholeSequencesRows() throws {
        let fixture = try GoldenFixture(GoldenFixture.huggingFace)
        let tokens = sequence(fixture, extra: 40)
        let whole = try fixture.model.logits(tokens: tokens)
        for (start, chunk) in [(0, 32), (3, 5), (tokens.count - 1, 32), (2, 1)] {
            var seen: [Int] = []
            var worst: Float = 0
            try fixture.model.forEachLogitsRow(tokens: tokens, from: start, chunk: chunk) { position, row in
                seen.append(position)
                worst = max(worst, maxAbsoluteDifference(Array(row), whole[position]).value)
            }
            XCTAssertEqual(seen, Array(start..<tokens.count), "start \(start), chunk \(chunk)")
            XCTAssertLessThanOrEqual(worst, cacheTolerance, "start \(start), chunk \(chunk): max |diff| \(worst)")
        }
        XCTAssertThrowsError(try fixture.model.forEachLogitsRow(tokens: tokens, from: tokens.count) { _, _ in })
        XCTAssertThrowsError(
            try fixture.model.forEachLogitsRow(
                tokens: Array(repeating: 1, count: fixture.configuration.contextLength + 1), from: 0) { _, _ in })
    }

    func testPrefillOfPartsMatchesPrefillOfWhole() throws {
        let fixture = try GoldenFixture(GoldenFixture.huggingFace)
        let tokens = sequence(fixture)
        let cache = KVCache(configuration: fixture.configuration, rows: 1, capacity: tokens.count)
        var logits = [Float](repeating: 0, count: fixture.configuration.vocabularySize)
        try logits.withUnsafeMutableBufferPointer { out in
            try fixture.model.prefill(tokens: Array(tokens.prefix(5)), row: 0, cache: cache, logitsOut: out)
            try fixture.model.prefill(tokens: Array(tokens.dropFirst(5)), row: 0, cache: cache, logitsOut: out)
        }
        let whole = try XCTUnwrap(fixture.model.logits(tokens: tokens).last)
        assertClose(logits, whole, tolerance: cacheTolerance, "prefill in two parts")
    }

    /// Several prompts prefilled in one pass give each row the logits, and the cache, of that prompt
    /// prefilled alone (checked by one decode step after the prefill).
    func testBatchedPrefillOfSeveralPromptsMatchesEachPromptAlone() throws {
        for directory in GoldenFixture.all {
            let fixture = try GoldenFixture(directory)
            let model = fixture.model
            let vocabulary = fixture.configuration.vocabularySize
            let prompts = fixture.golden.prompts.map(\.ids)
            let rows = prompts.indices.map { 2 * $0 + 1 }
            let batch = KVCache(configuration: fixture.configuration, rows: 2 * prompts.count, capacity: 40)
            var batchLogits = [Float](repeating: 0, count: prompts.count * vocabulary)
            try batchLogits.withUnsafeMutableBufferPointer { out in
                try model.prefill(prompts: prompts, rows: rows, cache: batch, logitsOut: out)
            }
            let next = prompts.indices.map { fixture.golden.prompts[$0].greedyNewIDs[0] }
            var batchNext = [Float](repeating: 0, count: prompts.count * vocabulary)
            try batchNext.withUnsafeMutableBufferPointer { out in
                try model.decode(tokens: next, rows: rows, cache: batch, logitsOut: out)
            }
            for (i, prompt) in prompts.enumerated() {
                XCTAssertEqual(batch.length(row: rows[i]), prompt.count + 1)
                let alone = KVCache(configuration: fixture.configuration, rows: 1, capacity: 40)
                var logits = [Float](repeating: 0, count: vocabulary)
                try logits.withUnsafeMutableBufferPointer { out in
                    try model.prefill(tokens: prompt, row: 0, cache: alone, logitsOut: out)
                }
                assertClose(
                    Array(batchLogits[(i * vocabulary)..<((i + 1) * vocabulary)]), logits, tolerance: batchTolerance,
                    "\(directory) prompt \(i) prefill")
                try logits.withUnsafeMutableBufferPointer { out in
                    try model.decode(tokens: [next[i]], rows: [0], cache: alone, logitsOut: out)
                }
                assertClose(
                    Array(batchNext[(i * vocabulary)..<((i + 1) * vocabulary)]), logits, tolerance: batchTolerance,
                    "\(directory) prompt \(i) first decode step")
            }
        }
    }

    func testBatchedPrefillRejectsRepeatedRowsAndEmptyPromptsWithoutTouchingTheCache() throws {
        let fixture = try GoldenFixture(GoldenFixture.huggingFace)
        let cache = KVCache(configuration: fixture.configuration, rows: 2, capacity: 8)
        var logits = [Float](repeating: 0, count: 2 * fixture.configuration.vocabularySize)
        try logits.withUnsafeMutableBufferPointer { out in
            XCTAssertThrowsError(try fixture.model.prefill(prompts: [[1, 2], [3]], rows: [1, 1], cache: cache, logitsOut: out))
            XCTAssertThrowsError(try fixture.model.prefill(prompts: [[1, 2], []], rows: [0, 1], cache: cache, logitsOut: out))
            XCTAssertThrowsError(
                try fixture.model.prefill(prompts: [[1, 2], Array(repeating: 1, count: 9)], rows: [0, 1], cache: cache, logitsOut: out)
            ) { error in
                XCTAssertEqual(error as? GPT2Error, .contextFull(row: 1, position: 8, limit: 8))
            }
        }
        XCTAssertEqual(cache.length(row: 0), 0)
        XCTAssertEqual(cache.length(row: 1), 0)
    }

    /// B rows of different lengths decode together; rows drop out at different steps. Each row's
    /// logits must equal those of the same sequence decoded alone in its own cache.
    func testBatchedDecodingOfDifferentLengthsMatchesDecodingAlone() throws {
        for directory in GoldenFixture.all {
            let fixture = try GoldenFixture(directory)
            let model = fixture.model
            let vocabulary = fixture.configuration.vocabularySize
            let prompts = fixture.golden.prompts
            let steps = 8
            let lastStep = [steps, 3, steps, 5]
            let batch = KVCache(configuration: fixture.configuration, rows: prompts.count, capacity: 40)
            let alone = (0..<prompts.count).map { _ in
                KVCache(configuration: fixture.configuration, rows: 1, capacity: 40)
            }
            var batchLogits = [Float](repeating: 0, count: prompts.count * vocabulary)
            var aloneLogits = [Float](repeating: 0, count: vocabulary)
            var worst: Float = 0
            for (row, prompt) in prompts.enumerated() {
                try batchLogits.withUnsafeMutableBufferPointer { out in
                    try model.prefill(tokens: prompt.ids, row: row, cache: batch, logitsOut: out)
                }
                try aloneLogits.withUnsafeMutableBufferPointer { out in
                    try model.prefill(tokens: prompt.ids, row: 0, cache: alone[row], logitsOut: out)
                }
            }
            for step in 0..<steps {
                let rows = prompts.indices.filter { step < lastStep[$0] }
                let tokens = rows.map { prompts[$0].greedyNewIDs[step] }
                try batchLogits.withUnsafeMutableBufferPointer { out in
                    try model.decode(tokens: tokens, rows: rows, cache: batch, logitsOut: out)
                }
                for (i, row) in rows.enumerated() {
                    try aloneLogits.withUnsafeMutableBufferPointer { out in
                        try model.decode(tokens: [tokens[i]], rows: [0], cache: alone[row], logitsOut: out)
                    }
                    let batched = Array(batchLogits[(i * vocabulary)..<((i + 1) * vocabulary)])
                    assertClose(batched, aloneLogits, tolerance: batchTolerance, "\(directory) row \(row) step \(step)")
                    worst = max(worst, maxAbsoluteDifference(batched, aloneLogits).value)
                    XCTAssertEqual(batch.length(row: row), alone[row].length(row: 0))
                }
            }
            print("\(directory): batched vs alone, max |diff| \(worst)")
        }
    }

    func testCopiedRowContinuesLikeTheOriginal() throws {
        let fixture = try GoldenFixture(GoldenFixture.openAIHalf)
        let model = fixture.model
        let vocabulary = fixture.configuration.vocabularySize
        let prompt = fixture.golden.prompts[1].ids
        let cache = KVCache(configuration: fixture.configuration, rows: 3, capacity: prompt.count + 1)
        var logits = [Float](repeating: 0, count: 3 * vocabulary)
        try logits.withUnsafeMutableBufferPointer { out in
            try model.prefill(tokens: prompt, row: 0, cache: cache, logitsOut: out)
            cache.copyRow(0, to: 1)
            cache.copyRow(0, to: 2)
            try model.decode(tokens: [11, 262, 995], rows: [0, 1, 2], cache: cache, logitsOut: out)
        }
        for (i, token) in [11, 262, 995].enumerated() {
            let rerun = try XCTUnwrap(model.logits(tokens: prompt + [token]).last)
            assertClose(
                Array(logits[(i * vocabulary)..<((i + 1) * vocabulary)]), rerun, tolerance: cacheTolerance,
                "copied row \(i)")
        }
    }

    func testDecodePastCapacityThrowsContextFullAndLeavesCacheUnchanged() throws {
        let fixture = try GoldenFixture(GoldenFixture.huggingFace)
        let cache = KVCache(configuration: fixture.configuration, rows: 2, capacity: 3)
        var logits = [Float](repeating: 0, count: 2 * fixture.configuration.vocabularySize)
        try logits.withUnsafeMutableBufferPointer { out in
            try fixture.model.prefill(tokens: [1, 2, 3], row: 0, cache: cache, logitsOut: out)
            XCTAssertThrowsError(try fixture.model.decode(tokens: [5, 4], rows: [1, 0], cache: cache, logitsOut: out)) {
                XCTAssertEqual($0 as? GPT2Error, .contextFull(row: 0, position: 3, limit: 3))
            }
            XCTAssertThrowsError(try fixture.model.prefill(tokens: [1, 2, 3, 4], row: 1, cache: cache, logitsOut: out)) {
                XCTAssertEqual($0 as? GPT2Error, .contextFull(row: 1, position: 3, limit: 3))
            }
            XCTAssertThrowsError(try fixture.model.decode(tokens: [1, 2], rows: [1, 1], cache: cache, logitsOut: out))
            XCTAssertThrowsError(try fixture.model.decode(tokens: [50257], rows: [1], cache: cache, logitsOut: out)) {
                XCTAssertEqual($0 as? GPT2Error, .tokenOutOfRange(id: 50257, vocabularySize: 50257))
            }
        }
        XCTAssertEqual(cache.length(row: 0), 3)
        XCTAssertEqual(cache.length(row: 1), 0)
        XCTAssertThrowsError(try fixture.model.logits(tokens: Array(repeating: 1, count: 129))) {
            XCTAssertEqual($0 as? GPT2Error, .contextFull(row: 0, position: 128, limit: 128))
        }
    }
}
