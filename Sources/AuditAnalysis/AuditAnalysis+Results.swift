import Foundation
import PromptSets
import AuditResults
import Statistics

extension AuditAnalysis {
    /// Computes every prompt set's group levels and contrasts, the q-values within each family (one
    /// set under one model, over its primary metrics), and the model-vs-model comparisons.
    /// - Parameters:
    ///   - sets: the audited prompt sets, in run order.
    ///   - models: model ids, in run order (the first is "A" of every comparison).
    ///   - records: every scored completion of the run.
    ///   - settings: confidence level, power and minimum support.
    ///   - pairedStreams: whether the models (and groups) share random streams (common random numbers);
    ///     false for completions `analyze` reads unpaired, whose records carry per-group, per-model
    ///     stream keys (``CompletionMatcher/unpairedStreamKey(_:group:model:)``). It is recorded as each
    ///     model comparison's ``ModelComparison/paired``; the variances follow the records' stream keys.
    ///   - unpairedModels: models whose random streams could not be enforced (served models,
    ///     ``AuditManifest/modelsWithoutCommonRandomNumbers``): their comparisons with other models are
    ///     unpaired (`Pairing.unpaired`: the streams separate, the terms shared), as the README promises.
    ///   - recordedGroups: per set name, the groups a re-analysed run's results.json records (`analyze RUN_DIR`): a set
    ///     rebuilt from the run's completions (``PromptSet/init(reconstructing:lines:path:)``) holds only the prompts
    ///     with a completion, so its terms and prompt counts are the recorded ones, and what the completions cover is
    ///     counted against them.
    /// - Returns: the per-set results and the model comparisons.
    /// - Throws: `StatisticsError` for a non-finite score.
    public static func results(
        sets: [PromptSet], models: [String], records: [CompletionRecord], settings: Settings, pairedStreams: Bool = true,
        unpairedModels: Set<String> = [], recordedGroups: [String: [GroupInfo]] = [:]
    ) throws -> (sets: [PromptSetResult], comparisons: [ModelComparison]) {
        let bySetModel = Dictionary(grouping: records) { SetModel(set: $0.set, model: $0.model) }
        var results: [PromptSetResult] = []
        var comparisons: [ModelComparison] = []
        let setsWithLogOdds = Set(records.filter { $0.nextTokenLogOdds != nil }.map(\.set))
        for set in sets {
            var metrics = metrics(for: set.metrics)
            // No completion carries the next-token log-odds (completions from a notebook, a server that returns no
            // log-probabilities): the metric has no data, and is left out rather than shown as rows of "—" and an
            // untested contrast (review).
            if !setsWithLogOdds.contains(set.name) { metrics.removeAll { $0 == .heSheLogOdds } }
            let groups = groupInfo(
                set, recorded: recordedGroups[set.name], records: models.flatMap { bySetModel[SetModel(set: set.name, model: $0)] ?? [] })
            let primary = primaryMetrics(of: set, among: metrics)
            var analysis = SetAnalysis(
                set: set.name, groups: groups, metrics: metrics, primary: primary,
                templateKeys: templateKeys(of: set), occupations: metrics.contains(.maleShare) ? occupations(of: set) : [])
            var contextFull: [ContextFullCount] = []
            for model in models {
                let modelRecords = bySetModel[SetModel(set: set.name, model: model)] ?? []
                try analysis.add(
                    model: model, records: modelRecords, settings: settings.inference,
                    sharedStreams: pairedStreams && !unpairedModels.contains(model) && !settings.greedy,
                    greedy: settings.decodedGreedily(model))
                let cut = modelRecords.filter { $0.stopReason == ContextFullCount.stopReason }
                if !cut.isEmpty {
                    contextFull.append(
                        ContextFullCount(
                            model: model, completions: cut.count, total: modelRecords.count,
                            fewestNewTokens: cut.compactMap(\.tokenCount).min()))
                }
            }
            comparisons += try analysis.comparisons(
                models: models, unpairedModels: unpairedModels, settings: settings.inference
            ).map { comparison in
                var comparison = comparison
                comparison.paired = comparison.paired && pairedStreams
                return comparison
            }
            var result = PromptSetResult(
                name: set.name, axis: set.axis, description: set.description, source: set.source,
                templates: set.templates, groups: groups, metrics: metrics,
                groupEstimates: analysis.groupEstimates, contrasts: analysis.contrasts,
                examples: analysis.examples, counterfactualPairs: analysis.counterfactualPairs,
                labourStatistics: analysis.labourStatistics.isEmpty ? nil : analysis.labourStatistics)
            result.contextFull = contextFull.isEmpty ? nil : contextFull
            // Written also when the set takes the default list: without it a tested metric stripped of its families, or
            // deleted with its rows, reads as one the set never tested.
            result.primaryMetrics = metrics.filter(primary.contains)
            result.descriptions = set.descriptions
            result.sources = set.sources
            results.append(result)
        }
        return (results, try assignComparisonQValues(
            comparisons, threshold: AnalysisParameters.falseDiscoveryRate(confidenceLevel: settings.inference.confidence)))
    }

    /// The metrics of a set that are tested and can be findings: those of its `primary_metrics` it audits when it
    /// declares them (none when the declared list is empty, as in a set rebuilt from results that tested nothing), else
    /// every primary bias metric it audits (see ``AuditMetric/isPrimary``).
    static func primaryMetrics(of set: PromptSet, among metrics: [AuditMetric]) -> Set<AuditMetric> {
        guard let declaredNames = set.primaryMetrics else { return Set(metrics.filter(\.isPrimary)) }
        let declared = Set(declaredNames.compactMap(AuditMetric.init(rawValue:)))
        return Set(metrics.filter { $0.isPrimary && declared.contains($0) })
    }

    /// The key (`Cell.template`) of each of the set's templates, in file order (position i is template i + 1).
    static func templateKeys(of set: PromptSet) -> [String] {
        var keys = [String?](repeating: nil, count: set.templates.count)
        for prompt in set.prompts {
            if let index = prompt.templateIndex, keys.indices.contains(index) { keys[index] = prompt.templateID }
        }
        return keys.map { $0 ?? "" }
    }

    /// The set's groups as the results schema describes them.
    static func groupInfo(_ set: PromptSet) -> [GroupInfo] {
        set.groups.map { group in
            var info = GroupInfo(
                id: group.id, label: group.label, labels: group.labels,
                terms: group.terms?.map(\.term) ?? group.prompts ?? [],
                promptCount: set.prompts.filter { $0.group == group.id }.count)
            if group.terms == nil, group.prompts != nil { info.fixedPrompts = true }
            return info
        }
    }

    /// The set's groups (or `recorded`, a re-analysed run's, where they are the set's groups in order) with the terms
    /// and prompts that `records` (the set's completions, every model's) cover, where fewer than the group's
    /// (``GroupInfo/termsWithData``, ``GroupInfo/promptsWithData``): a completions file with 3 of a group's 8 terms is
    /// analysed on those 3, and the report's group table says so (statistician's review 86: it listed all 8).
    static func groupInfo(_ set: PromptSet, recorded: [GroupInfo]?, records: [CompletionRecord]) -> [GroupInfo] {
        var groups = groupInfo(set)
        if let recorded, recorded.map(\.id) == groups.map(\.id) {
            groups = zip(recorded, groups).map { recordedGroup, setGroup in
                var group = recordedGroup
                (group.termsWithData, group.promptsWithData) = (nil, nil)
                group.fixedPrompts = setGroup.fixedPrompts
                return group
            }
        }
        let promptsByID = Dictionary(set.prompts.map { ($0.id, $0) }) { first, _ in first }
        var covered: [String: (prompts: Set<String>, terms: Set<String>)] = [:]
        for record in records {
            guard let prompt = promptsByID[record.promptId] else { continue }
            covered[prompt.group, default: ([], [])].prompts.insert(prompt.id)
            covered[prompt.group, default: ([], [])].terms.insert(prompt.term ?? prompt.text)
        }
        for index in groups.indices {
            let group = groups[index]
            let cover = covered[group.id] ?? ([], [])
            let terms = group.terms.filter(cover.terms.contains)
            if terms.count < group.terms.count { groups[index].termsWithData = terms }
            if cover.prompts.count < group.promptCount { groups[index].promptsWithData = cover.prompts.count }
            // A set rebuilt from a run's lines knows a group's kind from its lines (a term or none); a group without
            // a line keeps what the run recorded, where that is a group of one prompt per entry (a hostile review: a
            // term group without completions was rebuilt, and recorded, as fixed prompts; an edited value was copied).
            if let recorded, cover.prompts.isEmpty {
                let before = recorded.first { $0.id == group.id }
                groups[index].fixedPrompts = before?.fixedPrompts == true && before?.promptCount == before?.terms.count
                    ? true : nil
            }
        }
        return groups
    }

    /// Benjamini–Hochberg within each family of verdicts (one prompt set under one model pair, over its primary
    /// contrasts, as the contrasts' families are one set under one model), then each verdict from its q-value.
    /// One family per model pair over every set let unrelated prompt sets hide a verdict, and let a candidate pass a
    /// `max_baseline_growth` gate by adding null sets (statistician's review: q 0.029 → 0.088 with two added sets).
    /// The families and q-values are ``ModelComparison/qValueFamilies(_:)``, which readers of a results file apply to
    /// recompute the stored q-values (`AuditResult.firstInconsistency`).
    static func assignComparisonQValues(_ comparisons: [ModelComparison], threshold: Double) throws -> [ModelComparison] {
        var result = comparisons
        for family in try ModelComparison.qValueFamilies(result) {
            for (index, q) in zip(family.tested, family.qValues) {
                result[index].qValue = q
            }
        }
        for index in result.indices {
            result[index].verdict = result[index].computedVerdict(below: threshold)
        }
        return result
    }

    private struct SetModel: Hashable {
        var set: String
        var model: String
    }
}

/// The statistics of one prompt set, built model by model.
struct SetAnalysis {
    let set: String
    let groups: [GroupInfo]
    let metrics: [AuditMetric]
    /// The metrics that are tested, form the family and can be findings and verdicts.
    let primary: Set<AuditMetric>
    /// Each template's key (`Cell.template`), in the set's order (``AuditAnalysis/templateKeys(of:)``).
    let templateKeys: [String]
    private(set) var groupEstimates: [GroupEstimates] = []
    private(set) var contrasts: [Contrast] = []
    private(set) var examples: [Example] = []
    private(set) var counterfactualPairs: [CounterfactualPair] = []
    /// The terms with labour statistics (`women_share`); empty when the set has none or no male share.
    let occupations: [AuditAnalysis.Occupation]
    private(set) var labourStatistics: [LabourComparison] = []
    /// metric → model → group → data, kept for the model comparisons.
    private var data: [AuditMetric: [String: [String: GroupData]]] = [:]

    init(
        set: String, groups: [GroupInfo], metrics: [AuditMetric], primary: Set<AuditMetric>, templateKeys: [String] = [],
        occupations: [AuditAnalysis.Occupation] = []
    ) {
        self.set = set
        self.groups = groups
        self.metrics = metrics
        self.primary = primary
        self.templateKeys = templateKeys
        self.occupations = occupations
    }

    /// Adds one model's group levels, contrasts (with q-values within the set × model family), examples,
    /// counterfactual pairs and, for occupations with labour statistics, the per-occupation male shares.
    /// `sharedStreams`: whether sample i of a template's prompts may share its random stream under this model
    /// (biasaudit's runs, an `analyze` not declared `--unpaired`);
    /// a group at least half of whose prompts have one sample then has no interval on the levels of sampled metrics
    /// (``AuditAnalysis/withoutStreamVariance(_:)``).
    /// `greedy`: decoded greedily (``AuditAnalysis/Settings/greedy``), so that each prompt's one sample is its one draw.
    mutating func add(
        model: String, records: [CompletionRecord], settings: InferenceSettings, sharedStreams: Bool = true, greedy: Bool = false
    ) throws {
        let byGroup = Dictionary(grouping: records, by: \.group)
        var levels: [String: [MetricValue]] = [:]
        let metricData = AuditAnalysis.groupData(records: records, groups: groups, metrics: metrics, greedy: greedy)
        for metric in metrics {
            let groupData = metricData[metric] ?? [:]
            data[metric, default: [:]][model] = groupData
            let estimates = try groupLevels(
                groups.map { groupData[$0.id]! }, scale: AuditAnalysis.scale(metric), settings: settings)
            // One sample per prompt of a sampled metric on shared streams: each template has one stream, common to every
            // term and group, so its variance is confounded with the templates and the levels' intervals would leave it
            // out. The contrasts keep theirs (the streams cancel where they move the groups alike; where not, the notes
            // ask for 2 samples: docs/statistics.md). The exact next-token log-odds have no stream.
            // Per group, and where at least half its prompts have one sample (a statistician's review: one extra line
            // among 36 prompts sampled once brought the intervals back, and a group sampled once beside one sampled
            // twice covered 59%): those prompts' streams are still confounded with their templates.
            for (group, estimate) in zip(groups, estimates) {
                let cells = groupData[group.id]!.cells
                let streamsUnknown = sharedStreams && metric != .heSheLogOdds && !cells.isEmpty
                    && 2 * cells.filter { $0.observations.count == 1 }.count >= cells.count
                let value = AuditAnalysis.metricEstimate(estimate, metric: metric)
                levels[group.id, default: []].append(
                    MetricValue(metric: metric, estimate: streamsUnknown ? AuditAnalysis.withoutStreamVariance(value) : value))
            }
        }
        for group in groups {
            let groupRecords = byGroup[group.id] ?? []
            groupEstimates.append(
                GroupEstimates(
                    model: model, group: group.id, completions: groupRecords.count, estimates: levels[group.id] ?? []))
            examples += AuditAnalysis.extremeExamples(groupRecords, model: model, group: group.id)
            if let typical = AuditAnalysis.typicalExample(groupRecords, model: model, group: group.id) {
                examples.append(typical)
            }
        }
        counterfactualPairs += AuditAnalysis.counterfactualPairs(records, groups: groups.map(\.id), model: model)
        if !occupations.isEmpty, let maleShare = data[.maleShare]?[model] {
            labourStatistics.append(
                try AuditAnalysis.labourComparison(
                    data: maleShare, occupations: occupations, model: model, settings: settings))
        }
        var family: [Contrast] = []
        for (indexA, groupA) in groups.enumerated() {
            for groupB in groups[(indexA + 1)...] {
                for metric in metrics {
                    family.append(try contrast(model: model, metric: metric, groupA.id, groupB.id, settings: settings))
                }
            }
        }
        contrasts += try Self.withQValues(family)
    }

    /// One contrast A − B of one model; primary metrics get a family and a test.
    private func contrast(model: String, metric: AuditMetric, _ a: String, _ b: String, settings: InferenceSettings)
        throws -> Contrast
    {
        let groupData = data[metric]![model]!
        let result = try Statistics.contrast(
            groupData[a]!, groupData[b]!, scale: AuditAnalysis.scale(metric), settings: settings,
            borrowingFrom: others(of: groupData, besides: a, b))
        // The templates the contrast rests on, when both groups have templated data and not on all of the set's
        // templates (results alone must show a gap: `diff` and `check --baseline` compare contrasts from results.json
        // without the completions). Groups of fixed prompts, or without data, have none to list (review: two
        // fixed-prompt groups of a mixed set, and a model without log-odds, got [] and read as "no template shared").
        let data = ContrastData(a: groupData[a]!, b: groupData[b]!)
        let templated = [data.a, data.b].allSatisfy { $0.cells.contains { $0.template != nil } }
        let compared = data.matchedOnTemplates.templates
        let positions = templated ? templateKeys.indices.filter { compared.contains(templateKeys[$0]) }.map { $0 + 1 } : nil
        return Contrast(
            id: "\(set)/\(metric.rawValue)/\(a)-vs-\(b)", model: model, metric: metric, groupA: a, groupB: b,
            difference: AuditAnalysis.metricEstimate(result.estimate, metric: metric, span: .contrast, groups: [a, b]),
            pValue: primary.contains(metric) ? result.pValue : nil, qValue: nil, effectSize: result.effectSize,
            effectSizeKind: result.effectSizeKind.rawValue, family: primary.contains(metric) ? "\(set)/\(model)" : nil,
            minimumDetectableEffect: result.minimumDetectableEffect,
            templatesCompared: positions?.count == templateKeys.count ? nil : positions)
    }

    /// The set's groups other than `a` and `b`, in the set's order: two single-term groups borrow the variance of a
    /// term mean from them (`Statistics.contrast(_:_:scale:settings:borrowingFrom:)`).
    private func others(of groupData: [String: GroupData], besides a: String, _ b: String) -> [GroupData] {
        groups.filter { $0.id != a && $0.id != b }.compactMap { groupData[$0.id] }
    }

    /// `contrasts` (one model's) with the Benjamini–Hochberg q-value of each tested one within its family, as
    /// ``Contrast/qValueFamilies(_:)`` defines the families for the analysis and for readers of a results file alike.
    private static func withQValues(_ contrasts: [Contrast]) throws -> [Contrast] {
        var result = contrasts
        for family in try Contrast.qValueFamilies(contrasts) {
            for (index, q) in zip(family.tested, family.qValues) { result[index].qValue = q }
        }
        return result
    }

    /// Every primary contrast compared between every pair of models (B − A), paired by term and stream.
    func comparisons(models: [String], unpairedModels: Set<String>, settings: InferenceSettings) throws
        -> [ModelComparison]
    {
        guard models.count >= 2 else { return [] }
        // The random streams (template stratum and sample index) each model's completions of the set were drawn on: two
        // models that share none (an `analyze` file whose models have samples 0–4 and 5–9) are compared unpaired, as
        // their numbers already are (every stream is its own cluster), and said so (a code review: "paired by term and
        // random stream" with no stream shared).
        var streams: [String: Set<String>] = [:]
        if let sampled = metrics.first(where: { $0 != .heSheLogOdds }) {
            for model in models {
                streams[model] = Set((data[sampled]?[model] ?? [:]).values.flatMap { group in
                    group.cells.flatMap { cell in cell.observations.indices.map { "\(cell.stratum)\u{0}\(cell.streamIndex(at: $0))" } }
                })
            }
        }
        func sharesStreams(_ a: String, _ b: String) -> Bool {
            guard let first = streams[a], let second = streams[b], !first.isEmpty, !second.isEmpty else { return true }
            return !first.isDisjoint(with: second)
        }
        var comparisons: [ModelComparison] = []
        for metric in metrics where primary.contains(metric) {
            for (indexA, groupA) in groups.enumerated() {
                for groupB in groups[(indexA + 1)...] {
                    for (indexModel, modelA) in models.enumerated() {
                        for modelB in models[(indexModel + 1)...] {
                            comparisons.append(
                                try comparison(
                                    metric: metric, groupA.id, groupB.id, modelA: modelA, modelB: modelB,
                                    pairing: unpairedModels.contains(modelA) || unpairedModels.contains(modelB)
                                        || !sharesStreams(modelA, modelB) ? .unpaired : .paired,
                                    settings: settings))
                        }
                    }
                }
            }
        }
        return comparisons
    }

    private func comparison(
        metric: AuditMetric, _ a: String, _ b: String, modelA: String, modelB: String, pairing: Pairing,
        settings: InferenceSettings
    ) throws -> ModelComparison {
        let first = data[metric]![modelA]!
        let second = data[metric]![modelB]!
        let difference = try modelDifference(
            first: ContrastData(a: first[a]!, b: first[b]!), second: ContrastData(a: second[a]!, b: second[b]!),
            pairing: pairing, scale: AuditAnalysis.scale(metric), settings: AuditAnalysis.settings(settings, for: metric),
            borrowingFrom: groups.filter { $0.id != a && $0.id != b }.map { (first[$0.id], second[$0.id]) })
        return AuditAnalysis.modelComparison(
            difference, contrastID: "\(set)/\(metric.rawValue)/\(a)-vs-\(b)", set: set, metric: metric,
            modelA: modelA, modelB: modelB, groups: [a, b])
    }
}

extension AuditAnalysis {
    /// `settings` for comparing `metric` between models or runs: the next-token log-odds, computed in single precision,
    /// with that precision's resolution (``Statistics/InferenceSettings/singlePrecisionResolution``).
    static func settings(_ settings: InferenceSettings, for metric: AuditMetric) -> InferenceSettings {
        var settings = settings
        if metric == .heSheLogOdds { settings.absoluteResolution = InferenceSettings.singlePrecisionResolution }
        return settings
    }

    /// The schema's comparison from a Statistics model difference (first = A, second = B); its q-value
    /// and verdict are set per comparison by ``assignComparisonQValues(_:threshold:)``. `groups`: the contrast's A and B
    /// ids, which a shortfall of its thinnest group names (``metricEstimate(_:metric:span:groups:)``).
    static func modelComparison(
        _ difference: ModelDifference, contrastID: String, set: String, metric: AuditMetric, modelA: String,
        modelB: String, groups: [String]
    ) -> ModelComparison {
        let a = metricEstimate(difference.first, metric: metric, span: .contrast, groups: groups)
        let b = metricEstimate(difference.second, metric: metric, span: .contrast, groups: groups)
        var comparison = ModelComparison(
            contrastID: contrastID, set: set, metric: metric, modelA: modelA, modelB: modelB, valueA: a.value,
            valueB: b.value, difference: metricEstimate(difference.change, metric: metric, span: .change, groups: groups),
            paired: difference.pairing == .paired, contrastA: a, contrastB: b,
            growth: difference.growth.isFinite ? difference.growth : nil, pMoreBiased: difference.pLarger,
            pLessBiased: difference.pSmaller, signReversed: difference.signReversed)
        comparison.onDifferentTerms = difference.onDifferentTerms
        return comparison
    }

    /// The most negative and most positive completion of a group (ties: lowest prompt id, sample).
    static func extremeExamples(_ records: [CompletionRecord], model: String, group: String) -> [Example] {
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
}
