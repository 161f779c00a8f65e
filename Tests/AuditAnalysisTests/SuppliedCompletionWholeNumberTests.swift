@testable import AuditAnalysis
import AuditResults
import Foundation
import XCTest

/// A hostile review: `"sample_index": 5.0` was read as 5, where `config.json`, policies and prompt sets refuse a whole
/// number written with a fraction ("write 5"). A completions line is refused the same way, at its line and column.
final class SuppliedCompletionWholeNumberTests: XCTestCase {
    private func line(_ tail: String) -> String {
        #"{"prompt_id":"s/1/g/t","model":"m","text":"x","# + tail + "}\n"
    }

    func testAWholeNumberWrittenWithAFractionOrAnExponentIsRefusedAtItsColumn() throws {
        let good = line(#""sample_index":0"#)
        // (the line's last keys, the key and literal refused, what to write instead).
        let cases: [(String, String, String, String)] = [
            (#""sample_index":5.0"#, "sample_index", "5.0", "write 5 (a whole number: Python and pandas read 5.0 as a float)"),
            (#""sample_index":5e0"#, "sample_index", "5e0", "write 5"),
            // As the decoder reads the key: any letter case around its underscore, or in camel case.
            (#""Sample_Index":50E-1"#, "Sample_Index", "50E-1", "write 5"),
            (#""sampleIndex":2.0"#, "sampleIndex", "2.0", "write 2"),
            (#""sample_index":1,"token_count":3.00"#, "token_count", "3.00", "write 3"),
        ]
        for (tail, key, literal, advice) in cases {
            let bad = line(tail)
            // The column of the literal's first byte, counted from 1 (it occurs once in the line).
            let start = try XCTUnwrap(bad.range(of: ":" + literal)).upperBound
            let column = bad.utf8.distance(from: bad.startIndex, to: start) - literal.utf8.count + 1
            let expected = "\(key) is written \(literal) at column \(column); \(advice)"
            XCTAssertThrowsError(try SuppliedCompletion.parse(Data((good + bad).utf8), path: "c.jsonl"), tail) { error in
                guard case .badInput(let path, let reason) = error as? AuditError else { return XCTFail("\(tail): \(error)") }
                XCTAssertEqual(path, "c.jsonl:2", tail)
                XCTAssertTrue(reason.hasPrefix(expected), "\(tail): \(reason), expected \(expected)")
            }
        }
    }

    /// Floats where floats belong are read as before, and so are whole numbers written as such.
    func testFloatsElsewhereAndWholeNumbersAreRead() throws {
        let text = line(#""sample_index":7,"token_count":12,"next_token_log_odds":1.0,"stop_reason":"2.0""#)
            + line(#""sample_index":8,"next_token_log_odds":-2.5e-3"#)
        let parsed = try SuppliedCompletion.parse(Data(text.utf8), path: "c.jsonl")
        XCTAssertEqual(parsed.map(\.sampleIndex), [7, 8])
        XCTAssertEqual(parsed.map(\.tokenCount), [12, nil])
        XCTAssertEqual(parsed.map(\.nextTokenLogOdds), [1.0, -2.5e-3])
    }

    /// A hostile review: a `stop_reason` of 150,000 ESC characters was copied whole into completions.jsonl, where a served
    /// model's `finish_reason` is kept as an identifier of at most 30 characters. Both are kept alike now; the stop
    /// reasons biasaudit counts (`context_full`) and the usual ones pass unchanged.
    func testAStopReasonIsKeptAsAnIdentifier() throws {
        let escapes = String(repeating: "\\u001b", count: 150_000)
        let text = line(#""sample_index":0,"stop_reason":"context_full""#) + line(#""sample_index":1,"stop_reason":"eos_token""#)
            + line(#""sample_index":2,"stop_reason":"\#(escapes)""#) + line(#""sample_index":3,"stop_reason":"stop sequence: \\n""#)
            + line(#""sample_index":4,"stop_reason":"""#) + line(#""sample_index":5"#)
        let parsed = try SuppliedCompletion.parse(Data(text.utf8), path: "c.jsonl")
        XCTAssertEqual(parsed.map(\.stopReason), ["context_full", "eos_token", String(repeating: "_", count: 30),
                                                  "stop_sequence___n", "unknown", nil])
    }
}
