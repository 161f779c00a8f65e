import Foundation
import Yams

/// true and false in the files people write (prompt sets, policies), as YAML 1.2's core schema spells them.
///
/// Yams reads booleans by YAML 1.1, where `yes`, `no`, `on` and `off` (in any letter case) are booleans too; YAML 1.2,
/// JSON and most tools other than PyYAML read them as strings. A policy's `only_when_significant: yes` was true here and
/// would be the string "yes" to another reader: such words are refused where true or false is expected, with what to
/// write, rather than read by one version or the other.
public enum YAMLBooleans {
    private static let spellings: [String: Bool] = [
        "true": true, "True": true, "TRUE": true, "false": false, "False": false, "FALSE": false,
    ]

    /// YAML 1.1's other words for true and false (compared in lower case).
    private static let olderWords: [String: Bool] = ["yes": true, "y": true, "on": true, "no": false, "n": false, "off": false]

    /// The node's value when it is `true`, `True`, `TRUE`, `false`, `False` or `FALSE`, plain or tagged `!!bool`; nil
    /// for `yes`, `on`, `tRuE`, a quoted `"true"`, a `!!str true` and anything else.
    public static func value(_ node: Node) -> Bool? {
        guard case .scalar(let scalar) = node else { return nil }
        let tag = YAMLTags.written(on: node)
        guard tag == "!!bool" || (tag == nil && scalar.style == .plain) else { return nil }
        return spellings[scalar.string]
    }

    /// Whether the node, written plain, reads as true or false by YAML 1.2 or 1.1 (`true`, `no`, `Off`): a value a
    /// person most likely meant as a yes-or-no answer, where a text is expected.
    public static func readsAsBoolean(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain, YAMLTags.written(on: node) == nil else { return false }
        return spellings[scalar.string] != nil || olderWords[scalar.string.lowercased()] != nil
    }

    /// What to write instead, to append to "'key' must be true or false, found 'yes'": for YAML 1.1's words, which
    /// value they mean there; for a quoted value, to drop the quotes; for a tag, to drop the tag.
    public static func hint(_ node: Node) -> String {
        if let problem = YAMLTags.problem(node, expected: .boolean) { return problem }
        guard case .scalar(let scalar) = node else { return "; write true or false" }
        if scalar.style != .plain, let meant = spellings[scalar.string] {
            return ", a string (quoted); write \(meant) without quotes"
        }
        if let meant = olderWords[scalar.string.lowercased()] {
            return ", YAML 1.1's word for \(meant) and a string in YAML 1.2, which biasaudit reads; write true or false "
                + "(\(meant) here)"
        }
        return "; write true or false"
    }
}
