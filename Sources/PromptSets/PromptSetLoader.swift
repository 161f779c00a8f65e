import Foundation

/// Loads prompt-set files. Reading the bytes is the caller's job (so is hashing them for the manifest).
public enum PromptSetLoader {
    /// Parses, validates and expands one prompt set.
    ///
    /// Every error-severity lint rule applies (YAML syntax, schema, slots, group count, empty groups,
    /// duplicate prompts or ids, trailing whitespace); warnings do not stop loading. The GPT-2 token-length
    /// rule runs only in ``Linter``.
    /// - Parameters:
    ///   - data: the file's bytes (UTF-8 YAML).
    ///   - path: the file's path as the user named it, used in error messages.
    /// - Returns: the set, with ``PromptSet/prompts`` expanded.
    /// - Throws: ``PromptSetError`` for the first error in file order.
    public static func load(data: Data, path: String) throws -> PromptSet {
        let (document, parseFindings) = PromptSetParser.parse(data: data, path: path)
        let findings = parseFindings + (document.map { LintRules.check($0, tokenCount: nil) } ?? [])
        let errors = findings.filter { $0.severity == .error }.sorted(by: Linter.fileOrder)
        if let first = errors.first { throw PromptSetError(first) }
        guard let document else {
            throw PromptSetError.syntax(LintDiagnostic(file: path, line: 1, column: 1, rule: .syntax,
                                                       message: "the file holds no prompt set"))
        }
        return document.promptSet()
    }
}
