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
            XCTAssertTrue(error.description.contains("/models/big: this model's weights need 35.0 GiB of memory as Float32 "
                + "(config.json: 1 layer, 8192 channels, a vocabulary of 1048576), and this machine has 16.0 GiB"),
                error.description)
        }
        XCTAssertNoThrow(try ModelLoader.checkFitsInMemory(big, directory: directory, memory: 64 << 30))
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
    func testAModelWhoseVocabSizeExceedsVocabJSONIsNoted() throws {
        let scratch = try Fixtures.temporaryDirectory("padded-vocabulary")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fixture = Fixtures.url("models/tiny-gpt2").resolvingSymlinksInPath()
        for file in ["vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(
                at: fixture.appendingPathComponent(file).resolvingSymlinksInPath(), to: scratch.appendingPathComponent(file))
        }
        let json = #"{"n_embd": 32, "n_head": 4, "n_layer": 1, "n_positions": 32, "vocab_size": 50304, "eos_token_id": 50256}"#
        try Data(json.utf8).write(to: scratch.appendingPathComponent("config.json"))
        let configuration = try GPT2Configuration(jsonData: Data(json.utf8))
        let model = try GPT2Model.random(configuration: configuration, seed: 3)
        let entries = model.weights.tensors.map {
            (name: $0.name, dtype: SafeTensorsDType.f32, shape: $0.shape, bytes: SafeTensorsWriter.encodeF32($0.values))
        }
        try SafeTensorsWriter.serialize(entries).write(to: scratch.appendingPathComponent("model.safetensors"))
        let loaded = try ModelLoader.load(label: "padded", spec: scratch.path, directory: scratch)
        XCTAssertEqual(loaded.paddedVocabularyNote,
                       "biasaudit: note: padded: config.json's vocab_size is 50304 but vocab.json holds 50257 tokens: ids "
                        + "50257–50303 have no text, so a sampled one adds nothing to the completion (as in transformers) and "
                        + "the scorers read a shorter text; a model trained with that padding seldom samples it")
        let plain = try ModelLoader.load(label: "tiny", spec: fixture.path, directory: fixture)
        XCTAssertNil(plain.paddedVocabularyNote)
    }
}
