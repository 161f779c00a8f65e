/// What a contrast of two rates is built from, for a diagnosis of its interval's width (`statistics-validation
/// --diagnose-rate-contrasts`); never used by the audit. Only for the plain design: two groups of several terms each, %
/// negative sampled (no copies, no single term, nothing borrowed from the set), as `contrast` computes it.
public struct RateContrastPieces: Sendable {
    /// The two levels and the trials behind them (completions).
    public var levelA: Double
    public var levelB: Double
    public var trialsA: Double
    public var trialsB: Double
    /// The trials the Wilson limits use: a level at 0 or 1 divided by the other's design effect (`boundaryTrials`).
    public var adjustedTrialsA: Double
    public var adjustedTrialsB: Double
    /// V_A, V_B (each group's own fit) and V_{A−B} as the MOVER interval uses them (after the rounding rule).
    public var varianceA: Double
    public var varianceB: Double
    public var varianceOfDifference: Double
    /// The same without truncating a stream component at 0 (term parts + stream sums − interaction), at least 0.
    public var untruncatedVarianceA: Double
    public var untruncatedVarianceB: Double
    public var untruncatedVarianceOfDifference: Double
    /// V_{A−B}'s parts: the two groups' term parts (K/(K−1)·Σ S_k²) and its stream part (truncated at 0).
    public var termPartA: Double
    public var termPartB: Double
    public var streamPart: Double
    /// Whether a stream component was truncated at 0 (V_{A−B}'s; A's and B's own fits).
    public var streamTruncated: Bool
    public var streamTruncatedA: Bool
    public var streamTruncatedB: Bool
    /// The df the interval uses (∞ without variation), Satterthwaite's over V_{A−B}'s parts before the floor at the
    /// smallest part's df, and whether that floor binds.
    public var df: Double
    public var satterthwaiteDF: Double
    public var dfFloorBinds: Bool
    /// The df of V_{A−B}'s parts (term parts, then the stream part if kept).
    public var partDF: [Double]
    /// Whether a level's trials were divided by the other's design effect, and whether V_{A−B} was rounding (0).
    public var boundaryRule: Bool
    public var negligible: Bool
}

/// The pieces of the contrast A − B of two rates (`RateContrastPieces`); nil outside the plain design (a group with
/// one term or without completions, no replication within a template) or without variation.
public func rateContrastPieces(_ a: GroupData, _ b: GroupData) throws -> RateContrastPieces? {
    let matched = ContrastData(a: a, b: b).matchedOnTemplates
    let (a, b) = (matched.a, matched.b)
    guard a.units.count > 1, b.units.count > 1 else { return nil }
    let fit = try CrossedClusterVariance(
        arms: [
            Arm(data: a, coefficient: 1, group: "a", streams: "run"),
            Arm(data: b, coefficient: -1, group: "b", streams: "run"),
        ], scale: .proportion)
    guard fit.value.isFinite, var variance = fit.variance, let fitDF = fit.degreesOfFreedom,
        let components = fit.components, components.groups.count == 2,
        let termA = components.groups[0].term, let termB = components.groups[1].term,
        let streams = components.streams
    else { return nil }
    let interaction = components.groups.reduce(0) { $0 + ($1.interaction ?? 0) }
    let streamPart = max(streams - interaction, 0)
    var parts = [(termA, Double(a.units.count - 1)), (termB, Double(b.units.count - 1))]
    if streamPart > 0 { parts.append((streamPart, components.streamDF)) }
    let total = termA + termB + streamPart
    let denominator = parts.reduce(0) { $0 + ($1.1 > 0 ? $1.0 * $1.0 / $1.1 : 0) }
    let satterthwaite = denominator > 0 ? total * total / denominator : .infinity
    let trials = fit.armObservations.map(Double.init)
    let binomial = zip(fit.levels, trials).reduce(0) { $0 + ($1.1 > 0 ? $1.0 * (1 - $1.0) / $1.1 : 0) }
    let negligible = variance <= negligibleVarianceShare * binomial
    if negligible { variance = 0 }
    guard variance > 0 else { return nil }
    func own(_ data: GroupData) throws -> (used: Double, untruncated: Double, truncated: Bool) {
        let fit = try CrossedClusterVariance(arms: [Arm(data: data, coefficient: 1, group: "group", streams: "run")])
        guard let components = fit.components, let term = components.groups.first?.term else { return (fit.variance ?? 0, 0, false) }
        let raw = components.streams.map { $0 - (components.groups[0].interaction ?? 0) } ?? 0
        return (fit.variance ?? 0, max(0, term + raw), raw < 0)
    }
    var ownA = try own(a), ownB = try own(b)
    if isNegligible(ownA.used, p: fit.levels[0], trials: trials[0]) { ownA.used = 0 }
    if isNegligible(ownB.used, p: fit.levels[1], trials: trials[1]) { ownB.used = 0 }
    let variances = [ownA.used, ownB.used]
    let setEffect = 1.0  // two groups alone: no other group lends a design effect
    let adjusted = boundaryTrials(levels: fit.levels, variances: variances, trials: trials, setEffect: setEffect)
    return RateContrastPieces(
        levelA: fit.levels[0], levelB: fit.levels[1], trialsA: trials[0], trialsB: trials[1],
        adjustedTrialsA: adjusted[0], adjustedTrialsB: adjusted[1], varianceA: ownA.used, varianceB: ownB.used,
        varianceOfDifference: variance, untruncatedVarianceA: ownA.untruncated, untruncatedVarianceB: ownB.untruncated,
        untruncatedVarianceOfDifference: max(0, termA + termB + streams - interaction), termPartA: termA, termPartB: termB,
        streamPart: streamPart, streamTruncated: streams - interaction < 0, streamTruncatedA: ownA.truncated,
        streamTruncatedB: ownB.truncated, df: fitDF, satterthwaiteDF: satterthwaite, dfFloorBinds: satterthwaite < fitDF,
        partDF: parts.map(\.1), boundaryRule: adjusted != trials, negligible: negligible)
}

/// The MOVER interval of θ_A − θ_B from Wilson limits at quantile `quantile` (`ProportionDifference`), and its p-value
/// by inversion on `df`; `spreadFloor` false drops the floor of each side's spread. For diagnoses only.
public func rateContrastMOVER(
    levelA: Double, levelB: Double, varianceA: Double, varianceB: Double, varianceOfDifference: Double,
    trialsA: Double, trialsB: Double, quantile: Double, df: Double, spreadFloor: Bool = true, shapeQuantile: Double? = nil
) -> (lower: Double, upper: Double, pValue: Double, floorBinds: Bool) {
    let difference = ProportionDifference(
        levelA: levelA, levelB: levelB, varianceA: varianceA, varianceB: varianceB, varianceOfDifference: varianceOfDifference,
        trialsA: trialsA, trialsB: trialsB, spreadFloor: spreadFloor, shapeQuantile: shapeQuantile)
    let interval = difference.interval(quantile: quantile)
    var floorBinds = false
    if spreadFloor {
        let plain = ProportionDifference(
            levelA: levelA, levelB: levelB, varianceA: varianceA, varianceB: varianceB,
            varianceOfDifference: varianceOfDifference, trialsA: trialsA, trialsB: trialsB, spreadFloor: false)
            .interval(quantile: quantile)
        floorBinds = plain.lower != interval.lower || plain.upper != interval.upper
    }
    return (interval.lower, interval.upper, difference.pValue(df: df), floorBinds)
}
