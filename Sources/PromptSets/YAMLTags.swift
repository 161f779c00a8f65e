import Foundation
import Yams

/// Explicit tags (`!!str 09`, `!!bool x`, `!foo 10`) on the scalars of the files people write (prompt sets, policies).
///
/// A plain scalar without a tag is read by where it stands: a number where a key takes a number, a text where it takes
/// a text. A tag says what the value is, and it must fit the key: `!!int` or `!!float` for a number, `!!bool` for true or
/// false, `!!str` for a text. Any other (`!!binary`, `!!timestamp`, `!!null`, a custom `!foo`) is refused where a value
/// is read, with what to write, so that `samples: !!str 09` is never nine samples and a `!!binary` term never reads as its
/// base64 letters.
public enum YAMLTags {
    /// What a key takes.
    public enum Expected: Sendable {
        /// A number (`!!int`, `!!float`).
        case number
        /// true or false (`!!bool`).
        case boolean
        /// A text (`!!str`).
        case text
    }

    private static let core = "tag:yaml.org,2002:"

    /// The tag written on the scalar, as a person writes it (`!!str`, `!foo`), or nil when there is none.
    ///
    /// Yams gives an untagged plain scalar the tag of its text's YAML 1.1 type once anything hashes it (its tag is a
    /// shared object): a tag equal to that is taken as none, which changes nothing (`!!int 10` reads as `10`).
    public static func written(on node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        let name = scalar.tag.rawValue
        // Quoted scalars carry `!!str` without a tag written (libyaml's quoted_implicit): a quoted string is said so
        // by its callers ("write it without quotes").
        guard name != Tag.Name.implicit.rawValue, !(scalar.style != .plain && name == Tag.Name.str.rawValue) else {
            return nil
        }
        if scalar.style == .plain, name != Tag.Name.nonSpecific.rawValue,
            name == Node.scalar(.init(scalar.string)).tag.rawValue
        {
            return nil
        }
        return display(name)
    }

    /// Why the tag on `node` does not fit a value of `expected`, as a clause to append to "'max' must be a number,
    /// found '09'": ", which is a string (tagged !!str); write the number without the tag". Nil when the node has no
    /// tag, or one that fits.
    public static func problem(_ node: Node, expected: Expected) -> String? {
        guard let tag = written(on: node) else { return nil }
        let fits: [String]
        let kind: String
        let what: String
        switch expected {
        case .number: (fits, kind, what) = (["!!int", "!!float"], "a number (!!int, !!float)", "the number")
        case .boolean: (fits, kind, what) = (["!!bool"], "true or false (!!bool)", "true or false")
        case .text: (fits, kind, what) = (["!!str", "!"], "text (!!str)", "the text")
        }
        guard !fits.contains(tag) else { return nil }
        let shown = TextEscaping.excerpt(tag, limit: 40)
        if tag == "!!str" || tag == "!" {
            return ", which is a string (tagged \(shown)); write \(what) without the tag"
        }
        return ", which is tagged \(shown), not as \(kind); write \(what) without the tag"
    }

    /// The tag libyaml resolved on a list (`isMapping` false) or mapping, as a person writes it, when it is not the
    /// collection's own kind (`!!seq` on a list, `!!map` on a mapping, or the non-specific `!`); nil when it fits.
    ///
    /// biasaudit reads a list as a list and a mapping as a mapping whatever its tag, while other readers do not: PyYAML's
    /// `safe_load` (the README's notebook reads prompt sets with it) turns `groups: !!set {…}` into the set of the group
    /// names with every term dropped, and refuses `!foo`. A file that audits as one thing and deploys as another is
    /// refused, as duplicate keys are (a hostile review: `rules: !foo [...]` and `groups: !!set` passed silently).
    /// Checked on libyaml's events by ``YAMLInputLimits``, in its one pass before the document is composed.
    static func foreignCollectionTag(_ tag: String, isMapping: Bool) -> String? {
        let own = isMapping ? Tag.Name.map : Tag.Name.seq
        guard tag != Tag.Name.nonSpecific.rawValue, tag != own.rawValue else { return nil }
        return display(tag)
    }

    /// The message for a list or mapping tagged `tag` (as ``foreignCollectionTag(_:isMapping:)`` shows it): "this mapping
    /// is tagged !!set; biasaudit reads a mapping as written …".
    static func collectionTagMessage(isMapping: Bool, tag: String) -> String {
        let what = isMapping ? "mapping" : "list"
        return "this \(what) is tagged \(TextEscaping.excerpt(tag, limit: 40)); biasaudit reads a \(what) as written whatever "
            + "its tag, but other YAML readers do not (PyYAML reads !!set as the keys alone and refuses unknown tags), so "
            + "the file would mean different things to different tools; remove the tag"
    }

    /// `tag:yaml.org,2002:str` as `!!str`; a local tag as written (`!foo`); any other as `!<…>`.
    private static func display(_ raw: String) -> String {
        if raw.hasPrefix(core) { return "!!" + raw.dropFirst(core.count) }
        return raw.hasPrefix("!") ? raw : "!<\(raw)>"
    }
}
