import Foundation
import InputFiles

extension AuditJSON {
    /// Where ``decoder()`` reads two spellings of a key as one field (`convertFromSnakeCase`: `schema_version`,
    /// `schema_VERSION` and `schemaVersion` fill `schema_version`). It converts the keys of the objects it decodes
    /// as structs, not those of a `[String: T]` dictionary, and never looks into an object it ignores.
    public struct KeyFolding: Sendable {
        /// Keys whose value is a dictionary: its keys are compared as written.
        public var dictionaries: Set<String>
        /// How many levels of nested objects the decoder reads as structs (1: the top-level object only).
        public var depth: Int

        /// A results file or biasaudit's own completions records: structs all the way down, except the
        /// dictionaries `server_reported` (a served model's fields) and `labels` (a group's label per language).
        public static let results = KeyFolding(dictionaries: ["server_reported", "labels"], depth: .max)
        /// A completion line made elsewhere: its keys are read, the objects it may carry beside them are not.
        public static let topLevel = KeyFolding(dictionaries: [], depth: 1)
    }

    /// Where a key appears twice in one JSON object of `data`, or nil; `data` must be valid JSON (call it after
    /// a successful parse).
    ///
    /// RFC 8259 §4 leaves the meaning of a repeated name open, and readers disagree: `JSONDecoder` keeps the
    /// first, `JSONSerialization` and Python's `json` the last. A hand-edited results file with `"value"` twice
    /// would then mean one thing to `biasaudit check` and another to a script reading the same file. Keys are
    /// compared after their escapes are decoded (`"a"` and `"\u0061"` are the same key) and, with `folding`,
    /// as ``decoder()`` reads them in the objects it decodes as structs (``KeyFolding``); nil `folding`: as
    /// `JSONSerialization` reads them.
    /// - Returns: `key "K" appears twice in one object (line L, column C; first at line L′, column C′): …`, or
    ///   `key "K" names the same field as "K′" (…)` for two spellings of one field; places in a single line
    ///   are columns only (a JSON Lines line is named by its caller).
    /// - Parameter fieldNames: the field names of key spellings met so far, kept by a caller that checks many texts
    ///   (the lines of a completions file name the same few keys); nil: kept for this text only.
    public static func duplicateKeyProblem(
        in data: Data, folding: KeyFolding? = .results, fieldNames: FieldNames? = nil
    ) -> String? {
        // A container folds its keys when it is within the decoder's struct depth, its parent folds, and it is not the
        // value of a dictionary key (whose keys are compared as written).
        struct Scope { let folds: Bool; let depth: Int }
        let fieldNames = fieldNames ?? FieldNames()
        let repetition = JSONRepeatedKeys.first(
            in: data, root: Scope(folds: true, depth: 0),
            open: { parent, parentKey, isObject in
                let depth = parent.depth + (isObject ? 1 : 0)
                let folds = (folding.map { depth <= $0.depth } ?? false) && parent.folds
                    && !(parentKey.map { folding?.dictionaries.contains($0) == true } ?? false)
                return Scope(folds: folds, depth: depth)
            },
            key: { spelling, scope in
                // Field names by spelling: a results file repeats a few dozen keys many thousand times.
                guard scope.folds else { return spelling }
                return fieldNames.name(of: spelling)
            })
        guard let repetition else { return nil }
        let all = [UInt8](data)
        let places = "(\(place(of: repetition.offset, in: all)); first at \(place(of: repetition.firstOffset, in: all)))"
        let what = repetition.firstSpelling == repetition.spelling
            ? "key \(quoted(repetition.spelling)) appears twice in one object"
            : "key \(quoted(repetition.spelling)) names the same field as \(quoted(repetition.firstSpelling))"
        return "\(what) \(places): JSON readers disagree on which one counts; keep one"
    }

    /// The field names of key spellings (``fieldName(_:)``), kept while many texts are checked: a results file repeats a
    /// few dozen keys many thousand times, and a completions file the same few keys on every line.
    public final class FieldNames {
        private var names: [String: String] = [:]

        /// An empty memo.
        public init() {}

        /// ``fieldName(_:)`` of `spelling`, computed once.
        func name(of spelling: String) -> String {
            if let known = names[spelling] { return known }
            let name = fieldName(spelling)
            names[spelling] = name
            return name
        }
    }

    /// The property a key fills under `JSONDecoder.KeyDecodingStrategy.convertFromSnakeCase`: leading and
    /// trailing underscores kept, the words between underscores joined, the first lowercased and the others
    /// capitalised (`schema_VERSION` → `schemaVersion`); a key without an inner underscore is used as it is.
    public static func fieldName(_ key: String) -> String {
        // Without an underscore a key is its own name (the general path below returns it too, after splitting it).
        guard key.utf8.contains(UInt8(ascii: "_")) else { return key }
        guard let first = key.firstIndex(where: { $0 != "_" }) else { return key }
        let last = key.lastIndex(where: { $0 != "_" })!
        let words = key[first...last].split(separator: "_")
        guard words.count > 1 else { return key }
        let joined = ([words[0].lowercased()] + words.dropFirst().map { $0.capitalized }).joined()
        return String(key[..<first]) + joined + String(key[key.index(after: last)...])
    }

    /// A key as JSON writes it, `"` and `\` escaped, control characters shown as `\u{…}`, at most 40 characters.
    static func quoted(_ key: String) -> String {
        "\"" + shortExcerpt(key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""),
                            limit: 40) + "\""
    }

    /// `line L, column C` of `offset`, or `column C` when `bytes` are one line.
    static func place(of offset: Int, in bytes: [UInt8]) -> String {
        let (line, column) = position(of: offset, in: bytes)
        return bytes.contains(0x0A) ? "line \(line), column \(column)" : "column \(column)"
    }
}
