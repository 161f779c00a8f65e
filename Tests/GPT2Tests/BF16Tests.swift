@testable import GPT2
import TestSupport
import XCTest

/// The bf16 path (`GPT2Precision.bf16`) against references: the conversion against its scalar oracle,
/// each bf16 product against a naive product of the same bf16-rounded operands, and the KV-cache oracle.
final class BF16Tests: XCTestCase {
    /// A product of bf16-rounded operands accumulated in Float32 (oneDNN, blocked) vs in Double (naive):
    /// inputs O(1), up to 300 terms.
    let productTolerance: Float = 2e-4
    /// Incremental decoding vs the whole sequence in one pass, both bf16: the products see different row
    /// counts (different primitives) but the same operands.
    let cacheOracleTolerance: Float = 1e-4

    override func setUpWithError() throws {
        try XCTSkipUnless(GPT2Precision.bf16Support.supported, "this CPU has no native bf16 instructions")
    }

    /// Deterministic values in [-1, 1).
    private func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(((($0 + 1) * 7919 + seed * 104_729) % 2000)) / 1000 - 1 }
    }

    private func rounded(_ values: [Float]) -> [Float] {
        values.map { Float(bitPattern: UInt32(bfloat16Bits($0)) << 16) }
    }

    func testVectorRoundingEqualsScalarRoundingIncludingTiesInfinitiesAndNaN() {
        var inputs = values(1000, seed: 5).map { $0 * 1e3 }
        inputs += [
            0, -0, 1, Float(bitPattern: 0x3F80_8000), Float(bitPattern: 0x3F81_8000), Float(bitPattern: 0x3F80_8001),
            .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -1.00390625,
        ]
        var fast = [UInt16](repeating: 0, count: inputs.count)
        var naive = fast
        roundToBFloat16(out: &fast, inp: inputs, count: inputs.count)
        roundToBFloat16Naive(out: &naive, inp: inputs, count: inputs.count)
        let mismatches = inputs.indices.filter { fast[$0] != naive[$0] }
        XCTAssertTrue(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5).map { "\(inputs[$0]): \(fast[$0]) vs \(naive[$0])" })")
        // Ties go to even: 1 + 2⁻⁸ rounds down to 1, 1 + 3·2⁻⁸ up to 1 + 2⁻⁶; just above a tie rounds up.
        XCTAssertEqual(naive[inputs.count - 9], 0x3F80)
        XCTAssertEqual(naive[inputs.count - 8], 0x3F82)
        XCTAssertEqual(naive[inputs.count - 7], 0x3F81)
        XCTAssertEqual(naive[inputs.count - 6], 0x7F80)
        XCTAssertEqual(naive[inputs.count - 4], 0x7FC0)
    }

    func testBF16ProductEqualsNaiveProductOfRoundedOperandsForBothLayoutsBiasAccumulationAndGELU() throws {
        let shapes = [(rows: 1, inSize: 32, outSize: 96), (rows: 7, inSize: 129, outSize: 33), (rows: 50, inSize: 300, outSize: 1100)]
        let engine = BF16Engine()
        for (rows, inSize, outSize) in shapes {
            let inp = values(rows * inSize, seed: 1)
            let weight = values(inSize * outSize, seed: 2)
            let bias = values(outSize, seed: 3)
            let start = values(rows * outSize, seed: 4)
            var buffer = [UInt16](repeating: 0, count: rows * inSize)
            for layout in [WeightLayout.inputMajor, .outputMajor] {
                for (useBias, accumulate, gelu) in [(false, false, false), (true, false, false), (true, true, false), (true, false, true)] {
                    let linear = try bias.withUnsafeBufferPointer { b in
                        try BF16Linear(
                            weight: weight, bias: useBias ? b.baseAddress : nil, inSize: inSize, outSize: outSize,
                            layout: layout, threads: ComputePool.shared.threadCount)
                    }
                    var fast = start
                    var naive = start
                    bias.withUnsafeBufferPointer { _ in
                        engine.product(linear, out: &fast, inp: inp, rows: rows, inputBuffer: &buffer, accumulate: accumulate, gelu: gelu)
                    }
                    bias.withUnsafeBufferPointer { b in
                        matmulNaive(
                            out: &naive, inp: rounded(inp), weight: rounded(weight), bias: useBias ? b.baseAddress : nil,
                            rows: rows, inSize: inSize, outSize: outSize, layout: layout, accumulate: accumulate)
                    }
                    if gelu { naive.withUnsafeMutableBufferPointer { geluTanh($0.baseAddress!, count: $0.count) } }
                    assertClose(
                        fast, naive, tolerance: productTolerance,
                        "bf16 \(rows)×\(inSize)→\(outSize) \(layout) bias \(useBias) accumulate \(accumulate) gelu \(gelu)")
                }
            }
        }
        XCTAssertTrue(
            engine.implementations.allSatisfy { $0.hasPrefix("brg:") },
            "oneDNN fell back to a slow implementation: \(engine.implementations.sorted())")
    }

    func testBF16IncrementalDecodingEqualsTheWholeSequenceAtEveryStep() throws {
        let fixture = try GoldenFixture(GoldenFixture.huggingFace)
        let model = try fixture.model.converted(to: .bf16)
        XCTAssertEqual(model.precision, .bf16)
        let tokens = fixture.golden.prompts[0].ids + fixture.golden.prompts[1].ids
        let whole = try model.logits(tokens: tokens)
        let cache = KVCache(configuration: model.configuration, rows: 1, capacity: tokens.count)
        var logits = [Float](repeating: 0, count: model.configuration.vocabularySize)
        try logits.withUnsafeMutableBufferPointer {
            try model.prefill(tokens: [tokens[0]], row: 0, cache: cache, logitsOut: $0)
        }
        assertClose(logits, whole[0], tolerance: cacheOracleTolerance, "bf16 step 0")
        for step in 1..<tokens.count {
            try logits.withUnsafeMutableBufferPointer {
                try model.decode(tokens: [tokens[step]], rows: [0], cache: cache, logitsOut: $0)
            }
            assertClose(logits, whole[step], tolerance: cacheOracleTolerance, "bf16 step \(step)")
        }
    }

    func testTheF32PathIsUntouchedByABF16ConversionOfTheSameWeights() throws {
        let fixture = try GoldenFixture(GoldenFixture.huggingFace)
        let tokens = fixture.golden.prompts[0].ids
        let before = try fixture.model.logits(tokens: tokens)
        _ = try fixture.model.converted(to: .bf16).logits(tokens: tokens)
        let after = try fixture.model.logits(tokens: tokens)
        XCTAssertEqual(before, after, "the F32 model's logits changed after a bf16 copy was made")
        XCTAssertEqual(fixture.model.precision, .f32)
    }
}
