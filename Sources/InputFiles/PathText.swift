/// A path's folder and last component as written, without Foundation's `NSString` path methods: on Linux,
/// `("q" as NSString).deletingLastPathComponent` crashed the program (`String._startOfLastPathComponent`, an illegal
/// instruction) for some one-character paths (a hostile review: `biasaudit lint -` in a folder of prompt sets, exit 132).
///
/// The results are those of `NSString` on the paths it handles: trailing slashes are ignored, and the root stays `/`.
public enum PathText {
    /// The folder part of `path` as written: `a/b.yaml` → `a`, `/x` → `/`, `x` → `` (no folder), `a/b/` → `a`.
    public static func folder(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let folder = withoutTrailingSlashes(trimmed[..<slash])
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The folder of `path` to name in a command: ``folder(of:)``, or `.` for a path without one (`results.json`).
    public static func folderOrCurrent(of path: String) -> String {
        let folder = folder(of: path)
        return folder.isEmpty ? "." : folder
    }

    /// The last component of `path`: `a/b.yaml` → `b.yaml`, `x/` → `x`, `/` → `/`, `` → ``.
    public static func lastComponent(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `path` without the slashes that end it, `/` kept for the root.
    private static func withoutTrailingSlashes<S: StringProtocol>(_ path: S) -> Substring {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
