import Foundation

// The vectorised kernels the forward pass runs: 16 lanes at a time (SIMD16<Float>), the same formulas
// as the plain kernels in Kernels.swift, which tests hold them to. Every element of a row goes
// through the same lane arithmetic (tails are padded, not done in scalar code), so a value never
// depends on where in a buffer it sits.

/// Sixteen floats.
typealias Lanes = SIMD16<Float>

@inline(__always)
func loadLanes(_ pointer: UnsafePointer<Float>) -> Lanes {
    UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
}

@inline(__always)
func storeLanes(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
}

/// Loads `count` (< 16) floats, the other lanes `padding`.
@inline(__always)
func loadPartialLanes(_ pointer: UnsafePointer<Float>, count: Int, padding: Float) -> Lanes {
    var value = Lanes(repeating: padding)
    for lane in 0..<count { value[lane] = pointer[lane] }
    return value
}

/// e^x lane-wise, within about 2 ulp of `expf` (Cephes' `expf`: x = n·ln 2 + r, a degree-6
/// polynomial for e^r, then 2^n through the exponent bits). Inputs are clamped to [-87.3, 88]:
/// below, the result is about 1e-38 rather than 0; above, about 1.7e38 rather than infinity.
@inline(__always)
func exponential(_ x: Lanes) -> Lanes {
    // Adding and subtracting 1.5·2²³ rounds to the nearest integer (ties to even) in float arithmetic,
    // and leaves that integer in the low mantissa bits, which become the exponent of 2ⁿ.
    let magic = Lanes(repeating: 0x1.8p23)
    // Masked replacement rather than `clamped`, which the compiler leaves lane by lane.
    let low = Lanes(repeating: -87.3)
    let high = Lanes(repeating: 88.0)
    var clamped = x.replacing(with: low, where: x .< low)
    clamped.replace(with: high, where: clamped .> high)
    let shifted = clamped * Lanes(repeating: 1.442_695_04) + magic
    let n = shifted - magic
    var r = clamped - n * Lanes(repeating: 0.693_359_375)
    r -= n * Lanes(repeating: -2.121_944_4e-4)
    var p = Lanes(repeating: 1.987_569_15e-4)
    p = p * r + Lanes(repeating: 1.398_199_95e-3)
    p = p * r + Lanes(repeating: 8.333_451_9e-3)
    p = p * r + Lanes(repeating: 4.166_579_59e-2)
    p = p * r + Lanes(repeating: 1.666_666_55e-1)
    p = p * r + Lanes(repeating: 5.000_000_12e-1)
    let y = p * r * r + r + Lanes(repeating: 1)
    let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
    return y * unsafeBitCast((integer &+ 127) &<< 23, to: Lanes.self)
}

/// GELU-tanh of sixteen values, written as `x · sigmoid(2u) = x / (1 + e^(-2u))` with
/// `u = √(2/π)·(x + 0.044715·x³)`, which equals `0.5·x·(1 + tanh(u))`.
@inline(__always)
func geluLanes(_ x: Lanes) -> Lanes {
    let u = Lanes(repeating: Float((2.0 / Double.pi).squareRoot())) * (x + Lanes(repeating: 0.044715) * x * x * x)
    return x / (Lanes(repeating: 1) + exponential(Lanes(repeating: -2) * u))
}

/// values: (count), in place. GELU with the tanh approximation (transformers' `gelu_new`).
func geluTanh(_ values: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
        storeLanes(geluLanes(loadLanes(values + i)), values + i)
        i += 16
    }
    if i < count {
        let rest = geluLanes(loadPartialLanes(values + i, count: count - i, padding: 0))
        for lane in 0..<(count - i) { values[i + lane] = rest[lane] }
    }
}

/// out: (N, C), inp: (N, C), weight/bias: (C). Layer norm over the last axis, as `torch.nn.LayerNorm`
/// (biased variance); `out` may alias `inp`.
func layerNorm(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    rows: Int, channels: Int, epsilon: Float
) {
    let whole = channels / 16 * 16
    for n in 0..<rows {
        let x = inp + n * channels
        let y = out + n * channels
        var sums = Lanes()
        var c = 0
        while c < whole {
            sums += loadLanes(x + c)
            c += 16
        }
        if c < channels { sums += loadPartialLanes(x + c, count: channels - c, padding: 0) }
        let mean = sums.sum() / Float(channels)
        let means = Lanes(repeating: mean)
        var squares = Lanes()
        c = 0
        while c < whole {
            let d = loadLanes(x + c) - means
            squares += d * d
            c += 16
        }
        if c < channels {
            let d = loadPartialLanes(x + c, count: channels - c, padding: mean) - means
            squares += d * d
        }
        let inverseDeviation = Lanes(repeating: 1 / (squares.sum() / Float(channels) + epsilon).squareRoot())
        c = 0
        while c < whole {
            storeLanes((loadLanes(x + c) - means) * inverseDeviation * loadLanes(weight + c) + loadLanes(bias + c), y + c)
            c += 16
        }
        if c < channels {
            let rest = channels - c
            let value = (loadPartialLanes(x + c, count: rest, padding: 0) - means) * inverseDeviation
                * loadPartialLanes(weight + c, count: rest, padding: 0) + loadPartialLanes(bias + c, count: rest, padding: 0)
            for lane in 0..<rest { y[c + lane] = value[lane] }
        }
    }
}

/// out: (H·D), query: (H·D), keys/values: (T, stride) holding H heads of width D at the start of each
/// row, scores: (T) scratch. Causal self-attention of one query token over the T cached positions
/// `0..<T` (the token itself included), every head: `softmax(q·kᵀ · scale) · v`. Vectorised over the
/// head width; `attendOneTokenNaive` is the reference.
func attendOneToken(
    out: UnsafeMutablePointer<Float>, query: UnsafePointer<Float>,
    keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
    length: Int, stride: Int, headCount: Int, headSize: Int, scale: Float,
    scores: UnsafeMutablePointer<Float>
) {
    guard headSize % 16 == 0 else {
        attendOneTokenNaive(
            out: out, query: query, keys: keys, values: values, length: length, stride: stride,
            headCount: headCount, headSize: headSize, scale: scale, scores: scores)
        return
    }
    for h in 0..<headCount {
        let q = query + h * headSize
        let o = out + h * headSize
        var maximum = -Float.infinity
        for t in 0..<length {
            let k = keys + t * stride + h * headSize
            var dot = Lanes()
            var d = 0
            while d < headSize {
                dot += loadLanes(q + d) * loadLanes(k + d)
                d += 16
            }
            let score = dot.sum() * scale
            scores[t] = score
            maximum = max(maximum, score)
        }
        var total: Float = 0
        var t = 0
        while t < length {
            let count = min(16, length - t)
            let weights = exponential(loadPartialLanes(scores + t, count: count, padding: -.infinity) - Lanes(repeating: maximum))
            for lane in 0..<count {
                scores[t + lane] = weights[lane]
                total += weights[lane]
            }
            t += 16
        }
        let inverse = 1 / total
        var d = 0
        while d < headSize {
            var sum = Lanes()
            for t in 0..<length {
                sum += Lanes(repeating: scores[t]) * loadLanes(values + t * stride + h * headSize + d)
            }
            storeLanes(sum * Lanes(repeating: inverse), o + d)
            d += 16
        }
    }
}
