import CDNNL

/// How a weight matrix of a linear layer with `inSize` inputs and `outSize` outputs is stored.
public enum WeightLayout: Sendable {
    /// (inSize, outSize), row-major: GPT-2's `Conv1D` weights (`c_attn`, `c_proj`, `c_fc`).
    case inputMajor
    /// (outSize, inSize), row-major: `nn.Linear` and embedding matrices (the tied LM head).
    case outputMajor
}

/// The widest column tile `matmul` hands to one thread; narrower tiles balance the threads better,
/// wider ones repack the input less often.
let matmulTileColumns = 512

/// The column tiles of an `outSize`-wide product on `threads` threads: tile i covers columns
/// `i·width ..< min((i+1)·width, outSize)`; a multiple of the thread count, each at most
/// `matmulTileColumns` wide and a multiple of 16.
func matmulColumnTiles(outSize: Int, threads: Int) -> (width: Int, count: Int) {
    let perThread = (outSize + threads * matmulTileColumns - 1) / (threads * matmulTileColumns)
    let tiles = max(1, min(threads * perThread, outSize / 16))
    let width = ((outSize + tiles - 1) / tiles + 15) / 16 * 16
    return (width, (outSize + width - 1) / width)
}

/// out: (N, outSize), inp: (N, inSize), weight: (inSize, outSize) or (outSize, inSize) per `layout`,
/// bias: (outSize) or nil. `out = inp · W + bias`, or `out += inp · W + bias` when `accumulate`;
/// then `out = geluTanh(out)` when `gelu` (applied tile by tile while the tile is in cache).
///
/// The output columns are cut into tiles (a multiple of the thread count, each at most
/// `matmulTileColumns` wide) that `ComputePool.shared` spreads over its threads; each tile is one
/// single-threaded oneDNN `dnnl_sgemm` call that starts from the bias. `matmulNaive` is the
/// reference it is tested against.
func matmul(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, rows: Int, inSize: Int, outSize: Int,
    layout: WeightLayout, accumulate: Bool = false, gelu: Bool = false, pool: ComputePool = .shared
) {
    let (width, count) = matmulColumnTiles(outSize: outSize, threads: pool.threadCount)
    pool.parallelFor(count: count) { tile in
        let first = tile * width
        let columns = min(width, outSize - first)
        if let bias {
            for n in 0..<rows {
                let y = out + n * outSize + first
                if accumulate {
                    for j in 0..<columns { y[j] += bias[first + j] }
                } else {
                    y.update(from: bias + first, count: columns)
                }
            }
        }
        OpenMPThreads.set(1)
        let notTransposed = CChar(UInt8(ascii: "N"))
        let transposed = CChar(UInt8(ascii: "T"))
        let status = dnnl_sgemm(
            notTransposed, layout == .inputMajor ? notTransposed : transposed,
            dnnl_dim_t(rows), dnnl_dim_t(columns), dnnl_dim_t(inSize),
            1, inp, dnnl_dim_t(inSize),
            layout == .inputMajor ? weight + first : weight + first * inSize,
            dnnl_dim_t(layout == .inputMajor ? outSize : inSize),
            accumulate || bias != nil ? 1 : 0, out + first, dnnl_dim_t(outSize))
        precondition(status == dnnl_success, "dnnl_sgemm rejected its arguments (status \(status.rawValue))")
        if gelu {
            for n in 0..<rows { geluTanh(out + n * outSize + first, count: columns) }
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
