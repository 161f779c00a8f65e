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
        let bytes = buffer.bindMemory(to: UInt8.self)
        let quote: UInt8 = 0x22
        // One frame per open container: an object's last key (nil in an array) and whether a key comes next.
        var stack: [(isObject: Bool, key: String?, expectingKey: Bool)] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                stack.append((true, nil, true))
            case UInt8(ascii: "["):
                stack.append((false, nil, false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","):
                if let top = stack.indices.last, stack[top].isObject { stack[top].expectingKey = true }
            case quote:
                let start = index
                let escaped: Bool
                (index, escaped) = JSONRepeatedKeys.endOfString(in: bytes, at: start)
                guard let top = stack.indices.last, stack[top].isObject, stack[top].expectingKey else { break }
                let raw = Data(UnsafeBufferPointer(rebasing: bytes[start...min(index, bytes.count - 1)]))
                stack[top].key = escaped
                    ? (try? JSONSerialization.jsonObject(with: raw, options: [.fragmentsAllowed])) as? String
                    : String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
                stack[top].expectingKey = false
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index + 1 < bytes.count, isNumberByte(bytes[index + 1]) { index += 1 }
                let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start...index]), as: UTF8.self)
                if Int(literal) == nil { body(stack.filter(\.isObject).map(\.key), literal) }
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
