import Foundation

/// Why a prompt set could not be loaded. Every case carries the diagnostic that says where and what to do;
/// the description is `file:line:col: error: message`. The command line maps these to exit code 65.
public enum PromptSetError: Error, CustomStringConvertible, Equatable {
    /// The file is not valid UTF-8 YAML.
    case syntax(LintDiagnostic)
    /// A key is missing, unknown, or of the wrong kind.
    case schema(LintDiagnostic)
    /// The file parses but its prompts are not usable (slots, groups, duplicates, trailing whitespace).
    case invalid(LintDiagnostic)

    /// The finding behind the error.
    public var diagnostic: LintDiagnostic {
        switch self {
        case .syntax(let diagnostic), .schema(let diagnostic), .invalid(let diagnostic): diagnostic
        }
    }

    /// `file:line:col: error: message`.
    public var description: String { diagnostic.description }

    /// Wraps an error-severity diagnostic in the matching case.
    init(_ diagnostic: LintDiagnostic) {
        switch diagnostic.rule {
        case .syntax: self = .syntax(diagnostic)
        case .schema: self = .schema(diagnostic)
        default: self = .invalid(diagnostic)
        }
    }
}
