import AuditResults
import Foundation

/// Writes output files atomically (a crash never leaves a half-written `results.json`), and only over
/// regular files: the temporary-file-and-rename write would otherwise replace a device (`/dev/full`,
/// `/dev/null`), a FIFO or a symbolic link with a regular file — as root, a broken `/dev`.
public enum OutputFiles {
    /// Writes `data` to `url` through a temporary file and a rename.
    /// - Parameters:
    ///   - data: the bytes.
    ///   - url: the output file.
    ///   - what: what is written, for messages ("the JUnit XML report").
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when `url` exists and is not a regular file;
    ///   ``AuditError/io(path:reason:)`` (exit 74) when the write fails.
    public static func write(_ data: Data, to url: URL, what: String = "the file") throws {
        try checkTarget(url)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw AuditError.io(path: url.path, reason: "cannot write \(what) (\(error.localizedDescription))")
        }
    }

    /// Refuses an existing output path that is not a regular file (a device, a FIFO, a socket, a
    /// directory or a symbolic link, which is not followed).
    /// - Throws: ``AuditError/usage(_:)``.
    public static func checkTarget(_ url: URL) throws {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return }  // does not exist yet: fine
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        let name: String
        switch kind {
        case S_IFLNK: name = "a symbolic link"
        case S_IFCHR, S_IFBLK: name = "a device"
        case S_IFIFO: name = "a FIFO"
        case S_IFSOCK: name = "a socket"
        case S_IFDIR: name = "a folder"
        default: name = "not a regular file"
        }
        throw AuditError.usage(
            "\(url.path) is \(name): biasaudit writes its output files whole and would replace it; "
                + "give the path of a regular file (or of one that does not exist yet)")
    }
}
