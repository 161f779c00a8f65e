import AuditResults
import Foundation

/// A forest plot as inline SVG: one row per group, one dot per model at its estimate with a whisker
/// for its confidence interval, the models side by side within the row.
///
/// No script, no external file, no fixed text colour: text and axes use `currentColor`, so the chart
/// follows the page's light, dark or print colours. Models are told apart by an Okabe–Ito colour and
/// by the marker (filled or hollow), which survives greyscale printing. Every label is XML-escaped.
struct ForestPlot {
    /// One model's estimate within a row.
    struct Point {
        let model: String
        let colorIndex: Int
        let estimate: MetricEstimate?
        /// The formatted estimate with interval, for the tooltip (the reason when it lacks support).
        let text: String
    }

    /// One group.
    struct Row {
        let label: String
        let points: [Point]
    }

    /// Unique prefix of the element ids.
    let id: String
    let title: String
    /// What the dots and whiskers are, for the SVG's description.
    let description: String
    let axisLabel: String
    /// What a model without an estimate shows, in the report's language.
    let noEstimate: String
    /// How the axis labels write numbers.
    let style: NumberStyle
    /// Multiplies every value before plotting (100 shows shares as percentages).
    let scale: Double
    /// A value to mark with a dashed line (no difference, balance), before scaling.
    let reference: Double?
    /// The models of the legend with their colour indices.
    let models: [(name: String, colorIndex: Int)]
    let rows: [Row]

    /// Okabe–Ito colours for a light background; the stylesheet switches to lighter ones in dark mode.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]

    /// The CSS class of model `index`'s colour.
    static func colorClass(_ index: Int) -> String {
        "m\(index % palette.count)"
    }

    private let width = 720.0
    private let labelWidth = 210.0
    private let rightMargin = 28.0
    private let top = 40.0
    private let pointSpacing = 14.0
    private let labelLimit = 30

    /// The `<svg>` element, or `nil` when no row has a defined estimate.
    func svg() -> String? {
        let values = rows.flatMap(\.points).compactMap(\.estimate).filter { $0.insufficient == nil }.flatMap { [$0.value, $0.lower, $0.upper] }
            .compactMap { $0.map { $0 * self.scale } }.filter(\.isFinite)
        guard !values.isEmpty else { return nil }
        let axis = AxisScale(values: values + (reference.map { [$0 * self.scale] } ?? []),
                              range: labelWidth...(width - rightMargin))
        let band = max(30, pointSpacing * Double(max(models.count, 1)) + 14)
        let axisY = top + band * Double(rows.count) + 4
        let height = axisY + 52
        var svg = """
            <svg class="forest" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" \
            role="img" aria-labelledby="\(id)-title \(id)-desc" font-size="12">
            <title id="\(id)-title">\(x(title))</title>
            <desc id="\(id)-desc">\(x(description))</desc>\n
            """
        svg += legend()
        for (tick, label) in axis.ticks(percent: self.scale == 100, style: style) {
            let position = f(axis.position(tick))
            svg += "<line class=\"grid\" x1=\"\(position)\" x2=\"\(position)\" y1=\"\(f(top - 6))\" y2=\"\(f(axisY))\" "
                + "stroke=\"currentColor\" stroke-opacity=\"0.15\"/>\n"
            svg += "<text x=\"\(position)\" y=\"\(f(axisY + 18))\" text-anchor=\"middle\" fill=\"currentColor\">\(x(label))</text>\n"
        }
        if let reference {
            let position = f(axis.position(reference * self.scale))
            svg += "<line class=\"reference\" x1=\"\(position)\" x2=\"\(position)\" y1=\"\(f(top - 6))\" y2=\"\(f(axisY))\" "
                + "stroke=\"currentColor\" stroke-dasharray=\"4 3\" stroke-opacity=\"0.6\"/>\n"
        }
        for (index, row) in rows.enumerated() {
            svg += self.row(row, y: top + band * Double(index), band: band, axis: axis)
        }
        svg += "<line class=\"axis\" x1=\"\(f(labelWidth))\" x2=\"\(f(width - rightMargin))\" y1=\"\(f(axisY))\" "
            + "y2=\"\(f(axisY))\" stroke=\"currentColor\"/>\n"
        svg += "<text x=\"\(f((labelWidth + width - rightMargin) / 2))\" y=\"\(f(axisY + 40))\" text-anchor=\"middle\" "
            + "fill=\"currentColor\">\(x(axisLabel))</text>\n"
        return svg + "</svg>"
    }

    private func legend() -> String {
        var svg = ""
        var position = labelWidth
        for model in models {
            let color = Self.palette[model.colorIndex % Self.palette.count]
            svg += "<g class=\"\(Self.colorClass(model.colorIndex))\">"
                + "<circle cx=\"\(f(position + 5))\" cy=\"14\" r=\"4.5\" fill=\"\(fill(model.colorIndex, color))\" "
                + "stroke=\"\(color)\" stroke-width=\"2\"/>"
                + "<text x=\"\(f(position + 15))\" y=\"18\" fill=\"currentColor\">\(x(model.name))</text></g>\n"
            position += 30 + 7.5 * Double(model.name.count)
        }
        return svg
    }

    private func row(_ row: Row, y: Double, band: Double, axis: AxisScale) -> String {
        let label = row.label.count > labelLimit ? String(row.label.prefix(labelLimit - 1)) + "…" : row.label
        var svg = "<text class=\"group\" x=\"\(f(labelWidth - 12))\" y=\"\(f(y + band / 2 + 4))\" text-anchor=\"end\" "
            + "fill=\"currentColor\"><title>\(x(row.label))</title>\(x(label))</text>\n"
        let first = y + band / 2 - pointSpacing * Double(row.points.count - 1) / 2
        for (index, point) in row.points.enumerated() {
            let pointY = f(first + pointSpacing * Double(index))
            let color = Self.palette[point.colorIndex % Self.palette.count]
            guard let estimate = point.estimate, let value = estimate.value, value.isFinite else {
                svg += "<text x=\"\(f(labelWidth + 4))\" y=\"\(f(first + pointSpacing * Double(index) + 4))\" "
                    + "fill=\"currentColor\" font-size=\"10\">\(x(point.model)): \(x(noEstimate))</text>\n"
                continue
            }
            // Below its minimum support a value is not plotted: its reason is written instead.
            guard estimate.insufficient == nil else {
                svg += "<text x=\"\(f(labelWidth + 4))\" y=\"\(f(first + pointSpacing * Double(index) + 4))\" "
                    + "fill=\"currentColor\" font-size=\"10\">\(x(point.model)): \(x(point.text))</text>\n"
                continue
            }
            svg += "<g class=\"\(Self.colorClass(point.colorIndex))\"><title>\(x(point.model)), \(x(row.label)): \(x(point.text))</title>"
            if let lower = estimate.lower, let upper = estimate.upper, lower.isFinite, upper.isFinite {
                svg += "<line x1=\"\(f(axis.position(lower * self.scale)))\" x2=\"\(f(axis.position(upper * self.scale)))\" "
                    + "y1=\"\(pointY)\" y2=\"\(pointY)\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            }
            svg += "<circle cx=\"\(f(axis.position(value * self.scale)))\" cy=\"\(pointY)\" r=\"4.5\" "
                + "fill=\"\(fill(point.colorIndex, color))\" stroke=\"\(color)\" stroke-width=\"2\"/></g>\n"
        }
        return svg
    }

    /// Even-numbered models get filled dots, odd-numbered hollow ones (the stylesheet fills those with the background).
    private func fill(_ colorIndex: Int, _ color: String) -> String {
        colorIndex % 2 == 0 ? color : "#ffffff"
    }

    private func x(_ text: String) -> String { ReportEscaping.xml(text) }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
