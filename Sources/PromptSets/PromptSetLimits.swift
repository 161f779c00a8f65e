import Foundation

/// The documented limits of a prompt set and of the sizes a run is asked for (README, "Limits").
///
/// They keep every stage linear and bounded: the statistics compare every pair of groups, expansion
/// multiplies templates by terms, and samples × new tokens is the generation work. `lint` and `run` apply
/// the same limits, so a set that lints clean never fails `run` on a size.
public enum PromptSetLimits {
    /// Groups in one set (every pair of groups is a contrast).
    public static let maximumGroups = 50
    /// Templates in one set.
    public static let maximumTemplates = 1000
    /// Terms, or fixed prompts, in one group.
    public static let maximumEntriesPerGroup = 1000
    /// Prompts of one set after expansion (templates × terms, plus fixed prompts).
    public static let maximumPrompts = 20_000
    /// Completions per prompt (`defaults.samples`, `--samples`).
    public static let maximumSamples = 10_000
    /// Tokens per completion (`defaults.max_new_tokens`, `--max-new-tokens`): GPT-2's context window.
    public static let maximumNewTokens = 1024

    /// Findings for a document beyond the limits; an empty list means expansion is safe.
    static func check(_ document: PromptSetDocument) -> [LintDiagnostic] {
        var findings: [LintDiagnostic] = []
        let groupsAt = document.groupsKey ?? .start
        if document.groups.count > maximumGroups {
            findings.append(document.diagnostic(.schema, at: groupsAt, "the set has \(document.groups.count) groups, "
                + "more than the limit of \(maximumGroups) (README, \"Limits\"); split it into several sets"))
        }
        if document.templates.count > maximumTemplates {
            findings.append(document.diagnostic(.schema, at: document.templatesKey ?? .start,
                "the set has \(document.templates.count) templates, more than the limit of \(maximumTemplates) "
                    + "(README, \"Limits\"); split it into several sets"))
        }
        var prompts = 0
        for group in document.groups {
            if group.entryCount > maximumEntriesPerGroup {
                findings.append(document.diagnostic(.schema, at: group.id.location,
                    "group '\(group.id.value)' has \(group.entryCount) entries, more than the limit of "
                        + "\(maximumEntriesPerGroup) (README, \"Limits\"); split it into several sets"))
            }
            let perGroup = group.entryCount.multipliedReportingOverflow(
                by: group.terms != nil ? document.templates.count : 1)
            let sum = prompts.addingReportingOverflow(perGroup.partialValue)
            prompts = perGroup.overflow || sum.overflow ? .max : sum.partialValue
        }
        if prompts > maximumPrompts {
            findings.append(document.diagnostic(.schema, at: groupsAt, "the set expands to "
                + (prompts == .max ? "too many" : "\(prompts)") + " prompts, more than the limit of \(maximumPrompts) "
                + "(README, \"Limits\"); use fewer templates or terms, or split the set"))
        }
        return findings
    }
}
