import Foundation
import InputFiles
import Yams

/// Words for the faults of the YAML files people write (prompt sets, policies) where libyaml and Yams give only a
/// fragment or a place that is not the fault's (a hostile review: "invalid YAML: but found another document", "found
/// undefined alias" without the alias, a Latin-1 'é' on line 14 faulted at 1:1). Both parsers use these.
public enum YAMLProblems {
    /// A fault with its 1-based line and column (columns count Unicode scalars, as the parsers' positions do).
    public struct Located: Equatable, Sendable {
        /// 1-based line.
        public var line: Int
        /// 1-based column, in Unicode scalars.
        public var column: Int
        /// What is wrong and what to do.
        public var message: String
    }

    /// A key given twice in one mapping, placed at the repeat (where the edit goes) and naming the first: Yams marks the
    /// first key only (a teacher's review: a duplicated group id named line 9, not line 12). The repeat is found by the
    /// YAML parser itself (``repeatPlace(of:in:line:column:)``); several keys, or a repeat it cannot place, keep the
    /// first's place ("first here").
    /// - Parameters: duplicates: the repeated keys as Yams gives them; line, column: the first key's 1-based mark.
    public static func duplicateKeys(_ duplicates: [String], in text: String, line: Int, column: Int) -> Located {
        let keys = duplicates.map { "'\(TextEscaping.excerpt($0))'" }.joined(separator: ", ")
        if duplicates.count == 1, let again = repeatPlace(of: duplicates[0], in: text, line: line, column: column) {
            let first = again.line == line ? "line \(line), column \(column)" : "line \(line)"
            return Located(line: again.line, column: again.column,
                           message: "key \(keys) appears again in this mapping (first at \(first)); keep one")
        }
        // Several keys: each is repeated, and the mark is one key's first (a CI team's review: "key 'max', 'metric' appears
        // more than once … (first here)" at the first 'max', the first 'metric' being a line above).
        guard duplicates.count > 1 else {
            return Located(line: line, column: column, message: "key \(keys) appears more than once in this mapping (first here); keep one")
        }
        return Located(line: line, column: column, message: "keys \(keys) each appear more than once in this mapping (one of "
            + "them first here); keep one of each")
    }

    /// Where `key`, first at `line`:`column` (1-based, in Unicode scalars, as Yams marks it), appears again: the first is
    /// renamed by a prefix no text holds and the document parsed again, so the parser, not a scan of the text, says which
    /// key of which mapping repeats it (a scan of the lines took a line inside a quoted scalar, a block scalar or a flow
    /// collection for the repeat: two reviews). Nil when the first key is not at that place, or the renamed document
    /// does not parse to a mapping holding the repeat.
    static func repeatPlace(of key: String, in text: String, line: Int, column: Int) -> (line: Int, column: Int)? {
        let marker = "biasaudit-first-key-"
        guard !key.isEmpty, !text.contains(marker), let offset = scalarOffset(line: line, column: column, in: text) else {
            return nil
        }
        var scalars = Array(text.unicodeScalars)
        // The first key starts there, plain or quoted.
        let keyScalars = Array(key.unicodeScalars)
        let start = offset < scalars.count && (scalars[offset] == "\"" || scalars[offset] == "'") ? offset + 1 : offset
        guard scalars.count - start >= keyScalars.count, scalars[start..<(start + keyScalars.count)].elementsEqual(keyScalars)
        else { return nil }
        scalars.insert(contentsOf: marker.unicodeScalars, at: offset)
        let renamed = String(String.UnicodeScalarView(scalars))
        // A repeat after the first on the first's line is marked after the inserted prefix.
        let shifted = { (place: (line: Int, column: Int)) -> (line: Int, column: Int) in
            place.line == line && place.column > column ? (place.line, place.column - marker.unicodeScalars.count) : place
        }
        do {
            guard let root = try Yams.compose(yaml: renamed) else { return nil }
            var pending = [root]
            while let node = pending.popLast() {
                switch node {
                case .mapping(let mapping):
                    if mapping.keys.contains(where: { $0.string?.hasPrefix(marker) == true }) {
                        guard let again = mapping.keys.first(where: { $0.string == key })?.mark else { return nil }
                        return shifted((again.line, again.column))
                    }
                    pending += Array(mapping.keys)
                    pending += Array(mapping.values)
                case .sequence(let sequence):
                    pending += sequence
                case .scalar, .alias:
                    continue
                }
            }
            return nil
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) where duplicates == [key] {
            // A third one: with the first renamed, the parser marks the second.
            return shifted((context.mark.line, context.mark.column))
        } catch {
            return nil
        }
    }

    /// The offset in `text`'s Unicode scalars of 1-based `line` and `column`, line breaks counted as YAML counts them
    /// (`\r\n` once; `\r`, `\n`, NEL, LS, PS); nil past the text.
    private static func scalarOffset(line: Int, column: Int, in text: String) -> Int? {
        guard line >= 1, column >= 1 else { return nil }
        var currentLine = 1
        var lineStart = 0
        var previous: Unicode.Scalar?
        for (index, scalar) in text.unicodeScalars.enumerated() {
            defer { previous = scalar }
            if scalar == "\n", previous == "\r" {
                lineStart = index + 1
                continue
            }
            if currentLine == line { break }
            if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) {
                currentLine += 1
                lineStart = index + 1
            }
        }
        guard currentLine == line else { return nil }
        let offset = lineStart + column - 1
        return offset <= text.unicodeScalars.count ? offset : nil
    }

    /// Where `data` stops being UTF-8 text, as the JSON inputs say it ("not UTF-8 text at line L, column C (byte 0xE9)",
    /// ``TextBytes``); nil for UTF-8 text.
    /// - Parameter what: the file in the message ("the file", "the policy").
    public static func encodingProblem(in data: Data, what: String) -> Located? {
        guard let fault = TextBytes.firstFault(in: data, nul: false) else { return nil }
        return Located(
            line: fault.line, column: fault.scalarColumn,
            message: "\(what) is not UTF-8 text at line \(fault.line), column \(fault.scalarColumn) (byte \(fault.hexByte)): "
                + "save it as UTF-8 (a Latin-1 or UTF-16 file must be converted)")
    }

    /// What a text file of another kind given where a YAML file is expected is: a JSON Lines file (``jsonLinesFile(_:topLevelKeys:)``)
    /// or an HTML page ("this is an HTML page (a report.html, or another)"; a hostile review: `check --policy report.html`
    /// said "invalid YAML: mapping values are not allowed in this context"); nil for anything else.
    public static func foreignText(_ text: String, topLevelKeys: Set<String>) -> String? {
        // Starting with a tag (a comment, an XML prolog, <head> too), with a doctype or <html> tag near the start (a review:
        // a browser-saved page began with a comment; `<html_notes: x` is a YAML key, not a tag).
        // After a YAML document start too ("---" on a line of its own; a review: such a page was not named).
        var rest = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if rest.hasPrefix("---"), rest.dropFirst(3).first.map({ $0.isNewline || $0 == " " || $0 == "\t" }) ?? false {
            rest = rest.dropFirst(3).drop { $0.isWhitespace }
        }
        let start = rest.prefix(1024).lowercased()
        if start.hasPrefix("<"), start.contains("<!doctype html")
            || start.range(of: #"<(html|head|body)[\s>]"#, options: .regularExpression) != nil
        {
            return "this is an HTML page (a biasaudit report.html, or another)"
        }
        return jsonLinesFile(text, topLevelKeys: topLevelKeys)
    }

    /// What a JSON Lines file given where a YAML file is expected is ("this is a JSON Lines file of completions (…)"),
    /// or nil when `text` is not JSON Lines: the YAML parser faulted its second line ("did not find expected <document
    /// start>", a hostile review of `check --policy completions.jsonl`, then of `lint completions.jsonl`).
    ///
    /// JSON Lines here: the first two lines that hold anything are each one JSON object, or the first is a completion
    /// (`text` with `sample_index` or `prompt_id`) and has none of `topLevelKeys` (the YAML file's own keys: a file
    /// written as one line of JSON, JSON being YAML, is not refused).
    public static func jsonLinesFile(_ text: String, topLevelKeys: Set<String>) -> String? {
        let lines = text.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.prefix(2)
        let objects = lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        guard let firstObject = objects.first, let first = firstObject else { return nil }
        let keys = Set(first.keys)
        let isCompletion = keys.contains("text") && !keys.isDisjoint(with: ["sample_index", "prompt_id"])
        guard (objects.count == 2 && objects[1] != nil) || (isCompletion && keys.isDisjoint(with: topLevelKeys)) else {
            return nil
        }
        return isCompletion
            ? "this is a JSON Lines file of completions (one JSON object per line, as a run's completions.jsonl)"
            : "this is a JSON Lines file (one JSON object per line)"
    }

    /// Where libyaml's reader stopped (a control character: NUL, ESC, DEL, …), with the character and what to do; nil
    /// when the offset is unknown. Yams reports the reader's fault as a `Character` offset into `text` and prints it
    /// with libyaml's own lines; the parsers placed it at 1:1 (a hostile review: "1:1: error: invalid YAML: 16:15:
    /// error: reader: control characters are not allowed:" and the raw line).
    /// - Parameters:
    ///   - offset: Yams' `YamlError.reader` offset, in `Character`s from the start of `text`.
    ///   - value: the character's code (libyaml's `problem_value`), -1 when none.
    public static func readerProblem(in text: String, offset: Int?, value: Int32, problem: String) -> Located? {
        guard let offset, offset >= 0, offset <= text.count else { return nil }
        // Lines as libyaml breaks them (its other faults' marks count so): CR, LF, CR LF, NEL, LS and PS.
        var (line, column, afterCR) = (1, 1, false)
        for scalar in text.prefix(offset).unicodeScalars {
            switch scalar {
            case "\n" where afterCR: break
            case "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}": (line, column) = (line + 1, 1)
            default: column += 1
            }
            afterCR = scalar == "\r"
        }
        let character = value >= 0 ? " (U+" + String(format: "%04X", value) + ")" : ""
        return Located(
            line: line, column: column,
            message: "invalid YAML: \(TextEscaping.excerpt(problem, limit: 80))\(character) at line \(line), column \(column); "
                + "remove the character")
    }

    /// Plain words for libyaml's `problem` at `line` and `column` (1-based) of `text`, or nil to keep its own: a tab in
    /// the indentation (``YAMLTabs``), a second document, an alias of no anchor.
    /// - Parameters:
    ///   - what: the file in the message ("the file", "the policy").
    ///   - one: what one file holds ("one prompt set", "one policy").
    public static func syntaxProblem(
        in text: String, line: Int, column: Int, problem: String, what: String, one: String, templates: Bool = false
    ) -> String? {
        if let tab = YAMLTabs.indentationProblem(in: text, line: line, problem: problem) { return tab }
        let written = lineText(text, line)
        if problem.contains("found another document") {
            let start = written.map { $0.hasPrefix("---") || $0.hasPrefix("...") } == true
                ? "'\(written?.hasPrefix("---") == true ? "---" : "...")' at line \(line)" : "the second starts at line \(line)"
            return "\(what) holds more than one YAML document (\(start)); keep one (a file holds \(one))"
        }
        if problem.contains("mapping values are not allowed") || problem.contains("could not find expected ':'"),
            let written
        {
            // libyaml reads at most 1,024 characters of a key before its ':' (a hostile review: the key was told
            // "mapping values are not allowed in this context").
            let key = written.unicodeScalars.prefix(max(column - 1, 0)).drop { $0 == " " || $0 == "-" }
            // Only where the mark is on the key's ':' (a long line without one is not a key), and no ': ' comes before
            // it (a code review: a long value with "note: " in it is a value to quote, not a long key).
            let separated = zip(key, key.dropFirst()).contains { $0 == ":" && ($1 == " " || $1 == "\t") }
            if key.count > 1024, !separated, written.unicodeScalars.dropFirst(max(column - 1, 0)).first == ":" {
                // A text holding ": " reads as a key too (a list item, a value's continuation line): said (a second
                // review).
                return "the key at line \(line) is \(key.count) characters long, and YAML reads a key of at most 1,024 "
                    + "characters before its ':'; shorten it (or, if it is a text that holds ': ', put it in quotes)"
            }
        }
        // A template written without quotes around its slot (a teacher's review: `- {person} said that` gave "did not
        // find expected '-' indicator", `[The {person} said that]` "did not find expected ',' or ']'"). Only in a prompt
        // set, and only for a list item that starts with a closed {…} followed by more text, or a word before a '{' in
        // [ … ] (a code review: a policy's unclosed `- {kind: …` and a mis-indented `labels: {es: …}` were told to quote
        // templates).
        if templates, problem.contains("did not find expected"), let written, !written.contains("\""), !written.contains("'"),
            written.range(of: #"^\s*-\s+\{[^{}]*\}[ \t]*[^\s,}\]#]"#, options: .regularExpression) != nil
                || written.range(of: #"\[[^\]]*[A-Za-z][ \t]*\{"#, options: .regularExpression) != nil
        {
            return "line \(line) holds a template whose '{' is outside quotes: YAML reads a value that starts with '{', and "
                + "a '{' inside [ … ], as a mapping, not as text; put each template in double quotes (- \"{person} said that\")"
        }
        if problem.contains("undefined alias") {
            let name = written.flatMap { aliasName(in: $0, column: column) }
            let alias = name.map { "the alias '*\($0)'" } ?? "an alias (*…)"
            let anchor = name.map { "'&\($0)'" } ?? "(&…)"
            return "\(alias) at line \(line), column \(column) refers to no anchor \(anchor) defined before it: an alias "
                + "repeats a value anchored earlier in the file, not one it is inside or one further down; anchor a value "
                + "above the alias, or write the keys out instead"
        }
        return nil
    }

    /// Line `line` (1-based) of `text`, without its line break; nil beyond the end.
    private static func lineText(_ text: String, _ line: Int) -> Substring? {
        guard line >= 1 else { return nil }
        var number = 1
        for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if number == line { return piece.hasSuffix("\r") ? piece.dropLast() : piece }
            number += 1
        }
        return nil
    }

    /// The name of the alias `*name` at `column` (1-based, in Unicode scalars) of `line`, escaped and shortened; nil when
    /// none starts there.
    private static func aliasName(in line: Substring, column: Int) -> String? {
        let scalars = line.unicodeScalars.dropFirst(column - 1)
        guard column >= 1, scalars.first == "*" else { return nil }
        let name = scalars.dropFirst().prefix { !$0.properties.isWhitespace && !",[]{}".unicodeScalars.contains($0) }
        guard !name.isEmpty else { return nil }
        return TextEscaping.excerpt(String(String.UnicodeScalarView(name)), limit: 40)
    }
}
