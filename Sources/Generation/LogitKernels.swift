import Foundation

// The warper kernels used by `TokenSampler`: free functions over flat buffers with explicit sizes,
// following transformers' `generation/logits_process.py` (v5.x) where noted.

/// One token of a full next-token distribution.
public typealias NextTokenProbability = (id: Int, logit: Float, probability: Float)

/// The plain softmax of a logit row, no warpers: every token with its logit and probability, sorted by
/// descending probability (by descending logit, ties by ascending id).
/// - Parameter logits: one row of raw logits, one per vocabulary entry.
/// - Returns: `logits.count` entries; the probabilities sum to 1 up to float rounding.
public func nextTokenDistribution(logits: UnsafeBufferPointer<Float>) -> [NextTokenProbability] {
    guard let maximum = logits.max() else { return [] }
    var total = 0.0
    for logit in logits {
        total += Double(expf(logit - maximum))
    }
    var result: [NextTokenProbability] = []
    result.reserveCapacity(logits.count)
    for (id, logit) in logits.enumerated() {
        result.append((id, logit, Float(Double(expf(logit - maximum)) / total)))
    }
    result.sort { $0.logit != $1.logit ? $0.logit > $1.logit : $0.id < $1.id }
    return result
}

/// Logit bias then temperature, as Hugging Face applies them: `(logit + bias) / temperature` in Float.
/// out, logits: (V); bias: sparse (id, value) pairs with ids in 0..<V.
/// - Returns: the largest warped logit (−∞ for a row of −∞).
func applyBiasAndTemperature(
    logits: UnsafeBufferPointer<Float>, bias: [(id: Int, value: Float)], temperature: Float,
    into out: UnsafeMutablePointer<Float>
) -> Float {
    let count = logits.count
    guard let base = logits.baseAddress, count > 0 else { return -.infinity }
    var source = base
    if !bias.isEmpty {
        out.update(from: base, count: count)
        for (id, value) in bias {
            out[id] += value
        }
        source = UnsafePointer(out)
    }
    for index in 0..<count {
        out[index] = source[index] / temperature
    }
    var maximum = -Float.infinity
    var index = 0
    while index + 8 <= count {
        maximum = larger(maximum, blockMaximum(out, index))
        index += 8
    }
    while index < count {
        maximum = larger(maximum, out[index])
        index += 1
    }
    return maximum
}

/// The larger of two floats (the first when they are equal or unordered); compiles to `maxss`.
@inline(__always)
func larger(_ first: Float, _ second: Float) -> Float {
    second > first ? second : first
}

/// The largest of `values[index..<index + 8]`, as a balanced tree (independent operations, no long
/// dependency chain), so that scans can skip whole blocks with one comparison.
@inline(__always)
func blockMaximum(_ values: UnsafePointer<Float>, _ index: Int) -> Float {
    let low = larger(larger(values[index], values[index + 1]), larger(values[index + 2], values[index + 3]))
    let high = larger(larger(values[index + 4], values[index + 5]), larger(values[index + 6], values[index + 7]))
    return larger(low, high)
}

/// The k-th largest value of `values` counting repeats, i.e. `torch.topk(values, k).values[-1]`, the
/// threshold of transformers' `TopKLogitsWarper` (which keeps every value ≥ it, ties included).
/// values: (count); heap: scratch of at least k floats. Requires 1 ≤ k ≤ count.
/// Runs a bounded min-heap of the k largest values seen: one comparison per block of eight values,
/// plus about k·ln(count/k) heap replacements of O(log k) each when the values come in random order.
func kthLargest(
    _ values: UnsafePointer<Float>, count: Int, k: Int, heap: UnsafeMutablePointer<Float>
) -> Float {
    for index in 0..<k {
        heap[index] = values[index]
    }
    for root in stride(from: k / 2 - 1, through: 0, by: -1) {
        siftDown(heap, count: k, from: root)
    }
    // Once the heap holds large values most blocks of eight have nothing above its minimum.
    var index = k
    while index < count {
        let end = min(index + 8, count)
        if end - index < 8 || blockMaximum(values, index) > heap[0] {
            for candidate in index..<end where values[candidate] > heap[0] {
                heap[0] = values[candidate]
                siftDown(heap, count: k, from: 0)
            }
        }
        index = end
    }
    return heap[0]
}

/// Restores the min-heap property of `heap[0..<count]` below `start`.
private func siftDown(_ heap: UnsafeMutablePointer<Float>, count: Int, from start: Int) {
    var parent = start
    while true {
        var smallest = parent
        let left = 2 * parent + 1
        let right = left + 1
        if left < count && heap[left] < heap[smallest] { smallest = left }
        if right < count && heap[right] < heap[smallest] { smallest = right }
        if smallest == parent { return }
        exchange(heap, parent, smallest)
        parent = smallest
    }
}

/// Swaps two elements of a buffer.
@inline(__always)
private func exchange<Element>(_ buffer: UnsafeMutablePointer<Element>, _ first: Int, _ second: Int) {
    let saved = buffer[first]
    buffer[first] = buffer[second]
    buffer[second] = saved
}

/// A sort key whose ascending order is (warped logit descending, token id ascending): the order in which
/// the sampler lists and walks its candidates. −0 and +0 map to the same key.
@inline(__always)
func candidateKey(value: Float, id: Int) -> UInt64 {
    let bits = value == 0 ? 0 : value.bitPattern
    let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    return UInt64(~ascending) << 32 | UInt64(UInt32(truncatingIfNeeded: id))
}

/// The token id stored in the low half of a `candidateKey`.
@inline(__always)
func candidateID(_ key: UInt64) -> Int {
    Int(UInt32(truncatingIfNeeded: key))
}

/// Sorts `keys[0..<count]` ascending in place without allocating (introsort: quicksort with a
/// median-of-three pivot, insertion sort for short ranges, heapsort when recursion gets too deep).
func sortKeys(_ keys: UnsafeMutablePointer<UInt64>, count: Int) {
    guard count > 1 else { return }
    let depthLimit = 2 * (Int.bitWidth - count.leadingZeroBitCount)
    introsort(keys, low: 0, high: count - 1, depthLimit: depthLimit)
}

private func introsort(_ keys: UnsafeMutablePointer<UInt64>, low: Int, high: Int, depthLimit: Int) {
    var low = low
    var high = high
    var depth = depthLimit
    while high - low > 16 {
        if depth == 0 {
            heapSort(keys + low, count: high - low + 1)
            return
        }
        depth -= 1
        let middle = low + (high - low) / 2
        if keys[middle] < keys[low] { exchange(keys, middle, low) }
        if keys[high] < keys[low] { exchange(keys, high, low) }
        if keys[high] < keys[middle] { exchange(keys, high, middle) }
        let pivot = keys[middle]
        var left = low
        var right = high
        while left <= right {
            while keys[left] < pivot { left += 1 }
            while keys[right] > pivot { right -= 1 }
            if left <= right {
                exchange(keys, left, right)
                left += 1
                right -= 1
            }
        }
        // Recurse into the smaller half, loop on the larger: O(log n) stack.
        if right - low < high - left {
            introsort(keys, low: low, high: right, depthLimit: depth)
            low = left
        } else {
            introsort(keys, low: left, high: high, depthLimit: depth)
            high = right
        }
    }
    insertionSort(keys, low: low, high: high)
}

private func insertionSort(_ keys: UnsafeMutablePointer<UInt64>, low: Int, high: Int) {
    guard high > low else { return }
    for index in (low + 1)...high {
        let key = keys[index]
        var position = index
        while position > low && keys[position - 1] > key {
            keys[position] = keys[position - 1]
            position -= 1
        }
        keys[position] = key
    }
}

private func heapSort(_ keys: UnsafeMutablePointer<UInt64>, count: Int) {
    func siftDownMax(_ start: Int, _ end: Int) {
        var parent = start
        while true {
            var largest = parent
            let left = 2 * parent + 1
            let right = left + 1
            if left < end && keys[left] > keys[largest] { largest = left }
            if right < end && keys[right] > keys[largest] { largest = right }
            if largest == parent { return }
            exchange(keys, parent, largest)
            parent = largest
        }
    }
    for root in stride(from: count / 2 - 1, through: 0, by: -1) {
        siftDownMax(root, count)
    }
    for end in stride(from: count - 1, to: 0, by: -1) {
        exchange(keys, 0, end)
        siftDownMax(0, end)
    }
}

/// Bins of softmax mass by distance below the maximum warped logit, used to pick a candidate set that
/// holds enough probability without sorting the vocabulary. Bin `b` holds the tokens whose
/// `(maximum - value) * binsPerLogit` lies in `[b, b + 1)`; the last bin takes everything farther
/// away (and −∞). Bins are monotone in the value: a higher value never lands in a later bin.
enum MassHistogram {
    /// Bins per unit of warped logit.
    static let binsPerLogit: Float = 32
    /// 24 logit units of fine bins (e^-24 ≈ 4e-11 per token) plus the overflow bin.
    static let binCount = 24 * 32 + 1
    /// The overflow bin.
    static let lastBin = binCount - 1
    /// Extra probability asked of a first candidate set beyond what it needs, so that summation-order
    /// rounding rarely forces a second, wider set.
    static let margin = 1e-6

    /// The last bin of the next, wider candidate set after `bin` fell short: doubles the bins covered, so
    /// a set is widened at most about ten times.
    static func widen(_ bin: Int) -> Int {
        min(lastBin, 2 * bin + 1)
    }

    /// `exp(value - maximum)`, skipping libm for distances whose result underflows to 0 anyway
    /// (e^-104 < 2^-150; the underflow path of `expf` is slow, it sets errno).
    @inline(__always)
    static func weight(_ value: Float, maximum: Float) -> Float {
        let distance = value - maximum
        return distance < -104 ? 0 : expf(distance)
    }

    /// The bin of a warped logit.
    @inline(__always)
    static func bin(of value: Float, maximum: Float) -> Int {
        let distance = (maximum - value) * binsPerLogit
        return distance < Float(lastBin) ? Int(distance) : lastBin
    }
}

/// transformers' `TopPLogitsWarper` over the head of a distribution: which candidates survive.
///
/// transformers sorts the scores ascending (torch's CPU sort is stable, so equal scores stay in id
/// order), takes the float32 cumulative sum of their softmax, removes every token whose cumulative
/// probability is `≤ 1 - top_p`, and always keeps the last (most probable, highest id among equals).
/// The cumulative probability of a token is therefore `total - (mass of the tokens after it)`; this
/// walks the candidates from the top and stops at the first removed token. Within a group of equal
/// scores the higher ids come later in torch's order, so a group cut by the threshold keeps its
/// highest ids.
///
/// keys: (count) sorted `candidateKey`s, the head of the distribution; scaled, weights: (V) warped
/// logits and `exp(scaled - max)`; normalizer: the softmax denominator; total: the sum of every token's
/// probability (candidates and the mass below them); threshold: `1 - top_p` in float32; complete:
/// whether the candidates are all tokens that could survive. Kept ids go to `keptIDs`, in key order.
/// - Returns: the number kept, or nil when the walk ran off the end of an incomplete candidate set.
func nucleus(
    keys: UnsafePointer<UInt64>, count: Int, scaled: UnsafePointer<Float>, weights: UnsafePointer<Float>,
    normalizer: Double, total: Double, threshold: Float, complete: Bool, keptIDs: UnsafeMutablePointer<Int32>
) -> Int? {
    var above = 0.0
    var kept = 0
    var start = 0
    while start < count {
        let value = scaled[candidateID(keys[start])]
        var end = start + 1
        while end < count && scaled[candidateID(keys[end])] == value {
            end += 1
        }
        let size = end - start
        let probability = Double(Float(Double(weights[candidateID(keys[start])]) / normalizer))
        var firstKept = size
        for member in 0..<size {
            let cumulative = Float(total - above - Double(size - 1 - member) * probability)
            let forced = start == 0 && member == size - 1
            if cumulative > threshold || forced {
                firstKept = member
                break
            }
        }
        for member in firstKept..<size {
            keptIDs[kept] = Int32(candidateID(keys[start + member]))
            kept += 1
        }
        if firstKept > 0 {
            return kept
        }
        above += Double(size) * probability
        start = end
    }
    return complete ? kept : nil
}
