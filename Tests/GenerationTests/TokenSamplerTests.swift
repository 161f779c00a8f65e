import Foundation
import Generation
import XCTest

/// The fast sampler against the naive reference, and the draw's documented behaviour.
final class TokenSamplerTests: XCTestCase {
    /// Probabilities of the fast and naive samplers (different summation orders) agree to this.
    let probabilityTolerance: Float = 1e-6
    let vocabularySize = 50257

    private func candidates(_ logits: [Float], _ parameters: SamplingParameters) -> [(id: Int, probability: Float)] {
        let sampler = TokenSampler(parameters: parameters, vocabularySize: logits.count)
        return logits.withUnsafeBufferPointer { sampler.candidates(logits: $0) }
    }

    private func sample(_ logits: [Float], _ parameters: SamplingParameters, _ uniform: Double) -> Int {
        let sampler = TokenSampler(parameters: parameters, vocabularySize: logits.count)
        return logits.withUnsafeBufferPointer { sampler.sample(logits: $0, uniform: uniform)! }
    }

    /// Same ids in the same order, probabilities within tolerance; reports the first differences.
    private func assertSameCandidates(
        _ ours: [(id: Int, probability: Float)], _ reference: [(id: Int, probability: Float)], _ label: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(ours.count, reference.count, "\(label): kept count", file: file, line: line)
        var maxDifference: Float = 0
        var mismatches: [String] = []
        for (position, (mine, theirs)) in zip(ours, reference).enumerated() {
            maxDifference = max(maxDifference, abs(mine.probability - theirs.probability))
            if mine.id != theirs.id || abs(mine.probability - theirs.probability) > probabilityTolerance {
                mismatches.append("#\(position): \(mine) vs \(theirs)")
            }
        }
        XCTAssertTrue(
            mismatches.isEmpty,
            "\(label): \(mismatches.count) mismatches, max probability difference \(maxDifference); "
                + "first: \(mismatches.prefix(5))", file: file, line: line)
    }

    private let settings: [SamplingParameters] = [
        SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9),
        SamplingParameters(temperature: 1.0, topK: 0, topP: 0.9),
        SamplingParameters(temperature: 0.5, topK: 0, topP: 0.5),
        SamplingParameters(temperature: 1.3, topK: 500, topP: 0.95),
        SamplingParameters(temperature: 1.0, topK: 40, topP: 1),
        SamplingParameters(temperature: 2.0, topK: 0, topP: 0.999),
        SamplingParameters(temperature: 1.0, topK: 0, topP: 0),
        SamplingParameters(temperature: 0.8, topK: 0, topP: 1),
    ]

    func testMatchesNaiveReferenceOnRandomRows() {
        for seed: UInt64 in 1...3 {
            let logits = ReferenceSampler.randomLogits(count: vocabularySize, seed: seed)
            for parameters in settings {
                let label = "seed \(seed), t=\(parameters.temperature) k=\(parameters.topK) p=\(parameters.topP)"
                assertSameCandidates(
                    candidates(logits, parameters), ReferenceSampler.candidates(logits: logits, parameters: parameters),
                    label)
            }
        }
    }

    func testMatchesNaiveReferenceWithManyTiedLogits() {
        // Logits on a 0.25 grid: large groups of equal scores, so top-k and top-p cut through tie groups.
        let logits = ReferenceSampler.randomLogits(count: 3000, seed: 7, scale: 1.5, quantum: 0.25)
        let tiedSettings = settings + [
            SamplingParameters(temperature: 1, topK: 3, topP: 1),
            SamplingParameters(temperature: 1, topK: 0, topP: 0.3),
            SamplingParameters(temperature: 1, topK: 100, topP: 0.7),
        ]
        for parameters in tiedSettings {
            let label = "tied grid, t=\(parameters.temperature) k=\(parameters.topK) p=\(parameters.topP)"
            assertSameCandidates(
                candidates(logits, parameters), ReferenceSampler.candidates(logits: logits, parameters: parameters),
                label)
        }
    }

    func testSampleIsTheInverseCDFOverCandidates() {
        let logits = ReferenceSampler.randomLogits(count: vocabularySize, seed: 11, scale: 2)
        var stream = RandomStream(seed: 5, stream: 9)
        for parameters in settings {
            let sampler = TokenSampler(parameters: parameters, vocabularySize: logits.count)
            let kept = logits.withUnsafeBufferPointer { sampler.candidates(logits: $0) }
            let uniforms = [0, 0.5, 0.9999] + (0..<40).map { _ in stream.nextUniform() }
            for uniform in uniforms {
                let drawn = logits.withUnsafeBufferPointer { sampler.sample(logits: $0, uniform: uniform)! }
                XCTAssertEqual(
                    drawn, ReferenceSampler.draw(kept, uniform: uniform),
                    "t=\(parameters.temperature) k=\(parameters.topK) p=\(parameters.topP), u=\(uniform)")
            }
        }
    }

    func testInverseCDFBoundaries() {
        let logits: [Float] = [0.0, 2.0, 1.0, -1.0, 1.5]
        let parameters = SamplingParameters()
        let kept = candidates(logits, parameters)
        XCTAssertEqual(kept.map(\.id), [1, 4, 2, 0, 3], "descending probability order")
        XCTAssertEqual(sample(logits, parameters, 0), 1, "u = 0 picks the most probable token")
        XCTAssertEqual(sample(logits, parameters, 1.0.nextDown), 3, "u → 1 picks the last kept token")
        let first = Double(kept[0].probability)
        XCTAssertEqual(sample(logits, parameters, first * 0.999_999), 1, "just below the first boundary")
        XCTAssertEqual(sample(logits, parameters, first * 1.000_001), 4, "just above the first boundary")
        let topK = SamplingParameters(topK: 2)
        XCTAssertEqual(sample(logits, topK, 1.0.nextDown), 4, "u → 1 stays inside the top-k set")
    }

    func testTiesAreOrderedByIdAscending() {
        let logits: [Float] = [0, 3, 1, 3, 0, 3, 2]
        let kept = candidates(logits, SamplingParameters())
        XCTAssertEqual(kept.map(\.id), [1, 3, 5, 6, 2, 0, 4])
        XCTAssertEqual(kept[0].probability, kept[2].probability, "equal logits, equal probabilities")
    }

    func testTopKKeepsTiesAtTheThresholdAndLargeKIsOff() {
        let logits: [Float] = [3, 2, 2, 1, 2]
        XCTAssertEqual(candidates(logits, SamplingParameters(topK: 2)).map(\.id), [0, 1, 2, 4])
        XCTAssertEqual(candidates(logits, SamplingParameters(topK: 1)).map(\.id), [0])
        XCTAssertEqual(candidates(logits, SamplingParameters(topK: 99)).count, 5, "k beyond the vocabulary")
    }

    func testTopPZeroKeepsExactlyOneToken() {
        let logits = ReferenceSampler.randomLogits(count: vocabularySize, seed: 3)
        let kept = candidates(logits, SamplingParameters(topP: 0))
        XCTAssertEqual(kept.count, 1)
        XCTAssertEqual(kept.first?.id, logits.indices.max { logits[$0] < logits[$1] })
        XCTAssertEqual(kept.first?.probability, 1)
    }

    func testGreedyTakesTheFirstMaximum() {
        let greedy = SamplingParameters(greedy: true)
        XCTAssertEqual(sample([1, 5, 2, 5, 5], greedy, 0.7), 1)
        XCTAssertEqual(sample([9, 5, 9], greedy, 0), 0)
        XCTAssertEqual(candidates([1, 5, 2, 5], greedy).map(\.id), [1])
        let biased = SamplingParameters(greedy: true, logitBias: [3: 0.5])
        XCTAssertEqual(sample([1, 5, 2, 5], biased, 0), 3, "logit bias applies to greedy decoding")
    }

    func testLogitBiasIsAddedBeforeTemperature() {
        let parameters = SamplingParameters(temperature: 2, logitBias: [1: 2])
        let kept = candidates([0, 0], parameters)
        // (0 + 2) / 2 = 1 against 0: p = e / (1 + e). Bias after temperature would give e² / (1 + e²).
        let expected = Float(exp(1.0) / (1 + exp(1.0)))
        XCTAssertEqual(kept.first?.id, 1)
        XCTAssertEqual(kept.first?.probability ?? 0, expected, accuracy: probabilityTolerance)
        let banned = SamplingParameters(logitBias: [0: -.infinity])
        XCTAssertEqual(sample([5, 1, 0], banned, 0), 1, "an −∞ bias bans the token")
    }

    func testDrawFrequenciesMatchProbabilities() {
        let logits: [Float] = [1.2, 0.3, -0.5, 0.9, -2.0, 0.0]
        let parameters = SamplingParameters(temperature: 0.9, topP: 0.95)
        let sampler = TokenSampler(parameters: parameters, vocabularySize: logits.count)
        let kept = logits.withUnsafeBufferPointer { sampler.candidates(logits: $0) }
        let draws = 60_000
        var counts: [Int: Int] = [:]
        var stream = RandomStream(seed: 2024, stream: 1)
        logits.withUnsafeBufferPointer { row in
            for _ in 0..<draws {
                counts[sampler.sample(logits: row, uniform: stream.nextUniform())!, default: 0] += 1
            }
        }
        XCTAssertEqual(Set(counts.keys), Set(kept.map(\.id)), "only kept tokens are drawn")
        let chiSquare = kept.reduce(0.0) { sum, candidate in
            let expected = Double(draws) * Double(candidate.probability)
            let observed = Double(counts[candidate.id, default: 0])
            return sum + (observed - expected) * (observed - expected) / expected
        }
        // Degrees of freedom = kept - 1 (≤ 5); 30 is far beyond the 0.9999 quantile (≈ 25.7 for 5).
        let chiSquareLimit = 30.0
        XCTAssertLessThan(chiSquare, chiSquareLimit, "χ² = \(chiSquare) over \(kept.count) tokens, counts \(counts)")
    }

    func testFullDistributionIsSortedAndMatchesNextTokenDistribution() {
        let logits = ReferenceSampler.randomLogits(count: vocabularySize, seed: 21)
        let kept = candidates(logits, SamplingParameters())
        let distribution = logits.withUnsafeBufferPointer { nextTokenDistribution(logits: $0) }
        XCTAssertEqual(kept.count, vocabularySize)
        XCTAssertEqual(kept.map(\.id), distribution.map(\.id), "same order as the plain softmax listing")
        let expectedOrder = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        XCTAssertEqual(kept.map(\.id), expectedOrder, "descending logit, ties by id")
        var maxDifference: Float = 0
        for (candidate, entry) in zip(kept, distribution) {
            maxDifference = max(maxDifference, abs(candidate.probability - entry.probability))
            XCTAssertEqual(entry.logit, logits[entry.id])
        }
        XCTAssertLessThanOrEqual(maxDifference, probabilityTolerance, "max probability difference \(maxDifference)")
        let total = distribution.reduce(0.0) { $0 + Double($1.probability) }
        XCTAssertEqual(total, 1, accuracy: 1e-4)
    }

    func testSamplerReuseGivesTheSameResultsAsFreshSamplers() {
        let parameters = SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9)
        let sampler = TokenSampler(parameters: parameters, vocabularySize: vocabularySize)
        for seed: UInt64 in 30...33 {
            let logits = ReferenceSampler.randomLogits(count: vocabularySize, seed: seed)
            let reused = logits.withUnsafeBufferPointer { sampler.candidates(logits: $0) }
            assertSameCandidates(reused, candidates(logits, parameters), "row \(seed) through a reused sampler")
        }
    }
}
