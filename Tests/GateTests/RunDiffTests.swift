import AuditAnalysis
import AuditResults
import Reporting
import Statistics
import XCTest

/// `RunDiffer` on results without completions (the comparison from the two contrasts' summaries) and on
/// the model comparisons of one run: verdicts from the joint test of |B| vs |A|, sign reversal, and
/// Benjamini–Hochberg over the diff's entries.
final class RunDiffTests: XCTestCase {
    /// Arithmetic on exact inputs.
    private let tolerance = 1e-12
    /// Normal quantiles and CDFs evaluated by the statistics code (series approximations).
    private let distributionTolerance = 1e-6
    private let z = Distributions.normalQuantile(0.975)

    private func assertInterval(
        _ actual: MetricEstimate, _ expected: (Double, Double, Double), tolerance: Double? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let tolerance = tolerance ?? self.tolerance
        let pairs = [(actual.value, expected.0), (actual.lower, expected.1), (actual.upper, expected.2)]
        let differences = pairs.map { abs(($0.0 ?? .nan) - $0.1) }
        XCTAssertTrue(differences.allSatisfy { $0 <= tolerance },
                      "got \(actual.value as Any) [\(actual.lower as Any), \(actual.upper as Any)], expected \(expected); "
                          + "largest difference \(differences.max() ?? .nan) (tolerance \(tolerance))",
                      file: file, line: line)
    }

    /// One sentiment contrast of one model in run A and in run B (no completions), diffed.
    private func entry(
        _ a: (Double?, (Double, Double)?), _ b: (Double?, (Double, Double)?), insufficientB: String? = nil
    ) throws -> RunDiffEntry {
        func input(_ path: String, _ side: (Double?, (Double, Double)?), insufficient: String?) -> RunDiffInput {
            let contrast = Crafted.contrast("s", .sentiment, model: "m", value: side.0, ci: side.1, insufficient: insufficient)
            let result = Crafted.result(models: ["m"], sets: [Crafted.set("s", axis: "race", metrics: [.sentiment], contrasts: [contrast])])
            return RunDiffInput(path: path, result: result, completions: nil)
        }
        let diff = try RunDiffer.compareRuns(input("a.json", a, insufficient: nil), input("b.json", b, insufficient: insufficientB))
        XCTAssertEqual(diff.entries.count, 1)
        return try XCTUnwrap(diff.entries.first)
    }

    func testASameSizeSignFlipIsNotMoreBiasedAndIsReportedAsReversed() throws {
        // −0.10 [−0.14, −0.06] → +0.10 [0.06, 0.14]: |B| = |A|. The change B − A = 0.2 is clear, but the sum
        // B + A = 0 gives no evidence that |B| differs from |A|: p = 2 · max(P(change), P(sum = 0 ≥ 0)) = 1.
        let flip = try entry((-0.10, (-0.14, -0.06)), (0.10, (0.06, 0.14)))
        XCTAssertEqual(flip.verdict, .noDetectableChange, "\(flip)")
        XCTAssertTrue(flip.signReversed)
        XCTAssertEqual(try XCTUnwrap(flip.pMoreBiased), 1, accuracy: distributionTolerance)
        XCTAssertEqual(try XCTUnwrap(flip.pLessBiased), 1, accuracy: distributionTolerance)
        XCTAssertEqual(try XCTUnwrap(flip.growth), 0, accuracy: tolerance)
        // SE of each side = width / (2z) = 0.08 / (2z); of the change √2 times that: CI 0.2 ± 0.04·√2.
        assertInterval(flip.change, (0.2, 0.2 - 0.04 * 2.0.squareRoot(), 0.2 + 0.04 * 2.0.squareRoot()),
                       tolerance: distributionTolerance)
    }

    func testVerdictsForGrownShrunkUnchangedRemovedAndUndefinedContrasts() throws {
        let grown = try entry((-0.10, (-0.12, -0.08)), (-0.20, (-0.22, -0.18)))
        XCTAssertEqual(grown.verdict, .moreBiased, "\(grown)")
        XCTAssertFalse(grown.signReversed)
        XCTAssertEqual(try XCTUnwrap(grown.growth), 0.1, accuracy: tolerance)

        let shrunk = try entry((-0.10, (-0.12, -0.08)), (-0.02, (-0.04, 0.00)))
        XCTAssertEqual(shrunk.verdict, .lessBiased, "\(shrunk)")

        let unchanged = try entry((-0.10, (-0.14, -0.06)), (-0.11, (-0.15, -0.07)))
        XCTAssertEqual(unchanged.verdict, .noDetectableChange, "\(unchanged)")
        XCTAssertFalse(unchanged.signReversed, "both below 0: the same group is favoured")

        // A gap that disappears (−0.03 [−0.05, −0.01] → 0 [−0.02, 0.02]) is never "more biased". From the summaries
        // alone the covariance is unknown (0 or positive): SE of the change √2 · 0.02/z, of the sum (0.02 + 0.02)/z, its
        // largest. The larger one-sided p is the sum's, Φ(−0.03/SE_sum); p(less) = 2 · that = 0.14: not "less biased"
        // from the summaries (with SE_sum = √2 · 0.02/z, as if independent, it was 0.038).
        let removed = try entry((-0.03, (-0.05, -0.01)), (0, (-0.02, 0.02)))
        let sumSE = 0.04 / z
        let oneSided = 0.5 * erfc(0.03 / sumSE / 2.0.squareRoot())
        XCTAssertEqual(try XCTUnwrap(removed.pLessBiased), 2 * oneSided, accuracy: distributionTolerance)
        XCTAssertEqual(try XCTUnwrap(removed.pMoreBiased), 1, accuracy: distributionTolerance)
        XCTAssertEqual(removed.verdict, .noDetectableChange, "p(less) = \(2 * oneSided) ≥ 0.05")
        XCTAssertFalse(removed.signReversed, "B's interval contains 0")
        assertInterval(removed.change, (0.03, 0.03 - z * 2.0.squareRoot() * 0.02 / z, 0.03 + z * 2.0.squareRoot() * 0.02 / z),
                       tolerance: distributionTolerance)
        // A larger gap removed is "less biased": Φ(−0.06/SE_sum) = 0.0016.
        let largerRemoved = try entry((-0.06, (-0.08, -0.04)), (0, (-0.02, 0.02)))
        XCTAssertEqual(try XCTUnwrap(largerRemoved.pLessBiased), erfc(0.06 / sumSE / 2.0.squareRoot()), accuracy: distributionTolerance)
        XCTAssertEqual(largerRemoved.verdict, .lessBiased)

        XCTAssertEqual(try entry((nil, nil), (-0.1, (-0.12, -0.08))).verdict, .undetermined)
        XCTAssertEqual(try entry((0.1, nil), (0.2, nil)).verdict, .undetermined, "no interval and no SE")
        let thin = try entry((0.1, (0.05, 0.15)), (0.5, nil), insufficientB: "too few gendered words (4 in a group)")
        XCTAssertEqual(thin.verdict, .insufficientData)
        XCTAssertEqual(thin.change.insufficient, "too few gendered words (4 in a group)", "the run's words, kept as written")
        XCTAssertEqual(thin.contrastB?.insufficient, "too few gendered words (4 in a group)")
        XCTAssertNil(thin.contrastA?.insufficient)
    }

    func testQValuesAreBenjaminiHochbergOverTheDiffsEntries() throws {
        let values: [(AuditMetric, Double, Double)] = [
            (.sentiment, -0.10, -0.16), (.negativeRate, 0.10, 0.1296), (.maleShare, 0.20, 0.20),
        ]
        let sets = { (b: Bool) in
            [Crafted.set("s", axis: "race", metrics: values.map(\.0), contrasts: values.map { metric, a, bValue in
                let value = b ? bValue : a
                return Crafted.contrast("s", metric, model: "m", value: value, ci: (value - 0.02, value + 0.02))
            })]
        }
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "a.json", result: Crafted.result(models: ["m"], sets: sets(false)), completions: nil),
            RunDiffInput(path: "b.json", result: Crafted.result(models: ["m"], sets: sets(true)), completions: nil))
        let p = try diff.entries.map { min(try XCTUnwrap($0.pMoreBiased), try XCTUnwrap($0.pLessBiased)) }
        let expected = try benjaminiHochberg(p)
        let q = try diff.entries.map { try XCTUnwrap($0.qValue) }
        let largest = zip(q, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(largest, tolerance, "q \(q) vs BH \(expected); largest difference \(largest)")
        // % negative grows by 0.0296 (p ≈ 0.040 on its own), ranked 2nd of 3: q = 1.5 · p ≈ 0.060, not a verdict.
        XCTAssertLessThan(p[1], 0.05)
        XCTAssertGreaterThan(q[1], 0.05, "BH over the 3 entries raises p = \(p[1]) to q = \(q[1])")
        XCTAssertEqual(diff.entries.map(\.verdict), [.moreBiased, .noDetectableChange, .noDetectableChange])
    }

    /// Review: `diff` tested every primary bias metric, also one the set declares descriptive with
    /// `primary_metrics:` (its contrasts have no family): it got a verdict and entered Benjamini–Hochberg.
    /// Only the set's tested metrics are compared.
    func testDeclaredDescriptiveMetricsGetNoVerdict() throws {
        let sets = { (value: Double) -> [PromptSetResult] in
            var negative = Crafted.contrast("s", .negativeRate, model: "m", value: value, ci: (value - 0.02, value + 0.02))
            negative.family = nil  // `primary_metrics: [sentiment]`
            negative.pValue = nil
            negative.qValue = nil
            let sentiment = Crafted.contrast("s", .sentiment, model: "m", value: value, ci: (value - 0.02, value + 0.02))
            return [Crafted.set("s", axis: "race", metrics: [.sentiment, .negativeRate], contrasts: [sentiment, negative])]
        }
        let diff = try RunDiffer.compareRuns(
            RunDiffInput(path: "a.json", result: Crafted.result(models: ["m"], sets: sets(0.1)), completions: nil),
            RunDiffInput(path: "b.json", result: Crafted.result(models: ["m"], sets: sets(0.3)), completions: nil))
        XCTAssertEqual(diff.entries.map(\.metric), [.sentiment], "only the tested metric is compared")
        XCTAssertEqual(diff.entries.first?.verdict, .moreBiased)
        // Results without any family (written before families) still compare every primary bias metric.
        var old = Crafted.set("s", axis: "race", metrics: [.sentiment, .negativeRate], contrasts: [
            Crafted.contrast("s", .sentiment, model: "m", value: 0.1, ci: (0.08, 0.12)),
            Crafted.contrast("s", .negativeRate, model: "m", value: 0.1, ci: (0.08, 0.12)),
        ])
        old.contrasts = old.contrasts.map { var contrast = $0; contrast.family = nil; return contrast }
        XCTAssertTrue(old.isTested(.sentiment) && old.isTested(.negativeRate))
        XCTAssertFalse(old.isTested(.positiveRate))
    }

    /// A review: "Only in A (not compared)" listed positive_rate and lexicon_coverage contrasts, which are never compared.
    /// It holds the contrasts of compared metrics that lack a counterpart, on either side.
    func testOnlyInOneRunListsContrastsOfComparedMetricsOnly() throws {
        let groups = ["a", "b", "c"].map { GroupInfo(id: $0, label: $0, terms: [$0], promptCount: 1) }
        let metrics: [AuditMetric] = [.sentiment, .positiveRate, .lexiconCoverage]
        func input(_ path: String, pairs: [(String, String)]) -> RunDiffInput {
            let contrasts = pairs.flatMap { pair in
                metrics.map { Crafted.contrast("s", $0, model: "m", value: 0.1, ci: (0.08, 0.12), groups: pair) }
            }
            let set = Crafted.set("s", axis: "race", metrics: metrics, contrasts: contrasts, groups: groups)
            return RunDiffInput(path: path, result: Crafted.result(models: ["m"], sets: [set]), completions: nil)
        }
        let diff = try RunDiffer.compareRuns(
            input("a.json", pairs: [("a", "b"), ("a", "c")]), input("b.json", pairs: [("a", "b"), ("b", "c")]))
        XCTAssertEqual(diff.entries.map(\.contrastID), ["s/sentiment/a-vs-b"])
        XCTAssertEqual(diff.onlyInA, ["s/sentiment/a-vs-c (m)"])
        XCTAssertEqual(diff.onlyInB, ["s/sentiment/b-vs-c (m)"])
        let text = DiffRendering.text(diff, color: false)
        XCTAssertTrue(text.contains("Only in A (not compared): s/sentiment/a-vs-c (m)."), text)
        XCTAssertFalse(text.contains("positive_rate") || text.contains("lexicon_coverage"), text)
    }

    /// A CI team's review: one run's rows came in the order of its model comparisons (by metric, then pair), two runs'
    /// in the order of each set's contrasts (by pair, then metric). Both now follow the sets' contrasts.
    func testOneRunsRowsFollowTheSetsContrastsAsTwoRunsDo() throws {
        let pairs = [("a", "b"), ("a", "c"), ("b", "c")]
        let metrics: [AuditMetric] = [.sentiment, .negativeRate]
        let groups = ["a", "b", "c"].map { GroupInfo(id: $0, label: $0, terms: [$0], promptCount: 1) }
        let contrasts = pairs.flatMap { pair in
            metrics.flatMap { metric in
                ["distilgpt2", "gpt2"].map { Crafted.contrast("s", metric, model: $0, value: 0.1, ci: (0.0, 0.2), groups: pair) }
            }
        }
        let comparisons = metrics.flatMap { metric in
            pairs.map { pair in
                Crafted.comparison("s/\(metric.rawValue)/\(pair.0)-vs-\(pair.1)", metric: metric, valueA: 0.1, valueB: 0.1,
                                   ci: (-0.1, 0.1), p: (0.5, 0.5), q: 1, verdict: .noDetectableChange)
            }
        }
        let result = Crafted.result(
            models: ["distilgpt2", "gpt2"],
            sets: [Crafted.set("s", axis: "race", metrics: metrics, contrasts: contrasts, groups: groups)],
            comparisons: comparisons)
        let input = RunDiffInput(path: "r.json", result: result, completions: nil)
        let expected = pairs.flatMap { pair in metrics.map { "s/\($0.rawValue)/\(pair.0)-vs-\(pair.1)" } }
        XCTAssertEqual(try RunDiffer.compareModels(in: input, modelA: "distilgpt2", modelB: "gpt2").entries.map(\.contrastID),
                       expected)
        XCTAssertEqual(try RunDiffer.compareRuns(input, input, modelA: "distilgpt2", modelB: "gpt2").entries.map(\.contrastID),
                       expected)
    }

    func testModelsOfOneRunUseTheRunsPairedComparisons() throws {
        let result = Crafted.result(
            models: ["distilgpt2", "gpt2", "gpt2-medium"],
            sets: [Crafted.set("s", axis: "race", metrics: [.sentiment], contrasts: [
                Crafted.contrast("s", .sentiment, model: "distilgpt2", value: -0.05, groups: ("x", "y")),
            ])],
            comparisons: [
                Crafted.comparison("s/sentiment/x-vs-y", metric: .sentiment, valueA: -0.05, valueB: -0.15, ci: (-0.14, -0.06),
                                   p: (0.001, 0.9), q: 0.002, verdict: .moreBiased),
                Crafted.comparison("s/sentiment/x-vs-y", metric: .sentiment, valueA: -0.05, valueB: -0.06, ci: (-0.03, 0.01),
                                   models: ("distilgpt2", "gpt2-medium"), paired: false, p: (0.4, 0.9), q: 0.8,
                                   verdict: .noDetectableChange),
            ])
        let input = RunDiffInput(path: "r.json", result: result, completions: nil)
        let forward = try RunDiffer.compareModels(in: input, modelA: "distilgpt2", modelB: "gpt2")
        XCTAssertEqual(forward.entries.count, 1)
        let entry = forward.entries[0]
        XCTAssertEqual([entry.groupA, entry.groupB, entry.axis], ["x", "y", "race"])
        XCTAssertEqual(entry.method, .paired)
        XCTAssertEqual(entry.verdict, .moreBiased)
        XCTAssertEqual(entry.qValue, 0.002, "the run's q-value, not recomputed")
        assertInterval(entry.change, (-0.10, -0.14, -0.06))
        let backward = try RunDiffer.compareModels(in: input, modelA: "gpt2", modelB: "distilgpt2")
        assertInterval(backward.entries[0].change, (0.10, 0.06, 0.14))
        XCTAssertEqual(backward.entries[0].valueA, -0.15)
        XCTAssertEqual(backward.entries[0].verdict, .lessBiased)
        XCTAssertEqual(backward.entries[0].pMoreBiased, 0.9, "the two one-sided claims swap with the sides")
        XCTAssertEqual(backward.entries[0].pLessBiased, 0.001)
        let medium = try RunDiffer.compareModels(in: input, modelA: "distilgpt2", modelB: "gpt2-medium")
        XCTAssertEqual(medium.entries[0].method, .unpaired)
        XCTAssertEqual(medium.entries[0].verdict, .noDetectableChange)
        // A teacher's review: a greedy run's diff said "paired by term and random stream" and nothing more. Copies of
        // one draw under a model (its contrasts computed from them) are said, naming that model where the other sampled.
        XCTAssertFalse(forward.notes.joined().contains("greedy"), "\(forward.notes)")
        var greedy = result
        greedy.promptSets[0].contrasts[0].difference.method = MetricEstimate.copiesMethod
        let copied = try RunDiffer.compareModels(
            in: RunDiffInput(path: "r.json", result: greedy, completions: nil), modelA: "distilgpt2", modelB: "gpt2")
        XCTAssertTrue(copied.notes[0].hasSuffix("paired by term and random stream). Under 'distilgpt2' every sample of a "
            + "prompt is the same text (as greedy decoding, top-k 1, writes them): one draw, so there are no random streams "
            + "and each prompt counts once."), "\(copied.notes)")
        greedy.promptSets[0].contrasts.append(greedy.promptSets[0].contrasts[0])
        greedy.promptSets[0].contrasts[1].model = "gpt2"
        let both = try RunDiffer.compareModels(
            in: RunDiffInput(path: "r.json", result: greedy, completions: nil), modelA: "distilgpt2", modelB: "gpt2")
        XCTAssertTrue(both.notes[0].hasSuffix("(1 of 1 paired by term). Under both models every sample of a prompt is the "
            + "same text (as greedy decoding, top-k 1, writes them): one draw, so there are no random streams and each prompt "
            + "counts once; a change varies only between terms."), "\(both.notes)")
        // Two greedy runs compared: paired by term, without "random stream" (a review), and each run's note.
        let runs = try RunDiffer.compareRuns(
            RunDiffInput(path: "a.json", result: greedy, completions: nil), RunDiffInput(path: "b.json", result: greedy, completions: nil),
            modelA: "distilgpt2", modelB: "gpt2")
        XCTAssertFalse(runs.notes.joined().contains("common random numbers"), "\(runs.notes)")
        XCTAssertTrue(runs.notes.contains { $0.hasPrefix("A: under 'distilgpt2' every sample of a prompt is the same text") },
                      "\(runs.notes)")

        // Undefined under one model (a group without completions there): not compared, as between two runs
        // (practitioner's review: the row said "paired"; the summary counted it among "0 undetermined").
        let gap = Crafted.result(
            models: ["distilgpt2", "gpt2"], sets: result.promptSets,
            comparisons: [Crafted.comparison("s/sentiment/x-vs-y", metric: .sentiment, valueA: -0.05, valueB: nil, ci: nil,
                                             verdict: .undetermined)])
        let undefined = try RunDiffer.compareModels(
            in: RunDiffInput(path: "r.json", result: gap, completions: nil), modelA: "distilgpt2", modelB: "gpt2")
        XCTAssertEqual(undefined.entries.map(\.method), [.notCompared])
        XCTAssertTrue(undefined.notes.contains("Both models come from one run: intervals are the run's model comparisons "
            + "(0 of 0 paired by term and random stream)."), "\(undefined.notes)")
        XCTAssertTrue(undefined.notes.contains { $0.hasPrefix("1 change not computed: the contrast is undefined under one model") },
                      "\(undefined.notes)")
        let text = String(decoding: try DiffRendering.render(undefined, as: .text), as: UTF8.self)
        XCTAssertTrue(text.contains("0 contrasts compared at 95% confidence: ") && text.contains(
            "; besides those, 1 not compared (undefined in a run or under a model; their rows read undetermined)."), text)

        XCTAssertThrowsError(try RunDiffer.compareModels(in: input, modelA: nil, modelB: nil)) {
            XCTAssertEqual(($0 as? AuditError)?.exitCode, 64, "\($0)")
        }
        XCTAssertThrowsError(try RunDiffer.compareModels(in: input, modelA: "gpt3", modelB: "gpt2")) {
            XCTAssertEqual($0 as? AuditError, .usage("model 'gpt3' (--model-a) is not in r.json (models: distilgpt2, gpt2, gpt2-medium)"))
        }
        XCTAssertThrowsError(try RunDiffer.compareModels(in: input, modelA: "gpt2", modelB: "gpt2-medium")) {
            XCTAssertEqual(($0 as? AuditError)?.exitCode, 65, "no comparison of gpt2 and gpt2-medium: \($0)")
        }
    }

    func testRunsWithoutCompletionsCombineTheTwoStandardErrors() throws {
        let sets: (Double, (Double, Double)) -> [PromptSetResult] = { value, ci in
            [Crafted.set("s", axis: "race", metrics: [.sentiment, .negativeRate], contrasts: [
                Crafted.contrast("s", .sentiment, model: "m", value: value, ci: ci),
                Crafted.contrast("s", .negativeRate, model: "m", value: 0.10, ci: (0.05, 0.15)),
            ])]
        }
        let a = RunDiffInput(path: "a.json", result: Crafted.result(models: ["m"], sets: sets(0.10, (0.06, 0.14))), completions: nil)
        let b = RunDiffInput(path: "b.json", result: Crafted.result(models: ["m"], sets: sets(0.02, (-0.01, 0.05))), completions: nil)
        let diff = try RunDiffer.compareRuns(a, b)
        XCTAssertEqual(diff.entries.map(\.method), [.normalApproximation, .normalApproximation])
        // SE = √(0.08² + 0.06²) / (2z) = 0.1 / (2z); CI = −0.08 ± 0.1 / 2.
        assertInterval(diff.entries[0].change, (-0.08, -0.13, -0.03), tolerance: distributionTolerance)
        XCTAssertEqual(diff.entries[0].verdict, .lessBiased)
        // Two CIs of width 0.1: half-width √(0.1² + 0.1²) / 2.
        assertInterval(diff.entries[1].change, (0, -0.05 * 2.0.squareRoot(), 0.05 * 2.0.squareRoot()),
                       tolerance: distributionTolerance)
        XCTAssertEqual(diff.entries[1].verdict, .noDetectableChange)
        XCTAssertTrue(diff.notes.contains {
            $0.contains("standard errors alone, their covariance taken at its least favourable") && $0.contains("no completions.jsonl next to a.json and b.json")
        }, "\(diff.notes)")
    }

    /// Practitioner's review: a contrast undefined in one run (a group without completions) was counted among the
    /// changes "from the two contrasts' standard errors alone" with `"method": "normal_approximation"`, though nothing
    /// was computed. It is `not_compared`, undetermined, with its own note.
    func testAnUndefinedContrastIsNotCompared() throws {
        let sets: (Double?) -> [PromptSetResult] = { value in
            [Crafted.set("s", axis: "race", metrics: [.sentiment, .negativeRate, .maleShare], contrasts: [
                Crafted.contrast("s", .sentiment, model: "m", value: value, ci: value.map { ($0 - 0.04, $0 + 0.04) }),
                Crafted.contrast("s", .negativeRate, model: "m", value: 0.10, ci: (0.05, 0.15)),
                // Too thin is not undefined (code review: it was called "not compared … no completions there").
                Crafted.contrast("s", .maleShare, model: "m", value: nil, insufficient: "too few gendered words"),
            ])]
        }
        let a = RunDiffInput(path: "a.json", result: Crafted.result(models: ["m"], sets: sets(0.10)), completions: nil)
        let b = RunDiffInput(path: "b.json", result: Crafted.result(models: ["m"], sets: sets(nil)), completions: nil)
        let diff = try RunDiffer.compareRuns(a, b)
        XCTAssertEqual(diff.entries.map(\.method), [.notCompared, .normalApproximation, .normalApproximation])
        let text = String(decoding: try DiffRendering.render(diff, as: .text), as: UTF8.self)
        XCTAssertTrue(text.contains("2 contrasts compared at 95% confidence: "), text)
        XCTAssertTrue(text.contains("; besides those, 1 not compared (undefined in a run or under a model; their rows read undetermined)."), text)
        XCTAssertEqual(diff.entries[0].verdict, .undetermined)
        XCTAssertNil(diff.entries[0].change.value)
        XCTAssertTrue(diff.notes.contains { $0.hasPrefix("2 changes from the two contrasts' standard errors alone") }, "\(diff.notes)")
        XCTAssertTrue(diff.notes.contains { $0.hasPrefix("1 change not computed: the contrast is undefined in one run") },
                      "\(diff.notes)")
    }

    /// A review of statistics revision 12: from the results alone, two rate contrasts of single terms beside groups that
    /// lend nothing (a value, `conditional_on_terms`, no variance) of equal value read "no detectable change" at q = 1,
    /// where the completions make them undetermined; they are undetermined here too and leave the family's q-values
    /// alone. A mean's contrasts without variation keep "no detectable change" at equal values.
    func testUnlentSingleTermContrastsAreUndeterminedFromTheResultsAlone() throws {
        func result(_ meanValue: Double) -> AuditResult {
            var rate = Crafted.contrast("s", .negativeRate, model: "m", value: -1)
            rate.difference.method = MetricEstimate.conditionalMethod
            var mean = Crafted.contrast("s", .sentiment, model: "m", value: 0.2)
            mean.difference.method = MetricEstimate.conditionalMethod
            let tested = Crafted.contrast("s", .sentiment, model: "m", value: meanValue, ci: (meanValue - 0.1, meanValue + 0.1),
                                          groups: ("a", "c"))
            return Crafted.result(models: ["m"], sets: [Crafted.set("s", axis: "race", metrics: [.sentiment, .negativeRate],
                                                                     contrasts: [rate, mean, tested])])
        }
        let diff = try RunDiffer.compareRuns(RunDiffInput(path: "a.json", result: result(0.1), completions: nil),
                                             RunDiffInput(path: "b.json", result: result(0.3), completions: nil))
        let byID = Dictionary(uniqueKeysWithValues: diff.entries.map { ($0.contrastID, $0) })
        let rate = try XCTUnwrap(byID["s/negative_rate/a-vs-b"])
        XCTAssertEqual(rate.verdict, .undetermined, "\(rate)")
        XCTAssertNil(rate.pMoreBiased)
        XCTAssertNil(rate.qValue)
        XCTAssertEqual(try XCTUnwrap(byID["s/sentiment/a-vs-b"]).verdict, .noDetectableChange)
        // The tested change's q among the two tested (the mean at p = 1 and it), not three.
        let tested = try XCTUnwrap(byID["s/sentiment/a-vs-c"])
        let p = try XCTUnwrap([tested.pMoreBiased, tested.pLessBiased].compactMap { $0 }.min())
        XCTAssertEqual(try XCTUnwrap(tested.qValue), min(1, 2 * p), accuracy: 1e-12, "BH over 2 tested changes")
    }

    func testIncomparableRunsAreRefusedWithTheReason() throws {
        let set = Crafted.set("s", axis: "race", metrics: [.sentiment], contrasts: [
            Crafted.contrast("s", .sentiment, model: "m", value: 0.1, ci: (0, 0.2)),
        ])
        let base = Crafted.result(models: ["m"], sets: [set])
        var otherMetrics = set
        otherMetrics.metrics = [.sentiment, .negativeRate]
        var withLogOdds = set
        withLogOdds.metrics = [.sentiment, .heSheLogOdds]
        var otherMinimum = base
        otherMinimum.manifest.parameters.analysis = AnalysisParameters(minimumEvents: 50)
        var otherWords = base
        otherWords.manifest.parameters.analysis = AnalysisParameters(minimumGenderedWords: 5)
        let cases: [(AuditResult, String)] = [
            (otherMinimum, "the runs were analysed with different minimum supports (--min-events 0 in a.json, 50 in b.json)"),
            (otherWords, "the runs were analysed with different minimum supports (--min-gendered-words 20 in a.json, 5 in b.json)"),
            (Crafted.result(models: ["m"], sets: [set], sha: ["s": "changed"]),
             "prompt set 's' has different contents (sha256 7368612d7300… in a.json, 6368616e6765… in b.json)"),
            (Crafted.result(models: ["m"], sets: [otherMetrics]), "prompt set 's' was audited with different metrics "
                + "(negative_rate only in b.json); compare runs of the same prompt set file and metrics"),
            // The log-odds a notebook file lacks: named, with where to give it (a teacher's review).
            (Crafted.result(models: ["m"], sets: [withLogOdds]), "prompt set 's' was audited with different metrics "
                + "(he_she_log_odds only in b.json): he_she_log_odds needs the next-token log-odds, which that run's "
                + "models did not give (a served model whose server returns no log-probabilities)"),
            (Crafted.result(models: ["m"], sets: [set], lexicons: [FileDigest(name: "vader_lexicon.txt", sha256: "v2")]),
             "the runs scored with different lexicons"),
            (Crafted.result(models: ["m"], sets: [set], thresholds: (0.1, -0.1)), "the sentiment thresholds differ"),
            (Crafted.result(models: ["m"], sets: [Crafted.set("t", axis: "race", metrics: [.sentiment], contrasts: [])]),
             "the runs share no prompt set (a.json: s; b.json: t)"),
        ]
        for (other, reason) in cases {
            XCTAssertThrowsError(try RunDiffer.compareRuns(
                RunDiffInput(path: "a.json", result: base, completions: nil),
                RunDiffInput(path: "b.json", result: other, completions: nil))) { error in
                guard let error = error as? AuditError, case .badInput(let path, let message) = error else {
                    return XCTFail("expected badInput, got \(error)")
                }
                XCTAssertEqual(path, "b.json")
                XCTAssertEqual(error.exitCode, 65)
                XCTAssertTrue(message.hasPrefix("cannot compare with a.json: \(reason)"), message)
            }
        }
    }

    func testModelPairingBetweenRuns() throws {
        let set = { (models: [String]) in
            Crafted.set("s", axis: "race", metrics: [.sentiment], contrasts: models.map {
                Crafted.contrast("s", .sentiment, model: $0, value: 0.1, ci: (0, 0.2))
            })
        }
        let input = { (path: String, models: [String]) in
            RunDiffInput(path: path, result: Crafted.result(models: models, sets: [set(models)]), completions: nil)
        }
        let checkpoints = try RunDiffer.compareRuns(input("a", ["ckpt-1"]), input("b", ["ckpt-2"]))
        XCTAssertEqual(checkpoints.entries.map { "\($0.modelA)→\($0.modelB)" }, ["ckpt-1→ckpt-2"])
        let both = try RunDiffer.compareRuns(input("a", ["distilgpt2", "gpt2"]), input("b", ["gpt2", "distilgpt2"]))
        XCTAssertEqual(both.entries.map { "\($0.modelA)→\($0.modelB)" }, ["distilgpt2→distilgpt2", "gpt2→gpt2"])
        let chosen = try RunDiffer.compareRuns(input("a", ["distilgpt2", "gpt2"]), input("b", ["x", "y"]),
                                               modelA: "gpt2", modelB: "y")
        XCTAssertEqual(chosen.entries.map { "\($0.modelA)→\($0.modelB)" }, ["gpt2→y"])
        XCTAssertThrowsError(try RunDiffer.compareRuns(input("a", ["distilgpt2", "gpt2"]), input("b", ["x", "y"]))) {
            XCTAssertEqual(($0 as? AuditError)?.exitCode, 64)
            XCTAssertTrue("\($0)".contains("the runs share no model"), "\($0)")
        }
        // One option of the two, and the other run has no model of that name: the missing option is named (review).
        XCTAssertThrowsError(try RunDiffer.compareRuns(input("a", ["tiny"]), input("b", ["chico", "grande"]), modelA: "tiny")) {
            XCTAssertEqual(($0 as? AuditError)?.exitCode, 64)
            XCTAssertTrue("\($0)".contains("give --model-b too: --model-a tiny was given, and b has no model of that name "
                + "(it audits chico, grande): name the one to compare it with"), "\($0)")
        }
        XCTAssertThrowsError(try RunDiffer.compareRuns(input("a", ["chico", "grande"]), input("b", ["tiny"]), modelB: "tiny")) {
            XCTAssertTrue("\($0)".contains("give --model-a too: --model-b tiny was given, and a has no model"), "\($0)")
        }
        let counterpart = try RunDiffer.compareRuns(input("a", ["tiny"]), input("b", ["chico", "tiny"]), modelA: "tiny")
        XCTAssertEqual(counterpart.entries.map { "\($0.modelA)→\($0.modelB)" }, ["tiny→tiny"])
    }

    /// `check --baseline`'s note on the models `--model-a`/`--model-b` leave unjudged: the same ids in both runs once,
    /// each run's where they differ, and none for a pair of one-model runs (a code review: "the growth of  is not
    /// judged").
    func testTheNoteOnModelsLeftOutByThePairingNamesEachRunsAndIsAbsentWithoutThem() {
        func note(_ pair: (String, String), baseline: [String], results: [String]) -> String? {
            let diff = RunDiff(
                a: RunDiffSide(path: "base.json", models: [pair.0]), b: RunDiffSide(path: "results.json", models: [pair.1]),
                confidenceLevel: 0.95, entries: [], onlyInA: [], onlyInB: [], notes: [])
            return RunDiffer.leftOutByPairingNote(diff, baselineModels: baseline, resultsModels: results)
        }
        let lead = "max_baseline_growth compares only the pair chosen by --model-a and --model-b "
        XCTAssertNil(note(("ckpt1", "ckpt2"), baseline: ["ckpt1"], results: ["ckpt2"]))
        XCTAssertEqual(note(("distilgpt2", "distilgpt2"), baseline: ["distilgpt2", "gpt2"], results: ["distilgpt2", "gpt2"]),
                       lead + "(distilgpt2 → distilgpt2); the growth of gpt2 is not judged (gate it in a check of its own)")
        XCTAssertEqual(note(("a", "b"), baseline: ["a", "b"], results: ["a", "b"]),
                       lead + "(a → b); the growth of the baseline's b and the results' a is not judged (gate it in a check "
                        + "of its own)")
        XCTAssertEqual(note(("ckpt2", "ckpt3"), baseline: ["ckpt1", "ckpt2"], results: ["ckpt2", "ckpt3"]),
                       lead + "(ckpt2 → ckpt3); the growth of the baseline's ckpt1 and the results' ckpt2 is not judged "
                        + "(gate it in a check of its own)")
        XCTAssertEqual(note(("a", "b"), baseline: ["a"], results: ["b", "c"]),
                       lead + "(a → b); the growth of the results' c is not judged (gate it in a check of its own)")
    }
}
