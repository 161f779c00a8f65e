import Foundation

/// Why a tokenizer could not be built from its files: GPT-2's `vocab.json` and `merges.txt`, or a BERT
/// WordPiece `vocab.txt` and `tokenizer_config.json`.
///
/// Every case names the file kind and, where it applies,
/// the 1-based line (and column) of the offending text, so the file can be fixed by hand.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// `vocab.json` is not a JSON object of `"token": id` pairs.
    case malformedVocabulary(line: Int, column: Int, reason: String)
    /// A token appears twice in `vocab.json`.
    case duplicateToken(String, line: Int)
    /// Two tokens in `vocab.json` share one id.
    case duplicateID(Int, tokens: [String])
    /// `vocab.json` has no `<|endoftext|>` token, which GPT-2 needs as its end-of-text id.
    case missingEndOfText
    /// `vocab.json` lacks the single-byte token for a byte value, which byte-level BPE needs.
    case missingByteToken(byte: UInt8, token: String)
    /// A line of `merges.txt` is not two tokens separated by one space.
    case malformedMerge(line: Int, text: String)
    /// A merge in `merges.txt` names a token (or produces one) that `vocab.json` lacks.
    case mergeTokenNotInVocabulary(line: Int, token: String)
    /// `merges.txt` is not valid UTF-8.
    /// (`line` 0: the file holds NUL bytes, as UTF-16 does.)
    case mergesNotUTF8(line: Int)
    /// `merges.txt` begins with a UTF-8 byte-order mark (an editor's), which Hugging Face `tokenizers` refuses too.
    case mergesByteOrderMark
    /// `merges.txt` holds no merge rule while `vocab.json` has `unreachable` merged tokens (beyond the 256 byte tokens
    /// and the `<|…|>` specials): they could never be produced, and every text would be cut byte by byte. An empty file
    /// is a failed download or copy (a review: an empty merges.txt tokenised "the theater, then them." as 35 ids, not 8).
    case noMergeRules(unreachable: Int)
    /// A WordPiece `vocab.txt` is not UTF-8 text with one token per line.
    case malformedWordPieceVocabulary(reason: String)
    /// A special token that BERT's pipeline needs (`[UNK]`, `[CLS]`, `[SEP]`) is not in `vocab.txt`.
    case missingSpecialToken(String, key: String)
    /// `tokenizer_config.json` is not a JSON object, or `key` has the wrong type.
    case malformedTokenizerConfiguration(key: String?, reason: String)

    /// A message that says what is wrong, where, and what to do about it.
    public var description: String {
        switch self {
        case let .malformedVocabulary(line, column, reason):
            return "vocab.json:\(line):\(column): error: \(reason); "
                + "expected a JSON object mapping token strings to integer ids, as written by Hugging Face"
        case let .duplicateToken(token, line):
            return "vocab.json:\(line): error: token \(Self.quoted(token)) appears more than once; "
                + "each token must have exactly one id"
        case let .duplicateID(id, tokens):
            return "vocab.json: error: id \(id) is given to several tokens (\(tokens.map(Self.quoted).joined(separator: ", "))); "
                + "ids must be unique"
        case .missingEndOfText:
            return "vocab.json: error: the token \"<|endoftext|>\" is missing; "
                + "a GPT-2 vocabulary must contain it (id 50256 in the released files)"
        case let .missingByteToken(byte, token):
            return "vocab.json: error: the token \(Self.quoted(token)) for byte \(Self.hex(byte)) is missing; "
                + "a byte-level vocabulary must hold all 256 single-byte tokens"
        case let .malformedMerge(line, text):
            return "merges.txt:\(line): error: \(Self.quoted(text)) is not a merge; "
                + "each line must be two tokens separated by one space (a first line \"#version …\" is allowed)"
        case let .mergeTokenNotInVocabulary(line, token):
            return "merges.txt:\(line): error: token \(Self.quoted(token)) is not in vocab.json; "
                + "check that merges.txt and vocab.json come from the same model"
        case .mergesNotUTF8(let line) where line == 0:
            return "merges.txt: error: the file holds NUL bytes, as UTF-16 does, and is not UTF-8 text; save it as UTF-8, "
                + "or re-download it from the model repository"
        case .mergesNotUTF8(let line):
            return "merges.txt:\(line): error: the line is not valid UTF-8 (a UTF-16 file, or a damaged one); save it as "
                + "UTF-8, or re-download it from the model repository"
        case .mergesByteOrderMark:
            return "merges.txt:1: error: the file starts with a UTF-8 byte-order mark (EF BB BF), which an editor adds; "
                + "save it without one, or re-download it from the model repository"
        case let .noMergeRules(unreachable):
            return "merges.txt: error: the file holds no merge rule, yet vocab.json has \(unreachable) merged "
                + "token\(unreachable == 1 ? "" : "s") that only merges can produce (every text would be cut byte by byte); "
                + "the file is empty or cut short: re-download the model (`biasaudit models pull MODEL_ID`, with its Hub id), or copy merges.txt "
                + "again from where it came"
        case let .malformedWordPieceVocabulary(reason):
            return "vocab.txt: error: \(reason); a WordPiece vocabulary is UTF-8 text with one token per line "
                + "(the line number, from 0, is the id), as BERT's vocab.txt"
        case let .missingSpecialToken(token, key):
            return "vocab.txt: error: the \(key) \(Self.quoted(token)) is not in the vocabulary; "
                + "add it to vocab.txt or name the vocabulary's own token as \"\(key)\" in tokenizer_config.json"
        case let .malformedTokenizerConfiguration(key, reason):
            return "tokenizer_config.json: error: " + (key.map { "\"\($0)\": " } ?? "") + reason
                + "; see BERT's tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars, *_token)"
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 2 - digits.count) + digits
    }

    /// The text escaped and cut to 60 scalars: a message never quotes more of a file than a short excerpt
    /// (a file named by mistake, such as `/proc/self/environ`, must not be printed whole).
    private static func quoted(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let shown = scalars.prefix(60).map { $0.escaped(asASCII: false) }.joined()
        return "\"" + shown + (scalars.count > 60 ? "…" : "") + "\""
    }
}
