import AuditResults
import XCTest

@testable import Reporting

/// The note on sets sampled with fewer samples per prompt than the validated designs (6 to 16). A code review: with a
/// 1-sample set and a 3-sample set, both were said to have "1 sample per prompt" and "no interval", though the 3-sample
/// set's levels had theirs. Each set is named with its own samples, and "no interval" only where the levels have none.
final class FewSamplesNoteTests: XCTestCase {
    func testEachSetIsNamedWithItsOwnSamplesAndOnlyLevelsWithoutIntervalAreSaidSo() throws {
        var result = try ReportFixture.result()
        XCTAssertGreaterThanOrEqual(result.manifest.promptSets.count, 2)
        let (first, second) = (result.manifest.promptSets[0].name, result.manifest.promptSets[1].name)
        result.manifest.promptSets[0].samples = 3
        result.manifest.promptSets[1].samples = 1
        XCTAssertEqual(
            result.manifest.fewSamplesNote(run: "A"),
            "A: \(second) sampled 1 sample per prompt and \(first) 3 samples per prompt, fewer than the 6 to 16 the statistics "
                + "are validated with (docs/statistics-validation.md): intervals, of rates above all, can come out too "
                + "narrow; read findings as tentative, or sample more; with one sample per prompt (\(second)) the shared "
                + "random streams' variance cannot be estimated: group levels have no interval, nor have contrasts between "
                + "one-term groups, and the other contrasts are too narrow wherever the streams move groups unalike (sample "
                + "at least 2)")
        // Greedy decoding has no stream, and its samples are copies of one draw: no note (a teacher's review: "sample
        // more" stood under the greedy note's "more samples add nothing"), in the terminal and in the report.
        var greedy = result
        greedy.manifest.parameters.topK = 1
        XCTAssertNil(greedy.manifest.fewSamplesNote())
        // Nor of an unpaired analysis, whose one-sample levels keep their intervals (a statistician's review).
        var unpaired = result
        unpaired.manifest.source = CompletionsSource(
            completionsFile: "c.jsonl", sha256: String(repeating: "0", count: 64), reanalysedRun: nil, pairedStreams: false,
            unpairedReason: "--unpaired", declaredParameters: false)
        XCTAssertFalse(try XCTUnwrap(unpaired.manifest.fewSamplesNote()).contains("no interval"))
        XCTAssertFalse(try ReportRenderer().render(greedy, format: .md).contains("fewer than the 6 to 16"))

        let header = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(header.contains("\(second): 1 sample per prompt; \(first): 3 samples per prompt, fewer than the 6 to 16"),
                      String(header.prefix(3000)))
        XCTAssertFalse(header.contains("With one sample per prompt"), "no level of the file lacks its interval")
        // A level of the second set without its interval (`too_few_samples`): the header says so of that set alone.
        let index = try XCTUnwrap(result.promptSets.firstIndex { $0.name == second })
        var estimate = result.promptSets[index].groupEstimates[0].estimates[0].estimate
        (estimate.lower, estimate.upper, estimate.standardError, estimate.degreesOfFreedom) = (nil, nil, nil, nil)
        estimate.insufficientDetail = InsufficientSupport(reason: .tooFewSamples, observed: 1, minimum: 2)
        estimate.insufficient = estimate.insufficientDetail?.englishText(inThisGroup: true)
        result.promptSets[index].groupEstimates[0].estimates[0].estimate = estimate
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("With one sample per prompt (\(second)) it cannot be estimated at all"), String(english.prefix(3000)))
        XCTAssertTrue(english.contains("[no CI: 1 sample per prompt]"))
        let spanish = try ReportRenderer().render(result, format: .md, language: .es)
        XCTAssertTrue(spanish.contains("Con una sola muestra por prompt (\(second)) esa varianza no se puede estimar en absoluto: "
            + "los niveles de grupo no tienen intervalo"), String(spanish.prefix(3000)))
        XCTAssertTrue(spanish.contains("[sin IC: 1 muestra por prompt]"))
    }

    /// A teacher's review: a set none of whose contrasts has a test (one-term groups sampled once) showed "no test" and
    /// "[no CI]" with nothing under its contrast table, neither the legend nor the one-term note.
    func testAContrastTableWithoutATestSaysWhy() throws {
        var result = try ReportFixture.result()
        let index = 0
        for group in result.promptSets[index].groups.indices {
            result.promptSets[index].groups[group].terms = Array(result.promptSets[index].groups[group].terms.prefix(1))
        }
        for contrast in result.promptSets[index].contrasts.indices {
            result.promptSets[index].contrasts[contrast].pValue = nil
            result.promptSets[index].contrasts[contrast].qValue = nil
        }
        let terms = result.promptSets[index].groups.map { "“\($0.terms[0])”" }.joined(separator: ", ")
        let english = try ReportRenderer().render(result, format: .md)
        XCTAssertTrue(english.contains("Every group of this set is one term (\(terms)): a contrast’s variance comes from the "
            + "random streams alone, so it needs two or more samples per prompt that differ (sampled, not greedy). No "
            + "contrast of this set has a test (each row says why): its differences are descriptive, never findings."),
            String(english.prefix(4000)))
        let spanish = try ReportRenderer().render(result, format: .md, language: .es)
        XCTAssertTrue(spanish.contains("Cada grupo de este conjunto es un solo término (\(terms)): la varianza de un contraste "
            + "viene solo de los flujos aleatorios"), String(spanish.prefix(4000)))
        XCTAssertTrue(spanish.contains("Ningún contraste de este conjunto tiene prueba (cada fila dice por qué)"))
        // The other set keeps its family note, and has no such sentence.
        XCTAssertEqual(english.components(separatedBy: "No contrast of this set has a test").count, 2)
        // One fixed prompt per group is not "one term" (helper 318).
        var prompts = result
        for group in prompts.promptSets[index].groups.indices { prompts.promptSets[index].groups[group].fixedPrompts = true }
        for group in prompts.promptSets[index].groups.indices { prompts.promptSets[index].groups[group].promptCount = 1 }
        XCTAssertTrue(try ReportRenderer().render(prompts, format: .md).contains("Every group of this set is one fixed prompt ("))
        XCTAssertTrue(try ReportRenderer().render(prompts, format: .md, language: .es)
            .contains("Cada grupo de este conjunto es un solo prompt fijo ("))
    }
}
