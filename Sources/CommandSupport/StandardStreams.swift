import AuditResults
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Standard output and standard error as a command-line tool must treat them: a closed or full output is
/// an error with a message (exit 74), a reader that went away (a closed pipe, `| head`) ends the command
/// quietly, and nothing written to standard error can crash the process.
public enum StandardStreams {
    /// Prepares the process before any command runs: `SIGPIPE` is ignored (a closed pipe becomes an
    /// `EPIPE` error instead of killing the process), so is `SIGXFSZ` (a write past the file-size limit,
    /// `ulimit -f`, becomes an `EFBIG` error with a message instead of killing the process), and a closed standard stream is replaced so that no
    /// file the command opens can take its descriptor. A closed standard output is reopened read-only, so
    /// writing to it still fails (and is reported); a closed standard input or error reads or writes
    /// `/dev/null`.
    public static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        for (descriptor, flags) in [(STDIN_FILENO, O_RDONLY), (STDOUT_FILENO, O_RDONLY), (STDERR_FILENO, O_WRONLY)]
        where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", flags)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }

    /// Writes bytes to standard output, after what `print` has buffered.
    /// - Throws: ``AuditError/io(path:reason:)`` when standard output cannot be written (a full disk);
    ///   a closed pipe ends the process quietly (see ``exitQuietlyOnBrokenPipe()``).
    public static func writeOutput(_ data: Data) throws {
        fflush(stdout)
        var offset = 0
        while offset < data.count {
            let count = data.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EPIPE { exitQuietlyOnBrokenPipe() }
                throw outputError(code)
            }
            offset += count
        }
    }

    /// Writes text to standard error, ignoring failures: a message that cannot be shown must not turn a
    /// command's outcome into a crash, and the exit code still tells what happened.
    public static func writeError(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    /// Flushes what `print` buffered and reports whether all of standard output was written.
    /// - Returns: `nil` when it was (or the reader closed the pipe); otherwise the error to report.
    public static func finishOutput() -> AuditError? {
        let flushed = fflush(stdout) == 0
        let code = errno
        guard !flushed || ferror(stdout) != 0 else { return nil }
        if (!flushed && code == EPIPE) || isPipe(STDOUT_FILENO) { return nil }
        return outputError(flushed ? nil : code)
    }

    /// Ends the process with exit 0 and no message: the reader of standard output went away (`| head`),
    /// which is how pipelines end, not a failure of biasaudit.
    public static func exitQuietlyOnBrokenPipe() -> Never {
        exit(0)
    }

    private static func outputError(_ code: Int32?) -> AuditError {
        let cause = code.map { " (\(String(cString: strerror($0))))" } ?? ""
        // Past `ulimit -f` (code review: the advice was to look for disk space).
        if code == EFBIG {
            return AuditError.io(path: "standard output", reason: "cannot write the output\(cause); the output is "
                + "incomplete: it would pass the file-size limit (`ulimit -f`); raise the limit or write elsewhere")
        }
        // Standard output closed (`>&-`; hostile review: the advice was to look for disk space).
        if code == EBADF {
            return AuditError.io(path: "standard output", reason: "cannot write the output\(cause): standard output is "
                + "closed; redirect it to a file (> FILE) or to /dev/null instead of closing it")
        }
        return AuditError.io(path: "standard output", reason: "cannot write the output\(cause); the output is "
            + "incomplete: check that the disk it goes to has space, or redirect it to a writable file")
    }

    private static func isPipe(_ descriptor: Int32) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFSOCK
    }
}
