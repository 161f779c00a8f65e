import SafeTensors

/// A GPT-2 language model (token + position embeddings, pre-LN transformer blocks with causal
/// self-attention and a GELU-tanh MLP, final layer norm, LM head) computed on the CPU in Float32, or
/// with its matrix products in bfloat16 (`GPT2Precision.bf16`).
///
/// The model is immutable once built and can be shared between threads; all mutable state of a
/// forward pass lives in the `KVCache` it is given. Three ways to run it:
/// - `logits(tokens:)`: the whole sequence at once, logits at every position (reference and tests);
/// - `prefill(tokens:row:cache:logitsOut:)`: a prompt into one cache row, then `KVCache.copyRow` to
///   share it between samples;
/// - `decode(tokens:rows:cache:logitsOut:)`: one new token for each of a set of rows, all rows in one
///   matrix product per layer.
public final class GPT2Model: Sendable {
    /// The model's shape and options.
    public let configuration: GPT2Configuration
    /// The model's parameters (Float32, whatever the precision).
    public let weights: GPT2Weights
    /// The arithmetic of the matrix products.
    public let precision: GPT2Precision
    /// The matrices packed in bf16, when `precision` is `.bf16`.
    let bf16: BF16Weights?

    /// Wraps already-built weights; for `.bf16` converts every matrix once to bfloat16 in the layout
    /// oneDNN's matmul primitive prefers (the Float32 weights are kept).
    /// - Throws: `GPT2Error.invalidConfiguration` when the configuration cannot be run,
    ///   `GPT2Error.unsupportedPrecision` for `.bf16` on a CPU without native bf16 instructions.
    public init(configuration: GPT2Configuration, weights: GPT2Weights, precision: GPT2Precision = .f32) throws {
        try configuration.validate()
        self.configuration = configuration
        self.weights = weights
        self.precision = precision
        switch precision {
        case .f32:
            bf16 = nil
        case .bf16:
            let support = GPT2Precision.bf16Support
            guard support.supported else {
                throw GPT2Error.unsupportedPrecision(precision.rawValue, instructionSet: support.instructionSet)
            }
            bf16 = try BF16Weights(configuration: configuration, weights: weights)
        }
    }

    /// Loads the weights from a safetensors file (Hugging Face or OpenAI layout, F32/F16/BF16).
    /// - Throws: `GPT2Error` naming the first invalid configuration value or missing/misshapen tensor,
    ///   or `.unsupportedPrecision`.
    public convenience init(configuration: GPT2Configuration, tensors: SafeTensorsFile, precision: GPT2Precision = .f32) throws {
        try configuration.validate()
        try self.init(
            configuration: configuration, weights: GPT2Weights(configuration: configuration, file: tensors),
            precision: precision)
    }

    /// This model's weights in another precision (the Float32 tensors are shared, not copied).
    /// - Throws: `GPT2Error.unsupportedPrecision`.
    public func converted(to precision: GPT2Precision) throws -> GPT2Model {
        precision == self.precision ? self : try GPT2Model(configuration: configuration, weights: weights, precision: precision)
    }

    /// The logits at every position of `tokens`, computed in one pass without reusing any cache.
    /// - Returns: `tokens.count` rows of `vocabularySize` logits; row t predicts the token after `tokens[t]`.
    /// - Throws: `GPT2Error.tokenOutOfRange`, or `.contextFull` when the sequence is longer than the context.
    public func logits(tokens: [Int]) throws -> [[Float]] {
        guard !tokens.isEmpty else { throw GPT2Error.invalidArgument("the token list is empty") }
        guard tokens.count <= configuration.contextLength else {
            throw GPT2Error.contextFull(row: 0, position: configuration.contextLength, limit: configuration.contextLength)
        }
        let cache = KVCache(configuration: configuration, rows: 1, capacity: tokens.count)
        let vocabulary = configuration.vocabularySize
        var flat = [Float](repeating: 0, count: tokens.count * vocabulary)
        try flat.withUnsafeMutableBufferPointer { out in
            try prefillHidden(tokens: tokens, row: 0, cache: cache)
            languageModelHead(
                hidden: cache.workspace.normed, rows: tokens.count, logitsOut: out.baseAddress!, workspace: cache.workspace)
        }
        return (0..<tokens.count).map { Array(flat[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }
    }

    /// The logits at positions `start..<tokens.count` of `tokens`, from one forward pass over the whole sequence: row t
    /// predicts the token after `tokens[t]`, as ``logits(tokens:)`` gives it. The LM head runs `chunk` rows at a time and
    /// `body` receives each row in turn (its position and its `vocabularySize` logits, valid during the call only), so
    /// memory stays linear in the sequence: one KV-cache row and `chunk` rows of logits, never a row per prefix.
    /// - Throws: `GPT2Error.invalidArgument` for an empty sequence or a start outside it, `.tokenOutOfRange`,
    ///   `.contextFull` when the sequence is longer than the context; whatever `body` throws.
    public func forEachLogitsRow(
        tokens: [Int], from start: Int, chunk: Int = 32, _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void
    ) throws {
        guard !tokens.isEmpty else { throw GPT2Error.invalidArgument("the token list is empty") }
        guard tokens.indices.contains(start) else {
            throw GPT2Error.invalidArgument("position \(start) is outside the \(tokens.count) tokens")
        }
        guard tokens.count <= configuration.contextLength else {
            throw GPT2Error.contextFull(row: 0, position: configuration.contextLength, limit: configuration.contextLength)
        }
        let cache = KVCache(configuration: configuration, rows: 1, capacity: tokens.count)
        try prefillHidden(tokens: tokens, row: 0, cache: cache)
        let vocabulary = configuration.vocabularySize
        let rows = max(1, min(chunk, tokens.count - start))
        let c = configuration.embeddingSize
        let out = UnsafeMutableBufferPointer<Float>.allocate(capacity: rows * vocabulary)
        defer { out.deallocate() }
        var first = start
        while first < tokens.count {
            let count = min(rows, tokens.count - first)
            languageModelHead(
                hidden: cache.workspace.normed + first * c, rows: count, logitsOut: out.baseAddress!, workspace: cache.workspace)
            for offset in 0..<count {
                try body(first + offset, UnsafeBufferPointer(rebasing: out[(offset * vocabulary)..<((offset + 1) * vocabulary)]))
            }
            first += count
        }
    }

    /// logits: (N, V) = hidden: (N, C) · headᵀ, head: (V, C); N at most the workspace's token capacity.
    func languageModelHead(
        hidden: UnsafePointer<Float>, rows: Int, logitsOut: UnsafeMutablePointer<Float>, workspace: ForwardWorkspace
    ) {
        linear(.head, out: logitsOut, inp: hidden, rows: rows, workspace: workspace)
    }
}
