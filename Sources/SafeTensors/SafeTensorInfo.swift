/// One tensor's entry in a safetensors header, validated against the file it came from.
public struct SafeTensorInfo: Sendable, Equatable {
    /// The tensor's key in the header, e.g. `"transformer.wte.weight"`.
    public let name: String
    /// The element type of the stored bytes.
    public let dtype: SafeTensorsDType
    /// The dimensions, outermost first (row-major); `[]` is a scalar.
    public let shape: [Int]
    /// The byte range of the tensor, relative to the start of the data section (after the header).
    public let dataOffsets: Range<Int>

    /// Creates an entry; `SafeTensorsFile` only creates entries whose sizes it has checked.
    /// - Parameters:
    ///   - name: the tensor's key in the header.
    ///   - dtype: the element type.
    ///   - shape: the dimensions, outermost first.
    ///   - dataOffsets: the byte range relative to the data section.
    public init(name: String, dtype: SafeTensorsDType, shape: [Int], dataOffsets: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
    }

    /// The number of elements: the product of `shape` (1 for a scalar).
    ///
    /// Entries read from a file are checked not to overflow; for a hand-made entry whose product
    /// overflows this returns `Int.max` rather than trapping.
    public var elementCount: Int {
        SafeTensorInfo.checkedElementCount(of: shape) ?? Int.max
    }

    /// The product of `shape`, or `nil` if a dimension is negative or the product overflows `Int`.
    static func checkedElementCount(of shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// The number of bytes `shape` of `dtype` needs, or `nil` on a negative dimension or overflow.
    static func checkedByteCount(of shape: [Int], dtype: SafeTensorsDType) -> Int? {
        guard let count = checkedElementCount(of: shape) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        return overflow ? nil : bytes
    }
}
