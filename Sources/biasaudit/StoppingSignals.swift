import AuditRun
import CommandSupport
import Dispatch
import Foundation
import PromptSets
import Synchronization

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP, handled on a dispatch queue by the commands that must say what a stop leaves
/// (`run`: its stored batches; a model download: what stays in the cache; `report`, `analyze` and `merge`: their output
/// files, finished first when they are being written, ``writingWhole(into:_:)``).
enum StoppingSignals {
    /// The signals, with how a stop line names them. A command stopped by one exits 128 + its number (130, 143, 129).
    static let all: [(signal: Int32, said: String)] = [
        (SIGINT, "interrupted"), (SIGTERM, "terminated (SIGTERM)"), (SIGHUP, "terminated (SIGHUP: the terminal closed)"),
    ]

    /// Handles each of `signals` with `handler` (called with the signal and how many arrived since its last call),
    /// except a signal the process inherited as ignored: `nohup` ignores SIGHUP, and a shell starts background jobs
    /// with SIGINT ignored (a review: `nohup biasaudit run …` was ended by SIGHUP once a handler replaced that).
    /// The handlers run one at a time (one serial queue), so two signals at once are a first stop and a second.
    /// Returns once libdispatch has installed its handler for each (it does so from its own thread, 0.1–5 ms later;
    /// until then a signal takes its default action, as before this call; its handler blocks the signal and sends it
    /// on to the thread that reads it, so one that comes before that thread's descriptor exists waits for it). The
    /// disposition is read, never set to `SIG_IGN` first as Apple's documentation advises for kqueue: on Linux a signal
    /// in that window was discarded, and `report` stopped then finished with exit 0 (a review); set after libdispatch's
    /// handler, it would replace it. Two signals sent together may be taken in either order (one source each).
    /// - Returns: the sources, to keep while the handling should last.
    static func handle(
        _ signals: [Int32] = all.map(\.signal), _ handler: @escaping @Sendable (Int32, UInt) -> Void
    ) -> [DispatchSourceSignal] {
        let handled = signals.filter { disposition($0) != .ignored }
        let sources = handled.map { signalNumber in
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [source] in handler(signalNumber, source.data) }
            source.resume()
            return source
        }
        let deadline = DispatchTime.now() + .seconds(1)
        while handled.contains(where: { disposition($0) != .handled }), DispatchTime.now() < deadline {
            usleep(100)
        }
        return sources
    }

    /// The queue every handler of ``handle(_:_:)`` runs on.
    private static let queue = DispatchQueue(label: "biasaudit.stopping-signals")

    /// What the process does with a signal now.
    private enum Disposition { case byDefault, ignored, handled }

    private static func disposition(_ signalNumber: Int32) -> Disposition {
        var action = sigaction()
        guard sigaction(signalNumber, nil, &action) == 0 else { return .byDefault }
        switch unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) {
        case unsafeBitCast(SIG_DFL, to: Int.self): return .byDefault
        case unsafeBitCast(SIG_IGN, to: Int.self): return .ignored
        default: return .handled
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
        ending.lock()
        if let line { printError("\n" + line) }
        fflush(stdout)
        _exit(128 + signal)
    }

    /// Ends the process with `code` (`Foundation.exit`), unless a stop is ending it already (``quit(_:saying:)``), whose
    /// code then stands: a stop as a command ended printed "interrupted" and the process exited 0 (a review). A stop
    /// that comes after this is taken ends nothing: the command is over.
    static func exit(_ code: Int32) -> Never {
        ending.lock()
        Foundation.exit(code)
    }

    /// Held by whichever of a stop and the command's own end ends the process first; never released.
    private static let ending = NSLock()

    /// Runs `write` (a command's rendering and writing of its output files, ``CommandSupport/OutputFiles/writeAll(_:completionsKeptIn:)``)
    /// so that a stop during it lets the files be finished first, as `run` does: `report`, `analyze` and `merge` had no
    /// handler, and a stop between two renames would leave a new results.json beside older reports. A stop during the
    /// writing says so and ends the command, once the files are written, with 128 + its number; another stop then (not
    /// a copy of the first: ``CommandSupport/StopEchoes``) quits at once. A stop after it ends the command at once.
    /// Before this is called no handler is installed: a stop ends the command by its default action.
    /// - Parameter folder: the output folder, named in the stop lines.
    static func writingWhole<T>(into folder: URL, _ write: () throws -> T) throws -> T {
        let flag = CancellationFlag(generating: false)
        let echoes = StopEchoes()
        let place = TextEscaping.path(folder.path)
        // Kept for the rest of the process: a cancelled source leaves its signal ignored.
        keepAlive(handle { signalNumber, _ in
            let echo = echoes.isEcho(signalNumber)
            let second = flag.isCancelled
            let stop = flag.cancel(code: signalNumber)
            switch stop {
            case .afterAFailedWrite:
                return
            case .nowWithTheFilesWritten:
                // A second stop too: the files are whole (a review: "may be left from two writes" was said of them).
                quit(signalNumber, saying: filesWrittenLine(said(signalNumber), files: "the files in \(place)", first: false))
            case _ where second:
                if echo { return }
                quit(signalNumber, saying: "biasaudit: quitting; the files in \(place) may be left from two writes: run "
                    + "the command again")
            case .afterTheFiles:
                printError(finishingFilesLine(said(signalNumber), files: "the files in \(place)"))
            case .beforeGeneration, .afterTheBatch, .now:
                endAsByDefault(signalNumber)
            }
        })
        return try writing(flag, files: "the files in \(place)", write)
    }

    /// Runs `write` (a command's writing of its output files) in `flag`'s writing phase, for `run` and
    /// ``writingWhole(into:_:)``: a stop asked for meanwhile waits for the files and then ends the command with its
    /// code, saying `files` (what was written: "the files in DIR") are complete; if the writing fails, its error ends
    /// the command and a stop from then on is answered by nothing (``AuditRun/CancellationFlag/Stop/afterAFailedWrite``).
    static func writing<T>(_ flag: CancellationFlag, files: String, _ write: () throws -> T) throws -> T {
        flag.beginWriting()
        let result: T
        do {
            result = try write()
        } catch {
            // The files were not written (each is as it was: ``OutputFiles/writeAll(_:completionsKeptIn:)``): the error is the news.
            flag.failWriting()
            throw error
        }
        if let code = flag.endWriting() {
            quit(code, saying: filesWrittenLine(said(code), files: files, first: true))
        }
        return result
    }

    /// What a stop while output files are written says: that they are finished first (`files`: what is written).
    static func finishingFilesLine(_ said: String, files: String) -> String {
        "\nbiasaudit: \(said) while writing \(files), which takes a moment; they are finished first (another stop "
            + "quits at once, which can leave them from two writes)…"
    }

    /// The line a command stopped during (`first`: the stop that waited for them) or after its writing ends with;
    /// `files`: what was written ("the files in DIR").
    static func filesWrittenLine(_ said: String, files: String, first: Bool) -> String {
        "biasaudit: \(said); \(files) " + (first ? "were written first and are complete" : "are written and complete")
    }

    /// Ends the process as the signal's default action would, for a command with nothing to say about a stop.
    /// The signal is unblocked in this thread first: handlers run on dispatch's threads, which block it, and a signal
    /// raised there stayed pending while `_exit` ended the process with 128 + its number instead of by the signal.
    static func endAsByDefault(_ signalNumber: Int32) -> Never {
        ending.lock()
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
