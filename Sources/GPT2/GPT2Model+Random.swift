import Hashing

extension GPT2Model {
    /// A model of the given shape with deterministic random weights, for benchmarks: no download,
    /// the exact tensor shapes (and so the FLOPs) of the real checkpoint.
    ///
    /// Matrices and embeddings are uniform in ±0.02·√3 (standard deviation 0.02, GPT-2's init scale),
    /// layer-norm weights are 1 and biases 0. The same seed always gives the same weights.
    /// - Throws: `GPT2Error.unsupportedPrecision` for `.bf16` on a CPU without bf16 instructions.
    public static func random(configuration: GPT2Configuration, seed: UInt64, precision: GPT2Precision = .f32) throws -> GPT2Model {
        let bound = Float(0.02 * 3.0.squareRoot())
        var tensorIndex: UInt64 = 0
        let weights = GPT2Weights(configuration: configuration) { name, shape, buffer in
            tensorIndex += 1
            if name.hasSuffix(".bias") { return }
            if shape.count == 1 {
                buffer.update(repeating: 1)
                return
            }
            var generator = SplitMix64(seed: seed &+ tensorIndex &* 0x9E37_79B9_7F4A_7C15)
            var i = 0
            while i < buffer.count {
                let bits = generator.next()
                buffer[i] = bound * (2 * Float(bits >> 40) / Float(1 << 24) - 1)
                if i + 1 < buffer.count {
                    buffer[i + 1] = bound * (2 * Float((bits >> 16) & 0xFF_FFFF) / Float(1 << 24) - 1)
                }
                i += 2
            }
        }
        return try GPT2Model(configuration: configuration, weights: weights, precision: precision)
    }
}
