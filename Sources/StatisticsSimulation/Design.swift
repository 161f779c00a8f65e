import Foundation
import Statistics

/// The data-generating model of the statistics validation (`statistics-validation`) and of the seeded
/// simulation tests: the shipped designs' structure (groups × terms ×
/// templates × samples), with term effects, term × template effects and the shared random streams
/// of common random numbers (sample i of template t uses the same stream for every term, group and
/// model).
public struct Design {
    /// Terms per group.
    public var terms: [Int]
    /// Templates (strata), shared by every group.
    public var templates: Int
    /// Samples per (term, template) cell.
    public var samples: Int
    /// SD of the term effects, relative to the completion noise SD 1 (term × template effects: half).
    public var termSD: Double
    /// ρ: the share of the completion noise carried by the shared stream of (template, sample index).
    public var streamCorrelation: Double
    /// What is observed.
    public var metric: Metric
    /// The share of completions missing at random (lines missing from a completions file), each independently: the
    /// others keep their sample indices (`Cell.sampleIndices`), and a prompt left without any is missing. 0 draws
    /// nothing more, so the designs without gaps keep their seeds.
    public var missing: Double
    /// Analyse as `analyze --unpaired` does (and as `analyze` did with any gap before statistics revision 9): each
    /// (template, group) its own streams, the cells matched on their template; the data keep their shared streams.
    public var analysedUnpaired: Bool
    /// Greedy decoding (`--top-k 1`): each prompt writes one text, its `samples` completions are copies of that one
    /// draw (`Cell.copies`), and there are no random streams (`streamCorrelation` and `missing` are not used). The draw's noise stays:
    /// what a prompt writes varies between prompts beyond its term and template effects, fixed once the prompt is.
    public var greedy: Bool
    /// A male share's (`Metric.ratio`) latent correlation between two gendered words of one completion beyond its term
    /// and template effects: the completion's own noise carries this share of each word's latent variance, the rest is
    /// each word's own (0.5 in the committed tables; 1: every gendered word of a text has one gender, "he … he"). The
    /// latent variance is the same for every value, so the true level is too.
    public var wordCorrelation: Double = 0.5

    /// Creates a design.
    public init(
        terms: [Int], templates: Int, samples: Int, termSD: Double, streamCorrelation: Double, metric: Metric,
        missing: Double = 0, analysedUnpaired: Bool = false, greedy: Bool = false
    ) {
        self.terms = terms
        self.templates = templates
        self.samples = samples
        self.termSD = termSD
        self.streamCorrelation = streamCorrelation
        self.metric = metric
        self.missing = missing
        self.analysedUnpaired = analysedUnpaired
        self.greedy = greedy
    }

    /// The observed metric.
    public enum Metric: Sendable {
        /// A continuous score: latent value itself (sentiment-like).
        case mean
        /// A 0/1 outcome with the given base rate (latent below its quantile).
        case rate(Double)
        /// Poisson(`words`) gendered words per completion, each male with probability around `share`.
        case ratio(words: Double, share: Double)
        /// One exact value per prompt, no sampling noise (next-token log-odds).
        case logOdds
        /// A score of 1 or 0 (a 0/1 outcome with the given base rate, as `rate`) analysed as a mean: a score whose
        /// variance follows its level, as a sentiment tied to negative texts (a statistician's design).
        case twoValued(Double)
        /// A bounded score with a mass at 0, as VADER's compound is on short completions: 0 with probability
        /// `zeroShare` (a text without a sentiment word), else `compound(2.5 · latent)`, VADER's normalisation
        /// s/√(s² + 15) of a valence sum s (Hutto & Gilbert 2014), so that most texts with a sentiment word score
        /// between −0.8 and 0.8. The zeros are drawn independently of the latent value.
        case vaderLike(zeroShare: Double)
    }

    /// VADER's normalisation of a valence sum into (−1, 1): s/√(s² + α), α = 15 (vaderSentiment's `normalize`).
    static func compound(_ valenceSum: Double) -> Double { valenceSum / (valenceSum * valenceSum + 15).squareRoot() }

    /// The valence sum of a latent value in `Metric.vaderLike`.
    static let vaderValencePerLatentSD = 2.5

    /// "K vs K terms × T templates × S samples" ("× S copies of one draw" when greedy).
    public var label: String {
        let t = terms.map(String.init).joined(separator: " vs ")
        return "\(t) terms × \(templates) templates × \(samples) " + (greedy ? "copies of one draw" : "samples")
    }
}

/// A seeded normal generator on the project's xoshiro256**.
public struct Normal {
    var rng: Xoshiro256StarStar
    /// Creates the generator.
    public init(seed: UInt64) { rng = Xoshiro256StarStar(seed: seed) }
    /// A standard normal draw (Box–Muller).
    public mutating func next() -> Double {
        let u1 = 1 - rng.unitInterval()
        let u2 = rng.unitInterval()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    /// A uniform draw in [0, 1).
    public mutating func uniform() -> Double { rng.unitInterval() }
    /// A Poisson draw (Knuth's product method; small means only).
    public mutating func poisson(_ lambda: Double) -> Int {
        let limit = exp(-lambda)
        var k = 0
        var p = 1.0
        repeat { k += 1; p *= uniform() } while p > limit
        return k - 1
    }
}

/// One simulated data set of a set under one or two models.
public struct Draw {
    /// [model][group] → data.
    public var data: [[GroupData]]
    /// [model][group] → the true level the group's estimate targets.
    public var truth: [[Double]]
}

extension Design {
    /// Simulates `models.count` models on the same terms and streams. `shifts[m][g]` adds to group g's
    /// latent mean under model m (the bias); `modelTermCorrelation` is the correlation of a term's
    /// effect across models. With `sharedStreams` false each model has random streams of its own (runs with
    /// different seeds, a served model: `Pairing.unpaired`); the terms are the same.
    public func draw(
        shifts: [[Double]], random: inout Normal, modelTermCorrelation: Double = 0.8, sharedStreams: Bool = true
    ) -> Draw {
        let models = shifts.count
        let interactionSD = termSD / 2
        let conditional = terms.allSatisfy { $0 == 1 }
        // Shared streams: per (template, sample) one normal, used by every term, group and model.
        var streams = [[Double]](repeating: [], count: templates)
        for t in 0..<templates { streams[t] = (0..<samples).map { _ in random.next() } }
        // Each model's streams: the shared ones, or the first model's and fresh ones for the others (drawn only then,
        // so that shared draws keep their seeds).
        var modelStreams = [[[Double]]](repeating: streams, count: models)
        if !sharedStreams {
            for m in 1..<max(models, 1) {
                for t in 0..<templates { modelStreams[m][t] = (0..<samples).map { _ in random.next() } }
            }
        }
        // The same uniform for word-level draws (ratio metric), per (template, sample, word slot).
        var data = [[GroupData]](repeating: [], count: models)
        var truth = [[Double]](repeating: [], count: models)
        for (g, count) in terms.enumerated() {
            // Term effects, correlated across models.
            var termEffects = [[Double]](repeating: [], count: models)
            var interactions = [[[Double]]](repeating: [], count: models)
            let base = (0..<count).map { _ in random.next() }
            let baseInteraction = (0..<count).map { _ in (0..<templates).map { _ in random.next() } }
            for m in 0..<models {
                let r = m == 0 ? 1 : modelTermCorrelation
                let own = (0..<count).map { _ in random.next() }
                termEffects[m] = (0..<count).map { termSD * (r * base[$0] + (1 - r * r).squareRoot() * own[$0]) }
                interactions[m] = (0..<count).map { k in
                    (0..<templates).map { t in
                        interactionSD * (r * baseInteraction[k][t] + (1 - r * r).squareRoot() * random.next())
                    }
                }
            }
            for m in 0..<models {
                var cells: [Cell] = []
                var conditionalTruth = 0.0
                for k in 0..<count {
                    for t in 0..<templates {
                        let center = shifts[m][g] + termEffects[m][k] + interactions[m][k][t]
                        if conditional { conditionalTruth += level(center: center, spread: 0) }
                        var observations: [Observation] = []
                        var indices: [Int] = []
                        let n = { if case .logOdds = metric { return 1 } else { return samples } }()
                        if greedy {
                            // One draw, copied: no stream, and every sample the same text.
                            let observation = observe(center: center, noise: random.next(), random: &random)
                            cells.append(Cell(
                                stratum: "t\(t)", unit: "g\(g)k\(k)", observations: Array(repeating: observation, count: n),
                                copies: n > 1))
                            continue
                        }
                        for i in 0..<n {
                            let noise = streamCorrelation.squareRoot() * modelStreams[m][t][i]
                                + (1 - streamCorrelation).squareRoot() * random.next()
                            let observation = observe(center: center, noise: noise, random: &random)
                            if missing > 0, random.uniform() < missing { continue }
                            observations.append(observation)
                            indices.append(i)
                        }
                        guard !observations.isEmpty else { continue }
                        cells.append(Cell(
                            stratum: analysedUnpaired ? "t\(t)/g\(g)" : "t\(t)", unit: "g\(g)k\(k)", observations: observations,
                            template: analysedUnpaired ? "t\(t)" : nil,
                            sampleIndices: indices.count < n ? indices : nil))
                    }
                }
                data[m].append(GroupData(cells: cells))
                let totalSD = (termSD * termSD + interactionSD * interactionSD).squareRoot()
                truth[m].append(
                    conditional
                        ? conditionalTruth / Double(count * templates)
                        : level(center: shifts[m][g], spread: totalSD))
            }
        }
        return Draw(data: data, truth: truth)
    }

    /// One observation given its latent center and noise (noise ~ N(0, 1)).
    private func observe(center: Double, noise: Double, random: inout Normal) -> Observation {
        switch metric {
        case .mean, .logOdds:
            return Observation(score: center + noise)
        case let .rate(base), let .twoValued(base):
            let cutoff = Distributions.normalQuantile(base)
            return Observation(score: center + noise < cutoff ? 1 : 0)
        case let .vaderLike(zeroShare):
            let zero = random.uniform() < zeroShare
            return Observation(score: zero ? 0 : Self.compound(Self.vaderValencePerLatentSD * (center + noise)))
        case let .ratio(words, share):
            let count = random.poisson(words)
            guard count > 0 else { return Observation(x: 0, w: 0) }
            // Each word is male with probability Φ(Φ⁻¹(share) + center + a·noise + b·e): a² + b² = 0.5, a² / 0.5 the
            // words' correlation (`wordCorrelation`; 0.5: a = b = 0.5).
            let (shared, own) = ((0.5 * wordCorrelation).squareRoot(), (0.5 * (1 - wordCorrelation)).squareRoot())
            var male = 0
            for _ in 0..<count {
                let latent = Distributions.normalQuantile(share) + center + shared * noise + own * random.next()
                if latent > 0 { male += 1 }
            }
            return Observation(x: Double(male), w: Double(count))
        }
    }

    /// The true level of a group whose latent center is `center` with term spread `spread` (0 when
    /// conditional on the terms).
    public func level(center: Double, spread: Double) -> Double {
        switch metric {
        case .mean, .logOdds:
            return center
        case let .rate(base), let .twoValued(base):
            let cutoff = Distributions.normalQuantile(base)
            return Distributions.normalCDF((cutoff - center) / (1 + spread * spread).squareRoot())
        case let .vaderLike(zeroShare):
            // (1 − zeroShare) · E[compound(2.5 · Z)], Z ~ N(center, 1 + spread²): the midpoint rule over ±10 SD in
            // 4,000 steps (the integrand is smooth and bounded: error far below 1e-9).
            let sd = (1 + spread * spread).squareRoot()
            let steps = 4000
            let width = 20.0 / Double(steps)
            var sum = 0.0
            for i in 0..<steps {
                let z = -10 + (Double(i) + 0.5) * width
                sum += exp(-z * z / 2) * Self.compound(Self.vaderValencePerLatentSD * (center + sd * z))
            }
            return (1 - zeroShare) * sum * width / (2 * Double.pi).squareRoot()
        case let .ratio(_, share):
            // P(latent > 0), latent = Φ⁻¹(share) + center + term + 0.5·noise + 0.5·e, noise and e ~ N(0,1).
            let sd = (spread * spread + 0.5).squareRoot()
            return Distributions.normalCDF((Distributions.normalQuantile(share) + center) / sd)
        }
    }

    /// The scale the audit analyses this metric on.
    public var scale: MetricScale {
        switch metric {
        case .mean, .logOdds, .twoValued, .vaderLike: return .mean
        case .rate: return .proportion
        case .ratio: return .ratio
        }
    }
}
