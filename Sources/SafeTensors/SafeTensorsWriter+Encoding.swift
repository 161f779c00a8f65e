import Foundation

/// Encoding `Float` values as the little-endian bytes of F32, F16 and BF16 tensors.
extension SafeTensorsWriter {
    /// `values` as little-endian binary32 bytes (exact).
    public static func encodeF32(_ values: [Float]) -> Data {
        var bytes = Data(capacity: values.count * 4)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// `values` rounded to binary16 (nearest, ties to even; overflow to infinity) as little-endian bytes.
    public static func encodeF16(_ values: [Float]) -> Data {
        var bytes = Data(capacity: values.count * 2)
        for value in values {
            withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// `values` rounded to bfloat16 (nearest, ties to even, as PyTorch rounds; NaN stays NaN) as
    /// little-endian bytes.
    public static func encodeBF16(_ values: [Float]) -> Data {
        var bytes = Data(capacity: values.count * 2)
        for value in values {
            withUnsafeBytes(of: bfloat16Bits(value).littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// The bfloat16 bit pattern nearest to `value`.
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN {
            return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
        }
        let roundingBias = 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }
}
