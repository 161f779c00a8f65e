import Foundation

extension GPT2Model {
    /// Appends `tokens` to one cache row and computes the logits that follow the last of them.
    ///
    /// Usually the row is empty and `tokens` is a prompt; a non-empty row is continued. Afterwards
    /// `KVCache.copyRow` can share the row with other samples.
    /// - Parameters:
    ///   - logitsOut: at least `vocabularySize` floats; receives the next-token logits.
    /// - Throws: `GPT2Error.contextFull` when the row would exceed the cache's capacity,
    ///   `.tokenOutOfRange` or `.invalidArgument`. The cache is unchanged when it throws.
    public func prefill(
        tokens: [Int], row: Int, cache: KVCache, logitsOut: UnsafeMutableBufferPointer<Float>
    ) throws {
        let vocabulary = configuration.vocabularySize
        guard logitsOut.count >= vocabulary, let out = logitsOut.baseAddress else {
            throw GPT2Error.invalidArgument("logitsOut holds \(logitsOut.count) floats, fewer than \(vocabulary)")
        }
        try prefillHidden(tokens: tokens, row: row, cache: cache)
        let last = cache.workspace.normed + (tokens.count - 1) * configuration.embeddingSize
        languageModelHead(hidden: last, rows: 1, logitsOut: out, workspace: cache.workspace)
    }

    /// Appends one token to each of `rows` (all distinct) and computes their next-token logits,
    /// all rows in one matrix product per layer. Rows may hold different lengths; each token
    /// attends only to its own row.
    /// - Parameters:
    ///   - tokens: the token to append to each row, `tokens[i]` to `rows[i]`.
    ///   - logitsOut: at least `rows.count × vocabularySize` floats; row i receives the logits of `rows[i]`.
    /// - Throws: `GPT2Error.contextFull` naming the first full row, `.tokenOutOfRange` or
    ///   `.invalidArgument`. The cache is unchanged when it throws.
    public func decode(
        tokens: [Int], rows: [Int], cache: KVCache, logitsOut: UnsafeMutableBufferPointer<Float>
    ) throws {
        let n = rows.count
        guard n > 0, tokens.count == n else {
            throw GPT2Error.invalidArgument("decode needs one token per row (got \(tokens.count) tokens, \(n) rows)")
        }
        guard logitsOut.count >= n * configuration.vocabularySize, let out = logitsOut.baseAddress else {
            throw GPT2Error.invalidArgument(
                "logitsOut holds \(logitsOut.count) floats, fewer than \(n) rows × \(configuration.vocabularySize)")
        }
        let workspace = cache.workspace
        workspace.reserve(tokens: n)
        for i in 0..<n {
            let row = rows[i]
            guard (0..<cache.rows).contains(row) else {
                throw GPT2Error.invalidArgument("row \(row) is outside the cache's \(cache.rows) rows")
            }
            for j in 0..<i where rows[j] == row {
                throw GPT2Error.invalidArgument("row \(row) appears twice in one decode step")
            }
            try checkToken(tokens[i])
            let position = cache.length(row: row)
            guard position < cache.capacity else {
                throw GPT2Error.contextFull(row: row, position: position, limit: cache.capacity)
            }
            workspace.tokenIDs[i] = tokens[i]
            workspace.rowIDs[i] = row
            workspace.positions[i] = position
        }
        forward(count: n, cache: cache)
        languageModelHead(hidden: workspace.normed, rows: n, logitsOut: out, workspace: workspace)
    }

    /// Appends `prompts[i]` to cache row `rows[i]` (all distinct) for every i in one forward pass, and
    /// computes the logits that follow the last token of each prompt: `prefill(tokens:row:cache:logitsOut:)`
    /// for several prompts at once, one matrix product per layer over all their tokens.
    /// - Parameters:
    ///   - logitsOut: at least `prompts.count × vocabularySize` floats; slot i receives the logits of prompt i.
    /// - Throws: `GPT2Error.contextFull` naming the first row that would overflow, `.tokenOutOfRange` or
    ///   `.invalidArgument` (an empty prompt, a row outside the cache or named twice). The cache is
    ///   unchanged when it throws.
    public func prefill(
        prompts: [[Int]], rows: [Int], cache: KVCache, logitsOut: UnsafeMutableBufferPointer<Float>
    ) throws {
        let vocabulary = configuration.vocabularySize
        guard !prompts.isEmpty, prompts.count == rows.count else {
            throw GPT2Error.invalidArgument("prefill needs one row per prompt (got \(prompts.count) prompts, \(rows.count) rows)")
        }
        guard logitsOut.count >= prompts.count * vocabulary, let out = logitsOut.baseAddress else {
            throw GPT2Error.invalidArgument(
                "logitsOut holds \(logitsOut.count) floats, fewer than \(prompts.count) prompts × \(vocabulary)")
        }
        for (i, (prompt, row)) in zip(prompts, rows).enumerated() {
            guard !prompt.isEmpty else { throw GPT2Error.invalidArgument("prompt \(i) has no tokens") }
            guard (0..<cache.rows).contains(row) else {
                throw GPT2Error.invalidArgument("row \(row) is outside the cache's \(cache.rows) rows")
            }
            guard !rows[..<i].contains(row) else {
                throw GPT2Error.invalidArgument("row \(row) appears twice in one prefill")
            }
            let end = cache.length(row: row) + prompt.count
            guard end <= cache.capacity else {
                throw GPT2Error.contextFull(row: row, position: cache.capacity, limit: cache.capacity)
            }
            for token in prompt { try checkToken(token) }
        }
        let total = prompts.reduce(0) { $0 + $1.count }
        let workspace = cache.workspace
        workspace.reserve(tokens: total)
        var index = 0
        for (prompt, row) in zip(prompts, rows) {
            let start = cache.length(row: row)
            for (offset, token) in prompt.enumerated() {
                workspace.tokenIDs[index] = token
                workspace.rowIDs[index] = row
                workspace.positions[index] = start + offset
                index += 1
            }
        }
        forward(count: total, cache: cache)
        // The last token of each prompt, gathered into (P, C) rows for one LM-head product.
        let c = configuration.embeddingSize
        var last = 0
        for (i, prompt) in prompts.enumerated() {
            last += prompt.count
            (workspace.attention + i * c).update(from: workspace.normed + (last - 1) * c, count: c)
        }
        languageModelHead(hidden: workspace.attention, rows: prompts.count, logitsOut: out, workspace: workspace)
    }

    /// Validates and runs the blocks for `tokens` appended to `row`, leaving the final-layer-norm
    /// output, (T, C), in `cache.workspace.normed`.
    func prefillHidden(tokens: [Int], row: Int, cache: KVCache) throws {
        guard !tokens.isEmpty else { throw GPT2Error.invalidArgument("the token list is empty") }
        guard (0..<cache.rows).contains(row) else {
            throw GPT2Error.invalidArgument("row \(row) is outside the cache's \(cache.rows) rows")
        }
        let start = cache.length(row: row)
        let end = start + tokens.count
        guard end <= cache.capacity else {
            throw GPT2Error.contextFull(row: row, position: cache.capacity, limit: cache.capacity)
        }
        for token in tokens { try checkToken(token) }
        let workspace = cache.workspace
        workspace.reserve(tokens: tokens.count)
        for (i, token) in tokens.enumerated() {
            workspace.tokenIDs[i] = token
            workspace.rowIDs[i] = row
            workspace.positions[i] = start + i
        }
        forward(count: tokens.count, cache: cache)
    }

    private func checkToken(_ token: Int) throws {
        guard (0..<configuration.vocabularySize).contains(token) else {
            throw GPT2Error.tokenOutOfRange(id: token, vocabularySize: configuration.vocabularySize)
        }
    }

    /// residual: (N, C) from the N tokens described in the workspace (id, cache row, position);
    /// their keys and values are appended to the cache and the final-layer-norm output, (N, C), is
    /// left in `workspace.normed`. Callers have validated every id, row and position.
    private func forward(count n: Int, cache: KVCache) {
        let ws = cache.workspace
        let c = configuration.embeddingSize
        let headSize = configuration.headSize
        let scale: Float = configuration.scaleAttentionWeights ? 1 / Float(headSize).squareRoot() : 1
        let epsilon = configuration.layerNormEpsilon
        for i in 0..<n {
            let x = ws.residual + i * c
            let tokenRow = weights.tokenEmbedding.pointer + ws.tokenIDs[i] * c
            let positionRow = weights.positionEmbedding.pointer + ws.positions[i] * c
            for j in 0..<c { x[j] = tokenRow[j] + positionRow[j] }
        }
        let pool = ComputePool.shared
        for (layer, block) in weights.blocks.enumerated() {
            pool.parallelForRanges(count: n, grain: 8) { range, _ in
                layerNorm(
                    out: ws.normed + range.lowerBound * c, inp: ws.residual + range.lowerBound * c,
                    weight: block.attentionNormWeight.pointer, bias: block.attentionNormBias.pointer,
                    rows: range.count, channels: c, epsilon: epsilon)
            }
            linear(.qkv(layer), out: ws.qkv, inp: ws.normed, rows: n, workspace: ws)
            // All keys and values first: in a prefill, later tokens of a row attend to earlier ones.
            pool.parallelForRanges(count: n, grain: 16) { range, _ in
                for i in range {
                    let slot = ws.positions[i] * c
                    let qkv = ws.qkv + i * 3 * c
                    (cache.keys(layer: layer, row: ws.rowIDs[i]) + slot).update(from: qkv + c, count: c)
                    (cache.values(layer: layer, row: ws.rowIDs[i]) + slot).update(from: qkv + 2 * c, count: c)
                }
            }
            pool.parallelForRanges(count: n, grain: 2) { range, _ in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: cache.capacity) { scores in
                    for i in range {
                        attendOneToken(
                            out: ws.attention + i * c, query: ws.qkv + i * 3 * c,
                            keys: cache.keys(layer: layer, row: ws.rowIDs[i]),
                            values: cache.values(layer: layer, row: ws.rowIDs[i]),
                            length: ws.positions[i] + 1, stride: c, headCount: configuration.headCount,
                            headSize: headSize, scale: scale, scores: scores.baseAddress!)
                    }
                }
            }
            linear(
                .attentionProjection(layer), out: ws.residual, inp: ws.attention, rows: n, workspace: ws,
                accumulate: true)
            pool.parallelForRanges(count: n, grain: 8) { range, _ in
                layerNorm(
                    out: ws.normed + range.lowerBound * c, inp: ws.residual + range.lowerBound * c,
                    weight: block.mlpNormWeight.pointer, bias: block.mlpNormBias.pointer,
                    rows: range.count, channels: c, epsilon: epsilon)
            }
            linear(.feedForward(layer), out: ws.hidden, inp: ws.normed, rows: n, workspace: ws, gelu: true)
            linear(
                .feedForwardProjection(layer), out: ws.residual, inp: ws.hidden, rows: n, workspace: ws,
                accumulate: true)
        }
        pool.parallelForRanges(count: n, grain: 8) { range, _ in
            layerNorm(
                out: ws.normed + range.lowerBound * c, inp: ws.residual + range.lowerBound * c,
                weight: weights.finalNormWeight.pointer, bias: weights.finalNormBias.pointer,
                rows: range.count, channels: c, epsilon: epsilon)
        }
        for i in 0..<n {
            cache.extend(row: ws.rowIDs[i], to: ws.positions[i] + 1)
        }
    }
}
