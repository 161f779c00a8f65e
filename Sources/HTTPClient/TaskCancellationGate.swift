/// Orders the cancellation of one URLSession task against the answer to its redirect.
///
/// FoundationNetworking (swift-corelibs-foundation) traps with "Received callback for HTTP redirection, but we're
/// not waiting for it" when a task is cancelled while its redirect waits for the delegate's answer: the cancel,
/// queued on the task's work queue, ends the transfer, and the answer queued after it finds no redirect waiting
/// (review: `run` against a server answering 307, at --concurrency 8, crashed with exit 132 when the first 307's
/// error cancelled the other requests in flight). Both the cancel and the answer are queued on that one serial
/// queue, so deciding them in one order, under one lock, and acting in that order avoids the trap:
/// - a cancel requested before the redirect's answer: the redirect is left unanswered (the queued cancel ends the
///   task and reports it cancelled);
/// - a redirect refused first: the 3xx is the answer, the task is completing, and a later cancel is not sent.
///
/// A value type with no locking of its own: the transport's delegate holds it under its lock.
struct TaskCancellationGate {
    private var cancelled = false
    private var answeringWithRedirect = false

    /// Whether a cancel was asked for (a task cancelled before it was resumed must not be resumed).
    var isCancelled: Bool { cancelled }

    /// A cancel is asked for (the caller's task was cancelled, the deadline passed, the sink refused the body).
    /// - Returns: whether to call `cancel()` on the URLSession task now; false when a cancel was already sent or the
    ///   task is completing with a refused redirect as its answer.
    mutating func cancel() -> Bool {
        guard !cancelled else { return false }
        cancelled = true
        return !answeringWithRedirect
    }

    /// The task's delegate is asked whether to follow a redirect.
    /// - Parameter follow: whether the redirect would be followed (false: the 3xx becomes the answer).
    /// - Returns: whether to answer the delegate's completion handler; false when a cancel was sent before (it ends
    ///   the task; an answer after it traps).
    mutating func redirect(follow: Bool) -> Bool {
        guard !cancelled else { return false }
        if !follow { answeringWithRedirect = true }
        return true
    }
}
