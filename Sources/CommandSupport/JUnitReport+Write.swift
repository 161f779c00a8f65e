import AuditResults
import Foundation
import Reporting

extension JUnitReport {
    /// Writes the XML to `url`, replacing the file.
    /// - Throws: `AuditError.io` naming the file.
    public func write(to url: URL) throws {
        try OutputFiles.write(xmlData(), to: url, what: "the JUnit XML report", option: "--junit")
    }
}
