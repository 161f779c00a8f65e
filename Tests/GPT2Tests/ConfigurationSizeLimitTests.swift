import Foundation
import GPT2
import SafeTensors
import TestSupport
import XCTest

/// Sizes in config.json are checked against sane limits before anything is allocated or multiplied, and
/// against the weights file before any tensor is allocated.
final class ConfigurationSizeLimitTests: XCTestCase {
    func testHugeSizesAreRefusedNamingTheKey() {
        let cases: [(json: String, key: String)] = [
            (#"{"n_layer": 1000000000}"#, "n_layer"),
            (#"{"n_positions": 2147483648}"#, "n_positions"),
            (#"{"vocab_size": 1099511627776}"#, "vocab_size"),
            (#"{"n_embd": 4611686018427387904, "n_head": 1}"#, "n_embd"),
            (#"{"n_head": 9223372036854775807}"#, "n_head"),
            (#"{"n_inner": 4611686018427387904}"#, "n_inner"),
        ]
        for (json, key) in cases {
            XCTAssertThrowsError(try GPT2Configuration(jsonData: Data(json.utf8)), json) { error in
                guard case .invalidConfiguration(let actualKey, _, let reason)? = error as? GPT2Error else {
                    return XCTFail("\(json): expected invalidConfiguration, got \(error)")
                }
                XCTAssertEqual(actualKey, key, json)
                XCTAssertTrue(reason.contains("the largest value biasaudit accepts"), reason)
            }
        }
    }

    /// A config that claims more layers than the weights hold is refused before the layers are allocated.
    func testMoreLayersThanTheWeightsHoldIsRefusedBeforeAllocating() throws {
        let directory = Fixtures.url("models/tiny-gpt2")
        var configuration = try GPT2Configuration(jsonData: Data(contentsOf: directory.appendingPathComponent("config.json")))
        configuration.layerCount = 1000
        let file = try SafeTensorsFile(contentsOf: directory.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try GPT2Weights(configuration: configuration, file: file)) { error in
            XCTAssertEqual(error as? GPT2Error, .layerCountMismatch(configured: 1000, stored: 2, prefix: "transformer."))
        }
    }
}
