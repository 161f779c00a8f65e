import ArgumentParser
import AuditAnalysis
import AuditResults
import CommandSupport
import Foundation
import PromptSets
import Reporting

/// The outputs of the two gates, `check` and `lint`: the `--junit` file, the GitHub annotations and the step summary.
enum GateOutputs {
    /// Refuses a `--junit` destination before any work: one that is an input, a file of an audit's folder, or an
    /// existing non-regular file (exit 64); with `folderMustExist`, one whose folder does not exist (exit 74, in the
    /// words of the failed write), so that `check` says so before gating rather than after "gate: passed".
    static func checkJUnitDestination(_ path: String, inputs: [String], folderMustExist: Bool) throws {
        try InputOverwriteGuard.check(output: path, option: "--junit", inputs: inputs)
        try ForeignOutputGuard.checkFileOutput(path, option: "--junit")
        let url = URL(fileURLWithPath: path)
        try OutputFiles.checkTarget(url)
        guard folderMustExist else { return }
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw AuditError.io(path: url.path, reason: "cannot write the JUnit XML report: "
                + FileWriteFailure.reason(POSIXError(.ENOENT), writing: url, option: "--junit"))
        }
    }

    /// Writes the outputs of a verdict. Every output is attempted, and one that cannot be written is said; after a
    /// failed gate its code (`failure`: 1, or the 74 or 65 of a set lint could not read) stays, as the README promises (a full disk under `--junit`
    /// exited 74 and lost the annotations too); otherwise the first lost output's code is the exit code.
    /// - Parameters:
    ///   - annotatedBefore: how many annotations of each level the command printed before its verdict (a policy's warnings), which count
    ///     toward GitHub's limit (``Reporting/CIOutput/annotationLines(_:after:)``).
    ///   - inputs: the command's input files, which the step summary must not be appended to.
    static func finish(
        _ command: String, failure: Int32?, junit: String?, report: () -> JUnitReport, annotations: [CIAnnotation],
        annotatedBefore: [CIAnnotation.Level: Int] = [:], summary: () -> String, inputs: [String]
    ) throws {
        var lost: CommandFailure?
        func attempt(_ write: () throws -> Void) {
            do { try write() } catch {
                let failure = CommandFailure(error)
                if lost == nil { lost = failure }
                printError("biasaudit: \(failure.message)")
            }
        }
        if let junit {
            attempt { try report().write(to: URL(fileURLWithPath: junit)) }
        }
        // A JUnit file that could not be written is an annotation and a line of the step summary too, under GitHub
        // Actions (a code review: `lint --junit nodir/j.xml` exited 74 with a step summary saying "passed").
        // First: GitHub shows 10 error annotations of a step (a review); its exit code only when it is the command's.
        let lostJUnit = lost.map {
            CIOutput.lostOutput(command, what: "the JUnit report", exitCode: failure == nil ? $0.exitCode : nil, message: $0.message)
        }
        let ci = CIOutput(environment: ProcessInfo.processInfo.environment)
        for line in ci.annotationLines((lostJUnit.map { [$0.annotation] } ?? []) + annotations, after: annotatedBefore) {
            print(line)
        }
        attempt { try ci.appendStepSummary(summary() + (lostJUnit?.summary ?? ""), inputs: inputs) }
        if let failure { throw ExitCode(failure) }
        if let lost { throw ExitCode(lost.exitCode) }
    }

    /// Runs the work before a gate's verdict; when it stops with an error (a malformed policy or results file, 65;
    /// a usage error, 64; an unreadable file, 74), the error is said and the `--junit` file is replaced by one test
    /// case in error naming it. An earlier run's JUnit file left in place showed a green test report for a failed
    /// job (docs/ci.md uploads it with `if: always()`). Under GitHub Actions the error is also an annotation (at its
    /// line and column when it names a place in one of `files`) and the step summary says the gate stopped, as a
    /// failed gate's are (a review: `check` with a misspelt metric left no annotation).
    /// - Parameters:
    ///   - command: `check` or `lint`.
    ///   - junit: the `--junit` path, already checked (``checkJUnitDestination(_:inputs:folderMustExist:)``).
    ///   - properties: the suite's properties (the policy and results files).
    ///   - files: the files, as named on the command line, whose places (`FILE:LINE:COL`) an error may name: the policy.
    ///   - inputs: the command's input files, which the step summary must not be appended to.
    static func stoppingBeforeVerdict<T>(
        _ command: String, junit: String?, properties: [(String, String)] = [], positionsIn files: [String] = [],
        inputs: [String], _ body: () async throws -> T
    ) async throws -> T {
        try await reportingErrors(stopped: { message, exitCode, error in
            if let junit { writeStopped(command, message: message, exitCode: exitCode, junit: junit, properties: properties) }
            announceStopped(command, message: message, exitCode: exitCode, place: place(of: error, in: files), inputs: inputs)
        }, body)
    }

    /// Under GitHub Actions, the annotation and the step summary of a gate that stopped before its verdict (nothing
    /// elsewhere): what ``stoppingBeforeVerdict(_:junit:properties:positionsIn:inputs:_:)`` and a refused command line
    /// (``stoppedWhileParsing(_:message:)``) add to the JUnit file.
    /// - Parameter place: the place in a policy the error names, whose reason is then the annotation's message.
    static func announceStopped(
        _ command: String, message: String, exitCode: Int32, place: (file: String, line: Int, column: Int, reason: String)? = nil,
        inputs: [String]
    ) {
        let ci = CIOutput(environment: ProcessInfo.processInfo.environment)
        // The annotation is an error already: a message without a file ("error: no PROMPTSET given", the parser's
        // "Error: Unknown option …") loses its "error: " (review 80: "::error …::error: no PROMPTSET given").
        let unprefixed = message.lowercased().hasPrefix("error: ") ? String(message.dropFirst("error: ".count)) : message
        let stopped = CIOutput.stopped(
            command, exitCode: exitCode, message: place?.reason ?? unprefixed, file: place?.file, line: place?.line,
            column: place?.column)
        for line in ci.annotationLines([stopped.annotation]) {
            print(line)
        }
        do {
            try ci.appendStepSummary(stopped.summary, inputs: inputs)
        } catch {
            // The gate's own error keeps its exit code; the lost summary is said.
            printError("biasaudit: \(CommandFailure(error).message)")
        }
    }

    /// The place an error names in one of `files` (its path written `FILE:LINE:COL`, as a policy's errors are), with
    /// the error's reason; nil when it names none.
    static func place(of error: Error, in files: [String]) -> (file: String, line: Int, column: Int, reason: String)? {
        let path: String, reason: String
        switch error {
        case AuditError.badInput(let place, let why), AuditError.usageAt(let place, let why): (path, reason) = (place, why)
        default: return nil
        }
        for file in files where path.hasPrefix(file + ":") {
            let numbers = path.dropFirst(file.count + 1).split(separator: ":", omittingEmptySubsequences: false)
            guard numbers.count == 2, let line = Int(numbers[0]), let column = Int(numbers[1]), line > 0, column > 0 else {
                continue
            }
            return (file, line, column, reason)
        }
        return nil
    }

    /// For `check` and `lint` refused while their arguments were parsed (exit 64): under GitHub Actions the annotation and
    /// step summary of a gate that stopped (``announceStopped(_:message:exitCode:place:inputs:)``), and the `--junit` file named
    /// on the command line, if it can be written where it names (``checkJUnitDestination(_:inputs:folderMustExist:)``), gets the error
    /// as ``writeStopped(_:message:exitCode:junit:properties:)`` writes it; the other arguments count as inputs it must
    /// not replace.
    static func stoppedWhileParsing(_ arguments: [String], message: String) {
        guard let command = arguments.first, ["check", "lint"].contains(command) else { return }
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        let options = arguments.prefix { $0 != "--" }
        // Every `--junit` given (refused when given twice: each named file is one a CI job may upload; a review found the
        // first left as an earlier run's passing report).
        var paths: [String] = []
        for (index, argument) in options.enumerated() {
            if argument == "--junit", index + 1 < options.count { paths.append(options[options.startIndex + index + 1]) }
            if argument.hasPrefix("--junit=") { paths.append(String(argument.dropFirst("--junit=".count))) }
        }
        let inputs = arguments.dropFirst().filter { !$0.hasPrefix("-") && !paths.contains($0) }
        // Under GitHub Actions also its annotation and step summary, as a usage error after parsing has (a review: the
        // JUnit file alone). The summary is appended to no file an argument may name: a value given as `--policy=FILE`,
        // the completions beside a results file, a file in a folder given to `lint` (a code review).
        let values = arguments.dropFirst().compactMap { argument -> String? in
            guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return nil }
            return String(argument[argument.index(after: equals)...])
        }
        var protected = Array(inputs) + values
        protected += protected.map(RunDiffInput.completionsPath(besides:))
        for folder in protected {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
                let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
            else { continue }
            protected += names.map { (folder as NSString).appendingPathComponent($0) }
        }
        announceStopped(command, message: TextEscaping.line(line), exitCode: 64, inputs: protected)
        for junit in paths.uniqued() where !junit.isEmpty && !junit.hasPrefix("-") {
            guard (try? checkJUnitDestination(junit, inputs: inputs, folderMustExist: true)) != nil else { continue }
            // The arguments were not understood, so the inputs are not known for sure (a run's completions.jsonl beside its
            // results): an existing file is replaced only when it is a JUnit report, as an earlier run writes it.
            if FileManager.default.fileExists(atPath: junit) {
                guard let handle = FileHandle(forReadingAtPath: junit) else { continue }
                let start = String(decoding: (try? handle.read(upToCount: 1024)) ?? Data(), as: UTF8.self)
                try? handle.close()
                guard start.hasPrefix("<?xml"), start.contains("<testsuites") else { continue }
            }
            writeStopped(command, message: TextEscaping.line(line), exitCode: 64, junit: junit, properties: [])
        }
    }

    /// The JUnit file of a command that stopped before its verdict: one suite with one case in error, whose message is
    /// the error's (one line, at most 300 characters; the whole message is the error's text). When it cannot be
    /// written this is said, and an earlier file there is removed (it would report an earlier run's result).
    static func writeStopped(_ command: String, message: String, exitCode: Int32, junit: String, properties: [(String, String)]) {
        let short = message.count > 300 ? String(message.prefix(299)) + "…" : message
        let report = JUnitReport(
            name: "biasaudit \(command)",
            suites: [JUnitReport.Suite(
                name: command,
                cases: [JUnitReport.TestCase(
                    name: command, className: "biasaudit.\(command)",
                    error: JUnitReport.Failure(
                        message: short, type: "exit \(exitCode)",
                        body: "biasaudit \(command) stopped before its verdict (exit \(exitCode)): \(message)"))],
                properties: properties)],
            timestamp: Date())
        let url = URL(fileURLWithPath: junit)
        do {
            try report.write(to: url)
        } catch {
            printError("biasaudit: \(CommandFailure(error).message)")
            if OutputFiles.isRegularFile(url), (try? FileManager.default.removeItem(at: url)) != nil {
                printError("biasaudit: note: removed the earlier \(TextEscaping.line(junit)) (it reported an earlier run)")
            }
        }
    }
}
