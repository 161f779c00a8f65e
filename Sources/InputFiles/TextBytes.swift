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
    /// validation (a byte-by-byte search for NULs took 1% of `analyze`'s time).
    public static func firstFault(in data: Data, nul: Bool) -> Fault? {
        let hasNUL = nul && data.withUnsafeBytes { raw in raw.baseAddress.map { memchr($0, 0, raw.count) != nil } ?? false }
        if !hasNUL, String(data: data, encoding: .utf8) != nil { return nil }
        // Read in place: a copy of the bytes doubled the memory of a 900 MB file with a NUL (a hostile review: 1.9 GB).
        return data.withUnsafeBytes { raw -> Fault? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            var offset = 0
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar) where scalar.value != 0 || !nul: offset += UTF8.width(scalar)
                case .emptyInput: return nil
                case .scalarValue, .error: return fault(at: offset, in: bytes)
                }
            }
        }
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
        let before = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self)
        return Fault(offset: offset, line: line, column: column, scalarColumn: before.unicodeScalars.count + 1,
                     byte: bytes[min(offset, bytes.count - 1)])
    }
}
