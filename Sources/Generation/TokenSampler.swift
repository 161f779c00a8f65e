import Foundation

/// Turns one row of logits into a token: greedy argmax, or Hugging Face's warpers (logit bias →
/// `TemperatureLogitsWarper` → `TopKLogitsWarper` → `TopPLogitsWarper`, transformers v5.x) followed by
/// an inverse-CDF draw over the surviving tokens.
///
/// The draw walks the kept tokens in descending probability (descending warped logit, ties by ascending
/// id) and returns the first whose running probability sum exceeds `uniform · total`, so two nearly
/// equal distributions given the same uniform pick the same token (common random numbers).
///
/// Speed: no full sort of the vocabulary. Top-k finds its threshold with a bounded heap; without top-k a
/// histogram of probability mass over logit bins picks the head of the distribution that should hold
/// the top-p boundary (or the draw point), and only that head is sorted. The walk over it proves it was
/// enough (it stops at a removed token inside it, or no probability lies beyond it); otherwise the head
/// is widened and walked again.
/// All scratch memory is allocated once, in `init`: `sample` allocates nothing. A sampler is not
/// thread-safe; use one per thread.
public final class TokenSampler {
    /// The parameters this sampler applies.
    public let parameters: SamplingParameters
    /// The number of logits in every row.
    public let vocabularySize: Int

    let bias: [(id: Int, value: Float)]
    let topK: Int
    let topPThreshold: Float?
    let scratch: SamplerScratch

    /// Creates a sampler for rows of `vocabularySize` logits.
    /// - Parameters:
    ///   - parameters: validated sampling parameters (see `SamplingParameters.validate()`).
    ///   - vocabularySize: the number of logits in every row; every logit-bias id must lie below it.
    public init(parameters: SamplingParameters, vocabularySize: Int) {
        precondition(vocabularySize > 0, "TokenSampler needs a non-empty vocabulary")
        for id in parameters.logitBias.keys {
            precondition(
                (0..<vocabularySize).contains(id),
                "logit bias names token id \(id), outside the vocabulary 0..<\(vocabularySize)")
        }
        self.parameters = parameters
        self.vocabularySize = vocabularySize
        bias = parameters.logitBias.map { (id: $0.key, value: $0.value) }.sorted { $0.id < $1.id }
        topK = parameters.topKIsActive(vocabularySize: vocabularySize) ? parameters.topK : 0
        topPThreshold = parameters.topPIsActive ? TokenSampler.removalThreshold(topP: parameters.topP) : nil
        scratch = SamplerScratch(vocabularySize: vocabularySize, heapCapacity: max(topK, 1))
    }

    /// The kept tokens with their renormalised probabilities, in descending probability (descending
    /// warped logit, ties by ascending id). Greedy parameters give the argmax with probability 1; with
    /// neither top-k nor top-p every token is listed.
    /// - Parameter logits: one row of `vocabularySize` raw logits.
    public func candidates(logits: UnsafeBufferPointer<Float>) -> [(id: Int, probability: Float)] {
        precondition(logits.count == vocabularySize, "expected \(vocabularySize) logits, got \(logits.count)")
        if parameters.greedy {
            return [(greedyToken(logits: logits), 1)]
        }
        let maximum = applyBiasAndTemperature(
            logits: logits, bias: bias, temperature: parameters.temperature, into: scratch.scaled)
        let count = selectKept(maximum: maximum)
        return (0..<count).map { (Int(scratch.keptIDs[$0]), scratch.keptProbabilities[$0]) }
    }

    /// Chooses the next token.
    /// - Parameters:
    ///   - logits: one row of `vocabularySize` raw logits.
    ///   - uniform: a uniform number in [0, 1), e.g. `RandomStream.nextUniform()`; ignored when greedy.
    /// - Returns: greedy → the argmax (lowest id among ties); otherwise the inverse-CDF draw for `uniform`,
    ///   falling back to the last kept token of nonzero probability when rounding leaves `uniform`
    ///   beyond the summed probabilities. `nil` when the row has no finite maximum (a model that
    ///   produced NaN or infinite logits): there is no distribution to draw from.
    public func sample(logits: UnsafeBufferPointer<Float>, uniform: Double) -> Int? {
        precondition(logits.count == vocabularySize, "expected \(vocabularySize) logits, got \(logits.count)")
        if parameters.greedy {
            let token = greedyToken(logits: logits)
            return logits[token].isFinite ? token : nil
        }
        precondition(uniform >= 0 && uniform < 1, "uniform must lie in [0, 1), got \(uniform)")
        let maximum = applyBiasAndTemperature(
            logits: logits, bias: bias, temperature: parameters.temperature, into: scratch.scaled)
        guard maximum.isFinite else { return nil }
        if topK == 0 && topPThreshold == nil {
            return drawFromFullDistribution(maximum: maximum, uniform: uniform)
        }
        let count = selectKept(maximum: maximum)
        return drawFromKept(count: count, uniform: uniform)
    }

    /// argmax of `logits + bias`; the first maximal index wins, like `torch.argmax`.
    func greedyToken(logits: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        var bestValue = -Float.infinity
        var biasIndex = 0
        for index in 0..<logits.count {
            var value = logits[index]
            if biasIndex < bias.count && bias[biasIndex].id == index {
                value += bias[biasIndex].value
                biasIndex += 1
            }
            if value > bestValue {
                bestValue = value
                best = index
            }
        }
        return best
    }

    /// Inverse CDF over `scratch.kept*[0..<count]`.
    private func drawFromKept(count: Int, uniform: Double) -> Int {
        var total = 0.0
        for index in 0..<count {
            total += Double(scratch.keptProbabilities[index])
        }
        let target = uniform * total
        var cumulative = 0.0
        var lastPositive = Int(scratch.keptIDs[0])
        for index in 0..<count {
            let probability = scratch.keptProbabilities[index]
            guard probability > 0 else { continue }
            cumulative += Double(probability)
            lastPositive = Int(scratch.keptIDs[index])
            if cumulative > target {
                return lastPositive
            }
        }
        return lastPositive
    }

    /// `1 - top_p` as transformers compares it: the flag's decimal value as a Python float (the shortest
    /// decimal that round-trips the Float, e.g. 0.9 rather than 0.899999976), subtracted in double, then
    /// rounded to float32 because the cumulative probabilities it is compared with are float32.
    static func removalThreshold(topP: Float) -> Float {
        let decimal = Double(String(describing: topP)) ?? Double(topP)
        return Float(1 - decimal)
    }
}

extension TokenSampler {
    /// Runs top-k and top-p over the warped logits in `scratch.scaled` and writes the kept tokens, in
    /// candidate order, with their renormalised probabilities to `scratch.kept*`.
    /// - Returns: the number of kept tokens (at least 1).
    func selectKept(maximum: Float) -> Int {
        precondition(maximum.isFinite, "the logit row has no finite maximum (all −∞, +∞ or NaN)")
        let scaled = scratch.scaled
        let weights = scratch.weights
        let keys = scratch.keys
        if topK > 0 {
            let cutoff = kthLargest(scaled, count: vocabularySize, k: topK, heap: scratch.heap)
            var count = 0
            var normalizer = 0.0
            var block = 0
            while block < vocabularySize {
                let end = min(block + 8, vocabularySize)
                if end - block == 8 && blockMaximum(scaled, block) < cutoff {
                    block = end
                    continue
                }
                for index in block..<end where scaled[index] >= cutoff {
                    keys[count] = candidateKey(value: scaled[index], id: index)
                    count += 1
                    let weight = MassHistogram.weight(scaled[index], maximum: maximum)
                    weights[index] = weight
                    normalizer += Double(weight)
                }
                block = end
            }
            sortKeys(keys, count: count)
            guard let threshold = topPThreshold else {
                return keepAll(count: count, normalizer: normalizer)
            }
            var candidateMass = 0.0
            for position in 0..<count {
                candidateMass += Double(Float(Double(weights[candidateID(keys[position])]) / normalizer))
            }
            guard
                let kept = nucleus(
                    keys: keys, count: count, scaled: scaled, weights: weights, normalizer: normalizer,
                    total: candidateMass, threshold: threshold, complete: true, keptIDs: scratch.keptIDs)
            else {
                preconditionFailure("the top-p walk over a complete candidate set always ends")
            }
            return renormalizeKept(count: kept)
        }
        let normalizer = fillWeightsAndHistogram(maximum: maximum)
        guard let threshold = topPThreshold else {
            let count = gatherCandidates(maximum: maximum, binsAfter: -1, through: MassHistogram.lastBin, into: 0)
            return keepAll(count: count, normalizer: normalizer)
        }
        var lastBin = firstBin(normalizer: normalizer) { belowMass, _ in
            belowMass < Double(threshold) - MassHistogram.margin
        }
        var gatheredBins = -1
        var count = 0
        var candidateMass = 0.0
        while true {
            let start = count
            count = gatherCandidates(maximum: maximum, binsAfter: gatheredBins, through: lastBin, into: start)
            for position in start..<count {
                candidateMass += Double(Float(Double(weights[candidateID(keys[position])]) / normalizer))
            }
            // Tokens of zero probability never survive top-p (their cumulative probability is 0 ≤ 1 - top_p),
            // so the candidates are complete once no mass lies beyond them.
            let belowMass = massBeyond(bin: lastBin)
            if let kept = nucleus(
                keys: keys, count: count, scaled: scaled, weights: weights, normalizer: normalizer,
                total: belowMass / normalizer + candidateMass, threshold: threshold,
                complete: belowMass == 0, keptIDs: scratch.keptIDs)
            {
                return renormalizeKept(count: kept)
            }
            gatheredBins = lastBin
            lastBin = MassHistogram.widen(lastBin)
        }
    }

    /// The inverse-CDF draw from the untruncated softmax (neither top-k nor top-p), sorting only as
    /// much of the head of the distribution as the draw reaches.
    func drawFromFullDistribution(maximum: Float, uniform: Double) -> Int {
        precondition(maximum.isFinite, "the logit row has no finite maximum (all −∞, +∞ or NaN)")
        let normalizer = fillWeightsAndHistogram(maximum: maximum)
        let weights = scratch.weights
        let keys = scratch.keys
        var total = 0.0
        for index in 0..<vocabularySize {
            total += Double(Float(Double(weights[index]) / normalizer))
        }
        let target = uniform * total
        var lastBin = firstBin(normalizer: normalizer) { _, headMass in headMass > target + MassHistogram.margin }
        var gatheredBins = -1
        var count = 0
        var cumulative = 0.0
        var lastPositive = -1
        while true {
            let start = count
            count = gatherCandidates(maximum: maximum, binsAfter: gatheredBins, through: lastBin, into: start)
            for position in start..<count {
                let id = candidateID(keys[position])
                let probability = Float(Double(weights[id]) / normalizer)
                guard probability > 0 else { continue }
                cumulative += Double(probability)
                lastPositive = id
                if cumulative > target {
                    return id
                }
            }
            if massBeyond(bin: lastBin) == 0 {
                return lastPositive
            }
            gatheredBins = lastBin
            lastBin = MassHistogram.widen(lastBin)
        }
    }

    /// Fills `scratch.weights` with `exp(scaled - maximum)` and `scratch.binMass` with their sums per
    /// logit bin.
    /// - Returns: the softmax normaliser, the sum of all weights.
    private func fillWeightsAndHistogram(maximum: Float) -> Double {
        let binMass = scratch.binMass
        binMass.update(repeating: 0, count: MassHistogram.binCount)
        var normalizer = 0.0
        for index in 0..<vocabularySize {
            let value = scratch.scaled[index]
            let weight = MassHistogram.weight(value, maximum: maximum)
            scratch.weights[index] = weight
            binMass[MassHistogram.bin(of: value, maximum: maximum)] += Double(weight)
            normalizer += Double(weight)
        }
        return normalizer
    }

    /// The first bin `b` for which `accept(mass below bin b, mass of bins 0...b)` holds (both as
    /// fractions of the normaliser), or the last bin.
    private func firstBin(normalizer: Double, accept: (Double, Double) -> Bool) -> Int {
        var headMass = 0.0
        for bin in 0..<MassHistogram.lastBin {
            headMass += scratch.binMass[bin]
            if accept((normalizer - headMass) / normalizer, headMass / normalizer) {
                return bin
            }
        }
        return MassHistogram.lastBin
    }

    /// The softmax mass (unnormalised) of the bins after `bin`.
    private func massBeyond(bin: Int) -> Double {
        var mass = 0.0
        for later in stride(from: MassHistogram.lastBin, to: bin, by: -1) {
            mass += scratch.binMass[later]
        }
        return mass
    }

    /// Appends the keys of the tokens in bins `(binsAfter, through]` at `keys[start...]`, sorted.
    /// Bins are monotone in the warped logit, so each appended run sorts after everything before it.
    /// - Returns: the new candidate count.
    private func gatherCandidates(maximum: Float, binsAfter: Int, through lastBin: Int, into start: Int) -> Int {
        var count = start
        let scaled = scratch.scaled
        // Bins are monotone in the value, so a block of eight whose largest value lies past `lastBin`
        // holds no candidate.
        var block = 0
        while block < vocabularySize {
            let end = min(block + 8, vocabularySize)
            if end - block == 8 && lastBin < MassHistogram.lastBin
                && MassHistogram.bin(of: blockMaximum(scaled, block), maximum: maximum) > lastBin
            {
                block = end
                continue
            }
            for index in block..<end {
                let value = scaled[index]
                let bin = MassHistogram.bin(of: value, maximum: maximum)
                if bin > binsAfter && bin <= lastBin {
                    scratch.keys[count] = candidateKey(value: value, id: index)
                    count += 1
                }
            }
            block = end
        }
        sortKeys(scratch.keys + start, count: count - start)
        return count
    }

    /// Keeps every candidate; `normalizer` is the sum of their weights.
    private func keepAll(count: Int, normalizer: Double) -> Int {
        for position in 0..<count {
            let id = candidateID(scratch.keys[position])
            scratch.keptIDs[position] = Int32(id)
            scratch.keptProbabilities[position] = Float(Double(scratch.weights[id]) / normalizer)
        }
        return count
    }

    /// The final softmax over the kept tokens (transformers' softmax of the masked scores).
    private func renormalizeKept(count: Int) -> Int {
        var normalizer = 0.0
        for position in 0..<count {
            normalizer += Double(scratch.weights[Int(scratch.keptIDs[position])])
        }
        for position in 0..<count {
            let weight = scratch.weights[Int(scratch.keptIDs[position])]
            scratch.keptProbabilities[position] = Float(Double(weight) / normalizer)
        }
        return count
    }
}

/// Scratch memory of a `TokenSampler`, allocated once.
final class SamplerScratch {
    /// Warped logits, one per token.
    let scaled: UnsafeMutablePointer<Float>
    /// `exp(scaled - max)`, valid for the current candidates.
    let weights: UnsafeMutablePointer<Float>
    /// Candidate sort keys (`candidateKey`).
    let keys: UnsafeMutablePointer<UInt64>
    /// Kept token ids, in candidate order.
    let keptIDs: UnsafeMutablePointer<Int32>
    /// Renormalised probabilities of the kept tokens.
    let keptProbabilities: UnsafeMutablePointer<Float>
    /// The top-k heap.
    let heap: UnsafeMutablePointer<Float>
    /// Softmax mass per logit bin.
    let binMass: UnsafeMutablePointer<Double>

    init(vocabularySize: Int, heapCapacity: Int) {
        scaled = .allocate(capacity: vocabularySize)
        weights = .allocate(capacity: vocabularySize)
        keys = .allocate(capacity: vocabularySize)
        keptIDs = .allocate(capacity: vocabularySize)
        keptProbabilities = .allocate(capacity: vocabularySize)
        heap = .allocate(capacity: heapCapacity)
        binMass = .allocate(capacity: MassHistogram.binCount)
    }

    deinit {
        scaled.deallocate()
        weights.deallocate()
        keys.deallocate()
        keptIDs.deallocate()
        keptProbabilities.deallocate()
        heap.deallocate()
        binMass.deallocate()
    }
}
