import Foundation
import InputFiles

/// Words a failed write or folder creation the way a user can act on it: Foundation's own text ("You don't
/// have permission.") names neither the cause nor the fix.
public enum FileWriteFailure {
    /// The cause of a write error and what to do, e.g. "permission denied; choose a folder you may write to
    /// (--out) or change its permissions".
    /// - Parameter error: an error of `Data.write`, `FileManager.createDirectory` or a POSIX call.
    ///   - creating: the folder being created, when the error comes from creating it: a file among its
    ///     ancestors then explains an error that carries no POSIX code (Foundation's "error 512").
    ///   - writing: the file being written, when the error comes from writing it: a file among the ancestors of
    ///     its folder, or a folder that does not exist, then explains an error without a POSIX code.
    ///   - option: the option that names the output, for the advice (`--junit` for `check` and `lint`).
    ///   - store: the run store that keeps the completions the files come from (`run`), or nil. With a store the way on
    ///     is the same command with the same `--out` (``resumeAdvice(store:)``), never another folder, which would
    ///     generate everything again: no cause is told to write elsewhere or choose another path (a full disk is told to
    ///     free space; hostile reviews).
    public static func reason(
        _ error: Error, creating folder: URL? = nil, writing file: URL? = nil, option: String = "--out",
        completionsKeptIn store: URL? = nil
    ) -> String {
        let cause = cause(error, creating: folder, writing: file, option: option, resumable: store != nil)
        return store.map { cause + resumeAdvice(store: $0) } ?? cause
    }

    /// What a failed write of a run's results and reports adds when the run's completions are kept in its run store at
    /// `store`: " (the completions are stored in …: run the same command again, with this --out, …)".
    public static func resumeAdvice(store: URL) -> String {
        " (the completions are stored in \(store.path): run the same command again, with this --out, once the files can be "
            + "written, and nothing is generated again; another --out would generate them anew)"
    }

    /// The cause and the fix of ``reason(_:creating:writing:option:completionsKeptIn:)``. `resumable`: a run store keeps
    /// the completions, so no cause is told to write elsewhere or choose another path (a review: a file-size limit said
    /// "raise the limit or write elsewhere (--out)" and then "another --out would generate them anew").
    private static func cause(
        _ error: Error, creating folder: URL?, writing file: URL?, option: String, resumable: Bool
    ) -> String {
        if let place = folder ?? file?.deletingLastPathComponent(), let link = SystemErrorCode.brokenLinkAmongAncestors(of: place) {
            return "\(link.path) is a symbolic link that leads nowhere (a loop of links, or a missing target); fix or remove "
                + "the link" + (resumable ? "" : ", or choose another path (\(option))")
        }
        var code = posixCode(error)
        if code == nil, let folder, fileAmongAncestors(of: folder) { code = ENOTDIR }
        if code == nil || code == ENOENT, let parent = file?.deletingLastPathComponent() {
            if fileAmongAncestors(of: parent) {
                code = ENOTDIR
            } else if !FileManager.default.fileExists(atPath: parent.path) {
                return "its folder \(parent.path) does not exist; create it" + (resumable ? "" : " or choose another path (\(option))")
            }
        }
        switch code {
        case EACCES, EPERM:
            return resumable
                ? "permission denied; change the permissions of the folder"
                : "permission denied; choose a folder you may write to (\(option)) or change its permissions"
        case ENOSPC, EDQUOT:
            return SystemErrorCode.noSpaceWords((file?.deletingLastPathComponent() ?? folder)?.path)
                + (resumable ? "; free some space" : "; free some space or write elsewhere (\(option)), then run the command again")
        case EROFS:
            return "the file system is read-only; " + (resumable ? "make it writable again" : "write elsewhere (\(option))")
        case EEXIST:
            return "a file of that name is in the way where a folder is needed; "
                + (resumable ? "move the file" : "choose another path (\(option)) or move the file")
        case ENOTDIR:
            return "a part of the path is a file, not a folder; "
                + (resumable ? "move that file" : "choose another path (\(option))")
        case EFBIG:
            return "the file would pass the file-size limit (`ulimit -f`, or the file system's); raise the limit"
                + (resumable ? "" : " or write elsewhere (\(option))")
        case ENOENT:
            // The folder exists (checked above), yet no file can be made in it: /proc, /sys and the like.
            return "no file can be created in that folder (a special file system such as /proc or /sys?)"
                + (resumable ? "" : "; choose another path (\(option))")
        default:
            return "the system refused the write (\((error as NSError).localizedDescription))"
                + (resumable ? "" : "; choose another path (\(option))")
        }
    }

    /// Whether an existing ancestor of `folder` (or `folder` itself) is something other than a folder.
    static func fileAmongAncestors(of folder: URL) -> Bool {
        SystemErrorCode.nonFolderAmongAncestors(of: folder) != nil
    }

    /// The POSIX error code behind a Foundation or POSIX error, when there is one (``SystemErrorCode/posix(_:)``).
    public static func posixCode(_ error: Error) -> Int32? {
        SystemErrorCode.posix(error)
    }
}
