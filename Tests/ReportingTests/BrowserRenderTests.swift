import AuditResults
import CommandSupport
import Foundation
import Gate
import Reporting
import TestSupport
import XCTest

/// Opens the HTML report in headless Chromium from disk: it must render without script errors or
/// Content-Security-Policy violations, fit a phone (390 px) and a laptop (1280 px) without anything
/// outside the page, clipped or overlapping, and print (A4 and Letter) with the header, the findings
/// and the at-a-glance table on the first two pages.
///
/// Skipped when `chromium` (or, for print, `pdfinfo` and `pdftotext` of Debian's poppler-utils) is not
/// on PATH, unless the environment variable `CI` is set: in CI the browser checks must run, so a
/// missing tool fails. Set `BIASAUDIT_SCREENSHOTS` to a folder to keep the screenshots and PDFs for a look.
final class BrowserRenderTests: XCTestCase {
    /// Console output that means the page misbehaved.
    static let failureMarkers = ["Uncaught", "Refused to", "Content Security Policy", "Content-Security-Policy"]
    /// How long the browser may take per run.
    static let timeoutSeconds = 120.0
    /// The viewport widths checked: a phone and a laptop.
    static let widths = [390, 1280]
    /// Sub-pixel slack when comparing layout boxes, in CSS pixels.
    static let layoutTolerancePixels = 0.5
    /// The smallest size, in CSS pixels, that a chart's 12 px text may be shrunk to on screen.
    static let minimumChartTextPixels = 9.0
    /// The printed pages that must hold the header, the findings and the at-a-glance table.
    static let firstScreenPages = 2
    /// At most this many printed pages when every detail section is closed (the handout).
    static let maximumHandoutPages = 3
    /// Height of the screenshots, in CSS pixels.
    static let screenshotHeight = 2400
    /// Headless Chromium does not make windows narrower than about 500 px, so the report is laid out
    /// in an iframe of the exact width (a phone's viewport is its width), inside a window this much wider.
    static let windowMargin = 120

    private var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("biasaudit-browser")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Model ids as long as local paths, which must wrap in titles and tables and stay whole in chart legends.
    static let longModelNames = [
        "distilgpt2": "/home/student/course/models/distilgpt2-finetuned-on-course-notes",
        "gpt2": "/home/student/course/models/gpt2-checkpoint-final",
    ]

    /// The fixture with a simulated bias, a non-default setting and model ids as long as local paths, so
    /// that the header's notes and long names are laid out too.
    private func reportResult() throws -> AuditResult {
        var result = Self.renamingModels(try ReportFixture.result(), Self.longModelNames)
        result.manifest.parameters.injectedBiases = [InjectedBias(group: "female_dominated", token: " terrible", logit: 8)]
        result.manifest.parameters.temperature = 1.0
        return result
    }

    /// `result` with every model id replaced as `names` says.
    static func renamingModels(_ result: AuditResult, _ names: [String: String]) -> AuditResult {
        var result = result
        func rename(_ id: String) -> String { names[id] ?? id }
        for index in result.manifest.models.indices { result.manifest.models[index].id = rename(result.manifest.models[index].id) }
        for set in result.promptSets.indices {
            for index in result.promptSets[set].groupEstimates.indices {
                result.promptSets[set].groupEstimates[index].model = rename(result.promptSets[set].groupEstimates[index].model)
            }
            for index in result.promptSets[set].contrasts.indices {
                let model = rename(result.promptSets[set].contrasts[index].model)
                result.promptSets[set].contrasts[index].model = model
                if result.promptSets[set].contrasts[index].family != nil {
                    result.promptSets[set].contrasts[index].family = "\(result.promptSets[set].name)/\(model)"
                }
            }
            for index in result.promptSets[set].examples.indices {
                result.promptSets[set].examples[index].model = rename(result.promptSets[set].examples[index].model)
            }
        }
        for index in result.modelComparisons.indices {
            result.modelComparisons[index].modelA = rename(result.modelComparisons[index].modelA)
            result.modelComparisons[index].modelB = rename(result.modelComparisons[index].modelB)
        }
        return result
    }

    private func writeReport() throws -> URL {
        try XCTUnwrap(try ReportWriter.write(try reportResult(), formats: [.html], to: directory, templates: nil).first)
    }

    func testChromiumRendersReportWithoutErrors() throws {
        let chromium = try Self.requireTool("chromium")
        let report = try writeReport()
        try Self.keep(report)
        for width in Self.widths {
            let screenshot = directory.appendingPathComponent("report-\(width).png")
            let frame = try Self.framePage(for: report, width: width, height: Self.screenshotHeight, in: directory)
            let run = try Self.run(chromium, arguments: Self.headless(profile: directory) + [
                "--enable-logging=stderr", "--v=0", "--screenshot=\(screenshot.path)",
                "--window-size=\(Self.windowWidth(width)),\(Self.screenshotHeight)", frame.absoluteString,
            ])
            XCTAssertEqual(run.status, 0, "chromium failed:\n\(run.stderr.suffix(2000))")
            let console = run.stderr.components(separatedBy: "\n").filter { line in Self.failureMarkers.contains { line.contains($0) } }
            XCTAssertTrue(console.isEmpty, "the page logged errors at \(width) px:\n\(console.joined(separator: "\n"))")
            let png = try Data(contentsOf: screenshot)
            XCTAssertGreaterThan(png.count, 10_000, "the screenshot is suspiciously small (\(png.count) bytes)")
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
            try Self.keep(screenshot)
        }
    }

    /// With every section opened, nothing lies outside the viewport, is clipped or overlaps its neighbour,
    /// at each width; wide tables may scroll inside their `.wide` box.
    func testLayoutFitsPhoneAndLaptopWidths() throws {
        try assertLayoutFits(try writeReport(), name: "layout")
    }

    /// The same for a `run --sweep` report in Spanish (longer words, the header's swept values, the
    /// sweep's line charts) and for a one-model report.
    func testSweepAndOneModelReportsFitPhoneAndLaptopWidths() throws {
        var swept = try reportResult()
        let settings = [0.7, 1.3].flatMap { temperature in [0.9, 1.0].map { SweepSetting(temperature: temperature, topK: 50, topP: $0) } }
        var levels: [SweepLevel] = []
        for set in swept.promptSets {
            for setting in settings {
                for estimates in set.groupEstimates {
                    for metric in [AuditMetric.sentiment, .negativeRate] {
                        guard let estimate = estimates.estimate(metric) else { continue }
                        levels.append(SweepLevel(
                            setting: setting, model: estimates.model, promptSet: set.name, metric: metric, group: estimates.group,
                            estimate: estimate))
                    }
                }
            }
        }
        swept.sweep = SweepResult(
            parameters: [SweptParameter(name: "temperature", values: [0.7, 1.3]), SweptParameter(name: "top_p", values: [0.9, 1])],
            settings: settings, base: settings[0], levels: levels, contrasts: [])
        let spanish = directory.appendingPathComponent("es")
        try assertLayoutFits(
            try XCTUnwrap(try ReportWriter.write(swept, formats: [.html], to: spanish, templates: nil, language: .es).first),
            name: "layout-sweep-es")
        let one = directory.appendingPathComponent("one")
        try assertLayoutFits(
            try XCTUnwrap(try ReportWriter.write(try OneModelReportTests.oneModelResult(), formats: [.html], to: one, templates: nil).first),
            name: "layout-one-model")
    }

    /// Opens every section of `report` at each width of ``widths`` and checks that nothing lies outside
    /// the page (outside a `.wide` box), is clipped or overlaps, and that chart text stays legible.
    private func assertLayoutFits(_ report: URL, name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let chromium = try Self.requireTool("chromium")
        let html = try String(contentsOf: report, encoding: .utf8)
        let instrumented = directory.appendingPathComponent("\(name).html")
        try Data(Self.instrumented(html).utf8).write(to: instrumented)
        for width in Self.widths {
            let frame = try Self.framePage(for: instrumented, width: width, height: 1200, in: directory, relay: true)
            let run = try Self.run(chromium, arguments: Self.headless(profile: directory) + [
                "--allow-file-access-from-files", "--window-size=\(Self.windowWidth(width)),1200", "--dump-dom",
                frame.absoluteString,
            ])
            XCTAssertEqual(run.status, 0, "chromium failed:\n\(run.stderr.suffix(2000))")
            let layout = try Self.layoutReport(run.stdout)
            let measured = directory.appendingPathComponent("\(name)-\(width).json")
            try JSONEncoder().encode(layout).write(to: measured)
            try Self.keep(measured)
            XCTAssertEqual(layout.width, Double(width), accuracy: 20, "\(name): the viewport should be about \(width) px wide",
                           file: file, line: line)
            XCTAssertLessThanOrEqual(
                layout.scrollWidth, layout.width + Self.layoutTolerancePixels, "\(name): the page scrolls sideways at \(width) px",
                file: file, line: line)
            XCTAssertTrue(
                layout.problems.isEmpty,
                "\(name): \(layout.problems.count) layout problems at \(width) px, first ones:\n"
                    + layout.problems.prefix(10).joined(separator: "\n"), file: file, line: line)
        }
    }

    /// Printed on A4 and on Letter, the first two pages carry the header, the findings and the whole
    /// at-a-glance table, and the handout (every detail closed) stays short.
    func testPrintedHandoutPutsTheFirstScreenOnTwoPages() throws {
        try assertHandout(
            try reportResult(), name: "fixture",
            markers: ["Bias audit:", "gpt2-checkpoint-final", "Simulated bias injected", "Findings", "At a glance",
                      "log P(he)/P(she)", "more biased", "Model against model"])
    }

    /// The same for a report the size of the default audit (every shipped prompt set, two models, a
    /// simulated bias): its at-a-glance table has every set's rows, and all of them print on the first
    /// two pages.
    func testPrintedDefaultAuditPutsTheFirstScreenOnTwoPages() throws {
        let result = try DefaultAuditFixture.result()
        let glance = ReportViewModel(result, escaping: .html).glance
        XCTAssertGreaterThanOrEqual(
            glance.rows.count, Self.defaultAuditGlanceRows, "the synthetic default audit has fewer at-a-glance rows than expected")
        let last = try XCTUnwrap(glance.rows.last)
        try assertHandout(
            result, name: "default-audit",
            markers: ["Bias audit:", "Simulated bias injected", "Findings", "At a glance", last.groups, "Model against model"])
        // Spanish sentences are longer; the Spanish handout holds too.
        let spanishLast = try XCTUnwrap(ReportViewModel(result, escaping: .html, language: .es).glance.rows.last)
        try assertHandout(
            result, name: "default-audit-es", language: .es,
            markers: ["Auditoría de sesgo:", "Sesgo simulado inyectado", "Hallazgos", "De un vistazo", spanishLast.groups,
                      "Modelo frente a modelo"])
    }

    /// At-a-glance rows of the default audit: 9 shipped sets × their primary metrics × group pairs.
    static let defaultAuditGlanceRows = 30

    /// Prints `result`'s HTML report on A4 and Letter and checks the page count and that every marker is
    /// on the first ``firstScreenPages`` pages.
    private func assertHandout(
        _ result: AuditResult, name: String, language: ReportLanguage = .en, markers: [String]
    ) throws {
        let chromium = try Self.requireTool("chromium")
        let pdfinfo = try Self.requireTool("pdfinfo")
        let pdftotext = try Self.requireTool("pdftotext")
        let folder = directory.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let report = try XCTUnwrap(
            try ReportWriter.write(result, formats: [.html], to: folder, templates: nil, language: language).first)
        let html = try String(contentsOf: report, encoding: .utf8)
        let kept = folder.appendingPathComponent("report-\(name).html")
        try Data(html.utf8).write(to: kept)
        try Self.keep(kept)
        for paper in ["A4", "letter"] {
            let page = folder.appendingPathComponent("print-\(paper).html")
            try Data(html.replacingOccurrences(of: "</head>", with: "<style>@page { size: \(paper); }</style>\n</head>").utf8)
                .write(to: page)
            let pdf = folder.appendingPathComponent("report-\(name)-\(paper).pdf")
            let run = try Self.run(chromium, arguments: Self.headless(profile: directory) + [
                "--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", page.absoluteString,
            ])
            XCTAssertEqual(run.status, 0, "\(name), \(paper): chromium failed to print:\n\(run.stderr.suffix(2000))")
            let info = try Self.run(pdfinfo, arguments: [pdf.path]).stdout
            let pages = try XCTUnwrap(
                info.components(separatedBy: "\n").first { $0.hasPrefix("Pages:") }
                    .flatMap { Int($0.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) },
                "pdfinfo gave no page count:\n\(info)")
            XCTAssertLessThanOrEqual(pages, Self.maximumHandoutPages, "\(name), \(paper): the handout prints on \(pages) pages")
            let size = info.components(separatedBy: "\n").first { $0.hasPrefix("Page size:") } ?? ""
            XCTAssertTrue(size.contains(paper == "A4" ? "A4" : "letter"), "\(name), \(paper): printed on \(size)")
            // Compared without whitespace: table cells wrap their text across lines.
            let firstPages = try Self.run(pdftotext, arguments: ["-f", "1", "-l", String(Self.firstScreenPages), pdf.path, "-"])
                .stdout.filter { !$0.isWhitespace }
            for marker in markers {
                XCTAssertTrue(
                    firstPages.contains(Self.pdfText(marker)),
                    "\(name), \(paper): “\(marker)” is not on the first \(Self.firstScreenPages) pages (of \(pages))")
            }
            try Self.keep(pdf)
        }
    }

    /// `text` as `pdftotext` gives it back from the page: HTML entities decoded, whitespace removed.
    static func pdfText(_ text: String) -> String {
        text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            .filter { !$0.isWhitespace }
    }

    // MARK: Helpers

    /// The window width that holds an iframe of `width` px.
    static func windowWidth(_ width: Int) -> Int {
        max(width + windowMargin, 500)
    }

    /// A page holding `report` in an iframe of exactly `width` × `height` CSS pixels; with `relay`, it
    /// copies the frame's layout report into its own DOM once the frame has loaded (needs Chromium's
    /// `--allow-file-access-from-files`, as both pages are files).
    static func framePage(for report: URL, width: Int, height: Int, in directory: URL, relay: Bool = false) throws -> URL {
        let script = relay ? """
            <script>
            document.getElementById('frame').addEventListener('load', function () {
              var report = this.contentDocument.getElementById('layout-report');
              var out = document.createElement('pre');
              out.id = 'layout-report';
              out.textContent = report ? report.textContent : '';
              document.body.appendChild(out);
            });
            </script>
            """ : ""
        let page = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"/><style>body { margin: 0; } iframe { border: 0; display: block; }</style></head>
            <body><iframe id="frame" src="\(report.lastPathComponent)" style="width: \(width)px; height: \(height)px"></iframe>
            \(script)</body></html>
            """
        let url = directory.appendingPathComponent("frame-\(width)-\(report.deletingPathExtension().lastPathComponent).html")
        try Data(page.utf8).write(to: url)
        return url
    }

    /// The report with its Content-Security-Policy removed and a script that opens every `<details>`,
    /// measures the layout and writes the result as JSON into `<pre id="layout-report">` (for `--dump-dom`).
    /// The page's own markup and stylesheet are unchanged.
    static func instrumented(_ html: String) -> String {
        let policy = #"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/>"#
        return html.replacingOccurrences(of: policy, with: "")
            .replacingOccurrences(of: "</body>", with: "<script>\n\(layoutScript)\n</script>\n</body>")
    }

    /// Opens every section, then lists elements outside the viewport (outside a scroll box), elements
    /// that clip their content, SVG text outside its chart, and blocks that overlap the block before them.
    static let layoutScript = """
        (function () {
          document.querySelectorAll('details').forEach(function (d) { d.open = true; });
          var width = document.documentElement.clientWidth, slack = \(layoutTolerancePixels), problems = [];
          function describe(e) {
            var name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '');
            if (typeof e.className === 'string' && e.className) { name += '.' + e.className.split(' ').join('.'); }
            return name + ' "' + (e.textContent || '').trim().slice(0, 60) + '"';
          }
          document.body.querySelectorAll('*').forEach(function (e) {
            var box = e.closest('.wide, pre');
            if (box && box !== e) { return; }
            if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') { return; }
            var r = e.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) { return; }
            if (r.right > width + slack || r.left < -slack) { problems.push('outside the page: ' + describe(e) + ' right=' + r.right); }
            var style = getComputedStyle(e);
            if ((style.overflowX === 'hidden' || style.overflowX === 'clip') && e.scrollWidth > e.clientWidth + 1) {
              problems.push('clipped: ' + describe(e));
            }
          });
          document.querySelectorAll('svg text').forEach(function (t) {
            // On screen, so that rotated text (the sweep charts' y-axis label) is measured as drawn.
            var chart = t.ownerSVGElement.getBoundingClientRect(), b = t.getBoundingClientRect();
            if (b.left < chart.left - slack || b.right > chart.right + slack || b.top < chart.top - slack
                || b.bottom > chart.bottom + slack) { problems.push('chart text cut: ' + describe(t)); }
          });
          document.querySelectorAll('svg[font-size]').forEach(function (s) {
            var view = s.viewBox.baseVal, shown = s.getBoundingClientRect().width;
            if (!view || !view.width || shown === 0) { return; }
            var text = Number(s.getAttribute('font-size')) * shown / view.width;
            if (text < \(minimumChartTextPixels) - 0.01) { problems.push('chart text ' + text.toFixed(1) + ' px: ' + describe(s)); }
          });
          // A visually hidden element is taken out of the flow; a more specific rule (the sticky caption of a
          // .wide table) once won over its position and left a 1 px box in the table's flow.
          document.querySelectorAll('.visually-hidden').forEach(function (e) {
            if (getComputedStyle(e).position !== 'absolute') { problems.push('not out of the flow: ' + describe(e)); }
          });
          document.querySelectorAll('header, main, section, details, figure').forEach(function (parent) {
            var blocks = Array.prototype.filter.call(parent.children, function (k) {
              return k.getBoundingClientRect().height > 0 && getComputedStyle(k).position === 'static';
            });
            for (var i = 1; i < blocks.length; i++) {
              var a = blocks[i - 1].getBoundingClientRect(), b = blocks[i].getBoundingClientRect();
              if (b.top < a.bottom - slack) { problems.push('overlap: ' + describe(blocks[i - 1]) + ' / ' + describe(blocks[i])); }
            }
          });
          var out = document.createElement('pre');
          out.id = 'layout-report';
          out.textContent = JSON.stringify({ width: width, scrollWidth: document.documentElement.scrollWidth, problems: problems });
          document.body.appendChild(out);
        })();
        """

    /// What the layout script measured.
    struct LayoutReport: Codable {
        let width: Double
        let scrollWidth: Double
        let problems: [String]
    }

    /// The JSON of `<pre id="layout-report">` in Chromium's dumped DOM.
    static func layoutReport(_ dom: String) throws -> LayoutReport {
        guard let start = dom.range(of: #"<pre id="layout-report">"#), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else {
            throw XCTSkip("the layout script did not run (no layout report in the dumped DOM):\n\(dom.suffix(500))")
        }
        let json = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(LayoutReport.self, from: Data(json.utf8))
    }

    static func headless(profile directory: URL) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--user-data-dir=\(directory.appendingPathComponent("profile").path)"]
    }

    /// The tool on PATH; skips the test when it is missing, fails when `CI` is set.
    static func requireTool(_ name: String) throws -> URL {
        if let tool = executable(named: name) { return tool }
        if let ci = ProcessInfo.processInfo.environment["CI"], !ci.isEmpty {
            XCTFail("CI is set but \(name) is not on PATH; install it (make setup-browser) so the HTML report is checked in a real browser")
        }
        throw XCTSkip("\(name) is not on PATH (make setup-browser installs it)")
    }

    /// Copies `file` into `$BIASAUDIT_SCREENSHOTS` when that is set.
    static func keep(_ file: URL) throws {
        guard let keep = ProcessInfo.processInfo.environment["BIASAUDIT_SCREENSHOTS"], !keep.isEmpty else { return }
        let folder = URL(fileURLWithPath: keep)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(file.lastPathComponent)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: file, to: target)
    }

    /// The first executable called `name` on PATH.
    static func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs a tool to its end (terminated after ``timeoutSeconds``), returning its status and output;
    /// standard error goes through a temporary file so that neither pipe can fill up and block the tool.
    static func run(_ tool: URL, arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("biasaudit-\(UUID().uuidString).stderr")
        XCTAssertTrue(FileManager.default.createFile(atPath: errorFile.path, contents: nil), "cannot create \(errorFile.path)")
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try FileHandle(forWritingTo: errorFile)
        defer { try? errors.close() }
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        XCTAssertNotEqual(process.terminationReason, .uncaughtSignal, "\(tool.lastPathComponent) did not finish within \(timeoutSeconds) s")
        let errorText = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), errorText)
    }
}
