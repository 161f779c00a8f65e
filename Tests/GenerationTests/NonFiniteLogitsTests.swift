import GPT2
import Generation
import XCTest

/// A model that produces NaN or infinite logits is reported, never sampled from (and never crashes).
final class NonFiniteLogitsTests: XCTestCase {
    func testSamplerReturnsNilForARowWithoutAFiniteMaximum() {
        for parameters in [
            SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9), SamplingParameters(topP: 0.9),
            SamplingParameters(), SamplingParameters(greedy: true),
        ] {
            let sampler = TokenSampler(parameters: parameters, vocabularySize: 4)
            for row: [Float] in [[.nan, .nan, .nan, .nan], [.infinity, 1, 2, 3], [-.infinity, -.infinity, -.infinity, -.infinity]] {
                let token = row.withUnsafeBufferPointer { sampler.sample(logits: $0, uniform: 0.5) }
                XCTAssertNil(token, "\(parameters) on \(row)")
            }
            let finite: [Float] = [0, 3, 1, 2]
            XCTAssertNotNil(finite.withUnsafeBufferPointer { sampler.sample(logits: $0, uniform: 0.5) })
        }
    }

    func testGeneratorThrowsForAModelWhoseLogitsOverflow() throws {
        let configuration = GPT2Configuration(
            vocabularySize: 11, contextLength: 8, embeddingSize: 4, layerCount: 1, headCount: 2)
        let model = try GPT2Model.random(configuration: configuration, seed: 3)
        // Finite weights that overflow Float in the LM head: the tied embedding at 3e38.
        let embedding = model.weights.tokenEmbedding
        for index in 0..<embedding.count { embedding.pointer[index] = 3e38 }
        let generator = try Generator(
            model: model, parameters: SamplingParameters(temperature: 0.7, topK: 5, topP: 0.9), maxNewTokens: 3,
            endOfTextID: nil)
        XCTAssertThrowsError(try generator.generate([GenerationRequest(promptIDs: [1, 2], streamIDs: [0, 1])])) {
            XCTAssertEqual($0 as? GenerationError, .nonFiniteLogits)
        }
    }
}
