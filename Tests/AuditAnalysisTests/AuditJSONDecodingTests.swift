import AuditAnalysis
@testable import AuditResults
import Foundation
import XCTest

/// Decoding errors in the file's own terms: JSON key names and paths, out-of-range numbers named by key,
/// non-finite values refused where a finite number belongs.
final class AuditJSONDecodingTests: XCTestCase {
    func testPropertyNamesBecomeTheJSONKeysTheEncoderWrites() throws {
        struct Probe: Encodable {
            var promptSets = 0, weightsSha256 = 0, repoId = 0, pMoreBiased = 0, nextTokenLogOdds = 0, n = 0, id = 0
        }
        let encoded = try JSONSerialization.jsonObject(with: AuditJSON.encoder().encode(Probe())) as! [String: Any]
        let expected = Set(encoded.keys)
        let converted = Set(["promptSets", "weightsSha256", "repoId", "pMoreBiased", "nextTokenLogOdds", "n", "id"]
            .map(AuditJSON.snakeCase))
        XCTAssertEqual(converted, expected, "snakeCase differs from the encoder's convertToSnakeCase")
    }

    /// Review: bytes that are not UTF-8 got Foundation's "The given data was not valid JSON." with no place.
    func testTextThatIsNotUTF8IsNamedWithItsPlaceAndByte() throws {
        XCTAssertNil(AuditJSON.encodingProblem(in: Data("{\"a\": \"é\"}\n".utf8)))
        XCTAssertEqual(AuditJSON.encodingProblem(in: Data([0x7B, 0x0A, 0x20, 0x20, 0xFF, 0x7D])),
                       "not UTF-8 text at line 2, column 3 (byte 0xFF): save the file as UTF-8 (a UTF-16 or Latin-1 file "
                           + "must be converted)")
        // Review: a UTF-16 file without a byte-order mark is ASCII with NULs, all valid UTF-8; it got
        // "not valid JSON" at some line. Its first NUL is named.
        let utf16 = "{\"a\": 1}\n".data(using: .utf16LittleEndian)!
        XCTAssertEqual(AuditJSON.encodingProblem(in: utf16),
                       "a NUL byte at line 1, column 2 (byte 0x00): JSON text has none; save a UTF-16 file as UTF-8, or "
                           + "remove the NUL")
        // Foundation decodes UTF-16 JSON; biasaudit reads UTF-8 only (RFC 8259 §8.1).
        XCTAssertThrowsError(try AuditJSON.decode([String: Int].self, from: utf16)) { error in
            XCTAssertTrue("\(error)".hasPrefix("a NUL byte at line 1, column 2 (byte 0x00)"), "\(error)")
        }
        // Its first line alone is UTF-16 JSON that Foundation decodes: the file is checked before its lines.
        let lines = (#"{"set": "s", "group": "g", "term": "t", "template": "{x} y", "model": "m", "sample_index": 0, "#
            + #""text": "a"}"# + "\n").data(using: .utf16LittleEndian)!
        XCTAssertThrowsError(try SuppliedCompletion.parse(lines + lines, path: "c.jsonl")) { error in
            XCTAssertEqual("\(error)", "c.jsonl: error: a NUL byte at line 1, column 2 (byte 0x00): JSON text has none; "
                + "save a UTF-16 file as UTF-8, or remove the NUL")
        }
        XCTAssertThrowsError(try RunDiffInput.parseCompletions(lines, path: "completions.jsonl")) { error in
            XCTAssertTrue("\(error)".contains("a NUL byte at line 1, column 2 (byte 0x00)"), "\(error)")
        }
        // A completions file is checked as a whole, before its lines; a file of one line names the column only.
        XCTAssertEqual(AuditJSON.encodingProblem(in: Data("{}".utf8) + Data([0])),
                       "a NUL byte at column 3 (byte 0x00): JSON text has none; save a UTF-16 file as UTF-8, or remove the NUL")
        let start = "{\"set\": \"s\", \"group\": \"g\", \"term\": \"t\", \"template\": \"{x} y\", \"model\": \"m\", "
            + "\"sample_index\": 0, \"text\": \"h"
        let line = Data(start.utf8) + Data([0xE9]) + Data("llo\"}".utf8)
        XCTAssertThrowsError(try SuppliedCompletion.parse(line, path: "c.jsonl")) { error in
            XCTAssertTrue("\(error)".hasPrefix(
                "c.jsonl: error: not UTF-8 text at column \(start.utf8.count + 1) (byte 0xE9)"), "\(error)")
        }
    }

    /// Review: a key given twice in one object was read first-wins (Foundation), where Python's json reads the
    /// last; such a file is refused, naming both places. Equal keys in different objects are not repeats, and
    /// keys are compared after their escapes are decoded.
    func testAKeyRepeatedInOneObjectIsRefused() throws {
        XCTAssertEqual(AuditJSON.duplicateKeyProblem(in: Data("{\n  \"a\": 1,\n  \"b\": {\"a\": 2},\n  \"a\": 3\n}".utf8)),
                       "key \"a\" appears twice in one object (line 4, column 3; first at line 2, column 3): JSON readers "
                           + "disagree on which one counts; keep one")
        // One line: columns only; `"` and `\` in the key are escaped as JSON writes them.
        XCTAssertEqual(AuditJSON.duplicateKeyProblem(in: Data(#"{"a\"b": 1, "x": "a\"b", "a\u0022b": 2}"#.utf8)),
                       #"key "a\"b" appears twice in one object (column 26; first at column 2): JSON "#
                           + "readers disagree on which one counts; keep one")
        XCTAssertEqual(AuditJSON.duplicateKeyProblem(in: Data(#"{"zz\\": 1, "zz\u005C": 2}"#.utf8)),
                       #"key "zz\\" appears twice in one object (column 13; first at column 2): JSON "#
                           + "readers disagree on which one counts; keep one")
        for unique in [#"[{"a": 1}, {"a": 2}]"#, #"{"a": {"a": {"a": 1}}, "b": ["a", "a"]}"#, #"{"a": "}", "b": "{\"a\""}"#,
                       #"{}"#, #"[]"#, #""a""#] {
            XCTAssertNil(AuditJSON.duplicateKeyProblem(in: Data(unique.utf8)), unique)
        }
        XCTAssertThrowsError(try AuditJSON.decode([String: Int].self, from: Data(#"{"n": 1, "n": 2}"#.utf8))) { error in
            XCTAssertTrue("\(error)".hasPrefix(#"key "n" appears twice in one object (column 10; first at column 2)"#),
                          "\(error)")
        }
        // In a completions file the line is named by the file, the place by columns, without the hint for
        // malformed lines.
        let line = Data((#"{"set": "s", "group": "g", "term": "t", "template": "{x} y", "model": "m", "sample_index": 0, "#
            + #""text": "a", "text": "b"}"#).utf8)
        XCTAssertThrowsError(try SuppliedCompletion.parse(line, path: "c.jsonl")) { error in
            XCTAssertEqual("\(error)", #"c.jsonl:1: error: key "text" appears twice in one object (column 108; first at "#
                + "column 95): JSON readers disagree on which one counts; keep one")
        }
    }

    /// Review: a line with a key given twice that also lacked a required key (or held a value of the wrong kind at the
    /// key the decoder kept) was told only of the missing key or the kind; the repeat, whose value readers disagree on,
    /// is said first.
    func testARepeatedKeyIsSaidBeforeAMissingKeyOrAWrongKind() throws {
        let repeated = "key \"model\" appears twice in one object (column 76; first at column 62): JSON readers disagree on "
            + "which one counts; keep one"
        let prefix = #"{"set": "s", "group": "g", "term": "t", "template": "{x} y", "model": "m", "model": "n", "#
        for rest in [#""text": "a"}"#, #""sample_index": 0}"#, #""sample_index": "zero", "text": "a"}"#] {
            XCTAssertThrowsError(try SuppliedCompletion.parse(Data((prefix + rest).utf8), path: "c.jsonl"), rest) { error in
                XCTAssertEqual("\(error)", "c.jsonl:1: error: " + repeated, rest)
            }
        }
        let kept = #"{"set": "s", "group": "g", "term": "t", "template": "{x} y", "model": 1, "model": "n", "#
            + #""sample_index": 0, "text": "a"}"#
        XCTAssertThrowsError(try SuppliedCompletion.parse(Data(kept.utf8), path: "c.jsonl")) { error in
            XCTAssertEqual("\(error)", "c.jsonl:1: error: key \"model\" appears twice in one object (column 74; first at "
                + "column 62): JSON readers disagree on which one counts; keep one")
        }
        // Any decoded document: a results file's struct missing a key.
        struct Pair: Decodable { let a: Int; let b: Int }
        XCTAssertThrowsError(try AuditJSON.decode(Pair.self, from: Data(#"{"a": 1, "a": 2}"#.utf8))) { error in
            XCTAssertTrue("\(error)".hasPrefix(#"key "a" appears twice in one object (column 10; first at column 2)"#),
                          "\(error)")
        }
        // Without a repeat, the missing key is said as before.
        XCTAssertThrowsError(try AuditJSON.decode(Pair.self, from: Data(#"{"a": 1}"#.utf8))) { error in
            XCTAssertEqual("\(error)", "missing key 'b' at the top level")
        }
    }

    /// Review: ``AuditJSON/decoder()`` reads keys with `convertFromSnakeCase`, so `schemaVersion`, `schema_version`
    /// and `schema_VERSION` fill one field, and a file holding two of them was read first-wins without a word.
    func testTwoSpellingsOfOneFieldAreRefused() throws {
        let data = Data(#"{"schemaVersion": 99, "schema_version": 2}"#.utf8)
        XCTAssertEqual(AuditJSON.duplicateKeyProblem(in: data),
                       #"key "schema_version" names the same field as "schemaVersion" (column 23; first at column 2): "#
                           + "JSON readers disagree on which one counts; keep one")
        XCTAssertNil(AuditJSON.duplicateKeyProblem(in: data, folding: nil), "as JSONSerialization reads them")
        // Review: the keys of a dictionary are not converted (a served model's `server_reported` may hold both
        // "owned_by" and "ownedBy", and biasaudit refused the results it had written); nor are those of an object
        // the decoder ignores in a completion line made elsewhere. Exact repeats are refused there too.
        let served = Data(#"{"models": [{"server_reported": {"owned_by": "a", "ownedBy": "b"}, "labels": {"e_s": "x", "eS": "y"}}]}"#.utf8)
        XCTAssertNil(AuditJSON.duplicateKeyProblem(in: served))
        XCTAssertNotNil(AuditJSON.duplicateKeyProblem(in: Data(#"{"server_reported": {"a": "x", "a": "y"}}"#.utf8)))
        XCTAssertNotNil(AuditJSON.duplicateKeyProblem(in: Data(#"{"m": [{"group_a": 1, "groupA": 2}]}"#.utf8)),
                        "objects inside arrays are structs")
        let extra = Data(#"{"sample_index": 0, "extra": {"max_tokens": 4, "maxTokens": 4}}"#.utf8)
        XCTAssertNil(AuditJSON.duplicateKeyProblem(in: extra, folding: .topLevel))
        XCTAssertNotNil(AuditJSON.duplicateKeyProblem(in: Data(#"{"sample_index": 0, "sampleIndex": 1}"#.utf8), folding: .topLevel))
        XCTAssertNotNil(AuditJSON.duplicateKeyProblem(in: Data(#"{"schema_version": 1, "schema_VERSION": 2}"#.utf8)))
        XCTAssertNil(AuditJSON.duplicateKeyProblem(in: Data(#"{"schemaversion": 1, "schema_version": 2}"#.utf8)))
        XCTAssertThrowsError(try AuditJSON.loadResult(data, path: "r.json")) { error in
            XCTAssertTrue("\(error)".contains(#"key "schema_version" names the same field as "schemaVersion""#), "\(error)")
        }
        // `fieldName` is the decoder's own conversion: each spelling reaches the property the decoder fills.
        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        struct Keys: Decodable {
            let names: [String]
            init(from decoder: Decoder) throws {
                names = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            }
        }
        for spelling in ["a_b", "_a_b_", "a__b", "A_B", "schema_VERSION", "x", "__", "a_1", "é_b", "group_a", "schemaVersion"] {
            let json = Data(("{\"" + spelling + "\": 0}").utf8)
            let decoded = try AuditJSON.decoder().decode(Keys.self, from: json).names
            XCTAssertEqual(decoded, [AuditJSON.fieldName(spelling)], spelling)
        }
    }

    /// Review: a lone surrogate escape got Foundation's "end of file" and the hint "is the file truncated?".
    func testALoneSurrogateIsNotCalledATruncation() throws {
        let problem = try XCTUnwrap(AuditJSON.syntaxProblem(in: Data(#"{"schema_version": 2, "a\ud800": 1}"#.utf8)))
        XCTAssertTrue(problem.hasSuffix(#"; a \uD800–\uDBFF escape must be followed by a \uDC00–\uDFFF one (a UTF-16 pair); "#
            + "fix or remove it"), problem)
        XCTAssertFalse(problem.contains("truncated"), problem)
    }

    /// A hostile review: a lone low surrogate (`\udc00` first) got Foundation's "no high character" and "is the file
    /// truncated?"; a raw TAB in a string, the same hint. Each is placed and named now; a pair, and an escaped backslash
    /// before `ud800`, are no fault.
    func testALoneSurrogateAndARawControlCharacterArePlacedAndNamed() throws {
        let low = try XCTUnwrap(AuditJSON.syntaxProblem(in: Data((#"{"a": "ok \ud83d\ude00 \\ud800","# + "\n" + #" "b": "x\udc00\ud800"}"#).utf8)))
        XCTAssertEqual(low, #"not valid JSON at line 2, column 9 (near '\udc00\ud800'): a lone UTF-16 surrogate; a \uD800–\uDBFF "#
            + #"escape must be followed by a \uDC00–\uDFFF one (a UTF-16 pair); fix or remove it"#)
        let high = try XCTUnwrap(AuditJSON.syntaxProblem(in: Data(#"{"a": "\ud800x"}"#.utf8), oneLine: true))
        XCTAssertTrue(high.hasPrefix(#"not valid JSON at column 8 (near '\ud800x"}'): a lone UTF-16 surrogate;"#), high)
        let tab = try XCTUnwrap(AuditJSON.syntaxProblem(in: Data("{\"a\": \"x\ty\"}".utf8)))
        XCTAssertTrue(tab.hasSuffix(#"a raw control character (U+0009) inside a string; JSON writes it escaped (\t, \u001b): "#
            + "write the file with a JSON library"), tab)
        XCTAssertTrue(tab.contains("line 1, column 9"), tab)
        // Between values (a code review: a Ctrl-Z after the object, a form feed between members were "inside a string").
        for (json, column, code) in [("{\"a\": 1}\u{1A}", 9, "001A"), ("{\"a\": 1,\u{0C}\"b\": 2}", 9, "000C")] {
            let problem = try XCTUnwrap(AuditJSON.syntaxProblem(in: Data(json.utf8)))
            XCTAssertTrue(problem.hasSuffix("a raw control character (U+\(code)) between values, where JSON allows only spaces, "
                + "tabs and line breaks; remove it"), problem)
            XCTAssertTrue(problem.contains("line 1, column \(column)"), problem)
        }
        // A file cut right after a high half is cut short, not a lone surrogate.
        for cutShort in [#"{"a": "\uD83D"#, #"{"a": "\uD83D\u"#, #"{"a": "\uD83D\uDE0"#] {
            let cut = try XCTUnwrap(AuditJSON.syntaxProblem(in: Data(cutShort.utf8)))
            XCTAssertFalse(cut.contains("lone"), cut)
        }
    }

    /// A hostile review: Foundation read a comma before `}` or `]`, which JSON and Python's `json` refuse.
    func testATrailingCommaIsRefusedWhereItIs() throws {
        let problem = try XCTUnwrap(AuditJSON.syntaxProblem(in: Data("{\"a\": [1, 2 ,\n ], \"b\": \"x,]\"}".utf8)))
        XCTAssertEqual(problem, "not valid JSON at line 1, column 13 (near ',\\u{a} ], \"b\": \"x,]\"}'): a comma before a "
            + "closing '}' or ']', which JSON does not allow (other JSON readers refuse the file); remove it")
        XCTAssertTrue(AuditJSON.syntaxProblem(in: Data("{\"a\": 1,}".utf8))?.contains("at line 1, column 8") == true)
        // A string ending in an escaped backslash ends there: the comma after it is one.
        XCTAssertTrue(AuditJSON.syntaxProblem(in: Data(#"{"a": "x\\", }"#.utf8))?.contains("at line 1, column 12") == true)
        // Commas inside strings, and after escaped quotes, are no trailing commas.
        for valid in [#"{"a": ",]", "b": "\",}"}"#, #"{"a": [1, 2], "b": {"c": 3}}"#, "{}", "{\"a\": []}"] {
            XCTAssertNil(AuditJSON.syntaxProblem(in: Data(valid.utf8)), valid)
        }
    }

    /// A CI team's review: a prompt set or policy given as the results said "is the file truncated or edited by hand?".
    func testAYAMLFileGivenAsResultsIsSaidToBeOne() {
        for yaml in ["# A set\nname: demo\ntemplates: []\n", "rules:\n  - kind: max_abs_contrast\n"] {
            XCTAssertThrowsError(try AuditJSON.loadResult(Data(yaml.utf8), path: "r.yaml")) { error in
                XCTAssertTrue("\(error)".hasSuffix("the file does not start with '{', as a results file does (it reads as "
                    + "YAML: a prompt set or a policy?); give the results.json that run or analyze wrote"), "\(error)")
            }
        }
        // A report or a CSV is no results file either, and no YAML (a code review).
        for other in ["# Bias audit: gpt2\n\nRun started: today\n", "set,template,text\n"] {
            XCTAssertThrowsError(try AuditJSON.loadResult(Data(other.utf8), path: "r.md")) { error in
                XCTAssertTrue("\(error)".hasSuffix("the file does not start with '{', as a results file does; give the "
                    + "results.json that run or analyze wrote"), "\(error)")
            }
        }
        // Not for broken JSON, nor for one line of a JSON Lines file.
        XCTAssertTrue(AuditJSON.syntaxProblem(in: Data("{\"a\": x}".utf8), results: true)?.contains("reads as YAML") == false)
        XCTAssertTrue(AuditJSON.syntaxProblem(in: Data("name: x".utf8), oneLine: true, results: true)?.contains("YAML") == false)
    }

    func testAPathNamesListPositionsWithBrackets() {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int?
            init(stringValue: String) { self.stringValue = stringValue }
            init(intValue: Int) { stringValue = "Index \(intValue)"; self.intValue = intValue }
        }
        let path: [CodingKey] = [Key(stringValue: "promptSets"), Key(intValue: 2), Key(stringValue: "groups"),
                                 Key(intValue: 0), Key(stringValue: "levels")]
        XCTAssertEqual(AuditJSON.jsonPath(path), "prompt_sets[2].groups[0].levels")
        XCTAssertEqual(AuditJSON.jsonPath([]), "top level")
    }

    func testANumberThatDoesNotFitItsKeyIsFoundAndNamed() throws {
        struct Inner: Decodable { var sampleIndex: Int; var weight: Double }
        struct Outer: Decodable { var items: [Inner]; var seed: UInt64 }
        let cases: [(String, String)] = [
            (#"{"seed": 1, "items": [{"sample_index": 0, "weight": 0.5}, {"sample_index": 1e300, "weight": 2.5}]}"#,
             "value out of range at items[1].sample_index: 1e+300 does not fit; this key holds a whole number (at most "
                + "2^53, 9007199254740992)"),
            // Shown with the digits written (a review: 1.8446744073709552e+19), also beyond UInt64.
            (#"{"seed": 1, "items": [{"sample_index": 18446744073709551615, "weight": 0.5}]}"#,
             "value out of range at items[0].sample_index: 18446744073709551615 does not fit; this key holds a whole "
                + "number (at most 2^53, 9007199254740992)"),
            (#"{"seed": 1, "items": [{"sample_index": 99999999999999999999, "weight": 0.5}]}"#,
             "value out of range at items[0].sample_index: 99999999999999999999 does not fit; this key holds a whole "
                + "number (at most 2^53, 9007199254740992)"),
            (#"{"seed": -3, "items": [{"sample_index": 0, "weight": -0.5}]}"#,
             "value out of range at seed: -3 does not fit; this key holds a whole number from 0 to 18446744073709551615"),
            (#"{"seed": 1, "items": [{"sample_index": 0.5, "weight": 1e300}]}"#,
             "value out of range at items[0].sample_index: 0.5 is not a whole number; this key holds a whole number"),
            (#"{"seed": 1, "items": [{"sample_index": 0, "weight": 1}"#,
             "not valid JSON (Unexpected end of file during JSON parse.); is the file truncated?"),
            // Review: a Double overflow was "not valid JSON" with no place.
            ("{\"seed\": 1,\n \"items\": [{\"sample_index\": 0, \"weight\": 1e400}]}",
             "number out of range at line 2, column 42: 1e400 is beyond what a 64-bit floating-point number holds"),
            (#"{"seed": 1, "items": [{"sample_index": 0, "weight": -2E+999}], "note": "1e999"}"#,
             "number out of range at line 1, column 53: -2E+999"),
            // Hostile review: a number that rounds to 0 (Foundation refuses it) was blamed on another key as an integer.
            (#"{"seed": 1, "items": [{"sample_index": 0, "weight": 1e-400}]}"#,
             "number out of range at line 1, column 53: 1e-400 is smaller than a 64-bit floating-point number holds"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try AuditJSON.decode(Outer.self, from: Data(text.utf8))) { error in
                let description = AuditJSON.describe(error)
                XCTAssertTrue(description.hasPrefix(expected), "expected '\(expected)', got '\(description)'")
            }
        }
    }

    /// A value of the wrong JSON kind is named in JSON's words: "found a list", "found an object".
    func testAWrongKindIsNamedInJSONWords() throws {
        struct Outer: Decodable { var seed: Int; var name: String }
        let cases: [(String, String)] = [
            (#"{"seed": [1], "name": "a"}"#, "found a list"),
            (#"{"seed": {"a": 1}, "name": "a"}"#, "found an object"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try AuditJSON.decode(Outer.self, from: Data(text.utf8))) { error in
                let description = AuditJSON.describe(error)
                XCTAssertTrue(description.contains(expected), "expected '\(expected)' in '\(description)'")
                XCTAssertFalse(description.contains("an a ") || description.contains("a an "), description)
            }
        }
    }

    func testDiffRefusesANonFiniteLogOddsInACompletionsFile() throws {
        let scores = try AuditJSON.decoder().decode(CompletionScores.self, from: Data("""
            {"compound": 0, "negative": 0, "neutral": 1, "positive": 0, "sentiment_label": "neutral",
             "male_pronouns": 0, "female_pronouns": 0, "neutral_pronouns": 0, "male_terms": 0, "female_terms": 0,
             "gender_label": "none"}
            """.utf8))
        func line(_ odds: Double?, sample: Int = 0) throws -> Data {
            let record = CompletionRecord(
                set: "s", template: nil, templateId: "t", group: "g", term: nil, promptId: "p", prompt: "x", model: "m",
                sampleIndex: sample, text: "y", tokenCount: 1, stopReason: "eos", scores: scores, nextTokenLogOdds: odds)
            return try AuditJSON.encoder(pretty: false).encode(record) + Data("\n".utf8)
        }
        XCTAssertEqual(try RunDiffInput.parseCompletions(line(0.25) + line(nil, sample: 1), path: "c.jsonl").map(\.nextTokenLogOdds),
                       [0.25, nil])
        XCTAssertEqual(try RunDiffInput.parseCompletions(line(-1e6), path: "c.jsonl").map(\.nextTokenLogOdds), [-1e6])
        for odds in [Double.nan, .infinity, 1e307, -1.5e6] {
            XCTAssertThrowsError(try RunDiffInput.parseCompletions(line(1) + line(odds), path: "c.jsonl")) { error in
                XCTAssertEqual(
                    "\(error)", "c.jsonl:2: error: bad completions file: next_token_log_odds is \(AuditJSON.numberText(odds)); "
                        + "biasaudit writes a finite number of at most 1000000 in size or leaves the key out: the file was "
                        + "edited; move it away to compare without it")
            }
        }
    }

    /// A syntax error is placed by line and column with a short excerpt (Foundation's decoders say only
    /// "not valid JSON"), and the non-JSON literals NaN / Infinity and unrepresentable numbers are named.
    func testSyntaxErrorsAreLocatedByLineAndColumn() throws {
        let cases: [(text: String, expected: String)] = [
            ("{\n  \"schema_version\": 2,\n  \"value\": NaN\n}",
             "not valid JSON at line 3, column 12 (near 'NaN\\u{a}}'): NaN is not a JSON number; biasaudit writes an undefined value as null"),
            ("{\"schema_version\": 2, \"value\": -Infinity}",
             "not valid JSON at line 1, column 32 (near '-Infinity}'): -Infinity is not a JSON number; biasaudit writes an undefined value as null, and infinite degrees of freedom as the string \"Infinity\""),
            ("{\"a\": [1e9],\n\"schema_version\": 1e999}",
             "not valid JSON at line 2, column 19 (near '1e999}'): the number 1e999 does not fit a 64-bit float"),
            ("[1, 2]", "not a JSON object: the file holds JSON, but not one {…} object"),
            (String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
             "not valid JSON at line 1, column 514 (near '[[[[[[[[[[[[[[[[[[[[[[[['): arrays and objects are nested too "
                + "deep for a JSON reader (biasaudit's files nest a few levels)"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(AuditJSON.syntaxProblem(in: Data(text.utf8)), expected, text)
            XCTAssertThrowsError(try AuditJSON.loadResult(Data(text.utf8), path: "r.json")) { error in
                XCTAssertEqual((error as? AuditError)?.exitCode, 65)
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
        XCTAssertNil(AuditJSON.syntaxProblem(in: Data("{\"a\": 1}".utf8)))
        // Every decode places a syntax error (a completions line of `analyze` or `diff` said only "The given data
        // was not valid JSON", whatever the fault).
        struct Line: Decodable { let text: String }
        XCTAssertThrowsError(try AuditJSON.decode(Line.self, from: Data("{\"text\": \"a\" \"b\"}".utf8))) { error in
            XCTAssertEqual("\(error)", "not valid JSON at line 1, column 14 (near '\"b\"}'): is the file truncated or edited by hand?")
        }
    }
    /// A hostile review: 200 MB of `0,` under an unknown key took 4.7 GB to parse (about 50 bytes per value) and
    /// crashed under a 3 GB limit. More than `AuditJSON.maximumValues` values are refused before any parse, by a count
    /// that skips what is inside strings.
    func testAFileOfTooManyValuesIsRefusedBeforeParsing() throws {
        let limit = AuditJSON.maximumValues
        var bytes = [UInt8]("{\"schema_version\": 1, \"zz\": [".utf8)
        bytes.reserveCapacity(2 * limit + 64)
        for _ in 0..<limit { bytes += [0x30, 0x2C] }
        bytes += Array("0]}".utf8)
        let data = Data(bytes)
        let problem = try XCTUnwrap(AuditJSON.valueCountProblem(in: data))
        XCTAssertTrue(problem.hasPrefix("the file holds about \(limit + 4) JSON values, more than the \(limit)"), problem)
        XCTAssertThrowsError(try AuditJSON.loadResult(data, path: "r.json")) { error in
            XCTAssertEqual((error as? AuditError)?.description, "r.json: error: bad results file: " + problem)
        }
        // Commas and brackets inside a string are not values: one long string is one value.
        let text = Data(("{\"a\": \"" + String(repeating: ",[{\\\"", count: limit / 4 + 1) + "\"}").utf8)
        XCTAssertNil(AuditJSON.valueCountProblem(in: text))
    }
}
