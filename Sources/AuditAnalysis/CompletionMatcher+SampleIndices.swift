import AuditResults
import PromptSets

extension CompletionMatcher {
    /// Refuses sample indices that count across prompts instead of restarting at 0 for each one: a counter over the
    /// whole file (0…863), or one per template and group, a common student mistake (a hostile review: such a complete
    /// file was told "missing lines … 3780 of 3888" and to fill them, and was analysed with every prompt on streams of
    /// its own, or with term i of one group paired with term i of another).
    ///
    /// A cell is the prompts of one group on one random-stream key (template, or a set's fixed prompts) under one model;
    /// a cell of two or more prompts counts across them when no sample index is shared by two of its prompts. The file
    /// is refused when at least 90% of those cells do (all of them, with fewer than 10 cells): a prompt missing lines, a
    /// group sampled 0–9 beside one 0–5, or one model's samples 0–4 beside another's 5–9 share indices within each cell
    /// (the gaps ``differentIndicesNotes(_:sets:)`` describes), and so does one sample per prompt numbered 0. Checked only
    /// when the completions are paired by sample index (an `--unpaired` analysis does not pair on them).
    /// - Throws: ``AuditError/badInput(path:reason:)`` at the first line of the second prompt of the first such cell (in
    ///   file order), with the cell's indices per prompt and the two ways to fix it.
    public func checkSampleIndicesRestartPerPrompt(_ matches: [Match]) throws {
        struct CellKey: Hashable { let model: String; let streamKey: String; let group: String }
        struct PromptLines { var prompt: Prompt; var firstLine: Int; var indices: Set<Int> }
        var cells: [CellKey: [String: PromptLines]] = [:]
        var cellOrder: [CellKey] = []
        for match in matches {
            let key = CellKey(model: match.line.model, streamKey: RandomStreams.key(for: match.prompt), group: match.prompt.group)
            if cells[key] == nil { cellOrder.append(key) }
            cells[key, default: [:]][match.prompt.id, default: PromptLines(prompt: match.prompt, firstLine: match.line.line,
                                                                          indices: [])].indices.insert(match.line.sampleIndex)
        }
        var shared = 0
        var counting: [CellKey] = []
        for key in cellOrder {
            let prompts = cells[key]!.values
            guard prompts.count >= 2 else { continue }
            let union = prompts.reduce(into: Set<Int>()) { $0.formUnion($1.indices) }
            if union.count == prompts.reduce(0, { $0 + $1.indices.count }) { counting.append(key) } else { shared += 1 }
        }
        guard let first = counting.first, counting.count * 10 >= (counting.count + shared) * 9 else { return }
        let prompts = cells[first]!.values.sorted { $0.firstLine < $1.firstLine }
        let shown = prompts.prefix(4).map { entry in
            "'\(TextEscaping.excerpt(entry.prompt.term ?? entry.prompt.text))' \(Self.indexList(entry.indices))"
        }.joined(separator: ", ") + (prompts.count > 4 ? ", … (\(prompts.count) prompts)" : "")
        let set = TextEscaping.excerpt(prompts[0].prompt.set)
        let place = prompts[0].prompt.templateIndex.map { "template \($0 + 1) of \(set)" } ?? "the fixed prompts of \(set)"
        throw AuditError.badInput(
            path: "\(path):\(prompts[1].firstLine)",
            reason: "sample_index counts across prompts: no two prompts share a sample index in \(counting.count) of the "
                + "\(counting.count + shared) (model, template, group) cells with two or more prompts (first: under model "
                + "'\(TextEscaping.excerpt(first.model))', the prompts of \(place) for group "
                + "'\(TextEscaping.excerpt(first.group))' have \(shown)); sample_index numbers the samples of one prompt "
                + "from 0 (sample i of every prompt of a template shares a random stream): restart it at 0 for each prompt, "
                + "or, if the samples were drawn independently, analyse with --unpaired")
    }
}
