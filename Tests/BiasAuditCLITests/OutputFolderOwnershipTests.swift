import Foundation
import TestSupport
import XCTest

/// Review: `run --out` into an `analyze` output and `analyze --out` into a run's folder replaced that audit's
/// results.json and completions.jsonl with exit 0; `analyze` of an interrupted run's folder said "give the output
/// folder of `biasaudit run`", which it was; a second Ctrl-C during `run` once crashed (exit 139).
final class OutputFolderOwnershipTests: FixtureRunTestCase {
    override class var scratchPrefix: String { "ownership" }

    private func digest(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    func testRunRefusesAFolderHoldingAnotherCommandsAudit() throws {
        let folder = try scratchDirectory().appendingPathComponent("analysed")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let results = folder.appendingPathComponent("results.json")
        try Data("{\"from\": \"analyze\"}".utf8).write(to: results)
        let before = try digest(results)
        let refused = try run(Self.fixtureRunArguments(out: folder, samples: 1, maxNewTokens: 2))
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("this folder holds results.json but no run.sqlite: another command's output "
            + "(`analyze`, `report`) or files put there by hand, which this run would replace; give another folder with "
            + "--out"), refused.stderr)
        XCTAssertEqual(try digest(results), before, "the other audit's results are kept")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("run.sqlite").path))
        // A run.sqlite that is a link to nothing is there, and said as what it is (a hostile review: "but no run.sqlite").
        let dangling = folder.appendingPathComponent("run.sqlite")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "nowhere.sqlite")
        let linked = try run(Self.fixtureRunArguments(out: folder, samples: 1, maxNewTokens: 2))
        XCTAssertEqual(linked.status, 65, linked.stderr)
        XCTAssertTrue(linked.stderr.contains("run.sqlite: error: is a symbolic link to a file that does not exist, so not a "
            + "run store"), linked.stderr)
        XCTAssertEqual(try digest(results), before, "the other audit's results are kept")
        try FileManager.default.removeItem(at: dangling)
        // `merge` likewise (review: it replaced an analysis' results with exit 0).
        let shard = try scratchDirectory().appendingPathComponent("shard")
        let made = try run(Self.fixtureRunArguments(out: shard, samples: 1, maxNewTokens: 2, extra: ["--shard", "1/1"]))
        XCTAssertEqual(made.status, 0, made.stderr)
        let merged = try run(["merge", shard.path, "--out", folder.path, "--quiet"])
        XCTAssertEqual(merged.status, 65, merged.stderr)
        XCTAssertTrue(merged.stderr.contains("which this merge would replace"), merged.stderr)
        XCTAssertEqual(try digest(results), before, "the other audit's results are kept")
        // A mistyped shard folder is "no such folder" (review: it said "holds no run store", exit 65).
        let missing = shard.deletingLastPathComponent().appendingPathComponent("shard-typo")
        let typo = try run(["merge", shard.path, missing.path, "--out", folder.path + "-merged", "--quiet"])
        XCTAssertEqual(typo.status, 74, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("\(missing.path): error: no such folder; give the --out folders of finished "
            + "`run --shard I/N` runs"), typo.stderr)
        // A shard's run.sqlite given for its folder is a file, not a folder, and its folder is named (a hostile review:
        // "holds no run store").
        let store = shard.appendingPathComponent("run.sqlite")
        let file = try run(["merge", store.path, "--out", folder.path + "-merged", "--quiet"])
        XCTAssertEqual(file.status, 65, file.stderr)
        XCTAssertTrue(file.stderr.contains("\(store.path): error: is a file, not a folder; give the --out folders of finished "
            + "`run --shard I/N` runs (the folder holding this run.sqlite: \(shard.path))"), file.stderr)
    }

    /// Hostile review: a finished shard printed its --out folder raw (an ESC sequence in the name reached the terminal).
    func testAFinishedShardNamesItsFolderEscaped() throws {
        let scratch = try scratchDirectory()
        let shard = scratch.appendingPathComponent("shard\u{1b}[31m")
        let made = try run(Self.fixtureRunArguments(out: shard, samples: 1, maxNewTokens: 2, extra: ["--shard", "1/1"]))
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stdout.hasPrefix("shard 1/1 of the audit is complete in \(scratch.path)/shard\\u{1b}[31m/run.sqlite\n"),
                      made.stdout)
        XCTAssertFalse((made.stdout + made.stderr).contains("\u{1b}"), (made.stdout + made.stderr).debugDescription)
    }

    func testAnalyzeRefusesARunsFolderAndNamesAnInterruptedRun() throws {
        let scratch = try scratchDirectory()
        let first = scratch.appendingPathComponent("first"), second = scratch.appendingPathComponent("second")
        for folder in [first, second] {
            let made = try run(Self.fixtureRunArguments(out: folder, samples: 1, maxNewTokens: 2, extra: ["--format", "json"]))
            XCTAssertEqual(made.status, 0, made.stderr)
        }
        let files = ["results.json", "completions.jsonl"].map { second.appendingPathComponent($0) }
        let before = try files.map(digest)
        let refused = try run(["analyze", first.path, "--out", second.path, "--format", "json"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is the folder of a `biasaudit run` or `merge` (it holds run.sqlite)"), refused.stderr)
        // The folder it names is a sibling, not RUN/reanalysis (which `analyze RUN` writes, replacing it).
        XCTAssertTrue(refused.stderr.contains("give another folder with --out, e.g. --out \(second.path)-analysis"), refused.stderr)
        XCTAssertEqual(try files.map(digest), before, "the run's files are kept")
        // `report` of another audit's results into a run's folder (its reports would no longer match its results);
        // the run's own results re-rendered in place are fine.
        let foreign = try run(["report", first.appendingPathComponent("results.json").path, "--format", "json,md",
                               "--out", second.path])
        XCTAssertEqual(foreign.status, 64, foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("whose results are not"), foreign.stderr)
        XCTAssertEqual(try files.map(digest), before, "the run's files are kept")
        let own = try run(["report", second.appendingPathComponent("results.json").path, "--format", "md"])
        XCTAssertEqual(own.status, 0, own.stderr)
        // Its own default folder (RUN/reanalysis) is fine.
        let reanalysed = try run(["analyze", first.path, "--format", "json"])
        XCTAssertEqual(reanalysed.status, 0, reanalysed.stderr)

        // A run's store without its files: the run did not finish.
        let interrupted = scratch.appendingPathComponent("interrupted")
        try FileManager.default.createDirectory(at: interrupted, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: first.appendingPathComponent("run.sqlite"), to: interrupted.appendingPathComponent("run.sqlite"))
        let unfinished = try run(["analyze", interrupted.path])
        XCTAssertEqual(unfinished.status, 64, unfinished.stderr)
        XCTAssertTrue(unfinished.stderr.contains("its run did not finish"), unfinished.stderr)
        XCTAssertTrue(unfinished.stderr.contains("run the same `biasaudit run` command again"), unfinished.stderr)
        // Nor may an analysis land in it (review: it did, and the folder then read as a finished run).
        let into = try run(["analyze", first.path, "--out", interrupted.path, "--format", "json"])
        XCTAssertEqual(into.status, 64, into.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: interrupted.path), ["run.sqlite"])
    }

    /// Review: `analyze --out DIR` replaced the user's own DIR/completions.jsonl (the file the README's notebook loop
    /// writes), a narrower `--format` left the earlier analysis' report.md beside the new results, and `report --out`
    /// put reports of one audit beside another's results.json.
    func testAnalyzeKeepsTheUsersCompletionsAndNoReportOutlivesItsResults() throws {
        let scratch = try scratchDirectory()
        let first = scratch.appendingPathComponent("two-tokens"), second = scratch.appendingPathComponent("three-tokens")
        for (folder, tokens) in [(first, 2), (second, 3)] {
            let made = try run(Self.fixtureRunArguments(out: folder, samples: 1, maxNewTokens: tokens, extra: ["--format", "json"]))
            XCTAssertEqual(made.status, 0, made.stderr)
        }
        // The user's own completions.jsonl, with no results.json beside it, is not analyze's to replace.
        let notebook = scratch.appendingPathComponent("notebook")
        try FileManager.default.createDirectory(at: notebook, withIntermediateDirectories: true)
        let own = notebook.appendingPathComponent("completions.jsonl")
        try FileManager.default.copyItem(at: first.appendingPathComponent("completions.jsonl"), to: own)
        let before = try digest(own)
        let refused = try run(["analyze", second.path, "--out", notebook.path])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("holds a completions.jsonl that is not the output of `biasaudit analyze` (no "
            + "results.json beside it, or no scored records): a file of yours"), refused.stderr)
        XCTAssertEqual(try digest(own), before, "the user's completions are kept")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: notebook.path), ["completions.jsonl"])
        // Nor may `report --format …,json` put results beside it (second review: they then read as one audit).
        let paired = try run(["report", second.appendingPathComponent("results.json").path, "--out", notebook.path,
                              "--format", "md,json"])
        XCTAssertEqual(paired.status, 64, paired.stderr)
        XCTAssertTrue(paired.stderr.contains("holds a completions.jsonl without results.json"), paired.stderr)
        // With a results.json beside it, lines without biasaudit's scores are still the user's (second review).
        let notebookLines = try String(contentsOf: first.appendingPathComponent("completions.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { line -> String in
                var object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                object["scores"] = nil
                return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            }
        try Data((notebookLines.joined(separator: "\n") + "\n").utf8).write(to: own)
        try FileManager.default.copyItem(
            at: first.appendingPathComponent("results.json"), to: notebook.appendingPathComponent("results.json"))
        let unscored = try run(["analyze", second.path, "--out", notebook.path, "--format", "json"])
        XCTAssertEqual(unscored.status, 64, unscored.stderr)
        XCTAssertTrue(unscored.stderr.contains("a file of yours"), unscored.stderr)
        try FileManager.default.removeItem(at: notebook.appendingPathComponent("results.json"))
        try FileManager.default.removeItem(at: own)
        try FileManager.default.copyItem(at: first.appendingPathComponent("completions.jsonl"), to: own)

        // A second analysis with fewer formats removes the report that described the first one, and says so.
        let analysis = scratch.appendingPathComponent("analysis")
        let earlier = try run(["analyze", first.path, "--out", analysis.path, "--format", "json,md,html"])
        XCTAssertEqual(earlier.status, 0, earlier.stderr)
        let again = try run(["analyze", first.path, "--out", analysis.path, "--format", "json,md,html"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stderr.contains("removed"), "the same results again: nothing is stale. \(again.stderr)")
        let later = try run(["analyze", second.path, "--out", analysis.path, "--format", "json,html"])
        XCTAssertEqual(later.status, 0, later.stderr)
        let report = analysis.appendingPathComponent("report.md")
        XCTAssertTrue(later.stderr.contains("biasaudit: note: removed \(report.path): it described the results this "
            + "command replaced"), later.stderr)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: analysis.path).sorted(),
            ["completions.jsonl", "report.html", "results.json"])

        // `report` of other results into that folder is refused; of a byte-for-byte copy of its results, it is not.
        let foreign = try run(["report", first.appendingPathComponent("results.json").path, "--out", analysis.path])
        XCTAssertEqual(foreign.status, 64, foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("holds another audit's results.json (not a copy of"), foreign.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: report.path))
        let copy = scratch.appendingPathComponent("copy.json")
        try FileManager.default.copyItem(at: analysis.appendingPathComponent("results.json"), to: copy)
        let rendered = try run(["report", copy.path, "--out", analysis.path, "--format", "md"])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: report.path))

        // Second review: the same audit again with fewer formats keeps its reports (its results differ in timing and
        // command line only); `report --format json` of other results removes the reports it did not write; a copy
        // `report` wrote itself (encoded anew) is that folder's results.
        let narrower = try run(["analyze", second.path, "--out", analysis.path, "--format", "json"])
        XCTAssertEqual(narrower.status, 0, narrower.stderr)
        XCTAssertFalse(narrower.stderr.contains("removed"), narrower.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: report.path), "the same audit's report is kept")
        let reports = scratch.appendingPathComponent("reports")
        let firstResults = first.appendingPathComponent("results.json").path
        XCTAssertEqual(try run(["report", firstResults, "--out", reports.path, "--format", "html,md,json"]).status, 0)
        let replaced = try run(["report", second.appendingPathComponent("results.json").path, "--out", reports.path,
                                "--format", "json"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(replaced.stderr.contains("removed \(reports.path)/report.html"), replaced.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: reports.path), ["results.json"])
        let reencoded = scratch.appendingPathComponent("re-encoded")
        XCTAssertEqual(try run(["report", firstResults, "--out", reencoded.path, "--format", "json"]).status, 0)
        let again2 = try run(["report", firstResults, "--out", reencoded.path])
        XCTAssertEqual(again2.status, 0, "biasaudit's own copy of the same results: \(again2.stderr)")
    }

    /// A hostile review: `analyze --out DIR` (and `report … --format json`) over a folder holding a results.json of the
    /// user's (not biasaudit's results) replaced it and deleted the report.html and report.md beside it, exit 0, saying
    /// they "described the results this command replaced". Such a folder is refused, and every file in it kept.
    func testAResultsJSONThatIsNotAnAuditsIsNeverReplaced() throws {
        let scratch = try scratchDirectory()
        let source = try smallResults(in: scratch)
        let completions = URL(fileURLWithPath: source).deletingLastPathComponent().path
        let folder = scratch.appendingPathComponent("thesis")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = ["results.json": "{\"accuracy\": 0.93}\n", "report.html": "<h1>My figures</h1>\n", "report.md": "# notes\n"]
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        func kept(_ label: String) throws {
            for (name, text) in files {
                let held = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                XCTAssertEqual(held, text, "\(label): \(name) is kept")
            }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), files.keys.sorted(), label)
        }
        for format in ["json", "json,html,md", "html"] {
            let analysed = try run(["analyze", completions, "--out", folder.path, "--format", format])
            XCTAssertEqual(analysed.status, 64, "analyze --format \(format): \(analysed.stderr)")
            XCTAssertTrue(analysed.stderr.contains("--out \(folder.path) holds a results.json that biasaudit cannot read as an "
                + "audit's results (a file of yours, results damaged or edited, or results of a newer biasaudit; "
                + "`biasaudit report` on it says why), which analyze would replace, with the report.html and report.md "
                + "beside it; give another folder with --out, or move it away"), analysed.stderr)
            try kept("analyze --format \(format)")
            let reported = try run(["report", source, "--out", folder.path, "--format", format])
            XCTAssertEqual(reported.status, 64, "report --format \(format): \(reported.stderr)")
            XCTAssertTrue(reported.stderr.contains(format.contains("json") ? "which report would replace"
                : "beside which report would write reports of other results"), reported.stderr)
            try kept("report --format \(format)")
        }
    }

    /// Review: `report`'s default output is report.html and report.md without results.json, and only folders holding
    /// results.json were checked: `run --out` and `analyze --out` into it replaced both reports with exit 0, and
    /// `report B --format md` into it left report.md of B beside report.html of A.
    func testAFolderOfReportsIsNotOverwrittenWithoutAWord() throws {
        let scratch = try scratchDirectory()
        let a = Fixtures.url("gate/current/results.json").path
        let b = Fixtures.url("gate/baseline/results.json").path
        let handout = scratch.appendingPathComponent("handout")
        let made = try run(["report", a, "--out", handout.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let reports = ["report.html", "report.md"].map { handout.appendingPathComponent($0) }
        let before = try reports.map(digest)

        // (a) run: exit 65, naming the files and what to do; nothing is written.
        let ran = try run(Self.fixtureRunArguments(out: handout, samples: 1, maxNewTokens: 2))
        XCTAssertEqual(ran.status, 65, ran.stderr)
        XCTAssertTrue(ran.stderr.contains("\(handout.path): error: this folder holds report.html and report.md but no "
            + "run.sqlite: another command's output (`analyze`, `report`) or files put there by hand, which this run would "
            + "replace; give another folder with --out, or move those files away (or delete them)"), ran.stderr)
        XCTAssertEqual(try reports.map(digest), before, "the reports are kept")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: handout.path).sorted(), ["report.html", "report.md"])

        // (b) analyze: exit 64, as its other refusals of a folder.
        let source = scratch.appendingPathComponent("source-run")
        XCTAssertEqual(try run(Self.fixtureRunArguments(out: source, samples: 1, maxNewTokens: 2,
                                                        extra: ["--format", "json"])).status, 0)
        let analysed = try run(["analyze", source.path, "--out", handout.path])
        XCTAssertEqual(analysed.status, 64, analysed.stderr)
        XCTAssertTrue(analysed.stderr.contains("--out \(handout.path) holds report.html and report.md but no results.json: "
            + "the output of `biasaudit report` or files of yours, describing other results, which analyze would replace; "
            + "give another folder with --out, or move those files away (or delete them)"), analysed.stderr)
        XCTAssertEqual(try reports.map(digest), before, "the reports are kept")

        // (c) report of other results writing one report only: the other would describe A beside B's.
        let narrower = try run(["report", b, "--format", "md", "--out", handout.path])
        XCTAssertEqual(narrower.status, 64, narrower.stderr)
        XCTAssertTrue(narrower.stderr.contains("--out \(handout.path) holds report.html but no results.json: a report of "
            + "results that cannot be told"), narrower.stderr)
        XCTAssertTrue(narrower.stderr.contains("give another folder with --out, add html to --format to write it again, "
            + "or move it away (or delete it)"), narrower.stderr)
        XCTAssertEqual(try reports.map(digest), before, "the reports are kept")
        // `--format md,json` would leave report.html beside B's results just the same.
        let withResults = try run(["report", b, "--format", "md,json", "--out", handout.path])
        XCTAssertEqual(withResults.status, 64, withResults.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: handout.appendingPathComponent("results.json").path))

        // Kept: the same results re-rendered in place (every report written again), and in another language.
        let again = try run(["report", a, "--out", handout.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try reports.map(digest), before, "the same results render the same reports")
        let spanish = try run(["report", a, "--out", handout.path, "--lang", "es"])
        XCTAssertEqual(spanish.status, 0, spanish.stderr)
        // A folder holding only report.md takes report.md again.
        let single = scratch.appendingPathComponent("single")
        XCTAssertEqual(try run(["report", a, "--format", "md", "--out", single.path]).status, 0)
        XCTAssertEqual(try run(["report", a, "--format", "md", "--out", single.path]).status, 0)
        // Code review: the reports beside the RESULTS file they render are that file's: one re-rendered is fine.
        let own = scratch.appendingPathComponent("own")
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        let copied = own.appendingPathComponent("baseline.json")
        try FileManager.default.copyItem(atPath: a, toPath: copied.path)
        XCTAssertEqual(try run(["report", copied.path]).status, 0)
        let rerendered = try run(["report", copied.path, "--format", "md", "--lang", "es"])
        XCTAssertEqual(rerendered.status, 0, rerendered.stderr)
    }

    /// A second Ctrl-C quits at once with exit 130 and a resume hint, without waiting for the batch in flight and
    /// without a crash (the crash seen in review could not be reproduced on purpose), and the same command then
    /// completes the run.
    func testASecondInterruptQuitsAtOnceAndTheRunResumes() throws {
        try interruptARunAndResume(folder: "interrupt", status: 130, message: "biasaudit: quitting; the completions made so far are stored in ") { process, errorText, deadline in
            // The first Ctrl-C once the first model's completions are being made: one during its next-token
            // probabilities stops between two prompts, often before a second one is sent (a CI failure). The second
            // after the first is seen (two at once merge into one pending signal), and later than a copy of the first
            // would come (`StopEchoes.window`, 0.1 s: `timeout -s INT` sends the signal twice).
            while process.isRunning, !errorText().contains("completions: 0/"), Date() < deadline {
                usleep(5_000)
            }
            kill(process.processIdentifier, SIGINT)
            while process.isRunning, !errorText().contains("stopping after the current batch"), Date() < deadline {
                usleep(5_000)
            }
            usleep(200_000)
            kill(process.processIdentifier, SIGINT)
        }
    }

    /// `report` had no stop handler: a Ctrl-C between two of its renames would leave a new results.json beside older
    /// reports. Stopped at delays across its whole life, each `report` into a folder holding an earlier (Spanish) set
    /// leaves either that set (stopped before the writing, as by default) or the new one, whole, with no temporary
    /// file; a stop during the writing says it finishes them first and exits 130.
    func testAStoppedReportLeavesOneWholeSetOfFiles() throws {
        let scratch = try scratchDirectory().appendingPathComponent("stopped-report")
        let results = try smallResults(in: scratch)
        let names = ["report.html", "report.md", "results.json"]
        func files(_ folder: URL) throws -> [Data] { try names.map { try digest(folder.appendingPathComponent($0)) } }
        let arguments = ["--format", "md,html,json", "--out"]
        let reference = scratch.appendingPathComponent("reference")
        XCTAssertEqual(try run(["report", results] + arguments + [reference.path]).status, 0)
        let older = scratch.appendingPathComponent("older")
        XCTAssertEqual(try run(["report", results, "--lang", "es"] + arguments + [older.path]).status, 0)
        let (new, old) = (try files(reference), try files(older))
        XCTAssertNotEqual(new, old)
        var outcomes: [String: Int] = [:]
        for step in 0..<20 {
            let folder = scratch.appendingPathComponent("stopped-\(step)")
            try FileManager.default.copyItem(at: older, to: folder)
            let errors = Pipe()
            let process = try started(["report", results] + arguments + [folder.path], standardError: errors)
            usleep(UInt32(step) * 30_000)
            kill(process.processIdentifier, SIGINT)
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let left = try files(folder)
            let listing = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            XCTAssertEqual(listing, names, "a temporary file was left after a stop at \(step * 30) ms")
            let outcome: String
            if process.terminationReason == .uncaughtSignal {
                outcome = "before"
                XCTAssertEqual(left, old, "stopped before the writing at \(step * 30) ms, yet the files changed")
            } else if process.terminationStatus == 0 {
                outcome = "finished"
                XCTAssertEqual(left, new, stderr)
            } else {
                XCTAssertEqual(process.terminationStatus, 130, stderr)
                XCTAssertEqual(left, new, "stopped at \(step * 30) ms: the files are not the new set: \(stderr)")
                if stderr.contains("while writing the files in \(folder.path), which takes a moment; they are finished "
                    + "first") {
                    outcome = "during"
                    XCTAssertTrue(stderr.contains("biasaudit: interrupted; the files in \(folder.path) were written first "
                        + "and are complete"), stderr)
                } else {
                    outcome = "after"
                    XCTAssertTrue(stderr.contains("biasaudit: interrupted; the files in \(folder.path) are written and "
                        + "complete"), stderr)
                }
            }
            outcomes[outcome, default: 0] += 1
        }
        // The delays span the command: most stops fall in the rendering and writing, which is most of its time.
        XCTAssertGreaterThan(outcomes["during", default: 0], 0, "no stop fell during the writing: \(outcomes)")
    }

    /// A review: the handlers were installed by setting SIG_IGN first, and a stop in the moment before libdispatch's own
    /// handler replaced it was discarded (`report` then finished with exit 0). The process never ignores a stopping
    /// signal now (read from /proc while it runs), and a stop sent the moment its handler shows is never lost.
    func testAStopAsTheHandlersAreInstalledIsNeverLost() throws {
        let scratch = try scratchDirectory().appendingPathComponent("handler-race")
        let results = try smallResults(in: scratch)
        let stopping: UInt64 = (1 << UInt64(SIGINT - 1)) | (1 << UInt64(SIGTERM - 1)) | (1 << UInt64(SIGHUP - 1))
        /// The process's mask of ignored (`SigIgn`) or caught (`SigCgt`) signals, nil once it is gone.
        func mask(_ pid: Int32, _ field: String) -> UInt64? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                  let hex = line.split(separator: "\t").last else { return nil }
            return UInt64(hex.trimmingCharacters(in: .whitespaces), radix: 16)
        }
        var sends = 0
        for (step, signal) in [SIGINT, SIGTERM, SIGHUP, SIGINT].enumerated() {
            let process = try started(
                ["report", results, "--format", "md,json", "--out", scratch.appendingPathComponent("out-\(step)").path],
                standardError: FileHandle.nullDevice)
            var ignored = false
            var sent = false
            while process.isRunning, let ignoring = mask(process.processIdentifier, "SigIgn") {
                if ignoring & stopping != 0 { ignored = true }
                if let caught = mask(process.processIdentifier, "SigCgt"), caught & (1 << UInt64(signal - 1)) != 0 {
                    kill(process.processIdentifier, signal)
                    sent = true
                    break
                }
            }
            process.waitUntilExit()
            XCTAssertFalse(ignored, "the process ignored a stopping signal while installing its handlers")
            guard sent else { continue }  // it ended before the probe saw the handler
            sends += 1
            XCTAssertFalse(process.terminationReason == .exit && process.terminationStatus == 0,
                           "signal \(signal) sent as its handler appeared was lost: exit 0")
        }
        XCTAssertGreaterThan(sends, 0, "the probe never saw a handler: nothing was tested")
    }

    /// The results.json of a one-sample run of the fixture models made in `scratch`/source.
    private func smallResults(in scratch: URL) throws -> String {
        let source = scratch.appendingPathComponent("source")
        let made = try run(Self.fixtureRunArguments(out: source, samples: 1, maxNewTokens: 2, extra: ["--format", "json"]))
        XCTAssertEqual(made.status, 0, made.stderr)
        return source.appendingPathComponent("results.json").path
    }

    /// biasaudit started with `arguments` (standard output discarded), not waited for; through `/bin/sh` after `shell`
    /// when given (`trap '' HUP`, as `nohup` starts it).
    private func started(_ arguments: [String], standardError: Any, through shell: String? = nil) throws -> Process {
        let process = Process()
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(shell); exec \"$0\" \"$@\"", CLI.executable.path] + arguments
        } else {
            process.executableURL = CLI.executable
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(hub.environment) { $1 }
        process.standardError = standardError
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Review: SIGTERM (`timeout`, `docker stop`, a cancelled CI job) ended a run with exit 143 and no word.
    func testSIGTERMQuitsAtOnceSayingHowToResume() throws {
        try interruptARunAndResume(folder: "terminate", status: 143, message: "biasaudit: terminated (SIGTERM); the "
            + "completions made so far are stored in ") { process, _, _ in
            kill(process.processIdentifier, SIGTERM)
        }
    }

    /// A hostile review: SIGHUP (the terminal or SSH session closed) ended a run with exit 129 and no word.
    func testSIGHUPQuitsAtOnceSayingHowToResume() throws {
        try interruptARunAndResume(folder: "hangup", status: 129, message: "biasaudit: terminated (SIGHUP: the terminal "
            + "closed); the completions made so far are stored in ") { process, _, _ in
            kill(process.processIdentifier, SIGHUP)
        }
    }

    /// A review: once `run` handled SIGHUP, `nohup biasaudit run …` (which starts it with SIGHUP ignored) was ended by the
    /// terminal closing. A signal the process inherits as ignored stays ignored: the run goes on to its results.
    func testARunStartedWithSIGHUPIgnoredKeepsRunningThroughIt() throws {
        let out = try scratchDirectory().appendingPathComponent("nohup")
        // As `nohup` starts it: SIGHUP ignored, then exec.
        let (process, errorText) = try startALongRun(out: out, folder: "nohup", through: "trap '' HUP")
        kill(process.processIdentifier, SIGHUP)
        process.waitUntilExit()
        let stderr = errorText()
        XCTAssertEqual(process.terminationReason, .exit, stderr)
        XCTAssertEqual(process.terminationStatus, 0, "SIGHUP ended a run started with it ignored: \(stderr)")
        XCTAssertFalse(stderr.contains("terminated"), stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("results.json").path))
    }

    /// Starts a run whose batches are long enough (192 completions of up to 64 tokens: 12 prompts × 2 models × 8
    /// samples, one batch per model) that signals arrive mid-batch, calls `interrupt` once its store exists, then
    /// requires exit `status` with `message` and no crash, and resumes it to the end with the same command.
    private func interruptARunAndResume(
        folder: String, status: Int32, message: String,
        interrupt: (Process, () -> String, Date) -> Void
    ) throws {
        let out = try scratchDirectory().appendingPathComponent(folder)
        let arguments = Self.runArguments(out: out)
        let (process, errorText) = try startALongRun(out: out, folder: folder)
        let deadline = Date().addingTimeInterval(120)
        interrupt(process, errorText, deadline)
        process.waitUntilExit()
        let stderr = errorText()
        XCTAssertEqual(process.terminationReason, .exit, stderr)
        XCTAssertEqual(process.terminationStatus, status, stderr)
        XCTAssertTrue(stderr.contains(message), "it did not quit at once: \(stderr)")
        // The stop line names the run store, as the first Ctrl-C's does.
        XCTAssertTrue(stderr.contains(message + out.path + "/run.sqlite; run the same command again to resume"), stderr)
        XCTAssertFalse(stderr.contains("Segmentation") || stderr.contains("Crash"), stderr)
        let resumed = try run(arguments)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("results.json").path))
    }

    /// Without `--quiet`: the progress lines tell the tests which phase the run is in.
    private static func runArguments(out: URL) -> [String] {
        fixtureRunArguments(out: out, samples: 8, maxNewTokens: 64, extra: ["--format", "json"]).filter { $0 != "--quiet" }
    }

    /// Starts the long run of ``interruptARunAndResume(folder:status:message:interrupt:)`` into `out` (through `shell`:
    /// ``started(_:standardError:through:)``), and returns once its store exists.
    /// - Returns: the process and a reader of its standard error so far.
    private func startALongRun(out: URL, folder: String, through shell: String? = nil) throws -> (Process, () -> String) {
        // Standard error through a file: the child writes it while the test only waits.
        let errorFile = try scratchDirectory().appendingPathComponent("\(folder).stderr")
        XCTAssertTrue(FileManager.default.createFile(atPath: errorFile.path, contents: nil), "cannot create \(errorFile.path)")
        let errors = try FileHandle(forWritingTo: errorFile)
        let process = try started(Self.runArguments(out: out), standardError: errors, through: shell)
        try? errors.close()
        let store = out.appendingPathComponent("run.sqlite")
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, !FileManager.default.fileExists(atPath: store.path), Date() < deadline {
            usleep(20_000)
        }
        usleep(200_000)
        XCTAssertTrue(process.isRunning, "the run ended before it was interrupted; give it more samples")
        return (process, { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" })
    }
}
