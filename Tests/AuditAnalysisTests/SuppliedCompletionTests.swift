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
        let first = try XCTUnwrap(SuppliedCompletion.parse(Data(text.split(separator: "\r\n")[0].utf8), path: "c.jsonl").first)
        XCTAssertEqual(
            first,
            SuppliedCompletion(
                line: 1, set: "s", template: "{x} is", group: "g", term: "t", promptId: nil, prompt: nil, model: "m",
                sampleIndex: 2, text: " ok", tokenCount: 3, stopReason: "max_new_tokens", nextTokenLogOdds: 0.5))
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
                "c.jsonl:2: error: prompt 'Dan went to the market and then' does not match prompt \(dan.id), whose prompt is '\(dan.text)'")
        }
    }
}
