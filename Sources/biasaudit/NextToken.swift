import ArgumentParser
import AuditResults
import AuditRun
import Foundation
import Generation
import Reporting

extension BiasAudit {
    /// `biasaudit next-token`: the model's next-token distribution after a prompt.
    struct NextToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next-token",
            abstract: "Show the next-token distribution (logits → softmax) after a prompt.",
            discussion: "The probabilities are the full softmax over the vocabulary, with no temperature or top-k/top-p.")

        @OptionGroup var model: ModelOptions

        @Argument(help: "The prompt.")
        var prompt: String

        @Option(name: .long, help: "How many of the most probable tokens to show (0 = the whole vocabulary).")
        var top: Int = 10

        @Flag(name: .long, help: "Print {\"prompt_ids\", \"top\": [{\"id\", \"token\", \"logit\", \"prob\"}]} as JSON.")
        var json = false

        func validate() throws {
            guard top >= 0 else { throw ValidationError("--top must be 0 (everything) or a positive count") }
            guard !prompt.isEmpty else { throw ValidationError("the prompt is empty; give at least one character") }
        }

        func run() async throws {
            try await reportingErrors {
                let loaded = try await ModelLoader.load(try model.argument(), locator: try model.hub.locator())
                let ids = try loaded.promptIDs(prompt)
                let distribution = try NextTokenProbabilities.distribution(model: loaded.model, promptIDs: ids)
                let shown = top == 0 ? distribution : Array(distribution.prefix(top))
                let entries = shown.map {
                    NextTokenEntry(id: $0.id, token: loaded.tokenizer.decode([$0.id]), logit: $0.logit, prob: $0.probability)
                }
                if json {
                    let output = NextTokenOutput(promptIds: ids, top: entries)
                    print(String(decoding: try AuditJSON.encoder(pretty: false).encode(output), as: UTF8.self))
                } else {
                    print(TerminalText.nextTokenTable(prompt: prompt, entries: entries.map { ($0.id, $0.token, $0.logit, $0.prob) }))
                }
            }
        }
    }
}

private struct NextTokenEntry: Encodable {
    var id: Int
    var token: String
    var logit: Float
    var prob: Float
}

private struct NextTokenOutput: Encodable {
    var promptIds: [Int]
    var top: [NextTokenEntry]
}
