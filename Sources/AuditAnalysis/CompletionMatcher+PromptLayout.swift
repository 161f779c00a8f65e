import AuditResults
import Foundation
import PromptSets

extension CompletionMatcher {
    /// How many prompts a prompt set's file expands to, in all and by group, template and template of a group (cell):
    /// what ``coverageNotes(_:sets:layouts:spanish:)`` counts the completions against. Only units with prompts are
    /// kept (a fixed-prompt group has no template).
    public struct PromptLayout: Sendable, Equatable {
        /// The prompts in all.
        public internal(set) var total = 0
        /// Per group id, its prompts.
        var groups: [String: Int] = [:]
        /// Per template index, its prompts (over the groups with terms).
        var templates: [Int: Int] = [:]
        /// Per template of a group, its prompts (the group's terms).
        var cells: [CellKey: Int] = [:]
        /// Per group with terms, its terms in order.
        var terms: [String: [String]] = [:]
        /// Per group of fixed prompts, its prompts' texts in order.
        var fixedPrompts: [String: [String]] = [:]

        /// The layout of `set`'s prompts.
        public init(_ set: PromptSet) { self.init(prompts: set.prompts) }

        /// The layout of `prompts`.
        init(prompts: [Prompt]) {
            total = prompts.count
            var seenTerms: Set<[String]> = []
            for prompt in prompts {
                groups[prompt.group, default: 0] += 1
                if let template = prompt.templateIndex {
                    templates[template, default: 0] += 1
                    cells[CellKey(group: prompt.group, template: template), default: 0] += 1
                }
                if let term = prompt.term, seenTerms.insert([prompt.group, term]).inserted {
                    terms[prompt.group, default: []].append(term)
                }
                if prompt.term == nil, prompt.templateIndex == nil { fixedPrompts[prompt.group, default: []].append(prompt.text) }
            }
        }

        /// The layout of the set a run audited, from its results.json entry (`recorded`: its templates, and its groups'
        /// terms and prompt counts), where `rebuilt` (``PromptSet/init(reconstructing:lines:path:)``) holds only the
        /// prompts with a completion: a group with terms fills each template with each term, a group of fixed prompts
        /// has its prompts and no template. A group is one of terms where the run's lines give it a term, one of fixed
        /// prompts where they give it lines without a term; a group without a line has terms where its prompt count is
        /// its terms times the templates (a fixed-prompt group of a set with one template reads as a group of terms:
        /// the counts are the same, and only whether that template is named as left out whole can differ).
        public init(recorded: PromptSetResult, rebuilt: PromptSet) {
            let linesWithTerms = Set(rebuilt.prompts.filter { $0.term != nil }.map(\.group))
            let linesWithout = Set(rebuilt.prompts.filter { $0.term == nil }.map(\.group))
            for group in recorded.groups where group.promptCount > 0 {
                total += group.promptCount
                groups[group.id] = group.promptCount
                let hasTerms = linesWithTerms.contains(group.id)
                    || !linesWithout.contains(group.id) && !recorded.templates.isEmpty
                        && group.promptCount == group.terms.count * recorded.templates.count
                guard hasTerms, !group.terms.isEmpty else {
                    // A group of fixed prompts: its `terms` are its prompts' texts.
                    if !hasTerms { fixedPrompts[group.id] = group.terms }
                    continue
                }
                terms[group.id] = group.terms
                for template in recorded.templates.indices {
                    templates[template, default: 0] += group.terms.count
                    cells[CellKey(group: group.id, template: template)] = group.terms.count
                }
            }
        }
    }
}
