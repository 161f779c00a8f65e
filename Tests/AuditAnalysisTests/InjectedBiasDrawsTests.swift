import AuditResults
import XCTest

/// `InjectedBiasDraws.counted`: how often an injected token appears, as grep or Python's `in` finds it.
final class InjectedBiasDrawsTests: XCTestCase {
    /// Practitioner's review: " terrible" followed by a combining accent, a zero-width joiner or a skin-tone modifier
    /// was not counted (Swift compares characters); grep and Python find all three. The counts follow the bytes, per
    /// set and model, the group's completions beside the set's others, one row per bias, set and model.
    func testTheTokenIsCountedAsAByteSearchFindsIt() throws {
        let bias = InjectedBias(group: "f", token: " terrible", logit: 8)
        let completions: [(set: String, group: String, model: String, text: String)] = [
            ("s", "f", "m", " terrible day"), ("s", "f", "m", "fine"), ("s", "f", "m", " terrible\u{301} x"),
            ("s", "g", "m", " terrible\u{200D} y"), ("s", "g", "m", " terrible\u{1F3FB} z"), ("s", "g", "m", "Terrible"),
            ("s", "f", "n", "terrible"), ("t", "h", "m", " terrible"),
        ]
        let counted = try XCTUnwrap(InjectedBiasDraws.counted([bias], in: completions))
        // Python: sum(" terrible" in t for t in texts) per (set, model, group side).
        XCTAssertEqual(counted, [
            InjectedBiasDraws(group: "f", token: " terrible", model: "m", promptSet: "s", completions: 3, withToken: 2,
                              otherCompletions: 3, otherWithToken: 2),
            InjectedBiasDraws(group: "f", token: " terrible", model: "n", promptSet: "s", completions: 1, withToken: 0,
                              otherCompletions: 0, otherWithToken: 0),
        ], "set t has no group f: no row")
        XCTAssertNil(InjectedBiasDraws.counted([], in: completions))
        XCTAssertNil(InjectedBiasDraws.counted(nil, in: completions))
    }
}
