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
        var found: [String: [String: String]] = [:]
        JSONNumberLiterals.forEachNonInteger(in: header) { keys, literal in
            guard keys.count >= 2, let tensor = keys[0], let field = keys[1], found[tensor]?[field] == nil else { return }
            found[tensor, default: [:]][field] = literal
        }
        return found
    }
}
