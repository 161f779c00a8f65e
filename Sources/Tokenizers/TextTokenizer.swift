/// What `tokenize` and `decode` need from a tokenizer, whichever its kind (GPT-2 byte-level BPE or BERT WordPiece).
public protocol TextTokenizer: Sendable {
    /// One more than the largest id.
    var vocabularySize: Int { get }
    /// The ids of `text`, as the Hugging Face tokenizer's `encode` gives them.
    func encode(_ text: String) -> [Int]
    /// The vocabulary string of `id`, nil when no token has it.
    func token(for id: Int) -> String?
    /// The vocabulary strings of `ids`, skipping ids without a token.
    func tokens(for ids: [Int]) -> [String]
    /// The text of `ids`; `skipSpecialTokens` drops special tokens, as tokenizers' `decode` does by default.
    func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String
}

extension WordPieceTokenizer: TextTokenizer {}

extension GPT2Tokenizer: TextTokenizer {
    /// The text of `ids`; `skipSpecialTokens` drops `<|endoftext|>` (its only special token), as
    /// tokenizers' `Tokenizer.decode(ids, skip_special_tokens=True)` does, and keeps it when false, as
    /// `GPT2TokenizerFast.decode(ids)` does.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        decode(skipSpecialTokens ? ids.filter { $0 != endOfTextID } : ids)
    }
}
