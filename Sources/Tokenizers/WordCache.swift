import Foundation

/// A bounded, thread-safe memo of word bytes → token ids, shared by every thread that encodes.
///
/// Like the BPE cache of Hugging Face `tokenizers`, it holds at most `capacity` words and simply
/// stops adding once full (no eviction), and words longer than `maximumWordLength` bytes are
/// never stored, so memory stays bounded whatever text is encoded.
final class WordCache: @unchecked Sendable {
    /// Most words the cache holds.
    let capacity: Int
    /// Longest word, in bytes, that the cache stores.
    let maximumWordLength: Int

    private let lock = NSLock()
    private var entries: [[UInt8]: [Int]] = [:]

    /// - Parameters:
    ///   - capacity: most words held (10 000, as in `tokenizers`).
    ///   - maximumWordLength: longest word stored, in bytes.
    init(capacity: Int = 10_000, maximumWordLength: Int = 256) {
        self.capacity = capacity
        self.maximumWordLength = maximumWordLength
    }

    /// The ids of `word`: from the cache, or computed by `compute` (outside the lock) and stored.
    func ids(for word: [UInt8], compute: ([UInt8]) -> [Int]) -> [Int] {
        guard word.count <= maximumWordLength else { return compute(word) }
        if let hit = lock.withLock({ entries[word] }) {
            return hit
        }
        let ids = compute(word)
        lock.withLock {
            if entries.count < capacity {
                entries[word] = ids
            }
        }
        return ids
    }
}
