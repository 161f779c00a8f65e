import Foundation
import GPT2
import SafeTensors
import TestSupport
import XCTest

/// Loading weights from safetensors files in both layouts, and the errors for wrong files.
final class WeightLoadingTests: XCTestCase {
    /// A model small enough to write out by hand: vocabulary 11, 8 positions, width 4, 2 heads.
    let tiny = GPT2Configuration(vocabularySize: 11, contextLength: 8, embeddingSize: 4, layerCount: 1, headCount: 2)

    /// The weights of `model` as safetensors entries named as `prefix` + Hugging Face name.
    private func entries(
        of model: GPT2Model, prefix: String, dtype: SafeTensorsDType = .f32
    ) -> [(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: Data)] {
        let random = model.weights
        var all = [random.tokenEmbedding, random.positionEmbedding, random.finalNormWeight, random.finalNormBias]
        for block in random.blocks {
            all += [
                block.attentionNormWeight, block.attentionNormBias, block.qkvWeight, block.qkvBias,
                block.attentionProjectionWeight, block.attentionProjectionBias, block.mlpNormWeight,
                block.mlpNormBias, block.feedForwardWeight, block.feedForwardBias,
                block.feedForwardProjectionWeight, block.feedForwardProjectionBias,
            ]
        }
        if let head = random.untiedLanguageModelHead { all.append(head) }
        return all.map { tensor in
            let bytes = dtype == .f16 ? SafeTensorsWriter.encodeF16(tensor.values) : SafeTensorsWriter.encodeF32(tensor.values)
            let name = tensor.name == "lm_head.weight" ? tensor.name : prefix + tensor.name
            return (name, dtype, tensor.shape, bytes)
        }
    }

    private func load(
        _ entries: [(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: Data)],
        configuration: GPT2Configuration? = nil
    ) throws -> GPT2Model {
        let file = try SafeTensorsFile(data: SafeTensorsWriter.serialize(entries))
        return try GPT2Model(configuration: configuration ?? tiny, tensors: file)
    }

    func testBothLayoutsLoadTheSameWeightsAndGiveTheSameLogits() throws {
        let source = try GPT2Model.random(configuration: tiny, seed: 3)
        let expected = try source.logits(tokens: [1, 5, 10])
        let mask = SafeTensorsWriter.encodeF32(Array(repeating: 1, count: 64))
        let buffers: [(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: Data)] = [
            ("h.0.attn.bias", .f32, [1, 1, 8, 8], mask),
            ("h.0.attn.masked_bias", .f32, [], SafeTensorsWriter.encodeF32([-1e4])),
        ]
        let huggingFace = try load(entries(of: source, prefix: "transformer."))
        let openAI = try load(entries(of: source, prefix: "") + buffers)
        XCTAssertEqual(try huggingFace.logits(tokens: [1, 5, 10]), expected)
        XCTAssertEqual(try openAI.logits(tokens: [1, 5, 10]), expected)
        XCTAssertEqual(huggingFace.weights.blocks[0].qkvWeight.values, source.weights.blocks[0].qkvWeight.values)
        let storedHead: (name: String, dtype: SafeTensorsDType, shape: [Int], bytes: Data) =
            ("lm_head.weight", .f32, [11, 4], SafeTensorsWriter.encodeF32(Array(repeating: 9, count: 44)))
        let tiedWithStoredHead = try load(entries(of: source, prefix: "transformer.") + [storedHead])
        XCTAssertEqual(try tiedWithStoredHead.logits(tokens: [1, 5, 10]), expected, "a tied head ignores lm_head.weight")
    }

    /// A hostile review: `transformer.ln_f.weight` beside `ln_f.weight` (all 5.0) loaded the first and ignored the
    /// second without a word; a reader of the other layout takes the other, the ambiguity of a key given twice.
    func testATensorStoredUnderBothLayoutsNamesIsRefusedNamingBoth() throws {
        let source = try GPT2Model.random(configuration: tiny, seed: 3)
        for bare in ["ln_f.weight", "h.0.attn.c_attn.bias", "wte.weight"] {
            let prefixed = entries(of: source, prefix: "transformer.")
            guard let original = prefixed.first(where: { $0.name == "transformer." + bare }) else {
                return XCTFail("no transformer.\(bare) among the entries")
            }
            let count = original.shape.reduce(1, *)
            let copy = (name: bare, dtype: original.dtype, shape: original.shape,
                        bytes: SafeTensorsWriter.encodeF32(Array(repeating: 5, count: count)))
            XCTAssertThrowsError(try load(prefixed + [copy])) { error in
                XCTAssertEqual(error as? GPT2Error, .tensorStoredTwice(prefixed: "transformer." + bare, bare: bare))
                XCTAssertTrue("\(error)".contains("`transformer.\(bare)` and `\(bare)`"), "\(error)")
            }
        }
    }

    /// The header's entry bound refuses no checkpoint `config.json` may describe: the deepest model accepted (1,024
    /// layers), untied, with OpenAI's two mask buffers per layer and `__metadata__`, stays within it.
    func testTheSafetensorsEntryBoundAdmitsTheLargestGPT2ConfigJSONAllows() {
        let deepest = GPT2Configuration(layerCount: 1024, tieWordEmbeddings: false)
        let entries = GPT2Weights.expectedTensors(for: deepest).count + 2 * deepest.layerCount + 1
        XCTAssertEqual(entries, 14_342)
        XCTAssertLessThanOrEqual(entries, SafeTensorsFile.maximumEntryCount)
    }

    func testHalfPrecisionWeightsAreWidened() throws {
        let source = try GPT2Model.random(configuration: tiny, seed: 4)
        let half = try load(entries(of: source, prefix: "", dtype: .f16))
        let original = source.weights.tokenEmbedding.values
        let widened = half.weights.tokenEmbedding.values
        assertClose(widened, original, tolerance: 1e-4, "F16 round trip of values below 0.035")
    }

    func testMissingTensorIsNamedWithItsExpectedShape() throws {
        let source = try GPT2Model.random(configuration: tiny, seed: 5)
        let incomplete = entries(of: source, prefix: "transformer.").filter { $0.name != "transformer.h.0.mlp.c_fc.weight" }
        XCTAssertThrowsError(try load(incomplete)) { error in
            XCTAssertEqual(error as? GPT2Error, .missingTensor(name: "transformer.h.0.mlp.c_fc.weight", expectedShape: [4, 16]))
            XCTAssertTrue("\(error)".contains("transformer.h.0.mlp.c_fc.weight"))
        }
    }

    func testWrongShapeIsNamedWithExpectedAndFoundShapes() throws {
        let source = try GPT2Model.random(configuration: tiny, seed: 6)
        let transposed = entries(of: source, prefix: "").map { entry in
            entry.name == "h.0.attn.c_attn.weight" ? (entry.name, entry.dtype, [12, 4], entry.bytes) : entry
        }
        XCTAssertThrowsError(try load(transposed)) { error in
            XCTAssertEqual(error as? GPT2Error, .wrongTensorShape(name: "h.0.attn.c_attn.weight", expected: [4, 12], found: [12, 4]))
        }
        let wrongConfig = GPT2Configuration(vocabularySize: 11, contextLength: 8, embeddingSize: 8, layerCount: 1, headCount: 2)
        XCTAssertThrowsError(try load(entries(of: source, prefix: ""), configuration: wrongConfig)) { error in
            XCTAssertEqual(error as? GPT2Error, .wrongTensorShape(name: "wte.weight", expected: [11, 8], found: [11, 4]))
        }
    }

    /// Review: a config.json with fewer layers than the weights ran a truncated model without a word. A hostile review:
    /// one with more was "tensor h.1… is missing", and either was placed at model.safetensors as config.json's fault. Both
    /// are one disagreement, said with what each file says and what to do.
    func testALayerCountOtherThanTheWeightsIsRefusedSayingWhatEachFileSays() throws {
        var deeper = tiny
        deeper.layerCount = tiny.layerCount + 1
        let shallowSource = try GPT2Model.random(configuration: tiny, seed: 8)
        let deepSource = try GPT2Model.random(configuration: deeper, seed: 8)
        for prefix in ["", "transformer."] {
            XCTAssertThrowsError(try load(entries(of: deepSource, prefix: prefix), configuration: tiny)) { error in
                XCTAssertEqual(error as? GPT2Error, .layerCountMismatch(configured: 1, stored: 2, prefix: prefix))
                XCTAssertEqual(
                    "\(error)",
                    "config.json says n_layer is 1, but model.safetensors holds 2 layers (\(prefix)h.0.* to \(prefix)h.1.*): "
                        + "the two files are not of one model; if the weights are the model you mean, set \"n_layer\": 2 in "
                        + "config.json, else put the config.json that came with the weights beside them (or download the "
                        + "model again)")
            }
            XCTAssertThrowsError(try load(entries(of: shallowSource, prefix: prefix), configuration: deeper)) { error in
                XCTAssertEqual(error as? GPT2Error, .layerCountMismatch(configured: 2, stored: 1, prefix: prefix))
                XCTAssertTrue("\(error)".hasPrefix("config.json says n_layer is 2, but model.safetensors holds 1 layer "
                    + "(\(prefix)h.0.*): "), "\(error)")
            }
        }
        XCTAssertNoThrow(try load(entries(of: deepSource, prefix: "transformer."), configuration: deeper))
        // A block missing in the middle is a missing tensor, not a count the files disagree on.
        let gap = entries(of: deepSource, prefix: "").filter { !$0.name.hasPrefix("h.0.") }
        XCTAssertThrowsError(try load(gap, configuration: deeper)) { error in
            XCTAssertEqual(error as? GPT2Error, .missingTensor(name: "h.0.ln_1.weight", expectedShape: [4]))
        }
    }

    func testUntiedHeadIsReadFromLmHeadAndRequired() throws {
        var untied = tiny
        untied.tieWordEmbeddings = false
        let source = try GPT2Model.random(configuration: untied, seed: 7)
        XCTAssertNotNil(source.weights.untiedLanguageModelHead)
        let loaded = try load(entries(of: source, prefix: "transformer."), configuration: untied)
        XCTAssertEqual(loaded.weights.languageModelHead.values, source.weights.languageModelHead.values)
        XCTAssertNotEqual(loaded.weights.languageModelHead.values, loaded.weights.tokenEmbedding.values)
        let withoutHead = entries(of: source, prefix: "transformer.").filter { $0.name != "lm_head.weight" }
        XCTAssertThrowsError(try load(withoutHead, configuration: untied)) { error in
            XCTAssertEqual(error as? GPT2Error, .missingTensor(name: "lm_head.weight", expectedShape: [11, 4]))
        }
    }

    func testRandomWeightsAreDeterministicAndShapedLikeTheConfiguration() throws {
        let a = try GPT2Model.random(configuration: tiny, seed: 42)
        let b = try GPT2Model.random(configuration: tiny, seed: 42)
        let c = try GPT2Model.random(configuration: tiny, seed: 43)
        XCTAssertEqual(a.weights.blocks[0].feedForwardWeight.values, b.weights.blocks[0].feedForwardWeight.values)
        XCTAssertNotEqual(a.weights.blocks[0].feedForwardWeight.values, c.weights.blocks[0].feedForwardWeight.values)
        XCTAssertEqual(a.weights.blocks[0].feedForwardWeight.shape, [4, 16])
        XCTAssertEqual(a.weights.finalNormWeight.values, [1, 1, 1, 1])
        let embedding = a.weights.tokenEmbedding.values
        XCTAssertTrue(embedding.allSatisfy { abs($0) < 0.035 })
        let mean = embedding.reduce(0, +) / Float(embedding.count)
        let variance = embedding.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(embedding.count)
        XCTAssertEqual(variance.squareRoot(), 0.02, accuracy: 0.006)
    }
}
