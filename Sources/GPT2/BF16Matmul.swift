import CDNNL
import Foundation
import Synchronization

/// out: (count) bfloat16 bit patterns, inp: (count) Float32. Rounds to nearest, ties to even (the
/// rounding of oneDNN's and PyTorch's `float → bfloat16` conversion); NaN stays a quiet NaN.
/// `roundToBFloat16Naive` is the reference it is tested against.
func roundToBFloat16(out: UnsafeMutablePointer<UInt16>, inp: UnsafePointer<Float>, count: Int) {
    let source = UnsafeRawPointer(inp)
    let target = UnsafeMutableRawPointer(out)
    var i = 0
    while i + 16 <= count {
        let bits = source.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<UInt32>.self)
        let rounded = (bits &+ 0x7FFF &+ ((bits &>> 16) & 1)) &>> 16
        let result = rounded.replacing(with: 0x7FC0, where: (bits & 0x7FFF_FFFF) .> 0x7F80_0000)
        target.storeBytes(of: SIMD16<UInt16>(truncatingIfNeeded: result), toByteOffset: i * 2, as: SIMD16<UInt16>.self)
        i += 16
    }
    while i < count {
        out[i] = bfloat16Bits(inp[i])
        i += 1
    }
}

/// out: (count), inp: (count). The scalar conversion `roundToBFloat16` must agree with (test oracle).
func roundToBFloat16Naive(out: UnsafeMutablePointer<UInt16>, inp: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = bfloat16Bits(inp[i]) }
}

/// The bfloat16 nearest to `value` (ties to even), as its 16 bits.
func bfloat16Bits(_ value: Float) -> UInt16 {
    if value.isNaN { return 0x7FC0 }
    let bits = value.bitPattern
    return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
}

/// oneDNN's CPU engine and one stream per `ComputePool.shared` thread, made once per process.
final class OneDNNContext: @unchecked Sendable {
    static let shared = OneDNNContext(threads: ComputePool.shared.threadCount)

    let engine: dnnl_engine_t
    let streams: [dnnl_stream_t]

    private init(threads: Int) {
        var engine: dnnl_engine_t?
        precondition(dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success, "oneDNN could not create its CPU engine")
        self.engine = engine!
        streams = (0..<threads).map { _ in
            var stream: dnnl_stream_t?
            precondition(
                dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue)) == dnnl_success,
                "oneDNN could not create a CPU stream")
            return stream!
        }
    }
}

/// One linear layer's weights, (inSize, outSize), in bfloat16: cut into the column tiles of `matmul`
/// (`matmulColumnTiles`) and each tile packed once, at load, in the layout oneDNN's matmul primitive
/// prefers (weights memory format `any`, then a reorder from the Float32 tensor).
final class BF16Linear: @unchecked Sendable {
    struct Tile {
        let first: Int
        let columns: Int
        let packed: UnsafeMutableRawPointer
        let descriptor: dnnl_memory_desc_t
    }

    let inSize: Int
    let outSize: Int
    let bias: UnsafePointer<Float>?
    let tiles: [Tile]

    /// Packs `weight` (stored per `layout`), keeping a pointer to `bias` (its tensor must outlive this).
    /// - Throws: `GPT2Error.invalidArgument` when oneDNN refuses the shape.
    init(
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, inSize: Int, outSize: Int, layout: WeightLayout,
        threads: Int
    ) throws {
        self.inSize = inSize
        self.outSize = outSize
        self.bias = bias
        let context = OneDNNContext.shared
        let (width, count) = matmulColumnTiles(outSize: outSize, threads: threads)
        var tiles: [Tile] = []
        for tile in 0..<count {
            let first = tile * width
            let columns = min(width, outSize - first)
            var descriptor = dnnl_memory_desc_t()
            var packed: UnsafeMutableRawPointer?
            let start = layout == .inputMajor ? weight + first : weight + first * inSize
            let status = biasaudit_bf16_pack_weights(
                context.engine, context.streams[0], start, Int64(inSize), Int64(columns),
                Int64(layout == .inputMajor ? outSize : 1), Int64(layout == .inputMajor ? 1 : inSize),
                Int64(BF16Linear.packingRows), &descriptor, &packed)
            guard status == dnnl_success, let packed else {
                packed.map { free($0) }
                tiles.forEach { free($0.packed) }
                throw GPT2Error.invalidArgument(
                    "oneDNN could not pack a (\(inSize), \(columns)) weight tile to bf16 (status \(status.rawValue))")
            }
            tiles.append(Tile(first: first, columns: columns, packed: packed, descriptor: descriptor))
        }
        self.tiles = tiles
    }

    deinit {
        for tile in tiles { free(tile.packed) }
    }

    /// The row count whose preferred weight layout the tiles are packed in (one layout serves every row count).
    static let packingRows = 64
}

/// The bf16 matmul primitives of one model, made on first use of each (rows, columns, inSize, bias)
/// shape and kept, and per pool thread a scratchpad and a dense output tile.
final class BF16Engine: @unchecked Sendable {
    private struct Key: Hashable {
        let rows: Int
        let columns: Int
        let inSize: Int
        let bias: Bool
    }

    private struct State {
        var primitives: [Key: UnsafeMutablePointer<biasaudit_bf16_gemm>] = [:]
        var scratchpads: [UnsafeMutableRawPointer?]
        var scratchpadBytes = 0
        var tileOutputs: [UnsafeMutablePointer<Float>?]
        var tileOutputFloats = 0
    }

    /// Held for a whole product: primitives, streams and per-thread buffers serve one product at a time.
    private let state: Mutex<State>
    let pool: ComputePool

    init(pool: ComputePool = .shared) {
        self.pool = pool
        state = Mutex(
            State(
                scratchpads: Array(repeating: nil, count: pool.threadCount),
                tileOutputs: Array(repeating: nil, count: pool.threadCount)))
    }

    deinit {
        state.withLock { state in
            state.primitives.values.forEach { biasaudit_bf16_gemm_destroy($0) }
            state.scratchpads.forEach { $0.map { free($0) } }
            state.tileOutputs.forEach { $0.map { free($0) } }
        }
    }

    /// The oneDNN implementations chosen so far (e.g. `brg:avx512_core_bf16`), for tests and diagnostics.
    var implementations: Set<String> {
        state.withLock { state in
            Set(state.primitives.values.compactMap { $0.pointee.implementation.map { String(cString: $0) } })
        }
    }

    /// out: (N, outSize), inp: (N, inSize), inputBuffer: at least N × inSize. The bf16 counterpart of
    /// `matmul`: `out = inp · W + bias`, or `out += inp · W + bias` when `accumulate`, then GELU-tanh
    /// when `gelu`. `inp` is rounded to bfloat16 into `inputBuffer`; each column tile of `linear` is one
    /// single-threaded execution of oneDNN's matmul primitive (bf16 × bf16 + F32 bias, accumulated in
    /// F32) into the thread's dense (N, columns) tile, which is then stored or added into `out` (oneDNN
    /// 2.6's fast matmul writes only dense outputs). The tiles are spread over the pool.
    func product(
        _ linear: BF16Linear, out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, rows: Int,
        inputBuffer: UnsafeMutablePointer<UInt16>, accumulate: Bool = false, gelu: Bool = false
    ) {
        let inSize = linear.inSize
        let outSize = linear.outSize
        pool.parallelForRanges(count: rows, grain: 16) { range, _ in
            roundToBFloat16(
                out: inputBuffer + range.lowerBound * inSize, inp: inp + range.lowerBound * inSize,
                count: range.count * inSize)
        }
        state.withLock { state in
            let primitives = linear.tiles.map { tile in
                primitive(
                    Key(rows: rows, columns: tile.columns, inSize: inSize, bias: linear.bias != nil), state: &state,
                    descriptor: tile.descriptor)
            }
            reserveTileOutputs(floats: rows * (linear.tiles.map(\.columns).max() ?? 0), state: &state)
            let scratchpads = state.scratchpads
            let tileOutputs = state.tileOutputs
            let streams = OneDNNContext.shared.streams
            pool.parallelFor(count: linear.tiles.count) { index, thread in
                let tile = linear.tiles[index]
                let product = tileOutputs[thread]!
                OpenMPThreads.set(1)
                let status = biasaudit_bf16_gemm_execute(
                    primitives[index], Int32(thread), streams[thread], inputBuffer, tile.packed,
                    linear.bias.map { $0 + tile.first }, product, scratchpads[thread])
                precondition(status == dnnl_success, "oneDNN's bf16 matmul failed (status \(status.rawValue))")
                for n in 0..<rows {
                    let y = out + n * outSize + tile.first
                    let z = product + n * tile.columns
                    if accumulate {
                        for j in 0..<tile.columns { y[j] += z[j] }
                    } else {
                        y.update(from: z, count: tile.columns)
                    }
                    if gelu { geluTanh(y, count: tile.columns) }
                }
            }
        }
    }

    /// The primitive of `key`, made (and the scratchpads grown) when first needed.
    private func primitive(
        _ key: Key, state: inout State, descriptor: dnnl_memory_desc_t
    ) -> UnsafeMutablePointer<biasaudit_bf16_gemm> {
        if let made = state.primitives[key] { return made }
        // oneDNN sizes a primitive's work split by the creating thread's OpenMP thread count; it runs on one.
        OpenMPThreads.set(1)
        var gemm: UnsafeMutablePointer<biasaudit_bf16_gemm>?
        var descriptor = descriptor
        let status = biasaudit_bf16_gemm_create(
            &gemm, OneDNNContext.shared.engine, Int64(key.rows), Int64(key.inSize), Int64(key.columns), &descriptor,
            key.bias ? 1 : 0, Int32(pool.threadCount))
        precondition(
            status == dnnl_success && gemm != nil,
            "oneDNN could not create a bf16 matmul of (\(key.rows), \(key.inSize)) × (\(key.inSize), \(key.columns)) (status \(status.rawValue))")
        let bytes = gemm!.pointee.scratchpadBytes
        if bytes > state.scratchpadBytes {
            state.scratchpadBytes = (bytes + 4095) / 4096 * 4096
            for thread in state.scratchpads.indices {
                state.scratchpads[thread].map { free($0) }
                state.scratchpads[thread] = aligned_alloc(64, state.scratchpadBytes)
            }
        }
        state.primitives[key] = gemm!
        return gemm!
    }

    private func reserveTileOutputs(floats: Int, state: inout State) {
        guard floats > state.tileOutputFloats else { return }
        state.tileOutputFloats = (floats + 1023) / 1024 * 1024
        for thread in state.tileOutputs.indices {
            state.tileOutputs[thread].map { free($0) }
            state.tileOutputs[thread] = aligned_alloc(64, state.tileOutputFloats * 4)?.bindMemory(
                to: Float.self, capacity: state.tileOutputFloats)
        }
    }
}
