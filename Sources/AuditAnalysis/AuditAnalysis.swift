import AuditResults
import Foundation
import PromptSets
import Statistics

/// Turns scored completions into the statistics of ``AuditResult``.
///
/// Which method answers which question (see also the Statistics target):
/// - "How does the model write about group G?" — per-group estimates with a two-stage cluster
///   bootstrap CI: terms (names, occupations) are resampled within the group, then samples within
///   each term, because completions of one term are correlated and terms are the units we chose.
/// - "Do groups A and B differ?" — the template-stratified difference A − B with a bootstrap CI, a
///   permutation test that shuffles group labels among terms (a term keeps its label across templates;
///   terms, not samples, are the independent units; prompts nested in one template each are shuffled
///   within their template), Benjamini–Hochberg q-values over every contrast of the run
///   (many contrasts are tested at once), and Cohen's d (means) or h (rates) for the size.
/// - "Is model B more biased than model A?" — the difference of a contrast between the models, with a
///   paired bootstrap (same terms, same random streams: common random numbers).
public enum AuditAnalysis {
    /// The thresholds and resampling settings the analysis uses.
    public struct Settings: Sendable {
        /// Bootstrap resamples per interval.
        public var resamples: Int
        /// Monte Carlo permutations per test.
        public var permutations: Int
        /// The run seed (every resample seed derives from it and the quantity's name).
        public var seed: UInt64
        /// The confidence level of every interval the analysis computes (the estimators' default), as
        /// recorded in the manifest.
        public var confidenceLevel: Double { 0.95 }

        /// Creates settings.
        public init(resamples: Int, permutations: Int, seed: UInt64) {
            self.resamples = resamples
            self.permutations = permutations
            self.seed = seed
        }
    }

    /// The observations of `metric` for the records of one group (already filtered to one set and
    /// model), as cells of (template stratum, term unit) in sample-index order.
    ///
    /// Sentiment and the rates are means of per-completion values (w = 1); the male share is a ratio
    /// of sums (x = male words, w = gendered words), so completions with more gendered words weigh
    /// more; the next-token log-odds has one observation per prompt.
    ///
    /// Units are terms, so that a term's completions under every template count as one independent
    /// unit. When `unitsArePrompts` is set (a set whose groups have a single term, as in Sheng et al.'s
    /// "The man" / "The woman"), each prompt is its own unit: the templates are then the replications,
    /// and the permutation test becomes a sign-flip test across templates. Callers outside this type go
    /// through ``groupData(records:groups:metric:)``, which decides the units from the set's groups.
    static func groupData(records: [CompletionRecord], metric: AuditMetric, unitsArePrompts: Bool) -> GroupData {
        var order: [String] = []
        var cells: [String: Statistics.Cell] = [:]
        let sorted = records.sorted { ($0.promptId, $0.sampleIndex) < ($1.promptId, $1.sampleIndex) }
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
            let unit = unitsArePrompts ? record.promptId : (record.term ?? record.promptId)
            let key = record.templateId + "\u{0}" + unit
            if cells[key] == nil {
                order.append(key)
                cells[key] = Statistics.Cell(stratum: record.templateId, unit: unit, observations: [])
            }
            cells[key]!.observations.append(observation)
        }
        return GroupData(cells: order.map { cells[$0]! })
    }

    /// The metrics a prompt set's `metrics:` list asks for (all when empty).
    public static func metrics(for families: [PromptSetMetric]) -> [AuditMetric] {
        let wanted = Set(families.isEmpty ? PromptSetMetric.allCases : families)
        var metrics: [AuditMetric] = []
        if wanted.contains(.sentiment) { metrics += [.sentiment, .negativeRate, .positiveRate, .lexiconCoverage] }
        if wanted.contains(.gender) { metrics += [.maleShare, .genderedRate, .heSheLogOdds] }
        return metrics.sorted()
    }

    /// Converts a Statistics estimate (NaN when undefined) into the result schema's optional form.
    static func metricEstimate(_ estimate: Estimate) -> MetricEstimate {
        MetricEstimate(
            value: estimate.value.isFinite ? estimate.value : nil, lower: estimate.lower, upper: estimate.upper,
            n: estimate.observations)
    }
}

extension AuditAnalysis {
    /// Whether a set's statistics use prompts rather than terms as units: when some group has a single
    /// term, terms cannot be resampled or permuted, so the templates become the replications.
    public static func unitsArePrompts(groups: [GroupInfo]) -> Bool {
        groups.contains { $0.terms.count < 2 }
    }

    /// The observations of `metric` for every group of one prompt set under one model, keyed by group id,
    /// with the units the set's design allows (``unitsArePrompts(groups:)``).
    ///
    /// This is the one place that decides the units, so that `run` and `diff` (and the baseline growth of
    /// `check`) resample the same way.
    /// - Parameters:
    ///   - records: the completions of one set and one model.
    ///   - groups: the set's groups, as in ``PromptSetResult/groups``.
    ///   - metric: the metric.
    /// - Returns: one entry per group of `groups` (with no cells when the group has no records).
    public static func groupData(records: [CompletionRecord], groups: [GroupInfo], metric: AuditMetric)
        -> [String: GroupData]
    {
        let unitsArePrompts = unitsArePrompts(groups: groups)
        let byGroup = Dictionary(grouping: records, by: \.group)
        var data: [String: GroupData] = [:]
        for group in groups {
            data[group.id] = groupData(records: byGroup[group.id] ?? [], metric: metric, unitsArePrompts: unitsArePrompts)
        }
        return data
    }
}
