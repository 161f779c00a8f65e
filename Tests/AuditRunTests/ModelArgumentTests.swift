import AuditResults
@testable import AuditRun
import Foundation
import TestSupport
import XCTest

/// `--model [LABEL=]SPEC`: labels as given, short unambiguous default names, and usage errors.
final class ModelArgumentTests: XCTestCase {
    private func labels(_ values: [String]) throws -> [String] {
        try ModelArgument.labelled(values).map(\.label)
    }

    private func usageMessage(_ values: [String], file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            _ = try ModelArgument.labelled(values)
            XCTFail("\(values) should be refused", file: file, line: line)
            return nil
        } catch let AuditError.usage(message) {
            return message
        } catch {
            XCTFail("expected a usage error, got \(error)", file: file, line: line)
            return nil
        }
    }

    func testLabelsSplitFromTheirSpecs() throws {
        let directory = Fixtures.url("models/tiny-gpt2").path
        let models = try ModelArgument.labelled(["chico=\(directory)", "grande=gpt2@main", "mi modelo=org/name"])
        XCTAssertEqual(models.map(\.label), ["chico", "grande", "mi modelo"])
        XCTAssertEqual(models.map(\.spec), [directory, "gpt2@main", "org/name"])
        XCTAssertTrue(models.allSatisfy(\.hasExplicitLabel))
    }

    func testDefaultNamesAreShortAndNeverAFullPath() throws {
        XCTAssertEqual(
            try labels([Fixtures.url("models/tiny-gpt2").path, Fixtures.url("models/tiny-gpt2-openai-f16").path, "distilgpt2"]),
            ["tiny-gpt2", "tiny-gpt2-openai-f16", "distilgpt2"])
        // A path with '=' after a '/' is a path, not a label.
        XCTAssertEqual(try ModelArgument.split("./runs/a=b").label, nil)
    }

    func testEqualDirectoryNamesGetTheirParents() throws {
        let root = try Fixtures.temporaryDirectory("labels")
        defer { try? FileManager.default.removeItem(at: root) }
        for parent in ["base", "tuned"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("\(parent)/gpt2"), withIntermediateDirectories: true)
        }
        let paths = ["base", "tuned"].map { root.appendingPathComponent("\($0)/gpt2").path }
        XCTAssertEqual(try labels(paths), ["base/gpt2", "tuned/gpt2"])
        XCTAssertEqual(try labels([paths[0], "gpt2"]), ["base/gpt2", "gpt2"], "a directory named like a Hub id gets its parent")
        XCTAssertEqual(try labels(["gpt2=\(paths[0])", paths[1]]), ["gpt2", "tuned/gpt2"], "a default never takes a given label")
    }

    func testBadLabelsAreUsageErrors() throws {
        XCTAssertEqual(
            usageMessage(["a=distilgpt2", "a=gpt2"]),
            "--model a=distilgpt2 and --model a=gpt2 have the same label 'a'; give each model its own label")
        XCTAssertTrue(usageMessage(["=gpt2"])?.contains("the label before '=' is empty") == true)
        XCTAssertTrue(usageMessage(["small="])?.contains("nothing after '='") == true)
        XCTAssertTrue(usageMessage(["bad\u{7}bell=gpt2"])?.contains("unprintable character (U+0007)") == true)
        // An invisible U+200B at the end is that, not white space (a hostile review).
        XCTAssertTrue(usageMessage(["a\u{200B}=gpt2"])?.contains("holds an unprintable character (U+200B)") == true,
                      usageMessage(["a\u{200B}=gpt2"]) ?? "accepted")
        XCTAssertTrue(usageMessage([" padded=gpt2"])?.contains("white space") == true)
        XCTAssertTrue(usageMessage(["rtl\u{202E}=gpt2"])?.contains("U+202E") == true)
        // Private-use and unassigned characters are refused and shown as codes where the label is quoted (a review:
        // quoted raw).
        for hidden in ["\u{10FFFD}", "\u{E000}", "\u{378}"] {
            let message = try XCTUnwrap(usageMessage(["m\(hidden)=gpt2"]))
            let code = String(hidden.unicodeScalars.first!.value, radix: 16)
            XCTAssertTrue(message.contains("m\\u{\(code)}"), message)
            XCTAssertFalse(message.contains(hidden), message)
        }
        // A space that prints as a plain one: "gpt2 ft" and "gpt2\u{A0}ft" read alike in every report (hostile review).
        XCTAssertEqual(ModelArgument.labelProblem("gpt2\u{A0}ft"), "holds the white space U+00A0, which prints as a plain space")
        XCTAssertNil(ModelArgument.labelProblem("gpt2\u{A0}ft", allowingSpaceLookalikes: true))
        // Letters that print as a blank (a review: U+3164 and U+2800 passed); the Ogham space mark prints as a dash.
        XCTAssertEqual(ModelArgument.labelProblem("nb\u{3164}gpt2"), "holds the blank character U+3164, which prints as a plain space")
        XCTAssertEqual(ModelArgument.labelProblem("nb\u{2800}gpt2")?.contains("U+2800"), true)
        XCTAssertNil(ModelArgument.labelProblem("nb\u{1680}gpt2"))
        // A blank letter at an end is to be removed: a plain space there is refused too (a review).
        XCTAssertEqual(usageMessage(["nb gpt2\u{2800}=gpt2"]), #"--model "nb gpt2\u{2800}=gpt2": the label holds the blank "#
            + "character U+2800, which prints as a plain space; remove it")
        // Shown as its code in the message, with the advice that fits (a review: printed as itself it could not be found).
        XCTAssertEqual(usageMessage(["gpt2\u{A0}ft=gpt2"]), #"--model "gpt2\u{a0}ft=gpt2": the label holds the white space "#
            + "U+00A0, which prints as a plain space; write a plain space")
        XCTAssertEqual(ModelArgument.derivedNameRefusal("/m/tiny\u{A0}gpt2", name: "tiny\u{A0}gpt2"),
                       #"--model "/m/tiny\u{a0}gpt2": the name "tiny\u{a0}gpt2" taken from it holds the white space U+00A0, "#
                        + "which prints as a plain space; give the model a label: --model NAME=SPEC")
        // A whole spec that names a model only in printed lines (generate, next-token, bench) may hold one in a folder.
        XCTAssertNil(ModelArgument.derivedNameRefusal("par\u{A0}dir/m", name: "par\u{A0}dir/m", allowingSpaceLookalikes: true))
        XCTAssertEqual(ModelArgument.labelProblem("gpt2\u{3000}ft")?.contains("U+3000"), true)
        XCTAssertNil(ModelArgument.labelProblem("gpt2 ft"))
        XCTAssertTrue(usageMessage(["gpt2\u{2003}ft=gpt2"])?.contains("white space U+2003") == true)
    }

    /// Review: a label derived from a directory's name was not checked as a given one is, so a folder named
    /// `e<ESC>]0;pwn<BEL>` put an OSC sequence in headers, progress lines and results.json model ids.
    /// Labels that read alike name two models no report tells apart: a Cyrillic "а" beside "a", a fullwidth "ａ", and a
    /// fullwidth label beside a plain one (a hostile review: both were accepted as two models).
    func testLabelsThatReadAlikeAreRefused() throws {
        let cyrillic = try XCTUnwrap(usageMessage(["a=/m/one", "\u{430}=/m/two"]))
        XCTAssertEqual(cyrillic, "--model a=/m/one (label 'a') and --model \u{430}=/m/two (label '\\u{430}') have labels "
            + "that read alike; give each model a label that reads as its own: --model NAME=SPEC")
        XCTAssertTrue(usageMessage(["gpt2=/m/one", "ｇpt2=/m/two"])?.contains("read alike") == true)
        // A name in another script alone is a name: accepted.
        XCTAssertEqual(try labels(["модель=/m/one", "a=/m/two"]), ["модель", "a"])
    }

    func testANameDerivedFromADirectoryIsHeldToTheLabelRules() throws {
        let hostile = "/models/e\u{1b}]0;pwn\u{7}\u{1b}[31m"
        let message = try XCTUnwrap(usageMessage([hostile]))
        XCTAssertTrue(message.contains("unprintable character (U+001B)"), message)
        XCTAssertTrue(message.hasSuffix("give the model a label: --model NAME=SPEC"), message)
        XCTAssertFalse(message.unicodeScalars.contains { $0.value < 0x20 }, message.debugDescription)
        XCTAssertTrue(usageMessage(["/models/padded "])?.contains("white space") == true)
        // The name is quoted, so that the trailing space is seen (code review), and one message serves every command.
        XCTAssertTrue(usageMessage(["/models/padded "])?.hasPrefix(#"--model "/models/padded ": the name"#) == true)
        XCTAssertEqual(ModelArgument.derivedNameRefusal("/models/padded ", name: "padded "),
                       #"--model "/models/padded ": the name "padded " taken from it starts or ends with white space; "#
                        + "give the model a label: --model NAME=SPEC")
        let long = "m/" + String(repeating: "d", count: 130) + "/x "
        let refusal = try XCTUnwrap(ModelArgument.derivedNameRefusal(long, name: long))
        XCTAssertTrue(refusal.hasPrefix(#"--model "m/ddd"#) && refusal.contains("d…d") && refusal.contains(#"ddd/x ": the name starts"#), refusal)
        // The value itself with a space: a typo to remove (a label would not help: the value keeps its space; code review).
        XCTAssertEqual(ModelArgument.derivedNameRefusal("m/x ", name: "m/x "),
                       #"--model "m/x ": the name starts or ends with white space; remove it"#)
        // With a label the folder's name is not a name: accepted.
        XCTAssertEqual(try labels(["ok=\(hostile)"]), ["ok"])
        // Only the components the name is made of count.
        let root = try Fixtures.temporaryDirectory("labels")
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = root.appendingPathComponent("p\u{1b}/gpt2")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        XCTAssertEqual(try labels([nested.path]), ["gpt2"])
    }

    /// A results file refuses a model id longer than a prompt set's names (hostile review: a 20,000,000-character label
    /// in every report row), so `run` refuses such a label before writing one, given or derived from a path.
    func testLabelsLongerThanTheNameLimitAreUsageErrors() throws {
        let long = String(repeating: "m", count: 201)
        XCTAssertEqual(try labels(["\(String(repeating: "m", count: 200))=gpt2"]), [String(repeating: "m", count: 200)])
        XCTAssertTrue(
            usageMessage(["\(long)=gpt2"])?.contains("the label is 201 characters long, more than the limit of 200") == true)
        XCTAssertTrue(
            usageMessage(["/models/\(long)"])?.hasSuffix("give it a shorter one: --model NAME=SPEC") == true)
    }
}
