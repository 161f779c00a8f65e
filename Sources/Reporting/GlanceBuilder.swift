import AuditAnalysis
import AuditResults
import PromptSets

/// Builds the at-a-glance table of the first screen: every prompt set × primary metric × pair of
/// groups, each model's contrast side by side with its interval, whether it is a finding
/// (``Contrast/isFinding``), and the verdict between the first two models (``ModelComparison/verdict``).
struct GlanceBuilder {
    let context: ReportContext

    func view() -> GlanceView {
        let words = context.words
        let escaping = context.escaping
        let models = context.modelOrder
        let pair = models.count >= 2 ? (a: models[0], b: models[1]) : nil
        var rows: [GlanceRowView] = []
        for set in context.result.promptSets {
            var first = true
            let caution = context.otherLanguage(of: set).map {
                escaping.text(context.sectionWords.otherLanguageGlance($0.language))
            }
            for metric in set.metrics.sorted() where set.isTested(metric) {
                for (a, b, indices) in pairs(of: set, metric: metric) {
                    let contrasts = indices.lazy.map { set.contrasts[$0] }
                    guard let id = contrasts.first?.id else { continue }
                    let presentation = context.presentation(metric)
                    let cells = models.map { model in cell(contrasts.first { $0.model == model }, presentation, in: set) }
                    let comparison = pair.flatMap { context.comparison(id, modelA: $0.a, modelB: $0.b) }
                    let verdict = comparison.map { $0.verdict ?? $0.computedVerdict(below: context.findingThreshold) }
                    let reversed = comparison.map { context.marksReversal($0, in: set) } ?? false
                    // Why a verdict is undetermined where the comparison table gives it as the change's reason.
                    // Why a verdict is undetermined, as the comparison table gives it for the change.
                    let apart = pair.flatMap { pair in
                        comparison.flatMap { comparison in
                            verdict == .undetermined ? ReportContext.apart(
                                comparison, contrasts.first { $0.model == pair.a }, contrasts.first { $0.model == pair.b }) : nil
                        }
                    }
                    let because = apart.map { " (" + words.apartShort($0) + ")" } ?? ""
                    rows.append(
                        GlanceRowView(
                            set: escaping.text(set.name), anchor: context.anchor(forSet: set.name), firstOfSet: first,
                            languageCaution: caution,
                            metric: presentation.columnTitle, groups: context.pairLabel(a, b, in: set),
                            groupsLanguage: context.pairLanguage(a, b, in: set), cells: cells,
                            verdict: verdict.map { words.verdict($0) + because + (reversed ? ", " + words.directionReversed : "") } ?? "",
                            clear: verdict == .moreBiased || verdict == .lessBiased))
                    first = false
                }
            }
        }
        return GlanceView(
            caption: words.glanceCaption(pair != nil), note: words.glanceNote(context.level, pair != nil), columns: 2 + models.count + (pair == nil ? 0 : 1),
            models: models.map(escaping.text),
            hasVerdict: pair != nil,
            verdictHeader: pair.map { words.verdictHeader(escaping.text($0.b), escaping.text($0.a)) } ?? "",
            rows: rows, hasRows: !rows.isEmpty)
    }

    /// The set's group pairs of `metric` in the order its contrasts list them, each with the indices of its
    /// contrasts (one per model) in `set.contrasts`. One pass: filtering every contrast for every pair made the
    /// report of one set of 50 groups × 4 models (1,225 pairs) take 65 s of CPU in a debug build, 18 s now.
    private func pairs(of set: PromptSetResult, metric: AuditMetric) -> [(a: String, b: String, contrasts: [Int])] {
        var pairs: [(a: String, b: String, contrasts: [Int])] = []
        var position: [[String]: Int] = [:]
        for (index, contrast) in set.contrasts.enumerated() where contrast.metric == metric {
            let key = [contrast.groupA, contrast.groupB]
            if let existing = position[key] {
                pairs[existing].contrasts.append(index)
            } else {
                position[key] = pairs.count
                pairs.append((contrast.groupA, contrast.groupB, [index]))
            }
        }
        return pairs
    }

    /// One model's contrast: Δ [CI] (or the reason it has none; and which templates, where not every one) and its q,
    /// marked when a finding.
    private func cell(_ contrast: Contrast?, _ presentation: MetricPresentation, in set: PromptSetResult) -> GlanceCellView {
        guard let contrast else {
            return GlanceCellView(
                estimate: ReportNumbers.missing, templatesNote: nil, value: ReportNumbers.missing, note: nil,
                finding: false, insufficient: false)
        }
        let insufficient = contrast.difference.insufficient != nil
        let estimate = presentation.differenceWithInterval(contrast.difference, escaping: context.escaping, groups: set.groups)
        let templates = context.templatesNote(contrast, in: set)
        let value = withTemplatesNote(estimate, templates)
        guard !insufficient, contrast.qValue != nil else {
            return GlanceCellView(
                estimate: estimate, templatesNote: templates, value: value, note: nil, finding: false,
                insufficient: insufficient)
        }
        let q = ReportNumbers.labelled("q", contrast.qValue, style: context.words.numbers, decidedAt: context.findingThreshold)
        let finding = contrast.isFinding(below: context.findingThreshold)
        let note = finding ? q + " · " + context.words.findingMarker : q
        return GlanceCellView(
            estimate: estimate, templatesNote: templates, value: value, note: note, finding: finding, insufficient: false)
    }
}
