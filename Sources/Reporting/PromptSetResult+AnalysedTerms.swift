import AuditResults

extension PromptSetResult {
    /// Whether every group with completions was analysed on one term (``GroupInfo/analysedTerms``): the statistics take a
    /// group's units from its completions, so a group of one term, or a group of 8 terms of which a completions file
    /// covers one, has a level conditional on that term, and the reports say so of the set (its intervals are about
    /// these terms). ``groupsAreSingleTerms`` asks the set's terms, and a file covering one term of each religion group
    /// was analysed as single terms without the note (review 86 follow-up). A group without completions has no level
    /// and is left out of the question; a set with no completions at all is not one of single terms.
    var analysedGroupsAreSingleTerms: Bool {
        let analysed = groups.map(\.analysedTerms).filter { !$0.isEmpty }
        return !analysed.isEmpty && analysed.allSatisfy { $0.count == 1 }
    }

    /// The single analysed term of each group with completions, in the set's order, where
    /// ``analysedGroupsAreSingleTerms``.
    var analysedSingleTerms: [String] { groups.compactMap { $0.analysedTerms.count == 1 ? $0.analysedTerms[0] : nil } }
}
