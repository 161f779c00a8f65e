import Foundation
import Statistics

/// Where the width of a rate contrast's MOVER interval comes from, in one simulated design of two groups of several
/// terms (`statistics-validation --diagnose-rate-contrasts`): the estimated variances against the variances of the
/// estimates over the replications, the df and quantile, how often each floor, cap and boundary rule binds, and the
/// coverage and rejection rate of the same construction with parts replaced (`RateContrastDiagnosis.Variant`). The
/// draws are `simulateCell`'s (same seed, same order), so its "today" variant reproduces the row of the table.
public struct RateContrastDiagnosis: Sendable {
    /// One arm (under the null, or under the effect).
    public struct Arm: Sendable {
        /// Replications with pieces (two multi-term groups with variation) of all.
        public var diagnosed: Int
        public var replications: Int
        /// Over the replications: Var(θ̂_A), Var(θ̂_B), Var(θ̂_A − θ̂_B) and the correlation of θ̂_A, θ̂_B.
        public var empiricalVarianceA: Double
        public var empiricalVarianceB: Double
        public var empiricalVarianceOfDifference: Double
        public var empiricalCorrelation: Double
        /// Mean of the estimates.
        public var meanVarianceA: Double
        public var meanVarianceB: Double
        public var meanVarianceOfDifference: Double
        public var meanUntruncatedVarianceOfDifference: Double
        public var meanTermParts: Double
        public var meanStreamPart: Double
        /// Quantiles (5, 25, 50, 75, 95%) of V̂_{A−B} / Var(θ̂_A − θ̂_B), of the df, and of the t quantile.
        public var varianceRatioQuantiles: [Double]
        public var dfQuantiles: [Double]
        public var quantileQuantiles: [Double]
        /// Shares of diagnosed replications in which a rule binds.
        public var streamTruncated: Double
        public var streamTruncatedOwn: Double
        public var dfFloor: Double
        public var boundaryRule: Double
        public var spreadFloor: Double
        /// The binomial design effect: mean V̂_{A−B} over Σ p̂(1 − p̂)/n, and the same for the empirical variance at
        /// the true levels.
        public var meanDesignEffect: Double
        public var empiricalDesignEffect: Double
        /// Quantiles of the estimated design effect of A − B over its true one, and the df a scaled χ² with the same
        /// mean and variance would have (2·mean²/variance), of V̂_{A−B} and of that design effect.
        public var designEffectRatioQuantiles: [Double]
        public var varianceMomentDF: Double
        public var designEffectMomentDF: Double
        /// Replications whose recomputed "today" interval differs from `contrast`'s (should be 0).
        public var mismatches: Int
        /// Per variant: (coverage, rejection rate) over the diagnosed replications.
        public var variants: [(name: String, coverage: Double, rejection: Double)]
    }

    public var null: Arm
    public var effect: Arm
}

/// The diagnosis of `design`'s rate contrast (two multi-term groups, % negative); see `RateContrastDiagnosis`.
public func diagnoseRateContrasts(
    _ design: Design, effect: Double, replications: Int, seed: UInt64, settings: InferenceSettings = .standard
) throws -> RateContrastDiagnosis {
    struct Record {
        var pieces: RateContrastPieces?
        var levelA: Double, levelB: Double
        var truthA: Double, truthB: Double
        var official: (lower: Double?, upper: Double?, p: Double?)
    }
    var random = Normal(seed: seed)
    var records: [[Record]] = [[], []]
    let groups = design.terms.count
    for _ in 0..<replications {
        for arm in 0..<2 {
            var shifts = Array(repeating: 0.0, count: groups)
            if arm == 1 { shifts[0] = effect }
            let draw = design.draw(shifts: [shifts], random: &random)
            let c = try contrast(
                draw.data[0][0], draw.data[0][1], scale: design.scale, settings: settings,
                borrowingFrom: Array(draw.data[0].dropFirst(2)))
            records[arm].append(Record(
                pieces: try rateContrastPieces(draw.data[0][0], draw.data[0][1]), levelA: c.levelA, levelB: c.levelB,
                truthA: draw.truth[0][0], truthB: draw.truth[0][1],
                official: (c.estimate.lower, c.estimate.upper, c.pValue)))
        }
    }
    let z = Distributions.normalQuantile(1 - settings.alpha / 2)
    func quantiles(_ values: [Double]) -> [Double] {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return [] }
        return [0.05, 0.25, 0.5, 0.75, 0.95].map { sorted[min(sorted.count - 1, Int($0 * Double(sorted.count)))] }
    }
    func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
    func variance(_ values: [Double]) -> Double {
        let m = mean(values)
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(values.count - 1, 1))
    }
    func momentDF(_ values: [Double]) -> Double { 2 * mean(values) * mean(values) / variance(values) }
    func analyse(_ records: [Record]) -> RateContrastDiagnosis.Arm {
        let a = records.map(\.levelA), b = records.map(\.levelB)
        let d = zip(a, b).map { $0 - $1 }
        let va = variance(a), vb = variance(b), vd = variance(d)
        let r = (va + vb - vd) / (2 * (va * vb).squareRoot())
        let truthA = records[0].truthA, truthB = records[0].truthB
        let diagnosed = records.filter { $0.pieces != nil }
        let pieces = diagnosed.map { $0.pieces! }
        // The oracle: each level's design effect and the correlation known (the replications' variances at the true
        // levels): Wilson's n_eff = θ(1 − θ)/Var(θ̂) whatever the estimate.
        let oracleTrialsA = truthA * (1 - truthA) / va, oracleTrialsB = truthB * (1 - truthB) / vb
        typealias Interval = (lower: Double, upper: Double, pValue: Double)
        func mover(_ p: RateContrastPieces, _ q: Double, _ df: Double, floor: Bool = true, untruncated: Bool = false,
                   boundary: Bool = true, shape: Double? = nil) -> Interval {
            let m = rateContrastMOVER(
                levelA: p.levelA, levelB: p.levelB,
                varianceA: untruncated ? p.untruncatedVarianceA : p.varianceA,
                varianceB: untruncated ? p.untruncatedVarianceB : p.varianceB,
                varianceOfDifference: untruncated ? p.untruncatedVarianceOfDifference : p.varianceOfDifference,
                trialsA: boundary ? p.adjustedTrialsA : p.trialsA, trialsB: boundary ? p.adjustedTrialsB : p.trialsB,
                quantile: q, df: df, spreadFloor: floor, shapeQuantile: shape)
            return (m.lower, m.upper, m.pValue)
        }
        // Satterthwaite's df with the binomial part Σ p̂(1 − p̂)/n of V̂_{A−B} taken as known (∞ df) and only the excess
        // on the contrast's df; ∞ where V̂ ≤ that part.
        func knownBinomialDF(_ p: RateContrastPieces) -> Double {
            let binomial = p.levelA * (1 - p.levelA) / p.trialsA + p.levelB * (1 - p.levelB) / p.trialsB
            let excess = p.varianceOfDifference - binomial
            return excess > 0 ? p.df * (p.varianceOfDifference / excess) * (p.varianceOfDifference / excess) : .infinity
        }
        // Agresti & Caffo (2000): one success and one failure added to each group's effective sample (n_eff =
        // p̂(1 − p̂)/V̂, the adjusted trials where p̂ is 0 or 1 or V̂ is 0), a symmetric interval on the adjusted rates with
        // their binomial variances at n_eff + 2, the levels' estimated correlation, and the contrast's t quantile.
        func agrestiCaffo(_ p: RateContrastPieces, _ df: Double) -> Interval {
            func adjusted(_ level: Double, _ v: Double, _ trials: Double) -> (p: Double, v: Double) {
                let n = level > 0 && level < 1 && v > 0 ? level * (1 - level) / v : trials
                let tilde = (level * n + 1) / (n + 2)
                return (tilde, tilde * (1 - tilde) / (n + 2))
            }
            let a = adjusted(p.levelA, p.varianceA, p.adjustedTrialsA), b = adjusted(p.levelB, p.varianceB, p.adjustedTrialsB)
            let vd = p.varianceOfDifference, va = p.varianceA, vb = p.varianceB
            let r = va > 0 && vb > 0 ? min(1, max(-1, (va + vb - vd) / (2 * (va * vb).squareRoot()))) : 0
            let v = max(a.v + b.v - 2 * r * (a.v * b.v).squareRoot(), 0)
            let d = a.p - b.p, se = v.squareRoot()
            return (d - t(df) * se, d + t(df) * se, se > 0 ? Distributions.studentTTwoSidedP(d / se, df: df) : (d == 0 ? 1 : 0))
        }
        // Miettinen & Nurminen (1985) / Farrington & Manning (1990): the score interval of pA − pB, each group's variance at
        // the maximum-likelihood levels restricted to the hypothesised difference, on Rao & Scott's (1992) effective sizes
        // n_eff = p̂(1 − p̂)/V̂ (the adjusted trials where p̂ is 0 or 1 or V̂ is 0), the levels' estimated correlation, and
        // the contrast's t quantile; the p-value is the same statistic at 0 (no N/(N − 1) factor).
        func score(_ p: RateContrastPieces, _ df: Double) -> Interval {
            func n(_ level: Double, _ v: Double, _ trials: Double) -> Double {
                level > 0 && level < 1 && v > 0 ? level * (1 - level) / v : trials
            }
            let n1 = n(p.levelA, p.varianceA, p.adjustedTrialsA), n2 = n(p.levelB, p.varianceB, p.adjustedTrialsB)
            let (p1, p2) = (p.levelA, p.levelB)
            let vd = p.varianceOfDifference, va = p.varianceA, vb = p.varianceB
            let r = va > 0 && vb > 0 ? min(1, max(-1, (va + vb - vd) / (2 * (va * vb).squareRoot()))) : 0
            func statistic(_ delta: Double) -> Double {
                let theta = n2 / n1, a = 1 + theta
                let b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2))
                let c = delta * delta + delta * (2 * p1 + theta + 1) + p1 + theta * p2
                let d = -p1 * delta * (1 + delta)
                let v = b * b * b / (27 * a * a * a) - b * c / (6 * a * a) + d / (2 * a)
                let u = (v < 0 ? -1.0 : 1.0) * max(b * b / (9 * a * a) - c / (3 * a), 0).squareRoot()
                let w = u != 0 ? (Double.pi + acos(max(-1, min(1, v / (u * u * u))))) / 3 : Double.pi / 2
                let q1 = min(1, max(0, 2 * u * cos(w) - b / (3 * a))), q2 = min(1, max(0, q1 - delta))
                let v1 = q1 * (1 - q1) / n1, v2 = q2 * (1 - q2) / n2
                let variance = v1 + v2 - 2 * r * (v1 * v2).squareRoot()
                let gap = p1 - p2 - delta
                guard variance > 0 else { return gap == 0 ? 0 : (gap > 0 ? .infinity : -.infinity) }
                return gap / variance.squareRoot()
            }
            let q = t(df), d = p1 - p2, edge = 1 - 1e-9
            func solve(_ from: Double, _ to: Double, _ target: Double) -> Double {
                // statistic(from) is beyond target (or the bound is the limit), statistic(to) is 0.
                var (outer, inner) = (from, to)
                if abs(statistic(outer)) < abs(target) { return outer }
                for _ in 0..<80 {
                    let middle = 0.5 * (outer + inner)
                    if abs(statistic(middle)) >= abs(target) { outer = middle } else { inner = middle }
                }
                return 0.5 * (outer + inner)
            }
            let lower = solve(-edge, d, q), upper = solve(edge, d, q)
            let z0 = statistic(0)
            return (lower, upper, z0.isFinite ? Distributions.studentTTwoSidedP(z0, df: df) : (d == 0 ? 1 : 0))
        }
        func oracle(_ p: RateContrastPieces, _ q: Double, _ df: Double) -> Interval {
            let varianceA = p.levelA * (1 - p.levelA) / oracleTrialsA
            let varianceB = p.levelB * (1 - p.levelB) / oracleTrialsB
            let m = rateContrastMOVER(
                levelA: p.levelA, levelB: p.levelB, varianceA: varianceA, varianceB: varianceB,
                varianceOfDifference: varianceA + varianceB - 2 * r * (varianceA * varianceB).squareRoot(),
                trialsA: oracleTrialsA, trialsB: oracleTrialsB, quantile: q, df: df)
            return (m.lower, m.upper, m.pValue)
        }
        func t(_ df: Double) -> Double { Distributions.studentTQuantile(1 - settings.alpha / 2, df: df) }
        func wald(_ p: RateContrastPieces, variance: Double, df: Double) -> Interval {
            let d = p.levelA - p.levelB, se = variance.squareRoot()
            return (d - t(df) * se, d + t(df) * se, Distributions.studentTTwoSidedP(d / se, df: df))
        }
        let variants: [(String, (RateContrastPieces) -> Interval)] = [
            ("today (t on the contrast's df)", { mover($0, t($0.df), $0.df) }),
            ("normal quantile instead of t", { mover($0, z, .infinity) }),
            ("oracle design effects and r, t on the df", { oracle($0, t($0.df), $0.df) }),
            ("oracle design effects and r, normal quantile", { oracle($0, z, .infinity) }),
            ("no stream truncation (V's untruncated)", { mover($0, t($0.df), $0.df, untruncated: true) }),
            ("no df floor (Satterthwaite's df)", { mover($0, t($0.satterthwaiteDF), $0.satterthwaiteDF) }),
            ("no spread floor", { mover($0, t($0.df), $0.df, floor: false) }),
            ("no boundary rule (trials as they are)", { mover($0, t($0.df), $0.df, boundary: false) }),
            ("candidate: Wilson shape at z, widths scaled by t/z", { mover($0, t($0.df), $0.df, shape: z) }),
            ("candidate: df with the binomial part known", { mover($0, t(knownBinomialDF($0)), knownBinomialDF($0)) }),
            ("candidate: Agresti–Caffo on n_eff, t on the df", { agrestiCaffo($0, $0.df) }),
            ("candidate: score (Miettinen–Nurminen) on n_eff, t on the df", { score($0, $0.df) }),
            ("no stream truncation, normal quantile", { mover($0, z, .infinity, untruncated: true) }),
            ("symmetric t interval on V̂_{A−B} (reference)", { wald($0, variance: $0.varianceOfDifference, df: $0.df) }),
            ("symmetric normal interval on the oracle Var (reference)", { wald($0, variance: vd, df: .infinity) }),
        ]
        let truth = truthA - truthB
        var results: [(name: String, coverage: Double, rejection: Double)] = []
        for (name, make) in variants {
            var covered = 0, rejected = 0
            for p in pieces {
                let i = make(p)
                if i.lower <= truth, truth <= i.upper { covered += 1 }
                if i.pValue < settings.alpha { rejected += 1 }
            }
            results.append((name, Double(covered) / Double(pieces.count), Double(rejected) / Double(pieces.count)))
        }
        var mismatches = 0, spreadFloor = 0
        for record in diagnosed {
            let p = record.pieces!
            let today = mover(p, t(p.df), p.df)
            let official = record.official
            if official.lower.map({ abs($0 - today.lower) > 1e-12 }) ?? true
                || official.upper.map({ abs($0 - today.upper) > 1e-12 }) ?? true
                || official.p.map({ abs($0 - today.pValue) > 1e-9 }) ?? true
            {
                mismatches += 1
            }
            if rateContrastMOVER(
                levelA: p.levelA, levelB: p.levelB, varianceA: p.varianceA, varianceB: p.varianceB,
                varianceOfDifference: p.varianceOfDifference, trialsA: p.adjustedTrialsA, trialsB: p.adjustedTrialsB,
                quantile: t(p.df), df: p.df
            ).floorBinds {
                spreadFloor += 1
            }
        }
        let n = Double(max(pieces.count, 1))
        func share(_ rule: (RateContrastPieces) -> Bool) -> Double { Double(pieces.filter(rule).count) / n }
        let binomial = pieces.map { $0.levelA * (1 - $0.levelA) / $0.trialsA + $0.levelB * (1 - $0.levelB) / $0.trialsB }
        let trials = pieces.first.map { ($0.trialsA, $0.trialsB) } ?? (.nan, .nan)
        return RateContrastDiagnosis.Arm(
            diagnosed: pieces.count, replications: records.count, empiricalVarianceA: va, empiricalVarianceB: vb,
            empiricalVarianceOfDifference: vd, empiricalCorrelation: r, meanVarianceA: mean(pieces.map(\.varianceA)),
            meanVarianceB: mean(pieces.map(\.varianceB)), meanVarianceOfDifference: mean(pieces.map(\.varianceOfDifference)),
            meanUntruncatedVarianceOfDifference: mean(pieces.map(\.untruncatedVarianceOfDifference)),
            meanTermParts: mean(pieces.map { $0.termPartA + $0.termPartB }), meanStreamPart: mean(pieces.map(\.streamPart)),
            varianceRatioQuantiles: quantiles(pieces.map { $0.varianceOfDifference / vd }),
            dfQuantiles: quantiles(pieces.map(\.df)), quantileQuantiles: quantiles(pieces.map { t($0.df) }),
            streamTruncated: share(\.streamTruncated), streamTruncatedOwn: share { $0.streamTruncatedA || $0.streamTruncatedB },
            dfFloor: share(\.dfFloorBinds), boundaryRule: share(\.boundaryRule), spreadFloor: Double(spreadFloor) / n,
            meanDesignEffect: mean(zip(pieces, binomial).map { $0.varianceOfDifference / $1 }),
            empiricalDesignEffect: vd / (truthA * (1 - truthA) / trials.0 + truthB * (1 - truthB) / trials.1),
            designEffectRatioQuantiles: quantiles(zip(pieces, binomial).map { $0.varianceOfDifference / $1 / vd
                * (truthA * (1 - truthA) / trials.0 + truthB * (1 - truthB) / trials.1) }),
            varianceMomentDF: momentDF(pieces.map(\.varianceOfDifference)),
            designEffectMomentDF: momentDF(zip(pieces, binomial).map { $0.varianceOfDifference / $1 }),
            mismatches: mismatches, variants: results)
    }
    return RateContrastDiagnosis(null: analyse(records[0]), effect: analyse(records[1]))
}
