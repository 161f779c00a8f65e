import ArgumentParser
import AuditRun
import CommandSupport
import Foundation
import Hub
import PromptSets

extension BiasAudit {
    /// `biasaudit models`: the local model cache (shared with Python's huggingface_hub).
    struct Models: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the model cache (the same cache Python's huggingface_hub uses).",
            subcommands: [Pull.self, List.self, Path.self])

        /// `models pull ID`: download a model into the cache.
        struct Pull: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Download a model (config.json, model.safetensors, vocab.json, merges.txt) into the cache.")

            @Argument(help: "A Hub id: distilgpt2, gpt2, org/name, optionally @revision.")
            var id: String

            @OptionGroup var hub: HubOptions

            func run() async throws {
                try await reportingErrors {
                    // Ctrl-C during a download says what stays in the cache (a hostile review: it printed nothing).
                    let downloads = hub.downloadWatch()
                    let signals = downloads.quitOnSignals()
                    defer { signals.forEach { $0.cancel() } }
                    let resolved = try await hub.locator(reporting: downloads).resolve(hubID: id)
                    print(resolved.directory.path)
                }
            }
        }

        /// `models list`: cached models with size and revisions.
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List cached models with their size and revisions.")

            func run() async throws {
                try await reportingErrors {
                    let configuration = try HubConfiguration.fromEnvironment()
                    let cache = HubCache(root: configuration.cacheDirectory)
                    let models = try cache.listModels()
                    // Entries named like a model but whose names are no model id were left out without a word (a
                    // hostile review: `models--esc<ESC>[31mred`, a name that is not UTF-8): counted, names escaped.
                    let unlisted = cache.unlistedEntryNames()
                    let skipped = unlisted.isEmpty ? nil : "skipped \(unlisted.count) cache "
                        + (unlisted.count == 1 ? "entry whose name is" : "entries whose names are")
                        + " no model id (delete or rename them): " + unlisted.map(TextEscaping.path).joined(separator: ", ")
                    guard !models.isEmpty else {
                        print("no models cached in \(TextEscaping.path(configuration.cacheDirectory.path))")
                        if let skipped { print(skipped) }
                        return
                    }
                    defer { if let skipped { print(skipped) } }
                    print("cache: \(TextEscaping.path(configuration.cacheDirectory.path))")
                    for model in models {
                        // "0 bytes", not Foundation's "Zero KB" (a hostile review).
                        let size = model.sizeOnDisk == 0
                            ? "0 bytes" : ByteCountFormatter.string(fromByteCount: model.sizeOnDisk, countStyle: .file)
                        // A folder without snapshots/ holds nothing to load, though its blobs have a size (a hostile
                        // review: "nosnap 8.1 MB" alone).
                        let noSnapshot = model.revisions.isEmpty
                            ? ", no snapshot: nothing to load; run `biasaudit models pull \(model.repoID)`, or delete "
                                + TextEscaping.path(model.path.path)
                            : ""
                        print("\(model.repoID)  \(size)\(noSnapshot)")
                        for revision in model.revisions {
                            // Ref names are file names under refs/, which nothing else checks.
                            // A backslash as `\x5c`, as in the skipped names: `m\u{200b}ain` typed must not print as
                            // `m<U+200B>ain` does (a code review).
                            let names = revision.refs.map { $0.replacingOccurrences(of: "\\", with: "\\x5c") }
                            let refs = names.isEmpty ? "" : " (\(TextEscaping.path(names.joined(separator: ", "))))"
                            // A snapshot with a file that cannot be read, without a file a model needs, or whose
                            // merges.txt loading would refuse for holding no merge rule is not complete (hostile reviews).
                            let mergesHoldNoRule = revision.files.contains("merges.txt")
                                && ModelLoader.mergesHoldNoRule(in: revision.path)
                            let problems = (revision.unusableFiles + Models.missingWords(revision)
                                + (mergesHoldNoRule ? ["merges.txt has no merge rule"] : []))
                                .map { ", " + TextEscaping.path($0) }.joined()
                            print("  \(revision.commit)\(refs)  \(revision.files.count) files\(problems)")
                        }
                        for ref in model.malformedRefs {
                            print("  \(TextEscaping.path(ref)); "
                                + HubCache.repairAdvice(folder: TextEscaping.path(model.path.path), repoID: model.repoID))
                        }
                    }
                }
            }
        }

        /// What a snapshot lacks, in the words of its unreadable files ("vocab.json missing (…)"). A snapshot without
        /// weights that holds another kind of tokenizer (`vocab.txt` or `tokenizer.json`, fetched by `tokenize --model`:
        /// it never has `vocab.json` or `merges.txt`) is said to be that, not listed file by file (a review).
        static func missingWords(_ revision: CachedRevision) -> [String] {
            if revision.missingFiles.contains("model.safetensors"),
                revision.files.contains(where: ["vocab.txt", "tokenizer.json"].contains) {
                return ["tokenizer only (no model.safetensors; fetched by tokenize or decode --model)"]
            }
            return revision.missingFiles.map { "\($0) missing" }
        }

        /// `models path ID`: the snapshot directory of a cached model, without any download.
        struct Path: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the snapshot directory of a cached model (no download; exit 69 when not cached).")

            @Argument(help: "A Hub id: distilgpt2, gpt2, org/name, optionally @revision.")
            var id: String

            func run() async throws {
                try await reportingErrors {
                    var configuration = try HubConfiguration.fromEnvironment()
                    configuration.offline = true
                    print(try await ModelLocator(configuration: configuration, warning: CommandFailure.hubWarning).resolve(hubID: id)
                        .directory.path)
                }
            }
        }
    }
}
