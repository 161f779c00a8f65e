import ArgumentParser
import CommandSupport
import Foundation
import PromptSets

/// Runs a command body, turning any domain error into one clear line on standard error and the
/// documented exit code (README, "Exit codes"). Argument-parser errors and `ExitCode`s pass through unchanged.
/// - Parameter stopped: called with the error's one-line message, exit code and the error itself after the message is
///   said and before it is thrown (a gate writes it as its JUnit file and its CI annotation:
///   ``GateOutputs/stoppingBeforeVerdict(_:junit:properties:positionsIn:inputs:_:)``); not for an `ExitCode`.
func reportingErrors<T>(
    stopped: ((_ message: String, _ exitCode: Int32, _ error: Error) -> Void)? = nil, _ body: () async throws -> T
) async throws -> T {
    do {
        return try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        stopped?(TextEscaping.line(error.message), 64, error)
        throw error
    } catch {
        let failure = CommandFailure(error)
        StandardStreams.writeError("biasaudit: \(failure.message)\n")
        stopped?(failure.message, failure.exitCode, error)
        throw ExitCode(failure.exitCode)
    }
}

/// Ends a command refused before ArgumentParser reads its arguments (an option given twice, an empty path, a command
/// name the tool does not have, an argument that is not UTF-8, a text read as `-h`): `message` on standard error with the
/// credentials of every URL typed in the arguments hidden (``BiasAudit/hidingCredentials(in:arguments:)``; a review
/// found `--samples 2 --samples http://u:pw@h/` echoed the password), the `--junit` file of `check` and `lint` replaced
/// as a refusal by the parser replaces it (``GateOutputs/stoppedWhileParsing(_:message:)``), and exit 64.
/// - Parameter message: the refusal, first line "Error: …"; hints may follow on further lines.
func refuseBeforeParsing(_ message: String, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
    let shown = BiasAudit.hidingCredentials(in: message, arguments: arguments)
    printError(shown)
    GateOutputs.stoppedWhileParsing(arguments, message: shown)
    Foundation.exit(ExitCode.validationFailure.rawValue)
}

/// Writes a line to standard error.
func printError(_ line: String) {
    StandardStreams.writeError(line + "\n")
}
