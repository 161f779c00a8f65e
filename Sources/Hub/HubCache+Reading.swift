import Foundation
import InputFiles

extension HubCache {
    /// The largest ref file read: a ref holds a 40-character commit hash (huggingface_hub writes no newline;
    /// other tools may), so anything near this size is not a ref.
    static let refSizeLimit = 4096

    /// Reads a file of the cache (a ref) through ``BoundedFile``: a regular file of at most `limit` bytes,
    /// never a FIFO, device or `/proc` file planted in the cache.
    /// - Parameters:
    ///   - url: the file.
    ///   - what: what it is, for messages ("the ref").
    ///   - limit: the largest size accepted, in bytes.
    /// - Returns: the bytes, or nil when there is no such file.
    /// - Throws: `HubError.malformedCache` for a special or oversized file (exit 65), `HubError.io` when it
    ///   cannot be read (permission denied, exit 74).
    static func readCacheFile(_ url: URL, what: String, limit: Int) throws -> Data? {
        do {
            return try BoundedFile.read(url.path, limit: limit)
        } catch let error as BoundedFileError {
            guard let mapped = hubError(error, path: url.path, what: what) else { return nil }
            throw mapped
        }
    }

    /// The `HubError` of a ``BoundedFileError``; nil for a missing file.
    static func hubError(_ error: BoundedFileError, path: String, what: String) -> HubError? {
        if error == .notFound { return nil }
        return error.isBadData ? .malformedCache(path: path, detail: error.reason(what: what))
            : .io(path: path, operation: "read", detail: error.reason(what: what) + "; or point HF_HUB_CACHE (or HF_HOME) at another cache")
    }
}
