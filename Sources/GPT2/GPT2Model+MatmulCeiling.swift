import CDNNL
import Foundation

/// Who parallelises the matrix products of a ceiling measurement.
public enum MatmulThreading: Sendable {
    /// One `dnnl_sgemm` call per product, threaded by oneDNN's OpenMP runtime over all cores.
    case oneDNN
    /// biasaudit's own products: column tiles spread over `ComputePool.shared`, in the model's precision
    /// (`matmul` for F32; for bf16 the packed matmul primitives, which add the bias as part of the product).
    case pool
}

extension GPT2Model {
    /// The time of the matrix products alone of one decode step over `rows` rows: per layer the
    /// query-key-value, attention-projection, MLP-up and MLP-down products with that layer's own
    /// weights, then the tied LM head (no bias, attention, layer norm or sampling). `rows` divided by
    /// this time is the most tokens per second generation built on these products could reach at
    /// that batch size.
    /// - Parameters:
    ///   - rows: rows per decode step (at least 1).
    ///   - repetitions: timed steps after one untimed warm-up step (at least 1).
    ///   - threading: oneDNN's own threading, or biasaudit's tiles on its pool.
    /// - Returns: the fastest step's seconds (the least disturbed by other work on the machine).
    public func decodeStepMatmulSeconds(rows: Int, repetitions: Int, threading: MatmulThreading) -> Double {
        precondition(rows >= 1 && repetitions >= 1, "need at least one row and one repetition")
        let c = configuration.embeddingSize
        let f = configuration.feedForwardSize
        let vocabulary = configuration.vocabularySize
        let outputCount = rows * max(vocabulary, 3 * c, f)
        let input = UnsafeMutablePointer<Float>.allocate(capacity: rows * f)
        let output = UnsafeMutablePointer<Float>.allocate(capacity: outputCount)
        defer {
            input.deallocate()
            output.deallocate()
        }
        input.initialize(repeating: 0.01, count: rows * f)
        output.initialize(repeating: 0, count: outputCount)
        let product: (UnsafePointer<Float>, Int, Int, WeightLayout) -> Void
        switch threading {
        case .pool where bf16 != nil:
            let workspace = ForwardWorkspace(configuration: configuration, tokenCapacity: rows)
            var fastest = Double.infinity
            for repetition in 0...repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                for layer in weights.blocks.indices {
                    for kind in [LinearLayer.qkv(layer), .attentionProjection(layer), .feedForward(layer), .feedForwardProjection(layer)] {
                        linear(kind, out: output, inp: input, rows: rows, workspace: workspace)
                    }
                }
                linear(.head, out: output, inp: input, rows: rows, workspace: workspace)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if repetition > 0 { fastest = min(fastest, seconds) }
            }
            return fastest
        case .pool:
            let scratch = MatmulScratch(inSize: f, outSize: max(vocabulary, 3 * c, f))
            product = { weight, inSize, outSize, layout in
                matmul(
                    out: output, inp: input, weight: weight, bias: nil, rows: rows, inSize: inSize,
                    outSize: outSize, layout: layout, scratch: scratch)
            }
        case .oneDNN:
            OpenMPThreads.set(ProcessInfo.processInfo.activeProcessorCount)
            product = { weight, inSize, outSize, layout in
                oneDNNProduct(out: output, inp: input, weight: weight, rows: rows, inSize: inSize, outSize: outSize, layout: layout)
            }
        }
        defer { OpenMPThreads.set(1) }
        var fastest = Double.infinity
        for repetition in 0...repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            for block in weights.blocks {
                product(block.qkvWeight.pointer, c, 3 * c, .inputMajor)
                product(block.attentionProjectionWeight.pointer, c, c, .inputMajor)
                product(block.feedForwardWeight.pointer, c, f, .inputMajor)
                product(block.feedForwardProjectionWeight.pointer, f, c, .inputMajor)
            }
            product(weights.languageModelHead.pointer, c, vocabulary, .outputMajor)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if repetition > 0 { fastest = min(fastest, seconds) }
        }
        return fastest
    }
}

/// out: (N, outSize) = inp: (N, inSize) · W, one `dnnl_sgemm` call threaded by oneDNN itself.
private func oneDNNProduct(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    rows: Int, inSize: Int, outSize: Int, layout: WeightLayout
) {
    let notTransposed = CChar(UInt8(ascii: "N"))
    let status = dnnl_sgemm(
        notTransposed, layout == .inputMajor ? notTransposed : CChar(UInt8(ascii: "T")),
        dnnl_dim_t(rows), dnnl_dim_t(outSize), dnnl_dim_t(inSize), 1, inp, dnnl_dim_t(inSize),
        weight, dnnl_dim_t(layout == .inputMajor ? outSize : inSize), 0, out, dnnl_dim_t(outSize))
    precondition(status == dnnl_success, "dnnl_sgemm rejected its arguments (status \(status.rawValue))")
}
