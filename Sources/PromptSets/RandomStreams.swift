/// The random stream of each completion: common random numbers for paired comparisons.
///
/// Sample `i` of every prompt that shares a template (the counterfactual prompts "Jamal got the job
/// because" / "Emily got the job because"), under every model, draws from the same stream, so the
/// group and model comparisons are paired and much tighter. Fixed-prompt groups share one stream key
/// per prompt set. The run seed enters through `RandomStream(seed:stream:)`.
public enum RandomStreams {
    /// The stream id of sample `sampleIndex` of prompts with stream key `key`.
    public static func streamID(key: String, sampleIndex: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64 of the key
        for byte in key.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return mix(hash &+ UInt64(sampleIndex) &* 0x9e37_79b9_7f4a_7c15)
    }

    /// The stream key of a prompt: its template id, or one key per set for fixed prompts.
    public static func key(for prompt: Prompt) -> String {
        prompt.templateIndex == nil ? "\(prompt.set)/fixed-prompts" : prompt.templateID
    }

    /// A stable seed for a named statistical computation (bootstrap of one contrast, …).
    public static func seed(_ runSeed: UInt64, for name: String) -> UInt64 {
        streamID(key: name, sampleIndex: 0) ^ mix(runSeed)
    }

    /// SplitMix64's finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
