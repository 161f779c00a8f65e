import AuditAnalysis
import AuditResults

/// Builds the model-vs-model section: for every contrast, is one model's gap larger than the other's?
///
/// Each ``ModelComparison`` holds B's contrast minus A's with an interval. The verdict is the one
/// `biasaudit diff` gives (``Audit/ModelComparison/verdict``): B "has the larger gap" when every change in
/// that interval moves the contrast further from 0 than A's, A when every change moves it closer. Gaps
/// that favour different groups are marked "opposite directions".
struct ComparisonBuilder {
    let context: ReportContext

    func view() -> ComparisonView {
        var blocks: [ComparisonSetView] = []
        for set in context.result.promptSets {
            let comparisons = context.result.modelComparisons.filter { $0.set == set.name }
            var pairs: [[String]] = []
            for comparison in comparisons where !pairs.contains([comparison.modelA, comparison.modelB]) {
                pairs.append([comparison.modelA, comparison.modelB])
            }
            for pair in pairs {
                blocks.append(block(set, comparisons.filter { [$0.modelA, $0.modelB] == pair }, modelA: pair[0], modelB: pair[1]))
            }
        }
        let direction = blocks.first.map { "\($0.modelB) \(ReportNumbers.minus) \($0.modelA)" } ?? ""
        return ComparisonView(hasComparisons: !blocks.isEmpty, direction: direction, sets: blocks)
    }

    private func block(_ set: PromptSetResult, _ comparisons: [ModelComparison], modelA: String, modelB: String) -> ComparisonSetView {
        let escaping = context.escaping
        let (nameA, nameB) = (escaping.text(modelA), escaping.text(modelB))
        // Same order as the set's contrast table: metric, then the group pairs in the order the set lists them.
        let pairOrder = set.contrasts.map(\.id).uniqued()
        let sorted = comparisons.sorted { lhs, rhs in
            if lhs.metric != rhs.metric { return lhs.metric < rhs.metric }
            return (pairOrder.firstIndex(of: lhs.contrastID) ?? pairOrder.count, lhs.contrastID)
                < (pairOrder.firstIndex(of: rhs.contrastID) ?? pairOrder.count, rhs.contrastID)
        }
        var counts: [DiffVerdict: Int] = [:]
        var opposite = 0
        let rows = sorted.map { comparison in
            let verdict = comparison.verdict
            let clear = verdict == .moreBiased || verdict == .lessBiased
            let flipped = (comparison.valueA ?? 0) * (comparison.valueB ?? 0) < 0
            counts[verdict, default: 0] += 1
            if clear && flipped { opposite += 1 }
            let presentation = MetricPresentation(comparison.metric)
            let (groupA, groupB) = groups(of: comparison, in: set)
            let words: String = switch verdict {
            case .moreBiased: "\(nameB) larger"
            case .lessBiased: "\(nameA) larger"
            case .noDetectableChange: "no clear difference"
            case .undetermined: "no interval"
            }
            return ComparisonRowView(
                metric: presentation.columnTitle, groups: context.pairLabel(groupA, groupB, in: set),
                valueA: presentation.difference(comparison.valueA), valueB: presentation.difference(comparison.valueB),
                difference: presentation.differenceWithInterval(comparison.difference),
                verdict: words + (flipped && verdict != .undetermined ? " (opposite directions)" : ""), clear: clear,
                pairing: comparison.paired ? "paired" : "unpaired")
        }
        return ComparisonSetView(
            name: escaping.text(set.name), anchor: context.anchor(forSet: set.name), axis: escaping.text(set.axis),
            modelA: nameA, modelB: nameB,
            verdict: verdictSentence(set: escaping.text(set.name), axis: escaping.text(set.axis), nameA: nameA, nameB: nameB,
                counts: counts, opposite: opposite, total: rows.count),
            caption: "\(escaping.text(set.name)): each contrast under \(nameA) and \(nameB), and their difference "
                + "(\(nameB) \(ReportNumbers.minus) \(nameA)) with its \(context.level) CI",
            rows: rows)
    }

    /// The groups of a comparison, from its contrast id `<set>/<metric>/<A>-vs-<B>` or the matching contrast.
    private func groups(of comparison: ModelComparison, in set: PromptSetResult) -> (String, String) {
        if let contrast = set.contrasts.first(where: { $0.id == comparison.contrastID }) {
            return (contrast.groupA, contrast.groupB)
        }
        let pair = comparison.contrastID.split(separator: "/").last.map(String.init) ?? comparison.contrastID
        let parts = pair.components(separatedBy: "-vs-")
        return parts.count == 2 ? (parts[0], parts[1]) : (pair, "")
    }

    /// "On religion (axis: religion), gpt2’s gap is larger in 2 of 9 contrasts; the other 7 are within noise …".
    /// `opposite` counts the clearly larger gaps that favour the other group than under the first model.
    private func verdictSentence(
        set: String, axis: String, nameA: String, nameB: String, counts: [DiffVerdict: Int], opposite: Int, total: Int
    ) -> String {
        let (a, b) = (counts[.lessBiased] ?? 0, counts[.moreBiased] ?? 0)
        let rest = total - a - b
        let prefix = "On \(set) (axis: \(axis))"
        if a == 0 && b == 0 {
            return "\(prefix), neither model’s gap is clearly larger than the other’s in any of the \(total) contrasts: "
                + "every \(context.level) CI of the difference allows either."
        }
        var parts: [String] = []
        if b > 0 { parts.append("\(nameB)’s gap is larger in \(b) of \(total) contrasts") }
        if a > 0 { parts.append("\(nameA)’s gap is larger in \(a) of \(total)") }
        let flipped = opposite == 0 ? "" : " (in \(opposite) of them the gaps point in opposite directions)"
        let noise = rest == 0 ? "" : "; the other \(rest) are within noise (the \(context.level) CI of the difference "
            + "allows either model’s gap to be the larger)"
        return "\(prefix), " + parts.joined(separator: ", ") + flipped + noise + "."
    }
}
