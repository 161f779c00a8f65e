import Foundation
import PromptSets
import XCTest

/// Prompt sets built to hang, crash or overflow: each is refused with a finding, quickly, before any
/// expansion or statistics (README, "Limits").
final class HostilePromptSetTests: XCTestCase {
    private let linter = Linter(tokenCount: { $0.split(separator: " ").count })

    private func lint(_ yaml: String, path: String = "hostile.yaml") -> [String] {
        linter.lint(data: Data(yaml.utf8), path: path).map(\.description)
    }

    private func set(name: String = "demo", groups: String, templates: String = "['The {x} is']", defaults: String = "") -> String {
        """
        name: \(name)
        description: d
        axis: gender
        source: s
        templates: \(templates)
        groups:
        \(groups)
        \(defaults)
        """
    }

    /// A hostile review: a completions file given as a prompt set (`lint c.jsonl`, `analyze c.jsonl c.jsonl`) was called
    /// "invalid YAML: did not find expected <document start>" at line 2, while `check --policy c.jsonl` said what it is.
    /// Said here too, at 1:1, with what to give; a prompt set written as one line of JSON is still read as one.
    func testACompletionsFileGivenAsAPromptSetIsSaidToBeOne() {
        let completion = "{\"prompt_id\": \"p1\", \"model\": \"gpt2\", \"sample_index\": 0, \"text\": \" was kind\"}"
        for text in [completion + "\n" + completion + "\n", completion + "\n"] {
            XCTAssertEqual(lint(text), ["hostile.yaml:1:1: error: this is a JSON Lines file of completions (one JSON object "
                + "per line, as a run's completions.jsonl), not a prompt set; give prompt-set YAML files (PromptSets/*.yaml) "
                + "here, and a completions file as the first argument of `biasaudit analyze`"])
        }
        let oneLine = "{\"name\": \"demo\", \"description\": \"d\", \"axis\": \"a\", \"source\": \"s\", "
            + "\"templates\": [\"The {x} said\"], \"groups\": {\"a\": {\"terms\": [\"b\"]}, \"c\": {\"terms\": [\"d\"]}}}\n"
        XCTAssertFalse(lint(oneLine).contains { $0.contains("JSON Lines") }, "\(lint(oneLine))")
        // A report given as one (a hostile review: "invalid YAML: mapping values are not allowed in this context").
        for page in ["\u{FEFF}\n<!DOCTYPE html>\n<html lang=\"en\"><head><title>x: y</title></head></html>\n",
                     "<!-- saved from url=(0014)about:internet -->\n<!DOCTYPE html>\n<html>\n", "<?xml version=\"1.0\"?>\n<html>\n",
                     // After a YAML document start (a review: not named).
                     "---\n<!DOCTYPE html>\n<html>\n<title>x: y</title>\n"] {
            XCTAssertEqual(lint(page), ["hostile.yaml:1:1: error: this is an HTML page (a biasaudit report.html, or another), "
                + "not a prompt set; give prompt-set YAML files (PromptSets/*.yaml)"], page)
        }
        // A key that begins like a tag is a key (said as unknown).
        XCTAssertFalse(lint("<html_notes: x\n").contains { $0.contains("HTML page") })
        XCTAssertFalse(lint("---a\n<html>\n").contains { $0.contains("HTML page") }, "'---a' is no document start")
    }

    /// A hostile review: a NUL, ESC or DEL in a term was placed at 1:1 with libyaml's own "16:15: error: reader: …" and
    /// the raw line; now at its line and column, with its code.
    func testAControlCharacterIsPlacedAtItsLineAndColumn() {
        for (character, code) in [("\u{0}", "0000"), ("\u{1B}", "001B"), ("\u{7F}", "007F")] {
            let diagnostics = lint(set(groups: "  a: {terms: [nu\(character)rse, b]}\n  c: {terms: [d, e]}"))
            XCTAssertEqual(diagnostics.first, "hostile.yaml:7:17: error: invalid YAML: control characters are not allowed "
                + "(U+\(code)) at line 7, column 17; remove the character", "\(diagnostics)")
        }
        // Lines as libyaml breaks them: a file of CR-only, NEL or LS line ends puts it on line 7 too (a second review:
        // line 1, column 462 with CR-only lines, where libyaml's own marks said line 14).
        let text = set(groups: "  a: {terms: [nu\u{1B}rse, b]}\n  c: {terms: [d, e]}")
        for end in ["\r", "\r\n", "\u{2028}", "\u{85}"] {
            let diagnostics = lint(text.replacingOccurrences(of: "\n", with: end))
            XCTAssertTrue(diagnostics.first?.hasPrefix("hostile.yaml:7:17: error: invalid YAML: control characters") ?? false,
                          "\(end.unicodeScalars.map { String($0.value, radix: 16) }): \(diagnostics)")
        }
    }

    /// The hang of the trial: a mapping key that is an alias of a nested anchor chain (the composer hashes
    /// the expanded key). Refused on the event stream before composing.
    func testAliasOfANestedAnchorChainAsAKeyIsRefused() {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for depth in 1...9 {
            let previous = "*a\(depth - 1)"
            lines.append("a\(depth): &a\(depth) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]")
        }
        lines.append("? *a9\n: boom")
        let findings = lint(lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(findings.count, 1, "\(findings)")
        XCTAssertTrue(findings[0].contains("aliases expand to more than 100000 nodes"), "\(findings)")
    }

    func testSmallAliasOfACollectionAsAKeyIsRefused() {
        let findings = lint("a: &a [x, y]\n? *a\n: value\n")
        XCTAssertEqual(findings, [
            "hostile.yaml:2:3: error: a mapping key is an alias of a sequence or mapping; keys must be plain text",
        ])
    }

    /// A hostile review: `terms: "nurse"` got a second error, "group 'a' has no terms", after the one that says why.
    func testTermsThatAreNoListAreSaidOnce() {
        XCTAssertEqual(lint(set(groups: "  a: {terms: nurse}\n  b: {prompts: The clerk said}\n  c: {terms: [x, y, z]}")), [
            "hostile.yaml:7:14: error: 'terms' of group 'a' must be a list, found a string",
            "hostile.yaml:8:16: error: 'prompts' must be a list of strings, found a string",
        ])
    }

    func testPlainAliasesStillWork() {
        let yaml = set(groups: "  a: &terms {terms: [a]}\n  b: {terms: [b]}\n  c: {terms: [c]}")
        XCTAssertEqual(lint(yaml), [])
    }

    /// A hostile review: an alias repeats its anchor's node, place included, so a faulty template and 999 `- *t` printed
    /// one error 1,000 times (and a duplicate for every pair). Each finding is said once.
    func testAFindingRepeatedByAliasesIsSaidOnce() {
        let templates = "\n  - &t 'The {x} said '\n" + String(repeating: "  - *t\n", count: 200)
        let findings = lint(set(groups: "  a: {terms: [a]}\n  b: {terms: [b]}", templates: templates))
        XCTAssertEqual(Set(findings).count, findings.count, "\(findings)")
        XCTAssertEqual(findings.filter { $0.contains("ends with white space") || $0.contains("ends with a space") }.count, 1,
                       "\(findings)")
        XCTAssertLessThan(findings.count, 5, "\(findings)")
        // And so through the CLI's reader, which also checks names across files (it printed all 1,000: a hostile review).
        var names: [String: String] = [:]
        let yaml = set(groups: "  a: {terms: [a]}\n  b: {terms: [b]}", templates: templates)
        XCTAssertEqual(linter.lint(data: Data(yaml.utf8), path: "hostile.yaml", names: &names).map(\.description), findings)
    }

    /// A hostile review: a value wrong only where it is used through an alias was blamed at its anchor (a description's
    /// `&d x` for `max_new_tokens: *d`), and a list repeated by an alias said "appears twice (first at 9:16)" at 9:16. The
    /// value is placed at its key; a copy at its anchor's place says it is one.
    func testAValueGivenThroughAnAliasIsPlacedWhereItIsUsed() {
        let yaml = """
            name: aliased
            description: &d x
            axis: gender
            source: review
            templates: ["The {x} said that"]
            groups:
              a: {terms: &t [nurse, secretary]}
              b: {terms: [carpenter], label: *t}
            defaults: {samples: 2, max_new_tokens: *d}

            """
        let findings = lint(yaml)
        XCTAssertTrue(findings.contains { $0.hasPrefix("hostile.yaml:8:27: error: 'label' must be a string, found a list") },
                      "\(findings)")
        XCTAssertTrue(findings.contains { $0.hasPrefix("hostile.yaml:9:24: error: 'defaults.max_new_tokens' must be a positive integer") },
                      "\(findings)")
        let repeated = lint(set(groups: "  a: {terms: &t [nurse, secretary]}\n  b: {terms: *t}"))
        XCTAssertTrue(repeated.contains { $0.contains("term 'nurse' is given twice (first at 7:18; both at one place: a YAML "
            + "alias (*name) repeats what its anchor (&name) holds, and YAML places the copy at the anchor) in groups 'a' and "
            + "'b'") }, "\(repeated)")
        XCTAssertFalse(repeated.contains { $0.contains("appears twice") }, "one finding per term, not per prompt: \(repeated)")
        // Merge keys are a policy's, not a prompt set's: said so.
        let merged = lint(set(groups: "  a: &g {terms: [nurse, secretary, clerk]}\n  b: {<<: *g, label: B}"))
        XCTAssertTrue(merged.contains { $0.contains("unknown key '<<' in a group (prompt sets do not read YAML merge keys: "
            + "write the keys out; an alias of a whole value, such as terms: *t, works); expected one of:") }, "\(merged)")
    }

    /// Our message at every depth: beyond about 1000 levels libyaml stopped first, and its words ("Maximum nesting
    /// level reached, set with yaml_set_max_nest_level())") named an API (review).
    func testDeepNestingIsRefusedWithoutOverflowingTheStack() {
        for depth in [65, 500, 2000, 20_000] {
            let yaml = "x: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
            let findings = lint(yaml)
            XCTAssertEqual(findings.count, 1, "\(depth): \(findings)")
            XCTAssertTrue(findings[0].hasPrefix("hostile.yaml:1:"), "\(depth): \(findings)")
            XCTAssertTrue(findings[0].contains("sequences and mappings are nested more than 64 deep (README, \"Limits\"); "
                + "flatten the document"), "\(depth): \(findings)")
        }
    }

    /// A file of millions of tiny values (an 8 MiB flow list of 4 million scalars took 15–24 s and 600 MB to compose
    /// before its type was checked) stops on the event stream at the node beyond the limit: the mapping, its key and
    /// its list are 3 nodes, so 299,997 scalars make exactly the limit and one more passes it.
    func testMoreNodesThanTheLimitAreRefusedOnTheEventStream() {
        XCTAssertEqual(YAMLInputLimits.maximumNodes, 300_000)
        func document(scalars: Int) -> String { "x: [" + Array(repeating: "1", count: scalars).joined(separator: ",") + "]\n" }
        XCTAssertNil(YAMLInputLimits.check(document(scalars: 299_997)))
        let violation = YAMLInputLimits.check(document(scalars: 299_998))
        // The 299,998th scalar starts at column 5 + 2 × 299,997 (each earlier one is "1,").
        XCTAssertEqual(violation?.line, 1)
        XCTAssertEqual(violation?.column, 5 + 2 * 299_997)
        XCTAssertEqual(violation?.message, "the document holds more than 300000 values, lists and mappings, the limit "
            + "(README, \"Limits\"); the largest prompt set the other limits allow holds about 100,000: check that this "
            + "is the file you meant")
        let findings = lint(document(scalars: 1_000_000))
        XCTAssertEqual(findings.count, 1, "\(findings.prefix(3))")
        XCTAssertTrue(findings.first?.hasPrefix("hostile.yaml:1:599999: error: the document holds more than 300000") == true,
                      "\(findings.prefix(3))")
    }

    func testHugeDefaultsFailLintAsTheyWouldFailRun() {
        let yaml = set(
            groups: "  a: {terms: [a]}\n  b: {terms: [b]}",
            defaults: "defaults:\n  samples: 9223372036854775807\n  max_new_tokens: 1025")
        XCTAssertEqual(lint(yaml), [
            "hostile.yaml:10:12: error: 'defaults.samples' must be a positive integer of at most 10000 (README, \"Limits\"), "
                + "found '9223372036854775807'",
            "hostile.yaml:11:19: error: 'defaults.max_new_tokens' must be a positive integer of at most 1024 (README, "
                + "\"Limits\"), found '1025'",
        ])
        XCTAssertThrowsError(try PromptSetLoader.load(data: Data(yaml.utf8), path: "hostile.yaml"))
    }

    /// A hostile review: a label "A\u{2028}B" passed lint and run, and broke its line in every output.
    func testALineSeparatorInANameIsRefused() {
        for (scalar, kind) in [("\\u2028", "line"), ("\\u2029", "paragraph")] {
            let findings = lint(set(groups: "  a: {label: \"A\(scalar)B\", terms: [a]}\n  b: {terms: [b]}"))
            XCTAssertTrue(findings.contains { $0.hasSuffix("holds the \(kind) separator U+\(scalar.dropFirst(2).uppercased()), "
                + "which breaks the line wherever it is printed; remove it") }, "\(findings)")
        }
    }

    /// A hostile review: two groups with terms under refused ids (an escape, a zero-width space) were also said to leave
    /// the slot "filled by no group", and `run` printed that error alone, the first by position.
    func testGroupsRefusedForTheirIdsAreNotAlsoSaidToBeMissing() throws {
        let findings = lint(set(groups: "  \"a\\e[31m\": {terms: [x]}\n  \"a\\u200b\": {terms: [y]}"))
        XCTAssertEqual(findings.filter { $0.contains("group id '") }.count, 2, "\(findings)")
        XCTAssertFalse(findings.contains { $0.contains("is filled by no group") }, "\(findings)")
        // A set whose groups are all fixed prompts still is.
        let prompts = lint(set(groups: "  a: {prompts: ['p one']}\n  b: {prompts: ['p two']}"))
        XCTAssertTrue(prompts.contains { $0.contains("the templates' slot {x} is filled by no group") }, "\(prompts)")
    }

    /// Hostile review: by YAML 1.1 (Yams) `samples: 1_0` was 10 and `0x10` 16; numbers are decimal, as in YAML 1.2.
    func testNumbersAreDecimalAsInYAML12() throws {
        let yaml = set(
            groups: "  a: {terms: [{term: a, women_share: 0x1}]}\n  b: {terms: [b]}",
            defaults: "defaults:\n  samples: 1_0\n  max_new_tokens: 1:30")
        let findings = lint(yaml)
        XCTAssertTrue(findings.contains { $0.contains("'women_share' must be a fraction between 0 and 1 (e.g. 0.87 for 87 %), "
            + "found '0x1'; write numbers in decimal digits, e.g. 1") }, "\(findings)")
        XCTAssertTrue(findings.contains { $0.contains("'defaults.samples' must be a positive integer of at most 10000 (README, "
            + "\"Limits\"), found '1_0'; write numbers in decimal digits, e.g. 10") }, "\(findings)")
        XCTAssertTrue(findings.contains { $0.contains("found '1:30'; write numbers in decimal digits, e.g. 90") },
                      "\(findings)")
        // YAML 1.1 reads 010 as octal 8 and 09 as a string; here they are ten and nine samples; `!!int "10"` is a
        // number, and `!!str 10` and "10" are strings (a hostile review: `!!str 10` was ten samples).
        for (value, samples) in [("010", 10), ("09", 9), ("!!int \"10\"", 10)] {
            let decimal = set(groups: "  a: {terms: [a]}\n  b: {terms: [b]}", defaults: "defaults:\n  samples: \(value)")
            XCTAssertEqual(try PromptSetLoader.load(data: Data(decimal.utf8), path: "hostile.yaml").defaults?.samples, samples, value)
        }
        // A share too small for a double read as 0, which no one wrote (the policy's `max: 1e-400` was refused already).
        let tiny = set(groups: "  a: {terms: [{term: a, women_share: 1e-400}]}\n  b: {terms: [b]}", defaults: "")
        XCTAssertTrue(lint(tiny).contains { $0.hasSuffix("'women_share' is 1e-400, too small for a 64-bit float, which reads it "
            + "as 0; write 0, or a larger number") }, "\(lint(tiny))")
        let zero = set(groups: "  a: {terms: [{term: a, women_share: 0e-400}]}\n  b: {terms: [b]}", defaults: "")
        XCTAssertEqual(try PromptSetLoader.load(data: Data(zero.utf8), path: "hostile.yaml").groups.first?.terms?.first?.womenShare, 0)
        let tagged = set(groups: "  a: {terms: [{term: a, women_share: !!str 0.5}]}\n  b: {terms: [b]}", defaults: "")
        XCTAssertTrue(lint(tagged).contains { $0.contains("'women_share' must be a fraction between 0 and 1") }, "\(lint(tagged))")
        for (value, hint) in [("!!str 10", "found '10', which is a string (tagged !!str); write the number without the tag"),
                              ("!!str 09", "found '09', which is a string (tagged !!str); write the number without the tag"),
                              ("\"10\"", "found '10'; write it without quotes (10)")] {
            let text = set(groups: "  a: {terms: [a]}\n  b: {terms: [b]}", defaults: "defaults:\n  samples: \(value)")
            XCTAssertTrue(lint(text).contains { $0.contains("'defaults.samples' must be a positive integer") && $0.hasSuffix(hint) },
                          "\(value): \(lint(text))")
        }
    }

    /// An explicit tag must fit the key: `!!int` or `!!float` for a number, `!!str` (or none) for a text. `!!bool 10`,
    /// `!foo 10` and YAML's `! 10` (a string) were ten samples, and a `!!binary` term its base64 letters.
    func testExplicitTagsMustFitTheKey() throws {
        for (value, clause) in [
            ("!!bool 10", "which is tagged !!bool, not as a number (!!int, !!float); write the number without the tag"),
            ("!foo 10", "which is tagged !foo, not as a number (!!int, !!float); write the number without the tag"),
            ("!foo \"10\"", "which is tagged !foo, not as a number (!!int, !!float); write the number without the tag"),
            ("!!timestamp 10", "which is tagged !!timestamp, not as a number (!!int, !!float); write the number without the tag"),
            ("! 10", "which is a string (tagged !); write the number without the tag"),
            ("!!int 2.5", "which is tagged !!int but is no whole number; remove the tag or write a whole number"),
            ("!!binary MTA=", "which is tagged !!binary, not as a number (!!int, !!float); write the number without the tag"),
            ("!!int \"x\"", "found 'x'"),
        ] {
            let text = set(groups: "  a: {terms: [a]}\n  b: {terms: [b]}", defaults: "defaults:\n  samples: \(value)")
            XCTAssertTrue(lint(text).contains { $0.contains("'defaults.samples' must be a positive integer") && $0.hasSuffix(clause) },
                          "\(value): \(lint(text))")
        }
        let share = set(groups: "  a: {terms: [{term: a, women_share: !!int 0.5}]}\n  b: {terms: [b]}")
        XCTAssertTrue(lint(share).contains { $0.hasSuffix("'women_share' must be a fraction between 0 and 1 (e.g. 0.87 for 87 %), "
            + "found '0.5', which is tagged !!int but is no whole number; remove the tag or write a whole number") }, "\(lint(share))")
        for (value, found) in [("!!binary YQ==", "'YQ==', which is tagged !!binary"), ("!foo a", "'a', which is tagged !foo"),
                               ("!!bool x", "'x', which is tagged !!bool"), ("!!null a", "'a', which is tagged !!null")] {
            let findings = lint(set(groups: "  a: {terms: [\(value), c]}\n  b: {terms: [b, d]}"))
            XCTAssertTrue(findings.contains {
                $0 == "hostile.yaml:7:15: error: 'term' must be a string, found \(found), not as text (!!str); write the text "
                    + "without the tag"
            }, "\(value): \(findings)")
        }
        let template = lint(set(groups: "  a: {terms: [a]}\n  b: {terms: [b]}", templates: "[!foo 'The {x} is']"))
        XCTAssertTrue(template.contains { $0.contains("'templates' must be a string, found 'The {x} is', which is tagged !foo") },
                      "\(template)")
        // Tags that fit: `!!str` and YAML's `!` on a text, `!!int` on a whole number, `!!float` on a number.
        let fitting = set(groups: "  a: {terms: [{term: !!str yes, women_share: !!float 1}]}\n  b: {terms: [! b]}",
                          defaults: "defaults:\n  samples: !!int 10\n  max_new_tokens: !!float 5")
        let loaded = try PromptSetLoader.load(data: Data(fitting.utf8), path: "hostile.yaml")
        XCTAssertEqual(loaded.prompts.map(\.text), ["The yes is", "The b is"])
        XCTAssertEqual(loaded.defaults?.samples, 10)
        XCTAssertEqual(loaded.defaults?.maxNewTokens, 5)
    }

    /// Hostile review: `groups: !!set {…}` linted clean, while PyYAML (the README's notebook reads sets with it) reads it
    /// as the group names with every term dropped. A tag on a list or mapping is a schema error where it stands.
    func testATagOnAListOrMappingIsRefused() throws {
        let tagged = set(groups: "  a: !!set {terms: [a]}\n  b: {terms: !foo [b]}")
        let findings = lint(tagged)
        XCTAssertTrue(findings.contains { $0.contains("error: this mapping is tagged !!set; biasaudit reads a mapping as written") },
                      "\(findings)")
        XCTAssertThrowsError(try PromptSetLoader.load(data: Data(tagged.utf8), path: "hostile.yaml"))
        let fitting = set(groups: "  a: !!map {terms: !!seq [a]}\n  b: {terms: [b]}")
        XCTAssertEqual(try PromptSetLoader.load(data: Data(fitting.utf8), path: "hostile.yaml").prompts.count, 2)
    }

    /// 3000 one-term groups lint clean in the trial and then hang the statistics: beyond the group limit.
    func testThreeThousandGroupsAreRefused() {
        let groups = (0..<3000).map { "  g\($0): {terms: [t\($0)]}" }.joined(separator: "\n")
        let findings = lint(set(groups: groups))
        XCTAssertEqual(findings, [
            "hostile.yaml:7:3: error: the set has 3000 groups, more than the limit of 50 (README, \"Limits\"); split it "
                + "into several sets",
        ])
    }

    func testExpansionBeyondThePromptLimitIsRefusedBeforeExpanding() {
        let templates = "[" + (0..<1000).map { "'T\($0) {x}'" }.joined(separator: ", ") + "]"
        let terms = "[" + (0..<1000).map { "t\($0)" }.joined(separator: ", ") + "]"
        let findings = lint(set(groups: "  a: {terms: \(terms)}\n  b: {terms: \(terms)}", templates: templates))
        XCTAssertEqual(findings, [
            "hostile.yaml:7:3: error: the set expands to 2000000 prompts, more than the limit of 20000 (README, "
                + "\"Limits\"); use fewer templates or terms, or split the set",
        ])
    }

    /// The largest set the per-group limits allow, 50 groups of 1,000 terms each written `{term: …, women_share: …}`
    /// (about 250,000 nodes), is refused for its prompt count, not for the node bound of ``YAMLInputLimits`` (a review).
    func testTheLargestSetOfMappingTermsIsRefusedForItsPromptCount() {
        let terms = "[" + (0..<1000).map { "{term: t\($0), women_share: 0.5}" }.joined(separator: ", ") + "]"
        let groups = (0..<50).map { "  g\($0): {terms: \(terms)}" }.joined(separator: "\n")
        let findings = lint(set(groups: groups))
        XCTAssertEqual(findings, [
            "hostile.yaml:7:3: error: the set expands to 50000 prompts, more than the limit of 20000 (README, "
                + "\"Limits\"); use fewer templates or terms, or split the set",
        ])
    }

    func testAnEmptyFixedPromptFailsLint() {
        let yaml = set(groups: "  a: {prompts: ['']}\n  b: {prompts: ['The man is']}")
            .replacingOccurrences(of: "templates: ['The {x} is']\n", with: "")
        let findings = linter.lint(data: Data(yaml.utf8), path: "hostile.yaml").filter { $0.severity == .error }
            .map(\.description)
        XCTAssertEqual(findings, [
            "hostile.yaml:6:17: error: group 'a' has an empty prompt; write the prompt or remove the entry",
        ])
    }

    func testTwoFilesWithTheSameSetNameFailLint() {
        let yaml = set(groups: "  a: {terms: [a]}\n  b: {terms: [b]}")
        var names: [String: String] = [:]
        XCTAssertEqual(linter.lint(data: Data(yaml.utf8), path: "one.yaml", names: &names), [])
        XCTAssertEqual(linter.lint(data: Data(yaml.utf8), path: "two.yaml", names: &names).map(\.description), [
            "two.yaml:1:7: error: prompt set name 'demo' is also used by one.yaml; names must be unique (run refuses "
                + "both files together)",
        ])
        // Review: `lint one.yaml one.yaml` said the file shared its name with itself.
        XCTAssertEqual(linter.lint(data: Data(yaml.utf8), path: "./one.yaml", names: &names).map(\.description), [
            "./one.yaml:1:7: error: this file is given twice (also as one.yaml); give each prompt-set file once",
        ])
    }

    func testErrorMessagesQuoteOnlyAShortExcerpt() {
        let secret = "HF_TOKEN=hf_" + String(repeating: "s", count: 500)
        let findings = lint(set(name: secret, groups: "  a: {terms: [a]}\n  b: {terms: [b]}"))
        XCTAssertEqual(findings.count, 1, "\(findings)")
        XCTAssertFalse(findings[0].contains(String(repeating: "s", count: 100)), findings[0])
        XCTAssertTrue(findings[0].contains("…"), findings[0])
    }
}
