import Foundation

extension AuditJSON {
    /// A decoding failure described as a user sees the file: JSON key names (`prompt_sets[2].groups[0].levels`,
    /// not the Swift properties) and JSON words ("a whole number", "a string").
    public struct DecodingProblem: Error, CustomStringConvertible, Equatable {
        /// One line: where in the file, and what was wrong.
        public let description: String
        /// The JSON is well formed and typed, but a key repeats in one object (``duplicateKeyProblem(in:folding:)``).
        public var repeatedKey = false
    }

    /// Decodes `T` from `data` with ``decoder()``, describing any failure in the file's own terms.
    ///
    /// Foundation reports a number that does not fit its key's integer type (`sample_index: 1e300`, `seed: -1`,
    /// `completions: 1.5`) as "The given data was not valid JSON." with no key path; for JSON that parses,
    /// such a number is found by zeroing candidate numbers in halves and decoding again (a bisection: about
    /// log₂(candidates) decodes, on the failure path only, in files up to ``numberSearchLimit``), and named
    /// with its key; any other syntax error is placed by line and column (``syntaxProblem(in:)``, which also
    /// says when arrays and objects nest deeper than Foundation reads). Text that is not UTF-8 and a key repeated in
    /// one object are refused (``encodingProblem(in:)``, ``duplicateKeyProblem(in:folding:)`` with `folding`: where the decoder reads two
    /// spellings of a key as one); `inputChecked`: `data` already passed both checks in an earlier decode (a
    /// results file is probed for its schema version first); `encodingChecked`: `data` already passed the first (a line
    /// of a file checked whole); `oneLine`: `data` is one line of a JSON Lines file, and a fault is placed by its column
    /// alone (``syntaxProblem(in:oneLine:)``); `fieldNames`: a memo of the key spellings' field names kept across
    /// many texts (``FieldNames``).
    /// - Throws: ``DecodingProblem``.
    public static func decode<T: Decodable>(
        _ type: T.Type, from data: Data, folding: KeyFolding = .results, inputChecked: Bool = false,
        encodingChecked: Bool = false, oneLine: Bool = false, fieldNames: FieldNames? = nil
    ) throws -> T {
        // Foundation also reads UTF-16 and UTF-32; JSON exchanged between tools is UTF-8 (RFC 8259 §8.1).
        if !inputChecked, !encodingChecked, let problem = encodingProblem(in: data) { throw DecodingProblem(description: problem) }
        let decoder = decoder()
        do {
            let value = try decoder.decode(type, from: data)
            if !inputChecked, let problem = duplicateKeyProblem(in: data, folding: folding, fieldNames: fieldNames) {
                throw DecodingProblem(description: problem, repeatedKey: true)
            }
            // A line of a JSON Lines file with a comma before a closing `}` or `]`, which Foundation reads and JSON and
            // Python's `json` refuse, as results files do (a hostile review: `{"text": "…",}` in a completions file was
            // read). Results files are checked whole by their reader (``loadResult(_:path:)``).
            if oneLine, let problem = trailingCommaProblem(in: data, oneLine: true) {
                throw DecodingProblem(description: problem)
            }
            return value
        } catch let error as DecodingError {
            // A key given twice is said before what the decoder found missing or mistyped: readers disagree on which of
            // the two counts, and "missing key 'sample_index'" alone hid the repeat (review). Only where the text parsed
            // (the scan wants valid JSON): the decoder parses the whole text before it reads a key.
            if !inputChecked, parsedWhole(error), let problem = duplicateKeyProblem(in: data, folding: folding, fieldNames: fieldNames) {
                throw DecodingProblem(description: problem, repeatedKey: true)
            }
            // First: a number no double holds (Foundation refuses the whole text), which the search for a whole number
            // out of its key's range would blame on another key (a hostile review: 1e-400 was "0.95 does not fit" at
            // confidence_level).
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let (number, line, column, tooSmall) = firstNumberBeyondDouble(in: data)
            {
                throw DecodingProblem(
                    description: "number out of range \(place(line: line, column: column, oneLine: oneLine)): \(number) is "
                        + (tooSmall ? "smaller than a 64-bit floating-point number holds (about 4.9e-324) without being 0; "
                            + "write 0" : "beyond what a 64-bit floating-point number holds (about 1.8e308)"))
            }
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                data.count <= numberSearchLimit,
                let (path, number) = unrepresentableNumber(type, in: data, decoder: decoder)
            {
                // The limit a reader applies next, not Int's (a review: "at most 9223372036854775807" here, then "above
                // 2^53" for 2^60, which passed this decoding).
                let range = path.hasSuffix("seed") ? "a whole number from 0 to \(UInt64.max)"
                    : "a whole number (at most 2^53, \(AuditResult.maximumCount))"
                // A fraction is no whole number, whatever its size (a hostile review: "1.5 does not fit").
                let fraction = Double(number).map { $0.isFinite && $0.rounded(.towardZero) != $0 } ?? false
                throw DecodingProblem(
                    description: fraction
                        ? "value out of range at \(path): \(number) is not a whole number; this key holds \(range)"
                        : "value out of range at \(path): \(number) does not fit; this key holds \(range)")
            }
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, data.count > numberSearchLimit,
                (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
            {
                throw DecodingProblem(
                    description: "a number does not fit its key (the file is too large to say which one: look for a "
                        + "whole number beyond \(Int.max), a negative seed, or a fraction where a count or index belongs)")
            }
            // Foundation's "The given data was not valid JSON." names no place: say where the syntax breaks.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let problem = syntaxProblem(in: data, oneLine: oneLine) {
                throw DecodingProblem(description: problem)
            }
            throw DecodingProblem(description: describe(error))
        }
    }

    /// Whether the decoder threw `error` after parsing the whole text (a key missing, a value of the wrong kind or
    /// null, a value refused within the document), not at its syntax or at a number it could not read.
    private static func parsedWhole(_ error: DecodingError) -> Bool {
        switch error {
        case .keyNotFound, .typeMismatch, .valueNotFound: return true
        case .dataCorrupted(let context): return !context.codingPath.isEmpty
        @unknown default: return false
        }
    }

    /// The first number of the JSON text (outside strings) that overflows a Double (`1e400`), which Foundation
    /// reports as "not valid JSON" with no place, with its 1-based line and column (in bytes), or nil. The
    /// number is quoted as written, at most 40 bytes. One pass over the bytes, on the failure path only.
    /// `tooSmall`: a number that is not 0 but rounds to 0 (`1e-400`), which Foundation refuses as well.
    static func firstNumberBeyondDouble(in data: Data) -> (number: String, line: Int, column: Int, tooSmall: Bool)? {
        data.withUnsafeBytes { firstNumberBeyondDouble(in: $0.bindMemory(to: UInt8.self)) }
    }

    private static func firstNumberBeyondDouble(
        in bytes: UnsafeBufferPointer<UInt8>
    ) -> (number: String, line: Int, column: Int, tooSmall: Bool)? {
        var index = 0, line = 1, lineStart = 0, inString = false, escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                index += 1
            case UInt8(ascii: "\n"):
                line += 1
                index += 1
                lineStart = index
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                if let value = Double(token) {
                    let mantissa = token.prefix { $0 != "e" && $0 != "E" }
                    let underflow = value == 0 && mantissa.contains { ("1"..."9").contains($0) }
                    if value.isInfinite || underflow { return (String(token.prefix(40)), line, start - lineStart + 1, underflow) }
                }
            default:
                index += 1
            }
        }
        return nil
    }

    /// The largest file in which an out-of-range number is searched for (each step of the search decodes the
    /// file again: about 15 s for 4 MB in a debug build, mostly one decoding per step).
    static let numberSearchLimit = 32 << 20

    /// A one-line description of a decoding error: which key path (JSON key names) and what was wrong.
    public static func describe(_ error: Error) -> String {
        switch error {
        case let problem as DecodingProblem:
            return problem.description
        case DecodingError.keyNotFound(let key, let context):
            let place = context.codingPath.isEmpty ? "at the top level" : "in \(jsonPath(context.codingPath))"
            return "missing key '\(snakeCase(key.stringValue))' \(place)"
        case DecodingError.typeMismatch(let type, let context):
            return "wrong type at \(jsonPath(context.codingPath)): expected \(jsonKind(type))\(found(context.debugDescription))"
        case DecodingError.valueNotFound(let type, let context):
            return "missing value at \(jsonPath(context.codingPath)): expected \(jsonKind(type)), found null"
        case DecodingError.dataCorrupted(let context):
            let detail = context.debugDescription
            if let range = detail.range(of: " from invalid String value ") {
                // An enumeration's unknown raw value: "Cannot initialize AuditMetric from invalid String value x".
                return "unknown value '\(shortExcerpt(String(detail[range.upperBound...])))' at \(jsonPath(context.codingPath))"
            }
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "invalid JSON at \(jsonPath(context.codingPath)): \(shortExcerpt(underlying ?? detail, limit: 200))"
        default:
            return shortExcerpt(String(describing: error), limit: 200)
        }
    }

    /// A number as JSON files spell it: non-finite values as the strings biasaudit's coders use
    /// (`NaN`, `Infinity`, `-Infinity`), not Swift's `nan` and `inf`.
    public static func numberText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return "\(value)"
    }

    /// A coding path as the file spells it: snake_case keys, `[i]` for list positions
    /// (`prompt_sets[2].groups[0].levels`); "top level" when empty.
    public static func jsonPath(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + snakeCase(key.stringValue)
            }
        }
        return text.isEmpty ? "top level" : text
    }

    /// The JSON key of a property as ``encoder(pretty:)`` writes it (Foundation's `convertToSnakeCase`:
    /// `promptSets` → `prompt_sets`, `weightsSha256` → `weights_sha256`, `repoId` → `repo_id`).
    public static func snakeCase(_ key: String) -> String {
        let characters = Array(key)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { result += "_" }
            }
            result += character.lowercased()
        }
        return result
    }

    private static func jsonKind(_ type: Any.Type) -> String {
        switch type {
        case is any FixedWidthInteger.Type: "a whole number"
        case is any BinaryFloatingPoint.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list"
                : String(describing: type).hasPrefix("Dictionary") ? "an object" : "an object"
        }
    }

    /// ", found a string" from Foundation's "Expected to decode Int but found a string instead."
    private static func found(_ debugDescription: String) -> String {
        guard let start = debugDescription.range(of: "found ") else { return "" }
        let rest = debugDescription[start.upperBound...]
        let end = rest.range(of: " instead")?.lowerBound ?? rest.endIndex
        // Foundation says "a dictionary" / "an array"; JSON's words are "an object" / "a list". It says "number" and
        // "bool" without an article, beside "a string" (practitioner's review: "expected a string, found number").
        var what = rest[..<end].replacingOccurrences(of: "a dictionary", with: "an object")
            .replacingOccurrences(of: "an array", with: "a list")
            .replacingOccurrences(of: "dictionary", with: "an object")
            .replacingOccurrences(of: "array", with: "a list")
        if let worded = ["number": "a number", "bool": "true or false"][what] { what = worded }
        return ", found \(shortExcerpt(what, limit: 40))"
    }

    /// At most `limit` characters of `text`, control and format characters shown as `\u{…}`.
    static func shortExcerpt(_ text: String, limit: Int = 60) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if result.count >= limit { return result + "…" }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    // MARK: - Numbers that do not fit their key

    /// The JSON path and value of a number that makes decoding fail without a key path, or nil when the
    /// data does not parse as JSON or no number is to blame.
    private static func unrepresentableNumber<T: Decodable>(
        _ type: T.Type, in data: Data, decoder: JSONDecoder
    ) -> (path: String, number: String)? {
        guard let tree = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        var wholeCandidates: [[JSONPathStep]] = []
        var fractionCandidates: [[JSONPathStep]] = []
        collectNumbers(tree, path: [], whole: &wholeCandidates, fractional: &fractionCandidates)
        // Whole numbers out of range first: they are the likely culprits, so the search ends there soonest.
        let candidates = wholeCandidates + fractionCandidates
        func failsWithoutPath(zeroingFirst count: Int) -> Bool {
            var ranks = (whole: 0, fractional: 0)
            let copy = zeroing(tree, below: count, wholeCount: wholeCandidates.count, ranks: &ranks)
            guard let bytes = try? JSONSerialization.data(withJSONObject: copy, options: [.fragmentsAllowed]) else {
                return true
            }
            do {
                _ = try decoder.decode(type, from: bytes)
                return false
            } catch DecodingError.dataCorrupted(let context) {
                return context.codingPath.isEmpty
            } catch {
                return false
            }
        }
        guard !candidates.isEmpty, !failsWithoutPath(zeroingFirst: candidates.count) else { return nil }
        // The smallest k such that zeroing the first k candidates removes the failure: candidate k − 1
        // alone is to blame (any one such number fails the decoding, so the test is monotone in k).
        var low = 0  // zeroing the first `low` still fails
        var high = candidates.count  // zeroing the first `high` does not
        // Usually the culprit is a whole number: one decoding with those zeroed narrows the search to them.
        if wholeCandidates.count < candidates.count, !wholeCandidates.isEmpty {
            if failsWithoutPath(zeroingFirst: wholeCandidates.count) { low = wholeCandidates.count } else { high = wholeCandidates.count }
        }
        while high - low > 1 {
            let middle = (low + high) / 2
            if failsWithoutPath(zeroingFirst: middle) { low = middle } else { high = middle }
        }
        let culprit = candidates[high - 1]
        return (render(culprit), foundNumberText(value(in: tree, at: culprit[...])))
    }

    private enum JSONPathStep {
        case key(String)
        case index(Int)
    }

    /// Numbers that could be out of range for an integer key.
    private enum Candidate {
        /// A whole value that is negative or beyond `Int.max`.
        case whole
        /// A value with a fraction.
        case fractional
    }

    /// The kind of candidate a JSON value is; nil for anything else (booleans, safe whole numbers, text).
    private static func candidate(_ node: Any) -> Candidate? {
        guard let number = node as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        let value = number.doubleValue
        if value != value.rounded() || !value.isFinite { return .fractional }
        if value < 0 || value > 9.2e18 { return .whole }
        return nil
    }

    /// The candidate numbers' paths, in the traversal order ``zeroing(_:below:wholeCount:ranks:)`` uses.
    private static func collectNumbers(
        _ node: Any, path: [JSONPathStep], whole: inout [[JSONPathStep]], fractional: inout [[JSONPathStep]]
    ) {
        if let object = node as? [String: Any] {
            for key in object.keys.sorted() {
                collectNumbers(object[key]!, path: path + [.key(key)], whole: &whole, fractional: &fractional)
            }
        } else if let array = node as? [Any] {
            for (index, element) in array.enumerated() {
                collectNumbers(element, path: path + [.index(index)], whole: &whole, fractional: &fractional)
            }
        } else if let kind = candidate(node) {
            if kind == .whole { whole.append(path) } else { fractional.append(path) }
        }
    }

    /// A copy of `node` with the candidates of rank below `count` replaced by 0, in one pass (rank: the
    /// index among whole candidates, or `wholeCount` + the index among fractional ones).
    private static func zeroing(_ node: Any, below count: Int, wholeCount: Int, ranks: inout (whole: Int, fractional: Int)) -> Any {
        if let object = node as? [String: Any] {
            var copy = object
            for key in object.keys.sorted() {
                copy[key] = zeroing(object[key]!, below: count, wholeCount: wholeCount, ranks: &ranks)
            }
            return copy
        }
        if let array = node as? [Any] {
            return array.map { zeroing($0, below: count, wholeCount: wholeCount, ranks: &ranks) }
        }
        guard let kind = candidate(node) else { return node }
        let rank: Int
        if kind == .whole {
            rank = ranks.whole
            ranks.whole += 1
        } else {
            rank = wholeCount + ranks.fractional
            ranks.fractional += 1
        }
        return rank < count ? 0 : node
    }

    private static func value(in node: Any, at path: ArraySlice<JSONPathStep>) -> Any? {
        guard let step = path.first else { return node }
        switch step {
        case .key(let key): return (node as? [String: Any])?[key].flatMap { value(in: $0, at: path.dropFirst()) }
        case .index(let index):
            guard let array = node as? [Any], array.indices.contains(index) else { return nil }
            return value(in: array[index], at: path.dropFirst())
        }
    }

    private static func render(_ path: [JSONPathStep]) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let key): text += (text.isEmpty ? "" : ".") + shortExcerpt(key, limit: 40)
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "top level" : text
    }

    private static func foundNumberText(_ value: Any?) -> String {
        guard let number = value as? NSNumber else { return "the number" }
        // Whole numbers beyond Int64 and long decimals keep their digits, as written (a review: 18446744073709551615
        // was shown as 1.8446744073709552e+19).
        if number is NSDecimalNumber || ["q", "Q"].contains(String(cString: number.objCType)) { return number.stringValue }
        let double = number.doubleValue
        if double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
        return "\(double)"
    }
}
