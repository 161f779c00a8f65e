import Foundation

/// Splits JSON Lines files into lines: the one line splitter of every JSON Lines reader.
///
/// Splits on the byte LF (0x0A) and drops one CR (0x0D) before it, so LF and CRLF files read alike.
/// Splitting the decoded `String` on the Character "\n" would not: in Swift "\r\n" is one Character,
/// so a CRLF file would read as a single line. JSON forbids raw control characters inside strings, so
/// no line's content is changed.
public enum JSONLines {
    /// One non-blank line of a JSON Lines file.
    public struct Line: Sendable, Equatable {
        /// The 1-based line number in the file (for `file:line` messages).
        public var number: Int
        /// The line's bytes, without its line ending.
        public var bytes: Data

        /// Creates a line.
        public init(number: Int, bytes: Data) {
            self.number = number
            self.bytes = bytes
        }
    }

    /// The lines of `data` that hold more than JSON whitespace (space, tab, CR), numbered from 1.
    public static func lines(in data: Data) -> [Line] {
        var lines: [Line] = []
        for (index, slice) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var line = slice
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let blank = line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            if !blank { lines.append(Line(number: index + 1, bytes: Data(line))) }
        }
        return lines
    }
}
