import SafeTensors

/// The weights of one transformer block, in GPT-2's storage order (`Conv1D` weights are (in, out)).
public struct GPT2BlockWeights: Sendable {
    /// `ln_1.weight`, `ln_1.bias`: (C).
    public let attentionNormWeight, attentionNormBias: ParameterTensor
    /// `attn.c_attn.weight`: (C, 3C), `attn.c_attn.bias`: (3C). Produces q, k, v side by side.
    public let qkvWeight, qkvBias: ParameterTensor
    /// `attn.c_proj.weight`: (C, C), `attn.c_proj.bias`: (C).
    public let attentionProjectionWeight, attentionProjectionBias: ParameterTensor
    /// `ln_2.weight`, `ln_2.bias`: (C).
    public let mlpNormWeight, mlpNormBias: ParameterTensor
    /// `mlp.c_fc.weight`: (C, F), `mlp.c_fc.bias`: (F).
    public let feedForwardWeight, feedForwardBias: ParameterTensor
    /// `mlp.c_proj.weight`: (F, C), `mlp.c_proj.bias`: (C).
    public let feedForwardProjectionWeight, feedForwardProjectionBias: ParameterTensor
}

/// All weights of a GPT-2 model, held as Float32 whatever the file's dtype.
public struct GPT2Weights: Sendable {
    /// `wte.weight`: (V, C). Also the LM head when the embeddings are tied.
    public let tokenEmbedding: ParameterTensor
    /// `wpe.weight`: (P, C).
    public let positionEmbedding: ParameterTensor
    /// One entry per transformer block, in order.
    public let blocks: [GPT2BlockWeights]
    /// `ln_f.weight`, `ln_f.bias`: (C).
    public let finalNormWeight, finalNormBias: ParameterTensor
    /// `lm_head.weight`: (V, C) when the embeddings are not tied; nil when the head is `tokenEmbedding`.
    public let untiedLanguageModelHead: ParameterTensor?

    /// The LM head matrix, (V, C) row-major.
    public var languageModelHead: ParameterTensor { untiedLanguageModelHead ?? tokenEmbedding }

    /// The bytes the configuration's weights take in memory as Float32 (every tensor of ``expectedTensors(for:)``, 4 bytes
    /// a value), whatever the file stores them as; `Int.max` where that overflows.
    public static func float32Bytes(for configuration: GPT2Configuration) -> Int {
        var total = 0
        for (_, shape) in expectedTensors(for: configuration) {
            var count = MemoryLayout<Float>.stride
            for dimension in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard !overflow else { return .max }
                count = product
            }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { return .max }
            total = sum
        }
        return total
    }

    /// The bytes `--precision bf16` adds to ``float32Bytes(for:)``: every matrix the products read (each block's four and
    /// the LM head) packed again at 2 bytes a value, beside the Float32 tensors, which stay (`BF16Weights`); `Int.max`
    /// where that overflows.
    public static func packedBF16Bytes(for configuration: GPT2Configuration) -> Int {
        let head = configuration.tieWordEmbeddings ? "wte.weight" : "lm_head.weight"
        var total = 0
        for (name, shape) in expectedTensors(for: configuration) where shape.count == 2 && name != "wpe.weight"
            && (name == head || name.hasPrefix("h."))
        {
            let (values, overflow) = shape[0].multipliedReportingOverflow(by: shape[1])
            let (bytes, overflow2) = values.multipliedReportingOverflow(by: 2)
            let (sum, overflow3) = total.addingReportingOverflow(bytes)
            guard !overflow, !overflow2, !overflow3 else { return .max }
            total = sum
        }
        return total
    }

    /// Every tensor the configuration requires, with its Hugging Face name (without the
    /// `transformer.` prefix; `lm_head.weight` never has one) and shape.
    public static func expectedTensors(for configuration: GPT2Configuration) -> [(name: String, shape: [Int])] {
        let c = configuration.embeddingSize
        let f = configuration.feedForwardSize
        var list: [(name: String, shape: [Int])] = [
            ("wte.weight", [configuration.vocabularySize, c]), ("wpe.weight", [configuration.contextLength, c]),
        ]
        for layer in 0..<configuration.layerCount {
            let p = "h.\(layer)."
            list += [
                (p + "ln_1.weight", [c]), (p + "ln_1.bias", [c]),
                (p + "attn.c_attn.weight", [c, 3 * c]), (p + "attn.c_attn.bias", [3 * c]),
                (p + "attn.c_proj.weight", [c, c]), (p + "attn.c_proj.bias", [c]),
                (p + "ln_2.weight", [c]), (p + "ln_2.bias", [c]),
                (p + "mlp.c_fc.weight", [c, f]), (p + "mlp.c_fc.bias", [f]),
                (p + "mlp.c_proj.weight", [f, c]), (p + "mlp.c_proj.bias", [c]),
            ]
        }
        list += [("ln_f.weight", [c]), ("ln_f.bias", [c])]
        if !configuration.tieWordEmbeddings {
            list.append(("lm_head.weight", [configuration.vocabularySize, c]))
        }
        return list
    }

    /// Builds the weights by asking `fill` to write each expected tensor (see `expectedTensors(for:)`).
    /// - Parameters:
    ///   - storedName: the name a tensor has in the file it is read from, given its Hugging Face name (default: the
    ///     same); see ``ParameterTensor/storedName``.
    ///   - fill: receives the tensor's name, its shape and the zeroed buffer to write into.
    public init(
        configuration: GPT2Configuration,
        storedName: (_ name: String) -> String = { $0 },
        fill: (_ name: String, _ shape: [Int], _ buffer: UnsafeMutableBufferPointer<Float>) throws -> Void
    ) rethrows {
        var tensors: [String: ParameterTensor] = [:]
        for (name, shape) in Self.expectedTensors(for: configuration) {
            let tensor = ParameterTensor(name: name, shape: shape, storedName: storedName(name))
            try fill(name, shape, tensor.buffer)
            tensors[name] = tensor
        }
        func take(_ name: String) -> ParameterTensor {
            guard let tensor = tensors[name] else { preconditionFailure("expectedTensors lists \(name)") }
            return tensor
        }
        tokenEmbedding = take("wte.weight")
        positionEmbedding = take("wpe.weight")
        blocks = (0..<configuration.layerCount).map { layer in
            let p = "h.\(layer)."
            return GPT2BlockWeights(
                attentionNormWeight: take(p + "ln_1.weight"), attentionNormBias: take(p + "ln_1.bias"),
                qkvWeight: take(p + "attn.c_attn.weight"), qkvBias: take(p + "attn.c_attn.bias"),
                attentionProjectionWeight: take(p + "attn.c_proj.weight"),
                attentionProjectionBias: take(p + "attn.c_proj.bias"),
                mlpNormWeight: take(p + "ln_2.weight"), mlpNormBias: take(p + "ln_2.bias"),
                feedForwardWeight: take(p + "mlp.c_fc.weight"), feedForwardBias: take(p + "mlp.c_fc.bias"),
                feedForwardProjectionWeight: take(p + "mlp.c_proj.weight"),
                feedForwardProjectionBias: take(p + "mlp.c_proj.bias"))
        }
        finalNormWeight = take("ln_f.weight")
        finalNormBias = take("ln_f.bias")
        untiedLanguageModelHead = configuration.tieWordEmbeddings ? nil : take("lm_head.weight")
    }

    /// Reads the weights from a safetensors file in either layout: Hugging Face's (`transformer.`
    /// prefix, as `save_pretrained` writes it) or OpenAI's (`openai-community/gpt2`: no prefix, with
    /// `h.N.attn.bias` / `h.N.attn.masked_bias` mask buffers, which are ignored). A stored
    /// `lm_head.weight` is ignored when the embeddings are tied, as transformers ties it to `wte`.
    /// F32, F16 and BF16 tensors are all decoded to Float32.
    /// - Throws: `GPT2Error.layerCountMismatch` when the file holds more or fewer blocks than `n_layer`;
    ///   `.tensorStoredTwice` when a tensor is stored under both layouts' names;
    ///   `.missingTensor`, `.wrongTensorShape` or `.unreadableTensor`, naming the tensor.
    public init(configuration: GPT2Configuration, file: SafeTensorsFile) throws {
        let prefix = file.info("transformer.wte.weight") != nil ? "transformer." : ""
        func storedName(_ name: String) -> String { name == "lm_head.weight" ? name : prefix + name }
        func checkedInfo(_ name: String, _ shape: [Int]) throws -> String {
            let stored = storedName(name)
            guard let info = file.info(stored) else {
                throw GPT2Error.missingTensor(name: stored, expectedShape: shape)
            }
            guard info.shape == shape else {
                throw GPT2Error.wrongTensorShape(name: stored, expected: shape, found: info.shape)
            }
            return stored
        }
        // A config.json with fewer layers than the weights would run a truncated model without a word; one with more
        // would be refused for a missing `h.N` tensor, which hides that the two files disagree. Both are said as that
        // disagreement, before the tensors are checked one by one (a hostile review).
        // The layers stored: one past the deepest `h.N.` (an index of Int.max, which no file backs, is left to the
        // tensor checks rather than overflow here).
        let stored = file.tensorNames.compactMap { name -> Int? in
            guard name.hasPrefix(prefix + "h.") else { return nil }
            return Int(name.dropFirst(prefix.count + 2).prefix { $0.isASCII && $0.isNumber }).flatMap { $0 < Int.max ? $0 + 1 : nil }
        }.max()
        if let stored, stored != configuration.layerCount {
            throw GPT2Error.layerCountMismatch(configured: configuration.layerCount, stored: stored, prefix: prefix)
        }
        // One tensor under both names (`transformer.ln_f.weight` beside `ln_f.weight`): only the prefixed one was read
        // and the other silently ignored, though transformers may load either (a hostile review), the ambiguity of a
        // key given twice. `lm_head.weight` has no prefixed form.
        for (name, _) in Self.expectedTensors(for: configuration) where name != "lm_head.weight" {
            if file.info("transformer." + name) != nil, file.info(name) != nil {
                throw GPT2Error.tensorStoredTwice(prefixed: "transformer." + name, bare: name)
            }
        }
        // Every shape is checked against the file before any tensor is allocated: sizes from config.json
        // are only trusted once the weights back them.
        for (name, shape) in Self.expectedTensors(for: configuration) { _ = try checkedInfo(name, shape) }
        try self.init(configuration: configuration, storedName: storedName) { name, shape, buffer in
            let stored = try checkedInfo(name, shape)
            do {
                try file.decodeFloats(stored, into: buffer)
            } catch {
                throw GPT2Error.unreadableTensor(name: stored, reason: "\(error)")
            }
        }
    }
}
