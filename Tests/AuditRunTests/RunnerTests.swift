import AuditAnalysis
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import Glibc
import GRDB
import Generation
import Hub
import PromptSets
import TestSupport
import XCTest

/// The audit runner on the tiny fixture models: a run killed with SIGKILL, a cancelled run and a
/// store with holes all resume to exactly the files of an uninterrupted run (issue 5's acceptance).
final class RunnerTests: XCTestCase {
    private static let models = [Fixtures.url("models/tiny-gpt2").path, Fixtures.url("models/tiny-gpt2-openai-f16").path]
    private static let promptSet = Fixtures.url("audit/small-set.yaml")
    private static let samples = 4
    /// 2 templates × 2 groups × 3 terms.
    private static let prompts = 12
    /// Every completion of a run.
    private static let total = models.count * prompts * samples

    /// The uninterrupted run every test compares with, made once for the class.
    private static var reference: (directory: URL, outcome: AuditOutcome)?
    private static var scratch: URL?

    override class func tearDown() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
        scratch = nil
        reference = nil
        super.tearDown()
    }

    private static func scratchDirectory() throws -> URL {
        if let scratch { return scratch }
        let directory = try Fixtures.temporaryDirectory("runner")
        scratch = directory
        return directory
    }

    private static func configuration(out: URL) -> AuditRunConfiguration {
        AuditRunConfiguration(
            promptSetFiles: [promptSet], models: models, samples: samples, maxNewTokens: 6,
            sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 11), outputDirectory: out,
            commandLine: ["biasaudit", "run"])
    }

    private static func runner(
        out: URL, progress: AuditProgress? = nil, cancellation: CancellationFlag = CancellationFlag()
    ) throws -> AuditRunner {
        let hub = HubConfiguration(cacheDirectory: try scratchDirectory().appendingPathComponent("hub"), offline: true)
        return AuditRunner(
            configuration: configuration(out: out), locator: ModelLocator(configuration: hub),
            scorer: try TextScorer.bundled(), progress: progress, cancellation: cancellation)
    }

    private func referenceRun() async throws -> (directory: URL, outcome: AuditOutcome) {
        if let reference = Self.reference { return reference }
        let directory = try Self.scratchDirectory().appendingPathComponent("reference")
        let outcome = try await Self.runner(out: directory).runAndWrite()
        Self.reference = (directory, outcome)
        return (directory, outcome)
    }

    /// The number of stored completions, read through a read-only connection (nil while the store
    /// does not exist yet or its tables are still being created).
    private func storedCompletions(in directory: URL) -> Int? {
        let url = directory.appendingPathComponent(AuditRunner.FileName.store)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        return try? DatabaseQueue(path: url.path, configuration: configuration).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM completion")
        }
    }

    /// Asserts equal `completions.jsonl` bytes and equal results apart from timing and command line.
    private func assertSameFiles(_ a: URL, _ b: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let linesA = try String(contentsOf: a.appendingPathComponent("completions.jsonl"), encoding: .utf8).split(separator: "\n")
        let linesB = try String(contentsOf: b.appendingPathComponent("completions.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(linesA.count, Self.total, file: file, line: line)
        XCTAssertEqual(linesB.count, Self.total, file: file, line: line)
        if let first = (0..<min(linesA.count, linesB.count)).first(where: { linesA[$0] != linesB[$0] }) {
            XCTFail("completions differ first at line \(first + 1):\n\(linesA[first])\n\(linesB[first])", file: file, line: line)
        }
        let resultA = try AuditJSON.loadResult(at: a.appendingPathComponent("results.json"))
        var resultB = try AuditJSON.loadResult(at: b.appendingPathComponent("results.json"))
        resultB.timing = resultA.timing
        resultB.manifest.commandLine = resultA.manifest.commandLine
        XCTAssertEqual(resultA.manifest, resultB.manifest, file: file, line: line)
        XCTAssertEqual(resultA.promptSets, resultB.promptSets, "per-set estimates and contrasts", file: file, line: line)
        XCTAssertEqual(resultA.modelComparisons, resultB.modelComparisons, file: file, line: line)
        XCTAssertEqual(resultA, resultB, file: file, line: line)
    }

    // MARK: tests

    func testResultsFileLoadsBackToTheRunsResult() async throws {
        let (directory, outcome) = try await referenceRun()
        let loaded = try AuditJSON.loadResult(at: directory.appendingPathComponent("results.json"))
        // The writer adds the SHA-256 of the completions.jsonl it writes beside the results.
        var written = outcome.result
        written.manifest.completionsSHA256 = FileDigests.sha256(
            of: try Data(contentsOf: directory.appendingPathComponent("completions.jsonl")))
        XCTAssertEqual(loaded, written, "results.json round-trips through AuditJSON")
        XCTAssertEqual(loaded.manifest.models.map(\.id), ["tiny-gpt2", "tiny-gpt2-openai-f16"], "directory names label the models")
        XCTAssertEqual(loaded.manifest.models.map(\.spec), Self.models)
        XCTAssertEqual(loaded.manifest.models.map(\.source), ["local", "local"])
        XCTAssertEqual(loaded.timing.models?.map(\.model), ["tiny-gpt2", "tiny-gpt2-openai-f16"])
        XCTAssertEqual(
            loaded.manifest.models.first?.weightsSHA256,
            try sha256Hex(of: Fixtures.url("models/tiny-gpt2/model.safetensors")))
        XCTAssertEqual(loaded.manifest.promptSets.map(\.promptCount), [Self.prompts])
        XCTAssertEqual(loaded.manifest.promptSets.first?.sha256, FileDigests.sha256(of: try Data(contentsOf: Self.promptSet)))
        XCTAssertEqual(loaded.manifest.parameters.samples, Self.samples)
        XCTAssertEqual(loaded.manifest.parameters.seed, 11)
        XCTAssertEqual(loaded.promptSets.first?.groupEstimates.map(\.completions), Array(repeating: 24, count: 4))
    }

    /// The `biasaudit run` command line of the reference configuration, writing into `out`.
    private func commandLine(out: URL) -> [String] {
        [
            "run", Self.promptSet.path, "--model", Self.models[0], "--model", Self.models[1], "--samples", "\(Self.samples)",
            "--max-new-tokens", "6", "--seed", "11", "--out", out.path,
            "--quiet",
        ]
    }

    private func childEnvironment() throws -> [String: String] {
        ["HF_HUB_CACHE": try Self.scratchDirectory().appendingPathComponent("hub").path, "HF_HUB_OFFLINE": "1"]
    }

    /// Starts `biasaudit run` into `out` and returns once the first model's completions are stored.
    ///
    /// Each model's completions are one committed batch (12 prompts × 4 samples ≤ 192 rows), so the
    /// process is then working on the second model.
    /// - Parameter defaultFolder: run without `--out` in the folder above `out`, whose `Reports/<date>-<set>` is `out`.
    private func startRunAndWaitForFirstModel(out: URL, standardError: URL, defaultFolder: Bool = false) async throws -> Process {
        FileManager.default.createFile(atPath: standardError.path, contents: nil)
        let child = Process()
        child.executableURL = CLI.executable
        child.arguments = commandLine(out: out)
        if defaultFolder {
            child.arguments = Array(commandLine(out: out).filter { $0 != "--out" && $0 != out.path })
            child.currentDirectoryURL = out.deletingLastPathComponent().deletingLastPathComponent()
        }
        child.environment = ProcessInfo.processInfo.environment.merging(try childEnvironment()) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = try FileHandle(forWritingTo: standardError)
        try child.run()
        let firstModel = Self.prompts * Self.samples
        let deadline = Date().addingTimeInterval(60)
        var seen = 0
        while child.isRunning, Date() < deadline {
            seen = storedCompletions(in: out) ?? 0
            if seen >= firstModel { break }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        XCTAssertTrue(child.isRunning, "the run finished (\(seen) completions seen) before it could be stopped")
        return child
    }

    func testRunKilledWithSIGKILLResumesToTheSameFiles() async throws {
        let (reference, _) = try await referenceRun()
        let out = try Self.scratchDirectory().appendingPathComponent("killed")
        let child = try await startRunAndWaitForFirstModel(out: out, standardError: out.appendingPathExtension("stderr"))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        XCTAssertEqual(child.terminationStatus, SIGKILL)

        let stored = try XCTUnwrap(storedCompletions(in: out))
        XCTAssertEqual(stored, Self.prompts * Self.samples, "killed between the two models' batches")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("results.json").path))

        let resumed = try CLI.run(commandLine(out: out), environment: try childEnvironment())
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        try assertSameFiles(reference, out)
    }

    func testCtrlCStopsWithExit130AndTheSameCommandResumes() async throws {
        let (reference, _) = try await referenceRun()
        let out = try Self.scratchDirectory().appendingPathComponent("ctrl-c")
        let standardError = out.appendingPathExtension("stderr")
        let child = try await startRunAndWaitForFirstModel(out: out, standardError: standardError)
        kill(child.processIdentifier, SIGINT)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .exit)
        XCTAssertEqual(child.terminationStatus, 130)
        let message = try String(contentsOf: standardError, encoding: .utf8)
        XCTAssertTrue(message.contains("stopping after the current batch"), message)
        XCTAssertTrue(
            message.hasSuffix(
                "biasaudit: interrupted; the completions made so far are stored in \(out.path)/run.sqlite; "
                    + "run the same command again to resume\n"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("results.json").path))

        let resumed = try CLI.run(commandLine(out: out), environment: try childEnvironment())
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        try assertSameFiles(reference, out)
    }

    /// A run without `--out` writes to `Reports/<date>-<set>`, which the same command names otherwise the next day: its
    /// stop says to add `--out` with the folder to resume on another day, and that command resumes it (a hostile
    /// review: after midnight the run started over in a new folder).
    func testAStoppedRunInTheDefaultFolderSaysHowToResumeItOnAnotherDay() async throws {
        let (reference, _) = try await referenceRun()
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let base = try Self.scratchDirectory().appendingPathComponent("default-folder")
        let out = base.appendingPathComponent("Reports/\(formatter.string(from: Date()))-\(Self.promptSet.deletingPathExtension().lastPathComponent)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let standardError = base.appendingPathComponent("stderr")
        let child = try await startRunAndWaitForFirstModel(out: out, standardError: standardError, defaultFolder: true)
        kill(child.processIdentifier, SIGINT)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 130)
        let message = try String(contentsOf: standardError, encoding: .utf8)
        XCTAssertTrue(
            message.hasSuffix("run the same command again to resume\nbiasaudit: note: without --out the folder is named by "
                + "today's date; to resume on another day, add --out \(ShellQuoting.quote(out.path)) to the same command\n"),
            message)
        let resumed = try CLI.run(commandLine(out: out), environment: try childEnvironment())
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        try assertSameFiles(reference, out)
    }

    /// A Ctrl-C while a served model's server is probed, before anything is stored, quits at once (exit 130) saying so:
    /// there is no batch to wait for (a code review: a server that accepted and never answered kept the run waiting
    /// after "stopping …").
    func testACtrlCWhileAServerIsProbedQuitsAtOnce() throws {
        // A server that accepts connections (the kernel's backlog) and never answers.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(socket, 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(socket, 16), 0)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(socket, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let out = try Self.scratchDirectory().appendingPathComponent("probe-stop")
        let standardError = try Self.scratchDirectory().appendingPathComponent("probe-stop.stderr")
        FileManager.default.createFile(atPath: standardError.path, contents: nil)
        let child = Process()
        child.executableURL = CLI.executable
        child.arguments = ["run", Self.promptSet.path, "--model", "s=http://127.0.0.1:\(port)/v1", "--out", out.path]
        child.environment = ProcessInfo.processInfo.environment.merging(try childEnvironment()) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = try FileHandle(forWritingTo: standardError)
        try child.run()
        let deadline = Date().addingTimeInterval(30)
        func said() -> String { (try? String(contentsOf: standardError, encoding: .utf8)) ?? "" }
        while child.isRunning, !said().contains("connecting to"), Date() < deadline { usleep(20_000) }
        usleep(300_000)
        kill(child.processIdentifier, SIGINT)
        let stopped = Date()
        child.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(stopped), 10, "the first Ctrl-C quits at once")
        XCTAssertEqual(child.terminationStatus, 130, said())
        XCTAssertTrue(said().hasSuffix("biasaudit: interrupted; nothing was stored yet; run the same command again to start\n"),
                      said())
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("run.sqlite").path))
    }

    /// A stop before the run store is made (a model loading, a server probed) has nothing to resume; once the store is
    /// there, the message names it (a review: it named a run.sqlite in a folder that did not exist).
    func testAnInterruptNamesTheRunStoreOnlyOnceItExists() throws {
        let folder = try Self.scratchDirectory().appendingPathComponent("stop-hint")
        XCTAssertEqual(
            AuditError.interrupted(directory: folder.path).description,
            "interrupted; nothing was stored yet; run the same command again to start")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: folder.appendingPathComponent("run.sqlite").path, contents: Data()))
        XCTAssertEqual(
            AuditError.interrupted(directory: folder.path).description,
            "interrupted; the completions made so far are stored in \(folder.path)/run.sqlite; run the same command again to resume")
    }

    func testCancelledRunStopsBetweenBatchesAndResumes() async throws {
        let (reference, _) = try await referenceRun()
        let out = try Self.scratchDirectory().appendingPathComponent("cancelled")
        let cancellation = CancellationFlag()
        let progress = RecordingProgress(onBegin: { phase in
            if phase.contains("[2/2]: completions") { cancellation.cancel() }
        })
        try await assertInterrupted(out: out, progress: progress, cancellation: cancellation)
        XCTAssertEqual(storedCompletions(in: out), Self.prompts * Self.samples, "the first model's batch is stored")

        // Resume, and stop again during the last batch: the run stops before the statistics.
        let lastCancellation = CancellationFlag()
        let resumeProgress = RecordingProgress(onAdvance: { phase in
            if phase.hasSuffix("completions") { lastCancellation.cancel() }
        })
        try await assertInterrupted(out: out, progress: resumeProgress, cancellation: lastCancellation)
        XCTAssertEqual(
            resumeProgress.phases.filter { $0.phase.hasSuffix("completions") }.map(\.total), [Self.prompts * Self.samples],
            "only the second model's completions are generated: \(resumeProgress.phases)")
        XCTAssertEqual(storedCompletions(in: out), Self.total)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("results.json").path))

        let finalProgress = RecordingProgress()
        _ = try await Self.runner(out: out, progress: finalProgress).runAndWrite()
        XCTAssertTrue(finalProgress.phases.isEmpty, "nothing left to generate: \(finalProgress.phases)")
        try assertSameFiles(reference, out)
    }

    /// A practitioner's review: a Ctrl-C during the first model's last batch let the second model load and compute all
    /// its next-token probabilities before the run stopped. The stop is taken before the next model, and a stop during
    /// the next-token phase before the completions phase (whose progress line announced work that never ran).
    func testAStopIsTakenBeforeTheNextModelAndBeforeTheCompletionsPhase() async throws {
        let (reference, _) = try await referenceRun()
        let out = try Self.scratchDirectory().appendingPathComponent("stopped-between-models")
        let cancellation = CancellationFlag()
        let progress = RecordingProgress(onAdvance: { phase in
            if phase.contains("[1/2]: completions") { cancellation.cancel() }
        })
        try await assertInterrupted(out: out, progress: progress, cancellation: cancellation)
        XCTAssertFalse(progress.phases.contains { $0.phase.contains("[2/2]") }, "\(progress.phases)")
        XCTAssertEqual(storedCompletions(in: out), Self.prompts * Self.samples, "the first model's batch is stored")

        let nextTokens = CancellationFlag()
        let resumeProgress = RecordingProgress(onBegin: { phase in
            if phase.contains("[2/2]: next-token") { nextTokens.cancel() }
        })
        try await assertInterrupted(out: out, progress: resumeProgress, cancellation: nextTokens)
        XCTAssertTrue(resumeProgress.phases.contains { $0.phase.contains("[2/2]: next-token") }, "\(resumeProgress.phases)")
        XCTAssertFalse(resumeProgress.phases.contains { $0.phase.contains("[2/2]: completions") }, "\(resumeProgress.phases)")
        _ = try await Self.runner(out: out).runAndWrite()
        try assertSameFiles(reference, out)
    }

    /// Runs into `out` with `progress` and `cancellation`, which must stop the run: interrupted, exit 130.
    private func assertInterrupted(
        out: URL, progress: AuditProgress, cancellation: CancellationFlag, line: UInt = #line
    ) async throws {
        if let error = await thrownError(AuditError.self, "the run should have stopped", line: line, from: {
            _ = try await Self.runner(out: out, progress: progress, cancellation: cancellation).runAndWrite()
        }) {
            XCTAssertEqual(error, .interrupted(directory: out.path), line: line)
            XCTAssertEqual(error.exitCode, 130, line: line)
        }
    }

    func testStoreWithMissingSamplesIsFilledToTheSameFiles() async throws {
        let (reference, _) = try await referenceRun()
        let out = try Self.scratchDirectory().appendingPathComponent("holes")
        try? FileManager.default.removeItem(at: out)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let store = out.appendingPathComponent(AuditRunner.FileName.store)
        for suffix in ["", "-wal", "-shm"] {
            let source = reference.appendingPathComponent(AuditRunner.FileName.store + suffix)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            try FileManager.default.copyItem(at: source, to: URL(fileURLWithPath: store.path + suffix))
        }
        // Holes the batches never make: single sample indices, a whole prompt, one model's next-token row.
        let removed = try await DatabaseQueue(path: store.path).write { db -> Int in
            try db.execute(sql: "DELETE FROM completion WHERE sample_index IN (1, 3) AND prompt_id LIKE '%/nurse'")
            var count = db.changesCount
            try db.execute(sql: "DELETE FROM completion WHERE prompt_id LIKE '%/plumber' AND model LIKE '%f16'")
            count += db.changesCount
            try db.execute(sql: "DELETE FROM next_token WHERE prompt_id LIKE '%/carpenter' AND model LIKE '%f16'")
            return count
        }
        XCTAssertEqual(removed, 2 * 2 * 2 + 2 * Self.samples, "2 models × 2 templates × 2 samples, and 2 f16 prompts × 4")

        let progress = RecordingProgress()
        _ = try await Self.runner(out: out, progress: progress).runAndWrite()
        let generated = progress.phases.filter { $0.phase.hasSuffix("completions") }.map(\.total).reduce(0, +)
        XCTAssertEqual(generated, removed, "only the missing completions are generated: \(progress.phases)")
        XCTAssertEqual(
            progress.phases.filter { $0.phase.hasSuffix("next-token probabilities") }.map(\.total), [2],
            "only the missing next-token rows are computed")
        // Both phases of a model name it alike (review: only the completions said "[2/2]").
        XCTAssertTrue(
            progress.phases.contains { $0.phase.hasSuffix("f16 [2/2]: next-token probabilities") }, "\(progress.phases)")
        try assertSameFiles(reference, out)
    }
}

/// Records the phases a run announces, optionally acting when one begins or advances.
private final class RecordingProgress: AuditProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(phase: String, total: Int)] = []
    private let onBegin: (String) -> Void
    private let onAdvance: (String) -> Void

    init(onBegin: @escaping (String) -> Void = { _ in }, onAdvance: @escaping (String) -> Void = { _ in }) {
        self.onBegin = onBegin
        self.onAdvance = onAdvance
    }

    var phases: [(phase: String, total: Int)] { lock.withLock { recorded } }

    func begin(_ phase: String, total: Int) {
        lock.withLock { recorded.append((phase, total)) }
        onBegin(phase)
    }

    func advance(by count: Int) {
        onAdvance(lock.withLock { recorded.last?.phase ?? "" })
    }

    func end() {}
    func note(_ message: String) {}
}

extension AuditRunner {
    /// Runs the audit and writes its files (`results.json`, `completions.jsonl`) as `biasaudit run` does.
    fileprivate func runAndWrite() async throws -> AuditOutcome {
        let outcome = try await run()
        try ReportWriter.write(outcome, formats: [.json], templates: nil)
        return outcome
    }
}
