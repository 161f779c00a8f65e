import Foundation
import TestSupport
import XCTest

/// `biasaudit diff` on the crafted results of Tests/Fixtures/gate.
final class GateDiffTests: XCTestCase {
    private let gate = Fixtures.url("gate")

    private func diff(_ arguments: [String]) throws -> CommandResult {
        try CLI.run(["diff"] + arguments, environment: ["NO_COLOR": "1"], currentDirectory: gate)
    }


    private func decode(_ text: String) throws -> DiffJSON {
        try DiffJSON.decode(text)
    }

    /// Practitioner's review: a completions file given where a results file goes said only "not valid JSON at line 2";
    /// it says which file is wanted.
    func testACompletionsFileInPlaceOfResultsSaysWhichFileIsWanted() throws {
        let directory = try Fixtures.temporaryDirectory("diff-jsonl")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = directory.appendingPathComponent("completions.jsonl")
        try "{\"set\": \"s\"}\n{\"set\": \"s\"}\n".write(to: lines, atomically: true, encoding: .utf8)
        let result = try diff([lines.path, "baseline/results.json"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("holds one JSON object per line (JSON Lines), as a completions file does, "
            + "not one results object: give the run's results.json"), result.stderr)
        // By content, not by name: a results file named .jsonl is read (review), and JSON Lines named .json get the hint.
        let elsewhere = directory.appendingPathComponent("named")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let named = elsewhere.appendingPathComponent("results.jsonl")
        try FileManager.default.copyItem(at: gate.appendingPathComponent("baseline/results.json"), to: named)
        let read = try diff([named.path, "baseline/results.json"])
        XCTAssertEqual(read.status, 0, read.stderr)
        let renamed = directory.appendingPathComponent("lines.json")
        try FileManager.default.copyItem(at: lines, to: renamed)
        XCTAssertTrue(try diff([renamed.path, "baseline/results.json"]).stderr.contains("as a completions file does"))
        // `report` and `check` say it too (a newcomer's review: `report completions.jsonl` said "not valid JSON at line
        // 2 … is the file truncated or edited by hand?").
        for arguments in [["report", lines.path, "--out", directory.appendingPathComponent("r").path],
                          ["check", lines.path, "--policy", "policies/fail.yaml"]] {
            let refused = try CLI.run(arguments, environment: ["NO_COLOR": "1"], currentDirectory: gate)
            XCTAssertEqual(refused.status, 65, "\(arguments): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("as a completions file does, not one results object"),
                          "\(arguments): \(refused.stderr)")
        }
    }

    /// A CI team's review: `--format txt` was refused while `--out x.txt` wrote text. The extensions' names are formats.
    func testFormatTakesTheExtensionsNames() throws {
        let arguments = ["current/results.json", "--model-a", "distilgpt2", "--model-b", "gpt2"]
        for (alias, format) in [("txt", "text"), ("markdown", "md"), ("htm", "html")] {
            let named = try diff(arguments + ["--format", alias]), plain = try diff(arguments + ["--format", format])
            XCTAssertEqual(named.status, 0, named.stderr)
            XCTAssertEqual(named.stdout, plain.stdout, alias)
        }
        let unknown = try diff(arguments + ["--format", "pdf"])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("unknown --format 'pdf'; use text, md, json, html (or txt, markdown, htm)"),
                      unknown.stderr)
        XCTAssertEqual(try diff(arguments + ["--format", "TXT"]).stdout, try diff(arguments).stdout, "as --out x.TXT")
    }

    func testTwoModelsOfOneRunUseItsPairedComparisons() throws {
        let result = try diff(["current/results.json", "--model-a", "distilgpt2", "--model-b", "gpt2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("biasaudit diff: A = current/results.json (distilgpt2), B = current/results.json (gpt2)\n"
            + "4 contrasts compared at 95% confidence: 3 more biased, 0 less biased, 1 no detectable change, 0 undetermined, "
            + "0 insufficient data; 0 with the direction reversed."),
            result.stdout)
        XCTAssertTrue(result.stdout.contains(
            "  sentiment black-vs-white      -0.050 [-0.090, -0.010]  -0.140 [-0.180, -0.100]  -0.090 [-0.130, -0.050]  "
                + "+0.090     < 0.001  more biased  paired"),
            result.stdout)
        XCTAssertTrue(result.stdout.contains("4 of 4 paired by term and random stream"), result.stdout)
        // The units of rates (review: +0.698 beside the report's +69.8 pp), naming the rate metrics compared.
        XCTAssertTrue(result.stdout.contains("note: Rates and shares (negative_rate, male_share) are proportions, as in "
            + "results.json and in check policies: +0.050 is +5.0 percentage points (pp), as the report prints it."), result.stdout)
        let defaults = try diff(["current/results.json"])
        XCTAssertEqual(defaults.stdout, result.stdout, "a run of two models compares them in run order by default")
    }

    /// Review: a side below its minimum support printed "insufficient data" while B − A beside it printed
    /// "-0.090 (no CI)" and |B| − |A| "-0.090", numbers from 1–3 gendered words.
    func testAChangeWithAThinSideIsPrintedAsItsReason() throws {
        let text = try diff(["sparse/results.json"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("  male_share male-vs-female  insufficient data        +0.410 [+0.330, +0.490]  "
            + "insufficient data        —          —      insufficient data     paired"), text.stdout)
        let markdown = try diff(["sparse/results.json", "--format", "md"])
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        let row = try XCTUnwrap(markdown.stdout.split(separator: "\n").first { $0.contains("male\\_share") }, markdown.stdout)
        XCTAssertFalse(row.contains("0.090"), String(row))
        XCTAssertEqual(row.components(separatedBy: "insufficient data").count - 1, 3, String(row))
        // Which minimum the row missed, in check's and the report's words (a review: diff alone never said).
        XCTAssertTrue(text.stdout.contains("note: Insufficient data (no interval, test or verdict below a metric's minimum "
            + "support): occupations-gender male_share male-vs-female (distilgpt2 → gpt2): A: too few gendered words (4 in a "
            + "group, below the minimum of 20).\n"), text.stdout)
        XCTAssertTrue(markdown.stdout.contains("occupations-gender male\\_share male-vs-female (distilgpt2 → gpt2): A: too "
            + "few gendered words (4 in a group, below the minimum of 20)."), markdown.stdout)
        let full = try diff(["current/results.json"])
        XCTAssertFalse(full.stdout.contains("Insufficient data"), "no row is thin there")
    }

    /// A results file whose model id holds a no-break space (written before `run` refused such labels) is read; a model
    /// asked for with a plain space is refused with the id shown as `\u{a0}` and what to type (a review: the list
    /// printed the space raw, so the two read alike).
    func testAModelIdWithANoBreakSpaceIsShownAsItsCode() throws {
        let directory = try Fixtures.temporaryDirectory("diff-nbsp")
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try String(contentsOf: gate.appendingPathComponent("current/results.json"), encoding: .utf8)
        let results = directory.appendingPathComponent("results.json")
        try Data(original.replacingOccurrences(of: "distilgpt2", with: "distil\u{A0}gpt2").utf8).write(to: results)
        let refused = try diff([results.path, "--model-a", "distil gpt2", "--model-b", "gpt2"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("model 'distil gpt2' (--model-a) is not in \(results.path) (models: distil\\u{a0}gpt2, gpt2); "
            + "'distil\\u{a0}gpt2' differs from it only by white space that prints as a plain space: give it as written there"),
            refused.stderr)
        let compared = try diff([results.path, "--model-a", "distil\u{A0}gpt2", "--model-b", "gpt2"])
        XCTAssertEqual(compared.status, 0, compared.stderr)
    }

    func testTwoRunsWithoutCompletionsSayTheyCompareTheTwoSummaries() throws {
        let result = try diff(["baseline/results.json", "current/results.json", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = try decode(result.stdout)
        XCTAssertEqual(output.entries.count, 8, "the primary contrasts of both models")
        XCTAssertEqual(Set(output.entries.map(\.method)), ["normal_approximation"])
        let grown = output.entries.filter { $0.verdict == "more_biased" }
        XCTAssertEqual(grown.map { "\($0.contrastId) \($0.modelA)→\($0.modelB)" },
                       ["regard-race/sentiment/black-vs-white gpt2→gpt2"])
        XCTAssertEqual(try XCTUnwrap(grown.first?.change.value), -0.12, accuracy: 1e-9)
        XCTAssertEqual(output.entries.filter { $0.verdict == "no_detectable_change" }.count, 7)
        XCTAssertEqual(output.entries.filter(\.signReversed).count, 0)
        XCTAssertEqual(Set(output.entries.map(\.metric)), ["sentiment", "negative_rate", "male_share"])
        XCTAssertTrue(output.notes.contains { $0.contains("no completions.jsonl next to baseline/results.json and current/results.json") },
                      "\(output.notes)")
    }

    func testIncomparableRunsAreRefusedWithExit65() throws {
        let result = try diff(["current/results.json", "incomparable/results.json"])
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "biasaudit: incomparable/results.json: error: cannot compare with current/results.json: "
            + "prompt set 'regard-race' has different contents (sha256 a1a1a1a1a1a1… in current/results.json, f6f6f6f6f6f6… in incomparable/results.json): "
            + "the YAML file changed between the runs; re-run the baseline with the current file, or the candidate with the "
            + "baseline's\n")
        // A label-only edit says so (review: it read as another set).
        let directory = try Fixtures.temporaryDirectory("biasaudit-labels")
        defer { try? FileManager.default.removeItem(at: directory) }
        var object = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixtures.url("gate/current/results.json"))) as? [String: Any])
        var manifest = try XCTUnwrap(object["manifest"] as? [String: Any])
        var sets = try XCTUnwrap(manifest["prompt_sets"] as? [[String: Any]])
        sets[0]["sha256"] = String(repeating: "e", count: 64)
        manifest["prompt_sets"] = sets
        object["manifest"] = manifest
        var promptSets = try XCTUnwrap(object["prompt_sets"] as? [[String: Any]])
        var groups = try XCTUnwrap(promptSets[0]["groups"] as? [[String: Any]])
        groups[0]["label"] = "Renamed group"
        promptSets[0]["groups"] = groups
        object["prompt_sets"] = promptSets
        let relabelled = directory.appendingPathComponent("results.json")
        try JSONSerialization.data(withJSONObject: object).write(to: relabelled)
        let labels = try diff([Fixtures.url("gate/current/results.json").path, relabelled.path])
        XCTAssertEqual(labels.status, 65, labels.stderr)
        XCTAssertTrue(labels.stderr.contains("(its group labels differ; any byte counts, a label or a description too)"), labels.stderr)
    }

    func testFilesInEveryFormat() throws {
        let directory = try Fixtures.temporaryDirectory("gate-diff-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        for format in ["md", "json", "html"] {
            let out = directory.appendingPathComponent("diff.\(format)")
            let result = try diff(["current/results.json", "--out", out.path])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, "wrote \(out.path)\n", "with --out only the file written is named")
            let text = try String(contentsOf: out, encoding: .utf8)
            switch format {
            case "md":
                XCTAssertTrue(text.hasPrefix("# biasaudit diff: A = current/results.json (distilgpt2)"), text)
                XCTAssertTrue(text.contains("| sentiment black-vs-white | distilgpt2 → gpt2 | -0.050 [-0.090, -0.010] | "
                    + "-0.140 [-0.180, -0.100] | -0.090 [-0.130, -0.050] | +0.090 | < 0.001 | more biased | paired |"), text)
            case "json":
                let entries = try decode(text).entries
                XCTAssertEqual(entries.count, 4)
                XCTAssertEqual(entries.map { "\($0.metric) \($0.groupA)-vs-\($0.groupB) \($0.verdict) \($0.signReversed)" }, [
                    "sentiment black-vs-white more_biased false", "negative_rate black-vs-white more_biased false",
                    "sentiment male-vs-female no_detectable_change false", "male_share male-vs-female more_biased false",
                ])
            default:
                XCTAssertTrue(text.hasPrefix("<!DOCTYPE html>"), text)
                XCTAssertTrue(text.contains("<td class=\"more_biased\">more biased</td>"), text)
            }
        }
        let forced = directory.appendingPathComponent("diff.txt")
        XCTAssertEqual(try diff(["current/results.json", "--format", "md", "--out", forced.path]).status, 0)
        XCTAssertTrue(try String(contentsOf: forced, encoding: .utf8).hasPrefix("# biasaudit diff"))
    }

    func testUsageErrors() throws {
        let badFormat = try diff(["current/results.json", "--format", "pdf"])
        XCTAssertEqual(badFormat.status, 64)
        XCTAssertTrue(badFormat.stderr.contains("unknown --format 'pdf'; use text, md, json, html"), badFormat.stderr)
        let unknownModel = try diff(["current/results.json", "--model-a", "gpt3", "--model-b", "gpt2"])
        XCTAssertEqual(unknownModel.status, 64)
        XCTAssertEqual(unknownModel.stderr, "biasaudit: error: model 'gpt3' (--model-a) is not in current/results.json (models: distilgpt2, gpt2)\n")
        // An invisible character is shown as its code: "model 'distilgpt2' is not in … (models: distilgpt2, …)" read as a
        // contradiction (a practitioner's review).
        // The joiners and default-ignorable characters too (a second review: U+200C and U+034F printed raw).
        for (hidden, code) in [("\u{200B}", "200b"), ("\u{00AD}", "ad"), ("\u{200C}", "200c"), ("\u{034F}", "34f"),
                               ("\u{FE0F}", "fe0f")] {
            let invisible = try diff(["current/results.json", "--model-a", "distil\(hidden)gpt2", "--model-b", "gpt2"])
            XCTAssertEqual(invisible.status, 64)
            XCTAssertEqual(invisible.stderr, "biasaudit: error: model 'distil\\u{\(code)}gpt2' (--model-a) is not in current/results.json "
                + "(models: distilgpt2, gpt2)\n")
        }
        XCTAssertEqual(try diff(["a.json", "b.json", "c.json"]).status, 64)
        let truncated = try diff(["broken/truncated.json", "current/results.json"])
        XCTAssertEqual(truncated.status, 65)
        XCTAssertTrue(truncated.stderr.hasPrefix("biasaudit: broken/truncated.json: error: bad results file: not valid JSON"),
                      truncated.stderr)
    }

    /// Review: `--out x.pdf` exited 0 with plain text in x.pdf. An extension that names no format is a usage
    /// error (exit 64, nothing written) that lists the formats, unless `--format` says which; `.txt` and no
    /// extension are text, `.htm` and `.markdown` their formats.
    func testAnOutExtensionThatNamesNoFormatIsAUsageError() throws {
        let directory = try Fixtures.temporaryDirectory("gate-diff-extension")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pdf = directory.appendingPathComponent("x.pdf")
        let refused = try diff(["current/results.json", "--out", pdf.path])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains(
                "the extension '.pdf' names no format of diff; use .txt (or none) for text, .md, .json or .html, "
                    + "or give --format text|md|json|html"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: pdf.path), "nothing is written")
        XCTAssertEqual(try diff(["current/results.json", "--out", pdf.path, "--format", "md"]).status, 0)
        XCTAssertTrue(try String(contentsOf: pdf, encoding: .utf8).hasPrefix("# biasaudit diff"))
        for (name, prefix) in [("plain", "A = current/results.json"), ("x.txt", "A = current/results.json"),
                               ("x.markdown", "# biasaudit diff"), ("x.HTM", "<!DOCTYPE html>")] {
            let out = directory.appendingPathComponent(name)
            let result = try diff(["current/results.json", "--out", out.path])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).contains(prefix), name)
        }
    }
}
