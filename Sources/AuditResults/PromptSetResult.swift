import Foundation

/// The results of one prompt set.
public struct PromptSetResult: Codable, Sendable, Equatable {
    /// The set's `name`.
    public var name: String
    /// The audited axis (gender, ethnicity, …).
    public var axis: String
    /// The set's description.
    public var description: String
    /// Where the set's terms come from.
    public var source: String
    /// ``description`` in other report languages (the set's `descriptions:`); nil when none and in older files.
    public var descriptions: [String: String]? = nil
    /// ``source`` in other report languages (the set's `sources:`); nil when none and in older files.
    public var sources: [String: String]? = nil
    /// The templates, in file order.
    public var templates: [String]
    /// The groups, in file order.
    public var groups: [GroupInfo]
    /// Whether every group with completions was analysed on one term (``GroupInfo/analysedTerms``; the regard sets'
    /// "man", "woman", or a completions file covering one of a group's 8 terms): the statistics take a group's units
    /// from its completions, so its level, intervals and findings are conditional on that term, and the reports say so.
    /// A group without completions has no level and is left out; a set with no completions at all is not one of single
    /// terms. (It asked the set's terms, and a file covering one term of each religion group was analysed as single
    /// terms without the note: review 86 follow-up.)
    public var analysedGroupsAreSingleTerms: Bool {
        let analysed = groups.map(\.analysedTerms).filter { !$0.isEmpty }
        return !analysed.isEmpty && analysed.allSatisfy { $0.count == 1 }
    }

    /// The single analysed term of each group with completions, in the set's order, where
    /// ``analysedGroupsAreSingleTerms``.
    public var analysedSingleTerms: [String] { groups.compactMap { $0.analysedTerms.count == 1 ? $0.analysedTerms[0] : nil } }
    /// The metrics audited for this set.
    public var metrics: [AuditMetric]
    /// The set's tested metrics, in ``metrics`` order: those whose contrasts form its multiple-comparison family under each
    /// model (its `primary_metrics:`, or by default every primary bias metric it audits, ``AuditMetric/isPrimary``).
    /// Always written by `run`, `analyze` and `merge`, the default included, so that a tested metric stripped of its
    /// families, or deleted with its rows, is told from one the set never tested; nil in files written before it was
    /// recorded (their tested metrics are read from the contrasts' families, ``isTested(_:)``).
    public var primaryMetrics: [AuditMetric]? = nil
    /// One entry per (model, group).
    public var groupEstimates: [GroupEstimates]
    /// Group-vs-group contrasts, per model and metric.
    public var contrasts: [Contrast]
    /// The most negative, most positive and a typical completion per (model, group).
    public var examples: [Example]
    /// Matched counterfactual pairs (same template and sample index, two groups) with the largest
    /// sentiment differences, one or two per model (nil in older files).
    public var counterfactualPairs: [CounterfactualPair]?
    /// Per model, each occupation's male share beside its labour-statistics share, for sets whose terms
    /// carry `women_share` (nil otherwise and in older files).
    public var labourStatistics: [LabourComparison]?
    /// Per model, the completions that stopped because the model's context window was full (nil when none did,
    /// and in older files).
    public var contextFull: [ContextFullCount]? = nil

    /// Creates a prompt-set result.
    public init(
        name: String, axis: String, description: String, source: String, templates: [String], groups: [GroupInfo],
        metrics: [AuditMetric], groupEstimates: [GroupEstimates], contrasts: [Contrast], examples: [Example],
        counterfactualPairs: [CounterfactualPair]? = nil, labourStatistics: [LabourComparison]? = nil
    ) {
        self.name = name
        self.axis = axis
        self.description = description
        self.source = source
        self.templates = templates
        self.groups = groups
        self.metrics = metrics
        self.groupEstimates = groupEstimates
        self.contrasts = contrasts
        self.examples = examples
        self.counterfactualPairs = counterfactualPairs
        self.labourStatistics = labourStatistics
    }

    /// The description in `language` (a report language code), else the set's own.
    public func description(in language: String) -> String { descriptions?[language] ?? description }

    /// The source in `language`, else the set's own.
    public func source(in language: String) -> String { sources?[language] ?? source }

    /// A contrast's identity within a set: its id and model (unique within a set: ``AuditResult/firstInconsistency()``).
    public struct ContrastKey: Hashable, Sendable {
        public var id: String
        public var model: String

        public init(id: String, model: String) {
            self.id = id
            self.model = model
        }
    }

    /// The set's contrasts by id and model (the first of a repeated pair), for lookups that would otherwise search
    /// `contrasts` once per comparison.
    public func contrastsByIDAndModel() -> [ContrastKey: Contrast] {
        Dictionary(contrasts.map { (ContrastKey(id: $0.id, model: $0.model), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether `metric` is one of this set's tested metrics (its `primary_metrics`, or by default every
    /// primary bias metric it audits): its contrasts carry a multiple-comparison `family`. The recorded
    /// ``primaryMetrics`` decide where the file has them; in older files, results in which no contrast has a family
    /// (written before families, or without contrasts) count every primary bias metric (``AuditMetric/isPrimary``).
    public func isTested(_ metric: AuditMetric) -> Bool {
        if let primaryMetrics { return primaryMetrics.contains(metric) }
        guard metric.isPrimary else { return false }
        if contrasts.contains(where: { $0.metric == metric && $0.family != nil }) { return true }
        return contrasts.allSatisfy { $0.family == nil }
    }

    /// Whether every contrast of the set's tested metrics rests on no template (``Contrast/sharesNoTemplate``), which
    /// is then why none is tested; false for a set without such contrasts.
    public var groupsShareNoTemplate: Bool {
        let primary = contrasts.filter { isTested($0.metric) }
        return !primary.isEmpty && primary.allSatisfy(\.sharesNoTemplate)
    }

    /// Whether some contrast of the set's tested metrics rests on no template (under one model of two, or a pair of
    /// groups of three).
    public var someGroupsShareNoTemplate: Bool {
        contrasts.contains { isTested($0.metric) && $0.sharesNoTemplate }
    }
}

/// One group of a prompt set.
public struct GroupInfo: Codable, Sendable, Equatable {
    /// The group id from the YAML file.
    public var id: String
    /// A readable label (defaults to the id).
    public var label: String
    /// The label in other report languages, keyed by language code (`{"es": "Ocupaciones feminizadas"}`),
    /// from the prompt set's `labels:`; nil when the set gives none (and in older files).
    public var labels: [String: String]?
    /// The terms that fill the slot, or the fixed prompts.
    public var terms: [String]
    /// How many prompts the group expands to.
    public var promptCount: Int
    /// The ``terms`` (or fixed prompts) with at least one completion under some model, in ``terms`` order, where that
    /// is fewer than all of them (`analyze` of a completions file that covers part of the set); nil when every term has
    /// completions, and in older files. The report's group table lists these, saying "3 of 8 terms".
    public var termsWithData: [String]? = nil
    /// How many of the group's ``promptCount`` prompts have at least one completion under some model, where that is
    /// fewer than all of them; nil when every prompt has completions, and in older files.
    public var promptsWithData: Int? = nil

    /// True for a group of fixed prompts (`prompts:`, each its own unit; ``terms`` are then their texts), written only
    /// then; nil for a group of terms and in older files, where a group's prompt count tells the two apart except in a
    /// set of one template (a review: a design note called a one-template set's 2 fixed prompts "2 terms").
    public var fixedPrompts: Bool? = nil

    /// Whether the group is one of fixed prompts: ``fixedPrompts`` where recorded, else told from the counts of a set of
    /// `templates` templates: a set without templates has fixed prompts only, and a group of fixed prompts has one
    /// prompt per entry where a group of terms has one per term and template (in a set of one template the counts are
    /// alike, and such a group of an older file reads as terms).
    public func isFixedPrompts(templates: Int) -> Bool {
        fixedPrompts ?? (templates == 0 || templates > 1 && promptCount == terms.count)
    }

    /// The terms the analysis had completions of: ``termsWithData`` where recorded, else every term.
    public var analysedTerms: [String] { termsWithData ?? terms }

    /// How many prompts the analysis had completions of: ``promptsWithData`` where recorded, else ``promptCount``.
    public var analysedPromptCount: Int { promptsWithData ?? promptCount }

    /// Creates a group description.
    public init(id: String, label: String, labels: [String: String]? = nil, terms: [String], promptCount: Int) {
        self.id = id
        self.label = label
        self.labels = labels
        self.terms = terms
        self.promptCount = promptCount
    }

    /// The label to show in a report in `language` (a code such as `es`): the set's label for that
    /// language, else ``label`` (which is the id when the set gives no label).
    public func label(in language: String) -> String {
        labels?[language] ?? label
    }
}

/// The estimates of one group under one model.
public struct GroupEstimates: Codable, Sendable, Equatable {
    /// The model id (as in the manifest).
    public var model: String
    /// The group id.
    public var group: String
    /// Completions scored.
    public var completions: Int
    /// One estimate per audited metric.
    public var estimates: [MetricValue]

    /// Creates a group's estimates.
    public init(model: String, group: String, completions: Int, estimates: [MetricValue]) {
        self.model = model
        self.group = group
        self.completions = completions
        self.estimates = estimates
    }

    /// The estimate of `metric`, if audited.
    public func estimate(_ metric: AuditMetric) -> MetricEstimate? {
        estimates.first { $0.metric == metric }?.estimate
    }
}

/// A metric and its estimate.
public struct MetricValue: Codable, Sendable, Equatable {
    /// Which metric.
    public var metric: AuditMetric
    /// Its estimate with CI.
    public var estimate: MetricEstimate

    /// Creates a metric value.
    public init(metric: AuditMetric, estimate: MetricEstimate) {
        self.metric = metric
        self.estimate = estimate
    }
}

/// One example completion shown in reports.
public struct Example: Codable, Sendable, Equatable {
    /// The model id.
    public var model: String
    /// The group id.
    public var group: String
    /// `"most_negative"`, `"most_positive"` or `"typical"` (the completion closest to the group's
    /// median compound).
    public var kind: String
    /// The prompt text (untrusted when rendered: escape it).
    public var prompt: String
    /// The continuation (model output: untrusted, escape it everywhere).
    public var continuation: String
    /// Its VADER compound.
    public var compound: Double

    /// Creates an example.
    public init(model: String, group: String, kind: String, prompt: String, continuation: String, compound: Double) {
        self.model = model
        self.group = group
        self.kind = kind
        self.prompt = prompt
        self.continuation = continuation
        self.compound = compound
    }
}
