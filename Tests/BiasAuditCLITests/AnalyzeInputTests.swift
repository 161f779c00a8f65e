import Foundation
import TestSupport
import XCTest

/// What `analyze` is given in the place of its completions (a hostile review): a FIFO, a folder that is no run's, a
/// line whose index is written as a float.
final class AnalyzeInputTests: XCTestCase {
    private var scratch: URL!
    private var hub: IsolatedHub!
    private var setPath: String { Fixtures.url("analyze/two-groups.yaml").path }

    override func setUpWithError() throws {
        scratch = try Fixtures.temporaryDirectory("analyze-input")
        hub = try IsolatedHub()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: scratch)
        hub.remove()
    }

    private func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    /// Runs `biasaudit analyze` in the scratch folder, killed should it still run after `guardSeconds` (`CLI.run`'s
    /// `killAfter`: a guard against a regression that waits for ever, not a measure of speed).
    private func analyzeGuarded(
        _ arguments: [String], guardSeconds: Double = 300
    ) throws -> (status: Int32, stderr: String, killed: Bool) {
        let result = try CLI.run(["analyze"] + arguments, environment: hub.environment, currentDirectory: scratch,
                                 killAfter: guardSeconds)
        return (result.status, result.stderr, result.killed)
    }

    /// `analyze FIFO SET` opened the FIFO before looking at what it was, and waited for a writer for ever; `report`,
    /// `diff`, `check`, `lint` and `score --jsonl` refuse one at once (exit 65). So does `analyze` now, before an output
    /// folder is made.
    func testAFIFOGivenAsTheCompletionsIsRefusedWithoutWaitingForAWriter() throws {
        XCTAssertEqual(mkfifo(path("fifo.jsonl"), 0o600), 0, "mkfifo")
        let result = try analyzeGuarded(["fifo.jsonl", setPath, "--out", "out"])
        XCTAssertFalse(result.killed, "analyze waited on the FIFO until it was killed")
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("fifo.jsonl: error: the completions file is a FIFO (named pipe), not a regular "
                                             + "file; name a regular file"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out")), "an output folder was made")
    }

    /// `analyze DIR SET` with DIR no run's folder was told "a run folder is re-analysed with its own prompt sets; give no
    /// PROMPTSET", as if DIR were one. It is told what `analyze DIR` says, and what else to give.
    func testAFolderThatIsNoRunGivenWithPromptSetsSaysWhatItLacks() throws {
        try FileManager.default.createDirectory(atPath: path("notes"), withIntermediateDirectories: true)
        let alone = try CLI.run(["analyze", "notes"], environment: hub.environment, currentDirectory: scratch)
        XCTAssertEqual(alone.status, 64, alone.stderr)
        let lacks = "notes holds no completions.jsonl; give the output folder of `biasaudit run`"
        XCTAssertTrue(alone.stderr.contains(lacks), alone.stderr)
        let withSet = try analyzeGuarded(["notes", setPath])
        XCTAssertEqual(withSet.status, 64, withSet.stderr)
        XCTAssertTrue(withSet.stderr.contains(lacks + ", or a completions file with its prompt sets (biasaudit analyze "
                                              + "COMPLETIONS.jsonl PROMPTSET…)"), withSet.stderr)
        XCTAssertFalse(withSet.stderr.contains("give no PROMPTSET"), withSet.stderr)
        // A folder with a run's files is still told to drop its PROMPTSET (the files are not read before that).
        for name in ["completions.jsonl", "results.json"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: path("notes/\(name)"), contents: Data()))
        }
        let run = try analyzeGuarded(["notes", setPath])
        XCTAssertEqual(run.status, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("a run folder is re-analysed with its own prompt sets; give no PROMPTSET with notes"),
                      run.stderr)
    }

    /// `"sample_index": 5.0` was read as 5; it is refused (65) at its line and column, as `config.json` and policies refuse
    /// such numbers.
    func testASampleIndexWrittenAsAFloatIsRefusedAtItsLineAndColumn() throws {
        func line(_ index: String) -> String {
            #"{"set": "two-groups", "template": "{name} went to the market and", "group": "group_a", "term": "Alice", "#
                + #""model": "m", "sample_index": \#(index), "text": " It was fine."}"#
        }
        try Data((line("0") + "\n" + line("1.0") + "\n").utf8).write(to: scratch.appendingPathComponent("c.jsonl"))
        let column = line("1.0").utf8.count - #"1.0, "text": " It was fine."}"#.utf8.count + 1
        let result = try analyzeGuarded(["c.jsonl", setPath, "--out", "out"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("c.jsonl:2: error: sample_index is written 1.0 at column \(column); write 1"),
                      result.stderr)
    }
}
