import Foundation

/// Tabs in the indentation of the YAML files people write (prompt sets, policies). YAML indents with spaces only, and
/// libyaml says of a tab there only "found character that cannot start any token" or "found a tab character that
/// violates indentation" (a review: nothing named the tab). Both parsers word such a syntax error with this.
public enum YAMLTabs {
    /// "line L begins with a tab; YAML indents with spaces" when libyaml's `problem` at line `line` (1-based) of `text`
    /// is one a tab causes and that line has a tab in its indentation (the spaces and tabs before its first other
    /// character); nil otherwise (a flow collection's lines may begin with tabs, and fail for other reasons).
    public static func indentationProblem(in text: String, line: Int, problem: String) -> String? {
        guard line >= 1, problem.contains("cannot start any token") || problem.contains("tab character") else { return nil }
        var number = 1
        var atIndentation = true
        var sawSpace = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                if number == line { return nil }
                number += 1
                (atIndentation, sawSpace) = (true, false)
                continue
            }
            guard number == line, atIndentation else { continue }
            switch byte {
            case UInt8(ascii: " "):
                sawSpace = true
            case UInt8(ascii: "\t"):
                return sawSpace
                    ? "line \(line) is indented with a tab after spaces; YAML indents with spaces only"
                    : "line \(line) begins with a tab; YAML indents with spaces"
            default:
                atIndentation = false
            }
        }
        return nil
    }
}
