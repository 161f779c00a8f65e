@testable import HTTPClient
import XCTest

/// The order of a task's cancel and the answer to its redirect (FoundationNetworking traps when a cancel comes
/// between a redirect and its answer; a review's `run` at --concurrency 8 crashed with exit 132).
final class TaskCancellationGateTests: XCTestCase {
    /// A cancel before the redirect's answer: the redirect is left unanswered (the cancel ends the task).
    func testACancelBeforeTheRedirectLeavesItUnanswered() {
        var gate = TaskCancellationGate()
        XCTAssertTrue(gate.cancel(), "the first cancel is sent")
        XCTAssertFalse(gate.redirect(follow: false), "a refused redirect after a cancel is not answered")
        var following = TaskCancellationGate()
        XCTAssertTrue(following.cancel())
        XCTAssertFalse(following.redirect(follow: true), "nor a followed one")
    }

    /// A redirect refused first: the 3xx is the answer and the task is completing; a cancel after it is not sent.
    func testARefusedRedirectIsTheAnswerAndNoCancelFollows() {
        var gate = TaskCancellationGate()
        XCTAssertTrue(gate.redirect(follow: false))
        XCTAssertFalse(gate.cancel(), "a cancel after the refused redirect's answer is not sent")
        XCTAssertTrue(gate.isCancelled)
    }

    /// A followed redirect starts a new transfer, which a cancel still ends.
    func testAFollowedRedirectCanStillBeCancelled() {
        var gate = TaskCancellationGate()
        XCTAssertTrue(gate.redirect(follow: true))
        XCTAssertTrue(gate.redirect(follow: true), "a chain of redirects is answered hop by hop")
        XCTAssertTrue(gate.cancel())
        XCTAssertFalse(gate.redirect(follow: true), "the next hop after the cancel is not answered")
    }

    /// A task is cancelled once: a timeout after the caller's cancellation sends nothing more.
    func testACancelIsSentOnce() {
        var gate = TaskCancellationGate()
        XCTAssertFalse(gate.isCancelled)
        XCTAssertTrue(gate.cancel())
        XCTAssertFalse(gate.cancel())
        XCTAssertTrue(gate.isCancelled, "a task cancelled before it started is not started")
    }
}
