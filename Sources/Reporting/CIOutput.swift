import Foundation

/// A finding to show in a CI system's interface (a GitHub Actions annotation).
public struct CIAnnotation: Sendable, Equatable {
    /// How serious the finding is.
    public enum Level: String, Sendable {
        /// Fails the gate.
        case error
        /// Worth a look.
        case warning
        /// Information.
        case notice
    }

    /// The level.
    public var level: Level
    /// A short title.
    public var title: String
    /// The message (may span lines).
    public var message: String
    /// The file the finding is about, as a path relative to the repository when possible.
    public var file: String?
    /// 1-based line in `file`.
    public var line: Int?
    /// 1-based column in `file`.
    public var column: Int?

    /// Creates an annotation.
    public init(level: Level, title: String, message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.level = level
        self.title = title
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }
}

/// Output for CI systems, driven by an injected environment so that tests never depend on the real one.
///
/// Under GitHub Actions (`GITHUB_ACTIONS=true`) findings become workflow commands
/// (`::error file=…,line=…,col=…,title=…::message`) and a Markdown summary is appended to the file named by
/// `GITHUB_STEP_SUMMARY`. Anywhere else this type does nothing: the JUnit XML is the portable output.
public struct CIOutput: Sendable {
    /// The environment variables consulted (`GITHUB_ACTIONS`, `GITHUB_STEP_SUMMARY`).
    public let environment: [String: String]

    /// Creates the output for an environment (normally `ProcessInfo.processInfo.environment`).
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Whether the process runs under GitHub Actions.
    public var isGitHubActions: Bool { environment["GITHUB_ACTIONS"] == "true" }

    /// The most annotations of one level written per call: GitHub shows 10 errors and 10 warnings of a step (50 of a
    /// job), and a policy of many rules on many models wrote 4,000 error lines (a practitioner's review); the line that
    /// counts the rest is a notice, so that it is among those shown (a code review: as the 51st warning it never was).
    public static let annotationLimit = 10

    /// How many annotations of each level ``annotationLines(_:after:)`` writes for `counts` of them: at most
    /// ``annotationLimit`` a level, and one notice when any is left out. What a later call's `after` takes.
    public static func writtenCounts(of counts: [CIAnnotation.Level: Int]) -> [CIAnnotation.Level: Int] {
        var written = counts.mapValues { min($0, annotationLimit) }
        if counts.values.contains(where: { $0 > annotationLimit }) { written[.notice, default: 0] += 1 }
        return written
    }

    /// The workflow-command lines for the annotations, at most ``annotationLimit`` of each level (in order) and then one
    /// warning that says how many were left out and where they are; empty outside GitHub Actions.
    /// - Parameter earlier: how many annotations of each level the command printed before (a policy's warnings), which
    ///   count toward the limit.
    public func annotationLines(_ annotations: [CIAnnotation], after earlier: [CIAnnotation.Level: Int] = [:]) -> [String] {
        guard isGitHubActions else { return [] }
        var kept: [CIAnnotation] = []
        var written = earlier
        var leftOut: [CIAnnotation.Level: Int] = [:]
        for annotation in annotations {
            if written[annotation.level, default: 0] < Self.annotationLimit {
                kept.append(annotation)
                written[annotation.level, default: 0] += 1
            } else {
                leftOut[annotation.level, default: 0] += 1
            }
        }
        if !leftOut.isEmpty {
            let counts = [CIAnnotation.Level.error, .warning, .notice].compactMap { level in
                leftOut[level].map { "\($0) more \(level.rawValue)\($0 == 1 ? "" : "s")" }
            }
            kept.append(CIAnnotation(
                level: .notice, title: "biasaudit: annotations left out",
                message: "\(counts.joined(separator: " and ")) not annotated (GitHub shows the first 10 of each level of a "
                    + "step); the log on standard error lists every one"))
        }
        return kept.map { annotation in
            var properties: [String] = []
            if let file = annotation.file { properties.append("file=\(Self.escapeProperty(file))") }
            if let line = annotation.line { properties.append("line=\(line)") }
            if let column = annotation.column { properties.append("col=\(column)") }
            properties.append("title=\(Self.escapeProperty(annotation.title))")
            return "::\(annotation.level.rawValue) \(properties.joined(separator: ","))::\(Self.escapeData(annotation.message))"
        }
    }


    /// Escapes a workflow-command message as GitHub requires: `%` → `%25`, CR → `%0D`, LF → `%0A`.
    public static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a workflow-command property value: as ``escapeData(_:)`` plus `:` → `%3A` and `,` → `%2C`.
    public static func escapeProperty(_ text: String) -> String {
        escapeData(text)
            .replacingOccurrences(of: ":", with: "%3A")
            .replacingOccurrences(of: ",", with: "%2C")
    }
}
