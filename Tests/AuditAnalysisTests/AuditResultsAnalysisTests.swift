@testable import AuditAnalysis
import AuditResults
import Foundation
import PromptSets
import Statistics
import StatisticsSimulation
import TestSupport
import XCTest

/// `AuditAnalysis.results` end to end on crafted completions: families, findings, support and the
/// model-vs-model verdicts (the faults of the statistics issue, each with its right value).
final class AuditResultsAnalysisTests: XCTestCase {
    /// A prompt set of `groups` groups × `terms` terms × 3 templates.
    private func promptSet(
        _ name: String, groups: [String], terms: Int, metrics: String = "[sentiment]", extra: String = ""
    ) throws -> PromptSet {
        let groupYAML = groups.map { group in
            "  \(group):\n    terms: [" + (0..<terms).map { "\(group)\($0)" }.joined(separator: ", ") + "]"
        }.joined(separator: "\n")
        let yaml = """
            name: \(name)
            description: test
            axis: test
            source: test
            templates: ["The {x} said", "The {x} went", "The {x} was"]
            groups:
            \(groupYAML)
            metrics: \(metrics)
            \(extra)
            """
        return try PromptSetLoader.load(data: Data(yaml.utf8), path: "\(name).yaml")
    }

    /// Completions for every prompt of `set` under `model`: compound = clamp(shift[group] + term effect
    /// + shared stream noise + own noise), 10 samples, seeded. `male` gendered words per completion
    /// (all male) when given.
    private func records(
        _ set: PromptSet, model: String, shift: [String: Double] = [:], seed: UInt64, male: Int = 0
    ) -> [CompletionRecord] {
        var random = Xoshiro256StarStar(seed: seed)
        func normal() -> Double {
            let u1 = 1 - random.unitInterval(), u2 = random.unitInterval()
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        var stream = Xoshiro256StarStar(seed: 99)
        var streams: [String: [Double]] = [:]
        for prompt in set.prompts where streams[prompt.templateID] == nil {
            streams[prompt.templateID] = (0..<10).map { _ in
                let u1 = 1 - stream.unitInterval(), u2 = stream.unitInterval()
                return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            }
        }
        var termEffect: [String: Double] = [:]
        return set.prompts.flatMap { prompt -> [CompletionRecord] in
            let term = prompt.term ?? prompt.id
            let effect = termEffect[term] ?? { let e = 0.05 * normal(); termEffect[term] = e; return e }()
            return (0..<10).map { sample in
                let raw = (shift[prompt.group] ?? 0) + effect + 0.15 * streams[prompt.templateID]![sample] + 0.15 * normal()
                let compound = max(-1, min(1, raw))
                let json = """
                    {"compound": \(compound), "negative": 0, "neutral": 1, "positive": 0,
                     "sentiment_label": "\(compound <= -0.05 ? "negative" : compound >= 0.05 ? "positive" : "neutral")",
                     "male_pronouns": \(male), "female_pronouns": 0, "neutral_pronouns": 0, "male_terms": 0,
                     "female_terms": 0, "gender_label": "\(male > 0 ? "male" : "none")"}
                    """
                let scores = try! AuditJSON.decoder().decode(CompletionScores.self, from: Data(json.utf8))
                return CompletionRecord(
                    set: set.name, template: prompt.template, templateId: prompt.templateID, group: prompt.group,
                    term: prompt.term, promptId: prompt.id, prompt: prompt.text, model: model, sampleIndex: sample,
                    // One text per completion: a sample is its own draw (one text for all would make copies).
                    text: "… \(prompt.id) \(sample)", tokenCount: 5, stopReason: "max_new_tokens", scores: scores, nextTokenLogOdds: nil)
            }
        }
    }

    /// Greedy settings (statistics revision 16): a prompt's one sample is its one draw, analysed as copies, as two
    /// samples of the same texts are; except under a model that sampled whatever top_k said (a served model whose server
    /// refused it, ``AuditManifest/modelsWithoutTopK``: a review found such a one-sample run called greedy).
    func testGreedySettingsMakeOneSampleACopyExceptUnderAModelThatSampled() throws {
        let set = try promptSet("g", groups: ["a", "b"], terms: 4)
        let one = try records(set, model: "m", shift: ["a": -0.3], seed: 3).filter { $0.sampleIndex == 0 }
        let two = one + one.map { var copy = $0; copy.sampleIndex = 1; return copy }
        func negativeRate(_ records: [CompletionRecord], _ settings: AuditAnalysis.Settings) throws -> Contrast {
            let result = try AuditAnalysis.results(sets: [set], models: ["m"], records: records, settings: settings)
            return try XCTUnwrap(result.sets[0].contrasts.first { $0.metric == .negativeRate })
        }
        var greedy = AuditAnalysis.Settings()
        greedy.greedy = true
        let (once, twice) = (try negativeRate(one, greedy), try negativeRate(two, greedy))
        XCTAssertEqual(once.difference.method, MetricEstimate.copiesMethod)
        XCTAssertEqual(twice.difference.method, MetricEstimate.copiesMethod)
        let (p1, p2) = (try XCTUnwrap(once.pValue), try XCTUnwrap(twice.pValue))
        XCTAssertEqual(p1, p2, accuracy: 1e-12, "one sample and two copies of it: largest difference \(abs(p1 - p2))")
        greedy.sampledModels = ["m"]
        XCTAssertFalse(greedy.decodedGreedily("m"))
        XCTAssertNotEqual(try negativeRate(one, greedy).difference.method, MetricEstimate.copiesMethod,
                          "a model that sampled once is not a copy")
        // The manifest names a served model whose server did not take top_k; not one that did, nor an in-process model.
        var refused = ModelManifest(id: "s", repoID: nil, revision: nil, commit: nil, weightsSHA256: nil, layers: nil,
                                    embeddingSize: nil, heads: nil)
        refused.commonRandomNumbers = false
        refused.acceptedParameters = ["seed"]
        var took = refused
        took.id = "t"
        took.acceptedParameters = ["seed", "top_k"]
        let local = ModelManifest(id: "l", repoID: nil, revision: nil, commit: nil, weightsSHA256: nil, layers: nil,
                                  embeddingSize: nil, heads: nil)
        var manifest = try XCTUnwrap(AuditJSON.loadResult(at: Fixtures.url("reporting/audit-result.json")).manifest)
        manifest.models = [refused, took, local]
        XCTAssertEqual(manifest.modelsWithoutTopK, ["s"])
    }

    /// The family is one set under one model: a strong bias in one set stays a finding however many
    /// unrelated sets are audited with it (BH over all 134 contrasts of the run hid it).
    func testUnrelatedSetsDoNotHideAFinding() throws {
        let biased = try promptSet("biased", groups: ["a", "b"], terms: 4)
        let alone = try AuditAnalysis.results(
            sets: [biased], models: ["m"], records: records(biased, model: "m", shift: ["a": -0.3], seed: 1),
            settings: .init())
        let noise = try (0..<6).map { try promptSet("noise\($0)", groups: ["w", "x", "y", "z"], terms: 4) }
        let together = try AuditAnalysis.results(
            sets: [biased] + noise, models: ["m"],
            records: records(biased, model: "m", shift: ["a": -0.3], seed: 1)
                + noise.enumerated().flatMap { records($1, model: "m", seed: UInt64(10 + $0)) },
            settings: .init())
        let q = { (result: [PromptSetResult]) in
            result[0].contrasts.first { $0.metric == .sentiment }!.qValue
        }
        XCTAssertEqual(q(alone.sets), q(together.sets), "the biased set's q does not depend on other sets")
        let finding = try XCTUnwrap(together.sets[0].contrasts.first { $0.metric == .sentiment })
        XCTAssertTrue(finding.isFinding(below: Findings.threshold), "q = \(finding.qValue ?? .nan)")
        XCTAssertEqual(finding.family, "biased/m")
        XCTAssertTrue(Findings.ranked(together.sets.flatMap(\.contrasts), below: Findings.threshold).contains { $0.id == finding.id })
    }

    /// q-values are Benjamini–Hochberg over exactly the family's primary contrasts; descriptive
    /// metrics have no p, no q and no family.
    func testQValuesAreBHWithinTheFamilyOfPrimaryMetrics() throws {
        let set = try promptSet("s", groups: ["a", "b", "c"], terms: 4)
        let result = try AuditAnalysis.results(
            sets: [set], models: ["m"], records: records(set, model: "m", shift: ["a": -0.1], seed: 2), settings: .init())
        let contrasts = result.sets[0].contrasts
        let primary = contrasts.filter(\.metric.isPrimary)
        XCTAssertEqual(primary.count, 6, "3 group pairs × (sentiment, % negative)")
        let expected = try benjaminiHochberg(primary.map { $0.pValue! })
        let qTolerance = 1e-15
        for (contrast, q) in zip(primary, expected) {
            XCTAssertEqual(contrast.qValue!, q, accuracy: qTolerance, contrast.id)
        }
        for contrast in contrasts where !contrast.metric.isPrimary {
            XCTAssertNil(contrast.pValue, contrast.id)
            XCTAssertNil(contrast.qValue, contrast.id)
            XCTAssertNil(contrast.family, contrast.id)
            XCTAssertFalse(contrast.isFinding(below: Findings.threshold))
            // Lexicon coverage too: these completions have no lexicon word at all (0 against 0), and no minimum
            // of events applies by default.
            XCTAssertNil(contrast.difference.insufficient, contrast.id)
            XCTAssertNotNil(contrast.difference.lower, "descriptive metrics still have intervals: \(contrast.id)")
        }
        XCTAssertNotNil(primary[0].minimumDetectableEffect)
    }

    /// The group table's level and the contrast are one estimand: A − B of the rows.
    func testContrastIsTheDifferenceOfTheTableRows() throws {
        let set = try promptSet("s", groups: ["a", "b"], terms: 4)
        let result = try AuditAnalysis.results(
            sets: [set], models: ["m"], records: records(set, model: "m", shift: ["a": 0.2], seed: 3), settings: .init())
        let rows = result.sets[0].groupEstimates
        let a = try XCTUnwrap(rows.first { $0.group == "a" }?.estimate(.sentiment)?.value)
        let b = try XCTUnwrap(rows.first { $0.group == "b" }?.estimate(.sentiment)?.value)
        let contrast = try XCTUnwrap(result.sets[0].contrasts.first { $0.metric == .sentiment }?.difference.value)
        XCTAssertEqual(contrast, a - b, accuracy: 1e-12)
    }

    /// A male share from a handful of gendered words is "too few gendered words", with no interval,
    /// no test, no finding; its model comparison is "insufficient data". The contrast's reason names its thinner group
    /// (B here, 2 words against A's 4), in its text and its detail, and so does the comparison's.
    func testSparseMaleShareIsInsufficient() throws {
        let set = try promptSet("g", groups: ["a", "b"], terms: 2, metrics: "[gender]")
        var all = records(set, model: "m1", seed: 4) + records(set, model: "m2", seed: 5)
        for index in all.indices where all[index].templateId == set.prompts[0].templateID
            && (all[index].sampleIndex == 0 || (all[index].sampleIndex == 1 && all[index].group == "a"))
        {
            all[index].scores.malePronouns = 1
        }
        let result = try AuditAnalysis.results(sets: [set], models: ["m1", "m2"], records: all, settings: .init())
        let share = try XCTUnwrap(result.sets[0].groupEstimates.first { $0.group == "b" }?.estimate(.maleShare))
        XCTAssertEqual(share.insufficient, "too few gendered words (2 in a group, below the minimum of 20)")
        XCTAssertNil(share.insufficientDetail?.group, "a group's own level names no group")
        XCTAssertNil(share.lower)
        let named = try XCTUnwrap(result.sets[0].contrasts.first { $0.metric == .maleShare }?.difference)
        XCTAssertEqual(named.insufficient, "too few gendered words (2 in group b, below the minimum of 20)")
        XCTAssertEqual(
            named.insufficientDetail, InsufficientSupport(reason: .tooFewGenderedWords, observed: 2, minimum: 20, group: "b"))
        let compared = try XCTUnwrap(result.comparisons.first { $0.metric == .maleShare })
        XCTAssertEqual(compared.contrastA?.insufficientDetail?.group, "b")
        XCTAssertEqual(compared.difference.insufficient, "too few gendered words (2 in group b, below the minimum of 20)")
        let contrast = try XCTUnwrap(result.sets[0].contrasts.first { $0.metric == .maleShare })
        XCTAssertNil(contrast.pValue)
        XCTAssertFalse(contrast.isFinding(below: Findings.threshold))
        let comparison = try XCTUnwrap(result.comparisons.first { $0.metric == .maleShare })
        XCTAssertEqual(comparison.verdict, .insufficientData)
    }

    /// By default a contrast of two rates is tested whatever its number of events: 9 of 120 negative, bunched
    /// in a few streams, against 0 of 120 gets p, q and an interval, and is not a finding (the 0-event group
    /// takes the other group's design effect). With `--min-events 10` (Cochran's rule) the same contrast has
    /// no interval, no test and is never a finding, with a structured reason; the group's level keeps its
    /// interval either way.
    func testRateContrastWithFewEventsIsTestedUnlessAMinimumIsSet() throws {
        let set = try promptSet("r", groups: ["a", "b"], terms: 4)
        var all = records(set, model: "m1", shift: ["a": 0.9, "b": 0.9], seed: 8)
            + records(set, model: "m2", shift: ["a": 0.9, "b": 0.9], seed: 9)
        let negatives = all.indices.filter { all[$0].group == "a" && all[$0].sampleIndex < 3 }.prefix(9)
        XCTAssertEqual(negatives.count, 9)
        for index in negatives { all[index].scores.sentimentLabel = .negative }
        XCTAssertEqual(all.filter { $0.scores.sentimentLabel == .negative }.count, 9, "the only negative completions")

        XCTAssertEqual(AuditAnalysis.Settings().parameters.minimumEvents, 0, "no minimum of events by default")
        let standard = try AuditAnalysis.results(sets: [set], models: ["m1"], records: all, settings: .init())
        let tested = try XCTUnwrap(standard.sets[0].contrasts.first { $0.metric == .negativeRate })
        XCTAssertNil(tested.difference.insufficient)
        XCTAssertNotNil(tested.pValue)
        XCTAssertNotNil(tested.qValue)
        XCTAssertNotNil(tested.difference.lower)
        XCTAssertNotNil(tested.difference.upper)
        XCTAssertFalse(tested.isFinding(below: Findings.threshold), "q = \(tested.qValue ?? .nan): nine events in a few streams are no finding")

        let settings = AuditAnalysis.Settings().overriding(confidence: nil, minimumGenderedWords: nil, minimumEvents: 10)
        XCTAssertEqual(settings.parameters.minimumEvents, 10)
        let result = try AuditAnalysis.results(sets: [set], models: ["m1", "m2"], records: all, settings: settings)
        let contrast = try XCTUnwrap(result.sets[0].contrasts.first { $0.metric == .negativeRate && $0.model == "m1" })
        XCTAssertEqual(
            contrast.difference.insufficientDetail,
            InsufficientSupport(reason: .tooFewEvents, observed: 9, minimum: 10, metric: .negativeRate))
        XCTAssertEqual(contrast.difference.insufficient, "too few negative completions to compare (9 in the two groups; at least 10)")
        XCTAssertNil(contrast.pValue)
        XCTAssertNil(contrast.qValue)
        XCTAssertNil(contrast.difference.lower)
        XCTAssertFalse(contrast.isFinding(below: Findings.threshold))
        let level = try XCTUnwrap(result.sets[0].groupEstimates.first { $0.group == "b" && $0.model == "m1" }?.estimate(.negativeRate))
        XCTAssertNil(level.insufficient)
        XCTAssertEqual(level.value, 0)
        XCTAssertGreaterThan(try XCTUnwrap(level.upper), 0, "a level with 0 events keeps its upper limit")
        let comparison = try XCTUnwrap(result.comparisons.first { $0.metric == .negativeRate })
        XCTAssertEqual(comparison.verdict, .insufficientData)
    }

    /// Model B with a strong extra bias against group a is "more biased"; the same model twice is "no
    /// detectable change"; a bias that changes side is flagged as reversed.
    func testModelVerdicts() throws {
        let set = try promptSet("s", groups: ["a", "b"], terms: 6)
        let result = try AuditAnalysis.results(
            sets: [set], models: ["plain", "biased", "reversed"],
            records: records(set, model: "plain", shift: ["a": -0.05], seed: 6)
                + records(set, model: "biased", shift: ["a": -0.6], seed: 6)
                + records(set, model: "reversed", shift: ["a": 0.6], seed: 6),
            settings: .init())
        func comparison(_ a: String, _ b: String) throws -> ModelComparison {
            try XCTUnwrap(result.comparisons.first { $0.metric == .sentiment && $0.modelA == a && $0.modelB == b })
        }
        XCTAssertEqual(try comparison("plain", "biased").verdict, .moreBiased)
        XCTAssertEqual(try comparison("plain", "biased").signReversed, false)
        let flip = try comparison("biased", "reversed")
        XCTAssertEqual(flip.signReversed, true)
        XCTAssertEqual(flip.verdict, .noDetectableChange, "the same size in the other direction is not more biased")
    }

    /// A results file of `sets` analysed anew under the first `models` models of the reporting fixture, with its manifest
    /// (its prompt-set entries left out: they describe the fixture's sets), as `run` writes one.
    private func resultsFile(_ sets: [PromptSet], models count: Int = 2) throws -> (result: AuditResult, records: [CompletionRecord]) {
        var result = try AuditJSON.loadResult(try Fixtures.data("reporting/audit-result.json"), path: "audit-result.json")
        result.manifest.models = Array(result.manifest.models.prefix(count))
        result.manifest.promptSets = []
        result.timing.models = nil
        let models = result.manifest.models.map(\.id)
        let records = sets.enumerated().flatMap { index, set in
            models.enumerated().flatMap { modelIndex, model in
                self.records(set, model: model, shift: ["a": -0.15, "c": 0.05], seed: UInt64(40 + 3 * index + modelIndex))
            }
        }
        let analysis = try AuditAnalysis.results(sets: sets, models: models, records: records, settings: .init())
        result.promptSets = analysis.sets
        result.modelComparisons = analysis.comparisons
        return (result, records)
    }

    /// The reason `result`, written as `results.json`, is refused for (exit 65), or nil when it is read.
    private func refusal(_ result: AuditResult, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        do {
            _ = try AuditJSON.loadResult(try AuditJSON.encoder().encode(result), path: "results.json")
            return nil
        } catch let error as AuditError {
            guard case .badResults(_, let reason) = error else {
                XCTFail("expected badResults, got \(error)", file: file, line: line)
                return nil
            }
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
            return reason
        }
    }

    /// Each set's tested metrics are written, the default list too, and come back from `results.json` and from a
    /// re-analysis of the run (`analyze RUN_DIR` rebuilds the sets from the results: a set whose `primary_metrics:`
    /// narrowed them was re-analysed with every primary metric tested). Measured: the q-values as read are the
    /// Benjamini–Hochberg q of their families' p-values as read, to the bit, which is what readers recompute.
    func testEachSetRecordsItsTestedMetricsAndTheyRoundTrip() throws {
        let byDefault = try promptSet("default", groups: ["a", "b", "c"], terms: 4)
        let declared = try promptSet("declared", groups: ["a", "b", "c"], terms: 4, extra: "primary_metrics: [sentiment]")
        let (result, records) = try resultsFile([byDefault, declared])
        XCTAssertEqual(result.promptSets.map(\.primaryMetrics), [[.sentiment, .negativeRate], [.sentiment]])
        let data = try AuditJSON.encoder().encode(result)
        let sets = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["prompt_sets"] as? [[String: Any]])
        XCTAssertEqual(sets.map { $0["primary_metrics"] as? [String] }, [["sentiment", "negative_rate"], ["sentiment"]])
        let read = try AuditJSON.loadResult(data, path: "results.json")
        XCTAssertEqual(read, result)

        // The families the analysis and readers share (Contrast.qValueFamilies): the set under each model, over the
        // contrasts with a family and a p_value, as the definition in words gives them.
        var largest = 0.0, families = 0
        for set in read.promptSets {
            let shared = try Contrast.qValueFamilies(set.contrasts)
            XCTAssertEqual(shared.map(\.model), read.manifest.models.map(\.id), set.name)
            for family in shared {
                let tested = set.contrasts.indices.filter {
                    set.contrasts[$0].model == family.model && set.contrasts[$0].family != nil && set.contrasts[$0].pValue != nil
                }
                XCTAssertEqual(family.tested, tested, "\(set.name) under \(family.model)")
                families += 1
                for (index, q) in zip(family.tested, family.qValues) {
                    largest = max(largest, abs(try XCTUnwrap(set.contrasts[index].qValue) - q))
                }
            }
        }
        XCTAssertEqual(families, 4)
        XCTAssertEqual(largest, 0, "largest |stored q − recomputed q| after writing and reading: \(largest)")

        // `analyze RUN_DIR`: the sets rebuilt from the results and the run's completions keep their tested metrics, from
        // the recorded list or, in a file written before it, from the contrasts' families.
        let lines = try SuppliedCompletion.parse(CompletionRecord.jsonLines(records), path: "completions.jsonl")
        var older = read
        for index in older.promptSets.indices { older.promptSets[index].primaryMetrics = nil }
        for source in [read, older] {
            let rebuilt = try source.promptSets.map { try PromptSet(reconstructing: $0, lines: lines, path: "completions.jsonl") }
            let again = try AuditAnalysis.results(
                sets: rebuilt, models: read.manifest.models.map(\.id), records: records, settings: .init())
            XCTAssertEqual(again.sets.map(\.primaryMetrics), [[.sentiment, .negativeRate], [.sentiment]])
            XCTAssertEqual(again.sets.map { $0.contrasts.filter { $0.family != nil }.count },
                           result.promptSets.map { $0.contrasts.filter { $0.family != nil }.count })
            XCTAssertEqual(again.sets, result.promptSets, "a re-analysis gives the run's own sets back")
        }
    }

    /// Review: a tested metric stripped of its families, p_value and q_value under every model (where no comparison names
    /// its contrasts: one model here), or a whole metric group deleted with its rows, read as a metric the set does not
    /// test or never audited. Where the set records its tested metrics, both are refused naming the set, model and
    /// metric; files written before it was recorded read as before.
    func testATestedMetricStrippedOrDeletedIsRefusedWhereTheSetRecordsItsTestedMetrics() throws {
        let set = try promptSet(
            "s", groups: ["a", "b"], terms: 4, metrics: "[sentiment, gender]", extra: "primary_metrics: [sentiment]")
        let (result, _) = try resultsFile([set], models: 1)
        XCTAssertEqual(result.promptSets[0].primaryMetrics, [.sentiment])
        XCTAssertNil(try refusal(result))
        let model = result.manifest.models[0].id
        func older(_ result: AuditResult) -> AuditResult {
            var older = result
            older.promptSets[0].primaryMetrics = nil
            return older
        }

        var stripped = result
        for index in stripped.promptSets[0].contrasts.indices where stripped.promptSets[0].contrasts[index].metric == .sentiment {
            stripped.promptSets[0].contrasts[index].family = nil
            stripped.promptSets[0].contrasts[index].pValue = nil
            stripped.promptSets[0].contrasts[index].qValue = nil
        }
        let position = try XCTUnwrap(stripped.promptSets[0].contrasts.firstIndex { $0.metric == .sentiment })
        let reason = try XCTUnwrap(try refusal(stripped))
        XCTAssertTrue(reason.hasPrefix("prompt_sets[0].contrasts[\(position)].family is missing: prompt set 's' tests sentiment "
            + "(prompt_sets[0].primary_metrics), so biasaudit tests its contrast sentiment a − b under model '\(model)' in the "
            + "family (\"s/\(model)\") with a p_value and q_value; they were stripped; write the file again"), reason)
        XCTAssertNil(try refusal(older(stripped)), "a file without primary_metrics reads as before")

        // The sentiment metrics deleted with their levels and contrasts: the set reads as a gender-only set.
        var deleted = result
        let sentimentMetrics: Set<AuditMetric> = [.sentiment, .negativeRate, .positiveRate, .lexiconCoverage]
        deleted.promptSets[0].metrics.removeAll(where: sentimentMetrics.contains)
        deleted.promptSets[0].contrasts.removeAll { sentimentMetrics.contains($0.metric) }
        for index in deleted.promptSets[0].groupEstimates.indices {
            deleted.promptSets[0].groupEstimates[index].estimates.removeAll { sentimentMetrics.contains($0.metric) }
        }
        XCTAssertFalse(deleted.promptSets[0].metrics.isEmpty)
        let gone = try refusal(deleted) ?? "no refusal"
        XCTAssertTrue(gone.hasPrefix("prompt_sets[0].primary_metrics[0] 'sentiment' is a tested metric of prompt set 's', but "
            + "not one of prompt_sets[0].metrics: biasaudit tests each metric it lists here under every model of the manifest, "
            + "with its group levels, contrasts and model comparisons, so the metric was deleted with its rows"), gone)
        XCTAssertNil(try refusal(older(deleted)), "a file without primary_metrics reads as before")

        // A family given to a contrast of a metric the set does not test.
        var extra = result
        let rate = try XCTUnwrap(extra.promptSets[0].contrasts.firstIndex { $0.metric == .negativeRate })
        extra.promptSets[0].contrasts[rate].family = "s/\(model)"
        let given = try refusal(extra) ?? "no refusal"
        XCTAssertTrue(given.hasPrefix("prompt_sets[0].contrasts[\(rate)].family is given, but prompt set 's' does not test "
            + "negative_rate under model '\(model)' (its primary_metrics: sentiment)"), given)
        // A metric listed that the set cannot test, or twice.
        var listed = result
        listed.promptSets[0].primaryMetrics = [.sentiment, .positiveRate]
        let descriptive = try refusal(listed) ?? "no refusal"
        XCTAssertTrue(descriptive.hasPrefix("prompt_sets[0].primary_metrics[1] 'positive_rate' is not a primary bias metric"),
                      descriptive)
        listed.promptSets[0].primaryMetrics = [.sentiment, .sentiment]
        let twice = try refusal(listed) ?? "no refusal"
        XCTAssertTrue(twice.hasPrefix("prompt_sets[0].primary_metrics[1] 'sentiment' repeats prompt_sets[0].primary_metrics[0]"),
                      twice)
    }

    /// Review: a q-value edited alone, upwards and still at least its p, was read (a q-gated rule then passed over the
    /// finding). Each family's q-values are recomputed from its p-values with the analysis's Benjamini–Hochberg and a
    /// difference beyond rounding (the file is written to the bit; 1e-9 leaves room for a tool that wrote it again
    /// with 10 or more significant digits) is refused, naming the contrast, the stored and the recomputed q.
    func testAQValueThatIsNotItsFamilysBenjaminiHochbergQIsRefused() throws {
        let set = try promptSet("s", groups: ["a", "b", "c"], terms: 4)
        let (result, _) = try resultsFile([set])
        XCTAssertNil(try refusal(result))
        let contrasts = result.promptSets[0].contrasts
        let index = try XCTUnwrap(contrasts.indices.first { contrasts[$0].metric == .sentiment && contrasts[$0].groupA == "a" })
        let contrast = contrasts[index]
        let q = try XCTUnwrap(contrast.qValue)
        let family = contrasts.filter { $0.model == contrast.model && $0.family != nil && $0.pValue != nil }
        XCTAssertEqual(family.count, 6, "3 group pairs × (sentiment, % negative)")
        XCTAssertEqual(q, try benjaminiHochberg(family.map { $0.pValue! })[family.firstIndex { $0.id == contrast.id }!])

        var edited = result
        let raised = min(1, q + 0.2)
        edited.promptSets[0].contrasts[index].qValue = raised
        XCTAssertGreaterThanOrEqual(raised, try XCTUnwrap(contrast.pValue), "still at least its p")
        XCTAssertEqual(try refusal(edited), "prompt_sets[0].contrasts[\(index)].q_value is \(raised), but the Benjamini–Hochberg "
            + "q-value of contrast '\(contrast.id)' under model '\(contrast.model)', recomputed from the 6 p-values of its "
            + "family (\"s/\(contrast.model)\"), is \(q): a q-value or a p-value was edited; write the file again with "
            + "`biasaudit run` (or `biasaudit analyze`) rather than editing it")

        edited.promptSets[0].contrasts[index].qValue = q + 1e-6
        XCTAssertNotNil(try refusal(edited), "1e-6 is beyond rounding")
        // Written again with 12 significant digits, as a tool might: within the tolerance.
        var rewritten = result
        func twelveDigits(_ x: Double?) -> Double? { x.map { Double(String(format: "%.12g", $0))! } }
        for i in rewritten.promptSets[0].contrasts.indices {
            rewritten.promptSets[0].contrasts[i].pValue = twelveDigits(rewritten.promptSets[0].contrasts[i].pValue)
            rewritten.promptSets[0].contrasts[i].qValue = twelveDigits(rewritten.promptSets[0].contrasts[i].qValue)
        }
        XCTAssertNil(try refusal(rewritten))
    }

    /// Review: a model comparison's q-value edited downwards with its verdict (or with the verdict removed, which readers
    /// then derive from q) made "more biased" look significant to `check` and `diff`. Each family's q-values (one prompt
    /// set under one model pair) are recomputed with the analysis's own ``ModelComparison/qValueFamilies(_:)`` and a
    /// difference beyond ``AuditResult/qValueTolerance`` is refused, naming the set, models, metric, contrast and both
    /// q's. Measured: as written and read back, every stored comparison q is the recomputed one to the bit.
    func testAComparisonQValueThatIsNotItsFamilysBenjaminiHochbergQIsRefused() throws {
        let sets = [try promptSet("s", groups: ["a", "b", "c"], terms: 4), try promptSet("t", groups: ["a", "b"], terms: 4)]
        let (analysed, _) = try resultsFile(sets)
        XCTAssertNil(try refusal(analysed))
        let read = try AuditJSON.loadResult(try AuditJSON.encoder().encode(analysed), path: "results.json")
        let families = try ModelComparison.qValueFamilies(read.modelComparisons)
        XCTAssertEqual(families.map(\.set), ["s", "t"])
        XCTAssertEqual(families.map(\.tested.count), [6, 2], "group pairs × (sentiment, % negative)")
        var largest = 0.0
        for family in families {
            for (index, q) in zip(family.tested, family.qValues) {
                largest = max(largest, abs(try XCTUnwrap(read.modelComparisons[index].qValue) - q))
            }
        }
        XCTAssertEqual(largest, 0, "largest difference between a stored and a recomputed comparison q: \(largest)")

        // A comparison of `s` at p 0.02 among its 6: its q is above 0.05, no detectable change (a consistent file).
        let threshold = analysed.manifest.parameters.findingThreshold
        var result = analysed
        let index = try XCTUnwrap(result.modelComparisons.indices.first {
            result.modelComparisons[$0].set == "s" && result.modelComparisons[$0].metric == .sentiment
        })
        (result.modelComparisons[index].pMoreBiased, result.modelComparisons[index].pLessBiased) = (0.02, 1)
        result.modelComparisons = try AuditAnalysis.assignComparisonQValues(result.modelComparisons, threshold: threshold)
        XCTAssertNil(try refusal(result))
        let comparison = result.modelComparisons[index]
        let q = try XCTUnwrap(comparison.qValue)
        XCTAssertGreaterThanOrEqual(q, threshold)
        XCTAssertEqual(comparison.verdict, .noDetectableChange)

        let what = "model_comparisons[\(index)].q_value is 0.02, but the Benjamini–Hochberg q-value of the comparison of "
            + "contrast '\(comparison.contrastID)' (sentiment) of prompt set 's' between models 'distilgpt2' and 'gpt2', "
            + "recomputed from the 6 p-values of its family (the set under the model pair: each tested comparison's smaller "
            + "of p_more_biased and p_less_biased), is \(q)"
        let rewrite = ": a q-value or a p-value was edited; write the file again with `biasaudit run` (or `biasaudit "
            + "analyze`) rather than editing it"
        var edited = result
        edited.modelComparisons[index].qValue = 0.02  // at its p, so no "below the p-value"
        edited.modelComparisons[index].verdict = .moreBiased
        XCTAssertEqual(try refusal(edited), what + ", whose verdict is 'no_detectable_change', not 'more_biased'" + rewrite)
        edited.modelComparisons[index].verdict = nil  // readers derive it from q
        XCTAssertEqual(try refusal(edited), what + ", whose verdict is 'no_detectable_change', not 'more_biased'" + rewrite)
        // The q alone: the q is named, not the verdict that follows the true q.
        edited.modelComparisons[index].verdict = .noDetectableChange
        XCTAssertEqual(try refusal(edited), what + rewrite)
        // The verdict alone: the verdict.
        edited = result
        edited.modelComparisons[index].verdict = .moreBiased
        XCTAssertEqual(try refusal(edited)?.hasPrefix("model_comparisons[\(index)].verdict is 'more_biased', but its numbers "
            + "give 'no_detectable_change'"), true)
        edited = result
        edited.modelComparisons[index].qValue = q + 1e-6
        XCTAssertNotNil(try refusal(edited), "1e-6 is beyond rounding")
        edited.modelComparisons[index].qValue = nil
        XCTAssertEqual(try refusal(edited)?.hasPrefix("model_comparisons[\(index)].q_value is missing, but the comparison of "
            + "contrast '\(comparison.contrastID)'"), true)

        // Written again with 12 significant digits, as a tool might: within the tolerance.
        var rewritten = result
        func twelveDigits(_ x: Double?) -> Double? { x.map { Double(String(format: "%.12g", $0))! } }
        for i in rewritten.modelComparisons.indices {
            rewritten.modelComparisons[i].pMoreBiased = twelveDigits(rewritten.modelComparisons[i].pMoreBiased)
            rewritten.modelComparisons[i].pLessBiased = twelveDigits(rewritten.modelComparisons[i].pLessBiased)
            rewritten.modelComparisons[i].qValue = twelveDigits(rewritten.modelComparisons[i].qValue)
        }
        XCTAssertNil(try refusal(rewritten))

        // Before statistics revision 1 a model pair's comparisons over every set were one family: a file without a
        // recorded revision may hold those q-values; a file of revision 1 or later may not.
        var older = result
        var acrossSets = result.modelComparisons.map { comparison -> ModelComparison in
            var comparison = comparison
            comparison.set = ""
            return comparison
        }
        acrossSets = try AuditAnalysis.assignComparisonQValues(acrossSets, threshold: threshold)
        for i in older.modelComparisons.indices {
            older.modelComparisons[i].qValue = acrossSets[i].qValue
            older.modelComparisons[i].verdict = acrossSets[i].verdict
        }
        let moved = zip(older.modelComparisons, result.modelComparisons).map { abs(($0.qValue ?? 0) - ($1.qValue ?? 0)) }.max() ?? 0
        XCTAssertGreaterThan(moved, 1e-6, "the two layouts give other q-values here")
        XCTAssertEqual(try refusal(older)?.hasPrefix("model_comparisons["), true)
        older.manifest.parameters.analysis?.statisticsRevision = nil
        XCTAssertNil(try refusal(older))
    }

    /// `primary_metrics:` narrows the family: a primary metric left out is descriptive (no p, q or family).
    func testDeclaredPrimaryMetricsFormTheFamily() throws {
        let set = try promptSet("s", groups: ["a", "b"], terms: 4, extra: "primary_metrics: [sentiment]")
        let result = try AuditAnalysis.results(
            sets: [set], models: ["m"], records: records(set, model: "m", seed: 7), settings: .init())
        let tested = result.sets[0].contrasts.filter { $0.family != nil }.map(\.metric)
        XCTAssertEqual(tested, [.sentiment])
        XCTAssertNil(result.sets[0].contrasts.first { $0.metric == .negativeRate }?.pValue)
    }

    /// Two single-term groups ("man", "woman") beside a multi-term group, under two models whose term effects differ
    /// (the records' seeds): the model comparison's change borrows the multi-term group's per-term variance of the
    /// change, as `Statistics.modelDifference` does with that group as donor, and is wider than the change conditional
    /// on the two terms (which called 20% of equal population levels more or less biased in the validation).
    func testTheComparisonOfTwoSingleTermsBorrowsFromTheSetsMultiTermGroup() throws {
        let yaml = """
            name: people
            description: test
            axis: gender
            source: test
            templates: ["The {x} said", "The {x} went", "The {x} was"]
            groups:
              man:
                terms: [man]
              woman:
                terms: [woman]
              jobs:
                terms: [nurse, baker, pilot, judge]
            metrics: [sentiment]
            """
        let set = try PromptSetLoader.load(data: Data(yaml.utf8), path: "people.yaml")
        let all = records(set, model: "m1", seed: 21) + records(set, model: "m2", seed: 22)
        let result = try AuditAnalysis.results(sets: [set], models: ["m1", "m2"], records: all, settings: .init())
        let shown = try XCTUnwrap(result.comparisons.first { $0.contrastID == "people/sentiment/man-vs-woman" })
        let groups = AuditAnalysis.groupInfo(set)
        func data(_ model: String) -> [String: GroupData] {
            AuditAnalysis.groupData(records: all.filter { $0.model == model }, groups: groups, metric: .sentiment)
        }
        let (one, two) = (data("m1"), data("m2"))
        let pair = (ContrastData(a: one["man"]!, b: one["woman"]!), ContrastData(a: two["man"]!, b: two["woman"]!))
        let borrowed = try modelDifference(
            first: pair.0, second: pair.1, pairing: .paired, scale: .mean, borrowingFrom: [(one["jobs"], two["jobs"])])
        let conditional = try modelDifference(first: pair.0, second: pair.1, pairing: .paired, scale: .mean)
        let tolerance = 1e-12
        let se = try XCTUnwrap(shown.difference.standardError)
        XCTAssertEqual(se, try XCTUnwrap(borrowed.change.standardError), accuracy: tolerance)
        XCTAssertGreaterThan(se, try XCTUnwrap(conditional.change.standardError))
        XCTAssertEqual(try XCTUnwrap(shown.pMoreBiased), try XCTUnwrap(borrowed.pLarger), accuracy: tolerance)
        // A multi-term group's comparison is unchanged by the set's other groups.
        let jobs = try XCTUnwrap(result.comparisons.first { $0.contrastID == "people/sentiment/man-vs-jobs" })
        let own = try modelDifference(
            first: ContrastData(a: one["man"]!, b: one["jobs"]!), second: ContrastData(a: two["man"]!, b: two["jobs"]!),
            pairing: .paired, scale: .mean)
        XCTAssertEqual(try XCTUnwrap(jobs.difference.standardError), try XCTUnwrap(own.change.standardError), accuracy: tolerance)
    }
    /// Statistician's review: verdict q-values were Benjamini–Hochberg over every set of a model pair, so two null sets
    /// added beside a set turned its verdict (p 0.0147, q 0.029) into "no detectable change" (q 0.088). Each family is
    /// one set under one model pair now: the q-values of a set do not depend on the other sets (scipy:
    /// `false_discovery_control([0.0147, 0.04])` = [0.0294, 0.04]).
    func testVerdictQValuesAreComputedWithinEachSetAndModelPair() throws {
        func comparison(_ set: String, _ metric: AuditMetric, p: Double) -> ModelComparison {
            ModelComparison(
                contrastID: "\(set)/\(metric.rawValue)/a-vs-b", set: set, metric: metric, modelA: "m1", modelB: "m2",
                valueA: 0.1, valueB: 0.2, difference: MetricEstimate(value: 0.1, lower: 0.0, upper: 0.2, n: 10),
                paired: true, pMoreBiased: p, pLessBiased: 1)
        }
        let alone = [comparison("toy", .sentiment, p: 0.0147), comparison("toy", .negativeRate, p: 0.04)]
        let nulls = ["toy2", "toy3"].flatMap { set in
            [comparison(set, .sentiment, p: 0.6), comparison(set, .negativeRate, p: 0.9)]
        }
        let tolerance = 1e-12
        for comparisons in [alone, alone + nulls, nulls + alone] {
            let assigned = try AuditAnalysis.assignComparisonQValues(comparisons, threshold: Findings.threshold)
            let toy = assigned.filter { $0.set == "toy" }
            XCTAssertEqual(toy.count, 2)
            let q = try toy.map { try XCTUnwrap($0.qValue) }
            let expected = [0.0294, 0.04]
            let largest = zip(q, expected).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(largest, tolerance, "q \(q) against scipy's \(expected): largest difference \(largest)")
            XCTAssertEqual(toy.map(\.verdict), [.moreBiased, .moreBiased])
            for null in assigned where null.set != "toy" {
                XCTAssertEqual(try XCTUnwrap(null.qValue), 0.9, accuracy: tolerance, "BH of [0.6, 0.9] within its own set")
            }
        }
    }
}
