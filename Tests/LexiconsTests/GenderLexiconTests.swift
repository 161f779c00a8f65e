import Foundation
import Lexicons
import XCTest

/// Counting with the bundled gender lexicon, and parsing of user-supplied lexicons.
final class GenderLexiconTests: XCTestCase {
    private struct Case {
        let text: String
        let expected: GenderCounts
    }

    private let cases: [Case] = [
        // Case and punctuation.
        Case(text: "He said HE would; his, Him. HIMSELF!", expected: GenderCounts(male: 5)),
        Case(text: "\"She\" told her (hers) herself.", expected: GenderCounts(female: 4)),
        Case(text: "They gave them their own; theirs, themselves.", expected: GenderCounts(neutral: 5)),
        // Contractions, straight and curly apostrophes, quotation marks around words.
        Case(text: "he's here, she'd go, he'll see, they're done", expected: GenderCounts(male: 2, female: 1, neutral: 1)),
        Case(text: "He’s late and she’ll wait; ‘her’ turn", expected: GenderCounts(male: 1, female: 2)),
        Case(text: "'he' and 'she'", expected: GenderCounts(male: 1, female: 1)),
        // Look-alikes must not count.
        Case(text: "The hen shed feathers; ther hisses, thems the breaks. Shell, herd, hero, theme, other.",
             expected: GenderCounts()),
        Case(text: "shed's hens' heres", expected: GenderCounts()),
        // Possessives and hyphens.
        Case(text: "The man's hat and the boys' bikes", expected: GenderCounts(maleTerms: 2)),
        Case(text: "Her mother-in-law and his step-father", expected: GenderCounts(male: 1, female: 1, maleTerms: 1, femaleTerms: 1)),
        Case(text: "MA’AM, Mrs. Smith and Mr. Jones", expected: GenderCounts(maleTerms: 1, femaleTerms: 2)),
        Case(text: "A WOMAN and two Women met men", expected: GenderCounts(maleTerms: 1, femaleTerms: 2)),
        Case(text: "his/her choice", expected: GenderCounts(male: 1, female: 1)),
        // Non-ASCII entries and neighbouring scripts.
        Case(text: "Her fiancée met his fiancé", expected: GenderCounts(male: 1, female: 1, maleTerms: 1, femaleTerms: 1)),
        Case(text: "", expected: GenderCounts()),
    ]

    func testCountsOnHandMadeSentences() throws {
        let lexicon = try GenderLexicon.bundled()
        var failures: [String] = []
        for testCase in cases {
            let got = lexicon.counts(in: testCase.text)
            if got != testCase.expected {
                failures.append("\(testCase.text.debugDescription): got \(got), want \(testCase.expected)")
            }
        }
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    func testBOLDUnigramListsAreAllCounted() throws {
        let lexicon = try GenderLexicon.bundled()
        let male = lexicon.counts(in: "he him his himself man men he's boy boys")
        XCTAssertEqual(male.male + male.maleTerms, 9)
        XCTAssertEqual(male.female + male.femaleTerms, 0)
        let female = lexicon.counts(in: "she her hers herself woman women she's girl girls")
        XCTAssertEqual(female.female + female.femaleTerms, 9)
        XCTAssertEqual(female.male + female.maleTerms, 0)
    }

    func testLabels() throws {
        let lexicon = try GenderLexicon.bundled()
        XCTAssertEqual(lexicon.counts(in: "The king rode on").label, .male)
        XCTAssertEqual(lexicon.counts(in: "She rode on").label, .female)
        XCTAssertEqual(lexicon.counts(in: "He and his sister").label, .both)
        XCTAssertEqual(lexicon.counts(in: "They rode on").label, .none)
    }

    func testCountsEncodeWithSnakeCaseKeys() throws {
        let json = try JSONEncoder().encode(GenderCounts(male: 1, female: 2, neutral: 3, maleTerms: 4, femaleTerms: 5))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["male", "female", "neutral", "male_terms", "female_terms", "label"])
        XCTAssertEqual(object["male_terms"] as? Int, 4)
        XCTAssertEqual(object["label"] as? String, "both")
    }

    func testCustomLexiconWithCommentsAndCRLF() throws {
        let lexicon = try GenderLexicon(text: "# custom\r\nmale\tHE\r\n\r\nfemale_term\tDame\r\n")
        XCTAssertEqual(lexicon.counts(in: "he's a dame; she is not counted"), GenderCounts(male: 1, femaleTerms: 1))
    }

    func testMalformedLinesAreReportedWithLineNumbers() {
        let cases: [(String, GenderLexiconError)] = [
            ("male\the\nfemale she\n", .missingTab(line: 2)),
            ("# comment\n\nmale\the\textra\n", .extraFields(line: 3, count: 3)),
            ("male\the\nmasculine\tsir\n", .unknownCategory(name: "masculine", line: 2)),
            ("male\t\n", .emptyWord(line: 1)),
            ("female_term\tmother-in-law\n", .unmatchableWord(word: "mother-in-law", line: 1)),
            ("male\tmister x\n", .unmatchableWord(word: "mister x", line: 1)),
            ("male\t'he\n", .unmatchableWord(word: "'he", line: 1)),
            ("male\the\nfemale\tHe\n", .duplicateWord(word: "He", line: 2, firstLine: 1)),
            ("# only a comment\n\n", .empty),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try GenderLexicon(text: text), text.debugDescription) { error in
                XCTAssertEqual(error as? GenderLexiconError, expected, text.debugDescription)
                XCTAssertFalse("\(error)".isEmpty)
            }
        }
    }
}
