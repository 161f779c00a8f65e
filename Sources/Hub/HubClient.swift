import Foundation
import HTTPClient

/// A set of files of one repository at one commit, present in the cache.
public struct HubSnapshot: Sendable, Equatable {
    /// The repository id as asked (`distilgpt2`, even when the Hub redirects to `distilbert/distilgpt2`).
    public let repoID: String
    /// The revision as asked (`main`, a tag, or a commit).
    public let revision: String
    /// The commit the revision resolved to.
    public let commit: String
    /// `{cache}/models--…/snapshots/{commit}`: the files are symlinks in it.
    public let directory: URL
    /// The files present (required ones always; optional ones when the repository has them).
    public let files: [String]
    /// True when the Hub could not be asked (offline) or could not be reached, and the cache answered.
    public let fromCacheOnly: Bool
}

/// Fetches files of a model repository into the shared cache, as `huggingface_hub`'s `hf_hub_download` does.
///
/// Online, each file's metadata is asked with `HEAD …/resolve/{revision}/{file}`; once the first answer
/// gives the commit, the remaining files are asked at that commit (so a push in between cannot mix two
/// commits in one snapshot) and files already in `snapshots/{commit}/` are not asked for at all. Missing
/// blobs are downloaded and verified first; the snapshot links and `refs/{revision}` are written only once
/// every file is in `blobs/`, so a failed run leaves no partial snapshot behind.
/// Offline (`HF_HUB_OFFLINE` or `offline`), only `refs/` and `snapshots/` are read. When the Hub cannot be
/// reached (or refuses access), a complete cached snapshot of the revision is used and a warning given;
/// otherwise the metadata request is retried with backoff before failing with exit code 69.
public struct HubClient: Sendable {
    /// The configuration in use.
    public let configuration: HubConfiguration
    /// The cache the client reads and fills.
    public let cache: HubCache
    private let fetcher: MetadataFetcher
    private let downloader: BlobDownloader
    private let retry: RetryPolicy
    private let warn: @Sendable (String) -> Void

    /// Receives download progress, and ``DownloadProgress/modelFetching(_:)`` around a model's resolution (nil: none).
    public let progress: (any DownloadProgress)?

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: endpoint, token, cache, offline flag, timeouts.
    ///   - retryPolicy: how transient failures are retried.
    ///   - progress: receives download progress (nil: none).
    ///   - warning: receives warnings (cache fallback, retries); default writes `warning: …` to stderr.
    public init(
        configuration: HubConfiguration,
        retryPolicy: RetryPolicy = .standard,
        progress: (any DownloadProgress)? = nil,
        warning: @escaping @Sendable (String) -> Void = HubClient.standardErrorWarning
    ) {
        self.configuration = configuration
        self.cache = HubCache(root: configuration.cacheDirectory)
        self.retry = retryPolicy
        self.progress = progress
        self.warn = warning
        let fetcher = MetadataFetcher(
            transport: HTTPTransport(timeout: configuration.metadataTimeout), endpoint: configuration.endpoint,
            token: configuration.token)
        self.fetcher = fetcher
        self.downloader = BlobDownloader(
            transport: HTTPTransport(timeout: configuration.downloadTimeout), fetcher: fetcher, cache: cache,
            retry: retryPolicy, progress: progress, warn: warning)
    }

    /// Writes `warning: message` and a newline to standard error.
    public static let standardErrorWarning: @Sendable (String) -> Void = { message in
        try? FileHandle.standardError.write(contentsOf: Data("warning: \(message)\n".utf8))  // a lost warning is no failure
    }

    /// Makes `files` (all required) and `optionalFiles` (kept when they exist) of `repoID` at `revision`
    /// present in the cache, downloading what is missing, and returns the snapshot.
    /// - Throws: `HubError` (see its cases for exit codes).
    public func snapshot(
        repoID: HubRepoID, revision: String = "main", files: [String], optionalFiles: [String] = []
    ) async throws -> HubSnapshot {
        try HubPathRules.validateRevision(revision)
        for file in files + optionalFiles { try HubPathRules.validateFileName(file) }
        if configuration.offline {
            return try cachedSnapshot(repoID: repoID, revision: revision, files: files, optionalFiles: optionalFiles)
        }
        if HubPathRules.isCommitHash(revision),
            let cached = try completeCachedSnapshot(repoID, revision, files, optionalFiles, fromCacheOnly: false)
        {
            return cached
        }
        var commit: String?
        var present: [String] = []
        var toLink: [(file: String, etag: String)] = []
        for file in files + optionalFiles {
            let isOptional = !files.contains(file)
            if let commit {
                if cache.hasFile(file, in: repoID, commit: commit) {
                    present.append(file)
                    continue
                }
                if isOptional, cache.isKnownMissing(file, in: repoID, commit: commit) { continue }
            }
            let lookup = try await metadata(repoID, revision, commit, file, files, optionalFiles)
            switch lookup {
            case .cached(let snapshot):
                return snapshot
            case .remote(.missing(let missingAt, let hubMessage)):
                let url = resolveURL(endpoint: configuration.endpoint, repo: repoID, revision: commit ?? revision, file: file)
                guard isOptional else {
                    throw HubError.fileNotFound(
                        repoID: repoID.description, revision: revision, file: file, url: url.absoluteString,
                        hubMessage: hubMessage)
                }
                if let at = missingAt ?? commit {
                    do { try cache.markMissing(file, in: repoID, commit: at) } catch { warn("\(error)") }
                }
            case .remote(.found(let metadata)):
                if let commit, metadata.commit != commit {
                    throw HubError.malformedResponse(
                        url: metadata.downloadURL.absoluteString,
                        detail: "asked at commit \(commit), answered for commit \(metadata.commit)")
                }
                commit = metadata.commit
                if !cache.hasFile(file, in: repoID, commit: metadata.commit) {
                    try await downloader.ensureBlob(metadata, repo: repoID, file: file)
                    toLink.append((file, metadata.etag))
                }
                present.append(file)
            }
        }
        guard let commit else {
            throw HubError.malformedResponse(url: configuration.endpoint.absoluteString, detail: "no file was asked for")
        }
        // Every blob is verified: only now does the snapshot (and the ref naming it) appear.
        for (file, etag) in toLink { try cache.linkSnapshotFile(file, in: repoID, commit: commit, etag: etag) }
        try cache.writeRef(commit, for: repoID, revision: revision)
        return HubSnapshot(
            repoID: repoID.description, revision: revision, commit: commit,
            directory: cache.snapshotDirectory(for: repoID, commit: commit), files: present, fromCacheOnly: false)
    }

    /// The snapshot of `revision` from the cache alone, without any request.
    /// - Throws: `HubError.notCached` naming the missing files and the cache path.
    public func cachedSnapshot(
        repoID: HubRepoID, revision: String = "main", files: [String], optionalFiles: [String] = []
    ) throws -> HubSnapshot {
        try HubPathRules.validateRevision(revision)
        for file in files + optionalFiles { try HubPathRules.validateFileName(file) }
        if let snapshot = try completeCachedSnapshot(repoID, revision, files, optionalFiles, fromCacheOnly: true) {
            return snapshot
        }
        let commit = try cache.commit(for: repoID, revision: revision)
        // A cached model with no commit recorded for this revision (a short hash never used online): no file is
        // "missing", they may lie under another snapshot (review); a model not cached at all lacks every file.
        let cached = FileManager.default.fileExists(atPath: cache.repositoryDirectory(for: repoID).path)
        let missing = commit.map { commit in files.filter { !cache.hasFile($0, in: repoID, commit: commit) } }
            ?? (cached ? [] : files)
        throw HubError.notCached(
            repoID: repoID.description, revision: revision, cachePath: cache.repositoryDirectory(for: repoID).path,
            missing: missing, snapshot: commit.map { cache.snapshotDirectory(for: repoID, commit: $0).path })
    }

    /// Whether `file` exists in the repository at `revision` (a HEAD request; the cache when offline).
    public func fileExists(repoID: HubRepoID, revision: String = "main", file: String) async throws -> Bool {
        try HubPathRules.validateRevision(revision)
        try HubPathRules.validateFileName(file)
        if configuration.offline {
            return try cache.commit(for: repoID, revision: revision).map { cache.hasFile(file, in: repoID, commit: $0) }
                ?? false
        }
        if let error = configuration.requestError { throw error }
        switch try await metadataWithRetries(repoID, revision, file) {
        case .found: return true
        case .missing: return false
        }
    }

    private enum Lookup {
        case remote(MetadataOutcome)
        case cached(HubSnapshot)
    }

    /// Asks once; on a transient failure (rate limits included) or refused access, falls back to a complete
    /// cached snapshot of the requested revision, else retries (transient failures only).
    private func metadata(
        _ repo: HubRepoID, _ revision: String, _ commit: String?, _ file: String, _ files: [String],
        _ optionalFiles: [String]
    ) async throws -> Lookup {
        func fallback(_ reason: String) throws -> Lookup? {
            guard let cached = try completeCachedSnapshot(repo, revision, files, optionalFiles, fromCacheOnly: true)
            else { return nil }
            warn("\(reason); using the cached snapshot \(cached.commit) of '\(repo)' at '\(revision)' from \(cached.directory.path).")
            return .cached(cached)
        }
        // Never ask anonymously when the token the user meant to send could not be read.
        if let error = configuration.requestError { throw error }
        let first: TransientFailure
        do {
            return .remote(try await fetcher.fetch(repo: repo, revision: commit ?? revision, file: file))
        } catch let failure as TransientFailure {
            let trouble = failure.certificate ? "cannot connect securely to the Hub" : "cannot reach the Hub"
            let detail = failure.detail.hasSuffix(".") ? String(failure.detail.dropLast()) : failure.detail
            if let cached = try fallback("\(trouble) (\(failure.url): \(detail))") { return cached }
            first = failure
        } catch let error as HubError {
            switch error {
            case .unauthorized, .repositoryNotFound, .gatedRepository:
                if let cached = try fallback("the Hub refused '\(repo)': \(error)") { return cached }
                throw error
            default:
                throw error
            }
        }
        return .remote(try await metadataWithRetries(repo, commit ?? revision, file, after: first))
    }

    /// Retries a metadata request: after the backoff delay, or after the wait the answer announced
    /// (bounded; see `RetryPolicy`). `earlier` is the failure of an attempt already made.
    private func metadataWithRetries(
        _ repo: HubRepoID, _ revision: String, _ file: String, after earlier: TransientFailure? = nil
    ) async throws -> MetadataOutcome {
        var lastFailure = earlier
        var announcedSoFar: TimeInterval = 0
        for attempt in (earlier == nil ? 0 : 1)..<retry.maxAttempts {
            if let failure = lastFailure {
                if failure.waitingWillNotHelp { break }
                switch retry.decision(beforeRetry: attempt, announced: failure.announcedWait, announcedSoFar: &announcedSoFar) {
                case .giveUp(let retryAfter):
                    throw HubError.rateLimited(repoID: repo.description, url: failure.url, retryAfter: retryAfter)
                case .wait(let seconds, let announced):
                    if announced {
                        warn("the Hub asks to wait before the next request (\(failure.detail) from \(failure.url));"
                            + " waiting \(Self.format(seconds)) s.")
                    } else {
                        // Said, or the retries of a Hub that does not answer are a minute of silence (a hostile review);
                        // not "cannot reach": a 503 or a 429 is an answer (a code review).
                        warn("asking the Hub failed (\(failure.url): \(failure.detail)); trying again in "
                            + "\(Self.format(seconds)) s (attempt \(attempt + 1) of \(retry.maxAttempts)).")
                    }
                    try await retry.sleep(seconds)
                }
            }
            do {
                return try await fetcher.fetch(repo: repo, revision: revision, file: file)
            } catch let failure as TransientFailure {
                lastFailure = failure
            }
        }
        let failure = lastFailure ?? TransientFailure(url: configuration.endpoint.absoluteString, detail: "no attempt made")
        throw failure.hubError(repoID: repo.description, cachePath: cache.repositoryDirectory(for: repo).path)
    }

    /// Seconds with at most one decimal: `4`, `0.5`.
    static func format(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    /// The cached snapshot of `revision` when every required file is in it; nil otherwise.
    private func completeCachedSnapshot(
        _ repo: HubRepoID, _ revision: String, _ files: [String], _ optionalFiles: [String], fromCacheOnly: Bool
    ) throws -> HubSnapshot? {
        guard let commit = try cache.commit(for: repo, revision: revision),
            files.allSatisfy({ cache.hasFile($0, in: repo, commit: commit) })
        else { return nil }
        let present = files + optionalFiles.filter { cache.hasFile($0, in: repo, commit: commit) }
        return HubSnapshot(
            repoID: repo.description, revision: revision, commit: commit,
            directory: cache.snapshotDirectory(for: repo, commit: commit), files: present,
            fromCacheOnly: fromCacheOnly)
    }
}
