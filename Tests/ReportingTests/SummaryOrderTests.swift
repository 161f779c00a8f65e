@testable import Reporting
import XCTest

/// The summary's findings are listed as its headline says: largest effect size first.
final class SummaryOrderTests: XCTestCase {
    func testFindingsAreOrderedByEffectSizeThenDifferenceNotByQ() throws {
        var result = try ReportFixture.result()
        let indices = result.promptSets[0].contrasts.indices.filter { result.promptSets[0].contrasts[$0].difference.value != nil }
        XCTAssertGreaterThanOrEqual(indices.count, 3)
        for setIndex in result.promptSets.indices {
            for index in result.promptSets[setIndex].contrasts.indices { result.promptSets[setIndex].contrasts[index].qValue = 0.5 }
        }
        // (q, effect size, Δ): the smallest q has the smallest effect; two share an effect size and differ in |Δ|.
        let chosen: [(q: Double, effect: Double, delta: Double)] = [(0.001, 0.2, 0.05), (0.04, -0.9, 0.10), (0.02, 0.9, -0.12)]
        for (index, values) in zip(indices, chosen) {
            result.promptSets[0].contrasts[index].qValue = values.q
            result.promptSets[0].contrasts[index].effectSize = values.effect
            result.promptSets[0].contrasts[index].difference.value = values.delta
        }
        let view = ReportViewModel(result, escaping: .markdown)
        let builder = SummaryBuilder(context: ReportContext(result: result, escaping: .markdown))
        let set = result.promptSets[0]
        let expected = [indices[2], indices[1], indices[0]].map { builder.sentence(set.contrasts[$0], in: set) }
        XCTAssertEqual(view.summary.findings.map(\.sentence), expected)
        XCTAssertTrue(view.summary.headline.hasSuffix("Largest first, by effect size (a scale shared by all measures):"), view.summary.headline)
    }
}
