import Foundation
import TestSupport
import Tokenizers

/// The real GPT-2 tokenizer built once from the committed fixtures and shared by the tests.
enum TokenizerFixture {
    /// One line of `tokenizer-golden.jsonl`, written by `GPT2TokenizerFast`.
    struct GoldenCase: Decodable {
        let text: String
        let ids: [Int]
        let tokens: [String]
    }

    static func vocabularyData() throws -> Data {
        try Fixtures.data("gpt2-tokenizer/vocab.json")
    }

    static func mergesData() throws -> Data {
        try Fixtures.data("gpt2-tokenizer/merges.txt")
    }

    /// The tokenizer of `gpt2-tokenizer/`, built on first use.
    static func gpt2() throws -> GPT2Tokenizer {
        try shared.get()
    }

    static func goldenCases() throws -> [GoldenCase] {
        try Fixtures.jsonLines("tokenizer-golden.jsonl", as: GoldenCase.self)
    }

    private static let shared: Result<GPT2Tokenizer, Error> = Result {
        try GPT2Tokenizer(vocabulary: vocabularyData(), merges: mergesData())
    }
}
