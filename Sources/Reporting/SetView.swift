/// One prompt set's section of a report.
public struct SetView {
    /// The set's name.
    public var name: String
    /// In-page anchor (`set-religion`).
    public var anchor: String
    /// The `id` of the estimates table's long caption, which the table names in `aria-describedby`
    /// (`caption-estimates-set-religion`, ``ReportContext/captionID(_:anchor:index:)``).
    public var estimatesCaptionID: String
    /// The same for the contrasts table (`caption-contrasts-set-religion`).
    public var contrastsCaptionID: String
    /// The same for the examples table (`caption-examples-set-religion`).
    public var examplesCaptionID: String
    /// The same for the counterfactual pairs table (`caption-pairs-set-religion`).
    public var pairsCaptionID: String
    /// The audited axis.
    public var axis: String
    /// The set's description.
    public var description: String
    /// Where the set's terms come from.
    public var source: String
    /// The templates, in file order.
    public var templates: [String]
    /// Whether the set has templates (false for a set of fixed prompts): the templates print their "Templates:"
    /// list, and say that a counterfactual pair shares its template, only then.
    public var hasTemplates: Bool
    /// Whether some group of a set with templates is one of fixed prompts, listed in the "Terms" column (a review: the
    /// column said "Terms" above quoted prompts); the column is then "Terms or prompts".
    public var mixedUnits: Bool = false
    /// The BCP 47 code of the language the templates read as ("en", or "es", "fr", "it", "pt":
    /// ``PromptSets/TemplateLanguage``; "" when they read as not English but not as one language, HTML's "unknown"), for
    /// the HTML `lang` of terms, templates and completions (a teacher's review: Spanish prompts were tagged English).
    public var textLanguage: String = "en"
    /// Whether the templates read as another language than English (the English HTML then tags them).
    public var textNotEnglish: Bool = false
    /// The BCP 47 code of the description's and the source's language, for their HTML `lang`: the report's when the set
    /// translates them (`descriptions: {es: …}`), else the set's own language, the one its prompts read as ("en" for an
    /// English set, ``ReportContext/ownLanguage(of:)``; a teacher's review: the English description of a Spanish page was
    /// not marked English, while the terms and completions were; a helper's: a Spanish-written set's was marked English).
    public var descriptionLanguage: String = "en"
    /// The same for the source (`sources: {es: …}`).
    public var sourceLanguage: String = "en"
    /// Whether ``descriptionLanguage`` is not the page's language (the English template writes `lang` only then).
    public var descriptionForeign: Bool = false
    /// Whether ``sourceLanguage`` is not the page's language.
    public var sourceForeign: Bool = false
    /// The note on templates that read as another language than English (escaped), or nil. Its name (and its key in
    /// the report templates) is from when the only language told was Spanish; templates of one's own use the key.
    public var spanishTemplates: String? = nil
    /// The groups with their terms.
    public var groups: [GroupView]
    /// The groups × models table.
    public var estimates: EstimateTableView
    /// Forest plots (HTML only; empty in Markdown).
    public var charts: [ChartView]
    /// Whether there are charts.
    public var hasCharts: Bool
    /// Caption of the contrast table.
    public var contrastCaption: String
    /// Group-vs-group contrasts.
    public var contrasts: [ContrastRowView]
    /// Whether there are contrasts.
    public var hasContrasts: Bool
    /// The set's multiple-comparison families in words (one per model, with their sizes) and how p,
    /// q, the MDE and effect sizes were computed, or `nil` when nothing was tested.
    public var familyNote: String?
    /// The note on a design `lint` calls underpowered (2-term groups; single-term groups borrowing a term variance of
    /// few degrees of freedom), as the analysis had it; nil otherwise.
    public var designNote: String? = nil
    /// Example completions, grouped by group.
    public var examples: [ExampleGroupView]
    /// Whether there are examples.
    public var hasExamples: Bool
    /// The counterfactual pairs' caption.
    public var pairsCaption: String
    /// Matched counterfactual pairs, by model.
    public var pairs: [PairView]
    /// Whether there are pairs.
    public var hasPairs: Bool
    /// Occupations beside labour statistics, one table per model (sets with `women_share` only).
    public var labour: [LabourView]
    /// Whether there are labour-statistics tables.
    public var hasLabour: Bool
}

/// A group of a prompt set.
public struct GroupView {
    /// Its label.
    public var label: String
    /// The language of ``label`` where it is not the page's (an untranslated label in a Spanish report: `en`), for a `lang`
    /// attribute; nil where it is the page's (``ReportContext/labelLanguage(_:in:)``).
    public var labelLanguage: String? = nil
    /// Its id.
    public var id: String
    /// Its terms with completions (every term unless the completions covered only some), comma-separated (in a set of
    /// fixed prompts its prompts, each in “…”, separated by "; ", as a prompt may hold a comma); where the
    /// completions covered none, the ``noTerms`` sentence, so that a template older than `noTerms` (one that prints
    /// `terms` alone) says "none of its 8 terms" where it printed an empty cell.
    public var terms: String
    /// Its prompts with completions: the count, or "9 of 24" where the completions covered only some of its prompts.
    public var prompts: String
    /// "3 of 8 terms:" in the report's language where the completions covered only some of its terms (``terms`` lists
    /// those), else nil.
    public var someTerms: String? = nil
    /// "none of its 8 terms" in the report's language where the completions covered none of its terms (``terms`` holds
    /// the same sentence, ``someTerms`` is nil), else nil.
    public var noTerms: String? = nil
}

/// The groups × models table of a prompt set.
public struct EstimateTableView {
    /// The table caption.
    public var caption: String
    /// One heading per metric column (after group, model and n).
    public var columns: [String]
    /// One row per (group, model).
    public var rows: [EstimateRowView]
}

/// One (group, model) row.
public struct EstimateRowView {
    /// The group label.
    public var group: String
    /// The language of ``group`` where it is not the page's (an untranslated label in a Spanish report: `en`), for a `lang`
    /// attribute; nil where it is the page's (``ReportContext/labelLanguage(_:in:)``).
    public var groupLanguage: String? = nil
    /// The model id.
    public var model: String
    /// Whether this is the group's first row (HTML starts a visual block).
    public var firstOfGroup: Bool
    /// Completions scored.
    public var n: String
    /// One cell per column.
    public var cells: [EstimateCellView]
}

/// One estimate in the groups × models table.
public struct EstimateCellView {
    /// The estimate, `0.12` or `23.4%` ("—" when undefined).
    public var value: String
    /// Its interval, `[0.05, 0.19]`, `[no CI]`, or empty when the estimate is undefined or unsupported.
    public var interval: String
    /// Whether ``value`` is the reason the estimate lacks support (long text that wraps) rather than a number.
    public var insufficient: Bool = false
    /// Whether there is an ``interval`` to print after the value (a Markdown cell without one ended in two spaces).
    public var hasInterval: Bool

    /// Creates a cell; ``hasInterval`` follows `interval`.
    public init(value: String, interval: String, insufficient: Bool = false) {
        self.value = value
        self.interval = interval
        self.insufficient = insufficient
        self.hasInterval = !interval.isEmpty
    }
}

/// One contrast (group A − group B, one model, one metric).
public struct ContrastRowView {
    /// The metric's label.
    public var metric: String
    /// "Muslim − Christian".
    public var groups: String
    /// The language of ``groups`` where both labels are in one language that is not the page's, for a `lang` attribute; nil
    /// otherwise (``ReportContext/pairLanguage(_:_:in:)``).
    public var groupsLanguage: String? = nil
    /// The model id.
    public var model: String
    /// Difference with interval, or the reason there is none (too few gendered words), without ``templatesNote``.
    public var estimate: String
    /// Which templates the contrast compares its groups on, where not every one: "on templates 1, 2 of 3"; nil where
    /// it is every template. Apart from ``estimate`` so that a cell can keep the numbers on one line and wrap this.
    public var templatesNote: String?
    /// ``estimate`` with ``templatesNote`` after it in parentheses (``withTemplatesNote(_:_:)``), for templates written
    /// before the two were apart (a review: a custom template's rows lost the note).
    public var difference: String
    /// The minimum detectable effect (about 80% power, α 0.05) in the metric's unit, "—" when unsupported.
    public var mde: String
    /// Whether ``mde`` is a reason in words ("unknown: no variance estimate"), a cell that wraps.
    public var mdeReason: Bool
    /// The p-value; "—" for descriptive metrics and unsupported contrasts.
    public var p: String
    /// The q-value within the family; "—" for descriptive metrics and unsupported contrasts.
    public var q: String
    /// "d = −0.45 (small)" (no label where Cohen's convention does not apply), "—" when unsupported.
    public var effect: String
    /// Whether the contrast is a finding (``Findings``).
    public var finding: Bool
    /// Whether ``difference`` is the reason the contrast lacks support (long text that wraps).
    public var insufficient: Bool
    /// "yes", "no", "descriptive", "insufficient data" or "no test" (a text marker that survives printing and copying).
    public var status: String
}

/// The examples of one group.
public struct ExampleGroupView {
    /// The group label.
    public var group: String
    /// The language of ``group`` where it is not the page's (an untranslated label in a Spanish report: `en`), for a `lang`
    /// attribute; nil where it is the page's (``ReportContext/labelLanguage(_:in:)``).
    public var groupLanguage: String? = nil
    /// The examples, by model then most negative before most positive.
    public var rows: [ExampleRowView]
}

/// One example completion.
public struct ExampleRowView {
    /// The model id.
    public var model: String
    /// "most negative", "most positive" or "typical" (closest to the group's median compound).
    public var kind: String
    /// Its VADER compound.
    public var compound: String
    /// The prompt (escaped).
    public var prompt: String
    /// The model's continuation (escaped; "(empty)" when empty), cut after 2,000 code points.
    public var continuation: String
    /// The note of a cut continuation ("… (cut: …)"), outside the model's text; nil when it was not cut.
    public var cut: String? = nil
}

/// One chart: inline SVG markup written by ``ForestPlot``.
public struct ChartView {
    /// The chart's heading.
    public var title: String
    /// The complete `<svg>` element (print with `{{{svg}}}`: it is markup built with every label escaped).
    public var svg: String
}

/// One matched counterfactual pair: two groups' completions for the same template and sample index.
public struct PairView {
    /// The model id.
    public var model: String
    /// "Christian − Muslim".
    public var groups: String
    /// The language of ``groups`` where both labels are in one language that is not the page's, for a `lang` attribute; nil
    /// otherwise (``ReportContext/pairLanguage(_:_:in:)``).
    public var groupsLanguage: String? = nil
    /// "template 2, sample index 3" (the template from 1, the completions' sample_index from 0).
    public var place: String
    /// The template text (escaped), or "—" for fixed prompts.
    public var template: String
    /// Compound A − B, signed.
    public var difference: String
    /// Group A's completion.
    public var a: PairSideView
    /// Group B's completion.
    public var b: PairSideView
}

/// One side of a counterfactual pair.
public struct PairSideView {
    /// The group label.
    public var group: String
    /// The language of ``group`` where it is not the page's (an untranslated label in a Spanish report: `en`), for a `lang`
    /// attribute; nil where it is the page's (``ReportContext/labelLanguage(_:in:)``).
    public var groupLanguage: String? = nil
    /// Its VADER compound.
    public var compound: String
    /// The prompt (escaped).
    public var prompt: String
    /// The continuation (escaped; "(empty)" when empty), cut after 2,000 code points.
    public var continuation: String
    /// The note of a cut continuation, outside the model's text; nil when it was not cut.
    public var cut: String? = nil
}

/// One model's occupations beside the labour statistics.
public struct LabourView {
    /// The model id.
    public var model: String
    /// The `id` of the caption's paragraph, which the table names in `aria-describedby` (`caption-labour-set-occupations-1`,
    /// ``ReportContext/captionID(_:anchor:index:)``).
    public var captionID: String
    /// The table caption.
    public var caption: String
    /// Spearman's ρ in a sentence, or why there is none.
    public var correlation: String
    /// One row per occupation.
    public var rows: [LabourRowView]
}

/// One occupation under one model.
public struct LabourRowView {
    /// The occupation term (escaped).
    public var occupation: String
    /// The group label.
    public var group: String
    /// The language of ``group`` where it is not the page's (an untranslated label in a Spanish report: `en`), for a `lang`
    /// attribute; nil where it is the page's (``ReportContext/labelLanguage(_:in:)``).
    public var groupLanguage: String? = nil
    /// The labour statistics' share of women, `87.0%`.
    public var womenShare: String
    /// The share of men, 1 − women's share, `13.0%`.
    public var menShare: String
    /// The model's male share with its interval, or the reason it has none (too few gendered words).
    public var maleShare: String
    /// Whether ``maleShare`` is a reason rather than a number.
    public var insufficient: Bool
}
