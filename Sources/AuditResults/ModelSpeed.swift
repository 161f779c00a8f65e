import Foundation

/// One model's measured generation in one invocation of `run`: the notebook's speed comparison.
///
/// Only this invocation's work is measured: a resumed run generates only the completions missing from
/// the run store, so its numbers describe that share (``storedBefore`` says how many were reused).
public struct ModelSpeed: Codable, Sendable, Equatable {
    /// The model id (its label, as in the manifest).
    public var model: String
    /// Completions generated in this invocation.
    public var completions: Int
    /// New tokens generated in this invocation (end-of-text tokens count, as the generator emits them);
    /// nil when unknown: a served model some of whose answers carried no `usage` (results.json then leaves
    /// `generated_tokens` out and writes `tokens_per_second` as null rather than write 0).
    public var generatedTokens: Int?
    /// Wall-clock seconds spent sampling those completions (model loading and next-token probabilities excluded).
    public var seconds: Double
    /// `generatedTokens / seconds`; nil when nothing was generated in this invocation or the tokens are unknown
    /// (written as null: the key is always there).
    public var tokensPerSecond: Double?
    /// The process's peak resident memory, in bytes, while this model was loaded and generating (Linux
    /// `VmHWM`, reset before the model is loaded); nil when it cannot be measured.
    public var peakResidentBytes: Int?
    /// Completions of this model that were already in the run store (a resumed run); 0 for a fresh run.
    public var storedBefore: Int

    /// Creates a record; ``tokensPerSecond`` is computed from the tokens and seconds.
    public init(
        model: String, completions: Int, generatedTokens: Int?, seconds: Double, peakResidentBytes: Int?,
        storedBefore: Int
    ) {
        self.model = model
        self.completions = completions
        self.generatedTokens = generatedTokens
        self.seconds = seconds
        self.tokensPerSecond = generatedTokens.flatMap { completions > 0 && seconds > 0 ? Double($0) / seconds : nil }
        self.peakResidentBytes = peakResidentBytes
        self.storedBefore = storedBefore
    }

    /// Whether this invocation resumed an earlier one (some completions came from the store).
    public var isResumed: Bool { storedBefore > 0 }

    private enum CodingKeys: String, CodingKey {
        case model, completions, generatedTokens, seconds, tokensPerSecond, peakResidentBytes, storedBefore
    }

    /// Encodes every key; ``tokensPerSecond`` is written as null when unknown rather than left out (review: a fully
    /// resumed run's `timing.models[]` had no `tokens_per_second`, which the results schema promises for each model).
    /// ``generatedTokens`` and ``peakResidentBytes`` are left out when unknown, as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(completions, forKey: .completions)
        try container.encodeIfPresent(generatedTokens, forKey: .generatedTokens)
        try container.encode(seconds, forKey: .seconds)
        if let tokensPerSecond {
            try container.encode(tokensPerSecond, forKey: .tokensPerSecond)
        } else {
            try container.encodeNil(forKey: .tokensPerSecond)
        }
        try container.encodeIfPresent(peakResidentBytes, forKey: .peakResidentBytes)
        try container.encode(storedBefore, forKey: .storedBefore)
    }
}
