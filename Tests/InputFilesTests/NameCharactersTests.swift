import InputFiles
import XCTest

/// ``NameCharacters/firstUnprintable(_:)``: what a model label may not hold.
final class NameCharactersTests: XCTestCase {
    /// A review: the combining grapheme joiner and a variation selector after a letter print as nothing, and `m\u{34f}1`
    /// was a label beside `m1` ("m1 against m1" in the report). A variation selector after an emoji too: "😀" and
    /// "😀\u{fe0f}" print alike (a second review); the blank letters are space lookalikes, refused as those by the
    /// label rules.
    func testDefaultIgnorableCharactersAreUnprintableInALabel() {
        XCTAssertEqual(NameCharacters.firstUnprintable("m\u{034F}1"), "\u{034F}")
        XCTAssertEqual(NameCharacters.firstUnprintable("m\u{FE0F}1"), "\u{FE0F}")
        XCTAssertEqual(NameCharacters.firstUnprintable("m1\u{FE0F}"), "\u{FE0F}", "after an ASCII digit it is no emoji's")
        XCTAssertEqual(NameCharacters.firstUnprintable("m\u{E0100}"), "\u{E0100}")
        XCTAssertEqual(NameCharacters.firstUnprintable("m\u{180B}1"), "\u{180B}")
        XCTAssertEqual(NameCharacters.firstUnprintable("\u{1F600}\u{FE0F}"), "\u{FE0F}")
        XCTAssertNil(NameCharacters.firstUnprintable("\u{2764} model"))
        XCTAssertNil(NameCharacters.firstUnprintable("café gpt2 – v2"))
        XCTAssertNil(NameCharacters.firstUnprintable("nb\u{3164}gpt2"), "a blank letter: a space lookalike, judged as such")
        XCTAssertEqual(NameCharacters.firstUnprintable("m\u{200D}1"), "\u{200D}", "a format character, as before")
    }
}
