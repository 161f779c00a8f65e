import Foundation
@testable import Generation
import GPT2
import SafeTensors
import TestSupport
import XCTest

final class GeneratorTests: XCTestCase {
    /// The settings of the audit's seed notebook.
    let notebook = SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 7)
    let streams: [UInt64] = [0, 1, 2, 3, 4]

    private struct Golden: Decodable {
        struct Prompt: Decodable {
            let ids: [Int]
            let greedyNewIDs: [Int]
            enum CodingKeys: String, CodingKey {
                case ids
                case greedyNewIDs = "greedy_new_ids"
            }
        }
        let prompts: [Prompt]
    }

    private func load(_ directory: String) throws -> (model: GPT2Model, golden: Golden) {
        let configuration = try GPT2Configuration(jsonData: Fixtures.data("\(directory)/config.json"))
        let tensors = try SafeTensorsFile(contentsOf: Fixtures.url("\(directory)/model.safetensors"))
        let model = try GPT2Model(configuration: configuration, tensors: tensors)
        let golden = try JSONDecoder().decode(Golden.self, from: Fixtures.data("\(directory)/golden.json"))
        return (model, golden)
    }

    func testSameSeedTwiceGivesIdenticalSamplesAndAnotherSeedDiffers() throws {
        let (model, golden) = try load("models/tiny-gpt2")
        let request = GenerationRequest(promptIDs: golden.prompts[0].ids, streamIDs: streams)
        let generator = try Generator(model: model, parameters: notebook, maxNewTokens: 16)
        let first = try generator.generate([request])
        let second = try Generator(model: model, parameters: notebook, maxNewTokens: 16).generate([request])
        XCTAssertEqual(first, second)
        XCTAssertEqual(first.count, 1)
        XCTAssertEqual(first[0].count, 5)
        XCTAssertEqual(Set(first[0].map(\.ids)).count, 5, "five streams should give five different samples")
        for sample in first[0] {
            XCTAssertEqual(sample.stopReason, .maxNewTokens)
            XCTAssertEqual(sample.ids.count, 16)
        }
        var other = notebook
        other.seed = 8
        let reseeded = try Generator(model: model, parameters: other, maxNewTokens: 16).generate([request])
        XCTAssertNotEqual(reseeded, first)
    }

    func testEachSampleGeneratedAloneEqualsItsPlaceInTheBatch() throws {
        let (model, golden) = try load("models/tiny-gpt2-openai-f16")
        let generator = try Generator(model: model, parameters: notebook, maxNewTokens: 12)
        let prompt = golden.prompts[2].ids
        let batch = try generator.generate([GenerationRequest(promptIDs: prompt, streamIDs: streams)])[0]
        for (i, stream) in streams.enumerated() {
            let alone = try generator.generate([GenerationRequest(promptIDs: prompt, streamIDs: [stream])])
            XCTAssertEqual(alone, [[batch[i]]], "sample \(i)")
        }
    }

    func testSeveralPromptsInOneCallEqualEachPromptAlone() throws {
        let (model, golden) = try load("models/tiny-gpt2")
        let generator = try Generator(model: model, parameters: notebook, maxNewTokens: 10)
        let requests = golden.prompts.enumerated().map { index, prompt in
            GenerationRequest(promptIDs: prompt.ids, streamIDs: [UInt64(index), 100 + UInt64(index)])
        }
        let together = try generator.generate(requests)
        let separately = try requests.map { try generator.generate([$0])[0] }
        XCTAssertEqual(together, separately)
    }

    /// Review: 2,000 samples × 1,024 new tokens of one prompt asked for one 37.7 GB KV cache (exit 132). Beyond the
    /// batch's memory budget the rows run in consecutive batches, a request's samples split where a batch ends, with
    /// the samples of one batch, progress counted over all, and the statistics summed.
    func testRowsBeyondTheMemoryBudgetRunInSeveralBatchesWithTheSameSamples() throws {
        let (model, golden) = try load("models/tiny-gpt2")
        let requests = golden.prompts.enumerated().map { index, prompt in
            GenerationRequest(promptIDs: prompt.ids, streamIDs: (0..<5).map { UInt64(10 * index + $0) })
        }
        let whole = try Generator(model: model, parameters: notebook, maxNewTokens: 10).generate(requests)
        let split = try Generator(model: model, parameters: notebook, maxNewTokens: 10)
        let longest = golden.prompts.map(\.ids.count).max()!
        let perRow = split.maximumRows(capacity: longest + 9)
        XCTAssertGreaterThan(perRow, 20, "one batch by default")
        split.batchMemoryBudget = split.batchMemoryBudget / perRow * 3
        XCTAssertEqual(split.maximumRows(capacity: longest + 9), 3)
        var reported: [Int] = []
        let samples = try split.generate(requests) { reported.append($0) }
        XCTAssertEqual(samples, whole)
        XCTAssertEqual(reported.last, 5 * golden.prompts.count, "progress over every batch")
        XCTAssertEqual(reported, reported.sorted(), "progress never goes back")
        XCTAssertGreaterThan(split.lastStatistics.decodeSteps, 9 * 2, "the batches' steps are summed")
    }

    /// Greedy generation reproduces transformers' `generate(do_sample=False, max_new_tokens=24)`,
    /// for all four prompts batched together (the goldens hold no end-of-text token).
    func testGreedyBatchReproducesTheGoldenContinuations() throws {
        for directory in ["models/tiny-gpt2", "models/tiny-gpt2-openai-f16"] {
            let (model, golden) = try load(directory)
            let generator = try Generator(model: model, parameters: SamplingParameters(greedy: true), maxNewTokens: 24)
            let requests = golden.prompts.map { GenerationRequest(promptIDs: $0.ids, streamIDs: [0]) }
            let samples = try generator.generate(requests)
            for (index, prompt) in golden.prompts.enumerated() {
                XCTAssertEqual(
                    samples[index], [GeneratedSample(ids: prompt.greedyNewIDs, stopReason: .maxNewTokens)],
                    "\(directory) prompt \(index)")
            }
        }
    }

    func testEndOfTextStopsASampleWithoutBeingIncludedUnlessToldToRunOn() throws {
        let (model, golden) = try load("models/tiny-gpt2")
        var parameters = notebook
        parameters.logitBias = [50256: 1000]
        let request = GenerationRequest(promptIDs: golden.prompts[1].ids, streamIDs: [0, 1])
        let stopped = try Generator(model: model, parameters: parameters, maxNewTokens: 5).generate([request])
        XCTAssertEqual(stopped, [Array(repeating: GeneratedSample(ids: [], stopReason: .endOfText), count: 2)])
        let runOn = try Generator(model: model, parameters: parameters, maxNewTokens: 5, stopAtEndOfText: false)
            .generate([request])
        XCTAssertEqual(
            runOn, [Array(repeating: GeneratedSample(ids: Array(repeating: 50256, count: 5), stopReason: .maxNewTokens), count: 2)])
        let noEndToken = try Generator(model: model, parameters: parameters, maxNewTokens: 3, endOfTextID: nil)
            .generate([request])
        XCTAssertEqual(noEndToken[0][0], GeneratedSample(ids: [50256, 50256, 50256], stopReason: .maxNewTokens))
    }

    /// A prompt near the 128-token context stops with `.contextFull` while a short prompt in the same
    /// batch runs on, unaffected: rows finish independently.
    func testContextFullStopsOnlyTheRowThatFilledTheWindow() throws {
        let (model, golden) = try load("models/tiny-gpt2")
        let contextLength = model.configuration.contextLength
        let longPrompt = Array(Array(repeating: golden.prompts[3].ids, count: 8).joined().prefix(contextLength - 3))
        let long = GenerationRequest(promptIDs: longPrompt, streamIDs: [5])
        let short = GenerationRequest(promptIDs: golden.prompts[0].ids, streamIDs: [6])
        let generator = try Generator(model: model, parameters: notebook, maxNewTokens: 10)
        var reported: [Int] = []
        let samples = try generator.generate([long, short]) { reported.append($0) }
        XCTAssertEqual(samples[0][0].stopReason, .contextFull)
        XCTAssertEqual(samples[0][0].ids.count, 4, "the window holds the prompt and 3 new tokens; the 4th is predicted from it")
        XCTAssertEqual(samples[1][0].stopReason, .maxNewTokens)
        XCTAssertEqual(samples[1][0].ids.count, 10)
        XCTAssertEqual(try generator.generate([short]), [samples[1]])
        XCTAssertEqual(reported, [1, 2], "progress reports finished samples as they finish")
        // Step by step, the tokens each sampling step drew: both rows, then the short one alone (a review: `generate`'s
        // bar of finished samples sat at 0 until the last step).
        var drawn: [Int] = []
        _ = try generator.generate([long, short], steps: { drawn.append($0) })
        XCTAssertEqual(drawn, [2, 2, 2, 2, 1, 1, 1, 1, 1, 1])
        XCTAssertEqual(drawn.reduce(0, +), samples.joined().map(\.ids.count).reduce(0, +))
    }

    func testInvalidRequestsAndSettingsAreTypedErrors() throws {
        let (model, _) = try load("models/tiny-gpt2")
        let generator = try Generator(model: model, parameters: notebook, maxNewTokens: 4)
        XCTAssertThrowsError(try generator.generate([GenerationRequest(promptIDs: [], streamIDs: [0])])) {
            XCTAssertEqual($0 as? GenerationError, .emptyPrompt(request: 0))
        }
        let tooLong = GenerationRequest(promptIDs: Array(repeating: 11, count: 129), streamIDs: [0])
        XCTAssertThrowsError(try generator.generate([tooLong])) {
            XCTAssertEqual($0 as? GenerationError, .promptTooLong(request: 0, length: 129, contextLength: 128))
        }
        XCTAssertThrowsError(try generator.generate([GenerationRequest(promptIDs: [50257], streamIDs: [0])])) {
            XCTAssertEqual($0 as? GPT2Error, .tokenOutOfRange(id: 50257, vocabularySize: 50257))
        }
        XCTAssertEqual(try generator.generate([GenerationRequest(promptIDs: [1], streamIDs: [])]), [[]])
        XCTAssertThrowsError(try Generator(model: model, parameters: notebook, maxNewTokens: 0)) {
            XCTAssertEqual($0 as? GenerationError, .invalidMaxNewTokens(0))
        }
        XCTAssertThrowsError(try Generator(model: model, parameters: SamplingParameters(temperature: 0), maxNewTokens: 4)) {
            XCTAssertEqual($0 as? SamplingError, .invalidTemperature(0))
        }
        XCTAssertThrowsError(
            try Generator(model: model, parameters: SamplingParameters(logitBias: [60000: -100]), maxNewTokens: 4)
        ) {
            XCTAssertEqual($0 as? GenerationError, .tokenOutOfVocabulary(id: 60000, vocabularySize: 50257, role: "logit bias"))
        }
    }

    func testStopReasonsEncodeWithSnakeCaseNames() throws {
        let sample = GeneratedSample(ids: [1, 2], stopReason: .endOfText)
        let json = String(decoding: try JSONEncoder().encode(sample), as: UTF8.self)
        XCTAssertTrue(json.contains(#""stop_reason":"end_of_text""#), json)
        XCTAssertEqual(try JSONDecoder().decode(GeneratedSample.self, from: Data(json.utf8)), sample)
        XCTAssertEqual(StopReason.contextFull.rawValue, "context_full")
        XCTAssertEqual(StopReason.maxNewTokens.rawValue, "max_new_tokens")
    }

    /// One generator serving calls of growing and shrinking shapes (its cache and logit rows are
    /// reused when big enough, replaced when not) gives what a fresh generator gives for each call.
    func testReusedGeneratorEqualsAFreshOneAcrossCallsOfDifferentShapes() throws {
        let (model, golden) = try load("models/tiny-gpt2")
        let reused = try Generator(model: model, parameters: notebook, maxNewTokens: 9)
        let calls: [[GenerationRequest]] = [
            [GenerationRequest(promptIDs: golden.prompts[0].ids, streamIDs: [0, 1])],
            golden.prompts.map { GenerationRequest(promptIDs: $0.ids, streamIDs: [3, 4, 5]) },
            [GenerationRequest(promptIDs: [golden.prompts[1].ids[0]], streamIDs: [6])],
            [GenerationRequest(promptIDs: golden.prompts[2].ids + golden.prompts[3].ids, streamIDs: [7, 8])],
        ]
        for (index, requests) in calls.enumerated() {
            let fresh = try Generator(model: model, parameters: notebook, maxNewTokens: 9).generate(requests)
            XCTAssertEqual(try reused.generate(requests), fresh, "call \(index)")
            XCTAssertEqual(reused.lastStatistics.decodeSteps, 8, "call \(index): 9 tokens take 8 decode steps")
        }
    }
}
