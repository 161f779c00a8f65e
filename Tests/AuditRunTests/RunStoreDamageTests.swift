import AuditResults
@testable import AuditRun
import Foundation
import GRDB
import TestSupport
import XCTest

/// A run store changed by another program (wrong types, a dropped table, a negative sample index) or on a
/// read-only disk: typed errors with the fix, never a trap, and never the advice to delete a resumable run.
final class RunStoreDamageTests: XCTestCase {
    private var directory: URL!
    private var url: URL { directory.appendingPathComponent("run.sqlite") }
    private let fingerprint = ["models": "a=1111"]

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("run-store-damage")
        let store = try RunStore(url: url, fingerprint: fingerprint)
        try store.insert([RunStore.StoredCompletion(
            model: "a", promptID: "p", sampleIndex: 0, tokenIDs: [1], text: "t", stopReason: "max_new_tokens")])
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { try $0.execute(sql: sql) }
    }

    private func assertBadInput(_ body: () throws -> Void, mentions words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let error = error as? AuditError, case .badInput(let path, let reason) = error else {
                return XCTFail("expected AuditError.badInput, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
            XCTAssertEqual(path, url.path, file: file, line: line)
            for word in words { XCTAssertTrue(reason.contains(word), "\(reason) lacks \(word)", file: file, line: line) }
            XCTAssertFalse(reason.contains("delete"), reason, file: file, line: line)
        }
    }

    func testTextWhereAnIntegerBelongsIsATypedError() throws {
        try tamper("UPDATE completion SET sample_index = 'zero'")
        let store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["sample_index", "the text 'zero'", "Move it away"])
        assertBadInput({ _ = try store.completedSamples(model: "a") }, mentions: ["sample_index"])
    }

    /// A hostile review: a TEXT value holding a NUL was read up to it (`A\0ESC[2j` became "A") on resume and in a merge,
    /// the rest lost without a word. biasaudit stores such a text as a BLOB, which reads back whole.
    func testATextWithANULStoredAsTextIsATypedError() throws {
        try tamper("UPDATE completion SET text = CAST(x'41001b5b326a' AS TEXT)")
        var store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() },
                       mentions: ["column text", "a text with a NUL byte stored as TEXT (at byte 2 of 6"])
        try tamper("UPDATE completion SET text = x'41001b5b326a'")
        store = try RunStore(url: url, fingerprint: fingerprint)
        XCTAssertEqual(try store.allCompletions().map(\.text), ["A\u{0}\u{1B}[2j"], "as biasaudit stores it: a BLOB, whole")
    }

    func testABlobWhereTextBelongsIsATypedError() throws {
        try tamper("UPDATE completion SET text = x'00ff'")
        let store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["column text", "a blob of 2 bytes"])
    }

    /// A hostile review: bytes that are not UTF-8 in a TEXT column reached completions.jsonl as U+FFFD, and token ids
    /// that are not numbers were read as none; both are the typed "changed by another program" error.
    func testTextThatIsNotUTF8AndTokenIDsThatAreNotNumbersAreTypedErrors() throws {
        try tamper("UPDATE completion SET text = CAST(x'41ff42' AS TEXT)")
        var store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["column text", "not UTF-8 (byte 0xFF at byte 2 of 3)"])
        try tamper("UPDATE completion SET text = 'A\u{e9}B', token_ids = 'not json'")
        store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["token_ids", "the text 'not json'"])
        try tamper("UPDATE completion SET token_ids = '12 7', token_count = 2")
        store = try RunStore(url: url, fingerprint: fingerprint)
        XCTAssertEqual(try store.allCompletions().map(\.tokenIDs), [[12, 7]])
        XCTAssertEqual(try store.allCompletions().map(\.text), ["A\u{e9}B"], "UTF-8 text is read as it is")
    }

    func testANegativeSampleIndexNeverReachesTheCompletions() throws {
        try tamper("UPDATE completion SET sample_index = -1")
        let store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["sample_index", "the integer -1"])
    }

    func testADroppedTableIsExit65WithTheFix() throws {
        try tamper("DROP TABLE completion")
        // Refused when opened (it was refused at the first read before), and not taken for another program's.
        assertBadInput({ _ = try RunStore(url: self.url, fingerprint: self.fingerprint) },
                       mentions: ["damaged run store", "table completion is missing", "run again with another --out (or move the whole folder away)"])
    }

    func testDiskFullIsAnIOErrorThatSaysTheRunResumes() {
        let error = RunStore.failure(DatabaseError(resultCode: .SQLITE_FULL), url: url, action: "store completions")
        XCTAssertEqual(error.exitCode, 74)
        XCTAssertTrue(error.description.contains("the disk is full"), error.description)
        XCTAssertTrue(error.description.contains("the run resumes"), error.description)
        XCTAssertFalse(error.description.contains("SQLite error 13"), error.description)
        // A store being created holds nothing yet: the message does not say completions are kept.
        let new = RunStore.failure(
            DatabaseError(resultCode: .SQLITE_FULL), url: url, action: "open the run store", holdsCompletions: false)
        XCTAssertEqual(new.exitCode, 74)
        XCTAssertEqual(
            new.description,
            "\(url.path): error: cannot open the run store: the disk is full, and the run store holds no completions yet; "
                + "free space on the disk holding \(directory.path) (or choose another --out), then run the same command again")
        let readOnly = RunStore.failure(
            DatabaseError(resultCode: .SQLITE_READONLY), url: url, action: "open the run store", holdsCompletions: false)
        XCTAssertFalse(readOnly.description.contains("stored so far are kept"), readOnly.description)
    }

    /// Review after issue 15: SQLite reports a full disk met while growing its shared memory, syncing or
    /// truncating as SQLITE_IOERR ("disk I/O error"); with errno ENOSPC or EDQUOT it gets the full-disk message.
    func testAnIOErrorWithENOSPCOrEDQUOTIsTheFullDiskMessage() {
        let full = "cannot store completions: the disk is full. The completions stored so far are kept: free space on "
            + "the disk holding \(directory.path), then run the same command again and the run resumes where it stopped"
        for code in [ENOSPC, EDQUOT] {
            for resultCode in [ResultCode.SQLITE_IOERR_SHMSIZE, .SQLITE_IOERR_FSYNC, .SQLITE_IOERR_WRITE] {
                let error = RunStore.failure(
                    DatabaseError(resultCode: resultCode, message: "disk I/O error"), url: url, action: "store completions",
                    systemErrno: code)
                XCTAssertEqual(error.exitCode, 74)
                XCTAssertEqual(error.description, "\(url.path): error: \(full)", "errno \(code), \(resultCode)")
            }
        }
        // Another errno, or none known on a disk with room: the I/O error as SQLite words it.
        for code: Int32? in [EIO, nil] {
            let error = RunStore.failure(
                DatabaseError(resultCode: .SQLITE_IOERR_WRITE, message: "disk I/O error"), url: url, action: "store completions",
                systemErrno: code)
            XCTAssertEqual(error.exitCode, 74)
            XCTAssertTrue(error.description.contains("(disk I/O error); check the disk holding"), error.description)
            XCTAssertFalse(error.description.contains("the disk is full"), error.description)
        }
    }

    /// Review: whether a store may hold results decides whether a failure's message says completions are
    /// kept. Opened, it is read from the tables; before opening (a failure to open), an absent file or one
    /// left at a single page by a creation that failed after setting WAL mode holds nothing.
    func testWhetherAStoreHoldsResultsIsKnownFromItsContents() throws {
        XCTAssertTrue(try RunStore(url: url, fingerprint: fingerprint).mayHoldResults.isSet, "setUp stored a completion")
        let fresh = try RunStore(url: directory.appendingPathComponent("new.sqlite"), fingerprint: fingerprint)
        XCTAssertFalse(fresh.mayHoldResults.isSet, "a new store")
        // A sweep's view shares the flag with its store.
        try fresh.scoped(toSetting: "temperature=1").insert([RunStore.StoredCompletion(
            model: "a", promptID: "p", sampleIndex: 0, tokenIDs: [1], text: "t", stopReason: "max_new_tokens")])
        XCTAssertTrue(fresh.mayHoldResults.isSet, "after a committed batch")

        XCTAssertFalse(RunStore.mayHoldResultsBeforeOpening(at: directory.appendingPathComponent("absent.sqlite")))
        let header = directory.appendingPathComponent("header.sqlite")
        do {
            let queue = try DatabaseQueue(path: header.path)
            try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode=WAL") }
        }
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: header.path)[.size] as? NSNumber).intValue
        XCTAssertLessThanOrEqual(size, 4096, "a header-only file")
        XCTAssertFalse(RunStore.mayHoldResultsBeforeOpening(at: header), "left by a failed creation (\(size) bytes)")
        XCTAssertTrue(RunStore.mayHoldResultsBeforeOpening(at: url), "a store with tables and a completion")
    }

    func testAReadOnlyStoreNeverAdvisesDeletingTheRun() {
        let error = RunStore.failure(DatabaseError(resultCode: .SQLITE_READONLY), url: url, action: "store completions")
        XCTAssertEqual(error.exitCode, 74)
        XCTAssertTrue(error.description.contains("permission denied or read-only"), error.description)
        XCTAssertFalse(error.description.contains("delete"), error.description)
    }

    // MARK: - Token counts (review after issue 17)

    /// A store made before `token_count` existed (schema v1 + v2): resumed, it gains the column and its old rows
    /// count their token ids (none: unknown, as a served model's may be); as a merge input it is read as it is.
    func testAStoreWithoutTheTokenCountColumnReadsCountsFromTheTokenIDs() throws {
        let store = try RunStore(url: url, fingerprint: fingerprint)
        try store.insert([
            RunStore.StoredCompletion(model: "a", promptID: "q", sampleIndex: 0, tokenIDs: [], text: "s", stopReason: "stop",
                                      tokenCount: nil),
            RunStore.StoredCompletion(model: "a", promptID: "r", sampleIndex: 0, tokenIDs: [], text: "u", stopReason: "stop",
                                      tokenCount: 7),
            RunStore.StoredCompletion(model: "a", promptID: "z", sampleIndex: 0, tokenIDs: [], text: "", stopReason: "end_of_text"),
        ])
        XCTAssertEqual(try store.allCompletions().map(\.tokenCount), [1, nil, 7, 0])
        try tamper("ALTER TABLE completion DROP COLUMN token_count; DELETE FROM grdb_migrations WHERE identifier = 'v3-token-count'")
        XCTAssertEqual(try RunStore(existing: url).allCompletions().map(\.tokenCount), [1, nil, nil, nil])
        let resumed = try RunStore(url: url, fingerprint: fingerprint)
        XCTAssertEqual(try resumed.allCompletions().map(\.tokenCount), [1, nil, nil, nil])
        try resumed.insert([RunStore.StoredCompletion(
            model: "a", promptID: "z", sampleIndex: 0, tokenIDs: [], text: "", stopReason: "end_of_text")])
        XCTAssertEqual(try resumed.allCompletions().map(\.tokenCount), [1, nil, nil, 0])
    }

    /// A hostile review: a stop reason edited to hold an ESC sequence was copied into completions.jsonl.
    func testAStopReasonThatIsNoIdentifierIsATypedError() throws {
        try tamper("UPDATE completion SET stop_reason = 'bogus' || char(27) || '[31m'")
        let store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["stop_reason", "the text 'bogus\\u{1b}[31m'"])
    }

    func testANegativeTokenCountIsATypedError() throws {
        try tamper("UPDATE completion SET token_count = -3")
        let store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["token_count", "the integer -3"])
    }

    /// A hostile review: GRDB read a REAL sample index of 0.5 as 0 (two texts became sample 0 and the resumed run
    /// exited 0), and a token count above 2^53 was copied into completions.jsonl, which `analyze` then refused.
    func testANonIntegerSampleIndexAndAHugeTokenCountAreTypedErrors() throws {
        try tamper("UPDATE completion SET sample_index = 0.5")
        let store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["sample_index", "the number 0.5"])
        assertBadInput({ _ = try store.completedSamples(model: "a") }, mentions: ["sample_index", "the number 0.5"])
        try tamper("UPDATE completion SET sample_index = 0, token_count = 9223372036854775807")
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["token_count", "the integer 9223372036854775807"])
        // 2^53 itself is read where no token ids say otherwise (a served model's row).
        try tamper("UPDATE completion SET token_count = 9007199254740992, token_ids = ''")
        XCTAssertEqual(try store.allCompletions().first?.tokenCount, 9_007_199_254_740_992, "2^53 itself is read")
    }

    /// A review: a `token_count` edited to 9000 beside 8 token ids was read (and copied into completions.jsonl). An
    /// in-process completion's count is its ids'.
    func testATokenCountThatDisagreesWithItsTokenIDsIsATypedError() throws {
        try tamper("UPDATE completion SET token_count = 9000")
        let store = try RunStore(url: url, fingerprint: fingerprint)
        assertBadInput({ _ = try store.allCompletions() }, mentions: ["token_count", "the integer 9000 beside 1 token ids"])
        try tamper("UPDATE completion SET token_count = 1")
        XCTAssertEqual(try store.allCompletions().first?.tokenCount, 1)
    }

    /// A hostile review: bytes flipped in run.sqlite left a completion outside its index, and the resumed run wrote an
    /// audit one completion short with exit 0. SQLite's integrity check refuses such a store when a run opens it.
    func testAStoreWhoseIndexDisagreesWithItsTableIsRefusedWhenOpened() throws {
        try tamper("PRAGMA wal_checkpoint(TRUNCATE)")
        let queue = try DatabaseQueue(path: url.path)
        let (root, pageSize) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_completion_1'"),
             try Int.fetchOne(db, sql: "PRAGMA page_size"))
        }
        try queue.close()
        var data = try Data(contentsOf: url)
        let page = try XCTUnwrap(root) - 1, size = try XCTUnwrap(pageSize)
        // The index's one entry holds the model "a" and the prompt "p": make its prompt "q".
        let range = (page * size)..<((page + 1) * size)
        let key = try XCTUnwrap(data.range(of: Data("ap".utf8), in: range), "the index entry's key bytes")
        data[key.upperBound - 1] = UInt8(ascii: "q")
        try data.write(to: url)
        assertBadInput({ _ = try RunStore(url: self.url, fingerprint: self.fingerprint) },
                       mentions: ["is a damaged run store (SQLite's integrity check: '", "run again with another --out"])
    }

    /// The stored samples of a prompt are 0 to samples − 1, each once; a gap, a repeat or a sample beyond them (a store
    /// read back other than it was written) is refused, naming the model, the prompt and the sample.
    func testAGapOrARepeatInAPromptsSamplesIsRefused() throws {
        let store = try RunStore(url: url, fingerprint: fingerprint)
        XCTAssertNoThrow(try AuditRunner.checkEverySample([0, 1, 2], of: 3, prompt: "p", model: "a", store: store))
        assertBadInput({ try AuditRunner.checkEverySample([0, 2], of: 3, prompt: "p", model: "a", store: store) },
                       mentions: ["holds no sample 1 of prompt 'p' under model 'a', which the run generated",
                                  "the run store was edited or damaged", "run again with another --out"])
        assertBadInput({ try AuditRunner.checkEverySample([0, 0, 1], of: 2, prompt: "p", model: "a", store: store) },
                       mentions: ["holds sample 0 of prompt 'p' under model 'a' more than once"])
        // A row beyond the run's samples was ignored by `run` where `merge` refuses it (a review).
        assertBadInput({ try AuditRunner.checkEverySample([0, 1, 2], of: 2, prompt: "p", model: "a", store: store) },
                       mentions: ["holds sample 2 of prompt 'p' under model 'a', beyond the 2 samples the run generated",
                                  "the run store was edited or damaged"])
    }

    /// Practitioner's review: a next-token probability edited to 5.0 made the prompt's log-odds 9.64 in a merge, and
    /// −1 dropped it without a word. Outside 0…1 (or not finite) it is the typed "changed by another program" error.
    func testANextTokenProbabilityOutsideZeroToOneIsATypedError() throws {
        let store = try RunStore(url: url, fingerprint: fingerprint)
        try store.insert([RunStore.StoredNextToken(model: "a", promptID: "p", maleProbability: 0.25, femaleProbability: 0.5)])
        XCTAssertEqual(try store.allNextTokens().map(\.maleProbability), [0.25])
        for (column, value) in [("male_probability", "5.0"), ("female_probability", "-1")] {
            try tamper("UPDATE next_token SET male_probability = 0.25, female_probability = 0.5")
            try tamper("UPDATE next_token SET \(column) = \(value)")
            let reopened = try RunStore(url: url, fingerprint: fingerprint)
            assertBadInput({ _ = try reopened.allNextTokens() }, mentions: [column, "the number \(Double(value)!)"])
        }
    }

    // MARK: - A merge input, opened read-only (review of `merge`)

    private func bytesAndDate() throws -> (Data, Date?) {
        (try Data(contentsOf: url), try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
    }

    func testAMergeInputIsReadWithoutBeingChanged() throws {
        let (before, modified) = try bytesAndDate()
        let store = try RunStore(existing: url)
        XCTAssertEqual(try store.fingerprint(), fingerprint)
        XCTAssertEqual(try store.allCompletions().map(\.text), ["t"])
        XCTAssertFalse(try store.holdsSweepSettings())
        XCTAssertThrowsError(try store.insert([RunStore.StoredNextToken(model: "a", promptID: "p", maleProbability: 0.5, femaleProbability: 0.5)]))
        let (after, modifiedAfter) = try bytesAndDate()
        XCTAssertTrue(before == after, "the input changed (\(before.count) → \(after.count) bytes)")
        XCTAssertEqual(modified, modifiedAfter)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["run.sqlite"])
    }

    func testAnotherProgramsDatabaseIsNotARunStoreAndIsNotMigrated() throws {
        try FileManager.default.removeItem(at: url)
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { try $0.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi')") }
        try queue.close()
        let (before, _) = try bytesAndDate()
        assertBadInput({ _ = try RunStore(existing: url) }, mentions: ["is not a run store", "never changes or repairs"])
        XCTAssertTrue(try bytesAndDate().0 == before, "the foreign database was written to")
    }

    /// A store whose tables are still in its write-ahead log (a run that did not end), copied without `run.sqlite-wal`,
    /// reads as a database without tables: said as such, with the log to copy (a hostile review: "another program's
    /// database").
    func testAStoreCopiedWithoutItsWriteAheadLogSaysToCopyTheLog() throws {
        try FileManager.default.removeItem(at: url)
        let writer = try DatabaseQueue(path: url.path)
        try writer.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint=0")
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT)")
        }
        // Copied while the log still holds the table (the writer is open: closing would checkpoint it).
        let copy = directory.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: url, to: copy.appendingPathComponent("run.sqlite"))
        XCTAssertThrowsError(try RunStore(existing: copy.appendingPathComponent("run.sqlite"))) { error in
            XCTAssertTrue("\(error)".contains("holds no tables: an empty file, or a run store copied without its "
                + "run.sqlite-wal"), "\(error)")
        }
        try writer.close()
    }

    func testAnUnknownSchemaVersionIsRefusedNotMigrated() throws {
        try tamper("INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        assertBadInput({ _ = try RunStore(existing: url) }, mentions: ["schema version 'v9-future'", "v1, v2-description"])
        try tamper("DELETE FROM grdb_migrations WHERE identifier != 'v1'; DROP TABLE run_description")
        let (before, _) = try bytesAndDate()
        assertBadInput({ _ = try RunStore(existing: url) }, mentions: ["made by an older biasaudit", "run the shard again"])
        XCTAssertTrue(try bytesAndDate().0 == before, "the older store was migrated")
    }

    func testACorruptMergeInputGetsMergeAdvice() throws {
        var data = try Data(contentsOf: url)
        data.replaceSubrange(0..<16, with: Data(repeating: 0x41, count: 16))
        try data.write(to: url)
        assertBadInput({ _ = try RunStore(existing: url) }, mentions: ["is not a run store", "run --shard I/N"])
        XCTAssertThrowsError(try RunStore(existing: url)) { error in
            XCTAssertFalse("\(error)".contains("starts over"), "\(error)")
            XCTAssertFalse("\(error)".contains("move it away"), "\(error)")
        }
    }

    /// A store whose run is still writing (its commits in `run.sqlite-wal`) is read with those commits; a folder
    /// named with the characters an SQLite URI reserves is opened by its own path.
    func testAMergeInputSeesCommitsInItsWriteAheadLogAndOddFolderNames() throws {
        let odd = directory.appendingPathComponent("shard ?#%20 1")
        try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: url, to: odd.appendingPathComponent("run.sqlite"))
        XCTAssertEqual(try RunStore(existing: odd.appendingPathComponent("run.sqlite")).allCompletions().map(\.text), ["t"])

        let writer = try RunStore(url: url, fingerprint: fingerprint)
        try writer.insert([RunStore.StoredCompletion(
            model: "a", promptID: "q", sampleIndex: 0, tokenIDs: [2], text: "u", stopReason: "max_new_tokens")])
        let log = (try FileManager.default.attributesOfItem(atPath: url.path + "-wal")[.size] as? NSNumber)?.intValue ?? 0
        XCTAssertGreaterThan(log, 0, "the commit should still be in the write-ahead log")
        XCTAssertEqual(try RunStore(existing: url).allCompletions().map(\.text), ["t", "u"])
        withExtendedLifetime(writer) {}
    }

    /// Hostile review: `run --out /proc/self/fd` was told "the disk is full" (a pseudo file system has no blocks, so
    /// none free); it gets the special-file-system words `--out /proc/self/foo` gets, exit 74.
    func testAPseudoFileSystemIsNotAFullDisk() throws {
        let folder = "/proc/self/fd"
        var status = statvfs()
        guard statvfs(folder, &status) == 0, status.f_blocks == 0 else { throw XCTSkip("no proc file system here") }
        XCTAssertTrue(RunStore.isPseudoFileSystem(folder))
        XCTAssertFalse(RunStore.isPseudoFileSystem(directory.path))
        XCTAssertFalse(RunStore.isDiskFull(DatabaseError(resultCode: .SQLITE_CANTOPEN), systemErrno: nil, folder: folder))
        let store = URL(fileURLWithPath: folder).appendingPathComponent("run.sqlite")
        XCTAssertThrowsError(try RunStore(url: store, fingerprint: fingerprint)) { error in
            guard let error = error as? AuditError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.exitCode, 74)
            XCTAssertEqual(
                error.description,
                "\(store.path): error: cannot open the run store: no file can be created in that folder (a special file "
                    + "system such as /proc or /sys?); choose another path (--out)")
        }
    }
}
