import AuditResults
import PromptSets

extension AuditAnalysis {
    /// Analyses every setting of a sampling sweep (`run --sweep`) with ``results(sets:models:records:settings:)``,
    /// the code of the main sections, and gathers each setting's primary-metric group levels and
    /// contrasts into the sweep section.
    ///
    /// Estimand, per setting: the same group levels and differences A − B as the main tables (units:
    /// terms; the random streams are shared across groups, models and settings). The section is
    /// descriptive: intervals only, no tests across settings, no findings, no multiplicity control
    /// over settings. The exact next-token log-odds is left out (it does not depend on the sampling
    /// setting; ``SweepResult/note``). Sweeps of this kind follow Dhamala et al. (2022), "An Analysis of
    /// the Effects of Decoding Algorithms on Fairness in Open-Ended Language Generation".
    /// - Parameters:
    ///   - sets: the audited prompt sets, in run order.
    ///   - models: model ids, in run order.
    ///   - settings: the audited settings; the first is the base, which the main sections describe.
    ///   - parameters: the swept parameters, in `--sweep` order.
    ///   - records: the scored completions of setting `i` (called once per setting, in order).
    ///   - analysis: confidence level, power and minimum support.
    ///   - unpairedModels: models compared unpaired (see ``results(sets:models:records:settings:pairedStreams:unpairedModels:)``).
    /// - Returns: the base setting's per-set results and model comparisons, and the sweep section.
    /// - Throws: `StatisticsError` for a non-finite score; whatever `records` throws.
    public static func sweep(
        sets: [PromptSet], models: [String], settings: [SweepSetting], parameters: [SweptParameter],
        records: (Int) throws -> [CompletionRecord], analysis: Settings, unpairedModels: Set<String> = []
    ) throws -> (sets: [PromptSetResult], comparisons: [ModelComparison], sweep: SweepResult) {
        precondition(!settings.isEmpty, "a sweep has at least one setting")
        var base: (sets: [PromptSetResult], comparisons: [ModelComparison]) = ([], [])
        var levels: [SweepLevel] = []
        var contrasts: [SweepContrast] = []
        let primary = Dictionary(
            sets.map { ($0.name, sweptMetrics(of: $0)) }, uniquingKeysWith: { first, _ in first })
        for (index, setting) in settings.enumerated() {
            var analysis = analysis
            analysis.greedy = setting.topK == 1
            let result = try results(
                sets: sets, models: models, records: try records(index), settings: analysis, unpairedModels: unpairedModels)
            if index == 0 { base = result }
            for set in result.sets {
                let metrics = set.metrics.filter { primary[set.name]?.contains($0) ?? false }
                for estimates in set.groupEstimates {
                    for metric in metrics {
                        guard let estimate = estimates.estimate(metric) else { continue }
                        levels.append(
                            SweepLevel(
                                setting: setting, model: estimates.model, promptSet: set.name, metric: metric,
                                group: estimates.group, estimate: estimate))
                    }
                }
                for contrast in set.contrasts where metrics.contains(contrast.metric) {
                    contrasts.append(
                        SweepContrast(
                            setting: setting, id: contrast.id, model: contrast.model, promptSet: set.name,
                            metric: contrast.metric, groupA: contrast.groupA, groupB: contrast.groupB,
                            difference: contrast.difference))
                }
            }
        }
        let sweep = SweepResult(
            parameters: parameters, settings: settings, base: settings[0], levels: levels, contrasts: contrasts)
        return (base.sets, base.comparisons, sweep)
    }

    /// The metrics of a set that the sweep shows: its primary metrics (``primaryMetrics(of:among:)``)
    /// except the next-token log-odds, which no sampling setting changes.
    static func sweptMetrics(of set: PromptSet) -> Set<AuditMetric> {
        primaryMetrics(of: set, among: metrics(for: set.metrics)).subtracting([.heSheLogOdds])
    }
}
