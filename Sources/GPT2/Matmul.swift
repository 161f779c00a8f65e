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

/// Every `dnnl_sgemm` call of `matmul` has a multiple of this many rows, so that a row's result does
/// not depend on how many rows share its product (a resumed or sharded run must equal an uninterrupted
/// one bit for bit; on AVX2-only CPUs it did not).
///
/// oneDNN 2.6's f32 GEMM computes a row with other instructions, and so rounds it differently, when
/// the row falls in a short tail of the kernel's register blocking (measured on AVX2, whose kernel
/// takes rows 6 at a time: the last 1–3 rows of a call whose row count leaves 1–3 over), when the call
/// has one row (a GEMV), and when its driver halves a call's rows into parts that leave such a tail.
/// 24 is a multiple of the row unrolls of oneDNN's f32 kernels (4 for SSE4.1 and AVX, 6 for AVX2, 8 for
/// AVX-512) and of twice 6, so neither a call nor its halves leave a tail.
let matmulRowBlock = 24

/// The most rows one `dnnl_sgemm` call of `matmul` is given (a multiple of `matmulRowBlock`): larger
/// calls make oneDNN switch from its no-copy to its copy-based kernel, and with it the rounding of a row
/// (measured on AVX2 with 1,024-column products from 360 rows on; `matmul`'s tiles are at most 512
/// columns wide, for which the switch comes at about 540 rows).
let matmulMaxRowsPerCall = 8 * matmulRowBlock

/// The padded last block of a `matmul` call: its input rows (24 × inSize) and output rows
/// (24 × outSize, row stride outSize), reused between calls so that the decode loop does not allocate.
///
/// Grows (reallocating) only when a call is wider than any before it. One call's tiles write
/// disjoint columns of `output`, so one scratch serves all of them; two `matmul` calls must not share
/// one at the same time (each `ForwardWorkspace` owns its own).
final class MatmulScratch {
    private(set) var inputCapacity = 0
    private(set) var outputCapacity = 0
    /// (24, inputCapacity) the last rows of a call's input, then zero rows.
    private(set) var input: UnsafeMutablePointer<Float> = .allocate(capacity: 0)
    /// (24, outputCapacity) the output of the padded block.
    private(set) var output: UnsafeMutablePointer<Float> = .allocate(capacity: 0)

    /// Room for products with up to `inSize` inputs and `outSize` outputs.
    init(inSize: Int = 0, outSize: Int = 0) {
        reserve(inSize: inSize, outSize: outSize)
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// Makes room for a product with `inSize` inputs and `outSize` outputs, keeping no contents.
    func reserve(inSize: Int, outSize: Int) {
        if inSize > inputCapacity {
            input.deallocate()
            input = .allocate(capacity: matmulRowBlock * inSize)
            input.initialize(repeating: 0, count: matmulRowBlock * inSize)
            inputCapacity = inSize
        }
        if outSize > outputCapacity {
            output.deallocate()
            output = .allocate(capacity: matmulRowBlock * outSize)
            output.initialize(repeating: 0, count: matmulRowBlock * outSize)
            outputCapacity = outSize
        }
    }
}

/// out: (N, outSize), inp: (N, inSize), weight: (inSize, outSize) or (outSize, inSize) per `layout`,
/// bias: (outSize) or nil. `out = inp · W + bias`, or `out += inp · W + bias` when `accumulate`;
/// then `out = geluTanh(out)` when `gelu` (applied tile by tile while the tile is in cache).
///
/// The output columns are cut into tiles (a multiple of the thread count, each at most
/// `matmulTileColumns` wide) that `ComputePool.shared` spreads over its threads; each tile is computed
/// by single-threaded oneDNN `dnnl_sgemm` calls that start from the bias: the rows in calls of a
/// multiple of `matmulRowBlock` rows (at most `matmulMaxRowsPerCall`), and the last `N mod 24` rows
/// copied into a zero-padded block of 24 rows in `scratch` (grown to the call's sizes when smaller; a
/// call without one allocates its own), so that each row of `out` is the same bits whatever the other
/// rows and their number (`matmulRowBlock`). `matmulNaive` is the reference it is tested against.
func matmul(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, rows: Int, inSize: Int, outSize: Int,
    layout: WeightLayout, accumulate: Bool = false, gelu: Bool = false, pool: ComputePool = .shared,
    scratch: MatmulScratch? = nil
) {
    let (width, count) = matmulColumnTiles(outSize: outSize, threads: pool.threadCount)
    let blocked = rows / matmulRowBlock * matmulRowBlock
    let tail = rows - blocked
    // The last rows, padded with zero rows to one block; read by every tile.
    let scratch = tail == 0 ? nil : scratch ?? MatmulScratch()
    scratch?.reserve(inSize: inSize, outSize: outSize)
    if let scratch {
        scratch.input.update(from: inp + blocked * inSize, count: tail * inSize)
        (scratch.input + tail * inSize).update(repeating: 0, count: (matmulRowBlock - tail) * inSize)
    }
    let beta: Float = accumulate || bias != nil ? 1 : 0
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
        var start = 0
        while start < blocked {
            let callRows = min(matmulMaxRowsPerCall, blocked - start)
            sgemmTile(
                rows: callRows, columns: columns, first: first, inp: inp + start * inSize, inSize: inSize,
                weight: weight, outSize: outSize, layout: layout, beta: beta, out: out + start * outSize + first,
                outStride: outSize)
            start += callRows
        }
        if let scratch {
            // This tile's columns of the padded block, row stride outSize.
            let block = scratch.output + first
            // With beta = 0 oneDNN reads no output: the tail rows' values (maybe never written) are not copied.
            // The padding rows keep whatever an earlier call left (zeros at allocation): a product's row
            // depends on that row alone, and those rows are never copied out.
            let carried = beta == 0 ? 0 : tail
            for n in 0..<carried {
                (block + n * outSize).update(from: out + (blocked + n) * outSize + first, count: columns)
            }
            sgemmTile(
                rows: matmulRowBlock, columns: columns, first: first, inp: scratch.input, inSize: inSize,
                weight: weight, outSize: outSize, layout: layout, beta: beta, out: block, outStride: outSize)
            for n in 0..<tail {
                (out + (blocked + n) * outSize + first).update(from: block + n * outSize, count: columns)
            }
        }
        if gelu {
            for n in 0..<rows { geluTanh(out + n * outSize + first, count: columns) }
        }
    }
}

/// out: (rows, columns) with row stride `outStride` = beta·out + inp · W[:, first ..< first + columns],
/// inp: (rows, inSize), W per `layout` with `outSize` columns in all: one single-threaded `dnnl_sgemm`.
private func sgemmTile(
    rows: Int, columns: Int, first: Int, inp: UnsafePointer<Float>, inSize: Int, weight: UnsafePointer<Float>,
    outSize: Int, layout: WeightLayout, beta: Float, out: UnsafeMutablePointer<Float>, outStride: Int
) {
    let notTransposed = CChar(UInt8(ascii: "N"))
    let transposed = CChar(UInt8(ascii: "T"))
    let status = dnnl_sgemm(
        notTransposed, layout == .inputMajor ? notTransposed : transposed,
        dnnl_dim_t(rows), dnnl_dim_t(columns), dnnl_dim_t(inSize),
        1, inp, dnnl_dim_t(inSize),
        layout == .inputMajor ? weight + first : weight + first * inSize,
        dnnl_dim_t(layout == .inputMajor ? outSize : inSize),
        beta, out, dnnl_dim_t(outStride))
    precondition(status == dnnl_success, "dnnl_sgemm rejected its arguments (status \(status.rawValue))")
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
