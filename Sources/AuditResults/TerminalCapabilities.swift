import Foundation

/// Whether a terminal may be sent ANSI escape sequences (colour, line clearing).
///
/// Follows the conventions of most command-line tools: only a terminal gets escapes, never when
/// `NO_COLOR` is set (https://no-color.org) or `TERM` is `dumb` (Emacs shells, some CI logs) or unset.
public enum TerminalCapabilities {
    /// Whether `descriptor` is a terminal that understands escape sequences.
    /// - Parameters:
    ///   - descriptor: `STDOUT_FILENO` or `STDERR_FILENO`.
    ///   - environment: the process environment (a parameter for tests).
    public static func supportsEscapes(
        _ descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        guard isatty(descriptor) == 1, environment["NO_COLOR"] == nil else { return false }
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb" else { return false }
        return true
    }
}
