/// The sampling-sweep section of a report (`run --sweep`): per prompt set, one line chart and one data
/// table per primary metric (and per combination of the other swept parameters' values).
public struct SweepView {
    /// The paragraph under the heading: the settings, common random numbers, what the section is.
    public var intro: String
    /// One entry per prompt set with sweep estimates.
    public var sets: [SweepSetView]
}

/// One prompt set's sweep charts.
public struct SweepSetView {
    /// The set's name.
    public var name: String
    /// In-page anchor of the set's main section.
    public var anchor: String
    /// One chart (with its table) per primary metric and combination of the other swept parameters.
    public var charts: [SweepChartView]
}

/// One metric against the first swept parameter: the chart and the same numbers as a table.
public struct SweepChartView {
    /// The chart's heading.
    public var title: String
    /// The complete `<svg>` element (HTML only; print with `{{{svg}}}`: markup built with every label
    /// escaped); nil in Markdown and when nothing can be drawn.
    public var svg: String?
    /// The table's caption.
    public var caption: String
    /// The table's headings: model, group, then one per value of the swept parameter (`temperature 0.5`).
    public var columns: [String]
    /// The headings of the value columns alone (`columns` after model and group): Markdown aligns them right, as
    /// every other table of numbers (a review: its sweep tables were left-aligned).
    public var valueColumns: [String]
    /// One row per model and group.
    public var rows: [SweepRowView]
}

/// One model's estimates of one group at each setting.
public struct SweepRowView {
    /// The model's label.
    public var model: String
    /// The CSS class of the model's colour: `m0`, `m1`, …
    public var colorClass: String
    /// The group's label.
    public var group: String
    /// The level and its interval at each setting (or the reason it has none, `insufficient`), in column order.
    public var cells: [EstimateCellView]
}
