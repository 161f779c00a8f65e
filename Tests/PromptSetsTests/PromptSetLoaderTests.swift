import Foundation
@testable import PromptSets
import XCTest

final class PromptSetLoaderTests: XCTestCase {
    private let twoTemplates = """
        name: demo
        description: A small set.
        axis: gender
        source: Made up for the tests.
        templates:
          - "The {person} said that"
          - "{person} is known for"
        groups:
          women:
            label: Women
            terms: [woman, {term: nurse, women_share: 0.87}]
          men:
            terms: [man, {term: carpenter, women_share: 0.03}]
        defaults: {samples: 4, max_new_tokens: 12}
        metrics: [gender]
        """

    private func load(_ yaml: String, path: String = "demo.yaml") throws -> PromptSet {
        try PromptSetLoader.load(data: Data(yaml.utf8), path: path)
    }

    func testExpandsEveryTemplateTermPairInTemplateGroupTermOrder() throws {
        let set = try load(twoTemplates)
        XCTAssertEqual(set.prompts.map(\.text), [
            "The woman said that", "The nurse said that", "The man said that", "The carpenter said that",
            "woman is known for", "nurse is known for", "man is known for", "carpenter is known for",
        ])
        XCTAssertEqual(set.prompts.map(\.group), ["women", "women", "men", "men", "women", "women", "men", "men"])
        XCTAssertEqual(set.prompts.map(\.templateIndex), [0, 0, 0, 0, 1, 1, 1, 1])
        XCTAssertEqual(set.prompts[1].womenShare, 0.87)
        XCTAssertNil(set.prompts[0].womenShare)
        XCTAssertEqual(set.groups.map(\.label), ["Women", "men"])
        XCTAssertEqual(set.defaults, PromptSetDefaults(samples: 4, maxNewTokens: 12))
        XCTAssertEqual(set.metrics, [.gender])
        XCTAssertEqual(set.templates, ["The {person} said that", "{person} is known for"])
    }

    func testIDsFollowTheDocumentedScheme() throws {
        let set = try load(twoTemplates)
        // 4f99027a is FNV-1a-64 of "The {person} said that" folded to 32 bits, computed independently.
        XCTAssertEqual(set.prompts[0].templateID, "demo/4f99027a")
        XCTAssertEqual(set.prompts[0].id, "demo/4f99027a/women/woman")
        XCTAssertEqual(set.prompts[4].id, "demo/0a1570cc/women/woman")
        XCTAssertEqual(PromptSetIdentifiers.slug("Orthodox Jewish"), "orthodox-jewish")
        XCTAssertEqual(PromptSetIdentifiers.slug(" well--to-do! "), "well-to-do")
    }

    func testCounterfactualPromptsShareTheirTemplateID() throws {
        let set = try load(twoTemplates)
        let byTemplate = Dictionary(grouping: set.prompts, by: \.templateIndex)
        XCTAssertEqual(Set(byTemplate[0]!.map(\.templateID)).count, 1)
        XCTAssertEqual(Set(byTemplate[1]!.map(\.templateID)).count, 1)
        XCTAssertNotEqual(byTemplate[0]![0].templateID, byTemplate[1]![0].templateID)
        XCTAssertEqual(Set(set.prompts.map(\.id)).count, set.prompts.count, "prompt ids must be unique")
    }

    func testIDsDoNotDependOnTheOrderOfOtherEntries() throws {
        let reordered = """
            name: demo
            description: Same prompts, other order, one more template and term.
            axis: gender
            source: Made up for the tests.
            templates:
              - "{person} was hired because"
              - "{person} is known for"
              - "The {person} said that"
            groups:
              men:
                terms: [{term: carpenter, women_share: 0.03}, man, boy]
              women:
                terms: [{term: nurse, women_share: 0.87}, woman, girl]
            """
        let original = try load(twoTemplates)
        let moved = Dictionary(uniqueKeysWithValues: try load(reordered).prompts.map { ($0.text, $0) })
        for prompt in original.prompts {
            let other = try XCTUnwrap(moved[prompt.text], "missing \(prompt.text)")
            XCTAssertEqual(other.id, prompt.id, prompt.text)
            XCTAssertEqual(other.templateID, prompt.templateID, prompt.text)
        }
    }

    func testFixedPromptsGetTheirOwnTemplateIDsAndShareTheSetsStreamKey() throws {
        let set = try load("""
            name: fixed
            description: Fixed prompts.
            axis: occupation-gender
            source: Made up for the tests.
            groups:
              care:
                prompts: ["The nurse said hello", "The nanny said hello"]
              trades:
                prompts: ["The plumber said hello", "The welder said hello"]
            """)
        XCTAssertEqual(set.prompts.count, 4)
        XCTAssertEqual(set.prompts[0].id, "fixed/b1dc1a4b/care")
        XCTAssertEqual(set.prompts[0].templateID, "fixed/b1dc1a4b")
        XCTAssertNil(set.prompts[0].template)
        XCTAssertNil(set.prompts[0].term)
        XCTAssertEqual(set.groups[0].prompts?.count, 2)
        XCTAssertNil(set.groups[0].terms)
        XCTAssertEqual(Set(set.prompts.map(\.templateID)).count, 4, "one template id per fixed prompt")
        XCTAssertEqual(Set(set.prompts.map(RandomStreams.key(for:))), ["fixed/fixed-prompts"], "one stream key per set")
    }

    func testMalformedYAMLFailsWithLineAndColumn() {
        let yaml = "name: demo\ngroups:\n  women: [a, b\n  men: [c]\n"
        XCTAssertThrowsError(try load(yaml, path: "bad.yaml")) { error in
            guard case .syntax(let diagnostic) = error as? PromptSetError else {
                return XCTFail("expected a syntax error, got \(error)")
            }
            XCTAssertEqual([diagnostic.line, diagnostic.column], [4, 6], "\(diagnostic)")
            XCTAssertEqual(String(describing: error), "bad.yaml:4:6: error: invalid YAML: did not find expected "
                + "',' or ']' (while parsing a flow sequence at line 3, column 10)")
        }
    }

    /// The repeat of a key is the next line with the key at the first's column outside a quoted scalar or a flow
    /// collection (reviews: a `name: x"` continuing a quoted description, and `women: x` inside a flow list, were taken
    /// for it; `women:x` is not a key). Where no line qualifies the first's place is kept.
    func testTheRepeatOfAKeyIsFoundOutsideQuotesAndFlowCollections() {
        func repeated(_ lines: [String], _ key: String = "name") -> Int {
            YAMLProblems.duplicateKeys([key], in: lines.joined(separator: "\n"), line: 1, column: 1).line
        }
        XCTAssertEqual(repeated(["name: s", "description: \"a long", "name: not a key\"", "axis: x", "name: t"]), 5)
        XCTAssertEqual(repeated(["name: s", "description: 'it''s", "name: not a key'", "name: t"]), 4)
        XCTAssertEqual(repeated(["name: s", "terms: [carpenter,", "name: x]", "name: t"]), 4)
        XCTAssertEqual(repeated(["name: s", "description: {a: 1,", "  b: [2, {c: 3}],", "name: x}", "name: t"]), 5)
        // After an anchor or a tag, in a block scalar, a quote inside a plain scalar after " - " (a second review).
        XCTAssertEqual(repeated(["name: s", "label: &l \"Female", "name: dominated\"", "name: t"]), 4)
        XCTAssertEqual(repeated(["name: s", "label: !!str \"a note", "name: spanning\"", "name: t"]), 4)
        XCTAssertEqual(repeated(["name: s", "terms: &t [nurse,", "name: x]", "name: t"]), 4)
        XCTAssertEqual(repeated(["name: s", "notes: |", "  'Tis the group", "name: t", "other: [a, \"b's\"]"]), 4)
        XCTAssertEqual(repeated(["name: s", "label: Female - \"pink", "name: t", "other: \"x\""]), 3)
        XCTAssertEqual(repeated(["name: s", "a:", "  name: inner", "name: t"]), 4, "not the key of a nested mapping")
        XCTAssertEqual(repeated(["name: s\r", "description: \"a\r", "name: b\"\r", "name: t\r"]), 4, "CRLF")
        // A third: the second is placed.
        XCTAssertEqual(repeated(["name: s", "name: t", "name: u"]), 2)
        XCTAssertEqual(YAMLProblems.duplicateKeys(["name"], in: "{name: 1, name: 2}", line: 1, column: 2).column, 11,
                       "a flow mapping: the repeat's own column")
        XCTAssertEqual(repeated(["name: s", "description: it's fine, \"really", "name: t"]), 3, "quotes inside a plain scalar")
        XCTAssertEqual(repeated(["name: s", "description: \"a \\\" quote\" # and a \"comment", "name: t"]), 3)
        XCTAssertEqual(repeated(["name: s", "name:", "  - x"]), 2, "a key with nothing after its colon")
        // A quote that never closes: no line qualifies, the first's place stays.
        XCTAssertEqual(repeated(["name: s", "description: \"open", "name: t"]), 1)
    }

    func testDuplicateKeysAreSyntaxErrors() {
        let yaml = twoTemplates.replacingOccurrences(of: "axis: gender", with: "axis: gender\nname: again")
        XCTAssertThrowsError(try load(yaml)) { error in
            XCTAssertEqual(String(describing: error),
                           "demo.yaml:4:1: error: key 'name' appears again in this mapping (first at line 1); keep one")
        }
        // A group id given twice (a teacher's review: "first here" at the first, line 9, and not the repeat's line 12),
        // past comments, blank lines and the deeper lines of the first group; not a key of a nested mapping.
        let group = twoTemplates.replacingOccurrences(
            of: "  men:\n", with: "  # more\n\n  women:\n    terms: [girl]\n  men:\n")
        XCTAssertThrowsError(try load(group)) { error in
            XCTAssertEqual(String(describing: error),
                           "demo.yaml:14:3: error: key 'women' appears again in this mapping (first at line 9); keep one")
        }
    }

    func testLoadingStopsAtTheFirstErrorInFileOrder() {
        let yaml = twoTemplates
            .replacingOccurrences(of: "\"The {person} said that\"", with: "\"The {person} said that \"")
            .replacingOccurrences(of: "[gender]", with: "[gender, regard]")
        XCTAssertThrowsError(try load(yaml)) { error in
            guard case .invalid = error as? PromptSetError else { return XCTFail("expected .invalid, got \(error)") }
            XCTAssertEqual(String(describing: error), "demo.yaml:6:5: error: template 'The {person} said that ' "
                + "ends with a space: GPT-2 tokenizes trailing white space (a space, a tab) as a token of its own, "
                + "which silently changes the completions; remove it")
        }
    }

    /// A hostile review: a term `"woman "` loaded, and `run` would have audited 'The woman  said that'. `run` and
    /// `analyze` refuse it as `lint` does (exit 65), at the term, also as the mapping form's `term:`.
    func testATermWithASpaceAtAnEndIsRefused() {
        let terms = "[woman, {term: nurse, women_share: 0.87}]"
        for (written, column) in [("[\"woman \", nurse]", 13), ("[woman, {term: \"nurse \", women_share: 0.87}]", 20)] {
            XCTAssertThrowsError(try load(twoTemplates.replacingOccurrences(of: terms, with: written))) { error in
                guard case .invalid(let diagnostic) = error as? PromptSetError else { return XCTFail("expected .invalid, got \(error)") }
                XCTAssertEqual([diagnostic.line, diagnostic.column], [11, column], "\(error)")
                XCTAssertTrue("\(error)".hasSuffix("; remove the space"), "\(error)")
            }
        }
    }

    func testWarningsDoNotStopLoading() throws {
        let set = try load(twoTemplates.replacingOccurrences(of: "axis: gender", with: "axis: height"))
        XCTAssertEqual(set.axis, "height")
    }

    func testPromptSetRoundTripsThroughJSON() throws {
        let set = try load(twoTemplates)
        let data = try JSONEncoder().encode(set)
        XCTAssertEqual(try JSONDecoder().decode(PromptSet.self, from: data), set)
        let json = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(json.contains("\"women_share\":0.87"), json)
        XCTAssertTrue(json.contains("\"max_new_tokens\":12"), json)
    }
}
