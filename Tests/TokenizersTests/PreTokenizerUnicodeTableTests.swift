import XCTest
@testable import Tokenizers

/// The pre-tokenizer's letter and number classes follow the reference's tables (`tokenizers` 0.23.3,
/// probed by scripts/pretokenizer_unicode_tables.py), whatever Unicode version the Swift toolchain has.
/// Expected values were written by `tokenizers` 0.23.3 (ByteLevel pre-tokenizer; BPE with the bundled
/// GPT-2 vocab.json and merges.txt).
final class PreTokenizerUnicodeTableTests: XCTestCase {
    func testNewerUnicodeLettersSplitAsTheReference() {
        XCTAssertEqual(PreTokenizer.split("a\u{0C5C}b 1"), ["a", "\u{0C5C}", "b", " 1"])  // Telugu, Unicode 17
        XCTAssertEqual(PreTokenizer.split("x\u{A7CE}b"), ["x", "\u{A7CE}", "b"])  // Latin, Unicode 17
        XCTAssertEqual(PreTokenizer.split("a\u{323B0} 1"), ["a", "\u{323B0}", " 1"])  // CJK Extension J
        XCTAssertEqual(PreTokenizer.split("\u{0C5C}\u{0C5C}"), ["\u{0C5C}\u{0C5C}"])
        XCTAssertEqual(PreTokenizer.split("n\u{1E5D1} x"), ["n\u{1E5D1}", " x"])  // Ol Onal, a letter there
    }

    func testIdsMatchTheReference() throws {
        let tokenizer = try TokenizerFixture.gpt2()
        XCTAssertEqual(
            tokenizer.encode("Telugu \u{0C5C}, Latin \u{A7CE}, CJK J \u{323B0}!"),
            [33317, 45284, 220, 156, 109, 250, 11, 9133, 220, 166, 253, 236, 11, 27731, 42, 449, 220, 172, 110, 236, 108, 0])
    }

    func testTablesAreSortedAndDisjoint() {
        for table in [PreTokenizerUnicodeTables.letters, PreTokenizerUnicodeTables.numbers] {
            for (previous, next) in zip(table, table.dropFirst()) {
                XCTAssertLessThan(previous.upperBound, next.lowerBound)
            }
        }
    }
}
