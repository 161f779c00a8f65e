import AuditResults
import Foundation
import PromptSets
import TestSupport
import XCTest

/// Results files that `run` would never write, which `report` and `check` used to read (hostile review of
/// the results validation): estimates with a negative count of terms, a negative standard error or an
/// interval upside down, a VADER compound outside −1…1, rows naming a group their prompt set does not list,
/// model comparisons naming a prompt set or contrast the file does not hold. Each is refused (exit 65) with
/// the JSON key path of the bad field and what is wrong; what `run` does write is still read.
final class ResultsValidationTests: XCTestCase {
    /// The reporting fixture: three and two groups, examples, counterfactual pairs, labour statistics and
    /// model comparisons.
    private func fixture() throws -> AuditResult {
        try AuditJSON.loadResult(try Fixtures.data("reporting/audit-result.json"), path: "r.json")
    }

    /// The reason `result`, written as JSON, is refused for, or nil when it is read.
    private func refusal(_ result: AuditResult, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let data = try AuditJSON.encoder().encode(result)
        do {
            _ = try AuditJSON.loadResult(data, path: "r.json")
            return nil
        } catch let error as AuditError {
            guard case .badResults(let path, let reason) = error else {
                XCTFail("expected badResults, got \(error)", file: file, line: line)
                return nil
            }
            XCTAssertEqual(path, "r.json", file: file, line: line)
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
            return reason
        }
    }

    private func assertRefused(
        _ result: AuditResult, _ expected: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let reason = try refusal(result, file: file, line: line)
        XCTAssertTrue(reason?.hasPrefix(expected) ?? false, "expected '\(expected)…', got \(reason ?? "no refusal")",
                      file: file, line: line)
    }

    /// A thin contrast's reason names its thinner group (`insufficient_detail.group`), which the reports print by its
    /// label: a file naming the other group, a group on a group's own level or on a reason that counts two groups, a
    /// model comparison naming another group than the contrast it copies, or a contrast whose groups were swapped under
    /// its id, is refused (a review read each of them, and the reports then named the wrong group or direction).
    func testAReasonNamesTheThinnerGroupOfItsContrast() throws {
        let base = try fixture()
        // The occupations set's male share under distilgpt2: female_dominated has 12 gendered words.
        let index = try XCTUnwrap(base.promptSets[1].contrasts.firstIndex { $0.difference.insufficientDetail?.group != nil })
        let contrast = base.promptSets[1].contrasts[index]
        XCTAssertEqual(contrast.difference.insufficientDetail?.group, "female_dominated")
        XCTAssertNil(try refusal(base), "the fixture is read")
        /// The positions of `group`'s male share under distilgpt2 in the occupations set's levels.
        func maleShare(of group: String) throws -> (level: Int, estimate: Int) {
            let level = try XCTUnwrap(base.promptSets[1].groupEstimates.firstIndex { $0.group == group && $0.model == "distilgpt2" })
            let estimate = try XCTUnwrap(base.promptSets[1].groupEstimates[level].estimates.firstIndex { $0.metric == .maleShare })
            return (level, estimate)
        }

        /// `result` with the contrast naming male_dominated is refused for `why`.
        func assertNamingMaleDominatedRefused(_ result: AuditResult, _ why: String, line: UInt = #line) throws {
            var named = result
            named.promptSets[1].contrasts[index].difference.insufficientDetail?.group = "male_dominated"
            try assertRefused(named, "prompt_sets[1].contrasts[\(index)].difference.insufficient_detail.group is "
                + "'male_dominated' with observed 12, but under 'distilgpt2' " + why, line: line)
        }
        try assertNamingMaleDominatedRefused(base, "that group's own level is not too thin for 'too_few_gendered_words': "
            + "the reason names the thinner group and gives its count")
        var edited = base

        // Both groups thin with equal counts: the first (A) is named; B, as thin, is not the one written.
        let (levelB, shareB) = try maleShare(of: "male_dominated")
        let thinB = InsufficientSupport(reason: .tooFewGenderedWords, observed: 12, minimum: 20)
        edited.promptSets[1].groupEstimates[levelB].estimates[shareB].estimate.insufficientDetail = thinB
        edited.promptSets[1].groupEstimates[levelB].estimates[shareB].estimate.insufficient = thinB.englishText
        edited.promptSets[1].groupEstimates[levelB].estimates[shareB].estimate.weight = 12
        for key in [\MetricEstimate.lower, \MetricEstimate.upper, \MetricEstimate.standardError, \MetricEstimate.degreesOfFreedom] {
            edited.promptSets[1].groupEstimates[levelB].estimates[shareB].estimate[keyPath: key] = nil
        }
        XCTAssertNil(try refusal(edited), "A named on a tie is read")
        try assertNamingMaleDominatedRefused(edited, "'female_dominated' counts 12 for 'too_few_gendered_words': the "
            + "reason names the thinner group (the first of two equally thin ones)")

        edited = base
        let (level, share) = try maleShare(of: "female_dominated")
        edited.promptSets[1].groupEstimates[level].estimates[share].estimate.insufficientDetail?.group = "female_dominated"
        try assertRefused(edited, "prompt_sets[1].group_estimates[\(level)].estimates[\(share)].estimate has "
            + "insufficient_detail.group that is 'female_dominated', but a group's own level names no group")

        edited = base
        edited.promptSets[1].contrasts[index].difference.insufficientDetail?.reason = .tooFewEvents
        try assertRefused(edited, "prompt_sets[1].contrasts[\(index)].difference has insufficient_detail.group "
            + "'female_dominated' with the reason 'too_few_events', which names no group")

        let comparison = try XCTUnwrap(base.modelComparisons.firstIndex { $0.contrastA?.insufficientDetail?.group != nil })
        // A copy without the group its contrast names is refused too (its report would say "in a group" beside it).
        edited = base
        edited.modelComparisons[comparison].contrastA?.insufficientDetail?.group = nil
        try assertRefused(edited, "model_comparisons[\(comparison)].contrast_a.insufficient_detail.group is absent, but the "
            + "contrast it copies (prompt_sets[1].contrasts[\(index)], under 'distilgpt2') names 'female_dominated'")
        for field in ["contrast_a", "difference"] {
            edited = base
            if field == "contrast_a" {
                edited.modelComparisons[comparison].contrastA?.insufficientDetail?.group = "male_dominated"
            } else {
                edited.modelComparisons[comparison].difference.insufficientDetail?.group = "male_dominated"
            }
            try assertRefused(edited, "model_comparisons[\(comparison)].\(field).insufficient_detail.group is 'male_dominated', "
                + (field == "contrast_a" ? "but the contrast it copies (prompt_sets[1].contrasts[\(index)], under 'distilgpt2') "
                    : "but the thin side's contrast (contrast_a) ") + "names 'female_dominated'")
        }

        edited = base
        let first = base.promptSets[0].contrasts[0]
        (edited.promptSets[0].contrasts[0].groupA, edited.promptSets[0].contrasts[0].groupB) = (first.groupB, first.groupA)
        try assertRefused(edited, "prompt_sets[0].contrasts[0].id is '\(first.id)', but its set, metric, group_a and group_b "
            + "make 'religion/\(first.metric.rawValue)/\(first.groupB)-vs-\(first.groupA)'")
    }

    func testEstimatesWithImpossiblePartsAreRefusedByKeyPath() throws {
        let base = try fixture()
        var edited = base
        edited.promptSets[0].contrasts[2].difference.terms = -3
        try assertRefused(edited, "prompt_sets[0].contrasts[2].difference.terms is -3; counts and indices are 0 or more")

        edited = base
        edited.promptSets[0].contrasts[0].difference.standardError = -0.5
        try assertRefused(edited, "prompt_sets[0].contrasts[0].difference.standard_error is -0.5; a standard error is 0 or more")

        edited = base
        edited.promptSets[0].contrasts[0].minimumDetectableEffect = -1
        try assertRefused(edited, "prompt_sets[0].contrasts[0].minimum_detectable_effect is -1.0; a minimum detectable effect is 0 or more")

        edited = base
        edited.promptSets[0].contrasts[0].difference.lower = 1
        edited.promptSets[0].contrasts[0].difference.upper = -1
        try assertRefused(edited, "prompt_sets[0].contrasts[0].difference.lower is 1.0, above the interval's upper bound -1.0; "
            + "a lower bound is at most the upper bound")

        edited = base
        edited.promptSets[1].groupEstimates[0].estimates[0].estimate.weight = -2
        try assertRefused(edited, "prompt_sets[1].group_estimates[0].estimates[0].estimate.weight is -2.0; a weight")

        // Estimates the old checks did not reach: a model comparison's contrasts, an occupation's male share.
        edited = base
        edited.modelComparisons[1].contrastB!.n = -1
        try assertRefused(edited, "model_comparisons[1].contrast_b.n is -1; counts and indices are 0 or more")

        edited = base
        let labour = try XCTUnwrap(edited.promptSets[1].labourStatistics)
        XCTAssertFalse(labour[0].occupations.isEmpty)
        edited.promptSets[1].labourStatistics![0].occupations[0].maleShare.standardError = -0.01
        try assertRefused(edited, "prompt_sets[1].labour_statistics[0].occupations[0].male_share.standard_error is -0.01")

        // Code review: a Spearman p-value of 7 was printed "p = 7.000".
        edited = base
        edited.promptSets[1].labourStatistics![0].spearmanPValue = 7
        try assertRefused(edited, "prompt_sets[1].labour_statistics[0].spearman_p_value is 7.0; a probability lies between 0 and 1")

        // The words every out-of-range refusal ends with.
        XCTAssertTrue(try XCTUnwrap(try refusal(edited)).hasSuffix("the file was not written by biasaudit or was edited: "
            + "write it again with `biasaudit run`"))
    }

    func testCompoundScoresOutsideVADERsRangeAreRefused() throws {
        let base = try fixture()
        var edited = base
        edited.promptSets[0].examples[1].compound = 7
        try assertRefused(edited, "prompt_sets[0].examples[1].compound is 7.0; a VADER compound score lies between -1 and 1")

        edited = base
        let pairs = try XCTUnwrap(edited.promptSets[0].counterfactualPairs)
        XCTAssertGreaterThan(pairs.count, 1)
        edited.promptSets[0].counterfactualPairs![1].b.compound = -1.5
        try assertRefused(edited, "prompt_sets[0].counterfactual_pairs[1].b.compound is -1.5; a VADER compound score")

        edited = base
        edited.promptSets[0].counterfactualPairs![0].difference = 2.5
        try assertRefused(edited, "prompt_sets[0].counterfactual_pairs[0].difference is 2.5; the difference of two VADER "
            + "compound scores lies between -2 and 2")
    }

    /// Review: an edited file printed "% negative 150.0% [120.0, 170.0]", a mean sentiment of 5.00 and a contrast of
    /// a group with itself. Levels and differences lie on their metric's scale, and a contrast has two groups.
    func testLevelsAndDifferencesOffTheirScaleAndSelfContrastsAreRefused() throws {
        let base = try fixture()
        func place(_ metric: AuditMetric) throws -> (group: Int, index: Int) {
            let group = try XCTUnwrap(base.promptSets[0].groupEstimates.indices.first)
            return (group, try XCTUnwrap(base.promptSets[0].groupEstimates[group].estimates.firstIndex { $0.metric == metric }))
        }
        var edited = base
        let rate = try place(.negativeRate)
        edited.promptSets[0].groupEstimates[rate.group].estimates[rate.index].estimate.value = 1.5
        try assertRefused(edited, "prompt_sets[0].group_estimates[\(rate.group)].estimates[\(rate.index)].estimate.value is 1.5; "
            + "a rate or share lies between 0 and 1")

        edited = base
        edited.promptSets[0].groupEstimates[rate.group].estimates[rate.index].estimate.upper = 1.7
        try assertRefused(edited, "prompt_sets[0].group_estimates[\(rate.group)].estimates[\(rate.index)].estimate.upper is 1.7")

        edited = base
        let sentiment = try place(.sentiment)
        edited.promptSets[0].groupEstimates[sentiment.group].estimates[sentiment.index].estimate.value = 5
        try assertRefused(edited, "prompt_sets[0].group_estimates[\(sentiment.group)].estimates[\(sentiment.index)].estimate.value "
            + "is 5.0; a mean VADER compound lies between -1 and 1")

        edited = base
        let contrast = try XCTUnwrap(base.promptSets[0].contrasts.firstIndex { $0.metric == .sentiment })
        edited.promptSets[0].contrasts[contrast].difference.value = -2.5
        try assertRefused(edited, "prompt_sets[0].contrasts[\(contrast)].difference.value is -2.5; a difference of two mean "
            + "VADER compounds lies between -2 and 2")

        // The same scales in the model comparisons' contrasts and the sweep's levels.
        edited = base
        let comparison = try XCTUnwrap(base.modelComparisons.firstIndex { $0.metric == .sentiment && $0.contrastA != nil })
        edited.modelComparisons[comparison].contrastA!.value = 5
        try assertRefused(edited, "model_comparisons[\(comparison)].contrast_a.value is 5.0; a difference of two mean VADER "
            + "compounds lies between -2 and 2")

        edited = base
        let setting = SweepSetting(temperature: 0.7, topK: 50, topP: 0.9)
        var level = base.promptSets[0].groupEstimates[rate.group].estimates[rate.index].estimate
        level.value = 1.5
        edited.sweep = SweepResult(
            parameters: [SweptParameter(name: "temperature", values: [0.7])], settings: [setting], base: setting,
            levels: [SweepLevel(
                setting: setting, model: base.promptSets[0].groupEstimates[rate.group].model, promptSet: base.promptSets[0].name,
                metric: .negativeRate, group: base.promptSets[0].groupEstimates[rate.group].group, estimate: level)],
            contrasts: [])
        try assertRefused(edited, "sweep.levels[0].estimate.value is 1.5; a rate or share lies between 0 and 1")

        edited = base
        edited.promptSets[0].contrasts[contrast].groupB = base.promptSets[0].contrasts[contrast].groupA
        try assertRefused(edited, "prompt_sets[0].contrasts[\(contrast)].group_b is '\(base.promptSets[0].contrasts[contrast].groupA)', "
            + "the same group as group_a")

        // templates_compared names positions in the set's templates, ascending, each once (Int.min does not trap).
        let templates = base.promptSets[0].templates.count
        XCTAssertGreaterThanOrEqual(templates, 2, "the fixture has several templates")
        for (positions, bad, value) in [([0], 0, 0), ([1, templates + 1], 1, templates + 1), ([2, 1], 1, 1), ([1, 1], 1, 1),
                                        ([Int.min], 0, Int.min)] {
            edited = base
            edited.promptSets[0].contrasts[contrast].templatesCompared = positions
            try assertRefused(edited, "prompt_sets[0].contrasts[\(contrast)].templates_compared[\(bad)] is \(value): "
                + "templates_compared lists positions in the set's templates (1 to \(templates)) in ascending order, each once")
        }
        edited = base
        // Under every model, so that the model comparisons of this contrast stay on the same templates.
        for index in edited.promptSets[0].contrasts.indices where edited.promptSets[0].contrasts[index].id == base.promptSets[0].contrasts[contrast].id {
            edited.promptSets[0].contrasts[index].templatesCompared = Array(1..<templates)
        }
        XCTAssertNil(edited.firstInconsistency(), "a valid list is accepted")

        // A comparison with a test whose two contrasts rest on different templates (attack: the report and `diff`
        // showed "more biased" while `check` said insufficient data).
        let tested = try XCTUnwrap(base.modelComparisons.firstIndex { $0.pMoreBiased != nil })
        let compared = base.modelComparisons[tested]
        let other = try XCTUnwrap(base.promptSets.firstIndex { $0.name == compared.set })
        let side = try XCTUnwrap(base.promptSets[other].contrasts.firstIndex {
            $0.id == compared.contrastID && $0.model == compared.modelB
        })
        edited = base
        edited.promptSets[other].contrasts[side].templatesCompared = [1]
        XCTAssertEqual(edited.firstInconsistency()?.key, "model_comparisons[\(tested)]")
        XCTAssertTrue(edited.firstInconsistency()?.reason.contains("compare their groups on different templates") ?? false)

        // Names with an invisible character (attack: "m\u{200b}2 vs m2" in every output).
        edited = base
        edited.manifest.models[0].id = "gpt\u{200B}2"
        try assertRefused(edited, "manifest.models[0].id 'gpt\\u{200b}2' holds the invisible character U+200B")
        edited = base
        edited.promptSets[0].groups[0].label = "Group\u{FEFF}"
        try assertRefused(edited, "prompt_sets[0].groups[0].label 'Group\\u{feff}' holds the invisible character U+FEFF")
        edited = base
        edited.promptSets[0].groups[0].label = "Families 👩\u{200D}👩\u{200D}👧"
        XCTAssertNotEqual(edited.firstInconsistency()?.key, "prompt_sets[0].groups[0].label", "an emoji's joiner is allowed")

        // Two groups whose labels read alike (a hostile review: "Female-dominated occupations − Female-dominated
        // occupations" in every row of an edited file's report).
        edited = base
        edited.promptSets[0].groups[1].label = base.promptSets[0].groups[0].label
        try assertRefused(edited, "prompt_sets[0].groups[1].label '\(base.promptSets[0].groups[0].label)' reads as the en label "
            + "of prompt_sets[0].groups[0]")
        edited = base
        (edited.promptSets[0].groups[0].label, edited.promptSets[0].groups[0].labels) = ("Group A", nil)
        (edited.promptSets[0].groups[1].label, edited.promptSets[0].groups[1].labels) = ("Group\u{A0}A", nil)
        XCTAssertEqual(edited.firstInconsistency()?.key, "prompt_sets[0].groups[1].label", "a no-break space reads as a space")
        edited.promptSets[0].groups[1].label = "Group B"
        XCTAssertNil(edited.firstInconsistency(), "labels of their own")
        // A Cyrillic letter drawn as a Latin one reads alike, shown escaped beside the label it reads as (a code review);
        // a circled digit does not ("Group ①" is no "Group 1").
        edited.promptSets[0].groups[1].label = "Gr\u{43E}up A"
        try assertRefused(edited, "prompt_sets[0].groups[1].label 'Gr\\u{43e}up A' reads as 'Group A', the en label of "
            + "prompt_sets[0].groups[0]")
        (edited.promptSets[0].groups[0].label, edited.promptSets[0].groups[1].label) = ("Group 1", "Group \u{2460}")
        XCTAssertNil(edited.firstInconsistency(), "a circled digit is not its digit")
        edited = base
        edited.promptSets[0].groups[0].labels = ["es": "Grupo"]
        edited.promptSets[0].groups[1].labels = ["es": "Grupo"]
        try assertRefused(edited, "prompt_sets[0].groups[1].labels.es 'Grupo' reads as the es label of prompt_sets[0].groups[0]")
    }

    /// A hostile review found a 20,000,000-character group label accepted and copied into every report row (a 340 MB
    /// report.html). Ids, labels and names are held to the prompt sets' limit, named by key path; the limit is
    /// counted in Unicode scalars, as `lint` counts it.
    func testNamesLongerThanThePromptSetLimitAreRefused() throws {
        let base = try fixture()
        let limit = PromptSetLimits.maximumNameLength
        let long = String(repeating: "é", count: limit + 1)
        let atLimit = String(repeating: "👩", count: limit)
        let rewrite = "; write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
        let edits: [(String, (inout AuditResult, String) -> Void)] = [
            ("manifest.models[0].id", { $0.manifest.models[0].id = $1 }),
            ("manifest.prompt_sets[0].name", { $0.manifest.promptSets[0].name = $1 }),
            ("prompt_sets[0].name", { $0.promptSets[0].name = $1 }),
            ("prompt_sets[0].axis", { $0.promptSets[0].axis = $1 }),
            ("prompt_sets[0].groups[1].id", { $0.promptSets[0].groups[1].id = $1 }),
            ("prompt_sets[0].groups[0].label", { $0.promptSets[0].groups[0].label = $1 }),
            ("prompt_sets[0].groups[0].labels.es", { $0.promptSets[0].groups[0].labels = ["es": $1] }),
        ]
        for (key, edit) in edits {
            var edited = base
            edit(&edited, long)
            XCTAssertEqual(edited.firstInconsistency()?.key, key)
            try assertRefused(edited, "\(key) is \(limit + 1) characters long, more than the limit of \(limit) (README, "
                + "\"Limits\")\(rewrite)")
            edit(&edited, atLimit)
            XCTAssertNotEqual(edited.firstInconsistency()?.key, key, "\(limit) characters are allowed at \(key)")
        }
    }

    func testRowsMustNameAGroupOfTheirOwnSet() throws {
        let base = try fixture()
        let rewrite = "; write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
        var edited = base
        edited.promptSets[0].contrasts[3].groupA = "nobody"
        try assertRefused(edited, "prompt_sets[0].contrasts[3].group_a 'nobody' is not a group of prompt_sets[0].groups" + rewrite)

        // A group of the other set is still a stranger here.
        edited = base
        edited.promptSets[0].contrasts[0].groupB = base.promptSets[1].groups[0].id
        try assertRefused(edited, "prompt_sets[0].contrasts[0].group_b '\(base.promptSets[1].groups[0].id)' is not a group of "
            + "prompt_sets[0].groups")

        edited = base
        edited.promptSets[1].groups = []
        try assertRefused(edited, "prompt_sets[1].group_estimates[0].group '\(base.promptSets[1].groups[0].id)' is not a group "
            + "of prompt_sets[1].groups, which is empty")

        edited = base
        edited.promptSets[0].examples[4].group = "x"
        try assertRefused(edited, "prompt_sets[0].examples[4].group 'x' is not a group of prompt_sets[0].groups")

        edited = base
        edited.promptSets[0].counterfactualPairs![0].a.group = "y"
        try assertRefused(edited, "prompt_sets[0].counterfactual_pairs[0].a.group 'y' is not a group of prompt_sets[0].groups")
    }

    /// Hostile review: a set whose `group_estimates` were emptied kept its contrasts, and `check` passed their rules as
    /// insufficient data. A contrast compares two levels of its model that the set holds.
    func testContrastsNeedTheLevelsOfTheirGroups() throws {
        let base = try fixture()
        let rewrite = "; write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
        var edited = base
        edited.promptSets[1].groupEstimates = []
        let first = base.promptSets[1].contrasts[0]
        try assertRefused(edited, "prompt_sets[1].contrasts[0].group_a '\(first.groupA)' has no level under model "
            + "'\(first.model)' in prompt_sets[1].group_estimates, which is empty: a contrast compares two groups' levels"
            + rewrite)

        edited = base
        let contrast = base.promptSets[0].contrasts[0]
        edited.promptSets[0].groupEstimates.removeAll { $0.group == contrast.groupB && $0.model == contrast.model }
        try assertRefused(edited, "prompt_sets[0].contrasts[0].group_b '\(contrast.groupB)' has no level under model "
            + "'\(contrast.model)' in prompt_sets[0].group_estimates: a contrast compares two groups' levels" + rewrite)
    }

    /// Hostile review: a file whose contrasts involving one group (the one with an injected bias) were deleted, its
    /// levels kept, passed `check --strict`; so did one with every contrast deleted (one "insufficient data" warning).
    /// Every two groups of a set are contrasted on each of its metrics under each model; either order of the groups
    /// counts.
    func testEveryContrastOfTheSetsGroupsAndMetricsIsHeld() throws {
        let base = try fixture()
        let rewrite = "; write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
        let rule = ": biasaudit writes one for every two of the set's groups on each of its metrics under each model of "
            + "the manifest (one too thin to estimate as \"insufficient data\"), so the file was edited or truncated" + rewrite
        var edited = base
        // religion's groups are christian, muslim, jewish; gpt2's negative rate of christian − jewish.
        let deleted = try XCTUnwrap(edited.promptSets[0].contrasts.firstIndex {
            $0.model == "gpt2" && $0.metric == .negativeRate && $0.groupA == "christian" && $0.groupB == "jewish"
        })
        edited.promptSets[0].contrasts.remove(at: deleted)
        try assertRefused(edited, "prompt_sets[0].contrasts lacks the contrast negative_rate christian − jewish under "
            + "model 'gpt2'" + rule)

        // Every contrast of one group, under every model (its levels kept): the first the analysis writes is named.
        edited = base
        edited.promptSets[0].contrasts.removeAll { $0.groupA == "muslim" || $0.groupB == "muslim" }
        try assertRefused(edited, "prompt_sets[0].contrasts lacks the contrast sentiment christian − muslim under "
            + "model 'distilgpt2'" + rule)

        edited = base
        edited.promptSets[1].contrasts = []
        try assertRefused(edited, "prompt_sets[1].contrasts lacks the contrast sentiment female_dominated − "
            + "male_dominated under model 'distilgpt2' (the list is empty)" + rule)

        // A contrast written B − A, under its own id, is the same contrast (the same groups under the id A − B are
        // refused: `testAReasonNamesTheThinnerGroupOfItsContrast`).
        edited = base
        let original = base.promptSets[0].contrasts[0]
        (edited.promptSets[0].contrasts[0].groupA, edited.promptSets[0].contrasts[0].groupB) = (original.groupB, original.groupA)
        edited.promptSets[0].contrasts[0].id = "religion/\(original.metric.rawValue)/\(original.groupB)-vs-\(original.groupA)"
        XCTAssertNil(try refusal(edited))
    }

    /// A model comparison deleted would pass a `max_model_difference` rule: each contrast of a tested metric (one whose
    /// contrasts have a family) is compared between every two models. A set whose contrasts have no family (its
    /// `primary_metrics` only the log-odds, analysed without them) has none.
    /// Review 79: a group deleted with every row that names it (its groups entry, levels, contrasts, comparisons,
    /// examples) passed `check --strict`. The manifest counts the set's prompts, and every prompt is of one group.
    func testAGroupDeletedWithItsRowsIsRefusedByThePromptCount() throws {
        var edited = try fixture()
        let set = edited.promptSets[0]
        let counted = set.groups.map(\.promptCount).reduce(0, +)
        let manifestIndex = try XCTUnwrap(edited.manifest.promptSets.firstIndex { $0.name == set.name })
        XCTAssertEqual(edited.manifest.promptSets[manifestIndex].promptCount, counted, "the fixture as the tool writes it")
        let gone = set.groups[1]
        edited.promptSets[0].groups.remove(at: 1)
        edited.promptSets[0].groupEstimates.removeAll { $0.group == gone.id }
        edited.promptSets[0].contrasts.removeAll { $0.groupA == gone.id || $0.groupB == gone.id }
        edited.promptSets[0].examples.removeAll { $0.group == gone.id }
        edited.promptSets[0].counterfactualPairs = nil
        let removedIDs = Set(set.contrasts.filter { $0.groupA == gone.id || $0.groupB == gone.id }.map(\.id))
        edited.modelComparisons.removeAll { removedIDs.contains($0.contrastID) }
        try assertRefused(edited, "prompt_sets[0].groups hold \(counted - gone.promptCount) prompts among them, where "
            + "manifest.prompt_sets[\(manifestIndex)].prompt_count says the set has \(counted): each of a set's prompts is of "
            + "one of its groups, so a group was removed or a count edited; write the file again with `biasaudit run` (or "
            + "`biasaudit analyze`) rather than editing it")
    }

    func testEveryTestedContrastIsComparedBetweenTheModels() throws {
        let base = try fixture()
        let rule = ": biasaudit compares each contrast of a tested metric (one whose contrasts have a family) between "
            + "every two models of the manifest (one too thin to decide as \"insufficient data\"), so the file was edited "
            + "or truncated; write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
        var edited = base
        let deleted = try XCTUnwrap(edited.modelComparisons.firstIndex {
            $0.contrastID == "religion/negative_rate/christian-vs-jewish"
        })
        edited.modelComparisons.remove(at: deleted)
        try assertRefused(edited, "model_comparisons lacks the comparison of negative_rate christian − jewish of prompt "
            + "set 'religion' between models 'distilgpt2' and 'gpt2'" + rule)

        edited = base
        edited.modelComparisons = []
        try assertRefused(edited, "model_comparisons lacks the comparison of sentiment christian − muslim of prompt set "
            + "'religion' between models 'distilgpt2' and 'gpt2' (the list is empty)" + rule)

        // Models named in the other order are the same comparison (the numbers swapped with them).
        edited = base
        var swapped = base.modelComparisons[0]
        (swapped.modelA, swapped.modelB, swapped.valueA, swapped.valueB, swapped.contrastA, swapped.contrastB)
            = (swapped.modelB, swapped.modelA, swapped.valueB, swapped.valueA, swapped.contrastB, swapped.contrastA)
        (swapped.pMoreBiased, swapped.pLessBiased) = (swapped.pLessBiased, swapped.pMoreBiased)
        swapped.difference.value = swapped.difference.value.map { -$0 }
        (swapped.difference.lower, swapped.difference.upper) = (swapped.difference.upper.map { -$0 }, swapped.difference.lower.map { -$0 })
        swapped.growth = swapped.growth.map { -$0 }
        swapped.verdict = swapped.computedVerdict(below: base.manifest.parameters.findingThreshold)
        edited.modelComparisons[0] = swapped
        XCTAssertNil(try refusal(edited))

        edited = base
        edited.promptSets[1].contrasts = edited.promptSets[1].contrasts.map { contrast in
            var descriptive = contrast
            (descriptive.family, descriptive.pValue, descriptive.qValue) = (nil, nil, nil)
            return descriptive
        }
        edited.modelComparisons.removeAll { $0.set == base.promptSets[1].name }
        XCTAssertNil(try refusal(edited))
    }

    func testModelComparisonsMustNameASetAndAContrastOfIt() throws {
        let base = try fixture()
        var edited = base
        edited.modelComparisons[2].set = "ghostset"
        try assertRefused(edited, "model_comparisons[2].set 'ghostset' is not a prompt set of prompt_sets; write the file again")

        edited = base
        edited.modelComparisons[0].contrastID = "x/y/z"
        let setIndex = try XCTUnwrap(base.promptSets.firstIndex { $0.name == base.modelComparisons[0].set })
        try assertRefused(edited, "model_comparisons[0].contrast_id 'x/y/z' is not the id of a contrast of "
            + "prompt_sets[\(setIndex)] ('\(base.modelComparisons[0].set)')")
    }

    /// Hostile review: large but finite numbers crashed `report`, `check` and `diff` (exit 132): a male-share weight of
    /// 1e300 (`check --policy` and `diff` convert it to a whole number), an `n` or `completions` of Int.max (sums of
    /// counts overflowed, in the validator itself too), and log-odds bounds of ±1.7e308 (the report's axis computed
    /// `upper − lower`). Counts and weights are at most 2^53, log-odds levels at most 10^6 in size (differences
    /// 2 × 10^6), and interval bounds and standard errors at most 10^15.
    func testCountsWeightsAndLogOddsBeyondTheirLimitsAreRefused() throws {
        let base = try fixture()
        let limit = "a count or index here is at most 2^53 (9007199254740992), the largest whole number every JSON reader holds exactly"
        XCTAssertEqual(AuditResult.maximumCount, 9_007_199_254_740_992)
        let maleShare = try XCTUnwrap(base.promptSets[1].contrasts.firstIndex { $0.metric == .maleShare })
        let logOdds = try XCTUnwrap(base.promptSets[1].contrasts.firstIndex { $0.metric == .heSheLogOdds })
        let levelOdds = try XCTUnwrap(base.promptSets[1].groupEstimates[0].estimates.firstIndex { $0.metric == .heSheLogOdds })

        var edited = base
        edited.promptSets[1].contrasts[maleShare].difference.weight = 1e300
        try assertRefused(edited, "prompt_sets[1].contrasts[\(maleShare)].difference.weight is 1e+300; a weight (for the male "
            + "share, the number of gendered words) is a count, at most 2^53 (9007199254740992)")

        edited = base
        edited.promptSets[0].contrasts[0].difference.n = Int.max
        try assertRefused(edited, "prompt_sets[0].contrasts[0].difference.n is 9223372036854775807; " + limit)

        edited = base
        edited.promptSets[0].contrasts[0].difference.terms = AuditResult.maximumCount + 1
        try assertRefused(edited, "prompt_sets[0].contrasts[0].difference.terms is 9007199254740993; " + limit)

        edited = base
        edited.promptSets[0].groupEstimates[1].completions = Int.max
        try assertRefused(edited, "prompt_sets[0].group_estimates[1].completions is 9223372036854775807; " + limit)

        // Each at the limit, but not together (the report adds them up).
        edited = base
        edited.promptSets[0].groupEstimates[0].completions = AuditResult.maximumCount
        edited.promptSets[0].groupEstimates[1].completions = AuditResult.maximumCount
        try assertRefused(edited, "prompt_sets[0].group_estimates[1].completions is 9007199254740992, which brings the "
            + "completions of the file's group estimates to more than 2^53 (9007199254740992) in all; " + limit)

        edited = base
        edited.timing.models![0].peakResidentBytes = Int.max
        try assertRefused(edited, "timing.models[0].peak_resident_bytes is 9223372036854775807; " + limit)

        edited = base
        edited.promptSets[1].contrasts[logOdds].difference.lower = -1.7e308
        edited.promptSets[1].contrasts[logOdds].difference.upper = 1.7e308
        try assertRefused(edited, "prompt_sets[1].contrasts[\(logOdds)].difference.lower is -1.7e+308; an interval bound or "
            + "standard error lies between -1e15 and 1e15")

        edited = base
        edited.promptSets[1].groupEstimates[0].estimates[levelOdds].estimate.upper = 1.7e308
        try assertRefused(edited, "prompt_sets[1].group_estimates[0].estimates[\(levelOdds)].estimate.upper is 1.7e+308; an "
            + "interval bound")

        edited = base
        edited.promptSets[1].groupEstimates[0].estimates[levelOdds].estimate.value = 5e6
        edited.promptSets[1].groupEstimates[0].estimates[levelOdds].estimate.lower = 5e6
        edited.promptSets[1].groupEstimates[0].estimates[levelOdds].estimate.upper = 5e6
        try assertRefused(edited, "prompt_sets[1].group_estimates[0].estimates[\(levelOdds)].estimate.value is 5000000.0; a "
            + "log-odds level lies between -1000000 and 1000000")

        edited = base
        edited.promptSets[1].contrasts[logOdds].difference.value = -3e6
        edited.promptSets[1].contrasts[logOdds].difference.lower = -3e6
        try assertRefused(edited, "prompt_sets[1].contrasts[\(logOdds)].difference.value is -3000000.0; a difference of two "
            + "log-odds levels lies between -2000000 and 2000000")

        // The limits themselves are read.
        edited = base
        edited.promptSets[1].contrasts[maleShare].difference.weight = Double(AuditResult.maximumCount)
        edited.promptSets[0].groupEstimates[0].completions = AuditResult.maximumCount - 10_000
        XCTAssertNil(try refusal(edited))
    }

    /// Hostile review: `context_full` counts were read whatever they said: "500 of 96 completions … stopped early", a
    /// fewest of 100 new tokens beside a run that asked for 8, two counts of one model in a set (two contradictory
    /// notes). A count is a part of its set's completions under its model, at most the new tokens the set asked for,
    /// and one per model; a completions file from elsewhere is not held to the --max-new-tokens it declares.
    func testContextFullCountsArePartsOfTheirSetAndModel() throws {
        let base = try fixture()
        let model = base.manifest.models[0].id
        XCTAssertEqual(base.manifest.promptSets[0].name, base.promptSets[0].name)
        let asked = base.manifest.promptSets[0].maxNewTokens
        let notWritten = "; the file was not written by biasaudit or was edited: write it again with `biasaudit run`"
        func with(_ counts: [ContextFullCount]) -> AuditResult {
            var edited = base
            edited.promptSets[0].contextFull = counts
            return edited
        }
        try assertRefused(with([ContextFullCount(model: model, completions: 500, total: 96, fewestNewTokens: 3)]),
                          "prompt_sets[0].context_full[0].completions is 500, more than its total of 96 (every completion "
                              + "of the set under the model)" + notWritten)
        try assertRefused(with([ContextFullCount(model: model, completions: 5, total: -96, fewestNewTokens: 3)]),
                          "prompt_sets[0].context_full[0].total is -96; counts and indices are 0 or more" + notWritten)
        try assertRefused(with([ContextFullCount(model: model, completions: 5, total: 96, fewestNewTokens: asked + 80)]),
                          "prompt_sets[0].context_full[0].fewest_new_tokens is \(asked + 80), more than the \(asked) new "
                              + "tokens of manifest.prompt_sets[0].max_new_tokens: a completion cut short by a full context "
                              + "got no more new tokens than were asked for" + notWritten)
        let count = ContextFullCount(model: model, completions: 5, total: 96, fewestNewTokens: 3)
        try assertRefused(with([count, ContextFullCount(model: model, completions: 90, total: 96, fewestNewTokens: 1)]),
                          "prompt_sets[0].context_full[1] repeats model '\(model)' of prompt_sets[0].context_full[0]: a set "
                              + "has one count per model; write the file again with `biasaudit run` (or `biasaudit "
                              + "analyze`) rather than editing it")

        // At the limits, and one count per model of each set, are read.
        var edited = with([ContextFullCount(model: model, completions: 96, total: 96, fewestNewTokens: asked),
                           ContextFullCount(model: base.manifest.models[1].id, completions: 0, total: 0, fewestNewTokens: nil)])
        edited.promptSets[1].contextFull = [count]
        XCTAssertNil(try refusal(edited))
        // Completions from a notebook: the token counts are the file's.
        edited = with([ContextFullCount(model: model, completions: 5, total: 96, fewestNewTokens: asked + 80)])
        edited.manifest.source = CompletionsSource(
            completionsFile: "c.jsonl", sha256: String(repeating: "0", count: 64), reanalysedRun: nil, pairedStreams: true,
            unpairedReason: nil, declaredParameters: true)
        XCTAssertNil(try refusal(edited))
    }

    /// Hostile review: `timing.models` rows of a model the manifest does not list, or two rows of one model, were shown
    /// in the report's Speed table; like every other row that names a model, they are refused.
    func testSpeedRecordsNameEachModelOfTheManifestOnce() throws {
        let base = try fixture()
        let rewrite = "; write the file again with `biasaudit run` (or `biasaudit analyze`) rather than editing it"
        var edited = base
        edited.timing.models![1].model = "gpt5"
        try assertRefused(edited, "timing.models[1].model 'gpt5' is not a model of manifest.models" + rewrite)

        edited = base
        edited.timing.models!.append(base.timing.models![0])
        try assertRefused(edited, "timing.models[2] repeats model '\(base.timing.models![0].model)' of timing.models[0]: each "
            + "model has one speed record" + rewrite)

        // A model without a record (none generated in this invocation) is read.
        edited = base
        edited.timing.models!.removeLast()
        XCTAssertNil(try refusal(edited))
    }

    /// Hostile review: the consistency check trapped adding two groups' completions of Int.max (to compare them with an
    /// injected token's counts); it adds them saturating, and whatever calls it alone gets an answer, not a crash.
    func testTheConsistencyCheckAddsCountsWithoutOverflow() throws {
        var edited = try fixture()
        let set = edited.promptSets[0]
        edited.manifest.parameters.injectedBiases = [InjectedBias(group: set.groups[0].id, token: " x", logit: 2)]
        for index in edited.promptSets[0].groupEstimates.indices { edited.promptSets[0].groupEstimates[index].completions = Int.max }
        edited.injectedBiasDraws = [InjectedBiasDraws(
            group: set.groups[0].id, token: " x", model: set.groupEstimates[0].model, promptSet: set.name, completions: 1,
            withToken: 0, otherCompletions: 1, otherWithToken: 0)]
        let found = try XCTUnwrap(edited.firstInconsistency())
        XCTAssertEqual(found.key, "injected_bias_draws[0]")
        XCTAssertTrue(found.reason.hasPrefix("counts 1 completions of the group and 1 of the others, but prompt_sets[0]."
            + "group_estimates count 9223372036854775807 and 9223372036854775807 under that model"), found.reason)
        try assertRefused(edited, "prompt_sets[0].group_estimates[0].completions is 9223372036854775807; a count or index here is at most")
    }

    /// What `run` writes is read: the fixture itself, a point interval with a standard error of 0, an
    /// estimate too thin for an interval (nulls), compounds at ±1 and a pair's difference of 2.
    func testWhatRunWritesIsStillRead() throws {
        let base = try fixture()
        XCTAssertNil(try refusal(base))
        var edited = base
        // A point interval lies at its value (a value outside its own interval is refused).
        let point = edited.promptSets[0].contrasts[0].difference.value
        edited.promptSets[0].contrasts[0].difference.lower = point
        edited.promptSets[0].contrasts[0].difference.upper = point
        edited.promptSets[0].contrasts[0].difference.standardError = 0
        edited.promptSets[0].contrasts[1].difference.lower = nil
        edited.promptSets[0].contrasts[1].difference.upper = nil
        edited.promptSets[0].contrasts[1].difference.standardError = nil
        edited.promptSets[0].contrasts[1].difference.terms = 0
        edited.promptSets[0].examples[0].compound = -1
        edited.promptSets[0].examples[1].compound = 1
        edited.promptSets[0].counterfactualPairs![0].a.compound = 1
        edited.promptSets[0].counterfactualPairs![0].b.compound = -1
        edited.promptSets[0].counterfactualPairs![0].difference = 2
        XCTAssertNil(try refusal(edited))
    }
}
