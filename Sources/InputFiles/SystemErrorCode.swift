import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The POSIX cause behind a Foundation or POSIX error, and the facts about a path that explain an error without
/// one: shared by the messages of output files (`FileWriteFailure`) and of the model cache (`HubError`), so that
/// both say "a part of the path is a file" or "the file-size limit (`ulimit -f`)" rather than an NSError dump.
public enum SystemErrorCode {
    /// Whether the file system holding `path` (a folder, or the folder of a file yet to be made) has no inode left for
    /// this user (`statvfs`'s `f_favail`; `df -i`): no file can be created however many bytes are free, and the
    /// system's ENOSPC ("no space left") then misleads, `df -h` showing space (a hostile review: a run store in such a
    /// folder was told "permission denied or read-only"; a code review: reports there "free some space").
    /// A path that does not exist yet (an output folder to be created) is judged by its nearest existing ancestor (a
    /// hostile review: `report --out full/r` on a disk without inodes said "no space left" while `df -h` showed space).
    public static func hasNoFreeInodes(_ path: String) -> Bool {
        fileSystemStatus(of: path).map { $0.f_files > 0 && $0.f_favail == 0 } ?? false
    }

    /// Whether the file system holding `path` (or its nearest existing ancestor) is mounted read-only (`ST_RDONLY`):
    /// SQLite says only "unable to open database file" or "attempt to write a readonly database" there, which read as a
    /// permission to change (a hostile review: `chmod u+w` was advised on a read-only mount).
    public static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
        fileSystemStatus(of: path).map { $0.f_flag & UInt(ST_RDONLY) != 0 } ?? false
    }

    /// `statvfs` of `path`, or of its nearest existing ancestor; nil when none can be read.
    private static func fileSystemStatus(of path: String) -> statvfs? {
        var status = statvfs()
        var current = URL(fileURLWithPath: path).standardizedFileURL
        while statvfs(current.path, &status) != 0 {
            guard errno == ENOENT, current.path != "/", !current.path.isEmpty else { return nil }
            current = current.deletingLastPathComponent()
        }
        return status
    }

    /// The first of `path` and its ancestors that is a symbolic link leading nowhere: into a loop of links, or to a path
    /// that does not exist; nil when there is none. An output path through such a link fails with "file exists" or "no
    /// such file", which named a file in the way or a missing folder (a hostile review).
    public static func brokenLinkAmongAncestors(of path: URL) -> URL? {
        var current = path.standardizedFileURL
        var chain: [URL] = []
        while current.path != "/" && !current.path.isEmpty {
            chain.append(current)
            current = current.deletingLastPathComponent()
        }
        // From the root down: the first broken link is the cause.
        for candidate in chain.reversed() {
            var link = stat()
            guard lstat(candidate.path, &link) == 0 else { return nil }
            guard (link.st_mode & S_IFMT) == S_IFLNK else { continue }
            var target = stat()
            if stat(candidate.path, &target) != 0 { return candidate }
        }
        return nil
    }

    /// "no space left on the device", or "no inode left on the device (`df -i`)" when ``hasNoFreeInodes(_:)``.
    public static func noSpaceWords(_ path: String?) -> String {
        path.map(hasNoFreeInodes) == true ? "no inode left on the device (`df -i`: no file can be created there)"
            : "no space left on the device"
    }

    /// The POSIX error code behind a Foundation or POSIX error, when there is one.
    public static func posix(_ error: Error) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
        // Foundation keeps the cause of a failed `Data.write` as a `POSIXError` value, not an NSError (a write past
        // `ulimit -f` came out as "NSCocoaErrorDomain error 512" while its cause said EFBIG).
        switch nsError.userInfo[NSUnderlyingErrorKey] {
        case let underlying as POSIXError: return underlying.code.rawValue
        case let underlying as NSError where underlying.domain == NSPOSIXErrorDomain: return Int32(underlying.code)
        default: break
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileWriteNoPermission, .fileReadNoPermission: return EACCES
            case .fileWriteOutOfSpace: return ENOSPC
            case .fileWriteVolumeReadOnly: return EROFS
            case .fileWriteFileExists: return EEXIST
            case .fileNoSuchFile, .fileReadNoSuchFile, .fileWriteInvalidFileName: return ENOENT
            default: return nil
            }
        }
        return nil
    }

    /// The nearest existing ancestor of `folder` (or `folder` itself) when it is something other than a folder
    /// (a file, a device such as /dev/null); nil when the nearest existing one is a folder.
    public static func nonFolderAmongAncestors(of folder: URL) -> URL? {
        var current = folder.standardizedFileURL
        while current.path != "/" && !current.path.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current.path, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : current
            }
            current = current.deletingLastPathComponent()
        }
        return nil
    }

    /// The process's file-size limit (`ulimit -f`) in bytes, nil when there is none.
    public static func fileSizeLimit() -> UInt64? {
        var limit = rlimit()
        #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
        #else
            let resource = RLIMIT_FSIZE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return UInt64(limit.rlim_cur)
    }
}
