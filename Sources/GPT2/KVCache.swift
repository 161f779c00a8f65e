/// The keys and values of every layer for `rows` independent sequences, each up to `capacity` tokens.
///
/// Layout: keys and values are each (L, rows, capacity, C), row-major, so the cached positions of one
/// row in one layer are contiguous. Each row has its own length; a forward pass appends to the rows it
/// names. The cache also owns the scratch activations of the forward passes that use it, which keeps
/// `GPT2Model` immutable and shareable: one cache per thread. A cache is not thread-safe.
public final class KVCache {
    /// The configuration of the model this cache belongs to.
    public let configuration: GPT2Configuration
    /// Number of sequences the cache holds.
    public let rows: Int
    /// Most tokens one row can hold (never more than the model's context length).
    public let capacity: Int

    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    let workspace: ForwardWorkspace
    private var lengths: [Int]
    private let rowStride: Int
    private let layerStride: Int

    /// Allocates an empty cache.
    /// - Parameters:
    ///   - rows: number of sequences (at least 1).
    ///   - capacity: tokens per row; clamped to `configuration.contextLength`.
    public init(configuration: GPT2Configuration, rows: Int, capacity: Int) {
        precondition(rows >= 1 && capacity >= 1, "a KV cache needs at least one row and one position")
        self.configuration = configuration
        self.rows = rows
        self.capacity = min(capacity, configuration.contextLength)
        rowStride = self.capacity * configuration.embeddingSize
        layerStride = rows * rowStride
        let count = configuration.layerCount * layerStride
        keys = HugePages.allocateFloats(count)
        values = HugePages.allocateFloats(count)
        lengths = Array(repeating: 0, count: rows)
        workspace = ForwardWorkspace(configuration: configuration, tokenCapacity: rows)
    }

    deinit {
        HugePages.deallocate(keys)
        HugePages.deallocate(values)
    }

    /// Number of tokens cached for `row` (the position the next token of that row will take).
    public func length(row: Int) -> Int {
        lengths[row]
    }

    /// Empties one row.
    public func reset(row: Int) {
        lengths[row] = 0
    }

    /// Empties every row.
    public func resetAll() {
        for row in 0..<rows { lengths[row] = 0 }
    }

    /// Makes row `to` a copy of row `from` (its cached keys, values and length), so that several
    /// samples can continue one prompt that was computed once.
    public func copyRow(_ from: Int, to: Int) {
        precondition((0..<rows).contains(from) && (0..<rows).contains(to), "KV cache row out of range")
        guard from != to else { return }
        let count = lengths[from] * configuration.embeddingSize
        for layer in 0..<configuration.layerCount {
            let source = layer * layerStride + from * rowStride
            let target = layer * layerStride + to * rowStride
            (keys + target).update(from: keys + source, count: count)
            (values + target).update(from: values + source, count: count)
        }
        lengths[to] = lengths[from]
    }

    /// (capacity, C) keys of `row` in `layer`.
    func keys(layer: Int, row: Int) -> UnsafeMutablePointer<Float> {
        keys + layer * layerStride + row * rowStride
    }

    /// (capacity, C) values of `row` in `layer`.
    func values(layer: Int, row: Int) -> UnsafeMutablePointer<Float> {
        values + layer * layerStride + row * rowStride
    }

    /// Records that `row` now holds at least `length` tokens.
    func extend(row: Int, to length: Int) {
        if length > lengths[row] { lengths[row] = length }
    }
}
