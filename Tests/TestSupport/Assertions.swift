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

/// Runs `body`, which must throw an `E`, and returns that error for the caller's checks. Fails the test with `message`
/// when `body` returns, and with the error's type and description when it throws anything else; returns nil then.
/// - Parameters:
///   - type: the error type expected (e.g. `AuditError.self`).
///   - message: what should have stopped `body`, for the failure message when nothing did.
///   - body: the code under test.
/// - Returns: the `E` thrown, or nil after a failure.
@discardableResult
public func thrownError<E: Error, T>(
    _ type: E.Type, _ message: @autoclosure () -> String,
    file: StaticString = #filePath, line: UInt = #line, from body: () throws -> T
) -> E? {
    do {
        _ = try body()
        return expected(E.self, nil, message(), file: file, line: line)
    } catch {
        return expected(E.self, error, message(), file: file, line: line)
    }
}

/// `thrownError(_:_:file:line:from:)` for async code.
@discardableResult
public func thrownError<E: Error, T>(
    _ type: E.Type, _ message: @autoclosure () -> String,
    file: StaticString = #filePath, line: UInt = #line, from body: () async throws -> T
) async -> E? {
    do {
        _ = try await body()
        return expected(E.self, nil, message(), file: file, line: line)
    } catch {
        return expected(E.self, error, message(), file: file, line: line)
    }
}

/// `thrown` as an `E`, or nil after failing the test: with `message` when nothing was thrown, with the error's type
/// and description when it is not an `E`.
private func expected<E: Error>(
    _ type: E.Type, _ thrown: (any Error)?, _ message: String, file: StaticString, line: UInt
) -> E? {
    guard let thrown else {
        XCTFail(message, file: file, line: line)
        return nil
    }
    guard let error = thrown as? E else {
        XCTFail("\(message): threw \(Swift.type(of: thrown)) \(thrown), expected \(E.self)", file: file, line: line)
        return nil
    }
    return error
}
