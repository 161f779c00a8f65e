import Foundation

/// The report templates shipped with biasaudit (this folder: `report.html.mustache`,
/// `report.md.mustache` and `partials/`), bundled as resources so the built tool finds them.
public enum ReportTemplates {
    /// The folder that holds the bundled templates, or `nil` when the resource bundle is missing.
    public static var directory: URL? {
        Bundle.module.url(forResource: "report.html", withExtension: "mustache")?.deletingLastPathComponent()
    }
}
