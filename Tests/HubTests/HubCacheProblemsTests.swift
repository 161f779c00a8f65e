import Foundation
import Hub
import XCTest
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A cache that cannot be used says so: I/O errors in plain words with what to do (not an NSError dump), and
/// `models list` flags snapshots with files that cannot be read and refs that name no commit, and skips
/// `models--…` entries that are not folders (a hostile review).
final class HubCacheProblemsTests: XCTestCase {
    private var root: URL!
    private let commit = String(repeating: "a", count: 40)

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hub-problems-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    /// `models--org--name` with refs/main → `commit` and a snapshot whose files link to blobs.
    private func makeModel(_ name: String, files: [String] = ["config.json", "vocab.json"]) throws -> URL {
        let model = root.appendingPathComponent("models--org--\(name)")
        let snapshot = model.appendingPathComponent("snapshots/\(commit)")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: model.appendingPathComponent("blobs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: model.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try Data(commit.utf8).write(to: model.appendingPathComponent("refs/main"))
        for (index, file) in files.enumerated() {
            let blob = String(repeating: String(index), count: 40)
            try Data("{}".utf8).write(to: model.appendingPathComponent("blobs/\(blob)"))
            try FileManager.default.createSymbolicLink(
                atPath: snapshot.appendingPathComponent(file).path, withDestinationPath: "../../blobs/\(blob)")
        }
        return model
    }

    func testListingFlagsAMissingBlobAndAMalformedRefAndSkipsWhatIsNotAFolder() throws {
        let tiny = try makeModel("tiny")
        try FileManager.default.removeItem(at: tiny.appendingPathComponent("blobs/" + String(repeating: "1", count: 40)))
        let refbad = try makeModel("refbad")
        try Data("../../../../tmp".utf8).write(to: refbad.appendingPathComponent("refs/main"))
        XCTAssertEqual(mkfifo(root.appendingPathComponent("models--org--fifo").path, 0o600), 0)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("models--org--zero").path, withDestinationPath: "/dev/zero")

        let listed = try HubCache(root: root).listModels()
        XCTAssertEqual(listed.map(\.repoID), ["org/refbad", "org/tiny"])
        XCTAssertEqual(listed[0].malformedRefs, ["refs/main holds '../../../../tmp', not a 40-character commit hash"])
        XCTAssertEqual(listed[0].revisions.map(\.refs), [[]])
        XCTAssertEqual(listed[0].revisions.map(\.unusableFiles), [[]])
        XCTAssertEqual(listed[1].malformedRefs, [])
        XCTAssertEqual(listed[1].revisions.map(\.refs), [["main"]])
        XCTAssertEqual(listed[1].revisions.map(\.unusableFiles), [["vocab.json missing (a link to a missing blob)"]])
    }

    /// A hostile review: a snapshot that lacks a file a model needs was listed as complete. The listing names the
    /// missing ones, in `ModelLocator.requiredFiles`' order; a complete snapshot lacks none.
    func testListingNamesTheFilesAModelNeedsThatASnapshotLacks() throws {
        _ = try makeModel("partial")
        _ = try makeModel("complete", files: ModelLocator.requiredFiles)
        let listed = try HubCache(root: root).listModels()
        XCTAssertEqual(listed.map(\.repoID), ["org/complete", "org/partial"])
        XCTAssertEqual(listed[0].revisions.map(\.missingFiles), [[]])
        XCTAssertEqual(listed[1].revisions.map(\.missingFiles), [["model.safetensors", "merges.txt"]])
        XCTAssertEqual(listed[1].revisions.map(\.unusableFiles), [[]], "a file that is not there is missing, not unusable")
    }

    func testListingNamesALoopOfLinksAndAFIFOInASnapshot() throws {
        let model = try makeModel("odd", files: ["config.json"])
        let snapshot = model.appendingPathComponent("snapshots/\(commit)")
        try FileManager.default.createSymbolicLink(
            atPath: snapshot.appendingPathComponent("vocab.json").path, withDestinationPath: "merges.txt")
        try FileManager.default.createSymbolicLink(
            atPath: snapshot.appendingPathComponent("merges.txt").path, withDestinationPath: "vocab.json")
        XCTAssertEqual(mkfifo(snapshot.appendingPathComponent("model.safetensors").path, 0o600), 0)
        let listed = try HubCache(root: root).listModels()
        XCTAssertEqual(listed.first?.revisions.first?.unusableFiles, [
            "merges.txt missing (a link to a link that leads nowhere, or a loop)",
            "model.safetensors is a FIFO, not a file",
            "vocab.json missing (a link to a link that leads nowhere, or a loop)",
        ])
    }

    /// `HF_HUB_CACHE` naming a file: "a part of the path is not a folder", not "Error Domain=NSCocoaErrorDomain …".
    func testACacheThatIsAFileIsNamed() throws {
        let file = root.appendingPathComponent("hubfile")
        try Data("hi\n".utf8).write(to: file)
        XCTAssertThrowsError(try HubCache(root: file).listModels()) { error in
            XCTAssertEqual(
                "\(error)",
                "cannot list \(file.path): a part of the path is not a folder: \(file.path) is a file; move it away, or "
                    + "point HF_HUB_CACHE (or HF_HOME) at another folder.")
            XCTAssertEqual((error as? HubError)?.exitCode, 74)
        }
        // A cache folder under that file is named too (a final review: "no models cached", exit 0); one that is simply
        // not there yet is an empty cache.
        let under = file.appendingPathComponent("sub")
        XCTAssertThrowsError(try HubCache(root: under).listModels()) { error in
            XCTAssertEqual("\(error)", "cannot list \(under.path): a part of the path is not a folder: \(file.path) is a file; "
                + "move it away, or point HF_HUB_CACHE (or HF_HOME) at another folder.")
        }
        XCTAssertEqual(try HubCache(root: root.appendingPathComponent("not-yet/sub")).listModels().count, 0)
    }

    /// `HF_HOME=/dev/null`: the device is named, and not to be moved away.
    func testACacheUnderADeviceIsNamed() throws {
        let folder = URL(fileURLWithPath: "/dev/null/hub/models--org--good/blobs")
        XCTAssertThrowsError(try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) { error in
            XCTAssertEqual(
                HubError.io(path: folder.path, operation: "create directory", error: error).description,
                "cannot create directory /dev/null/hub/models--org--good/blobs: a part of the path is not a folder: /dev/null "
                    + "is a character device; point HF_HUB_CACHE (or HF_HOME) at another folder.")
        }
    }

    /// A cache under /proc: nothing can be created there, and "run the command again" cannot help (a final review).
    func testACacheOnAPseudoFileSystemIsNamed() throws {
        let folder = URL(fileURLWithPath: "/proc/self/hub/models--org--good/blobs")
        XCTAssertThrowsError(try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) { error in
            XCTAssertEqual(
                HubError.io(path: folder.path, operation: "create directory", error: error).description,
                "cannot create directory /proc/self/hub/models--org--good/blobs: no file or folder can be created there (a "
                    + "special file system such as /proc or /sys?); point HF_HUB_CACHE (or HF_HOME) at another folder.")
        }
    }

    /// A write past `ulimit -f` names the limit (it said "File too large" with the advice to check free space).
    func testAWritePastTheFileSizeLimitNamesTheLimit() throws {
        var saved = rlimit()
        XCTAssertEqual(getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &saved), 0)
        var limit = saved
        limit.rlim_cur = 1_024_000
        XCTAssertEqual(setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit), 0)
        defer { _ = setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &saved) }
        let path = root.appendingPathComponent("blobs/x.incomplete").path
        XCTAssertEqual(
            HubError.io(path: path, operation: "write", error: POSIXError(.EFBIG)).description,
            "cannot write \(path): the file would pass the file-size limit of 1024000 bytes (`ulimit -f`, or the file "
                + "system's); raise the limit (`ulimit -f unlimited`), or point HF_HUB_CACHE (or HF_HOME) at another folder "
                + "on another file system, then run the command again.")
        XCTAssertEqual(
            HubError.io(path: path, operation: "write", errno: ENOSPC).description,
            "cannot write \(path): no space left on the device (or the disk quota is used up); free some space, or point "
                + "HF_HUB_CACHE (or HF_HOME) at another folder on another disk, then run the command again.")
    }
}
