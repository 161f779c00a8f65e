import AuditResults
import Foundation
import Statistics

/// The exact power of a contrast's two-sided t test at a gap equal to its minimum detectable effect, for the Methods'
/// sentence on contrasts with few degrees of freedom (a statistician's review: a 99% report quoted the 73–79% of
/// α = 0.05; at α = 0.01 it is 69–75%).
///
/// The MDE is (t₁₋α/₂ + t_power) × SE on the contrast's df; at that gap the test statistic is noncentral t with
/// noncentrality δ = t₁₋α/₂ + t_power (``Distributions/tTestPower(delta:critical:df:)``).
enum MDEExactPower {
    /// The degrees of freedom the Methods name ("with 1–4").
    static let smallDegreesOfFreedom = 1...4

    /// The exact power at the MDE of a test with `df` degrees of freedom at `alpha`, the MDE taken for power `nominal`.
    static func power(df: Int, alpha: Double, nominal: Double) -> Double {
        let k = Double(df)
        let critical = Distributions.studentTQuantile(1 - alpha / 2, df: k)
        return Distributions.tTestPower(delta: critical + Distributions.studentTQuantile(nominal, df: k), critical: critical, df: df)
    }

    /// The exact powers at the MDE over ``smallDegreesOfFreedom``, as whole percentages (lowest, highest), and where
    /// they lie against the nominal power: −1 all below it, +1 all above, 0 on both sides.
    static func smallDegreesOfFreedomRange(alpha: Double, nominal: Double) -> (low: Int, high: Int, side: Int)? {
        let powers = smallDegreesOfFreedom.map { power(df: $0, alpha: alpha, nominal: nominal) }
        guard powers.allSatisfy(\.isFinite), let low = powers.min(), let high = powers.max() else { return nil }
        let side = high < nominal ? -1 : low > nominal ? 1 : 0
        return (Int((low * 100).rounded()), Int((high * 100).rounded()), side)
    }
}
