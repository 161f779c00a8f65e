import AuditResults
import Gate
import XCTest

final class PolicyParserTests: XCTestCase {
    private func parse(_ yaml: String) throws -> Policy {
        try PolicyParser.parse(Data(yaml.utf8), path: "p.yaml")
    }

    /// Asserts that parsing fails with exit 65 at `p.yaml:line:col` and a message containing `fragment`.
    private func assertRefused(
        _ yaml: String, at location: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try parse(yaml), file: file, line: line) { error in
            guard let error = error as? AuditError, case .badInput(let path, let reason) = error else {
                return XCTFail("expected AuditError.badInput, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
            XCTAssertEqual(path, "p.yaml:\(location)", "message: \(error.description)", file: file, line: line)
            XCTAssertTrue(reason.contains(fragment), "'\(fragment)' not in: \(reason)", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "not one line: \(error.description)", file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix("p.yaml:\(location): error: "), error.description, file: file, line: line)
        }
    }

    func testParsesEveryRuleKindWithFiltersAndLocations() throws {
        let policy = try parse("""
            version: 1
            description: release gate
            rules:
              - id: race
                kind: max_abs_contrast
                metric: sentiment
                axis: race
                max: 0.1
                only_when_q_below: 0.05
              - kind: max_model_difference
                metric: male_share
                set: occupations
                model: gpt2
                max: 0.2
                only_when_significant: true
              - kind: max_baseline_growth
                max: 0.05
              - kind: min_lexicon_coverage
                min: 0.3
                description: VADER must see enough words
            """)
        XCTAssertEqual(policy.rules.map(\.id), ["race", "max_model_difference-2", "max_baseline_growth-3",
                                                "min_lexicon_coverage-4"])
        XCTAssertEqual(policy.rules[0].kind, .maxAbsContrast(max: 0.1, onlyWhenQBelow: 0.05))
        XCTAssertEqual(policy.rules[0].filter.metric?.value, .sentiment)
        XCTAssertEqual(policy.rules[0].filter.axis, PolicyLocated("race", at: PolicyLocation(line: 7, column: 11)))
        XCTAssertEqual(policy.rules[0].location, PolicyLocation(line: 4, column: 5))
        XCTAssertEqual(policy.rules[1].kind, .maxModelDifference(max: 0.2, onlyWhenSignificant: true))
        XCTAssertEqual(policy.rules[1].filter.set?.value, "occupations")
        XCTAssertEqual(policy.rules[1].filter.model?.value, "gpt2")
        XCTAssertEqual(policy.rules[2].kind, .maxBaselineGrowth(max: 0.05))
        XCTAssertNil(policy.rules[2].filter.metric)
        XCTAssertEqual(policy.rules[3].kind, .minLexiconCoverage(min: 0.3))
        XCTAssertEqual(policy.rules[3].description, "VADER must see enough words")
        XCTAssertTrue(policy.needsBaseline)
    }

    /// Practitioner's review: a rule written with a YAML merge key (`<<: *base`) was refused as having "no 'kind'".
    /// The merged keys count; the rule's own override them; a merge of something else than mappings is refused there.
    func testMergeKeysShareKeysBetweenRules() throws {
        let policy = try parse("""
            rules:
              - &sentiment {id: race, kind: max_abs_contrast, metric: sentiment, axis: race, max: 0.1}
              - <<: *sentiment
                id: race-negative
                metric: negative_rate
              - <<: [{kind: max_model_difference, max: 0.3}, *sentiment]
                id: models
            """)
        XCTAssertEqual(policy.rules.map(\.id), ["race", "race-negative", "models"])
        XCTAssertEqual(policy.rules[1].kind, .maxAbsContrast(max: 0.1, onlyWhenQBelow: nil))
        XCTAssertEqual(policy.rules[1].filter.metric?.value, .negativeRate, "the rule's own key overrides the merged one")
        XCTAssertEqual(policy.rules[1].filter.axis?.value, "race")
        XCTAssertEqual(policy.rules[2].kind, .maxModelDifference(max: 0.3, onlyWhenSignificant: false),
                       "of several merged mappings the first that has a key gives it")
        XCTAssertEqual(policy.rules[2].filter.metric?.value, .sentiment)
        assertRefused("rules:\n  - <<: 5\n    kind: max_abs_contrast\n", at: "2:9",
                      "a merge key (<<) takes a mapping or a list of mappings")
        // Review: a list with a scalar was "found a list"; a quoted "<<" read as a rule without its merged keys.
        assertRefused("rules:\n  - &a {kind: max_abs_contrast, metric: sentiment, max: 0.1}\n  - {<<: [*a, 3], id: x}\n",
                      at: "3:15", "this element of its list is a scalar")
        assertRefused("rules:\n  - {\"<<\": {kind: max_abs_contrast}, metric: sentiment, max: 0.1}\n", at: "2:6",
                      "a quoted '<<' is a plain key, not a merge key")
        // Review: merging was quadratic in the keys (40,000 took two minutes); the unknown key is refused at its place.
        let keys = (0..<40_000).map { "k\($0): 1" }.joined(separator: ", ")
        assertRefused("rules: [{<<: {\(keys)}, kind: max_abs_contrast}]\n", at: "1:15", "unknown key 'k0'")
        // A hostile review: a value merged through an alias, wrong only where it is merged, was placed at the anchor (a
        // sentiment rule's valid `max: 1.5`, line 5); it is placed at the merge key that uses it.
        assertRefused("""
            rules:
              - &base
                kind: max_abs_contrast
                metric: sentiment
                max: 1.5
              - <<: *base
                metric: negative_rate

            """, at: "6:5", "'max' on negative_rate is a proportion (0…1), found 1.5")
        assertRefused("""
            rules:
              - &base {kind: min_lexicon_coverage, min: 0.5}
              - <<: *base
                kind: max_abs_contrast
                metric: sentiment
                max: 0.1

            """, at: "3:5", "unknown key 'min' in a max_abs_contrast rule")
    }

    func testInvalidYAMLIsReportedAtItsLineAndColumn() {
        assertRefused("rules:\n  - kind: max_abs_contrast\n    max: [0.10\n", at: "4:1", "invalid YAML")
        // Placed at the repeat, naming the first (a teacher's review: only the first's line was given).
        assertRefused("rules:\n  - kind: a\n    kind: b\n", at: "3:5",
                      "key 'kind' appears again in this mapping (first at line 2); keep one")
        assertRefused("rules: [{kind: a, kind: b}]\n", at: "1:19", "key 'kind' appears again in this mapping (first at line 1, column 10)")
        // A review: a tab in the indentation got only libyaml's "found character that cannot start any token".
        assertRefused("rules:\n\t- kind: max_abs_contrast\n", at: "2:1",
                      "invalid YAML: line 2 begins with a tab; YAML indents with spaces")
        assertRefused("rules:\n  - kind: max_abs_contrast\n\tmetric: sentiment\n", at: "3:1",
                      "invalid YAML: line 3 begins with a tab; YAML indents with spaces")
        // A tab between a key and its value is YAML's separation, not indentation.
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_abs_contrast\n    metric:\tsentiment\n    max: 0.1\n"))
    }

    /// A hostile review: a Latin-1 byte was faulted at 1:1 whatever its line, a second document got libyaml's fragment
    /// "but found another document", and an alias of its own rule only "found undefined alias".
    func testEncodingDocumentsAndAliasesAreNamedWhereTheyAre() throws {
        let latin1 = Data("rules:\n  - id: c".utf8) + Data([0xE9]) + Data("v\n    kind: min_lexicon_coverage\n    min: 0.3\n".utf8)
        XCTAssertThrowsError(try PolicyParser.parse(latin1, path: "p.yaml")) { error in
            XCTAssertEqual("\(error)", "p.yaml:2:10: error: the policy is not UTF-8 text at line 2, column 10 (byte 0xE9): "
                + "save it as UTF-8 (a Latin-1 or UTF-16 file must be converted)")
        }
        let rule = "rules:\n  - {kind: max_abs_contrast, metric: sentiment, max: 0.1}\n"
        assertRefused(rule + "---\n" + rule, at: "3:1",
                      "the policy holds more than one YAML document ('---' at line 3); keep one (a file holds one policy)")
        assertRefused("rules:\n  - &b {kind: max_abs_contrast, metric: sentiment, max: 0.10, <<: *b}\n", at: "2:67",
                      "the alias '*b' at line 2, column 67 refers to no anchor '&b' defined before it: an alias repeats a "
                        + "value anchored earlier in the file, not one it is inside or one further down; anchor a value above "
                        + "the alias, or write the keys out instead")
        assertRefused("rules:\n  - {<<: *later, metric: sentiment}\n  - &later {kind: max_abs_contrast, max: 0.1}\n",
                      at: "2:10", "the alias '*later' at line 2, column 10 refers to no anchor '&later' defined before it")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    \(String(repeating: "k", count: 1030)): 1\n", at: "3:1035",
                      "the key at line 3 is 1030 characters long, and YAML reads a key of at most 1,024 characters before "
                        + "its ':'; shorten it (or, if it is a text that holds ': ', put it in quotes)")
    }

    /// Hostile tester: a 7 MB description, repeated by aliases over 25 rules, wrote a 367 MB JUnit file (it is copied into
    /// every failing check). Descriptions have the limit of a prompt set's texts.
    func testDescriptionsHaveALengthLimit() throws {
        let long = String(repeating: "x", count: 8001)
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.1\n    description: \(long)\n",
                      at: "5:18", "'description' is 8001 characters long, more than the limit of 8000 (README, \"Limits\")")
        // Characters are Unicode scalars: combining marks count (code review: 8,000 letters with 430 marks each passed).
        let marked = String(repeating: "a\u{301}\u{301}", count: 3000)
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.1\n    description: \(marked)\n",
                      at: "5:18", "'description' is 9000 characters long")
        assertRefused("description: \(long)\nrules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.1\n",
                      at: "1:14", "'description' is 8001 characters long")
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.1\n    description: "
            + String(repeating: "x", count: 8000) + "\n"))
    }

    func testStructuralErrorsPointAtTheOffendingNode() {
        assertRefused("", at: "1:1", "found an empty document")
        assertRefused("- a\n- b\n", at: "1:1", "a policy is a YAML mapping")
        assertRefused("version: 1\n", at: "1:1", "the policy has no 'rules:'")
        assertRefused("rules: []\n", at: "1:8", "the policy has no rules ('rules' is an empty list)")
        assertRefused("version: 2\nrules: []\n", at: "1:10", "unsupported policy version '2'")
        assertRefused("rulez:\n  - kind: x\n", at: "1:1", "unknown key 'rulez' in a policy")
        // A number beyond a Double is out of range, not "not a number" (hostile review).
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 1e400\n", at: "4:10",
                      "'max' is out of range, found '1e400'; give a finite number")
        // YAML's infinities and not-a-number are numbers to YAML but no limit: say to give a finite one (review).
        for text in [".inf", "-.Inf", ".NaN"] {
            assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: \(text)\n", at: "4:10",
                          "'max' must be a number, found '\(text)'; give a finite number in decimal digits")
        }
        // Quoted, it is not advised to be written without quotes (then out of range; code review).
        XCTAssertThrowsError(try parse("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: \"1e400\"\n")) {
            XCTAssertTrue("\($0)".hasSuffix("'max' must be a number, found '1e400'"), "\($0)")
        }
        // A results file given as the policy (the arguments swapped; practitioner's review: "unknown key 'manifest'").
        assertRefused("{\"schema_version\": 3, \"manifest\": {}, \"prompt_sets\": []}\n", at: "1:1",
                      "this is a biasaudit results file, not a policy; give a policy (a YAML file of rules:) with --policy")
        // A prompt set given as the policy (a CI team's review: "unknown key 'name' in a policy").
        assertRefused("name: demo\ntemplates: [\"The {x} said\"]\ngroups: {a: {terms: [b]}}\n", at: "1:1",
                      "this is a prompt set, not a policy; give a policy (a YAML file of rules:) with --policy, and prompt "
                        + "sets to run or lint")
        assertRefused("name: demo\ngroups: {a: {prompts: [\"The man said\"]}}\n", at: "1:1",
                      "this is a prompt set, not a policy; give a policy (a YAML file of rules:) with --policy, and prompt "
                        + "sets to run or lint")
        // A control character is placed at its line and column (after a CRLF and a two-byte 'é'), with its code (a hostile
        // review: "1:1: error: invalid YAML: 16:15: error: reader: …" and the raw line).
        assertRefused("rules:\r\n  - {kind: max_abs_contrast, metric: sentiment, max: 0.1, description: \"é\u{1B}b\"}\n",
                      at: "2:74", "invalid YAML: control characters are not allowed (U+001B) at line 2, column 74; remove the "
                        + "character")
        // A JSON Lines file given as the policy (a hostile review: a YAML syntax error at line 2): said what it is, at 1:1,
        // CRLF lines too; a completion alone on its line as well; a policy written as one line of JSON still parses.
        let completion = "{\"prompt_id\": \"p1\", \"model\": \"gpt2\", \"sample_index\": 0, \"text\": \" was kind\"}"
        for lines in [completion + "\n" + completion + "\n", completion + "\r\n\r\n" + completion + "\r\n", completion + "\n"] {
            assertRefused(lines, at: "1:1", "this is a JSON Lines file of completions (one JSON object per line, as a run's "
                + "completions.jsonl), not a policy; give a policy (a YAML file of rules:) with --policy and the run's "
                + "results.json before it: biasaudit check results.json --policy policy.yaml")
        }
        assertRefused("{\"text\": \"a\", \"ids\": [64]}\n{\"text\": \"b\", \"ids\": [65]}\n", at: "1:1",
                      "this is a JSON Lines file (one JSON object per line), not a policy; give a policy")
        // A report given as the policy (a hostile review: "invalid YAML: mapping values are not allowed in this context").
        // Several keys repeated: each is said to repeat, the mark being one of their first places (a CI team's review:
        // "key 'max', 'metric' appears more than once … (first here)").
        let twice = "rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.1\n    metric: negative_rate\n    max: 0.2\n"
        XCTAssertThrowsError(try parse(twice)) { error in
            XCTAssertTrue("\(error)".contains("keys 'max', 'metric' each appear more than once in this mapping (one of them first "
                + "here); keep one of each"), "\(error)")
        }
        assertRefused("<html lang=\"en\">\n<title>a: b</title>\n</html>\n", at: "1:1",
                      "this is an HTML page (a biasaudit report.html, or another), not a policy; give a policy")
        XCTAssertEqual(try parse("{\"rules\": [{\"kind\": \"max_abs_contrast\", \"metric\": \"sentiment\", \"max\": 0.1}]}\n")
            .rules.count, 1)
        // An alias of a rule is the same rule twice (a CI team's review: its failures were doubled), placed at the anchor
        // and saying so; so is a merge-key copy or a rule written out again (a final review).
        assertRefused("rules:\n  - &r {kind: max_abs_contrast, metric: sentiment, max: 0.1}\n  - *r\n", at: "2:5",
                      "rule 2 repeats rule 1, which is here, through a YAML alias (`- *name`; YAML places an alias at its "
                        + "anchor): the same rule twice, each row checked twice; remove the alias, or write a rule of its own")
        for second in ["{<<: *r}", "{kind: max_abs_contrast, metric: sentiment, max: 0.1, id: other}"] {
            assertRefused("rules:\n  - &r {kind: max_abs_contrast, metric: sentiment, max: 0.1}\n  - \(second)\n", at: "3:5",
                          "rule 2 checks what rule 1 checks (the same kind, filters and limits), so each row would be checked "
                            + "twice; remove one")
        }
        // Another limit or filter is another rule.
        XCTAssertEqual(try parse("rules:\n  - {kind: max_abs_contrast, metric: sentiment, max: 0.1}\n"
            + "  - {kind: max_abs_contrast, metric: sentiment, max: 0.2}\n  - {kind: max_abs_contrast, metric: negative_rate, "
            + "max: 0.1}\n").rules.count, 3)
        assertRefused("rules:\n  - just a string\n", at: "2:5", "rule 1 must be a mapping")
        assertRefused("rules:\n  - max: 1\n", at: "2:5", "rule 1 has no 'kind'")
    }

    /// Limits on rates and shares are proportions (review: `max: 10` on negative_rate passed an 82 pp gap), `5%` says what
    /// to write, and a descriptive metric cannot be compared between models or runs (the rule could never check anything).
    func testRateLimitsAreProportionsAndDescriptiveMetricsAreNotCompared() throws {
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: negative_rate\n    max: 10\n", at: "4:10",
                      "'max' on negative_rate is a proportion (0…1), found 10; write 0.1 for a gap of 10 percentage points")
        // The proportion suggested is the one the value meant in percentage points (a practitioner's review: 5, 1.5 and
        // 50 were told "write 0.10").
        for (max, advice) in [("5", "write 0.05 for a gap of 5 percentage points"),
                              ("1.5", "write 0.015 for a gap of 1.5 percentage points"),
                              ("1.234", "write 0.01234 for a gap of 1.234 percentage points"),
                              ("1.0000000001", "write 0.010000000001 for a gap of 1.0000000001 percentage points"),
                              ("100", "write 0.10 for a gap of 10 percentage points"),
                              ("99.9999999999999", "write 0.10 for a gap of 10 percentage points"),
                              ("150", "write 0.10 for a gap of 10 percentage points")] {
            assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: negative_rate\n    max: \(max)\n", at: "4:10",
                          "found \(max); \(advice)")
        }
        // A model difference of rates reaches 2: 150 can be meant as 150 percentage points (a second review).
        assertRefused("rules:\n  - kind: max_model_difference\n    metric: negative_rate\n    max: 150\n", at: "4:10",
                      "found 150; write 1.5 for a gap of 150 percentage points")
        assertRefused("rules:\n  - kind: max_baseline_growth\n    max: 5\n", at: "3:10",
                      "(sentiment, he_she_log_odds), or write 0.05 for a gap of 5 percentage points")
        assertRefused("rules:\n  - kind: max_model_difference\n    metric: male_share\n    max: 2.5\n", at: "4:10",
                      "'max' on male_share is a change of two differences of proportions (at most 2)")
        // No quotes to drop in a non-finite number (review).
        XCTAssertThrowsError(try parse("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: nan\n")) { error in
            XCTAssertFalse("\(error)".contains("without quotes"), "\(error)")
        }
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_model_difference\n    metric: male_share\n    max: 1.5\n"),
                         "a change of two rate contrasts reaches 2 (review)")
        assertRefused("rules:\n  - kind: max_baseline_growth\n    max: 10\n", at: "3:10",
                      "a max_baseline_growth rule without 'metric:' applies its 'max' to every metric")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: \"0.05\"\n", at: "4:10",
                      "write it without quotes (0.05)")
        assertRefused("rules:\n  - kind: max_baseline_growth\n    metric: negative_rate\n    max: 5\n", at: "4:10",
                      "is a proportion")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: negative_rate\n    max: 5%\n", at: "4:10",
                      "write a proportion, e.g. 0.05 for 5%")
        assertRefused("rules:\n  - kind: max_model_difference\n    metric: positive_rate\n    max: 0.1\n", at: "3:13",
                      "metric 'positive_rate' is descriptive: model comparisons and baseline growth cover the primary metrics only")
        assertRefused("rules:\n  - kind: max_baseline_growth\n    metric: lexicon_coverage\n    max: 0.1\n", at: "3:13",
                      "limit its group contrasts with max_abs_contrast instead")
        // Allowed: a proportion up to 1, a mean's limit above 1, a descriptive metric's own contrasts, growth of any metric.
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_abs_contrast\n    metric: negative_rate\n    max: 1\n"))
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_model_difference\n    metric: he_she_log_odds\n    max: 2.5\n"))
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_abs_contrast\n    metric: positive_rate\n    max: 0.2\n"))
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_baseline_growth\n    max: 0.5\n"))
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_baseline_growth\n    metric: he_she_log_odds\n    max: 1.5\n"))
    }

    /// A review: `max: 3` on sentiment passed every run, since a sentiment contrast lies in −2…2 (levels in −1…1). Every
    /// kind's limit beyond what the metric can reach is refused at the limit, saying the range; for log-odds, what a
    /// results file can hold.
    func testLimitsThatNoRunCanExceedAreRefused() throws {
        func rule(_ kind: String, _ metric: String, _ max: String) -> String {
            "rules:\n  - kind: \(kind)\n    metric: \(metric)\n    max: \(max)\n"
        }
        assertRefused("rules: [{kind: max_abs_contrast, metric: sentiment, max: 3}]\n", at: "1:58",
                      "'max' on sentiment is a difference of two mean VADER compounds (−1…1), at most 2, found 3; no run can "
                        + "exceed it, so the rule could never fail: write at most 2, e.g. 0.10")
        assertRefused(rule("max_baseline_growth", "sentiment", "2.5"), at: "4:10",
                      "'max' on sentiment is a growth |B| − |A| of differences of mean VADER compounds (−1…1), at most 2, "
                        + "found 2.5; no run can exceed it")
        assertRefused(rule("max_model_difference", "sentiment", "4.5"), at: "4:10",
                      "'max' on sentiment is a change of two differences of mean VADER compounds (−1…1), at most 4, found "
                        + "4.5; no run can exceed it, so the rule could never fail: write at most 4, e.g. 0.10")
        assertRefused(rule("max_baseline_growth", "male_share", "1.5"), at: "4:10", "'max' on male_share is a proportion (0…1)")
        // At the edge of the range (accepted with a warning: testALimitAtItsMetricsReachIsAcceptedWithAWarning), and beyond
        // a rate's for a mean: a limit a run can reach.
        for (kind, max) in [("max_abs_contrast", "2"), ("max_baseline_growth", "2"), ("max_model_difference", "4"),
                            ("max_model_difference", "3.5")] {
            XCTAssertNoThrow(try parse(rule(kind, "sentiment", max)), "\(kind) \(max)")
        }
        for kind in ["max_abs_contrast", "max_baseline_growth", "max_model_difference"] {
            XCTAssertNoThrow(try parse(rule(kind, "he_she_log_odds", "1000")), "log-odds reach far: \(kind)")
        }
        // Log-odds reach what a results file holds (levels at most 10⁶ in size): beyond it a rule can never fail (a
        // review: `max: 5e6` was accepted without a word), at it, with the warning.
        assertRefused(rule("max_abs_contrast", "he_she_log_odds", "5e6"), at: "4:10",
                      "'max' on he_she_log_odds is a difference of two he/she log-odds levels, each at most 10⁶ in size in a "
                        + "results file, at most 2000000, found 5e6; no run can exceed it, so the rule could never fail: write "
                        + "at most 2000000, e.g. 0.5")
        assertRefused(rule("max_model_difference", "he_she_log_odds", "4000001"), at: "4:10", "at most 4000000, found 4000001")
        let atReach = try parse(rule("max_baseline_growth", "he_she_log_odds", "2000000"))
        XCTAssertEqual(atReach.warnings.map(\.message), ["'max' on he_she_log_odds is a growth |B| − |A| of differences of "
            + "he/she log-odds, each level at most 10⁶ in size in a results file, at most 2000000, found 2000000: the limit "
            + "equals the largest value the metric can reach, so the rule cannot fail (a check fails above its limit); write "
            + "less than 2000000, e.g. 0.5, for a rule that can fail"])
    }

    /// Review 80: a check fails above its limit, so a `max` at the reach of its metric cannot fail either, and `max: 1` on a
    /// rate may mean one percentage point. Refusing it broke the end-to-end tests that gate on `max: 2` on sentiment (a
    /// limit that passes every run, which users may mean too): it is accepted with a warning at the limit, naming the rule.
    func testALimitAtItsMetricsReachIsAcceptedWithAWarning() throws {
        func rule(_ kind: String, _ metric: String, _ max: String) -> String {
            "rules:\n  - id: gap\n    kind: \(kind)\n    metric: \(metric)\n    max: \(max)\n"
        }
        let cannotFail = "the limit equals the largest value the metric can reach, so the rule cannot fail (a check fails above "
            + "its limit); "
        let sentiment = try parse(rule("max_abs_contrast", "sentiment", "2"))
        XCTAssertEqual(sentiment.rules.count, 1)
        XCTAssertEqual(sentiment.warnings, [PolicyWarning(
            ruleID: "gap", location: PolicyLocation(line: 5, column: 10),
            message: "'max' on sentiment is a difference of two mean VADER compounds (−1…1), at most 2, found 2: " + cannotFail
                + "write less than 2, e.g. 0.10, for a rule that can fail")])
        XCTAssertEqual(sentiment.warnings.first?.diagnostic(in: "p.yaml"), "p.yaml:5:10: warning: [gap] 'max' on sentiment is "
            + "a difference of two mean VADER compounds (−1…1), at most 2, found 2: " + cannotFail
            + "write less than 2, e.g. 0.10, for a rule that can fail")
        let rate = try parse(rule("max_abs_contrast", "negative_rate", "1"))
        XCTAssertEqual(rate.warnings.map(\.message), ["'max' on negative_rate is a proportion (0…1), found 1: " + cannotFail
            + "limits on rates and shares are proportions: 0.01 means one percentage point, 0.10 ten"])
        // Every kind at its reach, written as YAML may write it; the rule id is the default one without `id:`.
        for (kind, metric, max) in [("max_baseline_growth", "sentiment", "2.0"), ("max_model_difference", "sentiment", "4"),
                                    ("max_baseline_growth", "male_share", "1"), ("max_model_difference", "negative_rate", "2"),
                                    ("max_abs_contrast", "gendered_rate", "1e0")] {
            let policy = try parse("rules: [{kind: \(kind), metric: \(metric), max: \(max)}]\n")
            XCTAssertEqual(policy.warnings.map(\.ruleID), ["\(kind)-1"], "\(kind) \(metric) \(max)")
            XCTAssertTrue(policy.warnings.first?.message.hasPrefix("'max' on \(metric) is ") ?? false, "\(policy.warnings)")
            XCTAssertTrue(policy.warnings.first?.message.contains(", found \(max): " + cannotFail) ?? false, "\(policy.warnings)")
        }
        // Just below the reach, with no metric (growth of every metric: sentiment's reaches 2) and on log-odds: no warning.
        for (kind, metric, max) in [("max_abs_contrast", "sentiment", "1.99"), ("max_baseline_growth", "sentiment", "1.999"),
                                    ("max_model_difference", "sentiment", "3.99"), ("max_abs_contrast", "negative_rate", "0.99"),
                                    ("max_model_difference", "male_share", "0.99"), ("max_abs_contrast", "he_she_log_odds", "2")] {
            XCTAssertEqual(try parse(rule(kind, metric, max)).warnings, [], "\(kind) \(metric) \(max)")
        }
        // Below the reach but 1 or more on a rate (a model difference reaches 2), and 1 on the growth of every metric
        // (rates' growth cannot pass 1): said, since `max: 1` may mean one percentage point (a practitioner's review: both
        // passed without a word).
        XCTAssertEqual(try parse(rule("max_model_difference", "male_share", "1")).warnings.map(\.message), [
            "'max' on male_share is a change of two differences of proportions (at most 2), found 1: limits on rates and "
                + "shares are proportions, so this allows a change of 100 percentage points; 0.01 means one percentage "
                + "point, 0.10 ten"])
        XCTAssertEqual(try parse(rule("max_model_difference", "negative_rate", "1.99")).warnings.count, 1)
        XCTAssertEqual(try parse("rules: [{kind: max_baseline_growth, max: 1}]\n").warnings.map(\.message), [
            "a max_baseline_growth rule without 'metric:' applies its 'max' to every metric, rates and shares as "
                + "proportions (0…1), found 1: their growth cannot exceed 1, so on them the rule cannot fail; 0.01 means "
                + "one percentage point, 0.10 ten (or give 'metric:')"])
        XCTAssertEqual(try parse("rules: [{kind: max_baseline_growth, max: 0.99}]\n").warnings, [])
        // Those can still fail (on sentiment, or a change past 100 pp): their annotation's title does not say they cannot
        // (a CI team's review: "(a rule that cannot fail)" on a rule that failed in the same run).
        for policy in [rule("max_model_difference", "male_share", "1"), "rules: [{kind: max_baseline_growth, max: 1}]\n"] {
            XCTAssertEqual(try parse(policy).warnings.map(\.titleWords), ["a limit read as a proportion"], policy)
        }
        XCTAssertEqual(try parse(rule("max_abs_contrast", "negative_rate", "1")).warnings.map(\.titleWords),
                       ["a rule that cannot fail"])
        // A lexicon coverage fails below its `min`, so `min: 0` cannot fail either; any share above it can.
        let coverage = try parse("rules:\n  - id: seen\n    kind: min_lexicon_coverage\n    min: 0.0\n")
        XCTAssertEqual(coverage.warnings, [PolicyWarning(
            ruleID: "seen", location: PolicyLocation(line: 4, column: 10),
            message: "'min' on lexicon_coverage is a share (0…1), found 0.0: no coverage is below 0, so the rule cannot "
                + "fail (a check fails below its limit); write a share above 0, e.g. 0.5 for half of the continuations "
                + "with a VADER word")])
        XCTAssertEqual(try parse("rules: [{kind: min_lexicon_coverage, min: 0.01}]\n").warnings, [])
    }

    /// A policy without rules (every spelling of "none") and a rule without conditions say the same thing:
    /// what is missing, and a rule to copy.
    func testPoliciesWithoutRulesSayWhatToWrite() {
        let example = "e.g. rules: [{kind: max_abs_contrast, metric: sentiment, max: 0.10}]"
        assertRefused("rules: []\n", at: "1:8", "the policy has no rules ('rules' is an empty list), so it would pass "
                        + "every run; add at least one rule, \(example)")
        assertRefused("rules:\n", at: "1:7", "the policy has no rules ('rules' is empty), so it would pass every run; "
                        + "add at least one rule, \(example)")
        assertRefused("rules: null\n", at: "1:8", "the policy has no rules ('rules' is empty)")
        assertRefused("rules: ~\n", at: "1:8", "the policy has no rules ('rules' is empty)")
        assertRefused("description: gate\n", at: "1:1", "the policy has no 'rules:'; add a list of rules, \(example)")
        assertRefused("", at: "1:1", "found an empty document; write \(example)")
        assertRefused("rules: 5\n", at: "1:8", "'rules' must be a list of rules, found a scalar; write \(example)")
        assertRefused("rules:\n  - {}\n", at: "2:5", "rule 1 is empty (no kind, no limit); use one of max_abs_contrast, "
                        + "max_model_difference, max_baseline_growth, min_lexicon_coverage, e.g. - {kind: max_abs_contrast")
        assertRefused("rules:\n  -\n", at: "2:4", "rule 1 must be a mapping with 'kind:', found nothing (null); write e.g. "
                        + "- {kind: max_abs_contrast")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n", at: "2:5",
                      "this rule needs 'max:', a non-negative number (the largest value that passes), e.g. {kind:")
        assertRefused("rulez:\n  - kind: x\n", at: "1:1", "unknown key 'rulez' in a policy; allowed: version, description, rules")
    }

    func testRuleErrorsNameTheKeyAndWhatToDo() {
        assertRefused("rules:\n  - kind: max_gap\n", at: "2:11", "unknown rule kind 'max_gap'; use one of max_abs_contrast")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    max: 0.1\n", at: "2:5", "needs 'metric:'")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n", at: "2:5", "needs 'max:'")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentimental\n    max: 0.1\n",
                      at: "3:13", "unknown metric 'sentimental'; use one of sentiment, negative_rate")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: high\n",
                      at: "4:10", "'max' must be a number, found 'high'")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: -0.1\n",
                      at: "4:10", "'max' must be at least 0.0")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.1\n    only_when_q_below: 2\n",
                      at: "5:24", "'only_when_q_below' must be between 0.0 and 1.0")
        assertRefused("rules:\n  - kind: max_baseline_growth\n    max: 0.1\n    only_when_q_below: 0.05\n",
                      at: "4:5", "unknown key 'only_when_q_below' in a max_baseline_growth rule")
        assertRefused("rules:\n  - kind: min_lexicon_coverage\n    metric: sentiment\n    min: 0.3\n",
                      at: "3:5", "unknown key 'metric'")
        assertRefused("rules:\n  - kind: min_lexicon_coverage\n    min: 1.5\n", at: "3:10", "between 0.0 and 1.0")
        // Written in percent (review): told the proportion, both kinds of 0…1 number.
        assertRefused("rules:\n  - kind: min_lexicon_coverage\n    min: 50\n", at: "3:10",
                      "'min' must be between 0.0 and 1.0, found 50; it is a proportion: write 0.5 for 50%")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0.1\n    only_when_q_below: 5\n",
                      at: "5:24", "found 5; it is a proportion: write 0.05 for 5%")
        // In another notation (a review: `min: 0x32` was told "e.g. 50", which is then refused): the range, and the
        // proportion where it reads as a percent; in range, its decimal.
        assertRefused("rules:\n  - kind: min_lexicon_coverage\n    min: 0x32\n", at: "3:10",
                      "'min' must be a number, found '0x32'; write numbers in decimal digits, between 0.0 and 1.0, as a "
                      + "proportion: write 0.5 for 50%")
        assertRefused("rules:\n  - kind: min_lexicon_coverage\n    min: 0x3e8\n", at: "3:10",
                      "found '0x3e8'; write numbers in decimal digits, between 0.0 and 1.0")
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 1_0\n", at: "4:10",
                      "found '1_0'; write numbers in decimal digits, e.g. 10")
        // Base 60 is no percent; a quoted hex is not told to lose its quotes; a decimal too small for a double is not 0;
        // version 1.0 is told to be written 1 (reviews).
        assertRefused("rules:\n  - kind: min_lexicon_coverage\n    min: 1:30\n", at: "3:10",
                      "found '1:30'; write numbers in decimal digits, between 0.0 and 1.0")
        XCTAssertThrowsError(try parse("rules:\n  - kind: min_lexicon_coverage\n    min: 1:30\n")) {
            XCTAssertFalse("\($0)".contains("proportion"), "\($0)")
        }
        XCTAssertThrowsError(try parse("rules:\n  - kind: min_lexicon_coverage\n    min: \"0x32\"\n")) {
            XCTAssertFalse("\($0)".contains("without quotes"), "\($0)")
        }
        assertRefused("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 1e-400\n", at: "4:10",
                      "'max' is 1e-400, too small for a 64-bit float, which reads it as 0; write 0, or a larger number")
        XCTAssertNoThrow(try parse("rules:\n  - kind: max_abs_contrast\n    metric: sentiment\n    max: 0e-400\n"))
        assertRefused("rules:\n  - kind: min_lexicon_coverage\n    min: \"50\"\n", at: "3:10",
                      "found '50'; write a number without quotes, between 0.0 and 1.0, as a proportion: write 0.5 for 50%")
        assertRefused("rules:\n  - kind: min_lexicon_coverage\n    min: \"0.5\"\n", at: "3:10", "found '0.5'; write it without quotes (0.5)")
        assertRefused("version: 1.0\nrules:\n  - kind: min_lexicon_coverage\n    min: 0.5\n", at: "1:10",
                      "unsupported policy version '1.0'; this biasaudit reads version 1; write it as the whole number 1 (version: 1)")
        XCTAssertThrowsError(try parse("rules:\n  - kind: min_lexicon_coverage\n    min: 150\n")) { error in
            XCTAssertTrue("\(error)".hasSuffix("'min' must be between 0.0 and 1.0, found 150"), "\(error)")
        }
        assertRefused("rules:\n  - kind: max_model_difference\n    metric: sentiment\n    max: 1\n"
                        + "    only_when_ci_excludes_zero: maybe\n", at: "5:33", "must be true or false")
        assertRefused("rules:\n  - kind: max_model_difference\n    metric: sentiment\n    max: 1\n"
                        + "    only_when_significant: true\n    only_when_ci_excludes_zero: true\n", at: "6:33",
                      "give 'only_when_significant' or its older name 'only_when_ci_excludes_zero', not both")
        assertRefused("rules:\n  - kind: max_baseline_growth\n    axis: [race]\n    max: 1\n", at: "3:11", "'axis' must be a string")
    }

    func testTheOlderNameOfTheSignificanceOptionMeansTheSame() throws {
        let policy = try parse("rules:\n  - kind: max_model_difference\n    metric: sentiment\n    max: 0.1\n"
                                   + "    only_when_ci_excludes_zero: true\n")
        XCTAssertEqual(policy.rules[0].kind, .maxModelDifference(max: 0.1, onlyWhenSignificant: true))
    }

    func testRuleIDsMustBeUniqueIdentifiers() {
        assertRefused("rules:\n  - id: a\n    kind: max_baseline_growth\n    max: 1\n  - id: a\n    kind: max_baseline_growth\n    max: 0.2\n",
                      at: "5:5", "rule id 'a' is already used by the rule at line 2")
        // A rule without an id clashing through its default id is told so (a practitioner's review).
        assertRefused("rules:\n  - id: max_baseline_growth-2\n    kind: max_baseline_growth\n    max: 1\n"
                        + "  - kind: max_baseline_growth\n    max: 0.2\n",
                      at: "5:5", "rule 2 has no id, and its default id 'max_baseline_growth-2' is already used by the rule at "
                        + "line 2; give each rule its own id")
        // A written id equal to the default is written (a code review).
        assertRefused("rules:\n  - {id: max_abs_contrast-2, kind: max_abs_contrast, metric: sentiment, max: 0.5}\n"
                        + "  - {id: max_abs_contrast-2, kind: max_abs_contrast, metric: negative_rate, max: 0.4}\n",
                      at: "3:5", "rule id 'max_abs_contrast-2' is already used by the rule at line 2; give each rule its own id")
        // An id merged in with `<<:` is the rule's own (a code review: told it had none).
        assertRefused("rules:\n  - &base {id: same, kind: max_abs_contrast, metric: sentiment, max: 0.5}\n"
                        + "  - {<<: *base, max: 0.4}\n",
                      at: "3:5", "rule id 'same' is already used by the rule at line 2; give each rule its own id")
        assertRefused("rules:\n  - id: two words\n    kind: max_baseline_growth\n    max: 1\n", at: "2:9", "must use only ASCII letters (no accents)")
        // Review: every output line repeats the id; a 3 MB id made 12 MB of JUnit.
        let long = String(repeating: "x", count: 101)
        assertRefused("rules:\n  - id: \(long)\n    kind: max_baseline_growth\n    max: 1\n", at: "2:9",
                      "is 101 characters long; an id has at most 100")
        XCTAssertNoThrow(try parse("rules:\n  - id: \(String(long.dropLast()))\n    kind: max_baseline_growth\n    max: 1\n"))
    }

    /// A policy of more than ``Policy/maximumRules`` rules is refused before any rule is read or evaluated
    /// (hostile review: 20,000 copies of one rule took `check` 51 s and 2.1 GB), naming the count and the limit.
    func testAPolicyHoldsAtMostTheMaximumNumberOfRules() throws {
        XCTAssertEqual(Policy.maximumRules, 1_000)
        let rule = "  - {kind: max_abs_contrast, metric: sentiment, max: 0.1}\n"
        // Each rule of its own limit (the same rule twice is refused).
        let full = try parse("rules:\n" + (1...Policy.maximumRules).map {
            "  - {kind: max_abs_contrast, metric: sentiment, max: \(Double($0) / 10_000)}\n"
        }.joined())
        XCTAssertEqual(full.rules.count, Policy.maximumRules)
        XCTAssertEqual(full.rules.last?.id, "max_abs_contrast-1000")
        assertRefused("rules:\n" + String(repeating: rule, count: Policy.maximumRules + 1), at: "2:3",
                      "the policy has 1001 rules; a policy holds at most 1000")
        // Refused on the count alone: rules that would be refused one by one are not read.
        assertRefused("description: big\nrules:\n" + String(repeating: "  - {kind: nonsense}\n", count: 5_000), at: "3:3",
                      "the policy has 5000 rules; a policy holds at most 1000 (check evaluates each against every row it "
                        + "matches); leave out a filter")
    }

    /// YAML 1.2's core schema: true and false as `true`, `True` or `TRUE` (or tagged `!!bool`). Yams read YAML 1.1's
    /// `yes`, `on`, `off` and `no` (and `tRuE`) as booleans, where YAML 1.2 and JSON read strings: refused, saying what
    /// to write; a quoted or `!!str` true is a string.
    func testBooleansAreYAML12sTrueAndFalse() throws {
        func rule(_ value: String) -> String {
            "rules: [{kind: max_model_difference, metric: sentiment, max: 0.1, only_when_significant: \(value)}]\n"
        }
        for (text, value) in [("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false),
                              ("FALSE", false), ("!!bool true", true), ("!!bool \"false\"", false)] {
            let kind = try XCTUnwrap(try parse(rule(text)).rules.first).kind
            XCTAssertEqual(kind, .maxModelDifference(max: 0.1, onlyWhenSignificant: value), text)
        }
        for (text, meant) in [("yes", true), ("Yes", true), ("ON", true), ("on", true), ("y", true), ("no", false),
                              ("off", false), ("N", false), ("!!bool yes", true)] {
            let found = text.replacingOccurrences(of: "!!bool ", with: "")
            assertRefused(rule(text), at: "1:90", "'only_when_significant' must be true or false, found '\(found)', "
                + "YAML 1.1's word for \(meant) and a string in YAML 1.2, which biasaudit reads; write true or false (\(meant) here)")
        }
        assertRefused(rule("tRuE"), at: "1:90", "'only_when_significant' must be true or false, found 'tRuE'; write true or false")
        assertRefused(rule("\"true\""), at: "1:90", "found 'true', a string (quoted); write true without quotes")
        assertRefused(rule("!!str true"), at: "1:90", "found 'true', which is a string (tagged !!str); write true or false "
            + "without the tag")
        assertRefused(rule("!foo true"), at: "1:90", "found 'true', which is tagged !foo, not as true or false (!!bool); write "
            + "true or false without the tag")
        assertRefused(rule("1"), at: "1:90", "'only_when_significant' must be true or false, found '1'; write true or false")
        assertRefused(rule("[true]"), at: "1:90", "'only_when_significant' must be true or false, found a list")
        // The older name reads the same way.
        assertRefused("rules: [{kind: max_model_difference, metric: sentiment, max: 0.1, only_when_ci_excludes_zero: on}]\n",
                      at: "1:95", "'only_when_ci_excludes_zero' must be true or false, found 'on', YAML 1.1's word for true")
    }

    /// `version: "1"` is the string 1, not the version number: the message says so rather than "unsupported
    /// version '1'; this biasaudit reads version 1".
    func testAQuotedVersionIsRefusedAsAString() throws {
        assertRefused("version: \"1\"\nrules: [{kind: max_baseline_growth, max: 1}]\n", at: "1:10",
                      "the policy version must be the number 1, not the string '1'; write version: 1 without quotes")
        assertRefused("version: '2'\nrules: [{kind: max_baseline_growth, max: 1}]\n", at: "1:10",
                      "the policy version must be the number 1, not the string '2'")
        assertRefused("version: 1.5\nrules: [{kind: max_baseline_growth, max: 1}]\n", at: "1:10",
                      "unsupported policy version '1.5'; this biasaudit reads version 1")
        XCTAssertEqual(try parse("version: 1\nrules: [{kind: max_baseline_growth, max: 1}]\n").rules.count, 1)
    }

    /// Review: `max: !!str 0.1` (a string by its tag, like `max: "0.1"`) was read as a number; `max: -0.0` printed as
    /// "-0.0000".
    func testATaggedStringIsNotANumberAndMinusZeroIsZero() throws {
        assertRefused("rules: [{kind: max_baseline_growth, max: !!str 0.1}]\n", at: "1:42", "'max' must be a number, found '0.1'")
        assertRefused("rules: [{kind: max_baseline_growth, max: \"0.1\"}]\n", at: "1:42", "'max' must be a number, found '0.1'")
        let rule = try XCTUnwrap(try parse("rules: [{kind: max_baseline_growth, max: -0.0}]\n").rules.first)
        guard case .maxBaselineGrowth(let max) = rule.kind else { return XCTFail("\(rule.kind)") }
        XCTAssertEqual(max.sign, .plus, "-0.0 is read as 0")
    }

    /// An explicit tag must fit the key: `!!int`/`!!float` for a number, `!!str` (or none) for a text. `max: !!bool 0.1`,
    /// `max: !foo 0.1` and YAML's `! 0.1` (a string) were read by their digits, `version: !!str 1` was "unsupported
    /// version '1'; this biasaudit reads version 1", and `model: !!binary …` filtered on the base64 letters.
    func testExplicitTagsMustFitTheKey() throws {
        func rule(_ max: String) -> String { "rules: [{kind: max_baseline_growth, max: \(max)}]\n" }
        for (text, clause) in [
            ("!!str 09", "found '09', which is a string (tagged !!str); write the number without the tag"),
            ("!!str 0.1", "found '0.1', which is a string (tagged !!str); write the number without the tag"),
            ("! 0.1", "found '0.1', which is a string (tagged !); write the number without the tag"),
            ("!!bool 0.1", "found '0.1', which is tagged !!bool, not as a number (!!int, !!float); write the number without the tag"),
            ("!foo 0.1", "found '0.1', which is tagged !foo, not as a number (!!int, !!float); write the number without the tag"),
            ("!foo \"0.1\"", "found '0.1', which is tagged !foo, not as a number (!!int, !!float); write the number without the tag"),
            ("!foo 5%", "found '5%', which is tagged !foo, not as a number (!!int, !!float); write the number without the tag"),
            ("!!binary MC4x", "found 'MC4x', which is tagged !!binary, not as a number (!!int, !!float); write the number "
                + "without the tag"),
            ("!<tag:example.com,2024:limit> 0.1", "found '0.1', which is tagged !<tag:example.com,2024:limit>, not as a number"),
            ("!!int 0.1", "found '0.1', which is tagged !!int but is no whole number; remove the tag or write a whole number"),
            ("!!int \"x\"", "'max' must be a number, found 'x'"),
            ("!!float \"x\"", "'max' must be a number, found 'x'"),
        ] {
            assertRefused(rule(text), at: "1:42", clause)
        }
        for (text, value) in [("!!int 1", 1.0), ("!!float 0.25", 0.25), ("!!int \"0\"", 0)] {
            let kind = try XCTUnwrap(try parse(rule(text)).rules.first).kind
            XCTAssertEqual(kind, .maxBaselineGrowth(max: value), text)
        }
        assertRefused("version: !!str 1\n" + rule("1"), at: "1:10", "the policy version must be the number 1, found '1', which "
            + "is a string (tagged !!str); write the number without the tag")
        XCTAssertEqual(try parse("version: !!int 1\n" + rule("1")).rules.count, 1)
        assertRefused("rules: [{kind: max_baseline_growth, max: 1, model: !!binary Z3B0Mg==}]\n", at: "1:52",
                      "'model' must be a string, found 'Z3B0Mg==', which is tagged !!binary, not as text (!!str); write the text "
                        + "without the tag")
        assertRefused("description: !foo gate\n" + rule("1"), at: "1:14", "'description' must be a string, found 'gate', which "
            + "is tagged !foo")
        let tagged = try parse("rules: [{kind: max_abs_contrast, metric: !!str sentiment, max: 1, set: ! names}]\n")
        XCTAssertEqual(tagged.rules.first?.filter.metric?.value, .sentiment)
        XCTAssertEqual(tagged.rules.first?.filter.set?.value, "names")
    }

    /// Hostile review: a tag on a list or mapping was ignored (`rules: !foo [...]`, `[!!set {...}]`, a tag on the whole
    /// document), though PyYAML reads `!!set` as the keys alone and refuses `!foo`: refused where it stands, with what to
    /// do. `!!seq` on a list and `!!map` on a mapping mean what the list or mapping is, and pass.
    func testATagOnAListOrMappingIsRefused() throws {
        let rule = "{kind: min_lexicon_coverage, min: 0.1}"
        for (text, at, what) in [
            ("rules: !foo [\(rule)]\n", "1:8", "this list is tagged !foo"),
            ("rules: [!!set \(rule)]\n", "1:9", "this mapping is tagged !!set"),
            ("rules: [!!python/object:os.system \(rule)]\n", "1:9", "this mapping is tagged !!python/object:os.system"),
            ("rules: !!map [\(rule)]\n", "1:8", "this list is tagged !!map"),
            ("!foo\nrules: [\(rule)]\n", "1:1", "this mapping is tagged !foo"),
        ] {
            assertRefused(text, at: at, what + "; biasaudit reads a")
        }
        XCTAssertEqual(try parse("rules: !!seq [!!map \(rule)]\n").rules.count, 1)
    }

    /// Hostile review: Yams reads plain scalars by YAML 1.1, where `max: 1_0` is 10, `0x10` 16 and `1:30` 90.
    /// A policy's numbers are decimal (YAML 1.2's core schema), and the message says what to write.
    func testNumbersAreDecimalAsInYAML12() throws {
        for (text, decimal) in [("1_0", "10"), ("0x10", "16"), ("1:30", "90")] {
            assertRefused("rules: [{kind: max_baseline_growth, max: \(text)}]\n", at: "1:42",
                          "'max' must be a number, found '\(text)'; write numbers in decimal digits, e.g. \(decimal)")
        }
        assertRefused("rules: [{kind: max_baseline_growth, max: .inf}]\n", at: "1:42", "'max' must be a number, found '.inf'")
        assertRefused("version: 0x1\nrules: [{kind: max_baseline_growth, max: 1}]\n", at: "1:10", "unsupported policy version '0x1'")
        // A practitioner's review: YAML 1.2's octal had no hint; a list and nothing were quoted as if they were values;
        // an empty version read "unsupported policy version ''"; a rule without its limit was shown another kind's.
        assertRefused("rules: [{kind: max_baseline_growth, max: 0o17}]\n", at: "1:42",
                      "'max' must be a number, found '0o17'; write numbers in decimal digits, e.g. 15")
        assertRefused("rules: [{kind: max_baseline_growth, max: [0.1]}]\n", at: "1:42", "'max' must be a number, found a list")
        assertRefused("rules: [{kind: max_baseline_growth, max: null}]\n", at: "1:42",
                      "'max' must be a number, found nothing (null)")
        assertRefused("version:\nrules: [{kind: max_baseline_growth, max: 1}]\n", at: "1:9",
                      "'version' is given nothing (null); write version: 1, or leave it out")
        assertRefused("rules:\n  - {kind: max_baseline_growth, metric: sentiment}\n", at: "2:5",
                      "e.g. {kind: max_baseline_growth, metric: sentiment, max: 0.10}")
        for (text, value) in [("0.05", 0.05), ("5e-2", 0.05), (".5", 0.5), ("+0.2", 0.2), ("1.", 1), ("1E-1", 0.1), ("00.5", 0.5),
                              ("!!float \"0.5\"", 0.5), ("09e-2", 0.09)] {
            let rule = try XCTUnwrap(try parse("rules: [{kind: max_baseline_growth, max: \(text)}]\n").rules.first)
            guard case .maxBaselineGrowth(let max) = rule.kind else { return XCTFail("\(rule.kind)") }
            XCTAssertEqual(max, value, accuracy: 1e-15, text)
        }
    }

    func testLoadNamesAnUnreadableFile() {
        XCTAssertThrowsError(try PolicyParser.load(at: URL(fileURLWithPath: "/nonexistent/policy.yaml"), displayPath: "policy.yaml")) {
            guard case AuditError.io(let path, _) = $0 else { return XCTFail("expected io, got \($0)") }
            XCTAssertEqual(path, "policy.yaml")
        }
    }
}
