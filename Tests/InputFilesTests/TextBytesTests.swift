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

    /// The text is validated a megabyte at a time, in place: a character that straddles a piece's end is valid, a fault in
    /// a later piece is placed exactly, and a NUL before it comes first. Compared with a byte-by-byte decode of the whole
    /// text (the reference: Swift's `UTF8` decoder, as `String(data:encoding:)` reads).
    func testAFaultAfterTheFirstMegabyteIsPlacedExactly() throws {
        // 'é' is two bytes: 2^20 − 1 ASCII bytes put one across the first piece's end.
        let prefix = Data(repeating: UInt8(ascii: "a"), count: (1 << 20) - 1) + Data("é\n".utf8)
        let valid = prefix + Data(repeating: UInt8(ascii: "b"), count: 1 << 20) + Data("ñ€😀".utf8)
        XCTAssertNil(TextBytes.firstFault(in: valid, nul: true))
        XCTAssertNotNil(String(data: valid, encoding: .utf8))
        let faulty = prefix + Data("bñ".utf8) + Data(repeating: UInt8(ascii: "b"), count: 3 << 19) + Data([0xC3, 0x28])
        let fault = try XCTUnwrap(TextBytes.firstFault(in: faulty, nul: true))
        XCTAssertNil(String(data: faulty, encoding: .utf8))
        XCTAssertEqual(fault.offset, prefix.count + 3 + (3 << 19), "the byte that begins the bad sequence")
        XCTAssertEqual([fault.line, fault.column, fault.scalarColumn], [2, 4 + (3 << 19), 3 + (3 << 19)])
        XCTAssertEqual(fault.hexByte, "0xC3")
        // A NUL in the first piece comes before the later fault; one after it does not.
        var withNUL = faulty
        withNUL[10] = 0
        XCTAssertEqual(try XCTUnwrap(TextBytes.firstFault(in: withNUL, nul: true)).offset, 10)
        XCTAssertEqual(try XCTUnwrap(TextBytes.firstFault(in: withNUL, nul: false)).offset, fault.offset)
        // A run of continuation bytes across a piece's end is invalid wherever the pieces are cut.
        let run = Data(repeating: UInt8(ascii: "a"), count: (1 << 20) - 2) + Data(repeating: 0x80, count: 8)
        XCTAssertEqual(try XCTUnwrap(TextBytes.firstFault(in: run, nul: false)).offset, (1 << 20) - 2)
    }
}
