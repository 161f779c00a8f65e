import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A hostile review: `biasaudit models pull ID` stopped by Ctrl-C during a download printed nothing. It says what was
/// stopped and what stays in the cache, exits 130, leaves no snapshot a later run could take as complete, and the same
/// command then finishes the model (resuming the weights from the partial file).
final class DownloadInterruptTests: XCTestCase {
    private static let commit = "0123456789abcdef0123456789abcdef01234567"
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = try Fixtures.temporaryDirectory("download-interrupt")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// The weights (an LFS file: its etag is its SHA-256) are kept and resumed with `Range`.
    func testCtrlCDuringTheWeightsKeepsThePartialFileAndTheSameCommandResumesIt() throws {
        let (weights, etag) = (Self.weights, Self.weightsETag)
        let hub = try StallingHub(files: Self.files(weights: weights, etag: etag), stalling: "model.safetensors")
        defer { hub.stop() }
        let stderr = try interruptAPull(hub: hub, partial: "\(etag).incomplete", half: weights.count / 2)
        XCTAssertTrue(stderr.contains("biasaudit: interrupted while downloading model.safetensors ("), stderr)
        XCTAssertTrue(stderr.contains("); the partial download is kept in the cache, never used as complete: run the "
            + "same command again to resume it"), stderr)
        XCTAssertEqual(try size(of: blobs.appendingPathComponent("\(etag).incomplete")), Int64(weights.count / 2))

        let again = try pull(hub)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(hub.ranges(of: "model.safetensors"), ["", "bytes=\(weights.count / 2)-"], "not resumed")
        XCTAssertEqual(try Data(contentsOf: snapshot.appendingPathComponent("model.safetensors")), weights)
        XCTAssertFalse(FileManager.default.fileExists(atPath: blobs.appendingPathComponent("\(etag).incomplete").path))
    }

    /// A small file (a git etag, no SHA-256 to check a resumed file against) is downloaded again.
    func testCtrlCDuringASmallFileSaysItIsDownloadedAgain() throws {
        let vocabulary = Data(String(repeating: "{\"a\": 0}\n", count: 4_000).utf8)
        var files = Self.files(
            weights: Data("weights".utf8), etag: "9a129038d9a00aed0cf6a7ea059ca50a813449061ab87848cf1a13eafdf33b2c")
        files["vocab.json"] = (vocabulary, "89abcdef0123456789abcdef0123456789abcdef")
        let hub = try StallingHub(files: files, stalling: "vocab.json")
        defer { hub.stop() }
        let stderr = try interruptAPull(
            hub: hub, partial: "89abcdef0123456789abcdef0123456789abcdef.incomplete", half: vocabulary.count / 2)
        XCTAssertTrue(stderr.contains("biasaudit: interrupted while downloading vocab.json ("), stderr)
        XCTAssertTrue(stderr.contains("); its partial download is never used (the next try downloads the file again) "
            + "and the files finished before it are kept in the cache: run the same command again"), stderr)

        let again = try pull(hub)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(hub.ranges(of: "vocab.json"), ["", ""], "a file without a SHA-256 etag was resumed")
        XCTAssertEqual(try Data(contentsOf: snapshot.appendingPathComponent("vocab.json")), vocabulary)
    }

    /// `run` fetching a model: a first Ctrl-C said "stopping after the current batch" and the download went on. It
    /// quits at once as `models pull` does.
    func testCtrlCWhileARunFetchesItsModelQuitsAtOnceSayingWhatIsKept() throws {
        let (weights, etag) = (Self.weights, Self.weightsETag)
        let hub = try StallingHub(files: Self.files(weights: weights, etag: etag), stalling: "model.safetensors")
        defer { hub.stop() }
        let stderr = try interruptAPull(
            hub: hub, partial: "\(etag).incomplete", half: weights.count / 2,
            arguments: ["run", Fixtures.url("audit/small-set.yaml").path, "--model", "stall/model", "--out",
                        scratch.appendingPathComponent("out").path])
        XCTAssertTrue(stderr.contains("biasaudit: interrupted while downloading model.safetensors ("), stderr)
        XCTAssertFalse(stderr.contains("stopping after the current batch"), stderr)
    }

    /// A review: Ctrl-C while `run` waited for the Hub's answer about a file (its `HEAD`, between downloads) said
    /// "stopping after the current batch" and waited on. The whole fetch of a model quits at once.
    func testCtrlCWhileARunAsksTheHubAboutAFileQuitsAtOnce() throws {
        let (weights, etag) = (Self.weights, Self.weightsETag)
        let hub = try StallingHub(files: Self.files(weights: weights, etag: etag), stalling: "vocab.json", stallingHead: true)
        defer { hub.stop() }
        let stderr = try interruptAPull(
            hub: hub, partial: "", half: 0,
            arguments: ["run", Fixtures.url("audit/small-set.yaml").path, "--model", "stall/model", "--out",
                        scratch.appendingPathComponent("out").path],
            until: { hub.isHoldingHead })
        XCTAssertTrue(stderr.contains("biasaudit: interrupted; the model files downloaded so far are kept in the cache: "
            + "run the same command again to fetch the rest"), stderr)
        XCTAssertFalse(stderr.contains("stopping after the current batch"), stderr)
    }

    /// A review: a stop before any file was downloaded (the Hub asked about the first file, or the cache read offline)
    /// said "the model files downloaded so far are kept in the cache", of none.
    func testCtrlCBeforeAnyFileIsDownloadedSaysNothingWasDownloaded() throws {
        let (weights, etag) = (Self.weights, Self.weightsETag)
        let hub = try StallingHub(files: Self.files(weights: weights, etag: etag), stalling: "config.json", stallingHead: true)
        defer { hub.stop() }
        let stderr = try interruptAPull(
            hub: hub, partial: "", half: 0, arguments: ["generate", "The nurse said", "--model", "stall/model"],
            until: { hub.isHoldingHead })
        XCTAssertTrue(stderr.contains("biasaudit: interrupted while looking the model up (in the cache or on the Hub); "
            + "nothing was downloaded and the cache is as it was: run the same command again"), stderr)
        XCTAssertFalse(stderr.contains("downloaded so far"), stderr)
    }

    /// The other commands that fetch a model (`generate`, `next-token`, `bench --model`, `tokenize --model`) stopped
    /// silently during a download; they say what is kept, as `models pull` does.
    func testCtrlCWhileGenerateOrTokenizeFetchesItsModelSaysWhatIsKept() throws {
        let (weights, etag) = (Self.weights, Self.weightsETag)
        for (command, stalling, partial, half) in [
            (["generate", "The nurse said", "--model", "stall/model"], "model.safetensors", "\(etag).incomplete", weights.count / 2),
            (["tokenize", "The nurse said", "--model", "stall/model"], "vocab.json", "2222222222222222222222222222222222222222.incomplete", 4),
        ] {
            try? FileManager.default.removeItem(at: scratch.appendingPathComponent("hub"))
            let hub = try StallingHub(files: Self.files(weights: weights, etag: etag), stalling: stalling)
            defer { hub.stop() }
            let stderr = try interruptAPull(hub: hub, partial: partial, half: half, arguments: command)
            XCTAssertTrue(stderr.contains("biasaudit: interrupted while downloading \(stalling) ("), "\(command[0]): \(stderr)")
        }
    }

    /// A command whose model is a local folder downloads nothing and installs no signal handler: SIGTERM ends it by its
    /// default action (with the handlers, `generate` on a local model exited 143 instead).
    func testALocalModelCommandInstallsNoHandlerAndIsKilledBySIGTERM() throws {
        let model = scratch.appendingPathComponent("model")
        try copyModel(to: model)
        let (process, status) = try startGenerating(model.path, watching: model, environment: environment)
        defer { stopIfRunning(process) }
        XCTAssertTrue(status.contains("SigCgt:"), status)
        for field in ["SigCgt", "SigIgn"] {
            XCTAssertEqual((Self.signalSet(field, in: status) ?? 0) & Self.bit(SIGTERM), 0, "SIGTERM in \(field): \(status)")
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "exit \(process.terminationStatus), not killed by SIGTERM")
        XCTAssertEqual(process.terminationStatus, SIGTERM)
    }

    /// A Hub model (here from the cache, offline) installs the handlers when it is fetched; once it is loaded a signal
    /// ends the command by its default action, as it would a local one (it exited 143: the signal, raised on a thread of
    /// dispatch's that blocks it, stayed pending).
    func testAHubModelCommandIsKilledBySIGTERMOnceItsModelIsLoaded() throws {
        let snapshot = scratch.appendingPathComponent("hub/models--local--tiny/snapshots/\(Self.commit)")
        try copyModel(to: snapshot)
        let refs = scratch.appendingPathComponent("hub/models--local--tiny/refs")
        try FileManager.default.createDirectory(at: refs, withIntermediateDirectories: true)
        try Data(Self.commit.utf8).write(to: refs.appendingPathComponent("main"))
        let (process, _) = try startGenerating(
            "local/tiny", watching: snapshot, environment: environment.merging(["HF_HUB_OFFLINE": "1"]) { $1 })
        defer { stopIfRunning(process) }
        // The handlers were installed when the model was fetched (libdispatch's own, once registered, catches SIGTERM).
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline,
            (Self.signalSet("SigCgt", in: Self.status(of: process)) ?? 0) & Self.bit(SIGTERM) == 0
        {
            usleep(5_000)
        }
        XCTAssertNotEqual((Self.signalSet("SigCgt", in: Self.status(of: process)) ?? 0) & Self.bit(SIGTERM), 0)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "exit \(process.terminationStatus), not killed by SIGTERM")
        XCTAssertEqual(process.terminationStatus, SIGTERM)
    }

    // MARK: - Helpers

    /// Copies the tiny fixture model's four files (links resolved) into `folder`.
    private func copyModel(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
            try Data(contentsOf: Fixtures.url("models/tiny-gpt2/\(file)").resolvingSymlinksInPath())
                .write(to: folder.appendingPathComponent(file))
        }
    }

    /// Starts a long `generate` of `model` and returns once it has opened `model.safetensors` in `folder` (inotify: the
    /// model is being loaded, its fetch is over), with its `/proc/PID/status` read at that moment.
    private func startGenerating(
        _ model: String, watching folder: URL, environment: [String: String]
    ) throws -> (Process, String) {
        let watch = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        XCTAssertGreaterThanOrEqual(watch, 0, "inotify_init1")
        defer { close(watch) }
        XCTAssertGreaterThanOrEqual(inotify_add_watch(watch, folder.path, UInt32(IN_OPEN)), 0, "inotify_add_watch")
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["generate", "The nurse said", "--model", model, "--samples", "10000", "--max-new-tokens", "100"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var opened = false
        let deadline = Date().addingTimeInterval(120)
        while !opened, process.isRunning, Date() < deadline {
            let count = read(watch, &buffer, buffer.count)
            guard count > 0 else {
                usleep(5_000)
                continue
            }
            // struct inotify_event: wd, mask, cookie, len (4 bytes each), then `len` bytes of NUL-padded name.
            var offset = 0
            while offset + 16 <= count {
                let length = buffer.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)) }
                let name = buffer[(offset + 16)..<min(offset + 16 + length, count)].prefix { $0 != 0 }
                opened = opened || String(decoding: name, as: UTF8.self) == "model.safetensors"
                offset += 16 + length
            }
        }
        let status = Self.status(of: process)
        XCTAssertTrue(opened && process.isRunning, "generate did not load the model: \(status)")
        return (process, status)
    }

    private func stopIfRunning(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// `/proc/PID/status` of a running process ("" once it is gone).
    private static func status(of process: Process) -> String {
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(process.processIdentifier)/status") else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// The signal set of a `/proc/PID/status` line (`SigCgt`, `SigIgn`: hexadecimal, bit n − 1 for signal n).
    private static func signalSet(_ field: String, in status: String) -> UInt64? {
        status.split(separator: "\n").first { $0.hasPrefix("\(field):") }
            .flatMap { UInt64($0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces), radix: 16) }
    }

    private static func bit(_ signal: Int32) -> UInt64 { 1 << UInt64(signal - 1) }

    private var repository: URL { scratch.appendingPathComponent("hub/models--stall--model") }
    private var blobs: URL { repository.appendingPathComponent("blobs") }
    private var snapshot: URL { repository.appendingPathComponent("snapshots/\(Self.commit)") }

    /// The four files of a model (their content is not read: `models pull` only fetches), the weights with their
    /// SHA-256 as etag.
    /// The stalling Hub's model.safetensors (64 KiB) and its SHA-256 (`sha256sum` of those bytes), the LFS etag.
    private static let weights = Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    private static let weightsETag = "d790e413479d16f4eab89ec0d18e3565e0982bd4788c26736a76d20ea781c901"

    private static func files(weights: Data, etag: String) -> [String: (content: Data, etag: String)] {
        [
            "config.json": (Data("{\"n_layer\": 1}".utf8), "1111111111111111111111111111111111111111"),
            "model.safetensors": (weights, etag),
            "vocab.json": (Data("{\"a\": 0}".utf8), "2222222222222222222222222222222222222222"),
            "merges.txt": (Data("#version: 0.2\n".utf8), "3333333333333333333333333333333333333333"),
        ]
    }

    private var environment: [String: String] {
        ["HOME": scratch.path, "HF_HOME": scratch.appendingPathComponent("hf").path,
         "HF_HUB_CACHE": scratch.appendingPathComponent("hub").path, "HF_TOKEN": "", "HUGGING_FACE_HUB_TOKEN": "",
         "HF_HUB_OFFLINE": "", "TRANSFORMERS_OFFLINE": "", "HF_HUB_DOWNLOAD_TIMEOUT": "600"]
    }

    private func pull(_ hub: StallingHub) throws -> CommandResult {
        try CLI.run(
            ["models", "pull", "stall/model"], environment: environment.merging(["HF_ENDPOINT": hub.endpoint]) { $1 })
    }

    /// Starts `arguments` (`models pull stall/model`), waits until `half` bytes of the stalled file are in `partial`
    /// (the download is under way; the signal handlers were installed before the first request), sends SIGINT, and
    /// requires exit 130, one line on standard error, and no snapshot or ref.
    /// - Returns: standard error.
    private func interruptAPull(
        hub: StallingHub, partial: String, half: Int, arguments: [String] = ["models", "pull", "stall/model"],
        until ready: (() -> Bool)? = nil
    ) throws -> String {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment
            .merging(environment.merging(["HF_ENDPOINT": hub.endpoint]) { $1 }) { $1 }
        // Standard error through a file: the child writes it while the test only waits.
        let errorFile = scratch.appendingPathComponent("pull.stderr")
        XCTAssertTrue(FileManager.default.createFile(atPath: errorFile.path, contents: nil), "cannot create \(errorFile.path)")
        let errors = try FileHandle(forWritingTo: errorFile)
        defer { try? errors.close() }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let file = blobs.appendingPathComponent(partial)
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, !(ready?() ?? ((try? size(of: file)) == Int64(half))), Date() < deadline {
            usleep(20_000)
        }
        func errorText() -> String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }
        XCTAssertTrue(process.isRunning, "the command ended before it was interrupted: \(errorText())")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = errorText()
        XCTAssertEqual(process.terminationReason, .exit, "killed by the signal, no word: \(stderr)")
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertEqual(stderr.split(separator: "\n").filter { $0.hasPrefix("biasaudit:") }.count, 1, stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: snapshot.path), "a snapshot after an interrupted pull")
        XCTAssertFalse(FileManager.default.fileExists(atPath: repository.appendingPathComponent("refs/main").path))
        return stderr
    }

    private func size(of url: URL) throws -> Int64 {
        ((try FileManager.default.attributesOfItem(atPath: url.path))[.size] as? NSNumber)?.int64Value ?? -1
    }
}

/// A Hub look-alike on 127.0.0.1 (one thread per connection, `Connection: close`) serving `stall/model` at one commit:
/// `HEAD` answers `X-Repo-Commit`, `ETag` and `Content-Length`; the first `GET` of the stalling file sends half of it
/// and then nothing, keeping the connection open; later `GET`s send the file, or with `Range: bytes=N-` its rest
/// (206). Other files are 404 `EntryNotFound`.
private final class StallingHub: @unchecked Sendable {
    private let files: [String: (content: Data, etag: String)]
    private let stalling: String
    private let listener: Int32
    private let lock = NSLock()
    private var stalled = false
    private var stopped = false
    private let stallingHead: Bool
    private var headHeld = false
    private var held: [Int32] = []
    private var recordedRanges: [String: [String]] = [:]
    /// `http://127.0.0.1:{port}`.
    let endpoint: String

    /// - Parameter stallingHead: the `HEAD` of the stalling file gets no answer (held open) instead of its `GET`.
    init(files: [String: (content: Data, etag: String)], stalling: String, stallingHead: Bool = false) throws {
        self.files = files
        self.stalling = stalling
        self.stallingHead = stallingHead
        let (socket, port) = try LoopbackSocket.listening()
        listener = socket
        endpoint = "http://127.0.0.1:\(port)"
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Whether the stalling file's `HEAD` is held unanswered (`stallingHead`).
    var isHoldingHead: Bool {
        lock.withLock { headHeld }
    }

    /// The `Range` header of every GET of `file` ("" when none), in order.
    func ranges(of file: String) -> [String] {
        lock.withLock { recordedRanges[file] ?? [] }
    }

    /// Closes the listening socket and every held connection.
    func stop() {
        let connections = lock.withLock {
            stopped = true
            return held
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for connection in connections { close(connection) }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            if lock.withLock({ stopped }) {
                close(connection)
                return
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.range(of: Data("\r\n\r\n".utf8)) == nil {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else {
                close(connection)
                return
            }
            request.append(contentsOf: buffer[0..<count])
        }
        let lines = String(decoding: request, as: UTF8.self).components(separatedBy: "\r\n")
        let words = lines[0].split(separator: " ")
        let method = words.first.map(String.init) ?? ""
        let path = words.count > 1 ? String(words[1]) : ""
        let range = lines.first { $0.lowercased().hasPrefix("range:") }
            .map { String($0.dropFirst("range:".count)).trimmingCharacters(in: .whitespaces) }
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let commit = "X-Repo-Commit: 0123456789abcdef0123456789abcdef01234567\r\n"
        guard path.hasPrefix("/stall/model/resolve/"), let file = files[name] else {
            reply(connection, "HTTP/1.1 404 Not Found\r\n\(commit)X-Error-Code: EntryNotFound\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n")
            close(connection)
            return
        }
        let head = "\(commit)ETag: \"\(file.etag)\"\r\nConnection: close\r\n"
        if method == "HEAD", stallingHead, name == stalling {
            lock.withLock {
                headHeld = true
                held.append(connection)
            }
            return  // held open, silent, until stop()
        }
        if method == "HEAD" {
            reply(connection, "HTTP/1.1 200 OK\r\n\(head)Content-Length: \(file.content.count)\r\n\r\n")
            close(connection)
            return
        }
        let stallNow = lock.withLock {
            recordedRanges[name, default: []].append(range ?? "")
            guard name == stalling, !stalled else { return false }
            stalled = true
            held.append(connection)
            return true
        }
        if stallNow {
            reply(connection, "HTTP/1.1 200 OK\r\n\(head)Content-Length: \(file.content.count)\r\n\r\n")
            reply(connection, file.content.prefix(file.content.count / 2))
            return  // held open, silent, until stop()
        }
        if let range, range.hasPrefix("bytes="), let start = Int(range.dropFirst("bytes=".count).dropLast()),
            start < file.content.count
        {
            let rest = file.content.suffix(from: start)
            reply(connection, "HTTP/1.1 206 Partial Content\r\n\(head)Content-Range: bytes "
                + "\(start)-\(file.content.count - 1)/\(file.content.count)\r\nContent-Length: \(rest.count)\r\n\r\n")
            reply(connection, Data(rest))
        } else {
            reply(connection, "HTTP/1.1 200 OK\r\n\(head)Content-Length: \(file.content.count)\r\n\r\n")
            reply(connection, file.content)
        }
        close(connection)
    }

    private func reply(_ connection: Int32, _ text: String) {
        reply(connection, Data(text.utf8))
    }

    /// Writes all of `data`, stopping quietly when the client is gone (`MSG_NOSIGNAL`: no SIGPIPE in the test process).
    private func reply(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                guard count > 0 else { return }
                offset += count
            }
        }
    }
}
