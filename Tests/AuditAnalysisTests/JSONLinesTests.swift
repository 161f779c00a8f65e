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
}
