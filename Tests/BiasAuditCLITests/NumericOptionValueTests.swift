import Foundation
import TestSupport
import XCTest

/// Hostile review: `run --seed=-1` and `--seed 18446744073709551616` got ArgumentParser's bare "The value '-1' is invalid
/// for '--seed <seed>'", with no word of what the option takes. Every numeric option of every command now says it
/// (a usage error, exit 64), and keeps "(default: …)" in its help.
final class NumericOptionValueTests: IsolatedHubTestCase {
    private let tiny = Fixtures.url("models/tiny-gpt2").path

    /// Every numeric option: the command line it is tried on, and what its refusal must say.
    private var options: [(command: [String], option: String, takes: String)] {
        let seed = "give a whole number between 0 and 18446744073709551615"
        let samples = "give a whole number between 1 and 10000"
        let newTokens = "give a whole number between 1 and 1024"
        let temperature = "give a number of at least 0.01 and within single precision, up to about 3.4e+38, such as 0.7"
        // --top-k and --top in the words of their range refusal, not "between 0 and 9223372036854775807" (a review).
        let topK = "give 0 (off) or a positive integer"
        let topP = "give a number between 0 and 1, such as 0.9"
        let confidence = "give a number between 0.5 and 0.999, such as 0.95"
        let million = "give a whole number between 0 and 1000000"
        let run = ["run"]
        let generate = ["generate", "--model", tiny, "Hi"]
        let nextToken = ["next-token", "--model", tiny, "Hi"]
        let bench = ["bench"]
        let analyze = ["analyze", "completions.jsonl"]
        return [
            (run, "--seed", seed), (run, "--samples", samples), (run, "--max-new-tokens", newTokens),
            (run, "--temperature", temperature), (run, "--top-k", topK), (run, "--top-p", topP),
            (run, "--confidence", confidence), (run, "--min-events", million), (run, "--min-gendered-words", million),
            (run, "--concurrency", "give a whole number between 1 and 256"),
            (run, "--request-timeout", "give a number between 1 and 3600, such as 60"),
            (generate, "--seed", seed), (generate, "--samples", samples), (generate, "--max-new-tokens", newTokens),
            (generate, "--temperature", temperature), (generate, "--top-k", topK), (generate, "--top-p", topP),
            (nextToken, "--top", "give 0 (everything) or a positive count"), (nextToken, "--temperature", temperature),
            (nextToken, "--top-k", topK), (nextToken, "--top-p", topP),
            (bench, "--samples", samples), (bench, "--max-new-tokens", newTokens), (bench, "--prompts", "give a whole number between 1 and 6"),
            (bench, "--repeat", "give a whole number between 1 and 1000"),
            (bench, "--audit-completions", "give a whole number between 1 and 1000000000"), (bench, "--seed", seed),
            (analyze, "--seed", seed), (analyze, "--max-new-tokens", newTokens), (analyze, "--temperature", temperature),
            (analyze, "--top-k", topK), (analyze, "--top-p", topP), (analyze, "--confidence", confidence),
            (analyze, "--min-events", million), (analyze, "--min-gendered-words", million),
        ]
    }

    func testAValueANumericOptionCannotReadSaysWhatItTakes() throws {
        for (command, option, takes) in options {
            // Not a number, for every option; for whole-number options also a whole number beyond 64 bits, and -1 where
            // the type has no sign (--seed). (A Double reads 1e23 and -1, and validate() judges them.)
            var values = ["abc", "1x"]
            let whole = takes.hasPrefix("give a whole number") || takes.hasPrefix("give 0 (")
            if whole { values.append("99999999999999999999999") }
            // A number too large for a Double reads as infinity: refused here, where the value typed is quoted, not by
            // validate() as "found inf" (a review: `--temperature 1e400`).
            if !whole { values += ["1e400", String(repeating: "9", count: 400)] }
            // A hostile review: hexadecimal floating point (`--temperature 0x1p-3` ran at 0.125) and a number below the
            // smallest Double (refused as "found 0").
            if !whole { values += ["0x1p-3", "1e-400"] }
            if takes.contains("between 0 and 18446744073709551615") { values.append("-1") }
            for value in values {
                let result = try run(command + ["\(option)=\(value)"])
                let shown = "\(command[0]) \(option)=\(value)"
                XCTAssertEqual(result.status, 64, "\(shown): \(result.stderr)")
                XCTAssertTrue(
                    result.stderr.contains("The value '\(value)' is invalid for '\(option) <") && result.stderr.contains(">': \(takes)"),
                    "\(shown): \(result.stderr)")
                XCTAssertFalse(result.stderr.contains("found inf"), "\(shown): \(result.stderr)")
                if value == "0x1p-3" { XCTAssertTrue(result.stderr.contains(", in decimal digits"), "\(shown): \(result.stderr)") }
                if value == "1e-400" {
                    XCTAssertTrue(result.stderr.contains("(this one is below the smallest floating-point number, and would read as 0)"),
                                  "\(shown): \(result.stderr)")
                }
                if value.hasSuffix("999") && !whole {
                    XCTAssertTrue(result.stderr.contains("(this one is beyond any floating-point number)"), "\(shown): \(result.stderr)")
                }
            }
        }
    }

    func testNumericOptionsKeepTheirDefaultInTheHelp() throws {
        for (command, defaults) in [
            ("next-token", ["(default: 10)"]), ("generate", ["(default: 1)", "(default: 40)", "(default: 300.0)"]),
            ("bench", ["(default: 50)", "(default: 32)", "(default: 6)", "(default: 1000)"]),
            ("run", ["(default: 0.95)", "(default: 20)", "(default: 0)", "(default: 300.0)"]),
        ] {
            let help = try run([command, "--help"])
            XCTAssertEqual(help.status, 0, help.stderr)
            let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for text in defaults { XCTAssertTrue(flat.contains(text), "\(command) --help lacks \(text): \(help.stdout)") }
        }
    }

    /// A review: `run --min-events -3` said "--min-events must be between 0 and 1000000" without the value, where
    /// `--samples 0` said "found 0". Every value a command's `validate()` refuses is said.
    func testAValueOutOfRangeIsSaid() throws {
        let nextToken = ["next-token", "--model", tiny, "Hi"]
        let analyze = ["analyze", "missing.jsonl"]
        let bench = ["bench", "--arch", "distilgpt2"]
        for (command, option, value, shown) in [
            (["run"], "--min-events", "-3", "-3"), (["run"], "--min-gendered-words", "1000001", "1000001"),
            (["run"], "--confidence", "2", "2"), (["run"], "--concurrency", "0", "0"),
            (["run"], "--request-timeout", "1e9", "1000000000"), (["run"], "--samples", "0", "0"),
            (analyze, "--min-gendered-words", "1000001", "1000001"), (analyze, "--min-events", "-3", "-3"),
            (analyze, "--confidence", "0.2", "0.2"), (nextToken, "--top", "-1", "-1"),
            (bench, "--prompts", "7", "7"), (bench, "--repeat", "0", "0"), (bench, "--audit-completions", "0", "0"),
        ] {
            let result = try run(command + ["\(option)=\(value)"])
            let line = "\(command[0]) \(option)=\(value)"
            XCTAssertEqual(result.status, 64, "\(line): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("\(option) must be ") && result.stderr.contains(", found \(shown)"),
                          "\(line): \(result.stderr)")
        }
    }

    /// A teacher's review: `--sweep temperature=0,5,0,7` (decimal commas, as Spanish writes them) said "lists 0.0 twice",
    /// and `temperature=0,5` "found 0", without a word of the comma. Both say how to write it; a list that reads as
    /// values (`1,2`) or a refusal of another kind gets no such hint.
    func testASweepWrittenWithDecimalCommasSaysHowToWriteIt() throws {
        for (command, sweep, example) in [
            (["run", "set.yaml", "--model", tiny], "temperature=0,5,0,7,1,0", "temperature=0.5,0.7,1.0"),
            (["generate", "--model", tiny, "Hi"], "temperature=0,5", "temperature=0.5"),
            (["run", "set.yaml", "--model", tiny], "top_p=0,5,0,9", "top_p=0.5,0.9"),
        ] {
            let result = try run(command + ["--sweep", sweep])
            XCTAssertEqual(result.status, 64, "\(sweep): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(
                "the comma separates values, so write decimals with a point: --sweep \(example)"), "\(sweep): \(result.stderr)")
        }
        let other = try run(["run", "set.yaml", "--model", tiny, "--sweep", "top_k=0,5,5"])
        XCTAssertEqual(other.status, 64, other.stderr)
        XCTAssertFalse(other.stderr.contains("decimals"), other.stderr)
        // The hint is the refused value's own (a review: a repeated top_k got temperature's), and reads `top-p` as the
        // parser does.
        let mixed = try run(["generate", "--model", tiny, "Hi", "--sweep", "temperature=1,5", "--sweep", "top_k=3,3"])
        XCTAssertEqual(mixed.status, 64, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("top_k lists 3 twice") && !mixed.stderr.contains("decimals"), mixed.stderr)
        let hyphen = try run(["generate", "--model", tiny, "Hi", "--sweep", "top-p=0,5"])
        XCTAssertTrue(hyphen.stderr.contains("write decimals with a point: --sweep top_p=0.5"), hyphen.stderr)
        let both = try run(["run", "set.yaml", "--model", tiny, "--temperature", "0.7", "--sweep", "temperature=1,5"])
        XCTAssertEqual(both.status, 64, both.stderr)
        XCTAssertTrue(both.stderr.contains("both set the temperature"), both.stderr)
        XCTAssertFalse(both.stderr.contains("decimals"), "not the values' fault: \(both.stderr)")
    }

    /// A teacher's review: `--sweep temperature=1,5` (a Spanish 1,5) ran the temperatures 1 and 5 without a word. Both are
    /// valid, so they run, with a note on how to write a decimal; values written with points get none.
    func testValidSweepValuesWrittenLikeADecimalCommaRunWithANote() throws {
        let base = ["generate", "--model", tiny, "Hi", "--samples", "1", "--max-new-tokens", "1"]
        let comma = try run(base + ["--sweep", "temperature=1,5"])
        XCTAssertEqual(comma.status, 0, comma.stderr)
        XCTAssertTrue(comma.stderr.contains("biasaudit: note: --sweep temperature=1,5 runs each value between the commas; if "
            + "you meant decimals, write them with a point: --sweep temperature=1.5"), comma.stderr)
        // Values written with a point, or a list with one (a review: 0.5,1,2 got a made-up "0.5,0.7,1.0"), get none; nor
        // does a command refused afterwards (a review: the note came before the refusal of --greedy).
        for sweep in ["temperature=1.5,0.7", "temperature=0.5,1,2"] {
            let points = try run(base + ["--sweep", sweep])
            XCTAssertEqual(points.status, 0, points.stderr)
            XCTAssertFalse(points.stderr.contains("note:"), "\(sweep): \(points.stderr)")
        }
        // Each such --sweep is said (a review: only the first); a top_p above 1 is no decimal comma (a review: 1.5).
        let two = try run(base + ["--sweep", "temperature=1,5", "--sweep", "top_p=0,1"])
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(two.stderr.contains("--sweep top_p=0.1") && two.stderr.contains("--sweep temperature=1.5"), two.stderr)
        let above = try run(base + ["--sweep", "top_p=1,5"])
        XCTAssertEqual(above.status, 64, above.stderr)
        XCTAssertFalse(above.stderr.contains("decimals"), above.stderr)
        let refused = try run(base + ["--sweep", "temperature=1,5", "--greedy"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertFalse(refused.stderr.contains("note:"), refused.stderr)
    }

    /// A review: each default was written twice, in the help (`default: 50`) and as the property's value, free to drift
    /// apart. The help's "(default: …)" is now the value the option starts with: the value shown is the one used.
    func testTheHelpShowsTheDefaultTheCommandUses() throws {
        // next-token lists --top tokens.
        let top = try XCTUnwrap(helpDefault(["next-token"], "--top").flatMap(Int.init))
        let shown = try run(["next-token", "--model", tiny, "Hi"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let ranks = shown.stdout.split(separator: "\n").filter { $0.range(of: #"^\s+\d+\s+\d+\s"#, options: .regularExpression) != nil }
        XCTAssertEqual(ranks.count, top, shown.stdout)

        // generate writes --samples continuations of --max-new-tokens tokens each (end-of-text ignored).
        let samples = try XCTUnwrap(helpDefault(["generate"], "--samples").flatMap(Int.init))
        let newTokens = try XCTUnwrap(helpDefault(["generate"], "--max-new-tokens").flatMap(Int.init))
        let generated = try run(["generate", "--model", tiny, "Hi", "--ignore-eos", "--json"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(generated.stdout.utf8)) as? [String: Any])
        let continuations = try XCTUnwrap(json["samples"] as? [[String: Any]], generated.stdout)
        XCTAssertEqual(continuations.count, samples, generated.stdout)
        for continuation in continuations {
            XCTAssertEqual((continuation["ids"] as? [Any])?.count, newTokens, generated.stdout)
        }
    }

    /// A review: each option's range was written twice, in its declaration (help and the refusal of a value it cannot
    /// read) and again in the command's `validate()`, free to drift apart; another found it worded six ways ("from X to
    /// Y", "(X–Y)", "at least X and at most Y", "must lie between X and Y", …). For every option `validate()` judges,
    /// the help states the range its declaration names, in one wording ("between 0 and 1000000"; the temperature "at
    /// least 0.01 and within single precision"; --top-k and --top, whose upper end is Int.max, "0 = off" instead), and
    /// `validate()` accepts both bounds and refuses the value just outside each (the next whole number, or the next
    /// Double for a number) with "<option> must be between X and Y…, found Z", the same range in the same words. An
    /// accepted value passes `validate()` and meets the missing input behind it (no prompt set, completions file or
    /// cached model: exit 74 or 69), not a usage error.
    func testTheRangeTheHelpStatesIsTheRangeValidateEnforces() throws {
        let run = ["run", "missing.yaml"]
        let analyze = ["analyze", "missing.jsonl"]
        let bench = ["bench", "--model", "nobody/not-cached"]
        let generate = ["generate", "--model", "nobody/not-cached", "Hi"]
        let nextToken = ["next-token", "--model", "nobody/not-cached", "Hi"]
        let options: [([String], String)] = [
            (run, "--confidence"), (run, "--min-gendered-words"), (run, "--min-events"), (run, "--concurrency"),
            (run, "--request-timeout"), (run, "--samples"), (run, "--max-new-tokens"),
            (analyze, "--confidence"), (analyze, "--min-gendered-words"), (analyze, "--min-events"), (analyze, "--max-new-tokens"),
            (bench, "--prompts"), (bench, "--repeat"), (bench, "--audit-completions"), (bench, "--samples"),
            (bench, "--max-new-tokens"), (generate, "--samples"), (generate, "--max-new-tokens"),
            (generate, "--request-timeout"), (nextToken, "--top"), (nextToken, "--request-timeout"),
        ] + [run, analyze, bench, generate, nextToken].flatMap { command in
            ["--temperature", "--top-k", "--top-p"].map { (command, $0) }
        }
        XCTAssertEqual(options.count, 36)
        let number = #"(-?\d[\d,]*(?:\.\d+)?)"#
        let between = "between \(number) and \(number)"
        let temperature = #"at least (\d+(?:\.\d+)?) and within single precision, up to about 3\.4e\+38()"#
        // The temperature's help states its lower bound only; the refusals, the whole range (a review: the single
        // precision bound filled five commands' help).
        let temperatureInHelp = #"at least (\d+(?:\.\d+)?)()"#
        // The wordings of before, for a range: "1 to 10000", "1–256".
        let otherWording = #"\d ?(?:to|–) ?-?\d"#
        for (command, option) in options {
            let shown = "\(command[0]) \(option)"
            let lowerOnly = ["--top-k", "--top"].contains(option)
            // The declaration's range: what the option says it takes of a value it cannot read.
            let unreadable = try self.run(command + ["\(option)=abc"])
            // --top-k and --top: "give 0 (off) or a positive integer", the words of their range refusal.
            let lowerOnlyWords = firstMatch(#"give (0 \([a-z]+\) or a positive [a-z]+)()"#, in: unreadable.stderr)
            let declared = try XCTUnwrap(
                lowerOnly ? lowerOnlyWords.map { _ in ("0", "\(Int.max)") }
                    : firstMatch("give a (?:whole )?number " + between, in: unreadable.stderr)
                        ?? firstMatch("give a number of " + temperature, in: unreadable.stderr),
                "\(shown)=abc: \(unreadable.stderr)")
            let whole = lowerOnly || unreadable.stderr.contains("give a whole number")
            // The help's range, stated by every option but --top-k and --top.
            let help = try self.run([command[0], "--help"])
            let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let heading = try XCTUnwrap(flat.range(of: "\(option) <", options: .backwards), "\(shown) is not in the help")
            let rest = flat[heading.upperBound...]
            let paragraph = String(rest.range(of: " --").map { rest[..<$0.lowerBound] } ?? rest)
            XCTAssertNil(firstMatch(otherWording + "()()", in: paragraph), "\(shown): the help says \(paragraph)")
            if lowerOnly {
                XCTAssertTrue(paragraph.contains("(0 = "), "\(shown): the help says \(paragraph)")
            } else {
                let stated = try XCTUnwrap(
                    firstMatch(between, in: paragraph) ?? firstMatch(temperatureInHelp, in: paragraph),
                    "\(shown): the help states no range: \(paragraph)")
                XCTAssertEqual(stated.0, declared.0, "\(shown): the help says \(paragraph)")
                XCTAssertEqual(stated.1, declared.1, "\(shown): the help says \(paragraph)")
                XCTAssertFalse(paragraph.contains("single precision"), "\(shown): the help says \(paragraph)")
            }
            // validate(): both bounds accepted, just outside each refused.
            var inside = [declared.0] + (declared.1.isEmpty ? [] : [declared.1])
            var outside: [String] = []
            if whole {
                let (lower, upper) = (try XCTUnwrap(Int(declared.0)), try XCTUnwrap(Int(declared.1)))
                outside.append(String(lower - 1))
                if upper < Int.max { outside.append(String(upper + 1)) }  // Int.max + 1 is a value it cannot read
            } else {
                inside = try inside.map { String(try XCTUnwrap(Double($0))) }
                outside = [String(try XCTUnwrap(Double(declared.0)).nextDown)]
                if let upper = Double(declared.1) { outside.append(String(upper.nextUp)) }
            }
            for value in inside {
                let result = try self.run(command + ["\(option)=\(value)"])
                XCTAssertTrue([69, 74].contains(result.status), "\(shown)=\(value) must pass validate(): \(result.stderr)")
                XCTAssertFalse(result.stderr.contains("\(option) must "), "\(shown)=\(value): \(result.stderr)")
            }
            for value in outside {
                let result = try self.run(command + ["\(option)=\(value)"])
                XCTAssertEqual(result.status, 64, "\(shown)=\(value): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("\(option) must ") && result.stderr.contains(", found ")
                              && result.stderr.contains(value),
                              "\(shown)=\(value) must be refused by validate(): \(result.stderr)")
                // The refusal states the range in the help's words (--top-k and --top: "0 (off) or a positive …", as
                // the refusal of a value it cannot read does).
                if lowerOnly {
                    let words = try XCTUnwrap(lowerOnlyWords).0
                    XCTAssertTrue(result.stderr.contains("\(option) must be \(words), found \(value)"), "\(shown)=\(value): \(result.stderr)")
                } else {
                    let refused = try XCTUnwrap(
                        firstMatch("\(option) must be " + between, in: result.stderr)
                            ?? firstMatch("\(option) must be " + temperature, in: result.stderr),
                        "\(shown)=\(value): \(result.stderr)")
                    XCTAssertEqual(refused.0, declared.0, "\(shown)=\(value): \(result.stderr)")
                    XCTAssertEqual(refused.1, declared.1, "\(shown)=\(value): \(result.stderr)")
                }
            }
        }
    }

    /// The two captured groups of the first match of `pattern` in `text`, commas removed ("1,000" is 1000), or nil (an
    /// empty group is "").
    private func firstMatch(_ pattern: String, in text: String) -> (String, String)? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let first = Range(match.range(at: 1), in: text), let second = Range(match.range(at: 2), in: text)
        else { return nil }
        return (text[first].replacingOccurrences(of: ",", with: ""), text[second].replacingOccurrences(of: ",", with: ""))
    }

    /// The value of "(default: …)" in the help of `option` of `command` (the first after the option's own line), or nil.
    private func helpDefault(_ command: [String], _ option: String) throws -> String? {
        let help = try run(command + ["--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard let heading = flat.range(of: "\(option) <", options: .backwards),
            let start = flat.range(of: "(default: ", range: heading.upperBound..<flat.endIndex),
            let end = flat.range(of: ")", range: start.upperBound..<flat.endIndex)
        else { return nil }
        return String(flat[start.upperBound..<end.lowerBound])
    }
}
