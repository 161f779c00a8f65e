import XCTest

/// Reading GitHub-flavoured Markdown tables in the report tests (one copy for every test that counts cells).
enum MarkdownTableText {
    /// Pipes that end a GitHub table cell: those after an even number of backslashes (none, or `\\`, which GitHub
    /// reads as an escaped backslash followed by a pipe that still splits the cell); `\|` and `\\\|` are a pipe in
    /// the cell's text.
    static func unescapedPipes(in line: String) -> Int {
        var count = 0
        var backslashes = 0
        for character in line {
            if character == "|" && backslashes % 2 == 0 { count += 1 }
            backslashes = character == "\\" ? backslashes + 1 : 0
        }
        return count
    }
}

final class MarkdownTableTextTests: XCTestCase {
    /// Review 89: the helper counted `\\|` as an escaped pipe (it looked at one character back), so a cell split by
    /// it would have passed the hostile-text tests.
    func testAPipeAfterAnEscapedBackslashEndsTheCell() {
        XCTAssertEqual(MarkdownTableText.unescapedPipes(in: #"| a \| b |"#), 2)
        XCTAssertEqual(MarkdownTableText.unescapedPipes(in: #"| a \| b \\\| c |"#), 2)
        XCTAssertEqual(MarkdownTableText.unescapedPipes(in: #"| a \\| b |"#), 3)
        XCTAssertEqual(MarkdownTableText.unescapedPipes(in: "| a | b |"), 3)
    }
}
