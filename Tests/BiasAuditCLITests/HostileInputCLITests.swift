import Foundation
import TestSupport
import XCTest

/// The built binary on hostile inputs (issue 15, "Crashes, hangs, leaks"): special files, secrets in error
/// messages, write failures, outputs that would overwrite inputs, out-of-range results and sizes.
final class HostileInputCLITests: XCTestCase {
    private var directory: URL!
    private let gate = Fixtures.url("gate")
    private let secret = "hostile-secret-\(UInt32.random(in: 0...UInt32.max))"

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("hostile-input")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a shell script with `$B` the built binary, in the test's directory (for redirections that
    /// `Process` cannot express: `>&-`, `>/dev/full`, pipes).
    private func shell(_ script: String, environment: [String: String] = [:]) throws -> CommandResult {
        try CLI.run(
            ["-c", "B='\(CLI.executable.path)'; \(script)"], environment: environment, currentDirectory: directory,
            executable: URL(fileURLWithPath: "/bin/bash"))
    }

    /// A copy of the tiny model with real files (the fixture's tokenizer files are symlinks).
    private func modelCopy() throws -> URL {
        let model = directory.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(
                at: Fixtures.url("models/tiny-gpt2/\(name)").resolvingSymlinksInPath(), to: model.appendingPathComponent(name))
        }
        return model
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func assertShort(_ result: CommandResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.stderr.contains(secret), "the secret leaked:\n\(result.stderr)", file: file, line: line)
        XCTAssertLessThan(result.stderr.count, 2500, result.stderr, file: file, line: line)
    }

    // MARK: - Special files and secrets

    func testMergesSymlinkedToProcEnvironIsRefusedWithoutPrintingIt() throws {
        let model = try modelCopy()
        try FileManager.default.removeItem(at: model.appendingPathComponent("merges.txt"))
        try FileManager.default.createSymbolicLink(atPath: model.appendingPathComponent("merges.txt").path,
                                                   withDestinationPath: "/proc/self/environ")
        let result = try CLI.run(["next-token", "--model", model.path, "hi"], environment: ["HOSTILE_SECRET": secret])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("merges.txt: error: merges.txt is a kernel pseudo-file"), result.stderr)
        assertShort(result)
    }

    /// The file named in the message is a file (a review: "the model weights is a FIFO").
    func testWeightsFIFOAndMergesDeviceAreNamedAsFiles() throws {
        let model = try modelCopy()
        try FileManager.default.removeItem(at: model.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(mkfifo(model.appendingPathComponent("model.safetensors").path, 0o600), 0)
        let weights = try CLI.run(["next-token", "--model", model.path, "hi"])
        XCTAssertEqual(weights.status, 65, weights.stderr)
        XCTAssertTrue(weights.stderr.contains("model.safetensors: error: the model weights file is a FIFO (named pipe), not a "
            + "regular file"), weights.stderr)
        try FileManager.default.removeItem(at: model.appendingPathComponent("merges.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: model.appendingPathComponent("merges.txt").path, withDestinationPath: "/dev/zero")
        let merges = try CLI.run(["tokenize", "--model", model.path, "hi"])
        XCTAssertEqual(merges.status, 65, merges.stderr)
        XCTAssertTrue(merges.stderr.contains("merges.txt: error: the tokenizer file merges.txt is a character device, not a regular file"),
                      merges.stderr)
    }

    func testPromptSetAndPolicySymlinkedToProcEnvironAreRefusedAndTheJUnitFileHoldsNoSecret() throws {
        try FileManager.default.createSymbolicLink(atPath: path("set.yaml"), withDestinationPath: "/proc/self/environ")
        let lint = try CLI.run(["lint", "set.yaml", "--junit", "lint.xml"], environment: ["HOSTILE_SECRET": secret],
                               currentDirectory: directory)
        XCTAssertEqual(lint.status, 65, lint.stderr)
        XCTAssertTrue(lint.stderr.contains("set.yaml: error: the prompt set is a kernel pseudo-file"), lint.stderr)
        assertShort(lint)
        let junit = try String(contentsOf: directory.appendingPathComponent("lint.xml"), encoding: .utf8)
        XCTAssertFalse(junit.contains(secret), junit)

        try FileManager.default.createSymbolicLink(atPath: path("policy.yaml"), withDestinationPath: "/proc/self/environ")
        let check = try CLI.run(
            ["check", gate.appendingPathComponent("current/results.json").path, "--policy", "policy.yaml"],
            environment: ["HOSTILE_SECRET": secret], currentDirectory: directory)
        XCTAssertEqual(check.status, 65, check.stderr)
        XCTAssertTrue(check.stderr.contains("policy.yaml: error: the policy file is a kernel pseudo-file"), check.stderr)
        assertShort(check)
    }

    func testAFIFOAsInputIsRefusedWithoutHanging() throws {
        XCTAssertEqual(mkfifo(path("set.yaml"), 0o600), 0)
        let result = try CLI.run(["lint", "set.yaml"], currentDirectory: directory)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("set.yaml: error: the prompt set is a FIFO (named pipe), not a regular file"),
                      result.stderr)
        XCTAssertFalse(result.stderr.contains("permission"), result.stderr)
        let score = try CLI.run(["score", "--jsonl", "set.yaml"], currentDirectory: directory)
        XCTAssertEqual(score.status, 65, score.stderr)
        XCTAssertTrue(score.stderr.contains("the JSON Lines input is a FIFO (named pipe)"), score.stderr)
    }

    /// Practitioner's review: a FIFO completions.jsonl beside a results file was refused with "name a regular file",
    /// though the user named only the results; the message says where the file comes from and what to do.
    func testAFIFOCompletionsFileBesideTheResultsSaysWhatToDo() throws {
        for side in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: path(side), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: gate.appendingPathComponent(side == "a" ? "baseline/results.json" : "current/results.json").path,
                toPath: path("\(side)/results.json"))
        }
        XCTAssertEqual(mkfifo(path("b/completions.jsonl"), 0o600), 0)
        let result = try CLI.run(["diff", "a/results.json", "b/results.json"], currentDirectory: directory)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("b/completions.jsonl: error: the completions file beside the results is a FIFO "
            + "(named pipe), not a regular file; diff and check read the completions.jsonl beside a results file: put the "
            + "run's own completions.jsonl there, or remove that one"), result.stderr)
        XCTAssertFalse(result.stderr.contains("name a regular file"), result.stderr)
        // Review: a completions.jsonl linked in a loop was taken for no file, and the comparison fell back silently.
        try FileManager.default.removeItem(atPath: path("b/completions.jsonl"))
        try FileManager.default.createSymbolicLink(atPath: path("b/completions.jsonl"), withDestinationPath: "completions.jsonl")
        let loop = try CLI.run(["diff", "a/results.json", "b/results.json"], currentDirectory: directory)
        XCTAssertEqual(loop.status, 65, loop.stderr)
        XCTAssertTrue(loop.stderr.contains("b/completions.jsonl: error: the completions file beside the results is a symbolic "
            + "link that leads in a loop (too many levels of symbolic links); diff and check read the completions.jsonl "
            + "beside a results file"), loop.stderr)
        // Nor is a link to nothing taken for no file (a hostile review).
        try FileManager.default.removeItem(atPath: path("b/completions.jsonl"))
        try FileManager.default.createSymbolicLink(atPath: path("b/completions.jsonl"), withDestinationPath: "gone.jsonl")
        let dangling = try CLI.run(["diff", "a/results.json", "b/results.json"], currentDirectory: directory)
        XCTAssertEqual(dangling.status, 65, dangling.stderr)
        XCTAssertTrue(dangling.stderr.contains("b/completions.jsonl: error: the completions file beside the results is a "
            + "symbolic link to a file that does not exist; diff and check read the completions.jsonl"), dangling.stderr)
        // Nor a results file, a prompt set or a policy given as such a link (a hostile review: "no such file; check the
        // path"), with the exit code of a missing file.
        try FileManager.default.createSymbolicLink(atPath: path("gone.json"), withDestinationPath: "nowhere/results.json")
        for (arguments, what) in [(["report", "gone.json"], "the results file"), (["lint", "gone.json"], "the prompt set"),
                                  (["check", "a/results.json", "--policy", "gone.json"], "the policy file")] {
            let refused = try CLI.run(arguments, currentDirectory: directory)
            XCTAssertEqual(refused.status, 74, "\(arguments): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("gone.json: error: \(what) is a symbolic link to a file that does not exist "
                + "('nowhere/results.json'); make it point at the file, or give the file itself"), "\(arguments): \(refused.stderr)")
        }
    }

    /// A review: `diff n0/results.json n1/run.sqlite` was told of "a NUL byte … save a UTF-16 file as UTF-8". A run's store
    /// (or any SQLite database) given as any input is said to be one, with what to give, by the one reader of inputs
    /// (`InputFile.read`), also when it is larger than the input's limit; `analyze` names the run's folder to give.
    func testAnSQLiteDatabaseGivenAsAnyInputIsSaidToBeOne() throws {
        let header = Data("SQLite format 3\u{0}".utf8)
        try (header + Data(count: 4096)).write(to: directory.appendingPathComponent("run.sqlite"))
        // Larger than a policy's or a prompt set's 8 MiB: its kind, not its size, is said.
        try (header + Data(count: 9 << 20)).write(to: directory.appendingPathComponent("big.sqlite"))
        let results = gate.appendingPathComponent("current/results.json").path
        let store = "an SQLite database (biasaudit's run store, run.sqlite, or another)"
        let cases: [(arguments: [String], message: String)] = [
            (["diff", results, "run.sqlite"], "run.sqlite: error: this is \(store), not the results file: a run's folder "
                + "holds its results.json and completions.jsonl beside run.sqlite; give one of those"),
            (["check", "run.sqlite", "--policy", gate.appendingPathComponent("policies/pass.yaml").path],
             "run.sqlite: error: this is \(store), not the results file"),
            // Review 80: what is not a run's output is not sent to the run's folder ("give the policy file instead").
            (["check", results, "--policy", "big.sqlite"], "big.sqlite: error: this is \(store), not the policy file: the "
                + "policy file is a text file; check the path"),
            (["lint", "big.sqlite"], "big.sqlite: error: this is \(store), not the prompt set"),
            (["score", "--jsonl", "run.sqlite"], "run.sqlite: error: this is \(store), not the JSON Lines input"),
            (["report", "run.sqlite", "--out", "out"], "run.sqlite: error: this is \(store), not the results file"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(arguments, currentDirectory: directory)
            XCTAssertEqual(result.status, 65, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("NUL"), "\(arguments): \(result.stderr)")
        }
        // As the completions, before anything else: once called a prompt set (its schema has a line `groups…`).
        let setPath = Fixtures.url("analyze/two-groups.yaml").path
        let analyze = try CLI.run(["analyze", "run.sqlite", setPath, "--out", "analysed"], currentDirectory: directory)
        XCTAssertEqual(analyze.status, 64, analyze.stderr)
        // The folder as the process sees it (a temporary directory may be reached through a symbolic link).
        XCTAssertTrue(analyze.stderr.contains("run.sqlite is \(store), not completions; give a run's folder (biasaudit "
            + "analyze "), analyze.stderr)
        XCTAssertTrue(analyze.stderr.contains(") or a completions file (JSON Lines) and its prompt sets"), analyze.stderr)
        XCTAssertFalse(analyze.stderr.contains("prompt set, not completions"), analyze.stderr)
        // And as a prompt set beside a completions file.
        try Data("{\"set\": \"x\", \"group\": \"g\", \"model\": \"m\", \"sample_index\": 0, \"text\": \"t\"}\n".utf8)
            .write(to: directory.appendingPathComponent("c.jsonl"))
        let asSet = try CLI.run(["analyze", "c.jsonl", "run.sqlite", "--out", "analysed"], currentDirectory: directory)
        XCTAssertEqual(asSet.status, 65, asSet.stderr)
        XCTAssertTrue(asSet.stderr.contains("this is \(store), not the prompt set"), asSet.stderr)
    }

    func testADeviceAsResultsIsRefused() throws {
        let result = try CLI.run(["report", "/dev/zero", "--out", path("out")])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("/dev/zero: error: the results file is a character device"), result.stderr)
    }

    func testAMergesLineIsQuotedAsAShortExcerpt() throws {
        let model = try modelCopy()
        let merges = "#version: 0.2\n" + secret + String(repeating: "x", count: 500) + "\n"
        try Data(merges.utf8).write(to: model.appendingPathComponent("merges.txt"))
        let result = try CLI.run(["next-token", "--model", model.path, "hi"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("merges.txt:2: error:"), result.stderr)
        XCTAssertFalse(result.stderr.contains(String(repeating: "x", count: 100)), result.stderr)
    }

    // MARK: - Sizes

    func testHugeConfigSizesAreRefusedBeforeAllocating() throws {
        let model = try modelCopy()
        let configURL = model.appendingPathComponent("config.json")
        let original = try String(contentsOf: configURL, encoding: .utf8)
        for (key, value) in [("n_layer", "1000000000"), ("n_positions", "2147483648"), ("vocab_size", "1099511627776"),
                             ("n_embd", "4611686018427387904")] {
            let edited = original.replacingOccurrences(
                of: #""\#(key)": [0-9]+"#, with: "\"\(key)\": \(value)", options: .regularExpression)
            XCTAssertNotEqual(edited, original, key)
            try Data(edited.utf8).write(to: configURL)
            let result = try CLI.run(["next-token", "--model", model.path, "hi"])
            XCTAssertEqual(result.status, 65, "\(key): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("`\(key)` = \(value) is not supported"), result.stderr)
        }
    }

    func testHugeSampleAndTokenCountsAreUsageErrors() throws {
        for arguments in [["run", "--samples", "9223372036854775807"], ["run", "--max-new-tokens", "9223372036854775807"],
                          ["generate", "--model", "x", "hi", "--max-new-tokens", "100000"],
                          ["bench", "--arch", "gpt2", "--samples", "9223372036854775807"]] {
            let result = try CLI.run(arguments, currentDirectory: directory)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("must be between 1 and "), result.stderr)
        }
        let bench = try CLI.run(["bench", "--arch", "gpt2", "--repeat", "9223372036854775807"])
        XCTAssertEqual(bench.status, 64, bench.stderr)
        // Review: it overflowed completions × tokens and stopped the tool (exit 132).
        let audit = try CLI.run(["bench", "--arch", "gpt2", "--audit-completions", "9223372036854775807"])
        XCTAssertEqual(audit.status, 64, audit.stderr)
        XCTAssertTrue(audit.stderr.contains("--audit-completions must be between 1 and 1000000000, found 9223372036854775807"),
                      audit.stderr)
    }

    // MARK: - Write failures

    func testOutputToAFullDeviceIsExit74WithAMessage() throws {
        let score = try shell(#""$B" score "a fine day" >/dev/full"#)
        XCTAssertEqual(score.status, 74, score.stderr)
        XCTAssertTrue(score.stderr.contains("standard output: error: cannot write the output (No space left on device)"),
                      score.stderr)
        let model = Fixtures.url("models/tiny-gpt2").path
        let nextToken = try shell(#""$B" next-token --model '\#(model)' hi >/dev/full"#)
        XCTAssertEqual(nextToken.status, 74, nextToken.stderr)
    }

    func testClosedStandardStreamsNeverTrap() throws {
        let closedOut = try shell(#""$B" score "a fine day" >&-"#)
        XCTAssertEqual(closedOut.status, 74, closedOut.stderr)
        XCTAssertTrue(closedOut.stderr.contains("cannot write the output"), closedOut.stderr)
        let results = gate.appendingPathComponent("current/results.json").path
        let policy = gate.appendingPathComponent("policies/fail.yaml").path
        for script in [#""$B" lint /nonexistent.yaml 2>&-"#, #""$B" lint /nonexistent.yaml 2>/dev/full"#,
                       #""$B" check '\#(results)' --policy '\#(policy)' 2>&- >/dev/null"#,
                       #""$B" check '\#(results)' --policy '\#(policy)' 2>/dev/full >/dev/null"#,
                       #""$B" diff '\#(results)' '\#(results)' 2>&- >&-"#] {
            let result = try shell(script)
            XCTAssertTrue([1, 65, 74].contains(result.status), "\(script): \(result.status) \(result.stderr)")
        }
    }

    func testAClosedPipeEndsQuietly() throws {
        var lines = ""
        for index in 0..<20_000 { lines += "{\"text\": \"line \(index) is a fine day\"}\n" }
        try Data(lines.utf8).write(to: directory.appendingPathComponent("in.jsonl"))
        let result = try shell(#"set -o pipefail; "$B" score --jsonl in.jsonl | head -c 10 >/dev/null"#)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
    }

    /// Review: `wrote PATH` printed escape sequences and newlines of a folder name raw, and a JUnit file that could
    /// not be written was advised "--out", which check does not take.
    func testWrittenPathsAreEscapedAndAFailedJUnitNamesItsOption() throws {
        let folder = path("out\u{1B}[31mred\nline")
        let report = try CLI.run(
            ["report", gate.appendingPathComponent("current/results.json").path, "--format", "md", "--out", folder],
            currentDirectory: directory)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.hasPrefix("wrote "), report.stdout)
        XCTAssertFalse(report.stdout.contains("\u{1B}"), "an escape sequence reached the terminal: \(report.stdout)")
        XCTAssertEqual(report.stdout.split(separator: "\n").count, 1, report.stdout)
        // Invisible and look-alike characters too (a hostile review: U+200B, U+2060, U+00AD printed raw, so the folder
        // `o\u{200b}x` read as `ox`), in the `wrote` lines and in an error that names the folder.
        let hidden = path("o\u{200b}x\u{2060}y\u{ad}z\u{a0}w")
        let shown = directory.path + "/o\\u{200b}x\\u{2060}y\\u{ad}z\\u{a0}w"
        let written = try CLI.run(
            ["report", gate.appendingPathComponent("current/results.json").path, "--format", "md", "--out", hidden],
            currentDirectory: directory)
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(written.stdout, "wrote \(shown)/report.md\n")
        // No results.json there (only report.md was written): the error names it.
        let results = URL(fileURLWithPath: hidden).appendingPathComponent("results.json").path
        let refused = try CLI.run(["report", results, "--format", "md", "--out", hidden], currentDirectory: directory)
        XCTAssertNotEqual(refused.status, 0, refused.stderr)
        XCTAssertTrue(refused.stderr.contains(shown), "names \(shown): \(refused.stderr)")
        XCTAssertFalse(refused.stderr.unicodeScalars.contains { [0x200B, 0x2060, 0xAD].contains($0.value) }, refused.stderr)

        try Data("a file".utf8).write(to: directory.appendingPathComponent("plain"))
        let check = try CLI.run(
            ["check", gate.appendingPathComponent("current/results.json").path, "--policy",
             gate.appendingPathComponent("policies/pass.yaml").path, "--junit", path("plain/junit.xml")],
            currentDirectory: directory)
        XCTAssertEqual(check.status, 74, check.stderr)
        XCTAssertTrue(check.stderr.contains("(--junit)"), check.stderr)
        XCTAssertFalse(check.stderr.contains("--out"), check.stderr)
    }

    // MARK: - Outputs that are inputs

    func testOutputsThatWouldOverwriteAnInputAreRefused() throws {
        let results = path("R.json")
        try FileManager.default.copyItem(at: gate.appendingPathComponent("current/results.json"), to: URL(fileURLWithPath: results))
        let original = try Data(contentsOf: URL(fileURLWithPath: results))
        try FileManager.default.linkItem(atPath: results, toPath: path("hardlink.json"))
        try FileManager.default.createSymbolicLink(atPath: path("symlink.json"), withDestinationPath: results)
        try FileManager.default.copyItem(at: Fixtures.url("audit/small-set.yaml"), to: directory.appendingPathComponent("S.yaml"))
        let policy = gate.appendingPathComponent("policies/pass.yaml").path
        let commands: [[String]] = [
            ["check", "R.json", "--policy", policy, "--junit", "R.json"],
            ["check", "R.json", "--policy", policy, "--junit", "hardlink.json"],
            ["diff", "R.json", gate.appendingPathComponent("baseline/results.json").path, "--out", "symlink.json"],
            ["lint", "S.yaml", "--junit", "./S.yaml"],
            ["report", "run/results.json", "--format", "json"],
            ["report", "run/results.json", "--format", "html,json", "--out", "run"],
        ]
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("run"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: results, toPath: path("run/results.json"))
        for arguments in commands {
            let result = try CLI.run(arguments, currentDirectory: directory)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("would overwrite an input of this command"), result.stderr)
        }
        let run = try CLI.run(["run", "S.yaml", "--out", ".", "--model", "x"], currentDirectory: directory)
        XCTAssertEqual(run.status, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("S.yaml; the outputs would mix with the inputs: choose another folder"), run.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: results)), original)
    }

    // MARK: - Results out of range

    func testResultsWithImpossibleValuesAreRefusedNamingTheKey() throws {
        let text = try String(contentsOf: gate.appendingPathComponent("current/results.json"), encoding: .utf8)
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let cases: [(String, ([String: Any]) -> [String: Any], String)] = [
            ("schema", { var copy = $0; copy["schema_version"] = -1; return copy }, "schema_version is -1"),
            ("q", { var copy = $0
                var sets = copy["prompt_sets"] as! [[String: Any]]
                var contrasts = sets[0]["contrasts"] as! [[String: Any]]
                contrasts[0]["q_value"] = -5
                sets[0]["contrasts"] = contrasts
                copy["prompt_sets"] = sets
                return copy
            }, "prompt_sets[0].contrasts[0].q_value is -5.0"),
            ("confidence", { var copy = $0
                var manifest = copy["manifest"] as! [String: Any]
                var parameters = manifest["parameters"] as! [String: Any]
                parameters["confidence_level"] = 7
                manifest["parameters"] = parameters
                copy["manifest"] = manifest
                return copy
            }, "manifest.parameters.confidence_level is 7.0"),
        ]
        for (name, edit, expected) in cases {
            json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            try JSONSerialization.data(withJSONObject: edit(json)).write(to: directory.appendingPathComponent("\(name).json"))
            let result = try CLI.run(["report", "\(name).json", "--out", "out-\(name)"], currentDirectory: directory)
            XCTAssertEqual(result.status, 65, "\(name): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(expected), result.stderr)
        }
    }

    // MARK: - Messages

    /// Review: `--out` naming an existing file, or a path through one, gave Foundation's words ("A file with
    /// the same name already exists.", "(NSCocoaErrorDomain error 512.)"). The messages say what is in the
    /// way and what to do, before any model is loaded: a file named as the folder is the wrong path (exit 64, as
    /// README has an existing output path that is not what is written), a path through one a folder that cannot be
    /// made (exit 74).
    func testAnOutputPathBlockedByAFileSaysSo() throws {
        try Data("x".utf8).write(to: directory.appendingPathComponent("afile.txt"))
        let set = Fixtures.url("audit/small-set.yaml").path, model = Fixtures.url("models/tiny-gpt2").path
        for (out, expected, status) in [
            ("afile.txt", "afile.txt is a file, not a folder: --out names the folder the outputs are written into", Int32(64)),
            ("afile.txt/sub", "a part of the path is a file, not a folder; choose another path (--out)", 74),
        ] {
            let result = try CLI.run(
                ["run", set, "--model", model, "--samples", "1", "--max-new-tokens", "2", "--out", out],
                currentDirectory: directory)
            XCTAssertEqual(result.status, status, "\(out): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(expected), "\(out): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("NSCocoaErrorDomain"), result.stderr)
        }
        // A hostile review: a loop of links, or a link to nothing, was "a file of that name is in the way" (or "its folder
        // … does not exist" for diff and check). It is named as the link it is.
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: directory.appendingPathComponent("loopa").path, withDestinationPath: "loopb")
        try manager.createSymbolicLink(atPath: directory.appendingPathComponent("loopb").path, withDestinationPath: "loopa")
        try manager.createSymbolicLink(atPath: directory.appendingPathComponent("dangling").path, withDestinationPath: "nowhere/x")
        let results = Fixtures.url("gate/current/results.json").path
        for (arguments, link) in [(["report", results, "--out", "loopa"], "loopa"), (["report", results, "--out", "loopa/sub"], "loopa"),
                                  (["report", results, "--out", "dangling"], "dangling"),
                                  (["diff", results, results, "--out", "loopa/x.txt"], "loopa")] {
            let result = try CLI.run(arguments, currentDirectory: directory)
            XCTAssertEqual(result.status, 74, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("\(link) is a symbolic link that leads nowhere (a loop of links, or a missing "
                + "target); fix or remove the link"), "\(arguments): \(result.stderr)")
        }
    }

    /// Review: an output file that is a symbolic link or a folder (`--out DIR` with `DIR/results.json` a link,
    /// `report.md` a folder; `check --junit` a folder) was found only when writing, after the whole run. It is
    /// refused first (64), naming the path: here the model does not even exist.
    func testOutputFilesThatAreNotRegularFilesAreRefusedBeforeTheWork() throws {
        let set = Fixtures.url("audit/small-set.yaml").path
        let manager = FileManager.default
        let linked = directory.appendingPathComponent("linked"), folder = directory.appendingPathComponent("folder")
        try manager.createDirectory(at: linked, withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: linked.appendingPathComponent("results.json").path, withDestinationPath: "/tmp/elsewhere.json")
        try manager.createDirectory(at: folder.appendingPathComponent("report.md"), withIntermediateDirectories: true)
        for (out, expected) in [("linked", "linked/results.json is a symbolic link"), ("folder", "folder/report.md is a folder")] {
            let result = try CLI.run(
                ["run", set, "--model", "./no-model-here", "--samples", "1", "--format", "md", "--out", out],
                currentDirectory: directory)
            XCTAssertEqual(result.status, 64, "\(out): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(expected), "\(out): \(result.stderr)")
        }
        let junit = try CLI.run(["check", Fixtures.url("gate/baseline/results.json").path, "--policy",
                                 Fixtures.url("gate/policies/pass.yaml").path, "--junit", folder.path])
        XCTAssertEqual(junit.status, 64, junit.stderr)
        XCTAssertTrue(junit.stderr.contains("is a folder"), junit.stderr)
        XCTAssertEqual(junit.stdout, "", "refused before the checks are printed")
    }

    /// Review: `run --templates` naming a missing folder (or one without templates) was refused only after
    /// every completion was generated. It is refused first: here the model does not even exist, and the
    /// message is about the templates.
    func testBadTemplatesAreRefusedBeforeTheRun() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let set = Fixtures.url("audit/small-set.yaml").path
        for (templates, status, expected) in [("missing", 74, "no such template folder"),
                                              ("empty", 65, "no *.mustache templates in this folder")] {
            let result = try CLI.run(
                ["run", set, "--model", "./no-model-here", "--samples", "1", "--out", "out", "--templates", templates],
                currentDirectory: directory)
            XCTAssertEqual(result.status, Int32(status), "\(templates): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(expected), "\(templates): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path),
                           "\(templates): nothing is written")
        }
    }

    func testATextStartingWithADashGetsTheDoubleDashHint() throws {
        let result = try CLI.run(["score", "-1 stars, terrible"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains(#"if it is a text, put '--' before it: biasaudit score -- '-1 stars, terrible'"#),
                      result.stderr)
        // The hint is the whole command, to paste as it is (a teacher's review: it left out `--model M`).
        let generate = try CLI.run(["generate", "--model", "my model", "-1 stars", "--samples", "2"])
        XCTAssertEqual(generate.status, 64, generate.stderr)
        XCTAssertTrue(generate.stderr.contains(
            "put '--' before it: biasaudit generate --model 'my model' --samples 2 -- '-1 stars'"), generate.stderr)
        // A text with a dash and an 'h' was read as one-letter options, -h among them: the help, exit 0, nothing run.
        for (text, quoted) in [("-hola", "-hola"), ("- Ahora la enfermera dijo que", "'- Ahora la enfermera dijo que'"),
                               ("-the nurse said", "'-the nurse said'")] {
            let help = try CLI.run(["generate", "--model", "m", text])
            XCTAssertEqual(help.status, 64, "\(text): \(help.stdout)\(help.stderr)")
            XCTAssertTrue(help.stderr.contains("starts with '-', so it is read as one-letter options, -h (help) among them"),
                          help.stderr)
            XCTAssertTrue(help.stderr.contains("put '--' before it: biasaudit generate --model m -- \(quoted)"), help.stderr)
            XCTAssertFalse(help.stdout.contains("USAGE"), help.stdout)
        }
        let value = try CLI.run(["run", "set.yaml", "--out", "-hdir"])
        XCTAssertEqual(value.status, 64, value.stderr)
        XCTAssertTrue(value.stderr.contains("to give it as the value of --out, write --out=-hdir"), value.stderr)
        XCTAssertFalse(value.stderr.contains("put '--' before it"), "--out takes a value: \(value.stderr)")
        // After a flag, only the text hint; a served model's password is hidden in the command repeated (a review).
        let flag = try CLI.run(["generate", "--model", "srv=http://user:s3cr3t@127.0.0.1:9/v1#m", "--greedy", "-hola"])
        XCTAssertEqual(flag.status, 64, flag.stderr)
        XCTAssertTrue(flag.stderr.contains("put '--' before it: biasaudit generate --model 'srv=http://user:***@127.0.0.1:9/v1#m' "
            + "--greedy -- -hola"), flag.stderr)
        XCTAssertFalse(flag.stderr.contains("s3cr3t") || flag.stderr.contains("--greedy="), flag.stderr)
        for help in [["generate", "-h"], ["generate", "-help"], ["generate", "--help"]] {
            let shown = try CLI.run(help)
            XCTAssertEqual(shown.status, 0, "\(help): \(shown.stderr)")
            XCTAssertTrue(shown.stdout.contains("USAGE"), "\(help): \(shown.stdout)")
        }
        let fixed = try CLI.run(["score", "--", "-1 stars, terrible"])
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        // Review: a negative number after an option that takes a value ("Missing value") was told to go
        // after '--', which would make it a prompt-set path; it gets the `--option=value` form. After an
        // option that read it and refused it, no hint.
        let samples = try CLI.run(["run", "set.yaml", "--samples", "-1"])
        XCTAssertEqual(samples.status, 64, samples.stderr)
        XCTAssertTrue(samples.stderr.contains("not as the value of --samples; to give it as the value, write --samples=-1"),
                      samples.stderr)
        XCTAssertFalse(samples.stderr.contains("put '--' before it"), samples.stderr)
        let events = try CLI.run(["analyze", "missing.jsonl", "--min-events", "-1"])
        XCTAssertEqual(events.status, 64, events.stderr)
        XCTAssertTrue(events.stderr.contains("--min-events must be between"), events.stderr)
        XCTAssertFalse(events.stderr.contains("hint:"), events.stderr)
    }

    /// A read-through: the hints hid a URL's password while the command-line parser's own line above them printed it
    /// ("The value 'http://u:pw@h/' is invalid", "does not take any value, but '…' was specified"), on the terminal
    /// and in the `--junit` file of a gate refused at parsing.
    func testTheParsersOwnLinesHideAURLsCredentials() throws {
        let value = try CLI.run(["generate", "--model", "m", "--samples", "http://u:\(secret)@h/", "hi"])
        XCTAssertEqual(value.status, 64, value.stderr)
        XCTAssertTrue(value.stderr.contains("The value 'http://u:***@h/' is invalid for '--samples"), value.stderr)
        XCTAssertFalse(value.stderr.contains(secret), value.stderr)
        let junit = directory.appendingPathComponent("parse-junit.xml")
        let gate = try CLI.run(["check", "r.json", "--policy", "p.yaml", "--junit", junit.path, "--strict=http://u:\(secret)@h/"])
        XCTAssertEqual(gate.status, 64, gate.stderr)
        XCTAssertTrue(gate.stderr.contains("does not take any value, but 'http://u:***@h/' was specified"), gate.stderr)
        let xml = try String(contentsOf: junit, encoding: .utf8)
        XCTAssertTrue(xml.contains("http://u:***@h/"), xml)
        XCTAssertFalse(gate.stderr.contains(secret) || xml.contains(secret), gate.stderr + xml)
        // biasaudit's own checks before the parser (a review): an option given twice, a command it does not have; a gate
        // refused so replaces its JUnit file as well.
        for (arguments, shown) in [
            (["generate", "--samples", "2", "--samples", "http://u:\(secret)@h/", "--model", "m", "hi"], "'http://u:***@h/'"),
            (["http://u:\(secret)@h/"], "'http://u:***@h/' is not a command"),
            (["help", "http://u:\(secret)@h/"], "'http://u:***@h/' is not a command"),
            (["check", "r.json", "--junit", junit.path, "--policy", "a", "--policy", "http://u:\(secret)@h/"], "'http://u:***@h/'"),
        ] {
            let refused = try CLI.run(arguments)
            XCTAssertEqual(refused.status, 64, refused.stderr)
            XCTAssertTrue(refused.stderr.contains(shown), refused.stderr)
            XCTAssertFalse(refused.stderr.contains(secret), refused.stderr)
        }
        let repeated = try String(contentsOf: junit, encoding: .utf8)
        XCTAssertTrue(repeated.contains("--policy was given 2 times"), repeated)
        XCTAssertFalse(repeated.contains(secret), repeated)
    }

    /// Reviews of the refusals before parsing: a gate refused for a non-UTF-8 argument left its passing JUnit file, and
    /// with `--junit` given twice the first; a folder creation that failed left the new folders above it.
    func testRefusedCommandLinesReplaceEveryJUnitFileAndLeaveNoNewFolder() throws {
        let stale = "<?xml version=\"1.0\"?>\n<testsuites name=\"stale\"></testsuites>\n"
        let first = directory.appendingPathComponent("first.xml"), second = directory.appendingPathComponent("second.xml")
        for file in [first, second] { try stale.write(to: file, atomically: true, encoding: .utf8) }
        let results = gate.appendingPathComponent("current/results.json").path
        let invalid = try CLI.run(
            ["-c", #"exec "$0" check "$1" --policy p.yaml --junit "$2" --model-a "$(printf 'x\377')""#, CLI.executable.path,
             results, first.path], executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(invalid.status, 64, invalid.stderr)
        XCTAssertTrue(invalid.stderr.contains("is not valid UTF-8"), invalid.stderr)
        XCTAssertTrue(try String(contentsOf: first, encoding: .utf8).contains("not valid UTF-8"), "the JUnit file was left")
        for file in [first, second] { try stale.write(to: file, atomically: true, encoding: .utf8) }
        let twice = try CLI.run(["check", results, "--policy", "p.yaml", "--junit", first.path, "--junit", second.path])
        XCTAssertEqual(twice.status, 64, twice.stderr)
        for file in [first, second] {
            XCTAssertTrue(try String(contentsOf: file, encoding: .utf8).contains("--junit was given 2 times"), file.path)
        }
        let long = String(repeating: "x", count: 300)
        let made = try CLI.run(["report", results, "--out", "new1/new2/\(long)"], currentDirectory: directory)
        XCTAssertEqual(made.status, 74, made.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("new1").path),
                       "the new folders above the one that could not be made were left: \(made.stderr)")
    }

    /// A hostile review: a lint line starts with the file's name, and a file named `::stop-commands::tok.yaml` made it a
    /// workflow command; a policy rule's description printed by `check` carried `##[error]` mid-line.
    func testLintFileNamesAndRuleDescriptionsIssueNoWorkflowCommand() throws {
        let named = directory.appendingPathComponent("::stop-commands::tok.yaml")
        try "name: x\n".write(to: named, atomically: true, encoding: .utf8)
        let lint = try CLI.run(["lint", named.lastPathComponent], currentDirectory: directory)
        XCTAssertEqual(lint.status, 1, lint.stdout + lint.stderr)
        let lines = (lint.stdout + lint.stderr).split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("\\u{3a}:stop-commands::tok.yaml:") }, lint.stdout + lint.stderr)
        XCTAssertFalse(lines.contains { $0.hasPrefix("::") }, lint.stdout + lint.stderr)
        let policy = directory.appendingPathComponent("described.yaml")
        let failing = try String(contentsOf: gate.appendingPathComponent("policies/fail.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    kind: max_abs_contrast\n    metric: sentiment\n",
                                  with: "    description: \"x ##[error]y ##VSO[task.setvariable variable=q]1\"\n"
                                      + "    kind: max_abs_contrast\n    metric: sentiment\n")
        XCTAssertTrue(failing.contains("##[error]"), "the fixture changed")
        try failing.write(to: policy, atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", gate.appendingPathComponent("current/results.json").path, "--policy", policy.path])
        XCTAssertEqual(check.status, 1, check.stderr)
        XCTAssertTrue(check.stdout.contains("rule: x \\u{23}#[error]y \\u{23}#VSO[task"), check.stdout)
        XCTAssertFalse(check.stdout.contains("##[") || check.stdout.contains("##VSO["), check.stdout)
    }

    func testDumbTerminalsGetNoEscapes() throws {
        let model = Fixtures.url("models/tiny-gpt2").path
        let command = "'\(CLI.executable.path)' generate --model '\(model)' Hello --max-new-tokens 3 --greedy"
        let colour = try shell("env -u NO_COLOR TERM=xterm script -qc \"\(command)\" /dev/null")
        XCTAssertTrue(colour.stdout.contains("\u{1B}["), "a terminal should get the highlight: \(colour.stdout)")
        for environment in ["env -u NO_COLOR TERM=dumb", "env TERM=xterm NO_COLOR=1"] {
            let plain = try shell("\(environment) script -qc \"\(command)\" /dev/null")
            XCTAssertEqual(plain.status, 0, plain.stderr)
            XCTAssertFalse(plain.stdout.contains("\u{1B}["), "\(environment): \(plain.stdout)")
        }
    }

    func testDiffHTMLCarriesAContentSecurityPolicy() throws {
        let result = try CLI.run(["diff", gate.appendingPathComponent("baseline/results.json").path,
                                  gate.appendingPathComponent("current/results.json").path, "--format", "html"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none';"#),
                      String(result.stdout.prefix(400)))
    }
}
