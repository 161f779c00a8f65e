/// Which relabellings the permutation test draws from: the units of both groups split into
/// independent blocks, within each of which the group labels are permuted keeping the block's
/// number of A units.
///
/// Rule, read from the data: two units are in the same block when they have a cell in a common
/// template, and blocks are closed under that link (the connected components of the unit–template
/// graph). Hence:
/// - **crossed** designs (terms that appear in every template, or in overlapping sets of templates)
///   form one block: the labels are permuted across the whole design, and a unit keeps one label in
///   every template it occurs in;
/// - **nested** designs (each unit, e.g. a fixed prompt, occurs in exactly one template) form one
///   block per template: the labels are permuted among the units of each template independently,
///   keeping that template's group sizes. With one unit per group per template this is a sign-flip
///   test over the templates (2^T relabellings);
/// - **mixed** designs, where some units span several templates and others occur in one, are joined
///   wherever they share a template: a unit spanning templates t and t' must carry one label in
///   both, so the labels of everything linked to it are permuted jointly (as in a crossed design),
///   and a relabelling that leaves a template with units of only one group drops that template from
///   the statistic (it is then undefined only if no template is left). Template families with
///   disjoint units remain separate blocks, since no unit could ever move between them.
struct RelabellingBlocks {
    /// One block: its units (indices into A's units followed by B's, ascending) and how many of them
    /// the observed labelling puts in A.
    struct Block {
        let units: [Int]
        let sizeA: Int
    }

    /// The blocks, ordered by their first unit.
    let blocks: [Block]
    /// The number of units of A and B together.
    let unitCount: Int

    /// The blocks of groups `a` and `b` (prepared over the same strata); units of `a` come first.
    init(_ a: PreparedGroup, _ b: PreparedGroup) {
        let countA = a.layout.units.count
        unitCount = countA + b.layout.units.count
        var parent = Array(0..<unitCount)
        func root(_ unit: Int) -> Int {
            var unit = unit
            while parent[unit] != unit {
                parent[unit] = parent[parent[unit]]
                unit = parent[unit]
            }
            return unit
        }
        var firstInStratum = [Int?](repeating: nil, count: a.layout.strata.count)
        for (group, offset) in [(a, 0), (b, countA)] {
            let layout = group.layout
            for unit in layout.units.indices {
                for span in layout.spans[layout.spanStart[unit]..<layout.spanStart[unit + 1]] {
                    guard let first = firstInStratum[span.stratum] else {
                        firstInStratum[span.stratum] = offset + unit
                        continue
                    }
                    let (left, right) = (root(first), root(offset + unit))
                    if left != right { parent[max(left, right)] = min(left, right) }
                }
            }
        }
        var members: [Int: [Int]] = [:]
        for unit in 0..<unitCount {
            members[root(unit), default: []].append(unit)
        }
        blocks = members.keys.sorted().map { key in
            let units = members[key] ?? []
            return Block(units: units, sizeA: units.filter { $0 < countA }.count)
        }
    }

    /// The number of distinct relabellings, Π over blocks of C(n_block, a_block), or nil when it
    /// exceeds `cap`.
    func relabellingCount(cap: Int) -> Int? {
        var total = 1
        for block in blocks {
            guard let count = binomial(block.units.count, block.sizeA, cap: cap),
                count <= cap / max(total, 1)
            else { return nil }
            total *= count
        }
        return total <= cap ? total : nil
    }

    /// Calls `body` once with every distinct relabelling (`inA[unit]`), the observed one included.
    func forEachRelabelling(_ body: ([Bool]) -> Void) {
        var chosen = blocks.map { Array(0..<$0.sizeA) }
        var inA = [Bool](repeating: false, count: unitCount)
        for index in blocks.indices {
            label(block: index, chosen: chosen[index], into: &inA)
        }
        while true {
            body(inA)
            var index = 0
            while index < blocks.count {
                let carried = !advance(&chosen[index], n: blocks[index].units.count)
                label(block: index, chosen: chosen[index], into: &inA)
                guard carried else { break }
                index += 1
            }
            guard index < blocks.count else { return }
        }
    }

    /// Draws a relabelling uniformly from `rng` into `inA`: in each block, a partial Fisher–Yates
    /// shuffle of `order[block]` (kept between draws) whose first `sizeA` positions become A.
    func draw(into inA: inout [Bool], order: inout [[Int]], using rng: inout Xoshiro256StarStar) {
        for (index, block) in blocks.enumerated() {
            let count = block.units.count
            for i in 0..<block.sizeA {
                order[index].swapAt(i, i + rng.below(count - i))
            }
            for (position, slot) in order[index].enumerated() {
                inA[block.units[slot]] = position < block.sizeA
            }
        }
    }

    /// The initial shuffle state for `draw`: each block's positions in order.
    var initialOrder: [[Int]] {
        blocks.map { Array(0..<$0.units.count) }
    }

    /// Writes block `index`'s labels: its units at the positions in `chosen` are A, the others B.
    private func label(block index: Int, chosen: [Int], into inA: inout [Bool]) {
        let units = blocks[index].units
        for unit in units {
            inA[unit] = false
        }
        for position in chosen {
            inA[units[position]] = true
        }
    }
}

/// C(n, k), or nil when it exceeds `cap`.
func binomial(_ n: Int, _ k: Int, cap: Int) -> Int? {
    guard k >= 0, k <= n else { return 0 }
    let k = min(k, n - k)
    var value = 1.0
    for i in 0..<k {
        value = value * Double(n - i) / Double(i + 1)
        if value > Double(cap) { return nil }
    }
    return Int(value.rounded())
}

/// Moves a sorted k-subset of 0..<n to the next one in lexicographic order; after the last subset
/// it restarts at the first and returns false.
private func advance(_ chosen: inout [Int], n: Int) -> Bool {
    let k = chosen.count
    var i = k - 1
    while i >= 0, chosen[i] == n - k + i { i -= 1 }
    guard i >= 0 else {
        for j in 0..<k { chosen[j] = j }
        return false
    }
    chosen[i] += 1
    for j in (i + 1)..<k {
        chosen[j] = chosen[j - 1] + 1
    }
    return true
}
