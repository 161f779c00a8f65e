import AuditResults
import Foundation

/// An output of `biasaudit run` and `biasaudit report`.
public enum ReportFormat: String, CaseIterable, Sendable, Comparable {
    /// `report.html`: one self-contained page with tables and inline SVG charts.
    case html
    /// `report.md`: GitHub-flavoured Markdown for pull requests and CI job summaries.
    case md
    /// `results.json`: the ``AuditResult`` itself (the input of `report`, `diff` and `check`).
    case json

    /// The file this format is written to inside the output directory.
    public var fileName: String {
        switch self {
        case .html: "report.html"
        case .md: "report.md"
        case .json: "results.json"
        }
    }

    /// The template that renders this format in `language` (`report.html`, `es/report.html`), or `nil`
    /// for JSON (which is encoded, not rendered).
    func templateName(_ language: ReportLanguage = .en) -> String? {
        switch self {
        case .html: language.templatePrefix + "report.html"
        case .md: language.templatePrefix + "report.md"
        case .json: nil
        }
    }

    /// Parses a comma-separated list such as `html,md,json` (case-insensitive, `markdown` accepted for `md`).
    /// - Throws: ``AuditError/usage(_:)`` naming the unknown format and the accepted ones.
    public static func parse(_ text: String) throws -> Set<ReportFormat> {
        var formats = Set<ReportFormat>()
        for part in text.split(separator: ",") {
            let written = part.trimmingCharacters(in: .whitespaces)
            let name = written.lowercased()
            if name.isEmpty { continue }
            guard let format = ReportFormat(rawValue: name == "markdown" ? "md" : name) else {
                // As written, not lowercased: the message is what was typed (a review: a URL's password, lowercased, was
                // no longer found and hidden).
                throw AuditError.usage("unknown report format '\(written)' in --format \(text); use html, md or json, comma-separated")
            }
            formats.insert(format)
        }
        guard !formats.isEmpty else {
            throw AuditError.usage("--format is empty; use html, md or json, comma-separated")
        }
        return formats
    }

    /// Orders formats as declared (html, md, json), so output lists are stable.
    public static func < (lhs: ReportFormat, rhs: ReportFormat) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
