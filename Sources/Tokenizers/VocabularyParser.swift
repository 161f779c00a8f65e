import Foundation

/// Reads `vocab.json`: one JSON object whose keys are token strings and whose values are ids.
///
/// A small dedicated parser rather than `JSONSerialization`, so that every error can name the
/// line and column where the file goes wrong, and duplicate tokens are caught rather than
/// silently overwritten.
struct VocabularyParser {
    /// One `"token": id` entry and the line it starts on.
    struct Entry: Equatable {
        let token: String
        let id: Int
        let line: Int
    }

    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var lineStart = 0

    /// The entries of a `vocab.json` file, in file order.
    /// - Throws: `TokenizerError.malformedVocabulary` at the first thing that is not a
    ///   JSON object of string keys and non-negative integer values.
    static func parse(_ data: Data) throws -> [Entry] {
        var parser = VocabularyParser(bytes: [UInt8](data))
        return try parser.parseObject()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func parseObject() throws -> [Entry] {
        // UTF-16 (with or without its byte-order mark) is said as such (a hostile review: "the file must start with '{'").
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.prefix(2).contains(0) {
            throw failure("the file is UTF-16 (or holds NUL bytes), not UTF-8; save it as UTF-8, or re-download it")
        }
        if let nul = bytes.firstIndex(of: 0) {
            // JSON holds no raw NUL byte anywhere: one further on is named at its place, a damaged download or UTF-16 text
            // after a UTF-8 start (a review: after leading whitespace it read "expected a token").
            for index in 0..<nul where bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            offset = nul
            throw failure("a NUL byte, which JSON text never holds: the file is damaged or partly UTF-16; re-download it "
                + "from the model repository")
        }
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "the file must start with '{'")
        var entries: [Entry] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
        } else {
            while true {
                skipWhitespace()
                let entryLine = line
                let token = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after a token")
                skipWhitespace()
                let id = try parseID()
                entries.append(Entry(token: token, id: id, line: entryLine))
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "expected ',' or '}' after an id")
                break
            }
        }
        skipWhitespace()
        guard offset == bytes.count else { throw failure("unexpected text after the closing '}'") }
        return entries
    }

    private mutating func parseString() throws -> String {
        try expect(UInt8(ascii: "\""), "expected a token in double quotes")
        var tokenBytes: [UInt8] = []
        while true {
            guard let byte = peek() else { throw failure("the file ends inside a string") }
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(bytes: tokenBytes, encoding: .utf8) else {
                    throw failure("the token before this point is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &tokenBytes)
            case 0..<0x20:
                throw failure("a control character (0x\(String(byte, radix: 16))) must be escaped inside a string")
            default:
                tokenBytes.append(byte)
            }
        }
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws {
        guard let byte = peek() else { throw failure("the file ends inside an escape") }
        offset += 1
        if let replacement = Self.simpleEscapes[byte] {
            output.append(replacement)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw failure("unknown escape '\\\(Unicode.Scalar(byte))'") }
        var value = try parseHex4()
        if (0xD800..<0xDC00).contains(value) {
            guard peek() == UInt8(ascii: "\\"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") else {
                throw failure("a high surrogate \\u\(String(value, radix: 16)) must be followed by a low one")
            }
            offset += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("expected a low surrogate") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw failure("\\u\(String(value, radix: 16)) is not a Unicode scalar")
        }
        output.append(contentsOf: Array(String(scalar).utf8))
    }

    /// The byte each one-letter escape (`\n`, `\"`, …) stands for.
    private static let simpleEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F,
        UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
        UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
    ]

    private mutating func parseHex4() throws -> UInt32 {
        // Hex digits only: `UInt32(_:radix:)` also takes a sign ("\\u+041" read as "A"; review).
        guard offset + 4 <= bytes.count,
              bytes[offset..<(offset + 4)].allSatisfy({ Character(UnicodeScalar($0)).isHexDigit }),
              let text = String(bytes: bytes[offset..<(offset + 4)], encoding: .ascii),
              let value = UInt32(text, radix: 16)
        else { throw failure("expected four hex digits after \\u") }
        offset += 4
        return value
    }

    /// Ids are below this: 2²⁰, the largest `vocab_size` biasaudit accepts.
    static let idLimit = 1 << 20

    private mutating func parseID() throws -> Int {
        let start = offset
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            offset += 1
        }
        guard offset > start else { throw failure("expected a non-negative integer id") }
        // Ids size the tokenizer's tables: at most the largest vocabulary a config.json may give (`vocab_size` 2²⁰,
        // README "Limits"), checked here, before any table is allocated (review: one id of 2³¹ − 1 asked for 34 GB and
        // crashed; 200,000,000 took 4.7 GB).
        // JSON numbers have no leading zeros ("0032" was read as 0 once cut short; review).
        guard bytes[start] != UInt8(ascii: "0") || offset - start == 1 else {
            throw failure("an id has no leading zeros (JSON numbers do not); check that vocab.json is not corrupt")
        }
        guard offset - start <= 7, let id = Int(String(decoding: bytes[start..<offset], as: UTF8.self)), id < Self.idLimit
        else {
            let digits = String(decoding: bytes[start..<offset].prefix(20), as: UTF8.self) + (offset - start > 20 ? "…" : "")
            throw failure("the id \(digits) "
                + "is beyond the largest vocabulary biasaudit reads (ids below \(Self.idLimit), README \"Limits\"); "
                + "check that vocab.json is not corrupt")
        }
        return id
    }

    private func peek() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws {
        guard peek() == byte else { throw failure(reason) }
        offset += 1
    }

    private mutating func skipWhitespace() {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                lineStart = offset + 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                break
            default:
                return
            }
            offset += 1
        }
    }

    /// The error at the current place: its line, and its column in characters (UTF-8 lead bytes from the line's start,
    /// as an editor counts them; a review: a line of GPT-2's byte-level tokens such as "Ġ" gave a column twice the one
    /// an editor shows).
    private func failure(_ reason: String) -> TokenizerError {
        let column = bytes[lineStart..<min(offset, bytes.count)].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return .malformedVocabulary(line: line, column: column, reason: reason)
    }
}
