import Foundation

/// What one run of the built `biasaudit` binary printed and returned.
public struct CommandResult: Sendable {
    /// The exit status.
    public let status: Int32
    /// Everything written to standard output.
    public let stdout: String
    /// Everything written to standard error.
    public let stderr: String
    /// Whether `CLI.run`'s `killAfter` guard fired (the command was still running and was killed).
    public var killed = false
}

/// Runs the `biasaudit` executable built next to the test bundle (`swift build --build-tests`
/// builds it), the way a user or a CI script would.
public enum CLI {
    /// The built executable.
    public static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test bundle is an executable `*.xctest` in the build directory; on macOS it is a bundle.
        if directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" {
            directory = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        return directory.appendingPathComponent("biasaudit")
    }

    /// Runs `biasaudit` with `arguments` and waits for it.
    /// - Parameters:
    ///   - arguments: the command line after the program name.
    ///   - environment: extra environment variables (added to this process's environment).
    ///   - stdin: bytes for standard input (none when `nil`).
    ///   - currentDirectory: the working directory (this process's when `nil`).
    ///   - executable: another program to run (a shell, for redirections); `biasaudit` when `nil`.
    ///   - killAfter: seconds after which a command still running is killed (SIGKILL) and the result says `killed`: a
    ///     guard that keeps a regression (a command waiting for ever, e.g. on a FIFO) from hanging the suite, not a
    ///     measure of speed. No guard when `nil`.
    /// - Returns: the exit status and both output streams.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
        currentDirectory: URL? = nil, executable program: URL? = nil, killAfter: Double? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = program ?? executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let lock = NSLock()
        nonisolated(unsafe) var killed = false
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem {
            lock.lock()
            defer { lock.unlock() }
            killed = true
            kill(pid, SIGKILL)
        }
        if let killAfter { DispatchQueue.global().asyncAfter(deadline: .now() + killAfter, execute: watchdog) }
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        watchdog.cancel()
        lock.lock()
        defer { lock.unlock() }
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), killed: killed)
    }
}
