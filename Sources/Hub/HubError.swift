import Foundation
import HTTPClient

/// Everything that can go wrong while finding, fetching or reading a model from the Hub or its cache.
///
/// Each message says what was wrong, where (repo id, file, URL or cache path) and what to do.
/// `exitCode` maps the error to the sysexits code the command-line tool exits with (see the README's exit codes).
public enum HubError: Error, Equatable, Sendable {
    /// A repo id that is not `name` or `org/name` made of safe characters.
    case invalidRepoID(String, reason: String)
    /// A revision (branch, tag or commit) that could escape the cache or is not valid.
    case invalidRevision(String, reason: String)
    /// A file name inside a repository that could escape the cache or is not valid.
    case invalidFileName(String, reason: String)
    /// `HF_ENDPOINT` (or the configured endpoint) is not an http(s) URL.
    case invalidEndpoint(String)
    /// An environment variable of the Hub's (`HF_HUB_ETAG_TIMEOUT`, `HF_HUB_DOWNLOAD_TIMEOUT`, `HF_TOKEN`) holds what it
    /// cannot take; `problem` says what ("is 'nan'" with a short escaped excerpt; a token is never shown), `expected`
    /// what it takes.
    case invalidEnvironment(variable: String, problem: String, expected: String)
    /// A `--model` value that looks like a path but names no directory.
    case invalidModelSpec(String, reason: String)
    /// A local model directory lacks files the tool needs.
    case localModelIncomplete(directory: String, missing: [String])
    /// Offline (HF_HUB_OFFLINE or the offline option) and the cache has no complete snapshot.
    /// `snapshot`: the snapshot folder the files were looked for in (its dangling or looping links are named).
    case notCached(repoID: String, revision: String, cachePath: String, missing: [String], snapshot: String? = nil)
    /// Offline and the cache lacks a repository's tokenizer files (`tokenize`/`decode` with a Hub id).
    case tokenizerNotCached(repoID: String, revision: String, cachePath: String)
    /// Online, the Hub could not be reached (network error, timeout, 5xx after retries) and the cache lacks a
    /// repository's tokenizer files (`tokenize`/`decode` with a Hub id).
    case tokenizerUnreachable(repoID: String, url: String, detail: String, cachePath: String)
    /// The Hub could not be reached (network error, timeout, 5xx after retries) and nothing usable is cached.
    case unreachable(repoID: String, url: String, detail: String, cachePath: String)
    /// The Hub's (or its CDN's) TLS certificate is not one the trusted authorities vouch for, or the certificate bundle
    /// the environment names cannot be used (`URLError.isCertificateFailure`; `detail` says which and what to do), and
    /// nothing usable is cached. Not retried: waiting does not change it.
    /// `tokenizerOnly`: asked by `tokenize`/`decode`, which fetch the tokenizer files alone.
    case untrustedServer(repoID: String, url: String, detail: String, cachePath: String, tokenizerOnly: Bool = false)
    /// The Hub answered `X-Error-Code: RepoNotFound` (401 or 404): no such repository, or a private one the
    /// request could not see. `hubMessage` is an escaped excerpt of its `X-Error-Message`, when sent.
    case repositoryNotFound(repoID: String, url: String, tokenSent: Bool, hubMessage: String?)
    /// The Hub answered `X-Error-Code: GatedRepo`: the repository is gated and this account (or no account)
    /// has not been granted access. `pageURL` is the model page where access is requested.
    case gatedRepository(repoID: String, url: String, pageURL: String, tokenSent: Bool, hubMessage: String?)
    /// The Hub answered that the revision does not exist in the repository (`RevisionNotFound`).
    case revisionNotFound(repoID: String, revision: String, url: String, hubMessage: String?)
    /// The Hub answered that a required file does not exist at that revision (`EntryNotFound`).
    case fileNotFound(repoID: String, revision: String, file: String, url: String, hubMessage: String?)
    /// 401/403 without a more precise error code: the token is missing, wrong or lacks access.
    case unauthorized(repoID: String, status: Int, tokenSent: Bool, url: String, hubMessage: String?)
    /// HTTP 429 (or 503) asking to wait longer than the client waits (`RetryPolicy.maxAnnouncedDelay`, or
    /// what is left of `maxTotalAnnouncedDelay`); `retryAfter` is the wait the Hub announced, in seconds.
    case rateLimited(repoID: String, url: String, retryAfter: Int)
    /// The Hub answered with a status the client does not know how to handle.
    case unexpectedStatus(repoID: String, status: Int, url: String)
    /// The repository has PyTorch pickle weights only; the tool loads safetensors only.
    case pickleOnly(repoID: String, revision: String)
    /// A downloaded LFS file's SHA-256 differs from the etag the Hub announced.
    case hashMismatch(repoID: String, file: String, expected: String, actual: String)
    /// A downloaded file's size differs from the size the Hub announced.
    case sizeMismatch(repoID: String, file: String, expected: Int64, actual: Int64)
    /// A file announced, or downloaded, beyond what a model file of its kind can be (``BlobDownloader/maximumBytes(of:)``):
    /// a mirror that streams without end would fill the disk.
    case fileTooLarge(repoID: String, file: String, limit: Int64, size: Int64)
    /// A Hub response lacks or garbles a header the client needs (commit, etag, size).
    case malformedResponse(url: String, detail: String)
    /// The cache holds something that does not follow the `huggingface_hub` layout.
    case malformedCache(path: String, detail: String)
    /// Reading or writing the cache failed.
    case io(path: String, operation: String, detail: String)
    /// A file of a local model directory cannot be used (a symbolic link in a loop, a FIFO): the file's fault, exit 65.
    case unusableLocalFile(path: String, detail: String)
    /// The token file (`HF_TOKEN_PATH`, or where `hf auth login` writes it) exists but cannot be read, and no
    /// `HF_TOKEN` is set: requests are refused rather than made without the token (exit 74).
    case unreadableTokenFile(path: String, reason: String)
    /// `org/name` not found or not cached on the Hub while a folder `org` is in the current directory: the error, with
    /// a word that the spec may be a misspelt path (`models/tiny-gtp2` beside `models/`). Its exit code is the error's.
    indirect case besideLocalFolder(HubError, path: String, folder: String)

    /// The process exit code for this error: 64 usage, 65 bad data, 69 model unavailable, 74 I/O.
    public var exitCode: Int32 {
        switch self {
        case .besideLocalFolder(let error, _, _):
            return error.exitCode
        case .invalidRepoID, .invalidRevision, .invalidFileName, .invalidEndpoint, .invalidEnvironment, .invalidModelSpec:
            return 64
        case .localModelIncomplete, .pickleOnly, .hashMismatch, .sizeMismatch, .fileTooLarge, .malformedResponse, .malformedCache,
            .unusableLocalFile:
            return 65
        case .notCached, .tokenizerNotCached, .tokenizerUnreachable, .unreachable, .untrustedServer, .repositoryNotFound, .gatedRepository, .revisionNotFound, .fileNotFound,
            .unauthorized, .rateLimited, .unexpectedStatus:
            return 69
        case .io, .unreadableTokenFile:
            return 74
        }
    }
}

extension HubError: CustomStringConvertible, LocalizedError {
    /// The full, actionable message.
    public var description: String {
        switch self {
        case .invalidRepoID(let id, let reason):
            return "invalid model id '\(id)': \(reason). Use 'name' or 'org/name' (letters, digits, '-', '_', '.'),"
                + " optionally followed by '@revision'."
        case .invalidRevision(let revision, let reason):
            return "invalid revision '\(revision)': \(reason). Use a branch, tag or 40-character commit hash."
        case .invalidFileName(let name, let reason):
            return "invalid file name '\(name)': \(reason)."
        case .invalidEndpoint(let value):
            return "invalid Hub endpoint '\(value)': expected an http:// or https:// URL. Fix or unset HF_ENDPOINT."
        case .invalidEnvironment(let variable, let problem, let expected):
            return "\(variable) \(problem): expected \(expected). Fix or unset \(variable)."
        case .invalidModelSpec(let spec, let reason):
            return "invalid --model '\(spec)': \(reason). Give a directory holding config.json, model.safetensors,"
                + " vocab.json and merges.txt, or a Hub id ('name' or 'org/name', optionally followed by '@revision')."
        case .localModelIncomplete(let directory, let missing):
            return "model directory \(directory) lacks \(missing.joined(separator: ", "))"
                + Self.danglingLinks(in: URL(fileURLWithPath: directory), names: missing)
                + ". A model directory needs config.json, model.safetensors, vocab.json and merges.txt."
        case .notCached(let id, let revision, let cachePath, let missing, let snapshot):
            // Files that are there, links followed, but are a FIFO, a device or a socket.
            let planted = snapshot.map { HubCache.nonRegularFiles(in: URL(fileURLWithPath: $0), names: missing) } ?? []
            // Said whether or not offline mode is on (`models path` reads the cache alone), and with the revision
            // asked for (review: the pull it advised fetched main, not @607a30d).
            let lacking = missing.isEmpty
                ? " (no snapshot is recorded for this revision: a branch, tag or short commit hash is known offline only"
                    + " once an online use has stored it)"
                : " (missing: \(missing.joined(separator: ", "))"
                    + (snapshot.map {
                        Self.danglingLinks(
                            in: URL(fileURLWithPath: $0), names: missing.filter { !planted.map(\.name).contains($0) },
                            advice: false)
                    } ?? "")
                    + (planted.isEmpty ? "" : "; " + planted.map(\.reason).joined(separator: "; "))
                    + ")"
            let spec = revision == "main" ? id : "\(id)@\(revision)"
            // A FIFO or a device where a file should be was put there by no download: the folder is not to be trusted
            // (a hostile review: "name a regular file", though the user named none).
            let advice = planted.isEmpty ? "Run" : "Delete the cache folder \(cachePath), then run"
            return "model '\(id)' at revision '\(revision)' is not in the cache \(cachePath)\(lacking). \(advice)"
                + " `biasaudit models pull \(spec)` while online (without --offline or HF_HUB_OFFLINE), or point"
                + " HF_HUB_CACHE at a cache that holds it."
        case .tokenizerNotCached(let id, let revision, let cachePath):
            return "the tokenizer of model '\(id)' at revision '\(revision)' is not in the cache \(cachePath) and"
                + " offline mode is on. Unset HF_HUB_OFFLINE (or drop --offline) and run the same command once"
                + " online: it fetches only the tokenizer files (config.json with vocab.txt and"
                + " tokenizer_config.json, or vocab.json and merges.txt), never the weights. Or pass --model a local"
                + " folder holding those files."
        case .tokenizerUnreachable(let id, let url, let detail, let cachePath):
            return "cannot reach the Hub for the tokenizer of model '\(id)' (\(url): \(detail)) and the cache"
                + " \(cachePath) has no copy of its tokenizer files. Check the network or HF_ENDPOINT, then run the"
                + " same command again: it fetches only the tokenizer files (config.json with vocab.txt and"
                + " tokenizer_config.json, or vocab.json and merges.txt), never the weights. Or pass --model a local"
                + " folder holding those files."
        case .unreachable(let id, let url, let detail, let cachePath):
            // A newcomer's review: "then run `biasaudit models pull`" was the only way forward it named, circular
            // from `models pull` itself and of no use offline.
            return "cannot reach the Hub for model '\(id)' (\(url): \(detail)) and the cache \(cachePath) has no"
                + " complete copy. Check the network or HF_ENDPOINT, then run the same command again (`biasaudit"
                + " models pull \(id)` downloads the model alone). Without a network: pass --model a local folder"
                + " holding the model's files (config.json, model.safetensors, vocab.json, merges.txt), or point"
                + " HF_HUB_CACHE at a cache that holds it."
        case .untrustedServer(let id, let url, let detail, let cachePath, let tokenizerOnly):
            // Not "check the network": the connection was made, and the fix is which authorities to trust (a review).
            let sentence = detail.hasSuffix(".") ? String(detail.dropLast()) : detail
            let start = "cannot connect securely to the Hub for "
                + (tokenizerOnly ? "the tokenizer of " : "") + "model '\(id)' (\(url)): \(sentence). The cache \(cachePath) "
            if tokenizerOnly {
                return start + "has no copy of its tokenizer files: run the same command again once that is fixed (it "
                    + "fetches only the tokenizer files, never the weights), or pass --model a local folder holding them."
            }
            return start + "has no complete copy of the model: run the same command again once that is fixed, or, without "
                + "the Hub, pass --model a local folder holding the model's files, or point HF_HUB_CACHE at a cache that holds it."
        case .repositoryNotFound(let id, let url, let tokenSent, let hubMessage):
            let hint = tokenSent
                ? "Check the spelling of '\(id)' (org/name, as on the model page); if it is private, check that"
                    + " the token (HF_TOKEN, or the file written by `hf auth login`) belongs to an account that can"
                    + " see it."
                : "Check the spelling of '\(id)' (org/name, as on the model page); if the repository is private,"
                    + " set HF_TOKEN or run `hf auth login`."
            return "the Hub has no model '\(id)' it can show\(said(hubMessage)) (\(url)). \(hint)"
        case .gatedRepository(let id, let url, let pageURL, let tokenSent, let hubMessage):
            let hint = tokenSent
                ? "Request access on \(pageURL) with the account the token belongs to, wait for it to be granted,"
                    + " then run the command again."
                : "Request access on \(pageURL), then set HF_TOKEN (or run `hf auth login`) with a token of that"
                    + " account."
            return "model '\(id)' is gated\(said(hubMessage)) (\(url)). \(hint)"
        case .revisionNotFound(let id, let revision, let url, let hubMessage):
            return "revision '\(revision)' does not exist in model '\(id)'\(said(hubMessage)) (\(url)). Check the"
                + " branch, tag or commit after '@' (the model page lists them)."
        case .fileNotFound(let id, let revision, let file, let url, let hubMessage):
            return "model '\(id)' at revision '\(revision)' has no \(file)\(said(hubMessage)) (\(url)). The tool"
                + " needs a GPT-2 repository with config.json, model.safetensors, vocab.json and merges.txt."
        case .unauthorized(let id, let status, let tokenSent, let url, let hubMessage):
            let hint = tokenSent
                ? "The token sent (HF_TOKEN, or the file written by `hf auth login`) was refused: check that it is"
                    + " valid and has access to this repository."
                : "If the repository is private or gated, set HF_TOKEN or run `hf auth login` with an account that"
                    + " has access."
            return "the Hub refused access to model '\(id)' (\(url) answered \(status))\(said(hubMessage)). \(hint)"
        case .rateLimited(let id, let url, let retryAfter):
            let wait = RetryPolicy.spokenWait(retryAfter)
            let again = retryAfter > 86_400 ? "later" : "in \(wait)"
            return "the Hub is rate-limiting requests for model '\(id)' (\(url) answered 429) and asks to wait"
                + " \(wait), longer than biasaudit waits. Run the command again \(again); requests"
                + " with a token (HF_TOKEN or `hf auth login`) get higher limits."
        case .unexpectedStatus(let id, let status, let url):
            return "the Hub answered HTTP \(status) for model '\(id)' (\(url)). Try again later or check"
                + " HF_ENDPOINT."
        case .pickleOnly(let id, let revision):
            return "model '\(id)' at revision '\(revision)' has only pytorch_model.bin (PyTorch pickle), which"
                + " this tool never loads. Use a revision or repository that has model.safetensors, or convert"
                + " the weights to safetensors and pass the directory."
        case .hashMismatch(let id, let file, _, _):
            return "\(file) of model '\(id)' is corrupted: \(verificationFault ?? ""). The partial download was deleted; "
                + "run the command again."
        case .sizeMismatch(let id, let file, _, _):
            return "\(file) of model '\(id)' has \(verificationFault ?? ""). The partial download was deleted; run the "
                + "command again."
        case .fileTooLarge(let id, let file, let limit, let size):
            return "\(file) of model '\(id)' is \(size) bytes or more, beyond the \(limit) bytes such a file of a model "
                + "this tool reads can have. The partial download was deleted; check HF_ENDPOINT and any mirror or proxy "
                + "in between."
        case .malformedResponse(let url, let detail):
            return "unexpected answer from \(url): \(detail). Check HF_ENDPOINT and any proxy in between."
        case .malformedCache(let path, let detail):
            let ending = detail.hasSuffix("?") || detail.hasSuffix(".") ? "" : "."
            // The folder to delete is the repository's (`…/models--org--name`), not the file found wrong (a hostile
            // review: "Delete that directory" after naming …/refs/main).
            let folder = Self.repositoryFolder(of: path)
            let advice = folder.map { HubCache.repairAdvice(folder: $0, repoID: Self.repoID(ofFolder: $0)) }
                ?? "delete that cache entry and pull the model again"
            return "the model cache entry \(path) is malformed: \(detail)\(ending) "
                + advice.prefix(1).uppercased() + advice.dropFirst() + "."
        case .besideLocalFolder(let error, let path, let folder):
            return error.description + " If you meant a local path: there is no directory at \(path), though the folder "
                + "\(folder) is here; check the spelling."
        case .unreadableTokenFile(let path, let reason):
            return "cannot read the Hub token file \(path) (\(reason)); it is HF_TOKEN_PATH, or where `hf auth login`"
                + " writes the token. Make it readable by this user, set HF_TOKEN, or point HF_TOKEN_PATH at a"
                + " readable file; move the file away to make anonymous requests. Nothing was sent to the Hub."
        case .unusableLocalFile(let path, let detail):
            return "\(path): \(detail). A model directory needs config.json, model.safetensors, vocab.json and "
                + "merges.txt as regular files (or links to them)."
        case .io(let path, let operation, let detail):
            // The detail says what to do (``HubError/io(path:operation:error:)``): no one advice fits a file in the way,
            // a full disk and `ulimit -f` alike.
            return "cannot \(operation) \(path): \(detail)."
        }
    }

    /// The same text as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// `; the Hub says "…"` for a server message (already an escaped excerpt), or nothing.
    private func said(_ hubMessage: String?) -> String {
        guard let hubMessage, !hubMessage.isEmpty else { return "" }
        return "; the Hub says \"\(hubMessage)\""
    }
}

extension HubError {
    /// The `models--…` folder of the cache that `path` lies in (the path up to that component), or nil.
    static func repositoryFolder(of path: String) -> String? {
        let components = URL(fileURLWithPath: path).pathComponents
        guard let index = components.lastIndex(where: { $0.hasPrefix("models--") }) else { return nil }
        return NSString.path(withComponents: Array(components[...index]))
    }

    /// The model id a `models--org--name` folder holds (`org/name`), or nil when its name is none.
    static func repoID(ofFolder folder: String) -> String? {
        let name = URL(fileURLWithPath: folder).lastPathComponent
        guard name.hasPrefix("models--") else { return nil }
        return (try? HubRepoID(name.dropFirst("models--".count).components(separatedBy: "--").joined(separator: "/")))?.description
    }

    /// " (vocab.json is a symbolic link to '…', which does not exist; …)" for the `names` in `directory` that are
    /// symbolic links to nothing, or "": `ls` lists such a file, and "lacks vocab.json" alone confused a user
    /// whose `cp -r` of a model folder kept relative links that no longer pointed anywhere (review).
    /// With `advice` false (the model cache), the links are named after "; " without the advice to copy with `cp -rL`.
    public static func danglingLinks(in directory: URL, names: [String], advice: Bool = true) -> String {
        let links = names.compactMap { name -> String? in
            let path = directory.appendingPathComponent(name).path
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
            let shown = target.count > 120 ? String(target.prefix(120)) + "…" : target
            let visible = shown.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
            // A link whose target is itself there as a link that leads nowhere: a loop, or a chain to nothing (a review:
            // a loop of links in the cache was reported as "missing" alone).
            let resolved = URL(fileURLWithPath: target, relativeTo: directory).path
            var isDirectory: ObjCBool = false
            // A link to a folder (a code review: it was said not to exist).
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return "\(name) is a symbolic link to '\(visible)', which is a folder, not a file"
            }
            let chained = (try? FileManager.default.destinationOfSymbolicLink(atPath: resolved)) != nil
            return "\(name) is a symbolic link to '\(visible)', which "
                + (chained ? "leads to no file (a loop or a chain of links)" : "does not exist")
        }
        guard !links.isEmpty else { return "" }
        return advice
            ? " (" + links.joined(separator: "; ") + "; copy a model folder with `cp -rL`, which copies the files links point to)"
            : "; " + links.joined(separator: "; ")
    }
}

extension HubError {
    /// What a downloaded file's check found, without the advice (`SHA-256 …, expected …`; `N bytes, expected M`): for
    /// the warning of a resumed download that is started over (a review: it quoted "run the command again", then said
    /// "downloading it again"); nil for another error.
    var verificationFault: String? {
        switch self {
        case .hashMismatch(_, _, let expected, let actual): "SHA-256 \(actual), expected \(expected)"
        case .sizeMismatch(_, _, let expected, let actual): "\(actual) bytes, expected \(expected)"
        default: nil
        }
    }
}
