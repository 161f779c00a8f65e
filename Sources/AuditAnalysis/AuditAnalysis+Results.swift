import AuditResults
import Foundation
import PromptSets
import Statistics

extension AuditAnalysis {
    /// Computes every prompt set's estimates and contrasts, the q-values across the whole run, and
    /// the model-vs-model comparisons.
    /// - Parameters:
    ///   - sets: the audited prompt sets, in run order.
    ///   - models: model ids, in run order (the first is "A" of every comparison).
    ///   - records: every scored completion of the run.
    ///   - settings: resampling settings and the run seed.
    /// - Returns: the per-set results and the model comparisons.
    public static func results(
        sets: [PromptSet], models: [String], records: [CompletionRecord], settings: Settings
    ) throws -> (sets: [PromptSetResult], comparisons: [ModelComparison]) {
        let bySetModel = Dictionary(grouping: records) { SetModel(set: $0.set, model: $0.model) }
        var results: [PromptSetResult] = []
        var comparisons: [ModelComparison] = []
        for set in sets {
            let metrics = metrics(for: set.metrics)
            let groups = set.groups.map { group in
                GroupInfo(
                    id: group.id, label: group.label, terms: group.terms?.map(\.term) ?? group.prompts ?? [],
                    promptCount: set.prompts.filter { $0.group == group.id }.count)
            }
            var groupEstimates: [GroupEstimates] = []
            var contrasts: [Contrast] = []
            var examples: [Example] = []
            var contrastData: [String: [String: ContrastData]] = [:]  // contrast id → model → data
            for model in models {
                let modelRecords = bySetModel[SetModel(set: set.name, model: model)] ?? []
                let byGroup = Dictionary(grouping: modelRecords, by: \.group)
                var data: [AuditMetric: [String: GroupData]] = [:]  // metric → group → data
                for metric in metrics {
                    data[metric] = groupData(records: modelRecords, groups: groups, metric: metric)
                }
                for group in set.groups {
                    let groupRecords = byGroup[group.id] ?? []
                    var values: [MetricValue] = []
                    for metric in metrics {
                        let estimate = try bootstrapEstimate(
                            data[metric]![group.id]!, resamples: settings.resamples,
                            seed: RandomStreams.seed(settings.seed, for: "\(set.name)/\(model)/\(group.id)/\(metric.rawValue)"))
                        values.append(MetricValue(metric: metric, estimate: metricEstimate(estimate)))
                    }
                    groupEstimates.append(
                        GroupEstimates(model: model, group: group.id, completions: groupRecords.count, estimates: values))
                    examples += extremeExamples(groupRecords, model: model, group: group.id)
                }
                for (indexA, groupA) in set.groups.enumerated() {
                    for groupB in set.groups[(indexA + 1)...] {
                        for metric in metrics {
                            let pair = ContrastData(a: data[metric]![groupA.id]!, b: data[metric]![groupB.id]!)
                            let id = "\(set.name)/\(metric.rawValue)/\(groupA.id)-vs-\(groupB.id)"
                            contrastData[id, default: [:]][model] = pair
                            let result = try contrast(
                                pair.a, pair.b, effectSize: metric.isRate ? .cohensH : .cohensD,
                                resamples: settings.resamples, permutations: settings.permutations,
                                seed: RandomStreams.seed(settings.seed, for: "\(id)/\(model)"))
                            contrasts.append(
                                Contrast(
                                    id: id, model: model, metric: metric, groupA: groupA.id, groupB: groupB.id,
                                    difference: metricEstimate(result.estimate), pValue: result.pValue, qValue: nil,
                                    effectSize: result.effectSize, effectSizeKind: result.effectSizeKind.rawValue,
                                    permutations: result.permutations, exact: result.exact))
                        }
                    }
                }
            }
            comparisons += try modelComparisons(
                contrasts: contrasts, data: contrastData, models: models, set: set.name, settings: settings)
            results.append(
                PromptSetResult(
                    name: set.name, axis: set.axis, description: set.description, source: set.source,
                    templates: set.templates,
                    groups: groups,
                    metrics: metrics, groupEstimates: groupEstimates, contrasts: contrasts, examples: examples))
        }
        try assignQValues(&results)
        return (results, comparisons)
    }

    /// Benjamini–Hochberg over every contrast of the run that has a p-value.
    private static func assignQValues(_ results: inout [PromptSetResult]) throws {
        var positions: [(Int, Int)] = []
        var pValues: [Double] = []
        for (setIndex, set) in results.enumerated() {
            for (contrastIndex, contrast) in set.contrasts.enumerated() {
                if let p = contrast.pValue {
                    positions.append((setIndex, contrastIndex))
                    pValues.append(p)
                }
            }
        }
        guard !pValues.isEmpty else { return }
        for ((setIndex, contrastIndex), q) in zip(positions, try benjaminiHochberg(pValues)) {
            results[setIndex].contrasts[contrastIndex].qValue = q
        }
    }

    /// Each contrast's difference between every pair of models (B − A), paired by term and stream.
    private static func modelComparisons(
        contrasts: [Contrast], data: [String: [String: ContrastData]], models: [String], set: String,
        settings: Settings
    ) throws -> [ModelComparison] {
        guard models.count >= 2 else { return [] }
        var comparisons: [ModelComparison] = []
        let ids = contrasts.map(\.id).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for id in ids {
            guard let metric = contrasts.first(where: { $0.id == id })?.metric else { continue }
            for (indexA, modelA) in models.enumerated() {
                for modelB in models[(indexA + 1)...] {
                    guard let first = data[id]?[modelA], let second = data[id]?[modelB] else { continue }
                    // Statistics.modelDifference reports first − second; the schema wants B − A.
                    let difference = try modelDifference(
                        first: second, second: first, pairing: .paired, resamples: settings.resamples,
                        seed: RandomStreams.seed(settings.seed, for: "\(id)/\(modelA)/\(modelB)"))
                    comparisons.append(
                        ModelComparison(
                            contrastID: id, set: set, metric: metric, modelA: modelA, modelB: modelB,
                            valueA: difference.second.isFinite ? difference.second : nil,
                            valueB: difference.first.isFinite ? difference.first : nil,
                            difference: metricEstimate(difference.difference), paired: difference.pairing == .paired))
                }
            }
        }
        return comparisons
    }

    /// The most negative and most positive completion of a group (ties: lowest prompt id, sample).
    private static func extremeExamples(_ records: [CompletionRecord], model: String, group: String) -> [Example] {
        let ordered = records.sorted {
            ($0.scores.compound, $0.promptId, $0.sampleIndex) < ($1.scores.compound, $1.promptId, $1.sampleIndex)
        }
        guard let lowest = ordered.first, let highest = ordered.last else { return [] }
        func example(_ record: CompletionRecord, _ kind: String) -> Example {
            Example(
                model: model, group: group, kind: kind, prompt: record.prompt, continuation: record.text,
                compound: record.scores.compound)
        }
        return [example(lowest, "most_negative"), example(highest, "most_positive")]
    }

    private struct SetModel: Hashable {
        var set: String
        var model: String
    }
}
