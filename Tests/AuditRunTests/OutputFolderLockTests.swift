import AuditResults
import AuditRun
import Foundation
import TestSupport
import XCTest

/// The lock that `run` and `merge` hold on their output folder: a second holder is refused with a message
/// (exit 74), the lock is free again once the first is released, and the folder gets no lock file.
final class OutputFolderLockTests: XCTestCase {
    func testASecondHolderIsRefusedUntilTheFirstReleases() throws {
        let folder = try Fixtures.temporaryDirectory("folder-lock")
        defer { try? FileManager.default.removeItem(at: folder) }
        var first = try OutputFolderLock.acquire(folder, option: "--out")
        XCTAssertNotNil(first, "a local folder can be locked")
        XCTAssertThrowsError(try OutputFolderLock.acquire(folder, option: "--out")) { error in
            let expected = AuditError.io(
                path: folder.path,
                reason: "another biasaudit command is using this folder; wait for it to finish, then run this command "
                    + "again, or give another folder with --out")
            XCTAssertEqual(error as? AuditError, expected)
            XCTAssertEqual((error as? AuditError)?.exitCode, 74)
        }
        first?.release()
        first?.release()
        var second = try OutputFolderLock.acquire(folder, option: "--out")
        XCTAssertNotNil(second, "free again once released (twice: the second release does nothing)")
        second = nil
        first = nil
        XCTAssertNotNil(try OutputFolderLock.acquire(folder, option: "--out"), "free again once the holder goes away")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no lock file is written")
    }

    /// A folder that does not exist yet is made and locked (`analyze` and `report` write into new folders).
    func testANewFolderIsMadeAndLocked() throws {
        let parent = try Fixtures.temporaryDirectory("folder-lock-new")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("a/b")
        let lock = try OutputFolderLock.acquire(creating: folder, option: "--out")
        XCTAssertNotNil(lock, "the new folder is locked")
        XCTAssertThrowsError(try OutputFolderLock.acquire(creating: folder, option: "--out"), "a second holder is refused")
        lock?.release()
        // Where the folder cannot be made (a file stands in the way) nothing is locked: the writer says why.
        let file = parent.appendingPathComponent("file")
        FileManager.default.createFile(atPath: file.path, contents: Data())
        XCTAssertNil(try OutputFolderLock.acquire(creating: file.appendingPathComponent("sub"), option: "--out"))
    }

    func testAFolderThatCannotBeOpenedIsNotLocked() throws {
        let folder = try Fixtures.temporaryDirectory("folder-lock-missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertNil(try OutputFolderLock.acquire(folder.appendingPathComponent("absent"), option: "--out"),
                     "no folder, no lock: the command's own error about the folder comes first")
    }
}
