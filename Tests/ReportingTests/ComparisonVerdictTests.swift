import AuditAnalysis
import AuditResults
import Reporting
import XCTest

/// The report's model-vs-model verdicts are those of `biasaudit diff` on the same two models.
final class ComparisonVerdictTests: XCTestCase {
    /// The fixture with a single model comparison of religion's sentiment contrast (distilgpt2 → gpt2).
    private func result(valueA: Double, change: Double, ci: (Double, Double)?) throws -> AuditResult {
        var result = try ReportFixture.result()
        var comparison = try XCTUnwrap(result.modelComparisons.first { $0.contrastID == "religion/sentiment/christian-vs-muslim" })
        comparison.valueA = valueA
        comparison.valueB = valueA + change
        comparison.difference = MetricEstimate(value: change, lower: ci?.0, upper: ci?.1, n: 0)
        result.modelComparisons = [comparison]
        return result
    }

    /// The report's row and sentence for the single comparison, and the diff's verdict for it.
    private func verdicts(_ result: AuditResult) throws -> (row: String, sentence: String, diff: DiffVerdict) {
        let block = try XCTUnwrap(ReportViewModel(result, escaping: .markdown).comparison.sets.first)
        XCTAssertEqual(block.rows.count, 1)
        let diff = try RunDiffer.compareModels(
            in: RunDiffInput(path: "results.json", result: result, completions: nil), modelA: "distilgpt2", modelB: "gpt2")
        return (block.rows[0].verdict, block.verdict, try XCTUnwrap(diff.entries.first).verdict)
    }

    func testAShrinkingGapWhoseIntervalAllowsASignFlipIsNoClearDifferenceInBoth() throws {
        // A = 0.3, B − A = −0.2 [−0.7, −0.05]: the interval excludes 0, but B − A = −0.3 would make B's gap 0 and
        // −0.7 would make it 0.4 > 0.3, so neither gap is clearly larger.
        let (row, sentence, diff) = try verdicts(try result(valueA: 0.3, change: -0.2, ci: (-0.7, -0.05)))
        XCTAssertEqual(diff, .noDetectableChange)
        XCTAssertEqual(row, "no clear difference")
        XCTAssertTrue(sentence.contains("neither model’s gap is clearly larger"), sentence)
    }

    func testClearVerdictsNameTheModelWithTheLargerGap() throws {
        let grown = try verdicts(try result(valueA: 0.1, change: 0.2, ci: (0.1, 0.3)))
        XCTAssertEqual(grown.diff, .moreBiased)
        XCTAssertEqual(grown.row, "gpt2 larger")
        XCTAssertTrue(grown.sentence.contains("gpt2’s gap is larger in 1 of 1 contrasts"), grown.sentence)

        let shrunk = try verdicts(try result(valueA: -0.3, change: 0.2, ci: (0.1, 0.25)))
        XCTAssertEqual(shrunk.diff, .lessBiased)
        XCTAssertEqual(shrunk.row, "distilgpt2 larger")

        let flipped = try verdicts(try result(valueA: 0.05, change: -0.4, ci: (-0.5, -0.3)))
        XCTAssertEqual(flipped.diff, .moreBiased)
        XCTAssertEqual(flipped.row, "gpt2 larger (opposite directions)")
        XCTAssertTrue(flipped.sentence.contains("(in 1 of them the gaps point in opposite directions)"), flipped.sentence)

        let noInterval = try verdicts(try result(valueA: 0.1, change: 0.2, ci: nil))
        XCTAssertEqual(noInterval.row, "no interval")
    }
}
