import AuditResults
import Foundation

/// Writes output files atomically (a crash never leaves a half-written `results.json`).
public enum OutputFiles {
    /// Writes `data` to `url` through a temporary file and a rename.
    /// - Throws: ``AuditError/io(path:reason:)``.
    public static func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw AuditError.io(path: url.path, reason: "cannot write (\(error.localizedDescription))")
        }
    }
}
