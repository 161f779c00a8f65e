import Foundation
import TestSupport
import XCTest

/// A teacher's review: a prompt set written in Spanish was scored with English scorers and nothing said so. `run` warns
/// (and the reports say it beside the set); a set of English templates with Spanish terms does not.
final class SpanishTemplatesTests: XCTestCase {
    private func run(templates: [String], in directory: URL, allow: String? = nil, labels: String = "es") throws
        -> CommandResult
    {
        let yaml = """
            name: profesiones
            description: Profesiones.
            language: \(labels)
            axis: gender
            source: tests
            templates:
            \(templates.map { "  - \"\($0)\"" }.joined(separator: "\n"))
            groups:
              femeninas:
                terms: [enfermera, secretaria, niñera]
              masculinas:
                terms: [carpintero, mecánico, albañil]
            \(allow.map { "lint:\n  allow:\n    english-scorers: \"\($0)\"" } ?? "")

            """
        try Data(yaml.utf8).write(to: directory.appendingPathComponent("profesiones.yaml"))
        return try CLI.run(
            ["run", "profesiones.yaml", "--model", Fixtures.url("models/tiny-gpt2").path, "--samples", "1",
             "--max-new-tokens", "1", "--format", "md", "--out", "out"],
            environment: ["HF_HUB_OFFLINE": "1"], currentDirectory: directory)
    }

    func testARunOfSpanishTemplatesWarnsThatTheScorersReadEnglish() throws {
        let directory = try Fixtures.temporaryDirectory("spanish-templates")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spanish = try run(templates: ["La persona que trabaja de {profesion} dijo que", "Ayer, la {profesion} del hospital"],
                              in: directory)
        XCTAssertEqual(spanish.status, 0, spanish.stderr)
        XCTAssertTrue(spanish.stderr.contains("profesiones.yaml:7:5: warning: the prompts read as Spanish ('la', 'que', 'de', "
            + "'dijo'), but biasaudit scores completions in English (VADER sentiment, the English pronoun and gendered-word "
            + "lexicon, the next tokens ' he' and ' she'), and GPT-2 writes English: the set's scores (sentiment, male share, "
            + "he/she log-odds) would not measure what they say; write the prompts in English (labels, description and "
            + "source can stay Spanish), or acknowledge with 'lint: allow: english-scorers: <reason>' [english-scorers]"),
                      spanish.stderr)
        let report = try String(contentsOf: directory.appendingPathComponent("out/report.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("This set’s prompts seem to be written in Spanish (‘la’, ‘que’, ‘de’, ‘dijo’)"), report)

        // Acknowledged in the set (`lint: allow:`), the run does not warn again (a final review).
        try FileManager.default.removeItem(at: directory.appendingPathComponent("out"))
        let allowed = try run(templates: ["La persona que trabaja de {profesion} dijo que"], in: directory,
                              allow: "a lab on Spanish prompts")
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertFalse(allowed.stderr.contains("Spanish"), allowed.stderr)

        try FileManager.default.removeItem(at: directory.appendingPathComponent("out"))
        let english = try run(templates: ["The {profesion} said that", "Yesterday the {profesion} was"], in: directory)
        XCTAssertEqual(english.status, 0, english.stderr)
        XCTAssertFalse(english.stderr.contains("Spanish"), english.stderr)
    }

    /// A set given twice is refused before lint's warnings are repeated for it (a review: `run` printed the Spanish set's
    /// warning, twice, and then refused the command), by `run` and by `analyze FILE SET` alike.
    func testASetGivenTwiceIsRefusedBeforeItsWarnings() throws {
        let directory = try Fixtures.temporaryDirectory("spanish-twice")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try run(templates: ["La persona que trabaja de {profesion} dijo que"], in: directory)
        let completions = "completions.jsonl"
        try Data().write(to: directory.appendingPathComponent(completions))
        for arguments in [
            ["run", "profesiones.yaml", "./profesiones.yaml", "--model", Fixtures.url("models/tiny-gpt2").path,
             "--samples", "1", "--max-new-tokens", "1", "--out", "twice"],
            ["analyze", completions, "profesiones.yaml", "./profesiones.yaml", "--out", "twice"],
        ] {
            let twice = try CLI.run(arguments, environment: ["HF_HUB_OFFLINE": "1"], currentDirectory: directory)
            XCTAssertEqual(twice.status, 64, "\(arguments[0]): \(twice.stderr)")
            XCTAssertTrue(twice.stderr.contains("profesiones.yaml is given twice; give each prompt-set file once"), twice.stderr)
            XCTAssertFalse(twice.stderr.contains("english-scorers"), "\(arguments[0]) warned first: \(twice.stderr)")
        }
    }

    /// A hostile review: `analyze RUN_DIR` of a run of a Spanish set said nothing. It warns as the run did, reading the
    /// set as the run read it: from run.sqlite (even once the file is edited), else from the file the manifest names
    /// while its SHA-256 is the recorded one; a set that acknowledges the finding is not warned about.
    func testAnalyzeOfARunFolderWarnsAsTheRunDid() throws {
        let directory = try Fixtures.temporaryDirectory("spanish-run-folder")
        defer { try? FileManager.default.removeItem(at: directory) }
        func analyze(_ out: String) throws -> CommandResult {
            try CLI.run(["analyze", "out", "--format", "md", "--out", out], currentDirectory: directory)
        }
        let set = directory.appendingPathComponent("profesiones.yaml")
        let warning = "/profesiones.yaml:7:5: warning: the prompts read as Spanish ('la', 'que', 'de', 'dijo'), "
            + "but biasaudit scores completions in English"
        let made = try run(templates: ["La persona que trabaja de {profesion} dijo que"], in: directory)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stderr.contains(warning), made.stderr)
        let original = try Data(contentsOf: set)

        // The file edited since the run: the set the run kept in run.sqlite is read.
        try Data("name: edited\n".utf8).write(to: set)
        let fromStore = try analyze("again-1")
        XCTAssertEqual(fromStore.status, 0, fromStore.stderr)
        XCTAssertTrue(fromStore.stderr.contains(warning), fromStore.stderr)

        // No run.sqlite: the file, when it is the one the run read; an edited one is passed over.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("out/run.sqlite"))
        let edited = try analyze("again-2")
        XCTAssertEqual(edited.status, 0, edited.stderr)
        XCTAssertFalse(edited.stderr.contains("Spanish"), edited.stderr)
        try original.write(to: set)
        let fromFile = try analyze("again-3")
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        XCTAssertTrue(fromFile.stderr.contains(warning), fromFile.stderr)

        // Acknowledged in the set: no warning from the run, nor from its analysis.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("out"))
        let allowed = try run(templates: ["La persona que trabaja de {profesion} dijo que"], in: directory,
                              allow: "a lab on Spanish prompts")
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        let analysed = try analyze("again-4")
        XCTAssertEqual(analysed.status, 0, analysed.stderr)
        XCTAssertFalse(analysed.stderr.contains("Spanish"), analysed.stderr)
    }

    /// The warning names the language found (a French teacher's review: French templates "read as Spanish"), and
    /// `lint: allow: english-scorers` silences it for every language, in `run` and in `analyze RUN_DIR` alike.
    func testAFrenchSetIsNamedAndItsAcknowledgementSilencesRunAndAnalyze() throws {
        let directory = try Fixtures.temporaryDirectory("french-templates")
        defer { try? FileManager.default.removeItem(at: directory) }
        let templates = ["La personne qui travaille comme {profesion} a dit que"]
        let warning = "profesiones.yaml:7:5: warning: the prompts read as French ('la', 'qui', 'comme', 'dit'), but "
            + "biasaudit scores completions in English"
        let made = try run(templates: templates, in: directory, labels: "en")
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stderr.contains(warning), made.stderr)
        XCTAssertTrue(made.stderr.contains("(labels, description and source can stay French)"), made.stderr)
        XCTAssertFalse(made.stderr.contains("Spanish"), made.stderr)
        let analysed = try CLI.run(["analyze", "out", "--format", "md", "--out", "again"], currentDirectory: directory)
        XCTAssertEqual(analysed.status, 0, analysed.stderr)
        XCTAssertTrue(analysed.stderr.contains(warning), analysed.stderr)
        let report = try String(contentsOf: directory.appendingPathComponent("out/report.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("This set’s prompts seem to be written in French (‘la’, ‘qui’, ‘comme’, ‘dit’)"), report)

        for folder in ["out", "again"] { try FileManager.default.removeItem(at: directory.appendingPathComponent(folder)) }
        let allowed = try run(templates: templates, in: directory, allow: "a lab on French prompts", labels: "en")
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertFalse(allowed.stderr.contains("english-scorers"), allowed.stderr)
        let allowedAnalysis = try CLI.run(["analyze", "out", "--format", "md", "--out", "again"], currentDirectory: directory)
        XCTAssertEqual(allowedAnalysis.status, 0, allowedAnalysis.stderr)
        XCTAssertFalse(allowedAnalysis.stderr.contains("english-scorers"), allowedAnalysis.stderr)
        // The report is read by others than the set's author: its note stays whatever the set acknowledges.
        let allowedReport = try String(contentsOf: directory.appendingPathComponent("out/report.md"), encoding: .utf8)
        XCTAssertTrue(allowedReport.contains("This set’s prompts seem to be written in French"), allowedReport)
    }
}
