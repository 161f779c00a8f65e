import AuditResults
import PromptSets

/// Lookups shared by the builders of one view model: escaping, labels, anchors, model order.
struct ReportContext {
    let result: AuditResult
    let escaping: ReportEscaping
    /// The fixed text and number style of the report's language.
    let words: ReportWords
    /// The fixed text of the speed, pair and labour-statistics tables.
    let sectionWords: ReportSectionWords
    /// The report's language.
    let language: ReportLanguage
    /// The confidence level as a label, `95%`.
    let level: String
    /// The run's false discovery rate of findings and verdicts (``RunParameters/findingThreshold``), `0.05`.
    let findingThreshold: Double
    /// ``findingThreshold`` as text, `0.05`.
    let threshold: String
    /// Model ids in manifest order (models that only appear in estimates follow, in order of appearance).
    let modelOrder: [String]
    private let anchors: [String: String]
    /// For each contrast id, the indices of the prompt sets with a contrast of that id (in run order).
    private let setsByContrastID: [String: [Int]]
    /// The first model comparison of each (contrast id, model A, model B), in file order.
    private let comparisonsByKey: [[String]: ModelComparison]
    /// The language each prompt set is written in, by name (``ownLanguage(of:)``).
    private let setLanguages: [String: String]
    /// What shows a set's prompts in another language than English, by name (``otherLanguage(of:)``); absent for English.
    private let otherLanguages: [String: TemplateLanguage.Evidence]

    init(result: AuditResult, escaping: ReportEscaping, language: ReportLanguage = .en) {
        self.result = result
        self.escaping = escaping
        words = language.words
        sectionWords = language.sectionWords
        self.language = language
        level = ReportNumbers.level(result.manifest.parameters.confidenceLevel, style: words.numbers)
        findingThreshold = result.manifest.parameters.findingThreshold
        threshold = ReportNumbers.plain(findingThreshold, style: words.numbers)
        modelOrder = (result.manifest.models.map(\.id) + result.promptSets.flatMap { $0.groupEstimates.map(\.model) })
            .uniqued()
        var anchors: [String: String] = [:]
        var used = Set<String>()
        for name in result.promptSets.map(\.name) + result.manifest.promptSets.map(\.name) where anchors[name] == nil {
            var anchor = "set-" + Self.slug(name)
            var suffix = 2
            while used.contains(anchor) {
                anchor = "set-\(Self.slug(name))-\(suffix)"
                suffix += 1
            }
            used.insert(anchor)
            anchors[name] = anchor
        }
        self.anchors = anchors
        var setsByContrastID: [String: [Int]] = [:]
        for (index, set) in result.promptSets.enumerated() {
            for id in Set(set.contrasts.map(\.id)) { setsByContrastID[id, default: []].append(index) }
        }
        self.setsByContrastID = setsByContrastID
        var setLanguages: [String: String] = [:]
        for set in result.promptSets where setLanguages[set.name] == nil {
            setLanguages[set.name] = Self.writtenLanguage(of: set)
        }
        self.setLanguages = setLanguages
        var otherLanguages: [String: TemplateLanguage.Evidence] = [:]
        for set in result.promptSets where otherLanguages[set.name] == nil {
            otherLanguages[set.name] = TemplateLanguage.evidence(Self.promptTexts(of: set))
        }
        self.otherLanguages = otherLanguages
        var comparisonsByKey: [[String]: ModelComparison] = [:]
        for comparison in result.modelComparisons {
            let key = [comparison.contrastID, comparison.modelA, comparison.modelB]
            if comparisonsByKey[key] == nil { comparisonsByKey[key] = comparison }
        }
        self.comparisonsByKey = comparisonsByKey
    }

    /// The in-page anchor of a prompt set's section (letters, digits and hyphens only).
    func anchor(forSet name: String) -> String {
        anchors[name] ?? "set-" + Self.slug(name)
    }

    /// The `id` of a table's long caption, the `p.caption` before its scroll box, which the table names in
    /// `aria-describedby`: `caption-<table>-<anchor>`, then `-<index>` where a set has several such tables (`labour`, one
    /// per model; `comparison`, one per pair of models; from 1). The set tables' ids are built here too, as
    /// ``SetView``'s `estimatesCaptionID` (`contrasts…`, `examples…`, `pairs…`), which the templates print. Letters, digits and hyphens only: `anchor` is
    /// ``anchor(forSet:)``, never the set's name. Unique in the page: no other id starts with `caption-`; `table` is one
    /// word without a hyphen and every anchor starts with `set-`, so the table and the anchor can be read back, and the
    /// index is the digits after the last hyphen.
    static func captionID(_ table: String, anchor: String, index: Int? = nil) -> String {
        "caption-\(table)-\(anchor)" + (index.map { "-\($0)" } ?? "")
    }

    /// The position of a model in ``modelOrder`` (for colours and sorting).
    func modelIndex(_ id: String) -> Int {
        modelOrder.firstIndex(of: id) ?? modelOrder.count
    }

    /// The escaped label of group `id` in `set` in the report's language (the id itself when the set
    /// does not list it).
    func groupLabel(_ id: String, in set: PromptSetResult) -> String {
        escaping.text(set.groups.first { $0.id == id }.map(label) ?? id)
    }

    /// A group's label in the report's language, unescaped (``AuditResults/GroupInfo/label(in:)``).
    func label(_ group: GroupInfo) -> String {
        group.label(in: words.code)
    }

    /// Which templates a contrast compares its groups on, in words ("on templates 1, 2 of 3"), where that is not every
    /// template of `set` (``AuditResults/Contrast/templatesCompared``); nil where it is. A newcomer's review: a contrast
    /// on the shared templates only showed Δ = +0.12 beside levels 0.11 and 0.05 without a word on its row.
    func templatesNote(_ contrast: Contrast, in set: PromptSetResult) -> String? {
        words.templatesNote(contrast, of: set.templates.count)
    }

    /// The language a prompt set's own text is written in (its templates, or the example prompts of a set of fixed
    /// prompts, and so its default labels, description and source): the code of the language its prompts read as, where
    /// none reads as English, else `en`.
    /// A set is written in a language other than English only when its prompts read as that language and none reads as
    /// English (``PromptSets/TemplateLanguage/writtenLanguage(of:)``): one Spanish template among English ones says
    /// nothing of its labels, description and source (a review: they were all marked Spanish), while a short Spanish
    /// template that tells no language does not make a Spanish set English (a second review).
    static func writtenLanguage(of set: PromptSetResult) -> String {
        TemplateLanguage.writtenLanguage(of: promptTexts(of: set))?.code ?? "en"
    }

    /// The texts a set's language is read from: its templates; a set of fixed prompts has no templates in results.json,
    /// and its example prompts stand for them (a code review: lint warned of such a set, the report said nothing).
    static func promptTexts(of set: PromptSetResult) -> [String] {
        set.templates.isEmpty ? set.examples.map(\.prompt).uniqued() : set.templates
    }

    /// The evidence that `set`'s prompts read as another language than English (``PromptSets/TemplateLanguage/evidence(_:limit:)``
    /// of ``promptTexts(of:)``), computed once per set for the set's section, its findings and the at-a-glance table; nil
    /// when they read as English.
    func otherLanguage(of set: PromptSetResult) -> TemplateLanguage.Evidence? {
        otherLanguages[set.name] ?? (setLanguages[set.name] == nil ? TemplateLanguage.evidence(Self.promptTexts(of: set)) : nil)
    }

    /// ``writtenLanguage(of:)``, computed once per set.
    func ownLanguage(of set: PromptSetResult) -> String {
        setLanguages[set.name] ?? Self.writtenLanguage(of: set)
    }

    /// The language of group `id`'s label (``groupLabel(_:in:)``) where it is not the page's: an untranslated label
    /// is in the set's own language. Nil for a group the set does not list (its id is shown).
    func labelLanguage(_ id: String, in set: PromptSetResult) -> String? {
        guard let group = set.groups.first(where: { $0.id == id }) else { return nil }
        let language = textLanguage(translations: group.labels, in: set)
        return language == words.code ? nil : language
    }

    /// The language of a set's text (a label, its description or source) as the page shows it: the page's where
    /// `translations` has the page's language; else the language the set declared (``declaredLanguage(of:)``: a set
    /// written with `language: es` and English templates, where a teacher's review found "Profesiones feminizadas" in an
    /// English report without `lang="es"`); else the set's own (``ownLanguage(of:)``, read from its templates).
    func textLanguage(translations: [String: String]?, in set: PromptSetResult) -> String {
        if translations?[words.code] != nil { return words.code }
        return Self.declaredLanguage(of: set) ?? ownLanguage(of: set)
    }

    /// The language a set declared with `language:`, which results.json does not record: the loader records the set's
    /// description and source under that language too, so it is the one language under which both are their own
    /// translation. Labels are not asked (a group may give its own `labels:` beside a declared language: a second
    /// review), and a set that only repeats a name (`label: Chile`, `labels: {es: Chile}`) declares nothing (a review:
    /// its English label was marked Spanish).
    static func declaredLanguage(of set: PromptSetResult) -> String? {
        (set.descriptions ?? [:]).filter { $0.value == set.description && set.sources?[$0.key] == set.source }.keys.sorted().first
    }

    /// The language of "A − B" (``pairLabel(_:_:in:)``) where both labels are in one language other than the page's;
    /// nil where either is in the page's language (one `lang` cannot cover two).
    func pairLanguage(_ a: String, _ b: String, in set: PromptSetResult) -> String? {
        let first = labelLanguage(a, in: set)
        return first == labelLanguage(b, in: set) ? first : nil
    }

    /// "A − B" with escaped group labels.
    func pairLabel(_ a: String, _ b: String, in set: PromptSetResult) -> String {
        "\(groupLabel(a, in: set)) \(ReportNumbers.minus) \(groupLabel(b, in: set))"
    }

    /// The first prompt set whose contrasts include `contrast`.
    func set(containing contrast: Contrast) -> PromptSetResult? {
        (setsByContrastID[contrast.id] ?? []).lazy.map { result.promptSets[$0] }.first { $0.contrasts.contains(contrast) }
    }

    /// The first model comparison of contrast `id` between `modelA` and `modelB`.
    func comparison(_ id: String, modelA: String, modelB: String) -> ModelComparison? {
        comparisonsByKey[[id, modelA, modelB]]
    }

    /// Whether the report marks `comparison` (of a contrast of `set`) "direction reversed": its contrast is a finding
    /// under both models (q below ``findingThreshold`` within each model's family), with intervals on opposite sides of
    /// 0. `sign_reversed` in results.json reads the two intervals alone, which are not corrected for the comparisons made
    /// (a teacher's review: a contrast with q = 0.176 under one model was marked, and read as "the favoured group
    /// swapped", beside the report's own "an interval that excludes 0 with q ≥ 0.05 is not a finding").
    func marksReversal(_ comparison: ModelComparison, in set: PromptSetResult) -> Bool {
        guard comparison.signReversed == true else { return false }
        return [comparison.modelA, comparison.modelB].allSatisfy { model in
            set.contrasts.contains { $0.id == comparison.contrastID && $0.model == model && $0.isFinding(below: findingThreshold) }
        }
    }

    /// An integer in the report's number style: `12,000`.
    func count(_ value: Int) -> String {
        ReportNumbers.count(value, style: words.numbers)
    }

    /// A metric's presentation in the report's language.
    func presentation(_ metric: AuditMetric) -> MetricPresentation {
        MetricPresentation(metric, words: words)
    }

    /// The prompt set named `name`.
    func set(named name: String) -> PromptSetResult? {
        result.promptSets.first { $0.name == name }
    }

    private static func slug(_ name: String) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "unnamed" : slug
    }

    /// Why a model comparison's change has no interval though it has a value's reason of its own to give: its two
    /// contrasts rest on different templates (`true`; ``AuditResults/Contrast/comparesTheSameTemplates(as:)``) or on
    /// different terms (`false`; ``AuditResults/ModelComparison/onDifferentTerms``); nil otherwise. The one rule of the
    /// comparison table's reason and the at-a-glance verdict's.
    static func apart(_ comparison: ModelComparison, _ a: Contrast?, _ b: Contrast?) -> Bool? {
        guard comparison.difference.lower == nil, comparison.difference.insufficient == nil else { return nil }
        if let a, let b, !a.comparesTheSameTemplates(as: b) { return true }
        return comparison.onDifferentTerms == true ? false : nil
    }
}
