import AuditResults
import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `biasaudit run` end to end on the two tiny fixture models and a 12-prompt set (issue 5's acceptance):
/// reproducibility, refusal of a directory made with other settings, unavailable models, re-rendering.
/// Killing a run and resuming it is tested in AuditRunTests (`RunnerTests`), which can read the run store.
final class RunEndToEndTests: FixtureRunTestCase {
    private let badInput: Int32 = 65
    private let unavailable: Int32 = 69

    /// The run every test compares with, made once for the class.
    private static var reference: URL?

    override class var scratchPrefix: String { "run-e2e" }

    override class func tearDown() {
        reference = nil
        super.tearDown()
    }

    /// `run` on the small set with both tiny models, 4 samples of up to 6 tokens; `extra` adds or overrides flags.
    static func runArguments(out: URL, samples: Int = 4, extra: [String] = []) -> [String] {
        fixtureRunArguments(out: out, samples: samples, maxNewTokens: 6, extra: extra)
    }

    /// Review: `--samples 4`, equal to the set's own `defaults.samples`, was listed under "Settings that differ
    /// from the defaults". The run records each set's own default (`default_samples`), and the report lists
    /// `--samples` only where it differs from it.
    func testSamplesEqualToTheSetsOwnDefaultAreNotListedAsChanged() throws {
        let scratch = try scratchDirectory()
        let set = scratch.appendingPathComponent("own-default.yaml")
        let text = try String(contentsOf: Fixtures.url("audit/small-set.yaml"), encoding: .utf8)
            + "defaults: {samples: 2, max_new_tokens: 3}\n"
        try text.write(to: set, atomically: true, encoding: .utf8)
        for (samples, listed) in [(2, false), (3, true)] {
            let out = scratch.appendingPathComponent("own-default-\(samples)")
            let result = try CLI.run(
                ["run", set.path, "--model", Fixtures.url("models/tiny-gpt2").path, "--samples", String(samples),
                 "--seed", "11", "--out", out.path, "--quiet", "--format", "md,json"],
                environment: hub.environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json")))
            let manifest = try XCTUnwrap((json as? [String: Any])?["manifest"] as? [String: Any])
            let sets = try XCTUnwrap(manifest["prompt_sets"] as? [[String: Any]])
            XCTAssertEqual(sets.first?["default_samples"] as? Int, 2)
            XCTAssertEqual(sets.first?["samples"] as? Int, samples)
            let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
            XCTAssertEqual(markdown.contains("Samples per prompt: \(samples)"), listed, markdown)
        }
    }

    /// Review: a template of about 110 tokens with `max_new_tokens: 40` on tiny-gpt2 (a context of 128 tokens)
    /// stopped every completion after a few tokens (`stop_reason: context_full`) without a word. `run` says so on
    /// standard error (even under --quiet), with what to do; results.json counts them per set and model
    /// (`prompt_sets[].context_full`), and the report's header says it in the report's language.
    func testCompletionsCutShortByAFullContextAreReported() throws {
        let scratch = try scratchDirectory()
        let set = scratch.appendingPathComponent("long-template.yaml")
        let template = "The {occupation} said that " + String(repeating: "the long day went on and on, ", count: 14) + "and then"
        let text = try String(contentsOf: Fixtures.url("audit/small-set.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  - \"The {occupation} walked into the room and\"\n", with: "")
            .replacingOccurrences(of: "\"The {occupation} said that\"", with: "\"\(template)\"")
            + "defaults: {samples: 2, max_new_tokens: 40}\n"
        try text.write(to: set, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("context-full")
        let result = try CLI.run(
            ["run", set.path, "--model", Fixtures.url("models/tiny-gpt2").path, "--seed", "11", "--out", out.path,
             "--quiet", "--format", "md,json", "--lang", "es"],
            environment: hub.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        // In the language of --lang, as the report's header says it (a teacher's review: English beside the Spanish
        // summary).
        XCTAssertTrue(
            result.stderr.contains(
                "biasaudit: note: 12 de 12 continuaciones de small-occupations con tiny-gpt2 se detuvieron antes de tiempo "
                    + "porque la ventana de contexto del modelo estaba llena (el prompt y los tokens nuevos alcanzaron su "
                    + "longitud), algunas tras solo 10 de los 40 tokens nuevos pedidos (stop_reason context_full en "
                    + "completions.jsonl). Use plantillas más cortas o como máximo 10 tokens nuevos (--max-new-tokens o "
                    + "defaults.max_new_tokens del conjunto)."),
            result.stderr)
        XCTAssertFalse(result.stderr.contains("stopped early"), result.stderr)
        let completions = try String(contentsOf: out.appendingPathComponent("completions.jsonl"), encoding: .utf8)
        XCTAssertEqual(completions.components(separatedBy: "\"stop_reason\":\"context_full\"").count - 1, 12, completions)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json")))
        let sets = try XCTUnwrap((json as? [String: Any])?["prompt_sets"] as? [[String: Any]])
        let counts = try XCTUnwrap(sets.first?["context_full"] as? [[String: Any]])
        XCTAssertEqual(counts.count, 1)
        XCTAssertEqual(counts.first?["model"] as? String, "tiny-gpt2")
        XCTAssertEqual(counts.first?["completions"] as? Int, 12)
        XCTAssertEqual(counts.first?["total"] as? Int, 12)
        XCTAssertEqual(counts.first?["fewest_new_tokens"] as? Int, 10)
        let spanish = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(
            spanish.contains(
                "> 12 de 12 continuaciones de small-occupations con tiny-gpt2 se detuvieron antes de tiempo porque la "
                    + "ventana de contexto del modelo estaba llena"), spanish)
        XCTAssertTrue(spanish.contains("Use plantillas más cortas o como máximo 10 tokens nuevos"), spanish)
        // Re-rendered in English from results.json alone.
        let english = scratch.appendingPathComponent("context-full-en")
        let report = try CLI.run(
            ["report", out.appendingPathComponent("results.json").path, "--format", "md", "--out", english.path, "--lang", "en"],
            environment: hub.environment)
        XCTAssertEqual(report.status, 0, report.stderr)
        let markdown = try String(contentsOf: english.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("> 12 of 12 completions of small-occupations under tiny-gpt2 stopped early"), markdown)
        // A run whose completions fit says nothing of the kind.
        let reference = try CLI.run(Self.runArguments(out: scratch.appendingPathComponent("fits")), environment: hub.environment)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertFalse(reference.stderr.contains("context window"), reference.stderr)
    }

    /// A student's review: `--samples 2` (below the 6 to 16 the statistics are validated with) gave a rate "finding" whose
    /// variance rested on 6 random streams, and nothing said the design was outside the validated ones.
    func testFewerSamplesThanTheValidatedDesignsAreNoted() throws {
        let scratch = try scratchDirectory()
        let note = "biasaudit: note: small-occupations sampled 2 samples per prompt, fewer than the 6 to 16 the statistics "
            + "are validated with"
        let loud = Self.runArguments(out: scratch.appendingPathComponent("two"), samples: 2).filter { $0 != "--quiet" }
        let two = try CLI.run(loud, environment: hub.environment)
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(two.stderr.contains(note), two.stderr)
        // The report says it where the findings are read.
        let markdown = try String(contentsOf: scratch.appendingPathComponent("two/report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("small-occupations: 2 samples per prompt, fewer than the 6 to 16 the statistics are "
            + "validated with"), String(markdown.prefix(3000)))
        let six = try CLI.run(Self.runArguments(out: scratch.appendingPathComponent("six"), samples: 6).filter { $0 != "--quiet" },
                              environment: hub.environment)
        XCTAssertEqual(six.status, 0, six.stderr)
        XCTAssertFalse(six.stderr.contains("the statistics are validated with"), six.stderr)
        let sixMarkdown = try String(contentsOf: scratch.appendingPathComponent("six/report.md"), encoding: .utf8)
        XCTAssertFalse(sixMarkdown.contains("the statistics are validated with"))
        // `diff`, `check` and `analyze` say it too (a teacher's review: they repeated the inject-bias note, not this one).
        let (twoResults, sixResults) = (scratch.appendingPathComponent("two/results.json").path,
                                        scratch.appendingPathComponent("six/results.json").path)
        let diff = try CLI.run(["diff", twoResults, sixResults], environment: hub.environment)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("A: small-occupations sampled 2 samples per prompt, fewer than the 6 to 16"), diff.stdout)
        XCTAssertFalse(diff.stdout.contains("B: small-occupations sampled"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("No detectable change is not evidence that A and B are equally biased"), diff.stdout)
        let policy = scratch.appendingPathComponent("two-policy.yaml")
        try "version: 1\nrules:\n  - id: sentiment-gap\n    kind: max_abs_contrast\n    metric: sentiment\n    max: 2\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", twoResults, "--policy", policy.path], environment: hub.environment)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stderr.contains("note: \(twoResults): small-occupations sampled 2 samples per prompt"), check.stderr)
        let analyze = try CLI.run(
            ["analyze", scratch.appendingPathComponent("two").path, "--out", scratch.appendingPathComponent("two-analysed").path],
            environment: hub.environment)
        XCTAssertEqual(analyze.status, 0, analyze.stderr)
        XCTAssertTrue(analyze.stderr.contains(note), analyze.stderr)
    }

    /// A statistician's review: with one sample per prompt every template has one random stream, shared by every term
    /// and group, so the variance it carries cannot be estimated; the levels' term-cluster intervals left it out and
    /// covered 74–81%. The levels of sampled metrics have their value and no interval (`too_few_samples`), their
    /// contrasts keep theirs (the streams cancel), the exact next-token log-odds keep theirs (no stream), and an
    /// unpaired analysis of the same completions (no shared streams) has intervals again.
    func testOneSamplePerPromptGivesLevelsWithoutAnInterval() throws {
        let scratch = try scratchDirectory()
        let out = scratch.appendingPathComponent("one-sample")
        let run = try CLI.run(Self.runArguments(out: out, samples: 1), environment: hub.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        func levels(_ folder: URL) throws -> [(AuditMetric, MetricEstimate)] {
            let result = try AuditJSON.loadResult(at: folder.appendingPathComponent("results.json"))
            return result.promptSets[0].groupEstimates.flatMap { group in group.estimates.map { ($0.metric, $0.estimate) } }
        }
        let paired = try levels(out)
        let sentiment = paired.filter { $0.0 == .sentiment }.map(\.1)
        XCTAssertGreaterThanOrEqual(sentiment.count, 2, "two groups, under each model")
        for level in sentiment {
            XCTAssertNotNil(level.value)
            XCTAssertNil(level.lower)
            XCTAssertNil(level.standardError)
            XCTAssertEqual(level.insufficientDetail, InsufficientSupport(reason: .tooFewSamples, observed: 1, minimum: 2))
        }
        for (metric, level) in paired where metric == .heSheLogOdds {
            XCTAssertNotNil(level.lower, "the exact log-odds have no stream: \(level)")
            XCTAssertNil(level.insufficientDetail)
        }
        let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
        let contrast = try XCTUnwrap(result.promptSets[0].contrasts.first { $0.metric == .sentiment })
        XCTAssertNotNil(contrast.difference.lower, "the streams cancel in a contrast")
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("[no CI: 1 sample per prompt]"), String(markdown.prefix(4000)))
        XCTAssertTrue(markdown.contains("1 sample per prompt, fewer than the 6 to 16"), String(markdown.prefix(3000)))
        let unpaired = scratch.appendingPathComponent("one-sample-unpaired")
        let again = try CLI.run(
            ["analyze", out.appendingPathComponent("completions.jsonl").path, Fixtures.url("audit/small-set.yaml").path,
             "--unpaired", "--out", unpaired.path],
            environment: hub.environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        for (metric, level) in try levels(unpaired) where metric == .sentiment {
            XCTAssertNil(level.insufficientDetail, "unpaired: no shared stream to leave out")
            XCTAssertNotNil(level.lower)
        }
        // Greedy decoding (top-k 1) has no random stream: one sample per prompt leaves nothing out (code review: its
        // levels lost their intervals with one sample and kept them with two).
        let greedy = scratch.appendingPathComponent("one-sample-greedy")
        let greedyRun = try CLI.run(Self.runArguments(out: greedy, samples: 1, extra: ["--top-k", "1"]), environment: hub.environment)
        XCTAssertEqual(greedyRun.status, 0, greedyRun.stderr)
        for (metric, level) in try levels(greedy) where metric == .sentiment {
            XCTAssertNil(level.insufficientDetail, "greedy: \(level)")
        }
        // A teacher's review: with one sample no copy could be seen, so the rates took the sampled analysis (p 0.698
        // against 0.706 with two samples of the same texts) and the report had no greedy note. The one sample is the
        // one draw: the contrasts equal those of two samples, as copies, and the header says so.
        let twice = scratch.appendingPathComponent("two-samples-greedy")
        let twiceRun = try CLI.run(Self.runArguments(out: twice, samples: 2, extra: ["--top-k", "1"]), environment: hub.environment)
        XCTAssertEqual(twiceRun.status, 0, twiceRun.stderr)
        let (once, two) = (try AuditJSON.loadResult(at: greedy.appendingPathComponent("results.json")),
                           try AuditJSON.loadResult(at: twice.appendingPathComponent("results.json")))
        let contrasts = (once.promptSets.flatMap(\.contrasts), two.promptSets.flatMap(\.contrasts))
        XCTAssertEqual(contrasts.0.count, contrasts.1.count)
        var largest = 0.0
        for (a, b) in zip(contrasts.0, contrasts.1) {
            XCTAssertEqual(a.id, b.id)
            XCTAssertEqual(a.difference.method, b.difference.method, a.id)
            XCTAssertEqual(a.pValue == nil, b.pValue == nil, a.id)
            for (x, y) in [(a.difference.value, b.difference.value), (a.difference.lower, b.difference.lower), (a.pValue, b.pValue)] {
                if let x, let y { largest = max(largest, abs(x - y)) } else { XCTAssertTrue(x == nil && y == nil, a.id) }
            }
        }
        XCTAssertLessThanOrEqual(largest, 1e-12, "one sample and two copies of it: largest difference \(largest)")
        XCTAssertTrue(contrasts.0.contains { $0.metric == .negativeRate && $0.difference.method == MetricEstimate.copiesMethod })
        XCTAssertFalse(once.modelsWithCopiesOfOneDraw.isEmpty, "one greedy sample is a copy of its one draw")
        let note = try String(contentsOf: greedy.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(note.contains("more samples add nothing"), String(note.prefix(3000)))
    }

    /// The output directory of the reference run (made on first use).
    private func referenceRun() throws -> URL {
        if let reference = Self.reference { return reference }
        let out = try scratchDirectory().appendingPathComponent("reference")
        let result = try CLI.run(Self.runArguments(out: out), environment: hub.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "--quiet prints nothing on standard error")
        XCTAssertTrue(result.stdout.contains("wrote \(out.appendingPathComponent("results.json").path)"), result.stdout)
        Self.reference = out
        return out
    }

    /// A copy of the reference run directory, so a test can change it without affecting the others.
    private func copyOfReference(_ label: String) throws -> URL {
        let copy = try scratchDirectory().appendingPathComponent(label)
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: try referenceRun(), to: copy)
        return copy
    }

    /// `results.json` as a JSON value without the fields that legitimately differ between runs.
    static func comparableResults(in directory: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent("results.json"))
        var results = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertNotNil(results.removeValue(forKey: "timing"), "results.json has a timing object")
        var manifest = try XCTUnwrap(results["manifest"] as? [String: Any])
        XCTAssertNotNil(manifest.removeValue(forKey: "command_line"), "the manifest records the command line")
        results["manifest"] = manifest
        return results
    }

    /// Asserts that two run directories hold the same completions and results (timing and command line aside).
    static func assertSameRun(_ a: URL, _ b: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let completionsA = try String(contentsOf: a.appendingPathComponent("completions.jsonl"), encoding: .utf8)
        let completionsB = try String(contentsOf: b.appendingPathComponent("completions.jsonl"), encoding: .utf8)
        let linesA = completionsA.split(separator: "\n")
        let linesB = completionsB.split(separator: "\n")
        let firstDifference = (0..<min(linesA.count, linesB.count)).first { linesA[$0] != linesB[$0] }
        XCTAssertEqual(linesA.count, linesB.count, "completion count", file: file, line: line)
        XCTAssertNil(
            firstDifference, "completions differ first at line \(firstDifference.map { $0 + 1 } ?? 0):\n"
                + "\(firstDifference.map { linesA[$0] } ?? "")\n\(firstDifference.map { linesB[$0] } ?? "")",
            file: file, line: line)
        let differences = JSONComparison.differences(try comparableResults(in: a), try comparableResults(in: b))
        XCTAssertTrue(differences.isEmpty, "results.json differs at \(differences)", file: file, line: line)
    }

    func testSameSeedTwiceGivesIdenticalCompletionsAndResults() throws {
        let reference = try referenceRun()
        let again = try scratchDirectory().appendingPathComponent("again")
        let result = try CLI.run(Self.runArguments(out: again), environment: hub.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        try Self.assertSameRun(reference, again)

        let completions = try String(contentsOf: reference.appendingPathComponent("completions.jsonl"), encoding: .utf8)
        XCTAssertEqual(completions.split(separator: "\n").count, 2 * 12 * 4, "2 models × 12 prompts × 4 samples")
        let results = try Self.comparableResults(in: reference)
        let sets = try XCTUnwrap(results["prompt_sets"] as? [[String: Any]])
        XCTAssertEqual(sets.map { $0["name"] as? String }, ["small-occupations"])
        XCTAssertFalse((sets.first?["contrasts"] as? [Any] ?? []).isEmpty, "group contrasts are computed")
        XCTAssertFalse((results["model_comparisons"] as? [Any] ?? []).isEmpty, "the two models are compared")
    }

    func testRerunOfAFinishedDirectoryReproducesItsFiles() throws {
        let copy = try copyOfReference("rerun")
        // Without --quiet: the run says what an earlier run stored (practitioner's review: a resumed run's progress
        // started at 0 without a word).
        let result = try CLI.run(Self.runArguments(out: copy).filter { $0 != "--quiet" }, environment: hub.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        for (index, label) in ["tiny-gpt2", "tiny-gpt2-openai-f16"].enumerated() {
            XCTAssertTrue(result.stderr.contains("\(label) [\(index + 1)/2]: 48 of 48 completions were stored by an earlier "
                                                 + "run of this command; none left to generate"), result.stderr)
        }
        try Self.assertSameRun(try referenceRun(), copy)
    }

    /// Two commands on one output folder: the second stops at once (exit 74) instead of generating every
    /// completion again beside the first; the lock is on the folder itself, so nothing is written into it.
    func testASecondRunOnAFolderInUseStopsAtOnce() throws {
        let copy = try copyOfReference("in-use")
        let before = try FileManager.default.contentsOfDirectory(atPath: copy.path).sorted()
        let descriptor = open(copy.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        XCTAssertEqual(flock(descriptor, LOCK_EX | LOCK_NB), 0, "the test holds the folder's lock, as a running command does")
        let busy = try CLI.run(Self.runArguments(out: copy), environment: hub.environment)
        XCTAssertEqual(busy.status, 74, busy.stderr)
        XCTAssertTrue(busy.stderr.hasPrefix("biasaudit: \(copy.path): error: another biasaudit command is using this folder"),
                      busy.stderr)
        XCTAssertTrue(busy.stderr.contains("or give another folder with --out"), busy.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: copy.path).sorted(), before, "nothing is written")
        // `report` and `analyze` into a folder in use are refused too, rather than overwriting what the holder
        // writes (`analyze` into a folder of its own: a run's folder it refuses before any lock, with exit 64).
        // (`report` of the folder's own results: other results it refuses before any lock, with exit 64.)
        let results = copy.appendingPathComponent("results.json").path
        let completions = try referenceRun().appendingPathComponent("completions.jsonl").path
        let analysis = try scratchDirectory().appendingPathComponent("in-use-analysis")
        try FileManager.default.createDirectory(at: analysis, withIntermediateDirectories: true)
        let analysisDescriptor = open(analysis.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(analysisDescriptor) }
        XCTAssertEqual(flock(analysisDescriptor, LOCK_EX | LOCK_NB), 0)
        for arguments in [["report", results, "--format", "md", "--out", copy.path],
                          ["analyze", completions, Fixtures.url("audit/small-set.yaml").path, "--format", "md", "--out", analysis.path]] {
            let refused = try CLI.run(arguments, environment: hub.environment)
            XCTAssertEqual(refused.status, 74, "\(arguments[0]): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("another biasaudit command is using this folder"), refused.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: copy.path).sorted(), before, "nothing is written")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: analysis.path), [], "nothing is written")
        close(descriptor)
        let free = try CLI.run(Self.runArguments(out: copy), environment: hub.environment)
        XCTAssertEqual(free.status, 0, "the folder is free once its holder ends: \(free.stderr)")
    }

    func testChangedTemperatureInTheSameDirectoryIsRefused() throws {
        let copy = try copyOfReference("changed")
        let before = try Data(contentsOf: copy.appendingPathComponent("completions.jsonl"))
        let result = try CLI.run(Self.runArguments(out: copy, extra: ["--temperature", "0.9"]), environment: hub.environment)
        XCTAssertEqual(result.status, badInput, result.stderr)
        let store = copy.appendingPathComponent("run.sqlite").path
        XCTAssertTrue(result.stderr.hasPrefix("biasaudit: \(store): error: this run directory belongs to a different run"), result.stderr)
        XCTAssertTrue(result.stderr.contains("sampling was temperature=0.7"), "names the key and the old value:\n\(result.stderr)")
        XCTAssertTrue(result.stderr.contains("now temperature=0.9"), "names the new value:\n\(result.stderr)")
        XCTAssertTrue(result.stderr.contains("choose another --out"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: copy.appendingPathComponent("completions.jsonl")), before, "nothing is overwritten")
    }

    func testChangedSampleCountIsRefusedNamingTheSet() throws {
        let copy = try copyOfReference("changed-samples")
        let result = try CLI.run(Self.runArguments(out: copy, samples: 5), environment: hub.environment)
        XCTAssertEqual(result.status, badInput, result.stderr)
        XCTAssertTrue(result.stderr.contains("(set small-occupations was sampled with samples=4 max_new_tokens=6, now "
                                             + "samples=5 max_new_tokens=6)"), result.stderr)
    }

    func testHubModelOfflineWithEmptyCacheExits69() throws {
        let out = try scratchDirectory().appendingPathComponent("offline")
        let started = Date()
        let result = try CLI.run(
            [
                "run", Fixtures.url("audit/small-set.yaml").path, "--model", "distilgpt2", "--samples", "1",
                "--out", out.path, "--quiet",
            ], environment: hub.environment)
        XCTAssertEqual(result.status, unavailable, result.stderr)
        XCTAssertTrue(result.stderr.contains("'distilgpt2'"), result.stderr)
        XCTAssertTrue(result.stderr.contains(hub.directory.path), "names the cache:\n\(result.stderr)")
        XCTAssertTrue(result.stderr.contains("biasaudit models pull distilgpt2"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "no output directory for a run that cannot start")
        // Offline means no network waits or retries; a generous bound catches a hang, not a slow machine.
        let offlineFailureLimit: TimeInterval = 15
        XCTAssertLessThan(Date().timeIntervalSince(started), offlineFailureLimit)
    }

    func testReportReRendersSavedResults() throws {
        let reference = try referenceRun()
        let out = try scratchDirectory().appendingPathComponent("report")
        let result = try CLI.run(
            ["report", reference.appendingPathComponent("results.json").path, "--out", out.path], environment: hub.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in ["report.html", "report.md"] {
            let rendered = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            let original = try String(contentsOf: reference.appendingPathComponent(name), encoding: .utf8)
            XCTAssertTrue(rendered.contains("small-occupations"), "\(name) names the set")
            XCTAssertEqual(rendered, original, "\(name) re-rendered from results.json equals the run's")
        }
    }
}
