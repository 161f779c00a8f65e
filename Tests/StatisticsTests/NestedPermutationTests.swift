import Statistics
import XCTest

/// The permutation test when units are nested in templates (each unit, e.g. a fixed prompt, occurs
/// in exactly one template): labels are permuted within each template, not across the design.
final class NestedPermutationTests: XCTestCase {
    /// p-values are ratios of small counts: exact up to rounding.
    let pValueTolerance = 1e-12

    /// One prompt per group per template: A's prompt in template t scores `effects[t] + differences[t]`
    /// (two completions spread ±0.5 around it), B's scores `effects[t]`.
    private func signFlipDesign(differences: [Double], effects: [Double]) -> (a: GroupData, b: GroupData) {
        func group(_ prefix: String, _ level: (Int) -> Double) -> GroupData {
            GroupData(cells: differences.indices.map { t in
                Cell(stratum: "t\(t)", unit: "\(prefix) prompt \(t)",
                     observations: [Observation(score: level(t) - 0.5), Observation(score: level(t) + 0.5)])
            })
        }
        return (group("A", { effects[$0] + differences[$0] }), group("B", { effects[$0] }))
    }

    /// T = 4 templates with per-template differences d = (3, −1, 2, 0.5) on top of large template
    /// effects: T_obs = mean d = 4.5 / 4. A sign flip of the templates in F gives (4.5 − 2·Σ_F d) / 4, so
    /// |T| ≥ |T_obs| iff Σ_F d ≤ 0 or Σ_F d ≥ 4.5. The 16 subset sums of {3, −1, 2, 0.5} are
    /// 0, 3, −1, 2, 0.5, 2, 5, 3.5, 1, −0.5, 2.5, 4, 2.5, 5.5, 1.5, 4.5: ≤ 0 for {}, {−1}, {−1, 0.5};
    /// ≥ 4.5 for {3, 2}, {3, 2, 0.5}, all. So p = 6 / 16. (Relabelling the 8 prompts across the
    /// design would give C(8, 4) = 70 relabellings, some dropping templates.)
    func testSignFlipPValueEnumeratedByHand() throws {
        let design = signFlipDesign(differences: [3, -1, 2, 0.5], effects: [10, -5, 0, 3])
        let result = try permutationTest(design.a, design.b, seed: 4)
        XCTAssertEqual(result.statistic, 4.5 / 4, accuracy: pValueTolerance)
        XCTAssertTrue(result.exact)
        XCTAssertEqual(result.permutations, 16, "2^4 sign flips, every one defined")
        XCTAssertEqual(result.pValue ?? .nan, 6.0 / 16.0, accuracy: pValueTolerance)
    }

    /// T templates × 1 prompt per group: exactly 2^T relabellings, exact while 2^T ≤ exactLimit.
    func testNestedDesignHasTwoToTheTRelabellings() throws {
        let ten = signFlipDesign(differences: (0..<10).map { Double($0 % 3) - 0.7 }, effects: Array(repeating: 1, count: 10))
        let exact = try permutationTest(ten.a, ten.b, seed: 1)
        XCTAssertTrue(exact.exact)
        XCTAssertEqual(exact.permutations, 1024)
        let limited = try permutationTest(ten.a, ten.b, permutations: 500, exactLimit: 1023, seed: 1)
        XCTAssertFalse(limited.exact, "2^10 = 1024 > exactLimit 1023: Monte Carlo")
        XCTAssertEqual(limited.permutations, 500)
    }

    /// Unequal nested templates (t0: 2 A + 1 B prompts, t1: 1 + 1, t2: 2 + 2) give
    /// C(3, 2) · C(2, 1) · C(4, 2) = 36 relabellings, and the p-value equals a brute-force enumeration
    /// written here from the definition (labels permuted within each template).
    func testUnequalNestedTemplatesMatchBruteForce() throws {
        let scores: [[(group: String, values: [Double])]] = [
            [("A", [1.0, 2.0]), ("A", [0.5]), ("B", [0.0, -1.0, 0.5])],
            [("A", [4.0]), ("B", [3.0, 2.5])],
            [("A", [2.0, 2.5]), ("A", [3.0]), ("B", [1.0]), ("B", [2.0, 0.0])],
        ]
        func group(_ name: String) -> GroupData {
            GroupData(cells: scores.enumerated().flatMap { t, prompts in
                prompts.enumerated().compactMap { index, prompt in
                    prompt.group == name
                        ? Cell(stratum: "t\(t)", unit: "t\(t) prompt \(index)", observations: prompt.values.map { Observation(score: $0) })
                        : nil
                }
            })
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        func statistic(_ labels: [[Bool]]) -> Double {
            let differences = scores.indices.map { t -> Double in
                let prompts = scores[t].indices
                return mean(prompts.filter { labels[t][$0] }.flatMap { scores[t][$0].values })
                    - mean(prompts.filter { !labels[t][$0] }.flatMap { scores[t][$0].values })
            }
            return mean(differences)
        }
        func relabellings(of t: Int) -> [[Bool]] {
            let count = scores[t].count
            let sizeA = scores[t].filter { $0.group == "A" }.count
            return (0..<(1 << count)).filter { $0.nonzeroBitCount == sizeA }.map { mask in
                (0..<count).map { mask & (1 << $0) != 0 }
            }
        }
        let observed = statistic(scores.map { $0.map { $0.group == "A" } })
        var all: [[[Bool]]] = [[]]
        for t in scores.indices {
            all = all.flatMap { prefix in relabellings(of: t).map { prefix + [$0] } }
        }
        XCTAssertEqual(all.count, 36)
        let extreme = all.filter { abs(statistic($0)) >= abs(observed) - 1e-12 }.count

        let result = try permutationTest(group("A"), group("B"), seed: 2)
        XCTAssertTrue(result.exact)
        XCTAssertEqual(result.permutations, 36)
        XCTAssertEqual(result.statistic, observed, accuracy: pValueTolerance)
        XCTAssertEqual(result.pValue ?? .nan, Double(extreme) / 36, accuracy: pValueTolerance)
    }

    /// Monte Carlo (`exactLimit: 0`) within templates agrees with the exact sign-flip p-value within
    /// four binomial standard errors, and p = (b + 1) / (B + 1).
    func testMonteCarloAgreesWithExactOnNestedDesign() throws {
        let design = signFlipDesign(
            differences: [0.9, -0.4, 1.3, 0.2, -0.1, 0.8, 0.5, -0.6], effects: [2, -1, 0, 4, 1, -3, 0.5, 1])
        let exact = try permutationTest(design.a, design.b, seed: 9)
        let draws = 20_000
        let monteCarlo = try permutationTest(design.a, design.b, permutations: draws, exactLimit: 0, seed: 9)
        XCTAssertTrue(exact.exact)
        XCTAssertEqual(exact.permutations, 256)
        XCTAssertFalse(monteCarlo.exact)
        XCTAssertEqual(monteCarlo.permutations, draws, "within-template relabellings are always defined")
        let exactP = try XCTUnwrap(exact.pValue)
        let monteCarloP = try XCTUnwrap(monteCarlo.pValue)
        let countPlusOne = monteCarloP * Double(draws + 1)
        XCTAssertEqual(countPlusOne, countPlusOne.rounded(), accuracy: 1e-6, "p must be (b + 1) / (B + 1)")
        let monteCarloTolerance = 4 * (exactP * (1 - exactP) / Double(draws)).squareRoot()
        XCTAssertEqual(monteCarloP, exactP, accuracy: monteCarloTolerance, "exact \(exactP), Monte Carlo \(monteCarloP)")
    }

    /// Mixed design: a0 and b0 appear in both templates, a1 only in t0, b1 only in t1. Everything is
    /// linked through a0 and b0, whose labels must agree across templates, so all four units are
    /// permuted jointly: C(4, 2) = 6 relabellings (each leaves both groups in both templates).
    func testMixedDesignPermutesLinkedUnitsJointly() throws {
        func cell(_ stratum: String, _ unit: String, _ score: Double) -> Cell {
            Cell(stratum: stratum, unit: unit, observations: [Observation(score: score)])
        }
        let a = GroupData(cells: [cell("t0", "a0", 2), cell("t1", "a0", 3), cell("t0", "a1", 1)])
        let b = GroupData(cells: [cell("t0", "b0", 0), cell("t1", "b0", 1), cell("t1", "b1", 0.5)])
        let result = try permutationTest(a, b, seed: 5)
        XCTAssertTrue(result.exact)
        XCTAssertEqual(result.permutations, 6)
    }

    /// Under no group difference (strong template effects, prompt effects and sampling noise alike in
    /// A and B), the exact within-template test over T = 10 templates (1024 sign flips) rejects at
    /// α = 0.05 in 3–7% of 1000 replications.
    func testNestedSizeUnderTheNullIsNominal() throws {
        let replications = 1000
        let alpha = 0.05
        var synthetic = Synthetic(seed: 515)
        var rejections = 0
        for replication in 0..<replications {
            var cells: (a: [Cell], b: [Cell]) = ([], [])
            for t in 0..<10 {
                let templateEffect = 2 * synthetic.normal()
                func prompt(_ name: String) -> Cell {
                    let promptEffect = 0.5 * synthetic.normal()
                    return Cell(stratum: "t\(t)", unit: "\(name) \(t)", observations: (0..<4).map { _ in
                        Observation(score: templateEffect + promptEffect + synthetic.normal())
                    })
                }
                cells.a.append(prompt("A"))
                cells.b.append(prompt("B"))
            }
            let result = try permutationTest(GroupData(cells: cells.a), GroupData(cells: cells.b), seed: UInt64(replication))
            XCTAssertEqual(result.permutations, 1024)
            if try XCTUnwrap(result.pValue) <= alpha { rejections += 1 }
        }
        let rate = Double(rejections) / Double(replications)
        print("nested (sign-flip) permutation test size at α = 0.05 over \(replications) null replications: \(rate)")
        XCTAssert((0.03...0.07).contains(rate), "rejection rate \(rate) outside 3–7%")
    }
}
