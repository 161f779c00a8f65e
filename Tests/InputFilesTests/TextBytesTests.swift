import Foundation
import InputFiles
import XCTest

/// ``TextBytes``: the first byte that is not UTF-8 (or a NUL, when asked), placed by line and column.
final class TextBytesTests: XCTestCase {
    func testUTF8TextHasNoFault() {
        XCTAssertNil(TextBytes.firstFault(in: Data("a: é\nb: ñ\n".utf8), nul: true))
        XCTAssertNil(TextBytes.firstFault(in: Data(), nul: true))
    }

    /// A Latin-1 'é' (0xE9) on line 3 after a two-byte 'ñ': column 6 in bytes, 5 in characters.
    func testALatin1ByteIsPlacedByLineAndColumn() throws {
        let data = Data("a: 1\nb: 2\nxñ: ".utf8) + Data([0xE9]) + Data("\nc: 3\n".utf8)
        let fault = try XCTUnwrap(TextBytes.firstFault(in: data, nul: false))
        XCTAssertEqual(fault.offset, 15)
        XCTAssertEqual(fault.line, 3)
        XCTAssertEqual(fault.column, 6)
        XCTAssertEqual(fault.scalarColumn, 5)
        XCTAssertEqual(fault.hexByte, "0xE9")
        XCTAssertFalse(fault.isNUL)
    }

    /// A NUL is a fault only when asked (JSON has none; YAML leaves it to its parser).
    func testANULIsAFaultOnlyWhenAskedFor() throws {
        let data = Data("ab\n".utf8) + Data([0x00, 0xFF])
        let nul = try XCTUnwrap(TextBytes.firstFault(in: data, nul: true))
        XCTAssertEqual([nul.line, nul.column], [2, 1])
        XCTAssertTrue(nul.isNUL)
        XCTAssertEqual(nul.hexByte, "0x00")
        let invalid = try XCTUnwrap(TextBytes.firstFault(in: data, nul: false))
        XCTAssertEqual([invalid.line, invalid.column], [2, 2])
        XCTAssertEqual(invalid.hexByte, "0xFF")
    }
}
