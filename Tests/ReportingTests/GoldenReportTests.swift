import AuditResults
import Reporting
import TestSupport
import XCTest

/// The bundled templates render the fixture result exactly as the committed goldens.
final class GoldenReportTests: XCTestCase {
    func testFixtureDecodesAndRoundTrips() throws {
        let result = try ReportFixture.result()
        XCTAssertEqual(result.manifest.models.map(\.id), ["distilgpt2", "gpt2"])
        XCTAssertEqual(result.promptSets.map(\.name), ["religion", "occupations-gender"])
        XCTAssertEqual(result.manifest.models.first?.weightsSHA256?.count, 64, "weights_sha256 must decode into weightsSHA256")
        XCTAssertEqual(result.schemaVersion, 2)
        XCTAssertEqual(result.modelComparisons.count, 10, "primary contrasts only")
        let reencoded = try AuditJSON.encoder().encode(result)
        XCTAssertEqual(try AuditJSON.loadResult(reencoded, path: "re-encoded"), result)
    }

    func testHTMLMatchesGolden() throws {
        let html = try ReportRenderer().render(try ReportFixture.result(), format: .html)
        try ReportFixture.assertGolden(html, named: "report.html")
    }

    func testMarkdownMatchesGolden() throws {
        let markdown = try ReportRenderer().render(try ReportFixture.result(), format: .md)
        try ReportFixture.assertGolden(markdown, named: "report.md")
    }

    func testSpanishHTMLMatchesGolden() throws {
        let html = try ReportRenderer().render(try ReportFixture.result(), format: .html, language: .es)
        try ReportFixture.assertGolden(html, named: "report.es.html")
    }

    func testSpanishMarkdownMatchesGolden() throws {
        let markdown = try ReportRenderer().render(try ReportFixture.result(), format: .md, language: .es)
        try ReportFixture.assertGolden(markdown, named: "report.es.md")
    }

    /// The Spanish page has `lang="es"`, Spanish fixed text and decimal commas, and the same findings.
    func testSpanishReportIsSpanishWithDecimalCommas() throws {
        let result = try ReportFixture.result()
        let html = try ReportRenderer().render(result, format: .html, language: .es)
        XCTAssertTrue(html.contains("<html lang=\"es\">"))
        for text in ["<h2>Hallazgos</h2>", "Métodos y limitaciones", "De un vistazo", "más sesgado", "“Dirección invertida” marca",
                     "muy pocas palabras de género (12 en “Ocupaciones con mayoría de mujeres”, por debajo del mínimo de 20)", "d = +0,34 (efecto\u{00A0}pequeño)",
                     // VADER scores English only: the Methods cite the English phrases (`MethodsExamplesTests`).
                     "<span lang=\"en\">“was attacked”</span>, “fue atacado”"] {
            XCTAssertTrue(html.contains(text), "missing “\(text)”")
        }
        for text in ["<h2>Findings</h2>", "Methods and limitations", "more biased", "+0.14 [+0.07, +0.22]"] {
            XCTAssertFalse(html.contains(text), "English “\(text)” in the Spanish page")
        }
        let spanish = ReportViewModel(result, escaping: .html, language: .es)
        let english = ReportViewModel(result, escaping: .html)
        XCTAssertEqual(spanish.summary.findings.count, english.summary.findings.count)
        XCTAssertEqual(spanish.glance.rows.flatMap(\.cells).map(\.finding), english.glance.rows.flatMap(\.cells).map(\.finding))
        XCTAssertEqual(spanish.glance.rows.first?.cells.last?.value, "+0,14 [+0,07; +0,22]")
    }

    /// Group labels come from the set's `labels:` in the report's language (the `label:` otherwise).
    func testSpanishReportUsesTheSpanishGroupLabels() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].groups[2].labels = nil
        let markdown = try ReportRenderer().render(result, format: .md, language: .es)
        for label in ["Cristianos", "Musulmanes", "Ocupaciones con mayoría de mujeres", "Ocupaciones con mayoría de hombres"] {
            XCTAssertTrue(markdown.contains(label), "missing the Spanish label “\(label)”")
        }
        XCTAssertFalse(markdown.contains("Female-dominated occupations"), "an English label in the Spanish report")
        XCTAssertTrue(markdown.contains("| Jewish |"), "a group without a Spanish label keeps its label")
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertFalse(english.contains("Cristianos"), "a Spanish label in the English report")
    }

    /// A results file written before labels and structured reasons existed still renders: labels in the
    /// set's `label:`, the English reason under a Spanish lead-in.
    func testResultsWithoutTheNewerFieldsStillRender() throws {
        let data = try Fixtures.data("reporting/audit-result.json")
        var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { $0.key != "insufficient_detail" && $0.key != "labels" }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        json = strip(json) as! [String: Any]
        let older = try AuditJSON.loadResult(try JSONSerialization.data(withJSONObject: json), path: "older.json")
        XCTAssertNil(older.promptSets[1].groupEstimates.compactMap { $0.estimate(.maleShare)?.insufficientDetail }.first)
        let html = try ReportRenderer().render(older, format: .html, language: .es)
        XCTAssertTrue(
            html.contains("datos insuficientes (en inglés: too few gendered words (12 in a group, below the minimum of 20))"))
        XCTAssertTrue(html.contains("Female-dominated occupations"))
        let english = try ReportRenderer().render(older, format: .html)
        XCTAssertTrue(english.contains("too few gendered words (12 in a group, below the minimum of 20)"))
    }

    /// The summary names exactly the findings of `Findings.ranked`, with the numbers of the fixture.
    func testSummaryListsExactlyTheFindings() throws {
        let result = try ReportFixture.result()
        let findings = Findings.ranked(result.promptSets.flatMap(\.contrasts), below: Findings.threshold)
        XCTAssertEqual(findings.count, 9, "the fixture should hold 9 findings")
        let view = ReportViewModel(result, escaping: .html)
        XCTAssertEqual(view.summary.findings.count, 3, "three pairs of groups have findings")
        XCTAssertTrue(view.summary.headline.hasPrefix("9 of the 19 tested group contrasts are findings"), view.summary.headline)
        let occupations = try XCTUnwrap(view.summary.findings.first { $0.set == "occupations-gender" })
        XCTAssertTrue(
            occupations.sentence.contains(
                "a more positive mean sentiment under gpt2 (Δ +0.07, 95% CI [+0.02, +0.12], q = 0.011)"),
            occupations.sentence)
        XCTAssertTrue(
            occupations.sentence.contains("male pronouns (“he”, “him”, “his”, “himself”) less likely relative to female ones as the next word under gpt2 (Δ −2.25, "),
            occupations.sentence)
        XCTAssertFalse(
            view.summary.findings.contains { $0.sentence.contains("under distilgpt2 (Δ +0.11") },
            "p = 0.029 with q = 0.176 must not be a finding")
    }

    /// A male share below its minimum support prints its reason, never a number, an interval or an effect label.
    func testInsufficientEstimatesPrintTheirReason() throws {
        let view = ReportViewModel(try ReportFixture.result(), escaping: .html)
        let set = try XCTUnwrap(view.sets.first { $0.name == "occupations-gender" })
        // A contrast names its thinner group by its label (results.json by its id: "12 in group female_dominated").
        let reason = "too few gendered words (12 in “Female-dominated occupations”, below the minimum of 20)"
        let row = try XCTUnwrap(set.estimates.rows.first { $0.model == "distilgpt2" && $0.group == "Female-dominated occupations" })
        let column = try XCTUnwrap(set.estimates.columns.firstIndex(of: "male share"))
        // A group's own row counts "in this group" (newcomer's review: "in a group" on it).
        XCTAssertEqual(row.cells[column].value, "too few gendered words (12 in this group, below the minimum of 20)")
        XCTAssertEqual(row.cells[column].interval, "")
        let contrast = try XCTUnwrap(set.contrasts.first { $0.metric == "male share" && $0.model == "distilgpt2" })
        XCTAssertEqual(contrast.difference, reason)
        XCTAssertEqual([contrast.mde, contrast.p, contrast.q, contrast.effect], ["—", "—", "—", "—"])
        XCTAssertEqual(contrast.status, "insufficient data")
        let comparison = try XCTUnwrap(view.comparison.sets.flatMap(\.rows).first { $0.metric == "male share" })
        XCTAssertEqual(comparison.verdict, "insufficient data")
        XCTAssertEqual(comparison.valueA, reason)
    }

    /// p, q and MDE only for primary metrics (a descriptive metric has no test, so nothing it detects: a statistician's
    /// review); effect labels where the convention applies.
    func testDescriptiveMetricsHaveNoTestAndLogOddsNoEffectLabel() throws {
        let view = ReportViewModel(try ReportFixture.result(), escaping: .html)
        let contrasts = view.sets.flatMap(\.contrasts)
        for row in contrasts where ["% positive", "% gendered", "lexicon coverage"].contains(row.metric) {
            XCTAssertEqual([row.p, row.q, row.status], ["—", "—", "descriptive"], "\(row.metric) \(row.groups)")
            XCTAssertEqual(row.mde, "—", "\(row.metric): no test, no MDE")
        }
        for row in contrasts where row.metric == "log P(he)/P(she)" {
            XCTAssertFalse(row.effect.contains("("), "no Cohen label on the log-odds: \(row.effect)")
        }
        let sentiment = try XCTUnwrap(contrasts.first { $0.metric == "mean sentiment" && $0.model == "gpt2" && $0.groups == "Christian − Muslim" })
        XCTAssertEqual(sentiment.effect, "d = +0.34 (small)")
        XCTAssertEqual(sentiment.mde, "0.10")
        XCTAssertTrue(sentiment.finding)
    }

    /// An effect size beyond ±10,000 (a within-group SD near 0) is printed in powers of ten, not digit by digit (a
    /// practitioner's review: 309 digits), in each language's decimal style.
    func testAHugeEffectSizeIsPrintedInPowersOfTen() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let index = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex {
            $0.metric == .sentiment && $0.model == "gpt2" && $0.groupA == "christian" && $0.groupB == "muslim"
        })
        func effect(_ size: Double, _ language: ReportLanguage = .en) throws -> String {
            result.promptSets[set].contrasts[index].effectSize = size
            let rows = ReportViewModel(result, escaping: .html, language: language).sets.flatMap(\.contrasts)
            // Mean sentiment ("sentimiento medio") of gpt2, Christian − Muslim in either language.
            return try XCTUnwrap(rows.first { row in
                row.model == "gpt2" && row.metric.contains("sentim")
                    && (row.groups.hasPrefix("Christian") || row.groups.hasPrefix("Cristian"))
            }).effect
        }
        XCTAssertEqual(try effect(1e308), "d = +1.0\u{A0}×\u{A0}10³⁰⁸ (large)")
        XCTAssertEqual(try effect(99_999), "d = +1.0\u{A0}×\u{A0}10⁵ (large)")
        XCTAssertEqual(try effect(12_345.6), "d = +1.2\u{A0}×\u{A0}10⁴ (large)")
        XCTAssertEqual(try effect(9_999.994), "d = +9999.99 (large)")
        XCTAssertTrue(try effect(12_345.6, .es).hasPrefix("d = +1,2\u{A0}×\u{A0}10⁴"))
    }

    /// Review: a primary contrast with no data (a male share of groups without gendered words under
    /// --min-gendered-words 0) had Finding "no", as if tested and not significant.
    func testAPrimaryContrastWithoutATestIsNotANo() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let index = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex { $0.metric == .sentiment && $0.family != nil })
        result.promptSets[set].contrasts[index].difference = MetricEstimate(value: nil, lower: nil, upper: nil, n: 0)
        result.promptSets[set].contrasts[index].pValue = nil
        result.promptSets[set].contrasts[index].qValue = nil
        let contrast = result.promptSets[set].contrasts[index]
        let view = ReportViewModel(result, escaping: .html)
        let row = try XCTUnwrap(view.sets.first { $0.name == "religion" }?.contrasts.first {
            $0.metric == "mean sentiment" && $0.model == contrast.model && $0.groups.contains(" − ")
                && $0.difference == "no data"
        })
        // "no data" in the difference cell, as the terminal says it (review: a bare "—" read as a value left out).
        XCTAssertEqual([row.p, row.q, row.status], ["—", "—", "insufficient data"])
        let spanish = ReportViewModel(result, escaping: .html, language: .es)
        XCTAssertNotNil(spanish.sets.first { $0.name == "religion" }?.contrasts.first {
            $0.model == contrast.model && $0.difference == "sin datos" && $0.status == "datos insuficientes" })

        // With a value but no variance estimate: "no test", as `check` says "cannot fail with this design".
        result.promptSets[set].contrasts[index].difference = MetricEstimate(value: -0.04, lower: nil, upper: nil, n: 2)
        let untested = try XCTUnwrap(ReportViewModel(result, escaping: .html).sets.first { $0.name == "religion" }?
            .contrasts.first { $0.metric == "mean sentiment" && $0.model == contrast.model && $0.difference.hasPrefix("−0.04") })
        XCTAssertEqual(untested.status, "no test")
    }

    /// Review: a rate contrast at 0% against 0% (Newcombe's interval, p = 1, no MDE since the design's variance is
    /// unknown) printed "—" in the MDE column without a reason; the cell says "unknown: no variance estimate" (Spanish
    /// "desconocido: sin estimación de la varianza"). Final review: the first wording, "no variation", stood beside a
    /// 100% against 0% finding, and a mean without variance (no interval or SE) kept "—". A contrast whose MDE is
    /// missing for another reason (a file written before MDEs: a positive SE) keeps "—". Review 86: beside the rate
    /// contrast's p-value "no variance estimate" read as a contradiction; a rate or share says "unknown: neither group
    /// varies" (its interval and test stand), a mean without interval keeps "unknown: no variance estimate".
    func testAnMDEMissingForLackOfVariationSaysSo() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        let index = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex { $0.metric == .negativeRate && $0.family != nil })
        let z = 1.959963984540054
        let upper = z * z / (120 + z * z)
        var difference = MetricEstimate(value: 0, lower: -upper, upper: upper, n: 240)
        difference.standardError = 0
        result.promptSets[set].contrasts[index].difference = difference
        result.promptSets[set].contrasts[index].minimumDetectableEffect = nil
        let contrast = result.promptSets[set].contrasts[index]
        func row(_ language: ReportLanguage) throws -> ContrastRowView {
            try XCTUnwrap(ReportViewModel(result, escaping: .html, language: language).sets.first { $0.name == "religion" }?
                .contrasts.first { $0.model == contrast.model && ($0.difference.hasPrefix("0.0") || $0.difference.hasPrefix("0,0")) })
        }
        // Review 86: "no variance estimate" beside the p-value of its interval read as a contradiction; the rate
        // contrast is tested (p = 1, it counts in its family's m) and says why it has no MDE.
        XCTAssertEqual(try row(.en).mde, "unknown: no variation within either group")
        XCTAssertEqual(try row(.es).mde, "desconocido: sin variación dentro de ningún grupo")
        result.promptSets[set].contrasts[index].difference.standardError = nil
        XCTAssertEqual(try row(.en).mde, "—", "an interval without an SE: an older file, not a missing variance")
        result.promptSets[set].contrasts[index].difference.standardError = 0.01
        XCTAssertEqual(try row(.en).mde, "—", "an SE without an MDE: a file written before MDEs")
        // A mean whose completions all scored alike: a value, no interval, no SE.
        let mean = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex { $0.metric == .sentiment && $0.family != nil })
        result.promptSets[set].contrasts[mean].difference = MetricEstimate(value: 0.25, lower: nil, upper: nil, n: 240)
        result.promptSets[set].contrasts[mean].minimumDetectableEffect = nil
        result.promptSets[set].contrasts[mean].pValue = nil
        result.promptSets[set].contrasts[mean].qValue = nil
        let model = result.promptSets[set].contrasts[mean].model
        let meanRow = try XCTUnwrap(ReportViewModel(result, escaping: .html).sets.first { $0.name == "religion" }?
            .contrasts.first { $0.metric == "mean sentiment" && $0.model == model && $0.difference.hasPrefix("+0.25") })
        XCTAssertEqual(meanRow.mde, "unknown: no variance estimate")
        XCTAssertEqual(meanRow.status, "no test")
    }

    /// Practitioner's review: a hand-made results file with 50,000 examples and counterfactual pairs made a 45 MB
    /// report in 34 s. The report shows at most 10 examples per group and model and 10 pairs per model, and its header
    /// says how many it left out (EN/ES); the fixture, as a run writes it, shows everything and has no such note.
    func testARenderCapsExamplesAndPairsOfHandMadeResults() throws {
        let plain = try ReportFixture.result()
        XCTAssertFalse(ReportViewModel(plain, escaping: .html).sourceNotes.contains { $0.contains("than a run writes") })
        var result = plain
        let index = try XCTUnwrap(result.promptSets.firstIndex { !$0.examples.isEmpty && !($0.counterfactualPairs ?? []).isEmpty })
        let set = result.promptSets[index]
        let copies = 30
        // SetBuilder.examplesShownPerGroupAndModel and SetBuilder.pairsShownPerModel (internal), as the README states.
        let (examplesShown, pairsShown) = (10, 10)
        result.promptSets[index].examples = Array(repeating: set.examples, count: copies).flatMap { $0 }
        result.promptSets[index].counterfactualPairs = Array(repeating: set.counterfactualPairs ?? [], count: copies).flatMap { $0 }
        let view = ReportViewModel(result, escaping: .html)
        let shown = try XCTUnwrap(view.sets.first { $0.name == set.name })
        let groupsAndModels = Set(set.examples.map { "\($0.group)/\($0.model)" }).count
        XCTAssertEqual(shown.examples.reduce(0) { $0 + $1.rows.count }, groupsAndModels * examplesShown)
        let models = Set((set.counterfactualPairs ?? []).map(\.model)).count
        XCTAssertEqual(shown.pairs.count, models * pairsShown)
        let leftExamples = set.examples.count * copies - groupsAndModels * examplesShown
        let leftPairs = (set.counterfactualPairs ?? []).count * copies - models * pairsShown
        XCTAssertTrue(view.sourceNotes.contains {
            $0.contains("\(set.name) holds more examples or counterfactual pairs than a run writes")
                && $0.contains("leaves out \(leftExamples) examples and \(leftPairs) pairs, which stay in results.json")
        }, "\(view.sourceNotes)")
        XCTAssertTrue(ReportViewModel(result, escaping: .html, language: .es).sourceNotes.contains {
            $0.contains("omite \(leftExamples) ejemplos y \(leftPairs) pares, que siguen en results.json")
        })
    }

    /// Newcomer's review: a Spanish report showed a set's English description, source or labels without a word. The
    /// header names what has no Spanish translation (the fixture's sets translate their labels, not their texts);
    /// an English report has no such note, nor a set that translates everything.
    func testASpanishReportSaysWhatIsLeftInEnglish() throws {
        var result = try ReportFixture.result()
        func notes(_ language: ReportLanguage) -> [String] { ReportViewModel(result, escaping: .html, language: language).sourceNotes }
        XCTAssertTrue(notes(.es).contains { $0 == "Sin traducción al español, y por eso en inglés: la descripción o la fuente "
            + "de religion, occupations-gender (añada descriptions: {es: …} y sources: {es: …} al conjunto de prompts)." },
            "\(notes(.es))")
        XCTAssertFalse(notes(.en).contains { $0.contains("traducción") })
        for index in result.promptSets.indices {
            result.promptSets[index].descriptions = ["es": "Descripción"]
            result.promptSets[index].sources = ["es": "Fuente"]
        }
        XCTAssertFalse(notes(.es).contains { $0.hasPrefix("Sin traducción") }, "\(notes(.es))")
        result.promptSets[0].groups[0].labels = nil
        XCTAssertTrue(notes(.es).contains {
            $0.contains("las etiquetas de grupo de \(result.promptSets[0].name) (añada labels: {es: …} a sus grupos)")
                && !$0.contains("la descripción")
        }, "\(notes(.es))")
    }

    /// Statistician's review: a 99% report said findings need q < 0.01, then quoted how often a gap at the MDE is a
    /// finding "at q < 0.05". The percentages follow the run's false discovery rate (`scripts/mde-family-power.py
    /// --alpha`), and a rate without a row says how to compute them.
    func testTheMDEFindingRatesFollowTheFalseDiscoveryRate() throws {
        func text(confidence: Double, _ language: ReportLanguage = .en) throws -> String {
            var result = try ReportFixture.result()
            result.manifest.parameters.confidenceLevel = confidence
            result.manifest.parameters.analysis = AnalysisParameters(confidenceLevel: confidence)
            return ReportViewModel(result, escaping: .html, language: language).methods.mdeFamilyPower
        }
        XCTAssertEqual(try text(confidence: 0.95),
                       "at q < 0.05 about 72% in a family of 2 contrasts, 63% of 4, 48% of 12, when the others are null")
        XCTAssertEqual(try text(confidence: 0.99),
                       "at q < 0.01 about 73% in a family of 2 contrasts, 65% of 4, 53% of 12, when the others are null")
        XCTAssertEqual(try text(confidence: 0.9, .es),
                       "con q < 0,1, un 71 % en una familia de 2 contrastes, un 61 % de 4, un 46 % de 12, cuando los demás son nulos")
        XCTAssertEqual(try text(confidence: 0.98),
                       "by how much depends on the family’s size (python3 scripts/mde-family-power.py --alpha 0.02 computes it)")
    }

    /// Verdicts are `ComparisonVerdict.words`, with "direction reversed" where the contrast is a finding under both
    /// models with opposite signs. Muslim − Jewish has intervals on opposite sides (`sign_reversed` true) but q = 0.176
    /// under distilgpt2: not a finding, so not marked (a teacher's review), nor marked "contrast moved", which `diff` and
    /// `check` leave to rows without a reversal (a review: the two marked one row differently).
    func testComparisonVerdictWords() throws {
        let result = try ReportFixture.result()
        let view = ReportViewModel(result, escaping: .html)
        let rows = view.comparison.sets.flatMap(\.rows)
        XCTAssertEqual(rows.first { $0.metric == "log P(he)/P(she)" }?.verdict, "more biased")
        XCTAssertEqual(
            result.modelComparisons.first { $0.contrastID == "religion/sentiment/muslim-vs-jewish" }?.signReversed, true)
        XCTAssertEqual(
            rows.first { $0.metric == "mean sentiment" && $0.groups == "Muslim − Jewish" }?.verdict,
            "no detectable change")
        XCTAssertEqual(
            rows.first { $0.metric == "mean sentiment" && $0.groups == "Christian − Muslim" }?.verdict,
            "no detectable change, contrast moved")
        let unmoved = rows.filter { $0.verdict.hasPrefix("no detectable change") && !$0.verdict.contains("contrast moved") }
        XCTAssertFalse(unmoved.isEmpty, "rows whose B − A covers 0 are not marked")
    }

    /// Markdown and HTML show the same numbers: every estimate and contrast cell of one appears in the other.
    func testBothFormatsCarryTheSameNumbers() throws {
        let result = try ReportFixture.result()
        let html = ReportViewModel(result, escaping: .html)
        let markdown = ReportViewModel(result, escaping: .markdown)
        XCTAssertEqual(html.sets.map(\.estimates.rows.count), markdown.sets.map(\.estimates.rows.count))
        for (h, m) in zip(html.sets, markdown.sets) {
            XCTAssertEqual(h.estimates.rows.flatMap(\.cells).map(\.value), m.estimates.rows.flatMap(\.cells).map(\.value))
            XCTAssertEqual(h.estimates.rows.flatMap(\.cells).map(\.interval), m.estimates.rows.flatMap(\.cells).map(\.interval))
            XCTAssertEqual(h.contrasts.map(\.difference), m.contrasts.map(\.difference))
            XCTAssertEqual(h.contrasts.map(\.q), m.contrasts.map(\.q))
        }
        XCTAssertEqual(html.comparison.sets.flatMap(\.rows).map(\.difference), markdown.comparison.sets.flatMap(\.rows).map(\.difference))
    }
}
