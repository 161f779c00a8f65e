import Foundation
import XCTest
@testable import Tokenizers

/// Parity with Hugging Face `GPT2TokenizerFast` on the 622 texts of `tokenizer-golden.jsonl`.
final class GoldenParityTests: XCTestCase {
    /// The golden file's line count; a different count means the fixture was replaced.
    let expectedCaseCount = 622
    /// How many mismatching texts to print in a failure message.
    let mismatchesToShow = 5

    func testEveryGoldenTextGivesTheGoldenIDsAndTokens() throws {
        let tokenizer = try TokenizerFixture.gpt2()
        let cases = try TokenizerFixture.goldenCases()
        XCTAssertEqual(cases.count, expectedCaseCount, "tokenizer-golden.jsonl should hold \(expectedCaseCount) texts")

        var mismatches: [String] = []
        for (index, golden) in cases.enumerated() {
            let ids = tokenizer.encode(golden.text)
            let tokens = tokenizer.tokens(for: ids)
            if ids != golden.ids || tokens != golden.tokens {
                mismatches.append("""
                line \(index + 1) \(golden.text.debugDescription)
                  expected ids \(golden.ids) tokens \(golden.tokens)
                  got      ids \(ids) tokens \(tokens)
                """)
            }
        }
        XCTAssertTrue(
            mismatches.isEmpty,
            "\(mismatches.count) of \(cases.count) texts differ from GPT2TokenizerFast; first ones:\n"
                + mismatches.prefix(mismatchesToShow).joined(separator: "\n")
        )
    }

    func testGoldenTokenStringsMapToGoldenIDs() throws {
        let tokenizer = try TokenizerFixture.gpt2()
        var mismatches: [String] = []
        for golden in try TokenizerFixture.goldenCases() {
            let ids = golden.tokens.map { tokenizer.id(for: $0) }
            if ids != golden.ids.map(Optional.some) {
                mismatches.append("\(golden.tokens) → \(ids), expected \(golden.ids)")
            }
        }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) token lists map to other ids:\n"
            + mismatches.prefix(mismatchesToShow).joined(separator: "\n"))
    }

    func testDecodeOfEncodeRoundTripsEveryGoldenText() throws {
        let tokenizer = try TokenizerFixture.gpt2()
        var mismatches: [String] = []
        for golden in try TokenizerFixture.goldenCases() {
            let decoded = tokenizer.decode(tokenizer.encode(golden.text))
            // Compare scalars: String == would accept a canonically equivalent but different text.
            if !decoded.unicodeScalars.elementsEqual(golden.text.unicodeScalars) {
                mismatches.append("\(golden.text.debugDescription) decoded as \(decoded.debugDescription)")
            }
        }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) texts do not round-trip:\n"
            + mismatches.prefix(mismatchesToShow).joined(separator: "\n"))
    }

    /// Prints a rough encoding throughput (not asserted: benchmarks are not tests).
    func testReportEncodingThroughput() throws {
        let tokenizer = try GPT2Tokenizer(
            vocabulary: TokenizerFixture.vocabularyData(),
            merges: TokenizerFixture.mergesData()
        )
        let texts = try TokenizerFixture.goldenCases().map(\.text)
        let repetitions = 5
        var tokenCount = 0
        let start = Date()
        for _ in 0..<repetitions {
            for text in texts {
                tokenCount += tokenizer.encode(text).count
            }
        }
        let seconds = Date().timeIntervalSince(start)
        XCTAssertGreaterThan(tokenCount, 0)
        print("GPT2Tokenizer throughput: \(tokenCount) tokens in \(String(format: "%.3f", seconds)) s "
            + "= \(Int(Double(tokenCount) / seconds)) tokens/s (\(repetitions)× the golden texts, first pass uncached)")
    }
}
