import AuditResults
import Foundation
import Statistics

/// The exact power of a contrast's two-sided t test at a gap equal to its minimum detectable effect, for the Methods'
/// sentence on contrasts with few degrees of freedom (a statistician's review: a 99% report quoted the 73–79% of
/// α = 0.05; at α = 0.01 it is 69–75%).
///
/// The MDE is (t₁₋α/₂ + t_power) × SE on the contrast's df; at that gap the test statistic is noncentral t with
/// noncentrality δ = t₁₋α/₂ + t_power, so the exact power is P(|T′| > t₁₋α/₂) with T′ = (Z + δ) / √(χ²_df / df):
/// E[Φ(δ − c·S) + Φ(−δ − c·S)] with S = W / √df over the chi density of W = √χ²_df, by Simpson's rule.
enum MDEExactPower {
    /// The degrees of freedom the Methods name ("with 1–4").
    static let smallDegreesOfFreedom = 1...4

    /// The exact power at the MDE of a test with `df` degrees of freedom at `alpha`, the MDE taken for power `nominal`.
    static func power(df: Int, alpha: Double, nominal: Double) -> Double {
        let k = Double(df)
        let critical = Distributions.studentTQuantile(1 - alpha / 2, df: k)
        let delta = critical + Distributions.studentTQuantile(nominal, df: k)
        guard critical.isFinite, delta.isFinite, df > 0 else { return .nan }
        // The chi density w^(k−1) e^(−w²/2) / (2^(k/2−1) Γ(k/2)); beyond w = √k + 12 its mass is below 1e-30.
        let logScale = (k / 2 - 1) * log(2.0) + lgamma(k / 2)
        let upper = k.squareRoot() + 12
        let intervals = 4000
        let step = upper / Double(intervals)
        var sum = 0.0
        for index in 0...intervals {
            let w = Double(index) * step
            // With 1 df, w^0 = 1 (0 × log of the smallest double is 0); with more, the density is 0 at w = 0.
            let density = exp((k - 1) * log(max(w, .leastNonzeroMagnitude)) - w * w / 2 - logScale)
            let s = w / k.squareRoot()
            let value = density * (Distributions.normalCDF(delta - critical * s) + Distributions.normalCDF(-delta - critical * s))
            let weight = index == 0 || index == intervals ? 1.0 : index % 2 == 1 ? 4.0 : 2.0
            sum += weight * value
        }
        return sum * step / 3
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
