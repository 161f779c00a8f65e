@testable import Tokenizers
import XCTest

/// Long words are merged once while their bytes fit the long-word memo, and the memo stays within its bound.
final class WordCacheTests: XCTestCase {
    func testALongWordIsMergedOnceWithinTheByteBound() {
        let cache = WordCache(capacity: 10, maximumWordLength: 4, longWordBytes: 1000)
        var computed = 0
        let compute = { (word: [UInt8]) -> [Int] in computed += 1; return word.map(Int.init) }
        let long = [UInt8](repeating: 0x61, count: 20)
        XCTAssertEqual(cache.ids(for: long, compute: compute), long.map(Int.init))
        XCTAssertEqual(cache.ids(for: long, compute: compute), long.map(Int.init))
        XCTAssertEqual(computed, 1, "a repeated long word is merged once")
        // 20 bytes + 20 ids of 8 bytes = 180 > 100: not held, merged each time, and the same ids.
        let small = WordCache(capacity: 10, maximumWordLength: 4, longWordBytes: 100)
        computed = 0
        for _ in 0..<3 { XCTAssertEqual(small.ids(for: long, compute: compute), long.map(Int.init)) }
        XCTAssertEqual(computed, 3, "beyond the bound nothing is held")
    }

    /// The tokenizer gives the same ids for a long word whether it comes from the memo or not.
    func testTheTokenizerGivesTheSameIdsForARepeatedLongWord() throws {
        func fresh() throws -> GPT2Tokenizer {
            try GPT2Tokenizer(vocabulary: TokenizerFixture.vocabularyData(), merges: TokenizerFixture.mergesData())
        }
        let tokenizer = try fresh()
        let text = " " + String(repeating: "the", count: 400)
        let first = tokenizer.encode(text)
        XCTAssertGreaterThan(first.count, 1)
        XCTAssertEqual(tokenizer.encode(text), first, "from the memo")
        XCTAssertEqual(try fresh().encode("a" + text), [try fresh().encode("a")[0]] + first, "the memo changes no id")
    }
}
