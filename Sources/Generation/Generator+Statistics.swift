import Foundation

/// Where the time of `Generator.generate` calls went: prompt prefill, batched decode steps (the
/// model's forward passes) and token sampling, with the number of rows each decode step advanced.
public struct GenerationStatistics: Sendable, Equatable {
    /// Seconds spent computing prompts (and copying their cache rows to the samples).
    public var prefillSeconds: Double = 0
    /// Seconds spent in batched decode steps (`GPT2Model.decode`).
    public var decodeSeconds: Double = 0
    /// Seconds spent turning logits into tokens.
    public var samplingSeconds: Double = 0
    /// Number of batched decode steps.
    public var decodeSteps = 0
    /// Rows advanced over all decode steps (one token each).
    public var decodedRows = 0

    /// Empty statistics.
    public init() {}

    /// Mean rows per decode step (0 before the first step).
    public var rowsPerStep: Double {
        decodeSteps == 0 ? 0 : Double(decodedRows) / Double(decodeSteps)
    }

    /// The sum of two sets of statistics (for several `generate` calls).
    public static func + (left: GenerationStatistics, right: GenerationStatistics) -> GenerationStatistics {
        var sum = left
        sum.prefillSeconds += right.prefillSeconds
        sum.decodeSeconds += right.decodeSeconds
        sum.samplingSeconds += right.samplingSeconds
        sum.decodeSteps += right.decodeSteps
        sum.decodedRows += right.decodedRows
        return sum
    }
}

/// A monotonic stopwatch for `GenerationStatistics`.
struct Stopwatch {
    private var start = DispatchTime.now().uptimeNanoseconds

    /// Seconds since the last `lap()` (or since creation), and restarts.
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { start = now }
        return Double(now - start) / 1e9
    }
}
