import Foundation
import Generation
import XCTest

final class SamplingParametersTests: XCTestCase {
    func testDefaultsAreValidAndOff() throws {
        let parameters = SamplingParameters()
        XCTAssertEqual(parameters.temperature, 1)
        XCTAssertEqual(parameters.topK, 0)
        XCTAssertEqual(parameters.topP, 1)
        XCTAssertFalse(parameters.greedy)
        XCTAssertEqual(parameters.seed, 0)
        XCTAssertEqual(parameters.logitBias, [:])
        try parameters.validate()
        try SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9).validate()
        try SamplingParameters(topP: 0).validate()
    }

    func testInvalidValuesNameTheirFlag() {
        let cases: [(SamplingParameters, String)] = [
            (SamplingParameters(temperature: 0), "--temperature"),
            (SamplingParameters(temperature: -1), "--temperature"),
            (SamplingParameters(temperature: .nan), "--temperature"),
            (SamplingParameters(temperature: .infinity), "--temperature"),
            (SamplingParameters(temperature: 1e-45), "--temperature"),
            (SamplingParameters(topK: -1), "--top-k"),
            (SamplingParameters(topP: -0.1), "--top-p"),
            (SamplingParameters(topP: 1.5), "--top-p"),
            (SamplingParameters(topP: .nan), "--top-p"),
        ]
        for (parameters, flag) in cases {
            XCTAssertThrowsError(try parameters.validate(), "\(parameters) should be rejected") { error in
                XCTAssertTrue(error is SamplingError, "untyped error \(error)")
                XCTAssertTrue(
                    error.localizedDescription.hasPrefix(flag),
                    "message for \(parameters) should name \(flag): \(error.localizedDescription)")
            }
        }
    }

    func testCodableRoundTrip() throws {
        let parameters = SamplingParameters(
            temperature: 0.7, topK: 50, topP: 0.9, greedy: false, seed: 12345, logitBias: [50256: -100, 13: 1.5])
        let decoded = try JSONDecoder().decode(
            SamplingParameters.self, from: JSONEncoder().encode(parameters))
        XCTAssertEqual(decoded, parameters)
    }
}
