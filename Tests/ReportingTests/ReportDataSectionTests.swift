import AuditResults
import Foundation
import FoundationXML
import Reporting
import TestSupport
import XCTest

/// The speed table, the counterfactual pairs and the labour-statistics tables of the report, rendered
/// from the fixture (Tests/Fixtures/reporting/make_fixture.py), with model output kept inert.
final class ReportDataSectionTests: XCTestCase {
    private func html(_ result: AuditResult, language: ReportLanguage = .en) throws -> XMLDocument {
        let html = try ReportRenderer().render(result, format: .html, language: language)
        return try XMLDocument(data: Data(html.utf8), options: [])
    }

    private func texts(_ document: XMLDocument, _ xpath: String) throws -> [String] {
        try document.nodes(forXPath: xpath).compactMap(\.stringValue)
    }

    /// Practitioner's review: a merged audit's "How to reproduce" said the `merge` command "recreates every completion";
    /// it generates none and needs the shard folders.
    func testAMergedAuditSaysItsCommandRecomputesFromTheShards() throws {
        var result = try ReportFixture.result()
        result.manifest.commandLine = ["biasaudit", "merge", "shards/s1", "shards/s2", "--out", "merged"]
        let expected: [(ReportLanguage, String, String)] = [
            (.en, "this command recomputes every number of this report from the shards’ completions (it generates none",
             "this command recreates every completion"),
            (.es, "esta orden recalcula cada número de este informe a partir de las continuaciones de los fragmentos (no genera ninguna",
             "esta orden recrea cada continuación"),
        ]
        for (language, said, notSaid) in expected {
            for format in [ReportFormat.html, .md] {
                let text = try ReportRenderer().render(result, format: format, language: language)
                XCTAssertTrue(text.contains(said), "\(language) \(format)")
                XCTAssertFalse(text.contains(notSaid), "\(language) \(format)")
            }
        }
        // A run's own command keeps its sentence.
        let run = try ReportRenderer().render(try ReportFixture.result(), format: .md)
        XCTAssertTrue(run.contains("this command recreates every completion and every number of this report"))
    }

    /// Teachers' reviews: the reproduce section's command writes the report in one language; a report in the other
    /// says which flag gives it (`report --lang en` of a `--lang es` run printed `--lang es` beside "recreates … this
    /// report").
    func testAReportInAnotherLanguageThanItsCommandSaysWhichFlagGivesIt() throws {
        let english = "This command writes the report in Spanish; with `--lang en` in place of its `--lang`, it writes it "
            + "in English, as this one."
        // A command without --lang is told to add it, one with `--lang en` to put `--lang es` in its place (a newcomer's
        // review: "en lugar de su --lang, si tiene uno" under a command that had none).
        let added = "Esta orden escribe el informe en inglés; con `--lang es` añadido, lo escribe en español, como este."
        let replaced = "Esta orden escribe el informe en inglés; con `--lang es` en lugar de su `--lang`, lo escribe en "
            + "español, como este."
        for (command, enNote, esNote) in [
            (["biasaudit", "run", "--lang", "es"], true, nil),
            (["biasaudit", "run", "--lang=es"], true, nil),
            (["biasaudit", "run"], false, added),
            (["biasaudit", "run", "--lang", "es", "--lang", "en"], false, replaced),
            (["biasaudit", "run", "--lang=en"], false, replaced),
        ] {
            var result = try ReportFixture.result()
            result.manifest.commandLine = command
            let en = try ReportRenderer().render(result, format: .md, language: .en)
            let es = try ReportRenderer().render(result, format: .md, language: .es)
            XCTAssertEqual(en.contains(english), enNote, "\(command) en")
            XCTAssertEqual(es.contains("Esta orden escribe el informe en inglés"), esNote != nil, "\(command) es")
            if let esNote { XCTAssertTrue(es.contains(esNote), "\(command) es: no '\(esNote)'") }
            let html = try ReportRenderer().render(result, format: .html, language: .en)
            XCTAssertEqual(html.contains("This command writes the report in Spanish"), enNote, "\(command) html")
            let esHTML = try ReportRenderer().render(result, format: .html, language: .es)
            XCTAssertEqual(esHTML.contains("<code>--lang es</code>" + (command.count == 2 ? " añadido," : " en lugar de su")),
                           esNote != nil, "\(command) es html")
        }
    }

    /// A newcomer's review: a contrast taken on the templates both groups have (a completions file without a group ×
    /// template cell) showed Δ beside the groups' levels with no word on its row. Its row in the at-a-glance table
    /// and in the contrast table says which templates, in both languages; the other contrasts say nothing.
    func testAContrastOnSomeTemplatesSaysWhichOnItsRows() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex {
            $0.templates.count >= 3 && $0.contrasts.contains { $0.isFinding(below: 0.05) }
        })
        let index = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex { $0.isFinding(below: 0.05) })
        result.promptSets[set].contrasts[index].templatesCompared = [1, 3]
        let all = result.promptSets[set].templates.count
        for (language, note) in [(ReportLanguage.en, "on templates 1, 3 of \(all)"), (.es, "en las plantillas 1, 3 de \(all)")] {
            for format in [ReportFormat.md, .html] {
                let text = try ReportRenderer().render(result, format: format, language: language)
                // In the at-a-glance table, the set's contrast table and the finding's sentence (a second review).
                XCTAssertEqual(text.components(separatedBy: note).count - 1, 3, "\(language) \(format): '\(note)'")
                // On the rows, under the difference in HTML, where it may wrap while the numbers stay on one line (at
                // the end of a nowrap cell, the contrast table outgrew 1280 px: a review); after it in Markdown.
                let onRow = format == .html ? "<br/><span class=\"ci wrap\">" + note + "</span>" : " (" + note + ")"
                XCTAssertEqual(text.components(separatedBy: onRow).count - 1, 2, "\(language) \(format): rows")
            }
            // And the terminal summary's finding line.
            let summary = TerminalSummary.render(result, language: language)
            XCTAssertTrue(summary.contains(note + ", q"), "\(language): no '\(note)' in\n\(summary)")
        }
        // A user's template written before the note was a field of its own keeps it in `difference` and `value` (a
        // review: such a template lost it from every row); the bundled ones use `estimate` and `templatesNote`.
        let folder = try Fixtures.temporaryDirectory("old-templates")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("""
            {{#glance.rows}}{{#cells}}<{{{value}}}>{{/cells}}{{/glance.rows}}
            {{#sets}}{{#contrasts}}[{{{difference}}}]{{/contrasts}}{{/sets}}

            """.utf8).write(to: folder.appendingPathComponent("report.md.mustache"))
        let old = try ReportRenderer(templates: folder).render(result, format: .md, language: .en)
        let english = "on templates 1, 3 of \(all)"
        XCTAssertEqual(old.components(separatedBy: " (" + english + ")>").count - 1, 1, old)
        XCTAssertEqual(old.components(separatedBy: " (" + english + ")]").count - 1, 1, old)
        // A model comparison of two contrasts on different templates has no interval for that reason, and says it (a
        // review: "0.00 [no CI: no variance estimate]").
        let contrastID = result.promptSets[set].contrasts[index].id
        if let compared = result.modelComparisons.firstIndex(where: { $0.contrastID == contrastID }) {
            result.modelComparisons[compared].difference.lower = nil
            result.modelComparisons[compared].difference.upper = nil
            result.modelComparisons[compared].difference.standardError = nil
            result.modelComparisons[compared].verdict = .undetermined
            for (language, words, glance) in [(ReportLanguage.en, "[no CI: the contrasts rest on different templates]",
                                               "undetermined (different templates)"),
                                              (.es, "[sin IC: los contrastes se basan en plantillas distintas]",
                                               "indeterminado (plantillas distintas)")] {
                let text = try ReportRenderer().render(result, format: .md, language: language)
                XCTAssertTrue(text.contains(words), "\(language): no '\(words)'")
                // The at-a-glance table's verdict says why (it said "undetermined" alone).
                XCTAssertEqual(text.components(separatedBy: glance).count - 1, 1,
                               "\(language): '\(glance)'")
            }
        } else {
            XCTFail("the fixture has no model comparison of \(contrastID)")
        }
        result.promptSets[set].contrasts[index].templatesCompared = [2]
        let one = try ReportRenderer().render(result, format: .md, language: .en)
        XCTAssertTrue(one.contains("(on template 2 of \(all))"), "one template, in the singular")
        let untouched = try ReportRenderer().render(try ReportFixture.result(), format: .md, language: .en)
        XCTAssertFalse(untouched.contains("of \(all))"), "a contrast on every template says nothing")
    }

    /// A teacher's review: a set with Spanish templates was scored in English without a word, and the Spanish report
    /// tagged its prompts `lang="en"`. Its section says so, in both languages, and tags them `lang="es"`.
    func testASetWhoseTemplatesReadAsSpanishSaysItIsScoredInEnglish() throws {
        var result = try ReportFixture.result()
        let first = try XCTUnwrap(result.promptSets[0].templates.first)
        let slot = first[try XCTUnwrap(first.range(of: #"\{[^}]*\}"#, options: .regularExpression))]
        result.promptSets[0].templates = ["La persona que trabaja de \(slot) dijo que", "Ayer, la \(slot) del hospital"]
        for (language, note) in [(ReportLanguage.en, "This set’s prompts seem to be written in Spanish (‘la’, ‘que’, ‘de’, ‘dijo’)"),
                                 (.es, "Los prompts de este conjunto parecen estar escritos en español (‘la’, ‘que’, ‘de’, ‘dijo’)")] {
            let markdown = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertEqual(markdown.components(separatedBy: note).count - 1, 1, "\(language): the note once, in its set")
            let html = try ReportRenderer().render(result, format: .html, language: language)
            XCTAssertTrue(html.contains(note), "\(language) html")
            XCTAssertTrue(html.contains("<li><code lang=\"es\">La persona que trabaja de"), "\(language): the template tagged")
            XCTAssertFalse(html.contains("<li><code lang=\"en\">La persona"), "\(language)")
        }
        // Its findings carry the caution where they are listed first, the summary and the printed handout, and so do the
        // set's lines of the terminal summary (a teacher's review: the note stayed in the closed section).
        XCTAssertFalse(Findings.ranked(result.promptSets[0].contrasts, below: 0.05).isEmpty, "the fixture's set has findings")
        for (language, caution) in [(ReportLanguage.en, "Caution: this set’s prompts seem to be written in Spanish, and biasaudit "
                                        + "scores in English, so this may not measure what it says"),
                                    (.es, "Atención: los prompts de este conjunto parecen estar escritos en español y "
                                        + "biasaudit puntúa en inglés")] {
            let view = ReportViewModel(result, escaping: .markdown, language: language)
            let own = view.summary.findings.filter { $0.set == result.promptSets[0].name }
            XCTAssertFalse(own.isEmpty)
            XCTAssertTrue(own.allSatisfy { $0.sentence.contains(caution) }, "\(language): \(own.map(\.sentence))")
            XCTAssertFalse(view.summary.findings.filter { $0.set != result.promptSets[0].name }.contains { $0.sentence.contains(caution) })
            let terminal = TerminalSummary.render(result, language: language)
            XCTAssertEqual(terminal.components(separatedBy: caution).count - 1, 1, "\(language): once, under its set: \(terminal)")
        }
        // The at-a-glance table, whose rows mark findings too, says it under the set's name (a read-through).
        for (language, glance) in [(ReportLanguage.en, "Caution: prompts seem to be in Spanish, scored in English (see the set’s section)"),
                                   (.es, "Atención: los prompts parecen estar en español y se puntúan en inglés (vea la sección del conjunto)")] {
            let rows = ReportViewModel(result, escaping: .markdown, language: language).glance.rows
            let own = rows.filter { $0.anchor == rows[0].anchor }
            XCTAssertTrue(own.allSatisfy { $0.languageCaution == glance }, "\(language): \(own.map(\.languageCaution))")
            XCTAssertTrue(rows.filter { $0.anchor != rows[0].anchor }.allSatisfy { $0.languageCaution == nil })
            let markdown = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertEqual(markdown.components(separatedBy: "<br>" + glance + " |").count - 1, 1, "\(language): md, once")
            let html = try ReportRenderer().render(result, format: .html, language: language)
            XCTAssertEqual(html.components(separatedBy: "<br/><span class=\"ci wrap\">\(glance)</span></th></tr>").count - 1, 1,
                           "\(language): html, once, in the set's row")
        }
        let plain = try ReportFixture.result()
        XCTAssertTrue(ReportViewModel(plain, escaping: .markdown).glance.rows.allSatisfy { $0.languageCaution == nil })
        XCTAssertFalse(TerminalSummary.render(plain).contains("Caution:"))
        XCTAssertFalse(ReportViewModel(plain, escaping: .markdown).summary.findings.contains { $0.sentence.contains("Caution:") })
        // A set of fixed prompts (no templates in results.json): its example prompts tell (a code review).
        result.promptSets[0].templates = []
        XCTAssertFalse(result.promptSets[0].examples.isEmpty)
        for index in result.promptSets[0].examples.indices {
            result.promptSets[0].examples[index].prompt = ["La enfermera dijo que", "El carpintero del pueblo"][index % 2]
        }
        let fixed = try ReportRenderer().render(result, format: .md, language: .en)
        XCTAssertTrue(fixed.contains("This set’s prompts seem to be written in Spanish (‘la’, ‘dijo’, ‘que’, ‘el’)"), fixed)
        // English templates: no note, and the English report adds no lang attribute.
        let english = try ReportRenderer().render(try ReportFixture.result(), format: .html, language: .en)
        XCTAssertFalse(english.contains("read as Spanish"))
        XCTAssertFalse(english.contains("<li><code lang="))
    }

    /// A French teacher's review: French templates were said to read as Spanish. The note names the language found, or
    /// says "not English" when the templates are of two languages; the HTML tags them with its code, or `lang=""`.
    func testASetWhoseTemplatesReadAsFrenchOrAsTwoLanguagesSaysSo() throws {
        var result = try ReportFixture.result()
        let first = try XCTUnwrap(result.promptSets[0].templates.first)
        let slot = first[try XCTUnwrap(first.range(of: #"\{[^}]*\}"#, options: .regularExpression))]
        let french = "La personne qui travaille comme \(slot) a dit que"
        for (templates, code, english, spanish) in [
            ([french], "fr",
             "This set’s prompts seem to be written in French (‘la’, ‘qui’, ‘comme’, ‘dit’), but biasaudit scores in English",
             "Los prompts de este conjunto parecen estar escritos en francés (‘la’, ‘qui’, ‘comme’, ‘dit’), pero biasaudit "),
            ([french, "La persona che lavora come \(slot) ha detto che"], "",
             "This set’s prompts seem not to be written in English (‘la’, ‘qui’, ‘comme’, ‘dit’), but biasaudit scores in English",
             "Los prompts de este conjunto parecen no estar escritos en inglés (‘la’, ‘qui’, ‘comme’, ‘dit’), pero biasaudit "),
        ] {
            result.promptSets[0].templates = templates
            let keep = code == "fr" ? ("keep the French in the labels", "deje el francés en las etiquetas")
                : ("If they are not, its sentiment", "Si no lo están, su sentimiento")
            for (language, note, fix) in [(ReportLanguage.en, english, keep.0), (.es, spanish, keep.1)] {
                let markdown = try ReportRenderer().render(result, format: .md, language: language)
                XCTAssertEqual(markdown.components(separatedBy: note).count - 1, 1, "\(language) \(code): the note once")
                XCTAssertTrue(markdown.contains(fix), "\(language) \(code): \(markdown)")
                XCTAssertFalse(markdown.contains("written in Spanish") || markdown.contains("escritos en español"),
                               "\(language) \(code)")
                let html = try ReportRenderer().render(result, format: .html, language: language)
                XCTAssertTrue(html.contains("<li><code lang=\"\(code)\">La personne qui"), "\(language) \(code): tagged")
            }
        }
    }

    /// Student's review: an `analyze` report said "Run started" and "Generation 0 ms" though nothing was generated.
    func testAnAnalysisSaysWhenItStartedAndListsNoGeneration() throws {
        var result = try ReportFixture.result()
        result.manifest.source = CompletionsSource(
            completionsFile: "c.jsonl", sha256: String(repeating: "0", count: 64), reanalysedRun: nil, pairedStreams: true, unpairedReason: nil,
            declaredParameters: true)
        for (language, started, generation, runStarted) in [
            (ReportLanguage.en, "Analysis started ", "Generation", "Run started"),
            (.es, "Inicio del análisis: ", "Generación", "Inicio de la ejecución"),
        ] {
            let markdown = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertTrue(markdown.contains("\n" + started), "\(language)")
            XCTAssertFalse(markdown.contains(runStarted), "\(language)")
            let view = ReportViewModel(result, escaping: .html, language: language)
            XCTAssertFalse(view.timing.map(\.name).contains(generation), "\(language): \(view.timing.map(\.name))")
            XCTAssertTrue(ReportViewModel(try ReportFixture.result(), escaping: .html, language: language).timing.map(\.name)
                .contains(generation), "\(language): a run lists its generation")
        }
        // Models known only from the file: "completions file", not a row of dashes (a teacher's review).
        for index in result.manifest.models.indices { result.manifest.models[index].source = nil }
        for (language, from) in [(ReportLanguage.en, " | completions file | "), (.es, " | archivo de continuaciones | ")] {
            let markdown = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertTrue(markdown.contains(from), "\(language)")
        }
    }

    func testSpeedTableHasEachModelsMeasuredGeneration() throws {
        let document = try html(try ReportFixture.result())
        let rows = try texts(document, "//table[@class='speed']/tbody/tr")
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows[0].contains("distilgpt2") && rows[0].contains("7.6") && rows[0].contains("612 MiB"), rows[0])
        XCTAssertFalse(try texts(document, "//p[@class='note']").contains { $0.hasPrefix("Resumed run") })
        let models = try texts(document, "//section[@id='audited']//table[1]/tbody/tr")
        XCTAssertTrue(models[0].contains("Hugging Face Hub"), models[0])
    }

    func testAResumedRunSaysItsSpeedIsPartial() throws {
        var result = try ReportFixture.result()
        result.timing.models![1] = ModelSpeed(
            model: "gpt2", completions: 0, generatedTokens: 0, seconds: 0, peakResidentBytes: nil, storedBefore: 516)
        let document = try html(result)
        let rows = try texts(document, "//table[@class='speed']/tbody/tr")
        XCTAssertTrue(rows[1].contains("none generated (all stored)"), rows[1])
        XCTAssertTrue(
            try texts(document, "//p[@class='note']").contains {
                $0.contains("Resumed run: gpt2 reused completions") && $0.contains("this invocation’s share only")
            })
        let spanish = try html(result, language: .es)
        XCTAssertTrue(try texts(spanish, "//p[@class='note']").contains { $0.hasPrefix("Ejecución reanudada: gpt2 reutilizó ") })
        // Two models: joined as prose, and the Spanish verb agrees (a Spanish-speaking teacher: "chico, grande reutilizó").
        result.timing.models![0].storedBefore = 516
        XCTAssertTrue(try texts(try html(result), "//p[@class='note']").contains {
            $0.hasPrefix("Resumed run: distilgpt2 and gpt2 reused completions")
        })
        XCTAssertTrue(try texts(try html(result, language: .es), "//p[@class='note']").contains {
            $0.hasPrefix("Ejecución reanudada: distilgpt2 y gpt2 reutilizaron continuaciones")
        })
    }

    func testPairsShowBothSidesEscaped() throws {
        let document = try html(try ReportFixture.result())
        let pairs = try document.nodes(forXPath: "//tbody[@class='pair']")
        XCTAssertEqual(pairs.count, 6, "two pairs per model in religion, one in occupations-gender")
        for pair in pairs {
            let element = try XCTUnwrap(pair as? XMLElement)
            XCTAssertEqual(element.elements(forName: "tr").count, 3, "a heading row and one row per side")
        }
        XCTAssertEqual(try document.nodes(forXPath: "//b").count, 0, "markup in a continuation must stay text")
        let marks = try texts(document, "//tbody[@class='pair']//mark[@class='continuation']")
        XCTAssertTrue(marks.contains(" he <b>attacked</b> a man | with a knife."), "\(marks)")
        let heads = try texts(document, "//tr[@class='pair-head']")
        // sample_index 4 as the file has it (review 86: "sample 5" was sample_index 4); the template from 1.
        XCTAssertTrue(heads.contains("distilgpt2 · Christian − Muslim · template 2, sample index 4 · Δ compound +1.311"), "\(heads)")

        let markdown = try ReportRenderer().render(try ReportFixture.result(), format: .md)
        let row = try XCTUnwrap(markdown.components(separatedBy: "\n").first { $0.contains("attacked") })
        XCTAssertTrue(row.contains("\\<b\\>attacked\\</b\\> a man \\| with a knife."), row)
    }

    /// A teaching assistant's review: "the occupations … do not vary in the model's male share or in the share of men
    /// employed" beside a table whose labour shares ran from 89% to 98% (the model's was 100% for each). The sentence
    /// names the side without variation.
    func testNoRankCorrelationSaysWhichSideDoesNotVary() throws {
        let base = try ReportFixture.result()
        let setIndex = try XCTUnwrap(base.promptSets.firstIndex { $0.labourStatistics?.count == 2 })
        func note(_ edit: (inout LabourComparison) -> Void, language: ReportLanguage = .en) throws -> String {
            var result = base
            edit(&result.promptSets[setIndex].labourStatistics![1])
            result.promptSets[setIndex].labourStatistics![1].spearman = nil
            result.promptSets[setIndex].labourStatistics![1].spearmanPValue = nil
            let document = try html(result, language: language)
            let notes = try texts(document, "//table[@class='labour']/../following-sibling::p[1]")
            return try XCTUnwrap(notes.last)
        }
        func sameModelShare(_ comparison: inout LabourComparison) {
            for index in comparison.occupations.indices where comparison.occupations[index].isSupported {
                comparison.occupations[index].maleShare.value = 1
            }
        }
        func sameLabourShare(_ comparison: inout LabourComparison) {
            for index in comparison.occupations.indices {
                comparison.occupations[index].womenShare = 0.5
                comparison.occupations[index].menShare = 0.5
            }
        }
        XCTAssertEqual(try note(sameModelShare), "No rank correlation: the model’s male share is the same for every "
            + "occupation with enough data, so it puts none of them above another.")
        XCTAssertEqual(try note(sameModelShare, language: .es), "Sin correlación de rangos: la proporción masculina "
            + "del modelo es la misma en todas las ocupaciones con datos suficientes, así que no pone ninguna por encima de otra.")
        XCTAssertEqual(try note(sameLabourShare), "No rank correlation: the share of men employed is the same for every "
            + "occupation with enough data.")
        XCTAssertEqual(try note { sameModelShare(&$0); sameLabourShare(&$0) }, "No rank correlation: neither the model’s "
            + "male share nor the share of men employed varies over the occupations with enough data.")
    }

    func testLabourTablesPerModelWithTheirCorrelation() throws {
        let document = try html(try ReportFixture.result())
        XCTAssertEqual(try document.nodes(forXPath: "//table[@class='labour']").count, 2)
        let notes = try texts(document, "//table[@class='labour']/../following-sibling::p[1]")
        XCTAssertEqual(notes, [
            "No rank correlation: fewer than 4 occupations have enough gendered words (1).",
            "Spearman’s rank correlation between the model’s male share and the share of men employed: ρ = +0.60 over 4 "
                + "occupations with enough gendered words; a positive ρ means the model writes male words more often for "
                + "the occupations more men hold.",
        ])
        let rows = try texts(document, "(//table[@class='labour'])[2]/tbody/tr")
        XCTAssertEqual(rows.count, 12)
        // The labour shares with the decimals the set gives (whole percents; "87.0%" showed a precision they do not
        // have: a teacher's review), the model's male share with its own.
        XCTAssertTrue(rows[0].hasPrefix("nurse") && rows[0].contains("13%") && rows[0].contains("87%") && rows[0].contains("27.3%"), rows[0])
        XCTAssertFalse(rows[0].contains("87.0%"), rows[0])
        XCTAssertTrue(rows[2].contains("too few gendered words"), rows[2])
        // A share given to a tenth of a percent: every row gets one decimal.
        var finer = try ReportFixture.result()
        let set = try XCTUnwrap(finer.promptSets.firstIndex { $0.labourStatistics != nil })
        for index in finer.promptSets[set].labourStatistics!.indices {
            finer.promptSets[set].labourStatistics![index].occupations[0].womenShare = 0.875
            finer.promptSets[set].labourStatistics![index].occupations[0].menShare = 0.125
        }
        let finerRows = try texts(try html(finer), "(//table[@class='labour'])[2]/tbody/tr")
        XCTAssertTrue(finerRows[0].contains("12.5%") && finerRows[0].contains("87.5%"), finerRows[0])
        XCTAssertTrue(finerRows[1].contains(".0%"), finerRows[1])
    }

    /// An occupation without a completion (`analyze` of a file that leaves it out) reads so, not "too few gendered words
    /// (0 for this occupation …)", which read as the model writing none (a practitioner's review).
    func testAnOccupationWithoutCompletionsSaysSo() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.labourStatistics != nil })
        for index in result.promptSets[set].labourStatistics!.indices {
            result.promptSets[set].labourStatistics![index].occupations[2].maleShare = MetricEstimate(
                value: nil, lower: nil, upper: nil, n: 0, terms: 0, insufficient: "too few gendered words (0 in a group, "
                    + "below the minimum of 20)",
                insufficientDetail: InsufficientSupport(reason: .tooFewGenderedWords, observed: 0, minimum: 20))
        }
        let rows = try texts(try html(result), "(//table[@class='labour'])[2]/tbody/tr")
        XCTAssertTrue(rows[2].hasSuffix("no completions for this occupation"), rows[2])
        let spanish = try ReportRenderer().render(result, format: .md, language: .es)
        XCTAssertTrue(spanish.contains("| ninguna continuación para esta ocupación |"), spanish)
    }
}
