import AuditResults
import XCTest

@testable import Reporting

/// Review 86: the counterfactual pairs said "template 2, sample 6" for sample_index 5 while the coverage notes give the
/// file's 0-based indices ("has 0–4"). A pair now names the completions' sample_index as it is in the file, and the
/// caption says how templates (from 1, in the set's list) and sample indices (from 0) are counted.
final class PairPlaceTests: XCTestCase {
    func testEveryPairNamesTheFilesSampleIndexInEnglishAndSpanish() throws {
        let result = try ReportFixture.result()
        for language in [ReportLanguage.en, .es] {
            let view = ReportViewModel(result, escaping: .markdown, language: language)
            for (set, setView) in zip(result.promptSets, view.sets) {
                let recorded = set.counterfactualPairs ?? []
                for pair in setView.pairs {
                    let expected = recorded.filter { $0.model == pair.model }.map { record -> String in
                        let template = record.template.flatMap { set.templates.firstIndex(of: $0) }.map { String($0 + 1) } ?? "—"
                        return language == .en ? "template \(template), sample index \(record.sampleIndex)"
                            : "plantilla \(template), índice de muestra \(record.sampleIndex)"
                    }
                    XCTAssertTrue(expected.contains(pair.place), "\(language) \(set.name): \(pair.place) not among \(expected)")
                }
            }
            let markdown = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertTrue(markdown.contains(language == .en
                ? "(template n: the nth of the templates above, counted from 1; sample index: the completions’ sample_index, from 0)"
                : "(plantilla n: la n-ésima de las plantillas de arriba, contando desde 1; índice de muestra: el sample_index de las continuaciones, desde 0)"),
                "\(language): the pairs' caption does not say how they are counted")
        }
        // The fixture's first religion pair under distilgpt2 has sample_index 4.
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("template 2, sample index 4,"), "no 'sample index 4'")
        XCTAssertFalse(english.contains("template 2, sample 5,"), "a 1-based sample number")
    }
}
