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
}
