import Foundation

/// How serious a finding is. `--strict` treats warnings as errors.
public enum LintSeverity: String, Codable, Sendable {
    /// Worth a look; does not fail `lint` unless strict.
    case warning
    /// The set is invalid or would silently measure the wrong thing.
    case error
}

/// The rule behind a finding. The raw value is the id shown as `[id]` after a warning and accepted in a
/// set's `lint: allow:` section.
public enum LintRule: String, Codable, Sendable, CaseIterable {
    /// The file is not valid YAML.
    case syntax
    /// A key is missing, unknown, or has a value of the wrong kind.
    case schema
    /// A template has no slot, several slots, a stray brace, or a slot name other templates do not use;
    /// or the slot is filled by no group.
    case slot
    /// Fewer than two groups.
    case groupCount = "group-count"
    /// A group without terms or prompts.
    case emptyGroup = "empty-group"
    /// Groups whose prompt counts differ by more than a factor of ``Linter/maximumGroupSizeRatio``.
    case groupSize = "group-size"
    /// Two prompts with the same text.
    case duplicatePrompt = "duplicate-prompt"
    /// Two prompts with the same id (terms that differ only in punctuation or case), or two groups with the same
    /// label in a report language.
    case duplicateID = "duplicate-id"
    /// White space that changes a prompt: a template or fixed prompt starting or ending with it; a term with it at
    /// either end, two spaces in a row, or a tab, line break or other white space inside (words take one space). Also a
    /// group label with white space at either end (it prints as nothing). The id keeps its first name.
    case trailingWhitespace = "trailing-whitespace"
    /// Mean GPT-2 prompt length differs between groups by more than ``Linter/maximumTokenLengthGap``.
    case tokenLength = "token-length"
    /// An axis not in ``PromptSet/knownAxes``.
    case unknownAxis = "unknown-axis"
    /// A metric the audit cannot compute, or a `primary_metrics` entry that is not a primary bias metric
    /// the set audits.
    case unknownMetric = "unknown-metric"
    /// A design whose term variance rests on too few degrees of freedom for a meaningful test (see
    /// ``Linter`` for the rule and why).
    case underpowered
    /// Templates (or fixed prompts) that read as Spanish, French, Italian or Portuguese, while every scorer reads English
    /// (``TemplateLanguage``).
    case englishScorers = "english-scorers"

    /// The severity of the rule's findings.
    public var severity: LintSeverity {
        switch self {
        case .groupSize, .tokenLength, .unknownAxis, .underpowered, .englishScorers: .warning
        default: .error
        }
    }
}

/// One finding about a prompt-set file, at a 1-based line and column (columns count Unicode scalars).
public struct LintDiagnostic: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The file as the caller named it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// Error or warning.
    public var severity: LintSeverity
    /// The rule that fired.
    public var rule: LintRule
    /// What is wrong and what to do.
    public var message: String

    /// Creates a diagnostic whose severity is the rule's.
    public init(file: String, line: Int, column: Int, rule: LintRule, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = rule.severity
        self.rule = rule
        // A message that quotes a long value is cut (``TextEscaping/bounded(_:)``): a template of 7 MB was echoed whole.
        self.message = TextEscaping.bounded(message)
    }

    /// `file:line:col: error: message`, or `file:line:col: warning: message [rule-id]` (the id is what a
    /// set's `lint: allow:` section names to acknowledge the warning); one line, with the quoted prompt-set
    /// text's control characters shown (``TextEscaping/line(_:)``).
    public var description: String {
        let suffix = severity == .warning ? " [\(rule.rawValue)]" : ""
        // Format characters of quoted values are shown (`group\u{200d}_a` is not `group_a`: attack).
        // It starts a line, with the file's name: a name starting `::` must not make it a workflow command (a review).
        return TextEscaping.message("\(file):\(line):\(column): \(severity.rawValue): \(message)\(suffix)", startsLine: true)
    }
}

extension Array where Element == LintDiagnostic {
    /// Whether these findings fail `lint`: any error, or with `strict` any warning too.
    public func hasErrors(strict: Bool) -> Bool {
        contains { $0.severity == .error || strict }
    }
}

extension LintDiagnostic {
    /// The finding as printed: under `--strict` a warning fails, and is printed as an error (as `check --strict` prints
    /// its warnings), keeping its rule id, which `lint: allow:` names; otherwise ``description``. The JUnit file says
    /// the same (a final review: it said "warning:" where standard error said "error:").
    public func description(strict: Bool) -> String {
        guard strict, severity == .warning else { return description }
        var failing = self
        failing.severity = .error
        return failing.description + " [\(rule.rawValue)]"
    }
}
