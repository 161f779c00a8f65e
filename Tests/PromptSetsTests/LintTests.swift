import Foundation
import InputFiles
@testable import PromptSets
import XCTest

/// One test per lint rule, each with the exact diagnostic expected.
final class LintTests: XCTestCase {
    /// A clean two-group set; tests replace parts of it. Line numbers: templates at 6–7, groups at 9.
    private let clean = """
        name: demo
        description: A small set.
        axis: gender
        source: Made up for the tests.
        templates:
          - "The {person} said that"
          - "The {person} walked in and"
        groups:
          women:
            terms: [woman, mother, sister]
          men:
            terms: [man, father, brother]
        """

    /// Counts words, so that tests other than the token-length one do not depend on the vocabulary.
    private let wordLinter = Linter(tokenCount: { $0.split(separator: " ").count })

    /// The linter with the bundled GPT-2 vocabulary, built once (loading the vocabulary takes a moment).
    private static let gpt2Linter = Result { try Linter() }

    private func lint(_ yaml: String, with linter: Linter? = nil) -> [String] {
        (linter ?? wordLinter).lint(data: Data(yaml.utf8), path: "demo.yaml").map(\.description)
    }

    private func edited(_ replacements: [(String, String)]) -> String {
        replacements.reduce(clean) { text, pair in
            precondition(text.contains(pair.0), "fixture text '\(pair.0)' not found")
            return text.replacingOccurrences(of: pair.0, with: pair.1)
        }
    }

    func testCleanSetHasNoFindings() throws {
        XCTAssertEqual(lint(clean), [])
        XCTAssertEqual(lint(clean, with: try Self.gpt2Linter.get()), [])
    }

    func testSyntax() {
        XCTAssertEqual(lint("name: demo\n  axis: gender\n"), [
            "demo.yaml:2:7: error: invalid YAML: mapping values are not allowed in this context",
        ])
        // A tab in the indentation is named, as in a policy (a review: "found character that cannot start any token").
        XCTAssertEqual(lint("name: demo\ngroups:\n\t- id: a\n"), [
            "demo.yaml:3:1: error: invalid YAML: line 3 begins with a tab; YAML indents with spaces",
        ])
    }

    /// The tab's place in the indentation, and only a problem a tab causes on such a line.
    func testTabsInTheIndentationAreNamed() {
        XCTAssertEqual(YAMLTabs.indentationProblem(in: "a:\n\t- b\n", line: 2, problem: "found character that cannot start any token"),
                       "line 2 begins with a tab; YAML indents with spaces")
        XCTAssertEqual(YAMLTabs.indentationProblem(in: "a:\n  \tb: 1\n", line: 2, problem: "found a tab character that violates indentation"),
                       "line 2 is indented with a tab after spaces; YAML indents with spaces only")
        XCTAssertNil(YAMLTabs.indentationProblem(in: "a:\n  b:\t1\n", line: 2, problem: "found character that cannot start any token"))
        XCTAssertNil(YAMLTabs.indentationProblem(in: "a: [\n\tb, c\n", line: 2, problem: "did not find expected ',' or ']'"))
        XCTAssertNil(YAMLTabs.indentationProblem(in: "a:\n", line: 5, problem: "found character that cannot start any token"))
    }

    func testSchemaMissingAndUnknownKeysAndWrongKinds() {
        let yaml = edited([
            ("source: Made up for the tests.\n", "sauce: tomato\n"),
            ("terms: [man, father, brother]", "terms: [man, {term: father, women_share: 40}, brother, uncle]"),
        ])
        XCTAssertEqual(lint(yaml), [
            "demo.yaml:1:1: error: missing required key 'source'; say where the terms come from (paper, survey, "
                + "table)",
            "demo.yaml:4:1: error: unknown key 'sauce' in a prompt set; expected one of: name, description, "
                + "descriptions, axis, source, sources, language, templates, groups, defaults, metrics, primary_metrics, lint",
            "demo.yaml:12:46: error: 'women_share' must be a fraction between 0 and 1 (e.g. 0.87 for 87 %), "
                + "found '40'",
        ])
        // A term with a bad share is kept (the share left out), so a group of such terms is not also said to have none
        // or too few (a hostile review).
        let allBad = edited([("terms: [man, father, brother]",
                              "terms: [{term: man, women_share: 2}, {term: father, women_share: -1}, brother]")])
        XCTAssertEqual(lint(allBad).count, 2, "\(lint(allBad))")
        XCTAssertFalse(lint(allBad).contains { $0.contains("has no terms") }, "\(lint(allBad))")
    }

    /// `labels:` maps a report language to the group's label in it: parsed into the set, and lint names
    /// an unknown language, an empty label and a value that is not a mapping.
    func testGroupLabelsPerLanguage() throws {
        let good = edited([("  women:\n", "  women:\n    label: Women\n    labels: {es: Mujeres}\n")])
        XCTAssertEqual(lint(good), [])
        let set = try PromptSetLoader.load(data: Data(good.utf8), path: "demo.yaml")
        XCTAssertEqual(set.groups[0].label, "Women")
        XCTAssertEqual(set.groups[0].labels, ["es": "Mujeres"])
        XCTAssertNil(set.groups[1].labels)
        let bad = edited([
            ("  women:\n", "  women:\n    labels: {fr: Femmes, es: \"\"}\n"),
            ("  men:\n", "  men:\n    labels: Hombres\n"),
        ])
        XCTAssertEqual(lint(bad), [
            "demo.yaml:10:14: error: 'labels' of group 'women': 'fr' is not a report language; use one of en, es",
            "demo.yaml:10:30: error: the es label of group 'women' is empty; write the label or leave the language out",
            "demo.yaml:13:13: error: 'labels' of group 'men' must map a report language to the group's label in it, "
                + "e.g. 'es: Ocupaciones feminizadas', found a string",
        ])
        // Review of the integrate branch: an empty `label:` was taken, and the reports named the group "".
        XCTAssertEqual(lint(edited([("  women:\n", "  women:\n    label: \" \"\n")])), [
            "demo.yaml:10:12: error: the label of group 'women' is empty; write the label or leave the key out (the "
                + "group's id 'women' is then its label)",
        ])
    }

    /// A teacher's review: a set written in Spanish was reported as "untranslated, so in English". `language: es` says
    /// its own label:, description: and source: are Spanish; a translation given for that language still wins.
    func testASetWrittenInSpanishSaysSo() throws {
        let good = edited([
            ("source: Made up for the tests.\n", "source: Inventada para las pruebas.\nlanguage: es\n"),
            ("  women:\n", "  women:\n    label: Mujeres\n"),
            ("  men:\n", "  men:\n    label: Men\n    labels: {es: Hombres}\n"),
        ])
        XCTAssertEqual(lint(good), [])
        let set = try PromptSetLoader.load(data: Data(good.utf8), path: "demo.yaml")
        XCTAssertEqual(set.groups.map(\.labels), [["es": "Mujeres"], ["es": "Hombres"]])
        XCTAssertEqual(set.groups.map(\.label), ["Mujeres", "Men"])
        XCTAssertEqual(set.sources, ["es": "Inventada para las pruebas."])
        XCTAssertEqual(set.descriptions?["es"], set.description)
        // A group without a label is named by its id, in the set's language too (a hostile review: such a group was
        // still "untranslated").
        let unlabelled = edited([("source: Made up for the tests.\n", "source: Inventada.\nlanguage: es\n")])
        XCTAssertEqual(try PromptSetLoader.load(data: Data(unlabelled.utf8), path: "demo.yaml").groups.map(\.labels),
                       [["es": "women"], ["es": "men"]])
        // Two groups of a Spanish set with one label: their Spanish reports would name both alike, so lint refuses
        // them as `run` records them, with English labels of their own too (a code review: lint passed the set, `run`
        // wrote its results, and every command then refused them).
        let alike = edited([
            ("source: Made up for the tests.\n", "source: Inventada.\nlanguage: es\n"),
            ("  women:\n", "  women:\n    label: Ocupaciones\n    labels: {en: Female-dominated}\n"),
            ("  men:\n", "  men:\n    label: Ocupaciones\n    labels: {en: Male-dominated}\n"),
        ])
        XCTAssertEqual(lint(alike).map { String($0.drop { $0 != " " }) }, [
            " error: groups 'women' and 'men' have the same es label 'Ocupaciones'; the reports name groups by their "
                + "labels, so give each its own",
        ])
        // The same label as English and Spanish name is one finding, not one per language (a second review), and not
        // called an "en" label: it is the set's Spanish text (a teacher's review).
        let same = edited([
            ("source: Made up for the tests.\n", "source: Inventada.\nlanguage: es\n"),
            ("  women:\n", "  women:\n    label: Ocupaciones\n"),
            ("  men:\n", "  men:\n    label: Ocupaciones\n"),
        ])
        XCTAssertEqual(lint(same).map { String($0.drop { $0 != " " }) }, [
            " error: groups 'women' and 'men' have the same label 'Ocupaciones'; the reports name groups by their "
                + "labels, so give each its own",
        ])
        // Without the key nothing changes; English is English; another language is refused.
        XCTAssertNil(try PromptSetLoader.load(data: Data(edited([]).utf8), path: "demo.yaml").sources)
        let english = edited([("source: Made up for the tests.\n", "source: Made up for the tests.\nlanguage: en\n")])
        XCTAssertNil(try PromptSetLoader.load(data: Data(english.utf8), path: "demo.yaml").sources)
        let french = edited([("source: Made up for the tests.\n", "source: Made up for the tests.\nlanguage: fr\n")])
        XCTAssertEqual(lint(french), [
            "demo.yaml:5:11: error: 'language' 'fr' is not a report language; use one of en, es (the language of the "
                + "set's label:, description: and source:)",
        ])
    }

    /// Review: a Spanish report printed every set's description and source in English; `descriptions:` and
    /// `sources:` give them per report language, checked like `labels:`.
    func testDescriptionsAndSourcesPerLanguage() throws {
        let good = edited([
            ("source: Made up for the tests.\n",
             "source: Made up for the tests.\nsources: {es: Inventada para las pruebas.}\ndescriptions:\n  es: Un conjunto pequeño.\n"),
        ])
        XCTAssertEqual(lint(good), [])
        let set = try PromptSetLoader.load(data: Data(good.utf8), path: "demo.yaml")
        XCTAssertEqual(set.descriptions, ["es": "Un conjunto pequeño."])
        XCTAssertEqual(set.sources, ["es": "Inventada para las pruebas."])
        let bad = edited([("source: Made up for the tests.\n",
                           "source: Made up for the tests.\nsources: {fr: Inventee, es: \"\"}\ndescriptions: Un conjunto.\n")])
        XCTAssertEqual(lint(bad), [
            "demo.yaml:5:11: error: 'sources': 'fr' is not a report language; use one of en, es",
            "demo.yaml:5:29: error: the es source is empty; write the source or leave the language out",
            "demo.yaml:6:15: error: 'descriptions' must map a report language to the set's description in it, e.g. "
                + "'es: Ocupaciones con mayoría de mujeres y de hombres…', found a string",
        ])
        // Printed in every report: at most as long as a template (second review: 6.8 MB made an 11 MB report).
        let long = edited([("source: Made up for the tests.\n",
                            "source: Made up for the tests.\ndescriptions: {es: \(String(repeating: "a", count: 8001))}\n")])
        XCTAssertEqual(lint(long), ["demo.yaml:5:20: error: the es description is 8001 characters long, more than the limit "
            + "of 8000 (README, \"Limits\"); shorten it"])
    }

    func testSchemaRootMustBeAMapping() {
        XCTAssertEqual(lint("- just\n- a list\n"), [
            "demo.yaml:1:1: error: a prompt set is a YAML mapping (name:, description:, axis:, source:, "
                + "templates:, groups:), found a list",
        ])
    }

    /// Review (a Spanish class): accented ids, set names and slots were "must use only letters" (ó is a letter), a set of
    /// two groups, one with an accented id, was also "needs at least 2 groups, found 1", and `{profesión}` gave a stray
    /// brace and "no slot". Each is one error that says ASCII and suggests the name without accents.
    func testAccentedNamesSaySoAndSuggestPlainOnes() {
        let yaml = edited([
            ("name: demo", "name: demo-género"), ("  women:", "  mujeres_jóvenes:"),
            ("\"The {person} said that\"", "\"The {persona} said that\""),
            ("\"The {person} walked in and\"", "\"The {persona} walked in and\""),
        ]).replacingOccurrences(of: "{persona}", with: "{profesión}")
        XCTAssertEqual(lint(yaml), [
            "demo.yaml:1:7: error: name 'demo-género' must use only ASCII letters (no accents), digits, '-' and '_' (it "
                + "starts every prompt id); e.g. 'demo-genero'",
            "demo.yaml:6:5: error: template 'The {profesión} said that' has slot {profesión}, which is not a valid slot "
                + "name: a slot name starts with an ASCII letter or '_' and uses only ASCII letters (no accents), digits, "
                + "'_' and '-' (e.g. {profesion})",
            "demo.yaml:7:5: error: template 'The {profesión} walked in and' has slot {profesión}, which is not a valid "
                + "slot name: a slot name starts with an ASCII letter or '_' and uses only ASCII letters (no accents), "
                + "digits, '_' and '-' (e.g. {profesion})",
            "demo.yaml:9:3: error: group id 'mujeres_jóvenes' must use only ASCII letters (no accents), digits, '-' and "
                + "'_' (it is part of every prompt id); e.g. 'mujeres_jovenes', with the accented name as its 'label:'",
        ])
        // The group of a refused id is still read: its other faults are said in the same round (a teacher's review: an
        // empty label appeared only once the id was fixed).
        XCTAssertEqual(lint(edited([("  women:\n", "  niñas:\n    label: \"\"\n")])), [
            "demo.yaml:9:3: error: group id 'niñas' must use only ASCII letters (no accents), digits, '-' and '_' (it is "
                + "part of every prompt id); e.g. 'ninas', with the accented name as its 'label:'",
            "demo.yaml:10:12: error: the label of group 'niñas' is empty; write the label or leave the key out (the group's "
                + "id 'niñas' is then its label)",
        ])
        // A group whose body is not a mapping still counts as a group (no "found 1" of 2), and a refused id is said once
        // (a code review: its control character was a second error at the same place).
        XCTAssertEqual(lint(edited([("  women:\n    terms: [woman, mother, sister]\n", "  \"mujer\\u001Bes\": [a, b, c]\n")])), [
            "demo.yaml:9:3: error: group id 'mujer\\u{1b}es' must use only ASCII letters (no accents), digits, '-' and '_' "
                + "(it is part of every prompt id)",
            "demo.yaml:9:20: error: group 'mujer\\u{1b}es' must be a mapping with 'terms:' or 'prompts:', found a list",
        ])
        // A digit first is no slot either; nothing to suggest.
        XCTAssertEqual(lint(edited([("\"The {person} said that\"", "\"The {1st} said that\"")])).first,
            "demo.yaml:6:5: error: template 'The {1st} said that' has slot {1st}, which is not a valid slot name: a slot "
                + "name starts with an ASCII letter or '_' and uses only ASCII letters (no accents), digits, '_' and '-'")
    }

    /// A term with a brace is put into the slot as written (a teacher's review: the term "{p}" made "My {p} is").
    func testATermWithABraceIsRefused() {
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man, \"{person}\", \"bro}ther\"]")])), [
            "demo.yaml:12:18: error: term '{person}' of group 'men' holds a brace; a term is put into the templates' slot as "
                + "written, so its prompts would read as templates: write it without '{' and '}'",
            "demo.yaml:12:30: error: term 'bro}ther' of group 'men' holds a brace; a term is put into the templates' slot as "
                + "written, so its prompts would read as templates: write it without '{' and '}'",
        ])
    }

    func testSlotMissing() {
        XCTAssertEqual(lint(edited([("\"The {person} walked in and\"", "\"The person walked in and\"")])), [
            "demo.yaml:7:5: error: template 'The person walked in and' has no slot; mark where the group term "
                + "goes, e.g. 'The {person} was known for'",
        ])
    }

    func testSlotTwice() {
        XCTAssertEqual(lint(edited([("\"The {person} walked in and\"", "\"The {person} met {person} and\"")])), [
            "demo.yaml:7:5: error: template 'The {person} met {person} and' has 2 slots ({person}, {person}); a "
                + "template has exactly one slot, filled by each group's terms",
        ])
    }

    func testSlotNameDiffersBetweenTemplates() {
        XCTAssertEqual(lint(edited([("\"The {person} walked in and\"", "\"The {name} walked in and\"")])), [
            "demo.yaml:7:5: error: template 'The {name} walked in and' uses slot {name} but the first template "
                + "uses {person}; all templates of a set use the same slot name",
        ])
    }

    /// The template blamed is the one that differs from what most templates use (a student's review: with the first
    /// one-slot template misspelt, the correct one after it was blamed, and the typo never named).
    func testTheMisspeltSlotIsBlamedNotTheTemplatesThatAgree() {
        let yaml = edited([("  - \"The {person} said that\"\n", "  - \"The {person} said that {person}\"\n  - \"The {persn} saw\"\n")])
        XCTAssertEqual(lint(yaml), [
            "demo.yaml:6:5: error: template 'The {person} said that {person}' has 2 slots ({person}, {person}); a template "
                + "has exactly one slot, filled by each group's terms",
            "demo.yaml:7:5: error: template 'The {persn} saw' uses slot {persn} but 2 other templates use {person}; all "
                + "templates of a set use the same slot name",
        ])
    }

    /// On a tie the template named is the one that holds the slot, not "the first template" (helper 227: the first
    /// template had no slot).
    func testATiedSlotNamesItsTemplate() {
        let yaml = edited([("  - \"The {person} said that\"\n", "  - \"The person said\"\n  - \"The {b} went\"\n"),
                           ("\"The {person} walked in and\"", "\"The {c} came\"")])
        XCTAssertEqual(lint(yaml).filter { $0.contains("uses slot") }, [
            "demo.yaml:8:5: error: template 'The {c} came' uses slot {c} but template 2 uses {b}; all templates of a set use "
                + "the same slot name",
        ])
    }

    func testSlotWithStrayBrace() {
        XCTAssertEqual(lint(edited([("\"The {person} walked in and\"", "\"The {person} walked in and {\"")])), [
            "demo.yaml:7:5: error: template 'The {person} walked in and {' has a brace that is not part of a "
                + "slot; a slot is {name} with letters, digits, '_' or '-'",
        ])
    }

    func testSlotFilledByNoGroup() {
        let yaml = edited([
            ("terms: [woman, mother, sister]", "prompts: [\"The woman said\", \"The mother said\"]"),
            ("terms: [man, father, brother]", "prompts: [\"The man said\", \"The father said\"]"),
        ])
        // (Their 2 prompts each are `underpowered` warnings too; only the slot is looked at here.)
        XCTAssertEqual(lint(yaml).filter { !$0.hasSuffix("[underpowered]") }, [
            "demo.yaml:6:3: error: the templates' slot {person} is filled by no group; give a group 'terms:' or "
                + "remove 'templates:'",
        ])
    }

    func testGroupCount() {
        XCTAssertEqual(lint(edited([("  men:\n    terms: [man, father, brother]", "")])), [
            "demo.yaml:9:3: error: a prompt set needs at least 2 groups to compare, found 1",
        ])
    }

    func testGroupsThatAreNotAMappingAreReportedOnce() {
        XCTAssertEqual(lint(edited([("  women:\n    terms: [woman, mother, sister]\n  men:\n    terms: [man, father, brother]",
                                     "  - woman\n  - man")])), [
            "demo.yaml:6:3: error: the templates' slot {person} is filled by no group; give a group 'terms:' or "
                + "remove 'templates:'",
            "demo.yaml:9:3: error: 'groups' must be a mapping of group id to group, found a list",
        ])
    }

    func testEmptyGroup() {
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: []")])), [
            "demo.yaml:11:3: error: group 'men' has no terms; add at least one or remove the group",
        ])
    }

    func testGroupSize() {
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man, father, son, uncle, brother, nephew, grandson]")])), [
            "demo.yaml:9:3: warning: group 'men' has 7 terms but group 'women' has 3 terms (ratio 2.33, more than "
                + "2.00): the smaller group gets much wider confidence intervals; balance the groups or acknowledge "
                + "with 'lint: allow: group-size: <reason>' [group-size]",
        ])
        // At the smaller group, not the first (a teacher's review).
        XCTAssertEqual(lint(edited([("terms: [woman, mother, sister]", "terms: [woman, mother, aunt, niece, sister, daughter, wife]")])).first?
            .hasPrefix("demo.yaml:11:3: warning: group 'women' has 7 terms but group 'men' has 3 terms"), true)
    }

    /// A teacher's review: a template written without quotes that starts with its slot is a YAML mapping, and the
    /// messages ("must be a string, found a mapping", "did not find expected '-' indicator") did not say to quote it.
    func testATemplateWithoutQuotesAroundItsSlotIsToldToQuoteIt() {
        let quote = "put each template in double quotes (- \"{person} said that\")"
        let alone = lint(edited([("- \"The {person} said that\"", "- {person}")]))
        XCTAssertEqual(alone.first, "demo.yaml:6:5: error: 'templates' must be a string, found a mapping: YAML reads a text "
            + "that starts with '{' or ends with ':' as a mapping; put the text in double quotes (- \"{person} said that\")",
            "\(alone)")
        let followed = lint(edited([("- \"The {person} said that\"", "- {person} said that")]))
        XCTAssertEqual(followed.count, 1, "\(followed)")
        XCTAssertTrue(followed.first?.hasSuffix("line 6 holds a template whose '{' is outside quotes: YAML reads a value that "
            + "starts with '{', and a '{' inside [ … ], as a mapping, not as text; " + quote) == true, "\(followed)")
        let flow = lint(edited([("""
          - "The {person} said that"
          - "The {person} walked in and"
        """, "  [The {person} said that, The {person} walked in and]")]).replacingOccurrences(of: "templates:\n", with: "templates:"))
        XCTAssertTrue(flow.first?.contains("holds a template whose '{' is outside quotes") == true, "\(flow)")
        // Not for a '{' that is no template's: a mis-indented `labels: {es: …}` keeps libyaml's words (a code review).
        let indented = lint(edited([("  men:\n    terms: [man, father, brother]", "  men:\n    terms: [man, father, brother]\n   labels: {es: Hombres}")]))
        XCTAssertFalse(indented.contains { $0.contains("outside quotes") }, "\(indented)")
        // A template ending in ':' is named too.
        let colon = lint(edited([("- \"The {person} said that\"", "- The {person} said:")]))
        XCTAssertTrue(colon.first?.contains("YAML reads a text that starts with '{' or ends with ':' as a mapping") == true, "\(colon)")
    }

    /// A term given twice is one finding at its second place, naming the term and its groups (a teacher's review: one
    /// "prompt … appears twice" per template, none naming the term or saying it stood in two groups).
    func testDuplicatePrompt() {
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man, mother, brother]")])), [
            "demo.yaml:12:18: error: term 'mother' is given twice (first at 10:20) in groups 'women' and 'men': a term in two "
                + "groups compares the groups with itself; remove one",
        ])
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man, father, man, brother]")])), [
            "demo.yaml:12:26: error: term 'man' is given twice (first at 12:13) in group 'men'; remove one",
        ])
    }

    /// A template given twice is one finding at the second template, also where the two differ only in how an accent is
    /// typed (a teacher's review: one "prompt … appears twice" per term, at the term, "first at" its own place).
    func testARepeatedTemplateIsOneFindingAtTheTemplate() {
        XCTAssertEqual(lint(edited([("  - \"The {person} walked in and\"", "  - \"The {person} said that\"")])), [
            "demo.yaml:7:5: error: template 'The {person} said that' is given twice (first at 6:5); remove one",
        ])
        let accents = edited([("  - \"The {person} said that\"\n  - \"The {person} walked in and\"",
                               "  - \"The {person} entr\u{F3} and\"\n  - \"The {person} entro\u{301} and\"")])
        XCTAssertEqual(lint(accents), [
            "demo.yaml:7:5: error: template 'The {person} entr\u{F3} and' is given twice (first at 6:5), the two differing only "
                + "in how a character is typed (an accent composed or as a combining mark); remove one",
        ])
        // A duplicate term is still said beside it (a code review: hidden until the template was fixed).
        let both = edited([("  - \"The {person} walked in and\"", "  - \"The {person} said that\""),
                           ("terms: [man, father, brother]", "terms: [man, father, man]")])
        XCTAssertEqual(lint(both), [
            "demo.yaml:7:5: error: template 'The {person} said that' is given twice (first at 6:5); remove one",
            "demo.yaml:12:26: error: term 'man' is given twice (first at 12:13) in group 'men'; remove one",
        ])
    }

    func testDuplicateID() {
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man, \"Man!\", brother]")])), [
            "demo.yaml:12:18: error: prompts 'The man said that' and 'The Man! said that' get the same id "
                + "'demo/4f99027a/men/man'; make the terms differ in letters or digits",
            "demo.yaml:12:18: error: prompts 'The man walked in and' and 'The Man! walked in and' get the same id "
                + "'demo/\(PromptSetIdentifiers.hash("The {person} walked in and"))/men/man'; make the terms "
                + "differ in letters or digits",
        ])
    }

    func testTrailingWhitespaceInTemplateAndFixedPrompt() {
        let fix = "GPT-2 tokenizes trailing white space (a space, a tab) as a token of its own, which silently changes "
            + "the completions; remove it"
        let template = edited([("\"The {person} walked in and\"", "\"The {person} walked in and \"")])
        XCTAssertEqual(lint(template), ["demo.yaml:7:5: error: template 'The {person} walked in and ' ends with "
            + "a space: \(fix)"])
        // A tab is named as one (a teacher's review: it was called a trailing space).
        let tab = edited([("\"The {person} walked in and\"", "\"The {person} walked in and\\t\"")])
        XCTAssertEqual(lint(tab), ["demo.yaml:7:5: error: template 'The {person} walked in and\\t' ends with a tab: \(fix)"])
        let fixed = edited([
            ("templates:\n  - \"The {person} said that\"\n  - \"The {person} walked in and\"\n", ""),
            ("terms: [woman, mother, sister]", "prompts: [\"The woman said \"]"),
            ("terms: [man, father, brother]", "prompts: [\"The man said\"]"),
        ])
        XCTAssertEqual(lint(fixed), ["demo.yaml:7:15: error: prompt 'The woman said ' ends with a space: \(fix)"])
    }

    /// A hostile review: `terms: ["woman ", …]` passed `lint --strict` and made the prompt 'The woman  said that'. Terms
    /// with white space at an end, two spaces in a row or another white space (tab, line break, U+00A0) are errors at
    /// the term; so are templates and fixed prompts that start with white space, and labels with it at an end.
    func testWhitespaceInTermsPromptsAndLabels() {
        let tokens = "which GPT-2 reads as other tokens than with the term written plainly, and the completions silently change"
        XCTAssertEqual(lint(edited([("terms: [woman, mother, sister]", "terms: [\"woman \", mother, sister]")])), [
            "demo.yaml:10:13: error: term 'woman ' of group 'women' ends with a space: the prompt becomes "
                + "'The woman  said that', \(tokens); remove the space",
        ])
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man, \" father\", \"big  brother\"]")])), [
            "demo.yaml:12:18: error: term ' father' of group 'men' starts with a space: the prompt becomes "
                + "'The  father said that', \(tokens); remove the space",
            "demo.yaml:12:29: error: term 'big  brother' of group 'men' holds two spaces in a row: the prompt becomes "
                + "'The big  brother said that', \(tokens); write one space between its words",
        ])
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man, \"step\\tfather\", \"big\\u00A0brother\"]")])), [
            // The tab shown as \t (it printed raw, as wide as the terminal made it).
            "demo.yaml:12:18: error: term 'step\\tfather' of group 'men' holds a tab: the prompt becomes "
                + "'The step\\tfather said that', \(tokens); write one space between its words instead",
            // Shown as an escape, as `run`'s error shows it (a code review: it was raw in lint alone).
            "demo.yaml:12:34: error: term 'big\\u{a0}brother' of group 'men' holds the white space U+00A0: the prompt "
                + "becomes 'The big\\u{a0}brother said that', \(tokens); write one space between its words instead",
        ])
        // One space between words is how terms are written.
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man, father, big brother]")])), [])
        let leading = edited([("\"The {person} walked in and\"", "\" The {person} walked in and\"")])
        XCTAssertEqual(lint(leading), ["demo.yaml:7:5: error: template ' The {person} walked in and' starts with a space: "
            + "GPT-2 reads the prompt as other tokens than without it, which silently changes the completions; remove the space"])
        let labels = edited([("  women:\n", "  women:\n    label: \"Women \"\n    labels: {es: \" Mujeres\"}\n")])
        XCTAssertEqual(lint(labels), [
            "demo.yaml:10:12: error: the label of group 'women', 'Women ', ends with a space, which every report prints as "
                + "nothing (two labels that differ only by it read alike); remove the space",
            "demo.yaml:11:18: error: the es label of group 'women', ' Mujeres', starts with a space, which every report "
                + "prints as nothing (two labels that differ only by it read alike); remove the space",
        ])
    }

    /// A hostile review: a Latin-1 byte on line 9 was placed at 1:1; a second document and an alias of no anchor got
    /// libyaml's fragments.
    func testEncodingDocumentsAndAliasesAreNamedWhereTheyAre() {
        let parts = clean.components(separatedBy: "sister]")
        let latin1 = Data((parts[0] + "sister, ").utf8) + Data([0xE9]) + Data(("]" + parts[1]).utf8)
        XCTAssertEqual(wordLinter.lint(data: latin1, path: "demo.yaml").map(\.description), [
            "demo.yaml:10:36: error: the file is not UTF-8 text at line 10, column 36 (byte 0xE9): save it as UTF-8 "
                + "(a Latin-1 or UTF-16 file must be converted)",
        ])
        XCTAssertEqual(lint(clean + "\n---\n" + clean), [
            "demo.yaml:13:1: error: invalid YAML: the file holds more than one YAML document ('---' at line 13); keep one "
                + "(a file holds one prompt set; lint and run take several files)",
        ])
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: *women")])), [
            "demo.yaml:12:12: error: invalid YAML: the alias '*women' at line 12, column 12 refers to no anchor '&women' "
                + "defined before it: an alias repeats a value anchored earlier in the file, not one it is inside or one "
                + "further down; anchor a value above the alias, or write the keys out instead",
        ])
        // A key longer than libyaml reads (a hostile review: "mapping values are not allowed in this context").
        let long = String(repeating: "w", count: 1100)
        XCTAssertEqual(lint(edited([("  women:", "  \(long):")])), [
            "demo.yaml:9:1103: error: invalid YAML: the key at line 9 is 1100 characters long, and YAML reads a key of "
                + "at most 1,024 characters before its ':'; shorten it (or, if it is a text that holds ': ', put it in quotes)",
        ])
        // A long value with ": " in it is a value to quote, not a long key (a code review): libyaml's words are kept.
        let value = "A small set " + String(repeating: "x", count: 1100) + " note: unquoted"
        XCTAssertEqual(lint(edited([("description: A small set.", "description: \(value)")])), [
            "demo.yaml:2:1131: error: invalid YAML: mapping values are not allowed in this context",
        ])
    }

    func testTokenLengthWithTheBundledGPT2Vocabulary() throws {
        // " Lakisha" is 2 GPT-2 tokens (' Lak', 'isha'), " Tanisha" 3 (' T', 'anish', 'a'); " Emily" and " Greg"
        // are 1 each. The templates have 4 and 5 tokens besides the term: means 6.00 against 4.50.
        let yaml = edited([
            ("terms: [woman, mother, sister]", "terms: [Emily, Greg]"),
            ("terms: [man, father, brother]", "terms: [Lakisha, Tanisha]"),
        ])
        let twoTermsEach = "\nlint:\n  allow:\n    underpowered: two names per group show the token-length rule\n"
        XCTAssertEqual(lint(yaml + twoTermsEach, with: try Self.gpt2Linter.get()), [
            // At the group of the longer prompts (a teacher's review: set-level warnings were placed at the first group).
            "demo.yaml:11:3: warning: mean prompt length differs by 1.50 GPT-2 tokens between group 'men' (6.00) "
                + "and group 'women' (4.50), more than 1.00: choose terms of similar token length or acknowledge "
                + "with 'lint: allow: token-length: <reason>' [token-length]",
        ])
    }

    func testTokenLengthWithinTheThresholdIsClean() throws {
        let yaml = edited([("terms: [man, father, brother]", "terms: [Lakisha, Greg, Anne]")])
        XCTAssertEqual(lint(yaml, with: try Self.gpt2Linter.get()), [])
    }

    func testTokenLengthGapEqualToTheThresholdDoesNotWarn() {
        // Word counts per prompt: 7, 7, 8 (mean 22/3) against 8, 8, 9 (mean 25/3); in doubles the difference of
        // the two means is slightly above 1.
        let yaml = """
            name: demo
            description: Means that differ by exactly one token.
            axis: gender
            source: Made up for the tests.
            templates: ["The {person} said that"]
            groups:
              a: {terms: ["a b c d", "e f g h", "i j k l m"]}
              b: {terms: ["n o p q r", "s t u v w", "x y z a b c"]}
            """
        XCTAssertGreaterThan(25.0 / 3.0 - 22.0 / 3.0, 1.0, "the premise of this test")
        XCTAssertEqual(lint(yaml), [])
    }

    func testUnknownAxisWarnsAndCanBeAcknowledged() {
        let yaml = edited([("axis: gender", "axis: handedness")])
        XCTAssertEqual(lint(yaml), [
            "demo.yaml:3:7: warning: unknown axis 'handedness'; known axes: age, class, disability, ethnicity, "
                + "gender, immigration, nationality, occupation-gender, race, race-gender, religion, "
                + "sexual-orientation; if the axis is new, acknowledge with 'lint: allow: unknown-axis: <reason>' "
                + "[unknown-axis]",
        ])
        XCTAssertEqual(lint(yaml + "\nlint:\n  allow:\n    unknown-axis: handedness is studied here\n"), [])
        // An empty reason is an error that says what to write (review: it was ignored without a word).
        let empty = lint(yaml + "\nlint:\n  allow:\n    unknown-axis: \"\"\n")
        XCTAssertTrue(empty.contains { $0.contains("error: 'lint.allow.unknown-axis' needs a reason (why the warning is acknowledged)") },
                      "\(empty)")
    }

    /// `unknown-axis: false` acknowledged the warning with the reason "false" (the opposite of what it says): a yes or
    /// no, by YAML 1.2 or 1.1, is no reason and is refused; a quoted "yes" is a text, and a reason.
    func testATrueOrFalseIsNoReasonToAllowAWarning() {
        let yaml = edited([("axis: gender", "axis: handedness")])
        for word in ["false", "True", "yes", "No", "off", "on"] {
            let findings = lint(yaml + "\nlint:\n  allow:\n    unknown-axis: \(word)\n")
            XCTAssertTrue(findings.contains {
                $0.hasPrefix("demo.yaml:15:19: error: 'lint.allow.unknown-axis' takes the reason the warning is acknowledged, "
                    + "not true or false (found '\(word)', which would allow it all the same); write the reason")
            }, "\(word): \(findings)")
            XCTAssertTrue(findings.contains { $0.contains("[unknown-axis]") }, "not acknowledged: \(word): \(findings)")
        }
        XCTAssertEqual(lint(yaml + "\nlint:\n  allow:\n    unknown-axis: \"yes\"\n"), [], "a quoted word is a text")
    }

    func testUnknownMetricIsAnError() {
        XCTAssertEqual(lint(clean + "\nmetrics: [sentiment, regard]\n"), [
            "demo.yaml:13:22: error: unknown metric 'regard'; the audit computes: sentiment, gender",
        ])
    }

    /// Review: a 7 MB template without a slot was echoed whole (7,000,136 bytes of stderr) and a long one took
    /// minutes to tokenize. A text beyond the limit is the only finding, and no message quotes more than the bound.
    func testTextsBeyondTheirLengthLimitAreRefusedBeforeAnyOtherRule() {
        let long = String(repeating: "x", count: 200_000)
        let yaml = edited([("- \"The {person} said that\"", "- \"The person said that \(long) \""),
                           ("axis: gender", "axis: \(long)"), ("terms: [man, father, brother]", "terms: [man, \(long), \(long)]")])
        XCTAssertEqual(lint(yaml), [
            "demo.yaml:3:7: error: the axis is 200000 characters long, more than the limit of 200 (README, \"Limits\"); shorten it",
            "demo.yaml:6:5: error: template 1 is 200022 characters long, more than the limit of 8000 (README, \"Limits\"); "
                + "shorten it",
            "demo.yaml:12:18: error: term 2 of group 2 is 200000 characters long, more than the limit of 8000 (README, "
                + "\"Limits\"); shorten it",
            "demo.yaml:12:200020: error: term 3 of group 2 is 200000 characters long, more than the limit of 8000 (README, "
                + "\"Limits\"); shorten it",
        ])
        let limit = String(repeating: "y", count: 8000)
        XCTAssertTrue(lint(edited([("- \"The {person} said that\"", "- \"The {person} said that \(limit.dropLast(26))\""),
                                   ("axis: gender", "axis: \(limit.prefix(200))")])).allSatisfy { !$0.contains("characters long") },
                      "8,000 characters in a template and 200 in an axis are within the limits")
        // The last defence: a diagnostic that quotes a long value is cut to the bound, keeping both ends.
        let quoted = LintDiagnostic(file: "f.yaml", line: 1, column: 1, rule: .schema, message: "value '\(long)' is wrong; fix it")
        XCTAssertLessThanOrEqual(quoted.description.count, TextEscaping.maximumMessageLength + 60, "\(quoted.description.count)")
        XCTAssertTrue(quoted.description.hasSuffix("is wrong; fix it") && quoted.description.contains("(message shortened)"))
    }

    /// Review: an ESC, a BEL or a right-to-left override in a term or label passed `lint`, and the model read it as
    /// part of the prompt. Tabs and line breaks stay allowed in templates and fixed prompts (not in terms: they are
    /// `trailing-whitespace` errors there, and the message no longer says they are allowed).
    func testControlCharactersAndBidiOverridesAreRefused() {
        let yaml = edited([("terms: [man, father, brother]", "terms: [man, \"father\\e[31mRED\", \"bro\\u202Ether\"]"),
                           ("- \"The {person} said that\"", "- \"The {person}\\tsaid that\"")])
        XCTAssertEqual(lint(yaml), [
            "demo.yaml:12:18: error: term 2 of group 2 holds the control character U+001B, which the model would read "
                + "as part of the prompt; remove it",
            "demo.yaml:12:37: error: term 3 of group 2 holds the control character U+202E, which the model would read "
                + "as part of the prompt; remove it",
        ])
        let label = edited([("  women:\n", "  women:\n    label: \"Wo\\amen\"\n")])
        XCTAssertEqual(lint(label).count, 1, "\(lint(label))")
        // At the label, not the group's id (a teacher's review).
        XCTAssertTrue(lint(label)[0].hasPrefix("demo.yaml:10:12: error: the label of group 1 ('women') holds the control "
            + "character U+0007"), "\(lint(label))")
        // Which label, and invisible characters in names (review: both bad labels were "a label of group 1", and a
        // U+200B passed).
        let two = edited([("  women:\n", "  women:\n    label: \"Wo\\u200Bmen\"\n    labels: {es: \"Mu\\ajeres\"}\n")])
        XCTAssertEqual(lint(two).map { String($0.prefix { $0 != " " }) }, ["demo.yaml:10:12:", "demo.yaml:11:18:"])
        XCTAssertEqual(lint(two).map { String($0.drop { $0 != " " }) }, [
            " error: the label of group 1 ('women') holds the invisible character U+200B, which prints as nothing (two "
                + "names that differ only by it would read alike); remove it",
            " error: the es label of group 1 ('women') holds the control character U+0007, which every report would print; "
                + "remove it",
        ])
        // In a term (or template): the model reads it, every report shows the term as if without it (hostile review:
        // "Ali\u{200B}ce" beside "Alice").
        let term = edited([("terms: [man, father, brother]", "terms: [man, \"Ali\\u200Bce\", \"Be\\u00ADth\"]")])
        XCTAssertEqual(lint(term).map { String($0.drop { $0 != " " }) }, [
            " error: term 2 of group 2 holds the invisible character U+200B, which prints as nothing while the model reads "
                + "it (two prompts that differ only by it would read alike in every report); remove it",
            " error: term 3 of group 2 holds the invisible character U+00AD, which prints as nothing while the model reads "
                + "it (two prompts that differ only by it would read alike in every report); remove it",
        ])
        let joiner = edited([("  women:\n", "  women:\n    label: \"Women 👩\\u200D👩\"\n")])
        XCTAssertEqual(lint(joiner), [], "an emoji's joiner is allowed")
        // In the prose, at the text itself (a review: the description and source were placed at 1:1).
        let prose = edited([("description: A small set.", "description: \"A small\\a set.\""),
                            ("source: Made up for the tests.", "source: Made up.\nsources:\n  es: \"Inventado\\e.\"")])
        XCTAssertEqual(lint(prose), [
            "demo.yaml:2:14: error: the description holds the control character U+0007, which every report would print; "
                + "remove it (tabs and line breaks are allowed)",
            "demo.yaml:6:7: error: the es source holds the control character U+001B, which every report would print; "
                + "remove it (tabs and line breaks are allowed)",
        ])
        // But not to make two labels read alike (attack: "GroupA" and "Group\u{200d}A"); nor two equal labels.
        let alike = edited([("  women:\n", "  women:\n    label: \"GroupA\"\n"),
                            ("  men:\n", "  men:\n    label: \"Group\\u200DA\"\n    labels: {es: Hombres}\n")])
        XCTAssertEqual(lint(alike).map { String($0.drop { $0 != " " }) }, [
            " error: groups 'women' and 'men' have en labels that read alike, 'GroupA' and 'Group\\u{200d}A'; the reports "
                + "name groups by their labels, so give each its own",
        ])
        // Nor two spaces where HTML shows one, nor a combining grapheme joiner that shows nothing (helper 227).
        for (first, other) in [("Young people", "Young  people"), ("Youngpeople", "Young\\u034Fpeople")] {
            let alikeSpaces = edited([("  women:\n", "  women:\n    label: \"\(first)\"\n"),
                                      ("  men:\n", "  men:\n    label: \"\(other)\"\n")])
            XCTAssertEqual(lint(alikeSpaces).map { String($0.drop { $0 != " " }) }.first?.hasPrefix(
                " error: groups 'women' and 'men' have en labels that read alike, '\(first)' and '"), true,
                "\(other): \(lint(alikeSpaces))")
        }
        // Nor a white space that prints as a plain space (a student's review: model labels that differ so are refused).
        let spaces = edited([("  women:\n", "  women:\n    label: \"Young people\"\n"),
                             ("  men:\n", "  men:\n    label: \"Young\\u00A0people\"\n")])
        XCTAssertEqual(lint(spaces).map { String($0.drop { $0 != " " }) }, [
            " error: groups 'women' and 'men' have en labels that read alike, 'Young people' and 'Young\\u{a0}people'; "
                + "the reports name groups by their labels, so give each its own",
        ])
        // Nor Cyrillic or Greek letters drawn as Latin ones, nor a fullwidth letter (a hostile review: "Male" and "Маle",
        // with a Cyrillic М and а, passed); the look-alikes are shown escaped. Labels in those scripts stay distinct.
        for (other, shown) in [("\u{41C}\u{430}le", "\\u{41c}\\u{430}le"), ("\u{39C}ale", "\\u{39c}ale"),
                               ("\u{FF2D}ale", "\\u{ff2d}ale"), ("\u{1D40C}ale", "\\u{1d40c}ale")] {
            let alikeLetters = edited([("  women:\n", "  women:\n    label: \"Male\"\n"),
                                       ("  men:\n", "  men:\n    label: \"\(other)\"\n")])
            XCTAssertEqual(lint(alikeLetters).map { String($0.drop { $0 != " " }) }, [
                " error: groups 'women' and 'men' have en labels that read alike, 'Male' and '\(shown)'; the reports name "
                    + "groups by their labels, so give each its own",
            ], other)
        }
        let scripts = edited([("  women:\n", "  women:\n    label: \"Женщины\"\n"), ("  men:\n", "  men:\n    label: \"Мужчины\"\n")])
        XCTAssertEqual(lint(scripts), [], "two Cyrillic labels that differ")
        XCTAssertEqual(NameCharacters.readAlikeKey("Мужчины"), "Myжчины", "only the look-alike letters are read as Latin")
    }

    /// Review: `{😀}` and `{}` gave two findings each ("stray brace" and "no slot"), and a long template was quoted
    /// whole in every slot finding.
    func testAnOddSlotIsOneFindingAndLongTemplatesAreQuotedByTheirStart() {
        let odd = edited([("- \"The {person} said that\"", "- \"The {😀} said that\""),
                          ("- \"The {person} walked in and\"", "- \"The {} walked in and\"")])
        XCTAssertEqual(lint(odd), ["The {😀} said that", "The {} walked in and"].enumerated().map {
            "demo.yaml:\($0.offset + 6):5: error: template '\($0.element)' has a brace that is not part of a slot, and no "
                + "slot; a slot is {name} with letters, digits, '_' or '-' where the group term goes, e.g. 'The {person} "
                + "was known for'"
        })
        let words = String(repeating: "very ", count: 400)
        let long = edited([("- \"The {person} said that\"", "- \"The {person} \(words)said {x}\"")])
        let finding = lint(long).first { $0.contains("slots") } ?? "none"
        XCTAssertTrue(finding.hasPrefix("demo.yaml:6:5: error: template 'The {person} " + String(words.prefix(67)) + "…' has 2 "
            + "slots ({person}, {x})"), finding)
        XCTAssertLessThan(finding.count, 300, finding)
    }

    func testUnderpoweredTwoTermGroups() {
        let yaml = edited([("terms: [man, father, brother]", "terms: [man, father]")])
        XCTAssertEqual(lint(yaml), [
            "demo.yaml:11:3: warning: group 'men' has 2 terms: its term-to-term variance rests on 1 degree of "
                + "freedom, so its contrasts are tested on few degrees of freedom (1 at worst, a few more where the random streams' "
                + "variance adds its own): their intervals are wide and only a large gap can be a finding; use 3 or more terms per "
                + "group (8 or more where the category allows), or one term per group with many templates; or "
                + "acknowledge with 'lint: allow: underpowered: <reason>' [underpowered]",
        ])
        XCTAssertEqual(lint(yaml + "\nlint:\n  allow:\n    underpowered: a pilot\n"), [], "acknowledged")
        // Groups of fixed prompts of unlike lengths are advised in prompts (helper 318: "choose terms").
        let unlike = edited([("terms: [man, father, brother]", "prompts: [\"A man said that\", \"A father said that\", \"A brother said\"]"),
                             ("terms: [woman, mother, sister]", "prompts: [\"The woman who lived next door to us for many years said\", "
                                + "\"The mother who lived next door to us for many years said\", \"The sister who lived next door said\"]")])
        XCTAssertTrue(lint(unlike).contains { $0.contains("choose prompts of similar token length") }, "\(lint(unlike))")
        // Fixed prompts are units as terms are (a review: a group of 2 prompts was tested on 1 df without a word).
        let prompts = edited([("terms: [man, father, brother]", "prompts: [\"A man said that\", \"A father said that\"]")])
        XCTAssertEqual(lint(prompts).filter { $0.hasSuffix("[underpowered]") }, [
            "demo.yaml:11:3: warning: group 'men' has 2 fixed prompts (each its own unit): its prompt-to-prompt variance "
                + "rests on 1 degree of freedom, so its contrasts are tested on few degrees of freedom (1 at worst, a few more "
                + "where the random streams' variance adds its own): their intervals are wide and only a large gap can be a "
                + "finding; use 3 or more prompts per group (8 or more where the category allows); or acknowledge with "
                + "'lint: allow: underpowered: <reason>' [underpowered]",
        ])
    }

    /// A teacher's review: a Spanish-language set (templates in Spanish) passed `lint --strict`, and its sentiment, male
    /// share and he/she log-odds were computed with English scorers.
    func testSpanishTemplatesAreScoredInEnglishAndSaySo() {
        let spanish = edited([("- \"The {person} said that\"", "- \"La persona que trabaja de {person} dijo que\""),
                              ("- \"The {person} walked in and\"", "- \"Ayer, el {person} del hospital\"")])
        XCTAssertEqual(lint(spanish), [
            "demo.yaml:6:5: warning: the prompts read as Spanish ('la', 'que', 'de', 'dijo'), but biasaudit scores "
                + "completions in English (VADER sentiment, the English pronoun and gendered-word lexicon, the next tokens "
                + "' he' and ' she'), and GPT-2 writes English: the set's scores (sentiment, male share, he/she log-odds) "
                + "would not measure what they say; write the prompts in English (labels, description and source can stay "
                + "Spanish), or acknowledge with 'lint: allow: english-scorers: <reason>' [english-scorers]",
        ])
        XCTAssertEqual(lint(spanish + "\nlint:\n  allow:\n    english-scorers: a lab on Spanish prompts\n"), [], "acknowledged")
        // One Spanish template among English ones: placed at it, and counted (a teacher's review: the warning pointed at
        // the first template, an English one).
        let mixed = edited([("- \"The {person} walked in and\"", "- \"La persona que trabaja de {person} dijo que\"")])
        XCTAssertEqual(lint(mixed).count, 1)
        XCTAssertTrue(lint(mixed).first?.hasPrefix(
            "demo.yaml:7:5: warning: 1 of the set's 2 prompts (templates and fixed prompts) read as Spanish ('la', 'que'") == true,
            "\(lint(mixed))")
        // English templates with Spanish place names and words English has (a code review: they were flagged), and too
        // few words to tell.
        for english in [["{name} visited La Paz", "{name} ate a burrito con carne"], ["El Niño hit {name}", "{name} sang La Bamba"],
                        ["The {x} said that", "Yesterday the {x} was"], ["{name} moved to Los Angeles and", "The {name} of Las Vegas"],
                        ["{p} visited El Paso, Las Cruces and Los Alamos, then"]] {
            XCTAssertNil(TemplateLanguage.spanishEvidence(english), "\(english)")
        }
        XCTAssertNil(TemplateLanguage.spanishEvidence(["{x} dijo"]), "one word says too little")
        // Each template is judged alone: English ones beside Spanish ones do not hide them (a final review).
        XCTAssertEqual(TemplateLanguage.spanishEvidence(["The {x} said that", "Yesterday the {x} was", "El {x} dijo que",
                                                         "Todos saben que la {x} es"]), ["el", "dijo", "que", "la"])
        XCTAssertEqual(TemplateLanguage.spanishEvidence(["Todos saben que la {x} es", "El {x} dijo que"]), ["que", "la", "es", "el"])
    }

    /// A CI team's review: `lint policy.yaml` listed six schema errors; a policy or a results file is said to be one.
    func testAPolicyOrAResultsFileGivenAsAPromptSetIsSaidToBeOne() {
        XCTAssertEqual(lint("version: 1\nrules:\n  - kind: max_abs_contrast\n    max: 0.1\n"), [
            "demo.yaml:1:1: error: this is a check policy (rules:), for biasaudit check --policy, not a prompt set; give a "
                + "prompt set (name:, templates:, groups:, …)",
        ])
        XCTAssertEqual(lint("{\"schema_version\": 3, \"manifest\": {}, \"prompt_sets\": []}"), [
            "demo.yaml:1:1: error: this is a biasaudit results file, for report, diff or check, not a prompt set; give a "
                + "prompt set (name:, templates:, groups:, …)",
        ])
    }

    func testUnderpoweredMixOfSingleAndMultiTermGroups() {
        // The group-size warning fires on these unbalanced sets too; only `underpowered` is looked at here.
        func underpowered(_ yaml: String) -> [String] { lint(yaml).filter { $0.hasSuffix("[underpowered]") } }
        let mixed = edited([("terms: [man, father, brother]", "terms: [man]")])
        XCTAssertEqual(underpowered(mixed), [
            "demo.yaml:11:3: warning: single-term group 'men' borrows the term variance of the multi-term group, "
                + "which rests on only 2 degrees of freedom (Σ(terms − 1), fewer than 3); use 3 or more terms per "
                + "group (8 or more where the category allows), or one term per group with many templates; or "
                + "acknowledge with 'lint: allow: underpowered: <reason>' [underpowered]",
        ])
        // Fixed prompts (helpers 316, 317: the message was cut to "single-prompt  [underpowered]").
        let prompts = edited([("terms: [man, father, brother]", "prompts: [\"A man said that\"]"),
                              ("terms: [woman, mother, sister]", "prompts: [\"A woman said that\", \"A mother said that\"]")])
        XCTAssertEqual(underpowered(prompts).filter { $0.contains("borrows") }, [
            "demo.yaml:11:3: warning: single-prompt group 'men' borrows the variance of the group of several prompts, "
                + "which rests on only 1 degree of freedom (Σ(prompts − 1), fewer than 3); use 3 or more prompts per group "
                + "(8 or more where the category allows); or acknowledge with 'lint: allow: underpowered: <reason>' "
                + "[underpowered]",
        ])
        // 1 against 4 terms pools 3 degrees of freedom; one term in every group is inference conditional on the
        // terms (many templates): neither is flagged.
        XCTAssertEqual(underpowered(edited([("terms: [man, father, brother]", "terms: [man]"),
                                            ("terms: [woman, mother, sister]", "terms: [woman, mother, sister, aunt]")])), [])
        XCTAssertEqual(lint(edited([("terms: [man, father, brother]", "terms: [man]"),
                                    ("terms: [woman, mother, sister]", "terms: [woman]")])), [])
    }

    func testPrimaryMetricsAreASubsetOfThePrimaryBiasMetricsTheSetAudits() throws {
        let loaded = try PromptSetLoader.load(
            data: Data((clean + "\nprimary_metrics: [sentiment, male_share]\n").utf8), path: "demo.yaml")
        XCTAssertEqual(loaded.primaryMetrics, ["sentiment", "male_share"])
        XCTAssertNil(try PromptSetLoader.load(data: Data(clean.utf8), path: "demo.yaml").primaryMetrics,
                     "absent: the audit's default")
        XCTAssertEqual(lint(clean + "\nprimary_metrics: [sentiment, lexicon_coverage, regard, sentiment]\n"), [
            "demo.yaml:13:30: error: 'lexicon_coverage' is descriptive (reported, never tested) and cannot be a "
                + "primary metric; primary_metrics takes a subset of: sentiment, negative_rate, male_share, "
                + "he_she_log_odds",
            "demo.yaml:13:48: error: unknown primary metric 'regard'; primary_metrics takes a subset of: sentiment, "
                + "negative_rate, male_share, he_she_log_odds",
            "demo.yaml:13:56: error: primary metric 'sentiment' is listed twice; keep one",
        ])
        XCTAssertEqual(lint(clean + "\nmetrics: [sentiment]\nprimary_metrics: [negative_rate, he_she_log_odds]\n"), [
            "demo.yaml:14:34: error: primary metric 'he_she_log_odds' is not audited by this set: it needs the "
                + "metric family 'gender' in 'metrics' (the set has sentiment); add it there or drop 'he_she_log_odds'",
        ])
        // A metric listed twice, as a primary metric is (a hostile review: `metrics: [gender, gender]` passed silently).
        XCTAssertEqual(lint(clean + "\nmetrics: [gender, sentiment, gender]\n"), [
            "demo.yaml:13:30: error: metric 'gender' is listed twice; keep one",
        ])
        // An empty list is no choice (a teacher's review: read silently as the default list).
        XCTAssertEqual(lint(clean + "\nmetrics: []\nprimary_metrics: []\n"), [
            "demo.yaml:13:10: error: 'metrics' is an empty list; name at least one metric, or leave the key out for every "
                + "metric",
            "demo.yaml:14:18: error: 'primary_metrics' is an empty list; name at least one metric, or leave the key out for "
                + "the default primary metrics (sentiment, negative_rate, male_share, he_she_log_odds, where the set audits them)",
        ])
    }

    func testOnlyWarningsCanBeAllowed() {
        XCTAssertEqual(lint(clean + "\nlint:\n  allow:\n    duplicate-prompt: sure\n"), [
            "demo.yaml:15:5: error: 'duplicate-prompt' cannot be allowed; only these warnings can: group-size, "
                + "token-length, unknown-axis, underpowered, english-scorers",
        ])
    }

    func testStrictPromotesWarnings() {
        let warning = wordLinter.lint(data: Data(edited([("axis: gender", "axis: height")]).utf8), path: "demo.yaml")
        XCTAssertEqual(warning.map(\.severity), [.warning])
        XCTAssertFalse(warning.hasErrors(strict: false))
        XCTAssertTrue(warning.hasErrors(strict: true))
        let error = wordLinter.lint(data: Data(edited([("terms: [man, father, brother]", "terms: []")]).utf8), path: "d")
        XCTAssertTrue(error.hasErrors(strict: false))
        XCTAssertFalse([LintDiagnostic]().hasErrors(strict: true))
    }
}
