import Foundation
import TestSupport
import Tokenizers

/// The WordPiece fixtures of `Tests/Fixtures/wordpiece` (written by its `make_goldens.py` with Hugging Face
/// `tokenizers`): three vocabulary directories, each with `vocab.txt`, `tokenizer_config.json`, `goldens.jsonl`.
enum WordPieceFixture {
    /// The three normaliser configurations the goldens cover.
    static let directories = ["uncased", "cased", "uncased-keep-accents-no-cjk"]

    /// One line of `goldens.jsonl`: an `encode` case (text → ids, tokens, decoded) or a `decode` case (ids → decoded).
    struct GoldenCase: Decodable {
        let kind: String
        let text: String?
        let ids: [Int]
        let tokens: [String]?
        /// `tokenizer.decode(ids)` (skip_special_tokens=True).
        let decoded: String
        /// `tokenizer.decode(ids, skip_special_tokens=False)`.
        let decodedKeepSpecial: String

        private enum CodingKeys: String, CodingKey {
            case kind, text, ids, tokens, decoded
            case decodedKeepSpecial = "decoded_keep_special"
        }
    }

    /// The tokenizer of one fixture directory, configured from its `tokenizer_config.json`.
    static func tokenizer(_ directory: String) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(
            vocabulary: Fixtures.data("wordpiece/\(directory)/vocab.txt"),
            configuration: WordPieceConfiguration(
                tokenizerConfiguration: Fixtures.data("wordpiece/\(directory)/tokenizer_config.json")))
    }

    /// The goldens of one fixture directory.
    static func goldenCases(_ directory: String) throws -> [GoldenCase] {
        try Fixtures.jsonLines("wordpiece/\(directory)/goldens.jsonl", as: GoldenCase.self)
    }
}
