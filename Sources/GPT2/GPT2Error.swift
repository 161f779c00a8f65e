import Foundation

/// Everything that can go wrong when configuring, loading or running a GPT-2 model.
///
/// Each message says what was wrong, where, and what to do about it.
public enum GPT2Error: Error, Equatable, CustomStringConvertible {
    /// `config.json` could not be decoded (malformed JSON or a field of the wrong type).
    case malformedConfiguration(String)
    /// A configuration value is outside what this implementation supports.
    case invalidConfiguration(key: String, value: String, reason: String)
    /// A weight tensor the model needs is not in the file.
    case missingTensor(name: String, expectedShape: [Int])
    /// A weight tensor has a shape other than the configuration implies.
    case wrongTensorShape(name: String, expected: [Int], found: [Int])
    /// `config.json`'s `n_layer` (`configured`) differs from the number of transformer blocks the weights hold
    /// (`stored`: their deepest `{prefix}h.N.` is `stored - 1`), so the two files are not of one model.
    case layerCountMismatch(configured: Int, stored: Int, prefix: String)
    /// The file holds one tensor under both naming schemes (`transformer.ln_f.weight` and `ln_f.weight`): only one of
    /// them is read, and another reader may take the other, so the file would audit as one model and deploy as another.
    case tensorStoredTwice(prefixed: String, bare: String)
    /// A weight tensor could not be decoded to 32-bit floats.
    case unreadableTensor(name: String, reason: String)
    /// A token id outside `0..<vocab_size` was given to the model.
    case tokenOutOfRange(id: Int, vocabularySize: Int)
    /// A forward pass would write past the model's context window or the cache's capacity.
    case contextFull(row: Int, position: Int, limit: Int)
    /// A call was given inconsistent arguments (empty token list, bad row, buffer too small).
    case invalidArgument(String)
    /// A precision this CPU has no native instructions for (bf16 without AVX-512 BF16 or AMX).
    case unsupportedPrecision(String, instructionSet: String)

    /// A human-readable explanation with a hint on how to fix it.
    public var description: String {
        switch self {
        case .malformedConfiguration(let detail):
            return "GPT-2 config.json could not be read: \(detail). Check that the file is a Hugging Face GPT-2 config."
        case .invalidConfiguration(let key, let value, let reason):
            return "GPT-2 config.json: `\(key)` = \(value) is not supported: \(reason)."
        case .missingTensor(let name, let shape):
            return "model weights: tensor `\(name)` (expected shape \(shape)) is missing. "
                + "Check that the safetensors file belongs to this GPT-2 config."
        case .wrongTensorShape(let name, let expected, let found):
            return "model weights: tensor `\(name)` has shape \(found) but the config implies \(expected). "
                + "Check that config.json and model.safetensors come from the same model."
        case .layerCountMismatch(let configured, let stored, let prefix):
            let layers = stored == 1
                ? "1 layer (\(prefix)h.0.*)" : "\(stored) layers (\(prefix)h.0.* to \(prefix)h.\(stored - 1).*)"
            return "config.json says n_layer is \(configured), but model.safetensors holds \(layers): the two files are not of "
                + "one model; if the weights are the model you mean, set \"n_layer\": \(stored) in config.json, else put "
                + "the config.json that came with the weights beside them (or download the model again)"
        case .tensorStoredTwice(let prefixed, let bare):
            return "model weights: model.safetensors holds both `\(prefixed)` and `\(bare)`, one tensor under Hugging Face's "
                + "and OpenAI's names; a reader takes one and ignores the other, so the file would audit as one model "
                + "and deploy as another. Re-export the model with one naming scheme (save_pretrained), or download "
                + "it again."
        case .unreadableTensor(let name, let reason):
            return "model weights: tensor `\(name)` could not be decoded: \(reason)."
        case .tokenOutOfRange(let id, let vocabularySize):
            return "token id \(id) is outside the vocabulary (0..<\(vocabularySize)); "
                + "use ids produced by this model's tokenizer."
        case .contextFull(let row, let position, let limit):
            return "row \(row): position \(position) does not fit, a row holds at most \(limit) tokens "
                + "(the model's context window or the KV cache's capacity); shorten the prompt or generate fewer tokens."
        case .invalidArgument(let detail):
            return "GPT-2 forward pass: \(detail)."
        case .unsupportedPrecision(let precision, let instructionSet):
            return "--precision \(precision) needs a CPU with AVX-512 BF16 or AMX instructions, but oneDNN reports "
                + "\(instructionSet) on this machine; use --precision f32 (the default)."
        }
    }
}

extension GPT2Error: LocalizedError {
    /// Same as `description`, so Foundation's `localizedDescription` carries the full message.
    public var errorDescription: String? { description }
}
