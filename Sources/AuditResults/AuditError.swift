import Foundation

/// Errors of the audit layer. Each message says what was wrong, where, and what to do; each maps to
/// the exit codes documented in the README ("Exit codes").
public enum AuditError: Error, CustomStringConvertible, Equatable {
    /// A results file that is truncated, malformed, or of a newer schema.
    case badResults(path: String, reason: String)
    /// Input data that is not usable (prompt set, model file, policy).
    case badInput(path: String, reason: String)
    /// Wrong usage, found after argument parsing.
    case usage(String)
    /// Wrong usage that a place in an input file asks for (`path` is `file:line:col`), e.g. a policy rule that
    /// needs an option the command line lacks.
    case usageAt(path: String, reason: String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A model could not be obtained (a served model's server failed or refused access): what happened and what to do.
    /// With `rerun`, ``description`` ends the message with ", then run the same command again"; the way on is a flag
    /// of the error, not words in its message, so that a caller that knows a better one (a run's resume hint, which
    /// names the run store) puts its own in place of it and the message says it once (a review: the hint was added
    /// unless the message already held the words "run the same command again").
    case modelUnavailable(String, rerun: Bool = false)
    /// A run directory that belongs to a different run.
    case runMismatch(path: String, reason: String)
    /// The run was interrupted (Ctrl-C); what was generated is stored.
    case interrupted(directory: String)

    /// The sysexits code for this error (README, "Exit codes").
    public var exitCode: Int32 {
        switch self {
        case .badResults, .badInput, .runMismatch: 65
        case .usage, .usageAt: 64
        case .io: 74
        case .modelUnavailable: 69
        case .interrupted: 130
        }
    }

    public var description: String {
        switch self {
        case .badResults(let path, let reason): "\(path): error: bad results file: \(reason)"
        case .badInput(let path, let reason): "\(path): error: \(reason)"
        case .usage(let message): "error: \(message)"
        case .usageAt(let path, let reason): "\(path): error: \(reason)"
        case .io(let path, let reason): "\(path): error: \(reason)"
        case .modelUnavailable: "error: \(reason)"
        case .runMismatch(let path, let reason):
            // Not "delete it": a mistyped option would throw away the stored work (a hostile review).
            "\(path): error: this run directory belongs to a different run (\(reason)); to resume it, run its own command "
                + "again (the settings before \"now\"); to start this one, choose another --out"
        case .interrupted(let directory):
            "interrupted; \(Self.stopHint(directory: directory))"
        }
    }

    /// What a run that stops now keeps and how to go on: ``resumeHint(directory:once:)`` when `directory` holds the run
    /// store (``AuditJSON/runStoreFileName``), else "nothing was stored yet; run the same command again to start" (a
    /// stop while the models load or a server is probed, before the store is made: a review found the resume hint
    /// naming a run.sqlite in a folder that did not exist). Reads the file system: call it when the stop is said.
    /// - Parameters:
    ///   - directory: the run's output folder, as the file system knows it.
    ///   - shown: the folder as the message writes it (escaped); `directory` when nil.
    public static func stopHint(directory: String, shownAs shown: String? = nil) -> String {
        holdsRunStore(directory)
            ? resumeHint(directory: shown ?? directory) : "nothing was stored yet; run the same command again to start"
    }

    /// Whether the folder `directory` holds a run store (``AuditJSON/runStoreFileName``) now.
    public static func holdsRunStore(_ directory: String) -> Bool {
        FileManager.default.fileExists(
            atPath: URL(fileURLWithPath: directory).appendingPathComponent(AuditJSON.runStoreFileName).path)
    }

    /// What a run that stopped keeps and how to go on: "the completions made so far are stored in DIR/run.sqlite; run
    /// the same command again to resume", with "once CONDITION, " before "run" when given (the interrupt's words,
    /// shared by a run that a server's bad answer stopped).
    public static func resumeHint(directory: String, once condition: String? = nil) -> String {
        "the completions made so far are stored in \(directory)/run.sqlite; "
            + (condition.map { "once \($0), " } ?? "") + "run the same command again to resume"
    }
}
