import InputFiles
import XCTest

/// ``PathText``: a path's folder and last component as written, as `NSString` gives them where it does not crash.
final class PathTextTests: XCTestCase {
    /// The examples of Apple's documentation of `NSString.deletingLastPathComponent` and `lastPathComponent` (`/tmp/lock/`
    /// → `/tmp`, `scratch///` → `scratch`, …), and one-character paths, which crashed `biasaudit lint -` in Linux
    /// Foundation's (a hostile review).
    func testFolderAndLastComponentAreThoseOfNSString() {
        let expected: [(path: String, folder: String, last: String)] = [
            ("-", "", "-"), ("q", "", "q"), ("ab", "", "ab"), ("a/b.yaml", "a", "b.yaml"), ("/x", "/", "x"),
            ("./x", ".", "x"), ("x/", "", "x"), ("a/b/", "a", "b"), ("/", "/", "/"), ("", "", ""),
            ("a//b", "a", "b"), ("/a/b/c.json", "/a/b", "c.json"), ("é/ñ", "é", "ñ"),
            ("/tmp/scratch.tiff", "/tmp", "scratch.tiff"), ("/tmp/lock/", "/tmp", "lock"), ("/tmp/", "/", "tmp"),
            ("/tmp", "/", "tmp"), ("scratch.tiff", "", "scratch.tiff"), ("scratch///", "", "scratch"),
        ]
        for (path, folder, last) in expected {
            XCTAssertEqual(PathText.folder(of: path), folder, "folder of '\(path)'")
            XCTAssertEqual(PathText.lastComponent(of: path), last, "last component of '\(path)'")
            XCTAssertEqual(PathText.folderOrCurrent(of: path), folder.isEmpty ? "." : folder, "folder or . of '\(path)'")
        }
    }
}
