extension GPT2BlockWeights {
    /// The block's tensors in checkpoint order.
    var tensors: [ParameterTensor] {
        [
            attentionNormWeight, attentionNormBias, qkvWeight, qkvBias, attentionProjectionWeight,
            attentionProjectionBias, mlpNormWeight, mlpNormBias, feedForwardWeight, feedForwardBias,
            feedForwardProjectionWeight, feedForwardProjectionBias,
        ]
    }
}

extension GPT2Weights {
    /// Every tensor of the model, embeddings first.
    public var tensors: [ParameterTensor] {
        [tokenEmbedding, positionEmbedding] + blocks.flatMap(\.tensors) + [finalNormWeight, finalNormBias]
            + (untiedLanguageModelHead.map { [$0] } ?? [])
    }

    /// Checks that no weight is NaN or infinite: such a file would make every logit NaN, and sampling
    /// from NaN is undefined. A damaged or hostile checkpoint is refused here, at load time.
    /// - Throws: `GPT2Error.unreadableTensor` naming the first tensor that holds a non-finite value as the file stores
    ///   it (``ParameterTensor/storedName``: `transformer.ln_f.weight`, not `ln_f.weight`).
    public func validateFinite() throws {
        for tensor in tensors {
            let buffer = UnsafeBufferPointer(start: tensor.pointer, count: tensor.count)
            // x − x is 0 for every finite x and NaN for NaN and ±∞: one pass, no branch per element.
            var accumulator: Float = 0
            for value in buffer { accumulator += value - value }
            if !accumulator.isFinite || accumulator != 0 {
                let index = buffer.firstIndex { !$0.isFinite } ?? 0
                throw GPT2Error.unreadableTensor(
                    name: tensor.storedName,
                    reason: "holds a non-finite value (\(buffer[index]) at element \(index)); the checkpoint is damaged: "
                        + "re-download or re-export the model")
            }
        }
    }
}
