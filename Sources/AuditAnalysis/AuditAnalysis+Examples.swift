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
        guard limit > 0 else { return [] }
        struct Slot: Hashable {
            let templateId: String
            let sampleIndex: Int
        }
        // Record indices per slot and group: every pair of a slot is considered, but only the best `limit` of a
        // contrast are kept, and a term of A whose largest possible gap cannot beat them skips B's terms. Sorting
        // every pair took 81 s and 2.7 GB with 1,000 terms per group (a set inside the documented limits).
        var bySlot: [Slot: [String: [Int]]] = [:]
        for (index, record) in records.enumerated() {
            bySlot[Slot(templateId: record.templateId, sampleIndex: record.sampleIndex), default: [:]][record.group, default: []]
                .append(index)
        }
        let slots = bySlot.keys.sorted { ($0.templateId, $0.sampleIndex) < ($1.templateId, $1.sampleIndex) }
        let compounds = records.map(\.scores.compound)
        typealias Pair = (a: Int, b: Int)
        func gap(_ pair: Pair) -> Double { abs(compounds[pair.a] - compounds[pair.b]) }
        func ordered(_ lhs: Pair, _ rhs: Pair) -> Bool {
            let (dl, dr) = (gap(lhs), gap(rhs))
            if dl != dr { return dl > dr }
            let (la, lb, ra, rb) = (records[lhs.a], records[lhs.b], records[rhs.a], records[rhs.b])
            return (la.templateId, la.sampleIndex, la.promptId, lb.promptId)
                < (ra.templateId, ra.sampleIndex, ra.promptId, rb.promptId)
        }
        func repeats(_ lhs: Pair, _ rhs: Pair) -> Bool {
            let (la, lb, ra, rb) = (records[lhs.a], records[lhs.b], records[rhs.a], records[rhs.b])
            return la.promptId == ra.promptId && lb.promptId == rb.promptId && la.text == ra.text && lb.text == rb.text
        }
        var perContrast: [[Pair]] = []
        for (indexA, groupA) in groups.enumerated() {
            for groupB in groups[(indexA + 1)...] {
                // The best `limit` pairs so far, best first.
                var best: [Pair] = []
                for slot in slots {
                    guard let termsA = bySlot[slot]?[groupA], let termsB = bySlot[slot]?[groupB] else { continue }
                    let valuesB = termsB.map { compounds[$0] }
                    let (lowB, highB) = (valuesB.min()!, valuesB.max()!)
                    for a in termsA {
                        // No pair of this a can beat the worst kept pair (equal gaps may, by the tie order).
                        if best.count == limit, max(compounds[a] - lowB, highB - compounds[a]) < gap(best[limit - 1]) {
                            continue
                        }
                        for b in termsB {
                            let pair = (a: a, b: b)
                            if best.count == limit, !ordered(pair, best[limit - 1]) { continue }
                            // The same two prompts with the same two texts at another sample index (greedy decoding's
                            // copies) show nothing new (a teacher's review: one pair shown twice).
                            if best.contains(where: { repeats(pair, $0) }) { continue }
                            let position = best.firstIndex { ordered(pair, $0) } ?? best.count
                            best.insert(pair, at: position)
                            if best.count > limit { best.removeLast() }
                        }
                    }
                }
                if !best.isEmpty { perContrast.append(best) }
            }
        }
        var chosen: [Pair] = []
        for rank in 0..<limit {
            let round = perContrast.compactMap { rank < $0.count ? $0[rank] : nil }.sorted(by: ordered)
            chosen += round.prefix(limit - chosen.count)
            if chosen.count == limit { break }
        }
        return chosen.map { pair in
            let (a, b) = (records[pair.a], records[pair.b])
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
