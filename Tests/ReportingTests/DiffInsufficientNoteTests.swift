import AuditAnalysis
import AuditResults
import Foundation
import Reporting
import XCTest

/// `diff`'s note naming each "insufficient data" row with its reason: at most ten rows, each reason an escaped excerpt
/// (a results file is input), in every format.
final class DiffInsufficientNoteTests: XCTestCase {
    /// `count` thin rows whose side A carries `reason` as a results file's worded `insufficient` (no structured detail).
    private func diff(thinRows count: Int, reason: String) -> RunDiff {
        let entries = (0..<count).map { index in
            let thin = MetricEstimate(value: nil, lower: nil, upper: nil, n: 30, insufficient: reason)
            let comparison = ModelComparison(
                contrastID: "s/male_share/a\(index)-vs-b", set: "s", metric: .maleShare, modelA: "m1", modelB: "m2",
                valueA: nil, valueB: 0.1, difference: thin, paired: false, contrastA: thin,
                contrastB: MetricEstimate(value: 0.1, lower: 0.05, upper: 0.15, n: 30))
            return RunDiffEntry(comparison, axis: "gender", groupA: "a\(index)", groupB: "b", method: .normalApproximation,
                                threshold: 0.05)
        }
        return RunDiff(a: RunDiffSide(path: "A.json", models: ["m1"]), b: RunDiffSide(path: "B.json", models: ["m2"]),
                       confidenceLevel: 0.95, entries: entries, onlyInA: [], onlyInB: [], notes: [])
    }

    private func render(_ diff: RunDiff, _ format: DiffFormat) throws -> String {
        String(decoding: try DiffRendering.render(diff, as: format), as: UTF8.self)
    }

    func testAtMostTenRowsAreNamedAndTheRestCounted() throws {
        let text = try render(diff(thinRows: 12, reason: "too few gendered words (4 in a group, below the minimum of 20)"), .text)
        let notes = text.split(separator: "\n").filter { $0.hasPrefix("note: Insufficient data") }
        XCTAssertEqual(notes.count, 11, text)
        XCTAssertEqual(notes.first, "note: Insufficient data (no interval, test or verdict below a metric's minimum support): "
            + "s male_share a0-vs-b (m1 → m2): A: too few gendered words (4 in a group, below the minimum of 20).")
        XCTAssertEqual(notes[9], "note: Insufficient data: s male_share a9-vs-b (m1 → m2): A: too few gendered words (4 in a "
            + "group, below the minimum of 20).")
        XCTAssertFalse(notes.contains { $0.contains("a10-vs-b") }, "\(notes)")
        XCTAssertEqual(notes.last, "note: Insufficient data in 2 more rows (each contrast's reason is in its results.json).")
        let few = try render(diff(thinRows: 3, reason: "too little data"), .text)
        XCTAssertEqual(few.split(separator: "\n").filter { $0.hasPrefix("note: Insufficient data") }.count, 3, few)
        XCTAssertFalse(few.contains("more row"), few)
        let eleven = try render(diff(thinRows: 11, reason: "too little data"), .text)
        XCTAssertTrue(eleven.contains("note: Insufficient data in 1 more row (each contrast's reason is in its results.json)."),
                      eleven)
    }

    /// `--format json` carries the text's notes, in its order (a practitioner's review: 4 of 7 were there; the verdicts'
    /// meaning, the units of rates and the insufficient rows were missing).
    func testJSONCarriesEveryNoteOfTheText() throws {
        var thin = diff(thinRows: 2, reason: "too little data")
        thin.notes = ["A note of the comparison."]
        thin.onlyInA = ["s/male_share/c-vs-b (m1)"]
        let textNotes = try render(thin, .text).split(separator: "\n").filter { $0.hasPrefix("note: ") }
            .map { String($0.dropFirst("note: ".count)) }
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: DiffRendering.render(thin, as: .json)) as? [String: Any])
        let jsonNotes = try XCTUnwrap(object["notes"] as? [String], "\(object.keys)")
        XCTAssertEqual(jsonNotes, textNotes)
        XCTAssertEqual(jsonNotes.count, 6, "\(jsonNotes)")
        // The report's stricter "direction reversed" is named (a student's review: the two read as one rule).
        XCTAssertTrue(jsonNotes.contains { $0.hasSuffix("direction reversed when A's and B's intervals exclude 0 on opposite "
            + "sides (a run's report marks it only where the contrast is a finding under both models).") }, "\(jsonNotes)")
        for start in ["A note of the comparison.", "Verdicts: more (less) biased", "Rates and shares (male_share)",
                      "Insufficient data (no interval", "Only in A (not compared)"] {
            XCTAssertTrue(jsonNotes.contains { $0.hasPrefix(start) }, "no note starting \(start): \(jsonNotes)")
        }
    }

    /// A hand-made reason of a megabyte with a terminal escape, a line break and markup is cut to an excerpt and shown
    /// inert in every format.
    func testAHostileReasonIsAnEscapedExcerptInEveryFormat() throws {
        let reason = "\u{1B}[31m<script>alert(1)</script>\n| # *x* " + String(repeating: "r", count: 1_000_000)
        let hostile = diff(thinRows: 1, reason: reason)
        let text = try render(hostile, .text)
        XCTAssertFalse(text.contains("\u{1B}"), "an ESC reached the terminal")
        let markdown = try render(hostile, .md)
        let html = try render(hostile, .html)
        XCTAssertFalse(html.contains("<script>"), "raw markup in the HTML")
        for (name, output) in [("text", text), ("md", markdown), ("html", html)] {
            XCTAssertLessThan(output.utf8.count, 40_000, "\(name): the reason was not cut (\(output.utf8.count) bytes)")
            XCTAssertTrue(output.contains("rrrr"), "\(name): the note is missing")
        }
        let line = try XCTUnwrap(markdown.split(separator: "\n").first { $0.contains("Insufficient data") }, markdown)
        XCTAssertFalse(line.contains("<script>"), String(line))
    }

    /// A CI team's review: "no detectable change" beside B − A = +0.396 [+0.210, +0.582] read as a bug. The verdict judges
    /// the bias's size; a row whose change excludes 0 without a reversal is marked "contrast moved" and a note says why,
    /// and a row whose change covers 0 is not.
    func testANoDetectableChangeWhoseContrastMovedIsMarked() throws {
        func entry(group: String, change: MetricEstimate) -> RunDiffEntry {
            let comparison = ModelComparison(
                contrastID: "s/sentiment/\(group)-vs-b", set: "s", metric: .sentiment, modelA: "m1", modelB: "m2",
                valueA: -0.090, valueB: 0.306, difference: change, paired: false,
                contrastA: MetricEstimate(value: -0.090, lower: -0.25, upper: 0.07, n: 240),
                contrastB: MetricEstimate(value: 0.306, lower: 0.17, upper: 0.44, n: 240), growth: 0.216,
                pMoreBiased: 0.03, pLessBiased: 0.97, qValue: 0.053)
            return RunDiffEntry(comparison, axis: "religion", groupA: group, groupB: "b", method: .unpaired, threshold: 0.05)
        }
        let moved = entry(group: "a", change: MetricEstimate(value: 0.396, lower: 0.210, upper: 0.582, n: 480))
        let still = entry(group: "c", change: MetricEstimate(value: 0.396, lower: -0.010, upper: 0.802, n: 480))
        XCTAssertEqual([moved.verdict, still.verdict], [.noDetectableChange, .noDetectableChange])
        let diff = RunDiff(a: RunDiffSide(path: "A.json", models: ["m1"]), b: RunDiffSide(path: "B.json", models: ["m2"]),
                           confidenceLevel: 0.95, entries: [moved, still], onlyInA: [], onlyInB: [], notes: [])
        for format in [DiffFormat.text, .md, .html] {
            let output = try render(diff, format)
            let lines = output.split(separator: "\n")
            let movedRow = try XCTUnwrap(lines.first { $0.contains("a-vs-b") && !$0.contains("note") }, output)
            let stillRow = try XCTUnwrap(lines.first { $0.contains("c-vs-b") && !$0.contains("note") }, output)
            XCTAssertTrue(movedRow.contains("no detectable change, contrast moved"), "\(format): \(movedRow)")
            XCTAssertFalse(stillRow.contains("contrast moved"), "\(format): \(stillRow)")
            let apostrophe = format == .html ? "&#39;" : "'"
            XCTAssertTrue(output.contains("Contrast moved: B − A\(apostrophe)s interval excludes 0"), "\(format): no note")
        }
        let unmoved = RunDiff(a: diff.a, b: diff.b, confidenceLevel: 0.95, entries: [still], onlyInA: [], onlyInB: [], notes: [])
        XCTAssertFalse(try render(unmoved, .text).contains("Contrast moved"))
        // The summary counts the moved rows, and the JSON marks each entry (a review: only the note said so there).
        XCTAssertTrue(try render(diff, .text).contains("0 with the direction reversed, 1 with the contrast moved."))
        XCTAssertFalse(try render(unmoved, .text).contains("with the contrast moved"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: DiffRendering.render(diff, as: .json)) as? [String: Any])
        let entries = try XCTUnwrap(object["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["contrast_moved"] as? Bool }, [true, false])
    }
}
