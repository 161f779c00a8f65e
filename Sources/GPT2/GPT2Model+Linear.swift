/// One linear layer of the network: a block's (index) four matrix products, or the LM head.
enum LinearLayer {
    case qkv(Int)
    case attentionProjection(Int)
    case feedForward(Int)
    case feedForwardProjection(Int)
    case head
}

/// A model's linear layers in bf16 (`GPT2Precision.bf16`), packed once at load, and the engine that
/// runs them.
final class BF16Weights: Sendable {
    struct Block {
        let qkv, attentionProjection, feedForward, feedForwardProjection: BF16Linear
    }

    let blocks: [Block]
    let head: BF16Linear
    let engine: BF16Engine

    /// Packs every matrix of `weights` (the Float32 tensors stay: biases are read from them, and
    /// embeddings and layer norms stay Float32).
    /// - Throws: `GPT2Error.invalidArgument` when oneDNN refuses a shape.
    init(configuration: GPT2Configuration, weights: GPT2Weights, pool: ComputePool = .shared) throws {
        let c = configuration.embeddingSize
        let f = configuration.feedForwardSize
        let threads = pool.threadCount
        func pack(_ weight: ParameterTensor, _ bias: ParameterTensor?, _ inSize: Int, _ outSize: Int) throws -> BF16Linear {
            try BF16Linear(
                weight: weight.pointer, bias: bias.map { UnsafePointer($0.pointer) }, inSize: inSize, outSize: outSize,
                layout: .inputMajor, threads: threads)
        }
        blocks = try weights.blocks.map { block in
            Block(
                qkv: try pack(block.qkvWeight, block.qkvBias, c, 3 * c),
                attentionProjection: try pack(block.attentionProjectionWeight, block.attentionProjectionBias, c, c),
                feedForward: try pack(block.feedForwardWeight, block.feedForwardBias, c, f),
                feedForwardProjection: try pack(block.feedForwardProjectionWeight, block.feedForwardProjectionBias, f, c))
        }
        head = try BF16Linear(
            weight: weights.languageModelHead.pointer, bias: nil, inSize: c, outSize: configuration.vocabularySize,
            layout: .outputMajor, threads: threads)
        engine = BF16Engine(pool: pool)
    }

    func linear(_ layer: LinearLayer) -> BF16Linear {
        switch layer {
        case .qkv(let index): blocks[index].qkv
        case .attentionProjection(let index): blocks[index].attentionProjection
        case .feedForward(let index): blocks[index].feedForward
        case .feedForwardProjection(let index): blocks[index].feedForwardProjection
        case .head: head
        }
    }
}

extension GPT2Model {
    /// out: (N, outSize), inp: (N, inSize) for the shapes of `layer`: `out = inp · W + bias` (no bias for
    /// the LM head), `out += …` when `accumulate`, GELU-tanh after when `gelu`. In the model's precision:
    /// `matmul` (F32, its padded last rows in `workspace.matmulScratch`) or `BF16Engine.product` (bf16,
    /// rounding `inp` into `workspace.bf16Input`); N at most the workspace's token capacity.
    func linear(
        _ layer: LinearLayer, out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, rows: Int,
        workspace: ForwardWorkspace, accumulate: Bool = false, gelu: Bool = false
    ) {
        if let bf16 {
            bf16.engine.product(
                bf16.linear(layer), out: out, inp: inp, rows: rows, inputBuffer: workspace.bf16Input,
                accumulate: accumulate, gelu: gelu)
            return
        }
        let c = configuration.embeddingSize
        let f = configuration.feedForwardSize
        let (weight, bias, inSize, outSize): (ParameterTensor, ParameterTensor?, Int, Int)
        switch layer {
        case .qkv(let index):
            (weight, bias, inSize, outSize) = (weights.blocks[index].qkvWeight, weights.blocks[index].qkvBias, c, 3 * c)
        case .attentionProjection(let index):
            let block = weights.blocks[index]
            (weight, bias, inSize, outSize) = (block.attentionProjectionWeight, block.attentionProjectionBias, c, c)
        case .feedForward(let index):
            (weight, bias, inSize, outSize) = (weights.blocks[index].feedForwardWeight, weights.blocks[index].feedForwardBias, c, f)
        case .feedForwardProjection(let index):
            let block = weights.blocks[index]
            (weight, bias, inSize, outSize) = (block.feedForwardProjectionWeight, block.feedForwardProjectionBias, f, c)
        case .head:
            (weight, bias, inSize, outSize) = (weights.languageModelHead, nil, c, configuration.vocabularySize)
        }
        var layout = WeightLayout.inputMajor
        if case .head = layer { layout = .outputMajor }
        matmul(
            out: out, inp: inp, weight: weight.pointer, bias: bias?.pointer, rows: rows, inSize: inSize,
            outSize: outSize, layout: layout, accumulate: accumulate, gelu: gelu, scratch: workspace.matmulScratch)
    }
}
