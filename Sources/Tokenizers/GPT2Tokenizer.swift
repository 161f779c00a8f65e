import Foundation

/// GPT-2's byte-level BPE tokenizer, built from `vocab.json` and `merges.txt`.
///
/// Matches Hugging Face `GPT2TokenizerFast` (`tokenizers` 0.2x: `ByteLevel` pre-tokenizer without
/// a prefix space, BPE without dropout, `ByteLevel` decoder, `<|endoftext|>` as an added special
/// token): the same ids and token strings for any text, and `decode(encode(text)) == text`.
///
/// The pipeline, one file per stage: `<|endoftext|>` is split out of the text first, the rest
/// is cut into words by `PreTokenizer`, each word's UTF-8 bytes are merged by `BytePairMerger`
/// (memoised in `WordCache`), and `ByteEncoder` gives the printable form of tokens.
///
/// Thread-safe: all state is immutable except the word cache, which is locked.
/// It never reads files or the network; callers hand it the two files' bytes.
public final class GPT2Tokenizer: @unchecked Sendable {
    /// The text of GPT-2's end-of-text token.
    public static let endOfTextToken = "<|endoftext|>"

    /// The number of rows the model's embedding needs: one more than the largest id (50257 for GPT-2).
    public let vocabularySize: Int
    /// The id of `<|endoftext|>` (50256 for GPT-2).
    public let endOfTextID: Int

    private let tokenForID: [String?]
    private let bytesForID: [[UInt8]?]
    private let idForToken: [String: Int]
    private let merger: BytePairMerger
    private let cache = WordCache()
    private let endOfTextScalars = Array(GPT2Tokenizer.endOfTextToken.unicodeScalars)

    /// Builds the tokenizer from the bytes of a GPT-2 style `vocab.json` and `merges.txt`.
    /// - Parameters:
    ///   - vocabulary: the bytes of `vocab.json`, a JSON object of token string → id.
    ///   - merges: the bytes of `merges.txt`, one `left right` merge per line.
    /// - Throws: `TokenizerError` naming the file and line when either file is malformed, when
    ///   ids or tokens repeat, when a merge names an unknown token, or when a single-byte token
    ///   or `<|endoftext|>` is missing, or when `merges.txt` has no rule but the vocabulary has merged tokens.
    public init(vocabulary: Data, merges: Data) throws {
        let entries = try VocabularyParser.parse(vocabulary)
        var idForToken: [String: Int] = [:]
        idForToken.reserveCapacity(entries.count)
        var tokenForID = [String?](repeating: nil, count: (entries.map(\.id).max() ?? -1) + 1)
        for entry in entries {
            guard idForToken.updateValue(entry.id, forKey: entry.token) == nil else {
                throw TokenizerError.duplicateToken(entry.token, line: entry.line)
            }
            if let existing = tokenForID[entry.id] {
                throw TokenizerError.duplicateID(entry.id, tokens: [existing, entry.token])
            }
            tokenForID[entry.id] = entry.token
        }
        guard let endOfTextID = idForToken[Self.endOfTextToken] else { throw TokenizerError.missingEndOfText }

        let byteIDs = try ByteEncoder.gpt2.scalarForByte.enumerated().map { byte, scalar in
            guard let id = idForToken[String(scalar)] else {
                throw TokenizerError.missingByteToken(byte: UInt8(byte), token: String(scalar))
            }
            return Int32(id)
        }
        let mergeRules = try MergesParser.parse(merges, vocabulary: idForToken)
        if mergeRules.isEmpty {
            let unreachable = Self.mergedTokenCount(idForToken.keys)
            if unreachable > 0 { throw TokenizerError.noMergeRules(unreachable: unreachable) }
        }
        self.merger = BytePairMerger(merges: mergeRules, byteIDs: byteIDs)
        self.idForToken = idForToken
        self.tokenForID = tokenForID
        self.bytesForID = tokenForID.map { $0.map(ByteEncoder.gpt2.decode) }
        self.vocabularySize = tokenForID.count
        self.endOfTextID = endOfTextID
    }

    /// Whether `merges` (the bytes of a `merges.txt`) holds no merge rule: it is empty, or holds only `#version` lines.
    /// Beside a vocabulary with merged tokens (``mergedTokenCount(vocabulary:)``), ``init(vocabulary:merges:)`` refuses
    /// such a file (``TokenizerError/noMergeRules(unreachable:)``); this says so without building the tokenizer (for
    /// `models list`).
    public static func holdsNoMergeRule(_ merges: Data) -> Bool {
        MergesParser.holdsNoRule(merges)
    }

    /// How many tokens of `vocabulary` (the bytes of a `vocab.json`) only merge rules can produce: all but the 256
    /// single-byte tokens and the `<|…|>` specials.
    /// - Throws: `TokenizerError` when `vocabulary` is not a vocabulary.
    public static func mergedTokenCount(vocabulary: Data) throws -> Int {
        mergedTokenCount(try VocabularyParser.parse(vocabulary).map(\.token))
    }

    /// How many of `tokens` only merge rules can produce (see ``mergedTokenCount(vocabulary:)``).
    static func mergedTokenCount(_ tokens: some Sequence<String>) -> Int {
        let byteTokens = Set(ByteEncoder.gpt2.scalarForByte.map { String($0) })
        return tokens.filter { token in
            !byteTokens.contains(token) && !(token.hasPrefix("<|") && token.hasSuffix("|>"))
        }.count
    }

    /// The token ids of `text`, exactly as `GPT2TokenizerFast(text)["input_ids"]` gives them.
    ///
    /// `<|endoftext|>` anywhere in the text becomes `endOfTextID`; no other special handling,
    /// no prefix space, no truncation.
    public func encode(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var ids: [Int] = []
        ids.reserveCapacity(scalars.count / 3 + 1)
        var segmentStart = 0
        var index = 0
        while index < scalars.count {
            if scalars[index] == "<", scalars[index...].starts(with: endOfTextScalars) {
                encodeSegment(scalars[segmentStart..<index], into: &ids)
                ids.append(endOfTextID)
                index += endOfTextScalars.count
                segmentStart = index
            } else {
                index += 1
            }
        }
        encodeSegment(scalars[segmentStart...], into: &ids)
        return ids
    }

    /// The vocabulary strings of `ids`, e.g. `["Hello", "Ġworld"]`; ids outside the vocabulary are skipped.
    public func tokens(for ids: [Int]) -> [String] {
        ids.compactMap(token(for:))
    }

    /// The vocabulary string of one id (`"Ġworld"` for 995), or nil when no token has that id.
    public func token(for id: Int) -> String? {
        tokenForID.indices.contains(id) ? tokenForID[id] : nil
    }

    /// The id of one vocabulary string (995 for `"Ġworld"`), or nil when it is not a token.
    public func id(for token: String) -> Int? {
        idForToken[token]
    }

    /// The text of `ids`, as `GPT2TokenizerFast.decode(ids)` gives it (special tokens kept, no
    /// clean-up of spaces).
    ///
    /// The tokens' bytes are joined and decoded as UTF-8; each ill-formed part (for example the
    /// first half of an emoji cut off by the end of the list) becomes one U+FFFD, following the
    /// Unicode "maximal subpart" practice that Rust's `String::from_utf8_lossy` also uses.
    /// Ids outside the vocabulary are skipped.
    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids where bytesForID.indices.contains(id) {
            if let tokenBytes = bytesForID[id] {
                bytes.append(contentsOf: tokenBytes)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func encodeSegment(_ scalars: ArraySlice<Unicode.Scalar>, into ids: inout [Int]) {
        guard !scalars.isEmpty else { return }
        var word: [UInt8] = []
        for range in PreTokenizer.split(scalars) {
            word.removeAll(keepingCapacity: true)
            for scalar in scalars[range] {
                UTF8.encode(scalar) { word.append($0) }
            }
            ids.append(contentsOf: cache.ids(for: word, compute: merger.encode))
        }
    }
}
