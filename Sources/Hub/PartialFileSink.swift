import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import HTTPClient
import InputFiles

/// Appends a download's body to `{etag}.incomplete`, reporting progress.
///
/// On a `206 Partial Content` whose `Content-Range` starts where the file ends, bytes are appended. On a
/// `200` to a ranged request (the server ignored `Range`), the file is emptied first, as `huggingface_hub`
/// does. A `206` starting elsewhere is discarded and the file emptied, so the next attempt starts clean.
/// More bytes than announced (when a size was announced) fail with `HubError.sizeMismatch`; other statuses
/// leave the file untouched.
final class PartialFileSink: HTTPBodySink, @unchecked Sendable {
    private let handle: FileHandle
    private let url: URL
    private let offset: Int64
    private let expected: Int64?
    /// The most bytes the file may reach whatever the server sends (``BlobDownloader/maximumBytes(of:)``).
    private let limit: Int64
    private let repo: HubRepoID
    private let file: String
    private let progress: (any DownloadProgress)?
    private var written: Int64
    private var closed = false
    /// True once a response head was accepted: the body (if any) went to the file.
    private(set) var acceptedBody = false

    /// Opens (creating if needed) the partial file at `url`, which holds `offset` bytes; `expected` is the
    /// whole file's size, nil when unknown.
    init(
        url: URL, offset: Int64, expected: Int64?, limit: Int64 = .max, repo: HubRepoID, file: String,
        progress: (any DownloadProgress)?
    ) throws {
        // O_NOFOLLOW and O_NONBLOCK, then fstat: a symbolic link, FIFO (which would block the open) or device
        // planted where the partial download belongs is refused, never written through.
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP || code == ENXIO {
                throw HubError.malformedCache(path: url.path, detail: "a partial download is not a regular file")
            }
            throw HubError.io(path: url.path, operation: "open for writing", errno: code)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            Glibc.close(descriptor)
            throw HubError.malformedCache(path: url.path, detail: "a partial download is not a regular file")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        self.url = url
        self.offset = offset
        self.expected = expected
        self.limit = limit
        self.repo = repo
        self.file = file
        self.progress = progress
        self.written = offset
    }

    func accept(_ response: HTTPResponse) throws -> Bool {
        switch response.status {
        case 200:
            if offset > 0 { try truncate() }
            acceptedBody = true
            return true
        case 206:
            guard let range = response.header("Content-Range"), Self.rangeStart(range) == offset else {
                try truncate()
                return false
            }
            acceptedBody = true
            return true
        default:
            return false
        }
    }

    func write(_ data: Data) throws {
        if written + Int64(data.count) > limit {
            throw HubError.fileTooLarge(repoID: repo.description, file: file, limit: limit, size: written + Int64(data.count))
        }
        if let expected, written + Int64(data.count) > expected {
            throw HubError.sizeMismatch(
                repoID: repo.description, file: file, expected: expected, actual: written + Int64(data.count))
        }
        do { try handle.write(contentsOf: data) } catch {
            // A full disk: the partial file is deleted, or it keeps the disk full and every resume fails at the same
            // byte (a hostile review: a mirror streaming without end filled a 30 MB disk for good, and the message
            // was an NSError dump).
            // Past the file-size limit (`ulimit -f`) likewise: every resume would fail at the same byte.
            let code = SystemErrorCode.posix(error)
            if code == ENOSPC || code == EDQUOT || code == EFBIG {
                try? close()
                try? FileManager.default.removeItem(at: url)
                let reason = HubError.ioReason(code: code, path: url.path, fallback: "")
                throw HubError.io(
                    path: url.path, operation: "write",
                    detail: "\(file) stopped after \(written) bytes and its partial download was deleted"
                        + (code == EFBIG ? "" : " to free the space") + ": \(reason)")
            }
            throw HubError.io(path: url.path, operation: "write", error: error)
        }
        written += Int64(data.count)
        progress?.downloadAdvanced(file: file, completedBytes: written, totalBytes: expected)
    }

    /// Flushes and closes the file; safe to call more than once.
    func close() throws {
        guard !closed else { return }
        closed = true
        do { try handle.close() } catch {
            throw HubError.io(path: url.path, operation: "close", error: error)
        }
    }

    private func truncate() throws {
        do {
            try handle.truncate(atOffset: 0)
        } catch {
            throw HubError.io(path: url.path, operation: "truncate", error: error)
        }
        written = 0
        progress?.downloadAdvanced(file: file, completedBytes: 0, totalBytes: expected)
    }

    /// The first byte of `bytes S-E/T`, or nil when the header is not of that form.
    static func rangeStart(_ header: String) -> Int64? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = trimmed.dropFirst("bytes ".count)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        return Int64(spec[..<dash])
    }
}
