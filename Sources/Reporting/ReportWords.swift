import Foundation
import AuditResults

/// The language of a report's fixed text (`--lang en|es`).
public enum ReportLanguage: String, CaseIterable, Sendable {
    /// English (the default).
    case en
    /// Spanish: Spanish fixed text, decimal comma, `lang="es"`, templates from `es/`.
    case es

    /// The language's English name, for messages: "English", "Spanish".
    public var name: String {
        switch self {
        case .en: "English"
        case .es: "Spanish"
        }
    }

    /// The fixed text and number conventions of this language.
    var words: ReportWords {
        switch self {
        case .en: .english
        case .es: .spanish
        }
    }

    /// The folder of this language's templates inside a template folder: none for English (the
    /// top level, as before), `es/` for Spanish.
    public var templatePrefix: String {
        switch self {
        case .en: ""
        case .es: "es/"
        }
    }

    /// The language of a BCP 47 tag as users type it: case-insensitive, region or script subtags ignored
    /// ("ES", "es-MX", "es_AR", "en-GB" are Spanish, Spanish, Spanish, English); nil for another language.
    /// Each subtag after the language is 1 to 8 ASCII letters or digits, as BCP 47's are ("es-", "es-ñ" and "es-🙂" are
    /// nil: a typo is refused, not read as Spanish; a Spanish reviewer's finding). A POSIX locale's codeset and modifier
    /// are left out (`es_ES.UTF-8`, `es_ES@euro`: `--lang "$LANG"`).
    public init?(tag: String) {
        let locale = tag.prefix { $0 != "." && $0 != "@" }
        let subtags = locale.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "_" })
        guard subtags.dropFirst().allSatisfy({ subtag in
            (1...8).contains(subtag.count) && subtag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }) else { return nil }
        self.init(rawValue: subtags[0].lowercased())
    }

    /// Parses `--lang` (see ``init(tag:)``).
    /// - Throws: ``AuditResults/AuditError/usage(_:)`` naming the accepted languages.
    public static func parse(_ text: String) throws -> ReportLanguage {
        guard let language = ReportLanguage(tag: text) else {
            throw AuditError.usage("unknown report language '\(text)' in --lang; use en or es")
        }
        return language
    }
}

/// Every fixed text the view-model builders put into a report, in one language, with its number
/// style. The templates carry the page's prose (one template folder per language); the builders
/// carry the text that is made of numbers and names (sentences, captions, table cells), from here.
///
/// Texts never contain untrusted input: the parameters are already escaped by the caller.
struct ReportWords: Sendable {
    /// The language's code, for the `lang` attribute.
    let code: String
    /// How numbers are written.
    let numbers: NumberStyle

    // MARK: Metrics

    /// A metric's column heading: "mean sentiment".
    let metricTitle: @Sendable (AuditMetric) -> String
    /// The word before a prompt set's bias axis, as the Markdown headings say it: "axis" ("occupations-gender (axis:
    /// occupation-gender)"; a teaching assistant's review: the terminal's "class (class)" did not say which was the axis).
    let biasAxis: String
    /// A forest plot's x-axis label.
    let axisLabel: @Sendable (AuditMetric) -> String
    /// What a finding says about group A compared with group B, by the sign of A − B.
    let findingPhrase: @Sendable (AuditMetric, Bool) -> String
    /// An interval at a level, in sentences: "95% CI", "IC del 95 %".
    let ciLabel: @Sendable (_ level: String) -> String
    /// Why a level from one sample per prompt on shared random streams has no interval, after ``noInterval``:
    /// "1 sample per prompt" (README, "Which statistic answers which question").
    let oneSamplePerPrompt: String
    /// What an interval that could not be computed prints as, inside brackets: "no CI".
    let noInterval: String
    /// Why an estimate with a value has no interval and no reason of minimum support, after ``noInterval``: "no
    /// variance estimate" (every completion of a group scored alike, or one term with nothing to borrow; a newcomer's
    /// review: "[no CI]" was the only missing interval without its reason).
    let noVarianceEstimate: String
    /// Why a change of a contrast between two models has no interval when the two contrasts rest on different
    /// templates, after ``noInterval``: "on different templates" (a review: "[no CI: no variance estimate]").
    let onDifferentTemplates: String
    /// As ``onDifferentTemplates``, where the two contrasts rest on different terms of a group (a term with completions
    /// under one model only): "the contrasts rest on different terms".
    let onDifferentTerms: String
    /// The at-a-glance table's short form of ``onDifferentTemplates`` (`true`) and ``onDifferentTerms`` (`false`),
    /// after an undetermined verdict: "undetermined (different templates)" (a review: that table's verdict did not
    /// say why, where the comparison table did).
    let apartShort: @Sendable (_ templates: Bool) -> String
    /// The share of differences of pure noise below a test level α, in words: "one in twenty differences" (0.05), "one
    /// in a hundred differences" (0.01); "2% of the differences" where 1/α is not one of those. In Spanish with the rest
    /// of its clause ("… que son puro ruido parecería significativa"), whose verb agrees with the share's form.
    let noiseShare: @Sendable (_ alpha: Double) -> String
    /// An estimate's reason for having no interval, from its structured reason: "too few gendered words
    /// (12 in a group, below the minimum of 20)"; `level`: the estimate is one group's level, so its count is "in this
    /// group" (newcomer's review: a group's own row read "1 in a group"); `group`: the label of a contrast's thinnest
    /// group (``InsufficientSupport/group``), nil when the reason names none ("in a group").
    let insufficientSupport: @Sendable (InsufficientSupport, _ level: Bool, _ group: String?) -> String
    /// The reason of a results file written before reasons were structured (only the English text).
    let insufficientRecorded: @Sendable (String) -> String

    // MARK: Summary

    /// The headline of a run without a tested contrast; `singleTerms`: every group of every set has one term (then a
    /// variance needs replicated samples that differ, which the headline says).
    /// `apart`: every set's groups share no template (``AuditResults/PromptSetResult/groupsShareNoTemplate``);
    /// `someApart`: some contrasts' groups do (in some sets, under some models or for some pairs), not every set's
    /// (then both reasons are named).
    let noTestedContrasts: @Sendable (_ singleTerms: Bool, _ apart: Bool, _ someApart: Bool) -> String
    /// The headline when no contrast is a finding.
    let noFindings: @Sendable (_ tested: String, _ threshold: String, _ oneModel: Bool) -> String
    /// The headline above the findings.
    let findingsHeadline: @Sendable (_ findings: Int, _ tested: String, _ pairs: Int, _ threshold: String) -> String
    /// "…and 3 more pairs of groups with findings in the prompt-set sections."
    let moreFindings: @Sendable (Int) -> String
    /// "under gpt2".
    let underModel: @Sendable (String) -> String
    /// "a, b and c".
    let list: @Sendable ([String]) -> String
    /// "For “A” compared with “B” (set): clause; clause."
    let findingSentence: @Sendable (_ a: String, _ b: String, _ set: String, _ clauses: [String]) -> String

    // MARK: At a glance and header

    /// The at-a-glance table's caption; `severalModels`: whether the run has two or more models.
    let glanceCaption: @Sendable (_ severalModels: Bool) -> String
    /// What the at-a-glance table shows; `verdict`: whether it has the verdict column (two or more models).
    let glanceNote: @Sendable (_ level: String, _ verdict: Bool) -> String
    /// Marks a finding in the at-a-glance table: "finding".
    let findingMarker: String
    /// "Verdict: gpt2 against distilgpt2".
    let verdictHeader: @Sendable (_ b: String, _ a: String) -> String
    /// One injected bias: "“ terrible” +8 logits on Female-dominated occupations (occupations-gender)", with the
    /// counts of its token (``injectedBiasDraws``, one per model and set; empty in results written before them);
    /// `pronoun`: the token is one of the forms log P(he)/P(she) sums, so the exact measure moves too (a student's review:
    /// "it changes only the completions" where the only findings were in that measure).
    let injectedBias: @Sendable (
        _ token: String, _ logit: String, _ group: String, _ sets: String, _ draws: [String], _ pronoun: Bool
    ) -> String
    /// How often the token appears under one model: in `withToken` of the group's `completions`, and in
    /// `otherWithToken` of the set's other groups' `otherCompletions` (formatted counts); `sweep`: counted in the
    /// completions of a sweep's first setting, which the main tables describe.
    let injectedBiasDraws: @Sendable (
        _ model: String, _ set: String, _ withToken: String, _ completions: String, _ otherWithToken: String,
        _ otherCompletions: String, _ sweep: Bool
    ) -> String

    // MARK: Contrast tables

    /// Cohen's label of an effect size's magnitude (negligible, small, medium, large).
    let effectLabel: @Sendable (Double) -> String
    /// A contrast's "finding" cell: yes.
    let findingYes: String
    /// A tested contrast that is not a finding: no.
    let findingNo: String
    /// A descriptive metric's contrast (never tested).
    let descriptive: String
    /// A contrast below its minimum support (no test).
    let insufficientShort: String
    /// A level without a value and without a recorded reason (a group without completions under a model, a male share
    /// from no gendered word under `--min-gendered-words 0`), where the terminal summary prints no table cell's "—".
    let noData: String
    /// A contrast taken on some of its set's templates only (`templates_compared`: a completions file without a group ×
    /// template cell), after its difference: "on templates 1, 2 of 3"; "on no common template of 3" for none.
    let templatesCompared: @Sendable (_ positions: [String], _ of: String) -> String
    /// The Finding cell of a tested contrast with a value but no test (no variance estimate): "no test".
    let untestedShort: String
    /// An MDE beyond the largest difference the metric can take (`100.0 pp`, `2.00`): no difference is detectable.
    let noDetectableDifference: @Sendable (_ largest: String) -> String
    /// The MDE cell of a mean contrast without a variance estimate (``Contrast/hasNoVarianceEstimate`` without an
    /// interval: completions that all scored alike): the design's variance is unknown, so no MDE is stated, and the
    /// cell says why. A rate or share whose groups do not vary has ``mdeWithoutVariation``.
    let mdeWithoutVarianceEstimate: String
    /// The MDE cell of a rate or share contrast whose groups show no variation at all (0% against 0%, 100% against
    /// 0%): it is tested, with the p-value of its interval (its levels' printed limits), and counts in its family's m, but the variance an
    /// MDE needs is unknown (statistician's review 86: "no variance estimate" beside a p-value read as a contradiction).
    let mdeWithoutVariation: String
    /// How often a gap equal to the MDE becomes a finding under Benjamini–Hochberg at the run's false discovery rate
    /// `q` (printed as `threshold`): the percentages of ``findingsAtTheMDE`` where the rate is one of its rows,
    /// else how to compute them (statistician's review: a 99% report quoted the percentages of q < 0.05).
    let mdeFamilyPower: @Sendable (_ q: Double, _ threshold: String) -> String
    /// The Methods' words on the exact power at the MDE with 1–4 degrees of freedom, after "with 1–4": `range` the
    /// exact powers over those df as whole percentages (``MDEExactPower``, "73–79%"), `power` the nominal power
    /// ("80%"), `alpha` the run's α ("0.05"), `side` −1 when all are below the nominal power, +1 above, 0 both
    /// (statistician's review: a 99% report quoted the 73–79% of α = 0.05).
    let mdeSmallDfPower: @Sendable (_ range: String, _ power: String, _ alpha: String, _ side: Int) -> String
    /// Two whole percentages as a range ("73–79%", "del 73 al 79 %"), or one when they are equal.
    let percentRange: @Sendable (_ low: Int, _ high: Int) -> String

    /// The percentage of audits in which a contrast whose gap equals its MDE is a finding, in families of 2, 4 and 12
    /// contrasts with the others null, by false discovery rate (= the tests' α): `python3 scripts/mde-family-power.py
    /// --alpha A` (200,000 seeded draws; 80% in a family of 1).
    static let findingsAtTheMDE: [(rate: Double, families: [(size: Int, percent: Int)])] = [
        (0.05, [(2, 72), (4, 63), (12, 48)]),
        (0.1, [(2, 71), (4, 61), (12, 46)]),
        (0.01, [(2, 73), (4, 65), (12, 53)]),
    ]

    /// The row of ``findingsAtTheMDE`` for the false discovery rate `q`, if any.
    static func findingsAtTheMDE(q: Double) -> [(size: Int, percent: Int)]? {
        findingsAtTheMDE.first { abs($0.rate - q) < 1e-9 }?.families
    }
    /// The contrast table's caption.
    let contrastCaption: @Sendable (_ set: String, _ level: String, _ power: String) -> String
    /// The note under the contrast table: the families and how p and q were computed; `descriptive`: the
    /// titles of the set's metrics that are not tested (empty when every metric is); `copies`: some contrast of the set
    /// was computed from copies of one draw per prompt (greedy decoding), whose rates and shares take a t test;
    /// `oneTermEach`: the quoted terms (escaped) when every group of the set is one term (the regard sets' “man”,
    /// “woman”), nil otherwise; then its intervals, p and
    /// findings are conditional on those terms, with the random streams as the replications (a teacher's review: the
    /// Methods promised coverage "with other comparable terms" for them); `over`: what the set's tests are over (a
    /// teacher's review of a `--samples 1` run read "over terms and random streams"); `units`: what the groups with
    /// completions are made of, terms, fixed prompts or both, the units the note then names (a teacher's review: "over terms" for a set
    /// without terms); `logOdds`: whether the set audits the next-token log-odds, whose d the note then explains (a
    /// review: it did so in sets without them).
    let familyNote: @Sendable (
        _ families: [(model: String, tests: Int)], _ set: String, _ threshold: String, _ power: String, _ alpha: String,
        _ descriptive: [String], _ copies: Bool, _ oneTermEach: String?, _ over: TestedOver, _ units: UnitKind,
        _ logOdds: Bool
    ) -> String
    /// The note under a contrast table none of whose rows has a test (a teacher's review: "no test" and "[no CI]"
    /// stood without a word under them); `oneTermEach` and `units` as in ``familyNote``.
    let noTestNote: @Sendable (_ oneTermEach: String?, _ units: UnitKind) -> String
    /// The note on a design lint calls `underpowered`, as the analysis had it (each group's analysed terms, or fixed
    /// prompts): `twoUnits` the groups resting on 2 units, `borrowing` the single-term groups and the multi-term groups
    /// whose term variance they borrow, on `df` = Σ(K − 1) degrees of freedom, where that is below
    /// ``Linter/minimumPooledTermDegreesOfFreedom``; labels quoted and escaped (a teacher's students: a set of 2-term
    /// groups got a report of wide intervals without a word on why).
    let designNote: @Sendable (_ note: DesignNote) -> String
    /// What a set whose `primary_metrics:` leaves out some primary metric it audits tests, for the Methods: "occupations
    /// tests only mean sentiment and % negative"; `set` escaped, `tested` the titles of its tested metrics as a list.
    let narrowedSet: @Sendable (_ set: String, _ tested: String) -> String
    /// The estimate table's caption.
    let estimateCaption: @Sendable (_ set: String, _ level: String) -> String
    /// A forest plot's title.
    let chartTitle: @Sendable (_ set: String, _ metric: String) -> String
    /// A forest plot's description.
    let chartDescription: @Sendable (_ level: String, _ axis: String) -> String
    /// The text of a model without an estimate in a forest plot.
    let noEstimate: String
    /// An example's kind: "most negative", "most positive".
    let exampleKind: @Sendable (String) -> String
    /// An empty continuation.
    let empty: String
    /// The note after a continuation cut at ``SetBuilder/maximumShownScalars``, given its full length in Unicode scalars.
    let shortened: @Sendable (_ characters: String) -> String

    // MARK: Model comparison

    /// A verdict in words.
    let verdict: @Sendable (ComparisonVerdict) -> String
    /// Added to a verdict where the contrast is a finding under both models with opposite signs.
    let directionReversed: String
    /// Added to "no detectable change" where B − A's interval excludes 0 without a reversal marked
    /// (``AuditResults/ComparisonVerdict/marksContrastMoved(reversed:change:)``).
    let contrastMoved: String
    /// The direction of the comparison tables' difference when a report compares more than one pair of models.
    let anyPairDirection: String
    /// The comparison table's caption.
    let comparisonCaption: @Sendable (_ set: String, _ a: String, _ b: String, _ level: String) -> String
    /// One sentence per prompt set about the verdicts.
    let comparisonSentence: @Sendable (
        _ set: String, _ a: String, _ b: String, _ counts: [(ComparisonVerdict, Int)], _ reversed: Int, _ moved: Int,
        _ total: Int
    ) -> String

    // MARK: What was audited

    /// "Bias audit: "
    let titlePrefix: String
    /// " vs "
    let versus: String
    /// "no models"
    let noModels: String
    /// "6 layers · 12 heads · 768 wide"
    let architecture: @Sendable (_ layers: Int, _ heads: Int, _ width: Int) -> String
    /// "1,320 completions scored (distilgpt2 660 · gpt2 660)"
    let completions: @Sendable (_ total: String, _ parts: [String]) -> String
    /// A sweep's completions: the total over its settings, per model, and how many at each of `settings` settings.
    let sweepCompletions: @Sendable (_ total: String, _ parts: [String], _ perSetting: String, _ settings: Int) -> String
    /// Names of the sampling, statistics and timing rows.
    let setting: @Sendable (Setting) -> String
    /// "off"
    let off: String
    /// "each set's own (see the prompt-set table)"
    let eachSetsOwn: String
    /// "Benjamini–Hochberg within each family: …"
    let familyValue: @Sendable (String) -> String
    /// How the intervals were computed, for the statistics table; `copies` whether the samples of each prompt were
    /// copies of one draw (greedy decoding) under every model, some or none, `units` what the groups are made of (a
    /// teacher's review: a greedy report's table said "random-stream clusters" and "MOVER" beside a contrast note
    /// saying that there were no random streams and that rates took a t test).
    let intervalsValue: @Sendable (_ copies: CopiesExtent, _ units: UnitKind) -> String
    /// How the tests were computed, for the statistics table; `verdicts`: whether the report compares models
    /// (two or more models, or model comparisons in the results), which adds how the verdicts are tested.
    let testsValue: @Sendable (_ verdicts: Bool, _ copies: CopiesExtent, _ units: UnitKind) -> String

    /// The rows of the settings tables.
    enum Setting {
        case samples, maxNewTokens, temperature, topK, topP, seed
        case confidence, power, minimumGenderedWords, minimumEvents, falseDiscoveryRate, family, negativeThreshold
        case positiveThreshold
        /// The false discovery rate's row in a report that compares no models (findings only, no verdicts).
        case falseDiscoveryRateOfFindings
        case intervals, tests
        case started, finished, wallTime, generation, statistics
    }
}

extension ReportWords {
    /// Why `estimate` has no interval, in this language: from its structured reason, or the English text
    /// of a results file written before reasons were structured; nil when it is supported. `level`: a group's level
    /// rather than a difference of two groups. `groups`: the set's groups, whose label (in this language) names the
    /// thinnest group of a contrast (``InsufficientSupport/group``; its id when `groups` does not list it), unescaped.
    func insufficient(_ estimate: MetricEstimate, level: Bool = false, groups: [GroupInfo] = []) -> String? {
        // A level from one sample per prompt has its value; its interval says why it has none (`interval`).
        if estimate.insufficientDetail?.reason == .tooFewSamples, estimate.value != nil { return nil }
        if let support = estimate.insufficientDetail {
            let group = support.group.map { id in groups.first { $0.id == id }?.label(in: code) ?? id }
            return insufficientSupport(support, level, group)
        }
        return estimate.insufficient.map(insufficientRecorded)
    }

    /// Which templates `contrast` compares its groups on, in words and this language's number style ("on templates 1, 2
    /// of 3"), where that is not every one of the set's `templates` (``AuditResults/Contrast/templatesCompared``); nil
    /// where it is. The report's rows, its finding sentences and the terminal summary's finding lines say it alike.
    func templatesNote(_ contrast: Contrast, of templates: Int) -> String? {
        contrast.templatesCompared.map { positions in
            templatesCompared(
                positions.map { ReportNumbers.count($0, style: numbers) }, ReportNumbers.count(templates, style: numbers))
        }
    }
}

/// Under how many of a run's models the samples of each prompt were copies of one draw (greedy decoding,
/// ``AuditResults/AuditResult/modelsWithCopiesOfOneDraw``): none, some, or every one.
enum CopiesExtent: Sendable {
    case none, some, all
}

/// What a set's groups with completions are made of (``ReportWords/familyNote``): terms, fixed prompts (each its own
/// unit), or both.
enum UnitKind: Sendable {
    case terms, prompts, both

    /// The kind of groups of which `fixed` says whether each is of fixed prompts: terms where none is (or there is none).
    init(fixed: [Bool]) {
        self = !fixed.contains(true) ? .terms : fixed.allSatisfy { $0 } ? .prompts : .both
    }

    /// The kind of a design note's `groups`.
    init(_ groups: [DesignGroup]) { self.init(fixed: groups.map(\.prompts)) }
}

/// A design `lint` calls underpowered, as the analysis had it (``ReportWords/designNote``): `twoUnits` the groups resting
/// on 2 units, `borrowing` the single-unit groups, the multi-unit groups whose variance they borrow, and its degrees of
/// freedom Σ(K − 1), where that is below ``Linter/minimumPooledTermDegreesOfFreedom``. What the languages say alike is
/// derived here; each language only words it.
struct DesignNote: Sendable {
    let twoUnits: [DesignGroup]
    let borrowing: (groups: [DesignGroup], lenders: [DesignGroup], df: Int)?

    /// Every group the note names.
    var named: [DesignGroup] { twoUnits + (borrowing.map { $0.groups + $0.lenders } ?? []) }
    /// Whether only completions of part of the groups' terms make the design: the set itself lints clean, and more
    /// completions are the remedy, not lint (a teacher's review).
    var partial: Bool { borrowing == nil && twoUnits.allSatisfy { $0.declared != nil } }
    /// Whether some group's completions cover part of its terms.
    var somePartial: Bool { twoUnits.contains { $0.declared != nil } }
}

/// A group of a design note (``ReportWords/designNote``): its quoted, escaped label; whether its units are fixed prompts;
/// and how many terms (or prompts) the set gives it where the completions cover fewer (nil where they cover all).
struct DesignGroup: Sendable {
    let label: String
    let prompts: Bool
    let declared: Int?
}

/// Items joined as prose: "a", "a and b", "a, b and c" (with `conjunction` "and"). Spanish "y" becomes "e" before a
/// word that begins with the vowel /i/ (i-, í-, hi- before a consonant: “Españoles” e “Italianos”; not ia-, hie-, io-,
/// …: agua y hielo, cloro y iodo) and
/// "o" becomes "u" before o-, ó-, ho- (a teacher's review: «“Españoles” y “Italianos”»); leading quotation marks are
/// looked through. RAE, Diccionario panhispánico de dudas, "y" 1.b and "o" 1.a.
func joinedList(_ items: [String], conjunction: String) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    let last = items[items.count - 1]
    return items.dropLast().joined(separator: ", ") + " \(spanishConjunction(conjunction, before: last)) " + last
}

/// `conjunction` as Spanish writes it before `word` (``joinedList(_:conjunction:)``); other conjunctions unchanged.
func spanishConjunction(_ conjunction: String, before word: String) -> String {
    guard conjunction == "y" || conjunction == "o" else { return conjunction }
    let letters = word.drop { "“”\"«»'‘’¿¡( ".contains($0) }.lowercased()
    if conjunction == "y" {
        // i-, hi- before a consonant; before a vowel (ia-, hie-, io-, …) the i is a semivowel and "y" stays (cloro y
        // iodo, agua y hielo).
        let rest = letters.hasPrefix("h") ? letters.dropFirst() : letters[...]
        let i = (rest.hasPrefix("i") || rest.hasPrefix("í")) && !"aeiouáéíóú".contains(rest.dropFirst().first ?? "x")
        return i ? "e" : "y"
    }
    return letters.hasPrefix("o") || letters.hasPrefix("ó") || letters.hasPrefix("ho") || letters.hasPrefix("hó") ? "u" : "o"
}

extension ReportLanguage {
    /// The language of a report in `file`, as this tool's bundled templates write it: report.html's
    /// `<html lang="…">`, report.md's title ("# Bias audit: …", "# Auditoría de sesgo: …"), read from the first
    /// 4 KiB. Nil when the file is absent, not a regular file, unreadable, or in neither form (custom templates).
    /// `report --lang es` in a run's folder replaces the English reports, and says so (a review: it did silently).
    public static func ofWrittenReport(at file: URL) -> ReportLanguage? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let handle = try? FileHandle(forReadingFrom: file)
        else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 4096) else { return nil }
        let head = String(decoding: data, as: UTF8.self)
        return allCases.first { language in
            head.contains("<html lang=\"\(language.rawValue)\"")
                || head.contains("\n# \(language.words.titlePrefix)") || head.hasPrefix("# \(language.words.titlePrefix)")
        }
    }
}

extension ReportWords {
    /// ``noiseShare`` in a language: "one in `names[1/α]` differences" where 1/α is one of `names`' numbers, else the
    /// percentage α in `share`.
    static func noiseShare(
        _ level: Double, names: [Int: String], oneIn: (String) -> String, share: (String) -> String, style: NumberStyle
    ) -> String {
        let alpha = (level * 1e9).rounded() / 1e9  // 1 − 0.98 is 0.020000000000000018
        let inverse = 1 / alpha
        if abs(inverse - inverse.rounded()) < 1e-6, let name = names[Int(inverse.rounded())] { return oneIn(name) }
        return share(ReportNumbers.level(alpha, style: style))
    }
}

/// What the tests of a set's contrasts are over, for the note under its contrast table.
enum TestedOver: Sendable {
    /// Terms and random streams as crossed clusters (sampled completions, several per prompt).
    case termsAndStreams
    /// Terms alone, the sampled metrics having one completion per prompt (`term_clusters`): the streams' variance is
    /// not told apart from the terms'.
    case termsOneCompletionEach
    /// Terms alone, every tested metric being the exact next-token log-odds (one value per prompt, no stream).
    case termsExactValues
    /// Terms alone, the sampled metrics' samples of each prompt being copies of one draw (greedy decoding,
    /// `copies_of_one_draw`): there are no random streams (a review: a greedy run's note said "over terms and random
    /// streams").
    case termsCopies
    /// The random streams of single-term groups, paired (`conditional_on_terms`; every group of the set one term).
    case streamsPaired
    /// The random streams of single-term groups, paired where two groups share them: a group of fixed prompts (its
    /// own stream key) shares none with the templates' groups (a hostile review: "paired" for such a contrast).
    case streamsPartlyPaired
    /// The random streams of single-term groups, unpaired (`analyze --unpaired`, or a file whose streams are not shared;
    /// a review: the note said "paired" beside the header's "Analysed unpaired").
    case streamsUnpaired
}
