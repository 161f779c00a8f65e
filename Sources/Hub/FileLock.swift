import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock(2)` on a lock file, the same kind of lock Python's `filelock` takes on
/// `{cache}/.locks/models--…/{etag}.lock`, so a Python and a Swift process never write one blob together.
final class FileLock {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Creates the lock file if needed and waits (polling every 50 ms, cancellable) until the lock is held.
    static func acquire(at url: URL) async throws -> FileLock {
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw HubError.io(path: url.deletingLastPathComponent().path, operation: "create", error: error)
        }
        let descriptor = open(url.path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw HubError.io(path: url.path, operation: "open lock file", errno: errno)
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                close(descriptor)
                throw HubError.io(path: url.path, operation: "lock", errno: code)
            }
            do {
                try await Task.sleep(nanoseconds: 50_000_000)
            } catch {
                close(descriptor)
                throw error
            }
        }
        return FileLock(descriptor: descriptor)
    }

    /// Releases the lock (closing the descriptor releases it too).
    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
