import Foundation
import InputFiles

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
    /// first key only (a teacher's review: a duplicated group id named line 9, not line 12). The repeat is the next line
    /// with `key:` at the first's column before the mapping ends (a line indented less); a flow mapping (`{a: 1, a: 2}`),
    /// several keys or a key not found keep the first's place ("first here").
    /// - Parameters: duplicates: the repeated keys as Yams gives them; line, column: the first key's 1-based mark.
    public static func duplicateKeys(_ duplicates: [String], in text: String, line: Int, column: Int) -> Located {
        let keys = duplicates.map { "'\(TextEscaping.excerpt($0))'" }.joined(separator: ", ")
        if duplicates.count == 1, let again = repeatedKey(duplicates[0], in: text, line: line, column: column) {
            return Located(line: again, column: column,
                           message: "key \(keys) appears again in this mapping (first at line \(line)); keep one")
        }
        return Located(line: line, column: column, message: "key \(keys) appears more than once in this mapping (first here); keep one")
    }

    /// The 1-based line after `line` whose text at `column` is `key` followed by `:` and a space, a tab or the line's end,
    /// while the lines between are blank, comments, indented deeper than `column`, or inside a quoted scalar or a flow
    /// collection that a value opened (a review: a `name: x"` continuing a quoted description was taken for the repeat);
    /// nil otherwise (the caller keeps the first's place).
    static func repeatedKey(_ key: String, in text: String, line: Int, column: Int) -> Int? {
        guard line >= 1, column >= 1, !key.isEmpty else { return nil }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard line <= lines.count else { return nil }
        let indent = column - 1
        var scan = ValueScan()
        for index in (line - 1)..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            if index >= line, scan.atTopLevel {
                let content = scalars.firstIndex { $0 != " " } ?? scalars.count
                if content < scalars.count, scalars[content] != "#" {
                    if content < indent { return nil }
                    if content == indent, startsWithKey(key, scalars[indent...]) { return index + 1 }
                }
            }
            scan.read(scalars[(index == line - 1 ? min(indent, scalars.count) : 0)...])
        }
        return nil
    }

    /// Whether `scalars` start with `key`, then optional spaces or tabs, then `:` followed by a space, a tab or nothing.
    private static func startsWithKey(_ key: String, _ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        let keyScalars = Array(key.unicodeScalars)
        guard scalars.count > keyScalars.count, scalars.prefix(keyScalars.count).elementsEqual(keyScalars) else { return false }
        var rest = scalars.dropFirst(keyScalars.count).drop { $0 == " " || $0 == "\t" }
        guard rest.first == ":" else { return false }
        rest = rest.dropFirst()
        return rest.first.map { $0 == " " || $0 == "\t" } ?? true
    }

    /// Where a line ends up in YAML's flow syntax: inside a double- or single-quoted scalar, or flow brackets, opened where
    /// a value may start (at the line's start, after `: `, `- `, `? `, and after `[`, `{`, `,`, `:` inside brackets; a
    /// quote inside a plain scalar, as in `it's`, is text). Comments (`#` after a space, outside quotes) end the line.
    private struct ValueScan {
        var inDouble = false
        var inSingle = false
        var flowDepth = 0
        var atTopLevel: Bool { !inDouble && !inSingle && flowDepth == 0 }

        mutating func read(_ scalars: ArraySlice<Unicode.Scalar>) {
            var valueMayStart = true
            var previous: Unicode.Scalar = " "
            var index = scalars.startIndex
            while index < scalars.endIndex {
                let scalar = scalars[index]
                index += 1
                if inDouble {
                    if scalar == "\\" { index += 1 } else if scalar == "\"" { inDouble = false }
                } else if inSingle {
                    if scalar == "'" {
                        if index < scalars.endIndex, scalars[index] == "'" { index += 1 } else { inSingle = false }
                    }
                } else if scalar == "#", previous == " " || previous == "\t" {
                    return
                } else if valueMayStart, scalar == "\"" {
                    inDouble = true
                } else if valueMayStart, scalar == "'" {
                    inSingle = true
                } else if valueMayStart || flowDepth > 0, scalar == "[" || scalar == "{" {
                    flowDepth += 1
                } else if flowDepth > 0, scalar == "]" || scalar == "}" {
                    flowDepth -= 1
                }
                if scalar != " " && scalar != "\t" {
                    let spaceFollows = index >= scalars.endIndex || scalars[index] == " " || scalars[index] == "\t"
                    // `,` `[` `{` `:` start a value inside a flow collection; `: `, `- `, `? ` anywhere. A comma or a
                    // bracket inside a plain scalar (`a, "b`) is text.
                    valueMayStart = (flowDepth > 0 && (scalar == "," || scalar == "[" || scalar == "{" || scalar == ":"))
                        || ((scalar == ":" || scalar == "-" || scalar == "?") && spaceFollows)
                }
                previous = scalar
            }
        }
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
    public static func syntaxProblem(in text: String, line: Int, column: Int, problem: String, what: String, one: String)
        -> String?
    {
        if let tab = YAMLTabs.indentationProblem(in: text, line: line, problem: problem) { return tab }
        let written = lineText(text, line)
        if problem.contains("found another document") {
            let start = written.map { $0.hasPrefix("---") || $0.hasPrefix("...") } == true
                ? "'\(written?.hasPrefix("---") == true ? "---" : "...")' at line \(line)" : "the second starts at line \(line)"
            return "\(what) holds more than one YAML document (\(start)); keep one (a file holds \(one))"
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
