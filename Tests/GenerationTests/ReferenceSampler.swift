import Foundation
import Generation

/// The naive sampler the fast `TokenSampler` must agree with: transformers' warpers written the obvious
/// way, with a full stable sort of the vocabulary (as `torch.sort` on the CPU) and no candidate tricks.
enum ReferenceSampler {
    /// Kept tokens and renormalised probabilities, sorted by descending warped logit, ties by id.
    static func candidates(logits: [Float], parameters: SamplingParameters) -> [(id: Int, probability: Float)] {
        var scores = logits
        for (id, bias) in parameters.logitBias {
            scores[id] += bias
        }
        scores = scores.map { $0 / parameters.temperature }
        let negativeInfinity = -Float.infinity
        if parameters.topK > 0 && parameters.topK < scores.count {
            let kth = scores.sorted(by: >)[parameters.topK - 1]
            scores = scores.map { $0 < kth ? negativeInfinity : $0 }
        }
        if parameters.topP < 1 {
            let ascending = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 < $1 }
            let probabilities = softmax(scores)
            let threshold = Float(1 - Double(String(describing: parameters.topP))!)
            var cumulative = 0.0
            var removed = Set<Int>()
            for (position, id) in ascending.enumerated() {
                cumulative += Double(probabilities[id])
                if Float(cumulative) <= threshold && position != ascending.count - 1 {
                    removed.insert(id)
                }
            }
            for id in removed {
                scores[id] = negativeInfinity
            }
        }
        let probabilities = softmax(scores)
        return scores.indices
            .filter { scores[$0] > negativeInfinity }
            .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            .map { ($0, probabilities[$0]) }
    }

    /// The inverse-CDF draw over an ordered candidate list: the first token whose running sum exceeds
    /// `uniform · total`, else the last token of nonzero probability.
    static func draw(_ candidates: [(id: Int, probability: Float)], uniform: Double) -> Int {
        let total = candidates.reduce(0.0) { $0 + Double($1.probability) }
        let target = uniform * total
        var cumulative = 0.0
        var lastPositive = candidates[0].id
        for candidate in candidates where candidate.probability > 0 {
            cumulative += Double(candidate.probability)
            lastPositive = candidate.id
            if cumulative > target {
                return candidate.id
            }
        }
        return lastPositive
    }

    static func softmax(_ scores: [Float]) -> [Float] {
        let maximum = scores.max()!
        let weights = scores.map { Double(expf($0 - maximum)) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }

    /// Deterministic pseudo-normal logits with GPT-2-like spread.
    static func randomLogits(count: Int, seed: UInt64, scale: Float = 3, quantum: Float? = nil) -> [Float] {
        var stream = RandomStream(seed: seed, stream: 0)
        return (0..<count).map { _ in
            let u1 = max(stream.nextUniform(), 1e-300)
            let u2 = stream.nextUniform()
            let normal = Float(sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)) * scale
            guard let quantum else { return normal }
            return (normal / quantum).rounded() * quantum
        }
    }
}
