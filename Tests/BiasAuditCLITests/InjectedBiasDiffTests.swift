import Foundation
import TestSupport
import XCTest

/// `diff` finds a deliberately skewed model: the same tiny model, once as it is and once with a logit bias
/// toward " terrible" injected for one group's prompts (`run --inject-bias`).
final class InjectedBiasDiffTests: XCTestCase {
    private var directory: URL!
    private let sentimentContrast = "small-occupations/sentiment/female_dominated-vs-male_dominated"

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("inject-bias")
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func audit(out: String, extra: [String] = []) throws -> CommandResult {
        try CLI.run(
            ["run", Fixtures.url("audit/small-set.yaml").path, "--model", Fixtures.url("models/tiny-gpt2").path,
             "--samples", "6", "--max-new-tokens", "8",
             "--format", "json", "--quiet", "--out", out] + extra,
            environment: ["HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": directory.appendingPathComponent("hub").path],
            currentDirectory: directory)
    }


    /// `check` of `results` against a one-rule policy written as `yaml`.
    private func check(
        _ results: String, policy yaml: String, strict: Bool = false, baseline: String? = nil, junit: String? = nil
    ) throws -> CommandResult {
        try Data(yaml.utf8).write(to: directory.appendingPathComponent("policy.yaml"))
        return try CLI.run(["check", results, "--policy", "policy.yaml"] + (strict ? ["--strict"] : [])
                           + (baseline.map { ["--baseline", $0] } ?? []) + (junit.map { ["--junit", $0] } ?? []),
                           environment: ["GITHUB_ACTIONS": "false"], currentDirectory: directory)
    }

    func testDiffFindsTheInjectedBiasTheReversalAndNothingWithoutIt() throws {
        XCTAssertEqual(try audit(out: "plain").status, 0)
        XCTAssertEqual(try audit(out: "plain-again").status, 0)
        let skewed = try audit(out: "skewed", extra: ["--inject-bias", "female_dominated: terrible=12"])
        XCTAssertEqual(skewed.status, 0, skewed.stderr)
        let reversed = try audit(out: "skewed-other", extra: ["--inject-bias", "male_dominated: terrible=12"])
        XCTAssertEqual(reversed.status, 0, reversed.stderr)

        let results = try String(contentsOf: directory.appendingPathComponent("skewed/results.json"), encoding: .utf8)
        XCTAssertTrue(results.contains("\"injected_biases\""), "the manifest records the simulated bias")

        func diff(_ a: String, _ b: String) throws -> DiffJSON.Entry {
            let result = try CLI.run(["diff", a, b, "--format", "json"], currentDirectory: directory)
            XCTAssertEqual(result.status, 0, result.stderr)
            let output = try DiffJSON.decode(result.stdout)
            return try XCTUnwrap(output.entries.first { $0.contrastId == sentimentContrast })
        }

        let found = try diff("plain/results.json", "skewed/results.json")
        XCTAssertEqual(found.method, "paired")
        XCTAssertEqual([found.metric, found.groupA, found.groupB], ["sentiment", "female_dominated", "male_dominated"])
        XCTAssertEqual(found.verdict, "more_biased", "a bias toward ' terrible' for one group must widen the sentiment gap")
        XCTAssertFalse(found.signReversed, "the plain run's gap is within noise: no direction to reverse")
        XCTAssertLessThan(try XCTUnwrap(found.change.upper), 0, "the whole CI of the change is negative")
        XCTAssertLessThan(try XCTUnwrap(found.qValue), 0.05)

        // Biased against female-dominated occupations, then against male-dominated ones by the same logit:
        // the favoured group swaps, and neither run's gap is clearly the larger.
        let swapped = try diff("skewed/results.json", "skewed-other/results.json")
        XCTAssertTrue(swapped.signReversed, "\(swapped)")
        XCTAssertNotEqual(swapped.verdict, "more_biased", "\(swapped)")
        XCTAssertNotEqual(swapped.verdict, "less_biased", "\(swapped)")
        let (a, b) = (try XCTUnwrap(swapped.valueA), try XCTUnwrap(swapped.valueB))
        XCTAssertTrue(a < 0 && b > 0, "A favours male-dominated (\(a)), B female-dominated (\(b))")
        let text = try CLI.run(["diff", "skewed/results.json", "skewed-other/results.json"],
                               environment: ["NO_COLOR": "1"], currentDirectory: directory)
        XCTAssertTrue(text.stdout.split(separator: "\n").contains {
            $0.contains("sentiment female_dominated-vs-male_dominated") && $0.contains("direction reversed")
        }, text.stdout)
        // Practitioner's review: neither diff nor check said that a run carries a simulated bias.
        XCTAssertTrue(text.stdout.contains("note: A was made with --inject-bias 'female_dominated: terrible=12'"), text.stdout)
        XCTAssertTrue(text.stdout.contains("note: B was made with --inject-bias 'male_dominated: terrible=12'"), text.stdout)

        let unchanged = try diff("plain/results.json", "plain-again/results.json")
        XCTAssertEqual(unchanged.verdict, "no_detectable_change")
        // The same completions: the change is 0 up to the rounding of B.a − B.b − (A.a − A.b).
        let roundingTolerance = 1e-12
        XCTAssertEqual(try XCTUnwrap(unchanged.change.value), 0, accuracy: roundingTolerance)
        XCTAssertFalse(unchanged.signReversed)

        // A q-gated sentiment rule fails on the injected run only.
        let gated = "rules:\n  - id: sentiment-gap\n    kind: max_abs_contrast\n    metric: sentiment\n    max: 0.2\n"
            + "    only_when_q_below: 0.05\n"
        let passes = try check("plain/results.json", policy: gated)
        XCTAssertEqual(passes.status, 0, passes.stdout + passes.stderr)
        let fails = try check("skewed/results.json", policy: gated)
        XCTAssertEqual(fails.status, 1, fails.stdout + fails.stderr)
        XCTAssertTrue(fails.stderr.contains("note: skewed/results.json was made with --inject-bias"), fails.stderr)
        XCTAssertFalse(passes.stderr.contains("--inject-bias"), passes.stderr)
        XCTAssertTrue(fails.stderr.contains("[sentiment-gap] \(sentimentContrast)"), fails.stderr)
        // A newcomer's review: the note was on standard error only; a CI job's summary, JUnit report and annotations
        // carry it too, and a run without injection has none.
        for (results, injected) in [("skewed/results.json", true), ("plain/results.json", false)] {
            let summary = directory.appendingPathComponent("summary-\(injected).md")
            let ci = try CLI.run(
                ["check", results, "--policy", "policy.yaml", "--junit", "junit-\(injected).xml"],
                environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path], currentDirectory: directory)
            XCTAssertEqual(ci.status, injected ? 1 : 0, ci.stdout + ci.stderr)
            let summaryText = try String(contentsOf: summary, encoding: .utf8)
            let junitText = try String(contentsOf: directory.appendingPathComponent("junit-\(injected).xml"), encoding: .utf8)
            let note = "\(results) was made with --inject-bias"
            XCTAssertEqual(summaryText.contains("> **Note:** \(note)"), injected, summaryText)
            XCTAssertEqual(junitText.contains("<property name=\"note\" value=\"\(note)"), injected, junitText)
            XCTAssertEqual(ci.stdout.contains("::warning file=\(results),title=biasaudit check%3A note::\(note)"), injected, ci.stdout)
        }
        // Final review: an injected *baseline* shifts every growth as much, and was not noted.
        let growth = "rules:\n  - id: growth\n    kind: max_baseline_growth\n    metric: sentiment\n    max: 1\n"
        let againstInjected = try check("plain/results.json", policy: growth, baseline: "skewed/results.json")
        XCTAssertTrue(againstInjected.stderr.contains("note: skewed/results.json was made with --inject-bias"),
                      againstInjected.stderr)
        XCTAssertFalse(againstInjected.stderr.contains("note: plain/results.json was made"), againstInjected.stderr)
        // And in the JUnit file, as the candidate's note is (a practitioner's review: on standard error alone).
        try growth.write(to: directory.appendingPathComponent("growth.yaml"), atomically: true, encoding: .utf8)
        _ = try CLI.run(
            ["check", "plain/results.json", "--policy", "growth.yaml", "--baseline", "skewed/results.json", "--junit",
             "junit-baseline.xml"], currentDirectory: directory)
        let baselineJUnit = try String(contentsOf: directory.appendingPathComponent("junit-baseline.xml"), encoding: .utf8)
        XCTAssertTrue(baselineJUnit.contains("<property name=\"note\" value=\"skewed/results.json was made with --inject-bias"),
                      baselineJUnit)

        // A male-share rule without q gating: the tiny model writes too few gendered words to judge, which is
        // reported and does not fail the gate (it does under --strict).
        let share = "rules:\n  - id: male-share\n    kind: max_abs_contrast\n    metric: male_share\n    max: 0.3\n"
        let thin = try check("plain/results.json", policy: share)
        XCTAssertEqual(thin.status, 0, thin.stdout + thin.stderr)
        XCTAssertTrue(thin.stdout.contains("insufficient data"), thin.stdout)
        XCTAssertTrue(thin.stderr.contains(": warning: [male-share]"), thin.stderr)
        XCTAssertEqual(try check("plain/results.json", policy: share, strict: true).status, 1)
    }

    /// Practitioner's review: the notice said a logit changes only completions where the token is still drawn, but
    /// not how often it was. results.json counts them (`injected_bias_draws`), equal to a count of completions.jsonl;
    /// the report's header and `diff`'s note print them; hand-edited counts are refused.
    func testTheInjectedTokensDrawsAreCountedAndShown() throws {
        let run = try audit(out: "counted", extra: ["--inject-bias", "female_dominated: terrible=8"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let folder = directory.appendingPathComponent("counted")
        // The oracle: the completions file, read line by line.
        var expected = (group: 0, groupWith: 0, other: 0, otherWith: 0)
        for line in try String(contentsOf: folder.appendingPathComponent("completions.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            // A byte search, as grep does (Swift's `contains` compares characters).
            let holds = Data(try XCTUnwrap(object["text"] as? String).utf8).range(of: Data(" terrible".utf8)) != nil
            if object["group"] as? String == "female_dominated" {
                expected.group += 1
                if holds { expected.groupWith += 1 }
            } else {
                expected.other += 1
                if holds { expected.otherWith += 1 }
            }
        }
        let results = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("results.json"))) as? [String: Any])
        let draws = try XCTUnwrap(results["injected_bias_draws"] as? [[String: Any]])
        XCTAssertEqual(draws.count, 1, "one bias, one model, one set")
        let counted = draws[0]
        XCTAssertEqual(counted["token"] as? String, " terrible")
        XCTAssertEqual(counted["model"] as? String, "tiny-gpt2")
        XCTAssertEqual([counted["completions"], counted["with_token"], counted["other_completions"], counted["other_with_token"]]
            .map { $0 as? Int }, [expected.group, expected.groupWith, expected.other, expected.otherWith])
        XCTAssertGreaterThan(expected.groupWith, 0, "the injected token is drawn")

        let rendered = try CLI.run(["report", "counted/results.json", "--format", "md", "--out", "counted-report"],
                                   currentDirectory: directory)
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        let report = try String(contentsOf: directory.appendingPathComponent("counted-report/report.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("The token appears under tiny-gpt2 (small-occupations) in \(expected.groupWith) of the "
            + "group’s \(expected.group) completions, against \(expected.otherWith) of the other groups’ \(expected.other)"),
            String(report.prefix(3000)))
        let diff = try CLI.run(["diff", "counted/results.json", "counted/results.json"], currentDirectory: directory)
        XCTAssertTrue(run.stderr.contains("note: This run was made with --inject-bias 'female_dominated: terrible=8'"),
                      "the terminal summary's findings include the injection: \(run.stderr)")
        XCTAssertTrue(diff.stdout.contains("Completions holding the token: ' terrible' in \(expected.groupWith) of "
            + "\(expected.group) completions of female_dominated under tiny-gpt2"), diff.stdout)

        // Hand-edited counts: a part above its whole, a token nobody injected, a repeated row, wholes that are not the
        // set's completions; rows of examples and pairs naming a model the file does not have (review: 50,000 made-up
        // models went past the report's cap of 10 per model); a bias listed twice in the manifest.
        func drawsRow(_ change: @escaping (inout [String: Any]) -> Void) -> ([String: Any]) -> [String: Any] {
            { results in
                var edited = results
                var row = counted
                change(&row)
                edited["injected_bias_draws"] = [row]
                return edited
            }
        }
        func firstSet(_ key: String, _ change: @escaping (inout [String: Any]) -> Void) -> ([String: Any]) -> [String: Any] {
            { results in
                var edited = results
                var sets = edited["prompt_sets"] as! [[String: Any]]
                var rows = sets[0][key] as! [[String: Any]]
                change(&rows[0])
                sets[0][key] = rows
                edited["prompt_sets"] = sets
                return edited
            }
        }
        let edits: [(String, ([String: Any]) -> [String: Any], String)] = [
            ("part", drawsRow { $0["with_token"] = expected.group + 1 },
             "injected_bias_draws[0].with_token is \(expected.group + 1), more than its \(expected.group) completions"),
            ("token", drawsRow { $0["token"] = " awful" },
             "injected_bias_draws[0].token ' awful' on group 'female_dominated' is not one of"),
            ("whole", drawsRow { $0["completions"] = expected.group - 1 },
             "injected_bias_draws[0] counts \(expected.group - 1) completions of the group and \(expected.other) of the others, "
                + "but prompt_sets[0].group_estimates count \(expected.group) and \(expected.other) under that model"),
            ("repeated", { results in
                var edited = results
                edited["injected_bias_draws"] = [counted, counted]
                return edited
            }, "injected_bias_draws[1] repeats injected_bias_draws[0] (the same group, token, model and prompt set)"),
            ("example-model", firstSet("examples") { $0["model"] = "nope" },
             "prompt_sets[0].examples[0].model 'nope' is not a model of manifest.models"),
            ("pair-model", firstSet("counterfactual_pairs") { $0["model"] = "nope" },
             "prompt_sets[0].counterfactual_pairs[0].model 'nope' is not a model of manifest.models"),
        ]
        for (name, edit, message) in edits {
            let file = directory.appendingPathComponent("edited-\(name).json")
            try JSONSerialization.data(withJSONObject: edit(results)).write(to: file)
            let refused = try CLI.run(["report", file.path, "--out", directory.appendingPathComponent("r-\(name)").path])
            XCTAssertEqual(refused.status, 65, "\(name): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains(message), "\(name): \(refused.stderr)")
        }
        // A results file of an earlier build with the token given twice (its logits added up) is read: one line in the
        // report with the sum (final review: refusing it left such runs without a way out).
        var twiceInManifest = results
        var manifest = twiceInManifest["manifest"] as! [String: Any]
        var parameters = manifest["parameters"] as! [String: Any]
        parameters["injected_biases"] = (parameters["injected_biases"] as! [Any]) + (parameters["injected_biases"] as! [Any])
        manifest["parameters"] = parameters
        twiceInManifest["manifest"] = manifest
        let earlierFile = directory.appendingPathComponent("bias-twice.json")
        try JSONSerialization.data(withJSONObject: twiceInManifest).write(to: earlierFile)
        let earlierReport = try CLI.run(["report", earlierFile.path, "--format", "md", "--out", "bias-twice"], currentDirectory: directory)
        XCTAssertEqual(earlierReport.status, 0, earlierReport.stderr)
        let twiceMarkdown = try String(contentsOf: directory.appendingPathComponent("bias-twice/report.md"), encoding: .utf8)
        XCTAssertTrue(twiceMarkdown.contains("“ terrible” +16 logits"), String(twiceMarkdown.prefix(2000)))
        XCTAssertFalse(twiceMarkdown.contains("“ terrible” +8 logits"), String(twiceMarkdown.prefix(2000)))
        // The same token on the same group twice on the command line: the logits would add up (review: `=8` and
        // `=-3` ran at +5 and were reported as +8 and −3).
        let twice = try audit(out: "twice", extra: ["--inject-bias", "female_dominated: terrible=8",
                                                    "--inject-bias", "female_dominated: terrible=-3"])
        XCTAssertEqual(twice.status, 64, twice.stderr)
        XCTAssertTrue(twice.stderr.contains("--inject-bias names ' terrible' on group 'female_dominated' twice (8 and -3)"),
                      twice.stderr)
    }

    /// A practitioner's review: the same biases given in another order were "a different run" (exit 65) and `merge`
    /// refused their shards, though the completions are identical. The order does not matter.
    func testTheOrderOfInjectedBiasesIsNotPartOfTheRunsIdentity() throws {
        let biases = ["female_dominated: terrible=8", "male_dominated: awful=8"]
        let first = try audit(out: "ordered", extra: biases.flatMap { ["--inject-bias", $0] })
        XCTAssertEqual(first.status, 0, first.stderr)
        let swapped = try audit(out: "ordered", extra: biases.reversed().flatMap { ["--inject-bias", $0] })
        XCTAssertEqual(swapped.status, 0, "the same audit resumes: \(swapped.stderr)")
        XCTAssertFalse(swapped.stderr.contains("different run"), swapped.stderr)
        let fewer = try audit(out: "ordered", extra: ["--inject-bias", biases[0]])
        XCTAssertEqual(fewer.status, 65, "one bias fewer is another audit: \(fewer.stderr)")
    }

    /// A practitioner's review: `diff … --out RUN/run.sqlite` replaced another run's store with JSON (its next `run`
    /// started over), and `check --junit` wrote XML over a run's store or completions. A file of an audit's folder is
    /// refused as an output; a new file beside it is written.
    func testDiffAndCheckDoNotWriteOverAnAuditsFiles() throws {
        XCTAssertEqual(try audit(out: "kept").status, 0)
        let results = directory.appendingPathComponent("kept/results.json").path
        let store = directory.appendingPathComponent("kept/run.sqlite")
        let before = try Data(contentsOf: store)
        for name in ["run.sqlite", "completions.jsonl", "report.html"] {
            let target = directory.appendingPathComponent("kept/\(name)").path
            let diff = try CLI.run(["diff", results, "--out", target, "--format", "json"], currentDirectory: directory)
            XCTAssertEqual(diff.status, 64, diff.stderr)
            // The run's own completions are an input of a diff of it, and said so.
            XCTAssertTrue(diff.stderr.contains("is a file of the audit in") || diff.stderr.contains("would overwrite an input"),
                          diff.stderr)
            let gate = try check(
                results, policy: "version: 1\nrules:\n  - id: gap\n    kind: max_abs_contrast\n    metric: sentiment\n    max: 2\n",
                junit: target)
            XCTAssertEqual(gate.status, 64, gate.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: store), before, "the run store is untouched")
        XCTAssertEqual(try audit(out: "kept-too").status, 0)
        let beside = directory.appendingPathComponent("kept/diff.json").path
        let written = try CLI.run(["diff", results, directory.appendingPathComponent("kept-too/results.json").path,
                                   "--out", beside], currentDirectory: directory)
        XCTAssertEqual(written.status, 0, written.stderr)
    }

    func testAnInjectedBiasIsPartOfTheRunsIdentityAndIsValidated() throws {
        XCTAssertEqual(try audit(out: "run").status, 0)
        let mixed = try audit(out: "run", extra: ["--inject-bias", "female_dominated: terrible=12"])
        XCTAssertEqual(mixed.status, 65, "a biased run is never mixed into an unbiased run's directory")
        XCTAssertTrue(mixed.stderr.contains("injected_bias"), mixed.stderr)

        let unknownGroup = try audit(out: "other", extra: ["--inject-bias", "pilots: terrible=3"])
        XCTAssertEqual(unknownGroup.status, 64)
        XCTAssertTrue(unknownGroup.stderr.contains("no audited prompt set has a group 'pilots'"), unknownGroup.stderr)

        let twoTokens = try audit(out: "other", extra: ["--inject-bias", "female_dominated: terribleness=3"])
        XCTAssertEqual(twoTokens.status, 64)
        XCTAssertTrue(twoTokens.stderr.contains("give a single token"), twoTokens.stderr)
        // Newcomer's review: the refusal came after run.sqlite was made, and the next run "took over" that store.
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("other").path),
                       "a refused token leaves no output folder")

        let malformed = try audit(out: "other", extra: ["--inject-bias", "terrible"])
        XCTAssertEqual(malformed.status, 64)
        XCTAssertTrue(malformed.stderr.contains("GROUP:TOKEN=LOGIT"), malformed.stderr)

        // Review: a token of white space alone (the word forgotten) was accepted as the bare space token.
        for spec in ["female_dominated: =8", "female_dominated:   =8", "female_dominated:\t=8"] {
            let blank = try audit(out: "other", extra: ["--inject-bias", spec])
            XCTAssertEqual(blank.status, 64, "\(spec): \(blank.stderr)")
            XCTAssertTrue(blank.stderr.contains("the TOKEN after ':' is only white space; give a word, whose leading space "
                + "is part of the token (for example 'female_dominated: terrible=8')"), blank.stderr)
        }
        // Review: Double(_:) read "0x10" as 16; only a decimal logit is accepted.
        for spec in ["female_dominated: terrible=0x10", "female_dominated: terrible=nan", "female_dominated: terrible=inf"] {
            let typed = try audit(out: "other", extra: ["--inject-bias", spec])
            XCTAssertEqual(typed.status, 64, "\(spec): \(typed.stderr)")
            // An ASCII minus, a bound that can be typed back (a teacher's review: it was U+2212).
            XCTAssertTrue(typed.stderr.contains("the logit after '=' must be a decimal number between -100 and 100"), typed.stderr)
        }
    }
}
