import XCTest
import Tokenizers

/// Targeted cases whose expected ids were checked against `GPT2TokenizerFast` behaviour
/// (and an independent Python implementation of OpenAI's `encoder.py` on the same files).
final class EncodingBehaviourTests: XCTestCase {
    private func assertEncodes(
        _ text: String, tokens expectedTokens: [String], ids expectedIDs: [Int],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let tokenizer = try TokenizerFixture.gpt2()
        let ids = tokenizer.encode(text)
        XCTAssertEqual(ids, expectedIDs, "ids of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(tokenizer.tokens(for: ids), expectedTokens, "tokens of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(
            Array(tokenizer.decode(ids).unicodeScalars), Array(text.unicodeScalars),
            "decode(encode(\(text.debugDescription)))", file: file, line: line
        )
    }

    func testVocabularyLookups() throws {
        let tokenizer = try TokenizerFixture.gpt2()
        XCTAssertEqual(tokenizer.vocabularySize, 50257)
        XCTAssertEqual(tokenizer.endOfTextID, 50256)
        XCTAssertEqual(tokenizer.id(for: "Ġworld"), 995)
        XCTAssertEqual(tokenizer.token(for: 995), "Ġworld")
        XCTAssertEqual(tokenizer.token(for: 50256), "<|endoftext|>")
        XCTAssertNil(tokenizer.token(for: 50257))
        XCTAssertNil(tokenizer.token(for: -1))
        XCTAssertNil(tokenizer.id(for: "no such token"))
    }

    func testWordsAndLeadingSpace() throws {
        try assertEncodes("Hello world", tokens: ["Hello", "Ġworld"], ids: [15496, 995])
        try assertEncodes("hello", tokens: ["hello"], ids: [31373])
        try assertEncodes("", tokens: [], ids: [])
    }

    func testTrailingSpaceIsItsOwnToken() throws {
        try assertEncodes("hello ", tokens: ["hello", "Ġ"], ids: [31373, 220])
    }

    func testWhitespaceRunLeavesItsLastSpaceToTheNextWord() throws {
        try assertEncodes("a  b", tokens: ["a", "Ġ", "Ġb"], ids: [64, 220, 275])
        try assertEncodes("a   b", tokens: ["a", "Ġ", "Ġ", "Ġb"], ids: [64, 220, 220, 275])
        try assertEncodes("  ", tokens: ["Ġ", "Ġ"], ids: [220, 220])
        try assertEncodes("x \t y", tokens: ["x", "Ġ", "ĉ", "Ġy"], ids: [87, 220, 197, 331])
        try assertEncodes("\t\tword", tokens: ["ĉ", "ĉ", "word"], ids: [197, 197, 4775])
    }

    func testNewlineRunsMergeOnlyAtTheEnd() throws {
        try assertEncodes("a\n\nb", tokens: ["a", "Ċ", "Ċ", "b"], ids: [64, 198, 198, 65])
        try assertEncodes("a\n\n", tokens: ["a", "ĊĊ"], ids: [64, 628])
    }

    func testUnicodeSpacesAreWhitespaceButDoNotAttach() throws {
        try assertEncodes("a\u{3000}b", tokens: ["a", "ãĢ", "Ģ", "b"], ids: [64, 5099, 222, 65])
        try assertEncodes("a\u{A0}\u{A0}b", tokens: ["a", "Âł", "Âł", "b"], ids: [64, 1849, 1849, 65])
    }

    func testContractionsAreLowercaseOnly() throws {
        try assertEncodes(
            "I'm sure they'll say it's fine, we've re'd",
            tokens: ["I", "'m", "Ġsure", "Ġthey", "'ll", "Ġsay", "Ġit", "'s", "Ġfine", ",", "Ġwe", "'ve", "Ġre", "'d"],
            ids: [40, 1101, 1654, 484, 1183, 910, 340, 338, 3734, 11, 356, 1053, 302, 1549]
        )
        try assertEncodes("don't", tokens: ["don", "'t"], ids: [9099, 470])
        try assertEncodes("DON'T STOP", tokens: ["DON", "'", "T", "ĠSTOP"], ids: [41173, 6, 51, 44934])
        try assertEncodes("'hello'", tokens: ["'", "hello", "'"], ids: [6, 31373, 6])
    }

    func testEmojiAndCJKSplitIntoByteTokens() throws {
        try assertEncodes("😀", tokens: ["ðŁĺ", "Ģ"], ids: [47249, 222])
        try assertEncodes(
            "I ❤️ 👩‍👧!",
            tokens: ["I", "ĠâĿ", "¤", "ï¸ı", "ĠðŁĳ", "©", "âĢ", "į", "ðŁĳ", "§", "!"],
            ids: [40, 43074, 97, 37929, 50169, 102, 447, 235, 41840, 100, 0]
        )
        try assertEncodes("日本", tokens: ["æĹ", "¥", "æľ", "¬"], ids: [33768, 98, 17312, 105])
    }

    func testEndOfTextInTextIsTheSpecialToken() throws {
        try assertEncodes("<|endoftext|>", tokens: ["<|endoftext|>"], ids: [50256])
        try assertEncodes(
            "Hello<|endoftext|>World", tokens: ["Hello", "<|endoftext|>", "World"], ids: [15496, 50256, 10603]
        )
        try assertEncodes(" <|endoftext|> ", tokens: ["Ġ", "<|endoftext|>", "Ġ"], ids: [220, 50256, 220])
    }

    func testDecodeOfPartialUTF8GivesReplacementCharacter() throws {
        let tokenizer = try TokenizerFixture.gpt2()
        XCTAssertEqual(tokenizer.decode([47249]), "\u{FFFD}", "the first three bytes of 😀 are one ill-formed part")
        XCTAssertEqual(tokenizer.decode([222]), "\u{FFFD}", "a lone continuation byte")
        XCTAssertEqual(tokenizer.decode([33768]), "\u{FFFD}", "the first two bytes of 日")
        XCTAssertEqual(tokenizer.decode([222, 47249]), "\u{FFFD}\u{FFFD}", "each ill-formed part becomes one U+FFFD")
        XCTAssertEqual(tokenizer.decode([15496, 47249, 995]), "Hello\u{FFFD} world")
        XCTAssertEqual(tokenizer.decode([47249, 222]), "😀")
    }

    func testDecodeSkipsIDsOutsideTheVocabulary() throws {
        let tokenizer = try TokenizerFixture.gpt2()
        XCTAssertEqual(tokenizer.decode([15496, 50257, -3, 995]), "Hello world")
        XCTAssertEqual(tokenizer.tokens(for: [15496, 99_999, 995]), ["Hello", "Ġworld"])
    }

    func testConcurrentEncodingAgreesWithSerialEncoding() throws {
        let tokenizer = try GPT2Tokenizer(
            vocabulary: TokenizerFixture.vocabularyData(), merges: TokenizerFixture.mergesData()
        )
        let texts = try TokenizerFixture.goldenCases().map(\.text)
        let expected = try texts.map(TokenizerFixture.gpt2().encode)
        let workers = 8
        let results = ResultsBox(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            results.set(worker, texts.map(tokenizer.encode))
        }
        for worker in 0..<workers {
            XCTAssertEqual(results.get(worker), expected, "worker \(worker) encoded differently")
        }
    }
}

/// Per-worker results of the concurrency test, written from several threads.
private final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [[[Int]]]

    init(count: Int) {
        values = Array(repeating: [], count: count)
    }

    func set(_ index: Int, _ value: [[Int]]) {
        lock.withLock { values[index] = value }
    }

    func get(_ index: Int) -> [[Int]] {
        lock.withLock { values[index] }
    }
}
