import AuditResults

/// Lookups shared by the builders of one view model: escaping, labels, anchors, model order.
struct ReportContext {
    let result: AuditResult
    let escaping: ReportEscaping
    /// The fixed text and number style of the report's language.
    let words: ReportWords
    /// The fixed text of the speed, pair and labour-statistics tables.
    let sectionWords: ReportSectionWords
    /// The confidence level as a label, `95%`.
    let level: String
    /// The finding threshold (``Findings/threshold``) as text, `0.05`.
    let threshold: String
    /// Model ids in manifest order (models that only appear in estimates follow, in order of appearance).
    let modelOrder: [String]
    private let anchors: [String: String]

    init(result: AuditResult, escaping: ReportEscaping, language: ReportLanguage = .en) {
        self.result = result
        self.escaping = escaping
        words = language.words
        sectionWords = language.sectionWords
        level = ReportNumbers.level(result.manifest.parameters.confidenceLevel, style: words.numbers)
        threshold = ReportNumbers.plain(Findings.threshold, style: words.numbers)
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
    }

    /// The in-page anchor of a prompt set's section (letters, digits and hyphens only).
    func anchor(forSet name: String) -> String {
        anchors[name] ?? "set-" + Self.slug(name)
    }

    /// The position of a model in ``modelOrder`` (for colours and sorting).
    func modelIndex(_ id: String) -> Int {
        modelOrder.firstIndex(of: id) ?? modelOrder.count
    }

    /// The escaped label of group `id` in `set` (the id itself when the set does not list it).
    func groupLabel(_ id: String, in set: PromptSetResult) -> String {
        escaping.text(set.groups.first { $0.id == id }?.label ?? id)
    }

    /// "A − B" with escaped group labels.
    func pairLabel(_ a: String, _ b: String, in set: PromptSetResult) -> String {
        "\(groupLabel(a, in: set)) \(ReportNumbers.minus) \(groupLabel(b, in: set))"
    }

    /// The prompt set whose contrasts include `contrast`.
    func set(containing contrast: Contrast) -> PromptSetResult? {
        result.promptSets.first { $0.contrasts.contains(contrast) }
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
}
