import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import Reporting

extension BiasAudit {
    /// `biasaudit tokenize`: token ids and token strings of a text, as the model sees it.
    struct Tokenize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the GPT-2 token ids and token strings of a text.",
            discussion: """
                Token strings are shown as in the vocabulary: Ġ marks a leading space, Ċ a newline. \
                With --jsonl, reads lines {"text": …} and writes one {"text", "ids", "tokens"} line per input.
                """)

        @OptionGroup var model: ModelOptions

        @Argument(help: "The text to tokenize.")
        var text: String?

        @Option(name: .long, help: "Tokenize every line {\"text\": …} of this JSON Lines file.")
        var jsonl: String?

        @Flag(name: .long, help: "Print {\"ids\", \"tokens\"} as JSON.")
        var json = false

        func validate() throws {
            if (text == nil) == (jsonl == nil) {
                throw ValidationError("give either a TEXT or --jsonl FILE")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let tokenizer = try await ModelLoader.loadTokenizer(model.model, locator: try model.hub.locator())
                if let jsonl {
                    let encoder = AuditJSON.encoder(pretty: false)
                    for text in try JSONLinesInput.texts(at: URL(fileURLWithPath: jsonl)) {
                        let ids = tokenizer.encode(text)
                        let line = TokenizedText(text: text, ids: ids, tokens: tokenizer.tokens(for: ids))
                        print(String(decoding: try encoder.encode(line), as: UTF8.self))
                    }
                } else if let text {
                    let ids = tokenizer.encode(text)
                    let tokens = tokenizer.tokens(for: ids)
                    if json {
                        let output = TokenizedText(text: nil, ids: ids, tokens: tokens)
                        print(String(decoding: try AuditJSON.encoder(pretty: false).encode(output), as: UTF8.self))
                    } else {
                        print(TerminalText.tokenTable(ids: ids, tokens: tokens))
                    }
                }
            }
        }
    }
}

/// The JSON shape of `tokenize --json` and of each `--jsonl` output line.
private struct TokenizedText: Encodable {
    var text: String?
    var ids: [Int]
    var tokens: [String]
}
