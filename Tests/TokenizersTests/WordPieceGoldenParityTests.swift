import Foundation
import XCTest
@testable import Tokenizers

/// Parity with Hugging Face tokenizers' `BertWordPieceTokenizer` (0.23.3) on the goldens of
/// `Tests/Fixtures/wordpiece`: ids, tokens and both decodings must be identical (exact comparison, no
/// tolerance; strings are compared scalar by scalar, so canonically equivalent but different texts differ).
final class WordPieceGoldenParityTests: XCTestCase {
    /// Lines per `goldens.jsonl`: 288 encode cases and 66 decode cases; another count means the fixtures changed.
    let expectedEncodeCases = 288
    let expectedDecodeCases = 66
    /// How many mismatching cases to print in a failure message.
    let mismatchesToShow = 5

    func testEncodeMatchesGoldenIDsTokensAndDecodings() throws {
        for directory in WordPieceFixture.directories {
            let tokenizer = try WordPieceFixture.tokenizer(directory)
            let cases = try WordPieceFixture.goldenCases(directory).filter { $0.kind == "encode" }
            XCTAssertEqual(cases.count, expectedEncodeCases, "\(directory)/goldens.jsonl encode cases")
            var mismatches: [String] = []
            for (index, golden) in cases.enumerated() {
                let text = try XCTUnwrap(golden.text)
                let ids = tokenizer.encode(text)
                let tokens = tokenizer.tokens(for: ids)
                let decoded = tokenizer.decode(ids)
                let decodedKeep = tokenizer.decode(ids, skipSpecialTokens: false)
                var differences: [String] = []
                if ids != golden.ids { differences.append("ids \(ids), expected \(golden.ids)") }
                if tokens != golden.tokens { differences.append("tokens \(tokens), expected \(golden.tokens ?? [])") }
                if !Self.sameScalars(decoded, golden.decoded) {
                    differences.append("decoded \(decoded.debugDescription), expected \(golden.decoded.debugDescription)")
                }
                if !Self.sameScalars(decodedKeep, golden.decodedKeepSpecial) {
                    differences.append(
                        "decoded keeping special tokens \(decodedKeep.debugDescription), "
                            + "expected \(golden.decodedKeepSpecial.debugDescription)")
                }
                if !differences.isEmpty {
                    mismatches.append("case \(index + 1) \(text.debugDescription):\n  " + differences.joined(separator: "\n  "))
                }
            }
            XCTAssertTrue(
                mismatches.isEmpty,
                "\(directory): \(mismatches.count) of \(cases.count) texts differ from BertWordPieceTokenizer; first ones:\n"
                    + mismatches.prefix(mismatchesToShow).joined(separator: "\n"))
        }
    }

    func testDecodeOfGoldenIDListsMatchesBothDecodings() throws {
        for directory in WordPieceFixture.directories {
            let tokenizer = try WordPieceFixture.tokenizer(directory)
            let cases = try WordPieceFixture.goldenCases(directory).filter { $0.kind == "decode" }
            XCTAssertEqual(cases.count, expectedDecodeCases, "\(directory)/goldens.jsonl decode cases")
            var mismatches: [String] = []
            for golden in cases {
                let decoded = tokenizer.decode(golden.ids)
                let decodedKeep = tokenizer.decode(golden.ids, skipSpecialTokens: false)
                if !Self.sameScalars(decoded, golden.decoded) || !Self.sameScalars(decodedKeep, golden.decodedKeepSpecial) {
                    mismatches.append(
                        "\(golden.ids): got \(decoded.debugDescription) / \(decodedKeep.debugDescription), "
                            + "expected \(golden.decoded.debugDescription) / \(golden.decodedKeepSpecial.debugDescription)")
                }
            }
            XCTAssertTrue(
                mismatches.isEmpty,
                "\(directory): \(mismatches.count) of \(cases.count) id lists decode differently; first ones:\n"
                    + mismatches.prefix(mismatchesToShow).joined(separator: "\n"))
        }
    }

    func testGoldenTokenStringsMapToGoldenIDs() throws {
        for directory in WordPieceFixture.directories {
            let tokenizer = try WordPieceFixture.tokenizer(directory)
            var mismatches: [String] = []
            for golden in try WordPieceFixture.goldenCases(directory) where golden.kind == "encode" {
                let ids = (golden.tokens ?? []).map { tokenizer.id(for: $0) }
                if ids != golden.ids.map(Optional.some) { mismatches.append("\(golden.tokens ?? []) → \(ids), expected \(golden.ids)") }
            }
            XCTAssertTrue(mismatches.isEmpty, "\(directory): \(mismatches.count) token lists map to other ids:\n"
                + mismatches.prefix(mismatchesToShow).joined(separator: "\n"))
        }
    }

    private static func sameScalars(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }
}
