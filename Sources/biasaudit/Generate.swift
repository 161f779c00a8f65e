import ArgumentParser
import AuditResults
import AuditRun
import Foundation
import Generation
import Reporting

extension BiasAudit {
    /// `biasaudit generate`: text generation, as in the seed notebook.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate continuations of a prompt.",
            discussion: """
                Samples with temperature, then top-k, then top-p (Hugging Face's order), or picks the most \
                probable token with --greedy. Sample i uses random stream i of --seed, so the same command \
                prints the same text, and sample i is the same whether generated alone or with others.
                """)

        @OptionGroup var model: ModelOptions
        @OptionGroup var sampling: SamplingOptions

        @Argument(help: "The prompt.")
        var prompt: String

        @Flag(name: .long, help: "Pick the most probable token at every step (no sampling).")
        var greedy = false

        @Option(name: .long, help: "How many continuations to generate.")
        var samples: Int = 1

        @Option(name: .customLong("max-new-tokens"), help: "Maximum tokens per continuation.")
        var maxNewTokens: Int = 40

        @Flag(name: .customLong("ignore-eos"), help: "Keep generating after <|endoftext|> until --max-new-tokens.")
        var ignoreEOS = false

        @Flag(name: .long, help: "Print {\"prompt_ids\", \"samples\": [{\"ids\", \"text\"}]} as JSON.")
        var json = false

        func validate() throws {
            try validateSizes(samples: samples, maxNewTokens: maxNewTokens)
            guard !prompt.isEmpty else { throw ValidationError("the prompt is empty; give at least one character") }
        }

        func run() async throws {
            try await reportingErrors {
                let loaded = try await ModelLoader.load(model.model, locator: try model.hub.locator())
                let ids = try loaded.promptIDs(prompt)
                let generator = try Generator(
                    model: loaded.model, parameters: sampling.parameters(greedy: greedy), maxNewTokens: maxNewTokens,
                    endOfTextID: loaded.tokenizer.endOfTextID, stopAtEndOfText: !ignoreEOS)
                let request = GenerationRequest(promptIDs: ids, streamIDs: (0..<samples).map(UInt64.init))
                let generated = try generator.generate([request])[0]
                let outputs = generated.map {
                    GeneratedOutput(ids: $0.ids, text: loaded.tokenizer.decode($0.ids), stopReason: $0.stopReason.rawValue)
                }
                if json {
                    let output = GenerateOutput(promptIds: ids, samples: outputs)
                    print(String(decoding: try AuditJSON.encoder(pretty: false).encode(output), as: UTF8.self))
                } else {
                    print(TerminalText.samples(prompt: prompt, continuations: outputs.map { ($0.text, $0.stopReason) }))
                }
            }
        }
    }
}

private struct GeneratedOutput: Encodable {
    var ids: [Int]
    var text: String
    var stopReason: String
}

private struct GenerateOutput: Encodable {
    var promptIds: [Int]
    var samples: [GeneratedOutput]
}
