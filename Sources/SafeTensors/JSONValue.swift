import Foundation

/// A parsed JSON value that keeps integers apart from other numbers, so the header parser can
/// say exactly which field had which wrong type.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    /// A number that is an integer within `Int`'s range.
    case integer(Int)
    /// Any other number (fractional, or too large for `Int`).
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Tries the kinds a safetensors header holds most first (integers of shapes and offsets, then dtype strings, the
    /// shape and offset arrays, the entries): each kind tried in vain costs a thrown `DecodingError`, and the order
    /// null, bool, integer, number, string, object, array cost 23 of them per tensor entry, the larger part of
    /// parsing a header (a hostile review: 600,000 entries took 100 s). JSON's kinds are disjoint but for numbers,
    /// and `Int` is still tried before `Double`, so every value reads as before.
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    /// A short name of the value's JSON type, for error messages.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
