import AuditResults
import Foundation
import XCTest

/// The JSON Lines splitter every reader uses (`score`/`tokenize --jsonl`, `diff`, `analyze`).
final class JSONLinesTests: XCTestCase {
    func testJSONLinesSplitsOnBytesSoCRLFIsLikeLF() {
        let lf = Data("{\"a\":1}\n\n{\"b\":\"x\\r\\ny\"}\n  \n{\"c\":3}".utf8)
        let crlf = Data("{\"a\":1}\r\n\r\n{\"b\":\"x\\r\\ny\"}\r\n  \r\n{\"c\":3}\r\n".utf8)
        for data in [lf, crlf] {
            let lines = JSONLines.lines(in: data)
            XCTAssertEqual(lines.map(\.number), [1, 3, 5], "blank lines are skipped but counted")
            XCTAssertEqual(
                lines.map { String(decoding: $0.bytes, as: UTF8.self) }, ["{\"a\":1}", "{\"b\":\"x\\r\\ny\"}", "{\"c\":3}"],
                "line endings are removed, escaped CR LF inside strings kept")
        }
    }

    /// `cat a.jsonl b.jsonl`, b saved with a UTF-8 byte-order mark, puts the mark at the start of a line mid-file. It is
    /// dropped there as at the file's start (where Foundation's readers skipped it): every reader sees the line from
    /// its `{`, numbered as in the file; a line of only a mark is blank; a mark anywhere else is kept.
    func testAByteOrderMarkStartingALineIsDropped() {
        let mark = "\u{FEFF}"
        let data = Data((mark + "{\"a\":1}\n" + mark + "{\"b\":2}\r\n" + mark + "\n" + mark + "\r\n"
            + "{\"c\":\"\(mark)x\"}\n \(mark){\"d\":4}\n").utf8)
        let lines = JSONLines.lines(in: data)
        XCTAssertEqual(lines.map(\.number), [1, 2, 5, 6])
        XCTAssertEqual(
            lines.map { String(decoding: $0.bytes, as: UTF8.self) },
            ["{\"a\":1}", "{\"b\":2}", "{\"c\":\"\(mark)x\"}", " \(mark){\"d\":4}"])
    }

    /// The splitter as it was written on the `Data` collection, the reference of the `memchr` one.
    private func linesBySplitting(_ data: Data) -> [JSONLines.Line] {
        var lines: [JSONLines.Line] = []
        for (index, slice) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var line = slice
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            let blank = line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            if !blank { lines.append(JSONLines.Line(number: index + 1, bytes: Data(line))) }
        }
        return lines
    }

    /// Seeded byte sequences of line endings, blanks, byte-order marks (whole and cut) and text, with and without a
    /// final newline, and the empty file: the same lines, numbers and bytes as splitting the `Data`.
    func testLinesAreThoseOfSplittingTheData() {
        let pieces: [[UInt8]] = [
            Array("{\"a\":1}".utf8), [0x0A], [0x0D], [0x0D, 0x0A], [0x20], [0x09], [0xEF, 0xBB, 0xBF], [0xEF, 0xBB],
            Array("x".utf8), Array("\u{E9}".utf8),
        ]
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        var inputs: [Data] = [Data(), Data([0x0A]), Data([0x0D]), Data([0x0A, 0x0A]), Data("{}".utf8), Data("{}\n".utf8)]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            var draw = state
            for _ in 0..<Int(draw % 12) {
                draw = draw / 10 &+ (draw % 7) &* 0x9E37_79B9
                bytes += pieces[Int(draw % UInt64(pieces.count))]
            }
            inputs.append(Data(bytes))
        }
        let differing = inputs.filter { JSONLines.lines(in: $0) != linesBySplitting($0) }
        XCTAssertEqual(differing.count, 0, "first: \(differing.first.map { Array($0) } ?? [])")
    }

    /// A line longer than `maximumLineBytes` is not copied (a hostile review: refusing a 1 GB line took 2 GB): it keeps
    /// its number and length, which `lengthProblem` names; `atMost` stops after the first lines, as `holdsObjects` needs.
    func testAnOverLongLineIsCountedNotCopied() throws {
        let long = JSONLines.maximumLineBytes + 5
        let data = Data("{}\n\n".utf8) + Data(repeating: UInt8(ascii: "x"), count: long) + Data("\r\n{\"b\": 1}\n{}".utf8)
        let lines = JSONLines.lines(in: data)
        XCTAssertEqual(lines.map(\.number), [1, 3, 4, 5])
        XCTAssertEqual(lines.map(\.byteCount), [2, long, 8, 2])
        XCTAssertEqual(lines[1].bytes, Data(), "the over-long line's bytes are not kept")
        XCTAssertNil(JSONLines.lengthProblem(lines[0]))
        XCTAssertEqual(try XCTUnwrap(JSONLines.lengthProblem(lines[1])).prefix(30), "the line is \(long) bytes long".prefix(30))
        XCTAssertEqual(JSONLines.lines(in: data, atMost: 2), Array(lines.prefix(2)))
        XCTAssertEqual(JSONLines.lines(in: data, atMost: 1).map(\.number), [1])
        // A line at the limit is kept whole.
        let atLimit = Data(repeating: UInt8(ascii: "y"), count: JSONLines.maximumLineBytes)
        XCTAssertEqual(JSONLines.lines(in: atLimit).first?.bytes, atLimit)
    }
}
