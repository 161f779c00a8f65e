import AuditResults
import Foundation
import InputFiles
import PromptSets
import Yams

/// Reads a policy file (YAML) into a ``Policy`` with Yams' node API, so that every error names the
/// line and column of the offending value.
///
/// ```yaml
/// version: 1                      # optional; the only version is 1
/// description: Release gate       # optional
/// rules:
///   - id: race-sentiment          # optional; default <kind>-<n>
///     kind: max_abs_contrast      # max_abs_contrast | max_model_difference | max_baseline_growth | min_lexicon_coverage
///     metric: sentiment           # required for max_abs_contrast and max_model_difference
///     axis: race                  # optional filters: axis, set, model
///     max: 0.10
///     only_when_q_below: 0.05     # max_abs_contrast only
///   - kind: max_model_difference
///     metric: sentiment
///     max: 0.10
///     only_when_significant: true # max_model_difference only (older name: only_when_ci_excludes_zero)
/// ```
/// A policy holds 1 to ``Policy/maximumRules`` rules.
/// Errors are ``AuditError/badInput(path:reason:)`` with `path` = `file:line:col` (exit 65).
public enum PolicyParser {
    private static let topLevelKeys = ["version", "description", "rules"]
    private static let filterKeys = ["metric", "axis", "set", "model"]
    private static let commonKeys = ["id", "kind", "description"]
    /// The longest rule id (README, "Policy files").
    static let maximumIdentifierLength = 100
    private static let kindNames = ["max_abs_contrast", "max_model_difference", "max_baseline_growth", "min_lexicon_coverage"]
    /// A rule to copy, quoted in every message about missing or empty rules (one line of YAML flow style).
    static let exampleRule = "{kind: max_abs_contrast, metric: sentiment, max: 0.10}"

    /// Reads a policy file from disk.
    /// - Parameters:
    ///   - url: the file.
    ///   - displayPath: the path as the user named it (defaults to `url.path`).
    /// - Throws: ``AuditError/io(path:reason:)`` when unreadable, else as ``parse(_:path:)``.
    public static func load(at url: URL, displayPath: String? = nil) throws -> Policy {
        let path = displayPath ?? url.path
        let data = try InputFile.read(url, path: path, what: "the policy file", limit: InputFile.Limit.text)
        return try parse(data, path: path)
    }

    /// Parses a policy.
    /// - Parameters:
    ///   - data: the file's bytes (UTF-8 YAML).
    ///   - path: the file as the user named it, used in every message.
    /// - Throws: ``AuditError/badInput(path:reason:)`` at the first problem, with `file:line:col`.
    public static func parse(_ data: Data, path: String) throws -> Policy {
        // Placed at the first byte that is not UTF-8, as the JSON inputs are (a hostile review: at 1:1, whatever the line).
        if let fault = YAMLProblems.encodingProblem(in: data, what: "the policy") {
            throw failure(path, PolicyLocation(line: fault.line, column: fault.column), fault.message)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure(path, .start, "the policy is not valid UTF-8 text; save it as UTF-8")
        }
        // Before the YAML limits and parser, which would fault the second line (a JSON Lines file is no YAML).
        if let refusal = foreignTextRefusal(text) { throw failure(path, .start, refusal) }
        if let violation = YAMLInputLimits.check(text) {
            throw failure(path, PolicyLocation(line: violation.line, column: violation.column), violation.message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text).map(YAMLAliasPlaces.placedAtUse)
        } catch let error as YamlError {
            throw syntaxFailure(path, error, in: text)
        }
        guard let root, case .mapping(let mapping) = root else {
            throw failure(path, location(root), "a policy is a YAML mapping with 'rules:' (a list of rules), found "
                + (root.map(kind) ?? "an empty document") + "; write e.g. rules: [\(exampleRule)]")
        }
        // A results file given as the policy (the arguments swapped: `check policy.yaml --policy results.json`; JSON is
        // YAML): said so, not "unknown key 'manifest'" (practitioner's review).
        if mapping.keys.contains(where: { $0.string == "schema_version" }), mapping.keys.contains(where: { $0.string == "manifest" }) {
            throw failure(path, location(root), "this is a biasaudit results file, not a policy; give a policy (a YAML "
                + "file of rules:) with --policy and the results file before it: biasaudit check results.json --policy policy.yaml")
        }
        // A prompt set given as the policy (a CI team's review: "unknown key 'name' in a policy").
        // `groups:` alone tells: a set of fixed prompts has no `templates:` (a code review).
        if mapping.keys.contains(where: { $0.string == "groups" }), !mapping.keys.contains(where: { $0.string == "rules" })
        {
            throw failure(path, location(root), "this is a prompt set, not a policy; give a policy (a YAML file of rules:) "
                + "with --policy, and prompt sets to run or lint")
        }
        let entries = try checkedEntries(mapping, allowed: topLevelKeys, context: "a policy", path: path)
        if let version = entries["version"], YAMLNumbers.integer(version) != 1 {
            // `version: !!str 1` was an "unsupported policy version '1'; this biasaudit reads version 1".
            if let problem = YAMLTags.problem(version, expected: .number) {
                throw failure(path, location(version), "the policy version must be the number 1, found "
                    + "'\(TextEscaping.excerpt(version.string ?? kind(version)))'\(problem)")
            }
            if case .scalar(let scalar) = version, scalar.style != .plain {
                // `version: "1"`: the version is a number, and a quoted one is a string.
                throw failure(path, location(version), "the policy version must be the number 1, not the string "
                    + "'\(TextEscaping.excerpt(scalar.string))'; write version: 1 without quotes")
            }
            // `version: 1.0` or `1e0` is one in another notation: say to write it so (a hostile review).
            let isOne = YAMLNumbers.float(version) == 1
            // `version:` with no value is told so, not quoted as '' (a practitioner's review).
            if isNull(version) {
                throw failure(path, location(version), "'version' is given nothing (null); write version: 1, or leave it out")
            }
            // A list or a mapping is no version at all (a review: "unsupported policy version a list").
            guard let text = version.string else {
                throw failure(path, location(version), "'version' must be the number 1, found \(kind(version)); write version: 1")
            }
            throw failure(path, location(version), "unsupported policy version '\(TextEscaping.excerpt(text))'; "
                + "this biasaudit reads version 1" + (isOne ? "; write it as the whole number 1 (version: 1)" : "")
                + (isOne ? "" : YAMLNumbers.hint(version)))
        }
        if let description = entries["description"] { _ = try described(description, path: path) }
        guard let rulesNode = entries["rules"] else {
            throw failure(path, location(root), "the policy has no 'rules:'; add a list of rules, e.g. "
                + "rules: [\(exampleRule)]")
        }
        let isEmptyList = rulesNode.sequence?.isEmpty == true
        if isEmptyList || isNull(rulesNode) {
            // `rules: []`, `rules:` and `rules: null`: a gate with nothing to check would pass every run.
            throw failure(path, location(rulesNode), "the policy has no rules ('rules' is "
                + (isEmptyList ? "an empty list" : "empty") + "), so it would pass every run; add at least one rule, "
                + "e.g. rules: [\(exampleRule)]")
        }
        guard case .sequence(let sequence) = rulesNode else {
            throw failure(path, location(rulesNode), "'rules' must be a list of rules, found \(kind(rulesNode)); "
                + "write e.g. rules: [\(exampleRule)]")
        }
        guard sequence.count <= Policy.maximumRules else {
            throw failure(path, location(rulesNode), "the policy has \(sequence.count) rules; a policy holds at most "
                + "\(Policy.maximumRules) (check evaluates each against every row it matches); leave out a filter to let one rule "
                + "cover every set, model or axis, or split the policy into several files and run check with each")
        }
        var rules: [PolicyRule] = []
        var byID: [String: PolicyRule] = [:]  // a dictionary, so that many rules stay linear
        var byPlace: [String: Int] = [:]
        var byCheck: [String: Int] = [:]
        var warnings: [PolicyWarning] = []
        for (index, node) in sequence.enumerated() {
            // An alias (`- *r`) is the anchored rule again, read at the anchor's place: it checked every row twice and
            // doubled the failures (a CI team's review).
            if let mark = node.mark, let earlier = byPlace.updateValue(index, forKey: "\(mark.line):\(mark.column)") {
                // Placed at the anchor, where YAML places an alias (a final review: the place alone pointed at the rule to
                // keep), so the message says which is which.
                throw failure(path, location(node), "rule \(index + 1) repeats rule \(earlier + 1), which is here, through a "
                    + "YAML alias (`- *name`; YAML places an alias at its anchor): the same rule twice, each row checked "
                    + "twice; remove the alias, or write a rule of its own")
            }
            let rule = try readRule(node, index: index, path: path, warnings: &warnings)
            // The same check written again (a merge key `<<: *r`, or a copy): each row would be checked, and fail, twice.
            let check = "\(rule.kind)|\(String(describing: rule.filter.metric?.value))|\(rule.filter.axis?.value ?? "")|"
                + "\(rule.filter.set?.value ?? "")|\(rule.filter.model?.value ?? "")"
            if let earlier = byCheck.updateValue(index, forKey: check) {
                throw failure(path, rule.location, "rule \(index + 1) checks what rule \(earlier + 1) checks (the same kind, "
                    + "filters and limits), so each row would be checked twice; remove one")
            }
            if let earlier = byID.updateValue(rule, forKey: rule.id) {
                // A rule without `id:` gets `<kind>-<position>`, which another rule may have written (a practitioner's
                // review: the message read as if the rule had written it).
                let written = writesID(node)
                throw failure(path, rule.location, (written ? "rule id '\(rule.id)'" : "rule \(index + 1) has no id, and its "
                    + "default id '\(rule.id)'") + " is already used by the rule at line \(earlier.location.line); give each "
                    + "rule its own id")
            }
            rules.append(rule)
        }
        return Policy(path: path, rules: rules, warnings: warnings)
    }

    /// Whether a rule's mapping gives `id:`, itself or through a merge key (`<<: *base`, `<<: [*a, *b]`), so that a
    /// clash is said of the id written, not of a default (code reviews: a merged id was called a default, and a
    /// written one equal to the default too).
    private static func writesID(_ node: Node) -> Bool {
        guard let mapping = node.mapping else { return false }
        if mapping["id"] != nil { return true }
        guard let merged = mapping["<<"] else { return false }
        return writesID(merged) || (merged.sequence?.contains(where: writesID) ?? false)
    }

    /// Reads one rule; a limit at its metric's reach is appended to `warnings` (``PolicyWarning``).
    private static func readRule(_ node: Node, index: Int, path: String, warnings: inout [PolicyWarning]) throws -> PolicyRule {
        let at = location(node)
        guard case .mapping(let written) = node else {
            throw failure(path, at, "rule \(index + 1) must be a mapping with 'kind:', found \(kind(node)); write e.g. "
                + "- \(exampleRule)")
        }
        let mapping = try mergingKeys(written, path: path)
        guard let kindNode = mapping["kind"] else {
            let what = mapping.isEmpty ? "is empty (no kind, no limit)" : "has no 'kind'"
            throw failure(path, at, "rule \(index + 1) \(what); use one of " + kindNames.joined(separator: ", ")
                + ", e.g. - \(exampleRule)")
        }
        let kindName = try string(kindNode, key: "kind", path: path)
        guard kindNames.contains(kindName) else {
            throw failure(path, location(kindNode), "unknown rule kind '\(TextEscaping.excerpt(kindName))'; use one of "
                + kindNames.joined(separator: ", "))
        }
        let specific: [String] =
            switch kindName {
            case "max_abs_contrast": ["max", "only_when_q_below"]
            case "max_model_difference": ["max", "only_when_significant", "only_when_ci_excludes_zero"]
            case "max_baseline_growth": ["max"]
            default: ["min"]
            }
        let allowedFilters = kindName == "min_lexicon_coverage" ? filterKeys.filter { $0 != "metric" } : filterKeys
        let entries = try checkedEntries(
            mapping, allowed: commonKeys + allowedFilters + specific, context: "a \(kindName) rule", path: path)

        let id: String
        if let idNode = entries["id"] {
            id = try string(idNode, key: "id", path: path)
            guard isIdentifier(id) else {
                throw failure(path, location(idNode), "rule id '\(TextEscaping.excerpt(id))' must use only ASCII letters (no accents), digits, "
                    + "'-', '_' and '.'")
            }
            // Every check line, JUnit case and step-summary row repeats the id: a 3 MB id made 12 MB of JUnit (review).
            guard id.utf8.count <= maximumIdentifierLength else {
                throw failure(path, location(idNode), "rule id '\(TextEscaping.excerpt(id))' is \(id.utf8.count) characters "
                    + "long; an id has at most \(maximumIdentifierLength)")
            }
        } else {
            id = "\(kindName)-\(index + 1)"
        }
        let filter = try readFilter(entries, path: path)
        let ruleKind: PolicyRule.Kind
        switch kindName {
        case "max_abs_contrast":
            let q = try entries["only_when_q_below"].map { try number($0, key: "only_when_q_below", in: 0...1, path: path) }
            if let q, q == 0 {
                throw failure(path, location(entries["only_when_q_below"]), "'only_when_q_below' must be above 0 "
                    + "(no q-value is below 0); use e.g. 0.05")
            }
            ruleKind = .maxAbsContrast(max: try limit(entries, "max", kind: kindName, at: at, path: path), onlyWhenQBelow: q)
        case "max_model_difference":
            // `only_when_ci_excludes_zero` is the option's older name; it now means the same verdict-based
            // significance (a CI of B − A that excludes 0 says nothing about |B| vs |A|).
            if entries["only_when_significant"] != nil, let older = entries["only_when_ci_excludes_zero"] {
                throw failure(path, location(older), "give 'only_when_significant' or its older name "
                    + "'only_when_ci_excludes_zero', not both; keep 'only_when_significant'")
            }
            let key = entries["only_when_significant"] != nil ? "only_when_significant" : "only_when_ci_excludes_zero"
            let significant = try entries[key].map { try bool($0, key: key, path: path) }
            ruleKind = .maxModelDifference(max: try limit(entries, "max", kind: kindName, at: at, path: path),
                                           onlyWhenSignificant: significant ?? false)
        case "max_baseline_growth":
            ruleKind = .maxBaselineGrowth(max: try limit(entries, "max", kind: kindName, at: at, path: path))
        default:
            guard let node = entries["min"] else {
                throw failure(path, at, "rule '\(id)' (min_lexicon_coverage) needs 'min:', a share between 0 and 1")
            }
            let least = try number(node, key: "min", in: 0...1, path: path)
            // A coverage fails below its limit, so `min: 0` passes every run: said, as a `max` at its metric's reach is.
            if least == 0 {
                warnings.append(PolicyWarning(
                    ruleID: id, location: location(node),
                    message: "'min' on lexicon_coverage is a share (0…1), found \(TextEscaping.excerpt(node.string ?? "0")): "
                        + "no coverage is below 0, so the rule cannot fail (a check fails below its limit); write a share "
                        + "above 0, e.g. 0.5 for half of the continuations with a VADER word"))
            }
            ruleKind = .minLexiconCoverage(min: least)
        }
        if let metric = filter.metric, !metric.value.isPrimary, kindName == "max_model_difference" || kindName == "max_baseline_growth" {
            // Descriptive metrics are never compared between models or runs: such a rule could never check anything
            // (review: it passed with "the results hold nothing this rule checks").
            throw failure(path, metric.location, "metric '\(metric.value.rawValue)' is descriptive: model comparisons and "
                + "baseline growth cover the primary metrics only ("
                + AuditMetric.allCases.filter(\.isPrimary).map(\.rawValue).joined(separator: ", ")
                + "); limit its group contrasts with max_abs_contrast instead")
        }
        if let node = entries["max"], case let value = ruleKind.limit {
            // Reports print rates in percentage points; a limit is a proportion (review: `max: 10` on negative_rate
            // passed a gap of 82 pp without a word). A model difference of two rate contrasts reaches 2 (200 pp).
            // A limit beyond what the metric can reach can never fail (review: `max: 3` on sentiment, whose contrasts
            // lie in −2…2, passed every run); log-odds reach what a results file holds (2·10⁶ for a contrast).
            let found = TextEscaping.excerpt(node.string ?? "\(value)")
            if let metric = filter.metric, let reach = Self.largestMeasured(kindName, metric.value), value >= reach.most {
                guard value == reach.most else {
                    throw failure(path, location(node), "'max' on \(metric.value.rawValue) is \(reach.what), found \(found); "
                        + (metric.value.isRate
                            ? Self.percentagePointsAdvice(value, reach: reach.most)
                            : "no run can exceed it, so the rule could never fail: write at most "
                                + "\(ReportNumbers.plain(reach.most)), e.g. \(Self.exampleLimit(metric.value))"))
                }
                // A check fails above its limit, so a limit at the reach cannot fail either (review 80: `max: 2` on a
                // sentiment contrast; `max: 1` on a rate, which may mean one percentage point). Accepted, as 9b41e14 has
                // it (a limit that passes every run may be meant: the end-to-end tests use `max: 2` on sentiment), and said.
                warnings.append(PolicyWarning(
                    ruleID: id, location: location(node),
                    message: "'max' on \(metric.value.rawValue) is \(reach.what), found \(found): the limit equals the "
                        + "largest value the metric can reach, so the rule cannot fail (a check fails above its limit); "
                        + (metric.value.isRate
                            ? "limits on rates and shares are proportions: 0.01 means one percentage point, 0.10 ten"
                            : "write less than \(ReportNumbers.plain(reach.most)), e.g. \(Self.exampleLimit(metric.value)), "
                                + "for a rule that can fail")))
            } else if let metric = filter.metric, metric.value.isRate, value >= 1 {
                // A model difference of rates reaches 2, so 1 is accepted, but it allows 100 pp (a practitioner's review:
                // `max: 1` passed without a word, where the same limit on a contrast is said).
                warnings.append(PolicyWarning(
                    ruleID: id, location: location(node),
                    message: "'max' on \(metric.value.rawValue) is "
                        + "\(Self.largestMeasured(kindName, metric.value)?.what ?? "a proportion"), found \(found): limits on rates "
                        + "and shares are proportions, so this allows a change of \(ReportNumbers.plain(value * 100)) "
                        + "percentage points; 0.01 means one percentage point, 0.10 ten", cannotFail: false))
            } else if filter.metric == nil, kindName == "max_baseline_growth", value > 1 {
                throw failure(path, location(node), "a max_baseline_growth rule without 'metric:' applies its 'max' to every "
                    + "metric, rates and shares as proportions (0…1), found \(found); give 'metric:' for a limit above 1 "
                    + "(sentiment, he_she_log_odds), or " + Self.percentagePointsAdvice(value, reach: 1))
            } else if filter.metric == nil, kindName == "max_baseline_growth", value == 1 {
                warnings.append(PolicyWarning(
                    ruleID: id, location: location(node),
                    message: "a max_baseline_growth rule without 'metric:' applies its 'max' to every metric, rates and "
                        + "shares as proportions (0…1), found \(found): their growth cannot exceed 1, so on them the rule "
                        + "cannot fail; 0.01 means one percentage point, 0.10 ten (or give 'metric:')", cannotFail: false))
            }
        }
        if filter.metric == nil, kindName == "max_abs_contrast" || kindName == "max_model_difference" {
            throw failure(path, at, "rule '\(id)' (\(kindName)) needs 'metric:' (limits differ by metric); use one of "
                + AuditMetric.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let description = try entries["description"].map { try described($0, path: path) }
        return PolicyRule(id: id, kind: ruleKind, filter: filter, description: description, location: at)
    }

    /// The proportion to write for a limit `value` that was meant in percentage points: "write 0.05 for a gap of 5
    /// percentage points" (a practitioner's review: 5, 1.5 and 50 were all told "write 0.10 for … 10"). A value whose
    /// proportion is not below `reach` (the largest value the rule can measure) gets the example instead.
    static func percentagePointsAdvice(_ value: Double, reach: Double) -> String {
        // Only a proportion below the rule's reach (1 for a contrast or a growth, 2 for a model difference) can fail: at
        // the reach it is the limit that cannot (a review: `max: 100` was told "write 1"). Twelve significant digits, so
        // that 1.234 is told 0.01234, not a rounded 0.0123; the proportion is judged as printed.
        let proportion = String(format: "%.12g", value / 100)
        guard value > 0, let printed = Double(proportion), printed < reach else {
            return "write 0.10 for a gap of 10 percentage points"
        }
        let points = String(format: "%.12g", value)
        return "write \(proportion) for a gap of \(points) percentage point\(points == "1" ? "" : "s")"
    }

    /// A limit to suggest for `metric` beside a limit that cannot fail: 0.10 (a mean compound, a proportion), 0.5 for
    /// log-odds (nats).
    private static func exampleLimit(_ metric: AuditMetric) -> String { metric == .heSheLogOdds ? "0.5" : "0.10" }

    /// The largest value a rule of `kind` can measure on `metric`, with what that value is, or nil for the descriptive
    /// metrics without a bound of their own. A group's level lies in 0…1 for a rate or share, in −1…1 for mean sentiment
    /// (a VADER compound) and within ±10⁶ for the he/she log-odds as a results file holds them
    /// (`AuditResult.maximumLogOdds`), so a contrast's size (`max_abs_contrast`) and its growth |B| − |A|
    /// (`max_baseline_growth`) reach the level scale's width, and a change of a contrast between models
    /// (`max_model_difference`) twice that.
    private static func largestMeasured(_ kind: String, _ metric: AuditMetric) -> (most: Double, what: String)? {
        let change = kind == "max_model_difference"
        if metric.isRate {
            return change ? (2, "a change of two differences of proportions (at most 2)") : (1, "a proportion (0…1)")
        }
        if metric == .heSheLogOdds {
            // A results file holds levels of at most 10⁶ in size (`AuditResult.maximumLogOdds`): no log-odds of a run
            // reaches that (float32 probabilities reach e^−104), but a limit beyond what the file can hold never fails.
            let level = AuditResult.maximumLogOdds
            let most = change ? 4 * level : 2 * level
            let what = switch kind {
            case "max_model_difference": "a change of two differences of he/she log-odds, each level"
            case "max_baseline_growth": "a growth |B| − |A| of differences of he/she log-odds, each level"
            default: "a difference of two he/she log-odds levels, each"
            }
            return (most, what + " at most 10⁶ in size in a results file, at most \(ReportNumbers.plain(most))")
        }
        guard metric == .sentiment else { return nil }
        switch kind {
        case "max_model_difference":
            return (4, "a change of two differences of mean VADER compounds (−1…1), at most 4")
        case "max_baseline_growth":
            return (2, "a growth |B| − |A| of differences of mean VADER compounds (−1…1), at most 2")
        default:
            return (2, "a difference of two mean VADER compounds (−1…1), at most 2")
        }
    }

    private static func readFilter(_ entries: [String: Node], path: String) throws -> PolicyFilter {
        func located(_ key: String) throws -> PolicyLocated<String>? {
            guard let node = entries[key] else { return nil }
            return PolicyLocated(try string(node, key: key, path: path), at: location(node))
        }
        var filter = PolicyFilter(axis: try located("axis"), set: try located("set"), model: try located("model"))
        if let metric = try located("metric") {
            guard let value = AuditMetric(rawValue: metric.value) else {
                throw failure(path, metric.location, "unknown metric '\(TextEscaping.excerpt(metric.value))'; use one of "
                    + AuditMetric.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.metric = PolicyLocated(value, at: metric.location)
        }
        return filter
    }

    /// The limit `key` of a rule of kind `kind`; its absence is told with an example of that kind (a practitioner's
    /// review: a `max_baseline_growth` rule was shown a `max_abs_contrast` one).
    private static func limit(_ entries: [String: Node], _ key: String, kind: String, at: PolicyLocation, path: String) throws -> Double {
        guard let node = entries[key] else {
            throw failure(path, at, "this rule needs '\(key):', a non-negative number (the largest value that passes), "
                + "e.g. {kind: \(kind), metric: sentiment, \(key): 0.10}")
        }
        return try number(node, key: key, in: 0...Double.greatestFiniteMagnitude, path: path)
    }

    // MARK: - Scalars

    /// A `description:` of at most ``PromptSetLimits/maximumTextLength`` characters, as a prompt set's texts: it is
    /// printed once per failing rule and written into the JUnit file once per failing check (hostile tester: a 7 MB
    /// description repeated by aliases over 25 rules wrote a 367 MB JUnit file with 2.35 GB of memory).
    private static func described(_ node: Node, path: String) throws -> String {
        let text = try string(node, key: "description", path: path)
        // Unicode scalars, as a prompt set's texts: counted in grapheme clusters, 8,000 letters with 430 combining
        // marks each passed and wrote 689 MB of JUnit (code review).
        if let problem = NameCharacters.lengthProblem(text, limit: PromptSetLimits.maximumTextLength) {
            throw failure(path, location(node), "'description' \(problem); shorten it")
        }
        return text
    }

    private static func string(_ node: Node, key: String, path: String) throws -> String {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            throw failure(path, location(node), "'\(key)' must be a string, found \(kind(node))")
        }
        // `model: !!binary Z3B0Mg==` was the model 'Z3B0Mg==', not gpt2.
        if let problem = YAMLTags.problem(node, expected: .text) {
            throw failure(path, location(node), "'\(key)' must be a string, found '\(TextEscaping.excerpt(scalar.string))'\(problem)")
        }
        return scalar.string
    }

    /// Whether a scalar was written in quotes (`"0.05"`, `'0.05'`).
    private static func quoted(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .singleQuoted || scalar.style == .doubleQuoted
    }

    private static func number(_ node: Node, key: String, in range: ClosedRange<Double>, path: String) throws -> Double {
        // `max: !!str 0.1` is a string by its tag, like "0.1", and was read as a number (review).
        guard case .scalar(let scalar) = node, scalar.tag.rawValue != Tag.Name.str.rawValue,
            var value = YAMLNumbers.float(node), value.isFinite
        else {
            let text = node.string ?? kind(node)
            // `max: 5%` and `max: "0.05"` (review): say what to write.
            let hint = YAMLTags.written(on: node) != nil ? YAMLNumbers.hint(node)
                : text.trimmingCharacters(in: .whitespaces).hasSuffix("%") ? "; write a proportion, e.g. 0.05 for 5%"
                : quoted(node) && YAMLNumbers.isDecimal(text, fraction: true)
                    && (Double(text.trimmingCharacters(in: .whitespaces))?.isFinite ?? false)
                    ? quotedAdvice(text, in: range)
                : outOfRangeNotation(node, in: range) ?? YAMLNumbers.hint(node)
            // A decimal too large for a double (`1e400`): out of range, not "not a number" (review). YAML's `.inf` and `.nan`
            // are no decimal numbers: "must be a number", with the hint to give a finite one.
            if let read = YAMLNumbers.float(node), !read.isFinite {
                throw failure(path, location(node), "'\(key)' is out of range, found '\(TextEscaping.excerpt(text))'; give a "
                    + "finite number")
            }
            // A list, a mapping or nothing is named, not quoted (a practitioner's review: "found 'a list'", "found 'null'").
            let found = node.string == nil || isNull(node) ? kind(node) : "'\(TextEscaping.excerpt(text))'"
            throw failure(path, location(node), "'\(key)' must be a number, found \(found)\(hint)")
        }
        if let advice = YAMLNumbers.underflow(node) {
            throw failure(path, location(node), "'\(key)' is \(TextEscaping.excerpt(scalar.string)), \(advice)")
        }
        if value == 0 { value = 0 }  // -0.0 printed as "> -0.0000" (review)
        guard range.contains(value) else {
            throw failure(path, location(node), "'\(key)' must be \(bounds(range)), found "
                + "\(TextEscaping.excerpt(node.string ?? "\(value)"))\(percentAdvice(value, in: range))")
        }
        return value
    }

    /// For a decimal in quotes, to write it without them, or (out of `range`, a second review: `min: "50"` was told to
    /// lose its quotes, then refused) the range and, for a percent, its proportion.
    private static func quotedAdvice(_ text: String, in range: ClosedRange<Double>) -> String {
        let value = Double(text.trimmingCharacters(in: .whitespaces)) ?? 0
        guard !range.contains(value) || (value == 0 && text.contains(where: { $0 >= "1" && $0 <= "9" })) else {
            return "; write it without quotes (\(TextEscaping.excerpt(text)))"
        }
        return rangeAdvice("write a number without quotes", value, in: range, percent: true)
    }

    /// "; `lead`, between 0.0 and 1.0", and where `percent` and `value` reads as a percent of a 0…1 key, ", as a
    /// proportion: write 0.5 for 50%".
    private static func rangeAdvice(_ lead: String, _ value: Double, in range: ClosedRange<Double>, percent: Bool) -> String {
        "; \(lead), \(bounds(range))" + (percent ? proportion(value, in: range).map { ", as a proportion: \($0)" } ?? "" : "")
    }

    /// "between 0.0 and 1.0", or "at least 0.0" for a range without an upper bound.
    private static func bounds(_ range: ClosedRange<Double>) -> String {
        range.upperBound == .greatestFiniteMagnitude ? "at least \(range.lowerBound)"
            : "between \(range.lowerBound) and \(range.upperBound)"
    }

    /// A share or q-value written in percent (`min: 50`, `only_when_q_below: 5`; review): its proportion; else empty.
    private static func percentAdvice(_ value: Double, in range: ClosedRange<Double>) -> String {
        proportion(value, in: range).map { "; it is a proportion: \($0)" } ?? ""
    }

    /// "write 0.5 for 50%" for a value of a 0…1 key that reads as a percent (above 1, at most 100); nil otherwise.
    private static func proportion(_ value: Double, in range: ClosedRange<Double>) -> String? {
        guard range == 0...1, value > 1, value <= 100 else { return nil }
        return "write \(String(format: "%.12g", value / 100)) for \(String(format: "%.12g", value))%"
    }

    /// For a number in another notation whose value is out of `range` (`min: 0x32` on a share), the advice to write a
    /// decimal in range, not the decimal it reads as (a review: "e.g. 50" on a key between 0 and 1, which then was
    /// refused); nil when the notation's value is in range or it is no number.
    private static func outOfRangeNotation(_ node: Node, in range: ClosedRange<Double>) -> String? {
        guard YAMLTags.written(on: node) == nil, let value = node.float, value.isFinite, !range.contains(value) else {
            return nil
        }
        // Base 60 (`1:30`, 90) is no percent someone meant.
        return rangeAdvice("write numbers in decimal digits", value, in: range, percent: node.string?.contains(":") != true)
    }

    /// true or false as YAML 1.2 writes them (``YAMLBooleans``): Yams read `yes`, `on` and `tRuE` as true, where YAML 1.2
    /// and JSON read strings.
    private static func bool(_ node: Node, key: String, path: String) throws -> Bool {
        guard let value = YAMLBooleans.value(node) else {
            let found = node.scalar == nil || isNull(node) ? kind(node) : "'\(TextEscaping.excerpt(node.scalar?.string ?? ""))'"
            throw failure(path, location(node), "'\(key)' must be true or false, found \(found)\(YAMLBooleans.hint(node))")
        }
        return value
    }

    /// The mapping's entries by key; refuses unknown and non-string keys.
    private static func checkedEntries(
        _ mapping: Node.Mapping, allowed: [String], context: String, path: String
    ) throws -> [String: Node] {
        var entries: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw failure(path, location(keyNode), "keys of \(context) must be strings, found \(kind(keyNode))")
            }
            guard allowed.contains(scalar.string) else {
                throw failure(path, location(keyNode), "unknown key '\(TextEscaping.excerpt(scalar.string))' in \(context); allowed: "
                    + allowed.joined(separator: ", "))
            }
            entries[scalar.string] = value
        }
        return entries
    }

    /// A rule with YAML merge keys (`<<: *base`, YAML 1.1's merge type; practitioner's review: a rule written so was
    /// refused as having "no 'kind'"): the merged mappings' keys, then the rule's own, which override them; of several
    /// merged mappings (`<<: [*a, *b]`) the first that has a key gives it. Merges nest. Linear in the keys (review: a
    /// quadratic merge of 40,000 keys took two minutes before the unknown keys were refused).
    /// - Throws: ``AuditError/badInput(path:reason:)`` at a merge key whose value is not a mapping or a list of them,
    ///   and at a quoted `"<<"` (a plain key, not a merge: said, since it reads as a rule without its merged keys).
    private static func mergingKeys(_ mapping: Node.Mapping, path: String, depth: Int = 0) throws -> Node.Mapping {
        func isMerge(_ key: Node) -> Bool { key.tag.rawValue == Tag.Name.merge.rawValue }
        for (key, _) in mapping where !isMerge(key) && key.scalar?.string == "<<" {
            throw failure(path, location(key), "a quoted '<<' is a plain key, not a merge key; write <<: without quotes "
                + "(e.g. <<: *base) to merge a mapping's keys into the rule")
        }
        guard mapping.contains(where: { isMerge($0.key) }) else { return mapping }
        var merged: [(Node, Node)] = []
        var mergedKeys: Set<Node> = []
        var own: [(Node, Node)] = []
        for (key, value) in mapping {
            guard isMerge(key) else {
                own.append((key, value))
                continue
            }
            let sources: [Node.Mapping]
            switch value {
            case .mapping(let source):
                sources = [source]
            case .sequence(let list):
                if let stranger = list.first(where: { $0.mapping == nil }) {
                    throw failure(path, location(stranger), "a merge key (<<) takes a mapping or a list of mappings "
                        + "(e.g. <<: [*a, *b]); this element of its list is \(kind(stranger))")
                }
                sources = list.compactMap(\.mapping)
            default:
                throw failure(path, location(value), "a merge key (<<) takes a mapping or a list of mappings "
                    + "(e.g. <<: *base), found \(kind(value))")
            }
            guard depth < 16 else {
                throw failure(path, location(value), "merge keys (<<) nest more than 16 deep; write the rule's keys out")
            }
            for source in sources {
                // Merged through an alias, placed at the merge key, where they are used (a hostile review: `max: 1.5`,
                // valid in the anchored sentiment rule, was blamed there when merged into a negative_rate rule).
                for (sourceKey, sourceValue) in try mergingKeys(source, path: path, depth: depth + 1)
                where mergedKeys.insert(sourceKey).inserted {
                    merged.append(key.mark.map {
                        (YAMLAliasPlaces.placed(sourceKey, usedAt: $0), YAMLAliasPlaces.placed(sourceValue, usedAt: $0))
                    } ?? (sourceKey, sourceValue))
                }
            }
        }
        let ownKeys = Set(own.map(\.0))
        return Node.Mapping(merged.filter { !ownKeys.contains($0.0) } + own, mapping.tag, mapping.style, mapping.mark)
    }

    // MARK: - Helpers

    private static func failure(_ path: String, _ location: PolicyLocation, _ message: String) -> AuditError {
        .badInput(path: "\(path):\(location.line):\(location.column)", reason: message)
    }

    /// A fault ``YAMLProblems`` placed and worded.
    private static func failure(_ path: String, _ fault: YAMLProblems.Located) -> AuditError {
        failure(path, PolicyLocation(line: fault.line, column: fault.column), fault.message)
    }

    private static func syntaxFailure(_ path: String, _ error: YamlError, in text: String) -> AuditError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            failure(path, PolicyLocation(line: mark.line, column: mark.column), "invalid YAML: "
                + (YAMLProblems.syntaxProblem(
                    in: text, line: mark.line, column: mark.column, problem: problem, what: "the policy",
                    one: "one policy")
                    ?? TextEscaping.excerpt(problem, limit: 200)))
        case .duplicatedKeysInMapping(let duplicates, let context):
            failure(path, YAMLProblems.duplicateKeys(duplicates, in: text, line: context.mark.line, column: context.mark.column))
        case .reader(let problem, let offset, let value, _):
            YAMLProblems.readerProblem(in: text, offset: offset, value: value, problem: problem).map { failure(path, $0) }
                ?? failure(path, .start, "invalid YAML: \(TextEscaping.excerpt(problem, limit: 200))")
        default:
            failure(path, .start, "invalid YAML: \(TextEscaping.excerpt("\(error)", limit: 200))")
        }
    }

    private static func location(_ node: Node?) -> PolicyLocation {
        guard let mark = node?.mark else { return .start }
        return PolicyLocation(line: mark.line, column: mark.column)
    }

    private static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: isNull(node) ? "nothing (null)" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
        }
    }
}
