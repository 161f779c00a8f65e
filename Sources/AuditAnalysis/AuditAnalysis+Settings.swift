import AuditResults
import Statistics

extension AuditAnalysis.Settings {
    /// The settings a saved run recorded, so that re-analysing it keeps its confidence level, power and
    /// minimum support (schema-1 runs recorded only the confidence level; the rest take the defaults, as
    /// does the minimum events of runs written before `--min-events` existed).
    /// - Parameter parameters: the run's `manifest.parameters`.
    public init(recordedIn parameters: RunParameters) {
        let standard = InferenceSettings.standard
        self.init(
            inference: InferenceSettings(
                confidence: parameters.analysis?.confidenceLevel ?? parameters.confidenceLevel,
                power: parameters.analysis?.power ?? standard.power,
                minimumWeight: parameters.analysis.map { Double($0.minimumGenderedWords) } ?? standard.minimumWeight,
                minimumEvents: parameters.analysis?.minimumEvents.map(Double.init) ?? standard.minimumEvents))
        greedy = parameters.topK == 1
    }

    /// The settings a saved run recorded (``init(recordedIn:)-(RunParameters)``), with the models that sampled whatever
    /// `top_k` said (``sampledModels``, ``AuditResults/AuditManifest/modelsWithoutTopK``): how its analysis decided
    /// which completions are copies of one draw.
    public init(recordedIn manifest: AuditManifest) {
        self.init(recordedIn: manifest.parameters)
        sampledModels = manifest.modelsWithoutTopK
    }
}

extension AuditAnalysis.Settings {
    /// These settings with the command line's `--confidence`, `--min-gendered-words` and `--min-events`,
    /// when given.
    public func overriding(confidence: Double?, minimumGenderedWords: Int?, minimumEvents: Int? = nil)
        -> AuditAnalysis.Settings
    {
        var settings = self
        if let confidence { settings.inference.confidence = confidence }
        if let minimumGenderedWords { settings.inference.minimumWeight = Double(minimumGenderedWords) }
        if let minimumEvents { settings.inference.minimumEvents = Double(minimumEvents) }
        return settings
    }
}
