import AuditAnalysis
import AuditResults
import Foundation

/// Applies a ``Policy`` to audit results (`biasaudit check`).
public enum PolicyEvaluator {
    /// Evaluates every rule against the results (and the baseline diff, for growth rules).
    /// - Parameters:
    ///   - policy: the policy.
    ///   - result: the results to gate.
    ///   - resultsPath: their path, for messages.
    ///   - baseline: the diff baseline → results (``RunDiffer/compareRuns(_:_:modelA:modelB:)``), required
    ///     when the policy has a `max_baseline_growth` rule.
    /// - Returns: every outcome; the gate passes when ``PolicyReport/holds``.
    /// - Throws: what ``validate(_:against:resultsPath:)`` throws; ``AuditError/usageAt(path:reason:)`` at the
    ///   rule when a growth rule has no baseline.
    public static func evaluate(_ policy: Policy, result: AuditResult, resultsPath: String, baseline: RunDiff?) throws
        -> PolicyReport
    {
        try validate(policy, against: result, resultsPath: resultsPath)
        var outcomes: [PolicyOutcome] = []
        for rule in policy.rules {
            switch rule.kind {
            case .maxAbsContrast(let max, let q):
                outcomes += contrastOutcomes(rule, result: result, max: max, qBelow: q)
            case .maxModelDifference(let max, let significant):
                outcomes += modelDifferenceOutcomes(rule, result: result, max: max, onlyWhenSignificant: significant)
            case .maxBaselineGrowth(let max):
                guard let baseline else {
                    throw AuditError.usageAt(
                        path: "\(policy.path):\(rule.location)",
                        reason: "rule '\(rule.id)' (max_baseline_growth) compares against a baseline run; "
                            + "pass --baseline BASELINE.json")
                }
                outcomes += growthOutcomes(rule, diff: baseline, max: max)
            case .minLexiconCoverage(let min):
                outcomes += coverageOutcomes(rule, result: result, min: min)
            }
        }
        return PolicyReport(
            policyPath: policy.path, resultsPath: resultsPath, ruleIDs: policy.rules.map(\.id), outcomes: outcomes)
    }

    /// Refuses a policy whose filters name an axis, set, model or metric the results do not have, or a
    /// rule that can match nothing.
    /// - Throws: ``AuditError/badInput(path:reason:)`` at `policy:line:col` of the offending value (exit 65).
    public static func validate(_ policy: Policy, against result: AuditResult, resultsPath: String) throws {
        func refuse(_ location: PolicyLocation, _ reason: String) -> AuditError {
            .badInput(path: "\(policy.path):\(location)", reason: reason)
        }
        let axes = result.promptSets.map(\.axis).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let models = result.manifest.models.map(\.id)
        for rule in policy.rules {
            let filter = rule.filter
            if let axis = filter.axis, !axes.contains(axis.value) {
                throw refuse(axis.location, "axis '\(axis.value)' does not exist in \(resultsPath) (axes: "
                    + "\(axes.joined(separator: ", "))); fix the policy or audit a prompt set of that axis")
            }
            if let set = filter.set {
                guard let found = result.promptSets.first(where: { $0.name == set.value }) else {
                    throw refuse(set.location, "prompt set '\(set.value)' does not exist in \(resultsPath) (sets: "
                        + "\(result.promptSets.map(\.name).joined(separator: ", "))); fix the policy or audit that set")
                }
                if let axis = filter.axis, found.axis != axis.value {
                    throw refuse(set.location, "prompt set '\(set.value)' has axis '\(found.axis)', not "
                        + "'\(axis.value)'; drop one of the two filters")
                }
            }
            if let model = filter.model, !models.contains(model.value) {
                throw refuse(model.location, "model '\(model.value)' does not exist in \(resultsPath) (models: "
                    + "\(models.joined(separator: ", "))); fix the policy or audit that model")
            }
            let sets = result.promptSets.filter(filter.matches(set:))
            let metric: PolicyLocated<AuditMetric>? =
                if case .minLexiconCoverage = rule.kind {
                    PolicyLocated(.lexiconCoverage, at: rule.location)
                } else {
                    filter.metric
                }
            if let metric, !sets.contains(where: { $0.metrics.contains(metric.value) }) {
                let audited = sets.map { "\($0.name): \($0.metrics.map(\.rawValue).joined(separator: ", "))" }
                throw refuse(metric.location, "metric '\(metric.value.rawValue)' does not exist in \(resultsPath) "
                    + "for the prompt sets this rule selects (\(audited.joined(separator: "; "))); fix the policy")
            }
            if case .maxModelDifference = rule.kind, result.modelComparisons.isEmpty {
                throw refuse(rule.location, "rule '\(rule.id)' (max_model_difference) needs model comparisons, but "
                    + "\(resultsPath) audits \(models.count) model(s); audit two models or drop the rule")
            }
        }
    }

    // MARK: - Rule kinds

    private static func contrastOutcomes(_ rule: PolicyRule, result: AuditResult, max: Double, qBelow: Double?)
        -> [PolicyOutcome]
    {
        var outcomes: [PolicyOutcome] = []
        for set in result.promptSets where rule.filter.matches(set: set) {
            for contrast in set.contrasts
            where rule.filter.matches(metric: contrast.metric) && rule.filter.matches(models: contrast.model) {
                let qText = contrast.qValue.map { " (q = \(PolicyReport.format($0)))" } ?? ""
                let outcome = { (status: PolicyOutcome.Status, measured: Double?, detail: String) in
                    PolicyOutcome(
                        ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: set.name,
                        subject: contrast.id, model: contrast.model, status: status, measured: measured, limit: max,
                        detail: detail)
                }
                guard let value = contrast.difference.value else {
                    outcomes.append(outcome(.skipped, nil, "the contrast is undefined (no data for a group)"))
                    continue
                }
                let size = abs(value)
                let comparison = "|A − B| = \(PolicyReport.format(size))"
                if let qBelow {
                    guard let q = contrast.qValue else {
                        outcomes.append(outcome(.skipped, size, "\(comparison); no q-value, so only_when_q_below cannot apply"))
                        continue
                    }
                    if q >= qBelow {
                        outcomes.append(outcome(.passed, size, "\(comparison)\(qText); not significant "
                            + "(q ≥ \(PolicyReport.format(qBelow))), so the limit does not apply"))
                        continue
                    }
                }
                outcomes.append(
                    size > max
                        ? outcome(.failed, size, "\(comparison) > \(PolicyReport.format(max))\(qText)")
                        : outcome(.passed, size, "\(comparison) ≤ \(PolicyReport.format(max))\(qText)"))
            }
        }
        return outcomes
    }

    private static func modelDifferenceOutcomes(
        _ rule: PolicyRule, result: AuditResult, max: Double, onlyWhenSignificant: Bool
    ) -> [PolicyOutcome] {
        let sets = Dictionary(result.promptSets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var outcomes: [PolicyOutcome] = []
        for comparison in result.modelComparisons {
            guard let set = sets[comparison.set], rule.filter.matches(set: set),
                rule.filter.matches(metric: comparison.metric),
                rule.filter.matches(models: comparison.modelA, comparison.modelB)
            else { continue }
            let interval = comparison.difference
            let outcome = { (status: PolicyOutcome.Status, measured: Double?, detail: String) in
                PolicyOutcome(
                    ruleID: rule.id, ruleKind: rule.kind.name, ruleLocation: rule.location, set: set.name,
                    subject: comparison.contrastID, model: "\(comparison.modelA) → \(comparison.modelB)",
                    status: status, measured: measured, limit: max, detail: detail)
            }
            guard let value = interval.value else {
                outcomes.append(outcome(.skipped, nil, "the difference is undefined (a contrast has no data)"))
                continue
            }
            let size = abs(value)
            let comparisonText = "B − A = \(PolicyReport.format(value))" + ciText(interval)
            if onlyWhenSignificant {
                guard interval.lower != nil, interval.upper != nil else {
                    outcomes.append(outcome(.skipped, size, "\(comparisonText); no interval, so "
                        + "only_when_ci_excludes_zero cannot apply"))
                    continue
                }
                guard interval.side != nil else {
                    outcomes.append(outcome(.passed, size, "\(comparisonText); the CI contains 0, so the limit does not apply"))
                    continue
                }
            }
            outcomes.append(
                size > max
                    ? outcome(.failed, size, "\(comparisonText) > \(PolicyReport.format(max))")
                    : outcome(.passed, size, "\(comparisonText) ≤ \(PolicyReport.format(max))"))
        }
        return outcomes
    }

    private static func growthOutcomes(_ rule: PolicyRule, diff: RunDiff, max: Double) -> [PolicyOutcome] {
        var outcomes: [PolicyOutcome] = []
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
            guard let valueA = entry.valueA, let valueB = entry.valueB, let growth = entry.growth else {
                outcomes.append(outcome(.skipped, nil, "the contrast is undefined in the baseline or the results"))
                continue
            }
            let text = "|contrast| \(PolicyReport.format(abs(valueA))) → \(PolicyReport.format(abs(valueB))), growth "
                + PolicyReport.format(growth) + ", \(entry.verdict.words)"
                + (entry.qValue.map { " (q = \(PolicyReport.format($0)))" } ?? "") + " (\(entry.method.label))"
            outcomes.append(
                entry.verdict == .moreBiased && growth > max
                    ? outcome(.failed, growth, "\(text): growth > \(PolicyReport.format(max))")
                    : outcome(.passed, growth, "\(text)"))
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
                    outcomes.append(outcome(.skipped, nil, "no lexicon coverage (no completions)"))
                    continue
                }
                let text = "lexicon coverage \(PolicyReport.format(coverage))"
                outcomes.append(
                    coverage < min
                        ? outcome(.failed, coverage, "\(text) < \(PolicyReport.format(min)): VADER saw too little of "
                            + "the completions for sentiment to mean much")
                        : outcome(.passed, coverage, "\(text) ≥ \(PolicyReport.format(min))"))
            }
        }
        return outcomes
    }

    private static func ciText(_ interval: MetricEstimate) -> String {
        guard let lower = interval.lower, let upper = interval.upper else { return "" }
        return " [\(PolicyReport.format(lower)), \(PolicyReport.format(upper))]"
    }
}
