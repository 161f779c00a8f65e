/// Kernels that widen little-endian F32, F16 and BF16 bytes into `Float`, exactly.
///
/// Each takes `source` (count × element size bytes, any alignment) and `destination` (count floats).
enum FloatDecoding {
    /// A kernel: (source bytes, destination floats).
    typealias Kernel = (UnsafeRawBufferPointer, UnsafeMutableBufferPointer<Float>) -> Void

    /// The kernel for `dtype`, or `nil` when `dtype` does not decode to `Float`.
    static func kernel(for dtype: SafeTensorsDType) -> Kernel? {
        switch dtype {
        case .f32: return decodeF32
        case .f16: return decodeF16
        case .bf16: return decodeBF16
        default: return nil
        }
    }

    /// source: (count) little-endian binary32, destination: (count)
    static func decodeF32(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        guard let base = destination.baseAddress, let input = source.baseAddress else { return }
        for index in 0..<destination.count {
            let bits = UInt32(littleEndian: input.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
            base[index] = Float(bitPattern: bits)
        }
    }

    /// source: (count) little-endian binary16, destination: (count)
    static func decodeF16(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        guard let base = destination.baseAddress, let input = source.baseAddress else { return }
        for index in 0..<destination.count {
            let bits = UInt16(littleEndian: input.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))
            base[index] = halfToFloat(bits)
        }
    }

    /// source: (count) little-endian bfloat16, destination: (count)
    static func decodeBF16(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        guard let base = destination.baseAddress, let input = source.baseAddress else { return }
        for index in 0..<destination.count {
            let bits = UInt16(littleEndian: input.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))
            base[index] = Float(bitPattern: UInt32(bits) &<< 16)
        }
    }

    /// The binary32 value of a binary16 bit pattern, by integer arithmetic alone.
    ///
    /// Normal numbers rebias the exponent (15 → 127); infinities and NaNs keep an all-ones exponent
    /// and their payload, NaNs made quiet as hardware conversion does; subnormals (m × 2⁻²⁴) are
    /// computed as a float product, which is exact.
    @inline(__always)
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) &<< 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * 0x1p-24
            return Float(bitPattern: sign | magnitude.bitPattern)
        case 0x1F:
            let quietBit: UInt32 = mantissa == 0 ? 0 : 0x0040_0000
            return Float(bitPattern: sign | 0x7F80_0000 | quietBit | (mantissa &<< 13))
        default:
            return Float(bitPattern: sign | ((exponent &+ 112) &<< 23) | (mantissa &<< 13))
        }
    }
}
