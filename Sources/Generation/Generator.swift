import GPT2

/// Samples completions from a `GPT2Model`: every prompt is computed once, its KV-cache row is copied
/// to one row per sample, and then all live samples of all prompts advance together, one batched
/// decode step (one matrix product per layer) per new token.
///
/// Each sample draws exactly one uniform per step from its own
/// `RandomStream(seed: parameters.seed, stream: streamID)` and turns it into a token with a
/// `TokenSampler` (argmax when `parameters.greedy`). So a sample is the same whether it is generated
/// alone or in a batch, and counterfactual prompts given the same stream ids share random numbers.
///
/// A sample stops at the end-of-text token (not included in its ids) unless `stopAtEndOfText` is
/// false, after `maxNewTokens` tokens, or when prompt plus sample fill the context window.
/// Rows are sampled in parallel on `ComputePool.shared`, one `TokenSampler` per pool thread; a row's
/// token depends only on its logits and its uniform, never on the thread that drew it.
/// A generator keeps scratch memory and is not thread-safe; use one per thread (the model can be shared).
public final class Generator {
    /// The model that computes the logits.
    public let model: GPT2Model
    /// How tokens are chosen from the logits, and the run seed.
    public let parameters: SamplingParameters
    /// The most tokens one sample may have.
    public let maxNewTokens: Int
    /// The end-of-text token id (50256 for GPT-2), or nil when no token ends a sample.
    public let endOfTextID: Int?
    /// Whether the end-of-text token ends a sample (false: run to `maxNewTokens`, keeping it as a token).
    public let stopAtEndOfText: Bool

    /// Where the time of the most recent `generate` call went.
    public private(set) var lastStatistics = GenerationStatistics()

    private let samplers: [TokenSampler]
    private let pool = ComputePool.shared
    /// The KV cache and logit rows of the last call, kept for the next: an audit calls `generate`
    /// many times with similar shapes, and fresh gigabyte-sized buffers cost page faults on first touch.
    private var cache: KVCache?
    private var logits = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)

    /// Prepares a generator.
    /// - Parameters:
    ///   - model: the model; it is not copied.
    ///   - parameters: sampling parameters, validated here.
    ///   - maxNewTokens: the most tokens per sample, at least 1.
    ///   - endOfTextID: the token that ends a sample; GPT-2's `<|endoftext|>` by default.
    ///   - stopAtEndOfText: false to run every sample to `maxNewTokens`, keeping any end-of-text token
    ///     as an ordinary token.
    /// - Throws: `SamplingError` for out-of-range parameters, `GenerationError` for a non-positive
    ///   `maxNewTokens` or a token id outside the vocabulary.
    public init(
        model: GPT2Model, parameters: SamplingParameters, maxNewTokens: Int,
        endOfTextID: Int? = 50256, stopAtEndOfText: Bool = true
    ) throws {
        try parameters.validate()
        let vocabularySize = model.configuration.vocabularySize
        guard maxNewTokens >= 1 else { throw GenerationError.invalidMaxNewTokens(maxNewTokens) }
        for id in parameters.logitBias.keys where !(0..<vocabularySize).contains(id) {
            throw GenerationError.tokenOutOfVocabulary(id: id, vocabularySize: vocabularySize, role: "logit bias")
        }
        if let endOfTextID, !(0..<vocabularySize).contains(endOfTextID) {
            throw GenerationError.tokenOutOfVocabulary(
                id: endOfTextID, vocabularySize: vocabularySize, role: "the end-of-text id")
        }
        self.model = model
        self.parameters = parameters
        self.maxNewTokens = maxNewTokens
        self.endOfTextID = endOfTextID
        self.stopAtEndOfText = stopAtEndOfText
        samplers = (0..<pool.threadCount).map { _ in
            TokenSampler(parameters: parameters, vocabularySize: vocabularySize)
        }
    }

    deinit {
        if let start = logits.baseAddress { HugePages.deallocate(start) }
    }

    /// A cache with at least `rows` empty rows of at least `capacity` positions (clamped to the
    /// context), and room for `rows` logit rows: those of the previous call when they are big enough.
    private func buffers(rows: Int, capacity: Int) -> (KVCache, UnsafeMutableBufferPointer<Float>) {
        let configuration = model.configuration
        let positions = min(capacity, configuration.contextLength)
        if let cache, cache.rows >= rows, cache.capacity >= positions {
            cache.resetAll()
        } else {
            cache = nil
            cache = KVCache(configuration: configuration, rows: rows, capacity: positions)
        }
        let count = rows * configuration.vocabularySize
        if logits.count < count {
            if let start = logits.baseAddress { HugePages.deallocate(start) }
            logits = UnsafeMutableBufferPointer(start: HugePages.allocateFloats(count), count: count)
        }
        return (cache!, logits)
    }

    /// Generates `streamIDs.count` samples for each request, all requests batched together.
    /// - Parameters:
    ///   - requests: prompts and the stream ids of their samples.
    ///   - steps: called after each sampling step with the number of tokens it drew (one per unfinished sample, an
    ///     end-of-text token included): a finer count than `progress`, whose samples often all finish on the last step
    ///     (at `maxNewTokens`). Over a whole call the counts add up to at most `maxNewTokens` per sample.
    ///   - progress: called with the number of finished samples (over all requests) each time it grows (a trailing
    ///     closure is this one).
    /// - Returns: for each request, its samples in the order of its stream ids.
    /// - Throws: `GenerationError` for an empty or too long prompt, `GPT2Error` for a token id the
    ///   model rejects.
    public func generate(
        _ requests: [GenerationRequest], steps: ((Int) -> Void)? = nil, progress: ((Int) -> Void)? = nil
    ) throws -> [[GeneratedSample]] {
        let configuration = model.configuration
        for (index, request) in requests.enumerated() {
            guard !request.promptIDs.isEmpty else { throw GenerationError.emptyPrompt(request: index) }
            guard request.promptIDs.count <= configuration.contextLength else {
                throw GenerationError.promptTooLong(
                    request: index, length: request.promptIDs.count, contextLength: configuration.contextLength)
            }
        }
        let rowCount = requests.reduce(0) { $0 + $1.streamIDs.count }
        guard rowCount > 0 else { return requests.map { _ in [] } }

        // The last token of a sample is never fed back, so a row needs prompt + maxNewTokens - 1 slots.
        let longestPrompt = requests.map(\.promptIDs.count).max() ?? 1
        let limit = maximumRows(capacity: longestPrompt + maxNewTokens - 1)
        if rowCount > limit { return try generate(requests, inBatchesOf: limit, steps: steps, progress: progress) }
        let (cache, logits) = buffers(rows: rowCount, capacity: longestPrompt + maxNewTokens - 1)
        let vocabularySize = configuration.vocabularySize
        var statistics = GenerationStatistics()
        var stopwatch = Stopwatch()
        defer { lastStatistics = statistics }
        var state = BatchState(requests: requests, seed: parameters.seed, maxNewTokens: maxNewTokens)
        // Every prompt in one forward pass into the first row of its samples, then copied to the others.
        let prompted = requests.filter { !$0.streamIDs.isEmpty }
        var firstRows: [Int] = []
        var row = 0
        for request in prompted {
            firstRows.append(row)
            row += request.streamIDs.count
        }
        try model.prefill(prompts: prompted.map(\.promptIDs), rows: firstRows, cache: cache, logitsOut: logits)
        // Prompt i's logits sit in slot i; move them to slot firstRows[i] (never below i), last first.
        for (index, (request, first)) in zip(prompted, firstRows).enumerated().reversed() {
            let base = logits.baseAddress!
            if first != index {
                (base + first * vocabularySize).update(from: base + index * vocabularySize, count: vocabularySize)
            }
            for copy in (first + 1)..<(first + request.streamIDs.count) {
                cache.copyRow(first, to: copy)
                (base + copy * vocabularySize).update(from: base + first * vocabularySize, count: vocabularySize)
            }
        }
        statistics.prefillSeconds = stopwatch.lap()

        // Row i's logits sit in slot i of `logits`, where slots follow the order of `active`.
        var active = Array(0..<rowCount)
        var nextRows: [Int] = []
        var nextTokens: [Int] = []
        nextRows.reserveCapacity(rowCount)
        nextTokens.reserveCapacity(rowCount)
        var uniforms = [Double](repeating: 0, count: rowCount)
        var drawn = [Int](repeating: 0, count: rowCount)
        while !active.isEmpty {
            nextRows.removeAll(keepingCapacity: true)
            nextTokens.removeAll(keepingCapacity: true)
            let finishedBefore = state.finishedCount
            for (slot, row) in active.enumerated() {
                uniforms[slot] = state.streams[row].nextUniform()
            }
            try sample(logits: logits, slots: active.count, uniforms: uniforms, into: &drawn)
            for (slot, row) in active.enumerated() {
                let token = drawn[slot]
                if stopAtEndOfText, token == endOfTextID {
                    state.finish(row, .endOfText)
                    continue
                }
                state.tokens[row].append(token)
                if state.tokens[row].count >= maxNewTokens {
                    state.finish(row, .maxNewTokens)
                } else if cache.length(row: row) >= cache.capacity {
                    state.finish(row, .contextFull)
                } else {
                    nextRows.append(row)
                    nextTokens.append(token)
                }
            }
            statistics.samplingSeconds += stopwatch.lap()
            steps?(active.count)
            if state.finishedCount > finishedBefore { progress?(state.finishedCount) }
            if !nextRows.isEmpty {
                try model.decode(tokens: nextTokens, rows: nextRows, cache: cache, logitsOut: logits)
                statistics.decodeSeconds += stopwatch.lap()
                statistics.decodeSteps += 1
                statistics.decodedRows += nextRows.count
            }
            swap(&active, &nextRows)
        }
        return state.samples(requests: requests)
    }

    /// The memory one batch's KV cache and logits may take: 4 GiB. Within it, every batch of an audit's defaults runs
    /// as one (gpt2 with 40 positions takes 3 MB a row, beyond the runner's 192 rows); beyond it a request is split
    /// (gpt2 with 1,024 new tokens: 76 MB a row, 53 rows a batch). Review: 2,000 samples × 1,024 new tokens of one
    /// prompt asked for one 37.7 GB cache and stopped the tool (exit 132).
    var batchMemoryBudget = 4 << 30

    /// The most rows whose KV cache of `capacity` positions (clamped to the context) and logit row fit
    /// ``batchMemoryBudget``, at least 1.
    func maximumRows(capacity: Int) -> Int {
        let configuration = model.configuration
        let positions = max(1, min(capacity, configuration.contextLength))
        let floatsPerRow = 2 * configuration.layerCount * positions * configuration.embeddingSize
            + configuration.vocabularySize
        return max(1, batchMemoryBudget / max(1, floatsPerRow * MemoryLayout<Float>.stride))
    }

    /// `generate` of more rows than one batch holds: the rows (each request's stream ids in order) in consecutive
    /// batches of at most `limit`, a request's samples split where a batch ends. Each sample depends on its stream
    /// id alone (up to the floating-point rounding of a batch's composition), so the samples are those of one batch;
    /// the statistics are summed and `progress` counts over all batches (`steps`' counts are each step's own).
    private func generate(
        _ requests: [GenerationRequest], inBatchesOf limit: Int, steps: ((Int) -> Void)?, progress: ((Int) -> Void)?
    ) throws -> [[GeneratedSample]] {
        var rows: [(request: Int, stream: UInt64)] = []
        for (index, request) in requests.enumerated() {
            rows += request.streamIDs.map { (index, $0) }
        }
        var results = requests.map { _ in [GeneratedSample]() }
        var total = GenerationStatistics()
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + limit, rows.count)]
            var owners: [Int] = []
            var part: [GenerationRequest] = []
            for row in batch {
                if owners.last == row.request {
                    part[part.count - 1].streamIDs.append(row.stream)
                } else {
                    owners.append(row.request)
                    part.append(GenerationRequest(promptIDs: requests[row.request].promptIDs, streamIDs: [row.stream]))
                }
            }
            let done = start
            let samples = try generate(part, steps: steps, progress: progress.map { report in { report(done + $0) } })
            for (owner, generated) in zip(owners, samples) { results[owner] += generated }
            total = total + lastStatistics
            start += batch.count
        }
        lastStatistics = total
        return results
    }

    /// Draws the token of each of the first `slots` logit rows with its uniform, rows spread over the
    /// pool's threads, each thread with its own sampler.
    /// - Throws: `GenerationError.nonFiniteLogits` when a row has no finite logit to draw from.
    private func sample(
        logits: UnsafeMutableBufferPointer<Float>, slots: Int, uniforms: [Double], into tokens: inout [Int]
    ) throws {
        let vocabularySize = model.configuration.vocabularySize
        let samplers = samplers
        uniforms.withUnsafeBufferPointer { uniforms in
            tokens.withUnsafeMutableBufferPointer { tokens in
                pool.parallelForRanges(count: slots, grain: 4) { range, thread in
                    for slot in range {
                        let row = UnsafeBufferPointer(start: logits.baseAddress! + slot * vocabularySize, count: vocabularySize)
                        // −1 marks a row without a distribution; it is turned into an error below.
                        tokens[slot] = samplers[thread].sample(logits: row, uniform: uniforms[slot]) ?? -1
                    }
                }
            }
        }
        if tokens[..<slots].contains(-1) { throw GenerationError.nonFiniteLogits }
    }
}

/// The per-sample bookkeeping of one `generate` call; rows are numbered over all requests in order.
private struct BatchState {
    var streams: [RandomStream]
    var tokens: [[Int]]
    var stopReasons: [StopReason?]
    private(set) var finishedCount = 0

    init(requests: [GenerationRequest], seed: UInt64, maxNewTokens: Int) {
        streams = requests.flatMap { $0.streamIDs.map { RandomStream(seed: seed, stream: $0) } }
        tokens = streams.map { _ in
            var ids: [Int] = []
            ids.reserveCapacity(maxNewTokens)
            return ids
        }
        stopReasons = Array(repeating: nil, count: streams.count)
    }

    mutating func finish(_ row: Int, _ reason: StopReason) {
        stopReasons[row] = reason
        finishedCount += 1
    }

    func samples(requests: [GenerationRequest]) -> [[GeneratedSample]] {
        var row = 0
        return requests.map { request in
            request.streamIDs.map { _ in
                defer { row += 1 }
                guard let reason = stopReasons[row] else { preconditionFailure("row \(row) never finished") }
                return GeneratedSample(ids: tokens[row], stopReason: reason)
            }
        }
    }
}
