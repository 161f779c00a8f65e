import Foundation
import AuditResults
import PromptSets

/// The warning `run` and `analyze` print for a prompt set whose templates read as Spanish (``TemplateLanguage``): every
/// scorer reads English (a teacher's review: a Spanish set was scored in English without a word). It is `lint`'s
/// `english-scorers` finding, so a set that acknowledges it (`lint: allow: english-scorers`) is not warned about again.
enum TemplateLanguageWarning {
    /// Prints the `english-scorers` finding of each of `files` that has one; files that cannot be read or parsed are
    /// left to the command's own errors.
    static func print(for files: [URL]) {
        let linter = Linter(tokenCount: { _ in 0 })  // token lengths are not this warning's business
        for file in files {
            guard let data = try? InputFile.read(file, what: "the prompt set", limit: InputFile.Limit.text) else { continue }
            for finding in linter.lint(data: data, path: file.path) where finding.rule == .englishScorers {
                printError("biasaudit: \(TextEscaping.line(finding.description))")
            }
        }
    }
}
