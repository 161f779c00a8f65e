import Foundation

/// Writes a command line so that pasting it into a POSIX shell runs exactly the recorded arguments.
public enum ShellQuoting {
    /// Characters that never need quoting.
    private static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-")

    /// `arguments` joined by spaces, each single-quoted when it holds anything outside ``safe``.
    public static func commandLine(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }

    /// One argument, single-quoted if needed (`'` becomes `'\''`).
    public static func quote(_ argument: String) -> String {
        if !argument.isEmpty, argument.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A Markdown code fence longer than any run of backticks in `code` (at least three).
    public static func fence(for code: String) -> String {
        var longest = 0
        var current = 0
        for character in code {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }
}
