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
        XCTAssertTrue(result.stdout.hasSuffix(" error(s), 0 warning(s)\n") && result.stdout.contains(", 0 error(s)"), result.stdout)
    }

    func testErrorsExitOneWithCompilerStyleDiagnostics() throws {
        let result = try lint(["good.yaml", "no-slot.yaml"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("no-slot.yaml:6:5: error: template 'The person was' has no slot"), result.stderr)
        XCTAssertEqual(result.stdout, "lint: 2 file(s), 1 error(s), 0 warning(s)\n")
        XCTAssertEqual(try lint(["good.yaml"]).status, 0)
    }

    func testWarningsFailOnlyWhenStrict() throws {
        let lenient = try lint(["new-axis.yaml"])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertTrue(lenient.stderr.hasPrefix("new-axis.yaml:3:7: warning: unknown axis 'hair-colour'"), lenient.stderr)
        XCTAssertEqual(try lint(["new-axis.yaml", "--strict"]).status, 1)
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

    func testUnreadableFileExits65() throws {
        let result = try lint(["good.yaml", "missing.yaml"])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.hasPrefix("missing.yaml: error: cannot read the prompt set"), result.stderr)
        XCTAssertEqual(result.stdout, "lint: 2 file(s), 1 error(s) (1 unreadable file(s)), 0 warning(s)\n",
                       "the unreadable file counts as an error")
        // Hostile review: the path of an unreadable file was printed raw, its ESC sequence sent to the terminal.
        let hostile = try lint(["none\u{1b}[31m.yaml"])
        XCTAssertEqual(hostile.status, 65)
        XCTAssertTrue(hostile.stderr.hasPrefix("none\\u{1b}[31m.yaml: error: cannot read the prompt set"), hostile.stderr)
        XCTAssertFalse(hostile.stderr.contains("\u{1b}"), hostile.stderr.debugDescription)
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
    }
}
