import ArgumentParser
import AuditResults
import AuditRun
import Foundation
import Generation
import PromptSets
import Reporting

extension BiasAudit {
    /// `biasaudit next-token`: the model's next-token distribution after a prompt.
    struct NextToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next-token",
            abstract: "Show the next-token distribution (logits → softmax) after a prompt.",
            discussion: """
                The probabilities are the full softmax over the vocabulary. --token TEXT (repeatable) also \
                shows the id, logit, probability and rank of the token TEXT encodes to (with its leading \
                space: " he", not "he"); a text that is several tokens is reported by its first token, \
                with the probability of the whole text as the next tokens beside it.

                --temperature, --top-k and --top-p add what sampling does to the distribution, in Hugging \
                Face's order (temperature, then top-k, then top-p): the temperature softmax, the \
                distribution top-p sees after top-k, and the renormalised probability each surviving \
                token is sampled with, or which warper removed it. Unset, they are off (1, 0, 1).

                A model served through an OpenAI-compatible API (--model http(s)://HOST[:PORT]/v1#NAME) shows \
                the first token's top log-probabilities as the server returns them (at most what it allows, \
                often 20): "prob" and "logprob" per token, "id" and "logit" null and "prompt_ids" empty (the \
                server sends neither; a --token entry has "ids" empty and "multi_token" null too); a --token outside that list has no probability. The warpers and --top 0 need an \
                in-process model.
                """)

        /// The values `--top` takes (0: the whole vocabulary), stated once for the declaration and `validate()`.
        static let topRange = 0...Int.max
        /// How `--top`'s values are said, in both its refusals (its upper end, Int.max, is no bound anyone types).
        static let acceptedTop = "0 (everything) or a positive count"

        @OptionGroup var model: ModelOptions

        @Argument(help: "The prompt.")
        var prompt: String

        @Option(
            name: .long, help: "How many of the most probable tokens to show (0 = the whole vocabulary).", wholeNumbers: Self.acceptedTop)
        var top: Int = 10

        @Option(
            name: .customLong("token"), parsing: .singleValue,
            help: ArgumentHelp("Also show this token's id, logit, probability and rank (repeatable), e.g. --token \" he\" --token \" she\".", valueName: "text"))
        var tokens: [String] = []

        @Option(name: .long, help: "Show the distribution at this softmax temperature, \(SamplingParameters.acceptedTemperaturesInHelp).", transform: NumericArgument.temperature)
        var temperature: Double?

        @Option(name: .customLong("top-k"), help: "Show which tokens top-k keeps (0 = off).", transform: NumericArgument.topK)
        var topK: Int?

        @Option(name: .customLong("top-p"), help: "Show which tokens top-p keeps, \(SamplingParameters.acceptedTopP) (1 = off).", transform: NumericArgument.topP)
        var topP: Double?

        @OptionGroup var precision: PrecisionOptions
        @OptionGroup var timeout: RequestTimeoutOption

        @Flag(name: .long, help: "Print {\"prompt_ids\", \"top\": [{\"id\", \"token\", \"logit\", \"prob\"}], \"tokens\": [… \"rank\"]} as JSON.")
        var json = false

        /// The warpers asked for, or nil when none was given.
        private var warping: SamplingParameters? {
            guard temperature != nil || topK != nil || topP != nil else { return nil }
            return SamplingParameters(temperature: Float(temperature ?? 1), topK: topK ?? 0, topP: Float(topP ?? 1))
        }

        func validate() throws {
            guard Self.topRange.contains(top) else { throw NumericArgument.refusal("--top", mustBe: Self.acceptedTop, found: top) }
            guard !prompt.isEmpty else { throw ValidationError("the prompt is empty; give at least one character") }
            if let empty = tokens.firstIndex(of: "") {
                throw ValidationError("--token number \(empty + 1) is empty; give the token's text, e.g. --token \" he\"")
            }
            do {
                // As given, before rounding to Float (a hostile review: --top-p 1.0000000000000002 showed "top-p off").
                if warping != nil { try SamplingParameters.validate(temperature: temperature ?? 1, topK: topK ?? 0, topP: topP ?? 1) }
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run() async throws {
            try await reportingErrors {
                if EndpointSpec.isEndpoint(try model.argument().spec) {
                    try await runServed(try model.argument())
                    return
                }
                let loaded = try await ModelLoader.load(
                    try model.argument(), locator: try model.hub.locatorSayingStoppedDownloads(), precision: precision.precision, samples: false)
                let ids = try loaded.promptIDs(prompt)
                // Every --token is encoded (linear in its text) and refused when prompt plus text cannot fit the
                // context, before any forward pass.
                let tokenIDs = try tokens.map { try Self.tokenIDs(of: $0, loaded: loaded, promptCount: ids.count) }
                let logits = try NextTokenProbabilities.lastLogits(model: loaded.model, promptIDs: ids)
                let distribution = logits.withUnsafeBufferPointer { nextTokenDistribution(logits: $0) }
                var rank = [Int](repeating: 0, count: distribution.count)
                for (position, entry) in distribution.enumerated() { rank[entry.id] = position + 1 }
                let warped = warping.map { WarpedDistribution(logits: logits, parameters: $0) }

                let shown = top == 0 ? distribution : Array(distribution.prefix(top))
                let entries = shown.map {
                    NextTokenEntry(
                        id: $0.id, token: loaded.tokenizer.decode([$0.id]), logit: $0.logit, prob: $0.probability,
                        warped: warped)
                }
                let named = try zip(tokens, tokenIDs).map { text, textIDs in
                    try NamedToken(
                        text: text, ids: textIDs, loaded: loaded, promptIDs: ids, logits: logits, distribution: distribution,
                        rank: rank, warped: warped)
                }
                if json {
                    let output = NextTokenOutput(
                        promptIds: ids, top: entries, tokens: tokens.isEmpty ? nil : named,
                        warping: warped.map(WarpingSummary.init))
                    print(String(decoding: try AuditJSON.encoder(pretty: false).encode(output), as: UTF8.self))
                } else {
                    print(text(entries: entries, named: named, warped: warped))
                }
            }
        }

        /// The ids `text` encodes to, refused (exit 64) when it encodes to none or when the prompt's `promptCount` tokens
        /// and the text's do not fit the model's context (P(whole text) reads all but its last token after the prompt).
        static func tokenIDs(of text: String, loaded: LoadedModel, promptCount: Int) throws -> [Int] {
            let ids = loaded.tokenizer.encode(text)
            guard !ids.isEmpty else {
                throw AuditError.usage(
                    "--token '\(TextEscaping.excerpt(text))' encodes to no token; give the token's text, e.g. --token \" he\"")
            }
            let context = loaded.configuration.contextLength
            guard NextTokenProbabilities.continuationFits(promptCount: promptCount, textCount: ids.count, contextLength: context)
            else {
                throw AuditError.usage(
                    "--token '\(TextEscaping.excerpt(text))' is \(ids.count) tokens long and the prompt \(promptCount); "
                        + "\(loaded.label) reads at most \(context) tokens, so the text can be at most "
                        + "\(context - promptCount + 1) tokens after this prompt: shorten the text or the prompt")
            }
            return ids
        }

        private func text(entries: [NextTokenEntry], named: [NamedToken], warped: WarpedDistribution?) -> String {
            var sections: [String] = []
            if let warped {
                sections.append(
                    LabText.warpedTable(
                        prompt: prompt, summary: WarpingSummary(warped).line,
                        topP: warped.parameters.topP < 1 ? warped.parameters.topP : nil,
                        rows: entries.map {
                            LabText.WarpedRow(
                                id: $0.id, token: $0.token, logit: $0.logit, prob: $0.prob,
                                temperatureProb: $0.temperatureProb ?? 0, afterTopKProb: $0.afterTopKProb ?? 0,
                                samplingProb: $0.samplingProb ?? 0, removedBy: $0.removedBy?.rawValue)
                        }))
            } else {
                sections.append(
                    TerminalText.nextTokenTable(prompt: prompt, entries: entries.map { ($0.id, $0.token, $0.logit, $0.prob) }))
            }
            if !named.isEmpty {
                sections.append(
                    LabText.namedTokenTable(
                        named.map {
                            LabText.NamedRow(
                                text: $0.text, ids: $0.ids, id: $0.id, token: $0.token, logit: $0.logit, prob: $0.prob,
                                rank: $0.rank, textProb: $0.textProb, samplingProb: $0.samplingProb,
                                removedBy: $0.removedBy?.rawValue)
                        }))
            }
            return sections.joined(separator: "\n\n")
        }
    }
}

/// One row of `top`; the warped fields are present only when a warper was asked for, and `removed_by`
/// only for a token that cannot be sampled.
private struct NextTokenEntry: Encodable {
    var id: Int
    var token: String
    var logit: Float
    var prob: Float
    var temperatureProb: Float?
    var afterTopKProb: Float?
    var samplingProb: Float?
    var removedBy: WarpedDistribution.Removal?

    init(id: Int, token: String, logit: Float, prob: Float, warped: WarpedDistribution?) {
        self.id = id
        self.token = token
        self.logit = logit
        self.prob = prob
        if let warped {
            temperatureProb = warped.temperatureProbabilities[id]
            afterTopKProb = warped.afterTopK[id]
            samplingProb = warped.final[id]
            removedBy = warped.removal(of: id)
        }
    }
}

/// A `--token` text: its first token's id, logit, probability and rank in the full distribution.
private struct NamedToken: Encodable {
    /// The text as given.
    var text: String
    /// Every token id the text encodes to.
    var ids: [Int]
    /// More than one token: the fields below describe the first.
    var multiToken: Bool
    var id: Int
    var token: String
    var logit: Float
    var prob: Float
    /// 1 = most probable (descending logit, ties by ascending id).
    var rank: Int
    /// For a multi-token text, P(all its tokens follow the prompt) = ∏ P(token i | prompt, tokens before i).
    var textProb: Double?
    var temperatureProb: Float?
    var afterTopKProb: Float?
    var samplingProb: Float?
    var removedBy: WarpedDistribution.Removal?

    init(
        text: String, ids: [Int], loaded: LoadedModel, promptIDs: [Int], logits: [Float],
        distribution: [NextTokenProbability], rank: [Int], warped: WarpedDistribution?
    ) throws {
        let first = ids[0]
        self.text = text
        self.ids = ids
        multiToken = ids.count > 1
        id = first
        token = loaded.tokenizer.decode([first])
        logit = logits[first]
        self.rank = rank[first]
        // The very number `top` prints for this token.
        prob = distribution[self.rank - 1].probability
        if multiToken {
            let firstLog = logits.withUnsafeBufferPointer { NextTokenProbabilities.logSoftmax($0, first) }
            let rest = try NextTokenProbabilities.continuationLogProbability(
                model: loaded.model, promptIDs: promptIDs, continuation: ids)
            textProb = exp(firstLog + rest)
        }
        if let warped {
            temperatureProb = warped.temperatureProbabilities[first]
            afterTopKProb = warped.afterTopK[first]
            samplingProb = warped.final[first]
            removedBy = warped.removal(of: first)
        }
    }
}

/// The warper settings and what they keep.
private struct WarpingSummary: Encodable {
    var temperature: Float
    var topK: Int
    var topP: Float
    /// Tokens that can be sampled.
    var kept: Int
    /// Tokens top-k keeps (the vocabulary when off).
    var keptByTopK: Int
    /// The temperature-softmax mass of the tokens that can be sampled.
    var keptTemperatureMass: Double

    init(_ warped: WarpedDistribution) {
        temperature = warped.parameters.temperature
        topK = warped.parameters.topK
        topP = warped.parameters.topP
        kept = warped.kept.count
        keptByTopK = warped.keptByTopK
        keptTemperatureMass = warped.keptTemperatureMass
    }

    /// One sentence for the terminal.
    var line: String {
        let percent = String(format: "%.1f%%", 100 * keptTemperatureMass)
        let settings = "temperature \(temperature), top-k \(topK == 0 ? "off" : String(topK)), top-p \(topP == 1 ? "off" : String(topP)): "
        // Say what each warper that is on keeps, once; a warper that is off is named off above only.
        switch (topK == 0, topP == 1) {
        case (true, true):
            return settings + "all \(kept) tokens can be sampled, with the temperature-\(temperature) probabilities below"
        case (true, false):
            return settings + "top-p keeps \(kept) of the \(keptByTopK) tokens; they hold \(percent) of the "
                + "temperature-\(temperature) probability and are sampled with the renormalised probabilities below"
        case (false, true):
            return settings + "top-k keeps \(keptByTopK) tokens; they hold \(percent) of the "
                + "temperature-\(temperature) probability and are sampled with the renormalised probabilities below"
        case (false, false):
            return settings + "top-k keeps \(keptByTopK) tokens, top-p then keeps \(kept); they hold \(percent) of the "
                + "temperature-\(temperature) probability and are sampled with the renormalised probabilities below"
        }
    }
}

private struct NextTokenOutput: Encodable {
    var promptIds: [Int]
    var top: [NextTokenEntry]
    var tokens: [NamedToken]?
    var warping: WarpingSummary?
}
