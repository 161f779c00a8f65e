/// The completions of one model in one prompt set that stopped because the model's context window was full
/// (`stop_reason: context_full` in completions.jsonl): cut short before the new tokens asked for, because the
/// prompt and the new tokens together reached the model's context length (`prompt_sets[].context_full` in
/// results.json; absent when none stopped so, and in files written before it existed).
public struct ContextFullCount: Codable, Sendable, Equatable {
    /// The model's id.
    public var model: String
    /// How many completions stopped because the context was full.
    public var completions: Int
    /// Every completion of the set under this model.
    public var total: Int
    /// The fewest new tokens one of them got: after the longest of their prompts, at most this many fit
    /// (nil when no token count is known).
    public var fewestNewTokens: Int?

    /// Creates a count.
    public init(model: String, completions: Int, total: Int, fewestNewTokens: Int?) {
        self.model = model
        self.completions = completions
        self.total = total
        self.fewestNewTokens = fewestNewTokens
    }

    /// The `stop_reason` of a completion cut short by a full context.
    public static let stopReason = "context_full"
}
