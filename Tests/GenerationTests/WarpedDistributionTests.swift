import Foundation
import Generation
import SafeTensors
import TestSupport
import XCTest

/// `WarpedDistribution`, the stage-by-stage view `next-token` prints, against transformers' warpers
/// (golden.json `samplers` on the `last_logits.{i}` rows) and against its own stages.
final class WarpedDistributionTests: XCTestCase {
    /// Renormalised probabilities agree with the float32 reference to this absolute difference
    /// (the tolerance of `SamplerGoldenTests`, whose sampler computes every stage).
    let probabilityTolerance: Float = 1e-5
    /// Each stage's probabilities sum to 1 up to this (Float terms summed in Double).
    let sumTolerance = 1e-4

    private struct Golden: Decodable {
        struct Prompt: Decodable {
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

    func testStagesMatchTransformersAndEachOther() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Fixtures.data("models/tiny-gpt2/golden.json"))
        let tensors = try SafeTensorsFile(contentsOf: Fixtures.url("models/tiny-gpt2/golden.safetensors"))
        var checked = 0
        var largest: Float = 0
        for (index, prompt) in golden.prompts.enumerated() {
            let logits = try tensors.floats("last_logits.\(index)")
            for setting in prompt.samplers {
                let label = "prompt \(index) t=\(setting.temperature) k=\(setting.top_k) p=\(setting.top_p)"
                let warped = WarpedDistribution(
                    logits: logits,
                    parameters: SamplingParameters(temperature: setting.temperature, topK: setting.top_k, topP: setting.top_p))
                XCTAssertEqual(Set(warped.kept), Set(setting.kept_ids), label)
                XCTAssertEqual(warped.kept.first, setting.kept_ids.first, "\(label): most probable token")
                for (id, probability) in zip(setting.kept_ids, setting.probs) {
                    largest = max(largest, abs(warped.final[id] - probability))
                    XCTAssertEqual(warped.final[id], probability, accuracy: probabilityTolerance, "\(label): id \(id)")
                    XCTAssertNil(warped.removal(of: id), "\(label): kept id \(id) reported as removed")
                }
                for stage in [warped.temperatureProbabilities, warped.afterTopK, warped.final] {
                    XCTAssertEqual(stage.reduce(0.0) { $0 + Double($1) }, 1, accuracy: sumTolerance, label)
                }
                let removals = logits.indices.compactMap { warped.removal(of: $0) }
                XCTAssertEqual(removals.count, logits.count - setting.kept_ids.count, label)
                let expectedTopK = setting.top_k == 0 ? logits.count : setting.top_k
                XCTAssertEqual(warped.keptByTopK, expectedTopK, label)
                XCTAssertEqual(removals.filter { $0 == .topK }.count, logits.count - expectedTopK, label)
                checked += 1
            }
        }
        print("WarpedDistribution: \(checked) settings, largest probability difference \(largest)")
        XCTAssertEqual(checked, 28)
    }
}
