import AuditResults
import Statistics
import XCTest

/// Seeded Monte Carlo of the verdicts `diff` and `check` give when two runs are compared from their
/// summaries (two independent contrasts with known standard errors): the cases of issue 12.
///
/// Each replicate draws Â ~ N(A, σ²) and B̂ ~ N(B, σ²) with σ = 0.05, writes them as results-file estimates
/// (value, 95% interval, standard error) and asks `Statistics.modelDifference` for the p-values of "more
/// biased" and "less biased"; with one compared contrast the Benjamini–Hochberg q equals that p, so the
/// verdict is "more biased" (or "less biased") when its p < 0.05.
final class VerdictErrorRateTests: XCTestCase {
    private let replicates = 4000
    private let sigma = 0.05
    /// The largest rate of a wrong verdict the issue allows.
    private let allowedErrorRate = 0.05

    /// SplitMix64 with Box–Muller normals: deterministic across platforms.
    private struct Normals {
        var state: UInt64
        mutating func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (Double((z ^ (z >> 31)) >> 11) + 0.5) / Double(1 << 53)
        }
        mutating func next() -> Double {
            (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
        }
    }

    /// The shares of replicates called "more biased" and "less biased" when the true contrasts are `a` and `b`.
    private func rates(a: Double, b: Double, seed: UInt64) -> (more: Double, less: Double, reversed: Double) {
        var normals = Normals(state: seed)
        var (more, less, reversed) = (0, 0, 0)
        for _ in 0..<replicates {
            func estimate(_ truth: Double) -> Estimate {
                let value = truth + sigma * normals.next()
                return Estimate(
                    value: value, lower: value - 1.959964 * sigma, upper: value + 1.959964 * sigma, n: 6,
                    observations: 120, weight: 120, standardError: sigma)
            }
            let result = modelDifference(first: estimate(a), second: estimate(b))
            let (pMore, pLess) = (result.pLarger ?? 1, result.pSmaller ?? 1)
            if min(pMore, pLess) < Findings.threshold { if pMore <= pLess { more += 1 } else { less += 1 } }
            if result.signReversed { reversed += 1 }
        }
        let n = Double(replicates)
        return (Double(more) / n, Double(less) / n, Double(reversed) / n)
    }

    /// Measured with these seeds: flip more 0.007 / less 0.005 (reversed 0.016), no change 0.006 / 0.006,
    /// no bias 0.001 / 0.001, removal more 0.002 (less 0.004); growth −0.04 → −0.30 more 0.961.
    func testSameSizeFlipsNoChangeAndRemovalAreRarelyCalledMoreOrLessBiased() {
        let cases: [(String, Double, Double)] = [
            ("same-size flip −0.04 → +0.04", -0.04, 0.04), ("no change −0.04 → −0.04", -0.04, -0.04),
            ("no bias 0 → 0", 0, 0),
        ]
        for (index, (name, a, b)) in cases.enumerated() {
            let measured = rates(a: a, b: b, seed: 101 + UInt64(index))
            XCTAssertLessThanOrEqual(measured.more, allowedErrorRate,
                                     "\(name): 'more biased' in \(measured.more) of \(replicates) (allowed \(allowedErrorRate))")
            XCTAssertLessThanOrEqual(measured.less, allowedErrorRate,
                                     "\(name): 'less biased' in \(measured.less) of \(replicates) (allowed \(allowedErrorRate))")
        }
        let removal = rates(a: -0.03, b: 0, seed: 201)
        XCTAssertLessThanOrEqual(removal.more, allowedErrorRate,
                                 "removal −0.03 → 0: 'more biased' in \(removal.more) (allowed \(allowedErrorRate))")
    }

    func testALargeGrowthIsFound() {
        // −0.04 → −0.30: the change is 0.26 = 3.7 σ of the change (σ√2): found nearly always.
        let minimumPower = 0.9
        let growth = rates(a: -0.04, b: -0.30, seed: 301)
        XCTAssertGreaterThanOrEqual(growth.more, minimumPower, "growth −0.04 → −0.30: 'more biased' in \(growth.more)")
        XCTAssertEqual(growth.less, 0, "never 'less biased'")
    }
}
