import Foundation

/// A 1-based line and column in a prompt-set file.
struct PromptSetLocation: Equatable {
    var line: Int
    var column: Int

    /// The start of the file, for findings about the file as a whole.
    static let start = PromptSetLocation(line: 1, column: 1)
}

/// A value and where it was written.
struct PromptSetLocated<Value> {
    var value: Value
    var location: PromptSetLocation
}

/// A prompt-set file as parsed, before validation: every value keeps its position so that the linter can
/// point at it. Keys that were missing or malformed are `nil`/empty here and reported by the parser.
struct PromptSetDocument {
    /// One group as written.
    struct Group {
        var id: PromptSetLocated<String>
        var label: String?
        var labels: [String: String]?
        /// Where `label:` (key `label`) and each of `labels:` (`labels.es`) was written.
        var labelLocations: [String: PromptSetLocation] = [:]
        /// Whether the parser refused the id (not ASCII): the group is read all the same, and no other rule speaks of
        /// its id again.
        var idRefused = false
        /// Whether its `terms:` or `prompts:` was refused as not a list (already reported): the group is not also said
        /// to have none (a hostile review: `terms: "nurse"` got a second error, "has no terms").
        var entriesRefused = false
        var terms: [PromptSetLocated<PromptTerm>]?
        var prompts: [PromptSetLocated<String>]?

        /// How many prompts each template (or the fixed list) contributes for this group.
        var entryCount: Int { terms?.count ?? prompts?.count ?? 0 }
    }

    var path: String
    var name: PromptSetLocated<String>?
    var description: String?
    /// `descriptions:` and `sources:`: the description and source in other report languages.
    var descriptions: [String: String]?
    var sources: [String: String]?
    /// Where the prose was written, by key: `description`, `source`, `descriptions.es`, `sources.es` (lint points there;
    /// a review: a control character in the description was placed at 1:1).
    var proseLocations: [String: PromptSetLocation] = [:]
    /// `language:`, the report language its own `label:`s, `description:` and `source:` are written in (`en`
    /// when absent).
    var language: String?
    var axis: PromptSetLocated<String>?
    var source: String?
    var templates: [PromptSetLocated<String>] = []
    var templatesKey: PromptSetLocation?
    var groups: [Group] = []
    /// Where the `groups:` mapping starts; `nil` when it is missing or not a mapping (already reported).
    var groupsKey: PromptSetLocation?
    /// Groups written but not read (a body that is not a mapping, reported by the parser): they still count as groups
    /// of the set, which is not also said to have too few (a review: "found 1" of 2).
    var unreadGroupCount = 0
    var defaults: PromptSetDefaults?
    var metrics: [PromptSetMetric] = []
    /// `primary_metrics` as written (validated by the parser).
    var primaryMetrics: [PromptSetLocated<String>] = []
    /// Warning rules the set acknowledges, with the reason it gives.
    var allowed: [LintRule: String] = [:]

    /// A diagnostic in this file.
    func diagnostic(_ rule: LintRule, at location: PromptSetLocation, _ message: String) -> LintDiagnostic {
        LintDiagnostic(file: path, line: location.line, column: location.column, rule: rule, message: message)
    }
}

/// One expanded prompt with the position of the entry it came from.
struct PromptSetLocatedPrompt {
    var prompt: Prompt
    var location: PromptSetLocation
}

extension PromptSetDocument {
    /// The set's name as it appears in ids (empty when missing; the parser has reported that).
    var setName: String { name?.value ?? "" }

    /// Every prompt the document expands to, in the order documented on ``PromptSet/prompts``. Templates
    /// without exactly one slot are skipped (the `slot` rule reports them).
    func expandedPrompts() -> [PromptSetLocatedPrompt] {
        var result: [PromptSetLocatedPrompt] = []
        for (index, template) in templates.enumerated() {
            let parsed = PromptSetTemplate(template.value)
            guard parsed.slots.count == 1 else { continue }
            let templateID = PromptSetIdentifiers.templateID(set: setName, template: template.value)
            for group in groups {
                for term in group.terms ?? [] {
                    let prompt = Prompt(
                        id: PromptSetIdentifiers.promptID(
                            templateID: templateID, group: group.id.value, term: term.value.term),
                        set: setName, templateID: templateID, templateIndex: index, template: template.value,
                        group: group.id.value, term: term.value.term, womenShare: term.value.womenShare,
                        text: parsed.filled(with: term.value.term))
                    result.append(PromptSetLocatedPrompt(prompt: prompt, location: term.location))
                }
            }
        }
        for group in groups {
            for fixed in group.prompts ?? [] {
                let templateID = PromptSetIdentifiers.templateID(set: setName, template: fixed.value)
                let prompt = Prompt(
                    id: "\(templateID)/\(group.id.value)", set: setName, templateID: templateID,
                    templateIndex: nil, template: nil, group: group.id.value, term: nil, womenShare: nil,
                    text: fixed.value)
                result.append(PromptSetLocatedPrompt(prompt: prompt, location: fixed.location))
            }
        }
        return result
    }

    /// The validated set. Call only when the document has no error diagnostics.
    func promptSet() -> PromptSet {
        var set = PromptSet(
            name: setName, description: description ?? "", axis: axis?.value ?? "", source: source ?? "",
            templates: templates.map(\.value),
            groups: groups.map {
                PromptGroup(
                    id: $0.id.value, label: $0.label ?? $0.id.value,
                    labels: Self.inOwnLanguage($0.label ?? $0.id.value, language, beside: $0.labels), terms: $0.terms?.map(\.value),
                    prompts: $0.prompts?.map(\.value))
            },
            defaults: defaults, metrics: metrics, primaryMetrics: primaryMetrics.isEmpty ? nil : primaryMetrics.map(\.value),
            prompts: expandedPrompts().map(\.prompt))
        set.descriptions = Self.inOwnLanguage(description, language, beside: descriptions)
        set.sources = Self.inOwnLanguage(source, language, beside: sources)
        return set
    }

    /// A set written in another report language than English (`language: es`): its own text counts as that
    /// language's (a teacher's review: a Spanish class's set was reported as "untranslated, so in English"), unless
    /// the translations give that language a text of its own.
    private static func inOwnLanguage(
        _ text: String?, _ language: String?, beside translations: [String: String]?
    ) -> [String: String]? {
        guard let text, let language, language != "en", translations?[language] == nil else { return translations }
        return (translations ?? [:]).merging([language: text]) { own, _ in own }
    }
}
