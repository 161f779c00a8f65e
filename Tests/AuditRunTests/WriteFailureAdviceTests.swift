import AuditResults
import AuditRun
@testable import CommandSupport
import Foundation
import Generation
import TestSupport
import XCTest

/// What a failed write advises, decided where the failure is worded (a read-through found `run` rewriting the wording by
/// string replacement), and the kinds of a `--sweep` refusal a command adds advice by.
final class WriteFailureAdviceTests: XCTestCase {
    /// A command that can write elsewhere is told so on a full disk; a run whose completions are in its run store is told
    /// to free space and run the same command with this `--out` (another would generate everything again).
    func testAFullDiskAdvisesWritingElsewhereOnlyWithoutARunStore() throws {
        let folder = try Fixtures.temporaryDirectory("write-advice")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("results.json")
        let store = folder.appendingPathComponent("run.sqlite")
        let plain = FileWriteFailure.reason(POSIXError(.ENOSPC), writing: file)
        XCTAssertTrue(plain.hasSuffix("; free some space or write elsewhere (--out), then run the command again"), plain)
        XCTAssertFalse(plain.contains("completions are stored"), plain)
        let resumable = FileWriteFailure.reason(POSIXError(.ENOSPC), writing: file, completionsKeptIn: store)
        XCTAssertTrue(resumable.contains("; free some space (the completions are stored in \(store.path): run the same "
            + "command again, with this --out, once the files can be written, and nothing is generated again; another --out "
            + "would generate them anew)"), resumable)
        XCTAssertFalse(resumable.contains("write elsewhere"), resumable)
        // Every other cause keeps its own fix, without another output (a review: "raise the limit or write elsewhere
        // (--out)" and then "another --out would generate them anew"), and gains the way back to the stored completions.
        for (code, fix) in [(POSIXErrorCode.EACCES, "permission denied; change the permissions of the folder"),
                            (.EFBIG, "the file would pass the file-size limit (`ulimit -f`, or the file system's); raise the limit"),
                            (.EROFS, "the file system is read-only; make it writable again"),
                            (.EIO, "the system refused the write (")] {
            let shown = FileWriteFailure.reason(POSIXError(code), writing: file, completionsKeptIn: store)
            XCTAssertTrue(shown.hasPrefix(fix), shown)
            XCTAssertTrue(shown.hasSuffix(FileWriteFailure.resumeAdvice(store: store)), shown)
            XCTAssertEqual(shown.components(separatedBy: "--out").count - 1, 2, "only the resume advice names --out: \(shown)")
            let plain = FileWriteFailure.reason(POSIXError(code), writing: file)
            XCTAssertTrue(plain.contains("(--out)") && !plain.contains("completions are stored"), plain)
        }
        let created = FileWriteFailure.reason(POSIXError(.ENOSPC), creating: folder, completionsKeptIn: store)
        XCTAssertTrue(created.hasSuffix(FileWriteFailure.resumeAdvice(store: store)), created)
    }

    /// `OutputFiles.writeAll` passes the run store to the advice of a failed write, and writes nothing of the set.
    func testWritingASetIntoAMissingFolderNamesTheRunStore() throws {
        let folder = try Fixtures.temporaryDirectory("write-advice-set")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("run.sqlite")
        let target = folder.appendingPathComponent("gone/results.json")
        XCTAssertThrowsError(
            try OutputFiles.writeAll([OutputFiles.Pending(Data("{}".utf8), to: target, what: "the results")], completionsKeptIn: store)
        ) { error in
            guard case AuditError.io(let path, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, target.path)
            XCTAssertTrue(reason.hasPrefix("cannot write the results: its folder \(target.deletingLastPathComponent().path) does "
                + "not exist"), reason)
            XCTAssertTrue(reason.hasSuffix(FileWriteFailure.resumeAdvice(store: store)), reason)
        }
        XCTAssertThrowsError(try OutputFiles.writeAll([OutputFiles.Pending(Data("{}".utf8), to: target, what: "the results")])) {
            guard case AuditError.io(_, let reason) = $0 else { return XCTFail("\($0)") }
            XCTAssertFalse(reason.contains("completions are stored"), reason)
        }
    }

    /// A rename that fails part-way (a file of another user in a sticky folder, an immutable file) puts the files the
    /// earlier renames replaced back and removes the new ones, so the folder keeps one set (a hostile review: the new
    /// report.html stayed beside the earlier results.json and report.md); no temporary file or link is left.
    func testARenameThatFailsPartWayLeavesTheEarlierSet() throws {
        let folder = try Fixtures.temporaryDirectory("write-set-rollback")
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["results.json", "report.html", "report.md", "completions.jsonl"]
        // An earlier set without completions.jsonl: the new one is removed again.
        for name in names.dropLast() {
            try Data("old \(name)".utf8).write(to: folder.appendingPathComponent(name))
        }
        let files = names.map { OutputFiles.Pending(Data("new \($0)".utf8), to: folder.appendingPathComponent($0), what: $0) }
        for failing in 1..<names.count {
            XCTAssertThrowsError(
                try OutputFiles.writeAll(files, completionsKeptIn: nil, renaming: { from, to in
                    guard !to.hasSuffix("/" + names[failing]) else {
                        errno = EPERM
                        return -1
                    }
                    return rename(from, to)
                }, linking: { link($0, $1) })
            ) { error in
                guard case AuditError.io(let path, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(path, folder.appendingPathComponent(names[failing]).path)
                XCTAssertTrue(reason.hasPrefix("cannot write \(names[failing]) (Operation not permitted); the folder's files are "
                    + "as they were; check that you may replace it"), reason)
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            XCTAssertEqual(left, names.dropLast().sorted(), "failing at \(names[failing]): only the earlier set, nothing else")
            for name in names.dropLast() {
                XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), "old \(name)")
            }
        }
        // Where no hard link can keep the earlier file (a file system without them), a file replaced before the failed
        // rename is named as lost; a new one is still removed.
        XCTAssertThrowsError(
            try OutputFiles.writeAll(files, completionsKeptIn: nil, renaming: { from, to in
                guard !to.hasSuffix("/report.md") else {
                    errno = EIO
                    return -1
                }
                return rename(from, to)
            }, linking: { _, _ in -1 })
        ) { error in
            guard case AuditError.io(_, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("cannot write report.md (Input/output error); results.json, report.html already "
                + "replaced and could not be put back, so the folder mixes two sets of files; run the command again"), reason)
        }
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("results.json"), encoding: .utf8), "new results.json")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8), "old report.md")
        for name in names.dropLast() { try Data("old \(name)".utf8).write(to: folder.appendingPathComponent(name)) }
        // Without a failure the new set replaces it, and no link is left.
        try OutputFiles.writeAll(files)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), names.sorted())
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8), "new report.md")
    }

    /// A hostile review: `HF_ENDPOINT=https://u:pw@mirror` printed the password in every Hub warning and error, whose URLs
    /// are built from the endpoint. The user info is shown as a served model's is.
    func testAHubEndpointsCredentialsAreHidden() {
        let typed = EndpointCredentials.userInfo(of: "https://u:S3CRET@127.0.0.1:9/hub")
        XCTAssertEqual(typed?.typed, "u:S3CRET@")
        XCTAssertEqual(typed?.shown, "u:***@")
        XCTAssertEqual(EndpointCredentials.userInfo(of: "HTTPS://tok3n@mirror")?.shown, "***@")
        XCTAssertNil(EndpointCredentials.userInfo(of: "https://mirror/a@b"), "an @ in the path is no user info")
        XCTAssertNil(EndpointCredentials.userInfo(of: "https://huggingface.co"))
        let message = "asking the Hub failed (https://u:S3CRET@127.0.0.1:9/hub/m/resolve/main/config.json: refused)"
        XCTAssertEqual(EndpointCredentials.hiding(typed, in: message),
                       "asking the Hub failed (https://u:***@127.0.0.1:9/hub/m/resolve/main/config.json: refused)")
    }

    /// The kinds of a refused `--sweep` value: a command adds the decimal-comma hint to a repeated value only.
    func testASweepRefusalSaysItsKind() {
        for (text, kind) in [
            ("temperature", SamplingSweep.ParseError.Kind.notASweep), ("nosuch=1", .notASweep), ("top_k=1.5", .badValue),
            ("top_k=\(1 << 60)", .badValue), ("temperature=a", .badValue), ("temperature=0,5,0,7", .repeatedValue),
            ("top_p=0.7,0.700000001", .repeatedValue),
        ] {
            XCTAssertThrowsError(try SamplingSweep(parsing: text), text) { error in
                XCTAssertEqual((error as? SamplingSweep.ParseError)?.kind, kind, "\(text): \(error)")
            }
        }
        XCTAssertNoThrow(try SamplingSweep(parsing: "temperature=1,5"))
    }
}
