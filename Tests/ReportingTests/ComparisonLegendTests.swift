import AuditResults
import Foundation
@testable import Reporting
import XCTest

/// What the model-comparison legend and the source notes say (review of a Spanish class report).
final class ComparisonLegendTests: XCTestCase {
    /// With three models every comparison block's legend read "gpt2 − distilgpt2", also the third model's: with more
    /// than one pair the legend states the rule; with one pair, its names.
    func testTheDirectionNamesThePairOrTheRule() throws {
        let result = try ReportFixture.result()
        let pair = ReportViewModel(result, escaping: .html).comparison.direction
        XCTAssertEqual(pair, "gpt2 \(ReportNumbers.minus) distilgpt2")
        var three = result
        three.modelComparisons += result.modelComparisons.map { comparison in
            var copy = comparison
            copy.modelB = "third"
            return copy
        }
        XCTAssertEqual(ReportViewModel(three, escaping: .html).comparison.direction, "second model − first model, as each table’s columns")
        XCTAssertEqual(
            ReportViewModel(three, escaping: .html, language: .es).comparison.direction,
            "segundo modelo − primer modelo, como en las columnas de cada tabla")
    }

    /// The legend explains "undetermined" and why a difference interval that excludes 0 can sit beside "no detectable
    /// change" (review: a student read it as a contradiction), in both languages.
    func testTheLegendExplainsUndeterminedAndTheSizeOfTheGap() throws {
        let result = try ReportFixture.result()
        let renderer = try ReportRenderer()
        for (language, phrases) in [
            (ReportLanguage.en, ["“undetermined” when nothing can be tested", "whether the size of the gap, |B| against |A|"]),
            (.es, ["“indeterminado” cuando no hay nada que probar", "si cambió el tamaño de la brecha, |B| frente a |A|"]),
        ] {
            for format in [ReportFormat.md, .html] {
                let text = try renderer.render(result, format: format, language: language)
                for phrase in phrases {
                    XCTAssertTrue(text.contains(phrase), "\(language) \(format): \(phrase)")
                }
            }
        }
    }

    /// A one-model analysis analysed unpaired said "no two groups or models share a stream" and "the model comparisons
    /// are unpaired too" (it has none).
    func testAnUnpairedNoteOfOneModelSaysNothingOfModels() {
        for words in [ReportSectionWords.english, .spanish] {
            let one = words.analysedUnpaired("--unpaired", false, false)
            let two = words.analysedUnpaired("--unpaired", false, true)
            XCTAssertFalse(one.contains("model") || one.contains("modelo"), one)
            XCTAssertTrue(two.contains("model"), two)
        }
    }
}
