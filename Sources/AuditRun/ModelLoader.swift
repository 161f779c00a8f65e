import AuditAnalysis
import AuditResults
import Foundation
import GPT2
import Hub
import PromptSets
import SafeTensors
import Tokenizers

/// A model ready to run: its weights in memory, its tokenizer, and where it came from.
public struct LoadedModel: @unchecked Sendable {
    /// The model's label (``ModelArgument/label``): how messages, the run store and results name it.
    public let label: String
    /// The `SPEC` of the `--model` value the user gave.
    public let spec: String
    /// The directory the files were read from (a Hub snapshot or the user's directory).
    public let directory: URL
    /// The Hub repository, revision and commit, when the model came from the Hub.
    public let repoID: String?
    /// The requested revision.
    public let revision: String?
    /// The resolved commit.
    public let commit: String?
    /// The parsed `config.json`.
    public let configuration: GPT2Configuration
    /// The network.
    public let model: GPT2Model
    /// The tokenizer from `vocab.json` and `merges.txt`.
    public let tokenizer: GPT2Tokenizer

    /// The note on a model whose `vocab_size` is larger than its vocab.json (an embedding padded to a round size, as
    /// nanoGPT and Megatron export it): ids beyond vocab.json decode to no text if sampled, as in transformers' decoder,
    /// and the scorers then read a shorter text (a hostile review: " Bei" from 5 tokens, 4 of them padding); nil when the
    /// two agree. The label is escaped to one short line.
    public var paddedVocabularyNote: String? {
        let size = configuration.vocabularySize, words = tokenizer.vocabularySize
        guard size > words else { return nil }
        return "biasaudit: note: \(TextEscaping.excerpt(label)): config.json's vocab_size is \(size) but vocab.json holds "
            + "\(words) tokens: " + (size - words == 1 ? "id \(words) has" : "ids \(words)–\(size - 1) have")
            + " no text, so a sampled one adds nothing to the completion (as "
            + "in transformers) and the scorers read a shorter text; a model trained with that padding seldom samples it"
    }

    /// The token ids of a prompt given on the command line.
    /// - Throws: ``AuditError/usage(_:)`` when the prompt does not fit the model's context window.
    public func promptIDs(_ prompt: String) throws -> [Int] {
        let ids = tokenizer.encode(prompt)
        let context = configuration.contextLength
        guard ids.count <= context else {
            throw AuditError.usage(
                "the prompt is \(ids.count) tokens long but \(label) reads at most \(context) tokens; shorten the prompt")
        }
        return ids
    }
}

/// Loads a model directory (or a Hub id, through the Hub cache) into a ``LoadedModel``.
public enum ModelLoader {
    /// The weights file biasaudit reads (safetensors only, never pickle).
    public static let weightsFile = "model.safetensors"
    /// The files a model directory must hold.
    public static let requiredFiles = ["config.json", weightsFile, "vocab.json", "merges.txt"]

    /// SHA-256 of the content of `model.safetensors` in `directory`, always hashed: a cache blob's name is
    /// not proof of its content (caches written by other tools, with Xet storage, may name blobs otherwise).
    ///
    /// The header is validated first (the file is memory-mapped; only the header is read), so that a damaged file is
    /// refused at once with the words loading uses, before gigabytes are hashed: `run` hashed a 20 GB sparse file for
    /// minutes, silently, where `generate` refused it at once (an operator's review).
    /// - Throws: ``AuditError/badInput(path:reason:)`` for a header or tensor layout loading would refuse; the hash's own
    ///   errors for a file that cannot be read.
    public static func weightsSHA256(in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(weightsFile)
        try InputFile.check(url, what: "the model weights file")  // never hash a FIFO or a device
        do {
            _ = try SafeTensorsFile(contentsOf: url)
        } catch let error as SafeTensorsError {
            // A file that cannot be read is said by the hash below, with its I/O exit code.
            if case .readFailed = error.underlying {} else {
                throw AuditError.badInput(path: url.path, reason: error.underlying.description)
            }
        }
        return try sha256Hex(of: url)
    }

    /// Refuses a model directory that lacks one of ``requiredFiles``, naming every missing one.
    /// - Throws: ``AuditError/badInput(path:reason:)``.
    static func checkRequiredFiles(in directory: URL) throws {
        let missing = try requiredFiles.filter {
            try !InputFile.exists(directory.appendingPathComponent($0), what: "the model file \($0)")
        }
        guard missing.isEmpty else {
            throw AuditError.badInput(
                path: directory.path,
                reason: "the model directory lacks \(missing.joined(separator: ", "))"
                    + HubError.danglingLinks(in: directory, names: missing) + "; a model directory holds "
                    + requiredFiles.joined(separator: ", "))
        }
    }

    /// The files beside the weights that decide what a model writes, with the limits they are read with: the
    /// configuration (layer-norm epsilon, context length, …) and the tokenizer. Their SHA-256 enters the run
    /// store's fingerprint and the manifest beside the weights' (hostile review: a run resumed after `merges.txt` was
    /// emptied mixed two tokenizers' completions without a word). `generation_config.json` is not among them: biasaudit
    /// reads only its end-of-text token, which must be GPT-2's, so it changes no completion.
    static let companionFiles: [(name: String, what: String, limit: Int)] = [
        ("config.json", "the model configuration", InputFile.Limit.configuration),
        ("merges.txt", "merges.txt", InputFile.Limit.vocabulary),
        ("vocab.json", "the vocabulary", InputFile.Limit.vocabulary),
    ]

    /// The SHA-256 of each of ``companionFiles`` in `directory`, by file name, read with the limits loading reads
    /// them with (so a file beyond one is refused with the same words, before anything is hashed at length).
    /// - Throws: ``AuditError/badInput(path:reason:)`` for a missing required file or one beyond its limit,
    ///   ``AuditError/io(path:reason:)`` when one cannot be read.
    static func companionSHA256(in directory: URL) throws -> [String: String] {
        try checkRequiredFiles(in: directory)
        var digests: [String: String] = [:]
        for file in companionFiles {
            let data = try InputFile.read(directory.appendingPathComponent(file.name), what: file.what, limit: file.limit)
            digests[file.name] = FileDigests.sha256(of: data)
        }
        return digests
    }

    /// Whether the `merges.txt` of `directory` holds no merge rule where loading refuses that (beside a `vocab.json` with
    /// merged tokens, ``tokenizer(in:vocabularySize:)``), said without building the tokenizer: `models list` flags such a
    /// snapshot (a hostile review: an empty merges.txt was listed as complete). False when merges.txt cannot be read
    /// (the listing names a file it cannot read); true when it holds no rule and vocab.json cannot be read either.
    public static func mergesHoldNoRule(in directory: URL) -> Bool {
        guard let merges = try? InputFile.read(
            directory.appendingPathComponent("merges.txt"), what: "merges.txt", limit: InputFile.Limit.vocabulary),
            GPT2Tokenizer.holdsNoMergeRule(merges)
        else { return false }
        guard let vocabulary = try? InputFile.read(
            directory.appendingPathComponent("vocab.json"), what: "the vocabulary", limit: InputFile.Limit.vocabulary),
            let merged = try? GPT2Tokenizer.mergedTokenCount(vocabulary: vocabulary)
        else { return true }
        return merged > 0
    }

    /// Resolves `spec` and loads only its tokenizer (for `tokenize`).
    public static func loadTokenizer(_ spec: String, locator: ModelLocator) async throws -> GPT2Tokenizer {
        let resolved = try await locator.resolve(spec)
        return try tokenizer(in: resolved.directory)
    }

    /// Resolves a `--model` value's spec (a directory or a Hub id) and loads it; an endpoint spec is refused.
    /// - Parameters:
    ///   - model: the `--model` value's label and spec.
    ///   - locator: resolves Hub ids to cached snapshot directories (downloading when allowed).
    ///   - precision: the arithmetic of the matrix products (`--precision`).
    /// - Throws: ``AuditError`` naming the file and the problem, or the Hub's errors (exit 69 when unavailable).
    ///   - samples: whether the model will sample (see the other `load`).
    public static func load(
        _ model: ModelArgument, locator: ModelLocator, precision: GPT2Precision = .f32, samples: Bool = true
    ) async throws -> LoadedModel {
        if EndpointSpec.isEndpoint(model.spec) {
            throw AuditError.usage(
                "--model \(EndpointSpec.redactingCredentials(model.spec)) is an OpenAI-compatible server; this command runs the model in-process and needs its files (a directory or a Hub id)")
        }
        let resolved = try await locator.resolve(model.spec)
        return try load(
            label: model.label, spec: model.spec, directory: resolved.directory, repoID: resolved.repoID,
            revision: resolved.revision, commit: resolved.commit, precision: precision, samples: samples)
    }

    /// Loads a local model directory.
    /// - Parameters:
    ///   - label: how the model is named (nil: by its spec).
    ///   - precision: the arithmetic of the matrix products (`--precision`; bf16 is checked before loading).
    ///   - samples: whether the model's samples end at its end-of-text token (`run`, `generate`): the token must then be
    ///     GPT-2's (``checkEndOfText(in:tokenizer:)``); `next-token`, `bench` and `generate --ignore-eos` pass false.
    public static func load(
        label: String? = nil, spec: String, directory: URL, repoID: String? = nil, revision: String? = nil,
        commit: String? = nil, precision: GPT2Precision = .f32, samples: Bool = true
    ) throws -> LoadedModel {
        try checkRequiredFiles(in: directory)
        // config.json is read once: for the configuration and, where samples end at it, for the end-of-text check.
        let configurationData = try self.configurationData(in: directory)
        // bf16 packs every matrix again beside the Float32 tensors (a review: the Float32 check alone let such a model
        // through to the allocation that traps).
        let configuration = try self.configuration(from: configurationData, in: directory, precision: precision)
        let tokenizer = try tokenizer(in: directory, vocabularySize: configuration.vocabularySize)
        if samples { try checkEndOfText(in: directory, configurationData: configurationData, tokenizer: tokenizer) }
        let weightsURL = directory.appendingPathComponent(weightsFile)
        let model: GPT2Model
        try InputFile.check(weightsURL, what: "the model weights file")
        do {
            let tensors = try SafeTensorsFile(contentsOf: weightsURL)
            model = try GPT2Model(configuration: configuration, tensors: tensors, precision: precision)
            try model.weights.validateFinite()
        } catch let error as SafeTensorsError {
            // The path is already the message's location; the inner error says what is wrong with the file.
            throw AuditError.badInput(path: weightsURL.path, reason: error.underlying.description)
        } catch let error as GPT2Error {
            var reason = withDefaultedSizes(error.description, configurationData)
            // Not "config.json says n_layer is 12" of a file without the key (a review).
            if case .layerCountMismatch(let configured, _, _) = error,
                GPT2Configuration.defaultedSizes(in: configurationData).contains("n_layer (\(configured))")
            {
                reason = withDefaultedSizes(
                    error.description.replacingOccurrences(
                        of: "config.json says n_layer is \(configured)",
                        with: "config.json gives no n_layer, so transformers' default \(configured) applies"),
                    configurationData, except: ["n_layer"])
            }
            // config.json and the weights disagree on the layers: the folder is the place, the message names both files
            // (a hostile review: it was placed at model.safetensors and worded as config.json's fault).
            if case .layerCountMismatch = error { throw AuditError.badInput(path: directory.path, reason: reason) }
            throw AuditError.badInput(path: weightsURL.path, reason: reason)
        } catch {
            throw AuditError.badInput(path: weightsURL.path, reason: "\(error)")
        }
        return LoadedModel(
            label: label ?? spec, spec: spec, directory: directory, repoID: repoID, revision: revision, commit: commit,
            configuration: configuration, model: model, tokenizer: tokenizer)
    }

    /// Refuses a model whose end-of-text token, as Hugging Face's `generate` reads it, is not the tokenizer's
    /// `<|endoftext|>`: biasaudit ends a sample there, as GPT-2 does, and a checkpoint that declares another token (or
    /// none, `null`) would stop elsewhere in Hugging Face (review: any value was ignored silently). `generate` takes
    /// `eos_token_id` from `generation_config.json` when that file declares it, else from `config.json`; absent, the id
    /// itself, or a list holding only it are accepted (an empty list is refused). Checked only where samples end at it
    /// (not for `next-token`, `bench` or `generate --ignore-eos`), before the weights are read.
    /// `configurationData` is config.json as ``load(label:spec:directory:repoID:revision:commit:precision:samples:)``
    /// read it.
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the file, the value and what to write, or a malformed
    ///   `generation_config.json` with the place of the fault.
    static func checkEndOfText(in directory: URL, configurationData: Data, tokenizer: GPT2Tokenizer) throws {
        for file in ModelLocator.optionalFiles.filter({ $0.hasSuffix(".json") }) + ["config.json"] {
            let url = directory.appendingPathComponent(file)
            let data: Data
            if file == "config.json" {
                data = configurationData
            } else {
                guard try InputFile.exists(url, what: "the model file \(file)") else { continue }
                data = try InputFile.read(url, what: "the model file \(file)", limit: InputFile.Limit.configuration)
            }
            // Read strictly, as Python's json reads it for Hugging Face: a file that is not one JSON object is named, not
            // skipped, and a key given twice is refused (Python keeps the last `eos_token_id`, Foundation the first).
            if let problem = AuditJSON.syntaxProblem(in: data, ownFile: false) {
                throw AuditError.badInput(path: url.path, reason: "\(file) is \(problem)")
            }
            if let repeated = AuditJSON.duplicateKeyProblem(in: data, folding: nil) {
                throw AuditError.badInput(path: url.path, reason: repeated)
            }
            let declared: DeclaredEndOfText
            do {
                declared = try JSONDecoder().decode(DeclaredEndOfText.self, from: data)
            } catch {
                throw AuditError.badInput(path: url.path, reason: "\(file) is not a JSON object")
            }
            guard declared.present else { continue }
            let expected = tokenizer.endOfTextID
            if let ids = declared.ids, !ids.isEmpty, ids.allSatisfy({ $0 == expected }) { return }
            let value: String
            switch declared.ids {
            case _ where declared.isNull: value = "null (no token ends a sample)"
            case nil: value = "not a token id"
            case let ids?: value = ids.count == 1 ? "\(ids[0])" : "[\(ids.map(String.init).joined(separator: ", "))]"
            }
            throw AuditError.badInput(
                path: url.path,
                reason: "eos_token_id is \(value), but biasaudit ends a sample at <|endoftext|> (id \(expected) in this "
                    + "model's vocab.json), as GPT-2 does, and implements no other end-of-text token; if the model ends its "
                    + "texts with <|endoftext|>, set \"eos_token_id\": \(expected)")
        }
    }

    /// The parsed and validated `config.json` of a model directory.
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the file for malformed or unsupported
    ///   configurations, ``AuditError/io(path:reason:)`` when it cannot be read.
    static func configuration(in directory: URL, precision: GPT2Precision = .f32) throws -> GPT2Configuration {
        try configuration(from: try configurationData(in: directory), in: directory, precision: precision)
    }

    /// The bytes of a model directory's `config.json`.
    /// - Throws: ``AuditError/io(path:reason:)`` when it cannot be read, ``AuditError/badInput(path:reason:)`` when it
    ///   is larger than a configuration may be.
    static func configurationData(in directory: URL) throws -> Data {
        try InputFile.read(
            directory.appendingPathComponent("config.json"), what: "the model configuration", limit: InputFile.Limit.configuration)
    }

    /// `data`, the `config.json` of `directory`, parsed and validated (see ``configuration(in:)``).
    /// - Parameter precision: the arithmetic the model will run in, for the memory its weights need
    ///   (``checkFitsInMemory(_:directory:data:precision:memory:)``).
    static func configuration(from data: Data, in directory: URL, precision: GPT2Precision = .f32) throws -> GPT2Configuration {
        let configURL = directory.appendingPathComponent("config.json")
        do {
            let configuration = try GPT2Configuration(jsonData: data)
            try checkFitsInMemory(configuration, directory: directory, data: data, precision: precision)
            return configuration
        } catch let error as AuditError {
            throw error
        } catch {
            // Foundation says only "not valid JSON": the line and column of the fault, with a short excerpt
            // (practitioner's review: `"n_layer": NaN` was not placed).
            if case GPT2Error.malformedConfiguration = error, let problem = AuditJSON.syntaxProblem(in: data, ownFile: false) {
                throw AuditError.badInput(
                    path: configURL.path, reason: "GPT-2 config.json is \(problem)")
            }
            throw AuditError.badInput(path: configURL.path, reason: withDefaultedSizes("\(error)", data))
        }
    }

    /// `message` followed by `; config.json gives no n_head (12): transformers' default was taken` when config.json
    /// (`data`) leaves sizes out, else `message` as it is: said after a message about the configuration's sizes (a
    /// hostile review: "n_embd must be divisible by n_head (12)" of a file without `n_head`).
    static func withDefaultedSizes(_ message: String, _ data: Data, except: Set<String> = []) -> String {
        let defaulted = GPT2Configuration.defaultedSizes(in: data).filter { size in
            !except.contains(String(size.prefix { $0 != " " }))
        }
        guard !defaulted.isEmpty else { return message }
        return (message.hasSuffix(".") ? String(message.dropLast()) : message) + "; config.json gives no "
            + defaulted.joined(separator: ", ") + ": transformers' default" + (defaulted.count == 1 ? " was" : "s were")
            + " taken"
    }

    /// Refuses a model whose weights (``GPT2/GPT2Weights/float32Bytes(for:)``, and under bf16 its packed matrices too,
    /// ``GPT2/GPT2Weights/packedBF16Bytes(for:)``) are larger than this machine's physical memory, before its weights are
    /// hashed or read (a hostile review: a config of 8192 channels and a vocabulary of 2^20 trapped with "out of memory"
    /// and exit 132 after hashing 37.6 GB for a minute). `data` is config.json, for the sizes it leaves out.
    /// - Throws: ``AuditResults/AuditError/modelUnavailable(_:rerun:)`` (exit 69) saying how much the weights need and
    ///   the machine has.
    static func checkFitsInMemory(
        _ configuration: GPT2Configuration, directory: URL, data: Data? = nil, precision: GPT2Precision = .f32,
        memory: UInt64 = ProcessInfo.processInfo.physicalMemory
    ) throws {
        let float32 = GPT2Weights.float32Bytes(for: configuration)
        let packed = precision == .bf16 ? GPT2Weights.packedBF16Bytes(for: configuration) : 0
        let (needed, overflow) = float32.addingReportingOverflow(packed)
        guard overflow || float32 == .max || packed == .max || UInt64(needed) > memory else { return }
        func gibibytes(_ bytes: UInt64) -> String { String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        let size = overflow || float32 == .max || packed == .max ? "more bytes than a 64-bit count holds" : gibibytes(UInt64(needed))
        let layers = configuration.layerCount
        let message = "the model in \(directory.path) needs \(size) of memory for its weights "
            + (precision == .bf16 ? "as Float32 and its matrices again as bfloat16 (--precision bf16)" : "as Float32")
            + " (\(layers) layer\(layers == 1 ? "" : "s"), \(configuration.embeddingSize) channels, a "
            + "vocabulary of \(configuration.vocabularySize)), and this machine has \(gibibytes(memory)); run it on a "
            + "machine with more memory, or audit a smaller model"
        throw AuditError.modelUnavailable(data.map { withDefaultedSizes(message, $0) } ?? message)
    }

    /// The tokenizer of a model directory.
    /// - Parameter vocabularySize: the model's `vocab_size`, when the tokenizer will feed a model: a token
    ///   id the model has no embedding for is refused here rather than read out of bounds later.
    static func tokenizer(in directory: URL, vocabularySize: Int? = nil) throws -> GPT2Tokenizer {
        let tokenizer = try parseTokenizer(in: directory)
        if let vocabularySize, tokenizer.vocabularySize > vocabularySize {
            throw AuditError.badInput(
                path: directory.appendingPathComponent("vocab.json").path,
                reason: "holds token id \(tokenizer.vocabularySize - 1) but config.json's vocab_size is \(vocabularySize); "
                    + "the tokenizer files do not belong to this model")
        }
        return tokenizer
    }

    private static func parseTokenizer(in directory: URL) throws -> GPT2Tokenizer {
        do {
            return try GPT2Tokenizer(
                vocabulary: try InputFile.read(
                    directory.appendingPathComponent("vocab.json"), what: "the vocabulary",
                    limit: InputFile.Limit.vocabulary),
                merges: try InputFile.read(
                    directory.appendingPathComponent("merges.txt"), what: "merges.txt", limit: InputFile.Limit.vocabulary))
        } catch let error as AuditError {
            throw error
        } catch let error as TokenizerError {
            // The tokenizer's messages start with `vocab.json:LINE:COL: error: ` or `merges.txt:LINE: error: `;
            // the location gets the directory so the message names the exact file.
            let description = error.description
            let file = description.hasPrefix("merges.txt") ? "merges.txt" : "vocab.json"
            guard let separator = description.range(of: ": error: "), description.hasPrefix(file) else {
                throw AuditError.badInput(path: directory.appendingPathComponent(file).path, reason: description)
            }
            throw AuditError.badInput(
                path: directory.path + "/" + description[..<separator.lowerBound],
                reason: String(description[separator.upperBound...]))
        }
    }
}

/// `eos_token_id` of a `config.json`: absent, `null`, one id or a list of ids (`ids` nil for any other value).
private struct DeclaredEndOfText: Decodable {
    var present = false
    var isNull = false
    var ids: [Int]?

    enum CodingKeys: String, CodingKey { case endOfText = "eos_token_id" }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.endOfText) else { return }
        present = true
        if try container.decodeNil(forKey: .endOfText) {
            isNull = true
        } else if let one = try? container.decode(Int.self, forKey: .endOfText) {
            ids = [one]
        } else {
            ids = try? container.decode([Int].self, forKey: .endOfText)
        }
    }
}
