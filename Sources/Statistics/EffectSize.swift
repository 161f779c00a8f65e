import Foundation

/// Which standardized effect size a contrast reports.
public enum EffectSizeKind: String, Sendable, Codable, CaseIterable {
    /// Cohen's d on completion-level scores, for continuous scores such as VADER compound.
    case cohensD = "cohens_d"
    /// Cohen's h on the two groups' rates, for 0/1 outcomes and shares.
    case cohensH = "cohens_h"
}

/// Cohen's d = (mean(a) − mean(b)) / pooled SD, with the pooled variance
/// (Σ(a − ā)² + Σ(b − b̄)²) / (n_a + n_b − 2).
///
/// Question answered: "is the gap between the groups large compared with how much single completions
/// vary?" `contrast` passes completion-level scores, so d does not change with the number of samples
/// (d on term means grew from 0.51 at 10 samples to 0.85 at 100 for the same gap) and Cohen's
/// conventions (0.2 small, 0.5 medium, 0.8 large) apply as he defined them, on individual scores.
/// - Returns: nil when either sample is empty, n_a + n_b < 3, or the pooled SD is not finite or is 0 up to
///   rounding (at most 1e-9 of the larger mean's size: identical scores left an SD of 3e-16, and d = 1.9 or
///   2e15 "large" between groups that did not vary).
public func cohensD(_ a: [Double], _ b: [Double]) -> Double? {
    guard !a.isEmpty, !b.isEmpty, a.count + b.count >= 3 else { return nil }
    let meanA = Descriptive.mean(a)
    let meanB = Descriptive.mean(b)
    let squaresA = a.reduce(0) { $0 + ($1 - meanA) * ($1 - meanA) }
    let squaresB = b.reduce(0) { $0 + ($1 - meanB) * ($1 - meanB) }
    let pooled = ((squaresA + squaresB) / Double(a.count + b.count - 2)).squareRoot()
    guard pooled.isFinite, pooled > 1e-9 * max(abs(meanA), abs(meanB)), pooled > 0 else { return nil }
    let d = (meanA - meanB) / pooled
    return d.isFinite ? d : nil
}

/// Cohen's h = 2·asin(√p1) − 2·asin(√p2), the difference of two proportions on the arcsine scale.
///
/// Question answered: "how large is a gap between two rates?" The arcsine transform makes a gap of
/// 0.05 near 0.5 and one near 0.01 comparable (equal h means equally detectable), which a raw
/// difference of rates does not. Conventional readings: 0.2 small, 0.5 medium, 0.8 large.
/// - Returns: nil when either proportion is NaN or outside [0, 1].
public func cohensH(_ p1: Double, _ p2: Double) -> Double? {
    guard (0...1).contains(p1), (0...1).contains(p2) else { return nil }
    return 2 * asin(p1.squareRoot()) - 2 * asin(p2.squareRoot())
}
