import AuditResults
import Foundation
import InputFiles
import PromptSets
import Hub

/// One `--model [LABEL=]SPEC` value: the label that names the model everywhere (titles, legends,
/// tables, results.json) and the spec that says where it comes from (Hub id with optional `@revision`,
/// a directory, or an OpenAI-compatible endpoint `http(s)://HOST[:PORT]/v1#SERVED_NAME`, see ``EndpointSpec``).
public struct ModelArgument: Sendable, Equatable {
    /// The label: the one given, else a short unambiguous name (see ``labelled(_:)``).
    public let label: String
    /// The `SPEC` part, as given.
    public let spec: String
    /// Whether the label was given (`LABEL=SPEC`).
    public let hasExplicitLabel: Bool

    /// Creates a value.
    public init(label: String, spec: String, hasExplicitLabel: Bool = true) {
        self.label = label
        self.spec = spec
        self.hasExplicitLabel = hasExplicitLabel
    }

    /// Splits `[LABEL=]SPEC`. The text before the first `=` is a label when it holds no `/` and the
    /// whole value is not an existing directory (as for specs, an existing directory wins).
    /// - Returns: the explicit label (nil without one) and the spec.
    /// - Throws: ``AuditError/usage(_:)`` for an empty or unprintable label or an empty spec.
    public static func split(_ value: String) throws -> (label: String?, spec: String) {
        guard let equals = value.firstIndex(of: "=") else { return (nil, value) }
        let label = String(value[..<equals])
        var isDirectory: ObjCBool = false
        if label.contains("/") || (FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory) && isDirectory.boolValue) {
            return (nil, value)
        }
        let spec = String(value[value.index(after: equals)...])
        guard !label.isEmpty else {
            throw AuditError.usage("--model \(EndpointSpec.redactingCredentials(value)): the label before '=' is empty; write LABEL=SPEC, e.g. small=distilgpt2")
        }
        if let problem = labelProblem(label) {
            // A space that only looks plain is shown as its code (a review: printed as itself, it could not be found).
            let shown = TextEscaping.modelName(String(reflecting: EndpointSpec.redactingCredentials(value)))
            // When a space lookalike is the only fault: a plain space in its place, or none at an end, where a plain
            // space would be refused too (a review).
            let onlyLookalike = labelProblem(label, allowingSpaceLookalikes: true) == nil
            let atAnEnd = [label.unicodeScalars.first, label.unicodeScalars.last].contains { $0.map(NameCharacters.isSpaceLookalike) == true }
            let advice = !onlyLookalike ? "use letters, digits, spaces and punctuation"
                : atAnEnd ? "remove it" : "write a plain space"
            throw AuditError.usage("--model \(shown): the label \(problem); \(advice)")
        }
        guard !spec.isEmpty else {
            throw AuditError.usage("--model \(EndpointSpec.redactingCredentials(value)): nothing after '='; write LABEL=SPEC (a Hub id or a model directory)")
        }
        return (label, spec)
    }

    /// Labels every `--model` value. Given labels are kept and must be unique; a value without one is
    /// named by its Hub id as given, or by its directory's last path component, with parent components
    /// added while two names are equal (`a/gpt2`, `b/gpt2`), never by a full path.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) for a bad or repeated label.
    public static func labelled(_ values: [String]) throws -> [ModelArgument] {
        let parsed = try values.map(split)
        for (_, spec) in parsed {
            if EndpointSpec.isEndpoint(spec) {
                _ = try EndpointSpec(parsing: spec)
            } else if let scheme = EndpointSpec.foreignScheme(spec), !FileManager.default.fileExists(atPath: spec) {
                throw AuditError.usage(
                    "--model \(TextEscaping.excerpt(EndpointSpec.redactingCredentials(spec), limit: 120)): '\(TextEscaping.excerpt(scheme, limit: 20))://' is not accepted; only http(s) endpoints are (an OpenAI-compatible server http(s)://HOST[:PORT]/v1#SERVED_NAME), besides Hub ids and local directories")
            }
        }
        var seen: [String: String] = [:]
        for (value, (label, _)) in zip(values, parsed) {
            guard let label else { continue }
            if let other = seen[label] {
                throw AuditError.usage(
                    // In the order given (a contract review: the second was named first).
                    "--model \(EndpointSpec.redactingCredentials(other)) and --model \(EndpointSpec.redactingCredentials(value)) have the same label '\(label)'; give each model its own label")
            }
            seen[label] = value
        }
        let taken = Set(parsed.compactMap(\.label))
        let components = parsed.map { label, spec in label == nil ? nameComponents(of: spec) : [] }
        var depth = components.map { $0.isEmpty ? 0 : 1 }
        func name(_ index: Int) -> String {
            components[index].suffix(depth[index]).joined(separator: "/")
        }
        // Lengthen every clashing default name by one parent component until the names differ or run out.
        while true {
            let defaults = parsed.indices.filter { parsed[$0].label == nil }
            let clashing = defaults.filter { index in
                taken.contains(name(index)) || defaults.contains { $0 != index && name($0) == name(index) }
            }
            let growable = clashing.filter { depth[$0] < components[$0].count }
            if growable.isEmpty { break }
            for index in growable { depth[index] += 1 }
        }
        var used = taken
        let models = parsed.indices.map { index in
            let (label, spec) = parsed[index]
            if let label { return ModelArgument(label: label, spec: spec) }
            var candidate = name(index)
            var suffix = 2
            while used.contains(candidate) {
                candidate = "\(name(index)) (\(suffix))"
                suffix += 1
            }
            used.insert(candidate)
            return ModelArgument(label: candidate, spec: spec, hasExplicitLabel: false)
        }
        // A name taken from a directory (or Hub id, or served name) is held to what a given label is: it is
        // printed in progress lines, headers and reports, where an ESC or a bidirectional override would act.
        for (value, model) in zip(values, models) where !model.hasExplicitLabel {
            if let refusal = derivedNameRefusal(value, name: model.label) { throw AuditError.usage(refusal) }
        }
        // Two labels that read alike (a Cyrillic "а" beside "a", a fullwidth "ａ") name two models no report tells apart
        // (a hostile review); results files with such ids are refused too.
        var readAlike: [String: Int] = [:]
        for (index, model) in models.enumerated() {
            let key = NameCharacters.readAlikeKey(model.label)
            if let first = readAlike[key] {
                func shown(_ index: Int) -> String {
                    "--model \(TextEscaping.excerpt(EndpointSpec.redactingCredentials(values[index]), limit: 120)) (label "
                        + "'\(TextEscaping.excerpt(NameCharacters.showingLookalikes(models[index].label)))')"
                }
                throw AuditError.usage(
                    "\(shown(first)) and \(shown(index)) have labels that read alike; give each model a label that reads as "
                        + "its own: --model NAME=SPEC")
            }
            readAlike[key] = index
        }
        // A label is repeated in every row of the reports, and a results file with a longer one is refused.
        for (value, model) in zip(values, models) {
            guard let problem = PromptSetLimits.nameLengthProblem(model.label) else { continue }
            throw AuditError.usage(
                "--model \(TextEscaping.excerpt(EndpointSpec.redactingCredentials(value), limit: 120)): the label \(problem); "
                    + (model.hasExplicitLabel ? "give a shorter one" : "give it a shorter one: --model NAME=SPEC"))
        }
        return models
    }

    /// A spec's name as path components, last one the short name: a directory's components (after
    /// resolving `.`, `..` and `~`), an endpoint's served name (else `HOST:PORT`), or the Hub id as one
    /// component (as given).
    private static func nameComponents(of spec: String) -> [String] {
        if EndpointSpec.isEndpoint(spec) {
            return [(try? EndpointSpec(parsing: spec))?.defaultLabel ?? spec]
        }
        guard case .directory(let url)? = try? ModelSpec.parse(spec) else { return [spec] }
        let parts = url.standardizedFileURL.pathComponents.filter { $0 != "/" }
        return parts.isEmpty ? [spec] : parts
    }

    /// The message refusing a name that was not given as a label but taken from the `--model` value `value` (its
    /// directory's last components, or the whole spec where commands name models by it), or nil when `name` can name a
    /// model (``labelProblem(_:allowingSpaceLookalikes:)``). Both are shown quoted and escaped, so that a trailing space
    /// or an ESC is seen. `allowingSpaceLookalikes` for a whole spec that names a model only in printed lines (`generate`,
    /// `next-token`, `bench`): a parent folder may hold a no-break space that no report compares with another name.
    public static func derivedNameRefusal(_ value: String, name: String, allowingSpaceLookalikes: Bool = false) -> String? {
        guard let problem = labelProblem(name, allowingSpaceLookalikes: allowingSpaceLookalikes) else { return nil }
        let (value, name) = (EndpointSpec.redactingCredentials(value), EndpointSpec.redactingCredentials(name))
        // A long value keeps its start and its end, where a trailing space or an ESC in the last component is (code
        // review: cut at 120 characters, the fault it reported was not shown).
        func shortened(_ text: String) -> String {
            text.count <= 120 ? text : String(text.prefix(60)) + "…" + String(text.suffix(59))
        }
        func quoted(_ text: String) -> String { TextEscaping.modelName(TextEscaping.quoted(shortened(text))) }
        let what = name == value ? "the name" : "the name \(quoted(name)) taken from it"
        // A space around the value itself is a typo to remove: a label would not help, the value keeps its space (a code
        // review: "give the model a label", then "it ends with a space; remove it").
        let advice = name == value && value.trimmingCharacters(in: .whitespacesAndNewlines) != value
            ? "remove it" : "give the model a label: --model NAME=SPEC"
        return "--model \(quoted(value)): \(what) \(problem); \(advice)"
    }

    /// Why `label` cannot name a model, or nil: control, format or unassigned characters, leading or trailing white
    /// space, or (unless `allowingSpaceLookalikes`) white space that prints as a plain space but is not one (U+00A0,
    /// U+3000, …: "gpt2 ft" and "gpt2\u{A0}ft" would read alike in a report).
    public static func labelProblem(_ label: String, allowingSpaceLookalikes: Bool = false) -> String? {
        // Unicode's White_Space, not Foundation's set, which holds the invisible U+200B (a hostile review: `a\u{200B}` was
        // said to end with white space; it holds an unprintable character).
        if let first = label.unicodeScalars.first, let last = label.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        {
            return "starts or ends with white space"
        }
        if let unprintable = TextEscaping.firstUnprintable(label) {
            return "holds an unprintable character (\(NameCharacters.code(unprintable)))"
        }
        if !allowingSpaceLookalikes, let space = NameCharacters.firstSpaceLookalike(label) {
            return "holds \(NameCharacters.spaceLookalikeName(space)), which prints as a plain space"
        }
        return nil
    }
}
