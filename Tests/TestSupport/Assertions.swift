import XCTest

/// Asserts that two vectors agree element-wise within `tolerance` (NaN never agrees); on failure reports
/// the largest difference, where it is, and the first five mismatches.
/// - Parameters:
///   - actual: the computed values.
///   - expected: the reference values, as many as `actual`.
///   - tolerance: the largest absolute difference allowed (name it at the call site).
///   - label: what is compared, for the failure message.
public func assertClose<T: BinaryFloatingPoint>(
    _ actual: [T], _ expected: [T], tolerance: T, _ label: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.count == expected.count else {
        XCTFail("\(label): \(actual.count) values, expected \(expected.count)", file: file, line: line)
        return
    }
    let differences = zip(actual, expected).map { abs($0 - $1) }
    let mismatches = differences.indices.filter { !(differences[$0] <= tolerance) }
    guard let first = mismatches.first else { return }
    let worst = mismatches.first { differences[$0].isNaN }
        ?? mismatches.max { differences[$0] < differences[$1] } ?? first
    let shown = mismatches.prefix(5).map { "[\($0)] \(actual[$0]) vs \(expected[$0])" }
    XCTFail(
        "\(label): max |diff| \(differences[worst]) at \(worst) exceeds \(tolerance); first mismatches: "
            + shown.joined(separator: ", "), file: file, line: line)
}
