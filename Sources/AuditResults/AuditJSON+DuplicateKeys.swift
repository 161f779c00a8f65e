import Foundation

extension AuditJSON {
    /// Where a key appears twice in one JSON object of `data`, or nil; `data` must be valid JSON (call it after
    /// a successful decode).
    ///
    /// RFC 8259 §4 leaves the meaning of a repeated name open, and readers disagree: Foundation keeps the first,
    /// Python's `json` the last. A hand-edited results file with `"value"` twice would then mean one thing
    /// to `biasaudit check` and another to a script reading the same file. Keys are compared after their
    /// escapes are decoded (`"a"` and `"\u0061"` are the same key).
    /// - Returns: `key "K" appears twice in one object (line L, column C; first at line L′, column C′): …`.
    public static func duplicateKeyProblem(in data: Data) -> String? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, comma: UInt8 = 0x2C
            let openObject: UInt8 = 0x7B, closeObject: UInt8 = 0x7D, openArray: UInt8 = 0x5B, closeArray: UInt8 = 0x5D
            // Per open container: nil for an array, else the keys seen so far with their offsets.
            var stack: [[String: Int]?] = []
            var expectingKey = false
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case openObject:
                    stack.append([:])
                    expectingKey = true
                case openArray:
                    stack.append(nil)
                    expectingKey = false
                case closeObject, closeArray:
                    if !stack.isEmpty { stack.removeLast() }
                    expectingKey = false
                case comma:
                    expectingKey = stack.last.map { $0 != nil } ?? false
                case quote:
                    let start = index
                    var escaped = false
                    index += 1
                    while index < bytes.count, bytes[index] != quote {
                        if bytes[index] == backslash { escaped = true; index += 1 }
                        index += 1
                    }
                    if expectingKey, let top = stack.indices.last, stack[top] != nil {
                        let raw = UnsafeBufferPointer(rebasing: bytes[start...min(index, bytes.count - 1)])
                        let key = escaped
                            ? (try? JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed])) as? String
                                ?? String(decoding: raw, as: UTF8.self)
                            : String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
                        if let first = stack[top]![key] {
                            let all = [UInt8](bytes)
                            let (line, column) = position(of: start, in: all)
                            let (firstLine, firstColumn) = position(of: first, in: all)
                            return "key \"\(shortExcerpt(key, limit: 40))\" appears twice in one object (line \(line), "
                                + "column \(column); first at line \(firstLine), column \(firstColumn)): JSON readers "
                                + "disagree on which one counts; keep one"
                        }
                        stack[top]![key] = start
                        expectingKey = false
                    }
                default:
                    break
                }
                index += 1
            }
            return nil
        }
    }
}
