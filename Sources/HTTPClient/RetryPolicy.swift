import Foundation

/// How transient failures (connection reset, timeout, HTTP 408/429/5xx) are retried: exponential backoff,
/// bounded in attempts and in delay.
///
/// Mirrors `huggingface_hub`'s `http_backoff` defaults (5 retries, 1 s doubling up to 8 s). When the answer
/// announces a wait (`RateLimit: …;r=0;t=N` on a 429, or `Retry-After`), that wait plus one second replaces
/// the backoff delay, as in `http_backoff`; unlike it, a wait is bounded: an announced wait longer than
/// `maxAnnouncedDelay`, or one that would take the announced waits of one request past
/// `maxTotalAnnouncedDelay`, fails at once (the caller says when to try again: `HubError.rateLimited`,
/// or the OpenAI-compatible backend's rate-limit error).
/// The `sleep` function and the clock are injectable so tests run without waiting.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first one included (at least 1). A download that makes progress resets the count.
    public var maxAttempts: Int
    /// The delay before the first retry, in seconds.
    public var baseDelay: TimeInterval
    /// The largest delay between two attempts, in seconds.
    public var maxDelay: TimeInterval
    /// Waits the given number of seconds; throws `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (TimeInterval) async throws -> Void
    /// The longest single wait a server may ask for and get, in seconds (default 60).
    public var maxAnnouncedDelay: TimeInterval
    /// The longest time one request (a metadata request, or one file's download) spends in announced waits.
    public var maxTotalAnnouncedDelay: TimeInterval
    /// The current time, to turn a `Retry-After` HTTP-date into seconds.
    public var now: @Sendable () -> Date

    /// Creates a policy.
    public init(
        maxAttempts: Int,
        baseDelay: TimeInterval,
        maxDelay: TimeInterval,
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = RetryPolicy.taskSleep,
        maxAnnouncedDelay: TimeInterval = 60,
        maxTotalAnnouncedDelay: TimeInterval = 180,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
        self.maxAnnouncedDelay = maxAnnouncedDelay
        self.maxTotalAnnouncedDelay = maxTotalAnnouncedDelay
        self.now = now
    }

    /// A wait a server asked for, as messages say it: `120 s`, or `more than a day` beyond one (review: an absurd
    /// `Retry-After` was printed as "9223372036854775807 s").
    public static func spokenWait(_ seconds: Int) -> String {
        seconds > 86_400 ? "more than a day" : "\(seconds) s"
    }

    /// Six attempts, waiting 1, 2, 4, 8, 8 seconds between them.
    public static let standard = RetryPolicy(maxAttempts: 6, baseDelay: 1, maxDelay: 8)

    /// `Task.sleep` for the given seconds.
    public static let taskSleep: @Sendable (TimeInterval) async throws -> Void = { seconds in
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }

    /// The wait before retry number `retry` (1 for the first retry): `baseDelay · 2^(retry−1)`, capped.
    public func delay(beforeRetry retry: Int) -> TimeInterval {
        let exponent = Double(max(0, retry - 1))
        return min(maxDelay, baseDelay * pow(2, exponent))
    }

    /// What to do before retry number `retry` after a failure.
    public enum Decision: Equatable, Sendable {
        /// Sleep this long; `announced` when the server asked for the wait.
        case wait(TimeInterval, announced: Bool)
        /// The server asks for a wait (in whole seconds) longer than allowed: give up now.
        case giveUp(retryAfter: Int)
    }

    /// The backoff delay, or the announced wait plus one second (within the bounds), counting announced
    /// waits into `announcedSoFar`.
    /// - Parameter announced: the wait the failed answer asked for (``RetryHeaders/announcedWait(_:)``), if any.
    public func decision(beforeRetry retry: Int, announced: AnnouncedWait?, announcedSoFar: inout TimeInterval)
        -> Decision
    {
        guard let announced else { return .wait(delay(beforeRetry: retry), announced: false) }
        let seconds: TimeInterval
        switch announced {
        case .seconds(let value): seconds = max(0, value)
        case .until(let date): seconds = max(0, date.timeIntervalSince(now()))
        }
        let wait = min(seconds + 1, maxAnnouncedDelay)
        guard seconds <= maxAnnouncedDelay, announcedSoFar + wait <= maxTotalAnnouncedDelay else {
            return .giveUp(retryAfter: Self.wholeSeconds(seconds))
        }
        announcedSoFar += wait
        return .wait(wait, announced: true)
    }

    /// `seconds` rounded up to whole seconds, at most `Int.max`: a `Retry-After` of 20 or 400 digits reads as a
    /// Double of 1e20 or +infinity, which `Int(_:)` cannot hold (it traps); NaN and negative waits are 0.
    public static func wholeSeconds(_ seconds: TimeInterval) -> Int {
        guard !seconds.isNaN, seconds > 0 else { return 0 }
        let up = seconds.rounded(.up)
        // Double(Int.max) is 2^63, one more than Int.max: anything at or above it does not fit.
        return up < Double(Int.max) ? Int(up) : Int.max
    }

    /// HTTP statuses worth retrying, as `huggingface_hub`'s `_DEFAULT_RETRY_ON_STATUS_CODES`.
    public static func isTransient(status: Int) -> Bool {
        [408, 429, 500, 502, 503, 504].contains(status)
    }
}
