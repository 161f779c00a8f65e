import Foundation
import InputFiles

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
    public static let maximumSamples = RunSizeLimits.maximumSamples
    /// Tokens per completion (`defaults.max_new_tokens`, `--max-new-tokens`): GPT-2's context window.
    public static let maximumNewTokens = RunSizeLimits.maximumNewTokens
    /// Unicode scalars in one template, term or fixed prompt. GPT-2 reads at most 1024 tokens (about 6,000 characters
    /// of English prose), local GPT-2-family models and served models may read more; `run` refuses a prompt longer
    /// than its model reads. The bound exists because a longer text only costs time: GPT-2's byte-pair merges of one
    /// long word grow with the square of its length (a 160,000-character template took `lint` 6.7 s, 7 MB minutes),
    /// and messages that quoted such texts ran to megabytes. 4,000 (the first bound) refused a 4,300-character
    /// passage of 746 tokens; 20,000 let 10 one-word templates × 20 terms take `lint` 10.7 s (reviews).
    public static let maximumTextLength = 8000
    /// Unicode scalars in one completion's text, from a completions file (`analyze`) or a served model: 1024 new tokens
    /// of GPT-2 are a few thousand characters, and a longer text only costs time and memory (a hostile review: one
    /// 50 MB text took `analyze` 181 s and 1.5 GB; a server returned 900,000 characters for 4 tokens).
    public static let maximumCompletionLength = 100_000

    /// Why a completion's `text` is longer than ``maximumCompletionLength``, or nil.
    public static func completionLengthProblem(_ text: String) -> String? {
        NameCharacters.lengthProblem(text, limit: maximumCompletionLength)
    }
    /// Unicode scalars in one group id, label, set name or axis: they are repeated in every line of
    /// completions.jsonl and every row of a report (20,000-character names made 100 KB lines). The same limit as a
    /// results file's names and a model label (``NameCharacters/maximumLength``).
    public static let maximumNameLength = NameCharacters.maximumLength

    /// Why `name` (a model label, or a name read from a file) is longer than ``maximumNameLength``, or nil.
    public static func nameLengthProblem(_ name: String) -> String? { NameCharacters.lengthProblem(name) }

    /// Findings for texts longer than ``maximumTextLength`` (prompt texts) or ``maximumNameLength`` (names);
    /// checked before any other rule, which would quote or tokenize them.
    static func checkTextLengths(_ document: PromptSetDocument) -> [LintDiagnostic] {
        namedTexts(document).compactMap { item in
            NameCharacters.lengthProblem(item.text, limit: item.limit).map { problem in
                document.diagnostic(.schema, at: item.at, "\(item.what) \(problem); shorten it")
            }
        }
    }

    /// Findings for control characters and bidirectional overrides in a set's texts: the model read an ESC or an
    /// RLO in a term as part of its prompt (every output escapes them, but the completions were of another prompt;
    /// review), and invisible format characters (U+200B, U+FEFF, U+00AD, …; not the joiners) in names and in what the
    /// model reads. Tabs and line breaks are allowed in templates, terms and fixed prompts, nothing in names.
    static func checkControlCharacters(_ document: PromptSetDocument) -> [LintDiagnostic] {
        namedTexts(document).compactMap { item in
            let isPromptText = item.isPromptText
            let allowsBreaks = item.limit != maximumNameLength
            guard let bad = item.text.unicodeScalars.first(where: { scalar in
                if allowsBreaks, scalar == "\t" || scalar == "\n" { return false }
                return scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
                    || (0x2066...0x2069).contains(scalar.value)
                    || ((!allowsBreaks || isPromptText) && NameCharacters.isHiddenInLabel(scalar))
                    || (!allowsBreaks && (scalar == "\u{2028}" || scalar == "\u{2029}"))
            }) else { return nil }
            let code = NameCharacters.code(bad)
            // A line or paragraph separator in a name breaks the line wherever the name is printed (a hostile review: a
            // label "A\u{2028}B" passed lint and run).
            if bad == "\u{2028}" || bad == "\u{2029}" {
                return document.diagnostic(.schema, at: item.at, "\(item.what) holds the \(bad == "\u{2028}" ? "line" : "paragraph") "
                    + "separator \(code), which breaks the line wherever it is printed; remove it")
            }
            if bad.properties.generalCategory == .format, !(0x202A...0x202E).contains(bad.value),
                !(0x2066...0x2069).contains(bad.value)
            {
                // A name that differs from another by an invisible character reads alike in every report (review); so does
                // a term or template, while the model reads another prompt (a hostile review: "Ali\u{200B}ce" beside
                // "Alice" planted a gap between groups that every report showed with the same names).
                return document.diagnostic(.schema, at: item.at, "\(item.what) holds the invisible character \(code), "
                    + (isPromptText
                        ? "which prints as nothing while the model reads it (two prompts that differ only by it would read "
                            + "alike in every report)"
                        : "which prints as nothing (two names that differ only by it would read alike)") + "; remove it")
            }
            return document.diagnostic(.schema, at: item.at, "\(item.what) holds the control character \(code), which "
                + (isPromptText ? "the model would read as part of the prompt" : "every report would print") + "; remove it"
                // Not in a term, whose words take one space (`trailing-whitespace`).
                + (allowsBreaks && !item.isTerm ? " (tabs and line breaks are allowed)" : ""))
        }
    }

    /// A text of a set a user wrote: what it is, the text, where, and its length limit.
    private struct NamedText {
        var what: String
        var text: String
        var at: PromptSetLocation
        var limit: Int
        /// Templates, terms and fixed prompts (what the model reads); the rest are names and prose (descriptions,
        /// sources).
        var isPromptText: Bool
        /// A group's term (tabs and line breaks are refused there by `trailing-whitespace`).
        var isTerm = false

        init(_ what: String, _ text: String, _ at: PromptSetLocation, _ limit: Int, isPromptText: Bool? = nil,
             isTerm: Bool = false) {
            (self.what, self.text, self.at, self.limit, self.isTerm) = (what, text, at, limit, isTerm)
            self.isPromptText = isPromptText ?? (limit == maximumTextLength)
        }
    }

    /// Every text of a set a user wrote, with what it is, where, and its length limit.
    private static func namedTexts(_ document: PromptSetDocument)
        -> [NamedText]
    {
        var texts: [NamedText] = []
        if let name = document.name { texts.append(NamedText("the set's name", name.value, name.location, maximumNameLength)) }
        if let axis = document.axis { texts.append(NamedText("the axis", axis.value, axis.location, maximumNameLength)) }
        // The description and source (and their translations) are printed in every report: prose, at most as long as a
        // template (review: a 6.8 MB description made an 11 MB report).
        let prose = [("the description", document.description, "description")]
            + (document.descriptions ?? [:]).sorted { $0.key < $1.key }
                .map { ("the \($0.key) description", Optional($0.value), "descriptions.\($0.key)") }
            + [("the source", document.source, "source")]
            + (document.sources ?? [:]).sorted { $0.key < $1.key }
                .map { ("the \($0.key) source", Optional($0.value), "sources.\($0.key)") }
        for case let (what, text?, key) in prose {
            texts.append(NamedText(what, text, document.proseLocations[key] ?? .start, maximumTextLength, isPromptText: false))
        }
        for (index, template) in document.templates.enumerated() {
            texts.append(NamedText("template \(index + 1)", template.value, template.location, maximumTextLength))
        }
        for (number, group) in document.groups.enumerated() {
            let name = "group \(number + 1)"
            // A refused id (not ASCII) is said by the parser once, not again for its characters (a code review).
            if !group.idRefused {
                texts.append(NamedText("the id of \(name)", group.id.value, group.id.location, maximumNameLength))
            }
            // Which label: the group's `label:` or its label in one language (review: two bad labels were both "a label
            // of group 1").
            let owner = "\(name) ('\(TextEscaping.excerpt(group.id.value, limit: 40))')"
            // Placed at the label itself (a teacher's review: at the group's id, a line above).
            let labels = [group.label.map { ("the label of \(owner)", "label", $0) }].compactMap { $0 }
                + (group.labels ?? [:]).sorted { $0.key < $1.key }.map {
                    ("the \(TextEscaping.excerpt($0.key, limit: 10)) label of \(owner)", "labels.\($0.key)", $0.value)
                }
            for (what, key, label) in labels {
                texts.append(NamedText(what, label, group.labelLocations[key] ?? group.id.location, maximumNameLength))
            }
            for (index, term) in (group.terms ?? []).enumerated() {
                texts.append(NamedText("term \(index + 1) of \(name)", term.value.term, term.location, maximumTextLength, isTerm: true))
            }
            for (index, prompt) in (group.prompts ?? []).enumerated() {
                texts.append(NamedText("prompt \(index + 1) of \(name)", prompt.value, prompt.location, maximumTextLength))
            }
        }
        return texts
    }

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

