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
                Lints every FILE (a directory stands for its *.yaml and *.yml files), or every set in PromptSets/ when no \
                FILE is given. With --junit the results are written as JUnit XML (one suite per file, one case \
                per lint rule); under GitHub Actions (GITHUB_ACTIONS=true) findings are also annotations and a \
                summary is appended to $GITHUB_STEP_SUMMARY.

                Exit codes: 0 clean, 1 errors (or warnings with --strict; a file that is not UTF-8 text is an error), \
                74 a file could not be read (or an output cannot be written), 65 a file that is no prompt set file (a \
                FIFO, a device, a kernel pseudo-file, an SQLite database, one too large), 64 usage \
                error (no prompt sets, a --junit or $GITHUB_STEP_SUMMARY naming something other than a regular file). \
                After errors (1) or a file that could not be read (74, 65) an output that cannot \
                be written is said and that code stays; a lint that stops before linting writes its error as the \
                --junit file's one test case.
                """)

        @Argument(
            help: ArgumentHelp(
                "Prompt-set files or directories (default: the *.yaml and *.yml files of PromptSets/).", valueName: "file"))
        var files: [String] = []

        @Flag(name: .long, help: "Treat warnings as errors.")
        var strict = false

        func validate() throws {
            try EmptyPathOptions.refuseEmpty(files, name: "a prompt set")
        }

        @Option(name: .long, help: ArgumentHelp("Write the results as JUnit XML to this file.", valueName: "file"))
        var junit: String?

        func run() async throws {
            try await reportingErrors {
                // Prompt sets that cannot be listed (no PromptSets/ here, an empty folder) replace an earlier --junit
                // file with that error, as `check` does (CI review: an earlier green report was left and uploaded).
                let paths = try await GateOutputs.stoppingBeforeVerdict(
                    "lint", junit: junit.flatMap { junit in
                        (try? GateOutputs.checkJUnitDestination(junit, inputs: files, folderMustExist: false)).map { junit }
                    }, inputs: files) {
                    try PromptSetFiles.expand(files).map(\.relativePath)
                }
                if let junit {
                    // Its folder is not checked here: the findings and annotations are worth more than the file, and
                    // after errors a lost JUnit file keeps exit 1 (README, "Exit codes").
                    // Refused, it is still announced under GitHub Actions (a newcomer's review: an empty step summary).
                    try await GateOutputs.stoppingBeforeVerdict("lint", junit: nil, inputs: paths) {
                        try GateOutputs.checkJUnitDestination(junit, inputs: paths, folderMustExist: false)
                    }
                }
                let linter = try await GateOutputs.stoppingBeforeVerdict("lint", junit: junit, inputs: paths) { try Linter() }
                var linted: [LintedFile] = []
                var names: [String: String] = [:]
                // The exit code of each file that could not be read: its error's, as `run` gives for the same file (74 for
                // a missing or unreadable one, DESIGN.md's I/O error; 65 for one that is no prompt set file, such as a
                // kernel pseudo-file). It was 65 for every one (a contract review).
                var readFailures: [Int32] = []
                for path in paths {
                    let data: Data
                    do {
                        data = try PromptSetFiles.read(URL(fileURLWithPath: path), path: path)
                    } catch {
                        let reason = TextEscaping.line((error as? AuditError)?.reason ?? "\(error)")
                        readFailures.append((error as? AuditError)?.exitCode ?? 74)
                        printError("\(TextEscaping.message(path, startsLine: true)): error: \(reason)")
                        linted.append(LintedFile(path: path, diagnostics: [], readError: reason))
                        continue
                    }
                    let diagnostics = linter.lint(data: data, path: path, names: &names)
                    diagnostics.forEach { printError($0.description(strict: strict)) }
                    linted.append(LintedFile(path: path, diagnostics: diagnostics))
                }
                let all = linted.flatMap(\.diagnostics)
                // The step summary's counts, in its words. Under --strict the warnings fail: the count says so (CI review:
                // "0 error(s), 2 warning(s)", then exit 1).
                print("lint: \(LintedFile.counts(of: linted))"
                    + (strict && all.contains { $0.severity == .warning } ? " (warnings count as errors under --strict)" : ""))
                // An I/O failure (74) before bad data (65) before lint errors (1).
                let failure: Int32? = readFailures.contains(74) ? 74 : readFailures.first ?? (all.hasErrors(strict: strict) ? 1 : nil)
                try GateOutputs.finish(
                    "lint", failure: failure, junit: junit,
                    report: { JUnitReport(lint: linted, strict: strict, timestamp: Date()) },
                    annotations: CIOutput.annotations(for: linted, strict: strict),
                    summary: { CIOutput.summary(of: linted, strict: strict) }, inputs: paths)
            }
        }

    }
}
