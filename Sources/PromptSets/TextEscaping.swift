import Foundation
import InputFiles

/// Makes text from outside biasaudit (model ids and output, prompt-set names, group labels, anything read
/// from a results file) safe to show: the one escaper every output format builds on.
///
/// Control characters, non-characters, bidirectional overrides, isolates and marks, interlinear annotation
/// characters and tag characters (outside an emoji flag) are shown as `\u{…}` escapes, so that a string can
/// neither drive a terminal (ESC sequences), reorder the text around it, hide a text in it, nor make an XML
/// document ill-formed. Reporting's `ReportEscaping` adds the per-format escaping on top.
public enum TextEscaping {
    /// `text` with line endings normalised to `\n` and every other control character (except tab),
    /// non-character and bidirectional override shown as a `\u{…}` escape; newlines and tabs are kept,
    /// for multi-line text such as completions.
    public static func visible(_ text: String) -> String {
        // Most text needs nothing: return it as it is (reports escape every string they print).
        if !text.unicodeScalars.contains(where: { $0 == "\r" || ($0 != "\n" && $0 != "\t" && needsEscape($0)) }) {
            return text
        }
        let text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        let flags = FlagTags.kept(in: text.unicodeScalars)
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if scalar == "\n" || scalar == "\t" || flags.contains(index) {
                result.unicodeScalars.append(scalar)
            } else if needsEscape(scalar) {
                result += escape(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `text` as ``visible(_:)``, kept on one line: line breaks are shown as `\n`, `\r` (a carriage return,
    /// kept apart from a line feed: a key or value that differs by one must not print alike) or `\u{…}`
    /// (U+2028, U+2029), so that a value can never start a new line of its own (a GitHub workflow command
    /// such as `::error`, or a fake diagnostic).
    public static func line(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        let flags = FlagTags.kept(in: text.unicodeScalars)
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if flags.contains(index) {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result.unicodeScalars.append(scalar)
            case "\u{2028}", "\u{2029}": result += escape(scalar)
            default:
                if needsEscape(scalar) { result += escape(scalar) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// `text` as ``line(_:)`` between double quotes, with a double quote and a backslash inside it escaped
    /// (`"\""`, `"\\"`): for tokens and prompts in the terminal tables, where the token `"` must not print as `"""`
    /// and the text `\n` (two characters) must not read as a line break.
    public static func quoted(_ text: String) -> String {
        "\"" + line(text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")) + "\""
    }

    /// `text` as ``line(_:)`` with its invisible characters (``NameCharacters/isHiddenInLabel(_:)``: U+200B,
    /// U+200F, U+FEFF, U+00AD, …) also shown as `\u{…}`, while the joiners and tag characters of emoji sequences
    /// stay: for a name printed on a terminal (a group label), where two labels that differ only by an invisible
    /// character must not look alike.
    public static func name(_ text: String) -> String {
        showingFormatCharacters(line(text), where: NameCharacters.isHiddenInLabel)
    }

    /// `text` as ``line(_:)`` with every format character (Cf, the joiners included) and every space other than U+0020
    /// shown as `\u{…}`, and a tab as `\t`: for a value quoted in a message (`lint`'s findings, ``excerpt(_:limit:)``),
    /// where `group\u{200d}_a` must not read as `group_a` (attack), nor `said\u{a0}that` as `said that` (a code review:
    /// `lint` showed the no-break space of a template raw where `run`'s error showed it escaped), nor a term
    /// `step<tab>father` as one with spaces (a tab printed raw is as wide as the terminal makes it).
    /// - Parameter startsLine: whether `text` is a whole line of output (`lint`'s `FILE:LINE:COL: error: …`, whose file
    ///   name may start with `::`: a review), so that a leading `::` is defused too; false for a value quoted inside one.
    public static func message(_ text: String, startsLine: Bool = false) -> String {
        defusingWorkflowCommands(
            showingFormatCharacters(line(showingSpaceLookalikes(text)).replacingOccurrences(of: "\t", with: "\\t")) {
                $0.properties.generalCategory == .format
            }, lineStarts: startsLine)
    }

    /// `text` with every white space that prints as a plain space but is not one (U+00A0, U+3000, …:
    /// ``NameCharacters/isSpaceLookalike(_:)``) shown as `\u{…}`: for a model label quoted in a message, where
    /// `gpt2\u{a0}ft` must not read as `gpt2 ft`.
    public static func showingSpaceLookalikes(_ text: String) -> String {
        NameCharacters.showingSpaceLookalikes(text)
    }

    /// A model label or id quoted in a message: ``name(_:)`` with its space lookalikes shown too
    /// (``showingSpaceLookalikes(_:)``), so that `chi\u{200b}co` and `gpt2\u{a0}ft` do not read as `chico` and
    /// `gpt2 ft` (a review: "model 'chico' is not in … (models: chico, grande)"); private-use and unassigned
    /// characters too.
    public static func modelName(_ text: String) -> String {
        // Every format and default-ignorable character, joiners and variation selectors included: a label holds none,
        // and a name typed with one must not read as a label it is not (a second review: `m\u{200c}1` printed raw
        // beside the list "m1, m2"), and the private-use and unassigned ones a label is refused for (a review: 'm􏿽'
        // quoted raw beside "unprintable character (U+10FFFD)").
        showingFormatCharacters(line(showingSpaceLookalikes(text))) {
            [.format, .privateUse, .unassigned].contains($0.properties.generalCategory)
                || ($0.properties.isDefaultIgnorableCodePoint && !NameCharacters.blankLetters.contains($0.value))
        }
    }

    /// A file or folder path, or a whole message, on a terminal (`wrote …`, a stop line, an error): ``name(_:)``
    /// (controls, line breaks, bidirectional controls and the invisible format characters: U+200B, U+2060, U+00AD, …)
    /// with the spaces other than U+0020 (``showingSpaceLookalikes(_:)``) and the private-use and unassigned characters
    /// also shown as `\u{…}`, so that a folder `o\u{200b}x` or `my\u{a0}runs` does not print as `ox` or `my runs` (a
    /// hostile review). The joiners, the variation selectors and the tag characters of emoji sequences, and the
    /// zero-width non-joiner of Persian or Indic words, stay as they are: `Informes ✍️` and `گزارش‌ها` print as
    /// typed (a code review of a version that escaped them as a model name is).
    public static func path(_ text: String) -> String {
        showingFormatCharacters(line(showingSpaceLookalikes(text))) {
            NameCharacters.isHiddenInLabel($0) || [.privateUse, .unassigned].contains($0.properties.generalCategory)
        }
    }

    private static func showingFormatCharacters(_ text: String, where shown: (Unicode.Scalar) -> Bool) -> String {
        guard text.unicodeScalars.contains(where: shown) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if shown(scalar) { result += escape(scalar) } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// `text` with what a CI runner would read as a workflow command shown with its first character escaped: a line
    /// whose first character other than white space begins `::` (GitHub Actions' `::error …::`, `::add-mask::`,
    /// `::stop-commands::`) gets `\u{3a}` for it, and every `##[` (GitHub's older form, which its runner finds anywhere
    /// in a line) and `##vso[` (Azure Pipelines, likewise; in any letter case) gets `\u{23}` for its first `#`. For text from outside
    /// biasaudit on standard output or standard error (a completion in `generate`, decoded text, a group label or set
    /// name in a summary, a value quoted in a message): the runner would add annotations, masks or variables from model
    /// output (hostile reviews). biasaudit's own annotations (`check`, `lint` under GitHub Actions) are written without it.
    /// - Parameter lineStarts: whether `text` starts lines of output (`::` is a command only there); false for a value
    ///   quoted inside a line (a message's `'::x'`, which only `##[` and `##vso[` can turn into a command).
    public static func defusingWorkflowCommands(_ text: String, lineStarts: Bool = true) -> String {
        guard text.contains("::") || text.contains("##") else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices {
            var line = lines[index]
            // `##VSO[` too, in any letter case: whether the agent reads it so was not established, and costs nothing here.
            // One pass over the bytes (a review: a search per `##` took 73 s on a line of 1 MB of `#`), and bytes, not
            // characters: `##[` before a combining mark is still `##[` to a runner.
            if line.contains("##") { line = defusingHashCommands(line) }
            if lineStarts, let start = line.firstIndex(where: { !$0.isWhitespace }), line[start...].hasPrefix("::") {
                line = String(line[..<start]) + escape(":") + String(line[line.index(after: start)...])
            }
            lines[index] = line
        }
        return lines.joined(separator: "\n")
    }

    /// `line` with the first `#` of every `##[` and `##vso[` (in any letter case) shown as `\u{23}`, in one pass over its
    /// UTF-8 bytes (only ASCII is compared and inserted, so the result is valid UTF-8 again).
    private static func defusingHashCommands(_ line: String) -> String {
        let bytes = Array(line.utf8)
        let hash = UInt8(ascii: "#"), open = UInt8(ascii: "[")
        let escaped = Array(escape("#").utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        var index = 0
        while index < bytes.count {
            if bytes[index] == hash, index + 2 < bytes.count, bytes[index + 1] == hash {
                let after = index + 2
                let vso = after + 3 < bytes.count
                    && bytes[after] | 0x20 == UInt8(ascii: "v") && bytes[after + 1] | 0x20 == UInt8(ascii: "s")
                    && bytes[after + 2] | 0x20 == UInt8(ascii: "o") && bytes[after + 3] == open
                if bytes[after] == open || vso {
                    result += escaped
                    result.append(hash)
                    index += 2
                    continue
                }
            }
            result.append(bytes[index])
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The first character of `text` that prints nothing a reader can see or copy (``NameCharacters/firstUnprintable(_:)``);
    /// nil when there is none. Names shown in reports (model labels) must not hold one.
    public static func firstUnprintable(_ text: String) -> Unicode.Scalar? {
        NameCharacters.firstUnprintable(text)
    }

    /// The longest message printed; longer ones keep their start (what and where) and end (what to do).
    public static let maximumMessageLength = 2000

    /// A message cut in the middle when longer than ``maximumMessageLength``: the last defence against a
    /// message that quotes a whole file (`run`'s errors, `lint`'s diagnostics).
    public static func bounded(_ message: String) -> String {
        guard message.utf8.count > maximumMessageLength, message.count > maximumMessageLength else { return message }
        return message.prefix(maximumMessageLength - 400) + " … (message shortened) … " + message.suffix(300)
    }

    /// A short excerpt of text from a file, for an error message: ``line(_:)`` of at most `limit` characters,
    /// with `…` when cut. A message never carries more of a file than the place it points at (a file
    /// named by mistake, such as `/proc/self/environ`, must not be printed whole).
    public static func excerpt(_ text: String, limit: Int = 60) -> String {
        let shown = message(String(text.prefix(limit)))
        return text.count > limit ? shown + "…" : shown
    }

    /// Whether a scalar (other than newline and tab) must be shown as an escape: a control character
    /// (general category Cc, which is exactly U+0000–U+001F and U+007F–U+009F), a bidirectional
    /// override, isolate or mark (U+200E, U+200F, U+061C: invisible, they move the neutral characters around them),
    /// an interlinear annotation character (U+FFF9–U+FFFB, which can hide the text between them), a tag character
    /// (U+E0000–U+E007F: invisible letters that can smuggle a hidden text, a hostile review; kept where they spell an
    /// emoji flag of England, Scotland or Wales, see ``FlagTags``), or U+FFFE/U+FFFF.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        let isControl = value < 0x20 || (0x7F...0x9F).contains(value)
        let isBidiControl = (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            || value == 0x200E || value == 0x200F || value == 0x061C
        let isHiding = (0xFFF9...0xFFFB).contains(value) || (0xE0000...0xE007F).contains(value)
        let isNonCharacter = value == 0xFFFE || value == 0xFFFF
        return isControl || isBidiControl || isHiding || isNonCharacter
    }

    /// The tag characters of the emoji flags spelt with them, which ``needsEscape(_:)`` otherwise shows as escapes:
    /// U+1F3F4 followed by the tag letters of `gbeng`, `gbsct` or `gbwls` and U+E007F (England, Scotland and Wales, the
    /// only such flags Unicode recommends). Any other tag text is shown, after U+1F3F4 too (a review: a whole hidden
    /// sentence of tag letters passed after one flag character).
    private enum FlagTags {
        /// Each flag's tag characters (tag letters, then the cancel tag).
        private static let flags: [[UInt32]] = ["gbeng", "gbsct", "gbwls"].map {
            $0.unicodeScalars.map { 0xE0000 + $0.value } + [0xE007F]
        }

        /// The positions in `scalars` of the tag characters that spell one of those flags.
        static func kept(in scalars: String.UnicodeScalarView) -> Set<Int> {
            guard scalars.contains("\u{1F3F4}") else { return [] }
            let values = scalars.map(\.value)
            var kept = Set<Int>()
            for index in values.indices where values[index] == 0x1F3F4 {
                let tail = values[(index + 1)...].prefix(6)
                if flags.contains(where: { $0.elementsEqual(tail) }) { kept.formUnion((index + 1)...(index + 6)) }
            }
            return kept
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        NameCharacters.escape(scalar)
    }
}
