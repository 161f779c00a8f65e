import Hashing

/// A seeded, reproducible random stream: xoshiro256** (Blackman & Vigna, 2018) whose 256-bit state is
/// derived from a `(seed, stream)` pair with SplitMix64.
///
/// Derivation: `seedKey` is the first SplitMix64 output for `seed`; `streamKey` is the SplitMix64
/// finaliser applied to an odd-multiplier affine map of `stream` (a bijection, so distinct stream ids
/// give distinct keys); the four state words are the next four SplitMix64 outputs starting from
/// `seedKey ^ streamKey`. For one seed every stream id yields a different starting point, and the
/// SplitMix64 finaliser decorrelates neighbouring ids, so streams 0, 1, 2, … are independent for all
/// practical purposes. The same `(seed, stream)` always repeats the same numbers, on every platform.
public struct RandomStream: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates the stream numbered `stream` of the run seeded with `seed`.
    /// - Parameters:
    ///   - seed: the run seed.
    ///   - stream: the stream id (for example a hash of template id and sample index).
    public init(seed: UInt64, stream: UInt64) {
        var seedMixer = SplitMix64(state: seed)
        let seedKey = seedMixer.next()
        let streamKey = SplitMix64.finalize(stream &* 0xD6E8_FEB8_6659_FD93 &+ 0x632B_E59B_D9B4_E019)
        var mixer = SplitMix64(state: seedKey ^ streamKey)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 {
            // xoshiro's only forbidden state; SplitMix64 reaching it would take four zero outputs in a row.
            s0 = 0x9E37_79B9_7F4A_7C15
        }
    }

    /// The next 64 uniformly distributed bits (xoshiro256**).
    public mutating func nextUInt64() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits (the top 53 bits of `nextUInt64()`).
    public mutating func nextUniform() -> Double {
        Double(nextUInt64() >> 11) * 0x1.0p-53
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
