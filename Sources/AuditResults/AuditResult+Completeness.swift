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

    /// The first contrast `run`, `analyze` and `merge` always write that `set` (at `path`) lacks, as a key path and a
    /// reason ending with `rewrite`, or nil.
    ///
    /// The analysis contrasts every two groups of a set (in the set's order) on each metric of its `metrics` under each
    /// model of the manifest, and writes a contrast too thin to estimate as a record with its reason ("insufficient
    /// data"), never leaves it out; a set of one group has no contrast, and a metric the set does not audit (or the
    /// next-token log-odds of completions without them) is not in `metrics`. A file without one of them was edited or
    /// truncated (hostile review: the contrasts of a group with an injected bias deleted, its levels kept, passed `check
    /// --strict`, and so did a file with every contrast deleted). Either order of the two groups counts.
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
                            + "under model '\(AuditJSON.shortExcerpt(model))'"
                            + (set.contrasts.isEmpty ? " (the list is empty)" : "") + ": biasaudit writes one for every two "
                            + "of the set's groups on each of its metrics under each model of the manifest (one too thin to "
                            + "estimate as \"insufficient data\"), so the file was edited or truncated; \(rewrite)")
                    }
                }
            }
        }
        return nil
    }

    /// "sentiment black_male − white_male".
    private static func describeContrast(_ metric: AuditMetric, _ a: String, _ b: String) -> String {
        "\(metric.rawValue) \(AuditJSON.shortExcerpt(a)) − \(AuditJSON.shortExcerpt(b))"
    }
}
