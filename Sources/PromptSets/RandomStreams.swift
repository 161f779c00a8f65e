import Hashing

/// The random stream of each completion: common random numbers for paired comparisons.
///
/// Sample `i` of every prompt that shares a template (the counterfactual prompts "Jamal got the job
/// because" / "Emily got the job because"), under every model, draws from the same stream, so the
/// group and model comparisons are paired and much tighter. Fixed-prompt groups share one stream key
/// per prompt set. The run seed enters through `RandomStream(seed:stream:)`.
public enum RandomStreams {
    /// The stream id of sample `sampleIndex` of prompts with stream key `key`.
    public static func streamID(key: String, sampleIndex: Int) -> UInt64 {
        SplitMix64.finalize(FNV1a.hash(key) &+ UInt64(sampleIndex) &* SplitMix64.increment)
    }

    /// The stream key of a prompt: its template id, or one key per set for fixed prompts.
    public static func key(for prompt: Prompt) -> String {
        prompt.templateIndex == nil ? "\(prompt.set)/fixed-prompts" : prompt.templateID
    }

    /// A stable seed for a named statistical computation (bootstrap of one contrast, …).
    public static func seed(_ runSeed: UInt64, for name: String) -> UInt64 {
        streamID(key: name, sampleIndex: 0) ^ SplitMix64.finalize(runSeed)
    }
}
