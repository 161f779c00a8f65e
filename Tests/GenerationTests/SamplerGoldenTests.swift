import Foundation
import Generation
import SafeTensors
import TestSupport
import XCTest

/// Kept-token sets and probabilities against transformers' warpers (golden.json `samplers`, written by
/// TemperatureLogitsWarper → TopKLogitsWarper → TopPLogitsWarper on the `last_logits.{i}` rows).
final class SamplerGoldenTests: XCTestCase {
    /// Renormalised probabilities agree with the float32 reference to this absolute difference.
    let probabilityTolerance: Float = 1e-5

    private struct Golden: Decodable {
        struct Prompt: Decodable {
            let text: String
            let samplers: [Setting]
        }
        struct Setting: Decodable {
            let temperature: Float
            let top_k: Int
            let top_p: Float
            let kept_ids: [Int]
            let probs: [Float]
        }
        let prompts: [Prompt]
    }

    func testKeptSetsAndProbabilitiesMatchTransformersForTinyGPT2() throws {
        try checkModel("tiny-gpt2")
    }

    func testKeptSetsAndProbabilitiesMatchTransformersForOpenAILayoutF16() throws {
        try checkModel("tiny-gpt2-openai-f16")
    }

    private func checkModel(_ model: String) throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Fixtures.data("models/\(model)/golden.json"))
        let tensors = try SafeTensorsFile(contentsOf: Fixtures.url("models/\(model)/golden.safetensors"))
        XCTAssertEqual(golden.prompts.count, 4, "\(model): expected 4 golden prompts")
        var settingsChecked = 0
        var maxDifference: Float = 0
        for (promptIndex, prompt) in golden.prompts.enumerated() {
            let logits = try tensors.floats("last_logits.\(promptIndex)")
            XCTAssertEqual(prompt.samplers.count, 7, "\(model) prompt \(promptIndex): expected 7 settings")
            for setting in prompt.samplers {
                let label = "\(model) prompt \(promptIndex) (t=\(setting.temperature), k=\(setting.top_k), "
                    + "p=\(setting.top_p))"
                let parameters = SamplingParameters(
                    temperature: setting.temperature, topK: setting.top_k, topP: setting.top_p)
                let sampler = TokenSampler(parameters: parameters, vocabularySize: logits.count)
                let kept = logits.withUnsafeBufferPointer { sampler.candidates(logits: $0) }
                let ours = Dictionary(uniqueKeysWithValues: kept.map { ($0.id, $0.probability) })
                let expected = Dictionary(uniqueKeysWithValues: zip(setting.kept_ids, setting.probs).map { ($0, $1) })

                let missing = setting.kept_ids.filter { ours[$0] == nil }
                let extra = kept.map(\.id).filter { expected[$0] == nil }
                XCTAssertTrue(
                    missing.isEmpty && extra.isEmpty,
                    "\(label): kept \(kept.count) tokens, golden \(setting.kept_ids.count); "
                        + "missing \(missing.prefix(10)), extra \(extra.prefix(10))")

                var mismatches: [String] = []
                for (id, probability) in expected {
                    guard let ourProbability = ours[id] else { continue }
                    let difference = abs(ourProbability - probability)
                    maxDifference = max(maxDifference, difference)
                    if difference > probabilityTolerance {
                        mismatches.append("id \(id): \(ourProbability) vs \(probability)")
                    }
                }
                XCTAssertTrue(
                    mismatches.isEmpty,
                    "\(label): \(mismatches.count) probabilities differ by more than \(probabilityTolerance); "
                        + "first: \(mismatches.sorted().prefix(5))")
                XCTAssertEqual(kept.first?.id, setting.kept_ids.first, "\(label): most probable token")
                settingsChecked += 1
            }
        }
        print("\(model): \(settingsChecked) sampler settings checked, max probability difference \(maxDifference)")
        XCTAssertEqual(settingsChecked, 28, "\(model): expected 7 settings × 4 prompts")
    }
}
