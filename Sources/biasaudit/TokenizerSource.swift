import AuditResults
import AuditRun
import CommandSupport
import PromptSets
import Foundation
import Hub
import Tokenizers

/// The vocabulary `tokenize` and `decode` use: the bundled GPT-2 one, or the tokenizer files of a `--model`.
///
/// Only tokenizer files are read or fetched, never weights: a directory needs `vocab.json` + `merges.txt`
/// (GPT-2 byte-level BPE) or `vocab.txt` (BERT WordPiece, with its `tokenizer_config.json`); for a Hub id the
/// client fetches only the tokenizer files (`HubClient.tokenizerSnapshot`).
struct TokenizerSource {
    /// The tokenizer.
    let tokenizer: any TextTokenizer
    /// Where it came from, for messages: "the bundled GPT-2 vocabulary" or the directory's path.
    let name: String

    /// Loads the tokenizer a `--model [LABEL=]SPEC` value names (nil: the bundled GPT-2 vocabulary); a
    /// label names the vocabulary in messages.
    /// - Throws: ``AuditError`` (65 bad files, 74 unreadable, 64 bad label), `HubError` (69 unavailable, 64 bad id).
    static func load(_ model: String?, hub: HubOptions) async throws -> TokenizerSource {
        guard let model else {
            return TokenizerSource(tokenizer: try BundledTokenizer.gpt2(), name: "the bundled GPT-2 vocabulary")
        }
        let (label, spec) = try ModelArgument.split(model)
        if EndpointSpec.isEndpoint(spec) {
            throw AuditError.usage(
                "--model \(EndpointSpec.redactingCredentials(spec)) is an OpenAI-compatible server, whose tokenizer files biasaudit cannot read; give the model's directory or Hub id, or no --model for the bundled GPT-2 vocabulary")
        }
        var source: TokenizerSource
        switch try ModelSpec.parse(spec) {
        case .directory(let directory):
            source = try load(directory: directory)
        case .hub(let repo, let revision):
            let snapshot = try await hub.locatorSayingStoppedDownloads().client.tokenizerSnapshot(repoID: repo, revision: revision)
            source = try load(directory: snapshot.directory, hubID: "\(repo)@\(revision)")
        }
        if let label { source = TokenizerSource(tokenizer: source.tokenizer, name: "\(label) (\(source.name))") }
        return source
    }

    private static func load(directory: URL, hubID: String? = nil) throws -> TokenizerSource {
        let name = hubID.map { "\($0) (\(directory.path))" } ?? directory.path
        func has(_ file: String) -> Bool {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path)
        }
        if has("vocab.txt") {
            let configurationURL = directory.appendingPathComponent("tokenizer_config.json")
            guard has("tokenizer_config.json") else {
                throw AuditError.badInput(
                    path: configurationURL.path,
                    reason: "missing; a WordPiece vocabulary needs its tokenizer_config.json to know do_lower_case "
                        + "and strip_accents (bert-base-uncased's is {\"do_lower_case\": true}); add it beside vocab.txt")
            }
            let configurationData = try read(configurationURL)
            let configuration = try mappingTokenizerErrors(in: directory) {
                try WordPieceConfiguration(tokenizerConfiguration: configurationData)
            }
            // A key given twice: `JSONDecoder` keeps the first, Hugging Face (Python's json) the last, and the tokens
            // differ (hostile tester: `do_lower_case` true then false lower-cased here and not in transformers).
            if let repeated = AuditJSON.duplicateKeyProblem(in: configurationData, folding: nil) {
                throw AuditError.badInput(path: configurationURL.path, reason: repeated)
            }
            let tokenizer = try mappingTokenizerErrors(in: directory) {
                try WordPieceTokenizer(
                    vocabulary: try read(directory.appendingPathComponent("vocab.txt")), configuration: configuration)
            }
            return TokenizerSource(tokenizer: tokenizer, name: name)
        }
        if has("vocab.json"), has("merges.txt") {
            let tokenizer = try mappingTokenizerErrors(in: directory) {
                try GPT2Tokenizer(
                    vocabulary: try read(directory.appendingPathComponent("vocab.json")),
                    merges: try read(directory.appendingPathComponent("merges.txt")))
            }
            return TokenizerSource(tokenizer: tokenizer, name: name)
        }
        throw AuditError.badInput(
            path: directory.path,
            reason: "no tokenizer files; expected vocab.json and merges.txt (GPT-2) or vocab.txt and "
                + "tokenizer_config.json (BERT WordPiece)"
                + (hubID == nil ? "" : "; this repository may only ship tokenizer.json, which biasaudit does not read"))
    }

    /// Runs `body`, giving a `TokenizerError` (whose message starts `FILE[:LINE[:COL]]: error: `) the
    /// directory's path, so the message names the exact file.
    private static func mappingTokenizerErrors<T>(in directory: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TokenizerError {
            let description = error.description
            guard let separator = description.range(of: ": error: ") else {
                throw AuditError.badInput(path: directory.path, reason: description)
            }
            throw AuditError.badInput(
                path: directory.path + "/" + description[..<separator.lowerBound],
                reason: String(description[separator.upperBound...]))
        }
    }

    private static func read(_ url: URL) throws -> Data {
        try InputFile.read(url, what: "the tokenizer file \(url.lastPathComponent)", limit: InputFile.Limit.vocabulary)
    }
}
