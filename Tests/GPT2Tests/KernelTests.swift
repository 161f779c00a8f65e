@testable import GPT2
import TestSupport
import XCTest

/// Each optimised kernel against a plain reference (after llm.c: the naive kernel stays beside the fast one).
final class KernelTests: XCTestCase {
    /// dnnl_sgemm blocks and vectorises the sums; inputs are O(1) with up to 200 terms.
    let matmulTolerance: Float = 1e-4
    /// Float32 element-wise kernels against a Double evaluation of the same formula.
    let elementTolerance: Float = 1e-6

    /// Deterministic values in [-1, 1).
    private func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(((($0 + 1) * 7919 + seed * 104_729) % 2000)) / 1000 - 1 }
    }

    func testDnnlMatmulEqualsNaiveMatmulForBothLayoutsWithAndWithoutBiasAndAccumulation() {
        let shapes = [
            (rows: 1, inSize: 32, outSize: 96), (rows: 7, inSize: 129, outSize: 33), (rows: 50, inSize: 200, outSize: 64),
            (rows: 217, inSize: 40, outSize: 70),  // one call of 192 rows, then a tail of 1 in a padded block
        ]
        for (rows, inSize, outSize) in shapes {
            let inp = values(rows * inSize, seed: 1)
            let weight = values(inSize * outSize, seed: 2)
            let bias = values(outSize, seed: 3)
            let start = values(rows * outSize, seed: 4)
            for layout in [WeightLayout.inputMajor, .outputMajor] {
                for accumulate in [false, true] {
                    for useBias in [false, true] {
                        var fast = start
                        var naive = start
                        bias.withUnsafeBufferPointer { b in
                            let biasPointer = useBias ? b.baseAddress : nil
                            matmul(
                                out: &fast, inp: inp, weight: weight, bias: biasPointer, rows: rows,
                                inSize: inSize, outSize: outSize, layout: layout, accumulate: accumulate)
                            matmulNaive(
                                out: &naive, inp: inp, weight: weight, bias: biasPointer, rows: rows,
                                inSize: inSize, outSize: outSize, layout: layout, accumulate: accumulate)
                        }
                        assertClose(
                            fast, naive, tolerance: matmulTolerance,
                            "matmul \(rows)×\(inSize)→\(outSize) \(layout) accumulate \(accumulate) bias \(useBias)")
                    }
                }
            }
        }
    }

    /// A resumed or sharded run equals an uninterrupted one only if a row's logits do not depend on the rows
    /// beside it. oneDNN's AVX2 GEMM rounded a row differently when it sat in a 1–3-row tail of its 6-row
    /// blocking, when it was alone (a GEMV) and when 1,024-column calls passed 360 rows (`matmulRowBlock`).
    /// The shapes are the tiny fixture's and distilgpt2's layers: 32 → 96/128, 768 → 2304, 3072 → 768 and
    /// a tied head (output-major) wider than a tile.
    func testMatmulRowIsTheSameBitsWhateverTheRowsBesideIt() {
        let shapes = [
            (inSize: 32, outSize: 96, layout: WeightLayout.inputMajor), (inSize: 128, outSize: 32, layout: .inputMajor),
            (inSize: 32, outSize: 1100, layout: .outputMajor), (inSize: 768, outSize: 2304, layout: .inputMajor),
            (inSize: 3072, outSize: 768, layout: .inputMajor), (inSize: 768, outSize: 1100, layout: .outputMajor),
        ]
        let batchSizes = [1, 2, 3, 4, 5, 7, 9, 13, 23, 24, 25, 47, 100, 193, 250, 400]
        // Batches share one scratch, left holding other shapes' rows; the row alone gets a fresh one.
        let shared = MatmulScratch()
        for (inSize, outSize, layout) in shapes {
            let weight = values(inSize * outSize, seed: 5).map { $0 * 0.1 }
            let bias = values(outSize, seed: 6)
            let probe = values(inSize, seed: 7)
            func product(_ rows: Int, probeAt position: Int, scratch: MatmulScratch?) -> [Float] {
                var inp = values(rows * inSize, seed: 8 + rows)
                inp.replaceSubrange((position * inSize)..<((position + 1) * inSize), with: probe)
                var out = [Float](repeating: 0, count: rows * outSize)
                matmul(
                    out: &out, inp: inp, weight: weight, bias: bias, rows: rows, inSize: inSize, outSize: outSize,
                    layout: layout, gelu: true, scratch: scratch)
                return Array(out[(position * outSize)..<((position + 1) * outSize)])
            }
            let alone = product(1, probeAt: 0, scratch: nil)
            for rows in batchSizes {
                for position in Set([0, rows / 2, rows - 1]) {
                    let row = product(rows, probeAt: position, scratch: shared)
                    let differing = zip(row, alone).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                    let largest = zip(row, alone).map { abs($0.0 - $0.1) }.max() ?? 0
                    XCTAssertEqual(
                        differing, 0,
                        "\(inSize)→\(outSize) \(layout): row \(position) of \(rows) differs from the same row alone in "
                            + "\(differing) of \(outSize) values (largest difference \(largest); tolerance: the same bits)")
                }
            }
        }
    }

    /// The padded block's padding output rows keep whatever an earlier call left (they are not zeroed each call): a
    /// scratch full of NaN, infinities and denormals gives every real row the same bits as a fresh one, with a bias
    /// (beta = 1: the carried rows are copied in) and without (beta = 0: oneDNN reads no output), and in the
    /// tied head's layout.
    func testMatmulRowsDoNotDependOnWhatTheScratchHeld() {
        let specials: [Float] = [.nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
        for (inSize, outSize, layout) in [(32, 96, WeightLayout.inputMajor), (768, 1100, .outputMajor)] {
            let weight = values(inSize * outSize, seed: 11).map { $0 * 0.1 }
            let bias = values(outSize, seed: 12)
            for withBias in [true, false] {
                for rows in [1, 7, 23, 31] {
                    let inp = values(rows * inSize, seed: 13 + rows)
                    func product(_ scratch: MatmulScratch) -> [Float] {
                        var out = [Float](repeating: 0, count: rows * outSize)
                        matmul(
                            out: &out, inp: inp, weight: weight, bias: withBias ? bias : nil, rows: rows, inSize: inSize,
                            outSize: outSize, layout: layout, scratch: scratch)
                        return out
                    }
                    let fresh = product(MatmulScratch())
                    let dirty = MatmulScratch()
                    dirty.reserve(inSize: inSize, outSize: outSize)
                    for i in 0..<(matmulRowBlock * outSize) { dirty.output[i] = specials[i % specials.count] }
                    let after = product(dirty)
                    let differing = zip(after, fresh).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                    XCTAssertEqual(
                        differing, 0,
                        "\(inSize)→\(outSize) \(layout), \(rows) rows, bias \(withBias): \(differing) of \(after.count) values "
                            + "differ from a fresh scratch's (tolerance: the same bits)")
                }
            }
        }
    }

    func testMatmulScratchGrowsToTheWidestCallAndIsThenReused() {
        let scratch = MatmulScratch()
        func run(rows: Int, inSize: Int, outSize: Int) {
            let inp = values(rows * inSize, seed: 3)
            let weight = values(inSize * outSize, seed: 4)
            var out = [Float](repeating: 0, count: rows * outSize)
            matmul(
                out: &out, inp: inp, weight: weight, bias: nil, rows: rows, inSize: inSize, outSize: outSize,
                layout: .inputMajor, scratch: scratch)
        }
        run(rows: 48, inSize: 64, outSize: 96)  // a multiple of 24 rows: no padded block, nothing grown
        XCTAssertEqual(scratch.inputCapacity, 0)
        XCTAssertEqual(scratch.outputCapacity, 0)
        run(rows: 5, inSize: 64, outSize: 96)
        XCTAssertEqual(scratch.inputCapacity, 64)
        XCTAssertEqual(scratch.outputCapacity, 96)
        let (input, output) = (scratch.input, scratch.output)
        run(rows: 7, inSize: 32, outSize: 80)  // narrower: the same buffers
        XCTAssertEqual(scratch.input, input)
        XCTAssertEqual(scratch.output, output)
        run(rows: 1, inSize: 128, outSize: 40)  // more inputs: the input grows, the output stays
        XCTAssertEqual(scratch.inputCapacity, 128)
        XCTAssertEqual(scratch.outputCapacity, 96)
        XCTAssertEqual(scratch.output, output)
    }

    func testNaiveMatmulComputesASmallProductByHand() {
        let inp: [Float] = [1, 2, 3, 4, 5, 6]  // (2, 3)
        let weight: [Float] = [1, 0, 0, 1, 1, 1]  // (3, 2), input-major
        var out = [Float](repeating: 0, count: 4)
        matmulNaive(
            out: &out, inp: inp, weight: weight, bias: [10, 20], rows: 2, inSize: 3, outSize: 2, layout: .inputMajor)
        XCTAssertEqual(out, [14, 25, 20, 31])
    }

    func testGeluTanhMatchesTheFormulaInDouble() {
        var x: [Float] = [-6, -3, -1, -0.5, 0, 0.25, 1, 2.5, 6]
        let expected = x.map { v -> Float in
            let d = Double(v)
            return Float(0.5 * d * (1 + tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d))))
        }
        geluTanh(&x, count: x.count)
        assertClose(x, expected, tolerance: elementTolerance, "gelu_new")
        XCTAssertEqual(x[6], 0.841192, accuracy: 1e-6)
    }

    func testLayerNormMatchesTheFormulaInDouble() {
        let rows = 3, channels = 10
        let inp = values(rows * channels, seed: 5).map { $0 * 4 + 1 }
        let weight = values(channels, seed: 6)
        let bias = values(channels, seed: 7)
        var out = [Float](repeating: 0, count: rows * channels)
        layerNorm(out: &out, inp: inp, weight: weight, bias: bias, rows: rows, channels: channels, epsilon: 1e-5)
        var expected: [Float] = []
        for n in 0..<rows {
            let x = inp[(n * channels)..<((n + 1) * channels)].map(Double.init)
            let mean = x.reduce(0, +) / Double(channels)
            let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(channels)
            for c in 0..<channels {
                expected.append(Float((x[c] - mean) / (variance + 1e-5).squareRoot() * Double(weight[c]) + Double(bias[c])))
            }
        }
        assertClose(out, expected, tolerance: 1e-5, "layer norm")
    }

    func testSoftmaxIsNormalisedAndIgnoresAShift() {
        var a: [Float] = [1, 2, 3, -4, 0.5]
        var b = a.map { $0 + 1000 }
        softmax(&a, count: a.count)
        softmax(&b, count: b.count)
        XCTAssertEqual(a.reduce(0, +), 1, accuracy: elementTolerance)
        assertClose(a, b, tolerance: elementTolerance, "softmax shift invariance")
        XCTAssertEqual(a[2] / a[1], expf(1), accuracy: 1e-5)
    }

    /// One query against T cached positions, compared with a per-head reference written out directly.
    func testAttentionOfOneTokenMatchesAReference() {
        let heads = 2, headSize = 3, length = 4, stride = 8
        let query = values(heads * headSize, seed: 8)
        let keys = values(length * stride, seed: 9)
        let vals = values(length * stride, seed: 10)
        var out = [Float](repeating: 0, count: heads * headSize)
        var scores = [Float](repeating: 0, count: length)
        let scale = 1 / Float(headSize).squareRoot()
        attendOneToken(
            out: &out, query: query, keys: keys, values: vals, length: length, stride: stride,
            headCount: heads, headSize: headSize, scale: scale, scores: &scores)
        var expected: [Float] = []
        for h in 0..<heads {
            var weights: [Double] = []
            for t in 0..<length {
                var dot = 0.0
                for d in 0..<headSize {
                    dot += Double(query[h * headSize + d]) * Double(keys[t * stride + h * headSize + d])
                }
                weights.append(exp(dot * Double(scale)))
            }
            let total = weights.reduce(0, +)
            for d in 0..<headSize {
                var sum = 0.0
                for t in 0..<length {
                    sum += weights[t] / total * Double(vals[t * stride + h * headSize + d])
                }
                expected.append(Float(sum))
            }
        }
        assertClose(out, expected, tolerance: elementTolerance, "attention")
    }
}
