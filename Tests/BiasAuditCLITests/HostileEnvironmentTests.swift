import Foundation
import TestSupport
import XCTest

/// The built binary where the machine is hostile (issue 15): files it may not read or write (run as an
/// unprivileged user), a full disk (a tiny tmpfs and `/dev/full`), a step summary that is not a file, a
/// template that includes itself, and a tokenizer asked for offline.
final class HostileEnvironmentTests: XCTestCase {
    private var directory: URL!
    private let gate = Fixtures.url("gate")
    /// `nobody`'s ids: the unprivileged user the permission tests run the binary as.
    private let unprivileged = "65534"

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("hostile-environment")
        // The unprivileged user must be able to reach the test's files (their own modes decide the rest).
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func copy(_ fixture: String, to name: String, mode: Int = 0o644) throws {
        let target = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.url(fixture).resolvingSymlinksInPath(), to: target)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: target.path)
    }

    // MARK: - Permission denied, as an unprivileged user

    /// `setpriv` (util-linux) when the tests run as root, so the binary can run as `nobody`; skips otherwise.
    private func setpriv() throws -> URL {
        guard getuid() == 0 else {
            throw XCTSkip("permission tests need root to drop to an unprivileged user (root reads every file)")
        }
        guard let tool = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("permission tests need setpriv (util-linux) to run the binary as an unprivileged user")
        }
        // The binary and its folders must be reachable by that user.
        let probe = try CLI.run(
            ["--reuid=\(unprivileged)", "--regid=\(unprivileged)", "--clear-groups", CLI.executable.path, "--version"],
            executable: URL(fileURLWithPath: tool))
        guard probe.status == 0 else {
            throw XCTSkip("the unprivileged user cannot run \(CLI.executable.path): \(probe.stderr)")
        }
        return URL(fileURLWithPath: tool)
    }

    /// Runs the binary as the unprivileged user in the test's folder.
    private func runUnprivileged(_ arguments: [String], tool: URL) throws -> CommandResult {
        try CLI.run(
            ["--reuid=\(unprivileged)", "--regid=\(unprivileged)", "--clear-groups", CLI.executable.path] + arguments,
            environment: ["HOME": directory.path, "HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": path("hub")],
            currentDirectory: directory, executable: tool)
    }

    private func assertDenied(
        _ result: CommandResult, status: Int32 = 74, path: String, _ fix: String, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(path), "the message does not name \(path):\n\(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains("permission denied"), result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(fix), "no '\(fix)' in:\n\(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("You don’t have permission"), "Foundation's words: \(result.stderr)",
                       file: file, line: line)
    }

    func testAnUnreadablePromptSetSaysPermissionDenied() throws {
        let tool = try setpriv()
        try copy("audit/small-set.yaml", to: "set.yaml", mode: 0o000)
        try copy("models/tiny-gpt2/config.json", to: "model/config.json")
        let lint = try runUnprivileged(["lint", "set.yaml"], tool: tool)
        // DESIGN.md's I/O error, as for `run` (lint said 65 until a contract review).
        assertDenied(lint, status: 74, path: "set.yaml", "check the file's permissions")
        let run = try runUnprivileged(["run", "set.yaml", "--model", "./model", "--out", "out"], tool: tool)
        assertDenied(run, path: path("set.yaml"), "run as a user who may read it")
    }

    func testUnreadableResultsSayPermissionDeniedInEveryReader() throws {
        let tool = try setpriv()
        try copy("gate/current/results.json", to: "results.json", mode: 0o000)
        try copy("gate/baseline/results.json", to: "baseline.json")
        try copy("gate/policies/pass.yaml", to: "pass.yaml")
        for arguments in [["report", "results.json", "--out", "out"], ["check", "results.json", "--policy", "pass.yaml"],
                          ["diff", "baseline.json", "results.json"]] {
            let result = try runUnprivileged(arguments, tool: tool)
            assertDenied(result, path: "results.json", "check the file's permissions")
        }
    }

    func testAnUnwritableOutputFolderSaysPermissionDeniedAndWhatToDo() throws {
        let tool = try setpriv()
        try copy("gate/current/results.json", to: "results.json")
        try FileManager.default.createDirectory(atPath: path("locked"), withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o555])
        let inFolder = try runUnprivileged(["report", "results.json", "--format", "md", "--out", "locked"], tool: tool)
        assertDenied(inFolder, path: path("locked/report.md"), "choose a folder you may write to (--out)")
        let below = try runUnprivileged(["report", "results.json", "--format", "md", "--out", "locked/new"], tool: tool)
        assertDenied(below, path: path("locked/new"), "cannot create the output folder: permission denied")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("locked")), [], "nothing was written")
    }

    func testAnUnreadableModelFileSaysPermissionDeniedNotMissing() throws {
        let tool = try setpriv()
        for name in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
            try copy("models/tiny-gpt2/\(name)", to: "model/\(name)", mode: name == "config.json" ? 0o000 : 0o644)
        }
        for arguments in [["next-token", "--model", "./model", "The nurse said that"],
                          ["generate", "--model", "./model", "The nurse said that", "--max-new-tokens", "2"]] {
            let result = try runUnprivileged(arguments, tool: tool)
            assertDenied(result, path: path("model/config.json"), "check the file's permissions")
            XCTAssertFalse(result.stderr.contains("lacks"), "a present file was called missing: \(result.stderr)")
        }
        // A model folder that may not be searched: every file is there, none may be looked at.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path("model/config.json"))
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path("model"))
        let hidden = try runUnprivileged(["next-token", "--model", "./model", "hi"], tool: tool)
        XCTAssertEqual(hidden.status, 74, hidden.stderr)
        XCTAssertTrue(hidden.stderr.contains("permission denied"), hidden.stderr)
        XCTAssertFalse(hidden.stderr.contains("lacks"), hidden.stderr)
    }

    /// Review after issue 15: a token file the user may not read was treated as absent and the Hub asked
    /// anonymously. It is exit 74 naming the file and "permission denied", before any request (the endpoint
    /// here is a closed port: reaching for it would say "cannot reach the Hub").
    func testAnUnreadableTokenFileIsExit74BeforeAnyRequest() throws {
        let tool = try setpriv()
        try Data("hf_not_for_printing\n".utf8).write(to: directory.appendingPathComponent("token"))
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path("token"))
        /// `models pull gpt2` as the unprivileged user with HF_TOKEN_PATH `tokenPath` and a closed endpoint.
        func pull(tokenPath: String) throws -> CommandResult {
            try CLI.run(
                ["--reuid=\(unprivileged)", "--regid=\(unprivileged)", "--clear-groups", CLI.executable.path,
                 "models", "pull", "gpt2"],
                environment: ["HOME": directory.path, "HF_HUB_CACHE": path("hub"), "HF_TOKEN_PATH": tokenPath,
                              "HF_TOKEN": "", "HUGGING_FACE_HUB_TOKEN": "", "HF_HUB_OFFLINE": "", "TRANSFORMERS_OFFLINE": "",
                              "HF_ENDPOINT": "http://127.0.0.1:9"],
                currentDirectory: directory, executable: tool)
        }
        let result = try pull(tokenPath: path("token"))
        XCTAssertEqual(result.status, 74, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot read the Hub token file \(path("token")) (permission denied)"),
                      result.stderr)
        XCTAssertFalse(result.stderr.contains("cannot reach the Hub"), "a request was tried: \(result.stderr)")
        XCTAssertFalse(result.stderr.contains("hf_not_for_printing"), result.stderr)
        // A readable token in a folder the user may not search: the message names that folder.
        let locked = directory.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try Data("hf_not_for_printing\n".utf8).write(to: locked.appendingPathComponent("token"))
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: locked.path)
        let hidden = try pull(tokenPath: path("locked/token"))
        XCTAssertEqual(hidden.status, 74, hidden.stderr)
        XCTAssertTrue(hidden.stderr.contains("(permission denied: the folder \(locked.path) may not be searched)"),
                      hidden.stderr)
        XCTAssertFalse(hidden.stderr.contains("hf_not_for_printing"), hidden.stderr)
    }

    /// Review: merge opened the shards' stores for writing, so a read-only copy failed with exit 74. A shard whose
    /// run.sqlite and folder are read-only merges as an unprivileged user, and the file is left as it was.
    func testAReadOnlyShardCopyMergesAsAnUnprivilegedUser() throws {
        let tool = try setpriv()
        let shard = try CLI.run([
            "run", Fixtures.url("audit/small-set.yaml").path, "--model", Fixtures.url("models/tiny-gpt2").path,
            "--samples", "1", "--max-new-tokens", "2", "--seed", "3", "--shard", "1/1", "--out", path("shard"),
            "--quiet", "--format", "json",
        ], environment: ["HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": path("hub")])
        XCTAssertEqual(shard.status, 0, shard.stderr)
        let store = path("shard/run.sqlite")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: store)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: path("shard"))
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path("shard")) }
        try FileManager.default.createDirectory(atPath: path("merged"), withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o777])
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let modified = try FileManager.default.attributesOfItem(atPath: store)[.modificationDate] as? Date
        let merged = try runUnprivileged(["merge", "shard", "--out", "merged/out", "--quiet", "--format", "json"], tool: tool)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("merged/out/results.json")), merged.stderr)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: store)[.modificationDate] as? Date, modified)
        XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: store)) == before, "the read-only input changed")
        let listing = try FileManager.default.contentsOfDirectory(atPath: path("shard"))
        XCTAssertFalse(listing.contains { $0.hasPrefix("run.sqlite-") }, "files left beside the input: \(listing)")
    }

    // MARK: - A full disk

    func testJSONToAFullDeviceIsExit74WithAMessage() throws {
        let shell = URL(fileURLWithPath: "/bin/bash")
        for command in [#""$B" score --json "a fine day" >/dev/full"#, #""$B" tokenize --json "a fine day" >/dev/full"#,
                        #""$B" diff "$G/baseline/results.json" "$G/current/results.json" --format json >/dev/full"#] {
            let result = try CLI.run(["-c", "B='\(CLI.executable.path)'; G='\(gate.path)'; \(command)"], executable: shell)
            XCTAssertEqual(result.status, 74, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("standard output: error: cannot write the output (No space left on device)"),
                          "\(command): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
        }
        // A gate that fails and cannot write its report: the gate's exit code stays (the first fault), and the lost
        // output is still said (review: it exited 1 without a word about the report).
        let failing = #""$B" check "$G/current/results.json" --policy "$G/policies/fail.yaml" >/dev/full"#
        let result = try CLI.run(["-c", "B='\(CLI.executable.path)'; G='\(gate.path)'; \(failing)"], executable: shell)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("[race-sentiment]"), result.stderr)
        XCTAssertTrue(result.stderr.contains("standard output: error: cannot write the output (No space left on device)"),
                      result.stderr)
    }

    /// Mounts a tmpfs of `size` (64 KiB by default; `inodes` files and folders at most, its root included) in a private
    /// mount namespace (`unshare -m`, so nothing outlives the script), writes `filler` bytes to `$D/filler`, and runs `script` there with `$D` the mount
    /// point and `$B` the binary.
    /// The mount point of ``onAFullDisk(_:size:filler:)``.
    private var diskFolder: String { path("disk") }

    private func onAFullDisk(
        _ script: String, size: String = "64k", filler: Int = 45000, inodes: Int? = nil
    ) throws -> CommandResult {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            throw XCTSkip("the disk-full test needs root and unshare (util-linux) to mount a private tmpfs")
        }
        let mountPoint = diskFolder
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let probe = try CLI.run(["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs '\(mountPoint)'"],
                                executable: URL(fileURLWithPath: "/usr/bin/unshare"))
        guard probe.status == 0 else {
            throw XCTSkip("mounting a tmpfs is not permitted here (\(probe.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        let full = "mount -t tmpfs -o size=\(size)\(inodes.map { ",nr_inodes=\($0)" } ?? "") tmpfs \"$D\" && head -c \(filler) /dev/zero > \"$D/filler\" && "
        return try CLI.run(
            ["-m", "bash", "-c", "D='\(mountPoint)'; B='\(CLI.executable.path)'; \(full)\(script)"],
            executable: URL(fileURLWithPath: "/usr/bin/unshare"))
    }

    /// Review: a re-analysis that ran out of disk left its new results.json beside the earlier reports. The files of
    /// one command are written as a set: with room for the new report.html but not report.md, the folder keeps its
    /// earlier files byte for byte, and no temporary file.
    func testAFailedRewriteLeavesTheEarlierFilesAsTheyWere() throws {
        let first = gate.appendingPathComponent("current/results.json").path
        let second = gate.appendingPathComponent("baseline/results.json").path
        // Room for the second report.html and nothing more: its size is learnt from a copy rendered off the disk
        // (a fixed filler broke whenever the report's text grew by a few hundred bytes).
        let script = #""$B" report '\#(first)' --format html,md,json --out "$D/r" >/dev/null && sha256sum "$D"/r/* > "$D/../before" && "#
            + #""$B" report '\#(second)' --format html --out "$D/../probe" >/dev/null && "#
            + #"html=$(stat -c %s "$D/../probe/report.html") && avail=$(df -B1 --output=avail "$D" | tail -1) && "#
            + #"head -c $(( avail - (html + 4095) / 4096 * 4096 )) /dev/zero > "$D/filler2" && "#
            + #""$B" report '\#(second)' --format html,md,json --out "$D/r" 2>&1; "#
            + #"echo "status=$?"; sha256sum "$D"/r/* | diff - "$D/../before" >/dev/null && echo "unchanged"; "#
            + #"find "$D" -type f -printf '%P %s\n' | sort"#
        let result = try onAFullDisk(script, size: "200k", filler: 1)
        XCTAssertTrue(result.stdout.contains("status=74"), result.stdout)
        XCTAssertTrue(result.stdout.contains("report.md: error: cannot write the report: no space left"), result.stdout)
        XCTAssertTrue(result.stdout.contains("unchanged"), "the earlier files changed: \(result.stdout)")
        let files = result.stdout.split(separator: "\n").filter { !$0.hasPrefix("status=") && !$0.contains("error:") && $0.contains(" ") }
        XCTAssertEqual(files.map { $0.split(separator: " ")[0] }, ["filler", "filler2", "r/report.html", "r/report.md", "r/results.json"],
                       result.stdout)
    }

    func testADiskThatFillsUpIsExit74AndLeavesNoPartialOutput() throws {
        let results = gate.appendingPathComponent("current/results.json").path
        let model = Fixtures.url("models/tiny-gpt2").path
        let set = Fixtures.url("audit/small-set.yaml").path
        // After each command: its status, then every file left on the disk with its size.
        let list = #"; echo "status=$?"; find "$D" -type f -printf '%P %s\n' | sort"#
        let report = try onAFullDisk(#""$B" report '\#(results)' --format html,md,json --out "$D/new/report" 2>&1"# + list
            + #"; test -e "$D/new" && echo "a new folder was left""#)
        XCTAssertTrue(report.stdout.contains("cannot write the report: no space left on the device; free some space "
                                             + "or write elsewhere (--out)"), report.stdout)
        XCTAssertTrue(report.stdout.contains("status=74"), report.stdout)
        let reportFiles = report.stdout.split(separator: "\n").filter { !$0.hasPrefix("status=") && $0.contains(" ") && !$0.contains("error:") }
        XCTAssertEqual(reportFiles, ["filler 45000"], "a partial or temporary output was left behind: \(report.stdout)")
        XCTAssertFalse(report.stdout.contains("a new folder was left"), "the folders it made stay empty: \(report.stdout)")
        // results.json is "the results", as `run` and `merge` say (a review: "cannot write the report").
        let json = try onAFullDisk(#""$B" report '\#(results)' --format json --out "$D/report" 2>&1"# + list, filler: 62000)
        XCTAssertTrue(json.stdout.contains("results.json: error: cannot write the results: no space left"), json.stdout)

        let run = try onAFullDisk(
            #""$B" run '\#(set)' --model '\#(model)' --samples 2 --max-new-tokens 4 --out "$D/run" 2>&1"# + list)
        XCTAssertTrue(run.stdout.contains("status=74"), run.stdout)
        XCTAssertFalse(run.stdout.contains("results.json") || run.stdout.contains("report."),
                       "a final output exists after the disk filled up: \(run.stdout)")
        XCTAssertFalse(run.stdout.contains("Fatal error"), run.stdout)
        // Review after issue 15: opening the store on this disk failed growing its shared memory, which SQLite
        // reports as SQLITE_IOERR ("disk I/O error"); errno ENOSPC makes it the full-disk message.
        XCTAssertTrue(run.stdout.contains("\(diskFolder)/run/run.sqlite: error: cannot open the run store: the disk is full"),
                      run.stdout)
        XCTAssertFalse(run.stdout.contains("disk I/O error"), run.stdout)
        XCTAssertFalse(run.stdout.contains("stored so far are kept"), "a store being created holds nothing: \(run.stdout)")
    }

    /// A hostile review: a run whose disk filled while it wrote its results and reports was told to "free some space or
    /// write elsewhere (--out)", where another --out generates every completion again. It says the completions are in
    /// the run store and that the same command with this --out writes the files without generating them again.
    func testARunWhoseResultsDoNotFitSaysTheSameCommandWritesThemFromTheStore() throws {
        let model = Fixtures.url("models/tiny-gpt2").path
        let set = Fixtures.url("audit/small-set.yaml").path
        let command = #""$B" run '\#(set)' --model '\#(model)' --samples 2 --max-new-tokens 4 --out "$D/run" --quiet"#
        // Room for the run store (its write-ahead log peaks near 160 kB) but not for it and the reports (about 100 kB).
        let result = try onAFullDisk(
            command + #" 2>&1; echo "status=$?"; mount -o remount,size=16m "$D"; "# + command
                + #" 2>&1; echo "status=$?"; grep -o '"stored_before" *: *[0-9]*' "$D/run/results.json""#,
            size: "192k", filler: 1)
        let output = result.stdout
        XCTAssertTrue(output.contains("cannot write the results: no space left on the device; free some space (the completions "
                                      + "are stored in \(diskFolder)/run/run.sqlite: run the same command again, with this "
                                      + "--out, once the files can be written, and nothing is generated again"), output)
        XCTAssertFalse(output.contains("write elsewhere"), output)
        XCTAssertEqual(output.split(separator: "\n").filter { $0.hasPrefix("status=") }, ["status=74", "status=0"], output)
        XCTAssertTrue(output.contains("\"stored_before\" : 24"), "every completion from the store: \(output)")
    }

    /// A hostile review: a disk with bytes free but no inode left (the run store made, its journal refused with
    /// ENOSPC: SQLITE_CANTOPEN) was told "permission denied or read-only"; it is a full disk, and says why.
    func testADiskWithoutFreeInodesIsAFullDisk() throws {
        let model = Fixtures.url("models/tiny-gpt2").path
        let set = Fixtures.url("audit/small-set.yaml").path
        // The root, the filler, the folder and run.sqlite: four inodes.
        let result = try onAFullDisk(
            #"mkdir "$D/run" && "$B" run '\#(set)' --model '\#(model)' --samples 1 --max-new-tokens 2 --out "$D/run" "#
                + #"--quiet 2>&1; echo "status=$?""#, size: "2m", filler: 1, inodes: 4)
        XCTAssertTrue(result.stdout.contains("status=74"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\(diskFolder)/run/run.sqlite: error: cannot open the run store: the disk is full "
            + "(it has no free inodes: `df -i`), and the run store holds no completions yet"), result.stdout)
        XCTAssertFalse(result.stdout.contains("permission denied"), result.stdout)
        // Reports likewise (a code review: "no space left on the device; free some space" beside 2 MB free).
        let results = gate.appendingPathComponent("current/results.json").path
        // With several files, the one that fails is worded before the temporaries written before it are removed, which
        // free inodes again (a hostile review: "no space left" with megabytes free).
        for (formats, inodes) in [("md", 3), ("html,md,json", 4)] {
            let report = try onAFullDisk(
                #"mkdir "$D/r" && "$B" report '\#(results)' --format \#(formats) --out "$D/r" 2>&1; echo "status=$?""#,
                size: "2m", filler: 1, inodes: inodes)
            XCTAssertTrue(report.stdout.contains("status=74"), report.stdout)
            XCTAssertTrue(report.stdout.contains("no inode left on the device (`df -i`: no file can be created there)"),
                          "\(formats): \(report.stdout)")
        }
        // An output folder yet to be made is judged by the disk it would be made on (a hostile review: "no space left").
        let fresh = try onAFullDisk(
            #""$B" report '\#(results)' --format md --out "$D/new/r" 2>&1; echo "status=$?""#, size: "2m", filler: 1, inodes: 2)
        XCTAssertTrue(fresh.stdout.contains("status=74"), fresh.stdout)
        XCTAssertTrue(fresh.stdout.contains("cannot create the output folder: no inode left on the device (`df -i`"), fresh.stdout)
    }

    /// A run store on a read-only mount is told the file system is read-only, as `report` is, not to `chmod u+w` (a
    /// hostile review).
    func testARunStoreOnAReadOnlyMountSaysTheFileSystemIsReadOnly() throws {
        let model = Fixtures.url("models/tiny-gpt2").path
        let set = Fixtures.url("audit/small-set.yaml").path
        let result = try onAFullDisk(
            #"mkdir "$D/ro" && mount -t tmpfs -o size=1m,ro tmpfs "$D/ro" && "$B" run '\#(set)' --model '\#(model)' "#
                + #"--samples 1 --max-new-tokens 2 --out "$D/ro" --quiet 2>&1; echo "status=$?""#, size: "2m", filler: 1)
        XCTAssertTrue(result.stdout.contains("status=74"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\(diskFolder)/ro/run.sqlite: error: cannot open the run store: the file system "
            + "holding \(diskFolder)/ro is read-only; make it writable again, or choose another --out"), result.stdout)
        XCTAssertFalse(result.stdout.contains("chmod"), result.stdout)
    }

    /// Review after issue 15: a disk that fills up while completions are being committed gives one message (the
    /// store's path, "the disk is full", the stored completions are kept, the same command resumes), exit 74;
    /// after space is freed (the tmpfs is made larger), the same command resumes from the stored completions.
    func testADiskThatFillsDuringARunKeepsTheStoredCompletionsAndTheSameCommandResumes() throws {
        let model = Fixtures.url("models/tiny-gpt2").path
        let set = Fixtures.url("audit/small-set.yaml").path
        let command = #""$B" run '\#(set)' --model '\#(model)' --samples 60 --max-new-tokens 4 --seed 5 --out "$D/run" --quiet --format json"#
        let result = try onAFullDisk(
            command + #" 2>&1; echo "status=$?"; rm "$D/filler"; mount -o remount,size=16m "$D"; "#
                + command + #" 2>&1; echo "status=$?"; grep -o '"stored_before" *: *[0-9]*' "$D/run/results.json"; "#
                + #"echo "lines=$(wc -l < "$D/run/completions.jsonl")""#,
            size: "1m", filler: 750_000)
        let output = result.stdout
        XCTAssertTrue(output.contains("\(diskFolder)/run/run.sqlite: error: cannot store completions: the disk is full. "
                                      + "The completions stored so far are kept: free space on the disk holding "
                                      + "\(diskFolder)/run, then run the same command again and the run resumes where it "
                                      + "stopped"), output)
        XCTAssertFalse(output.contains("disk I/O error"), output)
        let statuses = output.split(separator: "\n").filter { $0.hasPrefix("status=") }
        XCTAssertEqual(statuses, ["status=74", "status=0"], output)
        let storedBefore = output.split(separator: "\n").first { $0.contains("stored_before") }
            .flatMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }
        let reused = try XCTUnwrap(storedBefore, output)
        XCTAssertGreaterThan(reused, 0, "the completions committed before the disk filled were not reused: \(output)")
        XCTAssertLessThan(reused, 12 * 60, output)
        XCTAssertTrue(output.contains("lines=\(12 * 60)"), output)
    }

    /// A hostile review: a file named in Latin-1 (`caf\xE9.yaml`: 0xE9 is no UTF-8) became `caf\u{FFFD}.yaml` and then
    /// "no such file". The argument is named by its position, with its bytes shown, and what to do, exit 64, whatever
    /// the command; as the value of an option it says which. The shell writes the bytes (`printf '\351'`).
    func testAnArgumentThatIsNotUTF8IsNamedWithItsBytes() throws {
        func run(_ script: String) throws -> CommandResult {
            try CLI.run(["-c", script, CLI.executable.path], currentDirectory: directory,
                        executable: URL(fileURLWithPath: "/bin/sh"))
        }
        let advice = "(each \\xHH is a byte that is no part of a UTF-8 character); biasaudit reads its arguments as UTF-8 "
            + "text: rename the file or folder to a UTF-8 name (e.g. convmv -f latin1 -t utf-8 --notest NAME), or give the "
            + "text in UTF-8\n"
        let lint = try run("exec \"$0\" lint \"$(printf 'caf\\351.yaml')\"")
        XCTAssertEqual(lint.status, 64, lint.stderr)
        XCTAssertEqual(lint.stderr, "Error: argument 2 is not valid UTF-8: \"caf\\xE9.yaml\" " + advice)
        // A UTF-8 character before the bad byte stays a character; the option is named.
        let results = gate.appendingPathComponent("current/results.json").path
        let check = try run("exec \"$0\" check \"\(results)\" --policy \"$(printf 'se\\303\\261or\\377\\376.yaml')\"")
        XCTAssertEqual(check.status, 64, check.stderr)
        XCTAssertEqual(check.stderr, "Error: argument 4 (the value of --policy) is not valid UTF-8: \"señor\\xFF\\xFE.yaml\" "
            + advice)
        // Valid UTF-8 passes (the same name in UTF-8 is then looked for, and missing).
        let valid = try run("exec \"$0\" lint \"$(printf 'caf\\303\\251.yaml')\"")
        XCTAssertFalse(valid.stderr.contains("not valid UTF-8"), valid.stderr)
    }

    /// A hostile review: with standard output closed (`>&-`) the advice was to check the disk's space.
    func testAClosedStandardOutputSaysSo() throws {
        let results = gate.appendingPathComponent("current/results.json").path
        let policy = gate.appendingPathComponent("policies/pass.yaml").path
        let closed = try CLI.run(["-c", "exec \"$0\" \"$@\" >&-", CLI.executable.path, "check", results, "--policy", policy],
                                 currentDirectory: directory, executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(closed.status, 74, closed.stderr)
        XCTAssertEqual(closed.stderr, "biasaudit: standard output: error: cannot write the output (Bad file descriptor): "
            + "standard output is closed; redirect it to a file (> FILE) or to /dev/null instead of closing it\n")
    }

    /// Reread: a write past the file-size limit (`ulimit -f`) killed the process (SIGXFSZ) or, once that was ignored,
    /// printed Foundation's "NSCocoaErrorDomain error 512"; a file in /proc said "The file doesn't exist". Each names
    /// its cause and what to do, exit 74; the run store names the limit, and the same command resumes after it is raised.
    func testAFileSizeLimitAndASpecialFileSystemSayWhatHappened() throws {
        let results = gate.appendingPathComponent("current/results.json").path
        let model = Fixtures.url("models/tiny-gpt2").path
        let set = Fixtures.url("audit/small-set.yaml").path
        func limited(_ blocks: Int, _ arguments: [String]) throws -> CommandResult {
            try CLI.run(["-c", "ulimit -f \(blocks); exec \"$0\" \"$@\"", CLI.executable.path] + arguments,
                        currentDirectory: directory, executable: URL(fileURLWithPath: "/bin/sh"))
        }
        let report = try limited(8, ["report", results, "--format", "html", "--out", path("report")])
        XCTAssertEqual(report.status, 74, report.stderr)
        XCTAssertTrue(report.stderr.contains("\(path("report/report.html")): error: cannot write the report: the file would "
                                             + "pass the file-size limit (`ulimit -f`"), report.stderr)
        XCTAssertFalse(report.stderr.contains("NSCocoaErrorDomain"), report.stderr)
        // No partial file, and no empty folder: the command made it, and removes it when nothing could be written.
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("report")), "a partial file or an empty new folder was left")

        let run = try limited(100, ["run", set, "--model", model, "--samples", "2", "--max-new-tokens", "4", "--quiet",
                                    "--out", path("run")])
        XCTAssertEqual(run.status, 74, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(path("run/run.sqlite")): error: cannot "), run.stderr)
        XCTAssertTrue(run.stderr.contains("this process may write files of at most"), run.stderr)
        XCTAssertTrue(run.stderr.contains("(`ulimit -f`): raise the limit"), run.stderr)
        let resumed = try CLI.run(["run", set, "--model", model, "--samples", "2", "--max-new-tokens", "4", "--quiet",
                                   "--out", path("run")], currentDirectory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)

        let special = try CLI.run(["lint", set, "--junit", "/proc/self/lint.xml"])
        XCTAssertEqual(special.status, 74, special.stderr)
        XCTAssertTrue(special.stderr.contains("/proc/self/lint.xml: error: cannot write the JUnit XML report: no file can "
                                              + "be created in that folder"), special.stderr)
        XCTAssertFalse(special.stderr.contains("doesn’t exist"), special.stderr)
    }

    // MARK: - The step summary, templates and the tokenizer

    func testAStepSummaryThatIsNotARegularFileIsRefusedWithoutHanging() throws {
        let results = gate.appendingPathComponent("current/results.json").path
        let policy = gate.appendingPathComponent("policies/pass.yaml").path
        XCTAssertEqual(mkfifo(path("fifo"), 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: path("link.md"), withDestinationPath: path("target.md"))
        try FileManager.default.createDirectory(atPath: path("folder"), withIntermediateDirectories: true)
        for (target, kind) in [("/dev/full", "a device"), (path("fifo"), "a FIFO"), (path("link.md"), "a symbolic link"),
                               (path("folder"), "a folder")] {
            let environment = ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": target]
            for arguments in [["check", results, "--policy", policy], ["lint", Fixtures.url("audit/small-set.yaml").path]] {
                let result = try CLI.run(arguments, environment: environment)
                XCTAssertEqual(result.status, 64, "\(arguments[0]) with \(target): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("\(target) is \(kind), not a regular file: biasaudit writes the "
                                                     + "GitHub step summary (GITHUB_STEP_SUMMARY) only to a regular file"),
                              result.stderr)
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("target.md")), "the symlink was followed")
        // A regular file is appended to, as GitHub's runner expects.
        try Data("earlier step\n".utf8).write(to: directory.appendingPathComponent("summary.md"))
        let result = try CLI.run(["check", results, "--policy", policy],
                                 environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": path("summary.md")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try String(contentsOfFile: path("summary.md"), encoding: .utf8)
        XCTAssertTrue(summary.hasPrefix("earlier step\n") && summary.count > 40, summary)
    }

    func testASelfIncludingPartialIsExit65NamingTheChain() throws {
        try FileManager.default.createDirectory(atPath: path("templates/partials"), withIntermediateDirectories: true)
        try Data("{{> partials/b}}".utf8).write(to: directory.appendingPathComponent("templates/partials/a.mustache"))
        try Data("{{#sets}}{{> partials/a}}{{/sets}}".utf8).write(to: directory.appendingPathComponent("templates/partials/b.mustache"))
        try Data("# r\n{{> partials/a}}\n".utf8).write(to: directory.appendingPathComponent("templates/report.md.mustache"))
        let result = try CLI.run(["report", gate.appendingPathComponent("current/results.json").path, "--format", "md",
                                  "--out", path("out"), "--templates", path("templates")])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("partials/b.mustache:1: error: the partial 'partials/a' includes itself "
                                             + "(partials/a → partials/b → partials/a)"), result.stderr)
    }

    func testAnUncachedHubTokenizerOfflineSaysHowToFetchTheTokenizerAlone() throws {
        let hub = try IsolatedHub()
        defer { hub.remove() }
        let result = try CLI.run(["tokenize", "--model", "google-bert/bert-base-uncased", "hello"], environment: hub.environment)
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertTrue(result.stderr.contains("the tokenizer of model 'google-bert/bert-base-uncased' at revision 'main' "
                                             + "is not in the cache"), result.stderr)
        XCTAssertTrue(result.stderr.contains("fetches only the tokenizer files"), result.stderr)
        XCTAssertFalse(result.stderr.contains("models pull"), "models pull downloads the weights: \(result.stderr)")
    }

    /// Hostile review: `models list` printed the cache folder (HF_HUB_CACHE) and the names of files under `refs/` raw,
    /// their ESC sequences sent to the terminal.
    func testModelsListShowsTheCacheFolderAndRefsEscaped() throws {
        let empty = try CLI.run(["models", "list"], environment: ["HF_HUB_CACHE": path("hub\u{1b}[31m")])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual(empty.stdout, "no models cached in \(directory.path)/hub\\u{1b}[31m\n")

        let commit = String(repeating: "0a", count: 20)
        let repository = directory.appendingPathComponent("hub/models--org--tiny")
        let snapshot = repository.appendingPathComponent("snapshots/\(commit)")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: snapshot.appendingPathComponent("config.json"))
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try Data(commit.utf8).write(to: repository.appendingPathComponent("refs/e\u{1b}[31m"))
        // And invisible characters (a hostile review): in a ref's name, and after a hash, where Foundation's white space
        // (U+200B among it) was trimmed, so the ref was taken for that commit.
        try Data(commit.utf8).write(to: repository.appendingPathComponent("refs/ma\u{200b}in"))
        // A ref typed with the escape's characters prints apart from the one that holds the character (a code review).
        try Data(commit.utf8).write(to: repository.appendingPathComponent("refs/ma\\u{200b}in"))
        try Data((commit + "\u{200b}\n").utf8).write(to: repository.appendingPathComponent("refs/zw"))
        let listed = try CLI.run(["models", "list"], environment: ["HF_HUB_CACHE": path("hub")])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(listed.stdout, "cache: \(directory.path)/hub\norg/tiny  2 bytes\n  \(commit) (e\\u{1b}[31m, "
            + "ma\\x5cu{200b}in, ma\\u{200b}in)  1 files, model.safetensors missing, vocab.json missing, merges.txt missing\n"
            + "  refs/zw holds '\(commit)\\u{200b}', not a 40-character commit hash; delete the folder "
            + "\(repository.path) and pull the model again (`biasaudit models pull org/tiny`)\n")
    }

    /// Hostile review: a snapshot whose vocab.json links to a missing blob was listed as complete, a ref holding a path
    /// was dropped silently, and a FIFO named models--org--fifo was listed as a model of 0 bytes.
    func testModelsListFlagsBrokenSnapshotsAndRefsAndSkipsWhatIsNotAFolder() throws {
        let commit = String(repeating: "a", count: 40)
        let hub = directory.appendingPathComponent("hub")
        for name in ["tiny", "refbad"] {
            let repository = hub.appendingPathComponent("models--org--\(name)")
            let snapshot = repository.appendingPathComponent("snapshots/\(commit)")
            try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: repository.appendingPathComponent("refs"), withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: snapshot.appendingPathComponent("config.json"))
            try FileManager.default.createSymbolicLink(
                atPath: snapshot.appendingPathComponent("vocab.json").path, withDestinationPath: "../../blobs/" + commit)
            try Data((name == "tiny" ? commit : "../../../../tmp").utf8).write(to: repository.appendingPathComponent("refs/main"))
        }
        XCTAssertEqual(mkfifo(hub.appendingPathComponent("models--org--fifo").path, 0o600), 0)
        let listed = try CLI.run(["models", "list"], environment: ["HF_HUB_CACHE": hub.path])
        let advice = "delete the folder \(hub.path)/models--org--refbad and pull the model again (`biasaudit models pull org/refbad`)"
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(listed.stdout, "cache: \(hub.path)\n"
            + "org/refbad  2 bytes\n  \(commit)  2 files, vocab.json missing (a link to a missing blob), "
            + "model.safetensors missing, merges.txt missing\n"
            + "  refs/main holds '../../../../tmp', not a 40-character commit hash; \(advice)\n"
            + "org/tiny  2 bytes\n  \(commit) (main)  2 files, vocab.json missing (a link to a missing blob), "
            + "model.safetensors missing, merges.txt missing\n")
        // `models path` of that model refuses the ref with the same advice (a review: the listing said "delete it", the
        // ref, where `models path` said to delete the model's folder).
        let path = try CLI.run(["models", "path", "org/refbad"], environment: ["HF_HUB_CACHE": hub.path, "HF_HUB_OFFLINE": "1"])
        XCTAssertEqual(path.status, 65, path.stderr)
        XCTAssertTrue(path.stderr.contains(advice.prefix(1).uppercased() + advice.dropFirst() + "."), path.stderr)
    }

    /// A hostile review: `models--esc<ESC>[31mred` and a `models--…` name that is not UTF-8 were left out of the listing
    /// without a word, and a model folder without snapshots/ was listed as "nosnap 8.1 MB" alone. The first are
    /// counted with their names escaped; the last is flagged as holding no snapshot.
    func testModelsListNotesEntriesWhoseNamesAreNoModelIDAndFlagsAModelWithoutSnapshots() throws {
        let hub = directory.appendingPathComponent("hub")
        let blobs = hub.appendingPathComponent("models--org--nosnap/blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: blobs.appendingPathComponent(String(repeating: "b", count: 40)))
        for name in ["models--esc\u{1b}[31mred", "models--gp\u{200b}t2", "models--back\\slash"] {
            try FileManager.default.createDirectory(at: hub.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let badName = Array((hub.path + "/models--bad").utf8) + [0xFF] + Array("utf".utf8) + [0]
        XCTAssertEqual(badName.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o700) } }, 0)

        let listed = try CLI.run(["models", "list"], environment: ["HF_HUB_CACHE": hub.path])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(listed.stdout, "cache: \(hub.path)\n"
            + "org/nosnap  2 bytes, no snapshot: nothing to load; run `biasaudit models pull org/nosnap`, or delete "
            + "\(hub.path)/models--org--nosnap\n"
            + "skipped 4 cache entries whose names are no model id (delete or rename them): models--back\\x5cslash, "
            + "models--bad\\xffutf, models--esc\\u{1b}[31mred, models--gp\\u{200b}t2\n")
        XCTAssertFalse(listed.stdout.contains("\u{1b}") || listed.stdout.contains("\u{200b}"), "raw: \(listed.stdout)")
    }

    /// A hostile review: a snapshot whose merges.txt is empty, or that lacks a file a model needs, was listed as
    /// complete, though loading refuses it. Each is flagged, with the words loading's refusal uses for the first.
    func testModelsListFlagsASnapshotWithoutMergeRulesOrWithoutAFileAModelNeeds() throws {
        let hub = directory.appendingPathComponent("hub")
        let snapshots = [
            ("empty", String(repeating: "1", count: 40)), ("version", String(repeating: "2", count: 40)),
            ("good", String(repeating: "3", count: 40)), ("noweights", String(repeating: "4", count: 40)),
        ]
        for (name, commit) in snapshots {
            let snapshot = hub.appendingPathComponent("models--org--\(name)/snapshots/\(commit)")
            try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
            let files = ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
            for file in files where name != "noweights" || file != "model.safetensors" {
                try FileManager.default.copyItem(
                    at: Fixtures.url("models/tiny-gpt2/\(file)").resolvingSymlinksInPath(),
                    to: snapshot.appendingPathComponent(file))
            }
            let merges = snapshot.appendingPathComponent("merges.txt")
            if name == "empty" { try Data().write(to: merges) }
            if name == "version" { try Data("#version: 0.2\n".utf8).write(to: merges) }
        }
        let listed = try CLI.run(["models", "list"], environment: ["HF_HUB_CACHE": hub.path])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let lines = listed.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }.map(String.init)
        // Listed by id: empty, good, noweights, version.
        XCTAssertEqual(lines, [
            "  \(snapshots[0].1)  4 files, merges.txt has no merge rule",
            "  \(snapshots[2].1)  4 files",
            "  \(snapshots[3].1)  3 files, model.safetensors missing",
            "  \(snapshots[1].1)  4 files, merges.txt has no merge rule",
        ], listed.stdout)
        // A snapshot of another kind of tokenizer (WordPiece: vocab.txt) is one, not four missing files (a review).
        let wordPiece = hub.appendingPathComponent("models--org--bert/snapshots/\(String(repeating: "5", count: 40))")
        try FileManager.default.createDirectory(at: wordPiece, withIntermediateDirectories: true)
        for file in ["config.json", "vocab.txt", "tokenizer_config.json"] {
            try Data("{}".utf8).write(to: wordPiece.appendingPathComponent(file))
        }
        let withTokenizer = try CLI.run(["models", "list"], environment: ["HF_HUB_CACHE": hub.path])
        XCTAssertTrue(withTokenizer.stdout.contains("  \(String(repeating: "5", count: 40))  3 files, tokenizer only (no "
            + "model.safetensors; fetched by tokenize or decode --model)\n"), withTokenizer.stdout)
        // Loading refuses the same snapshot, with the same words.
        let loaded = try CLI.run(
            ["tokenize", "--model", hub.appendingPathComponent("models--org--empty/snapshots/\(snapshots[0].1)").path, "hi"],
            environment: ["HF_HUB_CACHE": hub.path, "HF_HUB_OFFLINE": "1"])
        XCTAssertEqual(loaded.status, 65, loaded.stderr)
        XCTAssertTrue(loaded.stderr.contains("merges.txt: error: the file holds no merge rule"), loaded.stderr)
    }
}
