import Foundation

/// Finds the number literals of a JSON text that are not integers as written: the one scanner behind every reader of
/// biasaudit's inputs that must refuse a float where the format (and the reference reader) wants an integer
/// (safetensors shapes and offsets, `config.json` sizes).
///
/// `JSONDecoder` reads `8.0` and `8e0` as the integer 8, so the parsed value cannot tell; the safetensors crate (serde
/// reading `usize`) refuses such a number, and transformers keeps `n_layer: 2.0` a float, which fails when the model is
/// built (`range(2.0)`). A file read so would load here and nowhere else.
public enum JSONNumberLiterals {
    /// Calls `body` with every number literal of `data` that `Int` does not read as written (a fraction or an exponent:
    /// `8.0`, `8e0`, `1e300`; or more digits than an `Int` holds: `18446744073709551616`), in file order, with the keys
    /// under which it sits: one per enclosing object, outermost first (an array adds none; nil for a key whose escapes
    /// do not decode). `data` must be valid JSON (call this after a successful parse).
    public static func forEachNonInteger(in data: Data, _ body: (_ keys: [String?], _ literal: String) -> Void) {
        data.withUnsafeBytes { forEachNonInteger(in: $0, body) }
    }

    /// The same over raw bytes (a safetensors header within its mapped file).
    public static func forEachNonInteger(
        in buffer: UnsafeRawBufferPointer, _ body: (_ keys: [String?], _ literal: String) -> Void
    ) {
        forEachNonInteger(in: buffer, offsets: { keys, literal, _ in body(keys, literal) })
    }

    /// The same, with the byte offset of each literal in `data` (from 0), for a message that places it by column.
    public static func forEachNonInteger(
        in data: Data, offsets body: (_ keys: [String?], _ literal: String, _ offset: Int) -> Void
    ) {
        data.withUnsafeBytes { forEachNonInteger(in: $0, offsets: body) }
    }

    /// The same over raw bytes, with each literal's byte offset.
    public static func forEachNonInteger(
        in buffer: UnsafeRawBufferPointer, offsets body: (_ keys: [String?], _ literal: String, _ offset: Int) -> Void
    ) {
        let bytes = buffer.bindMemory(to: UInt8.self)
        let quote: UInt8 = 0x22
        // One frame per open container: where an object's last key lies (its quotes included; nil in an array), whether
        // it has escapes, and whether a key comes next. Keys are decoded only for a literal reported, so that a scan of
        // text whose numbers are all integers makes no strings (`analyze` scans every line of a completions file).
        var stack: [(isObject: Bool, key: Range<Int>?, escaped: Bool, expectingKey: Bool)] = []
        func decodedKey(_ range: Range<Int>?, escaped: Bool) -> String? {
            guard let range else { return nil }
            let raw = Data(UnsafeBufferPointer(rebasing: bytes[range]))
            return escaped
                ? (try? JSONSerialization.jsonObject(with: raw, options: [.fragmentsAllowed])) as? String
                : String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
        }
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                stack.append((true, nil, false, true))
            case UInt8(ascii: "["):
                stack.append((false, nil, false, false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","):
                if let top = stack.indices.last, stack[top].isObject { stack[top].expectingKey = true }
            case quote:
                let start = index
                let escaped: Bool
                (index, escaped) = JSONRepeatedKeys.endOfString(in: bytes, at: start)
                guard let top = stack.indices.last, stack[top].isObject, stack[top].expectingKey else { break }
                stack[top].key = start..<(min(index, bytes.count - 1) + 1)
                stack[top].escaped = escaped
                stack[top].expectingKey = false
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index + 1 < bytes.count, isNumberByte(bytes[index + 1]) { index += 1 }
                let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start...index]), as: UTF8.self)
                if Int(literal) == nil {
                    body(stack.filter(\.isObject).map { decodedKey($0.key, escaped: $0.escaped) }, literal, start)
                }
            default:
                break
            }
            index += 1
        }
    }

    /// A byte of a JSON number after its first: digits, `.`, `e`, `E`, `+`, `-`.
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
            UInt8(ascii: "+"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
