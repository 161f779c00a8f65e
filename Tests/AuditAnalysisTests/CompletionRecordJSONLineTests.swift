@testable import AuditAnalysis
import AuditResults
import Foundation
import XCTest

/// `completions.jsonl` is written without `JSONEncoder` (``CompletionRecord/jsonLines(_:)``); its bytes must stay those
/// `AuditJSON.encoder(pretty: false)` writes for each record, followed by a newline: the reference kept here.
final class CompletionRecordJSONLineTests: XCTestCase {
    /// The reference: each record through the results encoder, one line each.
    private func encoderLines(_ records: [CompletionRecord]) throws -> Data {
        let encoder = AuditJSON.encoder(pretty: false)
        var lines = Data()
        for record in records {
            lines.append(try encoder.encode(record))
            lines.append(0x0A)
        }
        return lines
    }

    /// Fails naming the first record whose line differs, with both lines.
    private func assertSameLines(_ records: [CompletionRecord], file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try encoderLines(records)
        let written = CompletionRecord.jsonLines(records)
        guard written != expected else { return }
        let expectedLines = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
        let writtenLines = written.split(separator: 0x0A, omittingEmptySubsequences: false)
        let mismatches = zip(expectedLines, writtenLines).enumerated().filter { $0.element.0 != $0.element.1 }
        let first = mismatches.first.map {
            "record \($0.offset):\n  JSONEncoder: \(String(decoding: $0.element.0, as: UTF8.self))\n"
                + "  written:     \(String(decoding: $0.element.1, as: UTF8.self))"
        } ?? "lines \(expectedLines.count) vs \(writtenLines.count)"
        XCTFail("\(mismatches.count) of \(records.count) lines differ from JSONEncoder's; first at \(first)", file: file, line: line)
    }

    private func scores(
        compound: Double, negative: Double, neutral: Double, positive: Double, counts: [Int], gender: String,
        sentiment: String
    ) throws -> CompletionScores {
        // The labels by their JSON spelling (`GenderLabel` is the lexicons' type).
        var scores = try AuditJSON.decoder().decode(CompletionScores.self, from: Data("""
            {"compound": 0, "negative": 0, "neutral": 1, "positive": 0, "sentiment_label": "\(sentiment)",
             "male_pronouns": 0, "female_pronouns": 0, "neutral_pronouns": 0, "male_terms": 0, "female_terms": 0,
             "gender_label": "\(gender)"}
            """.utf8))
        scores.compound = compound
        scores.negative = negative
        scores.neutral = neutral
        scores.positive = positive
        scores.malePronouns = counts[0]
        scores.femalePronouns = counts[1]
        scores.neutralPronouns = counts[2]
        scores.maleTerms = counts[3]
        scores.femaleTerms = counts[4]
        return scores
    }

    private func record(
        text: String, logOdds: Double?, optionals: Bool, index: Int, scores: CompletionScores
    ) -> CompletionRecord {
        CompletionRecord(
            set: "set \(text.prefix(3))", template: optionals ? "The {x}/\(text.suffix(2)) said" : nil,
            templateId: "set/\(index)", group: "g\"\(index)", term: optionals ? "t\\\(index)" : nil, promptId: "p/\(index)",
            prompt: "The \(text.prefix(4)) said", model: "m \(index % 3)", sampleIndex: index,
            text: text, tokenCount: optionals ? index * 7 : nil, stopReason: optionals ? "max_new_tokens" : nil,
            scores: scores, nextTokenLogOdds: logOdds)
    }

    /// Every ASCII character (each control character, quote, backslash and slash) and non-ASCII text (accents,
    /// an emoji, U+2028, a byte-order mark, a combining mark) in every string, every optional present and absent.
    func testStringsAndOptionalsAreWrittenAsJSONEncoderWritesThem() throws {
        let ascii = String(String.UnicodeScalarView((0..<0x80).map { Unicode.Scalar(UInt8($0)) }))
        let texts = [
            "", " she was happy.", ascii, "caf\u{E9} na\u{EF}ve \u{1F600} \u{2028}\u{FEFF} e\u{301} \u{7F}",
            "a/b\\c\"d\u{08}\u{0C}\n\r\t\u{0}\u{1F}", String(repeating: "x\u{1}", count: 40),
        ]
        var records: [CompletionRecord] = []
        for (index, text) in texts.enumerated() {
            for optionals in [false, true] {
                for gender in ["male", "female", "both", "none"] {
                    for sentiment in ["positive", "neutral", "negative"] {
                        let scores = try scores(
                            compound: -0.4767, negative: 0.25, neutral: 0.75, positive: 0, counts: [index, 0, 1, 2, 3],
                            gender: gender, sentiment: sentiment)
                        records.append(record(
                            text: text, logOdds: optionals ? 1.932277 : nil, optionals: optionals, index: index,
                            scores: scores))
                    }
                }
            }
        }
        try assertSameLines(records)
    }

    /// Numbers as JSONEncoder spells them: whole doubles without ".0", exponents (1e-05, 1e+16), −0, the rounded
    /// scores VADER gives, seeded doubles over every bit pattern, and non-finite log-odds as strings.
    func testNumbersAreWrittenAsJSONEncoderWritesThem() throws {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var numbers: [Double] = [
            0, -0.0, 1, -1, 0.5, 1e-5, 1e-7, 1e15, 1e16, 1e22, 123_456_789_012_345_680, 1.5e300, 5e-324, .ulpOfOne,
            .greatestFiniteMagnitude, -.leastNormalMagnitude, 0.1, 2.0 / 3, -1.932277, 1e6, -1e6, 999_999.9999, 0.0001,
        ]
        for _ in 0..<2000 {
            let bits = Double(bitPattern: next())
            if bits.isFinite { numbers.append(bits) }
            let digits = Double(Int(next() % 7))
            let unit = Double(next() % 2_000_001) / 1_000_000 - 1
            numbers.append((unit * pow(10, digits)).rounded() / pow(10, digits))
        }
        var records: [CompletionRecord] = []
        for (index, number) in numbers.enumerated() {
            let scores = try scores(
                compound: number, negative: abs(number), neutral: -number, positive: number / 3,
                counts: [Int(next() % 50), 0, Int.max, index, 0], gender: "both", sentiment: "positive")
            records.append(record(text: "t\(index)", logOdds: number, optionals: index % 2 == 0, index: index, scores: scores))
        }
        for odds in [Double.nan, .infinity, -.infinity] {
            let scores = try scores(compound: 0, negative: 0, neutral: 1, positive: 0, counts: [0, 0, 0, 0, 0], gender: "none", sentiment: "neutral")
            records.append(record(text: "odds", logOdds: odds, optionals: true, index: 1, scores: scores))
        }
        try assertSameLines(records)
    }

    func testNoRecordsWriteNothing() {
        XCTAssertEqual(CompletionRecord.jsonLines([]), Data())
    }
}
