import AuditResults
@testable import AuditRun
import Foundation
import GPT2
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
