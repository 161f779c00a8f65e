import Foundation

extension Linter {
    /// ``lint(data:path:)`` for one of several files linted together, adding the check that `run` makes
    /// across files: two sets may not share a name (it starts every prompt id).
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path as the user named it.
    ///   - names: the set names of the files linted so far, each with its file; this file's name is added.
    public func lint(data: Data, path: String, names: inout [String: String]) -> [LintDiagnostic] {
        let (document, parseFindings) = PromptSetParser.parse(data: data, path: path)
        var findings = parseFindings + (document.map { LintRules.check($0, tokenCount: tokenCount) } ?? [])
        if let document, let name = document.name {
            if let other = names[name.value] {
                findings.append(document.diagnostic(.schema, at: name.location, "prompt set name '\(name.value)' is "
                    + "also used by \(TextEscaping.line(other)); names must be unique (run refuses both files together)"))
            } else {
                names[name.value] = path
            }
        }
        return findings.sorted(by: Self.fileOrder)
    }
}
