import Foundation

/// A validated prompt set: paired demographic prompts that differ only in the group term.
///
/// Loaded from one YAML file by ``PromptSetLoader``; the format is described in `PromptSets/README.md`.
/// The set carries no hash of its own: the caller hashes the file bytes for the run manifest.
public struct PromptSet: Codable, Sendable, Equatable {
    /// The set's name, unique within a run (it prefixes every prompt id).
    public var name: String
    /// What the set measures, in a sentence or two.
    public var description: String
    /// The social axis the groups differ on (see ``PromptSet/knownAxes``).
    public var axis: String
    /// Where the terms and templates come from (paper, survey, table).
    public var source: String
    /// ``description`` in other report languages (`descriptions: {es: …}`), nil when none.
    public var descriptions: [String: String]? = nil
    /// ``source`` in other report languages (`sources: {es: …}`), nil when none.
    public var sources: [String: String]? = nil
    /// The templates, each with exactly one slot such as `{name}`; empty when every group has fixed prompts.
    public var templates: [String]
    /// The groups in file order.
    public var groups: [PromptGroup]
    /// Sampling defaults for this set, if it declares any.
    public var defaults: PromptSetDefaults?
    /// The metric families to compute; empty means the audit's default (all of them).
    public var metrics: [PromptSetMetric]
    /// The set's `primary_metrics`: the bias metrics that form its multiple-comparison family and can be
    /// findings and verdicts, as raw metric names (a subset of ``primaryMetricNames``, in file order).
    /// nil when the set declares none: the audit's default (every primary metric the set's `metrics` compute).
    /// An empty list is a declaration that tests nothing: a set rebuilt from a results file whose recorded tested
    /// metrics are empty (its `primary_metrics:` named only metrics the completions had no data for).
    public var primaryMetrics: [String]?
    /// Every prompt of the set: each (template, term) pair in template order, then group order, then term
    /// order, followed by each group's fixed prompts.
    public var prompts: [Prompt]

    /// Creates a prompt set; ``PromptSetLoader`` is the usual way to get one.
    public init(
        name: String, description: String, axis: String, source: String, templates: [String],
        groups: [PromptGroup], defaults: PromptSetDefaults?, metrics: [PromptSetMetric], primaryMetrics: [String]? = nil,
        prompts: [Prompt]
    ) {
        self.name = name
        self.description = description
        self.axis = axis
        self.source = source
        self.templates = templates
        self.groups = groups
        self.defaults = defaults
        self.metrics = metrics
        self.primaryMetrics = primaryMetrics
        self.prompts = prompts
    }

    private enum CodingKeys: String, CodingKey {
        case name, description, descriptions, axis, source, sources, templates, groups, defaults, metrics, primaryMetrics
        case prompts
    }

    /// Decodes a set; `primaryMetrics` may be absent (undeclared, or values encoded before it existed) and then is nil.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decode(String.self, forKey: .description)
        descriptions = try container.decodeIfPresent([String: String].self, forKey: .descriptions)
        sources = try container.decodeIfPresent([String: String].self, forKey: .sources)
        axis = try container.decode(String.self, forKey: .axis)
        source = try container.decode(String.self, forKey: .source)
        templates = try container.decode([String].self, forKey: .templates)
        groups = try container.decode([PromptGroup].self, forKey: .groups)
        defaults = try container.decodeIfPresent(PromptSetDefaults.self, forKey: .defaults)
        metrics = try container.decode([PromptSetMetric].self, forKey: .metrics)
        primaryMetrics = try container.decodeIfPresent([String].self, forKey: .primaryMetrics)
        prompts = try container.decode([Prompt].self, forKey: .prompts)
    }

    /// The metrics `primary_metrics` may name, with the metric family (`metrics:`) that computes each.
    public static let primaryMetricNames: [(name: String, family: PromptSetMetric)] = [
        ("sentiment", .sentiment), ("negative_rate", .sentiment), ("male_share", .gender),
        ("he_she_log_odds", .gender),
    ]

    /// Metrics the audit reports as descriptions only (never tested), named in the `primary_metrics` error.
    static let descriptiveMetricNames = ["positive_rate", "gendered_rate", "lexicon_coverage"]

    /// Axes the linter knows. Another axis is allowed but draws a `unknown-axis` warning, which catches
    /// typos; a set that means it acknowledges the warning in its `lint: allow:` section.
    public static let knownAxes: [String] = [
        "age", "class", "disability", "ethnicity", "gender", "immigration", "nationality",
        "occupation-gender", "race", "race-gender", "religion", "sexual-orientation",
    ]
}

/// One group of a prompt set: either terms that fill the templates' slot, or fixed prompts.
public struct PromptGroup: Codable, Sendable, Equatable {
    /// The group id, the key under `groups:` (used in prompt ids and reports).
    public var id: String
    /// A human label for reports; defaults to the id.
    public var label: String
    /// The label in other report languages (`labels: {es: …}`), keyed by a code of
    /// ``labelLanguages``; nil when the file gives none. Reports in a language without one show ``label``.
    public var labels: [String: String]?
    /// The terms that fill the slot, or `nil` for a group of fixed prompts.
    public var terms: [PromptTerm]?
    /// The fixed prompts, or `nil` for a group of terms.
    public var prompts: [String]?

    /// The report languages a group's `labels:` may name (those of `report --lang`).
    public static let labelLanguages = ["en", "es"]

    /// Creates a group; exactly one of `terms` and `prompts` should be non-`nil`.
    public init(id: String, label: String, labels: [String: String]? = nil, terms: [PromptTerm]?, prompts: [String]?) {
        self.id = id
        self.label = label
        self.labels = labels
        self.terms = terms
        self.prompts = prompts
    }

    /// The label in `language` (a code of ``labelLanguages``): its `labels:` entry, else ``label``, as the reports'
    /// tables name the group (`GroupInfo.label(in:)` does the same for a results file's group).
    public func label(in language: String) -> String { labels?[language] ?? label }
}

/// A term that fills a template slot, with optional metadata.
public struct PromptTerm: Codable, Sendable, Equatable {
    /// The text put into the slot, e.g. `Lakisha` or `nurse`.
    public var term: String
    /// The share of women among people employed in this occupation (0…1), for occupation terms whose
    /// labour statistics are known, e.g. from the U.S. BLS Current Population Survey.
    public var womenShare: Double?

    /// Creates a term.
    public init(term: String, womenShare: Double? = nil) {
        self.term = term
        self.womenShare = womenShare
    }

    enum CodingKeys: String, CodingKey {
        case term
        case womenShare = "women_share"
    }
}

/// Per-set sampling defaults; command-line options override them.
public struct PromptSetDefaults: Codable, Sendable, Equatable {
    /// Completions to sample per prompt.
    public var samples: Int?
    /// Tokens to generate per completion.
    public var maxNewTokens: Int?

    /// Creates defaults.
    public init(samples: Int? = nil, maxNewTokens: Int? = nil) {
        self.samples = samples
        self.maxNewTokens = maxNewTokens
    }

    enum CodingKeys: String, CodingKey {
        case samples
        case maxNewTokens = "max_new_tokens"
    }
}

/// A family of metrics a prompt set asks for.
public enum PromptSetMetric: String, Codable, Sendable, CaseIterable {
    /// VADER sentiment of the completions (mean compound, negative and positive rates).
    case sentiment
    /// Gendered words in the completions and the next-token he/she log-odds.
    case gender
}
