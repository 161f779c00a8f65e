/// One weight tensor of a model: a flat, row-major Float32 buffer with its name and shape.
///
/// The buffer is allocated once and never resized; kernels read it through `pointer`.
public final class ParameterTensor: @unchecked Sendable {
    /// The tensor's name in the Hugging Face layout without the `transformer.` prefix (`h.0.attn.c_attn.weight`).
    public let name: String
    /// The tensor's name as the file it was read from stores it (`transformer.h.0.attn.c_attn.weight` in Hugging Face's
    /// layout); `name` when it was not read from a file. Messages about the file's content name it so: the user looks
    /// for it there (a hostile review: a NaN in `transformer.ln_f.weight` was said to be in `ln_f.weight`).
    public let storedName: String
    /// The tensor's shape, outermost dimension first.
    public let shape: [Int]
    /// Number of elements (the product of `shape`).
    public let count: Int
    /// Start of the elements. Owned by this object.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates a zero-filled tensor of the given shape.
    /// - Parameter storedName: the name in the file the tensor is read from (default: `name`).
    public init(name: String, shape: [Int], storedName: String? = nil) {
        self.name = name
        self.storedName = storedName ?? name
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
