import AuditResults
import Foundation
import PromptSets
import Statistics

/// Computes ``RunDiff``s: two models of one run, or two saved runs.
///
/// Where each interval of the change B − A comes from:
/// - Two models of one run: the run's own `model_comparisons` (paired bootstrap with common random
///   numbers, computed when the run was analysed).
/// - Two runs with `completions.jsonl` next to both results: the change is bootstrapped again from the
///   completions with `Statistics.modelDifference`, paired when the runs share random streams
///   (``RunComparability/sharesRandomStreams(_:_:)``), unpaired otherwise.
/// - Two runs without completions: a normal approximation from the two contrasts' CIs.
public enum RunDiffer {
    /// Bootstrap resamples when a run's manifest records none.
    public static let defaultResamples = 2000

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
        default:
            throw AuditError.usage("\(input.path) audits \(models.count) model(s) (\(models.joined(separator: ", "))); "
                + "name the two to compare with --model-a and --model-b")
        }
        for model in [first, second] where !models.contains(model) {
            throw AuditError.usage("model '\(model)' is not in \(input.path) (models: \(models.joined(separator: ", ")))")
        }
        guard first != second else {
            throw AuditError.usage("--model-a and --model-b are both '\(first)'; name two different models")
        }
        var entries: [RunDiffEntry] = []
        for comparison in result.modelComparisons {
            let forward = comparison.modelA == first && comparison.modelB == second
            guard forward || (comparison.modelA == second && comparison.modelB == first) else { continue }
            let change = DiffInterval(comparison.difference)
            let set = result.promptSets.first { $0.name == comparison.set }
            let contrast = set?.contrasts.first { $0.id == comparison.contrastID }
            entries.append(
                RunDiffEntry(
                    contrastID: comparison.contrastID, set: comparison.set, axis: set?.axis ?? "",
                    metric: comparison.metric, groupA: contrast?.groupA ?? "", groupB: contrast?.groupB ?? "",
                    modelA: first, modelB: second,
                    valueA: forward ? comparison.valueA : comparison.valueB,
                    valueB: forward ? comparison.valueB : comparison.valueA,
                    change: forward ? change : change.negated,
                    method: comparison.paired ? .paired : .unpaired))
        }
        guard !entries.isEmpty else {
            throw AuditError.badInput(path: input.path, reason: "the results hold no model comparison of '\(first)' "
                + "and '\(second)'; re-run the audit with both models")
        }
        let pairedCount = entries.filter { $0.method == .paired }.count
        return RunDiff(
            a: RunDiffSide(path: input.path, models: [first]), b: RunDiffSide(path: input.path, models: [second]),
            confidenceLevel: result.manifest.parameters.confidenceLevel, entries: entries, onlyInA: [], onlyInB: [],
            notes: ["Both models come from one run: intervals are the run's model comparisons ("
                + "\(pairedCount) of \(entries.count) paired by term and random stream)."])
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
        let sharedStreams = RunComparability.sharesRandomStreams(a.result, b.result)
        let parameters = a.result.manifest.parameters
        var estimator = ChangeEstimator(
            a: a.completions, b: b.completions, paired: sharedStreams,
            resamples: parameters.bootstrapResamples > 0 ? parameters.bootstrapResamples : defaultResamples,
            confidence: parameters.confidenceLevel, seed: parameters.seed)
        var entries: [RunDiffEntry] = []
        var onlyInA: [String] = []
        var onlyInB: [String] = []
        for (first, second) in pairs {
            for name in common {
                let setA = a.result.promptSets.first { $0.name == name }!
                let setB = b.result.promptSets.first { $0.name == name }!
                let contrastsA = setA.contrasts.filter { $0.model == first }
                let contrastsB = setB.contrasts.filter { $0.model == second }
                onlyInA += contrastsA.filter { c in !contrastsB.contains { $0.id == c.id } }.map { "\($0.id) (\(first))" }
                onlyInB += contrastsB.filter { c in !contrastsA.contains { $0.id == c.id } }.map { "\($0.id) (\(second))" }
                for contrastA in contrastsA {
                    guard let contrastB = contrastsB.first(where: { $0.id == contrastA.id }) else { continue }
                    let (change, method) = try estimator.change(
                        contrastA: contrastA, contrastB: contrastB, set: name, groupsA: setA.groups, groupsB: setB.groups,
                        modelA: first, modelB: second)
                    entries.append(
                        RunDiffEntry(
                            contrastID: contrastA.id, set: name, axis: setA.axis, metric: contrastA.metric,
                            groupA: contrastA.groupA, groupB: contrastA.groupB, modelA: first, modelB: second,
                            valueA: contrastA.difference.value, valueB: contrastB.difference.value, change: change,
                            method: method))
                }
            }
        }
        var notes = estimator.notes(a: a, b: b, streamDifferences: RunComparability.streamDifferences(a.result, b.result))
        let setsOnlyA = a.result.promptSets.map(\.name).filter { !common.contains($0) }
        let setsOnlyB = b.result.promptSets.map(\.name).filter { !common.contains($0) }
        if !setsOnlyA.isEmpty { notes.append("Prompt sets only in A, not compared: \(setsOnlyA.joined(separator: ", ")).") }
        if !setsOnlyB.isEmpty { notes.append("Prompt sets only in B, not compared: \(setsOnlyB.joined(separator: ", ")).") }
        return RunDiff(
            a: RunDiffSide(path: a.path, models: pairs.map(\.0)), b: RunDiffSide(path: b.path, models: pairs.map(\.1)),
            confidenceLevel: parameters.confidenceLevel, entries: entries, onlyInA: onlyInA, onlyInB: onlyInB,
            notes: notes)
    }

    /// Which model of A is compared with which model of B.
    static func modelPairs(_ a: RunDiffInput, _ b: RunDiffInput, modelA: String?, modelB: String?) throws
        -> [(String, String)]
    {
        let modelsA = a.result.manifest.models.map(\.id)
        let modelsB = b.result.manifest.models.map(\.id)
        func require(_ model: String, in models: [String], _ path: String) throws {
            guard models.contains(model) else {
                throw AuditError.usage("model '\(model)' is not in \(path) (models: \(models.joined(separator: ", ")))")
            }
        }
        func counterpart(of model: String, in models: [String]) -> String? {
            models.contains(model) ? model : models.count == 1 ? models[0] : nil
        }
        let hint = "A audits \(modelsA.joined(separator: ", ")) and B audits \(modelsB.joined(separator: ", ")); "
            + "choose with --model-a and --model-b"
        switch (modelA, modelB) {
        case (let first?, let second?):
            try require(first, in: modelsA, a.path)
            try require(second, in: modelsB, b.path)
            return [(first, second)]
        case (let first?, nil):
            try require(first, in: modelsA, a.path)
            guard let second = counterpart(of: first, in: modelsB) else { throw AuditError.usage(hint) }
            return [(first, second)]
        case (nil, let second?):
            try require(second, in: modelsB, b.path)
            guard let first = counterpart(of: second, in: modelsA) else { throw AuditError.usage(hint) }
            return [(first, second)]
        case (nil, nil):
            if modelsA.count == 1, modelsB.count == 1 { return [(modelsA[0], modelsB[0])] }
            let shared = modelsA.filter(modelsB.contains)
            guard !shared.isEmpty else { throw AuditError.usage("the runs share no model: " + hint) }
            return shared.map { ($0, $0) }
        }
    }
}

extension DiffInterval {
    /// The interval of a result-schema estimate.
    public init(_ estimate: MetricEstimate) {
        self.init(value: estimate.value, lower: estimate.lower, upper: estimate.upper)
    }
}
