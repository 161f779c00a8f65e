import XCTest

/// Fails with the largest difference and the first mismatches when `actual` and `expected` differ by
/// more than `tolerance` anywhere.
func assertClose(
    _ actual: [Double], _ expected: [Double], tolerance: Double, _ label: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual.count, expected.count, "\(label): length", file: file, line: line)
    let differences = zip(actual, expected).map { abs($0 - $1) }
    let largest = differences.max() ?? 0
    let mismatches = differences.indices.filter { !(differences[$0] <= tolerance) }
    if !mismatches.isEmpty {
        let first = mismatches.prefix(5).map { "[\($0)] \(actual[$0]) vs \(expected[$0])" }
        XCTFail("\(label): largest difference \(largest) > \(tolerance); first mismatches: \(first)", file: file, line: line)
    }
}
