import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import PromptSets
import Reporting

extension BiasAudit {
    /// `biasaudit score`: the lexicon scores of a text or of every line of a JSONL file.
    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score text with VADER sentiment and the pronoun / gendered-word lexicon.",
            discussion: """
                Prints VADER's neg/neu/pos/compound and counts of male, female and neutral pronouns \
                and gendered nouns. With --jsonl, reads lines {"text": …} and writes one JSON line per input. \
                Both lexicons read English: a text that reads as Spanish, French, Italian or Portuguese gets a \
                note on standard error, since its words score only where they are English words too.
                """)

        @Argument(help: "The text to score.")
        var text: String?

        @Option(name: .long, help: "Score every line {\"text\": …} of this JSON Lines file.")
        var jsonl: String?

        @Flag(name: .long, help: "Print JSON instead of a table.")
        var json = false

        @Option(name: .customLong("gender-lexicon"), help: "Replace the bundled gendered-word list with this file.")
        var genderLexicon: String?

        /// What the note on a text in another language says of the lexicons.
        static let englishOnly = "VADER and the gendered-word lexicon read English only, so its words score only where "
            + "they are English words too (a sentence without one scores compound 0); score English text"

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
                    var otherLanguage = 0
                    for text in try JSONLinesInput.texts(in: data, path: url.path) {
                        print(String(decoding: try encoder.encode(scorer.score(text)), as: UTF8.self))
                        // On the text's start: enough to tell a language, and a long completion's every word doubled the
                        // command's time (a review).
                        if TemplateLanguage.evidence([String(text.prefix(2000))]) != nil { otherLanguage += 1 }
                    }
                    if otherLanguage > 0 {
                        printError("biasaudit: note: \(ReportNumbers.counted(otherLanguage, "line")) of "
                            + "\(TextEscaping.path(url.path)) \(otherLanguage == 1 ? "reads" : "read") as another language than English; "
                            + Self.englishOnly)
                    }
                } else if let text {
                    // A student's lab in Spanish (a teaching assistant's review): "La enfermera es maravillosa y buena"
                    // scored compound 0 without a word.
                    if let evidence = TemplateLanguage.evidence([text]) {
                        let shown = evidence.words.map { "'\(TextEscaping.excerpt($0, limit: 20))'" }.joined(separator: ", ")
                        let language = evidence.language?.name ?? "another language than English"
                        printError("biasaudit: note: the text reads as \(language) (\(shown)); " + Self.englishOnly)
                    }
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
