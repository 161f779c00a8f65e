import Foundation

/// The credentials of the Hub endpoint (`HF_ENDPOINT=https://user:password@mirror`) hidden in what a command prints: the
/// Hub client builds every URL of its messages and warnings from the endpoint, so a password typed there was printed in
/// each (a hostile review; a served model's URL is hidden by `EndpointSpec.redactingCredentials`). The user info is
/// shown as `user:***` (`***` without a user name), as for a served model.
public enum EndpointCredentials {
    /// The user info typed in `HF_ENDPOINT` (between `://` and the `@` before the host) and how it is shown; nil when the
    /// variable holds none.
    static let hubEndpoint: (typed: String, shown: String)? = userInfo(
        of: ProcessInfo.processInfo.environment["HF_ENDPOINT"] ?? "")

    /// The user info of `url` as typed and as shown (`u:pw` → `u:***`); nil when it has none.
    static func userInfo(of url: String) -> (typed: String, shown: String)? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let typed = String(authority[..<at])
        guard !typed.isEmpty else { return nil }
        return (typed + "@", typed.firstIndex(of: ":").map { typed[..<$0] + ":***@" } ?? "***@")
    }

    /// `text` with the Hub endpoint's user info shown as `user:***`; `text` itself when `HF_ENDPOINT` holds none.
    public static func hidingHubEndpoint(in text: String) -> String {
        hiding(hubEndpoint, in: text)
    }

    /// `text` with `userInfo`'s typed form replaced by its shown form.
    static func hiding(_ userInfo: (typed: String, shown: String)?, in text: String) -> String {
        guard let userInfo, text.contains(userInfo.typed) else { return text }
        return text.replacingOccurrences(of: userInfo.typed, with: userInfo.shown)
    }
}
