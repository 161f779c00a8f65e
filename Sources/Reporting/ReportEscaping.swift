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
    private static let markdownSpecial: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "$", "&"]

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
        var result = ""
        let characters = Array(visible(text))
        for (index, character) in characters.enumerated() {
            switch character {
            case "\n", "\u{2028}", "\u{2029}": result += " ↵ "
            case "\t": result += " "
            case "@": result += "@" + wordJoiner
            case "#" where index + 1 < characters.count && characters[index + 1].isNumber:
                result += "\\#" + wordJoiner
            case _ where markdownSpecial.contains(character): result += "\\\(character)"
            default: result.append(character)
            }
        }
        return escapingLeadingBlockMarker(defusingAutolinks(result))
    }

    /// Bare-URL prefixes that GitHub-flavoured Markdown turns into links, and where a word joiner splits each.
    private static let autolinkPrefixes: [(prefix: String, split: Int)] = [
        ("www.", 3), ("http://", 4), ("https://", 5), ("ftp://", 3), ("mailto:", 6), ("xmpp:", 4),
    ]

    /// `text` with a word joiner inside every bare-URL prefix (`www⁠.`, `http⁠://`), case-insensitively.
    static func defusingAutolinks(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            let lowered = rest.prefix(8).lowercased()
            if let match = autolinkPrefixes.first(where: { lowered.hasPrefix($0.prefix) }) {
                result += rest.prefix(match.split) + wordJoiner + rest.dropFirst(match.split).prefix(match.prefix.count - match.split)
                rest = rest.dropFirst(match.prefix.count)
            } else {
                result.append(rest.removeFirst())
            }
        }
        return result
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
    private static func escapingLeadingBlockMarker(_ text: String) -> String {
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
