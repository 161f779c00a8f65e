import AuditAnalysis
import AuditResults
import Reporting
import XCTest

/// The report's model-vs-model verdicts are those of `biasaudit diff` on the same two models: both read
/// ``ModelComparison/computedVerdict`` of the same comparison.
final class ComparisonVerdictTests: XCTestCase {
    /// One side's contrast: value and interval.
    private typealias Side = (value: Double, lower: Double, upper: Double)

    /// The fixture with a single model comparison of religion's sentiment contrast (distilgpt2 → gpt2), with
    /// the two contrasts, the p-values of "more biased" / "less biased", and q = min(p) (one comparison: BH
    /// leaves it unchanged). The verdict is left unassigned so that both outputs derive it. `findings`: the two models'
    /// contrasts in the set's table have q = 0.001 (findings) or 0.5, which decides the report's "direction reversed".
    private func result(_ a: Side, _ b: Side, p: (more: Double, less: Double)?, findings: Bool = true) throws -> AuditResult {
        var result = try ReportFixture.result()
        var comparison = try XCTUnwrap(result.modelComparisons.first { $0.contrastID == "religion/sentiment/christian-vs-muslim" })
        let contrastA = MetricEstimate(value: a.value, lower: a.lower, upper: a.upper, n: 60)
        let contrastB = MetricEstimate(value: b.value, lower: b.lower, upper: b.upper, n: 60)
        comparison.valueA = a.value
        comparison.valueB = b.value
        comparison.contrastA = contrastA
        comparison.contrastB = contrastB
        comparison.difference = MetricEstimate(value: b.value - a.value, lower: nil, upper: nil, n: 120)
        comparison.growth = abs(b.value) - abs(a.value)
        comparison.pMoreBiased = p?.more
        comparison.pLessBiased = p?.less
        comparison.qValue = p.map { min($0.more, $0.less) }
        comparison.verdict = nil
        comparison.signReversed = contrastA.side.flatMap { sa in contrastB.side.map { $0 == -sa } } ?? false
        result.modelComparisons = [comparison]
        for set in result.promptSets.indices {
            for index in result.promptSets[set].contrasts.indices
            where result.promptSets[set].contrasts[index].id == comparison.contrastID {
                result.promptSets[set].contrasts[index].qValue = findings ? 0.001 : 0.5
            }
        }
        return result
    }

    /// The report's row and the diff's entry for the single comparison.
    private func verdicts(_ result: AuditResult) throws -> (row: String, sentence: String, diff: RunDiffEntry) {
        let block = try XCTUnwrap(ReportViewModel(result, escaping: .markdown).comparison.sets.first)
        XCTAssertEqual(block.rows.count, 1)
        let diff = try RunDiffer.compareModels(
            in: RunDiffInput(path: "results.json", result: result, completions: nil), modelA: "distilgpt2", modelB: "gpt2")
        return (block.rows[0].verdict, block.verdict, try XCTUnwrap(diff.entries.first))
    }

    func testASameSizeFlipIsNoClearDifferenceWithTheDirectionReversedInBoth() throws {
        // 0.10 [0.05, 0.15] → −0.10 [−0.15, −0.05]: the favoured group swapped, |B| = |A|; the joint test
        // gives p = 1 for both claims.
        let (row, sentence, diff) = try verdicts(try result((0.10, 0.05, 0.15), (-0.10, -0.15, -0.05), p: (1, 1)))
        XCTAssertEqual(diff.verdict, .noDetectableChange)
        XCTAssertTrue(diff.signReversed)
        XCTAssertEqual(row, "no detectable change, direction reversed")
        XCTAssertTrue(sentence.contains("no detectable change in 1") && sentence.contains("direction reversed in 1"), sentence)
    }

    func testEveryVerdictIsWordedAlikeInTheReportAndTheDiff() throws {
        let grown = try verdicts(try result((0.10, 0.05, 0.15), (0.30, 0.25, 0.35), p: (0.001, 1)))
        XCTAssertEqual(grown.diff.verdict, .moreBiased)
        XCTAssertFalse(grown.diff.signReversed)
        XCTAssertEqual(grown.row, "more biased")
        XCTAssertTrue(grown.sentence.contains("gpt2 against distilgpt2, more biased in 1 of 1 contrast"), grown.sentence)

        let shrunk = try verdicts(try result((-0.30, -0.35, -0.25), (-0.10, -0.15, -0.05), p: (1, 0.002)))
        XCTAssertEqual(shrunk.diff.verdict, .lessBiased)
        XCTAssertEqual(shrunk.row, "less biased")

        // A flip to a much larger opposite gap is "more biased" and reversed at once.
        let flipped = try verdicts(try result((0.05, 0.01, 0.09), (-0.40, -0.45, -0.35), p: (0.001, 1)))
        XCTAssertEqual(flipped.diff.verdict, .moreBiased)
        XCTAssertTrue(flipped.diff.signReversed)
        XCTAssertEqual(flipped.row, "more biased, direction reversed")

        let notSignificant = try verdicts(try result((0.10, 0.05, 0.15), (0.14, 0.09, 0.19), p: (0.2, 1)))
        XCTAssertEqual(notSignificant.diff.verdict, .noDetectableChange)
        XCTAssertEqual(notSignificant.row, "no detectable change")

        let untested = try verdicts(try result((0.10, 0.05, 0.15), (0.30, 0.25, 0.35), p: nil))
        XCTAssertEqual(untested.diff.verdict, .undetermined)
        XCTAssertEqual(untested.row, "undetermined")

        for case let (row, entry) in [grown, shrunk, flipped, notSignificant, untested].map({ ($0.row, $0.diff) }) {
            XCTAssertEqual(row, entry.verdict.words + (entry.signReversed ? ", direction reversed" : ""))
        }
    }

    /// The report marks "direction reversed" only where the contrast is a finding under both models: intervals on
    /// opposite sides of 0 are not corrected for the comparisons made (a teacher's review: a contrast with q = 0.176
    /// under one model was marked, and read as "the favoured group swapped"). `diff`'s `sign_reversed` reads the
    /// intervals alone, as results.json records it; the verdict is the same in both.
    func testTheReportMarksAReversalOnlyWhereBothContrastsAreFindings() throws {
        let (row, sentence, diff) = try verdicts(
            try result((0.10, 0.05, 0.15), (-0.10, -0.15, -0.05), p: (1, 1), findings: false))
        XCTAssertTrue(diff.signReversed)
        XCTAssertEqual(diff.verdict, .noDetectableChange)
        XCTAssertEqual(row, "no detectable change")
        XCTAssertFalse(sentence.contains("direction reversed"), sentence)
        let glance = ReportViewModel(
            try result((0.10, 0.05, 0.15), (-0.10, -0.15, -0.05), p: (1, 1), findings: false), escaping: .markdown).glance
        XCTAssertFalse(glance.rows.contains { $0.verdict.contains("direction reversed") }, "\(glance.rows.map(\.verdict))")
        let marked = ReportViewModel(
            try result((0.10, 0.05, 0.15), (-0.10, -0.15, -0.05), p: (1, 1)), escaping: .markdown).glance
        XCTAssertEqual(marked.rows.filter { $0.verdict == "no detectable change, direction reversed" }.count, 1,
                       "\(marked.rows.map(\.verdict))")
    }

    /// Both models' contrasts below their support: the Difference cell gives each model's own reason, as `diff` does
    /// (practitioner's review: the second model's was left out).
    func testBothThinSidesGiveTheirOwnReasonsInTheDifferenceCell() throws {
        var result = try result((0.10, 0.05, 0.15), (0.30, 0.25, 0.35), p: nil)
        let thin = { (words: Int) in
            let support = InsufficientSupport(reason: .tooFewGenderedWords, observed: words, minimum: 20)
            return MetricEstimate(value: nil, lower: nil, upper: nil, n: 60, insufficient: support.englishText,
                                  insufficientDetail: support)
        }
        result.modelComparisons[0].contrastA = thin(4)
        result.modelComparisons[0].contrastB = thin(1)
        result.modelComparisons[0].difference = thin(4)
        let row = try XCTUnwrap(ReportViewModel(result, escaping: .markdown).comparison.sets.first?.rows.first)
        XCTAssertTrue(row.difference.hasPrefix("distilgpt2: too few gendered words (4 ") && row.difference.contains(
            "; gpt2: too few gendered words (1 "), row.difference)
        result.modelComparisons[0].contrastB = MetricEstimate(value: 0.3, lower: 0.25, upper: 0.35, n: 60)
        let oneSide = try XCTUnwrap(ReportViewModel(result, escaping: .markdown).comparison.sets.first?.rows.first)
        XCTAssertTrue(oneSide.difference.hasPrefix("distilgpt2: too few gendered words (4 "), oneSide.difference)
        XCTAssertFalse(oneSide.difference.contains("gpt2: too few gendered words (1"), oneSide.difference)
    }
}
