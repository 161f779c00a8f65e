extension RunParameters {
    /// Completions per prompt when neither `--samples` nor the prompt set's `defaults` say otherwise.
    public static let defaultSamples = 16

    /// The settings `biasaudit run` uses when none is given: the seed notebook's sampling (temperature
    /// 0.7, top-k 50, top-p 0.9, seed 0, 20 new tokens), VADER's ±0.05 thresholds and the statistics'
    /// defaults (``AnalysisParameters/init(confidenceLevel:power:minimumGenderedWords:minimumEvents:falseDiscoveryRate:family:)``).
    /// The one definition: `run`'s options and configuration take their defaults from it, and reports
    /// list the settings that differ from it.
    public static let defaults = RunParameters(
        samples: nil, maxNewTokens: 20, temperature: 0.7, topK: 50, topP: 0.9, seed: 0, positiveThreshold: 0.05,
        negativeThreshold: -0.05, confidenceLevel: AnalysisParameters().confidenceLevel, analysis: AnalysisParameters())
}
