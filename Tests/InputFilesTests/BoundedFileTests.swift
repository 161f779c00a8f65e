import Foundation
import InputFiles
import TestSupport
import XCTest

/// ``BoundedFile``: regular files only, bounded sizes, each refusal classified (bad data or I/O).
final class BoundedFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("bounded-file")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    func testReadsARegularFileWhole() throws {
        let file = directory.appendingPathComponent("a.txt")
        let bytes = Data((0..<70_000).map { UInt8($0 % 251) })
        try bytes.write(to: file)
        XCTAssertEqual(try BoundedFile.read(file.path, limit: 70_000), bytes)
        XCTAssertEqual(try BoundedFile.check(file.path), 70_000)
    }

    /// The first bytes of a file of any size (to tell what a file too large to read is), after the same checks.
    func testReadsTheHeadOfAFileOfAnySize() throws {
        let file = directory.appendingPathComponent("a.txt")
        let bytes = Data((0..<70_000).map { UInt8($0 % 251) })
        try bytes.write(to: file)
        XCTAssertEqual(try BoundedFile.readHead(file.path, count: 64), bytes.prefix(64))
        XCTAssertEqual(try BoundedFile.readHead(file.path, count: 100_000), bytes, "a shorter file is read whole")
        let fifo = directory.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try BoundedFile.readHead(fifo, count: 16)) { error in
            XCTAssertEqual(error as? BoundedFileError, .notRegular("a FIFO (named pipe)"), "refused without hanging")
        }
    }

    func testRefusalsAreClassified() throws {
        let file = directory.appendingPathComponent("big.txt")
        try Data(count: 11).write(to: file)
        let fifo = directory.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let cases: [(String, BoundedFileError, Bool)] = [
            (file.path, .tooLarge(size: 11, limit: 10), true),
            (fifo, .notRegular("a FIFO (named pipe)"), true),
            ("/dev/null", .notRegular("a character device"), true),
            (directory.path, .notRegular("a directory"), true),
            ("/proc/self/environ", .kernelFile, true),
            (directory.appendingPathComponent("missing").path, .notFound, false),
        ]
        for (path, expected, isBadData) in cases {
            XCTAssertThrowsError(try BoundedFile.read(path, limit: 10), path) { error in
                XCTAssertEqual(error as? BoundedFileError, expected, path)
                XCTAssertEqual((error as? BoundedFileError)?.isBadData, isBadData, path)
            }
        }
        XCTAssertEqual(BoundedFileError.permissionDenied.reason(what: "the ref"),
                       "cannot read the ref: permission denied; check the file's permissions (and those of its "
                        + "folders) or run as a user who may read it")
        // A directory is not told of FIFOs; a FIFO is.
        XCTAssertEqual(BoundedFileError.notRegular("a directory").reason(what: "the set"),
                       "the set is a directory, not a regular file; name a regular file")
        XCTAssertTrue(BoundedFileError.notRegular("a FIFO (named pipe)").reason(what: "the set")
            .hasSuffix("(biasaudit never reads FIFOs, devices or sockets as input)"))
        XCTAssertFalse(try BoundedFile.exists(directory.appendingPathComponent("missing").path))
        XCTAssertTrue(try BoundedFile.exists(fifo))
    }
}
