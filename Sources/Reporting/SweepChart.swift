import AuditResults
import Foundation

/// A line chart of one metric against a swept sampling parameter, as inline SVG: one line per
/// (model, group), a marker at each setting's estimate and a vertical bar for its confidence interval.
///
/// Drawn like ``ForestPlot`` and with its pieces (``ChartSVG``): no script, `currentColor` text, the same
/// Okabe–Ito model colours and the filled / hollow markers, which survive greyscale. Models differ by
/// colour (odd-numbered models also by a dashed line and hollow markers), groups by marker shape. The lines of one setting are spread a few
/// pixels apart so that their interval bars do not hide each other. Estimates without a value or below
/// their minimum support are not drawn (the table beside the chart says why). Every label is XML-escaped.
struct SweepChart {
    /// One line: a model's estimates of one group, one per x value.
    struct Series {
        let model: String
        let colorIndex: Int
        let group: String
        let groupIndex: Int
        /// (x, estimate, tooltip text) at each setting, in x order.
        let points: [(x: Double, estimate: MetricEstimate?, text: String)]
    }

    /// Unique prefix of the element ids.
    let id: String
    let title: String
    /// What the lines and bars are, for the SVG's description.
    let description: String
    let xLabel: String
    let yLabel: String
    /// How the axis labels write numbers.
    let style: NumberStyle
    /// Multiplies every estimate before plotting (100 shows shares as percentages).
    let scale: Double
    /// The swept values (the x ticks), ascending.
    let xValues: [Double]
    /// How each x tick is written (`off` for top-k 0).
    let xTickLabel: (Double) -> String
    let series: [Series]

    private let width = ChartSVG.width
    private let right = 24.0
    private let plotHeight = 280.0
    private let legendLine = 18.0
    private let markerShapes = 5

    /// The `<svg>` element, or `nil` when no estimate can be drawn.
    func svg() -> String? {
        let values = series.flatMap(\.points).compactMap(\.estimate).filter { $0.insufficient == nil }
            .flatMap { [$0.value, $0.lower, $0.upper] }.compactMap { $0.map { $0 * self.scale } }
            .filter { $0.isFinite && abs($0) < 1e12 }
        let xs = xValues.filter { $0.isFinite && abs($0) < 1e12 }
        guard !values.isEmpty, !xs.isEmpty else { return nil }
        let axisTitle = titleLines
        // The plot's left edge: wider where the y axis's title takes two lines.
        let left = axisTitle.count > 1 ? 76.0 : 64.0
        let legend = legendEntries()
        let top = 16 + legendLine * Double((legend.map(\.line).max() ?? 0) + 1)
        let bottom = top + plotHeight
        let height = bottom + 52
        // The x axis leaves room at both ends for the spread of the lines.
        let xAxis = AxisScale(values: xs, range: (left + 24)...(width - right - 24))
        let yAxis = VerticalAxis(scale: AxisScale(values: values, range: top...bottom), top: top, bottom: bottom)
        var svg = ChartSVG.open(className: "forest sweep", width: width, height: height, id: id, title: title, description: description)
        svg += legend.map(\.svg).joined()
        for (tick, label) in yAxis.scale.ticks(percent: scale == 100, style: style) {
            let y = yAxis.position(tick)
            svg += ChartSVG.gridLine(x1: left, x2: width - right, y1: y, y2: y)
            svg += ChartSVG.label(label, x: left - 6, y: y + 4, anchor: "end")
        }
        for value in xs {
            let position = xAxis.position(value)
            svg += "<line x1=\"\(f(position))\" x2=\"\(f(position))\" y1=\"\(f(bottom))\" y2=\"\(f(bottom + 5))\" stroke=\"currentColor\"/>"
                + ChartSVG.label(xTickLabel(value), x: position, y: bottom + 18)
        }
        let spread = min(6.0, 48.0 / Double(max(series.count, 1)))
        for (index, line) in series.enumerated() {
            let offset = (Double(index) - Double(series.count - 1) / 2) * spread
            svg += self.line(line, offset: offset, xAxis: xAxis, yAxis: yAxis)
        }
        svg += ChartSVG.axisLine(x1: left, x2: width - right, y1: bottom, y2: bottom)
        svg += ChartSVG.axisLine(x1: left, x2: left, y1: top, y2: bottom)
        svg += ChartSVG.label(xLabel, x: (left + width - right) / 2, y: bottom + 40)
        svg += verticalLabel(axisTitle, middle: (top + bottom) / 2)
        return svg + "</svg>"
    }

    /// The y axis's title on one line, or on two where it is longer than the plot is tall, split at the space nearest its
    /// middle (a teacher's review: the Spanish y-axis title of the mean compound ran over
    /// the legend).
    private var titleLines: [String] {
        let characters = yLabel.count
        guard ChartSVG.characterWidth * titleFontSize / 12 * Double(characters) > plotHeight - 8 else { return [yLabel] }
        let half = yLabel.index(yLabel.startIndex, offsetBy: characters / 2)
        let spaces = yLabel.indices.filter { yLabel[$0] == " " }
        guard let split = spaces.min(by: {
            abs(yLabel.distance(from: half, to: $0)) < abs(yLabel.distance(from: half, to: $1))
        }) else { return [yLabel] }
        return [String(yLabel[..<split]), String(yLabel[yLabel.index(after: split)...])]
    }

    private let titleFontSize = 11.0

    /// The y axis's title, turned to run up the left margin (``titleLines``).
    private func verticalLabel(_ lines: [String], middle: Double) -> String {
        let center = lines.count > 1 ? 20.0 : 14.0
        let open = "<text x=\"\(f(center))\" y=\"\(f(middle))\" text-anchor=\"middle\" fill=\"currentColor\" "
            + "font-size=\"\(f(titleFontSize))\" transform=\"rotate(-90 \(f(center)) \(f(middle)))\">"
        guard lines.count > 1 else { return open + x(lines[0]) + "</text>\n" }
        return open + "<tspan x=\"\(f(center))\" dy=\"-0.45em\">\(x(lines[0]))</tspan>"
            + "<tspan x=\"\(f(center))\" dy=\"1.1em\">\(x(lines[1]))</tspan></text>\n"
    }

    /// The legend: each model (colour, line style), then each group (marker shape), left to right,
    /// wrapping onto new lines (names are never cut).
    private func legendEntries() -> [(svg: String, line: Int)] {
        var entries: [(svg: String, line: Int)] = []
        var flow = ChartSVG.LegendFlow()
        func place(_ text: String, _ draw: (Double, Double) -> String) {
            let (position, line) = flow.place(34 + ChartSVG.characterWidth * Double(text.count))
            let y = 14 + legendLine * Double(line)
            entries.append((draw(position, y) + "<text x=\"\(f(position + 26))\" y=\"\(f(y + 4))\" fill=\"currentColor\">\(x(text))</text>\n", line))
        }
        var seenModels = Set<String>()
        for entry in series where seenModels.insert(entry.model).inserted {
            let color = ForestPlot.palette[entry.colorIndex % ForestPlot.palette.count]
            place(entry.model) { px, y in
                "<g class=\"\(ForestPlot.colorClass(entry.colorIndex))\"><line x1=\"\(f(px))\" x2=\"\(f(px + 20))\" y1=\"\(f(y))\" "
                    + "y2=\"\(f(y))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash(entry.colorIndex))/></g>"
            }
        }
        var seenGroups = Set<String>()
        for entry in series where seenGroups.insert(entry.group).inserted {
            place(entry.group) { px, y in
                marker(entry.groupIndex, x: px + 10, y: y, stroke: "currentColor", fill: "none")
            }
        }
        return entries
    }

    private func line(_ line: Series, offset: Double, xAxis: AxisScale, yAxis: VerticalAxis) -> String {
        let color = ForestPlot.palette[line.colorIndex % ForestPlot.palette.count]
        let fill = ChartSVG.markerFill(line.colorIndex, color)
        var svg = "<g class=\"\(ForestPlot.colorClass(line.colorIndex))\">"
        var segment: [(Double, Double)] = []
        var segments: [[(Double, Double)]] = []
        var marks = ""
        for point in line.points {
            guard let estimate = point.estimate, let value = estimate.value, estimate.insufficient == nil,
                value.isFinite, abs(value * scale) < 1e12, point.x.isFinite, abs(point.x) < 1e12
            else {
                if !segment.isEmpty { segments.append(segment) }
                segment = []
                continue
            }
            let px = xAxis.position(point.x) + offset
            let py = yAxis.position(value * scale)
            segment.append((px, py))
            marks += "<g><title>\(x(line.model)), \(x(line.group)), \(x(xLabel)) \(x(xTickLabel(point.x))): \(x(point.text))</title>"
            if let lower = estimate.lower, let upper = estimate.upper, lower.isFinite, upper.isFinite,
                abs(lower * scale) < 1e12, abs(upper * scale) < 1e12
            {
                let low = f(yAxis.position(lower * scale))
                let high = f(yAxis.position(upper * scale))
                marks += "<line x1=\"\(f(px))\" x2=\"\(f(px))\" y1=\"\(low)\" y2=\"\(high)\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
                    + "<line x1=\"\(f(px - 3))\" x2=\"\(f(px + 3))\" y1=\"\(low)\" y2=\"\(low)\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
                    + "<line x1=\"\(f(px - 3))\" x2=\"\(f(px + 3))\" y1=\"\(high)\" y2=\"\(high)\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            }
            marks += marker(line.groupIndex, x: px, y: py, stroke: color, fill: fill) + "</g>\n"
        }
        if !segment.isEmpty { segments.append(segment) }
        for points in segments where points.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"\(dash(line.colorIndex)) points=\""
                + points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>\n"
        }
        return svg + marks + "</g>\n"
    }

    /// Group `index`'s marker: circle, square, triangle, diamond, cross, then again.
    private func marker(_ index: Int, x cx: Double, y cy: Double, stroke: String, fill: String) -> String {
        let common = "stroke=\"\(stroke)\" stroke-width=\"1.5\" fill=\"\(fill)\""
        switch index % markerShapes {
        case 0:
            return "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"4\" \(common)/>"
        case 1:
            return "<rect x=\"\(f(cx - 3.5))\" y=\"\(f(cy - 3.5))\" width=\"7\" height=\"7\" \(common)/>"
        case 2:
            return "<polygon points=\"\(f(cx)),\(f(cy - 4.5)) \(f(cx + 4.5)),\(f(cy + 3.5)) \(f(cx - 4.5)),\(f(cy + 3.5))\" \(common)/>"
        case 3:
            return "<polygon points=\"\(f(cx)),\(f(cy - 5)) \(f(cx + 5)),\(f(cy)) \(f(cx)),\(f(cy + 5)) \(f(cx - 5)),\(f(cy))\" \(common)/>"
        default:
            return "<path d=\"M\(f(cx - 4)),\(f(cy - 4)) L\(f(cx + 4)),\(f(cy + 4)) M\(f(cx - 4)),\(f(cy + 4)) L\(f(cx + 4)),\(f(cy - 4))\" "
                + "stroke=\"\(stroke)\" stroke-width=\"2\" fill=\"none\"/>"
        }
    }

    /// Odd-numbered models get dashed lines (as they get hollow markers in ``ForestPlot``).
    private func dash(_ colorIndex: Int) -> String {
        colorIndex % 2 == 0 ? "" : " stroke-dasharray=\"5 3\""
    }

    private func x(_ text: String) -> String { ChartSVG.escaped(text) }

    private func f(_ value: Double) -> String { ChartSVG.coordinate(value) }
}

/// An ``AxisScale`` drawn upwards: larger values higher on the page.
private struct VerticalAxis {
    let scale: AxisScale
    let top: Double
    let bottom: Double

    /// The y coordinate of `value`.
    func position(_ value: Double) -> Double {
        top + bottom - scale.position(value)
    }
}
