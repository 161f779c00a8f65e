/// Why a sample stopped growing.
public enum StopReason: String, Codable, Sendable {
    /// The model chose the end-of-text token (which is not part of the sample).
    case endOfText = "end_of_text"
    /// The sample reached the requested number of new tokens.
    case maxNewTokens = "max_new_tokens"
    /// Prompt plus sample filled the model's context window.
    case contextFull = "context_full"
}

/// One completion: the new token ids (the prompt excluded) and why generation stopped.
public struct GeneratedSample: Sendable, Equatable, Codable {
    /// The generated token ids, without the prompt and without a final end-of-text token.
    public let ids: [Int]
    /// Why the sample ended.
    public let stopReason: StopReason

    enum CodingKeys: String, CodingKey {
        case ids
        case stopReason = "stop_reason"
    }

    /// Wraps generated ids and their stop reason.
    public init(ids: [Int], stopReason: StopReason) {
        self.ids = ids
        self.stopReason = stopReason
    }
}

/// One prompt and the samples wanted for it: one sample per random stream id.
///
/// Sample i draws its random numbers from `RandomStream(seed: parameters.seed, stream: streamIDs[i])`,
/// so a sample depends only on (seed, stream id, prompt, model, parameters): not on which other
/// samples or prompts share the batch.
public struct GenerationRequest: Sendable, Equatable {
    /// The prompt's token ids (at least one).
    public var promptIDs: [Int]
    /// One random-stream id per sample.
    public var streamIDs: [UInt64]

    /// A request for `streamIDs.count` samples continuing `promptIDs`.
    public init(promptIDs: [Int], streamIDs: [UInt64]) {
        self.promptIDs = promptIDs
        self.streamIDs = streamIDs
    }
}

/// A generation request or setting that cannot be run.
public enum GenerationError: Error, Equatable, CustomStringConvertible {
    /// A request has no prompt tokens (GPT-2 needs at least one token to predict from).
    case emptyPrompt(request: Int)
    /// A prompt does not fit the model's context window.
    case promptTooLong(request: Int, length: Int, contextLength: Int)
    /// `maxNewTokens` is not positive.
    case invalidMaxNewTokens(Int)
    /// A logit-bias entry or the end-of-text id names a token outside the vocabulary.
    case tokenOutOfVocabulary(id: Int, vocabularySize: Int, role: String)
    /// The model produced NaN or infinite logits (damaged weights, or values so large they overflow).
    case nonFiniteLogits

    /// What was wrong and what to do.
    public var description: String {
        switch self {
        case .emptyPrompt(let request):
            return "prompt \(request) has no tokens; give a non-empty prompt (GPT-2 needs one token to start from)"
        case .promptTooLong(let request, let length, let contextLength):
            return "prompt \(request) is \(length) tokens long but the model's context holds \(contextLength); "
                + "shorten the prompt"
        case .invalidMaxNewTokens(let value):
            return "--max-new-tokens must be at least 1, found \(value)"
        case .tokenOutOfVocabulary(let id, let vocabularySize, let role):
            return "\(role) names token id \(id), outside the model's vocabulary 0..<\(vocabularySize)"
        case .nonFiniteLogits:
            return "the model produced NaN or infinite logits; its weights are damaged or too large to compute with"
        }
    }
}
