import AuditResults
import Foundation
import TestSupport
import XCTest

/// `biasaudit report RESULTS.json --lang es` writes Spanish reports from the same results.
final class ReportLanguageTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("biasaudit-report-lang")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testReportInSpanish() throws {
        let result = try CLI.run([
            "report", Fixtures.url("reporting/audit-result.json").path, "--lang", "es", "--out", directory.path,
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<html lang=\"es\">"))
        XCTAssertTrue(html.contains("<h1>Auditoría de sesgo: distilgpt2 frente a gpt2</h1>"))
        XCTAssertTrue(html.contains("<h2>Hallazgos</h2>"))
        XCTAssertTrue(html.contains("+0,14 [+0,07; +0,22]"), "decimal comma and a semicolon between the bounds")
        XCTAssertFalse(html.contains("+0.14 [+0.07, +0.22]"))
        let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# Auditoría de sesgo: distilgpt2 frente a gpt2\n"), String(markdown.prefix(200)))
        XCTAssertTrue(markdown.contains("## Métodos y limitaciones"))
    }

    /// A hostile review (83): a Spanish class typed `--lang ES` and `--lang es-MX` and got a usage error. A language tag
    /// is read as users type it: any case, a region subtag ignored; another language is still refused (below).
    func testLanguageTagsAsUsersTypeThem() throws {
        for (index, tag) in ["ES", "es-MX", "es_AR", "Es"].enumerated() {
            let out = directory.appendingPathComponent("tag\(index)")
            let result = try CLI.run(["report", Fixtures.url("reporting/audit-result.json").path, "--lang", tag, "--format", "md",
                                      "--out", out.path])
            XCTAssertEqual(result.status, 0, "\(tag): \(result.stderr)")
            let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
            XCTAssertTrue(markdown.hasPrefix("# Auditoría de sesgo"), "\(tag): \(markdown.prefix(80))")
        }
        let english = directory.appendingPathComponent("en-GB")
        let result = try CLI.run(["report", Fixtures.url("reporting/audit-result.json").path, "--lang", "en-GB", "--format", "md",
                                  "--out", english.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let markdown = try String(contentsOf: english.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# Bias audit"), String(markdown.prefix(80)))
        let french = try CLI.run(["report", Fixtures.url("reporting/audit-result.json").path, "--lang", "fr-ES", "--out",
                                  directory.appendingPathComponent("fr").path])
        XCTAssertEqual(french.status, 64, "the primary subtag decides: \(french.stderr)")
    }

    /// A review: `report --lang es` in a folder of English reports replaced them without a word. It says so, and how to
    /// keep both; re-rendering in the same language says nothing, and nor does a first report.
    func testReplacingReportsOfAnotherLanguageIsNoted() throws {
        let results = directory.appendingPathComponent("results.json")
        try FileManager.default.copyItem(at: Fixtures.url("reporting/audit-result.json"), to: results)
        let first = try CLI.run(["report", results.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr, "")
        let spanish = try CLI.run(["report", results.path, "--lang", "es"])
        XCTAssertEqual(spanish.status, 0, spanish.stderr)
        XCTAssertEqual(spanish.stderr, "biasaudit: note: replaced the English report.html and report.md in \(directory.path) with "
            + "Spanish ones; give --out DIR to keep the reports of both languages\n")
        let again = try CLI.run(["report", results.path, "--lang", "es"])
        XCTAssertEqual(again.stderr, "", "the same language again")
        // Without --lang, the reports beside RESULTS keep their language (a newcomer's review: a teacher changing
        // --format of a class's Spanish run got English), and that is said.
        let kept = try CLI.run(["report", results.path, "--format", "md"])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertEqual(kept.stderr, "biasaudit: note: writing Spanish reports, the language of the reports in \(directory.path); "
            + "give --lang en for English ones\n")
        XCTAssertTrue(try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
            .hasPrefix("# Auditoría de sesgo"))
        let markdown = try CLI.run(["report", results.path, "--format", "md", "--lang", "en"])
        XCTAssertTrue(markdown.stderr.contains("replaced the Spanish report.md in \(directory.path) with an English one;"), markdown.stderr)
        // The format being written decides first (a code review: an English report.md flipped back to Spanish after the
        // Spanish report.html).
        let mdAgain = try CLI.run(["report", results.path, "--format", "md"])
        XCTAssertEqual(mdAgain.stderr, "", "report.md is English, and stays so")
        XCTAssertTrue(try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8).hasPrefix("# Bias audit"))
        // No report written, no note (a code review); a copy under another name is not read by the reports beside it.
        let json = try CLI.run(["report", results.path, "--format", "json", "--out", directory.appendingPathComponent("j").path])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual(json.stderr, "")
        let renamed = directory.appendingPathComponent("renamed.json")
        try FileManager.default.copyItem(at: results, to: renamed)
        let copyOut = directory.appendingPathComponent("renamed")
        let fromCopy = try CLI.run(["report", renamed.path, "--out", copyOut.path])
        XCTAssertEqual(fromCopy.stderr, "", "English beside Spanish reports that are not its own")
        XCTAssertTrue(try String(contentsOf: copyOut.appendingPathComponent("report.md"), encoding: .utf8).hasPrefix("# Bias audit"))
        // Elsewhere (--out) too: the language is that of the reports beside RESULTS; English after English.
        let html = try CLI.run(["report", results.path, "--format", "html", "--lang", "en"])
        XCTAssertEqual(html.status, 0, html.stderr)
        let out = directory.appendingPathComponent("copy")
        let english = try CLI.run(["report", results.path, "--out", out.path])
        XCTAssertEqual(english.stderr, "")
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8).hasPrefix("# Bias audit"))
    }

    /// `run --lang es` writes its reports in Spanish too (same writer as `report`).
    func testRunInSpanish() throws {
        let out = directory.appendingPathComponent("run")
        let hub = try IsolatedHub()
        defer { hub.remove() }
        let result = try CLI.run(RunEndToEndTests.runArguments(out: out, extra: ["--lang", "es"]), environment: hub.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<html lang=\"es\">"))
        XCTAssertTrue(html.contains("<h2>Hallazgos</h2>"))
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# Auditoría de sesgo: "), String(markdown.prefix(200)))
        // Re-analysed (another --confidence, as `diff` and `check` advise) it stays Spanish, and says so (a code review).
        let again = directory.appendingPathComponent("again")
        let analyzed = try CLI.run(["analyze", out.path, "--confidence", "0.9", "--format", "md", "--out", again.path])
        XCTAssertEqual(analyzed.status, 0, analyzed.stderr)
        XCTAssertTrue(analyzed.stderr.contains("biasaudit: note: writing Spanish reports, the language of the reports in "
            + "\(out.path); give --lang en for English ones\n"), analyzed.stderr)
        let json = try CLI.run(["analyze", out.path, "--format", "json", "--out", directory.appendingPathComponent("json").path])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertFalse(json.stderr.contains("writing Spanish reports"), "no report, no note: \(json.stderr)")
        XCTAssertTrue(try String(contentsOf: again.appendingPathComponent("report.md"), encoding: .utf8)
            .hasPrefix("# Auditoría de sesgo: "))
        // The same run again in English replaces the Spanish reports, and says so (a hostile review: `run --lang es`
        // on a finished English run replaced its reports silently; the note was `report`'s only).
        let english = try CLI.run(RunEndToEndTests.runArguments(out: out, extra: []), environment: hub.environment)
        XCTAssertEqual(english.status, 0, english.stderr)
        XCTAssertTrue(english.stderr.contains("note: replaced the Spanish report.html and report.md in \(out.path) with English ones"),
                      english.stderr)
    }

    /// Review: a report of results analysed before the current statistical rules stated those rules in its Methods
    /// (a male share's 10 completions, verdict q-values per set) though its numbers were computed without them.
    /// Results without `statistics_revision` get a header note in the report's language and a note from `report` and
    /// `diff` on standard error; results of the current revision get neither.
    func testResultsOfEarlierRulesSaySoInTheReportAndOnStandardError() throws {
        let current = Fixtures.url("reporting/audit-result.json")
        let earlier = directory.appendingPathComponent("earlier/results.json")
        XCTAssertEqual(try StatisticsRevisionEdit.write(current, to: earlier, revision: nil),
                       AnalysisParameters.currentStatisticsRevision, "the fixture is of the current revision")

        let expectations: [(String, String)] = [
            ("en", "These numbers were computed by an earlier biasaudit"),
            ("es", "Estos números los calculó una versión anterior de biasaudit"),
        ]
        for (language, note) in expectations {
            let out = directory.appendingPathComponent("earlier-\(language)")
            let result = try CLI.run(["report", earlier.path, "--lang", language, "--format", "md", "--out", out.path])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stderr.contains("was analysed by an earlier biasaudit"), result.stderr)
            // No completions.jsonl beside it: the advice says what analyze needs rather than naming a folder it fails on.
            XCTAssertTrue(result.stderr.contains("`biasaudit analyze RUN_DIR` on the run's folder (its results.json with "
                                                 + "its completions.jsonl; there is none beside it, or an empty one)"), result.stderr)
            let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
            XCTAssertTrue(markdown.contains(note), String(markdown.prefix(1500)))
        }
        let now = directory.appendingPathComponent("current")
        let result = try CLI.run(["report", current.path, "--format", "md", "--out", now.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("earlier biasaudit"), result.stderr)
        let markdown = try String(contentsOf: now.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertFalse(markdown.contains("computed by an earlier biasaudit"))

        let diff = try CLI.run(["diff", earlier.path, current.path])
        XCTAssertTrue(diff.stderr.contains("\(earlier.path) was analysed by an earlier biasaudit (no statistics "
                                           + "revision recorded; this one applies revision \(AnalysisParameters.currentStatisticsRevision))"),
                      diff.stderr)
        XCTAssertFalse(diff.stderr.contains("\(current.path) was analysed"), diff.stderr)
        // In the diff's own notes too, so that a saved diff says it (a practitioner's review).
        let diffJSON = try CLI.run(["diff", earlier.path, current.path, "--format", "json"])
        XCTAssertTrue(try DiffJSON.decode(diffJSON.stdout).notes.contains {
            $0.hasPrefix("\(earlier.path) was analysed by an earlier biasaudit")
        }, diffJSON.stdout)
        // A completions file beside it: the advice names the folder (an empty one would not do).
        try Data("{\"set\": \"religion\"}\n".utf8).write(
            to: earlier.deletingLastPathComponent().appendingPathComponent("completions.jsonl"))
        let besides = try CLI.run(["report", earlier.path, "--format", "md", "--out", directory.appendingPathComponent("beside").path])
        XCTAssertTrue(besides.stderr.contains("`biasaudit analyze \(earlier.deletingLastPathComponent().path)`"), besides.stderr)

        // Final review: a revision newer than this build's was accepted silently; an older one named no revision.
        for (revision, english, spanish, terminal) in [
            (AnalysisParameters.currentStatisticsRevision + 1, "computed by a newer biasaudit (statistics revision "
                + "\(AnalysisParameters.currentStatisticsRevision + 1)", "una versión más reciente de biasaudit",
             "was analysed by a newer biasaudit"),
            (1, "computed by an earlier biasaudit (statistics revision 1;", "anterior de biasaudit (revisión estadística 1;",
             "was analysed by an earlier biasaudit (statistics revision 1;"),
        ] {
            let file = directory.appendingPathComponent("revision-\(revision)/results.json")
            try StatisticsRevisionEdit.write(current, to: file, revision: revision)
            for (language, note) in [("en", english), ("es", spanish)] {
                let out = directory.appendingPathComponent("revision-\(revision)-\(language)")
                let result = try CLI.run(["report", file.path, "--lang", language, "--format", "md", "--out", out.path])
                XCTAssertEqual(result.status, 0, result.stderr)
                XCTAssertTrue(result.stderr.contains(terminal), result.stderr)
                let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
                XCTAssertTrue(markdown.contains(note), "revision \(revision), \(language): " + String(markdown.prefix(1500)))
            }
        }
    }

    func testUnknownLanguageIsAUsageError() throws {
        let result = try CLI.run(["report", Fixtures.url("reporting/audit-result.json").path, "--lang", "fr", "--out", directory.path])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--lang"), result.stderr)
        // A hostile review: ArgumentParser's message echoed the raw ESC of the value; and so did --format's.
        for flags in [["--lang", "e\u{1b}[31ms"], ["--format", "h\u{1b}tml"]] {
            let escaped = try CLI.run(["report", Fixtures.url("reporting/audit-result.json").path, "--out", directory.path] + flags)
            XCTAssertEqual(escaped.status, 64, escaped.stderr)
            XCTAssertFalse(escaped.stderr.contains("\u{1b}"), "\(flags): the raw character")
            XCTAssertTrue(escaped.stderr.contains("\\u{1b}"), "\(flags): \(escaped.stderr)")
        }
    }

    /// `diff` and `check` write English only: `--lang es` (which a class working in Spanish tries) is a usage error
    /// that says so, not "give two results files" (diff took `es` as a third results file).
    func testDiffAndCheckSayTheyWriteEnglishOnly() throws {
        let results = Fixtures.url("reporting/audit-result.json").path
        for arguments in [["diff", "--lang", "es", results, results], ["check", results, "--lang", "es", "--policy", "p.yaml"]] {
            let result = try CLI.run(arguments)
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains("write English only"), result.stderr)
        }
    }

    /// `run` and `bench` have no `--greedy`, so their help must not mention it; `generate` has it. `run`'s --top-k says
    /// that 1 decodes greedily (a teacher's review: nothing in `run` said how).
    func testHelpMentionsGreedyOnlyWhereItExists() throws {
        for command in ["run", "bench"] {
            let help = try CLI.run([command, "--help"])
            XCTAssertEqual(help.status, 0, help.stderr)
            XCTAssertFalse(help.stdout.contains("--greedy"), "\(command) --help mentions --greedy:\n\(help.stdout)")
            XCTAssertTrue(help.stdout.contains("1 = greedy"), "\(command) --help:\n\(help.stdout)")
        }
        let generate = try CLI.run(["generate", "--help"])
        XCTAssertTrue(generate.stdout.contains("--greedy"), generate.stdout)
        let run = try CLI.run(["run", "--help"])
        XCTAssertTrue(run.stdout.contains("--lang"), run.stdout)
    }
}
