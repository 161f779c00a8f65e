/// The scratch activations of one forward pass over up to `tokenCapacity` tokens.
///
/// Allocated once and reused, so the decode loop does not allocate; it grows (reallocating) only
/// when a call brings more tokens than any call before it. Not thread-safe: each `KVCache` owns one,
/// so forward passes on different caches may run on different threads.
final class ForwardWorkspace {
    let channels: Int
    let feedForwardSize: Int
    private(set) var tokenCapacity = 0

    /// (N) token ids, cache rows and positions of the tokens of the current call.
    private(set) var tokenIDs: UnsafeMutablePointer<Int>
    private(set) var rowIDs: UnsafeMutablePointer<Int>
    private(set) var positions: UnsafeMutablePointer<Int>
    /// (N, C) residual stream.
    private(set) var residual: UnsafeMutablePointer<Float>
    /// (N, C) layer-norm output.
    private(set) var normed: UnsafeMutablePointer<Float>
    /// (N, 3C) queries, keys and values.
    private(set) var qkv: UnsafeMutablePointer<Float>
    /// (N, C) attention output before the projection.
    private(set) var attention: UnsafeMutablePointer<Float>
    /// (N, F) MLP hidden layer.
    private(set) var hidden: UnsafeMutablePointer<Float>
    /// (N, max(C, F)) the input of a bf16 matrix product, rounded to bfloat16 (bit patterns).
    private(set) var bf16Input: UnsafeMutablePointer<UInt16>
    /// The padded last rows of an F32 matrix product (`matmul`): grown by the first products that need
    /// it, to at most 24 × max(C, F) inputs and 24 × max(3C, F, V) outputs whatever the number of tokens.
    let matmulScratch = MatmulScratch()

    init(configuration: GPT2Configuration, tokenCapacity: Int) {
        channels = configuration.embeddingSize
        feedForwardSize = configuration.feedForwardSize
        tokenIDs = .allocate(capacity: 1)
        rowIDs = .allocate(capacity: 1)
        positions = .allocate(capacity: 1)
        residual = HugePages.allocateFloats(1)
        normed = HugePages.allocateFloats(1)
        qkv = HugePages.allocateFloats(1)
        attention = HugePages.allocateFloats(1)
        hidden = HugePages.allocateFloats(1)
        bf16Input = .allocate(capacity: 1)
        reserve(tokens: max(tokenCapacity, 1))
    }

    deinit {
        release()
    }

    /// Makes room for `tokens` tokens, keeping nothing of the previous contents.
    func reserve(tokens: Int) {
        guard tokens > tokenCapacity else { return }
        release()
        tokenCapacity = tokens
        tokenIDs = .allocate(capacity: tokens)
        rowIDs = .allocate(capacity: tokens)
        positions = .allocate(capacity: tokens)
        residual = HugePages.allocateFloats(tokens * channels)
        normed = HugePages.allocateFloats(tokens * channels)
        qkv = HugePages.allocateFloats(tokens * 3 * channels)
        attention = HugePages.allocateFloats(tokens * channels)
        hidden = HugePages.allocateFloats(tokens * feedForwardSize)
        bf16Input = .allocate(capacity: tokens * max(channels, feedForwardSize))
    }

    private func release() {
        tokenIDs.deallocate()
        rowIDs.deallocate()
        positions.deallocate()
        HugePages.deallocate(residual)
        HugePages.deallocate(normed)
        HugePages.deallocate(qkv)
        HugePages.deallocate(attention)
        HugePages.deallocate(hidden)
        bf16Input.deallocate()
    }
}
