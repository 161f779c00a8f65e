import AuditResults
import TestSupport
import XCTest

/// Builds `AuditResult` values with chosen numbers for the policy and diff tests.
enum Crafted {
    static let models = ["distilgpt2", "gpt2"]

    /// A contrast `<set>/<metric>/a-vs-b` with a value, an optional CI, q-value (also its p-value) and
    /// standard error; primary metrics get the family `<set>/<model>`. `insufficient` marks a contrast
    /// below its minimum support (no interval, test or finding).
    static func contrast(
        _ set: String, _ metric: AuditMetric, model: String, value: Double?, ci: (Double, Double)? = nil,
        q: Double? = nil, groups: (String, String) = ("a", "b"), se: Double? = nil, insufficient: String? = nil
    ) -> Contrast {
        Contrast(
            id: "\(set)/\(metric.rawValue)/\(groups.0)-vs-\(groups.1)", model: model, metric: metric, groupA: groups.0,
            groupB: groups.1,
            difference: MetricEstimate(
                value: value, lower: ci?.0, upper: ci?.1, n: 100, standardError: se, insufficient: insufficient),
            pValue: q, qValue: q, effectSize: nil, effectSizeKind: metric.isRate ? "cohens_h" : "cohens_d",
            family: metric.isPrimary ? "\(set)/\(model)" : nil)
    }

    /// A prompt set with `groups` (default: a and b, one term each); `coverage[model][group]` fills
    /// lexicon-coverage estimates.
    static func set(
        _ name: String, axis: String, metrics: [AuditMetric], contrasts: [Contrast],
        coverage: [String: [String: Double?]] = [:],
        groups: [GroupInfo] = ["a", "b"].map { GroupInfo(id: $0, label: $0, terms: [$0], promptCount: 1) }
    ) -> PromptSetResult {
        let estimates = coverage.keys.sorted().flatMap { model in
            coverage[model]!.keys.sorted().map { group in
                let value = coverage[model]![group]!
                return GroupEstimates(
                    model: model, group: group, completions: 50,
                    estimates: [MetricValue(metric: .lexiconCoverage,
                                            estimate: MetricEstimate(value: value, lower: nil, upper: nil, n: 50))])
            }
        }
        return PromptSetResult(
            name: name, axis: axis, description: "crafted", source: "tests", templates: ["The {x} was"],
            groups: groups, metrics: metrics,
            groupEstimates: estimates, contrasts: contrasts, examples: [])
    }

    /// A comparison B − A of a contrast between two models. `p` is (p of more biased, p of less biased);
    /// `q` and `verdict` are as the run assigned them (nil: not yet assigned). Each side's contrast
    /// gets the interval `ciA` / `ciB` when given, and `signReversed` follows from them.
    static func comparison(
        _ contrastID: String, metric: AuditMetric, valueA: Double?, valueB: Double?, ci: (Double, Double)?,
        models: (String, String) = ("distilgpt2", "gpt2"), paired: Bool = true, p: (Double, Double)? = nil,
        q: Double? = nil, verdict: ComparisonVerdict? = nil, ciA: (Double, Double)? = nil, ciB: (Double, Double)? = nil,
        insufficient: String? = nil
    ) -> ModelComparison {
        let value = valueA.flatMap { a in valueB.map { $0 - a } }
        let contrastA = MetricEstimate(value: valueA, lower: ciA?.0, upper: ciA?.1, n: 10, insufficient: insufficient)
        let contrastB = MetricEstimate(value: valueB, lower: ciB?.0, upper: ciB?.1, n: 10, insufficient: insufficient)
        let reversed = contrastA.side.flatMap { a in contrastB.side.map { $0 == -a } } ?? false
        return ModelComparison(
            contrastID: contrastID, set: String(contrastID.split(separator: "/")[0]), metric: metric,
            modelA: models.0, modelB: models.1, valueA: valueA, valueB: valueB,
            difference: MetricEstimate(value: value, lower: ci?.0, upper: ci?.1, n: 10, insufficient: insufficient),
            paired: paired, contrastA: contrastA, contrastB: contrastB,
            growth: valueA.flatMap { a in valueB.map { abs($0) - abs(a) } }, pMoreBiased: p?.0, pLessBiased: p?.1,
            qValue: q, verdict: verdict, signReversed: reversed)
    }

    /// A digest of 64 hexadecimal digits that spells `label` (its UTF-8 bytes in hexadecimal, then zeros), as results
    /// files must hold (``AuditResult/isSHA256(_:)``): "sha-s" is `7368612d7300…`.
    static func digest(_ label: String) -> String {
        let hex = label.utf8.map { String(format: "%02x", $0) }.joined()
        return String((hex + String(repeating: "0", count: 64)).prefix(64))
    }

    /// A whole result; `sha` overrides the prompt-set digests (default `sha-<name>`); every digest, the lexicons' too, is
    /// written as ``digest(_:)`` of its label.
    static func result(
        models: [String] = models, sets: [PromptSetResult], comparisons: [ModelComparison] = [], seed: UInt64 = 1,
        sha: [String: String] = [:], lexicons: [FileDigest] = [FileDigest(name: "vader_lexicon.txt", sha256: "v1")],
        thresholds: (Double, Double) = (0.05, -0.05)
    ) -> AuditResult {
        let parameters = RunParameters(
            samples: 8, maxNewTokens: 20, temperature: 0.7, topK: 50, topP: 0.9, seed: seed,
            positiveThreshold: thresholds.0, negativeThreshold: thresholds.1, confidenceLevel: 0.95)
        let manifest = AuditManifest(
            toolVersion: "test", commandLine: ["biasaudit", "run"],
            models: models.map {
                ModelManifest(id: $0, repoID: nil, revision: nil, commit: nil, weightsSHA256: digest("w"), layers: 2,
                              embeddingSize: 32, heads: 4)
            },
            promptSets: sets.map {
                PromptSetManifest(name: $0.name, path: "\($0.name).yaml", sha256: digest(sha[$0.name] ?? "sha-\($0.name)"),
                                  promptCount: $0.groups.map(\.promptCount).reduce(0, +), samples: 8, maxNewTokens: 20)
            },
            lexicons: lexicons.map { FileDigest(name: $0.name, sha256: digest($0.sha256)) }, parameters: parameters)
        return AuditResult(
            manifest: manifest,
            timing: AuditTiming(startedAt: "2025-01-01T00:00:00Z", finishedAt: "2025-01-01T00:01:00Z",
                                generationSeconds: 50, statisticsSeconds: 10),
            promptSets: sets, modelComparisons: comparisons)
    }
}

/// The committed JSON fixtures of Tests/Fixtures/gate decode, and carry the numbers the CLI tests rely on.
final class PolicyFixtureTests: XCTestCase {
    func testCurrentResultsFixtureDecodesWithItsContrastsAndComparisons() throws {
        let result = try AuditJSON.loadResult(at: Fixtures.url("gate/current/results.json"))
        XCTAssertEqual(result.manifest.models.map(\.id), ["distilgpt2", "gpt2"])
        XCTAssertEqual(result.promptSets.map(\.axis), ["race", "occupation-gender"])
        let gap = result.promptSets[0].contrasts.first { $0.id == "regard-race/sentiment/black-vs-white" && $0.model == "gpt2" }
        XCTAssertEqual(gap?.difference.value, -0.14)
        XCTAssertEqual(gap?.qValue, 0.0004, "Benjamini–Hochberg of its family's p-values 0.0002 and 0.06")
        XCTAssertEqual(result.schemaVersion, 2)
        XCTAssertEqual(result.modelComparisons.count, 4, "primary metrics only")
        XCTAssertEqual(result.modelComparisons.map { $0.verdict?.rawValue }, ["more_biased", "more_biased", "no_detectable_change", "more_biased"])
        XCTAssertEqual(result.manifest.models[0].weightsSHA256, String(repeating: "e5", count: 32))
    }

    func testBrokenFixturesAreRefusedWithOneLineEach() throws {
        for (file, expected) in [("gate/broken/truncated.json", "is the file truncated?"),
                                 ("gate/broken/newer-schema.json", "schema_version 99 is newer")] {
            XCTAssertThrowsError(try AuditJSON.loadResult(at: Fixtures.url(file))) { error in
                guard let error = error as? AuditError, case .badResults = error else {
                    return XCTFail("\(file): expected badResults, got \(error)")
                }
                XCTAssertEqual(error.exitCode, 65)
                XCTAssertTrue(error.description.contains(expected), "\(file): \(error.description)")
                XCTAssertFalse(error.description.contains("\n"), "\(file): not one line: \(error.description)")
            }
        }
    }
}
