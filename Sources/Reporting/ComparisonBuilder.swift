import AuditAnalysis
import AuditResults

/// Builds the model-vs-model section: for every primary contrast, is model B more or less biased
/// than model A?
///
/// Each ``ModelComparison`` carries both models' contrasts with their own intervals, B − A with its
/// interval, and the verdict the analysis decided (a joint test of both models' uncertainty,
/// Benjamini–Hochberg within its prompt set × model pair): the verdict `biasaudit diff` and `check` use. This
/// builder only words it (``ComparisonVerdict/words``), adding "direction reversed" where the contrast is a finding
/// under both models with opposite signs (``ReportContext/marksReversal(_:in:)``).
struct ComparisonBuilder {
    let context: ReportContext

    func view() -> ComparisonView {
        var blocks: [ComparisonSetView] = []
        let bySet = Dictionary(grouping: context.result.modelComparisons, by: \.set)
        for set in context.result.promptSets {
            let comparisons = bySet[set.name] ?? []
            var pairs: [[String]] = []
            for comparison in comparisons where !pairs.contains([comparison.modelA, comparison.modelB]) {
                pairs.append([comparison.modelA, comparison.modelB])
            }
            for (index, pair) in pairs.enumerated() {
                blocks.append(
                    block(set, comparisons.filter { [$0.modelA, $0.modelB] == pair }, modelA: pair[0], modelB: pair[1],
                          index: index + 1))
            }
        }
        // One pair of models: its names; several (three models or more): the rule, as every table's columns show it
        // (review: every block's legend read "gpt2 − distilgpt2", also the third model's).
        let pairCount = Set(blocks.map { [$0.modelA, $0.modelB] }).count
        let direction = pairCount > 1
            ? context.words.anyPairDirection
            : blocks.first.map { "\($0.modelB) \(ReportNumbers.minus) \($0.modelA)" } ?? ""
        return ComparisonView(
            shown: context.result.manifest.models.count > 1 || !blocks.isEmpty, hasComparisons: !blocks.isEmpty,
            direction: direction, sets: blocks)
    }

    /// The table of one pair of models in `set`, the set's `index`th (from 1), which names its caption's id.
    private func block(
        _ set: PromptSetResult, _ comparisons: [ModelComparison], modelA: String, modelB: String, index: Int
    ) -> ComparisonSetView {
        let escaping = context.escaping
        let (nameA, nameB) = (escaping.text(modelA), escaping.text(modelB))
        // Same order as the set's contrast table: metric, then the group pairs in the order the set lists them.
        let pairOrder = Dictionary(set.contrasts.map(\.id).uniqued().enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        let contrasts = Dictionary(set.contrasts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let byModel = set.contrastsByIDAndModel()
        let sorted = comparisons.sorted { lhs, rhs in
            if lhs.metric != rhs.metric { return lhs.metric < rhs.metric }
            return (pairOrder[lhs.contrastID] ?? pairOrder.count, lhs.contrastID)
                < (pairOrder[rhs.contrastID] ?? pairOrder.count, rhs.contrastID)
        }
        let words = context.words
        var counts: [ComparisonVerdict: Int] = [:]
        var reversed = 0, moved = 0
        let rows = sorted.map { comparison in
            let verdict = comparison.verdict ?? comparison.computedVerdict(below: context.findingThreshold)
            let flipped = context.marksReversal(comparison, in: set)
            counts[verdict, default: 0] += 1
            if flipped { reversed += 1 }
            // On the raw reversal, as `diff` and `check` decide it (a review: a reversal between non-findings, which the
            // report does not mark, read "contrast moved" here and "direction reversed" in `check`).
            let shifted = verdict.marksContrastMoved(reversed: comparison.signReversed ?? false, change: comparison.difference)
            if shifted { moved += 1 }
            let presentation = context.presentation(comparison.metric)
            let (groupA, groupB) = groups(of: comparison, contrast: contrasts[comparison.contrastID])
            let apart = ReportContext.apart(
                comparison, byModel[.init(id: comparison.contrastID, model: modelA)],
                byModel[.init(id: comparison.contrastID, model: modelB)])
            return ComparisonRowView(
                metric: presentation.columnTitle, groups: context.pairLabel(groupA, groupB, in: set),
                groupsLanguage: context.pairLanguage(groupA, groupB, in: set),
                valueA: contrastText(comparison.contrastA, value: comparison.valueA, presentation, groups: set.groups),
                valueB: contrastText(comparison.contrastB, value: comparison.valueB, presentation, groups: set.groups),
                difference: differenceText(
                    comparison, presentation, groups: set.groups, names: (nameA, nameB), apart: apart),
                reasonA: comparison.contrastA?.insufficient != nil, reasonB: comparison.contrastB?.insufficient != nil,
                // The different-templates words wrap as a reason does (at 1280 px they pushed the table past the page).
                reasonDifference: comparison.difference.insufficient != nil
                    || apart != nil,
                q: ReportNumbers.probability(comparison.qValue, style: words.numbers, decidedAt: context.findingThreshold),
                verdict: words.verdict(verdict) + (flipped ? ", " + words.directionReversed
                    : shifted ? ", " + words.contrastMoved : ""),
                clear: verdict == .moreBiased || verdict == .lessBiased)
        }
        let ordered = ComparisonVerdict.allCases.compactMap { verdict in counts[verdict].map { (verdict, $0) } }
        return ComparisonSetView(
            name: escaping.text(set.name), anchor: context.anchor(forSet: set.name), axis: escaping.text(set.axis),
            modelA: nameA, modelB: nameB,
            verdict: words.comparisonSentence(escaping.text(set.name), nameA, nameB, ordered, reversed, moved, rows.count),
            caption: words.comparisonCaption(escaping.text(set.name), nameA, nameB, context.level),
            captionID: ReportContext.captionID("comparison", anchor: context.anchor(forSet: set.name), index: index),
            rows: rows)
    }

    /// B − A with its interval, or its reason after the (escaped) name of the model whose contrast is too thin,
    /// "distilgpt2: too few gendered words (12 in “…”, …)": the reason repeated bare under Difference read as the
    /// difference's own (a review). A change of two contrasts on different templates has no interval for that reason,
    /// which it gives (`apart`, ``ReportContext/apart(_:_:_:)``; it read "[no CI: no variance estimate]").
    private func differenceText(
        _ comparison: ModelComparison, _ presentation: MetricPresentation, groups: [GroupInfo], names: (String, String),
        apart: Bool?
    ) -> String {
        if let apart, let value = comparison.difference.value {
            let reason = apart ? context.words.onDifferentTemplates : context.words.onDifferentTerms
            return presentation.difference(value) + " [\(context.words.noInterval): \(reason)]"
        }
        let text = presentation.differenceWithInterval(comparison.difference, escaping: context.escaping, groups: groups)
        guard context.words.insufficient(comparison.difference) != nil else { return text }
        // Both sides too thin: each with its own reason, as `diff` says it (practitioner's review: the second side's
        // was left out).
        if let a = comparison.contrastA, let b = comparison.contrastB, a.reasonText != nil, b.reasonText != nil {
            let reason = { (side: MetricEstimate) in
                presentation.differenceWithInterval(side, escaping: self.context.escaping, groups: groups)
            }
            return "\(names.0): \(reason(a)); \(names.1): \(reason(b))"
        }
        if comparison.contrastA?.reasonText != nil { return "\(names.0): \(text)" }
        if comparison.contrastB?.reasonText != nil { return "\(names.1): \(text)" }
        return text
    }

    /// A model's contrast with its interval; schema-1 comparisons carry only the value.
    private func contrastText(
        _ estimate: MetricEstimate?, value: Double?, _ presentation: MetricPresentation, groups: [GroupInfo]
    ) -> String {
        if let estimate { return presentation.differenceWithInterval(estimate, escaping: context.escaping, groups: groups) }
        return presentation.difference(value)
    }

    /// The groups of a comparison, from the matching contrast (the set's first of its id) or its contrast
    /// id `<set>/<metric>/<A>-vs-<B>`.
    private func groups(of comparison: ModelComparison, contrast: Contrast?) -> (String, String) {
        if let contrast {
            return (contrast.groupA, contrast.groupB)
        }
        let pair = comparison.contrastID.split(separator: "/").last.map(String.init) ?? comparison.contrastID
        let parts = pair.components(separatedBy: "-vs-")
        return parts.count == 2 ? (parts[0], parts[1]) : (pair, "")
    }
}
