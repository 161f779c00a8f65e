import Foundation
import PromptSets

/// How untrusted text (model output, prompt-set text, model ids) is made safe for one report format.
///
/// Every string of the view model that comes from outside biasaudit passes through ``text(_:)`` of
/// the report's escaping before the view model holds it:
/// - ``html``: control and bidirectional-override characters are made visible (`\u{1b}`); the
///   HTML template prints values with `{{…}}`, which HTML-escapes `<`, `>`, `&`, `"` and `'`.
/// - ``markdown``: the same, then Markdown syntax is neutralised (see ``markdownInline(_:)``); the
///   Markdown template prints values with `{{{…}}}` because they are already escaped.
/// Mustache never renders a value as a template, so `{{x}}` inside a completion stays literal text.
public enum ReportEscaping: Sendable {
    /// Values are HTML-escaped by the template (`{{…}}`).
    case html
    /// Values are Markdown-escaped here and printed raw by the template (`{{{…}}}`).
    case markdown

    /// Makes untrusted text safe for this format (inline: Markdown values never break a line or a table).
    public func text(_ raw: String) -> String {
        switch self {
        case .html: ReportEscaping.visible(raw)
        case .markdown: ReportEscaping.markdownInline(raw)
        }
    }

    /// `text` with line endings normalised to `\n`, and control characters (except newline and tab),
    /// non-characters and bidirectional overrides shown as `\u{…}` escapes: they cannot reorder the
    /// page's text, and the HTML stays well-formed XML (``Audit/TextEscaping/visible(_:)``, the escaper
    /// every output of biasaudit shares).
    public static func visible(_ text: String) -> String {
        TextEscaping.visible(text)
    }

    /// Characters that carry meaning in GitHub-flavoured Markdown inline text or tables.
    private static let markdownSpecial: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "$", "&"]
    /// ``markdownSpecial`` as a table over the ASCII scalars (all of them are ASCII).
    private static let markdownSpecialASCII: [Bool] = (0..<128).map { markdownSpecial.contains(Unicode.Scalar(UInt8($0))) }

    /// The word joiner (U+2060): invisible, and it breaks the character sequences GitHub turns into
    /// links, mentions and references.
    static let wordJoiner = "\u{2060}"

    /// `text` as inert GitHub-flavoured Markdown inline text, safe inside a table cell:
    /// line breaks become ` ↵ `, tabs spaces, Markdown punctuation is backslash-escaped (so no
    /// emphasis, link, image, code span, HTML tag, entity, math or table cell can start), a leading list
    /// or heading marker is escaped, and nothing becomes a link, a mention or a reference when the
    /// report is posted on GitHub: a word joiner follows every `@` (mentions, e-mail autolinks) and
    /// every `#` before a digit (issue references), and splits the bare-URL autolinks of GFM's
    /// extension (`www.`, `http://`, `https://`, `ftp://`, `mailto:`, `xmpp:`, any letter case).
    public static func markdownInline(_ text: String) -> String {
        // One pass over the UTF-8 bytes: everything escaped here is ASCII, or a line separator
        // (E2 80 A8/A9). Byte-wise, a combining mark after a special character does not hide it (Markdown
        // reads code points too).
        let source = Array(visible(text).utf8)
        var result: [UInt8] = []
        result.reserveCapacity(source.count + source.count / 8)
        var index = 0
        while index < source.count {
            let byte = source[index]
            switch byte {
            case UInt8(ascii: "\n"):
                result += lineBreakBytes
            case 0xE2 where index + 2 < source.count && source[index + 1] == 0x80
                && (source[index + 2] == 0xA8 || source[index + 2] == 0xA9):
                result += lineBreakBytes
                index += 2
            case UInt8(ascii: "\t"):
                result.append(UInt8(ascii: " "))
            case UInt8(ascii: "@"):
                result.append(byte)
                result += wordJoinerBytes
            case UInt8(ascii: "#") where startsWithNumber(source, at: index + 1):
                result += [UInt8(ascii: "\\"), byte]
                result += wordJoinerBytes
            case _ where byte < 128 && markdownSpecialASCII[Int(byte)]:
                result += [UInt8(ascii: "\\"), byte]
            default:
                result.append(byte)
            }
            index += 1
        }
        return escapingLeadingBlockMarker(String(decoding: defusingAutolinks(result), as: UTF8.self))
    }

    /// ` ↵ `, what a line break becomes.
    private static let lineBreakBytes = Array(" ↵ ".utf8)
    /// ``wordJoiner`` in UTF-8.
    private static let wordJoinerBytes = Array(wordJoiner.utf8)

    /// Whether the scalar that starts at byte `index` of valid UTF-8 `bytes` is a number (has a Unicode
    /// numeric type, as `Character.isNumber`).
    private static func startsWithNumber(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index < bytes.count else { return false }
        if bytes[index] < 0x80 { return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) }
        let scalar = String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self).unicodeScalars.first
        return scalar?.properties.numericType != nil
    }

    /// Bare-URL prefixes that GitHub-flavoured Markdown turns into links, and where a word joiner splits each.
    private static let autolinkPrefixes: [(prefix: String, split: Int)] = [
        ("www.", 3), ("http://", 4), ("https://", 5), ("ftp://", 3), ("mailto:", 6), ("xmpp:", 4),
    ]

    /// `text` with a word joiner inside every bare-URL prefix (`www⁠.`, `http⁠://`), ASCII letters compared
    /// case-insensitively.
    static func defusingAutolinks(_ text: String) -> String {
        String(decoding: defusingAutolinks(Array(text.utf8)), as: UTF8.self)
    }

    /// ``defusingAutolinks(_:)-(String)`` over UTF-8 bytes: one pass; a prefix is tried only where one of
    /// their first letters stands (the prefixes are ASCII, so they never match inside a multi-byte scalar).
    private static func defusingAutolinks(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + bytes.count / 16)
        var index = 0
        while index < bytes.count {
            let byte = asciiLowercase(bytes[index])
            if autolinkInitials[Int(byte)],
                let match = autolinkPrefixBytes.first(where: { matches($0.prefix, bytes, at: index) })
            {
                result += bytes[index..<(index + match.split)]
                result += wordJoinerBytes
                result += bytes[(index + match.split)..<(index + match.prefix.count)]
                index += match.prefix.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    /// ``autolinkPrefixes`` as UTF-8 bytes.
    private static let autolinkPrefixBytes = autolinkPrefixes.map { (prefix: Array($0.prefix.utf8), split: $0.split) }
    /// Whether a (lowercased) byte is the first byte of one of ``autolinkPrefixes``, as a table.
    private static let autolinkInitials: [Bool] = {
        let initials = Set(autolinkPrefixes.compactMap { $0.prefix.utf8.first })
        return (0..<256).map { initials.contains(UInt8($0)) }
    }()

    /// An ASCII capital letter as its small letter; any other byte as it is.
    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// Whether `bytes` at `index` start with `prefix` (lowercase ASCII), ignoring ASCII letter case.
    private static func matches(_ prefix: [UInt8], _ bytes: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= bytes.count else { return false }
        for offset in prefix.indices where asciiLowercase(bytes[index + offset]) != prefix[offset] {
            return false
        }
        return true
    }

    /// `text` as a GitHub-flavoured Markdown code span that is safe inside a table cell (for file paths):
    /// one line with control characters shown (``Audit/TextEscaping/line(_:)``), delimited by more
    /// backticks than any run inside it, and `|` escaped (tables split cells before reading code spans).
    public static func markdownCode(_ text: String) -> String {
        let body = TextEscaping.line(text).replacingOccurrences(of: "|", with: "\\|")
        var (longest, current) = (0, 0)
        for character in body {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let delimiter = String(repeating: "`", count: longest + 1)
        let padding = body.hasPrefix("`") || body.hasSuffix("`") ? " " : ""
        return delimiter + padding + body + padding + delimiter
    }

    /// Escapes a leading list marker (`- `, `+ `, `1. `, `1) `) or a run that could underline a heading
    /// or draw a rule (`---`, `===`), which would start a block when the value opens a line or a list item.
    static func escapingLeadingBlockMarker(_ text: String) -> String {
        guard let first = text.first else { return text }
        let second = text.dropFirst().first
        let endsMarker = second == nil || second == " "
        if first == "-" || first == "+" || first == "=" {
            return endsMarker || second == first ? "\\" + text : text
        }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let rest = text.dropFirst(digits.count)
        if !digits.isEmpty, digits.count <= 9, let marker = rest.first, marker == "." || marker == ")" {
            let after = rest.dropFirst().first
            if after == nil || after == " " { return digits + "\\" + rest }
        }
        return text
    }

    /// `text` escaped for XML character data and attribute values (the SVG charts are written as markup).
    public static func xml(_ text: String) -> String {
        var result = ""
        for character in visible(text) {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
