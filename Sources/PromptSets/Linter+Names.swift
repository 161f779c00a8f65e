import Foundation

extension Linter {
    /// ``lint(data:path:)`` for one of several files linted together, adding the check that `run` makes
    /// across files: two sets may not share a name (it starts every prompt id).
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path as the user named it.
    ///   - names: the set names of the files linted so far, each with its file; this file's name is added.
    public func lint(data: Data, path: String, names: inout [String: String]) -> [LintDiagnostic] {
        let read = findings(data: data, path: path)
        let document = read.document
        var findings = read.findings
        if let document, let name = document.name {
            if let other = names[name.value] {
                // The same file named twice (`lint ok.yaml ok.yaml`) was said to share its name with itself (review).
                let same = Self.sameFile(other, path)
                findings.append(document.diagnostic(.schema, at: name.location, same
                    ? "this file is given twice (also as \(TextEscaping.line(other))); give each prompt-set file once"
                    : "prompt set name '\(name.value)' is also used by \(TextEscaping.line(other)); names must be unique "
                        + "(run refuses both files together)"))
            } else {
                names[name.value] = path
            }
        }
        return findings.sorted(by: Self.fileOrder)
    }

    /// Whether two paths name one file (after `.`/`..` and symbolic links are resolved).
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
        return resolved(a) == resolved(b)
    }
}
