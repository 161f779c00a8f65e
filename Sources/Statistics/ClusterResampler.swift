/// The two-stage cluster bootstrap draw, shared by every interval in this target.
///
/// One draw resamples the units of a group with replacement (stage 1: terms are the independent
/// units, so the interval reflects which names happened to be chosen), then, inside each drawn unit,
/// resamples each template cell's observations with replacement (stage 2: the sampling noise of the
/// completions). The result is kept as per-stratum sums Σx and Σw, from which any ratio-of-sums
/// statistic (group estimate, stratified contrast) is recomputed.
///
/// A resampler can carry several *layers* of values over one layout: the same units and cells with
/// different observations (two models on the same prompts and sample indices). One draw then picks
/// the same units and the same sample indices for every layer: the paired, common-random-numbers
/// bootstrap. Sums are stored in reusable buffers, so drawing allocates nothing.
struct ClusterResampler {
    let layout: ClusterLayout
    let layerCount: Int
    /// Values of layer k at `k * observationCount + i`.
    private let x: [Double]
    private let w: [Double]
    /// Sums of layer k, stratum t at `k * strata + t`.
    private(set) var sumX: [Double]
    private(set) var sumW: [Double]

    /// A resampler over the given groups, which must share one layout (checked by the callers).
    init(layers: [PreparedGroup]) {
        precondition(!layers.isEmpty && layers.allSatisfy { $0.layout == layers[0].layout })
        layout = layers[0].layout
        layerCount = layers.count
        x = layers.flatMap(\.x)
        w = layers.flatMap(\.w)
        sumX = [Double](repeating: 0, count: layers.count * layout.strata.count)
        sumW = sumX
    }

    /// Fills the sums with the observed data (no resampling).
    mutating func loadObserved() {
        clear()
        let strataCount = layout.strata.count
        let observationCount = layout.observationCount
        for span in layout.spans {
            for layer in 0..<layerCount {
                let slot = layer * strataCount + span.stratum
                for i in span.start..<(span.start + span.count) {
                    sumX[slot] += x[layer * observationCount + i]
                    sumW[slot] += w[layer * observationCount + i]
                }
            }
        }
    }

    /// Replaces the sums with those of one two-stage resample drawn from `rng`.
    mutating func resample(using rng: inout Xoshiro256StarStar) {
        clear()
        let unitCount = layout.units.count
        guard unitCount > 0 else { return }
        let strataCount = layout.strata.count
        let observationCount = layout.observationCount
        let layers = layerCount
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                layout.spans.withUnsafeBufferPointer { spans in
                    layout.spanStart.withUnsafeBufferPointer { spanStart in
                        sumX.withUnsafeMutableBufferPointer { sumX in
                            sumW.withUnsafeMutableBufferPointer { sumW in
                                for _ in 0..<unitCount {
                                    let unit = rng.below(unitCount)
                                    for spanIndex in spanStart[unit]..<spanStart[unit + 1] {
                                        let span = spans[spanIndex]
                                        if layers == 1 {
                                            var spanX = 0.0
                                            var spanW = 0.0
                                            for _ in 0..<span.count {
                                                let i = span.start + rng.below(span.count)
                                                spanX += x[i]
                                                spanW += w[i]
                                            }
                                            sumX[span.stratum] += spanX
                                            sumW[span.stratum] += spanW
                                            continue
                                        }
                                        for _ in 0..<span.count {
                                            let i = span.start + rng.below(span.count)
                                            for layer in 0..<layers {
                                                let slot = layer * strataCount + span.stratum
                                                sumX[slot] += x[layer * observationCount + i]
                                                sumW[slot] += w[layer * observationCount + i]
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Σx / Σw over all strata of one layer; NaN when Σw = 0.
    func pooledRatio(layer: Int = 0) -> Double {
        let strataCount = layout.strata.count
        var totalX = 0.0
        var totalW = 0.0
        for t in 0..<strataCount {
            totalX += sumX[layer * strataCount + t]
            totalW += sumW[layer * strataCount + t]
        }
        return totalW > 0 ? totalX / totalW : .nan
    }

    /// Σx / Σw of one stratum of one layer; NaN when that stratum has no weight.
    func stratumRatio(_ stratum: Int, layer: Int = 0) -> Double {
        let slot = layer * layout.strata.count + stratum
        return sumW[slot] > 0 ? sumX[slot] / sumW[slot] : .nan
    }

    private mutating func clear() {
        for i in sumX.indices {
            sumX[i] = 0
            sumW[i] = 0
        }
    }
}
