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
                reason: "another biasaudit command is writing to this folder; wait for it to finish, then run this "
                    + "command again, or choose another --out")
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

    func testAFolderThatCannotBeOpenedIsNotLocked() throws {
        let folder = try Fixtures.temporaryDirectory("folder-lock-missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertNil(try OutputFolderLock.acquire(folder.appendingPathComponent("absent"), option: "--out"),
                     "no folder, no lock: the command's own error about the folder comes first")
    }
}
