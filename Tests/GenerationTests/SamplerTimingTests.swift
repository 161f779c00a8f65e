import Foundation
import Generation
import XCTest

/// Prints the cost of one `sample` call on a GPT-2-sized row. Measures only; never asserts a time
/// (benchmarks are not tests). Meaningful in release builds: `swift test -c release --filter SamplerTiming`.
final class SamplerTimingTests: XCTestCase {
    func testPrintSampleTimePerCall() {
        let vocabularySize = 50257
        let rows = (0..<8).map { ReferenceSampler.randomLogits(count: vocabularySize, seed: 100 + UInt64($0)) }
        let settings = [
            SamplingParameters(temperature: 0.7, topK: 50, topP: 0.9),
            SamplingParameters(temperature: 1.0, topK: 0, topP: 0.9),
        ]
        for parameters in settings {
            let sampler = TokenSampler(parameters: parameters, vocabularySize: vocabularySize)
            var stream = RandomStream(seed: 1, stream: 2)
            let calls = 100
            var checksum = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for call in 0..<calls {
                checksum &+= rows[call % rows.count].withUnsafeBufferPointer {
                    sampler.sample(logits: $0, uniform: stream.nextUniform())!
                }
            }
            // The checksum of the drawn ids keeps the calls from being optimised away.
            let microseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(calls)
            print(
                "sample() on \(vocabularySize) logits, temperature \(parameters.temperature), top-k \(parameters.topK), "
                    + "top-p \(parameters.topP): \(String(format: "%.1f", microseconds)) µs per call (checksum \(checksum))")
        }
    }
}
