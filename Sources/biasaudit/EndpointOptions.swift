import ArgumentParser
import AuditRun
import Foundation

/// How biasaudit talks to OpenAI-compatible servers (`--model http(s)://HOST[:PORT]/v1#SERVED_NAME`).
struct EndpointOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Requests in flight at once to each OpenAI-compatible server (1–256).")
    var concurrency: Int = AuditRunConfiguration.defaultConcurrentRequests

    @Option(
        name: .customLong("request-timeout"),
        help: ArgumentHelp("Seconds a request to a server may take, its whole answer included, before it is retried (1–3600).", valueName: "seconds"))
    var requestTimeout: Double = OpenAIEndpoint.defaultTimeout

    func validate() throws {
        guard (1...256).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 256 (requests in flight per server)")
        }
        guard requestTimeout.isFinite, (1...3600).contains(requestTimeout) else {
            throw ValidationError("--request-timeout must be between 1 and 3600 seconds")
        }
    }

    /// Sets the run's concurrency and timeout.
    func apply(to configuration: inout AuditRunConfiguration) {
        configuration.concurrentRequests = concurrency
        configuration.requestTimeout = requestTimeout
    }
}
