import ArgumentParser
import CommandSupport
import Foundation

/// Runs a command body, turning any domain error into one clear line on standard error and the
/// documented exit code (README, "Exit codes"). Argument-parser errors and `ExitCode`s pass through unchanged.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        let failure = CommandFailure(error)
        StandardStreams.writeError("biasaudit: \(failure.message)\n")
        throw ExitCode(failure.exitCode)
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    StandardStreams.writeError(line + "\n")
}
