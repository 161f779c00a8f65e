import AuditResults
import Foundation
import Gate
import PromptSets
import Reporting
import TestSupport
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Outcomes of a crafted check: two sets, a failure with numbers, a skip, and passes.
enum GateSamples {
    static func outcome(
        _ rule: String, set: String, subject: String, model: String = "gpt2", status: PolicyOutcome.Status,
        measured: Double? = 0.1, detail: String = "|A − B| = 0.1000 ≤ 0.2000"
    ) -> PolicyOutcome {
        PolicyOutcome(ruleID: rule, ruleKind: "max_abs_contrast", ruleLocation: PolicyLocation(line: 3, column: 5),
                      set: set, subject: subject, model: model, status: status, measured: measured, limit: 0.2,
                      detail: detail)
    }

    static let report = PolicyReport(
        policyPath: "policy.yaml", resultsPath: "results.json", ruleIDs: ["race", "jobs", "unused"],
        outcomes: [
            outcome("race", set: "regard-race", subject: "regard-race/sentiment/black-vs-white", model: "distilgpt2",
                    status: .passed),
            outcome("race", set: "regard-race", subject: "regard-race/sentiment/black-vs-white", status: .failed,
                    measured: 0.25, detail: "|A − B| = 0.2500 > 0.2000 (q = 0.0010)"),
            outcome("jobs", set: "occupations", subject: "occupations/male_share/male-vs-female", status: .skipped,
                    measured: nil, detail: "the contrast is undefined (no data for a group)"),
            outcome("jobs", set: "regard-race", subject: "regard-race/male_share/black-vs-white", status: .passed),
        ])
}

final class JUnitReportTests: XCTestCase {
    private let timestamp = Date(timeIntervalSince1970: 1_700_000_000)

    private func parse(_ report: JUnitReport) throws -> XMLElement {
        let document = try XMLDocument(data: report.xmlData())
        return try XCTUnwrap(document.rootElement())
    }

    private func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attribute(forName: name)?.stringValue
    }

    private func children(_ element: XMLElement, _ name: String) -> [XMLElement] {
        element.elements(forName: name)
    }

    /// Checks the structure the JUnit schema (Ant's / Jenkins' junit XSD) requires: allowed children and
    /// required attributes at every level, counts that agree with the cases. Returns the problems found.
    private func schemaProblems(_ root: XMLElement) -> [String] {
        var problems: [String] = []
        func require(_ element: XMLElement, _ names: [String], _ context: String) {
            for name in names where attribute(element, name) == nil {
                problems.append("\(context): missing attribute '\(name)'")
            }
        }
        func allowOnly(_ element: XMLElement, _ names: Set<String>, _ context: String) {
            for child in element.children ?? [] where child.kind == .element && !names.contains(child.name ?? "") {
                problems.append("\(context): unexpected element <\(child.name ?? "")>")
            }
        }
        if root.name != "testsuites" { problems.append("root is <\(root.name ?? "")>, not <testsuites>") }
        require(root, ["name", "tests", "failures", "errors", "time"], "testsuites")
        allowOnly(root, ["testsuite"], "testsuites")
        var totals = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for suite in children(root, "testsuite") {
            let context = "testsuite '\(attribute(suite, "name") ?? "?")'"
            require(suite, ["name", "tests", "failures", "errors", "skipped", "time", "timestamp"], context)
            allowOnly(suite, ["properties", "testcase", "system-out", "system-err"], context)
            for property in children(suite, "properties").flatMap({ children($0, "property") }) {
                require(property, ["name", "value"], "\(context) property")
            }
            let cases = children(suite, "testcase")
            var counts = (failures: 0, errors: 0, skipped: 0)
            for testCase in cases {
                let caseContext = "\(context) testcase '\(attribute(testCase, "name") ?? "?")'"
                require(testCase, ["name", "classname", "time"], caseContext)
                allowOnly(testCase, ["skipped", "failure", "error", "system-out", "system-err"], caseContext)
                for failure in children(testCase, "failure") + children(testCase, "error") {
                    require(failure, ["message", "type"], "\(caseContext) <\(failure.name ?? "")>")
                }
                counts.failures += children(testCase, "failure").isEmpty ? 0 : 1
                counts.errors += children(testCase, "error").isEmpty ? 0 : 1
                counts.skipped += children(testCase, "skipped").isEmpty ? 0 : 1
            }
            let declared = ["tests": cases.count, "failures": counts.failures, "errors": counts.errors, "skipped": counts.skipped]
            for (name, count) in declared where attribute(suite, name) != "\(count)" {
                problems.append("\(context): \(name)=\(attribute(suite, name) ?? "nil") but \(count) counted")
            }
            totals.tests += cases.count
            totals.failures += counts.failures
            totals.errors += counts.errors
            totals.skipped += counts.skipped
        }
        for (name, count) in ["tests": totals.tests, "failures": totals.failures, "errors": totals.errors,
                              "skipped": totals.skipped] where attribute(root, name) != "\(count)" {
            problems.append("testsuites: \(name)=\(attribute(root, name) ?? "nil") but \(count) counted")
        }
        return problems
    }

    func testCheckReportHasOneSuitePerPromptSetAndOneCasePerRuleAndSubject() throws {
        let root = try parse(JUnitReport(policy: GateSamples.report, timestamp: timestamp))
        XCTAssertEqual(schemaProblems(root), [])
        XCTAssertEqual(attribute(root, "name"), "biasaudit check")
        XCTAssertEqual([attribute(root, "tests"), attribute(root, "failures"), attribute(root, "skipped")], ["4", "1", "1"])
        let suites = children(root, "testsuite")
        XCTAssertEqual(suites.map { attribute($0, "name") }, ["regard-race", "occupations"])
        XCTAssertEqual(suites.map { attribute($0, "tests") }, ["3", "1"])
        XCTAssertEqual(attribute(suites[0], "timestamp"), "2023-11-14T22:13:20Z")
        let properties = children(children(suites[0], "properties")[0], "property")
        XCTAssertEqual(properties.map { attribute($0, "value") }, ["policy.yaml", "results.json"])

        let cases = children(suites[0], "testcase")
        XCTAssertEqual(cases.map { attribute($0, "name") }, [
            "race: regard-race/sentiment/black-vs-white [distilgpt2]", "race: regard-race/sentiment/black-vs-white [gpt2]",
            "jobs: regard-race/male_share/black-vs-white [gpt2]",
        ])
        XCTAssertEqual(attribute(cases[0], "classname"), "biasaudit.check.regard-race")
        let failure = try XCTUnwrap(children(cases[1], "failure").first)
        XCTAssertEqual(attribute(failure, "type"), "max_abs_contrast")
        XCTAssertEqual(attribute(failure, "message"),
                       "regard-race/sentiment/black-vs-white [gpt2]: |A − B| = 0.2500 > 0.2000 (q = 0.0010)")
        XCTAssertEqual(failure.stringValue, """
            rule: race (max_abs_contrast) at policy.yaml:3:5
            subject: regard-race/sentiment/black-vs-white
            model: gpt2
            measured: 0.2500
            limit: 0.2000
            |A − B| = 0.2500 > 0.2000 (q = 0.0010)
            """)
        let skipped = try XCTUnwrap(children(children(suites[1], "testcase")[0], "skipped").first)
        XCTAssertEqual(attribute(skipped, "message"), "the contrast is undefined (no data for a group)")
        XCTAssertTrue(children(cases[0], "failure").isEmpty && children(cases[0], "skipped").isEmpty)
    }

    /// The suites name the completions the gated results were computed from (`completions_sha256`, as results.json
    /// names it) where the results record them, and nothing where they do not (results written before the field).
    func testCheckSuitesNameTheCompletionsDigestWhereTheResultsRecordIt() throws {
        let digest = String(repeating: "0123456789abcdef", count: 4)
        var report = GateSamples.report
        report.completionsSHA256 = digest
        let root = try parse(JUnitReport(policy: report, timestamp: timestamp))
        XCTAssertEqual(schemaProblems(root), [])
        for suite in children(root, "testsuite") {
            let properties = children(children(suite, "properties")[0], "property")
            XCTAssertEqual(properties.map { attribute($0, "name") }, ["policy", "results", "completions_sha256"])
            XCTAssertEqual(properties.map { attribute($0, "value") }, ["policy.yaml", "results.json", digest])
        }
        let without = try parse(JUnitReport(policy: GateSamples.report, timestamp: timestamp))
        for suite in children(without, "testsuite") {
            let properties = children(children(suite, "properties")[0], "property")
            XCTAssertEqual(properties.map { attribute($0, "name") }, ["policy", "results"])
        }
    }

    func testSchemaCheckCatchesWrongCounts() throws {
        let root = try parse(JUnitReport(policy: GateSamples.report, timestamp: timestamp))
        children(root, "testsuite")[0].attribute(forName: "failures")?.stringValue = "0"
        XCTAssertEqual(schemaProblems(root), ["testsuite 'regard-race': failures=0 but 1 counted"],
                       "the structural check must notice counts that disagree with the cases")
    }

    func testLintReportHasOneCasePerRuleAndFailsOnlyOnErrorsUnlessStrict() throws {
        let files = [
            LintedFile(path: "PromptSets/a.yaml", diagnostics: [
                LintDiagnostic(file: "PromptSets/a.yaml", line: 3, column: 5, rule: .slot, message: "template 'x' has no slot"),
                LintDiagnostic(file: "PromptSets/a.yaml", line: 9, column: 3, rule: .groupSize, message: "groups differ in size"),
            ]),
            LintedFile(path: "missing.yaml", diagnostics: [], readError: "cannot read the prompt set (no such file)"),
        ]
        let lenient = try parse(JUnitReport(lint: files, strict: false, timestamp: timestamp))
        XCTAssertEqual(schemaProblems(lenient), [])
        let suites = children(lenient, "testsuite")
        XCTAssertEqual(suites.map { attribute($0, "name") }, ["PromptSets/a.yaml", "missing.yaml"])
        let cases = children(suites[0], "testcase")
        XCTAssertEqual(cases.map { attribute($0, "name") }, LintRule.allCases.map(\.rawValue))
        XCTAssertEqual(attribute(suites[0], "failures"), "1")
        let slot = cases[LintRule.allCases.firstIndex(of: .slot)!]
        XCTAssertEqual(attribute(children(slot, "failure")[0], "message"), "PromptSets/a.yaml:3:5: error: template 'x' has no slot")
        let size = cases[LintRule.allCases.firstIndex(of: .groupSize)!]
        XCTAssertTrue(children(size, "failure").isEmpty)
        XCTAssertEqual(children(size, "system-out").first?.stringValue,
                       "PromptSets/a.yaml:9:3: warning: groups differ in size [group-size]")
        let unreadable = children(suites[1], "testcase")
        XCTAssertEqual(unreadable.count, 1)
        XCTAssertEqual(attribute(children(unreadable[0], "error")[0], "type"), "unreadable")
        XCTAssertEqual(attribute(lenient, "errors"), "1")

        let strict = try parse(JUnitReport(lint: files, strict: true, timestamp: timestamp))
        XCTAssertEqual(schemaProblems(strict), [])
        XCTAssertEqual(attribute(children(strict, "testsuite")[0], "failures"), "2")
    }

    func testTextIsEscapedAndControlCharactersAreReplaced() throws {
        let report = JUnitReport(
            name: "a & <b>", suites: [
                JUnitReport.Suite(name: "s \"q\"", cases: [
                    JUnitReport.TestCase(
                        name: "case\u{1B}[31m", className: "c",
                        failure: .init(message: "x < y & \"z\"\u{0}\nnext\r\nlast\tend\u{2028}para", type: "t",
                                       body: "line 1\nline 2 <tag>\u{7}\u{202E}\u{85}\u{9B}\u{7F}")),
                ]),
            ], timestamp: timestamp)
        let root = try parse(report)
        XCTAssertEqual(attribute(root, "name"), "a & <b>")
        // Shown as every other output shows them (a hostile review: U+202E and C1 controls reached the XML raw).
        let testCase = children(children(root, "testsuite")[0], "testcase")[0]
        XCTAssertEqual(attribute(testCase, "name"), "case\\u{1b}[31m")
        let failure = children(testCase, "failure")[0]
        // Attributes are one line (line breaks and tabs as spaces); the body keeps its lines.
        XCTAssertEqual(attribute(failure, "message"), "x < y & \"z\"\\u{0} next last end para")
        XCTAssertEqual(failure.stringValue, "line 1\nline 2 <tag>\\u{7}\\u{202e}\\u{85}\\u{9b}\\u{7f}")
    }

    func testWriteCreatesTheFileOrNamesIt() throws {
        let directory = try Fixtures.temporaryDirectory("gate-junit")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("junit.xml")
        try JUnitReport(policy: GateSamples.report, timestamp: timestamp).write(to: url)
        let document = try XMLDocument(contentsOf: url)
        XCTAssertEqual(document.rootElement()?.name, "testsuites")
        let unwritable = directory.appendingPathComponent("missing/junit.xml")
        XCTAssertThrowsError(try JUnitReport(policy: GateSamples.report, timestamp: timestamp).write(to: unwritable)) {
            guard case AuditError.io(let path, _) = $0 else { return XCTFail("expected io, got \($0)") }
            XCTAssertEqual(path, unwritable.path)
        }
    }
}
