@testable import GPT2
import TestSupport
import XCTest

/// The vectorised kernels the forward pass runs against the plain ones beside them, at GPT-2's sizes
/// and at odd sizes that exercise the padded tails.
final class VectorizedKernelTests: XCTestCase {
    /// Float32 kernels that sum in a different order (lanes, then across lanes).
    let reorderTolerance: Float = 2e-6
    /// GELU through the Cephes-style exponential instead of libm's `tanhf`, relative to max(1, |x|).
    let geluTolerance: Float = 1e-6
    /// dnnl_sgemm tiles against the triple loop, inputs O(1) with up to 768 terms.
    let matmulTolerance: Float = 2e-4

    /// Deterministic values in [-scale, scale).
    private func values(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return scale * (Float(state >> 40) / Float(1 << 24) * 2 - 1)
        }
    }

    func testExponentialIsWithinTwoUlpOfExpfBelowItsUpperClamp() {
        var worst: Float = 0
        var worstInput: Float = 0
        var x: Float = -87
        while x < 87.9 {
            let lanes = exponential(Lanes((0..<16).map { x + Float($0) * 0.0037 }))
            for lane in 0..<16 {
                let input = x + Float(lane) * 0.0037
                let exact = expf(input)
                let error = abs(lanes[lane] - exact) / exact.ulp
                if error > worst {
                    worst = error
                    worstInput = input
                }
            }
            x += 0.0593
        }
        XCTAssertLessThanOrEqual(worst, 2, "largest error \(worst) ulp at x = \(worstInput)")
    }

    func testGeluMatchesTheNaiveKernelIncludingTails() {
        for count in [3072, 17, 5] {
            let input = values(count, seed: 1, scale: 8)
            var fast = input
            var naive = input
            geluTanh(&fast, count: count)
            geluTanhNaive(&naive, count: count)
            let relative = zip(input, zip(fast, naive)).map { x, pair in abs(pair.0 - pair.1) / max(1, abs(x)) }
            let worst = relative.indices.max { relative[$0] < relative[$1] }!
            XCTAssertLessThanOrEqual(
                relative[worst], geluTolerance,
                "count \(count): x = \(input[worst]) gives \(fast[worst]) vs \(naive[worst])")
        }
    }

    func testGeluOfVeryNegativeAndVeryPositiveInputsSaturates() {
        var x: [Float] = [-200, -40, 40, 200]
        geluTanh(&x, count: x.count)
        XCTAssertEqual(x[0], 0, accuracy: 1e-30)
        XCTAssertEqual(x[1], 0, accuracy: 1e-30)
        XCTAssertEqual(x[2], 40)
        XCTAssertEqual(x[3], 200)
    }

    func testLayerNormMatchesTheNaiveKernel() {
        for channels in [768, 37] {
            let rows = 5
            let input = values(rows * channels, seed: 2, scale: 3).map { $0 + 0.5 }
            let weight = values(channels, seed: 3)
            let bias = values(channels, seed: 4)
            var fast = [Float](repeating: 0, count: rows * channels)
            var naive = fast
            layerNorm(out: &fast, inp: input, weight: weight, bias: bias, rows: rows, channels: channels, epsilon: 1e-5)
            layerNormNaive(out: &naive, inp: input, weight: weight, bias: bias, rows: rows, channels: channels, epsilon: 1e-5)
            assertClose(fast, naive, tolerance: reorderTolerance, "layer norm, \(channels) channels")
        }
    }

    func testAttentionMatchesTheNaiveKernelAtGPT2HeadSize() {
        let heads = 12, headSize = 64, stride = 768
        for length in [1, 16, 37] {
            let query = values(heads * headSize, seed: 5, scale: 2)
            let keys = values(length * stride, seed: 6, scale: 2)
            let vals = values(length * stride, seed: 7)
            var fast = [Float](repeating: 0, count: heads * headSize)
            var naive = fast
            var scores = [Float](repeating: 0, count: length)
            let scale = 1 / Float(headSize).squareRoot()
            attendOneToken(
                out: &fast, query: query, keys: keys, values: vals, length: length, stride: stride,
                headCount: heads, headSize: headSize, scale: scale, scores: &scores)
            attendOneTokenNaive(
                out: &naive, query: query, keys: keys, values: vals, length: length, stride: stride,
                headCount: heads, headSize: headSize, scale: scale, scores: &scores)
            assertClose(fast, naive, tolerance: reorderTolerance, "attention over \(length) positions")
        }
    }

    /// Wide enough for several column tiles, with a ragged last tile, for both layouts, with the
    /// bias, accumulation and the fused GELU.
    func testTiledMatmulWithFusedGeluMatchesTheNaiveProduct() {
        let rows = 3, inSize = 768, outSize = 2 * matmulTileColumns * ComputePool.shared.threadCount + 40
        let inp = values(rows * inSize, seed: 8, scale: 0.1)
        let weight = values(inSize * outSize, seed: 9, scale: 0.1)
        let bias = values(outSize, seed: 10)
        let start = values(rows * outSize, seed: 11)
        for layout in [WeightLayout.inputMajor, .outputMajor] {
            for (accumulate, gelu) in [(false, false), (true, false), (false, true)] {
                var fast = start
                var naive = start
                matmul(
                    out: &fast, inp: inp, weight: weight, bias: bias, rows: rows, inSize: inSize, outSize: outSize,
                    layout: layout, accumulate: accumulate, gelu: gelu)
                matmulNaive(
                    out: &naive, inp: inp, weight: weight, bias: bias, rows: rows, inSize: inSize, outSize: outSize,
                    layout: layout, accumulate: accumulate)
                if gelu { geluTanhNaive(&naive, count: naive.count) }
                assertClose(
                    fast, naive, tolerance: matmulTolerance,
                    "\(layout) accumulate \(accumulate) gelu \(gelu), \(outSize) columns")
            }
        }
    }
}
