import AuditResults
import Foundation
import Reporting

extension JUnitReport {
    /// Writes the XML to `url`, replacing the file.
    /// - Throws: `AuditError.io` naming the file.
    public func write(to url: URL) throws {
        do {
            try xmlData().write(to: url, options: .atomic)
        } catch {
            throw AuditError.io(path: url.path, reason: "cannot write the JUnit XML report (\(error.localizedDescription))")
        }
    }
}
