import AuditResults
import Foundation
import PromptSets
import Statistics

/// Whether two saved runs measure the same things, so that their contrasts can be subtracted.
///
/// Two runs are comparable when every prompt set they share has the same file contents (manifest
/// SHA-256) and the same metrics, and they scored with the same lexicons and sentiment thresholds.
/// Anything else (different models, seeds, sample counts) is exactly what a diff is for; those only
/// decide whether the change can be paired (``sharesRandomStreams(_:_:modelA:modelB:)``).
public enum RunComparability {
    /// Refuses runs that cannot be compared, with the reason.
    /// - Parameters:
    ///   - a: run A.
    ///   - aPath: A's path, for messages.
    ///   - b: run B.
    ///   - bPath: B's path, for messages (the error is reported at it).
    /// - Returns: the names of the prompt sets both runs audited, in A's order.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65) naming the first difference.
    @discardableResult
    public static func check(_ a: AuditResult, path aPath: String, against b: AuditResult, path bPath: String) throws
        -> [String]
    {
        func refuse(_ reason: String) -> AuditError {
            .badInput(path: bPath, reason: "cannot compare with \(aPath): \(reason)")
        }
        // Each side named by its path, not "A" and "B": in `check --baseline` the baseline, given second, is A
        // (practitioner's review).
        let (nameA, nameB) = (TextEscaping.path(aPath), TextEscaping.path(bPath))
        let setsB = Dictionary(b.promptSets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let common = a.promptSets.filter { setsB[$0.name] != nil }
        guard !common.isEmpty else {
            throw refuse("the runs share no prompt set (\(nameA): \(names(a)); \(nameB): \(names(b))); audit the same prompt sets")
        }
        let manifestB = Dictionary(b.manifest.promptSets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for set in common {
            let digestA = a.manifest.promptSets.first { $0.name == set.name }?.sha256
            let digestB = manifestB[set.name]?.sha256
            guard let digestA, let digestB else {
                throw refuse("prompt set '\(set.name)' is missing from a manifest, so its contents cannot be checked")
            }
            guard digestA == digestB else {
                // Say what changed where the results show it (review: a label-only edit read as a different set).
                let labelsA = set.groups.map { "\($0.id)=\($0.label)" }, labelsB = setsB[set.name]!.groups.map { "\($0.id)=\($0.label)" }
                let seen = labelsA != labelsB ? " (its group labels differ; any byte counts, a label or a description too)" : ""
                throw refuse("prompt set '\(set.name)' has different contents (sha256 \(digestA.prefix(12))… in \(nameA), "
                    + "\(digestB.prefix(12))… in \(nameB))\(seen): the YAML file changed between the runs; re-run the "
                    + "baseline with the current file, or the candidate with the baseline's")
            }
            let metricsB = setsB[set.name]!.metrics
            guard Set(set.metrics) == Set(metricsB) else {
                // Which metrics one side lacks, and why the usual one is missing (a teacher's review: a run against
                // `analyze` of a notebook file without next-token log-odds gave the two lists and no reason).
                func only(_ these: [AuditMetric], _ those: [AuditMetric], in name: String) -> String? {
                    let missing = these.filter { !those.contains($0) }
                    return missing.isEmpty ? nil : "\(missing.map(\.rawValue).joined(separator: ", ")) only in \(name)"
                }
                let sides = [only(set.metrics, metricsB, in: nameA), only(metricsB, set.metrics, in: nameB)].compactMap { $0 }
                // The side without the log-odds: from a completions file, they were not in it; from a run, its models gave
                // no next-token probabilities (a served model whose server returns none; a review).
                let lacking = set.metrics.contains(.heSheLogOdds) ? b : a
                let logOdds = set.metrics.contains(.heSheLogOdds) == metricsB.contains(.heSheLogOdds)
                    ? "; compare runs of the same prompt set file and metrics"
                    : lacking.manifest.source != nil
                        ? ": he_she_log_odds needs the next-token log-odds, which a completions file for `analyze` gives as "
                            + "next_token_log_odds on its lines; give it there (README, \"Bring your own completions\") or "
                            + "compare two runs that both have it"
                        : ": he_she_log_odds needs the next-token log-odds, which that run's models did not give (a served "
                            + "model whose server returns no log-probabilities); compare two runs that both have it"
                throw refuse("prompt set '\(set.name)' was audited with different metrics (\(sides.joined(separator: "; ")))"
                    + logOdds)
            }
        }
        let lexiconsA = a.manifest.lexicons.sorted { $0.name < $1.name }
        let lexiconsB = b.manifest.lexicons.sorted { $0.name < $1.name }
        guard lexiconsA == lexiconsB else {
            throw refuse("the runs scored with different lexicons (\(nameA): \(digests(lexiconsA)); \(nameB): \(digests(lexiconsB))), "
                + "so the metrics mean different things")
        }
        let (pa, pb) = (a.manifest.parameters, b.manifest.parameters)
        guard pa.positiveThreshold == pb.positiveThreshold, pa.negativeThreshold == pb.negativeThreshold else {
            throw refuse("the sentiment thresholds differ (\(nameA): \(pa.negativeThreshold)/\(pa.positiveThreshold); "
                + "\(nameB): \(pb.negativeThreshold)/\(pb.positiveThreshold)), so % negative and % positive mean different things")
        }
        // The minimum supports decide which contrasts have an interval and a test; compared under A's alone, a
        // contrast B calls too thin would be tested (and the reverse). Files written before a setting existed
        // count as its default, as the analysis reads them.
        let defaults = AnalysisParameters()
        let (aa, ab) = (pa.analysis ?? defaults, pb.analysis ?? defaults)
        let standardEvents = Int(InferenceSettings.standard.minimumEvents)
        let supports = [
            ("--min-events", aa.minimumEvents ?? standardEvents, ab.minimumEvents ?? standardEvents),
            ("--min-gendered-words", aa.minimumGenderedWords, ab.minimumGenderedWords),
        ]
        if let (flag, valueA, valueB) = supports.first(where: { $0.1 != $0.2 }) {
            throw refuse("the runs were analysed with different minimum supports (\(flag) \(valueA) in \(nameA), \(valueB) in \(nameB)), "
                + "so a contrast one calls too thin would be tested in the other; re-analyse one run with the other's "
                + "value (`biasaudit analyze RUN_DIR \(flag) N`, which regenerates nothing)")
        }
        // The confidence level sets every interval, the tests' α and the false discovery rate of verdicts: runs
        // analysed at 95% and 99% were compared under one heading "95%", with B's 99% intervals in a "95% CI" column
        // (statistician's review).
        guard pa.confidenceLevel == pb.confidenceLevel, pa.findingThreshold == pb.findingThreshold else {
            throw refuse("the runs were analysed at different confidence levels (\(pa.confidenceLevel) in \(nameA), "
                + "\(pb.confidenceLevel) in \(nameB); false discovery rate \(pa.findingThreshold) and \(pb.findingThreshold)), so "
                + "their intervals and verdicts mean different things; re-analyse one run at the other's level "
                + "(`biasaudit analyze RUN_DIR --confidence C`, which regenerates nothing)")
        }
        return common.map(\.name)
    }

    /// Whether sample `i` of a prompt drew the same random numbers in both runs (for model `modelA` of A and
    /// `modelB` of B; nil: every model of the run): see ``streamDifferences(_:_:modelA:modelB:)``.
    public static func sharesRandomStreams(
        _ a: AuditResult, _ b: AuditResult, modelA: String? = nil, modelB: String? = nil
    ) -> Bool {
        streamDifferences(a, b, modelA: modelA, modelB: modelB).isEmpty
    }

    /// What keeps two runs from sharing random streams, for the notes of a diff; empty when they share them.
    ///
    /// They share them when both were generated by biasaudit with common random numbers (neither was analysed
    /// unpaired, ``CompletionsSource/pairedStreams``, nor from a completions file made elsewhere, whose seed is only
    /// declared, ``CompletionsSource/reanalysedRun`` nil; and neither compared model is served,
    /// ``AuditManifest/modelsWithoutCommonRandomNumbers``) with the same seed and sampling parameters, and
    /// every prompt set both audited used the same samples and new-token limit (prompt-set contents are
    /// checked by ``check(_:path:against:path:)``). The run-wide `--samples` and `--max-new-tokens` are not
    /// compared: what each set used is, and a set's own default equals the same value given on the command line.
    /// - Parameters:
    ///   - modelA: the model of A that is compared (nil: every model of A).
    ///   - modelB: the model of B that is compared (nil: every model of B).
    public static func streamDifferences(
        _ a: AuditResult, _ b: AuditResult, modelA: String? = nil, modelB: String? = nil
    ) -> [String] {
        let (pa, pb) = (a.manifest.parameters, b.manifest.parameters)
        var differences: [String] = []
        for (side, result, model) in [("A", a, modelA), ("B", b, modelB)] {
            if let source = result.manifest.source, !source.pairedStreams {
                differences.append("\(side) was analysed unpaired (\(source.unpairedReason ?? "no common random numbers"))")
            } else if let source = result.manifest.source, source.completionsMadeElsewhere {
                // Completions made elsewhere (a notebook, an API): their seed is declared, their streams unknown.
                differences.append("\(side) was analysed from a completions file made elsewhere, whose random streams are "
                    + "unknown")
            }
            let served = result.manifest.modelsWithoutCommonRandomNumbers
                .filter { model == nil || $0 == model }.sorted()
            if !served.isEmpty {
                differences.append("\(side)'s \(served.joined(separator: ", ")) served by a server, whose random streams "
                    + "cannot be enforced")
            }
        }
        // Copies of one draw (greedy decoding) under every compared model of both runs: no random stream moves them, so
        // neither the seed nor the samples per prompt change what pairs them (a review: a greedy one-sample run against a
        // greedy two-sample run was "unpaired … samples 1 vs 2", beside notes saying there were no streams).
        func copies(_ result: AuditResult, _ model: String?) -> Bool {
            let compared = model.map { Set([$0]) } ?? Set(result.manifest.models.map(\.id))
            return !compared.isEmpty && compared.isSubset(of: result.modelsWithCopiesOfOneDraw)
        }
        let streamless = copies(a, modelA) && copies(b, modelB)
        if pa.seed != pb.seed, !streamless { differences.append("seed \(pa.seed) vs \(pb.seed)") }
        // The settings that change what is estimated break the pairing too; the samples per prompt only that.
        differences += settingDifferences(a, b)
        for setA in a.manifest.promptSets where !streamless {
            guard let setB = b.manifest.promptSets.first(where: { $0.name == setA.name }), setA.samples != setB.samples
            else { continue }
            differences.append("\(setA.name): samples \(setA.samples) vs \(setB.samples)")
        }
        return differences
    }

    /// The sampling settings in which two runs differ and which change what is estimated (temperature, top-k, top-p
    /// and each common set's new-token limit: a model's text, and so its bias, depends on them), for a note of `diff`
    /// and `check --baseline`; empty when they agree. The seed and the samples per prompt change only the draw and
    /// the precision, not the estimand, and are left out (they are said where they break the pairing:
    /// ``streamDifferences(_:_:modelA:modelB:)``). Practitioner's review: runs of different `--max-new-tokens` were
    /// compared with only a note on pairing, so a verdict caused by the settings read as the model's.
    public static func settingDifferences(_ a: AuditResult, _ b: AuditResult) -> [String] {
        let (pa, pb) = (a.manifest.parameters, b.manifest.parameters)
        var differences: [String] = []
        if pa.temperature != pb.temperature { differences.append("temperature \(pa.temperature) vs \(pb.temperature)") }
        if pa.topK != pb.topK { differences.append("top_k \(pa.topK) vs \(pb.topK)") }
        if pa.topP != pb.topP { differences.append("top_p \(pa.topP) vs \(pb.topP)") }
        for setA in a.manifest.promptSets {
            guard let setB = b.manifest.promptSets.first(where: { $0.name == setA.name }),
                setA.maxNewTokens != setB.maxNewTokens
            else { continue }
            differences.append("\(setA.name): max_new_tokens \(setA.maxNewTokens) vs \(setB.maxNewTokens)")
        }
        return differences
    }

    /// The note for ``settingDifferences(_:_:)`` (nil when there is none), the runs named by `sides` ("A and B").
    public static func settingsNote(_ a: AuditResult, _ b: AuditResult, sides: String, changes: String) -> String? {
        let differences = settingDifferences(a, b)
        guard !differences.isEmpty else { return nil }
        return "\(sides) were sampled with different settings (\(differences.joined(separator: "; "))): \(changes) include "
            + "the effect of those settings, not only of the models; audit both with the same settings to compare the models alone"
    }

    private static func names(_ result: AuditResult) -> String {
        result.promptSets.map(\.name).joined(separator: ", ")
    }

    private static func digests(_ files: [FileDigest]) -> String {
        files.map { "\($0.name) \($0.sha256.prefix(12))…" }.joined(separator: ", ")
    }
}
