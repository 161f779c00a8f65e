import Foundation

/// BERT's WordPiece tokenizer, built from `vocab.txt` and the settings of `tokenizer_config.json`.
///
/// Matches Hugging Face tokenizers' `BertWordPieceTokenizer` (v0.2x), which is also what transformers'
/// `BertTokenizerFast` builds: special tokens (`[UNK]`, `[SEP]`, `[CLS]`, `[PAD]`, `[MASK]`, those present
/// in the vocabulary) are split out of the raw text first, exactly as written; the rest goes through
/// `BertNormalizer`, `BertPreTokenizer` and `WordPieceModel`; `encode` adds `[CLS]` … `[SEP]` as
/// `BertProcessing` does (one sequence, no truncation, no padding); `decode` follows the `WordPiece`
/// decoder (`WordPieceDecoder`).
///
/// Immutable and thread-safe. It never reads files or the network; callers hand it the files' bytes.
public final class WordPieceTokenizer: Sendable {
    /// The settings in use.
    public let configuration: WordPieceConfiguration
    /// One more than the largest id in `vocab.txt` (its line count).
    public let vocabularySize: Int
    /// The id of `[CLS]`, first in every encoding.
    public let classifierID: Int
    /// The id of `[SEP]`, last in every encoding.
    public let separatorID: Int
    /// The id of `[UNK]`.
    public let unknownID: Int
    /// The ids of the special tokens (`[UNK]`, `[SEP]`, `[CLS]`, `[PAD]`, `[MASK]` when present).
    public let specialTokenIDs: Set<Int>

    private let tokenForID: [String?]
    private let idForToken: [ScalarKey: Int]
    /// Special tokens as scalars with their ids, longest first (leftmost-longest matching).
    private let specialTokens: [(scalars: [Unicode.Scalar], id: Int)]
    private let normalizer: BertNormalizer
    private let model: WordPieceModel

    /// Builds the tokenizer from the bytes of `vocab.txt` and the settings.
    /// - Parameters:
    ///   - vocabulary: the bytes of `vocab.txt`: one token per line, the 0-based line number is its id.
    ///     As tokenizers' `WordPiece.read_file` does, trailing whitespace is trimmed from each line, and a
    ///     token listed twice keeps its last id.
    ///   - configuration: normaliser settings and special-token names (see ``WordPieceConfiguration``).
    /// - Throws: ``TokenizerError/malformedWordPieceVocabulary(reason:)`` when a line is not UTF-8 or the
    ///   file is empty; ``TokenizerError/missingSpecialToken(_:key:)`` when `[UNK]`, `[CLS]` or `[SEP]`
    ///   (as named by the configuration) is not in the vocabulary.
    public init(vocabulary: Data, configuration: WordPieceConfiguration = WordPieceConfiguration()) throws {
        var lines = vocabulary.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw TokenizerError.malformedWordPieceVocabulary(reason: "the file is empty") }
        var idForToken: [ScalarKey: Int] = [:]
        idForToken.reserveCapacity(lines.count)
        for (id, line) in lines.enumerated() {
            guard let text = String(validating: line, as: UTF8.self) else {
                throw TokenizerError.malformedWordPieceVocabulary(reason: "line \(id + 1) is not valid UTF-8")
            }
            var scalars = Array(text.unicodeScalars)
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
            idForToken[ScalarKey(scalars)] = id
        }
        var tokenForID = [String?](repeating: nil, count: lines.count)
        for (key, id) in idForToken {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: key.scalars)
            tokenForID[id] = String(text)
        }

        func required(_ token: String, _ key: String) throws -> Int {
            guard let id = idForToken[ScalarKey(token)] else { throw TokenizerError.missingSpecialToken(token, key: key) }
            return id
        }
        self.unknownID = try required(configuration.unknownToken, "unk_token")
        self.classifierID = try required(configuration.classifierToken, "cls_token")
        self.separatorID = try required(configuration.separatorToken, "sep_token")
        let specialNames = [
            configuration.unknownToken, configuration.separatorToken, configuration.classifierToken,
            configuration.paddingToken, configuration.maskToken,
        ]
        let specials = specialNames.compactMap { name in
            idForToken[ScalarKey(name)].map { (scalars: Array(name.unicodeScalars), id: $0) }
        }
        self.specialTokens = specials.sorted { $0.scalars.count > $1.scalars.count }
        self.specialTokenIDs = Set(specials.map(\.id))
        self.configuration = configuration
        self.vocabularySize = lines.count
        self.tokenForID = tokenForID
        self.idForToken = idForToken
        self.normalizer = BertNormalizer(configuration: configuration)
        self.model = WordPieceModel(
            idForToken: idForToken, unknownID: unknownID,
            continuingSubwordPrefix: Array(configuration.continuingSubwordPrefix.unicodeScalars),
            maxInputCharactersPerWord: configuration.maxInputCharactersPerWord)
    }

    /// The token ids of `text` with `[CLS]` first and `[SEP]` last, as `tokenizer.encode(text).ids` gives them.
    public func encode(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var ids = [classifierID]
        var segmentStart = 0
        var index = 0
        while index < scalars.count {
            if let special = specialTokens.first(where: { scalars[index...].starts(with: $0.scalars) }) {
                encodeSegment(scalars[segmentStart..<index], into: &ids)
                ids.append(special.id)
                index += special.scalars.count
                segmentStart = index
            } else {
                index += 1
            }
        }
        encodeSegment(scalars[segmentStart...], into: &ids)
        ids.append(separatorID)
        return ids
    }

    /// The vocabulary strings of `ids` (`["[CLS]", "token", "##izer", "[SEP]"]`); ids outside the
    /// vocabulary are skipped.
    public func tokens(for ids: [Int]) -> [String] {
        ids.compactMap(token(for:))
    }

    /// The vocabulary string of one id, or nil when no token has that id.
    public func token(for id: Int) -> String? {
        tokenForID.indices.contains(id) ? tokenForID[id] : nil
    }

    /// The id of one vocabulary string, compared scalar by scalar; nil when it is not a token.
    public func id(for token: String) -> Int? {
        idForToken[ScalarKey(token)]
    }

    /// The text of `ids`, as tokenizers' `Tokenizer.decode(ids, skip_special_tokens:)` gives it: `##`
    /// continuations joined to the previous piece, other pieces separated by a space, spaces before
    /// `.`, `,`, `?`, `!` and in contractions cleaned up. Ids outside the vocabulary are skipped.
    /// - Parameter skipSpecialTokens: drop `[CLS]`, `[SEP]`, `[UNK]`, `[PAD]`, `[MASK]` (tokenizers' default,
    ///   true); false keeps them, as transformers' `tokenizer.decode` does by default.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        let kept = skipSpecialTokens ? ids.filter { !specialTokenIDs.contains($0) } : ids
        return WordPieceDecoder.decode(tokens(for: kept), prefix: configuration.continuingSubwordPrefix)
    }

    private func encodeSegment(_ scalars: ArraySlice<Unicode.Scalar>, into ids: inout [Int]) {
        guard !scalars.isEmpty else { return }
        for word in BertPreTokenizer.split(normalizer.normalize(scalars)) {
            model.encode(word, into: &ids)
        }
    }
}
