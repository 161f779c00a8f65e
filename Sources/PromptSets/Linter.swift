import Foundation

/// Checks prompt-set files and reports every finding, not just the first (`biasaudit lint`).
///
/// Thresholds of the warning rules:
/// - `group-size`: the largest group has more than ``maximumGroupSizeRatio`` times the terms (or fixed
///   prompts) of the smallest.
/// - `token-length`: the mean GPT-2 token count of a group's prompts exceeds another group's by more than
///   ``maximumTokenLengthGap`` tokens. Counting whole prompts (not bare terms) measures what the model sees,
///   including whether a term starts the prompt (no leading space) or follows a word.
/// - `unknown-axis`: the axis is not in ``PromptSet/knownAxes``. Unknown metrics are errors instead: the
///   audit could not compute them.
/// - `underpowered`: the design cannot give a meaningful test of its contrasts. Terms are the unit of
///   inference (a fixed prompt is its own unit, so a group of fixed prompts counts them as terms): a group of K terms
///   estimates its term-to-term variance on K − 1 degrees of freedom, and
///   single-term groups borrow the variance pooled over the multi-term groups (Σ(K − 1) df). The rule
///   fires when a group has exactly 2 terms (its term variance rests on 1 df: its contrasts are tested
///   on 1 or 2 df, t quantile 12.7 or 4.3, so only a large gap can be a finding) or when
///   single-term groups are mixed with multi-term groups whose Σ(K − 1) is below ``minimumPooledTermDegreesOfFreedom``. Sets whose groups all have one term
///   (many templates, inference conditional on the terms) or all have 3 or more are not flagged. There is
///   no fixed p-value floor with the t-based tests, so this is the design check that remains.
///
/// A set can acknowledge a warning it means, with a reason, in `lint: allow: {rule-id: reason}`.
public struct Linter: Sendable {
    /// Largest over smallest group size above which `group-size` warns.
    public static let maximumGroupSizeRatio = 2.0
    /// Difference in mean GPT-2 tokens per prompt between groups above which `token-length` warns.
    public static let maximumTokenLengthGap = 1.0
    /// The fewest degrees of freedom Σ(K − 1) of the multi-term groups that single-term groups may borrow
    /// their term variance from without `underpowered` warning.
    public static let minimumPooledTermDegreesOfFreedom = 3

    let tokenCount: @Sendable (String) -> Int

    /// A linter that counts tokens with `tokenCount` (normally GPT-2's: `{ tokenizer.encode($0).count }`).
    public init(tokenCount: @escaping @Sendable (String) -> Int) {
        self.tokenCount = tokenCount
    }

    /// All findings for one file, in file order (line, then column, then errors before warnings).
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path as the user named it, used in every diagnostic.
    public func lint(data: Data, path: String) -> [LintDiagnostic] {
        findings(data: data, path: path).findings.sorted(by: Self.fileOrder)
    }

    /// The parsed document (nil when it could not be read as a prompt set) and the parser's and rules' findings on it,
    /// each once: a YAML alias repeats its anchor's node, place included (a hostile review: a template and 999 `- *t`
    /// printed one error 1,000 times and "appears twice" 6,994 times).
    func findings(data: Data, path: String) -> (document: PromptSetDocument?, findings: [LintDiagnostic]) {
        let (document, parseFindings) = PromptSetParser.parse(data: data, path: path)
        let ruleFindings = document.map { LintRules.check($0, tokenCount: tokenCount) } ?? []
        var seen = Set<LintDiagnostic>()
        return (document, (parseFindings + ruleFindings).filter { seen.insert($0).inserted })
    }

    /// Orders diagnostics by position, errors first at the same position; stable otherwise.
    static func fileOrder(_ lhs: LintDiagnostic, _ rhs: LintDiagnostic) -> Bool {
        (lhs.line, lhs.column, lhs.severity == .error ? 0 : 1) < (rhs.line, rhs.column, rhs.severity == .error ? 0 : 1)
    }
}
