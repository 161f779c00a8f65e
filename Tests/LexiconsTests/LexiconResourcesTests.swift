import Foundation
import Lexicons
import XCTest

/// The bundled lexicon files are present, complete and addressable by name.
final class LexiconResourcesTests: XCTestCase {
    /// Entry counts of the vendored vaderSentiment 3.3.2 files (which have CRLF line endings).
    private let vaderLexiconLineCount = 7520
    private let emojiLexiconLineCount = 3570

    func testEveryBundledFileLoads() throws {
        XCTAssertEqual(LexiconResources.bundledFileNames,
                       ["vader_lexicon.txt", "emoji_utf8_lexicon.txt", "gender_lexicon.txt"])
        for name in LexiconResources.bundledFileNames {
            XCTAssertFalse(try LexiconResources.data(named: name).isEmpty, "\(name) is empty")
        }
    }

    func testVendoredVaderFilesAreComplete() throws {
        func lineCount(_ name: String) throws -> Int {
            String(decoding: try LexiconResources.data(named: name), as: UTF8.self)
                .split(whereSeparator: \.isNewline).count
        }
        XCTAssertEqual(try lineCount("vader_lexicon.txt"), vaderLexiconLineCount)
        XCTAssertEqual(try lineCount("emoji_utf8_lexicon.txt"), emojiLexiconLineCount)
    }

    func testUnknownNameIsRejected() {
        XCTAssertThrowsError(try LexiconResources.data(named: "../Package.swift")) {
            XCTAssertEqual($0 as? LexiconResourceError,
                           .unknownFile(name: "../Package.swift", known: LexiconResources.bundledFileNames))
        }
    }
}
