import InputFiles
import Statistics
extension AuditResult {
    /// The first way the file contradicts itself, as a key path and a reason that says what to do, or nil.
    ///
    /// `report`, `check`, `diff` and `analyze` find models, prompt sets and groups by id: a file with no
    /// model, two models (or sets, or groups of a set) of one id, or estimates of a model the manifest does
    /// not list would be reported ambiguously or not at all. biasaudit never writes such a file (`run` refuses
    /// two `--model`s of one label), so it was edited or assembled by hand. The same holds for what `lint`
    /// and `run --sweep` refuse: a group label in a language no report has, or an empty one
    /// (``GroupInfo/labelLanguages``), and a sweep that audits one setting twice or holds rows of a model
    /// the manifest does not list. Every row names what it describes: a group of its own prompt set (group
    /// levels, contrasts, examples, counterfactual pairs, the sweep's rows), a prompt set of `prompt_sets`
    /// and a contrast of that set (model comparisons); `check` and the reports find them by these names, so
    /// a row that names nothing would be dropped without a word. Nor is a row the analysis always writes left out: a
    /// contrast of every two groups of a set on each of its metrics under each model
    /// (``firstMissingContrast(in:path:models:rewrite:)``), and a comparison of each tested contrast between every two
    /// models (``firstMissingComparison(rewrite:)``); nor the family and test of a tested contrast
    /// (``firstContrastMissingItsTest(in:path:rewrite:)``, and a compared contrast has a family), nor a metric the set's
    /// recorded `primary_metrics` test (``firstUnrecordedTest(in:path:rewrite:)``). A contrast's q-value is the Benjamini–Hochberg
    /// q of its family's p-values (``firstMisadjustedQValue(in:path:rewrite:)``), and a model comparison's that of its
    /// family, one set under one model pair (``firstMisadjustedComparisonQValue(rewrite:)``).
    /// - Parameter rewrite: what to do about a problem of the file's manifest and rows, ending each reason (`merge`
    ///   checks a shard's recorded run description with these rules, and says to run the shard again).
    public func firstInconsistency(
        rewrite: String = "write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
    ) -> (key: String, reason: String)? {
        guard !manifest.models.isEmpty else {
            return ("manifest.models", "is empty: a results file describes at least one audited model; \(rewrite)")
        }
        var modelIDs: [String: Int] = [:]  // each id's index, for the references below
        var readAlikeIDs: [String: Int] = [:]  // keyed by the id with every space lookalike read as a plain space
        // Names that hold an invisible character read alike in every output ("m\u{200b}2 vs m2", "GroupA − Group\u{200b}A"):
        // `run`, `analyze` and `lint` refuse them, and so does a results file (attack). Control characters and bidi
        // overrides are shown as escapes by every output, so a hand-edited name holding one is reported, inert.
        func hidden(_ scalar: Unicode.Scalar, in name: String) -> String {
            return "'\(AuditJSON.shortExcerpt(name))' holds the invisible character \(NameCharacters.code(scalar)), which "
                + "prints as nothing (two "
                + "names that differ only by it read alike); \(rewrite)"
        }
        // Names longer than a prompt set's or a model label's limit (hostile review: a 20,000,000-character group label
        // was copied into every report row, a 340 MB report.html): checked before anything quotes or compares them.
        var allNames = manifest.models.enumerated().map { ("manifest.models[\($0.offset)].id", $0.element.id) }
        allNames += manifest.promptSets.enumerated().map { ("manifest.prompt_sets[\($0.offset)].name", $0.element.name) }
        for (setIndex, set) in promptSets.enumerated() {
            let setPath = "prompt_sets[\(setIndex)]"
            allNames += [("\(setPath).name", set.name), ("\(setPath).axis", set.axis)]
            for (groupIndex, group) in set.groups.enumerated() {
                let path = "\(setPath).groups[\(groupIndex)]"
                allNames += [("\(path).id", group.id), ("\(path).label", group.label)]
                allNames += (group.labels ?? [:]).sorted { $0.key < $1.key }.map { ("\(path).labels.\($0.key)", $0.value) }
            }
        }
        for (key, name) in allNames {
            if let problem = NameCharacters.lengthProblem(name) { return (key, "\(problem); \(rewrite)") }
        }
        if let (key, problem) = firstLongText() { return (key, "\(problem); \(rewrite)") }
        for (index, model) in manifest.models.enumerated() {
            if let scalar = NameCharacters.firstInvisible(model.id, allowingJoiners: false) {
                return ("manifest.models[\(index)].id", hidden(scalar, in: model.id))
            }
            // As `run` and `analyze` refuse such labels (practitioner's review: "" printed "A = results.json ()").
            if model.id.isEmpty || model.id.trimmingCharacters(in: .whitespacesAndNewlines) != model.id {
                return ("manifest.models[\(index)].id", "'\(AuditJSON.shortExcerpt(model.id))' is empty or starts or ends "
                    + "with white space, which no model label may; \(rewrite)")
            }
            // Keyed by the id with every space lookalike (U+00A0, U+3000, …) read as a plain space: two ids equal so
            // read alike in every output, and are refused as a repeat. One such id alone is read (files from before
            // `run` refused such labels).
            // Since this version by every look-alike of `NameCharacters.readAlikeKey` (a Cyrillic "а" beside "a": a
            // hostile review).
            let plain = NameCharacters.readAlikeKey(model.id)
            if let first = readAlikeIDs[plain] {
                let other = manifest.models[first].id
                guard other != model.id else {
                    return ("manifest.models[\(index)].id",
                            "'\(AuditJSON.shortExcerpt(model.id))' repeats the id of manifest.models[\(first)]: each model "
                                + "needs its own id (give each a label, --model LABEL=SPEC); \(rewrite)")
                }
                // Both ids shown, each lookalike as its code, and the character named (a review: only the second was
                // quoted, which may be the plain one).
                // The white space named only where the ids differ by it alone, at the first place they differ (a review:
                // "x\u{a0}a" and "x\u{a0}а" were said to differ by the U+00A0 both hold).
                let plainSpaces = NameCharacters.readingSpaceLookalikesAsSpaces
                let lookalike = plainSpaces(model.id) == plainSpaces(other)
                    ? zip(model.id.unicodeScalars, other.unicodeScalars).first { $0 != $1 }
                        .map { NameCharacters.isSpaceLookalike($0.0) ? $0.0 : $0.1 }
                    : nil
                func shown(_ id: String) -> String { NameCharacters.showingLookalikes(AuditJSON.shortExcerpt(id)) }
                let difference = lookalike.map { "\(NameCharacters.spaceLookalikeName($0)), which prints as a plain space" }
                    ?? "characters that print alike (letters of another script or fullwidth forms, invisible joiners, "
                        + "runs of white space)"
                return ("manifest.models[\(index)].id",
                        "'\(shown(model.id))' reads as '\(shown(other))', the id of manifest.models[\(first)]: they differ "
                            + "only by \(difference); each model needs an id that reads as its own; \(rewrite)")
            }
            readAlikeIDs[plain] = index
            modelIDs[model.id] = index
        }
        if let found = firstRepeat(manifest.promptSets.map(\.name), key: "manifest.prompt_sets", field: "name", what: "prompt set") {
            return (found.key, found.reason + "; \(rewrite)")
        }
        if let found = firstRepeat(promptSets.map(\.name), key: "prompt_sets", field: "name", what: "prompt set") {
            return (found.key, found.reason + "; \(rewrite)")
        }
        for (setIndex, set) in promptSets.enumerated() {
            let setPath = "prompt_sets[\(setIndex)]"
            var names = [("\(setPath).name", set.name), ("\(setPath).axis", set.axis)]
            for (groupIndex, group) in set.groups.enumerated() {
                let path = "\(setPath).groups[\(groupIndex)]"
                names += [("\(path).id", group.id), ("\(path).label", group.label)]
                names += (group.labels ?? [:]).sorted { $0.key < $1.key }.map { ("\(path).labels.\($0.key)", $0.value) }
            }
            for (key, name) in names {
                if let scalar = NameCharacters.firstInvisible(name, allowingJoiners: true) { return (key, hidden(scalar, in: name)) }
            }
            if let found = firstRepeat(set.groups.map(\.id), key: setPath + ".groups", field: "id", what: "group") {
                return (found.key, found.reason + "; \(rewrite)")
            }
            // A hostile review: a metric listed 50,000 times made `report` run 563 s and write a 156 MB report.html; an
            // empty list left the contrasts in the report and `check` said the metric did not exist.
            var metricIndex: [AuditMetric: Int] = [:]
            for (index, metric) in set.metrics.enumerated() {
                if let first = metricIndex.updateValue(index, forKey: metric) {
                    return ("\(setPath).metrics[\(index)]", "'\(metric.rawValue)' repeats \(setPath).metrics[\(first)]: each "
                        + "metric is listed once; \(rewrite)")
                }
            }
            for (index, contrast) in set.contrasts.enumerated() where metricIndex[contrast.metric] == nil {
                return ("\(setPath).contrasts[\(index)].metric", "'\(contrast.metric.rawValue)' is not one of \(setPath).metrics; "
                    + "\(rewrite)")
            }
            // A metric deleted from the list leaves no estimate behind, and a set keeps at least one metric (a review: a
            // metric deleted from one of several sets passed `check`, whose rule on it was judged on the other sets).
            for (index, group) in set.groupEstimates.enumerated() {
                for (position, value) in group.estimates.enumerated() where metricIndex[value.metric] == nil {
                    return ("\(setPath).group_estimates[\(index)].estimates[\(position)].metric", "'\(value.metric.rawValue)' "
                        + "is not one of \(setPath).metrics: a group's estimates are of the metrics its set audits; \(rewrite)")
                }
            }
            if set.metrics.isEmpty {
                return ("\(setPath).metrics", "is empty: biasaudit audits every prompt set on the sentiment metrics, the "
                    + "gender metrics or both; \(rewrite)")
            }
            // A group's estimate of one metric twice (a code review: 5,000 repeats loaded without a word).
            for (index, group) in set.groupEstimates.enumerated() {
                var seen: [AuditMetric: Int] = [:]
                for (position, value) in group.estimates.enumerated() {
                    if let first = seen.updateValue(position, forKey: value.metric) {
                        let path = "\(setPath).group_estimates[\(index)].estimates"
                        return ("\(path)[\(position)].metric", "'\(value.metric.rawValue)' repeats \(path)[\(first)]: a group has "
                            + "one estimate of each metric; \(rewrite)")
                    }
                }
            }
            if let found = Self.firstBadLabel(set.descriptions, key: "\(setPath).descriptions", field: "descriptions")
                ?? Self.firstBadLabel(set.sources, key: "\(setPath).sources", field: "sources")
            {
                return found
            }
            for (groupIndex, group) in set.groups.enumerated() {
                if group.label.allSatisfy(\.isWhitespace) {
                    return ("\(setPath).groups[\(groupIndex)].label", "is empty: a group's label names it in the reports "
                        + "(`lint` refuses an empty `label:`; without one the group's id is its label); \(rewrite)")
                }
                if let found = Self.firstBadLabel(group.labels, key: "\(setPath).groups[\(groupIndex)].labels") { return found }
            }
            // Two groups whose labels read alike in a report language, which `lint` and `run` refuse (a hostile review: an
            // edited file showed "Female-dominated occupations − Female-dominated occupations" 22 times). Control
            // characters in names are let through: every output shows them as escapes (HostileResultsTests).
            for language in ["en", "es"] {
                var seen: [String: (index: Int, shown: String)] = [:]
                for (groupIndex, group) in set.groups.enumerated() {
                    let english = group.labels?["en"] ?? group.label
                    let shown = language == "en" ? english : group.labels?[language] ?? english
                    let key = NameCharacters.readAlikeKey(shown)
                    if let first = seen[key] {
                        let field = group.labels?[language] != nil ? "labels.\(language)"
                            : group.labels?["en"] != nil ? "labels.en" : "label"
                        // Look-alike letters shown escaped, beside the label they read as (a code review: "'Сhristian'
                        // reads as the en label of …" with a Cyrillic С read as a tautology).
                        let quoted = NameCharacters.showingLookalikes(AuditJSON.shortExcerpt(shown))
                        let other = NameCharacters.showingLookalikes(AuditJSON.shortExcerpt(first.shown))
                        return ("\(setPath).groups[\(groupIndex)].\(field)", "'\(quoted)' reads as "
                            + (other == quoted ? "" : "'\(other)', ") + "the \(language) label of "
                            + "\(setPath).groups[\(first.index)]: the reports name groups by their labels, so each group needs "
                            + "its own (`lint` refuses such a set); \(rewrite)")
                    }
                    seen[key] = (groupIndex, shown)
                }
            }
            for (index, contrast) in set.contrasts.enumerated() {
                let key = "\(setPath).contrasts[\(index)]"
                if contrast.groupA == contrast.groupB {
                    return ("\(key).group_b", "is '\(AuditJSON.shortExcerpt(contrast.groupB))', the same group as group_a: a "
                        + "contrast compares two groups; \(rewrite)")
                }
                if let reason = Self.supportContradiction(
                    contrast.difference, pValue: contrast.pValue, qValue: contrast.qValue,
                    groups: [contrast.groupA, contrast.groupB])
                {
                    return ("\(key).difference", reason + "; \(rewrite)")
                }
                if let positions = contrast.templatesCompared,
                    let bad = positions.indices.first(where: {
                        positions[$0] < 1 || positions[$0] > set.templates.count || ($0 > 0 && positions[$0] <= positions[$0 - 1])
                    })
                {
                    return ("\(key).templates_compared[\(bad)]", "is \(positions[bad]): templates_compared lists positions "
                        + "in the set's templates (1 to \(set.templates.count)) in ascending order, each once; \(rewrite)")
                }
                // Every template is written as no key (attack: the full list read as "different templates" beside a
                // contrast without the key); none means the groups share no template, so no value (attack: a finding
                // on [] was reported).
                if let positions = contrast.templatesCompared, !positions.isEmpty, positions.count == set.templates.count {
                    return ("\(key).templates_compared", "lists every template of the set: the key is left out when a "
                        + "contrast compares its groups on every template; \(rewrite)")
                }
                if contrast.sharesNoTemplate, contrast.difference.value != nil {
                    return ("\(key).difference.value", "is a number, but templates_compared is []: groups that share no "
                        + "template have no contrast; \(rewrite)")
                }
                if let found = Self.numbersProblem(contrast.difference, p: contrast.pValue, q: contrast.qValue)
                    ?? Self.effectSizeProblem(contrast)
                    ?? Self.qWithoutP(p: contrast.pValue, q: contrast.qValue, family: contrast.family)
                    ?? (manifest.parameters.analysis == nil
                        ? nil : Self.testContradictsInterval(contrast.difference, p: contrast.pValue, level: manifest.parameters.confidenceLevel))
                    ?? (manifest.parameters.analysis == nil || contrast.metric.isRate
                        ? nil : Self.spreadContradictsInterval(
                            contrast.difference, level: manifest.parameters.confidenceLevel, bound: contrast.metric.contrastBound))
                {
                    return ("\(key).\(found.field)", found.reason + "; \(rewrite)")
                }
            }
            if let found = firstUnrecordedTest(in: set, path: setPath, rewrite: rewrite)
                ?? firstContrastMissingItsTest(in: set, path: setPath, rewrite: rewrite)
            {
                return found
            }
            // Review: a contrast repeated with the same id and model was counted twice by `check`.
            var seen: [String: Int] = [:]
            for (index, contrast) in set.contrasts.enumerated() {
                let identity = contrast.id + "\u{0}" + contrast.model
                if let first = seen.updateValue(index, forKey: identity) {
                    return ("\(setPath).contrasts[\(index)]", "repeats contrast '\(AuditJSON.shortExcerpt(contrast.id))' under "
                        + "model '\(AuditJSON.shortExcerpt(contrast.model))' of \(setPath).contrasts[\(first)]; \(rewrite)")
                }
            }
            var seenLevels: [String: Int] = [:]
            for (index, group) in set.groupEstimates.enumerated() {
                // Review: a repeated row was counted twice by `check`, and a level outside its interval was gated on.
                if let first = seenLevels.updateValue(index, forKey: group.group + "\u{0}" + group.model) {
                    return ("\(setPath).group_estimates[\(index)]", "repeats group '\(AuditJSON.shortExcerpt(group.group))' under "
                        + "model '\(AuditJSON.shortExcerpt(group.model))' of \(setPath).group_estimates[\(first)]; \(rewrite)")
                }
                for (metricIndex, value) in group.estimates.enumerated() {
                    let key = "\(setPath).group_estimates[\(index)].estimates[\(metricIndex)].estimate"
                    if let reason = Self.supportContradiction(value.estimate, pValue: nil, qValue: nil, groups: []) {
                        return (key, reason + "; \(rewrite)")
                    }
                    if let found = Self.numbersProblem(value.estimate, p: nil, q: nil) {
                        return (key + found.field.replacingOccurrences(of: "difference", with: ""), found.reason + "; \(rewrite)")
                    }
                    // A level of the completions is over at most the group's completions (a practitioner's review:
                    // `completions: 10` beside n = 240 was read, and the report's header counted 10); the log-odds are
                    // over prompts.
                    if value.metric != .heSheLogOdds, value.estimate.n > group.completions {
                        return ("\(setPath).group_estimates[\(index)].completions", "is \(group.completions), but "
                            + "estimates[\(metricIndex)] (\(value.metric.rawValue)) is over n = \(value.estimate.n) of the "
                            + "group's completions; \(rewrite)")
                    }
                }
            }
            // Every row that names a model (review: examples and pairs of 50,000 made-up models went past the
            // report's cap of 10 per model, and a model "nope" was shown).
            let models: [(String, String)] =
                set.groupEstimates.enumerated().map { ("\(setPath).group_estimates[\($0)].model", $1.model) }
                + set.contrasts.enumerated().map { ("\(setPath).contrasts[\($0)].model", $1.model) }
                + set.examples.enumerated().map { ("\(setPath).examples[\($0)].model", $1.model) }
                + (set.counterfactualPairs ?? []).enumerated().map { ("\(setPath).counterfactual_pairs[\($0)].model", $1.model) }
                + (set.labourStatistics ?? []).enumerated().map { ("\(setPath).labour_statistics[\($0)].model", $1.model) }
                + (set.contextFull ?? []).enumerated().map { ("\(setPath).context_full[\($0)].model", $1.model) }
            for (key, model) in models where modelIDs[model] == nil {
                return (key, "'\(AuditJSON.shortExcerpt(model))' is not a model of manifest.models; \(rewrite)")
            }
            // One count per model (hostile review: two made two contradictory notes).
            var countedModels: [String: Int] = [:]
            for (index, count) in (set.contextFull ?? []).enumerated() {
                if let first = countedModels.updateValue(index, forKey: count.model) {
                    return ("\(setPath).context_full[\(index)]", "repeats model '\(AuditJSON.shortExcerpt(count.model))' of "
                        + "\(setPath).context_full[\(first)]: a set has one count per model; \(rewrite)")
                }
            }
            if let found = Self.firstStrangerGroup(in: set, path: setPath) { return (found.key, found.reason + "; \(rewrite)") }
            // A contrast compares two levels of its model that the set holds (hostile review: a set whose group_estimates
            // were emptied kept its contrasts, and `check` passed their rules as insufficient data).
            let levels = Set(set.groupEstimates.map { $0.group + "\u{0}" + $0.model })
            for (index, contrast) in set.contrasts.enumerated() {
                for (field, group) in [("group_a", contrast.groupA), ("group_b", contrast.groupB)]
                where !levels.contains(group + "\u{0}" + contrast.model) {
                    return ("\(setPath).contrasts[\(index)].\(field)", "'\(AuditJSON.shortExcerpt(group))' has no level under "
                        + "model '\(AuditJSON.shortExcerpt(contrast.model))' in \(setPath).group_estimates"
                        + (set.groupEstimates.isEmpty ? ", which is empty" : "") + ": a contrast compares two groups' levels; "
                        + "\(rewrite)")
                }
            }
            // The manifest counts the prompts the set expands to; its groups share them out (every prompt is of one
            // group). A group deleted with its rows (hostile review: an injected group's groups entry, levels and
            // contrasts removed passed `check --strict`) leaves the groups with fewer prompts than the manifest's.
            if let entry = manifest.promptSets.firstIndex(where: { $0.name == set.name }) {
                var groupPrompts = 0, overflow = false
                for group in set.groups where !overflow {
                    (groupPrompts, overflow) = groupPrompts.addingReportingOverflow(group.promptCount)
                }
                let expected = manifest.promptSets[entry].promptCount
                if overflow || groupPrompts != expected {
                    return ("\(setPath).groups", "hold \(overflow ? "more than \(Int.max)" : "\(groupPrompts)") prompts "
                        + "among them, where manifest.prompt_sets[\(entry)].prompt_count says the set has \(expected): each "
                        + "of a set's prompts is of one of its groups, so a group was removed or a count edited; \(rewrite)")
                }
            }
            if let found = firstGroupCoverageProblem(in: set, path: setPath, rewrite: rewrite) { return found }
            if let found = firstMissingContrast(in: set, path: setPath, models: manifest.models.map(\.id), rewrite: rewrite) {
                return found
            }
            if let found = firstMisadjustedQValue(in: set, path: setPath, rewrite: rewrite) { return found }
            for (index, contrast) in set.contrasts.enumerated() {
                // Against the levels, after their own checks (a repeated level is named as such, not through a contrast).
                if let reason = Self.thinnerGroupProblem(contrast, levels: set.groupEstimates) {
                    return ("\(setPath).contrasts[\(index)].difference.insufficient_detail.group", reason + "; \(rewrite)")
                }
                // A contrast's id names its set, metric and groups, A first (a review: group_a and group_b swapped under
                // the same id were read, and the report printed B − A as "A − B").
                let id = "\(set.name)/\(contrast.metric.rawValue)/\(contrast.groupA)-vs-\(contrast.groupB)"
                guard contrast.id != id else { continue }
                return ("\(setPath).contrasts[\(index)].id", "is '\(AuditJSON.shortExcerpt(contrast.id))', but its set, metric, "
                    + "group_a and group_b make '\(AuditJSON.shortExcerpt(id))': a contrast's id is "
                    + "<set>/<metric>/<group_a>-vs-<group_b>; \(rewrite)")
            }
        }
        var setIndices: [String: Int] = [:]
        for (index, set) in promptSets.enumerated() { setIndices[set.name] = index }
        var contrastIDs: [Int: Set<String>] = [:]  // built for the sets comparisons name, once each
        var contrastsByModel: [Int: [PromptSetResult.ContrastKey: Contrast]] = [:]  // likewise
        var comparisonIDs: [String: Int] = [:]
        for (index, comparison) in modelComparisons.enumerated() {
            let key = "model_comparisons[\(index)]"
            for (field, model) in [("model_a", comparison.modelA), ("model_b", comparison.modelB)] where modelIDs[model] == nil {
                return ("\(key).\(field)", "'\(AuditJSON.shortExcerpt(model))' is not a model of manifest.models; \(rewrite)")
            }
            let level = manifest.parameters.analysis == nil ? nil : manifest.parameters.confidenceLevel
            if let found = Self.comparisonProblem(comparison, level: level) { return ("\(key).\(found.field)", found.reason + "; \(rewrite)") }
            // (a, b) and (b, a) are one comparison, reversed (review: `check` counted it twice).
            let identity = [comparison.set, comparison.contrastID] + [comparison.modelA, comparison.modelB].sorted()
            if let first = comparisonIDs.updateValue(index, forKey: identity.joined(separator: "\u{0}")) {
                return (key, "repeats model_comparisons[\(first)] (the same contrast and models, "
                    + "in either order); \(rewrite)")
            }
            guard let setIndex = setIndices[comparison.set] else {
                return ("\(key).set", "'\(AuditJSON.shortExcerpt(comparison.set))' is not a prompt set of prompt_sets; \(rewrite)")
            }
            if contrastIDs[setIndex] == nil { contrastIDs[setIndex] = Set(promptSets[setIndex].contrasts.map(\.id)) }
            if !contrastIDs[setIndex]!.contains(comparison.contrastID) {
                return ("\(key).contrast_id", "'\(AuditJSON.shortExcerpt(comparison.contrastID))' is not the id of a contrast "
                    + "of prompt_sets[\(setIndex)] ('\(AuditJSON.shortExcerpt(comparison.set))'); \(rewrite)")
            }
            // A comparison whose two contrasts rest on different templates is untested (undetermined): a stored test
            // beside them would be shown by the report and `diff` while `check` calls it insufficient data (attack).
            if contrastsByModel[setIndex] == nil { contrastsByModel[setIndex] = promptSets[setIndex].contrastsByIDAndModel() }
            // Only the contrasts of tested metrics are compared, and each has its family: one stripped of it (with its
            // p_value and q_value, under every model, which ``firstContrastMissingItsTest(in:path:rewrite:)`` cannot tell
            // from a metric `primary_metrics:` leaves out) is found by its comparison. Schema 1 compared every metric.
            if manifest.parameters.analysis != nil {
                for model in [comparison.modelA, comparison.modelB] {
                    guard let contrast = contrastsByModel[setIndex]![.init(id: comparison.contrastID, model: model)],
                        contrast.family == nil,
                        let position = promptSets[setIndex].contrasts.firstIndex(where: {
                            $0.id == comparison.contrastID && $0.model == model
                        })
                    else { continue }
                    return ("prompt_sets[\(setIndex)].contrasts[\(position)].family", "is missing, but \(key) compares this "
                        + "contrast between models: biasaudit compares only the contrasts of a set's tested metrics, each "
                        + "tested in its family (\"\(AuditJSON.shortExcerpt(comparison.set))/\(AuditJSON.shortExcerpt(model))\") "
                        + "with its p_value and q_value; \(rewrite)")
                }
            }
            if let found = thinnerGroupProblem(comparison, contrasts: contrastsByModel[setIndex]!, setIndex: setIndex) {
                return ("\(key).\(found.field).insufficient_detail.group", found.reason + "; \(rewrite)")
            }
            // contrast_a is model_a's contrast as its set lists it, and contrast_b model_b's (a practitioner's review:
            // model_a and model_b swapped in every comparison were read, and `diff` gave each model the other's gap and
            // the opposite verdict).
            for (field, model, side) in [("contrast_a", comparison.modelA, comparison.contrastA),
                                         ("contrast_b", comparison.modelB, comparison.contrastB)] {
                guard let listed = contrastsByModel[setIndex]![.init(id: comparison.contrastID, model: model)],
                    let stated = side?.value, let own = listed.difference.value,
                    abs(stated - own) > Self.numberTolerance * max(1, abs(own))
                else { continue }
                return ("\(key).\(field).value", "is \(stated), but the contrast '\(AuditJSON.shortExcerpt(comparison.contrastID))' "
                    + "of model '\(AuditJSON.shortExcerpt(model))' (\(field == "contrast_a" ? "model_a" : "model_b")) is \(own) in "
                    + "prompt_sets[\(setIndex)].contrasts: a comparison's contrast_a and contrast_b are its models' contrasts; "
                    + "\(rewrite)")
            }
            if let a = contrastsByModel[setIndex]![.init(id: comparison.contrastID, model: comparison.modelA)],
                let b = contrastsByModel[setIndex]![.init(id: comparison.contrastID, model: comparison.modelB)],
                !a.comparesTheSameTemplates(as: b),
                comparison.difference.lower != nil || comparison.pMoreBiased != nil || comparison.pLessBiased != nil
                    || comparison.qValue != nil
            {
                return (key, "has a test of B − A, but its two contrasts compare their groups on different templates "
                    + "(templates_compared of '\(AuditJSON.shortExcerpt(comparison.contrastID))' under "
                    + "'\(AuditJSON.shortExcerpt(comparison.modelA))' and '\(AuditJSON.shortExcerpt(comparison.modelB))'): "
                    + "such a comparison has no interval or test and is undetermined; \(rewrite)")
            }
            if comparison.onDifferentTerms == true,
                comparison.difference.lower != nil || comparison.pMoreBiased != nil || comparison.pLessBiased != nil
                    || comparison.qValue != nil
            {
                return (key, "has a test of B − A, but on_different_terms says its two contrasts rest on different terms of "
                    + "a group: such a comparison has no interval or test and is undetermined; \(rewrite)")
            }
            if let found = differentTermsProblem(
                comparison, key: key, contrasts: contrastsByModel[setIndex]!, groups: promptSets[setIndex].groups)
            {
                return (found.key, found.reason + "; \(rewrite)")
            }
        }
        if let found = firstMissingComparison(rewrite: rewrite) { return found }
        if let found = firstMisadjustedComparisonQValue(rewrite: rewrite) { return found }
        // After the q-values: a q edited with its verdict left is a q-value edited, not a verdict.
        for (index, comparison) in modelComparisons.enumerated() {
            if let found = Self.verdictProblem(comparison, threshold: manifest.parameters.findingThreshold) {
                return ("model_comparisons[\(index)].\(found.field)", found.reason + "; \(rewrite)")
            }
        }
        // Each speed record names a model of the manifest, once (hostile review: a made-up model and a second row of one
        // model were shown in the Speed table).
        var timedModels: [String: Int] = [:]
        for (index, speed) in (timing.models ?? []).enumerated() {
            let key = "timing.models[\(index)]"
            if modelIDs[speed.model] == nil {
                return ("\(key).model", "'\(AuditJSON.shortExcerpt(speed.model))' is not a model of manifest.models; \(rewrite)")
            }
            if let first = timedModels.updateValue(index, forKey: speed.model) {
                return (key, "repeats model '\(AuditJSON.shortExcerpt(speed.model))' of timing.models[\(first)]: each model "
                    + "has one speed record; \(rewrite)")
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
            if let found = Self.firstSweepShapeProblem(sweep) { return (found.key, found.reason + "; \(rewriteSweep)") }
            let models: [(String, String)] =
                sweep.levels.enumerated().map { ("sweep.levels[\($0)].model", $1.model) }
                + sweep.contrasts.enumerated().map { ("sweep.contrasts[\($0)].model", $1.model) }
            for (key, model) in models where modelIDs[model] == nil {
                return (key, "'\(AuditJSON.shortExcerpt(model))' is not a model of manifest.models; \(rewriteSweep)")
            }
            let setNames = Set(promptSets.map(\.name))
            let rows: [(String, SweepSetting, String)] =
                sweep.levels.enumerated().map { ("sweep.levels[\($0)]", $1.setting, $1.promptSet) }
                + sweep.contrasts.enumerated().map { ("sweep.contrasts[\($0)]", $1.setting, $1.promptSet) }
            for (key, setting, set) in rows {
                if settings[setting] == nil {
                    return ("\(key).setting", "(\(Self.describe(setting))) is not one of sweep.settings; \(rewriteSweep)")
                }
                if !setNames.contains(set) {
                    return ("\(key).prompt_set",
                            "'\(AuditJSON.shortExcerpt(set))' is not a prompt set of prompt_sets; \(rewriteSweep)")
                }
            }
            var groupsBySet: [String: (index: Int, groups: Set<String>)] = [:]
            for (index, set) in promptSets.enumerated() { groupsBySet[set.name] = (index, Set(set.groups.map(\.id))) }
            func stranger(_ group: String, of set: String, _ key: @autoclosure () -> String) -> (key: String, reason: String)? {
                let (setIndex, groups) = groupsBySet[set]!  // every row's set was found above
                guard !groups.contains(group) else { return nil }
                return (key(), Self.strangerGroup(group, setPath: "prompt_sets[\(setIndex)]", empty: groups.isEmpty) + "; \(rewriteSweep)")
            }
            for (index, level) in sweep.levels.enumerated() {
                if let found = stranger(level.group, of: level.promptSet, "sweep.levels[\(index)].group") { return found }
            }
            for (index, contrast) in sweep.contrasts.enumerated() {
                let key = "sweep.contrasts[\(index)]"
                if let found = stranger(contrast.groupA, of: contrast.promptSet, key + ".group_a")
                    ?? stranger(contrast.groupB, of: contrast.promptSet, key + ".group_b")
                {
                    return found
                }
            }
            // A row given twice, as in the main sections (hostile review: the report showed the last of two levels).
            var seenLevels: [SweepRowKey: Int] = [:]
            for (index, level) in sweep.levels.enumerated() {
                let identity = SweepRowKey(
                    setting: level.setting, model: level.model, set: level.promptSet, metric: level.metric, row: level.group)
                if let first = seenLevels.updateValue(index, forKey: identity) {
                    return ("sweep.levels[\(index)]", "repeats sweep.levels[\(first)] (the same setting, model, prompt set, "
                        + "group and metric); \(rewriteSweep)")
                }
            }
            var seenContrasts: [SweepRowKey: Int] = [:]
            for (index, contrast) in sweep.contrasts.enumerated() {
                let identity = SweepRowKey(
                    setting: contrast.setting, model: contrast.model, set: contrast.promptSet, metric: contrast.metric,
                    row: contrast.id)
                if let first = seenContrasts.updateValue(index, forKey: identity) {
                    return ("sweep.contrasts[\(index)]", "repeats sweep.contrasts[\(first)] (the same setting, model, prompt "
                        + "set, contrast and metric); \(rewriteSweep)")
                }
            }
        }
        // The injected tokens' counts name a model, a prompt set and group of the file, and a bias of its manifest (a
        // report would otherwise print the counts of a token nobody injected).
        // A token given twice on one group is read (builds before 2026-12-01 accepted `--inject-bias` so, and added the
        // logits; final review: refusing it left those runs without a way out).
        let biases = Set((manifest.parameters.injectedBiases ?? []).map { $0.group + "\u{0}" + $0.token })
        var seenDraws: [String: Int] = [:]
        for (index, draws) in (injectedBiasDraws ?? []).enumerated() {
            let key = "injected_bias_draws[\(index)]"
            let rewriteDraws = "write the file again with `biasaudit run` or `biasaudit analyze RUN_DIR` rather than editing it"
            let identity = [draws.group, draws.token, draws.model, draws.promptSet].joined(separator: "\u{0}")
            if let first = seenDraws.updateValue(index, forKey: identity) {
                return (key, "repeats injected_bias_draws[\(first)] (the same group, token, model and prompt set); \(rewriteDraws)")
            }
            if modelIDs[draws.model] == nil {
                return ("\(key).model", "'\(AuditJSON.shortExcerpt(draws.model))' is not a model of manifest.models; \(rewriteDraws)")
            }
            guard let set = promptSets.firstIndex(where: { $0.name == draws.promptSet }) else {
                return ("\(key).prompt_set",
                        "'\(AuditJSON.shortExcerpt(draws.promptSet))' is not a prompt set of prompt_sets; \(rewriteDraws)")
            }
            if !promptSets[set].groups.contains(where: { $0.id == draws.group }) {
                return ("\(key).group", Self.strangerGroup(draws.group, setPath: "prompt_sets[\(set)]",
                                                            empty: promptSets[set].groups.isEmpty) + "; \(rewriteDraws)")
            }
            if !biases.contains(draws.group + "\u{0}" + draws.token) {
                return ("\(key).token", "'\(AuditJSON.shortExcerpt(draws.token))' on group '\(AuditJSON.shortExcerpt(draws.group))' "
                    + "is not one of manifest.parameters.injected_biases; \(rewriteDraws)")
            }
            // The wholes are the set's completions (review: "22 of the group's 23" beside a level of 24 completions).
            let estimates = promptSets[set].groupEstimates.filter { $0.model == draws.model }
            // Saturating: this check may run without the range check that bounds each count.
            let own = estimates.filter { $0.group == draws.group }.map(\.completions).saturatingSum()
            let others = estimates.filter { $0.group != draws.group }.map(\.completions).saturatingSum()
            if !estimates.isEmpty, draws.completions != own || draws.otherCompletions != others {
                return (key, "counts \(draws.completions) completions of the group and \(draws.otherCompletions) of the others, "
                    + "but prompt_sets[\(set)].group_estimates count \(own) and \(others) under that model; \(rewriteDraws)")
            }
        }
        return nil
    }

    /// The first row of `set` that names a group `set.groups` does not hold, as a key path and a reason:
    /// a group level, either side of a contrast, an example, either side of a counterfactual pair.
    private static func firstStrangerGroup(in set: PromptSetResult, path: String) -> (key: String, reason: String)? {
        let groups = Set(set.groups.map(\.id))
        func stranger(_ group: String, _ key: @autoclosure () -> String) -> (key: String, reason: String)? {
            groups.contains(group) ? nil : (key(), strangerGroup(group, setPath: path, empty: groups.isEmpty))
        }
        for (index, row) in set.groupEstimates.enumerated() {
            if let found = stranger(row.group, "\(path).group_estimates[\(index)].group") { return found }
        }
        for (index, contrast) in set.contrasts.enumerated() {
            let key = "\(path).contrasts[\(index)]"
            if let found = stranger(contrast.groupA, key + ".group_a") ?? stranger(contrast.groupB, key + ".group_b") { return found }
        }
        for (index, example) in set.examples.enumerated() {
            if let found = stranger(example.group, "\(path).examples[\(index)].group") { return found }
        }
        for (index, pair) in (set.counterfactualPairs ?? []).enumerated() {
            let key = "\(path).counterfactual_pairs[\(index)]"
            if let found = stranger(pair.a.group, key + ".a.group") ?? stranger(pair.b.group, key + ".b.group") { return found }
        }
        return nil
    }

    /// "'nobody' is not a group of prompt_sets[0].groups" (", which is empty" when it is).
    private static func strangerGroup(_ group: String, setPath: String, empty: Bool) -> String {
        "'\(AuditJSON.shortExcerpt(group))' is not a group of \(setPath).groups" + (empty ? ", which is empty" : "")
    }

    /// The first way a sweep's parameters, settings and base disagree, as `run --sweep` writes them: the
    /// parameters are distinct names of temperature, top_k and top_p, each with at least one value; the
    /// settings are every combination of their values (as many, each value one of its parameter's); the base
    /// is the first setting, the one the main sections describe.
    private static func firstSweepShapeProblem(_ sweep: SweepResult) -> (key: String, reason: String)? {
        let names = ["temperature", "top_k", "top_p"]
        guard !sweep.parameters.isEmpty else {
            return ("sweep.parameters", "is empty: a sweep varies at least one of " + names.joined(separator: ", "))
        }
        var combinations = 1
        var seen: [String: Int] = [:]
        for (index, parameter) in sweep.parameters.enumerated() {
            let key = "sweep.parameters[\(index)]"
            guard names.contains(parameter.name) else {
                return ("\(key).name", "'\(AuditJSON.shortExcerpt(parameter.name))' is not a sampling parameter a sweep "
                    + "varies (" + names.joined(separator: ", ") + ")")
            }
            if let first = seen.updateValue(index, forKey: parameter.name) {
                return ("\(key).name", "'\(parameter.name)' repeats sweep.parameters[\(first)]: each parameter is swept once")
            }
            guard !parameter.values.isEmpty else { return ("\(key).values", "is empty: a swept parameter has values") }
            let (product, overflow) = combinations.multipliedReportingOverflow(by: parameter.values.count)
            combinations = overflow ? Int.max : product
        }
        guard sweep.settings.count == combinations else {
            return ("sweep.settings", "holds \(sweep.settings.count) settings, but the swept values of sweep.parameters "
                + "make \(combinations == Int.max ? "more" : String(combinations)) (every combination)")
        }
        for (index, setting) in sweep.settings.enumerated() {
            for (parameterIndex, parameter) in sweep.parameters.enumerated() {
                guard let value = setting.value(of: parameter.name), parameter.values.contains(value) else {
                    return ("sweep.settings[\(index)]",
                            "(\(describe(setting))) has a \(parameter.name) that is not among sweep.parameters[\(parameterIndex)].values")
                }
            }
        }
        guard sweep.settings.first == sweep.base else {
            return ("sweep.base", "(\(describe(sweep.base))) is not sweep.settings[0], the setting the main sections describe")
        }
        return nil
    }

    /// What a sweep row describes: a group's level (`row` the group) or a contrast (`row` its id) of one model, prompt
    /// set and metric at one setting.
    private struct SweepRowKey: Hashable {
        let setting: SweepSetting
        let model: String
        let set: String
        let metric: AuditMetric
        let row: String
    }

    /// "temperature 0.5, top_k 50, top_p 0.9".
    private static func describe(_ setting: SweepSetting) -> String {
        "temperature \(setting.temperature), top_k \(setting.topK), top_p \(setting.topP)"
    }

    /// The first entry of a group's `labels` (at `key`) in a language that is not a report language, or
    /// that is empty; keys in sorted order, so the message does not depend on the file's key order.
    /// A group's `labels`, or a set's `descriptions` or `sources` (`field`), keyed by a language that is not a report
    /// language or holding an empty text.
    private static func firstBadLabel(
        _ labels: [String: String]?, key: String, field: String = "labels"
    ) -> (key: String, reason: String)? {
        let owner = field == "labels" ? "the group's" : "the set's"
        let fix = "correct \(owner) `\(field):` in the prompt set (`biasaudit lint` checks them) and run again, "
            + "or remove the entry from the results file"
        for (language, label) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard GroupInfo.labelLanguages.contains(language) else {
                return (key, "has '\(AuditJSON.shortExcerpt(language))', which is not a report language: "
                    + "\(field == "labels" ? "a group's" : "a set's") \(field) "
                    + "are keyed by one of " + GroupInfo.labelLanguages.joined(separator: ", ") + "; \(fix)")
            }
            if label.allSatisfy(\.isWhitespace) {
                return ("\(key).\(language)", field == "labels"
                    ? "is empty: a label in a report language is the group's name in that language; \(fix)"
                    : "is empty: \(owner) \(field) in a report language replace its English text there; \(fix)")
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

    /// How an estimate's support marks contradict the rest of it, or nil. `insufficient` (the English text)
    /// and `insufficient_detail` are written together, and an estimate marked too thin has no interval, no
    /// p-value and no q-value; a detail's observed support lies below its minimum. Readers decide "too thin"
    /// from either field, so a file that breaks this would be a finding in one output and "insufficient
    /// data" in another.
    /// How far a value may lie outside its interval, or a q below its p, from rounding: relative to the numbers' size.
    static let numberTolerance = 1e-9

    /// A contrast's numbers that contradict each other (review: a value of 0.9 beside its interval [−0.10, 0.04]
    /// was gated on; a q-value below its p): the value outside [lower, upper], or q < p (Benjamini–Hochberg never
    /// lowers a p-value). Nil when they agree.
    static func numbersProblem(_ estimate: MetricEstimate, p: Double?, q: Double?) -> (field: String, reason: String)? {
        if let value = estimate.value, let lower = estimate.lower, let upper = estimate.upper {
            let slack = numberTolerance * max(1, abs(lower), abs(upper))
            if value < lower - slack || value > upper + slack {
                return ("difference.value", "is \(value), outside its interval [\(lower), \(upper)]; an estimate lies "
                    + "inside its interval")
            }
        }
        if let p, let q, qBelowP(q, p) {
            return ("q_value", "is \(q), below the p-value \(p); a Benjamini–Hochberg q-value is at least its p-value")
        }
        return nil
    }

    /// A contrast whose test and interval disagree on the null (hostile review 83: p = q = 0.9 typed over a contrast
    /// whose interval [−1.22, −0.62] excludes 0 was read, and the report said "no finding" beside that interval).
    /// Since schema 2 each contrast's p-value and interval come from one construction (a t test and its interval;
    /// for rates and shares p inverts the MOVER interval), so p < 1 − level exactly when the interval excludes 0
    /// (README, "Which statistic answers which question"). Schema-1 files (permutation p, bootstrap interval) could
    /// disagree and are not checked (the caller passes only files with analysis settings).
    ///
    /// Only a clear contradiction is one: p at least 0.01 on the wrong side of α = 1 − level and the interval's
    /// nearer bound at least 1% of its width from 0, so rounding and a p-value within a hair of α never trip it (at
    /// p = α − 0.01 a consistent normal or t interval excludes 0 by about 2.4% of its width).
    static func testContradictsInterval(_ estimate: MetricEstimate, p: Double?, level: Double) -> (field: String, reason: String)? {
        guard let p, let lower = estimate.lower, let upper = estimate.upper, upper > lower, level > 0, level < 1 else { return nil }
        let alpha = 1 - level
        let shownAlpha = String(format: "%.10g", alpha)  // 0.05, not 0.050000000000000044
        let margin = 0.01 * (upper - lower)
        if p >= alpha + 0.01, lower > margin || upper < -margin {
            return ("p_value", "is \(p), but its interval [\(lower), \(upper)] at level \(level) excludes 0; the test and the interval "
                + "come from one construction, so p is below \(shownAlpha) exactly when the interval excludes 0")
        }
        if p <= alpha - 0.01, lower < -margin, upper > margin {
            return ("p_value", "is \(p), but its interval [\(lower), \(upper)] at level \(level) holds 0; the test and the interval "
                + "come from one construction, so p is below \(shownAlpha) exactly when the interval excludes 0")
        }
        return nil
    }

    /// An effect size that contradicts its contrast (a practitioner's review: d = +10³⁰⁸ beside a negative difference
    /// was printed in full): Cohen's h beyond ±π, its largest value, or an effect size of the other sign than a difference
    /// whose interval excludes 0 (d = (A − B) / SD and h = 2 asin √p_A − 2 asin √p_B have the sign of A − B; near 0 the
    /// completion-level means d divides may differ in sign from the contrast's per-template average, so only a clear
    /// difference is checked). A kind other than the metric's (`cohens_h` for rates and shares, `cohens_d` for means) is a
    /// problem too.
    static func effectSizeProblem(_ contrast: Contrast) -> (field: String, reason: String)? {
        // One of the kinds the analysis writes (a hostile review: "\u{202e}cohens_d" was read and written back).
        guard let kind = EffectSizeKind(rawValue: contrast.effectSizeKind) else {
            return ("effect_size_kind", "is '\(AuditJSON.shortExcerpt(contrast.effectSizeKind))', not one of "
                + EffectSizeKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        // The kind the metric takes (a review: cohens_h beside a sentiment contrast was read, and the report printed h
        // for a difference of means).
        let expected: EffectSizeKind = contrast.metric.isRate ? .cohensH : .cohensD
        guard kind == expected else {
            return ("effect_size_kind", "is '\(kind.rawValue)', but a contrast of \(contrast.metric.rawValue) reports "
                + "\(expected.rawValue) (Cohen's h for rates and shares, Cohen's d for means)")
        }
        guard let size = contrast.effectSize, size.isFinite else { return nil }
        if contrast.effectSizeKind == EffectSizeKind.cohensH.rawValue, abs(size) > Double.pi * (1 + numberTolerance) {
            return ("effect_size", "is \(size), but Cohen's h = 2 asin √p_A − 2 asin √p_B lies between −π and π")
        }
        if let lower = contrast.difference.lower, let upper = contrast.difference.upper, size != 0,
            lower > 0 && size < 0 || upper < 0 && size > 0
        {
            return ("effect_size", "is \(size), but the difference's interval [\(lower), \(upper)] lies on the other side of "
                + "0; an effect size has the sign of A − B")
        }
        return nil
    }

    /// A symmetric interval that is not value ± t(df) × SE (a practitioner's review: a contrast's standard_error typed
    /// from 0.024 to 0.9 beside its interval [−0.970, −0.868] was read, and `check --baseline`, which compares from the
    /// standard errors and df, passed a gate the file fails). Since schema 2 the interval of a mean's contrast and of
    /// every model comparison's change is value ± t × SE with t the quantile of the stored df (∞: the normal one), to
    /// the bit; an asymmetric interval (a rate's or share's MOVER interval, whose stored SE is the linearised one) is
    /// not checked. Only a mismatch beyond 5% of the half-width is one (biasaudit writes them to the bit, but files made
    /// by hand or by a script that rounds, as the test fixtures' 3-decimal standard errors, differ by up to ~2%): the
    /// edits that move a verdict change the standard error or the df far more (0.024 → 0.9; 14 → 1 df: × 5.9).
    ///
    /// An interval cut to the values the estimate can take (`bound`: ±2 for a sentiment contrast, ±1 for a rate's, twice
    /// that for a change between models) is not value ± t × SE and is not checked: with a value of 0 and a large SE both
    /// ends are cut and it stays symmetric (helper 227: such a file that `analyze` wrote, [−2, 2], was refused).
    static func spreadContradictsInterval(
        _ estimate: MetricEstimate, level: Double, bound: Double?
    ) -> (field: String, reason: String)? {
        guard let value = estimate.value, let lower = estimate.lower, let upper = estimate.upper,
            let se = estimate.standardError, let df = estimate.degreesOfFreedom, upper >= lower, level > 0, level < 1,
            se.isFinite, df > 0
        else { return nil }
        if let bound, lower <= -bound * (1 - numberTolerance) || upper >= bound * (1 - numberTolerance) { return nil }
        let half = (upper - lower) / 2
        guard abs((upper - value) - (value - lower)) <= numberTolerance * max(1, abs(lower), abs(upper)) else { return nil }
        let quantile = df.isFinite
            ? Distributions.studentTQuantile(1 - (1 - level) / 2, df: df) : Distributions.normalQuantile(1 - (1 - level) / 2)
        let implied = quantile * se
        guard abs(implied - half) > 0.05 * max(half, implied) + numberTolerance * numberTolerance else { return nil }
        return ("difference.standard_error", "is \(se) with \(df) degrees of freedom (× t = \(quantile): \(implied)), but "
            + "its interval [\(lower), \(upper)] at level \(level) is the value ± \(half); the interval is the value ± t × "
            + "the standard error, so one of them was changed")
    }

    /// A contrast's q-value without the p-value it adjusts (review: accepted, and gated on), or a tested contrast of a
    /// family without its q-value (practitioner's review: a q-gated rule then called the contrast untestable, "cannot
    /// fail with this design", and passed a gate it failed).
    static func qWithoutP(p: Double?, q: Double?, family: String? = nil) -> (field: String, reason: String)? {
        if q != nil, p == nil {
            return ("q_value", "is given without a p_value; a q-value adjusts a p-value, and without a test both are null")
        }
        if p != nil, q == nil, family != nil {
            return ("q_value", "is missing though the contrast has a p_value in its family; every tested contrast of a "
                + "family has its Benjamini–Hochberg q-value")
        }
        return nil
    }

    /// A model comparison whose numbers contradict each other: a model compared with itself, B − A that is not
    /// value_b − value_a, value_a or value_b outside the metric's scale, or q below the smaller of its two p-values.
    /// Its verdict is checked once its family's q-values are (``verdictProblem(_:threshold:)``).
    static func comparisonProblem(_ comparison: ModelComparison, level: Double? = nil) -> (field: String, reason: String)? {
        if comparison.modelA == comparison.modelB {
            return ("model_b", "is '\(AuditJSON.shortExcerpt(comparison.modelB))', the same model as model_a: a comparison "
                + "compares two models")
        }
        let bound: Double? = comparison.metric.isRate ? 1 : comparison.metric == .sentiment ? 2
            : comparison.metric == .heSheLogOdds ? 2 * maximumLogOdds : nil
        for (field, value) in [("value_a", comparison.valueA), ("value_b", comparison.valueB)] {
            if let value, let bound, abs(value) > bound {
                return (field, "is \(value); a contrast of this metric lies between \(-Int(bound)) and \(Int(bound))")
            }
        }
        // A change the analysis took for rounding is written as 0 (``Statistics/withinRounding(_:of:_:resolution:)``: the
        // log-odds within their single-precision resolution, 1e-5; helper 228: a change of 7.5e-7 written as 0 was
        // refused by every reader, `analyze` of its own output included).
        let resolution = comparison.metric == .heSheLogOdds ? InferenceSettings.singlePrecisionResolution : 0
        if let a = comparison.valueA, let b = comparison.valueB, let change = comparison.difference.value,
            abs(change - (b - a)) > numberTolerance * max(1, abs(a), abs(b)),
            change != 0 || withinRounding(b - a, of: a, b, resolution: resolution) != 0
        {
            return ("difference.value", "is \(change), not value_b − value_a = \(b - a); the change is B's contrast minus A's")
        }
        if let found = numbersProblem(comparison.difference, p: nil, q: nil) { return found }
        // The change's interval is value ± t × SE whatever the metric (``spreadContradictsInterval(_:level:bound:)``),
        // unless cut to the ±2 × contrast range a change can take.
        if let level, let found = spreadContradictsInterval(
            comparison.difference, level: level, bound: comparison.metric.contrastBound.map { 2 * $0 })
        {
            return found
        }
        // The sides, the growth and the reversal are the contrasts' own numbers (review: each was accepted edited).
        let tolerance = { (x: Double, y: Double) in numberTolerance * max(1, abs(x), abs(y)) }
        for (field, side, value) in [("contrast_a.value", comparison.contrastA, comparison.valueA),
                                     ("contrast_b.value", comparison.contrastB, comparison.valueB)] {
            if let stated = side?.value, let value, abs(stated - value) > tolerance(stated, value) {
                return (field, "is \(stated), not \(field.hasPrefix("contrast_a") ? "value_a" : "value_b") = \(value); both "
                    + "are the same contrast")
            }
        }
        if let a = comparison.valueA, let b = comparison.valueB, let growth = comparison.growth,
            abs(growth - (abs(b) - abs(a))) > tolerance(a, b)
        {
            return ("growth", "is \(growth), not |value_b| − |value_a| = \(abs(b) - abs(a))")
        }
        if let stated = comparison.signReversed, let a = comparison.contrastA, let b = comparison.contrastB {
            func side(_ e: MetricEstimate) -> Bool? {
                guard e.insufficient == nil, let lower = e.lower, let upper = e.upper else { return nil }
                return lower > 0 ? true : upper < 0 ? false : nil
            }
            let computed = side(a).flatMap { x in side(b).map { x != $0 } } ?? false
            if stated != computed {
                return ("sign_reversed", "is \(stated), but the two contrasts' intervals say \(computed) (true only when they "
                    + "exclude 0 on opposite sides)")
            }
        }
        if let q = comparison.qValue, let more = comparison.pMoreBiased, let less = comparison.pLessBiased,
            qBelowP(q, min(more, less))
        {
            return ("q_value", "is \(q), below the p-value \(min(more, less)); a Benjamini–Hochberg q-value is at least "
                + "its p-value")
        }
        return nil
    }

    /// A stored verdict other than the one its numbers give (``ModelComparison/computedVerdict(below:)``: the analysis
    /// derives it from the q-value, whose own check comes first, ``firstMisadjustedComparisonQValue(rewrite:)``).
    static func verdictProblem(_ comparison: ModelComparison, threshold: Double) -> (field: String, reason: String)? {
        if let stored = comparison.verdict, stored != comparison.computedVerdict(below: threshold) {
            return ("verdict", "is '\(stored.rawValue)', but its numbers give "
                + "'\(comparison.computedVerdict(below: threshold).rawValue)' (q \(comparison.qValue.map { "\($0)" } ?? "null") "
                + "against \(threshold))")
        }
        return nil
    }

    /// The first model comparison whose stored q-value is not the one the analysis assigns it, as a key path and a
    /// reason ending with `rewrite`, or nil: the Benjamini–Hochberg q of its family (one prompt set under one model
    /// pair, over the tested comparisons' smaller p-value, ``ModelComparison/testedPValue``), recomputed with the
    /// analysis's own ``ModelComparison/qValueFamilies(_:)`` and compared within ``qValueTolerance``; none for an
    /// untested comparison. Call it once every comparison the analysis writes is present, once each
    /// (``firstMissingComparison(rewrite:)``): a deleted one changes its family's m.
    ///
    /// A verdict follows its q-value (``verdictProblem(_:threshold:)``), so a q edited downwards with its verdict
    /// (or with the verdict removed, which readers then derive from q) turned "no detectable change" into "more
    /// biased" for `check` and `diff`. The two models of a pair count in either order, as elsewhere in the reader.
    /// Files without analysis settings (schema 1) are not checked, as their contrasts are not; a file without a
    /// recorded `statistics_revision` may hold the q-values of one family per model pair over every set (revision 1
    /// made each set its own family), and either layout is accepted there.
    func firstMisadjustedComparisonQValue(rewrite: String) -> (key: String, reason: String)? {
        guard manifest.parameters.analysis != nil, !modelComparisons.isEmpty else { return nil }
        /// Each comparison's recomputed q (nil: untested) and its family's size, with the families taken over
        /// every set of a model pair when `acrossSets`.
        func recomputed(acrossSets: Bool) -> [(q: Double, m: Int)?]? {
            let keyed = modelComparisons.map { comparison -> ModelComparison in
                var keyed = comparison
                if keyed.modelB < keyed.modelA { (keyed.modelA, keyed.modelB) = (keyed.modelB, keyed.modelA) }
                if acrossSets { keyed.set = "" }
                return keyed
            }
            // The range check refuses p-values outside 0…1 first; a caller without it learns nothing here.
            guard let families = try? ModelComparison.qValueFamilies(keyed) else { return nil }
            var result = [(q: Double, m: Int)?](repeating: nil, count: modelComparisons.count)
            for family in families {
                for (index, q) in zip(family.tested, family.qValues) { result[index] = (q, family.tested.count) }
            }
            return result
        }
        func firstMismatch(_ expected: [(q: Double, m: Int)?]) -> Int? {
            modelComparisons.indices.first { index in
                switch (modelComparisons[index].qValue, expected[index]?.q) {
                case (nil, nil): false
                case let (stored?, q?): Self.qValuesDiffer(stored, q)
                default: true
                }
            }
        }
        guard let perSet = recomputed(acrossSets: false), let index = firstMismatch(perSet) else { return nil }
        var older: Double?
        if statisticsRevision == nil, let acrossSets = recomputed(acrossSets: true) {
            if firstMismatch(acrossSets) == nil { return nil }
            older = acrossSets[index]?.q
        }
        let comparison = modelComparisons[index]
        let key = "model_comparisons[\(index)].q_value"
        let what = "the comparison of contrast '\(AuditJSON.shortExcerpt(comparison.contrastID))' "
            + "(\(comparison.metric.rawValue)) of prompt set '\(AuditJSON.shortExcerpt(comparison.set))' between models "
            + "'\(AuditJSON.shortExcerpt(comparison.modelA))' and '\(AuditJSON.shortExcerpt(comparison.modelB))'"
        guard let stored = comparison.qValue else {
            return (key, "is missing, but \(what) is tested (p_more_biased and p_less_biased): every tested comparison has "
                + "the Benjamini–Hochberg q-value of its family, and its verdict follows it; \(rewrite)")
        }
        guard let (q, m) = perSet[index] else {
            return (key, "is \(stored), but \(what) has no test (p_more_biased and p_less_biased are not both given): a "
                + "q-value adjusts a comparison's p-value, and without a test it is null; \(rewrite)")
        }
        var recomputedComparison = comparison
        recomputedComparison.qValue = q
        let threshold = manifest.parameters.findingThreshold
        let verdict = recomputedComparison.computedVerdict(below: threshold)
        let implied = comparison.verdict ?? comparison.computedVerdict(below: threshold)
        return (key, "is \(stored), but the Benjamini–Hochberg q-value of \(what), recomputed from the \(m) p-value"
            + "\(m == 1 ? "" : "s") of its family (the set under the model pair: each tested comparison's smaller of "
            + "p_more_biased and p_less_biased), is \(q)"
            + (older.map { " (and over every set of the model pair, as a file without a statistics_revision may adjust "
                + "it, \($0))" } ?? "")
            + (verdict != implied ? ", whose verdict is '\(verdict.rawValue)', not '\(implied.rawValue)'" : "")
            + ": a q-value or a p-value was edited; \(rewrite)")
    }

    /// `groups`: the groups a reason may name as the thinnest (a contrast's A and B; none for a group's own level).
    static func supportContradiction(_ estimate: MetricEstimate, pValue: Double?, qValue: Double?, groups: [String])
        -> String?
    {
        // The text alone is fine: files written before the detail existed have only the text.
        if estimate.insufficientDetail != nil, estimate.insufficient == nil {
            return "has insufficient_detail without the insufficient text it goes with"
        }
        guard estimate.insufficient != nil else { return nil }
        if estimate.lower != nil || estimate.upper != nil || pValue != nil || qValue != nil {
            return "is marked too thin (insufficient) but carries an interval, a p-value or a q-value"
        }
        if let detail = estimate.insufficientDetail, detail.observed < 0 || detail.observed >= detail.minimum {
            return "has insufficient_detail with observed \(detail.observed) and minimum \(detail.minimum): too thin means "
                + "0 ≤ observed < minimum"
        }
        if let detail = estimate.insufficientDetail, let group = detail.group {
            if ![.tooFewGenderedWords, .tooFewGenderedCompletions].contains(detail.reason) {
                return "has insufficient_detail.group '\(AuditJSON.shortExcerpt(group))' with the reason "
                    + "'\(detail.reason.rawValue)', which names no group (a group is named only when a male share's "
                    + "group fell short: too_few_gendered_words, too_few_gendered_completions)"
            }
            if let reason = groupProblem(group, groups: groups) { return "has insufficient_detail.group that " + reason }
        }
        return nil
    }

    /// A contrast's reason that names another group than the thinner of its two (a review: a file naming the other
    /// group was read, and its report named that one): where the contrast rests on every template (`templates_compared`
    /// absent) its arms are the two groups' levels, and each level's support is checked alike, so the named group's
    /// level is too thin for the same reason with the same count, and the other group's, when too thin for that
    /// reason, has a larger count (or an equal one and comes second: the first of equals is named). Nil when they agree
    /// or cannot be compared (no group named, a contrast on some templates).
    static func thinnerGroupProblem(_ contrast: Contrast, levels: [GroupEstimates]) -> String? {
        guard let detail = contrast.difference.insufficientDetail, let group = detail.group,
            contrast.templatesCompared == nil
        else { return nil }
        func support(_ id: String) -> InsufficientSupport? {
            let level = levels.first { $0.group == id && $0.model == contrast.model }?.estimate(contrast.metric)
            return level?.insufficientDetail.flatMap { $0.reason == detail.reason ? $0 : nil }
        }
        let other = group == contrast.groupA ? contrast.groupB : contrast.groupA
        let (shown, model) = ("'\(AuditJSON.shortExcerpt(group))'", "'\(AuditJSON.shortExcerpt(contrast.model))'")
        let why = "'\(detail.reason.rawValue)'"
        guard let named = support(group), named.observed == detail.observed else {
            return "is \(shown) with observed \(detail.observed), but under \(model) that group's own level "
                + (support(group).map { "counts \($0.observed) for \(why)" } ?? "is not too thin for \(why)")
                + ": the reason names the thinner group and gives its count"
        }
        if let others = support(other),
            others.observed < named.observed || (others.observed == named.observed && other == contrast.groupA)
        {
            return "is \(shown) with observed \(detail.observed), but under \(model) "
                + "'\(AuditJSON.shortExcerpt(other))' counts \(others.observed) for \(why): the reason names the "
                + "thinner group (the first of two equally thin ones)"
        }
        return nil
    }

    /// A model comparison whose reasons name another group than the contrasts they copy (`contrast_a` that of
    /// model A's contrast, `contrast_b` model B's, `difference` that of the thin side, A first), or nil.
    func thinnerGroupProblem(
        _ comparison: ModelComparison, contrasts: [PromptSetResult.ContrastKey: Contrast], setIndex: Int
    ) -> (field: String, reason: String)? {
        func named(_ group: String?, absent: String = "no group") -> String {
            group.map { "'\(AuditJSON.shortExcerpt($0))'" } ?? absent
        }
        let copied = [("contrast_a", comparison.contrastA, comparison.modelA), ("contrast_b", comparison.contrastB, comparison.modelB)]
        for (field, estimate, model) in copied {
            guard let detail = estimate?.insufficientDetail,
                let contrast = contrasts[.init(id: comparison.contrastID, model: model)],
                contrast.difference.insufficientDetail?.group != detail.group
            else { continue }
            let position = promptSets[setIndex].contrasts.firstIndex(of: contrast).map { "prompt_sets[\(setIndex)].contrasts[\($0)]" }
                ?? "its contrast"
            return (field, "is \(named(detail.group, absent: "absent")), but the contrast it copies (\(position), under "
                + "'\(AuditJSON.shortExcerpt(model))') names \(named(contrast.difference.insufficientDetail?.group))")
        }
        // The change's reason is its thin side's, A's first.
        if let own = comparison.difference.insufficientDetail {
            let sides = [("contrast_a", comparison.contrastA), ("contrast_b", comparison.contrastB)]
            let thin = sides.first { $0.1?.insufficientDetail != nil }
            if own.group != thin?.1?.insufficientDetail?.group {
                return ("difference", "is \(named(own.group, absent: "absent")), but "
                    + (thin.map { "the thin side's contrast (\($0.0)) names \(named($0.1?.insufficientDetail?.group))" }
                        ?? "neither side's contrast is marked too thin"))
            }
        }
        return nil
    }

    /// Why `group`, the thinnest group a reason names, cannot be it, or nil: it must be one of `groups` (a contrast's
    /// A and B; a group's own level names none). The reports print its label.
    static func groupProblem(_ group: String, groups: [String]) -> String? {
        if groups.contains(group) { return nil }
        if groups.isEmpty {
            return "is '\(AuditJSON.shortExcerpt(group))', but a group's own level names no group (it is that group)"
        }
        return "is '\(AuditJSON.shortExcerpt(group))', not one of the contrast's groups ('\(AuditJSON.shortExcerpt(groups[0]))', "
            + "'\(AuditJSON.shortExcerpt(groups[1]))'): it names the thinner of the two"
    }
}

extension GroupInfo {
    /// The report languages (`report --lang`) a group's ``labels`` may name; the same list as the prompt
    /// sets' (`PromptGroup.labelLanguages`), which this target cannot see (a test holds them equal).
    public static let labelLanguages = ["en", "es"]
}

extension AuditResult {
    /// Whether `other` holds the same audit: equal but for its timing and the exact command line that wrote it (a run
    /// resumed or re-run in its folder, a re-analysis with the same data). Reports of one describe the other. A model's
    /// `config_sha256`, `vocab_sha256` and `merges_sha256` count only where both files record them: results written
    /// before they were recorded describe the same audit as the run resumed from their run store; so do a set's
    /// `primary_metrics`.
    public func describesSameAudit(as other: AuditResult) -> Bool {
        var (mine, theirs) = (self, other)
        (mine.timing, theirs.timing) = (theirs.timing, theirs.timing)
        (mine.manifest.commandLine, theirs.manifest.commandLine) = ([], [])
        for index in mine.manifest.models.indices where index < theirs.manifest.models.count {
            func forget(_ field: WritableKeyPath<ModelManifest, String?>) {
                if mine.manifest.models[index][keyPath: field] == nil || theirs.manifest.models[index][keyPath: field] == nil {
                    mine.manifest.models[index][keyPath: field] = nil
                    theirs.manifest.models[index][keyPath: field] = nil
                }
            }
            forget(\.configSHA256)
            forget(\.vocabSHA256)
            forget(\.mergesSHA256)
        }
        if mine.manifest.completionsSHA256 == nil || theirs.manifest.completionsSHA256 == nil {
            (mine.manifest.completionsSHA256, theirs.manifest.completionsSHA256) = (nil, nil)
        }
        // Likewise a set's recorded tested metrics (results written before they were recorded test the same ones).
        for index in mine.promptSets.indices where index < theirs.promptSets.count
            && (mine.promptSets[index].primaryMetrics == nil || theirs.promptSets[index].primaryMetrics == nil)
        {
            (mine.promptSets[index].primaryMetrics, theirs.promptSets[index].primaryMetrics) = (nil, nil)
        }
        return mine == theirs
    }

    /// The texts of a results file that `run` and `analyze` never write longer than a prompt set's or a completion's
    /// limit, nor many more arguments than a command line holds (a hostile review: a 50,000,000-character description
    /// kept `report` busy for minutes and was copied into both reports): the first such text's key and why, or nil.
    /// Descriptions, sources and templates have the prompt sets' 8,000 characters, an example's prompt twice that (a
    /// template with a term) and its continuation a completion's 100,000; the command line at most 10,000 arguments of
    /// at most 100,000 characters, and a coverage note 100,000. A group's terms are a prompt set's too: at most 1,000, each
    /// of at most 8,000 characters (a hostile review: one term of 5,000,000 characters, or 2,000,000 terms in a group, made
    /// each report 10–19 MB), and so are a counterfactual pair's template, prompts, terms and continuations.
    func firstLongText() -> (key: String, problem: String)? {
        let text = 8000, completion = 100_000, termsPerGroup = 1000
        var texts: [(key: String, text: String, limit: Int)] = []
        for (setIndex, set) in promptSets.enumerated() {
            let path = "prompt_sets[\(setIndex)]"
            for (groupIndex, group) in set.groups.enumerated() {
                for (name, terms) in [("terms", group.terms), ("terms_with_data", group.termsWithData ?? [])] {
                    let key = "\(path).groups[\(groupIndex)].\(name)"
                    if terms.count > termsPerGroup {
                        return (key, "holds \(terms.count) terms, more than the limit of \(termsPerGroup) of a prompt set's "
                            + "group (README, \"Limits\")")
                    }
                    texts += terms.enumerated().map { ("\(key)[\($0.offset)]", $0.element, text) }
                }
            }
            for (index, pair) in (set.counterfactualPairs ?? []).enumerated() {
                let key = "\(path).counterfactual_pairs[\(index)]"
                texts += [("\(key).template", pair.template ?? "", text)]
                for (side, paired) in [("a", pair.a), ("b", pair.b)] {
                    texts += [("\(key).\(side).term", paired.term ?? "", text),
                              ("\(key).\(side).prompt", paired.prompt, 2 * text),
                              ("\(key).\(side).continuation", paired.continuation, completion)]
                }
            }
            texts += [("\(path).description", set.description, text), ("\(path).source", set.source, text)]
            for (name, translated) in [("descriptions", set.descriptions), ("sources", set.sources)] {
                texts += (translated ?? [:]).sorted { $0.key < $1.key }.map { ("\(path).\(name).\($0.key)", $0.value, text) }
            }
            texts += set.templates.enumerated().map { ("\(path).templates[\($0.offset)]", $0.element, text) }
            for (index, example) in set.examples.enumerated() {
                texts += [("\(path).examples[\(index)].prompt", example.prompt, 2 * text),
                          ("\(path).examples[\(index)].continuation", example.continuation, completion)]
            }
        }
        if manifest.commandLine.count > 10_000 {
            return ("manifest.command_line", "holds \(manifest.commandLine.count) arguments, more than the limit of 10000")
        }
        texts += manifest.commandLine.enumerated().map { ("manifest.command_line[\($0.offset)]", $0.element, completion) }
        for (name, notes) in [("coverage_notes", manifest.source?.coverageNotes), ("coverage_notes_es", manifest.source?.coverageNotesEs)] {
            texts += (notes ?? []).enumerated().map { ("manifest.source.\(name)[\($0.offset)]", $0.element, completion) }
        }
        for (key, value, limit) in texts {
            if let problem = NameCharacters.lengthProblem(value, limit: limit) { return (key, problem) }
        }
        return nil
    }

    /// A comparison whose `on_different_terms` does not agree with its two contrasts' counts of terms (statistics
    /// revision 11 on; files of earlier revisions had no such rule): set where both contrasts rest on all their groups'
    /// terms (a hostile review: a forged flag turned a failing `max_model_difference` into a warning), or absent where
    /// the two counts differ on the same templates, both supported (the flag deleted: "no variance estimate", and a
    /// limit applied to a change the rule leaves unjudged).
    private func differentTermsProblem(
        _ comparison: ModelComparison, key: String, contrasts: [PromptSetResult.ContrastKey: Contrast], groups: [GroupInfo]
    ) -> (key: String, reason: String)? {
        guard (statisticsRevision ?? 0) >= 11,
            let a = contrasts[.init(id: comparison.contrastID, model: comparison.modelA)],
            let b = contrasts[.init(id: comparison.contrastID, model: comparison.modelB)],
            let countA = a.difference.terms, let countB = b.difference.terms
        else { return nil }
        if comparison.onDifferentTerms == true, countA == countB, a.restsOnAllTerms(of: groups) == true {
            return ("\(key).on_different_terms", "is true, but both contrasts of '\(AuditJSON.shortExcerpt(comparison.contrastID))' "
                + "rest on all \(countA) terms of their groups: a comparison is on different terms only where a term has data "
                + "under one model only")
        }
        // Both with an interval (what `run` writes includes a value without one, counted on 0 terms).
        if comparison.onDifferentTerms != true, countA != countB, countA > 0, countB > 0, a.comparesTheSameTemplates(as: b),
            a.difference.lower != nil, b.difference.lower != nil,
            a.difference.insufficient == nil, b.difference.insufficient == nil
        {
            return (key, "compares contrasts of '\(AuditJSON.shortExcerpt(comparison.contrastID))' that rest on \(countA) and "
                + "\(countB) terms on the same templates, so on different terms, without on_different_terms: true; such a "
                + "comparison has no interval or test and is undetermined")
        }
        return nil
    }
}
