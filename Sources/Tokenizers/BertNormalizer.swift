import Foundation

/// BERT's text normaliser: clean text, space out CJK ideographs, strip accents, lower-case, in that order.
///
/// Matches Hugging Face tokenizers' `BertNormalizer` (v0.2x, `normalizers/bert.rs`):
/// - clean text: drop U+0000, U+FFFD and "control" characters (general categories Cc, Cf, Co, except tab,
///   line feed and carriage return; unassigned code points are kept, as tokenizers 0.23 keeps them), then
///   turn every `White_Space` character (and tab, LF, CR) into U+0020;
/// - CJK: put a space before and after every scalar in the CJK ideograph blocks BERT lists (URO, Ext. A,
///   B, C, D, E–F from U+2B920, compatibility ideographs and their supplement);
/// - strip accents (when configured): canonical decomposition (NFD), then drop Mn (non-spacing marks);
/// - lower-case (when configured): each scalar's full lower-case mapping, without context (so final
///   sigma stays σ and İ becomes i + U+0307).
struct BertNormalizer: Sendable {
    let configuration: WordPieceConfiguration

    /// The normalised scalars of `scalars`.
    func normalize(_ scalars: some Sequence<Unicode.Scalar>) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in scalars {
            if configuration.cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
                if Self.isWhitespace(scalar) {
                    result.append(" ")
                    continue
                }
            }
            if configuration.handleChineseCharacters, Self.isChineseCharacter(scalar) {
                result.append(contentsOf: [" ", scalar, " "])
            } else {
                result.append(scalar)
            }
        }
        if configuration.stripsAccents {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: result)
            result = String(text).decomposedStringWithCanonicalMapping.unicodeScalars.filter {
                $0.properties.generalCategory != .nonspacingMark
            }
        }
        if configuration.lowercase {
            result = result.flatMap { scalar in
                scalar.properties.changesWhenLowercased ? Array(scalar.properties.lowercaseMapping.unicodeScalars) : [scalar]
            }
        }
        return result
    }

    /// Tab, LF, CR and the `White_Space` property (Rust's `char::is_whitespace`).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// Cc, Cf and Co, except tab, LF and CR, which count as whitespace.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// The CJK ideograph blocks of BERT's `_is_chinese_char`, as tokenizers 0.2x lists them.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
