import Foundation
import InputFiles

extension AuditJSON {
    /// Why `data` is not one JSON object, with the line and column of the fault; nil when it is one.
    ///
    /// Foundation's decoders say only "The given data was not valid JSON". `JSONSerialization` names the
    /// byte offset ("Invalid value around character N") or the number it could not represent
    /// ("Number 1e999 is not representable in Swift"); this turns either into a line and column with a
    /// short escaped excerpt, and explains the non-JSON literals `NaN` / `Infinity` (biasaudit writes
    /// non-finite numbers as the strings "NaN", "Infinity", "-Infinity").
    /// - Parameter oneLine: `data` is one line of a JSON Lines file, whose reader names the line: the fault is placed by
    ///   its column alone ("at line 1, column 36" beside `file:3` read as two places: review).
    /// - Parameter ownFile: `data` is a file of biasaudit's kind (results, completions), whose undefined values it writes
    ///   as null; false for another tool's file (a model's config.json), where `NaN` is only "not a JSON number".
    /// - Parameter results: `data` was given as a results file: one that reads as YAML is said to be no results file.
    public static func syntaxProblem(in data: Data, oneLine: Bool = false, ownFile: Bool = true, results: Bool = false)
        -> String?
    {
        if let problem = encodingProblem(in: data) { return problem }
        let detail: String
        do {
            let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            guard object is [String: Any] else { return "not a JSON object: the file holds JSON, but not one {…} object" }
            return trailingCommaProblem(in: data, oneLine: oneLine)
        } catch {
            detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        }
        let bytes = [UInt8](data)
        var offset: Int?
        var hint = "is the file truncated or edited by hand?"
        if let range = detail.range(of: "around character ") {
            offset = Int(detail[range.upperBound...].prefix(while: \.isNumber))
            if detail.localizedCaseInsensitiveContains("nested") {
                // Foundation's parser stops at 512 levels; biasaudit's own files nest a few.
                hint = "arrays and objects are nested too deep for a JSON reader (biasaudit's files nest a few levels)"
            }
        } else if detail.hasPrefix("Number "), let end = detail.range(of: " is not representable") {
            let number = String(detail[detail.index(detail.startIndex, offsetBy: 7)..<end.lowerBound])
            offset = firstOffset(of: Array(number.utf8), in: bytes)
            hint = "the number \(shortExcerpt(number, limit: 40)) does not fit a 64-bit float"
        }
        let pairAdvice = "a \\uD800–\\uDBFF escape must be followed by a \\uDC00–\\uDFFF one (a UTF-16 pair); fix or remove it"
        guard var offset, offset >= 0, offset <= bytes.count else {
            // A lone \uD800–\uDFFF escape: Foundation says "end of file" or "no high character", without a place, but the
            // file is not short (a hostile review: a lone low surrogate was told "is the file truncated?").
            if let lone = loneSurrogateOffset(in: bytes) {
                let (line, column) = position(of: lone, in: bytes)
                let excerpt = shortExcerpt(String(decoding: bytes[lone..<min(bytes.count, lone + 12)], as: UTF8.self), limit: 12)
                return "not valid JSON \(place(line: line, column: column, oneLine: oneLine)) (near '\(excerpt)'): a lone "
                    + "UTF-16 surrogate; \(pairAdvice)"
            }
            let advice = detail.contains("surrogate") ? pairAdvice : "is the file truncated?"
            return "not valid JSON (\(shortExcerpt(detail, limit: 120))); \(advice)"
        }
        // The parser may stop after a sign: show the token from its start (`-Infinity`, not `Infinity`).
        if offset > 0, offset < bytes.count, bytes[offset - 1] == UInt8(ascii: "-") { offset -= 1 }
        if offset == bytes.count { return "not valid JSON: it ends too early (at byte \(offset)); is the file truncated?" }
        let excerptBytes = bytes[offset..<min(bytes.count, offset + 24)]
        let excerpt = String(decoding: excerptBytes, as: UTF8.self)
        for literal in ["NaN", "Infinity", "-Infinity"] where excerpt.hasPrefix(literal) {
            // What biasaudit itself writes (review: "write it as the string \"NaN\"" led to another refusal).
            hint = !ownFile ? "\(literal) is not a JSON number; write the value as a number"
                : literal == "NaN"
                ? "NaN is not a JSON number; biasaudit writes an undefined value as null"
                : "\(literal) is not a JSON number; biasaudit writes an undefined value as null, and infinite degrees "
                    + "of freedom as the string \"Infinity\""
        }
        // A raw control character (a hostile review: a TAB in a string was told "is the file truncated?"), in a string or
        // between values (a code review: a Ctrl-Z after the object, a form feed between members).
        if offset < bytes.count, bytes[offset] < 0x20, ![0x0A, 0x0D].contains(bytes[offset]) {
            var outside = false
            scanOutsideStrings(data) { index, _ in
                if index == offset { outside = true }
                return index < offset
            }
            let character = "a raw control character (U+\(String(format: "%04X", Int(bytes[offset]))))"
            hint = outside
                ? "\(character) between values, where JSON allows only spaces, tabs and line breaks; remove it"
                : "\(character) inside a string; JSON writes it escaped (\\t, \\u001b): write the file with a JSON library"
        }
        // A YAML file (a prompt set or policy given where results go: a CI team's review): say what it seems to be.
        // Anything else that does not start with '{' (a report.md, a CSV) is said to be no results file (a code review:
        // every such file "read as YAML").
        if results, !oneLine, let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }),
            first != UInt8(ascii: "{"), first != UInt8(ascii: "["), bytes.firstIndex(of: first) == offset
        {
            let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
            let keys = text.split(separator: "\n").map { String($0.prefix { $0 != ":" }) }
            let yaml = ["rules", "templates", "groups"].contains { keys.contains($0) }
            hint = "the file does not start with '{', as a results file does"
                + (yaml ? " (it reads as YAML: a prompt set or a policy?)" : "")
                + "; give the results.json that run or analyze wrote"
        }
        let (line, column) = position(of: offset, in: bytes)
        return "not valid JSON \(place(line: line, column: column, oneLine: oneLine)) (near '\(shortExcerpt(excerpt, limit: 24))'): "
            + hint
    }

    /// Where bytes that are not UTF-8 start (Foundation says only "The given data was not valid JSON."), as
    /// `not UTF-8 text at line L, column C (byte 0xNN): …` (`column C` alone in one line); nil for UTF-8 text.
    /// A NUL byte is named too (`a NUL byte at …`): it is valid UTF-8 but never part of JSON text, and a UTF-16
    /// file without a byte-order mark is ASCII interleaved with NULs (it got "not valid JSON" at some line).
    /// JSON Lines readers check the whole file before its lines: the first line of a UTF-16 file alone is JSON
    /// that Foundation decodes.
    public static func encodingProblem(in data: Data) -> String? {
        // The common case, checked fast: UTF-8 without NULs (a completions file can be 100 MB); the search is shared with
        // the YAML readers (``TextBytes``).
        guard let fault = TextBytes.firstFault(in: data, nul: true) else { return nil }
        // The fault's own line and column: a copy of the file to count them again took 1.9 GB for a 900 MB file with a
        // NUL on line 49 (a hostile review).
        // One line when no line feed comes before the fault or after it (memchr, in place: a 900 MB file).
        let oneLine = fault.line == 1 && data.withUnsafeBytes { raw in
            raw.baseAddress.map { memchr($0 + fault.offset, 0x0A, raw.count - fault.offset) == nil } ?? true
        }
        let at = place(line: fault.line, column: fault.column, oneLine: oneLine)
        if fault.isNUL {
            return "a NUL byte \(at) (byte 0x00): JSON text has none; save a UTF-16 file as UTF-8, or remove the NUL"
        }
        return "not UTF-8 text \(at) (byte \(fault.hexByte)): save the file as UTF-8 (a UTF-16 or Latin-1 file must be "
            + "converted)"
    }

    /// The byte offset of the first `\\uXXXX` escape that is half of a UTF-16 surrogate pair without its other half (a
    /// \\uD800–\\uDBFF escape not followed by a \\uDC00–\\uDFFF one, or such a low one alone), or nil. Escapes are
    /// read in order, each backslash with the character after it, so `\\\\uD800` (an escaped backslash) is none.
    static func loneSurrogateOffset(in bytes: [UInt8]) -> Int? {
        func escape(at index: Int) -> UInt32? {
            guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                return nil
            }
            return UInt32(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16)
        }
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else { index += 1; continue }
            guard let unit = escape(at: index) else { index += 2; continue }
            if (0xDC00...0xDFFF).contains(unit) { return index }
            if (0xD800...0xDBFF).contains(unit) {
                // A file that ends where the low half would be is cut short, not lone (a code review): nil, so that the
                // truncation is said.
                let rest = bytes[(index + 6)...]
                if rest.count < 6, rest.enumerated().allSatisfy({ place, byte in
                    place == 0 ? byte == UInt8(ascii: "\\") : place == 1 ? byte == UInt8(ascii: "u") : Character(UnicodeScalar(byte)).isHexDigit
                }) {
                    return nil
                }
                guard let low = escape(at: index + 6), (0xDC00...0xDFFF).contains(low) else { return index }
                index += 12
                continue
            }
            index += 6
        }
        return nil
    }

    /// The most values (objects, arrays, numbers, strings, literals) one JSON document may hold: Foundation's decoders
    /// take about 50 bytes of memory per value, whatever its size, so a file of tiny values needs about 20 times its
    /// size (a hostile review: 200 MB of `0,` under an unknown key took 4.7 GB, and crashed under a 3 GB limit).
    /// biasaudit's largest results (250,000 contrast rows, `CompletionsAnalyzer.maximumResultRows`) hold about 18
    /// million, at about 40 bytes of file per value.
    public static let maximumValues = 40_000_000

    /// Why `data` holds more than ``maximumValues`` JSON values, or nil. Counted before parsing, in one pass over the
    /// bytes: every `[`, `{` and `,` outside strings begins at most one more value.
    public static func valueCountProblem(in data: Data) -> String? {
        guard data.count > maximumValues else { return nil }
        var count = 1
        scanOutsideStrings(data) { _, byte in
            if byte == 0x2C || byte == 0x5B || byte == 0x7B { count += 1 }
            return true
        }
        guard count > maximumValues else { return nil }
        return "the file holds about \(count) JSON values, more than the \(maximumValues) any input may hold (parsing "
            + "takes about 50 bytes of memory per value; biasaudit's own results hold at most about 18 million): is it a "
            + "biasaudit file? Remove what was added, or split it"
    }

    /// Where `data` has a comma before a closing `}` or `]`, which Foundation reads and JSON and Python's `json` refuse
    /// (a hostile review: a results file so edited passed `check`, while other readers of the same file fail); nil
    /// when it has none.
    public static func trailingCommaProblem(in data: Data, oneLine: Bool = false) -> String? {
        guard let comma = trailingComma(in: data) else { return nil }
        let bytes = [UInt8](data.prefix(comma + 24))
        let (line, column) = position(of: comma, in: bytes)
        let excerpt = String(decoding: bytes[comma...], as: UTF8.self)
        return "not valid JSON \(place(line: line, column: column, oneLine: oneLine)) (near '"
            + "\(shortExcerpt(excerpt, limit: 24))'): a comma before a closing '}' or ']', which JSON does not allow "
            + "(other JSON readers refuse the file); remove it"
    }

    /// The offset of the first comma outside strings that only white space separates from a closing `}` or `]`, or nil.
    static func trailingComma(in data: Data) -> Int? {
        var lastComma: Int?, found: Int?
        scanOutsideStrings(data) { offset, byte in
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: return true
            case 0x7D, 0x5D:
                found = lastComma
                return found == nil
            default:
                lastComma = byte == 0x2C ? offset : nil
                return true
            }
        }
        return found
    }

    /// Calls `body` with each byte of `data` outside JSON strings, a string standing as its opening quote (its contents
    /// skipped by ``JSONRepeatedKeys/endOfString(in:at:)``, the scanner the repeated-key check uses), until `body`
    /// returns false.
    static func scanOutsideStrings(_ data: Data, _ body: (_ offset: Int, _ byte: UInt8) -> Bool) {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var index = 0
            while index < bytes.count {
                guard body(index, bytes[index]) else { return }
                if bytes[index] == 0x22 { index = JSONRepeatedKeys.endOfString(in: bytes, at: index).end }
                index += 1
            }
        }
    }

    /// The 1-based line and column (in bytes) of `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        TextBytes.position(of: offset, in: bytes)
    }

    /// The offset of the first occurrence of `needle` in `haystack` that stands as a whole JSON token.
    static func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        let delimiters = Set(" \t\r\n,:[]{}".utf8)
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle,
                index == 0 || delimiters.contains(haystack[index - 1]),
                index + needle.count == haystack.count || delimiters.contains(haystack[index + needle.count])
            {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Where in a document a fault is: "at line 3, column 12", or "at column 12" in one line of a JSON Lines file.
    static func place(line: Int, column: Int, oneLine: Bool) -> String {
        oneLine ? "at column \(column)" : "at line \(line), column \(column)"
    }
}
