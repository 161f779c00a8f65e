/// The byte-pair merge step: turns the bytes of one pre-tokenized word into vocabulary ids.
///
/// Matches `Word::merge_all` of Hugging Face `tokenizers` (v0.2x, no dropout): start from one
/// symbol per byte, then repeatedly merge the adjacent pair with the lowest merge rank, the
/// leftmost one on ties, until no adjacent pair has a merge. Stale queue entries are skipped
/// when the pair at their position no longer produces the same token, exactly as there.
struct BytePairMerger: Sendable {
    /// One merge rule: the rank (line order in `merges.txt`) and the id of the merged token.
    struct Merge: Sendable {
        let rank: Int32
        let mergedID: Int32
    }

    /// The merge for each pair of ids, keyed by `pairKey(left, right)`.
    private let merges: [UInt64: Merge]
    /// The vocabulary id of the single-byte token for each byte value.
    private let byteIDs: [Int32]

    /// - Parameters:
    ///   - merges: merge rules keyed by `pairKey(left, right)`.
    ///   - byteIDs: 256 ids, the single-byte token of each byte value.
    init(merges: [UInt64: Merge], byteIDs: [Int32]) {
        precondition(byteIDs.count == 256, "one id per byte value")
        self.merges = merges
        self.byteIDs = byteIDs
    }

    /// The dictionary key of an ordered pair of ids.
    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// The ids of one pre-tokenized word, given as its UTF-8 bytes.
    func encode(_ bytes: [UInt8]) -> [Int] {
        var ids = bytes.map { byteIDs[Int($0)] }
        guard ids.count > 1 else { return ids.map(Int.init) }
        var next = [Int32](0..<Int32(ids.count)).map { $0 + 1 }
        next[ids.count - 1] = -1
        var previous = [Int32](0..<Int32(ids.count)).map { $0 - 1 }
        var removed = [Bool](repeating: false, count: ids.count)

        var queue = MergeQueue()
        for position in 0..<(ids.count - 1) {
            if let merge = merges[Self.pairKey(ids[position], ids[position + 1])] {
                queue.push(.init(rank: merge.rank, position: Int32(position), mergedID: merge.mergedID))
            }
        }
        while let top = queue.pop() {
            let position = Int(top.position)
            guard !removed[position], next[position] >= 0 else { continue }
            let right = Int(next[position])
            guard merges[Self.pairKey(ids[position], ids[right])]?.mergedID == top.mergedID else { continue }

            ids[position] = top.mergedID
            removed[right] = true
            next[position] = next[right]
            if next[right] >= 0 {
                previous[Int(next[right])] = Int32(position)
            }
            if previous[position] >= 0 {
                let left = Int(previous[position])
                if let merge = merges[Self.pairKey(ids[left], ids[position])] {
                    queue.push(.init(rank: merge.rank, position: Int32(left), mergedID: merge.mergedID))
                }
            }
            if next[position] >= 0 {
                if let merge = merges[Self.pairKey(ids[position], ids[Int(next[position])])] {
                    queue.push(.init(rank: merge.rank, position: top.position, mergedID: merge.mergedID))
                }
            }
        }
        var result: [Int] = []
        result.reserveCapacity(ids.count)
        for position in ids.indices where !removed[position] {
            result.append(Int(ids[position]))
        }
        return result
    }
}

/// A binary min-heap of candidate merges ordered by rank, then by position (leftmost first).
private struct MergeQueue {
    struct Entry {
        let rank: Int32
        let position: Int32
        let mergedID: Int32

        func precedes(_ other: Entry) -> Bool {
            rank != other.rank ? rank < other.rank : position < other.position
        }
    }

    private var entries: [Entry] = []

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].precedes(entries[smallest]) { smallest = left }
            if right < entries.count, entries[right].precedes(entries[smallest]) { smallest = right }
            guard smallest != parent else { return first }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
