import Foundation
import HTTPClient
import InputFiles

/// Reads the headers in which the Hub explains itself: its error code and message (the waits it asks for
/// are read by `RetryHeaders` in HTTPClient).
enum HubServerHeaders {
    /// The longest server text quoted in an error message, in characters.
    static let excerptLimit = 200

    /// `X-Error-Code`, e.g. `RepoNotFound`, `GatedRepo`, `RevisionNotFound`, `EntryNotFound`.
    static func errorCode(_ response: HTTPResponse) -> String? {
        response.header("X-Error-Code")?.trimmingCharacters(in: .whitespaces)
    }

    /// `X-Error-Message` as a short, escaped excerpt (never more than `excerptLimit` characters of it), with `token`
    /// replaced by `***` wherever the server echoes it (a hostile review: "Invalid token Bearer hf_…" printed the token).
    static func errorMessage(_ response: HTTPResponse, hiding token: String?) -> String? {
        response.header("X-Error-Message").map { message in
            excerpt(token.map { message.replacingOccurrences(of: $0, with: "***") } ?? message)
        }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `text` trimmed, cut to `limit` characters (with `…`), control and format characters (newlines,
    /// escapes, bidirectional overrides) written as `\u{…}` so a server cannot forge terminal output.
    static func excerpt(_ text: String, limit: Int = excerptLimit) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var out = ""
        var count = 0
        for scalar in trimmed.unicodeScalars {
            if count == limit {
                out += "…"
                break
            }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                out += NameCharacters.escape(scalar)
            default:
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }
}
