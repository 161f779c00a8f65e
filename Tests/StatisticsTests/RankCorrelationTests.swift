@testable import Statistics
import XCTest

/// Spearman's ρ against values computed by hand (average ranks for ties, as `scipy.stats.spearmanr`).
final class RankCorrelationTests: XCTestCase {
    /// ρ is a ratio of sums of small rank products: beyond rounding, a difference is a bug.
    private let tolerance = 1e-12

    func testUntiedRanksMatchTheTextbookFormula() throws {
        // Σd² = 8 over n = 5: ρ = 1 − 6·8 / (5·24) = 0.6.
        let rho = try XCTUnwrap(spearmanCorrelation([0.25, 0.5, 0.1, 0.9, 0.75], [0.13, 0.08, 0.11, 0.97, 0.98]))
        XCTAssertEqual(rho, 0.6, accuracy: tolerance, "difference \(abs(rho - 0.6))")
        XCTAssertEqual(try XCTUnwrap(spearmanCorrelation([1, 2, 3, 4], [10, 20, 30, 40])), 1, accuracy: tolerance)
        XCTAssertEqual(try XCTUnwrap(spearmanCorrelation([1, 2, 3, 4], [4, 3, 2, 1])), -1, accuracy: tolerance)
    }

    func testTiesGetTheirAverageRank() throws {
        XCTAssertEqual(averageRanks([0.02, 0.03, 0.02, 0.05]), [1.5, 3, 1.5, 4])
        // Ranks [1, 2, 3, 4, 5] and [1.5, 1.5, 3, 5, 4], both with mean 3: Σ(x − 3)(y − 3) = 8.5,
        // Σ(x − 3)² = 10, Σ(y − 3)² = 9.5, so ρ = 8.5 / √95.
        let expected = 8.5 / 95.0.squareRoot()
        let rho = try XCTUnwrap(spearmanCorrelation([1, 2, 3, 4, 5], [0.02, 0.02, 0.03, 0.05, 0.04]))
        XCTAssertEqual(rho, expected, accuracy: tolerance, "difference \(abs(rho - expected))")
    }

    func testUndefinedCasesAreNil() {
        XCTAssertNil(spearmanCorrelation([1], [2]), "one pair")
        XCTAssertNil(spearmanCorrelation([1, 2, 3], [1, 2]), "lengths differ")
        XCTAssertNil(spearmanCorrelation([1, 1, 1], [1, 2, 3]), "no variation")
        XCTAssertNil(spearmanCorrelation([1, .nan, 3], [1, 2, 3]), "non-finite value")
    }
    /// Statistician's review: ρ from 4 occupations was printed bare, though chance alone gives ±1 in 2 of 24 orderings.
    /// The p-value is exact over the orderings up to 8 pairs and the t approximation above, against scipy:
    /// `permutation_test(..., permutation_type='pairings', n_resamples=np.inf)` and `spearmanr(...).pvalue`.
    func testThePValueIsExactForFewPairsAndScipysTApproximationForMore() throws {
        let cases: [([Double], [Double], Double)] = [
            ([0.1, 0.4, 0.3, 0.9], [0.2, 0.3, 0.5, 0.8], 0.3333333333333333),
            ([1, 2, 3, 4], [1, 2, 3, 4], 0.08333333333333333),
            ([0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.65, 0.8, 0.15, 0.4], [0.3, 0.4, 0.2, 0.9, 0.5, 0.1, 0.8, 0.6, 0.35, 0.45],
             0.0016368033159867156),
        ]
        let pTolerance = 1e-9
        for (x, y, expected) in cases {
            let p = try XCTUnwrap(spearmanPValue(x, y))
            XCTAssertEqual(p, expected, accuracy: pTolerance, "n = \(x.count): p \(p) vs scipy's \(expected), off by \(abs(p - expected))")
        }
        XCTAssertNil(spearmanPValue([1, 1, 1, 1], [1, 2, 3, 4]), "undefined ρ has no p-value")
    }
}
