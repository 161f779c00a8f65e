@testable import Lexicons
import XCTest

/// The VADER port's shortcuts, each held equal to the plain computation it replaces.
final class SentimentFastPathTests: XCTestCase {
    /// A small deterministic generator (xorshift64).
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    /// `vsnprintf` rounds as `String(format:)` does: ties on the binary value, seeded values of the sizes VADER
    /// rounds, whole bit patterns, and values too long for the buffer.
    func testRoundingByPrintfEqualsRoundingByFormat() {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var values: [Double] = [0, -0.0, 0.0625, 0.1875, 2.675, 0.0005, -0.00005, 0.00015, 0.5, 1.5, 2.5, 1e60, -1e61, 1e300, 5e-324]
        for k in 0...20_000 { values.append(Double(k) / 20_000 * 2 - 1) }
        for _ in 0..<20_000 {
            values.append(Double(generator.next() % 2_000_001) / 1_000_000 - 1)
            let bits = Double(bitPattern: generator.next())
            if bits.isFinite { values.append(bits) }
        }
        var differing: [String] = []
        for value in values {
            for digits in 0...6 where PythonRound.round(value, digits: digits).bitPattern
                != PythonRound.roundByFormat(value, digits: digits).bitPattern {
                differing.append("round(\(value), \(digits)): \(PythonRound.round(value, digits: digits)) vs "
                    + "\(PythonRound.roundByFormat(value, digits: digits))")
            }
        }
        XCTAssertEqual(differing.count, 0, "first: \(differing.prefix(5))")
    }

    /// `_special_idioms_check` joining every phrase, as it was before phrases of non-idiom words were skipped.
    private static func specialIdiomsCheckJoiningEveryPhrase(_ valence: Double, words: [VaderWord], index: Int) -> Double {
        func phrase(_ range: ClosedRange<Int>) -> ExactText {
            ExactText(words[range].map(\.lower.string).joined(separator: " "))
        }
        var valence = valence
        let oneZero = phrase(index - 1...index)
        let twoOneZero = phrase(index - 2...index)
        let twoOne = phrase(index - 2...index - 1)
        let threeTwoOne = phrase(index - 3...index - 1)
        let threeTwo = phrase(index - 3...index - 2)
        for sequence in [oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo] {
            if let idiom = VaderConstants.specialCases[sequence] {
                valence = idiom
                break
            }
        }
        if words.count - 1 > index, let idiom = VaderConstants.specialCases[phrase(index...index + 1)] { valence = idiom }
        if words.count - 1 > index + 1, let idiom = VaderConstants.specialCases[phrase(index...index + 2)] { valence = idiom }
        for nGram in [threeTwoOne, threeTwo, twoOne] {
            if let booster = VaderConstants.boosters[nGram] { valence = valence + booster }
        }
        return valence
    }

    /// Seeded word sequences of idiom and booster words ("kind", "of", "the", "bomb", …), near misses and other
    /// words: the check that skips phrases of other words gives what joining every phrase gives, at every index.
    func testSkippingPhrasesOfOtherWordsChangesNoValence() {
        let vocabulary = VaderConstants.phraseWords.map(\.string).sorted()
            + ["good", "bad", "kind-of", "bomb!", "sort", "ass", "", "the  bomb", "badass", "very", "kinda", "die"]
        XCTAssertTrue(vocabulary.contains("kind") && vocabulary.contains("death"), "phraseWords: \(vocabulary)")
        var generator = Generator(state: 42)
        var checked = 0, changed = 0
        var differing: [String] = []
        for _ in 0..<20_000 {
            let count = 4 + Int(generator.next() % 5)
            let words = (0..<count).map { _ in
                VaderWord(lower: ExactText(vocabulary[Int(generator.next() % UInt64(vocabulary.count))]), isUpper: false)
            }
            for index in 3..<count {
                let valence = Double(Int(generator.next() % 9) - 4) / 2
                let expected = Self.specialIdiomsCheckJoiningEveryPhrase(valence, words: words, index: index)
                let got = SentimentAnalyzer.specialIdiomsCheck(valence, words: words, index: index)
                checked += 1
                if expected != valence { changed += 1 }
                if got.bitPattern != expected.bitPattern {
                    differing.append("\(words.map(\.lower.string)) at \(index): \(got) vs \(expected)")
                }
            }
        }
        XCTAssertEqual(differing.count, 0, "of \(checked); first: \(differing.prefix(3))")
        XCTAssertGreaterThan(changed, checked / 50, "the sequences should often hold an idiom or a booster n-gram")
    }
}
