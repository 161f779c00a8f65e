import AuditResults
import Reporting
import XCTest

/// Results whose statistics found copies of one completion per prompt (greedy decoding) say in their header what that
/// leaves to measure; the note follows the data, not the settings (review: a served model that refused top_k 1
/// sampled, and the note was printed).
final class GreedyNoteTests: XCTestCase {
    func testResultsOfCopiesSayEachPromptCountsOnce() throws {
        var result = try ReportFixture.result()
        result.manifest.parameters.topK = 1
        for language in ReportLanguage.allCases {
            let sampled = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertFalse(sampled.contains("top-k 1)"), "\(language): top-k 1 alone (no copies found) has no note")
        }
        result.promptSets[0].contrasts[0].difference.method = MetricEstimate.copiesMethod
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("Every sample of a prompt came out as the same text (as greedy decoding, top-k 1, "
            + "writes them): one draw"), english)
        let spanish = try ReportRenderer().render(result, format: .html, language: .es)
        XCTAssertTrue(spanish.contains("Todas las muestras de un prompt salieron con el mismo texto"))
    }

    /// A teacher's review: one model decoded greedily beside one that sampled, and the note read as if both had been.
    /// It names the models that wrote copies where the run has others, and says nothing more where every model did.
    func testTheNoteNamesTheModelsThatWroteCopiesWhereOthersSampled() throws {
        var result = try ReportFixture.result()
        let models = result.manifest.models.map(\.id)
        XCTAssertGreaterThan(models.count, 1, "the fixture has several models")
        let copied = models[0]
        for index in result.promptSets[0].contrasts.indices where result.promptSets[0].contrasts[index].model == copied {
            result.promptSets[0].contrasts[index].difference.method = MetricEstimate.copiesMethod
        }
        XCTAssertEqual(result.modelsWithCopiesOfOneDraw, [copied])
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("This holds for ‘\(copied)’ only; the other models’ samples of a prompt differ."), english)
        let spanish = try XCTUnwrap(TerminalNotes.greedy(result, language: .es))
        XCTAssertTrue(spanish.hasSuffix("Esto vale solo para '\(copied)'; las muestras de un prompt de los demás modelos "
            + "difieren."), spanish)
        for set in result.promptSets.indices {
            for index in result.promptSets[set].contrasts.indices {
                result.promptSets[set].contrasts[index].difference.method = MetricEstimate.copiesMethod
            }
        }
        XCTAssertEqual(Set(result.modelsWithCopiesOfOneDraw), Set(models))
        let every = try XCTUnwrap(TerminalNotes.greedy(result, language: .en))
        XCTAssertFalse(every.contains("This holds for"), every)
    }

    /// The note names the units a group varies between as the run's groups are made of: terms, fixed prompts, or both
    /// (a review: the fixed-prompts aside showed in runs of terms alone).
    func testTheNoteNamesTheUnitsTheRunsGroupsAreMadeOf() throws {
        var result = try ReportFixture.result()
        for set in result.promptSets.indices {
            for index in result.promptSets[set].contrasts.indices {
                result.promptSets[set].contrasts[index].difference.method = MetricEstimate.copiesMethod
            }
        }
        func setFixed(_ fixed: (Int, Int) -> Bool) {
            for set in result.promptSets.indices {
                for group in result.promptSets[set].groups.indices {
                    result.promptSets[set].groups[group].fixedPrompts = fixed(set, group)
                }
            }
        }
        let cases: [(String, (Int, Int) -> Bool, en: String, es: String)] = [
            ("terms", { _, _ in false }, "varies only between a group’s terms: a contrast of groups with one term each",
             "varía entonces solo entre los términos de un grupo: un contraste de grupos con un término cada uno"),
            ("prompts", { _, _ in true }, "varies only between a group’s prompts: a contrast of groups with one prompt each",
             "varía entonces solo entre los prompts de un grupo: un contraste de grupos con un prompt cada uno"),
            ("both", { _, group in group == 0 },
             "between a group’s terms (between its prompts, in a group of fixed prompts): a contrast of groups with one "
                + "term each",
             "entre los términos de un grupo (entre sus prompts, en un grupo de prompts fijos): un contraste de grupos "
                + "con un término cada uno"),
        ]
        for (name, fixed, english, spanish) in cases {
            setFixed(fixed)
            let en = try XCTUnwrap(TerminalNotes.greedy(result, language: .en))
            XCTAssertTrue(en.contains(english), "\(name): \(en)")
            XCTAssertEqual(en.contains("fixed prompts"), name == "both", "\(name): \(en)")
            let es = try XCTUnwrap(TerminalNotes.greedy(result, language: .es))
            XCTAssertTrue(es.contains(spanish), "\(name): \(es)")
            XCTAssertEqual(es.contains("prompts fijos"), name == "both", "\(name): \(es)")
        }
    }

    /// A teacher's review: a greedy report's statistics table said "random-stream clusters" and "MOVER" beside a
    /// contrast note saying there were no random streams and that rates took a t test. The table says what was done:
    /// sampled, copies under every model, or under some.
    func testTheStatisticsTableSaysHowCopiesWereAnalysed() throws {
        var result = try ReportFixture.result()
        let sampled = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(sampled.contains("t over crossed term × random-stream clusters (Satterthwaite df); Wilson for rates "
            + "and shares, MOVER for their contrasts |"), "sampled")
        let models = result.manifest.models.map(\.id)
        for index in result.promptSets[0].contrasts.indices where result.promptSets[0].contrasts[index].model == models[0] {
            result.promptSets[0].contrasts[index].difference.method = MetricEstimate.copiesMethod
        }
        let some = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(some.contains("MOVER for their contrasts; under the models whose samples are copies of one draw, t over "
            + "terms (the samples of each prompt are copies of one draw"), "some models copies")
        XCTAssertTrue(some.contains("inverting the MOVER interval); for rates and shares too under the models whose samples "
            + "are copies of one draw"), "some models copies")
        for set in result.promptSets.indices {
            for index in result.promptSets[set].contrasts.indices {
                result.promptSets[set].contrasts[index].difference.method = MetricEstimate.copiesMethod
            }
        }
        let all = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(all.contains("| t over terms (the samples of each prompt are copies of one draw, as greedy decoding "
            + "writes them: no random streams; Satterthwaite df); for rates Wilson on the draws (one per prompt), for shares "
            + "on their gendered words, over the design effect, and t for their contrasts |"), "all copies")
        XCTAssertTrue(all.contains("t tests of group contrasts over terms (Satterthwaite or pooled df), for rates and shares "
            + "too (copies of one draw)"), "all copies")
        XCTAssertFalse(all.contains("random-stream clusters"), "all copies")
        let spanish = try ReportRenderer().render(result, format: .md, language: .es)
        XCTAssertTrue(spanish.contains("| t sobre términos (las muestras de cada prompt son copias de una sola extracción"),
                      "all copies, es")
        XCTAssertFalse(spanish.contains("clústeres cruzados término × flujo aleatorio"), "all copies, es")
    }

    /// Methods and the contrast table's note say that copies' rate and share contrasts took a t test, not the MOVER
    /// interval, and their levels Wilson's on the draws (a statistician's review: they described only the methods of
    /// sampled completions; statistics revision 18 for the levels); sampled results do not say it.
    func testMethodsOfCopiesSayRatesWereAnalysedAsMeans() throws {
        var result = try ReportFixture.result()
        let phrases: [(ReportLanguage, ReportFormat, [String])] = [
            // A group of fixed prompts varies between its prompts (a review: "between terms" only).
            (.en, .md, ["**Copies of one draw.**", "(a t test with Satterthwaite df where the samples of each prompt are copies",
                        "between terms (between prompts, in a group of fixed prompts;",
                        // The model comparison's pairing (a teacher's review: "sampled with common random numbers" alone).
                        "the streams carry nothing: the data are paired by prompt alone (the same prompt under both models)."]),
            (.en, .html, ["<strong>Copies of one draw.</strong>", "their levels take Wilson’s interval on the draws, one per prompt", "The MOVER interval below applies only",
                          "between terms (between prompts, in a group of fixed prompts;"]),
            (.es, .md, ["**Copias de una sola extracción.**", "(una prueba t con grados de libertad de Satterthwaite donde las muestras",
                        "entre términos (entre prompts, en un grupo de prompts fijos;",
                        "los flujos no aportan nada: los datos se emparejan solo por prompt (el mismo prompt con ambos modelos)."]),
            (.es, .html, ["<strong>Copias de una sola extracción.</strong>", "sus niveles toman el intervalo de Wilson sobre las extracciones", "solo vale para continuaciones muestreadas",
                          "entre términos (entre prompts, en un grupo de prompts fijos;"]),
        ]
        for (language, format, expected) in phrases {
            let sampled = try ReportRenderer().render(result, format: format, language: language)
            for phrase in expected { XCTAssertFalse(sampled.contains(phrase), "\(language) \(format), sampled: \(phrase)") }
        }
        result.promptSets[0].contrasts[0].difference.method = MetricEstimate.copiesMethod
        for (language, format, expected) in phrases {
            let copies = try ReportRenderer().render(result, format: format, language: language)
            for phrase in expected { XCTAssertTrue(copies.contains(phrase), "\(language) \(format), copies: \(phrase)") }
        }
    }

    /// A sweep whose later setting is greedy has the note too (review: only a first greedy setting did).
    func testASweepsGreedySettingHasTheNote() throws {
        var result = try ReportFixture.result()
        XCTAssertFalse(try ReportRenderer().render(result, format: .md).contains("came out as the same text"))
        let contrast = result.promptSets[0].contrasts[0]
        var copied = contrast.difference
        copied.method = MetricEstimate.copiesMethod
        let greedy = SweepSetting(temperature: 1, topK: 1, topP: 1)
        let base = SweepSetting(temperature: 1, topK: 50, topP: 1)
        result.sweep = SweepResult(
            parameters: [SweptParameter(name: "top_k", values: [50, 1])], settings: [base, greedy], base: base,
            note: "", levels: [],
            contrasts: [SweepContrast(
                setting: greedy, id: contrast.id, model: contrast.model, promptSet: result.promptSets[0].name,
                metric: contrast.metric, groupA: contrast.groupA, groupB: contrast.groupB, difference: copied)])
        let markdown = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(markdown.contains("came out as the same text"), markdown)
        // Said of the sweep's greedy setting, not of the main tables, which sampled (a review: the header's note read as
        // if the top-k 50 tables held copies).
        XCTAssertTrue(markdown.contains("In the sampling sweep, at top-k 1, every sample of a prompt came out as the same text"),
                      markdown)
        XCTAssertTrue(markdown.contains("The main tables sampled."), markdown)
        XCTAssertFalse(markdown.contains("more samples add nothing"), markdown)
        XCTAssertTrue(markdown.contains("**Copies of one draw.**"), "the Methods bullet explains the sweep's copies")
        // … for the sweep's setting only (a teacher's review: Methods said every sample came out as one text).
        XCTAssertTrue(markdown.contains("Prompts came out as copies only in the sampling sweep, at top-k 1: the main tables sampled."), markdown)
        let spanish = try ReportRenderer().render(result, format: .md, language: .es)
        XCTAssertTrue(spanish.contains("En el barrido de muestreo, con top-k 1, todas las muestras"), spanish)

        // Main tables of copies beside a sweep setting that sampled: the main note, and where in the sweep it holds.
        result.promptSets[0].contrasts[0].difference.method = MetricEstimate.copiesMethod
        result.sweep?.base = greedy
        result.sweep?.settings = [greedy, base]
        result.sweep?.parameters = [SweptParameter(name: "top_k", values: [1, 50])]
        let both = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(both.contains("more samples add nothing"), both)
        XCTAssertTrue(both.contains("In the sampling sweep, prompts came out as copies at top-k 1 only."), both)
        XCTAssertFalse(both.contains("The main tables sampled."), both)
        XCTAssertFalse(both.contains("the main tables sampled"), both)
        // … and Methods say where in the sweep the copies bullet holds (a review: unqualified under top_k=1,50).
        XCTAssertTrue(both.contains("The MOVER interval below applies only to sampled completions. In the "
            + "sampling sweep, prompts came out as copies at top-k 1 only."), both)
    }
}
