import SafeTensors

/// A GPT-2 language model (token + position embeddings, pre-LN transformer blocks with causal
/// self-attention and a GELU-tanh MLP, final layer norm, LM head) computed on the CPU in Float32.
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
    /// The model's parameters.
    public let weights: GPT2Weights

    /// Wraps already-built weights.
    /// - Throws: `GPT2Error.invalidConfiguration` when the configuration cannot be run.
    public init(configuration: GPT2Configuration, weights: GPT2Weights) throws {
        try configuration.validate()
        self.configuration = configuration
        self.weights = weights
    }

    /// Loads the weights from a safetensors file (Hugging Face or OpenAI layout, F32/F16/BF16).
    /// - Throws: `GPT2Error` naming the first invalid configuration value or missing/misshapen tensor.
    public convenience init(configuration: GPT2Configuration, tensors: SafeTensorsFile) throws {
        try configuration.validate()
        try self.init(configuration: configuration, weights: GPT2Weights(configuration: configuration, file: tensors))
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
            languageModelHead(hidden: cache.workspace.normed, rows: tokens.count, logitsOut: out.baseAddress!)
        }
        return (0..<tokens.count).map { Array(flat[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }
    }

    /// logits: (N, V) = hidden: (N, C) · headᵀ, head: (V, C).
    func languageModelHead(hidden: UnsafePointer<Float>, rows: Int, logitsOut: UnsafeMutablePointer<Float>) {
        matmul(
            out: logitsOut, inp: hidden, weight: weights.languageModelHead.pointer, bias: nil,
            rows: rows, inSize: configuration.embeddingSize, outSize: configuration.vocabularySize,
            layout: .outputMajor)
    }
}
