@testable import AuditAnalysis
import AuditResults
import Foundation
import PromptSets
import TestSupport
import XCTest

/// Reading supplied completions and matching them to prompts.
final class SuppliedCompletionTests: XCTestCase {
    func testParseReadsTheDocumentedKeysAndNamesBadLines() throws {
        let text = "{\"set\":\"s\",\"template\":\"{x} is\",\"group\":\"g\",\"term\":\"t\",\"model\":\"m\",\"sample_index\":2,"
            + "\"text\":\" ok\",\"next_token_log_odds\":0.5,\"token_count\":3,\"stop_reason\":\"max_new_tokens\",\"scores\":{}}\r\n"
            + "{\"prompt_id\":\"s/1/g/t\",\"model\":\"m\",\"sample_index\":-1,\"text\":\"\"}\r\n"
        XCTAssertThrowsError(try SuppliedCompletion.parse(Data(text.utf8), path: "c.jsonl")) { error in
            XCTAssertEqual(
                error as? AuditError,
                .badInput(path: "c.jsonl:2", reason: "sample_index -1 is negative; indices count from 0"))
        }
        // Review of the integrate branch: a negative token_count was taken (and written back to completions.jsonl).
        let negative = "{\"prompt_id\":\"s/1/g/t\",\"model\":\"m\",\"sample_index\":0,\"text\":\"\",\"token_count\":-1}\n"
        XCTAssertThrowsError(try SuppliedCompletion.parse(Data(negative.utf8), path: "c.jsonl")) { error in
            XCTAssertEqual(
                error as? AuditError,
                .badInput(path: "c.jsonl:1", reason: "token_count -1 is negative; give the number of generated tokens (0 or "
                    + "more) or leave the key out when it is unknown"))
        }
        // A hostile review: indices near 2^60 and token counts near 2^62 were analysed into a results.json that its own
        // readers refuse (they hold counts and indices to 2^53); refused at the line, 2^53 itself still read.
        for (key, value, accepted) in [("sample_index", 1 << 60, false), ("token_count", 1 << 62, false),
                                       ("sample_index", 1 << 53, true), ("token_count", 1 << 53, true)] {
            let line = "{\"prompt_id\":\"s/1/g/t\",\"model\":\"m\",\"sample_index\":0,\"text\":\"\",\"token_count\":1,"
                .replacingOccurrences(of: "\"\(key)\":\(key == "sample_index" ? 0 : 1),", with: "") + "\"\(key)\":\(value)}\n"
            if accepted {
                XCTAssertNoThrow(try SuppliedCompletion.parse(Data(line.utf8), path: "c.jsonl"), line)
                continue
            }
            XCTAssertThrowsError(try SuppliedCompletion.parse(Data(line.utf8), path: "c.jsonl")) { error in
                guard case .badInput(let path, let reason)? = error as? AuditError else { return XCTFail("\(error)") }
                XCTAssertEqual(path, "c.jsonl:1")
                XCTAssertTrue(reason.hasPrefix("\(key) \(value) is above 2^53 (9007199254740992)"), reason)
            }
        }
        let first = try XCTUnwrap(SuppliedCompletion.parse(Data(text.split(separator: "\r\n")[0].utf8), path: "c.jsonl").first)
        XCTAssertEqual(
            first,
            SuppliedCompletion(
                line: 1, set: "s", template: "{x} is", group: "g", term: "t", promptId: nil, prompt: nil, model: "m",
                sampleIndex: 2, text: " ok", tokenCount: 3, stopReason: "max_new_tokens", nextTokenLogOdds: 0.5))
    }

    /// The field names of the keys are converted once for the whole file: a later line giving a field twice, in two
    /// spellings whose names earlier lines already converted, is refused at its line as on a line of its own.
    /// A hostile review: 1.2 million short lines took `analyze` to 2.8 GB, so a file within the 1 GiB size limit could
    /// need 26 GB and end in an allocation failure. More lines than the limit are refused before any is parsed, by
    /// `analyze`'s reader and by the reader of a run's completions.jsonl.
    func testMoreLinesThanTheLimitAreRefusedBeforeParsing() throws {
        let limit = JSONLines.maximumCompletionLines
        XCTAssertEqual(try SuppliedCompletion.parse(Data(repeating: 0x0A, count: limit), path: "c.jsonl").count, 0)
        for data in [Data(repeating: 0x0A, count: limit + 1), Data(repeating: 0x0A, count: limit) + Data("{}".utf8)] {
            for parse in [{ try SuppliedCompletion.parse(data, path: "c.jsonl") as Any },
                          { try RunDiffInput.parseCompletions(data, path: "c.jsonl") as Any }] {
                XCTAssertThrowsError(try parse()) { error in
                    XCTAssertTrue("\(error)".contains("the file has \(limit + 1) lines, more than the \(limit) completions one "
                        + "analysis reads"), "\(error)")
                    XCTAssertEqual((error as? AuditError)?.exitCode, 65)
                }
            }
        }
    }

    func testAFieldGivenTwiceIsRefusedOnAnyLineOfTheFile() throws {
        let line = "{\"prompt_id\":\"s/1/g/t\",\"model\":\"m\",\"sample_index\":0,\"text\":\"x\"}\n"
        let twice = "{\"prompt_id\":\"s/1/g/t\",\"model\":\"m\",\"sample_index\":1,\"sampleIndex\":2,\"text\":\"x\"}\n"
        for (text, place) in [(twice, "c.jsonl:1"), (line + line.replacingOccurrences(of: ":0", with: ":1") + twice, "c.jsonl:3")] {
            XCTAssertThrowsError(try SuppliedCompletion.parse(Data(text.utf8), path: "c.jsonl")) { error in
                guard case .badInput(let path, let reason) = error as? AuditError else { return XCTFail("\(error)") }
                XCTAssertEqual(path, place)
                XCTAssertTrue(reason.hasPrefix(#"key "sampleIndex" names the same field as "sample_index""#), reason)
            }
        }
    }

    /// `cat a.jsonl b.jsonl`, b saved with a UTF-8 byte-order mark: the mark starts a line mid-file. Read as at the
    /// file's start: every line kept and numbered as in the file, a line of only a mark blank (it was "not valid JSON
    /// at column 1 (near '\u{feff}')"), a fault on a marked line said as on any other, without "does not start with '{'".
    func testAByteOrderMarkStartingALineMidFileIsReadAsAtTheStart() throws {
        let mark = "\u{FEFF}"
        let a = "{\"prompt_id\":\"s/1/g/t\",\"model\":\"m\",\"sample_index\":0,\"text\":\"x\"}\n"
        let b = "{\"prompt_id\":\"s/1/g/t\",\"model\":\"m\",\"sample_index\":1,\"text\":\"y\"}\n"
        let plain = try SuppliedCompletion.parse(Data((a + b).utf8), path: "c.jsonl")
        let catenated = try SuppliedCompletion.parse(Data((mark + a + mark + b + mark + "\n").utf8), path: "c.jsonl")
        XCTAssertEqual(catenated, plain)
        XCTAssertEqual(catenated.map(\.line), [1, 2])
        let negative = "{\"prompt_id\":\"s/1/g/t\",\"model\":\"m\",\"sample_index\":-1,\"text\":\"z\"}\n"
        XCTAssertThrowsError(try SuppliedCompletion.parse(Data((a + mark + "\n" + mark + negative).utf8), path: "c.jsonl")) {
            XCTAssertEqual($0 as? AuditError, .badInput(path: "c.jsonl:3", reason: "sample_index -1 is negative; indices count from 0"))
        }
        XCTAssertThrowsError(try SuppliedCompletion.parse(Data((a + mark + "{\"model\": }\n").utf8), path: "c.jsonl")) {
            let text = "\($0)"
            XCTAssertTrue(text.hasPrefix("c.jsonl:2: error: not a completion line (not valid JSON at column 11 "), text)
            XCTAssertFalse(text.contains("does not start with"), text)
        }
    }

    func testMatcherResolvesByIdOrNamesAndKeepsSampleIndices() throws {
        let set = try PromptSetLoader.load(data: try Fixtures.data("analyze/two-groups.yaml"), path: "two-groups.yaml")
        let matcher = CompletionMatcher(sets: [set], path: "c.jsonl")
        let alice = try XCTUnwrap(set.prompts.first { $0.term == "Alice" })
        let dan = try XCTUnwrap(set.prompts.first { $0.term == "Dan" && $0.templateID == alice.templateID })
        let lines = [
            SuppliedCompletion(line: 1, set: nil, template: nil, group: nil, term: nil, promptId: alice.id, prompt: nil,
                               model: "m", sampleIndex: 0, text: "a"),
            SuppliedCompletion(line: 2, set: "two-groups", template: dan.template, group: "group_b", term: "Dan",
                               promptId: nil, prompt: dan.text, model: "m", sampleIndex: 1, text: "b"),
        ]
        let neutral = try AuditJSON.decoder().decode(CompletionScores.self, from: Data("""
            {"compound": 0, "negative": 0, "neutral": 1, "positive": 0, "sentiment_label": "neutral", "male_pronouns": 0,
             "female_pronouns": 0, "neutral_pronouns": 0, "male_terms": 0, "female_terms": 0, "gender_label": "none"}
            """.utf8))
        let matches = try matcher.match(lines)
        let records = matcher.records(matches, pairedStreams: true) { _ in neutral }
        XCTAssertEqual(records.map(\.promptId), [alice.id, dan.id])
        XCTAssertEqual(Set(records.map(\.templateId)), [alice.templateID], "paired: one stream key per template")
        // Different indices are kept (each record its own; the statistics key streams by them, not by position).
        XCTAssertEqual(records.map(\.sampleIndex), [0, 1])
        let unpaired = matcher.records(matches, pairedStreams: false) { _ in neutral }
        XCTAssertEqual(Set(unpaired.map(\.templateId)).count, 2, "unpaired: one stream key per template, group and model")

        var contradicting = lines[1]
        contradicting.prompt = "Dan went to the market and then"
        XCTAssertThrowsError(try matcher.match([contradicting])) { error in
            XCTAssertEqual(
                (error as? AuditError)?.description,
                "c.jsonl:2: error: prompt 'Dan went to the market and then' does not match prompt \(dan.id), whose prompt is '\(dan.text)'; "
                    + "write the prompt as the set makes it, or leave 'prompt' out (set, template, group and term name it)")
        }
        // A trailing space alone is said (a practitioner's review).
        contradicting.prompt = dan.text + " "
        XCTAssertThrowsError(try matcher.match([contradicting])) { error in
            XCTAssertTrue((error as? AuditError)?.description.hasSuffix("; they differ in white space at the ends only: write "
                + "the prompt as the set makes it, or leave 'prompt' out (set, template, group and term name it)") ?? false,
                "\(error)")
        }
    }

    /// Special tokens before a text are looked past when a line is checked for its prompt; "<|>" and other prefixes that
    /// are none are kept (a code review: "<|>" trapped on an inverted range).
    func testLeadingSpecialTokensAreLookedPast() {
        for text in [" <|endoftext|> <s>Emily got", "<bos>Emily got", "<pad><pad><bos>Emily got", "</s><s> Emily got",
                     "<｜begin▁of▁sentence｜>Emily got", "[CLS] Emily got", "<|> Emily got",
                     // Chat templates' turns with their role (a review: ChatML's hid the prompt).
                     "<|im_start|>user\nEmily got", "<bos><start_of_turn>user\nEmily got",
                     "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nEmily got", "<s>Human: Emily got",
                     // A system turn first, as Qwen2.5's and Llama 3.1's templates write by default (a code review).
                     "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nEmily got",
                     "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                        + "Today Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nEmily got"] {
            XCTAssertEqual(CompletionMatcher.withoutLeadingSpecialTokens(text), "Emily got", text)
        }
        // Not tags: kept as they are (none traps: "<|>" made an inverted range once).
        for text in ["<", "<>x", "<|", "<a b>x", "<<s>x", "<" + String(repeating: "x", count: 41) + ">x", "[]x", "[C]x",
                     "[cls]x", "[ABCDEFGHIJK]x", "[CLS", "user\nx"] {
            XCTAssertEqual(String(CompletionMatcher.withoutLeadingSpecialTokens(text)), text)
        }
        XCTAssertEqual(CompletionMatcher.withoutLeadingSpecialTokens("<|x|><a b>"), "<a b>")
        // A word after a tag that is no role, or a role not ended by a line break, ':' or a tag, is kept.
        for (text, kept) in [("<s>users\nx", "users\nx"), ("<s>user x", "user x"), ("<s>user", "user"), ("<s>Modelx", "Modelx")] {
            XCTAssertEqual(String(CompletionMatcher.withoutLeadingSpecialTokens(text)), kept, text)
        }
    }

    /// A notebook's mistakes that got weaker messages than the others (review): the slot's name for `term`,
    /// `prompt_template` for `template`, a template filled in with a term, the set's file name, a group's label (in
    /// Spanish here). Text from the file is escaped.
    func testNotebookMistakesAreNamedWithTheirFix() throws {
        let yaml = """
            name: jobs
            description: Two groups of names.
            axis: gender
            source: Test.
            templates: ["{name} got the job because", "{name} is known for"]
            groups:
              women:
                label: Women's names
                labels: {es: Nombres de mujeres}
                terms: [Emily, Anne]
              men:
                label: Men's names
                labels: {es: Nombres de hombres}
                terms: [Greg, Todd]
            """
        let set = try PromptSetLoader.load(data: Data(yaml.utf8), path: "jobs.yaml")
        let matcher = CompletionMatcher(sets: [set], path: "c.jsonl")
        func message(_ json: String) throws -> String? {
            let lines = try SuppliedCompletion.parse(Data((json + "\n").utf8), path: "c.jsonl")
            do {
                _ = try matcher.match(lines)
                return nil
            } catch let error as AuditError {
                return error.description
            }
        }
        let rest = "\"model\":\"m\",\"sample_index\":0,\"text\":\" ok\""
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"{name} got the job because\",\"group\":\"women\",\"name\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: group 'women' of 'jobs' fills templates with terms; give template and term; the line has keys "
                + "group, model, name, sample_index, set, template, text: rename 'name' to 'term'")
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"prompt_template\":\"{name} got the job because\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: group 'women' of 'jobs' fills templates with terms; give template and term; the line has keys "
                + "group, model, prompt_template, sample_index, set, term, text: rename 'prompt_template' to 'template'")
        // A key given as null (pandas writes NaN so) is said to be null, not only listed among the keys (a review).
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":null,\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: group 'women' of 'jobs' fills templates with terms; give template and term; 'template' is null "
                + "(an empty cell, NaN in pandas?); the line has keys group, model, sample_index, set, template, term, text")
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":null,\"group\":\"women\",\"term\":null,\(rest)}"),
            "c.jsonl:1: error: group 'women' of 'jobs' fills templates with terms; give template and term; 'template' and "
                + "'term' are null (empty cells, NaN in pandas?); the line has keys group, model, sample_index, set, template, "
                + "term, text")
        XCTAssertThrowsError(try SuppliedCompletion.parse(
            Data("{\"set\":null,\"template\":\"t\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}\n".utf8), path: "c.jsonl")) {
            XCTAssertEqual("\($0)", "c.jsonl:1: error: the line names no prompt: give set, group, template and term (or "
                + "prompt_id); 'set' is null (an empty cell, NaN in pandas?); the line has keys group, model, sample_index, "
                + "set, template, term, text")
        }
        // A slot of another name is the likely key too (a final review: only 'name' was told to be renamed).
        let jobs = try PromptSetLoader.load(data: Data("""
            name: trades
            description: d
            axis: gender
            source: s
            templates: ["The {job} said that", "The {job} was"]
            groups:
              a:
                terms: [nurse, maid, nanny]
              b:
                terms: [welder, mason, roofer]
            """.utf8), path: "trades.yaml")
        let lines = try SuppliedCompletion.parse(Data(("{\"set\":\"trades\",\"template\":\"The {job} was\",\"group\":\"a\","
            + "\"job\":\"nurse\",\(rest)}\n").utf8), path: "c.jsonl")
        XCTAssertThrowsError(try CompletionMatcher(sets: [jobs], path: "c.jsonl").match(lines)) {
            XCTAssertEqual("\($0)", "c.jsonl:1: error: group 'a' of 'trades' fills templates with terms; give template and term; "
                + "the line has keys group, job, model, sample_index, set, template, text: rename 'job' to 'term'")
        }
        // Another of the group's terms than the line's, and a template of the other group's prompts.
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"Anne got the job because\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: template 'Anne got the job because' is already filled in with the term 'Anne'; give the "
                + "template as the set writes it, with its slot: '{name} got the job because'")
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"Todd is known for\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: template 'Todd is known for' is already filled in with the term 'Todd'; give the template as "
                + "the set writes it, with its slot: '{name} is known for'")
        // Not a filled template: the message it had, escaped.
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"Emily\\u001b[2J got\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: template 'Emily\\u{1b}[2J got' is not one of the 2 templates of 'jobs'; its templates: "
                + "'{name} got the job because', '{name} is known for'")
        // Near misses are told what to write (a practitioner's review: a trailing space, "...", "{{name}}", a letter's
        // case; a set's name with '_'; a term's case; a term of another group).
        for written in ["{name} got the job because ", "{name} got the job because...", "{{name}} got the job because",
                        "{NAME} Got the job because", "{nombre} got the job because"] {
            XCTAssertEqual(
                try message("{\"set\":\"jobs\",\"template\":\"\(written)\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
                "c.jsonl:1: error: template '\(written)' is not one of the 2 templates of 'jobs'; templates are written "
                    + "exactly (white space, letter case, punctuation, the slot's name): write '{name} got the job because'")
        }
        XCTAssertEqual(
            try message("{\"set\":\"Jobs \",\"template\":\"{name} is known for\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: no prompt set named 'Jobs ': set names are written exactly, write 'jobs'")
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"{name} is known for\",\"group\":\"women\",\"term\":\"emily\",\(rest)}"),
            "c.jsonl:1: error: term 'emily' is not a term of group 'women' in 'jobs' (terms: Emily, Anne); terms are written "
                + "exactly: write 'Emily'")
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"{name} is known for\",\"group\":\"women\",\"term\":\"Greg\",\(rest)}"),
            "c.jsonl:1: error: term 'Greg' is not a term of group 'women' in 'jobs' (terms: Emily, Anne); it is a term of "
                + "group 'men'")
        // Both slips at once (a code review: no advice).
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"{name} is known for\",\"group\":\"women\",\"term\":\"greg\",\(rest)}"),
            "c.jsonl:1: error: term 'greg' is not a term of group 'women' in 'jobs' (terms: Emily, Anne); it is a term of "
                + "group 'men', written 'Greg'")
        XCTAssertEqual(
            try message("{\"set\":\"../PromptSets/jobs.YML\",\"template\":\"{name} is known for\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: no prompt set named '../PromptSets/jobs.YML': write the set's name 'jobs', not its file name")
        // The file's stem in another letter case (a code review: `Jobs.yaml` got no hint).
        XCTAssertEqual(
            try message("{\"set\":\"Jobs.yaml\",\"template\":\"{name} is known for\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: no prompt set named 'Jobs.yaml': write the set's name 'jobs', not its file name")
        XCTAssertEqual(
            try message("{\"set\":\"jobs.json\",\"template\":\"{name} is known for\",\"group\":\"women\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: no prompt set named 'jobs.json' (prompt sets: jobs); give its YAML file as PROMPTSET, or "
                + "correct the line's 'set'")
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"{name} is known for\",\"group\":\"Nombres de hombres\",\"term\":\"Greg\",\(rest)}"),
            "c.jsonl:1: error: unknown group 'Nombres de hombres' in prompt set 'jobs' (groups: women, men); that is the "
                + "label of group 'men'; write its id")
        XCTAssertEqual(
            try message("{\"set\":\"jobs\",\"template\":\"{name} is known for\",\"group\":\"Women's names\",\"term\":\"Emily\",\(rest)}"),
            "c.jsonl:1: error: unknown group 'Women's names' in prompt set 'jobs' (groups: women, men); that is the label "
                + "of group 'women'; write its id")
    }

    /// Extra lines are told apart from gaps by the indices most of a model's prompts of the set have (a code review:
    /// one model's extra lines were counted as the other prompts' missing lines, a gap in most of one template's
    /// prompts was called "no gap", and an extra-lines pair was the gap note's example).
    func testExtraLinesAreToldApartFromGapsPerModel() throws {
        let set = try PromptSetLoader.load(data: try Fixtures.data("analyze/two-groups.yaml"), path: "two-groups.yaml")
        func notes(_ samples: (_ model: String, _ prompt: Prompt) -> Range<Int>) throws -> String {
            var lines: [SuppliedCompletion] = []
            for model in ["m1", "m2"] {
                for prompt in set.prompts {
                    for sample in samples(model, prompt) {
                        lines.append(SuppliedCompletion(line: lines.count + 1, set: nil, template: nil, group: nil, term: nil,
                                                        promptId: prompt.id, prompt: nil, model: model, sampleIndex: sample,
                                                        text: "x"))
                    }
                }
            }
            let matches = try CompletionMatcher(sets: [set], path: "c.jsonl").match(lines)
            return CompletionMatcher.differentIndicesNotes(matches, sets: [set]).english.joined(separator: "\n")
        }
        // m1: Alice of template 1 sampled 6 times, the rest 4; m2: Fred of template 2 with 3. Two notes: m1's extra lines
        // and m2's one gap, counted against the indices most prompts have.
        let mixed = try notes { model, prompt in
            model == "m1" && prompt.term == "Alice" && prompt.templateIndex == 0 ? 0..<6
                : model == "m2" && prompt.term == "Fred" && prompt.templateIndex == 1 ? 0..<3 : 0..<4
        }
        for text in ["some prompts of 1 template have more samples than the others (first under model 'm1': prompt 'Alice' "
                        + "of group 'Group A' in template 1 of two-groups has 0–5, prompt 'Beth' of group 'Group A' in "
                        + "template 1 of two-groups 0–3), and no prompt of it with completions lacks",
                     "the prompts of 1 template do not all have the same sample indices (first under model 'm2': prompt "
                        + "'Alice' of group 'Group A' in template 2 of two-groups has 0–3, prompt 'Fred' of group 'Group B' in "
                        + "template 2 of two-groups 0–2; missing lines (of the indices their template has), by model and "
                        + "group: 'm2' 'Group A' 0 of 24, 'Group B' 1 of 24)"] {
            XCTAssertTrue(mixed.contains(text), "'\(text)' in \(mixed)")
        }
        XCTAssertFalse(mixed.contains("'m1' 'Group"), mixed)
        // Most of template 1's prompts lack sample 3, which the model's other prompts have: a gap, not extra lines.
        let mostLack = try notes { _, prompt in
            prompt.templateIndex == 0 && (prompt.group == "group_a" || prompt.term == "Dan") ? 0..<3 : 0..<4
        }
        XCTAssertTrue(mostLack.contains("by model and group: 'm1' 'Group A' 3 of 24, 'Group B' 1 of 24; 'm2' 'Group A' 3 of "
                                        + "24, 'Group B' 1 of 24)"), mostLack)
        XCTAssertFalse(mostLack.contains("more samples than the others"), mostLack)
        // Two prompts of different groups with the same extra lines: still extra lines.
        let sharedExtra = try notes { _, prompt in
            prompt.templateIndex == 0 && (prompt.term == "Alice" || prompt.term == "Dan") ? 0..<6 : 0..<4
        }
        XCTAssertTrue(sharedExtra.hasPrefix("some prompts of 1 template have more samples than the others"), sharedExtra)
        XCTAssertFalse(sharedExtra.contains("missing lines"), sharedExtra)
        // A template sampled 6 times where the other has 4, one prompt of it lacking sample 5: a gap, counted against
        // the indices most of that template's prompts have (a second review: it was called extra samples).
        let longerTemplate = try notes { _, prompt in
            prompt.templateIndex == 0 ? (prompt.term == "Fred" ? 0..<5 : 0..<6) : 0..<4
        }
        XCTAssertTrue(longerTemplate.contains("by model and group: 'm1' 'Group A' 0 of 30, 'Group B' 1 of 30; 'm2' 'Group A' "
                                              + "0 of 30, 'Group B' 1 of 30)"), longerTemplate)
        XCTAssertFalse(longerTemplate.contains("more samples than the others"), longerTemplate)
        // No prompt with every index: the note shows two different prompts (a second review saw one prompt twice).
        let split = try notes { _, prompt in
            prompt.templateIndex == 0 ? (prompt.group == "group_a" ? 0..<2 : 2..<4) : 0..<4
        }
        XCTAssertTrue(split.contains("prompt 'Dan' of group 'Group B' in template 1 of two-groups has 2–3, prompt 'Alice' of "
                                     + "group 'Group A' in template 1 of two-groups 0–1;"), split)
    }

    /// The coverage notes name groups by their label in the notes' language (a review: the note on different sample
    /// indices used ids). Two groups that read alike in a language keep their ids beside the label there, in both notes
    /// (`lint` refuses such a set, but a run's results.json edited by hand can hold one): here the Spanish labels alike,
    /// the English ones apart.
    func testTheNotesNameGroupsByLabelAndKeepIDsWhereLabelsAreAlike() throws {
        var set = try PromptSetLoader.load(data: try Fixtures.data("analyze/two-groups.yaml"), path: "two-groups.yaml")
        XCTAssertEqual(set.groups.map(\.id), ["group_a", "group_b"])
        set.groups[0].labels = ["es": "Grupo"]
        set.groups[1].labels = ["es": "Grupo"]
        // Every prompt with samples 0–3, but Alice's sample 1 of template 1 and group_b's prompts of template 2.
        var lines: [SuppliedCompletion] = []
        for prompt in set.prompts where !(prompt.group == "group_b" && prompt.templateIndex == 1) {
            for sample in 0..<4 where !(prompt.term == "Alice" && prompt.templateIndex == 0 && sample == 1) {
                lines.append(SuppliedCompletion(line: lines.count + 1, set: nil, template: nil, group: nil, term: nil,
                                                promptId: prompt.id, prompt: nil, model: "m", sampleIndex: sample, text: "x"))
            }
        }
        let matches = try CompletionMatcher(sets: [set], path: "c.jsonl").match(lines)
        let indices = CompletionMatcher.differentIndicesNotes(matches, sets: [set])
        XCTAssertEqual(indices.english.count, 1, "\(indices.english)")
        XCTAssertEqual(indices.spanish.count, 1, "\(indices.spanish)")
        let english = indices.english.first ?? ""
        let spanish = indices.spanish.first ?? ""
        for text in ["prompt 'Alice' of group 'Group A' in template 1 of two-groups 0, 2, 3;",
                     "by model and group: 'm' 'Group A' 1 of 24, 'Group B' 0 of 12)"] {
            XCTAssertTrue(english.contains(text), "'\(text)' in \(english)")
        }
        for text in ["el prompt 'Alice' del grupo 'Grupo' (group_a) en la plantilla 1 de two-groups 0, 2, 3;",
                     "por modelo y grupo: 'm' 'Grupo' (group_a) 1 de 24, 'Grupo' (group_b) 0 de 12)"] {
            XCTAssertTrue(spanish.contains(text), "'\(text)' in \(spanish)")
        }
        // The note on missing completions names them alike (one helper).
        XCTAssertEqual(CompletionMatcher.coverageNotes(matches, sets: [set]).first,
                       "'two-groups' under model 'm': completions for 9 of its 12 prompts (none for group 'Group B' in "
                        + "template 2); its levels and contrasts rest on those only")
        XCTAssertEqual(CompletionMatcher.coverageNotes(matches, sets: [set], spanish: true).first,
                       "'two-groups' con el modelo 'm': continuaciones para 9 de sus 12 prompts (ninguna para: el grupo "
                        + "'Grupo' (group_b) en la plantilla 2); sus niveles y contrastes se basan solo en ellas")
    }

    /// A hostile review: a group given by its label in other letter case got no hint. Exact labels (English or Spanish)
    /// first, then an id written otherwise (letter case, `-`, `_`, spaces), then a label so; anything else gets none.
    func testAGroupInOtherLetterCaseIsToldItsID() {
        let groups = [
            PromptGroup(id: "female_dominated", label: "female-dominated", labels: ["es": "Dominadas por mujeres"],
                        terms: [PromptTerm(term: "nurse")], prompts: nil),
            PromptGroup(id: "male_dominated", label: "male-dominated", terms: [PromptTerm(term: "builder")], prompts: nil),
        ]
        let cases: [(given: String, hint: String?)] = [
            ("female-dominated", "that is the label of group 'female_dominated'; write its id"),
            // Letter case, `-`, `_` and spaces do not count (a review: "Female-dominated" got no hint).
            ("Female-dominated", "group ids are written exactly: write 'female_dominated'"),
            ("female dominated", "group ids are written exactly: write 'female_dominated'"),
            (" female_dominated ", "group ids are written exactly: write 'female_dominated'"),
            ("DOMINADAS POR MUJERES", "that is the label of group 'female_dominated' written otherwise; write its id"),
            ("dominadas_por_mujeres", "that is the label of group 'female_dominated' written otherwise; write its id"),
            ("Male_Dominated", "group ids are written exactly: write 'male_dominated'"),
            ("female-dominated jobs", nil),
            ("women", nil),
        ]
        for (given, hint) in cases {
            XCTAssertEqual(CompletionMatcher.groupHint(given, groups: groups), hint, given)
        }
    }

    /// Review 86 follow-up: a set rebuilt from a run's lines (`analyze RUN_DIR`) holds only the prompts with a
    /// completion; counted against the run's groups (``CompletionMatcher/PromptLayout/init(recorded:rebuilt:)``) it has
    /// the layout of the set's file, groups of terms and of fixed prompts alike, and the coverage notes of the rebuilt
    /// set are those of the file's set, whichever prompts the completions cover.
    func testTheRecordedLayoutIsTheSetsAndGivesItsCoverageNotes() throws {
        let yaml = """
            name: mixed
            description: test
            axis: test
            source: test
            templates: ["The {x} said", "The {x} went"]
            groups:
              a:
                terms: [Ann, Bea, Cat]
              b:
                terms: [Dan, Ed]
              c:
                prompts: ["Someone said", "Someone went"]
            metrics: [sentiment]
            """
        let set = try PromptSetLoader.load(data: Data(yaml.utf8), path: "mixed.yaml")
        let recorded = PromptSetResult(
            name: set.name, axis: set.axis, description: set.description, source: set.source, templates: set.templates,
            groups: AuditAnalysis.groupInfo(set), metrics: [.sentiment], groupEstimates: [], contrasts: [], examples: [])
        XCTAssertEqual(set.prompts.count, 12)
        let byID = Dictionary(uniqueKeysWithValues: set.prompts.map { ($0.id, $0) })
        // Which prompts each model has: (model, prompt filter).
        let coverings: [(name: String, models: [(String, (Prompt) -> Bool)])] = [
            ("all", [("m", { _ in true })]),
            ("one template of a", [("m", { $0.group == "a" && $0.templateIndex == 0 })]),
            ("no c", [("m", { $0.group != "c" })]),
            ("only c", [("m", { $0.group == "c" })]),
            ("b's template 2 missing", [("m", { !($0.group == "b" && $0.templateIndex == 1) })]),
            ("two models", [("m", { $0.group == "a" }), ("n", { $0.group == "c" || $0.term == "Dan" })]),
        ]
        for (name, models) in coverings {
            var lines: [SuppliedCompletion] = []
            for (model, covers) in models {
                for prompt in set.prompts where covers(prompt) {
                    lines.append(SuppliedCompletion(line: lines.count + 1, set: nil, template: nil, group: nil, term: nil,
                                                    promptId: prompt.id, prompt: nil, model: model, sampleIndex: 0, text: "x"))
                }
            }
            var rebuilt = set
            let covered = Set(lines.compactMap(\.promptId))
            rebuilt.prompts = set.prompts.filter { covered.contains($0.id) }
            // The rebuilt groups: terms where a line gives a term, else the fixed prompts (as a run's rebuilt set has them).
            XCTAssertTrue(covered.allSatisfy { byID[$0] != nil })
            let layout = CompletionMatcher.PromptLayout(recorded: recorded, rebuilt: rebuilt)
            XCTAssertEqual(layout, CompletionMatcher.PromptLayout(set), name)
            let full = try CompletionMatcher(sets: [set], path: "c.jsonl").match(lines)
            let partial = try CompletionMatcher(sets: [rebuilt], path: "c.jsonl").match(lines)
            for spanish in [false, true] {
                let expected = CompletionMatcher.coverageNotes(full, sets: [set], spanish: spanish)
                XCTAssertEqual(
                    CompletionMatcher.coverageNotes(partial, sets: [rebuilt], layouts: [set.name: layout], spanish: spanish),
                    expected, name)
                XCTAssertEqual(expected.isEmpty, name == "all", "\(name): \(expected)")
                // Counted against the rebuilt set's own prompts, the notes said less (what `analyze RUN_DIR` wrote).
                if name != "all" {
                    XCTAssertNotEqual(CompletionMatcher.coverageNotes(partial, sets: [rebuilt], spanish: spanish), expected, name)
                }
            }
        }
    }

}
