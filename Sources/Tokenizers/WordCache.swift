import Foundation

/// A bounded, thread-safe memo of word bytes → token ids, shared by every thread that encodes.
///
/// Like the BPE cache of Hugging Face `tokenizers`, it holds at most `capacity` words and simply
/// stops adding once full (no eviction), and words longer than `maximumWordLength` bytes are
/// not stored there, so memory stays bounded whatever text is encoded. Longer words go to a second
/// memo bounded by their total bytes (`longWordBytes`): a template is one long word repeated in
/// every prompt made from it (a hostile review's 1000 templates of one 8,000-character word took
/// `lint` 10 minutes in a debug build, each prompt merging the word again). A memo changes no id.
final class WordCache: @unchecked Sendable {
    /// Most words the cache holds.
    let capacity: Int
    /// Longest word, in bytes, that the cache stores.
    let maximumWordLength: Int

    /// Most bytes of words longer than `maximumWordLength` held, in all.
    let longWordBytes: Int

    private let lock = NSLock()
    private var entries: [[UInt8]: [Int]] = [:]
    private var longEntries: [[UInt8]: [Int]] = [:]
    private var longBytesHeld = 0

    /// - Parameters:
    ///   - capacity: most words held (10 000, as in `tokenizers`).
    ///   - maximumWordLength: longest word stored, in bytes.
    ///   - longWordBytes: most bytes of longer words held (16 MiB: twice the largest prompt-set file).
    init(capacity: Int = 10_000, maximumWordLength: Int = 256, longWordBytes: Int = 16 << 20) {
        self.capacity = capacity
        self.maximumWordLength = maximumWordLength
        self.longWordBytes = longWordBytes
    }

    /// The ids of `word`: from the cache, or computed by `compute` (outside the lock) and stored.
    func ids(for word: [UInt8], compute: ([UInt8]) -> [Int]) -> [Int] {
        let long = word.count > maximumWordLength
        if let hit = lock.withLock({ long ? longEntries[word] : entries[word] }) {
            return hit
        }
        let ids = compute(word)
        lock.withLock {
            if long {
                // Bytes of the word and of its ids, bounded in all (no eviction, as the short memo).
                let size = word.count + ids.count * MemoryLayout<Int>.size
                if longBytesHeld + size <= longWordBytes, longEntries[word] == nil {
                    longEntries[word] = ids
                    longBytesHeld += size
                }
            } else if entries.count < capacity {
                entries[word] = ids
            }
        }
        return ids
    }
}
