import AuditResults
import Foundation
import FoundationXML
@testable import Reporting
import XCTest

/// The first screen: header notes, findings, and the at-a-glance table before every detail.
final class FirstScreenTests: XCTestCase {
    private func injectedResult() throws -> AuditResult {
        var result = try ReportFixture.result()
        result.manifest.parameters.injectedBiases = [InjectedBias(group: "female_dominated", token: " terrible", logit: 8)]
        result.manifest.parameters.temperature = 1.0
        result.manifest.parameters.seed = 7
        return result
    }

    func testHeaderNamesInjectedBiasesAndNonDefaultSettingsOnly() throws {
        let view = ReportViewModel(try injectedResult(), escaping: .html)
        XCTAssertEqual(
            view.injectedBiases,
            // Statistician's review: "on every completion" overstated a push that a model giving the token a low logit
            // barely shows (67 completions with it under one fixture model, 2,471 under the other).
            ["“ terrible” +8 logits at every step of every completion of Female-dominated occupations (occupations-gender); "
                + "it changes only the completions where sampling still draws the token (a model that gives it a low logit "
                + "writes it rarely: count it in completions.jsonl)"])
        XCTAssertEqual(view.nonDefaultSettings.map(\.name), ["Temperature", "Seed"])
        XCTAssertEqual(view.nonDefaultSettings.map(\.value), ["1", "7"])
        XCTAssertEqual(view.nonDefaultSettingsText, "Temperature: 1 · Seed: 7")
        let markdown = try ReportRenderer().render(try injectedResult(), format: .md)
        XCTAssertTrue(markdown.contains("\n**Settings that differ from the defaults:** Temperature: 1 · Seed: 7\n"), markdown)
        XCTAssertTrue(markdown.contains("> - “ terrible” +8 logits at every step of every completion of Female-dominated occupations"), markdown)
        // A student's review: a pronoun's logit moves the exact log P(he)/P(she) too, where the only findings were.
        var pronoun = try injectedResult()
        pronoun.manifest.parameters.injectedBiases = [InjectedBias(group: "female_dominated", token: " she", logit: 6)]
        for (language, says) in [(ReportLanguage.en, "“ she” +6 logits at every step of every completion of Female-dominated "
                                  + "occupations (occupations-gender); it is one of the pronouns log P(he)/P(she) counts, so "
                                  + "it shifts that exact next-token measure directly"),
                                 (.es, "es uno de los pronombres que cuenta log P(he)/P(she)")] {
            let texts = ReportViewModel(pronoun, escaping: .html, language: language).injectedBiases
            XCTAssertTrue(texts.first?.contains(says) == true, "\(texts)")
        }
        XCTAssertEqual([" he", "He", " Herself", "his", " hers"].map(AuditMetric.isLogOddsPronoun), [true, true, true, true, true])
        XCTAssertEqual([" terrible", " hero", "  he", " HE"].map(AuditMetric.isLogOddsPronoun), [false, false, false, false])
        let plain = ReportViewModel(try ReportFixture.result(), escaping: .html)
        XCTAssertFalse(plain.hasInjectedBiases)
        XCTAssertFalse(plain.hasNonDefaultSettings, "\(plain.nonDefaultSettings.map(\.name))")
    }

    /// Every setting that differs from `run`'s defaults (``RunParameters/defaults``, the one definition)
    /// is named in the header with its value, and none other.
    func testEveryNonDefaultSettingAppearsInTheHeader() throws {
        var result = try ReportFixture.result()
        var parameters = RunParameters.defaults
        parameters.samples = 3
        parameters.maxNewTokens = 12
        parameters.temperature = 1.2
        parameters.topK = 0
        parameters.topP = 1
        parameters.seed = 42
        parameters.positiveThreshold = 0.3
        parameters.negativeThreshold = -0.3
        parameters.analysis?.power = 0.9
        parameters.analysis?.minimumGenderedWords = 40
        parameters.analysis?.minimumEvents = 25
        parameters.analysis?.confidenceLevel = 0.9
        parameters.confidenceLevel = 0.9
        result.manifest.parameters = parameters
        let view = ReportViewModel(result, escaping: .html)
        XCTAssertEqual(view.nonDefaultSettings.map { "\($0.name): \($0.value)" }, [
            "Samples per prompt: 3", "Max new tokens: 12", "Temperature: 1.2", "Top-k: off", "Top-p: off", "Seed: 42",
            "Confidence level: 90%", "Power for the minimum detectable effect: 90%",
            "Minimum gendered words per group (male share): 40",
            "Minimum events and non-events per rate contrast (% negative and the other rates): 25",
            "Negative if compound ≤: −0.3", "Positive if compound ≥: 0.3",
        ])
        result.manifest.parameters = RunParameters.defaults
        let plain = ReportViewModel(result, escaping: .html)
        XCTAssertEqual(plain.nonDefaultSettings.map(\.name), [], "the defaults differ from nothing")
        let markdown = try ReportRenderer().render(result, format: .md)
        XCTAssertFalse(markdown.contains("Settings that differ from the defaults"))
    }

    /// Review: `--samples 4`, equal to the set's own default, was listed as a setting that differs. It is listed
    /// only when it differs from some set's own default (`default_samples`); a file without the sets' defaults
    /// (analyze, older runs) lists it whenever given, as before.
    func testSamplesAreListedOnlyWhereTheyDifferFromASetsOwnDefault() throws {
        var result = try ReportFixture.result()
        result.manifest.parameters.samples = 4
        func names(_ result: AuditResult) -> [String] { ReportViewModel(result, escaping: .html).nonDefaultSettings.map(\.name) }
        XCTAssertEqual(names(result), ["Samples per prompt"], "no set defaults recorded: listed as before")
        for index in result.manifest.promptSets.indices {
            result.manifest.promptSets[index].samples = 4
            result.manifest.promptSets[index].defaultSamples = 4
        }
        XCTAssertEqual(names(result), [], "every set's own default is 4")
        let markdown = try ReportRenderer().render(result, format: .md)
        XCTAssertFalse(markdown.contains("Settings that differ from the defaults"), markdown)
        result.manifest.promptSets[0].defaultSamples = 10
        XCTAssertEqual(names(result), ["Samples per prompt"], "one set's own default is 10")
        result.manifest.parameters.samples = nil
        XCTAssertEqual(names(result), [], "without --samples every set used its own default")
        // The field round-trips through results.json (snake_case) and is absent from older files.
        let data = try AuditJSON.encoder().encode(result)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"default_samples\" : 10"))
    }

    /// Helper's note after the `--samples` fix: `--max-new-tokens` was compared with `run`'s default 20 only, so a set
    /// whose own defaults say 40, run at 20, was not listed as changed. With the sets' defaults recorded, it is listed
    /// where a set used another limit than its own.
    func testMaxNewTokensAreListedWhereASetUsedAnotherLimitThanItsOwn() throws {
        var result = try ReportFixture.result()
        func names(_ result: AuditResult) -> [String] { ReportViewModel(result, escaping: .html).nonDefaultSettings.map(\.name) }
        let limit = "Max new tokens"
        XCTAssertFalse(names(result).contains(limit), "precondition: the fixture uses run's default")
        result.manifest.parameters.maxNewTokens = 20
        for index in result.manifest.promptSets.indices {
            result.manifest.promptSets[index].maxNewTokens = 20
            result.manifest.promptSets[index].defaultMaxNewTokens = 40
        }
        XCTAssertTrue(names(result).contains(limit), "run at 20 beside sets whose own limit is 40: \(names(result))")
        for index in result.manifest.promptSets.indices { result.manifest.promptSets[index].maxNewTokens = 40 }
        result.manifest.parameters.maxNewTokens = 40
        XCTAssertFalse(names(result).contains(limit), "every set used its own 40: \(names(result))")
        let data = try AuditJSON.encoder().encode(result)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"default_max_new_tokens\" : 40"))
        // The sampling table gives the limit the sets used, not `run`'s default (a teacher's review: sets of
        // `max_new_tokens: 12` read 20), and "each set's own" where they differ.
        func sampled(_ result: AuditResult) -> String? {
            ReportViewModel(result, escaping: .html).sampling.first { $0.name == limit }?.value
        }
        for index in result.manifest.promptSets.indices { result.manifest.promptSets[index].maxNewTokens = 12 }
        result.manifest.parameters.maxNewTokens = 20
        XCTAssertEqual(sampled(result), "12")
        XCTAssertEqual(result.manifest.promptSets.count, 2, "precondition: the fixture's two sets")
        result.manifest.promptSets[1].maxNewTokens = 30
        XCTAssertEqual(sampled(result), "each set’s own (see the prompt-set table)")
    }

    /// The methods section and the statistics table state the run's minimum events for rate contrasts
    /// (`--min-events`) in both languages; a file written before the rule existed (no `minimum_events`)
    /// states no such rule.
    func testMethodsStateTheMinimumEventsOfRateContrasts() throws {
        var result = try ReportFixture.result()
        var analysis = result.manifest.parameters.analysis ?? AnalysisParameters()
        analysis.minimumEvents = 12
        result.manifest.parameters.analysis = analysis
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("needs at least 12 events and as many non-events in its two groups together"),
                      english)
        XCTAssertTrue(english.contains("Minimum events and non-events per rate contrast (% negative and the other rates) | 12"),
                      english)
        let spanish = try ReportRenderer().render(result, format: .html, language: .es)
        XCTAssertTrue(spanish.contains("necesita al menos 12 eventos y otros tantos no eventos"), spanish)
        // Cochran's rule is 10 events; 12 is the user's own minimum (a statistician's review: any number was called so).
        XCTAssertFalse(english.contains("Cochran"), english)
        XCTAssertFalse(spanish.contains("Cochran"), spanish)
        result.manifest.parameters.analysis?.minimumEvents = 10
        for (language, format, words) in [(ReportLanguage.en, ReportFormat.md, "together (Cochran’s rule); below"),
                                          (.en, .html, "together (Cochran’s rule); below"),
                                          (.es, .md, "entre sus dos grupos (regla de Cochran); por debajo"),
                                          (.es, .html, "entre sus dos grupos (regla de Cochran); por debajo")] {
            let text = try ReportRenderer().render(result, format: format, language: language)
            XCTAssertTrue(text.contains(words), "\(language) \(format): \(text)")
        }
        result.manifest.parameters.analysis?.minimumEvents = 0
        let off = try ReportRenderer().render(result, format: .md)
        XCTAssertFalse(off.contains("events and as many non-events"), "--min-events 0 applies no rule to state")
        result.manifest.parameters.analysis?.minimumEvents = nil
        let older = try ReportRenderer().render(result, format: .md)
        XCTAssertFalse(older.contains("events and as many non-events"), "a rule the older file's run did not apply")
        XCTAssertFalse(older.contains("Minimum events and non-events"))
    }

    /// `--min-gendered-words 0` states no minimum: the methods said "at least 0 gendered words in each group, in at
    /// least 0 completions" (a statistician's review).
    func testMethodsStateNoMinimumOfGenderedWordsWhenThereIsNone() throws {
        var result = try ReportFixture.result()
        var analysis = result.manifest.parameters.analysis ?? AnalysisParameters()
        analysis.minimumGenderedWords = 0
        result.manifest.parameters.analysis = analysis
        for (language, format, words, absent) in [
            (ReportLanguage.en, ReportFormat.md, "A male share has no minimum of gendered words in this run", "needs at least 0 gendered"),
            (.en, .html, "A male share has no minimum of gendered words in this run", "needs at least 0 gendered"),
            (.es, .md, "una proporción masculina no tiene mínimo de palabras de género", "necesita al menos 0 palabras"),
            (.es, .html, "una proporción masculina no tiene mínimo de palabras de género", "necesita al menos 0 palabras"),
        ] {
            let text = try ReportRenderer().render(result, format: format, language: language)
            XCTAssertTrue(text.contains(words), "\(language) \(format): \(text)")
            XCTAssertFalse(text.contains(absent), "\(language) \(format): \(text)")
        }
        result.manifest.parameters.analysis?.minimumGenderedWords = 20
        let standard = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(standard.contains("A male share needs at least 20 gendered words in each group, in at least 10 completions"),
                      standard)
        XCTAssertFalse(standard.contains("no minimum of gendered words"), standard)
        // One word, one completion: the singular (a student's review: "1 palabras", "1 continuaciones").
        for (words, expected) in [(1, ["1 gendered word in each group, in at least 1 completion (",
                                       "1 palabra de género en cada grupo, en al menos 1 continuación ("]),
                                  (2, ["2 gendered words in each group, in at least 1 completion (",
                                       "2 palabras de género en cada grupo, en al menos 1 continuación ("])] {
            result.manifest.parameters.analysis?.minimumGenderedWords = words
            for format in [ReportFormat.md, .html] {
                // White space as a reader sees it (the HTML template breaks its lines).
                func rendered(_ language: ReportLanguage) throws -> String {
                    try ReportRenderer().render(result, format: format, language: language)
                        .split(whereSeparator: \.isWhitespace).joined(separator: " ")
                }
                let english = try rendered(.en), spanish = try rendered(.es)
                XCTAssertTrue(english.contains(expected[0]), "\(words) \(format): \(english)")
                XCTAssertTrue(spanish.contains(expected[1]), "\(words) \(format): \(spanish)")
            }
        }
    }

    func testGlanceTableHasOneRowPerSetPrimaryMetricAndPairWithBothModels() throws {
        let result = try ReportFixture.result()
        let glance = ReportViewModel(result, escaping: .html).glance
        let expected = result.promptSets.reduce(0) { total, set in
            total + Set(set.contrasts.filter(\.metric.isPrimary).map(\.id)).count
        }
        XCTAssertEqual(glance.rows.count, expected)
        XCTAssertEqual(glance.models, ["distilgpt2", "gpt2"])
        XCTAssertEqual(glance.verdictHeader, "Verdict: gpt2 against distilgpt2")
        for row in glance.rows { XCTAssertEqual(row.cells.count, 2) }
        let findings = glance.rows.flatMap(\.cells).filter(\.finding).count
        XCTAssertEqual(findings, Findings.ranked(result.promptSets.flatMap(\.contrasts), below: Findings.threshold).count, "every finding is marked once")
        let logOdds = try XCTUnwrap(glance.rows.first { $0.metric == "log P(he)/P(she)" })
        XCTAssertEqual(logOdds.cells[1].value, "−2.25 [−2.79, −1.71]")
        XCTAssertEqual(logOdds.cells[1].note, "q < 0.001 · finding")
        XCTAssertEqual(logOdds.verdict, "more biased")
        let maleShare = try XCTUnwrap(glance.rows.first { $0.metric == "male share" })
        XCTAssertTrue(maleShare.cells[0].insufficient)
        XCTAssertNil(maleShare.cells[0].note)
    }

    /// In the page, the header, the findings and the at-a-glance table come before every `<details>`,
    /// and every detail section is closed.
    func testFirstScreenPrecedesTheDetails() throws {
        let html = try ReportRenderer().render(try injectedResult(), format: .html)
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        let order = try document.nodes(forXPath: "//header | //table[@class='glance'] | //ol[@class='findings'] | //details")
            .compactMap { ($0 as? XMLElement)?.name }
        XCTAssertEqual(Array(order.prefix(3)), ["header", "ol", "table"])
        XCTAssertFalse(order.dropFirst(3).contains { $0 != "details" })
        XCTAssertEqual(try document.nodes(forXPath: "//details[@open]").count, 0)
        let header = try XCTUnwrap(try document.nodes(forXPath: "//header").first?.stringValue)
        XCTAssertTrue(header.contains("Simulated bias injected"), header)
        XCTAssertTrue(header.contains("Female-dominated occupations"), header)
        XCTAssertTrue(header.contains("Temperature: 1"), header)
        XCTAssertEqual(try document.nodes(forXPath: "/html/@lang").first?.stringValue, "en")
    }
}
