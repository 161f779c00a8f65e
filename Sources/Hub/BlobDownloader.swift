import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Puts one verified blob into `blobs/{etag}`: downloads into `blobs/{etag}.incomplete` (resuming with
/// `Range: bytes=N-` after an interruption, in this process or an earlier one), retries transient failures
/// with backoff, checks size and — for LFS files — SHA-256 against the etag, and only then renames the file
/// into place. A file that fails a check is deleted, never linked into a snapshot.
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

    /// Ensures `blobs/{etag}` holds the complete, verified content described by `metadata`.
    func ensureBlob(_ metadata: HubFileMetadata, repo: HubRepoID, file: String) async throws {
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
            if !metadata.isVerifiable || fileSize(partial) > metadata.size { try remove(partial) }
            let resumedFrom = fileSize(partial)
            progress?.downloadStarted(file: file, totalBytes: metadata.size, resumedFrom: resumedFrom)
            try await transfer(metadata, to: partial, repo: repo, file: file)
            do {
                try verify(partial, metadata, repo: repo, file: file)
                break
            } catch let error as HubError where resumedFrom > 0 && mayRestart {
                // The kept prefix came from an earlier attempt and may be what is wrong: start over once.
                mayRestart = false
                warn("\(file) of '\(repo)' failed verification after resuming (\(error)); downloading it again.")
            }
        }
        try cache.moveReplacing(partial, to: blob)
        progress?.downloadFinished(file: file, totalBytes: metadata.size)
    }

    /// Downloads until `partial` holds `metadata.size` bytes, resuming after each transient failure.
    private func transfer(_ metadata: HubFileMetadata, to partial: URL, repo: HubRepoID, file: String) async throws {
        var failures = 0
        while true {
            let offset = fileSize(partial)
            if offset == metadata.size { return }
            let sink = try PartialFileSink(
                url: partial, offset: offset, expected: metadata.size, repo: repo, file: file, progress: progress)
            var headers = fetcher.headers(for: metadata.downloadURL)
            if offset > 0 { headers["Range"] = "bytes=\(offset)-" }
            let failure: TransientFailure
            do {
                let response = try await transport.get(metadata.downloadURL, headers: headers, sink: sink)
                try sink.close()
                failure = try classify(response, partial: partial, metadata: metadata, repo: repo, file: file)
            } catch let error as URLError where error.code != .cancelled {
                try sink.close()
                failure = TransientFailure(url: metadata.downloadURL.absoluteString, detail: error.localizedDescription)
            } catch {
                try? sink.close()
                if case HubError.sizeMismatch = error { try? remove(partial) }
                throw error
            }
            if fileSize(partial) == metadata.size { return }
            failures = fileSize(partial) > offset ? 1 : failures + 1
            guard failures < retry.maxAttempts else {
                throw HubError.unreachable(
                    repoID: repo.description, url: failure.url, detail: failure.detail,
                    cachePath: cache.repositoryDirectory(for: repo).path)
            }
            let delay = retry.delay(beforeRetry: failures)
            warn("download of \(file) interrupted (\(failure.detail)); retrying in \(delay) s from byte \(fileSize(partial)).")
            try await retry.sleep(delay)
        }
    }

    /// Describes why a finished GET left the file short (the caller checks completeness first), or throws
    /// for answers that retrying cannot fix.
    private func classify(
        _ response: HTTPResponse, partial: URL, metadata: HubFileMetadata, repo: HubRepoID, file: String
    ) throws -> TransientFailure {
        let url = metadata.downloadURL.absoluteString
        switch response.status {
        case 200, 206:
            let written = fileSize(partial)
            return TransientFailure(url: url, detail: "connection closed after \(written) of \(metadata.size) bytes")
        case 416:
            try remove(partial)
            return TransientFailure(url: url, detail: "HTTP 416, range not satisfiable")
        case 401, 403:
            throw HubError.unauthorized(
                repoID: repo.description, status: response.status, tokenSent: fetcher.token != nil, url: url)
        case 404:
            throw HubError.fileNotFound(repoID: repo.description, revision: metadata.commit, file: file, url: url)
        case let status where RetryPolicy.isTransient(status: status):
            return TransientFailure(url: url, detail: "HTTP \(status)")
        default:
            throw HubError.unexpectedStatus(repoID: repo.description, status: response.status, url: url)
        }
    }

    /// Checks size and (for LFS files) SHA-256; deletes the partial file when a check fails.
    private func verify(_ partial: URL, _ metadata: HubFileMetadata, repo: HubRepoID, file: String) throws {
        let size = fileSize(partial)
        guard size == metadata.size else {
            try remove(partial)
            throw HubError.sizeMismatch(repoID: repo.description, file: file, expected: metadata.size, actual: size)
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
            throw HubError.io(path: url.path, operation: "delete", detail: "\(error)")
        }
    }
}

/// The lower-case hex SHA-256 of a file, read in 4 MiB chunks.
/// - Throws: `HubError.io` when the file cannot be read.
public func sha256Hex(of url: URL) throws -> String {
    let handle: FileHandle
    do { handle = try FileHandle(forReadingFrom: url) } catch {
        throw HubError.io(path: url.path, operation: "read", detail: "\(error)")
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    while true {
        let chunk: Data?
        do { chunk = try handle.read(upToCount: 4 << 20) } catch {
            throw HubError.io(path: url.path, operation: "read", detail: "\(error)")
        }
        guard let chunk, !chunk.isEmpty else { break }
        hasher.update(data: chunk)
    }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}
