import Foundation
import TestSupport
import XCTest

/// `tokenize`, `next-token`, `generate`, `score` and every `--help`, run as a user would, against the
/// goldens written by transformers, tokenizers and vaderSentiment (Tests/Fixtures/README.md).
final class CommandTests: IsolatedHubTestCase {
    /// Logits of the fixture models against transformers' (the GPT2 target's parity tolerance).
    private let logitTolerance: Float = 1e-4
    /// Printed probabilities against a softmax of the golden logits, relative (logits differ by ≤ 1e-4).
    private let probabilityRelativeTolerance = 1e-3
    /// The sum of the whole vocabulary's printed probabilities (Float softmax of 50257 terms).
    private let probabilitySumTolerance = 1e-4
    private let vocabularySize = 50257


    private struct TokenizerGolden: Decodable {
        let text: String
        let ids: [Int]
        let tokens: [String]
    }

    private struct VaderGolden: Decodable {
        let text: String
        let neg: Double
        let neu: Double
        let pos: Double
        let compound: Double
    }

    // MARK: tokenize

    func testTokenizeJSONEqualsTokenizersGolden() throws {
        let golden = try Fixtures.jsonLines("tokenizer-golden.jsonl", as: TokenizerGolden.self)
        // Plain prose, contractions, emoji with ZWJ, a leading space, tabs/newlines/NBSP.
        for index in [0, 3, 10, 600, 621] {
            let expected = golden[index]
            let output = try runJSON(["tokenize", "--model", Fixtures.url("models/tiny-gpt2").path, expected.text, "--json"])
            XCTAssertEqual(output["ids"] as? [Int], expected.ids, "ids of golden line \(index + 1): \(expected.text.debugDescription)")
            XCTAssertEqual(output["tokens"] as? [String], expected.tokens, "tokens of golden line \(index + 1)")
        }
    }

    func testTokenizeJSONLinesEqualsTokenizersGolden() throws {
        let golden = try Fixtures.jsonLines("tokenizer-golden.jsonl", as: TokenizerGolden.self)
        let chosen = stride(from: 0, to: golden.count, by: 12).map { golden[$0] }
        let directory = try Fixtures.temporaryDirectory("tokenize-jsonl")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("texts.jsonl")
        let lines = try chosen.map { String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0.text]), as: UTF8.self) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: input)

        let result = try run(["tokenize", "--model", Fixtures.url("models/tiny-gpt2").path, "--jsonl", input.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let outputs = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(outputs.count, chosen.count, "one output line per input line")
        var mismatches: [String] = []
        for (expected, line) in zip(chosen, outputs) {
            let object = try XCTUnwrap(JSONComparison.parse(line) as? [String: Any], line)
            if object["text"] as? String != expected.text || object["ids"] as? [Int] != expected.ids
                || object["tokens"] as? [String] != expected.tokens
            {
                mismatches.append("\(expected.text.debugDescription): got \(line)")
            }
        }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) of \(chosen.count) lines differ; first: \(mismatches.prefix(3))")
    }

    func testTokenizeTableShowsIdsAndVocabularyStrings() throws {
        let result = try run(["tokenize", "--model", Fixtures.url("models/tiny-gpt2").path, "Hello world, the nurse"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("5 tokens"), result.stdout)
        for (id, token) in [(15496, "Hello"), (995, "Ġworld"), (11, ","), (15849, "Ġnurse")] {
            XCTAssertTrue(
                result.stdout.split(separator: "\n").contains { $0.contains("\(id)") && $0.hasSuffix(token) },
                "no row with id \(id) and token \(token):\n\(result.stdout)")
        }
    }

    // MARK: next-token

    func testNextTokenTop50MatchesGoldenLogits() throws {
        var largest = (logit: Float(0), probability: 0.0)
        for name in GoldenModel.all {
            let model = try GoldenModel(name)
            for (index, prompt) in model.golden.prompts.enumerated() {
                let output = try runJSON(["next-token", "--model", model.directory.path, prompt.text, "--json", "--top", "50"])
                XCTAssertEqual(output["prompt_ids"] as? [Int], prompt.ids, "\(name) prompt \(index)")
                let top = try XCTUnwrap(output["top"] as? [[String: Any]])
                XCTAssertEqual(top.count, 50)
                let differences = try checkAgainstGolden(top, golden: try model.lastLogits(prompt: index), label: "\(name) prompt \(index)")
                largest = (max(largest.logit, differences.logit), max(largest.probability, differences.probability))
            }
        }
        print("next-token top 50 vs transformers: largest logit difference \(largest.logit), largest relative probability error \(largest.probability)")
    }

    /// The printed entries against the golden logits: each logit, the order, nothing better left out,
    /// and each probability against the softmax of the golden logits.
    /// - Returns: the largest logit difference and the largest relative probability error.
    @discardableResult
    private func checkAgainstGolden(
        _ entries: [[String: Any]], golden: [Float], label: String
    ) throws -> (logit: Float, probability: Double) {
        let maximum = Double(golden.max()!)
        let partition = golden.reduce(0.0) { $0 + exp(Double($1) - maximum) }
        var largestLogitDifference: Float = 0
        var largestProbabilityError = 0.0
        var previous = Float.infinity
        for entry in entries {
            let id = try XCTUnwrap(entry["id"] as? Int)
            let logit = try XCTUnwrap((entry["logit"] as? NSNumber)?.floatValue)
            let probability = try XCTUnwrap((entry["prob"] as? NSNumber)?.doubleValue)
            XCTAssertNotNil(entry["token"] as? String, "\(label): entry without a token string")
            largestLogitDifference = max(largestLogitDifference, abs(logit - golden[id]))
            let expected = exp(Double(golden[id]) - maximum) / partition
            largestProbabilityError = max(largestProbabilityError, abs(probability - expected) / expected)
            XCTAssertLessThanOrEqual(logit, previous, "\(label): entries are not sorted by logit")
            previous = logit
        }
        XCTAssertLessThanOrEqual(
            largestLogitDifference, logitTolerance, "\(label): largest logit difference \(largestLogitDifference)")
        XCTAssertLessThanOrEqual(
            largestProbabilityError, probabilityRelativeTolerance,
            "\(label): largest relative probability error \(largestProbabilityError)")
        // Every token the golden ranks clearly above the last printed one must be printed.
        let printed = Set(entries.compactMap { $0["id"] as? Int })
        let missed = golden.indices.filter { golden[$0] > previous + logitTolerance && !printed.contains($0) }
        XCTAssertTrue(missed.isEmpty, "\(label): tokens ranked above the cut-off are missing: \(missed.prefix(5))")
        return (largestLogitDifference, largestProbabilityError)
    }

    func testNextTokenTopZeroPrintsTheWholeVocabulary() throws {
        let model = try GoldenModel("models/tiny-gpt2")
        let prompt = model.golden.prompts[2]
        let output = try runJSON(["next-token", "--model", model.directory.path, prompt.text, "--json", "--top", "0"])
        let top = try XCTUnwrap(output["top"] as? [[String: Any]])
        XCTAssertEqual(top.count, vocabularySize)
        XCTAssertEqual(Set(top.compactMap { $0["id"] as? Int }).count, vocabularySize, "every id exactly once")
        let sum = top.reduce(0.0) { $0 + ((($1["prob"] as? NSNumber)?.doubleValue) ?? .nan) }
        XCTAssertEqual(sum, 1, accuracy: probabilitySumTolerance, "probabilities sum to \(sum)")
        try checkAgainstGolden(top, golden: try model.lastLogits(prompt: 2), label: "--top 0")
    }

    func testNextTokenTableNamesThePromptAndRanks() throws {
        let model = try GoldenModel("models/tiny-gpt2")
        let prompt = model.golden.prompts[2].text
        let result = try run(["next-token", "--model", model.directory.path, prompt, "--top", "3"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "next token after \"\(prompt)\":", result.stdout)
        XCTAssertTrue(lines.contains { $0.contains("rank") && $0.contains("logit") && $0.contains("prob") }, result.stdout)
        let golden = try model.lastLogits(prompt: 2)
        let best = golden.indices.max { golden[$0] < golden[$1] }!
        XCTAssertTrue(lines.contains { $0.hasPrefix("   1  \(best) ") }, "rank 1 is id \(best):\n\(result.stdout)")
        XCTAssertEqual(lines.filter { $0.range(of: #"^\s+\d+\s+\d+\s"#, options: .regularExpression) != nil }.count, 3)
    }

    // MARK: generate

    func testGreedyGenerationEqualsTransformers() throws {
        for name in GoldenModel.all {
            let model = try GoldenModel(name)
            for (index, prompt) in model.golden.prompts.enumerated() {
                let output = try runJSON([
                    "generate", "--model", model.directory.path, prompt.text, "--greedy", "--ignore-eos",
                    "--max-new-tokens", "24", "--json",
                ])
                XCTAssertEqual(output["prompt_ids"] as? [Int], prompt.ids, "\(name) prompt \(index)")
                let samples = try XCTUnwrap(output["samples"] as? [[String: Any]])
                XCTAssertEqual(samples.count, 1)
                let ids = samples.first?["ids"] as? [Int] ?? []
                let firstDifference = (0..<min(ids.count, prompt.greedyNewIDs.count)).first { ids[$0] != prompt.greedyNewIDs[$0] }
                XCTAssertEqual(
                    ids, prompt.greedyNewIDs,
                    "\(name) prompt \(index): first difference at step \(firstDifference.map(String.init) ?? "(length)")")
                XCTAssertNotNil(samples.first?["text"] as? String)
            }
        }
    }

    func testSeededSamplingIsReproducibleAndSeedDependent() throws {
        let model = Fixtures.url("models/tiny-gpt2").path
        let arguments = ["generate", "--model", model, "Jamal got the job because", "--samples", "5", "--max-new-tokens", "12", "--json"]
        let first = try run(arguments + ["--seed", "7"])
        let second = try run(arguments + ["--seed", "7"])
        let other = try run(arguments + ["--seed", "8"])
        for result in [first, second, other] { XCTAssertEqual(result.status, 0, result.stderr) }
        XCTAssertEqual(first.stdout, second.stdout, "the same seed must print the same samples")
        let object = try XCTUnwrap(JSONComparison.parse(first.stdout) as? [String: Any])
        let samples = try XCTUnwrap(object["samples"] as? [[String: Any]])
        XCTAssertEqual(samples.count, 5)
        XCTAssertTrue(samples.allSatisfy { (($0["ids"] as? [Int])?.count ?? 0) >= 1 && (($0["ids"] as? [Int])?.count ?? 99) <= 12 })
        XCTAssertGreaterThan(Set(samples.compactMap { $0["ids"] as? [Int] }).count, 1, "5 samples should not all be equal")
        XCTAssertNotEqual(first.stdout, other.stdout, "another seed must give other samples")
    }

    func testGenerateTextShowsPromptAndEachContinuation() throws {
        let model = try GoldenModel("models/tiny-gpt2")
        let prompt = model.golden.prompts[0]
        let result = try run([
            "generate", "--model", model.directory.path, prompt.text, "--samples", "2", "--max-new-tokens", "5",
            "--seed", "3",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("[1]") && result.stdout.contains("[2]"), result.stdout)
        XCTAssertEqual(result.stdout.components(separatedBy: prompt.text).count - 1, 2, "the prompt starts each sample:\n\(result.stdout)")

        let greedy = try run([
            "generate", "--model", model.directory.path, prompt.text, "--greedy", "--ignore-eos", "--max-new-tokens", "24",
        ])
        XCTAssertEqual(greedy.status, 0, greedy.stderr)
        let goldenText = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Fixtures.data("models/tiny-gpt2/golden.json")) as? [String: Any])
                .flatMap { ($0["prompts"] as? [[String: Any]])?.first?["greedy_text"] as? String })
        XCTAssertTrue(greedy.stdout.contains(prompt.text + "→" + goldenText), "greedy text differs from transformers':\n\(greedy.stdout)")
    }

    // MARK: score

    func testScoreJSONHasTheDocumentedShapeAndCounts() throws {
        let output = try runJSON(["score", "He told her that they were late, and his sister waved", "--json"])
        XCTAssertEqual(output["text"] as? String, "He told her that they were late, and his sister waved")
        let sentiment = try XCTUnwrap(output["sentiment"] as? [String: Any])
        XCTAssertEqual(Set(sentiment.keys), ["neg", "neu", "pos", "compound"])
        let pronouns = try XCTUnwrap(output["pronouns"] as? [String: Any])
        XCTAssertEqual(pronouns["male"] as? Int, 2, "He, his")
        XCTAssertEqual(pronouns["female"] as? Int, 1, "her")
        XCTAssertEqual(pronouns["neutral"] as? Int, 1, "they")
        XCTAssertEqual(pronouns["female_terms"] as? Int, 1, "sister")
    }

    func testScoreEqualsVaderGolden() throws {
        let golden = try Fixtures.jsonLines("vader-golden.jsonl", as: VaderGolden.self)
        for index in [0, 17, 100, 1000, 2000] {
            let expected = golden[index]
            let output = try runJSON(["score", expected.text, "--json"])
            let sentiment = try XCTUnwrap(output["sentiment"] as? [String: Any])
            XCTAssertEqual(sentimentValues(sentiment), [expected.neg, expected.neu, expected.pos, expected.compound],
                           "golden line \(index + 1): \(expected.text.debugDescription)")
        }
    }

    func testScoreJSONLinesEqualsVaderGolden() throws {
        let golden = try Fixtures.jsonLines("vader-golden.jsonl", as: VaderGolden.self)
        let chosen = stride(from: 0, to: golden.count, by: 7).map { golden[$0] }
        let directory = try Fixtures.temporaryDirectory("score-jsonl")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("texts.jsonl")
        let lines = try chosen.map { String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0.text]), as: UTF8.self) }
        try Data(lines.joined(separator: "\n").utf8).write(to: input)

        let result = try run(["score", "--jsonl", input.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let outputs = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(outputs.count, chosen.count, "one output line per input line")
        var mismatches: [String] = []
        for (expected, line) in zip(chosen, outputs) {
            let object = try XCTUnwrap(JSONComparison.parse(line) as? [String: Any], line)
            let values = sentimentValues(object["sentiment"] as? [String: Any] ?? [:])
            if object["text"] as? String != expected.text || values != [expected.neg, expected.neu, expected.pos, expected.compound] {
                mismatches.append("\(expected.text.debugDescription): expected \([expected.neg, expected.neu, expected.pos, expected.compound]), got \(values)")
            }
        }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) of \(chosen.count) lines differ; first: \(mismatches.prefix(3))")
    }

    private func sentimentValues(_ sentiment: [String: Any]) -> [Double] {
        ["neg", "neu", "pos", "compound"].map { (sentiment[$0] as? NSNumber)?.doubleValue ?? .nan }
    }

    func testScoreTableShowsSentimentAndCounts() throws {
        let result = try run(["score", "He is a wonderful doctor"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("compound +0.5719"), result.stdout)
        XCTAssertTrue(result.stdout.contains("male 1"), result.stdout)
    }

    /// Hostile review: a --gender-lexicon word ending in U+200B was quoted raw ('he' and 'he\u{200b}' read alike), while
    /// every other message shows such a character escaped.
    func testAGenderLexiconErrorShowsAnInvisibleCharacterEscaped() throws {
        let directory = try Fixtures.temporaryDirectory("score-lexicon")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lexicon = directory.appendingPathComponent("zw.txt")
        try Data("male\the\u{200b}\n".utf8).write(to: lexicon)
        let result = try run(["score", "--gender-lexicon", lexicon.path, "he"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertEqual(result.stderr, "biasaudit: \(lexicon.path): error: gender lexicon line 1: 'he\\u{200b}' can never match, "
            + "because texts are split into words at spaces, hyphens and punctuation; list single words of letters, digits "
            + "and inner apostrophes\n")
    }

    // MARK: help

    /// The README's notebook table says which of its commands take `--json`: every one whose help lists it,
    /// and each one that does not is named as the exception (review: "every command takes `--json`", but
    /// `run` refuses it with exit 64).
    func testTheNotebookTableSaysWhichCommandsTakeJSON() throws {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "### The notebook, step by step"))
        let rest = readme[start.upperBound...]
        let section = rest[..<(rest.range(of: "\n### ")?.lowerBound ?? rest.endIndex)]
        let tableStart = try XCTUnwrap(section.range(of: "\n|"))
        let intro = section[..<tableStart.lowerBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let regex = try NSRegularExpression(pattern: "`biasaudit ([a-z-]+)")
        let table = String(section[tableStart.lowerBound...])
        let commands = Set(regex.matches(in: table, range: NSRange(table.startIndex..., in: table)).compactMap {
            Range($0.range(at: 1), in: table).map { String(table[$0]) }
        })
        XCTAssertTrue(commands.isSuperset(of: ["tokenize", "decode", "next-token", "generate", "run", "bench"]), "\(commands)")
        var withoutJSON: [String] = []
        for command in commands.sorted() {
            let help = try run([command, "--help"])
            XCTAssertEqual(help.status, 0, help.stderr)
            if !help.stdout.contains("--json") { withoutJSON.append(command) }
        }
        XCTAssertEqual(withoutJSON, ["run"], "the commands of the table whose help has no --json")
        XCTAssertFalse(intro.contains("every command takes `--json`"), intro)
        for command in withoutJSON {
            XCTAssertTrue(intro.contains("but `\(command)`"), "the README does not name \(command) as taking no --json: \(intro)")
        }
        let refused = try run(["run", "--json"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
    }

    func testEverySubcommandHasHelp() throws {
        let commands = [
            [], ["run"], ["report"], ["diff"], ["check"], ["lint"], ["generate"], ["next-token"], ["tokenize"], ["score"],
            ["models"], ["models", "pull"], ["models", "list"], ["models", "path"], ["bench"],
        ]
        for command in commands {
            let result = try run(command + ["--help"])
            XCTAssertEqual(result.status, 0, "\(command) --help: \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("USAGE: biasaudit"), "\(command) --help:\n\(result.stdout)")
        }
        // A command the tool does not have is a usage error naming the ones it has (a newcomer's review: `help nosuch`
        // printed the top-level help and exited 0); `help` of a real command still helps.
        for (arguments, place) in [(["help", "nosuch"], "'biasaudit'"), (["nosuch"], "'biasaudit'"),
                                   (["models", "nosuch"], "'biasaudit models'"), (["help", "models", "nosuch"], "'biasaudit models'")] {
            let refused = try run(arguments)
            XCTAssertEqual(refused.status, 64, "\(arguments): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("'nosuch' is not a command of \(place); its commands are "), refused.stderr)
            XCTAssertTrue(refused.stdout.isEmpty, "\(arguments) printed help: \(refused.stdout)")
        }
        XCTAssertTrue(try run(["help", "nosuch"]).stderr.contains("run, analyze, report, diff, check, lint"))
        // Under `help` every word names a command: one after a command without subcommands is refused too (a review:
        // `help run nosuch` and `help help nosuch` printed a help and exited 0). `run`'s own words are its arguments.
        for (arguments, place) in [(["help", "run", "nosuch"], "'biasaudit run'"), (["help", "help", "nosuch"], "'biasaudit help'"),
                                   (["help", "models", "pull", "nosuch"], "'biasaudit models pull'"),
                                   (["help", "run", "--", "nosuch"], "'biasaudit run'"), (["help", "help", "--", "nosuch"], "'biasaudit help'")] {
            let refused = try run(arguments)
            XCTAssertEqual(refused.status, 64, "\(arguments): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("'nosuch' is not a command of \(place); it has none"), refused.stderr)
            XCTAssertTrue(refused.stdout.isEmpty, "\(arguments) printed help: \(refused.stdout)")
        }
        // An option after `help help` is ArgumentParser's own (a review: `help help --help` was refused).
        for arguments in [["help", "run"], ["help", "models", "pull"], ["help"], ["help", "help"], ["help", "help", "--help"],
                          ["help", "help", "-h"], ["help", "--", "run"], ["help", "run", "--help"]] {
            let helped = try run(arguments)
            XCTAssertEqual(helped.status, 0, "\(arguments): \(helped.stderr)")
            XCTAssertTrue(helped.stdout.contains("USAGE: biasaudit"), "\(arguments):\n\(helped.stdout)")
        }
        // Every exit code of the README's list (review: 143 was missing).
        let top = try run(["--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for code in ["0 success", "1 a gate failed", "64 usage", "65 bad input", "69 model unavailable", "70 internal",
                     "74 I/O", "130 interrupted", "143 terminated by SIGTERM", "129 by SIGHUP"] {
            XCTAssertTrue(top.contains(code), "biasaudit --help lacks '\(code)': \(top)")
        }
    }

    /// A teacher's review: `bench --arch gpt2` printed nothing for minutes on a slow machine. A line on standard error
    /// names each model and run before it is timed; an audit estimate of under half a second read "about 0 seconds".
    func testBenchSaysWhatItTimesBeforeTimingIt() throws {
        let small = Fixtures.url("models/tiny-gpt2").path
        let bench = try CLI.run(
            ["bench", "--model", "small=\(small)", "--samples", "1", "--max-new-tokens", "1", "--prompts", "1", "--repeat", "2", "--audit-completions", "1"])
        XCTAssertEqual(bench.status, 0, bench.stderr)
        let lines = bench.stderr.split(separator: "\n").filter { $0.hasPrefix("biasaudit: bench: timing small: 1 prompt × 1 sample × 1 new token") }
        XCTAssertEqual(lines.map { $0.contains("run 1 of 2") || $0.contains("run 2 of 2") }, [true, true], bench.stderr)
        XCTAssertTrue(bench.stdout.contains("An audit of 1 completion of 1 token would take less than a second of generation"), bench.stdout)
    }
}
