/// How the resamples of two models are related in `modelDifference`.
public enum Pairing: String, Sendable, Codable, CaseIterable {
    /// Same units and sample indices in both models (common random numbers): resampled jointly.
    case paired
    /// Runs that cannot be paired (different terms, sample counts or seeds): resampled independently.
    case unpaired
}

/// The difference between two models of one contrast, with its bootstrap interval.
public struct ModelDifference: Sendable, Equatable, Codable {
    /// contrast(first) − contrast(second), with its percentile interval. `n` counts the independent
    /// units once when paired and both runs' units when unpaired; `observations` and `weight` add
    /// up both models.
    public var difference: Estimate
    /// The first model's contrast A − B.
    public var first: Double
    /// The second model's contrast A − B.
    public var second: Double
    /// How the interval was computed.
    public var pairing: Pairing

    /// Creates a result.
    public init(difference: Estimate, first: Double, second: Double, pairing: Pairing) {
        self.difference = difference
        self.first = first
        self.second = second
        self.pairing = pairing
    }

    /// Equality that treats NaN contrasts as equal.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return lhs.difference == rhs.difference && same(lhs.first, rhs.first) && same(lhs.second, rhs.second)
            && lhs.pairing == rhs.pairing
    }

    private enum CodingKeys: String, CodingKey {
        case difference, first, second, pairing
    }

    /// Decodes a result; `null` contrasts decode as NaN.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        difference = try container.decode(Estimate.self, forKey: .difference)
        first = try container.decodeIfPresent(Double.self, forKey: .first) ?? .nan
        second = try container.decodeIfPresent(Double.self, forKey: .second) ?? .nan
        pairing = try container.decode(Pairing.self, forKey: .pairing)
    }

    /// Encodes a result; NaN contrasts are written as `null`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(difference, forKey: .difference)
        try container.encode(first.isFinite ? first : nil, forKey: .first)
        try container.encode(second.isFinite ? second : nil, forKey: .second)
        try container.encode(pairing, forKey: .pairing)
    }
}

/// The difference between two models (or two runs) of one contrast: contrast(first) − contrast(second),
/// each the stratified contrast A − B of `contrast`.
///
/// Question answered: "is the bias gap of model 1 larger than that of model 2, beyond noise?"
/// - `.paired`: both models were sampled on the same units with the same sample indices, and sample
///   i of a template used the same random numbers in both (common random numbers). Each resample
///   draws the units and the sample indices once and applies them to both models, so the noise
///   the models share cancels in the difference and the interval is much tighter than two
///   independent intervals would suggest. Requires identical units, templates and sample counts.
/// - `.unpaired`: each model's contrast is bootstrapped independently and the replicates subtracted;
///   for runs that differ in terms, sample counts or seeds.
/// The interval is nil when a group has fewer than two units or a contrast is undefined.
///
/// - Parameters:
///   - first: the first model's data of the contrast.
///   - second: the second model's data of the same contrast.
///   - pairing: paired (default) or unpaired resampling.
///   - resamples: bootstrap resamples (default 2000; 0 skips the interval).
///   - confidence: interval coverage (default 0.95).
///   - seed: the seed.
/// - Throws: `StatisticsError.unpairable` when `.paired` data do not line up, `.invalidObservation`,
///   `.invalidParameter`.
public func modelDifference(
    first: ContrastData, second: ContrastData, pairing: Pairing = .paired, resamples: Int = 2000,
    confidence: Double = 0.95, seed: UInt64
) throws -> ModelDifference {
    try BootstrapParameters.validate(resamples: resamples, confidence: confidence)
    var rng = Xoshiro256StarStar(seed: seed, stream: BootstrapParameters.modelDifferenceStream)
    switch pairing {
    case .paired:
        let strata = StratifiedContrast.sharedStrata(first.a, first.b)
        let secondStrata = StratifiedContrast.sharedStrata(second.a, second.b)
        guard strata == secondStrata else {
            throw StatisticsError.unpairable(
                reason: "the shared templates differ (\(strata) in the first, \(secondStrata) in the second)")
        }
        let groupsA = try pairedGroups(first.a, second.a, strata: strata, name: "A")
        let groupsB = try pairedGroups(first.b, second.b, strata: strata, name: "B")
        var engine = ContrastBootstrap(a: groupsA, b: groupsB)
        engine.loadObserved()
        let values = (engine.value(layer: 0).difference, engine.value(layer: 1).difference)
        var difference = Estimate(
            value: values.0 - values.1, lower: nil, upper: nil, n: engine.unitCount,
            observations: 2 * engine.observationCount,
            weight: (groupsA + groupsB).reduce(0) { $0 + $1.totalWeight })
        if difference.value.isFinite, engine.canResample, resamples > 0,
            let interval = engine.interval(
                resamples: resamples, confidence: confidence, rng: &rng,
                statistic: { $0.value(layer: 0).difference - $0.value(layer: 1).difference })
        {
            difference.lower = interval.lower
            difference.upper = interval.upper
        }
        return ModelDifference(difference: difference, first: values.0, second: values.1, pairing: .paired)
    case .unpaired:
        let prepared = try [first, second].map { data -> (a: PreparedGroup, b: PreparedGroup) in
            let strata = StratifiedContrast.sharedStrata(data.a, data.b)
            return (try PreparedGroup(data.a, strata: strata), try PreparedGroup(data.b, strata: strata))
        }
        var engines = prepared.map { ContrastBootstrap(a: [$0.a], b: [$0.b]) }
        engines[0].loadObserved()
        engines[1].loadObserved()
        let values = (engines[0].value().difference, engines[1].value().difference)
        var difference = Estimate(
            value: values.0 - values.1, lower: nil, upper: nil, n: engines[0].unitCount + engines[1].unitCount,
            observations: engines[0].observationCount + engines[1].observationCount,
            weight: prepared.reduce(0) { $0 + $1.a.totalWeight + $1.b.totalWeight })
        if difference.value.isFinite, engines[0].canResample, engines[1].canResample, resamples > 0 {
            var replicates = PercentileInterval(capacity: resamples)
            for _ in 0..<resamples {
                engines[0].resample(using: &rng)
                engines[1].resample(using: &rng)
                replicates.append(engines[0].value().difference - engines[1].value().difference)
            }
            if let interval = replicates.interval(confidence: confidence) {
                difference.lower = interval.lower
                difference.upper = interval.upper
            }
        }
        return ModelDifference(difference: difference, first: values.0, second: values.1, pairing: .unpaired)
    }
}

/// Prepares one group of both models and checks that they line up cell by cell.
private func pairedGroups(_ first: GroupData, _ second: GroupData, strata: [String], name: String) throws
    -> [PreparedGroup]
{
    let one = try PreparedGroup(first, strata: strata)
    let two = try PreparedGroup(second, strata: strata)
    guard one.layout.units == two.layout.units else {
        throw StatisticsError.unpairable(
            reason: "group \(name) has units \(one.layout.units) in the first model and \(two.layout.units) in the second")
    }
    for (left, right) in zip(one.layout.spans, two.layout.spans) where left != right {
        throw StatisticsError.unpairable(
            reason: "group \(name), template '\(strata[left.stratum])': cells hold \(left.count) samples "
                + "in the first model and \(right.count) (template '\(strata[right.stratum])') in the second")
    }
    guard one.layout == two.layout else {
        throw StatisticsError.unpairable(reason: "group \(name) has different cells in the two models")
    }
    return [one, two]
}
