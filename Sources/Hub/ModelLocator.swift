import Foundation
import InputFiles

/// Where a model's files are, and which Hub snapshot they came from.
public struct ResolvedModel: Sendable, Equatable {
    /// A directory holding `config.json`, `model.safetensors`, `vocab.json`, `merges.txt`.
    public let directory: URL
    /// The Hub id as given, nil for a local directory.
    public let repoID: String?
    /// The revision as given (`main` by default), nil for a local directory.
    public let revision: String?
    /// The commit the revision resolved to, nil for a local directory.
    public let commit: String?

    /// Creates a value.
    public init(directory: URL, repoID: String?, revision: String?, commit: String?) {
        self.directory = directory
        self.repoID = repoID
        self.revision = revision
        self.commit = commit
    }
}

/// What a `--model` value names.
public enum ModelSpec: Sendable, Equatable {
    /// An existing local directory.
    case directory(URL)
    /// A Hub repository at a revision.
    case hub(HubRepoID, revision: String)

    /// Parses a Hub id alone, as `models pull` and `models path` take it: `name` or `org/name`, optionally followed by
    /// `@revision` (default `main`); a folder is not one. Their errors said "invalid --model" and spoke of 'LABEL=',
    /// which neither command takes (a hostile review).
    /// - Throws: `HubError.invalidRepoID` or `.invalidRevision` (exit code 64).
    public static func parseHubID(_ spec: String) throws -> ModelSpec {
        let parts = spec.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let repo = try HubRepoID(parts[0])
        let revision = parts.count == 2 ? parts[1] : "main"
        try HubPathRules.validateRevision(revision)
        return .hub(repo, revision: revision)
    }

    /// Parses a `--model` value. An existing directory wins (as in `transformers`' `from_pretrained`); a
    /// value starting with `/`, `./`, `../` or `~` must be one, and so must one holding a `/` that is no Hub id
    /// (`a/b/c`); a space at either end is refused. Otherwise it is `name` or `org/name`, optionally followed
    /// by `@revision` (default `main`).
    /// - Throws: `HubError.invalidModelSpec`, `.invalidRepoID` or `.invalidRevision` (exit code 64).
    public static func parse(_ spec: String, homeDirectory: String = NSHomeDirectory()) throws -> ModelSpec {
        var path = spec
        if spec == "~" || spec.hasPrefix("~/") { path = homeDirectory + spec.dropFirst() }
        var isDirectory: ObjCBool = false
        if !spec.isEmpty, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return .directory(URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL)
        }
        // A path through a symbolic link that leads in a loop (the named link, or a folder on the way: `loopa/x`) is
        // that, not "no directory" or a Hub id (practitioner's review: a relative `m/loopdir` went to the Hub and
        // failed with "cannot reach the Hub").
        if !spec.isEmpty, case .failure(BoundedFileError.symbolicLinkLoop) = Result(catching: { try BoundedFile.exists(path) }) {
            throw HubError.invalidModelSpec(
                spec, reason: "\(URL(fileURLWithPath: path).path) goes through a symbolic link that leads in a loop; make "
                    + "it point at a model directory")
        }
        // A space after `LABEL=` (or around a quoted value) is kept, and then names neither a directory nor a Hub id
        // (reviewer's report: `"distilgpt2= models/tiny-gpt2"` was told it "has more than one '/'").
        if let side = surroundingSpace(spec) {
            throw HubError.invalidModelSpec(
                spec, reason: "it \(side) a space; remove it (a space after 'LABEL=' is part of the value)")
        }
        let pathLike = ["/", "./", "../", "~"].contains { spec.hasPrefix($0) } || spec == "." || spec == ".."
        // A file named (the weights, config.json): the folder that holds it is the model (a hostile review: "there is no
        // directory at …/model.safetensors", or "more than one '/'", beside a file that is there).
        // Also without a '/' when it is named as a model's file is (`config.json` in the model folder), and with a '/'
        // after it (`…/model.safetensors/`) (a code review: they went to the Hub, or were "no directory").
        var filePath = path
        while filePath.count > 1, filePath.hasSuffix("/") { filePath.removeLast() }
        let fileName = PathText.lastComponent(of: filePath)
        // A bare name without '@' that is a file here (`--model weights`) is that file too: it went to the Hub and
        // failed offline with "cannot reach the Hub" (a hostile review). `NAME@main` still names the Hub repository.
        let bareName = !spec.contains("/") && !spec.contains("@")
        let namedAsModelFile = ModelLocator.requiredFiles.contains(fileName) || ModelLocator.optionalFiles.contains(fileName)
            || [".safetensors", ".json", ".txt", ".bin"].contains { fileName.hasSuffix($0) }
        let namedAsAFile = spec.contains("/") || bareName || namedAsModelFile
        if !spec.isEmpty, namedAsAFile, FileManager.default.fileExists(atPath: filePath, isDirectory: &isDirectory),
            !isDirectory.boolValue
        {
            let file = URL(fileURLWithPath: filePath)
            // A device or FIFO is said to be one, and its folder is no advice (a hostile review: `--model /dev/zero` was
            // told to give /dev).
            if case .failure(BoundedFileError.notRegular(let kind)) = Result(catching: { try BoundedFile.check(filePath) }) {
                throw HubError.invalidModelSpec(
                    spec, reason: "\(file.path) is \(kind), not a model directory; give the folder of the model's files "
                        + "(\(ModelLocator.requiredFiles.joined(separator: ", ")))")
            }
            // Not for a model's own files (`config.json@main` is no Hub model); `NAME=NAME@main` keeps NAME as the model's
            // id, which `check --baseline` pairs by (a code review: `NAME@main` named the model 'NAME@main'), and after a
            // label of the user's own `NAME@main` is what to write (a second review).
            let hubSpelling = bareName && !namedAsModelFile && (try? parseHubID(spec)) != nil
                ? "; for the Hub repository of that name, write '\(spec)@main' (as '\(spec)=\(spec)@main' it keeps the name "
                    + "'\(spec)')" : ""
            throw HubError.invalidModelSpec(
                spec, reason: "\(file.path) is a file, not a model directory; give the folder that holds it "
                    + "(\(file.deletingLastPathComponent().path))\(hubSpelling)")
        }
        if pathLike {
            throw HubError.invalidModelSpec(spec, reason: "there is no directory at \(URL(fileURLWithPath: path).path)")
        }
        do {
            return try parseHubID(spec)
        } catch HubError.invalidRepoID(let id, let reason) where id.contains("/") {
            // A relative path that names no directory (a misspelt `Tests/Fixtures/models/tiny-gtp2`) is told so, with
            // why it is no Hub id either (reviewer's report: only the Hub id's fault was named).
            throw HubError.invalidModelSpec(
                spec, reason: "there is no directory at \(URL(fileURLWithPath: path).path) (and it is not a Hub id: \(reason))")
        }
    }

    /// "starts with", "ends with" or "starts and ends with" when `spec` has a space at that end, else nil. A line
    /// break or tab is left to the control-character checks.
    private static func surroundingSpace(_ spec: String) -> String? {
        func isSpace(_ character: Character?) -> Bool {
            guard let character, character.isWhitespace else { return false }
            return !character.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }
        let starts = isSpace(spec.first)
        let ends = isSpace(spec.last)
        switch (starts, ends) {
        case (true, true): return "starts and ends with"
        case (true, false): return "starts with"
        case (false, true): return "ends with"
        case (false, false): return nil
        }
    }
}

/// Turns a `--model` value into a directory of model files, fetching from the Hub on first use.
public struct ModelLocator: Sendable {
    /// Files every GPT-2 model needs.
    public static let requiredFiles = ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
    /// Files used when the repository has them (a 404 is fine).
    public static let optionalFiles = ["generation_config.json"]

    /// The client used for Hub ids.
    public let client: HubClient

    /// A locator using `client`.
    public init(client: HubClient) {
        self.client = client
    }

    /// A locator with a client built from `configuration`.
    public init(
        configuration: HubConfiguration,
        progress: (any DownloadProgress)? = nil,
        warning: @escaping @Sendable (String) -> Void = HubClient.standardErrorWarning
    ) {
        self.client = HubClient(configuration: configuration, progress: progress, warning: warning)
    }

    /// Whether a file of a local model exists; a file or folder that may not be looked at is "permission
    /// denied", not missing (the fix differs).
    /// - Throws: `HubError.io` when `stat` fails for another reason than a missing file.
    private static func localFileExists(_ url: URL) throws -> Bool {
        do {
            return try BoundedFile.exists(url.path)
        } catch BoundedFileError.searchDenied {
            throw HubError.io(path: url.path, operation: "read", detail: "permission denied; make the model directory "
                + "and its files readable (chmod -R u+rX) or run as their owner")
        } catch let error as BoundedFileError {
            // A local file's own fault (a link in a loop) is not the cache's: no "set HF_HUB_CACHE" advice, exit 65
            // (practitioner's review: a config.json link loop gave 74 with Hub advice).
            if error.isBadData { throw HubError.unusableLocalFile(path: url.path, detail: error.reason(what: "the file")) }
            throw HubError.io(path: url.path, operation: "read", detail: error.reason(what: "the file"))
        }
    }

    /// Resolves a `--model` value: a local directory is checked for the four files; a Hub id is looked up
    /// in the cache and fetched when needed (see `HubClient`).
    /// - Throws: `HubError`; a repository with only `pytorch_model.bin` gives `.pickleOnly` (exit code 65).
    /// `error` with a word that `spec` may be a misspelt path, where it is `org/name` (no revision), the Hub does not
    /// have it or it is not cached, and a folder `org` is in the current directory (a hostile review: `models/tiny-gtp2`
    /// beside `models/` got only the Hub's answer). `org/name` stays a Hub id: a folder named like an organisation
    /// changes no resolution, label or run fingerprint (a review of a version that refused it).
    static func besideLocalFolder(_ error: HubError, spec: String) -> HubError {
        switch error {
        case .notCached, .unreachable, .untrustedServer, .repositoryNotFound, .revisionNotFound, .gatedRepository,
            .unauthorized: break
        default: return error
        }
        guard !spec.contains("@"), let slash = spec.firstIndex(of: "/") else { return error }
        var isDirectory: ObjCBool = false
        let folder = String(spec[..<slash])
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return error
        }
        return .besideLocalFolder(
            error, path: URL(fileURLWithPath: spec).path, folder: URL(fileURLWithPath: folder).path)
    }

    public func resolve(_ spec: String) async throws -> ResolvedModel {
        try await resolve(ModelSpec.parse(spec), spec: spec)
    }

    /// Resolves a Hub id alone (``ModelSpec/parseHubID(_:)``), never a folder: `models pull` and `models path` (a code
    /// review: a folder `x/tiny` in the current directory was "pulled", nothing downloaded, exit 0).
    public func resolve(hubID: String) async throws -> ResolvedModel {
        try await resolve(ModelSpec.parseHubID(hubID), spec: hubID)
    }

    private func resolve(_ parsed: ModelSpec, spec: String) async throws -> ResolvedModel {
        switch parsed {
        case .directory(let directory):
            let missing = try Self.requiredFiles.filter {
                try !Self.localFileExists(directory.appendingPathComponent($0))
            }
            guard missing.isEmpty else { throw HubError.localModelIncomplete(directory: directory.path, missing: missing) }
            return ResolvedModel(directory: directory, repoID: nil, revision: nil, commit: nil)
        case .hub(let repo, let revision):
            client.progress?.modelFetching(true)
            defer { client.progress?.modelFetching(false) }
            let snapshot: HubSnapshot
            do {
                snapshot = try await client.snapshot(
                    repoID: repo, revision: revision, files: Self.requiredFiles, optionalFiles: Self.optionalFiles)
            } catch let error as HubError {
                if case .fileNotFound(_, _, "model.safetensors", _, _) = error,
                    try await client.fileExists(repoID: repo, revision: revision, file: "pytorch_model.bin")
                {
                    throw HubError.pickleOnly(repoID: repo.description, revision: revision)
                }
                throw Self.besideLocalFolder(error, spec: spec)
            }
            return ResolvedModel(
                directory: snapshot.directory, repoID: repo.description, revision: revision, commit: snapshot.commit)
        }
    }
}
