import Foundation
import TestSupport
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `biasaudit lint` exit codes, JUnit XML and GitHub output.
final class GateLintTests: XCTestCase {
    private let plain = ["GITHUB_ACTIONS": "false"]
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("gate-lint")
        try write("good.yaml", axis: "gender", template: "The {person} was")
        try write("no-slot.yaml", axis: "gender", template: "The person was")
        try write("new-axis.yaml", axis: "hair-colour", template: "The {person} was")
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, axis: String, template: String) throws {
        let yaml = """
            name: \(name.replacingOccurrences(of: ".yaml", with: ""))
            description: a tiny set for the lint tests
            axis: \(axis)
            source: tests
            templates:
              - "\(template)"
            groups:
              men:
                terms: ["man"]
              women:
                terms: ["woman"]

            """
        try Data(yaml.utf8).write(to: directory.appendingPathComponent(name))
    }

    private func lint(_ arguments: [String], environment: [String: String]? = nil) throws -> CommandResult {
        try CLI.run(["lint"] + arguments, environment: environment ?? plain, currentDirectory: directory)
    }

    func testShippedPromptSetsAreClean() throws {
        let result = try CLI.run(["lint"], environment: plain, currentDirectory: Fixtures.repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("lint: ") && result.stdout.hasSuffix(" files, 0 errors, 0 warnings\n"), result.stdout)
    }

    func testErrorsExitOneWithCompilerStyleDiagnostics() throws {
        let result = try lint(["good.yaml", "no-slot.yaml"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("no-slot.yaml:6:5: error: template 'The person was' has no slot"), result.stderr)
        XCTAssertEqual(result.stdout, "lint: 2 files, 1 error, 0 warnings\n")
        XCTAssertEqual(try lint(["good.yaml"]).status, 0)
        // One file, one error: in the singular, the terminal's count line as the step summary's (it said "1 file(s), 1 error(s)").
        let summary = directory.appendingPathComponent("summary.md")
        let one = try lint(["no-slot.yaml"], environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(one.status, 1, one.stderr)
        XCTAssertEqual(one.stdout.split(separator: "\n").first, "lint: 1 file, 1 error, 0 warnings", one.stdout)
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("## biasaudit lint: **failed**\n\n1 file, 1 error, 0 warnings.\n"), markdown)
    }

    func testWarningsFailOnlyWhenStrict() throws {
        let lenient = try lint(["new-axis.yaml"])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertTrue(lenient.stderr.hasPrefix("new-axis.yaml:3:7: warning: unknown axis 'hair-colour'"), lenient.stderr)
        XCTAssertEqual(lenient.stdout, "lint: 1 file, 0 errors, 1 warning\n")
        // CI review: under --strict it said "0 error(s), 1 warning(s)" and printed "warning:", then exited 1. The
        // warnings are printed as errors (as `check --strict` prints its warnings), with the rule id `lint: allow:` takes,
        // the count says why it fails, and the annotation is an error.
        let strict = try lint(["new-axis.yaml", "--strict"], environment: ["GITHUB_ACTIONS": "true"])
        XCTAssertEqual(strict.status, 1, strict.stderr)
        XCTAssertTrue(strict.stderr.hasPrefix("new-axis.yaml:3:7: error: unknown axis 'hair-colour'"), strict.stderr)
        XCTAssertTrue(strict.stderr.hasSuffix(" [unknown-axis]\n"), strict.stderr)
        XCTAssertFalse(strict.stderr.contains("warning:"), strict.stderr)
        let lines = strict.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "lint: 1 file, 0 errors, 1 warning (warnings count as errors under --strict)")
        XCTAssertEqual(lines.dropFirst().map { $0.prefix(49) },
                       ["::error file=new-axis.yaml,line=3,col=7,title=bia"], strict.stdout)
        // The JUnit file says what standard error says (a final review: its failure read "warning:").
        let junit = directory.appendingPathComponent("strict.xml")
        XCTAssertEqual(try lint(["new-axis.yaml", "--strict", "--junit", junit.path]).status, 1)
        let xml = try String(contentsOf: junit, encoding: .utf8)
        XCTAssertTrue(xml.contains("failure message=\"new-axis.yaml:3:7: error: unknown axis"), xml)
        XCTAssertFalse(xml.contains("warning:"), xml)
        // Nothing to add where no warning fails.
        XCTAssertEqual(try lint(["good.yaml", "--strict"]).stdout, "lint: 1 file, 0 errors, 0 warnings\n")
    }

    func testUnderpoweredDesignsWarnAndFailOnlyWhenStrict() throws {
        let yaml = """
            name: pilot
            description: two terms per group
            axis: gender
            source: tests
            templates: ["The {person} was"]
            groups:
              men:
                terms: ["man", "father"]
              women:
                terms: ["woman", "mother", "sister"]

            """
        try Data(yaml.utf8).write(to: directory.appendingPathComponent("pilot.yaml"))
        let lenient = try lint(["pilot.yaml"])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertTrue(lenient.stderr.hasPrefix("pilot.yaml:7:3: warning: group 'men' has 2 terms: its term-to-term "
            + "variance rests on 1 degree of freedom"), lenient.stderr)
        XCTAssertTrue(lenient.stderr.hasSuffix("[underpowered]\n"), lenient.stderr)
        let strict = try lint(["pilot.yaml", "--strict"])
        XCTAssertEqual(strict.status, 1, strict.stderr)
    }

    func testUnreadableFileExits74() throws {
        // DESIGN.md's I/O error, as `run` gives for the same file (a contract review: lint alone said 65).
        let result = try lint(["good.yaml", "missing.yaml"])
        XCTAssertEqual(result.status, 74, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("missing.yaml: error: cannot read the prompt set"), result.stderr)
        // A misspelt name sees the sets beside it (a teacher's review: "no such file; check the path" alone).
        XCTAssertTrue(result.stderr.contains("no such file; check the path (this folder holds "), result.stderr)
        XCTAssertTrue(result.stderr.contains("good.yaml"), result.stderr)
        // A one-character name crashed (exit 132) in Foundation's path methods (a hostile review: `lint -`).
        for name in ["-", "q"] {
            let short = try lint(["--", name])
            XCTAssertEqual(short.status, 74, short.stderr)
            XCTAssertTrue(short.stderr.hasPrefix("\(name): error: cannot read the prompt set: no such file; check the path (this "
                + "folder holds "), short.stderr)
        }
        // A link to a missing file is said to be one (a hostile review: "no such file" of a file `ls` lists), and is not
        // listed beside itself.
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("dangling.yaml").path,
                                                   withDestinationPath: "gone.yaml")
        let dangling = try lint(["./dangling.yaml"])
        XCTAssertTrue(dangling.stderr.contains("./dangling.yaml: error: the prompt set is a symbolic link to a file that does "
            + "not exist ('gone.yaml'); make it point at the file, or give the file itself"), dangling.stderr)
        // A set's name without .yaml is offered the file (a newcomer's review: `run occupations-gender` was offered the
        // policy.yaml beside it), as is a shipped set's file name given outside PromptSets/.
        let bare = try lint(["good"])
        XCTAssertTrue(bare.stderr.hasPrefix("good: error: cannot read the prompt set: no such file; check the path; did you "
            + "mean good.yaml?"), bare.stderr)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("PromptSets"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("good.yaml"),
                                         to: directory.appendingPathComponent("PromptSets/shipped.yaml"))
        for name in ["shipped", "shipped.yaml"] {
            let shipped = try lint([name])
            XCTAssertTrue(shipped.stderr.hasPrefix("\(name): error: cannot read the prompt set: no such file; check the path; did "
                + "you mean PromptSets/shipped.yaml?"), shipped.stderr)
        }
        XCTAssertFalse(dangling.stderr.contains("dangling.yaml,") || dangling.stderr.contains("dangling.yaml)"), dangling.stderr)
        XCTAssertEqual(result.stdout, "lint: 2 files, 1 error (1 unreadable file), 0 warnings\n",
                       "the unreadable file counts as an error")
        // The step summary counts it so too (it said "0 errors, 0 warnings, 1 unreadable" beside the terminal's "1 error").
        let summary = directory.appendingPathComponent("summary.md")
        let inside = try lint(["good.yaml", "missing.yaml"],
                              environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(inside.status, 74)
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("## biasaudit lint: **failed**\n\n2 files, 1 error (1 unreadable file), 0 warnings.\n"),
                      markdown)
        // Hostile review: the path of an unreadable file was printed raw, its ESC sequence sent to the terminal.
        let hostile = try lint(["none\u{1b}[31m.yaml"])
        XCTAssertEqual(hostile.status, 74)
        XCTAssertTrue(hostile.stderr.hasPrefix("none\\u{1b}[31m.yaml: error: cannot read the prompt set"), hostile.stderr)
        XCTAssertFalse(hostile.stderr.contains("\u{1b}"), hostile.stderr.debugDescription)
        // The codes' order: a file that cannot be read (74) before one that is no prompt set file (65) before lint
        // errors (1), whatever the order of the files.
        try Data("SQLite format 3\u{0}".utf8).write(to: directory.appendingPathComponent("db.yaml"))
        for (files, status) in [(["no-slot.yaml", "db.yaml"], Int32(65)), (["db.yaml", "missing.yaml"], 74),
                                (["missing.yaml", "db.yaml"], 74), (["no-slot.yaml", "missing.yaml"], 74)] {
            XCTAssertEqual(try lint(files).status, status, "\(files)")
        }
    }

    func testJUnitAndGitHubOutput() throws {
        let junit = directory.appendingPathComponent("lint.xml")
        let summary = directory.appendingPathComponent("summary.md")
        let result = try lint(["good.yaml", "no-slot.yaml", "new-axis.yaml", "--junit", junit.path],
                              environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(result.status, 1)
        let root = try XCTUnwrap(try XMLDocument(contentsOf: junit).rootElement())
        XCTAssertEqual(root.elements(forName: "testsuite").map { $0.attribute(forName: "name")?.stringValue },
                       ["good.yaml", "no-slot.yaml", "new-axis.yaml"])
        XCTAssertEqual(root.elements(forName: "testsuite").map { $0.attribute(forName: "failures")?.stringValue }, ["0", "1", "0"])
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "1")
        let annotations = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }.map(String.init)
        XCTAssertEqual(annotations.count, 2, result.stdout)
        XCTAssertTrue(annotations[0].hasPrefix("::error file=no-slot.yaml,line=6,col=5,title=biasaudit lint%3A slot::"),
                      annotations[0])
        XCTAssertTrue(annotations[1].hasPrefix("::warning file=new-axis.yaml,line=3,col=7,title=biasaudit lint%3A unknown-axis::"),
                      annotations[1])
        XCTAssertTrue(try String(contentsOf: summary, encoding: .utf8).hasPrefix("## biasaudit lint: **failed**"))
        // A step summary named as a linted set is not appended to, whether the lint reaches its verdict or stops (a code
        // review: `lint rel.yaml --junit rel.yaml` with GITHUB_STEP_SUMMARY=rel.yaml appended Markdown to the set).
        let set = directory.appendingPathComponent("good.yaml")
        let before = try Data(contentsOf: set)
        for extra in [[], ["--junit", set.path]] {
            let onInput = try lint(["good.yaml"] + extra, environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": set.path])
            XCTAssertEqual(onInput.status, 64, "\(extra): \(onInput.stderr)")
            XCTAssertTrue(onInput.stderr.contains("GITHUB_STEP_SUMMARY \(set.path) would overwrite an input of this command"),
                          onInput.stderr)
            XCTAssertEqual(try Data(contentsOf: set), before, "\(extra): the set was changed")
        }
        // Nor when the command line is refused: a set in a folder given, or given as an option's `=` value (a code review).
        for arguments in [["--bogus", "."], ["--junit=good.yaml", "--bogus"]] {
            let refused = try lint(arguments, environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": set.path])
            XCTAssertEqual(refused.status, 64, "\(arguments): \(refused.stderr)")
            XCTAssertEqual(try Data(contentsOf: set), before, "\(arguments): the set was changed")
        }
    }

    /// CI review: a JUnit file or step summary that could not be written replaced lint's exit 1 with 74 or 64 and lost
    /// the annotations and the summary; `check` kept its 1. Every output is attempted, the lost one is said.
    func testFailedLintKeepsItsCodeWhenAnOutputCannotBeWritten() throws {
        let missing = directory.appendingPathComponent("no/such")
        let junit = missing.appendingPathComponent("l.xml").path
        let summary = directory.appendingPathComponent("summary.md")
        let result = try lint(["good.yaml", "no-slot.yaml", "--junit", junit],
                              environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasSuffix("biasaudit: \(junit): error: cannot write the JUnit XML report: its folder "
            + "\(missing.path) does not exist; create it or choose another path (--junit)\n"), result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("::error file=no-slot.yaml,") }.count, 1,
                       result.stdout)
        XCTAssertTrue(try String(contentsOf: summary, encoding: .utf8).hasPrefix("## biasaudit lint: **failed**"))
        // A step summary that is a folder (exit 64 on its own).
        let folder = try lint(["good.yaml", "no-slot.yaml"],
                              environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": directory.path])
        XCTAssertEqual(folder.status, 1, folder.stderr)
        XCTAssertTrue(folder.stdout.contains("::error file=no-slot.yaml,"), folder.stdout)
        XCTAssertTrue(folder.stderr.hasSuffix("biasaudit: error: \(directory.path) is a folder, not a regular file: biasaudit "
            + "writes the GitHub step summary (GITHUB_STEP_SUMMARY) only to a regular file; point it at one (or at a path "
            + "that does not exist yet)\n"), folder.stderr)
        // Without another failure the lost output's code is the exit code, as for `check`.
        let clean = try lint(["good.yaml", "--junit", junit])
        XCTAssertEqual(clean.status, 74, clean.stderr)
        XCTAssertEqual(clean.stdout, "lint: 1 file, 0 errors, 0 warnings\n")
        XCTAssertEqual(clean.stderr, "biasaudit: \(junit): error: cannot write the JUnit XML report: its folder "
            + "\(missing.path) does not exist; create it or choose another path (--junit)\n")
        // Under GitHub Actions the lost file is an annotation and a line of the step summary too (a code review: the
        // summary said "passed" beside exit 74).
        try? FileManager.default.removeItem(at: summary)
        let announced = try lint(["good.yaml", "--junit", junit],
                                 environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(announced.status, 74, announced.stderr)
        XCTAssertTrue(announced.stdout.contains("::error title=biasaudit lint%3A the JUnit report was not written (exit 74)::"
            + "\(junit): error: cannot write the JUnit XML report"), announced.stdout)
        let step = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(step.contains("**biasaudit lint: the JUnit report was not written (exit 74)**: "), step)
        // An unreadable file keeps its 74.
        XCTAssertEqual(try lint(["missing.yaml", "--junit", junit]).status, 74)
    }

    /// CI review: a lint that stopped before linting left an earlier JUnit file in place (a green report uploaded with
    /// `if: always()`); it now holds one test case in error naming why.
    func testALintThatStopsReplacesAnEarlierJUnitFileWithItsError() throws {
        let junit = directory.appendingPathComponent("lint.xml")
        XCTAssertEqual(try lint(["good.yaml", "--junit", junit.path]).status, 0)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let result = try lint(["empty", "--junit", junit.path])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertEqual(result.stderr, "biasaudit: error: no prompt sets (*.yaml) in empty; give the files\n")
        let root = try XCTUnwrap(try XMLDocument(contentsOf: junit).rootElement())
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "0")
        XCTAssertEqual(root.attribute(forName: "errors")?.stringValue, "1")
        let error = try XCTUnwrap(try root.nodes(forXPath: "testsuite/testcase/error").first as? XMLElement)
        XCTAssertEqual(error.attribute(forName: "message")?.stringValue, "error: no prompt sets (*.yaml) in empty; give the files")
        XCTAssertEqual(error.attribute(forName: "type")?.stringValue, "exit 64")
        // Nothing is written where the destination is refused (here: the folder itself).
        let refused = try lint(["empty", "--junit", "empty"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("empty").path), [])
        // A refused destination is announced under GitHub Actions as any stop before the verdict (a newcomer's review).
        let summary = directory.appendingPathComponent("summary.md")
        let input = try lint(["good.yaml", "--junit", "good.yaml"],
                             environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        XCTAssertEqual(input.status, 64, input.stderr)
        XCTAssertTrue(input.stdout.hasPrefix("::error title=biasaudit lint%3A stopped before its verdict (exit 64)::"), input.stdout)
        let step = try String(contentsOf: summary, encoding: .utf8)
        XCTAssertTrue(step.contains("biasaudit lint: **stopped** (exit 64)"), step)
    }
}
