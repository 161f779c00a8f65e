import Foundation
import InputFiles

/// The shape and options of a GPT-2 model, read from a Hugging Face `config.json`.
///
/// `CodingKeys` map the Hugging Face names (`n_embd`, `n_layer`, …). Absent keys take the
/// defaults of transformers' `GPT2Config`. Only the options this implementation computes
/// correctly are accepted; `validate()` rejects the rest with a `GPT2Error`.
public struct GPT2Configuration: Codable, Sendable, Equatable {
    /// Number of tokens in the vocabulary (`vocab_size`).
    public var vocabularySize: Int
    /// Longest sequence the position embeddings cover (`n_positions`).
    public var contextLength: Int
    /// Width of the residual stream (`n_embd`).
    public var embeddingSize: Int
    /// Number of transformer blocks (`n_layer`).
    public var layerCount: Int
    /// Number of attention heads per block (`n_head`).
    public var headCount: Int
    /// Width of the MLP's hidden layer as stored in the config (`n_inner`); `nil` means 4·`n_embd`.
    public var innerSize: Int?
    /// Epsilon of every layer norm (`layer_norm_epsilon`).
    public var layerNormEpsilon: Float
    /// MLP activation (`activation_function`); only the tanh-approximated GELU variants are supported.
    public var activationFunction: String
    /// Whether the LM head reuses the token embedding matrix (`tie_word_embeddings`).
    public var tieWordEmbeddings: Bool
    /// Whether attention scores are divided by √head_size (`scale_attn_weights`).
    public var scaleAttentionWeights: Bool
    /// `scale_attn_by_inverse_layer_idx`; must be false.
    public var scaleAttentionByInverseLayerIndex: Bool
    /// `reorder_and_upcast_attn`; must be false.
    public var reorderAndUpcastAttention: Bool
    /// `add_cross_attention`; must be false (decoder-only GPT-2).
    public var addCrossAttention: Bool
    /// `model_type`; must be `gpt2`.
    public var modelType: String

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size"
        case contextLength = "n_positions"
        case embeddingSize = "n_embd"
        case layerCount = "n_layer"
        case headCount = "n_head"
        case innerSize = "n_inner"
        case layerNormEpsilon = "layer_norm_epsilon"
        case activationFunction = "activation_function"
        case tieWordEmbeddings = "tie_word_embeddings"
        case scaleAttentionWeights = "scale_attn_weights"
        case scaleAttentionByInverseLayerIndex = "scale_attn_by_inverse_layer_idx"
        case reorderAndUpcastAttention = "reorder_and_upcast_attn"
        case addCrossAttention = "add_cross_attention"
        case modelType = "model_type"
    }

    /// The names `GPT2Config.attribute_map` gives the sizes in transformers: a config.json written with them (by a
    /// tool that saves the generic names) is read as transformers reads it, the alias winning over the GPT-2 name
    /// (`PretrainedConfig` sets the keyword arguments after `GPT2Config.__init__` has set its own).
    enum AliasKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case maxPositionEmbeddings = "max_position_embeddings"
        case numAttentionHeads = "num_attention_heads"
        case numHiddenLayers = "num_hidden_layers"
    }

    /// Activation names that mean the tanh approximation of GELU in transformers.
    public static let supportedActivations: Set<String> = ["gelu_new", "gelu_pytorch_tanh"]

    /// Builds a configuration from explicit values (defaults are those of transformers' `GPT2Config`).
    public init(
        vocabularySize: Int = 50257, contextLength: Int = 1024, embeddingSize: Int = 768,
        layerCount: Int = 12, headCount: Int = 12, innerSize: Int? = nil,
        layerNormEpsilon: Float = 1e-5, activationFunction: String = "gelu_new",
        tieWordEmbeddings: Bool = true, scaleAttentionWeights: Bool = true,
        scaleAttentionByInverseLayerIndex: Bool = false, reorderAndUpcastAttention: Bool = false,
        addCrossAttention: Bool = false, modelType: String = "gpt2"
    ) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.embeddingSize = embeddingSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.innerSize = innerSize
        self.layerNormEpsilon = layerNormEpsilon
        self.activationFunction = activationFunction
        self.tieWordEmbeddings = tieWordEmbeddings
        self.scaleAttentionWeights = scaleAttentionWeights
        self.scaleAttentionByInverseLayerIndex = scaleAttentionByInverseLayerIndex
        self.reorderAndUpcastAttention = reorderAndUpcastAttention
        self.addCrossAttention = addCrossAttention
        self.modelType = modelType
    }

    /// Decodes a config, taking transformers' defaults for absent keys.
    public init(from decoder: Decoder) throws {
        let defaults = GPT2Configuration()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? defaults.vocabularySize
        contextLength = try c.decodeIfPresent(Int.self, forKey: .contextLength) ?? defaults.contextLength
        embeddingSize = try c.decodeIfPresent(Int.self, forKey: .embeddingSize) ?? defaults.embeddingSize
        layerCount = try c.decodeIfPresent(Int.self, forKey: .layerCount) ?? defaults.layerCount
        headCount = try c.decodeIfPresent(Int.self, forKey: .headCount) ?? defaults.headCount
        innerSize = try c.decodeIfPresent(Int.self, forKey: .innerSize)
        layerNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? defaults.layerNormEpsilon
        activationFunction =
            try c.decodeIfPresent(String.self, forKey: .activationFunction) ?? defaults.activationFunction
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? defaults.tieWordEmbeddings
        scaleAttentionWeights =
            try c.decodeIfPresent(Bool.self, forKey: .scaleAttentionWeights) ?? defaults.scaleAttentionWeights
        scaleAttentionByInverseLayerIndex =
            try c.decodeIfPresent(Bool.self, forKey: .scaleAttentionByInverseLayerIndex) ?? false
        reorderAndUpcastAttention = try c.decodeIfPresent(Bool.self, forKey: .reorderAndUpcastAttention) ?? false
        addCrossAttention = try c.decodeIfPresent(Bool.self, forKey: .addCrossAttention) ?? false
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? defaults.modelType
        let alias = try decoder.container(keyedBy: AliasKeys.self)
        if let value = try alias.decodeIfPresent(Int.self, forKey: .hiddenSize) { embeddingSize = value }
        if let value = try alias.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) { contextLength = value }
        if let value = try alias.decodeIfPresent(Int.self, forKey: .numAttentionHeads) { headCount = value }
        if let value = try alias.decodeIfPresent(Int.self, forKey: .numHiddenLayers) { layerCount = value }
    }

    /// Decodes and validates the contents of a Hugging Face `config.json`.
    /// - Throws: `GPT2Error.malformedConfiguration` for unreadable JSON,
    ///   `GPT2Error.invalidConfiguration` for unsupported values.
    public init(jsonData: Data) throws {
        do {
            self = try JSONDecoder().decode(GPT2Configuration.self, from: jsonData)
        } catch let error as DecodingError {
            throw GPT2Error.malformedConfiguration(Self.fractionalSize(in: jsonData) ?? Self.explain(error))
        }
        // A key given twice: `JSONDecoder` keeps the first, Python's `json` (transformers) the last, so `n_head`
        // twice would run one architecture here and another in Hugging Face (review).
        if let repeated = JSONRepeatedKeys.first(in: jsonData) {
            throw GPT2Error.malformedConfiguration("key \"\(String(repeated.spelling.prefix(80)))\" appears twice in one object "
                + "(bytes \(repeated.firstOffset) and \(repeated.offset)); JSON readers disagree on which one counts: keep one")
        }
        if let problem = Self.sizeNotWrittenAsInteger(in: jsonData) { throw GPT2Error.malformedConfiguration(problem) }
        if let problem = Self.nullSize(in: jsonData) { throw GPT2Error.malformedConfiguration(problem) }
        try validate()
    }

    /// The sizes and their transformers names, with the default each takes when absent.
    private static let sizeKeys: [(key: CodingKeys, alias: AliasKeys?, value: (GPT2Configuration) -> Int)] = [
        (.vocabularySize, nil, \.vocabularySize), (.contextLength, .maxPositionEmbeddings, \.contextLength),
        (.embeddingSize, .hiddenSize, \.embeddingSize), (.layerCount, .numHiddenLayers, \.layerCount),
        (.headCount, .numAttentionHeads, \.headCount),
    ]

    /// A size given as `null` (`"n_layer": null`), which transformers keeps as None and cannot build a model from (a
    /// hostile review: it was read as the default): "`n_layer` is null; …", or nil.
    private static func nullSize(in data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let defaults = GPT2Configuration()
        for size in sizeKeys {
            for name in [size.key.rawValue] + (size.alias.map { [$0.rawValue] } ?? []) where object[name] is NSNull {
                return "`\(name)` is null; give a whole number, or leave the key out for transformers' default "
                    + "(\(size.value(defaults)))"
            }
        }
        return nil
    }

    /// The sizes config.json leaves out (under both its names), whose transformers default was taken, as
    /// `n_layer (12)`; empty when it gives every size or is not a JSON object. Messages about a size say so (a hostile
    /// review: "config.json says n_layer is 12" of a file without the key).
    public static func defaultedSizes(in data: Data) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        let defaults = GPT2Configuration()
        return sizeKeys.filter { size in
            object[size.key.rawValue] == nil && size.alias.map { object[$0.rawValue] == nil } ?? true
        }.map { "\($0.key.rawValue) (\($0.value(defaults)))" }
    }

    /// A size written with a fraction or an exponent (`"n_layer": 2.0`, `"n_embd": 7.68e2`), which `JSONDecoder` reads
    /// as the integer but transformers keeps a float and fails on when it builds the model (`range(2.0)` raises
    /// TypeError), so the folder would run here and nowhere else: "`n_layer` is written 2.0; write 2", or nil. The
    /// transformers names of the sizes (`num_hidden_layers`, …) are read as sizes too. `data` must have decoded (the
    /// same scan refuses such numbers in safetensors headers, `JSONNumberLiterals`); `layer_norm_epsilon` is a float.
    private static func sizeNotWrittenAsInteger(in data: Data) -> String? {
        let sizes = Set([CodingKeys.vocabularySize, .contextLength, .embeddingSize, .layerCount, .headCount, .innerSize]
            .map(\.rawValue) + [AliasKeys.hiddenSize, .maxPositionEmbeddings, .numAttentionHeads, .numHiddenLayers].map(\.rawValue))
        var problem: String?
        JSONNumberLiterals.forEachNonInteger(in: data) { keys, literal in
            guard problem == nil, keys.count == 1, let key = keys[0], sizes.contains(key) else { return }
            // The decoder read it as an `Int`, so it is a whole number (a `Double` holds any size the limits allow).
            let whole = Double(literal).flatMap { Int(exactly: $0) }.map { "write \($0)" } ?? "write it as a whole number"
            let shown = literal.count > 40 ? String(literal.prefix(40)) + "…" : literal
            problem = "`\(key)` is written \(shown); \(whole) (transformers reads it as a float and cannot build the "
                + "model from it)"
        }
        return problem
    }

    /// A number Foundation's decoder reports only as "not valid JSON": a size given as a fraction (`"n_layer": 1.5`)
    /// or beyond any size (`"n_positions": 1e308`, more than an `Int` holds), or an epsilon beyond a 32-bit float
    /// (`1e300`). The key and its value, or nil.
    private static func fractionalSize(in data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let sizes: [CodingKeys] = [.vocabularySize, .contextLength, .embeddingSize, .layerCount, .headCount, .innerSize]
        for key in sizes {
            guard let number = object[key.rawValue] as? NSNumber else { continue }
            let value = number.doubleValue
            if value.rounded() != value || !value.isFinite {
                return "`\(key.rawValue)` is \(value); a size is a whole number"
            }
            if value <= -9.2e18 { return "`\(key.rawValue)` is \(value); sizes must be positive" }
            if value >= 9.2e18, let limit = sizeLimits[key] {
                return "`\(key.rawValue)` is \(value); the largest value biasaudit accepts is \(limit) (README, \"Limits\")"
            }
        }
        if let number = object[CodingKeys.layerNormEpsilon.rawValue] as? NSNumber,
            abs(number.doubleValue) > Double(Float.greatestFiniteMagnitude)
        {
            return "`\(CodingKeys.layerNormEpsilon.rawValue)` is \(number.doubleValue), beyond a 32-bit float; GPT-2 uses 1e-05"
        }
        return nil
    }

    /// Width of one attention head (`n_embd / n_head`).
    public var headSize: Int { embeddingSize / headCount }

    /// Width of the MLP's hidden layer (`n_inner`, or 4·`n_embd` when absent).
    public var feedForwardSize: Int { innerSize ?? 4 * embeddingSize }

    /// Checks that this implementation can run the configuration.
    /// - Throws: `GPT2Error.invalidConfiguration` naming the offending key.
    public func validate() throws {
        let sizes: [(CodingKeys, Int?)] = [
            (.vocabularySize, vocabularySize), (.contextLength, contextLength), (.embeddingSize, embeddingSize),
            (.layerCount, layerCount), (.headCount, headCount), (.innerSize, innerSize),
        ]
        for case let (key, value?) in sizes {
            guard value > 0 else {
                throw GPT2Error.invalidConfiguration(key: key.rawValue, value: "\(value)", reason: "sizes must be positive")
            }
            // Checked before anything is allocated or multiplied, so no size from a file can overflow or
            // reserve memory the weights file does not back.
            if let limit = Self.sizeLimits[key], value > limit {
                throw GPT2Error.invalidConfiguration(
                    key: key.rawValue, value: "\(value)",
                    reason: "the largest value biasaudit accepts is \(limit) (README, \"Limits\"); check that config.json is not corrupt")
            }
        }
        guard embeddingSize % headCount == 0 else {
            throw GPT2Error.invalidConfiguration(
                key: CodingKeys.embeddingSize.rawValue, value: "\(embeddingSize)",
                reason: "n_embd must be divisible by n_head (\(headCount))")
        }
        guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else {
            throw GPT2Error.invalidConfiguration(
                key: CodingKeys.layerNormEpsilon.rawValue, value: "\(layerNormEpsilon)",
                reason: "the layer-norm epsilon must be a positive finite number")
        }
        guard Self.supportedActivations.contains(activationFunction) else {
            throw GPT2Error.invalidConfiguration(
                key: CodingKeys.activationFunction.rawValue, value: "\"\(activationFunction)\"",
                reason: "only the tanh-approximated GELU (gelu_new, gelu_pytorch_tanh) is implemented")
        }
        let unsupportedFlags: [(CodingKeys, Bool)] = [
            (.scaleAttentionByInverseLayerIndex, scaleAttentionByInverseLayerIndex),
            (.reorderAndUpcastAttention, reorderAndUpcastAttention),
            (.addCrossAttention, addCrossAttention),
        ]
        for (key, flag) in unsupportedFlags where flag {
            throw GPT2Error.invalidConfiguration(
                key: key.rawValue, value: "true", reason: "this option is not implemented; it must be false")
        }
        guard modelType == "gpt2" else {
            throw GPT2Error.invalidConfiguration(
                key: CodingKeys.modelType.rawValue, value: "\"\(modelType)\"",
                reason: "only GPT-2 models (model_type \"gpt2\") can be run")
        }
    }

    /// The largest accepted value of each size (README, "Limits"): far above every GPT-2 (gpt2-xl has 48 layers
    /// of width 1600 and 1024 positions), small enough that no product of two sizes overflows `Int`.
    static let sizeLimits: [CodingKeys: Int] = [
        .vocabularySize: 1 << 20, .contextLength: 1 << 17, .embeddingSize: 1 << 16, .layerCount: 1024,
        .headCount: 1 << 12, .innerSize: 1 << 18,
    ]

    /// The shape of distilgpt2: 6 layers of width 768 with 12 heads, 1024 positions.
    public static let distilgpt2 = GPT2Configuration(layerCount: 6)

    /// The shape of gpt2 (124M): 12 layers of width 768 with 12 heads, 1024 positions.
    public static let gpt2 = GPT2Configuration(layerCount: 12)

    private static func explain(_ error: DecodingError) -> String {
        // Foundation's descriptions end with a period and name Swift types ("Dictionary<String, Any>").
        func sentence(_ text: String) -> String {
            text.hasSuffix(".") ? String(text.dropLast()) : text
        }
        func located(_ context: DecodingError.Context, _ text: String) -> String {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? text : "`\(path)`: \(text)"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return located(context, "expected \(jsonKind(of: type)) there")
        case .valueNotFound(_, let context), .keyNotFound(_, let context):
            return located(context, sentence(context.debugDescription))
        case .dataCorrupted(let context):
            return sentence(context.debugDescription)
        @unknown default:
            return "\(error)"
        }
    }

    /// The JSON kind a decoded Swift type stands for: "an object", "a number", …
    private static func jsonKind(of type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") { return "a JSON object ({…})" }
        if name.hasPrefix("Array") { return "a JSON list ([…])" }
        if name.hasPrefix("String") { return "a text" }
        if name.hasPrefix("Bool") { return "true or false" }
        if ["Int", "Double", "Float", "UInt"].contains(where: name.hasPrefix) { return "a number" }
        return "a value of another kind"
    }
}
