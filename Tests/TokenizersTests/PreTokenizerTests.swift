import XCTest
@testable import Tokenizers

/// The hand-written scanner against the words GPT-2's pattern gives
/// (`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`).
final class PreTokenizerTests: XCTestCase {
    func testWordsTakeOneLeadingSpace() {
        XCTAssertEqual(PreTokenizer.split("Hello world, 2024!"), ["Hello", " world", ",", " 2024", "!"])
        XCTAssertEqual(PreTokenizer.split(" a"), [" a"])
        XCTAssertEqual(PreTokenizer.split("a1b2"), ["a", "1", "b", "2"])
    }

    func testWhitespaceRunBacksOffByOneBeforeAWord() {
        XCTAssertEqual(PreTokenizer.split("a   b"), ["a", "  ", " b"])
        XCTAssertEqual(PreTokenizer.split("a \n b"), ["a", " \n", " b"])
        XCTAssertEqual(PreTokenizer.split("a\n\nb"), ["a", "\n", "\n", "b"])
        XCTAssertEqual(PreTokenizer.split("a\tb"), ["a", "\t", "b"])
    }

    func testWhitespaceRunAtTheEndStaysWhole() {
        XCTAssertEqual(PreTokenizer.split("a \n "), ["a", " \n "])
        XCTAssertEqual(PreTokenizer.split("   "), ["   "])
        XCTAssertEqual(PreTokenizer.split("a "), ["a", " "])
    }

    func testPunctuationRunsKeepApostrophes() {
        XCTAssertEqual(PreTokenizer.split("it's"), ["it", "'s"])
        XCTAssertEqual(PreTokenizer.split("they're we'll I'VE"), ["they", "'re", " we", "'ll", " I", "'", "VE"])
        XCTAssertEqual(PreTokenizer.split("!'s"), ["!'", "s"])
        XCTAssertEqual(PreTokenizer.split(" 's"), [" '", "s"])
        XCTAssertEqual(PreTokenizer.split("'x"), ["'", "x"])
        XCTAssertEqual(PreTokenizer.split("'"), ["'"])
    }

    func testUnicodeClasses() {
        XCTAssertEqual(PreTokenizer.classify("\u{A0}"), .whitespace, "NO-BREAK SPACE is White_Space")
        XCTAssertEqual(PreTokenizer.classify("\u{3000}"), .whitespace, "IDEOGRAPHIC SPACE is White_Space")
        XCTAssertEqual(PreTokenizer.classify("\u{85}"), .whitespace, "NEXT LINE is White_Space")
        XCTAssertEqual(PreTokenizer.classify("\u{200B}"), .other, "ZERO WIDTH SPACE is not White_Space")
        XCTAssertEqual(PreTokenizer.classify("\u{200D}"), .other, "ZERO WIDTH JOINER is a format character")
        XCTAssertEqual(PreTokenizer.classify("\u{1C}"), .other, "FILE SEPARATOR is not White_Space")
        XCTAssertEqual(PreTokenizer.classify("\u{301}"), .other, "combining marks are not letters")
        XCTAssertEqual(PreTokenizer.classify("ǅ"), .letter, "titlecase letter")
        XCTAssertEqual(PreTokenizer.classify("ʰ"), .letter, "modifier letter")
        XCTAssertEqual(PreTokenizer.classify("日"), .letter, "other letter")
        XCTAssertEqual(PreTokenizer.classify("٣"), .number, "Arabic-Indic digit")
        XCTAssertEqual(PreTokenizer.classify("²"), .number, "superscript two is No")
        XCTAssertEqual(PreTokenizer.classify("Ⅻ"), .number, "Roman numeral is Nl")
        XCTAssertEqual(PreTokenizer.classify("😀"), .other)
    }

    func testOnlyASCIISpaceAttachesToTheNextWord() {
        XCTAssertEqual(PreTokenizer.split("a\u{3000}b"), ["a", "\u{3000}", "b"])
        XCTAssertEqual(PreTokenizer.split("a\u{A0}\u{A0}b"), ["a", "\u{A0}", "\u{A0}", "b"])
        XCTAssertEqual(PreTokenizer.split("e\u{301}"), ["e", "\u{301}"])
    }

    func testSplitCoversEveryScalar() {
        let text = "Mixed 123 ‘quotes’ \t\n日本語 😀👩‍👧 end  "
        XCTAssertEqual(PreTokenizer.split(text).joined(), text)
    }
}
