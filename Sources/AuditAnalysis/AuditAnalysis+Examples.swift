import AuditResults
import Foundation

extension AuditAnalysis {
    /// The completion of a group closest to the group's median compound (the median of an even count
    /// is the mean of the middle two); ties: lowest prompt id, then sample index.
    static func typicalExample(_ records: [CompletionRecord], model: String, group: String) -> Example? {
        let compounds = records.map(\.scores.compound).sorted()
        guard !compounds.isEmpty else { return nil }
        let middle = compounds.count / 2
        let median = compounds.count.isMultiple(of: 2) ? (compounds[middle - 1] + compounds[middle]) / 2 : compounds[middle]
        let typical = records.min {
            (abs($0.scores.compound - median), $0.promptId, $0.sampleIndex)
                < (abs($1.scores.compound - median), $1.promptId, $1.sampleIndex)
        }!
        return Example(
            model: model, group: group, kind: "typical", prompt: typical.prompt, continuation: typical.text,
            compound: typical.scores.compound)
    }

    /// The most telling counterfactual pairs of one model in one set: for each pair of groups (each
    /// contrast), the matched completions — same template, same sample index, so the same random
    /// numbers — whose compounds differ most; the best of each contrast first (largest |difference|
    /// first), then the second best of each, up to `limit`.
    ///
    /// Within one (template, sample index) every term of group A is matched with every term of group
    /// B. Ties: lower template id, sample index, then prompt ids.
    /// - Parameters:
    ///   - records: the completions of one set under one model.
    ///   - groups: the set's group ids in file order (pairs follow the contrasts' A − B order).
    ///   - model: the model id.
    ///   - limit: the most pairs returned.
    static func counterfactualPairs(
        _ records: [CompletionRecord], groups: [String], model: String, limit: Int = 2
    ) -> [CounterfactualPair] {
        struct Slot: Hashable {
            let templateId: String
            let sampleIndex: Int
        }
        let bySlot = Dictionary(grouping: records) { Slot(templateId: $0.templateId, sampleIndex: $0.sampleIndex) }
        let slots = bySlot.keys.sorted { ($0.templateId, $0.sampleIndex) < ($1.templateId, $1.sampleIndex) }
        func ordered(_ lhs: (CompletionRecord, CompletionRecord), _ rhs: (CompletionRecord, CompletionRecord)) -> Bool {
            let (dl, dr) = (abs(lhs.0.scores.compound - lhs.1.scores.compound), abs(rhs.0.scores.compound - rhs.1.scores.compound))
            if dl != dr { return dl > dr }
            return (lhs.0.templateId, lhs.0.sampleIndex, lhs.0.promptId, lhs.1.promptId)
                < (rhs.0.templateId, rhs.0.sampleIndex, rhs.0.promptId, rhs.1.promptId)
        }
        var perContrast: [[(CompletionRecord, CompletionRecord)]] = []
        for (indexA, groupA) in groups.enumerated() {
            for groupB in groups[(indexA + 1)...] {
                var candidates: [(CompletionRecord, CompletionRecord)] = []
                for slot in slots {
                    let cell = bySlot[slot]!
                    for a in cell where a.group == groupA {
                        for b in cell where b.group == groupB { candidates.append((a, b)) }
                    }
                }
                let best = candidates.sorted(by: ordered).prefix(limit)
                if !best.isEmpty { perContrast.append(Array(best)) }
            }
        }
        var chosen: [(CompletionRecord, CompletionRecord)] = []
        for rank in 0..<limit {
            let round = perContrast.compactMap { rank < $0.count ? $0[rank] : nil }.sorted(by: ordered)
            chosen += round.prefix(limit - chosen.count)
            if chosen.count == limit { break }
        }
        return chosen.map { a, b in
            func side(_ record: CompletionRecord) -> PairedCompletion {
                PairedCompletion(
                    group: record.group, term: record.term, prompt: record.prompt, continuation: record.text,
                    compound: record.scores.compound)
            }
            return CounterfactualPair(
                model: model, templateId: a.templateId, template: a.template, sampleIndex: a.sampleIndex, a: side(a),
                b: side(b))
        }
    }
}
