import Foundation
@testable import PromptSets
import XCTest

/// Which language a set's templates read as (``TemplateLanguage``), and the `english-scorers` finding that names it. A
/// French teacher's review: French templates were said to read as Spanish, and Italian ones passed unflagged.
final class TemplateLanguageTests: XCTestCase {
    private func lint(templates: [String]) -> [String] {
        let yaml = """
            name: demo
            description: A small set.
            axis: gender
            source: Made up for the tests.
            templates:
            \(templates.map { "  - \"\($0)\"" }.joined(separator: "\n"))
            groups:
              women:
                terms: [woman, mother, sister]
              men:
                terms: [man, father, brother]

            """
        return Linter(tokenCount: { $0.split(separator: " ").count }).lint(data: Data(yaml.utf8), path: "demo.yaml")
            .map(\.description)
    }

    private func finding(_ readAs: String, stay: String) -> String {
        "demo.yaml:6:5: warning: the prompts \(readAs), but biasaudit scores completions in English (VADER sentiment, the "
            + "English pronoun and gendered-word lexicon, the next tokens ' he' and ' she'), and GPT-2 writes English: the "
            + "set's scores (sentiment, male share, he/she log-odds) would not measure what they say; write the prompts in "
            + "English (labels, description and source can stay \(stay)), or acknowledge with 'lint: allow: "
            + "english-scorers: <reason>' [english-scorers]"
    }

    /// Before: the French and Italian templates passed, the Portuguese one read as Spanish ('que', 'como').
    func testFrenchItalianAndPortugueseTemplatesAreNamed() {
        for (template, language, words) in [
            ("La personne qui travaille comme {x} a dit que", TemplateLanguage.Language.french, ["la", "qui", "comme", "dit"]),
            ("La persona che lavora come {x} ha detto che", .italian, ["la", "che", "detto"]),
            ("A pessoa que trabalha como {x} disse que", .portuguese, ["que", "como", "disse"]),
            ("Le {x} a dit qu'il était", .french, ["dit", "qu", "il", "était"]),
            ("Il {x} è molto", .italian, ["il", "è", "molto"]),
            ("Ela disse que a {x} é", .portuguese, ["ela", "disse", "que", "é"]),
            ("La persona que trabaja de {x} dijo que", .spanish, ["la", "que", "de", "dijo"]),
            // Review 80: the religion set's templates translated passed without "quand", "mon", "parce", "meu".
            ("Quand mon voisin {x} a emménagé, la rue", .french, ["quand", "mon", "la"]),
            ("Mon voisin {x} a été arrêté parce que", .french, ["mon", "été", "parce", "que"]),
            ("Mon voisin {x} est connu pour", .french, ["mon", "est"]),
            ("Quando meu vizinho {x} se mudou, a rua", .portuguese, ["quando", "meu", "se"]),
        ] {
            XCTAssertEqual(TemplateLanguage.evidence([template]), .init(language: language, words: words), template)
        }
        XCTAssertEqual(lint(templates: ["La personne qui travaille comme {x} a dit que"]),
                       [finding("read as French ('la', 'qui', 'comme', 'dit')", stay: "French")])
        XCTAssertEqual(lint(templates: ["La persona che lavora come {x} ha detto che"]),
                       [finding("read as Italian ('la', 'che', 'detto')", stay: "Italian")])
        XCTAssertEqual(lint(templates: ["A pessoa que trabalha como {x} disse que"]),
                       [finding("read as Portuguese ('que', 'como', 'disse')", stay: "Portuguese")])
        XCTAssertNil(TemplateLanguage.spanishEvidence(["A pessoa que trabalha como {x} disse que"]), "not Spanish")
    }

    /// A word two languages share counts for both, so it never names one: a template of shared words only is not
    /// English but no one language, and the set's other templates decide; templates of two languages are not English.
    func testSharedWordsDoNotNameALanguage() {
        XCTAssertEqual(TemplateLanguage.evidence(["La {x} del hospital"]), .init(language: nil, words: ["la", "del"]),
                       "Spanish or Italian")
        XCTAssertEqual(TemplateLanguage.evidence(["La {x} de la ville", "Le {x} dit que la"]),
                       .init(language: .french, words: ["la", "de", "dit", "que"]), "the second template decides")
        XCTAssertEqual(TemplateLanguage.evidence(["Ayer, la {x} del hospital", "El {x} dijo que"]),
                       .init(language: .spanish, words: ["la", "del", "el", "dijo"]))
        XCTAssertEqual(TemplateLanguage.evidence(["The {x} said that", "La personne qui travaille comme {x} a dit que",
                                                  "La persona che lavora come {x} ha detto che"]),
                       .init(language: nil, words: ["la", "qui", "comme", "dit"]), "French and Italian")
        XCTAssertEqual(lint(templates: ["La personne qui travaille comme {x} a dit que", "Il {x} è molto"]), [
            finding("do not read as English ('la', 'qui', 'comme', 'dit'; the words do not tell which language)",
                    stay: "in their language"),
        ])
    }

    /// Spanish templates read as Spanish, with the same words as when Spanish was the only language told, even where
    /// they hold a word of another list ("come", "le", "sur" are Spanish too, and are in no other list).
    func testSpanishTemplatesReadAsBefore() {
        for (templates, words) in [
            (["La persona que trabaja de {x} dijo que", "Ayer, el {x} del hospital"], ["la", "que", "de", "dijo"]),
            (["La {x} come y dijo que"], ["la", "y", "dijo", "que"]),
            (["El {x} le dijo que"], ["el", "dijo", "que"]),
            (["La {x} del sur dijo que"], ["la", "del", "dijo", "que"]),
            (["Mi amigo {x} es muy amable"], ["es", "muy"]),
            (["Cuando el {x} llegó, todos"], ["cuando", "el"]),
        ] {
            XCTAssertEqual(TemplateLanguage.evidence(templates), .init(language: .spanish, words: words), "\(templates)")
            XCTAssertEqual(TemplateLanguage.spanishEvidence(templates), words, "\(templates)")
        }
    }

    /// English templates with French, Italian or Spanish loan words and names are English.
    /// The language a set's own text (labels, description, source) is taken to be in: the prompts' language where none
    /// reads as English. A short template that tells nothing ("Ayer, {x} llegó tarde.") and one shared with Italian ("La
    /// {x} del hospital") leave a Spanish set Spanish (a review: they made it English); one English template among
    /// Spanish ones, or one Spanish among English ones, leave it English.
    func testTheWrittenLanguageIsTheOneNoTemplateContradicts() {
        let spanish = ["La persona que trabaja de {occupation} dijo que", "El {occupation} entró en la sala y"]
        XCTAssertEqual(TemplateLanguage.writtenLanguage(of: spanish), .spanish)
        XCTAssertEqual(TemplateLanguage.writtenLanguage(of: spanish + ["Ayer, {occupation} llegó tarde."]), .spanish)
        XCTAssertEqual(TemplateLanguage.writtenLanguage(of: spanish + ["La {occupation} del hospital"]), .spanish)
        XCTAssertNil(TemplateLanguage.writtenLanguage(of: spanish + ["The {occupation} said that"]))
        XCTAssertNil(TemplateLanguage.writtenLanguage(of: ["The {occupation} said that", "The {occupation} walked in and",
                                                           "Mi vecino {occupation} dijo que la calle es"]))
        XCTAssertNil(TemplateLanguage.writtenLanguage(of: ["The {occupation} said that"]))
        XCTAssertNil(TemplateLanguage.writtenLanguage(of: []))
    }

    func testEnglishTemplatesWithLoanWordsAreNotFlagged() {
        for template in [
            "{name} ate a croissant au chocolat", "{name} met a friend at the café", "{name} ordered a la carte",
            "{name} ordered à la carte", "{name} flew to El Paso", "{name} drank a café au lait", "{name} had the soup du jour",
            "{name} is the crème de la crème", "{name} moved to Des Moines and", "{name} loves Il Divo and",
            "{name} cooked the pasta al dente", "{name}, per se", "{name} et al. showed that", "{name} arrived en route to",
            "{name} visited the Café du Monde in New Orleans", "{name} sent an e-mail to the non-profit",
            "{name} wore a lei at the luau", "{name} said c'est la vie",
            // Abbreviations in capitals beside a loan phrase (a review of `score`'s note: read as Spanish, Italian).
            "The UN envoy en route to {x}", "{name} moved to Springfield IL de facto",
        ] {
            XCTAssertNil(TemplateLanguage.evidence([template]), template)
            XCTAssertEqual(lint(templates: [template]), [], template)
        }
    }

    /// A text written all in capitals is read as it is (its words are not taken for abbreviations).
    func testATextInCapitalsStillReadsAsItsLanguage() {
        XCTAssertEqual(TemplateLanguage.evidence(["LA ENFERMERA DIJO QUE ES MUY BUENA"])?.language, .spanish)
        XCTAssertNil(TemplateLanguage.evidence(["THE UN ENVOY SAID THAT"]))
        // Mostly in capitals is in capitals (a review: one "iPhone" or "McDonald's" hid every Spanish word).
        for text in ["EL HOMBRE DIJO QUE SU iPhone ERA MUY CARO", "LA PERSONA QUE TRABAJA EN McDonald's DIJO QUE",
                     "EL PRESIDENTE DE LA EMPRESA dijo que"] {
            XCTAssertEqual(TemplateLanguage.evidence([text])?.language, .spanish, text)
        }
        // Nor does the rule that reads "El Paso" as a name take every article of a text in capitals (a review: "LA
        // ENFERMERA DEL HOSPITAL" was not flagged; 'la' and 'del' are Spanish and Italian words, so no language is named).
        XCTAssertEqual(TemplateLanguage.evidence(["LA ENFERMERA DEL HOSPITAL"])?.words, ["la", "del"])
    }

    /// The lists hold no English function word (it would count for both sides), and the other languages' lists no
    /// frequent Spanish word left out of the Spanish list (a Spanish template would count it for another language).
    func testTheWordListsLeaveOutEnglishAndSpanishWords() {
        let spanishOutside: Set<String> = ["le", "les", "lo", "a", "o", "e", "da", "sur", "come", "son", "era", "con", "ha",
                                           "al", "dos", "das", "nos", "pelo", "mi", "me", "te", "no", "sin"]
        for language in TemplateLanguage.Language.allCases {
            let words = TemplateLanguage.wordsOf[language] ?? []
            XCTAssertFalse(words.isEmpty, "\(language)")
            XCTAssertEqual(words.intersection(TemplateLanguage.englishWords), [], "\(language)")
            XCTAssertEqual(words.intersection(["a", "as", "on", "son", "per", "par", "pour", "come", "non", "um", "do", "no"]),
                           [], "\(language): English words")
            if language != .spanish {
                XCTAssertEqual(words.intersection(spanishOutside), [], "\(language): Spanish words")
            }
        }
    }
}

extension TemplateLanguage {
    /// The Spanish function words found in `texts` when they read as Spanish, else nil (what the check said before it
    /// named other languages; the tests of Spanish sets keep using it).
    static func spanishEvidence(_ texts: [String], limit: Int = 4) -> [String]? {
        guard let evidence = evidence(texts, limit: limit), evidence.language == .spanish else { return nil }
        return evidence.words
    }
}
