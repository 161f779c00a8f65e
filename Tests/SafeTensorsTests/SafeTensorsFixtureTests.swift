import Foundation
import SafeTensors
import TestSupport
import XCTest

/// Reads the committed model fixtures (written by torch/transformers) and checks them against
/// values read independently with NumPy (see the expected constants below).
final class SafeTensorsFixtureTests: XCTestCase {
    /// Sums over a million floats in a different order than NumPy did differ in the last digits.
    private let checksumTolerance = 1e-6

    func testHuggingFaceLayoutF32Model() throws {
        let file = try SafeTensorsFile(contentsOf: Fixtures.url("models/tiny-gpt2/model.safetensors"))
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file.tensorNames.count, 4 + 2 * 12)
        XCTAssertEqual(file.tensorNames, file.tensorNames.sorted())
        let expectedShapes: [String: [Int]] = [
            "transformer.wte.weight": [50257, 32], "transformer.wpe.weight": [128, 32],
            "transformer.ln_f.weight": [32], "transformer.ln_f.bias": [32],
            "transformer.h.0.attn.c_attn.weight": [32, 96], "transformer.h.0.attn.c_attn.bias": [96],
            "transformer.h.1.mlp.c_fc.weight": [32, 128], "transformer.h.1.mlp.c_proj.weight": [128, 32],
        ]
        try assertShapes(file, expectedShapes, dtype: .f32)
        XCTAssertNil(file.info("lm_head.weight"), "tied lm_head should not be stored")

        let wte = try file.floats("transformer.wte.weight")
        XCTAssertEqual(Array(wte.prefix(4)), [0.1917828768491745, 0.24531587958335876, -0.11518770456314087, 0.07078637182712555])
        XCTAssertEqual(Array(wte.suffix(4)), [0.5530414581298828, -0.7197942733764648, 0.008418084122240543, 0.3169792890548706])
        assertSum(wte, 201.31052517937644, "transformer.wte.weight")
        XCTAssertEqual(Array(try file.floats("transformer.h.0.ln_1.bias").prefix(3)), [-0.07477499544620514, 0.06505697220563889, -0.003178616752848029])
    }

    func testOpenAILayoutF16Model() throws {
        let file = try SafeTensorsFile(contentsOf: Fixtures.url("models/tiny-gpt2-openai-f16/model.safetensors"))
        XCTAssertEqual(file.tensorNames.count, 4 + 3 * 13)
        let expectedShapes: [String: [Int]] = [
            "wte.weight": [50257, 32], "wpe.weight": [96, 32], "ln_f.bias": [32],
            "h.0.attn.bias": [1, 1, 96, 96], "h.2.attn.c_proj.weight": [32, 32], "h.2.mlp.c_fc.bias": [128],
        ]
        try assertShapes(file, expectedShapes, dtype: .f16)

        let wte = try file.floats("wte.weight")
        XCTAssertEqual(Array(wte.prefix(4)), [-0.318603515625, 0.08599853515625, -0.712890625, -0.1962890625])
        XCTAssertEqual(Array(wte.suffix(4)), [0.380859375, -0.06561279296875, 0.2149658203125, -0.01270294189453125])
        assertSum(wte, 26.774135291576385, "wte.weight")

        let mask = try file.floats("h.0.attn.bias")
        XCTAssertTrue(mask.allSatisfy { $0 == 0 || $0 == 1 }, "causal mask holds values other than 0 and 1")
        assertSum(mask, 4656, "h.0.attn.bias (96·97/2 ones)")

        var buffer = [Float](repeating: .nan, count: wte.count)
        try buffer.withUnsafeMutableBufferPointer { try file.decodeFloats("wte.weight", into: $0) }
        XCTAssertTrue(buffer == wte, "decodeFloats(into:) differs from floats(_:)")
    }

    func testGoldenLogitsFiles() throws {
        let firstLogits: [String: [[Float]]] = [
            "tiny-gpt2": [
                [-2.8588168621063232, -1.4009809494018555, 2.5528244972229004],
                [-0.7098933458328247, -0.9096553921699524, -2.024259090423584],
                [-5.558663368225098, -0.7514892220497131, 2.5280308723449707],
                [-1.9312723875045776, -0.024462642148137093, -0.0924990177154541],
            ],
            "tiny-gpt2-openai-f16": [
                [-0.9371060132980347, -0.06972925364971161, -0.414063423871994],
                [1.1315735578536987, 0.6341598033905029, 0.31068649888038635],
                [-2.934236526489258, 2.2283527851104736, -0.8789204955101013],
                [2.331083297729492, 1.938352108001709, -1.3351939916610718],
            ],
        ]
        for (model, expected) in firstLogits {
            let file = try SafeTensorsFile(contentsOf: Fixtures.url("models/\(model)/golden.safetensors"))
            XCTAssertEqual(file.tensorNames, (0..<4).map { "last_logits.\($0)" }, model)
            for (index, prefix) in expected.enumerated() {
                let logits = try file.floats("last_logits.\(index)")
                XCTAssertEqual(logits.count, 50257, "\(model) last_logits.\(index)")
                XCTAssertEqual(Array(logits.prefix(3)), prefix, "\(model) last_logits.\(index)")
            }
        }
    }

    private func assertShapes(
        _ file: SafeTensorsFile, _ shapes: [String: [Int]], dtype: SafeTensorsDType,
        line: UInt = #line
    ) throws {
        for (name, shape) in shapes {
            let info = try XCTUnwrap(file.info(name), "missing \(name)", line: line)
            XCTAssertEqual(info.shape, shape, name, line: line)
            XCTAssertEqual(info.dtype, dtype, name, line: line)
            XCTAssertEqual(info.dataOffsets.count, info.elementCount * dtype.byteSize, name, line: line)
        }
    }

    private func assertSum(_ values: [Float], _ expected: Double, _ name: String, line: UInt = #line) {
        let sum = values.reduce(0.0) { $0 + Double($1) }
        XCTAssertEqual(sum, expected, accuracy: checksumTolerance, "\(name): sum \(sum), expected \(expected)", line: line)
    }
}
