import Foundation

/// The SVG drawing that ``ForestPlot`` and ``SweepChart`` share: the `<svg>` element's opening with its
/// accessible title and description, grid and axis lines, and text in `currentColor` (so a chart follows
/// the page's light, dark and print colours), coordinates written with one decimal, and XML escaping of
/// every label.
enum ChartSVG {
    /// Every chart's width in CSS pixels (the page scales it down on narrow screens).
    static let width = 720.0
    /// A generous width per character of 12 px text, so that legend entries never run past the chart.
    static let characterWidth = 7.5

    /// Places legend entries left to right from x = 10, starting a new line when the next entry would run
    /// past the chart's width (entries are never cut: two long model paths must stay distinguishable).
    struct LegendFlow {
        private var x = 10.0
        private var line = 0

        /// Where the next entry, `entryWidth` pixels wide, goes: its left x and its line (0 first).
        mutating func place(_ entryWidth: Double) -> (x: Double, line: Int) {
            if x > 10, x + entryWidth > ChartSVG.width {
                x = 10
                line += 1
            }
            defer { x += entryWidth }
            return (x, line)
        }
    }

    /// The `<svg>` opening tag (`role="img"`, 12 px text) followed by its `<title>` and `<desc>` (ids
    /// `chart-<id>-title` and `chart-<id>-desc`, which the tag names as its label), one per line. The `chart-` prefix
    /// keeps them apart from every other id in the page: a section's anchor starts with `set-` (or is a fixed word such
    /// as `summary`), a long caption's with `caption-`; without it a set named "religion sentiment title" had the
    /// anchor `set-religion-sentiment-title`, the "religion" chart's title id (review 89).
    /// - Parameters:
    ///   - className: the element's CSS class (`forest`, `forest sweep`).
    ///   - width: width in CSS pixels (also the view box's); written whole.
    ///   - height: height in CSS pixels; written whole.
    static func open(className: String, width: Double, height: Double, id: String, title: String, description: String) -> String {
        """
        <svg class="\(className)" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" \
        role="img" aria-labelledby="chart-\(id)-title chart-\(id)-desc" font-size="12">
        <title id="chart-\(id)-title">\(escaped(title))</title>
        <desc id="chart-\(id)-desc">\(escaped(description))</desc>\n
        """
    }

    /// A faint grid line from (x1, y1) to (x2, y2), in pixels.
    static func gridLine(x1: Double, x2: Double, y1: Double, y2: Double) -> String {
        "<line class=\"grid\" x1=\"\(coordinate(x1))\" x2=\"\(coordinate(x2))\" y1=\"\(coordinate(y1))\" "
            + "y2=\"\(coordinate(y2))\" stroke=\"currentColor\" stroke-opacity=\"0.15\"/>\n"
    }

    /// An axis line from (x1, y1) to (x2, y2), in pixels.
    static func axisLine(x1: Double, x2: Double, y1: Double, y2: Double) -> String {
        "<line class=\"axis\" x1=\"\(coordinate(x1))\" x2=\"\(coordinate(x2))\" y1=\"\(coordinate(y1))\" "
            + "y2=\"\(coordinate(y2))\" stroke=\"currentColor\"/>\n"
    }

    /// A tick or axis label at (x, y) in pixels, anchored `middle` or `end`; `label` is escaped here.
    static func label(_ label: String, x: Double, y: Double, anchor: String = "middle") -> String {
        "<text x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" text-anchor=\"\(anchor)\" fill=\"currentColor\">\(escaped(label))</text>\n"
    }

    /// A marker's fill: even-numbered models filled with their colour, odd-numbered hollow (white, which
    /// the stylesheet turns into the page background), so two models differ in greyscale too.
    static func markerFill(_ colorIndex: Int, _ color: String) -> String {
        colorIndex % 2 == 0 ? color : "#ffffff"
    }

    /// A coordinate in pixels with one decimal.
    static func coordinate(_ value: Double) -> String { String(format: "%.1f", value) }

    /// `text` escaped for XML.
    static func escaped(_ text: String) -> String { ReportEscaping.xml(text) }
}
