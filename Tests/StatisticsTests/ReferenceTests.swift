import Foundation
import Statistics
import TestSupport
import XCTest

/// Agreement with NumPy / SciPy on the committed goldens (Tests/Fixtures/statistics/make_goldens.py).
final class ReferenceTests: XCTestCase {
    /// BH q-values and effect sizes are a few floating-point operations: agree to rounding.
    let closedFormTolerance = 1e-12

    struct Goldens: Decodable {
        struct BH: Decodable { let p: [Double]; let q: [Double] }
        struct CohensD: Decodable { let a: [Double]; let b: [Double]; let d: Double }
        struct CohensH: Decodable { let p1: Double; let p2: Double; let h: Double }
        let benjamini_hochberg: [BH]
        let cohens_d: [CohensD]
        let cohens_h: [CohensH]
    }

    private func goldens() throws -> Goldens {
        try JSONDecoder().decode(Goldens.self, from: Fixtures.data("statistics/goldens.json"))
    }

    func testBenjaminiHochbergMatchesScipy() throws {
        let cases = try goldens().benjamini_hochberg
        XCTAssertEqual(cases.count, 8)
        for (index, golden) in cases.enumerated() {
            assertClose(try benjaminiHochberg(golden.p), golden.q, tolerance: closedFormTolerance, "BH case \(index)")
        }
        XCTAssertEqual(try benjaminiHochberg([]), [])
        XCTAssertThrowsError(try benjaminiHochberg([0.1, .nan])) { error in
            guard case let .invalidPValue(index, value)? = error as? StatisticsError else {
                return XCTFail("expected invalidPValue, got \(error)")
            }
            XCTAssertEqual(index, 1)
            XCTAssertTrue(value.isNaN)
        }
        XCTAssertThrowsError(try benjaminiHochberg([0.1, 1.5]))
    }

    func testCohensDMatchesNumpy() throws {
        for (index, golden) in try goldens().cohens_d.enumerated() {
            let d = try XCTUnwrap(cohensD(golden.a, golden.b), "case \(index)")
            assertClose([d], [golden.d], tolerance: closedFormTolerance, "Cohen's d case \(index)")
        }
        XCTAssertNil(cohensD([1, 1], [1, 1]), "zero pooled SD has no d")
        XCTAssertNil(cohensD([1], [2]), "two values have no pooled SD")
        XCTAssertNil(cohensD([], [1, 2]))
    }

    func testCohensHMatchesNumpy() throws {
        for (index, golden) in try goldens().cohens_h.enumerated() {
            let h = try XCTUnwrap(cohensH(golden.p1, golden.p2), "case \(index)")
            assertClose([h], [golden.h], tolerance: closedFormTolerance, "Cohen's h case \(index)")
        }
        assertClose([cohensH(0.5, 0.25) ?? .nan], [Double.pi / 6], tolerance: closedFormTolerance, "h by hand: π/2 − π/3")
        XCTAssertNil(cohensH(1.2, 0.5))
        XCTAssertNil(cohensH(.nan, 0.5))
    }
}
