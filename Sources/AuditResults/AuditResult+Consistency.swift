extension AuditResult {
    /// The first way the file contradicts itself, as a key path and a reason that says what to do, or nil.
    ///
    /// `report`, `check`, `diff` and `analyze` find models, prompt sets and groups by id: a file with no
    /// model, two models (or sets, or groups of a set) of one id, or estimates of a model the manifest does
    /// not list would be reported ambiguously or not at all. biasaudit never writes such a file (`run` refuses
    /// two `--model`s of one label), so it was edited or assembled by hand.
    public func firstInconsistency() -> (key: String, reason: String)? {
        let rewrite = "write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
        guard !manifest.models.isEmpty else {
            return ("manifest.models", "is empty: a results file describes at least one audited model; \(rewrite)")
        }
        var modelIDs: [String: Int] = [:]
        for (index, model) in manifest.models.enumerated() {
            if let first = modelIDs.updateValue(index, forKey: model.id) {
                modelIDs[model.id] = first
                return ("manifest.models[\(index)].id",
                        "'\(AuditJSON.shortExcerpt(model.id))' repeats the id of manifest.models[\(first)]: each model "
                            + "needs its own id (give each a label, --model LABEL=SPEC); \(rewrite)")
            }
        }
        if let found = firstRepeat(manifest.promptSets.map(\.name), key: "manifest.prompt_sets", field: "name", what: "prompt set") {
            return (found.key, found.reason + "; \(rewrite)")
        }
        if let found = firstRepeat(promptSets.map(\.name), key: "prompt_sets", field: "name", what: "prompt set") {
            return (found.key, found.reason + "; \(rewrite)")
        }
        for (setIndex, set) in promptSets.enumerated() {
            let setPath = "prompt_sets[\(setIndex)]"
            if let found = firstRepeat(set.groups.map(\.id), key: setPath + ".groups", field: "id", what: "group") {
                return (found.key, found.reason + "; \(rewrite)")
            }
            let models: [(String, String)] =
                set.groupEstimates.enumerated().map { ("\(setPath).group_estimates[\($0)].model", $1.model) }
                + set.contrasts.enumerated().map { ("\(setPath).contrasts[\($0)].model", $1.model) }
            for (key, model) in models where modelIDs[model] == nil {
                return (key, "'\(AuditJSON.shortExcerpt(model))' is not a model of manifest.models; \(rewrite)")
            }
        }
        for (index, comparison) in modelComparisons.enumerated() {
            for (field, model) in [("model_a", comparison.modelA), ("model_b", comparison.modelB)] where modelIDs[model] == nil {
                return ("model_comparisons[\(index)].\(field)",
                        "'\(AuditJSON.shortExcerpt(model))' is not a model of manifest.models; \(rewrite)")
            }
        }
        return nil
    }

    private func firstRepeat(_ values: [String], key: String, field: String, what: String) -> (key: String, reason: String)? {
        var seen: [String: Int] = [:]
        for (index, value) in values.enumerated() {
            if let first = seen[value] {
                return ("\(key)[\(index)].\(field)",
                        "'\(AuditJSON.shortExcerpt(value))' repeats the \(field) of \(key)[\(first)]: each \(what) needs its own \(field)")
            }
            seen[value] = index
        }
        return nil
    }
}
