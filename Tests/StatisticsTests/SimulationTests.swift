import Statistics
import StatisticsSimulation
import TestSupport
import XCTest

/// Seeded cells of `docs/statistics-validation.md` (scripts/validate-statistics.sh), small enough for
/// `make test`: the shipped designs keep their coverage and size, and the verdicts do not call a
/// same-size sign flip or an unchanged contrast "more" or "less" biased.
final class SimulationTests: XCTestCase {
    /// Replications per cell: Monte Carlo SE of a 95% coverage ≈ 1.1 points.
    let replications = 400
    /// Coverage band: 95% ± 3.5 points (3 Monte Carlo SEs around the 93–97% target).
    let coverageBand = 0.915...0.985
    /// Size band: 5% ± 3 points.
    let sizeBand = 0.0...0.08
    /// Size band of the mixed designs: 5% ± 3 points, and not the near-0 of a test that cannot reject.
    let mixedSizeBand = 0.02...0.08

    private func check(
        _ design: Design, seed: UInt64, checkLevel: Bool = true, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let result = try simulateCell(design, effect: 0.5, replications: replications, seed: seed)
        let label = "\(design.label), ρ \(design.streamCorrelation)"
        var coverages = [("contrast coverage (null)", result.contrastCoverageNull),
                         ("contrast coverage (effect)", result.contrastCoverageEffect)]
        if checkLevel { coverages.append(("level coverage", result.levelCoverage)) }
        for (name, value) in coverages {
            XCTAssertTrue(coverageBand.contains(value), "\(label): \(name) \(value) outside \(coverageBand)", file: file, line: line)
        }
        XCTAssertTrue(sizeBand.contains(result.size), "\(label): size \(result.size) outside \(sizeBand)", file: file, line: line)
    }

    /// The shipped sets' design: 8 terms per group, 3 templates, 10 samples, correlated streams.
    func testShippedMultiTermDesign() throws {
        try check(Design(terms: [8, 8], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.5, metric: .mean), seed: 101)
    }

    /// names-race-gender as shipped: 4 groups of 9 names × 3 templates × 10 samples, the sentiment (the bounded score,
    /// half the texts at 0) and the % negative at 5%, with shared streams (docs/statistics-validation.md, "The shipped
    /// designs as they are"; with the 6 samples it had before, the 5% levels covered 91.3–92.2% at ρ 0.8).
    func testTheFourGroupNamesDesignAsShipped() throws {
        for (metric, seed) in [(Design.Metric.vaderLike(zeroShare: 0.5), UInt64(141)), (.rate(0.05), 142)] {
            try check(
                Design(terms: [9, 9, 9, 9], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.5, metric: metric),
                seed: seed)
        }
    }

    /// Few terms, strong term effects and strongly shared streams (the old bootstrap covered 0.81).
    func testFourTermsWithCorrelatedStreams() throws {
        try check(Design(terms: [4, 4], templates: 3, samples: 10, termSD: 0.5, streamCorrelation: 0.8, metric: .mean), seed: 102)
    }

    /// VADER's compound is bounded and 0 for most short texts: with 90% of the completions at 0, 3 terms and strongly
    /// shared streams (about 9 scored texts per group) the mean's interval and test keep their level
    /// (docs/statistics-validation.md, "Means of a bounded score with a mass at 0").
    func testBoundedScoreWithAMassAtZero() throws {
        try check(
            Design(terms: [3, 3], templates: 3, samples: 10, termSD: 0.5, streamCorrelation: 0.8,
                   metric: .vaderLike(zeroShare: 0.9)),
            seed: 121)
    }

    /// A 1% rate whose terms differ strongly (term SD 0.5), 6 terms, strongly shared streams: 0 negative completions
    /// of 180 is common (about 15% of the replications), and with the normal quantile its Wilson upper limit (2.09%) fell
    /// just below the true 2.11%, so the level covered 87.0%. At 0 or 1 the level takes t on its df
    /// (`levelQuantile(alpha:degreesOfFreedom:)`): docs/statistics-validation.md, `statistics-validation --only "near 0
    /// and mid-range" --rate-term-sd 0.5`. 1000 replications (8 s in a debug build): with this seed the normal quantile
    /// covers 90.2%, t 97.8%.
    func testARareRateAtZeroWithStrongTermEffectsKeepsItsLevel() throws {
        let design = Design(terms: [6, 6], templates: 3, samples: 10, termSD: 0.5, streamCorrelation: 0.8, metric: .rate(0.01))
        let result = try simulateCell(design, effect: 0.5, replications: 1000, seed: 122)
        // The level under the null (the effect lowers group A's rate further: more replications at 0, all covered, so
        // that column is conservative, 97.6% in the table, and not the one the rule mends).
        XCTAssertTrue(coverageBand.contains(result.levelCoverage),
                      "\(design.label), 1%, ρ 0.8, term SD 0.5: level coverage \(result.levelCoverage) outside \(coverageBand)")
    }

    /// The true level of the VADER-like score, (1 − zeros) · E[s/√(s² + 15)] with s = 2.5 Z, Z ~ N(center, 1 + spread²),
    /// against SciPy's `integrate.quad` of the same integrand (epsabs 1e-14).
    func testLevelOfTheVaderLikeScoreMatchesSciPy() {
        let tolerance = 1e-9
        let cases: [(center: Double, spread: Double, zeros: Double, scipy: Double)] = [
            (0.5, 0.5, 0.5, 0.10709644550082008), (-1.0, 0.0, 0.9, -0.04271242530437235), (0.0, 0.3, 0.5, 0.0),
            (2.0, 1.2, 0.2, 0.49849306063666027),
        ]
        var largest = 0.0
        for c in cases {
            let design = Design(terms: [3, 3], templates: 3, samples: 10, termSD: 0.5, streamCorrelation: 0,
                                metric: .vaderLike(zeroShare: c.zeros))
            largest = max(largest, abs(design.level(center: c.center, spread: c.spread) - c.scipy))
        }
        XCTAssertLessThanOrEqual(largest, tolerance, "largest difference from SciPy \(largest)")
    }

    /// A completions file with 30% of its lines missing at random, paired by sample index (statistics revision 9):
    /// coverage and size as complete data, and more power than the unpaired analysis `analyze` made of any file with a
    /// gap before (docs/statistics-validation.md, "Missing completions": power 28.5–32.4% against 19.1–21.0%).
    func testMissingCompletionsArePairedBySampleIndex() throws {
        let gaps = Design(terms: [6, 6], templates: 3, samples: 10, termSD: 0.5, streamCorrelation: 0.8, metric: .mean, missing: 0.3)
        try check(gaps, seed: 111)
        var unpaired = gaps
        unpaired.analysedUnpaired = true
        let paired = try simulateCell(gaps, effect: 0.5, replications: replications, seed: 112)
        let apart = try simulateCell(unpaired, effect: 0.5, replications: replications, seed: 112)
        XCTAssertGreaterThan(paired.power, apart.power + 0.03,
                             "power paired by index \(paired.power) against unpaired \(apart.power) on the same draws")
    }

    /// `statistics-validation --diagnose-rate-contrasts` rebuilds each rate contrast from its pieces
    /// (`rateContrastPieces`): the rebuilt interval and p-value must be the audit's (`contrast`) in every replication,
    /// or its variants would not say what the audit's interval owes to each part.
    func testRateContrastDiagnosisRebuildsTheAuditsInterval() throws {
        let design = Design(terms: [3, 3], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.5, metric: .rate(0.05))
        let diagnosis = try diagnoseRateContrasts(design, effect: 0.5, replications: 100, seed: 120)
        for arm in [diagnosis.null, diagnosis.effect] {
            XCTAssertEqual(arm.mismatches, 0)
            XCTAssertGreaterThan(arm.diagnosed, 90)
            XCTAssertEqual(arm.variants.first?.name, "today (t on the contrast's df)")
        }
    }

    /// The regard sets: one term per group, 10 templates, inference conditional on the terms.
    func testSingleTermRegardDesign() throws {
        try check(Design(terms: [1, 1], templates: 10, samples: 10, termSD: 0, streamCorrelation: 0.5, metric: .mean), seed: 103)
    }

    /// A rare outcome (5% negative) with 8 terms.
    func testRareRate() throws {
        try check(Design(terms: [8, 8], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.5, metric: .rate(0.05)), seed: 104)
    }

    /// Mixed 4 vs 1 terms rejected 15-18% under the null with prompt units, and 8-9% when the single
    /// term borrowed a truncated between-term variance; as Student's pooled t it keeps its size.
    func testMixedDesignKeepsItsSize() throws {
        for (rho, seed) in [(0.0, UInt64(105)), (0.5, UInt64(110))] {
            let result = try simulateCell(
                Design(terms: [4, 1], templates: 3, samples: 10, termSD: 0.5, streamCorrelation: rho, metric: .mean),
                effect: 0.5, replications: replications, seed: seed)
            XCTAssertTrue(mixedSizeBand.contains(result.size), "4 vs 1 terms, ρ \(rho): size \(result.size) outside \(mixedSizeBand)")
            XCTAssertTrue(coverageBand.contains(result.contrastCoverageNull),
                          "4 vs 1 terms, ρ \(rho): contrast coverage \(result.contrastCoverageNull) outside \(coverageBand)")
        }
    }

    /// A single term beside a multi-term group, on a rate: the single term borrowed the other group's
    /// variance of a term mean as it was, so a term whose rate came out high (or a group beside a lowered
    /// one) got the variance of the other's lower rate. At 8 vs 1 terms, 5% and ρ 0.5 the contrast covered
    /// 91.2% under the null with size 8.8%, and 91.0% under the effect; at 4 vs 1 terms and 30% it covered
    /// 91.8% under the effect (2000 replications, docs/statistics-validation.md). Borrowed relative to
    /// p(1 − p) and taken back at the single term's own, as the table's levels pool it: 95.1%, 4.9%, 94.7% and
    /// 94.5% there. Here 1000 replications (Monte Carlo SE 0.7 points), bands 95% ± 3 SEs and 5% ± 3 SEs; on
    /// the old code these seeds gave 91.4%, 92.2%, 8.6% and 91.4%.
    func testMixedDesignOfRatesKeepsItsCoverage() throws {
        let band = 0.929...0.971
        let sizeBand = 0.029...0.071
        let rare = Design(terms: [8, 1], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.5, metric: .rate(0.05))
        let result = try simulateCell(rare, effect: 0.5, replications: 1000, seed: 119)
        for (name, value) in [("null", result.contrastCoverageNull), ("effect", result.contrastCoverageEffect)] {
            XCTAssertTrue(band.contains(value), "\(rare.label), 5%: contrast coverage (\(name)) \(value) outside \(band)")
        }
        XCTAssertTrue(sizeBand.contains(result.size), "\(rare.label), 5%: size \(result.size) outside \(sizeBand)")
        let mid = Design(terms: [4, 1], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.5, metric: .rate(0.3))
        let shifted = try simulateCell(mid, effect: 0.5, replications: 1000, seed: 120).contrastCoverageEffect
        XCTAssertTrue(band.contains(shifted), "\(mid.label), 30%: contrast coverage (effect) \(shifted) outside \(band)")
    }

    /// Two single-term groups beside a 4-term group (a set pairing "man" and "woman" with several occupations):
    /// conditional on the two terms, the contrast left out their term variance while their levels took it, and
    /// covered 36–50% of the groups' difference with size 50–63% (means, term SD 0.5; 73–80% for 30% rates;
    /// `statistics-validation --only "Two single terms"`). Borrowing the 4-term group's variance of a term mean
    /// for both keeps the level. 1000 replications (Monte Carlo SE 0.7 points); band 95% ± 3 SEs.
    func testTwoSingleTermsBesideAMultiTermGroupKeepTheirCoverage() throws {
        let band = 0.929...0.971
        let sizeBand = 0.029...0.071
        for (metric, termSD, seed) in [(Design.Metric.mean, 0.5, UInt64(131)), (.rate(0.3), 0.3, UInt64(132))] {
            let design = Design(terms: [1, 1, 4], templates: 3, samples: 10, termSD: termSD, streamCorrelation: 0.5, metric: metric)
            let result = try simulateCell(design, effect: 0.5, replications: 1000, seed: seed)
            for (name, value) in [("null", result.contrastCoverageNull), ("effect", result.contrastCoverageEffect)] {
                XCTAssertTrue(band.contains(value), "\(design.label), \(metric): contrast coverage (\(name)) \(value) outside \(band)")
            }
            XCTAssertTrue(sizeBand.contains(result.size), "\(design.label), \(metric): size \(result.size) outside \(sizeBand)")
        }
    }

    /// A rare rate (5%) with strongly shared streams (ρ 0.8): the symmetric t interval of the difference
    /// covered 88.8-90% under an effect; the MOVER interval from Wilson limits keeps its level, and the
    /// test its size.
    func testRareCorrelatedRateContrast() throws {
        for (terms, seed) in [(4, UInt64(111)), (9, UInt64(112))] {
            try check(Design(terms: [terms, terms], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.8,
                             metric: .rate(0.05)), seed: seed, checkLevel: false)
        }
    }

    /// The levels of a set in which one group's rate differs (group A shifted by 0.5 latent SD): with the
    /// per-term variance pooled in absolute terms, A took B's larger variance and B took A's smaller one.
    /// With this seed the old pooling gave A 97.4% and B 91.5% (9 vs 9 terms, 5%); pooled relative to
    /// p(1 − p), with the set's stream floor, A 97.0% and B 94.4%. 1000 replications (Monte Carlo SE 0.7
    /// points); band 95% ± 3 SEs.
    func testLevelsBesideAGroupWhoseRateDiffersKeepTheirCoverage() throws {
        let band = 0.929...0.971
        let design = Design(terms: [9, 9], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0, metric: .rate(0.05))
        let result = try simulateCell(design, effect: 0.5, replications: 1000, seed: 116)
        for (name, value) in [("A, shifted", result.levelCoverageEffect), ("B, beside it", result.levelCoverageOther)] {
            XCTAssertTrue(band.contains(value), "\(design.label): level coverage of \(name) \(value) outside \(band)")
        }
    }

    /// Greedy decoding (`Design.greedy`: one draw per prompt, copied 10 times) in the shipped designs: rate levels
    /// of copies pool the per-term variance relative to p(1 − p) and take Wilson's interval on the draws over the design
    /// effect (statistics revision 18). With these seeds the symmetric t interval on the absolute pooled variance gave
    /// 88.0% for a 5% rate raised by 0.5 latent SD (4 groups of 9 names) and 90.9% for a 30% rate's group beside
    /// a lowered one (8 vs 8 terms); now 95.6% and 96.1%. 1000 replications (Monte Carlo SE 0.7 points); band
    /// 95% ± 3 SEs (docs/statistics-validation.md, "Greedy decoding: copies of one draw").
    func testGreedyRateLevelsKeepTheirCoverage() throws {
        let band = 0.929...0.971
        let raised = Design(
            terms: [9, 9, 9, 9], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0, metric: .rate(0.05),
            greedy: true)
        let a = try simulateCell(raised, effect: -0.5, replications: 1000, seed: 161).levelCoverageEffect
        XCTAssertTrue(band.contains(a), "\(raised.label), 5% raised: level coverage of A \(a) outside \(band)")
        let lowered = Design(
            terms: [8, 8], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0, metric: .rate(0.3), greedy: true)
        let b = try simulateCell(lowered, effect: 0.5, replications: 1000, seed: 162).levelCoverageOther
        XCTAssertTrue(band.contains(b), "\(lowered.label), 30%: level coverage of B beside a lowered A \(b) outside \(band)")
    }

    /// A 5% rate with strongly shared streams (ρ 0.8), groups alike: a group's own stream component rests on
    /// the few streams that hold its events and is small exactly when its events came out few, so its level
    /// undercovered; each group's stream component is now at least the set's, relative to p(1 − p). With this
    /// seed: 91.8% with the group's own stream component, 93.3% with the floor (1000 replications, Monte
    /// Carlo SE 0.7 points; band 95% ± 3 SEs).
    func testLevelOfARareRateWithStronglySharedStreams() throws {
        let band = 0.929...0.971
        let design = Design(terms: [6, 6], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.8, metric: .rate(0.05))
        let result = try simulateCell(design, effect: 0.5, replications: 1000, seed: 118)
        XCTAssertTrue(band.contains(result.levelCoverage), "\(design.label), ρ 0.8: level coverage \(result.levelCoverage) outside \(band)")
    }

    /// `--min-events 10` (Cochran's rule, 10 events and 10 non-events in the two groups; off by default):
    /// with 3 vs 3 terms at a 5% rate about half the replications reach it, and among those the test keeps
    /// its size (2.2% of them, 2000 replications; 1.4% of all replications without the rule); a contrast
    /// below it never has a p-value, so it can never be a finding.
    func testRateContrastSupportRuleKeepsTheConditionalSize() throws {
        var cochran = InferenceSettings.standard
        cochran.minimumEvents = 10
        let design = Design(terms: [3, 3], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0, metric: .rate(0.05))
        let result = try simulateCell(design, effect: 0.5, replications: 1600, seed: 113, settings: cochran)
        // At most 5% + 3 points, and not the near-0 of a test that cannot reject, over the ~950 supported
        // replications: the rule's test is conservative here (2.2% of 2000 supported replications, Monte Carlo
        // SE ≈ 0.5 points).
        let conditionalSizeBand = 0.01...0.08
        XCTAssertTrue(conditionalSizeBand.contains(result.size),
                      "conditional size \(result.size) outside \(conditionalSizeBand) (\(result.counts.size) supported)")
        XCTAssertTrue((0.3...0.8).contains(result.supported), "share supported \(result.supported)")
        XCTAssertTrue(coverageBand.contains(result.contrastCoverageNull),
                      "conditional coverage \(result.contrastCoverageNull) outside \(coverageBand)")

        var random = Normal(seed: 114)
        var mismatches: [String] = []
        var tested = 0
        for replication in 0..<200 {
            let draw = design.draw(shifts: [[0, 0]], random: &random)
            let data = [draw.data[0][0], draw.data[0][1]]
            let all = data.flatMap { $0.cells.flatMap(\.observations) }
            let events = all.reduce(0) { $0 + $1.x }
            let thin = events < 10 || Double(all.count) - events < 10
            let c = try contrast(data[0], data[1], scale: .proportion, settings: cochran)
            if thin != (c.pValue == nil) || thin != (c.estimate.insufficient != nil) || thin == c.estimate.hasInterval {
                mismatches.append("replication \(replication): \(Int(events)) events, p \(String(describing: c.pValue))")
            }
            let standard = try contrast(data[0], data[1], scale: .proportion)
            if standard.pValue != nil, standard.estimate.hasInterval, standard.estimate.insufficient == nil { tested += 1 }
        }
        XCTAssertEqual(mismatches, [], "with --min-events 10 a contrast below 10 events has no test and no interval, and only those")
        XCTAssertEqual(tested, 200, "by default every rate contrast has a test and an interval")
    }

    /// Why the minimum of events is off by default. At a 1% rate with 9 vs 9 terms and strongly shared
    /// streams (ρ 0.8), the replications that reach 10 events under an effect are those whose gap came
    /// out large: their intervals covered 87.5% (2000 replications; 79.3% before the MOVER floor of statistics
    /// revision 6). Without the minimum every replication has an interval, which covers 98.2% (conservative since that
    /// floor; 95.2% before), and the test keeps its size (3.2%).
    func testRareRateContrastKeepsItsCoverageWithoutTheMinimumOfEvents() throws {
        let design = Design(terms: [9, 9], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.8, metric: .rate(0.01))
        let open = try simulateCell(design, effect: 0.5, replications: 600, seed: 115)
        XCTAssertEqual(open.supportedEffect, 1, "no minimum: every contrast is tested")
        // Conservative under the effect since the MOVER floor (98.2% in the table): never below the band.
        let conservativeBand = coverageBand.lowerBound...0.995
        XCTAssertTrue(conservativeBand.contains(open.contrastCoverageEffect),
                      "coverage under the effect \(open.contrastCoverageEffect) outside \(conservativeBand)")
        XCTAssertTrue(coverageBand.contains(open.contrastCoverageNull),
                      "coverage under the null \(open.contrastCoverageNull) outside \(coverageBand)")
        XCTAssertTrue(sizeBand.contains(open.size), "size \(open.size) outside \(sizeBand)")
        var cochran = InferenceSettings.standard
        cochran.minimumEvents = 10
        let selected = try simulateCell(design, effect: 0.5, replications: 600, seed: 115, settings: cochran)
        // About 80 supported replications under the effect: Monte Carlo SE of an 88% coverage ≈ 3.6 points; below the
        // 93% the band allows, and far below the 98% without the minimum.
        let selectionBound = 0.93
        XCTAssertLessThan(selected.contrastCoverageEffect, selectionBound,
                          "the selection of --min-events 10: coverage \(selected.contrastCoverageEffect) of \(selected.counts.contrastEffect) supported")
    }

    /// Verdicts: a same-size sign flip and an unchanged contrast are neither "more" nor "less" biased
    /// more than 5% of the time; a grown bias is found.
    func testVerdictErrorRates() throws {
        let design = Design(terms: [8, 8], templates: 3, samples: 10, termSD: 0.3, streamCorrelation: 0.5, metric: .mean)
        // Unpaired (each model its own streams, the same terms): a same-size flip is called more or less biased at most 4%
        // of the time for each claim here (2.1% and 3.0% in the 2000-replication table; with the terms as independent
        // clusters 4.5% and 6.2%).
        let unpaired = try simulateVerdicts(design, first: -0.3, second: 0.3, replications: 400, seed: 112, pairing: .unpaired)
        XCTAssertLessThanOrEqual(max(unpaired.larger, unpaired.smaller), 0.04, "unpaired flip: \(unpaired)")
        let errorBound = 0.05
        for (first, second) in [(-0.3, 0.3), (0.0, 0.0), (-0.3, -0.3)] {
            let rates = try simulateVerdicts(design, first: first, second: second, replications: 200, seed: 106)
            XCTAssertLessThanOrEqual(rates.larger, errorBound, "\(first) → \(second): more biased \(rates.larger)")
            XCTAssertLessThanOrEqual(rates.smaller, errorBound, "\(first) → \(second): less biased \(rates.smaller)")
        }
        let removed = try simulateVerdicts(design, first: -0.3, second: 0, replications: 200, seed: 107)
        XCTAssertLessThanOrEqual(removed.larger, errorBound, "a removed bias is not called more biased")
        let grown = try simulateVerdicts(design, first: -0.1, second: -0.8, replications: 200, seed: 108)
        XCTAssertGreaterThan(grown.larger, 0.5, "a bias that grows from -0.1 to -0.8 is found: \(grown.larger)")
        XCTAssertEqual(grown.smaller, 0)
        let flipped = try simulateVerdicts(design, first: -0.8, second: 0.8, replications: 200, seed: 109)
        XCTAssertGreaterThan(flipped.reversed, 0.5, "a large flip is flagged as reversed: \(flipped.reversed)")
    }

    /// Statistician's review: a single term at 30% against a multi-term group at 2–3%, the same gap under both models.
    /// The change borrowed the group's per-term variance of the change in absolute terms, a fraction of what a term at
    /// 30% varies by: 10–26% of such comparisons were called "more" or "less biased" (their 3 vs 1 design, 900–1,800
    /// pairs through the binary). It borrows it relative to Σ p(1 − p) now, taken back at the single term's (and the
    /// set's other groups' where the group is at 0 or 1). Here the group is moved by 2 latent SD towards 1 (to about 90%)
    /// and the terms' effects are independent across the models. With the absolute rule, with these seeds: 4 vs 1 "more"
    /// 10.7% and "less" 10.7%, 3 vs 1 beside a 4-term group 6.8% and 8.8%; now 5.0% and 2.8%, 1.2% and 1.8%. The bound
    /// is α plus about one Monte Carlo SE at 600 replications.
    func testVerdictsOfASingleTermBesideAGroupNearABound() throws {
        let errorBound = 0.06
        // A score of 1 or 0 analysed as a mean (a sentiment tied to the negative texts: its spread follows its level)
        // borrowed the mean's per-term variance as it was: 10.7% / 10.7% (4 vs 1) and 6.8% / 8.7% (3 vs 1 beside 4) of
        // these comparisons were called more / less biased; scaled up by the single term's spread over its lenders'
        // (`scaledBySpread`), 4.8% / 2.8% and 1.3% / 1.8%, as the rates.
        for metric in [Design.Metric.rate(0.3), .twoValued(0.3)] {
            for terms in [[4, 1], [3, 1, 4]] {
                let design = Design(terms: terms, templates: 3, samples: 10, termSD: 0.5, streamCorrelation: 0.5, metric: metric)
                let rates = try simulateVerdicts(design, first: -2.0, second: -2.0, replications: 600, seed: 113, modelTermCorrelation: 0)
                XCTAssertLessThanOrEqual(rates.larger, errorBound, "\(metric) \(terms): more biased \(rates.larger)")
                XCTAssertLessThanOrEqual(rates.smaller, errorBound, "\(metric) \(terms): less biased \(rates.smaller)")
            }
        }
    }

    /// Statistician's review: two single-term groups beside a multi-term group, equal population levels under both
    /// models and each term's effect correlated 0.8 across them. With the change and the sum conditional on the two
    /// terms, 20–22% of such comparisons were called "more" or "less biased" (docs/statistics-validation.md); they
    /// borrow the multi-term group's per-term variance of the change and the sum now.
    func testVerdictsOfTwoSingleTermsBesideAMultiTermGroup() throws {
        let design = Design(terms: [1, 1, 4], templates: 3, samples: 10, termSD: 0.5, streamCorrelation: 0.5, metric: .mean)
        let errorBound = 0.05
        for (first, second, seed) in [(0.0, 0.0, UInt64(110)), (-0.3, -0.3, 111)] {
            for pairing in Pairing.allCases {
                let rates = try simulateVerdicts(design, first: first, second: second, replications: 300, seed: seed, pairing: pairing)
                XCTAssertLessThanOrEqual(rates.larger + rates.smaller, errorBound,
                                         "\(pairing) \(first) → \(second): more \(rates.larger), less \(rates.smaller)")
            }
        }
    }
}
