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

    /// `str.isupper()` of one ASCII scalar, and of it beside an uppercase letter, as its properties say.
    func testVaderUppercaseOfASCIIIsThatOfTheProperties() {
        func byProperties(_ scalars: [Unicode.Scalar]) -> Bool {
            var cased = false
            for scalar in scalars {
                if scalar.properties.isLowercase || scalar.properties.generalCategory == .titlecaseLetter { return false }
                if scalar.properties.isUppercase { cased = true }
            }
            return cased
        }
        let differing = ascii.flatMap { [[$0], ["A", $0], [$0, "\u{C9}"]] }.filter {
            PythonString.isUpper($0[...]) != byProperties($0)
        }
        XCTAssertEqual(differing.map { $0.map { String(format: "U+%04X", $0.value) } }, [], "ASCII fast path differs")
    }

    /// `str.lower()` of ASCII words, written as bytes, equals the scalar-by-scalar lowering of the same words with a
    /// non-ASCII letter beside them.
    func testVaderLowercaseOfASCIIIsThatOfTheScalarPath() {
        let words = ascii.map { [$0] } + [Array("HeLLo".unicodeScalars), Array("A-Z:)".unicodeScalars), []]
        for word in words {
            let viaBytes = PythonString.lower(word[...])
            let viaScalars = String(PythonString.lower((word + ["\u{C9}"])[...]).unicodeScalars.dropLast())
            XCTAssertEqual(viaBytes, viaScalars, "lower of \(word.map { String(format: "U+%04X", $0.value) })")
        }
    }
}
