import AuditResults
import Foundation
import InputFiles
import PromptSets
import Statistics

/// Computes ``RunDiff``s: two models of one run, or two saved runs.
///
/// Every entry is a primary contrast compared with the joint test of `Statistics.modelDifference`:
/// - Two models of one run: the run's own `model_comparisons` (paired by term and random stream, unless a model is
///   served or the run was analysed unpaired: their `paired` says which).
/// - Two runs with `completions.jsonl` next to both results: recomputed from the completions, paired
///   when the runs share random streams (``RunComparability/sharesRandomStreams(_:_:modelA:modelB:)``), with
///   the streams as separate clusters otherwise (the terms shared).
/// - Two runs without completions: from the two contrasts' standard errors (`modelDifference(first:second:sameTemplates:settings:)`).
/// q-values are Benjamini–Hochberg within each prompt set × model pair of the diff's entries, and the verdict is
/// ``ModelComparison/computedVerdict``.
public enum RunDiffer {
    /// Compares two models of one run.
    /// - Parameters:
    ///   - input: the run.
    ///   - modelA: side A's model; with `modelB` both `nil`, a run of exactly two models compares them in run order.
    ///   - modelB: side B's model.
    /// - Throws: ``AuditError/usage(_:)`` for a missing or unknown model; ``AuditError/badInput(path:reason:)``
    ///   when the run holds no comparison of the two.
    public static func compareModels(in input: RunDiffInput, modelA: String?, modelB: String?) throws -> RunDiff {
        let result = input.result
        let models = result.manifest.models.map(\.id)
        let (first, second): (String, String)
        switch (modelA, modelB) {
        case (let a?, let b?): (first, second) = (a, b)
        case (nil, nil) where models.count == 2: (first, second) = (models[0], models[1])
        case (nil, nil) where models.count < 2:
            // One model has nothing to compare with inside its run (practitioner's review: told to name two models).
            throw AuditError.usage("\(input.path) audits one model (\(shownList(models))); give a second "
                + "results file to compare it with (biasaudit diff A/results.json B/results.json)")
        case (_?, nil), (nil, _?):
            throw AuditError.usage("give both --model-a and --model-b (the two models of \(input.path) to compare: "
                + "\(shownList(models)))")
        default:
            throw AuditError.usage("\(input.path) audits \(ReportNumbers.counted(models.count, "model")) (\(shownList(models))); "
                + "name the two to compare with --model-a and --model-b")
        }
        for (option, model) in [("--model-a", first), ("--model-b", second)] where !models.contains(model) {
            throw AuditError.usage(notInRun(model, option: option, models: models, path: input.path))
        }
        guard first != second else {
            throw AuditError.usage("--model-a and --model-b are both '\(first)'; name two different models")
        }
        var entries: [RunDiffEntry] = []
        var indices: [String: [PromptSetResult.ContrastKey: Contrast]] = [:]  // per set, built when first needed
        for comparison in result.modelComparisons where comparison.metric.isPrimary {
            let forward = comparison.modelA == first && comparison.modelB == second
            guard forward || (comparison.modelA == second && comparison.modelB == first) else { continue }
            let set = result.promptSets.first { $0.name == comparison.set }
            let contrast = set?.contrasts.first { $0.id == comparison.contrastID }
            var entry = RunDiffEntry(
                forward ? comparison : comparison.reversed, axis: set?.axis ?? "", groupA: contrast?.groupA ?? "",
                groupB: contrast?.groupB ?? "", method: comparison.paired ? .paired : .unpaired,
                threshold: result.manifest.parameters.findingThreshold)
            if let set, indices[set.name] == nil { indices[set.name] = set.contrastsByIDAndModel() }
            let index = set.flatMap { indices[$0.name] }
            let sides = [first, second].map { index?[.init(id: comparison.contrastID, model: $0)] }
            // Undefined under a model (a group without completions there, or groups that share no template), not too
            // thin: not compared, as between two runs (practitioner's review: such rows said "paired" for a change never
            // computed), and not counted again among those on different templates (a review: both notes for one row).
            if [comparison.contrastA, comparison.contrastB].contains(where: { $0?.isUndefined ?? false }) {
                entry.method = .notCompared
            } else if let a = sides[0], let b = sides[1], !a.comparesTheSameTemplates(as: b), entry.verdict == .undetermined {
                entry.onDifferentTemplates = true
            }
            entries.append(entry)
        }
        // In the order of the sets and of each set's contrasts, as between two runs (a CI team's review: one run's rows
        // came by metric, then pair, two runs' by pair, then metric, so the two kinds of artefact did not line up).
        let setRank = Dictionary(result.promptSets.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let contrastRank = Dictionary(
            result.promptSets.flatMap { set in set.contrasts.enumerated().map { ("\(set.name)\u{0}\($1.id)", $0) } },
            uniquingKeysWith: { first, _ in first })
        entries = entries.enumerated().map { offset, entry in
            (set: setRank[entry.set] ?? .max, contrast: contrastRank["\(entry.set)\u{0}\(entry.contrastID)"] ?? .max,
             offset: offset, entry: entry)
        }.sorted { ($0.set, $0.contrast, $0.offset) < ($1.set, $1.contrast, $1.offset) }.map(\.entry)
        guard !entries.isEmpty else {
            throw AuditError.badInput(path: input.path, reason: "the results hold no model comparison of '\(first)' "
                + "and '\(second)'; re-run the audit with both models")
        }
        let pairedCount = entries.filter { $0.method == .paired }.count
        let notCompared = entries.filter { $0.method == .notCompared }.count
        let templateNotes = differentTemplatesNotes(entries)
        // Rows not compared are not counted among the paired or unpaired ones, and are said as between two runs (code
        // review: "3 of 4 paired" beside a row never computed).
        let undefinedNote = notCompared == 0 ? [] : ["\(ReportNumbers.counted(notCompared, "change")) not computed: the contrast is undefined "
            + "under one model (\(RunDiffEntry.whyUndefined)), so its change is undetermined."]
        // Copies of one draw under both models: paired by term (or prompt) alone (a teacher's review).
        let pairedBy = Set([first, second]).isSubset(of: result.modelsWithCopiesOfOneDraw)
            ? Self.units(of: [result], plural: false) : "\(Self.units(of: [result], plural: false)) and random stream"
        let copies: String = Self.copiesNote(result, models: [first, second]).map { " " + $0 } ?? ""
        var diff = RunDiff(
            a: RunDiffSide(path: input.path, models: [first]), b: RunDiffSide(path: input.path, models: [second]),
            confidenceLevel: result.manifest.parameters.confidenceLevel, entries: entries, onlyInA: [], onlyInB: [],
            notes: ["Both models come from one run: intervals are the run's model comparisons ("
                + "\(pairedCount) of \(entries.count - notCompared) paired by \(pairedBy))." + copies] + undefinedNote
                + templateNotes + [result.injectedBiasNote(run: "The run", models: [first, second]), result.manifest.fewSamplesNote(run: "The run")
                    .map { $0 + "." },
                    result.sweepNote(run: "The run", role: "the comparison uses", action: "compare it").map { $0 + "." }]
                    .compactMap { $0 })
        diff.falseDiscoveryRate = result.manifest.parameters.findingThreshold
        return diff
    }

    /// Said after the pairing where the samples of each prompt were copies of one draw (greedy decoding) under
    /// `models` or some of them: those have no random streams, and each prompt counts once (a teacher's review: a
    /// greedy run's diff said "paired by term and random stream" and nothing more); empty otherwise.
    /// `run` names the run ("A") where two runs are compared; the change's variation is said only where every model
    /// compared wrote copies (a review: "a change varies only between terms" beside a model that sampled), between the
    /// units the runs' groups are made of (terms, prompts, or both; a review: "(or fixed prompts)" in a run of terms).
    static func copiesNote(_ result: AuditResult, models: [String], run: String? = nil, everyModel: Bool? = nil) -> String? {
        let copied = models.filter(result.modelsWithCopiesOfOneDraw.contains)
        guard !copied.isEmpty else { return nil }
        let all = everyModel ?? (copied.count == models.count)
        let who = copied.count == models.count && models.count > 1 ? "both models"
            : copied.map { "'\(TextEscaping.excerpt($0))'" }.joined(separator: " and ")
        return (run.map { "\($0): under " } ?? "Under ") + "\(who) every sample of a prompt is the same text (as greedy "
            + "decoding, top-k 1, writes them): one draw, so there are no random streams and each prompt counts once"
            + (all ? "; a change varies only between \(units(of: [result], plural: true))." : ".")
    }

    /// What the analysed groups of `results`' sets are made of: "terms", "prompts", or "terms or prompts" (singular
    /// when not `plural`).
    static func units(of results: [AuditResult], plural: Bool) -> String {
        let fixed = results.flatMap(\.analysedGroupsAreFixedPrompts)
        let (one, many) = !fixed.contains(true) ? ("term", "terms")
            : fixed.allSatisfy { $0 } ? ("prompt", "prompts") : ("term or prompt", "terms or prompts")
        return plural ? many : one
    }

    /// A note when two results files hold the same results and the comparison pairs each model with itself (one file
    /// given twice, or a CI artifact of the wrong job: nothing can have changed); nil otherwise, also when `modelB`
    /// names another model than `modelA` (two models of one run). `sides` names the two ("A and B"), `second` the one to
    /// check ("B"). Practitioner's review: `diff` and `check --baseline` said nothing of it.
    public static func sameResultsNote(
        _ a: AuditResult, _ b: AuditResult, modelA: String?, modelB: String?, sides: String = "A and B", second: String = "B"
    ) -> String? {
        guard (modelB ?? modelA) == modelA, a == b else { return nil }
        return "\(sides) hold the same results (the same file, or a copy of it), so nothing can have changed; check that "
            + "\(second) is the run you meant to compare"
    }

    /// Compares two saved runs, contrast by contrast.
    /// - Parameters:
    ///   - a: run A (the reference or baseline).
    ///   - b: run B (the candidate).
    ///   - modelA: A's model (default: A's only model, or every model id both runs share).
    ///   - modelB: B's model (default: as `modelA`).
    /// - Throws: ``AuditError/badInput(path:reason:)`` for runs that are not comparable,
    ///   ``AuditError/usage(_:)`` when the models cannot be paired.
    public static func compareRuns(_ a: RunDiffInput, _ b: RunDiffInput, modelA: String? = nil, modelB: String? = nil)
        throws -> RunDiff
    {
        let common = try RunComparability.check(a.result, path: a.path, against: b.result, path: b.path)
        let pairs = try modelPairs(a, b, modelA: modelA, modelB: modelB)
        let parameters = a.result.manifest.parameters
        var estimator = ChangeEstimator(
            a: a.completions, b: b.completions, completionsPaths: (a.completionsPath, b.completionsPath),
            settings: InferenceSettings(
                confidence: parameters.confidenceLevel,
                power: parameters.analysis?.power ?? InferenceSettings.standard.power,
                minimumWeight: parameters.analysis.map { Double($0.minimumGenderedWords) }
                    ?? InferenceSettings.standard.minimumWeight,
                minimumEvents: parameters.analysis?.minimumEvents.map(Double.init)
                    ?? InferenceSettings.standard.minimumEvents),
            decoding: (AuditAnalysis.Settings(recordedIn: a.result.manifest), AuditAnalysis.Settings(recordedIn: b.result.manifest)))
        var comparisons: [(ModelComparison, DiffMethod, axis: String, groupA: String, groupB: String, templates: Bool)] = []
        var onlyInA: [String] = []
        var onlyInB: [String] = []
        var streamDifferences: [String] = []
        for (first, second) in pairs {
            // One results file given twice (or a copy) holds the same completions on both sides, paired whatever made
            // them (a review: an `analyze` output compared with itself said "the runs differ in what pairs completions").
            let differences = first == second && a.result == b.result
                ? [] : RunComparability.streamDifferences(a.result, b.result, modelA: first, modelB: second)
            streamDifferences += differences.filter { !streamDifferences.contains($0) }
            for name in common {
                let setA = a.result.promptSets.first { $0.name == name }!
                let setB = b.result.promptSets.first { $0.name == name }!
                let contrastsA = setA.contrasts.filter { $0.model == first }
                let contrastsB = setB.contrasts.filter { $0.model == second }
                // The metrics each set tests (its primary_metrics): descriptive ones get no verdict and no q, and are
                // never compared, so a missing counterpart leaves nothing out (a review: "Only in A" listed positive_rate
                // and lexicon_coverage contrasts, as if they would have been compared).
                let compared = { (contrast: Contrast) in setA.isTested(contrast.metric) && setB.isTested(contrast.metric) }
                onlyInA += contrastsA.filter { c in compared(c) && !contrastsB.contains { $0.id == c.id } }
                    .map { "\($0.id) (\(first))" }
                onlyInB += contrastsB.filter { c in compared(c) && !contrastsA.contains { $0.id == c.id } }
                    .map { "\($0.id) (\(second))" }
                for contrastA in contrastsA where compared(contrastA) {
                    guard let contrastB = contrastsB.first(where: { $0.id == contrastA.id }) else { continue }
                    let (comparison, method, differentTemplates) = try estimator.compare(
                        contrastA: contrastA, contrastB: contrastB, set: name, groupsA: setA.groups, groupsB: setB.groups,
                        modelA: first, modelB: second, paired: differences.isEmpty)
                    comparisons.append((comparison, method, setA.axis, contrastA.groupA, contrastA.groupB, differentTemplates))
                }
            }
        }
        // Both runs' level (refused above when they differ).
        let threshold = b.result.manifest.parameters.findingThreshold
        let assigned = try AuditAnalysis.assignComparisonQValues(comparisons.map(\.0), threshold: threshold)
        let entries = zip(assigned, comparisons).map { comparison, info in
            var entry = RunDiffEntry(
                comparison, axis: info.axis, groupA: info.groupA, groupB: info.groupB, method: info.1, threshold: threshold)
            if info.templates, entry.verdict == .undetermined, entry.method != .notCompared { entry.onDifferentTemplates = true }
            return entry
        }
        // Copies of one draw (greedy decoding) under every compared model of both runs: pairs by term or prompt alone (a
        // review: "paired by term and random stream … (common random numbers)" of two greedy runs).
        let allCopies = Set(pairs.map(\.0)).isSubset(of: a.result.modelsWithCopiesOfOneDraw)
            && Set(pairs.map(\.1)).isSubset(of: b.result.modelsWithCopiesOfOneDraw)
        var notes = estimator.notes(
            a: a, b: b, streamDifferences: streamDifferences,
            copiesPairedBy: allCopies ? Self.units(of: [a.result, b.result], plural: false) : nil)
        notes += [Self.copiesNote(a.result, models: Array(Set(pairs.map(\.0))).sorted(), run: "A", everyModel: allCopies),
                  Self.copiesNote(b.result, models: Array(Set(pairs.map(\.1))).sorted(), run: "B", everyModel: allCopies)]
            .compactMap { $0 }
        notes += differentTemplatesNotes(entries)
        if let note = RunComparability.settingsNote(a.result, b.result, sides: "A and B", changes: "the changes below") {
            notes.append(note + ".")
        }
        notes += [a.result.injectedBiasNote(run: "A", models: pairs.map(\.0)),
                  b.result.injectedBiasNote(run: "B", models: pairs.map(\.1))].compactMap { $0 }
        notes += [a.result.manifest.fewSamplesNote(run: "A"), b.result.manifest.fewSamplesNote(run: "B")].compactMap { $0.map { $0 + "." } }
        notes += [a.result.sweepNote(run: "A", role: "the comparison uses", action: "compare it"),
                  b.result.sweepNote(run: "B", role: "the comparison uses", action: "compare it")].compactMap { $0.map { $0 + "." } }
        let setsOnlyA = a.result.promptSets.map(\.name).filter { !common.contains($0) }
        let setsOnlyB = b.result.promptSets.map(\.name).filter { !common.contains($0) }
        if !setsOnlyA.isEmpty { notes.append("Prompt sets only in A, not compared: \(setsOnlyA.joined(separator: ", ")).") }
        if !setsOnlyB.isEmpty { notes.append("Prompt sets only in B, not compared: \(setsOnlyB.joined(separator: ", ")).") }
        // Models audited on one side only (review: a candidate's new model passed `check --baseline` unexamined); with
        // --model-a/--model-b the user chose the pair, and the other models are left out on purpose.
        let explicit = modelA != nil || modelB != nil
        let modelsOnlyA = explicit ? [] : a.result.manifest.models.map(\.id).filter { id in !pairs.contains { $0.0 == id } }
        let modelsOnlyB = explicit ? [] : b.result.manifest.models.map(\.id).filter { id in !pairs.contains { $0.1 == id } }
        if !modelsOnlyA.isEmpty { notes.append("Models only in A, not compared: \(shownList(modelsOnlyA)).") }
        if !modelsOnlyB.isEmpty {
            notes.append("Models only in B, not compared: \(shownList(modelsOnlyB)) (pair one with a model of A "
                + "with --model-a and --model-b).")
        }
        var diff = RunDiff(
            a: RunDiffSide(path: a.path, models: pairs.map(\.0)), b: RunDiffSide(path: b.path, models: pairs.map(\.1)),
            confidenceLevel: parameters.confidenceLevel, entries: entries, onlyInA: onlyInA, onlyInB: onlyInB,
            notes: notes)
        diff.falseDiscoveryRate = threshold
        diff.modelsOnlyInA = modelsOnlyA.isEmpty ? nil : modelsOnlyA
        diff.modelsOnlyInB = modelsOnlyB.isEmpty ? nil : modelsOnlyB
        func onOneSide(_ run: RunDiffInput) -> [SetOnOneSide]? {
            let sets = run.result.promptSets.filter { !common.contains($0.name) }.map { set in
                SetOnOneSide(name: set.name, axis: set.axis, metrics: set.metrics.filter(set.isTested))
            }
            return sets.isEmpty ? nil : sets
        }
        (diff.setsOnlyInA, diff.setsOnlyInB) = (onOneSide(a), onOneSide(b))
        return diff
    }

    /// `check --baseline`'s note on the models `--model-a`/`--model-b` leave out of `diff` (A the baseline, B the results),
    /// whose growth no rule judges, or nil when none is: "… the growth of gpt2 is not judged (gate it in a check of its
    /// own)", naming each run's where they differ (with `--model-a a --model-b b` on two runs of a and b, the baseline's
    /// b and the results' a: a code review), and nothing for a pair of one-model runs (it printed "the growth of  is
    /// not judged").
    public static func leftOutByPairingNote(_ diff: RunDiff, baselineModels: [String], resultsModels: [String]) -> String? {
        let baselineLeftOut = baselineModels.filter { !diff.a.models.contains($0) }
        let resultsLeftOut = resultsModels.filter { !diff.b.models.contains($0) }
        let leftOut = baselineLeftOut == resultsLeftOut
            ? (baselineLeftOut.isEmpty ? [] : [shownList(baselineLeftOut)])
            : [(baselineLeftOut, "the baseline's"), (resultsLeftOut, "the results'")]
                .filter { !$0.0.isEmpty }
                .map { "\($0.1) \(shownList($0.0))" }
        guard !leftOut.isEmpty else { return nil }
        return "max_baseline_growth compares only the pair chosen by --model-a and --model-b "
            + "(\(shownList(diff.a.models)) → \(shownList(diff.b.models))); the growth of "
            + "\(leftOut.joined(separator: " and ")) is not judged (gate it in a check of its own)"
    }

    /// Model ids as messages show them: a space that prints as a plain one but is not (U+00A0, …) as its code, so that
    /// an id of a results file holding one can be typed (a review: "not in … (models: distil gpt2, gpt2)" with a raw
    /// U+00A0).
    static func shownList(_ models: [String]) -> String {
        models.map(TextEscaping.modelName).joined(separator: ", ")
    }

    /// "model 'x' (--model-a) is not in PATH (models: …)", and the id it differs from only by a space lookalike, if one
    /// does. The option is named (a CI team's review: with two files and two options the message did not say which).
    static func notInRun(_ model: String, option: String, models: [String], path: String) -> String {
        let plain = NameCharacters.readingSpaceLookalikesAsSpaces
        let alike = models.first { plain($0) == plain(model) }
        return "model '\(TextEscaping.modelName(model))' (\(option)) is not in \(path) (models: \(shownList(models)))"
            + (alike.map { "; '\(TextEscaping.modelName($0))' differs from it only by white space that prints "
                + "as a plain space: give it as written there" } ?? "")
    }

    /// Which model of A is compared with which model of B.
    static func modelPairs(_ a: RunDiffInput, _ b: RunDiffInput, modelA: String?, modelB: String?) throws
        -> [(String, String)]
    {
        let modelsA = a.result.manifest.models.map(\.id)
        let modelsB = b.result.manifest.models.map(\.id)
        func require(_ model: String, _ option: String, in models: [String], _ path: String) throws {
            guard models.contains(model) else {
                throw AuditError.usage(notInRun(model, option: option, models: models, path: path))
            }
        }
        func counterpart(of model: String, in models: [String]) -> String? {
            models.contains(model) ? model : models.count == 1 ? models[0] : nil
        }
        // Each run named by its path (in `check --baseline` the baseline, given second, is A).
        let hint = "\(TextEscaping.path(a.path)) audits \(shownList(modelsA)) and "
            + "\(TextEscaping.path(b.path)) audits \(shownList(modelsB)); choose with --model-a (a model of "
            + "\(TextEscaping.path(a.path))) and --model-b (one of \(TextEscaping.path(b.path)))"
        switch (modelA, modelB) {
        case (let first?, let second?):
            try require(first, "--model-a", in: modelsA, a.path)
            try require(second, "--model-b", in: modelsB, b.path)
            return [(first, second)]
        // One of the two given: the other side's model is the same id, or its only model; else the missing option is
        // named (a practitioner's review: the hint alone did not say which of the two was missing).
        case (let first?, nil):
            try require(first, "--model-a", in: modelsA, a.path)
            guard let second = counterpart(of: first, in: modelsB) else {
                throw AuditError.usage(missingOption("--model-b", given: ("--model-a", first), other: b.path, models: modelsB))
            }
            return [(first, second)]
        case (nil, let second?):
            try require(second, "--model-b", in: modelsB, b.path)
            guard let first = counterpart(of: second, in: modelsA) else {
                throw AuditError.usage(missingOption("--model-a", given: ("--model-b", second), other: a.path, models: modelsA))
            }
            return [(first, second)]
        case (nil, nil):
            if modelsA.count == 1, modelsB.count == 1 { return [(modelsA[0], modelsB[0])] }
            let shared = modelsA.filter(modelsB.contains)
            guard !shared.isEmpty else { throw AuditError.usage("the runs share no model: " + hint) }
            return shared.map { ($0, $0) }
        }
    }

    /// "give --model-b too: --model-a x was given, and B/results.json has no model 'x' (it audits a, b): name the one to
    /// compare with it".
    private static func missingOption(
        _ missing: String, given: (option: String, model: String), other path: String, models: [String]
    ) -> String {
        "give \(missing) too: \(given.option) \(TextEscaping.modelName(given.model)) was given, and \(TextEscaping.path(path)) "
            + "has no model of that name (it audits \(shownList(models))): name the one to compare it with"
    }

    /// The notes on the entries undetermined because their contrasts rest on different templates or different terms,
    /// if any.
    private static func differentTemplatesNotes(_ entries: [RunDiffEntry]) -> [String] {
        let templates = entries.filter { $0.onDifferentTemplates == true }
        let terms = entries.filter { $0.onDifferentTerms == true && $0.verdict == .undetermined }
        return [
            templates.first.map { RunDiffEntry.differentTemplatesNote(count: templates.count, example: $0.contrastID) },
            terms.first.map {
                RunDiffEntry.differentTermsNote(
                    count: terms.count, example: $0.contrastID,
                    fromSummaries: terms.contains { $0.method == .normalApproximation })
            },
        ].compactMap { $0 }
    }
}

extension ModelComparison {
    /// The same comparison with the two models swapped: B − A becomes A − B, more biased becomes less.
    var reversed: ModelComparison {
        var result = self
        (result.modelA, result.modelB) = (modelB, modelA)
        (result.valueA, result.valueB) = (valueB, valueA)
        (result.contrastA, result.contrastB) = (contrastB, contrastA)
        (result.pMoreBiased, result.pLessBiased) = (pLessBiased, pMoreBiased)
        result.difference.value = difference.value.map { -$0 }
        (result.difference.lower, result.difference.upper) = (difference.upper.map { -$0 }, difference.lower.map { -$0 })
        result.growth = growth.map { -$0 }
        result.verdict = verdict.map {
            switch $0 {
            case .moreBiased: .lessBiased
            case .lessBiased: .moreBiased
            default: $0
            }
        }
        return result
    }
}
