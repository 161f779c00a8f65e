extension AuditResult {
    /// The first value of the file outside its meaningful range, as a key path and a reason, or `nil`.
    ///
    /// Probabilities (`p_value`, `q_value`, `p_more_biased`, `p_less_biased`) lie in [0, 1]; confidence
    /// levels, power and the false discovery rate lie strictly between 0 and 1; `schema_version` starts at 1.
    /// A file that breaks these was not written by biasaudit (or was edited), and reports built from it
    /// would print impossible numbers.
    public func firstOutOfRange() -> (key: String, reason: String)? {
        if schemaVersion < 1 { return ("schema_version", "is \(schemaVersion); versions start at 1") }
        func probability(_ value: Double?, _ key: String) -> (key: String, reason: String)? {
            guard let value, !(0...1).contains(value) else { return nil }
            return (key, "is \(value); a probability lies between 0 and 1")
        }
        func open(_ value: Double?, _ key: String) -> (key: String, reason: String)? {
            guard let value, !(value > 0 && value < 1) else { return nil }
            return (key, "is \(value); it lies strictly between 0 and 1")
        }
        let parameters = manifest.parameters
        if let found = open(parameters.confidenceLevel, "manifest.parameters.confidence_level") { return found }
        if let analysis = parameters.analysis {
            let prefix = "manifest.parameters.analysis."
            if let found = open(analysis.confidenceLevel, prefix + "confidence_level")
                ?? open(analysis.power, prefix + "power") ?? open(analysis.falseDiscoveryRate, prefix + "false_discovery_rate")
            {
                return found
            }
        }
        for (setIndex, set) in promptSets.enumerated() {
            for (index, contrast) in set.contrasts.enumerated() {
                let prefix = "prompt_sets[\(setIndex)].contrasts[\(index)]."
                if let found = probability(contrast.pValue, prefix + "p_value") ?? probability(contrast.qValue, prefix + "q_value") {
                    return found
                }
            }
        }
        for (index, comparison) in modelComparisons.enumerated() {
            let prefix = "model_comparisons[\(index)]."
            if let found = probability(comparison.pMoreBiased, prefix + "p_more_biased")
                ?? probability(comparison.pLessBiased, prefix + "p_less_biased")
                ?? probability(comparison.qValue, prefix + "q_value")
            {
                return found
            }
        }
        return nil
    }
}
