import GPT2
import SafeTensors
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

    /// A hostile review: a NaN in `transformer.ln_f.weight` was said to be in `ln_f.weight`, a name the file does not
    /// hold. The tensor is named as the file stores it, in both layouts (Hugging Face's prefix, OpenAI's none).
    func testANonFiniteWeightReadFromAFileIsNamedAsTheFileStoresIt() throws {
        let source = try GPT2Model.random(configuration: tiny, seed: 2)
        for prefix in ["transformer.", ""] {
            let entries = source.weights.tensors.map { tensor in
                let values = tensor.name == "ln_f.weight" ? [Float.nan] + tensor.values.dropFirst() : tensor.values
                return (name: prefix + tensor.name, dtype: SafeTensorsDType.f32, shape: tensor.shape,
                        bytes: SafeTensorsWriter.encodeF32(values))
            }
            let file = try SafeTensorsFile(data: SafeTensorsWriter.serialize(entries))
            let loaded = try GPT2Model(configuration: tiny, tensors: file)
            XCTAssertEqual(loaded.weights.finalNormWeight.storedName, prefix + "ln_f.weight")
            XCTAssertEqual(loaded.weights.finalNormWeight.name, "ln_f.weight")
            XCTAssertThrowsError(try loaded.weights.validateFinite(), "prefix '\(prefix)'") { error in
                guard case GPT2Error.unreadableTensor(let name, let reason) = error else {
                    return XCTFail("expected unreadableTensor, got \(error)")
                }
                XCTAssertEqual(name, prefix + "ln_f.weight")
                XCTAssertTrue(reason.contains("(nan at element 0)"), reason)
            }
        }
    }
}
