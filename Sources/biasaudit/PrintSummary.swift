import AuditResults
import Foundation
import PromptSets
import Reporting


/// What `run`, `merge` and `analyze` print when they end: a note on standard error per prompt set and model whose
/// completions were cut short by a full context window (with what to do; review: only completions.jsonl's
/// stop_reason told), then the terminal summary and a blank line on standard output.
func printSummary(of result: AuditResult, language: ReportLanguage) {
    for note in TerminalSummary.contextFullNotes(result) {
        printError("biasaudit: note: \(note)")
    }
    print(TerminalSummary.render(result, language: language))
    print("")
}

/// A note on standard error when the results at `path` may follow earlier statistical rules than this build's
/// (``AuditResults/AuditResult/followsEarlierRules``): `report`, `diff` and `check` show or compare the numbers as
/// they were computed, and `biasaudit analyze` on the run's folder recomputes them.
func noteEarlierRules(of result: AuditResult, at path: String) {
    guard result.followsEarlierRules else { return }
    let folder = (path as NSString).deletingLastPathComponent
    printError(
        "biasaudit: note: \(TextEscaping.line(path)) was analysed by an earlier biasaudit, whose statistical rules may "
            + "differ from today's (a male share's minimum of completions, the verdicts' families); "
            + "`biasaudit analyze \(TextEscaping.line(folder.isEmpty ? "." : folder))` recomputes it, generating nothing")
}
