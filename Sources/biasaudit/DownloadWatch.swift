import CommandSupport
import Dispatch
import Foundation
import Hub
import PromptSets

/// Download progress passed on to the terminal's reporter, remembering the file in flight, so that a command stopped by
/// a signal says what it leaves in the cache (a hostile review: `models pull` stopped by Ctrl-C during a download
/// printed nothing).
///
/// What a stop leaves (`BlobDownloader` in Hub): the file being downloaded stays as `blobs/{etag}.incomplete`, which is
/// never linked into a snapshot nor taken for the file; the next download of an LFS file (the weights) resumes from
/// it, of another (small) file starts over. Files finished before it stay in `blobs/`, and the snapshot's links and
/// ref are written only once every file is there.
final class DownloadWatch: DownloadProgress, @unchecked Sendable {
    private struct InFlight {
        let file: String
        let totalBytes: Int64?
        var completedBytes: Int64
        let resumable: Bool
    }

    private let reporter: any DownloadProgress
    private let lock = NSLock()
    private var inFlight: InFlight?
    /// Whether a file was downloaded whole by this command.
    private var finishedAny = false
    private var fetching = false
    /// Whether the first fetch installs the signal handlers (``quitOnSignalsOnceFetching()``), and whether it has.
    private var armsOnFetch = false
    private var armed = false

    /// A watch passing every call on to `reporter`.
    init(reporting reporter: any DownloadProgress) {
        self.reporter = reporter
    }

    func downloadStarted(file: String, totalBytes: Int64?, resumedFrom: Int64) {
        downloadStarted(file: file, totalBytes: totalBytes, resumedFrom: resumedFrom, resumable: false)
    }

    func downloadStarted(file: String, totalBytes: Int64?, resumedFrom: Int64, resumable: Bool) {
        lock.withLock {
            inFlight = InFlight(file: file, totalBytes: totalBytes, completedBytes: resumedFrom, resumable: resumable)
        }
        armIfAsked()
        reporter.downloadStarted(file: file, totalBytes: totalBytes, resumedFrom: resumedFrom, resumable: resumable)
    }

    func downloadAdvanced(file: String, completedBytes: Int64, totalBytes: Int64?) {
        lock.withLock { inFlight?.completedBytes = completedBytes }
        reporter.downloadAdvanced(file: file, completedBytes: completedBytes, totalBytes: totalBytes)
    }

    func downloadFinished(file: String, totalBytes: Int64) {
        lock.withLock {
            inFlight = nil
            finishedAny = true
        }
        reporter.downloadFinished(file: file, totalBytes: totalBytes)
    }

    /// Whether a model is being fetched: a file downloading, or the Hub asked about a model between downloads (a
    /// review: Ctrl-C during a `HEAD` request in `run` said "stopping after the current batch").
    var isDownloading: Bool {
        lock.withLock { inFlight != nil || fetching }
    }

    func modelFetching(_ fetching: Bool) {
        lock.withLock { self.fetching = fetching }
        if fetching { armIfAsked() }
        reporter.modelFetching(fetching)
    }

    /// The line a stopped command prints: what was stopped, what stays in the cache and what to do.
    /// - Parameter stopped: how the stop is named ("interrupted", "terminated (SIGTERM)").
    func stoppedLine(_ stopped: String) -> String {
        let (current, finishedAny) = lock.withLock { (inFlight, self.finishedAny) }
        guard let current else {
            // Between two downloads, or while the model was looked up (a review: `generate --offline` stopped while
            // reading the cache said "the model files downloaded so far are kept").
            guard finishedAny else {
                return "biasaudit: \(stopped) while looking the model up (in the cache or on the Hub); nothing was "
                    + "downloaded and the cache is as it was: run the same command again"
            }
            return "biasaudit: \(stopped); the model files downloaded so far are kept in the cache: run the same command "
                + "again to fetch the rest"
        }
        let done = TerminalProgress.formatBytes(current.completedBytes)
        let size = current.totalBytes.map { "\(done) of \(TerminalProgress.formatBytes($0))" } ?? done
        let what = "biasaudit: \(stopped) while downloading \(TextEscaping.line(current.file)) (\(size)); "
        if current.resumable {
            return what + "the partial download is kept in the cache, never used as complete: run the same command again "
                + "to resume it"
        }
        return what + "its partial download is never used (the next try downloads the file again) and the files "
            + "finished before it are kept in the cache: run the same command again"
    }

    /// Makes Ctrl-C, SIGTERM and SIGHUP quit at once with ``stoppedLine(_:)`` and exit 130, 143 or 129, as `run` does
    /// (``StoppingSignals``: a signal the process inherited as ignored stays ignored). Quitting at once loses nothing:
    /// the partial file is written as the bytes arrive, and the cache is changed only by renames.
    /// - Parameter onlyWhileDownloading: when true (``quitOnSignalsOnceFetching()``), a signal outside a download ends
    ///   the process as the signal's default action does, with no line.
    /// - Returns: the signal sources, to keep while the command runs.
    func quitOnSignals(onlyWhileDownloading: Bool = false) -> [DispatchSourceSignal] {
        StoppingSignals.handle { [self] signalNumber, _ in
            guard !onlyWhileDownloading || isDownloading else { StoppingSignals.endAsByDefault(signalNumber) }
            StoppingSignals.quit(signalNumber, saying: stoppedLine(StoppingSignals.said(signalNumber)))
        }
    }

    /// For a command that loads a model and then works on (`generate`, `next-token`, `bench`, `tokenize` and
    /// `decode --model`): ``quitOnSignals(onlyWhileDownloading:)`` (true) from the first time a model is fetched from
    /// the Hub, never before. A command whose models are local folders installs no handler: Ctrl-C, SIGTERM and SIGHUP
    /// end it by their default action from the start (with the handlers, a local `generate` stopped by SIGTERM exited
    /// 143 instead of being killed by it). Once installed the handlers stay: cancelling a signal source does not give
    /// the signal its default action back, and giving it back by hand would break a later installation (libdispatch
    /// installs its own handler once per signal and process, so the default action given back would stay).
    func quitOnSignalsOnceFetching() {
        lock.withLock { armsOnFetch = true }
    }

    /// Installs the handlers of ``quitOnSignalsOnceFetching()`` at the first fetch.
    private func armIfAsked() {
        let arm = lock.withLock {
            guard armsOnFetch, !armed else { return false }
            armed = true
            return true
        }
        if arm { StoppingSignals.keepAlive(quitOnSignals(onlyWhileDownloading: true)) }
    }
}
