import AuditResults
import Foundation
import GRDB
import PromptSets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The checks `run` (and `merge`'s output) makes on an existing file before opening it as its run store for
/// writing: opening a store as a pool sets WAL mode and migrating adds biasaudit's tables, so a file that is
/// not a run store, or is one of a newer schema, is refused before either happens.
extension RunStore {
    /// Refuses a run-store path that exists but is not a regular file (followed through symbolic links),
    /// before SQLite opens it: a directory, a FIFO, a device, a socket, or a symbolic link that loops; and a regular
    /// file reached through a symbolic link or with another hard link, which writing would change elsewhere too. The
    /// path is inspected with `lstat`/`stat` only, never opened, so a FIFO cannot block.
    /// An absent path (a new store) and one that cannot be inspected (a folder that may not be searched) pass:
    /// SQLite's own error names those when it opens the file.
    /// - Returns: whether a regular file is at `url` (an existing store, or another file, to check further).
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65).
    static func checkPathBeforeOpening(_ url: URL) throws -> Bool {
        // A new folder, not the file moved away: a folder of results without its store is refused too (a review).
        let advice = "the run keeps its store in the file \(url.lastPathComponent) there; "
            + startOver(url.deletingLastPathComponent().path)
        var link = stat()
        let isLink = lstat(url.path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            if errno == ELOOP {
                throw AuditError.badInput(
                    path: url.path,
                    reason: "is a symbolic link that loops (too many levels of symbolic links), so not a run store; \(advice)")
            }
            // A dangling link: opening it would create a database wherever it points.
            if isLink {
                throw AuditError.badInput(
                    path: url.path, reason: "is a symbolic link to a file that does not exist, so not a run store; \(advice)")
            }
            // A new store's log and shared memory are not to be links either (a second review: `merge --out` beside a
            // run.sqlite-shm linked to a shard's opened, then failed as "read-only").
            try checkSiblingLinks(of: url)
            return false
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            let kind = describe(fileType: type)
            throw AuditError.badInput(
                path: url.path,
                reason: (isLink ? "is a symbolic link to \(kind)" : "is \(kind)") + ", not a regular file, so not a run store; "
                    + advice)
        }
        // A link to a file that is another's too (a hostile review: `merge --out` whose run.sqlite linked to a shard's
        // store rewrote that store, which merge never changes, and a run wrote through one without its folder's lock).
        // So are SQLite's write-ahead log and shared-memory files beside it, which a resumed run writes as well (a code
        // review: after the main file alone was copied, the linked run.sqlite-shm of the other folder changed).
        if isLink || status.st_nlink > 1 {
            throw AuditError.badInput(path: url.path, reason: linkedStoreReason(url, isSymbolic: isLink, store: url))
        }
        try checkSiblingLinks(of: url)
        return true
    }

    /// Refuses a `-wal` or `-shm` file beside the store at `url` that is a symbolic link or has another hard link: SQLite
    /// writes both (a link to nothing, it would create a file where the link leads).
    private static func checkSiblingLinks(of url: URL) throws {
        for suffix in ["-wal", "-shm"] {
            let file = URL(fileURLWithPath: url.path + suffix)
            var own = stat()
            let isSymbolic = lstat(file.path, &own) == 0 && own.st_mode & S_IFMT == S_IFLNK
            var reached = stat()
            let exists = stat(file.path, &reached) == 0
            if isSymbolic, !exists {
                // Nothing to copy: the link goes (a second review: the printed commands copied the store alone, and the
                // same refusal followed).
                throw AuditError.badInput(
                    path: file.path, reason: "is a symbolic link to a file that does not exist; SQLite would create its "
                        + "\(suffix.dropFirst()) file where it leads: remove the link ("
                        + shellCommand("rm", file.path) + ") and run again")
            }
            guard isSymbolic || (exists && reached.st_nlink > 1) else { continue }
            throw AuditError.badInput(path: file.path, reason: linkedStoreReason(file, isSymbolic: isSymbolic, store: url))
        }
    }

    /// Why a store file reached through a link is refused, where the link leads or how to list the other names, and the
    /// commands that give the folder a copy of its own of the store and of its `-wal` and `-shm` files (a hostile review:
    /// a folder snapshotted with `cp -al` could not be resumed, and the message did not say where the other name was).
    private static func linkedStoreReason(_ file: URL, isSymbolic: Bool, store: URL) -> String {
        // The files a symbolic link's store keeps beside where it leads, and a hard link's beside itself.
        let source = store.resolvingSymlinksInPath().path
        let copies = ["", "-wal", "-shm"].filter { FileManager.default.fileExists(atPath: source + $0) }.map { suffix in
            shellCommand("cp", source + suffix, store.path + suffix + ".copy") + " && "
                + shellCommand("mv", store.path + suffix + ".copy", store.path + suffix)
        }
        let target = isSymbolic
            ? (try? FileManager.default.destinationOfSymbolicLink(atPath: file.path)).map { " (\(TextEscaping.path($0)))" } ?? ""
            : ""
        return (isSymbolic ? "is a symbolic link to another file\(target)"
            : "has another hard link (a second name of the same file, as `cp -al` and `ln` make; `find / -samefile "
                + "\(shellCommand(file.path)) 2>/dev/null` lists them)")
            + "; a run writes its store in place, so through the link it would change that file too (and the other "
            + "folder's lock would not cover it): give an --out folder without such a link (a new folder; a store is "
            + "copied with cp, never linked); or, if the store is this folder's own run (a folder copied with `cp -al`, "
            + "say) and no run uses the other name now, give the folder a copy of its own: "
            + copies.joined(separator: " && ")
    }

    /// A command line to paste into a shell, its words quoted as needed, shown as messages show paths.
    private static func shellCommand(_ words: String...) -> String { TextEscaping.path(ShellQuoting.commandLine(words)) }

    private static func describe(fileType type: mode_t) -> String {
        switch type {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    /// Refuses an existing database that `run` must not write into: another program's database (tables, but
    /// not biasaudit's migrations), or a run store of a newer schema (a migration this version does not know).
    /// An empty database (no tables, e.g. a zero-byte file or one left by a creation that failed) and a run
    /// store of this or an older schema pass (the latter is migrated, as before). Reads only, with a
    /// connection of its own that is closed before the store is opened for writing.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65); a `DatabaseError` when the file cannot be read.
    static func checkExistingSchema(at url: URL, configuration: Configuration) throws {
        let queue = try DatabaseQueue(path: url.path, configuration: configuration)
        defer { try? queue.close() }
        try queue.read { db in try checkWritableSchema(db, url: url) }
    }

    private static func checkWritableSchema(_ db: Database, url: URL) throws {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name")
        let known = migrator.migrations
        let applied = tables.contains("grdb_migrations")
            ? try DatabaseValue.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").map {
                String.fromDatabaseValue($0) ?? "(a value biasaudit never writes)"
            }
            : []
        // Nothing but possibly GRDB's empty bookkeeping table: a new store (or one whose creation was cut short).
        if applied.isEmpty, tables.allSatisfy({ $0 == "grdb_migrations" }) { return }
        let advice = startOver(url.deletingLastPathComponent().path)
        // biasaudit's first migration is "v1", a name other GRDB programs use too: its tables must be there.
        let ours = ["fingerprint", "completion", "next_token"]
        let missing = ours.filter { !tables.contains($0) }
        if applied.contains("v1"), !missing.isEmpty, missing.count < ours.count {
            throw AuditError.badInput(
                path: url.path,
                reason: "is a damaged run store (its table \(missing[0]) is missing): it was edited or damaged, so its "
                    + "completions cannot be resumed; \(advice)")
        }
        guard applied.contains("v1"), missing.isEmpty else {
            let other = tables.first { $0 != "grdb_migrations" && !ours.contains($0) }
                ?? tables.first { $0 != "grdb_migrations" } ?? tables[0]
            throw AuditError.badInput(
                path: url.path,
                reason: "is not a biasaudit run store: it is another program's database (it holds '\(TextEscaping.excerpt(other, limit: 40))'), "
                    + "and biasaudit does not write into it; \(advice)")
        }
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw AuditError.badInput(
                path: url.path,
                reason: "was made by a newer biasaudit: its run-store schema version '\(TextEscaping.excerpt(unknown, limit: 40))' "
                    + "is unknown to this one (known: \(known.joined(separator: ", "))); upgrade biasaudit to resume it, "
                    + "or choose another --out to start a new run")
        }
        // A store damaged on disk can read as whole: SQLite's integrity check reads every page and index (a hostile
        // review: flipped bytes left a completion outside its index, and the resumed run wrote an audit one completion
        // short, exit 0). It reads the whole file once, at the speed of a sequential read.
        let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check(1)")
        if problems != ["ok"] {
            throw AuditError.badInput(
                path: url.path,
                reason: "is a damaged run store (SQLite's integrity check: '\(TextEscaping.excerpt(problems.first ?? "", limit: 80))'), "
                    + "so its completions cannot be trusted; \(advice)")
        }
    }

    /// Refuses a store that holds results (completions or next-token records) but no fingerprint: biasaudit
    /// writes the fingerprint before any result, so the store was edited or damaged, and whether its results
    /// belong to this run cannot be checked. Called with the fingerprint table empty.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65).
    func checkResultsHaveAFingerprint(_ db: Database) throws {
        let holds = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM completion) OR EXISTS (SELECT 1 FROM next_token)") ?? false
        guard holds else { return }
        throw AuditError.badInput(
            path: url.path,
            reason: "holds completions but no fingerprint (the record of the run that made them), so whether they belong "
                + "to this run cannot be checked: the run store was edited or damaged; "
                + Self.startOver(url.deletingLastPathComponent().path))
    }
}
