import Foundation
import SafeTensors
import XCTest

/// Builds deliberately broken safetensors bytes by hand, bypassing the writer's checks.
enum HostileFile {
    /// An 8-byte little-endian `declaredLength` (default: the header's real length), the header
    /// bytes, then `dataBytes` bytes counting up from 0.
    static func bytes(header: [UInt8], declaredLength: UInt64? = nil, dataBytes: Int = 0) -> Data {
        var file = Data()
        withUnsafeBytes(of: (declaredLength ?? UInt64(header.count)).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: header)
        file.append(contentsOf: (0..<dataBytes).map { UInt8(truncatingIfNeeded: $0) })
        return file
    }

    /// A file whose header is the JSON text `header`.
    static func bytes(json header: String, dataBytes: Int = 0) -> Data {
        bytes(header: Array(header.utf8), dataBytes: dataBytes)
    }
}

/// Asserts that parsing `data` throws exactly `expected`, and that its description is one line.
func assertRejects(
    _ data: Data, with expected: SafeTensorsError, file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertThrowsError(try SafeTensorsFile(data: data), file: file, line: line) { error in
        XCTAssertEqual(error as? SafeTensorsError, expected, "wrong error: \(error)", file: file, line: line)
        XCTAssertFalse(String(describing: error).contains("\n"), "description spans lines", file: file, line: line)
    }
}

/// Asserts that parsing `data` throws a `SafeTensorsError` satisfying `matches`.
func assertRejects(
    _ data: Data, file: StaticString = #filePath, line: UInt = #line,
    where matches: (SafeTensorsError) -> Bool
) {
    XCTAssertThrowsError(try SafeTensorsFile(data: data), file: file, line: line) { error in
        guard let error = error as? SafeTensorsError else {
            return XCTFail("not a SafeTensorsError: \(error)", file: file, line: line)
        }
        XCTAssertTrue(matches(error), "unexpected error: \(error)", file: file, line: line)
    }
}
