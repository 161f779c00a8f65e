import AuditResults
import Foundation

/// Builds one prompt set's section: groups, the groups × models table, charts, contrasts, examples.
struct SetBuilder {
    let context: ReportContext
    let promptSet: PromptSetResult

    /// Metrics that get a forest plot, when audited.
    static let chartedMetrics: [AuditMetric] = [.sentiment, .maleShare, .heSheLogOdds]

    func view() -> SetView {
        let escaping = context.escaping
        let charts = escaping == .html ? self.charts() : []
        let contrasts = contrastRows()
        let examples = exampleGroups()
        return SetView(
            name: escaping.text(promptSet.name), anchor: context.anchor(forSet: promptSet.name), axis: escaping.text(promptSet.axis),
            description: escaping.text(promptSet.description), source: escaping.text(promptSet.source),
            templates: promptSet.templates.map(escaping.text),
            groups: promptSet.groups.map { group in
                GroupView(
                    label: escaping.text(group.label), id: escaping.text(group.id),
                    terms: escaping.text(group.terms.joined(separator: ", ")), prompts: ReportNumbers.count(group.promptCount))
            },
            estimates: estimateTable(), charts: charts, hasCharts: !charts.isEmpty,
            contrastCaption: "\(escaping.text(promptSet.name)): group differences (A − B) with \(context.level) CIs, "
                + "permutation p, Benjamini–Hochberg q and effect size",
            contrasts: contrasts, hasContrasts: !contrasts.isEmpty, pValueNote: pValueNote(),
            examples: examples, hasExamples: !examples.isEmpty)
    }

    private var metrics: [AuditMetric] { promptSet.metrics.sorted() }

    private var models: [String] {
        context.modelOrder.filter { model in promptSet.groupEstimates.contains { $0.model == model } }
    }

    private func estimateTable() -> EstimateTableView {
        var rows: [EstimateRowView] = []
        for group in promptSet.groups {
            for (index, model) in models.enumerated() {
                guard let estimates = promptSet.groupEstimates.first(where: { $0.model == model && $0.group == group.id }) else {
                    continue
                }
                rows.append(
                    EstimateRowView(
                        group: context.escaping.text(group.label), model: context.escaping.text(model),
                        firstOfGroup: index == 0, n: ReportNumbers.count(estimates.completions),
                        cells: metrics.map { MetricPresentation($0).cell(estimates.estimate($0)) }))
            }
        }
        return EstimateTableView(
            caption: "\(context.escaping.text(promptSet.name)): estimates per group and model, \(context.level) CIs in "
                + "brackets (percentages for rates); n = completions scored",
            columns: metrics.map { MetricPresentation($0).columnTitle }, rows: rows)
    }

    private func charts() -> [ChartView] {
        Self.chartedMetrics.filter(metrics.contains).compactMap { metric in
            let presentation = MetricPresentation(metric)
            let rows = promptSet.groups.map { group in
                ForestPlot.Row(
                    label: group.label,
                    points: models.map { model in
                        let estimates = promptSet.groupEstimates.first { $0.model == model && $0.group == group.id }
                        return ForestPlot.Point(
                            model: model, colorIndex: context.modelIndex(model),
                            estimate: estimates?.estimate(metric), text: presentation.levelWithInterval(estimates?.estimate(metric)))
                    })
            }
            let plot = ForestPlot(
                id: "\(context.anchor(forSet: promptSet.name))-\(metric.rawValue)",
                title: "\(promptSet.name): \(presentation.columnTitle) by group",
                description: "For each group, one dot per model at its estimate and a whisker for its "
                    + "\(context.level) confidence interval. Axis: \(presentation.axisLabel).",
                axisLabel: presentation.axisLabel, scale: metric.isRate ? 100 : 1, reference: presentation.referenceValue,
                models: models.map { ($0, context.modelIndex($0)) }, rows: rows)
            guard let svg = plot.svg() else { return nil }
            return ChartView(title: context.escaping.text(plot.title), svg: svg)
        }
    }

    private func contrastRows() -> [ContrastRowView] {
        let pairs = promptSet.contrasts.map(GroupPair.init).uniqued()
        let sorted = promptSet.contrasts.sorted { lhs, rhs in
            if lhs.metric != rhs.metric { return lhs.metric < rhs.metric }
            let (pl, pr) = (pairs.firstIndex(of: GroupPair(lhs))!, pairs.firstIndex(of: GroupPair(rhs))!)
            if pl != pr { return pl < pr }
            return context.modelIndex(lhs.model) < context.modelIndex(rhs.model)
        }
        return sorted.map { contrast in
            let significant = (contrast.qValue ?? 1) < ReportViewModel.qThreshold && contrast.difference.value != nil
            return ContrastRowView(
                metric: MetricPresentation(contrast.metric).columnTitle,
                groups: context.pairLabel(contrast.groupA, contrast.groupB, in: promptSet),
                model: context.escaping.text(contrast.model),
                difference: MetricPresentation(contrast.metric).differenceWithInterval(contrast.difference),
                p: ReportNumbers.probability(contrast.pValue), q: ReportNumbers.probability(contrast.qValue),
                effect: effectText(contrast), significant: significant, significance: significant ? "yes" : "no")
        }
    }

    private func effectText(_ contrast: Contrast) -> String {
        guard let size = contrast.effectSize, size.isFinite else { return ReportNumbers.missing }
        let symbol = switch contrast.effectSizeKind {
        case "cohens_d": "d"
        case "cohens_h": "h"
        default: context.escaping.text(contrast.effectSizeKind)
        }
        let magnitude = abs(size)
        let word = magnitude < 0.2 ? "negligible" : magnitude < 0.5 ? "small" : magnitude < 0.8 ? "medium" : "large"
        return "\(symbol) = \(ReportNumbers.fixed(size, decimals: 2, signed: true)) (\(word))"
    }

    private func pValueNote() -> String? {
        let exact = Set(promptSet.contrasts.filter(\.exact).map(\.permutations)).sorted()
        let sampled = Set(promptSet.contrasts.filter { !$0.exact }.map(\.permutations)).sorted()
        var parts: [String] = []
        if let low = exact.first, let high = exact.last {
            let count = low == high ? ReportNumbers.count(low) : "\(ReportNumbers.count(low))–\(ReportNumbers.count(high))"
            parts.append(
                "exact p-values enumerate all \(count) ways of relabelling the terms between the two groups, so p "
                    + "cannot be smaller than 1/\(ReportNumbers.count(low))")
        }
        if let low = sampled.first, let high = sampled.last {
            let count = low == high ? ReportNumbers.count(low) : "\(ReportNumbers.count(low))–\(ReportNumbers.count(high))"
            parts.append("Monte Carlo p-values use \(count) random relabellings of the terms")
        }
        guard !parts.isEmpty else { return nil }
        let text = parts.joined(separator: "; ")
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    private func exampleGroups() -> [ExampleGroupView] {
        promptSet.groups.compactMap { group in
            let examples = promptSet.examples.filter { $0.group == group.id }.sorted { lhs, rhs in
                let (ml, mr) = (context.modelIndex(lhs.model), context.modelIndex(rhs.model))
                if ml != mr { return ml < mr }
                if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
                return lhs.compound < rhs.compound
            }
            guard !examples.isEmpty else { return nil }
            return ExampleGroupView(
                group: context.escaping.text(group.label),
                rows: examples.map { example in
                    // Markdown marks prompt and continuation with emphasis, which must not start or end with a space.
                    let trimmed = example.continuation.trimmingCharacters(in: .whitespacesAndNewlines)
                    let markdown = context.escaping == .markdown
                    let prompt = markdown ? example.prompt.trimmingCharacters(in: .whitespacesAndNewlines) : example.prompt
                    return ExampleRowView(
                        model: context.escaping.text(example.model),
                        kind: context.escaping.text(example.kind.replacingOccurrences(of: "_", with: " ")),
                        compound: ReportNumbers.fixed(example.compound, decimals: 3, signed: true),
                        prompt: context.escaping.text(prompt),
                        continuation: trimmed.isEmpty ? "(empty)" : context.escaping.text(markdown ? trimmed : example.continuation))
                })
        }
    }
}

/// The two groups a contrast compares, in its order.
private struct GroupPair: Hashable {
    let groupA: String
    let groupB: String

    init(_ contrast: Contrast) {
        groupA = contrast.groupA
        groupB = contrast.groupB
    }
}
