import AuditResults
import Foundation
import PromptSets

extension PromptSet {
    /// The prompt set a saved run audited, rebuilt from its `results.json` entry and the lines of its
    /// `completions.jsonl` (which name every sampled prompt with its id, template, group, term and
    /// text), so that `analyze RUN_DIR` needs no prompt-set file: the file may have changed or moved
    /// since; the run's manifest keeps its digest.
    ///
    /// Terms' `women_share` come back from the run's labour-statistics table (so the re-analysis has the
    /// same table); the set's sampling defaults are not in the results and are left out (the statistics
    /// do not use them).
    /// - Parameters:
    ///   - result: the set's entry in the run's results.
    ///   - lines: the run's completion lines (lines of other sets are ignored).
    ///   - path: the completions file, for messages.
    /// - Throws: ``AuditError/badInput(path:reason:)`` at `path:line` for a line of this set without
    ///   `prompt_id`, `group` or `prompt`, whose group, term or template is not one of the set's in the results,
    ///   or whose `prompt_id` differs from another line's for the same prompt.
    public init(reconstructing result: PromptSetResult, lines: [SuppliedCompletion], path: String) throws {
        var womenShares: [String: Double] = [:]
        for occupation in result.labourStatistics?.first?.occupations ?? [] {
            womenShares["\(occupation.group)\u{0}\(occupation.term)"] = occupation.womenShare
        }
        func womenShare(group: String, term: String?) -> Double? {
            term.flatMap { womenShares["\(group)\u{0}\($0)"] }
        }
        var prompts: [String: Prompt] = [:]
        // (template, group, term or fixed prompt) → the prompt id that named it first.
        var idOfPrompt: [String: String] = [:]
        for line in lines where line.set == result.name {
            let place = "\(path):\(line.line)"
            guard let id = line.promptId, let group = line.group, let text = line.prompt else {
                throw AuditError.badInput(
                    path: place, reason: "a run's completion line needs prompt_id, group and prompt; is this a run's completions.jsonl?")
            }
            guard let info = result.groups.first(where: { $0.id == group }) else {
                throw AuditError.badInput(
                    path: place, reason: "unknown group '\(TextEscaping.excerpt(group))' in prompt set '\(result.name)' (groups: "
                        + "\(result.groups.map(\.id).joined(separator: ", ")))")
            }
            // The line must name one of the run's prompts: a term, template or id the results do not have would be
            // analysed as if the run had audited it (and the report would list other terms than it analysed).
            let mismatch = " in the run's results; this completions.jsonl does not belong to them, or one of the two files was edited: "
                + "analyse it as a completions file with its prompt sets instead"
            if let term = line.term, !info.terms.contains(term) {
                throw AuditError.badInput(
                    path: place, reason: "term '\(TextEscaping.excerpt(term))' is not a term of group '\(group)'" + mismatch)
            }
            if let template = line.template, !result.templates.contains(template) {
                throw AuditError.badInput(
                    path: place, reason: "template '\(TextEscaping.excerpt(template))' is not a template of prompt set "
                        + "'\(result.name)'" + mismatch)
            }
            let identity = [line.template ?? "", group, line.term ?? text].joined(separator: "\u{0}")
            if let other = idOfPrompt[identity], other != id {
                throw AuditError.badInput(
                    path: place, reason: "prompt_id '\(TextEscaping.excerpt(id))' names the same prompt as "
                        + "'\(TextEscaping.excerpt(other))'" + mismatch)
            }
            idOfPrompt[identity] = id
            guard prompts[id] == nil else { continue }
            let templateIndex = line.template.flatMap { result.templates.firstIndex(of: $0) }
            let suffix = "/\(group)" + (line.term == nil ? "" : "/")
            // The stream key an unpaired analysis wrote is the template id plus a marker (removed here).
            let templateID = line.templateId.map(CompletionMatcher.templateKey(ofStreamKey:))
                ?? id.range(of: suffix, options: .backwards).map { String(id[..<$0.lowerBound]) } ?? id
            prompts[id] = Prompt(
                id: id, set: result.name, templateID: templateID, templateIndex: templateIndex, template: line.template,
                group: group, term: line.term, womenShare: womenShare(group: group, term: line.term), text: text)
        }
        let groupOrder = Dictionary(uniqueKeysWithValues: result.groups.enumerated().map { ($1.id, $0) })
        let ordered = prompts.values.sorted { a, b in
            func rank(_ p: Prompt) -> (Int, Int, Int, String) {
                let terms = result.groups[groupOrder[p.group]!].terms
                return (p.templateIndex ?? Int.max, groupOrder[p.group]!, p.term.flatMap { terms.firstIndex(of: $0) } ?? 0, p.id)
            }
            return rank(a) < rank(b)
        }
        let hasTerms = Set(ordered.filter { $0.term != nil }.map(\.group))
        var families: [PromptSetMetric] = []
        if result.metrics.contains(.sentiment) { families.append(.sentiment) }
        if result.metrics.contains(.maleShare) { families.append(.gender) }
        self.init(
            name: result.name, description: result.description, axis: result.axis, source: result.source,
            templates: result.templates,
            groups: result.groups.map { group in
                hasTerms.contains(group.id)
                    ? PromptGroup(
                        id: group.id, label: group.label, labels: group.labels,
                        terms: group.terms.map { PromptTerm(term: $0, womenShare: womenShare(group: group.id, term: $0)) },
                        prompts: nil)
                    : PromptGroup(id: group.id, label: group.label, labels: group.labels, terms: nil, prompts: group.terms)
            },
            defaults: nil, metrics: families, primaryMetrics: Self.testedMetrics(of: result), prompts: ordered)
        descriptions = result.descriptions
        sources = result.sources
    }

    /// The `primary_metrics` a re-analysis keeps: the set's recorded tested metrics, or in files written before they
    /// were recorded the metrics whose contrasts carry a family (``PromptSetResult/isTested(_:)``: every primary metric
    /// where the file has no families). Always a declaration, never the default: an empty list tests nothing, as the
    /// analysis did (a set whose `primary_metrics: [he_she_log_odds]` had no next-token log-odds in its completions was
    /// re-analysed with sentiment, % negative and male share tested). A set re-analysed without them tested every
    /// primary metric, whatever its `primary_metrics:` had narrowed them to.
    static func testedMetrics(of result: PromptSetResult) -> [String] {
        (result.primaryMetrics ?? result.metrics.filter(result.isTested)).map(\.rawValue)
    }
}
