import Foundation

/// Where a text file stops being UTF-8 text. One definition for the JSON inputs (results, completions) and the YAML
/// ones (prompt sets, policies): Foundation and Yams say only that the whole file is not UTF-8 (a hostile review: a
/// policy with one Latin-1 'é' on line 14 was faulted at 1:1).
public enum TextBytes {
    /// The first byte that is not UTF-8 text, or the first NUL byte when asked for.
    public struct Fault: Equatable, Sendable {
        /// 0-based byte offset in the file.
        public var offset: Int
        /// 1-based line.
        public var line: Int
        /// 1-based column, counted in bytes.
        public var column: Int
        /// 1-based column, counted in Unicode scalars (what the YAML readers' positions count); the bytes before the
        /// fault on its line are UTF-8.
        public var scalarColumn: Int
        /// The byte at the fault.
        public var byte: UInt8
        /// Whether the fault is a NUL byte (valid UTF-8, but no JSON text holds one).
        public var isNUL: Bool { byte == 0 }

        /// The byte as written in messages: `0xE9`.
        public var hexByte: String {
            let hex = String(byte, radix: 16, uppercase: true)
            return "0x" + (hex.count == 1 ? "0" : "") + hex
        }
    }

    /// The first byte of `data` that is not UTF-8 text (and with `nul`, the first NUL byte if it comes first), or nil.
    /// Fast for UTF-8 text without NULs, the common case (a completions file can be 100 MB): one `memchr` and one
    /// validation (a byte-by-byte search for NULs took 1% of `analyze`'s time). Read in place: a copy of the bytes
    /// doubled the memory of a 900 MB file with a NUL (a hostile review: 1.9 GB), and so did a copy of the text as a
    /// `String` (a 1 GB input took 2 GB before it was refused).
    public static func firstFault(in data: Data, nul: Bool) -> Fault? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Fault? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = raw.baseAddress else { return nil }
            let firstNUL = nul ? memchr(base, 0, raw.count).map { UnsafeRawPointer($0) - base } : nil
            let invalidPiece = firstInvalidPiece(bytes)
            // Decoded byte by byte only from the first piece that is not valid UTF-8 (a character boundary, see
            // ``firstInvalidPiece(_:)``); a NUL before it is the first fault.
            guard let from = invalidPiece, from <= (firstNUL ?? .max) else {
                return firstNUL.map { fault(at: $0, in: bytes) }
            }
            var iterator = UnsafeBufferPointer(rebasing: bytes[from...]).makeIterator()
            var decoder = UTF8()
            var offset = from
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar) where scalar.value != 0 || !nul: offset += UTF8.width(scalar)
                case .emptyInput: return nil
                case .scalarValue, .error: return fault(at: offset, in: bytes)
                }
            }
        }
    }

    /// The offset of the first megabyte-sized piece of `bytes` that is not valid UTF-8, or nil when all of `bytes` is:
    /// checked in place, a piece at a time. Each piece ends just before a byte that starts a character (not a
    /// continuation byte 10xxxxxx), so a valid text splits into valid pieces, a character cut by a piece's end is cut
    /// in the whole text too, and a piece starts where a decoder can start.
    static func firstInvalidPiece(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let piece = 1 << 20
        var start = 0
        while start < bytes.count {
            var end = min(start + piece, bytes.count)
            // At most 3 steps back in valid UTF-8; a longer run of continuation bytes is invalid wherever it is cut.
            var back = 0
            while end < bytes.count, back < 4, bytes[end] & 0xC0 == 0x80 { end -= 1; back += 1 }
            if end <= start { end = min(start + piece, bytes.count) }
            guard String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) != nil else {
                return start
            }
            start = end
        }
        return nil
    }

    /// The 1-based line and column (in bytes) of `offset` in `bytes`, whose indices start at 0 (an array or a buffer).
    public static func position<Bytes: RandomAccessCollection<UInt8>>(
        of offset: Int, in bytes: Bytes
    ) -> (line: Int, column: Int) where Bytes.Index == Int {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }

    private static func fault(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Fault {
        let (line, column) = position(of: offset, in: bytes)
        let lineStart = offset - (column - 1)
        // The characters before the fault on its line, all valid UTF-8: one per byte that is not a continuation byte
        // (counted in place; a String of them copied a 300 MB line).
        var scalars = 0
        for index in lineStart..<min(offset, bytes.count) where bytes[index] & 0xC0 != 0x80 { scalars += 1 }
        return Fault(offset: offset, line: line, column: column, scalarColumn: scalars + 1,
                     byte: bytes[min(offset, bytes.count - 1)])
    }
}
