/// SplitMix64 (Steele, Lea & Flood, 2014): a tiny generator and a bijective 64-bit mixer, used to seed
/// the xoshiro generators, to derive random-stream ids and to fill random weights.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The Weyl-sequence state, advanced by the golden-ratio increment on every draw.
    public var state: UInt64

    /// Creates the generator at `state`.
    public init(state: UInt64) {
        self.state = state
    }

    /// Creates the generator from a seed (the seed is the initial state).
    public init(seed: UInt64) {
        state = seed
    }

    /// The golden-ratio increment, 2⁶⁴ / φ.
    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Advances the state and returns its finalised value.
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.finalize(state)
    }

    /// The SplitMix64 output function: a bijective 64-bit mixer.
    public static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
