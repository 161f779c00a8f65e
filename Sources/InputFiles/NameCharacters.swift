/// Characters a name must not hold: they print as nothing, or move the text around them, so that two names that
/// differ by one read alike in every report, terminal and CI log. One definition for what `run`/`analyze` refuse in a
/// model label, what `lint`/`run` refuse in a set's names and labels, and what results files are checked against.
public enum NameCharacters {
    /// Unicode scalars in one name: a prompt set's group id, label, set name or axis (`lint` and `run` refuse a longer
    /// one), a model label (`run`, `analyze`), and each of these in a results file. Names are repeated in every line
    /// of completions.jsonl and every row of a report (20,000-character names made 100 KB lines; a results file's
    /// 20,000,000-character group label made a 340 MB report.html).
    public static let maximumLength = 200

    /// Why `name` is too long to be a name (more than ``maximumLength`` scalars), or nil. Counts only a text whose UTF-8
    /// length passes the limit (which bounds its scalars from above).
    public static func lengthProblem(_ name: String) -> String? { lengthProblem(name, limit: maximumLength) }

    /// Why `text` is longer than `limit` Unicode scalars (not grapheme clusters: 4,000 clusters of "!" with combining
    /// marks held 316 KB), or nil: "is N characters long, more than the limit of `limit` (README, "Limits")". Only a
    /// text whose UTF-8 length passes the limit is counted (its bytes bound its scalars from above).
    public static func lengthProblem(_ text: String, limit: Int) -> String? {
        guard text.utf8.count > limit else { return nil }
        let length = text.unicodeScalars.count
        guard length > limit else { return nil }
        return "is \(length) characters long, more than the limit of \(limit) (README, \"Limits\")"
    }

    /// A label as a reader sees it: without the joiners U+200C and U+200D and other default-ignorable characters
    /// (U+034F, variation selectors), every space lookalike read as a space and every run of white space as one (HTML
    /// shows "Young  people" as "Young people": helper 227). Two group labels with the same key read alike: `lint`
    /// refuses them in a prompt set, and results files are checked against it.
    /// Letter-like compatibility forms are read as their letters (NFKC of ``foldedBlocks``: fullwidth `Ｍale`, mathematical
    /// `𝐌ale`, the ligature `ﬁnance`, the Roman numeral `Ⅰ`) and Cyrillic and Greek letters that print as a Latin one as
    /// that letter (``latinLookalikes``: `Маle` with a Cyrillic М and а; a hostile review: such a pair passed `lint`).
    /// Not the whole compatibility folding: it also made "Group ①" and "Group 1", or "x²" and "x2", one label, which no
    /// reader confuses (a code review).
    public static func readAlikeKey(_ label: String) -> String {
        let visible = String(String.UnicodeScalarView(label.unicodeScalars.filter {
            $0.value != 0x200C && $0.value != 0x200D && !$0.properties.isDefaultIgnorableCodePoint
        }))
        let latin = visible.unicodeScalars.map { scalar -> String in
            if foldedBlocks.contains(where: { $0.contains(scalar.value) }) {
                return String(scalar).precomposedStringWithCompatibilityMapping
            }
            return String(latinLookalikes[scalar.value] ?? scalar)
        }.joined()
        return readingSpaceLookalikesAsSpaces(latin).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The blocks whose compatibility forms print as ordinary letters or digits: Letterlike Symbols (ℳ, ℌ), Number Forms'
    /// Roman numerals, Alphabetic Presentation Forms' Latin ligatures, fullwidth ASCII, Mathematical Alphanumeric Symbols.
    public static let foldedBlocks: [ClosedRange<UInt32>] = [
        0x2100...0x214F, 0x2160...0x2188, 0xFB00...0xFB06, 0xFF01...0xFF5E, 0x1D400...0x1D7FF,
    ]

    /// Cyrillic and Greek letters that print as one Latin letter in common fonts, each with that letter: the entries of
    /// Unicode's confusables data (UTS #39, `confusables.txt`) from these scripts whose prototype is a single ASCII
    /// letter and that are drawn alike, not merely similar (Cyrillic У and Greek ι are left out). Used by
    /// ``readAlikeKey(_:)`` and shown escaped by ``showingLookalikes(_:)``.
    public static let latinLookalikes: [UInt32: Unicode.Scalar] = {
        let pairs: [(UInt32, Character)] = [
            // Cyrillic capitals and small letters.
            (0x0410, "A"), (0x0412, "B"), (0x0415, "E"), (0x041A, "K"), (0x041C, "M"), (0x041D, "H"), (0x041E, "O"),
            (0x0420, "P"), (0x0421, "C"), (0x0422, "T"), (0x0425, "X"), (0x0405, "S"), (0x0406, "I"), (0x0408, "J"),
            (0x04AE, "Y"), (0x051A, "Q"), (0x051C, "W"),
            (0x0430, "a"), (0x0435, "e"), (0x043E, "o"), (0x0440, "p"), (0x0441, "c"), (0x0443, "y"), (0x0445, "x"),
            (0x0455, "s"), (0x0456, "i"), (0x0458, "j"), (0x04BB, "h"), (0x04CF, "l"), (0x0501, "d"), (0x051B, "q"),
            (0x051D, "w"),
            // Greek capitals and small letters.
            (0x0391, "A"), (0x0392, "B"), (0x0395, "E"), (0x0396, "Z"), (0x0397, "H"), (0x0399, "I"), (0x039A, "K"),
            (0x039C, "M"), (0x039D, "N"), (0x039F, "O"), (0x03A1, "P"), (0x03A4, "T"), (0x03A5, "Y"), (0x03A7, "X"),
            (0x03BF, "o"), (0x03BD, "v"),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, $0.1.unicodeScalars.first!) })
    }()

    /// `text` with every space lookalike (``showingSpaceLookalikes(_:)``), fullwidth form and letter of ``latinLookalikes``
    /// shown as its Swift escape (`\u{41c}ale`), for two labels quoted because they read alike.
    public static func showingLookalikes(_ text: String) -> String {
        func looksLatin(_ scalar: Unicode.Scalar) -> Bool {
            isSpaceLookalike(scalar) || latinLookalikes[scalar.value] != nil
                || foldedBlocks.contains { $0.contains(scalar.value) }
        }
        guard text.unicodeScalars.contains(where: looksLatin) else { return text }
        return text.unicodeScalars.map { looksLatin($0) ? escape($0) : String($0) }.joined()
    }

    /// Whether `scalar` is invisible in a group label, group id, set name or axis: a control (Cc) or a format
    /// character (Cf: U+200B, U+200F, U+FEFF, U+00AD, the bidirectional controls), except the joiners U+200C and
    /// U+200D and the tag characters U+E0020–U+E007F, which emoji sequences (a family, a subdivision flag) and some
    /// scripts need.
    public static func isHiddenInLabel(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control: true
        case .format: !(scalar.value == 0x200C || scalar.value == 0x200D || (0xE0020...0xE007F).contains(scalar.value))
        default: false
        }
    }

    /// The first format character (Cf) of `text` that every output prints as nothing (U+200B, U+200E, U+200F, U+FEFF,
    /// U+00AD, …), or nil. Control characters and the bidirectional overrides and isolates are not counted: every
    /// output shows those as `\u{…}` escapes. `allowingJoiners` lets the joiners U+200C and U+200D and the tag
    /// characters of emoji sequences through (labels; a model label may hold none).
    public static func firstInvisible(_ text: String, allowingJoiners: Bool) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            let value = scalar.value
            guard scalar.properties.generalCategory == .format, !(0x202A...0x202E).contains(value),
                !(0x2066...0x2069).contains(value)
            else { return false }
            return !allowingJoiners || isHiddenInLabel(scalar)
        }
    }

    /// The first white space of `text` other than a plain space (U+0020) that prints as one: a no-break space U+00A0, an
    /// em space U+2003, an ideographic space U+3000, …; nil when there is none. Two model labels "gpt2 ft" and
    /// "gpt2\u{A0}ft" read alike in every report (a hostile review). Tabs and line breaks are controls, refused as such.
    public static func firstSpaceLookalike(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isSpaceLookalike)
    }

    /// Whether `scalar` prints as a plain space but is not U+0020 (``firstSpaceLookalike(_:)``): a space separator (Zs)
    /// other than U+0020 and the Ogham space mark U+1680 (drawn as a dash), or one of the letters that print as a blank
    /// (``blankLetters``: the Hangul fillers, the braille blank).
    public static func isSpaceLookalike(_ scalar: Unicode.Scalar) -> Bool {
        if blankLetters.contains(scalar.value) { return true }
        return scalar != " " && scalar.value != 0x1680 && scalar.properties.generalCategory == .spaceSeparator
    }

    /// Characters that are not white space in Unicode but print as a blank: the Hangul fillers U+115F, U+1160, U+3164,
    /// U+FFA0 and the braille pattern blank U+2800 (a review: `nb\u{3164}gpt2` passed beside `nb gpt2`).
    public static let blankLetters: Set<UInt32> = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800]

    /// `text` with every space lookalike (``isSpaceLookalike(_:)``) read as a plain space: two model ids equal so read
    /// print alike.
    public static func readingSpaceLookalikesAsSpaces(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { isSpaceLookalike($0) ? " " : $0 }))
    }

    /// `text` with every space lookalike shown as its Swift escape (`gpt2\u{a0}ft`), for a name quoted in a message.
    public static func showingSpaceLookalikes(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isSpaceLookalike) else { return text }
        return text.unicodeScalars.map { isSpaceLookalike($0) ? escape($0) : String($0) }.joined()
    }

    /// `\u{a0}`: a scalar as every message shows one it cannot print as itself (Swift's escape, lowercase hex).
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{\(String(scalar.value, radix: 16))}"
    }

    /// "the white space U+00A0", or "the blank character U+3164" for one of ``blankLetters``.
    public static func spaceLookalikeName(_ scalar: Unicode.Scalar) -> String {
        (blankLetters.contains(scalar.value) ? "the blank character " : "the white space ") + code(scalar)
    }

    /// `U+200B`: a scalar as messages name it (at least four hex digits).
    public static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The first character of a model label that prints nothing a reader can see or copy: a control, format (any,
    /// joiners included), line or paragraph separator, surrogate, private-use or unassigned scalar, or another
    /// default-ignorable one (``isIgnoredInLabel(_:)``: U+034F, a variation selector, …); nil when there is none.
    public static func firstUnprintable(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: true
            default: isIgnoredInLabel(scalar)
            }
        }
    }

    /// Whether `scalar` is a default-ignorable code point that is no format character: the combining grapheme joiner
    /// U+034F, the variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF), the Mongolian free variation selectors, …
    /// (a review: `m\u{34f}1` was a label beside `m1`, and the report read "m1 against m1"). A variation selector is
    /// refused after an emoji too: "😀" and "😀\u{fe0f}" print alike (a second review); "❤" without it is a label.
    /// The blank letters (``blankLetters``) are space lookalikes, judged as such.
    public static func isIgnoredInLabel(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isDefaultIgnorableCodePoint && !blankLetters.contains(scalar.value)
    }
}
