import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import PromptSets
import Foundation
import Reporting

extension BiasAudit {
    /// `biasaudit decode`: token ids back to text, with any vocabulary (the notebook's cross-decoding exercise).
    struct Decode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn token ids back into text (GPT-2 by default, or BERT WordPiece).",
            discussion: """
                Without --model, uses the bundled GPT-2 vocabulary: `biasaudit decode 32 890 640 2084` prints \
                "A long time ago". --model takes a Hub id or a directory, as for tokenize; decoding GPT-2 ids \
                with BERT's vocabulary (--model bert-base-uncased) shows why a model needs its own tokenizer. \
                Ids may be separated by spaces or commas, and a pasted Python list ([32, 890]) works. \
                Special tokens ([CLS], [SEP], [UNK], [PAD], [MASK]; <|endoftext|> for GPT-2) are dropped, as \
                Hugging Face tokenizers' decode does by default; --keep-special-tokens keeps them, as \
                transformers' tokenizer.decode does by default. WordPiece "##" pieces join the piece before them. \
                An id outside the vocabulary is an error (exit 65); --skip-out-of-range drops such ids with a \
                warning instead, as Hugging Face's decode drops them silently (GPT-2 ids above 30521 have no \
                token in bert-base-uncased's vocabulary). As in generate's output, line breaks are kept and \
                other control characters are shown as \\u{…} escapes (--json keeps the exact text).
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "[LABEL=]SPEC: a Hub id or a directory, as for tokenize. Default: the bundled GPT-2 vocabulary.",
                valueName: "model"))
        var model: String?

        @OptionGroup var hub: HubOptions

        @Argument(help: ArgumentHelp("The token ids.", valueName: "ids"))
        var arguments: [String] = []

        @Flag(name: .long, help: "Also show each token: its id and vocabulary string.")
        var tokens = false

        @Flag(name: .long, help: "Print {\"ids\", \"tokens\", \"text\"} as JSON.")
        var json = false

        @Flag(name: .customLong("keep-special-tokens"), help: "Keep special tokens in the text.")
        var keepSpecialTokens = false

        @Flag(name: .customLong("skip-out-of-range"), help: "Drop ids outside the vocabulary (with a warning) instead of failing.")
        var skipOutOfRange = false

        func validate() throws {
            if let model { _ = try ModelArgument.validated([model]) }
            guard !arguments.isEmpty else { throw ValidationError("give the token ids to decode, e.g. 32 890 640 2084") }
            // The ids are read in run(): ArgumentParser says "Unknown option" only after validate() passed, so
            // `decode --lang es 32` said "'es' is not a token id" (a helper's review) instead of naming --lang.
        }

        /// One id as given: its text and its value, nil for a whole number beyond 64 bits (`99999999999999999999`),
        /// which no vocabulary holds: it is out of range like `99999` or `-1` (exit 65, or dropped with --skip-out-of-range),
        /// not "not a token id" (a hostile review: the message said it was no whole number).
        struct GivenID {
            var text: String
            var value: Int?
        }

        /// The ids of the arguments: each argument may hold several, separated by commas, with brackets around.
        func ids() throws -> [GivenID] {
            let separators = CharacterSet(charactersIn: ",[]").union(.whitespacesAndNewlines)
            // A list cut short when pasted ("[32, 890") would decode as if whole; nested lists that pair up
            // (a batch of one, `[[32, 890]]`) are fine.
            let joined = arguments.joined(separator: " ")
            var depth = 0
            for character in joined {
                if character == "[" { depth += 1 } else if character == "]" { depth -= 1 }
                guard depth >= 0 else { break }
            }
            guard depth == 0 else {
                throw ValidationError("the brackets of the token ids do not pair up; paste the whole list, e.g. [32, 890, 640]")
            }
            var ids: [GivenID] = []
            for argument in arguments {
                for part in argument.components(separatedBy: separators) where !part.isEmpty {
                    if let id = Int(part) {
                        ids.append(GivenID(text: part, value: id))
                    } else if Self.isWholeNumber(part) {
                        ids.append(GivenID(text: part, value: nil))
                    } else {
                        throw ValidationError(
                            "'\(TextEscaping.excerpt(part, limit: 40))' is not a token id; give whole numbers such as 32 890 640 2084")
                    }
                }
            }
            guard !ids.isEmpty else { throw ValidationError("give the token ids to decode, e.g. 32 890 640 2084") }
            return ids
        }

        /// Whether `text` is an optional sign and decimal digits only (a whole number of any size).
        static func isWholeNumber(_ text: String) -> Bool {
            let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
            return !digits.isEmpty && digits.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }

        func run() async throws {
            let given: [GivenID]
            do {
                given = try ids()
            } catch {
                // As ArgumentParser says a validate() error: with this command's usage line, exit 64.
                let text = (error as? ValidationError)?.message ?? "\(error)"
                StandardStreams.writeError(
                    "Error: \(text)\nUsage: \(BiasAudit.usageString(for: Self.self))\n"
                        + "  See 'biasaudit decode --help' for more information.\n")
                StoppingSignals.exit(64)
            }
            try await reportingErrors {
                let source = try await TokenizerSource.load(model, hub: hub)
                let tokenizer = source.tokenizer
                let outside = given.enumerated().filter { $0.element.value.flatMap(tokenizer.token(for:)) == nil }
                if let (position, id) = outside.first, !skipOutOfRange {
                    throw CommandFailure(
                        message: "error: token id \(TextEscaping.excerpt(id.text, limit: 40)) (id \(position + 1) of \(given.count)) "
                            + "is not in \(source.name), "
                            + "whose ids run from 0 to \(tokenizer.vocabularySize - 1); pass ids from this vocabulary, "
                            + "--model for the vocabulary the ids came from, or --skip-out-of-range to drop such ids",
                        exitCode: 65)
                }
                if !outside.isEmpty {
                    printError(
                        "warning: dropped \(outside.count) id(s) not in \(TextEscaping.line(source.name)) (ids 0 to \(tokenizer.vocabularySize - 1)): "
                            + outside.map { TextEscaping.excerpt($0.element.text, limit: 40) }.joined(separator: " "))
                }
                let ids = given.compactMap { $0.value.flatMap { tokenizer.token(for: $0) == nil ? nil : $0 } }
                let text = tokenizer.decode(ids, skipSpecialTokens: !keepSpecialTokens)
                if json {
                    let output = DecodedText(ids: ids, tokens: tokenizer.tokens(for: ids), text: text)
                    print(String(decoding: try AuditJSON.encoder(pretty: false).encode(output), as: UTF8.self))
                } else if tokens {
                    print(TerminalText.tokenTable(ids: ids, tokens: tokenizer.tokens(for: ids)))
                    print(TextEscaping.defusingWorkflowCommands("text: \(TextEscaping.visible(text))"))
                } else {
                    // As `generate` prints model text: line breaks kept, every other control character
                    // (ESC, NUL, a lone CR becomes a line break) shown as \u{…}, never sent to the terminal.
                    print(TextEscaping.defusingWorkflowCommands(TextEscaping.visible(text)))
                }
            }
        }
    }
}

/// The JSON shape of `decode --json`.
private struct DecodedText: Encodable {
    var ids: [Int]
    var tokens: [String]
    var text: String
}
