import Lexicons
import XCTest

/// Stacked clitics are peeled one by one, as spaCy-style tokenizers split them ("he'd've" → he, 'd, 've).
final class StackedCliticTests: XCTestCase {
    func testStackedCliticsCountThePronoun() throws {
        let lexicon = try GenderLexicon.bundled()
        XCTAssertEqual(lexicon.counts(in: "he'd've gone").male, 1)
        XCTAssertEqual(lexicon.counts(in: "She’d’ve known").female, 1)
        XCTAssertEqual(lexicon.counts(in: "they'd've left").neutral, 1)
        XCTAssertEqual(lexicon.counts(in: "he'd gone").male, 1)
    }

    func testANonCliticEndingIsNotPeeled() throws {
        XCTAssertEqual(try GenderLexicon.bundled().counts(in: "he'x've").male, 0)
    }
}
