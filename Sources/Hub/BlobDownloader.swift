import Crypto
import Foundation
import InputFiles
import HTTPClient
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Puts one verified blob into `blobs/{etag}`: downloads into `blobs/{etag}.incomplete` (resuming with
/// `Range: bytes=N-` after an interruption, in this process or an earlier one), retries transient failures
/// with backoff (or after the wait the server announces, bounded as `RetryPolicy` says), checks size (when
/// known) and — for LFS files — SHA-256 against the etag, and only then renames the file into place. A file
/// that fails a check is deleted, never linked into a snapshot.
///
/// A signed CDN URL expires (the CDN answers 401/403, typically on a resume long after the HEAD): the
/// metadata is asked again at the same commit for a fresh URL and the download continues from where it
/// stopped, once per stretch without progress. A 401/403 from the Hub's own host is a refusal, reported.
///
/// Unlike recent `huggingface_hub` releases (which write to a process-unique temporary file and start over
/// after a crash), the partial file keeps the fixed name `{etag}.incomplete` so a later run can resume it;
/// the `.locks/…/{etag}.lock` flock keeps two processes from writing it together. Only LFS files (whose etag
/// is a SHA-256 that proves the result) are resumed; other files are small and are downloaded whole.
struct BlobDownloader: Sendable {
    let transport: HTTPTransport
    let fetcher: MetadataFetcher
    let cache: HubCache
    let retry: RetryPolicy
    let progress: (any DownloadProgress)?
    let warn: @Sendable (String) -> Void

    /// The most bytes a file of a model may have: 16 GiB of weights (GPT-2 XL's float32 safetensors are 6.4 GB),
    /// 64 MiB of anything else (vocab.json and merges.txt are read up to that; config.json up to 1 MiB). A hostile
    /// review: a mirror that announced no size and streamed without end wrote 4 GB of config.json in 20 s.
    static func maximumBytes(of file: String) -> Int64 {
        file.hasSuffix(".safetensors") ? 16 << 30 : 64 << 20
    }

    /// Ensures `blobs/{etag}` holds the complete, verified content described by `metadata`.
    /// - Throws: `HubError.fileTooLarge` when the announced size, or the bytes received, pass ``maximumBytes(of:)``.
    func ensureBlob(_ announced: HubFileMetadata, repo: HubRepoID, file: String) async throws {
        var metadata = announced
        let limit = Self.maximumBytes(of: file)
        if let size = metadata.size, size > limit {
            throw HubError.fileTooLarge(repoID: repo.description, file: file, limit: limit, size: size)
        }
        let blob = cache.blobURL(for: repo, etag: metadata.etag)
        if FileManager.default.fileExists(atPath: blob.path) { return }
        try cache.createDirectory(blob.deletingLastPathComponent())
        try cache.tagCacheDirectory()
        let lock = try await FileLock.acquire(at: cache.lockURL(for: repo, etag: metadata.etag))
        defer { withExtendedLifetime(lock) {} }
        if FileManager.default.fileExists(atPath: blob.path) { return }

        let partial = blob.deletingLastPathComponent().appendingPathComponent("\(metadata.etag).incomplete")
        var mayRestart = true
        while true {
            if !metadata.isVerifiable || metadata.size.map({ fileSize(partial) > $0 }) == true { try remove(partial) }
            let resumedFrom = fileSize(partial)
            progress?.downloadStarted(
                file: file, totalBytes: metadata.size, resumedFrom: resumedFrom, resumable: metadata.isVerifiable)
            try await transfer(&metadata, to: partial, repo: repo, file: file)
            do {
                try verify(partial, metadata, repo: repo, file: file)
                break
            } catch let error as HubError where resumedFrom > 0 && mayRestart {
                // The kept prefix came from an earlier attempt and may be what is wrong: start over once.
                mayRestart = false
                warn("\(file) of '\(repo)' failed verification after resuming from byte \(resumedFrom) ("
                    + (error.verificationFault ?? "\(error)") + "); the kept part is deleted and the whole file downloaded "
                    + "again.")
            }
        }
        try cache.moveReplacing(partial, to: blob)
        progress?.downloadFinished(file: file, totalBytes: fileSize(blob))
    }

    /// What a finished GET that did not complete the file calls for.
    private enum Shortfall {
        /// Retry after a delay (from this byte on, for resumable files).
        case transient(TransientFailure)
        /// The CDN refused the signed URL (HTTP status): ask the Hub for a fresh one.
        case linkRefused(Int)
    }

    /// Downloads until `partial` is complete (holds `metadata.size` bytes, or, size unknown, a body that
    /// ended without error), resuming after each transient failure; refreshes `metadata` when the CDN refuses
    /// its signed URL.
    private func transfer(_ metadata: inout HubFileMetadata, to partial: URL, repo: HubRepoID, file: String)
        async throws
    {
        var failures = 0
        var announcedSoFar: TimeInterval = 0
        var refreshedAt: Int64?
        while true {
            let offset = fileSize(partial)
            let sink = try PartialFileSink(
                url: partial, offset: offset, expected: metadata.size, limit: Self.maximumBytes(of: file), repo: repo,
                file: file, progress: progress)
            // Complete (an empty file too: it is created here, and needs no request; a hostile review: a 0-byte file
            // was never created, and the rename into place failed with exit 74).
            if offset == metadata.size {
                try sink.close()
                return
            }
            var headers = fetcher.headers(for: metadata.downloadURL)
            if offset > 0 { headers["Range"] = "bytes=\(offset)-" }
            let shortfall: Shortfall
            do {
                let response = try await transport.get(metadata.downloadURL, headers: headers, sink: sink)
                try sink.close()
                if metadata.size == nil, sink.acceptedBody, [200, 206].contains(response.status) { return }
                shortfall = try classify(response, partial: partial, metadata: metadata, repo: repo, file: file)
            } catch let error as URLError where error.code != .cancelled {
                try sink.close()
                shortfall = .transient(
                    TransientFailure(
                        error, url: metadata.downloadURL.absoluteString, timeout: transport.timeout,
                        setting: "HF_HUB_DOWNLOAD_TIMEOUT"))
            } catch {
                try? sink.close()
                if case HubError.sizeMismatch = error { try? remove(partial) }
                if case HubError.fileTooLarge = error { try? remove(partial) }
                throw error
            }
            if let size = metadata.size, fileSize(partial) == size { return }
            switch shortfall {
            case .linkRefused(let status):
                // Once per stretch without progress: a second refusal at the same byte is a real one.
                guard refreshedAt != fileSize(partial) else {
                    throw HubError.unauthorized(
                        repoID: repo.description, status: status, tokenSent: fetcher.token != nil,
                        url: metadata.downloadURL.absoluteString, hubMessage: nil)
                }
                refreshedAt = fileSize(partial)
                warn("the download link of \(file) was refused (HTTP \(status) from \(metadata.downloadURL.host ?? "the CDN"));"
                    + " signed links expire, so asking the Hub for a fresh one and continuing from byte \(fileSize(partial)).")
                metadata = try await freshMetadata(metadata, repo: repo, file: file)
            case .transient(let failure):
                failures = fileSize(partial) > offset ? 1 : failures + 1
                guard failures < retry.maxAttempts, !failure.waitingWillNotHelp else {
                    throw failure.hubError(repoID: repo.description, cachePath: cache.repositoryDirectory(for: repo).path)
                }
                switch retry.decision(beforeRetry: failures, announced: failure.announcedWait, announcedSoFar: &announcedSoFar) {
                case .giveUp(let retryAfter):
                    throw HubError.rateLimited(repoID: repo.description, url: failure.url, retryAfter: retryAfter)
                case .wait(let delay, _):
                    warn("download of \(file) interrupted (\(failure.detail)); retrying in \(HubClient.format(delay)) s"
                        + " from byte \(fileSize(partial)).")
                    try await retry.sleep(delay)
                }
            }
        }
    }

    /// Asks the Hub again, at the commit already resolved, for the file's metadata (a fresh signed URL).
    /// - Throws: `HubError` when the file is gone or changed, or the Hub cannot be reached.
    private func freshMetadata(_ old: HubFileMetadata, repo: HubRepoID, file: String) async throws -> HubFileMetadata {
        let outcome: MetadataOutcome
        do {
            outcome = try await fetcher.fetch(repo: repo, revision: old.commit, file: file)
        } catch let failure as TransientFailure {
            throw failure.hubError(repoID: repo.description, cachePath: cache.repositoryDirectory(for: repo).path)
        }
        switch outcome {
        case .missing(_, let hubMessage):
            throw HubError.fileNotFound(
                repoID: repo.description, revision: old.commit, file: file, url: old.downloadURL.absoluteString,
                hubMessage: hubMessage)
        case .found(let fresh):
            guard fresh.etag == old.etag, fresh.commit == old.commit else {
                throw HubError.malformedResponse(
                    url: fresh.downloadURL.absoluteString,
                    detail: "asked again for \(file) at commit \(old.commit), the Hub described other content"
                        + " (etag \(fresh.etag), was \(old.etag))")
            }
            return HubFileMetadata(
                commit: old.commit, etag: old.etag, size: old.size ?? fresh.size, downloadURL: fresh.downloadURL)
        }
    }

    /// Describes why a finished GET left the file short (the caller checks completeness first), or throws
    /// for answers that retrying cannot fix.
    private func classify(
        _ response: HTTPResponse, partial: URL, metadata: HubFileMetadata, repo: HubRepoID, file: String
    ) throws -> Shortfall {
        let url = metadata.downloadURL.absoluteString
        switch response.status {
        case 200, 206:
            let written = fileSize(partial)
            let of = metadata.size.map { " of \($0)" } ?? ""
            return .transient(TransientFailure(url: url, detail: "connection closed after \(written)\(of) bytes"))
        case 416:
            try remove(partial)
            return .transient(TransientFailure(url: url, detail: "HTTP 416, range not satisfiable"))
        case 401, 403:
            // The Hub's own host refusing is a refusal; another host (the CDN) refusing a signed URL is an expiry.
            if response.url.host?.lowercased() != fetcher.endpoint.host?.lowercased() {
                return .linkRefused(response.status)
            }
            throw HubError.unauthorized(
                repoID: repo.description, status: response.status, tokenSent: fetcher.token != nil, url: url,
                hubMessage: HubServerHeaders.errorMessage(response, hiding: fetcher.token))
        case 404:
            throw HubError.fileNotFound(
                repoID: repo.description, revision: metadata.commit, file: file, url: url,
                hubMessage: HubServerHeaders.errorMessage(response, hiding: fetcher.token))
        case let status where RetryPolicy.isTransient(status: status):
            return .transient(TransientFailure(
                url: url, detail: "HTTP \(status)", announcedWait: RetryHeaders.announcedWait(response)))
        default:
            throw HubError.unexpectedStatus(repoID: repo.description, status: response.status, url: url)
        }
    }

    /// Checks size and (for LFS files) SHA-256; deletes the partial file when a check fails.
    private func verify(_ partial: URL, _ metadata: HubFileMetadata, repo: HubRepoID, file: String) throws {
        let size = fileSize(partial)
        if let expected = metadata.size, size != expected {
            try remove(partial)
            throw HubError.sizeMismatch(repoID: repo.description, file: file, expected: expected, actual: size)
        }
        guard metadata.isVerifiable else { return }
        let digest = try sha256Hex(of: partial)
        guard digest == metadata.etag else {
            try remove(partial)
            throw HubError.hashMismatch(repoID: repo.description, file: file, expected: metadata.etag, actual: digest)
        }
    }

    private func fileSize(_ url: URL) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    private func remove(_ url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do { try FileManager.default.removeItem(at: url) } catch {
            throw HubError.io(path: url.path, operation: "delete", error: error)
        }
    }
}

/// The lower-case hex SHA-256 of a file, read in 4 MiB chunks. The file is opened through ``BoundedFile``:
/// a FIFO, device or `/proc` file where a blob belongs is refused, never read.
/// - Throws: `HubError.malformedCache` for a file that is not a regular file, `HubError.io` when the file
///   cannot be read.
public func sha256Hex(of url: URL) throws -> String {
    let descriptor: Int32
    do {
        descriptor = try BoundedFile.openChecked(url.path).descriptor
    } catch let error as BoundedFileError {
        throw HubCache.hubError(error, path: url.path, what: "the file")
            ?? HubError.io(path: url.path, operation: "read", detail: error.reason(what: "the file"))
    }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    var hasher = SHA256()
    while true {
        let chunk: Data?
        do { chunk = try handle.read(upToCount: 4 << 20) } catch {
            throw HubError.io(path: url.path, operation: "read", error: error)
        }
        guard let chunk, !chunk.isEmpty else { break }
        hasher.update(data: chunk)
    }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}
