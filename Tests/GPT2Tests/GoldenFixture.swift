import Foundation
import GPT2
import SafeTensors
import TestSupport
import XCTest

/// One of the committed tiny models with the reference outputs written by transformers (see Tests/Fixtures/README.md).
struct GoldenFixture {
    /// `golden.json`, the parts these tests read.
    struct Golden: Decodable {
        struct Prompt: Decodable {
            struct TopTokens: Decodable {
                let ids: [Int]
                let logits: [Float]
            }
            let text: String
            let ids: [Int]
            let top50PerPosition: [TopTokens]
            let greedyNewIDs: [Int]
            let greedyMinMargin: Float

            enum CodingKeys: String, CodingKey {
                case text, ids
                case top50PerPosition = "top50_per_position"
                case greedyNewIDs = "greedy_new_ids"
                case greedyMinMargin = "greedy_min_margin"
            }
        }
        let layout: String
        let dtype: String
        let prompts: [Prompt]
    }

    /// The F32 model in Hugging Face's layout.
    static let huggingFace = "models/tiny-gpt2"
    /// The F16 model in OpenAI's layout, with `h.N.attn.bias` buffers.
    static let openAIHalf = "models/tiny-gpt2-openai-f16"
    /// Both fixture models.
    static let all = [huggingFace, openAIHalf]

    let directory: String
    let configuration: GPT2Configuration
    let weightsFile: SafeTensorsFile
    let model: GPT2Model
    let golden: Golden
    let goldenTensors: SafeTensorsFile

    init(_ directory: String) throws {
        self.directory = directory
        configuration = try GPT2Configuration(jsonData: Fixtures.data("\(directory)/config.json"))
        weightsFile = try SafeTensorsFile(contentsOf: Fixtures.url("\(directory)/model.safetensors"))
        model = try GPT2Model(configuration: configuration, tensors: weightsFile)
        golden = try JSONDecoder().decode(Golden.self, from: Fixtures.data("\(directory)/golden.json"))
        goldenTensors = try SafeTensorsFile(contentsOf: Fixtures.url("\(directory)/golden.safetensors"))
    }

    /// The reference logits at the last position of prompt `index`.
    func lastLogits(prompt index: Int) throws -> [Float] {
        try goldenTensors.floats("last_logits.\(index)")
    }
}

/// The largest absolute difference between two equally long vectors, and where it is.
func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> (value: Float, index: Int) {
    precondition(a.count == b.count, "vectors of different lengths: \(a.count) and \(b.count)")
    var worst: (value: Float, index: Int) = (0, 0)
    for i in a.indices {
        let d = abs(a[i] - b[i])
        if d > worst.value || d.isNaN { worst = (d, i) }
    }
    return worst
}

/// The index of the largest value; the first one on ties, as `torch.argmax`.
func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}

/// The `count` largest values' indices, largest first (ties by lower index).
func topIndices(_ values: [Float], count: Int) -> [Int] {
    var best: [Int] = []
    best.reserveCapacity(count + 1)
    for i in values.indices where best.count < count || values[i] > values[best[best.count - 1]] {
        let slot = best.firstIndex { values[i] > values[$0] } ?? best.count
        best.insert(i, at: slot)
        if best.count > count { best.removeLast() }
    }
    return best
}
