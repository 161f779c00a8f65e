import AuditAnalysis
import AuditResults
import Foundation
import PromptSets

/// Applies a ``Policy`` to audit results (`biasaudit check`).
///
/// Every rule × subject ends in one ``PolicyOutcome/Status``: passed, failed, insufficient data (the
/// estimate is below its minimum support, e.g. a male share from a handful of gendered words; the value is
/// undefined, no data for a group; or two models' contrasts rest on different templates), or cannot fail
/// with this design (a q-gated rule over a contrast without a q-value, or a verdict-gated rule over a
/// comparison without a test). Model comparisons and baseline growth are judged with the verdict ``ModelComparison/computedVerdict`` assigns, the one the report and `diff` show; findings
/// are not re-decided here. Messages print every estimate with its own interval.
public enum PolicyEvaluator {
    /// Evaluates every rule against the results (and the baseline diff, for growth rules).
    /// - Parameters:
    ///   - policy: the policy.
    ///   - result: the results to gate.
    ///   - resultsPath: their path, for messages.
    ///   - baseline: the diff baseline → results (``RunDiffer/compareRuns(_:_:modelA:modelB:)``), required
    ///     when the policy has a `max_baseline_growth` rule.
    ///   - baselineResult: the baseline run's results, whose contrasts say where its groups share no template; nil
    ///     when not known (the growth rule then says so of the results' side only).
    ///   - strict: whether "insufficient data" and "cannot fail with this design" fail the gate (`--strict`).
    /// - Returns: every outcome; the gate passes when ``PolicyReport/holds``.
    /// - Throws: what ``validate(_:against:resultsPath:)`` throws; ``AuditError/usageAt(path:reason:)`` at the
    ///   rule when a growth rule has no baseline.
    public static func evaluate(
        _ policy: Policy, result: AuditResult, resultsPath: String, baseline: RunDiff?, baselineResult: AuditResult? = nil,
        leftOutByPairing: [String] = [], strict: Bool = false
    ) throws -> PolicyReport {
        try validate(policy, against: result, resultsPath: resultsPath, baselineOnly: baseline, leftOutByPairing: leftOutByPairing)
        var outcomes: [PolicyOutcome] = []
        for rule in policy.rules {
            let checks: [PolicyOutcome]
            switch rule.kind {
            case .maxAbsContrast(let max, let q):
                checks = contrastOutcomes(rule, result: result, max: max, qBelow: q)
            case .maxModelDifference(let max, let significant):
                checks = modelDifferenceOutcomes(rule, result: result, max: max, onlyWhenSignificant: significant)
            case .maxBaselineGrowth(let max):
                guard let baseline else {
                    throw AuditError.usageAt(
                        path: "\(policy.path):\(rule.location)",
                        reason: "rule '\(rule.id)' (max_baseline_growth) compares against a baseline run; "
                            + "pass --baseline BASELINE.json")
                }
                checks = growthOutcomes(rule, diff: baseline, result: result, baselineResult: baselineResult, max: max)
            case .minLexiconCoverage(let min):
                checks = coverageOutcomes(rule, result: result, min: min)
            }
            // A set the rule covers whose completions carry no next-token log-odds has no he_she_log_odds to check:
            // said, not passed over (one set of several without them left the rule holding on the others alone).
            let uncovered = withoutLogOdds(rule, result: result)
            // A rule that finds nothing to check (a results file without the estimates it checks) has not held: it
            // could not be judged. One "insufficient data" warning says so, and fails the gate under --strict.
            outcomes += checks.isEmpty && uncovered.isEmpty ? [nothingToCheck(rule)] : checks + uncovered
        }
        return PolicyReport(
            policyPath: policy.path, resultsPath: resultsPath, ruleIDs: policy.rules.map(\.id), outcomes: outcomes,
            strict: strict,
            ruleDescriptions: Dictionary(
                policy.rules.compactMap { rule in rule.description.map { (rule.id, $0) } }, uniquingKeysWith: { first, _ in first }),
            completionsSHA256: result.manifest.completionsSHA256)
    }

    /// How far a measured value may pass a limit and still meet it: floating-point rounding (two contrasts printed
    /// alike differed by 2.8e-17 and failed `max: 0`: review).
    public static let limitTolerance = 1e-12

    /// Whether `value` is above `limit` by more than rounding (``limitTolerance``).
    public static func exceeds(_ value: Double, _ limit: Double) -> Bool { value > limit + limitTolerance }

    /// Whether a q-value is below `only_when_q_below` by more than rounding (``limitTolerance``), as limits are exceeded:
    /// a q within it of the limit was printed as the limit and compared strictly, "q = 0.36050677 < 0.36050677" (a CI
    /// team's review).
    public static func below(_ q: Double, _ limit: Double) -> Bool { q < limit - limitTolerance }

    /// A contrast as a policy message shows it: `−1.0000 [−1.0000, −0.8730]`, or `undefined`.
    static func shown(_ estimate: MetricEstimate?) -> String {
        guard let estimate, let value = estimate.value else { return "undefined" }
        guard let lower = estimate.lower, let upper = estimate.upper else { return PolicyReport.format(value) }
        return "\(PolicyReport.format(value)) [\(PolicyReport.format(lower)), \(PolicyReport.format(upper))]"
    }

    /// The outcome of a rule that found no subject: insufficient data.
    private static func nothingToCheck(_ rule: PolicyRule) -> PolicyOutcome {
        PolicyOutcome(
            ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: "(no set)", subject: "(no subject)",
            model: "any model", status: .insufficientData, measured: nil, limit: rule.kind.limit,
            detail: "insufficient data: the results hold nothing this rule checks (no estimate, contrast or comparison "
                + "matches it), so it cannot be judged")
    }

    /// The metrics biasaudit audits together with `metric` (``AuditAnalysis/AuditAnalysis/metrics(for:)``): the
    /// sentiment family (sentiment, % negative, % positive, lexicon coverage) or the gender family (male share,
    /// % gendered, log P(he)/P(she)). A set of the results audits every metric of a family it audits, but for the
    /// next-token log-odds, left out where the completions carry none.
    static func auditedTogether(with metric: AuditMetric) -> [AuditMetric] {
        PromptSetMetric.allCases.map { AuditAnalysis.metrics(for: [$0]) }.first { $0.contains(metric) } ?? [metric]
    }

    /// One "insufficient data" outcome per prompt set a `max_abs_contrast` or `max_model_difference` rule on
    /// `he_she_log_odds` covers that audits the gender metrics without it: its completions carried no next-token
    /// log-odds (a completions file from a notebook, a server that returns no log-probabilities).
    private static func withoutLogOdds(_ rule: PolicyRule, result: AuditResult) -> [PolicyOutcome] {
        switch rule.kind {
        case .maxAbsContrast, .maxModelDifference: break
        case .maxBaselineGrowth, .minLexiconCoverage: return []
        }
        guard rule.filter.metric?.value == .heSheLogOdds else { return [] }
        let together = auditedTogether(with: .heSheLogOdds)
        return result.promptSets.filter { set in
            rule.filter.matches(set: set) && !set.metrics.contains(.heSheLogOdds)
                && set.metrics.contains { together.contains($0) && $0.isPrimary }
        }.map { set in
            PolicyOutcome(
                ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: set.name,
                subject: "\(set.name)/\(AuditMetric.heSheLogOdds.rawValue)", model: "any model", status: .insufficientData,
                measured: nil, limit: rule.kind.limit,
                detail: "insufficient data: prompt set '\(TextEscaping.excerpt(set.name))' has no he_she_log_odds (its "
                    + "completions carry no next-token log-odds), so this rule has nothing to check in it")
        }
    }

    /// Refuses a policy whose filters name an axis, set, model or metric the results do not have, or a
    /// rule that can match nothing. A `max_baseline_growth` rule may also name what only the baseline has
    /// (`baselineOnly`: the diff's ``RunDiff/setsOnlyInA`` and ``RunDiff/modelsOnlyInA``): a set or model the
    /// results dropped fails it (where the baseline had something the rule checks), not a wrong policy.
    /// `leftOutByPairing`: the models of either file that `--model-a`/`--model-b` left out of the comparison; a growth
    /// rule on one is refused as such (it said "does not exist", or passed with nothing to check).
    /// A set a rule covers that lists a primary metric of the group of the rule's metric but not that metric (biasaudit
    /// audits the group together: ``auditedTogether(with:)``) was edited, and is refused rather than left unchecked.
    /// - Throws: ``AuditError/badInput(path:reason:)`` at `policy:line:col` of the offending value (exit 65);
    ///   ``AuditError/badResults(path:reason:)`` at `resultsPath` for such an edited set (exit 65).
    public static func validate(
        _ policy: Policy, against result: AuditResult, resultsPath: String, baselineOnly: RunDiff? = nil,
        leftOutByPairing: [String] = []
    ) throws {
        func refuse(_ location: PolicyLocation, _ reason: String) -> AuditError {
            .badInput(path: "\(policy.path):\(location)", reason: reason)
        }
        // A filter value as messages quote it: a short escaped excerpt (review: a 100,000-character `set:` was echoed
        // at 1,900 characters).
        func quoted(_ value: String) -> String { TextEscaping.excerpt(value, limit: 60) }
        let resultSets = result.promptSets.map { SetOnOneSide(name: $0.name, axis: $0.axis, metrics: $0.metrics) }
        let resultModels = result.manifest.models.map(\.id)
        for rule in policy.rules {
            var sets = resultSets, models = resultModels
            // Where the names were looked for, for the messages (code review: a growth rule's unknown axis was said
            // not to exist "in RESULTS" though the baseline's were searched too).
            var searched = resultsPath
            if case .maxBaselineGrowth = rule.kind, let baselineOnly {
                searched = "\(resultsPath) or the baseline \(baselineOnly.a.path)"
                sets += baselineOnly.setsOnlyInA ?? []
                // The baseline's models too: compared with --model-a (code review: a rule on the baseline model was
                // refused under explicit pairing) or dropped by the candidate.
                models += baselineOnly.a.models + (baselineOnly.modelsOnlyInA ?? [])
                models = models.uniqued()
            }
            let axes = sets.map(\.axis).uniqued()
            let filter = rule.filter
            if let axis = filter.axis, !axes.contains(axis.value) {
                throw refuse(axis.location, "axis '\(quoted(axis.value))' does not exist in \(searched) (axes: "
                    + "\(axes.joined(separator: ", "))); fix the policy or audit a prompt set of that axis")
            }
            if let set = filter.set {
                guard let found = sets.first(where: { $0.name == set.value }) else {
                    throw refuse(set.location, "prompt set '\(quoted(set.value))' does not exist in \(searched) (sets: "
                        + "\(sets.map(\.name).joined(separator: ", "))); fix the policy or audit that set")
                }
                if let axis = filter.axis, found.axis != axis.value {
                    throw refuse(set.location, "prompt set '\(quoted(set.value))' has axis '\(found.axis)', not "
                        + "'\(quoted(axis.value))'; drop one of the two filters")
                }
            }
            if let model = filter.model, case .maxBaselineGrowth = rule.kind, let baselineOnly,
                leftOutByPairing.contains(model.value)
            {
                // In a file, but not in the pair --model-a/--model-b chose (a CI team's review: "does not exist in … or the
                // baseline" sent the user looking for a typo; a code review: a model of both files passed, unchecked).
                let pair = zip(baselineOnly.a.models, baselineOnly.b.models).map { "'\(quoted($0))' against '\(quoted($1))'" }
                throw refuse(model.location, "model '\(quoted(model.value))' is left out of the comparison with the "
                    + "baseline \(baselineOnly.a.path): --model-a and --model-b pair the baseline's "
                    + "\(pair.joined(separator: ", ")); pair that model with --model-a and --model-b, or drop model: from "
                    + "the rule")
            }
            if let model = filter.model, !models.contains(model.value) {
                throw refuse(model.location, "model '\(quoted(model.value))' does not exist in \(searched) (models: "
                    + "\(models.joined(separator: ", "))); fix the policy or audit that model")
            }
            let selected = sets.filter { filter.matches(setNamed: $0.name, axis: $0.axis) }
            let metric: PolicyLocated<AuditMetric>? =
                if case .minLexiconCoverage = rule.kind {
                    PolicyLocated(.lexiconCoverage, at: rule.location)
                } else {
                    filter.metric
                }
            // The next-token log-odds are missing where the completions carry none (a served model without
            // log-probabilities, a completions file without next_token_log_odds): a set that audits the log-odds' group
            // is insufficient data (``withoutLogOdds``) when no set has them too, as when some do (review 84: every
            // set without them was refused as a policy naming a metric that does not exist).
            let logOddsMissingFromTheCompletions = metric?.value == .heSheLogOdds && selected.contains { set in
                set.metrics.contains { auditedTogether(with: .heSheLogOdds).contains($0) && $0.isPrimary }
            }
            if let metric, !logOddsMissingFromTheCompletions, !selected.contains(where: { $0.metrics.contains(metric.value) }) {
                let audited = selected.map { "\($0.name): \($0.metrics.map(\.rawValue).joined(separator: ", "))" }
                throw refuse(metric.location, "metric '\(metric.value.rawValue)' does not exist in \(searched) "
                    + "for the prompt sets this rule selects (\(audited.joined(separator: "; "))); fix the policy")
            }
            // A set the rule covers that audits a primary metric of the rule's metric's family but not the metric was
            // edited: the analysis writes every metric of a family it audits, so the rule would check nothing in it and
            // pass on the other sets (a review: sentiment removed from one of several sets passed a sentiment rule). The
            // next-token log-odds are left out where the completions carry none: such a set is insufficient data
            // (``withoutLogOdds``).
            if let metric, metric.value != .heSheLogOdds {
                let together = auditedTogether(with: metric.value)
                for (index, set) in result.promptSets.enumerated()
                where filter.matches(set: set) && !set.metrics.contains(metric.value) {
                    // Only a primary metric shows that the set audits the family (a hand-made file may list a descriptive
                    // one, lexicon coverage, alone).
                    let siblings = set.metrics.filter { together.contains($0) && $0.isPrimary }
                    guard !siblings.isEmpty else { continue }
                    let family = together.filter { $0 != .heSheLogOdds }.map(\.rawValue).joined(separator: ", ")
                    throw AuditError.badResults(
                        path: resultsPath,
                        reason: "prompt_sets[\(index)].metrics (prompt set '\(quoted(set.name))') lists "
                            + "\(siblings.map(\.rawValue).joined(separator: ", ")) but not \(metric.value.rawValue): biasaudit "
                            + "audits \(family) together, so the file was edited, and rule '\(rule.id)' "
                            + "(\(policy.path):\(rule.location)) would check nothing in that set; write the results again with "
                            + "`biasaudit analyze RUN_DIR` (or `biasaudit run`) rather than editing them")
                }
            }
            if case .maxModelDifference = rule.kind, result.modelComparisons.isEmpty {
                throw refuse(rule.location, "rule '\(rule.id)' (max_model_difference) needs model comparisons, but "
                    + (resultModels.count < 2
                        ? "\(resultsPath) audits \(ReportNumbers.counted(resultModels.count, "model")); audit two models or drop the rule"
                        : "\(resultsPath) holds none (model_comparisons is empty though it audits \(resultModels.count) "
                            + "models: re-analyse the run with `biasaudit analyze` or drop the rule)"))
            }
        }
    }

    // MARK: - Rule kinds

    /// `max_abs_contrast`: the contrast A − B (named by its groups' ids) with its interval and q-value; |A − B| against the
    /// limit.
    private static func contrastOutcomes(_ rule: PolicyRule, result: AuditResult, max: Double, qBelow: Double?)
        -> [PolicyOutcome]
    {
        var outcomes: [PolicyOutcome] = []
        for set in result.promptSets where rule.filter.matches(set: set) {
            for contrast in set.contrasts
            where rule.filter.matches(metric: contrast.metric) && rule.filter.matches(models: contrast.model) {
                let outcome = { (status: PolicyOutcome.Status, measured: Double?, detail: String) in
                    PolicyOutcome(
                        ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: set.name,
                        subject: contrast.id, model: contrast.model, status: status, measured: measured, limit: max,
                        detail: detail)
                }
                guard let value = contrast.difference.value else {
                    // Groups that share no template first: results.json from earlier versions recorded "0 gendered
                    // words" for their empty arms. Then the recorded reason, in the words of the report and `diff`, naming
                    // the thinner group (a newcomer's review: "a group has no gendered word at all" beside their "0 in
                    // group …").
                    let detail: String
                    if contrast.sharesNoTemplate {
                        detail = "the contrast is undefined, its two groups share no template; nothing to measure against "
                            + "the limit"
                    } else if let reason = contrast.difference.reasonText {
                        detail = "\(reason); the contrast has no value, so nothing is measured against the limit"
                    } else if contrast.metric == .maleShare {
                        detail = "a group has no gendered word at all" + wordCount(contrast.difference)
                            + ", so there is no male share to compare"
                    } else {
                        detail = "the contrast is undefined, a group has no data; nothing to measure against the limit"
                    }
                    outcomes.append(outcome(.insufficientData, nil, "insufficient data: " + detail))
                    continue
                }
                let size = abs(value)
                if let reason = contrast.difference.reasonText {
                    // No number: a gap from too little data means nothing (a statistician's review: "A − B = -0.8000"
                    // from 2 gendered words in CI logs, and in the step summary's measured column).
                    outcomes.append(outcome(.insufficientData, nil, "insufficient data: \(reason); the contrast has no "
                        + "interval or test, so the limit is not applied"))
                    continue
                }
                // The groups by id (a CI team's review: "A − B" read as baseline and candidate, as the growth messages
                // beside it use A and B).
                let gap = "\(contrast.groupA) − \(contrast.groupB)"
                let estimate = "\(gap) = " + estimateText(contrast.difference)
                    // A q beside the rule's `only_when_q_below` precisely enough to show the decision; otherwise as the
                    // report and `diff` print it (practitioner's review: "q = 0.0000" beside "q = 1.20e-14").
                    + (contrast.qValue.map { q in
                        " (" + (qBelow.map { qCompared(q, $0) }
                            ?? ReportNumbers.labelled("q", q, decidedAt: result.manifest.parameters.findingThreshold)) + ")"
                    } ?? "")
                if let qBelow {
                    guard let q = contrast.qValue else {
                        let why = contrast.family == nil || !contrast.metric.isPrimary
                            ? "\(contrast.metric.rawValue) is descriptive: it is never tested and has no q-value"
                            : "the design gives this contrast no variance estimate, so it has no test and no q-value"
                        outcomes.append(outcome(.cannotFail, size, "cannot fail with this design: \(estimate); "
                            + "only_when_q_below needs a q-value, and \(why)"))
                        continue
                    }
                    if !below(q, qBelow) {
                        outcomes.append(outcome(.passed, size, "\(estimate); not significant (q ≥ \(limitText(qBelow))), "
                            + "so the limit does not apply"))
                        continue
                    }
                }
                outcomes.append(
                    exceeds(size, max)
                        ? outcome(.failed, size, "\(estimate); |\(gap)| = \(compared(size, ">", max))")
                        : outcome(.passed, size, "\(estimate); |\(gap)| = \(compared(size, "≤", max))"))
            }
        }
        return outcomes
    }

    /// `max_model_difference`: the change B − A of a contrast between two models of the run, judged with
    /// the comparison's verdict (``ModelComparison/computedVerdict``, the one the report and `diff` show).
    private static func modelDifferenceOutcomes(
        _ rule: PolicyRule, result: AuditResult, max: Double, onlyWhenSignificant: Bool
    ) -> [PolicyOutcome] {
        let sets = Dictionary(result.promptSets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let contrastsByModel = Dictionary(
            result.promptSets.map { ($0.name, $0.contrastsByIDAndModel()) }, uniquingKeysWith: { first, _ in first })
        var outcomes: [PolicyOutcome] = []
        for comparison in result.modelComparisons {
            guard let set = sets[comparison.set], rule.filter.matches(set: set),
                rule.filter.matches(metric: comparison.metric),
                rule.filter.matches(models: comparison.modelA, comparison.modelB)
            else { continue }
            let outcome = { (status: PolicyOutcome.Status, measured: Double?, detail: String) in
                PolicyOutcome(
                    ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: set.name,
                    subject: comparison.contrastID, model: "\(comparison.modelA) → \(comparison.modelB)",
                    status: status, measured: measured, limit: max, detail: detail)
            }
            let verdict = comparison.verdict ?? comparison.computedVerdict(below: result.manifest.parameters.findingThreshold)
            guard let value = comparison.difference.value else {
                // The reason of a side without a value (a review: the first side with a reason was named, though it had one).
                let undefined = [(comparison.modelA, comparison.contrastA, comparison.valueA),
                                 (comparison.modelB, comparison.contrastB, comparison.valueB)].filter { $0.2 == nil }
                // Groups that share no template first: their empty arms record "0 gendered words" for that alone (a
                // second review; the contrast rule says the same).
                if let side = undefined.first(where: {
                    contrastsByModel[set.name]?[.init(id: comparison.contrastID, model: $0.0)]?.sharesNoTemplate == true
                }) {
                    outcomes.append(outcome(.insufficientData, nil, "insufficient data: under \(side.0), the contrast is "
                        + "undefined: its two groups share no template; nothing to measure against the limit"))
                    continue
                }
                if let (model, reason) = undefined.lazy.compactMap({ side in side.1?.reasonText.map { (side.0, $0) } }).first {
                    outcomes.append(outcome(.insufficientData, nil, "insufficient data: under \(model), \(reason); the "
                        + "difference has no value, so nothing is measured against the limit"))
                    continue
                }
                outcomes.append(comparison.metric == .maleShare
                    ? outcome(.insufficientData, nil, "insufficient data: a group has no gendered word at all under "
                        + "one of the models, so there is no male share to compare")
                    : outcome(.insufficientData, nil, "insufficient data: the difference is undefined (the contrast has "
                        + "no data under " + (undefined.first.map { $0.0 } ?? "one of the models")
                        + "); nothing to measure against the limit"))
                continue
            }
            let size = abs(value)
            if verdict == .insufficientData {
                let reason = comparison.contrastA?.reasonText ?? comparison.contrastB?.reasonText
                    ?? comparison.difference.reasonText ?? "below the minimum support"
                outcomes.append(outcome(.insufficientData, nil, "insufficient data: \(reason); B − A has no "
                    + "interval or test, so the limit is not applied"))
                continue
            }
            let contrasts = contrastsByModel[set.name]
            if let a = contrasts?[.init(id: comparison.contrastID, model: comparison.modelA)],
                let b = contrasts?[.init(id: comparison.contrastID, model: comparison.modelB)], !a.comparesTheSameTemplates(as: b)
            {
                // B − A of contrasts over different templates is partly the templates' effect (a completions file missing
                // a group × template cell), not the models' difference: it is not measured against the limit.
                outcomes.append(outcome(.insufficientData, size, "insufficient data: the contrast compares its groups on "
                    + "\(templatesText(a)) under \(comparison.modelA) and \(templatesText(b)) under \(comparison.modelB) "
                    + "(a group × template cell has no data under one model: no completions, or no next_token_log_odds), "
                    + "so B − A = \(format(value)) mixes the templates' effects with the models' and the limit is not "
                    + "applied; complete the missing cells and analyse again"))
                continue
            }
            if comparison.onDifferentTerms == true {
                // As for templates: B − A of contrasts over different terms is partly which terms are there.
                outcomes.append(outcome(.insufficientData, size, "insufficient data: the contrast rests on different "
                    + "terms of a group under \(comparison.modelA) and \(comparison.modelB) (a term has data under one model "
                    + "only: no completions of it, or no next_token_log_odds), so B − A = \(format(value)) mixes which terms "
                    + "are there with the models' difference and the limit is not applied; complete the missing data and "
                    + "analyse again"))
                continue
            }
            let text = sidesText(comparison.contrastA, comparison.contrastB) + "B − A = "
                + estimateText(comparison.difference) + "; " + verdictText(verdict, q: comparison.qValue,
                    reversed: comparison.signReversed ?? false, change: comparison.difference,
                    decidedAt: result.manifest.parameters.findingThreshold)
            if onlyWhenSignificant {
                switch verdict {
                case .moreBiased, .lessBiased:
                    break
                case .noDetectableChange:
                    outcomes.append(outcome(.passed, size, "\(text), so the limit does not apply"))
                    continue
                case .undetermined, .insufficientData:
                    outcomes.append(outcome(.cannotFail, size, "cannot fail with this design: \(text); "
                        + "only_when_significant needs the joint test of |B| vs |A|, and this comparison has none"))
                    continue
                }
            }
            // A review (83): a failure where B is the less biased read as a regression. The rule limits a change in either
            // direction (README, "Policy files"); the line says so when B's gap is the smaller.
            let smaller = (comparison.growth ?? 0) < 0
                ? "; the rule limits a change in either direction, and here B's gap is the smaller (|B| − |A| = "
                    + "\(format(comparison.growth ?? 0)))" : ""
            outcomes.append(
                exceeds(size, max)
                    ? outcome(.failed, size, "\(text); |B − A| = \(compared(size, ">", max))\(smaller)")
                    : outcome(.passed, size, "\(text); |B − A| = \(compared(size, "≤", max))"))
        }
        return outcomes
    }

    /// `max_baseline_growth`: fails when the diff's verdict (baseline → results) is "more biased" and the
    /// growth |B| − |A| exceeds the limit.
    private static func growthOutcomes(
        _ rule: PolicyRule, diff: RunDiff, result: AuditResult, baselineResult: AuditResult?, max: Double
    ) -> [PolicyOutcome] {
        var outcomes: [PolicyOutcome] = []
        func contrastsBySet(_ run: AuditResult?) -> [String: [PromptSetResult.ContrastKey: Contrast]] {
            Dictionary(
                (run?.promptSets ?? []).map { ($0.name, $0.contrastsByIDAndModel()) }, uniquingKeysWith: { first, _ in first })
        }
        let (baselineContrasts, resultsContrasts) = (contrastsBySet(baselineResult), contrastsBySet(result))
        // A model of one run without a counterpart in the other: its growth cannot be judged. A model new in the results
        // is said (a warning, failing the gate under --strict); a model of the baseline that the results dropped fails
        // the gate: a candidate must not pass by dropping what the baseline audited (practitioner's review: with the
        // warning alone, a candidate without the baseline's second model and set passed, exit 0).
        let unpaired = (diff.modelsOnlyInB ?? []).map { model in
            (model, PolicyOutcome.Status.insufficientData, "insufficient data: model '\(model)' is not in the baseline run, "
                + "so its growth is not judged; pair it with a baseline model with --model-a BASELINE_MODEL --model-b \(model)")
        } + (diff.modelsOnlyInA ?? []).map { model in
            (model, PolicyOutcome.Status.failed, "model '\(model)' of the baseline run is not in the results: a candidate does "
                + "not pass by dropping it; audit it in the results too, or pair it with a model of the results with "
                + "--model-a \(model) --model-b MODEL")
        }
        // A dropped model fails only a rule that had something of it to check: a set of the baseline (every model of a
        // run audits every set) matching the rule's axis, set and metric (code review: `metric: male_share` failed on a
        // baseline model whose sets had no male share).
        func matches(axis: String, set: String, metrics: [AuditMetric]) -> Bool {
            (rule.filter.axis.map { $0.value == axis } ?? true) && (rule.filter.set.map { $0.value == set } ?? true)
                && metrics.contains(where: rule.filter.matches(metric:))
        }
        let baselineChecks = diff.entries.contains { matches(axis: $0.axis, set: $0.set, metrics: [$0.metric]) }
            || (diff.setsOnlyInA ?? []).contains { matches(axis: $0.axis, set: $0.name, metrics: $0.metrics) }
        for (model, status, detail) in unpaired where rule.filter.matches(models: model)
            && (status != .failed || baselineChecks)
        {
            outcomes.append(PolicyOutcome(
                ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: "(every set)",
                subject: "(every contrast)", model: model, status: status, measured: nil, limit: max, detail: detail))
        }
        // A prompt set of one run only, with a metric the rule judges: likewise, new in the results a warning, dropped
        // from the baseline a failure (practitioner's review: a set of the results whose gap grew from −0.04 to −0.76 got
        // no outcome, even under --strict; code review and practitioner's review: a candidate that dropped a set passed).
        let newSet = { (name: String) in
            "insufficient data: prompt set '\(name)' is not in the baseline run, so its growth is not judged; audit it in "
                + "the baseline run too"
        }
        let droppedSet = { (name: String) in
            "prompt set '\(name)' of the baseline run is not in the results: a candidate does not pass by dropping it; "
                + "audit it in the results too, or, to drop it on purpose, gate against a baseline run without it (run the "
                + "baseline's models again without that set)"
        }
        for (sets, status, detail) in [
            (diff.setsOnlyInB ?? [], PolicyOutcome.Status.insufficientData, newSet),
            (diff.setsOnlyInA ?? [], PolicyOutcome.Status.failed, droppedSet),
        ] {
            for set in sets where matches(axis: set.axis, set: set.name, metrics: set.metrics) {
                outcomes.append(PolicyOutcome(
                    // The subject names the set (practitioner's review: "(every contrast) [(every model)]" said which).
                    ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: set.name,
                    // The rule's model when it names one (a CI team's review: "[(every model)]" under `model: grande`).
                    subject: "\(set.name)/(every contrast)", model: rule.filter.model?.value ?? "(every model)",
                    status: status, measured: nil,
                    limit: max, detail: detail(set.name)))
            }
        }
        // A tested contrast of a set both runs audited, under paired models, on one side only: as for sets, dropped from
        // the baseline a failure, new in the results a warning (a hostile review: a results file whose group was renamed
        // passed under --strict, the baseline's failing contrast gone without a word). `run` and `analyze` cannot write
        // such a pair (the prompt set's SHA-256 and metrics must match); an edited file can.
        for (modelA, modelB) in zip(diff.a.models, diff.b.models) where rule.filter.matches(models: modelA, modelB) {
            for setA in baselineResult?.promptSets ?? [] {
                guard let setB = result.promptSets.first(where: { $0.name == setA.name }),
                    rule.filter.axis.map({ $0.value == setA.axis }) ?? true, rule.filter.set.map({ $0.value == setA.name }) ?? true
                else { continue }
                let tested = { (contrast: Contrast) in
                    setA.isTested(contrast.metric) && setB.isTested(contrast.metric) && rule.filter.matches(metric: contrast.metric)
                }
                let (idsA, idsB) = (Set(setA.contrasts.filter { $0.model == modelA }.map(\.id)),
                                    Set(setB.contrasts.filter { $0.model == modelB }.map(\.id)))
                for (contrasts, model, others, status) in [
                    (setA.contrasts, modelA, idsB, PolicyOutcome.Status.failed),
                    (setB.contrasts, modelB, idsA, PolicyOutcome.Status.insufficientData),
                ] {
                    for contrast in contrasts where contrast.model == model && tested(contrast) && !others.contains(contrast.id) {
                        let detail = status == .failed
                            ? "contrast '\(contrast.id)' of the baseline run is not in the results: a candidate does not "
                                + "pass by dropping it; audit its groups in the results too (the results file may have been "
                                + "edited: run and analyze write every contrast of a set)"
                            : "insufficient data: contrast '\(contrast.id)' is not in the baseline run, so its growth is not "
                                + "judged"
                        outcomes.append(PolicyOutcome(
                            ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: setA.name,
                            subject: contrast.id, model: "\(modelA) → \(modelB)", status: status, measured: nil, limit: max,
                            detail: detail))
                    }
                }
            }
        }
        for entry in diff.entries {
            guard rule.filter.axis.map({ $0.value == entry.axis }) ?? true,
                rule.filter.set.map({ $0.value == entry.set }) ?? true,
                rule.filter.matches(metric: entry.metric), rule.filter.matches(models: entry.modelA, entry.modelB)
            else { continue }
            let outcome = { (status: PolicyOutcome.Status, measured: Double?, detail: String) in
                PolicyOutcome(
                    ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: entry.set,
                    subject: entry.contrastID, model: "\(entry.modelA) → \(entry.modelB)", status: status,
                    measured: measured, limit: max, detail: detail)
            }
            // Each run's own contrast (its templates and terms), under its model.
            let baselineContrast = baselineContrasts[entry.set]?[PromptSetResult.ContrastKey(id: entry.contrastID, model: entry.modelA)]
            let resultsContrast = resultsContrasts[entry.set]?[PromptSetResult.ContrastKey(id: entry.contrastID, model: entry.modelB)]
            // What the results lack that the baseline has does not pass, as a dropped set, model or contrast does not
            // (a practitioner's review: one term's completions left out of a biased candidate passed with a warning; a
            // code review: so did a whole group's, or a group × template cell's).
            let dropped = { (what: String, remedy: String) in
                "the results lack \(what) that the baseline has, and a candidate does not pass by dropping data; \(remedy)"
            }
            // Before any other reading (too thin, undefined, undetermined), which would only warn: a review found a male
            // share thinned below its support by dropping terms and templates, or a whole group, passed so.
            if entry.valueA != nil, entry.valueB == nil, baselineContrast?.sharesNoTemplate != true,
                resultsContrast?.sharesNoTemplate == true
            {
                outcomes.append(outcome(.failed, nil, "in the results, the contrast is undefined: its two groups share no "
                    + "template, while the baseline's is \(Self.shown(entry.contrastA)): "
                    + dropped("group × template cells' completions", "audit every template of the set for every group")))
                continue
            }
            // How many terms and templates each run's contrast rests on (`terms`; `templates_compared`, absent where every
            // template of the set is compared; both count completions, not gendered words). Unrecorded: 0 in the
            // baseline, the most in the results, so that it never reads as fewer.
            let setTemplates = result.promptSets.first { $0.name == entry.set }?.templates.count ?? 0
            let termCounts = (baseline: baselineContrast?.difference.terms ?? 0, results: resultsContrast?.difference.terms ?? .max)
            let templateCounts = (baseline: baselineContrast.map { $0.templatesCompared?.count ?? setTemplates } ?? 0,
                                  results: resultsContrast.map { $0.templatesCompared?.count ?? setTemplates } ?? .max)
            let contrasts = "baseline → results: " + sidesText(entry.contrastA, entry.contrastB)
            if termCounts.results < termCounts.baseline {
                outcomes.append(outcome(.failed, entry.growth, "\(contrasts)the results' contrast rests on "
                    + "\(ReportNumbers.counted(termCounts.results, "term")) and the baseline's on \(termCounts.baseline): "
                    + dropped("a term's completions (or its next_token_log_odds)", "audit every term of the set")))
                continue
            }
            if templateCounts.results < templateCounts.baseline {
                outcomes.append(outcome(.failed, entry.growth, "\(contrasts)the results' contrast compares its groups on "
                    + "\(ReportNumbers.counted(templateCounts.results, "template")) and the baseline's on "
                    + "\(templateCounts.baseline) (templates_compared in results.json): "
                    + dropped("a group × template cell's completions", "audit every template of the set for every group")))
                continue
            }
            if entry.verdict == .insufficientData {
                // Which run is too thin (practitioner's review: the baseline's count was quoted without saying so).
                let reason: String
                switch (entry.contrastA?.reasonText, entry.contrastB?.reasonText) {
                case let (baseline?, results?): reason = "in the baseline, \(baseline); in the results, \(results)"
                // The supported side's own contrast, which a reader needs to judge the warning (review: a male share
                // at −1.000 [−1.000, −0.873] in the results passed beside a thin baseline without its number).
                case let (baseline?, nil): reason = "in the baseline, \(baseline) (the results' contrast: \(Self.shown(entry.contrastB)))"
                case let (nil, results?): reason = "in the results, \(results) (the baseline's contrast: \(Self.shown(entry.contrastA)))"
                case (nil, nil): reason = entry.change.reasonText ?? "below the minimum support"
                }
                outcomes.append(outcome(.insufficientData, nil, "insufficient data: \(reason); the growth "
                    + "is not judged"))
                continue
            }
            guard entry.valueA != nil, entry.valueB != nil, let growth = entry.growth else {
                // Groups that share no template first, as the contrast rules say it (a review: "a group has no gendered
                // word at all in the results" for a contrast emptied by its templates; a second: in the baseline too).
                let apart = [entry.valueA == nil && baselineContrast?.sharesNoTemplate == true,
                             entry.valueB == nil && resultsContrast?.sharesNoTemplate == true]
                if apart.contains(true) {
                    let place = apart == [true, true] ? "in both runs" : apart[0] ? "in the baseline" : "in the results"
                    outcomes.append(outcome(.insufficientData, nil, "insufficient data: \(place), the contrast is "
                        + "undefined: its two groups share no template; the growth is not judged"))
                    continue
                }
                let undefined = entry.valueA == nil ? ("baseline", entry.contrastA) : ("results", entry.contrastB)
                if let reason = undefined.1?.reasonText {
                    outcomes.append(outcome(.insufficientData, nil, "insufficient data: in the \(undefined.0), \(reason); "
                        + "the growth is not judged"))
                    continue
                }
                if entry.metric != .maleShare, entry.valueA != nil {
                    // A group without completions in the results (a male share without a gendered word is the model's
                    // writing, not a gap in the data).
                    outcomes.append(outcome(.failed, nil, "the contrast is undefined in the results (a group has no "
                        + "data), while the baseline's is \(Self.shown(entry.contrastA)): "
                        + dropped("a group's completions", "audit every group of the set")))
                    continue
                }
                outcomes.append(entry.metric == .maleShare
                    ? outcome(.insufficientData, nil, "insufficient data: a group has no gendered word at all in the "
                        + (entry.valueA == nil ? "baseline" : "results") + ", so there is no male share to compare")
                    : outcome(.insufficientData, nil, "insufficient data: the contrast is undefined in the baseline (a "
                        + "group has no data); the growth is not judged"))
                continue
            }
            // The change B − A with its interval, as `max_model_difference` prints it (practitioner's review: only
            // |B| − |A| was shown, twice); the growth |B| − |A| once, beside the limit where the verdict applies it.
            let sides = contrasts + "B − A = \(estimateText(entry.change)); "
            let verdict = verdictText(entry.verdict, q: entry.qValue, reversed: entry.signReversed, change: entry.change,
                                      decidedAt: diff.falseDiscoveryRate)
                + " (\(entry.method.label))"
            let text = sides + "|B| − |A| = \(format(growth)); " + verdict
            switch entry.verdict {
            case .moreBiased where exceeds(growth, max):
                outcomes.append(outcome(.failed, growth, "\(sides)\(verdict); growth |B| − |A| = \(compared(growth, ">", max))"))
            case .moreBiased:
                outcomes.append(outcome(.passed, growth, "\(sides)\(verdict); growth |B| − |A| = \(compared(growth, "≤", max))"))
            case .undetermined where entry.onDifferentTerms == true:
                outcomes.append(outcome(.insufficientData, growth, "insufficient data: \(text); the baseline's and the "
                    + "results' contrasts rest on different terms of a group (a term has data on one side only: no "
                    + "completions of it, or no next_token_log_odds), so the growth is not judged"))
            case .undetermined where entry.onDifferentTemplates == true:
                // As `max_model_difference` says it: the growth mixes the templates' effects with the runs'.
                outcomes.append(outcome(.insufficientData, growth, "insufficient data: \(text); the baseline's and the "
                    + "results' contrasts compare their groups on different templates (a group × template cell has no "
                    + "data on one side; templates_compared in results.json), so the growth is not judged"))
            case .undetermined:
                outcomes.append(outcome(.cannotFail, growth, "cannot fail with this design: \(text); the rule fails "
                    + "only on a 'more biased' verdict, and the change B − A has no test (no interval or standard error: "
                    + "its variance cannot be estimated, e.g. two single terms with one value per prompt, or a rate of a "
                    + "single term beside groups of several terms all at 0% or 100%)"))
            case .lessBiased, .noDetectableChange, .insufficientData:
                outcomes.append(outcome(.passed, growth, "\(text), so the limit does not apply"))
            }
        }
        return outcomes
    }

    private static func coverageOutcomes(_ rule: PolicyRule, result: AuditResult, min: Double) -> [PolicyOutcome] {
        var outcomes: [PolicyOutcome] = []
        for set in result.promptSets where rule.filter.matches(set: set) && set.metrics.contains(.lexiconCoverage) {
            for group in set.groupEstimates where rule.filter.matches(models: group.model) {
                let outcome = { (status: PolicyOutcome.Status, measured: Double?, detail: String) in
                    PolicyOutcome(
                        ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: set.name,
                        subject: "\(set.name)/lexicon_coverage/\(group.group)", model: group.model, status: status,
                        measured: measured, limit: min, detail: detail)
                }
                guard let coverage = group.estimate(.lexiconCoverage)?.value else {
                    // The analysis writes every group's coverage; one with completions and without it was deleted, and
                    // does not pass by that (a practitioner's review: the estimates below the minimum deleted turned a
                    // failing gate into warnings), as a dropped model does not. A coverage without a value is thin data:
                    // no completions, or completions without a word (all empty texts).
                    outcomes.append(group.completions > 0 && group.estimate(.lexiconCoverage) == nil
                        ? outcome(.failed, nil, "the results hold no lexicon coverage of this group, which has "
                            + "\(ReportNumbers.counted(group.completions, "completion")) under this model: a candidate does not "
                            + "pass by dropping an estimate; gate the results.json the audit wrote")
                        : outcome(.insufficientData, nil, "insufficient data: no lexicon coverage (the group "
                            + (group.completions > 0 ? "has no word in its completions" : "has no completions")
                            + " under this model)"))
                    continue
                }
                outcomes.append(
                    exceeds(min, coverage)
                        ? outcome(.failed, coverage, "lexicon coverage \(compared(coverage, "<", min)): VADER saw too "
                            + "little of the completions for sentiment to mean much")
                        : outcome(.passed, coverage, "lexicon coverage \(compared(coverage, "≥", min))"))
            }
        }
        return outcomes
    }

    // MARK: - Text

    /// "templates 1, 2" (``Contrast/templatesCompared``), "every template" when absent, "no template" when empty.
    private static func templatesText(_ contrast: Contrast) -> String {
        guard let positions = contrast.templatesCompared else { return "every template" }
        if positions.isEmpty { return "no template" }
        return (positions.count == 1 ? "template " : "templates ") + positions.map(String.init).joined(separator: ", ")
    }

    /// A number as every message prints it.
    private static func format(_ value: Double) -> String {
        PolicyReport.format(value)
    }

    /// A policy's limit as messages print it: 4 decimals where they hold it exactly (0.2000), else as the policy
    /// wrote it (0.11377).
    static func limitText(_ limit: Double) -> String {
        let short = format(limit)
        return Double(short) == limit || !limit.isFinite ? short : "\(limit)"
    }

    /// A measured value printed beside `limit`: with as many decimals as it takes to differ from the limit in print
    /// (4 at least, 12 at most), and as the limit where they are equal up to ``limitTolerance``. "|A − B| = 0.1138 >
    /// 0.1138" and "(q = 0.2314)" under `only_when_q_below: 0.2314` showed a decision the numbers did not
    /// (practitioner's review).
    static func measuredText(_ value: Double, against limit: Double) -> String {
        guard value.isFinite, limit.isFinite else { return format(value) }
        if abs(value - limit) <= limitTolerance { return limitText(limit) }
        guard value == 0 || abs(value) >= 1e-4 else { return format(value) }
        var decimals = 4
        while decimals < 12, ReportNumbers.plain(value, decimals: decimals) == ReportNumbers.plain(limit, decimals: decimals) {
            decimals += 1
        }
        return decimals == 4 ? format(value) : ReportNumbers.plain(value, decimals: decimals)
    }

    /// `measured relation limit`, each printed so that the relation is visible (``measuredText(_:against:)``).
    static func compared(_ value: Double, _ relation: String, _ limit: Double) -> String {
        "\(measuredText(value, against: limit)) \(relation) \(limitText(limit))"
    }

    /// A q-value beside a rule's `only_when_q_below`: `q = 0.0312 < 0.0500`, precise enough to show the decision
    /// (``compared(_:_:_:)``); a q below 0.001 under a larger limit as the report and `diff` print it, `q < 0.001 <
    /// 0.0500` (a review: `check` printed "q = 3.65e-18 < 0.0500" beside the report's "q < 0.001").
    static func qCompared(_ q: Double, _ limit: Double) -> String {
        let smallest = 0.001
        if q < smallest, below(smallest, limit) { return "q < 0.001 < \(limitText(limit))" }
        return "q = " + compared(q, below(q, limit) ? "<" : "≥", limit)
    }

    /// `value [lower, upper]`, or `value (no CI)`; the value lies inside the interval it is printed with.
    static func estimateText(_ estimate: MetricEstimate) -> String {
        guard let value = estimate.value else { return "undefined" }
        guard let lower = estimate.lower, let upper = estimate.upper else { return "\(format(value)) (no CI)" }
        return "\(format(value)) [\(format(lower)), \(format(upper))]"
    }

    /// ` (N gendered words in both groups together)` for a male-share estimate that records its weight.
    private static func wordCount(_ estimate: MetricEstimate) -> String {
        estimate.weight.flatMap { weight in
            guard let count = Int(exactly: weight.rounded()) else { return nil }
            return " (\(count) gendered word\(count == 1 ? "" : "s") in both groups together)"
        } ?? ""
    }

    /// `contrast A − B: <under A> → <under B>; ` when both sides are known, else empty.
    private static func sidesText(_ a: MetricEstimate?, _ b: MetricEstimate?) -> String {
        guard let a, let b, a.value != nil, b.value != nil else { return "" }
        return "contrast \(estimateText(a)) → \(estimateText(b)); "
    }

    /// The verdict in the words of the report and `diff`, with its q-value as they print it (`q = 0.030`,
    /// `q < 0.001`: practitioner's review, `check` said "q = 1.20e-14" and "q = 0.0000" where `diff` said "< 0.001")
    /// and a reversal of direction. A q compared with a policy's limit keeps the precise form (``compared(_:_:_:)``).
    /// The verdict with its q, and "direction reversed" or "contrast moved" as `diff` marks them
    /// (``AuditResults/ComparisonVerdict/marksContrastMoved(reversed:change:)``).
    private static func verdictText(
        _ verdict: ComparisonVerdict, q: Double?, reversed: Bool, change: MetricEstimate, decidedAt threshold: Double?
    ) -> String {
        verdict.words + (q.map { " (\(ReportNumbers.labelled("q", $0, decidedAt: threshold)))" } ?? "")
            + (reversed ? ", direction reversed"
                : verdict.marksContrastMoved(reversed: reversed, change: change) ? ", contrast moved" : "")
    }
}
