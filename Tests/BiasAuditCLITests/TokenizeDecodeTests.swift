import Foundation
import TestSupport
import XCTest

/// `tokenize` without a model (the bundled GPT-2 vocabulary), `decode`, and both with the BERT WordPiece
/// fixtures of `Tests/Fixtures/wordpiece` (goldens written by tokenizers 0.23.3's BertWordPieceTokenizer),
/// run as a user would: offline, with an empty private Hub cache. Comparisons are exact (no tolerance).
final class TokenizeDecodeTests: IsolatedHubTestCase {
    /// The notebook's sentence and the 17 GPT-2 ids the notebook prints for it.
    private let notebookSentence = "A long time ago in a galaxy far, far away there was an astrophysicist"
    private let notebookIDs = [32, 890, 640, 2084, 287, 257, 16161, 1290, 11, 1290, 1497, 612, 373, 281, 48782, 893, 48187]
    private let wordPieceDirectories = ["uncased", "cased", "uncased-keep-accents-no-cjk"]
    /// How many mismatching lines to print in a failure message.
    private let mismatchesToShow = 5


    private struct WordPieceGolden: Decodable {
        let kind: String
        let text: String?
        let ids: [Int]
        let tokens: [String]?
        let decoded: String
        let decoded_keep_special: String
    }

    private func goldens(_ directory: String) throws -> [WordPieceGolden] {
        try Fixtures.jsonLines("wordpiece/\(directory)/goldens.jsonl", as: WordPieceGolden.self)
    }

    // MARK: GPT-2 without a model

    func testTokenizeWithoutModelPrintsTheNotebooksSeventeenIDs() throws {
        let output = try runJSON(["tokenize", notebookSentence, "--json"])
        XCTAssertEqual(output["ids"] as? [Int], notebookIDs)
        XCTAssertEqual((output["tokens"] as? [String])?.prefix(4), ["A", "Ġlong", "Ġtime", "Ġago"])

        let table = try run(["tokenize", notebookSentence])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.hasPrefix("17 tokens\n"), table.stdout)
    }

    func testTokenizeWithoutModelMatchesTheModelTokenizer() throws {
        let text = "The nurse said that she would stay, the doctor said that he would not.\r\n😀"
        let bundled = try runJSON(["tokenize", text, "--json"])
        let model = try runJSON(["tokenize", "--model", Fixtures.url("models/tiny-gpt2").path, text, "--json"])
        XCTAssertEqual(bundled["ids"] as? [Int], model["ids"] as? [Int])
        XCTAssertEqual(bundled["tokens"] as? [String], model["tokens"] as? [String])
    }

    func testDecodePrintsTheText() throws {
        let result = try run(["decode", "32", "890", "640", "2084"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "A long time ago\n")
        XCTAssertEqual(result.stderr, "")

        let pasted = try run(["decode", "[32, 890, 640, 2084]"])
        XCTAssertEqual(pasted.stdout, "A long time ago\n", "a pasted Python list: \(pasted.stderr)")
        let split = try run(["decode", "[32,", "890]"])
        XCTAssertEqual(split.stdout, "A long\n", "a list split over arguments: \(split.stderr)")
        let batch = try run(["decode", "[[32, 890]]"])
        XCTAssertEqual(batch.stdout, "A long\n", "a batch of one (input_ids.tolist()): \(batch.stderr)")
        // A list cut short when pasted is refused rather than decoded as if whole.
        for cut in [["[32, 890"], ["32, 890]"], ["[32]", "890]"]] {
            let result = try run(["decode"] + cut)
            XCTAssertEqual(result.status, 64, "\(cut): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("the brackets of the token ids do not pair up"), result.stderr)
        }
    }

    func testDecodeRoundTripsTheNotebookSentence() throws {
        let result = try run(["decode"] + notebookIDs.map(String.init))
        XCTAssertEqual(result.stdout, notebookSentence + "\n", result.stderr)
    }

    func testDecodeTokensAndJSONShowEachToken() throws {
        let table = try run(["decode", "32", "890", "640", "2084", "--tokens"])
        XCTAssertEqual(table.status, 0, table.stderr)
        for (id, token) in [(32, "A"), (890, "Ġlong"), (640, "Ġtime"), (2084, "Ġago")] {
            XCTAssertTrue(
                table.stdout.split(separator: "\n").contains { $0.contains("\(id)") && $0.hasSuffix(token) },
                "no row with id \(id) and token \(token):\n\(table.stdout)")
        }
        XCTAssertTrue(table.stdout.hasSuffix("text: A long time ago\n"), table.stdout)
        XCTAssertTrue(table.stdout.hasPrefix("4 tokens\n"), table.stdout)
        let one = try run(["decode", "26102", "--tokens"])
        XCTAssertTrue(one.stdout.hasPrefix("1 token\n"), "review: it said \"1 tokens\": \(one.stdout)")

        let json = try runJSON(["decode", "32", "890", "640", "2084", "--json"])
        XCTAssertEqual(json["ids"] as? [Int], [32, 890, 640, 2084])
        XCTAssertEqual(json["tokens"] as? [String], ["A", "Ġlong", "Ġtime", "Ġago"])
        XCTAssertEqual(json["text"] as? String, "A long time ago")
    }

    /// Decoded text is model text: printed as `generate` prints it, line breaks kept and every other control
    /// character shown as `\u{…}`, never sent to the terminal; `--json` keeps the exact text.
    func testDecodeShowsControlCharactersInsteadOfPrintingThem() throws {
        // 215 58 3132 76 is ESC "[31m" (red); 188 is NUL; 201 is a carriage return; 198 a line feed.
        let red = try run(["decode", "215", "58", "3132", "76"])
        XCTAssertEqual(red.status, 0, red.stderr)
        XCTAssertEqual(red.stdout, "\\u{1b}[31m\n")
        XCTAssertEqual(try run(["decode", "188"]).stdout, "\\u{0}\n")
        XCTAssertFalse(try run(["decode", "201"]).stdout.contains("\r"))
        XCTAssertEqual(try run(["decode", "32", "198", "32"]).stdout, "A\nA\n", "a line break is kept, as generate keeps it")
        let tokens = try run(["decode", "215", "58", "3132", "76", "--tokens"])
        XCTAssertEqual(tokens.status, 0, tokens.stderr)
        XCTAssertFalse(tokens.stdout.contains("\u{1b}"), tokens.stdout)
        XCTAssertTrue(tokens.stdout.hasSuffix("text: \\u{1b}[31m\n"), tokens.stdout)
        let json = try runJSON(["decode", "215", "58", "3132", "76", "--json"])
        XCTAssertEqual(json["text"] as? String, "\u{1b}[31m", "--json keeps the exact text (JSON escapes it)")

        // A hostile vocabulary entry (an OSC title sequence) is shown, not run.
        let directory = try Fixtures.temporaryDirectory("biasaudit-hostile-vocab")
        defer { try? FileManager.default.removeItem(at: directory) }
        var vocabulary = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.url("models/tiny-gpt2/vocab.json"))) as? [String: Int])
        vocabulary["\u{1b}]0;pwn\u{7}"] = 50257
        try JSONSerialization.data(withJSONObject: vocabulary).write(to: directory.appendingPathComponent("vocab.json"))
        try FileManager.default.copyItem(
            at: Fixtures.url("models/tiny-gpt2/merges.txt").resolvingSymlinksInPath(),
            to: directory.appendingPathComponent("merges.txt"))
        let hostile = try run(["decode", "--model", directory.path, "50257"])
        XCTAssertEqual(hostile.status, 0, hostile.stderr)
        XCTAssertFalse(hostile.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, hostile.stdout.debugDescription)
        XCTAssertTrue(hostile.stdout.contains("\\u{1b}]0;pwn\\u{7}"), hostile.stdout.debugDescription)

        // Hostile review: the warning on dropped ids printed a labelled model's folder raw.
        let folder = directory.appendingPathComponent("e\u{1b}[31m")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(
                at: Fixtures.url("models/tiny-gpt2/\(file)").resolvingSymlinksInPath(), to: folder.appendingPathComponent(file))
        }
        let dropped = try run(["decode", "--model", "ok=\(folder.path)", "--skip-out-of-range", "32", "999999"])
        XCTAssertEqual(dropped.status, 0, dropped.stderr)
        XCTAssertEqual(dropped.stderr, "warning: dropped 1 id(s) not in ok (\(directory.path)/e\\u{1b}[31m) (ids 0 to 50256): "
            + "999999\n")
    }

    func testDecodeDropsEndOfTextUnlessAskedToKeepIt() throws {
        XCTAssertEqual(try run(["decode", "32", "50256"]).stdout, "A\n")
        XCTAssertEqual(try run(["decode", "32", "50256", "--keep-special-tokens"]).stdout, "A<|endoftext|>\n")
    }

    func testDecodeOfAnIDOutsideTheVocabularyIsBadInput() throws {
        let result = try run(["decode", "32", "50257"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("token id 50257 (id 2 of 2) is not in the bundled GPT-2 vocabulary"), result.stderr)
        XCTAssertTrue(result.stderr.contains("ids run from 0 to 50256"), result.stderr)

        let negative = try run(["decode", "32,-1"])
        XCTAssertEqual(negative.status, 65, negative.stderr)
    }

    /// Hostile review: an id beyond 64 bits was "not a token id; give whole numbers", though it is one. It is out of
    /// range like 50257 and -1: exit 65 naming it, or dropped with --skip-out-of-range.
    func testDecodeOfAWholeNumberBeyond64BitsIsOutOfRange() throws {
        for huge in ["99999999999999999999", "-99999999999999999999", "18446744073709551616"] {
            let result = try run(["decode", "--", "32", huge])
            XCTAssertEqual(result.status, 65, result.stderr)
            XCTAssertTrue(
                result.stderr.contains("token id \(huge) (id 2 of 2) is not in the bundled GPT-2 vocabulary"), result.stderr)
            XCTAssertFalse(result.stderr.contains("not a token id"), result.stderr)

            let skipped = try run(["decode", "--skip-out-of-range", "--json", "32,\(huge),890"])
            XCTAssertEqual(skipped.status, 0, skipped.stderr)
            XCTAssertEqual(skipped.stderr, "warning: dropped 1 id(s) not in the bundled GPT-2 vocabulary (ids 0 to 50256): \(huge)\n")
            let output = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(skipped.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(output["ids"] as? [Int], [32, 890])
        }
        // A number of 1,000 digits is quoted as an excerpt.
        let long = try run(["decode", String(repeating: "9", count: 1000)])
        XCTAssertEqual(long.status, 65, long.stderr)
        XCTAssertLessThan(long.stderr.count, 500, long.stderr)
    }

    func testDecodeOfSomethingThatIsNotAnIDIsAUsageError() throws {
        let result = try run(["decode", "32", "ago"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("'ago' is not a token id"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Usage: biasaudit decode ["), "this command's usage: \(result.stderr)")
        // An option decode does not have is named, not its value (a class typing --lang es everywhere: "'es' is not a
        // token id").
        let lang = try run(["decode", "--lang", "es", "32"])
        XCTAssertEqual(lang.status, 64, lang.stderr)
        XCTAssertTrue(lang.stderr.contains("Unknown option '--lang'"), lang.stderr)
        XCTAssertFalse(lang.stderr.contains("not a token id"), lang.stderr)
        for notWhole in ["1e30", "+", "3.0", "0x10"] {
            let refused = try run(["decode", "32", notWhole])
            XCTAssertEqual(refused.status, 64, "\(notWhole): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("'\(notWhole)' is not a token id"), refused.stderr)
        }
        XCTAssertEqual(try run(["decode"]).status, 64)
    }

    func testDecodeHelpNamesTheDefaultVocabularyAndTheFlags() throws {
        let result = try run(["decode", "--help"])
        XCTAssertEqual(result.status, 0, result.stderr)
        for text in ["USAGE: biasaudit decode", "bundled GPT-2 vocabulary", "--tokens", "--json", "--keep-special-tokens"] {
            XCTAssertTrue(result.stdout.contains(text), "decode --help lacks \(text):\n\(result.stdout)")
        }
        XCTAssertTrue(try run(["--help"]).stdout.contains("decode"), "the root help lists decode")
    }

    // MARK: WordPiece

    func testTokenizeWithWordPieceDirectoriesMatchesGoldens() throws {
        for directory in wordPieceDirectories {
            let cases = try goldens(directory).filter { $0.kind == "encode" }
            // Accents, CJK edges, control characters, punctuation runs, emoji, long words, random mixtures.
            // A command-line argument cannot hold NUL (argv is C strings); --jsonl covers those texts.
            let chosen = cases.indices.filter { $0 < 50 ? $0 % 5 == 0 : $0 % 40 == 0 }.map { cases[$0] }
                .filter { !($0.text ?? "").unicodeScalars.contains("\0") }
            var mismatches: [String] = []
            for golden in chosen {
                let text = try XCTUnwrap(golden.text)
                let output = try runJSON(["tokenize", "--model", Fixtures.url("wordpiece/\(directory)").path, text, "--json"])
                if output["ids"] as? [Int] != golden.ids || output["tokens"] as? [String] != golden.tokens {
                    mismatches.append("\(text.debugDescription): got \(output), expected \(golden.ids) \(golden.tokens ?? [])")
                }
            }
            XCTAssertTrue(mismatches.isEmpty, "\(directory): \(mismatches.count) of \(chosen.count) texts differ:\n"
                + mismatches.prefix(mismatchesToShow).joined(separator: "\n"))
        }
    }

    func testTokenizeJSONLinesWithCRLFLineEndingsMatchesGoldens() throws {
        let cases = try goldens("uncased").filter { $0.kind == "encode" }
        let directory = try Fixtures.temporaryDirectory("tokenize-crlf")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("texts.jsonl")
        let lines = try cases.map { String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0.text ?? ""]), as: UTF8.self) }
        try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: input)

        let result = try run(["tokenize", "--model", Fixtures.url("wordpiece/uncased").path, "--jsonl", input.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let outputs = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(outputs.count, cases.count, "one output line per CRLF-terminated input line")
        var mismatches: [String] = []
        for (golden, line) in zip(cases, outputs) {
            let object = try XCTUnwrap(JSONComparison.parse(line) as? [String: Any], line)
            if object["text"] as? String != golden.text || object["ids"] as? [Int] != golden.ids
                || object["tokens"] as? [String] != golden.tokens
            {
                mismatches.append("\((golden.text ?? "").debugDescription): got \(line)")
            }
        }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) lines differ; first:\n"
            + mismatches.prefix(mismatchesToShow).joined(separator: "\n"))
    }

    func testDecodeWithWordPieceDirectoryMatchesGoldens() throws {
        let path = Fixtures.url("wordpiece/uncased").path
        let vocabularySize = try String(contentsOf: Fixtures.url("wordpiece/uncased/vocab.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let cases = try goldens("uncased").filter {
            $0.kind == "decode" && !$0.ids.isEmpty && $0.ids.allSatisfy { $0 < vocabularySize }
        }
        var mismatches: [String] = []
        for golden in cases.prefix(20) {
            let ids = golden.ids.map(String.init)
            let skipped = try runJSON(["decode", "--model", path, "--json"] + ids)
            let kept = try runJSON(["decode", "--model", path, "--json", "--keep-special-tokens"] + ids)
            if skipped["text"] as? String != golden.decoded || kept["text"] as? String != golden.decoded_keep_special {
                mismatches.append("\(golden.ids): got \(skipped["text"] ?? "nil") / \(kept["text"] ?? "nil"), "
                    + "expected \(golden.decoded.debugDescription) / \(golden.decoded_keep_special.debugDescription)")
            }
        }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) id lists decode differently:\n"
            + mismatches.prefix(mismatchesToShow).joined(separator: "\n"))

        let outside = try run(["decode", "--model", path, "32", "\(vocabularySize)"])
        XCTAssertEqual(outside.status, 65, outside.stderr)
        XCTAssertTrue(outside.stderr.contains("whose ids run from 0 to \(vocabularySize - 1)"), outside.stderr)

        // tokenizers skips ids past the vocabulary; --skip-out-of-range does the same, with a warning.
        let pastTheEnd = try XCTUnwrap(goldens("uncased").first { $0.kind == "decode" && $0.ids.contains(vocabularySize) })
        let skipping = try run(["decode", "--model", path, "--skip-out-of-range"] + pastTheEnd.ids.map(String.init))
        XCTAssertEqual(skipping.status, 0, skipping.stderr)
        XCTAssertEqual(skipping.stdout, pastTheEnd.decoded + "\n")
        XCTAssertTrue(skipping.stderr.hasPrefix("warning: dropped 3 id(s) not in \(path)"), skipping.stderr)
    }

    /// A Hub id whose snapshot (tokenizer files and config.json only, no weights) is in the cache works offline.
    func testWordPieceHubIDIsReadFromACachedSnapshotOfTokenizerFilesOnly() throws {
        let commit = String(repeating: "ab", count: 20)
        let repository = hub.directory.appendingPathComponent("models--fixture-org--tiny-bert")
        let snapshot = repository.appendingPathComponent("snapshots/\(commit)")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try Data(commit.utf8).write(to: repository.appendingPathComponent("refs/main"))
        try Data(#"{"model_type": "bert"}"#.utf8).write(to: snapshot.appendingPathComponent("config.json"))
        for file in ["vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: Fixtures.url("wordpiece/uncased/\(file)"), to: snapshot.appendingPathComponent(file))
        }
        let golden = try XCTUnwrap(goldens("uncased").first { $0.text == "¿Quién pagó la cuenta? ¡Nadie!" })
        let output = try runJSON(["tokenize", "--model", "fixture-org/tiny-bert", golden.text!, "--json"])
        XCTAssertEqual(output["ids"] as? [Int], golden.ids)
        XCTAssertEqual(output["tokens"] as? [String], golden.tokens)
    }

    func testWordPieceDirectoryWithoutTokenizerConfigIsBadInput() throws {
        let directory = try Fixtures.temporaryDirectory("wordpiece-no-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: Fixtures.url("wordpiece/uncased/vocab.txt"), to: directory.appendingPathComponent("vocab.txt"))
        let result = try run(["tokenize", "--model", directory.path, "hello"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(directory.path)/tokenizer_config.json: error: missing"), result.stderr)
    }

    func testBrokenWordPieceFilesNameTheFile() throws {
        let directory = try Fixtures.temporaryDirectory("wordpiece-broken")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("[PAD]\n[CLS]\n[SEP]\nhello\n".utf8).write(to: directory.appendingPathComponent("vocab.txt"))
        try Data("{}".utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let missingUnknown = try run(["tokenize", "--model", directory.path, "hello"])
        XCTAssertEqual(missingUnknown.status, 65, missingUnknown.stderr)
        XCTAssertTrue(
            missingUnknown.stderr.contains("\(directory.path)/vocab.txt: error: the unk_token \"[UNK]\" is not in the vocabulary"),
            missingUnknown.stderr)

        try Data(#"{"do_lower_case": "yes"}"#.utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let badConfiguration = try run(["tokenize", "--model", directory.path, "hello"])
        XCTAssertEqual(badConfiguration.status, 65, badConfiguration.stderr)
        XCTAssertTrue(
            badConfiguration.stderr.contains("\(directory.path)/tokenizer_config.json: error: \"do_lower_case\": expected true, false or null"),
            badConfiguration.stderr)

        // Hostile tester: a key given twice was read as JSONDecoder reads it (the first), where Hugging Face takes the last.
        try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n".utf8).write(to: directory.appendingPathComponent("vocab.txt"))
        try Data(#"{"do_lower_case": true, "do_lower_case": false}"#.utf8)
            .write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let repeated = try run(["tokenize", "--model", directory.path, "hello"])
        XCTAssertEqual(repeated.status, 65, repeated.stderr)
        XCTAssertTrue(repeated.stderr.contains("\(directory.path)/tokenizer_config.json: error: key \"do_lower_case\" appears "
            + "twice in one object (column 25; first at column 2)"), repeated.stderr)
    }

    func testDirectoryWithoutTokenizerFilesIsBadInput() throws {
        let directory = try Fixtures.temporaryDirectory("no-tokenizer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run(["decode", "--model", directory.path, "1"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("no tokenizer files; expected vocab.json and merges.txt"), result.stderr)
    }
}
