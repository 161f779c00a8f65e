import GPT2
import XCTest

/// Non-finite weights are refused at load time, naming the tensor.
final class WeightValidationTests: XCTestCase {
    let tiny = GPT2Configuration(vocabularySize: 11, contextLength: 8, embeddingSize: 4, layerCount: 2, headCount: 2)

    func testFiniteWeightsPass() throws {
        let model = try GPT2Model.random(configuration: tiny, seed: 1)
        XCTAssertNoThrow(try model.weights.validateFinite())
        XCTAssertEqual(model.weights.tensors.count, 2 + 12 * 2 + 2, "embeddings, 12 tensors per block, final norm")
    }

    func testNaNAndInfinityAreRefusedNamingTheTensor() throws {
        for (value, label) in [(Float.nan, "nan"), (Float.infinity, "inf"), (-Float.infinity, "-inf")] {
            let model = try GPT2Model.random(configuration: tiny, seed: 1)
            model.weights.blocks[1].feedForwardWeight.pointer[5] = value
            XCTAssertThrowsError(try model.weights.validateFinite(), label) { error in
                guard case GPT2Error.unreadableTensor(let name, let reason) = error else {
                    return XCTFail("expected unreadableTensor, got \(error)")
                }
                XCTAssertEqual(name, "h.1.mlp.c_fc.weight")
                XCTAssertTrue(reason.contains("element 5"), reason)
            }
        }
    }
}
