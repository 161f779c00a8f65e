import AuditResults
@testable import AuditRun
import Foundation
import GPT2
import SafeTensors
import TestSupport
import XCTest

/// A hostile review: a config of 8192 channels and a vocabulary of 2^20 (35 GB of Float32 weights on a 23 GB machine)
/// trapped with "out of memory" and exit 132 after hashing its 37.6 GB file for a minute. The configuration's weights
/// are measured against the machine's memory as config.json is read, before the weights are hashed or read.
final class ModelMemoryTests: XCTestCase {
    private func configuration(layers: Int, channels: Int, heads: Int, vocabulary: Int, positions: Int) throws -> GPT2Configuration {
        try GPT2Configuration(jsonData: Data("""
            {"n_layer": \(layers), "n_embd": \(channels), "n_head": \(heads), "vocab_size": \(vocabulary), "n_positions": \(positions)}
            """.utf8))
    }

    func testFloat32BytesCountEveryTensorOfTheConfiguration() throws {
        // GPT-2 small: 124,439,808 parameters (Hugging Face's `num_parameters()` of `gpt2`), 4 bytes each.
        let small = try configuration(layers: 12, channels: 768, heads: 12, vocabulary: 50257, positions: 1024)
        XCTAssertEqual(GPT2Weights.float32Bytes(for: small), 124_439_808 * 4)
    }

    func testAModelLargerThanMemoryIsRefusedWithExit69() throws {
        let big = try configuration(layers: 1, channels: 8192, heads: 64, vocabulary: 1_048_576, positions: 1024)
        let directory = URL(fileURLWithPath: "/models/big")
        XCTAssertThrowsError(try ModelLoader.checkFitsInMemory(big, directory: directory, memory: 16 << 30)) { error in
            guard let error = error as? AuditError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.exitCode, 69)
            XCTAssertTrue(error.description.contains("the model in /models/big needs 35.0 GiB of memory for its weights as "
                + "Float32 (1 layer, 8192 channels, a vocabulary of 1048576), and this machine has 16.0 GiB"),
                error.description)
        }
        XCTAssertNoThrow(try ModelLoader.checkFitsInMemory(big, directory: directory, memory: 64 << 30))
        // bf16 packs the matrices again at 2 bytes beside the Float32 tensors (a review: a model that fit as Float32
        // reached the allocation that traps): 35.0 GiB + (8192 · 8192 · 12 + 1048576 · 8192) · 2 bytes = 52.5 GiB.
        XCTAssertEqual(GPT2Weights.packedBF16Bytes(for: big), (8192 * 8192 * 12 + 1_048_576 * 8192) * 2)
        XCTAssertThrowsError(try ModelLoader.checkFitsInMemory(big, directory: directory, precision: .bf16, memory: 40 << 30)) {
            XCTAssertTrue("\($0)".contains("needs 52.5 GiB of memory for its weights as Float32 and its matrices again as "
                + "bfloat16 (--precision bf16) (1 layer, 8192 channels"), "\($0)")
        }
        // Sizes config.json leaves out are said to be transformers' defaults.
        let defaulted = Data(#"{"n_layer": 1024}"#.utf8)
        XCTAssertThrowsError(try ModelLoader.checkFitsInMemory(
            try GPT2Configuration(jsonData: defaulted), directory: directory, data: defaulted, memory: 16 << 30)
        ) {
            XCTAssertTrue("\($0)".contains("; config.json gives no vocab_size (50257), n_positions (1024), n_embd (768), "
                + "n_head (12): transformers' defaults were taken"), "\($0)")
        }
    }

    /// A hostile review: "n_embd must be divisible by n_head (12)." of a config.json without `n_head` blamed the file for a
    /// default. Messages about the sizes say which ones were left out.
    func testMessagesAboutSizesSayWhichWereLeftOut() {
        let data = Data(#"{"n_embd": 32, "n_layer": 2, "vocab_size": 100, "n_positions": 64}"#.utf8)
        XCTAssertEqual(ModelLoader.withDefaultedSizes("n_embd must be divisible by n_head (12).", data),
                       "n_embd must be divisible by n_head (12); config.json gives no n_head (12): transformers' default was taken")
        let full = Data(#"{"n_embd": 32, "n_layer": 2, "vocab_size": 100, "n_positions": 64, "n_head": 4}"#.utf8)
        XCTAssertEqual(ModelLoader.withDefaultedSizes("as it is.", full), "as it is.")
    }
}

/// A hostile review: a model whose `vocab_size` (50304) is padded beyond its vocab.json (50257), as nanoGPT and Megatron
/// export it, sampled ids without text and the audit scored " Bei" from 5 tokens without a word. Loading it says so.
final class PaddedVocabularyTests: XCTestCase {
    private let fixture = Fixtures.url("models/tiny-gpt2").resolvingSymlinksInPath()

    /// A model folder in `scratch`: the fixture's tokenizer, random weights of `weights` (a config.json) and `config` as
    /// its config.json.
    private func modelFolder(_ scratch: URL, weights: String, config: String) throws {
        for file in ["vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(
                at: fixture.appendingPathComponent(file).resolvingSymlinksInPath(), to: scratch.appendingPathComponent(file))
        }
        let model = try GPT2Model.random(configuration: try GPT2Configuration(jsonData: Data(weights.utf8)), seed: 3)
        let entries = model.weights.tensors.map {
            (name: $0.name, dtype: SafeTensorsDType.f32, shape: $0.shape, bytes: SafeTensorsWriter.encodeF32($0.values))
        }
        try SafeTensorsWriter.serialize(entries).write(to: scratch.appendingPathComponent("model.safetensors"))
        try Data(config.utf8).write(to: scratch.appendingPathComponent("config.json"))
    }

    func testAModelWhoseVocabSizeExceedsVocabJSONIsNoted() throws {
        let scratch = try Fixtures.temporaryDirectory("padded-vocabulary")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let json = #"{"n_embd": 32, "n_head": 4, "n_layer": 1, "n_positions": 32, "vocab_size": 50304, "eos_token_id": 50256}"#
        try modelFolder(scratch, weights: json, config: json)
        let loaded = try ModelLoader.load(label: "padded", spec: scratch.path, directory: scratch)
        XCTAssertEqual(loaded.paddedVocabularyNote,
                       "biasaudit: note: padded: config.json's vocab_size is 50304 but vocab.json holds 50257 tokens: ids "
                        + "50257–50303 have no text, so a sampled one adds nothing to the completion (as in transformers) and "
                        + "the scorers read a shorter text; a model trained with that padding seldom samples it")
        let plain = try ModelLoader.load(label: "tiny", spec: fixture.path, directory: fixture)
        XCTAssertNil(plain.paddedVocabularyNote)
    }

    /// A review: a config.json without `n_layer` beside 1-layer weights read "config.json says n_layer is 12".
    func testALayerCountLeftOutIsNotSaidToBeConfigJSONs() throws {
        let scratch = try Fixtures.temporaryDirectory("defaulted-layers")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try modelFolder(scratch, weights: #"{"n_embd": 32, "n_head": 4, "n_layer": 1, "n_positions": 32}"#,
                        config: #"{"n_embd": 32, "n_head": 4, "n_positions": 32, "eos_token_id": 50256}"#)
        XCTAssertThrowsError(try ModelLoader.load(label: "m", spec: scratch.path, directory: scratch)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("config.json gives no n_layer, so transformers' default 12 applies, but "
                + "model.safetensors holds 1 layer"), text)
            XCTAssertFalse(text.contains("config.json says n_layer"), text)
            XCTAssertTrue(text.hasSuffix("config.json gives no vocab_size (50257): transformers' default was taken"), text)
        }
    }
}
