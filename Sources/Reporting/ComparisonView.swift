/// The model-vs-model section: is one model's bias gap larger than the other's?
public struct ComparisonView {
    /// Whether the report has the section (and the methods' model-comparison paragraph): the run audited
    /// more than one model, or the file holds comparisons. A one-model report leaves it out.
    public var shown: Bool
    /// Whether the run compared at least two models.
    public var hasComparisons: Bool
    /// "gpt2 − distilgpt2", the direction of every difference in the section.
    public var direction: String
    /// One block per prompt set and model pair.
    public var sets: [ComparisonSetView]
}

/// The comparisons of one prompt set between two models.
public struct ComparisonSetView {
    /// The set's name.
    public var name: String
    /// In-page anchor of the set's section.
    public var anchor: String
    /// The audited axis.
    public var axis: String
    /// The first model (A).
    public var modelA: String
    /// The second model (B).
    public var modelB: String
    /// "religion: gpt2 against distilgpt2, more biased in 1, no detectable change in 5 of 6 contrasts."
    public var verdict: String
    /// The table caption.
    public var caption: String
    /// The `id` of the caption's paragraph, which the table names in `aria-describedby` (`caption-comparison-set-religion-1`
    /// for the set's first pair of models, ``ReportContext/captionID(_:anchor:index:)``).
    public var captionID: String
    /// One row per contrast.
    public var rows: [ComparisonRowView]
}

/// One contrast compared between two models.
public struct ComparisonRowView {
    /// The metric's label.
    public var metric: String
    /// "Muslim − Christian".
    public var groups: String
    /// The language of ``groups`` where both labels are in one language that is not the page's, for a `lang` attribute; nil
    /// otherwise (``ReportContext/pairLanguage(_:_:in:)``).
    public var groupsLanguage: String? = nil
    /// The contrast under model A with its interval (or the reason it has none).
    public var valueA: String
    /// The contrast under model B with its interval.
    public var valueB: String
    /// B − A with its interval.
    public var difference: String
    /// Whether ``valueA``, ``valueB`` or ``difference`` is a reason in words ("too few gendered words …") rather than
    /// a number: the HTML template lets such a cell wrap (`td.reason`) so that it does not push the verdict column off
    /// the page (review: at 1280 px only model A's column showed).
    public var reasonA: Bool
    /// See ``reasonA``.
    public var reasonB: Bool
    /// See ``reasonA``.
    public var reasonDifference: Bool
    /// The q-value of the verdict, Benjamini–Hochberg within its prompt set × model pair.
    public var q: String
    /// ``AuditResults/ComparisonVerdict/words`` of B against A ("more biased", "no detectable change", …),
    /// with ", direction reversed" when the contrast is a finding under both models with opposite signs.
    public var verdict: String
    /// Whether the verdict is "more biased" or "less biased".
    public var clear: Bool
}

/// Methods, limitations and reproduction: the settings the methods text quotes.
public struct MethodsView {
    /// The confidence level, `95%`.
    public var confidence: String
    /// The power at which minimum detectable effects are stated, `80%`.
    public var power: String
    /// The two-sided level of the tests behind the minimum detectable effects (1 − confidence), `0.05`.
    public var alpha: String
    /// How many differences of pure noise come out below ``alpha`` in words: `one in twenty` (a statistician's review:
    /// the q-value bullet said "one in twenty" beside `--confidence 0.99`'s 0.01).
    public var noiseShare: String = ""
    /// Gendered words a group needs for its male share to get an interval, a test or a finding, `20`.
    public var minimumGenderedWords: String
    /// Completions with a gendered word a group needs besides, `10`.
    public var minimumGenderedCompletions: String
    /// VADER compound at or below which a completion is negative, `−0.05`.
    public var negativeThreshold: String
    /// VADER compound at or above which a completion is positive, `0.05`.
    public var positiveThreshold: String
    /// The false-discovery-rate level below which a q-value makes a finding (``Findings/threshold``), `0.05`.
    public var qThreshold: String
    /// How often a gap equal to the MDE becomes a finding at this false discovery rate (`at q < 0.05 about 72% in a
    /// family of 2 contrasts, 63% of 4, 48% of 12, when the others are null`): fixed words, not escaped (HTML templates use
    /// `{{ }}`).
    public var mdeFamilyPower: String = ""
    /// The exact power at the MDE with 1–4 degrees of freedom at the run's α and power ("the power at that gap is lower,
    /// 73–79% for 80% at α = 0.05", "69–75% … at α = 0.01"): fixed words and numbers, not escaped.
    public var mdeSmallDfPower: String = ""
    /// The pairs of groups the summary writes a sentence for before it counts the rest
    /// (``SummaryBuilder/maximumSentences``), `8`.
    public var summaryPairs: String = ""
    /// The exact command line of the run, shell-quoted (escaped for the report's code block).
    public var command: String
    /// The Markdown code fence around ``command``: three or more backticks, longer than any run inside it.
    public var commandFence: String
    /// The lexicon files with their SHA-256.
    public var lexicons: [NameValueView]
    /// The labels of the models served by a remote server (common random numbers not enforced), joined
    /// with commas and escaped; nil when every model ran in-process.
    public var servedModels: String? = nil
    /// The pairs of models whose comparisons are unpaired in a paired analysis because the two share no random stream (an
    /// `analyze` file whose models have samples 0–4 and 5–9), as "m1 and m2", joined with commas and escaped; nil when
    /// there are none (a final review: the methods said every comparison was paired).
    public var unpairedModelPairs: String? = nil
    /// Whether every pair of models is in ``unpairedModelPairs`` (no served model): the methods then say once that the
    /// models share no random stream, instead of calling the completions paired and then each comparison unpaired.
    public var everyPairUnpaired: Bool = false
    /// Whether the groups and models share random streams (common random numbers): false when `analyze`
    /// read the completions unpaired (``AuditResults/CompletionsSource/pairedStreams``), and the methods say so.
    public var pairedStreams: Bool = true
    /// Whether some estimate was computed from copies of one draw per prompt (greedy decoding,
    /// `copies_of_one_draw`): the methods then say that rates and shares were analysed as means (no Wilson or MOVER).
    public var copies: Bool = false
    /// The sampling sweep's settings that wrote copies, escaped and joined ("top-k 1"), where the main tables sampled:
    /// the copies bullet then says it holds for them only (a teacher's review: a `--sweep top_k=50,1` report's Methods
    /// said every sample came out as one text); nil otherwise.
    public var copiesOnlyInSweep: String? = nil
    /// Where the main tables hold copies and the sweep's other settings sampled: the settings that wrote copies, for "In
    /// the sampling sweep, prompts came out as copies at top-k 1 only" (a review of `--sweep top_k=1,50`); nil otherwise.
    public var copiesInSweepOnlyAt: String? = nil
    /// Whether every analysed group of the report is of fixed prompts (``AuditResults/AuditResult/analysedGroupsAreFixedPrompts``):
    /// the methods then say how their words for terms and templates read (a review: a report of fixed prompts alone
    /// spoke of "a group's terms (names, countries, occupations)").
    public var fixedPromptsOnly: Bool = false
    /// Whether some analysed groups are of fixed prompts and others of terms: the methods then say how to read their
    /// words for terms and templates for the former (a teacher's review: a mixed report never mentioned them).
    public var someFixedPrompts: Bool = false
    /// Whether `analyze` read these completions (``AuditResults/AuditManifest/source``): the reproduction command
    /// recomputes the numbers from that file rather than generating completions, and a paired analysis is one the
    /// user asserted (common random numbers are assumed, not known).
    public var suppliedCompletions: Bool = false
    /// Whether `merge` combined the run stores of `run --shard` folders (the manifest's command is `biasaudit merge …`):
    /// the command recomputes the numbers from the shards' completions and generates none; the shards' `run` without
    /// `--shard` recreates them (practitioner's review: the report said the merge command "recreates every completion").
    public var mergedShards: Bool = false
    /// Whether a paired analysis rests on the user's word: completions read from a file made elsewhere
    /// (``AuditResults/CompletionsSource/reanalysedRun`` nil). A re-analysed run's completions were sampled by biasaudit
    /// with common random numbers, and the methods say so (newcomer's review: they said "biasaudit did not sample them").
    public var pairingAssumed: Bool = false
    /// Whether every model's completions are copies of one draw per prompt (``AuditResults/AuditResult/holdsOnlyCopiesOfOneDraw``):
    /// no random stream enters the statistics, and the methods say nothing of how streams were paired (a review: a
    /// greedy analysis's methods advised --unpaired beside "there are no random streams to count").
    public var onlyCopies: Bool = false
    /// Events and non-events the two groups of a rate contrast need together for an interval, a test or a
    /// finding (`--min-events`, Cochran's rule), `10`; nil when no rule applied (`--min-events 0`, or results
    /// written before the rule existed).
    public var minimumEvents: String? = nil
    /// Whether ``minimumEvents`` is 10, Cochran's rule for a 2 × 2 table, which the methods then name (a statistician's
    /// review: `--min-events 60` was called "Cochran's rule" too).
    public var cochranRule: Bool = false
    /// Whether male shares have no minimum of gendered words (`--min-gendered-words 0`): the methods then say every
    /// share is printed, instead of "at least 0 gendered words … in at least 0 completions".
    public var noGenderedWordMinimum: Bool = false
    /// Whether ``minimumGenderedWords`` is 1 (the noun in the singular: "1 gendered word", "1 palabra de género"; a
    /// student's review: "1 palabras").
    public var oneGenderedWord: Bool = false
    /// Whether ``minimumGenderedCompletions`` is 1 ("1 completion", "1 continuación").
    public var oneGenderedCompletion: Bool = false
    /// The names of the sets whose every group is one term (the regard sets' "man", "woman"), escaped and joined with
    /// commas: their intervals are conditional on those terms, and the methods say so; nil when no set is.
    public var oneTermSets: String? = nil
    /// The sets (escaped, joined with commas) with a rate or share contrast of a single-term group that has a value and no
    /// variance because no group of several terms in the set is strictly between 0% and 100% (statistics revision 12):
    /// the methods say why those rows have no interval or test, and that the single terms' levels are conditional on
    /// their terms (a review: the Methods said every contrast had a t interval over crossed clusters); nil when none.
    public var unlentSingleTermSets: String? = nil
    /// The sets whose `primary_metrics:` leaves out a primary metric they audit, each with the metrics it tests
    /// ("occupations tests only mean sentiment and % negative"), escaped and joined with "; ": the Methods name them
    /// (a statistician's review: they said every set tests all four); nil when every set tests all it audits.
    public var narrowedSets: String? = nil
    /// Whether the report is in another language than its command writes (`report --lang es` of a run made without
    /// `--lang es`, or `report --lang en` of a run made with it): the reproduce section then says which flag gives this
    /// report (a teacher's review; the English case, a second teacher's review).
    public var languageFlagMissing = false
    /// Whether the command gives a `--lang` at all: the reproduce section then says to put the report's in its place,
    /// and otherwise to add it (a newcomer's review: "en lugar de su --lang, si tiene uno" under a command without one).
    public var languageFlagInCommand = false
}
