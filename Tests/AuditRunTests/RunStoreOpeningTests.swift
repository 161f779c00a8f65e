import AuditResults
@testable import AuditRun
import Foundation
import GRDB
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `run` finds at its `--out DIR/run.sqlite` before writing (review of the run store): another program's
/// database, a newer schema, completions without a fingerprint, or a path that is not a regular file are refused
/// (exit 65, with what to do) and left as they were; a new, empty or resumable store opens as before.
final class RunStoreOpeningTests: XCTestCase {
    private var directory: URL!
    private var url: URL { directory.appendingPathComponent("run.sqlite") }
    private let fingerprint = ["models": "a=1111"]

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("run-store-opening")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func storeWithACompletion() throws {
        let store = try RunStore(url: url, fingerprint: fingerprint)
        try store.insert([RunStore.StoredCompletion(
            model: "a", promptID: "p", sampleIndex: 0, tokenIDs: [1], text: "t", stopReason: "max_new_tokens")])
    }

    private func execute(_ sql: String) throws {
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { try $0.execute(sql: sql) }
        try queue.close()
    }

    private func query<T: DatabaseValueConvertible>(_ sql: String) throws -> [T] {
        let queue = try DatabaseQueue(path: url.path)
        defer { try? queue.close() }
        return try queue.read { try T.fetchAll($0, sql: sql) }
    }

    private func assertRefused(mentions words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint), file: file, line: line) { error in
            guard let error = error as? AuditError, case .badInput(let path, let reason) = error else {
                return XCTFail("expected AuditError.badInput, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
            XCTAssertEqual(path, url.path, file: file, line: line)
            for word in words { XCTAssertTrue(reason.contains(word), "\(reason) lacks \(word)", file: file, line: line) }
            XCTAssertFalse(reason.contains("permission denied"), reason, file: file, line: line)
            XCTAssertFalse(reason.contains("delete"), reason, file: file, line: line)
        }
    }

    private func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    // MARK: - Another program's database, a newer schema

    func testAnotherProgramsDatabaseIsRefusedAndLeftAsItWas() throws {
        try execute("CREATE TABLE completions (x); INSERT INTO completions VALUES (1)")
        let before = try Data(contentsOf: url)
        assertRefused(mentions: ["is not a biasaudit run store", "another program's database", "'completions'", "run again with another --out"])
        XCTAssertTrue(try Data(contentsOf: url) == before, "the foreign database was written to")
        XCTAssertEqual(try listing(), ["run.sqlite"], "nothing (no -wal, -shm) is created beside it")
        XCTAssertEqual(try query("SELECT name FROM sqlite_master ORDER BY name") as [String], ["completions"])
    }

    /// Another program that also uses GRDB's migrations has `grdb_migrations`, but not biasaudit's.
    func testAnotherGRDBProgramsDatabaseIsNotTakenForANewerRunStore() throws {
        try execute("""
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('createNotes'); CREATE TABLE notes (body)
            """)
        assertRefused(mentions: ["another program's database", "'notes'"])
        // Review: a GRDB program whose first migration is also called "v1" passed, and biasaudit's later
        // migrations were committed into it before one failed. Its tables are not biasaudit's: refused, unchanged.
        try FileManager.default.removeItem(at: url)
        try execute("""
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1'); CREATE TABLE notes (body)
            """)
        let before = try Data(contentsOf: url)
        assertRefused(mentions: ["another program's database", "'notes'"])
        XCTAssertEqual(try Data(contentsOf: url), before, "the other program's database is left as it was")
        XCTAssertEqual(try query("SELECT identifier FROM grdb_migrations") as [String], ["v1"])
    }

    func testARunStoreOfANewerSchemaIsRefusedNotResumed() throws {
        try storeWithACompletion()
        try execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
        assertRefused(mentions: ["newer biasaudit", "'v99-future'", "v1, v2-description", "upgrade biasaudit"])
        XCTAssertEqual(try query("SELECT key FROM fingerprint") as [String], ["models"])
    }

    /// A zero-byte file, a header-only WAL file (a creation that failed after setting WAL mode) and GRDB's empty
    /// bookkeeping table alone (a creation cut short before the first migration) are new stores, as before.
    func testEmptyDatabasesAreNewStores() throws {
        let setups: [(String, () throws -> Void)] = [
            ("zero-byte", { try Data().write(to: self.url) }),
            ("header-only", { try self.execute("PRAGMA journal_mode=WAL") }),
            ("empty grdb_migrations", { try self.execute("CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)") }),
        ]
        for (name, setup) in setups {
            try? FileManager.default.removeItem(at: url)
            try setup()
            let store = try RunStore(url: url, fingerprint: fingerprint)
            XCTAssertEqual(try store.fingerprint(), fingerprint, name)
            XCTAssertEqual(try store.allCompletions(), [], name)
        }
    }

    func testAResumableStoreStillOpens() throws {
        try storeWithACompletion()
        XCTAssertEqual(try RunStore(url: url, fingerprint: fingerprint).allCompletions().map(\.text), ["t"])
    }

    // MARK: - Results without a fingerprint

    func testCompletionsWithoutAFingerprintAreRefused() throws {
        try storeWithACompletion()
        try execute("DELETE FROM fingerprint")
        assertRefused(mentions: ["holds completions but no fingerprint", "edited or damaged", "run again with another --out (or move the whole folder away)"])
        XCTAssertEqual(try query("SELECT key FROM fingerprint") as [String], [], "this run's fingerprint was recorded")

        try execute("""
            DELETE FROM completion;
            INSERT INTO next_token (model, prompt_id, male_probability, female_probability) VALUES ('a', 'p', 0.5, 0.5)
            """)
        assertRefused(mentions: ["no fingerprint", "edited or damaged"])

        // Without any result, an empty fingerprint is a store whose first batch never came: it is taken.
        try execute("DELETE FROM next_token")
        XCTAssertEqual(try RunStore(url: url, fingerprint: fingerprint).fingerprint(), fingerprint)
    }

    // MARK: - A path that is not a regular file

    func testAPathThatIsNotARegularFileIsRefusedBeforeOpening() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        assertRefused(mentions: ["is a directory, not a regular file, so not a run store", "run again with another --out"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.path), [], "nothing created in it")
        try FileManager.default.removeItem(at: url)

        // A FIFO without a writer: refused at once, never opened (a blocking open would hang here).
        XCTAssertEqual(mkfifo(url.path, 0o600), 0, "mkfifo")
        assertRefused(mentions: ["is a FIFO (named pipe), not a regular file"])
        try FileManager.default.removeItem(at: url)

        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: url.lastPathComponent)
        assertRefused(mentions: ["is a symbolic link that loops"])
        try FileManager.default.removeItem(at: url)

        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "/dev/zero")
        assertRefused(mentions: ["is a symbolic link to a character device, not a regular file"])
        XCTAssertEqual(try listing(), ["run.sqlite"], "nothing created beside the link")
        try FileManager.default.removeItem(at: url)

        // A dangling link: SQLite would create a database wherever it points.
        let target = url.deletingLastPathComponent().appendingPathComponent("elsewhere.sqlite")
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target.path)
        assertRefused(mentions: ["is a symbolic link to a file that does not exist, so not a run store"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path), "nothing created where the link points")

        // A link to another run's store, symbolic or hard (a hostile review: merge --out rewrote a shard's store so):
        // refused, and the store it points at is not changed.
        try FileManager.default.removeItem(at: url)
        let other = url.deletingLastPathComponent().appendingPathComponent("other.sqlite")
        _ = try RunStore(url: other, fingerprint: fingerprint)
        let before = try Data(contentsOf: other)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: other.path)
        assertRefused(mentions: ["is a symbolic link to another file (\(other.path)); a run writes its store in place",
                                 "a store is copied with cp, never linked",
                                 "give the folder a copy of its own: cp \(other.path) \(url.path).copy && mv \(url.path).copy \(url.path)"])
        try FileManager.default.removeItem(at: url)
        XCTAssertEqual(link(other.path, url.path), 0, "link")
        assertRefused(mentions: ["has another hard link (a second name of the same file, as `cp -al` and `ln` make; "
                                 + "`find / -samefile \(url.path) 2>/dev/null` lists them)", "cp \(url.path) \(url.path).copy"])
        XCTAssertEqual(try Data(contentsOf: other), before, "the linked store was changed")

        // The store a file of its own, its write-ahead log linked (a code review: after the advice copied the main file
        // alone, a resumed run wrote the other folder's run.sqlite-shm): refused, and the advice copies each file.
        try FileManager.default.removeItem(at: url)
        try FileManager.default.copyItem(at: other, to: url)
        let otherLog = other.path + "-wal", log = url.path + "-wal"
        try Data("not a real log".utf8).write(to: URL(fileURLWithPath: otherLog))
        XCTAssertEqual(link(otherLog, log), 0, "link")
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint)) { error in
            guard let error = error as? AuditError, case .badInput(let path, let reason) = error else {
                return XCTFail("expected AuditError.badInput, got \(error)")
            }
            XCTAssertEqual(path, log)
            XCTAssertTrue(reason.hasPrefix("has another hard link"), reason)
            XCTAssertTrue(reason.hasSuffix("give the folder a copy of its own: cp \(url.path) \(url.path).copy && mv "
                + "\(url.path).copy \(url.path) && cp \(log) \(log).copy && mv \(log).copy \(log)"), reason)
        }
        XCTAssertEqual(try String(contentsOfFile: otherLog, encoding: .utf8), "not a real log", "the linked log was changed")
        // A log linked to nothing: remove the link (a second review: the printed copy commands left it, and the same
        // refusal followed); and a store not made yet beside a linked one (`merge --out`: it opened, then failed).
        try FileManager.default.removeItem(atPath: log)
        try FileManager.default.createSymbolicLink(atPath: log, withDestinationPath: "/nonexistent/wal")
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint)) { error in
            guard let error = error as? AuditError, case .badInput(let path, let reason) = error else {
                return XCTFail("expected AuditError.badInput, got \(error)")
            }
            XCTAssertEqual(path, log)
            XCTAssertEqual(reason, "is a symbolic link to a file that does not exist; SQLite would create its wal file "
                + "where it leads: remove the link (rm \(log)) and run again")
        }
        try FileManager.default.removeItem(atPath: log)
        try FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path + "-shm", withDestinationPath: other.path + "-wal")
        XCTAssertThrowsError(try RunStore(url: url, fingerprint: fingerprint)) { error in
            guard let error = error as? AuditError, case .badInput(let path, let reason) = error else {
                return XCTFail("expected AuditError.badInput, got \(error)")
            }
            XCTAssertEqual(path, url.path + "-shm")
            XCTAssertTrue(reason.hasPrefix("is a symbolic link to another file"), reason)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path), "no store was made beside the linked file")
    }
}
