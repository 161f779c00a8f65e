import Foundation

/// The distribution functions the intervals and tests need: Student's t (CDF, quantile) for any
/// real degrees of freedom, and the standard normal.
///
/// Student's t follows the textbook identity through the regularized incomplete beta function,
/// P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2), with I evaluated by the modified Lentz continued fraction
/// (Press et al., *Numerical Recipes*, 3rd ed., §6.4). The quantile inverts the CDF by bisection
/// refined with Newton steps. Agreement with `scipy.stats.t.cdf` / `.ppf` (SciPy 1.17) is tested to
/// 1e-10 (see `DistributionTests`).
public enum Distributions {
    /// The regularized incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1];
    /// NaN outside that domain.
    public static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        regularizedIncompleteBeta(x: x, complement: 1 - x, a, b)
    }

    /// I_x(a, b) with 1 − x given as `complement`, computed by its own formula where x is near 1 (Student's t at large
    /// df: x = df/(df + t²), 1 − x = t²/(df + t²)); 1 − x from a rounded x loses its digits there (a hostile review: at
    /// 1e16 df the 97.5% quantile came out 1.73, at 1e300 df 8.6e141).
    static func regularizedIncompleteBeta(x: Double, complement y: Double, _ a: Double, _ b: Double) -> Double {
        guard a > 0, b > 0, x >= 0, x <= 1, y >= 0, y <= 1, a.isFinite, b.isFinite else { return .nan }
        // Only x itself says the function is 0: y rounds to 1 while x is still above 0 (t² > df·2⁵³; a code review: a
        // tail of 6e-9 at df 1 was 0).
        if x == 0 { return 0 }
        if y == 0 { return 1 }
        let logFront = -logBeta(a, b) + a * (x > 0.5 ? log1p(-y) : log(x)) + b * (y > 0.5 ? log1p(-x) : log(y))
        let front = exp(logFront)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry
        // I_x(a, b) = 1 − I_{1−x}(b, a) on the other side.
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x, a, b) / a
        }
        return 1 - front * betaContinuedFraction(y, b, a) / b
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). Where one argument is large (≥ 1000) the difference of two
    /// large log-gammas would cancel (at a = 5·10⁵ it kept 9 digits, at 5·10¹¹ 3): log Γ(a + b) − log Γ(a) is then
    /// taken from Stirling's series, (a − ½)·log1p(b/a) + b·log(a + b) − b + Σ B₂ₖ/(2k(2k − 1))·((a + b)^(1−2k) −
    /// a^(1−2k)) over k = 1…3 (Abramowitz & Stegun 6.1.40; the next term is below 10⁻²⁰ there).
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let (large, small) = a >= b ? (a, b) : (b, a)
        guard large >= 1000 else { return lgamma(a) + lgamma(b) - lgamma(a + b) }
        let sum = large + small
        func series(_ z: Double) -> Double {
            let inverse = 1 / z, square = inverse * inverse
            return inverse * (1.0 / 12 - square * (1.0 / 360 - square / 1260))
        }
        let ratio = (large - 0.5) * log1p(small / large) + small * log(sum) - small + (series(sum) - series(large))
        return lgamma(small) - ratio
    }

    /// The continued fraction of the incomplete beta function (modified Lentz's method).
    private static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-15
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }

    /// P(T ≤ t) for Student's t with `df` degrees of freedom (any real df > 0; +∞ gives the normal).
    /// NaN for df ≤ 0 or NaN input.
    public static func studentTCDF(_ t: Double, df: Double) -> Double {
        guard df > 0, !t.isNaN, !df.isNaN else { return .nan }
        if df.isInfinite { return normalCDF(t) }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        if let tail = largeDFTail(abs(t), df: df) { return t > 0 ? 1 - tail : tail }
        let (x, y) = betaArguments(t, df: df)
        let tail = 0.5 * regularizedIncompleteBeta(x: x, complement: y, df / 2, 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The two-sided p-value P(|T| ≥ |t|) for Student's t with `df` degrees of freedom, computed
    /// without cancellation (so tiny p-values keep their precision).
    public static func studentTTwoSidedP(_ t: Double, df: Double) -> Double {
        guard df > 0, !t.isNaN, !df.isNaN else { return .nan }
        if t.isInfinite { return 0 }
        if df.isInfinite { return 2 * normalCDF(-abs(t)) }
        if let tail = largeDFTail(abs(t), df: df) { return min(1, 2 * tail) }
        let (x, y) = betaArguments(t, df: df)
        return min(1, regularizedIncompleteBeta(x: x, complement: y, df / 2, 0.5))
    }

    /// The p-quantile of Student's t with `df` degrees of freedom; NaN for p outside (0, 1) or df ≤ 0.
    public static func studentTQuantile(_ p: Double, df: Double) -> Double {
        guard p > 0, p < 1, df > 0, !df.isNaN else { return .nan }
        if df.isInfinite { return normalQuantile(p) }
        if p == 0.5 { return 0 }
        // Large df: the Cornish–Fisher expansion of t in the normal quantile z (Abramowitz & Stegun 26.7.5), where it is
        // exact to double precision (as ``largeDFTail(_:df:)``).
        let z = normalQuantile(p)
        if df >= largeDF, z * z * z * z <= 1e-4 * df {
            let z2 = z * z
            return z + z * (z2 + 1) / (4 * df) + z * ((5 * z2 + 16) * z2 + 3) / (96 * df * df)
        }
        // Bracket, then bisect to a small interval and polish with Newton steps on the CDF.
        var low = -1.0
        var high = 1.0
        while studentTCDF(low, df: df) > p { low *= 2; if low < -1e300 { return -.infinity } }
        while studentTCDF(high, df: df) < p { high *= 2; if high > 1e300 { return .infinity } }
        for _ in 0..<200 {
            let middle = 0.5 * (low + high)
            if studentTCDF(middle, df: df) < p { low = middle } else { high = middle }
            if high - low < 1e-12 * max(1, abs(middle)) { break }
        }
        var x = 0.5 * (low + high)
        for _ in 0..<3 {
            let density = studentTDensity(x, df: df)
            guard density > 0 else { break }
            let step = (studentTCDF(x, df: df) - p) / density
            let next = x - step
            guard next >= low, next <= high else { break }
            x = next
        }
        return x
    }

    /// x = df/(df + t²) and 1 − x = t²/(df + t²), each by its own formula; past |t| ≈ 1.3e154, where t² overflows, from
    /// r = (df/t)/t as r/(1 + r) and 1/(1 + r) (a code review: the tail was NaN there, not about 1/(π·t) at df 1).
    static func betaArguments(_ t: Double, df: Double) -> (x: Double, y: Double) {
        let square = t * t
        guard square.isFinite else {
            let r = (df / t) / t
            return (r / (1 + r), 1 / (1 + r))
        }
        return (df / (df + square), square / (df + square))
    }

    /// From this many degrees of freedom, P(T > t) near the centre comes from the normal with the first two terms of
    /// its expansion in 1/df (``largeDFTail(_:df:)``): the incomplete beta at x = df/(df + t²) lost digits there.
    static let largeDF = 1e5

    /// P(T > t) for t ≥ 0 at df ≥ ``largeDF`` and t⁴ ≤ 10⁻⁴·df, from the expansion of Student's t about the normal,
    /// P(T > t) = Φ(−t) + φ(t)·[(t³ + t)/(4df) + (3t⁷ − 7t⁵ − 5t³ − 3t)/(96df²)] + O(df⁻³) (Fisher's expansion;
    /// its terms checked against mpmath's incomplete beta at 50 digits): the next term is below 10⁻¹¹ of the tail there. Nil elsewhere (the incomplete
    /// beta is used there: it keeps a tail to about 1e-10 relative up to 1e7 df and 6e-9 at 1e10 df, where t ≥ 18 and the
    /// tail is below 1e-70; a hostile review: at 1e16 df the 97.5% quantile came out 1.73).
    static func largeDFTail(_ t: Double, df: Double) -> Double? {
        guard df >= largeDF, t * t * t * t <= 1e-4 * df else { return nil }
        let t2 = t * t
        let first = t * (t2 + 1) / (4 * df)
        let second = t * (((3 * t2 - 7) * t2 - 5) * t2 - 3) / (96 * df * df)
        return normalCDF(-t) + exp(-t2 / 2) / (2 * Double.pi).squareRoot() * (first + second)
    }

    /// The density of Student's t with `df` degrees of freedom.
    public static func studentTDensity(_ t: Double, df: Double) -> Double {
        // Γ((df + 1)/2) / (Γ(df/2)·√(df·π)) = 1 / (√df·B(df/2, ½)), without the cancelling log-gammas of large df.
        let logDensity = -logBeta(df / 2, 0.5) - 0.5 * log(df) - (df + 1) / 2 * log1p(t * t / df)
        return exp(logDensity)
    }

    /// P(Z ≤ z) for the standard normal.
    public static func normalCDF(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// The p-quantile of the standard normal (Acklam's rational approximation refined by one
    /// Halley step, accurate to about 1e-15); NaN outside (0, 1).
    public static func normalQuantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return .nan }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let pLow = 0.02425
        var x: Double
        if p < pLow {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - pLow {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let error = normalCDF(x) - p
        let u = error * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// The power of a two-sided t test with `df` degrees of freedom and critical value `critical` (t₁₋α/₂,df) when
    /// the true effect is `delta` standard errors: P(|T′| > critical) with T′ = (Z + δ) / √(χ²_df / df) noncentral t,
    /// computed as E[Φ(δ − c·S) + Φ(−δ − c·S)] with S = W / √df over the chi density of W = √χ²_df, by Simpson's rule
    /// on 4000 intervals of [0, √df + 12] (beyond it the chi mass is below 1e-30). Agrees with scipy's
    /// `nct.sf(c, df, δ) + nct.cdf(−c, df, δ)` to 1e-5 for df 1–30 (MDESmallDfPowerTests). NaN when an input is not finite
    /// or `df` < 1.
    public static func tTestPower(delta: Double, critical: Double, df: Int) -> Double {
        guard critical.isFinite, delta.isFinite, df > 0 else { return .nan }
        let k = Double(df)
        // The chi density w^(k−1) e^(−w²/2) / (2^(k/2−1) Γ(k/2)).
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
            let value = density * (normalCDF(delta - critical * s) + normalCDF(-delta - critical * s))
            let weight = index == 0 || index == intervals ? 1.0 : index % 2 == 1 ? 4.0 : 2.0
            sum += weight * value
        }
        return sum * step / 3
    }
}
