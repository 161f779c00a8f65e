import Generation
import XCTest

final class RandomStreamTests: XCTestCase {
    private func draws(seed: UInt64, stream: UInt64, count: Int = 64) -> [UInt64] {
        var generator = RandomStream(seed: seed, stream: stream)
        return (0..<count).map { _ in generator.nextUInt64() }
    }

    func testSameSeedAndStreamRepeat() {
        XCTAssertEqual(draws(seed: 42, stream: 7), draws(seed: 42, stream: 7))
        var first = RandomStream(seed: 0, stream: 0)
        var second = RandomStream(seed: 0, stream: 0)
        for _ in 0..<100 {
            XCTAssertEqual(first.nextUniform(), second.nextUniform())
        }
    }

    func testKnownFirstValuesStayFixed() {
        // Pinned so that a change to the derivation (which would change every audit's samples) is noticed.
        var generator = RandomStream(seed: 0, stream: 0)
        let pinned = (0..<3).map { _ in generator.nextUInt64() }
        XCTAssertEqual(pinned, RandomStreamTests.pinnedSeed0Stream0, "first outputs of (seed 0, stream 0)")
    }

    /// Computed by an independent Python port of the documented derivation (SplitMix64 seeding, whose
    /// first output for seed 0 is the published 0xE220A8397B1DCDAF, then xoshiro256**).
    static let pinnedSeed0Stream0: [UInt64] = [4_070_347_257_912_240_867, 9_931_556_135_024_339_744, 7_712_998_796_249_479_044]

    func testDifferentStreamsAndSeedsDiffer() {
        let base = draws(seed: 1, stream: 0)
        var seen = Set<UInt64>(base)
        for (seed, stream) in [(1, 1), (1, 2), (2, 0), (0, 1), (1, UInt64.max)] as [(UInt64, UInt64)] {
            let other = draws(seed: seed, stream: stream)
            XCTAssertNotEqual(other, base, "seed \(seed) stream \(stream) repeats seed 1 stream 0")
            let shared = other.filter { seen.contains($0) }
            XCTAssertTrue(shared.isEmpty, "seed \(seed) stream \(stream) shares outputs \(shared) with another stream")
            seen.formUnion(other)
        }
    }

    func testNeighbouringStreamsAreUncorrelated() {
        // Pearson correlation of uniforms from streams s and s + 1, over many stream pairs.
        let length = 2000
        var worst = 0.0
        for stream: UInt64 in 0..<20 {
            var a = RandomStream(seed: 99, stream: stream)
            var b = RandomStream(seed: 99, stream: stream + 1)
            let x = (0..<length).map { _ in a.nextUniform() }
            let y = (0..<length).map { _ in b.nextUniform() }
            let mx = x.reduce(0, +) / Double(length)
            let my = y.reduce(0, +) / Double(length)
            var sxy = 0.0, sxx = 0.0, syy = 0.0
            for (u, v) in zip(x, y) {
                sxy += (u - mx) * (v - my)
                sxx += (u - mx) * (u - mx)
                syy += (v - my) * (v - my)
            }
            worst = max(worst, abs(sxy / (sxx * syy).squareRoot()))
        }
        // Independent streams: |r| has standard deviation 1/√2000 ≈ 0.022; 0.1 is a 4.5σ bound.
        let correlationLimit = 0.1
        XCTAssertLessThan(worst, correlationLimit, "largest |correlation| between neighbouring streams: \(worst)")
    }

    func testUniformLiesInUnitIntervalWithUniformMean() {
        var generator = RandomStream(seed: 123, stream: 456)
        let count = 100_000
        var sum = 0.0
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<count {
            let u = generator.nextUniform()
            XCTAssertTrue(u >= 0 && u < 1, "uniform \(u) outside [0, 1)")
            sum += u
            buckets[Int(u * 10)] += 1
        }
        let meanTolerance = 0.005  // standard error 0.0009
        XCTAssertEqual(sum / Double(count), 0.5, accuracy: meanTolerance)
        let chiSquare = buckets.reduce(0.0) { $0 + pow(Double($1) - 10_000, 2) / 10_000 }
        let chiSquareLimit = 40.0  // 9 degrees of freedom: the 0.99999 quantile is ≈ 37
        XCTAssertLessThan(chiSquare, chiSquareLimit, "bucket counts \(buckets)")
    }

    func testUniformUsesTheTop53Bits() {
        var bits = RandomStream(seed: 8, stream: 8)
        var uniforms = RandomStream(seed: 8, stream: 8)
        for _ in 0..<100 {
            XCTAssertEqual(uniforms.nextUniform(), Double(bits.nextUInt64() >> 11) / 9_007_199_254_740_992)
        }
    }
}
