/// Greedy longest-match-first WordPiece: cuts one pre-tokenized word into vocabulary pieces.
///
/// Matches Hugging Face tokenizers' `WordPiece` model (v0.2x, `models/wordpiece/mod.rs`): from the start of
/// the word, take the longest prefix in the vocabulary, then the longest `##`-prefixed continuation, and so
/// on; if some position has no piece, or the word has more than `maxInputCharactersPerWord` Unicode
/// scalars, the whole word is the unknown token.
struct WordPieceModel: Sendable {
    let idForToken: [ScalarKey: Int]
    let unknownID: Int
    let continuingSubwordPrefix: [Unicode.Scalar]
    let maxInputCharactersPerWord: Int

    /// The ids of one word's pieces, appended to `ids`.
    func encode(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int]) {
        guard word.count <= maxInputCharactersPerWord else {
            ids.append(unknownID)
            return
        }
        var pieces: [Int] = []
        var start = word.startIndex
        while start < word.endIndex {
            var end = word.endIndex
            var found: Int?
            while start < end {
                var piece = start > word.startIndex ? continuingSubwordPrefix : []
                piece.append(contentsOf: word[start..<end])
                if let id = idForToken[ScalarKey(piece)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.append(unknownID)
                return
            }
            pieces.append(found)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}

/// A vocabulary key compared scalar by scalar, as Rust compares strings (byte-wise): Swift's `String`
/// equality would treat "é" and "e\u{301}" as one token, which tokenizers does not.
struct ScalarKey: Hashable, Sendable {
    let scalars: [Unicode.Scalar]

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    init(_ text: String) {
        self.scalars = Array(text.unicodeScalars)
    }
}
