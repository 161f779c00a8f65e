import Foundation
import HTTPClient
@testable import Hub
import XCTest

/// Parsing of the headers the Hub explains itself with, and the retry decisions made from them.
final class HubServerHeadersTests: XCTestCase {
    func testRateLimitHeaderGivesTheResetOnlyWhenNoRequestIsLeft() {
        XCTAssertEqual(RetryHeaders.rateLimitReset("\"api\";r=0;t=55"), 55)
        XCTAssertEqual(RetryHeaders.rateLimitReset("\"resolvers\" ; r = 0 ; t = 172"), 172)
        XCTAssertNil(RetryHeaders.rateLimitReset("\"resolvers\";r=2998;t=172"), "requests left: no wait")
        XCTAssertEqual(RetryHeaders.rateLimitReset("\"a\";r=3;t=9, \"b\";r=0;t=12"), 12)
        XCTAssertNil(RetryHeaders.rateLimitReset("garbage"))
        XCTAssertNil(RetryHeaders.rateLimitReset("\"api\";r=0;t=-5"))
    }

    func testHTTPDatesInTheThreeFormsOfRFC9110() {
        let expected = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        XCTAssertEqual(RetryHeaders.httpDate("Sun, 06 Nov 1994 08:49:37 GMT"), expected)
        XCTAssertEqual(RetryHeaders.httpDate("Sunday, 06-Nov-94 08:49:37 GMT"), expected)
        XCTAssertEqual(RetryHeaders.httpDate("Sun Nov  6 08:49:37 1994"), expected)
        XCTAssertNil(RetryHeaders.httpDate("soon"))
    }

    /// A hostile review: a timeout read "The operation could not be completed. (NSURLErrorDomain error -1001.)".
    func testANetworkFailureIsWordedWithItsTimeoutAndSetting() {
        XCTAssertEqual(TransientFailure.words(URLError(.timedOut), timeout: 10, setting: "HF_HUB_ETAG_TIMEOUT"),
                       "no answer for 10 s (the timeout; HF_HUB_ETAG_TIMEOUT sets it)")
        XCTAssertEqual(TransientFailure.words(URLError(.timedOut), timeout: 2.5, setting: "HF_HUB_DOWNLOAD_TIMEOUT"),
                       "no answer for 2.5 s (the timeout; HF_HUB_DOWNLOAD_TIMEOUT sets it)")
        let other = TransientFailure.words(URLError(.networkConnectionLost), timeout: 10, setting: "HF_HUB_ETAG_TIMEOUT")
        XCTAssertFalse(other.contains("could not be completed"), other)
        XCTAssertFalse(other.isEmpty)
    }

    func testServerTextIsEscapedAndCut() {
        XCTAssertEqual(HubServerHeaders.excerpt("  Repository not found \n"), "Repository not found")
        XCTAssertEqual(HubServerHeaders.excerpt("a\u{1B}[31mred\nb\u{202E}"), "a\\u{1b}[31mred\\u{a}b\\u{202e}")
        let long = HubServerHeaders.excerpt(String(repeating: "x", count: 500))
        XCTAssertEqual(long, String(repeating: "x", count: HubServerHeaders.excerptLimit) + "…")
    }

    func testAnnouncedWaitsAreBoundedPerWaitAndInTotal() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: 1, maxDelay: 8, maxAnnouncedDelay: 60, maxTotalAnnouncedDelay: 100)
        var soFar: TimeInterval = 0
        func decide(_ wait: AnnouncedWait?) -> RetryPolicy.Decision {
            policy.decision(beforeRetry: 2, announced: wait, announcedSoFar: &soFar)
        }
        XCTAssertEqual(decide(nil), .wait(2, announced: false), "no announcement: backoff")
        XCTAssertEqual(decide(.seconds(0)), .wait(1, announced: true))
        XCTAssertEqual(decide(.seconds(59.5)), .wait(60, announced: true), "capped at 60")
        XCTAssertEqual(decide(.seconds(61)), .giveUp(retryAfter: 61))
        XCTAssertEqual(decide(.seconds(39)), .giveUp(retryAfter: 39), "61 s waited, 40 more would pass 100")
        XCTAssertEqual(soFar, 61)
    }

    /// A hostile review found that a huge `Retry-After` (20 digits, or 400 digits reading as +infinity)
    /// crashed every network command converting the wait to `Int`; it now gives up like a far-future date.
    func testHugeAnnouncedWaitsGiveUpInsteadOfTrapping() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: 1, maxDelay: 8)
        var soFar: TimeInterval = 0
        func decide(_ wait: AnnouncedWait?) -> RetryPolicy.Decision {
            policy.decision(beforeRetry: 1, announced: wait, announcedSoFar: &soFar)
        }
        func retryAfter(_ header: String) -> AnnouncedWait? {
            RetryHeaders.announcedWait(HTTPResponse(status: 503, headers: ["Retry-After": header], url: URL(string: "https://hub.example/x")!))
        }
        XCTAssertEqual(decide(retryAfter("99999999999999999999")), .giveUp(retryAfter: Int.max))
        XCTAssertEqual(decide(retryAfter(String(repeating: "9", count: 400))), .giveUp(retryAfter: Int.max))
        XCTAssertEqual(decide(.seconds(.infinity)), .giveUp(retryAfter: Int.max))
        XCTAssertEqual(decide(.seconds(9_223_372_036_854_775_807)), .giveUp(retryAfter: Int.max))
        XCTAssertEqual(decide(.seconds(1e15)), .giveUp(retryAfter: 1_000_000_000_000_000))
        XCTAssertEqual(decide(.seconds(.nan)), .wait(1, announced: true), "NaN reads as no wait")
        XCTAssertEqual(RetryPolicy.spokenWait(Int.max), "more than a day", "review: printed as 9223372036854775807 s")
        XCTAssertEqual(RetryPolicy.spokenWait(120), "120 s")
        XCTAssertEqual(RetryPolicy.wholeSeconds(-3), 0)
        XCTAssertEqual(RetryPolicy.wholeSeconds(60.2), 61)
    }

    /// A hostile review: a Hub (or a mirror) echoing the token in X-Error-Message had it printed.
    func testTheTokenIsHiddenInTheHubsMessage() {
        let response = HTTPResponse(
            status: 401, headers: ["X-Error-Message": "Invalid token Bearer hf_TOPSECRET (hf_TOPSECRET)"],
            url: URL(string: "https://hub.example/x")!)
        XCTAssertEqual(HubServerHeaders.errorMessage(response, hiding: "hf_TOPSECRET"), "Invalid token Bearer *** (***)")
        XCTAssertEqual(HubServerHeaders.errorMessage(response, hiding: nil), "Invalid token Bearer hf_TOPSECRET (hf_TOPSECRET)")
    }

}
