/// BERT's pre-tokenizer: splits normalised text into words on whitespace and isolates each punctuation mark.
///
/// Matches Hugging Face tokenizers' `BertPreTokenizer` (v0.2x, `pre_tokenizers/bert.rs`): whitespace
/// (`White_Space`) separates words and is dropped; every punctuation scalar is a word of its own, so
/// `"hi!!!"` gives `hi`, `!`, `!`, `!`. Punctuation is BERT's `_is_punctuation`: ASCII 33–47, 58–64,
/// 91–96 and 123–126 (so `$`, `+`, `<`, `^`, `` ` ``, `|`, `~` count) plus the Unicode categories Pc, Pd,
/// Ps, Pe, Pi, Pf, Po. Symbols such as `€`, `©` and emoji are not punctuation and stay inside words.
enum BertPreTokenizer {
    /// The words of `scalars`, in order.
    static func split(_ scalars: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        for index in scalars.indices {
            let scalar = scalars[index]
            if BertNormalizer.isWhitespace(scalar) {
                if start < index { words.append(scalars[start..<index]) }
                start = index + 1
            } else if isPunctuation(scalar) {
                if start < index { words.append(scalars[start..<index]) }
                words.append(scalars[index...index])
                start = index + 1
            }
        }
        if start < scalars.count { words.append(scalars[start...]) }
        return words
    }

    /// BERT's `_is_punctuation`: the four ASCII punctuation ranges, or a Unicode P* category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126:
            return true
        default:
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                return true
            default:
                return false
            }
        }
    }
}
