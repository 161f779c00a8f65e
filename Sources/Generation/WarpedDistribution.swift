/// What the sampling warpers do to one row of logits, stage by stage, as the seed notebook's manual
/// top-k/top-p section shows it: the temperature softmax over the whole vocabulary, the tokens top-k
/// keeps (renormalised), and the tokens top-p then keeps (renormalised: the distribution a sample is
/// drawn from).
///
/// Every stage is computed by a `TokenSampler` (temperature only; temperature and top-k; all three),
/// so these are exactly the probabilities `generate` and `run` draw from, in Hugging Face's order
/// (`TemperatureLogitsWarper` → `TopKLogitsWarper` → `TopPLogitsWarper`).
public struct WarpedDistribution: Sendable {
    /// Why a token cannot be sampled.
    public enum Removal: String, Sendable, Codable {
        /// Ranked below the k-th token.
        case topK = "top_k"
        /// Outside the smallest head whose mass reaches top-p.
        case topP = "top_p"
    }

    /// The parameters applied (greedy is ignored: the stages are those of sampling).
    public let parameters: SamplingParameters
    /// softmax(logits / temperature), one entry per token id.
    public let temperatureProbabilities: [Float]
    /// The distribution top-p sees: the temperature softmax renormalised over the top-k survivors
    /// (every token when top-k is off); 0 for removed tokens. One entry per token id.
    public let afterTopK: [Float]
    /// The distribution samples are drawn from: renormalised over the final survivors; 0 for removed
    /// tokens. One entry per token id.
    public let final: [Float]
    /// The survivors in descending probability (descending warped logit, ties by ascending id).
    public let kept: [Int]
    /// How many tokens survive top-k (the vocabulary size when top-k is off).
    public let keptByTopK: Int
    private let survivesTopK: [Bool]
    private let survivesAll: [Bool]

    /// Runs the warper stages over one row of raw logits.
    /// - Parameters:
    ///   - logits: one logit per vocabulary entry, with a finite maximum.
    ///   - parameters: validated parameters (`SamplingParameters.validate()`); `greedy` is ignored.
    public init(logits: [Float], parameters: SamplingParameters) {
        var sampling = parameters
        sampling.greedy = false
        self.parameters = sampling
        let vocabularySize = logits.count
        func stage(topK: Int, topP: Float) -> [(id: Int, probability: Float)] {
            var stageParameters = sampling
            stageParameters.topK = topK
            stageParameters.topP = topP
            let sampler = TokenSampler(parameters: stageParameters, vocabularySize: vocabularySize)
            return logits.withUnsafeBufferPointer { sampler.candidates(logits: $0) }
        }
        func dense<Value>(_ entries: [(id: Int, probability: Float)], _ empty: Value, _ value: (Float) -> Value) -> [Value] {
            var values = [Value](repeating: empty, count: vocabularySize)
            for entry in entries { values[entry.id] = value(entry.probability) }
            return values
        }
        temperatureProbabilities = dense(stage(topK: 0, topP: 1), 0) { $0 }
        let topKSurvivors = stage(topK: sampling.topK, topP: 1)
        afterTopK = dense(topKSurvivors, 0) { $0 }
        survivesTopK = dense(topKSurvivors, false) { _ in true }
        keptByTopK = topKSurvivors.count
        let survivors = stage(topK: sampling.topK, topP: sampling.topP)
        final = dense(survivors, 0) { $0 }
        survivesAll = dense(survivors, false) { _ in true }
        kept = survivors.map(\.id)
    }

    /// Which warper removed token `id`, or nil when it survives.
    public func removal(of id: Int) -> Removal? {
        if survivesAll[id] { return nil }
        return survivesTopK[id] ? .topP : .topK
    }

    /// The softmax-at-temperature mass of the survivors: how much of the temperature distribution
    /// sampling keeps.
    public var keptTemperatureMass: Double {
        kept.reduce(0) { $0 + Double(temperatureProbabilities[$1]) }
    }
}
