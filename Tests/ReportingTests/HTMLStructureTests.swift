import AuditResults
import Foundation
import FoundationXML
import Reporting
import XCTest
#if canImport(FoundationXML)
#endif

/// The HTML report is well-formed, accessible and self-contained.
final class HTMLStructureTests: XCTestCase {
    private var result: AuditResult!
    private var html = ""
    private var document: XMLDocument!

    override func setUpWithError() throws {
        result = try ReportFixture.result()
        html = try ReportRenderer().render(result, format: .html)
        document = try XMLDocument(data: Data(html.utf8), options: [])
    }

    func testEveryTableHasACaptionAndHeaderCells() throws {
        let tables = try document.nodes(forXPath: "//table")
        XCTAssertGreaterThanOrEqual(tables.count, 15)
        for case let table as XMLElement in tables {
            let caption = try XCTUnwrap(table.children?.first as? XMLElement, "table without children")
            XCTAssertEqual(caption.name, "caption", "a table's first child must be its caption: \(table.xmlString.prefix(120))")
            XCTAssertFalse((caption.stringValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "empty caption")
            XCTAssertFalse(try table.nodes(forXPath: ".//th").isEmpty, "table without header cells: \(caption.stringValue ?? "")")
            for case let header as XMLElement in try table.nodes(forXPath: "./thead//th") {
                XCTAssertEqual(header.attribute(forName: "scope")?.stringValue, "col")
            }
        }
    }

    /// The most characters of a caption inside a `.wide` box: a caption scrolls sideways with its table, so on a phone
    /// (390 px) a sentence-long one scrolled out of view with the table instead of wrapping to the screen (a review of
    /// the counterfactual pairs' caption, then 400 characters). A longer text is a `p.caption` before the box.
    static let longestCaptionInAScrollBox = 60

    func testNoLongCaptionScrollsWithItsTable() throws {
        for (name, rendered) in [("en", html), ("es", try ReportRenderer().render(result, format: .html, language: .es))] {
            let page = try XMLDocument(data: Data(rendered.utf8), options: [])
            let captions = try page.nodes(forXPath: "//div[@class='wide']/table/caption")
            XCTAssertGreaterThanOrEqual(captions.count, 15, name)
            for caption in captions {
                let text = (caption.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertLessThanOrEqual(
                    text.count, Self.longestCaptionInAScrollBox,
                    "\(name): a caption of \(text.count) characters scrolls with its table: \(text.prefix(80))…")
            }
            // The sentences are before their boxes, wrapping to the page: every set's pairs caption among them.
            let paragraphs = try page.nodes(forXPath: "//p[@class='caption'][following-sibling::*[1][self::div[@class='wide']]]")
                .map { $0.stringValue ?? "" }
            for set in result.promptSets {
                let pairs = name == "en" ? "\(set.name): counterfactual pairs — " : "\(set.name): pares contrafactuales — "
                XCTAssertTrue(paragraphs.contains { $0.hasPrefix(pairs) }, "\(name): no paragraph \(pairs)… before the pairs table")
            }
        }
    }

    /// A hostile review: the reports did not show the SHA-256 of config.json, vocab.json and merges.txt, which results.json
    /// records and which decide the completions as much as the weights. The weights cell's title lists them.
    func testTheWeightsCellNamesTheModelFilesDigests() throws {
        var recorded = result!
        let weights = try XCTUnwrap(recorded.manifest.models[0].weightsSHA256)
        let (config, vocab, merges) = (String(repeating: "c", count: 64), String(repeating: "d", count: 64), String(repeating: "e", count: 64))
        recorded.manifest.models[0].configSHA256 = config
        recorded.manifest.models[0].vocabSHA256 = vocab
        recorded.manifest.models[0].mergesSHA256 = merges
        let rendered = try ReportRenderer().render(recorded, format: .html)
        let expected = "title=\"\(weights); config.json \(config); vocab.json \(vocab); merges.txt \(merges)\""
        XCTAssertTrue(rendered.contains(expected), "no \(expected) in the models table")
        // A user's template reading `weightsFull` still gets the weights' digest alone (a review).
        let view = ReportViewModel(recorded, escaping: .html)
        XCTAssertEqual(view.models[0].weightsFull, weights)
        XCTAssertEqual(view.models[0].modelFiles, "\(weights); config.json \(config); vocab.json \(vocab); merges.txt \(merges)")
        // Results without them (written before they were recorded) keep the weights' digest alone.
        XCTAssertTrue(html.contains("title=\"\(weights)\""), "the weights' digest alone")
    }

    /// results.json records the SHA-256 of the completions.jsonl beside it; "What was audited" shows it (12 digits, in full
    /// in the HTML title) in both languages, and says it is not recorded in results written before it was.
    func testTheRunTableShowsTheCompletionsDigestOrSaysItIsNotRecorded() throws {
        var recorded = result!
        let digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        recorded.manifest.completionsSHA256 = digest
        let renderer = try ReportRenderer()
        let expected: [(ReportFormat, ReportLanguage, String, String)] = [
            (.html, .en, "<th scope=\"row\">SHA-256 of the <code>completions.jsonl</code> beside <code>results.json</code></th><td><code title=\"\(digest)\">9f86d081884c</code></td>",
             "<th scope=\"row\">SHA-256 of the <code>completions.jsonl</code> beside <code>results.json</code></th><td>not recorded</td>"),
            (.html, .es, "<th scope=\"row\">SHA-256 del <code>completions.jsonl</code> junto a <code>results.json</code></th><td><code title=\"\(digest)\">9f86d081884c</code></td>",
             "<th scope=\"row\">SHA-256 del <code>completions.jsonl</code> junto a <code>results.json</code></th><td>no registrado</td>"),
            (.md, .en, "| SHA-256 of the completions.jsonl beside results.json | 9f86d081884c |", "| SHA-256 of the completions.jsonl beside results.json | not recorded |"),
            (.md, .es, "| SHA-256 del completions.jsonl junto a results.json | 9f86d081884c |", "| SHA-256 del completions.jsonl junto a results.json | no registrado |"),
        ]
        for (format, language, shown, notRecorded) in expected {
            let withDigest = try renderer.render(recorded, format: format, language: language)
            XCTAssertTrue(withDigest.contains(shown), "\(format) \(language): no \(shown)")
            let without = try renderer.render(result, format: format, language: language)
            XCTAssertNil(result.manifest.completionsSHA256, "the fixture records no digest")
            XCTAssertTrue(without.contains(notRecorded), "\(format) \(language): no \(notRecorded)")
        }
        // A hand-edited value is text, escaped like every other string of the file: the page parses back to it.
        let hostile = "<script>\"x\"</script>"
        recorded.manifest.completionsSHA256 = hostile
        let page = try XMLDocument(data: Data(try renderer.render(recorded, format: .html).utf8), options: [])
        let cells = try page.nodes(forXPath: "//code[@title]").compactMap { $0 as? XMLElement }
            .filter { $0.attribute(forName: "title")?.stringValue == hostile }
        XCTAssertEqual(cells.map(\.stringValue), [String(hostile.prefix(12))])
    }

    func testEachSetHasAForestPlotWithAllEstimates() throws {
        let sections = try document.nodes(forXPath: "//section[@class='set']")
        XCTAssertEqual(sections.count, result.promptSets.count)
        for (section, set) in zip(sections, result.promptSets) {
            let svgs = try section.nodes(forXPath: ".//svg")
            let charted = [AuditMetric.sentiment, .maleShare, .heSheLogOdds].filter(set.metrics.contains)
            XCTAssertEqual(svgs.count, charted.count, "\(set.name): one chart per charted metric")
            for (svg, metric) in zip(svgs, charted) {
                let estimates = set.groupEstimates.compactMap { $0.estimate(metric) }
                // Below its minimum support an estimate is written as its reason, not plotted.
                let points = estimates.filter { $0.value != nil && $0.insufficient == nil }.count
                let whiskers = estimates.filter { $0.lower != nil && $0.upper != nil && $0.insufficient == nil }.count
                let legend = Set(set.groupEstimates.map(\.model)).count
                XCTAssertEqual(
                    try svg.nodes(forXPath: ".//circle").count, points + legend,
                    "\(set.name)/\(metric): one dot per estimate")
                let unsupported = estimates.filter { $0.value != nil && $0.insufficient != nil }.count
                XCTAssertEqual(
                    try svg.nodes(forXPath: ".//g[rect]/text[starts-with(., 'too few gendered words')]").count,
                    unsupported, "\(set.name)/\(metric): an unsupported estimate shows its reason, not a dot")
                XCTAssertEqual(try svg.nodes(forXPath: "./g/line").count, whiskers, "\(set.name)/\(metric): one whisker per CI")
                XCTAssertFalse(try svg.nodes(forXPath: "./title").isEmpty, "a chart needs a title")
                XCTAssertEqual(try svg.nodes(forXPath: "./text[@text-anchor='middle']").last?.stringValue, MetricAxisLabels.label(metric))
            }
        }
    }

    func testNoExternalResource() throws {
        for needle in ["http:", "https:", "//", "ftp:", "url("] {
            XCTAssertFalse(html.contains(needle), "the report contains \(needle)")
        }
        XCTAssertEqual(try document.nodes(forXPath: "//script | //link | //img | //iframe | //object | //embed").count, 0)
        for case let attribute as XMLNode in try document.nodes(forXPath: "//@src | //@href | //@srcset") {
            let value = attribute.stringValue ?? ""
            XCTAssertTrue(value.hasPrefix("#") || value.hasPrefix("data:"), "external reference \(attribute.name ?? "")=\(value)")
        }
        let policy = try document.nodes(forXPath: "//meta[@http-equiv='Content-Security-Policy']/@content").first?.stringValue
        XCTAssertEqual(policy, "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        let style = try XCTUnwrap(try document.nodes(forXPath: "//style").first?.stringValue)
        XCTAssertTrue(style.contains("@media print") && style.contains("prefers-color-scheme: dark"))
    }

    /// A review (accessibility): a long caption is a `p.caption` before its table's scroll box, so nothing tied it to the
    /// table for a screen reader, which read only the short hidden `<caption>`. Each such table names its paragraph in
    /// `aria-describedby`; every id it names (and every `aria-labelledby` of the charts) is exactly one element's, no id
    /// repeats, and a caption's id is built from the set's anchor, never from its name. Checked on the fixture in both
    /// languages, and on one with a third model (two comparison tables in a set), two sets whose names give the same
    /// anchor, a set named like another's caption id, a set whose anchor is another set's chart title id (review 89:
    /// "religion sentiment title" gave `set-religion-sentiment-title`, the id of the "religion" chart's title, before chart
    /// ids began with `chart-`), and a set name holding markup.
    func testEveryLongCaptionDescribesItsTableAndEveryIdIsUnique() throws {
        var crowded = result!
        let third = crowded.modelComparisons.filter { $0.set == crowded.promptSets[0].name }.map { comparison in
            var other = comparison
            other.modelB = "gpt2-medium"
            return other
        }
        XCTAssertFalse(third.isEmpty)
        crowded.modelComparisons += third
        for name in ["Religion", "religion-2", "x-estimates-set-religion", "religion sentiment title", #"<b id="caption-estimates-set-religion">"#] {
            var copy = crowded.promptSets[0]
            copy.name = name
            crowded.promptSets.append(copy)
        }
        let renderings = [("en", html), ("es", try ReportRenderer().render(result, format: .html, language: .es)),
                          ("crowded en", try ReportRenderer().render(crowded, format: .html)),
                          ("crowded es", try ReportRenderer().render(crowded, format: .html, language: .es))]
        for (name, rendered) in renderings {
            let page = try XMLDocument(data: Data(rendered.utf8), options: [])
            let ids = try page.nodes(forXPath: "//@id").compactMap(\.stringValue)
            XCTAssertEqual(Set(ids).count, ids.count, "\(name): repeated ids \(Dictionary(grouping: ids) { $0 }.filter { $1.count > 1 }.keys.sorted())")
            for id in ids { XCTAssertTrue(!id.isEmpty && !id.contains { $0.isWhitespace }, "\(name): invalid id '\(id)'") }
            let references = try page.nodes(forXPath: "//@aria-describedby | //@aria-labelledby")
                .flatMap { ($0.stringValue ?? "").split(separator: " ").map(String.init) }
            for reference in references {
                XCTAssertEqual(ids.filter { $0 == reference }.count, 1, "\(name): aria reference '\(reference)' is not one element's id")
            }
            // Every long caption before a scroll box describes the table in that box.
            let paragraphs = try page.nodes(forXPath: "//p[@class='caption'][following-sibling::*[1][self::div[@class='wide']]]")
            // Per set 4 (estimates, contrasts, examples, pairs), 2 labour tables, a comparison table per set and pair of
            // models (the copied sets have none: comparisons name their set).
            let expected = name.hasPrefix("crowded") ? 7 * 4 + 2 + 3 : 2 * 4 + 2 + 2
            XCTAssertEqual(paragraphs.count, expected, "\(name): long captions")
            for case let paragraph as XMLElement in paragraphs {
                let id = try XCTUnwrap(paragraph.attribute(forName: "id")?.stringValue, "\(name): a p.caption without an id")
                XCTAssertNotNil(id.range(of: "^caption-[a-z]+-set-[a-z0-9-]*$", options: .regularExpression), "\(name): caption id \(id)")
                let table = try XCTUnwrap(try paragraph.nodes(forXPath: "following-sibling::div[1]/table").first as? XMLElement)
                XCTAssertEqual(table.attribute(forName: "aria-describedby")?.stringValue, id, "\(name): the table after \(id)")
            }
        }
        XCTAssertTrue(renderings[2].1.contains(#"id="caption-comparison-set-religion-2""#), "the second pair of models' table")
        XCTAssertFalse(renderings[2].1.contains(#"<b id="#), "markup from a set's name")
    }

    /// Review 89: the set tables' caption ids were written twice, by ``ReportContext/captionID(_:anchor:index:)`` and as
    /// `caption-estimates-{{anchor}}` in both languages' set partials. The partials now print ``SetView``'s keys, so no
    /// shipped template spells a caption id.
    func testNoShippedTemplateSpellsACaptionID() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Templates")
        for path in ["partials/html-set.mustache", "es/partials/html-set.mustache"] {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            XCTAssertFalse(text.contains("caption-"), "\(path) builds a caption id itself")
            for table in ["estimates", "contrasts", "examples", "pairs"] {
                XCTAssertEqual(text.components(separatedBy: "{{\(table)CaptionID}}").count - 1, 2, "\(path): \(table)")
            }
        }
        XCTAssertTrue(html.contains(#"<p class="caption" id="caption-estimates-set-religion">"#))
        XCTAssertTrue(html.contains(#"aria-describedby="caption-pairs-set-religion""#))
    }

    func testInPageLinksPointToExistingSections() throws {
        let ids = Set(try document.nodes(forXPath: "//@id").compactMap(\.stringValue))
        for case let link as XMLNode in try document.nodes(forXPath: "//a/@href") {
            let target = String((link.stringValue ?? "").dropFirst())
            XCTAssertTrue(ids.contains(target), "link to missing #\(target)")
        }
    }
}

/// The axis labels the charts must carry (kept here so a wording change is a deliberate test change).
enum MetricAxisLabels {
    static func label(_ metric: AuditMetric) -> String {
        switch metric {
        case .sentiment: "mean VADER compound (−1 negative … +1 positive)"
        case .maleShare: "% male among gendered words (50% = balanced)"
        case .heSheLogOdds: "log P(he) − log P(she) (0 = balanced, > 0 favours he)"
        default: ""
        }
    }
}

/// Cells that print a reason in words instead of a number wrap (`td.reason`): a nowrap reason in the model comparison
/// or the MDE column pushed the verdict and finding columns off a 1280 px page (review).
final class ReasonCellTests: XCTestCase {
    func testReasonsInNumberColumnsWrap() throws {
        var result = try ReportFixture.result()
        // A contrast without a variance estimate: its MDE cell reads "unknown: no variance estimate".
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.contrasts.contains { $0.family != nil && $0.difference.insufficient == nil } })
        let index = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex { $0.family != nil && $0.difference.insufficient == nil })
        result.promptSets[set].contrasts[index].minimumDetectableEffect = nil
        result.promptSets[set].contrasts[index].difference.standardError = 0
        let reasons = ["too few", "unknown:", "muy pocas", "desconocido"]
        for language in ReportLanguage.allCases {
            let html = try ReportRenderer().render(result, format: .html, language: language)
            let document = try XMLDocument(data: Data(html.utf8), options: [])
            var wrapping = 0
            for case let cell as XMLElement in try document.nodes(forXPath: "//td[contains(concat(' ', @class, ' '), ' num ')]") {
                let text = cell.stringValue ?? ""
                guard reasons.contains(where: text.contains) else { continue }
                let classes = (cell.attribute(forName: "class")?.stringValue ?? "").split(separator: " ")
                XCTAssertTrue(classes.contains("reason"), "\(language): a reason in a nowrap number cell: \(cell.xmlString)")
                wrapping += 1
            }
            // The fixture's male-share contrast below its minimum (set table, and both sides and the change of the
            // model comparison) and the MDE made unknown above.
            XCTAssertGreaterThanOrEqual(wrapping, 5, "\(language): too few reason cells found to test")
        }
    }
}

/// The Spanish page marks the English prompts and continuations as English, so that screen readers, hyphenation
/// and spell-checking do not read them as Spanish (review).
final class SpanishPageLanguageTests: XCTestCase {
    func testModelTextIsMarkedEnglishOnTheSpanishPage() throws {
        let html = try ReportRenderer().render(try ReportFixture.result(), format: .html, language: .es)
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        let texts = try document.nodes(forXPath: "//td[@class='text']/*[@class='prompt' or @class='continuation']")
        XCTAssertFalse(texts.isEmpty, "the fixture has examples")
        for case let element as XMLElement in texts {
            XCTAssertEqual(element.attribute(forName: "lang")?.stringValue, "en", element.xmlString)
        }
    }
}

/// Statistics revision 12: a rate contrast of a single term beside groups of several terms all at 0% or 100% has a value
/// and no variance. The Methods say why, naming the set, in both languages and formats (a review: they said every
/// contrast had a t interval over crossed clusters); a report without such a row says nothing of it.
final class UnlentSingleTermMethodsTests: XCTestCase {
    func testTheMethodsSayWhyASingleTermsRateContrastHasNoTest() throws {
        let plain = try ReportFixture.result()
        var result = plain
        let set = try XCTUnwrap(result.promptSets.firstIndex { !$0.analysedGroupsAreSingleTerms && $0.contrasts.contains { $0.metric == .negativeRate } })
        let index = try XCTUnwrap(result.promptSets[set].contrasts.firstIndex { $0.metric == .negativeRate })
        var contrast = result.promptSets[set].contrasts[index]
        (contrast.difference.lower, contrast.difference.upper) = (nil, nil)
        (contrast.difference.standardError, contrast.difference.degreesOfFreedom) = (nil, nil)
        contrast.difference.method = MetricEstimate.conditionalMethod
        (contrast.pValue, contrast.qValue, contrast.minimumDetectableEffect) = (nil, nil, nil)
        result.promptSets[set].contrasts[index] = contrast
        let name = result.promptSets[set].name
        let says = [ReportLanguage.en: "In \(name) (% negative) a contrast of a group of one term (against a group of several "
                        + "terms, or against another group of one term) has no interval and no test",
                    .es: "En \(name) (% negativas) un contraste de un grupo de un solo término (frente a un grupo de varios "
                        + "términos o frente a otro grupo de un solo término) no tiene intervalo ni prueba"]
        for language in ReportLanguage.allCases {
            for format in [ReportFormat.md, .html] {
                let text = try ReportRenderer().render(result, format: format, language: language)
                XCTAssertTrue(text.contains(says[language]!), "\(language) \(format): the Methods say why")
                let without = try ReportRenderer().render(plain, format: format, language: language)
                XCTAssertFalse(without.contains(says[language]!), "\(language) \(format): nothing to say")
            }
        }
    }
}
