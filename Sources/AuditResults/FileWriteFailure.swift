import Foundation

/// Words a failed write or folder creation the way a user can act on it: Foundation's own text ("You don't
/// have permission.") names neither the cause nor the fix.
public enum FileWriteFailure {
    /// The cause of a write error and what to do, e.g. "permission denied; choose a folder you may write to
    /// (--out) or change its permissions".
    /// - Parameter error: an error of `Data.write`, `FileManager.createDirectory` or a POSIX call.
    public static func reason(_ error: Error) -> String {
        switch posixCode(error) {
        case EACCES, EPERM:
            return "permission denied; choose a folder you may write to (--out) or change its permissions"
        case ENOSPC, EDQUOT:
            return "no space left on the device; free some space or write elsewhere (--out), then run the command again"
        case EROFS:
            return "the file system is read-only; write elsewhere (--out)"
        default:
            return (error as NSError).localizedDescription
        }
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
            default: return nil
            }
        }
        return nil
    }
}
