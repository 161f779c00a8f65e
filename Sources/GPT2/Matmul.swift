import CDNNL

/// How a weight matrix of a linear layer with `inSize` inputs and `outSize` outputs is stored.
public enum WeightLayout: Sendable {
    /// (inSize, outSize), row-major: GPT-2's `Conv1D` weights (`c_attn`, `c_proj`, `c_fc`).
    case inputMajor
    /// (outSize, inSize), row-major: `nn.Linear` and embedding matrices (the tied LM head).
    case outputMajor
}

/// out: (N, outSize), inp: (N, inSize), weight: (inSize, outSize) or (outSize, inSize) per `layout`,
/// bias: (outSize) or nil. `out = inp · W + bias`, or `out += inp · W + bias` when `accumulate`.
///
/// Runs on oneDNN's `dnnl_sgemm` (row-major, multithreaded through OpenMP, which uses one thread
/// per core unless `OMP_NUM_THREADS` says otherwise). `matmulNaive` is the reference it is tested against.
func matmul(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, rows: Int, inSize: Int, outSize: Int,
    layout: WeightLayout, accumulate: Bool = false
) {
    let notTransposed = CChar(UInt8(ascii: "N"))
    let transposed = CChar(UInt8(ascii: "T"))
    let status = dnnl_sgemm(
        notTransposed, layout == .inputMajor ? notTransposed : transposed,
        dnnl_dim_t(rows), dnnl_dim_t(outSize), dnnl_dim_t(inSize),
        1, inp, dnnl_dim_t(inSize),
        weight, dnnl_dim_t(layout == .inputMajor ? outSize : inSize),
        accumulate ? 1 : 0, out, dnnl_dim_t(outSize))
    precondition(status == dnnl_success, "dnnl_sgemm rejected its arguments (status \(status.rawValue))")
    if let bias {
        for n in 0..<rows {
            let y = out + n * outSize
            for j in 0..<outSize { y[j] += bias[j] }
        }
    }
}

/// out: (N, outSize), inp: (N, inSize), weight per `layout`, bias: (outSize) or nil.
/// The plain triple loop that `matmul` must agree with; used only as a test oracle.
func matmulNaive(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, rows: Int, inSize: Int, outSize: Int,
    layout: WeightLayout, accumulate: Bool = false
) {
    for n in 0..<rows {
        for j in 0..<outSize {
            var sum: Float = bias?[j] ?? 0
            for i in 0..<inSize {
                let w = layout == .inputMajor ? weight[i * outSize + j] : weight[j * inSize + i]
                sum += inp[n * inSize + i] * w
            }
            out[n * outSize + j] = accumulate ? out[n * outSize + j] + sum : sum
        }
    }
}
