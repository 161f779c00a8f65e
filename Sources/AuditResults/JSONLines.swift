import Foundation

/// Splits JSON Lines files into lines: the one line splitter of every JSON Lines reader.
///
/// Splits on the byte LF (0x0A) and drops one CR (0x0D) before it, so LF and CRLF files read alike.
/// Splitting the decoded `String` on the Character "\n" would not: in Swift "\r\n" is one Character,
/// so a CRLF file would read as a single line. JSON forbids raw control characters inside strings, so
/// no line's content is changed.
///
/// A UTF-8 byte-order mark (EF BB BF) that starts a line is dropped, in the middle of a file as at its start:
/// `cat a.jsonl b.jsonl` puts b's mark at the start of a line. RFC 8259 §8.1 lets a reader ignore the mark at the
/// start of a JSON text (Foundation's readers skip it there, and read each line as one text), and it stands before
/// the line's `{`, so no key or value changes and every line is kept; a line holding only a mark is blank. Columns in messages count
/// from after the mark.
public enum JSONLines {
    /// One non-blank line of a JSON Lines file.
    public struct Line: Sendable, Equatable {
        /// The 1-based line number in the file (for `file:line` messages).
        public var number: Int
        /// The line's bytes, without its line ending; empty for a line longer than ``maximumLineBytes``, which is
        /// never parsed (``lengthProblem(_:)`` refuses it), so that refusing a 1 GB line does not copy it.
        public let bytes: Data
        /// How many bytes the line holds, without its line ending (``bytes``'s count, but for an over-long line).
        public let byteCount: Int

        /// Creates a line.
        public init(number: Int, bytes: Data) {
            self.number = number
            self.bytes = bytes
            self.byteCount = bytes.count
        }

        /// A line too long to be parsed, of `byteCount` bytes, whose bytes are not kept.
        init(number: Int, overLong byteCount: Int) {
            self.number = number
            self.bytes = Data()
            self.byteCount = byteCount
        }
    }

    /// Whether `data` is JSON Lines rather than one JSON document: two or more non-blank lines, the first a whole
    /// JSON object by itself (a completions file given where a results file is expected).
    public static func holdsObjects(_ data: Data) -> Bool {
        // The first two lines only: splitting a 1 GB results file into lines to look at its first took twice its size
        // in memory (a hostile review).
        let lines = lines(in: data, atMost: 2)
        // A first line too long to be a completion is not parsed (a hostile file of 50 million values took 3 GB here).
        guard lines.count >= 2, lengthProblem(lines[0]) == nil else { return false }
        return (try? JSONSerialization.jsonObject(with: lines[0].bytes)) is [String: Any]
    }

    /// The UTF-8 byte-order mark, U+FEFF.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The most bytes one line may hold: a completion's text is at most 100,000 characters
    /// (`PromptSetLimits.maximumCompletionLength`), each at most 12 bytes as a JSON escape (a surrogate pair), with its
    /// prompt and keys well within the rest. Checked before a line is parsed: parsing takes about 20 times a line's
    /// size in memory (a hostile review: one 50 MB line took `analyze` to 1.1 GB and `score --jsonl` to 1.5 GB).
    public static let maximumLineBytes = 4 << 20

    /// Why `line` is too long to be parsed (more than ``maximumLineBytes``), or nil: one clause naming its size.
    public static func lengthProblem(_ line: Line) -> String? {
        guard line.byteCount > maximumLineBytes else { return nil }
        return "the line is \(line.byteCount) bytes long, more than the \(maximumLineBytes) bytes (4 MiB) any line of a "
            + "JSON Lines input may hold (a text is at most 100,000 characters); split or shorten it"
    }

    /// The most lines a completions file may hold (`analyze`, and a run's `completions.jsonl` read by `diff`, `check
    /// --baseline` or `analyze RUN_DIR`): memory grows with the completions, about 2.1 GiB per million lines of
    /// realistic texts (README, "Performance") and up to 2.4 GB per million of very short ones (a hostile review: 1.2
    /// million lines of 92 bytes took 2.8 GB, so a file of 1 GiB, the size limit, would have needed about 26 GB and ended
    /// in an allocation failure). The default audit writes about 30,000.
    public static let maximumCompletionLines = 2_000_000

    /// Why `data` holds more lines than ``maximumCompletionLines`` (blank ones too), or nil; counted with `memchr`
    /// before any line is copied or parsed.
    public static func lineCountProblem(in data: Data) -> String? {
        guard data.count > maximumCompletionLines else { return nil }
        var count = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var start = 0
            while start < raw.count, let newline = memchr(base + start, 0x0A, raw.count - start) {
                count += 1
                start = UnsafeRawPointer(newline) - base + 1
            }
            if start < raw.count { count += 1 }
        }
        guard count > maximumCompletionLines else { return nil }
        return "the file has \(count) lines, more than the \(maximumCompletionLines) completions one analysis reads (its "
            + "memory grows with them, about 2 GiB per million); split it by prompt set (each set is analysed on its own) "
            + "and analyse each part"
    }

    /// The lines of `data` that hold more than JSON whitespace (space, tab, CR), numbered from 1, each without the
    /// byte-order mark that starts it; a line longer than ``maximumLineBytes`` without its bytes (``Line/byteCount``
    /// says its length, ``lengthProblem(_:)`` refuses it).
    ///
    /// Read through the file's bytes with `memchr`: splitting the `Data` as a collection took 5% of `analyze`'s time
    /// on a 10^5-line file.
    /// - Parameter atMost: the most lines returned (the first ones, at least 1), or nil for every line.
    public static func lines(in data: Data, atMost: Int? = nil) -> [Line] {
        precondition(atMost.map { $0 >= 1 } ?? true, "atMost is at least 1")
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Line] in
            var lines: [Line] = []
            guard let base = raw.baseAddress else { return [] }
            var start = 0
            var number = 1
            while true {
                let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), raw.count - start)
                let end = newline.map { UnsafeRawPointer($0) - base } ?? raw.count
                var line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                if line.last == UInt8(ascii: "\r") { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
                if line.starts(with: byteOrderMark) {
                    line = UnsafeRawBufferPointer(rebasing: line.dropFirst(byteOrderMark.count))
                }
                let blank = line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
                if !blank {
                    lines.append(line.count > maximumLineBytes
                        ? Line(number: number, overLong: line.count) : Line(number: number, bytes: Data(line)))
                    if let atMost, lines.count >= atMost { break }
                }
                guard end < raw.count else { break }
                start = end + 1
                number += 1
            }
            return lines
        }
    }

    /// ``formatHint(for:)`` where the line's shape alone is the fault, so that a JSON parser's words would send the reader
    /// the wrong way ("is the file truncated?" for the `[` that opens an indented array, "Unexpected character" for CSV):
    /// an array, a line not starting with `{`, a bare CR, one object wrapping a list. Nil for an object that does not
    /// end on its line, where the parser's "is the file truncated?" may be the answer (a cut last line), and for a line
    /// of any other fault.
    public static func shapeFault(for line: Line) -> String? {
        guard let hint = formatHint(for: line), !hint.hasPrefix(Self.unendedObject) else { return nil }
        return hint
    }

    /// The start of ``formatHint(for:)``'s words for an object that does not end on its line.
    private static let unendedObject = "the object does not end on this line"

    /// What a line that is not one JSON object looks like, for the usual ways a file is not JSON Lines: a JSON
    /// array (on one line or begun on it), one object wrapping a list, CSV or indented JSON (not starting with `{`), an
    /// object spread over several lines, a bare CR as the line ending (review: each got only "not valid JSON" or
    /// "expected an object"); nil when it is none of these.
    public static func formatHint(for line: Line) -> String? {
        let bytes = line.bytes.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = bytes.first else { return nil }
        let oneObjectPerLine = "a JSON Lines file has one {…} object per line (Python: f.write(json.dumps(obj) + \"\\n\") "
            + "for each object, without indent)"
        // Valid JSON, but a list of objects on one line (`json.dump(list, f)`), or one object wrapping the list.
        if let parsed = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) {
            if parsed is [Any] { return "the line holds a JSON array; " + oneObjectPerLine }
            if let object = parsed as? [String: Any], object.count == 1, let (key, value) = object.first, value is [Any] {
                return "the line holds one object wrapping a list ('\(AuditJSON.shortExcerpt(key))'); " + oneObjectPerLine
            }
            // pandas' `DataFrame.to_json(path)` writes one object of columns by default ({"text": {"0": …, "1": …}, …};
            // orient "index" and "split" are alike): a class's review, told only "wrong type at set".
            // One column too, where its rows are keyed by pandas' index ("0", "1", …) (a code review).
            if let object = parsed as? [String: Any],
                object.count >= 2 && object.values.allSatisfy({ $0 is [String: Any] || $0 is [Any] })
                    || object.count == 1 && object.values.allSatisfy({ column in
                        guard let rows = column as? [String: Any], !rows.isEmpty else { return false }
                        return rows.keys.allSatisfy { Int($0) != nil }
                    })
            {
                return "the line holds one object of columns or rows, as pandas' DataFrame.to_json writes by default; "
                    + "write one object per completion: df.to_json(path, orient=\"records\", lines=True)"
            }
            return nil
        }
        if let cr = bytes.firstIndex(of: UInt8(ascii: "\r")), bytes[cr...].contains(where: { $0 > 0x20 }) {
            return "the line holds a bare carriage return (CR): end lines with LF or CRLF"
        }
        if first == UInt8(ascii: "[") { return "the line holds a JSON array; " + oneObjectPerLine }
        if first != UInt8(ascii: "{") {
            return "the line does not start with '{' (is the file CSV, or JSON written with indent?); " + oneObjectPerLine
        }
        var depth = 0, inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") { inString = true }
            else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
        }
        return depth > 0 && !inString ? unendedObject + "; " + oneObjectPerLine : nil
    }
}
