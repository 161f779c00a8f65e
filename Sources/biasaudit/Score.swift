import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import Reporting

extension BiasAudit {
    /// `biasaudit score`: the lexicon scores of a text or of every line of a JSONL file.
    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score text with VADER sentiment and the pronoun / gendered-word lexicon.",
            discussion: """
                Prints VADER's neg/neu/pos/compound and counts of male, female and neutral pronouns \
                and gendered nouns. With --jsonl, reads lines {"text": …} and writes one JSON line per input.
                """)

        @Argument(help: "The text to score.")
        var text: String?

        @Option(name: .long, help: "Score every line {\"text\": …} of this JSON Lines file.")
        var jsonl: String?

        @Flag(name: .long, help: "Print JSON instead of a table.")
        var json = false

        @Option(name: .customLong("gender-lexicon"), help: "Replace the bundled gendered-word list with this file.")
        var genderLexicon: String?

        func validate() throws {
            if (text == nil) == (jsonl == nil) {
                throw ValidationError("give either a TEXT or --jsonl FILE")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let scorer = try TextScorer.bundled(genderLexicon: genderLexicon.map { URL(fileURLWithPath: $0) })
                if let jsonl {
                    let encoder = AuditJSON.encoder(pretty: false)
                    let url = URL(fileURLWithPath: jsonl)
                    let data = try InputFile.read(url, what: "the JSON Lines input", limit: InputFile.Limit.results)
                    for text in try JSONLinesInput.texts(in: data, path: url.path) {
                        print(String(decoding: try encoder.encode(scorer.score(text)), as: UTF8.self))
                    }
                } else if let text {
                    let scores = scorer.score(text)
                    if json {
                        print(String(decoding: try AuditJSON.encoder(pretty: false).encode(scores), as: UTF8.self))
                    } else {
                        print(TerminalText.scores(scores))
                    }
                }
            }
        }
    }
}
