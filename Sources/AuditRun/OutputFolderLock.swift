import AuditResults
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock(2)` on an output folder itself (no lock file is written into it), held while a command
/// writes into the folder (`run`, `merge`, `analyze`, `report`; a new folder is locked as soon as it is made).
/// A second command on the same folder stops with a message instead of, for `run`, generating every
/// completion again beside the first. The kernel releases the lock when the process ends, however it ends
/// (Ctrl-C, a crash, `kill -9`), so no stale lock is left behind.
public final class OutputFolderLock: @unchecked Sendable {
    /// Guards `descriptor` (released once, by `release()` or `deinit`).
    private let guardLock = NSLock()
    private var descriptor: Int32?
    /// The folders ``acquire(creating:option:)`` made, the output folder first, then each new ancestor up to the
    /// first that existed; empty where the folder was there already.
    private var createdFolders: [URL] = []

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the lock on `folder` (which must exist) without waiting.
    /// - Parameters:
    ///   - folder: the output folder.
    ///   - option: the command-line option that names the folder, for the message (`--out`).
    /// - Returns: the lock, held until ``release()`` or deinitialisation; nil where the folder cannot be opened
    ///   for reading (absent, or a folder one may write to but not read) or its file system does not lock
    ///   folders (some network file systems): the command then goes on unlocked, and the run store's own SQLite
    ///   locking still keeps the completions whole.
    /// - Throws: ``AuditError/io(path:reason:)`` (exit 74) when another process holds the lock.
    public static func acquire(_ folder: URL, option: String) throws -> OutputFolderLock? {
        try lock(folder, operation: LOCK_EX) {
            "another biasaudit command is using this folder; wait for it to finish, then run this command again, "
                + "or give another folder with \(option)"
        }
    }

    /// Takes a shared lock on a folder a command reads (the shard folders `merge` reads) without waiting:
    /// readers share it, while a command writing there (``acquire(_:option:)``) keeps them out and is kept out
    /// by them, so `merge` never reads a shard that a `run --shard` is still generating.
    /// - Returns: nil where the folder cannot be locked, as ``acquire(_:option:)``.
    /// - Throws: ``AuditError/io(path:reason:)`` (exit 74) when another process writes there.
    public static func acquireForReading(_ folder: URL) throws -> OutputFolderLock? {
        try lock(folder, operation: LOCK_SH) {
            "another biasaudit command is writing to this folder (a `run --shard` still generating it?); wait for "
                + "it to finish, then merge again"
        }
    }

    /// `flock(2)` with `operation` (and LOCK_NB) on the folder; `busy` is the reason when another process holds
    /// a conflicting lock.
    private static func lock(_ folder: URL, operation: Int32, busy: () -> String) throws -> OutputFolderLock? {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        while flock(descriptor, operation | LOCK_NB) != 0 {
            let failure = errno
            if failure == EINTR { continue }
            close(descriptor)
            guard failure == EWOULDBLOCK else { return nil }
            throw AuditError.io(path: folder.path, reason: busy())
        }
        return OutputFolderLock(descriptor: descriptor)
    }

    /// Creates `folder` if needed and takes its lock, as ``acquire(_:option:)``; nil also where the folder
    /// cannot be created (the writer that follows reports why, as it did without the lock; the folders made before the
    /// failure are removed). Where the folder is made but cannot be locked (nil), nothing removes it after a failed
    /// write: such file systems are rare, and the command says why it failed.
    public static func acquire(creating folder: URL, option: String) throws -> OutputFolderLock? {
        guard let made = try? NewFolders.create(folder) else { return nil }
        let lock = try acquire(folder, option: option)
        lock?.createdFolders = made
        return lock
    }

    /// Removes the folders ``acquire(creating:option:)`` made while they are empty (`rmdir(2)`, which removes nothing
    /// else): a command that failed to write its files (a full disk) leaves no empty output folder behind (a hostile
    /// review: `analyze` and `report` did). A folder that holds anything, or was there before, stays.
    public func removeNewFoldersIfEmpty() {
        NewFolders.removeIfEmpty(createdFolders)
        createdFolders = []
    }

    /// Runs `body` (a command's writing of its files), and when it throws removes the folders `lock` made while they are
    /// empty (``removeNewFoldersIfEmpty()``) before the error goes on.
    public static func removingNewFoldersOnFailure<T>(_ lock: OutputFolderLock?, _ body: () throws -> T) rethrows -> T {
        do {
            return try body()
        } catch {
            lock?.removeNewFoldersIfEmpty()
            throw error
        }
    }

    /// Releases the lock (once; later calls do nothing).
    public func release() {
        guardLock.lock()
        defer { guardLock.unlock() }
        guard let descriptor else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        self.descriptor = nil
    }

    deinit {
        release()
    }
}

/// Output folders made with their missing ancestors, and removed again while empty when nothing could be written in them:
/// a command that fails (a full disk, no inode left, a name too long) leaves no empty folders behind (reviews).
public enum NewFolders {
    /// Creates `folder` with its missing ancestors (`FileManager.createDirectory`, `withIntermediateDirectories`).
    /// - Returns: the folders made, `folder` first, then each new ancestor up to the first that existed; empty when it
    ///   existed.
    /// - Throws: the creation's error, after removing the ancestors it made before failing (while empty).
    public static func create(_ folder: URL) throws -> [URL] {
        var missing: [URL] = []
        var ancestor = folder.standardizedFileURL
        while !FileManager.default.fileExists(atPath: ancestor.path), ancestor.path != "/" {
            missing.append(ancestor)
            ancestor = ancestor.deletingLastPathComponent()
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            removeIfEmpty(missing)
            throw error
        }
        return missing
    }

    /// `rmdir(2)` on each of `folders` in order (a folder before its parent), passing over one that is not there (the
    /// folder whose creation failed, for a name too long or no inode: a review found its new parents left) and stopping
    /// at the first that cannot go (it holds something).
    public static func removeIfEmpty(_ folders: [URL]) {
        for folder in folders where rmdir(folder.path) != 0 && FileManager.default.fileExists(atPath: folder.path) { break }
    }
}
