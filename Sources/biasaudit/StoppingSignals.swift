import AuditRun
import CommandSupport
import Dispatch
import Foundation
import PromptSets
import Synchronization

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP, handled on a dispatch queue by the commands that must say what a stop leaves
/// (`run`: its stored batches; a model download: what stays in the cache).
enum StoppingSignals {
    /// The signals, with how a stop line names them. A command stopped by one exits 128 + its number (130, 143, 129).
    static let all: [(signal: Int32, said: String)] = [
        (SIGINT, "interrupted"), (SIGTERM, "terminated (SIGTERM)"), (SIGHUP, "terminated (SIGHUP: the terminal closed)"),
    ]

    /// Handles each of `signals` with `handler` (called with the signal and how many arrived since its last call),
    /// except a signal the process inherited as ignored: `nohup` ignores SIGHUP, and a shell starts background jobs
    /// with SIGINT ignored (a review: `nohup biasaudit run …` was ended by SIGHUP once a handler replaced that).
    /// - Returns: the sources, to keep while the handling should last.
    static func handle(
        _ signals: [Int32] = all.map(\.signal), _ handler: @escaping @Sendable (Int32, UInt) -> Void
    ) -> [DispatchSourceSignal] {
        signals.compactMap { signalNumber in
            let previous = signal(signalNumber, SIG_IGN)
            guard unsafeBitCast(previous, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) else { return nil }
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [source] in handler(signalNumber, source.data) }
            source.resume()
            return source
        }
    }

    private static let keptSources = Mutex<[DispatchSourceSignal]>([])

    /// Keeps signal sources for the rest of the process (a source that is released stops handling its signal, and a
    /// cancelled one leaves it ignored).
    static func keepAlive(_ sources: [DispatchSourceSignal]) {
        keptSources.withLock { $0 += sources }
    }

    /// How `signal` is named in a stop line ("interrupted", "terminated (SIGTERM)").
    static func said(_ signal: Int32) -> String {
        all.first { $0.signal == signal }?.said ?? "stopped by signal \(signal)"
    }

    /// Quits at once with 128 + `signal`, after `line` (if any) on standard error. `_exit`, not `exit`: `exit` ran
    /// the atexit handlers and static destructors (oneDNN's among them) under threads still running, and once crashed
    /// with a segmentation fault (exit 139) in review.
    static func quit(_ signal: Int32, saying line: String?) -> Never {
        if let line { printError("\n" + line) }
        fflush(stdout)
        _exit(128 + signal)
    }

    /// Runs `write` (a command's writing of its output files, ``CommandSupport/OutputFiles/writeAll(_:)``) so that a
    /// stop during it lets the files be finished first, as `run` does: `report`, `analyze` and `merge` had no handler,
    /// and a stop between two renames would leave a new results.json beside older reports. A stop during the writing
    /// says so and ends the command, once the files are written, with 128 + its number; another stop then (not a copy
    /// of the first: ``CommandSupport/StopEchoes``) quits at once. A stop after it ends the command at once.
    /// Before this is called, no handler is installed: a stop ends the command as by default, before any file.
    /// - Parameter folder: the output folder, named in the stop lines.
    static func writingWhole<T>(into folder: URL, _ write: () throws -> T) throws -> T {
        let flag = CancellationFlag()
        _ = flag.endGeneration()
        let echoes = StopEchoes()
        let place = TextEscaping.line(folder.path)
        // Kept for the rest of the process: a cancelled source leaves its signal ignored.
        keepAlive(handle { signalNumber, _ in
            let echo = echoes.isEcho(signalNumber)
            if flag.isCancelled {
                if echo { return }
                quit(signalNumber, saying: "biasaudit: quitting; the files in \(place) may be left from two writes: "
                    + "run the command again")
            }
            switch flag.cancel(code: signalNumber) {
            case .afterTheFiles:
                printError("\nbiasaudit: \(said(signalNumber)) while writing the files in \(place), which takes a moment; "
                    + "they are finished first (another stop quits at once, which can leave them from two writes)…")
            case .nowWithTheFilesWritten:
                quit(signalNumber, saying: "biasaudit: \(said(signalNumber)); the files in \(place) are written and complete")
            case .afterTheBatch, .now:
                endAsByDefault(signalNumber)
            }
        })
        flag.beginWriting()
        let result: T
        do {
            result = try write()
        } catch {
            // The files were not written (each is as it was: ``OutputFiles/writeAll(_:)``): the error is the news.
            _ = flag.endWriting()
            throw error
        }
        if let code = flag.endWriting() {
            quit(code, saying: "biasaudit: \(said(code)); the files in \(place) were written first and are complete")
        }
        return result
    }

    /// Ends the process as the signal's default action would, for a command with nothing to say about a stop.
    /// The signal is unblocked in this thread first: handlers run on dispatch's threads, which block it, and a signal
    /// raised there stayed pending while `_exit` ended the process with 128 + its number instead of by the signal.
    static func endAsByDefault(_ signalNumber: Int32) -> Never {
        fflush(stdout)
        signal(signalNumber, SIG_DFL)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, signalNumber)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        raise(signalNumber)
        _exit(128 + signalNumber)
    }
}
