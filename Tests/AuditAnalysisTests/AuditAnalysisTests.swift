@testable import AuditAnalysis
@testable import AuditResults
import Foundation
import Statistics
import XCTest

/// `AuditAnalysis.groupData` on crafted records: which cells, which units, which observations.
final class AuditAnalysisTests: XCTestCase {
    private let set = "jobs"
    private let templateA = "jobs/aaaa0001"
    private let templateB = "jobs/bbbb0002"

    /// Neutral scores with no gendered word; tests change the fields they need.
    private func scores(
        compound: Double = 0, label: String = "neutral", male: Int = 0, female: Int = 0, maleTerms: Int = 0,
        femaleTerms: Int = 0, positive: Double = 0, negative: Double = 0
    ) throws -> CompletionScores {
        let json = """
            {"compound": 0, "negative": 0, "neutral": 1, "positive": 0, "sentiment_label": "neutral",
             "male_pronouns": 0, "female_pronouns": 0, "neutral_pronouns": 0, "male_terms": 0, "female_terms": 0,
             "gender_label": "none"}
            """
        var scores = try AuditJSON.decoder().decode(CompletionScores.self, from: Data(json.utf8))
        scores.compound = compound
        scores.sentimentLabel = try XCTUnwrap(SentimentLabel(rawValue: label))
        scores.malePronouns = male
        scores.femalePronouns = female
        scores.maleTerms = maleTerms
        scores.femaleTerms = femaleTerms
        scores.positive = positive
        scores.negative = negative
        return scores
    }

    private func record(
        template: String, term: String?, sample: Int, scores: CompletionScores, logOdds: Double? = nil,
        group: String = "female"
    ) -> CompletionRecord {
        let promptID = term.map { "\(template)/\(group)/\($0)" } ?? "\(template)/\(group)"
        return CompletionRecord(
            set: set, template: term == nil ? nil : "The {job} said", templateId: template, group: group, term: term,
            promptId: promptID, prompt: "The \(term ?? "fixed") said", model: "m", sampleIndex: sample,
            text: "continuation \(sample)", tokenCount: 3, stopReason: "max_new_tokens", scores: scores,
            nextTokenLogOdds: logOdds)
    }

    func testCellsAreTemplateByTermInSampleOrder() throws {
        var records: [CompletionRecord] = []
        for template in [templateA, templateB] {
            for term in ["nurse", "secretary"] {
                for sample in 0..<3 {
                    // Binary fractions, so the expected values below are exact.
                    let value = Double(sample) / 4 + (term == "nurse" ? 0 : 0.5) + (template == templateA ? 0 : 0.0625)
                    records.append(record(template: template, term: term, sample: sample, scores: try scores(compound: value)))
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        let data = AuditAnalysis.groupData(
            records: records.shuffled(using: &generator), metric: .sentiment)

        XCTAssertEqual(data.cells.map(\.stratum), [templateA, templateA, templateB, templateB])
        XCTAssertEqual(data.cells.map(\.unit), ["nurse", "secretary", "nurse", "secretary"], "terms are the units")
        XCTAssertEqual(data.units, ["nurse", "secretary"], "a term under two templates is one unit")
        XCTAssertEqual(data.cells[1].observations, [0.5, 0.75, 1].map { Observation(x: $0, w: 1) }, "sample-index order")
        XCTAssertEqual(data.cells[2].observations, [0.0625, 0.3125, 0.5625].map { Observation(x: $0, w: 1) })
    }

    func testASingleTermIsOneUnitAcrossTemplates() throws {
        let records = try [templateA, templateB].map { record(template: $0, term: "woman", sample: 0, scores: try scores()) }
        let data = AuditAnalysis.groupData(records: records, metric: .sentiment)
        XCTAssertEqual(data.units, ["woman"], "the statistics treat a single-term group as conditional on its term")
        XCTAssertEqual(data.strata, [templateA, templateB])
    }

    func testFixedPromptsAreTheirOwnUnits() throws {
        let data = AuditAnalysis.groupData(
            records: [record(template: "jobs/fixed-prompts", term: nil, sample: 0, scores: try scores(compound: 0.3))],
            metric: .sentiment)
        XCTAssertEqual(data.cells, [Cell(stratum: "jobs/fixed-prompts", unit: "jobs/fixed-prompts/female", observations: [Observation(x: 0.3, w: 1)])])
    }

    func testSetLevelGroupDataHasOneEntryPerGroup() throws {
        let records = try [templateA, templateB].flatMap { template in
            try [("female", "woman"), ("male", "man")].map { group, term in
                record(template: template, term: term, sample: 0, scores: try scores(), group: group)
            }
        }
        let oneTermEach = [GroupInfo(id: "female", label: "F", terms: ["woman"], promptCount: 2),
                           GroupInfo(id: "male", label: "M", terms: ["man"], promptCount: 2),
                           GroupInfo(id: "other", label: "O", terms: ["person"], promptCount: 2)]
        let data = AuditAnalysis.groupData(records: records, groups: oneTermEach, metric: .sentiment)
        XCTAssertEqual(Set(data.keys), ["female", "male", "other"])
        XCTAssertEqual(data["male"]?.units, ["man"], "terms are the units, also with one term per group")
        XCTAssertEqual(data["other"]?.cells, [], "a group without completions has no cells")
    }

    func testMaleShareIsARatioOfSumsKeepingEmptyCompletions() throws {
        let records = [
            record(template: templateA, term: "nurse", sample: 0, scores: try scores(male: 2, female: 1, femaleTerms: 1)),
            record(template: templateA, term: "nurse", sample: 1, scores: try scores()),
            record(template: templateA, term: "nurse", sample: 2, scores: try scores(maleTerms: 1)),
        ]
        let data = AuditAnalysis.groupData(records: records, metric: .maleShare)
        XCTAssertEqual(
            data.cells.first?.observations,
            [Observation(x: 2, w: 4), Observation(x: 0, w: 0), Observation(x: 1, w: 1)],
            "x = male words (pronouns and nouns), w = all gendered words; (0, 0) keeps sample 1 aligned")
    }

    func testRatesAreZeroOneObservations() throws {
        let records = [
            record(template: templateA, term: "nurse", sample: 0, scores: try scores(compound: -0.6, label: "negative", negative: 0.4)),
            record(template: templateA, term: "nurse", sample: 1, scores: try scores(compound: 0.6, label: "positive", female: 1, positive: 0.3)),
            record(template: templateA, term: "nurse", sample: 2, scores: try scores()),
        ]
        func values(_ metric: AuditMetric) -> [Double] {
            AuditAnalysis.groupData(records: records, metric: metric).cells
                .flatMap { $0.observations.map(\.x) }
        }
        XCTAssertEqual(values(.negativeRate), [1, 0, 0])
        XCTAssertEqual(values(.positiveRate), [0, 1, 0])
        XCTAssertEqual(values(.genderedRate), [0, 1, 0])
        XCTAssertEqual(values(.lexiconCoverage), [1, 1, 0])
        XCTAssertEqual(values(.sentiment), [-0.6, 0.6, 0])
    }

    func testNextTokenLogOddsCountsEachPromptOnce() throws {
        var records: [CompletionRecord] = []
        for sample in 0..<4 {
            records.append(record(template: templateA, term: "nurse", sample: sample, scores: try scores(), logOdds: -1.25))
            records.append(record(template: templateB, term: "nurse", sample: sample, scores: try scores(), logOdds: 0.5))
            records.append(record(template: templateA, term: "secretary", sample: sample, scores: try scores(), logOdds: nil))
            records.append(record(template: templateB, term: "secretary", sample: sample, scores: try scores(), logOdds: .infinity))
        }
        let data = AuditAnalysis.groupData(records: records, metric: .heSheLogOdds)
        XCTAssertEqual(
            data.cells,
            [
                Cell(stratum: templateA, unit: "nurse", observations: [Observation(x: -1.25, w: 1)], template: templateA),
                Cell(stratum: templateB, unit: "nurse", observations: [Observation(x: 0.5, w: 1)], template: templateB),
            ], "one observation per prompt; prompts without finite log-odds add none")
    }

    func testMetricFamilies() {
        XCTAssertEqual(
            Set(AuditAnalysis.metrics(for: [.gender])), [.maleShare, .genderedRate, .heSheLogOdds])
        XCTAssertEqual(
            Set(AuditAnalysis.metrics(for: [.sentiment])), [.sentiment, .negativeRate, .positiveRate, .lexiconCoverage])
        let all = AuditAnalysis.metrics(for: [])
        XCTAssertEqual(Set(all), Set(AuditMetric.allCases), "an empty list means every metric")
        XCTAssertEqual(all, all.sorted(), "metrics come in a stable order")
    }
    /// The completions a male share needs, as the report's methods state it (`AnalysisParameters`) and as the
    /// statistics apply it (`InferenceSettings`): half of the gendered-word minimum, rounded up.
    func testTheMinimumOfCompletionsWithAGenderedWordIsStatedAsApplied() {
        for words in [0, 1, 2, 19, 20, 21, 40] {
            let stated = AnalysisParameters(minimumGenderedWords: words).minimumGenderedCompletions
            let applied = InferenceSettings(confidence: 0.95, power: 0.8, minimumWeight: Double(words)).minimumWeightedObservations
            XCTAssertEqual(Double(stated), applied, "--min-gendered-words \(words)")
        }
        XCTAssertEqual(AnalysisParameters().minimumGenderedCompletions, 10)
    }

    /// The defaults a results file records (`AnalysisParameters()`, also what `diff` and `merge` assume for a file
    /// without an analysis block) are the analysis's own, `InferenceSettings.standard`, stated once (a review found
    /// `?? 20` and `= 0.95` written again beside them).
    func testRecordedAnalysisDefaultsAreTheStandardSettings() {
        let recorded = AnalysisParameters()
        let standard = InferenceSettings.standard
        XCTAssertEqual(recorded.confidenceLevel, standard.confidence)
        XCTAssertEqual(recorded.power, standard.power)
        XCTAssertEqual(Double(recorded.minimumGenderedWords), standard.minimumWeight)
        XCTAssertEqual(recorded.minimumEvents.map(Double.init), standard.minimumEvents)
    }
    /// User review: a mean sentiment from 3 terms × 2 samples printed "−0.52 [−3.31, 2.27]" though a VADER compound
    /// lies in [−1, 1]; statistician's review: a change of two share contrasts between models printed "−48.6 pp
    /// [−253.7, +156.5]". An interval is cut to the values its estimate can take: the compound ±1 for a level, ±2 for a
    /// contrast, ±4 for a change; a rate or share 0…1, ±1, ±2; the log-odds not at all.
    /// Practitioner's review: DESIGN promises each contrast's `q_value`; a descriptive or too-thin contrast left the
    /// key out. `p_value` and `q_value` are written as null; a file with them round-trips.
    func testAContrastWithoutATestWritesItsPAndQValuesAsNull() throws {
        let contrast = Contrast(
            id: "s/positive_rate/a-vs-b", model: "m", metric: .positiveRate, groupA: "a", groupB: "b",
            difference: MetricEstimate(value: 0.1, lower: 0.0, upper: 0.2, n: 20), pValue: nil, qValue: nil,
            effectSize: 0.2, effectSizeKind: "cohens_h")
        let json = String(decoding: try AuditJSON.encoder(pretty: false).encode(contrast), as: UTF8.self)
        XCTAssertTrue(json.contains("\"p_value\":null") && json.contains("\"q_value\":null"), json)
        XCTAssertFalse(json.contains("templates_compared"), "absent means every template: \(json)")
        XCTAssertEqual(try AuditJSON.decoder().decode(Contrast.self, from: Data(json.utf8)), contrast)
    }

    func testAnIntervalIsCutToTheValuesItsEstimateCanTake() {
        let wide = Estimate(value: -0.52, lower: -3.31, upper: 2.27, n: 3, observations: 6, weight: 6, method: nil)
        let share = Estimate(value: -0.486, lower: -2.537, upper: 1.565, n: 3, observations: 6, weight: 6, method: nil)
        let cases: [(AuditMetric, Estimate, AuditAnalysis.Span, Double, Double)] = [
            (.sentiment, wide, .level, -1, 1), (.sentiment, wide, .contrast, -2, 2), (.sentiment, wide, .change, -3.31, 2.27),
            (.heSheLogOdds, wide, .level, -3.31, 2.27), (.heSheLogOdds, wide, .change, -3.31, 2.27),
            (.maleShare, share, .change, -2, 1.565), (.maleShare, share, .contrast, -1, 1), (.negativeRate, share, .level, 0, 1),
        ]
        for (metric, estimate, span, lower, upper) in cases {
            let cut = AuditAnalysis.metricEstimate(estimate, metric: metric, span: span)
            XCTAssertEqual(cut.lower, lower, "\(metric.rawValue), \(span)")
            XCTAssertEqual(cut.upper, upper, "\(metric.rawValue), \(span)")
            XCTAssertEqual(cut.value, estimate.value)
        }
    }
    /// A review: a coverage note quoted a term as 'O'Brien', which reads as two quoted pieces; one with an apostrophe is
    /// in double quotes, in both languages.
    func testACoverageNoteQuotesATermWithAnApostropheInDoubleQuotes() {
        XCTAssertEqual(CoverageWords.english.term("O'Brien", "'Irish'"), "term \"O'Brien\" of group 'Irish'")
        XCTAssertEqual(CoverageWords.spanish.term("O'Brien", "'Irish'"), "el término \"O'Brien\" del grupo 'Irish'")
        XCTAssertEqual(CoverageWords.english.term("Cara", "'A'"), "term 'Cara' of group 'A'")
        // So does every other place a note names a term or prompt (a second review: the sample-index and prompt-echo
        // notes kept single quotes).
        XCTAssertTrue(CoverageWords.english.promptName("'Irish'", "D'Angelo", 2, "apos").hasPrefix("\"D'Angelo\" of group"))
        XCTAssertTrue(CoverageWords.spanish.promptName("'Irish'", "D'Angelo", 2, "apos").hasPrefix("\"D'Angelo\" del grupo"))
        XCTAssertTrue(CoverageWords.english.promptEcho(2, 118, 37, "O'Neill's boss said that")
            .contains("(first: line 37, \"O'Neill's boss said that\")"))
    }

    /// A code review: `diff` and `check` asked whether a refused results file was JSON Lines by parsing its whole first
    /// line, and a hostile file of 50 million values on one line took 3 GB there (after the value count refused it). A
    /// first line longer than any JSON Lines line may be is not parsed.
    func testAFirstLineTooLongForJSONLinesIsNotParsed() {
        let long = Data(("{\"a\": [" + String(repeating: "0,", count: JSONLines.maximumLineBytes / 2) + "0]}\n{}\n").utf8)
        XCTAssertFalse(JSONLines.holdsObjects(long))
        XCTAssertTrue(JSONLines.holdsObjects(Data("{\"a\": [0, 0]}\n{}\n".utf8)))
    }
}
