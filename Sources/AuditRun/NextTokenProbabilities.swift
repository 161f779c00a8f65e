import AuditResults
import Foundation
import GPT2
import Generation
import Tokenizers

/// Exact next-token quantities: one forward pass over a prompt, no sampling noise.
public enum NextTokenProbabilities {
    /// The logits at the last position of `promptIDs` (one prefill; only the last row reaches the LM head).
    /// - Throws: `GPT2Error` for an empty prompt or one longer than the context;
    ///   `GenerationError.nonFiniteLogits` when a logit is NaN or infinite (see ``checkFinite(_:)``).
    public static func lastLogits(model: GPT2Model, promptIDs: [Int]) throws -> [Float] {
        let cache = KVCache(configuration: model.configuration, rows: 1, capacity: max(1, promptIDs.count))
        var logits = [Float](repeating: 0, count: model.configuration.vocabularySize)
        try logits.withUnsafeMutableBufferPointer { out in
            try model.prefill(tokens: promptIDs, row: 0, cache: cache, logitsOut: out)
        }
        try checkFinite(logits)
        return logits
    }

    /// Refuses logits that are NaN or infinite, as `generate` does: a hostile review found `next-token` printing
    /// NaN probabilities (exit 0) for a model whose weights overflow, and trapping (exit 132) once a warper was
    /// asked for; no distribution can be read from such a row.
    /// - Throws: `GenerationError.nonFiniteLogits`.
    public static func checkFinite(_ logits: [Float]) throws {
        guard logits.allSatisfy(\.isFinite) else { throw GenerationError.nonFiniteLogits }
    }

    /// The last-position logits of several prompts, computed in one batched prefill (one matrix product
    /// per layer over all their tokens) instead of one forward pass each.
    /// - Returns: one row of `vocabularySize` logits per prompt, in order.
    /// - Throws: `GPT2Error` for an empty prompt or one longer than the context;
    ///   `GenerationError.nonFiniteLogits` when a logit is NaN or infinite.
    public static func lastLogits(model: GPT2Model, prompts: [[Int]]) throws -> [[Float]] {
        guard !prompts.isEmpty else { return [] }
        let vocabulary = model.configuration.vocabularySize
        let longest = prompts.map(\.count).max() ?? 1
        let cache = KVCache(configuration: model.configuration, rows: prompts.count, capacity: max(1, longest))
        var logits = [Float](repeating: 0, count: prompts.count * vocabulary)
        try logits.withUnsafeMutableBufferPointer { out in
            try model.prefill(prompts: prompts, rows: Array(prompts.indices), cache: cache, logitsOut: out)
        }
        try checkFinite(logits)
        return prompts.indices.map { Array(logits[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }
    }

    /// Whether `promptCount` prompt tokens followed by a text of `textCount` tokens can be scored in one context window:
    /// P(text | prompt) reads the prompt and every token of the text but its last, `promptCount + textCount − 1` positions.
    public static func continuationFits(promptCount: Int, textCount: Int, contextLength: Int) -> Bool {
        textCount <= 1 || textCount - 1 <= contextLength - promptCount
    }

    /// log P(`continuation[1...]` | `promptIDs` + `continuation[0]`): the sum over i ≥ 1 of
    /// log softmax(logits after `promptIDs` + `continuation[..<i]`)[`continuation[i]`], in Double, from one forward pass over
    /// `promptIDs` + `continuation` without its last token (each position's logits are those of its prefix alone, since
    /// attention is causal). Work and memory are linear in the text: a hostile review found a 100,000-character
    /// `next-token --token` building a prompt per prefix (9.8 GB) before it was refused as too long.
    /// Add log P(`continuation[0]` | `promptIDs`) for the whole text's probability.
    /// - Throws: `GPT2Error.contextFull` when they do not fit (see ``continuationFits(promptCount:textCount:contextLength:)``),
    ///   before any forward pass; `GenerationError.nonFiniteLogits` when a logit is NaN or infinite.
    public static func continuationLogProbability(model: GPT2Model, promptIDs: [Int], continuation: [Int]) throws -> Double {
        guard continuation.count > 1 else { return 0 }
        let context = model.configuration.contextLength
        guard continuationFits(promptCount: promptIDs.count, textCount: continuation.count, contextLength: context) else {
            throw GPT2Error.contextFull(row: 0, position: context, limit: context)
        }
        let sequence = promptIDs + continuation.dropLast()
        var total = 0.0
        try model.forEachLogitsRow(tokens: sequence, from: promptIDs.count) { position, row in
            guard row.allSatisfy(\.isFinite) else { throw GenerationError.nonFiniteLogits }
            total += logSoftmax(row, continuation[position - promptIDs.count + 1])
        }
        return total
    }

    /// log softmax(logits)[id], in Double.
    public static func logSoftmax(_ logits: UnsafeBufferPointer<Float>, _ id: Int) -> Double {
        let maximum = Double(logits.max() ?? 0)
        let total = logits.reduce(0.0) { $0 + exp(Double($1) - maximum) }
        return Double(logits[id]) - maximum - log(total)
    }

    /// The full softmax after `promptIDs`, most probable first (what `next-token` prints).
    public static func distribution(model: GPT2Model, promptIDs: [Int]) throws -> [NextTokenProbability] {
        let logits = try lastLogits(model: model, promptIDs: promptIDs)
        return logits.withUnsafeBufferPointer { nextTokenDistribution(logits: $0) }
    }
}

/// The token ids of the male and female pronouns that can follow a prompt, and the exact log-odds
/// log P(male) − log P(female) of the next token.
///
/// The sets hold the single-token forms with and without a leading space and capitalised:
/// " he", " him", " his", " himself", " He", … and " she", " her", " hers", " herself", " She", ….
public struct PronounTokens: Sendable {
    /// Male pronoun token ids.
    public let male: [Int]
    /// Female pronoun token ids.
    public let female: [Int]

    /// The pronoun words whose single-token forms are summed.
    public static let maleWords = AuditMetric.logOddsMaleWords
    /// See ``maleWords``.
    public static let femaleWords = AuditMetric.logOddsFemaleWords

    /// Finds the single-token forms of the pronouns in `tokenizer`'s vocabulary.
    public init(tokenizer: GPT2Tokenizer) {
        func ids(_ words: [String]) -> [Int] {
            let forms = words.flatMap { [$0, " " + $0, $0.capitalized, " " + $0.capitalized] }
            return Set(forms.map(tokenizer.encode).filter { $0.count == 1 }.map { $0[0] }).sorted()
        }
        male = ids(Self.maleWords)
        female = ids(Self.femaleWords)
    }

    /// Total male and female probability of the next token, from one row of logits (softmax in Double).
    public func probabilities(logits: [Float]) -> (male: Double, female: Double) {
        let maximum = Double(logits.max() ?? 0)
        var total = 0.0
        for logit in logits { total += exp(Double(logit) - maximum) }
        func mass(_ ids: [Int]) -> Double {
            ids.reduce(0) { $0 + exp(Double(logits[$1]) - maximum) } / total
        }
        return (mass(male), mass(female))
    }
}
