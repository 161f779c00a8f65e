import Foundation
import InputFiles
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HubError {
    /// A failed read or write of the cache, worded from the error's POSIX cause (``SystemErrorCode``): what went
    /// wrong in plain words and what to do, never an NSError dump (a hostile review: "Error Domain=NSCocoaErrorDomain
    /// Code=256 … Not a directory" with the advice to check permissions and free space).
    /// - Parameters:
    ///   - path: the file or folder the operation was on.
    ///   - operation: what was being done ("list", "write").
    ///   - error: the Foundation or POSIX error.
    public static func io(path: String, operation: String, error: Error) -> HubError {
        let code = SystemErrorCode.posix(error)
        let fallback = code.map { String(cString: strerror($0)) } ?? (error as NSError).localizedDescription
        return .io(path: path, operation: operation, detail: ioReason(code: code, path: path, fallback: fallback))
    }

    /// ``io(path:operation:error:)`` for an `errno`.
    public static func io(path: String, operation: String, errno code: Int32) -> HubError {
        .io(path: path, operation: operation, detail: ioReason(code: code, path: path, fallback: String(cString: strerror(code))))
    }

    /// The cause of a cache I/O error and what to do, e.g. "a part of the path is not a folder: /x/hub is a file;
    /// move it away, or point HF_HUB_CACHE (or HF_HOME) at a folder".
    /// - Parameters:
    ///   - code: the POSIX error code, when known.
    ///   - path: the file or folder concerned: a non-folder among its ancestors explains ENOTDIR and an error
    ///     without a code.
    ///   - fallback: the system's words, for a cause not worded here.
    static func ioReason(code: Int32?, path: String, fallback: String) -> String {
        let elsewhere = "point HF_HUB_CACHE (or HF_HOME) at another folder"
        let blocker = SystemErrorCode.nonFolderAmongAncestors(of: URL(fileURLWithPath: path).deletingLastPathComponent())
            ?? (code == ENOTDIR || code == nil ? SystemErrorCode.nonFolderAmongAncestors(of: URL(fileURLWithPath: path)) : nil)
        if let blocker, code == nil || code == ENOENT || code == ENOTDIR || code == EEXIST {
            let kind = Self.kind(of: blocker.path)
            return "a part of the path is not a folder: \(blocker.path) is \(kind); "
                + (kind == "a file" ? "move it away, or \(elsewhere)" : elsewhere)
        }
        switch code {
        case EACCES, EPERM:
            return "permission denied; make the cache folder writable by this user (chmod -R u+rwX), or \(elsewhere)"
        case ENOSPC, EDQUOT:
            return "no space left on the device (or the disk quota is used up); free some space, or \(elsewhere) on "
                + "another disk, then run the command again"
        case EROFS:
            return "the file system is read-only; \(elsewhere) on a writable disk"
        case EFBIG:
            let limit = SystemErrorCode.fileSizeLimit().map { " of \($0) bytes" } ?? ""
            return "the file would pass the file-size limit\(limit) (`ulimit -f`, or the file system's); raise the limit "
                + "(`ulimit -f unlimited`), or \(elsewhere) on another file system, then run the command again"
        case EEXIST:
            return "a file is in the way where a folder is needed; move it away, or \(elsewhere)"
        case ENOTDIR:
            return "a part of the path is not a folder; move the file in the way, or \(elsewhere)"
        case ENOENT where onPseudoFileSystem(path):
            // /proc, /sys: statvfs counts no blocks there, and nothing can be created (a final review: "run the command
            // again" cannot help).
            return "no file or folder can be created there (a special file system such as /proc or /sys?); \(elsewhere)"
        case ENOENT:
            return "no such file or folder (another program may have removed part of the cache meanwhile); run the "
                + "command again"
        case EIO:
            return "the disk reported an input/output error; check the disk, or \(elsewhere)"
        case EMFILE, ENFILE:
            return "too many open files; raise the limit (`ulimit -n`) and run the command again"
        default:
            return "\(fallback); check the cache folder, or \(elsewhere)"
        }
    }

    /// Whether the nearest existing folder above `path` is on a file system without blocks (proc, sysfs).
    private static func onPseudoFileSystem(_ path: String) -> Bool {
        var url = URL(fileURLWithPath: path)
        while url.path != "/", !FileManager.default.fileExists(atPath: url.path) { url.deleteLastPathComponent() }
        var status = statvfs()
        return statvfs(url.path, &status) == 0 && status.f_blocks == 0
    }

    /// "a file", "a character device", … for a path that is not a folder.
    private static func kind(of path: String) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return "not a folder" }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return "a file"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        default: return "not a folder"
        }
    }
}
