import AuditResults
import Foundation

/// A linear axis with "nice" tick values (1, 2 or 5 × 10ⁿ apart) covering a set of values.
struct AxisScale {
    let lower: Double
    let upper: Double
    let step: Double
    private let range: ClosedRange<Double>

    /// Covers `values` with a little padding, snapped outwards to whole ticks.
    init(values: [Double], range: ClosedRange<Double>) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if high - low < 1e-9 {
            low -= 0.5
            high += 0.5
        }
        let step = Self.niceStep((high - low) / 5)
        self.lower = (low / step).rounded(.down) * step
        self.upper = (high / step).rounded(.up) * step
        self.step = step
        self.range = range
    }

    /// The screen position of `value`.
    func position(_ value: Double) -> Double {
        range.lowerBound + (value - lower) / (upper - lower) * (range.upperBound - range.lowerBound)
    }

    /// The tick values with their labels in `style` (`percent` appends %).
    func ticks(percent: Bool, style: NumberStyle = .english) -> [(Double, String)] {
        let decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { index in
            let value = lower + Double(index) * step
            return (value, ReportNumbers.fixed(value, decimals: decimals, style: style) + (percent ? style.percentSign : ""))
        }
    }

    private static func niceStep(_ rough: Double) -> Double {
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let fraction = rough / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }
}
