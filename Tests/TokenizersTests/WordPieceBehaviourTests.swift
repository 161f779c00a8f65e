import Foundation
import XCTest
@testable import Tokenizers

/// WordPiece behaviour the goldens do not pin by themselves: configuration parsing, file errors,
/// scalar-exact vocabulary lookup, and the GPT-2 tokenizer's `skipSpecialTokens`.
final class WordPieceBehaviourTests: XCTestCase {
    private func vocabulary(_ tokens: [String]) -> Data {
        Data(tokens.joined(separator: "\n").utf8 + [UInt8(ascii: "\n")])
    }

    private let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    func testConfigurationReadsBERTKeysAndTokenObjects() throws {
        let json = """
            {"do_lower_case": false, "strip_accents": null, "tokenize_chinese_chars": false,
             "unk_token": {"content": "<unk>", "lstrip": false}, "sep_token": "</s>", "model_max_length": 512}
            """
        let configuration = try WordPieceConfiguration(tokenizerConfiguration: Data(json.utf8))
        XCTAssertFalse(configuration.lowercase)
        XCTAssertNil(configuration.stripAccents)
        XCTAssertFalse(configuration.stripsAccents, "strip_accents null follows do_lower_case")
        XCTAssertFalse(configuration.handleChineseCharacters)
        XCTAssertEqual(configuration.unknownToken, "<unk>")
        XCTAssertEqual(configuration.separatorToken, "</s>")
        XCTAssertEqual(configuration.classifierToken, "[CLS]")
    }

    func testEmptyConfigurationIsUncasedBERT() throws {
        let configuration = try WordPieceConfiguration(tokenizerConfiguration: Data("{}".utf8))
        XCTAssertEqual(configuration, WordPieceConfiguration())
        XCTAssertTrue(configuration.lowercase && configuration.stripsAccents && configuration.handleChineseCharacters)
    }

    func testConfigurationErrorsNameTheKey() {
        let cases: [(json: String, expected: String)] = [
            (#"{"do_lower_case": "yes"}"#, #"tokenizer_config.json: error: "do_lower_case": expected true, false or null"#),
            (#"{"unk_token": 5}"#, #"tokenizer_config.json: error: "unk_token": expected a non-empty token string"#),
            ("[1, 2]", "tokenizer_config.json: error: not a valid JSON object"),
            ("{", "tokenizer_config.json: error: not a valid JSON object"),
        ]
        for (json, expected) in cases {
            XCTAssertThrowsError(try WordPieceConfiguration(tokenizerConfiguration: Data(json.utf8)), json) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(json): got \(error)")
            }
        }
    }

    func testVocabularyWithoutUnknownTokenIsRefusedWithItsKey() {
        XCTAssertThrowsError(try WordPieceTokenizer(vocabulary: vocabulary(["[CLS]", "[SEP]", "a"]))) { error in
            XCTAssertEqual(error as? TokenizerError, .missingSpecialToken("[UNK]", key: "unk_token"))
            XCTAssertTrue("\(error)".hasPrefix(#"vocab.txt: error: the unk_token "[UNK]" is not in the vocabulary"#), "\(error)")
        }
    }

    func testVocabularyThatIsNotUTF8OrEmptyIsRefused() {
        XCTAssertThrowsError(try WordPieceTokenizer(vocabulary: Data([0x5B, 0x55, 0x0A, 0xFF, 0x0A]))) { error in
            XCTAssertEqual(error as? TokenizerError, .malformedWordPieceVocabulary(reason: "line 2 is not valid UTF-8"))
        }
        XCTAssertThrowsError(try WordPieceTokenizer(vocabulary: Data())) { error in
            XCTAssertEqual(error as? TokenizerError, .malformedWordPieceVocabulary(reason: "the file is empty"))
        }
    }

    func testCRLFVocabularyLinesAreTrimmedAsTokenizersDoes() throws {
        let data = Data((specials + ["hello", "##s"]).joined(separator: "\r\n").utf8)
        let tokenizer = try WordPieceTokenizer(vocabulary: data)
        XCTAssertEqual(tokenizer.tokens(for: tokenizer.encode("Hellos")), ["[CLS]", "hello", "##s", "[SEP]"])
    }

    /// tokenizers compares tokens byte-wise: with accents kept, a decomposed "e\u{301}" is not the
    /// vocabulary's precomposed "é" (Swift's `String ==` would say it is).
    func testVocabularyLookupIsScalarExact() throws {
        let tokenizer = try WordPieceTokenizer(
            vocabulary: vocabulary(specials + ["caf", "##é", "##e"]),
            configuration: WordPieceConfiguration(lowercase: true, stripAccents: false))
        XCTAssertEqual(tokenizer.tokens(for: tokenizer.encode("café")), ["[CLS]", "caf", "##é", "[SEP]"])
        XCTAssertEqual(tokenizer.tokens(for: tokenizer.encode("cafe\u{301}")), ["[CLS]", "[UNK]", "[SEP]"])
        XCTAssertNil(tokenizer.id(for: "##e\u{301}"))
    }

    func testWordOfExactlyTheLimitIsCutAndOneMoreIsUnknown() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary(specials + ["a", "##a"]))
        XCTAssertEqual(tokenizer.encode(String(repeating: "a", count: 100)).count, 102, "100 pieces + [CLS] + [SEP]")
        XCTAssertEqual(tokenizer.tokens(for: tokenizer.encode(String(repeating: "a", count: 101))), ["[CLS]", "[UNK]", "[SEP]"])
    }

    func testOutOfRangeIDsAreSkippedWhenDecoding() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary(specials + ["hello", "##s"]))
        XCTAssertEqual(tokenizer.decode([5, -1, 99, 6]), "hellos")
        XCTAssertNil(tokenizer.token(for: 7))
        XCTAssertEqual(tokenizer.vocabularySize, 7)
    }

    func testGPT2SkipSpecialTokensDropsOnlyEndOfText() throws {
        let tokenizer = try TokenizerFixture.gpt2()
        let ids = tokenizer.encode("A long time ago<|endoftext|>")
        XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: true), "A long time ago")
        XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: false), "A long time ago<|endoftext|>")
    }
}
