/// One weight tensor of a model: a flat, row-major Float32 buffer with its name and shape.
///
/// The buffer is allocated once and never resized; kernels read it through `pointer`.
public final class ParameterTensor: @unchecked Sendable {
    /// The tensor's name in the Hugging Face layout without the `transformer.` prefix (`h.0.attn.c_attn.weight`).
    public let name: String
    /// The tensor's shape, outermost dimension first.
    public let shape: [Int]
    /// Number of elements (the product of `shape`).
    public let count: Int
    /// Start of the elements. Owned by this object.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates a zero-filled tensor of the given shape.
    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
        count = shape.reduce(1, *)
        pointer = HugePages.allocateFloats(count)
        pointer.initialize(repeating: 0, count: count)
    }

    deinit {
        HugePages.deallocate(pointer)
    }

    /// The elements as a mutable buffer (for filling the tensor).
    public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    /// A copy of the elements.
    public var values: [Float] { Array(buffer) }
}
