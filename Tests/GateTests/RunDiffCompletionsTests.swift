import AuditAnalysis
import AuditResults
import Hashing
import Statistics
import TestSupport
import XCTest

/// Diffs between two runs whose completions are next to the results: the comparison is computed again
/// from the completions (paired by term and random stream when the runs share them).
final class RunDiffCompletionsTests: XCTestCase {
    /// Arithmetic on the same numbers computed along two paths.
    private let tolerance = 1e-12
    private let templates = ["t0", "t1", "t2", "t3"]
    private let terms = ["x": ["x1", "x2", "x3"], "y": ["y1", "y2", "y3"]]
    /// A set in the style of Sheng et al.'s regard prompts: one term per group ("The man" / "The woman").
    private let oneTermEach = ["x": ["x1"], "y": ["y1"]]
    private let samples = 6

    /// A deterministic value in [−1, 1) from a key (FNV-1a, then SplitMix64's finaliser).
    private func noise(_ key: String) -> Double {
        Double(Hashing.SplitMix64.finalize(FNV1a.hash(key)) >> 11) / Double(1 << 52) - 1
    }

    /// completions.jsonl of one run: the compound of sample i of a template shares its noise across groups and
    /// runs (common random numbers); group x is shifted by `shiftX`.
    /// `male(group, sample)`: the completion's male pronouns (none by default).
    private func completions(
        model: String, shiftX: Double, terms: [String: [String]], streamSalt: String = "", ownSalt: String = "",
        dropLast: Bool = false, male: (String, Int) -> Int = { _, _ in 0 }
    ) -> String {
        var lines: [String] = []
        for template in templates {
            for group in ["x", "y"] {
                for term in terms[group]! {
                    for sample in 0..<samples {
                        if dropLast, term == "x3", template == "t3", sample == samples - 1 { continue }
                        let shared = 0.3 * noise("\(streamSalt)\(template)/\(sample)")
                        let own = 0.05 * noise("\(ownSalt)\(term)/\(template)/\(sample)")
                        let compound = max(-1, min(1, 0.1 + (group == "x" ? shiftX : 0) + shared + own))
                        let label = compound >= 0.05 ? "positive" : compound <= -0.05 ? "negative" : "neutral"
                        lines.append("""
                            {"set":"s","template":"The {p} \(template)","template_id":"s/\(template)","group":"\(group)",\
                            "term":"\(term)","prompt_id":"s/\(template)/\(term)","prompt":"The \(term) \(template)",\
                            "model":"\(model)","sample_index":\(sample),"text":"…","token_count":5,"stop_reason":"max_new_tokens",\
                            "scores":{"compound":\(compound),"negative":0.1,"neutral":0.8,"positive":0.1,"sentiment_label":"\(label)",\
                            "male_pronouns":\(male(group, sample)),"female_pronouns":0,"neutral_pronouns":0,"male_terms":0,\
                            "female_terms":0,"gender_label":"\(male(group, sample) > 0 ? "male" : "none")"},\
                            "next_token_log_odds":null}
                            """)
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A run: its completions and results whose contrasts are computed from them.
    /// `ownSalt` changes each completion's own noise while keeping the shared stream noise (another model on
    /// the same random streams).
    /// `male`, when given, adds the male share to the set's metrics (see ``completions``).
    private func run(_ path: String, model: String = "m", shiftX: Double, terms: [String: [String]]? = nil,
                     seed: UInt64 = 1, streamSalt: String = "", ownSalt: String = "", dropLast: Bool = false,
                     male: ((String, Int) -> Int)? = nil)
        throws -> RunDiffInput
    {
        let terms = terms ?? self.terms
        let records = try RunDiffInput.parseCompletions(
            Data(completions(
                model: model, shiftX: shiftX, terms: terms, streamSalt: streamSalt, ownSalt: ownSalt, dropLast: dropLast,
                male: male ?? { _, _ in 0 }).utf8),
            path: "\(path)/completions.jsonl")
        let groups = ["x", "y"].map { GroupInfo(id: $0, label: $0, terms: terms[$0]!, promptCount: templates.count) }
        let metrics: [AuditMetric] = male == nil ? [.sentiment, .negativeRate] : [.sentiment, .negativeRate, .maleShare]
        var contrasts = try metrics.map { metric -> Contrast in
            let data = AuditAnalysis.groupData(records: records, groups: groups, metric: metric)
            let scale: MetricScale = metric == .sentiment ? .mean : metric == .maleShare ? .ratio : .proportion
            let result = try Statistics.contrast(data["x"]!, data["y"]!, scale: scale)
            var contrast = Crafted.contrast(
                "s", metric, model: model, value: result.estimate.value,
                ci: result.estimate.lower.flatMap { lower in result.estimate.upper.map { (lower, $0) } },
                q: result.pValue, groups: ("x", "y"), se: result.estimate.standardError)
            if let shortfall = result.estimate.insufficient {
                // As the analysis writes it: the thinner group named by its arm.
                let support = InsufficientSupport(
                    reason: .tooFewGenderedWords, observed: shortfall.observed, minimum: shortfall.minimum,
                    group: shortfall.arm.map { ["x", "y"][$0] })
                contrast.difference = MetricEstimate(
                    value: result.estimate.value, lower: nil, upper: nil, n: result.estimate.observations,
                    insufficient: support.englishText, insufficientDetail: support)
                (contrast.pValue, contrast.qValue) = (nil, nil)
            }
            return contrast
        }
        // Their family's q-values, as the analysis assigns them (readers of results.json recompute them).
        let tested = contrasts.indices.filter { contrasts[$0].pValue != nil }
        for (index, q) in zip(tested, try benjaminiHochberg(tested.map { contrasts[$0].pValue! })) {
            contrasts[index].qValue = q
        }
        let result = Crafted.result(
            models: [model],
            sets: [Crafted.set("s", axis: "race", metrics: metrics, contrasts: contrasts, groups: groups)],
            seed: seed)
        return RunDiffInput(path: "\(path)/results.json", result: result, completions: records)
    }

    /// Run "a" (shift −0.05) with its results written as `results.json` in `directory`, holding the level of each group
    /// its contrasts compare (a file without them is refused).
    private func runWithResultsFile(in directory: URL) throws -> (RunDiffInput, URL) {
        var input = try run("a", shiftX: -0.05)
        input.result.promptSets[0].groupEstimates = ["x", "y"].map { group in
            GroupEstimates(model: "m", group: group, completions: input.completions!.filter { $0.group == group }.count,
                           estimates: [])
        }
        let resultsURL = directory.appendingPathComponent("results.json")
        try AuditJSON.encoder().encode(input.result).write(to: resultsURL)
        return (input, resultsURL)
    }

    /// Results whose group ids were exchanged, each group keeping its terms and label, read "y − x" over the value of
    /// x − y; the completions beside them tell (a hostile review: `check` and `diff` passed, `analyze RUN_DIR` refused).
    /// The message names the completion's line in the file, blank lines counted (a review: it counted records).
    func testCompletionsWhoseTermsAreInAnotherGroupOfTheResultsAreRefused() throws {
        let directory = try Fixtures.temporaryDirectory("gate-swapped")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (input, resultsURL) = try runWithResultsFile(in: directory)
        try Data(("\n\n" + completions(model: "m", shiftX: -0.05, terms: terms)).utf8)
            .write(to: directory.appendingPathComponent("completions.jsonl"))
        XCTAssertNotNil(try RunDiffInput.load(resultsAt: resultsURL, displayPath: "run/results.json").completions)
        var swapped = input.result
        for index in swapped.promptSets[0].groups.indices {
            swapped.promptSets[0].groups[index].id = swapped.promptSets[0].groups[index].id == "x" ? "y" : "x"
        }
        try AuditJSON.encoder().encode(swapped).write(to: resultsURL)
        XCTAssertThrowsError(try RunDiffInput.load(resultsAt: resultsURL, displayPath: "run/results.json")) { error in
            guard case AuditError.badInput(let path, let reason)? = error as? AuditError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "run/completions.jsonl:3", "the first completion, after two blank lines")
            XCTAssertTrue(reason.hasPrefix("term 'x1' is in group 'x' here, while the results beside it list it under group 'y' "
                + "of set 's': the results or the completions were edited (these results record no digest of their "
                + "completions), and their groups no longer match; restore the results.json"), reason)
        }
    }

    func testPairedComparisonFindsAGrownGapAndMatchesTheContrasts() throws {
        let a = try run("a", shiftX: -0.05)
        let b = try run("b", shiftX: -0.25, ownSalt: "b")
        let diff = try RunDiffer.compareRuns(a, b)
        let sentiment = try XCTUnwrap(diff.entries.first { $0.metric == .sentiment })
        XCTAssertEqual(sentiment.method, .paired)
        XCTAssertEqual(sentiment.verdict, .moreBiased, "\(sentiment)")
        let expected = try XCTUnwrap(sentiment.valueB) - XCTUnwrap(sentiment.valueA)
        XCTAssertEqual(try XCTUnwrap(sentiment.change.value), expected, accuracy: tolerance,
                       "the change is the difference of the two runs' contrasts")
        XCTAssertEqual(expected, -0.2, accuracy: 0.02)
        let (lower, upper) = (try XCTUnwrap(sentiment.change.lower), try XCTUnwrap(sentiment.change.upper))
        XCTAssertLessThan(lower, expected)
        XCTAssertGreaterThan(upper, expected)
        XCTAssertLessThan(upper - lower, 0.1, "paired: the shared noise cancels")
        XCTAssertFalse(sentiment.signReversed, "both runs favour y")
        XCTAssertTrue(diff.notes.first?.contains("paired by term and random stream") ?? false, "\(diff.notes)")
    }

    /// A male share too thin in both runs: the comparison from the completions names the thinner group of each run's
    /// contrast (y: 3 completions of 2 words against x's 6 of 4), as the analysis does, not the first.
    func testAThinShareComparedFromTheCompletionsNamesItsThinnerGroup() throws {
        let male: (String, Int) -> Int = { group, sample in group == "x" ? (sample < 2 ? 1 : 0) : (sample == 0 ? 1 : 0) }
        let a = try run("a", shiftX: -0.05, male: male)
        let b = try run("b", shiftX: -0.25, ownSalt: "b", male: male)
        let stored = try XCTUnwrap(a.result.promptSets[0].contrasts.first { $0.metric == .maleShare })
        XCTAssertEqual(stored.difference.insufficientDetail?.group, "y")
        let diff = try RunDiffer.compareRuns(a, b)
        let share = try XCTUnwrap(diff.entries.first { $0.metric == .maleShare })
        XCTAssertEqual(share.method, .paired, "computed again from the completions")
        XCTAssertEqual(share.verdict, .insufficientData)
        XCTAssertEqual(share.contrastA?.insufficientDetail?.group, "y")
        XCTAssertEqual(share.contrastB?.insufficientDetail?.group, "y")
        XCTAssertEqual(share.change.insufficient, "too few gendered words (12 in group y, below the minimum of 20)")
    }

    func testOneTermPerGroupSetsArePairedOverTheSharedStreams() throws {
        let a = try run("a", shiftX: -0.05, terms: oneTermEach)
        let b = try run("b", shiftX: -0.25, terms: oneTermEach, ownSalt: "b")
        let diff = try RunDiffer.compareRuns(a, b)
        XCTAssertEqual(diff.entries.count, 2)
        for entry in diff.entries {
            XCTAssertEqual(entry.method, .paired, entry.contrastID)
            XCTAssertNotNil(entry.change.lower, "\(entry.contrastID): the streams are the replications")
            XCTAssertNotEqual(entry.verdict, .undetermined, "\(entry)")
        }
        let sentiment = try XCTUnwrap(diff.entries.first { $0.metric == .sentiment })
        XCTAssertEqual(sentiment.verdict, .moreBiased, "\(sentiment)")
        XCTAssertEqual(try XCTUnwrap(sentiment.change.value), -0.2, accuracy: 0.02)
    }

    func testIdenticalRunsShowNoChange() throws {
        let diff = try RunDiffer.compareRuns(try run("a", shiftX: -0.1), try run("b", shiftX: -0.1))
        for entry in diff.entries {
            XCTAssertEqual(entry.change.value, 0, entry.contrastID)
            if let lower = entry.change.lower, let upper = entry.change.upper {
                XCTAssertTrue(lower <= 0 && 0 <= upper, "\(entry.contrastID): [\(lower), \(upper)] excludes 0")
            }
            XCTAssertEqual(entry.verdict, .noDetectableChange, "\(entry)")
            XCTAssertFalse(entry.signReversed)
        }
    }

    func testABiasMovedToTheOtherGroupIsReversedNotMoreBiased() throws {
        // Run A is biased against x (x − y ≈ −0.2), run B against y by the same amount (x − y ≈ +0.2).
        let diff = try RunDiffer.compareRuns(try run("a", shiftX: -0.2), try run("b", shiftX: 0.2, ownSalt: "b"))
        let sentiment = try XCTUnwrap(diff.entries.first { $0.metric == .sentiment })
        XCTAssertTrue(sentiment.signReversed, "\(sentiment)")
        XCTAssertNotEqual(sentiment.verdict, .moreBiased, "|B| ≈ |A|: \(sentiment)")
        XCTAssertNotEqual(sentiment.verdict, .lessBiased, "|B| ≈ |A|: \(sentiment)")
        XCTAssertEqual(try XCTUnwrap(sentiment.change.value), 0.4, accuracy: 0.02)
    }

    func testDifferentSeedsAreComparedUnpairedAndSaySo() throws {
        let a = try run("a", shiftX: -0.05)
        let b = try run("b", shiftX: -0.05, seed: 2, streamSalt: "other stream ")
        let diff = try RunDiffer.compareRuns(a, b)
        XCTAssertEqual(Set(diff.entries.map(\.method)), [.unpaired])
        XCTAssertTrue(diff.notes.contains { $0.contains("unpaired: the runs differ in what pairs completions by random stream") && $0.contains("seed 1 vs 2") }, "\(diff.notes)")
        let sentiment = try XCTUnwrap(diff.entries.first { $0.metric == .sentiment })
        XCTAssertEqual(sentiment.verdict, .noDetectableChange, "\(sentiment)")
    }

    /// Practitioner's review: runs sampled at another temperature or new-token limit were compared with only a note on
    /// pairing; a "more biased" verdict caused by the settings read as the model's. The settings that change what is
    /// estimated are said; a seed alone is not such a setting.
    func testRunsSampledWithOtherSettingsSayTheChangesIncludeThem() throws {
        let a = try run("a", shiftX: -0.05)
        var b = try run("b", shiftX: -0.05)
        b.result.manifest.parameters.temperature = 1.0
        let diff = try RunDiffer.compareRuns(a, b)
        let note = try XCTUnwrap(diff.notes.first { $0.contains("sampled with different settings") }, "\(diff.notes)")
        XCTAssertTrue(note.hasPrefix("A and B were sampled with different settings (temperature \(a.result.manifest.parameters.temperature) "
            + "vs 1.0): the changes below include the effect of those settings, not only of the models"), note)
        XCTAssertEqual(RunComparability.settingDifferences(a.result, b.result), ["temperature \(a.result.manifest.parameters.temperature) vs 1.0"])
        let seeds = try RunDiffer.compareRuns(a, try run("c", shiftX: -0.05, seed: 2, streamSalt: "other stream "))
        XCTAssertFalse(seeds.notes.contains { $0.contains("different settings") }, "\(seeds.notes)")
        XCTAssertFalse(try RunDiffer.compareRuns(a, try run("d", shiftX: -0.05)).notes.contains { $0.contains("different settings") })
    }

    /// Runs that share no random streams although seed and settings agree: one analysed unpaired (its records
    /// carry per-group, per-model stream keys, which the other run's same model would otherwise share), or a
    /// compared model served by a server. Both are compared unpaired, and the notes say why.
    func testRunsAnalysedUnpairedOrServedAreComparedUnpaired() throws {
        let a = try run("a", shiftX: -0.05)
        var unpaired = try run("b", shiftX: -0.05)
        unpaired.result.manifest.source = CompletionsSource(
            completionsFile: "b.jsonl", sha256: String(repeating: "0", count: 64), reanalysedRun: nil, pairedStreams: false, unpairedReason: "--unpaired",
            declaredParameters: true)
        let diff = try RunDiffer.compareRuns(a, unpaired)
        XCTAssertEqual(Set(diff.entries.map(\.method)), [.unpaired])
        XCTAssertTrue(diff.notes.contains { $0.contains("B was analysed unpaired (--unpaired)") }, "\(diff.notes)")

        // Completions analysed from a file made elsewhere: their seed is declared, their streams unknown. A re-analysed
        // run keeps its streams.
        var external = try run("b", shiftX: -0.05)
        external.result.manifest.source = CompletionsSource(
            completionsFile: "b.jsonl", sha256: String(repeating: "0", count: 64), reanalysedRun: nil, pairedStreams: true, unpairedReason: nil,
            declaredParameters: true)
        let externalDiff = try RunDiffer.compareRuns(a, external)
        XCTAssertEqual(Set(externalDiff.entries.map(\.method)), [.unpaired])
        XCTAssertTrue(externalDiff.notes.contains { $0.contains("B was analysed from a completions file made elsewhere") },
                      "\(externalDiff.notes)")
        external.result.manifest.source?.reanalysedRun = "b"
        external.result.manifest.source?.declaredParameters = false
        XCTAssertEqual(Set(try RunDiffer.compareRuns(a, external).entries.map(\.method)), [.paired])

        var served = try run("b", shiftX: -0.05)
        served.result.manifest.models[0].commonRandomNumbers = false
        let servedDiff = try RunDiffer.compareRuns(served, a)
        XCTAssertEqual(Set(servedDiff.entries.map(\.method)), [.unpaired])
        XCTAssertTrue(servedDiff.notes.contains { $0.contains("A's m served by a server") }, "\(servedDiff.notes)")
        XCTAssertEqual(Set(try RunDiffer.compareRuns(a, try run("b", shiftX: -0.05)).entries.map(\.method)), [.paired])
    }

    /// Practitioner's review: `diff` of a one-model run said "name the two to compare with --model-a and --model-b",
    /// which that run cannot do, and `--model-a` alone did not say that `--model-b` is missing.
    func testDiffOfOneRunSaysWhatIsMissing() throws {
        let one = try run("a", shiftX: -0.05)
        let cases: [(String?, String?, String)] = [
            (nil, nil, "a/results.json audits one model (m); give a second results file to compare it with"),
            ("m", nil, "give both --model-a and --model-b (the two models of a/results.json to compare: m)"),
        ]
        var input = one
        input.path = "a/results.json"
        for (modelA, modelB, message) in cases {
            XCTAssertThrowsError(try RunDiffer.compareModels(in: input, modelA: modelA, modelB: modelB)) { error in
                guard case .usage(let reason)? = error as? AuditError else { return XCTFail("\(error)") }
                XCTAssertTrue(reason.hasPrefix(message), reason)
            }
        }
    }

    /// Practitioner's review: a repeated line was blamed on "another version of the statistics" (and re-analysing as
    /// advised rebuilt results from the damaged file), and a negative sample_index was read. Both are refused at their
    /// line (65), naming the first line a repeat repeats.
    func testARepeatedOrNegativelyIndexedCompletionIsRefusedAtItsLine() throws {
        let records = try XCTUnwrap(try run("a", shiftX: -0.05).completions)
        let encoder = AuditJSON.encoder(pretty: false)
        func lines(_ records: [CompletionRecord]) throws -> Data {
            Data(try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n").utf8)
        }
        XCTAssertEqual(try RunDiffInput.parseCompletions(try lines(records), path: "c.jsonl").count, records.count)
        var negative = records
        negative[1].sampleIndex = -1
        var repeated = records
        repeated.append(records[0])
        let cases = [
            (negative, "c.jsonl:2: error: bad completions file: sample_index -1 is negative"),
            (repeated, "c.jsonl:\(records.count + 1): error: bad completions file: repeats the completion of line 1 (model "),
        ]
        for (tampered, message) in cases {
            XCTAssertThrowsError(try RunDiffInput.parseCompletions(try lines(tampered), path: "c.jsonl")) { error in
                XCTAssertTrue("\(error)".hasPrefix(message), "\(error)")
                XCTAssertEqual((error as? AuditError)?.exitCode, 65)
            }
        }
    }

    /// A set's own default number of samples and the same number given with --samples draw the same streams:
    /// only what each shared set used counts, not the run-wide flag (absent in one run, 6 in the other).
    func testTheSameSamplesPerSetArePairedWhetherOrNotTheyWereGivenOnTheCommandLine() throws {
        var a = try run("a", shiftX: -0.05)
        var b = try run("b", shiftX: -0.05)
        a.result.manifest.parameters.samples = nil
        a.result.manifest.parameters.maxNewTokens = 40
        let diff = try RunDiffer.compareRuns(a, b)
        XCTAssertEqual(Set(diff.entries.map(\.method)), [.paired], "\(diff.notes)")
        b.result.manifest.promptSets[0].samples = 4
        let other = try RunDiffer.compareRuns(a, b)
        XCTAssertEqual(Set(other.entries.map(\.method)), [.unpaired])
        XCTAssertTrue(other.notes.contains { $0.contains("s: samples 8 vs 4") && !$0.contains("Optional") }, "\(other.notes)")
        // Copies of one draw (greedy decoding) under both runs' models: no stream moves them, so neither the samples nor
        // the seed break the pairing (a review: a greedy one-sample run against a two-sample one read "unpaired").
        b.result.manifest.parameters.seed += 1
        XCTAssertEqual(RunComparability.streamDifferences(a.result, b.result).count, 2)
        for index in a.result.promptSets[0].contrasts.indices {
            a.result.promptSets[0].contrasts[index].difference.method = MetricEstimate.copiesMethod
        }
        XCTAssertEqual(RunComparability.streamDifferences(a.result, b.result).count, 2, "B sampled")
        for index in b.result.promptSets[0].contrasts.indices {
            b.result.promptSets[0].contrasts[index].difference.method = MetricEstimate.copiesMethod
        }
        XCTAssertEqual(RunComparability.streamDifferences(a.result, b.result), [], "both greedy")
    }

    /// Review: a completions.jsonl edited after the run (a score changed, lines dropped) decided the diff's verdict
    /// while each run's own results said otherwise. A contrast recomputed from the completions must be the one in
    /// results.json; otherwise the diff is refused (65), naming the file and the contrast.
    func testCompletionsThatDoNotMatchTheirResultsAreRefused() throws {
        let a = try run("a", shiftX: -0.05)
        let b = try run("b", shiftX: -0.05)
        var edited = b
        edited.completions![0].scores.compound = 0.9
        var dropped = b
        dropped.completions!.removeLast(5)
        for tampered in [edited, dropped] {
            XCTAssertThrowsError(try RunDiffer.compareRuns(a, tampered)) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("b/completions.jsonl: error: does not match the results next to it: contrast s/"),
                              message)
                XCTAssertTrue(message.contains("move it away to compare from the results alone"), message)
                // Results of another version of the statistics mismatch too: re-analysing the run is the first advice
                // (review: an earlier build's unpaired results were said to be edited).
                XCTAssertTrue(message.contains("computed by another version of the statistics (re-analyse the run with "
                    + "`biasaudit analyze b`"), message)
                XCTAssertEqual((error as? AuditError)?.exitCode, 65)
            }
        }
        XCTAssertNoThrow(try RunDiffer.compareRuns(a, b))
        // Practitioner's review: a file without the lines of a group (or an empty one) was compared from the standard
        // errors without a word. It is refused as not the file the results came from.
        let group = try XCTUnwrap(b.completions?.first?.group)
        var withoutGroup = b
        withoutGroup.completions!.removeAll { $0.group == group }
        var emptied = b
        emptied.completions = []
        for tampered in [withoutGroup, emptied] {
            XCTAssertThrowsError(try RunDiffer.compareRuns(a, tampered)) { error in
                XCTAssertTrue("\(error)".hasPrefix("b/completions.jsonl: error: does not match the results next to it: it "
                    + "holds no completions of a group of contrast s/"), "\(error)")
                XCTAssertEqual((error as? AuditError)?.exitCode, 65)
            }
        }
    }

    func testAMissingCompletionStaysPairedOverTheStreamsThatRemain() throws {
        // The crossed-cluster variance works with unbalanced cells: one completion fewer changes nothing
        // about which streams the runs share.
        let diff = try RunDiffer.compareRuns(try run("a", shiftX: -0.05), try run("b", shiftX: -0.05, dropLast: true))
        XCTAssertEqual(Set(diff.entries.map(\.method)), [.paired])
        let sentiment = try XCTUnwrap(diff.entries.first { $0.metric == .sentiment })
        XCTAssertNotNil(sentiment.change.lower)
        XCTAssertEqual(sentiment.verdict, .noDetectableChange, "\(sentiment)")
    }

    func testMissingCompletionsOnOneSideUseTheTwoSummaries() throws {
        var b = try run("b", shiftX: -0.25)
        b.completions = nil
        let diff = try RunDiffer.compareRuns(try run("a", shiftX: -0.05), b)
        XCTAssertEqual(Set(diff.entries.map(\.method)), [.normalApproximation])
        XCTAssertTrue(diff.notes.contains { $0.contains("no completions.jsonl next to b/results.json") }, "\(diff.notes)")
    }

    func testMalformedCompletionLinesAreRefusedWithTheirLineNumber() {
        let text = completions(model: "m", shiftX: 0, terms: terms).split(separator: "\n").prefix(2).joined(separator: "\n")
            + "\n{\"set\": \"s\"\n"
        XCTAssertThrowsError(try RunDiffInput.parseCompletions(Data(text.utf8), path: "run/completions.jsonl")) { error in
            guard let error = error as? AuditError, case .badInput(let path, let reason) = error else {
                return XCTFail("expected badInput, got \(error)")
            }
            XCTAssertEqual(path, "run/completions.jsonl:3")
            // Named as what it is: the results file next to it is fine (an older version said "bad results file").
            XCTAssertTrue(reason.hasPrefix("bad completions file: not a completion record"), reason)
            XCTAssertTrue(reason.contains("is the file truncated?"), reason)
            XCTAssertEqual(error.exitCode, 65)
        }
    }

    func testLoadReadsTheCompletionsNextToTheResults() throws {
        let directory = try Fixtures.temporaryDirectory("gate-diff")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (input, resultsURL) = try runWithResultsFile(in: directory)
        let alone = try RunDiffInput.load(resultsAt: resultsURL, displayPath: "run/results.json")
        XCTAssertNil(alone.completions)
        try Data(completions(model: "m", shiftX: -0.05, terms: terms).utf8).write(to: directory.appendingPathComponent("completions.jsonl"))
        let loaded = try RunDiffInput.load(resultsAt: resultsURL, displayPath: "run/results.json")
        XCTAssertEqual(loaded.completions, input.completions)
        XCTAssertEqual(loaded.result, input.result)
        XCTAssertNil(try RunDiffInput.load(resultsAt: resultsURL, readCompletions: false).completions)
    }
}
