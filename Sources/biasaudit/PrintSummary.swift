import AuditResults
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
