import ArgumentParser
import AuditRun
import Foundation
import OptionWording

/// How biasaudit talks to OpenAI-compatible servers (`--model http(s)://HOST[:PORT]/v1#SERVED_NAME`).
struct EndpointOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Requests in flight at once to each OpenAI-compatible server, \(AcceptedRange.between(OptionRange.concurrency)).",
        wholeNumbers: OptionRange.concurrency)
    var concurrency: Int = AuditRunConfiguration.defaultConcurrentRequests

    @OptionGroup var timeout: RequestTimeoutOption

    func validate() throws {
        guard OptionRange.concurrency.contains(concurrency) else {
            throw NumericArgument.refusal(
                "--concurrency", range: OptionRange.concurrency, meaning: "requests in flight per server", found: concurrency)
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
        help: "Seconds a request to a server may take, its whole answer included, before it is retried, "
            + "\(AcceptedRange.between(OptionRange.requestTimeoutSeconds)).",
        valueName: "seconds",
        numbers: AcceptedRange.between(OptionRange.requestTimeoutSeconds),
        example: "60")
    var requestTimeout: Double = OpenAIEndpoint.defaultTimeout

    func validate() throws {
        let range = OptionRange.requestTimeoutSeconds
        guard requestTimeout.isFinite, (Double(range.lowerBound)...Double(range.upperBound)).contains(requestTimeout) else {
            throw NumericArgument.refusal(
                "--request-timeout", mustBe: AcceptedRange.between(range) + " seconds", found: AcceptedRange.written(requestTimeout))
        }
    }
}
