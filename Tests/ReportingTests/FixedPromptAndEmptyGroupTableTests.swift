@testable import AuditResults
import Foundation
import FoundationXML
import XCTest

@testable import Reporting

/// Review 87: the group table of a set of fixed prompts said "2 of 3 terms:" before two prompts; a group without
/// completions read "0 of 8 terms: " before an empty list (in Spanish HTML an empty `<span lang="en"></span>`); and the
/// counterfactual pairs of a set of fixed prompts said "template —, sample index 4" under a caption on "the nth of the
/// templates above", where the set has none. Each is checked in English and Spanish, Markdown and HTML.
final class FixedPromptAndEmptyGroupTableTests: XCTestCase {
    private func render(_ result: AuditResult) throws -> [(String, String)] {
        try [ReportLanguage.en, .es].flatMap { language in
            try [ReportFormat.md, .html].map { format in
                ("\(language) \(format)", try ReportRenderer().render(result, format: format, language: language))
            }
        }
    }

    private func check(_ rendered: [(String, String)], present: [[String]], absent: [[String]]) {
        for (index, (name, text)) in rendered.enumerated() {
            for expected in present[index] { XCTAssertTrue(text.contains(expected), "\(name): missing \(expected)") }
            for unexpected in absent[index] { XCTAssertFalse(text.contains(unexpected), "\(name): has \(unexpected)") }
        }
    }

    /// A hostile review: in a set with templates a group of fixed prompts was listed as terms, joined with ", " (a
    /// prompt holding a comma read as two). Results record `fixed_prompts`, and the table quotes the prompts.
    func testFixedPromptsBesideTemplatesAreListedAsPrompts() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].groups[1].terms = ["The teacher said that she, he", "My grandmother told me that"]
        result.promptSets[0].groups[1].promptCount = 2
        result.promptSets[0].groups[1].fixedPrompts = true
        let markdown = try ReportRenderer().render(result, format: .md, language: .en)
        XCTAssertTrue(markdown.contains("| “The teacher said that she, he”; “My grandmother told me that” | 2 |"), "prompts")
        XCTAssertTrue(markdown.contains("| Group | Terms or prompts | Prompts |"), "the column names both")
        let html = try ReportRenderer().render(result, format: .html, language: .es)
        XCTAssertTrue(html.contains("<th scope=\"col\">Términos o prompts</th>"), "Spanish HTML column")
        result.promptSets[0].groups[1].termsWithData = ["My grandmother told me that"]
        result.promptSets[0].groups[1].promptsWithData = 1
        let partial = try ReportRenderer().render(result, format: .md, language: .es)
        XCTAssertTrue(partial.contains("1 de 2 prompts: “My grandmother told me that”"), "partial, Spanish")
    }

    /// Helper 318: `fixed_prompts: true` on a group of terms in a set of one template was read (one prompt per term there,
    /// as fixed prompts have one per entry); its examples tell it: a fixed prompt is its example's prompt.
    func testFixedPromptsOnAGroupOfTermsIsToldByItsExamples() throws {
        let result = try ReportFixture.result()
        let index = try XCTUnwrap(result.promptSets.firstIndex { set in set.examples.contains { $0.group == set.groups[0].id } })
        var set = result.promptSets[index]
        set.groups[0].fixedPrompts = true
        set.groups[0].promptCount = set.groups[0].terms.count
        let found = try XCTUnwrap(result.firstGroupCoverageProblem(in: set, path: "prompt_sets[\(index)]", rewrite: "rewrite"))
        XCTAssertEqual(found.key, "prompt_sets[\(index)].groups[0].fixed_prompts")
        XCTAssertTrue(found.reason.hasPrefix("is true, but an example of group '\(set.groups[0].id)' under model"), found.reason)
        // A group whose examples' prompts are its entries is one of fixed prompts.
        set.examples = set.examples.map { example in
            var fixed = example
            if example.group == set.groups[0].id { fixed.prompt = set.groups[0].terms[0] }
            return fixed
        }
        XCTAssertNil(result.firstGroupCoverageProblem(in: set, path: "prompt_sets[\(index)]", rewrite: "rewrite"))
    }

    func testAGroupWithoutCompletionsSaysNoneOfItsTerms() throws {
        var result = try ReportFixture.result()
        // Muslim: 3 terms, 9 prompts, none with completions; Jewish made a one-term group without completions.
        result.promptSets[0].groups[1].termsWithData = []
        result.promptSets[0].groups[1].promptsWithData = 0
        result.promptSets[0].groups[2].terms = ["Jewish"]
        result.promptSets[0].groups[2].termsWithData = []
        result.promptSets[0].groups[2].promptsWithData = 0
        check(
            try render(result),
            present: [
                ["| Muslim | none of its 3 terms | 0 of 9 |", "| Jewish | none (its one term) | 0 of 9 |"],
                ["<td>none of its 3 terms</td><td class=\"num\">0 of 9</td>",
                 "<td>none (its one term)</td><td class=\"num\">0 of 9</td>"],
                ["| Musulmanes | ninguno de sus 3 términos | 0 de 9 |", "| Judíos | ninguno (su único término) | 0 de 9 |"],
                ["<td>ninguno de sus 3 términos</td><td class=\"num\">0 de 9</td>",
                 "<td>ninguno (su único término)</td><td class=\"num\">0 de 9</td>"],
            ],
            absent: Array(repeating: ["0 of 3 terms", "0 de 3 términos", "0 of 1 terms", "0 de 1 términos", "terms: |",
                                      "términos: |", "<span></span>", "<span lang=\"en\"></span>", "<td lang=\"en\"></td>",
                                      "<td></td>"], count: 4))
    }

    func testAFixedPromptSetSaysPromptsAndNamesNoTemplateInItsPairs() throws {
        var result = try ReportFixture.result()
        // The religion set as a set of fixed prompts: no templates, each group's terms its prompts.
        result.promptSets[0].templates = []
        result.promptSets[0].groups[0].termsWithData = ["Christian", "Catholic"]
        result.promptSets[0].groups[0].promptsWithData = 2
        result.promptSets[0].groups[1].termsWithData = []
        result.promptSets[0].groups[1].promptsWithData = 0
        // The fixture's first religion pair under distilgpt2 has sample_index 4.
        let fixedAbsent = [
            "2 of 4 terms", "2 de 4 términos", "of its 3 terms", "de sus 3 términos", "template —", "plantilla —",
            // The templated occupations set keeps its caption on template numbers; the religion set's says none.
            "religion: counterfactual pairs — the same template",
            "religion: pares contrafactuales — la misma plantilla",
        ]
        check(
            try render(result),
            present: [
                ["| Christian | 2 of 4 prompts: “Christian”; “Catholic” | 2 of 12 |", "| Muslim | none of its 3 prompts | 0 of 9 |",
                 "| distilgpt2 | sample index 4, Δ", "religion: counterfactual pairs — a fixed prompt of each group with the same sample index (the same "
                    + "random numbers), any prompt of one group against any of the other: the two prompts may differ in more "
                    + "than the group, so a gap is not the group’s effect alone; the pairs whose sentiment differs most "
                    + "(sample index: the completions’ sample_index, from 0)"],
                ["<td>2 of 4 prompts: <span>“Christian”; “Catholic”</span>", "<td>none of its 3 prompts</td>", " · sample index 4 · ",
                 "religion: counterfactual pairs — a fixed prompt of each group"],
                ["| Cristianos | 2 de 4 prompts: “Christian”; “Catholic” | 2 de 12 |",
                 "| Musulmanes | ninguno de sus 3 prompts | 0 de 9 |", "| distilgpt2 | índice de muestra 4, Δ",
                 "religion: pares contrafactuales — un prompt fijo de cada grupo con el mismo índice de muestra (los "
                    + "mismos números aleatorios), cualquier prompt de un grupo frente a cualquiera del otro: los dos "
                    + "prompts pueden diferir en algo más que el grupo, así que una diferencia no es solo efecto del "
                    + "grupo; los pares cuyo sentimiento más difiere (índice de muestra: el sample_index de las "
                    + "continuaciones, desde 0)"],
                ["<td>2 de 4 prompts: <span lang=\"en\">“Christian”; “Catholic”</span>", "<td>ninguno de sus 3 prompts</td>", " · índice de muestra 4 · ",
                 "religion: pares contrafactuales — un prompt fijo de cada grupo"],
            ],
            absent: Array(repeating: fixedAbsent, count: 4))
        // The set with templates keeps its template numbers, its caption and "terms".
        let templated = try ReportFixture.result()
        let english = try ReportRenderer().render(templated, format: .md)
        XCTAssertTrue(english.contains("| distilgpt2 | template 2, sample index 4, Δ"), "templated pair place")
        XCTAssertTrue(english.contains("(template n: the nth of the templates above"), "templated caption")
        XCTAssertTrue(english.contains("occupations-gender: counterfactual pairs — the same template"), "templated caption")
    }

    /// A review: a set of fixed prompts printed an empty "Templates:" line, its Markdown pairs said "the same template and
    /// random numbers, only the group changed" under a set without templates, and its pairs' caption did not say that
    /// analysis pairs any fixed prompt of one group with any of the other (every fixed prompt of a set shares one random
    /// stream, `RandomStreams.key(for:)`, and no alignment of the groups' lists is recorded), so a pair's prompts can
    /// differ in more than the group.
    func testAFixedPromptSetHasNoTemplatesLineAndSaysItsPairsCanDifferBeyondTheGroup() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].templates = []
        // The religion section alone: the occupations set that follows keeps its templates.
        let religion = try render(result).map { name, text -> (String, String) in
            let start = try XCTUnwrap(text.range(of: "Prompt set: religion") ?? text.range(of: "Conjunto de prompts: religion"), name)
            let end = try XCTUnwrap(text.range(of: "occupations-gender", range: start.upperBound..<text.endIndex), name)
            return (name, String(text[start.lowerBound..<end.lowerBound]))
        }
        check(
            religion,
            present: [
                ["<summary>Groups, estimates, contrasts and examples</summary>",
                 "<summary>Counterfactual pairs: a fixed prompt of each group with the same sample index (the same random "
                    + "numbers); the two prompts may differ in more than the group (raw model output, may be offensive)</summary>",
                 "| Group | Prompts | Number |",
                 "the two prompts may differ in more than the group, so a gap is not the group’s effect alone"],
                ["the two prompts may differ in more than the group, so a gap is not the group’s effect alone",
                 "religion: groups and prompts</caption>", #"<th scope="col">Prompts</th><th scope="col">Number</th>"#],
                ["<summary>Grupos, estimaciones, contrastes y ejemplos</summary>",
                 "<summary>Pares contrafactuales: un prompt fijo de cada grupo con el mismo índice de muestra (los mismos "
                    + "números aleatorios); los dos prompts pueden diferir en algo más que el grupo (salida del modelo sin "
                    + "filtrar, puede ser ofensiva)</summary>",
                 "| Grupo | Prompts | Número |",
                 "los dos prompts pueden diferir en algo más que el grupo, así que una diferencia no es solo efecto del grupo"],
                ["los dos prompts pueden diferir en algo más que el grupo, así que una diferencia no es solo efecto del grupo",
                 "religion: grupos y prompts</caption>", #"<th scope="col">Prompts</th><th scope="col">Número</th>"#],
            ],
            absent: Array(repeating: ["Templates:", "Plantillas:", "<ul class=\"templates\">", "the same template and random numbers",
                                      "la misma plantilla y los mismos números aleatorios", "Groups, templates", "Grupos, plantillas",
                                      "| Group | Terms |", "groups and terms", "| Grupo | Términos |", "grupos y términos"],
                          count: 4))
        // The templated set keeps its "Templates:" list and its summary, in both formats and languages.
        let templated = try render(try ReportFixture.result())
        let expected = [["Templates:", "the same template and random numbers, only the group changed", "Groups, templates",
                         "| Group | Terms | Prompts |"],
                        ["<p>Templates:</p>", "religion: groups and terms</caption>"],
                        ["Plantillas:", "la misma plantilla y los mismos números aleatorios", "Grupos, plantillas",
                         "| Grupo | Términos | Prompts |"],
                        ["<p>Plantillas:</p>", "religion: grupos y términos</caption>"]]
        check(templated, present: expected, absent: Array(repeating: ["any prompt of one group"], count: 4))
    }

    /// A review: the group table joined a group's fixed prompts with ", ", so "The nurse said that she, he" beside "My
    /// grandmother always told me that" read as three prompts. Each prompt is now quoted, “…”, and the prompts separated
    /// by "; " (in Spanish too, which quotes with “…” elsewhere); a template's terms stay joined with ", ".
    func testAFixedPromptGroupQuotesEachPromptSoACommaDoesNotSplitIt() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].templates = []
        result.promptSets[0].groups[0].terms = ["The nurse said that she, he", "My grandmother always told me that"]
        result.promptSets[0].groups[0].termsWithData = nil
        result.promptSets[0].groups[0].promptsWithData = nil
        let quoted = "“The nurse said that she, he”; “My grandmother always told me that”"
        check(
            try render(result),
            present: [
                ["| Christian | \(quoted) |"], ["<td>\(quoted)</td>"],
                ["| Cristianos | \(quoted) |"], ["<td lang=\"en\">\(quoted)</td>"],
            ],
            absent: Array(repeating: ["The nurse said that she, he, My grandmother"], count: 4))
        // The templated occupations set keeps its terms as a comma-separated list, unquoted.
        let templated = try ReportRenderer().render(result, format: .md)
        XCTAssertFalse(templated.contains("“nurse”"), "a template's terms were quoted")
        let occupations = try XCTUnwrap(result.promptSets[1].groups.first)
        XCTAssertTrue(templated.contains("| \(occupations.terms.joined(separator: ", ")) |"), "the occupations terms")
    }

    /// Fixed prompts are untrusted text: a prompt holding a table pipe, emphasis, a script tag, a newline or quotation
    /// marks stays inert in the group table, in both formats and languages, and quoting it does not bypass the escaping.
    func testHostileFixedPromptsStayInertInTheGroupTable() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].templates = []
        let hostile = ["a | b *bold* <script>alert(1)</script>", "line one\nline two \"dq\" “curly” ‘single’ & done"]
        result.promptSets[0].groups[0].terms = hostile
        result.promptSets[0].groups[0].termsWithData = nil
        result.promptSets[0].groups[0].promptsWithData = nil
        for (name, text) in try render(result) {
            if name.hasSuffix("md") {
                let row = try XCTUnwrap(
                    text.components(separatedBy: "\n").first { $0.hasPrefix("| Christian |") || $0.hasPrefix("| Cristianos |") },
                    "\(name): no group row")
                XCTAssertEqual(
                    row.dropFirst(row.hasPrefix("| Christian |") ? 13 : 14),
                    #" “a \| b \*bold\* \<script\>alert(1)\</script\>”; “line one ↵ line two "dq" “curly” ‘single’ \& done” | 12 |"#,
                    "\(name): \(row)")
                XCTAssertEqual(MarkdownTableText.unescapedPipes(in: row), 4, "\(name): a prompt's pipe ends a cell: \(row)")
                XCTAssertFalse(text.contains("<script>"), "\(name): a script tag")
            } else {
                let document = try XMLDocument(data: Data(text.utf8), options: [])
                XCTAssertEqual(try document.nodes(forXPath: "//script").count, 0, "\(name): a <script> element was injected")
                let cells = try document.nodes(forXPath: "//table[@class='groups']/tbody/tr[1]/td[1]")
                XCTAssertEqual(cells.count, 2, name)
                XCTAssertEqual(
                    cells.first?.stringValue, "“\(hostile[0])”; “\(hostile[1])”", "\(name): the cell's text is the prompts, quoted")
                XCTAssertTrue(
                    text.contains("“a | b *bold* &lt;script&gt;alert(1)&lt;/script&gt;”; “line one\nline two &quot;dq&quot; "),
                    "\(name): the prompts escaped")
            }
        }
    }

    /// A review: the Methods of a report of fixed prompts alone spoke of "a group's terms (names, countries,
    /// occupations)" and templates. Such a report says how to read those words, in both languages and formats; one
    /// with a set of terms keeps the examples and says nothing of it.
    func testMethodsOfAReportOfFixedPromptsAloneSayHowToReadTermsAndTemplates() throws {
        let sentence = [
            "Every group of this report is a list of fixed prompts: in what follows, read a group’s *terms* as its prompts",
            "Every group of this report is a list of fixed prompts: in what follows, read a group’s <em>terms</em> as its prompts",
            "Todos los grupos de este informe son listas de prompts fijos: en lo que sigue, lea los *términos* de un grupo",
            "Todos los grupos de este informe son listas de prompts fijos: en lo que sigue, lea los <em>términos</em> de un grupo",
        ]
        let examples = ["(names, countries, occupations)", "(names, countries, occupations)",
                        "(nombres, países, ocupaciones)", "(nombres, países, ocupaciones)"]
        var result = try ReportFixture.result()
        check(try render(result), present: examples.map { [$0] }, absent: sentence.map { [$0] })
        // One set of fixed prompts beside one of terms: a sentence for the fixed prompts, the examples kept.
        for group in result.promptSets[0].groups.indices { result.promptSets[0].groups[group].fixedPrompts = true }
        let some = ["Some groups of this report are lists of fixed prompts: for them, in what follows, read a group’s *terms*",
                    "Some groups of this report are lists of fixed prompts: for them, in what follows, read a group’s <em>terms</em>",
                    "Algunos grupos de este informe son listas de prompts fijos: para ellos, en lo que sigue, lea los *términos*",
                    "Algunos grupos de este informe son listas de prompts fijos: para ellos, en lo que sigue, lea los <em>términos</em>"]
        check(try render(result), present: zip(examples, some).map { [$0, $1] }, absent: sentence.map { [$0] })
        for index in result.promptSets.indices {
            for group in result.promptSets[index].groups.indices {
                result.promptSets[index].groups[group].fixedPrompts = true
            }
        }
        check(try render(result), present: sentence.map { [$0] }, absent: zip(examples, some).map { [$0, $1] })
        // The legends' "undetermined" (a review: "rest on different templates or terms" in a report of fixed prompts).
        let rendered = try render(result)
        check(rendered, present: [["rest on different prompts"], ["rest on different prompts"],
                                  ["usan prompts distintos"], ["usan prompts distintos"]],
              absent: [["templates or terms"], ["templates or terms"], ["plantillas o términos"], ["plantillas o términos"]])
    }
}
