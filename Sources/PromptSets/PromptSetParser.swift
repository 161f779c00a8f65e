import Foundation
import Yams

/// Reads a prompt-set file into a ``PromptSetDocument`` with Yams' node API, so that every schema
/// finding carries the line and column of the offending node. Collects all schema findings instead of
/// stopping at the first.
struct PromptSetParser {
    private static let topLevelKeys = [
        "name", "description", "descriptions", "axis", "source", "sources", "language", "templates", "groups", "defaults",
        "metrics", "primary_metrics", "lint",
    ]

    private var document: PromptSetDocument
    private(set) var diagnostics: [LintDiagnostic] = []

    /// Parses `data`; the document is `nil` when the file is not YAML or not a mapping at the top.
    static func parse(data: Data, path: String) -> (PromptSetDocument?, [LintDiagnostic]) {
        var parser = PromptSetParser(document: PromptSetDocument(path: path))
        // Placed at the first byte that is not UTF-8, as the JSON inputs are (a hostile review: at 1:1, whatever the line).
        if let fault = YAMLProblems.encodingProblem(in: data, what: "the file") {
            parser.report(.syntax, PromptSetLocation(line: fault.line, column: fault.column), fault.message)
            return (nil, parser.diagnostics)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            parser.report(.syntax, .start, "the file is not valid UTF-8 text; save it as UTF-8")
            return (nil, parser.diagnostics)
        }
        // Before the YAML limits and parser, which would fault the second line (a hostile review: `lint
        // completions.jsonl` and `analyze c.jsonl c.jsonl` said "invalid YAML: did not find expected <document start>").
        if let what = YAMLProblems.foreignText(text, topLevelKeys: Set(Self.topLevelKeys)) {
            parser.report(.syntax, .start, what + ", not a prompt set; give prompt-set YAML files (PromptSets/*.yaml)"
                + (what.contains("JSON Lines") ? " here, and a completions file as the first argument of `biasaudit analyze`" : ""))
            return (nil, parser.diagnostics)
        }
        if let violation = YAMLInputLimits.check(text) {
            parser.report(violation.isCollectionTag ? .schema : .syntax,
                          PromptSetLocation(line: violation.line, column: violation.column), violation.message)
            return (nil, parser.diagnostics)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text).map(YAMLAliasPlaces.placedAtUse)
        } catch let error as YamlError {
            parser.reportSyntax(error, in: text)
            return (nil, parser.diagnostics)
        } catch {
            parser.report(.syntax, .start, "cannot parse the YAML: \(TextEscaping.excerpt("\(error)", limit: 200))")
            return (nil, parser.diagnostics)
        }
        guard let root, case .mapping(let mapping) = root else {
            let found = root.map(Self.kind) ?? "an empty document"
            parser.report(.schema, Self.location(root), "a prompt set is a YAML mapping (name:, description:, "
                + "axis:, source:, templates:, groups:), found \(found)")
            return (nil, parser.diagnostics)
        }
        // A policy or a results file given as a prompt set (a CI team's review: `lint policy.yaml` listed 6 schema errors).
        let keys = Set(mapping.keys.compactMap(\.string))
        if !keys.contains("templates"), !keys.contains("groups") {
            let other = keys.contains("rules") ? "a check policy (rules:), for biasaudit check --policy"
                : keys.contains("schema_version") && keys.contains("manifest") ? "a biasaudit results file, for report, diff or check"
                : nil
            if let other {
                parser.report(.schema, Self.location(root), "this is \(other), not a prompt set; give a prompt set (name:, "
                    + "templates:, groups:, …)")
                return (nil, parser.diagnostics)
            }
        }
        parser.readTopLevel(mapping, at: Self.location(root))
        return (parser.document, parser.diagnostics)
    }

    // MARK: - Top level

    private mutating func readTopLevel(_ mapping: Node.Mapping, at location: PromptSetLocation) {
        let entries = checkedEntries(mapping, allowed: Self.topLevelKeys, context: "a prompt set")
        for key in ["name", "description", "axis", "source", "groups"] where entries[key] == nil {
            report(.schema, location, "missing required key '\(key)'" + Self.missingKeyHint(key))
        }
        if let node = entries["name"], let name = string(node, key: "name") {
            if Self.isIdentifier(name.value) {
                document.name = name
            } else {
                report(.schema, name.location, "name '\(TextEscaping.excerpt(name.value))' must use only ASCII letters "
                    + "(no accents), digits, '-' and '_' (it starts every prompt id)"
                    + (Self.asciiSuggestion(name.value).map { "; e.g. '\($0)'" } ?? ""))
            }
        }
        for key in ["description", "source"] {
            guard let text = entries[key].flatMap({ string($0, key: key) }) else { continue }
            if key == "description" { document.description = text.value } else { document.source = text.value }
            document.proseLocations[key] = text.location
        }
        document.axis = entries["axis"].flatMap { string($0, key: "axis") }
        // The description and source in other report languages (review: Spanish reports printed them in English).
        if let node = entries["descriptions"] {
            document.descriptions = readTranslations(
                node, key: "descriptions", subject: "'descriptions'", target: "the set's description",
                inLanguage: { "the \($0) description" }, example: "es: Ocupaciones con mayoría de mujeres y de hombres…")
        }
        if let node = entries["sources"] {
            document.sources = readTranslations(
                node, key: "sources", subject: "'sources'", target: "the set's source", inLanguage: { "the \($0) source" },
                example: "es: Nombres: Bertrand y Mullainathan (2004)…")
        }
        // The language the set's own labels, description and source are written in (a Spanish class's set).
        if let node = entries["language"], let language = string(node, key: "language") {
            if PromptGroup.labelLanguages.contains(language.value) {
                document.language = language.value
            } else {
                report(.schema, language.location, "'language' '\(TextEscaping.excerpt(language.value))' is not a report "
                    + "language; use one of " + PromptGroup.labelLanguages.joined(separator: ", ")
                    + " (the language of the set's label:, description: and source:)")
            }
        }
        if let node = entries["templates"] {
            document.templatesKey = Self.location(node)
            document.templates = strings(node, key: "templates")
        }
        if let node = entries["groups"] { readGroups(node) }
        if let node = entries["defaults"] { readDefaults(node) }
        if let node = entries["metrics"] { readMetrics(node) }
        if let node = entries["primary_metrics"] { readPrimaryMetrics(node) }
        if let node = entries["lint"] { readLint(node) }
    }

    private static func missingKeyHint(_ key: String) -> String {
        switch key {
        case "source": "; say where the terms come from (paper, survey, table)"
        case "groups": "; give at least two groups, each with 'terms:' or 'prompts:'"
        default: ""
        }
    }

    // MARK: - Groups

    private mutating func readGroups(_ node: Node) {
        guard case .mapping(let mapping) = node else {
            report(.schema, Self.location(node), "'groups' must be a mapping of group id to group, found "
                + Self.kind(node))
            return
        }
        document.groupsKey = Self.location(node)
        for (keyNode, value) in mapping {
            guard let id = string(keyNode, key: "group id") else { continue }
            let idRefused = !Self.isIdentifier(id.value)
            if idRefused {
                report(.schema, id.location, "group id '\(TextEscaping.excerpt(id.value))' must use only ASCII letters "
                    + "(no accents), digits, '-' and '_' (it is part of every prompt id)"
                    + (Self.asciiSuggestion(id.value).map { "; e.g. '\($0)', with the accented name as its 'label:'" } ?? ""))
                // The group is still read, so that its other faults are said now, not after the id is fixed (a teacher's
                // review: an empty label and a group-size warning appeared only in the next round).
            }
            guard case .mapping(let body) = value else {
                report(.schema, Self.location(value), "group '\(TextEscaping.excerpt(id.value))' must be a mapping with "
                    + "'terms:' or 'prompts:', found \(Self.kind(value))")
                document.unreadGroupCount += 1
                continue
            }
            let entries = checkedEntries(body, allowed: ["label", "labels", "terms", "prompts"], context: "a group")
            var group = PromptSetDocument.Group(id: id)
            group.idRefused = idRefused
            if let node = entries["label"], let label = string(node, key: "label") {
                // As an empty `labels:` entry: an empty name would leave the group nameless in every report.
                if label.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    report(.schema, label.location, "the label of group '\(id.value)' is empty; write the label or leave "
                        + "the key out (the group's id '\(id.value)' is then its label)")
                } else {
                    group.label = label.value
                    group.labelLocations["label"] = label.location
                }
            }
            if let node = entries["labels"] {
                let groupID = id.value
                var locations: [String: PromptSetLocation] = [:]
                group.labels = readTranslations(
                    node, key: "labels", subject: "'labels' of group '\(groupID)'", target: "the group's label",
                    inLanguage: { "the \($0) label of group '\(groupID)'" }, example: "es: Ocupaciones feminizadas",
                    locations: &locations)
                group.labelLocations.merge(locations) { own, _ in own }
            }
            switch (entries["terms"], entries["prompts"]) {
            case (let terms?, nil):
                group.terms = readTerms(terms, group: id.value)
                group.entriesRefused = terms.sequence == nil && !Self.isNull(terms)
            case (nil, let prompts?):
                group.prompts = strings(prompts, key: "prompts")
                group.entriesRefused = prompts.sequence == nil && !Self.isNull(prompts)
            case (.some, .some):
                report(.schema, Self.location(value), "group '\(id.value)' has both 'terms:' and 'prompts:'; a "
                    + "group has one or the other")
            case (nil, nil):
                report(.schema, Self.location(value), "group '\(id.value)' needs 'terms:' (to fill the "
                    + "templates) or 'prompts:' (fixed prompts)")
            }
            document.groups.append(group)
        }
    }

    /// A text in the report languages (``PromptGroup/labelLanguages``): a group's `labels:`, the set's
    /// `descriptions:` and `sources:`, each a mapping of language to a non-empty text.
    /// - Parameters:
    ///   - key: the key as written (`labels`).
    ///   - subject: the key in messages ("'labels' of group 'women'").
    ///   - target: what is translated ("the group's label").
    ///   - inLanguage: one language's text in messages ("the es label of group 'women'").
    ///   - example: an entry to show in the message for a value that is not a mapping.
    private mutating func readTranslations(
        _ node: Node, key: String, subject: String, target: String, inLanguage: (String) -> String, example: String
    ) -> [String: String]? {
        var locations: [String: PromptSetLocation] = [:]
        let texts = readTranslations(node, key: key, subject: subject, target: target, inLanguage: inLanguage,
                                     example: example, locations: &locations)
        if key != "labels" { document.proseLocations.merge(locations) { own, _ in own } }
        return texts
    }

    /// As above; `locations` gets where each text was written, by `key.language` (`labels.es`).
    private mutating func readTranslations(
        _ node: Node, key: String, subject: String, target: String, inLanguage: (String) -> String, example: String,
        locations: inout [String: PromptSetLocation]
    ) -> [String: String]? {
        guard case .mapping(let mapping) = node else {
            report(.schema, Self.location(node), "\(subject) must map a report language to \(target) in it, e.g. "
                + "'\(example)', found \(Self.kind(node))")
            return nil
        }
        var texts: [String: String] = [:]
        for (keyNode, valueNode) in mapping {
            guard let language = string(keyNode, key: "\(key) language") else { continue }
            guard PromptGroup.labelLanguages.contains(language.value) else {
                report(.schema, language.location, "\(subject): '\(TextEscaping.excerpt(language.value))' "
                    + "is not a report language; use one of " + PromptGroup.labelLanguages.joined(separator: ", "))
                continue
            }
            guard let text = string(valueNode, key: "\(key).\(language.value)") else { continue }
            guard !text.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                report(.schema, text.location, "\(inLanguage(language.value)) is empty; write the "
                    + "\(key == "labels" ? "label" : String(key.dropLast())) or leave the language out")
                continue
            }
            texts[language.value] = text.value
            locations["\(key).\(language.value)"] = text.location
        }
        return texts.isEmpty ? nil : texts
    }

    private mutating func readTerms(_ node: Node, group: String) -> [PromptSetLocated<PromptTerm>] {
        guard case .sequence(let sequence) = node else {
            if !Self.isNull(node) {
                report(.schema, Self.location(node), "'terms' of group '\(group)' must be a list, found "
                    + Self.kind(node))
            }
            return []
        }
        var terms: [PromptSetLocated<PromptTerm>] = []
        for item in sequence {
            if case .mapping(let mapping) = item {
                let entries = checkedEntries(mapping, allowed: ["term", "women_share"], context: "a term")
                guard let termNode = entries["term"] else {
                    report(.schema, Self.location(item), "a term written as a mapping needs 'term:' (the text)")
                    continue
                }
                guard let text = string(termNode, key: "term") else { continue }
                var term = PromptTerm(term: text.value)
                if let shareNode = entries["women_share"] {
                    if let advice = YAMLNumbers.underflow(shareNode) {
                        report(.schema, Self.location(shareNode), "'women_share' is "
                            + "\(TextEscaping.excerpt(shareNode.string ?? "")), \(advice)")
                    } else if let share = YAMLNumbers.float(shareNode), share >= 0, share <= 1 {
                        term.womenShare = share == 0 ? 0 : share  // -0 is 0 (a hostile review: "women_share": -0 in results)
                    } else {
                        // The term stays (without its share): dropped, a group of such terms was also said to have no
                        // terms, an error that was not there (a hostile review).
                        report(.schema, Self.location(shareNode), "'women_share' must be a fraction between 0 "
                            + "and 1 (e.g. 0.87 for 87 %), found '\(TextEscaping.excerpt(shareNode.string ?? Self.kind(shareNode)))'"
                            + YAMLNumbers.hint(shareNode))
                    }
                }
                terms.append(PromptSetLocated(value: term, location: Self.location(item)))
            } else if let text = string(item, key: "term") {
                terms.append(PromptSetLocated(value: PromptTerm(term: text.value), location: text.location))
            }
        }
        return terms
    }

    // MARK: - Defaults, metrics, lint

    private mutating func readDefaults(_ node: Node) {
        guard case .mapping(let mapping) = node else {
            report(.schema, Self.location(node), "'defaults' must be a mapping (samples:, max_new_tokens:), "
                + "found \(Self.kind(node))")
            return
        }
        let entries = checkedEntries(mapping, allowed: ["samples", "max_new_tokens"], context: "'defaults'")
        var defaults = PromptSetDefaults()
        defaults.samples = entries["samples"].flatMap {
            positiveInteger($0, key: "defaults.samples", maximum: PromptSetLimits.maximumSamples)
        }
        defaults.maxNewTokens = entries["max_new_tokens"].flatMap {
            positiveInteger($0, key: "defaults.max_new_tokens", maximum: PromptSetLimits.maximumNewTokens)
        }
        document.defaults = defaults
    }

    /// An empty list of metrics (`metrics: []`, `primary_metrics: []`) is refused: read as the key left out (the default
    /// list), it said nothing of being ignored (a teacher's review).
    private mutating func refuseEmptyList(_ node: Node, key: String, meaning: String) {
        guard case .sequence(let sequence) = node, sequence.isEmpty else { return }
        report(.schema, Self.location(node), "'\(key)' is an empty list; name at least one metric, or leave the key out for "
            + meaning)
    }

    private mutating func readMetrics(_ node: Node) {
        refuseEmptyList(node, key: "metrics", meaning: "every metric")
        for name in strings(node, key: "metrics") {
            if let metric = PromptSetMetric(rawValue: name.value) {
                // As primary_metrics refuses a repeat (a hostile review: `metrics: [gender, gender]` passed silently).
                guard !document.metrics.contains(metric) else {
                    report(.schema, name.location, "metric '\(name.value)' is listed twice; keep one")
                    continue
                }
                document.metrics.append(metric)
            } else {
                let known = PromptSetMetric.allCases.map(\.rawValue).joined(separator: ", ")
                report(.unknownMetric, name.location, "unknown metric '\(TextEscaping.excerpt(name.value))'; the audit computes: \(known)")
            }
        }
    }

    /// `primary_metrics`: a subset of the primary bias metrics, each computed by the set's `metrics`.
    private mutating func readPrimaryMetrics(_ node: Node) {
        let allowed = PromptSet.primaryMetricNames
        let names = allowed.map(\.name).joined(separator: ", ")
        refuseEmptyList(node, key: "primary_metrics", meaning: "the default primary metrics (\(names), where the set audits them)")
        for name in strings(node, key: "primary_metrics") {
            guard let entry = allowed.first(where: { $0.name == name.value }) else {
                let why = PromptSet.descriptiveMetricNames.contains(name.value)
                    ? "'\(name.value)' is descriptive (reported, never tested) and cannot be a primary metric"
                    : "unknown primary metric '\(name.value)'"
                report(.unknownMetric, name.location, "\(why); primary_metrics takes a subset of: \(names)")
                continue
            }
            if document.primaryMetrics.contains(where: { $0.value == name.value }) {
                report(.schema, name.location, "primary metric '\(name.value)' is listed twice; keep one")
                continue
            }
            if !document.metrics.isEmpty, !document.metrics.contains(entry.family) {
                report(.unknownMetric, name.location, "primary metric '\(name.value)' is not audited by this set: "
                    + "it needs the metric family '\(entry.family.rawValue)' in 'metrics' (the set has "
                    + document.metrics.map(\.rawValue).joined(separator: ", ") + "); add it there or drop '\(name.value)'")
                continue
            }
            document.primaryMetrics.append(name)
        }
    }

    private mutating func readLint(_ node: Node) {
        guard case .mapping(let mapping) = node else {
            report(.schema, Self.location(node), "'lint' must be a mapping with 'allow:', found \(Self.kind(node))")
            return
        }
        let entries = checkedEntries(mapping, allowed: ["allow"], context: "'lint'")
        guard let allow = entries["allow"] else { return }
        guard case .mapping(let rules) = allow else {
            report(.schema, Self.location(allow), "'lint.allow' must map a warning id to the reason it is "
                + "acknowledged, e.g. 'token-length: the names are the stimulus', found \(Self.kind(allow))")
            return
        }
        for (keyNode, reasonNode) in rules {
            guard let key = string(keyNode, key: "lint.allow key") else { continue }
            guard let rule = LintRule(rawValue: key.value), rule.severity == .warning else {
                let warnings = LintRule.allCases.filter { $0.severity == .warning }.map(\.rawValue)
                report(.schema, key.location, "'\(TextEscaping.excerpt(key.value))' cannot be allowed; only these warnings can: "
                    + warnings.joined(separator: ", "))
                continue
            }
            guard let reason = string(reasonNode, key: "reason") else { continue }
            // `token-length: false` allowed the warning, its reason the word "false" (the set's only place for a yes or
            // no, and a text): true or false is no reason, and false meant the opposite.
            guard !YAMLBooleans.readsAsBoolean(reasonNode) else {
                report(.schema, reason.location, "'lint.allow.\(key.value)' takes the reason the warning is acknowledged, "
                    + "not true or false (found '\(TextEscaping.excerpt(reason.value))', which would allow it all the same); "
                    + "write the reason, e.g. '\(key.value): the design is fixed by the course', or leave '\(key.value)' "
                    + "out to keep the warning")
                continue
            }
            // An empty reason was ignored without a word, and the warning then told the user to do what they had done
            // (review): the reason is the point of allowing a warning.
            guard !reason.value.trimmingCharacters(in: .whitespaces).isEmpty else {
                report(.schema, reason.location, "'lint.allow.\(key.value)' needs a reason (why the warning is acknowledged), "
                    + "e.g. '\(key.value): the design is fixed by the course'")
                continue
            }
            document.allowed[rule] = reason.value
        }
    }

    // MARK: - Node helpers

    private mutating func report(_ rule: LintRule, _ location: PromptSetLocation, _ message: String) {
        diagnostics.append(document.diagnostic(rule, at: location, message))
    }

    private mutating func reportSyntax(_ error: YamlError, in text: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\(TextEscaping.excerpt($0.text)) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            report(.syntax, PromptSetLocation(line: mark.line, column: mark.column),
                   "invalid YAML: " + (YAMLProblems.syntaxProblem(
                       in: text, line: mark.line, column: mark.column, problem: problem, what: "the file",
                       one: "one prompt set; lint and run take several files", templates: true)
                       ?? "\(TextEscaping.excerpt(problem, limit: 200))\(detail)"))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let fault = YAMLProblems.duplicateKeys(duplicates, in: text, line: context.mark.line, column: context.mark.column)
            report(.syntax, PromptSetLocation(line: fault.line, column: fault.column), fault.message)
        case .reader(let problem, let offset, let value, _):
            if let fault = YAMLProblems.readerProblem(in: text, offset: offset, value: value, problem: problem) {
                report(.syntax, PromptSetLocation(line: fault.line, column: fault.column), fault.message)
            } else {
                report(.syntax, .start, "invalid YAML: \(TextEscaping.excerpt(problem, limit: 200))")
            }
        default:
            report(.syntax, .start, "invalid YAML: \(TextEscaping.excerpt("\(error)", limit: 200))")
        }
    }

    /// The mapping's entries by key; reports unknown and non-string keys.
    private mutating func checkedEntries(
        _ mapping: Node.Mapping, allowed: [String], context: String
    ) -> [String: Node] {
        var entries: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report(.schema, Self.location(keyNode), "keys of \(context) must be strings")
                continue
            }
            guard allowed.contains(key) else {
                // A merge key (`<<: *g`), which policies read: said as such (a hostile review: "unknown key '<<'").
                let merge = key == "<<" ? " (prompt sets do not read YAML merge keys: write the keys out; an alias of a "
                    + "whole value, such as terms: *t, works)" : ""
                report(.schema, Self.location(keyNode), "unknown key '\(TextEscaping.excerpt(key))' in \(context)\(merge); "
                    + "expected one of: " + allowed.joined(separator: ", "))
                continue
            }
            entries[key] = value
        }
        return entries
    }

    private mutating func string(_ node: Node, key: String) -> PromptSetLocated<String>? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            // `- {person}` and `- The {person} said:` are mappings of a key without a value to YAML (a teacher's review:
            // "must be a string, found a mapping" did not say why). Told by the null value (Yams 5 gives a parsed mapping
            // its end event's style, so flow and block cannot be told apart): either cause is named.
            let braces = if case .mapping(let mapping) = node, mapping.count == 1, mapping.allSatisfy({ Self.isNull($0.value) }) {
                ": YAML reads a text that starts with '{' or ends with ':' as a mapping; put the text in double quotes "
                    + "(- \"{person} said that\")"
            } else { "" }
            report(.schema, Self.location(node), "'\(key)' must be a string, found \(Self.kind(node))\(braces)")
            return nil
        }
        // A term `!!binary aGU=` was the term 'aGU=', a `!foo` template its text without a word.
        if let problem = YAMLTags.problem(node, expected: .text) {
            report(.schema, Self.location(node), "'\(key)' must be a string, found '\(TextEscaping.excerpt(scalar.string))'\(problem)")
            return nil
        }
        return PromptSetLocated(value: scalar.string, location: Self.location(node))
    }

    private mutating func strings(_ node: Node, key: String) -> [PromptSetLocated<String>] {
        guard case .sequence(let sequence) = node else {
            report(.schema, Self.location(node), "'\(key)' must be a list of strings, found \(Self.kind(node))")
            return []
        }
        return sequence.compactMap { string($0, key: key) }
    }

    private mutating func positiveInteger(_ node: Node, key: String, maximum: Int) -> Int? {
        guard let value = YAMLNumbers.integer(node), value > 0, value <= maximum else {
            report(.schema, Self.location(node), "'\(key)' must be a positive integer of at most \(maximum) "
                + "(README, \"Limits\"), found '\(TextEscaping.excerpt(node.scalar?.string ?? Self.kind(node)))'"
                + YAMLNumbers.hint(node))
            return nil
        }
        return value
    }

    private static func isNull(_ node: Node) -> Bool {
        node.null != nil
    }

    private static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: isNull(node) ? "nothing (null)" : "a string"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private static func location(_ node: Node?) -> PromptSetLocation {
        guard let mark = node?.mark else { return .start }
        return PromptSetLocation(line: mark.line, column: mark.column)
    }

    /// `text` without its accents when that makes it a valid identifier ("jóvenes" → "jovenes"), else nil.
    static func asciiSuggestion(_ text: String) -> String? {
        let folded = text.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: " ", with: "_")
        return folded != text && isIdentifier(folded) && folded.count <= 200 ? folded : nil
    }

    private static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
        }
    }
}
