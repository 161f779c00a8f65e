import AuditAnalysis
import AuditResults
import Foundation
import GRDB
import InputFiles
import PromptSets

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension RunStore {
    /// A stored value that is not what biasaudit wrote (the store was edited by another program).
    struct WrongValue: Error {
        var table: String
        var column: String
        var found: String
    }

    /// Reads a column, throwing ``WrongValue`` instead of trapping on a value of the wrong type or `NULL`.
    /// An integer column holds an integer: GRDB reads a REAL as its whole part (a hostile review: a `sample_index` of
    /// 0.5 was read as 0, and the resumed run wrote two texts as sample 0 with exit 0).
    static func value<T: DatabaseValueConvertible>(_ row: Row, _ column: String, table: String) throws -> T {
        let stored: DatabaseValue = row.hasColumn(column) ? row[column] : .null
        if T.self is any BinaryInteger.Type {
            guard case .int64 = stored.storage else { throw WrongValue(table: table, column: column, found: describe(stored)) }
        }
        guard let value = T.fromDatabaseValue(stored) else {
            throw WrongValue(table: table, column: column, found: describe(stored))
        }
        return value
    }

    /// Runs a database operation, turning GRDB's errors into ``AuditError``s that say what to do, and
    /// never advise deleting a store that holds a resumable run.
    /// - Parameter action: what was being done, for the message ("store completions").
    func guarded<T>(_ action: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WrongValue where isInput {
            throw AuditError.badInput(
                path: url.path,
                reason: "cannot \(action): column \(error.column) of table \(error.table) holds \(error.found), which "
                    + "biasaudit never writes; the run store was changed by another program. Run that shard's "
                    + "`run --shard I/N` command again into a new --out folder, then merge")
        } catch let error as WrongValue {
            throw AuditError.badInput(
                path: url.path,
                reason: "cannot \(action): column \(error.column) of table \(error.table) holds \(error.found), which "
                    + "biasaudit never writes; the run store was changed by another program. Move it away (or choose "
                    + "another --out) and run again; the run starts over")
        } catch let error as DatabaseError {
            guard !isInput else { throw Self.inputFailure(error, url: url, action: action) }
            throw Self.failure(
                error, url: url, action: action, systemErrno: Self.systemErrno(of: database),
                holdsCompletions: mayHoldResults.isSet)
        }
    }

    /// The `errno` of the last system call that failed inside SQLite on the store's writer connection
    /// (`sqlite3_system_errno`; SQLite records it with each `SQLITE_IOERR` and `SQLITE_CANTOPEN`), 0 when
    /// none failed.
    static func systemErrno(of database: any DatabaseWriter) -> Int32 {
        database.writeWithoutTransaction { db in sqlite3_system_errno(db.sqliteConnection) }
    }

    /// Free bytes below which an I/O error of SQLite is taken for a full disk when its `errno` is unknown:
    /// less than SQLite grows its files by (a 32 KiB shared-memory region, write-ahead-log pages).
    static let nearlyFullBytes: UInt64 = 64 * 1024

    /// Whether an SQLite error means the disk holding `folder` is full: `SQLITE_FULL`; or `SQLITE_IOERR`
    /// (SQLite reports a failed fsync, truncate or shared-memory growth so) whose `errno` is `ENOSPC` or
    /// `EDQUOT`, or, when the `errno` is unknown (the connection could not be opened), while the file system
    /// has less than ``nearlyFullBytes`` free for this user (`statvfs`).
    static func isDiskFull(_ error: DatabaseError, systemErrno: Int32?, folder: String) -> Bool {
        switch error.resultCode.primaryResultCode {
        case .SQLITE_FULL:
            return true
        case .SQLITE_IOERR, .SQLITE_CANTOPEN:
            if let code = systemErrno, code != 0 { return code == ENOSPC || code == EDQUOT }
            var status = statvfs()
            // A pseudo file system (proc, sysfs, …) has no blocks at all, hence none free: not a full disk
            // (hostile review: `run --out /proc/self/fd` was told to free space).
            guard statvfs(folder, &status) == 0, status.f_blocks > 0 else { return false }
            return UInt64(status.f_bavail) * UInt64(status.f_frsize) < nearlyFullBytes
                // No inode left: SQLite's open of its journal failed with ENOSPC (a hostile review: "permission denied").
                || SystemErrorCode.hasNoFreeInodes(folder)
        default:
            return false
        }
    }

    /// Whether `folder` is on a pseudo file system (`/proc`, `/sys` and the like), whose `statvfs` counts no blocks
    /// at all: no run store can be made there, whatever SQLite's error says.
    static func isPseudoFileSystem(_ folder: String) -> Bool {
        var status = statvfs()
        return statvfs(folder, &status) == 0 && status.f_blocks == 0
    }

    /// The ``AuditError`` for an SQLite error on a `merge` input, opened read-only: advice on merging (a
    /// shard is never moved away, repaired or made writable: merge only reads it).
    /// - Parameters:
    ///   - action: what was being done ("read the stored completions").
    ///   - hasLog: a write-ahead log is beside the store (reading it needs the folder writable or `-shm` present).
    static func inputFailure(_ error: DatabaseError, url: URL, action: String = "open the run store", hasLog: Bool = false) -> AuditError {
        let detail = error.message.map { TextEscaping.line($0) } ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .badInput(path: url.path, reason: "is not a run store: the file is not an intact SQLite database "
                + "(\(detail)); give the --out folders of `run --shard I/N` runs, or run that shard again into a new --out folder")
        case .SQLITE_ERROR, .SQLITE_SCHEMA, .SQLITE_MISMATCH, .SQLITE_CONSTRAINT:
            return .badInput(path: url.path, reason: "cannot \(action): the run store's tables are not the ones biasaudit "
                + "wrote (\(detail)); run that shard's `run --shard I/N` command again into a new --out folder, then merge")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            guard !hasLog else {
                return .io(path: url.path, reason: "cannot \(action) (\(detail)): a write-ahead log (\(url.lastPathComponent)-wal) "
                + "is beside it, so a run is still writing it or was interrupted; let that run end (or run its command again "
                + "to finish it), or copy the folder to where you may write, then merge")
            }
            return .io(path: url.path, reason: "cannot \(action): permission denied (\(detail)); merge only reads the "
                + "shards: make the file and its folder readable by this user")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .io(path: url.path, reason: "cannot \(action): another process holds the run store (\(detail)); "
                + "wait for the shard's run to end, then merge")
        default:
            return .io(path: url.path, reason: "cannot \(action) (\(detail)); check the disk holding it, then merge again")
        }
    }

    /// What to do with a damaged run store in `folder`: a new folder, since moving the store alone leaves a folder of
    /// results without one, which `run` refuses as well (a hostile review: the advice led to a second refusal); and the
    /// folder's completions.jsonl, where there is one, can still be analysed.
    static func startOver(_ folder: String) -> String {
        let completions = URL(fileURLWithPath: folder).appendingPathComponent("completions.jsonl").path
        return "run again with another --out (or move the whole folder away); the run starts over"
            + (FileManager.default.fileExists(atPath: completions)
                ? ". The folder's completions.jsonl is still read by `biasaudit analyze \(TextEscaping.path(folder))`, "
                    + "which recomputes the results from it without generating" : "")
    }

    /// The ``AuditError`` for an SQLite error (exit 74 for the disk and permissions, 65 for a damaged store).
    /// A full disk (see ``isDiskFull(_:systemErrno:folder:)``) gets one message whichever code SQLite used.
    /// - Parameters:
    ///   - action: what was being done, for the message ("store completions").
    ///   - systemErrno: the `errno` behind the error (``systemErrno(of:)``), nil when unknown.
    ///   - holdsCompletions: whether the store may hold completions (false: created by this command and
    ///     nothing committed yet, so the message does not say any are kept).
    public static func failure(
        _ error: DatabaseError, url: URL, action: String, systemErrno: Int32? = nil, holdsCompletions: Bool = true
    ) -> AuditError {
        let folder = url.deletingLastPathComponent().path
        let detail = error.message.map { TextEscaping.line($0) } ?? "SQLite error \(error.resultCode.rawValue)"
        if isDiskFull(error, systemErrno: systemErrno, folder: folder) {
            let full = "the disk is full" + (SystemErrorCode.hasNoFreeInodes(folder) ? " (it has no free inodes: `df -i`)" : "")
            guard holdsCompletions else {
                return .io(path: url.path, reason: "cannot \(action): \(full), and the run store holds no "
                    + "completions yet; free space on the disk holding \(folder) (or choose another --out), then run "
                    + "the same command again")
            }
            return .io(path: url.path, reason: "cannot \(action): \(full). The completions stored so far are "
                + "kept: free space on the disk holding \(folder), then run the same command again and the run "
                + "resumes where it stopped")
        }
        let cannotWrite: [ResultCode] = [.SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH, .SQLITE_IOERR]
        if cannotWrite.contains(error.resultCode.primaryResultCode), isPseudoFileSystem(folder) {
            // The words `--out /proc/self/foo` gets when its folder cannot be made (`FileWriteFailure`).
            return .io(path: url.path, reason: "cannot \(action): no file can be created in that folder (a special file "
                + "system such as /proc or /sys?); choose another path (--out)")
        }
        if cannotWrite.contains(error.resultCode.primaryResultCode), SystemErrorCode.isOnReadOnlyFileSystem(folder) {
            // The words `report` and `analyze` get there (`FileWriteFailure`), not a chmod that cannot help.
            return .io(path: url.path, reason: "cannot \(action): the file system holding \(folder) is read-only; make it "
                + "writable again, or choose another --out" + (holdsCompletions ? "; the completions stored so far are kept" : ""))
        }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .io(path: url.path, reason: "cannot \(action): permission denied or read-only (\(detail)); make "
                + "the run store and its folder writable (chmod u+w), or choose another --out"
                + (holdsCompletions ? "; the completions stored so far are kept" : ""))
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .badInput(path: url.path, reason: "cannot \(action): the file is not an intact run store "
                + "(\(detail)); " + startOver(folder))
        case .SQLITE_ERROR, .SQLITE_SCHEMA, .SQLITE_MISMATCH, .SQLITE_CONSTRAINT:
            return .badInput(path: url.path, reason: "cannot \(action): the run store's tables are not the ones "
                + "biasaudit wrote (\(detail)); it was changed by another program. " + startOver(folder))
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .io(path: url.path, reason: "cannot \(action): another process holds the run store (\(detail)); "
                + "wait for the other biasaudit run in \(folder) to end, then run again")
        default:
            // SQLite says "disk I/O error" for a write past the file-size limit (`ulimit -f`) too, and keeps no errno
            // for it on every path: a finite limit is named as a likely cause.
            if let limit = SystemErrorCode.fileSizeLimit() {
                let size = ByteCountFormatter.string(fromByteCount: Int64(clamping: limit), countStyle: .file)
                return .io(path: url.path, reason: "cannot \(action) (\(detail)); this process may write files of at "
                    + "most \(size) (`ulimit -f`): raise the limit, or check the disk holding \(folder), then run the "
                    + "same command again" + (holdsCompletions ? " to resume (the completions stored so far are kept)" : ""))
            }
            return .io(path: url.path, reason: "cannot \(action) (\(detail)); check the disk holding \(folder), then "
                + "run the same command again to resume")
        }
    }

    private static func describe(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let number): "the integer \(number)"
        case .double(let number): "the number \(number)"
        case .string(let text): "the text '\(TextEscaping.excerpt(text, limit: 30))'"
        case .blob(let data): "a blob of \(data.count) bytes"
        }
    }
}

extension RunStore {
    /// A completion's token count: the `token_count` column when it holds one; else (a row stored before the
    /// column existed, or a store without it) the number of its token ids when it has any, and nil (unknown)
    /// when it has none: such a row may be a served model's, whose count was never known.
    static func tokenCount(_ row: Row, tokenIDs: [Int]) throws -> Int? {
        if row.hasColumn("token_count"), !(row["token_count"] as DatabaseValue).isNull {
            let count: Int = try value(row, "token_count", table: "completion")
            // At most 2^53, as a completions file's (a hostile review: a larger count was copied into completions.jsonl,
            // which `analyze` then refused).
            guard count >= 0, count <= AuditResult.maximumCount else {
                throw WrongValue(table: "completion", column: "token_count", found: "the integer \(count)")
            }
            // An in-process completion's count is its ids' (a review: an edited count was read beside 8 ids); a served
            // model's row has no ids, and its count is the server's.
            guard tokenIDs.isEmpty || count == tokenIDs.count else {
                throw WrongValue(table: "completion", column: "token_count",
                                 found: "the integer \(count) beside \(tokenIDs.count) token ids")
            }
            return count
        }
        return tokenIDs.isEmpty ? nil : tokenIDs.count
    }

    /// A completion's token ids, stored as decimal numbers separated by spaces (empty for a served model's); anything
    /// else is refused (a hostile review: 'not json' was read as no ids, and the resume went on).
    static func tokenIDs(_ row: Row) throws -> [Int] {
        let ids: String = try value(row, "token_ids", table: "completion")
        var tokenIDs: [Int] = []
        for piece in ids.split(separator: " ", omittingEmptySubsequences: true) {
            guard piece.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let id = Int(piece) else {
                throw WrongValue(table: "completion", column: "token_ids",
                                 found: "the text '\(TextEscaping.excerpt(ids, limit: 30))'")
            }
            tokenIDs.append(id)
        }
        return tokenIDs
    }

    /// A next-token probability (`male_probability`, `female_probability`), refused unless finite and within 0…1 (up
    /// to a float sum's rounding): a store edited to 5.0 made a prompt's log-odds 9.64 in a merge (practitioner's
    /// review).
    static func probability(_ row: Row, _ column: String) throws -> Double {
        let probability: Double = try value(row, column, table: "next_token")
        guard probability.isFinite, probability >= 0, probability <= 1 + 1e-6 else {
            throw WrongValue(table: "next_token", column: column, found: "the number \(probability)")
        }
        return probability
    }

    /// A completion's text, refused beyond ``PromptSets/PromptSetLimits/maximumCompletionLength`` characters as
    /// `analyze` refuses it: `merge` and a resumed run copied a 150,000-character text into a completions.jsonl that
    /// `analyze` then refused (hostile tester).
    ///
    /// Bytes that are not UTF-8 text are refused too (read through `text_bytes`, the column cast to a blob, where the
    /// query selects it): SQLite hands them over as they are and they reached completions.jsonl as U+FFFD (a hostile
    /// review).
    static func text(_ row: Row) throws -> String {
        let text: String = try value(row, "text", table: "completion")
        if row.hasColumn("text_bytes"), let bytes = row["text_bytes"] as Data?,
            let fault = TextBytes.firstFault(in: bytes, nul: false)
        {
            throw WrongValue(
                table: "completion", column: "text",
                found: "a text that is not UTF-8 (byte \(fault.hexByte) at byte \(fault.offset + 1) of \(bytes.count))")
        }
        // A NUL inside a TEXT value: read as a C string, the text ends there, and the rest was lost without a word (a
        // hostile review: `A\0ESC[2j` became "A" on resume and in a merged store). biasaudit stores such a text as a BLOB
        // (``RunStore/storedText(_:)``), which reads back whole, so a shorter reading is a store edited elsewhere.
        if row.hasColumn("text_bytes"), let bytes = row["text_bytes"] as Data?, bytes.count != text.utf8.count {
            throw WrongValue(
                table: "completion", column: "text",
                found: bytes.firstIndex(of: 0).map {
                    "a text with a NUL byte stored as TEXT (at byte \($0 - bytes.startIndex + 1) of \(bytes.count); biasaudit "
                        + "stores such a text as a BLOB)"
                } ?? "a text whose \(bytes.count) bytes read back as \(text.utf8.count)")
        }
        guard PromptSetLimits.completionLengthProblem(text) == nil else {
            throw WrongValue(
                table: "completion", column: "text",
                found: "a text of \(text.unicodeScalars.count) characters (more than the limit of "
                    + "\(PromptSetLimits.maximumCompletionLength))")
        }
        return text
    }

    /// A completion's stop reason, refused unless an identifier as biasaudit writes them (at most 30 ASCII letters,
    /// digits, `_` and `-`; `RemoteModel.stopReason(_:)`): a store edited to hold an ESC sequence there had it copied
    /// into completions.jsonl (a hostile review).
    static func stopReason(_ row: Row) throws -> String {
        let reason: String = try value(row, "stop_reason", table: "completion")
        let identifier = !reason.isEmpty && reason.unicodeScalars.count <= CompletionRecord.maximumStopReasonLength
            && reason.unicodeScalars.allSatisfy(CompletionRecord.isStopReasonCharacter)
        guard identifier else {
            throw WrongValue(table: "completion", column: "stop_reason", found: "the text '\(TextEscaping.excerpt(reason))'")
        }
        return reason
    }

    /// A completion's sample index, refused when negative (biasaudit numbers samples from 0) or not an integer.
    static func sampleIndex(_ row: Row) throws -> Int {
        let index: Int = try value(row, "sample_index", table: "completion")
        guard index >= 0 else { throw WrongValue(table: "completion", column: "sample_index", found: "the integer \(index)") }
        return index
    }
}
