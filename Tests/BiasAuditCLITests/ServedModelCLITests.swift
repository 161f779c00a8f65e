import AuditResults
import Foundation
import Hashing
import OpenAITestSupport
import TestSupport
import XCTest

/// `run`, `generate` and `next-token` against the loopback OpenAI-compatible server, and `run --shard` with
/// `merge`, through the built binary.
final class ServedModelCLITests: XCTestCase {
    private static let maleTerms = ["carpenter", "electrician", "plumber"]
    /// Probabilities the server reports, read back through exp(log p) and JSON.
    private static let probabilityTolerance = 1e-9
    private let unavailable: Int32 = 69
    private let badInput: Int32 = 65
    private let usage: Int32 = 64

    private var hub: IsolatedHub!
    private var scratch: URL!
    private var server: OpenAITestServer!

    override func setUp() async throws {
        hub = try IsolatedHub()
        scratch = try Fixtures.temporaryDirectory("served-cli")
        server = OpenAITestServer(skewedTerms: Self.maleTerms)
        try await server.start()
    }

    override func tearDown() async throws {
        try await server?.stop()
        hub.remove()
        try? FileManager.default.removeItem(at: scratch)
    }

    private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CLI.run(arguments, environment: hub.environment.merging(environment) { $1 })
    }

    private var served: String { "\(server.baseURL)#\(server.servedName)" }

    /// Hostile review: `--precision bf16` with only a served model was recorded as bf16 in results.json, though a server
    /// computes at its own precision. `run` says that it does not apply, and records none.
    func testPrecisionWithOnlyAServedModelIsSaidNotToApplyAndNotRecorded() throws {
        let out = scratch.appendingPathComponent("served-bf16")
        let result = try run([
            "run", Fixtures.url("audit/small-set.yaml").path, "--model", "served=\(served)", "--samples", "1",
            "--max-new-tokens", "3", "--precision", "bf16", "--out", out.path, "--quiet",
        ])
        try XCTSkipIf(result.status == usage && result.stderr.contains("needs a CPU"), "this CPU has no native bf16 instructions")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("biasaudit: note: --precision bf16 applies to models run in process; every "
            + "model of this run is served, and a server computes at its own precision, so no precision is recorded"), result.stderr)
        let results = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as? [String: Any])
        let manifest = try XCTUnwrap(results["manifest"] as? [String: Any])
        XCTAssertNil(manifest["precision"], "results.json records no precision for served models: \(manifest["precision"] ?? "")")
    }

    /// Done-when: a local and a served model in one `run`; the key reaches the server and no output file.
    func testRunWithALocalAndAServedModelWritesTheReportWithoutTheKey() throws {
        let out = scratch.appendingPathComponent("mixed")
        let secret = "sk-test-secret-4711"
        let result = try run(
            [
                "run", Fixtures.url("audit/small-set.yaml").path, "--model", "local=\(Fixtures.url("models/tiny-gpt2").path)",
                "--model", "served=\(served)", "--samples", "2", "--max-new-tokens", "5", "--seed", "3", "--out", out.path,
                "--quiet", "--concurrency", "2",
            ], environment: ["BIASAUDIT_API_KEY": secret])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(server.requests.allSatisfy { $0.authorization == "Bearer \(secret)" })
        for name in ["results.json", "completions.jsonl", "report.md", "report.html", "run.sqlite"] {
            let bytes = try Data(contentsOf: out.appendingPathComponent(name))
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(name) holds the API key")
        }
        let results = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as? [String: Any])
        let models = try XCTUnwrap((results["manifest"] as? [String: Any])?["models"] as? [[String: Any]])
        let entry = try XCTUnwrap(models.first { $0["id"] as? String == "served" })
        XCTAssertEqual(entry["common_random_numbers"] as? Bool, false)
        XCTAssertEqual(entry["endpoint"] as? String, server.baseURL)
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("**Served models (served).**") && report.contains("may not hold"), "report.md says the paired design may not hold")
        XCTAssertTrue(report.contains("| OpenAI-compatible server |"), "What was audited names where the served model came from")
        // The model comparison is unpaired, and the methods do not claim otherwise.
        XCTAssertFalse(report.contains("Both models were sampled with common random numbers"))
        XCTAssertTrue(report.contains("a comparison with a served model is not paired"))
        let comparisons = try XCTUnwrap(results["model_comparisons"] as? [[String: Any]])
        XCTAssertFalse(comparisons.isEmpty)
        XCTAssertTrue(comparisons.allSatisfy { $0["paired"] as? Bool == false }, "\(comparisons.map { $0["paired"] ?? "nil" })")

        // Review after issue 17: the served model's answers hold six prompts each, so its token counts cannot be
        // told apart: completions.jsonl leaves token_count out (it wrote 0), and analyze reads the file back.
        let lines = try String(contentsOf: out.appendingPathComponent("completions.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        let servedLines = lines.filter { $0.contains("\"model\":\"served\"") }
        XCTAssertEqual(servedLines.count, 24)
        XCTAssertTrue(servedLines.allSatisfy { !$0.contains("token_count") }, String(servedLines.first ?? ""))
        let localLines = lines.filter { $0.contains("\"model\":\"local\"") }
        XCTAssertEqual(localLines.count, 24)
        XCTAssertTrue(localLines.allSatisfy { $0.contains("\"token_count\":") }, String(localLines.first ?? ""))
        let analyzed = try run(["analyze", out.path, "--format", "json"])
        XCTAssertEqual(analyzed.status, 0, analyzed.stderr)
        let again = try AuditJSON.loadResult(at: out.appendingPathComponent("reanalysis/results.json"))
        XCTAssertFalse(again.modelComparisons.isEmpty)
        XCTAssertTrue(again.modelComparisons.allSatisfy { !$0.paired }, "the re-analysis of a served model stays unpaired")
        let reanalysed = try String(contentsOf: out.appendingPathComponent("reanalysis/completions.jsonl"), encoding: .utf8)
        XCTAssertFalse(reanalysed.split(separator: "\n").contains { $0.contains("\"model\":\"served\"") && $0.contains("token_count") })
    }

    /// Done-when: with the server down the run exits 69 naming the URL.
    func testRunAgainstAServerThatIsDownExits69NamingTheURL() async throws {
        let url = server.baseURL
        try await server.stop()
        server = nil
        let result = try run([
            "run", Fixtures.url("audit/small-set.yaml").path, "--model", "down=\(url)#m", "--samples", "1",
            "--out", scratch.appendingPathComponent("down").path, "--quiet",
        ])
        XCTAssertEqual(result.status, unavailable, result.stderr)
        XCTAssertTrue(result.stderr.contains(url) && result.stderr.contains("cannot reach"), result.stderr)
    }

    /// `generate --samples 3` is one request with n = 3 and the seed of --seed; the texts are the server's.
    func testGenerateAgainstAServedModel() throws {
        let prompt = "The plumber said that"
        let result = try run(["generate", "--model", served, prompt, "--samples", "3", "--seed", "5", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let texts = try XCTUnwrap(output["samples"] as? [[String: Any]]).map { $0["text"] as? String ?? "" }
        let request = try XCTUnwrap(server.requests.last)
        XCTAssertEqual(request.n, 3)
        let seed = Int(SplitMix64.finalize(SplitMix64.finalize(5) ^ 0) >> 33)
        XCTAssertEqual(request.seed, seed, "seed = stream 0 of --seed")
        XCTAssertEqual(texts, (0..<3).map { server.continuation(of: prompt, seed: seed, index: $0) })
    }

    /// `next-token --json` lists the server's top log-probabilities; `--token` finds its rank among them.
    func testNextTokenAgainstAServedModel() throws {
        let result = try run([
            "next-token", "--model", served, "The plumber said that", "--top", "2", "--token", " she", "--token", " it", "--json",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let top = try XCTUnwrap(output["top"] as? [[String: Any]])
        XCTAssertEqual(top.map { $0["token"] as? String }, [" he", " she"])
        assertClose(top.map { $0["prob"] as? Double ?? .nan }, [0.4, 0.1], tolerance: Self.probabilityTolerance, "top probabilities")
        // The keys of an in-process model's entries (DESIGN.md), null where a server sends nothing (a contract review).
        XCTAssertEqual(top.map { $0["id"] is NSNull && $0["logit"] is NSNull }, [true, true], result.stdout)
        XCTAssertEqual(output["prompt_ids"] as? [Int], [], result.stdout)
        let named = try XCTUnwrap(output["tokens"] as? [[String: Any]])
        XCTAssertEqual(named[0]["rank"] as? Int, 2)
        XCTAssertTrue(named[1]["rank"] is NSNull, "' it' is not among the server's top alternatives: \(result.stdout)")
        // Every key of an in-process model's entry (DESIGN.md; a code review), null where the server sends nothing.
        for entry in named {
            XCTAssertEqual(Set(entry.keys), ["text", "ids", "multi_token", "id", "token", "logit", "prob", "logprob", "rank"],
                           result.stdout)
        }
        XCTAssertEqual(named[0]["token"] as? String, " she", result.stdout)

        let warped = try run(["next-token", "--model", served, "The plumber said", "--temperature", "0.5"])
        XCTAssertEqual(warped.status, 64, warped.stderr)

        // The table pads without cutting (a hostile review: Foundation's padding cut " internationali and -12345.67).
        server.claimedTopLogprobs = [" internationalization": -0.1, " he": -12345.678]
        let table = try run(["next-token", "--model", served, "The plumber said"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("\" internationalization\" -0.100"), table.stdout)
        XCTAssertTrue(table.stdout.contains(" -12345.678 0.0000"), table.stdout)
    }

    /// A review: an https URL at a plain-HTTP port was retried six times (23 s) and told the server "gave no whole HTTP
    /// answer"; it is said at once, with the likely fix.
    func testHTTPSAtAPlainHTTPPortIsSaidAtOnce() throws {
        let spec = server.baseURL.replacingOccurrences(of: "http://", with: "https://") + "#m"
        let result = try run(["next-token", "--model", spec, "Hello", "--request-timeout", "5"])
        XCTAssertEqual(result.status, unavailable, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot make a TLS connection to the server at https://127.0.0.1:")
            && result.stderr.contains("if it serves plain HTTP, write http:// in --model"), result.stderr)
    }

    /// `next-token` against a server without log-probabilities exits 65 (its answers cannot serve), not 69, saying
    /// what to do.
    func testNextTokenAgainstAServerWithoutLogprobsExits65() throws {
        server.refuseLogprobs = true
        let result = try run(["next-token", "--model", served, "The plumber said that"])
        XCTAssertEqual(result.status, badInput, result.stderr)
        XCTAssertTrue(
            result.stderr.contains("refuses the logprobs parameter, so it cannot show")
                && result.stderr.contains("or give the model's directory or Hub id to run it in-process"), result.stderr)
    }

    /// A server that takes `logprobs` but returns none: the run completes, standard error names the model whose
    /// log-odds are unavailable, and results.json records them as unavailable.
    func testRunAgainstAServerReturningNoLogprobsSaysTheLogOddsAreUnavailable() throws {
        server.nullLogprobs = true
        let out = scratch.appendingPathComponent("null-logprobs")
        let result = try run([
            "run", Fixtures.url("audit/small-set.yaml").path, "--model", "tuned=\(served)", "--samples", "1",
            "--max-new-tokens", "3", "--out", out.path,
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(
            result.stderr.contains("biasaudit: note: tuned: the server took logprobs but answered without log-probabilities, so tuned's "
                + "he/she log-odds are unavailable"), result.stderr)
        let results = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as? [String: Any])
        let models = try XCTUnwrap((results["manifest"] as? [String: Any])?["models"] as? [[String: Any]])
        XCTAssertEqual(models.first?["next_token_log_odds"] as? String, "unavailable")
        XCTAssertFalse(result.stderr.contains("the server answers as"), result.stderr)
    }

    /// A practitioner's review: a gateway that fell back to another model answered in its name, and the run said
    /// nothing (results.json's server_reported alone recorded it). A note names both.
    func testAServerAnsweringAsAnotherModelIsSaid() throws {
        server.answeringModel = "other/model"
        let out = scratch.appendingPathComponent("other-model")
        let result = try run([
            "run", Fixtures.url("audit/small-set.yaml").path, "--model", "tuned=\(served)", "--samples", "1",
            "--max-new-tokens", "3", "--out", out.path,
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("biasaudit: note: tuned: the server answers as 'other/model' where "
            + "'\(server.servedName)' was asked; if it fell back to another model, the audit is of 'other/model'"), result.stderr)
    }

    /// `run --shard 1/2` and `2/2` then `merge` give the unsharded run's results; a missing shard is refused.
    func testShardedRunsMergeIntoTheUnshardedResults() throws {
        func arguments(_ out: String, _ extra: [String] = []) -> [String] {
            [
                "run", Fixtures.url("audit/small-set.yaml").path, "--model", Fixtures.url("models/tiny-gpt2").path,
                "--samples", "2", "--max-new-tokens", "4", "--seed", "9", "--out", scratch.appendingPathComponent(out).path,
                "--quiet", "--format", "json",
            ] + extra
        }
        XCTAssertEqual(try run(arguments("whole")).status, 0)
        for index in 1...2 {
            let shard = try run(arguments("part-\(index)", ["--shard", "\(index)/2"]))
            XCTAssertEqual(shard.status, 0, shard.stderr)
            XCTAssertTrue(shard.stdout.contains("shard \(index)/2 of the audit is complete"), shard.stdout)
            XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("part-\(index)/results.json").path))
        }
        let merged = try run([
            "merge", scratch.appendingPathComponent("part-1").path, scratch.appendingPathComponent("part-2").path,
            "--out", scratch.appendingPathComponent("merged").path, "--quiet", "--format", "json",
        ])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        func comparable(_ name: String) throws -> String {
            var object = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(contentsOf: scratch.appendingPathComponent("\(name)/results.json"))) as? [String: Any])
            object["timing"] = nil
            var manifest = try XCTUnwrap(object["manifest"] as? [String: Any])
            manifest["command_line"] = nil
            object["manifest"] = manifest
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        XCTAssertEqual(try comparable("merged"), try comparable("whole"))

        let missing = try run([
            "merge", scratch.appendingPathComponent("part-2").path, "--out", scratch.appendingPathComponent("m2").path, "--quiet",
        ])
        XCTAssertEqual(missing.status, badInput, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("part-2") && missing.stderr.contains("shard 1/2 is missing"), missing.stderr)
        let badShard = try run(arguments("bad", ["--shard", "3/2"]))
        XCTAssertEqual(badShard.status, 64, badShard.stderr)

        // A shard analysed with another --min-events: the merged results would take whichever folder came
        // first. Refused in either order; rerunning the shard with the others' flags resumes and merges.
        let stricter = try run(arguments("part-2", ["--shard", "2/2", "--min-events", "50"]))
        XCTAssertEqual(stricter.status, 0, stricter.stderr)
        for order in [["part-1", "part-2"], ["part-2", "part-1"]] {
            let refused = try run(["merge"] + order.map { scratch.appendingPathComponent($0).path }
                + ["--out", scratch.appendingPathComponent("m-\(order[0])").path, "--quiet"])
            XCTAssertEqual(refused.status, badInput, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("was analysed with other settings than")
                && (refused.stderr.contains("--min-events 50 here, 0 there") || refused.stderr.contains("--min-events 0 here, 50 there")),
                refused.stderr)
        }
        XCTAssertEqual(try run(arguments("part-2", ["--shard", "2/2"])).status, 0)
        let again = try run([
            "merge", scratch.appendingPathComponent("part-1").path, scratch.appendingPathComponent("part-2").path,
            "--out", scratch.appendingPathComponent("merged-again").path, "--quiet", "--format", "json",
        ])
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    /// A small `run` of the tiny model into `out` (one sample of two tokens per prompt).
    private func smallRun(_ out: String, _ extra: [String]) throws -> CommandResult {
        try run([
            "run", Fixtures.url("audit/small-set.yaml").path, "--model", Fixtures.url("models/tiny-gpt2").path,
            "--samples", "1", "--max-new-tokens", "2", "--seed", "3", "--out", scratch.appendingPathComponent(out).path,
            "--quiet", "--format", "json",
        ] + extra)
    }

    /// The bytes, modification time and neighbours of a shard's run store, which merge must leave as they are.
    private func snapshot(_ folder: String) throws -> (data: Data, modified: Date?, listing: [String]) {
        let directory = scratch.appendingPathComponent(folder)
        let store = directory.appendingPathComponent("run.sqlite")
        return (
            try Data(contentsOf: store),
            try FileManager.default.attributesOfItem(atPath: store.path)[.modificationDate] as? Date,
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        )
    }

    /// Review: merge opened its inputs for writing (rewriting header bytes, bumping the mtime). Now it reads them
    /// only: bytes, mtime and the folder's listing (no `-wal`/`-shm` left beside) are unchanged.
    func testMergeLeavesTheShardStoresUnchanged() throws {
        let shard = try smallRun("part", ["--shard", "1/1"])
        XCTAssertEqual(shard.status, 0, shard.stderr)
        let before = try snapshot("part")
        // A second apart, so a rewrite would show in a coarse file system's mtime too.
        Thread.sleep(forTimeInterval: 1.1)
        let merged = try run([
            "merge", scratch.appendingPathComponent("part").path, "--out", scratch.appendingPathComponent("merged").path,
            "--quiet", "--format", "json",
        ])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let after = try snapshot("part")
        XCTAssertEqual(after.modified, before.modified, "the input's mtime changed")
        XCTAssertEqual(after.listing, before.listing, "files appeared or vanished beside the input")
        let differing = zip(before.data, after.data).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        XCTAssertTrue(
            before.data == after.data,
            "the input changed: \(before.data.count) → \(after.data.count) bytes, \(differing.count) bytes differ, first at \(differing.first ?? -1)")
    }

    /// Review: a `run --sweep` folder was called an incomplete shard; it is refused as a sweep.
    func testMergeRefusesASweepRun() throws {
        let sweep = try smallRun("sweep", ["--sweep", "temperature=0.5,1.0"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let before = try snapshot("sweep")
        let merged = try run([
            "merge", scratch.appendingPathComponent("sweep").path, "--out", scratch.appendingPathComponent("merged").path, "--quiet",
        ])
        XCTAssertEqual(merged.status, badInput, merged.stderr)
        XCTAssertTrue(merged.stderr.contains("is a --sweep run; merge does not combine sweeps (run --sweep cannot be sharded)"), merged.stderr)
        XCTAssertTrue(merged.stderr.contains(scratch.appendingPathComponent("sweep").path), merged.stderr)
        XCTAssertFalse(merged.stderr.contains("incomplete"), merged.stderr)
        XCTAssertEqual(try snapshot("sweep").data, before.data)
        let help = try run(["merge", "--help"])
        XCTAssertTrue(help.stdout.contains("--sweep"), help.stdout)
    }

    /// Review: an empty `run.sqlite` was "repaired" into an empty store and called another audit; one that is
    /// not a database got `run`'s advice; one that is a directory was "permission denied". All are bad data (65),
    /// named, with merge's advice, and nothing is written to them.
    func testMergeRefusesWhatIsNotARunStoreWithoutWritingToIt() throws {
        let manager = FileManager.default
        let text = Data(String(repeating: "these are notes, not a database\n", count: 40).utf8)
        for (folder, content) in [("empty", Data()), ("notes", text)] {
            try manager.createDirectory(at: scratch.appendingPathComponent(folder), withIntermediateDirectories: true)
            try content.write(to: scratch.appendingPathComponent("\(folder)/run.sqlite"))
        }
        try manager.createDirectory(at: scratch.appendingPathComponent("dir/run.sqlite"), withIntermediateDirectories: true)
        for (folder, expected) in [
            ("empty", "holds no tables: an empty file, or a run store copied without its run.sqlite-wal"),
            ("notes", "is not a run store"), ("dir", "is a directory, not a file"),
        ] {
            let result = try run([
                "merge", scratch.appendingPathComponent(folder).path, "--out", scratch.appendingPathComponent("m-\(folder)").path,
                "--quiet",
            ])
            XCTAssertEqual(result.status, badInput, "\(folder): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(expected), "\(folder): no '\(expected)' in \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(scratch.appendingPathComponent("\(folder)/run.sqlite").path), result.stderr)
            for wrong in ["run starts over", "move it away", "chmod", "(absent)"] {
                XCTAssertFalse(result.stderr.contains(wrong), "\(folder): '\(wrong)' in \(result.stderr)")
            }
        }
        XCTAssertEqual(try Data(contentsOf: scratch.appendingPathComponent("empty/run.sqlite")), Data(), "the empty file was written")
        XCTAssertEqual(try Data(contentsOf: scratch.appendingPathComponent("notes/run.sqlite")), text)
        for folder in ["empty", "notes"] {
            XCTAssertEqual(try manager.contentsOfDirectory(atPath: scratch.appendingPathComponent(folder).path), ["run.sqlite"])
        }
    }

    /// `--sweep` with a served model is refused while the arguments are checked: exit 64 in the `Error: …`
    /// format, before any request (the same with the server down, which would otherwise be exit 69).
    func testSweepWithAServedModelIsRefusedBeforeAnyRequest() throws {
        let expected = "Error: --sweep cannot be combined with a served model (--model "
        for spec in [served, "http://127.0.0.1:9/v1#x"] {
            let result = try run([
                "run", Fixtures.url("audit/small-set.yaml").path, "--model", "x=\(spec)", "--sweep", "temperature=0.5,1",
                "--samples", "1", "--out", scratch.appendingPathComponent("sweep").path, "--quiet",
            ])
            XCTAssertEqual(result.status, usage, "\(spec): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix(expected), "\(spec): \(result.stderr)")
        }
        XCTAssertEqual(server.requests.count, 0, "no completions request before the refusal")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("sweep").path))
    }

    /// Ports outside 1…65535 and schemes other than http(s) are usage errors before any request; an
    /// upper-case scheme is accepted.
    func testEndpointSpecsAreCheckedBeforeAnyRequest() throws {
        let cases: [(spec: String, message: String)] = [
            ("http://127.0.0.1:65536/v1#x", "port 65536 is out of range; a port is 1 to 65535"),
            ("http://127.0.0.1:99999999/v1#x", "port 99999999 is out of range; a port is 1 to 65535"),
            ("http://127.0.0.1:0/v1#x", "port 0 is out of range"),
            ("ftp://127.0.0.1/v1#x", "'ftp://' is not accepted; only http(s) endpoints are"),
        ]
        for (spec, message) in cases {
            for command in [["generate", "--model", spec, "Hello"], ["run", Fixtures.url("audit/small-set.yaml").path, "--model", "x=\(spec)", "--quiet",
                                                                      "--out", scratch.appendingPathComponent("never").path]] {
                let result = try run(command)
                XCTAssertEqual(result.status, usage, "\(command): \(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("Error: ") && result.stderr.contains(message), "\(command): \(result.stderr)")
            }
        }
        let upper = "HTTP://127.0.0.1:\(server.port)/v1#\(server.servedName)"
        let result = try run(["generate", "--model", upper, "The plumber said that", "--max-new-tokens", "3"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(server.requests.isEmpty, "the upper-case scheme reached the server")
    }

    /// A password in a `--model` URL is refused with exit 64 by every command, shown on no stream and written to no file
    /// (a hostile review: the refusal printed it).
    func testAPasswordInTheModelURLIsRefusedAndShownNowhere() throws {
        let password = "pa55-Secret"
        let spec = "http://user:\(password)@127.0.0.1:\(server.port)/v1#\(server.servedName)"
        let out = scratch.appendingPathComponent("credentials")
        let commands = [
            ["run", Fixtures.url("audit/small-set.yaml").path, "--model", "served=\(spec)", "--quiet", "--out", out.path],
            ["run", Fixtures.url("audit/small-set.yaml").path, "--model", spec, "--quiet", "--out", out.path, "--sweep", "temperature=0.5,1"],
            ["generate", "--model", spec, "Hello"],
            ["next-token", "--model", spec, "Hello"],
            ["tokenize", "--model", spec, "Hello"],
        ]
        for command in commands {
            let result = try run(command)
            XCTAssertEqual(result.status, usage, "\(command): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains(password) || result.stdout.contains(password), "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("user:***@127.0.0.1"), "\(command): \(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing is written")
        XCTAssertEqual(server.requests.count, 0, "no request is sent")
    }

    /// Without `#NAME`, a 404 on `GET /v1/models` (a wrong path) is exit 69 telling to check the URL's /v1 path.
    func testAMissingModelListIsUnavailableNamingTheV1Path() throws {
        let result = try run(["generate", "--model", "http://127.0.0.1:\(server.port)/api", "Hello"])
        XCTAssertEqual(result.status, unavailable, result.stderr)
        XCTAssertTrue(
            result.stderr.contains("http://127.0.0.1:\(server.port)/api/models answered HTTP 404")
                && result.stderr.contains("check the URL (it ends in the API version path, e.g. http://HOST:PORT/v1)"),
            result.stderr)
    }

    /// A redirect is not followed: exit 65 naming the status and the Location, shortened and without its query.
    func testARedirectIsNotFollowedAndItsLocationIsShownShort() throws {
        let result = try run(["generate", "--model", "http://127.0.0.1:\(server.port)/moved/v1#\(server.servedName)", "Hello"])
        XCTAssertEqual(result.status, badInput, result.stderr)
        XCTAssertTrue(
            // Its query hidden, as a --model URL's is (a hostile review: a signed token in it was printed).
            result.stderr.contains("HTTP 302, a redirect to 'http://127.0.0.1:\(server.port)/v1/models?***'")
                && result.stderr.contains("redirects are not followed"),
            result.stderr)
        XCTAssertFalse(
            result.stderr.contains(String(repeating: "a", count: OpenAITestServer.redirectQueryLength)),
            "the Location is shortened: \(result.stderr)")
        XCTAssertLessThan(result.stderr.utf8.count, 1000, result.stderr)
        let relative = try run(["generate", "--model", "http://127.0.0.1:\(server.port)/relative/v1#\(server.servedName)", "Hello"])
        XCTAssertEqual(relative.status, badInput, relative.stderr)
        XCTAssertTrue(relative.stderr.contains("a redirect to '/sso/login?***'"), relative.stderr)
        XCTAssertFalse(relative.stderr.contains("SECRET"), relative.stderr)
    }

    /// The help texts give the optional `#NAME`, the replica form, the sweep limits, the templates'
    /// language folders and report's usage exit code.
    func testHelpTextsDescribeSpecsSweepLimitsAndTemplateFolders() throws {
        let runHelp = try run(["run", "--help"])
        XCTAssertEqual(runHelp.status, 0)
        let flat = runHelp.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in [
            "http(s)://HOST[:PORT]/v1[#SERVED_NAME]", "URL1,URL2[#SERVED_NAME]",
            "--sweep cannot be combined with a served model (http(s)://…) or with --shard",
            "With --lang es they are read from DIR/es/",
        ] {
            XCTAssertTrue(flat.contains(phrase), "run --help lacks '\(phrase)': \(runHelp.stdout)")
        }
        let reportHelp = try run(["report", "--help"])
        let report = reportHelp.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["Exit codes: 64 wrong usage", "Spanish (--lang es) DIR/es/report.md.mustache", "with --lang es a DIR/report.md.mustache is not used"] {
            XCTAssertTrue(report.contains(phrase), "report --help lacks '\(phrase)': \(reportHelp.stdout)")
        }
    }
}
