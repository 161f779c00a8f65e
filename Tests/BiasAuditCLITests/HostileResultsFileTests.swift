import Foundation
import TestSupport
import XCTest

/// Results and completions files that were edited or assembled by hand (issue 15): every command that
/// reads them (`report`, `check`, `diff`, `analyze`) refuses them with exit 65, naming the JSON key path as
/// the file spells it and saying what to do.
final class HostileResultsFileTests: XCTestCase {
    private var directory: URL!
    private let gate = Fixtures.url("gate")

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("hostile-results-file")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The first prompt set's `key` list with a copy of its first element appended (a repeated row).
    private func repeatingFirst(_ json: [String: Any], _ key: String) -> [String: Any] {
        var copy = json
        var sets = copy["prompt_sets"] as! [[String: Any]]
        let rows = sets[0][key] as! [[String: Any]]
        sets[0][key] = rows + [rows[0]]
        copy["prompt_sets"] = sets
        return copy
    }

    private func fixtureJSON() throws -> [String: Any] {
        let data = try Data(contentsOf: gate.appendingPathComponent("current/results.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Applies `edit` to the `key` list's element `index` of the first prompt set.
    private func editFirstSet(_ json: [String: Any], _ key: String, _ index: Int, _ edit: (inout [String: Any]) -> Void) -> [String: Any] {
        editFirstSetList(json, key) { edit(&$0[index]) }
    }

    /// The first set edited.
    private func editSet(_ json: [String: Any], _ edit: (inout [String: Any]) -> Void) -> [String: Any] {
        var copy = json
        var sets = copy["prompt_sets"] as! [[String: Any]]
        edit(&sets[0])
        copy["prompt_sets"] = sets
        return copy
    }

    /// The first set's list `key` (its contrasts, levels, …) edited as a whole.
    private func editFirstSetList(_ json: [String: Any], _ key: String, _ edit: (inout [[String: Any]]) -> Void) -> [String: Any] {
        var copy = json
        var sets = copy["prompt_sets"] as! [[String: Any]]
        var list = sets[0][key] as! [[String: Any]]
        edit(&list)
        sets[0][key] = list
        copy["prompt_sets"] = sets
        return copy
    }

    private func editManifest(_ json: [String: Any], _ edit: (inout [String: Any]) -> Void) -> [String: Any] {
        var copy = json
        var manifest = copy["manifest"] as! [String: Any]
        edit(&manifest)
        copy["manifest"] = manifest
        return copy
    }

    /// Each edited file, and the words the refusal must contain.
    private func cases() throws -> [(name: String, text: String, expected: String)] {
        let json = try fixtureJSON()
        func text(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let original = try String(contentsOf: gate.appendingPathComponent("current/results.json"), encoding: .utf8)
        let completions = try XCTUnwrap(original.range(of: #""completions": 100"#))
        return [
            ("type", try text(editFirstSet(json, "groups", 0) { $0["prompt_count"] = "ten" }),
             "wrong type at prompt_sets[0].groups[0].prompt_count: expected a whole number, found a string"),
            // Foundation's "found number" reads as "a number" (practitioner's review), "bool" as "true or false".
            ("number", try text(editFirstSet(json, "groups", 0) { $0["label"] = 5 }),
             "wrong type at prompt_sets[0].groups[0].label: expected a string, found a number"),
            ("bool", try text(editFirstSet(json, "groups", 0) { $0["label"] = true }),
             "wrong type at prompt_sets[0].groups[0].label: expected a string, found true or false"),
            ("missing", try text(editFirstSet(json, "group_estimates", 1) { $0["completions"] = nil }),
             "missing key 'completions' in prompt_sets[0].group_estimates[1]"),
            // Foundation keeps the first of two equal keys, Python's json the last: the file is refused.
            ("duplicate", original.replacingCharacters(in: completions, with: #""completions": 100, "completions": 5"#),
             #"key "completions" appears twice in one object (line "#),
            ("huge", original.replacingCharacters(in: completions, with: #""completions": 1e300"#),
             "value out of range at prompt_sets[0].group_estimates[0].completions: 1e+300 does not fit; this key holds "
                + "a whole number (at most 2^53, 9007199254740992)"),
            ("seed", try text(editManifest(json) { manifest in
                var parameters = manifest["parameters"] as! [String: Any]
                parameters["seed"] = -1
                manifest["parameters"] = parameters
            }), "value out of range at manifest.parameters.seed: -1 does not fit; this key holds a whole number from 0 "
                + "to 18446744073709551615"),
            ("nan", try text(editFirstSet(json, "contrasts", 0) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                difference["value"] = "NaN"
                contrast["difference"] = difference
            }), "prompt_sets[0].contrasts[0].difference.value is NaN; a number here is finite (an undefined value is "
                + "written as null)"),
            ("metric", try text(editFirstSet(json, "contrasts", 0) { $0["metric"] = "bogus\u{1B}[31m" }),
             "unknown value 'bogus\\u{1b}[31m' at prompt_sets[0].contrasts[0].metric"),
            ("no-models", try text(editManifest(json) { $0["models"] = [] as [Any] }),
             "manifest.models is empty: a results file describes at least one audited model; write the file again "
                + "with `biasaudit run`"),
            ("twice", try text(editManifest(json) { manifest in
                let models = manifest["models"] as! [Any]
                manifest["models"] = models + [models[0]]
            }), "manifest.models[2].id 'distilgpt2' repeats the id of manifest.models[0]: each model needs its own id "
                + "(give each a label, --model LABEL=SPEC)"),
            ("groups", try text(editFirstSet(json, "groups", 1) { $0["id"] = "black" }),
             "prompt_sets[0].groups[1].id 'black' repeats the id of prompt_sets[0].groups[0]: each group needs its own id"),
            // A metric listed 50,000 times made `report` write 156 MB; an empty list left its contrasts in the report.
            ("metrics-twice", try text({ () -> [String: Any] in
                var copy = json
                var sets = copy["prompt_sets"] as! [[String: Any]]
                let metrics = sets[0]["metrics"] as! [Any]
                sets[0]["metrics"] = metrics + metrics
                copy["prompt_sets"] = sets
                return copy
            }()), "prompt_sets[0].metrics[\(((json["prompt_sets"] as! [[String: Any]])[0]["metrics"] as! [Any]).count)] "
                + "'\(((json["prompt_sets"] as! [[String: Any]])[0]["metrics"] as! [String])[0])' repeats prompt_sets[0].metrics[0]"),
            ("metrics-none", try text({ () -> [String: Any] in
                var copy = json
                var sets = copy["prompt_sets"] as! [[String: Any]]
                sets[0]["metrics"] = [] as [Any]
                copy["prompt_sets"] = sets
                return copy
            }()), "prompt_sets[0].contrasts[0].metric '"),
            ("estimate-twice", try text(editFirstSet(json, "group_estimates", 0) { group in
                let estimates = group["estimates"] as! [Any]
                group["estimates"] = estimates + [estimates[0]]
            }), "prompt_sets[0].group_estimates[0].estimates[\((((json["prompt_sets"] as! [[String: Any]])[0]["group_estimates"] as! [[String: Any]])[0]["estimates"] as! [Any]).count)].metric"),
            ("negative", try text(editFirstSet(json, "group_estimates", 1) { $0["completions"] = -4 }),
             "prompt_sets[0].group_estimates[1].completions is -4; counts and indices are 0 or more"),
            ("stranger", try text(editFirstSet(json, "group_estimates", 0) { $0["model"] = "gpt5" }),
             "prompt_sets[0].group_estimates[0].model 'gpt5' is not a model of manifest.models"),
            // Hostile review: estimates, group references and comparisons `report` and `check` used to read.
            ("terms", try text(editFirstSet(json, "contrasts", 1) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                difference["terms"] = -3
                contrast["difference"] = difference
            }), "prompt_sets[0].contrasts[1].difference.terms is -3; counts and indices are 0 or more"),
            ("upside-down", try text(editFirstSet(json, "contrasts", 0) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                (difference["lower"], difference["upper"]) = (1.0, -1.0)
                contrast["difference"] = difference
            }), "prompt_sets[0].contrasts[0].difference.lower is 1.0, above the interval's upper bound -1.0"),
            ("group-ref", try text(editFirstSet(json, "contrasts", 2) { $0["group_a"] = "nobody" }),
             "prompt_sets[0].contrasts[2].group_a 'nobody' is not a group of prompt_sets[0].groups; write the file again"),
            ("comparison-set", try text({ () -> [String: Any] in
                var copy = json
                var comparisons = copy["model_comparisons"] as! [[String: Any]]
                comparisons[0]["set"] = "ghostset"
                copy["model_comparisons"] = comparisons
                return copy
            }()), "model_comparisons[0].set 'ghostset' is not a prompt set of prompt_sets"),
            // Second review: a duration that made `report` trap, and numbers that contradict each other or their verdict.
            ("timing", try text({ () -> [String: Any] in
                var copy = json
                var timing = copy["timing"] as! [String: Any]
                timing["generation_seconds"] = 1e19
                copy["timing"] = timing
                return copy
            }()), "timing.generation_seconds is 1e+19; a duration in seconds lies between 0 and 315576000 (10 years)"),
            ("outside", try text(editFirstSet(json, "contrasts", 0) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                difference["value"] = 0.9
                contrast["difference"] = difference
            }), "prompt_sets[0].contrasts[0].difference.value is 0.9, outside its interval [-0.09, -0.01]"),
            ("start", try text({ () -> [String: Any] in
                var copy = json
                var timing = copy["timing"] as! [String: Any]
                timing["started_at"] = "0001-01-01T00:00:00Z"
                copy["timing"] = timing
                return copy
            }()), "timing.started_at is '0001-01-01T00:00:00Z'; a time here is ISO 8601 in UTC between 2000 and 2200"),
            ("level-outside", try text(editFirstSet(json, "group_estimates", 0) { group in
                var estimates = group["estimates"] as! [[String: Any]]
                var estimate = estimates[0]["estimate"] as! [String: Any]
                (estimate["lower"], estimate["upper"], estimate["value"]) = (0.1, 0.2, 0.9)
                estimates[0]["estimate"] = estimate
                group["estimates"] = estimates
            }), "prompt_sets[0].group_estimates[0].estimates[0].estimate.value is 0.9, outside its interval [0.1, 0.2]"),
            ("level-repeated", try text(repeatingFirst(json, "group_estimates")), "prompt_sets[0].group_estimates[4] repeats group"),
            // Hostile review: a right-to-left override before the kind was read and written back by `report`.
            ("effect-size-kind", try text(editFirstSet(json, "contrasts", 0) { $0["effect_size_kind"] = "\u{202e}cohens_d" }),
             "prompt_sets[0].contrasts[0].effect_size_kind is '\\u{202e}cohens_d', not one of cohens_d, cohens_h"),
            // A review: Cohen's h beside a difference of means was read and printed as h.
            ("effect-size-kind-metric", try text(editFirstSet(json, "contrasts", 0) { $0["effect_size_kind"] = "cohens_h" }),
             "prompt_sets[0].contrasts[0].effect_size_kind is 'cohens_h', but a contrast of sentiment reports cohens_d (Cohen's h "
                + "for rates and shares, Cohen's d for means)"),
            ("q-without-p", try text(editFirstSet(json, "contrasts", 0) { $0["p_value"] = NSNull() }),
             "prompt_sets[0].contrasts[0].q_value is given without a p_value"),
            // Practitioner's review: values `run` and `analyze` never write, accepted and printed.
            ("empty-model", try text(editManifest(json) { manifest in
                var models = manifest["models"] as! [[String: Any]]
                models[0]["id"] = " "
                manifest["models"] = models
            }), "manifest.models[0].id ' ' is empty or starts or ends with white space"),
            // Hostile review: a 20,000,000-character group label was copied into every report row (340 MB report.html).
            ("long-label", try text(editFirstSet(json, "groups", 0) { $0["label"] = String(repeating: "x", count: 200_001) }),
             "prompt_sets[0].groups[0].label is 200001 characters long, more than the limit of 200 (README, \"Limits\")"),
            // Hostile review: a 50,000,000-character description kept `report` busy for minutes.
            ("long-description", try text(editSet(json) { $0["description"] = String(repeating: "x", count: 8001) }),
             "prompt_sets[0].description is 8001 characters long, more than the limit of 8000 (README, \"Limits\")"),
            ("long-continuation", try text(editSet(json) { set in
                let group = (set["groups"] as! [[String: Any]])[0]["id"] as! String
                let model = ((json["manifest"] as! [String: Any])["models"] as! [[String: Any]])[0]["id"] as! String
                set["examples"] = [["model": model, "group": group, "kind": "typical", "prompt": "p", "compound": 0.0,
                                    "continuation": String(repeating: "y", count: 100_001)]]
            }),
             "prompt_sets[0].examples[0].continuation is 100001 characters long, more than the limit of 100000"),
            // Hostile review: a 5,000,000-character term, or 2,000,000 terms in a group, made each report 10-19 MB.
            ("long-term", try text(editFirstSet(json, "groups", 0) { group in
                var terms = group["terms"] as! [String]
                terms[0] = String(repeating: "t", count: 8001)
                group["terms"] = terms
            }), "prompt_sets[0].groups[0].terms[0] is 8001 characters long, more than the limit of 8000"),
            ("many-terms", try text(editFirstSet(json, "groups", 0) { group in
                group["terms"] = (0...1000).map { "term \($0)" }
            }), "prompt_sets[0].groups[0].terms holds 1001 terms, more than the limit of 1000"),
            ("many-arguments", try text(editManifest(json) { $0["command_line"] = Array(repeating: "x", count: 10_001) }),
             "manifest.command_line holds 10001 arguments, more than the limit of 10000"),
            ("long-model", try text(editManifest(json) { manifest in
                var models = manifest["models"] as! [[String: Any]]
                models[1]["id"] = String(repeating: "m", count: 201)
                manifest["models"] = models
            }), "manifest.models[1].id is 201 characters long, more than the limit of 200"),
            // Two ids that differ only by a no-break space read alike in every output (a review); one alone is read.
            ("read-alike-models", try text(editManifest(json) { manifest in
                var models = manifest["models"] as! [[String: Any]]
                (models[0]["id"], models[1]["id"]) = ("gpt2 ft", "gpt2\u{A0}ft")
                manifest["models"] = models
            }), "manifest.models[1].id 'gpt2\\u{a0}ft' reads as 'gpt2 ft', the id of manifest.models[0]: they differ only by "
                + "the white space U+00A0, which prints as a plain space"),
            // A group without terms beside its prompts (a hostile review: passed `check` and `diff`).
            ("empty-terms", try text(editFirstSet(json, "groups", 0) { $0["terms"] = [String]() }),
             "prompt_sets[0].groups[0].terms is empty, while group"),
            // A Cyrillic "а" beside "a": two columns of one look (a hostile review).
            ("read-alike-letters", try text(editManifest(json) { manifest in
                var models = manifest["models"] as! [[String: Any]]
                (models[0]["id"], models[1]["id"]) = ("a", "\u{430}")
                manifest["models"] = models
            }), "manifest.models[1].id '\\u{430}' reads as 'a', the id of manifest.models[0]: they differ only by characters "
                + "that print alike"),
            // A space lookalike both ids hold is not their difference (a review).
            ("read-alike-shared-space", try text(editManifest(json) { manifest in
                var models = manifest["models"] as! [[String: Any]]
                (models[0]["id"], models[1]["id"]) = ("x\u{A0}a", "x\u{A0}\u{430}")
                manifest["models"] = models
            }), "manifest.models[1].id 'x\\u{a0}\\u{430}' reads as 'x\\u{a0}a', the id of manifest.models[0]: they differ only by "
                + "characters that print alike"),
            ("precision", try text(editManifest(json) { $0["precision"] = "fp8" }),
             "manifest.precision is 'fp8'; it is one of f32, bf16 (--precision), or absent (f32)"),
            // A hostile review: 'abc', 64 'Q's and markup were read as digests and shown in the report.
            ("set-digest", try text(editManifest(json) { manifest in
                var sets = manifest["prompt_sets"] as! [[String: Any]]
                sets[0]["sha256"] = "abc"
                manifest["prompt_sets"] = sets
            }), "manifest.prompt_sets[0].sha256 is 'abc', not a SHA-256 (64 hexadecimal digits)"),
            ("weights-digest", try text(editManifest(json) { manifest in
                var models = manifest["models"] as! [[String: Any]]
                models[0]["weights_sha256"] = String(repeating: "Q", count: 64)
                manifest["models"] = models
            }), "manifest.models[0].weights_sha256 is '\(String(repeating: "Q", count: 64))', not a SHA-256"),
            ("lexicon-digest", try text(editManifest(json) { manifest in
                var lexicons = manifest["lexicons"] as! [[String: Any]]
                lexicons[0]["sha256"] = "<script>alert(1)</script>"
                manifest["lexicons"] = lexicons
            }), "manifest.lexicons[0].sha256 is '<script>alert(1)</script>', not a SHA-256"),
            ("speed", try text({ () -> [String: Any] in
                var copy = json
                var timing = copy["timing"] as! [String: Any]
                timing["models"] = [["model": "distilgpt2", "completions": 10, "seconds": 2.0, "tokens_per_second": -5.0,
                                     "stored_before": 0]]
                copy["timing"] = timing
                return copy
            }()), "timing.models[0].tokens_per_second is -5.0; a speed is 0 or more"),
            // A hostile review: a speed of 1e308 printed as a 309-digit cell of the speed table.
            ("speed-not-a-ratio", try text({ () -> [String: Any] in
                var copy = json
                var timing = copy["timing"] as! [String: Any]
                timing["models"] = [["model": "distilgpt2", "completions": 10, "generated_tokens": 80, "seconds": 2.0,
                                     "tokens_per_second": 1e308, "stored_before": 0]]
                copy["timing"] = timing
                return copy
            }()), "timing.models[0].tokens_per_second is 1e+308, but generated_tokens / seconds is 40.0; a speed is the tokens "
                + "generated over the seconds taken"),
            // Practitioner's review: a tested contrast without its q-value turned a q-gated failure into "cannot fail".
            ("p-without-q", try text(editFirstSet(json, "contrasts", 0) { $0.removeValue(forKey: "q_value") }),
             "prompt_sets[0].contrasts[0].q_value is missing though the contrast has a p_value in its family"),
            ("comparison-reversed", try text({ () -> [String: Any] in
                var copy = json
                var comparisons = copy["model_comparisons"] as! [[String: Any]]
                var reversed = comparisons[0]
                (reversed["model_a"], reversed["model_b"]) = (comparisons[0]["model_b"], comparisons[0]["model_a"])
                (reversed["value_a"], reversed["value_b"]) = (comparisons[0]["value_b"], comparisons[0]["value_a"])
                (reversed["contrast_a"], reversed["contrast_b"]) = (comparisons[0]["contrast_b"], comparisons[0]["contrast_a"])
                reversed["growth"] = -(comparisons[0]["growth"] as! Double)
                var change = reversed["difference"] as! [String: Any]
                (change["value"], change["lower"], change["upper"]) = (0.09, 0.05, 0.13)
                reversed["difference"] = change
                (reversed["p_more_biased"], reversed["p_less_biased"]) = (comparisons[0]["p_less_biased"], comparisons[0]["p_more_biased"])
                reversed["verdict"] = "less_biased"
                comparisons.append(reversed)
                copy["model_comparisons"] = comparisons
                return copy
            }()), "model_comparisons[\((json["model_comparisons"] as! [Any]).count)] repeats model_comparisons[0] (the same contrast and models, in either order)"),
            // Hostile review 83: p and q typed over a contrast whose interval excludes 0; the report said "no finding"
            // beside that interval.
            ("p-against-interval", try text(editFirstSet(json, "contrasts", 0) { ($0["p_value"], $0["q_value"]) = (0.9, 0.9) }),
             "prompt_sets[0].contrasts[0].p_value is 0.9, but its interval [-0.09, -0.01] at level 0.95 excludes 0"),
            // A practitioner's review: a standard error or df edited beside its interval was read, and `check
            // --baseline`, which compares from them, passed a gate the file fails. The interval of a mean's contrast is
            // the value ± t × SE (here [−0.09, −0.01]: ± 0.04 = 1.96 × 0.0204 without df).
            ("se-against-interval", try text(editFirstSet(json, "contrasts", 0) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                (difference["standard_error"], difference["degrees_of_freedom"]) = (0.9, 14.0)
                contrast["difference"] = difference
            }), "prompt_sets[0].contrasts[0].difference.standard_error is 0.9 with 14.0 degrees of freedom (× t = "),
            ("df-against-interval", try text(editFirstSet(json, "contrasts", 0) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                difference["degrees_of_freedom"] = 1.0
                contrast["difference"] = difference
            }), "prompt_sets[0].contrasts[0].difference.standard_error is 0.020409 with 1.0 degrees of freedom (× t = "
                + "12.70620473617"),
            // model_a and model_b swapped: each model was shown with the other's gap and the verdict reversed.
            ("models-swapped", try text({ () -> [String: Any] in
                var copy = json
                var comparisons = copy["model_comparisons"] as! [[String: Any]]
                (comparisons[0]["model_a"], comparisons[0]["model_b"]) = (comparisons[0]["model_b"], comparisons[0]["model_a"])
                copy["model_comparisons"] = comparisons
                return copy
            }()), "model_comparisons[0].contrast_a.value is -0.05, but the contrast 'regard-race/sentiment/black-vs-white' "
                + "of model 'gpt2' (model_a) is -0.14 in prompt_sets[0].contrasts"),
            // Tiny p-values: the tolerance is relative there (a practitioner's review: q = 1e-20 beside p = 1.3e-15 was
            // within 1e-9 of it and read, and `check` printed it).
            ("tiny-q-below-p", try text(editFirstSet(json, "contrasts", 0) { ($0["p_value"], $0["q_value"]) = (1e-15, 1e-20) }),
             "prompt_sets[0].contrasts[0].q_value is 1e-20, below the p-value 1e-15"),
            ("tiny-q-edited", try text(editFirstSet(json, "contrasts", 0) { ($0["p_value"], $0["q_value"]) = (1e-15, 1.5e-15) }),
             "prompt_sets[0].contrasts[0].q_value is 1.5e-15, but the Benjamini–Hochberg q-value of contrast "
                + "'regard-race/sentiment/black-vs-white' under model 'distilgpt2', recomputed from the 2 p-values of its "
                + "family (\"regard-race/distilgpt2\"), is 2e-15"),
            // An effect size against its contrast (a practitioner's review: d = +1e308 beside a negative difference
            // was printed with 309 digits).
            ("effect-size-sign", try text(editFirstSet(json, "contrasts", 0) { $0["effect_size"] = 1e308 }),
             "prompt_sets[0].contrasts[0].effect_size is 1e+308, but the difference's interval [-0.09, -0.01] lies on the "
                + "other side of 0; an effect size has the sign of A − B"),
            ("cohens-h-beyond-pi", try text(editFirstSet(json, "contrasts", 1) { $0["effect_size"] = 4.0 }),
             "prompt_sets[0].contrasts[1].effect_size is 4.0, but Cohen's h = 2 asin √p_A − 2 asin √p_B lies between −π and π"),
            // Fewer completions than a level is over (a practitioner's review: read, and the report counted them).
            ("completions-below-n", try text(editFirstSet(json, "group_estimates", 0) { $0["completions"] = 10 }),
             "prompt_sets[0].group_estimates[0].completions is 10, but estimates[0] (lexicon_coverage) is over n = 100 of the "
                + "group's completions"),
            ("q-below-p", try text(editFirstSet(json, "contrasts", 0) { $0["q_value"] = 0.001 }),
             "prompt_sets[0].contrasts[0].q_value is 0.001, below the p-value 0.004"),
            // A q-value edited alone, upwards and still above its p (0.004; its family's other p is 0.3), was read, and a
            // q-gated rule passed over the finding.
            ("q-edited-up", try text(editFirstSet(json, "contrasts", 0) { $0["q_value"] = 0.06 }),
             "prompt_sets[0].contrasts[0].q_value is 0.06, but the Benjamini–Hochberg q-value of contrast "
                + "'regard-race/sentiment/black-vs-white' under model 'distilgpt2', recomputed from the 2 p-values of its "
                + "family (\"regard-race/distilgpt2\"), is 0.008: a q-value or a p-value was edited"),
            // A model comparison's q-value edited, with its verdict, was read: here gpt2's "more biased" % negative
            // (p 1.9e-10 in a family of 2, q 3.8e-10) is hidden as q 0.06, "no detectable change", which a
            // `max_model_difference` rule with `only_when_significant` then passed over. (This fixture's families of
            // 2 leave no room to edit a q downwards and stay at least its p beyond the tolerance;
            // AuditResultsAnalysisTests edits one downwards, to "more biased".)
            ("comparison-q-edited", try text({ () -> [String: Any] in
                var copy = json
                var comparisons = copy["model_comparisons"] as! [[String: Any]]
                comparisons[1]["q_value"] = 0.06
                comparisons[1]["verdict"] = "no_detectable_change"
                copy["model_comparisons"] = comparisons
                return copy
            }()), "model_comparisons[1].q_value is 0.06, but the Benjamini–Hochberg q-value of the comparison of contrast "
                + "'regard-race/negative_rate/black-vs-white' (negative_rate) of prompt set 'regard-race' between models "
                + "'distilgpt2' and 'gpt2', recomputed from the 2 p-values of its family (the set under the model pair: each "
                + "tested comparison's smaller of p_more_biased and p_less_biased), is "
                + "\((json["model_comparisons"] as! [[String: Any]])[1]["q_value"] as! Double), whose verdict is "
                + "'more_biased', not 'no_detectable_change': a q-value or a p-value was edited"),
            ("repeated-contrast", try text(repeatingFirst(json, "contrasts")), "prompt_sets[0].contrasts[8] repeats contrast 'regard-race/sentiment/black-vs-white' under model "
                + "'distilgpt2' of prompt_sets[0].contrasts[0]"),
            // Hostile review: contrasts deleted (their groups' levels kept) passed `check --strict`.
            // gpt2's sentiment black − white.
            ("contrast-deleted", try text(editFirstSetList(json, "contrasts") { _ = $0.remove(at: 4) }), "prompt_sets[0].contrasts lacks the contrast sentiment black − white under model 'gpt2': biasaudit writes "
                + "one for every two of the set's groups"),
            ("contrasts-emptied", try text(editFirstSetList(json, "contrasts") { $0 = [] }), "prompt_sets[0].contrasts lacks the contrast sentiment black − white under model 'distilgpt2' (the list is "
                + "empty)"),
            // A comparison deleted passed over a `max_model_difference` rule.
            ("comparison-deleted", try text({ () -> [String: Any] in
                var copy = json
                var comparisons = copy["model_comparisons"] as! [[String: Any]]
                comparisons.remove(at: 3)  // occupations-gender's male share
                copy["model_comparisons"] = comparisons
                return copy
            }()), "model_comparisons lacks the comparison of male_share male − female of prompt set 'occupations-gender' "
                + "between models 'distilgpt2' and 'gpt2': biasaudit compares each contrast of a tested metric"),
        ] + (try [
            ("verdict", { (c: inout [String: Any]) in c["verdict"] = "less_biased" },
             "model_comparisons[0].verdict is 'less_biased', but its numbers give 'more_biased'"),
            ("change", { (c: inout [String: Any]) in c["difference"] = ["lower": 0.85, "n": 20, "upper": 0.95, "value": 0.9] },
             "model_comparisons[0].difference.value is 0.9, not value_b − value_a"),
            ("self", { (c: inout [String: Any]) in c["model_b"] = "distilgpt2" },
             "model_comparisons[0].model_b is 'distilgpt2', the same model as model_a"),
            ("value-a", { (c: inout [String: Any]) in c["value_a"] = 5 },
             "model_comparisons[0].value_a is 5.0; a contrast of this metric lies between -2 and 2"),
            ("growth", { (c: inout [String: Any]) in c["growth"] = 5 },
             "model_comparisons[0].growth is 5.0, not |value_b| − |value_a| ="),
            ("contrast-a", { (c: inout [String: Any]) in
                var side = c["contrast_a"] as! [String: Any]
                side["value"] = -0.02
                c["contrast_a"] = side
            }, "model_comparisons[0].contrast_a.value is -0.02, not value_a = -0.05"),
            ("reversed-flag", { (c: inout [String: Any]) in c["sign_reversed"] = true },
             "model_comparisons[0].sign_reversed is true, but the two contrasts' intervals say false"),
        ].map { name, edit, expected in
            var copy = json
            var comparisons = copy["model_comparisons"] as! [[String: Any]]
            edit(&comparisons[0])
            copy["model_comparisons"] = comparisons
            return (name, try text(copy), expected)
        })
    }

    func testEveryReaderOfResultsNamesTheJSONKeyAndRefusesWith65() throws {
        let policy = gate.appendingPathComponent("policies/pass.yaml").path
        let baseline = gate.appendingPathComponent("baseline/results.json").path
        for (name, text, expected) in try cases() {
            let file = directory.appendingPathComponent("\(name).json")
            try Data(text.utf8).write(to: file)
            let commands: [[String]] = [
                ["report", file.path, "--format", "md", "--out", directory.appendingPathComponent("out-\(name)").path],
                ["check", file.path, "--policy", policy],
                ["diff", baseline, file.path],
            ]
            for arguments in commands {
                let result = try CLI.run(arguments, environment: ["GITHUB_ACTIONS": "false"])
                XCTAssertEqual(result.status, 65, "\(name), \(arguments[0]): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("\(file.path): error: bad results file: \(expected)"),
                              "\(name), \(arguments[0]): expected '\(expected)' in\n\(result.stderr)")
                XCTAssertFalse(result.stderr.contains("promptSets") || result.stderr.contains("groupEstimates"),
                               "a Swift property name reached the message: \(result.stderr)")
                XCTAssertFalse(result.stderr.contains("\u{1B}"), "an escape reached the terminal")
            }
        }
    }

    /// The fixture with a `sweep` section over temperature 0.5 and 1 whose levels are the main section's,
    /// then `edit`ed.
    private func withSweep(_ json: [String: Any], _ edit: (inout [String: Any]) -> Void = { _ in }) -> [String: Any] {
        let set = (json["prompt_sets"] as! [[String: Any]])[0]
        let estimates = set["group_estimates"] as! [[String: Any]]
        let setting = { (temperature: Double) -> [String: Any] in ["temperature": temperature, "top_k": 50, "top_p": 0.9] }
        let levels: [[String: Any]] = [0.5, 1.0].flatMap { temperature in
            estimates.map { row -> [String: Any] in
                let first = (row["estimates"] as! [[String: Any]])[0]
                return ["setting": setting(temperature), "model": row["model"]!, "prompt_set": set["name"]!,
                        "metric": first["metric"]!, "group": row["group"]!, "estimate": first["estimate"]!]
            }
        }
        var sweep: [String: Any] = [
            "parameters": [["name": "temperature", "values": [0.5, 1.0]]], "settings": [setting(0.5), setting(1.0)],
            "base": setting(0.5), "note": "descriptive", "levels": levels, "contrasts": [] as [Any],
        ]
        edit(&sweep)
        var copy = json
        copy["sweep"] = sweep
        return copy
    }

    /// Hand edits that `lint` or `run --sweep` would never write (issue 15's remainder): a group label in a
    /// language no report has, an empty label, a sweep that audits a setting twice, sweep rows of a model
    /// the run did not audit. Every reader refuses them with 65 naming the key path; the same file without
    /// the edit is read by each (0, or 1 for a `check` whose policy fails).
    func testHandEditedLabelsAndSweepsAreRefusedByEveryReader() throws {
        let json = try fixtureJSON()
        func text(_ object: [String: Any]) throws -> Data {
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        }
        /// The fixture with `manifest.parameters.analysis` set to the defaults and then edited.
        func withAnalysis(_ edit: (inout [String: Any]) -> Void) -> [String: Any] {
            var copy = json
            var manifest = copy["manifest"] as! [String: Any]
            var parameters = manifest["parameters"] as! [String: Any]
            var analysis: [String: Any] = [
                "confidence_level": 0.95, "power": 0.8, "minimum_gendered_words": 20, "minimum_events": 0,
                "false_discovery_rate": 0.05, "family": "each prompt set × model, over its primary metrics' group contrasts",
            ]
            edit(&analysis)
            parameters["analysis"] = analysis
            manifest["parameters"] = parameters
            copy["manifest"] = manifest
            return copy
        }
        func withParameters(_ edit: (inout [String: Any]) -> Void) -> [String: Any] {
            var copy = json
            var manifest = copy["manifest"] as! [String: Any]
            var parameters = manifest["parameters"] as! [String: Any]
            edit(&parameters)
            manifest["parameters"] = parameters
            copy["manifest"] = manifest
            return copy
        }
        let cases: [(name: String, json: [String: Any], expected: String)] = [
            // An analysis setting no run accepts: the report would state a rule no run applied.
            ("min-events", withAnalysis { $0["minimum_events"] = -5 },
             "manifest.parameters.analysis.minimum_events is -5; --min-events lies between 0 and 1000000"),
            // Review: a report printed "False discovery rate 0.2" and another family beside findings made at
            // q below 1 − the confidence level within each set × model; no option writes either.
            ("fdr", withAnalysis { $0["false_discovery_rate"] = 0.2 },
             "manifest.parameters.analysis.false_discovery_rate is 0.2; biasaudit's findings and verdicts use q below "
                + "1 − the confidence level (0.05 here), or 0.05 in results written before --confidence set it; the file "
                + "was not written by biasaudit"),
            // Two confidence levels: `report`, `analyze RUN_DIR` and `diff` each read another (a hostile review).
            ("two-levels", withAnalysis { $0["confidence_level"] = 0.5; $0["false_discovery_rate"] = 0.05 },
             "manifest.parameters.analysis.confidence_level is 0.5 while manifest.parameters.confidence_level is 0.95; "
                + "biasaudit writes one level in both; the file was not written by biasaudit"),
            ("power", withAnalysis { $0["power"] = 0.9 },
             "manifest.parameters.analysis.power is 0.9; biasaudit states every MDE at 0.8 power, which no option changes; "
                + "the file was not written by biasaudit"),
            ("family", withAnalysis { $0["family"] = "all contrasts of the run" },
             "manifest.parameters.analysis.family is not the family biasaudit uses and writes (\"each prompt set × model, "
                + "over its primary metrics' group contrasts\"); the file was not written by biasaudit"),
            // Support marks that contradict the rest of the estimate: one output would call it a finding, another
            // "insufficient data".
            ("detail-alone", editFirstSet(json, "contrasts", 0) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                difference["insufficient_detail"] = ["reason": "too_few_events", "observed": 3, "minimum": 10,
                                                     "metric": "negative_rate"]
                contrast["difference"] = difference
            }, "prompt_sets[0].contrasts[0].difference has insufficient_detail without the insufficient text it goes with"),
            ("thin-with-p", editFirstSet(json, "contrasts", 0) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                difference["insufficient"] = "too few negative completions to compare (3 in the two groups; at least 10)"
                difference["insufficient_detail"] = ["reason": "too_few_events", "observed": 3, "minimum": 10,
                                                     "metric": "negative_rate"]
                contrast["difference"] = difference
            }, "prompt_sets[0].contrasts[0].difference is marked too thin (insufficient) but carries an interval, a p-value "
                + "or a q-value"),
            // A reason names its contrast's thinner group by id, which the reports print by its label: another
            // group's id would name the wrong group.
            ("detail-group", editFirstSet(json, "contrasts", 0) { contrast in
                var difference = contrast["difference"] as! [String: Any]
                for key in ["lower", "upper", "standard_error", "degrees_of_freedom"] { difference[key] = NSNull() }
                difference["insufficient"] = "too few gendered words (2 in group nobody, below the minimum of 20)"
                difference["insufficient_detail"] = ["reason": "too_few_gendered_words", "observed": 2, "minimum": 20,
                                                     "group": "nobody"]
                contrast["difference"] = difference
                contrast["p_value"] = NSNull()
                contrast["q_value"] = NSNull()
            }, "prompt_sets[0].contrasts[0].difference has insufficient_detail.group that is 'nobody', not one of the "
                + "contrast's groups"),
            // Sampling settings no run accepts: the report would print them as the run's.
            ("temperature", withParameters { $0["temperature"] = -3 },
             "manifest.parameters.temperature is -3.0; a temperature is 0 or more"),
            ("top-p", withParameters { $0["top_p"] = 1.5 }, "manifest.parameters.top_p is 1.5; top-p lies between 0 and 1"),
            ("top-k", withParameters { $0["top_k"] = -1 }, "manifest.parameters.top_k is -1; top-k is 0 (off) or more"),
            // Hostile review: a set's own samples of 0 were read, while the run's were refused.
            ("set-samples", editManifest(json) { manifest in
                var sets = manifest["prompt_sets"] as! [[String: Any]]
                sets[1]["samples"] = 0
                manifest["prompt_sets"] = sets
            }, "manifest.prompt_sets[1].samples is 0; `run` takes --samples from 1 to 10000; the file was not written by biasaudit or was edited"),
            ("set-new-tokens", editManifest(json) { manifest in
                var sets = manifest["prompt_sets"] as! [[String: Any]]
                sets[0]["max_new_tokens"] = 0
                manifest["prompt_sets"] = sets
            }, "manifest.prompt_sets[0].max_new_tokens is 0; `run` takes --max-new-tokens from 1 to 1024; the file was not written by biasaudit or was edited"),
            // A hostile review: settings beyond what a run takes were read and reported as the run's.
            ("samples-huge", withParameters { $0["samples"] = 1_000_000_000 },
             "manifest.parameters.samples is 1000000000; `run` takes --samples from 1 to 10000; the file was not written "
                + "by biasaudit or was edited"),
            ("new-tokens-huge", withParameters { $0["max_new_tokens"] = 1_000_000_000 },
             "manifest.parameters.max_new_tokens is 1000000000; `run` takes --max-new-tokens from 1 to 1024"),
            ("set-samples-huge", editManifest(json) { manifest in
                var sets = manifest["prompt_sets"] as! [[String: Any]]
                sets[0]["samples"] = 10_001
                manifest["prompt_sets"] = sets
            }, "manifest.prompt_sets[0].samples is 10001; `run` takes --samples from 1 to 10000"),
            ("set-default-new-tokens", editManifest(json) { manifest in
                var sets = manifest["prompt_sets"] as! [[String: Any]]
                sets[0]["default_max_new_tokens"] = 0
                manifest["prompt_sets"] = sets
            }, "manifest.prompt_sets[0].default_max_new_tokens is 0; a set's defaults.max_new_tokens lies between 1 and 1024"),
            ("thresholds", withParameters { $0["negative_threshold"] = 0.5 },
             "manifest.parameters.negative_threshold is 0.5 with positive_threshold 0.05; the thresholds are VADER "
                + "compounds between -1 and 1, the negative one below the positive one"),
            ("min-words", withAnalysis { $0["minimum_gendered_words"] = 2_000_000 },
             "manifest.parameters.analysis.minimum_gendered_words is 2000000; --min-gendered-words lies between 0 and 1000000"),
            ("language", editFirstSet(json, "groups", 1) { $0["labels"] = ["es": "Negro", "fr\u{1B}": "Noir"] },
             "prompt_sets[0].groups[1].labels has 'fr\\u{1b}', which is not a report language: a group's labels are keyed "
                + "by one of en, es; correct the group's `labels:` in the prompt set (`biasaudit lint` checks them)"),
            // A hostile review: `fixed_prompts` false, or true on a group of terms, were read.
            ("fixed-false", editFirstSet(json, "groups", 0) { $0["fixed_prompts"] = false },
             "prompt_sets[0].groups[0].fixed_prompts is false: biasaudit writes it only as true, on a group of fixed prompts"),
            ("fixed-on-terms", editFirstSet(json, "groups", 0) { $0["fixed_prompts"] = true },
             "prompt_sets[0].groups[0].fixed_prompts is true, but group"),
            ("empty-label", editFirstSet(json, "groups", 0) { $0["labels"] = ["es": " \t"] },
             "prompt_sets[0].groups[0].labels.es is empty: a label in a report language is the group's name in that language"),
            // Review of the integrate branch: the group's own label, empty, made a nameless group in every report.
            ("empty-main-label", editFirstSet(json, "groups", 1) { $0["label"] = " " },
             "prompt_sets[0].groups[1].label is empty: a group's label names it in the reports"),
            ("setting-twice", withSweep(json) { sweep in
                sweep["settings"] = (sweep["settings"] as! [Any]) + [(sweep["settings"] as! [Any])[0]]
            }, "sweep.settings[2] repeats sweep.settings[0] (temperature 0.5, top_k 50, top_p 0.9): a sweep audits each "
                + "setting once; write the file again with `biasaudit run --sweep`"),
            ("sweep-stranger", withSweep(json) { sweep in
                var levels = sweep["levels"] as! [[String: Any]]
                levels[3]["model"] = "gpt5"
                sweep["levels"] = levels
            }, "sweep.levels[3].model 'gpt5' is not a model of manifest.models; write the file again with `biasaudit run --sweep`"),
            // Review of the integrate branch: the sweep's parameters, settings, base and rows must agree, or the
            // header and the sweep section describe settings that were not audited.
            // Review: the sweep's own settings were not range-checked ("Temperature: −3, 1 (swept …)").
            ("sweep-temperature", withSweep(json) { sweep in
                var settings = sweep["settings"] as! [[String: Any]]
                settings[1]["temperature"] = -3.0
                sweep["settings"] = settings
            }, "sweep.settings[1].temperature is -3.0; a temperature is 0 or more"),
            ("sweep-value", withSweep(json) { $0["parameters"] = [["name": "top_p", "values": [0.9, 1.5]]] },
             "sweep.parameters[0].values[1] is 1.5; top-p lies between 0 and 1"),
            ("sweep-base", withSweep(json) { $0["base"] = ["temperature": 9.0, "top_k": 50, "top_p": 0.9] },
             "sweep.base (temperature 9.0, top_k 50, top_p 0.9) is not sweep.settings[0], the setting the main sections "
                + "describe; write the file again with `biasaudit run --sweep`"),
            ("sweep-parameter", withSweep(json) { $0["parameters"] = [["name": "foo", "values": [0.5, 1.0]]] },
             "sweep.parameters[0].name 'foo' is not a sampling parameter a sweep varies (temperature, top_k, top_p)"),
            ("sweep-values", withSweep(json) { $0["parameters"] = [["name": "temperature", "values": [0.5, 1.0, 2.0]]] },
             "sweep.settings holds 2 settings, but the swept values of sweep.parameters make 3 (every combination)"),
            ("sweep-row-setting", withSweep(json) { sweep in
                var levels = sweep["levels"] as! [[String: Any]]
                levels[1]["setting"] = ["temperature": 0.7, "top_k": 50, "top_p": 0.9]
                sweep["levels"] = levels
            }, "sweep.levels[1].setting (temperature 0.7, top_k 50, top_p 0.9) is not one of sweep.settings"),
            // Hostile review: a sweep row of a group its prompt set does not list.
            ("sweep-group", withSweep(json) { sweep in
                var levels = sweep["levels"] as! [[String: Any]]
                levels[2]["group"] = "nobody"
                sweep["levels"] = levels
            }, "sweep.levels[2].group 'nobody' is not a group of prompt_sets[0].groups; write the file again with "
                + "`biasaudit run --sweep`"),
            // Hostile review: a sweep row given twice was read, and the report showed the last of the two.
            ("sweep-level-twice", withSweep(json) { sweep in
                let levels = sweep["levels"] as! [[String: Any]]
                sweep["levels"] = levels + [levels[0]]
            }, "sweep.levels[8] repeats sweep.levels[0] (the same setting, model, prompt set, group and metric); write the "
                + "file again with `biasaudit run --sweep` rather than editing it"),
            ("sweep-contrast-twice", withSweep(json) { sweep in
                let contrast = (json["prompt_sets"] as! [[String: Any]])[0]["contrasts"] as! [[String: Any]]
                var row = contrast[0].filter { ["id", "model", "metric", "group_a", "group_b", "difference"].contains($0.key) }
                row["setting"] = (sweep["settings"] as! [Any])[1]
                row["prompt_set"] = (json["prompt_sets"] as! [[String: Any]])[0]["name"]!
                sweep["contrasts"] = [row, row]
            }, "sweep.contrasts[1] repeats sweep.contrasts[0] (the same setting, model, prompt set, contrast and metric); "
                + "write the file again with `biasaudit run --sweep` rather than editing it"),
        ]
        let policy = gate.appendingPathComponent("policies/pass.yaml").path
        let baseline = gate.appendingPathComponent("baseline/results.json").path
        let valid = [("plain", json), ("analysed", withAnalysis { $0["minimum_events"] = 0 }), ("labelled", editFirstSet(json, "groups", 0) { $0["labels"] = ["es": "Negro", "en": "Black"] }),
                     ("swept", withSweep(json))]
        for (name, object) in valid {
            let run = directory.appendingPathComponent("valid-\(name)")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            let file = run.appendingPathComponent("results.json")
            try text(object).write(to: file)
            for arguments in [["report", file.path, "--format", "md,html", "--out", run.appendingPathComponent("report").path],
                              ["check", file.path, "--policy", policy], ["diff", baseline, file.path]] {
                let result = try CLI.run(arguments, environment: ["GITHUB_ACTIONS": "false"])
                XCTAssertEqual(result.status, 0, "\(name), \(arguments[0]) of a valid file: \(result.stderr)")
            }
            // analyze reads a run folder's results.json before its completions (an empty file here), so it gets
            // as far as those. (Written only now: `diff` refuses an empty completions file beside results it did not
            // come from.)
            try Data().write(to: run.appendingPathComponent("completions.jsonl"))
            let analyzed = try CLI.run(["analyze", run.path, "--out", run.appendingPathComponent("analyzed").path])
            XCTAssertTrue(analyzed.stderr.contains("no completions in the file") && !analyzed.stderr.contains("bad results file"),
                          "\(name), analyze of a valid file: \(analyzed.stderr)")
        }
        for (name, object, expected) in cases {
            let run = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            let file = run.appendingPathComponent("results.json")
            try text(object).write(to: file)
            try Data().write(to: run.appendingPathComponent("completions.jsonl"))
            for arguments in [["report", file.path, "--format", "md", "--out", run.appendingPathComponent("report").path],
                              ["check", file.path, "--policy", policy], ["diff", baseline, file.path],
                              ["analyze", run.path, "--out", run.appendingPathComponent("analyzed").path]] {
                let result = try CLI.run(arguments, environment: ["GITHUB_ACTIONS": "false"])
                XCTAssertEqual(result.status, 65, "\(name), \(arguments[0]): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("\(file.path): error: bad results file: \(expected)"),
                              "\(name), \(arguments[0]): expected '\(expected)' in\n\(result.stderr)")
                XCTAssertFalse(result.stderr.contains("\u{1B}"), "an escape reached the terminal")
            }
        }
    }

    func testCompletionLinesNameTheKeyOfAnOutOfRangeOrNonFiniteValue() throws {
        let set = Fixtures.url("audit/small-set.yaml").path
        let line: [String: Any] = ["set": "small-occupations", "group": "female_dominated", "term": "nurse",
                                   "template": "The {occupation} said that", "model": "m", "sample_index": 0, "text": "hi"]
        let cases: [(String, Any, String)] = [
            ("sample_index", 1e300, "value out of range at sample_index: 1e+300 does not fit"),
            ("sample_index", 2.5, "value out of range at sample_index: 2.5 is not a whole number"),
            ("next_token_log_odds", "NaN", "next_token_log_odds is NaN; give a finite number"),
            ("next_token_log_odds", "-Infinity", "next_token_log_odds is -Infinity; give a finite number"),
            ("next_token_log_odds", 1e307, "next_token_log_odds is 1e+307; give a finite number of at most 1000000 in size"),
            ("token_count", "many", "wrong type at token_count: expected a whole number, found a string"),
            ("model", "   ", "model is empty or blank; name the model that wrote the completion"),
            ("model", "\u{AD}", "holds an unprintable character (U+00AD); name the model in visible characters"),
        ]
        for (index, (key, value, expected)) in cases.enumerated() {
            var edited = line
            edited[key] = value
            // A CRLF file of two lines: the second is the bad one.
            let text = String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self) + "\r\n"
                + String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self) + "\r\n"
            let file = directory.appendingPathComponent("c\(index).jsonl")
            try Data(text.utf8).write(to: file)
            let result = try CLI.run(["analyze", file.path, set, "--out", directory.appendingPathComponent("a\(index)").path])
            XCTAssertEqual(result.status, 65, "\(key): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("\(file.path):2: error: ") && result.stderr.contains(expected),
                          "\(key): expected '\(expected)' at line 2 in\n\(result.stderr)")
        }
    }
}
