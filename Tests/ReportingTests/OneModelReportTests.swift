import AuditResults
import Foundation
@testable import Reporting
import XCTest

/// A report of a run that audited one model has no model-against-model lines in its findings, no
/// "which model is more biased?" section and no model-comparison paragraph in its methods, in English
/// and Spanish, HTML and Markdown; a two-model report keeps all three.
final class OneModelReportTests: XCTestCase {
    /// The texts that belong to comparing models, per language: the summary's label, the section's
    /// heading, the section's fallback text, the methods paragraph and the at-a-glance note's verdict; then
    /// (review of the integrate branch) the statistics table's tests and false-discovery-rate rows and the
    /// methods' descriptive-metrics item, which named the verdicts too; then the at-a-glance caption and
    /// note's "under each model".
    private let comparisonTexts: [ReportLanguage: [String]] = [
        .en: ["Model against model.", "which model is more biased?", "no model comparisons", "Model comparison.",
              "verdict between the models", "model verdicts by an intersection–union test",
              "False discovery rate of findings and verdicts", "never findings or verdicts",
              "At a glance: the primary metrics under each model", "(A − B) under each model"],
        .es: ["Modelo frente a modelo.", "¿qué modelo tiene más sesgo?", "no contiene comparaciones", "Comparación de modelos.",
              "veredicto entre los modelos", "veredictos entre modelos por una prueba de intersección–unión",
              "Tasa de falsos descubrimientos de hallazgos y veredictos", "nunca son hallazgos ni veredictos",
              "De un vistazo: las métricas principales con cada modelo", "métrica principal con cada modelo"],
    ]

    /// The fixture reduced to its first model (distilgpt2): every row of the other model removed.
    static func oneModelResult() throws -> AuditResult {
        var result = try ReportFixture.result()
        let model = try XCTUnwrap(result.manifest.models.first).id
        result.manifest.models = [result.manifest.models[0]]
        result.modelComparisons = []
        for index in result.promptSets.indices {
            var set = result.promptSets[index]
            set.groupEstimates.removeAll { $0.model != model }
            set.contrasts.removeAll { $0.model != model }
            set.examples.removeAll { $0.model != model }
            set.counterfactualPairs?.removeAll { $0.model != model }
            set.labourStatistics?.removeAll { $0.model != model }
            result.promptSets[index] = set
        }
        result.timing.models?.removeAll { $0.model != model }
        return result
    }

    func testOneModelReportHasNoModelComparisonInEitherLanguageOrFormat() throws {
        let result = try Self.oneModelResult()
        for language in ReportLanguage.allCases {
            for format in [ReportFormat.html, .md] {
                let text = try ReportRenderer().render(result, format: format, language: language)
                for phrase in try XCTUnwrap(comparisonTexts[language]) {
                    XCTAssertFalse(text.contains(phrase), "\(language) \(format): '\(phrase)' in a one-model report")
                }
                XCTAssertFalse(text.contains("id=\"models\""), "\(language) \(format): the comparison section")
                XCTAssertFalse(text.contains("<ul>\n</ul>"), "\(language) \(format): an empty list")
                if format == .md { assertNoEmptyBlocks(text, "\(language)") }
            }
        }
    }

    /// Review: a metric the set declares descriptive (`primary_metrics:` leaves it out, so its contrasts
    /// have no family) appeared in the at-a-glance table of "the primary metrics", and the note under the
    /// contrast table listed a fixed set of descriptive metrics. Both follow the set now.
    func testDeclaredDescriptiveMetricIsNotAtAGlanceAndIsNamedDescriptive() throws {
        var result = try ReportFixture.result()
        let index = try XCTUnwrap(result.promptSets.firstIndex { set in set.contrasts.contains { $0.metric == .negativeRate } })
        let name = result.promptSets[index].name
        let before = ReportViewModel(result, escaping: .markdown).glance.rows.filter { $0.set == name }.map(\.metric)
        XCTAssertTrue(before.contains("% negative"), "precondition: \(before)")
        result.promptSets[index].contrasts = result.promptSets[index].contrasts.map { contrast in
            guard contrast.metric == .negativeRate else { return contrast }
            var descriptive = contrast
            descriptive.family = nil
            descriptive.pValue = nil
            descriptive.qValue = nil
            return descriptive
        }
        let view = ReportViewModel(result, escaping: .markdown)
        let after = view.glance.rows.filter { $0.set == name }.map(\.metric)
        XCTAssertEqual(after, before.filter { $0 != "% negative" })
        let note = try XCTUnwrap(view.sets.first { $0.name == name }?.familyNote)
        XCTAssertTrue(note.contains("% negative") && note.contains("descriptive: not tested, never findings"), note)
        XCTAssertTrue(note.contains("for rates and shares the inversion of the MOVER interval"), note)
    }

    /// A teacher's review: a `--samples 1` run's contrasts are over terms only (`term_clusters`), while the note under
    /// the table said "over terms and random streams", and the df wording said pooled df for every equal-term contrast
    /// where Satterthwaite's combine the term and stream parts (21.3 df for 8 against 8 terms).
    func testTheFamilyNoteSaysWhatTheTestIsOver() throws {
        var result = try ReportFixture.result()
        let index = try XCTUnwrap(result.promptSets.firstIndex { set in
            set.contrasts.contains { $0.family != nil && $0.pValue != nil && $0.difference.method == "crossed_clusters" }
        })
        let name = result.promptSets[index].name
        let crossed = try XCTUnwrap(ReportViewModel(result, escaping: .markdown).sets.first { $0.name == name }?.familyNote)
        XCTAssertTrue(crossed.contains("over terms and random streams"), crossed)
        XCTAssertTrue(crossed.contains("Satterthwaite df over the term and stream parts, the term part with pooled df"), crossed)
        result.promptSets[index].contrasts = result.promptSets[index].contrasts.map { contrast in
            var unreplicated = contrast
            unreplicated.difference.method = "term_clusters"
            return unreplicated
        }
        for (language, says) in [(ReportLanguage.en, "over terms (one completion per prompt"),
                                 (.es, "sobre términos (una continuación por prompt")] {
            let note = try XCTUnwrap(
                ReportViewModel(result, escaping: .markdown, language: language).sets.first { $0.name == name }?.familyNote)
            XCTAssertTrue(note.contains(says), note)
            XCTAssertFalse(note.contains(language == .en ? "random streams;" : "flujos aleatorios;"), note)
        }
        // A set of fixed prompts has no terms (helper 316: "over terms" for a student's set of prompts).
        var prompts = try ReportFixture.result()
        for g in prompts.promptSets[index].groups.indices {
            prompts.promptSets[index].groups[g].fixedPrompts = true
            prompts.promptSets[index].groups[g].promptCount = prompts.promptSets[index].groups[g].terms.count
        }
        for (language, says) in [(ReportLanguage.en, "over prompts and random streams; for means a t test (Satterthwaite "
                                    + "df over the prompt and stream parts, the prompt part with pooled df when the groups have "
                                    + "equal numbers of prompts)"),
                                 (.es, "sobre prompts y flujos aleatorios")] {
            let note = try XCTUnwrap(
                ReportViewModel(prompts, escaping: .markdown, language: language).sets.first { $0.name == name }?.familyNote)
            XCTAssertTrue(note.contains(says), note)
        }
        // Greedy decoding's copies of one draw (helper 314: the note said "over terms and random streams").
        var greedy = try ReportFixture.result()
        greedy.promptSets[index].contrasts = greedy.promptSets[index].contrasts.map { contrast in
            var copies = contrast
            if contrast.metric != .heSheLogOdds { copies.difference.method = MetricEstimate.copiesMethod }
            return copies
        }
        for (language, says) in [(ReportLanguage.en, "p: two-sided, over terms (the samples of each prompt are copies of one "
                                    + "draw, as greedy decoding writes them: no random streams); for means a t test (Satterthwaite df"),
                                 (.es, "p: bilateral, sobre términos (las muestras de cada prompt son copias de una sola extracción")] {
            let note = try XCTUnwrap(
                ReportViewModel(greedy, escaping: .markdown, language: language).sets.first { $0.name == name }?.familyNote)
            XCTAssertTrue(note.contains(says), note)
        }
        // A set that tests only the exact log-odds (one value per prompt whatever the samples; a code review: it read
        // "one completion per prompt" at 6 samples).
        var exact = try ReportFixture.result()
        let gender = try XCTUnwrap(exact.promptSets.firstIndex { set in set.contrasts.contains { $0.metric == .heSheLogOdds } })
        exact.promptSets[gender].contrasts = exact.promptSets[gender].contrasts.map { contrast in
            var changed = contrast
            if contrast.metric == .heSheLogOdds {
                changed.difference.method = "term_clusters"
            } else {
                (changed.family, changed.pValue, changed.qValue) = (nil, nil, nil)
            }
            return changed
        }
        let exactName = exact.promptSets[gender].name
        let exactNote = try XCTUnwrap(
            ReportViewModel(exact, escaping: .markdown).sets.first { $0.name == exactName }?.familyNote)
        XCTAssertTrue(exactNote.contains("over terms (one exact value per prompt, no random stream)"), exactNote)
    }

    /// A teacher's students: a set of 2-term groups got a report of wide intervals and no word on why, where `lint` warns
    /// (`underpowered`). The report says it under the contrast table, from the terms the analysis had, in both
    /// languages; a set of 3 or more terms per group, or single terms borrowing 3 or more df, has no such note.
    func testAnUnderpoweredDesignIsSaidUnderTheContrastTable() throws {
        let base = try ReportFixture.result()
        let index = try XCTUnwrap(base.promptSets.firstIndex { $0.groups.count == 2 && !$0.contrasts.isEmpty })
        let name = base.promptSets[index].name
        func note(_ result: AuditResult, _ language: ReportLanguage = .en) -> String? {
            ReportViewModel(result, escaping: .markdown, language: language).sets.first { $0.name == name }?.designNote
        }
        func withTerms(_ counts: [Int]) -> AuditResult {
            var result = base
            for (g, count) in counts.enumerated() {
                result.promptSets[index].groups[g].terms = (0..<count).map { "term\(g)-\($0)" }
                result.promptSets[index].groups[g].promptCount = count * result.promptSets[index].templates.count
                result.promptSets[index].groups[g].termsWithData = nil
            }
            return result
        }
        let groups = base.promptSets[index].groups
        let first = groups[0].label, second = groups[1].label
        XCTAssertNil(note(withTerms(Array(repeating: 3, count: groups.count))))
        XCTAssertNil(note(withTerms([1, 4])))
        XCTAssertNil(note(withTerms([1, 1])), "a set of single terms has the family note's words")
        let two = try XCTUnwrap(note(withTerms([2] + Array(repeating: 8, count: groups.count - 1))))
        XCTAssertEqual(two, "group “\(first)” rests on 2 terms: a group’s variance between its terms then has 1 "
            + "degree of freedom, so its contrasts are tested on few degrees of freedom. The contrasts of this group have "
            + "wide intervals and only a large gap can be a finding (the MDE column says how large). More terms narrow them: "
            + "3 or more per group, 8 or more where the category allows. biasaudit lint checks a set for this (rule "
            + "underpowered).")
        let both = try XCTUnwrap(note(withTerms([2, 2])))
        XCTAssertTrue(both.hasPrefix("groups “\(first)” and “\(second)” rest on 2 terms each: "), both)
        let spanish = try XCTUnwrap(note(withTerms([2] + Array(repeating: 8, count: groups.count - 1)), .es))
        XCTAssertTrue(spanish.hasPrefix("el grupo “\(groups[0].label(in: "es"))” se apoya en 2 términos"), spanish)
        XCTAssertTrue(spanish.contains("(la columna EMD dice cuán grande)"), "the Spanish table's column is EMD: \(spanish)")
        // Only the terms the analysis had count: 8 declared, completions of 2; the note says so.
        var partial = withTerms(Array(repeating: 8, count: groups.count))
        partial.promptSets[index].groups[1].termsWithData = ["term1-0", "term1-5"]
        let analysed = try XCTUnwrap(note(partial))
        XCTAssertTrue(analysed.hasPrefix("group “\(second)” (completions for 2 of its 8 terms) rests on 2 terms"), analysed)
        // The set lints clean: more completions are the remedy, not lint (helper 316).
        XCTAssertTrue(analysed.hasSuffix("(the MDE column says how large). Completions for every term of the set narrow them."),
                      analysed)
        // A group of 2 fixed prompts (one prompt each, not one per template) rests on 2 units too.
        var fixed = withTerms([2] + Array(repeating: 8, count: groups.count - 1))
        fixed.promptSets[index].groups[0].promptCount = 2
        let prompts = try XCTUnwrap(note(fixed))
        XCTAssertTrue(prompts.hasPrefix("group “\(first)” rests on 2 prompts: a group’s variance between its "
            + "prompts"), prompts)
        XCTAssertTrue(prompts.contains("More prompts narrow them"), prompts)
        // One template: the counts cannot tell fixed prompts from terms; results since this version say so
        // (`fixed_prompts`; helper 315: "2 terms" for a one-template set's 2 fixed prompts).
        var flagged = withTerms([2] + Array(repeating: 8, count: groups.count - 1))
        flagged.promptSets[index].groups[0].fixedPrompts = true
        XCTAssertTrue(try XCTUnwrap(note(flagged)).hasPrefix("group “\(first)” rests on 2 prompts: "))
        // Under a table with no test, no design note (helper 315: it spoke of tests under "No contrast … has a test").
        var untested = withTerms([2] + Array(repeating: 8, count: groups.count - 1))
        untested.promptSets[index].contrasts = untested.promptSets[index].contrasts.map { contrast in
            var descriptive = contrast
            (descriptive.pValue, descriptive.qValue) = (nil, nil)
            return descriptive
        }
        XCTAssertNil(note(untested))
        let borrowing = try XCTUnwrap(note(withTerms([1, 3])))
        XCTAssertTrue(borrowing.hasPrefix("single-term group “\(first)” borrows the variance between terms of group "
            + "“\(second)”, which rests on 2 degrees of freedom. The contrasts of these groups have wide intervals"), borrowing)
        let html = try ReportRenderer().render(withTerms([2] + Array(repeating: 8, count: groups.count - 1)), format: .html)
        XCTAssertTrue(html.contains("<p class=\"note\"><strong>Design:</strong> group “\(first)” rests on 2 terms"),
                      "no design note in the HTML")
        let markdown = try ReportRenderer().render(withTerms([2, 8]), format: .md, language: .es)
        XCTAssertTrue(markdown.contains("**Diseño:** el grupo “\(groups[0].label(in: "es"))” se apoya en 2 términos"),
                      "no design note in the Spanish Markdown")
    }

    /// A statistician's review: the Methods said every set tests sentiment, % negative, male share and log P(he)/P(she),
    /// while a set's `primary_metrics:` narrows them. The Methods name the sets that test fewer, with what they test.
    func testMethodsNameTheSetsWhosePrimaryMetricsAreNarrowed() throws {
        var result = try ReportFixture.result()
        let narrowed: [ReportLanguage: String] = [
            .en: "here religion tests only mean sentiment; occupations-gender tests only male share and log P(he)/P(she)",
            .es: "aquí religion solo prueba sentimiento medio; occupations-gender solo prueba proporción masculina y log P(he)/P(she)",
        ]
        for language in ReportLanguage.allCases {
            for format in [ReportFormat.html, .md] {
                let text = try ReportRenderer().render(result, format: format, language: language)
                XCTAssertFalse(text.contains(language == .en ? " tests only " : " solo prueba "), "\(language) \(format)")
                XCTAssertTrue(text.contains("primary_metrics:"), "\(language) \(format): the general rule")
            }
        }
        func makeDescriptive(_ metrics: Set<AuditMetric>, inSet name: String) throws {
            let index = try XCTUnwrap(result.promptSets.firstIndex { $0.name == name })
            result.promptSets[index].contrasts = result.promptSets[index].contrasts.map { contrast in
                guard metrics.contains(contrast.metric) else { return contrast }
                var descriptive = contrast
                descriptive.family = nil
                descriptive.pValue = nil
                descriptive.qValue = nil
                return descriptive
            }
        }
        try makeDescriptive([.negativeRate], inSet: "religion")
        try makeDescriptive([.sentiment, .negativeRate], inSet: "occupations-gender")
        for language in ReportLanguage.allCases {
            for format in [ReportFormat.html, .md] {
                let text = try ReportRenderer().render(result, format: format, language: language)
                let expected = try XCTUnwrap(narrowed[language])
                XCTAssertTrue(text.contains(expected), "\(language) \(format) lacks “\(expected)”")
            }
        }
    }

    func testTwoModelReportKeepsTheModelComparison() throws {
        let result = try ReportFixture.result()
        for language in ReportLanguage.allCases {
            for format in [ReportFormat.html, .md] {
                let text = try ReportRenderer().render(result, format: format, language: language)
                // The fallback text is for a file of several models without comparisons: not this one.
                for phrase in try XCTUnwrap(comparisonTexts[language]).enumerated().filter({ $0.offset != 2 }).map(\.element) {
                    XCTAssertTrue(text.contains(phrase), "\(language) \(format): '\(phrase)' missing from a two-model report")
                }
            }
        }
    }

    /// Markdown without findings (the tiny-model run's case) or with them, one model or two: every block
    /// the data drive has content, and no blank lines pile up where a list is empty.
    func testMarkdownHasNoEmptyBlocksWithOrWithoutFindings() throws {
        var quiet = try Self.oneModelResult()
        for index in quiet.promptSets.indices {
            for contrast in quiet.promptSets[index].contrasts.indices where quiet.promptSets[index].contrasts[contrast].qValue != nil {
                quiet.promptSets[index].contrasts[contrast].qValue = 0.9
            }
        }
        XCTAssertTrue(Findings.ranked(quiet.promptSets.flatMap(\.contrasts), below: Findings.threshold).isEmpty, "the quiet result has no findings")
        // One model: the no-findings headline speaks of it in the singular.
        let english = try ReportRenderer().render(quiet, format: .md)
        XCTAssertTrue(english.contains("This is not evidence that the model is unbiased:"), "singular headline")
        let spanish = try ReportRenderer().render(quiet, format: .html, language: .es)
        XCTAssertTrue(spanish.contains("Esto no prueba que el modelo no tenga sesgo:"), "singular Spanish headline")
        for (name, result) in [("no findings", quiet), ("one model", try Self.oneModelResult()), ("two models", try ReportFixture.result())] {
            for language in ReportLanguage.allCases {
                assertNoEmptyBlocks(try ReportRenderer().render(result, format: .md, language: language), "\(name), \(language)")
            }
        }
    }

    /// A results file of two models without comparisons keeps the section and says it has none.
    func testTwoModelsWithoutComparisonsSayTheFileHasNone() throws {
        var result = try ReportFixture.result()
        result.modelComparisons = []
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("which model is more biased?"), "the section of a two-model file")
        XCTAssertTrue(english.contains("This results file holds no model comparisons."), "the fallback text")
        XCTAssertFalse(english.contains("**Model against model.**"), "no sentences, so no label for them")
        let spanish = try ReportRenderer().render(result, format: .html, language: .es)
        XCTAssertTrue(spanish.contains("<p>Este archivo de resultados no contiene comparaciones de modelos.</p>"), "Spanish fallback")
    }

    /// A bold label line (`**Label.**`) must be followed by content of its own, not by the next heading,
    /// another label or the end; and no more than one blank line separates blocks.
    private func assertNoEmptyBlocks(_ markdown: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = markdown.components(separatedBy: "\n")
        for (index, text) in lines.enumerated() where text.hasPrefix("**") && text.hasSuffix("**") {
            let next = lines[(index + 1)...].first { !$0.isEmpty } ?? ""
            XCTAssertFalse(
                next.isEmpty || next.hasPrefix("#") || (next.hasPrefix("**") && next.hasSuffix("**")),
                "\(name): the label at line \(index + 1), '\(text)', has no content (next: '\(next)')", file: file, line: line)
        }
        for index in lines.indices.dropFirst() where lines[index].isEmpty && lines[index - 1].isEmpty {
            XCTFail("\(name): two blank lines in a row before line \(index + 1)", file: file, line: line)
            return
        }
    }
}
