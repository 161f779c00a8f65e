extension AuditError {
    /// The message without its location: what was wrong and what to do (for reports that show the file
    /// in a column of their own, such as `lint`'s JUnit file).
    public var reason: String {
        switch self {
        case .badResults(_, let reason): "bad results file: \(reason)"
        case .badInput(_, let reason), .usageAt(_, let reason), .io(_, let reason): reason
        case .usage(let message): message
        case .modelUnavailable(let message, let rerun): rerun ? "\(message), then run the same command again" : message
        case .runMismatch, .interrupted: description
        }
    }
}
