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

    private let width = ChartSVG.width
    private let labelWidth = 210.0
    private let rightMargin = 28.0
    /// Where the first group's band starts below a one-line legend; each further legend line adds ``legendLine``.
    private let firstBandTop = 40.0
    private let legendLine = 16.0
    private let pointSpacing = 14.0
    /// Characters per line of a group label (left of the axis); a label wraps onto up to ``labelLines`` lines.
    private let labelLimit = 28
    private let labelLines = 2

    /// The `<svg>` element, or `nil` when no row has a defined estimate.
    func svg() -> String? {
        let values = rows.flatMap(\.points).compactMap(\.estimate).filter { $0.insufficient == nil }.flatMap { [$0.value, $0.lower, $0.upper] }
            .compactMap { $0.map { $0 * self.scale } }.filter(\.isFinite)
        guard !values.isEmpty else { return nil }
        let axis = AxisScale(values: values + (reference.map { [$0 * self.scale] } ?? []),
                              range: labelWidth...(width - rightMargin))
        let band = max(30, pointSpacing * Double(max(models.count, 1)) + 14)
        let legend = legendPositions()
        let top = firstBandTop + legendLine * Double((legend.map(\.line).max() ?? 0))
        let axisY = top + band * Double(rows.count) + 4
        let height = axisY + 52
        var svg = ChartSVG.open(className: "forest", width: width, height: height, id: id, title: title, description: description)
        svg += self.legend(legend)
        for (tick, label) in axis.ticks(percent: self.scale == 100, style: style) {
            let position = axis.position(tick)
            svg += ChartSVG.gridLine(x1: position, x2: position, y1: top - 6, y2: axisY)
            svg += ChartSVG.label(label, x: position, y: axisY + 18)
        }
        if let reference {
            let position = f(axis.position(reference * self.scale))
            svg += "<line class=\"reference\" x1=\"\(position)\" x2=\"\(position)\" y1=\"\(f(top - 6))\" y2=\"\(f(axisY))\" "
                + "stroke=\"currentColor\" stroke-dasharray=\"4 3\" stroke-opacity=\"0.6\"/>\n"
        }
        for (index, row) in rows.enumerated() {
            svg += self.row(row, y: top + band * Double(index), band: band, axis: axis)
        }
        svg += ChartSVG.axisLine(x1: labelWidth, x2: width - rightMargin, y1: axisY, y2: axisY)
        svg += ChartSVG.label(axisLabel, x: (labelWidth + width - rightMargin) / 2, y: axisY + 40)
        return svg + "</svg>"
    }

    /// Each model's legend entry: left to right, a new line when the next entry would run past the chart
    /// (model names are never cut: two long paths must stay distinguishable).
    private func legendPositions() -> [(x: Double, line: Int)] {
        var flow = ChartSVG.LegendFlow()
        return models.map { flow.place(30 + ChartSVG.characterWidth * Double($0.name.count)) }
    }

    private func legend(_ positions: [(x: Double, line: Int)]) -> String {
        var svg = ""
        for (model, position) in zip(models, positions) {
            let color = Self.palette[model.colorIndex % Self.palette.count]
            let y = 14 + legendLine * Double(position.line)
            svg += "<g class=\"\(Self.colorClass(model.colorIndex))\">"
                + "<circle cx=\"\(f(position.x + 5))\" cy=\"\(f(y))\" r=\"4.5\" fill=\"\(fill(model.colorIndex, color))\" "
                + "stroke=\"\(color)\" stroke-width=\"2\"/>"
                + "<text x=\"\(f(position.x + 15))\" y=\"\(f(y + 4))\" fill=\"currentColor\">\(x(model.name))</text></g>\n"
        }
        return svg
    }

    private func row(_ row: Row, y: Double, band: Double, axis: AxisScale) -> String {
        let lines = wrapped(row.label)
        let firstLine = y + band / 2 + 4 - 7 * Double(lines.count - 1)
        var svg = "<text class=\"group\" x=\"\(f(labelWidth - 12))\" y=\"\(f(firstLine))\" text-anchor=\"end\" "
            + "fill=\"currentColor\"><title>\(x(row.label))</title>"
        for (index, line) in lines.enumerated() {
            svg += "<tspan x=\"\(f(labelWidth - 12))\" dy=\"\(index == 0 ? "0" : "14")\">\(x(line))</tspan>"
        }
        svg += "</text>\n"
        let first = y + band / 2 - pointSpacing * Double(row.points.count - 1) / 2
        for (index, point) in row.points.enumerated() {
            let pointY = f(first + pointSpacing * Double(index))
            let color = Self.palette[point.colorIndex % Self.palette.count]
            // Without a value, or below its minimum support, nothing is plotted: a small hollow square in the
            // model's colour (not a dot, which would read as an estimate) and the reason are written instead
            // (the model's full name is the tooltip).
            guard let estimate = point.estimate, let value = estimate.value, value.isFinite, estimate.insufficient == nil else {
                let reason = point.estimate?.value == nil ? noEstimate : point.text
                let lineY = first + pointSpacing * Double(index)
                svg += "<g class=\"\(Self.colorClass(point.colorIndex))\"><title>\(x(point.model)): \(x(reason))</title>"
                    + "<rect x=\"\(f(labelWidth + 3))\" y=\"\(f(lineY - 3))\" width=\"6\" height=\"6\" fill=\"none\" "
                    + "stroke=\"\(color)\" stroke-width=\"1.5\"/><text x=\"\(f(labelWidth + 14))\" y=\"\(f(lineY + 3.5))\" fill=\"currentColor\" "
                    + "font-size=\"10\">\(x(reason))</text></g>\n"
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

    /// A group label in lines of at most ``labelLimit`` characters, broken at spaces; past ``labelLines``
    /// lines the last one ends with "…" (the full label is the element's tooltip).
    private func wrapped(_ label: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in label.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= labelLimit {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        lines = lines.flatMap { line in
            stride(from: 0, to: max(line.count, 1), by: labelLimit).map { start in
                String(line.dropFirst(start).prefix(labelLimit))
            }
        }
        guard lines.count > labelLines else { return lines }
        let last = lines[labelLines - 1]
        return Array(lines.prefix(labelLines - 1)) + [String(last.prefix(labelLimit - 1)) + "…"]
    }

    /// Even-numbered models get filled dots, odd-numbered hollow ones (``ChartSVG/markerFill(_:_:)``).
    private func fill(_ colorIndex: Int, _ color: String) -> String { ChartSVG.markerFill(colorIndex, color) }

    private func x(_ text: String) -> String { ChartSVG.escaped(text) }

    private func f(_ value: Double) -> String { ChartSVG.coordinate(value) }
}
