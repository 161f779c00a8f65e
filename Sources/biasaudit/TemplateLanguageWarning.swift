import AuditRun
import Foundation
import PromptSets

/// The warning `run` and `analyze` print for a prompt set whose templates read as Spanish (``TemplateLanguage``): every
/// scorer reads English (a teacher's review: a Spanish set was scored in English without a word; `lint` warns with
/// `english-scorers`, and the reports say it beside the set).
enum TemplateLanguageWarning {
    /// Prints one warning per such set among `files`; sets that cannot be read are left to the command's own errors.
    static func print(for files: [URL]) {
        for file in (try? PromptSetFiles.load(files)) ?? [] {
            let texts = file.set.templates + file.set.groups.flatMap { $0.prompts ?? [] }
            guard let words = TemplateLanguage.spanishEvidence(texts) else { continue }
            printError("biasaudit: warning: \(TextEscaping.line(file.path)): the prompts of '\(TextEscaping.line(file.set.name))' "
                + "read as Spanish (\(words.map { "'\($0)'" }.joined(separator: ", "))), but biasaudit scores in English "
                + "(VADER, the pronoun and gendered-word lexicon, the next tokens ' he' and ' she'): its sentiment, male "
                + "share and log-odds will not measure what they say (lint: english-scorers)")
        }
    }
}
