/// The element types a safetensors header may name, spelled as the format spells them.
///
/// Only `f32`, `f16` and `bf16` can be decoded to `Float` (see `SafeTensorsFile.floats(_:)`);
/// the others are recognised so that a file holding them still parses and validates.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    /// IEEE 754 binary64.
    case f64 = "F64"
    /// IEEE 754 binary32.
    case f32 = "F32"
    /// IEEE 754 binary16 (half precision).
    case f16 = "F16"
    /// bfloat16: the top 16 bits of a binary32.
    case bf16 = "BF16"
    /// 8-bit float with 5 exponent and 2 mantissa bits.
    case f8e5m2 = "F8_E5M2"
    /// 8-bit float with 4 exponent and 3 mantissa bits.
    case f8e4m3 = "F8_E4M3"
    /// Signed 64-bit integer.
    case i64 = "I64"
    /// Signed 32-bit integer.
    case i32 = "I32"
    /// Signed 16-bit integer.
    case i16 = "I16"
    /// Signed 8-bit integer.
    case i8 = "I8"
    /// Unsigned 64-bit integer.
    case u64 = "U64"
    /// Unsigned 32-bit integer.
    case u32 = "U32"
    /// Unsigned 16-bit integer.
    case u16 = "U16"
    /// Unsigned 8-bit integer.
    case u8 = "U8"
    /// Boolean stored as one byte.
    case bool = "BOOL"

    /// The number of bytes one element occupies in the data section.
    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .f8e5m2, .f8e4m3, .i8, .u8, .bool: return 1
        }
    }

    /// Whether `SafeTensorsFile` can decode tensors of this type into `Float`.
    public var isDecodableAsFloat: Bool {
        FloatDecoding.kernel(for: self) != nil
    }
}
