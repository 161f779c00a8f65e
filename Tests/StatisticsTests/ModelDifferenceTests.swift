import Statistics
import XCTest

final class ModelDifferenceTests: XCTestCase {
    /// Differences of equal sums: exact up to rounding.
    let sumTolerance = 1e-12

    private func data(seed: UInt64, shiftA: Double = 0) -> ContrastData {
        var synthetic = Synthetic(seed: seed)
        let a = synthetic.meanGroup(
            prefix: "a", units: 6, samples: 4, mean: shiftA, templateEffects: [0, 0.3], unitSD: 0.4, sampleSD: 1)
        let b = synthetic.meanGroup(
            prefix: "b", units: 6, samples: 4, mean: 0, templateEffects: [0, 0.3], unitSD: 0.4, sampleSD: 1)
        return ContrastData(a: a, b: b)
    }

    /// Same data in both models: every paired resample gives the same contrast twice, so the paired
    /// interval is exactly [0, 0]; resampling independently gives a real width.
    func testIdenticalModelsHaveAZeroPairedInterval() throws {
        let run = data(seed: 4)
        let paired = try modelDifference(first: run, second: run, resamples: 300, seed: 1)
        XCTAssertEqual(paired.difference.value, 0)
        XCTAssertEqual(paired.difference.lower, 0)
        XCTAssertEqual(paired.difference.upper, 0)
        XCTAssertEqual(paired.pairing, .paired)
        XCTAssertEqual(paired.difference.n, 12)

        let unpaired = try modelDifference(first: run, second: run, pairing: .unpaired, resamples: 300, seed: 1)
        let lower = try XCTUnwrap(unpaired.difference.lower)
        let upper = try XCTUnwrap(unpaired.difference.upper)
        XCTAssert(lower < 0 && 0 < upper, "unpaired interval [\(lower), \(upper)] must have width around 0")
        XCTAssertEqual(unpaired.difference.n, 24)
    }

    /// The second model scores every completion of group A 0.1 higher, on the same sample indices:
    /// the paired resamples draw the same completions in both models, so every replicate of the
    /// difference is −0.1 and so are both ends of the interval.
    func testPairedResamplesShareUnitsAndSampleIndices() throws {
        let first = data(seed: 6)
        var second = first
        second.a.cells = first.a.cells.map { cell in
            var shifted = cell
            shifted.observations = cell.observations.map { Observation(x: $0.x + 0.1, w: $0.w) }
            return shifted
        }
        let result = try modelDifference(first: first, second: second, resamples: 300, seed: 2)
        XCTAssertEqual(result.difference.value, -0.1, accuracy: sumTolerance)
        XCTAssertEqual(result.first - result.second, result.difference.value, accuracy: sumTolerance)
        XCTAssertEqual(try XCTUnwrap(result.difference.lower), -0.1, accuracy: sumTolerance)
        XCTAssertEqual(try XCTUnwrap(result.difference.upper), -0.1, accuracy: sumTolerance)
        XCTAssertEqual(try modelDifference(first: first, second: second, resamples: 300, seed: 2), result)
    }

    func testDataThatDoNotLineUpCannotBePaired() {
        let first = data(seed: 8)
        var fewerSamples = first
        fewerSamples.b.cells[0].observations.removeLast()
        XCTAssertThrowsError(try modelDifference(first: first, second: fewerSamples, seed: 1)) { error in
            guard case let .unpairable(reason)? = error as? StatisticsError else {
                return XCTFail("expected unpairable, got \(error)")
            }
            XCTAssert(reason.contains("group B"), reason)
        }
        var otherUnits = first
        otherUnits.a.cells[0].unit = "someone else"
        XCTAssertThrowsError(try modelDifference(first: first, second: otherUnits, seed: 1))
        XCTAssertNoThrow(try modelDifference(first: first, second: fewerSamples, pairing: .unpaired, resamples: 50, seed: 1))
    }
}
