import Foundation
import InputFiles

extension SafeTensorsHeader {
    /// The number literals of tensor entries that are not integers as written, by tensor name and field (the first of
    /// each field): a fraction or an exponent (`8.0`, `8e0`, `1e300`), or more digits than an `Int` holds
    /// (`18446744073709551616`).
    ///
    /// `JSONDecoder` reads `8.0` as the integer 8, so the parsed value cannot tell; the format stores shapes and
    /// offsets as integers, and the reference crate (serde reading `usize`) refuses a float there, so such a file would
    /// load here and nowhere else (a hostile review). `header` must be valid JSON (call this after a successful parse).
    static func nonIntegerLiterals(in header: UnsafeRawBufferPointer) -> [String: [String: String]] {
        let bytes = header.bindMemory(to: UInt8.self)
        let quote: UInt8 = 0x22
        // One frame per open container: an object's last key (nil in an array) and whether a key comes next.
        var stack: [(isObject: Bool, key: String?, expectingKey: Bool)] = []
        var found: [String: [String: String]] = [:]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
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
                while index + 1 < bytes.count, Self.isNumberByte(bytes[index + 1]) { index += 1 }
                let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start...index]), as: UTF8.self)
                let keys = stack.filter(\.isObject).map(\.key)
                guard Int(literal) == nil, keys.count >= 2, let tensor = keys[0], let field = keys[1],
                    found[tensor]?[field] == nil
                else { break }
                found[tensor, default: [:]][field] = literal
            default:
                break
            }
            index += 1
        }
        return found
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
