import Foundation
import TestSupport
import XCTest

/// Output files are written whole (a temporary file and a rename), so an output path that is a device,
/// a FIFO or a symbolic link would be replaced by a regular file (as root: `/dev/full` turned into a
/// file). Such targets are refused before anything is written, and `analyze` never replaces its input.
final class OutputTargetTests: XCTestCase {
    private let usage: Int32 = 64
    private let gate = Fixtures.url("gate")

    /// The file type bits of `path` itself (symbolic links not followed).
    private func kind(_ path: String) -> mode_t {
        var status = stat()
        XCTAssertEqual(lstat(path, &status), 0, path)
        return status.st_mode & S_IFMT
    }

    func testSpecialOutputTargetsAreRefusedAndLeftAsTheyWere() throws {
        let directory = try Fixtures.temporaryDirectory("output-targets")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("fifo.xml").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let target = directory.appendingPathComponent("target.txt")
        try Data("keep".utf8).write(to: target)
        let link = directory.appendingPathComponent("link.md").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        let results = "current/results.json"
        let cases: [([String], String)] = [
            (["check", results, "--policy", "policies/pass.yaml", "--junit", fifo], fifo),
            (["lint", Fixtures.url("audit/small-set.yaml").path, "--junit", fifo], fifo),
            (["diff", results, "--out", link], link),
            (["check", results, "--policy", "policies/pass.yaml", "--junit", link], link),
        ]
        for (arguments, output) in cases {
            let result = try CLI.run(arguments, currentDirectory: gate)
            XCTAssertEqual(result.status, usage, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("give the path of a regular file"), result.stderr)
            XCTAssertNotEqual(kind(output), S_IFREG, "\(output) was replaced by a regular file")
        }
        XCTAssertEqual(kind(fifo), S_IFIFO)
        XCTAssertEqual(kind(link), S_IFLNK)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "keep")
    }

    /// Practitioner's review: `check --baseline B/results.json --junit B/completions.jsonl` replaced the baseline's
    /// completions with JUnit XML (`diff --out` refused the same path). The completions beside RESULTS and the
    /// baseline are inputs of `check` too: refused (64), the file kept.
    func testCheckNeverWritesItsJUnitOverTheCompletionsItReads() throws {
        let directory = try Fixtures.temporaryDirectory("check-junit-input")
        defer { try? FileManager.default.removeItem(at: directory) }
        for run in ["baseline", "current"] {
            let folder = directory.appendingPathComponent(run)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: gate.appendingPathComponent("\(run)/results.json"), to: folder.appendingPathComponent("results.json"))
            try Data("{\"kept\": true}\n".utf8).write(to: folder.appendingPathComponent("completions.jsonl"))
        }
        for run in ["baseline", "current"] {
            let completions = directory.appendingPathComponent("\(run)/completions.jsonl")
            let result = try CLI.run(
                ["check", "current/results.json", "--policy", gate.appendingPathComponent("policies/growth.yaml").path,
                 "--baseline", "baseline/results.json", "--junit", "\(run)/completions.jsonl"],
                currentDirectory: directory)
            XCTAssertEqual(result.status, usage, result.stderr)
            XCTAssertTrue(result.stderr.contains("would overwrite an input"), result.stderr)
            XCTAssertEqual(try String(contentsOf: completions, encoding: .utf8), "{\"kept\": true}\n")
        }
    }

    func testAnalyzeNeverReplacesItsInput() throws {
        let directory = try Fixtures.temporaryDirectory("analyze-input")
        defer { try? FileManager.default.removeItem(at: directory) }
        let completions = directory.appendingPathComponent("completions.jsonl")
        let original = Data("{\"not\": \"analysed\"}\n".utf8)
        try original.write(to: completions)
        let result = try CLI.run(
            ["analyze", completions.path, Fixtures.repositoryRoot.appendingPathComponent("PromptSets/religion.yaml").path,
             "--out", directory.path])
        XCTAssertEqual(result.status, usage, result.stderr)
        XCTAssertTrue(result.stderr.contains("--out \(directory.path): writing completions.jsonl there would overwrite an input"),
                      result.stderr)
        XCTAssertTrue(result.stderr.contains("give another folder with --out"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: completions), original)
    }

    /// A hostile review: `report --out /dev/full` exited 74, "cannot create the output folder", where README has an
    /// existing output path of the wrong kind refused as a usage error, as `diff --out /dev/full` and `check --junit` are.
    /// `--out` of `report`, `run`, `analyze` and `merge` names a folder: a file, a FIFO or a link to a file there is
    /// refused (64) before any work, and left as it was.
    func testAnOutputFolderThatIsAFileOrAFIFOIsAUsageError() throws {
        let directory = try Fixtures.temporaryDirectory("output-folder-targets")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("afile"), link = directory.appendingPathComponent("link")
        try Data("keep".utf8).write(to: file)
        XCTAssertEqual(mkfifo(directory.appendingPathComponent("fifo").path, 0o600), 0)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        let completions = directory.appendingPathComponent("c.jsonl")
        try Data("{\"not\": \"analysed\"}\n".utf8).write(to: completions)
        let set = Fixtures.url("audit/small-set.yaml").path
        let commands: [[String]] = [
            ["report", gate.appendingPathComponent("current/results.json").path],
            ["run", set, "--model", "./no-model-here", "--samples", "1"],
            ["analyze", completions.path, set],
            ["merge", "shard-1", "shard-2"],
        ]
        for (out, kind) in [("afile", "a file"), ("fifo", "a FIFO"), ("link", "a symbolic link to a file")] {
            for command in commands {
                let result = try CLI.run(command + ["--out", out], currentDirectory: directory)
                XCTAssertEqual(result.status, usage, "\(command[0]) --out \(out): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("\(out) is \(kind), not a folder: --out names the folder the outputs "
                                                     + "are written into; give a folder"), result.stderr)
            }
        }
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "keep")
        XCTAssertEqual(kind(directory.appendingPathComponent("fifo").path), S_IFIFO)
        XCTAssertEqual(kind(link.path), S_IFLNK)
    }

    /// A review: the hidden temporary files a `kill -9` (or a second Ctrl-C) leaves between a write's temporaries and
    /// its renames were never removed, and a later write put new ones beside them. The next write of the same names
    /// removes those older than a quarter of an hour; a fresh one (a write in progress), one of another name, one
    /// whose middle is not a UUID and a folder of that name are left alone.
    func testTheLeftoversOfAnInterruptedWriteAreRemovedByTheNextOne() throws {
        let out = try Fixtures.temporaryDirectory("leftovers")
        defer { try? FileManager.default.removeItem(at: out) }
        let manager = FileManager.default
        func make(_ name: String, minutesOld: Double, folder: Bool = false) throws -> String {
            let path = out.appendingPathComponent(name).path
            if folder {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: false)
            } else {
                try Data("half a file".utf8).write(to: URL(fileURLWithPath: path))
            }
            try manager.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60 * minutesOld)], ofItemAtPath: path)
            return name
        }
        let uuid = { UUID().uuidString }
        let stale = [try make(".report.md.\(uuid()).partial", minutesOld: 60),
                     try make(".results.json.\(uuid()).partial", minutesOld: 20)]
        let kept = [try make(".report.md.\(uuid()).partial", minutesOld: 1),
                    try make(".notes.md.\(uuid()).partial", minutesOld: 60),
                    try make(".report.md.not-a-uuid.partial", minutesOld: 60),
                    try make(".report.md.\(uuid()).partial", minutesOld: 60, folder: true)]
        let result = try CLI.run(
            ["report", gate.appendingPathComponent("current/results.json").path, "--out", out.path, "--format", "md,json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let left = Set(try manager.contentsOfDirectory(atPath: out.path))
        for name in stale { XCTAssertFalse(left.contains(name), "\(name) was left") }
        for name in kept { XCTAssertTrue(left.contains(name), "\(name) was removed") }
        XCTAssertTrue(left.contains("report.md"), "\(left)")
    }
}
