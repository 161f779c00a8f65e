@testable import Lexicons
import XCTest

/// The scanners answer ASCII characters without Unicode property lookups; each fast path is held equal to the
/// property-based rule it stands in for, on every ASCII scalar.
final class ASCIIFastPathTests: XCTestCase {
    private let ascii = (0..<0x80).map { Unicode.Scalar(UInt8($0)) }

    func testGenderWordScalarsOfASCIIAreThoseOfTheirProperties() {
        let differing = ascii.filter {
            GenderWordScanner.isWordScalar($0) != GenderWordScanner.isWordScalarByProperties($0)
        }
        XCTAssertEqual(differing.map { String(format: "U+%04X", $0.value) }, [], "ASCII fast path differs from the properties")
    }
}
