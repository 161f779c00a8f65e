import Foundation
import Statistics

/// Seeded synthetic audit data for the simulation tests.
struct Synthetic {
    private var rng: Xoshiro256StarStar

    init(seed: UInt64) {
        rng = Xoshiro256StarStar(seed: seed)
    }

    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double {
        let u1 = 1 - rng.unitInterval()
        let u2 = rng.unitInterval()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A group of `units` terms × `templateEffects.count` templates × `samples` completions with
    /// score = mean + templateEffect + unitSD·N(0,1) (per unit) + sampleSD·N(0,1) (per completion), w = 1.
    mutating func meanGroup(
        prefix: String, units: Int, samples: Int, mean: Double, templateEffects: [Double],
        unitSD: Double, sampleSD: Double
    ) -> GroupData {
        var cells: [Cell] = []
        for unit in 0..<units {
            let unitEffect = unitSD * normal()
            for (template, templateEffect) in templateEffects.enumerated() {
                let observations = (0..<samples).map { _ in
                    Observation(score: mean + templateEffect + unitEffect + sampleSD * normal())
                }
                cells.append(Cell(stratum: "t\(template)", unit: "\(prefix)\(unit)", observations: observations))
            }
        }
        return GroupData(cells: cells)
    }
}
