import Foundation

/// The interval and test of a difference of two rates or shares θ_A − θ_B by the MOVER construction
/// (method of variance estimates recovery) from each level's Wilson score limits.
///
/// Estimand: the difference of the two groups' levels (Σx/Σw each), as in `contrast`.
///
/// Method. Zou & Donner (2008), "Construction of confidence limits about effect measures: a general
/// approach", Statistics in Medicine 27(10), eq. (5)–(6), with correlated estimates as in Newcombe
/// (1998b, method 10, "Improved confidence intervals for the difference between binomial proportions
/// based on paired data", Statistics in Medicine 17(22)):
///
///     L = d − √((θ_A − l_A)² + (u_B − θ_B)² − 2r·(θ_A − l_A)(u_B − θ_B))
///     U = d + √((u_A − θ_A)² + (θ_B − l_B)² − 2r·(u_A − θ_A)(θ_B − l_B))
///
/// with d = θ_A − θ_B, (l, u) each level's Wilson score limits with the design's effective sample
/// size n_eff = θ(1 − θ)/V (`wilsonInterval`; not capped at the number of trials as a level's is: the
/// limits must carry the same variances as r, and a cap made the test reject 0.4–1% instead of 5% at
/// a 5% base rate), each V from the group's own terms and streams (a rate's variance depends on its
/// level, so it is not pooled across groups), and r the estimated correlation of the two level
/// estimates, r = (V_A + V_B − V_{A−B}) / (2√(V_A·V_B)), from the same crossed term × stream variance
/// components (the groups share the random streams, so r > 0 when the shared noise is strong). With
/// r = 0 and n_eff the number of trials this is Newcombe's (1998a) hybrid score interval, method 10.
/// Wilson's limits are asymmetric where a rate is near 0 or 1, which the symmetric t interval of a
/// rare rate's difference is not (it undercovered on one side: 89% at a 5% base rate with ρ = 0.8).
///
/// With r > 0 each side's spread is at least √V_{A−B}·min(x/√V_A, y/√V_B) (x, y that side's two Wilson half-widths at
/// q): the t spread q·√V_{A−B} of the difference, scaled by the stronger of the two limits' asymmetries on that side
/// (a Wilson half-width over its t half-width q·√V). With r near 1 the MOVER spread is about |x − y|, the difference of
/// two half-widths, and where one group's limits lean one way and the other's the other way it fell far below what
/// the difference's own variance allows: a student's run (2 samples per prompt, 9 vs 9 names, 6/54 against 9/54
/// negative, V_A 0.00077, V_B 0.0069, V_{A−B} 0.0031, r = 1) had −5.6 pp [−24.6, −1.5] with p = 0.0003, a "finding"
/// whose SE was as large as the gap (a t test: p = 0.34); with the same variances and r = 0.95, p = 0.001, and 0.017
/// at r = 0.9. With the floor p is 0.20–0.24 there. Where the two levels' variances are alike the floor never binds
/// (the MOVER spread is at least it whatever r); it binds where one group's variance is much the smaller and its
/// limit leans the other way. Tried and not kept: √(x² + y²)·√(V_{A−B}/(V_A + V_B)) at every r > 0 made the validated
/// rare-rate contrasts conservative (5% with ρ 0.8 and 9 terms: null coverage 95.5% → 97.4%, power 42% → 32%), and
/// at an estimated r of 1 only left r = 0.95 at p = 0.001 (docs/statistics.md).
///
/// Both groups' limits use the same quantile q (the t quantile of the contrast's Satterthwaite df),
/// so the p-value is the test inversion of the same construction: the two-sided t tail probability at
/// the q where the interval's nearer end reaches 0. An interval excludes 0 exactly when p < α. Two groups without any
/// variation are the exception: each level's limits take its own quantile of one α
/// (``interval(alpha:levelDegreesOfFreedom:)``), and the p-value inverts on α (``pValue(levelDegreesOfFreedom:)``).
struct ProportionDifference {
    let levelA: Double
    let levelB: Double
    /// The design variances of the two levels (V_A, V_B) and of the difference (V_{A−B}).
    let varianceA: Double
    let varianceB: Double
    /// Trials behind each level (completions for a rate, Σw for a share): the cap of n_eff.
    let trialsA: Double
    let trialsB: Double
    /// r, clamped to [−1, 1]; 0 when a level has no variance.
    let correlation: Double
    /// Nil (the audit's): each Wilson limit at the interval's quantile q. A diagnostic of `statistics-validation` only: the
    /// limits at this quantile (the normal one), their distances from the estimate scaled by q / it.
    let shapeQuantile: Double?
    /// (√V_{A−B}, √V_A, √V_B) where r > 0, for the floor of each side's spread; nil otherwise.
    let standardErrors: (difference: Double, a: Double, b: Double)?

    init(
        levelA: Double, levelB: Double, varianceA: Double, varianceB: Double, varianceOfDifference: Double,
        trialsA: Double, trialsB: Double, spreadFloor: Bool = true, shapeQuantile: Double? = nil
    ) {
        self.shapeQuantile = shapeQuantile
        self.levelA = levelA
        self.levelB = levelB
        self.varianceA = varianceA
        self.varianceB = varianceB
        self.trialsA = trialsA
        self.trialsB = trialsB
        let product = varianceA * varianceB
        if product > 0, varianceOfDifference.isFinite {
            let r = (varianceA + varianceB - varianceOfDifference) / (2 * product.squareRoot())
            correlation = min(1, max(-1, r))
        } else {
            correlation = 0
        }
        // `spreadFloor` false: the plain MOVER spread (a diagnostic of `statistics-validation`, never the audit's).
        standardErrors = correlation > 0 && spreadFloor
            ? (max(0, varianceOfDifference).squareRoot(), varianceA.squareRoot(), varianceB.squareRoot()) : nil
    }

    /// The MOVER limits of θ_A − θ_B at quantile `q`, within [−1, 1], nested in q: with r > 0 the limits
    /// at a single q need not widen as q grows (with r near 1 the spread is about |x − y|, which can
    /// shrink when the two Wilson half-widths cross), so that an interval could exclude 0 at 95% and
    /// include it at 90%, and no p-value could agree with every level. The interval at q is the hull of
    /// the limits at q·i/16, i = 1…16 (with r ≤ 0 the spread grows with q and this is the limit at q).
    /// The grid moves with q, so the nesting holds up to its resolution: a reviewer's search found limits
    /// that moved the wrong way by at most 8e-5 (rate units) in 3,000 cases with r of 0.85–0.999.
    func interval(quantile q: Double) -> (lower: Double, upper: Double) {
        guard correlation > 0 else { return limits(quantile: q) }
        var hull = limits(quantile: q)
        for step in 1..<16 {
            let inner = limits(quantile: q * Double(step) / 16)
            hull = (min(hull.lower, inner.lower), max(hull.upper, inner.upper))
        }
        return hull
    }

    /// The MOVER limits of θ_A − θ_B at quantile `q` (both groups' Wilson limits at q), within [−1, 1].
    private func limits(quantile q: Double) -> (lower: Double, upper: Double) {
        limits(quantiles: (q, q))
    }

    /// The MOVER limits of θ_A − θ_B with A's Wilson limits at quantile `quantiles.a` and B's at `quantiles.b`,
    /// within [−1, 1].
    private func limits(quantiles: (a: Double, b: Double)) -> (lower: Double, upper: Double) {
        var a = wilsonInterval(
            p: levelA, variance: varianceA, trials: trialsA, quantile: shapeQuantile ?? quantiles.a, capAtTrials: false)
        var b = wilsonInterval(
            p: levelB, variance: varianceB, trials: trialsB, quantile: shapeQuantile ?? quantiles.b, capAtTrials: false)
        if let shape = shapeQuantile, shape > 0 {
            let (k, l) = (quantiles.a / shape, quantiles.b / shape)
            a = (levelA - k * (levelA - a.lower), levelA + k * (a.upper - levelA))
            b = (levelB - l * (levelB - b.lower), levelB + l * (b.upper - levelB))
        }
        let d = levelA - levelB
        func spread(_ x: Double, _ y: Double) -> Double {
            let mover = max(0, x * x + y * y - 2 * correlation * x * y).squareRoot()
            // Never below the difference's own variance with the limits' asymmetry (see the type's documentation).
            guard let se = standardErrors else { return mover }
            return max(mover, se.difference * min(x / se.a, y / se.b))
        }
        let lower = d - spread(levelA - a.lower, b.upper - levelB)
        let upper = d + spread(a.upper - levelA, levelB - b.lower)
        return (max(-1, lower), min(1, upper))
    }

    /// The limits of θ_A − θ_B at two-sided level `alpha` where each level's Wilson limits take the two-sided
    /// quantile of its own reference distribution: Student's t on `levelDegreesOfFreedom.a` (`.b`), the normal where that
    /// is not a finite positive number (`levelQuantile(alpha:degreesOfFreedom:)`). For two levels without any variation
    /// (r = 0, no spread floor): each is then the limit of its level in the group table, which takes t on the level's df
    /// at 0 or 1 (`levelQuantile(alpha:degreesOfFreedom:)`), and the interval is the MOVER combination of the printed
    /// limits. With one quantile for both, a contrast of 0 of 72 against 0 of 72 (4 terms each) had ±5.1 pp beside
    /// levels of [0%, 12.3%] (docs/statistics.md, "Rates and shares at the boundary"). Nested in `alpha`: each Wilson
    /// limit moves outwards as its quantile grows, and with r = 0 so does the MOVER spread.
    func interval(alpha: Double, levelDegreesOfFreedom df: (a: Double, b: Double)) -> (lower: Double, upper: Double) {
        limits(quantiles: (levelQuantile(alpha: alpha, degreesOfFreedom: df.a),
                           levelQuantile(alpha: alpha, degreesOfFreedom: df.b)))
    }

    /// The two-sided p-value of θ_A = θ_B by inverting ``interval(alpha:levelDegreesOfFreedom:)``: the largest α at which
    /// that interval reaches 0 (bisection on log α down to 1e-300, to a relative 1e-9). 1 when d = 0; 0 when no α
    /// down to 1e-300 brings it there. An interval at level 1 − α excludes 0 exactly when p < α.
    func pValue(levelDegreesOfFreedom df: (a: Double, b: Double)) -> Double {
        let d = levelA - levelB
        guard d != 0 else { return 1 }
        // Positive while the interval at α excludes 0.
        func margin(_ logAlpha: Double) -> Double {
            let limits = interval(alpha: exp(logAlpha), levelDegreesOfFreedom: df)
            return d > 0 ? limits.lower : -limits.upper
        }
        var (low, high) = (log(1e-300), 0.0)
        if margin(low) > 0 { return 0 }
        if margin(high) <= 0 { return 1 }
        // margin(low) ≤ 0 < margin(high): the interval reaches 0 at α = exp(low), not at exp(high).
        for _ in 0..<100 {
            let middle = 0.5 * (low + high)
            if margin(middle) > 0 { high = middle } else { low = middle }
            if high - low < 1e-9 { break }
        }
        return exp(low)
    }

    /// The two-sided p-value of θ_A = θ_B by inverting `interval`: P(|T_df| ≥ q*) where q* is the
    /// quantile at which the interval's end nearer to 0 reaches 0 (found by bisection to 1e-10).
    /// 1 when d = 0; 0 when no quantile brings the end to 0.
    func pValue(df: Double) -> Double {
        let d = levelA - levelB
        guard d != 0 else { return 1 }
        // The end on the side of 0 as a function of q: positive while 0 is excluded.
        func margin(_ q: Double) -> Double {
            let limits = interval(quantile: q)
            return d > 0 ? limits.lower : -limits.upper
        }
        var low = 0.0
        var high = 1.0
        while margin(high) > 0 {
            low = high
            high *= 2
            if high > 1e8 { return 0 }
        }
        for _ in 0..<100 {
            let middle = 0.5 * (low + high)
            if margin(middle) > 0 { low = middle } else { high = middle }
            if high - low < 1e-10 * high { break }
        }
        return Distributions.studentTTwoSidedP(high, df: df)
    }
}
