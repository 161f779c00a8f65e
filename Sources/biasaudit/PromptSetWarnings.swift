import AuditAnalysis
import AuditRun
import Foundation
import AuditResults
import PromptSets

/// The `lint` findings `run` and `analyze` repeat for the prompt sets they audit, each acknowledged one left out
/// (`lint: allow: <rule>`):
/// - `english-scorers`: templates that read as another language than English (``TemplateLanguage``: Spanish, French,
///   Italian, Portuguese): every scorer reads English (a teacher's review: a Spanish set was scored in English without
///   a word);
/// - `underpowered`: 2-term groups, or single-term groups borrowing a term variance of few degrees of freedom: their
///   intervals are wide and only a large gap can be a finding (a teacher's students: a set of 2-term groups was run and
///   reported without a word; the report says it under the set's contrast table too).
enum PromptSetWarnings {
    /// The rules whose findings are repeated.
    static let rules: Set<LintRule> = [.englishScorers, .underpowered]

    /// Prints the findings of ``rules`` of each of `files`; files that cannot be read or parsed are
    /// left to the command's own errors.
    static func print(for files: [URL]) {
        for file in files {
            guard let data = try? InputFile.read(file, what: "the prompt set", limit: InputFile.Limit.text) else { continue }
            print(data: data, path: file.path)
        }
    }

    /// Prints the findings for the prompt sets of a run folder that `analyze RUN_DIR` re-analyses (a hostile review: it
    /// said nothing where `run` and `analyze FILE SET` warn). Each set is read as the run read it: from the bytes its
    /// run.sqlite keeps, else from the file its manifest names when that file's SHA-256 is still the recorded one. A set
    /// found in neither way is passed over: the analysis does not need its file.
    /// - Parameters:
    ///   - folder: the run's folder.
    ///   - sets: the prompt sets its results.json records.
    static func print(forRunFolder folder: URL, sets: [PromptSetManifest]) {
        let stored = (try? RunStore(existing: folder.appendingPathComponent(AuditRunner.FileName.store)).description().promptSets)
            ?? []
        for set in sets {
            if let source = stored.first(where: { $0.name == set.name }) {
                print(data: source.data, path: source.path)
            } else if let data = try? InputFile.read(
                URL(fileURLWithPath: set.path), what: "the prompt set", limit: InputFile.Limit.text),
                FileDigests.sha256(of: data) == set.sha256
            {
                print(data: data, path: set.path)
            }
        }
    }

    private static func print(data: Data, path: String) {
        let linter = Linter(tokenCount: { _ in 0 })  // token lengths are not these warnings' business
        for finding in linter.lint(data: data, path: path) where rules.contains(finding.rule) {
            printError("biasaudit: \(TextEscaping.line(finding.description))")
        }
    }
}
