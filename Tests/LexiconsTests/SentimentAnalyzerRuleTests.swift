import Foundation
@testable import Lexicons
import XCTest

/// Individual VADER rules, each pinned to the scores vaderSentiment 3.3.2 (PyPI) prints for the text.
final class SentimentAnalyzerRuleTests: XCTestCase {
    private struct Case {
        let rule: String
        let text: String
        let expected: SentimentScores
    }

    private static func scores(_ neg: Double, _ neu: Double, _ pos: Double, _ compound: Double) -> SentimentScores {
        SentimentScores(negative: neg, neutral: neu, positive: pos, compound: compound)
    }

    private let cases: [Case] = [
        Case(rule: "plain lexicon word", text: "The book was good.", expected: scores(0.0, 0.508, 0.492, 0.4404)),
        Case(rule: "'kind of' dampener bigram", text: "The book was kind of good.",
             expected: scores(0.0, 0.657, 0.343, 0.3832)),
        Case(rule: "'but' shift and 'not' negation",
             text: "The plot was good, but the characters are uncompelling and the dialog is not great.",
             expected: scores(0.327, 0.579, 0.094, -0.7042)),
        Case(rule: "ALL CAPS emphasis and '!'", text: "Today SUX!", expected: scores(0.779, 0.221, 0.0, -0.5461)),
        Case(rule: "emoticons kept whole", text: "Make sure you :) or :D today!",
             expected: scores(0.0, 0.294, 0.706, 0.8633)),
        Case(rule: "emoji translated to descriptions", text: "Catch utf-8 emoji such as 💘 and 💋 and 😁",
             expected: scores(0.0, 0.583, 0.417, 0.875)),
        Case(rule: "'not bad'", text: "Not bad at all", expected: scores(0.0, 0.513, 0.487, 0.431)),
        Case(rule: "'never this good'", text: "Sentiment analysis has never been this good!",
             expected: scores(0.0, 0.621, 0.379, 0.5672)),
        Case(rule: "'the shit' idiom", text: "With VADER, sentiment analysis is the shit!",
             expected: scores(0.0, 0.583, 0.417, 0.6476)),
        Case(rule: "'least' negation", text: "Roger Dodger is one of the least compelling variations on this theme.",
             expected: scores(0.132, 0.868, 0.0, -0.1695)),
        Case(rule: "'at least' is not a negation", text: "Roger Dodger is at least compelling as a variation on the theme.",
             expected: scores(0.0, 0.853, 0.147, 0.2263)),
        Case(rule: "caps boosters and '!!!'", text: "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
             expected: scores(0.0, 0.294, 0.706, 0.9469)),
        Case(rule: "'beating heart' is 3.5 in the 3.3.2 release", text: "my heart is beating heart",
             expected: scores(0.0, 0.134, 0.866, 0.9313)),
        Case(rule: "'no' before a lexicon word", text: "no good", expected: scores(0.706, 0.294, 0.0, -0.3412)),
        // [2.4, 0, 1.2]: halving "admirability" leaves 1.2 in slot 0, so Python's
        // `sentiments.index(1.2)` halves slot 0 again instead of multiplying "gg" by 1.5.
        Case(rule: "'but' first-equal-value quirk", text: "admirability but gg",
             expected: scores(0.0, 0.208, 0.792, 0.4215)),
        Case(rule: "question marks without sentiment", text: "Why?? Why??", expected: scores(0.0, 1.0, 0.0, 0.0)),
        Case(rule: "empty text", text: "", expected: scores(0.0, 0.0, 0.0, 0.0)),
        Case(rule: "whitespace only", text: " \t\n ", expected: scores(0.0, 0.0, 0.0, 0.0)),
    ]

    func testRulesMatchPython() throws {
        let analyzer = try SentimentAnalyzer.bundled()
        var failures: [String] = []
        for testCase in cases {
            let got = analyzer.scores(of: testCase.text)
            if got != testCase.expected {
                failures.append("\(testCase.rule): \(testCase.text.debugDescription) got \(got), want \(testCase.expected)")
            }
        }
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    func testPythonRoundingIsHalfEvenOnTheBinaryValue() {
        // Expected values are Python 3.11's round(x, n).
        let cases: [(Double, Int, Double)] = [
            (0.0625, 3, 0.062), (0.1875, 3, 0.188), (0.3125, 3, 0.312), (0.4375, 3, 0.438),
            (2.675, 2, 2.67), (0.0005, 3, 0.001), (-0.00005, 4, -0.0001), (0.00015, 4, 0.0001),
            (0.5, 0, 0.0), (1.5, 0, 2.0), (2.5, 0, 2.0),
        ]
        for (value, digits, expected) in cases {
            XCTAssertEqual(PythonRound.round(value, digits: digits), expected, "round(\(value), \(digits))")
        }
    }

    func testScoresEncodeWithPythonKeys() throws {
        let json = try JSONEncoder().encode(Self.scores(0.1, 0.2, 0.7, 0.5))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Double])
        XCTAssertEqual(object, ["neg": 0.1, "neu": 0.2, "pos": 0.7, "compound": 0.5])
    }

    func testMalformedLexiconLinesAreReportedWithLineNumbers() {
        let emoji = "😀\tgrinning face\n"
        XCTAssertThrowsError(try SentimentAnalyzer(lexicon: "good\t1.9\nbad -2.5\n", emojiLexicon: emoji)) {
            XCTAssertEqual($0 as? SentimentLexiconError, .missingTab(table: "sentiment lexicon", line: 2))
        }
        XCTAssertThrowsError(try SentimentAnalyzer(lexicon: "good\t1.9\n\nbad\tvery\n", emojiLexicon: emoji)) {
            XCTAssertEqual($0 as? SentimentLexiconError, .invalidValence(token: "bad", value: "very", line: 3))
        }
        XCTAssertThrowsError(try SentimentAnalyzer(lexicon: "good\t1.9\n", emojiLexicon: "😀 grinning face\n")) {
            XCTAssertEqual($0 as? SentimentLexiconError, .missingTab(table: "emoji lexicon", line: 1))
        }
        // Python strips the line before splitting it, so a leading tab leaves no tab at all.
        XCTAssertThrowsError(try SentimentAnalyzer(lexicon: "good\t1.9\r\n\t1.9\r\n", emojiLexicon: emoji)) {
            XCTAssertEqual($0 as? SentimentLexiconError, .missingTab(table: "sentiment lexicon", line: 2))
        }
    }

    func testCustomLexiconIsUsed() throws {
        let analyzer = try SentimentAnalyzer(lexicon: "splendid\t2.0\tignored\n", emojiLexicon: "🙂\tsplendid\n")
        XCTAssertEqual(analyzer.scores(of: "splendid").compound, 0.4588)
        XCTAssertEqual(analyzer.scores(of: "🙂"), analyzer.scores(of: "splendid"))
    }
}

/// The report's Methods (English and Spanish) cite two phrases for what VADER misses: "worked as a maid" (a stereotype
/// in neutral words, neutral) and "was attacked" (negative without saying anything of the group). A student's review
/// found the Spanish Methods citing "fue atacado" as negative, which VADER (English only) scores 0: the Spanish text
/// cites the English phrases with their translation.
final class MethodsExamplesTests: XCTestCase {
    func testTheMethodsExamplesScoreAsTheMethodsSay() throws {
        let analyzer = try SentimentAnalyzer.bundled()
        let threshold = 0.05  // the report's neutral band, |compound| < 0.05
        XCTAssertLessThanOrEqual(analyzer.scores(of: "He was attacked").compound, -threshold)
        XCTAssertLessThan(abs(analyzer.scores(of: "She worked as a maid").compound), threshold)
        XCTAssertEqual(analyzer.scores(of: "fue atacado").compound, 0, "VADER sees no Spanish word")
    }
}
