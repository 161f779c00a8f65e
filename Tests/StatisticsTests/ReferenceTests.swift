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

    /// Benjamini–Hochberg within families (`benjaminiHochbergWithinFamilies`, behind `Contrast.qValueFamilies` and
    /// `ModelComparison.qValueFamilies`) against SciPy run on each family's p-values, the families grouped in Python
    /// (Tests/Fixtures/statistics/make_bh_family_goldens.py): q per position, nil where untested.
    func testBenjaminiHochbergWithinFamiliesMatchesScipy() throws {
        struct Case: Decodable { let families: [String?]; let p: [Double]; let q: [Double?] }
        struct File: Decodable { let cases: [Case] }
        let cases = try JSONDecoder().decode(File.self, from: Fixtures.data("statistics/bh-family-goldens.json")).cases
        XCTAssertEqual(cases.count, 5)
        for (index, golden) in cases.enumerated() {
            let tests = zip(golden.families, golden.p).map { family, p in family.map { (family: $0, pValue: p) } }
            let families = try benjaminiHochbergWithinFamilies(tests)
            var q = [Double?](repeating: nil, count: golden.p.count)
            for family in families {
                XCTAssertEqual(family.tested, family.tested.sorted(), "case \(index): positions ascending")
                XCTAssertEqual(family.tested.count, family.qValues.count, "case \(index)")
                XCTAssertTrue(family.tested.allSatisfy { golden.families[$0] == family.family }, "case \(index)")
                for (position, value) in zip(family.tested, family.qValues) { q[position] = value }
            }
            var firstSeen: [String] = []
            for case let family? in golden.families where !firstSeen.contains(family) { firstSeen.append(family) }
            XCTAssertEqual(families.map(\.family), firstSeen, "case \(index): families in the order of their first position")
            XCTAssertEqual(q.map { $0 == nil }, golden.q.map { $0 == nil }, "case \(index): untested positions have no q")
            assertClose(
                q.compactMap { $0 }, golden.q.compactMap { $0 }, tolerance: closedFormTolerance, "BH within families, case \(index)")
        }
        XCTAssertThrowsError(try benjaminiHochbergWithinFamilies([(family: 1, pValue: 0.1), nil, (family: 2, pValue: 0.2), (family: 2, pValue: .nan)])) {
            guard case let .invalidPValue(index, value)? = $0 as? StatisticsError else { return XCTFail("expected invalidPValue, got \($0)") }
            XCTAssertEqual(index, 1, "the index within its family")
            XCTAssertTrue(value.isNaN)
        }
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
