import Foundation

// The plain element-wise and per-token kernels of the GPT-2 forward pass, as free functions over flat
// row-major buffers with explicit sizes (after llm.c). They are the references that the vectorised
// kernels the forward pass runs (KernelsVectorized.swift) are tested against. Matrix products live in
// Matmul.swift.

/// out: (N, C), inp: (N, C), weight/bias: (C). Layer norm over the last axis, as `torch.nn.LayerNorm`.
///
/// `out` may alias `inp`. Statistics use the biased variance, like PyTorch.
func layerNormNaive(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    rows: Int, channels: Int, epsilon: Float
) {
    for n in 0..<rows {
        let x = inp + n * channels
        let y = out + n * channels
        var sum: Float = 0
        for c in 0..<channels { sum += x[c] }
        let mean = sum / Float(channels)
        var squares: Float = 0
        for c in 0..<channels {
            let d = x[c] - mean
            squares += d * d
        }
        let inverseDeviation = 1 / (squares / Float(channels) + epsilon).squareRoot()
        for c in 0..<channels {
            y[c] = (x[c] - mean) * inverseDeviation * weight[c] + bias[c]
        }
    }
}

/// values: (count), in place. GELU with the tanh approximation (transformers' `gelu_new`).
func geluTanhNaive(_ values: UnsafeMutablePointer<Float>, count: Int) {
    let scale = Float((2.0 / Double.pi).squareRoot())
    for i in 0..<count {
        let x = values[i]
        values[i] = 0.5 * x * (1 + tanhf(scale * (x + 0.044715 * x * x * x)))
    }
}

/// values: (count), in place. Numerically stable softmax (the maximum is subtracted first).
func softmax(_ values: UnsafeMutablePointer<Float>, count: Int) {
    var maximum = -Float.infinity
    for i in 0..<count where values[i] > maximum { maximum = values[i] }
    var total: Float = 0
    for i in 0..<count {
        let e = expf(values[i] - maximum)
        values[i] = e
        total += e
    }
    let inverse = 1 / total
    for i in 0..<count { values[i] *= inverse }
}

/// out: (H·D), query: (H·D), keys/values: (T, stride) holding H heads of width D at the start of each
/// row, scores: (T) scratch. Causal self-attention of one query token over the T cached positions
/// `0..<T` (the token itself included), every head: `softmax(q·kᵀ · scale) · v`.
func attendOneTokenNaive(
    out: UnsafeMutablePointer<Float>, query: UnsafePointer<Float>,
    keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
    length: Int, stride: Int, headCount: Int, headSize: Int, scale: Float,
    scores: UnsafeMutablePointer<Float>
) {
    for h in 0..<headCount {
        let q = query + h * headSize
        let o = out + h * headSize
        for t in 0..<length {
            let k = keys + t * stride + h * headSize
            var dot: Float = 0
            for d in 0..<headSize { dot += q[d] * k[d] }
            scores[t] = dot * scale
        }
        softmax(scores, count: length)
        for d in 0..<headSize { o[d] = 0 }
        for t in 0..<length {
            let v = values + t * stride + h * headSize
            let p = scores[t]
            for d in 0..<headSize { o[d] += p * v[d] }
        }
    }
}
