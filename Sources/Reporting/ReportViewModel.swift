
/// Everything a report template prints, as plain strings, flags and lists.
///
/// Templates hold no logic beyond Mustache sections: every number is formatted here (fixed decimals,
/// "−" minus signs, interval text), and every string that came from outside biasaudit is already made
/// safe by the report's ``ReportEscaping``. The property names are the template keys; Templates/README.md
/// lists them.
public struct ReportViewModel {
    /// The language code of the fixed text, `en` or `es` (the page's `lang` attribute).
    public var lang: String
    /// "Bias audit: distilgpt2 vs gpt2".
    public var title: String
    /// "distilgpt2 vs gpt2".
    public var versus: String
    /// The model section's heading: with two models B before A, as its verdicts read ("gpt2 vs distilgpt2"; a teacher's
    /// review: the heading read "distilgpt2 vs gpt2" above "Verdict: gpt2 against distilgpt2"); ``versus`` otherwise.
    public var comparisonVersus: String = ""
    /// When the run started, `2025-06-01 14:03 UTC`.
    public var date: String
    /// The biasaudit version that made the run.
    public var toolVersion: String
    /// The confidence level of every interval, `95%`.
    public var confidence: String
    /// The audited models, in manifest order.
    public var models: [ModelView]
    /// The audited prompt sets (manifest entries).
    public var promptSetRows: [PromptSetRowView]
    /// Sampling settings as name/value rows.
    public var sampling: [NameValueView]
    /// Statistics settings as name/value rows.
    public var statistics: [NameValueView]
    /// "12,000 completions (6,000 per model)".
    public var completions: String
    /// The first 12 digits of the SHA-256 of the `completions.jsonl` written beside the results
    /// (``AuditResults/AuditManifest/completionsSHA256``), nil in results written before it was recorded (the templates
    /// then say "not recorded").
    public var completionsDigest: String?
    /// That SHA-256 in full (the title of the HTML cell), nil where it is not recorded.
    public var completionsDigestFull: String?
    /// Run timing as name/value rows.
    public var timing: [NameValueView]
    /// Each model's measured generation in the run ("Speed", beside "What was audited").
    public var speed: [SpeedRowView]
    /// Whether the results carry speed measurements (files from before they existed do not).
    public var hasSpeed: Bool
    /// Notes under the speed table (a resumed run measures only its own share; how memory is measured).
    public var speedNotes: [String]
    /// Simulated biases of `--inject-bias`, one sentence each (shown in the header).
    public var injectedBiases: [String]
    /// Whether the run had simulated biases.
    public var hasInjectedBiases: Bool
    /// Where the completions came from when `analyze` read them (a completions file or a re-analysed
    /// run) and, when they were analysed unpaired, what that means for the intervals; then the completions cut
    /// short by a full context window, per set and model (shown in the header).
    public var sourceNotes: [String]
    /// Whether ``sourceNotes`` has anything.
    public var hasSourceNotes: Bool
    /// Settings that differ from the defaults (shown in the header).
    public var nonDefaultSettings: [NameValueView]
    /// The same settings as one line, `Temperature: 1 · Seed: 7` (for Markdown).
    public var nonDefaultSettingsText: String
    /// Whether any setting differs from the defaults.
    public var hasNonDefaultSettings: Bool
    /// The key findings.
    public var summary: SummaryView
    /// The at-a-glance table of the first screen.
    public var glance: GlanceView
    /// One section per prompt set.
    public var sets: [SetView]
    /// The model-vs-model section.
    public var comparison: ComparisonView
    /// The sampling-sweep section (`run --sweep`), nil without a sweep.
    public var sweep: SweepView?
    /// Methods, limitations and how to reproduce the run.
    public var methods: MethodsView
}

/// A labelled value in a settings list.
public struct NameValueView {
    /// What the value is.
    public var name: String
    /// The formatted value.
    public var value: String
}

/// One audited model.
public struct ModelView {
    /// The model's label (its id in the results).
    public var id: String
    /// The `--model` spec as given (Hub id or directory path), or "—" in older results.
    public var spec: String
    /// "Hugging Face Hub" or "local directory" ("—" in older results).
    public var source: String
    /// Requested revision, or "—".
    public var revision: String
    /// Resolved commit (12 digits), or "—".
    public var commit: String
    /// "6 layers · 12 heads · 768 wide".
    public var architecture: String
    /// The first 12 digits of the weights' SHA-256.
    public var weights: String
    /// The full SHA-256 of the weights.
    public var weightsFull: String
    /// ``weightsFull``, then `config.json`, `vocab.json` and `merges.txt` with their SHA-256 where the results record
    /// them (the title of the weights cell).
    public var modelFiles: String
    /// The CSS class of the model's colour in charts: `m0`, `m1`, …
    public var colorClass: String
}

/// One model's measured generation.
public struct SpeedRowView {
    /// The model's label.
    public var model: String
    /// The CSS class of the model's colour: `m0`, `m1`, …
    public var colorClass: String
    /// Completions generated in this invocation.
    public var completions: String
    /// New tokens generated.
    public var tokens: String
    /// Seconds spent sampling, as a duration.
    public var seconds: String
    /// Tokens per second, or why there is none.
    public var tokensPerSecond: String
    /// Peak resident memory, `412 MiB`, or "—".
    public var peakMemory: String
}

/// One audited prompt set in the "what was audited" table.
public struct PromptSetRowView {
    /// The set's name.
    public var name: String
    /// In-page anchor of the set's section.
    public var anchor: String
    /// The audited axis.
    public var axis: String
    /// Number of groups.
    public var groups: String
    /// Number of templates.
    public var templates: String
    /// Number of prompts.
    public var prompts: String
    /// Completions sampled per prompt of this set.
    public var samples: String
    /// Maximum new tokens per completion of this set.
    public var maxNewTokens: String
    /// The file's SHA-256 (12 digits).
    public var digest: String
}

/// The key findings at the top of a report.
public struct SummaryView {
    /// "9 of the 20 tested group contrasts are findings (q < 0.05 within each family: …), in 3 pairs of groups; …"
    public var headline: String
    /// Whether any contrast is a finding (``Findings``).
    public var hasFindings: Bool
    /// The findings as sentences, one per pair of groups of a prompt set, in ``Findings/ranked(_:)`` order.
    public var findings: [FindingView]
    /// "…and 3 more pairs of groups with findings in the prompt-set sections.", or `nil` when every one is listed.
    public var more: String?
    /// One sentence per prompt set saying which model's gaps are larger.
    public var modelSentences: [String]
    /// Whether ``modelSentences`` has any (none when the run audited one model): the "model against model"
    /// lines appear only then.
    public var hasModelSentences: Bool
}

/// One finding sentence.
public struct FindingView {
    /// Its place in the list, from 1 (report.md writes it, so that the plain text reads 1., 2., 3.).
    public var number: Int
    /// The sentence, e.g. "For “Christian” compared with “Muslim” (religion): a more positive mean sentiment under gpt2
    /// (Δ +0.14, 95% CI [+0.07, +0.22], q = 0.008); fewer completions scored negative under gpt2 (…)."
    public var sentence: String
    /// The prompt set it comes from.
    public var set: String
    /// In-page anchor of that set.
    public var anchor: String
}

/// The at-a-glance table of the first screen: one row per prompt set × primary metric × pair of
/// groups, each model's contrast side by side with its interval, and the verdict between the first
/// two models.
public struct GlanceView {
    /// The table caption, short: "At a glance".
    public var caption: String
    /// What the table shows, for a paragraph above it.
    public var note: String
    /// The number of columns (metric, groups, one per model, the verdict), for a row that spans them all.
    public var columns: Int
    /// One heading per model (escaped ids), in manifest order.
    public var models: [String]
    /// Whether there is a verdict column (two or more models were compared).
    public var hasVerdict: Bool
    /// The verdict column's heading: "Verdict: gpt2 against distilgpt2".
    public var verdictHeader: String
    /// The rows.
    public var rows: [GlanceRowView]
    /// Whether there are rows (a run without primary metrics has none).
    public var hasRows: Bool
}

/// One row of the at-a-glance table.
public struct GlanceRowView {
    /// The prompt set's name (HTML heads each set's rows with it, see ``firstOfSet``).
    public var set: String
    /// In-page anchor of the set's section.
    public var anchor: String
    /// Whether this is the set's first row.
    public var firstOfSet: Bool
    /// "Caution: prompts seem to be in Spanish, scored in English (see the set’s section)" on the rows of a set whose
    /// prompts read as another language than English (``PromptSets/TemplateLanguage``; templates print it under the
    /// set's name); nil otherwise.
    public var languageCaution: String? = nil
    /// The metric's label.
    public var metric: String
    /// "Christian − Muslim".
    public var groups: String
    /// The language of ``groups`` where both labels are in one language that is not the page's, for a `lang` attribute; nil
    /// otherwise (``ReportContext/pairLanguage(_:_:in:)``).
    public var groupsLanguage: String? = nil
    /// One cell per model of ``GlanceView/models``.
    public var cells: [GlanceCellView]
    /// The verdict in words (``AuditResults/ComparisonVerdict/words``, plus "direction reversed"), empty without one.
    public var verdict: String
    /// Whether the verdict is "more biased" or "less biased".
    public var clear: Bool
}

/// One model's contrast in the at-a-glance table.
public struct GlanceCellView {
    /// Δ with its interval, or the reason it has none, without ``templatesNote``.
    public var estimate: String
    /// Which templates the contrast compares its groups on, where not every one: "on templates 1, 2 of 3"; nil where
    /// it is every template (``ContrastRowView/templatesNote``).
    public var templatesNote: String?
    /// ``estimate`` with ``templatesNote`` after it in parentheses (``withTemplatesNote(_:_:)``), for templates written
    /// before the two were apart.
    public var value: String
    /// "q = 0.008 · finding", "q = 0.245", or `nil` when untested.
    public var note: String?
    /// Whether the contrast is a finding (``Findings``).
    public var finding: Bool
    /// Whether ``value`` is a reason (long text that wraps) rather than numbers.
    public var insufficient: Bool
}

/// `estimate` with `note` after it in parentheses ("+0.12 [+0.01, +0.24] (on templates 1, 2 of 3)"), or `estimate` alone:
/// the ``GlanceCellView/value`` and ``ContrastRowView/difference`` of templates that predate ``GlanceCellView/templatesNote``.
func withTemplatesNote(_ estimate: String, _ note: String?) -> String {
    estimate + (note.map { " (\($0))" } ?? "")
}
