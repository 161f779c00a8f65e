import AuditResults
import Foundation
import InputFiles
import PromptSets

/// What is wrong with a server's answer that does not decode, said with its place in the answer
/// (`choices[0].text is null`, `choices[2].logprobs.top_logprobs[0][" he"] holds a NaN`, `data[0].id is not a string`),
/// for ``OpenAIEndpoint/complete(_:retryingConnections:attempts:probing:)`` and ``OpenAIEndpoint/models(required:)`` (a
/// hostile review: every such answer got the same "the answer is not an OpenAI completions response").
enum OpenAIAnswerProblem {
    /// The longest excerpt of a value or of the answer shown, in characters.
    static let excerptLimit = 60
    /// The bytes of an answer that is not JSON an excerpt is taken from (an HTML error page shows its start, never more).
    static let excerptBytes = 80

    /// The problem of `answer`, which `JSONDecoder` refused with `error`, in a few words.
    static func describe(_ answer: Data, decodingError error: Error) -> String {
        if let nonFinite = nonFiniteNumber(in: answer) { return nonFinite }
        guard let error = error as? DecodingError else { return notJSON(answer) }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            let found = value(at: context.codingPath, in: answer).map { " (\(shown($0)))" } ?? ""
            return "\(path(context.codingPath)) is not \(expected(type))\(found)"
        case .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else { return notJSON(answer) }
            let found = value(at: context.codingPath, in: answer).map { " (\(shown($0)))" } ?? ""
            return "\(path(context.codingPath)) cannot be read\(found)"
        @unknown default:
            return notJSON(answer)
        }
    }

    /// `choices[0].logprobs.top_logprobs[0][" he"]`: keys after a dot, list indices and keys that are no identifier in
    /// brackets (escaped, shortened).
    static func path(_ keys: [CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else if key.stringValue.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), !key.stringValue.isEmpty {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            } else {
                text += "[\(TextEscaping.quoted(TextEscaping.excerpt(key.stringValue, limit: 30)))]"
            }
        }
        return text.isEmpty ? "the answer" : text
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }

    /// A JSON value as a short escaped excerpt: `"…"` for a string, the number, `a list`, `an object`.
    private static func shown(_ value: Any) -> String {
        switch value {
        case let text as String: return "the string \(TextEscaping.quoted(TextEscaping.excerpt(text, limit: excerptLimit)))"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case is NSNull: return "null"
        default: return "the value \(TextEscaping.excerpt("\(value)", limit: excerptLimit))"
        }
    }

    /// The value at `keys` in `answer`, read again with `JSONSerialization`.
    private static func value(at keys: [CodingKey], in answer: Data) -> Any? {
        guard var current = try? JSONSerialization.jsonObject(with: answer, options: [.fragmentsAllowed]) else { return nil }
        for key in keys {
            if let list = current as? [Any], let index = key.intValue, list.indices.contains(index) {
                current = list[index]
            } else if let object = current as? [String: Any], let next = object[key.stringValue] {
                current = next
            } else {
                return nil
            }
        }
        return current
    }

    /// "it is not JSON: '<html>…'", the escaped start of the answer (at most ``excerptBytes`` bytes, ``excerptLimit``
    /// characters), with `…` when there is more; for an answer that is not UTF-8 text (JSON is, RFC 8259 §8.1) or holds a
    /// NUL, where: "it is not UTF-8 text at byte 1234 (0xE9), after '…"caf'" (a hostile review: such an answer was
    /// told "not JSON" with an excerpt of its start only, whatever the place).
    private static func notJSON(_ answer: Data) -> String {
        // An answer that does not even start as JSON (an HTML error page in Latin-1) is shown by its start, which tells
        // what it is; the place of its first byte that is not UTF-8 follows (a code review).
        let startsAsJSON = answer.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }.map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }
        let fault = TextBytes.firstFault(in: answer, nul: true)
        if let fault, startsAsJSON != false {
            let before = String(decoding: answer.prefix(fault.offset).suffix(excerptBytes), as: UTF8.self)
            let excerpt = TextEscaping.excerpt(String(before.suffix(excerptLimit)), limit: excerptLimit)
            let after = excerpt.isEmpty ? "" : ", after '\(excerpt)'"
            return fault.isNUL
                ? "it holds a NUL byte at byte \(fault.offset)\(after) (no JSON text holds one)"
                : "it is not UTF-8 text at byte \(fault.offset) (\(fault.hexByte))\(after) (JSON is UTF-8 text)"
        }
        // JSON syntax whose value cannot be held (a number past a 64-bit float, half a UTF-16 pair): said as such, not as
        // "not JSON" with the answer's start (a hostile review).
        if startsAsJSON == true, fault == nil, let unrepresentable = unrepresentableValue(in: answer) { return unrepresentable }
        let excerpt = TextEscaping.excerpt(String(decoding: answer.prefix(excerptBytes), as: UTF8.self), limit: excerptLimit)
        let place = fault.map {
            $0.isNUL ? " (with a NUL byte at byte \($0.offset))" : " (nor UTF-8 text, from byte \($0.offset): \($0.hexByte))"
        }
        return "it is not JSON: '\(excerpt)\(answer.count > excerptBytes && !excerpt.hasSuffix("…") ? "…" : "")'" + (place ?? "")
    }

    /// What JSONSerialization could not represent in an answer of JSON syntax: "it holds the number 1e400, which does not
    /// fit a 64-bit float" or "it holds a \\uD800–\\uDFFF escape without its other half (a lone UTF-16 surrogate)"; nil
    /// for any other fault.
    private static func unrepresentableValue(in answer: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: answer, options: [.fragmentsAllowed])
            return nil
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            if detail.hasPrefix("Number "), let end = detail.range(of: " is not representable") {
                let number = detail[detail.index(detail.startIndex, offsetBy: 7)..<end.lowerBound]
                return "it holds the number \(TextEscaping.excerpt(String(number), limit: 40)), which does not fit a 64-bit "
                    + "float (JSON readers hold numbers as such)"
            }
            if detail.localizedCaseInsensitiveContains("surrogate") {
                return "it holds a \\uD800–\\uDFFF escape without its other half (a lone UTF-16 surrogate, which is no "
                    + "character)"
            }
            return nil
        }
    }

    /// The place of the first `NaN`, `Infinity` or `-Infinity` written as a bare number (Python's `json.dumps` writes
    /// them; JSON has no such numbers), e.g. `choices[2].logprobs.top_logprobs[0][" she"] holds a NaN`; nil without one.
    static func nonFiniteNumber(in answer: Data) -> String? {
        let bytes = [UInt8](answer)
        let words: [(text: [UInt8], name: String)] = [
            (Array("-Infinity".utf8), "-Infinity"), (Array("Infinity".utf8), "Infinity"), (Array("NaN".utf8), "a NaN"),
        ]
        var found: (offset: Int, length: Int, name: String)?
        var inString = false
        var escaped = false
        var previous: UInt8 = 0  // the last byte outside strings that is not white space
        var index = 0
        scan: while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                previous = byte
            } else if ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains(byte) {
                if [UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: ",")].contains(previous) {
                    for word in words where bytes[index...].starts(with: word.text) {
                        found = (index, word.text.count, word.name)
                        break scan
                    }
                }
                previous = byte
            }
            index += 1
        }
        guard let found else { return nil }
        // Its place: the answer with that number replaced by a marker string, found again by its path.
        let marker = "biasaudit-non-finite-\(UUID().uuidString)"
        var marked = Array(bytes[..<found.offset])
        marked += Array("\"\(marker)\"".utf8)
        marked += bytes[(found.offset + found.length)...]
        // Other such numbers after it are made null, so that the marked answer reads as JSON.
        let readable = Data(nullingNonFinite(marked))
        let place = (try? JSONSerialization.jsonObject(with: readable, options: [.fragmentsAllowed]))
            .flatMap { path(to: marker, in: $0, keys: []) }
        return "\(place.map { path($0) } ?? "the answer (at byte \(found.offset))") holds \(found.name), which JSON has no number for"
    }

    /// `bytes` with every bare `NaN`, `Infinity` and `-Infinity` outside strings replaced by `null`.
    private static func nullingNonFinite(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var inString = false
        var escaped = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if let word = ["-Infinity", "Infinity", "NaN"].first(where: { bytes[index...].starts(with: Array($0.utf8)) }) {
                out += Array("null".utf8)
                index += word.utf8.count
                continue
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) {
            stringValue = "\(intValue)"
            self.intValue = intValue
        }
    }

    /// The keys that lead to the string `marker` in a `JSONSerialization` value (objects' keys in sorted order).
    private static func path(to marker: String, in value: Any, keys: [CodingKey]) -> [CodingKey]? {
        if let text = value as? String { return text == marker ? keys : nil }
        if let list = value as? [Any] {
            for (index, element) in list.enumerated() {
                if let found = path(to: marker, in: element, keys: keys + [Key(intValue: index)]) { return found }
            }
        }
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() {
                if let found = path(to: marker, in: object[key]!, keys: keys + [Key(stringValue: key)]) { return found }
            }
        }
        return nil
    }
}
