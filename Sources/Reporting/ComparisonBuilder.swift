import Audit

/// Builds the model-vs-model section: for every contrast, is one model's gap larger than the other's?
///
/// Each ``ModelComparison`` holds B's contrast minus A's with an interval. A model "has the larger gap"
/// when that interval excludes 0 and both contrasts point the same way (then the interval separates
/// their magnitudes); when they point in opposite directions the verdict says so instead.
struct ComparisonBuilder {
    let context: ReportContext

    /// What a comparison row concludes.
    enum Verdict: Equatable {
        case largerA, largerB, unclear, opposite, noInterval
    }

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

    static func verdict(_ comparison: ModelComparison) -> Verdict {
        guard let lower = comparison.difference.lower, let upper = comparison.difference.upper,
            comparison.difference.value != nil, let a = comparison.valueA, let b = comparison.valueB
        else { return .noInterval }
        if lower <= 0 && upper >= 0 { return .unclear }
        // Same direction (or one of them 0): an interval that excludes 0 separates the magnitudes.
        if a * b < 0 { return .opposite }
        return abs(b) > abs(a) ? .largerB : .largerA
    }

    private func block(_ set: PromptSetResult, _ comparisons: [ModelComparison], modelA: String, modelB: String) -> ComparisonSetView {
        let escaping = context.escaping
        let (nameA, nameB) = (escaping.text(modelA), escaping.text(modelB))
        // Same order as the set's contrast table: metric, then the group pairs in the order the set lists them.
        let pairOrder = set.contrasts.map(\.id).reduce(into: [String]()) { ids, id in if !ids.contains(id) { ids.append(id) } }
        let sorted = comparisons.sorted { lhs, rhs in
            if lhs.metric != rhs.metric { return lhs.metric < rhs.metric }
            return (pairOrder.firstIndex(of: lhs.contrastID) ?? pairOrder.count, lhs.contrastID)
                < (pairOrder.firstIndex(of: rhs.contrastID) ?? pairOrder.count, rhs.contrastID)
        }
        var counts: [Verdict: Int] = [:]
        let rows = sorted.map { comparison in
            let verdict = Self.verdict(comparison)
            counts[verdict, default: 0] += 1
            let presentation = MetricPresentation(comparison.metric)
            let (groupA, groupB) = groups(of: comparison, in: set)
            let words: String = switch verdict {
            case .largerA: "\(nameA) larger"
            case .largerB: "\(nameB) larger"
            case .unclear: "no clear difference"
            case .opposite: "opposite directions"
            case .noInterval: "no interval"
            }
            return ComparisonRowView(
                metric: presentation.columnTitle, groups: context.pairLabel(groupA, groupB, in: set),
                valueA: presentation.difference(comparison.valueA), valueB: presentation.difference(comparison.valueB),
                difference: presentation.differenceWithInterval(comparison.difference), verdict: words,
                clear: verdict == .largerA || verdict == .largerB || verdict == .opposite,
                pairing: comparison.paired ? "paired" : "unpaired")
        }
        return ComparisonSetView(
            name: escaping.text(set.name), anchor: context.anchor(forSet: set.name), axis: escaping.text(set.axis),
            modelA: nameA, modelB: nameB,
            verdict: verdictSentence(set: escaping.text(set.name), axis: escaping.text(set.axis), nameA: nameA, nameB: nameB,
                counts: counts, total: rows.count),
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

    private func verdictSentence(set: String, axis: String, nameA: String, nameB: String, counts: [Verdict: Int], total: Int) -> String {
        let (a, b) = (counts[.largerA] ?? 0, counts[.largerB] ?? 0)
        let opposite = counts[.opposite] ?? 0
        let rest = total - a - b - opposite
        let prefix = "On \(set) (axis: \(axis))"
        if a == 0 && b == 0 && opposite == 0 {
            return "\(prefix), no contrast differs clearly between \(nameA) and \(nameB): every \(context.level) CI "
                + "of the difference includes 0 (\(total) contrasts)."
        }
        var parts: [String] = []
        if b > 0 { parts.append("\(nameB)’s gap is larger in \(b) of \(total) contrasts") }
        if a > 0 { parts.append("\(nameA)’s gap is larger in \(a) of \(total)") }
        if opposite > 0 { parts.append("the models’ gaps point in opposite directions in \(opposite)") }
        let noise = rest == 0 ? "" : "; the other \(rest) are within noise (the \(context.level) CI of the difference includes 0)"
        return "\(prefix), " + parts.joined(separator: ", ") + noise + "."
    }
}
