import Foundation
import InputFiles

/// The lint rules that look at a parsed document (schema rules live in ``PromptSetParser``).
/// Shared by ``Linter`` (all rules) and ``PromptSetLoader`` (every rule but `token-length`).
enum LintRules {
    /// Runs the rules; `tokenCount` enables the `token-length` rule. Acknowledged warnings are dropped.
    static func check(_ document: PromptSetDocument, tokenCount: ((String) -> Int)?) -> [LintDiagnostic] {
        // Texts beyond their limit first, alone: the other rules would quote and tokenize them.
        let tooLong = PromptSetLimits.checkTextLengths(document)
        guard tooLong.isEmpty else { return tooLong }
        var findings: [LintDiagnostic] = PromptSetLimits.checkControlCharacters(document)
        findings += axis(document)
        findings += groups(document)
        findings += slots(document)
        findings += trailingWhitespace(document)
        let beyondLimits = PromptSetLimits.check(document)
        guard beyondLimits.isEmpty else { return findings + beyondLimits }  // expanding could take too long
        let prompts = document.expandedPrompts()
        findings += duplicates(document, prompts)
        findings += groupSizes(document)
        findings += underpowered(document)
        findings += englishScorers(document)
        if let tokenCount { findings += tokenLengths(document, prompts, tokenCount) }
        return findings.filter { $0.severity == .error || document.allowed[$0.rule] == nil }
    }

    private static func axis(_ document: PromptSetDocument) -> [LintDiagnostic] {
        guard let axis = document.axis, !PromptSet.knownAxes.contains(axis.value) else { return [] }
        return [document.diagnostic(.unknownAxis, at: axis.location, "unknown axis '\(axis.value)'; known axes: "
            + PromptSet.knownAxes.joined(separator: ", ") + "; if the axis is new, acknowledge with "
            + "'lint: allow: unknown-axis: <reason>'")]
    }

    private static func groups(_ document: PromptSetDocument) -> [LintDiagnostic] {
        var findings: [LintDiagnostic] = []
        if document.groupsKey != nil, document.groups.count + document.unreadGroupCount < 2 {
            findings.append(document.diagnostic(.groupCount, at: document.groupsKey ?? .start,
                "a prompt set needs at least 2 groups to compare, found \(document.groups.count)"))
        }
        for group in document.groups where group.entryCount == 0 && (group.terms != nil || group.prompts != nil)
            && !group.entriesRefused
        {
            let kind = group.terms != nil ? "terms" : "prompts"
            findings.append(document.diagnostic(.emptyGroup, at: group.id.location,
                "group '\(group.id.value)' has no \(kind); add at least one or remove the group"))
        }
        for group in document.groups {
            for prompt in group.prompts ?? [] where prompt.value.allSatisfy(\.isWhitespace) {
                findings.append(document.diagnostic(.emptyGroup, at: prompt.location,
                    "group '\(group.id.value)' has an empty prompt; write the prompt or remove the entry"))
            }
        }
        return findings + sameLabels(document)
    }

    /// Two groups whose names read alike in a report language: the reports, the summary and `check` name groups by
    /// their labels, and could not tell them apart. Compared as shown (`label:`, the id without one, `labels:` per
    /// language), with the joiners U+200C and U+200D left out (attack: "GroupA" and "Group\u{200d}A" passed) and every
    /// white space that prints as a plain space read as one (a student's review: "Young people" and "Young\u{a0}people"
    /// passed, while model labels that differ so are refused).
    private static func sameLabels(_ document: PromptSetDocument) -> [LintDiagnostic] {
        var findings: [LintDiagnostic] = []
        for language in ["en", "es"] {
            var seen: [String: (group: PromptSetDocument.Group, shown: String, english: String)] = [:]
            // A group's own label in `language`: its `labels:` entry, or in a set written in that language
            // (`language: es`) its `label:`, as `run` records it (a code review: two groups labelled alike in Spanish, with
            // English labels of their own, passed lint and `run`, and every command then refused the results).
            func own(_ group: PromptSetDocument.Group) -> String? {
                group.labels?[language] ?? (document.language == language ? group.label ?? group.id.value : nil)
            }
            for group in document.groups {
                let english = group.labels?["en"] ?? group.label ?? group.id.value
                let shown = language == "en" ? english : own(group) ?? english
                let key = NameCharacters.readAlikeKey(shown)
                // In Spanish only where a group has its own Spanish label, and not where both show their English ones
                // (the English finding says it: a review counted one pair twice).
                if let first = seen[key], language == "en" || own(group) != nil || own(first.group) != nil,
                    language == "en" || !(shown == english && first.shown == first.english)
                {
                    // A set written in another language whose groups have no English label of their own shows its
                    // `label:` in English reports too: "the same label", not "the same en label" of a Spanish text (a
                    // teacher's review).
                    let borrowed = language == "en" && (document.language ?? "en") != "en"
                        && group.labels?["en"] == nil && first.group.labels?["en"] == nil
                    let which = borrowed ? "" : "\(language) "
                    let labels = first.shown == shown
                        ? "the same \(which)label '\(NameCharacters.showingSpaceLookalikes(shown))'"
                        : "\(which)labels that read alike, '\(NameCharacters.showingLookalikes(first.shown))' and "
                            + "'\(NameCharacters.showingLookalikes(shown))'"
                    findings.append(document.diagnostic(.duplicateID, at: group.id.location, "groups '\(first.group.id.value)' "
                        + "and '\(group.id.value)' have \(labels); the reports name groups by their labels, so give each its own"))
                } else if seen[key] == nil {
                    seen[key] = (group, shown, english)
                }
            }
        }
        return findings
    }

    private static func slots(_ document: PromptSetDocument) -> [LintDiagnostic] {
        var findings: [LintDiagnostic] = []
        // The slot name the set uses: the one most templates use (each template's names once, two-slot templates
        // included), the earliest on a tie; a template is blamed only for differing from it (a student's review: with
        // the first one-slot template misspelt, {persn}, the one correct template after it was blamed).
        var uses: [(name: String, templates: Int, first: Int)] = []
        for (position, template) in document.templates.enumerated() {
            var named: Set<String> = []
            for name in PromptSetTemplate(template.value).slots where named.insert(name).inserted {
                if let index = uses.firstIndex(where: { $0.name == name }) {
                    uses[index].templates += 1
                } else {
                    uses.append((name, 1, position))
                }
            }
        }
        let most = uses.map(\.templates).max() ?? 0
        let setSlot = uses.first { $0.templates == most }
        var firstSlot: String?
        for template in document.templates {
            let parsed = PromptSetTemplate(template.value)
            // A template is quoted by its start: up to 8,000 characters are allowed (review: messages quoted them whole).
            let quoted = "'" + TextEscaping.excerpt(template.value, limit: 80) + "'"
            if let name = parsed.invalidSlots.first {
                let suggestion = PromptSetParser.asciiSuggestion(name)
                let ascii = suggestion.flatMap { $0.first == "_" || $0.first?.isLetter == true ? " (e.g. {\($0)})" : nil } ?? ""
                findings.append(document.diagnostic(.slot, at: template.location, "template \(quoted) has "
                    + "slot {\(TextEscaping.excerpt(name))}, which is not a valid slot name: a slot name starts with an "
                    + "ASCII letter or '_' and uses only ASCII letters (no accents), digits, '_' and '-'\(ascii)"))
                continue
            }
            if parsed.hasStrayBrace, parsed.slots.isEmpty {
                // One finding, not "stray brace" and "no slot" for one `{😀}` or `{}` (review).
                findings.append(document.diagnostic(.slot, at: template.location, "template \(quoted) has a brace "
                    + "that is not part of a slot, and no slot; a slot is {name} with letters, digits, '_' or '-' where the "
                    + "group term goes, e.g. 'The {person} was known for'"))
                continue
            }
            if parsed.hasStrayBrace {
                findings.append(document.diagnostic(.slot, at: template.location, "template \(quoted) "
                    + "has a brace that is not part of a slot; a slot is {name} with letters, digits, '_' or '-'"))
            }
            switch parsed.slots.count {
            case 0:
                findings.append(document.diagnostic(.slot, at: template.location, "template \(quoted) "
                    + "has no slot; mark where the group term goes, e.g. 'The {person} was known for'"))
            case 1:
                let slot = parsed.slots[0]
                if let expected = setSlot, expected.name != slot {
                    // "the first template" only where it is (helper 227: said of {b} in the second, the first had none).
                    let others = expected.templates > 1 ? "\(expected.templates) other templates use"
                        : expected.first == 0 ? "the first template uses" : "template \(expected.first + 1) uses"
                    findings.append(document.diagnostic(.slot, at: template.location, "template "
                        + "\(quoted) uses slot {\(slot)} but \(others) {\(expected.name)}; all "
                        + "templates of a set use the same slot name"))
                }
                firstSlot = firstSlot ?? slot
            default:
                let names = parsed.slots.map { "{\($0)}" }.joined(separator: ", ")
                findings.append(document.diagnostic(.slot, at: template.location, "template \(quoted) "
                    + "has \(parsed.slots.count) slots (\(names)); a template has exactly one slot, filled by "
                    + "each group's terms"))
            }
        }
        let termGroups = document.groups.filter { $0.terms != nil }
        // Groups whose ids are refused are read too (their terms count: a hostile review had `run` say only that no group
        // fills the slot, of a set whose two groups had terms).
        if let slot = firstSlot, termGroups.isEmpty {
            findings.append(document.diagnostic(.slot, at: document.templatesKey ?? .start, "the templates' slot "
                + "{\(slot)} is filled by no group; give a group 'terms:' or remove 'templates:'"))
        }
        if document.templates.isEmpty {
            for group in termGroups {
                findings.append(document.diagnostic(.slot, at: group.id.location, "group '\(group.id.value)' has "
                    + "terms but the set has no templates to put them in; add 'templates:' with a {slot}"))
            }
        }
        // A term is put into the slot as written: one with a brace made a prompt that reads as a template again (a
        // teacher's review: the term "{p}" gave the prompt "My {p} is"), as a stray brace in a template is refused.
        for group in termGroups {
            for term in group.terms ?? [] where term.value.term.contains(where: { $0 == "{" || $0 == "}" }) {
                findings.append(document.diagnostic(.slot, at: term.location, "term '\(TextEscaping.excerpt(term.value.term, limit: 80))' "
                    + "of group '\(group.id.value)' holds a brace; a term is put into the templates' slot as written, so "
                    + "its prompts would read as templates: write it without '{' and '}'"))
            }
        }
        return findings
    }

    private static func trailingWhitespace(_ document: PromptSetDocument) -> [LintDiagnostic] {
        let fix = "GPT-2 tokenizes trailing white space (a space, a tab) as a token of its own, which silently changes "
            + "the completions; remove it"
        let templates = document.templates.map { ("template", $0) }
        let fixed = document.groups.flatMap { $0.prompts ?? [] }.map { ("prompt", $0) }
        var findings: [LintDiagnostic] = (templates + fixed).compactMap { kind, entry in
            let quoted = "\(kind) '\(TextEscaping.excerpt(entry.value, limit: 80))'"
            if let last = entry.value.unicodeScalars.last, last.properties.isWhitespace {
                let what = last == " " ? "a space" : last == "\t" ? "a tab" : last == "\n" ? "a line break (a '|' block keeps "
                    + "its last one; write '|-')" : "white space (U+\(String(format: "%04X", last.value)))"
                return document.diagnostic(.trailingWhitespace, at: entry.location, "\(quoted) ends with \(what): \(fix)")
            }
            // A leading space is a token of its own as well: ' The' is not 'The'.
            guard let first = entry.value.unicodeScalars.first, first.properties.isWhitespace else { return nil }
            return document.diagnostic(.trailingWhitespace, at: entry.location, "\(quoted) starts with \(spaceName(first)): "
                + "GPT-2 reads the prompt as other tokens than without it, which silently changes the completions; "
                + "remove the \(spaceName(first, article: false))")
        }
        findings += termWhitespace(document)
        findings += labelWhitespace(document)
        return findings
    }

    /// A term with a space at either end, two spaces in a row, or another white space (a tab, a line break, U+00A0):
    /// filled in, `"woman "` made the prompt 'The woman  said that', which GPT-2 reads as other tokens than 'The woman
    /// said that', and which every report prints as if it were that prompt (a hostile review: `lint --strict` passed it).
    private static func termWhitespace(_ document: PromptSetDocument) -> [LintDiagnostic] {
        let template = document.templates.lazy.map { PromptSetTemplate($0.value) }.first { $0.slots.count == 1 }
        var findings: [LintDiagnostic] = []
        for group in document.groups {
            for term in group.terms ?? [] {
                let text = term.value.term
                guard let (problem, remedy) = whitespaceProblem(text) else { continue }
                let read = template.map {
                    "the prompt becomes '\(TextEscaping.excerpt($0.filled(with: text), limit: 80))', which GPT-2 reads"
                } ?? "GPT-2 reads its prompts"
                findings.append(document.diagnostic(.trailingWhitespace, at: term.location, "term "
                    + "'\(TextEscaping.excerpt(text, limit: 80))' of group '\(group.id.value)' \(problem): \(read) as other "
                    + "tokens than with the term written plainly, and the completions silently change; \(remedy)"))
            }
        }
        return findings
    }

    /// A label with white space at either end: it prints as nothing, so two labels that differ only by it read alike in
    /// every report (and the same-label check would not see them as one).
    private static func labelWhitespace(_ document: PromptSetDocument) -> [LintDiagnostic] {
        var findings: [LintDiagnostic] = []
        for group in document.groups {
            let labels = [group.label.map { ("the label", "label", $0) }].compactMap { $0 }
                + (group.labels ?? [:]).sorted { $0.key < $1.key }.map { ("the \($0.key) label", "labels.\($0.key)", $0.value) }
            for (what, key, label) in labels {
                let scalars = label.unicodeScalars
                let end = scalars.first.map(\.properties.isWhitespace) == true ? (scalars.first, "starts")
                    : scalars.last.map(\.properties.isWhitespace) == true ? (scalars.last, "ends") : (nil, "")
                guard let space = end.0 else { continue }
                findings.append(document.diagnostic(.trailingWhitespace, at: group.labelLocations[key] ?? group.id.location,
                    "\(what) of group '\(group.id.value)', '\(TextEscaping.excerpt(label, limit: 80))', \(end.1) with "
                        + "\(spaceName(space)), which every report prints as nothing (two labels that differ only by it read "
                        + "alike); remove the \(spaceName(space, article: false))"))
            }
        }
        return findings
    }

    /// What is wrong with the white space in a term, and what to do; nil when its words are apart by single spaces.
    static func whitespaceProblem(_ text: String) -> (problem: String, remedy: String)? {
        let scalars = Array(text.unicodeScalars)
        if let first = scalars.first, first.properties.isWhitespace {
            return ("starts with \(spaceName(first))", "remove the \(spaceName(first, article: false))")
        }
        if let last = scalars.last, last.properties.isWhitespace {
            return ("ends with \(spaceName(last))", "remove the \(spaceName(last, article: false))")
        }
        for (index, scalar) in scalars.enumerated() where scalar.properties.isWhitespace {
            if scalar != " " {
                return ("holds \(spaceName(scalar))", "write one space between its words instead")
            }
            if scalars[index + 1] == " " {
                return ("holds two spaces in a row", "write one space between its words")
            }
        }
        return nil
    }

    /// "a space", "a tab", "a line break", or "the white space U+00A0" (without the article: "space", "tab", …).
    private static func spaceName(_ scalar: Unicode.Scalar, article: Bool = true) -> String {
        let (name, other) = switch scalar {
        case " ": ("space", false)
        case "\t": ("tab", false)
        case "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": ("line break", false)
        default: ("white space \(NameCharacters.code(scalar))", true)
        }
        guard article else { return name }
        return (other ? "the " : "a ") + name
    }

    private static func duplicates(
        _ document: PromptSetDocument, _ prompts: [PromptSetLocatedPrompt]
    ) -> [LintDiagnostic] {
        var findings: [LintDiagnostic] = []
        for term in document.groups.flatMap({ $0.terms ?? [] }) where PromptSetIdentifiers.slug(term.value.term).isEmpty {
            findings.append(document.diagnostic(.duplicateID, at: term.location, "term '\(term.value.term)' has "
                + "no letters or digits, so it cannot name a prompt id"))
        }
        // A template given twice (the same text, or one that differs only in how an accent is typed, composed or with a
        // combining mark) is said once, at the second template: a teacher's review got one "prompt … appears twice"
        // per term, placed at the term, "first at" its own place, and told to remove a term.
        var templateSeen: [String: PromptSetLocation] = [:]
        var repeatedTemplates: Set<Int> = []  // the positions of the second and later copies
        for (position, template) in document.templates.enumerated() {
            guard let first = templateSeen[template.value] else {
                templateSeen[template.value] = template.location
                continue
            }
            let typedOtherwise = document.templates.first { $0.location == first }
                .map { !$0.value.unicodeScalars.elementsEqual(template.value.unicodeScalars) } ?? false
            findings.append(document.diagnostic(.duplicatePrompt, at: template.location, "template "
                + "'\(TextEscaping.excerpt(template.value, limit: 80))' is given twice (first at \(first.line):\(first.column)"
                + (first == template.location ? YAMLAliasPlaces.repeatedThroughAlias : "") + ")"
                + (typedOtherwise ? ", the two differing only in how a character is typed (an accent composed or as a combining mark)" : "")
                + "; remove one"))
            repeatedTemplates.insert(position)
        }
        // A term given twice is said once, at its second place, naming its group(s) (a teacher's review: one "prompt …
        // appears twice" per template, none naming the term; a term in two groups is a design fault of its own).
        // A term repeated through a YAML alias (`*t`) is placed at its anchor, as YAML places the copy: said so.
        var termSeen: [String: (location: PromptSetLocation, group: String)] = [:]
        var repeatedTerms: Set<[String]> = []  // [group, line, column] of the second and later copies
        for group in document.groups {
            for term in group.terms ?? [] where !PromptSetIdentifiers.slug(term.value.term).isEmpty {
                guard let first = termSeen[term.value.term] else {
                    termSeen[term.value.term] = (term.location, group.id.value)
                    continue
                }
                let place = first.group == group.id.value
                    ? "in group '\(TextEscaping.excerpt(group.id.value))'"
                    : "in groups '\(TextEscaping.excerpt(first.group))' and '\(TextEscaping.excerpt(group.id.value))': a "
                        + "term in two groups compares the groups with itself"
                let alias = first.location == term.location ? YAMLAliasPlaces.repeatedThroughAlias : ""
                findings.append(document.diagnostic(.duplicatePrompt, at: term.location, "term "
                    + "'\(TextEscaping.excerpt(term.value.term, limit: 80))' is given twice (first at "
                    + "\(first.location.line):\(first.location.column)\(alias)) \(place); remove one"))
                repeatedTerms.insert([group.id.value, String(term.location.line), String(term.location.column)])
            }
        }
        var textSeen: [String: PromptSetLocation] = [:]
        var idSeen: [String: String] = [:]
        for entry in prompts {
            let prompt = entry.prompt
            if let term = prompt.term, PromptSetIdentifiers.slug(term).isEmpty { continue }
            // The prompts of a repeated term are said by its finding.
            if prompt.term != nil,
                repeatedTerms.contains([prompt.group, String(entry.location.line), String(entry.location.column)])
            {
                continue
            }
            // The prompts of a later copy of a template are said by its finding; the first copy's are checked as any
            // (a code review: a duplicate term there was hidden too).
            if let position = prompt.templateIndex, repeatedTemplates.contains(position) { continue }
            if let first = textSeen[prompt.text] {
                findings.append(document.diagnostic(.duplicatePrompt, at: entry.location, "prompt "
                    + "'\(TextEscaping.excerpt(prompt.text, limit: 80))' appears twice (first at \(first.line):\(first.column)"
                    + (first == entry.location ? YAMLAliasPlaces.repeatedThroughAlias : "") + "); remove the duplicate term or "
                    + "prompt"))
                continue
            }
            textSeen[prompt.text] = entry.location
            if let other = idSeen[prompt.id] {
                findings.append(document.diagnostic(.duplicateID, at: entry.location, "prompts "
                    + "'\(TextEscaping.excerpt(other, limit: 80))' and '\(TextEscaping.excerpt(prompt.text, limit: 80))' get the "
                    + "same id '\(TextEscaping.excerpt(prompt.id, limit: 120))'; make the terms differ in letters or digits"))
            }
            idSeen[prompt.id] = prompt.text
        }
        return findings
    }

    private static func groupSizes(_ document: PromptSetDocument) -> [LintDiagnostic] {
        let sized = document.groups.filter { $0.entryCount > 0 }
        guard let largest = sized.max(by: { $0.entryCount < $1.entryCount }),
              let smallest = sized.min(by: { $0.entryCount < $1.entryCount }) else { return [] }
        let ratio = Double(largest.entryCount) / Double(smallest.entryCount)
        guard ratio > Linter.maximumGroupSizeRatio else { return [] }
        func size(_ group: PromptSetDocument.Group) -> String {
            "\(group.entryCount) \(group.terms != nil ? "term" : "prompt")\(group.entryCount == 1 ? "" : "s")"
        }
        // At the smaller group, the one whose intervals widen (a teacher's review: at the first group, neither of the two).
        return [document.diagnostic(.groupSize, at: smallest.id.location, "group '\(largest.id.value)' has "
            + "\(size(largest)) but group '\(smallest.id.value)' has \(size(smallest)) (ratio "
            + "\(format(ratio)), more than \(format(Linter.maximumGroupSizeRatio))): the smaller group gets much "
            + "wider confidence intervals; balance the groups or acknowledge with 'lint: allow: group-size: "
            + "<reason>'")]
    }

    /// `underpowered`: a 2-term (or 2-prompt) group, or single-term groups mixed with multi-term groups whose pooled term
    /// variance rests on fewer than ``Linter/minimumPooledTermDegreesOfFreedom`` degrees of freedom.
    private static func underpowered(_ document: PromptSetDocument) -> [LintDiagnostic] {
        // Fixed prompts are units as terms are (each its own: a review found 2-prompt groups tested on 1 df unwarned).
        let unitGroups = document.groups.filter { ($0.terms != nil || $0.prompts != nil) && $0.entryCount > 0 }
        /// The units of `groups`: terms, fixed prompts, or both.
        func unit(_ groups: [PromptSetDocument.Group]) -> String {
            groups.allSatisfy { $0.terms == nil } ? "prompts" : groups.contains { $0.terms == nil } ? "terms or prompts" : "terms"
        }
        /// The advice for `groups`: one term per group with many templates only where they are terms.
        func fix(_ groups: [PromptSetDocument.Group]) -> String {
            "use 3 or more \(unit(groups)) per group (8 or more where the category allows)"
                + (groups.allSatisfy { $0.terms == nil } ? "" : ", or one term per group with many templates")
                + "; or acknowledge with 'lint: allow: underpowered: <reason>'"
        }
        var findings = unitGroups.filter { $0.entryCount == 2 }.map { group in
            document.diagnostic(.underpowered, at: group.id.location, "group '\(group.id.value)' has 2 "
                + (group.terms == nil ? "fixed prompts (each its own unit): its prompt-to-prompt" : "terms: its term-to-term")
                + " variance rests on 1 degree of freedom, so its contrasts are tested on few degrees of "
                + "freedom (1 at worst, a few more where the random streams' variance adds its own): their intervals are "
                + "wide and only a large gap can be a finding; " + fix([group]))
        }
        let single = unitGroups.filter { $0.entryCount == 1 }
        let multi = unitGroups.filter { $0.entryCount > 1 }
        let pooled = multi.reduce(0) { $0 + $1.entryCount - 1 }
        if !single.isEmpty, !multi.isEmpty, pooled < Linter.minimumPooledTermDegreesOfFreedom {
            let names = single.map { "'\($0.id.value)'" }.joined(separator: ", ")
            let kind = ["terms": "single-term", "prompts": "single-prompt", "terms or prompts": "single-term or single-prompt"]
            let groups = multi.count == 1 ? "group" : "groups"
            let lenders = unit(multi) == "terms" ? "multi-term \(groups)" : "\(groups) of several \(unit(multi))"
            findings.append(document.diagnostic(.underpowered, at: single[0].id.location, kind[unit(single), default: "single-term"]
                + (single.count == 1 ? " group \(names) borrows" : " groups \(names) borrow")
                + " the \(unit(multi) == "terms" ? "term " : "")variance of the \(lenders), which rests on only "
                + "\(pooled) degree\(pooled == 1 ? "" : "s") of freedom ("
                + (unit(multi) == "terms or prompts" ? "Σ(K − 1) over their terms and prompts" : "Σ(\(unit(multi)) − 1)") + ", fewer than "
                + "\(Linter.minimumPooledTermDegreesOfFreedom)); " + fix(single + multi)))
        }
        return findings
    }

    /// `english-scorers`: templates or fixed prompts that read as another language than English (``TemplateLanguage``),
    /// named when the words tell one.
    private static func englishScorers(_ document: PromptSetDocument) -> [LintDiagnostic] {
        let located = document.templates + document.groups.flatMap { $0.prompts ?? [] }
        guard let evidence = TemplateLanguage.evidence(located.map(\.value)) else { return [] }
        // Placed at the first prompt that reads so, and counted where only some do (a teacher's review: a set with one
        // Spanish template among English ones was pointed at its first, English, template).
        let flagged = located.filter { TemplateLanguage.evidence([$0.value]) != nil }
        let at = flagged.first?.location ?? located.first?.location
        let words = evidence.words.map { "'\($0)'" }.joined(separator: ", ")
        let readAs = evidence.language.map { "read as \($0.name) (\(words))" }
            ?? "do not read as English (\(words); the words do not tell which language)"
        // Counted only where some prompts read as English (a code review: one too short to tell counted as English).
        let which = located.contains(where: { TemplateLanguage.readsAsEnglish($0.value) })
            ? "\(flagged.count) of the set's \(located.count) prompts (templates and fixed prompts) \(readAs)"
            : "the prompts \(readAs)"
        return [document.diagnostic(.englishScorers, at: at ?? .start, "\(which), but biasaudit scores "
            + "completions in English (VADER sentiment, the English pronoun and gendered-word lexicon, the next tokens ' he' "
            + "and ' she'), and GPT-2 writes English: the set's scores (sentiment, male share, he/she log-odds) would not "
            + "measure what they say; write the prompts in English (labels, description and source can stay "
            + (evidence.language?.name ?? "in their language") + "), or acknowledge with "
            + "'lint: allow: english-scorers: <reason>'")]
    }

    private static func tokenLengths(
        _ document: PromptSetDocument, _ prompts: [PromptSetLocatedPrompt], _ tokenCount: (String) -> Int
    ) -> [LintDiagnostic] {
        var means: [(group: String, mean: Double)] = []
        for group in document.groups {
            let counts = prompts.filter { $0.prompt.group == group.id.value }.map { tokenCount($0.prompt.text) }
            guard !counts.isEmpty else { continue }
            means.append((group.id.value, Double(counts.reduce(0, +)) / Double(counts.count)))
        }
        guard let longest = means.max(by: { $0.mean < $1.mean }),
              let shortest = means.min(by: { $0.mean < $1.mean }),
              longest.mean - shortest.mean > Linter.maximumTokenLengthGap + roundingSlack else { return [] }
        // At the group of the longer prompts, one of the two it names.
        let place = document.groups.first { $0.id.value == longest.group }?.id.location ?? document.groupsKey ?? .start
        // What the two groups are made of: the advice names it (a review: "choose terms" for groups of fixed prompts).
        let named = document.groups.filter { $0.id.value == longest.group || $0.id.value == shortest.group }
        let units = named.allSatisfy { $0.terms == nil } ? "prompts" : named.contains { $0.terms == nil } ? "terms and prompts" : "terms"
        return [document.diagnostic(.tokenLength, at: place, "mean prompt length differs "
            + "by \(format(longest.mean - shortest.mean)) GPT-2 tokens between group '\(longest.group)' "
            + "(\(format(longest.mean))) and group '\(shortest.group)' (\(format(shortest.mean))), more than "
            + "\(format(Linter.maximumTokenLengthGap)): choose \(units) of similar token length or acknowledge "
            + "with 'lint: allow: token-length: <reason>'")]
    }

    /// Means are ratios of integers; a gap that equals the threshold up to rounding does not exceed it.
    private static let roundingSlack = 1e-9

    private static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
