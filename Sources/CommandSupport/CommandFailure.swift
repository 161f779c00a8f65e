import AuditResults
import Foundation
import GPT2
import Generation
import Hub
import PromptSets
import SafeTensors
import Tokenizers

/// A failed command as the user sees it: one message and its sysexits code (README, "Exit codes").
///
/// Every library throws its own typed errors; this is the one place that maps them to exit codes,
/// so the executable stays a thin shell.
public struct CommandFailure: Error, CustomStringConvertible {
    /// The message printed after `biasaudit: `.
    public let message: String
    /// The process exit code.
    public let exitCode: Int32

    /// Classifies any error thrown by the libraries.
    public init(_ error: Error) {
        switch error {
        case let failure as CommandFailure:
            self = failure
        case let error as AuditError:
            self.init(message: error.description, exitCode: error.exitCode)
        case let error as HubError:
            // Its ids, revisions and cache paths are escaped with the rest of the message (``init(message:exitCode:)``).
            self.init(message: error.description, exitCode: error.exitCode)
        case let error as PromptSetError:
            self.init(message: error.description, exitCode: 65)
        case let error as SafeTensorsError:
            self.init(message: "bad model file: \(error)", exitCode: 65)
        case let error as GPT2Error:
            self.init(message: "unsupported or broken model: \(error)", exitCode: 65)
        case let error as TokenizerError:
            self.init(message: "bad tokenizer files: \(error)", exitCode: 65)
        case let error as SamplingError:
            self.init(message: "\(error)", exitCode: 64)
        case let error as GenerationError:
            self.init(message: "cannot generate: \(error)", exitCode: 65)
        case let error as CocoaError where (0...1023).contains(error.code.rawValue):  // NSFileErrorMinimum…Maximum
            self.init(message: error.localizedDescription, exitCode: 74)
        default:
            self.init(message: String(describing: error), exitCode: 70)
        }
    }

    /// Creates a failure with a message and code; the message is kept on one line with control characters,
    /// invisible format characters, spaces other than U+0020, private-use and unassigned characters shown as `\u{…}`
    /// (``TextEscaping/path(_:)``, as the `wrote` lines show a path: one folder prints one way), since it may quote a
    /// results or prompt-set file, a folder or a model's name.
    public init(message: String, exitCode: Int32) {
        // Cut in the middle when very long, the last defence against a message that quotes a whole file.
        // Nor the password of a Hub endpoint (`HF_ENDPOINT=https://u:pw@mirror`), which every Hub URL carries.
        self.message = TextEscaping.bounded(TextEscaping.path(EndpointCredentials.hidingHubEndpoint(in: message)))
        self.exitCode = exitCode
    }

    public var description: String { message }
}

extension CommandFailure {
    /// The Hub client's warnings (a cache fallback, a retry) as the commands print them: `warning: ` and the text with
    /// its ids, revisions and paths escaped as an error's (``TextEscaping/path(_:)``; a review: the cache fallback's
    /// warning printed an ESC of `HF_HUB_CACHE` raw).
    public static let hubWarning: @Sendable (String) -> Void = { message in
        StandardStreams.writeError("warning: \(TextEscaping.path(EndpointCredentials.hidingHubEndpoint(in: message)))\n")
    }
}
