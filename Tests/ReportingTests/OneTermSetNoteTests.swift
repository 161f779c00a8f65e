import AuditResults
import XCTest

@testable import Reporting

/// A set whose every group is one term (the regard sets' "man", "woman") has intervals conditional on those words; the
/// report said, for every set, that the terms are a sample and the intervals hold "with other comparable terms" (a
/// teacher's review). The contrast note and Methods say what such intervals are about; other sets do not.
final class OneTermSetNoteTests: XCTestCase {
    func testASetOfSingleTermsSaysItsIntervalsAreAboutTheseWords() throws {
        var result = try ReportFixture.result()
        let phrases: [(ReportLanguage, ReportFormat, [String])] = [
            (.en, .md, ["Every group of this set is one term (", "): its intervals, p and findings are about these terms",
                        "every group is one term: there the intervals are conditional on those terms"]),
            // The test of means is the paired t over the streams (helper 314: the note spoke of "the term and stream
            // parts" there).
            (.en, .html, ["p: two-sided, over the random streams; for means a paired t test over the shared random streams "
                + "(df: the streams less one per template), for rates", "say nothing about other terms one could have chosen"]),
            (.es, .md, ["Cada grupo de este conjunto es un solo término (", "cada grupo es un solo término: allí los intervalos"]),
            (.es, .html, ["p: bilateral, sobre los flujos aleatorios; para las medias una prueba t pareada sobre los flujos "
                + "aleatorios compartidos (grados de libertad: los flujos menos uno por plantilla)",
                "allí los intervalos son condicionales a esos términos"]),
        ]
        for (language, format, expected) in phrases {
            let sampled = try ReportRenderer().render(result, format: format, language: language)
            for phrase in expected { XCTAssertFalse(sampled.contains(phrase), "\(language) \(format), multi-term: \(phrase)") }
        }
        for index in result.promptSets[0].groups.indices {
            result.promptSets[0].groups[index].terms = Array(result.promptSets[0].groups[index].terms.prefix(1))
        }
        let name = result.promptSets[0].name
        // The set's own terms, quoted (code review: "man", "woman" were quoted for every set).
        let terms = result.promptSets[0].groups.map { "“\($0.terms[0])”" }.joined(separator: ", ")
        for (language, format, expected) in phrases {
            let single = try ReportRenderer().render(result, format: format, language: language)
            for phrase in expected { XCTAssertTrue(single.contains(phrase), "\(language) \(format), one term each: \(phrase)") }
            XCTAssertTrue(single.contains(language == .en ? "In \(name) every group is one term" : "En \(name) cada grupo"),
                          "\(language) \(format): Methods name the set")
            XCTAssertTrue(single.contains("one term (\(terms))") || single.contains("un solo término (\(terms))"),
                          "\(language) \(format): \(terms)")
            XCTAssertFalse(single.contains("“man”, “woman”") && !terms.contains("“man”"), "\(language) \(format)")
        }
        // One fixed prompt per group is not "one term" (helper 318).
        var prompts = result
        for index in prompts.promptSets[0].groups.indices { prompts.promptSets[0].groups[index].fixedPrompts = true }
        for index in prompts.promptSets[0].groups.indices { prompts.promptSets[0].groups[index].promptCount = 1 }
        let fixed = try ReportRenderer().render(prompts, format: .md, language: .en)
        XCTAssertTrue(fixed.contains("Every group of this set is one fixed prompt ("), "fixed prompts")
        XCTAssertTrue(fixed.contains("are about these prompts, with the random streams as the replications"), "fixed prompts")
        // The df of the streams the set has (a teacher's review: "or one for fixed prompts" in a set of templates only).
        XCTAssertTrue(fixed.contains("paired t test over the shared random streams (df: the streams less one)"), "fixed prompts")
        // Analysed unpaired (`analyze --unpaired`): the note says so (helper 315: "paired" beside the header's "Analysed
        // unpaired").
        result.manifest.source = CompletionsSource(
            completionsFile: "c.jsonl", sha256: String(repeating: "0", count: 64), reanalysedRun: nil, pairedStreams: false,
            unpairedReason: "--unpaired", declaredParameters: true)
        for (language, says) in [(ReportLanguage.en, "for means a t test over each group’s random streams, unpaired as analysed"),
                                 (.es, "para las medias una prueba t sobre los flujos aleatorios de cada grupo, sin emparejar")] {
            let unpaired = try ReportRenderer().render(result, format: .md, language: language)
            XCTAssertTrue(unpaired.contains(says), "\(language): \(says)")
            XCTAssertFalse(unpaired.contains("paired t test over the shared") || unpaired.contains("t pareada"), "\(language)")
        }
    }
}
