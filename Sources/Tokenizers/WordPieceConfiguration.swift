import Foundation

/// The settings of a BERT WordPiece tokenizer, as `tokenizer_config.json` gives them.
///
/// Follows how transformers' `BertTokenizerFast` (v4/v5) turns `tokenizer_config.json` into a
/// Hugging Face `tokenizers` pipeline: `do_lower_case` → `BertNormalizer(lowercase:)`, `strip_accents`
/// (absent or null: same as `do_lower_case`), `tokenize_chinese_chars` → `handle_chinese_chars`, and the
/// `unk_token`, `sep_token`, `pad_token`, `cls_token`, `mask_token` names (plain strings or
/// `{"content": …}` objects). Text cleaning is always on and a word over 100 characters is `[UNK]`
/// (`max_input_chars_per_word`), as in `BertWordPieceTokenizer`. Other keys (`model_max_length`, …) are
/// ignored: this tokenizer never truncates or pads.
public struct WordPieceConfiguration: Sendable, Equatable {
    /// Lower-case the text (`do_lower_case`, default true).
    public var lowercase: Bool
    /// Strip accents (NFD, then drop Mn marks); nil follows `lowercase` (`strip_accents`).
    public var stripAccents: Bool?
    /// Put spaces around CJK ideographs (`tokenize_chinese_chars`, default true).
    public var handleChineseCharacters: Bool
    /// Drop NUL, U+FFFD and control/format characters and turn whitespace into spaces (always on in BERT).
    public var cleanText: Bool
    /// `[UNK]`: the token of a word that cannot be cut into vocabulary pieces.
    public var unknownToken: String
    /// `[SEP]`: appended to every encoded text.
    public var separatorToken: String
    /// `[CLS]`: prepended to every encoded text.
    public var classifierToken: String
    /// `[PAD]`: special (skipped when decoding), never added.
    public var paddingToken: String
    /// `[MASK]`: special (skipped when decoding), never added.
    public var maskToken: String
    /// Words longer than this many Unicode scalars (after normalisation) become `[UNK]` (100 in BERT).
    public var maxInputCharactersPerWord: Int
    /// The marker of a piece that continues a word (`##`).
    public var continuingSubwordPrefix: String

    /// BERT's defaults: uncased (lower-case, strip accents), CJK splitting, `[UNK]`/`[SEP]`/`[PAD]`/`[CLS]`/`[MASK]`.
    public init(
        lowercase: Bool = true, stripAccents: Bool? = nil, handleChineseCharacters: Bool = true,
        cleanText: Bool = true, unknownToken: String = "[UNK]", separatorToken: String = "[SEP]",
        classifierToken: String = "[CLS]", paddingToken: String = "[PAD]", maskToken: String = "[MASK]",
        maxInputCharactersPerWord: Int = 100, continuingSubwordPrefix: String = "##"
    ) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        self.handleChineseCharacters = handleChineseCharacters
        self.cleanText = cleanText
        self.unknownToken = unknownToken
        self.separatorToken = separatorToken
        self.classifierToken = classifierToken
        self.paddingToken = paddingToken
        self.maskToken = maskToken
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
        self.continuingSubwordPrefix = continuingSubwordPrefix
    }

    /// Reads the settings from the bytes of a `tokenizer_config.json`; absent or null keys keep BERT's defaults.
    /// - Throws: ``TokenizerError/malformedTokenizerConfiguration(key:reason:)`` when the file is not a JSON
    ///   object or a known key has the wrong type.
    public init(tokenizerConfiguration data: Data) throws {
        let file: TokenizerConfigurationFile
        do {
            file = try JSONDecoder().decode(TokenizerConfigurationFile.self, from: data)
        } catch let error as DecodingError {
            let key = Self.codingPath(of: error).first?.stringValue
            throw TokenizerError.malformedTokenizerConfiguration(
                key: key, reason: key.map { "expected \(Self.expectation(for: $0))" } ?? "not a valid JSON object")
        }
        self.init()
        lowercase = file.do_lower_case ?? lowercase
        stripAccents = file.strip_accents
        handleChineseCharacters = file.tokenize_chinese_chars ?? handleChineseCharacters
        unknownToken = file.unk_token?.content ?? unknownToken
        separatorToken = file.sep_token?.content ?? separatorToken
        classifierToken = file.cls_token?.content ?? classifierToken
        paddingToken = file.pad_token?.content ?? paddingToken
        maskToken = file.mask_token?.content ?? maskToken
    }

    /// Whether accents are stripped: `stripAccents`, or `lowercase` when it is nil (as `BertNormalizer` does).
    public var stripsAccents: Bool { stripAccents ?? lowercase }

    private static func codingPath(of error: DecodingError) -> [any CodingKey] {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            context.codingPath
        @unknown default:
            []
        }
    }

    private static func expectation(for key: String) -> String {
        key.hasSuffix("_token")
            ? "a non-empty token string or an object with a \"content\" string" : "true, false or null"
    }
}

/// The keys of `tokenizer_config.json` that a WordPiece tokenizer uses (Hugging Face names).
private struct TokenizerConfigurationFile: Decodable {
    var do_lower_case: Bool?
    var strip_accents: Bool?
    var tokenize_chinese_chars: Bool?
    var unk_token: TokenName?
    var sep_token: TokenName?
    var cls_token: TokenName?
    var pad_token: TokenName?
    var mask_token: TokenName?
}

/// A special token as `tokenizer_config.json` names it: `"[UNK]"` or `{"content": "[UNK]", …}`.
private struct TokenName: Decodable {
    var content: String

    private enum CodingKeys: String, CodingKey { case content }

    init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            content = text
        } else {
            content = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .content)
        }
        guard !content.isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "empty token"))
        }
    }
}
