import Foundation
import Statistics
import XCTest

/// Copies of one completion (greedy decoding: every sample of a prompt is the same text) are one draw, not several
/// binomial trials (`GroupData.holdCopies`). A practitioner's review: two single-term groups under `--top-k 1` had a
/// rate contrast of −0.5 with p = 3.5e-4 from 2 samples and 8e-13 from 8, while the mean sentiment of the same
/// completions had no test.
final class CopiesTests: XCTestCase {
    /// One group: `terms` terms × `templates` templates, each prompt's outcome repeated `copies` times; `events`
    /// says which (term, template) prompts are events.
    private func group(
        _ prefix: String, terms: Int, templates: Int, copies: Int, marked: Bool = true, events: (Int, Int) -> Bool
    ) -> GroupData {
        GroupData(cells: (0..<terms).flatMap { k in
            (0..<templates).map { t in
                let x: Double = events(k, t) ? 1 : 0
                return Cell(
                    stratum: "t\(t)", unit: "\(prefix)\(k)", observations: Array(repeating: Observation(x: x, w: 1), count: copies),
                    template: "t\(t)", copies: marked && copies >= 2)
            }
        })
    }

    func testSingleTermCopiesHaveNoIntervalAndNoTest() throws {
        for copies in [2, 8] {
            let a = group("a", terms: 1, templates: 10, copies: copies) { _, t in t < 2 }
            let b = group("b", terms: 1, templates: 10, copies: copies) { _, t in t < 7 }
            XCTAssertTrue(GroupData.holdCopies([a, b]))
            let gap = try contrast(a, b, scale: .proportion)
            XCTAssertEqual(gap.estimate.value, -0.5, accuracy: 1e-12)
            XCTAssertNil(gap.pValue, "\(copies) copies: no test without sampling noise or term variance")
            XCTAssertNil(gap.estimate.lower)
            XCTAssertNil(gap.minimumDetectableEffect)
            for level in try groupLevels([a, b], scale: .proportion) {
                XCTAssertNil(level.lower, "\(copies) copies: a level of copies has no binomial interval")
            }
        }
        // The same data taken as samples (not marked as copies) are the binomial trials the review found.
        let a = group("a", terms: 1, templates: 10, copies: 8, marked: false) { _, t in t < 2 }
        let b = group("b", terms: 1, templates: 10, copies: 8, marked: false) { _, t in t < 7 }
        XCTAssertLessThan(try XCTUnwrap(try contrast(a, b, scale: .proportion).pValue), 1e-6)
    }

    /// Several terms: the variance between terms remains; the number of copies changes nothing, and the interval and
    /// test are the t of the design's variance (a mean's).
    func testMultiTermCopiesUseTheDesignVarianceWhateverTheirNumber() throws {
        func pair(_ copies: Int) -> (GroupData, GroupData) {
            (group("a", terms: 6, templates: 3, copies: copies) { k, t in (k + t) % 3 == 0 },
             group("b", terms: 6, templates: 3, copies: copies) { k, t in (k * 2 + t) % 5 < 3 })
        }
        let (a2, b2) = pair(2), (a8, b8) = pair(8)
        let two = try contrast(a2, b2, scale: .proportion), eight = try contrast(a8, b8, scale: .proportion)
        let tolerance = 1e-9
        let p2 = try XCTUnwrap(two.pValue), p8 = try XCTUnwrap(eight.pValue)
        XCTAssertEqual(p2, p8, accuracy: tolerance, "copies are one draw: largest difference \(abs(p2 - p8))")
        XCTAssertEqual(try XCTUnwrap(two.estimate.standardError), try XCTUnwrap(eight.estimate.standardError), accuracy: tolerance)
        // A t test of the value with its SE and df.
        let se = try XCTUnwrap(two.estimate.standardError), df = try XCTUnwrap(two.estimate.degreesOfFreedom)
        let t = abs(two.estimate.value) / se
        let expected = 2 * (1 - Distributions.studentTCDF(t, df: df))
        XCTAssertEqual(p2, expected, accuracy: 1e-9, "p \(p2) vs the t test's \(expected)")
        let levels2 = try groupLevels([a2, b2], scale: .proportion), levels8 = try groupLevels([a8, b8], scale: .proportion)
        for (l2, l8) in zip(levels2, levels8) {
            let (lower2, lower8) = (try XCTUnwrap(l2.lower), try XCTUnwrap(l8.lower))
            XCTAssertEqual(lower2, lower8, accuracy: tolerance, "level lower bound: 2 copies \(lower2), 8 copies \(lower8)")
            XCTAssertGreaterThanOrEqual(lower2, 0)
        }
    }

    /// Minimum supports count draws, not copies (review: a male share from 2 words per prompt copied 10 times passed
    /// the 20-word minimum, and --min-events passed with more samples of the same greedy texts).
    func testMinimumSupportsCountDraws() throws {
        func shares(copies: Int, marked: Bool) -> GroupData {
            GroupData(cells: (0..<3).map { t in
                Cell(stratum: "t\(t)", unit: "nurse", observations: Array(repeating: Observation(x: 1, w: 2), count: copies),
                     template: "t\(t)", copies: marked)
            })
        }
        let copied = try groupLevels([shares(copies: 10, marked: true)], scale: .ratio)[0]
        XCTAssertNotNil(copied.insufficient, "3 draws of 2 gendered words: 6 words, below 20")
        XCTAssertEqual(copied.observations, 3, "one draw per prompt")
        XCTAssertNil(try groupLevels([shares(copies: 10, marked: false)], scale: .ratio)[0].insufficient, "30 samples: 60 words")

        var settings = InferenceSettings.standard
        settings.minimumEvents = 5
        for copies in [2, 8] {
            let a = group("a", terms: 2, templates: 2, copies: copies) { k, _ in k == 0 }
            let b = group("b", terms: 2, templates: 2, copies: copies) { _, _ in false }
            let gap = try contrast(a, b, scale: .proportion, settings: settings)
            XCTAssertNotNil(gap.estimate.insufficient, "\(copies) copies: 2 events in draws, below 5")
        }
    }

    /// The statistics record that they found copies (the report's note reads it), and two equal untestable mean
    /// contrasts of copies show no change even when their sums differ in the last bits (review: "undetermined"); a
    /// rate's, even of the same completions, is undetermined (`testEqualRateContrastsOfCopiesWithoutATestAreUndetermined`).
    func testCopiesAreRecordedAndEqualUntestableContrastsShowNoChange() throws {
        let a = group("a", terms: 1, templates: 10, copies: 4) { _, t in t < 2 }
        let b = group("b", terms: 1, templates: 10, copies: 4) { _, t in t < 7 }
        XCTAssertEqual(try contrast(a, b, scale: .proportion).estimate.method, .copies)
        XCTAssertEqual(try groupLevels([a, b], scale: .proportion)[0].method, .copies)
        let data = ContrastData(a: a, b: b)
        let compared = try modelDifference(first: data, second: data, pairing: .paired, scale: .proportion)
        XCTAssertEqual(compared.change.method, .copies, "model comparisons record it too (review)")
        XCTAssertNil(compared.pLarger, "equal untestable rate contrasts: undetermined")
        let means = try modelDifference(first: data, second: data, pairing: .paired, scale: .mean)
        XCTAssertEqual(means.pLarger, 1, "equal untestable mean contrasts: no change")
        let one = Estimate(value: -0.07913999999999996, lower: nil, upper: nil, n: 2, observations: 20, weight: 20)
        let two = Estimate(value: -0.0791399999999999, lower: nil, upper: nil, n: 2, observations: 20, weight: 20)
        let comparison = modelDifference(first: one, second: two)
        XCTAssertEqual(comparison.pLarger, 1)
        XCTAssertEqual(comparison.pSmaller, 1)
        XCTAssertEqual(comparison.change.value, 0, "a change within rounding is 0")
    }

    /// Copies of a rate at 0 lend nothing to the set's pooled per-term variance, and rate contrasts and changes of
    /// copies keep Satterthwaite's df (a statistician's review of a greedy run: Muslim at 0% of 24 prompts added 7 df
    /// of zero variance, its neighbours' level SE 0.058 on 21 df instead of 0.070 on 14, and Christian − Muslim took
    /// Student's pooled 14 df where every bit of its variance came from Christian's 8 terms). Since statistics revision
    /// 18 the per-term variance is pooled relative to each group's p(1 − p), as for sampled rates, and a level takes
    /// Wilson's interval on its draws (24 prompts) over the design effect. Expected values: the t on term means (each
    /// term's mean over its templates), as numpy's `var(ddof=1)` gives it.
    func testARateOfCopiesAtABoundLendsNothingAndItsContrastsKeepSatterthwaitesDF() throws {
        let christianEvents: (Int, Int) -> Bool = { k, t in k == 0 || (k, t) == (3, 1) }
        let jewishEvents: (Int, Int) -> Bool = { k, t in (k + t) % 4 == 0 }
        let christian = group("c", terms: 8, templates: 3, copies: 3, events: christianEvents)
        let muslim = group("m", terms: 8, templates: 3, copies: 3) { _, _ in false }
        let jewish = group("j", terms: 8, templates: 3, copies: 3, events: jewishEvents)
        func termMeans(_ events: (Int, Int) -> Bool) -> [Double] {
            (0..<8).map { k in Double((0..<3).filter { events(k, $0) }.count) / 3 }
        }
        func sampleVariance(_ x: [Double]) -> Double {
            let mean = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
        }
        func unit(_ x: [Double]) -> Double {
            let p = x.reduce(0, +) / Double(x.count)
            return p * (1 - p)
        }
        let c = termMeans(christianEvents)
        let j = termMeans(jewishEvents)
        let tolerance = 1e-12
        // Levels: the per-term variance relative to p(1 − p), pooled over Christian and Jewish only (7 + 7 df), taken
        // back at each group's p(1 − p) over 8 terms. With Muslim's 7 df of zeros the design effect would be 2/3 of it.
        let relative = (sampleVariance(c) / unit(c) + sampleVariance(j) / unit(j)) / 2
        let designEffect = relative / 8 * 24
        XCTAssertGreaterThan(designEffect, 1.5, "the case needs a design effect above 1 (else the binomial interval)")
        let levels = try groupLevels([christian, muslim, jewish], scale: .proportion)
        for (level, x, name) in [(levels[0], c, "Christian"), (levels[2], j, "Jewish")] {
            let se = try XCTUnwrap(level.standardError, name)
            let expected = (unit(x) * relative / 8).squareRoot()
            XCTAssertEqual(se, expected, accuracy: tolerance, "\(name): largest difference \(abs(se - expected))")
            XCTAssertEqual(level.degreesOfFreedom, 14, name)
            XCTAssertEqual(level.method, .copies, name)
        }
        // Muslim at 0: no standard error, and Wilson's upper limit at 0 on its 24 draws over the set's design effect
        // (here every group's is `designEffect`), with t on 14 df: q²/(n + q²).
        XCTAssertNil(levels[1].standardError)
        XCTAssertEqual(levels[1].lower, 0)
        let q = Distributions.studentTQuantile(0.975, df: 14)
        let upper = q * q / (24 / designEffect + q * q)
        XCTAssertEqual(try XCTUnwrap(levels[1].upper), upper, accuracy: tolerance)
        // Christian − Muslim: Muslim at 0 counts with its level's variance, the set's relative per-term variance at the
        // lenders' mean p(1 − p) over 8 terms (14 df), not its own 0 (code review: the contrast's SE was below either
        // level's); Christian with its own (7 df); Satterthwaite's df of the two parts.
        let gap = try contrast(christian, muslim, scale: .proportion, borrowingFrom: [jewish])
        let se = try XCTUnwrap(gap.estimate.standardError)
        let parts = (own: sampleVariance(c) / 8, borrowed: relative * (unit(c) + unit(j)) / 2 / 8)
        let expected = (parts.own + parts.borrowed).squareRoot()
        XCTAssertEqual(se, expected, accuracy: tolerance, "largest difference \(abs(se - expected))")
        let satterthwaite = pow(parts.own + parts.borrowed, 2) / (parts.own * parts.own / 7 + parts.borrowed * parts.borrowed / 14)
        XCTAssertEqual(try XCTUnwrap(gap.estimate.degreesOfFreedom), satterthwaite, accuracy: 1e-9)
        // A second model whose group A writes as Jewish did, on the same terms: Muslim's change is 0, so the change of
        // the contrast has Christian's term changes' 7 df (not Student's pooled 14).
        let second = group("c", terms: 8, templates: 3, copies: 3, events: jewishEvents)
        let change = try modelDifference(
            first: ContrastData(a: christian, b: muslim), second: ContrastData(a: second, b: muslim), pairing: .paired,
            scale: .proportion).change
        let termChanges = zip(j, c).map { $0 - $1 }
        let changeSE = try XCTUnwrap(change.standardError)
        XCTAssertEqual(changeSE, (sampleVariance(termChanges) / 8).squareRoot(), accuracy: tolerance, "largest difference \(abs(changeSE - (sampleVariance(termChanges) / 8).squareRoot()))")
        XCTAssertEqual(try XCTUnwrap(change.degreesOfFreedom), 7, accuracy: 1e-9)
    }

    /// Statistics revision 18: a rate's or share's contrast of copies with a single-term group has no interval and no
    /// test, and its model comparison is undetermined; the single term's level keeps its interval. Three statisticians'
    /// reviews found every borrowed variance tried narrower than the single term's own Wilson level: a single term at 2
    /// of 3 draws beside two 8-term groups had A − C = −58.3 pp with SE 0.164 on 7 df (p = 0.009) beside its level's
    /// SE of 0.272; one at 0 of 3, level [0%, 60.5%], +37.5 pp at q = 0.048.
    func testASingleTermsRateContrastOfCopiesHasNoTest() throws {
        let a = group("a", terms: 8, templates: 3, copies: 2) { k, t in [(0, 0), (3, 1)].contains { $0 == (k, t) } }
        let b = group("b", terms: 8, templates: 3, copies: 2) { k, t in [(1, 2), (5, 0), (6, 1)].contains { $0 == (k, t) } }
        let c = group("c", terms: 1, templates: 3, copies: 2) { _, t in t < 2 }
        let zero = group("d", terms: 1, templates: 3, copies: 2) { _, _ in false }
        for (single, name) in [(c, "2 of 3"), (zero, "0 of 3")] {
            let gap = try contrast(a, single, scale: .proportion, borrowingFrom: [b])
            XCTAssertEqual(gap.estimate.method, .copies, name)
            XCTAssertNil(gap.estimate.standardError, name)
            XCTAssertNil(gap.estimate.lower, name)
            XCTAssertNil(gap.pValue, name)
            XCTAssertEqual(gap.estimate.value, 2.0 / 24 - (single.cells.contains { $0.observations[0].x == 1 } ? 2.0 / 3 : 0),
                           accuracy: 1e-12, "\(name): the value stays")
            let levels = try groupLevels([a, b, single], scale: .proportion)
            XCTAssertNotNil(levels[2].upper, "\(name): the single term's level keeps its interval")
        }
        // Two models: the comparison of two such contrasts is undetermined.
        let second = group("c", terms: 1, templates: 3, copies: 2) { _, _ in true }
        let compared = try modelDifference(
            first: ContrastData(a: a, b: c), second: ContrastData(a: a, b: second), pairing: .paired, scale: .proportion,
            borrowingFrom: [(b, b)])
        XCTAssertNil(compared.pLarger)
        XCTAssertNil(compared.pSmaller)
        // Means (the sentiment of the same completions) keep their test, as validated ("Greedy decoding", 8 vs 1 terms).
        XCTAssertNotNil(try contrast(a, c, scale: .mean, borrowingFrom: [b]).pValue)
    }

    /// Every group of a set at 0% (copies): nothing lends a variation between terms, so a level at the bound has no
    /// interval, as its contrasts have none (a statistician's review of statistics revision 18's first version: 0.0%
    /// [0.0, 18.9] beside a contrast "no variance estimate").
    func testCopiesAtZeroEverywhereHaveNoIntervalAsTheirContrastHasNone() throws {
        let a = group("a", terms: 8, templates: 3, copies: 2) { _, _ in false }
        let b = group("b", terms: 8, templates: 3, copies: 2) { _, _ in false }
        for level in try groupLevels([a, b], scale: .proportion) {
            XCTAssertEqual(level.value, 0)
            XCTAssertNil(level.lower)
            XCTAssertNil(level.upper)
        }
        let gap = try contrast(a, b, scale: .proportion)
        XCTAssertNil(gap.estimate.lower)
        XCTAssertNil(gap.pValue)
    }

    /// Statistics revision 17 (a practitioner's review): under greedy decoding two religions whose completions all
    /// scored 0 printed levels of 0.00 [−0.42, 0.42] from the set's pooled per-term variance, and their mean contrast had
    /// no interval ("no variance estimate") while their % negative, both 0%, had one. A mean group without variation of
    /// its own counts in a contrast of copies with its level's variance, as a rate at 0 or 1 does; where one group
    /// varies, never less than its own.
    func testAMeanOfCopiesWithoutVariationCountsWithItsLevelsVariance() throws {
        let christian = group("c", terms: 3, templates: 2, copies: 3) { _, _ in false }
        let muslim = group("m", terms: 3, templates: 2, copies: 3) { _, _ in false }
        let jewish = group("j", terms: 3, templates: 2, copies: 3) { k, t in k + t < 2 }
        let levels = try groupLevels([christian, muslim, jewish], scale: .mean)
        let c = try XCTUnwrap(levels[0].standardError), m = try XCTUnwrap(levels[1].standardError)
        let dfC = try XCTUnwrap(levels[0].degreesOfFreedom), dfM = try XCTUnwrap(levels[1].degreesOfFreedom)
        XCTAssertGreaterThan(c, 0, "the level takes the set's pooled variance")
        let gap = try contrast(christian, muslim, scale: .mean, borrowingFrom: [jewish])
        let se = try XCTUnwrap(gap.estimate.standardError, "the contrast has its levels' variance")
        let expected = (c * c + m * m).squareRoot()
        XCTAssertEqual(se, expected, accuracy: 1e-12, "largest difference \(abs(se - expected))")
        let satterthwaite = pow(c * c + m * m, 2) / (pow(c, 4) / dfC + pow(m, 4) / dfM)
        XCTAssertEqual(try XCTUnwrap(gap.estimate.degreesOfFreedom), satterthwaite, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(gap.pValue), 1, accuracy: 1e-12, "0 against 0")
        let half = Distributions.studentTQuantile(0.975, df: satterthwaite) * expected
        XCTAssertEqual(try XCTUnwrap(gap.estimate.upper), half, accuracy: 1e-9)
        // Without the set's other group nothing varies: no variance estimate, as before.
        XCTAssertNil(try contrast(christian, muslim, scale: .mean).estimate.standardError)
        // One group varies: its own variance, plus the constant group's level's (the set's pooled over all three).
        let lent = try contrast(jewish, christian, scale: .mean, borrowingFrom: [muslim])
        let ownPart = try XCTUnwrap(try groupLevels([jewish], scale: .mean)[0].standardError)
        let lentPart = try XCTUnwrap(try groupLevels([jewish, christian, muslim], scale: .mean)[1].standardError)
        let sum = (ownPart * ownPart + lentPart * lentPart).squareRoot()
        let lentSE = try XCTUnwrap(lent.estimate.standardError)
        XCTAssertEqual(lentSE, sum, accuracy: 1e-12, "largest difference \(abs(lentSE - sum))")
        // With Satterthwaite's df of the two parts, each on its own df: the varying group's 2 (3 terms), the lent part's
        // the level's (a review: comparing half-widths kept the fit's df of 1 from the constant group's zero part).
        let ownDF = try XCTUnwrap(try groupLevels([jewish], scale: .mean)[0].degreesOfFreedom)
        let lentDF = try XCTUnwrap(try groupLevels([jewish, christian, muslim], scale: .mean)[1].degreesOfFreedom)
        let expectedDF = pow(sum * sum, 2) / (pow(ownPart, 4) / ownDF + pow(lentPart, 4) / lentDF)
        XCTAssertEqual(try XCTUnwrap(lent.estimate.degreesOfFreedom), expectedDF, accuracy: 1e-9)

        // A single term against the constant group: both count with their levels' variances (a review: no interval,
        // beside levels that had theirs).
        let single = group("s", terms: 1, templates: 2, copies: 3) { _, t in t == 0 }
        let set = [christian, single, jewish]
        let singleLevels = try groupLevels(set, scale: .mean)
        let c0 = try XCTUnwrap(singleLevels[0].standardError), s0 = try XCTUnwrap(singleLevels[1].standardError)
        let againstSingle = try contrast(christian, single, scale: .mean, borrowingFrom: [jewish])
        let singleSE = try XCTUnwrap(againstSingle.estimate.standardError, "the contrast has its levels' variance")
        let both = (c0 * c0 + s0 * s0).squareRoot()
        XCTAssertEqual(singleSE, both, accuracy: 1e-12, "largest difference \(abs(singleSE - both))")
        XCTAssertNotNil(againstSingle.pValue)
    }

    /// A teacher's review: two models' greedy rate contrasts of one term each, +10 pp (1 of 10 templates) under both,
    /// had no test but read "no detectable change" at q = 1, and passed a gate's significance rule. Equal counts over
    /// few prompts are chance: such a comparison is undetermined, from the completions and from the results alone.
    /// Equal means without a test (identical models' greedy completions) still show no change.
    func testEqualRateContrastsOfCopiesWithoutATestAreUndetermined() throws {
        let a1 = group("a", terms: 1, templates: 10, copies: 3) { _, t in t < 2 }
        let b1 = group("b", terms: 1, templates: 10, copies: 3) { _, t in t < 1 }
        let a2 = group("a", terms: 1, templates: 10, copies: 3) { _, t in t == 5 || t == 7 }
        let b2 = group("b", terms: 1, templates: 10, copies: 3) { _, t in t == 9 }
        let (first, second) = (ContrastData(a: a1, b: b1), ContrastData(a: a2, b: b2))
        for scale in [MetricScale.proportion, .mean] {
            let fromCompletions = try modelDifference(first: first, second: second, pairing: .paired, scale: scale)
            XCTAssertEqual(fromCompletions.change.value, 0, accuracy: 1e-12, "\(scale)")
            let one = try contrast(a1, b1, scale: scale).estimate, two = try contrast(a2, b2, scale: scale).estimate
            XCTAssertEqual(one.value, 0.1, accuracy: 1e-12, "\(scale)")
            XCTAssertNil(one.lower, "\(scale): a contrast of single-term copies has no interval")
            let fromResults = modelDifference(first: one, second: two, proportion: scale != .mean)
            if scale == .mean {
                XCTAssertEqual(fromCompletions.pLarger, 1, "equal means without a test show no change")
                XCTAssertEqual(fromResults.pLarger, 1)
            } else {
                XCTAssertNil(fromCompletions.pLarger, "equal rates without a test: undetermined")
                XCTAssertNil(fromCompletions.pSmaller)
                XCTAssertNil(fromResults.pLarger, "from the results alone too")
                XCTAssertNil(fromResults.pSmaller)
            }
        }
    }

    /// A statistician's review: in a model comparison of two single-term copies, a 4-term group at 0% under both greedy
    /// models still lent its zero per-term variance with its 3 df (the change's SE fell from 0.272 to 0.192 and its
    /// interval excluded 0). Since statistics revision 18 a rate's contrast of copies with a single-term group has no test
    /// (`testASingleTermsRateContrastOfCopiesHasNoTest`), so the comparison is undetermined whatever the donors lend.
    func testASingleTermRateComparisonOfCopiesIsUndeterminedWhateverTheDonors() throws {
        let a1 = group("a", terms: 1, templates: 10, copies: 3) { _, t in t < 3 }
        let b1 = group("b", terms: 1, templates: 10, copies: 3) { _, t in t < 5 }
        let a2 = group("a", terms: 1, templates: 10, copies: 3) { _, t in t < 7 }
        let b2 = group("b", terms: 1, templates: 10, copies: 3) { _, t in t < 4 }
        let lender = (first: group("d", terms: 4, templates: 10, copies: 3) { k, t in t < 1 + 2 * k },
                      second: group("d", terms: 4, templates: 10, copies: 3) { k, t in t < 6 - k })
        let zero = (first: group("z", terms: 4, templates: 10, copies: 3) { _, _ in false },
                    second: group("z", terms: 4, templates: 10, copies: 3) { _, _ in false })
        let (first, second) = (ContrastData(a: a1, b: b1), ContrastData(a: a2, b: b2))
        for donors in [[lender], [lender, zero]] {
            let compared = try modelDifference(
                first: first, second: second, pairing: .paired, scale: .proportion, borrowingFrom: donors)
            XCTAssertNil(compared.change.standardError, "\(donors.count) donors")
            XCTAssertNil(compared.pLarger, "\(donors.count) donors")
            XCTAssertNil(compared.pSmaller, "\(donors.count) donors")
        }
    }

    /// A cell of one observation says nothing about copies; a group whose replicated cells are not all copies holds
    /// samples.
    func testOnlyReplicatedCellsAllMarkedAreCopies() throws {
        let single = GroupData(cells: [Cell(stratum: "t0", unit: "a", observations: [Observation(x: 1, w: 1)], copies: false)])
        XCTAssertFalse(GroupData.holdCopies([single]))
        let copied = group("a", terms: 2, templates: 2, copies: 3) { _, _ in true }
        XCTAssertTrue(GroupData.holdCopies([copied, single]))
        var mixed = copied
        mixed.cells[0].copies = false
        XCTAssertFalse(GroupData.holdCopies([mixed]))
        // A statistician's review: one prompt with two equal texts among 35 sampled once made the file "greedy".
        let once = GroupData(cells: (0..<35).map {
            Cell(stratum: "t\($0 % 3)", unit: "u\($0)", observations: [Observation(x: 1, w: 1)], copies: false)
        })
        let onePair = GroupData(cells: [Cell(
            stratum: "t0", unit: "v", observations: [Observation(x: 1, w: 1), Observation(x: 1, w: 1)], copies: true)])
        XCTAssertFalse(GroupData.holdCopies([once, onePair]), "1 copied cell of 36")
        // A second review: the rule is the set's, for its levels and its contrasts alike (ga copied on its 4 cells,
        // gb and gc sampled once on 4 each: 4 of 12 cells, so samples; the pair ga, gb alone is 4 of 8).
        let ga = copied, gb = GroupData(cells: Array(once.cells.prefix(4))), gc = GroupData(cells: Array(once.cells.suffix(4)))
        let level = try groupLevels([ga, gb, gc], scale: .proportion)[0]
        let pair = try contrast(ga, gb, scale: .proportion, borrowingFrom: [gc])
        XCTAssertNotEqual(level.method, .copies)
        XCTAssertNotEqual(pair.estimate.method, .copies, "the contrast decides as the levels do")
        // Half the cells copies, the rest sampled once (a greedy run with missing samples): copies.
        XCTAssertTrue(GroupData.holdCopies([copied, GroupData(cells: Array(once.cells.prefix(4)))]), "4 of 8 cells")
    }
}
