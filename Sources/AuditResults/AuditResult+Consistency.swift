extension AuditResult {
    /// The first way the file contradicts itself, as a key path and a reason that says what to do, or nil.
    ///
    /// `report`, `check`, `diff` and `analyze` find models, prompt sets and groups by id: a file with no
    /// model, two models (or sets, or groups of a set) of one id, or estimates of a model the manifest does
    /// not list would be reported ambiguously or not at all. biasaudit never writes such a file (`run` refuses
    /// two `--model`s of one label), so it was edited or assembled by hand. The same holds for what `lint`
    /// and `run --sweep` refuse: a group label in a language no report has, or an empty one
    /// (``GroupInfo/labelLanguages``), and a sweep that audits one setting twice or holds rows of a model
    /// the manifest does not list.
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
            for (groupIndex, group) in set.groups.enumerated() {
                if let found = Self.firstBadLabel(group.labels, key: "\(setPath).groups[\(groupIndex)].labels") { return found }
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
        if let sweep {
            let rewriteSweep = "write the file again with `biasaudit run --sweep` rather than editing it"
            var settings: [SweepSetting: Int] = [:]
            for (index, setting) in sweep.settings.enumerated() {
                if let first = settings[setting] {
                    return ("sweep.settings[\(index)]",
                            "repeats sweep.settings[\(first)] (temperature \(setting.temperature), top_k \(setting.topK), top_p "
                                + "\(setting.topP)): a sweep audits each setting once; \(rewriteSweep)")
                }
                settings[setting] = index
            }
            let models: [(String, String)] =
                sweep.levels.enumerated().map { ("sweep.levels[\($0)].model", $1.model) }
                + sweep.contrasts.enumerated().map { ("sweep.contrasts[\($0)].model", $1.model) }
            for (key, model) in models where modelIDs[model] == nil {
                return (key, "'\(AuditJSON.shortExcerpt(model))' is not a model of manifest.models; \(rewriteSweep)")
            }
        }
        return nil
    }

    /// The first entry of a group's `labels` (at `key`) in a language that is not a report language, or
    /// that is empty; keys in sorted order, so the message does not depend on the file's key order.
    private static func firstBadLabel(_ labels: [String: String]?, key: String) -> (key: String, reason: String)? {
        let fix = "correct the group's `labels:` in the prompt set (`biasaudit lint` checks them) and run again, "
            + "or remove the entry from the results file"
        for (language, label) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard GroupInfo.labelLanguages.contains(language) else {
                return (key, "has '\(AuditJSON.shortExcerpt(language))', which is not a report language: a group's labels "
                    + "are keyed by one of " + GroupInfo.labelLanguages.joined(separator: ", ") + "; \(fix)")
            }
            if label.allSatisfy(\.isWhitespace) {
                return ("\(key).\(language)", "is empty: a label in a report language is the group's name in that "
                    + "language; \(fix)")
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

extension GroupInfo {
    /// The report languages (`report --lang`) a group's ``labels`` may name; the same list as the prompt
    /// sets' (`PromptGroup.labelLanguages`), which this target cannot see (a test holds them equal).
    public static let labelLanguages = ["en", "es"]
}
