import Foundation

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
    public static func duplicateKeyProblem(in data: Data, folding: KeyFolding? = .results) -> String? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, comma: UInt8 = 0x2C, underscore: UInt8 = 0x5F
            let openObject: UInt8 = 0x7B, closeObject: UInt8 = 0x7D, openArray: UInt8 = 0x5B, closeArray: UInt8 = 0x5D
            // An open object or array: an object's keys so far (as the decoder reads them) with their offsets and
            // spellings, and the last key (the one a nested container belongs to); whether keys fold here.
            struct Container {
                var keys: [String: (offset: Int, spelling: String)]?
                var lastKey = ""
                let folds: Bool
                let depth: Int
            }
            var stack: [Container] = []
            var expectingKey = false
            var index = 0
            // Field names by spelling: a results file repeats a few dozen keys many thousand times.
            var fieldNames: [String: String] = [:]
            func open(object: Bool) {
                let depth = (stack.last?.depth ?? 0) + (object ? 1 : 0)
                var folds = folding.map { depth <= $0.depth } ?? false
                if let parent = stack.last {
                    folds = folds && parent.folds
                        && !(parent.keys != nil && folding?.dictionaries.contains(parent.lastKey) == true)
                }
                stack.append(Container(keys: object ? [:] : nil, folds: folds, depth: depth))
            }
            while index < bytes.count {
                switch bytes[index] {
                case openObject:
                    open(object: true)
                    expectingKey = true
                case openArray:
                    open(object: false)
                    expectingKey = false
                case closeObject, closeArray:
                    if !stack.isEmpty { stack.removeLast() }
                    expectingKey = false
                case comma:
                    expectingKey = stack.last.map { $0.keys != nil } ?? false
                case quote:
                    let start = index
                    var escaped = false, underscored = false
                    index += 1
                    while index < bytes.count, bytes[index] != quote {
                        if bytes[index] == backslash { escaped = true; index += 1 }
                        if index < bytes.count, bytes[index] == underscore { underscored = true }
                        index += 1
                    }
                    guard expectingKey, let top = stack.indices.last, stack[top].keys != nil else { break }
                    expectingKey = false
                    let raw = UnsafeBufferPointer(rebasing: bytes[start...min(index, bytes.count - 1)])
                    let spelling = escaped
                        ? (try? JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed])) as? String
                            ?? String(decoding: raw, as: UTF8.self)
                        : String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
                    var key = spelling
                    if stack[top].folds, underscored || escaped {
                        if let known = fieldNames[spelling] { key = known } else {
                            key = fieldName(spelling)
                            fieldNames[spelling] = key
                        }
                    }
                    if let first = stack[top].keys![key] {
                        let all = [UInt8](bytes)
                        let places = "(\(place(of: start, in: all)); first at \(place(of: first.offset, in: all)))"
                        let what = first.spelling == spelling
                            ? "key \(quoted(spelling)) appears twice in one object"
                            : "key \(quoted(spelling)) names the same field as \(quoted(first.spelling))"
                        return "\(what) \(places): JSON readers disagree on which one counts; keep one"
                    }
                    stack[top].keys![key] = (start, spelling)
                    stack[top].lastKey = spelling
                default:
                    break
                }
                index += 1
            }
            return nil
        }
    }

    /// The property a key fills under `JSONDecoder.KeyDecodingStrategy.convertFromSnakeCase`: leading and
    /// trailing underscores kept, the words between underscores joined, the first lowercased and the others
    /// capitalised (`schema_VERSION` → `schemaVersion`); a key without an inner underscore is used as it is.
    static func fieldName(_ key: String) -> String {
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
