import Foundation
import XCTest
@testable import Tokenizers

/// Malformed `vocab.json` / `merges.txt` give typed errors naming the file and line,
/// and a minimal hand-made vocabulary works end to end.
final class TokenizerErrorTests: XCTestCase {
    /// A valid `vocab.json` body: the 256 byte tokens (ids 0–255), then `extra` tokens.
    private func vocabularyJSON(extra: [String] = ["he", "hel", "<|endoftext|>"]) -> String {
        let byteTokens = ByteEncoder.gpt2.scalarForByte.map { String($0) }
        let entries = (byteTokens + extra).enumerated().map { id, token in
            "\(Self.jsonString(token)): \(id)"
        }
        return "{\n" + entries.joined(separator: ",\n") + "\n}\n"
    }

    private static func jsonString(_ token: String) -> String {
        let escaped = token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + escaped + "\""
    }

    private func build(vocabulary: String, merges: String = "#version: 0.2\nh e\nhe l\n") throws -> GPT2Tokenizer {
        try GPT2Tokenizer(vocabulary: Data(vocabulary.utf8), merges: Data(merges.utf8))
    }

    private func assertThrows(
        _ expected: TokenizerError, mentioning fragment: String,
        _ body: () throws -> GPT2Tokenizer, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? TokenizerError, expected, file: file, line: line)
            XCTAssertTrue(
                String(describing: error).contains(fragment),
                "message \(String(describing: error).debugDescription) should mention \(fragment.debugDescription)",
                file: file, line: line
            )
        }
    }

    func testMinimalVocabularyEncodesAndDecodes() throws {
        let tokenizer = try build(vocabulary: vocabularyJSON())
        XCTAssertEqual(tokenizer.vocabularySize, 259)
        XCTAssertEqual(tokenizer.endOfTextID, 258)
        XCTAssertEqual(tokenizer.tokens(for: tokenizer.encode("help<|endoftext|>")), ["hel", "p", "<|endoftext|>"])
        XCTAssertEqual(tokenizer.decode(tokenizer.encode("help me")), "help me")
    }

    func testVocabularyThatIsNotAnObject() {
        assertThrows(
            .malformedVocabulary(line: 1, column: 1, reason: "the file must start with '{'"),
            mentioning: "vocab.json:1:1"
        ) { try build(vocabulary: "[1, 2]") }
    }

    func testVocabularyWithANonIntegerID() {
        assertThrows(
            .malformedVocabulary(line: 3, column: 6, reason: "expected a non-negative integer id"),
            mentioning: "vocab.json:3:6"
        ) { try build(vocabulary: "{\n\"a\": 0,\n\"b\": \"x\"}") }
    }

    /// Columns count characters, not bytes: "Ġ" and "é" are two bytes each in UTF-8 (a review: the column was the byte
    /// offset, twice an editor's on a line of GPT-2's tokens).
    func testVocabularyColumnsCountCharacters() {
        assertThrows(
            .malformedVocabulary(line: 2, column: 15, reason: "expected a non-negative integer id"),
            mentioning: "vocab.json:2:15"
        ) { try build(vocabulary: "{\"a\": 0,\n\"Ġé\": 1, \"b\": x}") }
    }

    /// Review: an id of 2³¹ − 1 sized the id table to 34 GB (exit 134). Ids at or beyond 2²⁰, the largest vocabulary
    /// a config.json may give, are refused while parsing, before any table exists.
    func testAnIDBeyondTheLargestVocabularyIsRefusedBeforeAnyTable() {
        for (id, shown) in [("2147483647", "2147483647"), ("1048576", "1048576"),
                            ("9999999999999999999999999", "99999999999999999999…")] {
            assertThrows(
                .malformedVocabulary(line: 2, column: 7 + id.count, reason: "the id \(shown) is beyond the largest vocabulary "
                    + "biasaudit reads (ids below 1048576, README \"Limits\"); check that vocab.json is not corrupt"),
                mentioning: "vocab.json:2:"
            ) { try build(vocabulary: "{\"a\": 0,\n\"zz\": \(id)}") }
        }
        XCTAssertNoThrow(try VocabularyParser.parse(Data("{\"a\": 1048575}".utf8)))
        // Leading zeros are not JSON; they were read as 0 once the digits were cut short (second review).
        XCTAssertThrowsError(try VocabularyParser.parse(Data("{\"a\": 0000000000000032}".utf8))) { error in
            XCTAssertTrue("\(error)".contains("an id has no leading zeros"), "\(error)")
        }
        XCTAssertEqual(try VocabularyParser.parse(Data("{\"a\": 0}".utf8)).first?.id, 0)
    }

    /// Review: `"\\u+041"` was read as "A" (`UInt32("+041", radix: 16)` takes a sign); JSON allows hex digits only.
    func testAUnicodeEscapeTakesHexDigitsOnly() {
        for escape in ["+041", "-041", " 041"] {
            XCTAssertThrowsError(try VocabularyParser.parse(Data("{\"\\u\(escape)\": 1}".utf8)), escape) { error in
                XCTAssertTrue("\(error)".contains("expected four hex digits after \\u"), "\(error)")
            }
        }
        XCTAssertEqual(try VocabularyParser.parse(Data("{\"\\u0041\": 1}".utf8)).first?.token, "A")
    }

    func testTruncatedVocabulary() {
        XCTAssertThrowsError(try build(vocabulary: "{\"a\": 0, \"b")) { error in
            guard case .malformedVocabulary(line: 1, _, let reason)? = error as? TokenizerError else {
                return XCTFail("expected malformedVocabulary on line 1, got \(error)")
            }
            XCTAssertTrue(reason.contains("ends inside a string"), reason)
        }
    }

    func testDuplicateTokenAndID() {
        assertThrows(.duplicateToken("a", line: 2), mentioning: "vocab.json:2") {
            try build(vocabulary: "{\"a\": 0,\n\"a\": 1}")
        }
        assertThrows(.duplicateID(0, tokens: ["a", "b"]), mentioning: "id 0") {
            try build(vocabulary: "{\"a\": 0,\n\"b\": 0}")
        }
    }

    func testMissingEndOfTextAndByteTokens() {
        assertThrows(.missingEndOfText, mentioning: "<|endoftext|>") {
            try build(vocabulary: vocabularyJSON(extra: ["he", "hel"]))
        }
        assertThrows(.missingByteToken(byte: 0x00, token: "\u{100}"), mentioning: "byte 0x00") {
            try build(vocabulary: "{\"<|endoftext|>\": 0}")
        }
    }

    func testMalformedMergeLine() {
        assertThrows(.malformedMerge(line: 3, text: "he l x"), mentioning: "merges.txt:3") {
            try build(vocabulary: vocabularyJSON(), merges: "#version: 0.2\nh e\nhe l x\n")
        }
        assertThrows(.malformedMerge(line: 2, text: ""), mentioning: "merges.txt:2") {
            try build(vocabulary: vocabularyJSON(), merges: "h e\n\nhe l\n")
        }
    }

    func testMergeOfUnknownTokens() {
        assertThrows(.mergeTokenNotInVocabulary(line: 2, token: "lp"), mentioning: "merges.txt:2") {
            try build(vocabulary: vocabularyJSON(), merges: "h e\nl p\n")
        }
        assertThrows(.mergeTokenNotInVocabulary(line: 1, token: "xyz"), mentioning: "merges.txt:1") {
            try build(vocabulary: vocabularyJSON(), merges: "xyz e\n")
        }
    }

    func testMergesThatAreNotUTF8() {
        XCTAssertThrowsError(
            try GPT2Tokenizer(vocabulary: Data(vocabularyJSON().utf8), merges: Data([0x68, 0x20, 0x65, 0x0A, 0x68, 0x20, 0xFF, 0x0A]))
        ) { error in
            // The place, as config.json's and vocab.json's errors give theirs (a hostile review).
            XCTAssertEqual(error as? TokenizerError, .mergesNotUTF8(line: 2))
            XCTAssertTrue("\(error)".hasPrefix("merges.txt:2: error: the line is not valid UTF-8"), "\(error)")
        }
        // UTF-16 without a byte-order mark is valid UTF-8 up to its first non-ASCII character: its NUL bytes name it.
        XCTAssertThrowsError(
            try GPT2Tokenizer(vocabulary: Data(vocabularyJSON().utf8), merges: "h e\n".data(using: .utf16LittleEndian)!)
        ) { error in
            XCTAssertEqual("\(error)", "merges.txt: error: the file holds NUL bytes, as UTF-16 does, and is not UTF-8 text; "
                + "save it as UTF-8, or re-download it from the model repository")
        }
    }

    /// A hostile review: a UTF-16 vocab.json was told "the file must start with '{'"; after leading whitespace (UTF-8
    /// spaces, then UTF-16 text) it was told "expected a token". Any NUL byte (JSON has none unescaped) is said so.
    func testAVocabularyInUTF16IsSaidToBeUTF16() {
        let json = vocabularyJSON()
        for data in [Data([0xFF, 0xFE]) + json.data(using: .utf16LittleEndian)!, json.data(using: .utf16BigEndian)!, Data([0])] {
            XCTAssertThrowsError(try GPT2Tokenizer(vocabulary: data, merges: Data())) { error in
                XCTAssertTrue("\(error)".contains("the file is UTF-16 (or holds NUL bytes), not UTF-8"), "\(error)")
            }
        }
        // A NUL further on is named at its place (a second review: "1:1" for a NUL in the middle of the file).
        let afterWhitespace = Data("  \n{".utf8) + "\"h\": 0}".data(using: .utf16LittleEndian)!
        let nulInAToken = Data("{\n\"h\": 0,\n\"h\u{0}e\": 1}".utf8)
        for (data, place) in [(afterWhitespace, "vocab.json:2:3: error: a NUL byte"), (nulInAToken, "vocab.json:3:3: error: a NUL byte")] {
            XCTAssertThrowsError(try GPT2Tokenizer(vocabulary: data, merges: Data())) { error in
                XCTAssertTrue("\(error)".hasPrefix(place), "\(error)")
                XCTAssertTrue("\(error)".contains("the file is damaged or partly UTF-16; re-download it"), "\(error)")
            }
        }
    }

    /// A byte-order mark is said as one (review: "token \"\u{FEFF}#version:\" is not in vocab.json").
    func testMergesWithAByteOrderMark() {
        assertThrows(.mergesByteOrderMark, mentioning: "byte-order mark (EF BB BF)") {
            try build(vocabulary: vocabularyJSON(), merges: "\u{FEFF}#version: 0.2\nh e\n")
        }
    }

    /// An empty merges.txt (a failed download or copy) with merged tokens in the vocabulary is refused: it tokenised
    /// byte by byte (a review: 35 ids instead of 8).
    func testNoMergeRuleWithMergedTokensIsRefused() {
        for merges in ["", "#version: 0.2\n"] {
            assertThrows(
                .noMergeRules(unreachable: 2),
                mentioning: "merges.txt: error: the file holds no merge rule, yet vocab.json has 2 merged tokens that only "
                    + "merges can produce (every text would be cut byte by byte); the file is empty or cut short: "
                    + "re-download the model (`biasaudit models pull MODEL_ID`, with its Hub id), or copy merges.txt again from where it came"
            ) { try build(vocabulary: vocabularyJSON(), merges: merges) }
        }
    }

    /// `models list` flags a merges.txt that holds no merge rule without building the tokenizer (a hostile review): the
    /// check it uses agrees with the refusal above on which files hold a rule and which vocabularies need one.
    func testTheCheckWithoutATokenizerAgreesWithTheRefusal() throws {
        for merges in ["", "#version: 0.2\n", "#version: 0.2\r\n", "#version: 0.2"] {
            XCTAssertTrue(GPT2Tokenizer.holdsNoMergeRule(Data(merges.utf8)), merges.debugDescription)
            XCTAssertThrowsError(try build(vocabulary: vocabularyJSON(), merges: merges), merges.debugDescription)
        }
        for merges in ["#version: 0.2\nh e\n", "h e", "\n\n"] {
            XCTAssertFalse(GPT2Tokenizer.holdsNoMergeRule(Data(merges.utf8)), merges.debugDescription)
        }
        XCTAssertEqual(try GPT2Tokenizer.mergedTokenCount(vocabulary: Data(vocabularyJSON().utf8)), 2)
        XCTAssertEqual(
            try GPT2Tokenizer.mergedTokenCount(vocabulary: Data(vocabularyJSON(extra: ["<|endoftext|>", "<|pad|>"]).utf8)), 0)
    }

    /// A vocabulary of byte tokens and specials alone needs no merge rule.
    func testMergeFreeVocabularyWorksWithoutMerges() throws {
        let tokenizer = try build(vocabulary: vocabularyJSON(extra: ["<|endoftext|>", "<|pad|>"]), merges: "")
        XCTAssertEqual(tokenizer.tokens(for: tokenizer.encode("he<|endoftext|>")), ["h", "e", "<|endoftext|>"])
    }

    func testJSONEscapesInVocabulary() throws {
        let escaped = vocabularyJSON().replacingOccurrences(of: "\"he\":", with: "\"\\u0068\\u0065\":")
        XCTAssertNotEqual(escaped, vocabularyJSON(), "the fixture should contain the token \"he\"")
        let tokenizer = try build(vocabulary: escaped)
        XCTAssertEqual(tokenizer.id(for: "he"), 256)
        XCTAssertEqual(tokenizer.id(for: "\""), 0x22, "escaped as \\\" in the JSON")
        XCTAssertEqual(tokenizer.id(for: "\\"), 0x5C, "escaped as \\\\ in the JSON")
    }
}
