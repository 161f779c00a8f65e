import XCTest
@testable import Tokenizers

/// GPT-2's byte ↔ printable-scalar table (`bytes_to_unicode` in OpenAI's `encoder.py`).
final class ByteEncoderTests: XCTestCase {
    func testKnownEntries() {
        let table = ByteEncoder.gpt2.scalarForByte
        XCTAssertEqual(table[0x20], "Ġ", "space")
        XCTAssertEqual(table[0x0A], "Ċ", "newline")
        XCTAssertEqual(table[0x09], "ĉ", "tab")
        XCTAssertEqual(table[0x00], "\u{100}", "the first non-printable byte maps to U+0100")
        XCTAssertEqual(table[0xAD], "\u{143}", "the last non-printable byte (soft hyphen) maps to U+0143")
        XCTAssertEqual(table[0x41], "A", "printable ASCII maps to itself")
        XCTAssertEqual(table[0xE9], "é", "printable Latin-1 maps to itself")
    }

    func testTableIsABijectionThatDecodes() {
        let encoder = ByteEncoder.gpt2
        XCTAssertEqual(Set(encoder.scalarForByte).count, 256, "256 distinct scalars")
        let everyByte = (0...255).map(UInt8.init)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: everyByte.map { encoder.scalarForByte[Int($0)] })
        XCTAssertEqual(encoder.decode(String(view)), everyByte)
    }

    func testTokenWithAScalarOutsideTheTableDecodesAsItsOwnUTF8() {
        XCTAssertEqual(ByteEncoder.gpt2.decode("Ġ日"), Array("Ġ日".utf8))
    }
}
