import AuditResults
import Foundation
import PromptSets
import Statistics

/// Estimates the change B − A of one contrast between two runs, by the best method the inputs allow,
/// and remembers which methods it used for the notes of the diff.
struct ChangeEstimator {
    private struct Key: Hashable {
        var set: String
        var model: String
    }

    private let recordsA: [Key: [CompletionRecord]]?
    private let recordsB: [Key: [CompletionRecord]]?
    private let paired: Bool
    private let resamples: Int
    private let confidence: Double
    private let seed: UInt64
    private var unpairable: [String] = []
    private var withoutCompletions = 0
    private var used: [DiffMethod: Int] = [:]

    /// Creates an estimator; `nil` completions force the normal approximation.
    init(a: [CompletionRecord]?, b: [CompletionRecord]?, paired: Bool, resamples: Int, confidence: Double, seed: UInt64) {
        func index(_ records: [CompletionRecord]?) -> [Key: [CompletionRecord]]? {
            records.map { Dictionary(grouping: $0) { Key(set: $0.set, model: $0.model) } }
        }
        (recordsA, recordsB) = (index(a), index(b))
        self.paired = paired
        self.resamples = resamples
        self.confidence = confidence
        self.seed = seed
    }

    /// The change B − A of a contrast and how its interval was obtained.
    /// - Parameters:
    ///   - groupsA: the set's groups in run A, which decide the resampling units (as in `run`).
    ///   - groupsB: the set's groups in run B.
    /// - Throws: ``AuditError/badResults(path:reason:)`` when the completions hold invalid scores.
    mutating func change(
        contrastA: Contrast, contrastB: Contrast, set: String, groupsA: [GroupInfo], groupsB: [GroupInfo],
        modelA: String, modelB: String
    ) throws -> (DiffInterval, DiffMethod) {
        guard let dataA = data(recordsA, set: set, groups: groupsA, model: modelA, contrast: contrastA),
            let dataB = data(recordsB, set: set, groups: groupsB, model: modelB, contrast: contrastB)
        else {
            if recordsA != nil, recordsB != nil { withoutCompletions += 1 }
            used[.normalApproximation, default: 0] += 1
            return (Self.normalApproximation(a: contrastA.difference, b: contrastB.difference, confidence: confidence),
                    .normalApproximation)
        }
        let streamSeed = RandomStreams.seed(seed, for: "diff/\(contrastA.id)/\(modelA)/\(modelB)")
        var difference: ModelDifference
        do {
            if paired {
                do {
                    difference = try modelDifference(
                        first: dataB, second: dataA, pairing: .paired, resamples: resamples, confidence: confidence,
                        seed: streamSeed)
                } catch StatisticsError.unpairable(let reason) {
                    unpairable.append("\(contrastA.id): \(reason)")
                    difference = try modelDifference(
                        first: dataB, second: dataA, pairing: .unpaired, resamples: resamples, confidence: confidence,
                        seed: streamSeed)
                }
            } else {
                difference = try modelDifference(
                    first: dataB, second: dataA, pairing: .unpaired, resamples: resamples, confidence: confidence,
                    seed: streamSeed)
            }
        } catch let error as StatisticsError {
            throw AuditError.badResults(
                path: RunDiffInput.completionsFileName,
                reason: "cannot bootstrap contrast \(contrastA.id) from the completions: \(error)")
        }
        let method: DiffMethod = difference.pairing == .paired ? .paired : .unpaired
        used[method, default: 0] += 1
        let estimate = difference.difference
        return (DiffInterval(value: estimate.value.isFinite ? estimate.value : nil, lower: estimate.lower,
                             upper: estimate.upper), method)
    }

    /// Plain-language notes on the methods used.
    func notes(a: RunDiffInput, b: RunDiffInput, streamDifferences: [String]) -> [String] {
        var notes: [String] = []
        if let count = used[.paired] {
            notes.append("\(count) change(s) paired by term and random stream: the runs share prompt-set contents, "
                + "seed, samples, max_new_tokens and sampling parameters (common random numbers).")
        }
        if let count = used[.unpaired] {
            let why = !unpairable.isEmpty ? "the completions do not line up cell by cell (first: \(unpairable[0]))"
                : "the runs do not share random streams (\(streamDifferences.joined(separator: "; ")))"
            notes.append("\(count) change(s) bootstrapped unpaired from the completions: \(why).")
        }
        if let count = used[.normalApproximation] {
            let missing = [a, b].filter { $0.completions == nil }.map(\.path)
            let why = !missing.isEmpty
                ? "no \(RunDiffInput.completionsFileName) next to \(missing.joined(separator: " and "))"
                : "\(withoutCompletions) contrast(s) have no completions in \(RunDiffInput.completionsFileName)"
            notes.append("\(count) change(s) from an unpaired normal approximation of the two CIs "
                + "(SE ≈ CI width / \(String(format: "%.2f", 2 * Self.zScore(confidence)))): \(why).")
        }
        return notes
    }

    /// The contrast's data from a run's completions, or `nil` when either group has none.
    private func data(
        _ records: [Key: [CompletionRecord]]?, set: String, groups: [GroupInfo], model: String, contrast: Contrast
    ) -> ContrastData? {
        guard let records = records?[Key(set: set, model: model)],
            records.contains(where: { $0.group == contrast.groupA }),
            records.contains(where: { $0.group == contrast.groupB })
        else { return nil }
        let data = AuditAnalysis.groupData(records: records, groups: groups, metric: contrast.metric)
        guard let a = data[contrast.groupA], let b = data[contrast.groupB] else { return nil }
        return ContrastData(a: a, b: b)
    }

    /// B − A from the two contrasts' CIs: SE = width / (2z) each, SE of the change √(SE_A² + SE_B²).
    static func normalApproximation(a: MetricEstimate, b: MetricEstimate, confidence: Double) -> DiffInterval {
        guard let valueA = a.value, let valueB = b.value else { return DiffInterval(value: nil, lower: nil, upper: nil) }
        let value = valueB - valueA
        guard let lowA = a.lower, let highA = a.upper, let lowB = b.lower, let highB = b.upper else {
            return DiffInterval(value: value, lower: nil, upper: nil)
        }
        let z = zScore(confidence)
        let se = ((highA - lowA) * (highA - lowA) + (highB - lowB) * (highB - lowB)).squareRoot() / (2 * z)
        return DiffInterval(value: value, lower: value - z * se, upper: value + z * se)
    }

    /// The two-sided standard-normal quantile of a confidence level (1.959964 for 0.95), by bisection on erf.
    static func zScore(_ confidence: Double) -> Double {
        var (low, high) = (0.0, 10.0)
        for _ in 0..<80 {
            let middle = (low + high) / 2
            if erf(middle / 2.0.squareRoot()) < confidence { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
