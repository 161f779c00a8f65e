import AuditResults
import Foundation

/// Builds the sampling-sweep section from ``AuditResults/SweepResult``: x is the first swept parameter;
/// every combination of the other swept parameters' values gets its own chart and table.
struct SweepBuilder {
    let context: ReportContext

    /// The most settings (and swept values) a report draws; `run --sweep` makes at most 64, so only a
    /// hand-made results file goes beyond, and its section then says so instead of drawing.
    static let maximumSettings = 256
    /// The most sweep levels a report draws (see ``maximumSettings``).
    static let maximumLevels = 100_000

    /// The section, or nil when the results have no sweep (or a sweep without parameters).
    func view() -> SweepView? {
        guard let sweep = context.result.sweep, let xParameter = sweep.parameters.first else { return nil }
        let words = SweepWords.forCode(context.words.code)
        guard sweep.settings.count <= Self.maximumSettings,
            sweep.parameters.reduce(0, { $0 + $1.values.count }) <= Self.maximumSettings,
            sweep.levels.count <= Self.maximumLevels
        else {
            return SweepView(
                intro: words.tooLarge(
                    context.count(sweep.settings.count), context.count(sweep.levels.count),
                    context.count(Self.maximumSettings), context.count(Self.maximumLevels)),
                sets: [])
        }
        let others = Array(sweep.parameters.dropFirst())
        let settingsText = sweep.parameters.map { parameter in
            words.parameter(parameter.name) + " "
                + parameter.values.map { format($0, parameter.name, words) }.joined(separator: words.valueSeparator)
        }.joined(separator: " × ")
        let base = ["temperature", "top_k", "top_p"].compactMap { name in
            sweep.base.value(of: name).map { words.parameter(name) + " " + format($0, name, words) }
        }.joined(separator: " · ")
        var estimates: [Key: MetricEstimate] = [:]
        for level in sweep.levels {
            estimates[Key(setting: level.setting, model: level.model, set: level.promptSet, metric: level.metric, group: level.group)] =
                level.estimate
        }
        let levelsBySet = Dictionary(grouping: sweep.levels, by: \.promptSet)
        let setNames = (context.result.promptSets.map(\.name) + sweep.levels.map(\.promptSet)).uniqued()
            .filter { levelsBySet[$0] != nil }
        // The combinations of the other parameters' values, in the order the settings list them.
        let slices = sweep.settings.map { setting in others.map { setting.value(of: $0.name) ?? .nan } }.uniqued()
        let sets = setNames.map { name in
            SweepSetView(
                name: context.escaping.text(name), anchor: context.anchor(forSet: name),
                charts: charts(
                    set: name, levels: levelsBySet[name] ?? [], sweep: sweep, x: xParameter, others: others, slices: slices, estimates: estimates,
                    words: words))
        }
        return SweepView(
            intro: words.intro(
                context.escaping.text(settingsText), context.count(sweep.settings.count), context.escaping.text(base),
                context.level, context.escaping == .html),
            sets: sets)
    }

    private func charts(
        set name: String, levels: [SweepLevel], sweep: SweepResult, x: SweptParameter, others: [SweptParameter], slices: [[Double]],
        estimates: [Key: MetricEstimate], words: SweepWords
    ) -> [SweepChartView] {
        let escaping = context.escaping
        let promptSet = context.set(named: name)
        let present = Set(levels.map { Pair(metric: $0.metric, model: $0.model, group: $0.group) })
        let metrics = AuditMetric.allCases.filter(Set(levels.map(\.metric)).contains)
        let models = (context.modelOrder + levels.map(\.model)).uniqued().filter(Set(levels.map(\.model)).contains)
        let groups = ((promptSet?.groups.map(\.id) ?? []) + levels.map(\.group)).uniqued().filter(Set(levels.map(\.group)).contains)
        var views: [SweepChartView] = []
        for metric in metrics {
            let presentation = context.presentation(metric)
            for (sliceIndex, slice) in slices.enumerated() {
                let settings = sweep.settings.filter { setting in
                    others.map { setting.value(of: $0.name) ?? .nan } == slice
                }
                let xValues = settings.compactMap { $0.value(of: x.name) }.uniqued().sorted()
                var settingAt: [Double: SweepSetting] = [:]
                for setting in settings.reversed() {
                    if let value = setting.value(of: x.name) { settingAt[value] = setting }
                }
                let fixed = zip(others, slice).map { parameter, value in
                    words.parameter(parameter.name) + " " + format(value, parameter.name, words)
                }.joined(separator: ", ")
                let rawTitle = words.chartTitle(name, presentation.columnTitle, fixed)
                var series: [SweepChart.Series] = []
                var rows: [SweepRowView] = []
                for model in models {
                    for (groupIndex, group) in groups.enumerated()
                    where present.contains(Pair(metric: metric, model: model, group: group)) {
                        let points = xValues.map { value -> (x: Double, estimate: MetricEstimate?, text: String) in
                            let estimate = settingAt[value].flatMap {
                                estimates[Key(setting: $0, model: model, set: name, metric: metric, group: group)]
                            }
                            return (value, estimate, presentation.levelWithInterval(estimate, escaping: .html))
                        }
                        guard points.contains(where: { $0.estimate != nil }) else { continue }
                        let label = promptSet?.groups.first { $0.id == group }.map(context.label) ?? group
                        series.append(
                            SweepChart.Series(
                                model: model, colorIndex: context.modelIndex(model), group: label,
                                groupIndex: groupIndex, points: points))
                        rows.append(
                            SweepRowView(
                                model: escaping.text(model), colorClass: ForestPlot.colorClass(context.modelIndex(model)),
                                group: escaping.text(label),
                                cells: points.map { presentation.cell($0.estimate, escaping: escaping) }))
                    }
                }
                guard !rows.isEmpty else { continue }
                let chart = SweepChart(
                    id: "\(context.anchor(forSet: name))-sweep-\(metric.rawValue)-\(sliceIndex)", title: rawTitle,
                    description: words.chartDescription(context.level, presentation.axisLabel, words.parameter(x.name)),
                    xLabel: words.parameter(x.name), yLabel: presentation.axisLabel, style: context.words.numbers,
                    scale: metric.isRate ? 100 : 1, xValues: xValues,
                    xTickLabel: { format($0, x.name, words) }, series: series)
                let valueColumns = xValues.map { value in
                    words.parameter(x.name) + " " + format(value, x.name, words)
                        + (settingAt[value] == sweep.base ? " " + words.mainTablesMark : "")
                }
                views.append(
                    SweepChartView(
                        title: escaping.text(rawTitle), svg: escaping == .html ? chart.svg() : nil,
                        caption: words.tableCaption(escaping.text(rawTitle), context.level),
                        columns: [words.model, words.group] + valueColumns, valueColumns: valueColumns, rows: rows))
            }
        }
        return views
    }

    /// The header's value of the parameter `name` (`temperature`, `top_k`, `top_p`) when the run swept
    /// it: every value in `--sweep` order and the one the main tables use ("0.5, 1 (swept; the main tables
    /// use 0.5)"), escaped for the report; nil when it was not swept or the results have no sweep.
    func sweptSetting(_ name: String) -> String? {
        guard let sweep = context.result.sweep, let parameter = sweep.parameters.first(where: { $0.name == name }),
            let base = sweep.base.value(of: name)
        else { return nil }
        let words = SweepWords.forCode(context.words.code)
        let values = parameter.values.prefix(Self.maximumSettings).map { format($0, name, words) }
            + (parameter.values.count > Self.maximumSettings ? ["…"] : [])
        return context.escaping.text(words.sweptSetting(values.joined(separator: words.valueSeparator), format(base, name, words)))
    }

    /// A swept value: top-k 0 and top-p 1 are "off"; top-k is whole.
    private func format(_ value: Double, _ name: String, _ words: SweepWords) -> String {
        Self.format(value, name, words, style: context.words.numbers)
    }

    /// A swept value in `style`: top-k 0 and top-p 1 are "off"; top-k is whole.
    static func format(_ value: Double, _ name: String, _ words: SweepWords, style: NumberStyle) -> String {
        if name == "top_k" { return value == 0 ? words.off : ReportNumbers.plain(value.rounded(), style: style) }
        if name == "top_p", value >= 1 { return words.off }
        return ReportNumbers.plain(value, style: style)
    }

    /// A setting by its swept parameters' values, as the sweep's columns and chart titles name them ("top-k 1",
    /// "temperature 0.5 · top-k 1": a comma would read as a decimal comma in Spanish, "temperatura 0,7, top-k 1"),
    /// unescaped.
    static func settingText(_ setting: SweepSetting, of sweep: SweepResult, language: ReportLanguage) -> String {
        let words = SweepWords.forCode(language.words.code)
        return sweep.parameters.compactMap { parameter in
            setting.value(of: parameter.name).map {
                words.parameter(parameter.name) + " " + format($0, parameter.name, words, style: language.words.numbers)
            }
        }.joined(separator: " · ")
    }

    private struct Pair: Hashable {
        let metric: AuditMetric
        let model: String
        let group: String
    }

    private struct Key: Hashable {
        let setting: SweepSetting
        let model: String
        let set: String
        let metric: AuditMetric
        let group: String
    }
}
