/// Joins WordPiece tokens back into text.
///
/// Matches Hugging Face tokenizers' `decoders.WordPiece(prefix: "##", cleanup: true)` (v0.2x,
/// `decoders/wordpiece.rs`): every token but the first gets a leading space, unless it starts with `##`,
/// which is removed instead (a leading `##` on the first token is kept); then each token, on its own, has
/// the tokenization spaces cleaned up as `cleanup` does (`" ."` → `"."`, `" ?"`, `" !"`, `" ,"`, `" ' "` →
/// `"'"`, `" n't"`, `" 'm"`, `" do not"` → `" don't"`, `" 's"`, `" 've"`, `" 're"`).
enum WordPieceDecoder {
    /// The text of `tokens`.
    static func decode(_ tokens: [String], prefix: String = "##") -> String {
        var text = ""
        for (index, token) in tokens.enumerated() {
            // Scalar-wise, as Rust's `starts_with` compares bytes: "##\u{301}" starts with "##" although
            // its graphemes differ.
            var piece = token
            if index != 0 {
                if piece.unicodeScalars.starts(with: prefix.unicodeScalars) {
                    piece = String(piece.unicodeScalars.dropFirst(prefix.unicodeScalars.count))
                } else {
                    piece = " " + piece
                }
            }
            text += cleanup(piece)
        }
        return text
    }

    /// The replacements of tokenizers' `cleanup`, applied in its order.
    private static let replacements: [(String, String)] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ]

    /// tokenizers' `cleanup` of one token: plain (scalar-wise) substring replacement, in order.
    static func cleanup(_ token: String) -> String {
        var scalars = Array(token.unicodeScalars)
        for (pattern, replacement) in replacements {
            scalars = replaceAll(Array(pattern.unicodeScalars), with: Array(replacement.unicodeScalars), in: scalars)
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    private static func replaceAll(
        _ pattern: [Unicode.Scalar], with replacement: [Unicode.Scalar], in scalars: [Unicode.Scalar]
    ) -> [Unicode.Scalar] {
        guard scalars.count >= pattern.count else { return scalars }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if scalars[index...].starts(with: pattern) {
                result.append(contentsOf: replacement)
                index += pattern.count
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return result
    }
}
