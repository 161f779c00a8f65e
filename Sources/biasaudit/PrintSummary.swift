import AuditAnalysis
import AuditResults
import AuditRun
import Foundation
import InputFiles
import PromptSets
import Reporting


/// What `run`, `merge` and `analyze` print when they end: a note on standard error per prompt set and model whose
/// completions were cut short by a full context window (with what to do; review: only completions.jsonl's
/// stop_reason told), a note when the run was made with `--inject-bias`, and (unless `quiet`) one on sets sampled with
/// fewer samples per prompt than the validated designs, each in `language` (``Reporting/TerminalNotes``), then the
/// terminal summary and a blank line on standard output.
func printSummary(of result: AuditResult, language: ReportLanguage, quiet: Bool = false) {
    // Each note in the language of --lang, as the summary below (a Spanish class read English notes beside it).
    for note in TerminalSummary.contextFullNotes(result, language: language) {
        printError("biasaudit: note: \(note)")
    }
    // The findings below include a simulated bias (newcomer's review: the report, diff and check said so; the
    // terminal summary did not).
    if let note = TerminalNotes.injectedBias(result, language: language) {
        printError("biasaudit: note: \(TextEscaping.line(note))")
    }
    // Greedy decoding: what the copies of one draw leave to measure, said where the summary is read (a student's review:
    // only the report's header said it).
    if !quiet, let note = TerminalNotes.greedy(result, language: language) {
        printError("biasaudit: note: \(TextEscaping.line(note))")
    }
    // Two copies of one model compare as an exact 0 everywhere (a student's review: "no detectable change" with no
    // word on why).
    if !quiet, let note = TerminalNotes.identicalModels(result.manifest, language: language) {
        printError("biasaudit: note: \(TextEscaping.line(note))")
    }
    // Below the validated designs, whether by --samples or a set's defaults (a student's run with 2 samples per prompt had
    // a rate contrast whose variance rested on 6 random streams); the report says it too.
    if !quiet, let note = TerminalNotes.fewSamples(result.manifest, language: language) {
        printError("biasaudit: note: \(TextEscaping.line(note))")
    }
    print(TerminalSummary.render(result, language: language))
    print("")
}

/// A note on standard error when the results at `path` may follow other statistical rules than this build's:
/// earlier ones (``AuditResults/AuditResult/followsEarlierRules``; `biasaudit analyze` on the run's folder recomputes
/// them) or later ones (``AuditResults/AuditResult/followsLaterRules``, a file of a newer biasaudit). `report`,
/// `diff` and `check` show or compare the numbers as they were computed.
func noteEarlierRules(of result: AuditResult, at path: String) {
    if let note = earlierRulesNote(of: result, at: path) { printError("biasaudit: note: " + note) }
}

/// The words of ``noteEarlierRules(of:at:)``, without its prefix; nil when the results follow this build's rules.
/// `diff` also puts them in its document's notes (a practitioner's review: a saved diff of files of two revisions did
/// not say so).
func earlierRulesNote(of result: AuditResult, at path: String) -> String? {
    let current = AnalysisParameters.currentStatisticsRevision
    if result.followsLaterRules {
        return "\(TextEscaping.path(path)) was analysed by a newer biasaudit (statistics revision "
            + "\(result.statisticsRevision ?? 0); this one applies revision \(current)): its numbers are shown as "
            + "written, under rules this version may not describe; use the biasaudit that wrote it, or update"
    }
    guard result.followsEarlierRules else { return nil }
    let folder = PathText.folderOrCurrent(of: path)
    let shownFolder = TextEscaping.path(folder)
    let revision = result.statisticsRevision.map { "statistics revision \($0)" } ?? "no statistics revision recorded"
    // What recomputes it (final review: `analyze` of a sweep run drops its other settings, which only run.sqlite
    // holds, and `analyze` of a folder without completions.jsonl fails).
    let folderURL = URL(fileURLWithPath: folder)
    let completions = folderURL.appendingPathComponent(RunDiffInput.completionsFileName).path
    let store = folderURL.appendingPathComponent(AuditRunner.FileName.store).path
    let advice = result.sweep != nil
        ? FileManager.default.fileExists(atPath: store)
            ? "running its `biasaudit run … --sweep …` command (manifest.command_line) again from the folder it was first "
                + "run in, so that its --out names \(shownFolder) with its run.sqlite, recomputes it and every sweep setting, "
                + "generating nothing"
            // Review: the advice promised "generating nothing" for a copied results.json without the run's store.
            : "its run.sqlite is not beside it: running the run's `biasaudit run … --sweep …` command "
                + "(manifest.command_line) again where its --out names the run's folder with its run.sqlite recomputes it "
                + "and every sweep setting, generating nothing (without the store the command generates every completion "
                + "again)"
        : ((try? FileManager.default.attributesOfItem(atPath: completions)[.size] as? Int) ?? 0) > 0
            ? "`biasaudit analyze \(shownFolder)` recomputes it, generating nothing"
            : "`biasaudit analyze RUN_DIR` on the run's folder (its results.json with its completions.jsonl; there is "
                + "none beside it, or an empty one) recomputes it, generating nothing"
    return "\(TextEscaping.path(path)) was analysed by an earlier biasaudit (\(revision); this one "
        + "applies revision \(current)), whose statistical rules may differ from today's (README: “Statistics "
        + "revisions”); \(advice)"
}

/// Loads `--templates` before any work, so that a bad folder is refused (exit 65) before models load or folders are
/// made, and notes on standard error when none of its templates is used by the reports to be written (English
/// templates under `--lang es`, or Spanish ones without it: review, the folder was ignored silently).
/// - Throws: what ``Reporting/ReportRenderer/init(templates:)`` throws.
func checkTemplates(_ folder: String?, formats: Set<ReportFormat>, language: ReportLanguage) throws {
    guard let folder else { return }
    let renderer = try ReportRenderer(templates: URL(fileURLWithPath: folder))
    if let note = renderer.unusedTemplatesNote(folder: folder, formats: formats, language: language) {
        printError("biasaudit: note: " + note)
    }
}
