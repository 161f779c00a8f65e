import Foundation
import TestSupport
import XCTest

/// `score --jsonl` and `tokenize --jsonl` read CRLF files line by line, like LF files.
final class JSONLinesInputTests: XCTestCase {
    func testCRLFFilesGiveOneOutputLinePerInputLine() throws {
        let directory = try Fixtures.temporaryDirectory("jsonl-input")
        defer { try? FileManager.default.removeItem(at: directory) }
        let body = ["{\"text\": \"It was great.\"}", "{\"text\": \"He was terrible.\"}"]
        var outputs: [String: [String]] = [:]
        for (name, ending) in [("lf", "\n"), ("crlf", "\r\n")] {
            let file = directory.appendingPathComponent("\(name).jsonl")
            try Data((body.joined(separator: ending) + ending).utf8).write(to: file)
            for command in ["score", "tokenize"] {
                let result = try CLI.run([command, "--jsonl", file.path])
                XCTAssertEqual(result.status, 0, "\(command) \(name): \(result.stderr)")
                let lines = result.stdout.split(separator: "\n").map(String.init)
                XCTAssertEqual(lines.count, 2, "\(command) \(name): one line per input line:\n\(result.stdout)")
                outputs["\(command) \(name)"] = lines
            }
        }
        XCTAssertEqual(outputs["score lf"], outputs["score crlf"])
        XCTAssertEqual(outputs["tokenize lf"], outputs["tokenize crlf"])
    }

    /// `cat a.jsonl b.jsonl`, b saved with a UTF-8 byte-order mark: the mark at the start of line 2 is skipped as the
    /// one at the start of the file is, and a line of only a mark is blank (it was exit 65, "not valid JSON at column
    /// 1"): the same output as without marks.
    func testAByteOrderMarkStartingALineIsSkippedMidFileAsAtTheStart() throws {
        let directory = try Fixtures.temporaryDirectory("jsonl-bom")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mark = "\u{FEFF}"
        let plain = directory.appendingPathComponent("plain.jsonl")
        let catenated = directory.appendingPathComponent("catenated.jsonl")
        try Data("{\"text\": \"It was great.\"}\n{\"text\": \"He was terrible.\"}\n".utf8).write(to: plain)
        try Data((mark + "{\"text\": \"It was great.\"}\n" + mark + "{\"text\": \"He was terrible.\"}\n" + mark + "\n").utf8)
            .write(to: catenated)
        for command in ["score", "tokenize"] {
            let expected = try CLI.run([command, "--jsonl", plain.path])
            let result = try CLI.run([command, "--jsonl", catenated.path])
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stdout, expected.stdout, command)
            XCTAssertEqual(result.stdout.split(separator: "\n").count, 2, "\(command):\n\(result.stdout)")
        }
    }

    /// Review: a UTF-16 file without a byte-order mark (ASCII with NULs) got "not a JSON object" at line 1;
    /// it is named as not UTF-8, exit 65.
    func testAUTF16FileIsNamedAsNotUTF8() throws {
        let directory = try Fixtures.temporaryDirectory("jsonl-utf16")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("utf16.jsonl")
        try "{\"text\": \"It was great.\"}\n".data(using: .utf16LittleEndian)!.write(to: file)
        let result = try CLI.run(["score", "--jsonl", file.path])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("a NUL byte at line 1, column 2 (byte 0x00)"), result.stderr)
    }

    /// Review: `{"text": "It was great.", "text": "It was awful."}` was scored as "It was awful." (JSONSerialization
    /// keeps the last key); the line is refused, exit 65.
    func testARepeatedTextKeyIsRefused() throws {
        let directory = try Fixtures.temporaryDirectory("jsonl-repeated")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("twice.jsonl")
        try Data((#"{"text": "It was great."}"# + "\n" + #"{"text": "It was great.", "text": "It was awful."}"#).utf8)
            .write(to: file)
        for command in ["score", "tokenize"] {
            let result = try CLI.run([command, "--jsonl", file.path])
            XCTAssertEqual(result.status, 65, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("\(file.path):2: error: key \"text\" appears twice in one object "
                + "(column 27; first at column 2)"), "\(command): \(result.stderr)")
        }
    }
}
