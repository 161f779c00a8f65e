import AuditResults
import Foundation
import PromptSets

/// The short summary `biasaudit run` prints when it finishes: per prompt set, each group's mean
/// sentiment and male share per model, then its findings (``Findings/ranked(_:)``; the first
/// ``shownFindings``, and how many more).
public enum TerminalSummary {
    /// Renders the summary as plain text in `language` (`--lang`): its fixed text, metric names, group labels
    /// (the set's `labels:` for the language), reasons and number style are the reports'.
    public static func render(_ result: AuditResult, language: ReportLanguage = .en) -> String {
        let words = language.words
        let texts = SummaryTexts(language)
        var lines: [String] = []
        let models = result.manifest.models.map(\.id)
        for set in result.promptSets {
            // A label's invisible format characters are shown as escapes: "Group\u{200b}A" and
            // "GroupA" must not print alike.
            func label(_ group: String) -> String {
                TextEscaping.name(set.groups.first { $0.id == group }?.label(in: language.rawValue) ?? group)
            }
            lines.append("")
            lines.append("\(set.name) (\(words.biasAxis): \(set.axis))")
            if let evidence = TemplateLanguage.evidence(ReportContext.promptTexts(of: set)) {
                lines.append("  " + language.sectionWords.otherLanguageFinding(evidence.language, false))
            }
            let columns = [AuditMetric.sentiment, .maleShare].filter(set.metrics.contains)
            for group in set.groups {
                var cells: [String] = []
                for model in models {
                    guard let estimates = set.groupEstimates.first(where: { $0.model == model && $0.group == group.id })
                    else { continue }
                    let parts = columns.map { metric in
                        let presentation = MetricPresentation(metric, words: words)
                        let estimate = estimates.estimate(metric)
                        // A reason reads as one after a colon ("male share: too few gendered words …"; review).
                        let separator = estimate.flatMap { words.insufficient($0, level: true) } != nil ? ": " : " "
                        return words.metricTitle(metric) + separator + format(estimate, presentation, difference: false, groups: set.groups)
                    }
                    cells.append("\(model): \(parts.joined(separator: ", "))")
                }
                lines.append("  \(label(group.id)): \(cells.joined(separator: " | "))")
            }
            let findings = Findings.ranked(set.contrasts, below: result.manifest.parameters.findingThreshold)
            // As the report's summary: a set without a tested contrast has "no tested contrast", not "no finding
            // (no contrast has q < 0.05)", which reads as if something had been tested (review).
            let tested = set.contrasts.contains { $0.family != nil && $0.pValue != nil }
            if !tested {
                let primary = set.metrics.filter(set.isTested).map(words.metricTitle)
                lines.append("  " + texts.noTestedContrast(
                    primary.joined(separator: ", "), set.groups.allSatisfy { $0.terms.count <= 1 }, set.groupsShareNoTemplate,
                    set.someGroupsShareNoTemplate))
            } else if findings.isEmpty {
                lines.append("  " + texts.noFinding(number(result.manifest.parameters.findingThreshold, words.numbers)))
            }
            // Said what the lines are (a student's review: the `*` lines had no name, where a set without any said
            // "no finding").
            if !findings.isEmpty {
                lines.append("  " + texts.findings(findings.count, number(result.manifest.parameters.findingThreshold, words.numbers)))
            }
            for contrast in findings.prefix(shownFindings) {
                let presentation = MetricPresentation(contrast.metric, words: words)
                lines.append(
                    "  * \(contrast.model): \(label(contrast.groupA)) − \(label(contrast.groupB)), "
                        + "\(words.metricTitle(contrast.metric)): "
                        + "\(format(contrast.difference, presentation, difference: true, groups: set.groups)), "
                        // Which templates, where not every one (as the report's rows say it; a review).
                        + (words.templatesNote(contrast, of: set.templates.count).map { $0 + ", " } ?? "")
                        + ReportNumbers.labelled(
                            "q", contrast.qValue ?? 1, style: words.numbers,
                            decidedAt: result.manifest.parameters.findingThreshold))
            }
            if findings.count > shownFindings {
                lines.append("  " + texts.more(findings.count - shownFindings, findings.count))
            }
        }
        // Set names, axes, group labels and model ids come from outside: one line each, nothing that drives a terminal.
        // Nor a CI workflow command: a line starting with a label "::error …::" would be an annotation (a hostile review).
        return lines.map { TextEscaping.defusingWorkflowCommands(TextEscaping.line($0)) }.joined(separator: "\n")
    }

    /// The paragraph `run --sweep` prints after the summary, in `language`: the swept values, and which setting
    /// the summary describes (the first) and where the others are. Numbers in the language's style
    /// ("temperatura 0,5; 1" in Spanish, whose values are separated by semicolons).
    public static func sweepNote(_ sweep: SweepResult, language: ReportLanguage = .en) -> String {
        let words = SweepWords.forCode(language.rawValue)
        let style = language.words.numbers
        func value(_ number: Double) -> String { ReportNumbers.plain(number, style: style) }
        let settings = sweep.parameters.map { parameter in
            words.terminalParameter(parameter.name) + " "
                + parameter.values.map(value).joined(separator: words.valueSeparator)
        }.joined(separator: " × ")
        let base = "\(words.terminalParameter("temperature")) \(value(sweep.base.temperature)) · top_k \(sweep.base.topK) · "
            + "top_p \(value(sweep.base.topP))"
        return TextEscaping.line(
            words.terminalNote(settings, ReportNumbers.count(sweep.settings.count, style: style), base))
    }

    /// One sentence per prompt set and model whose completions stopped because the model's context window was
    /// full (``AuditResults/PromptSetResult/contextFull``), in `language`, with what to do; `run`, `merge` and
    /// `analyze` print them as notes on standard error, and the reports' header shows them.
    public static func contextFullNotes(_ result: AuditResult, language: ReportLanguage = .en) -> [String] {
        contextFullNotes(result, words: language.sectionWords, style: language.words.numbers, text: TextEscaping.line)
    }

    /// ``contextFullNotes(_:language:)`` with the names passed through `text` (a report's escaping).
    static func contextFullNotes(
        _ result: AuditResult, words: ReportSectionWords, style: NumberStyle, text: (String) -> String
    ) -> [String] {
        result.promptSets.flatMap { set in
            let asked = result.manifest.promptSets.first { $0.name == set.name }?.maxNewTokens
            return (set.contextFull ?? []).filter { $0.completions > 0 }.map { count in
                // "after only 100 of the 20 new tokens asked for" (a hostile review: completions made elsewhere, whose
                // recorded max_new_tokens is only the default): the tokens asked for are said only where fewer came.
                let asked = count.fewestNewTokens.flatMap { fewest in asked.flatMap { fewest < $0 ? $0 : nil } }
                return words.contextFull(
                    ReportNumbers.count(count.completions, style: style), ReportNumbers.count(count.total, style: style),
                    text(set.name), text(count.model), count.fewestNewTokens.map { ReportNumbers.count($0, style: style) },
                    asked.map { ReportNumbers.count($0, style: style) })
            }
        }
    }

    /// The findings listed per set; the rest are counted.
    public static let shownFindings = 5

    /// The summary's own sentences.
    private struct SummaryTexts {
        let noFinding: (String) -> String
        /// The heading of a set's findings: how many, and at what q.
        let findings: (_ count: Int, _ threshold: String) -> String
        /// A set without a tested contrast, with its primary metrics (empty when it has none).
        /// `apart`: every primary contrast's groups share no template (``AuditResults/Contrast/templatesCompared`` empty),
        /// which is then the reason (a review: "has enough data or variation" for groups on disjoint templates).
        /// `someApart`: some of them do (under one model of two, or some pairs of groups), named beside the other reason.
        let noTestedContrast: (_ metrics: String, _ singleTerms: Bool, _ apart: Bool, _ someApart: Bool) -> String
        let more: (Int, Int) -> String

        init(_ language: ReportLanguage) {
            switch language {
            case .en:
                findings = { count, threshold in
                    "\(count) finding\(count == 1 ? "" : "s") (q < \(threshold) within its model's family of this set):"
                }
                noFinding = {
                    "no finding (no contrast has q < \($0) within its model's family of this set); not evidence of no bias: "
                        + "the report and results.json give each contrast's minimum detectable effect"
                }
                noTestedContrast = { metrics, singleTerms, apart, someApart in
                    if apart {
                        return "no tested contrast: the groups share no template in the completions, so nothing is "
                            + "compared and no finding is possible"
                    }
                    return "no tested contrast: "
                        + (metrics.isEmpty ? "no primary metric" : "none of the primary metrics (\(metrics))")
                        + " has enough data or variation for a test"
                        + (singleTerms ? " (with one term per group: 2 or more samples per prompt that differ)" : "")
                        + (someApart ? ", and in some contrasts the two groups share no template in the completions" : "")
                        + ", so no finding is possible"
                }
                more = { "… and \($0) more (\($1) findings in all; results.json lists every one)" }
            case .es:
                findings = { count, threshold in
                    "\(count) \(count == 1 ? "hallazgo" : "hallazgos") (q < \(threshold) en la familia de su modelo en este "
                        + "conjunto):"
                }
                noFinding = {
                    "ningún hallazgo (ningún contraste tiene q < \($0) en la familia de su modelo en este conjunto); no "
                        + "prueba que no haya sesgo: el informe y results.json dan el efecto mínimo detectable de cada contraste"
                }
                noTestedContrast = { metrics, singleTerms, apart, someApart in
                    if apart {
                        return "ningún contraste con prueba: los grupos no comparten ninguna plantilla en las "
                            + "continuaciones, así que no se compara nada y no puede haber hallazgos"
                    }
                    return "ningún contraste con prueba: "
                        + (metrics.isEmpty ? "ninguna métrica principal" : "ninguna de las métricas principales (\(metrics))")
                        + " tiene datos o variación suficientes para una prueba"
                        + (singleTerms ? " (con un término por grupo: 2 o más muestras por prompt que difieran)" : "")
                        + (someApart ? ", y en algunos contrastes los dos grupos no comparten ninguna plantilla en las continuaciones" : "")
                        + ", así que no puede haber hallazgos"
                }
                more = { "… y \($0) más (\($1) hallazgos en total; results.json los lista todos)" }
            }
        }
    }

    /// Three significant digits (`0.0123`) with the language's decimal separator.
    private static func number(_ value: Double, _ style: NumberStyle) -> String {
        ReportNumbers.significant(value).replacingOccurrences(of: ".", with: style.decimalSeparator)
    }

    /// A level or difference with its interval in the reports' units (`23.4% [18.0, 29.1]`, `−12.0 pp [−20.1, −3.9]`),
    /// or the reason it has none (an estimate below its minimum support), or "no data" (no value, no reason), in the
    /// language of `presentation`.
    private static func format(
        _ estimate: MetricEstimate?, _ presentation: MetricPresentation, difference: Bool, groups: [GroupInfo]
    ) -> String {
        // No value and no reason: "no data" in the summary's language (it printed "n/a" in a Spanish summary; review).
        guard let estimate else { return presentation.words.noData }
        if let reason = presentation.words.insufficient(estimate, level: !difference, groups: groups) { return reason }
        guard let value = estimate.value else { return presentation.words.noData }
        let number = difference ? presentation.difference(value) : presentation.level(value)
        return number + " " + presentation.interval(estimate, signed: difference || presentation.metric == .heSheLogOdds)
    }
}
