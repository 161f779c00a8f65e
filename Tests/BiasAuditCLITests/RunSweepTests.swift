import AuditResults
import Foundation
import TestSupport
import XCTest

/// `run --sweep` end to end on the two tiny fixture models: the sweep section at each setting equals an
/// ordinary `run` at that setting (the key oracle), the main sections describe the first setting, the
/// report carries a chart and a table per metric, and bad sweeps are refused with exit 64 (a different
/// sweep in the same directory with 65). Resuming an interrupted sweep is tested in AuditRunTests
/// (`SweepRunnerTests`), which can watch the progress.
final class RunSweepTests: FixtureRunTestCase {
    /// The same completions are analysed by the same code, so the numbers agree up to JSON's round trip
    /// of a Double (exact in practice).
    private let sweepTolerance = 1e-12
    private let usage: Int32 = 64
    private let badInput: Int32 = 65

    /// The grid: temperature (first, varying slowest) × top-k; the base is temperature 1.3, top-k 5.
    private static let sweeps = ["--sweep", "temperature=1.3,0.7", "--sweep", "top_k=5,0"]
    private static let settings: [(temperature: String, topK: String)] = [("1.3", "5"), ("1.3", "0"), ("0.7", "5"), ("0.7", "0")]

    private static var sweepRun: URL?

    override class var scratchPrefix: String { "run-sweep" }

    override class func tearDown() {
        sweepRun = nil
        super.tearDown()
    }

    /// `run` on the small set with both tiny models, 3 samples of up to 5 tokens, seed 11.
    private func arguments(out: URL, samples: Int = 3, extra: [String]) -> [String] {
        Self.fixtureRunArguments(out: out, samples: samples, maxNewTokens: 5, extra: extra)
    }

    /// The sweep run every test reads (made on first use).
    private func sweepDirectory() throws -> URL {
        if let run = Self.sweepRun { return run }
        let out = try scratchDirectory().appendingPathComponent("sweep")
        let result = try CLI.run(arguments(out: out, extra: Self.sweeps), environment: hub.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(
            result.stdout.contains(
                "Sweep: 4 settings (temperature 1.3, 0.7 × top_k 5, 0). The summary above is the first setting's "
                    + "(temperature 1.3 · top_k 5 · top_p 0.9)"), result.stdout)
        Self.sweepRun = out
        return out
    }

    private func load(_ directory: URL) throws -> AuditResult {
        try AuditJSON.loadResult(at: directory.appendingPathComponent("results.json"))
    }

    func testSweepSectionAtEachSettingEqualsAnOrdinaryRunAtThatSetting() throws {
        let sweep = try XCTUnwrap(try load(try sweepDirectory()).sweep, "results.json has a sweep section")
        XCTAssertEqual(sweep.parameters.map(\.name), ["temperature", "top_k"])
        XCTAssertEqual(sweep.parameters.map(\.values), [[1.3, 0.7], [5, 0]])
        XCTAssertEqual(
            sweep.settings, [
                SweepSetting(temperature: 1.3, topK: 5, topP: 0.9), SweepSetting(temperature: 1.3, topK: 0, topP: 0.9),
                SweepSetting(temperature: 0.7, topK: 5, topP: 0.9), SweepSetting(temperature: 0.7, topK: 0, topP: 0.9),
            ])
        XCTAssertEqual(sweep.base, sweep.settings[0])
        for (index, setting) in Self.settings.enumerated() {
            let out = try scratchDirectory().appendingPathComponent("single-\(index)")
            let single = try CLI.run(
                arguments(out: out, extra: ["--temperature", setting.temperature, "--top-k", setting.topK]),
                environment: hub.environment)
            XCTAssertEqual(single.status, 0, single.stderr)
            let ordinary = try load(out)
            let levels = sweep.levels.filter { $0.setting == sweep.settings[index] }
            // small-occupations audits sentiment and gender: sentiment, % negative and male share are swept
            // (the log-odds does not depend on the setting), 2 groups × 2 models each.
            XCTAssertEqual(levels.count, 3 * 2 * 2, "levels at \(setting)")
            XCTAssertEqual(Set(levels.map(\.metric)), [.sentiment, .negativeRate, .maleShare])
            var actual: [Double] = []
            var expected: [Double] = []
            for level in levels {
                let set = try XCTUnwrap(ordinary.promptSets.first { $0.name == level.promptSet })
                let estimate = try XCTUnwrap(
                    set.groupEstimates.first { $0.model == level.model && $0.group == level.group }?.estimate(level.metric))
                XCTAssertEqual(level.estimate.insufficient, estimate.insufficient, "\(level.metric) \(level.group)")
                XCTAssertEqual(level.estimate.n, estimate.n)
                for (a, b) in [(level.estimate.value, estimate.value), (level.estimate.lower, estimate.lower), (level.estimate.upper, estimate.upper)] {
                    XCTAssertEqual(a == nil, b == nil, "an estimate is defined on one side only: \(level)")
                    if let a, let b {
                        actual.append(a)
                        expected.append(b)
                    }
                }
            }
            let contrasts = sweep.contrasts.filter { $0.setting == sweep.settings[index] }
            XCTAssertEqual(contrasts.count, 3 * 2, "one pair of groups × 3 metrics × 2 models at \(setting)")
            for contrast in contrasts {
                let set = try XCTUnwrap(ordinary.promptSets.first { $0.name == contrast.promptSet })
                let reference = try XCTUnwrap(set.contrasts.first { $0.id == contrast.id && $0.model == contrast.model })
                for (a, b) in [(contrast.difference.value, reference.difference.value), (contrast.difference.lower, reference.difference.lower),
                               (contrast.difference.upper, reference.difference.upper)] {
                    XCTAssertEqual(a == nil, b == nil, "a difference is defined on one side only: \(contrast.id)")
                    if let a, let b {
                        actual.append(a)
                        expected.append(b)
                    }
                }
            }
            XCTAssertGreaterThan(actual.count, 30, "enough defined numbers to compare at \(setting)")
            assertClose(actual, expected, tolerance: sweepTolerance, "sweep at temperature \(setting.temperature), top-k \(setting.topK) vs an ordinary run")

            if index == 0 {
                // The main sections and completions.jsonl describe the base setting (the first of the grid).
                let main = try load(try sweepDirectory())
                XCTAssertEqual(main.promptSets, ordinary.promptSets, "the main sections are the base setting's")
                XCTAssertEqual(main.modelComparisons, ordinary.modelComparisons)
                XCTAssertEqual(main.manifest.parameters, ordinary.manifest.parameters, "the manifest names the base setting")
                let sweptCompletions = try String(contentsOf: try sweepDirectory().appendingPathComponent("completions.jsonl"), encoding: .utf8)
                let ordinaryCompletions = try String(contentsOf: out.appendingPathComponent("completions.jsonl"), encoding: .utf8)
                XCTAssertEqual(sweptCompletions, ordinaryCompletions, "completions.jsonl holds the base setting's completions")
            }
        }
        // Common random numbers change the numbers between settings, not nothing: the settings differ.
        let first = sweep.levels.filter { $0.setting == sweep.settings[0] }.map(\.estimate.value)
        let last = sweep.levels.filter { $0.setting == sweep.settings[3] }.map(\.estimate.value)
        XCTAssertNotEqual(first, last, "temperature 1.3 top-k 5 and temperature 0.7 top-k off give the same levels")
    }

    func testReportShowsALineChartAndATablePerMetricAndReRendersInSpanish() throws {
        let directory = try sweepDirectory()
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        // A table per metric × top-k value (one per value of the second swept parameter); a chart where some
        // estimate can be drawn (the tiny models write few gendered words, so a male share may have none).
        let sweep = try XCTUnwrap(try load(directory).sweep)
        let drawable = Set(
            sweep.levels.filter { $0.estimate.value != nil && $0.estimate.insufficient == nil }.map { "\($0.metric)/\($0.setting.topK)" })
        XCTAssertGreaterThanOrEqual(drawable.count, 4, "sentiment and % negative are drawable at both top-k values")
        XCTAssertEqual(html.components(separatedBy: "<svg class=\"forest sweep\"").count - 1, drawable.count, "sweep charts in report.html")
        XCTAssertEqual(html.components(separatedBy: "<table class=\"sweep\">").count - 1, 6, "sweep tables in report.html")
        XCTAssertTrue(html.contains("<polyline"), "the charts draw lines")
        XCTAssertTrue(html.contains("small-occupations: mean sentiment by setting (top-k 5)"), "chart title")
        let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("## Sampling sweep: bias against the decoding settings"), "Markdown sweep section")
        XCTAssertTrue(markdown.contains("| Model | Group | temperature 0.7 | temperature 1.3 |\n|---|---|---:|---:|\n"), "Markdown table header, x ascending")
        // At top-k 5 the base setting (temperature 1.3) is the main tables'; at top-k off no column is.
        XCTAssertTrue(markdown.contains("| Model | Group | temperature 0.7 | temperature 1.3 (main tables) |\n"), "the base marked")

        let spanish = try scratchDirectory().appendingPathComponent("spanish")
        let result = try CLI.run(
            ["report", directory.appendingPathComponent("results.json").path, "--lang", "es", "--format", "html,md", "--out", spanish.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let spanishHTML = try String(contentsOf: spanish.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(spanishHTML.contains("Barrido de muestreo"), "the Spanish report has the sweep section")
        XCTAssertEqual(spanishHTML.components(separatedBy: "<svg class=\"forest sweep\"").count - 1, drawable.count)
        let spanishMarkdown = try String(contentsOf: spanish.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(spanishMarkdown.contains("| Modelo | Grupo | temperatura 0,7 | temperatura 1,3 |\n|---|---|---:|---:|\n"), spanishMarkdown)
    }

    /// Final review: `analyze` of a sweep run dropped its sweep section without a word (completions.jsonl holds the
    /// base setting only), and the note on results of earlier statistical rules advised that `analyze`, which loses
    /// the charts. The re-analysis says so (stderr, report notes in both languages); the note advises the run's command.
    func testAnalyzeOfASweepRunSaysItsSweepIsNotRecomputed() throws {
        let run = try sweepDirectory()
        let scratch = try scratchDirectory()
        let out = scratch.appendingPathComponent("sweep-reanalysis")
        let analysed = try CLI.run(["analyze", run.path, "--out", out.path, "--format", "json,md"])
        XCTAssertEqual(analysed.status, 0, analysed.stderr)
        XCTAssertTrue(analysed.stderr.contains("the run's sampling sweep (4 settings), which is not recomputed"), analysed.stderr)
        let result = try load(out)
        XCTAssertNil(result.sweep)
        // Review: the re-analysis records `analyze` as its command line; the note quotes the run's own command.
        let note = try XCTUnwrap(result.manifest.source?.coverageNotes?.first { $0.contains("running the run's command again (") },
                                 "\(result.manifest.source?.coverageNotes ?? [])")
        // The quoted command pastes back into a shell as the run's own arguments (review: it was joined unquoted).
        let start = try XCTUnwrap(note.range(of: "running the run's command again (")).upperBound
        let end = try XCTUnwrap(note.range(of: ") from the folder it was first run in")).lowerBound
        let words = try CLI.run(["-c", "eval set -- \"$1\"; printf '%s\\n' \"$@\"", "words", String(note[start..<end])],
                                executable: URL(fileURLWithPath: "/bin/bash"))
        XCTAssertEqual(words.stdout.split(separator: "\n").map(String.init),
                       try load(run).manifest.commandLine, words.stderr)
        // One clause in the reports' list of what the completions leave out (review: "..").
        let reanalysis = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(reanalysis.contains("recomputes every setting without generating anything."), String(reanalysis.prefix(3000)))
        XCTAssertFalse(reanalysis.contains("anything.."), "doubled full stop")
        XCTAssertTrue(result.manifest.source?.coverageNotesEs?.contains { $0.contains("barrido de muestreo") } ?? false)

        // The sweep run's results without a statistics revision: the note advises running the run's command again.
        let earlier = scratch.appendingPathComponent("earlier-sweep/results.json")
        try StatisticsRevisionEdit.write(run.appendingPathComponent("results.json"), to: earlier, revision: nil)
        let report = try CLI.run(["report", earlier.path, "--format", "md", "--out", scratch.appendingPathComponent("earlier-report").path])
        XCTAssertEqual(report.status, 0, report.stderr)
        // Review: a copied results.json without the run's store was promised "generating nothing".
        XCTAssertTrue(report.stderr.contains("its run.sqlite is not beside it"), report.stderr)
        XCTAssertFalse(report.stderr.contains("`biasaudit analyze"), report.stderr)
        let markdown = try String(contentsOf: scratch.appendingPathComponent("earlier-report/report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("Running this run's biasaudit run command (manifest.command_line) again from the "
            + "folder it was first run in"), String(markdown.prefix(2000)))
        // The advice works: the same command, with the same --out, recomputes every setting under today's rules from
        // the store, generating nothing.
        let copy = scratch.appendingPathComponent("sweep-rerun")
        try FileManager.default.copyItem(at: run, to: copy)
        try FileManager.default.removeItem(at: copy.appendingPathComponent("results.json"))
        try FileManager.default.copyItem(at: earlier, to: copy.appendingPathComponent("results.json"))
        XCTAssertTrue(try load(copy).followsEarlierRules)
        // Review: "again in the folder" read as "from inside it", where a relative --out starts a new run.
        let beside = try CLI.run(["report", copy.appendingPathComponent("results.json").path, "--format", "md", "--out",
                                  scratch.appendingPathComponent("rerun-report").path])
        XCTAssertTrue(beside.stderr.contains("command (manifest.command_line) again from the folder it was first run in, so "
            + "that its --out names"), beside.stderr)
        let rerun = try CLI.run(arguments(out: copy, extra: Self.sweeps), environment: hub.environment)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let recomputed = try load(copy)
        XCTAssertFalse(recomputed.followsEarlierRules)
        XCTAssertEqual(recomputed.sweep?.settings.count, 4)
        for speed in recomputed.timing.models ?? [] {
            XCTAssertEqual(speed.completions, 0, "\(speed.model): nothing generated")
            XCTAssertGreaterThan(speed.storedBefore ?? 0, 0, "\(speed.model): every completion came from the store")
        }
    }

    func testADifferentSweepInTheSameDirectoryIsRefused() throws {
        let copy = try scratchDirectory().appendingPathComponent("other-sweep")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: try sweepDirectory(), to: copy)
        let result = try CLI.run(
            arguments(out: copy, extra: ["--sweep", "temperature=1.3,0.5", "--sweep", "top_k=5,0"]), environment: hub.environment)
        XCTAssertEqual(result.status, badInput, result.stderr)
        XCTAssertTrue(result.stderr.contains("this run directory belongs to a different run (sweep was "), result.stderr)
        XCTAssertTrue(result.stderr.contains("; to resume it, run its own command again (the settings before \"now\"); to "
            + "start this one, choose another --out"), result.stderr)
        XCTAssertFalse(result.stderr.contains("delete"), "a resumable run is never to be deleted: \(result.stderr)")

        let unswept = try CLI.run(arguments(out: copy, extra: ["--temperature", "1.3", "--top-k", "5"]), environment: hub.environment)
        XCTAssertEqual(unswept.status, badInput, "an ordinary run in a sweep's directory: \(unswept.stderr)")
        XCTAssertTrue(unswept.stderr.contains("sweep was temperature=1.3 top_k=5 top_p=0.9; "), unswept.stderr)
    }

    func testBadSweepsAreUsageErrors() throws {
        let out = try scratchDirectory().appendingPathComponent("never-written")
        let cases: [(extra: [String], message: String)] = [
            (["--sweep", "temperature=0.5,1", "--temperature", "0.7"], "--temperature and --sweep temperature=… both set the temperature; give one"),
            (["--sweep", "top_k=1.5"], "--sweep top_k: '1.5' is not a whole number"),
            (["--sweep", "top_p=0.5,0.5"], "--sweep top_p lists 0.5 twice"),
            (["--sweep", "temperature=0.7,0.700000001"], "--sweep temperature lists 0.7 twice (values that round to the same"),
            // Beyond Float's range: too large, not "not a number" (review), refused with the parameter's range as
            // a value inside Float is (it said "give a value in the parameter's range" and named none).
            (["--sweep", "temperature=1e308"],
             "--sweep: --temperature must be at least 0.01 and within single precision, up to about 3.4e+38, found 1e+308"),
            (["--sweep", "temperature=0.5,nan"], "--sweep temperature: 'nan' is not a number"),
            // A hostile review: `0x1p-1` read as 0.5 and was refused as "lists 0.5 twice" beside a 0.5 typed; `1e-400`
            // read as 0.
            (["--sweep", "temperature=0x1p-1,0.5"], "--sweep temperature: '0x1p-1' is not a number in decimal digits"),
            (["--sweep", "top_p=1e-400,0.5"], "--sweep top_p: '1e-400' is below the smallest floating-point number, and would read as 0"),
            (["--sweep", "top_p=-1e39"], "--sweep: --top-p must be between 0 and 1 (1 turns it off), found -1e+39"),
            // Too large for a Double, read as infinity: what was typed is shown, not "inf" (a review), 400 digits as an
            // excerpt; "inf" typed is shown as typed.
            (["--sweep", "top_p=1e400"], "--sweep: --top-p must be between 0 and 1 (1 turns it off), found '1e400'\n"),
            (["--sweep", "temperature=" + String(repeating: "9", count: 400)],
             ", found '" + String(repeating: "9", count: 60) + "… (400 characters)'\n"),
            (["--sweep", "top_p=-inf"], "(1 turns it off), found -inf\n"),
            (["--sweep", "top_p=0.5", "--sweep", "top-p=0.9"], "--sweep top_p=… is given twice; list all its values in one --sweep"),
            (["--sweep", "temperature=0.001"], "--sweep: "),
            (["--sweep", "seed=1,2"], "--sweep 'seed=1,2' is not PARAM=V1,V2,… with PARAM one of temperature, top_k, top_p"),
            (["--sweep", "temperature=" + (1...8).map { "0.\($0)" }.joined(separator: ","),
              "--sweep", "top_k=" + (1...9).map(String.init).joined(separator: ",")],
             "--sweep gives 72 settings; at most 64 per run: sweep fewer values"),
            (["--sweep", "temperature=0.5,1", "--samples", "10000", "--sweep", "top_k=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22"],
             "--sweep gives 44 settings × 120,000 completions (prompts × samples) × 2 models; at most 1,000,000 completions per run"),
        ]
        for (extra, message) in cases {
            let samples = extra.firstIndex(of: "--samples").map { Int(extra[$0 + 1])! } ?? 3
            let rest = extra.firstIndex(of: "--samples").map { Array(extra[..<$0] + extra[($0 + 2)...]) } ?? extra
            let result = try CLI.run(arguments(out: out, samples: samples, extra: rest), environment: hub.environment)
            XCTAssertEqual(result.status, usage, "\(extra): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(extra): \(result.stderr)")
        }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: out.appendingPathComponent("run.sqlite").path),
            "nothing is generated for a refused sweep")

        let help = try CLI.run(["run", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--sweep <param=v1,v2,…>"), help.stdout)
        XCTAssertTrue(help.stdout.contains("common random numbers"), help.stdout)
    }

    /// A review: a swept top_k above 2^24 was recorded as a Float (16777217 as 16777216), and every reader refused the
    /// results file. It is recorded as the whole number it is, and the results read back.
    func testASweptTopKIsRecordedAsAWholeNumber() throws {
        let out = try scratchDirectory().appendingPathComponent("wide-top-k")
        let result = try CLI.run(
            ["run", Fixtures.url("analyze/two-groups.yaml").path, "--model", Fixtures.url("models/tiny-gpt2").path,
             "--samples", "1", "--max-new-tokens", "2", "--sweep", "top_k=16777217,1", "--out", out.path, "--quiet"],
            environment: hub.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        let saved = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
        XCTAssertEqual(saved.sweep?.parameters.first?.values, [16_777_217, 1])
        let report = try CLI.run(["report", out.appendingPathComponent("results.json").path, "--format", "md"])
        XCTAssertEqual(report.status, 0, report.stderr)
    }

    /// A hostile review: a run within every per-item limit (20,000 prompts, 10,000 samples) planned 200,000,000
    /// completions for 38 s and 1.75 GB before its first line. Every run has the sweep's cap on completions.
    func testARunBeyondTheCompletionCapIsRefusedAtOnce() throws {
        let directory = try scratchDirectory()
        let set = directory.appendingPathComponent("wide.yaml")
        let terms = { (prefix: String) in (0..<30).map { "\(prefix)\($0)" }.joined(separator: ", ") }
        try Data("""
            name: wide
            description: Many prompts.
            axis: gender
            source: Test fixture.
            templates: ["{name} said that"]
            groups:
              a: {terms: [\(terms("Ann"))]}
              b: {terms: [\(terms("Bob"))]}
            metrics: [sentiment]

            """.utf8).write(to: set)
        let out = directory.appendingPathComponent("wide-out")
        let result = try CLI.run(
            ["run", set.path, "--model", Fixtures.url("models/tiny-gpt2").path, "--model",
             Fixtures.url("models/tiny-gpt2-openai-f16").path, "--samples", "10000", "--out", out.path, "--quiet"],
            environment: hub.environment)
        XCTAssertEqual(result.status, usage, result.stderr)
        XCTAssertTrue(result.stderr.contains("this run would generate 600,000 completions (prompts × samples) × 2 models; "
            + "at most 1,000,000 completions per run: lower --samples, audit fewer prompt sets, or split the run with --shard"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("run.sqlite").path))
    }

    /// A bad temperature's message says what each command accepts (run has no --greedy; generate has), and
    /// a long bad --sweep value is quoted as a short excerpt.
    func testMessagesSayWhatEachCommandAcceptsAndQuoteShortExcerpts() throws {
        let out = try scratchDirectory().appendingPathComponent("never-written")
        // The range is said once, by the refusal, not again by the hint (a review: "… at least 0.01 …, found 0; run only
        // samples (it has no --greedy): give a temperature of at least 0.01, e.g. …").
        let greedy = "; for greedy decoding give --top-k 1 (the most probable token at any temperature)\n"
        for (extra, hint) in [
            (["--temperature", "0"], ", found 0; run only samples (it has no --greedy): e.g. --temperature 0.7 (the default)"
                + greedy),
            (["--sweep", "temperature=-1"], ", found -1; run only samples (it has no --greedy)" + greedy),
            (["--sweep", "temperature=-1e39"], ", found -1e+39; run only samples (it has no --greedy)" + greedy),
        ] {
            let result = try CLI.run(arguments(out: out, extra: extra), environment: hub.environment)
            XCTAssertEqual(result.status, usage, "\(extra): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(hint), "\(extra): \(result.stderr)")
            XCTAssertEqual(result.stderr.components(separatedBy: "at least 0.01").count, 2, "\(extra): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("use --greedy"), "\(extra): \(result.stderr)")
        }
        let generate = try CLI.run(["generate", "--model", "distilgpt2", "Hello", "--temperature", "0"], environment: hub.environment)
        XCTAssertEqual(generate.status, usage, generate.stderr)
        XCTAssertTrue(generate.stderr.contains("use --greedy for argmax decoding"), generate.stderr)

        let long = "bogus=" + (1...5000).map(String.init).joined(separator: ",")
        let number = "temperature=0.5," + String(repeating: "x", count: 3000)
        for (value, start) in [(long, "--sweep 'bogus=1,2,3,4,5,6"), (number, "--sweep temperature: 'xxxx")] {
            let result = try CLI.run(arguments(out: out, extra: ["--sweep", value]), environment: hub.environment)
            XCTAssertEqual(result.status, usage, result.stderr)
            XCTAssertTrue(result.stderr.contains(start) && result.stderr.contains("characters)"), result.stderr)
            let limit = 400
            XCTAssertLessThan(result.stderr.utf8.count, limit, "the message quotes an excerpt: \(result.stderr.utf8.count) bytes")
        }
    }
}
