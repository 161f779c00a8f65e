import Statistics

extension AuditResult {
    /// What a contrast compares, in either order of its groups: one model, one metric, two groups of a set.
    private struct ContrastedPair: Hashable {
        let model: String
        let metric: AuditMetric
        let first: String
        let second: String

        init(model: String, metric: AuditMetric, _ a: String, _ b: String) {
            self.model = model
            self.metric = metric
            (first, second) = a < b ? (a, b) : (b, a)
        }
    }

    /// What a model comparison compares: a contrast of a set (its model left empty) between two models, in either order.
    private struct ComparedPair: Hashable {
        let set: String
        let contrast: ContrastedPair
        let models: [String]

        init(set: String, metric: AuditMetric, _ a: String, _ b: String, models x: String, _ y: String) {
            self.set = set
            contrast = ContrastedPair(model: "", metric: metric, a, b)
            models = x < y ? [x, y] : [y, x]
        }
    }

    /// The first contrast `run`, `analyze` and `merge` always write that `set` (at `path`) lacks, as a key path and a
    /// reason ending with `rewrite`, or nil.
    ///
    /// The analysis contrasts every two groups of a set (in the set's order) on each metric of its `metrics` under each
    /// model of the manifest, and writes a contrast too thin to estimate as a record with its reason ("insufficient
    /// data"), never leaves it out; a set of one group has no contrast, and a metric the set does not audit (or the
    /// next-token log-odds of completions without them) is not in `metrics`. A file without one of them was edited or
    /// truncated (hostile review: the contrasts of a group with an injected bias deleted, its levels kept, passed
    /// `check --strict`, and so did a file with every contrast deleted). Either order of the two groups counts.
    ///
    /// Time: it stops at the first missing contrast, so it looks at most at one contrast more than the set holds.
    /// - Parameter models: the manifest's model ids, in order.
    func firstMissingContrast(
        in set: PromptSetResult, path: String, models: [String], rewrite: String
    ) -> (key: String, reason: String)? {
        guard set.groups.count >= 2 else { return nil }
        let present = Set(set.contrasts.map { ContrastedPair(model: $0.model, metric: $0.metric, $0.groupA, $0.groupB) })
        for model in models {
            for (index, groupA) in set.groups.enumerated() {
                for groupB in set.groups[(index + 1)...] {
                    for metric in set.metrics
                    where !present.contains(ContrastedPair(model: model, metric: metric, groupA.id, groupB.id)) {
                        return ("\(path).contrasts", "lacks the contrast \(Self.describeContrast(metric, groupA.id, groupB.id)) "
                            + "under model '\(AuditJSON.shortExcerpt(model))'" + Self.emptyNote(set.contrasts.isEmpty)
                            + ": biasaudit writes one for every two of the set's groups on each of its metrics under each "
                            + "model of the manifest (one too thin to estimate as \"insufficient data\"), so the file was "
                            + "edited or truncated; \(rewrite)")
                    }
                }
            }
        }
        return nil
    }

    /// The first contrast of `set` (at `path`) whose family and p_value contradict each other or its metric's other
    /// contrasts (a contrast without the test the analysis writes for it), as a key path and a reason ending with
    /// `rewrite`, or nil. The set's recorded `primary_metrics` are checked apart
    /// (``firstUnrecordedTest(in:path:rewrite:)``).
    ///
    /// The analysis gives every contrast of a set's tested metrics (its primary metrics: sentiment, % negative, male share
    /// and log P(he)/P(she) where it audits them, or those its `primary_metrics:` names) the family `<set>/<model>`, and
    /// tests each one with an interval: a p_value, and a q_value within its family. No other contrast has a p_value. A
    /// contrast of a tested metric without them was edited (review: a results.json whose primary contrasts had family,
    /// p_value and q_value stripped passed `check`, which took them for descriptive ones: a q-gated rule "cannot fail",
    /// a warning). So, within a set, the contrasts of one metric all have a family or none has; one with a family and an
    /// interval, not marked too thin, has a p_value; and in files of the current statistics (with
    /// `manifest.parameters.analysis`, schema 2) a p_value has a family (schema-1 files had p-values and no families).
    /// A metric stripped of its families under every model reads as one that `primary_metrics:` leaves out, unless the
    /// file compares its contrasts between models (``firstInconsistency(rewrite:)`` checks that).
    func firstContrastMissingItsTest(in set: PromptSetResult, path: String, rewrite: String) -> (key: String, reason: String)? {
        var withFamily: [AuditMetric: Int] = [:]
        for (index, contrast) in set.contrasts.enumerated() where contrast.family != nil && withFamily[contrast.metric] == nil {
            withFamily[contrast.metric] = index
        }
        let family = { (contrast: Contrast) in
            "(\"\(AuditJSON.shortExcerpt(set.name))/\(AuditJSON.shortExcerpt(contrast.model))\")"
        }
        for (index, contrast) in set.contrasts.enumerated() {
            let key = "\(path).contrasts[\(index)]"
            guard contrast.family != nil else {
                if let tested = withFamily[contrast.metric] {
                    return ("\(key).family", "is missing, but \(path).contrasts[\(tested)], of the same metric "
                        + "\(contrast.metric.rawValue), has one: biasaudit tests every contrast of a set's tested metric in "
                        + "its family \(family(contrast)), with its p_value and q_value; \(rewrite)")
                }
                if manifest.parameters.analysis != nil, contrast.pValue != nil {
                    return ("\(key).family", "is missing though the contrast has a p_value: biasaudit tests only the "
                        + "contrasts of a set's tested metrics, each in its family \(family(contrast)); \(rewrite)")
                }
                continue
            }
            let difference = contrast.difference
            if contrast.pValue == nil, difference.insufficient == nil, difference.lower != nil, difference.upper != nil {
                return ("\(key).p_value", "is missing though the contrast is tested: it has a family and an interval and is "
                    + "not marked too thin, and biasaudit writes the p_value and q_value of every such contrast; \(rewrite)")
            }
        }
        return nil
    }

    /// The first way `set` (at `path`) contradicts its recorded tested metrics (``PromptSetResult/primaryMetrics``), as a
    /// key path and a reason ending with `rewrite`, or nil (and nil for files written before they were recorded).
    ///
    /// The analysis records the metrics it tests for each set, the default list included, and gives every contrast of
    /// those metrics, and of no other, its family. So a listed metric is a primary bias metric the set audits (one
    /// missing from `metrics` was deleted with its levels, contrasts and comparisons: review, a deleted metric group
    /// read as one never audited), and a contrast of a listed metric without a family was stripped of its test (review:
    /// one model's metric stripped of family, p_value and q_value everywhere read as a metric `primary_metrics:` leaves
    /// out), named with its set, model and metric.
    func firstUnrecordedTest(in set: PromptSetResult, path: String, rewrite: String) -> (key: String, reason: String)? {
        guard let tested = set.primaryMetrics else { return nil }
        let name = AuditJSON.shortExcerpt(set.name)
        var listed: [AuditMetric: Int] = [:]
        for (index, metric) in tested.enumerated() {
            let key = "\(path).primary_metrics[\(index)]"
            if let first = listed.updateValue(index, forKey: metric) {
                return (key, "'\(metric.rawValue)' repeats \(path).primary_metrics[\(first)]: each tested metric is "
                    + "listed once; \(rewrite)")
            }
            guard metric.isPrimary else {
                return (key, "'\(metric.rawValue)' is not a primary bias metric (only "
                    + AuditMetric.allCases.filter(\.isPrimary).map(\.rawValue).joined(separator: ", ")
                    + " are tested); \(rewrite)")
            }
            guard set.metrics.contains(metric) else {
                return (key, "'\(metric.rawValue)' is a tested metric of prompt set '\(name)', but not one of \(path).metrics: "
                    + "biasaudit tests each metric it lists here under every model of the manifest, with its group levels, "
                    + "contrasts and model comparisons, so the metric was deleted with its rows; \(rewrite)")
            }
        }
        for (index, contrast) in set.contrasts.enumerated() {
            let key = "\(path).contrasts[\(index)].family"
            let model = AuditJSON.shortExcerpt(contrast.model)
            let metric = contrast.metric.rawValue
            if listed[contrast.metric] != nil, contrast.family == nil {
                return (key, "is missing: prompt set '\(name)' tests \(metric) (\(path).primary_metrics), so biasaudit tests "
                    + "its contrast \(Self.describeContrast(contrast.metric, contrast.groupA, contrast.groupB)) under model "
                    + "'\(model)' in the family (\"\(name)/\(model)\") with a p_value and q_value; they were stripped; "
                    + "\(rewrite)")
            }
            if listed[contrast.metric] == nil, contrast.family != nil {
                return (key, "is given, but prompt set '\(name)' does not test \(metric) under model '\(model)' (its "
                    + "primary_metrics: \(tested.isEmpty ? "none" : tested.map(\.rawValue).joined(separator: ", "))): the "
                    + "contrasts of a metric it does not test are descriptive, without family, p_value or q_value; \(rewrite)")
            }
        }
        return nil
    }

    /// How far a stored contrast q-value may lie from the Benjamini–Hochberg q recomputed from its family's stored
    /// p-values. `results.json` is written by Foundation's `JSONEncoder`, which writes each number as the shortest
    /// decimal that reads back as the same double (no rounding to fewer digits), and the recomputation applies the
    /// analysis's own ``Statistics/benjaminiHochberg(_:)`` to those p-values, so a file as written recomputes to the bit
    /// (0 difference; `Tests/AuditAnalysisTests/ResultsValidationTests.swift` measures it). The tolerance leaves room only
    /// for a tool that wrote the numbers again with at least 10 significant digits (each then off by at most 5e-11
    /// relative, so a q by well under 1e-9); an edited q, or p-values and q-values rounded by hand, are refused.
    static let qValueTolerance = 1e-9

    /// Whether a stored q-value differs from the recomputed one beyond rounding: by more than ``qValueTolerance``, or
    /// for a q below 1e-3 by more than 1e-6 of it (a practitioner's review: q = 1e-20 typed over a recomputed 3.9e-15
    /// was within 1e-9 and read, and `check` printed it).
    static func qValuesDiffer(_ stored: Double, _ recomputed: Double) -> Bool {
        abs(stored - recomputed) > min(qValueTolerance, 1e-6 * abs(recomputed))
    }

    /// Whether `q` lies below `p` beyond rounding (a Benjamini–Hochberg q is at least its p): by more than 1e-9, or for
    /// a p below 1e-3 by more than 1e-6 of it (q = 1e-20 beside p = 1.3e-15 was read).
    static func qBelowP(_ q: Double, _ p: Double) -> Bool {
        q < p - min(numberTolerance, 1e-6 * abs(p))
    }

    /// The first tested contrast of `set` (at `path`) whose stored q-value is not the Benjamini–Hochberg q of its family,
    /// as a key path and a reason ending with `rewrite`, or nil. Call it once the set holds every contrast its groups,
    /// metrics and models imply and every tested one has its family and test
    /// (``firstMissingContrast(in:path:models:rewrite:)``, ``firstUnrecordedTest(in:path:rewrite:)``,
    /// ``firstContrastMissingItsTest(in:path:rewrite:)``).
    ///
    /// The analysis adjusts the p-values of each family (the set under one model: its contrasts with a family and a
    /// p_value) together; a q-value edited alone, upwards and still at least its p (hostile review: accepted, and a
    /// q-gated rule passed over a finding), or a family's p-values edited without their q-values, is found by doing the
    /// same again with the analysis's own families (``Contrast/qValueFamilies(_:)``, ``qValueTolerance``). Files without
    /// analysis settings (schema 1) had no families and are not checked.
    func firstMisadjustedQValue(in set: PromptSetResult, path: String, rewrite: String) -> (key: String, reason: String)? {
        guard manifest.parameters.analysis != nil else { return nil }
        // The range check refuses p-values outside 0…1 first; a caller without it learns nothing here.
        guard let families = try? Contrast.qValueFamilies(set.contrasts) else { return nil }
        for family in families {
            let (model, indices) = (family.model, family.tested)
            for (index, q) in zip(indices, family.qValues) {
                let contrast = set.contrasts[index]
                guard let stored = contrast.qValue, Self.qValuesDiffer(stored, q) else { continue }
                let stripped = set.primaryMetrics == nil
                    ? " (or a contrast of the family was stripped of its test, or deleted with its metric)" : ""
                return ("\(path).contrasts[\(index)].q_value", "is \(stored), but the Benjamini–Hochberg q-value of contrast "
                    + "'\(AuditJSON.shortExcerpt(contrast.id))' under model '\(AuditJSON.shortExcerpt(model))', recomputed "
                    + "from the \(indices.count) p-value\(indices.count == 1 ? "" : "s") of its family "
                    + "(\"\(AuditJSON.shortExcerpt(set.name))/\(AuditJSON.shortExcerpt(model))\"), is \(q): a q-value or a "
                    + "p-value was edited\(stripped); \(rewrite)")
            }
        }
        return nil
    }

    /// The first model comparison `run`, `analyze` and `merge` always write that the file lacks, as a key path and a
    /// reason ending with `rewrite`, or nil. Call it once every set holds the contrasts it implies
    /// (``firstMissingContrast(in:path:models:rewrite:)``).
    ///
    /// The analysis compares each contrast of a tested metric between every two models of the manifest, and writes a
    /// comparison too thin to decide as one with the verdict "insufficient data". A metric is tested in a set when its
    /// contrasts carry a multiple-comparison `family` (the set's primary metrics), or when the file compares any of
    /// its contrasts (schema 1 compared every metric and had no families). A file without one of them was edited or
    /// truncated: a `max_model_difference` rule would pass over the comparison deleted.
    ///
    /// Time: it stops at the first missing comparison, so it looks at most at one more than the file holds.
    func firstMissingComparison(rewrite: String) -> (key: String, reason: String)? {
        let models = manifest.models.map(\.id)
        guard models.count >= 2 else { return nil }
        let setsByName = Dictionary(promptSets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var groupsByID: [String: [String: (a: String, b: String)]] = [:]  // set → contrast id → its groups
        var present: Set<ComparedPair> = []
        var comparedMetrics: [String: Set<AuditMetric>] = [:]
        for comparison in modelComparisons {
            guard let set = setsByName[comparison.set] else { continue }
            if groupsByID[set.name] == nil {
                groupsByID[set.name] = Dictionary(
                    set.contrasts.map { ($0.id, (a: $0.groupA, b: $0.groupB)) }, uniquingKeysWith: { first, _ in first })
            }
            guard let groups = groupsByID[set.name]![comparison.contrastID] else { continue }
            present.insert(ComparedPair(
                set: set.name, metric: comparison.metric, groups.a, groups.b, models: comparison.modelA, comparison.modelB))
            comparedMetrics[set.name, default: []].insert(comparison.metric)
        }
        for set in promptSets where set.groups.count >= 2 {
            let familyMetrics = Set(set.contrasts.filter { $0.family != nil }.map(\.metric))
            let compared = comparedMetrics[set.name] ?? []
            for metric in set.metrics where familyMetrics.contains(metric) || compared.contains(metric) {
                for (index, groupA) in set.groups.enumerated() {
                    for groupB in set.groups[(index + 1)...] {
                        for (modelIndex, modelA) in models.enumerated() {
                            for modelB in models[(modelIndex + 1)...] where !present.contains(
                                ComparedPair(set: set.name, metric: metric, groupA.id, groupB.id, models: modelA, modelB))
                            {
                                return ("model_comparisons", Self.missingComparison(
                                    metric, groupA.id, groupB.id, set: set.name, modelA, modelB,
                                    emptyList: modelComparisons.isEmpty, rewrite: rewrite))
                            }
                        }
                    }
                }
            }
        }
        return nil
    }

    /// Why the comparison of `metric` a − b of `set` between two models is wanted.
    private static func missingComparison(
        _ metric: AuditMetric, _ a: String, _ b: String, set: String, _ modelA: String, _ modelB: String,
        emptyList: Bool, rewrite: String
    ) -> String {
        "lacks the comparison of \(describeContrast(metric, a, b)) of prompt set '\(AuditJSON.shortExcerpt(set))' between "
            + "models '\(AuditJSON.shortExcerpt(modelA))' and '\(AuditJSON.shortExcerpt(modelB))'" + emptyNote(emptyList)
            + ": biasaudit compares each contrast of a tested metric (one whose contrasts have a family) between every "
            + "two models of the manifest (one too thin to decide as \"insufficient data\"), so the file was edited or "
            + "truncated; \(rewrite)"
    }

    /// "sentiment black_male − white_male".
    private static func describeContrast(_ metric: AuditMetric, _ a: String, _ b: String) -> String {
        "\(metric.rawValue) \(AuditJSON.shortExcerpt(a)) − \(AuditJSON.shortExcerpt(b))"
    }

    /// " (the list is empty)" when it is.
    private static func emptyNote(_ empty: Bool) -> String { empty ? " (the list is empty)" : "" }
}
