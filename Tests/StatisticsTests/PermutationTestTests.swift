import Statistics
import XCTest

final class PermutationTestTests: XCTestCase {
    /// p-values are ratios of small counts: exact up to rounding.
    let pValueTolerance = 1e-12

    private func singleTemplateGroup(_ prefix: String, _ values: [Double]) -> GroupData {
        GroupData(cells: values.enumerated().map {
            Cell(stratum: "t", unit: "\(prefix)\($0.offset)", observations: [Observation(score: $0.element)])
        })
    }

    /// A = {3, 5}, B = {1, 2}: T_obs = 4 − 1.5 = 2.5. The C(4, 2) = 6 relabellings (A's values listed):
    /// {3,5}: 2.5, {1,2}: −2.5, {3,1}: 2 − 3.5 = −1.5, {3,2}: 2.5 − 3 = −0.5, {5,1}: 0.5, {5,2}: 1.5.
    /// |T| ≥ 2.5 for 2 of 6, so p = 1/3.
    func testExactPValueEnumeratedByHand() throws {
        let result = try permutationTest(singleTemplateGroup("a", [3, 5]), singleTemplateGroup("b", [1, 2]), seed: 7)
        XCTAssertEqual(result.statistic, 2.5, accuracy: pValueTolerance)
        XCTAssertEqual(result.pValue ?? .nan, 1.0 / 3.0, accuracy: pValueTolerance)
        XCTAssertEqual(result.permutations, 6)
        XCTAssertTrue(result.exact)
    }

    /// Two templates, unequal cell sizes, count-ratio observations: the p-value equals a brute-force
    /// enumeration written here from the definition (units keep one label across templates; statistic
    /// = mean over templates of A's pooled Σx/Σw minus B's).
    func testStratifiedExactPValueMatchesBruteForce() throws {
        let units: [(name: String, cells: [String: [Observation]])] = [
            ("a0", ["t0": [.init(x: 2, w: 3), .init(x: 1, w: 1)], "t1": [.init(x: 0, w: 2)]]),
            ("a1", ["t0": [.init(x: 3, w: 3)], "t1": [.init(x: 1, w: 1), .init(x: 2, w: 2), .init(x: 0, w: 0)]]),
            ("a2", ["t0": [.init(x: 1, w: 4)], "t1": [.init(x: 2, w: 3)]]),
            ("b0", ["t0": [.init(x: 0, w: 2), .init(x: 1, w: 2)], "t1": [.init(x: 0, w: 1)]]),
            ("b1", ["t0": [.init(x: 1, w: 3)], "t1": [.init(x: 1, w: 4), .init(x: 0, w: 2)]]),
        ]
        func group(_ members: [Int]) -> GroupData {
            GroupData(cells: members.flatMap { index in
                units[index].cells.map { Cell(stratum: $0.key, unit: units[index].name, observations: $0.value) }
            })
        }
        func statistic(_ inA: [Int]) -> Double {
            let differences = ["t0", "t1"].map { template -> Double in
                func ratio(_ members: [Int]) -> Double {
                    let observations = members.flatMap { units[$0].cells[template] ?? [] }
                    return observations.map(\.x).reduce(0, +) / observations.map(\.w).reduce(0, +)
                }
                return ratio(inA) - ratio((0..<5).filter { !inA.contains($0) })
            }
            return differences.reduce(0, +) / 2
        }
        let observed = statistic([0, 1, 2])
        var subsets: [[Int]] = []
        for mask in 0..<32 where mask.nonzeroBitCount == 3 {
            subsets.append((0..<5).filter { mask & (1 << $0) != 0 })
        }
        let extreme = subsets.filter { abs(statistic($0)) >= abs(observed) - 1e-12 }.count
        XCTAssertEqual(subsets.count, 10)

        let result = try permutationTest(group([0, 1, 2]), group([3, 4]), seed: 3)
        XCTAssertTrue(result.exact)
        XCTAssertEqual(result.permutations, 10)
        XCTAssertEqual(result.statistic, observed, accuracy: pValueTolerance)
        XCTAssertEqual(result.pValue ?? .nan, Double(extreme) / 10, accuracy: pValueTolerance)
    }

    /// Forcing Monte Carlo (`exactLimit: 0`) on the 5-vs-5 case gives p = (b + 1) / (B + 1) close to
    /// the exact p, deterministically for a seed.
    func testMonteCarloPValueApproachesExact() throws {
        let a = singleTemplateGroup("a", [1.2, 0.4, 2.2, 1.9, 0.8])
        let b = singleTemplateGroup("b", [0.1, 0.9, -0.3, 0.5, 1.0])
        let exact = try permutationTest(a, b, seed: 11)
        let draws = 20_000
        let monteCarlo = try permutationTest(a, b, permutations: draws, exactLimit: 0, seed: 11)
        XCTAssertTrue(exact.exact)
        XCTAssertFalse(monteCarlo.exact)
        XCTAssertEqual(monteCarlo.permutations, draws)
        let exactP = try XCTUnwrap(exact.pValue)
        let monteCarloP = try XCTUnwrap(monteCarlo.pValue)
        let countPlusOne = monteCarloP * Double(draws + 1)
        XCTAssertEqual(countPlusOne, countPlusOne.rounded(), accuracy: 1e-6, "p must be (b + 1) / (B + 1)")
        let monteCarloTolerance = 4 * (exactP * (1 - exactP) / Double(draws)).squareRoot()
        XCTAssertEqual(monteCarloP, exactP, accuracy: monteCarloTolerance, "exact \(exactP), Monte Carlo \(monteCarloP)")
        XCTAssertEqual(try permutationTest(a, b, permutations: draws, exactLimit: 0, seed: 11), monteCarlo)
    }

    func testUndefinedContrastHasNoPValue() throws {
        let a = GroupData(cells: [Cell(stratum: "t0", unit: "a", observations: [.init(score: 1)])])
        let b = GroupData(cells: [Cell(stratum: "t1", unit: "b", observations: [.init(score: 0)])])
        let result = try permutationTest(a, b, seed: 1)
        XCTAssertNil(result.pValue, "no shared template: no test")
        XCTAssertTrue(result.statistic.isNaN)
        XCTAssertThrowsError(try permutationTest(a, b, permutations: 0, seed: 1))
    }

    /// Under no group difference (strong unit and template effects, same distribution in A and B),
    /// the test rejects at α = 0.05 in 3–7% of 1000 replications, exact and Monte Carlo alike.
    func testSizeUnderTheNullIsNominal() throws {
        let replications = 1000
        let alpha = 0.05
        var synthetic = Synthetic(seed: 2024)
        var exactRejections = 0
        var monteCarloRejections = 0
        for replication in 0..<replications {
            let a = synthetic.meanGroup(
                prefix: "a", units: 5, samples: 3, mean: 0, templateEffects: [-0.5, 0.5], unitSD: 0.7, sampleSD: 1)
            let b = synthetic.meanGroup(
                prefix: "b", units: 5, samples: 3, mean: 0, templateEffects: [-0.5, 0.5], unitSD: 0.7, sampleSD: 1)
            let exact = try permutationTest(a, b, seed: UInt64(replication))
            let monteCarlo = try permutationTest(a, b, permutations: 199, exactLimit: 0, seed: UInt64(replication))
            XCTAssertTrue(exact.exact)
            if try XCTUnwrap(exact.pValue) <= alpha { exactRejections += 1 }
            if try XCTUnwrap(monteCarlo.pValue) <= alpha { monteCarloRejections += 1 }
        }
        let exactRate = Double(exactRejections) / Double(replications)
        let monteCarloRate = Double(monteCarloRejections) / Double(replications)
        print("permutation test size at α = 0.05 over \(replications) null replications: "
            + "exact \(exactRate), Monte Carlo (B = 199) \(monteCarloRate)")
        XCTAssert((0.03...0.07).contains(exactRate), "exact rejection rate \(exactRate) outside 3–7%")
        XCTAssert((0.03...0.07).contains(monteCarloRate), "Monte Carlo rejection rate \(monteCarloRate) outside 3–7%")
    }
}
