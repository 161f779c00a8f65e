import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import PromptSets
import Reporting

extension BiasAudit {
    /// `biasaudit lint`: validate prompt sets, with compiler-style diagnostics.
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate prompt sets: file:line:col: error: … diagnostics on standard error.",
            discussion: """
                Lints every FILE (a directory stands for its *.yaml files), or every PromptSets/*.yaml when no \
                FILE is given. With --junit the results are written as JUnit XML (one suite per file, one case \
                per lint rule); under GitHub Actions (GITHUB_ACTIONS=true) findings are also annotations and a \
                summary is appended to $GITHUB_STEP_SUMMARY.

                Exit codes: 0 clean, 1 errors (or warnings with --strict), 65 a file could not be read.
                """)

        @Argument(help: ArgumentHelp("Prompt-set files or directories (default: PromptSets/*.yaml).", valueName: "file"))
        var files: [String] = []

        @Flag(name: .long, help: "Treat warnings as errors.")
        var strict = false

        @Option(name: .long, help: ArgumentHelp("Write the results as JUnit XML to this file.", valueName: "file"))
        var junit: String?

        func run() async throws {
            try await reportingErrors {
                let paths = try PromptSetFiles.expand(files).map(\.relativePath)
                if let junit {
                    try InputOverwriteGuard.check(output: junit, option: "--junit", inputs: paths)
                    try ForeignOutputGuard.checkFileOutput(junit, option: "--junit")
                    try OutputFiles.checkTarget(URL(fileURLWithPath: junit))
                }
                let linter = try Linter()
                var linted: [LintedFile] = []
                var names: [String: String] = [:]
                for path in paths {
                    let data: Data
                    do {
                        data = try InputFile.read(
                            URL(fileURLWithPath: path), path: path, what: "the prompt set", limit: InputFile.Limit.text)
                    } catch {
                        let reason = TextEscaping.line((error as? AuditError)?.reason ?? "\(error)")
                        printError("\(TextEscaping.message(path)): error: \(reason)")
                        linted.append(LintedFile(path: path, diagnostics: [], readError: reason))
                        continue
                    }
                    let diagnostics = linter.lint(data: data, path: path, names: &names)
                    diagnostics.forEach { printError($0.description) }
                    linted.append(LintedFile(path: path, diagnostics: diagnostics))
                }
                let all = linted.flatMap(\.diagnostics)
                let errors = all.filter { $0.severity == .error }.count
                let unreadable = linted.filter { $0.readError != nil }.count
                print("lint: \(paths.count) file(s), \(errors + unreadable) error(s)"
                    + (unreadable > 0 ? " (\(unreadable) unreadable file(s))" : "") + ", \(all.count - errors) warning(s)")
                if let junit {
                    try JUnitReport(lint: linted, strict: strict, timestamp: Date()).write(to: URL(fileURLWithPath: junit))
                }
                let ci = CIOutput(environment: ProcessInfo.processInfo.environment)
                for line in ci.annotationLines(CIOutput.annotations(for: linted, strict: strict)) {
                    print(line)
                }
                try ci.appendStepSummary(CIOutput.summary(of: linted, strict: strict))
                if linted.contains(where: { $0.readError != nil }) { throw ExitCode(65) }
                if all.hasErrors(strict: strict) { throw ExitCode(1) }
            }
        }
    }
}
