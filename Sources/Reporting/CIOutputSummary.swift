import AuditResults
import Foundation
import Gate
import PromptSets

extension CIOutput {
    // MARK: - check

    /// One error annotation per violated rule × subject and one warning per subject a rule could not judge
    /// ("insufficient data", "cannot fail with this design"; errors under `--strict`), pointing at the rule in
    /// the policy file; strings from the results and the policy are shown on one line with control
    /// characters visible.
    /// Each of the report's ``Gate/PolicyReport/notes`` is a warning annotation on the results file, first.
    public static func annotations(for report: PolicyReport) -> [CIAnnotation] {
        report.notes.map { note in
            CIAnnotation(
                level: .warning, title: "biasaudit check: note", message: TextEscaping.line(note),
                file: TextEscaping.line(report.resultsPath))
        } + report.outcomes.filter { $0.status == .failed || $0.status.isWarning }.map { outcome in
            CIAnnotation(
                level: report.isFailing(outcome) ? .error : .warning,
                title: TextEscaping.line("biasaudit check: \(outcome.ruleID)"
                    + (outcome.status.isWarning ? " (\(outcome.status.words))" : "")),
                message: TextEscaping.line("\(outcome.subject) [\(outcome.model)]: \(outcome.detail)"),
                file: TextEscaping.line(report.policyPath), line: outcome.ruleLocation.line,
                column: outcome.ruleLocation.column)
        }
    }

    /// One warning annotation per finding about the policy itself (``Gate/Policy/warnings``: a rule that can never
    /// fail, or a limit read as a proportion that may have been meant as percentage points), at the value it is about in
    /// the policy file; never an error, under `--strict` neither.
    public static func annotations(for policy: Policy) -> [CIAnnotation] {
        policy.warnings.map { warning in
            CIAnnotation(
                level: .warning, title: TextEscaping.line("biasaudit check: \(warning.ruleID) (\(warning.titleWords))"),
                message: TextEscaping.line(warning.message), file: TextEscaping.line(policy.path),
                line: warning.location.line, column: warning.location.column)
        }
    }

    /// A Markdown summary of a policy check: a table per rule, the failures and the warnings with their numbers.
    public static func summary(of report: PolicyReport) -> String {
        let warningCounts = [PolicyOutcome.Status.insufficientData, .cannotFail].compactMap { status in
            report.count(status) > 0 ? "\(report.count(status)) \(status.words)" : nil
        }
        var lines = [
            "## biasaudit check: \(report.holds ? "passed" : "**failed**")", "",
            "Policy \(code(report.policyPath)) on \(code(report.resultsPath)): "
                + "\(ReportNumbers.counted(report.ruleIDs.count, "rule")), \(ReportNumbers.counted(report.outcomes.count, "check")): "
                + "\(report.count(.passed)) passed, \(report.count(.failed)) failed, "
                + "\(report.count(.skipped)) skipped"
                + (warningCounts.isEmpty ? "" : "; warnings: " + warningCounts.joined(separator: ", "))
                // Under --strict the warnings fail too: say how many checks fail the gate in all, as the text output
                // does ("3 of 16 checks failed" beside "1 failed" here confused a review).
                + (report.strict
                    ? " (strict: warnings fail the gate; \(report.failures.count) of \(report.outcomes.count) checks fail it)."
                    : "."), "",
        ]
        for note in report.notes { lines += ["> **Note:** \(cell(TextEscaping.line(note)))", ""] }
        for warning in report.policyWarnings { lines += ["> **Policy warning:** \(cell(TextEscaping.line(warning)))", ""] }
        lines += [
            // Under --strict the warnings fail too: the column counts every failing check (review: "failed 0" beside
            // the rule that failed the job).
            "| rule | kind | checks | \(report.strict ? "failing (strict)" : "failed") | skipped | insufficient data | cannot fail |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        let byRule = report.outcomesByRule
        for id in report.ruleIDs {
            let outcomes = byRule[id] ?? []
            let kind = outcomes.first?.ruleKind ?? ""  // one of the parser's four kinds: nothing to escape
            let count = { (status: PolicyOutcome.Status) in outcomes.filter { $0.status == status }.count }
            lines.append("| \(cell(id)) | \(kind) | \(outcomes.count) | \(outcomes.filter(report.isFailing).count) | \(count(.skipped)) | "
                + "\(count(.insufficientData)) | \(count(.cannotFail)) |")
        }
        for (title, outcomes) in [("Failures", report.failures), ("Warnings", report.warnings)] where !outcomes.isEmpty {
            lines += ["", "### \(title)", "", "| rule | subject | model | measured | limit | detail | status |",
                      "|---|---|---|---:|---:|---|---|"]
            for outcome in outcomes {
                lines.append("| \(cell(outcome.ruleID)) | \(cell(outcome.subject)) | \(cell(outcome.model)) | "
                    + "\(outcome.measured == nil ? ReportNumbers.missing : outcome.printedMeasured) | \(outcome.printedLimit) | "
                    + "\(cell(outcome.detail)) | \(outcome.status.words) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - a gate stopped before its verdict

    /// The annotation and step summary of `check` or `lint` stopped by an error before its verdict (a malformed policy,
    /// results file or prompt-set list; a usage error): one error annotation, at `file`'s `line` and `column` when the
    /// error names that place (a policy's), and a summary heading that says the gate stopped, with its exit code and the
    /// error. `message` is shown on one line with control characters visible.
    public static func stopped(
        _ command: String, exitCode: Int32, message: String, file: String? = nil, line: Int? = nil, column: Int? = nil
    ) -> (annotation: CIAnnotation, summary: String) {
        let shown = TextEscaping.line(message)
        let annotation = CIAnnotation(
            level: .error, title: "biasaudit \(command): stopped before its verdict (exit \(exitCode))", message: shown,
            file: file.map(TextEscaping.line), line: line, column: column)
        let position = [line, column].compactMap { $0 }.map { ":\($0)" }.joined()
        let place = file.map { code(TextEscaping.line($0 + position)) + ": " } ?? ""
        let summary = ["## biasaudit \(command): **stopped** (exit \(exitCode))", "",
                       "The gate stopped before its verdict: \(place)\(cell(shown))"]
        return (annotation, summary.joined(separator: "\n") + "\n")
    }

    /// The annotation and step-summary paragraph of a gate output that could not be written (the `--junit` file: a
    /// missing folder, a full disk), after the verdict: an error annotation and a line under the verdict's summary.
    /// `message` is shown on one line with control characters visible.
    /// - Parameter exitCode: the command's exit code for it, nil when the gate's own failure (1, 65) is the exit code.
    public static func lostOutput(
        _ command: String, what: String, exitCode: Int32?, message: String
    ) -> (annotation: CIAnnotation, summary: String) {
        let shown = TextEscaping.line(message)
        let title = "biasaudit \(command): \(what) was not written" + (exitCode.map { " (exit \($0))" } ?? "")
        return (CIAnnotation(level: .error, title: title, message: shown), "\n**\(cell(title))**: \(cell(shown))\n")
    }

    // MARK: - lint

    /// One annotation per finding (errors, and warnings as warnings unless `strict` makes them errors)
    /// and one per unreadable file; quoted prompt-set text is shown on one line with control characters visible.
    public static func annotations(for files: [LintedFile], strict: Bool) -> [CIAnnotation] {
        files.flatMap { file -> [CIAnnotation] in
            if let readError = file.readError {
                return [CIAnnotation(level: .error, title: "biasaudit lint: unreadable file",
                                     message: TextEscaping.line(readError), file: TextEscaping.line(file.path))]
            }
            return file.diagnostics.map { diagnostic in
                CIAnnotation(
                    level: diagnostic.severity == .error || strict ? .error : .warning,
                    title: "biasaudit lint: \(diagnostic.rule.rawValue)", message: TextEscaping.line(diagnostic.message),
                    file: TextEscaping.line(diagnostic.file), line: diagnostic.line, column: diagnostic.column)
            }
        }
    }

    /// A Markdown summary of a lint run: a table of files and every finding.
    public static func summary(of files: [LintedFile], strict: Bool) -> String {
        let unreadable = files.filter { $0.readError != nil }.count
        let failed = unreadable > 0 || files.contains { !$0.failing(strict: strict).isEmpty }
        var lines = [
            "## biasaudit lint: \(failed ? "**failed**" : "passed")", "",
            LintedFile.counts(of: files) + (strict ? " (strict: warnings fail)" : "") + ".",
            "", "| file | errors | warnings |", "|---|---:|---:|",
        ]
        for file in files {
            let fileErrors = file.readError != nil ? "unreadable" : "\(file.diagnostics.filter { $0.severity == .error }.count)"
            lines.append("| \(code(file.path)) | \(fileErrors) | \(file.diagnostics.filter { $0.severity == .warning }.count) |")
        }
        let findings = files.flatMap(\.diagnostics)
        if !findings.isEmpty || unreadable > 0 {
            lines += ["", "### Findings", "", "| where | severity | rule | message |", "|---|---|---|---|"]
            for file in files {
                if let readError = file.readError {
                    lines.append("| \(code(file.path)) | error | unreadable | \(cell(readError)) |")
                }
                for diagnostic in file.diagnostics {
                    lines.append("| \(code("\(diagnostic.file):\(diagnostic.line):\(diagnostic.column)")) | "
                        + "\(diagnostic.severity.rawValue) | \(diagnostic.rule.rawValue) | \(cell(diagnostic.message)) |")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Markdown

    /// Untrusted text for a Markdown table cell: the report's escaping (``ReportEscaping/markdownInline(_:)``).
    static func cell(_ text: String) -> String {
        ReportEscaping.markdownInline(text)
    }

    /// A path as inline code (``ReportEscaping/markdownCode(_:)``).
    static func code(_ text: String) -> String {
        ReportEscaping.markdownCode(text)
    }
}
