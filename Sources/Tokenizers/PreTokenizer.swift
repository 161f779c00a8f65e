/// GPT-2's pre-tokenizer: splits text into the words that byte-pair merging works on.
///
/// A hand-written scanner over Unicode scalars equivalent to the pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// as Hugging Face `tokenizers` (the `ByteLevel` pre-tokenizer, Oniguruma, `add_prefix_space`
/// off) applies it. The character classes are Unicode's: `\s` is the `White_Space` property
/// (so U+00A0 and U+3000 are spaces, U+200B and U+200D are not), `\p{L}` the letter categories
/// Lu/Ll/Lt/Lm/Lo, `\p{N}` the number categories Nd/Nl/No. Contractions are ASCII and
/// case-sensitive (`'S` is not one). Only U+0020 attaches to the following word.
///
/// Because `\s+(?!\S)` backs off by one character when a whitespace run is followed by
/// something else, the last character of such a run starts the next word: `"a  b"` splits
/// into `"a"`, `" "`, `" b"`.
enum PreTokenizer {
    /// The class a scalar belongs to for the pattern above.
    enum ScalarClass: UInt8 {
        case whitespace, letter, number, other
    }

    /// The words of `scalars`, as index ranges into it, in order and covering every scalar.
    static func split(_ scalars: ArraySlice<Unicode.Scalar>) -> [Range<Int>] {
        let classes = scalars.map(classify)
        let base = scalars.startIndex
        let end = scalars.endIndex
        func scalarClass(_ index: Int) -> ScalarClass { classes[index - base] }

        var words: [Range<Int>] = []
        var start = base
        while start < end {
            if let length = contractionLength(scalars, at: start) {
                words.append(start..<(start + length))
                start += length
                continue
            }
            var wordClass = scalarClass(start)
            var runStart = start
            if scalars[start] == " ", start + 1 < end, scalarClass(start + 1) != .whitespace {
                wordClass = scalarClass(start + 1)
                runStart = start + 1
            }
            var runEnd = runStart + 1
            while runEnd < end, scalarClass(runEnd) == wordClass {
                runEnd += 1
            }
            if wordClass == .whitespace, runEnd < end, runEnd - start >= 2 {
                runEnd -= 1
            }
            words.append(start..<runEnd)
            start = runEnd
        }
        return words
    }

    /// The words of a string, for tests and diagnostics.
    static func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return split(scalars[...]).map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
    }

    /// The class of one scalar, with a fast path for ASCII.
    static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        switch scalar.value {
        case 0x61...0x7A, 0x41...0x5A: return .letter
        case 0x30...0x39: return .number
        case 0x09...0x0D, 0x20: return .whitespace
        case 0...0x7F: return .other
        default: break
        }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// The length of the contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at `index`, if any.
    private static func contractionLength(_ scalars: ArraySlice<Unicode.Scalar>, at index: Int) -> Int? {
        guard scalars[index] == "'", index + 1 < scalars.endIndex else { return nil }
        switch scalars[index + 1] {
        case "s", "t", "m", "d":
            return 2
        case "r", "v", "l":
            guard index + 2 < scalars.endIndex else { return nil }
            let pair = (scalars[index + 1], scalars[index + 2])
            if pair == ("r", "e") || pair == ("v", "e") || pair == ("l", "l") { return 3 }
            return nil
        default:
            return nil
        }
    }
}
