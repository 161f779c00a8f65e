import Foundation

/// A validated model repository id: `name` or `org/name`.
///
/// Follows the rules of `huggingface_hub`'s `validate_repo_id` restricted to ASCII: each part is made of
/// letters, digits, `-`, `_`, `.`, does not start or end with `-` or `.`, and contains neither `--` nor `..`
/// (`--` separates the parts of the cache folder name), at most 96 characters in all. Anything that could
/// escape the cache directory is refused with `HubError.invalidRepoID`.
public struct HubRepoID: Hashable, Sendable, CustomStringConvertible {
    /// The organisation or user, when the id has one (`openai-community` in `openai-community/gpt2`).
    public let namespace: String?
    /// The repository name (`gpt2`).
    public let name: String

    /// Parses and validates an id.
    /// - Throws: `HubError.invalidRepoID` naming what is wrong.
    public init(_ string: String) throws {
        func fail(_ reason: String) -> HubError { .invalidRepoID(string, reason: reason) }
        guard !string.isEmpty else { throw fail("it is empty") }
        guard string.count <= 96 else { throw fail("it is longer than 96 characters") }
        try HubPathRules.rejectControlAndBackslash(string) { fail($0) }
        guard !string.hasPrefix("/") else { throw fail("it is an absolute path") }
        let parts = string.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { throw fail("it has more than one '/'") }
        for part in parts {
            guard !part.isEmpty else { throw fail("it has an empty part") }
            guard part != "..", part != "." else { throw fail("'\(part)' is not a repository name") }
            let allowed = part.unicodeScalars.allSatisfy { HubPathRules.isNameCharacter($0) }
            guard allowed else { throw fail("'\(part)' holds a character other than letters, digits, '-', '_', '.'") }
            guard !part.contains("--"), !part.contains("..") else { throw fail("'--' and '..' are not allowed") }
            let edges: Set<Character> = ["-", "."]
            guard let first = part.first, let last = part.last, !edges.contains(first), !edges.contains(last) else {
                throw fail("'\(part)' starts or ends with '-' or '.'")
            }
        }
        if parts.count == 2 {
            namespace = parts[0]
            name = parts[1]
        } else {
            namespace = nil
            name = parts[0]
        }
    }

    /// `name` or `org/name`, as typed.
    public var description: String {
        namespace.map { "\($0)/\(name)" } ?? name
    }

    /// The cache folder name, exactly as `huggingface_hub` writes it: `models--org--name` or `models--name`.
    public var cacheFolderName: String {
        (["models"] + (namespace.map { [$0] } ?? []) + [name]).joined(separator: "--")
    }
}

/// Validation shared by revisions, file names, and values read from the server (commits, etags).
enum HubPathRules {
    /// `^[0-9a-f]{40}$`, as `huggingface_hub`'s `REGEX_COMMIT_HASH`.
    static func isCommitHash(_ value: String) -> Bool {
        value.utf8.count == 40 && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// `^[0-9a-f]{64}$`: an LFS etag, which is the SHA-256 of the file's content.
    static func isSHA256(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// ASCII letter, digit, `-`, `_` or `.`.
    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": return true
        default: return false
        }
    }

    /// Throws `makeError(reason)` for control characters and backslashes.
    static func rejectControlAndBackslash(_ value: String, _ makeError: (String) -> HubError) throws {
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw makeError("it contains a control character")
        }
        if value.contains("\\") { throw makeError("it contains a backslash") }
    }

    /// A relative path of one or more non-empty components, none of them `.` or `..`.
    static func validateRelativePath(_ value: String, _ makeError: (String) -> HubError) throws {
        guard !value.isEmpty else { throw makeError("it is empty") }
        guard value.utf8.count <= 255 else { throw makeError("it is longer than 255 bytes") }
        try rejectControlAndBackslash(value, makeError)
        guard !value.hasPrefix("/") else { throw makeError("it is an absolute path") }
        for component in value.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty else { throw makeError("it has an empty path component") }
            guard component != ".", component != ".." else { throw makeError("it contains '\(component)'") }
        }
    }

    /// Validates a revision: a branch or tag (which may contain `/`, as `refs/pr/1`) or a commit hash.
    static func validateRevision(_ revision: String) throws {
        try validateRelativePath(revision) { .invalidRevision(revision, reason: $0) }
    }

    /// Validates a file name inside a repository (may contain `/` for sub-folders).
    static func validateFileName(_ name: String) throws {
        try validateRelativePath(name) { .invalidFileName(name, reason: $0) }
    }

    /// A value the server sent that becomes a single path component (an etag): letters, digits, `-_.` only.
    static func isSafeComponent(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 128 && value != "." && value != ".."
            && value.unicodeScalars.allSatisfy(isNameCharacter)
    }
}
