import AuditResults
import Foundation
import InputFiles
import PromptSets

/// What `biasaudit lint` found in one file.
public struct LintedFile: Sendable, Equatable {
    /// The file as the user named it.
    public var path: String
    /// Its findings, in file order.
    public var diagnostics: [LintDiagnostic]
    /// Why the file could not be read, when it could not (its diagnostics are then empty).
    public var readError: String?

    /// Creates a file's lint result.
    public init(path: String, diagnostics: [LintDiagnostic], readError: String? = nil) {
        self.path = path
        self.diagnostics = diagnostics
        self.readError = readError
    }

    /// The findings that fail `lint`: errors, and with `strict` warnings too.
    public func failing(strict: Bool) -> [LintDiagnostic] {
        diagnostics.filter { $0.severity == .error || strict }
    }

    /// The counts of a lint run, as its terminal line and its step summary both say them: "2 files, 1 error (1 unreadable
    /// file), 0 warnings". An unreadable file counts as an error, as it is everywhere else: said as `error:`, annotated
    /// and listed as an error, a JUnit case in error, and it fails the lint (exit 74, or 65 for a file that is no prompt set file); "0 errors" beside a failed lint
    /// would contradict them.
    public static func counts(of files: [LintedFile]) -> String {
        let findings = files.flatMap(\.diagnostics)
        let errors = findings.filter { $0.severity == .error }.count
        let unreadable = files.filter { $0.readError != nil }.count
        return "\(ReportNumbers.counted(files.count, "file")), \(ReportNumbers.counted(errors + unreadable, "error"))"
            + (unreadable > 0 ? " (\(ReportNumbers.counted(unreadable, "unreadable file")))" : "")
            + ", \(ReportNumbers.counted(findings.filter { $0.severity == .warning }.count, "warning"))"
    }
}

extension JUnitReport {
    /// The JUnit report of `biasaudit lint`: one suite per file, one case per lint rule. A case fails when
    /// the rule found an error (or, with `strict`, a warning) and lists every finding; warnings that do not
    /// fail are attached as output. An unreadable file is one case with an error.
    /// - Parameters:
    ///   - files: the linted files, in order.
    ///   - strict: whether warnings fail.
    ///   - timestamp: when the lint ran.
    public init(lint files: [LintedFile], strict: Bool, timestamp: Date) {
        let suites = files.map { file -> Suite in
            let className = "biasaudit.lint.\(Self.classComponent(file.path))"
            if let readError = file.readError {
                return Suite(name: file.path, cases: [
                    TestCase(name: "read", className: className,
                             error: Failure(message: readError, type: "unreadable", body: readError)),
                ])
            }
            let cases = LintRule.allCases.map { rule -> TestCase in
                let findings = file.diagnostics.filter { $0.rule == rule }
                let failing = findings.filter { $0.severity == .error || strict }
                let lines = findings.map { $0.description(strict: strict) }.joined(separator: "\n")
                return TestCase(
                    name: rule.rawValue, className: className,
                    failure: failing.isEmpty ? nil
                        : Failure(message: failing[0].description(strict: strict), type: rule.rawValue, body: lines),
                    systemOut: failing.isEmpty && !findings.isEmpty ? lines : nil)
            }
            return Suite(name: file.path, cases: cases)
        }
        self.init(name: "biasaudit lint", suites: suites, timestamp: timestamp)
    }

    /// A file name as a dotted class-name component (`PromptSets/class.yaml` → `class_yaml`).
    private static func classComponent(_ path: String) -> String {
        String(PathText.lastComponent(of: path).map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    }
}
