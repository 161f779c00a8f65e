import ArgumentParser
import AuditRun
import Foundation

/// How biasaudit talks to OpenAI-compatible servers (`--model http(s)://HOST[:PORT]/v1#SERVED_NAME`).
struct EndpointOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Requests in flight at once to each OpenAI-compatible server (1–256).", wholeNumbers: 1...256)
    var concurrency: Int = AuditRunConfiguration.defaultConcurrentRequests

    @OptionGroup var timeout: RequestTimeoutOption

    func validate() throws {
        guard (1...256).contains(concurrency) else {
            throw NumericArgument.refusal("--concurrency", mustBe: "between 1 and 256 (requests in flight per server)", found: concurrency)
        }
    }

    /// Sets the run's concurrency and timeout.
    func apply(to configuration: inout AuditRunConfiguration) {
        configuration.concurrentRequests = concurrency
        configuration.requestTimeout = timeout.requestTimeout
    }
}

/// `--request-timeout`: how long one request to an OpenAI-compatible server may take (`run`, and `generate` and
/// `next-token` of a served model: a hostile review found them waiting 300 s per attempt in silence on a server that never
/// answered, with no way to shorten it).
struct RequestTimeoutOption: ParsableArguments {
    @Option(
        name: .customLong("request-timeout"),
        help: "Seconds a request to a server may take, its whole answer included, before it is retried (1–3600).",
        valueName: "seconds", numbers: "from 1 to 3600", example: "60")
    var requestTimeout: Double = OpenAIEndpoint.defaultTimeout

    func validate() throws {
        guard requestTimeout.isFinite, (1...3600).contains(requestTimeout) else {
            throw NumericArgument.refusal("--request-timeout", mustBe: "between 1 and 3600 seconds", found: requestTimeout)
        }
    }
}
