import AuditResults
import Tokenizers

extension InjectedBias {
    /// The token's id under `tokenizer`.
    /// - Throws: ``AuditError/usage(_:)`` when the text is not exactly one token.
    public func tokenID(in tokenizer: GPT2Tokenizer) throws -> Int {
        let ids = tokenizer.encode(token)
        guard ids.count == 1 else {
            throw AuditError.usage(
                "--inject-bias \(asTyped): '\(token)' is \(ids.count) GPT-2 tokens; give a single token such as ' terrible' (mind the leading space)")
        }
        return ids[0]
    }

    /// The logit bias of each group under `tokenizer` (groups without a bias are absent).
    static func logitBiases(_ biases: [InjectedBias], tokenizer: GPT2Tokenizer) throws -> [String: [Int: Float]] {
        var byGroup: [String: [Int: Float]] = [:]
        for bias in biases {
            byGroup[bias.group, default: [:]][try bias.tokenID(in: tokenizer), default: 0] += Float(bias.logit)
        }
        return byGroup
    }
}
