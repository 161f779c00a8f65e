import Foundation

/// Words a failed write or folder creation the way a user can act on it: Foundation's own text ("You don't
/// have permission.") names neither the cause nor the fix.
public enum FileWriteFailure {
    /// The cause of a write error and what to do, e.g. "permission denied; choose a folder you may write to
    /// (--out) or change its permissions".
    /// - Parameter error: an error of `Data.write`, `FileManager.createDirectory` or a POSIX call.
    ///   - creating: the folder being created, when the error comes from creating it: a file among its
    ///     ancestors then explains an error that carries no POSIX code (Foundation's "error 512").
    public static func reason(_ error: Error, creating folder: URL? = nil) -> String {
        var code = posixCode(error)
        if code == nil, let folder, fileAmongAncestors(of: folder) { code = ENOTDIR }
        switch code {
        case EACCES, EPERM:
            return "permission denied; choose a folder you may write to (--out) or change its permissions"
        case ENOSPC, EDQUOT:
            return "no space left on the device; free some space or write elsewhere (--out), then run the command again"
        case EROFS:
            return "the file system is read-only; write elsewhere (--out)"
        case EEXIST:
            return "a file of that name is in the way where a folder is needed; choose another path (--out) or move the file"
        case ENOTDIR:
            return "a part of the path is a file, not a folder; choose another path (--out)"
        default:
            return (error as NSError).localizedDescription
        }
    }

    /// Whether an existing ancestor of `folder` (or `folder` itself) is something other than a folder.
    static func fileAmongAncestors(of folder: URL) -> Bool {
        var current = folder.standardizedFileURL
        while current.path != "/" && !current.path.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current.path, isDirectory: &isDirectory) { return !isDirectory.boolValue }
            current = current.deletingLastPathComponent()
        }
        return false
    }

    /// The POSIX error code behind a Foundation or POSIX error, when there is one.
    public static func posixCode(_ error: Error) -> Int32? {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileWriteNoPermission: return EACCES
            case .fileWriteOutOfSpace: return ENOSPC
            case .fileWriteVolumeReadOnly: return EROFS
            case .fileWriteFileExists: return EEXIST
            default: return nil
            }
        }
        return nil
    }
}
