import AuditAnalysis
import AuditResults
import Foundation
import TestSupport
import XCTest

/// `biasaudit analyze` (issue 19): a run's own completions give the run's results; hand-written
/// completions with known VADER scores give known levels and the expected finding; bad lines are
/// exit 65 naming the line; CRLF files read like LF files.
final class AnalyzeTests: XCTestCase {
    private let badInput: Int32 = 65
    /// The group levels are means of one or two known VADER scores: exact up to float summation.
    private let levelTolerance = 1e-12
    /// VADER compound of the hand-written continuations: s/√(s² + 15) of the valences −2.1, 3.1, 1.9.
    private let terrible = -0.4767
    private let great = 0.6249
    private let good = 0.4404

    private var scratch: URL!
    private var hub: IsolatedHub!

    override func setUpWithError() throws {
        scratch = try Fixtures.temporaryDirectory("analyze")
        hub = try IsolatedHub()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: scratch)
        hub.remove()
    }

    private var setPath: String { Fixtures.url("analyze/two-groups.yaml").path }

    /// One hand-written line.
    private func line(
        group: String, term: String, template: String = "{name} went to the market and", sample: Int,
        text: String, model: String = "notebook-gpt2"
    ) -> String {
        let object: [String: Any] = [
            "set": "two-groups", "template": template, "group": group, "term": term, "model": model,
            "sample_index": sample, "text": text,
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Every prompt of the fixture set with 4 samples: group_a always "It was terrible.", group_b
    /// "It was great." for samples 0–1 and "It was good." for 2–3.
    /// The note of a completions file analysed as paired (without `--unpaired`).
    private static let pairedNote = "biasaudit: note: completions analysed as paired: sample i of a template is taken to "
        + "share its random stream across terms and models, as in biasaudit's runs; if they were sampled independently (a "
        + "notebook loop, an API), analyse them with --unpaired\n"

    private func handWrittenLines() -> [String] {
        var lines: [String] = []
        for template in ["{name} went to the market and", "Yesterday {name} said that"] {
            for term in ["Alice", "Beth", "Cara"] {
                for sample in 0..<4 { lines.append(line(group: "group_a", term: term, template: template, sample: sample, text: " It was terrible.")) }
            }
            for term in ["Dan", "Ed", "Fred"] {
                for sample in 0..<4 {
                    lines.append(line(group: "group_b", term: term, template: template, sample: sample,
                                      text: sample < 2 ? " It was great." : " It was good."))
                }
            }
        }
        return lines
    }

    private func write(_ lines: [String], ending: String = "\n", name: String = "completions.jsonl") throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try Data((lines.joined(separator: ending) + ending).utf8).write(to: url)
        return url
    }

    private func analyze(_ arguments: [String]) throws -> CommandResult {
        try CLI.run(["analyze"] + arguments, environment: hub.environment)
    }

    private func level(_ result: AuditResult, group: String, metric: AuditMetric) -> Double? {
        result.promptSets.first?.groupEstimates.first { $0.group == group }?
            .estimates.first { $0.metric == metric }?.estimate.value
    }

    /// Hostile tester: `analyze LOOP` (a symbolic link to itself) said "no such file or directory" where `report` says
    /// it is a link in a loop.
    func testAnInputThatIsALinkInALoopIsSaidAsSuch() throws {
        let loop = scratch.appendingPathComponent("loop")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: "loop")
        let result = try analyze([loop.path, setPath])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertEqual(result.stderr, "biasaudit: \(loop.path): error: the input is a symbolic link that leads in a loop (too many "
            + "levels of symbolic links); make it point at a completions file or a run's folder\n")
        let missing = try analyze([scratch.appendingPathComponent("absent").path, setPath])
        XCTAssertEqual(missing.status, 74, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no such file or directory"), missing.stderr)
        // "-" is not standard input here, and is said so (a hostile review: `… | biasaudit analyze -` read "no such file").
        let dash = try analyze(["-", setPath])
        XCTAssertEqual(dash.status, 64, dash.stderr)
        XCTAssertTrue(dash.stderr.contains("analyze does not read completions from standard input ('-')"), dash.stderr)
    }

    /// A hostile review: a link to nothing given as the input, or standing as a run folder's completions.jsonl, was "no
    /// such file" and "holds no completions.jsonl" beside `ls` showing it; a folder that may not be searched, likewise
    /// (run only as a user whom permissions bind: root is not).
    func testAnInputThereButOutOfReachIsSaidAsSuch() throws {
        let dangling = scratch.appendingPathComponent("gone.jsonl")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "/nonexistent/c.jsonl")
        let input = try analyze([dangling.path, setPath])
        XCTAssertEqual(input.status, 74, input.stderr)
        XCTAssertEqual(input.stderr, "biasaudit: \(dangling.path): error: the input is a symbolic link to a file that does not "
            + "exist ('/nonexistent/c.jsonl'); make it point at a completions file or a run's folder\n")
        let run = scratch.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: run.appendingPathComponent("completions.jsonl").path, withDestinationPath: "elsewhere/completions.jsonl")
        let folder = try analyze([run.path])
        XCTAssertEqual(folder.status, 74, folder.stderr)
        XCTAssertTrue(folder.stderr.hasSuffix("run/completions.jsonl: error: the run's completions.jsonl is a symbolic link to a "
            + "file that does not exist ('elsewhere/completions.jsonl'); make it point at the file, or give the file itself\n"),
            folder.stderr)
        guard geteuid() != 0 else { return }
        let closed = scratch.appendingPathComponent("closed")
        try FileManager.default.createDirectory(at: closed, withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: closed.appendingPathComponent("c.jsonl"))
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: closed.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: closed.path) }
        for (arguments, what) in [([closed.appendingPathComponent("c.jsonl").path, setPath], "the input"),
                                  ([closed.path], "the run's completions.jsonl")] {
            let denied = try analyze(arguments)
            XCTAssertEqual(denied.status, 74, denied.stderr)
            XCTAssertTrue(denied.stderr.contains("error: permission denied: cannot look at \(what);"), denied.stderr)
        }
    }

    /// A hostile review: a completions line or a `score --jsonl` line with a comma before its closing brace was read,
    /// while results files refuse it (JSON and Python's `json` do); refused at its line and column, exit 65.
    func testAJSONLinesLineWithATrailingCommaIsRefused() throws {
        var lines = handWrittenLines()
        let last = lines.count - 1
        lines[last] = String(lines[last].dropLast()) + ",}"
        let result = try analyze([try write(lines, name: "comma.jsonl").path, setPath])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("comma.jsonl:\(lines.count): error: not a completion line (not valid JSON at "
            + "column \(lines[last].utf8.count - 1) (near ',}'): a comma before a closing '}' or ']'"), result.stderr)
        let texts = try write([#"{"text": "It was great."}"#, #"{"text": "It was [great],", "n": [1, 2,]}"#], name: "t.jsonl")
        let scored = try CLI.run(["score", "--jsonl", texts.path])
        XCTAssertEqual(scored.status, 65, scored.stderr)
        XCTAssertTrue(scored.stderr.contains("t.jsonl:2: error: not valid JSON at column 39 (near ',]}'): a comma before a "
            + "closing"), scored.stderr)
    }

    /// A hostile review: `--max-new-tokens 9223372036854775807` was taken, and written into a results.json that `report`,
    /// `check` and `diff` refused as hand-edited; `analyze` applies `run`'s limits (1 to 1024).
    func testMaxNewTokensHasRunsLimits() throws {
        let input = try write(handWrittenLines())
        for tokens in ["9223372036854775807", "1025", "0"] {
            let result = try analyze([input.path, setPath, "--max-new-tokens", tokens, "--out",
                                      scratch.appendingPathComponent("tokens-\(tokens)").path])
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains("--max-new-tokens must be between 1 and 1024 (GPT-2's context window), found \(tokens)"), result.stderr)
        }
    }

    func testHandWrittenCompletionsGiveTheKnownLevelsAndTheFinding() throws {
        let input = try write(handWrittenLines())
        let out = scratch.appendingPathComponent("out")
        let run = try analyze([input.path, setPath, "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(
            run.stderr, Self.pairedNote + "biasaudit: note: 'two-groups': no line carries next_token_log_odds, so P(he) vs "
                + "P(she) is left out of its analysis\n" + Self.fewSamplesNote("two-groups", samples: 4),
            "paired input, every prompt, 4 samples: no other note")
        // Under --lang es the same notes are Spanish, as the summary and the report are (a teacher's review: the
        // pairing and few-samples notes stayed English beside the Spanish note on log-odds).
        let spanish = try analyze([input.path, setPath, "--lang", "es", "--format", "md", "--out",
                                   scratch.appendingPathComponent("out-es").path])
        XCTAssertEqual(spanish.status, 0, spanish.stderr)
        XCTAssertEqual(
            spanish.stderr,
            "biasaudit: note: continuaciones analizadas como emparejadas: se supone que la muestra i de una plantilla "
                + "comparte su flujo aleatorio entre términos y modelos, como en las ejecuciones de biasaudit; si se "
                + "muestrearon de forma independiente (un bucle en un cuaderno, una API), analícelas con --unpaired\n"
                + "biasaudit: note: 'two-groups': ninguna línea trae next_token_log_odds, así que P(he) frente a P(she) "
                + "queda fuera de su análisis\n"
                + "biasaudit: note: two-groups: 4 muestras por prompt, por debajo de las 6 a 16 con las que se validó la "
                + "estadística (docs/statistics-validation.md): los intervalos, sobre todo los de las tasas, pueden salir "
                + "demasiado estrechos; tome los hallazgos como provisionales, o muestree más\n")
        let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))

        let expected: [(String, AuditMetric, Double)] = [
            ("group_a", .sentiment, terrible), ("group_b", .sentiment, (great + good) / 2),
            ("group_a", .negativeRate, 1), ("group_b", .negativeRate, 0),
            ("group_a", .positiveRate, 0), ("group_b", .positiveRate, 1),
        ]
        for (group, metric, value) in expected {
            let measured = try XCTUnwrap(level(result, group: group, metric: metric), "\(group) \(metric.rawValue)")
            XCTAssertEqual(measured, value, accuracy: levelTolerance, "\(group) \(metric.rawValue): off by \(measured - value)")
        }
        XCTAssertEqual(result.promptSets.first?.groupEstimates.map(\.completions), [24, 24])
        let sentiment = try XCTUnwrap(
            result.promptSets.first?.contrasts.first { $0.metric == .sentiment && $0.groupA == "group_a" })
        XCTAssertEqual(sentiment.difference.value ?? .nan, terrible - (great + good) / 2, accuracy: levelTolerance)
        XCTAssertTrue(sentiment.isFinding(below: Findings.threshold), "A − B = −1.01 on every prompt is a finding (q = \(sentiment.qValue ?? .nan))")

        let manifest = result.manifest
        XCTAssertEqual(manifest.models.map(\.id), ["notebook-gpt2"])
        XCTAssertNil(manifest.models.first?.weightsSHA256, "unknown weights are absent, not a made-up hash")
        let source = try XCTUnwrap(manifest.source)
        XCTAssertEqual(source.completionsFile, input.path)
        XCTAssertEqual(source.sha256.count, 64)
        XCTAssertTrue(source.pairedStreams)
        XCTAssertTrue(source.declaredParameters)
        XCTAssertNil(source.reanalysedRun)
        XCTAssertEqual(manifest.promptSets.map(\.samples), [4])
        // Each model's run carries tokens_per_second (DESIGN.md; a review: an analysis had no timing.models): nothing
        // was generated, so it is null, written as such.
        XCTAssertEqual(result.timing.models, [ModelSpeed(model: "notebook-gpt2", completions: 0, generatedTokens: 0, seconds: 0,
                                                          peakResidentBytes: nil, storedBefore: 0)])
        let json = try String(contentsOf: out.appendingPathComponent("results.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"tokens_per_second\" : null"), "the key is written")
        let completions = try String(contentsOf: out.appendingPathComponent("completions.jsonl"), encoding: .utf8)
        XCTAssertEqual(completions.split(separator: "\n").count, 48)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    }

    /// Statistician's review: `--confidence 0.99` changed the intervals but findings and verdicts stayed at q < 0.05,
    /// so a finding could print a 99% interval that holds 0. The false discovery rate is 1 − the confidence level now,
    /// recorded in results.json and stated in the report; `diff` refuses runs analysed at different levels (exit 65).
    func testTheConfidenceLevelSetsTheFalseDiscoveryRateAndDiffRefusesMixedLevels() throws {
        let input = try write(handWrittenLines())
        var results: [Double: URL] = [:]
        for level in [0.95, 0.99] {
            let out = scratch.appendingPathComponent("out-\(level)")
            let run = try analyze([input.path, setPath, "--out", out.path, "--format", "md,json", "--confidence", "\(level)"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
            let expected = level == 0.95 ? 0.05 : 0.01
            XCTAssertEqual(result.manifest.parameters.analysis?.falseDiscoveryRate, expected, "exactly, not 1 − \(level) in binary")
            XCTAssertEqual(result.manifest.parameters.findingThreshold, expected)
            let findings = result.promptSets.flatMap(\.contrasts).filter { $0.isFinding(below: expected) }
            XCTAssertFalse(findings.isEmpty, "the sentiment gap of −1.01 on every prompt is a finding at \(level)")
            for contrast in findings {
                let (lower, upper) = (contrast.difference.lower ?? 0, contrast.difference.upper ?? 0)
                XCTAssertTrue(lower > 0 || upper < 0, "a finding's \(level) interval [\(lower), \(upper)] excludes 0")
            }
            let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
            XCTAssertTrue(report.contains("A contrast is a finding when its q is below \(expected == 0.05 ? "0.05" : "0.01")"),
                          "the methods state the run's rate")
            results[level] = out.appendingPathComponent("results.json")
        }
        let diff = try CLI.run(["diff", results[0.95]!.path, results[0.99]!.path], environment: hub.environment)
        XCTAssertEqual(diff.status, badInput, diff.stderr)
        XCTAssertTrue(diff.stderr.contains("the runs were analysed at different confidence levels (0.95 in \(results[0.95]!.path), 0.99 in \(results[0.99]!.path)"),
                      diff.stderr)
    }

    func testCRLFInputGivesTheSameResultsAsLF() throws {
        let lf = try write(handWrittenLines(), name: "lf.jsonl")
        let crlf = try write(handWrittenLines(), ending: "\r\n", name: "crlf.jsonl")
        var outputs: [URL] = []
        for input in [lf, crlf] {
            let out = scratch.appendingPathComponent(input.deletingPathExtension().lastPathComponent)
            let run = try analyze([input.path, setPath, "--out", out.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            outputs.append(out)
        }
        let results = try outputs.map { try AuditJSON.loadResult(at: $0.appendingPathComponent("results.json")) }
        XCTAssertEqual(results[0].promptSets, results[1].promptSets, "CRLF reads as 48 lines, like LF")
        XCTAssertEqual(results[1].promptSets.first?.groupEstimates.map(\.completions), [24, 24])
    }

    /// A final review: a results.json given as the completions said "not a completion line … is the file truncated?", and
    /// a prompt set given first "is the file CSV?". Each is said to be what it is, with what to give.
    func testAResultsFileOrAPromptSetGivenAsTheCompletionsIsSaidToBeOne() throws {
        let out = scratch.appendingPathComponent("for-results")
        XCTAssertEqual(try analyze([try write(handWrittenLines()).path, setPath, "--out", out.path, "--format", "json"]).status, 0)
        let results = out.appendingPathComponent("results.json").path
        for arguments in [[results, setPath], [results]] {
            let given = try analyze(arguments)
            XCTAssertEqual(given.status, 64, given.stderr)
            XCTAssertEqual(given.stderr, "biasaudit: error: \(results) is a biasaudit results file, not completions; give its "
                + "run's folder (biasaudit analyze \(out.path)) or the completions.jsonl beside it\n")
        }
        // A README review: a real run's results.json is larger than the 64 KiB read, and its sorted keys put
        // schema_version near the end (a 67 KB file was "not a completion line … is the file truncated?", exit 65).
        let large = scratch.appendingPathComponent("large")
        try FileManager.default.createDirectory(at: large, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: results, encoding: .utf8)
        let padded = try XCTUnwrap(text.range(of: "\"model_comparisons\"")).lowerBound
        try (text[..<padded] + String(repeating: " ", count: 70_000) + text[padded...])
            .write(to: large.appendingPathComponent("results.json"), atomically: true, encoding: .utf8)
        XCTAssertGreaterThan(try XCTUnwrap(text.range(of: "\"schema_version\"")).lowerBound.utf16Offset(in: text) + 70_000, 65_536)
        let largeGiven = try analyze([large.appendingPathComponent("results.json").path, setPath])
        XCTAssertEqual(largeGiven.status, 64, largeGiven.stderr)
        XCTAssertTrue(largeGiven.stderr.contains("results.json is a biasaudit results file, not completions;"), largeGiven.stderr)
        let swapped = try analyze([setPath, setPath])
        XCTAssertEqual(swapped.status, 64, swapped.stderr)
        XCTAssertEqual(swapped.stderr, "biasaudit: error: \(setPath) is a prompt set, not completions; give the completions file "
            + "first, then the prompt set: biasaudit analyze COMPLETIONS.jsonl \(setPath)\n")
    }

    func testBadLinesAreExit65NamingTheLine() throws {
        let good = handWrittenLines()
        let cases: [(label: String, lines: [String], line: Int, message: String)] = [
            ("malformed", Array(good[0..<2]) + ["{\"set\": \"two-groups\", "] + Array(good[3...]), 3,
             "not a completion line (not valid JSON (Unexpected end of file during JSON parse.); is the file truncated?)"),
            ("nested too deep", ["{\"text\": " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"], 1,
             "arrays and objects are nested too deep for a JSON reader"),
            // The usual ways a notebook's file is not JSON Lines get a hint each (review: all said "not valid JSON").
            ("csv", ["set,template,group,term,model,sample_index,text", "two-groups,x,group_a,Alice,m,0,hi"], 1,
             "the line does not start with '{' (is the file CSV, or JSON written with indent?); a JSON Lines file has one "
                + "{…} object per line (Python: f.write(json.dumps(obj) + \"\\n\") for each object, without indent)"),
            ("array", ["[" + good[0] + ", " + good[1]], 1, "not a completion line: the line holds a JSON array; a JSON Lines file has one {…} object"),
            // An indented array: its "[" line is said as an array, not first as "is the file truncated?" (a review).
            ("indented array", ["[", "  " + good[0] + ",", "  " + good[1], "]"], 1,
             "error: not a completion line: the line holds a JSON array"),
            // What `json.dump(list, f)` writes: valid JSON on one line (second review: no hint).
            ("one-line array", ["[" + good[0] + ", " + good[1] + "]"], 1, "the line holds a JSON array; a JSON Lines file"),
            ("wrapped list", ["{\"completions\": [" + good[0] + "]}"], 1, "the line holds one object wrapping a list ('completions')"),
            // What pandas' DataFrame.to_json(path) writes by default (a class's review: "wrong type at set" only).
            ("pandas columns", [#"{"set":{"0":"two-groups","1":"two-groups"},"text":{"0":"a","1":"b"}}"#], 1,
             "not a completion line: the line holds one object of columns or rows, as pandas' DataFrame.to_json writes by "
                + "default; write one object per completion: df.to_json(path, orient=\"records\", lines=True)"),
            ("pandas one column", [#"{"text":{"0":"a","1":"b"}}"#], 1, "as pandas' DataFrame.to_json writes by default"),
            ("pandas split", [#"{"columns":["set","text"],"index":[0,1],"data":[["two-groups","a"],["two-groups","b"]]}"#], 1,
             "as pandas' DataFrame.to_json writes by default"),
            ("indented", ["{", "  \"set\": \"two-groups\"", "}"], 1, "the object does not end on this line"),
            ("bare CR", [good[0] + "\r" + good[1]], 1, "the line holds a bare carriage return (CR): end lines with LF or CRLF"),
            // The column within the line, not a "line 1" beside the file's line 3 (second review).
            ("double comma", Array(good[0..<2]) + [good[2].replacingOccurrences(of: ",", with: ",,", options: [], range: good[2].range(of: ","))] + Array(good[3...]), 3,
             "not a completion line (not valid JSON at column "),
            ("missing text", [good[0], "{\"set\":\"two-groups\",\"group\":\"group_a\",\"model\":\"m\",\"sample_index\":0}"], 2,
             "not a completion line (missing key"),
            // A notebook's own key names: the line's keys are listed and the rename named (review: "missing key 'text'"
            // beside a 'completion', "names no prompt" beside a 'prompt_set').
            // A student's notebook that wrote every value with str() (a review: only "found a string" was said).
            ("quoted index", [good[0].replacingOccurrences(of: "\"sample_index\":0", with: "\"sample_index\":\"0\"")], 1,
             "expected a whole number, found a string); 'sample_index' is the string \"0\": write the number without quotes"),
            ("completion for text", [good[0].replacingOccurrences(of: "\"text\"", with: "\"completion\"")], 1,
             "the line has keys completion, group, model, sample_index, set, template, term: rename 'completion' to 'text'"),
            // The slot name of the line's own template for 'term', also where the line is refused before it is
            // matched to a set (a student's review: 'person' was not named).
            ("slot for term", [good[0].replacingOccurrences(of: "\"text\"", with: "\"completion\"")
                .replacingOccurrences(of: "\"term\"", with: "\"who\"").replacingOccurrences(of: "{name}", with: "{who}")], 1,
             "the line has keys completion, group, model, sample_index, set, template, who: rename 'completion' to 'text', "
                + "'who' to 'term'"),
            ("prompt_set for set", [good[0].replacingOccurrences(of: "\"set\"", with: "\"prompt_set\"")], 1,
             "the line names no prompt: give set, group, template and term (or prompt_id); the line has keys group, model, "
                + "prompt_set, sample_index, template, term, text: rename 'prompt_set' to 'set'"),
            // Our own key in another letter case (review: no hint), and a key with a carriage return shown as \r, not as
            // a line feed.
            ("Text for text", [good[0].replacingOccurrences(of: "\"text\"", with: "\"Text\"")], 1,
             "the line has keys Text, group, model, sample_index, set, template, term: rename 'Text' to 'text'"),
            ("BOM in a key", [good[0].replacingOccurrences(of: "\"text\"", with: "\"\\ufefftext\"")], 1,
             "the line has keys group, model, sample_index, set, template, term, \\u{feff}text: rename '\\u{feff}text' to 'text'"),
            ("CR in a key", [good[0].replacingOccurrences(of: "\"text\"", with: "\"te\\rxt\"")], 1,
             "the line has keys group, model, sample_index, set, te\\rxt, template, term"),
            ("unknown group", Array(good[0..<4]) + [line(group: "group_c", term: "Zed", sample: 0, text: "x")], 5,
             "unknown group 'group_c' in prompt set 'two-groups' (groups: group_a, group_b)"),
            ("unknown term", [line(group: "group_a", term: "Dan", sample: 0, text: "x")], 1, "term 'Dan' is not a term of group 'group_a'"),
            ("unknown template", [line(group: "group_a", term: "Alice", template: "{name} is", sample: 0, text: "x")], 1,
             "template '{name} is' is not one of the 2 templates"),
            ("duplicate", Array(good[0..<6]) + [good[1]], 7, "sample_index 1 is also on line 2"),
            ("unknown set", [good[0].replacingOccurrences(of: "two-groups", with: "three-groups")], 1,
             "no prompt set named 'three-groups'"),
            ("unknown prompt id", ["{\"prompt_id\":\"two-groups/0/group_a/nobody\",\"model\":\"m\",\"sample_index\":0,\"text\":\"x\"}"], 1,
             "prompt_id 'two-groups/0/group_a/nobody' is not a prompt"),
            // A notebook's mistakes that said less than the others (review): the slot's name for 'term', the filled
            // template, the set's file name, a group's label.
            ("name for term", [good[0], good[1].replacingOccurrences(of: "\"term\"", with: "\"name\"")], 2,
             "group 'group_a' of 'two-groups' fills templates with terms; give template and term; the line has keys group, "
                + "model, name, sample_index, set, template, text: rename 'name' to 'term'"),
            ("prompt_template for template", [good[0].replacingOccurrences(of: "\"template\"", with: "\"prompt_template\"")], 1,
             "group 'group_a' of 'two-groups' fills templates with terms; give template and term; the line has keys group, "
                + "model, prompt_template, sample_index, set, term, text: rename 'prompt_template' to 'template'"),
            ("filled template", [line(group: "group_a", term: "Alice", template: "Alice went to the market and", sample: 0, text: "x")], 1,
             "template 'Alice went to the market and' is already filled in with the term 'Alice'; give the template as the "
                + "set writes it, with its slot: '{name} went to the market and'"),
            ("file name for set", [good[0].replacingOccurrences(of: "\"two-groups\"", with: "\"sets/two-groups.yaml\"")], 1,
             "no prompt set named 'sets/two-groups.yaml': write the set's name 'two-groups', not its file name"),
            ("label for group", [line(group: "Group B", term: "Dan", sample: 0, text: "x")], 1,
             "unknown group 'Group B' in prompt set 'two-groups' (groups: group_a, group_b); that is the label of group "
                + "'group_b'; write its id"),
            // In other letter case (a hostile review: no hint), an id or a label.
            ("id in other case", [line(group: "Group_B", term: "Dan", sample: 0, text: "x")], 1,
             "unknown group 'Group_B' in prompt set 'two-groups' (groups: group_a, group_b); group ids are written exactly: "
                + "write 'group_b'"),
            ("id with a space", [line(group: "group b", term: "Dan", sample: 0, text: "x")], 1,
             "unknown group 'group b' in prompt set 'two-groups' (groups: group_a, group_b); group ids are written exactly: "
                + "write 'group_b'"),
            // A hostile review: a 200,000-character term or prompt_id was quoted whole up to the message's last-resort cut
            // (1,941 bytes); they are short escaped excerpts, as set, group and template are.
            ("long term", [line(group: "group_a", term: String(repeating: "t", count: 200_000), sample: 0, text: "x")], 1,
             "term '" + String(repeating: "t", count: 60) + "…' is not a term of group 'group_a'"),
            ("long prompt id", ["{\"prompt_id\":\"" + String(repeating: "p", count: 100_000) + "\",\"model\":\"m\",\"sample_index\":0,\"text\":\"x\"}"], 1,
             "prompt_id '" + String(repeating: "p", count: 60) + "…' is not a prompt"),
        ]
        for (label, lines, number, message) in cases {
            let input = try write(lines, ending: "\r\n", name: "\(label).jsonl")
            let run = try analyze([input.path, setPath, "--out", scratch.appendingPathComponent("out-\(label)").path])
            XCTAssertEqual(run.status, badInput, "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("biasaudit: \(input.path):\(number): error: "), "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), "\(label): expected '\(message)' in \(run.stderr.prefix(400))")
            XCTAssertLessThan(run.stderr.utf8.count, 800, "\(label): a short message, not the line's contents")
            XCTAssertFalse(
                FileManager.default.fileExists(atPath: scratch.appendingPathComponent("out-\(label)/results.json").path),
                "\(label): nothing is written")
            // A line whose shape is the fault is not told to rename its keys (hostile review: "rename 'completions' to
            // 'text'" beside "one object wrapping a list ('completions')").
            if message.hasPrefix("the line holds") { XCTAssertFalse(run.stderr.contains("rename"), "\(label): \(run.stderr)") }
            // Nor is it sent to look for a cut file by the parser's words first.
            if message.contains("the line holds") {
                XCTAssertFalse(run.stderr.contains("truncated"), "\(label): \(run.stderr)")
            }
        }
    }

    /// Prompts of a template with different sample indices are paired on the indices they share (statistics revision 9):
    /// before, one missing line made the whole file unpaired (a statistician's review: the power of a 0.5 SD contrast fell
    /// from 57% to 32%). The file stays paired, each sample on the stream of its own index, and a note says which prompts
    /// differ; only a declared --unpaired (kept by a re-analysis) makes it unpaired.
    func testDifferentSampleIndicesArePairedOnTheIndicesTheyShare() throws {
        // One line missing: Alice's sample 1 of the first template.
        let missing = handWrittenLines().filter { !($0.contains("\"Alice\"") && $0.contains("market") && $0.contains("\"sample_index\":1")) }
        XCTAssertEqual(missing.count, handWrittenLines().count - 1)
        // Dan's prompt of the first template has samples 40–43 instead of 0–3.
        let shifted = handWrittenLines().map { line -> String in
            guard line.contains("\"Dan\""), line.contains("market") else { return line }
            return line.replacingOccurrences(of: "\"sample_index\":", with: "\"sample_index\":4")
        }
        // One extra line: a fifth sample of Alice's prompt of the first template (nothing is missing; the note says so).
        let extra = handWrittenLines() + handWrittenLines().filter {
            $0.contains("\"Alice\"") && $0.contains("market") && $0.contains("\"sample_index\":3")
        }.map { $0.replacingOccurrences(of: "\"sample_index\":3", with: "\"sample_index\":4") }
        // The lines missing per group (a statistician's review: gaps tied to what completions say, all in one group,
        // bias the levels, and the note showed no sign of it).
        for (label, lines, indices) in [("missing", missing, "by model and group: 'notebook-gpt2' 'Group A' 1 of 24, 'Group B' 0 of 24"),
                                        ("shifted", shifted, "40–43"), ("extra", extra, " has 0–4, prompt ")] {
            let out = scratch.appendingPathComponent(label)
            let run = try analyze([try write(lines, name: "\(label).jsonl").path, setPath, "--out", out.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertFalse(run.stderr.contains("analysed unpaired"), "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(label == "extra" ? "some prompts of 1 template have more samples than the others "
                                                + "(first under model 'notebook-gpt2': prompt "
                                              : "the prompts of 1 template do not all have the same sample indices (first under "
                                                + "model 'notebook-gpt2': prompt "), "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(indices), "\(label): \(run.stderr)")
            // An extra line is no gap (a practitioner's review: one prompt sampled more often was told to "fill the gaps").
            XCTAssertEqual(run.stderr.contains("lacks a sample index that most prompts have, so there is no gap to fill there"),
                           label == "extra", "\(label): \(run.stderr)")
            XCTAssertEqual(run.stderr.contains("fill the gaps"), label != "extra", "\(label): \(run.stderr)")
            // Prompts named as the set names them, not by their ids' template hash (a final review); groups by their label.
            if label == "missing" {
                XCTAssertTrue(run.stderr.contains(", prompt 'Alice' of group 'Group A' in template 1 of two-groups 0, 2, 3;"),
                              run.stderr)
            }
            let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
            XCTAssertEqual(result.manifest.source?.pairedStreams, true, label)
            XCTAssertNil(result.manifest.source?.unpairedReason, label)
            XCTAssertEqual(level(result, group: "group_a", metric: .sentiment) ?? .nan, terrible, accuracy: levelTolerance, label)
            let completions = try String(contentsOf: out.appendingPathComponent("completions.jsonl"), encoding: .utf8)
            XCTAssertFalse(completions.contains("#unpaired/"), "\(label): one stream key per template")
            XCTAssertTrue(try XCTUnwrap(result.manifest.source?.coverageNotesEs).contains {
                $0.contains(label == "extra" ? "tienen más muestras que los demás" : "índices de muestra")
            },
                          "\(label): the Spanish note")
        }

        // Declared unpaired, and a re-analysis of that analysis, stay unpaired.
        let forced = scratch.appendingPathComponent("forced")
        let declared = try analyze([try write(handWrittenLines(), name: "forced.jsonl").path, setPath, "--unpaired", "--out", forced.path])
        XCTAssertEqual(declared.status, 0, declared.stderr)
        XCTAssertTrue(declared.stderr.contains("completions analysed unpaired, without shared random streams (--unpaired)"), declared.stderr)
        let forcedResult = try AuditJSON.loadResult(at: forced.appendingPathComponent("results.json"))
        XCTAssertEqual(forcedResult.manifest.source?.pairedStreams, false, "--unpaired")
        let completions = try String(contentsOf: forced.appendingPathComponent("completions.jsonl"), encoding: .utf8)
        XCTAssertTrue(completions.contains("#unpaired/group_b/notebook-gpt2"), "each group gets its own stream key")
        let again = try analyze([forced.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        let reanalysed = try AuditJSON.loadResult(at: forced.appendingPathComponent("reanalysis/results.json"))
        XCTAssertEqual(reanalysed.manifest.source?.pairedStreams, false, "re-analysing an unpaired analysis stays unpaired")
        XCTAssertEqual(reanalysed.promptSets, forcedResult.promptSets)
    }

    /// A review: the note on prompts with different sample indices named groups by their ids ("'m' group_a 1 of 24")
    /// where the other notes and the report's tables name them by their label in the report's language. It names them so
    /// in each language, in its counts and in the prompts it shows; two groups of one label in two sets keep their ids.
    func testTheSampleIndicesNoteNamesGroupsByTheirLabels() throws {
        let fixture = try String(contentsOf: URL(fileURLWithPath: setPath), encoding: .utf8)
        let labelled = scratch.appendingPathComponent("labelled.yaml")
        try Data(fixture.replacingOccurrences(of: "label: Group A\n", with: "label: Group A\n    labels: {es: Grupo A}\n").utf8)
            .write(to: labelled)
        XCTAssertNotEqual(try String(contentsOf: labelled, encoding: .utf8), fixture, "the Spanish label was added")
        // Alice's sample 1 of the first template is missing.
        let lines = handWrittenLines().filter {
            !($0.contains("\"Alice\"") && $0.contains("market") && $0.contains("\"sample_index\":1,"))
        }
        let input = try write(lines, name: "labels.jsonl")
        let out = scratch.appendingPathComponent("labels")
        let run = try analyze([input.path, labelled.path, "--format", "json", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let source = try XCTUnwrap(AuditJSON.loadResult(at: out.appendingPathComponent("results.json")).manifest.source)
        let english = try XCTUnwrap(source.coverageNotes?.first { $0.contains("sample indices") }, "\(source.coverageNotes ?? [])")
        let spanish = try XCTUnwrap(source.coverageNotesEs?.first { $0.contains("índices de muestra") },
                                    "\(source.coverageNotesEs ?? [])")
        for (language, note, expected) in [
            ("en", english, ["prompt 'Alice' of group 'Group A' in template 1 of two-groups 0, 2, 3;",
                             "by model and group: 'notebook-gpt2' 'Group A' 1 of 24, 'Group B' 0 of 24)"]),
            // The Spanish label where the set gives one, the English one otherwise (as the tables).
            ("es", spanish, ["el prompt 'Alice' del grupo 'Grupo A' en la plantilla 1 de two-groups 0, 2, 3;",
                             "por modelo y grupo: 'notebook-gpt2' 'Grupo A' 1 de 24, 'Group B' 0 de 24)"]),
        ] {
            for text in expected { XCTAssertTrue(note.contains(text), "\(language): '\(text)' in \(note)") }
            XCTAssertFalse(note.contains("group_"), "\(language): no group id in \(note)")
        }
        XCTAssertTrue(run.stderr.contains("biasaudit: note: \(english)\n"), run.stderr)

        // A second set whose group_c is labelled 'Group A' too: both keep their ids; group_b, of one label in both
        // sets, is counted once.
        let copy = scratch.appendingPathComponent("copy.yaml")
        try Data(fixture.replacingOccurrences(of: "name: two-groups\n", with: "name: two-groups-copy\n")
            .replacingOccurrences(of: "group_a:", with: "group_c:").utf8).write(to: copy)
        let both = lines + handWrittenLines().map {
            $0.replacingOccurrences(of: "\"two-groups\"", with: "\"two-groups-copy\"")
                .replacingOccurrences(of: "\"group_a\"", with: "\"group_c\"")
        }
        let twoSets = scratch.appendingPathComponent("labels-two-sets")
        let twoRun = try analyze([try write(both, name: "two-sets.jsonl").path, setPath, copy.path, "--format", "json",
                                  "--out", twoSets.path])
        XCTAssertEqual(twoRun.status, 0, twoRun.stderr)
        XCTAssertTrue(twoRun.stderr.contains("prompt 'Alice' of group 'Group A' (group_a) in template 1 of two-groups 0, 2, 3;"),
                      twoRun.stderr)
        XCTAssertTrue(twoRun.stderr.contains("by model and group: 'notebook-gpt2' 'Group A' (group_a) 1 of 24, 'Group B' 0 "
                                             + "of 48, 'Group A' (group_c) 0 of 24)"), twoRun.stderr)
    }

    /// Statistician's review: one model's samples 0–3 and another's 10–13 were paired by position (sample 10 of one with
    /// sample 0 of the other). Each sample is on the stream of its own index: the two models share no stream there, and
    /// a note says their indices differ.
    func testModelsWithDifferentSampleIndicesShareOnlyTheirCommonIndices() throws {
        let lines = handWrittenLines() + handWrittenLines().map {
            $0.replacingOccurrences(of: "notebook-gpt2", with: "other-model")
                .replacingOccurrences(of: "\"sample_index\":", with: "\"sample_index\":1")
        }
        let out = scratch.appendingPathComponent("models-indices")
        let run = try analyze([try write(lines).path, setPath, "--out", out.path, "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("models 'notebook-gpt2' and 'other-model' share no sample index in any template ("),
                      run.stderr)
        XCTAssertTrue(run.stderr.contains(": 0–3 and 10–13), so their model comparisons are unpaired"), run.stderr)
        let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
        XCTAssertEqual(result.manifest.source?.pairedStreams, true)
        XCTAssertFalse(result.modelComparisons.isEmpty)
        // They share no index: compared unpaired, and said so (a code review: "paired" with no stream shared).
        XCTAssertTrue(result.modelComparisons.allSatisfy { !$0.paired }, "no stream shared")
        // The file compared with itself is paired (the same completions on both sides), not "the runs differ" (review).
        let itself = try CLI.run(["diff", out.appendingPathComponent("results.json").path,
                                  out.appendingPathComponent("results.json").path, "--format", "json"])
        XCTAssertEqual(itself.status, 0, itself.stderr)
        let same = try DiffJSON.decode(itself.stdout)
        XCTAssertFalse(same.entries.isEmpty)
        XCTAssertEqual(Set(same.entries.filter { $0.change.value != nil }.map(\.method)), ["paired"], "\(same.notes)")
        XCTAssertFalse(same.notes.contains { $0.contains("differ in what pairs") }, "\(same.notes)")
        // The reports' methods say so too (a final review: they said every comparison was paired), in English and Spanish.
        // With every pair unpaired they say it once, without first calling the completions paired (a review: "analysed
        // as paired … the comparisons of m1 and m2 are not paired").
        for (language, sentence, paired) in [
            ("en", "The models’ completions share no sample index, so no random stream: the comparisons of notebook-gpt2 "
                + "and other-model are not paired", "analysed as paired"),
            ("es", "Las continuaciones de los modelos no comparten ningún índice de muestra, así que ningún flujo aleatorio: "
                + "las comparaciones de notebook-gpt2 y other-model no están emparejadas", "se analizaron como emparejadas"),
        ] {
            let reports = scratch.appendingPathComponent("models-indices-\(language)")
            let rendered = try analyze([try write(lines).path, setPath, "--out", reports.path, "--format", "md,html",
                                        "--lang", language])
            XCTAssertEqual(rendered.status, 0, rendered.stderr)
            for file in ["report.md", "report.html"] {
                let text = try String(contentsOf: reports.appendingPathComponent(file), encoding: .utf8)
                XCTAssertTrue(text.contains(sentence), "\(language) \(file)")
                XCTAssertFalse(text.contains(paired), "\(language) \(file): no pair is paired")
                XCTAssertFalse(text.contains("**  ") || text.contains("</strong>  "), "\(language) \(file): one space after the heading")
            }
        }
        // A third model on the first one's indices: that pair is paired, the others are named as not.
        let third = lines + handWrittenLines().map { $0.replacingOccurrences(of: "notebook-gpt2", with: "third-model") }
        let mixed = scratch.appendingPathComponent("models-indices-third")
        let rendered = try analyze([try write(third, name: "third.jsonl").path, setPath, "--out", mixed.path, "--format", "md"])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        let text = try String(contentsOf: mixed.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(text.contains("The models’ completions were analysed as paired"), "one pair is paired")
        XCTAssertTrue(text.contains("The comparisons of notebook-gpt2 and other-model; "), "the unpaired pairs are named")

        // With a line missing under the first model too, both notes are given (a statistician's review: the gap's note hid
        // that the models share no index).
        let both = lines.filter { !($0.contains("\"Alice\"") && $0.contains("market") && $0.contains("notebook-gpt2")
                                     && $0.contains("\"sample_index\":1,")) }
        XCTAssertEqual(both.count, lines.count - 1)
        let bothRun = try analyze([try write(both, name: "both.jsonl").path, setPath, "--out",
                                   scratch.appendingPathComponent("models-both").path, "--format", "json"])
        XCTAssertEqual(bothRun.status, 0, bothRun.stderr)
        XCTAssertTrue(bothRun.stderr.contains("the prompts of 1 template do not all have the same sample indices"), bothRun.stderr)
        XCTAssertTrue(bothRun.stderr.contains("models 'notebook-gpt2' and 'other-model' share no sample index"), bothRun.stderr)
        // Gaps under two models: each model's counts (a final review: the first model's alone hid the other's).
        let twoGaps = both.filter { !($0.contains("\"Dan\"") && $0.contains("other-model") && $0.contains("\"sample_index\":12,")) }
        let twoRun = try analyze([try write(twoGaps, name: "two-gaps.jsonl").path, setPath, "--out",
                                  scratch.appendingPathComponent("models-two-gaps").path, "--format", "json"])
        XCTAssertEqual(twoRun.status, 0, twoRun.stderr)
        XCTAssertTrue(twoRun.stderr.contains("by model and group: 'notebook-gpt2' 'Group A' 1 of 24, 'Group B' 0 of 24; "
                                             + "'other-model' 'Group A' 0 of 24, 'Group B' 2 of 24)"), twoRun.stderr)

        // A model with samples 0–2 beside one with 0–3 shares 0–2; every prompt of a template has the same indices under
        // each model, and the models differ: the note names them.
        let prefix = handWrittenLines() + handWrittenLines().filter { !$0.contains("\"sample_index\":3") }.map {
            $0.replacingOccurrences(of: "notebook-gpt2", with: "other-model")
        }
        let prefixOut = scratch.appendingPathComponent("models-prefix")
        let paired = try analyze([try write(prefix, name: "prefix.jsonl").path, setPath, "--out", prefixOut.path, "--format", "json"])
        XCTAssertEqual(paired.status, 0, paired.stderr)
        XCTAssertTrue(paired.stderr.contains("models 'notebook-gpt2' and 'other-model' have different sample indices"), paired.stderr)
        let pairedResult = try AuditJSON.loadResult(at: prefixOut.appendingPathComponent("results.json"))
        XCTAssertTrue(pairedResult.modelComparisons.allSatisfy(\.paired), "0–2 are shared")
        // Complete and alike: no note.
        let alike = handWrittenLines() + handWrittenLines().map { $0.replacingOccurrences(of: "notebook-gpt2", with: "other-model") }
        let alikeRun = try analyze([try write(alike, name: "alike.jsonl").path, setPath, "--out",
                                    scratch.appendingPathComponent("alike").path, "--format", "json"])
        XCTAssertEqual(alikeRun.status, 0, alikeRun.stderr)
        XCTAssertFalse(alikeRun.stderr.contains("sample indices"), alikeRun.stderr)
    }

    /// A hostile review: `sample_index` counted over the whole file (0…47), or per template and group, instead of from 0
    /// for each prompt (a common student mistake) made a complete file read as lines missing ("fill them"), analysed with
    /// every prompt on streams of its own or term i of one group paired with term i of another. It is refused with what was
    /// found and both fixes; declared `--unpaired` it is taken, and the gaps the README documents still analyse paired.
    func testSampleIndicesThatCountAcrossPromptsAreRefused() throws {
        /// The lines numbered by one counter per `key` of a line, in file order.
        func renumbered(_ lines: [String], key: (String) -> String) -> [String] {
            var next: [String: Int] = [:]
            return lines.map { line in
                let index = next[key(line), default: 0]
                next[key(line)] = index + 1
                return line.replacingOccurrences(
                    of: "\"sample_index\":[0-9]+", with: "\"sample_index\":\(index)", options: .regularExpression)
            }
        }
        let remedy = "sample_index numbers the samples of one prompt from 0 (sample i of every prompt of a template shares a "
            + "random stream): restart it at 0 for each prompt, or, if the samples were drawn independently, analyse with "
            + "--unpaired\n"
        let global = renumbered(handWrittenLines()) { _ in "file" }
        let perGroup = renumbered(handWrittenLines()) { "\($0.contains("market")) \($0.contains("group_a"))" }
        for (label, lines) in [("global", global), ("per-group", perGroup)] {
            let input = try write(lines, name: "\(label).jsonl")
            let out = scratch.appendingPathComponent(label)
            let run = try analyze([input.path, setPath, "--out", out.path])
            XCTAssertEqual(run.status, badInput, "\(label): \(run.stderr)")
            // Line 5 is Beth's first line, sample 4.
            XCTAssertEqual(run.stderr, "biasaudit: \(input.path):5: error: sample_index counts across prompts: no two prompts "
                + "share a sample index in 4 of the 4 (model, template, group) cells with two or more prompts (first: under model "
                + "'notebook-gpt2', the prompts of template 1 of two-groups for group 'group_a' have 'Alice' 0–3, 'Beth' 4–7, "
                + "'Cara' 8–11); " + remedy, label)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("results.json").path),
                           "\(label): nothing is written")
            let unpaired = try analyze([input.path, setPath, "--unpaired", "--format", "json", "--out",
                                        scratch.appendingPathComponent("\(label)-unpaired").path])
            XCTAssertEqual(unpaired.status, 0, "\(label) --unpaired: \(unpaired.stderr)")
        }

        // One cell of four counting across its prompts is a gap among paired prompts, not a numbering: analysed, with the
        // note.
        let oneCell = handWrittenLines().prefix(12).enumerated().map { position, line in
            line.replacingOccurrences(of: "\"sample_index\":[0-9]+", with: "\"sample_index\":\(position)", options: .regularExpression)
        } + handWrittenLines().dropFirst(12)
        // The gaps the README and docs/statistics.md document ("Missing lines: pairing by sample index").
        let missingLine = handWrittenLines().filter {
            !($0.contains("\"Alice\"") && $0.contains("market") && $0.contains("\"sample_index\":1,"))
        }
        let longerGroup = handWrittenLines() + handWrittenLines().filter { $0.contains("group_a") && $0.contains("\"sample_index\":3,") }
            .flatMap { line in [4, 5].map { line.replacingOccurrences(of: "\"sample_index\":3,", with: "\"sample_index\":\($0),") } }
        let otherModel = handWrittenLines() + handWrittenLines().map {
            $0.replacingOccurrences(of: "notebook-gpt2", with: "other-model")
                .replacingOccurrences(of: "\"sample_index\":", with: "\"sample_index\":1")
        }
        let once = handWrittenLines().filter { $0.contains("\"sample_index\":0,") }
        let copies = handWrittenLines().map { $0.replacingOccurrences(of: " It was great.", with: " It was good.") }
        for (label, lines, flags) in [
            ("one-cell", Array(oneCell), []), ("missing-line", missingLine, []), ("longer-group", longerGroup, []),
            ("other-model", otherModel, []), ("once", once, []), ("copies", copies, ["--top-k", "1"]),
        ] {
            let out = scratch.appendingPathComponent(label)
            let run = try analyze([try write(lines, name: "\(label).jsonl").path, setPath, "--format", "json", "--out", out.path]
                                  + flags)
            XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("counts across prompts"), "\(label): \(run.stderr)")
            let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
            XCTAssertEqual(result.manifest.source?.pairedStreams, true, label)
            // Copies of one draw share no streams: no note on pairing, here or analysed unpaired, on the terminal or in
            // the report (a teacher's review: `--top-k 1` advised `--unpaired`, whose results were the same).
            XCTAssertEqual(run.stderr.contains("analysed as paired"), label != "copies", "\(label): \(run.stderr)")
        }
        for unpaired in [false, true] {
            let out = scratch.appendingPathComponent("copies-report-\(unpaired)")
            let run = try analyze([try write(copies, name: "copies-\(unpaired).jsonl").path, setPath, "--top-k", "1",
                                   "--format", "md", "--out", out.path] + (unpaired ? ["--unpaired"] : []))
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertFalse(run.stderr.contains("analysed as paired") || run.stderr.contains("analysed unpaired"), run.stderr)
            let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
            let header = try XCTUnwrap(markdown.components(separatedBy: "## Findings").first)
            XCTAssertFalse(header.contains("Analysed paired") || header.contains("Analysed unpaired"), header)
            XCTAssertTrue(header.contains("copies"), "the greedy note stays: \(header)")
            // Nor do the methods speak of streams or advise --unpaired (a review: they still did).
            for phrase in ["with --unpaired", "random stream (common random numbers", "analysed as paired", "analysed unpaired",
                           "Analysed unpaired"] {
                XCTAssertFalse(markdown.contains(phrase), "\(phrase) in \(unpaired ? "an unpaired" : "a paired") analysis")
            }
            XCTAssertTrue(markdown.contains("**Copies of one draw.**"), "the methods' copies bullet stays")
        }
    }

    /// Completions of two models analysed unpaired: every model comparison says `paired: false`, and
    /// the report's header says "analysed unpaired" and what it means, in English and in Spanish; the
    /// same lines analysed paired say neither.
    func testUnpairedAnalysisIsSaidInTheReportAndTheComparisons() throws {
        let lines = handWrittenLines() + handWrittenLines().map {
            $0.replacingOccurrences(of: "notebook-gpt2", with: "notebook-distilgpt2")
        }
        let input = try write(lines)
        let unpaired = scratch.appendingPathComponent("two-unpaired")
        let run = try analyze([input.path, setPath, "--unpaired", "--format", "html,md", "--out", unpaired.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let result = try AuditJSON.loadResult(at: unpaired.appendingPathComponent("results.json"))
        XCTAssertFalse(result.modelComparisons.isEmpty)
        XCTAssertEqual(result.modelComparisons.filter(\.paired).map(\.contrastID), [], "comparisons of unpaired completions")
        let markdown = try String(contentsOf: unpaired.appendingPathComponent("report.md"), encoding: .utf8)
        let header = try XCTUnwrap(markdown.components(separatedBy: "## Findings").first)
        XCTAssertTrue(header.contains("Analysed unpaired (--unpaired): the completions were not sampled with common random numbers"), header)
        XCTAssertTrue(header.contains("wider than a paired run"), header)
        let html = try String(contentsOf: unpaired.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<p>Analysed unpaired (--unpaired)"), "the HTML header says so too")
        // The methods say what was done: no stream shared, and each comparison unpaired, as the header says (review:
        // the methods said "paired by term only" while every comparison was unpaired).
        for text in [markdown, html] {
            XCTAssertTrue(text.contains("Analysed unpaired, the models share no random stream: each comparison counts the "
                + "two models’ sampling noise separately, while a term is the same term under both models."))
            XCTAssertTrue(text.contains("Analysed unpaired, the two groups are taken to share no random stream"))
            XCTAssertFalse(text.contains("Both models were sampled with common random numbers"))
            XCTAssertFalse(text.contains("Noise that the shared random streams give"))
        }

        let spanish = scratch.appendingPathComponent("two-unpaired-es")
        let es = try analyze([input.path, setPath, "--unpaired", "--format", "md", "--lang", "es", "--out", spanish.path])
        XCTAssertEqual(es.status, 0, es.stderr)
        // The note on standard error is Spanish too under --lang es (a teacher's review: English beside the Spanish summary).
        XCTAssertTrue(es.stderr.contains("biasaudit: note: continuaciones analizadas sin emparejar, sin flujos aleatorios "
            + "compartidos (--unpaired): cada contraste entre grupos y cada comparación entre modelos cuenta por separado el "
            + "ruido de muestreo de cada lado\n"), es.stderr)
        XCTAssertFalse(es.stderr.contains("analysed unpaired"), es.stderr)
        XCTAssertFalse(es.stderr.contains("per prompt, fewer than"), es.stderr)
        let spanishMarkdown = try String(contentsOf: spanish.appendingPathComponent("report.md"), encoding: .utf8)
        let spanishHeader = try XCTUnwrap(spanishMarkdown.components(separatedBy: "## Hallazgos").first)
        XCTAssertTrue(spanishHeader.contains("Auditoría analizada sin emparejar (motivo registrado: --unpaired)"), spanishHeader)
        XCTAssertTrue(spanishHeader.contains("más ancho que el de una ejecución emparejada"), spanishHeader)
        XCTAssertTrue(spanishMarkdown.contains("Sin emparejar, los modelos no comparten ningún flujo aleatorio: cada comparación "
            + "cuenta por separado el ruido de muestreo de los dos modelos"))
        XCTAssertTrue(spanishMarkdown.contains("esta orden recalcula cada número de este informe a partir de esas continuaciones"))
        XCTAssertFalse(spanishMarkdown.contains("Ambos modelos se muestrearon con números aleatorios comunes"))

        let paired = scratch.appendingPathComponent("two-paired")
        let plain = try analyze([try write(lines, name: "paired.jsonl").path, setPath, "--format", "md", "--out", paired.path])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        // Paired is assumed, and said where the user looks (review: a notebook file was paired without a word).
        XCTAssertTrue(plain.stderr.contains("biasaudit: note: completions analysed as paired: sample i of a template is "
            + "taken to share its random stream"), plain.stderr)
        XCTAssertFalse(es.stderr.contains("analysed as paired"), es.stderr)
        let pairedResult = try AuditJSON.loadResult(at: paired.appendingPathComponent("results.json"))
        XCTAssertTrue(pairedResult.modelComparisons.allSatisfy(\.paired))
        let pairedMarkdown = try String(contentsOf: paired.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertFalse(pairedMarkdown.contains("Analysed unpaired"))
        // Paired is what the user's file was taken to be, not a fact biasaudit knows (review).
        XCTAssertFalse(pairedMarkdown.contains("Both models were sampled with common random numbers"))
        XCTAssertTrue(pairedMarkdown.contains("The models’ completions were analysed as paired"))
        XCTAssertTrue(pairedMarkdown.contains("if they were not sampled that way, analyse them with --unpaired"))
        XCTAssertTrue(pairedMarkdown.contains("Noise that the shared random streams give"))
        XCTAssertTrue(pairedMarkdown.contains("is taken to use the same random stream (common random numbers, as in "
            + "biasaudit’s own runs; assumed for a completions file"), "the methods state the assumption")
        XCTAssertFalse(pairedMarkdown.contains("sample i of every prompt of a template uses the same random stream"))
        XCTAssertTrue(pairedMarkdown.contains("Analysed from a completions file"), "the header names where the completions came from")
        // The header says what the pairing assumes (a student's review: only standard error and the folded methods did).
        XCTAssertTrue(pairedMarkdown.contains("Analysed paired by sample index: sample i of every prompt of a template (and "
            + "of every model) is taken to share random stream i"), pairedMarkdown)
        XCTAssertFalse(html.contains("Analysed paired by sample index"), "not in an analysis declared unpaired")
        // Settings not given on the command line are run's defaults, and the header says so (review).
        XCTAssertTrue(pairedMarkdown.contains("the sampling settings shown are as declared on its command line (run's "
            + "defaults where none was given)."), pairedMarkdown)
        // How to reproduce: the numbers from the same completions file, no completion made again (review: it promised
        // "recreates every completion" from model weights); no speed table, so the heading names none.
        XCTAssertTrue(pairedMarkdown.contains("With biasaudit \(BiasAuditVersion.current), the same completions file and the "
            + "same prompt-set files (their SHA-256 digests are listed above), this command recomputes every number of this "
            + "report from those completions (no model is run, no completion is generated):"))
        XCTAssertFalse(pairedMarkdown.contains("recreates every completion"))
        XCTAssertTrue(pairedMarkdown.contains("<summary>Models, prompt sets and settings</summary>"))
        // Re-analysing that analysis keeps its provenance: biasaudit did not generate these completions (review).
        let again = try analyze([paired.path, "--format", "md"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let againMarkdown = try String(contentsOf: paired.appendingPathComponent("reanalysis/report.md"), encoding: .utf8)
        XCTAssertTrue(againMarkdown.contains("from the completions of the analysis in"), againMarkdown)
        XCTAssertTrue(againMarkdown.contains("biasaudit did not generate these completions, and the sampling settings shown are "
            + "as declared when they were first analysed."))
        // Review: its methods said the models "were sampled with common random numbers"; the pairing is still assumed,
        // said on standard error too.
        XCTAssertTrue(againMarkdown.contains("The models’ completions were analysed as paired"), againMarkdown)
        XCTAssertFalse(againMarkdown.contains("Both models were sampled with common random numbers"))
        XCTAssertTrue(again.stderr.contains("completions analysed as paired"), again.stderr)
    }

    /// A hostile review: the completions.jsonl of an `--unpaired` analysis, analysed as a file, was "analysed as paired"
    /// though its template_id values say `#unpaired/` (its folder stayed unpaired). The file stays unpaired too, as that
    /// analysis was, said on standard error and in the notes; without its template_id values it is paired.
    func testAnUnpairedAnalysisCompletionsStayUnpairedAsAFile() throws {
        let lines = handWrittenLines() + handWrittenLines().map { $0.replacingOccurrences(of: "notebook-gpt2", with: "other-model") }
        let first = scratch.appendingPathComponent("unpaired-first")
        let declared = try analyze([try write(lines).path, setPath, "--unpaired", "--format", "json", "--out", first.path])
        XCTAssertEqual(declared.status, 0, declared.stderr)
        let firstResult = try AuditJSON.loadResult(at: first.appendingPathComponent("results.json"))
        let written = try String(contentsOf: first.appendingPathComponent("completions.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        /// The written lines, the first `count` of them without template_id.
        func withoutTemplateID(_ count: Int) throws -> [String] {
            try written.enumerated().map { position, line in
                guard position < count else { return line }
                var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                object["template_id"] = nil
                return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            }
        }
        let note = { (marked: String) in
            "the template_id of \(marked) names a group and model after '#unpaired/' (the completions.jsonl of an analysis "
                + "declared --unpaired), so the file is analysed unpaired, as that analysis was; without its template_id "
                + "values it is analysed paired"
        }
        for (label, count, marked) in [("every", 0, "every line"), ("half", 48, "48 of its 96 lines")] {
            let out = scratch.appendingPathComponent("unpaired-\(label)")
            let run = try analyze([try write(try withoutTemplateID(count), name: "\(label).jsonl").path, setPath, "--format",
                                   "json", "--out", out.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stderr.contains("biasaudit: note: completions analysed unpaired, without shared random streams "
                                              + "(--unpaired)"), "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("biasaudit: note: " + note(marked) + "\n"), "\(label): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("analysed as paired"), "\(label): \(run.stderr)")
            let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
            XCTAssertEqual(result.manifest.source?.pairedStreams, false, label)
            XCTAssertEqual(result.manifest.source?.unpairedReason, CompletionsSource.declaredUnpairedReason, label)
            XCTAssertEqual(result.manifest.source?.coverageNotes?.first, note(marked), label)
            XCTAssertTrue(result.manifest.source?.coverageNotesEs?.first?.contains("se analiza sin emparejar") == true, label)
            XCTAssertEqual(result.promptSets, firstResult.promptSets, "\(label): the first analysis's numbers")
            XCTAssertEqual(result.modelComparisons, firstResult.modelComparisons, label)
        }
        // Without template_id the lines are a completions file like any other: paired.
        let out = scratch.appendingPathComponent("unpaired-none")
        let run = try analyze([try write(try withoutTemplateID(written.count), name: "none.jsonl").path, setPath, "--format",
                               "json", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("analysed as paired"), run.stderr)
        XCTAssertEqual(try AuditJSON.loadResult(at: out.appendingPathComponent("results.json")).manifest.source?.pairedStreams, true)
    }

    /// `lines` with the chosen ones' `text` preceded by `before` and their prompt (the template filled with the term), as
    /// a notebook that decoded the whole sequence writes it.
    private func withPrompt(
        _ lines: [String], before: String, where chosen: (Int, [String: Any]) -> Bool
    ) -> [String] {
        lines.enumerated().map { index, text -> String in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                chosen(index, object), let template = object["template"] as? String, let term = object["term"] as? String,
                let continuation = object["text"] as? String
            else { return text }
            var changed = object
            changed["text"] = before + template.replacingOccurrences(of: "{name}", with: term) + continuation
            return String(decoding: try! JSONSerialization.data(withJSONObject: changed, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    /// Review: a notebook that decoded the whole sequence wrote the prompt into `text`, and its words were scored as
    /// the model's (one model's mean sentiment fell from 0.13 to 0.01) without a word. It is said where notes go.
    func testATextThatBeginsWithItsPromptIsSaid() throws {
        let good = handWrittenLines()
        let echoed = withPrompt(good, before: "  ") { index, _ in index < 3 }
        let out = scratch.appendingPathComponent("echo")
        let run = try analyze([try write(echoed, name: "echo.jsonl").path, setPath, "--unpaired", "--format", "json",
                               "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let note = try XCTUnwrap(
            run.stderr.components(separatedBy: "\n").first { $0.contains("begins with its own prompt") }, run.stderr)
        XCTAssertTrue(note.hasPrefix("biasaudit: note: the text of 3 of \(good.count) completion lines begins with its own "
            + "prompt (first: line 1, '"), note)
        XCTAssertTrue(note.hasSuffix("keep only the new tokens (e.g. text = full[len(prompt):])"), note)
        let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
        XCTAssertTrue(result.manifest.source?.coverageNotes?.contains { $0.contains("begins with its own prompt") } ?? false)
        let plain = try analyze([try write(good, name: "plain.jsonl").path, setPath, "--unpaired", "--format", "json",
                                 "--out", scratch.appendingPathComponent("plain-echo").path])
        XCTAssertFalse(plain.stderr.contains("begins with its own prompt"), plain.stderr)
    }

    /// A practitioner's review: the lines of one group alone began with their prompt, and six "findings" came from the
    /// prompt's words. Half or more of a group's lines under a model so (here behind `<|endoftext|>`, a decode that kept
    /// special tokens) is refused at the first, before anything is written; fewer are the note above.
    func testAGroupWhoseLinesBeginWithTheirPromptIsRefused() throws {
        let echoed = withPrompt(handWrittenLines(), before: "<|endoftext|>") { _, object in
            object["group"] as? String == "group_b" && object["sample_index"] as? Int ?? 0 < 2
        }
        let out = scratch.appendingPathComponent("echo-group")
        let run = try analyze([try write(echoed, name: "echo-group.jsonl").path, setPath, "--unpaired", "--out", out.path])
        XCTAssertEqual(run.status, badInput, run.stderr)
        XCTAssertTrue(run.stderr.hasPrefix("biasaudit: \(scratch.appendingPathComponent("echo-group.jsonl").path):13: error: "
            + "the text begins with its own prompt in 12 of the 24 lines of group 'group_b' of 'two-groups' under model "
            + "'notebook-gpt2' (first here: 'Dan went to the market and'): the prompt's words would be scored as the "
            + "model's"), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("keep only the new tokens (e.g. text = full[len(prompt):], or decode "
            + "output[0][len(input_ids[0]):]) and analyse again\n"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "an output folder was made")

        // One template of one group decoded with its prompts: a quarter of the group's lines, half of that template's
        // (a student's review: a third of a group's lines passed with a note and six findings followed).
        let oneTemplate = withPrompt(handWrittenLines(), before: "") { _, object in
            object["group"] as? String == "group_b" && object["template"] as? String == "Yesterday {name} said that"
                && object["sample_index"] as? Int ?? 0 < 2
        }
        let templateRun = try analyze([try write(oneTemplate, name: "echo-template.jsonl").path, setPath, "--unpaired",
                                       "--out", scratch.appendingPathComponent("echo-template").path])
        XCTAssertEqual(templateRun.status, badInput, templateRun.stderr)
        XCTAssertTrue(templateRun.stderr.contains(":37: error: the text begins with its own prompt in 6 of the 12 lines of "
            + "group 'group_b' in template 2 of 'two-groups' under model 'notebook-gpt2' (first here: 'Yesterday Dan said "
            + "that')"), templateRun.stderr)
    }

    /// A crafted two-model analysis of a set of groups a (nurse, secretary) and b (carpenter, electrician) on two
    /// templates: `line` gives each (model, template position, term, sample) its extra keys (`text`, and
    /// `next_token_log_odds` where wanted). Analysed into `name`/results.json, which is returned after checking that
    /// `report`, `diff` of the two models and `analyze` of the output read it (exit 0).
    private func analysedAndReadBack(
        _ name: String, metrics: String, samples: Int, line: (String, Int, String, Int) -> [String: Any]
    ) throws -> AuditResult {
        let set = scratch.appendingPathComponent("\(name).yaml")
        try Data("""
            name: \(name)
            description: A crafted two-model analysis.
            axis: gender
            source: test
            templates: ["The {person} said that", "The {person} walked into the room and"]
            groups:
              a: {terms: [nurse, secretary]}
              b: {terms: [carpenter, electrician]}
            metrics: [\(metrics)]
            lint: {allow: {underpowered: "a crafted test"}}

            """.utf8).write(to: set)
        let groups = ["nurse": "a", "secretary": "a", "carpenter": "b", "electrician": "b"]
        var lines: [String] = []
        for model in ["m1", "m2"] {
            for (position, template) in ["The {person} said that", "The {person} walked into the room and"].enumerated() {
                for term in ["nurse", "secretary", "carpenter", "electrician"] {
                    for sample in 0..<samples {
                        let object = line(model, position, term, sample).merging(
                            ["set": name, "template": template, "group": groups[term]!, "term": term, "model": model,
                             "sample_index": sample]) { own, _ in own }
                        lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                                            as: UTF8.self))
                    }
                }
            }
        }
        let out = scratch.appendingPathComponent(name)
        let run = try analyze([try write(lines, name: "\(name).jsonl").path, set.path, "--format", "json", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let results = out.appendingPathComponent("results.json")
        for arguments in [["report", results.path, "--format", "md", "--out", scratch.appendingPathComponent("\(name)-report").path],
                          ["diff", results.path, "--model-a", "m1", "--model-b", "m2"],
                          ["analyze", out.path, "--format", "json", "--out", scratch.appendingPathComponent("\(name)-again").path]] {
            let read = try CLI.run(arguments)
            XCTAssertEqual(read.status, 0, "\(arguments[0]): \(read.stderr)")
        }
        return try AuditJSON.loadResult(at: results)
    }

    /// An interval cut at both ends to the values a contrast can take ([−2, 2] for a sentiment contrast of 0 with a large
    /// SE on 2 df) is not value ± t × SE, and the file `analyze` writes is read by every reader (helper 227: the new
    /// check refused it with exit 65, and "write the file again with analyze" gave the same file).
    func testAContrastIntervalCutToItsRangeIsReadBack() throws {
        // Each group has a good and a bad term: its contrast is 0 with a large SE.
        let words = ["nurse": ("good", "great"), "secretary": ("bad", "awful"), "carpenter": ("good", "great"),
                     "electrician": ("bad", "awful")]
        let result = try analysedAndReadBack("cancel", metrics: "sentiment", samples: 3) { model, _, term, sample in
            let (first, second) = words[term]!
            return ["text": " \(model == "m1" ? first : second) \(["table", "chair", "door"][sample])"]
        }
        let cut = try XCTUnwrap(result.promptSets[0].contrasts.first { $0.model == "m1" }?.difference)
        XCTAssertEqual([cut.value, cut.lower, cut.upper], [0, -2, 2], "the case: an interval cut at both ends")
    }

    /// A change of log-odds within their single-precision resolution (1e-5) is written as 0, and every reader takes it so
    /// (helper 228: m2's log-odds 3e-6 above m1's on one prompt gave a change of 7.5e-7 written as 0, which `report`,
    /// `check`, `diff` and `analyze` of the output refused as "not value_b − value_a").
    func testALogOddsChangeWithinRoundingIsReadBackAsZero() throws {
        let odds = ["nurse": 1.0, "secretary": 1.2, "carpenter": -0.5, "electrician": -0.7]
        let result = try analysedAndReadBack("rounding", metrics: "sentiment, gender", samples: 2) { model, position, term, sample in
            var value = odds[term]! + 0.1 * Double(position)
            if model == "m2", term == "nurse", position == 0 { value += 3e-6 }
            return ["next_token_log_odds": value, "text": [" she went home", " he said good"][sample]]
        }
        let change = try XCTUnwrap(result.modelComparisons.first { $0.metric == .heSheLogOdds })
        let (a, b) = (try XCTUnwrap(change.valueA), try XCTUnwrap(change.valueB))
        XCTAssertNotEqual(b - a, 0, "the case: the two contrasts differ by rounding")
        XCTAssertEqual(change.difference.value, 0, "and the change is written as 0")
    }

    /// Review: in a set mixing templates and fixed prompts, two fixed-prompt groups got `templates_compared: []`
    /// ("no template shared") with a value, and a model without log-odds got [] on every log-odds contrast; neither
    /// lists templates now. A comparison recorded with a test although its contrasts rest on different templates,
    /// a full list and [] beside a value are refused (attack).
    func testTemplatesComparedIsWrittenOnlyForTemplatedGroupsAndCheckedOnReading() throws {
        let set = scratch.appendingPathComponent("mixed.yaml")
        try Data("""
            name: mixed
            description: Mixed.
            axis: gender
            source: review
            templates:
              - "{name} went to the market and"
              - "Yesterday {name} said that"
            groups:
              group_a:
                terms: [Alice, Beth, Cara]
              group_b:
                terms: [Dan, Ed, Fred]
              group_f:
                prompts: ["The woman went to the market and", "The man said that", "A person thought"]
              group_g:
                prompts: ["The girl went to the market and", "The boy said that", "A child thought"]

            """.utf8).write(to: set)
        let out = scratch.appendingPathComponent("mixed-run")
        let run = try CLI.run(
            ["run", set.path, "--model", Fixtures.url("models/tiny-gpt2").path, "--samples", "3", "--max-new-tokens", "4",
             "--format", "json", "--out", out.path], environment: hub.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
        let contrasts = try XCTUnwrap(result.promptSets.first?.contrasts)
        XCTAssertFalse(contrasts.isEmpty)
        for contrast in contrasts {
            XCTAssertNil(contrast.templatesCompared, "\(contrast.id): nothing is missing")
        }
        XCTAssertTrue(contrasts.contains { $0.groupA == "group_f" && $0.groupB == "group_g" && $0.difference.value != nil })

        // A log-odds contrast whose groups have no log-odds lists no template either (no data is not "no template shared").
        var base = result
        let index = try XCTUnwrap(base.promptSets[0].contrasts.firstIndex {
            $0.groupA == "group_a" && $0.groupB == "group_b" && $0.metric == .sentiment
        })
        var edited = base
        edited.promptSets[0].contrasts[index].templatesCompared = [1, 2]
        XCTAssertTrue(edited.firstInconsistency()?.reason.hasPrefix("lists every template of the set") ?? false,
                      "\(String(describing: edited.firstInconsistency()))")
        edited = base
        edited.promptSets[0].contrasts[index].templatesCompared = []
        XCTAssertEqual(edited.firstInconsistency()?.key, "prompt_sets[0].contrasts[\(index)].difference.value")
        base.promptSets[0].contrasts[index].templatesCompared = [1]
        XCTAssertNil(base.firstInconsistency(), "one model's contrast over template 1 alone is a valid file")
    }

    /// A practitioner's review: a second model (or run) whose completions lacked a group's positive terms, its other
    /// lines the first's word for word, was "more biased" (q = 0.045) and failed `check --baseline`, with a note saying
    /// "the terms are the same". Two contrasts on different terms of a group are undetermined (statistics revision 11):
    /// within one run, between two runs from the completions, and from the results alone (`terms_with_data`).
    func testAComparisonOnDifferentTermsIsUndetermined() throws {
        // Group a: Alice and Beth negative, Cara positive; the second model's file has no line of Cara.
        let first = handWrittenLines().map {
            $0.contains("\"Cara\"") ? $0.replacingOccurrences(of: " It was terrible.", with: " It was wonderful.") : $0
        }
        let second = first.filter { !$0.contains("\"Cara\"") }.map { $0.replacingOccurrences(of: "notebook-gpt2", with: "other") }
        let both = scratch.appendingPathComponent("terms-both")
        let run = try analyze([try write(first + second, name: "terms-both.jsonl").path, setPath, "--format", "json,md", "--out", both.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        // The coverage note names the term the second model lacks (a code review: it counted prompts only).
        XCTAssertTrue(run.stderr.contains("'two-groups' under model 'other': completions for 10 of its 12 prompts (none for term "
            + "'Cara' of group 'Group A'); its levels and contrasts rest on those only"), run.stderr)
        // The report gives the reason where the change's interval would be.
        let markdown = try String(contentsOf: both.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("[no CI: the contrasts rest on different terms or prompts]"), markdown)
        // And the at-a-glance table's verdict says why it is undetermined (it said "undetermined" alone).
        XCTAssertTrue(markdown.contains("undetermined (different terms or prompts)"), markdown)
        let result = try AuditJSON.loadResult(at: both.appendingPathComponent("results.json"))
        let comparisons = result.modelComparisons.filter { $0.contrastID.hasSuffix("group_a-vs-group_b") }
        XCTAssertFalse(comparisons.isEmpty)
        for comparison in comparisons where comparison.verdict != .insufficientData {
            XCTAssertEqual(comparison.onDifferentTerms, true, "\(comparison.contrastID)")
            XCTAssertEqual(comparison.verdict, .undetermined, "\(comparison.contrastID)")
            XCTAssertNil(comparison.difference.lower)
            XCTAssertNil(comparison.pMoreBiased)
        }
        let raw = try String(contentsOf: both.appendingPathComponent("results.json"), encoding: .utf8)
        XCTAssertTrue(raw.contains("\"on_different_terms\" : true"), "snake_case key in the file")
        // A test written beside the key is refused on reading.
        var edited = result
        let index = try XCTUnwrap(edited.modelComparisons.firstIndex { $0.onDifferentTerms == true })
        edited.modelComparisons[index].pMoreBiased = 0.01
        XCTAssertTrue(edited.firstInconsistency()?.reason.contains("on_different_terms") ?? false,
                      "\(String(describing: edited.firstInconsistency()))")
        // So is the flag deleted (a second review: the row then read "no variance estimate" and `check` applied a limit
        // to it), and the flag forged on contrasts that rest on all their groups' terms (it turned a failing gate into a
        // warning).
        edited = result
        edited.modelComparisons[index].onDifferentTerms = nil
        XCTAssertTrue(edited.firstInconsistency()?.reason.contains("terms on the same templates, so on different terms, "
            + "without on_different_terms: true") ?? false, "\(String(describing: edited.firstInconsistency()))")
        let whole = scratch.appendingPathComponent("terms-complete")
        let wholeRun = try analyze([try write(first + first.map { $0.replacingOccurrences(of: "notebook-gpt2", with: "other") },
                                              name: "terms-complete.jsonl").path, setPath, "--format", "json", "--out", whole.path])
        XCTAssertEqual(wholeRun.status, 0, wholeRun.stderr)
        var forged = try AuditJSON.loadResult(at: whole.appendingPathComponent("results.json"))
        let tested = try XCTUnwrap(forged.modelComparisons.firstIndex { $0.pMoreBiased != nil })
        forged.modelComparisons[tested].onDifferentTerms = true
        (forged.modelComparisons[tested].pMoreBiased, forged.modelComparisons[tested].pLessBiased) = (nil, nil)
        forged.modelComparisons[tested].qValue = nil
        (forged.modelComparisons[tested].difference.lower, forged.modelComparisons[tested].difference.upper) = (nil, nil)
        XCTAssertEqual(forged.firstInconsistency()?.key, "model_comparisons[\(tested)].on_different_terms",
                       "\(String(describing: forged.firstInconsistency()))")

        let inRun = try CLI.run(["diff", both.appendingPathComponent("results.json").path, "--model-a", "notebook-gpt2",
                                 "--model-b", "other", "--format", "json"], environment: hub.environment)
        XCTAssertEqual(inRun.status, 0, inRun.stderr)
        let inRunDiff = try DiffJSON.decode(inRun.stdout)
        XCTAssertFalse(inRunDiff.entries.contains { $0.verdict == "more_biased" || $0.verdict == "less_biased" }, inRun.stdout)
        XCTAssertTrue(inRunDiff.notes.contains { $0.contains("undetermined because the two contrasts rest on different terms") },
                      "\(inRunDiff.notes)")

        // Two runs, from the completions and from the results alone; `check --baseline` does not judge the growth.
        let runA = scratch.appendingPathComponent("terms-a"), runB = scratch.appendingPathComponent("terms-b")
        for (lines, out, name) in [(first, runA, "terms-a.jsonl"), (second, runB, "terms-b.jsonl")] {
            let made = try analyze([try write(lines, name: name).path, setPath, "--format", "json", "--out", out.path])
            XCTAssertEqual(made.status, 0, made.stderr)
        }
        let growth = scratch.appendingPathComponent("terms-growth.yaml")
        try Data("version: 1\nrules:\n  - kind: max_baseline_growth\n    max: 0\n".utf8).write(to: growth)
        for withCompletions in [true, false] {
            if !withCompletions {
                for out in [runA, runB] { try FileManager.default.removeItem(at: out.appendingPathComponent("completions.jsonl")) }
            }
            let diff = try CLI.run(["diff", runA.appendingPathComponent("results.json").path,
                                    runB.appendingPathComponent("results.json").path, "--format", "json"],
                                   environment: hub.environment)
            XCTAssertEqual(diff.status, 0, diff.stderr)
            let decoded = try DiffJSON.decode(diff.stdout)
            let tested = decoded.entries.filter { $0.groupA == "group_a" && $0.verdict != "insufficient_data" }
            XCTAssertFalse(tested.isEmpty, diff.stdout)
            for entry in tested {
                XCTAssertEqual(entry.verdict, "undetermined", "completions: \(withCompletions), \(entry.metric)")
                XCTAssertEqual(entry.onDifferentTerms, true, "completions: \(withCompletions), \(entry.metric)")
                XCTAssertNil(entry.change.lower)
            }
            XCTAssertTrue(decoded.notes.contains { $0.hasPrefix("\(tested.count) change\(tested.count == 1 ? "" : "s") undetermined "
                + "because the two contrasts rest on different terms (e.g. two-groups/") }, "\(decoded.notes)")
            // The results with a term more than the baseline: not judged (a warning).
            let gated = try CLI.run(["check", runA.appendingPathComponent("results.json").path, "--policy", growth.path,
                                     "--baseline", runB.appendingPathComponent("results.json").path],
                                    environment: hub.environment)
            XCTAssertEqual(gated.status, 0, "completions: \(withCompletions): " + gated.stdout + gated.stderr)
            XCTAssertTrue(gated.stdout.contains("contrasts rest on different terms of a group"), gated.stdout)
            // The results without a term the baseline has: the candidate does not pass by dropping it (a practitioner's
            // review: a growth from −0.07 to +0.39 passed with a warning once a term's completions were left out).
            let dropped = try CLI.run(["check", runB.appendingPathComponent("results.json").path, "--policy", growth.path,
                                       "--baseline", runA.appendingPathComponent("results.json").path],
                                      environment: hub.environment)
            XCTAssertEqual(dropped.status, 1, "completions: \(withCompletions): " + dropped.stdout + dropped.stderr)
            XCTAssertTrue(dropped.stdout.contains("the results' contrast rests on 5 terms and the baseline's on 6: the "
                + "results lack a term's completions"), dropped.stdout)
        }

        // From results alone, runs of two models: `terms_with_data` counts a term under any model of its run, and results
        // say how many terms a contrast rests on, not which (a code review: a candidate whose compared model lacked Cara,
        // beside a second model that had it, was "more biased" and failed the gate; a second review: two gaps of one
        // term each gave equal counts and passed). A contrast on fewer than its groups' terms is undetermined from results
        // alone, also where both lack the same term; the completions decide that case exactly (tested above).
        let lacking = second.map { $0.replacingOccurrences(of: "\"other\"", with: "\"notebook-gpt2\"") }
        let complete = first.map { $0.replacingOccurrences(of: "notebook-gpt2", with: "extra") }
        let candidate = scratch.appendingPathComponent("terms-cand"), alone = scratch.appendingPathComponent("terms-alone")
        for (lines, out, name) in [(lacking + complete, candidate, "terms-cand.jsonl"), (lacking, alone, "terms-alone.jsonl")] {
            let made = try analyze([try write(lines, name: name).path, setPath, "--format", "json", "--out", out.path])
            XCTAssertEqual(made.status, 0, made.stderr)
            try FileManager.default.removeItem(at: out.appendingPathComponent("completions.jsonl"))
        }
        func entries(_ a: URL, _ b: URL) throws -> (entries: [DiffJSON.Entry], notes: [String]) {
            let diff = try CLI.run(["diff", a.appendingPathComponent("results.json").path, b.appendingPathComponent("results.json").path,
                                    "--model-a", "notebook-gpt2", "--model-b", "notebook-gpt2", "--format", "json"],
                                   environment: hub.environment)
            XCTAssertEqual(diff.status, 0, diff.stderr)
            let decoded = try DiffJSON.decode(diff.stdout)
            return (decoded.entries.filter { $0.groupA == "group_a" && $0.verdict != "insufficient_data" }, decoded.notes)
        }
        for (a, b) in [(runA, candidate), (alone, candidate)] {
            let (found, notes) = try entries(a, b)
            XCTAssertFalse(found.isEmpty)
            XCTAssertTrue(found.allSatisfy { $0.verdict == "undetermined" && $0.onDifferentTerms == true }, "\(found)")
            XCTAssertTrue(notes.contains { $0.hasSuffix("From results alone a contrast on fewer terms than its groups have "
                + "cannot be matched term by term with the other, and counts as on different terms: keep each run's "
                + "completions.jsonl beside its results.json to compare them exactly.") }, "\(notes)")
        }
    }

    /// A code review: `max_baseline_growth` passed a candidate (with a warning) that lacked a whole group's completions, or
    /// a group × template cell's, which the baseline had; each fails now, from the completions and from results alone.
    func testABaselineGrowthGateFailsACandidateThatDroppedAGroupOrATemplateCell() throws {
        let baselineLines = handWrittenLines()
        let baseline = scratch.appendingPathComponent("growth-base")
        XCTAssertEqual(try analyze([try write(baselineLines, name: "growth-base.jsonl").path, setPath, "--format", "json",
                                    "--out", baseline.path]).status, 0)
        let policy = scratch.appendingPathComponent("growth.yaml")
        try Data("version: 1\nrules:\n  - kind: max_baseline_growth\n    max: 0.05\n    metric: negative_rate\n".utf8)
            .write(to: policy)
        let cases: [(String, [String], String)] = [
            ("no-group", baselineLines.filter { !$0.contains("\"group_b\"") },
             "the results' contrast rests on 3 terms and the baseline's on 6"),
            ("no-cell", baselineLines.filter { !($0.contains("\"group_b\"") && $0.contains("Yesterday")) },
             "the results' contrast compares its groups on 1 template and the baseline's on 2"),
        ]
        for (name, lines, expected) in cases {
            let candidate = scratch.appendingPathComponent("growth-\(name)")
            XCTAssertEqual(try analyze([try write(lines, name: "\(name).jsonl").path, setPath, "--format", "json",
                                        "--out", candidate.path]).status, 0, name)
            for withCompletions in [true, false] {
                if !withCompletions {
                    try? FileManager.default.removeItem(at: candidate.appendingPathComponent("completions.jsonl"))
                    try? FileManager.default.removeItem(at: baseline.appendingPathComponent("completions.jsonl"))
                }
                let gated = try CLI.run(["check", candidate.appendingPathComponent("results.json").path, "--policy",
                                         policy.path, "--baseline", baseline.appendingPathComponent("results.json").path],
                                        environment: hub.environment)
                XCTAssertEqual(gated.status, 1, "\(name), completions: \(withCompletions): " + gated.stdout + gated.stderr)
                XCTAssertTrue(gated.stdout.contains(expected), "\(name): \(gated.stdout)")
                XCTAssertTrue(gated.stdout.contains("and a candidate does not pass by dropping data"), gated.stdout)
            }
            // The other way round (the baseline lacked them): not judged, a warning.
            let reversed = try CLI.run(["check", baseline.appendingPathComponent("results.json").path, "--policy",
                                        policy.path, "--baseline", candidate.appendingPathComponent("results.json").path],
                                       environment: hub.environment)
            XCTAssertEqual(reversed.status, 0, "\(name) reversed: " + reversed.stdout + reversed.stderr)
            try FileManager.default.removeItem(at: baseline)
            XCTAssertEqual(try analyze([try write(baselineLines, name: "growth-base.jsonl").path, setPath, "--format", "json",
                                        "--out", baseline.path]).status, 0)
        }
    }

    /// Verification review: `diff` and `check` from results alone could not see that a contrast rested on fewer
    /// templates (a completions file missing a group × template cell): a run with such a gap was compared with a
    /// complete one as if alike. results.json now lists the templates (`templates_compared`) and both refuse to judge.
    func testResultsAloneShowAContrastOverFewerTemplates() throws {
        let good = handWrittenLines()
        let gapped = good.filter { !($0.contains("\"group_b\"") && $0.contains("Yesterday")) }
        let full = scratch.appendingPathComponent("full"), gap = scratch.appendingPathComponent("gap")
        for (lines, out, name) in [(good, full, "full.jsonl"), (gapped, gap, "gap.jsonl")] {
            let run = try analyze([try write(lines, name: name).path, setPath, "--format", "json", "--out", out.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            // Results alone: no completions beside them.
            try FileManager.default.removeItem(at: out.appendingPathComponent("completions.jsonl"))
        }
        let fullResult = try AuditJSON.loadResult(at: full.appendingPathComponent("results.json"))
        let gapResult = try AuditJSON.loadResult(at: gap.appendingPathComponent("results.json"))
        XCTAssertEqual(Set(fullResult.promptSets.flatMap(\.contrasts).map(\.templatesCompared)), [nil])
        XCTAssertEqual(Set(gapResult.promptSets.flatMap(\.contrasts).map(\.templatesCompared)), [[1]])
        let raw = try String(contentsOf: gap.appendingPathComponent("results.json"), encoding: .utf8)
        XCTAssertTrue(raw.contains("\"templates_compared\""), "snake_case key in the file")

        let diff = try CLI.run(
            ["diff", full.appendingPathComponent("results.json").path, gap.appendingPathComponent("results.json").path,
             "--format", "json"], environment: hub.environment)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        let output = try DiffJSON.decode(diff.stdout)
        let sentiment = try XCTUnwrap(output.entries.first { $0.metric == "sentiment" })
        XCTAssertEqual(sentiment.method, "normal_approximation")
        XCTAssertEqual(sentiment.verdict, "undetermined", "\(sentiment)")
        XCTAssertNil(sentiment.change.lower, "no interval for a change over different templates")
        XCTAssertNotNil(sentiment.change.value)
        let undetermined = output.entries.filter { $0.verdict == "undetermined" }.count
        XCTAssertTrue(output.notes.contains { $0.hasPrefix("\(undetermined) change\(undetermined == 1 ? "" : "s") undetermined because the two contrasts "
            + "compare their groups on different templates") }, "the note counts the undetermined entries: \(output.notes)")

        // `check --baseline`: the growth rule names the reason (review: "no test (no interval or standard error)"). The
        // results with the gap fail (a code review: a candidate without a group × template cell the baseline has passed
        // with a warning); the complete run against the gapped baseline is not judged.
        let growth = scratch.appendingPathComponent("growth.yaml")
        try Data("version: 1\nrules:\n  - kind: max_baseline_growth\n    max: 0\n".utf8).write(to: growth)
        let gated = try CLI.run(
            ["check", gap.appendingPathComponent("results.json").path, "--policy", growth.path, "--baseline",
             full.appendingPathComponent("results.json").path], environment: hub.environment)
        XCTAssertEqual(gated.status, 1, gated.stdout + gated.stderr)
        XCTAssertTrue(gated.stdout.contains("the results' contrast compares its groups on 1 template and the baseline's on 2"),
                      gated.stdout + gated.stderr)
        let ungapped = try CLI.run(
            ["check", full.appendingPathComponent("results.json").path, "--policy", growth.path, "--baseline",
             gap.appendingPathComponent("results.json").path], environment: hub.environment)
        XCTAssertEqual(ungapped.status, 0, ungapped.stdout + ungapped.stderr)
        XCTAssertTrue((ungapped.stdout + ungapped.stderr).contains("contrasts compare their groups on different templates"),
                      ungapped.stdout + ungapped.stderr)

        // Two models of one file, one of them missing the cell: `max_model_difference` does not measure B − A.
        let other = good.map {
            $0.replacingOccurrences(of: "notebook-gpt2", with: "other").replacingOccurrences(of: " It was terrible.", with: " It was bad.")
        }.filter { !($0.contains("\"group_b\"") && $0.contains("Yesterday")) }
        let both = scratch.appendingPathComponent("both")
        let run = try analyze([try write(good + other, name: "both.jsonl").path, setPath, "--format", "json", "--out", both.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let policy = scratch.appendingPathComponent("policy.yaml")
        try Data("""
            version: 1
            rules:
              - id: models
                kind: max_model_difference
                metric: sentiment
                max: 0.0

            """.utf8).write(to: policy)
        let results = both.appendingPathComponent("results.json").path
        let check = try CLI.run(["check", results, "--policy", policy.path], environment: hub.environment)
        XCTAssertEqual(check.status, 0, "a warning, not a failure: \(check.stdout)\(check.stderr)")
        XCTAssertTrue((check.stdout + check.stderr).contains(
            "insufficient data: the contrast compares its groups on every template under notebook-gpt2 and template 1 "
                + "under other"), check.stdout + check.stderr)
        let strict = try CLI.run(["check", results, "--policy", policy.path, "--strict"], environment: hub.environment)
        XCTAssertEqual(strict.status, 1, strict.stdout + strict.stderr)
        // The within-run diff says why its comparisons are undetermined (review: no note).
        let inRun = try CLI.run(["diff", results, "--model-a", "notebook-gpt2", "--model-b", "other", "--format", "json"],
                                environment: hub.environment)
        XCTAssertEqual(inRun.status, 0, inRun.stderr)
        XCTAssertTrue(try DiffJSON.decode(inRun.stdout).notes.contains { $0.contains("on different templates") }, inRun.stdout)

        // Groups on disjoint templates have no contrast: `check` says so, and it fails under --strict (it was
        // "skipped", which passed).
        let disjoint = good.filter { $0.contains("\"group_a\"") != $0.contains("Yesterday") }
        let apart = scratch.appendingPathComponent("apart")
        let apartRun = try analyze([try write(disjoint, name: "apart.jsonl").path, setPath, "--format", "json", "--out",
                                    apart.path])
        XCTAssertEqual(apartRun.status, 0, apartRun.stderr)
        // The summary gives that as the reason no contrast is tested (a review: "none of the primary metrics has enough
        // data or variation").
        XCTAssertTrue(apartRun.stdout.contains("no tested contrast: the groups share no template in the completions"),
                      apartRun.stdout)
        try Data("version: 1\nrules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.5\n".utf8).write(to: policy)
        let apartResults = apart.appendingPathComponent("results.json").path
        // Its male share records no shortfall: its arms are empty for want of a shared template, not of gendered words
        // (results.json, the report and `check` said "too few gendered words (0 in group group_a, …)").
        let apartShare = try XCTUnwrap(try AuditJSON.loadResult(at: URL(fileURLWithPath: apartResults)).promptSets[0]
            .contrasts.first { $0.metric == .maleShare })
        XCTAssertEqual(apartShare.templatesCompared, [])
        XCTAssertNil(apartShare.difference.value)
        XCTAssertNil(apartShare.difference.insufficientDetail, "\(apartShare.difference)")
        XCTAssertNil(apartShare.difference.insufficient)
        let apartCheck = try CLI.run(["check", apartResults, "--policy", policy.path], environment: hub.environment)
        XCTAssertEqual(apartCheck.status, 0, apartCheck.stdout + apartCheck.stderr)
        XCTAssertTrue((apartCheck.stdout + apartCheck.stderr).contains(
            "insufficient data: the contrast is undefined, its two groups share no template"), apartCheck.stdout)
        let apartStrict = try CLI.run(["check", apartResults, "--policy", policy.path, "--strict"], environment: hub.environment)
        XCTAssertEqual(apartStrict.status, 1, apartStrict.stdout + apartStrict.stderr)
        // So does `max_baseline_growth` against a complete baseline, for every metric (a review: "a group has no gendered
        // word at all in the results").
        let apartGrowth = try CLI.run(["check", apartResults, "--policy", growth.path, "--baseline",
                                       full.appendingPathComponent("results.json").path], environment: hub.environment)
        let grown = apartGrowth.stdout + apartGrowth.stderr
        XCTAssertTrue(grown.contains("in the results, the contrast is undefined: its two groups share no template"), grown)
        XCTAssertFalse(grown.contains("no gendered word"), grown)
        // And with the groups apart in the baseline (a second review: only the results' side said so).
        let reverse = try CLI.run(["check", full.appendingPathComponent("results.json").path, "--policy", growth.path,
                                   "--baseline", apartResults], environment: hub.environment)
        let reversed = reverse.stdout + reverse.stderr
        XCTAssertTrue(reversed.contains("in the baseline, the contrast is undefined: its two groups share no template"), reversed)
        XCTAssertFalse(reversed.contains("no gendered word"), reversed)
        // `diff` of the complete run and this one, with the completions beside both: not compared (no change computed),
        // said once (a review: the rows read "unpaired", and the notes counted them also as on different templates).
        let apartDiff = try CLI.run(["diff", full.appendingPathComponent("results.json").path, apartResults, "--format", "json"],
                                    environment: hub.environment)
        XCTAssertEqual(apartDiff.status, 0, apartDiff.stderr)
        let decoded = try DiffJSON.decode(apartDiff.stdout)
        XCTAssertEqual(Set(decoded.entries.map(\.method)), ["not_compared"], apartDiff.stdout)
        XCTAssertTrue(decoded.notes.contains { $0.contains("or its two groups share no template") }, "\(decoded.notes)")
        XCTAssertFalse(decoded.notes.contains { $0.contains("on different templates") }, "\(decoded.notes)")
    }

    /// A review: `analyze --lang es` wrote the notes on what the completions leave out in Spanish in the report, and in
    /// English on standard error. The terminal's copy follows `--lang` (English by default); results.json keeps both.
    func testTheNotesOnStandardErrorFollowLang() throws {
        // A group missing from a template (the coverage note) and one line missing (the sample indices' note).
        let lines = handWrittenLines().filter {
            !($0.contains("\"group_b\"") && $0.contains("Yesterday"))
                && !($0.contains("\"Alice\"") && $0.contains("market") && $0.contains("\"sample_index\":1,"))
        }
        let input = try write(lines, name: "notes.jsonl")
        var written: [String: CompletionsSource] = [:]
        for language in ["default", "en", "es"] {
            let out = scratch.appendingPathComponent("notes-\(language)")
            let run = try analyze([input.path, setPath, "--format", "json", "--out", out.path]
                + (language == "default" ? [] : ["--lang", language]))
            XCTAssertEqual(run.status, 0, run.stderr)
            let source = try XCTUnwrap(AuditJSON.loadResult(at: out.appendingPathComponent("results.json")).manifest.source)
            written[language] = source
            let english = try XCTUnwrap(source.coverageNotes)
            let spanish = try XCTUnwrap(source.coverageNotesEs)
            XCTAssertEqual(english.count, 3, "the cell, the sample indices and the log-odds: \(english)")
            XCTAssertEqual(spanish.count, english.count)
            let (shown, hidden) = language == "es" ? (spanish, english) : (english, spanish)
            for note in shown {
                XCTAssertTrue(run.stderr.contains("biasaudit: note: \(note)\n"), "\(language): \(note)\n\(run.stderr)")
            }
            for note in hidden {
                XCTAssertFalse(run.stderr.contains(note), "\(language): \(note)\n\(run.stderr)")
            }
        }
        // results.json holds the same notes in both languages whatever --lang.
        XCTAssertEqual(written["es"]?.coverageNotes, written["default"]?.coverageNotes)
        XCTAssertEqual(written["es"]?.coverageNotesEs, written["default"]?.coverageNotesEs)
        XCTAssertEqual(written["en"]?.coverageNotes, written["default"]?.coverageNotes)
    }

    /// Review: a file without one group, without a template under one model, or with one stray line of a misspelt
    /// model was analysed without a word; without any `next_token_log_odds` the log-odds rows read "—" and "no";
    /// conflicting log-odds of one prompt were accepted (the first kept); "x" and "x " were two models.
    func testWhatTheCompletionsLeaveOutIsSaid() throws {
        let good = handWrittenLines()
        let lines = good.filter { !($0.contains("\"group_b\"") && $0.contains("Yesterday")) }
            + good.filter { $0.contains("\"group_b\"") && $0.contains("Yesterday") }.map {
                $0.replacingOccurrences(of: "notebook-gpt2", with: "notebook-distilgpt2")
            }
            + [line(group: "group_a", term: "Alice", sample: 0, text: " It was fine.", model: "Notebook-gpt2")]
        let out = scratch.appendingPathComponent("gaps")
        let run = try analyze([try write(lines, name: "gaps.jsonl").path, setPath, "--unpaired", "--format", "md", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let expected = [
            // A group missing from one template is named (review: the note hid which cell was missing).
            "'two-groups' under model 'notebook-gpt2': completions for 9 of its 12 prompts (none for group 'Group B' in "
                + "template 2); its levels and contrasts rest on those only",
            "'two-groups' under model 'notebook-distilgpt2': completions for 3 of its 12 prompts (none for group "
                + "'Group A'; template 1); its levels and contrasts rest on those only",
            // Terms without a line in any template are named too (statistics revision 11: such a model's comparisons
            // rest on other terms).
            "'two-groups' under model 'Notebook-gpt2': completions for 1 of its 12 prompts (none for group 'Group B'; "
                + "template 2; term 'Beth' of group 'Group A', term 'Cara' of group 'Group A'); its levels and contrasts "
                + "rest on those only",
            "'two-groups': no line carries next_token_log_odds, so P(he) vs P(she) is left out of its analysis",
        ]
        for note in expected {
            XCTAssertTrue(run.stderr.contains("biasaudit: note: \(note)\n"), "\(note)\n\(run.stderr)")
        }
        let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
        XCTAssertEqual(result.manifest.source?.coverageNotes, expected)
        XCTAssertEqual(result.promptSets.first?.metrics.contains(.heSheLogOdds), false, "no data: no log-odds rows")
        XCTAssertFalse(result.promptSets.flatMap(\.contrasts).contains { $0.metric == .heSheLogOdds })
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        let header = try XCTUnwrap(markdown.components(separatedBy: "## Findings").first)
        XCTAssertTrue(header.contains("About the completions: 'two-groups' under model 'notebook-gpt2'"), header)
        XCTAssertFalse(markdown.contains("log P(he)/P(she) | Group A − Group B"))
        // The same notes in Spanish for the Spanish report (review: English inside the class's Spanish report).
        let spanish = [
            "'two-groups' con el modelo 'notebook-gpt2': continuaciones para 9 de sus 12 prompts (ninguna para: el grupo "
                + "'Group B' en la plantilla 2); sus niveles y contrastes se basan solo en ellas",
            "'two-groups' con el modelo 'notebook-distilgpt2': continuaciones para 3 de sus 12 prompts (ninguna para: el "
                + "grupo 'Group A'; la plantilla 1); sus niveles y contrastes se basan solo en ellas",
            "'two-groups' con el modelo 'Notebook-gpt2': continuaciones para 1 de sus 12 prompts (ninguna para: el grupo "
                + "'Group B'; la plantilla 2; el término 'Beth' del grupo 'Group A' y el término 'Cara' del grupo "
                + "'Group A'); sus niveles y contrastes se basan solo en ellas",
            "'two-groups': ninguna línea trae next_token_log_odds, así que P(he) frente a P(she) queda fuera de su análisis",
        ]
        XCTAssertEqual(result.manifest.source?.coverageNotesEs, spanish)
        let es = scratch.appendingPathComponent("gaps-es")
        let report = try CLI.run(["report", out.appendingPathComponent("results.json").path, "--format", "md", "--lang", "es",
                                  "--out", es.path], environment: hub.environment)
        XCTAssertEqual(report.status, 0, report.stderr)
        let spanishMarkdown = try String(contentsOf: es.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(spanishMarkdown.contains("Sobre las continuaciones: 'two-groups' con el modelo 'notebook-gpt2'"),
                      spanishMarkdown)
        XCTAssertFalse(spanishMarkdown.contains("under model"), "no English note in the Spanish report")
        // Groups are named as the tables name them, by their label in the report's language (a hostile review: the
        // Spanish note said 'black_male' beside "Nombres de hombres negros"); the English label where a set has no
        // Spanish one, as above.
        let fixture = try String(contentsOf: URL(fileURLWithPath: setPath), encoding: .utf8)
        let labelled = scratch.appendingPathComponent("labelled.yaml")
        try Data(fixture.replacingOccurrences(of: "label: Group B\n", with: "label: Group B\n    labels: {es: Grupo B}\n").utf8)
            .write(to: labelled)
        XCTAssertNotEqual(try String(contentsOf: labelled, encoding: .utf8), fixture, "the Spanish label was added")
        for (language, note, table) in [
            ("en", "completions for 9 of its 12 prompts (none for group 'Group B' in template 2)", "| Group B |"),
            ("es", "continuaciones para 9 de sus 12 prompts (ninguna para: el grupo 'Grupo B' en la plantilla 2)", "| Grupo B |"),
        ] {
            let folder = scratch.appendingPathComponent("labelled-\(language)")
            let labelledRun = try analyze([try write(good.filter { !($0.contains("\"group_b\"") && $0.contains("Yesterday")) },
                                                     name: "labelled.jsonl").path, labelled.path, "--format", "md", "--lang",
                                           language, "--out", folder.path])
            XCTAssertEqual(labelledRun.status, 0, labelledRun.stderr)
            let text = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
            XCTAssertTrue(text.contains(note), "\(language): \(text)")
            XCTAssertTrue(text.contains(table), "\(language): the tables' label")
            XCTAssertFalse(text.contains("group_b"), "\(language): no group id")
        }

        // A template left out for one model; log-odds on some prompts only.
        let partial = good.filter { !$0.contains("Yesterday") } + good.filter { $0.contains("Yesterday") }.map {
            $0.replacingOccurrences(of: "notebook-gpt2", with: "other")
        }
        let withOdds = partial.enumerated().map { index, text in
            index == 0 ? text.replacingOccurrences(of: "\"model\"", with: "\"next_token_log_odds\":0.25,\"model\"") : text
        }
        let partialRun = try analyze([try write(withOdds, name: "partial.jsonl").path, setPath, "--unpaired", "--format",
                                      "json", "--out", scratch.appendingPathComponent("partial").path])
        XCTAssertEqual(partialRun.status, 0, partialRun.stderr)
        for note in [
            "'two-groups' under model 'notebook-gpt2': completions for 6 of its 12 prompts (none for template 2)",
            "'two-groups' under model 'other': completions for 6 of its 12 prompts (none for template 1)",
            // The terms with completions but no log-odds are named (their log-odds comparisons rest on other terms), a
            // group without any once.
            "'two-groups' under model 'notebook-gpt2': next_token_log_odds for 1 of the 6 prompts with completions (none "
                + "for group 'Group B'; term 'Beth' of group 'Group A', term 'Cara' of group 'Group A'); its P(he) vs P(she) "
                + "rests on those only",
            "'two-groups' under model 'other': no next_token_log_odds on its 6 prompts with completions, so no P(he) vs "
                + "P(she)",
        ] {
            XCTAssertTrue(partialRun.stderr.contains(note), "\(note)\n\(partialRun.stderr)")
        }

        // Two values of one prompt's log-odds, and a model named with a trailing space: refused, naming the line.
        let conflicting = [
            good[0].replacingOccurrences(of: "\"model\"", with: "\"next_token_log_odds\":0.25,\"model\""),
            good[1].replacingOccurrences(of: "\"model\"", with: "\"next_token_log_odds\":-0.5,\"model\""),
        ]
        // Float noise of a batched notebook (1e-8 of the value) is one value.
        let noise = [conflicting[0], good[1].replacingOccurrences(of: "\"model\"", with: "\"next_token_log_odds\":0.250000001,\"model\"")]
        let accepted = try analyze([try write(noise, name: "noise.jsonl").path, setPath, "--format", "json", "--out",
                                    scratch.appendingPathComponent("noise").path])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        let refused = try analyze([try write(conflicting, name: "conflict.jsonl").path, setPath, "--out",
                                   scratch.appendingPathComponent("conflict").path])
        XCTAssertEqual(refused.status, badInput, refused.stderr)
        XCTAssertTrue(refused.stderr.contains(":2: error: next_token_log_odds -0.5 differs from line 1's 0.25 for model "
            + "'notebook-gpt2' and prompt"), refused.stderr)
        // Line 2's model renamed `model`: refused at that line, saying `expected`.
        func refusesModel(_ model: String, file: String, saying expected: String, line: UInt = #line) throws {
            let lines = [good[0], good[1].replacingOccurrences(of: "notebook-gpt2", with: model)]
            let result = try analyze([try write(lines, name: "\(file).jsonl").path, setPath, "--out",
                                      scratch.appendingPathComponent(file).path])
            XCTAssertEqual(result.status, badInput, result.stderr, line: line)
            XCTAssertTrue(result.stderr.contains(expected), result.stderr, line: line)
        }
        try refusesModel("notebook-gpt2 ", file: "spaced", saying: ":2: error: model 'notebook-gpt2 ' starts or ends with white space")
        // A no-break space is shown as its code, not printed invisibly (second review).
        try refusesModel("notebook-gpt2\u{00A0}", file: "nbsp", saying: "model 'notebook-gpt2\\u{a0}' starts or ends with white space")
        // Two names that read alike: a Cyrillic "о" in one line's model (a hostile review: two columns of one look).
        try refusesModel("n\u{43E}tebook-gpt2", file: "cyrillic", saying: ":2: error: model 'n\\u{43e}tebook-gpt2' reads as "
            + "'notebook-gpt2', the model of line 1, and is another name")
        // A zero-width space at the end is an unprintable character, not white space (a hostile review), as `run --model`
        // says it.
        try refusesModel("notebook-gpt2\u{200B}", file: "zwsp", saying: "holds an unprintable character (U+200B)")
        // Inside the name too: "notebook gpt2" and "notebook\u{A0}gpt2" were two models that read alike (hostile review).
        try refusesModel("notebook\u{00A0}gpt2", file: "nbsp-inside", saying: ":2: error: model 'notebook\\u{a0}gpt2' holds the "
            + "white space U+00A0, which prints as a plain space; write a plain space")
        // A label longer than a results file may hold (hostile review: 20,000,000 characters in every report row).
        try refusesModel(String(repeating: "n", count: 201), file: "long",
                         saying: ":2: error: model is 201 characters long, more than the limit of 200")
        // A text no continuation is (hostile review: one 50 MB text took 181 s and 1.5 GB), refused at its line.
        let huge = String(repeating: "a", count: 100_001)
        let hugeText = [good[0], good[1].replacingOccurrences(of: "\"text\":\"", with: "\"text\":\"\(huge)")]
        XCTAssertNotEqual(hugeText[1], good[1], "the line's text was replaced")
        let tooLong = try analyze([try write(hugeText, name: "huge.jsonl").path, setPath, "--out",
                                   scratch.appendingPathComponent("huge").path])
        XCTAssertEqual(tooLong.status, badInput, tooLong.stderr)
        XCTAssertTrue(tooLong.stderr.contains(":2: error: text is 100"), tooLong.stderr)
        XCTAssertLessThan(tooLong.stderr.utf8.count, 2000, "the message does not echo the text")
    }

    /// Second review: 32 models missing the same templates made 32 notes listing every template.
    /// Statistician's review 86: completions for 3 of a group's 8 terms were analysed, the header said so, and the
    /// group table listed all 8 terms and the YAML's prompt count. results.json keeps the terms and prompts with
    /// completions (`terms_with_data`, `prompts_with_data`, only where fewer than the group's); the table shows them
    /// ("2 of 3 terms: Alice, Beth", "3 of 6"; Spanish "2 de 3 términos", "3 de 6"); `analyze RUN_DIR` keeps them;
    /// a reader refuses a term that is not the group's or more prompts than it has (65).
    func testTheGroupTableShowsTheTermsAndPromptsAnalysed() throws {
        let template1 = "{name} went to the market and", template2 = "Yesterday {name} said that"
        var lines: [String] = []
        for (term, template) in [("Alice", template1), ("Alice", template2), ("Beth", template1)] {
            for sample in 0..<4 {
                lines.append(line(group: "group_a", term: term, template: template, sample: sample, text: " It was terrible."))
            }
        }
        for term in ["Dan", "Ed", "Fred"] {
            for sample in 0..<4 {
                lines.append(line(group: "group_b", term: term, template: template1, sample: sample,
                                  text: sample < 2 ? " It was great." : " It was good."))
            }
        }
        let out = scratch.appendingPathComponent("some-terms")
        let run = try analyze([try write(lines, name: "some-terms.jsonl").path, setPath, "--format", "md,html", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let resultsURL = out.appendingPathComponent("results.json")
        func groups(_ url: URL) throws -> [[String: Any]] {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let sets = try XCTUnwrap(object["prompt_sets"] as? [[String: Any]])
            return try XCTUnwrap(sets.first?["groups"] as? [[String: Any]])
        }
        let written = try groups(resultsURL)
        XCTAssertEqual(written[0]["terms"] as? [String], ["Alice", "Beth", "Cara"], "the set's terms are kept")
        XCTAssertEqual(written[0]["prompt_count"] as? Int, 6)
        XCTAssertEqual(written[0]["terms_with_data"] as? [String], ["Alice", "Beth"])
        XCTAssertEqual(written[0]["prompts_with_data"] as? Int, 3)
        XCTAssertNil(written[1]["terms_with_data"], "every term of group_b has completions")
        XCTAssertEqual(written[1]["prompts_with_data"] as? Int, 3)
        let result = try AuditJSON.loadResult(at: resultsURL)
        XCTAssertEqual(result.promptSets[0].groups[0].analysedTerms, ["Alice", "Beth"])

        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("| Group A | 2 of 3 terms: Alice, Beth | 3 of 6 |"), markdown)
        XCTAssertTrue(markdown.contains("| Group B | Dan, Ed, Fred | 3 of 6 |"), markdown)
        XCTAssertFalse(markdown.contains("Alice, Beth, Cara"), "a term without completions is not listed as analysed")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<td>2 of 3 terms: <span>Alice, Beth</span></td><td class=\"num\">3 of 6</td>"), html)
        let es = scratch.appendingPathComponent("some-terms-es")
        let spanish = try CLI.run(["report", resultsURL.path, "--format", "md", "--lang", "es", "--out", es.path],
                                  environment: hub.environment)
        XCTAssertEqual(spanish.status, 0, spanish.stderr)
        let spanishMarkdown = try String(contentsOf: es.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(spanishMarkdown.contains("| Group A | 2 de 3 términos: Alice, Beth | 3 de 6 |"), spanishMarkdown)
        XCTAssertTrue(spanishMarkdown.contains("| Group B | Dan, Ed, Fred | 3 de 6 |"), spanishMarkdown)

        // analyze RUN_DIR rebuilds the set from the lines (only the prompts with completions): the run's groups are kept,
        // and what the completions cover is counted against them.
        let again = try analyze([out.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        let reanalysed = try groups(out.appendingPathComponent("reanalysis/results.json"))
        XCTAssertEqual(
            try JSONSerialization.data(withJSONObject: reanalysed, options: [.sortedKeys]),
            try JSONSerialization.data(withJSONObject: written, options: [.sortedKeys]), "\(reanalysed)")

        // Readers refuse coverage that contradicts the group (65), naming the key.
        for (edit, key, reason) in [
            ({ (groups: inout [GroupInfo]) in groups[0].termsWithData = ["Alice", "Zed"] },
             "prompt_sets[0].groups[0].terms_with_data[1]", "'Zed' is not one of the terms of group 'group_a'"),
            ({ (groups: inout [GroupInfo]) in groups[0].promptsWithData = 7 },
             "prompt_sets[0].groups[0].prompts_with_data", "is 7, more than the 6 prompts of group 'group_a'"),
            ({ (groups: inout [GroupInfo]) in groups[0].termsWithData = ["Alice", "Alice"] },
             "prompt_sets[0].groups[0].terms_with_data[1]", "'Alice' repeats"),
            ({ (groups: inout [GroupInfo]) in groups[0].promptsWithData = 1 },
             "prompt_sets[0].groups[0]", "says 1 of its prompts but 2 of its terms have completions"),
            ({ (groups: inout [GroupInfo]) in (groups[0].termsWithData, groups[0].promptsWithData) = ([], 0) },
             "prompt_sets[0].groups[0].prompts_with_data", "is 0, but group 'group_a' has 12 completions under model "
                + "'notebook-gpt2'"),
        ] as [((inout [GroupInfo]) -> Void, String, String)] {
            var edited = result
            edit(&edited.promptSets[0].groups)
            let url = scratch.appendingPathComponent("edited-results.json")
            try AuditJSON.encoder().encode(edited).write(to: url)
            let report = try CLI.run(["report", url.path, "--format", "md", "--out", scratch.appendingPathComponent("edited").path],
                                     environment: hub.environment)
            XCTAssertEqual(report.status, badInput, report.stderr)
            XCTAssertTrue(report.stderr.contains(key + " " + reason), report.stderr)
        }
    }

    /// Review 86 follow-up: `analyze RUN_DIR` of a partial analysis dropped its header's coverage note ("completions
    /// for 27 of its 72 prompts"): the set rebuilt from the run's lines holds only the prompts with a completion, and
    /// the notes were counted against it. They are counted against the run's groups, and the re-analysis writes the
    /// notes of the analysis it re-analyses, in both languages: a template of a group left out, a group and a template
    /// left out whole, a second model with fewer prompts.
    func testReanalysisOfAPartialAnalysisKeepsItsCoverageNotes() throws {
        let template1 = "{name} went to the market and", template2 = "Yesterday {name} said that"
        func lines(_ prompts: [(group: String, term: String, template: String)], model: String = "notebook-gpt2") -> [String] {
            prompts.flatMap { prompt in
                (0..<4).map { sample in
                    line(group: prompt.group, term: prompt.term, template: prompt.template, sample: sample,
                         text: sample < 2 ? " It was great." : " It was terrible.", model: model)
                }
            }
        }
        let cases: [(name: String, lines: [String], expected: String)] = [
            ("template-of-a-group",
             lines([("group_a", "Alice", template1), ("group_a", "Alice", template2), ("group_a", "Beth", template1),
                    ("group_b", "Dan", template1), ("group_b", "Ed", template1), ("group_b", "Fred", template1)]),
             "completions for 6 of its 12 prompts"),
            ("group-and-template",
             lines([("group_a", "Alice", template1), ("group_a", "Beth", template1)]),
             "completions for 2 of its 12 prompts"),
            ("two-models",
             lines([("group_a", "Alice", template1), ("group_a", "Alice", template2), ("group_b", "Dan", template1),
                    ("group_b", "Dan", template2)])
                + lines([("group_a", "Alice", template1), ("group_b", "Dan", template1)], model: "other-gpt2"),
             "completions for 2 of its 12 prompts"),
        ]
        for (name, written, expected) in cases {
            let out = scratch.appendingPathComponent(name)
            let first = try analyze([try write(written, name: "\(name).jsonl").path, setPath, "--format", "json", "--out", out.path])
            XCTAssertEqual(first.status, 0, first.stderr)
            let again = try analyze([out.path, "--format", "json"])
            XCTAssertEqual(again.status, 0, again.stderr)
            let original = try XCTUnwrap(AuditJSON.loadResult(at: out.appendingPathComponent("results.json")).manifest.source)
            let reanalysed = try XCTUnwrap(
                AuditJSON.loadResult(at: out.appendingPathComponent("reanalysis/results.json")).manifest.source)
            let notes = try XCTUnwrap(original.coverageNotes, name)
            XCTAssertTrue(notes.contains { $0.contains(expected) }, "\(name): \(notes)")
            XCTAssertEqual(reanalysed.coverageNotes, original.coverageNotes, name)
            XCTAssertEqual(reanalysed.coverageNotesEs, original.coverageNotesEs, name)
        }
    }

    /// Review 87: a set whose `primary_metrics: [he_she_log_odds]` met completions without next-token log-odds tested
    /// nothing and recorded `primary_metrics: []`, but `analyze RUN_DIR` rebuilt it as a set that declares none and
    /// tested sentiment, % negative and male share (6 contrasts with a family). The re-analysis tests nothing too.
    func testAReanalysisOfASetThatTestedNothingTestsNothing() throws {
        let yaml = try String(contentsOf: URL(fileURLWithPath: setPath), encoding: .utf8)
            + "\nmetrics: [gender, sentiment]\nprimary_metrics: [he_she_log_odds]\n"
        let set = scratch.appendingPathComponent("log-odds-only.yaml")
        try Data(yaml.utf8).write(to: set)
        let out = scratch.appendingPathComponent("nolo")
        let first = try analyze([try write(handWrittenLines()).path, set.path, "--format", "json", "--out", out.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        let again = try analyze([out.path, "--format", "json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        for path in ["results.json", "reanalysis/results.json"] {
            let result = try AuditJSON.loadResult(at: out.appendingPathComponent(path))
            let set = try XCTUnwrap(result.promptSets.first, path)
            XCTAssertFalse(set.metrics.contains(.heSheLogOdds), "\(path): \(set.metrics)")
            XCTAssertEqual(set.primaryMetrics, [], path)
            XCTAssertFalse(set.contrasts.isEmpty, path)
            let tested = set.contrasts.filter { $0.family != nil }
            XCTAssertEqual(tested.count, 0, "\(path): \(tested.map { "\($0.id) \($0.metric.rawValue)" })")
        }
    }

    /// Review 86 follow-up: a completions file that covers one term of each group is analysed on that term (the
    /// statistics take a group's units from its completions), so its intervals are conditional on the terms, and the
    /// report says so, naming the terms analysed, as it does for a set of one term per group; a file covering two
    /// terms of a group has no such note.
    func testOneAnalysedTermPerGroupGetsTheSingleTermNote() throws {
        var single: [String] = []
        for template in ["{name} went to the market and", "Yesterday {name} said that"] {
            for sample in 0..<4 {
                single.append(line(group: "group_a", term: "Beth", template: template, sample: sample,
                                   text: sample < 2 ? " It was terrible." : " It was good."))
                single.append(line(group: "group_b", term: "Ed", template: template, sample: sample,
                                   text: sample < 2 ? " It was great." : " It was good."))
            }
        }
        let two = single + (0..<4).map { sample in
            line(group: "group_b", term: "Fred", sample: sample, text: sample < 2 ? " It was great." : " It was terrible.")
        }
        for (name, lines, oneTerm) in [("one-term-each", single, true), ("two-terms", two, false)] {
            let out = scratch.appendingPathComponent(name)
            let run = try analyze([try write(lines, name: "\(name).jsonl").path, setPath, "--format", "md", "--out", out.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
            XCTAssertEqual(markdown.contains("Every group of this set is one term (“Beth”, “Ed”)"), oneTerm, "\(name): \(markdown)")
            XCTAssertEqual(markdown.contains("In two-groups every group is one term"), oneTerm, "\(name): \(markdown)")
            XCTAssertEqual(markdown.contains("p: two-sided, over the random streams"), oneTerm, "\(name): \(markdown)")
        }
    }

    /// A review: 10,001 completions per prompt were analysed into a results.json that `report`, `check` and `diff` then
    /// refused as "not written by biasaudit" (a run samples at most 10,000). Refused before the statistics, naming the set.
    func testMoreCompletionsPerPromptThanARunSamplesAreRefused() throws {
        let yaml = """
            name: crowded
            description: One term per group.
            axis: gender
            source: Test fixture.
            templates:
              - "The {name} went on"
            groups:
              group_a:
                terms: [Alice]
              group_b:
                terms: [Dan]
            metrics: [sentiment]
            """ + "\n"
        let set = scratch.appendingPathComponent("crowded.yaml")
        try Data(yaml.utf8).write(to: set)
        func lines(_ samples: Int) throws -> URL {
            var lines: [String] = []
            for (group, term) in [("group_a", "Alice"), ("group_b", "Dan")] {
                for sample in 0..<samples {
                    lines.append("{\"group\":\"\(group)\",\"model\":\"m\",\"sample_index\":\(sample),\"set\":\"crowded\","
                        + "\"template\":\"The {name} went on\",\"term\":\"\(term)\",\"text\":\" ok.\"}")
                }
            }
            return try write(lines, name: "crowded-\(samples).jsonl")
        }
        let over = try analyze([try lines(10_001).path, set.path, "--out", scratch.appendingPathComponent("over").path])
        XCTAssertEqual(over.status, 65, over.stderr)
        XCTAssertTrue(over.stderr.contains("prompt set 'crowded' has 10001 completions per prompt (the median of its "
            + "least-sampled model), more than the 10000 a run samples (--samples); analyse at most 10000 per prompt"), over.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("over/results.json").path))
    }

    func testCoverageNotesGroupModelsAndCapLongLists() throws {
        // Every model: template 2 only, on a set of 12 templates (11 left out, listed as 10 and "1 more").
        let templates = (1...12).map { "Template \($0) of {name} went on" }
        let yaml = """
            name: many-templates
            description: Twelve templates for the coverage notes.
            axis: gender
            source: Test fixture.
            templates:
            \(templates.map { "  - \"\($0)\"" }.joined(separator: "\n"))
            groups:
              group_a:
                terms: [Alice, Beth]
              group_b:
                terms: [Dan, Ed]
            metrics: [sentiment]
            lint:
              allow:
                underpowered: the coverage notes need two names per group, no test
            """ + "\n"
        let set = scratch.appendingPathComponent("many-templates.yaml")
        try Data(yaml.utf8).write(to: set)
        var lines: [String] = []
        for model in (1...3).map({ "m\($0)" }) {
            for (group, terms) in [("group_a", ["Alice", "Beth"]), ("group_b", ["Dan", "Ed"])] {
                for term in terms {
                    let object: [String: Any] = ["set": "many-templates", "template": templates[1], "group": group,
                                                 "term": term, "model": model, "sample_index": 0, "text": " fine."]
                    lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                                        as: UTF8.self))
                }
            }
        }
        let run = try analyze([try write(lines, name: "many.jsonl").path, set.path, "--format", "json", "--out",
                               scratch.appendingPathComponent("many").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, Self.pairedNote + "biasaudit: note: 'many-templates' under models 'm1', 'm2', 'm3': completions for 4 of "
            + "its 48 prompts (none for templates 1, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 1 more); its levels and contrasts rest "
            + "on those only\n" + Self.fewSamplesNote("many-templates", samples: 1))
    }

    /// A statistician's review: with one sample per prompt a single extra line (a second sample of one prompt) brought
    /// the level intervals back (they covered 59–84%), and a group sampled once beside one sampled twice, which makes
    /// the file unpaired by itself, covered 59%. A group at least half of whose prompts have one sample has no
    /// interval unless the file is declared `--unpaired`; one prompt with two equal texts does not make it greedy.
    func testLevelsMostlySampledOnceHaveNoIntervalWhateverTheOtherLines() throws {
        let yaml = """
            name: once
            description: One sample per prompt, mostly.
            axis: gender
            source: Test fixture.
            templates: ["{name} said that", "Then {name} wrote", "Later {name} thought"]
            groups:
              group_a: {terms: [Alice, Beth, Carol]}
              group_b: {terms: [Dan, Ed, Fred]}
            metrics: [sentiment]
            """ + "\n"
        let set = scratch.appendingPathComponent("once.yaml")
        try Data(yaml.utf8).write(to: set)
        let texts = [" it was wonderful.", " it was terrible.", " it was here."]
        func lines(samples: (String) -> Int) throws -> [String] {
            var lines: [String] = []
            for (t, template) in ["{name} said that", "Then {name} wrote", "Later {name} thought"].enumerated() {
                for (g, (group, terms)) in [("group_a", ["Alice", "Beth", "Carol"]), ("group_b", ["Dan", "Ed", "Fred"])].enumerated() {
                    for (k, term) in terms.enumerated() {
                        for index in 0..<samples(group == "group_a" && k == 0 && t == 0 ? "first" : group) {
                            let object: [String: Any] = [
                                "set": "once", "template": template, "group": group, "term": term, "model": "m",
                                "sample_index": index, "text": texts[(t * 31 + g * 17 + k * 13 + index * 7 + k * t * 5 + k * k * 3) % 3]]
                            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                                                as: UTF8.self))
                        }
                    }
                }
            }
            return lines
        }
        func levels(_ name: String, _ lines: [String], _ flags: [String] = []) throws -> [String: Bool] {
            let out = scratch.appendingPathComponent(name)
            let run = try analyze([try write(lines, name: "\(name).jsonl").path, set.path, "--format", "json", "--out", out.path] + flags)
            XCTAssertEqual(run.status, 0, run.stderr)
            let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
            var hasInterval: [String: Bool] = [:]
            for group in result.promptSets[0].groupEstimates {
                let estimate = try XCTUnwrap(group.estimates.first(where: { $0.metric == .sentiment })).estimate
                hasInterval[group.group] = estimate.lower != nil
                XCTAssertNotEqual(estimate.method, MetricEstimate.copiesMethod, "\(name): one copied prompt is not greedy decoding")
                if estimate.lower == nil { XCTAssertEqual(estimate.insufficientDetail?.reason, .tooFewSamples, name) }
            }
            return hasInterval
        }
        // One extra line, a second sample of one prompt (here a copy of its first text, and then a different one).
        XCTAssertEqual(try levels("plus-one", try lines { $0 == "first" ? 2 : 1 }), ["group_a": false, "group_b": false])
        // One group sampled twice, the other once: paired on sample 0, and still the second has no interval.
        XCTAssertEqual(try levels("mixed", try lines { $0 == "group_b" ? 1 : 2 }), ["group_a": true, "group_b": false])
        // Declared unpaired: independent streams, which one sample estimates.
        XCTAssertEqual(try levels("declared", try lines { $0 == "group_b" ? 1 : 2 }, ["--unpaired"]),
                       ["group_a": true, "group_b": true])
        // The report of the mixed file is paired and says which prompts lack indices (before statistics revision 9 it was
        // unpaired by its indices, and its header had to say the streams might still be shared).
        let out = scratch.appendingPathComponent("mixed-md")
        let report = try analyze([try write(try lines { $0 == "group_b" ? 1 : 2 }, name: "mixed-md.jsonl").path, set.path,
                                  "--format", "md", "--out", out.path])
        XCTAssertEqual(report.status, 0, report.stderr)
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("the prompts of 3 templates do not all have the same sample indices"), markdown)
        XCTAssertFalse(markdown.contains("Analysed unpaired"), markdown)
        XCTAssertFalse(markdown.contains("were not sampled with common random numbers"))
    }

    /// A practitioner's review: the samples per prompt recorded were the most of any prompt, so one prompt with 12 lines
    /// (or a second model with more) hid that the others had 4 (or 2), and the fewer-samples note was not printed. The
    /// least-sampled model's median over its prompts is recorded.
    func testOnePromptOrModelWithMoreLinesDoesNotHideTooFewSamples() throws {
        let base = handWrittenLines()
        let extra = (4..<12).map {
            line(group: "group_a", term: "Alice", template: "{name} went to the market and", sample: $0, text: " It was fine.")
        }
        let secondModel = handWrittenLines().enumerated().filter { $0.offset % 4 < 2 }
            .map { $0.element.replacingOccurrences(of: "notebook-gpt2", with: "api-model") }
        for (name, lines, samples) in [("one-prompt", base + extra, 4), ("two-models", base + secondModel, 2)] {
            let out = scratch.appendingPathComponent(name)
            let run = try analyze([try write(lines, name: "\(name).jsonl").path, setPath, "--unpaired", "--format", "json",
                                   "--out", out.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stderr.contains(Self.fewSamplesNote("two-groups", samples: samples)), "\(name): \(run.stderr)")
            let result = try AuditJSON.loadResult(at: out.appendingPathComponent("results.json"))
            XCTAssertEqual(result.manifest.promptSets.map(\.samples), [samples], name)
        }
    }

    /// The note `analyze` prints for a set of a completions file sampled with fewer samples per prompt than the validated
    /// designs (with one sample, how to declare greedy completions).
    static func fewSamplesNote(_ set: String, samples: Int) -> String {
        "biasaudit: note: \(set) sampled \(samples) \(samples == 1 ? "sample" : "samples") per prompt, fewer than the 6 to 16 "
            + "the statistics are validated with (docs/statistics-validation.md): intervals, of rates above all, can come "
            + "out too narrow; read findings as tentative, or sample more"
            + (samples == 1 ? "; with one sample per prompt (\(set)) the shared random streams' variance cannot be estimated: "
                + "group levels have no interval, nor have contrasts between one-term groups, and the other contrasts are "
                + "too narrow wherever the streams move groups unalike (sample at least 2; completions decoded greedily, "
                + "top-k 1, are each their prompt's one draw: analyse them with --top-k 1)" : "") + "\n"
    }

    /// Second review: 16 lines of 8 models on a 50-group set made a 241 MB results.json, and 32 models ran for minutes;
    /// what the analysis would hold is bounded before any statistics.
    func testAnAnalysisTooLargeToHoldIsRefusedAtOnce() throws {
        let groups = (0..<30).map { "  g\($0):\n    terms: [t\($0)]" }.joined(separator: "\n")
        let yaml = "name: wide\ndescription: Thirty groups.\naxis: gender\nsource: Test fixture.\ntemplates:\n"
            + "  - \"{x} said that\"\ngroups:\n\(groups)\n"
        let set = scratch.appendingPathComponent("wide.yaml")
        try Data(yaml.utf8).write(to: set)
        let lines = (1...32).map {
            "{\"set\":\"wide\",\"template\":\"{x} said that\",\"group\":\"g0\",\"term\":\"t0\",\"model\":\"m\($0)\","
                + "\"sample_index\":0,\"text\":\" fine.\"}"
        }
        let run = try analyze([try write(lines, name: "wide.jsonl").path, set.path, "--out", scratch.appendingPathComponent("wide").path])
        XCTAssertEqual(run.status, badInput, run.stderr)
        XCTAssertTrue(run.stderr.contains("error: this analysis would hold 1607760 group contrasts and model comparisons "
            + "(every pair of groups of 1 prompt set, for each of 32 models and 496 pairs of models); at most 250000"),
                      run.stderr)
        // 435 pairs of groups × 7 metrics × (32 models + 496 pairs): refused before any statistics, nothing written.
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("wide").path))
    }

    func testRoundTripOfARunGivesItsResults() throws {
        let runDirectory = scratch.appendingPathComponent("run")
        let run = try CLI.run(RunEndToEndTests.runArguments(out: runDirectory), environment: hub.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let original = try RunEndToEndTests.comparableResults(in: runDirectory)

        // analyze RUN_DIR: the run's manifest (models, parameters, prompt-set digests) is kept.
        let reanalysis = try analyze([runDirectory.path])
        XCTAssertEqual(reanalysis.status, 0, reanalysis.stderr)
        let reanalysed = runDirectory.appendingPathComponent("reanalysis")
        // A run folder keeps the settings it recorded: sampling options are refused, not dropped (hostile tester).
        let declared = try analyze([runDirectory.path, "--out", scratch.appendingPathComponent("declared").path,
                                    "--temperature", "1.5", "--seed", "7"])
        XCTAssertEqual(declared.status, 64, declared.stderr)
        XCTAssertTrue(declared.stderr.contains("a run folder is re-analysed with the settings its completions were sampled "
            + "with (its manifest); give no --temperature, --seed with"), declared.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("declared").path))
        var again = try RunEndToEndTests.comparableResults(in: reanalysed)
        var manifest = try XCTUnwrap(again["manifest"] as? [String: Any])
        let source = try XCTUnwrap(manifest.removeValue(forKey: "source") as? [String: Any], "provenance is recorded")
        XCTAssertEqual(source["reanalysed_run"] as? String, runDirectory.path)
        XCTAssertEqual(source["paired_streams"] as? Bool, true)
        again["manifest"] = manifest
        let differences = JSONComparison.differences(original, again)
        XCTAssertTrue(differences.isEmpty, "re-analysed results differ at \(differences)")
        XCTAssertEqual(
            try Data(contentsOf: reanalysed.appendingPathComponent("completions.jsonl")),
            try Data(contentsOf: runDirectory.appendingPathComponent("completions.jsonl")), "the same scored completions")
        // Newcomer's review: the re-analysis's methods said "biasaudit did not sample them" of a run's own completions.
        // They state the common random numbers as the run used them; reproducing still recomputes from the file.
        for (language, sampled, assumed) in [
            ("en", "sample i of every prompt of a template uses the same random stream", "biasaudit did not sample them"),
            ("es", "la muestra i de cada prompt de una plantilla usa el mismo flujo aleatorio", "biasaudit no las muestreó"),
        ] {
            let out = scratch.appendingPathComponent("reanalysis-\(language)")
            let rendered = try CLI.run(["report", reanalysed.appendingPathComponent("results.json").path, "--lang", language,
                                        "--format", "md", "--out", out.path])
            XCTAssertEqual(rendered.status, 0, rendered.stderr)
            let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
            XCTAssertTrue(markdown.contains(sampled), "\(language): " + String(markdown.suffix(6000)))
            XCTAssertFalse(markdown.contains(assumed), language)
        }

        // analyze COMPLETIONS.jsonl PROMPTSET: the same statistics; the manifest knows only the file.
        let fromFile = scratch.appendingPathComponent("from-file")
        let file = try analyze([
            runDirectory.appendingPathComponent("completions.jsonl").path, Fixtures.url("audit/small-set.yaml").path,
            "--out", fromFile.path,
        ])
        XCTAssertEqual(file.status, 0, file.stderr)
        let fileResults = try RunEndToEndTests.comparableResults(in: fromFile)
        for key in ["prompt_sets", "model_comparisons", "schema_version"] {
            let differences = JSONComparison.differences(original[key] as Any, fileResults[key] as Any, path: key)
            XCTAssertTrue(differences.isEmpty, "\(key) differs at \(differences)")
        }
    }

    /// Review: `analyze RUN_DIR` trusted the run's completions.jsonl. A line naming a term, template, prompt id or
    /// model the run's results do not have is refused (65) naming the line (a model only the file had made a results
    /// file `report` refused, and was compared paired as if it had shared the run's streams).
    func testARunsCompletionsMustMatchItsResults() throws {
        let runDirectory = scratch.appendingPathComponent("run-checked")
        let run = try CLI.run(RunEndToEndTests.runArguments(out: runDirectory), environment: hub.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let completions = try String(contentsOf: runDirectory.appendingPathComponent("completions.jsonl"), encoding: .utf8)
        let lines = completions.split(separator: "\n").map(String.init)
        func object(_ line: String) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        func text(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        // Results without `completions_sha256`, as written before it was recorded: with it, any edited line is refused
        // whole (testACompletionsFileThatIsNotTheRunsOwnIsRefused); without it, each line is checked.
        let results = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: runDirectory.appendingPathComponent("results.json")))
                as? [String: Any])
        var manifest = try XCTUnwrap(results["manifest"] as? [String: Any])
        XCTAssertNotNil(manifest.removeValue(forKey: "completions_sha256"))
        var olderResults = results
        olderResults["manifest"] = manifest
        let olderResultsData = try JSONSerialization.data(withJSONObject: olderResults, options: [.sortedKeys])
        func variant(_ name: String, _ lines: [String]) throws -> URL {
            let directory = scratch.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try olderResultsData.write(to: directory.appendingPathComponent("results.json"))
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("completions.jsonl"))
            return directory
        }
        var first = try object(lines[0])
        let term = try XCTUnwrap(first["term"] as? String)
        first["term"] = "Zed"
        let badTerm = try analyze([try variant("bad-term", [try text(first)] + lines.dropFirst()).path])
        XCTAssertEqual(badTerm.status, 65, badTerm.stderr)
        XCTAssertTrue(badTerm.stderr.contains("completions.jsonl:1: error: term 'Zed' is not a term of group"), badTerm.stderr)
        XCTAssertTrue(badTerm.stderr.contains("does not belong to them"), badTerm.stderr)

        first["term"] = term
        first["prompt_id"] = "\(try XCTUnwrap(first["prompt_id"] as? String))-edited"
        let badID = try analyze([try variant("bad-id", [try text(first)] + lines.dropFirst()).path])
        XCTAssertEqual(badID.status, 65, badID.stderr)
        XCTAssertTrue(badID.stderr.contains("names the same prompt as"), badID.stderr)

        let firstModel = try XCTUnwrap(try object(lines[0])["model"] as? String)
        let ghost = try lines.filter { try object($0)["model"] as? String == firstModel }.map { line -> String in
            var record = try object(line)
            record["model"] = "ghost"
            return try text(record)
        }
        let extra = try variant("extra-model", lines + ghost)
        let unknownModel = try analyze([extra.path])
        XCTAssertEqual(unknownModel.status, 65, unknownModel.stderr)
        XCTAssertTrue(
            unknownModel.stderr.contains("completions.jsonl:\(lines.count + 1): error: model 'ghost' is not a model of the run"),
            unknownModel.stderr)
        // The lines of one of the run's models: the re-analysis names that model only (as it names only the sets
        // that have completions).
        let oneModel = try variant("one-model", try lines.filter { try object($0)["model"] as? String == firstModel })
        let subset = try analyze([oneModel.path])
        XCTAssertEqual(subset.status, 0, subset.stderr)
        let subsetResult = try AuditJSON.loadResult(at: oneModel.appendingPathComponent("reanalysis/results.json"))
        XCTAssertEqual(subsetResult.manifest.models.map(\.id), [firstModel])
        // As a completions file with its prompt set, the same lines are analysed (the new model's origin declared).
        let asFile = try analyze([
            extra.appendingPathComponent("completions.jsonl").path, Fixtures.url("audit/small-set.yaml").path, "--unpaired",
            "--format", "json", "--out", scratch.appendingPathComponent("extra-as-file").path,
        ])
        XCTAssertEqual(asFile.status, 0, asFile.stderr)

        // A `reanalysis` link in a run folder from elsewhere does not lead the outputs out of it.
        let linked = try variant("linked", lines)
        let victim = scratch.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: victim.appendingPathComponent("report.md"))
        try FileManager.default.createSymbolicLink(
            at: linked.appendingPathComponent("reanalysis"), withDestinationURL: victim)
        let refused = try analyze([linked.path])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is a symbolic link, which biasaudit does not write through"), refused.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: victim.path), ["report.md"])
        XCTAssertEqual(try String(contentsOf: victim.appendingPathComponent("report.md"), encoding: .utf8), "keep")
        let elsewhere = try analyze([linked.path, "--out", scratch.appendingPathComponent("linked-out").path])
        XCTAssertEqual(elsewhere.status, 0, elsewhere.stderr)
    }

    /// A review: `analyze RUN_DIR`, `diff` and `check` analysed whatever completions.jsonl stood beside the results (another
    /// run's copied in, an edited one) under the run's manifest. The results record the SHA-256 of the completions
    /// written with them (`completions_sha256`); any other file is refused (65) by the commands that read it (`check` only
    /// with a growth rule and `--baseline`), naming both digests and what to do.
    func testACompletionsFileThatIsNotTheRunsOwnIsRefused() throws {
        let runDirectory = scratch.appendingPathComponent("run-digest")
        let run = try CLI.run(RunEndToEndTests.runArguments(out: runDirectory), environment: hub.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let completionsURL = runDirectory.appendingPathComponent("completions.jsonl")
        let resultsURL = runDirectory.appendingPathComponent("results.json")
        let original = try Data(contentsOf: completionsURL)
        let recorded = try XCTUnwrap(AuditJSON.loadResult(at: resultsURL).manifest.completionsSHA256)
        XCTAssertEqual(recorded, FileDigests.sha256(of: original))
        // The re-analysis records the digest of the completions it writes (the same bytes).
        let reanalysis = try analyze([runDirectory.path])
        XCTAssertEqual(reanalysis.status, 0, reanalysis.stderr)
        XCTAssertEqual(
            try AuditJSON.loadResult(at: runDirectory.appendingPathComponent("reanalysis/results.json")).manifest.completionsSHA256,
            recorded)

        // One line dropped: as if another run's file, or an edited one, stood there.
        let lines = original.split(separator: 0x0A)
        try Data((lines.dropLast().joined(separator: [0x0A]) + [0x0A])).write(to: completionsURL)
        let edited = FileDigests.sha256(of: try Data(contentsOf: completionsURL))
        let refused = try analyze([runDirectory.path, "--out", scratch.appendingPathComponent("digest-out").path])
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains(
            "completions.jsonl: error: is not the completions file written with the results beside it (its SHA-256 is "
                + "\(edited.prefix(12))…, results.json records \(recorded.prefix(12))…): it was replaced or edited since; put the "
                + "run's own completions.jsonl back, or analyse this file as a completions file"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("digest-out").path))
        let diff = try CLI.run(["diff", resultsURL.path, resultsURL.path, "--out", scratch.appendingPathComponent("digest-diff.txt").path])
        XCTAssertEqual(diff.status, 65, diff.stderr)
        XCTAssertTrue(diff.stderr.contains("is not the completions file written with the results beside it"), diff.stderr)
        XCTAssertTrue(diff.stderr.contains("put the run's own completions.jsonl there"), diff.stderr)

        // `check --baseline` reads the completions beside both results too.
        let policy = scratch.appendingPathComponent("growth.yaml")
        try Data("rules:\n  - id: no-growth\n    kind: max_baseline_growth\n    max: 0.05\n".utf8).write(to: policy)
        let checked = try CLI.run(["check", resultsURL.path, "--policy", policy.path, "--baseline", resultsURL.path])
        XCTAssertEqual(checked.status, 65, checked.stderr)
        XCTAssertTrue(checked.stderr.contains("is not the completions file written with the results beside it"), checked.stderr)
        // The other rules decide from results.json alone and do not open the completions (README, "Re-analysing a run";
        // a review read "refused by check" as every check): the edited file changes nothing there.
        let contrastPolicy = scratch.appendingPathComponent("contrast.yaml")
        try Data("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 2\n".utf8).write(to: contrastPolicy)
        let gated = try CLI.run(["check", resultsURL.path, "--policy", contrastPolicy.path])
        XCTAssertEqual(gated.status, 0, gated.stderr)
        XCTAssertFalse(gated.stderr.contains("completions.jsonl"), gated.stderr)

        try original.write(to: completionsURL)
        let restored = try CLI.run(["diff", resultsURL.path, resultsURL.path, "--out", scratch.appendingPathComponent("digest-diff.txt").path])
        XCTAssertEqual(restored.status, 0, restored.stderr)

        // The digest's hexadecimal digits in capitals are the same digest; a value that is no SHA-256 is said to be one
        // (by the results file's own check, before the completions are opened).
        let resultsText = try String(contentsOf: resultsURL, encoding: .utf8)
        try resultsText.replacingOccurrences(of: recorded, with: recorded.uppercased()).write(to: resultsURL, atomically: true, encoding: .utf8)
        let upper = try CLI.run(["diff", resultsURL.path, resultsURL.path, "--out", scratch.appendingPathComponent("digest-diff.txt").path])
        XCTAssertEqual(upper.status, 0, upper.stderr)
        for (written, shown) in [("", ""), (String(repeating: "ａ", count: 64), String(repeating: "ａ", count: 64))] {
            try resultsText.replacingOccurrences(of: "\"\(recorded)\"", with: "\"\(written)\"")
                .write(to: resultsURL, atomically: true, encoding: .utf8)
            let refused = try CLI.run(
                ["diff", resultsURL.path, resultsURL.path, "--out", scratch.appendingPathComponent("digest-diff.txt").path])
            XCTAssertEqual(refused.status, 65, refused.stderr)
            XCTAssertTrue(refused.stderr.contains(
                "manifest.completions_sha256 is '\(shown)', not a SHA-256 (64 hexadecimal digits)"), refused.stderr)
        }
    }

    /// Review: a file naming hundreds of models made `analyze` compare every pair of them (quadratic work).
    /// 33 models are refused (65) before the statistics, naming the limit; 32 are analysed.
    func testMoreModelsThanTheLimitAreRefused() throws {
        let one = handWrittenLines().prefix(1)
        func lines(models: Int) -> [String] {
            (0..<models).flatMap { model in one.map { $0.replacingOccurrences(of: "notebook-gpt2", with: "model-\(model)") } }
        }
        let over = try write(lines(models: 33), name: "over.jsonl")
        let refused = try analyze([over.path, setPath, "--out", scratch.appendingPathComponent("over").path])
        XCTAssertEqual(refused.status, badInput, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("33 models in the file; at most 32 are analysed together"), refused.stderr)
        let limit = try write(lines(models: 32), name: "limit.jsonl")
        let analysed = try analyze([limit.path, setPath, "--out", scratch.appendingPathComponent("limit").path, "--format", "json"])
        XCTAssertEqual(analysed.status, 0, analysed.stderr)
        // `run` has the same limit, before any model loads, so that every run can be re-analysed.
        let models = (0...32).flatMap { ["--model", "./no-model-\($0)"] }
        let run = try CLI.run(["run", setPath, "--samples", "1"] + models + ["--out", scratch.appendingPathComponent("run").path])
        XCTAssertEqual(run.status, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("33 models; at most 32 are audited together"), run.stderr)
    }

    func testRunDirectoryWithPromptSetsIsAUsageError() throws {
        // A run's folder by its files (a folder without them is told what it lacks: AnalyzeInputTests).
        for name in ["completions.jsonl", "results.json"] { _ = try write([], name: name) }
        let run = try analyze([scratch.path, setPath])
        XCTAssertEqual(run.status, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("give no PROMPTSET"), run.stderr)
    }

    /// `--min-events` out of range is a usage error (64) on `run` and `analyze`, before any model or file is read.
    /// A negative value is out of range whether written `--min-events=-1` or `--min-events -1` (which
    /// ArgumentParser took for an option and answered "Missing value").
    func testMinimumEventsOutOfRangeIsAUsageError() throws {
        for arguments in [["run", "--min-events=-1"], ["run", "--min-events", "1000001"], ["run", "--min-events", "-1"],
                          ["analyze", "missing.jsonl", "--min-events=-3"], ["analyze", "missing.jsonl", "--min-events", "-3"]] {
            let result = try CLI.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--min-events must be between 0 and 1000000"),
                          "\(arguments): \(result.stderr)")
        }
        for arguments in [["run", "--min-gendered-words", "-5"], ["analyze", "missing.jsonl", "--min-gendered-words", "-5"]] {
            let result = try CLI.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--min-gendered-words must be between 0 and 1000000"),
                          "\(arguments): \(result.stderr)")
        }
    }

    /// A male share needs its gendered words and half that many completions with one (a statistician's review: the help
    /// named the first rule only).
    func testMinGenderedWordsHelpStatesBothSupportRules() throws {
        for command in ["run", "analyze"] {
            let help = try CLI.run([command, "--help"])
            XCTAssertEqual(help.status, 0, help.stderr)
            let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertTrue(
                text.contains("half that many completions with a gendered word (rounded up: 10 by default)"),
                "\(command) --help:\n\(help.stdout)")
        }
    }

    func testHelpDescribesTheInput() throws {
        let help = try CLI.run(["analyze", "--help"])
        XCTAssertEqual(help.status, 0)
        for phrase in ["COMPLETIONS.jsonl|RUN_DIR", "sample_index", "--unpaired", "--min-gendered-words", "--min-events", "exit 65"] {
            XCTAssertTrue(help.stdout.contains(phrase), "--help mentions \(phrase):\n\(help.stdout)")
        }
    }
}
