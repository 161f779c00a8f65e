import AuditAnalysis
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import GRDB
import Generation
import HTTPClient
import Hub
import OpenAITestSupport
import Reporting
import TestSupport
import XCTest

/// Runs against the loopback OpenAI-compatible server (`OpenAITestServer`): a served model beside a local
/// one, retries, a crash and resume, an unreachable server; and sharded runs merged.
final class RemoteRunnerTests: XCTestCase {
    private static let promptSet = Fixtures.url("audit/small-set.yaml")
    private static let localModel = Fixtures.url("models/tiny-gpt2").path
    private static let maleTerms = ["carpenter", "electrician", "plumber"]
    /// Numbers computed from the same records in two ways agree to rounding.
    private static let tolerance = 1e-9

    private var scratch: URL!
    private var server: OpenAITestServer!

    override func setUp() async throws {
        scratch = try Fixtures.temporaryDirectory("remote-runner")
        server = OpenAITestServer(skewedTerms: Self.maleTerms)
        try await server.start()
    }

    override func tearDown() async throws {
        try await server?.stop()
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// A retry policy that records its waits instead of sleeping.
    private final class Waits: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [TimeInterval] = []
        var all: [TimeInterval] { lock.withLock { values } }
        func add(_ value: TimeInterval) { lock.withLock { values.append(value) } }
    }

    private func runner(
        models: [String], out: String, samples: Int = 4, shard: RunShard? = nil, concurrency: Int = 4,
        waits: Waits = Waits(), cancellation: CancellationFlag = CancellationFlag(),
        onSleep: (@Sendable () -> Void)? = nil, progress: AuditProgress? = nil,
        configure: (inout AuditRunConfiguration) -> Void = { _ in }
    ) throws -> AuditRunner {
        var configuration = AuditRunConfiguration(
            promptSetFiles: [Self.promptSet], models: models, samples: samples, maxNewTokens: 6,
            sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 11),
            outputDirectory: scratch.appendingPathComponent(out), commandLine: ["biasaudit", "run"])
        configuration.concurrentRequests = concurrency
        configuration.shard = shard
        configuration.retryPolicy = RetryPolicy(
            maxAttempts: 4, baseDelay: 0.5, maxDelay: 2, sleep: { waits.add($0); onSleep?() })
        configure(&configuration)
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        return AuditRunner(
            configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled(),
            progress: progress, cancellation: cancellation)
    }

    /// An interrupt that arrives while the server is being probed starts no new phase: no next-token or completions
    /// request follows (a hostile review: Ctrl-C against a slow server went on for 90 s and sent new requests).
    func testAnInterruptBeforeGenerationSendsNoFurtherRequest() async throws {
        let interrupted = CancellationFlag()
        interrupted.cancel()
        if let error = await thrownError(AuditError.self, "an interrupted run stops", from: {
            _ = try await runner(models: [served], out: "interrupted", cancellation: interrupted).run()
        }) {
            XCTAssertEqual(error.exitCode, 130, "\(error)")
        }
        XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, 0, "no completions request")
        XCTAssertEqual(server.requests.filter { $0.logprobs != nil && $0.prompts != ["Hello"] }.count, 0, "no next-token request")
    }

    /// An interrupt while the probe waits out a failing server (429) is the interrupt (exit 130), and no further
    /// attempt starts (review: it went through every attempt and ended in exit 69).
    func testAnInterruptDuringTheProbesRetriesStopsThem() async throws {
        let interrupted = CancellationFlag()
        server.throttlesProbes = true
        server.throttle(Array(repeating: (429, "1"), count: 10))
        if let error = await thrownError(AuditError.self, "an interrupted run stops", from: {
            _ = try await runner(models: [served], out: "probe-interrupted", cancellation: interrupted,
                                 onSleep: { interrupted.cancel() }).run()
        }) {
            XCTAssertEqual(error.exitCode, 130, "\(error)")
            // The store is made after the probe: the message names none (a review: it said "stored in …/run.sqlite" of
            // a folder that did not exist).
            XCTAssertEqual(
                error.description, "interrupted; nothing was stored yet; run the same command again to start")
        }
        XCTAssertEqual(server.requests.count, 0, "the throttled probe is not recorded, and no request follows the interrupt")
    }

    /// An interrupt that ends a request's retries (the retry policy waits no more after it) stops the run as an
    /// interrupt (exit 130) once the other requests in flight are stored; the rerun asks only for the rest (review: a
    /// request timing out after Ctrl-C ended the run with exit 70 and "biasaudit: CancellationError()").
    func testAnInterruptDuringACompletionsRetryStoresTheRequestsInFlightAndResumes() async throws {
        let interrupted = CancellationFlag()
        // One of the first four completions requests fails (500); Ctrl-C comes while its retry would wait, and the
        // three others in flight are still answered.
        server.throttle([(500, nil)])
        if let error = await thrownError(AuditError.self, "an interrupted run stops", from: {
            _ = try await runner(models: [served], out: "retry-interrupted", concurrency: 4, cancellation: interrupted,
                                 onSleep: { interrupted.cancel() }).run()
        }) {
            XCTAssertEqual(error.exitCode, 130, "\(error)")
            XCTAssertTrue(error.description.contains("run the same command again to resume"), "\(error)")
        }
        // How many others were answered before the interrupt depends on the order of the answers; each was stored.
        let answered = server.requests.filter { $0.maxTokens > 1 }.count
        let resumed = try await runner(models: [served], out: "retry-interrupted", concurrency: 4).run()
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, answered * 6, "every answer before the rerun was stored")
        XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, 8, "the rerun asks only for what was not answered")
        XCTAssertEqual(resumed.completions.filter { $0.model == "served" }.count, 12 * 4)
    }

    /// A run whose requests time out after 1 s with two attempts each and no wait between them.
    private static func quickTimeouts(_ configuration: inout AuditRunConfiguration) {
        configuration.requestTimeout = 1
        configuration.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0, maxDelay: 0, sleep: { _ in })
    }

    /// An interrupt that arrives while a request's last attempt is in flight, which then times out, is the interrupt (exit
    /// 130, the resume hint), not the server's failure, and loses nothing: the rerun asks only for what was not answered
    /// (review: it ended with exit 69, "did not answer within …").
    func testAnInterruptDuringALastAttemptThatTimesOutIsTheInterrupt() async throws {
        let interrupted = CancellationFlag()
        // Three generating requests are answered; the fourth hangs on both attempts, and Ctrl-C comes during the second.
        server.hangsGeneratingAfter = 3
        server.onHang = { count in if count == 2 { interrupted.cancel() } }
        let out = scratch.appendingPathComponent("last-attempt-interrupted")
        if let error = await thrownError(AuditError.self, "an interrupted run stops", from: {
            _ = try await runner(
                models: [served], out: "last-attempt-interrupted", concurrency: 1, cancellation: interrupted,
                configure: Self.quickTimeouts
            ).run()
        }) {
            XCTAssertEqual(error, .interrupted(directory: out.path), "\(error)")
            XCTAssertEqual(error.exitCode, 130, "\(error)")
        }
        XCTAssertTrue(interrupted.isCancelled, "the interrupt came during the last attempt")
        XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, 3)
        server.hangsGeneratingAfter = nil
        let resumed = try await runner(models: [served], out: "last-attempt-interrupted", concurrency: 1).run()
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, 3 * 6, "the three answers before it were kept")
        XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, 8, "the rerun asks only for what was not answered")
        XCTAssertEqual(resumed.completions.filter { $0.model == "served" }.count, 12 * 4)
    }

    /// Each way a server fails mid-run (exit 69) ends with the run's resume hint, naming the run store, and says "run the
    /// same command again" once: the server's own "then run the same command again" is a flag of the error that the hint
    /// replaces (a review: the hint was added unless the message already held those words, so a timeout, a server that
    /// fails or goes away and a long Retry-After said it without naming what is kept).
    func testEachServerFailureMidRunEndsWithTheResumeHintOnce() async throws {
        let cases: [(name: String, says: String, setUp: (OpenAITestServer) -> Void)] = [
            ("timeout", "did not answer within 1 s (--request-timeout), 2 attempts", { $0.hangsGeneratingAfter = 2 }),
            // A connection closed without an answer: the server answered nothing whole, which "start the server" would
            // not fix (a hostile review); a server that is down is "cannot reach" (ServedModelCLITests).
            ("gone", "gave no whole HTTP answer (The network connection was lost.) after 2 attempts; check that the server "
                + "has finished starting, its log,",
             { $0.dropsGeneratingAfter = 2 }),
            ("crash", "kept failing (HTTP 500) after 2 attempts", { $0.crash(afterCompletions: 2) }),
            ("retry-after", "asks to wait more than a day before the next request (HTTP 429)", { $0.throttle([(429, "90000")]) }),
            // A practitioner's review: a 429 past the attempts said "kept failing … check the server's log".
            ("rate-limit", "is rate-limiting these requests (HTTP 429: '{\"error\":\"busy\"}') after 2 attempts: wait, and "
                + "send it fewer requests at once (run's --concurrency", { $0.throttle(Array(repeating: (429, "0"), count: 12)) }),
            ("key", "refused access (HTTP 401", { $0.throttle([(401, nil)]) }),
            ("route", "answered 404", { $0.throttle([(404, nil)]) }),
        ]
        for (name, says, setUp) in cases {
            try await server.stop()
            server = OpenAITestServer(skewedTerms: Self.maleTerms)
            try await server.start()
            setUp(server)
            let out = scratch.appendingPathComponent("failing-\(name)")
            if let error = await thrownError(AuditError.self, "\(name): the run stops", from: {
                _ = try await runner(models: [served], out: "failing-\(name)", concurrency: 1, configure: Self.quickTimeouts).run()
            }) {
                let message = error.description
                XCTAssertEqual(error.exitCode, 69, "\(name): \(message)")
                XCTAssertTrue(message.contains(says), "\(name): \(message)")
                XCTAssertEqual(message.components(separatedBy: "run the same command again").count - 1, 1, "\(name): \(message)")
                XCTAssertTrue(
                    message.hasSuffix(
                        "; the completions made so far are stored in \(out.path)/run.sqlite; once the server is fixed, run the "
                            + "same command again to resume"), "\(name): \(message)")
            }
        }
    }

    /// A `GET /v1/models` answer that does not decode is refused (exit 65) saying what was asked, where, what is wrong at
    /// which place, with a short escaped excerpt, and what to check, as a completions answer is (a review: every such
    /// answer got "the answer is not an OpenAI model list" and its first 80 characters).
    func testAModelListThatDoesNotDecodeIsRefusedNamingThePlaceAndTheProblem() async throws {
        let page = "<html>\u{1b}[31m<head><title>502 Bad Gateway</title></head><body>" + String(repeating: "nginx ", count: 400)
        let cases: [(answer: String, problem: String)] = [
            (page, #"it is not JSON: '<html>\u{1b}[31m<head><title>502 Bad Gateway</title></head><body>…'"#),
            (#"{"object": "list"}"#, "data is missing"),
            (#"{"object": "list", "data": "none"}"#, #"data is not a list (the string "none")"#),
            (#"{"data": {"id": "m"}}"#, "data is not a list (an object)"),
            (#"{"data": [{"id": "m"}, {"id": 42, "object": "model"}]}"#, "data[1].id is not a string (the value 42)"),
            (#"{"data": [{"object": "model"}]}"#, "data[0].id is missing"),
            (#"{"data": [{"id": null}]}"#, "data[0].id is null"),
            (#"{"data": [{"id": "m", "max_model_len": NaN}]}"#, "data[0].max_model_len holds a NaN, which JSON has no number for"),
        ]
        let endpoint = try OpenAIEndpoint(spec: try EndpointSpec(parsing: server.baseURL))
        let url = "\(server.baseURL)/models"
        for (answer, problem) in cases {
            server.rawModelsAnswer = answer
            if let error = await thrownError(AuditError.self, "\(answer) should be refused", from: {
                _ = try await endpoint.models(required: true)
            }) {
                XCTAssertEqual(error.exitCode, 65, "\(error)")
                XCTAssertTrue(
                    error.description.hasPrefix(
                        "\(url): error: the answer to GET \(url) (the served models, asked before any completion) is not an "
                            + "OpenAI model list ({\"data\": [{\"id\": \"…\"}, …]}): \(problem); check that --model's URL is the "
                            + "API's base URL (e.g. http://HOST:PORT/v1)"), "\(answer.prefix(80)): \(error.description)")
                XCTAssertLessThan(error.description.utf8.count, 600, "no more than an excerpt: \(error.description)")
            }
        }
        // A list past 8 MiB is cut off there (a hostile review: 61 MB of 1.9 million entries read at the 64 MiB cap took
        // 40 s and 672 MB), and one just under it is read.
        let entry = #"{"id": "m", "object": "model"}, "#
        let entries = (OpenAIEndpoint.maximumModelList - 40) / entry.utf8.count
        server.rawModelsAnswer = #"{"data": ["# + String(repeating: entry, count: entries) + #"{"id": "last"}]}"#
        let read = try await endpoint.models(required: true)
        XCTAssertEqual(read?.models.count, entries + 1)
        server.rawModelsAnswer = #"{"data": ["# + String(repeating: entry, count: entries + 2) + #"{"id": "last"}]}"#
        let notNeeded = try await endpoint.models(required: false)
        XCTAssertNil(notNeeded, "with #NAME a list past the limit is passed over (a review)")
        if let error = await thrownError(AuditError.self, "a list past 8 MiB should be refused", from: {
            _ = try await endpoint.models(required: true)
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("the answer is longer than 8 MiB, a model list takes a few KB"), "\(error)")
        }
    }

    /// A redirect answered while other requests are in flight is exit 65 every time: its error cancels the others,
    /// and a cancel that met another request's redirect made FoundationNetworking trap (exit 132, "Received callback
    /// for HTTP redirection, but we're not waiting for it") or hang (review: 2 runs in 4 at --concurrency 8). A race:
    /// repeated so that the unfixed code fails, not only sometimes.
    func testRedirectsAnsweringManyRequestsInFlightAreRefusedEveryTime() async throws {
        for attempt in 0..<Self.redirectRaceRuns {
            try await server.stop()
            server = OpenAITestServer(skewedTerms: Self.maleTerms)
            try await server.start()
            server.redirect(afterCompletions: 1)
            if let error = await thrownError(AuditError.self, "run \(attempt): a redirect stops the run", from: {
                _ = try await runner(models: [served], out: "redirected-\(attempt)", samples: 8, concurrency: 8).run()
            }) {
                XCTAssertEqual(error.exitCode, 65, "run \(attempt): \(error)")
                XCTAssertTrue(
                    error.description.contains("HTTP 307, a redirect to 'http://127.0.0.1:\(server.port)/v1/completions2'")
                        && error.description.contains("redirects are not followed"),
                    "run \(attempt): \(error)")
            }
        }
    }

    /// Runs of the redirect race: the unfixed code crashed in about half of them.
    private static let redirectRaceRuns = 12

    private var served: String { "served=\(server.baseURL)#\(server.servedName)" }

    /// Done-when: a local and a served model in one run; the served model, skewed against the male-dominated
    /// occupations, shows that group's sentiment gap; its texts are the server's for the derived seeds.
    func testServedModelBesideALocalModelShowsTheSkewedGroupsSentimentGap() async throws {
        let outcome = try await runner(models: ["local=\(Self.localModel)", served], out: "mixed").run()
        let records = outcome.completions.filter { $0.model == "served" }
        XCTAssertEqual(records.count, 12 * 4)
        XCTAssertEqual(outcome.completions.filter { $0.model == "local" }.count, 12 * 4)

        // Each stored text is the server's continuation for the seed of (run seed, template, sample index).
        for record in records {
            let seed = RemoteModel.seed(runSeed: 11, key: record.templateId, sampleIndex: record.sampleIndex)
            XCTAssertEqual(record.text, server.continuation(of: record.prompt, seed: seed, index: 0), record.promptId)
        }
        let completionRequests = server.requests.filter { $0.maxTokens > 1 }
        XCTAssertTrue(completionRequests.allSatisfy { $0.prompts.count == 6 && $0.seed != nil && $0.topK == 50 },
            "one request per template and sample index holds the template's 6 counterfactual prompts")
        XCTAssertEqual(completionRequests.reduce(0) { $0 + $1.prompts.count }, 12 * 4, "no completion asked twice")

        // The gap: the contrast's difference equals the difference of the group means of the stored scores.
        let contrast = try XCTUnwrap(
            outcome.result.promptSets[0].contrasts.first { $0.model == "served" && $0.metric == .sentiment })
        func mean(_ group: String) -> Double {
            let values = records.filter { $0.group == group }.map(\.scores.compound)
            return values.reduce(0, +) / Double(values.count)
        }
        let expected = mean(contrast.groupA) - mean(contrast.groupB)
        let value = try XCTUnwrap(contrast.difference.value)
        XCTAssertEqual(value, expected, accuracy: Self.tolerance, "largest difference \(abs(value - expected))")
        let femaleMinusMale = contrast.groupA == "female_dominated" ? value : -value
        XCTAssertGreaterThan(femaleMinusMale, 0.3, "the served model's skew against male-dominated occupations shows")

        // He/she log-odds from the first token's top_logprobs: log 0.4 − log 0.1 for skewed prompts.
        for record in records {
            let expectedOdds = Self.maleTerms.contains(record.term ?? "") ? log(0.4) - log(0.1) : log(0.2) - log(0.3)
            XCTAssertEqual(record.nextTokenLogOdds ?? .nan, expectedOdds, accuracy: Self.tolerance, record.promptId)
        }

        let manifest = try XCTUnwrap(outcome.result.manifest.models.first { $0.id == "served" })
        XCTAssertEqual(manifest.source, "openai-compatible")
        XCTAssertEqual(manifest.endpoint, server.baseURL)
        XCTAssertEqual(manifest.servedName, server.servedName)
        XCTAssertEqual(manifest.acceptedParameters, ["logprobs", "seed", "top_k"])
        XCTAssertEqual(manifest.commonRandomNumbers, false)
        XCTAssertEqual(manifest.nextTokenLogOdds, "top_logprobs")
        XCTAssertEqual(manifest.serverReported?["owned_by"], "biasaudit-tests")
        XCTAssertEqual(manifest.serverReported?["server"], "openai-test-server/1")
        XCTAssertNil(outcome.result.manifest.models.first { $0.id == "local" }?.commonRandomNumbers)

        // The README: comparisons with a served model are not paired (its streams cannot be enforced).
        XCTAssertFalse(outcome.result.modelComparisons.isEmpty)
        XCTAssertEqual(outcome.result.modelComparisons.filter(\.paired).map(\.contrastID), [],
                       "every comparison of the local and the served model is unpaired")
    }

    /// `URL1,URL2#NAME`: replicas of one model share the requests round-robin; the results are those of one server.
    func testReplicasShareTheRequestsRoundRobin() async throws {
        let replica = OpenAITestServer(skewedTerms: Self.maleTerms)
        try await replica.start()
        addTeardownBlock { try await replica.stop() }
        let outcome = try await runner(
            models: ["served=\(server.baseURL),\(replica.baseURL)#\(server.servedName)"], out: "replicas", samples: 2
        ).run()
        let first = server.requests.filter { $0.maxTokens > 1 }.count
        let second = replica.requests.filter { $0.maxTokens > 1 }.count
        XCTAssertEqual(first + second, 2 * 2, "2 templates × 2 samples")
        XCTAssertTrue(first > 0 && second > 0, "both replicas answered: \(first), \(second)")
        XCTAssertEqual(outcome.result.manifest.models[0].endpoint, "\(server.baseURL),\(replica.baseURL)")
        let single = try await runner(models: [served], out: "one-replica", samples: 2).run()
        XCTAssertEqual(outcome.completions.map(\.text), single.completions.map(\.text))
    }

    /// A hostile review: a replica that was down was blamed on prompt lists in a note, and the run stopped 23 s in. Each
    /// replica answers the probe first: one down ends the run before it starts (exit 69, naming it); one that refuses
    /// what the others take, or answers as another model, is refused (exit 65).
    func testEveryReplicaIsProbedBeforeTheRun() async throws {
        let replica = OpenAITestServer(skewedTerms: Self.maleTerms)
        try await replica.start()
        addTeardownBlock { try await replica.stop() }
        let models = ["served=\(server.baseURL),\(replica.baseURL)#\(server.servedName)"]
        replica.refuseTopK = true
        if let error = await thrownError(AuditError.self, "a replica that refuses top_k is refused", from: {
            _ = try await runner(models: models, out: "replica-top-k").run()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("\(replica.baseURL): error: this replica refuses the request the others "
                + "take (HTTP 400: "), "\(error)")
        }
        // A 5xx past the attempts is a failing replica (69), not a refusal.
        replica.refuseTopK = false
        replica.refuseLogprobs = true
        if let error = await thrownError(AuditError.self, "a replica that keeps failing ends the run", from: {
            _ = try await runner(models: models, out: "replica-failing").run()
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            XCTAssertTrue(error.description.contains("the replica at \(replica.baseURL) keeps failing (HTTP 500: "), "\(error)")
        }
        replica.refuseLogprobs = false
        replica.answeringModel = "another-model"
        if let error = await thrownError(AuditError.self, "a replica of another model is refused", from: {
            _ = try await runner(models: models, out: "replica-model").run()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("\(replica.baseURL): error: this replica answers as the model 'another-model', "
                + "the replica at \(server.baseURL) as 'skewed-lm'"), "\(error)")
        }
        // A replica that takes no prompt lists makes every request hold one prompt (a code review: it failed mid-run).
        replica.answeringModel = nil
        replica.singlePromptOnly = true
        XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, 0, "no completion was requested so far")
        let single = try await runner(models: models, out: "replica-lists", samples: 2).run()
        single.folderLock?.release()
        XCTAssertTrue((server.requests + replica.requests).filter { $0.maxTokens > 1 }.allSatisfy { $0.prompts.count == 1 })
        XCTAssertEqual(single.completions.count, 12 * 2)
        let answered = server.requests.filter { $0.maxTokens > 1 }.count
        try await replica.stop()
        if let error = await thrownError(AuditError.self, "a replica that is down ends the run", from: {
            _ = try await runner(models: models, out: "replica-down").run()
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            XCTAssertTrue(error.description.contains(replica.baseURL), "\(error)")
        }
        XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, answered, "no completion was requested")
    }

    /// A server that refuses `top_k` is asked without it, and the manifest says so.
    func testARefusedParameterIsDroppedAndRecorded() async throws {
        server.refuseTopK = true
        let outcome = try await runner(models: [served], out: "no-top-k", samples: 1).run()
        XCTAssertEqual(outcome.completions.count, 12)
        XCTAssertEqual(outcome.result.manifest.models[0].acceptedParameters, ["logprobs", "seed"])
        XCTAssertTrue(server.requests.allSatisfy { $0.topK == nil })
        // The settings as typed, not widened from Float (a hostile review saw "temperature": 0.699999988079071).
        let generating = server.requests.filter { $0.maxTokens > 1 }
        XCTAssertFalse(generating.isEmpty)
        XCTAssertTrue(generating.allSatisfy { $0.temperatureText == "0.7" && $0.topPText == "0.9" },
                      "\(generating.map { ($0.temperatureText ?? "-", $0.topPText ?? "-") })")
        // The report's methods say so beside the settings' "Top-k 50" (review: nothing did), in both languages.
        let english = try ReportRenderer().render(outcome.result, format: .md)
        XCTAssertTrue(english.contains("(sampled without top_k, which the server did not take)"), english)
        let spanish = try ReportRenderer().render(outcome.result, format: .md, language: .es)
        XCTAssertTrue(spanish.contains("(muestreado sin top_k, que el servidor no aceptó)"))
    }

    /// A server warming up (two 503s, then a 429) is waited for during the connection probe, not taken to refuse a
    /// parameter (review: two 503s dropped top_k without a word while the report said "Top-k 50").
    func testTransientErrorsWhileProbingDropNoParameter() async throws {
        let waits = Waits()
        let run = try runner(models: [served], out: "warming", samples: 1, concurrency: 1, waits: waits)
        server.throttlesProbes = true
        server.throttle([(503, nil), (503, nil), (429, "1")])
        let outcome = try await run.run()
        XCTAssertEqual(outcome.completions.count, 12)
        XCTAssertEqual(outcome.result.manifest.models[0].acceptedParameters, ["logprobs", "seed", "top_k"])
        XCTAssertEqual(waits.all.count, 3, "three waits during the probe: \(waits.all)")
    }

    /// Without log-probabilities the he/she log-odds are unavailable: no record has them, and the set has no log-odds
    /// metric (no rows of "—", no contrast a policy could pass on without data).
    func testWithoutLogprobsTheHeSheLogOddsAreUnavailableNotEstimated() async throws {
        server.refuseLogprobs = true
        let outcome = try await runner(models: [served], out: "no-logprobs", samples: 1).run()
        XCTAssertEqual(outcome.result.manifest.models[0].nextTokenLogOdds, "unavailable")
        XCTAssertEqual(outcome.result.manifest.models[0].acceptedParameters, ["seed", "top_k"])
        XCTAssertTrue(outcome.completions.allSatisfy { $0.nextTokenLogOdds == nil })
        XCTAssertEqual(
            server.requests.filter { $0.maxTokens == 1 }.map(\.prompts), [["Hello"], ["Hello", "Hi"]],
            "only the probes are one-token requests: no next-token request is sent")
        XCTAssertEqual(outcome.result.promptSets[0].contrasts.filter { $0.metric == .heSheLogOdds }.count, 0)
        XCTAssertFalse(outcome.result.promptSets[0].metrics.contains(.heSheLogOdds))
        XCTAssertTrue(outcome.result.promptSets[0].metrics.contains(.maleShare), "the set still measures gender")
        // The report's methods name the model (review 84: only stderr and the manifest did), in both languages.
        let english = try ReportRenderer().render(outcome.result, format: .md)
        XCTAssertTrue(english.contains("(its server returned no log-probabilities, so its P(he)/P(she) were not measured)"),
                      english)
        let spanish = try ReportRenderer().render(outcome.result, format: .md, language: .es)
        XCTAssertTrue(spanish.contains("(su servidor no devolvió log-probabilidades, así que no se midió su P(he)/P(she))"),
                      spanish)
        // With a refused parameter too, both are said.
        var both = outcome.result
        both.manifest.models[0].acceptedParameters = ["top_k"]
        let combined = try ReportRenderer().render(both, format: .md)
        XCTAssertTrue(combined.contains("(sampled without seed, which the server did not take; its server returned no "
            + "log-probabilities, so its P(he)/P(she) were not measured)"), combined)
    }

    /// A server that takes `logprobs` but answers `"logprobs": null` is recorded as giving none (a hostile review: the
    /// manifest said top_logprobs, every record had both masses 0, and the log-odds rows vanished without a word): the
    /// probe asks with 20, then 5, and the log-odds are unavailable as for a server refusing the parameter.
    func testAServerThatTakesLogprobsButReturnsNoneIsRecordedWithout() async throws {
        server.nullLogprobs = true
        let outcome = try await runner(models: [served], out: "null-logprobs", samples: 1).run()
        XCTAssertEqual(outcome.result.manifest.models[0].nextTokenLogOdds, "unavailable")
        XCTAssertEqual(outcome.result.manifest.models[0].acceptedParameters, ["seed", "top_k"])
        XCTAssertEqual(
            server.requests.filter { $0.maxTokens == 1 }.map(\.logprobs), [20, 5, nil],
            "the probes ask with 20, then 5, then the list probe without; no next-token request is sent")
        XCTAssertFalse(outcome.result.promptSets[0].metrics.contains(.heSheLogOdds))
        let remote = try await RemoteModel.connect(
            ModelArgument(label: "s", spec: "\(server.baseURL)#\(server.servedName)"), sampling: SamplingParameters())
        XCTAssertTrue(remote.logprobsIgnored)
        XCTAssertNil(remote.logprobsCount)
    }

    /// A server that gave log-probabilities to the probe but gives none to the next-token requests stops the run
    /// (exit 65) naming the prompt, rather than storing masses of 0 that make the log-odds rows vanish.
    func testAServerThatStopsGivingLogprobsStopsTheRun() async throws {
        server.nullLogprobs = true
        server.nullLogprobsSparesProbe = true
        if let error = await thrownError(AuditError.self, "next-token answers without log-probabilities stop the run", from: {
            _ = try await runner(models: [served], out: "stops-logprobs", samples: 1).run()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(
                error.description.contains("the server returned no log-probabilities for served's first token after prompt")
                    && error.description.contains("though it returned them to the connection probe (logprobs=20)")
                    && error.description.contains("run the same command again to resume"), "\(error)")
        }
    }

    /// `next-token` against a server without log-probabilities is exit 65 (the server answers, with nothing to show),
    /// not 69 (unavailable), and says what to do.
    func testServedNextTokenWithoutLogprobsIsBadDataWithAdvice() async throws {
        for (refuses, says) in [(true, "refuses the logprobs parameter"), (false, "took the logprobs parameter but returned no log-probabilities")] {
            server.refuseLogprobs = refuses
            server.nullLogprobs = !refuses
            let model = try await RemoteModel.connect(
                ModelArgument(label: "s", spec: "\(server.baseURL)#\(server.servedName)"), sampling: SamplingParameters())
            if let error = await thrownError(AuditError.self, "no log-probabilities, no next-token distribution", from: {
                _ = try await model.nextTokenAlternatives(prompt: "The nurse said", count: 5)
            }) {
                XCTAssertEqual(error.exitCode, 65, "\(error)")
                XCTAssertTrue(
                    error.description.contains(says) && error.description.contains("cannot show s's next-token distribution")
                        && error.description.contains("enable log-probabilities on the server"), "\(error)")
            }
        }
    }

    /// A server that takes one prompt per request and ignores `n` (llama-cpp-python's): the run sends one prompt
    /// per request, and `generate` one request per sample with the seed of stream i.
    func testAServerTakingOnePromptAndIgnoringNIsAskedPromptByPrompt() async throws {
        server.singlePromptOnly = true
        let outcome = try await runner(models: [served], out: "single", samples: 2).run()
        XCTAssertEqual(outcome.completions.count, 24)
        let completionRequests = server.requests.filter { $0.maxTokens > 1 }
        XCTAssertEqual(completionRequests.count, 24)
        XCTAssertTrue(completionRequests.allSatisfy { $0.prompts.count == 1 })

        let model = try await RemoteModel.connect(
            ModelArgument(label: "s", spec: "\(server.baseURL)#\(server.servedName)"),
            sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 4))
        XCTAssertFalse(model.acceptsPromptLists)
        let samples = try await model.generate(
            prompt: "The nurse said", samples: 3, maxTokens: 5,
            sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 4))
        let seeds = (0..<3).map { RemoteModel.seed(runSeed: 4, stream: UInt64($0)) }
        XCTAssertEqual(Array(server.requests.suffix(3).map(\.seed)), seeds)
        XCTAssertEqual(samples.map(\.text), seeds.map { server.continuation(of: "The nurse said", seed: $0, index: 0) })
    }

    /// A hostile review: a 429 with `Retry-After: 50` kept a Ctrl-C waiting the 50 s. An interrupt during a wait under way
    /// ends the wait (its sleep is cancelled), and the run stops as interrupted (exit 130). A wait not cut short makes
    /// this test take a minute and fail.
    func testAnInterruptEndsARetryWaitUnderWay() async throws {
        let interrupted = CancellationFlag()
        let cut = Waits()
        server.throttle([(500, nil)])
        if let error = await thrownError(AuditError.self, "an interrupted run stops", from: {
            _ = try await runner(models: [served], out: "wait-interrupted", concurrency: 1, cancellation: interrupted,
                                 configure: {
                $0.retryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 60, maxDelay: 60, sleep: { seconds in
                    interrupted.cancel()
                    do { try await Task.sleep(nanoseconds: 60_000_000_000) } catch { cut.add(seconds); throw error }
                })
            }).run()
        }) {
            XCTAssertEqual(error.exitCode, 130, "\(error)")
        }
        XCTAssertEqual(cut.all, [60], "the wait under way was cut short by the interrupt")
    }

    /// A hostile review: a server answering one choice fewer than asked got the note that it gave no log-probabilities,
    /// then, seven requests later, the refusal. The probe's answer without its one choice is refused at once (exit 65).
    func testAProbeAnswerWithoutItsChoiceIsRefusedAtOnce() async throws {
        server.dropsAChoice = true
        if let error = await thrownError(AuditError.self, "an answer without its choice is refused", from: {
            _ = try await runner(models: [served], out: "no-choice").run()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("the server answered 0 choices for the probe's one prompt; it does not "
                + "follow the OpenAI completions API"), "\(error)")
        }
        XCTAssertEqual(server.requests.count, 1, "the probe's one request")
    }

    /// A code review: a server answering every request 429 with `Retry-After: 50` was told, after three such waits, that
    /// 50 s was "longer than biasaudit waits". It is said to be the request's total of waits that ran out (exit 69).
    func testAServerThatKeepsAskingToWaitIsToldTheTotalRanOut() async throws {
        let waits = Waits()
        server.throttle(Array(repeating: (429, "50"), count: 10))
        if let error = await thrownError(AuditError.self, "the run stops", from: {
            _ = try await runner(models: [served], out: "total-waits", samples: 1, concurrency: 1, configure: {
                $0.retryPolicy = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 2, sleep: { waits.add($0) })
            }).run()
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            XCTAssertTrue(error.description.contains("asks to wait 50 s more before the next request (HTTP 429), after 153 s of "
                + "such waits for this request, the most biasaudit waits for one being 180 s: the server is overloaded; "
                + "lower --concurrency, or wait"), "\(error)")
        }
        XCTAssertEqual(waits.all, [51, 51, 51])
    }

    /// A server given another model after the probe: the first answer as another model stops the run (exit 65) with
    /// the resume hint, and nothing it answered is stored (a hostile review: a mix of two models under one label).
    func testAnAnswerAsAnotherModelMidRunStopsTheRun() async throws {
        server.answeringModel = "another-model"
        server.answeringModelMidRun = true
        let out = scratch.appendingPathComponent("mid-run-model")
        if let error = await thrownError(AuditError.self, "an answer as another model stops the run", from: {
            _ = try await runner(models: [served], out: "mid-run-model", concurrency: 1).run()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("the server answered as the model 'another-model', where it answered the "
                + "probe as 'skewed-lm'"), "\(error)")
            XCTAssertTrue(error.description.contains("run the same command again to resume"), "\(error)")
        }
        XCTAssertEqual(try RunStore(existing: out.appendingPathComponent("run.sqlite")).allCompletions().count, 0)
    }

    /// 429 with `Retry-After: 3` waits 3 + 1 s; 500 and 503 back off 0.5 s, 1 s; the run completes.
    func testRetriesHonourRetryAfterAndBackOffOnServerErrors() async throws {
        let waits = Waits()
        let run = try runner(models: [served], out: "retries", samples: 1, concurrency: 1, waits: waits)
        server.throttle([(429, "3"), (500, nil), (503, nil)])
        let outcome = try await run.run()
        XCTAssertEqual(outcome.completions.count, 12)
        XCTAssertEqual(waits.all, [4, 1, 2], "announced wait + 1 s, then backoff 0.5·2^(retry−1) for retries 2 and 3")
    }

    /// Done-when: a server crash mid-run stops the run (exit 69) keeping what arrived; the rerun asks only
    /// for the missing completions and its results equal an uninterrupted run's.
    func testACrashMidRunResumesWithoutAskingForStoredCompletions() async throws {
        server.crash(afterCompletions: 5)
        if let error = await thrownError(AuditError.self, "the run should stop when the server keeps failing", from: {
            _ = try await runner(models: [served], out: "crash", concurrency: 1).run()
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            XCTAssertTrue(error.description.contains(server.baseURL), "\(error)")
        }
        let first = server.requests.filter { $0.maxTokens > 1 }
        XCTAssertEqual(first.count, 5)
        let asked = Set(first.flatMap { request in request.prompts.map { "\($0)|\(request.seed ?? -1)" } })

        try await server.stop()
        server = OpenAITestServer(skewedTerms: Self.maleTerms)
        try await server.start()
        let resumed = try await runner(models: [served], out: "crash", concurrency: 1).run()
        let second = server.requests.filter { $0.maxTokens > 1 }
        let askedAgain = Set(second.flatMap { request in request.prompts.map { "\($0)|\(request.seed ?? -1)" } })
        XCTAssertTrue(asked.isDisjoint(with: askedAgain), "stored completions were asked for again: \(asked.intersection(askedAgain).sorted().prefix(3))")
        XCTAssertEqual(asked.count + askedAgain.count, 12 * 4)
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, 5 * 6)

        let uninterrupted = try await runner(models: [served], out: "uninterrupted").run()
        let encoder = AuditJSON.encoder(pretty: false)
        XCTAssertEqual(
            String(decoding: try encoder.encode(resumed.result.promptSets), as: UTF8.self),
            String(decoding: try encoder.encode(uninterrupted.result.promptSets), as: UTF8.self))
        XCTAssertEqual(resumed.completions.map(\.text), uninterrupted.completions.map(\.text))
    }

    /// A malformed answer mid-run stops the run (exit 65) saying that what was stored is kept and that the same command
    /// resumes, as an interrupt says (a hostile review: it did not); the rerun asks only for the rest.
    func testAMalformedAnswerMidRunSaysTheStoredCompletionsAreKeptAndTheRunResumes() async throws {
        server.rawGeneratingAnswer = #"{"choices": [{"text": null, "index": 0}]}"#
        server.rawGeneratingAnswerAfter = 3
        let out = scratch.appendingPathComponent("malformed")
        if let error = await thrownError(AuditError.self, "a malformed answer stops the run", from: {
            _ = try await runner(models: [served], out: "malformed", concurrency: 1).run()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(
                error.description.contains("choices[0].text is null")
                    && error.description.hasSuffix(
                        "; the completions made so far are stored in \(out.path)/run.sqlite; once the server is fixed, run the "
                            + "same command again to resume"), "\(error)")
        }
        XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, 3)
        server.rawGeneratingAnswer = nil
        let resumed = try await runner(models: [served], out: "malformed", concurrency: 1).run()
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, 3 * 6, "the three answers before it were kept")
        XCTAssertEqual(resumed.completions.count, 12 * 4)
    }

    /// Starts a fresh server on a new port (the served name is the same, so a run store still takes it).
    private func restartServer(refusingTopK: Bool) async throws {
        try await server.stop()
        server = OpenAITestServer(skewedTerms: Self.maleTerms)
        server.refuseTopK = refusingTopK
        try await server.start()
    }

    /// Hostile review: a server that starts refusing `top_k` between an interrupted run and its resumption had it
    /// dropped by the probe, and the resumed run mixed completions sampled with and without `top_k` under one
    /// `accepted_parameters`. The resumption is refused (exit 65) naming what differs and what to do, before any
    /// completions request, either way round; with the server back as it was, it resumes.
    func testAResumeWhoseServerNowTakesOtherParametersIsRefused() async throws {
        for storedWithTopK in [true, false] {
            let out = storedWithTopK ? "top-k-then-none" : "none-then-top-k"
            try await restartServer(refusingTopK: !storedWithTopK)
            server.crash(afterCompletions: 3)
            if let error = await thrownError(AuditError.self, "the run should stop when the server keeps failing", from: {
                _ = try await runner(models: [served], out: out, concurrency: 1).run()
            }) {
                XCTAssertEqual(error.exitCode, 69, "\(error)")
            }
            try await restartServer(refusingTopK: storedWithTopK)
            if let error = await thrownError(AuditError.self, "\(out): a resumption with other accepted parameters should be refused", from: {
                _ = try await runner(models: [served], out: out, concurrency: 1).run()
            }) {
                XCTAssertEqual(error.exitCode, 65, "\(error)")
                let text = error.description
                XCTAssertTrue(text.contains("of served model 'served' stored here were requested with "
                    + (storedWithTopK ? "logprobs, seed, top_k, but its server now takes logprobs, seed (it now refuses top_k)"
                        : "logprobs, seed, but its server now takes logprobs, seed, top_k (it now takes top_k, which it did not)")),
                    text)
                XCTAssertTrue(text.contains("18 completions and 12 next-token records"), text)
                XCTAssertTrue(text.contains("give a new --out folder"), text)
                XCTAssertTrue(text.contains("If the run had finished, nothing needs the server: `biasaudit analyze "), text)
            }
            XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, 0, "\(out): no completion was requested")

            try await restartServer(refusingTopK: !storedWithTopK)
            let resumed = try await runner(models: [served], out: out, concurrency: 1).run()
            resumed.folderLock?.release()
            XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, 3 * 6)
            XCTAssertEqual(resumed.result.manifest.models[0].acceptedParameters,
                           storedWithTopK ? ["logprobs", "seed", "top_k"] : ["logprobs", "seed"])
        }
    }

    /// A hostile review: a run resumed against a server given another model mixed the two models' completions under one
    /// label (12 and 48), the manifest naming only the second; shards answered by two models merged alike. Both are
    /// refused (exit 65) naming the two models, before any completions request; with the first model back, it resumes.
    func testAResumeOrMergeAnsweredByAnotherModelIsRefused() async throws {
        try await restartServer(refusingTopK: false)
        server.crash(afterCompletions: 3)
        if let error = await thrownError(AuditError.self, "the run should stop when the server keeps failing", from: {
            _ = try await runner(models: [served], out: "answered", concurrency: 1).run()
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
        }
        try await restartServer(refusingTopK: false)
        server.answeringModel = "another-model"
        if let error = await thrownError(AuditError.self, "a resumption answered by another model should be refused", from: {
            _ = try await runner(models: [served], out: "answered", concurrency: 1).run()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("the 30 records of served model 'served' stored here were answered by the "
                + "model 'skewed-lm' (as its server reported it), but the server now answers as 'another-model'"), "\(error)")
            XCTAssertTrue(error.description.contains("give a new --out folder to audit 'another-model'"), "\(error)")
        }
        XCTAssertEqual(server.requests.filter { $0.maxTokens > 1 }.count, 0, "no completion was requested")
        server.answeringModel = nil
        let resumed = try await runner(models: [served], out: "answered", concurrency: 1).run()
        resumed.folderLock?.release()
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, 3 * 6)

        _ = try await runner(models: [served], out: "m-1", samples: 2, shard: try RunShard(index: 1, count: 2)).run()
        server.answeringModel = "another-model"
        _ = try await runner(models: [served], out: "m-2", samples: 2, shard: try RunShard(index: 2, count: 2)).run()
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        if let error = await thrownError(AuditError.self, "shards answered by two models should be refused", from: {
            _ = try await AuditMerger.merge(
                directories: ["m-1", "m-2"].map { scratch.appendingPathComponent($0) },
                outputDirectory: scratch.appendingPathComponent("m-merged"), locator: ModelLocator(configuration: hub),
                scorer: try TextScorer.bundled(), commandLine: ["biasaudit", "merge"])
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("m-2: error: holds completions of served model 'served' answered by the "
                + "model 'another-model' (as its server reported it), but \(scratch.appendingPathComponent("m-1").path) by "
                + "'skewed-lm'"), "\(error)")
        }
    }

    /// Hostile review: shards whose server took `top_k` for one and not for the other were merged under the first
    /// shard's `accepted_parameters`. The merge is refused (exit 65) naming both sets and what to do.
    func testShardsSampledWithDifferentAcceptedParametersAreNotMerged() async throws {
        _ = try await runner(models: [served], out: "p-1", samples: 2, shard: try RunShard(index: 1, count: 2)).run()
        try await restartServer(refusingTopK: true)
        _ = try await runner(models: [served], out: "p-2", samples: 2, shard: try RunShard(index: 2, count: 2)).run()
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        if let error = await thrownError(AuditError.self, "shards sampled with different accepted parameters should be refused", from: {
            _ = try await AuditMerger.merge(
                directories: ["p-1", "p-2"].map { scratch.appendingPathComponent($0) },
                outputDirectory: scratch.appendingPathComponent("p-merged"), locator: ModelLocator(configuration: hub),
                scorer: try TextScorer.bundled(), commandLine: ["biasaudit", "merge"])
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("p-2: error: requested the completions of served model 'served' with "
                + "logprobs, seed, but \(scratch.appendingPathComponent("p-1").path) with logprobs, seed, top_k"), "\(error)")
            XCTAssertTrue(error.description.contains("then merge"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("p-merged/results.json").path))
    }

    /// Hostile review: `--precision bf16` with only a served model was recorded as bf16 in results.json (and in the run
    /// store's fingerprint, so the same audit at f32 was refused as another run), though a server computes at its own
    /// precision. The precision is recorded for in-process models only; a store or results file of an earlier build
    /// that recorded it for served models alone resumes, and is compared by `diff` and `check`, as if it had not.
    func testThePrecisionIsNotRecordedForServedModels() async throws {
        let outcome = try await runner(models: [served], out: "served-bf16", samples: 1, configure: { $0.precision = .bf16 }).run()
        outcome.folderLock?.release()
        XCTAssertNil(outcome.result.manifest.precision, "a served model's arithmetic is the server's")
        let store = scratch.appendingPathComponent("served-bf16/run.sqlite")
        XCTAssertNil(try RunStore(existing: store).fingerprint()["precision"])
        let resumed = try await runner(models: [served], out: "served-bf16", samples: 1).run()
        resumed.folderLock?.release()
        XCTAssertEqual(resumed.result.timing.models?.first?.storedBefore, 12, "the same audit at f32 resumes")

        // A store of an earlier build, which recorded --precision bf16 for the served model, resumes at either precision.
        let queue = try DatabaseQueue(path: store.path)
        try await queue.write { try $0.execute(sql: "INSERT INTO fingerprint (key, value) VALUES ('precision', 'bf16')") }
        try queue.close()
        let earlier = try await runner(models: [served], out: "served-bf16", samples: 1).run()
        XCTAssertEqual(earlier.result.timing.models?.first?.storedBefore, 12)
        XCTAssertNil(earlier.result.manifest.precision)

        // Its results, which said bf16, are compared with an f32 run's without a precision mismatch.
        var older = outcome.result
        older.manifest.precision = "bf16"
        var atF32 = older
        atF32.manifest.precision = "f32"
        XCTAssertNil(try PrecisionMismatch.check(older, path: "A", against: atF32, path: "B", allowed: false))
    }

    /// Done-when: a server that cannot be reached is exit 69 naming the URL, at once (no backoff).
    func testAnUnreachableServerIsUnavailableNamingTheURL() async throws {
        let port = server.port
        try await server.stop()
        server = nil
        let waits = Waits()
        if let error = await thrownError(AuditError.self, "an unreachable server must fail the run", from: {
            _ = try await runner(models: ["down=http://127.0.0.1:\(port)/v1#m"], out: "down", waits: waits).run()
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            XCTAssertTrue(error.description.contains("http://127.0.0.1:\(port)/v1"), "\(error)")
        }
        XCTAssertEqual(waits.all, [], "a refused connection at the first contact is not retried")
    }

    /// Review: a server that accepts the connection but does not answer in time was reported as "cannot
    /// reach … (NSURLErrorDomain error -1001.) start the server". The message says it did not answer within
    /// --request-timeout (slow, or nothing answers: a timeout cannot tell) and what to do (exit 69).
    func testAServerThatDoesNotAnswerInTimeIsSlowNotUnreachable() async throws {
        // A listening socket that never accepts: connections complete in the kernel, no answer ever comes.
        let (listener, port) = try LoopbackSocket.listening()
        defer { close(listener) }
        try await assertSlow(port: port, label: "slow")
    }

    /// Review: a server that sends its answer one byte every 0.3 s kept a request open past --request-timeout for
    /// minutes (URLSession's timeout counts the silence between bytes). The whole exchange is bounded by it.
    func testAServerThatTricklesItsAnswerTimesOut() async throws {
        let (listener, port) = try LoopbackSocket.listening()
        defer { close(listener) }
        let trickle = Thread {
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                Thread {
                    defer { close(connection) }
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    _ = read(connection, &buffer, buffer.count)
                    for byte in Array("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".utf8) + Array(repeating: 0x20, count: 100_000) {
                        var one = byte
                        guard send(connection, &one, 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
                        usleep(300_000)
                    }
                }.start()
            }
        }
        trickle.start()
        try await assertSlow(port: port, label: "trickle")
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// A run against the server at `port` with a 1 s --request-timeout and two attempts fails with exit 69, saying
    /// the server did not answer in time.
    private func assertSlow(port: Int, label: String) async throws {
        var configuration = AuditRunConfiguration(
            promptSetFiles: [Self.promptSet], models: ["\(label)=http://127.0.0.1:\(port)/v1#m"], samples: 1,
            maxNewTokens: 2, outputDirectory: scratch.appendingPathComponent(label), commandLine: ["biasaudit", "run"])
        configuration.requestTimeout = 1
        configuration.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0, maxDelay: 0, sleep: { _ in })
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        let runner = AuditRunner(
            configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled())
        if let error = await thrownError(AuditError.self, "a server that never answers must fail the run", from: {
            _ = try await runner.run()
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            // At the probe, after one attempt (a hostile review: 4 × --request-timeout, 20 minutes by default, before it).
            XCTAssertTrue(error.description.contains("did not answer within 1 s (--request-timeout), 1 attempt:"), "\(error)")
            XCTAssertFalse(error.description.contains("cannot reach"), "\(error)")
        }
    }

    /// A sweep with a served model is a usage error (exit 64) before any request, from the shared check and
    /// from the runner alike.
    func testASweepWithAServedModelIsRefusedBeforeAnyRequest() async throws {
        let sweeps = [try SamplingSweep(parsing: "temperature=0.5,1")]
        XCTAssertThrowsError(try AuditRunner.checkSweepModels(["distilgpt2", "HTTP://h:1/v1#m"], sweeps: sweeps)) { error in
            XCTAssertEqual((error as? AuditError)?.exitCode, 64, "\(error)")
        }
        XCTAssertNoThrow(try AuditRunner.checkSweepModels(["HTTP://h:1/v1#m"], sweeps: []))
        XCTAssertNoThrow(try AuditRunner.checkSweepModels(["distilgpt2"], sweeps: sweeps))
        var configuration = AuditRunConfiguration(
            promptSetFiles: [Self.promptSet], models: [served], samples: 1, maxNewTokens: 2,
            outputDirectory: scratch.appendingPathComponent("sweep"), commandLine: ["biasaudit", "run"], sweeps: sweeps)
        configuration.retryPolicy = RetryPolicy(maxAttempts: 1, baseDelay: 0, maxDelay: 0, sleep: { _ in })
        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        let runner = AuditRunner(configuration: configuration, locator: ModelLocator(configuration: hub), scorer: try TextScorer.bundled())
        if let error = await thrownError(AuditError.self, "a sweep with a served model must be refused", from: {
            _ = try await runner.run()
        }) {
            XCTAssertEqual(error.exitCode, 64, "\(error)")
            XCTAssertTrue(error.description.contains("--sweep cannot be combined with a served model"), "\(error)")
        }
        XCTAssertEqual(server.requests.count, 0, "no request before the refusal")
    }

    /// Spec checks that need no network: case-insensitive scheme, port range, foreign schemes.
    func testEndpointSpecsAreCheckedWithoutTheNetwork() throws {
        let upper = try EndpointSpec(parsing: "HTTPS://Example.org:8443/v1/#m")
        XCTAssertEqual(upper.baseURLs.map(\.absoluteString), ["https://Example.org:8443/v1"])
        for port in ["0", "65536", "99999999", "999999999999999999999999"] {
            XCTAssertThrowsError(try EndpointSpec(parsing: "http://127.0.0.1:\(port)/v1#m"), port) { error in
                XCTAssertEqual((error as? AuditError)?.exitCode, 64, "\(error)")
                XCTAssertTrue("\(error)".contains("is out of range; a port is 1 to 65535"), "\(error)")
            }
        }
        // IPv6 literals: refused while HTTP went through Foundation's networking (which failed on them on Linux);
        // AsyncHTTPClient connects to them.
        let ipv6 = try EndpointSpec(parsing: "http://[::1]:65535/v1")
        XCTAssertEqual(ipv6.baseURLs.map(\.absoluteString), ["http://[::1]:65535/v1"])
        XCTAssertEqual(ipv6.defaultLabel, "[::1]:65535")
        XCTAssertEqual(EndpointSpec.foreignScheme("ftp://host/v1#m"), "ftp")
        XCTAssertNil(EndpointSpec.foreignScheme("openai-community/gpt2"))
        XCTAssertNil(EndpointSpec.foreignScheme("Http://host/v1"))
        XCTAssertThrowsError(try ModelArgument.labelled(["x=ftp://host/v1#m"])) { error in
            XCTAssertTrue("\(error)".contains("only http(s) endpoints are"), "\(error)")
        }
    }

    /// A password in a `--model` URL is refused (exit 64) and shown nowhere: every message that echoes the spec hides
    /// it (a hostile review: `http://user:pass@host/v1#m` was refused with the password in the message).
    func testCredentialsInAServedModelURLAreRefusedWithoutShowingThem() throws {
        let password = "pa55-Secret"
        XCTAssertEqual(
            EndpointSpec.redactingCredentials("http://user:\(password)@host:8000/v1#my/model"), "http://user:***@host:8000/v1#my/model")
        XCTAssertEqual(EndpointSpec.redactingCredentials("HTTPS://\(password)@host/v1"), "HTTPS://***@host/v1")
        XCTAssertEqual(
            EndpointSpec.redactingCredentials("http://a:1/v1?key=\(password),http://u:\(password)@b:2/v1#m"),
            "http://a:1/v1?***,http://u:***@b:2/v1#m")
        XCTAssertEqual(EndpointSpec.redactingCredentials("http://host/v1#name@v2"), "http://host/v1#name@v2", "a served name is kept")
        // Review 84: a password holding "#" or "?" (pasted unencoded) was shown whole or in part.
        for secret in ["s3#cr3t", "s3?cr3t", "a#b?c/d@e", "#lead", "?lead"] {
            XCTAssertEqual(EndpointSpec.redactingCredentials("http://user:\(secret)@127.0.0.1:9/v1#m"), "http://user:***@127.0.0.1:9/v1#m",
                           secret)
            XCTAssertEqual(EndpointSpec.redactingCredentials("http://\(secret)@127.0.0.1:9/v1"), "http://***@127.0.0.1:9/v1", secret)
        }
        XCTAssertEqual(EndpointSpec.redactingCredentials("http://host/v1?k=1#name@v2"), "http://host/v1?***#name@v2")
        XCTAssertEqual(EndpointSpec.redactingCredentials("openai-community/gpt2"), "openai-community/gpt2")
        let specs = [
            "http://user:\(password)@127.0.0.1:8000/v1#m",
            "http://user:\(password)@127.0.0.1:99999/v1#m",  // refused for its port first
            "http://user:\(password)@127.0.0.1:8000/v1#",  // refused for its empty name first
            "http://user:pa,\(password)@127.0.0.1:8000/v1#m",  // a comma splits it into two "replicas"
            "http://user:pa/\(password)@127.0.0.1:8000/v1#m",  // a slash makes it no URL
            "http://user:pa@\(password)@127.0.0.1:8000/v1#m",
            "http://127.0.0.1:8000/v1?api_key=\(password)#m",
            "ftp://user:\(password)@127.0.0.1/v1#m",
        ]
        for spec in specs {
            for value in [spec, "served=\(spec)", "=\(spec)", "bad\u{1b}label=\(spec)"] {
                XCTAssertThrowsError(try ModelArgument.labelled([value]), value) { error in
                    XCTAssertEqual((error as? AuditError)?.exitCode, 64, "\(error)")
                    XCTAssertFalse("\(error)".contains(password), "the password is shown: \(error)")
                }
            }
            guard EndpointSpec.isEndpoint(spec) else { continue }
            XCTAssertThrowsError(try AuditRunner.checkSweepModels([spec], sweeps: [try SamplingSweep(parsing: "temperature=0.5,1")])) { error in
                XCTAssertFalse("\(error)".contains(password), "the password is shown: \(error)")
            }
        }
        XCTAssertThrowsError(try EndpointSpec(parsing: specs[0])) { error in
            XCTAssertTrue("\(error)".contains("--model http://user:***@127.0.0.1:8000/v1#m: credentials in the URL are not accepted"), "\(error)")
        }
    }

    /// Without a served name, a 404 on `GET /v1/models` is exit 69 naming the URL to check; with one, the run
    /// goes on to the completions route (some servers have no model list).
    func testAMissingModelListIsUnavailableOnlyWhenTheNameIsNeeded() async throws {
        let wrong = try OpenAIEndpoint(spec: try EndpointSpec(parsing: "http://127.0.0.1:\(server.port)/api"))
        if let error = await thrownError(AuditError.self, "a 404 model list must fail when the name is needed", from: {
            _ = try await wrong.models(required: true)
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            XCTAssertTrue(error.description.contains("/api/models answered HTTP 404"), "\(error)")
            // Outside a run, the server's failure ends with its own way on, once.
            XCTAssertTrue(error.description.hasSuffix("name the served model after '#', then run the same command again"), "\(error)")
        }
        let optional = try await wrong.models(required: false)
        XCTAssertNil(optional)
    }

    /// A hostile review: a key with a control character failed every request as "not valid HTTP", retried for 23 s and
    /// blamed on the server. It is a usage error at once, naming the variable and not the key.
    func testAnAPIKeyWithAControlCharacterIsRefusedAtOnce() throws {
        for (environment, variable) in [(["BIASAUDIT_API_KEY": "sk-abc\nX\n"], "BIASAUDIT_API_KEY"),
                                        (["OPENAI_API_KEY": "sk\u{01}abc"], "OPENAI_API_KEY"),
                                        (["OPENAI_API_KEY": "sk-a\u{85}bc"], "OPENAI_API_KEY")] {
            if let error = thrownError(AuditError.self, "\(variable) is refused", from: {
                try OpenAIEndpoint(spec: try EndpointSpec(parsing: server.baseURL), environment: environment)
            }) {
                XCTAssertEqual(error.exitCode, 64, "\(error)")
                XCTAssertTrue(error.description.contains("\(variable) holds a character no HTTP header can carry (U+"), "\(error)")
                XCTAssertFalse(error.description.contains("abc"), "\(error)")
            }
        }
        XCTAssertEqual(server.requests.count, 0, "no request is sent")
        // A hostile review: a server echoing the key ("Incorrect API key provided: Bearer sk-…") had it printed.
        let endpoint = try OpenAIEndpoint(
            spec: try EndpointSpec(parsing: server.baseURL), environment: ["BIASAUDIT_API_KEY": "sk-TOPSECRET"])
        XCTAssertEqual(endpoint.quoted(Data("{\"error\": \"Incorrect API key provided: Bearer sk-TOPSECRET\"}".utf8)),
                       "{\"error\": \"Incorrect API key provided: Bearer ***\"}")
        // A code review: the key cut by the 4,096 bytes quoted was printed in part (29 of its characters).
        let page = Data((String(repeating: " ", count: 4080) + "Bearer sk-TOPSECRET and more").utf8)
        let quoted = endpoint.quoted(page, collapsingSpace: true)
        XCTAssertEqual(quoted, "Bearer", "the key's start is not quoted: '\(quoted)'")
    }

    /// The API key goes in `Authorization` to the endpoint and nowhere into the manifest.
    func testTheAPIKeyIsSentToTheServerAndNotRecorded() async throws {
        let endpoint = try OpenAIEndpoint(
            spec: try EndpointSpec(parsing: "\(server.baseURL)#\(server.servedName)"),
            environment: ["BIASAUDIT_API_KEY": "sk-secret-123", "OPENAI_API_KEY": "sk-other"])
        let model = try await RemoteModel.connect(
            "x", label: "x", sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 0), endpoint: endpoint)
        XCTAssertEqual(server.requests.last?.authorization, "Bearer sk-secret-123")
        let manifest = String(decoding: try JSONEncoder().encode(model.manifest), as: UTF8.self)
        XCTAssertFalse(manifest.contains("sk-secret"), manifest)
        XCTAssertTrue(model.acceptsPromptLists)
        // An empty BIASAUDIT_API_KEY is unset, and a key's surrounding line breaks are dropped (a practitioner's review:
        // the empty variable hid OPENAI_API_KEY and no key was sent).
        let fallback = try OpenAIEndpoint(
            spec: try EndpointSpec(parsing: "\(server.baseURL)#\(server.servedName)"),
            environment: ["BIASAUDIT_API_KEY": "", "OPENAI_API_KEY": " sk-other\n"])
        _ = try await RemoteModel.connect(
            "y", label: "y", sampling: SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9, seed: 0), endpoint: fallback)
        XCTAssertEqual(server.requests.last?.authorization, "Bearer sk-other")
    }

    /// Review after issue 17: a served model's completions had token_count 0. A one-choice answer's
    /// `usage.completion_tokens` is that completion's count; a list answer's total is split only when that
    /// is unambiguous; without `usage` the count is unknown (nil, left out of completions.jsonl).
    func testServedTokenCountsComeFromUsageOnlyWhenTheyCanBeAttributed() async throws {
        server.singlePromptOnly = true
        let single = try await runner(models: ["local=\(Self.localModel)", served], out: "single", samples: 2).run()
        let singleServed = single.completions.filter { $0.model == "served" }
        XCTAssertEqual(singleServed.count, 24)
        let mismatches = singleServed.filter { $0.tokenCount != server.tokenCount(of: $0.text, maxTokens: 6) }
        XCTAssertEqual(mismatches.count, 0, "first mismatches: \(mismatches.prefix(3).map { "\($0.text) → \(String(describing: $0.tokenCount))" })")
        XCTAssertEqual(Set(singleServed.compactMap(\.tokenCount)), [4, 5], "the counts differ between choices")
        XCTAssertTrue(single.completions.filter { $0.model == "local" }.allSatisfy { $0.tokenCount != nil })
        let speed = try XCTUnwrap(single.result.timing.models?.first { $0.model == "served" })
        XCTAssertEqual(speed.generatedTokens, singleServed.reduce(0) { $0 + ($1.tokenCount ?? 0) })

        // Six prompts per request, 4 and 5 tokens mixed: the total cannot be split, so the counts are unknown.
        server.singlePromptOnly = false
        let lists = try await runner(models: [served], out: "lists", samples: 2).run()
        XCTAssertEqual(lists.completions.count, 24)
        XCTAssertTrue(lists.completions.allSatisfy { $0.tokenCount == nil }, "\(lists.completions.map(\.tokenCount))")
        let line = String(decoding: try AuditJSON.encoder(pretty: false).encode(lists.completions[0]), as: UTF8.self)
        XCTAssertFalse(line.contains("token_count"), "an unknown count is left out of completions.jsonl: \(line)")

        // No usage at all: unknown, even for one-choice answers.
        server.singlePromptOnly = true
        server.sendsUsage = false
        let bare = try await runner(models: [served], out: "bare", samples: 1).run()
        XCTAssertTrue(bare.completions.allSatisfy { $0.tokenCount == nil })
        // Review of the integrate branch: the model's speed then has unknown tokens too (it said 0 generated
        // tokens at 0.0 tokens/s): results.json leaves the tokens out, has a null speed, and the report's speed row shows "—".
        let bareSpeed = try XCTUnwrap(bare.result.timing.models?.first)
        XCTAssertEqual(bareSpeed.completions, 12)
        XCTAssertNil(bareSpeed.generatedTokens)
        XCTAssertNil(bareSpeed.tokensPerSecond)
        let timing = String(decoding: try AuditJSON.encoder(pretty: false).encode(bare.result.timing), as: UTF8.self)
        XCTAssertFalse(timing.contains("generated_tokens"), timing)
        XCTAssertTrue(timing.contains("\"tokens_per_second\":null"), "the key is kept, as null: \(timing)")
        let report = try ReportRenderer().render(bare.result, format: .md)
        XCTAssertTrue(report.contains("| served | 12 | — |"), "the speed row: \(report.split(separator: "\n").filter { $0.hasPrefix("| served |") })")

        // Review: a server claiming 10¹² completion tokens for 6-token requests made the run's speed 5·10¹⁴
        // tokens/s. A total the request could not have produced is unknown, for the completion and the run.
        server.sendsUsage = true
        server.claimedCompletionTokens = 1_000_000_000_000
        let boastful = try await runner(models: [served], out: "boastful", samples: 1).run()
        XCTAssertTrue(boastful.completions.allSatisfy { $0.tokenCount == nil })
        let boastfulSpeed = try XCTUnwrap(boastful.result.timing.models?.first)
        XCTAssertNil(boastfulSpeed.generatedTokens)
        XCTAssertNil(boastfulSpeed.tokensPerSecond)
    }

    /// A continuation longer than any completion is refused, naming the server and the prompt, without echoing it (a
    /// hostile review: 900,000 characters for max_tokens 4 were accepted, and scoring them took 45 s).
    func testAServersHugeTextIsRefused() async throws {
        server.continuationLength = 100_001
        if let error = await thrownError(AuditError.self, "a huge text is refused", from: {
            _ = try await runner(models: [served], out: "huge", samples: 1).run()
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("is 100001 characters long, more than the limit of 100000"), "\(error)")
            XCTAssertLessThan(error.description.utf8.count, 1000, "not echoed")
        }
    }

    /// An answer past the size limit is refused (exit 65) saying what was asked and which options make answers
    /// smaller (a hostile review: "ask for fewer prompts per request" named no option, and none sets that).
    func testAnAnswerPastTheSizeLimitNamesWhatWasAskedAndTheOptions() async throws {
        server.continuationLength = 5000
        let endpoint = try OpenAIEndpoint(spec: try EndpointSpec(parsing: server.baseURL), maximumAnswer: 4096)
        var request = CompletionRequest(model: server.servedName, prompts: ["The nurse said", "The plumber said"], maxTokens: 6)
        request.n = 2
        if let error = await thrownError(AuditError.self, "an answer past the limit is refused", from: {
            _ = try await endpoint.complete(request)
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(
                error.description.contains("the answer is longer than 4096 bytes, far more than the 2 prompts × n = 2 of at most 6 tokens asked for take")
                    && error.description.contains("lowering --max-new-tokens (generate: --samples) makes answers smaller")
                    && !error.description.contains("fewer prompts per request"), "\(error)")
        }
    }

    /// A 429 whose page is longer than the answer limit is a rate limit all the same: retried, and said as one with an
    /// excerpt of the page's start when it lasts (a hostile review: exit 65 "the answer is longer than" at once).
    func testARateLimitWithAPagePastTheSizeLimitIsRetried() async throws {
        server.throttleBody = "<html><title>Too many requests</title>" + String(repeating: "x", count: 8000) + "</html>"
        server.throttle([(429, "0")])
        let endpoint = try OpenAIEndpoint(spec: try EndpointSpec(parsing: server.baseURL), maximumAnswer: 4096)
        let request = CompletionRequest(model: server.servedName, prompts: ["The nurse said"], maxTokens: 3)
        let answer = try await endpoint.complete(request)
        XCTAssertEqual(answer.choices.count, 1, "answered after the retry")
        XCTAssertEqual(server.requests.count, 1, "the throttled request is not recorded; the retry is")

        server.throttle(Array(repeating: (429, "0"), count: 2))
        if let error = await thrownError(AuditError.self, "a lasting rate limit is said as one", from: {
            _ = try await endpoint.complete(request, attempts: 2)
        }) {
            XCTAssertEqual(error.exitCode, 69, "\(error)")
            XCTAssertTrue(error.description.contains("is rate-limiting these requests (HTTP 429: '<html><title>Too many requests"),
                          "\(error)")
            XCTAssertLessThan(error.description.utf8.count, 1200, "an excerpt, not the page")
        }
    }

    /// An answer far larger than what was asked can take is refused as it arrives, below the 64 MiB cap: 1 MiB plus
    /// 4 KiB a choice and 2 KiB a token (and each of its alternatives) is read at most, since decoding an answer takes up
    /// to 24 times its size in memory (measured: 1.6 GB at the cap for a one-prompt `generate`). An answer within that
    /// bound is read.
    func testAnAnswerFarLargerThanWhatWasAskedIsRefusedBelowTheCap() async throws {
        let endpoint = try OpenAIEndpoint(spec: try EndpointSpec(parsing: server.baseURL))
        var request = CompletionRequest(model: server.servedName, prompts: ["The nurse said"], maxTokens: 5)
        request.logprobs = 3
        // 1 MiB, one choice of 4 KiB, 5 tokens of 2 KiB each for the token, its tokens/token_logprobs entries and 3
        // alternatives.
        let bound = (1 << 20) + (4 << 10) + 5 * (2 + 3) * (2 << 10)
        server.continuationLength = 2 << 20
        if let error = await thrownError(AuditError.self, "an answer of 2 MiB for 5 tokens is refused", from: {
            _ = try await endpoint.complete(request)
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(
                error.description.contains(
                    "the answer is longer than \(bound) bytes, far more than the 1 prompt × n = 1 of at most 5 tokens with "
                        + "logprobs=3 asked for take")
                    && error.description.contains("biasaudit reads 1 MiB, plus 4 KiB a choice and 2 KiB a token")
                    && !error.description.contains("lowering --max-new-tokens"), "\(error)")
        }
        // Just within the bound (the answer's other bytes take less than 64 KiB): read, and its text is whole.
        server.continuationLength = bound - (64 << 10)
        let answer = try await endpoint.complete(request)
        XCTAssertEqual(answer.choices.first?.text.count, bound - (64 << 10))
    }

    /// A token count no Int holds (or not a number) leaves the count unknown and the answer readable (a hostile review:
    /// 18446744073709551615 refused the whole answer with exit 65).
    func testAnAbsurdUsageCountIsUnknownNotAnUnreadableAnswer() throws {
        for count in ["18446744073709551615", "1e400", "\"12\"", "-3.5"] {
            let json = "{\"choices\": [{\"text\": \" fine\", \"index\": 0, \"finish_reason\": \"stop\"}], "
                + "\"usage\": {\"completion_tokens\": \(count)}}"
            let answer = try JSONDecoder().decode(CompletionResponse.self, from: Data(json.utf8))
            XCTAssertEqual(answer.choices.map(\.text), [" fine"], count)
            XCTAssertNil(answer.usage?.completionTokens, count)
        }
    }

    /// The attribution rule on its own: one choice gets the total; several get 0 or max_tokens each only when
    /// the total forces it; anything else (or a total no answer can have) is unknown.
    func testTokenCountsAreAttributedOnlyWhenUnambiguous() {
        let cases: [(total: Int?, choices: Int, maxTokens: Int, expected: [Int?])] = [
            (7, 1, 10, [7]), (0, 1, 10, [0]), (11, 1, 10, [nil]), (-1, 1, 10, [nil]), (nil, 1, 10, [nil]),
            (0, 3, 10, [0, 0, 0]), (30, 3, 10, [10, 10, 10]), (29, 3, 10, [nil, nil, nil]),
            (31, 3, 10, [nil, nil, nil]), (nil, 2, 10, [nil, nil]),
        ]
        for item in cases {
            XCTAssertEqual(
                RemoteModel.tokenCounts(completionTokens: item.total, choices: item.choices, maxTokens: item.maxTokens),
                item.expected, "total \(String(describing: item.total)), \(item.choices) choices, max \(item.maxTokens)")
        }
    }

    /// A server's finish_reason is stored as an identifier: the known ones as the run store's words, another as its
    /// ASCII letters, digits, `_` and `-` (a hostile review: "\u{1b}[31mstop", escaped for a terminal, was stored in
    /// completions.jsonl).
    func testStopReasonsAreIdentifiers() {
        XCTAssertEqual(RemoteModel.stopReason("stop"), "end_of_text")
        XCTAssertEqual(RemoteModel.stopReason("length"), "max_new_tokens")
        XCTAssertEqual(RemoteModel.stopReason(nil), "unknown")
        XCTAssertEqual(RemoteModel.stopReason(""), "unknown")
        XCTAssertEqual(RemoteModel.stopReason("content_filter"), "content_filter")
        XCTAssertEqual(RemoteModel.stopReason("\u{1b}[31mstop"), "__31mstop")
        XCTAssertEqual(RemoteModel.stopReason(String(repeating: "é", count: 40)), String(repeating: "_", count: 30))
    }

    /// A hostile review found a server's log-probabilities stored unchecked (a male mass of 1.000006 from
    /// `{" he": 0.0, " him": -12}`, 5e21 from a logprob of 50, NaN failing a NOT NULL constraint), then blamed on
    /// the run store. A total above 1 by rounding is scaled to 1; a logprob above 0 or NaN, or a total well above 1,
    /// is the server's error.
    func testPronounProbabilitiesRefuseLogprobsAboveZero() throws {
        let rounded = try RemoteModel.pronounProbabilities([" he": 0.0, " him": -12, " the": -3])
        XCTAssertEqual(rounded.male, 1)
        XCTAssertEqual(rounded.female, 0)
        let shared = try RemoteModel.pronounProbabilities([" he": log(0.75), " she": log(0.25 + 1e-6)])
        XCTAssertEqual(shared.male + shared.female, 1, accuracy: 1e-15)
        XCTAssertEqual(log(shared.male) - log(shared.female), log(0.75) - log(0.25 + 1e-6), accuracy: 1e-12, "ratio kept")
        XCTAssertEqual(try RemoteModel.pronounProbabilities([" he": 1e-7]).male, 1, "above 0 by rounding")
        XCTAssertEqual(try RemoteModel.pronounProbabilities([" he": -.infinity, " she": log(0.5)]).male, 0)
        for (alternatives, problem) in [
            ([" he": 50.0], RemoteModel.ServedLogprobProblem.aboveZero(token: " he", logprob: 50)),
            ([" she": 1e308], .aboveZero(token: " she", logprob: 1e308)),
            ([" the": .infinity], .aboveZero(token: " the", logprob: .infinity)),
            ([" he": 0.0, " He": 0.0], .totalAboveOne(2)),
        ] {
            XCTAssertThrowsError(try RemoteModel.pronounProbabilities(alternatives)) {
                XCTAssertEqual($0 as? RemoteModel.ServedLogprobProblem, problem)
            }
        }
        XCTAssertThrowsError(try RemoteModel.pronounProbabilities([" he": .nan])) {
            XCTAssertTrue("\($0)".contains("not a number (NaN) for ' he'"), "\($0)")
        }
    }

    /// The same through a run: a total above 1 by rounding runs (and reads back), a logprob above 0 stops the run
    /// with exit 65 naming the server, not the run store, and so does the same command again.
    func testARunRefusesAServersLogprobAboveZeroNamingTheServer() async throws {
        server.claimedTopLogprobs = [" he": 0.0, " him": -12, " she": -13]
        let outcome = try await runner(models: [served], out: "rounded", samples: 1).run()
        let logOdds = outcome.completions.compactMap(\.nextTokenLogOdds)
        XCTAssertFalse(logOdds.isEmpty)
        for value in logOdds { XCTAssertEqual(value, 13 + log(1 + exp(-12.0)), accuracy: 1e-9) }

        for claimed in [[" he": 50.0, " she": -1], [" he": 1e308, " she": -1]] {
            server.claimedTopLogprobs = claimed
            let out = "above-zero-\(claimed[" he"]!)"
            for attempt in 1...2 {
                if let error = await thrownError(AuditError.self, "\(claimed) attempt \(attempt): the run should fail", from: {
                    _ = try await runner(models: [served], out: out, samples: 1).run()
                }) {
                    XCTAssertEqual(error.exitCode, 65)
                    let message = error.description
                    XCTAssertTrue(message.hasPrefix(server.baseURL), message)
                    XCTAssertTrue(message.contains("the server returned a log-probability above 0"), message)
                    XCTAssertFalse(message.contains("run store"), message)
                }
            }
        }
    }

    /// A practitioner's review: llama.cpp's llama-server refuses n > 1 ("Only one completion choice is allowed"), and
    /// `generate --samples 3` always failed against it (exit 65). Each sample is asked alone then, sample i with the seed
    /// of stream i, as for a server that ignores `n`.
    func testGenerateAsksOneSampleAtATimeOfAServerThatRefusesSeveralChoices() async throws {
        var sampling = SamplingParameters(temperature: 1, topK: 5, topP: 1)
        sampling.seed = 7
        let model = try await RemoteModel.connect(
            ModelArgument(label: "s", spec: "\(server.baseURL)#\(server.servedName)"), sampling: sampling)
        XCTAssertTrue(model.acceptedParameters.contains("top_k"), "precondition: \(model.acceptedParameters)")
        server.refuseSeveralChoices = true
        let before = server.requests.count
        let outputs = try await model.generate(prompt: "The nurse said", samples: 3, maxTokens: 5, sampling: sampling)
        XCTAssertEqual(outputs.count, 3)
        let sent = server.requests.dropFirst(before)
        XCTAssertEqual(sent.map(\.n), [1, 1, 1], "the refused request is not recorded; each sample alone")
        XCTAssertEqual(Set(sent.compactMap(\.seed)).count, 3, "one seed per stream: \(sent.map(\.seed))")
        // One sample is one request: a refusal of it is the server's answer to the request.
        server.refuseTopK = true
        if let error = await thrownError(AuditError.self, "a refused single request stops", from: {
            _ = try await model.generate(prompt: "The nurse said", samples: 1, maxTokens: 5, sampling: sampling)
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("the server refused the request (HTTP 400"), "\(error)")
        }
    }

    /// A key twice in one object of a server's answer ("text" twice in a choice): JSONDecoder keeps the first, Python
    /// the last, so which text is audited depended on the reader. Refused, naming the key (exit 65).
    func testAServerAnswerWithAKeyTwiceIsRefused() async throws {
        let model = try await RemoteModel.connect(
            ModelArgument(label: "s", spec: "\(server.baseURL)#\(server.servedName)"), sampling: SamplingParameters())
        server.rawGeneratingAnswer = #"{"choices": [{"text": " kind", "text": " cruel", "index": 0}]}"#
        if let error = await thrownError(AuditError.self, "a key twice should be refused", from: {
            _ = try await model.generate(prompt: "The nurse said", samples: 1, maxTokens: 5, sampling: SamplingParameters())
        }) {
            XCTAssertEqual(error.exitCode, 65)
            XCTAssertTrue(error.description.contains("the answer gives key \"text\" twice in one object"), error.description)
        }
    }

    /// An answer that does not decode is refused (exit 65) saying what is wrong where, not only that it is not the
    /// format (a hostile review: a null text and a NaN log-probability got the same generic words).
    func testAMalformedAnswerIsRefusedNamingThePlaceAndTheProblem() async throws {
        let model = try await RemoteModel.connect(
            ModelArgument(label: "s", spec: "\(server.baseURL)#\(server.servedName)"), sampling: SamplingParameters())
        let top = #""top_logprobs": [{" he": -0.5, " she": -1.2}]"#
        let cases: [(answer: String, message: String)] = [
            (#"{"choices": [{"index": 0, "finish_reason": "stop"}]}"#, "choices[0].text is missing"),
            (#"{"choices": [{"text": null, "index": 0}]}"#, "choices[0].text is null"),
            (#"{"choices": [{"text": 42, "index": 0}]}"#, "choices[0].text is not a string (the value 42)"),
            (#"{"choices": [{"text": "a", "index": "zero"}]}"#, #"choices[0].index is not a whole number (the string "zero")"#),
            (#"{"choices": "none"}"#, #"choices is not a list (the string "none")"#),
            (#"{"object": "error"}"#, "choices is missing"),
            (
                #"{"choices": [{"text": "a", "index": 0, "logprobs": {"top_logprobs": [{" he": -0.5, " she": NaN}]}}]}"#,
                #"choices[0].logprobs.top_logprobs[0][" she"] holds a NaN, which JSON has no number for"#
            ),
            (
                #"{"choices": [{"text": "a", "index": 0, "logprobs": {\#(top)}}, {"text": "b", "index": 1, "logprobs": {"top_logprobs": [{" he": -Infinity}]}}]}"#,
                #"choices[1].logprobs.top_logprobs[0][" he"] holds -Infinity"#
            ),
            (
                #"{"choices": [{"text": "a", "index": 0, "logprobs": {"top_logprobs": [{" he": null}]}}]}"#,
                #"choices[0].logprobs.top_logprobs[0][" he"] is null"#
            ),
            (#"{"choices": [{"text": "NaN", "index": 0}], "x": NaN}"#, "x holds a NaN"),
            ("<html>\u{1b}[31m busy</html>", "it is not JSON: '<html>\\u{1b}[31m busy</html>'"),
            // JSON syntax whose value cannot be held (a hostile review: "not JSON" with the answer's start).
            (#"{"choices": [{"text": "a", "index": 1e400}]}"#,
             "it holds the number 1e400, which does not fit a 64-bit float"),
            (#"{"choices": [{"text": "he \ud800 x", "index": 0}]}"#,
             #"it holds a \uD800–\uDFFF escape without its other half (a lone UTF-16 surrogate, which is no character)"#),
        ]
        // Bytes that are not UTF-8 text, or a NUL: where, after what (a hostile review: "not JSON" with the answer's start).
        let start = #"{"choices": [{"text": "caf"#
        let byteCases: [(Data, String)] = [
            (Data(start.utf8) + Data([0xE9]) + Data(#"", "index": 0}]}"#.utf8),
             #"it is not UTF-8 text at byte 26 (0xE9), after '{"choices": [{"text": "caf' (JSON is UTF-8 text)"#),
            (Data([0xFF, 0xFE]) + Data("{}".utf8), "(nor UTF-8 text, from byte 0: 0xFF)"),
            (Data(start.utf8) + Data([0]) + Data(#"", "index": 0}]}"#.utf8),
             #"it holds a NUL byte at byte 26, after '{"choices": [{"text": "caf' (no JSON text holds one)"#),
            // An HTML page in Latin-1 is shown by its start, which tells what it is (a code review).
            (Data("<html><title>Erreur 502</title>caf".utf8) + Data([0xE9]),
             "it is not JSON: '<html><title>Erreur 502</title>caf\u{fffd}' (nor UTF-8 text, from byte 34: 0xE9)"),
        ]
        for (answer, message) in cases.map({ (Data($0.0.utf8), $0.1) }) + byteCases {
            server.rawGeneratingAnswerBytes = answer
            if let error = await thrownError(AuditError.self, "\(message) should be refused", from: {
                _ = try await model.generate(prompt: "The nurse said", samples: 1, maxTokens: 5, sampling: SamplingParameters())
            }) {
                XCTAssertEqual(error.exitCode, 65, "\(error)")
                XCTAssertTrue(
                    error.description.contains("the answer is not an OpenAI completions response")
                        && error.description.contains(message), "expected \(message) in \(error.description)")
            }
        }
        server.rawGeneratingAnswerBytes = nil
    }

    /// `next-token` on a served model shows the server's log-probabilities: one above 0 is refused there too.
    func testServedNextTokenRefusesALogprobAboveZero() async throws {
        let model = try await RemoteModel.connect(
            ModelArgument(label: "s", spec: "\(server.baseURL)#\(server.servedName)"), sampling: SamplingParameters())
        server.claimedTopLogprobs = [" he": 2.5, " she": -1]
        if let error = await thrownError(AuditError.self, "a log-probability of 2.5 should be refused", from: {
            _ = try await model.nextTokenAlternatives(prompt: "The nurse said", count: 10)
        }) {
            XCTAssertEqual(error.exitCode, 65)
            XCTAssertTrue(error.description.contains("the server returned a log-probability above 0 (2.5) for ' he'"), error.description)
        }
        // Alternatives whose probabilities pass 1 in all, as `run` refuses the pronouns' (a hostile review: 0.9990 and
        // 0.9980 were printed, exit 0); within the rounding of 1e-4 they are shown.
        server.claimedTopLogprobs = [" he": -0.001, " she": -0.002]
        if let error = await thrownError(AuditError.self, "probabilities of 1.997 in all should be refused", from: {
            _ = try await model.nextTokenAlternatives(prompt: "The nurse said", count: 10)
        }) {
            XCTAssertEqual(error.exitCode, 65)
            XCTAssertTrue(error.description.contains("the server's log-probabilities of the next token's alternatives add up "
                + "to a probability of 1.99"), error.description)
        }
        server.claimedTopLogprobs = [" he": log(0.6), " she": log(0.40004)]
        let rounded = try await model.nextTokenAlternatives(prompt: "The nurse said", count: 10)
        XCTAssertEqual(rounded.count, 2, "1.00004: rounding")
        server.claimedTopLogprobs = [" he": -0.5, " she": -1]
        let shown = try await model.nextTokenAlternatives(prompt: "The nurse said", count: 10)
        XCTAssertEqual(shown.map(\.token), [" he", " she"])
    }

    /// A hostile review: an empty model list without `#NAME` was told "the server serves 0 models (); name one after '#'".
    func testAnEmptyModelListIsSaidToListNoModels() async throws {
        server.rawModelsAnswer = #"{"object": "list", "data": []}"#
        if let error = await thrownError(AuditError.self, "no model to use", from: {
            _ = try await RemoteModel.connect(ModelArgument(label: "s", spec: server.baseURL), sampling: SamplingParameters())
        }) {
            XCTAssertEqual(error.exitCode, 64, "\(error)")
            XCTAssertTrue(error.description.contains("the server lists no models (GET /v1/models); name the served model "
                + "after '#'"), error.description)
        }
    }

    /// A hostile review: one 503 on the list probe made a run send one prompt per request (38 requests instead of 7)
    /// without a word. The probe waits as the parameters' probe does; a failure past that is kept and said.
    func testTheListProbeWaitsForABusyServerAndSaysWhyItGaveUp() async throws {
        func connect() async throws -> RemoteModel {
            try await RemoteModel.connect(
                "s", label: "s", sampling: SamplingParameters(),
                endpoint: try OpenAIEndpoint(spec: try EndpointSpec(parsing: "\(server.baseURL)#\(server.servedName)")))
        }
        server.listProbeThrottles = [(503, "1")]
        let busy = try await connect()
        XCTAssertTrue(busy.acceptsPromptLists)
        XCTAssertNil(busy.listProbeFailure)
        server.listProbeThrottles = Array(repeating: (429, nil), count: 4)
        let throttled = try await connect()
        XCTAssertFalse(throttled.acceptsPromptLists)
        XCTAssertEqual(throttled.listProbeFailure, "HTTP 429, 4 attempts", "a few words, not the whole error")
        // A server that fails every list (llama-cpp-python's 500) is not said to have failed.
        server.listProbeThrottles = []
        server.singlePromptOnly = true
        let single = try await connect()
        XCTAssertFalse(single.acceptsPromptLists)
        XCTAssertNil(single.listProbeFailure)
        // `generate` and `next-token` send one prompt: no list probe (a review: 7 s more a command against such a server).
        let before = server.listRequestCount
        _ = try await RemoteModel.connect(
            ModelArgument(label: "s", spec: "\(server.baseURL)#\(server.servedName)"), sampling: SamplingParameters())
        XCTAssertEqual(server.listRequestCount, before, "no list asked")
        XCTAssertEqual(before, 10, "the run's connections asked 1 (503) + 1, 4 (429) and 4 (500) lists")
    }

    /// The run's note when the list probe gets no usable answer: a 429 past the retries is not a format problem, and
    /// llama-server's own list answer is not a failure (a practitioner's and a code review of the wording).
    func testTheRunSaysWhyEachRequestHoldsOnePrompt() async throws {
        server.listProbeThrottles = Array(repeating: (429, nil), count: 4)
        let notes = NoteRecorder()
        _ = try await runner(models: [served], out: "list-probe-note", samples: 2, progress: notes).run()
        XCTAssertTrue(notes.notes.contains { $0.contains("served: a request of two prompts got no usable answer (HTTP 429, 4 "
            + "attempts), so each request holds one prompt") }, "\(notes.notes)")
    }

    /// `n` and a list of prompts: choices are matched to prompts by index even when sent out of order.
    func testChoicesOfSeveralPromptsAndSamplesAreMatchedByIndex() async throws {
        let endpoint = try OpenAIEndpoint(spec: try EndpointSpec(parsing: "\(server.baseURL)#\(server.servedName)"))
        var request = CompletionRequest(model: server.servedName, prompts: ["The nurse said", "The plumber said"], maxTokens: 5)
        request.n = 3
        request.seed = 7
        let answer = try await endpoint.complete(request)
        let ordered = answer.choices.sorted { ($0.index ?? 0) < ($1.index ?? 0) }
        let expected = ["The nurse said", "The plumber said"].flatMap { prompt in
            (0..<3).map { server.continuation(of: prompt, seed: 7, index: $0) }
        }
        XCTAssertEqual(ordered.map(\.text), expected)
    }

    /// A hostile review: choices numbered 0, 0, 1, 1, 2, 2 (in reverse) were sorted and zipped with the prompts, and one
    /// group's texts became the other's, exit 0. The indices must be 0…count − 1, each once, or all absent.
    func testChoiceIndicesMustNumberEachChoiceOnce() throws {
        func answer(_ indices: [Int?]) throws -> CompletionResponse {
            let choices = indices.enumerated().map { offset, index in
                "{\"text\": \"t\(offset)\"" + (index.map { ", \"index\": \($0)" } ?? "") + "}"
            }
            return try JSONDecoder().decode(
                CompletionResponse.self, from: Data("{\"choices\": [\(choices.joined(separator: ", "))]}".utf8))
        }
        XCTAssertEqual(try answer([2, 0, 1]).choicesInOrder?.map(\.text), ["t1", "t2", "t0"])
        XCTAssertEqual(try answer([nil, nil]).choicesInOrder?.map(\.text), ["t0", "t1"])
        for indices: [Int?] in [[2, 2, 1, 1, 0, 0], [0, 2], [0, -1], [0, nil], [1, 1]] {
            XCTAssertNil(try answer(indices).choicesInOrder, "\(indices)")
        }
    }

    /// Done-when: two shards merged equal the unsharded run (results apart from timing and command line).
    func testTwoShardsMergedEqualTheUnshardedRun() async throws {
        let models = [Self.localModel, Fixtures.url("models/tiny-gpt2-openai-f16").path]
        let whole = try await runner(models: models, out: "whole").run()
        let first = try await runner(models: models, out: "shard-1", shard: try RunShard(index: 1, count: 2)).run()
        let second = try await runner(models: models, out: "shard-2", shard: try RunShard(index: 2, count: 2)).run()
        XCTAssertEqual(first.shard, try RunShard(index: 1, count: 2))
        let parts = [first, second].map { $0.result.timing.models?.reduce(0) { $0 + $1.completions } ?? 0 }
        XCTAssertEqual(parts.reduce(0, +), 2 * 12 * 4)
        XCTAssertTrue(parts.allSatisfy { $0 > 0 }, "both shards hold prompts: \(parts)")

        let hub = HubConfiguration(cacheDirectory: scratch.appendingPathComponent("hub"), offline: true)
        let merged = try await AuditMerger.merge(
            directories: [scratch.appendingPathComponent("shard-2"), scratch.appendingPathComponent("shard-1")],
            outputDirectory: scratch.appendingPathComponent("merged"), locator: ModelLocator(configuration: hub),
            scorer: try TextScorer.bundled(), commandLine: ["biasaudit", "run"])
        var expected = whole.result
        var actual = merged.result
        expected.timing = actual.timing
        actual.manifest.commandLine = expected.manifest.commandLine
        let encoder = AuditJSON.encoder(pretty: true)
        let expectedJSON = String(decoding: try encoder.encode(expected), as: UTF8.self)
        let actualJSON = String(decoding: try encoder.encode(actual), as: UTF8.self)
        if expectedJSON != actualJSON {
            let mismatch = zip(expectedJSON.split(separator: "\n"), actualJSON.split(separator: "\n")).enumerated()
                .first { $0.element.0 != $0.element.1 }
            XCTFail("merged results differ from the unsharded run's; first differing line \(mismatch?.offset ?? -1): \(mismatch.map { "\($0.element.0) vs \($0.element.1)" } ?? "lengths differ")")
        }
        XCTAssertEqual(merged.completions.map(\.text), whole.completions.map(\.text))

        // A missing shard, a repeated one, and a shard of another audit are refused naming the folder.
        let locator = ModelLocator(configuration: hub)
        for (directories, named) in [
            (["shard-1"], "shard 2/2 is missing (given: 1/2 in "), (["shard-1", "shard-1"], "is given twice; give each shard folder once"),
        ] {
            if let error = await thrownError(AuditError.self, "\(directories) should be refused", from: {
                _ = try await AuditMerger.merge(
                    directories: directories.map { scratch.appendingPathComponent($0) },
                    outputDirectory: scratch.appendingPathComponent("refused"), locator: locator,
                    scorer: try TextScorer.bundled(), commandLine: [])
            }) {
                XCTAssertEqual(error.exitCode, 65, "\(error)")
                XCTAssertTrue(error.description.contains(named) && error.description.contains("shard-1"), "\(error)")
            }
        }
        _ = try await runner(models: [Self.localModel], out: "other-2", samples: 2, shard: try RunShard(index: 2, count: 2)).run()
        if let error = await thrownError(AuditError.self, "shards of different audits should be refused", from: {
            _ = try await AuditMerger.merge(
                directories: ["shard-1", "other-2"].map { scratch.appendingPathComponent($0) },
                outputDirectory: scratch.appendingPathComponent("refused"), locator: locator,
                scorer: try TextScorer.bundled(), commandLine: [])
        }) {
            XCTAssertEqual(error.exitCode, 65, "\(error)")
            XCTAssertTrue(error.description.contains("other-2") && error.description.contains("not a shard of the same audit"), "\(error)")
        }
    }
}
/// The stop request's four phases (a hostile review: a Ctrl-C during the statistics said "stopping after the current
/// batch", then the run wrote every file and exited 0; a second review: quitting at once while the files were renamed
/// into place mixed a new results.json with old reports and left hidden temporaries).
/// A review: GNU `timeout -s INT` signals the command and then its process group, and `run` took the copy for a second
/// Ctrl-C, which quits at once (the batch in flight lost). A stop within 0.1 s of the first is its copy.
final class StopEchoesTests: XCTestCase {
    func testAStopRightAfterTheFirstIsItsCopyAndALaterOneIsNot() {
        let echoes = StopEchoes()
        XCTAssertFalse(echoes.isEcho(SIGINT, now: 5_000_000_000), "the first stop")
        XCTAssertTrue(echoes.isEcho(SIGINT, now: 5_000_000_000 + 30_000), "timeout's second signal, microseconds later")
        XCTAssertTrue(echoes.isEcho(SIGINT, now: 5_000_000_000 + StopEchoes.window - 1))
        // Another signal is a second stop however soon (a second review: a SIGTERM 20 ms after a Ctrl-C was dropped).
        XCTAssertFalse(echoes.isEcho(SIGTERM, now: 5_000_000_000 + 20_000_000))
        XCTAssertFalse(echoes.isEcho(SIGINT, now: 5_000_000_000 + StopEchoes.window), "a person's second Ctrl-C")
        XCTAssertFalse(echoes.isEcho(SIGINT, now: 9_000_000_000))
    }
}

final class CancellationFlagTests: XCTestCase {
    func testAStopIsTakenAfterTheBatchNowOrAfterTheFilesByPhase() {
        // Before the generation (models loading, a server probed) a stop quits at once (a code review: a server that
        // never answered the probe kept the run waiting after "stopping after the current batch").
        let before = CancellationFlag()
        XCTAssertEqual(before.cancel(), .beforeGeneration)
        let during = CancellationFlag()
        during.beginGeneration()
        XCTAssertEqual(during.cancel(), .afterTheBatch, "during generation a stop is taken by the runner")
        XCTAssertTrue(during.isCancelled)
        XCTAssertTrue(during.endGeneration(), "the runner sees it when generation ends, and stops")
        let after = CancellationFlag()
        XCTAssertFalse(after.endGeneration(), "no stop asked: the runner goes on to the statistics")
        XCTAssertEqual(after.cancel(), .now, "after generation nothing reads the flag: the caller must stop the process")
        XCTAssertTrue(after.isCancelled)
        let writing = CancellationFlag()
        XCTAssertFalse(writing.endGeneration())
        writing.beginWriting()
        XCTAssertEqual(writing.cancel(code: 15), .afterTheFiles, "while the files are written a stop waits for them")
        XCTAssertEqual(writing.cancel(code: 2), .afterTheFiles)
        XCTAssertEqual(writing.endWriting(), 15, "and is returned, with the first request's code, once they are written")
        // A stop after the files are written is answered at once (a review: one during the summary was lost, exit 0).
        let written = CancellationFlag()
        XCTAssertFalse(written.endGeneration())
        written.beginWriting()
        XCTAssertNil(written.endWriting(), "no stop asked while writing")
        XCTAssertEqual(written.cancel(code: 2), .nowWithTheFilesWritten)
        // A failed writing's error ends the command: a stop then or after is answered by nothing (it had said the
        // files "are finished first" and exited 130 instead of the failure's 74).
        let failed = CancellationFlag()
        XCTAssertFalse(failed.endGeneration())
        failed.beginWriting()
        XCTAssertEqual(failed.cancel(code: 2), .afterTheFiles)
        failed.failWriting()
        XCTAssertEqual(failed.cancel(code: 15), .afterAFailedWrite)
        // `report`, `analyze` and `merge` generate nothing: their flag starts after the generation.
        let reporting = CancellationFlag(generating: false)
        XCTAssertEqual(reporting.cancel(), .now, "before the writing the caller stops the process")
        reporting.beginWriting()
        XCTAssertEqual(reporting.endWriting(), 0, "the first request's code")
    }
}
