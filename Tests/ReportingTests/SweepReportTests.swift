import AuditResults
import Foundation
import FoundationXML
@testable import Reporting
import XCTest

/// The sampling-sweep section of the report: a line chart and a data table per prompt set × primary
/// metric, numbers as the sweep section holds them, untrusted labels inert, Spanish words and numbers.
final class SweepReportTests: XCTestCase {
    /// The screen coordinates are written with one decimal.
    private let coordinateTolerance = 0.05

    /// The fixture result with a sweep over temperature 1.0 and 0.5 (listed in that order): each level
    /// at 0.5 is the fixture's, at 1.0 the fixture's + 0.05 (bounds too).
    private func sweptResult(modelLabel: String? = nil, groupLabel: String? = nil) throws -> AuditResult {
        var result = try ReportFixture.result()
        if let groupLabel { result.promptSets[0].groups[0].label = groupLabel }
        let settings = [SweepSetting(temperature: 1.0, topK: 50, topP: 0.9), SweepSetting(temperature: 0.5, topK: 50, topP: 0.9)]
        var levels: [SweepLevel] = []
        for set in result.promptSets {
            for (index, setting) in settings.enumerated() {
                for estimates in set.groupEstimates {
                    for metric in [AuditMetric.sentiment, .negativeRate, .maleShare] {
                        guard var estimate = estimates.estimate(metric) else { continue }
                        if index == 0 {
                            estimate.value = estimate.value.map { $0 + 0.05 }
                            estimate.lower = estimate.lower.map { $0 + 0.05 }
                            estimate.upper = estimate.upper.map { $0 + 0.05 }
                        }
                        levels.append(
                            SweepLevel(
                                setting: setting, model: modelLabel.flatMap { estimates.model == "gpt2" ? $0 : nil } ?? estimates.model,
                                promptSet: set.name, metric: metric, group: estimates.group, estimate: estimate))
                    }
                }
            }
        }
        result.sweep = SweepResult(
            parameters: [SweptParameter(name: "temperature", values: [1.0, 0.5])], settings: settings, base: settings[0],
            levels: levels, contrasts: [])
        return result
    }

    func testHTMLHasALineChartAndATablePerSetAndMetric() throws {
        let result = try sweptResult()
        let html = try ReportRenderer().render(result, format: .html)
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        let charts = try document.nodes(forXPath: "//section[@id='sweep']//*[local-name()='svg']")
        // religion: sentiment and % negative; occupations-gender: sentiment, % negative and male share.
        XCTAssertEqual(charts.count, 5, "one chart per set × swept metric")
        let tables = try document.nodes(forXPath: "//section[@id='sweep']//table[@class='sweep']")
        XCTAssertEqual(tables.count, 5, "one table beside each chart")
        // religion's sentiment: 2 models × 3 groups, each a line through both settings with two interval bars.
        let first = try XCTUnwrap(charts.first as? XMLElement)
        XCTAssertEqual(try first.nodes(forXPath: ".//*[local-name()='polyline']").count, 6, "one line per model × group")
        let rows = try XCTUnwrap(tables.first as? XMLElement).nodes(forXPath: "./tbody/tr")
        XCTAssertEqual(rows.count, 6)
        for row in rows {
            let element = try XCTUnwrap(row as? XMLElement)
            XCTAssertEqual(element.elements(forName: "td").count, 3, "model and two settings: \(element.xmlString)")
        }
        let heading = try XCTUnwrap(tables.first as? XMLElement).nodes(forXPath: "./thead/tr/th").compactMap(\.stringValue)
        XCTAssertEqual(heading, ["Model", "Group", "temperature 0.5", "temperature 1 (main tables)"],
                       "x ascending, whatever the --sweep order; the main tables' setting marked")
        XCTAssertTrue(html.contains("Each chart shows a primary bias metric against the setting"), "the HTML intro names its charts")
        // The Markdown report has tables alone, and its intro says so (a teacher's review: it described charts).
        let markdown = try ReportRenderer().render(result, format: .md)
        XCTAssertFalse(markdown.contains("Each chart shows"), markdown)
        XCTAssertTrue(markdown.contains("Each table gives a primary bias metric at each setting, one row per model and group, "
            + "with 95% confidence intervals (the HTML report draws each table as a chart)."), markdown)
        let spanish = try ReportRenderer().render(result, format: .md, language: .es)
        XCTAssertTrue(spanish.contains("Cada tabla da una métrica principal de sesgo en cada configuración"), spanish)
    }

    func testTableCellsAreTheSweepLevelsAndTheLinesRiseWithThem() throws {
        let result = try sweptResult()
        let markdown = try ReportRenderer().render(result, format: .md)
        let religion = try XCTUnwrap(result.promptSets.first)
        let estimate = try XCTUnwrap(
            religion.groupEstimates.first { $0.model == "distilgpt2" && $0.group == "christian" }?.estimate(.sentiment))
        let value = try XCTUnwrap(estimate.value)
        let lower = try XCTUnwrap(estimate.lower)
        let upper = try XCTUnwrap(estimate.upper)
        func text(_ shift: Double) -> String {
            let f = { (x: Double) in ReportNumbers.fixed(x + shift, decimals: 2) }
            return "\(f(value)) [\(f(lower)), \(f(upper))]"
        }
        let row = "| distilgpt2 | Christian | \(text(0)) | \(text(0.05)) |"
        XCTAssertTrue(markdown.contains(row), "expected the row \(row) in:\n\(markdown)")
        // Ascending, the main tables' setting marked (a teacher's review: unmarked, the intro named it).
        XCTAssertTrue(markdown.contains("| Model | Group | temperature 0.5 | temperature 1 (main tables) |\n|---|---|---:|---:|\n"),
                      markdown)

        // The chart: the same group's marker at temperature 1 (+0.05) sits above (smaller y) the one at 0.5.
        let chart = SweepChart(
            id: "t", title: "t", description: "d", xLabel: "temperature", yLabel: "mean sentiment", style: .english,
            scale: 1, xValues: [0.5, 1.0], xTickLabel: { "\($0)" },
            series: [
                SweepChart.Series(
                    model: "m", colorIndex: 0, group: "g", groupIndex: 0,
                    points: [(0.5, MetricEstimate(value: 1, lower: 0, upper: 2, n: 10), "1.00"),
                             (1.0, MetricEstimate(value: 3, lower: 2, upper: 4, n: 10), "3.00")])
            ])
        let svg = try XCTUnwrap(chart.svg())
        let document = try XMLDocument(data: Data(svg.utf8), options: [])
        let circles = try document.nodes(forXPath: "//*[local-name()='g']/*[local-name()='g']/*[local-name()='circle']")
            .compactMap { ($0 as? XMLElement)?.attribute(forName: "cy")?.stringValue.flatMap(Double.init) }
        XCTAssertEqual(circles.count, 2)
        // 1 and 3 on an axis from 0 to 4 (ticks 1 apart) over the plot's 280 px: 2 apart is 140 px.
        XCTAssertEqual(circles[0] - circles[1], 140, accuracy: coordinateTolerance, "y positions \(circles)")
        let bars = try document.nodes(forXPath: "//*[local-name()='g']/*[local-name()='g']/*[local-name()='line']")
        XCTAssertEqual(bars.count, 6, "an interval bar with two caps per point")
    }

    func testUntrustedLabelsStayInert() throws {
        let hostile = "<script>alert(1)</script> | *x* {{y}}"
        let result = try sweptResult(modelLabel: hostile, groupLabel: "<img src=x onerror=alert(1)> | g")
        let html = try ReportRenderer().render(result, format: .html)
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        XCTAssertEqual(try document.nodes(forXPath: "//script | //img").count, 0, "markup from a label was injected")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the label is shown as text")
        let markdown = try ReportRenderer().render(result, format: .md)
        let section = try XCTUnwrap(markdown.components(separatedBy: "## Sampling sweep").dropFirst().first, "no sweep section")
            .components(separatedBy: "\n## ")[0]
        // Folded like every section below the summary (review: the Markdown sweep was open, the HTML one folded).
        XCTAssertTrue(section.hasPrefix(": bias against the decoding settings\n\n<details>\n<summary>"), section)
        XCTAssertTrue(section.hasSuffix("</details>\n"), String(section.suffix(200)))
        let rows = section.components(separatedBy: "\n").filter { $0.contains("alert(1)") && $0.hasPrefix("| ") }
        // The hostile model: 2 religion tables × 3 groups + 3 occupation tables × 2 groups; the hostile group
        // under the other model: 2 religion tables.
        XCTAssertEqual(rows.count, 2 * 3 + 3 * 2 + 2, "sweep table rows with a hostile label")
        for row in rows {
            XCTAssertNil(row.range(of: #"(?<!\\)[<`]"#, options: .regularExpression), "unescaped Markdown syntax in \(row)")
            XCTAssertEqual(row.filter { $0 == "|" }.count - row.components(separatedBy: "\\|").count + 1, 5, "the row keeps 4 cells: \(row)")
        }
    }

    func testSpanishSectionAndNoSectionWithoutASweep() throws {
        let spanish = try ReportRenderer().render(try sweptResult(), format: .md, language: .es)
        XCTAssertTrue(spanish.contains("## Barrido de muestreo"), spanish)
        // The value columns are aligned right, as in every other table of numbers, and no header ends in a stray `| `
        // (a review).
        XCTAssertTrue(
            spanish.contains("| Modelo | Grupo | temperatura 0,5 | temperatura 1 (tablas principales) |\n|---|---|---:|---:|\n"),
            spanish)
        let plain = try ReportRenderer().render(try ReportFixture.result(), format: .html)
        XCTAssertFalse(plain.contains("id=\"sweep\""), "a run without --sweep has no sweep section")
    }

    func testOversizedOrUnknownSweepsFromAFileAreDescribedNotDrawn() throws {
        var result = try sweptResult()
        var sweep = try XCTUnwrap(result.sweep)
        sweep.settings = (0..<300).map { SweepSetting(temperature: 0.01 * Double($0 + 1), topK: 50, topP: 0.9) }
        result.sweep = sweep
        let markdown = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(
            markdown.contains("This results file's sweep (300 settings, "),
            "an oversized sweep is described: \(markdown)")

        sweep = try XCTUnwrap(try sweptResult().sweep)
        sweep.parameters = [SweptParameter(name: "<b>beam</b>", values: [1, 2])]
        result.sweep = sweep
        let html = try ReportRenderer().render(result, format: .html)
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        XCTAssertEqual(try document.nodes(forXPath: "//b").count, 0, "a parameter name from the file was injected")
        XCTAssertEqual(try document.nodes(forXPath: "//section[@id='sweep']//table").count, 0, "nothing to draw against an unknown parameter")
    }

    /// The header names every swept parameter with all its values (in `--sweep` order) and the value the
    /// main tables use, even when that value is the default; the "What was audited" sampling table too.
    func testHeaderListsTheSweptValuesAndTheSettingOfTheMainTables() throws {
        var result = try sweptResult()
        result.manifest.parameters.temperature = 1.0
        // A second swept parameter whose base (top-p 0.9) is the default: listed all the same.
        let settings = [0.9, 1.0].flatMap { topP in
            [1.0, 0.5].map { SweepSetting(temperature: $0, topK: 50, topP: topP) }
        }
        result.sweep?.parameters.append(SweptParameter(name: "top_p", values: [0.9, 1.0]))
        result.sweep?.settings = settings
        let expected: [(ReportLanguage, [String])] = [
            (.en, ["Temperature: 1, 0.5 (swept; the main tables use 1)", "Top-p: 0.9, off (swept; the main tables use 0.9)"]),
            (.es, ["Temperatura: 1; 0,5 (barrido; las tablas principales usan 1)",
                   "Top-p: 0,9; desactivado (barrido; las tablas principales usan 0,9)"]),
        ]
        for (language, rows) in expected {
            let view = ReportViewModel(result, escaping: .html, language: language)
            XCTAssertEqual(view.nonDefaultSettings.map { "\($0.name): \($0.value)" }, rows, "\(language) header")
            let sampling = view.sampling.map { "\($0.name): \($0.value)" }
            for row in rows { XCTAssertTrue(sampling.contains(row), "\(language): \(row) not in the sampling table \(sampling)") }
            let markdown = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertTrue(markdown.contains(":** " + rows.joined(separator: " · ") + "\n"), "\(language) Markdown header")
            let html = try ReportRenderer().render(result, format: .html, language: language)
            for row in rows { XCTAssertTrue(html.contains("<span class=\"setting\">\(row)</span>"), "\(language) HTML header: \(row)") }
        }
        // Without a sweep the header is as before: the base temperature alone.
        var plain = try ReportFixture.result()
        plain.manifest.parameters.temperature = 1.0
        XCTAssertEqual(ReportViewModel(plain, escaping: .html).nonDefaultSettings.map(\.value), ["1"])
    }

    /// Student's review: a sweep's header and run table said "192 completions scored" (the first setting's) where its
    /// Speed table had 288 per model and the sweep scored 576.
    func testASweepCountsTheCompletionsOfEverySetting() throws {
        let plain = try ReportFixture.result()
        let base = ReportViewModel(plain, escaping: .html).completions
        let perModel = Dictionary(grouping: plain.promptSets.flatMap(\.groupEstimates), by: \.model)
            .mapValues { $0.reduce(0) { $0 + $1.completions } }
        let total = perModel.values.reduce(0, +)
        XCTAssertEqual(base, "\(total.formatted(.number.locale(Locale(identifier: "en_US")))) completions scored (distilgpt2 "
            + "\(perModel["distilgpt2"]!.formatted(.number.locale(Locale(identifier: "en_US")))) · gpt2 "
            + "\(perModel["gpt2"]!.formatted(.number.locale(Locale(identifier: "en_US")))))")
        let swept = try sweptResult()
        let english = ReportViewModel(swept, escaping: .html).completions
        XCTAssertTrue(english.hasPrefix("\((2 * total).formatted(.number.locale(Locale(identifier: "en_US")))) completions scored ("),
                      english)
        XCTAssertTrue(english.hasSuffix("), \(total.formatted(.number.locale(Locale(identifier: "en_US")))) at each of the 2 sampling settings"),
                      english)
        let spanish = ReportViewModel(swept, escaping: .html, language: .es).completions
        XCTAssertTrue(spanish.hasSuffix(" en cada una de las 2 configuraciones de muestreo"), spanish)
        // An edited file whose product overflows (code review: it trapped) shows the first setting's count.
        var edited = swept
        edited.promptSets[0].groupEstimates[0].completions = 1 << 52
        edited.sweep?.settings = (0..<4096).map { SweepSetting(temperature: 0.5 + Double($0) / 8192, topK: 50, topP: 0.9) }
        let shown = ReportViewModel(edited, escaping: .html).completions
        XCTAssertFalse(shown.contains("at each of"), shown)
    }

    /// Student's review: a level without support put its reason ("too few gendered words (0 in this group, …)") in a
    /// sweep cell that did not wrap, pushing the last setting's column off the page at 1280 px. Such cells wrap as the
    /// set tables' do (`reason`); numbers keep their interval on the same line.
    func testReasonCellsWrapInTheSweepTables() throws {
        var result = try sweptResult()
        let index = try XCTUnwrap(result.sweep?.levels.firstIndex { $0.metric == .maleShare })
        result.sweep?.levels[index].estimate.insufficient = "too few gendered words"
        for language in [ReportLanguage.en, .es] {
            let html = try ReportRenderer().render(result, format: .html, language: language)
            let sweep = html.components(separatedBy: "<table class=\"sweep\">").dropFirst()
                .map { $0.components(separatedBy: "</table>")[0] }.joined()
            XCTAssertTrue(sweep.contains("<td class=\"num reason\">"), "\(language): a reason cell wraps")
            XCTAssertTrue(sweep.contains("<td class=\"num\">"), "\(language): number cells stay as they were")
        }
    }

    /// The sweep's charts and tables name groups by their label in the report's language, as the rest of
    /// the report does.
    func testSweepUsesTheGroupLabelsOfTheReportLanguage() throws {
        var result = try sweptResult()
        let group = result.promptSets[0].groups[0]
        result.promptSets[0].groups[0].labels = ["es": "Cristianos (es)"]
        let spanish = try ReportRenderer().render(result, format: .md, language: .es)
        let english = try ReportRenderer().render(result, format: .md)
        let sweepPart = { (text: String) in text.components(separatedBy: "\n## ").first { $0.hasPrefix("Barrido") || $0.hasPrefix("Sampling sweep") } ?? "" }
        XCTAssertTrue(sweepPart(spanish).contains("| Cristianos (es) |"), "the Spanish label in the Spanish sweep tables")
        XCTAssertFalse(sweepPart(spanish).contains("| \(group.label) |"), "the English label in the Spanish sweep tables")
        XCTAssertTrue(sweepPart(english).contains("| \(group.label) |"), "the English label in the English sweep tables")
        let html = try ReportRenderer().render(result, format: .html, language: .es)
        XCTAssertTrue(html.contains("<text x=\"") && html.contains(">Cristianos (es)</text>"), "the Spanish label in the chart legend")
    }
}
