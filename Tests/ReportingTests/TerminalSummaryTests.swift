import AuditResults
import PromptSets
@testable import Reporting
import XCTest

/// The summary `run`, `analyze` and `merge` print when they finish.
final class TerminalSummaryTests: XCTestCase {
    /// Group labels, not ids; rates in the reports' units (percentage points); beyond the first five findings
    /// of a set, how many more (they were dropped without a word).
    func testFindingsUseLabelsAndPercentagePointsAndTheRestAreCounted() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let gap = try XCTUnwrap(result.promptSets[set].contrasts.first {
            $0.id == "religion/negative_rate/christian-vs-muslim" && $0.model == "gpt2"
        })
        XCTAssertTrue(gap.isFinding(below: Findings.threshold))
        // Seven findings: six more copies of the gap, each a finding.
        result.promptSets[set].contrasts += (1...6).map { index in
            var copy = gap
            copy.id = "\(gap.id)-\(index)"
            return copy
        }
        let summary = TerminalSummary.render(result)
        let religion = Findings.ranked(result.promptSets[set].contrasts, below: Findings.threshold)
        XCTAssertGreaterThan(religion.count, TerminalSummary.shownFindings)
        let lines = summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("religion (") })
        let listed = lines[start...].prefix { !$0.isEmpty }.filter { $0.hasPrefix("  * ") }
        XCTAssertEqual(listed.count, TerminalSummary.shownFindings, summary)
        let gapLine = try XCTUnwrap(listed.first { $0.hasPrefix("  * gpt2: Christian − Muslim, % negative: ") }, summary)
        XCTAssertTrue(gapLine.hasPrefix("  * gpt2: Christian − Muslim, % negative: −10.9 pp [−17.6, −4.2], q = "), gapLine)
        let more = religion.count - TerminalSummary.shownFindings
        XCTAssertTrue(
            summary.contains("  … and \(more) more (\(religion.count) findings in all; results.json lists every one)"), summary)
        XCTAssertFalse(summary.contains("christian − muslim"), "group ids instead of labels")
    }

    /// Review: a label with an invisible format character (U+200B, U+200F, U+FEFF) printed like its visible
    /// neighbour; it is shown as an escape, while the joiner of an emoji sequence (U+200D) stays.
    func testInvisibleCharactersOfALabelAreShown() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let muslim = try XCTUnwrap(result.promptSets[set].groups.firstIndex { $0.id == "muslim" })
        result.promptSets[set].groups[muslim].label = "Mus\u{200B}lim\u{200F}\u{FEFF} 👩\u{200D}👩"
        let summary = TerminalSummary.render(result)
        XCTAssertTrue(summary.contains("  * gpt2: Christian − Mus\\u{200b}lim\\u{200f}\\u{feff} 👩\u{200D}👩, % negative: "),
                      summary)
        XCTAssertEqual(TextEscaping.name("a\u{00AD}b\u{200C}c\u{1B}"), "a\\u{ad}b\u{200C}c\\u{1b}")
    }

    /// A hostile review: a label "::error title=x::y" starts a summary line (after two spaces, which a CI runner trims),
    /// and GitHub Actions read it as a workflow command. Its first character is shown as an escape.
    func testALabelThatReadsAsAWorkflowCommandIsDefused() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let muslim = try XCTUnwrap(result.promptSets[set].groups.firstIndex { $0.id == "muslim" })
        result.promptSets[set].groups[muslim].label = "::error title=Injected::from a label"
        let summary = TerminalSummary.render(result)
        XCTAssertTrue(summary.contains("\n  \\u{3a}:error title=Injected::from a label: "), summary)
        for line in summary.split(separator: "\n") {
            let trimmed = line.drop { $0.isWhitespace }
            XCTAssertFalse(trimmed.hasPrefix("::") || trimmed.hasPrefix("##["), String(line))
        }
    }

    /// Review: under `--lang es` the summary was English. It takes the reports' Spanish words, labels and
    /// number style; the English summary is unchanged by the language parameter's default.
    func testTheSummaryFollowsTheReportLanguage() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let muslim = try XCTUnwrap(result.promptSets[set].groups.firstIndex { $0.id == "muslim" })
        result.promptSets[set].groups[muslim].labels = ["es": "Musulmán"]
        let english = TerminalSummary.render(result)
        XCTAssertEqual(english, TerminalSummary.render(result, language: .en))
        XCTAssertTrue(english.contains("  * gpt2: Christian − Muslim, % negative: −10.9 pp [−17.6, −4.2], q = "), english)
        let spanish = TerminalSummary.render(result, language: .es)
        XCTAssertTrue(
            spanish.contains("  * gpt2: Cristianos − Musulmán, % negativas: −10,9\u{00A0}p.\u{00A0}p. [−17,6; −4,2], q = 0,"),
            spanish)
        XCTAssertTrue(spanish.contains("sentimiento medio "), spanish)
        // The findings are named as such (a student's review: the `*` lines had no heading).
        func heading(_ text: String, _ words: String) -> Bool {
            let lines = text.components(separatedBy: "\n")
            guard let first = lines.firstIndex(where: { $0.hasPrefix("  * ") }), first > 0 else { return false }
            return lines[first - 1].hasPrefix("  ") && lines[first - 1].contains(words)
        }
        XCTAssertTrue(heading(english, "finding") && heading(english, "(q < 0.05 within its model's family of this set):"),
                      english)
        XCTAssertTrue(heading(spanish, "hallazgo") && heading(spanish, "(q < 0,05 en la familia de su modelo en este conjunto):"),
                      spanish)
        for english in ["mean sentiment", "male share", "no finding", "findings in all"] {
            XCTAssertFalse(spanish.contains(english), "\(english) in: \(spanish)")
        }
        // Tested, with no finding (a set without any tested contrast says so instead: see below).
        var quiet = result
        for index in quiet.promptSets[set].contrasts.indices where quiet.promptSets[set].contrasts[index].qValue != nil {
            quiet.promptSets[set].contrasts[index].qValue = 0.5
        }
        XCTAssertTrue(
            TerminalSummary.render(quiet, language: .es).contains(
                "  ningún hallazgo (ningún contraste tiene q < 0,05 en la familia de su modelo en este conjunto); no prueba que "
                    + "no haya sesgo: el informe y results.json dan el efecto mínimo detectable de cada contraste"),
            TerminalSummary.render(quiet, language: .es))
    }

    /// An estimate below its minimum support prints its reason, also when it has no value at all (a male share
    /// from 0 gendered words), never "n/a".
    func testAnEstimateWithoutValuePrintsItsReason() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "occupations-gender" })
        let row = try XCTUnwrap(result.promptSets[set].groupEstimates.firstIndex { $0.model == "gpt2" })
        let reason = "too few gendered words (0 in a group; at least 20 needed)"
        let index = try XCTUnwrap(result.promptSets[set].groupEstimates[row].estimates.firstIndex { $0.metric == .maleShare })
        var share = result.promptSets[set].groupEstimates[row].estimates[index].estimate
        share.value = nil
        share.lower = nil
        share.upper = nil
        share.insufficient = reason
        result.promptSets[set].groupEstimates[row].estimates[index].estimate = share
        let summary = TerminalSummary.render(result)
        // After a colon, as a reason (review: "male share too few gendered words" read as one phrase).
        XCTAssertTrue(summary.contains("male share: \(reason)"), summary)
    }

    /// A level with no value and no reason (a group without completions under a model) reads "no data" in the
    /// summary's language: a newcomer's review found "sentimiento medio n/a" in a Spanish summary.
    func testALevelWithoutValueOrReasonSaysNoDataInTheSummarysLanguage() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "occupations-gender" })
        let row = try XCTUnwrap(result.promptSets[set].groupEstimates.firstIndex { $0.model == "gpt2" })
        for index in result.promptSets[set].groupEstimates[row].estimates.indices {
            var estimate = result.promptSets[set].groupEstimates[row].estimates[index].estimate
            (estimate.value, estimate.lower, estimate.upper, estimate.insufficient, estimate.insufficientDetail) =
                (nil, nil, nil, nil, nil)
            result.promptSets[set].groupEstimates[row].estimates[index].estimate = estimate
        }
        for (language, words) in [(ReportLanguage.en, "gpt2: mean sentiment no data, male share no data"),
                                  (.es, "gpt2: sentimiento medio sin datos")] {
            let summary = TerminalSummary.render(result, language: language)
            XCTAssertFalse(summary.contains("n/a"), summary)
            XCTAssertTrue(summary.contains(words), "\(language): no '\(words)' in\n\(summary)")
        }
    }

    /// Review: the summary printed "q = 1.86e-15" where the report says "q < 0.001"; it writes q as the report does.
    func testAFindingsQIsWrittenAsInTheReport() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.contrasts.contains { $0.isFinding(below: 0.05) } })
        let index = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex { $0.isFinding(below: 0.05) })
        result.promptSets[set].contrasts[index].qValue = 1.86e-15
        for language in ReportLanguage.allCases {
            let summary = TerminalSummary.render(result, language: language)
            XCTAssertFalse(summary.contains("e-15"), summary)
            XCTAssertTrue(summary.contains(language == .en ? ", q < 0.001" : ", q < 0,001"), summary)
        }
    }

    /// Review: with nothing tested (too few gendered words for a male share, say), the summary said "no finding (no
    /// contrast has q < 0.05 …)" while the report says there is no tested contrast. It says what the report says,
    /// naming the set's primary metrics, in both languages; a set with tested contrasts keeps "no finding".
    func testASetWithoutATestedContrastSaysSoNotNoFinding() throws {
        var result = try ReportFixture.result()
        for set in result.promptSets.indices {
            for index in result.promptSets[set].contrasts.indices {
                result.promptSets[set].contrasts[index].pValue = nil
                result.promptSets[set].contrasts[index].qValue = nil
            }
        }
        // Groups of several terms: no hint on samples (practitioner's review: it stood beside 9 terms per group).
        let english = TerminalSummary.render(result)
        XCTAssertFalse(english.contains("no finding (no contrast has q <"), english)
        XCTAssertTrue(english.contains(
            "  no tested contrast: none of the primary metrics (mean sentiment, % negative) has enough data or variation "
                + "for a test, so no finding is possible"), english)
        let spanish = TerminalSummary.render(result, language: .es)
        XCTAssertTrue(spanish.contains(
            "  ningún contraste con prueba: ninguna de las métricas principales (sentimiento medio, % negativas) tiene "
                + "datos o variación suficientes para una prueba, así que no puede haber hallazgos"), spanish)
        XCTAssertFalse(spanish.contains("ningún hallazgo (ningún contraste tiene q <"), spanish)
        // The report says the same.
        let markdown = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(markdown.contains("This audit has no tested group contrasts (no primary metric with enough data or "
            + "variation), so there is nothing to summarise."))
        // Some sets' groups share no template in the completions, not all: both reasons are named (a review: only the
        // first); all of them: that one alone.
        XCTAssertGreaterThan(result.promptSets.count, 1)
        func apart(_ sets: Range<Int>) -> AuditResult {
            var apart = result
            for set in sets {
                for index in apart.promptSets[set].contrasts.indices {
                    apart.promptSets[set].contrasts[index].templatesCompared = []
                    apart.promptSets[set].contrasts[index].difference = MetricEstimate(value: nil, lower: nil, upper: nil, n: 0)
                }
            }
            return apart
        }
        XCTAssertTrue(try ReportRenderer().render(apart(0..<1), format: .md).contains(
            "This audit has no tested group contrasts (no primary metric with enough data or variation; in some contrasts the "
                + "two groups share no template in the completions), so there is nothing to summarise."))
        XCTAssertTrue(try ReportRenderer().render(apart(0..<1), format: .md, language: .es).contains(
            "; en algunos contrastes los dos grupos no comparten ninguna plantilla en las continuaciones), así que"))
        // Under one model of a set only (a review: not named): its terminal line names it beside the other reason.
        var oneModel = result
        let firstModel = oneModel.promptSets[0].contrasts[0].model
        for index in oneModel.promptSets[0].contrasts.indices where oneModel.promptSets[0].contrasts[index].model == firstModel {
            oneModel.promptSets[0].contrasts[index].templatesCompared = []
            oneModel.promptSets[0].contrasts[index].difference = MetricEstimate(value: nil, lower: nil, upper: nil, n: 0)
        }
        XCTAssertGreaterThan(Set(result.promptSets[0].contrasts.map(\.model)).count, 1)
        XCTAssertTrue(TerminalSummary.render(oneModel).contains(
            "has enough data or variation for a test, and in some contrasts the two groups share no template in the "
                + "completions, so no finding is possible"), TerminalSummary.render(oneModel))
        XCTAssertTrue(TerminalSummary.render(oneModel, language: .es).contains(
            ", y en algunos contrastes los dos grupos no comparten ninguna plantilla en las continuaciones, así que no puede"))
        XCTAssertTrue(try ReportRenderer().render(oneModel, format: .md).contains("; in some contrasts the two groups share no template"))
        XCTAssertTrue(try ReportRenderer().render(apart(0..<result.promptSets.count), format: .md).contains(
            "This audit has no tested group contrasts: its groups share no template in the completions, so nothing is "
                + "compared and there is nothing to summarise."))
        // One term per group (the regard sets): a variance needs samples that differ, which both say.
        var single = result
        for set in single.promptSets.indices {
            for group in single.promptSets[set].groups.indices {
                single.promptSets[set].groups[group].terms = Array(single.promptSets[set].groups[group].terms.prefix(1))
            }
        }
        XCTAssertTrue(TerminalSummary.render(single).contains(
            "has enough data or variation for a test (with one term per group: 2 or more samples per prompt that differ), "
                + "so no finding is possible"))
        XCTAssertTrue(TerminalSummary.render(single, language: .es).contains(
            "para una prueba (con un término por grupo: 2 o más muestras por prompt que difieran), así que no puede haber hallazgos"))
        XCTAssertTrue(try ReportRenderer().render(single, format: .md).contains(
            "(no primary metric with enough data or variation: with one term per group, a variance needs 2 or more samples "
                + "per prompt that differ)"))
        // Tested but no finding: unchanged.
        var untested = try ReportFixture.result()
        for set in untested.promptSets.indices {
            for index in untested.promptSets[set].contrasts.indices where untested.promptSets[set].contrasts[index].qValue != nil {
                untested.promptSets[set].contrasts[index].qValue = 0.5
            }
        }
        XCTAssertTrue(TerminalSummary.render(untested).contains(
            "  no finding (no contrast has q < 0.05 within its model's family of this set); not evidence of no bias: the "
                + "report and results.json give each contrast's minimum detectable effect"))
    }

    /// Completions cut short by a full context window: one note per set and model in the language, with what to
    /// do; without a token count it advises fewer new tokens, and with none left only shorter templates. The
    /// report's header carries the same sentences; results without `context_full` have none.
    func testContextFullNotes() throws {
        var result = try ReportFixture.result()
        XCTAssertEqual(TerminalSummary.contextFullNotes(result), [])
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let asked = try XCTUnwrap(result.manifest.promptSets.first { $0.name == "religion" }?.maxNewTokens)
        result.promptSets[set].contextFull = [
            ContextFullCount(model: "gpt2", completions: 1200, total: 2400, fewestNewTokens: 7),
            ContextFullCount(model: "distilgpt2", completions: 3, total: 2400, fewestNewTokens: nil),
        ]
        let english = TerminalSummary.contextFullNotes(result)
        XCTAssertEqual(english.count, 2)
        XCTAssertEqual(
            english[0],
            "1,200 of 2,400 completions of religion under gpt2 stopped early because the model's context window was full "
                + "(the prompt and the new tokens reached its length), some after only 7 of the \(asked) new tokens asked "
                + "for (stop_reason context_full in completions.jsonl). Use shorter templates, or at most 7 new tokens "
                + "(--max-new-tokens or the set's defaults.max_new_tokens).")
        XCTAssertTrue(english[1].hasSuffix("reached its length) (stop_reason context_full in completions.jsonl). Use shorter "
            + "templates, or fewer new tokens (--max-new-tokens or the set's defaults.max_new_tokens)."), english[1])
        let spanish = TerminalSummary.contextFullNotes(result, language: .es)
        XCTAssertTrue(spanish[0].hasPrefix("1200 de 2400 continuaciones de religion con gpt2 se detuvieron"),
                      spanish[0])
        // Completions made elsewhere record only the default max_new_tokens: a stop after as many tokens or more does
        // not say "after only 100 of the 20 new tokens asked for" (a hostile review).
        result.promptSets[set].contextFull = [ContextFullCount(model: "gpt2", completions: 2, total: 2, fewestNewTokens: asked)]
        let notAsked = TerminalSummary.contextFullNotes(result)[0]
        XCTAssertTrue(notAsked.contains("some after only \(asked) new tokens (stop_reason"), notAsked)
        XCTAssertFalse(notAsked.contains("asked for"), notAsked)
        XCTAssertFalse(TerminalSummary.contextFullNotes(result, language: .es)[0].contains("pedidos"))
        result.promptSets[set].contextFull = [ContextFullCount(model: "gpt2", completions: 2, total: 2, fewestNewTokens: 0)]
        XCTAssertTrue(TerminalSummary.contextFullNotes(result)[0].contains("Use shorter templates (--max-new-tokens"))
        let view = ReportViewModel(result, escaping: .html)
        XCTAssertEqual(view.sourceNotes, TerminalSummary.contextFullNotes(result))
    }

    /// Review: `run --sweep … --lang es` printed the sweep line after the summary in English with decimal
    /// points. It follows the language, as the summary does: Spanish words, decimal comma, values separated
    /// by semicolons (a comma would be ambiguous); the English line is unchanged.
    func testTheSweepNoteFollowsTheReportLanguage() {
        let settings = [0.5, 1.0].flatMap { temperature in
            [1, 50].map { SweepSetting(temperature: temperature, topK: $0, topP: 0.9) }
        }
        let sweep = SweepResult(
            parameters: [SweptParameter(name: "temperature", values: [0.5, 1]), SweptParameter(name: "top_k", values: [1, 50])],
            settings: settings, base: settings[0], levels: [], contrasts: [])
        XCTAssertEqual(
            TerminalSummary.sweepNote(sweep),
            "Sweep: 4 settings (temperature 0.5, 1 × top_k 1, 50). The summary above is the first setting's "
                + "(temperature 0.5 · top_k 1 · top_p 0.9); every setting's estimates with intervals are in the "
                + "report's sampling-sweep section and in results.json (\"sweep\").")
        XCTAssertEqual(TerminalSummary.sweepNote(sweep, language: .en), TerminalSummary.sweepNote(sweep))
        XCTAssertEqual(
            TerminalSummary.sweepNote(sweep, language: .es),
            "Barrido: 4 configuraciones (temperatura 0,5; 1 × top_k 1; 50). El resumen de arriba es el de la primera "
                + "configuración (temperatura 0,5 · top_k 1 · top_p 0,9); las estimaciones de cada configuración, con "
                + "sus intervalos, están en la sección del barrido de muestreo del informe y en results.json (\"sweep\").")
    }
}

/// Cohen's labels read the effect size as printed.
final class EffectSizeLabelTests: XCTestCase {
    /// h = 0.199 prints "+0.20": it is labelled small, as a reader classifies the printed number, not negligible.
    func testTheLabelAgreesWithTheRoundedValue() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let index = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex {
            $0.id == "religion/negative_rate/christian-vs-muslim" && $0.model == "gpt2"
        })
        for (size, expected) in [
            (0.199, "h = +0.20 (small)"), (-0.194, "h = −0.19 (negligible)"), (0.4951, "h = +0.50 (medium)"),
            // Binary values just below the half: printed "0.49" and "0.79", so small and medium.
            (0.495, "h = +0.49 (small)"), (0.7949999999999999, "h = +0.79 (medium)"),
        ] {
            result.promptSets[set].contrasts[index].effectSize = size
            let markdown = try ReportRenderer().render(result, format: .md)
            XCTAssertTrue(markdown.contains(expected), "\(size): \(expected) missing")
        }
    }
}
