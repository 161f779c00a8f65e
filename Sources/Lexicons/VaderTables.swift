/// The parsed VADER lexicon and emoji table, read the way vaderSentiment 3.3.2's
/// `make_lex_dict` and `make_emoji_dict` read them.
struct VaderTables: Sendable {
    /// Token → mean valence. Keys are not lowercased (the file holds a few mixed-case emoticons
    /// such as ":D"); lookups use the lowercased word, so such keys never match, as in Python.
    let valences: [ExactText: Double]
    /// Emoji code point → its textual description. Only single-code-point keys are kept: Python
    /// looks up one code point at a time, so longer keys (flags, ZWJ sequences) never match.
    let emojiDescriptions: [Unicode.Scalar: [Unicode.Scalar]]
    /// The smallest code point of ``emojiDescriptions`` (U+00A9 in the bundled table; `UInt32.max` when it is empty):
    /// the code points below it, ASCII among them, are not looked up.
    let smallestEmoji: UInt32

    /// Parses both tables; each line is `TOKEN<TAB>VALUE[<TAB>…]`, surrounding whitespace stripped,
    /// later duplicates replacing earlier ones, blank lines skipped.
    /// - Throws: `SentimentLexiconError` naming the first malformed line.
    init(lexicon: String, emojiLexicon: String) throws {
        var valences: [ExactText: Double] = [:]
        for (number, fields) in try Self.records(of: lexicon, table: "sentiment lexicon") {
            let valueText = String(String.UnicodeScalarView(PythonString.stripWhitespace(fields.value)))
            guard let valence = Double(valueText), valence.isFinite else {
                throw SentimentLexiconError.invalidValence(
                    token: String(String.UnicodeScalarView(fields.token)), value: valueText, line: number)
            }
            valences[ExactText(fields.token)] = valence
        }
        var emojis: [Unicode.Scalar: [Unicode.Scalar]] = [:]
        for (_, fields) in try Self.records(of: emojiLexicon, table: "emoji lexicon") where fields.token.count == 1 {
            emojis[fields.token[0]] = fields.value
        }
        self.valences = valences
        self.emojiDescriptions = emojis
        self.smallestEmoji = emojis.keys.map(\.value).min() ?? UInt32.max
    }

    /// The non-blank lines of a table as (1-based line number, first field, second field).
    private static func records(
        of text: String, table: String
    ) throws -> [(Int, (token: [Unicode.Scalar], value: [Unicode.Scalar]))] {
        let lines = Array(text.unicodeScalars).split(separator: "\n", omittingEmptySubsequences: false)
        var records: [(Int, (token: [Unicode.Scalar], value: [Unicode.Scalar]))] = []
        for (offset, line) in lines.enumerated() {
            let stripped = PythonString.stripWhitespace(Array(line))
            if stripped.isEmpty { continue }
            let fields = stripped.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2 else { throw SentimentLexiconError.missingTab(table: table, line: offset + 1) }
            records.append((offset + 1, (Array(fields[0]), Array(fields[1]))))
        }
        return records
    }
}
