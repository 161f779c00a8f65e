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

/// A note on standard error when the results at `path` may follow other statistical rules than this build's:
/// earlier ones (``AuditResults/AuditResult/followsEarlierRules``; `biasaudit analyze` on the run's folder recomputes
/// them) or later ones (``AuditResults/AuditResult/followsLaterRules``, a file of a newer biasaudit). `report`,
/// `diff` and `check` show or compare the numbers as they were computed.
func noteEarlierRules(of result: AuditResult, at path: String) {
    let current = AnalysisParameters.currentStatisticsRevision
    if result.followsLaterRules {
        printError(
            "biasaudit: note: \(TextEscaping.line(path)) was analysed by a newer biasaudit (statistics revision "
                + "\(result.statisticsRevision ?? 0); this one applies revision \(current)): its numbers are shown as "
                + "written, under rules this version may not describe; use the biasaudit that wrote it, or update")
        return
    }
    guard result.followsEarlierRules else { return }
    let folder = (path as NSString).deletingLastPathComponent
    let revision = result.statisticsRevision.map { "statistics revision \($0)" } ?? "no statistics revision recorded"
    printError(
        "biasaudit: note: \(TextEscaping.line(path)) was analysed by an earlier biasaudit (\(revision); this one "
            + "applies revision \(current)), whose statistical rules may differ from today's (README: “Statistics "
            + "revisions”); `biasaudit analyze \(TextEscaping.line(folder.isEmpty ? "." : folder))` recomputes it, "
            + "generating nothing")
}
