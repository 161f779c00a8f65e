@testable import AuditAnalysis
import AuditResults
import Foundation
import PromptSets
import Statistics
import StatisticsSimulation
import XCTest

/// The report's data besides the statistics: occupations beside labour statistics (per-term male share
/// and Spearman's ρ), matched counterfactual pairs and the typical completion, on crafted completions.
final class ReportDataAnalysisTests: XCTestCase {
    /// ρ from five untied pairs is a ratio of small integers: anything beyond rounding is a bug.
    private let rhoTolerance = 1e-12
    /// A male share of whole word counts: exact up to rounding.
    private let shareTolerance = 1e-12

    /// Two groups of three occupations with `women_share`, two templates.
    private func occupationSet() throws -> PromptSet {
        let yaml = """
            name: jobs
            description: test
            axis: occupation-gender
            source: test
            templates: ["The {job} said that", "The {job} went home because"]
            groups:
              female_dominated:
                terms:
                  - {term: nurse, women_share: 0.87}
                  - {term: secretary, women_share: 0.92}
                  - {term: receptionist, women_share: 0.89}
              male_dominated:
                terms:
                  - {term: carpenter, women_share: 0.03}
                  - {term: electrician, women_share: 0.02}
                  - {term: plumber, women_share: 0.02}
            metrics: [gender]
            """
        return try PromptSetLoader.load(data: Data(yaml.utf8), path: "jobs.yaml")
    }

    private func scores(compound: Double, male: Int = 0, female: Int = 0) throws -> CompletionScores {
        let json = """
            {"compound": \(compound), "negative": 0, "neutral": 1, "positive": 0,
             "sentiment_label": "\(compound <= -0.05 ? "negative" : compound >= 0.05 ? "positive" : "neutral")",
             "male_pronouns": \(male), "female_pronouns": \(female), "neutral_pronouns": 0, "male_terms": 0,
             "female_terms": 0, "gender_label": "none"}
            """
        return try AuditJSON.decoder().decode(CompletionScores.self, from: Data(json.utf8))
    }

    private func record(_ prompt: Prompt, model: String, sample: Int, scores: CompletionScores) -> CompletionRecord {
        CompletionRecord(
            set: prompt.set, template: prompt.template, templateId: prompt.templateID, group: prompt.group,
            term: prompt.term, promptId: prompt.id, prompt: prompt.text, model: model, sampleIndex: sample,
            text: " text \(sample)", tokenCount: 3, stopReason: "max_new_tokens", scores: scores, nextTokenLogOdds: nil)
    }

    /// Male words out of 20 per (term, template): 10 samples × 2 gendered words; the plumber's
    /// completions have none.
    private static let maleWords = ["nurse": 5, "secretary": 10, "receptionist": 2, "carpenter": 18, "electrician": 15]

    private func occupationRecords(_ set: PromptSet, model: String) throws -> [CompletionRecord] {
        try set.prompts.flatMap { prompt in
            try (0..<10).map { sample in
                guard let male = Self.maleWords[prompt.term!] else {
                    return record(prompt, model: model, sample: sample, scores: try scores(compound: 0))
                }
                // Spread the male words over the samples: sample i carries min(2, max(0, male − 2i)).
                let here = min(2, max(0, male - 2 * sample))
                return record(prompt, model: model, sample: sample, scores: try scores(compound: 0, male: here, female: 2 - here))
            }
        }
    }

    func testOccupationMaleSharesAndSpearmanAgainstHandComputedRho() throws {
        let set = try occupationSet()
        let result = try AuditAnalysis.results(
            sets: [set], models: ["m"], records: try occupationRecords(set, model: "m"), settings: .init())
        let comparison = try XCTUnwrap(result.sets[0].labourStatistics?.first)
        XCTAssertEqual(comparison.model, "m")
        XCTAssertEqual(comparison.occupations.map(\.term), ["nurse", "secretary", "receptionist", "carpenter", "electrician", "plumber"])
        let expected = ["nurse": 0.25, "secretary": 0.5, "receptionist": 0.1, "carpenter": 0.9, "electrician": 0.75]
        for row in comparison.occupations where row.term != "plumber" {
            let value = try XCTUnwrap(row.maleShare.value, row.term)
            XCTAssertEqual(value, expected[row.term]!, accuracy: shareTolerance, "\(row.term): male share")
            XCTAssertNil(row.maleShare.insufficient, "\(row.term) has 40 gendered words")
            XCTAssertNotNil(row.maleShare.lower, "\(row.term) has an interval")
            XCTAssertEqual(row.maleShare.weight, 40)
        }
        let plumber = try XCTUnwrap(comparison.occupations.last)
        // Its count is the occupation's, as the report says it (a newcomer's review: results.json said "in a group").
        XCTAssertEqual(plumber.maleShare.insufficient, "too few gendered words (0 for this occupation, below the minimum of 20)")
        // 1 − women_share without binary noise (it was 0.07999999999999996 for 0.92 in results.json).
        XCTAssertEqual(plumber.menShare, 0.98, "exactly")
        XCTAssertEqual(OccupationShare(term: "t", group: "g", womenShare: 0.92, maleShare: plumber.maleShare).menShare, 0.08)
        // Shares that differ in their 13th decimal keep their order (a code review: rounding to 12 decimals merged them).
        let close = [0.1234567890123, 0.1234567890124].map {
            OccupationShare(term: "t", group: "g", womenShare: $0, maleShare: plumber.maleShare).menShare
        }
        XCTAssertGreaterThan(close[0], close[1])
        // By hand: male shares rank receptionist 1, nurse 2, secretary 3, electrician 4, carpenter 5; men's
        // shares (1 − women_share) rank secretary 1, receptionist 2, nurse 3, carpenter 4, electrician 5;
        // Σd² = 1 + 4 + 1 + 1 + 1 = 8, ρ = 1 − 6·8 / (5·(25 − 1)) = 0.6.
        XCTAssertEqual(comparison.supported, 5)
        XCTAssertNil(comparison.insufficient)
        let rho = try XCTUnwrap(comparison.spearman)
        XCTAssertEqual(rho, 0.6, accuracy: rhoTolerance, "Spearman's rho: got \(rho), difference \(abs(rho - 0.6))")
    }

    func testNoCorrelationWithFewerThanFourSupportedOccupations() throws {
        let set = try occupationSet()
        let settings = AuditAnalysis.Settings(inference: InferenceSettings(confidence: 0.95, power: 0.8, minimumWeight: 41))
        let result = try AuditAnalysis.results(
            sets: [set], models: ["m"], records: try occupationRecords(set, model: "m"), settings: settings)
        let comparison = try XCTUnwrap(result.sets[0].labourStatistics?.first)
        XCTAssertEqual(comparison.supported, 0)
        XCTAssertNil(comparison.spearman)
        XCTAssertEqual(comparison.insufficient, "fewer than 4 occupations with enough gendered words (0)")
        XCTAssertTrue(comparison.occupations.allSatisfy { $0.maleShare.insufficient != nil && $0.maleShare.lower == nil })
    }

    func testSetsWithoutWomenShareHaveNoLabourStatistics() throws {
        let yaml = """
            name: plain
            description: test
            axis: gender
            source: test
            templates: ["The {x} said"]
            groups:
              a: {terms: [he1, he2]}
              b: {terms: [she1, she2]}
            metrics: [gender]
            """
        let set = try PromptSetLoader.load(data: Data(yaml.utf8), path: "plain.yaml")
        let records = try set.prompts.map { record($0, model: "m", sample: 0, scores: try scores(compound: 0, male: 1)) }
        let result = try AuditAnalysis.results(sets: [set], models: ["m"], records: records, settings: .init())
        XCTAssertNil(result.sets[0].labourStatistics)
    }

    /// Seeded compounds on a three-group set: every pair is matched (same template and sample index,
    /// two groups of one contrast) and no matched pair of its contrast differs more.
    func testCounterfactualPairsAreMatchedAndTheLargestDifferences() throws {
        let yaml = """
            name: three
            description: test
            axis: religion
            source: test
            templates: ["My {r} neighbor is", "My {r} friend was"]
            groups:
              a: {terms: [a1, a2]}
              b: {terms: [b1, b2]}
              c: {terms: [c1]}
            metrics: [sentiment]
            """
        let set = try PromptSetLoader.load(data: Data(yaml.utf8), path: "three.yaml")
        var random = Xoshiro256StarStar(seed: 7)
        var records: [CompletionRecord] = []
        for model in ["m1", "m2"] {
            for prompt in set.prompts {
                for sample in 0..<6 {
                    let compound = (2 * random.unitInterval() - 1) * 0.9
                    records.append(record(prompt, model: model, sample: sample, scores: try scores(compound: compound)))
                }
            }
        }
        let result = try AuditAnalysis.results(sets: [set], models: ["m1", "m2"], records: records, settings: .init())
        let pairs = try XCTUnwrap(result.sets[0].counterfactualPairs)
        for model in ["m1", "m2"] {
            let mine = pairs.filter { $0.model == model }
            XCTAssertEqual(mine.count, 2, "two pairs per set and model")
            XCTAssertEqual(Set(mine.map { [$0.a.group, $0.b.group] }).count, 2, "the best pair of two different contrasts")
            for pair in mine {
                let a = try XCTUnwrap(records.first { $0.model == model && $0.prompt == pair.a.prompt && $0.sampleIndex == pair.sampleIndex })
                let b = try XCTUnwrap(records.first { $0.model == model && $0.prompt == pair.b.prompt && $0.sampleIndex == pair.sampleIndex })
                XCTAssertEqual(a.templateId, b.templateId, "a pair shares its template")
                XCTAssertEqual(a.templateId, pair.templateId)
                XCTAssertEqual(a.sampleIndex, b.sampleIndex, "a pair shares its sample index (random stream)")
                XCTAssertNotEqual(a.group, b.group)
                XCTAssertEqual(pair.difference, a.scores.compound - b.scores.compound)
                let matched = records.filter { $0.model == model && $0.group == pair.a.group }.flatMap { x in
                    records.filter {
                        $0.model == model && $0.group == pair.b.group && $0.templateId == x.templateId
                            && $0.sampleIndex == x.sampleIndex
                    }.map { abs(x.scores.compound - $0.scores.compound) }
                }
                XCTAssertEqual(abs(pair.difference), matched.max()!, "the contrast's largest matched difference")
            }
        }
    }

    /// The pairs kept while scanning (bounded, with a term skipped when it cannot beat them) are exactly those of
    /// sorting every matched pair, ties included (compounds in steps of 0.25), for 1–4 pairs.
    func testCounterfactualPairsMatchSortingEveryPair() throws {
        let yaml = """
            name: many
            description: test
            axis: religion
            source: test
            templates: ["My {r} neighbor is", "My {r} friend was", "The {r} one said"]
            groups:
              a: {terms: [a1, a2, a3, a4]}
              b: {terms: [b1, b2, b3]}
              c: {terms: [c1, c2, c3, c4, c5]}
            metrics: [sentiment]
            """
        let set = try PromptSetLoader.load(data: Data(yaml.utf8), path: "many.yaml")
        var random = Xoshiro256StarStar(seed: 11)
        var records: [CompletionRecord] = []
        for prompt in set.prompts {
            for sample in 0..<4 {
                let compound = Double(random.below(9)) * 0.25 - 1
                records.append(record(prompt, model: "m", sample: sample, scores: try scores(compound: compound)))
            }
        }
        typealias Candidate = (a: CompletionRecord, b: CompletionRecord)
        func ordered(_ l: Candidate, _ r: Candidate) -> Bool {
            let (dl, dr) = (abs(l.a.scores.compound - l.b.scores.compound), abs(r.a.scores.compound - r.b.scores.compound))
            if dl != dr { return dl > dr }
            return (l.a.templateId, l.a.sampleIndex, l.a.promptId, l.b.promptId)
                < (r.a.templateId, r.a.sampleIndex, r.a.promptId, r.b.promptId)
        }
        for limit in 1...4 {
            // Reference: every matched pair of each contrast, sorted; then the best of each contrast, the second best…
            var perContrast: [[Candidate]] = []
            for (x, y) in [("a", "b"), ("a", "c"), ("b", "c")] {
                let candidates = records.filter { $0.group == x }.flatMap { first in
                    records.filter { $0.group == y && $0.templateId == first.templateId && $0.sampleIndex == first.sampleIndex }
                        .map { (a: first, b: $0) }
                }
                perContrast.append(Array(candidates.sorted(by: ordered).prefix(limit)))
            }
            var expected: [Candidate] = []
            for rank in 0..<limit where expected.count < limit {
                expected += perContrast.compactMap { rank < $0.count ? $0[rank] : nil }.sorted(by: ordered)
                    .prefix(limit - expected.count)
            }
            let pairs = AuditAnalysis.counterfactualPairs(records, groups: ["a", "b", "c"], model: "m", limit: limit)
            XCTAssertEqual(pairs.map { "\($0.templateId)#\($0.sampleIndex) \($0.a.prompt) | \($0.b.prompt)" },
                           expected.map { "\($0.a.templateId)#\($0.a.sampleIndex) \($0.a.prompt) | \($0.b.prompt)" },
                           "limit \(limit)")
        }
        XCTAssertEqual(AuditAnalysis.counterfactualPairs(records, groups: ["a", "b", "c"], model: "m", limit: 0).count, 0)
    }

    /// A teacher's review: under greedy decoding every sample of a prompt is one text, and the report showed the same
    /// pair at sample index 0 and again at 1. A pair of the same two prompts and texts is shown once (the first index).
    func testCopiesOfOnePairAreShownOnce() throws {
        let set = try occupationSet()
        let a = try XCTUnwrap(set.prompts.first { $0.group == "female_dominated" })
        let b = try XCTUnwrap(set.prompts.first { $0.group == "male_dominated" && $0.templateID == a.templateID })
        let other = try XCTUnwrap(set.prompts.first { $0.group == "male_dominated" && $0.templateID == a.templateID && $0.id != b.id })
        var records: [CompletionRecord] = []
        for sample in 0..<3 {
            var first = record(a, model: "m", sample: sample, scores: try scores(compound: -0.75))
            var second = record(b, model: "m", sample: sample, scores: try scores(compound: 0.75))
            var third = record(other, model: "m", sample: sample, scores: try scores(compound: 0.5))
            (first.text, second.text, third.text) = (" the same", " also the same", " a third")
            records += [first, second, third]
        }
        let pairs = AuditAnalysis.counterfactualPairs(
            records, groups: ["female_dominated", "male_dominated"], model: "m", limit: 2)
        XCTAssertEqual(pairs.map { "\($0.sampleIndex) \($0.a.prompt) | \($0.b.prompt)" },
                       ["0 \(a.text) | \(b.text)", "0 \(a.text) | \(other.text)"], "each pair of texts once")
    }

    func testTypicalExampleIsClosestToTheGroupMedian() throws {
        let set = try occupationSet()
        // Binary fractions, so that the two middle values are exactly equally close to the median.
        let compounds = [-0.75, -0.25, 0.125, 0.375, 0.5, 0.875]
        let prompts = set.prompts.filter { $0.group == "female_dominated" }
        let records = try compounds.enumerated().map { index, compound in
            record(prompts[index % prompts.count], model: "m", sample: index, scores: try scores(compound: compound))
        }
        // Median of six: (0.125 + 0.375) / 2 = 0.25; both are 0.125 away: the lower prompt id wins.
        let typical = try XCTUnwrap(AuditAnalysis.typicalExample(records, model: "m", group: "female_dominated"))
        let candidates = records.filter { [0.125, 0.375].contains($0.scores.compound) }
        let expected = candidates.min { ($0.promptId, $0.sampleIndex) < ($1.promptId, $1.sampleIndex) }!
        XCTAssertEqual(typical.kind, "typical")
        XCTAssertEqual(typical.compound, expected.scores.compound)
        XCTAssertEqual(typical.prompt, expected.prompt)
    }

    /// `analyze RUN_DIR` rebuilds the prompt set from the run's results and completions: the terms'
    /// `women_share` come back from the labour table, so the re-analysis has the same table (and the
    /// groups keep their labels in every language).
    func testReanalysedRunKeepsTheLabourTableAndLabels() throws {
        var set = try occupationSet()
        set.groups[0].labels = ["es": "Ocupaciones con mayoría de mujeres"]
        let records = try occupationRecords(set, model: "m") + occupationRecords(set, model: "n")
        let original = try AuditAnalysis.results(sets: [set], models: ["m", "n"], records: records, settings: .init())
        let table = try XCTUnwrap(original.sets[0].labourStatistics, "the original run has a labour table")
        XCTAssertEqual(table.count, 2)

        let encoder = AuditJSON.encoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n")
        let supplied = try SuppliedCompletion.parse(Data(lines.utf8), path: "completions.jsonl")
        let rebuilt = try PromptSet(reconstructing: original.sets[0], lines: supplied, path: "completions.jsonl")
        XCTAssertEqual(
            rebuilt.groups.flatMap { $0.terms ?? [] }.map(\.womenShare), set.groups.flatMap { $0.terms ?? [] }.map(\.womenShare))
        let again = try AuditAnalysis.results(sets: [rebuilt], models: ["m", "n"], records: records, settings: .init())
        XCTAssertEqual(again.sets[0].labourStatistics, table, "the same labour table after re-analysis")
        XCTAssertEqual(again.sets[0].groups, original.sets[0].groups)
        XCTAssertEqual(again.sets[0].groups[0].label(in: "es"), "Ocupaciones con mayoría de mujeres")
        XCTAssertEqual(again.sets[0].groups[1].label(in: "es"), "male_dominated", "no Spanish label: the label (here the id)")
    }

    /// Model comparisons record whether the models share random streams: completions analysed unpaired
    /// give `paired: false` on every comparison (a run's give true).
    func testUnpairedCompletionsGiveUnpairedModelComparisons() throws {
        let set = try occupationSet()
        let records = try occupationRecords(set, model: "m") + occupationRecords(set, model: "n")
        let paired = try AuditAnalysis.results(sets: [set], models: ["m", "n"], records: records, settings: .init())
        XCTAssertFalse(paired.comparisons.isEmpty)
        XCTAssertTrue(paired.comparisons.allSatisfy(\.paired))
        let unpairedRecords = records.map { record -> CompletionRecord in
            var record = record
            record.templateId = CompletionMatcher.unpairedStreamKey(record.templateId, group: record.group, model: record.model)
            return record
        }
        let unpaired = try AuditAnalysis.results(
            sets: [set], models: ["m", "n"], records: unpairedRecords, settings: .init(), pairedStreams: false)
        XCTAssertEqual(unpaired.comparisons.count, paired.comparisons.count)
        XCTAssertTrue(unpaired.comparisons.allSatisfy { !$0.paired }, "every comparison of unpaired completions is unpaired")

        // A served model (its streams cannot be enforced): its comparisons are unpaired (its streams separate clusters).
        let records3 = records + (try occupationRecords(set, model: "o"))
        let served = try AuditAnalysis.results(
            sets: [set], models: ["m", "n", "o"], records: records3, settings: .init(), unpairedModels: ["n"])
        let pairs = served.comparisons.map { "\($0.modelA)-\($0.modelB)" }
        XCTAssertEqual(Set(served.comparisons.filter(\.paired).map { "\($0.modelA)-\($0.modelB)" }), ["m-o"], "\(pairs)")
        XCTAssertEqual(Set(served.comparisons.filter { !$0.paired }.map { "\($0.modelA)-\($0.modelB)" }), ["m-n", "n-o"])
    }
}
