import Foundation
import Statistics
import XCTest

final class ContrastTests: XCTestCase {
    /// Means of a handful of small numbers: exact up to rounding.
    let sumTolerance = 1e-12

    private func cell(_ stratum: String, _ unit: String, _ scores: [Double]) -> Cell {
        Cell(stratum: stratum, unit: unit, observations: scores.map { Observation(score: $0) })
    }

    /// A: a0, a1; B: b0, b1, b2 (b2 absent from t1); t2 exists only in A and is ignored.
    /// t0: A = (1 + 3 + 2) / 3 = 2, B = (0 + 1 + 2 + 0) / 4 = 0.75, difference 1.25.
    /// t1: A = (4 + 6) / 2 = 5, B = (1 + 1 + 3) / 3 = 5/3, difference 10/3.
    /// Contrast = (1.25 + 10/3) / 2; levels (2 + 5) / 2 and (0.75 + 5/3) / 2. The unstratified pooled
    /// difference, 16/5 − 8/7, is a different number: the test would catch pooling across templates.
    private var groupA: GroupData {
        GroupData(cells: [
            cell("t0", "a0", [1, 3]), cell("t0", "a1", [2]), cell("t1", "a0", [4]), cell("t1", "a1", [6]),
            cell("t2", "a0", [100]),
        ])
    }
    private var groupB: GroupData {
        GroupData(cells: [
            cell("t0", "b0", [0]), cell("t0", "b1", [1]), cell("t0", "b2", [2, 0]),
            cell("t1", "b0", [1, 1]), cell("t1", "b1", [3]),
        ])
    }

    func testStratifiedEstimateByHand() throws {
        let result = try contrast(groupA, groupB, resamples: 300, seed: 5)
        let expected = (1.25 + 10.0 / 3.0) / 2
        XCTAssertEqual(result.estimate.value, expected, accuracy: sumTolerance)
        XCTAssertNotEqual(result.estimate.value, 16.0 / 5.0 - 8.0 / 7.0, accuracy: 0.1)
        XCTAssertEqual(result.levelA, 3.5, accuracy: sumTolerance)
        XCTAssertEqual(result.levelB, (0.75 + 5.0 / 3.0) / 2, accuracy: sumTolerance)
        XCTAssertEqual(result.estimate.n, 5)
        XCTAssertEqual(result.estimate.observations, 12)
        let lower = try XCTUnwrap(result.estimate.lower)
        let upper = try XCTUnwrap(result.estimate.upper)
        XCTAssertLessThanOrEqual(lower, upper)
        XCTAssertTrue(result.exact)
        XCTAssertEqual(result.permutations, 10, "C(5, 2) relabellings")
        XCTAssertNotNil(result.pValue)

        let unitMeansA = [8.0 / 3.0, 4.0]
        let unitMeansB = [2.0 / 3.0, 2.0, 1.0]
        XCTAssertEqual(result.effectSizeKind, .cohensD)
        XCTAssertEqual(result.effectSize ?? .nan, cohensD(unitMeansA, unitMeansB) ?? .nan, accuracy: sumTolerance)
    }

    func testCohensHUsesTheStratifiedRates() throws {
        let a = GroupData(cells: (0..<4).map { cell("t", "a\($0)", [1, 0, 1, $0 == 0 ? 1 : 0]) })
        let b = GroupData(cells: (0..<4).map { cell("t", "b\($0)", [0, 0, 1, 0]) })
        let result = try contrast(a, b, effectSize: .cohensH, resamples: 100, seed: 2)
        XCTAssertEqual(result.levelA, 9.0 / 16.0, accuracy: sumTolerance)
        XCTAssertEqual(result.levelB, 0.25, accuracy: sumTolerance)
        XCTAssertEqual(result.effectSizeKind, .cohensH)
        XCTAssertEqual(result.effectSize ?? .nan, cohensH(9.0 / 16.0, 0.25) ?? .nan, accuracy: sumTolerance)
    }

    func testSingleUnitGroupsHaveNoInterval() throws {
        let a = GroupData(cells: [cell("fixed", "The man", [0.5, 0.7, 0.1])])
        let b = GroupData(cells: [cell("fixed", "The woman", [0.2, 0.3])])
        let result = try contrast(a, b, seed: 1)
        XCTAssertEqual(result.estimate.value, 1.3 / 3 - 0.25, accuracy: sumTolerance)
        XCTAssertFalse(result.estimate.hasInterval)
        XCTAssertEqual(result.pValue ?? .nan, 1, accuracy: sumTolerance, "1 vs 1 unit: both relabellings tie")
        XCTAssertNil(result.effectSize, "no pooled SD from two unit means")
    }

    /// A clear difference (0.8 on terms whose SD is 0.3) is found: small p, interval excluding 0.
    func testClearDifferenceIsDetected() throws {
        var synthetic = Synthetic(seed: 31)
        let a = synthetic.meanGroup(
            prefix: "a", units: 8, samples: 5, mean: 0.8, templateEffects: [0, 0.4, -0.2], unitSD: 0.3, sampleSD: 0.5)
        let b = synthetic.meanGroup(
            prefix: "b", units: 8, samples: 5, mean: 0, templateEffects: [0, 0.4, -0.2], unitSD: 0.3, sampleSD: 0.5)
        let result = try contrast(a, b, resamples: 500, seed: 8)
        XCTAssertTrue(result.exact, "C(16, 8) = 12870 ≤ 20000")
        XCTAssertEqual(result.permutations, 12_870)
        XCTAssertLessThan(try XCTUnwrap(result.pValue), 0.01)
        XCTAssertGreaterThan(try XCTUnwrap(result.estimate.lower), 0)
        XCTAssertGreaterThan(try XCTUnwrap(result.effectSize), 1)
        XCTAssertEqual(try contrast(a, b, resamples: 500, seed: 8), result, "deterministic given the seed")
    }

    func testResultRoundTripsThroughJSON() throws {
        let result = try contrast(groupA, groupB, resamples: 50, seed: 3)
        let data = try JSONEncoder().encode(result)
        XCTAssertEqual(try JSONDecoder().decode(ContrastResult.self, from: data), result)
        let json = String(decoding: data, as: UTF8.self)
        XCTAssert(json.contains("\"effectSizeKind\":\"cohens_d\""), json)
    }
}
