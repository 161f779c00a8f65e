import Foundation
@testable import Statistics
import TestSupport
import XCTest

/// Agreement of the t-based inference with SciPy / NumPy on committed goldens
/// (Tests/Fixtures/statistics/make_inference_goldens.py).
final class InferenceReferenceTests: XCTestCase {
    /// The t distribution is evaluated by a continued fraction to ~1e-15 relative.
    let distributionTolerance = 1e-10
    /// A tail probability relative to itself: the continued fraction keeps about 10 digits up to 1e7 df (fewer beyond, in
    /// tails below 1e-70; a code review measured 6e-9 at 1e10 df and t = 37), the large-df expansion about 12.
    let tailRelativeTolerance = 1e-9
    /// Estimates, standard errors and p-values are a few dozen floating-point operations from the data.
    let statisticTolerance = 1e-9
    /// The test inversion finds the quantile by bisection to 1e-10 relative; p moves by about density·Δq.
    let inversionTolerance = 1e-8

    struct Goldens: Decodable {
        struct T: Decodable { let x: Double; let df: Double; let cdf: Double; let sf2: Double }
        struct TQuantile: Decodable { let p: Double; let df: Double; let q: Double }
        struct Welch: Decodable {
            let a: [[Double]]; let b: [[Double]]; let t: Double; let p: Double; let df: Double; let difference: Double
        }
        struct Paired: Decodable { let a: [Double]; let b: [Double]; let t: Double; let p: Double; let df: Double }
        struct Crossed: Decodable {
            let y: [[[Double]]]; let mean: Double; let variance: Double; let ms_stream: Double; let ms_residual: Double
        }
        struct Mover: Decodable {
            let pA: Double; let pB: Double; let vA: Double; let vB: Double; let vD: Double
            let nA: Double; let nB: Double; let df: Double; let lower: Double; let upper: Double; let p: Double
        }
        struct Newcombe: Decodable {
            let xA: Double; let nA: Double; let xB: Double; let nB: Double; let lower: Double; let upper: Double
        }
        let t: [T]
        let t_ppf: [TQuantile]
        let welch: [Welch]
        let paired: [Paired]
        let crossed: [Crossed]
        let mover: [Mover]
        let newcombe: [Newcombe]
    }

    private func goldens() throws -> Goldens {
        try JSONDecoder().decode(Goldens.self, from: Fixtures.data("statistics/inference-goldens.json"))
    }

    func testStudentTMatchesScipy() throws {
        let goldens = try goldens()
        assertClose(
            goldens.t.map { Distributions.studentTCDF($0.x, df: $0.df) }, goldens.t.map(\.cdf),
            tolerance: distributionTolerance, "t.cdf")
        assertClose(
            goldens.t.map { Distributions.studentTTwoSidedP($0.x, df: $0.df) }, goldens.t.map(\.sf2),
            tolerance: distributionTolerance, "2·t.sf(|x|)")
        // Relative to the quantile's size (at df 0.5 the 1e-6 quantile is −1.03e11).
        assertClose(
            goldens.t_ppf.map { Distributions.studentTQuantile($0.p, df: $0.df) / max(1, abs($0.q)) },
            goldens.t_ppf.map { $0.q / max(1, abs($0.q)) }, tolerance: distributionTolerance, "t.ppf (relative beyond ±1)")
        // Tails relative to their size (1e-197 beside 1e-198 passes any absolute tolerance), large df included (a
        // hostile review: at 1e300 df, P(|T| ≥ 30) was 1).
        let relative = zip(goldens.t.map { Distributions.studentTTwoSidedP($0.x, df: $0.df) }, goldens.t.map(\.sf2))
            .map { abs($0 - $1) / $1 }
        XCTAssertLessThanOrEqual(relative.max() ?? .nan, tailRelativeTolerance, "largest relative difference of 2·t.sf")
        // Past |t| ≈ 1.3e154, where t² overflows (a code review: NaN). At df 1 (Cauchy) P(|T| ≥ t) = 1 − (2/π)·atan(t),
        // 2/(π·t) there (SciPy 1.17.1 gives 0).
        let cauchy = Distributions.studentTTwoSidedP(2e154, df: 1)
        XCTAssertEqual(cauchy / (2 / (Double.pi * 2e154)), 1, accuracy: tailRelativeTolerance, "P(|T| ≥ 2e154) at df 1: \(cauchy)")
        XCTAssertEqual(Distributions.studentTCDF(-1e200, df: 3), 0)
        XCTAssertEqual(Distributions.studentTCDF(1e200, df: 3), 1)
        XCTAssertTrue(Distributions.studentTQuantile(1.5, df: 3).isNaN)
        XCTAssertTrue(Distributions.studentTCDF(1, df: 0).isNaN)
    }

    /// A CI team's review: a one-sided p of 1.35e-21 was written as 0 (1 − CDF(t) cancels below about 1e-16). Each
    /// one-sided p is its small tail, as SciPy's `stats.t.sf`.
    func testOneSidedPValuesKeepTheirPrecisionInTheFarTail() {
        let test = TTest(value: 40, variance: 1, df: 10, settings: InferenceSettings(confidence: 0.95, power: 0.8, minimumWeight: 20, minimumEvents: 0))
        let reference = 1.1404288715428768e-12  // scipy.stats.t.sf(40, 10), SciPy 1.17.1
        XCTAssertEqual(test.pGreater / reference, 1, accuracy: tailRelativeTolerance, "P(T ≥ 40): \(test.pGreater)")
        XCTAssertEqual(test.pLess, 1 - reference, accuracy: 1e-15)
        let negative = TTest(value: -40, variance: 1, df: 10, settings: InferenceSettings(confidence: 0.95, power: 0.8, minimumWeight: 20, minimumEvents: 0))
        XCTAssertEqual(negative.pLess / reference, 1, accuracy: tailRelativeTolerance, "P(T ≤ −40): \(negative.pLess)")
        let far = TTest(value: 1e3, variance: 1, df: 10, settings: InferenceSettings(confidence: 0.95, power: 0.8, minimumWeight: 20, minimumEvents: 0))
        XCTAssertGreaterThan(far.pGreater, 0, "a far tail is small, not 0")
    }

    /// The power of the two-sided t test under a noncentral t, against SciPy 1.17
    /// (`stats.nct.sf(c, df, δ) + stats.nct.cdf(−c, df, δ)`, c = `stats.t.ppf(0.975, df)`), over 1–30 df and
    /// δ from 0 (the size, α) to 4.
    func testTTestPowerMatchesScipyNoncentralT() {
        let references: [(df: Int, critical: Double, delta: Double, power: Double)] = [
            (1, 12.706204736174705, 3.0, 0.1861320616065874),
            (5, 2.570581835636314, 1.0, 0.12996380475258215),
            (10, 2.2281388519649385, 2.5, 0.6165347649629818),
            (30, 2.042272456301238, 0.0, 0.049999999999999975),
            (30, 2.042272456301238, 4.0, 0.9718687021462219),
        ]
        let powers = references.map { Distributions.tTestPower(delta: $0.delta, critical: $0.critical, df: $0.df) }
        assertClose(powers, references.map(\.power), tolerance: 1e-5, "noncentral t power")
        XCTAssertTrue(Distributions.tTestPower(delta: 1, critical: 2, df: 0).isNaN)
    }

    /// One exact value per prompt (no sampling noise): the contrast is Welch's t-test on term means,
    /// with Welch–Satterthwaite df (term clusters only); with equal numbers of terms, Student's pooled t
    /// (the same t on 2(K − 1) df).
    func testOneValuePerPromptIsWelchOnTermMeans() throws {
        for (index, golden) in try goldens().welch.enumerated() {
            let result = try contrast(cells("a", golden.a), cells("b", golden.b), scale: .mean)
            let se = try XCTUnwrap(result.estimate.standardError)
            assertClose(
                [result.estimate.value, result.estimate.value / se, try XCTUnwrap(result.pValue),
                 try XCTUnwrap(result.estimate.degreesOfFreedom)],
                [golden.difference, golden.t, golden.p, golden.df], tolerance: statisticTolerance, "Welch case \(index)")
            XCTAssertEqual(result.estimate.method, .termClusters)
        }
    }

    /// One term per group and one template: the contrast is the paired t-test over the shared random
    /// streams (sample i of both groups drawn with the same random numbers), conditional on the terms.
    func testSingleTermGroupsArePairedOverStreams() throws {
        for (index, golden) in try goldens().paired.enumerated() {
            func group(_ unit: String, _ values: [Double]) -> GroupData {
                GroupData(cells: [Cell(stratum: "t", unit: unit, observations: values.map(Observation.init(score:)))])
            }
            let result = try contrast(group("a", golden.a), group("b", golden.b), scale: .mean)
            let se = try XCTUnwrap(result.estimate.standardError)
            assertClose(
                [result.estimate.value / se, try XCTUnwrap(result.pValue), try XCTUnwrap(result.estimate.degreesOfFreedom)],
                [golden.t, golden.p, golden.df], tolerance: statisticTolerance, "paired case \(index)")
            XCTAssertEqual(result.estimate.method, .conditionalOnTerms)
        }
    }

    /// A balanced terms × templates × samples group: its variance is the two-way ANOVA's
    /// (MS_term + MS_stream − MS_residual) / N, within-term noise counted once.
    func testCrossedVarianceIsTheTwoWayAnovaEstimator() throws {
        for (index, golden) in try goldens().crossed.enumerated() {
            XCTAssertGreaterThan(golden.ms_stream, golden.ms_residual, "case \(index): the stream component is positive")
            var groupCells: [Cell] = []
            for (k, term) in golden.y.enumerated() {
                for (t, samples) in term.enumerated() {
                    groupCells.append(Cell(stratum: "t\(t)", unit: "k\(k)", observations: samples.map(Observation.init(score:))))
                }
            }
            let estimate = try groupLevel(GroupData(cells: groupCells), scale: .mean)
            let se = try XCTUnwrap(estimate.standardError)
            assertClose([estimate.value, se * se], [golden.mean, golden.variance], tolerance: statisticTolerance,
                        "crossed case \(index)")
            XCTAssertEqual(estimate.method, .crossedClusters)
        }
    }

    /// The MOVER interval of a rate difference (Wilson limits with effective sizes p(1 − p)/V, the
    /// correlation (V_A + V_B − V_{A−B}) / 2√(V_A·V_B), a t quantile) and its test inversion agree with
    /// statsmodels' Wilson limits combined in NumPy and SciPy's root finder and t tail.
    func testMoverIntervalMatchesReference() throws {
        for (index, golden) in try goldens().mover.enumerated() {
            let difference = ProportionDifference(
                levelA: golden.pA, levelB: golden.pB, varianceA: golden.vA, varianceB: golden.vB,
                varianceOfDifference: golden.vD, trialsA: golden.nA, trialsB: golden.nB)
            let interval = difference.interval(quantile: Distributions.studentTQuantile(0.975, df: golden.df))
            assertClose([interval.lower, interval.upper], [golden.lower, golden.upper], tolerance: statisticTolerance,
                        "MOVER case \(index)")
            assertClose([difference.pValue(df: golden.df)], [golden.p], tolerance: inversionTolerance,
                        "MOVER p-value case \(index)")
        }
    }

    /// Without variances (nothing estimated: n = trials) and with the normal quantile, the construction is
    /// Newcombe's hybrid score interval (method 10), as statsmodels' `confint_proportions_2indep`.
    func testMoverWithoutVariancesIsNewcombe() throws {
        for (index, golden) in try goldens().newcombe.enumerated() {
            let difference = ProportionDifference(
                levelA: golden.xA / golden.nA, levelB: golden.xB / golden.nB, varianceA: 0, varianceB: 0,
                varianceOfDifference: 0, trialsA: golden.nA, trialsB: golden.nB)
            let interval = difference.interval(quantile: Distributions.normalQuantile(0.975))
            assertClose([interval.lower, interval.upper], [golden.lower, golden.upper], tolerance: statisticTolerance,
                        "Newcombe case \(index)")
        }
    }

    /// Terms × templates with one value per cell, as the goldens' nested lists.
    private func cells(_ prefix: String, _ values: [[Double]]) -> GroupData {
        var cells: [Cell] = []
        for (k, term) in values.enumerated() {
            for (t, value) in term.enumerated() {
                cells.append(Cell(stratum: "t\(t)", unit: "\(prefix)\(k)", observations: [Observation(score: value)]))
            }
        }
        return GroupData(cells: cells)
    }
}
