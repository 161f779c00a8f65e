import Foundation
import TestSupport
import XCTest

/// `--precision` on the command line: bf16 refused with exit 64 where the CPU lacks it (never a silent
/// fallback to f32), and `diff` refusing runs of different precisions unless told.
final class PrecisionCLITests: XCTestCase {
    private let model = Fixtures.url("models/tiny-gpt2").path

    func testBF16IsRefusedWithExit64WhenOneDNNReportsNoBF16Instructions() throws {
        // ONEDNN_MAX_CPU_ISA caps the instruction set oneDNN reports, as on a CPU without AVX-512 BF16.
        let result = try CLI.run(
            ["next-token", "--model", model, "--precision", "bf16", "The nurse said"],
            environment: ["ONEDNN_MAX_CPU_ISA": "AVX512_CORE"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--precision bf16 needs a CPU with AVX-512 BF16 or AMX"), result.stderr)
        // The cap is an upper bound: a CPU without AVX-512 (an AVX2-only AMD EPYC ran this suite) reports its own, lower
        // set, which the message names as well.
        let atMostTheCap = ["avx512_core", "avx2", "avx", "sse41"]
        XCTAssertTrue(
            atMostTheCap.contains { result.stderr.contains("oneDNN reports \($0) on this machine") },
            "names the instruction set oneDNN reports, at most the cap: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("use --precision f32"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testAnUnknownPrecisionIsAUsageError() throws {
        let result = try CLI.run(["next-token", "--model", model, "--precision", "f16", "The nurse said"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--precision"), result.stderr)
    }

    func testBF16NextTokenRunsAndStaysCloseToF32() throws {
        let probe = try CLI.run(["next-token", "--model", model, "--precision", "bf16", "--top", "5", "--json", "The nurse said"])
        try XCTSkipIf(probe.status == 64 && probe.stderr.contains("needs a CPU"), "this CPU has no native bf16 instructions")
        XCTAssertEqual(probe.status, 0, probe.stderr)
        let exact = try CLI.run(["next-token", "--model", model, "--top", "5", "--json", "The nurse said"])
        XCTAssertEqual(exact.status, 0, exact.stderr)
        struct Output: Decodable {
            struct Entry: Decodable { let id: Int; let logit: Float }
            let top: [Entry]
        }
        let a = try JSONDecoder().decode(Output.self, from: Data(exact.stdout.utf8))
        let b = try JSONDecoder().decode(Output.self, from: Data(probe.stdout.utf8))
        // The fidelity bound of BF16FidelityTests.logitTolerance.
        let logitTolerance: Float = 0.25
        XCTAssertEqual(a.top.count, 5)
        XCTAssertEqual(b.top.count, 5)
        for entry in a.top {
            if let other = b.top.first(where: { $0.id == entry.id }) {
                XCTAssertEqual(other.logit, entry.logit, accuracy: logitTolerance, "token \(entry.id)")
            }
        }
    }

    func testDiffRefusesRunsOfDifferentPrecisionsUnlessAllowed() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try Fixtures.data("gate/baseline/results.json")
        var object = try JSONSerialization.jsonObject(with: original) as! [String: Any]
        var manifest = object["manifest"] as! [String: Any]
        manifest["precision"] = "bf16"
        object["manifest"] = manifest
        let a = directory.appendingPathComponent("a.json")
        let b = directory.appendingPathComponent("b.json")
        try original.write(to: a)
        try JSONSerialization.data(withJSONObject: object).write(to: b)

        let refused = try CLI.run(["diff", a.path, b.path], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("at --precision f32"), "a file without precision is f32: \(refused.stderr)")
        XCTAssertTrue(refused.stderr.contains("at --precision bf16"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--allow-precision-mismatch"), refused.stderr)
        XCTAssertEqual(refused.stdout, "")

        let allowed = try CLI.run(["diff", a.path, b.path, "--allow-precision-mismatch"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(allowed.stderr.contains("note: \(a.path) was generated at --precision f32 and \(b.path) at --precision "
            + "bf16"), allowed.stderr)
        XCTAssertTrue(allowed.stdout.hasPrefix("biasaudit diff:"), allowed.stdout)
        // The outputs carry it too, in every format (review: a --out file said nothing of it).
        for format in ["text", "md", "json", "html"] {
            let output = try CLI.run(["diff", a.path, b.path, "--allow-precision-mismatch", "--format", format])
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertTrue(output.stdout.contains("the changes compared include the change of arithmetic"), "\(format): \(output.stdout)")
        }
        XCTAssertFalse(try CLI.run(["diff", a.path, a.path, "--format", "json"]).stdout.contains("--precision"))

        let same = try CLI.run(["diff", a.path, a.path], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertFalse(same.stderr.contains("precision"), same.stderr)

        // `check --baseline` refuses them the same way (review: it gated them without a word).
        let policy = Fixtures.url("gate/policies/growth.yaml").path
        let gate = try CLI.run(["check", b.path, "--policy", policy, "--baseline", a.path], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(gate.status, 64, gate.stderr)
        XCTAssertTrue(gate.stderr.contains("--allow-precision-mismatch"), gate.stderr)
        let junit = directory.appendingPathComponent("precision-junit.xml")
        let gateAllowed = try CLI.run(["check", b.path, "--policy", policy, "--baseline", a.path, "--allow-precision-mismatch",
                                       "--junit", junit.path], environment: ["NO_COLOR": "1"])
        XCTAssertTrue([0, 1].contains(gateAllowed.status), gateAllowed.stderr)
        XCTAssertTrue(gateAllowed.stderr.contains("the changes compared include the change of arithmetic"), gateAllowed.stderr)
        // In the JUnit file too, as every note on how to read the verdict (a practitioner's review: stderr alone).
        let xml = try String(contentsOf: junit, encoding: .utf8)
        XCTAssertTrue(xml.contains("<property name=\"note\"") && xml.contains("the change of arithmetic"), xml)
        let withoutBaseline = try CLI.run(["check", b.path, "--policy", policy, "--allow-precision-mismatch"])
        XCTAssertEqual(withoutBaseline.status, 64, withoutBaseline.stderr)
        XCTAssertTrue(withoutBaseline.stderr.contains("give --baseline BASELINE.json too"), withoutBaseline.stderr)

        // Hostile review: the note printed the paths raw (an ESC sequence in a file name reached the terminal).
        let hostile = directory.appendingPathComponent("b\u{1b}[31m.json")
        try FileManager.default.copyItem(at: b, to: hostile)
        let escaped = try CLI.run(["diff", a.path, hostile.path, "--allow-precision-mismatch"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(escaped.status, 0, escaped.stderr)
        XCTAssertTrue(escaped.stderr.contains("biasaudit: note: \(a.path) was generated at --precision f32 and "
            + "\(directory.path)/b\\u{1b}[31m.json at --precision bf16"), escaped.stderr)
        XCTAssertFalse(escaped.stderr.contains("\u{1b}"), escaped.stderr.debugDescription)
    }
}
