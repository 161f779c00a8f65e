/// The sizes a run is asked for, which every reader of a run's settings checks against: `run`'s `--samples` and
/// `--max-new-tokens`, a prompt set's `defaults:` (``PromptSetLimits`` in PromptSets), and the settings a results file or
/// a shard's run.sqlite records (`report`, `check`, `diff`, `merge`). README, "Limits".
public enum RunSizeLimits {
    /// Completions per prompt.
    public static let maximumSamples = 10_000
    /// Tokens per completion: GPT-2's context window.
    public static let maximumNewTokens = 1024
}
