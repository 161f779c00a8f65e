import AuditResults
import Foundation
import PromptSets
import Statistics

/// Turns scored completions into the statistics of ``AuditResult``.
///
/// Which method answers which question (see the Statistics target for the estimators):
/// - "How does the model write about group G?" — the group's level (Σx/Σw over its completions) with
///   a t interval (Wilson for rates and shares) whose variance counts terms and the shared random
///   streams as crossed random effects, the per-term variance pooled over the set's groups.
/// - "Do groups A and B differ?" — A − B (the same estimand as the table's rows) with a Welch-type t
///   interval and test (Satterthwaite df), Cohen's d on completion-level scores or Cohen's h, the
///   minimum detectable effect at 80% power, and Benjamini–Hochberg q-values within each family: one
///   prompt set under one model, over its primary metrics (sentiment, % negative, male share, he/she
///   log-odds). The other metrics are descriptive: intervals, no tests, never findings.
/// - "Is model B more biased than model A?" — a joint test of |B| vs |A| from the paired change B − A
///   and the sum B + A (same terms, same random streams), q-values within each family (one prompt set under
///   one model pair, over its primary contrasts),
///   and a separate flag when the two models' intervals exclude 0 on opposite sides.
public enum AuditAnalysis {
    /// The settings the analysis uses.
    public struct Settings: Sendable {
        /// Confidence level, power and minimum support of every interval and test.
        public var inference: InferenceSettings
        /// Whether the completions were decoded greedily (`top_k` 1): no random stream moves them, so one sample per
        /// prompt leaves no stream variance out of a level (a code review: greedy runs with one sample lost their
        /// levels' intervals, with two they kept them). Not recorded: it follows from the sampling parameters.
        public var greedy = false
        /// Models that sampled whatever `top_k` said (``AuditResults/AuditManifest/modelsWithoutTopK``: a served model
        /// whose server refused it): under ``greedy`` their one sample per prompt is not taken for a copy of one draw (a
        /// review: such a model's one-sample run read "more samples add nothing").
        public var sampledModels: Set<String> = []
        /// Whether `model`'s completions were decoded greedily: ``greedy``, unless it is one of ``sampledModels``.
        public func decodedGreedily(_ model: String) -> Bool { greedy && !sampledModels.contains(model) }
        /// The confidence level of every interval, as recorded in the manifest.
        public var confidenceLevel: Double { inference.confidence }

        /// Creates settings.
        public init(inference: InferenceSettings = .standard) {
            self.inference = inference
        }

        /// The settings recorded in results.json.
        public var parameters: AnalysisParameters {
            AnalysisParameters(
                confidenceLevel: inference.confidence, power: inference.power,
                minimumGenderedWords: Int(inference.minimumWeight.rounded()),
                minimumEvents: Int(inference.minimumEvents.rounded()),
                falseDiscoveryRate: AnalysisParameters.falseDiscoveryRate(confidenceLevel: inference.confidence))
        }
    }

    /// The observations of `metric` for the records of one group (already filtered to one set and
    /// model), as cells of (template stratum, term unit) in sample-index order: the observation of sample index i of
    /// every cell of a template was drawn with random stream i (common random numbers). A cell whose indices are not
    /// 0, 1, … (a line missing from a completions file) records them (``Statistics/Cell/sampleIndices``), so that
    /// its other samples stay paired with the same streams of the other prompts.
    ///
    /// Sentiment and the rates are means of per-completion values (w = 1); the male share is a ratio
    /// of sums (x = male words, w = gendered words), so completions with more gendered words weigh
    /// more, and completions without any stay as (0, 0) to keep the sample indices aligned; the
    /// next-token log-odds has one observation per prompt. Units are terms (a fixed prompt without a
    /// term is its own unit). A cell whose completions are all one text (greedy decoding) is marked as copies
    /// (``Statistics/Cell/copies``): they are one draw, not several.
    static func groupData(records: [CompletionRecord], metric: AuditMetric, greedy: Bool = false) -> GroupData {
        groupData(inPromptOrder: inPromptOrder(records), metric: metric, greedy: greedy)
    }

    /// `records` in the order ``groupData(records:metric:)`` reads them: by prompt id, then sample index.
    private static func inPromptOrder(_ records: [CompletionRecord]) -> [CompletionRecord] {
        records.sorted { ($0.promptId, $0.sampleIndex) < ($1.promptId, $1.sampleIndex) }
    }

    /// ``groupData(records:metric:)`` of records already in ``inPromptOrder(_:)``. `greedy`: the completions were decoded
    /// greedily (``Settings/greedy``), so a prompt's one sample is its one draw and its cell is copies too (a teacher's
    /// review: with `--top-k 1 --samples 1` no copy could be seen, and the run got neither the analysis nor the notes of
    /// copies that 2 samples of the same texts get); a sampled metric only (the next-token log-odds are one exact value).
    private static func groupData(inPromptOrder sorted: [CompletionRecord], metric: AuditMetric, greedy: Bool = false) -> GroupData {
        var order: [String] = []
        var cells: [String: Statistics.Cell] = [:]
        // Each cell's first text, and the cells where another text follows.
        var firstText: [String: String] = [:]
        var varied: Set<String> = []
        var indices: [String: [Int]] = [:]
        var seenPrompts: Set<String> = []
        for record in sorted {
            let observation: Observation?
            switch metric {
            case .sentiment:
                observation = Observation(x: record.scores.compound, w: 1)
            case .negativeRate:
                observation = Observation(x: record.scores.sentimentLabel == .negative ? 1 : 0, w: 1)
            case .positiveRate:
                observation = Observation(x: record.scores.sentimentLabel == .positive ? 1 : 0, w: 1)
            case .maleShare:
                let gendered = record.scores.maleWords + record.scores.femaleWords
                observation = Observation(x: Double(record.scores.maleWords), w: Double(gendered))
            case .genderedRate:
                observation = Observation(x: record.scores.maleWords + record.scores.femaleWords > 0 ? 1 : 0, w: 1)
            case .lexiconCoverage:
                observation = Observation(x: record.scores.positive + record.scores.negative > 0 ? 1 : 0, w: 1)
            case .heSheLogOdds:
                if let odds = record.nextTokenLogOdds, odds.isFinite, seenPrompts.insert(record.promptId).inserted {
                    observation = Observation(x: odds, w: 1)
                } else {
                    observation = nil
                }
            }
            guard let observation else { continue }
            let unit = record.term ?? record.promptId
            let key = record.templateId + "\u{0}" + unit
            if cells[key] == nil {
                order.append(key)
                // Contrasts match cells by template (unpaired, the stratum is the template's per group and model);
                // a fixed prompt has none.
                cells[key] = Statistics.Cell(
                    stratum: record.templateId, unit: unit, observations: [],
                    template: record.template == nil ? nil : CompletionMatcher.templateKey(ofStreamKey: record.templateId))
            }
            cells[key]!.observations.append(observation)
            // The next-token log-odds is exact, one value per prompt: no stream.
            if metric != .heSheLogOdds { indices[key, default: []].append(record.sampleIndex) }
            // Copies: the same text, and so the same scores (hand-made files may pair one text with other scores).
            if let text = firstText[key] {
                if text != record.text || cells[key]!.observations.first != observation { varied.insert(key) }
            } else {
                firstText[key] = record.text
            }
        }
        return GroupData(cells: order.map { key in
            var cell = cells[key]!
            let oneDraw = greedy && metric != .heSheLogOdds && cell.observations.count == 1
            cell.copies = (cell.observations.count >= 2 || oneDraw) && !varied.contains(key)
            if let drawn = indices[key], drawn != Array(0..<drawn.count) { cell.sampleIndices = drawn }
            return cell
        })
    }

    /// The metrics a prompt set's `metrics:` list asks for (all when empty).
    public static func metrics(for families: [PromptSetMetric]) -> [AuditMetric] {
        let wanted = Set(families.isEmpty ? PromptSetMetric.allCases : families)
        var metrics: [AuditMetric] = []
        if wanted.contains(.sentiment) { metrics += [.sentiment, .negativeRate, .positiveRate, .lexiconCoverage] }
        if wanted.contains(.gender) { metrics += [.maleShare, .genderedRate, .heSheLogOdds] }
        return metrics.sorted()
    }

    /// What an estimate is of, for the values it can take (``AuditAnalysis/possibleValues(of:_:)``).
    enum Span {
        /// A group's level: a VADER compound in −1…1, a rate or share in 0…1.
        case level
        /// A difference of two levels (a contrast): ±2 for the compound, ±1 for a rate or share.
        case contrast
        /// A change of two contrasts between models: ±4 for the compound, ±2 for a rate or share.
        case change
    }

    /// The values an estimate of `metric` can take; nil where unbounded (the next-token log-odds).
    static func possibleValues(of metric: AuditMetric, _ span: Span) -> ClosedRange<Double>? {
        guard let width = metric.contrastBound else { return nil }
        switch span {
        case .level: return metric == .sentiment ? -1...1 : 0...1
        case .contrast: return -width...width
        case .change: return -2 * width...2 * width
        }
    }

    /// A group level from one sample per prompt on shared random streams: its value and counts, no interval, standard
    /// error or df, and the reason (`too_few_samples`, 1 below 2). The stream component σ²_stream/J of the level is
    /// estimated from the streams within a template (J − T df); with one sample J = T and it cannot be, and the term-cluster
    /// interval without it covered 74–77% for means and 80–82% for rates with ρ 0.5 (a statistician's simulation of the
    /// religion set, 3 × 8 terms × 3 templates, 150 replications). An estimate already below its support keeps its reason.
    static func withoutStreamVariance(_ estimate: MetricEstimate) -> MetricEstimate {
        guard estimate.insufficientDetail == nil, estimate.insufficient == nil, estimate.value != nil else { return estimate }
        var level = estimate
        (level.lower, level.upper, level.standardError, level.degreesOfFreedom) = (nil, nil, nil, nil)
        let detail = InsufficientSupport(reason: .tooFewSamples, observed: 1, minimum: 2)
        level.insufficientDetail = detail
        level.insufficient = detail.englishText(inThisGroup: true)
        return level
    }

    /// Converts a Statistics estimate (NaN when undefined) into the result schema's form; `n` counts
    /// observations (completions, or prompts for the log-odds), `terms` the units. An interval is cut to the values
    /// its estimate can take (``possibleValues(of:_:)``): a mean compound's t interval on 2–3 df reached
    /// "−0.52 [−3.31, 2.27]" (user review), and a change of two share contrasts between models "−48.6 pp [−253.7,
    /// +156.5]" (statistician's review). The cut interval covers whenever the uncut one does, since the true value
    /// lies inside the range.
    ///
    /// `groups`: the ids of the estimand's arms in Statistics' order (a contrast's A and B), so that a shortfall of the
    /// thinnest group names it (``InsufficientSupport/group``); nil for a level.
    static func metricEstimate(
        _ estimate: Estimate, metric: AuditMetric? = nil, span: Span = .level, groups: [String]? = nil
    ) -> MetricEstimate {
        let group = estimate.insufficient?.arm.flatMap { arm in groups.flatMap { $0.indices.contains(arm) ? $0[arm] : nil } }
        let support = estimate.insufficient.map { shortfall -> InsufficientSupport in
            switch shortfall.kind {
            case .events:
                InsufficientSupport(
                    reason: .tooFewEvents, observed: shortfall.observed, minimum: shortfall.minimum, metric: metric)
            case .nonEvents:
                InsufficientSupport(
                    reason: .tooFewNonEvents, observed: shortfall.observed, minimum: shortfall.minimum, metric: metric)
            case .weight:
                InsufficientSupport(
                    reason: metric == .maleShare ? .tooFewGenderedWords : .tooLittleData, observed: shortfall.observed,
                    minimum: shortfall.minimum, group: group)
            case .weightedObservations:
                InsufficientSupport(
                    reason: metric == .maleShare ? .tooFewGenderedCompletions : .tooLittleData,
                    observed: shortfall.observed, minimum: shortfall.minimum, group: group)
            }
        }
        var (lower, upper) = (estimate.lower, estimate.upper)
        if let metric, let range = possibleValues(of: metric, span) {
            lower = lower.map { min(max(range.lowerBound, $0), range.upperBound) }
            upper = upper.map { max(min(range.upperBound, $0), range.lowerBound) }
        }
        return MetricEstimate(
            value: estimate.value.isFinite ? estimate.value : nil, lower: lower, upper: upper,
            n: estimate.observations, terms: estimate.n, weight: metric == .maleShare ? estimate.weight : nil,
            standardError: estimate.standardError, degreesOfFreedom: estimate.degreesOfFreedom,
            method: estimate.method?.rawValue,
            insufficient: support?.englishText, insufficientDetail: support)
    }

    /// The scale a metric is analysed on.
    static func scale(_ metric: AuditMetric) -> MetricScale {
        switch metric {
        case .sentiment, .heSheLogOdds: .mean
        case .maleShare: .ratio
        case .negativeRate, .positiveRate, .genderedRate, .lexiconCoverage: .proportion
        }
    }
}

extension AuditAnalysis {
    /// The observations of `metric` for every group of one prompt set under one model, keyed by group id.
    ///
    /// The one place that turns completions into cells, so that `run`, `analyze`, `diff` and the
    /// baseline growth of `check` analyse the same data the same way.
    /// - Parameters:
    ///   - records: the completions of one set and one model.
    ///   - groups: the set's groups, as in ``PromptSetResult/groups``.
    ///   - metric: the metric.
    /// - Returns: one entry per group of `groups` (with no cells when the group has no records).
    public static func groupData(records: [CompletionRecord], groups: [GroupInfo], metric: AuditMetric, greedy: Bool = false)
        -> [String: GroupData]
    {
        groupData(records: records, groups: groups, metrics: [metric], greedy: greedy)[metric] ?? [:]
    }

    /// ``groupData(records:groups:metric:)`` of each of `metrics`, the records grouped and put in order once (a set's
    /// analysis sorted every group's completions again for each of its seven metrics).
    /// - Returns: per metric, one entry per group of `groups`.
    /// - Parameter greedy: the completions were decoded greedily (``Settings/greedy``): each prompt's one sample is a
    ///   copy of its one draw too.
    public static func groupData(
        records: [CompletionRecord], groups: [GroupInfo], metrics: [AuditMetric], greedy: Bool = false
    ) -> [AuditMetric: [String: GroupData]] {
        // Each group's records moved out as they are put in order, so that one copy of the records is held, not two.
        var byGroup = Dictionary(grouping: records, by: \.group)
        let sorted = groups.map { inPromptOrder(byGroup.removeValue(forKey: $0.id) ?? []) }
        var data: [AuditMetric: [String: GroupData]] = [:]
        for metric in metrics {
            for (group, records) in zip(groups, sorted) {
                data[metric, default: [:]][group.id] = groupData(inPromptOrder: records, metric: metric, greedy: greedy)
            }
        }
        return data
    }
}
