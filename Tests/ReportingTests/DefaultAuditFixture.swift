import AuditAnalysis
import AuditResults
import Foundation
import Hashing
import PromptSets
import TestSupport

/// A results value the size of the default audit: every shipped prompt set of `PromptSets/`, its own
/// samples per prompt, two models, analysed by the real statistics (``AuditAnalysis/results``) from
/// seeded synthetic completions, with a simulated bias against `female_dominated` under gpt2 and
/// smaller group effects elsewhere, so that the first screen carries as many findings and at-a-glance
/// rows as a real default audit. No model runs; the scores are drawn, not generated.
enum DefaultAuditFixture {
    /// The two models, as the default audit names them.
    static let models = ["distilgpt2", "gpt2"]

    /// The shipped prompt sets, in file-name order.
    static func promptSets() throws -> [(set: PromptSet, path: String, data: Data)] {
        let directory = Fixtures.repositoryRoot.appendingPathComponent("PromptSets", isDirectory: true)
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { file in
            let data = try Data(contentsOf: file)
            let path = "PromptSets/\(file.lastPathComponent)"
            return (try PromptSetLoader.load(data: data, path: path), path, data)
        }
    }

    /// The result, analysed from seeded completions (deterministic).
    static func result() throws -> AuditResult {
        let sets = try promptSets()
        var generator = SplitMix64(seed: 2024)
        var records: [CompletionRecord] = []
        for (set, _, _) in sets {
            let samples = set.defaults?.samples ?? RunParameters.defaultSamples
            // A fixed effect per group and model (a few clear, most small), one per term, one per stream.
            var groupShift: [String: Double] = [:]
            for (index, group) in set.groups.enumerated() {
                for model in models {
                    let injected = model == "gpt2" && group.id == "female_dominated" ? -0.45 : 0
                    groupShift["\(model)/\(group.id)"] = injected + (index.isMultiple(of: 3) ? 0.12 : 0.02) * generator.normal()
                }
            }
            var termEffect: [String: Double] = [:]
            var streams: [String: [Double]] = [:]
            for prompt in set.prompts {
                if streams[prompt.templateID] == nil { streams[prompt.templateID] = (0..<samples).map { _ in generator.normal() } }
                let term = prompt.term ?? prompt.id
                if termEffect[term] == nil { termEffect[term] = 0.06 * generator.normal() }
                for model in models {
                    for sample in 0..<samples {
                        let raw = groupShift["\(model)/\(prompt.group)"]! + termEffect[term]!
                            + 0.2 * streams[prompt.templateID]![sample] + 0.25 * generator.normal()
                        let compound = max(-1, min(1, raw))
                        let male = generator.below(3)
                        let female = generator.below(3)
                        records.append(
                            CompletionRecord(
                                set: set.name, template: prompt.template, templateId: prompt.templateID, group: prompt.group,
                                term: prompt.term, promptId: prompt.id, prompt: prompt.text, model: model,
                                sampleIndex: sample, text: " was known in the town for \(sample % 2 == 0 ? "a kind word" : "a sharp remark") and a long day of work.",
                                tokenCount: 20, stopReason: "max_new_tokens",
                                scores: try scores(compound: compound, male: male, female: female),
                                nextTokenLogOdds: 0.4 * generator.normal() + (prompt.group.contains("female") ? -0.6 : 0.3)))
                    }
                }
            }
        }
        let analysis = try AuditAnalysis.results(
            sets: sets.map(\.set), models: models, records: records, settings: AuditAnalysis.Settings())
        var parameters = RunParameters.defaults
        parameters.injectedBiases = [InjectedBias(group: "female_dominated", token: " terrible", logit: 8)]
        let manifest = AuditManifest(
            toolVersion: "0.0.0-test", commandLine: ["biasaudit", "run", "--inject-bias", "female_dominated: terrible=8"],
            models: models.map {
                ModelManifest(
                    id: $0, spec: $0, source: "hub", repoID: $0, revision: "main", commit: String(repeating: "c", count: 40),
                    weightsSHA256: String(repeating: "a", count: 64), layers: 6, embeddingSize: 768, heads: 12)
            },
            promptSets: sets.map { set, path, data in
                PromptSetManifest(
                    name: set.name, path: path, sha256: String(repeating: "b", count: 64), promptCount: set.prompts.count,
                    samples: set.defaults?.samples ?? RunParameters.defaultSamples, maxNewTokens: 20)
            },
            lexicons: [], parameters: parameters)
        let perModel = records.count / models.count
        return AuditResult(
            manifest: manifest,
            timing: AuditTiming(
                startedAt: "2026-01-05T09:00:00Z", finishedAt: "2026-01-05T09:41:00Z", generationSeconds: 2400,
                statisticsSeconds: 60,
                models: models.map {
                    ModelSpeed(model: $0, completions: perModel, generatedTokens: perModel * 20, seconds: 1200,
                               peakResidentBytes: 900_000_000, storedBefore: 0)
                }),
            promptSets: analysis.sets, modelComparisons: analysis.comparisons)
    }

    private static func scores(compound: Double, male: Int, female: Int) throws -> CompletionScores {
        let label = compound <= -0.05 ? "negative" : compound >= 0.05 ? "positive" : "neutral"
        let gender = male > 0 && female > 0 ? "both" : male > 0 ? "male" : female > 0 ? "female" : "none"
        let json = """
            {"compound": \(compound), "negative": 0, "neutral": 1, "positive": 0, "sentiment_label": "\(label)",
             "male_pronouns": \(male), "female_pronouns": \(female), "neutral_pronouns": 0, "male_terms": 0,
             "female_terms": 0, "gender_label": "\(gender)"}
            """
        return try AuditJSON.decoder().decode(CompletionScores.self, from: Data(json.utf8))
    }
}

extension SplitMix64 {
    /// A uniform draw in [0, 1).
    fileprivate mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A uniform integer in 0..<bound.
    fileprivate mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A standard normal draw (Box–Muller).
    fileprivate mutating func normal() -> Double {
        let u1 = 1 - unit(), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
