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
            abstract: "Show the token ids and token strings of a text (GPT-2 by default, or BERT WordPiece).",
            discussion: """
                Without --model, uses the bundled GPT-2 vocabulary (the one distilgpt2 and gpt2 share): no \
                download, no network. --model takes a Hub id or a directory; only its tokenizer files are \
                read or fetched: vocab.json + merges.txt (GPT-2 byte-level BPE) or vocab.txt + \
                tokenizer_config.json (BERT WordPiece, e.g. bert-base-uncased, which adds [CLS] … [SEP] as \
                tokenizer.encode does). GPT-2 token strings are shown as in the vocabulary: Ġ marks a \
                leading space, Ċ a newline. With --jsonl, reads lines {"text": …} (LF or CRLF line endings) \
                and writes one {"text", "ids", "tokens"} line per input.
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A Hub id (gpt2, bert-base-uncased, org/name, optionally @revision) or a directory with vocab.json and merges.txt, or vocab.txt and tokenizer_config.json. Default: the bundled GPT-2 vocabulary.",
                valueName: "model"))
        var model: String?

        @OptionGroup var hub: HubOptions

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
                let tokenizer = try await TokenizerSource.load(model, hub: hub).tokenizer
                if let jsonl {
                    let encoder = AuditJSON.encoder(pretty: false)
                    for text in try Self.jsonLinesTexts(at: URL(fileURLWithPath: jsonl)) {
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

        /// The texts of a JSON Lines file with LF or CRLF line endings. CRLF is turned into LF on the bytes
        /// before ``JSONLinesInput`` splits the text (which splits on the Character "\n"; in Swift "\r\n" is
        /// one Character, so CRLF files would otherwise read as a single line). JSON forbids raw CR inside
        /// strings, so no text changes.
        private static func jsonLinesTexts(at url: URL) throws -> [String] {
            let data = try InputFile.read(url, what: "the JSON Lines input", limit: InputFile.Limit.results)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(data.count)
            for (index, byte) in data.enumerated() {
                let nextIsLineFeed = index + 1 < data.count && data[data.startIndex + index + 1] == UInt8(ascii: "\n")
                if byte == UInt8(ascii: "\r"), nextIsLineFeed { continue }
                bytes.append(byte)
            }
            return try JSONLinesInput.texts(in: Data(bytes), path: url.path)
        }
    }
}

/// The JSON shape of `tokenize --json` and of each `--jsonl` output line.
private struct TokenizedText: Encodable {
    var text: String?
    var ids: [Int]
    var tokens: [String]
}
