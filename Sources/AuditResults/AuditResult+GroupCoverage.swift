extension AuditResult {
    /// The first group of `set` (at `path`, `prompt_sets[i]`) whose recorded coverage (``GroupInfo/termsWithData``,
    /// ``GroupInfo/promptsWithData``: the terms and prompts the completions covered, where fewer than the group's)
    /// contradicts the group, as a key path and a reason, or nil: `fixed_prompts` false, or true on a group with other
    /// than one prompt per entry or with an example whose prompt is none of its entries; a term that is not one of the group's `terms`, a term
    /// listed twice, more prompts with completions than the group has, fewer prompts with completions than terms with
    /// completions (each such term fills a prompt), prompts with completions but no term, or levels from completions of
    /// a group none of whose prompts has one (these last three only where the group records its coverage). The reports list these terms and counts as what was analysed, so a file
    /// edited to contradict them would describe another analysis than its numbers.
    func firstGroupCoverageProblem(in set: PromptSetResult, path: String, rewrite: String) -> (key: String, reason: String)? {
        for (groupIndex, group) in set.groups.enumerated() {
            let groupPath = "\(path).groups[\(groupIndex)]"
            let name = "group '\(AuditJSON.shortExcerpt(group.id))'"
            // A group of prompts without terms: every set's group has its terms or fixed prompts (a hostile review:
            // `"terms": []` beside 4 prompts passed `check` and `diff`).
            if group.terms.isEmpty, group.promptCount > 0 {
                return ("\(groupPath).terms", "is empty, while \(name) has \(group.promptCount) prompts "
                    + "(\(groupPath).prompt_count): a group lists the terms (or fixed prompts) its prompts are made of; \(rewrite)")
            }
            if let termsWithData = group.termsWithData {
                let terms = Set(group.terms)
                var seen: [String: Int] = [:]
                for (index, term) in termsWithData.enumerated() {
                    let key = "\(groupPath).terms_with_data[\(index)]"
                    guard terms.contains(term) else {
                        return (key, "'\(AuditJSON.shortExcerpt(term))' is not one of the terms of \(name) "
                            + "(\(groupPath).terms): the terms with completions are some of the group's terms; \(rewrite)")
                    }
                    if let first = seen.updateValue(index, forKey: term) {
                        return (key, "'\(AuditJSON.shortExcerpt(term))' repeats \(groupPath).terms_with_data[\(first)]: each "
                            + "term with completions is listed once; \(rewrite)")
                    }
                }
            }
            // `fixed_prompts` is written as true only, on a group of one prompt per entry (a hostile review: false, or
            // true on a group of terms filled into 3 templates, were read and the design note called the group what
            // it is not).
            if let fixed = group.fixedPrompts {
                guard fixed else {
                    return ("\(groupPath).fixed_prompts", "is false: biasaudit writes it only as true, on a group of fixed "
                        + "prompts, and leaves it out for a group of terms; \(rewrite)")
                }
                guard group.promptCount == group.terms.count else {
                    return ("\(groupPath).fixed_prompts", "is true, but \(name) has \(group.promptCount) prompts for "
                        + "\(group.terms.count) entries (\(groupPath).prompt_count): a group of fixed prompts has one prompt per "
                        + "entry; \(rewrite)")
                }
                // In a set of one template the counts of terms and of fixed prompts are alike; the examples tell them
                // apart: a fixed prompt is the example's prompt itself (a review: true on such a term group was read).
                if let example = set.examples.first(where: { $0.group == group.id && !group.terms.contains($0.prompt) }) {
                    return ("\(groupPath).fixed_prompts", "is true, but an example of \(name) under model "
                        + "'\(AuditJSON.shortExcerpt(example.model))' has the prompt '\(AuditJSON.shortExcerpt(example.prompt))', "
                        + "which is none of its entries (\(groupPath).terms): the prompts of a group of fixed prompts are its "
                        + "entries; \(rewrite)")
                }
            }
            if let prompts = group.promptsWithData, prompts > group.promptCount {
                return ("\(groupPath).prompts_with_data", "is \(prompts), more than the \(group.promptCount) prompts of \(name) "
                    + "(\(groupPath).prompt_count): the prompts with completions are some of the group's prompts; \(rewrite)")
            }
            // Only where the file records coverage: older files (and hand-made fixtures) hold no such promise.
            guard group.termsWithData != nil || group.promptsWithData != nil else { continue }
            let (terms, prompts) = (group.analysedTerms.count, group.analysedPromptCount)
            if prompts < terms || (prompts > 0 && terms == 0) {
                return ("\(groupPath)", "says \(prompts) of its prompts but \(terms) of its terms have completions: each term "
                    + "with completions fills a prompt with completions, and such a prompt has a term; \(rewrite)")
            }
            if prompts == 0, let estimate = set.groupEstimates.first(where: { $0.group == group.id && $0.completions > 0 }) {
                return ("\(groupPath).prompts_with_data", "is 0, but \(name) has \(estimate.completions) completions under "
                    + "model '\(AuditJSON.shortExcerpt(estimate.model))' (\(path).group_estimates): its levels come from "
                    + "completions of its prompts; \(rewrite)")
            }
        }
        return nil
    }
}
