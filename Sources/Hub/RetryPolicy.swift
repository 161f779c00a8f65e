import Foundation

/// How transient failures (connection reset, timeout, HTTP 408/429/5xx) are retried: exponential backoff,
/// bounded in attempts and in delay.
///
/// Mirrors `huggingface_hub`'s `http_backoff` defaults (5 retries, 1 s doubling up to 8 s). The `sleep`
/// function is injectable so tests run without waiting.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first one included (at least 1). A download that makes progress resets the count.
    public var maxAttempts: Int
    /// The delay before the first retry, in seconds.
    public var baseDelay: TimeInterval
    /// The largest delay between two attempts, in seconds.
    public var maxDelay: TimeInterval
    /// Waits the given number of seconds; throws `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (TimeInterval) async throws -> Void

    /// Creates a policy.
    public init(
        maxAttempts: Int,
        baseDelay: TimeInterval,
        maxDelay: TimeInterval,
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = RetryPolicy.taskSleep
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
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

    /// HTTP statuses worth retrying, as `huggingface_hub`'s `_DEFAULT_RETRY_ON_STATUS_CODES`.
    static func isTransient(status: Int) -> Bool {
        [408, 429, 500, 502, 503, 504].contains(status)
    }
}
